package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"dangvu"
	"dangvu/internal/store"
)

// Objects of the dissemination routes for TestRouteMatrix: in ward PD's subtree and in PB's.
func init() {
	matrixFixtures = append(matrixFixtures, func(t *testing.T, s *store.Store) map[string][2]string {
		ctx := t.Context()
		ids := map[string][2]string{}
		var docs, progs, confs [2]string
		for i, org := range []string{"PD", "PB"} {
			d, err := s.CreateDocument(ctx, "test", dangvu.Document{ID: "NQ-" + org, OrgID: org, Direction: dangvu.DirIncoming, Number: "04-NQ/TW",
				Date: dangvu.MustDate("2016-10-30"), Title: "Nghị quyết Trung ương 4"})
			if err != nil {
				t.Fatal(err)
			}
			p, err := s.CreateDocument(ctx, "test", dangvu.Document{ID: "CTR-" + org, OrgID: org, Direction: dangvu.DirOwn, Kind: dangvu.DocProgramme,
				Date: dangvu.MustDate("2016-12-01"), Title: "Chương trình hành động", Implements: d.ID})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.CreateTask(ctx, "test", dangvu.Task{DocumentID: p.ID, Title: "Học tập", AssigneeName: "Chi bộ", Deadline: dangvu.MustDate("2017-01-31")}); err != nil {
				t.Fatal(err)
			}
			c, err := s.CreateConference(ctx, "test", dangvu.Conference{ID: "HN-" + org, OrgID: org, Title: "Học tập Nghị quyết 04-NQ/TW", Date: dangvu.MustDate("2016-12-15"), DocumentIDs: []string{d.ID}})
			if err != nil {
				t.Fatal(err)
			}
			docs[i], progs[i], confs[i] = d.ID, p.ID, c.ID
		}
		ids["documents"], ids["programmes"], ids["conferences"] = docs, progs, confs
		return ids
	})
}

func disSend(t *testing.T, srv *httptest.Server, tok, method, path string, body any) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, srv.URL+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	status, text, _ := do(t, noRedirect(), req)
	var out map[string]any
	json.Unmarshal([]byte(text), &out)
	if out == nil {
		out = map[string]any{"_body": text}
	}
	return status, out
}

