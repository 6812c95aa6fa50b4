package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dangvu"
)

// testDuesKept checks the dues figures kept for the top of the tree (dues_kept.go) on the demo:
// the rows against a recomputation from the records, and the report's figures read from them
// against the members walked, for the root and the province over periods starting and ending
// mid-year, across the 2026 rule change, running into the years ahead and before any dues
// record; then again after writes that change them (a payment of a month owed, an exemption, a
// new basis, a transfer), and the fallback to the walk when the table is stale.
func testDuesKept(t *testing.T, s *Store) {
	ctx := context.Background()
	agree := func(when string) {
		t.Helper()
		diffs, err := s.DuesKeptAgree(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(diffs) > 0 {
			t.Fatalf("%s: dues_kept differs from the records (%d):\n%s", when, len(diffs), strings.Join(diffs[:min(10, len(diffs))], "\n"))
		}
	}
	var rows int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM dues_kept`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows == 0 {
		t.Fatal("the import kept no dues figures")
	}
	agree("after the import")
	root := demoRoot(t, s)
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	periods := [][2]time.Time{
		{d(2025, 3, 1), d(2026, 11, 20)}, {d(2026, 1, 1), d(2026, 12, 31)}, {d(2026, 2, 15), d(2026, 6, 30)},
		{d(2025, 12, 1), d(2026, 3, 31)}, {d(2024, 1, 1), d(2027, 12, 31)}, {d(2026, 7, 1), d(2026, 10, 31)},
		{d(2026, 4, 1), d(2026, 9, 14)}, {d(2015, 1, 1), d(2018, 5, 31)},
	}
	compare := func(when string) {
		t.Helper()
		arrears := 0
		for _, org := range []string{root, "QN"} {
			for _, p := range periods {
				rc, err := s.reportContext(ctx, dangvu.ReportQuery{Org: org, From: p[0], To: p[1]})
				if err != nil {
					t.Fatal(err)
				}
				kept, ok, err := s.duesKeptFigures(ctx, rc)
				if err != nil {
					t.Fatal(err)
				}
				if !ok {
					t.Fatalf("%s %s–%s: the kept figures were not used", org, dateArg(p[0]), dateArg(p[1]))
				}
				walked, err := s.duesStats(ctx, rc, nil)
				if err != nil {
					t.Fatal(err)
				}
				var got, want string
				for _, k := range []string{"dues_members_liable", "dues_members_paid_all", "dues_members_in_arrears_3m", "dues_members_exempt"} {
					got += fmt.Sprintf("%s %d ", k, kept.counts[k])
					want += fmt.Sprintf("%s %d ", k, walked.counts[k])
				}
				got += fmt.Sprint("owed ", kept.owed, " paid ", kept.paid)
				want += fmt.Sprint("owed ", walked.owed, " paid ", walked.paid)
				if got != want {
					t.Errorf("%s: %s %s–%s: kept %s, walked %s", when, org, dateArg(p[0]), dateArg(p[1]), got, want)
				}
				arrears += walked.counts["dues_members_in_arrears_3m"]
			}
		}
		if arrears == 0 {
			t.Fatalf("%s: nobody in arrears in any period: the arrears rows are not checked", when)
		}
	}
	compare("after the import")

	// A member in arrears pays one of the months, another is exempted, a third gets a new basis.
	rc, err := s.reportContext(ctx, dangvu.ReportQuery{Org: "QN", From: d(2026, 1, 1), To: d(2026, 10, 31)})
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.duesStats(ctx, rc, func(m duesMember) bool { return len(m.arrears) > 0 })
	if err != nil {
		t.Fatal(err)
	}
	if len(st.members) < 2 {
		t.Fatalf("%d members in arrears in QN in 2026: need two", len(st.members))
	}
	late := st.members[0]
	if _, err := s.RecordDuesPayments(ctx, "test", late.cell, []dangvu.DuesPayment{{Member: late.id, Org: late.cell, Month: late.arrears[0],
		Amount: 100000, Paid: dangvu.DateOf(d(2026, 11, 2)), Channel: dangvu.DuesCash}}); err != nil {
		t.Fatal(err)
	}
	agree("after a payment")
	ex := st.members[1]
	// Decided by the committee directly above the member's cell.
	var path string
	if err := s.read.QueryRowContext(ctx, `SELECT path FROM org_paths WHERE org_id = ? AND valid_from <= '2026-03-01' AND valid_to > '2026-03-01'`, ex.cell).Scan(&path); err != nil {
		t.Fatal(err)
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if _, err := s.AddDuesExemption(ctx, "test", dangvu.DuesExemption{Member: ex.id, Kind: "hardship", Pct: 100,
		From: dangvu.DateOf(d(2026, 3, 1)), To: dangvu.DateOf(d(2026, 8, 31)), DecidedBy: segs[len(segs)-2], Decision: "01-QĐ"}); err != nil {
		t.Fatal(err)
	}
	agree("after an exemption")
	if _, err := s.AddDuesBasis(ctx, "test", dangvu.DuesBasis{Member: ex.id, From: dangvu.DateOf(d(2026, 6, 10)), Group: "student"}); err != nil {
		t.Fatal(err)
	}
	agree("after a basis")
	compare("after the writes")

	// A table computed under other rules is not read, and the next write marks it stale; the
	// next Migrate rebuilds it.
	if _, err := s.write.ExecContext(ctx, `UPDATE kept_state SET rules = 'other' WHERE name = 'dues'`); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.duesKeptFigures(ctx, rc); err != nil || ok {
		t.Fatalf("figures under other rules read: ok %v, %v", ok, err)
	}
	if _, err := s.AddDuesBasis(ctx, "test", dangvu.DuesBasis{Member: late.id, From: dangvu.DateOf(d(2026, 9, 3)), Group: "student"}); err != nil {
		t.Fatal(err)
	}
	var rules string
	if err := s.read.QueryRowContext(ctx, `SELECT rules FROM kept_state WHERE name = 'dues'`).Scan(&rules); err != nil || rules != "" {
		t.Fatalf("after a write under other rules the state is %q (%v), want stale", rules, err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	agree("after the rebuild")
	compare("after the rebuild")
}

// BenchmarkKeptCompute times the computation of every member's kept rows (what the import, a
// full roster rebuild and a rules change pay), each kind apart: on the demo, or on the SQLite
// database DANGVU_BENCH_DB (a generated set imported with its dangvu.key beside it).
func BenchmarkKeptCompute(b *testing.B) {
	ctx := context.Background()
	var s *Store
	if db := os.Getenv("DANGVU_BENCH_DB"); db != "" {
		var err error
		if s, err = OpenWith(ctx, db, Options{KeyFile: filepath.Join(filepath.Dir(db), KeyFileName)}); err != nil {
			b.Fatal(err)
		}
		defer s.Close()
	} else {
		s = loadDemo(b, b.TempDir()+"/demo.db")
	}
	st, err := readKeptState(ctx, s.read, "dues")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("dues", func(b *testing.B) {
		for range b.N {
			d, err := s.computeDuesKept(ctx, s.read, st.horizon)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(len(d)), "rows")
		}
	})
	// Every table in one pass, written in a transaction rolled back.
	b.Run("all", func(b *testing.B) {
		for range b.N {
			tx, err := s.write.BeginTx(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			if err := s.rebuildKept(ctx, tx); err != nil {
				b.Fatal(err)
			}
			tx.Rollback()
		}
	})
	for _, k := range reachKinds {
		b.Run(k.name, func(b *testing.B) {
			for range b.N {
				d, err := computeReached(ctx, s.read, k)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(len(d)), "keys")
			}
		})
	}
}
