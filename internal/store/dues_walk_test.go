package store

import (
	"context"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/demo"
	"dangvu/internal/exchange"
	"dangvu/internal/rules/dues"
)

// TestDuesWalk checks the report's member-by-member walk (duesWalk) against the subtree's whole
// ledger (duesLedger, the dues pages' computation) on the demo, whose cells carry bases,
// exemptions, payments and arrears: for the province, a ward and a cell, over a period across
// the 2026 rule change, with batches of the default size and of 7 members (batch boundaries
// inside the subtree, two workers out of step).
func TestDuesWalk(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo")
	}
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	m := exchange.NewMemory()
	if err := demo.Build(m, 2018); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, m.Reader(), ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
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
