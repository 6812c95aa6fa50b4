package store

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"dangvu"
)

// testOneConnection runs the term report of every level with a single read connection in the
// pool. Sections run side by side on both engines, the pool is bounded (SQLite: four readers),
// and a section that asked for a second connection while holding its first (a query inside a
// loop over another's rows) could have every reader held by sections that wait for one more:
// with one connection such a section waits for ever, and the deadline says which report.
func testOneConnection(t *testing.T, s *Store) {
	ctx := context.Background()
	day := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	var path string
	err := s.read.QueryRowContext(ctx, `SELECT path FROM roster WHERE path LIKE '/VN/QN/%/%/%' AND valid_from <= ? AND valid_to > ? ORDER BY path LIMIT 1`,
		dateArg(day), dateArg(day)).Scan(&path)
	if err != nil {
		t.Fatalf("a cell of QN: %v", err)
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	cell, ward := segs[len(segs)-1], segs[len(segs)-2]
	open := 4
	if s.pg {
		open = pgConns
	}
	s.read.SetMaxOpenConns(1)
	defer s.read.SetMaxOpenConns(open)
	for _, org := range []string{demoRoot(t, s), "QN", "UB", ward, cell} {
		for _, to := range []time.Time{time.Date(2018, 5, 31, 0, 0, 0, 0, time.UTC), day} {
			q := dangvu.ReportQuery{Org: org, From: to.AddDate(-3, 0, 0), To: to}
			rctx, cancel := context.WithTimeout(ctx, time.Minute)
			r, err := s.TermReport(rctx, q)
			cancel()
			switch {
			case errors.Is(err, context.DeadlineExceeded):
				t.Fatalf("%s to %s: a section holds its connection while it waits for another", org, dateArg(to))
			case dangvu.ErrorCode(err) == dangvu.ENotFound && org == "UB":
				continue // the city is gone after 30/06/2025
			case err != nil:
				t.Fatalf("%s to %s: %v", org, dateArg(to), err)
			}
			if v, _ := r.Get("members"); v == nil {
				t.Errorf("%s to %s: no member count", org, dateArg(to))
			}
		}
	}
}

// testGrassrootsWays counts the grassroots inspection visits of the city (the article's "over
// 1.300"), of organisations whose path changed on 1/7/2025 (two stretches of path, a branch
// each) and of the province both ways —
// from the period's rounds, as the top of the tree does, and from the subtree's organisations,
// as the levels below do — over periods before, across and after the change.
func testGrassrootsWays(t *testing.T, s *Store) {
	ctx := context.Background()
	orgs, err := column(ctx, s.read, `SELECT org_id FROM org_paths WHERE path LIKE '/VN/QN/%' GROUP BY org_id HAVING count(*) > 1 ORDER BY min(depth), org_id LIMIT 6`)
	if err != nil || len(orgs) == 0 {
		t.Fatalf("organisations of QN that moved: %v %v", orgs, err)
	}
	day := func(s string) time.Time { d, _ := dangvu.ParseISODate(s); return d }
	var seen int
	for _, org := range append([]string{"UB", "QN"}, orgs...) {
		for _, p := range [][2]string{{"2015-01-01", "2018-05-31"}, {"2023-11-27", "2026-11-27"}, {"2025-07-01", "2026-11-27"}} {
			rc, err := s.reportContext(ctx, dangvu.ReportQuery{Org: org, From: day(p[0]), To: day(p[1]), AsOf: day(p[1])})
			if dangvu.ErrorCode(err) == dangvu.ENotFound {
				continue // the city after 30/06/2025
			}
			if err != nil {
				t.Fatal(err)
			}
			var n [2]int
			for i, way := range []func() (string, []any){
				func() (string, []any) { return grassrootsFromRounds(rc) },
				func() (string, []any) { return grassrootsFromPaths(rc, s.pg) },
			} {
				q, args := way()
				if err := s.read.QueryRowContext(ctx, `SELECT count(*) `+q, args...).Scan(&n[i]); err != nil {
					t.Fatalf("%s %s–%s: %v", org, p[0], p[1], err)
				}
			}
			if n[0] != n[1] {
				t.Errorf("%s %s–%s: %d visits from the rounds, %d from the organisations", org, p[0], p[1], n[0], n[1])
			}
			if org == "UB" && p[1] == "2018-05-31" && n[1] <= 1300 {
				t.Errorf("UB 2015–31/05/2018: %d visits, want over 1.300", n[1])
			}
			if org != "UB" && org != "QN" && p[0] == "2023-11-27" {
				seen += n[1] // a moved organisation's visits over a period across its move
			}
		}
	}
	if seen == 0 {
		t.Fatal("no visit under an organisation that moved, over a period across the move: the check compares nothing")
	}
}

// TestSectionOrder checks that a report starts its sections the longest first, as last timed at
// the organisation's depth, those not yet timed after in their own order, and that one depth's
// times do not order another's.
func TestSectionOrder(t *testing.T) {
	var st sectionTimes
	if got := st.order(1, 4); !slices.Equal(got, []int{0, 1, 2, 3}) {
		t.Fatalf("untimed: %v, want the sections' order", got)
	}
	st.record(1, 3, 500*time.Millisecond)
	st.record(1, 1, 200*time.Millisecond)
	st.record(4, 0, time.Second)
	if got := st.order(1, 4); !slices.Equal(got, []int{3, 1, 0, 2}) {
		t.Errorf("root: %v, want [3 1 0 2]", got)
	}
	if got := st.order(4, 4); !slices.Equal(got, []int{0, 1, 2, 3}) {
		t.Errorf("cell: %v, want [0 1 2 3]", got)
	}
	st.record(1, 1, 600*time.Millisecond) // the last time counts
	if got := st.order(1, 4); !slices.Equal(got, []int{1, 3, 0, 2}) {
		t.Errorf("root after: %v, want [1 3 0 2]", got)
	}
}