// TestDisseminationStory is the story through the API: the city office registers the
// resolution and issues a numbered programme with tasks; a ward secretary holds a conference and
// marks attendance; coverage, the member's own record and the report follow.
func TestDisseminationStory(t *testing.T) {
	srv, s := newAuthServer(t)
	office := newUser(t, s, dangvu.User{Username: "vp-ub", UserRole: dangvu.UserStaffOffice, OrgID: "UB"})
	sec := newUser(t, s, dangvu.User{Username: "bt-pd", UserRole: dangvu.UserSecretary, OrgID: "PD"})
	member := newUser(t, s, dangvu.User{Username: "dv-m1", UserRole: dangvu.UserMember, MemberID: "M1"})

	st, nq := disSend(t, srv, office, "POST", "/api/v1/documents", map[string]any{"org_id": "UB", "direction": "incoming", "number": "Số 04-NQ/TW",
		"date": "30/10/2016", "received_on": "04/11/2016", "title": "Nghị quyết Hội nghị Trung ương 4 khóa XII"})
	if st != 201 || nq["number"] != "04-NQ/TW" {
		t.Fatalf("register: %d %v", st, nq)
	}
	body := map[string]any{"org_id": "UB", "date": "20/12/2016", "implements": nq["id"],
		"title": "Chương trình hành động thực hiện Nghị quyết Trung ương 4",
		"tasks": []map[string]any{
			{"title": "Học tập, quán triệt", "assignee_name": "Ban Tuyên giáo Thành ủy", "deadline": "28/02/2017"},
			{"title": "Kiểm điểm", "assignee_org_id": "PD", "deadline": "30/06/2017"},
			{"title": "Hạn sai", "assignee_name": "Văn phòng", "deadline": "01/01/2016"},
		}}
	// One bad task refuses the programme, naming the task's row and field; nothing is numbered.
	st, bad := disSend(t, srv, office, "POST", "/api/v1/programmes", body)
	if fields, _ := bad["fields"].([]any); st != 400 || len(fields) != 1 || fields[0].(map[string]any)["row"] != float64(3) || fields[0].(map[string]any)["field"] != "deadline" {
		t.Errorf("programme with a bad task: %d %v", st, bad)
	}
	body["tasks"] = body["tasks"].([]map[string]any)[:2]
	st, prog := disSend(t, srv, office, "POST", "/api/v1/programmes", body)
	if st != 201 {
		t.Fatalf("programme: %d %v", st, prog)
	}
	doc := prog["document"].(map[string]any)
	if doc["number"] != "01-CTr/TU" {
		t.Errorf("programme numbered %v, want 01-CTr/TU (first CTr of the term)", doc["number"])
	}
	tasks := prog["tasks"].([]any)
	first := tasks[0].(map[string]any)["id"].(string)
	if st, body := disSend(t, srv, office, "POST", "/api/v1/tasks/"+first+"/progress", map[string]any{"date": "24/02/2017", "status": "done", "note": "Đã tổ chức"}); st != 200 || body["done_on"] != "2017-02-24" {
		t.Errorf("progress: %d %v", st, body)
	}
	// The ward assigned a task reports on it; it may not report on the city's other tasks.
	second := tasks[1].(map[string]any)["id"].(string)
	if st, body := disSend(t, srv, sec, "POST", "/api/v1/tasks/"+second+"/progress", map[string]any{"date": "01/03/2017", "status": "in_progress", "note": "Đang kiểm điểm"}); st != 200 {
		t.Errorf("assignee ward's progress: %d %v", st, body)
	}
	if st, _ := disSend(t, srv, sec, "POST", "/api/v1/tasks/"+first+"/progress", map[string]any{"date": "01/03/2017", "status": "done", "note": "x"}); st != 403 {
		t.Errorf("a ward reporting on the city's own task: %d", st)
	}
	// The programme page highlights the task still open past its deadline.
	status, page := bearerGet(t, srv, office, "/programmes/"+doc["id"].(string))
	if status != 200 || !strings.Contains(page, `class="overdue"`) || !strings.Contains(page, "Kiểm điểm") {
		t.Errorf("programme page: %d, no overdue row", status)
	}
	// A ward secretary may read the city's documents but not write the city's register (not
	// found, as an unknown organisation: refs.go).
	if st, _ := disSend(t, srv, sec, "POST", "/api/v1/documents", map[string]any{"org_id": "UB", "direction": "own", "kind": "TB", "date": "01/01/2017", "title": "x"}); st != 404 {
		t.Errorf("ward secretary writing the city's register: %d", st)
	}
	if st, _ := bearerGet(t, srv, sec, "/api/v1/documents/"+nq["id"].(string)); st != 200 {
		t.Errorf("ward secretary reading the city's resolution: %d", st)
	}
	// A secret document is hidden from roles without ActReadSecret.
	st, secret := disSend(t, srv, office, "POST", "/api/v1/documents", map[string]any{"org_id": "UB", "direction": "own", "kind": "TB", "date": "05/01/2017", "title": "Thông báo mật", "secrecy": "secret"})
	if st != 201 {
		t.Fatalf("secret: %d %v", st, secret)
	}
	if st, _ := bearerGet(t, srv, sec, "/api/v1/documents/"+secret["id"].(string)); st != 404 {
		t.Errorf("secretary reading a secret document: %d", st)
	}
	if _, list := bearerGet(t, srv, sec, "/api/v1/documents?org=PD"); strings.Contains(list, "Thông báo mật") || !strings.Contains(list, "04-NQ/TW") {
		t.Errorf("secretary's register: %s", list)
	}

	// The ward's conference and its attendance sheet.
	st, conf := disSend(t, srv, sec, "POST", "/api/v1/conferences", map[string]any{"org_id": "PD", "title": "Học tập Nghị quyết Trung ương 4", "date": "15/12/2016",
		"place": "Hội trường phường", "presenter": "Bí thư Đảng ủy", "reflection": true, "document_ids": []string{nq["id"].(string)}})
	if st != 201 {
		t.Fatalf("conference: %d %v", st, conf)
	}
	cid := conf["id"].(string)
	st, bad = disSend(t, srv, sec, "POST", "/api/v1/conferences/"+cid+"/attendance", map[string]any{"lines": []map[string]any{
		{"member_id": "M1", "status": "present"}, {"member_id": "M5", "status": "present"}}})
	if st != 404 || !strings.Contains(disJSON(bad), "M5") || strings.Contains(disJSON(bad), siblingNames[0]) {
		t.Errorf("a sibling ward's member on the sheet: %d %v", st, bad)
	}
	st, sheet := disSend(t, srv, sec, "POST", "/api/v1/conferences/"+cid+"/attendance", map[string]any{"lines": []map[string]any{
		{"member_id": "M1", "status": "present"}, {"member_id": "M2", "status": "absent_excused", "reason": "Ốm"},
		{"member_id": "M4", "status": "made_up", "made_up_on": "10/01/2017"}}})
	if st != 200 || len(sheet["attendance"].([]any)) != 3 {
		t.Fatalf("attendance: %d %v", st, sheet)
	}
	for _, c := range []struct {
		asOf    string
		reached float64
	}{{"31/12/2016", 1}, {"31/01/2017", 2}} {
		_, cov := disSend(t, srv, sec, "GET", "/api/v1/coverage?org=PD&document=04-NQ/TW&from=01/11/2016&to=31/01/2017&as_of="+c.asOf, nil)
		if cov["in_scope"] != float64(3) || cov["reached"] != c.reached || len(cov["not_reached"].([]any)) != 3-int(c.reached) {
			t.Errorf("coverage on %s: %v", c.asOf, cov)
		}
	}
	if st, page := bearerGet(t, srv, sec, "/coverage?org=PD&document=04-NQ/TW&from=01/11/2016&to=31/01/2017&as_of=31/01/2017"); st != 200 || !strings.Contains(page, "66,67%") {
		t.Errorf("coverage page: %d", st)
	}
	if st, page := bearerGet(t, srv, sec, "/conferences/"+cid); st != 200 || !strings.Contains(page, "Vắng có lý do") {
		t.Errorf("conference page: %d", st)
	}

	// The sheet form: a line without its reason refuses the sheet, names the member, keeps the rest.
	form := "member=M1&status.M1=present&member=M2&status.M2=absent_excused&reason.M2=&member=M4&status.M4=made_up&made_up.M4=10%2F01%2F2017"
	st, page = disPostForm(t, srv, sec, "/conferences/"+cid+"/attendance", form)
	if st != 400 || !strings.Contains(page, `<input name="reason.M2" value="" size="18" aria-label="Lý do vắng" aria-invalid="true" aria-describedby="e-reason-M2"><p class="field-error" id="e-reason-M2">vắng có lý do cần ghi lý do</p>`) {
		t.Errorf("sheet form without a reason: %d, the error is not beside M2's reason:\n%s", st, page)
	}
	// What was typed comes back: M4's make-up date, M1's status; no other line is marked invalid.
	if !strings.Contains(page, `name="made_up.M4" value="10/01/2017"`) || strings.Count(page, `aria-invalid="true"`) != 1 ||
		!regexp.MustCompile(`name="status.M1"[^>]*>[^/]*(<option[^>]*>[^<]*</option>\s*)*<option value="present" selected>`).MatchString(page) {
		t.Errorf("a refused sheet did not keep what was typed or marks other lines:\n%s", page)
	}
	// A date that cannot be read is named beside its line, as typed.
	st, page = disPostForm(t, srv, sec, "/conferences/"+cid+"/attendance", strings.Replace(strings.Replace(form, "reason.M2=", "reason.M2=%C3%94m", 1), "10%2F01%2F2017", "32%2F01%2F2017", 1))
	if st != 400 || !strings.Contains(page, `name="made_up.M4" value="32/01/2017"`) || !strings.Contains(page, `<p class="field-error" id="e-made_up-M4">`) {
		t.Errorf("sheet form with a bad make-up date: %d\n%s", st, page)
	}
	if _, c := disSend(t, srv, sec, "GET", "/api/v1/conferences/"+cid, nil); !strings.Contains(disJSON(c), `"reason":"Ốm"`) {
		t.Errorf("a refused sheet changed the lines: %v", c)
	}
	if st, _ := disPostForm(t, srv, sec, "/conferences/"+cid+"/attendance", strings.Replace(form, "reason.M2=", "reason.M2=%C3%94m", 1)); st != http.StatusSeeOther {
		t.Errorf("sheet form: %d", st)
	}
	// The register form numbers an own document and opens the programme's page.
	st, _ = disPostForm(t, srv, sec, "/documents", "org_id=PD&direction=own&kind=KH&date=05%2F01%2F2017&title=K%E1%BA%BF+ho%E1%BA%A1ch&secrecy=none&implements="+nq["id"].(string))
	if st != http.StatusSeeOther {
		t.Errorf("register form: %d", st)
	}
	if _, list := bearerGet(t, srv, sec, "/api/v1/programmes?org=PD"); !strings.Contains(list, "01-KH/ĐU") {
		t.Errorf("the ward's plan is not numbered 01-KH/ĐU: %s", list)
	}

	// The programme form: a bad task line and a missing title come back beside their fields, as
	// typed; blank lines are skipped; nothing is written.
	pform := "org_id=PD&kind=KH&number=&date=06%2F01%2F2017&title=&implements=04-NQ%2FTW&secrecy=none&rows=3" +
		"&task_title.1=H%E1%BB%8Dc+t%E1%BA%ADp&task_name.1=Chi+b%E1%BB%99+1&task_deadline.1=31%2F03%2F2017" +
		"&task_title.3=S%C6%A1+k%E1%BA%BFt&task_name.3=V%C4%83n+ph%C3%B2ng&task_deadline.3=01%2F01%2F2016"
	st, page = disPostForm(t, srv, sec, "/programmes/new", pform)
	for _, want := range []string{
		`<input id="p-title" name="title" value="" aria-invalid="true" aria-describedby="e-p-title"><p class="field-error" id="e-p-title">`,
		`name="task_deadline.3" value="01/01/2016" size="10" placeholder="dd/mm/yyyy" aria-label="Hạn, dòng 3" aria-invalid="true" aria-describedby="e-deadline-3"><p class="field-error" id="e-deadline-3">`,
		`name="task_title.1" value="Học tập"`, `name="task_name.3" value="Văn phòng"`, `name="implements" value="04-NQ/TW"`,
	} {
		if st != 400 || !strings.Contains(page, want) {
			t.Errorf("refused programme form: %d, lacks %s\n%s", st, want, page)
			break
		}
	}
	if strings.Contains(page, `aria-describedby="e-deadline-1"`) || strings.Contains(page, `aria-describedby="e-title-2"`) {
		t.Errorf("refused programme form marks a good or blank line")
	}
	if _, list := bearerGet(t, srv, sec, "/api/v1/programmes?org=PD"); strings.Contains(list, "02-KH/ĐU") {
		t.Errorf("a refused programme form wrote: %s", list)
	}
	st, _ = disPostForm(t, srv, sec, "/programmes/new", strings.Replace(strings.Replace(pform, "title=&", "title=K%E1%BA%BF+ho%E1%BA%A1ch+h%E1%BB%8Dc+t%E1%BA%ADp&", 1), "01%2F01%2F2016", "30%2F06%2F2017", 1))
	if st != http.StatusSeeOther {
		t.Errorf("programme form: %d", st)
	}
	_, list := bearerGet(t, srv, sec, "/api/v1/programmes?org=PD")
	if !regexp.MustCompile(`"number":"02-KH/ĐU"[^}]*"tasks":2,`).MatchString(list) {
		t.Errorf("the ward's plan from the form: %s", list)
	}
	// The register and conference forms: the error beside its field, the typed values kept.
	st, page = disPostForm(t, srv, sec, "/documents", "org_id=PD&direction=incoming&number=12-XYZ&kind=&date=05%2F01%2F2017&title=V%C4%83n+b%E1%BA%A3n+%C4%91%E1%BA%BFn&secrecy=none")
	if st != 400 || !strings.Contains(page, `<input id="d-num" name="number" value="12-XYZ" placeholder="04-NQ/TW" aria-invalid="true" aria-describedby="e-d-num"><p class="field-error" id="e-d-num">`) ||
		!strings.Contains(page, `name="title" value="Văn bản đến"`) {
		t.Errorf("refused register form: %d\n%s", st, page)
	}
	st, page = disPostForm(t, srv, sec, "/conferences", "kind=conference&org_id=PD&title=H%E1%BB%8Dc+t%E1%BA%ADp&documents=99-NQ%2FTW&date=01%2F02%2F2017&place=H%E1%BB%99i+tr%C6%B0%E1%BB%9Dng")
	if st != 400 || !strings.Contains(page, `<input id="c-docs" name="documents" value="99-NQ/TW" placeholder="04-NQ/TW, 05-NQ/TW" aria-invalid="true" aria-describedby="e-c-docs"><p class="field-error" id="e-c-docs">`) ||
		!strings.Contains(page, `name="place" value="Hội trường"`) {
		t.Errorf("refused conference form: %d\n%s", st, page)
	}

	// The audit log: the ward's conference and sheet are there for the ward's staff, not for a
	// sibling ward's.
	pdStaff := newUser(t, s, dangvu.User{Username: "tc-pd", UserRole: dangvu.UserStaffOrg, OrgID: "PD"})
	pbStaff := newUser(t, s, dangvu.User{Username: "tc-pb", UserRole: dangvu.UserStaffOrg, OrgID: "PB"})
	if st, page := bearerGet(t, srv, pdStaff, "/audit"); st != 200 || !strings.Contains(page, cid) || !strings.Contains(page, "Điểm danh") {
		t.Errorf("PD's audit log lacks the conference %s: %d", cid, st)
	}
	if st, page := bearerGet(t, srv, pbStaff, "/audit"); st != 200 || strings.Contains(page, cid) || strings.Contains(page, "Thông báo mật") {
		t.Errorf("a sibling ward's audit log shows PD's conference or the city's secret notice: %d", st)
	}

	// The member's own record and reflection.
	_, mine := disSend(t, srv, member, "GET", "/api/v1/me/study", nil)
	items, _ := mine["items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["status"] != "present" {
		t.Errorf("member's study: %v", mine)
	}
	if st, r := disSend(t, srv, member, "POST", "/api/v1/me/reflections", map[string]any{"conference_id": cid, "text": "Bài thu hoạch của tôi"}); st != 201 || r["member_id"] != "M1" {
		t.Errorf("reflection: %d %v", st, r)
	}
	if st, _ := disSend(t, srv, member, "POST", "/api/v1/me/reflections", map[string]any{"conference_id": cid, "text": ""}); st != 400 {
		t.Errorf("empty reflection: %d", st)
	}

	// Self-service lists what the organisation must study: M1 studied it at the ward's conference;
	// M2 was absent and is asked for a reflection; M5 in the sibling ward has no conference yet,
	// but the city's programme implements the resolution.
	if st, page := bearerGet(t, srv, member, "/study"); st != 200 || !strings.Contains(page, "04-NQ/TW") || !strings.Contains(page, "đã học (15/12/2016)") || !strings.Contains(page, "Đã nộp") {
		t.Errorf("M1's study page: %d\n%s", st, page)
	}
	m2 := newUser(t, s, dangvu.User{Username: "dv-m2", UserRole: dangvu.UserMember, MemberID: "M2"})
	st, page = bearerGet(t, srv, m2, "/study")
	if st != 200 || !strings.Contains(page, "<td>04-NQ/TW</td>") || !strings.Contains(page, "<strong>chưa học</strong>") ||
		!strings.Contains(page, `name="document_id" value="`+nq["id"].(string)+`"`) {
		t.Errorf("M2's study page: %d\n%s", st, page)
	}
	if st, page := disPostForm(t, srv, m2, "/study/reflections", "conference_id="+cid+"&document_id="+nq["id"].(string)+"&text=B%C3%A0i+thu+ho%E1%BA%A1ch"); st != 200 || !strings.Contains(page, "Đã nộp bài thu hoạch.") {
		t.Errorf("M2's reflection form: %d", st)
	}
	m5 := newUser(t, s, dangvu.User{Username: "dv-m5", UserRole: dangvu.UserMember, MemberID: "M5"})
	_, m5study := disSend(t, srv, m5, "GET", "/api/v1/me/study", nil)
	docs, _ := m5study["documents"].([]any)
	if items, _ := m5study["items"].([]any); len(items) != 0 || len(docs) != 1 || disJSON(docs[0]) == "" ||
		docs[0].(map[string]any)["why"] != "programme" || docs[0].(map[string]any)["studied_on"] != nil || docs[0].(map[string]any)["reflection_conference_id"] != nil {
		t.Errorf("M5, before any conference of the sibling ward: %v", m5study)
	}

	// The term report counts the city's programme and the ward's conference.
	_, rep := disSend(t, srv, office, "GET", "/api/v1/reports/term?org=UB&from=30/10/2016&to=31/01/2017&document=04-NQ/TW", nil)
	if rep["action_programmes"] != float64(1) || rep["conferences_at_org_level"] != float64(0) || rep["conferences_grassroots"] != float64(1) {
		t.Errorf("report: %v", rep)
	}
	// Attendance by exception (issue 13): on a new sheet only the absent are marked; the lines
	// left blank take "the rest", present.
	st, conf2 := disSend(t, srv, sec, "POST", "/api/v1/conferences", map[string]any{"org_id": "PD", "title": "Sinh hoạt chuyên đề", "date": "20/12/2016", "document_ids": []string{nq["id"].(string)}})
	if st != 201 {
		t.Fatalf("second conference: %d %v", st, conf2)
	}
	cid2 := conf2["id"].(string)
	if _, page := bearerGet(t, srv, sec, "/conferences/"+cid2); !regexp.MustCompile(`(?s)name="rest"[^>]*><option value="">[^<]*</option>\s*<option value="present" selected>`).MatchString(page) {
		t.Errorf("a new sheet does not default the rest to present:\n%s", page)
	}
	if st, _ := disPostForm(t, srv, sec, "/conferences/"+cid2+"/attendance", "rest=present&member=M1&status.M1=&member=M2&status.M2=absent_excused&reason.M2=%C3%94m&member=M4&status.M4="); st != http.StatusSeeOther {
		t.Errorf("sheet by exception: %d", st)
	}
	if _, c := disSend(t, srv, sec, "GET", "/api/v1/conferences/"+cid2, nil); strings.Count(disJSON(c), `"status":"present"`) != 2 || !strings.Contains(disJSON(c), `"status":"absent_excused"`) {
		t.Errorf("sheet by exception recorded %v", c)
	}
}

func disJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func disPostForm(t *testing.T, srv *httptest.Server, tok, path, form string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(form))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	status, body, _ := do(t, noRedirect(), req)
	return status, body
}
