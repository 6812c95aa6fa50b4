package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"dangvu/internal/store"
	"dangvu/internal/storetest"
)

// TestBackupDuringWrites runs `dangvu backup` the way the command does (a store of its own on the
// same file: another process, as far as SQLite's locks go) again and again while writers keep
// writing through the server's store. No writer may fail: a backup only reads, and a writer that
// meets another's lock waits within the busy timeout. SQLite only: PostgreSQL is backed up with
// pg_dump.
func TestBackupDuringWrites(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	srv, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if err := srv.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Import(ctx, storetest.Fixture().Reader(), store.ImportOptions{Actor: "test", Source: "fixture"}); err != nil {
		t.Fatal(err)
	}

	// Writers write until the backups are done; each backup is the command's open, VACUUM INTO
	// and close.
	const writers, backups = 4, 8
	var failed, done atomic.Int64
	var firstErr atomic.Value
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				// A read followed by a write in one transaction, as every audited write is.
				if err := srv.LogReveal(ctx, fmt.Sprintf("writer%d", w), "M01", []string{"phone", fmt.Sprint(i)}); err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
				}
				done.Add(1)
			}
		}()
	}
	var backupErr error
	for i := range backups {
		if backupErr = backupOnce(ctx, db, filepath.Join(dir, fmt.Sprintf("b%d.db", i))); backupErr != nil {
			break
		}
	}
	close(stop)
	wg.Wait()
	if backupErr != nil {
		t.Fatalf("backup failed: %v", backupErr)
	}
	if n := failed.Load(); n > 0 {
		t.Errorf("%d of %d writes failed during %d backups; first: %v", n, done.Load(), backups, firstErr.Load())
	}
	t.Logf("%d writes during %d backups", done.Load(), backups)
	if want := 1 + done.Load() - failed.Load(); want < 2*backups {
		t.Errorf("only %d writes during %d backups: the test proves little", want-1, backups)
	}
	if n, err := srv.VerifyAudit(ctx); err != nil || int64(n) != 1+done.Load()-failed.Load() {
		t.Errorf("VerifyAudit = %d, %v; want the import and every write that succeeded", n, err)
	}
	// The last backup is a whole database.
	b, err := store.Open(ctx, filepath.Join(dir, fmt.Sprintf("b%d.db", backups-1)))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
}

// backupOnce is cmdBackup: open, back up, close.
func backupOnce(ctx context.Context, db, out string) error {
	s, err := store.Open(ctx, db)
	if err != nil {
		return err
	}
	defer s.Close()
	return s.Backup(ctx, out)
}
