package main

import (
	"context"
	"io"
	"path/filepath"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/store"
)

// TestDemoAdmissions loads the demo and checks, through the store's real code, that the ward
// committees of today see admission reminders (a decision due or overdue, a ceremony late, a
// probation ending), that the article's admissions are counted from the admission decisions,
// and that the drill-down lists exactly them.
func TestDemoAdmissions(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo data set")
	}
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := loadDemo(ctx, s, io.Discard); err != nil {
		t.Fatal(err)
	}
	today, _ := dangvu.ParseISODate("2026-11-27")
	kinds := map[string]int{}
	for _, ward := range []string{"Đảng bộ phường Uông Bí", "Đảng bộ phường Vàng Danh", "Đảng bộ phường Yên Tử"} {
		o, err := s.ResolveOrg(ctx, ward, today)
		if err != nil {
			t.Fatal(err)
		}
		items, err := s.Attention(ctx, o.ID, today, dangvu.UserAdmin)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			kinds[it.Kind]++
		}
	}
	for _, k := range []string{"admission_decision_due", "admission_ceremony_due", "probation_ending", "transfer_not_presented"} {
		if kinds[k] == 0 {
			t.Errorf("no %s reminder in the wards today: %v", k, kinds)
		}
	}
	q := dangvu.ReportQuery{Org: "Đảng bộ thành phố Uông Bí", From: time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2018, 5, 31, 0, 0, 0, 0, time.UTC)}
	l, err := s.ReportList(ctx, q, "admitted")
	if err != nil {
		t.Fatal(err)
	}
	fromFiles := 0
	for _, row := range l.Rows {
		if row[0] != "" && row[3] != "" {
			fromFiles++
		}
	}
	if len(l.Rows) != 884 || fromFiles != 884 {
		t.Errorf("admitted drill-down: %d rows, %d from admission decisions; want 884 of 884", len(l.Rows), fromFiles)
	}
	t.Logf("reminders today in the three wards: %v", kinds)
	// The list of a city's files is read in a few queries, not one per file.
	start := time.Now()
	ub, _ := s.ResolveOrg(ctx, "Đảng bộ thành phố Uông Bí", q.To)
	files, err := s.AdmissionFiles(ctx, dangvu.AdmissionFilter{Under: ub.ID, Limit: 5000}, q.To)
	if err != nil {
		t.Fatal(err)
	}
	probation := 0
	for _, f := range files {
		if f.State == "probation" {
			probation++
		}
	}
	t.Logf("%d files under Uông Bí on 31/05/2018 (%d in probation) in %v", len(files), probation, time.Since(start))
	if probation == 0 || len(files) < 884 {
		t.Errorf("files under Uông Bí on 31/05/2018: %d, %d in probation", len(files), probation)
	}
}
