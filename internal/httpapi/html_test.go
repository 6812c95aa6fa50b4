package httpapi

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"dangvu"
)

// page fetches a page without following redirects and returns its status and body.
func page(t *testing.T, c *http.Client, srv *httptest.Server, method, path string, form url.Values) (int, string, *http.Response) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b), resp
}

func noRedirect() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func TestPagesRender(t *testing.T) {
	srv := newTestServer(t)
	c := noRedirect()
	// One request per page route with valid parameters, and the text each must show.
	want := map[string]struct {
		path string
		text []string
	}{
		"GET /{$}":                {"/", []string{"Đảng vụ", "Đảng Cộng sản Việt Nam", "Tổng số đảng viên", "Đảng viên dự bị", "Đảng viên nữ"}},
		"GET /orgs":               {"/orgs?as_of=31/05/2018&under=UB", []string{"Đảng bộ thành phố Uông Bí", "Chi bộ khu 1", "Đảng bộ phường Phương Đông", "31/05/2018"}},
		"GET /orgs/{id}":          {"/orgs/PD?as_of=31/05/2018", []string{"Đảng bộ phường Phương Đông", "Đảng bộ cơ sở", "Phường", "Đảng bộ thành phố Uông Bí", "Chi bộ khu 1", "Lịch sử", "Trần Thị An"}},
		"GET /members":            {"/members?org=PD&as_of=31/05/2018", []string{"4 đảng viên", "Trần Thị An", "Lê Văn Bình", "Nguyễn Văn Đức", "Phạm Thị Hoa", "19/05/1995"}},
		"GET /members/{id}":       {"/members/M1", []string{"Nguyễn Văn Đức", "15/03/1970", "*********234", "Chính thức", "Chi bộ khu 1", "Bí thư Chi bộ", "Quá trình sinh hoạt", "Trung cấp"}},
		"GET /members/{id}/edit":  {"/members/M1/edit", []string{"Sửa hồ sơ", `name="birth_date"`, "15/03/1970", `name="csrf"`}},
		"POST /members/{id}/edit": {"", nil}, // tested in TestMemberEdit
		"GET /audit":              {"/audit", []string{"Nhật ký thay đổi", "test"}},
		"GET /static/":            {"/static/style.css", []string{"@media print"}},
	}
	for _, rt := range pageRoutes() {
		w, ok := want[rt.pattern]
		if !ok {
			t.Errorf("no test for page route %s", rt.pattern)
			continue
		}
		if w.path == "" {
			continue
		}
		t.Run(rt.pattern, func(t *testing.T) {
			status, body, resp := page(t, c, srv, http.MethodGet, w.path, nil)
			if status != http.StatusOK {
				t.Fatalf("%s: status %d\n%s", w.path, status, body)
			}
			if rt.pattern != "GET /static/" && !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				t.Errorf("Content-Type %q", resp.Header.Get("Content-Type"))
			}
			for _, s := range w.text {
				if !strings.Contains(body, s) {
					t.Errorf("%s lacks %q", w.path, s)
				}
			}
			if strings.Contains(body, "<script") || strings.Contains(body, "style=") {
				t.Errorf("%s has an inline script or style", w.path)
			}
		})
	}
	// An ID number is never shown in full by default.
	if _, body, _ := page(t, c, srv, http.MethodGet, "/members/M1", nil); strings.Contains(body, "022070001234") {
		t.Error("member page shows the whole ID number")
	}
}

