package httpapi

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/store"
)

// TestEndedOrgAccount (issue 13): the account of a city committee that ended on 1/7/2025 opens
// its pages on the committee's last day with a banner naming where its members went, and an
// administrator moves it to a successor, after which it works today.
func TestEndedOrgAccount(t *testing.T) {
	srv, s := newAuthServer(t)
	newUser(t, s, dangvu.User{Username: "admin", UserRole: dangvu.UserAdmin})
	newUser(t, s, dangvu.User{Username: "ub.staff", UserRole: dangvu.UserStaffOrg, OrgID: "UB"})
	staff, _ := sessionClient(t, srv, "ub.staff", "mat-khau-ub.staff", "")
	for _, c := range []struct {
		path string
		want []string
	}{
		{"/", []string{"Đảng bộ thành phố Uông Bí", "đã kết thúc ngày 30/06/2025", "Số 1234-NQ/TU", "Đảng bộ phường Phương Đông", "Đảng bộ phường Bắc Sơn", "30/06/2025"}},
		{"/orgs", []string{"Đảng bộ thành phố Uông Bí", "Chi bộ khu 1"}},
		{"/members", []string{"Nguyễn Văn Đức", "30/06/2025"}},
		{"/reports/term", []string{"Đảng bộ thành phố Uông Bí", "30/06/2025"}},
	} {
		status, body, _ := page(t, staff, srv, http.MethodGet, c.path, nil)
		if status != http.StatusOK {
			t.Errorf("%s: %d %.400s", c.path, status, body)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", c.path, w)
			}
		}
	}
	// The successors lie outside the account's scope today: named, not linked.
	if _, body, _ := page(t, staff, srv, http.MethodGet, "/", nil); strings.Contains(body, `href="/orgs/PD"`) {
		t.Error("the banner links a successor the account may not open")
	}

	admin, csrf := sessionClient(t, srv, "admin", "mat-khau-admin", "/admin/users")
	_, body, _ := page(t, admin, srv, http.MethodGet, "/admin/users", nil)
	for _, w := range []string{"Tổ chức đã kết thúc ngày 30/06/2025", `action="/admin/users/ub.staff/org"`, `<option value="PD">`} {
		if !strings.Contains(body, w) {
			t.Errorf("users page lacks %q", w)
		}
	}
	if status, body, _ := page(t, admin, srv, http.MethodPost, "/admin/users/ub.staff/org", url.Values{"csrf": {csrf}, "org_ref": {"Đảng bộ thành phố Uông Bí"}}); status != http.StatusNotFound || !strings.Contains(body, "Chưa chuyển được tài khoản ub.staff") {
		t.Errorf("move to the ended committee: %d %.300s", status, body)
	}
	if status, _, resp := page(t, admin, srv, http.MethodPost, "/admin/users/ub.staff/org", url.Values{"csrf": {csrf}, "org": {"PD"}}); status != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "moved=ub.staff") {
		t.Fatalf("move: %d %s", status, resp.Header.Get("Location"))
	}
	_, body, _ = page(t, staff, srv, http.MethodGet, "/", nil)
	if strings.Contains(body, "đã kết thúc") || !strings.Contains(body, "Đảng bộ phường Phương Đông") {
		t.Errorf("after the move the home page is still the ended committee's:\n%.1500s", body)
	}
	if u, err := s.UserByUsername(t.Context(), "ub.staff"); err != nil || u.OrgID != "PD" {
		t.Errorf("after the move: %+v, %v", u, err)
	}
}

