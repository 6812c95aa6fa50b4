package store

import (
	"context"
	"errors"
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
		open = 16
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