func TestPageErrors(t *testing.T) {
	srv := newTestServer(t)
	c := noRedirect()
	for path, want := range map[string]int{
		"/members/NOPE":             404,
		"/orgs/NOPE":                404,
		"/orgs?as_of=31/02/2018":    400,
		"/members?status=nope":      400,
		"/members/NOPE/edit":        404,
		"/orgs/UB?as_of=01/01/2026": 404,
	} {
		status, body, resp := page(t, c, srv, http.MethodGet, path, nil)
		if status != want {
			t.Errorf("%s: status %d, want %d", path, status, want)
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(body, "Đảng vụ") {
			t.Errorf("%s: not an HTML error page: %q", path, body)
		}
	}
}

func TestMemberSearchPage(t *testing.T) {
	srv := newTestServer(t)
	c := noRedirect()
	for _, q := range []string{"Nguyễn Văn Đức", "nguyen van duc", "NGUYEN VAN DUC", "nguyễn văn đức", "nguyen van"} {
		status, body, _ := page(t, c, srv, http.MethodGet, "/members?q="+url.QueryEscape(q), nil)
		if status != 200 || !strings.Contains(body, "Nguyễn Văn Đức") || !strings.Contains(body, "1 đảng viên") {
			t.Errorf("search %q: status %d, did not find Nguyễn Văn Đức", q, status)
		}
	}
	if _, body, _ := page(t, c, srv, http.MethodGet, "/members?q=zzz", nil); !strings.Contains(body, "Không tìm thấy") {
		t.Error("search zzz: no empty-result message")
	}
	// Filters: women under PD on 31/05/2018 are An and Hoa.
	_, body, _ := page(t, c, srv, http.MethodGet, "/members?org=PD&gender=female&as_of=31/05/2018", nil)
	if !strings.Contains(body, "Trần Thị An") || !strings.Contains(body, "Phạm Thị Hoa") || strings.Contains(body, "Lê Văn Bình") {
		t.Errorf("gender filter: %s", body)
	}
}

// fieldError returns the error message shown next to a form field, "" when none.
func fieldError(body, field string) string {
	m := regexp.MustCompile(`<p class="field-error" id="e-` + field + `">([^<]*)</p>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

func editForm(birth string) url.Values {
	return url.Values{
		"csrf": {""}, "full_name": {"Nguyễn Văn Đức"}, "gender": {"male"}, "birth_date": {birth}, "ethnicity": {"01"},
		"hometown": {"Uông Bí"}, "residence": {"Khu 1"}, "education": {"12/12"}, "qualification": {"Kỹ sư"},
		"theory_level": {"intermediate"}, "occupation": {"Công chức"}, "position": {"Bí thư chi bộ"},
		"admitted_on": {"19/05/1995"}, "full_on": {"19/05/1996"},
	}
}

func TestMemberEdit(t *testing.T) {
	srv := newTestServer(t)
	c := noRedirect()

	// A bad birth date: 422, the message next to the field, the typed values kept, nothing changed.
	form := editForm("31/02/1975")
	form.Set("hometown", "Hạ Long")
	status, body, _ := page(t, c, srv, http.MethodPost, "/members/M1/edit", form)
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("bad date: status %d, want 422", status)
	}
	if msg := fieldError(body, "birth_date"); !strings.Contains(msg, "31/02/1975") {
		t.Errorf("bad date: message next to birth_date = %q\n%s", msg, body)
	}
	if !strings.Contains(body, `value="31/02/1975"`) || !strings.Contains(body, `value="Hạ Long"`) {
		t.Error("bad date: typed values not kept")
	}
	// Several errors at once, each next to its field.
	form = editForm("1975")
	form.Set("full_name", " ")
	form.Set("full_on", "01/01/1990")
	if status, body, _ = page(t, c, srv, http.MethodPost, "/members/M1/edit", form); status != 422 ||
		fieldError(body, "full_name") == "" || fieldError(body, "full_on") == "" || fieldError(body, "birth_date") != "" {
		t.Errorf("store validation: status %d, full_name %q, full_on %q", status, fieldError(body, "full_name"), fieldError(body, "full_on"))
	}
	_, m := get(t, srv, "/api/v1/members/M1")
	if at(m, "member", "birth_date") != "1970-03-15" || at(m, "member", "hometown") != "Uông Bí" {
		t.Fatalf("a refused edit changed the record: %v", at(m, "member"))
	}

	// A good edit: a year alone is a partial date; 303 to the member page.
	status, _, resp := page(t, c, srv, http.MethodPost, "/members/M1/edit", editForm("1975"))
	if status != http.StatusSeeOther || resp.Header.Get("Location") != "/members/M1" {
		t.Fatalf("good edit: status %d, Location %q", status, resp.Header.Get("Location"))
	}
	_, m = get(t, srv, "/api/v1/members/M1?reveal=1")
	if at(m, "member", "birth_date") != "1975" || at(m, "member", "id_number") != "022070001234" {
		t.Errorf("after edit: birth_date %v, id_number %v", at(m, "member", "birth_date"), at(m, "member", "id_number"))
	}
	// A full date typed dd/mm/yyyy is stored ISO.
	if status, _, _ = page(t, c, srv, http.MethodPost, "/members/M1/edit", editForm("03/05/1975")); status != 303 {
		t.Fatalf("second edit: status %d", status)
	}
	_, m = get(t, srv, "/api/v1/members/M1")
	if at(m, "member", "birth_date") != "1975-05-03" {
		t.Errorf("after second edit: birth_date %v", at(m, "member", "birth_date"))
	}

	// The audit page shows both edits, newest first, with old and new values and the author.
	status, body, _ = page(t, c, srv, http.MethodGet, "/audit?entity=member&id=M1", nil)
	if status != 200 {
		t.Fatalf("audit: status %d", status)
	}
	for _, s := range []string{"Ngày sinh", "15/03/1970", "1975", "03/05/1975", "root", "Sửa"} {
		if !strings.Contains(body, s) {
			t.Errorf("audit page lacks %q", s)
		}
	}
	if i, j := strings.Index(body, "03/05/1975"), strings.Index(body, "15/03/1970"); i < 0 || j < 0 || i > j {
		t.Error("audit page is not newest first")
	}
	if !regexp.MustCompile(`\d\d/\d\d/\d{4} \d\d:\d\d`).MatchString(body) {
		t.Error("audit page lacks dd/mm/yyyy HH:MM times")
	}
}

// TestPagesWithSession walks the pages as a browser does: log in, open the edit form, post it
// back with the form's own CSRF field; a post without it is refused and changes nothing.
func TestPagesWithSession(t *testing.T) {
	srv, s := newAuthServer(t)
	newUser(t, s, dangvu.User{Username: "pd", FullName: "Bí thư Phương Đông", UserRole: dangvu.UserSecretary, OrgID: "PD"})
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if status, body, _ := page(t, c, srv, http.MethodGet, "/login", nil); status != 200 || !strings.Contains(body, "Đăng nhập") || !strings.Contains(body, "/static/style.css") {
		t.Fatalf("login page: %d", status)
	}
	if status, _, _ := postLogin(t, c, srv, url.Values{"username": {"pd"}, "password": {"mat-khau-pd"}}); status != http.StatusSeeOther {
		t.Fatalf("login: %d", status)
	}
	// The header names the user and their role; the home page is their ward.
	status, body, _ := page(t, c, srv, http.MethodGet, "/", nil)
	if status != 200 {
		t.Fatalf("home: %d", status)
	}
	for _, s := range []string{"Bí thư Phương Đông", "Bí thư chi bộ, đảng bộ cơ sở", "Đảng bộ phường Phương Đông", `action="/logout"`} {
		if !strings.Contains(body, s) {
			t.Errorf("home lacks %q", s)
		}
	}
	_, body, _ = page(t, c, srv, http.MethodGet, "/members/M1/edit", nil)
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("edit form lacks a filled csrf field")
	}
	form := editForm("1978")
	form.Del("csrf")
	if status, _, _ := page(t, c, srv, http.MethodPost, "/members/M1/edit", form); status != http.StatusForbidden {
		t.Errorf("edit without CSRF: %d", status)
	}
	if mm, _ := s.Member(context.Background(), "M1", time.Now()); mm.BirthDate != "1970-03-15" {
		t.Errorf("a refused post changed the birth date to %q", mm.BirthDate)
	}
	form.Set("csrf", m[1])
	if status, _, resp := page(t, c, srv, http.MethodPost, "/members/M1/edit", form); status != http.StatusSeeOther || resp.Header.Get("Location") != "/members/M1" {
		t.Errorf("edit with CSRF: %d", status)
	}
	if mm, _ := s.Member(context.Background(), "M1", time.Now()); mm.BirthDate != "1978" {
		t.Errorf("birth date after edit: %q", mm.BirthDate)
	}
	log, _ := s.AuditLog(context.Background(), "member", "M1", 1)
	if len(log) != 1 || log[0].Actor != "pd" {
		t.Errorf("audit actor: %+v", log)
	}
	// Outside the ward: not found, and the sibling's name is not shown.
	if status, body, _ := page(t, c, srv, http.MethodGet, "/members/M5/edit", nil); status != 404 || strings.Contains(body, siblingNames[0]) {
		t.Errorf("sibling member's edit form: %d", status)
	}
}

// TestAuditValue: logged values read the Vietnamese way, not as stored codes.
func TestAuditValue(t *testing.T) {
	for _, tt := range []struct {
		field string
		v     any
		want  string
	}{
		{"birth_date", "1975-03-15", "15/03/1975"},
		{"role", "secretary", "Bí thư chi bộ, đảng bộ cơ sở"},
		{"disabled", false, "Không"},
		{"disabled", true, "Có"},
		{"expires", "2026-11-27T16:22:04.105318Z", "27/11/2026 23:22"},
		{"gender", "female", "Nữ"},
		{"note", "x", "x"},
	} {
		if got := auditValue(tt.field, tt.v); got != tt.want {
			t.Errorf("auditValue(%q, %v) = %q, want %q", tt.field, tt.v, got, tt.want)
		}
	}
}