// TestErrorsArePages (issue 13, defect 5): what a person can reach — a bad date on the report
// form, an unknown address, a refused list — is a Vietnamese page in the layout, and
// organisation fields take any unambiguous part of a name within the user's subtree.
func TestErrorsArePages(t *testing.T) {
	srv, s := newAuthServer(t)
	newUser(t, s, dangvu.User{Username: "admin", UserRole: dangvu.UserAdmin})
	newUser(t, s, dangvu.User{Username: "pd.sec", UserRole: dangvu.UserSecretary, OrgID: "PD"})
	admin, _ := sessionClient(t, srv, "admin", "mat-khau-admin", "")
	sec, _ := sessionClient(t, srv, "pd.sec", "mat-khau-pd.sec", "")
	for _, c := range []struct {
		who    *http.Client
		path   string
		status int
		want   []string
	}{
		{admin, "/reports/term?org=UB&to=31/13/2018", 400, []string{"Yêu cầu không hợp lệ", "Đến ngày:", "31/13/2018", "Về trang chủ", `class="main"`}},
		{admin, "/khong-co-trang-nay", 404, []string{"Không tìm thấy", "/khong-co-trang-nay", `class="main"`}},
		{sec, "/orgs/PD/khong-co", 404, []string{"Không tìm thấy", `class="main"`}},
		{admin, "/reports/term?org=uong+bi&to=31/05/2018", 200, []string{"Đảng bộ thành phố Uông Bí"}},
		// Several match: a list to pick from, each a link with the organisation's id.
		{admin, "/members?org=Chi+b%E1%BB%99+khu", 400, []string{"Chọn tổ chức", `href="/members?org=K1"`, `href="/members?org=K3"`, "Chi bộ khu 3", "thuộc Đảng bộ phường Bắc Sơn"}},
		{sec, "/members?org=Ph%C6%B0%C6%A1ng+%C4%90%C3%B4ng", 200, []string{"Nguyễn Văn Đức"}},
		{sec, "/members?org=khu+1", 200, []string{"Nguyễn Văn Đức"}},                     // only one "khu 1" within Phương Đông
		{sec, "/reports/term?org=B%E1%BA%AFc+S%C6%A1n", 403, []string{"Không có quyền"}}, // a ward outside the subtree
	} {
		status, body, resp := page(t, c.who, srv, http.MethodGet, c.path, nil)
		if status != c.status || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Errorf("%s: %d %s, want %d HTML\n%.400s", c.path, status, resp.Header.Get("Content-Type"), c.status, body)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", c.path, w)
			}
		}
		if c.status != 403 && strings.Contains(body, "nằm ngoài phạm vi") || strings.Contains(body, "404 page not found") {
			t.Errorf("%s: %.300s", c.path, body)
		}
	}
	// The API keeps JSON.
	if status, body := bearerGet(t, srv, newUser(t, s, dangvu.User{Username: "api", UserRole: dangvu.UserAdmin}), "/api/v1/khong-co"); status != 404 || !strings.Contains(body, `"error":"not_found"`) {
		t.Errorf("unknown API address: %d %s", status, body)
	}
}

