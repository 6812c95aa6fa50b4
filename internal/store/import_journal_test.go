package store_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/store"
	"dangvu/internal/storetest"
)

// An import into an empty SQLite file by a process that has it alone writes its pages once,
// with a rollback journal, instead of through the write-ahead log; the file is back in WAL
// mode afterwards, a failed import leaves it empty, and with another connection open the
// import goes through the log as before.
func TestImportAloneJournal(t *testing.T) {
	cases := []struct {
		name     string
		alone    bool
		other    bool // another store holds the file open during the import
		bad      bool // the data set has a bad row
		wantLong bool // the load went through the log: the WAL is at least half the file
	}{
		{name: "alone", alone: true},
		{name: "alone, bad row", alone: true, bad: true},
		{name: "alone, another connection open", alone: true, other: true, wantLong: true},
		{name: "not alone", wantLong: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := t.Context()
			path := filepath.Join(t.TempDir(), "d.db")
			s, err := store.Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if c.other {
				o, err := store.Open(ctx, path)
				if err != nil {
					t.Fatal(err)
				}
				defer o.Close()
				if _, err := o.CountMembers(ctx, "", time.Now(), dangvu.CountFilter{}); err != nil {
					t.Fatal(err)
				}
			}
			m := storetest.Fixture()
			if c.bad {
				if err := m.Row("memberships", []string{"KHONG-CO", "X", "2020-01-01", "", "official", "", ""}); err != nil {
					t.Fatal(err)
				}
			}
			_, err = s.Import(ctx, m.Reader(), store.ImportOptions{Actor: "test", Source: "fixture", Alone: c.alone})
			if c.bad != (err != nil) {
				t.Fatalf("Import: %v", err)
			}
			// The file is back in WAL mode before any other connection opens it (each of the
			// store's own connections asks for WAL as it opens).
			raw, err := sql.Open("sqlite", "file:"+path)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			var mode, check string
			if err := raw.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
				t.Errorf("journal mode %q (%v) after the import, want wal", mode, err)
			}
			db, wal := fileSize(t, path), fileSize(t, path+"-wal")
			if _, err := os.Stat(path + "-journal"); err == nil {
				t.Error("a rollback journal was left behind")
			}
			if long := wal*2 >= db; !c.bad && long != c.wantLong {
				t.Errorf("WAL %d bytes for a file of %d: went through the log %v, want %v", wal, db, long, c.wantLong)
			}
			n, err := s.CountMembers(ctx, "", time.Now(), dangvu.CountFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if c.bad != (n == 0) {
				t.Errorf("%d members after the import", n)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			// And whole.
			if err := raw.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
				t.Errorf("integrity check %q (%v)", check, err)
			}
		})
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}
