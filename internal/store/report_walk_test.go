package store

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/rules/dues"
)

// TestReportWalks loads the demo once for the checks of the report's ways of computing a figure:
// the dues walk against the ledger, the dissemination coverage member by member against the one
// join, the figures kept for the top of the tree against the records, and the badges due
// narrowed in SQL against every candidate's history.
func TestReportWalks(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo")
	}
	s := loadDemo(t, filepath.Join(t.TempDir(), "demo.db"))
	// The import sorts in temporary files; the server's connection is given back sorting in memory.
	var temp int
	if err := s.write.QueryRowContext(context.Background(), "PRAGMA temp_store").Scan(&temp); err != nil || temp != 2 {
		t.Errorf("temp_store after the import: %d (%v), want 2 (memory)", temp, err)
	}
	t.Run("dues", func(t *testing.T) { testDuesWalk(t, s) })
	t.Run("coverage", func(t *testing.T) { testCoverageWays(t, s) })
	t.Run("dues kept", func(t *testing.T) { testDuesKept(t, s) })
	t.Run("files kept", func(t *testing.T) { testFilesKept(t, s) })
	t.Run("studied kept", func(t *testing.T) { testStudiedKept(t, s) })
	t.Run("party age kept", func(t *testing.T) { testPartyAgeKept(t, s) })
	t.Run("tallies", func(t *testing.T) { testTallies(t, s) })
	t.Run("every month", func(t *testing.T) { testEveryMonthStarts(t, s) })
	t.Run("expected cells", func(t *testing.T) { testExpectedCells(t, s) })
	t.Run("badges due", func(t *testing.T) { testBadgePrefilter(t, s) })
	t.Run("party age gaps", func(t *testing.T) { testPartyAgeGaps(t, s) })
	t.Run("one connection", func(t *testing.T) { testOneConnection(t, s) })
	t.Run("grassroots visits", func(t *testing.T) { testGrassrootsWays(t, s) })
}

// TestKeptPostgres is the check of the kept figures, the badges prefilter and the reports on a
// pool of one connection on PostgreSQL.
func TestKeptPostgres(t *testing.T) {
	pg := os.Getenv("DANGVU_TEST_POSTGRES")
	if pg == "" || testing.Short() {
		t.Skip("DANGVU_TEST_POSTGRES not set, or -short")
	}
	s := loadDemo(t, pgSchemaDSN(t, pg, "kept"))
	t.Run("dues kept", func(t *testing.T) { testDuesKept(t, s) })
	t.Run("files kept", func(t *testing.T) { testFilesKept(t, s) })
	t.Run("studied kept", func(t *testing.T) { testStudiedKept(t, s) })
	t.Run("party age kept", func(t *testing.T) { testPartyAgeKept(t, s) })
	t.Run("tallies", func(t *testing.T) { testTallies(t, s) })
	t.Run("every month", func(t *testing.T) { testEveryMonthStarts(t, s) })
	t.Run("expected cells", func(t *testing.T) { testExpectedCells(t, s) })
	t.Run("badges due", func(t *testing.T) { testBadgePrefilter(t, s) })
	t.Run("party age gaps", func(t *testing.T) { testPartyAgeGaps(t, s) })
	t.Run("one connection", func(t *testing.T) { testOneConnection(t, s) })
	t.Run("grassroots visits", func(t *testing.T) { testGrassrootsWays(t, s) })
}

