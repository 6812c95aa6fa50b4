package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"dangvu"
	"dangvu/internal/store"
	"dangvu/internal/storetest"
)

// onEngines runs f on SQLite and, when DANGVU_TEST_POSTGRES is set, on PostgreSQL.
func onEngines(t *testing.T, f func(t *testing.T, open func(*testing.T) *store.Store)) {
	t.Run("sqlite", func(t *testing.T) { f(t, storetest.OpenSQLite) })
	t.Run("postgres", func(t *testing.T) { f(t, storetest.OpenPostgres) })
}

// newAuthServerOn serves the access fixture (accessData) from a store of the given engine.
func newAuthServerOn(t *testing.T, open func(*testing.T) *store.Store) (*httptest.Server, *store.Store) {
	t.Helper()
	s := open(t)
	if _, err := s.Import(t.Context(), accessData(t).Reader(), store.ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&Server{Store: s}).Handler())
	t.Cleanup(srv.Close)
	return srv, s
}

// bodyCase is a write route sent with an id outside ward PD's subtree (foreign) in its body —
// or, for the account routes, its path. body builds the JSON body (any) or the form
// (url.Values) around an id; the case is sent once with the foreign id and once with an id that
// does not exist.
type bodyCase struct {
	route   string // the route's pattern
	path    string // the path, with {ID} where the id goes when it is the path's
	foreign string
	body    func(id string) any
	self    bool // sent by a member's own account (self-service routes)
	want    int  // 0 for 404
}

// noBodyIDs are the write routes whose bodies name no object (their {id} is the guard's).
var noBodyIDs = map[string]string{
	"POST /login": "public", "POST /logout": "public", "POST /login/totp": "public", "POST /password": "the account's own password",
	"POST /members/{id}/reveal": "no body", "POST /members/{id}/edit": "the member's own fields", "POST /import": "a data set, each row checked against the importer's subtree (store.ImportOptions.Within: TestScopedImportHTTP)",
	"POST /api/v1/import":              "a data set, each row checked against the importer's subtree (store.ImportOptions.Within: TestScopedImportHTTP)",
	"POST /api/v1/tasks/{id}/progress": "status and note", "POST /tasks/{id}/progress": "status and note",
	"POST /api/v1/inspections/{id}/stage": "stage and date", "POST /inspections/{id}/stage": "stage and date",
	"POST /api/v1/disciplines/{id}/appeals/{appeal}/resolve": "outcome", "POST /disciplines/{id}/appeals/{appeal}/resolve": "outcome",
	"POST /api/v1/disciplines/{id}/withdraw": "date and reason", "POST /disciplines/{id}/withdraw": "date and reason",
	"POST /api/v1/reviews/{id}/self": "the review's text", "POST /api/v1/self-reviews/{id}": "the review's text",
	"POST /reviews/{id}/self": "the review's text", "POST /self-reviews/{id}": "the review's text",
	"POST /api/v1/reviews/{id}/meeting": "comments, a rating", "POST /reviews/{id}/meeting": "comments, a rating",
	"POST /api/v1/reviews/{id}/remedies": "a remedy's text", "POST /api/v1/remedies/{id}": "a remedy's result", "POST /remedies/{id}": "a remedy's result",
	"POST /api/v1/meetings/{id}/minutes": "the minutes' text, votes, score", "POST /meetings/{id}/minutes": "the minutes' text, votes, score",
	"POST /meetings/{id}/quality":          "the reviewed points; org names only the list to return to, which checks its own scope",
	"POST /api/v1/residence/{id}/comments": "a year's comment",
	"POST /members/{id}/file/documents":    "a catalogue type, date and title", "POST /supplements/mine": "the reader's own supplement's changes",
	"POST /supplements/{id}":              "the changes and the step; the cell entering is the reader's own",
	"POST /dues/remittances/{id}/receive": "the day received (the remittance is the path's, checked by its receiver's scope: TestDuesPages)",
}

func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// TestRouteMatrixBodies extends the route matrix (TestRouteMatrix) to what request bodies name:
// every write route is sent, by an administrator of ward PD (or a member's own account for
// self-service), with an id of the sibling ward PB's subtree in its JSON body or form, and once
// with an id that does not exist. Both must get the same answer (404 unless stated) that names
// nothing of the sibling ward, and nothing may be written (the audit log does not grow). A new
// write route fails the test until it has a case here or is listed in noBodyIDs.
func TestRouteMatrixBodies(t *testing.T) {
	onEngines(t, testRouteMatrixBodies)
}

