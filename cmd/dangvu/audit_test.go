package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dangvu"
	"dangvu/internal/store"
)

// TestAuditHeadCommands: the first command makes the key file next to the database and says so;
// `audit head` prints a head that `audit verify --head` later checks; deleting the last entry is
// caught by `audit verify` alone; `audit rotate-key` keeps the log verifiable.
func TestAuditHeadCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"import", "--db", db, "../../testdata/sample"}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(dir, store.KeyFileName)
	if st, err := os.Stat(key); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, %v", st, err)
	}
	if !strings.Contains(errb.String(), "Đã tạo tệp khóa bí mật "+key) {
		t.Errorf("the first command did not say it made the key: %s", errb.String())
	}

	head := strings.TrimSpace(mustRun(t, "audit", "head", "--db", db))
	if !strings.HasPrefix(head, `{"seq":1,`) || !strings.Contains(head, `"mac":"`) {
		t.Fatalf("audit head: %s", head)
	}
	rec := filepath.Join(t.TempDir(), "head.json")
	if err := os.WriteFile(rec, []byte(head+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "user", "list", "--db", db) // no write
	s, err := openStore(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.LogReveal(context.Background(), "test", "M1", []string{"phone"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if out := mustRun(t, "audit", "verify", "--db", db, "--head", rec); !strings.Contains(out, "2 mục") || !strings.Contains(out, "đến mục số 1") {
		t.Errorf("audit verify --head: %s", out)
	}
	forged := strings.Replace(head, `"seq":1`, `"seq":2`, 1)
	if _, err := dangvuCmd(t, "audit", "verify", "--db", db, "--head", forged); dangvu.ErrorCode(err) != dangvu.EConflict {
		t.Errorf("a forged head record: %v", err)
	}

	if out := mustRun(t, "audit", "rotate-key", "--db", db); !strings.Contains(out, "Đã thay khóa") {
		t.Errorf("rotate-key: %s", out)
	}
	if out := mustRun(t, "audit", "verify", "--db", db, "--head", rec); !strings.Contains(out, "3 mục") {
		t.Errorf("verify after rotation: %s", out)
	}

	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DELETE FROM audit_log WHERE seq = 3`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if _, err := dangvuCmd(t, "audit", "verify", "--db", db); dangvu.ErrorCode(err) != dangvu.EConflict || !strings.Contains(dangvu.ErrorMessage(err), "các mục cuối đã bị xóa") {
		t.Errorf("the last entry deleted: %v", err)
	}

	// Without its key file the database is refused, by name, and no new key is made.
	if err := os.Rename(key, key+".bak"); err != nil {
		t.Fatal(err)
	}
	if _, err := dangvuCmd(t, "audit", "verify", "--db", db); err == nil || !strings.Contains(dangvu.ErrorMessage(err), "không tìm thấy tệp khóa") {
		t.Errorf("without the key file: %v", err)
	}
	if _, err := os.Stat(key); err == nil {
		t.Error("a new key was made")
	}
	if _, err := dangvuCmd(t, "audit", "verify", "--db", db, "--key-file", key+".bak"); dangvu.ErrorCode(err) != dangvu.EConflict {
		t.Errorf("with --key-file: %v (want the deletion found again)", err)
	}
}
