package store_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/store"
	"dangvu/internal/storetest"
)

func TestExportForSQLite(t *testing.T) { testExportFor(t, storetest.OpenSQLite(t)) }

func TestExportForPostgres(t *testing.T) {
	if os.Getenv(storetest.PostgresEnv) == "" {
		t.Skipf("%s is not set", storetest.PostgresEnv)
	}
	testExportFor(t, storetest.OpenPostgres(t))
}

// exportRights is, independently of the store's registry, the action whose pages show each
// domain table's rows (the GET routes of internal/httpapi); tables not named need only ActRead.
// Reflections are shown to their own member only: "" (an administrator's export alone).
var exportRights = map[string]dangvu.Action{
	"admission_files": dangvu.ActAdmissions, "admission_steps": dangvu.ActAdmissions, "life_acts": dangvu.ActAdmissions,
	"documents": dangvu.ActDocuments, "tasks": dangvu.ActDocuments, "task_notes": dangvu.ActDocuments,
	"conferences": dangvu.ActConferences, "conference_documents": dangvu.ActConferences, "attendance": dangvu.ActConferences,
	"reflections": "",
	"campaigns":   dangvu.ActReviews, "campaign_steps": dangvu.ActReviews, "reviews": dangvu.ActReviews,
	"review_marks": dangvu.ActReviews, "review_scores": dangvu.ActReviews, "remedies": dangvu.ActReviews,
	"inspection_programmes": dangvu.ActReadInspection, "inspection_rounds": dangvu.ActReadInspection,
	"residence_links": dangvu.ActMeetings, "residence_comments": dangvu.ActMeetings,
	"inspection_subjects": dangvu.ActReadInspection, "disciplines": dangvu.ActReadInspection, "discipline_appeals": dangvu.ActReadInspection,
}

const secretTitle = "Chương trình mật về công tác bảo vệ chính trị nội bộ"

