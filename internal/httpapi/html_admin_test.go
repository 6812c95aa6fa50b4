package httpapi

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/store"
)

// sessionClient logs a user in with the login form and returns a client with the session cookie
// and the session's CSRF token, read from a page that has a form (formPage).
func sessionClient(t *testing.T, srv *httptest.Server, username, password, formPage string) (*http.Client, string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if status, body, _ := postLogin(t, c, srv, url.Values{"username": {username}, "password": {password}}); status != http.StatusSeeOther {
		t.Fatalf("login %s: %d %.300s", username, status, body)
	}
	if formPage == "" {
		return c, ""
	}
	status, body, _ := page(t, c, srv, http.MethodGet, formPage, nil)
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)
	if status != 200 || m == nil {
		t.Fatalf("%s: %d, no csrf field", formPage, status)
	}
	return c, m[1]
}

func TestAdminUsers(t *testing.T) {
	srv, s := newAuthServer(t)
	newUser(t, s, dangvu.User{Username: "admin", FullName: "Quản trị", UserRole: dangvu.UserAdmin})
	c, csrf := sessionClient(t, srv, "admin", "mat-khau-admin", "/admin/users")

	status, body, _ := page(t, c, srv, http.MethodGet, "/admin/users", nil)
	for _, want := range []string{"Quản lý tài khoản", "admin", "Quản trị hệ thống", "Toàn hệ thống", `href="/admin/users"`, `href="/import"`, `href="/export?format=xlsx"`} {
		if !strings.Contains(body, want) {
			t.Errorf("users page (%d) lacks %q", status, want)
		}
	}

	// Invalid: Vietnamese messages next to the fields, nothing created.
	status, body, _ = page(t, c, srv, http.MethodPost, "/admin/users", url.Values{"csrf": {csrf}, "username": {"Sai Tên"}, "role": {"secretary"}, "password": {"ngan"}})
	if status != 400 {
		t.Errorf("invalid user: %d", status)
	}
	for _, field := range []string{"username", "org", "password"} {
		if fieldError(body, field) == "" {
			t.Errorf("invalid user: no message next to %s", field)
		}
	}
	if !strings.Contains(body, "cần ít nhất 8 ký tự") || !strings.Contains(body, `value="Sai Tên"`) {
		t.Errorf("invalid user: the form lacks the message or the typed values")
	}
	status, body, _ = page(t, c, srv, http.MethodPost, "/admin/users", url.Values{"csrf": {csrf}, "username": {"pd2"}, "role": {"secretary"}, "org": {"XX"}, "password": {"mat-khau-moi-1"}})
	if status != 400 || !strings.Contains(fieldError(body, "org"), "không có tổ chức đảng") {
		t.Errorf("unknown organisation: %d %q", status, fieldError(body, "org"))
	}
	// Without the CSRF token: refused.
	if status, _, _ := page(t, c, srv, http.MethodPost, "/admin/users", url.Values{"username": {"pd2"}, "role": {"secretary"}, "org": {"PD"}, "password": {"mat-khau-moi-1"}}); status != 403 {
		t.Errorf("create without CSRF: %d", status)
	}

	// Valid: created, listed with the organisation's name, and it can log in.
	status, _, resp := page(t, c, srv, http.MethodPost, "/admin/users", url.Values{"csrf": {csrf}, "username": {"pd2"}, "full_name": {"Bí thư mới"}, "role": {"secretary"}, "org": {"PD"}, "password": {"mat-khau-moi-1"}})
	if status != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/admin/users") {
		t.Fatalf("create: %d", status)
	}
	_, body, _ = page(t, c, srv, http.MethodGet, resp.Header.Get("Location"), nil)
	for _, want := range []string{"Đã tạo tài khoản pd2", "Bí thư mới", "Đảng bộ phường Phương Đông", "Bí thư chi bộ, đảng bộ cơ sở"} {
		if !strings.Contains(body, want) {
			t.Errorf("list after create lacks %q", want)
		}
	}
	if status, _, _ := page(t, c, srv, http.MethodPost, "/admin/users", url.Values{"csrf": {csrf}, "username": {"pd2"}, "role": {"secretary"}, "org": {"PD"}, "password": {"mat-khau-moi-1"}}); status != 400 {
		t.Errorf("duplicate username: %d", status)
	}
	pd, _ := sessionClient(t, srv, "pd2", "mat-khau-moi-1", "")

	// A non-administrator: 403, and no menu link.
	if status, _, _ := page(t, pd, srv, http.MethodGet, "/admin/users", nil); status != 403 {
		t.Errorf("secretary on /admin/users: %d", status)
	}
	if _, body, _ := page(t, pd, srv, http.MethodGet, "/", nil); strings.Contains(body, `href="/admin/users"`) || strings.Contains(body, `href="/import"`) {
		t.Errorf("secretary's menu links to administration pages")
	}

	// New password: the old one no longer works, the session ended.
	if status, _, _ := page(t, c, srv, http.MethodPost, "/admin/users/pd2/password", url.Values{"csrf": {csrf}, "password": {"ngan"}}); status != 400 {
		t.Errorf("short new password: %d", status)
	}
	if status, _, _ := page(t, c, srv, http.MethodPost, "/admin/users/pd2/password", url.Values{"csrf": {csrf}, "password": {"mat-khau-moi-2"}}); status != http.StatusSeeOther {
		t.Errorf("set password: %d", status)
	}
	if status, _, _ := page(t, pd, srv, http.MethodGet, "/", nil); status != http.StatusSeeOther {
		t.Errorf("session after password change: %d", status)
	}
	if status, _, _ := postLogin(t, noRedirect(), srv, url.Values{"username": {"pd2"}, "password": {"mat-khau-moi-1"}}); status != 401 {
		t.Errorf("old password: %d", status)
	}
	sessionClient(t, srv, "pd2", "mat-khau-moi-2", "")

	// Disabled: cannot log in; listed as such.
	if status, _, _ := page(t, c, srv, http.MethodPost, "/admin/users/pd2/disable", url.Values{"csrf": {csrf}}); status != http.StatusSeeOther {
		t.Errorf("disable: %d", status)
	}
	if status, _, _ := postLogin(t, noRedirect(), srv, url.Values{"username": {"pd2"}, "password": {"mat-khau-moi-2"}}); status != 403 {
		t.Errorf("disabled login: %d", status)
	}
	if _, body, _ := page(t, c, srv, http.MethodGet, "/admin/users", nil); !strings.Contains(body, "Đã khóa") {
		t.Errorf("list lacks the disabled state")
	}
	if status, _, _ := page(t, c, srv, http.MethodPost, "/admin/users/nobody/disable", url.Values{"csrf": {csrf}}); status != 404 {
		t.Errorf("disable unknown: %d", status)
	}
}

