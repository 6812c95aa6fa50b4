package store_test

import (
	"context"
	"slices"
	"testing"

	"dangvu"
	"dangvu/internal/demo"
	"dangvu/internal/exchange"
	"dangvu/internal/store"
	"dangvu/internal/storetest"
)

// The import decoders of every table, fuzzed (issue 12): rows of arbitrary text go through the
// reader's cell checks and the table's decoder into a SQLite store loaded with the conformance
// fixture. Whatever the rows, the import must not panic, must fail only with a user-facing
// error, and a refused import must leave the store exactly as it was (all or nothing).
//
// CI runs the seeds as ordinary tests. A longer run of one table (docs/security.md):
//
//	go test ./internal/store -run '^$' -fuzz '^FuzzImportMembers$' -fuzztime 10m
//
// The seeds of each table: the fixture's and the demo's first rows, and each with one column
// emptied or made nonsense.
func fuzzImport(f *testing.F, table string) {
	ctx := context.Background()
	t, ok := exchange.Lookup(table)
	if !ok {
		f.Fatalf("no table %s", table)
	}
	s, err := storetest.LoadedSQLite(ctx, f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	seeds, err := storetest.SeedRows(ctx, s, table, 2)
	if err != nil {
		f.Fatal(err)
	}
	seeds = append(seeds, demoRows(f, table, 2)...)
	if table == "external_organisations" {
		// A whole export has no stubs: one the database lacks under a stored parent, one it holds.
		seeds = append(seeds, []string{"QN-X", "2000-01-01", "", "Đảng bộ phường X", "QN", "grassroots_committee", "ward", "ĐU", "reference"},
			[]string{"QN", "1963-10-30", "", "Đảng bộ tỉnh Quảng Ninh", "TW", "province", "province", "TU", "ancestor"})
	}
	if len(seeds) == 0 {
		seeds = append(seeds, slices.Clone(t.Columns))
	}
	for _, row := range seeds {
		f.Add(storetest.JoinRows([][]string{row}))
		for i := range row {
			for _, bad := range []string{"", "magic", "-1", "31/02/2020", "2030-01-01", "1899", "x\x00y", "\xff\xfe"} {
				if i%3 != 0 && bad != "" && bad != "magic" {
					continue // every column emptied and made nonsense; the rest on a third of them
				}
				r := slices.Clone(row)
				r[i] = bad
				f.Add(storetest.JoinRows([][]string{r}))
			}
		}
		f.Add(storetest.JoinRows([][]string{row, row}))
	}
	f.Fuzz(func(tt *testing.T, data string) {
		before, err := storetest.Digest(ctx, s)
		if err != nil {
			tt.Fatal(err)
		}
		m := exchange.NewMemory()
		for _, r := range storetest.SplitRows(data, len(t.Columns)) {
			if err := m.Row(table, r); err != nil {
				tt.Fatal(err)
			}
		}
		_, err = s.Import(ctx, m.Reader(), store.ImportOptions{Actor: "fuzz", Source: table})
		if err == nil {
			return
		}
		// Bad rows are invalid; a stub of a stored organisation that differs from it is a
		// conflict (import_merge.go): both are messages for the user.
		if c := dangvu.ErrorCode(err); c != dangvu.EInvalid && c != dangvu.EConflict {
			tt.Fatalf("bad rows gave a system error, not a message: %v", err)
		}
		after, derr := storetest.Digest(ctx, s)
		if derr != nil {
			tt.Fatal(derr)
		}
		if after != before {
			tt.Fatalf("a refused import changed the store: %v", err)
		}
	})
}

var demoSet *exchange.Memory

// demoRows returns the first rows of a table of the demo data set (built once, not imported).
func demoRows(f *testing.F, table string, n int) [][]string {
	if demoSet == nil {
		demoSet = exchange.NewMemory()
		if err := demo.Build(demoSet, 2018); err != nil {
			f.Fatal(err)
		}
	}
	t, _ := exchange.Lookup(table)
	var out [][]string
	demoSet.Reader().Each(table, func(_ int, rec exchange.Record) error {
		if len(out) < n {
			row := make([]string, len(t.Columns))
			for i, c := range t.Columns {
				row[i] = rec.Get(c)
			}
			out = append(out, row)
		}
		return nil
	})
	return out
}

// fuzzed lists the tables with a fuzz target below; TestEveryTableFuzzed keeps it complete.
var fuzzed = []string{
	"reorganisations", "external_organisations", "organisations", "terms", "localities", "units", "members", "member_statuses",
	"memberships", "movements", "posts",
	"admission_files", "admission_steps", "life_acts",
	"documents", "tasks", "task_notes", "conferences", "conference_documents", "attendance", "reflections", "inspection_fields", "inspection_programmes", "inspection_rounds", "inspection_subjects", "disciplines", "discipline_appeals", "campaigns", "campaign_steps", "reviews", "review_marks", "review_scores", "remedies",
	"dues_bases", "dues_exemptions", "dues_payments", "dues_remittances",
	"org_codes", "member_details", "family_members", "file_documents", "supplements", "cards", "badges",
	"meetings", "meeting_attendance", "meeting_decisions", "residence_links", "residence_comments",
}

func TestEveryTableFuzzed(t *testing.T) {
	for _, tb := range exchange.Tables() {
		if !slices.Contains(fuzzed, tb.Name) {
			t.Errorf("table %s has no import fuzz target (internal/store/fuzz_test.go)", tb.Name)
		}
	}
}

func FuzzImportReorganisations(f *testing.F)       { fuzzImport(f, "reorganisations") }
func FuzzImportExternalOrganisations(f *testing.F) { fuzzImport(f, "external_organisations") }
func FuzzImportOrganisations(f *testing.F)         { fuzzImport(f, "organisations") }
func FuzzImportTerms(f *testing.F)                 { fuzzImport(f, "terms") }
func FuzzImportLocalities(f *testing.F)            { fuzzImport(f, "localities") }
func FuzzImportUnits(f *testing.F)                 { fuzzImport(f, "units") }
func FuzzImportMembers(f *testing.F)               { fuzzImport(f, "members") }
func FuzzImportMemberStatuses(f *testing.F)        { fuzzImport(f, "member_statuses") }
func FuzzImportMemberships(f *testing.F)           { fuzzImport(f, "memberships") }
func FuzzImportMovements(f *testing.F)             { fuzzImport(f, "movements") }
func FuzzImportPosts(f *testing.F)                 { fuzzImport(f, "posts") }
func FuzzImportAdmissionFiles(f *testing.F)        { fuzzImport(f, "admission_files") }
func FuzzImportAdmissionSteps(f *testing.F)        { fuzzImport(f, "admission_steps") }
func FuzzImportLifeActs(f *testing.F)              { fuzzImport(f, "life_acts") }
func FuzzImportDocuments(f *testing.F)             { fuzzImport(f, "documents") }
func FuzzImportTasks(f *testing.F)                 { fuzzImport(f, "tasks") }
func FuzzImportTaskNotes(f *testing.F)             { fuzzImport(f, "task_notes") }
func FuzzImportConferences(f *testing.F)           { fuzzImport(f, "conferences") }
func FuzzImportConferenceDocuments(f *testing.F)   { fuzzImport(f, "conference_documents") }
func FuzzImportAttendance(f *testing.F)            { fuzzImport(f, "attendance") }
func FuzzImportReflections(f *testing.F)           { fuzzImport(f, "reflections") }
func FuzzImportInspectionFields(f *testing.F)      { fuzzImport(f, "inspection_fields") }
func FuzzImportInspectionProgrammes(f *testing.F)  { fuzzImport(f, "inspection_programmes") }
func FuzzImportInspectionRounds(f *testing.F)      { fuzzImport(f, "inspection_rounds") }
func FuzzImportInspectionSubjects(f *testing.F)    { fuzzImport(f, "inspection_subjects") }
func FuzzImportDisciplines(f *testing.F)           { fuzzImport(f, "disciplines") }
func FuzzImportDisciplineAppeals(f *testing.F)     { fuzzImport(f, "discipline_appeals") }
func FuzzImportCampaigns(f *testing.F)             { fuzzImport(f, "campaigns") }
func FuzzImportCampaignSteps(f *testing.F)         { fuzzImport(f, "campaign_steps") }
func FuzzImportReviews(f *testing.F)               { fuzzImport(f, "reviews") }
func FuzzImportReviewMarks(f *testing.F)           { fuzzImport(f, "review_marks") }
func FuzzImportReviewScores(f *testing.F)          { fuzzImport(f, "review_scores") }
func FuzzImportRemedies(f *testing.F)              { fuzzImport(f, "remedies") }
func FuzzImportDuesBases(f *testing.F)             { fuzzImport(f, "dues_bases") }
func FuzzImportDuesExemptions(f *testing.F)        { fuzzImport(f, "dues_exemptions") }
func FuzzImportDuesPayments(f *testing.F)          { fuzzImport(f, "dues_payments") }
func FuzzImportDuesRemittances(f *testing.F)       { fuzzImport(f, "dues_remittances") }
func FuzzImportOrgCodes(f *testing.F)              { fuzzImport(f, "org_codes") }
func FuzzImportMemberDetails(f *testing.F)         { fuzzImport(f, "member_details") }
func FuzzImportFamilyMembers(f *testing.F)         { fuzzImport(f, "family_members") }
func FuzzImportFileDocuments(f *testing.F)         { fuzzImport(f, "file_documents") }
func FuzzImportSupplements(f *testing.F)           { fuzzImport(f, "supplements") }
func FuzzImportCards(f *testing.F)                 { fuzzImport(f, "cards") }
func FuzzImportBadges(f *testing.F)                { fuzzImport(f, "badges") }
func FuzzImportMeetings(f *testing.F)              { fuzzImport(f, "meetings") }
func FuzzImportMeetingAttendance(f *testing.F)     { fuzzImport(f, "meeting_attendance") }
func FuzzImportMeetingDecisions(f *testing.F)      { fuzzImport(f, "meeting_decisions") }
func FuzzImportResidenceLinks(f *testing.F)        { fuzzImport(f, "residence_links") }
func FuzzImportResidenceComments(f *testing.F)     { fuzzImport(f, "residence_comments") }
