package store

import (
	"os"
	"path/filepath"
	"testing"
)

// TestPostgresPlansPerExecution: the store asks PostgreSQL to plan every execution for its values
// (a generic plan chosen after a few small reports made the root's report twice as slow, issue 20),
// unless the DSN chooses otherwise.
func TestPostgresPlansPerExecution(t *testing.T) {
	dsn := os.Getenv("DANGVU_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("DANGVU_TEST_POSTGRES is not set")
	}
	for _, tc := range []struct{ extra, want string }{
		{"", "force_custom_plan"},
		{"plan_cache_mode=auto", "auto"},
	} {
		d := dsn
		if tc.extra != "" {
			d += "&" + tc.extra
		}
		s, err := OpenWith(t.Context(), d, Options{KeyFile: filepath.Join(t.TempDir(), "k")})
		if err != nil {
			t.Fatal(err)
		}
		var got string
		if err := s.read.QueryRowContext(t.Context(), `SHOW plan_cache_mode`).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("DSN %q: plan_cache_mode %s, want %s", tc.extra, got, tc.want)
		}
		s.Close()
	}
}
