package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"dangvu"
)

// TestPostgresPlansPerExecution: a report's queries are planned for their values at every
// execution — sent as unnamed statements, never kept as prepared statements that PostgreSQL may
// switch to one generic plan (a plan made for a few cells made the root's report twice as slow,
// issue 20) — while other queries keep pgx's prepared statements; a DSN may still force plans
// per execution for everything.
func TestPostgresPlansPerExecution(t *testing.T) {
	dsn := os.Getenv("DANGVU_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("DANGVU_TEST_POSTGRES is not set")
	}
	for _, tc := range []struct{ extra, want string }{
		{"", "auto"},
		{"plan_cache_mode=force_custom_plan", "force_custom_plan"},
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

	s, err := OpenWith(t.Context(), dsn, Options{KeyFile: filepath.Join(t.TempDir(), "k")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	conn, err := s.read.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	tag := time.Now().UnixNano()
	// kept runs a query seven times on the connection and says whether it is now one of the
	// connection's prepared statements, and how many executions PostgreSQL planned for it.
	kept := func(ctx context.Context, name string) (bool, int) {
		q := fmt.Sprintf(`SELECT count(*) FROM generate_series(1, ?) AS g /* %s %d */`, name, tag)
		for i := range 7 {
			var n int
			if err := conn.QueryRowContext(ctx, q, 10+i).Scan(&n); err != nil || n != 10+i {
				t.Fatalf("%s: %d, %v", name, n, err)
			}
		}
		var plans int
		err := conn.QueryRowContext(t.Context(), `SELECT generic_plans + custom_plans FROM pg_prepared_statements WHERE statement = ?`, rebind(true, q)).Scan(&plans)
		return err == nil, plans
	}
	if ok, plans := kept(t.Context(), "page"); !ok || plans != 7 {
		t.Errorf("a page's query: prepared %v with %d executions, want a prepared statement run 7 times", ok, plans)
	}
	if ok, _ := kept(withValuePlans(t.Context()), "report"); ok {
		t.Error("a report's query was kept as a prepared statement: PostgreSQL may give it a generic plan")
	}
}

// TestReportPlans: the reports of the root and of a province plan their queries by value; a
// ward's and a cell's keep prepared statements.
func TestReportPlans(t *testing.T) {
	for _, tc := range []struct {
		path string
		want bool
	}{
		{"/VN/", true},
		{"/VN/T79/", true},
		{"/VN/T79/T79.P01/", false},
		{"/VN/T79/T79.P01/T79.P01.C01/", false},
	} {
		rc := &reportCtx{org: dangvu.Org{Path: tc.path}}
		if got := rc.plans(context.Background()).Value(valuePlansKey{}) != nil; got != tc.want {
			t.Errorf("%s: plans by value %v, want %v", tc.path, got, tc.want)
		}
	}
}
