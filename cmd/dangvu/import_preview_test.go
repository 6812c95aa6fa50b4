package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// import --preview reads the whole data set and tells its encoding and some names, writing
// nothing; a folder without any table, or with only unknown files, is an error, not exit 0.
func TestImportPreviewAndEmptyFolder(t *testing.T) {
	sample, _ := os.ReadFile("../../testdata/sample/members.csv")
	dir := copyDir(t, "../../testdata/sample")
	os.WriteFile(filepath.Join(dir, "members.csv"), win1258(t, string(sample)), 0o644)
	os.WriteFile(filepath.Join(dir, "ghi-chu.txt"), []byte("x"), 0o644)
	db := filepath.Join(t.TempDir(), "t.db")
	out := mustRun(t, "import", "--preview", "--db", db, dir)
	for _, want := range []string{"chưa ghi gì", "members.csv: windows-1258", "Lê Văn Bình", "ghi-chu.txt"} {
		if !strings.Contains(out, want) {
			t.Errorf("preview lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Errorf("the preview created the database")
	}
	empty := t.TempDir()
	os.WriteFile(filepath.Join(empty, "memebrs.csv"), sample, 0o644)
	_, err := dangvuCmd(t, "import", "--db", db, empty)
	if err == nil || !strings.Contains(err.Error(), "không có tệp nào") || strings.Contains(err.Error(), empty) {
		t.Errorf("folder without tables: %v", err)
	}
}