// TestChangePassword (issue 13, defect 8): every account changes its own password; errors are
// Vietnamese and beside their field; the change is audited, ends the other sessions and the API
// tokens, and keeps this browser logged in.
func TestChangePassword(t *testing.T) {
	srv, s := newAuthServer(t)
	tok := newUser(t, s, dangvu.User{Username: "pd.sec", UserRole: dangvu.UserSecretary, OrgID: "PD"})
	other, _ := sessionClient(t, srv, "pd.sec", "mat-khau-pd.sec", "")
	c, csrf := sessionClient(t, srv, "pd.sec", "mat-khau-pd.sec", "/password")
	if _, body, _ := page(t, c, srv, http.MethodGet, "/", nil); !strings.Contains(body, `href="/password"`) {
		t.Error("the layout has no link to change one's password")
	}
	for _, bad := range []struct {
		form   url.Values
		status int
		field  string
		want   string
	}{
		{url.Values{"current": {"sai-mat-khau"}, "new": {"mat-khau-moi-1"}, "new2": {"mat-khau-moi-1"}}, 401, "current", "không đúng"},
		{url.Values{"current": {"mat-khau-pd.sec"}, "new": {"mat-khau-moi-1"}, "new2": {"mat-khau-moi-2"}}, 400, "new2", "không khớp"},
		{url.Values{"current": {"mat-khau-pd.sec"}, "new": {"ngan"}, "new2": {"ngan"}}, 400, "new", "ít nhất"},
		{url.Values{"current": {"mat-khau-pd.sec"}, "new": {"mat-khau-pd.sec"}, "new2": {"mat-khau-pd.sec"}}, 400, "new", "khác mật khẩu hiện tại"},
	} {
		bad.form.Set("csrf", csrf)
		status, body, _ := page(t, c, srv, http.MethodPost, "/password", bad.form)
		if status != bad.status || !strings.Contains(fieldError(body, bad.field), bad.want) {
			t.Errorf("%v: %d, field %s says %q", bad.form, status, bad.field, fieldError(body, bad.field))
		}
	}
	status, _, resp := page(t, c, srv, http.MethodPost, "/password", url.Values{"csrf": {csrf}, "current": {"mat-khau-pd.sec"}, "new": {"mat-khau-moi-1"}, "new2": {"mat-khau-moi-1"}})
	if status != http.StatusSeeOther || resp.Header.Get("Location") != "/password?changed=1" {
		t.Fatalf("change: %d %s", status, resp.Header.Get("Location"))
	}
	if status, body, _ := page(t, c, srv, http.MethodGet, "/password?changed=1", nil); status != 200 || !strings.Contains(body, "Đã đổi mật khẩu") {
		t.Errorf("after the change this browser is not logged in: %d", status)
	}
	if status, _, _ := page(t, other, srv, http.MethodGet, "/", nil); status != http.StatusSeeOther {
		t.Errorf("another session survived the change: %d", status)
	}
	if status, _ := bearerGet(t, srv, tok, "/api/v1/members"); status != http.StatusUnauthorized {
		t.Errorf("an API token survived the change: %d", status)
	}
	if _, err := s.Authenticate(t.Context(), "pd.sec", "mat-khau-moi-1", "10.0.0.9"); err != nil {
		t.Errorf("the new password does not log in: %v", err)
	}
	log, err := s.AuditLog(t.Context(), "user", "pd.sec", 20)
	if err != nil {
		t.Fatal(err)
	}
	audited := false
	for _, e := range log {
		audited = audited || e.Action == "set_password" && e.Actor == "pd.sec"
	}
	if !audited {
		t.Errorf("the change is not in the audit log: %+v", log)
	}
}

// TestFirstRunHint: on a database without accounts the login page says how to make the first
// administrator; once one exists it does not.
func TestFirstRunHint(t *testing.T) {
	s, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "first.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&Server{Store: s}).Handler())
	t.Cleanup(srv.Close)
	c := noRedirect()
	if _, body, _ := page(t, c, srv, http.MethodGet, "/login", nil); !strings.Contains(body, "Chưa có tài khoản nào") || !strings.Contains(body, "dangvu user add") {
		t.Errorf("the first login page gives no hint:\n%.1200s", body)
	}
	newUser(t, s, dangvu.User{Username: "admin", UserRole: dangvu.UserAdmin})
	if _, body, _ := page(t, c, srv, http.MethodGet, "/login", nil); strings.Contains(body, "Chưa có tài khoản nào") {
		t.Error("the hint stays once an account exists")
	}
}

