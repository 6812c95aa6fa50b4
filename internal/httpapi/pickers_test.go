package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"dangvu"
)

// TestMemberPicker: the subject of a discipline decision typed as a name. The beginning of a
// name without diacritics resolves to the one member of the writer's ward it names; a name two
// members share re-renders the form with both as choices and the rest typed kept, and the choice
// then records; a name of another ward's member is not found, and the page does not show it.
func TestMemberPicker(t *testing.T) {
	srv, s := newAuthServer(t)
	ctx := context.Background()
	namesake, err := s.CreateMember(ctx, "test", dangvu.Member{FullName: "Nguyễn Văn Đông", Gender: "male", BirthDate: "1975", Ethnicity: "01",
		AdmittedOn: dangvu.MustDate("2000-01-01"), FullOn: dangvu.MustDate("2001-01-01")}, dangvu.Arrival{OrgID: "K2", On: dangvu.MustDate("2015-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	newUser(t, s, dangvu.User{Username: "kt-web", UserRole: dangvu.UserStaffInspection, OrgID: "PD"})
	c, csrf := sessionClient(t, srv, "kt-web", "mat-khau-kt-web", "/disciplines")
	n := 0
	post := func(fields url.Values) (int, string, *http.Response) {
		n++
		f := url.Values{"csrf": {csrf}, "form": {"warning"}, "authority_org_id": {"PD"}, "authority_body": {"grassroots_committee"},
			"violation_on": {"01/02/2024"}, "decided_on": {"20/05/2024"}, "number": {"Số " + strings.Repeat("9", n) + "-QĐ/ĐU"}, "reason": {"Vi phạm chế độ sinh hoạt đảng"}}
		for k, v := range fields {
			f[k] = v
		}
		return page(t, c, srv, http.MethodPost, "/disciplines", f)
	}
	subject := func(resp *http.Response) string {
		id := strings.TrimPrefix(resp.Header.Get("Location"), "/disciplines/")
		d, err := s.Discipline(ctx, id)
		if err != nil {
			t.Fatalf("decision %q: %v", id, err)
		}
		return d.MemberID
	}
	for _, tc := range []struct {
		name  string
		typed url.Values
		want  string // the member recorded
	}{
		{"a name's beginning without diacritics", url.Values{"member_id": {"tran thi"}}, "M2"},
		{"a full name", url.Values{"member_id": {"Lê Văn Bình"}}, "M3"},
		{"the code, for power users", url.Values{"member_id": {"M1"}}, "M1"},
		{"a candidate picked", url.Values{"member_id": {"nguyen van"}, "pick.member_id": {namesake.ID}}, namesake.ID},
	} {
		status, _, resp := post(tc.typed)
		if status != http.StatusSeeOther {
			t.Errorf("%s: %d, want 303", tc.name, status)
			continue
		}
		if got := subject(resp); got != tc.want {
			t.Errorf("%s: recorded %s, want %s", tc.name, got, tc.want)
		}
	}

	// Two members of the ward begin "Nguyễn Văn": both offered, what was typed kept, nothing written.
	before, err := s.Disciplines(ctx, dangvu.DisciplineFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	status, body, _ := post(url.Values{"member_id": {"nguyen van"}, "reason": {"Lý do đã gõ"}})
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("ambiguous name: %d, want 422", status)
	}
	for _, want := range []string{"khớp với nhiều đảng viên", `name="pick.member_id" value="M1"`, `name="pick.member_id" value="` + namesake.ID + `"`,
		"Nguyễn Văn Đức", "Nguyễn Văn Đông", "Chi bộ khu 2", `value="Lý do đã gõ"`, `value="nguyen van"`} {
		if !strings.Contains(body, want) {
			t.Errorf("ambiguous name: page lacks %q", want)
		}
	}
	after, err := s.Disciplines(ctx, dangvu.DisciplineFilter{Limit: 100})
	if err != nil || len(after) != len(before) {
		t.Errorf("ambiguous name wrote a decision: %d → %d (%v)", len(before), len(after), err)
	}

	// Another ward's member (PB, Hoàng Văn Sáu) is not found by name, nor shown, nor picked by code.
	// The code is looked for as the page would show it: a bare "M5" can occur in the form's random
	// CSRF token (base64url), which made this check fail about once in a hundred runs.
	status, body, _ = post(url.Values{"member_id": {"hoang van"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "không có đảng viên nào") || strings.Contains(body, siblingNames[0]) || strings.Contains(body, `value="M5"`) || strings.Contains(body, ">M5") {
		t.Errorf("another ward's name: %d, want 422 saying none in scope without the name", status)
	}
	if status, body, _ := post(url.Values{"member_id": {"nguyen van"}, "pick.member_id": {"M5"}}); status != http.StatusNotFound || strings.Contains(body, siblingNames[0]) {
		t.Errorf("another ward's member picked by code: %d, want 404 without the name", status)
	}
}

// TestRoundSubjectPicker: a new round's subjects typed as codes and names, one a line. Codes
// (several on a line, as before), the beginning of a member's name and part of an organisation's
// name resolve within the ward; a name two members share lists both as checkboxes, what was typed
// kept, and the ticked one is recorded; another ward's member's name is not found nor shown.
func TestRoundSubjectPicker(t *testing.T) {
	srv, s := newAuthServer(t)
	ctx := context.Background()
	namesake, err := s.CreateMember(ctx, "test", dangvu.Member{FullName: "Nguyễn Văn Đông", Gender: "male", BirthDate: "1975", Ethnicity: "01",
		AdmittedOn: dangvu.MustDate("2000-01-01"), FullOn: dangvu.MustDate("2001-01-01")}, dangvu.Arrival{OrgID: "K2", On: dangvu.MustDate("2015-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	newUser(t, s, dangvu.User{Username: "kt-web", UserRole: dangvu.UserStaffInspection, OrgID: "PD"})
	c, csrf := sessionClient(t, srv, "kt-web", "mat-khau-kt-web", "/inspections")
	n := 0
	post := func(subjects string, picks ...string) (int, string, *http.Response) {
		n++
		f := url.Values{"csrf": {csrf}, "org_id": {"PD"}, "body": {"grassroots_committee"}, "kind": {"supervision_regular"}, "title": {"Giám sát chuyên đề"},
			"decision": {"Số " + strings.Repeat("8", n) + "-QĐ/ĐU"}, "decided_on": {"02/05/2024"}, "planned_from": {"06/05/2024"}, "planned_to": {"30/05/2024"},
			"subjects": {subjects}, "pick.subjects": picks}
		return page(t, c, srv, http.MethodPost, "/inspections", f)
	}
	subjects := func(resp *http.Response) []string {
		id := strings.TrimPrefix(resp.Header.Get("Location"), "/inspections/")
		rd, err := s.Round(ctx, id)
		if err != nil {
			t.Fatalf("round %q: %v", id, err)
		}
		var got []string
		for _, x := range rd.Subjects {
			got = append(got, x.OrgID+x.MemberID)
		}
		sort.Strings(got)
		return got
	}
	for _, tc := range []struct {
		name, typed string
		picks       []string
		want        string
	}{
		{"codes on a line", "K1 M3", nil, "K1 M3"},
		{"names, a line each", "tran thi\nChi bộ khu 2", nil, "K2 M2"},
		{"a shared name with the right one ticked", "nguyen van\nK1", []string{namesake.ID}, "K1 " + namesake.ID},
	} {
		status, _, resp := post(tc.typed, tc.picks...)
		if status != http.StatusSeeOther {
			t.Errorf("%s: %d, want 303", tc.name, status)
			continue
		}
		if got := strings.Join(subjects(resp), " "); got != tc.want {
			t.Errorf("%s: subjects %s, want %s", tc.name, got, tc.want)
		}
	}
	status, body, _ := post("K1\nnguyen van")
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("shared name: %d, want 422", status)
	}
	for _, want := range []string{"khớp với nhiều đảng viên", `name="pick.subjects" value="M1"`, `name="pick.subjects" value="` + namesake.ID + `"`, "K1\nnguyen van</textarea>"} {
		if !strings.Contains(body, want) {
			t.Errorf("shared name: page lacks %q", want)
		}
	}
	status, body, _ = post("hoang van")
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "không có đảng viên hay tổ chức đảng nào khớp") || strings.Contains(body, siblingNames[0]) {
		t.Errorf("another ward's name: %d, want 422 without the name", status)
	}
}

// TestDocumentPicker: the document a programme implements typed as part of its title. One match
// resolves; a part two resolutions share lists both as radio choices, and the chosen one is
// recorded; another ward's own register is not searched, and its title is not shown.
func TestDocumentPicker(t *testing.T) {
	srv, s := newAuthServer(t)
	ctx := context.Background()
	office := newUser(t, s, dangvu.User{Username: "vp-ub", UserRole: dangvu.UserStaffOffice, OrgID: "UB"})
	pb := newUser(t, s, dangvu.User{Username: "vp-pb", UserRole: dangvu.UserSecretary, OrgID: "PB"})
	sec := newUser(t, s, dangvu.User{Username: "bt-pd", UserRole: dangvu.UserSecretary, OrgID: "PD"})
	reg := func(tok, org, number, title string) string {
		st, d := disSend(t, srv, tok, "POST", "/api/v1/documents", map[string]any{"org_id": org, "direction": "incoming", "number": number,
			"date": "30/10/2016", "received_on": "04/11/2016", "title": title})
		if st != 201 {
			t.Fatalf("register %s: %d %v", number, st, d)
		}
		return d["id"].(string)
	}
	nq4 := reg(office, "UB", "Số 04-NQ/TW", "Nghị quyết Hội nghị Trung ương 4 khóa XII")
	nq5 := reg(office, "UB", "Số 05-NQ/TW", "Nghị quyết Hội nghị Trung ương 5 khóa XII")
	reg(pb, "PB", "Số 07-CV/ĐU", "Công văn riêng của phường Bắc Sơn")
	n := 0
	post := func(typed, pick string) (int, string) {
		n++
		f := url.Values{"org_id": {"PD"}, "kind": {"KH"}, "date": {"06/01/2017"}, "title": {"Kế hoạch số " + strings.Repeat("1", n)}, "implements": {typed},
			"pick.implements": {pick}, "secrecy": {"none"}, "rows": {"1"}, "task_title.1": {"Học tập"}, "task_name.1": {"Chi bộ khu 1"}, "task_deadline.1": {"31/03/2017"}}
		return disPostForm(t, srv, sec, "/programmes/new", f.Encode())
	}
	implemented := func() string {
		progs, err := s.Documents(ctx, dangvu.DocumentFilter{Kind: "KH", Limit: 50})
		if err != nil || len(progs) == 0 {
			t.Fatalf("programmes: %v", err)
		}
		for _, p := range progs {
			if p.Title == "Kế hoạch số "+strings.Repeat("1", n) {
				return p.Implements
			}
		}
		t.Fatalf("programme %d not found", n)
		return ""
	}
	if st, _ := post("trung uong 4", ""); st != http.StatusSeeOther || implemented() != nq4 {
		t.Errorf("part of a title: %d", st)
	}
	st, page := post("nghi quyet hoi nghi trung uong", "")
	if st != http.StatusBadRequest {
		t.Fatalf("shared words: %d, want 400", st)
	}
	for _, want := range []string{"khớp với nhiều văn bản", `name="pick.implements" value="` + nq4 + `"`, `name="pick.implements" value="` + nq5 + `"`, `value="Học tập"`} {
		if !strings.Contains(page, want) {
			t.Errorf("shared words: page lacks %q", want)
		}
	}
	if st, _ := post("nghi quyet hoi nghi trung uong", nq5); st != http.StatusSeeOther || implemented() != nq5 {
		t.Errorf("a choice: %d", st)
	}
	if st, page := post("cong van rieng", ""); st != http.StatusBadRequest || !strings.Contains(page, "không có văn bản") || strings.Contains(page, "Công văn riêng") {
		t.Errorf("another ward's register: %d, want 400 without its title", st)
	}

	// A conference studies documents typed as a list of numbers and titles.
	conf := func(docs string, picks ...string) (int, string) {
		f := url.Values{"kind": {"conference"}, "org_id": {"PD"}, "title": {"Học tập nghị quyết"}, "documents": {docs}, "pick.documents": picks,
			"date": {"01/02/2017"}, "place": {"Hội trường"}}
		return disPostForm(t, srv, sec, "/conferences", f.Encode())
	}
	studying := func(doc string) int {
		cs, err := s.Conferences(ctx, dangvu.ConferenceFilter{DocumentID: doc, Limit: 100})
		if err != nil {
			t.Fatalf("conferences: %v", err)
		}
		return len(cs)
	}
	if st, _ := conf("04-NQ/TW, trung uong 5"); st != http.StatusSeeOther || studying(nq4) != 1 || studying(nq5) != 1 {
		t.Errorf("a number and a title: %d; conferences studying each: %d, %d", st, studying(nq4), studying(nq5))
	}
	st, page = conf("hoi nghi trung uong, cong van rieng")
	if st != http.StatusBadRequest || !strings.Contains(page, `name="pick.documents" value="`+nq4+`"`) || !strings.Contains(page, "không có văn bản") || strings.Contains(page, "Công văn riêng") {
		t.Errorf("shared words and another ward's title: %d, want 400 with the choices, without the other ward's title", st)
	}
}

// TestRoundPicker: the round a discipline decision follows, typed as part of its title or its
// decision's number: one match recorded, several offered, another ward's round not found.
func TestRoundPicker(t *testing.T) {
	srv, s := newAuthServer(t)
	ctx := context.Background()
	round := func(org, title, decision string) string {
		x, err := s.CreateRound(ctx, "test", dangvu.InspectionRound{OrgID: org, Body: dangvu.BodyGrassroots, Kind: "supervision_regular", Title: title,
			Decision: decision, DecidedOn: dangvu.MustDate("2024-03-01"), PlannedFrom: dangvu.MustDate("2024-03-05"), PlannedTo: dangvu.MustDate("2024-03-30"), Subjects: []dangvu.RoundSubject{{OrgID: map[string]string{"PD": "K1", "PB": "K3"}[org]}}})
		if err != nil {
			t.Fatalf("round %s: %v", title, err)
		}
		return x.ID
	}
	finance := round("PD", "Giám sát việc thu, nộp đảng phí", "Số 3-QĐ/ĐU")
	round("PD", "Giám sát việc học tập nghị quyết", "Số 4-QĐ/ĐU")
	round("PB", "Kiểm tra riêng phường Bắc Sơn", "Số 5-QĐ/ĐU")
	newUser(t, s, dangvu.User{Username: "kt-web", UserRole: dangvu.UserStaffInspection, OrgID: "PD"})
	c, csrf := sessionClient(t, srv, "kt-web", "mat-khau-kt-web", "/disciplines")
	post := func(typed, number string) (int, string, *http.Response) {
		f := url.Values{"csrf": {csrf}, "member_id": {"M1"}, "form": {"warning"}, "authority_org_id": {"phuong dong"}, "authority_body": {"grassroots_committee"},
			"violation_on": {"01/02/2024"}, "decided_on": {"20/05/2024"}, "number": {number}, "reason": {"Chậm nộp đảng phí"}, "round_id": {typed}}
		return page(t, c, srv, http.MethodPost, "/disciplines", f)
	}
	status, _, resp := post("dang phi", "Số 21-QĐ/ĐU")
	if status != http.StatusSeeOther {
		t.Fatalf("part of a title: %d, want 303", status)
	}
	if d, err := s.Discipline(ctx, strings.TrimPrefix(resp.Header.Get("Location"), "/disciplines/")); err != nil || d.RoundID != finance || d.AuthorityOrgID != "PD" {
		t.Errorf("part of a title: round %q by %q (%v), want %s by PD", d.RoundID, d.AuthorityOrgID, err, finance)
	}
	status, body, _ := post("giam sat viec", "Số 22-QĐ/ĐU")
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "khớp với nhiều cuộc") || !strings.Contains(body, `name="pick.round_id" value="`+finance+`"`) {
		t.Errorf("shared words: %d, want 422 with the choices", status)
	}
	status, body, _ = post("bac son", "Số 23-QĐ/ĐU")
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "không có cuộc kiểm tra") || strings.Contains(body, "Kiểm tra riêng") {
		t.Errorf("another ward's round: %d, want 422 without its title", status)
	}
}

// TestPostPicker: the post a removal decision ends, typed as part of its title among the posts
// the member holds: one recorded; a title the member does not hold refused beside the field.
func TestPostPicker(t *testing.T) {
	srv, s := newAuthServer(t)
	ctx := context.Background()
	newUser(t, s, dangvu.User{Username: "kt-web", UserRole: dangvu.UserStaffInspection, OrgID: "PD"})
	c, csrf := sessionClient(t, srv, "kt-web", "mat-khau-kt-web", "/disciplines")
	post := func(typed, number string) (int, string, *http.Response) {
		f := url.Values{"csrf": {csrf}, "member_id": {"nguyen van duc"}, "form": {string(dangvu.FormRemoval)}, "authority_org_id": {"PD"}, "authority_body": {"grassroots_committee"},
			"violation_on": {"01/02/2024"}, "decided_on": {"20/05/2024"}, "number": {number}, "reason": {"Vi phạm nguyên tắc tập trung dân chủ"}, "post": {typed}}
		return page(t, c, srv, http.MethodPost, "/disciplines", f)
	}
	status, body, _ := post("giam doc", "Số 31-QĐ/ĐU")
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "không giữ chức vụ nào khớp") {
		t.Errorf("a post not held: %d, want 422 beside the field", status)
	}
	status, body, resp := post("bi thu", "Số 32-QĐ/ĐU")
	if status != http.StatusSeeOther {
		t.Fatalf("part of a title: %d, want 303\n%s", status, body)
	}
	if d, err := s.Discipline(ctx, strings.TrimPrefix(resp.Header.Get("Location"), "/disciplines/")); err != nil || d.Post != "P1" || d.MemberID != "M1" {
		t.Errorf("part of a title: post %q of %q (%v), want P1 of M1", d.Post, d.MemberID, err)
	}
}
