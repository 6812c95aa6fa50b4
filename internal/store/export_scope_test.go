package store_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/store"
	"dangvu/internal/storetest"
)

func TestExportUnderSQLite(t *testing.T) { testExportUnder(t, storetest.OpenSQLite(t)) }

func TestExportUnderPostgres(t *testing.T) {
	if os.Getenv(storetest.PostgresEnv) == "" {
		t.Skipf("%s is not set", storetest.PostgresEnv)
	}
	testExportUnder(t, storetest.OpenPostgres(t))
}

func column(t *testing.T, m *exchange.Memory, table, col string) []string {
	t.Helper()
	var out []string
	if err := m.Reader().Each(table, func(_ int, rec exchange.Record) error { out = append(out, rec.Get(col)); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// testExportUnder exports the subtree of cell K1 and of ward PD from the sample: only their
// organisations, only memberships in them; everything with an empty organisation.
func testExportUnder(t *testing.T, s *store.Store) {
	ctx := context.Background()
	r, err := exchange.Open("../../testdata/sample")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, r, store.ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	full := exchange.NewMemory()
	if err := s.Export(ctx, full, nil); err != nil {
		t.Fatal(err)
	}
	all := exchange.NewMemory()
	counts, err := s.ExportUnder(ctx, all, "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range exchange.Tables() {
		if counts[tb.Name] != full.Len(tb.Name) || all.Len(tb.Name) != full.Len(tb.Name) {
			t.Errorf("%s: ExportUnder(\"\") wrote %d (said %d), Export %d", tb.Name, all.Len(tb.Name), counts[tb.Name], full.Len(tb.Name))
		}
	}
	for _, root := range []string{"K1", "PD"} {
		m := exchange.NewMemory()
		counts, err := s.ExportUnder(ctx, m, root, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		orgs := map[string]bool{}
		for _, id := range column(t, m, "organisations", "id") {
			orgs[id] = true
		}
		if !orgs[root] || orgs["UB"] || (root == "K1" && orgs["K2"]) {
			t.Errorf("%s: organisations %v", root, orgs)
		}
		for _, id := range column(t, m, "memberships", "org_id") {
			if !orgs[id] {
				t.Errorf("%s: membership in %s", root, id)
			}
		}
		if counts["members"] == 0 || counts["members"] != m.Len("members") || (root == "K1" && counts["members"] >= full.Len("members")) {
			t.Errorf("%s: %d members of %d", root, counts["members"], full.Len("members"))
		}
		if err := s.LogExport(ctx, "test", store.ExportRequest{OrgID: root, AsOf: time.Now(), Role: dangvu.UserAdmin}, store.ExportSummary{Rows: counts}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.ExportUnder(ctx, exchange.NewMemory(), "XX", time.Now()); dangvu.ErrorCode(err) != dangvu.ENotFound {
		t.Errorf("unknown organisation: %v", err)
	}
	if log, err := s.AuditLog(ctx, "dataset", "PD", 1); err != nil || len(log) != 1 || log[0].Action != "export" {
		t.Errorf("audit: %v %+v", err, log)
	}
	if n, err := s.VerifyAudit(ctx); err != nil {
		t.Errorf("audit chain after %d entries: %v", n, err)
	}
}

func TestSubtreeReportsSQLite(t *testing.T) { testSubtreeReports(t, storetest.OpenSQLite) }

func TestSubtreeReportsPostgres(t *testing.T) {
	if os.Getenv(storetest.PostgresEnv) == "" {
		t.Skipf("%s is not set", storetest.PostgresEnv)
	}
	testSubtreeReports(t, storetest.OpenPostgres)
}

// testSubtreeReports: the sample's ward and cell, with every domain's rows, exported alone and
// imported into an empty database, report every key as the whole sample does (issue 21).
func testSubtreeReports(t *testing.T, open func(t *testing.T) *store.Store) {
	src := open(t)
	r, err := exchange.Open("../../testdata/sample")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Import(t.Context(), r, store.ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, err := src.Import(t.Context(), aboveSubtree().Reader(), store.ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	periods := []storetest.Period{{From: "2015-01-01", To: "2020-12-31"}, {From: "2020-01-01", To: "2025-06-30"}, {From: "2025-07-01", To: "2026-11-30"}, {From: "2024-01-01", To: "2026-12-06"}}
	for _, root := range []string{"PD", "K1", "UB"} {
		t.Run(root, func(t *testing.T) {
			m := storetest.SameSubtreeReports(t, src, open, root, periods)
			// Only the subtree's own reviews go with the province's campaign (the city's subtree,
			// taken over all time, holds the ward that was its own until 2025).
			all := []string{"RV2025-QN-M-M1", "RV2025-QN-M-M3", "RV2025-QN-O-K1", "RV2025-QN-O-PD"}
			want := map[string][]string{"PD": all, "UB": all, "K1": {"RV2025-QN-M-M1", "RV2025-QN-O-K1"}}[root]
			if got := column(t, m, "reviews", "id"); !slices.Equal(got, want) {
				t.Errorf("%s's file carries the reviews %v, want %v", root, got, want)
			}
			// Merged back into the database it came from, the unchanged file changes nothing
			// (the documents above it that it carries as its own incoming ones stay as stored).
			res, err := src.Import(t.Context(), m.Reader(), store.ImportOptions{Actor: "test", DryRun: true})
			if err != nil {
				t.Fatalf("dry run of the subtree's own file: %v", err)
			}
			noChanges(t, "the subtree's own file", res)
			// Its staff may import it into their own subtree: the reference conferences are
			// stored ones their members attended.
			if _, err := src.Import(t.Context(), m.Reader(), store.ImportOptions{Actor: "test", DryRun: true, Within: root}); err != nil {
				t.Errorf("the subtree's own file, imported within %s: %v", root, err)
			}
			if root == "PD" {
				mergeKeepsReferences(t, open, m)
			}
			if root == "K1" {
				withinNeedsStoredReferences(t, open, m)
			}
			// A staff user's export (what their pages show, revealed: masked numbers are refused on
			// import) imports alone too.
			for _, role := range []dangvu.UserRole{dangvu.UserStaffOrg, dangvu.UserSecretary} {
				mine := exchange.NewMemory()
				if _, err := src.ExportFor(t.Context(), mine, store.ExportRequest{OrgID: root, AsOf: time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC), Role: role, Reveal: true}); err != nil {
					t.Fatal(err)
				}
				if _, err := open(t).Import(t.Context(), mine.Reader(), store.ImportOptions{Actor: "test"}); err != nil {
					t.Errorf("%s's export of %s into an empty database: %v", role, root, err)
				}
			}
		})
	}
}

// aboveSubtree is what the sample lacks for issue 21's figures:
//   - a resolution of the province, studied at a conference of the ward PD (the ward's file
//     carries it as its own incoming document), at one of its cell K1, and at a conference of the
//     province itself (outside both subtrees) where M1 was present; M2 was present at the ward's.
//     The ward's and the cell's coverage then count a presence at a conference outside them;
//   - the province's review campaign of 2025, with the ratings of M1 (cell K1), M3 (cell K2), the
//     cell K1 and the ward PD: the ward's and the cell's review figures count reviews of a
//     campaign outside them;
//   - the end of the city UB (an event no version names, as a dissolution leaves none) and the
//     city's handover of its dues balance to the province on that event: the city's file must
//     carry the event its remittance names.
func aboveSubtree() *exchange.Memory {
	m := exchange.NewMemory()
	m.Row("reorganisations", []string{"E2025-UB-END", "2025-07-01", "dissolve", "Số 1233-NQ/TU", "Kết thúc hoạt động của Đảng bộ thành phố Uông Bí"})
	m.Row("dues_remittances", []string{"DR-UB-1", "UB", "2025-06", "handover", "QN", "0", "0", "1500000", "2025-07-01", "2025-07-01", "E2025-UB-END", "Bàn giao số dư đảng phí khi sắp xếp tổ chức"})
	m.Row("campaigns", []string{"RV2025-QN", "QN", "Kiểm điểm, đánh giá, xếp loại năm 2025", "year", "2025-01-01", "2025-12-31", "", "2025-11-15", "Số 50-HD/TU"})
	m.Row("campaign_steps", []string{"RV2025-QN", "self", "2025-12-10"})
	m.Row("campaign_steps", []string{"RV2025-QN", "decision", "2026-01-15"})
	for _, r := range [][4]string{{"M-M1", "member", "M1", "K1"}, {"M-M3", "member", "M3", "K2"}, {"O-K1", "org", "", "K1"}, {"O-PD", "org", "", "PD"}} {
		decider, rating := "PD", "good"
		if r[3] == "PD" {
			decider, rating = "QN", "excellent"
		}
		row := make([]string, 27)
		copy(row, []string{"RV2025-QN-" + r[0], "RV2025-QN", r[1], r[2], r[3], decider})
		row[10], row[11], row[18], row[19], row[24] = "1", "0", rating, "2026-01-10", "0"
		m.Row("reviews", row)
	}
	m.Row("documents", []string{"D-QN-1", "QN", "own", "01-NQ/TU", "", "2025-08-01", "", "Nghị quyết của Tỉnh ủy", "", "", "", ""})
	m.Row("conferences", []string{"HN-QN-1", "conference", "QN", "QN", "Hội nghị quán triệt nghị quyết", "2025-08-15", "", "", "", "0"})
	m.Row("conferences", []string{"HN-PD-1", "conference", "PD", "PD", "Học tập nghị quyết", "2025-09-01", "", "", "", "0"})
	m.Row("conferences", []string{"HN-K1-1", "conference", "K1", "K1", "Học tập nghị quyết ở chi bộ", "2025-10-01", "", "", "", "0"})
	for _, c := range []string{"HN-QN-1", "HN-PD-1", "HN-K1-1"} {
		m.Row("conference_documents", []string{c, "D-QN-1"})
	}
	m.Row("attendance", []string{"HN-QN-1", "M1", "present", "", ""})
	m.Row("attendance", []string{"HN-QN-1", "M3", "absent", "", ""})
	m.Row("attendance", []string{"HN-PD-1", "M1", "absent", "", ""})
	m.Row("attendance", []string{"HN-PD-1", "M2", "present", "", ""})
	m.Row("attendance", []string{"HN-K1-1", "M1", "absent", "", ""})
	return m
}

// noChanges fails when a dry run would change any table.
func noChanges(t *testing.T, what string, res store.ImportResult) {
	t.Helper()
	for tb, c := range res.Changes {
		if c.Added != 0 || c.Changed != 0 || c.Removed != 0 {
			t.Errorf("%s would change %s: %+v", what, tb, c)
		}
	}
}

// mergeKeepsReferences merges the ward's file into a database whose copy of the province's
// conference differs from the file's (another title, another sheet line, one more document
// studied), and whose copy of the province's review campaign does too (another name, another
// deadline): they are the province's, references in the ward's file; the differences are
// conflicts, listed with both values, and the import — a dry run too — writes nothing, so they
// stay as stored. The document the file does not name is no conflict: the file carries only what
// it studied.
func mergeKeepsReferences(t *testing.T, open func(t *testing.T) *store.Store, file *exchange.Memory) {
	t.Helper()
	if got := column(t, file, "conferences", "id"); !slices.Contains(got, "HN-QN-1") {
		t.Fatalf("the ward's file lacks the province's conference its members attended: %v", got)
	}
	s := open(t)
	r, err := exchange.Open("../../testdata/sample")
	if err != nil {
		t.Fatal(err)
	}
	edit := exchange.NewMemory()
	edit.Row("documents", []string{"D-QN-2", "QN", "own", "02-NQ/TU", "", "2025-08-02", "", "Nghị quyết khác của Tỉnh ủy", "", "", "", ""})
	edit.Row("conferences", []string{"HN-QN-1", "conference", "QN", "QN", "Hội nghị quán triệt (Tỉnh ủy sửa tên)", "2025-08-15", "", "", "", "0"})
	edit.Row("conference_documents", []string{"HN-QN-1", "D-QN-1"})
	edit.Row("conference_documents", []string{"HN-QN-1", "D-QN-2"})
	edit.Row("attendance", []string{"HN-QN-1", "M3", "absent_excused", "Ốm", ""})
	edit.Row("campaigns", []string{"RV2025-QN", "QN", "Kiểm điểm năm 2025 (Tỉnh ủy sửa tên)", "year", "2025-01-01", "2025-12-31", "", "2025-11-15", "Số 50-HD/TU"})
	edit.Row("campaign_steps", []string{"RV2025-QN", "self", "2025-12-05"})
	for _, in := range []exchange.Reader{r, aboveSubtree().Reader(), edit.Reader()} {
		if _, err := s.Import(t.Context(), in, store.ImportOptions{Actor: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	before, err := storetest.Digest(t.Context(), s)
	if err != nil {
		t.Fatal(err)
	}
	for _, dry := range []bool{true, false} {
		_, err := s.Import(t.Context(), file.Reader(), store.ImportOptions{Actor: "test", DryRun: dry})
		var e *dangvu.Error
		if !errors.As(err, &e) || e.Code != dangvu.EConflict {
			t.Fatalf("the ward's file over other copies of the province's conference and campaign (dry run %v): %v, want a conflict", dry, err)
		}
		var got []string
		for _, c := range e.Conflicts {
			got = append(got, c.Table+"/"+c.Field)
		}
		if want := []string{"conferences/title", "attendance/status", "attendance/reason", "campaigns/name", "campaign_steps/due"}; !slices.Equal(got, want) {
			t.Errorf("conflicts %v, want %v", got, want)
		}
		if after, _ := storetest.Digest(t.Context(), s); after != before {
			t.Error("an import with conflicts wrote")
		}
	}
	c, err := s.Conference(t.Context(), "HN-QN-1")
	if err != nil || c.Title != "Hội nghị quán triệt (Tỉnh ủy sửa tên)" || !slices.Equal(c.DocumentIDs, []string{"D-QN-1", "D-QN-2"}) {
		t.Errorf("the province's conference after the merge: %+v (%v)", c, err)
	}
	sheet, err := s.Sheet(t.Context(), "HN-QN-1")
	if i := slices.IndexFunc(sheet, func(a dangvu.Attendance) bool { return a.MemberID == "M3" }); err != nil || i < 0 || sheet[i].Status != dangvu.AttExcused {
		t.Errorf("the province's sheet after the merge: %+v (%v)", sheet, err)
	}
	camp, err := s.Campaign(t.Context(), "RV2025-QN")
	if err != nil || camp.Name != "Kiểm điểm năm 2025 (Tỉnh ủy sửa tên)" || len(camp.Steps) == 0 || camp.Steps[0].Step != dangvu.StepSelf || camp.Steps[0].Due.String() != "2025-12-05" {
		t.Errorf("the province's campaign after the merge: %+v (%v)", camp, err)
	}
}

// withinNeedsStoredReferences imports the cell's file, within the cell, into a database that
// lacks the province's conference and campaign it carries as references: the cell's staff may
// not add another organisation's conference or campaign, so both are refused with their rows.
func withinNeedsStoredReferences(t *testing.T, open func(t *testing.T) *store.Store, file *exchange.Memory) {
	t.Helper()
	s := open(t)
	r, err := exchange.Open("../../testdata/sample")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(t.Context(), r, store.ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	_, err = s.Import(t.Context(), file.Reader(), store.ImportOptions{Actor: "test", Within: "K1"})
	var de *dangvu.Error
	if !errors.As(err, &de) {
		t.Fatalf("the cell's file within the cell, over a database without the province's references: %v", err)
	}
	refused := map[string]bool{}
	for _, f := range de.Fields {
		refused[f.Table] = true
	}
	if !refused["conferences"] || !refused["campaigns"] {
		t.Errorf("refused %v, want the province's conference and campaign among them: %v", refused, err)
	}
}
