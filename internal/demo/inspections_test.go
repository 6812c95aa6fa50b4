package demo

import (
	"context"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/store"
	"dangvu/internal/storetest"
)

// The inspection tables are registered by the store's inspection domain; importing the store
// (as every program that loads the demo does) registers them for the other tests too.

// TestInspectionFigures loads the demo through the ordinary import and asks the real report for
// the article's inspection and discipline figures (figures.md F8–F10), over the period from the
// city committee's 2015–2020 term start, as the report itself gives it, to 31/05/2018.
func TestInspectionFigures(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo")
	}
	t.Run("sqlite", func(t *testing.T) { s, _ := loaded(t); testInspectionFigures(t, s, false) })
	t.Run("postgres", func(t *testing.T) { testInspectionFigures(t, storetest.OpenPostgres(t), true) })
}

func testInspectionFigures(t *testing.T, s *store.Store, load bool) {
	ctx := context.Background()
	if load {
		if _, err := s.Import(ctx, built(t).Reader(), store.ImportOptions{Actor: "test", Source: "demo"}); err != nil {
			t.Fatal(err)
		}
	}
	to := time.Date(2018, 5, 31, 0, 0, 0, 0, time.UTC)
	first, err := s.TermReport(ctx, dangvu.ReportQuery{Org: "Đảng bộ thành phố Uông Bí", From: time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC), To: to})
	if err != nil {
		t.Fatal(err)
	}
	ts, _ := first.Get("term_start")
	from, err := dangvu.ParseISODate(ts.(string))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := first.Get("admission_rate_pct_per_year"); v != 4.05 {
		t.Errorf("admission rate from 01/01/2015: %v, want 4.05 (the expulsions must not shift it)", v)
	}
	q := dangvu.ReportQuery{Org: "Đảng bộ thành phố Uông Bí", From: from, To: to}
	r, err := s.TermReport(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]int{
		"committee_inspection_rounds":       10,
		"committee_inspected_organisations": 110,
		"disciplined_organisations":         2,
		"disciplined_members":               48,
	} {
		if v, _ := r.Get(key); v != want {
			t.Errorf("%s = %v, want %d", key, v, want)
		}
	}
	visits, _ := r.Get("grassroots_inspection_visits")
	if n, _ := visits.(int); n <= 1300 || n > 1400 {
		t.Errorf("grassroots_inspection_visits = %v, want a little above 1.300", visits)
	}
	// Each count's drill-down lists exactly what it counts.
	for _, key := range []string{"committee_inspection_rounds", "committee_inspected_organisations", "commission_inspection_rounds",
		"grassroots_inspection_visits", "disciplined_organisations", "disciplined_members"} {
		l, err := s.ReportList(ctx, q, key)
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := r.Get(key); len(l.Rows) != v {
			t.Errorf("%s: %d rows behind the figure %v", key, len(l.Rows), v)
		}
	}
	// Later years: cases still open, an appeal waiting for its answer.
	att, err := s.Attention(ctx, "QN", time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), dangvu.UserAdmin)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, a := range att {
		kinds[a.Kind]++
	}
	for _, k := range []string{"discipline_appeal_due", "inspection_follow_up_due"} {
		if kinds[k] == 0 {
			t.Errorf("no attention item %s on 27/11/2026: %v", k, kinds)
		}
	}
	t.Logf("attention on 27/11/2026: %v", kinds)
	// After the period: one decision lessened and one annulled by an appeal; the annulled one
	// leaves the year's disciplined_members from its resolution date (docs/inspection.md).
	as, err := s.Appeals(ctx, "", "", false)
	if err != nil {
		t.Fatal(err)
	}
	var annulled dangvu.DisciplineAppeal
	outcomes := map[dangvu.AppealOutcome]int{}
	for _, a := range as {
		outcomes[a.Outcome]++
		if a.Outcome == "annulled" {
			annulled = a
		}
	}
	if outcomes["lessened"] != 1 || outcomes["annulled"] != 1 {
		t.Fatalf("appeal outcomes: %v", outcomes)
	}
	d, err := s.Discipline(ctx, annulled.DisciplineID)
	if err != nil {
		t.Fatal(err)
	}
	year := func(asOf string) int {
		from, _ := dangvu.ParseISODate(d.DecidedOn.String()[:4] + "-01-01")
		end, _ := dangvu.ParseISODate(d.DecidedOn.String()[:4] + "-12-31")
		at, _ := dangvu.ParseISODate(asOf)
		r, err := s.TermReport(ctx, dangvu.ReportQuery{Org: "QN", From: from, To: end, AsOf: at})
		if err != nil {
			t.Fatal(err)
		}
		v, _ := r.Get("disciplined_members")
		n, _ := v.(int)
		return n
	}
	before, _ := dangvu.RequireDate(annulled.ResolvedOn)
	if b, a := year(dangvu.ISO(before.AddDate(0, 0, -1))), year(annulled.ResolvedOn.String()); b != a+1 {
		t.Errorf("disciplined_members of %s as of the day before the annulment %d, on it %d", d.DecidedOn.String()[:4], b, a)
	}
}