func testRouteMatrixBodies(t *testing.T, open func(*testing.T) *store.Store) {
	srv, s := newAuthServerOn(t, open)
	ctx := context.Background()
	objects := map[string][2]string{}
	for _, f := range matrixFixtures {
		for k, v := range f(t, s) {
			objects[k] = v
		}
	}
	// A file of ward PD waiting for its introducers, an inspection programme of each ward, and
	// an account in ward PB.
	for _, st := range []dangvu.AdmissionStep{{Stage: dangvu.StageTraining, Date: dangvu.MustDate("2024-01-10")}, {Stage: dangvu.StageCertificate, Date: dangvu.MustDate("2024-02-15")},
		{Stage: dangvu.StageApplication, Date: dangvu.MustDate("2024-03-01")}, {Stage: dangvu.StageBackground, Date: dangvu.MustDate("2024-04-01")}} {
		if st.Stage == dangvu.StageTraining {
			if _, err := s.CreateAdmissionFile(ctx, "test", dangvu.AdmissionFile{ID: "HS-B", OrgID: "K2", FullName: "Lê Văn Tám", Gender: dangvu.Male, BirthDate: "2000-01-01", Education: "12/12"}); err != nil {
				t.Fatal(err)
			}
		}
		st.FileID = "HS-B"
		if _, err := s.RecordStep(ctx, "test", st, nil); err != nil {
			t.Fatal(err)
		}
	}
	var insProg [2]string
	for i, org := range []string{"PD", "PB"} {
		p, err := s.CreateInspectionProgramme(ctx, "test", dangvu.InspectionProgramme{OrgID: org, Body: dangvu.BodyGrassroots, Year: 2024, Title: "Chương trình kiểm tra năm 2024"})
		if err != nil {
			t.Fatal(err)
		}
		insProg[i] = p.ID
	}
	newUser(t, s, dangvu.User{Username: "bt-pb", UserRole: dangvu.UserSecretary, OrgID: "PB"})
	admin := newUser(t, s, dangvu.User{Username: "qt-pd", UserRole: dangvu.UserAdmin, OrgID: "PD"})
	self := newUser(t, s, dangvu.User{Username: "bt-pd", UserRole: dangvu.UserSecretary, OrgID: "PD", MemberID: "M1"})
	ins, disc, round := objects["inspections"], objects["disciplines"], objects["inspections"][0]

	admission := func(id string) any {
		return map[string]any{"id": "KN-B1", "org_id": id, "full_name": "Trần Văn Bốn", "gender": "male", "birth_date": "2000-01-01", "education": "12/12"}
	}
	readmission := func(id string) any {
		return map[string]any{"id": "KN-B2", "org_id": "K1", "full_name": "Người kết nạp lại", "gender": "male", "birth_date": "1980", "readmission": true, "member_id": id}
	}
	introducers := func(id string) any {
		return map[string]any{"stage": "introducers", "date": "15/04/2024", "people": []string{id, "M2"}, "known": []string{"01/01/2020", "01/01/2019"}}
	}
	programme := func(task map[string]any) func(string) any {
		return func(id string) any {
			tk := map[string]any{"title": "Học tập, quán triệt", "deadline": "28/02/2017"}
			for k, v := range task {
				tk[k] = strings.ReplaceAll(v.(string), "{ID}", id)
			}
			return map[string]any{"org_id": "PD", "date": "20/12/2016", "title": "Chương trình hành động", "tasks": []any{tk}}
		}
	}
	conference := func(field string) func(string) any {
		return func(id string) any {
			c := map[string]any{"org_id": "PD", "title": "Học tập Nghị quyết", "date": "15/12/2016", "document_ids": []string{"NQ-PD"}}
			if field == "document_ids" {
				c[field] = []string{id}
			} else {
				c[field] = id
			}
			return c
		}
	}
	roundBody := func(set func(m map[string]any, id string)) func(string) any {
		return func(id string) any {
			m := map[string]any{"org_id": "PD", "body": "grassroots_committee", "kind": "supervision_regular", "title": "Giám sát chuyên đề", "decision": "Số 9-QĐ/ĐU",
				"decided_on": "2024-05-02", "planned_from": "2024-05-06", "planned_to": "2024-05-30", "subjects": []any{map[string]any{"org_id": "K1"}}}
			set(m, id)
			return m
		}
	}
	discBody := func(set func(m map[string]any, id string)) func(string) any {
		return func(id string) any {
			m := map[string]any{"member_id": "M2", "form": "reprimand", "authority_org_id": "K1", "authority_body": "cell", "violation_on": "2023-12-01",
				"decided_on": "2024-03-12", "effective_on": "2024-03-12", "number": "Số 2-QĐ/CB", "reason": "Vi phạm"}
			set(m, id)
			return m
		}
	}
	discForm := func(field string) func(string) any {
		return func(id string) any {
			f := form("member_id", "M2", "form", "reprimand", "authority_org_id", "K1", "authority_body", "cell", "violation_on", "01/12/2023",
				"decided_on", "12/03/2024", "number", "Số 3-QĐ/CB", "reason", "Vi phạm")
			f.Set(field, id)
			if field == "org_id" {
				f.Del("member_id")
			}
			return f
		}
	}
	cases := []bodyCase{
		{route: "POST /api/v1/admissions", path: "/api/v1/admissions", foreign: "K3", body: admission},
		{route: "POST /api/v1/admissions", path: "/api/v1/admissions", foreign: "M5", body: readmission},
		{route: "POST /api/v1/admissions/{id}/steps", path: "/api/v1/admissions/HS-B/steps", foreign: "M5", body: introducers},
		{route: "POST /api/v1/members/{id}/acts", path: "/api/v1/members/M1/acts", foreign: "K3", body: func(id string) any {
			return map[string]any{"kind": "temporary_in", "date": "01/03/2026", "until": "01/09/2026", "org_id": id}
		}},
		{route: "POST /admissions/new", path: "/admissions/new", foreign: "K3", body: func(id string) any {
			return form("org_id", id, "id", "KN-B3", "full_name", "Trần Văn Bốn", "gender", "male", "birth_date", "01/01/2000", "education", "12/12", "youth_union", "0")
		}},
		{route: "POST /admissions/{id}", path: "/admissions/HS-B", foreign: "M5", body: func(id string) any {
			return form("date", "15/04/2024", "people", id+"; M2", "known", "01/01/2020; 01/01/2019")
		}},
		{route: "POST /members/{id}/acts", path: "/members/M1/acts", foreign: "K3", body: func(id string) any {
			return form("kind", "temporary_in", "date", "01/03/2026", "until", "01/09/2026", "org_id", id)
		}},
		{route: "POST /api/v1/documents", path: "/api/v1/documents", foreign: "PB", body: func(id string) any {
			return map[string]any{"org_id": id, "direction": "incoming", "number": "05-NQ/TW", "date": "01/01/2017", "title": "Nghị quyết"}
		}},
		{route: "POST /api/v1/documents", path: "/api/v1/documents", foreign: "NQ-PB", body: func(id string) any {
			return map[string]any{"org_id": "PD", "direction": "own", "kind": "TB", "date": "01/01/2017", "title": "Thông báo", "implements": id}
		}},
		{route: "POST /api/v1/programmes", path: "/api/v1/programmes", foreign: "M5", body: programme(map[string]any{"assignee_member_id": "{ID}"})},
		{route: "POST /api/v1/programmes", path: "/api/v1/programmes", foreign: "K3", body: programme(map[string]any{"assignee_org_id": "{ID}"})},
		{route: "POST /api/v1/programmes/{id}/tasks", path: "/api/v1/programmes/CTR-PD/tasks", foreign: "K3", body: func(id string) any {
			return map[string]any{"title": "Kiểm điểm", "assignee_org_id": id, "deadline": "30/06/2017"}
		}},
		{route: "POST /api/v1/programmes/{id}/tasks", path: "/api/v1/programmes/CTR-PD/tasks", foreign: "M5", body: func(id string) any {
			return map[string]any{"title": "Kiểm điểm", "assignee_member_id": id, "deadline": "30/06/2017"}
		}},
		{route: "POST /api/v1/conferences", path: "/api/v1/conferences", foreign: "PB", body: conference("org_id")},
		{route: "POST /api/v1/conferences", path: "/api/v1/conferences", foreign: "K3", body: conference("scope_org_id")},
		{route: "POST /api/v1/conferences", path: "/api/v1/conferences", foreign: "NQ-PB", body: conference("document_ids")},
		{route: "POST /api/v1/conferences/{id}/attendance", path: "/api/v1/conferences/HN-PD/attendance", foreign: "M5", body: func(id string) any {
			return map[string]any{"lines": []any{map[string]any{"member_id": "M1", "status": "present"}, map[string]any{"member_id": id, "status": "present"}}}
		}},
		{route: "POST /api/v1/me/reflections", path: "/api/v1/me/reflections", foreign: "HN-PB", self: true, body: func(id string) any {
			return map[string]any{"conference_id": id, "text": "Bài thu hoạch"}
		}},
		{route: "POST /api/v1/me/reflections", path: "/api/v1/me/reflections", foreign: "NQ-PB", self: true, body: func(id string) any {
			return map[string]any{"conference_id": "HN-PD", "document_id": id, "text": "Bài thu hoạch"}
		}},
		{route: "POST /documents", path: "/documents", foreign: "PB", body: func(id string) any {
			return form("org_id", id, "direction", "incoming", "number", "05-NQ/TW", "date", "01/01/2017", "title", "Nghị quyết")
		}},
		{route: "POST /programmes/new", path: "/programmes/new", foreign: "K3", body: func(id string) any {
			return form("org_id", "PD", "kind", "CTr", "date", "20/12/2016", "title", "Chương trình", "rows", "1", "task_title.1", "Học tập", "task_org.1", id, "task_deadline.1", "28/02/2017")
		}},
		{route: "POST /programmes/{id}/tasks", path: "/programmes/CTR-PD/tasks", foreign: "K3", body: func(id string) any {
			return form("title", "Kiểm điểm", "assignee_org_id", id, "deadline", "30/06/2017")
		}},
		{route: "POST /conferences", path: "/conferences", foreign: "K3", body: func(id string) any {
			return form("kind", "conference", "org_id", "PD", "scope_org_id", id, "title", "Học tập", "date", "15/12/2016", "documents", "NQ-PD")
		}},
		// Documents are typed by number or id and looked up among those the user sees: the form
		// comes back with the same field error as for an unknown number.
		{route: "POST /conferences", path: "/conferences", foreign: "NQ-PB", want: 400, body: func(id string) any {
			return form("kind", "conference", "org_id", "PD", "title", "Học tập", "date", "15/12/2016", "documents", id)
		}},
		{route: "POST /conferences/{id}/attendance", path: "/conferences/HN-PD/attendance", foreign: "M5", body: func(id string) any {
			return form("member", "M1", "status.M1", "present", "member", id, "status."+id, "present")
		}},
		// The study page comes back with the message, as for an unknown conference.
		{route: "POST /study/reflections", path: "/study/reflections", foreign: "HN-PB", self: true, want: 400, body: func(id string) any {
			return form("conference_id", id, "text", "Bài thu hoạch")
		}},
		{route: "POST /api/v1/inspections", path: "/api/v1/inspections", foreign: "PB", body: roundBody(func(m map[string]any, id string) {
			m["org_id"], m["subjects"] = id, []any{map[string]any{"org_id": "K3"}}
		})},
		{route: "POST /api/v1/inspections", path: "/api/v1/inspections", foreign: "M5", body: roundBody(func(m map[string]any, id string) { m["subjects"] = []any{map[string]any{"member_id": id}} })},
		{route: "POST /api/v1/inspections", path: "/api/v1/inspections", foreign: "K3", body: roundBody(func(m map[string]any, id string) { m["subjects"] = []any{map[string]any{"org_id": id}} })},
		{route: "POST /api/v1/inspections", path: "/api/v1/inspections", foreign: insProg[1], body: roundBody(func(m map[string]any, id string) { m["programme_id"] = id })},
		{route: "POST /api/v1/inspections/{id}/conclusions", path: "/api/v1/inspections/" + round + "/conclusions", foreign: "M5", body: func(id string) any {
			return map[string]any{"member_id": id, "finding": "none", "conclusion": "Không có vi phạm"}
		}},
		{route: "POST /api/v1/badges", path: "/api/v1/badges", foreign: "M5", body: func(id string) any {
			return map[string]any{"member_id": id, "milestone": 30, "kind": "due", "ceremony": "02/09/2026"}
		}},
		{route: "POST /api/v1/badges", path: "/api/v1/badges", foreign: "K3", body: func(id string) any {
			return map[string]any{"member_id": "M1", "org_id": id, "milestone": 30, "kind": "due", "ceremony": "02/09/2026"}
		}},
		{route: "POST /api/v1/cards", path: "/api/v1/cards", foreign: "M5", body: func(id string) any {
			return map[string]any{"member_id": id, "number": "022082001111", "kind": "exchange", "issued_on": "20/08/2025"}
		}},
		{route: "POST /api/v1/supplements", path: "/api/v1/supplements", foreign: "PB", body: func(id string) any {
			return map[string]any{"org_id": id, "year": 2026}
		}},
		{route: "POST /api/v1/supplements/{id}", path: "/api/v1/supplements/SB2026-M1", foreign: "K3", body: func(id string) any {
			return map[string]any{"action": "enter", "cell_id": id, "changes": map[string]string{"position": "x"}}
		}},
		{route: "POST /api/v1/inspections/programmes", path: "/api/v1/inspections/programmes", foreign: "PB", body: func(id string) any {
			return map[string]any{"org_id": id, "body": "grassroots_committee", "year": 2025, "title": "Chương trình kiểm tra"}
		}},
		{route: "POST /api/v1/disciplines", path: "/api/v1/disciplines", foreign: "M5", body: discBody(func(m map[string]any, id string) { m["member_id"] = id })},
		{route: "POST /api/v1/disciplines", path: "/api/v1/disciplines", foreign: "K3", body: discBody(func(m map[string]any, id string) {
			delete(m, "member_id")
			m["org_id"], m["authority_org_id"], m["authority_body"] = id, "PD", "grassroots_committee"
		})},
		{route: "POST /api/v1/disciplines", path: "/api/v1/disciplines", foreign: ins[1], body: discBody(func(m map[string]any, id string) { m["round_id"] = id })},
		{route: "POST /api/v1/disciplines/{id}/appeals", path: "/api/v1/disciplines/" + disc[0] + "/appeals", foreign: "K3", body: func(id string) any {
			return map[string]any{"received_on": "2024-03-12", "lodged_on": "2024-03-20", "handler_org_id": id, "handler_body": "grassroots_committee"}
		}},
		{route: "POST /api/v1/disciplines/{id}/correct", path: "/api/v1/disciplines/" + disc[0] + "/correct", foreign: ins[1], body: func(id string) any {
			return map[string]any{"round_id": id}
		}},
		{route: "POST /inspections", path: "/inspections", foreign: "M5", body: func(id string) any {
			return form("org_id", "PD", "body", "grassroots_committee", "kind", "supervision_regular", "title", "Giám sát", "decision", "Số 9-QĐ/ĐU",
				"decided_on", "02/05/2024", "planned_from", "06/05/2024", "planned_to", "30/05/2024", "subjects", "K1 "+id)
		}},
		{route: "POST /inspections/programmes", path: "/inspections/programmes", foreign: "PB", body: func(id string) any {
			return form("org_id", id, "body", "grassroots_committee", "year", "2025", "title", "Chương trình kiểm tra")
		}},
		{route: "POST /inspections/{id}/conclusions", path: "/inspections/" + round + "/conclusions", foreign: "M5", body: func(id string) any {
			return form("subject", "m:"+id, "finding", "none", "conclusion", "Không có vi phạm")
		}},
		{route: "POST /disciplines", path: "/disciplines", foreign: "M5", body: discForm("member_id")},
		{route: "POST /disciplines", path: "/disciplines", foreign: "K3", body: discForm("org_id")},
		{route: "POST /disciplines/{id}/appeals", path: "/disciplines/" + disc[0] + "/appeals", foreign: "K3", body: func(id string) any {
			return form("received_on", "12/03/2024", "lodged_on", "20/03/2024", "handler_org_id", id, "handler_body", "grassroots_committee")
		}},
		{route: "POST /disciplines/{id}/correct", path: "/disciplines/" + disc[0] + "/correct", foreign: ins[1], body: func(id string) any {
			return form("form", "reprimand", "authority_org_id", "K1", "authority_body", "cell", "violation_on", "01/12/2023", "decided_on", "10/03/2024",
				"effective_on", "10/03/2024", "number", "Số 1-QĐ/CB", "round_id", id)
		}},
		{route: "POST /api/v1/campaigns", path: "/api/v1/campaigns", foreign: "PB", body: func(id string) any {
			return map[string]any{"id": "RV-B", "org_id": id, "name": "Kiểm điểm", "from": "2025-01-01", "to": "2025-12-31"}
		}},
		{route: "POST /api/v1/campaigns/{id}/subjects", path: "/api/v1/campaigns/RV2024-PD/subjects", foreign: "M5", body: func(id string) any {
			return map[string]any{"kind": "member", "member_id": id}
		}},
		{route: "POST /api/v1/campaigns/{id}/subjects", path: "/api/v1/campaigns/RV2024-PD/subjects", foreign: "K3", body: func(id string) any {
			return map[string]any{"kind": "org", "org_id": id}
		}},
		{route: "POST /api/v1/campaigns/{id}/decisions", path: "/api/v1/campaigns/RV2024-PD/decisions", foreign: "PB", body: func(id string) any {
			return map[string]any{"decider_id": id, "ratings": map[string]any{}, "decided_on": "2024-12-20"}
		}},
		{route: "POST /api/v1/campaigns/{id}/decisions", path: "/api/v1/campaigns/RV2024-PD/decisions", foreign: objects["reviews"][1], body: func(id string) any {
			return map[string]any{"decider_id": "PD", "ratings": map[string]any{id: "good"}, "decided_on": "2024-12-20"}
		}},
		{route: "POST /reviews", path: "/reviews", foreign: "PB", body: func(id string) any {
			return form("id", "RV-B", "org_id", id, "name", "Kiểm điểm", "period_kind", "year", "from", "01/01/2025", "to", "31/12/2025")
		}},
		{route: "POST /campaigns/{id}/decide", path: "/campaigns/RV2024-PD/decide", foreign: "PB", body: func(id string) any {
			return form("decider", id, "decided_on", "20/12/2024")
		}},
		{route: "POST /admin/users", path: "/admin/users", foreign: "PB", body: func(id string) any {
			return form("username", "moi-pb", "role", "secretary", "org", id, "password", "mat-khau-rat-dai-123")
		}},
		{route: "POST /admin/users", path: "/admin/users", foreign: "M5", body: func(id string) any {
			return form("username", "dv-m5", "role", "member", "member", id, "password", "mat-khau-rat-dai-123")
		}},
		{route: "POST /admin/users/{id}/disable", path: "/admin/users/{ID}/disable", foreign: "bt-pb", body: func(string) any { return form() }},
		{route: "POST /admin/users/{id}/password", path: "/admin/users/{ID}/password", foreign: "bt-pb", body: func(string) any {
			return form("password", "mat-khau-moi-rat-dai-456")
		}},
		{route: "POST /members/new", path: "/members/new", foreign: "K3", want: http.StatusUnprocessableEntity, body: func(id string) any {
			return form("org", id, "on", "01/03/2026", "full_name", "Nguyễn Văn Mới", "gender", "male", "birth_date", "1990", "admitted_on", "01/01/2020")
		}},
		{route: "POST /admin/users/{id}/org", path: "/admin/users/{ID}/org", foreign: "bt-pb", body: func(string) any { return form("org", "PD") }},
		{route: "POST /admin/users/{id}/org", path: "/admin/users/bt-pd/org", foreign: "PB", body: func(id string) any { return form("org", id) }},
		{route: "POST /api/v1/dues/bases", path: "/api/v1/dues/bases", foreign: "M5", body: func(id string) any {
			return map[string]any{"member_id": id, "from": "01/01/2026", "group": "student"}
		}},
		{route: "POST /api/v1/dues/exemptions", path: "/api/v1/dues/exemptions", foreign: "M5", body: func(id string) any {
			return map[string]any{"member_id": id, "kind": "application", "pct": 100, "from": "01/02/2026", "decided_by": "PD"}
		}},
		{route: "POST /api/v1/dues/exemptions", path: "/api/v1/dues/exemptions", foreign: "K3", body: func(id string) any {
			return map[string]any{"member_id": "M1", "kind": "application", "pct": 100, "from": "01/02/2026", "decided_by": id}
		}},
		{route: "POST /api/v1/dues/payments", path: "/api/v1/dues/payments", foreign: "K3", body: func(id string) any {
			return map[string]any{"org_id": id, "lines": []any{map[string]any{"member_id": "M1", "month": "2026-01", "amount": 5000}}}
		}},
		{route: "POST /api/v1/dues/payments", path: "/api/v1/dues/payments", foreign: "M5", body: func(id string) any {
			return map[string]any{"org_id": "K1", "lines": []any{map[string]any{"member_id": id, "month": "2026-01", "amount": 5000}}}
		}},
		{route: "POST /api/v1/dues/remittances", path: "/api/v1/dues/remittances", foreign: "K3", body: func(id string) any {
			return map[string]any{"org_id": id, "month": "2026-01"}
		}},
		{route: "POST /dues/collect", path: "/dues/collect", foreign: "K3", body: func(id string) any {
			return form("org", id, "month", "2026-01")
		}},
		{route: "POST /dues/reconcile", path: "/dues/reconcile", foreign: "K3", body: func(id string) any {
			return form("org", id, "csv", "M1,2026-01,5000,DVC1", "apply", "1")
		}},
		{route: "POST /api/v1/dues/reconcile", path: "/api/v1/dues/reconcile", foreign: "K3", body: func(id string) any {
			return map[string]any{"org_id": id, "csv": "M1,2026-01,5000,DVC1", "apply": true}
		}},
		{route: "POST /dues/handover", path: "/dues/handover", foreign: "K3", body: func(id string) any {
			return form("org", "K1", "to", id, "event", "E1")
		}},
		{route: "POST /dues/handover", path: "/dues/handover", foreign: "PB", body: func(id string) any {
			return form("org", id, "to", "K1", "event", "E1")
		}},
	}

	cases = append(cases, meetingCases(objects)...)
	cases = append(cases, filePageCases(objects)...)
	covered := map[string]bool{}
	for _, c := range cases {
		covered[c.route] = true
	}
	for _, rt := range allRoutes() {
		if !strings.HasPrefix(rt.pattern, "GET ") && !covered[rt.pattern] && noBodyIDs[rt.pattern] == "" {
			t.Errorf("%s: a write route with no case of ids outside the subtree (add one, or list it in noBodyIDs)", rt.pattern)
		}
	}

	lastAudit := func() int64 {
		es, err := s.AuditLog(ctx, "", "", 1)
		if err != nil || len(es) == 0 {
			t.Fatalf("audit log: %v", err)
		}
		return es[0].Seq
	}
	send := func(c bodyCase, id string) (int, string) {
		var req *http.Request
		path := strings.ReplaceAll(c.path, "{ID}", id)
		switch b := c.body(id).(type) {
		case url.Values:
			req, _ = http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(b.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		default:
			j, _ := json.Marshal(b)
			req, _ = http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(string(j)))
			req.Header.Set("Content-Type", "application/json")
		}
		tok := admin
		if c.self {
			tok = self
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		status, body, _ := do(t, noRedirect(), req)
		return status, body
	}
	const unknown = "KHONG-CO-404"
	for _, c := range cases {
		where := c.route + " naming " + c.foreign
		want := c.want
		if want == 0 {
			want = http.StatusNotFound
		}
		before := lastAudit()
		status, body := send(c, c.foreign)
		ustatus, ubody := send(c, unknown)
		if after := lastAudit(); after != before {
			t.Errorf("%s: %d entries written to the audit log", where, after-before)
		}
		if status != want {
			t.Errorf("%s: %d, want %d: %.300s", where, status, want, body)
		}
		if status != ustatus || strings.ReplaceAll(body, c.foreign, unknown) != ubody {
			t.Errorf("%s: answered unlike an unknown id:\n%d %.300s\n%d %.300s", where, status, body, ustatus, ubody)
		}
		for _, n := range siblingNames {
			if strings.Contains(body, n) {
				t.Errorf("%s: the answer names %q, a sibling ward's member", where, n)
			}
		}
	}

	// The exception: a transfer out, official or temporary, names its receiving organisation
	// wherever it is; only a movement is recorded.
	out := bodyCase{path: "/api/v1/members/M1/acts", body: func(id string) any {
		return map[string]any{"kind": "temporary_out", "date": "01/03/2026", "until": "01/09/2026", "org_id": id}
	}}
	if status, body := send(out, "K3"); status != http.StatusCreated {
		t.Errorf("temporary transfer out to a sibling ward's cell: %d %.300s", status, body)
	}
}