// testCoverageWays counts the studies reached of Resolution 4 (the article's) and of every
// document, for the city in 2018, a ward and the province, every way.
func testCoverageWays(t *testing.T, s *Store) {
	ctx := context.Background()
	defer func(n int) { coverageJoinFrom = n }(coverageJoinFrom)
	var docs []string
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM documents`).Scan(new(int)); err != nil {
		t.Fatal(err)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id FROM documents ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		rows.Scan(&id)
		docs = append(docs, id)
	}
	rows.Close()
	for _, c := range []struct {
		org string
		day time.Time
	}{{"UB", time.Date(2018, 5, 31, 0, 0, 0, 0, time.UTC)}, {"QN-VANGDANH", time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}, {"QN", time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}} {
		org, err := s.Org(ctx, c.org, c.day)
		if err != nil {
			t.Fatal(err)
		}
		for _, ids := range [][]string{docs[:1], docs} {
			// Member by member, one join, and (for the province) the counts kept by the writes.
			var got [3]dangvu.Coverage
			for i, from := range []int{1 << 30, 0, -1} {
				coverageJoinFrom, coverageRead = from, from >= 0
				if got[i], err = s.coverageCounts(ctx, org, ids, dateArg(c.day)); err != nil {
					t.Fatal(err)
				}
			}
			coverageRead = false
			if !reflect.DeepEqual(got[0], got[1]) || !reflect.DeepEqual(got[0], got[2]) {
				t.Errorf("%s, %d documents: member by member %+v, one join %+v, kept %+v", c.org, len(ids), got[0], got[1], got[2])
			}
			if len(ids) == len(docs) && got[0].Reached == 0 {
				t.Errorf("%s: nothing reached: the check compares nothing", c.org)
			}
		}
	}
}

// testDuesWalk checks the report's member-by-member walk (duesWalk) against the subtree's whole
// ledger (duesLedger, the dues pages' computation) on the demo, whose cells carry bases,
// exemptions, payments and arrears: for the province, a ward and a cell, over a period across
// the 2026 rule change, with batches of the default size and of 7 members (batch boundaries
// inside the subtree, two workers out of step).
func testDuesWalk(t *testing.T, s *Store) {
	ctx := context.Background()
	var cell string
	if err := s.read.QueryRowContext(ctx, `SELECT org_id FROM dues_payments WHERE month = '2026-10' GROUP BY org_id ORDER BY COUNT(*) DESC, org_id LIMIT 1`).Scan(&cell); err != nil {
		t.Fatal(err)
	}
	from, to := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	defer func(n int) { duesWalkBatch = n }(duesWalkBatch)
	for _, org := range []string{"QN", "QN-VANGDANH", cell} {
		rc, err := s.reportContext(ctx, dangvu.ReportQuery{Org: org, From: from, To: to})
		if err != nil {
			t.Fatal(err)
		}
		want := ledgerMembers(t, s, rc)
		if len(want) == 0 {
			t.Fatalf("%s: no members in the ledger", org)
		}
		arrears := 0
		for _, m := range want {
			if len(m.arrears) > 0 {
				arrears++
			}
		}
		if org == "QN" && arrears == 0 {
			t.Fatalf("the demo has nobody in arrears in %s: the test compares nothing of the rule", org)
		}
		for _, n := range []int{1000, 7} {
			duesWalkBatch = n
			var got []duesMember
			if err := s.duesWalk(ctx, rc, func(m *duesMember) { got = append(got, *m) }); err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%s, batches of %d: %d members walked, the ledger has %d", org, n, len(got), len(want))
			}
			for i := range got {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Fatalf("%s, batches of %d: member %s walked as\n%+v\nthe ledger says\n%+v", org, n, want[i].id, got[i], want[i])
				}
			}
		}
		t.Logf("%s: %d members, %d in arrears", org, len(want), arrears)
	}
}

// ledgerMembers is what the report computed before the walk: every line of the subtree's
// ledger over the period, member by member, in id order.
func ledgerMembers(t *testing.T, s *Store, rc *reportCtx) []duesMember {
	from, to := rc.duesMonths()
	l, err := s.duesLedger(context.Background(), rc.org, ledgerOpts{lean: true}, from, to)
	if err != nil {
		t.Fatal(err)
	}
	var out []duesMember
	end := rc.q.To.AddDate(0, 0, 1)
	for _, m := range l.members {
		dm := duesMember{id: m, paidAll: true}
		for _, x := range l.lines[m] {
			if !x.in {
				continue
			}
			dm.cell = x.cell
			if x.owing.Owed > 0 {
				dm.owedMonths++
				dm.owed += x.owing.Owed
				if x.pay == nil || x.pay.Amount < x.owing.Owed {
					dm.paidAll = false
				}
			}
			if x.pay != nil {
				dm.paid += x.pay.Amount
			}
			if pct, _ := dues.Relief(l.exempt[m], x.month); pct >= 100 {
				dm.exempt = true
			}
		}
		if dm.cell == "" {
			continue
		}
		dm.arrears = l.arrears(m, end)
		dm.exemptions = l.exempt[m]
		out = append(out, dm)
	}
	slices.SortFunc(out, func(a, b duesMember) int {
		if a.id < b.id {
			return -1
		}
		return 1
	})
	return out
}