func TestCite(t *testing.T) {
	for in, want := range map[string]string{
		"QĐ 45-QĐ/TW (điểm chưa xác minh)":                      "QĐ 45-QĐ/TW",
		"Thời hạn giải quyết khiếu nại kỷ luật (chưa xác minh)": "Thời hạn giải quyết khiếu nại kỷ luật",
		"Điều lệ Đảng 2011 Điều 5 (khoản 2)":                    "Điều lệ Đảng 2011 Điều 5 (khoản 2)",
	} {
		if got := cite(in); got != want {
			t.Errorf("cite(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestGroupAttention: overdue groups first, the most serious kind first among them, each with
// its full count; a group's items keep their order and are cut to the number shown.
func TestGroupAttention(t *testing.T) {
	var items []dangvu.Attention
	add := func(kind, title string, overdue bool, n int) {
		for i := range n {
			items = append(items, dangvu.Attention{Kind: kind, Title: title, Overdue: overdue, Due: dangvu.NewDate(2025, time.January, i+1)})
		}
	}
	add("remedy_overdue", "Quá hạn khắc phục khuyết điểm sau kiểm điểm", true, 84)
	add("admission_ceremony_due", "Quá hạn: Hạn tổ chức lễ kết nạp", true, 2)
	add("probation_ending", "Sắp hết thời gian dự bị", false, 3)
	add("task_due", "Nhiệm vụ sắp đến hạn", false, 1)
	add("inspection_round_overdue", "Cuộc kiểm tra quá thời gian", true, 2)
	groups := groupAttention(items, "PD", 10)
	var got []string
	for _, g := range groups {
		got = append(got, fmt.Sprintf("%s/%v/%d/%d", g.Kind, g.Overdue, g.Count, len(g.Items)))
	}
	want := []string{"admission_ceremony_due/true/2/2", "inspection_round_overdue/true/2/2", "remedy_overdue/true/84/10", "probation_ending/false/3/3", "task_due/false/1/1"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("groups\n got %v\nwant %v", got, want)
	}
	if groups[2].Title != "Khắc phục khuyết điểm sau kiểm điểm" || groups[0].Title != "Hạn tổ chức lễ kết nạp" {
		t.Errorf("titles %q, %q", groups[2].Title, groups[0].Title)
	}
	if groups[2].Items[0].Due != dangvu.MustDate("2025-01-01") || !strings.Contains(groups[2].All, "kind=remedy_overdue") || !strings.Contains(groups[2].All, "overdue=1") {
		t.Errorf("group %+v", groups[2])
	}
}

// TestPaginate: a list says its true total and shows one page, with links keeping the filters.
func TestPaginate(t *testing.T) {
	all := make([]int, 120)
	for _, c := range []struct {
		url                               string
		first, last, pageNo, pages, shown int
		prev, next                        string
	}{
		{"/admissions?org=PD", 1, 50, 1, 3, 50, "", "/admissions?org=PD&page=2"},
		{"/admissions?org=PD&page=3", 101, 120, 3, 3, 20, "/admissions?org=PD&page=2", ""},
		{"/admissions?page=2", 51, 100, 2, 3, 50, "/admissions", "/admissions?page=3"},
		{"/admissions?page=99", 101, 120, 3, 3, 20, "/admissions?page=2", ""},
	} {
		r := httptest.NewRequest(http.MethodGet, c.url, nil)
		shown, p := paginate(r, all, false, "hồ sơ")
		if p.Total != 120 || p.First != c.first || p.Last != c.last || p.PageNo != c.pageNo || p.Pages != c.pages || len(shown) != c.shown || p.Prev != c.prev || p.Next != c.next {
			t.Errorf("%s: %+v, %d shown", c.url, p, len(shown))
		}
	}
}

// TestAddMember (issue 13, defect 3): a ward secretary adds a member arriving from another
// province from the pages; errors come back beside their fields; the member page links the
// life-cycle acts.
func TestAddMember(t *testing.T) {
	srv, s := newAuthServer(t)
	newUser(t, s, dangvu.User{Username: "pd.sec", UserRole: dangvu.UserSecretary, OrgID: "PD"})
	c, csrf := sessionClient(t, srv, "pd.sec", "mat-khau-pd.sec", "/members/new")
	if _, body, _ := page(t, c, srv, http.MethodGet, "/members", nil); !strings.Contains(body, `href="/members/new"`) {
		t.Error("the member list has no 'Thêm đảng viên'")
	}
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	before, err := s.CountMembers(t.Context(), "PD", day, dangvu.CountFilter{})
	if err != nil {
		t.Fatal(err)
	}
	good := url.Values{"csrf": {csrf}, "org": {"khu 1"}, "on": {"01/03/2026"}, "from": {"Đảng bộ tỉnh Bắc Giang"}, "document": {"Số 12-GGT/TU"},
		"full_name": {"Hoàng  Văn Mới"}, "gender": {"male"}, "birth_date": {"1990"}, "ethnicity": {"01"}, "admitted_on": {"01/01/2020"}, "full_on": {"01/01/2021"}}
	bad := url.Values{}
	for k, v := range good {
		bad[k] = v
	}
	bad.Set("org", "K3") // a cell of the sibling ward
	bad.Set("admitted_on", "")
	bad.Set("full_on", "31/02/2021")
	status, body, _ := page(t, c, srv, http.MethodPost, "/members/new", bad)
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("bad form: %d", status)
	}
	for field, want := range map[string]string{"org": "không có chi bộ", "admitted_on": "bắt buộc", "full_on": "31/02/2021"} {
		if got := fieldError(body, field); !strings.Contains(got, want) {
			t.Errorf("field %s says %q, want %q", field, got, want)
		}
	}
	status, _, resp := page(t, c, srv, http.MethodPost, "/members/new", good)
	if status != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/members/M") {
		t.Fatalf("add: %d %s", status, resp.Header.Get("Location"))
	}
	status, body, _ = page(t, c, srv, http.MethodGet, resp.Header.Get("Location"), nil)
	for _, want := range []string{"Hoàng Văn Mới", "Chi bộ khu 1", "Chuyển sinh hoạt chính thức đến", "Đảng bộ tỉnh Bắc Giang", "/acts\"", "Chính thức"} {
		if !strings.Contains(body, want) {
			t.Errorf("the new member's page (%d) lacks %q", status, want)
		}
	}
	if after, err := s.CountMembers(t.Context(), "PD", day, dangvu.CountFilter{}); err != nil || after != before+1 {
		t.Errorf("members of PD: %d before, %d after, %v", before, after, err)
	}
	id := strings.TrimPrefix(strings.SplitN(resp.Header.Get("Location"), "?", 2)[0], "/members/")
	if log, err := s.AuditLog(t.Context(), "member", id, 5); err != nil || len(log) != 1 || log[0].Action != "create" || log[0].Actor != "pd.sec" {
		t.Errorf("audit of the new member: %+v, %v", log, err)
	}
}

// TestAdmissionCodeGenerated (issue 13, defect 7): a file opened without a code gets the year's
// next one; a typed code is kept.
func TestAdmissionCodeGenerated(t *testing.T) {
	srv, s := newAuthServer(t)
	newUser(t, s, dangvu.User{Username: "pd.sec", UserRole: dangvu.UserSecretary, OrgID: "PD"})
	c, csrf := sessionClient(t, srv, "pd.sec", "mat-khau-pd.sec", "/admissions/new?org=K1")
	year := time.Now().Year()
	var got []string
	for _, id := range []string{"", "", "HS-RIENG-1", ""} {
		form := url.Values{"csrf": {csrf}, "org_id": {"K1"}, "id": {id}, "full_name": {"Vũ Văn Nam"}, "gender": {"male"}, "birth_date": {"12/08/2003"}, "education": {"12/12"}}
		status, body, resp := page(t, c, srv, http.MethodPost, "/admissions/new", form)
		if status != http.StatusSeeOther {
			t.Fatalf("create %q: %d %.400s", id, status, body)
		}
		got = append(got, strings.TrimPrefix(resp.Header.Get("Location"), "/admissions/"))
	}
	want := []string{fmt.Sprintf("KN-%d-001", year), fmt.Sprintf("KN-%d-002", year), "HS-RIENG-1", fmt.Sprintf("KN-%d-003", year)}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("codes %v, want %v", got, want)
	}
}

// TestConferenceOrgByName: the conference form takes the organisation by part of its name
// (here refused for its missing document, with the organisation already resolved to its code).
func TestConferenceOrgByName(t *testing.T) {
	srv, s := newAuthServer(t)
	newUser(t, s, dangvu.User{Username: "pd.sec", UserRole: dangvu.UserSecretary, OrgID: "PD"})
	c, csrf := sessionClient(t, srv, "pd.sec", "mat-khau-pd.sec", "/conferences")
	status, body, _ := page(t, c, srv, http.MethodPost, "/conferences", url.Values{"csrf": {csrf}, "kind": {"conference"}, "org_id": {"phuong dong"},
		"title": {"Sinh hoạt chuyên đề"}, "date": {"15/12/2016"}})
	if status != http.StatusBadRequest || !strings.Contains(body, `name="org_id" value="PD"`) || fieldError(body, "org_id") != "" {
		t.Errorf("conference by name: %d, org field %q", status, fieldError(body, "org_id"))
	}
}
