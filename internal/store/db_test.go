package store

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestRebind(t *testing.T) {
	for _, c := range []struct {
		pg      bool
		in, out string
	}{
		{false, `SELECT a FROM t WHERE b = ? AND c = ?`, `SELECT a FROM t WHERE b = ? AND c = ?`},
		{true, `SELECT a FROM t WHERE b = ? AND c = ?`, `SELECT a FROM t WHERE b = $1 AND c = $2`},
		{true, `SELECT a FROM t WHERE b = $1`, `SELECT a FROM t WHERE b = $1`},
	} {
		if got := rebind(c.pg, c.in); got != c.out {
			t.Errorf("rebind(%v, %q) = %q, want %q", c.pg, c.in, got, c.out)
		}
	}
}

// TestQueriesGoThroughTheWrapper checks that the store's code reaches the database only through
// db.go's wrapper, which rebinds: no handle of database/sql held directly, no call through the
// embedded field, no rebind by hand.
func TestQueriesGoThroughTheWrapper(t *testing.T) {
	bypass := regexp.MustCompile(`\*sql\.(DB|Tx|Conn)\b|\.(DB|Tx|Conn)\.(Exec|Query|QueryRow|Prepare|Begin)(Context)?\(|\brebind\(`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f == "db.go" || strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if bypass.MatchString(line) && !strings.HasPrefix(strings.TrimSpace(line), "//") {
				t.Errorf("%s:%d bypasses the database wrapper (db.go): %s", f, i+1, strings.TrimSpace(line))
			}
		}
	}
}