// testExportFor exports ward PD of the sample, with a secret programme, an admission file and a
// discipline decision added, as every role: each table only for roles whose pages show it, no
// secret programme, task or link for a role without ActReadSecret, the sensitive fields masked
// unless revealed by a role that may, and the audit entry saying what was exported.
func testExportFor(t *testing.T, s *store.Store) {
	ctx := context.Background()
	r, err := exchange.Open("../../testdata/sample")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, r, store.ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	nq, err := s.CreateDocument(ctx, "test", dangvu.Document{ID: "NQ-PD", OrgID: "PD", Direction: dangvu.DirIncoming, Number: "04-NQ/TW", Date: dangvu.MustDate("2016-10-30"), Title: "Nghị quyết Trung ương 4"})
	if err != nil {
		t.Fatal(err)
	}
	prog, _, err := s.CreateProgramme(ctx, "test", dangvu.Document{ID: "CTR-MAT", OrgID: "PD", Direction: dangvu.DirOwn, Kind: dangvu.DocProgramme, Date: dangvu.MustDate("2016-12-01"),
		Title: secretTitle, Secrecy: dangvu.SecrecySecret, Implements: nq.ID}, []dangvu.Task{{Title: "Nhiệm vụ mật số một", AssigneeName: "Văn phòng", Deadline: dangvu.MustDate("2017-01-31")}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateDocument(ctx, "test", dangvu.Document{ID: "BC-PD", OrgID: "PD", Direction: dangvu.DirOwn, Kind: dangvu.DocKind("BC"), Date: dangvu.MustDate("2017-06-01"),
		Title: "Báo cáo sơ kết", ReportsOn: prog.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateAdmissionFile(ctx, "test", dangvu.AdmissionFile{ID: "HS-PD", OrgID: "K1", FullName: "Quần chúng Một", Gender: dangvu.Male, BirthDate: "2001-02-03", Education: "12/12"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateDiscipline(ctx, "test", dangvu.Discipline{MemberID: "M1", Form: dangvu.FormReprimand, AuthorityOrgID: "K1", AuthorityBody: dangvu.BodyCell,
		ViolationOn: dangvu.MustDate("2023-12-01"), DecidedOn: dangvu.MustDate("2024-03-10"), EffectiveOn: dangvu.MustDate("2024-03-10"), Number: "Số 1-QĐ/CB"}); err != nil {
		t.Fatal(err)
	}
	full := exchange.NewMemory()
	if _, err := s.ExportUnder(ctx, full, "PD", time.Now()); err != nil {
		t.Fatal(err)
	}
	clearID := value(t, full, "members", "M1", "id_number")
	if clearID == "" || value(t, full, "members", "M1", "residence") == "" {
		t.Fatal("the fixture's M1 has no identity number or residence to mask")
	}
	for _, role := range dangvu.UserRoles {
		for _, reveal := range []bool{false, true} {
			where := string(role.Code)
			if reveal {
				where += " reveal"
			}
			m := exchange.NewMemory()
			req := store.ExportRequest{OrgID: "PD", AsOf: time.Now(), Role: role.Code, Reveal: reveal}
			sum, err := s.ExportFor(ctx, m, req)
			if reveal && !role.Code.Can(dangvu.ActRevealSensitive) {
				if dangvu.ErrorCode(err) != dangvu.EForbidden {
					t.Errorf("%s: %v, want forbidden", where, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			for _, tb := range exchange.Tables() {
				want, ok := exportRights[tb.Name]
				if !ok {
					want = dangvu.ActRead
				}
				may := role.Code == dangvu.UserAdmin || want != "" && role.Code.Can(want)
				if m.Len(tb.Name) > 0 && !may {
					t.Errorf("%s: %d rows of %s, whose pages need %q", where, m.Len(tb.Name), tb.Name, want)
				}
				onlySecret := tb.Name == "tasks" && !role.Code.Can(dangvu.ActReadSecret) // the fixture's one task is the secret programme's
				if may && !onlySecret && full.Len(tb.Name) > 0 && m.Len(tb.Name) == 0 {
					t.Errorf("%s: no row of %s (%d in the subtree)", where, tb.Name, full.Len(tb.Name))
				}
				if sum.Rows[tb.Name] != m.Len(tb.Name) {
					t.Errorf("%s: summary says %d rows of %s, wrote %d", where, sum.Rows[tb.Name], tb.Name, m.Len(tb.Name))
				}
			}
			secret := role.Code.Can(dangvu.ActReadSecret)
			if role.Code.Can(dangvu.ActDocuments) {
				if got := value(t, m, "documents", prog.ID, "title") != ""; got != secret {
					t.Errorf("%s: secret programme exported %v, want %v", where, got, secret)
				}
				if link := value(t, m, "documents", "BC-PD", "reports_on_id"); (link != "") != secret {
					t.Errorf("%s: the report's link to the secret programme is %q", where, link)
				}
				if n := m.Len("tasks"); (n > 0) != secret {
					t.Errorf("%s: %d tasks of the secret programme", where, n)
				}
			}
			if !secret {
				for _, tb := range exchange.Tables() {
					m.Reader().Each(tb.Name, func(row int, rec exchange.Record) error {
						for _, c := range tb.Columns {
							if strings.Contains(rec.Get(c), "mật") {
								t.Errorf("%s: %s row %d column %s holds %q", where, tb.Name, row, c, rec.Get(c))
							}
						}
						return nil
					})
				}
			}
			id, residence := value(t, m, "members", "M1", "id_number"), value(t, m, "members", "M1", "residence")
			if reveal != (id == clearID) || reveal == (residence == "(đã ẩn)") {
				t.Errorf("%s: M1's identity number %q, residence %q", where, id, residence)
			}
			if reveal && sum.RevealedCount != m.Len("members") {
				t.Errorf("%s: %d members revealed of %d, all in the ward today", where, sum.RevealedCount, m.Len("members"))
			}
			if err := s.LogExport(ctx, "u-"+string(role.Code), req, sum); err != nil {
				t.Fatal(err)
			}
			log, err := s.AuditLog(ctx, "dataset", "PD", 2)
			if err != nil || len(log) < 1 {
				t.Fatalf("%s: audit %v %v", where, err, log)
			}
			exp := log[0]
			if reveal {
				if log[0].Action != "reveal" || !strings.Contains(log[0].After, "id_number") {
					t.Errorf("%s: the reveal is not logged: %+v", where, log[0])
				}
				exp = log[1]
			}
			var after struct {
				Rows    map[string]int `json:"rows"`
				Omitted []string       `json:"omitted_tables"`
				Secret  int            `json:"secret_documents_omitted"`
				Reveal  bool           `json:"revealed"`
				Role    string         `json:"role"`
			}
			if err := json.Unmarshal([]byte(exp.After), &after); err != nil || exp.Action != "export" {
				t.Fatalf("%s: export entry %+v: %v", where, exp, err)
			}
			if after.Rows["members"] != m.Len("members") || after.Reveal != reveal || after.Role != string(role.Code) || len(after.Omitted) != len(sum.Omitted) ||
				(role.Code.Can(dangvu.ActDocuments) && !secret && after.Secret != 1) {
				t.Errorf("%s: export entry %s", where, exp.After)
			}
		}
	}
	if _, err := s.ExportFor(ctx, exchange.NewMemory(), store.ExportRequest{OrgID: "PD", AsOf: time.Now()}); err == nil {
		t.Error("an export for no role")
	}
	if n, err := s.VerifyAudit(ctx); err != nil {
		t.Errorf("audit chain after %d entries: %v", n, err)
	}
}

// value returns a column of the row of table whose first column is id ("" when there is none).
func value(t *testing.T, m *exchange.Memory, table, id, col string) string {
	t.Helper()
	out := ""
	tb, _ := exchange.Lookup(table)
	if err := m.Reader().Each(table, func(_ int, rec exchange.Record) error {
		if rec.Get(tb.Columns[0]) == id {
			out = rec.Get(col)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}