// download fetches /export with a Bearer token and returns the workbook's path.
func download(t *testing.T, srv *httptest.Server, tok string, query ...string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/export?format=xlsx"+strings.Join(query, ""), nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	status, body, resp := do(t, noRedirect(), req)
	if status != 200 {
		t.Fatalf("export: %d %.300s", status, body)
	}
	if cd := resp.Header.Get("Content-Disposition"); !regexp.MustCompile(`^attachment; filename="dangvu-\d{8}\.xlsx"$`).MatchString(cd) {
		t.Errorf("Content-Disposition %q", cd)
	}
	p := filepath.Join(t.TempDir(), "export.xlsx")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// column collects one column of a table of a data set.
func column(t *testing.T, path, table, col string) []string {
	t.Helper()
	r, err := exchange.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []string
	if err := r.Each(table, func(_ int, rec exchange.Record) error { out = append(out, rec.Get(col)); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestExportScope(t *testing.T) {
	srv, s := newAuthServer(t)
	ward := newUser(t, s, dangvu.User{Username: "pd-staff", UserRole: dangvu.UserStaffOrg, OrgID: "PD"})
	admin := newUser(t, s, dangvu.User{Username: "root", UserRole: dangvu.UserAdmin})
	sec := newUser(t, s, dangvu.User{Username: "pd-sec", UserRole: dangvu.UserSecretary, OrgID: "PD"})

	p := download(t, srv, ward)
	names := strings.Join(column(t, p, "members", "full_name"), "|")
	for _, n := range []string{"Nguyễn Văn Đức", "Trần Thị An"} {
		if !strings.Contains(names, n) {
			t.Errorf("ward export lacks %s: %s", n, names)
		}
	}
	for _, n := range siblingNames {
		if strings.Contains(names, n) {
			t.Errorf("ward export names the sibling ward's member %s", n)
		}
	}
	orgs := column(t, p, "organisations", "id")
	for _, id := range orgs {
		if id == "PB" || id == "K3" || id == "UB" {
			t.Errorf("ward export holds organisation %s", id)
		}
	}
	for _, id := range column(t, p, "memberships", "org_id") {
		if id == "K3" || id == "PB" {
			t.Errorf("ward export holds a membership in %s", id)
		}
	}
	if strings.Join(column(t, p, "member_statuses", "member_id"), ",") == "" {
		t.Errorf("ward export has no statuses")
	}
	log, err := s.AuditLog(context.Background(), "dataset", "PD", 10)
	if err != nil || len(log) == 0 || log[0].Action != "export" || log[0].Actor != "pd-staff" || !strings.Contains(log[0].After, `"members"`) {
		t.Errorf("export not audited: %v %+v", err, log)
	}

	// The administrator gets everything.
	all := strings.Join(column(t, download(t, srv, admin), "members", "full_name"), "|")
	for _, n := range siblingNames {
		if !strings.Contains(all, n) {
			t.Errorf("full export lacks %s", n)
		}
	}
	// A role without the export action: 403; an unknown format: 400.
	if status, _ := bearerGet(t, srv, sec, "/export?format=xlsx"); status != 403 {
		t.Errorf("secretary export: %d", status)
	}
	if status, _ := bearerGet(t, srv, admin, "/export?format=pdf"); status != 400 {
		t.Errorf("pdf export: %d", status)
	}
}

// upload posts a file to /import with the session's CSRF token in the form.
func upload(t *testing.T, c *http.Client, srv *httptest.Server, csrf, name string, data []byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", csrf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	status, body, _ := do(t, c, req)
	return status, body
}

// emptyServer serves an empty database with an administrator "admin".
func emptyServer(t *testing.T) (*httptest.Server, *store.Store) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "empty.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	newUser(t, s, dangvu.User{Username: "admin", UserRole: dangvu.UserAdmin})
	srv := httptest.NewServer((&Server{Store: s}).Handler())
	t.Cleanup(srv.Close)
	return srv, s
}

// sampleZip zips testdata/sample, with edit applied to each file's text.
func sampleZip(t *testing.T, edit func(name, text string) string, extra ...string) []byte {
	t.Helper()
	files, err := filepath.Glob("../../testdata/sample/*.csv")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		w, _ := zw.Create("sample/" + filepath.Base(f))
		io.WriteString(w, edit(filepath.Base(f), string(b)))
	}
	for _, name := range extra {
		w, _ := zw.Create(name)
		io.WriteString(w, "x")
	}
	zw.Close()
	return buf.Bytes()
}

func TestImportPage(t *testing.T) {
	src, ss := newAuthServer(t)
	tok := newUser(t, ss, dangvu.User{Username: "root", UserRole: dangvu.UserAdmin})
	// Revealed: a masked export (the default) is refused on import, its CCCDs being masked.
	xlsx, err := os.ReadFile(download(t, src, tok, "&reveal=1"))
	if err != nil {
		t.Fatal(err)
	}

	// A good workbook: the counts per table.
	srv, s := emptyServer(t)
	c, csrf := sessionClient(t, srv, "admin", "mat-khau-admin", "/import")
	status, body := upload(t, c, srv, csrf, "dangvu.xlsx", xlsx)
	if status != 200 || !strings.Contains(body, `<td>members</td><td class="num">6</td>`) || !strings.Contains(body, "Đã nhập xong") {
		t.Fatalf("import xlsx: %d %s", status, body)
	}
	if _, err := s.Member(context.Background(), "M5", time.Now()); err != nil {
		t.Errorf("imported member: %v", err)
	}

	// A bad row: every error listed, nothing changed.
	srv2, s2 := emptyServer(t)
	c2, csrf2 := sessionClient(t, srv2, "admin", "mat-khau-admin", "/import")
	bad := sampleZip(t, func(name, text string) string {
		if name == "members.csv" {
			return strings.Replace(text, "1970-03-15", "1970-13-45", 1)
		}
		return text
	})
	status, body = upload(t, c2, srv2, csrf2, "bad.zip", bad)
	if status != http.StatusUnprocessableEntity || !regexp.MustCompile(`members\.csv, dòng 2, cột birth_date</td><td>[^<]+`).MatchString(body) {
		t.Errorf("bad row: %d %s", status, body)
	}
	if _, err := s2.Member(context.Background(), "M2", time.Now()); dangvu.ErrorCode(err) != dangvu.ENotFound {
		t.Errorf("a refused import changed the data: %v", err)
	}
	// The good zip imports.
	status, body = upload(t, c2, srv2, csrf2, "good.zip", sampleZip(t, func(_, text string) string { return text }))
	if status != 200 || !strings.Contains(body, `<td>members</td><td class="num">4</td>`) {
		t.Errorf("good zip: %d %.500s", status, body)
	}
	// Paths climbing out of the folder, other files, no file, no CSRF.
	if status, body := upload(t, c2, srv2, csrf2, "evil.zip", sampleZip(t, func(_, text string) string { return text }, "../evil.csv")); status != 400 || !strings.Contains(body, "không được phép") {
		t.Errorf("zip with ..: %d", status)
	}
	if status, _ := upload(t, c2, srv2, csrf2, "data.txt", []byte("x")); status != 400 {
		t.Errorf("txt upload: %d", status)
	}
	if status, _ := upload(t, c2, srv2, "", "dangvu.xlsx", xlsx); status != 403 {
		t.Errorf("upload without CSRF: %d", status)
	}

	// Organisation staff import within their subtree (issue 21): the page says so, and the whole
	// tree's workbook is refused row by row (TestScopedImportHTTP has the API's).
	newUser(t, s2, dangvu.User{Username: "pd", UserRole: dangvu.UserStaffOrg, OrgID: "PD"})
	pd, _ := sessionClient(t, srv2, "pd", "mat-khau-pd", "")
	if status, body, _ := page(t, pd, srv2, http.MethodGet, "/import", nil); status != 200 || !strings.Contains(body, "Bạn nhập trong phạm vi <strong>Đảng bộ phường Phương Đông</strong>") {
		t.Errorf("import page for organisation staff: %d", status)
	}
	_, body, _ = page(t, pd, srv2, http.MethodGet, "/members?org=PD", nil)
	pdCSRF := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)
	if pdCSRF == nil {
		t.Fatal("no csrf for pd")
	}
	if status, body := upload(t, pd, srv2, pdCSRF[1], "dangvu.xlsx", xlsx); status != 422 || !strings.Contains(body, "nằm ngoài phạm vi của Đảng bộ phường Phương Đông") {
		t.Errorf("the whole tree imported by the ward's staff: %d", status)
	}
	newUser(t, s2, dangvu.User{Username: "pdsec", UserRole: dangvu.UserSecretary, OrgID: "PD"})
	ps, _ := sessionClient(t, srv2, "pdsec", "mat-khau-pdsec", "")
	if status, _, _ := page(t, ps, srv2, http.MethodGet, "/import", nil); status != 403 {
		t.Errorf("import page for a secretary: %d", status)
	}
}
