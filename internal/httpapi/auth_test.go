package httpapi

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/store"
)

// The access fixture: testdata/sample (ward PD with cells K1, K2 and members M1–M4) plus a
// sibling ward PB with cell K3 and members M5, M6, whose names must never reach PD's users.
var siblingNames = []string{"Hoàng Văn Sáu", "Đỗ Thị Bảy"}

func accessData(t *testing.T) *exchange.Memory {
	t.Helper()
	r, err := exchange.Open("../../testdata/sample")
	if err != nil {
		t.Fatal(err)
	}
	m := exchange.NewMemory()
	for _, tb := range exchange.Tables() {
		err := r.Each(tb.Name, func(_ int, rec exchange.Record) error {
			vals := make([]string, len(tb.Columns))
			for i, c := range tb.Columns {
				vals[i] = rec.Get(c)
			}
			return m.Row(tb.Name, vals)
		})
		if err != nil {
			t.Fatalf("%s: %v", tb.Name, err)
		}
	}
	add := func(table string, kv map[string]string) {
		tb, _ := exchange.Lookup(table)
		vals := make([]string, len(tb.Columns))
		for i, c := range tb.Columns {
			vals[i] = kv[c]
		}
		if err := m.Row(table, vals); err != nil {
			t.Fatal(err)
		}
	}
	add("organisations", map[string]string{"id": "PB", "valid_from": "2010-01-01", "valid_to": "2025-07-01", "name": "Đảng bộ phường Bắc Sơn", "parent_id": "UB", "level": "grassroots_committee", "kind": "ward", "issuer_code": "ĐU"})
	add("organisations", map[string]string{"id": "PB", "valid_from": "2025-07-01", "name": "Đảng bộ phường Bắc Sơn", "parent_id": "QN", "level": "grassroots_committee", "kind": "ward", "issuer_code": "ĐU", "event_id": "E2025"})
	add("organisations", map[string]string{"id": "K3", "valid_from": "2010-01-01", "name": "Chi bộ khu 3", "parent_id": "PB", "level": "cell", "kind": "residential", "issuer_code": "CB"})
	for i, name := range siblingNames {
		id := []string{"M5", "M6"}[i]
		add("members", map[string]string{"id": id, "full_name": name, "gender": []string{"male", "female"}[i], "birth_date": "1980", "ethnicity": "01", "admitted_on": "2005-01-01", "full_on": "2006-01-01"})
		add("member_statuses", map[string]string{"member_id": id, "valid_from": "2005-01-01", "status": "probationary"})
		add("member_statuses", map[string]string{"member_id": id, "valid_from": "2006-01-01", "status": "full"})
		add("memberships", map[string]string{"member_id": id, "org_id": "K3", "valid_from": "2010-01-01", "kind": "official"})
	}
	return m
}

// newAuthServer serves the access fixture with no implicit credentials.
func newAuthServer(t *testing.T) (*httptest.Server, *store.Store) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "auth.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, accessData(t).Reader(), store.ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&Server{Store: s}).Handler())
	t.Cleanup(srv.Close)
	return srv, s
}

func newUser(t *testing.T, s *store.Store, u dangvu.User) string {
	t.Helper()
	if _, err := s.CreateUser(context.Background(), "test", u, "mat-khau-"+u.Username); err != nil {
		t.Fatal(err)
	}
	tok, err := s.CreateAPIToken(context.Background(), "test", u.Username, "test")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func do(t *testing.T, c *http.Client, req *http.Request) (int, string, *http.Response) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp
}

func bearerGet(t *testing.T, srv *httptest.Server, tok, path string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	status, body, _ := do(t, noRedirect(), req)
	return status, body
}

func TestLoginLogout(t *testing.T) {
	srv, s := newAuthServer(t)
	newUser(t, s, dangvu.User{Username: "pd", UserRole: dangvu.UserSecretary, OrgID: "PD"})
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	postRaw := func(path string, form url.Values, csrfHeader string) (int, string, *http.Response) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if csrfHeader != "" {
			req.Header.Set("X-CSRF-Token", csrfHeader)
		}
		return do(t, c, req)
	}
	// post sends the login form as its page does (with the pre-session token), else raw.
	post := func(path string, form url.Values, csrfHeader string) (int, string, *http.Response) {
		if path == "/login" && csrfHeader == "" {
			return postLogin(t, c, srv, form)
		}
		return postRaw(path, form, csrfHeader)
	}
	getc := func(path string) (int, string, *http.Response) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		return do(t, c, req)
	}

	// Anonymous: the API answers 401 in JSON; a page redirects to the login page.
	if status, body, resp := getc("/api/v1/members"); status != 401 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") || !strings.Contains(body, "unauthorized") {
		t.Errorf("anonymous API: %d %s", status, body)
	}
	if status, _, resp := getc("/members?org=PD"); status != http.StatusSeeOther || resp.Header.Get("Location") != "/login?next="+url.QueryEscape("/members?org=PD") {
		t.Errorf("anonymous page: %d → %q", status, resp.Header.Get("Location"))
	}
	if status, body, _ := getc("/login"); status != 200 || !strings.Contains(body, `name="password"`) {
		t.Errorf("login page: %d", status)
	}

	// Wrong password: the form again, with a Vietnamese message, and no cookie.
	status, body, _ := post("/login", url.Values{"username": {"pd"}, "password": {"sai"}}, "")
	if status != 401 || !strings.Contains(body, "Tên đăng nhập hoặc mật khẩu không đúng") {
		t.Errorf("wrong password: %d %s", status, body)
	}
	// A foreign next is not followed.
	status, _, resp := post("/login", url.Values{"username": {"pd"}, "password": {"mat-khau-pd"}, "next": {"//evil.example/x"}}, "")
	if status != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Errorf("login with foreign next: %d → %q", status, resp.Header.Get("Location"))
	}
	var cookie *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == SessionCookie {
			cookie = ck
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Secure || cookie.Path != "/" {
		t.Fatalf("session cookie %+v", cookie)
	}
	status, _, resp = postRaw("/login", url.Values{"username": {"pd"}, "password": {"mat-khau-pd"}, "next": {"/members?org=K1"}}, "")
	if status != 403 {
		// Logged in already: a second login from the same browser needs the session's CSRF token.
		t.Errorf("second login without CSRF: %d", status)
	}

	// Logged in: the API answers, scoped to the ward.
	status, body, _ = getc("/api/v1/members")
	if status != 200 || !strings.Contains(body, `"total":3`) {
		t.Errorf("members of the own ward: %d %s", status, body)
	}

	// CSRF: a POST with the session cookie but no token is refused; with the token it passes.
	if status, _, _ := post("/logout", url.Values{}, ""); status != 403 {
		t.Errorf("logout without CSRF: %d", status)
	}
	if status, _, _ := post("/logout", url.Values{"csrf": {"wrong"}}, ""); status != 403 {
		t.Errorf("logout with a wrong CSRF token: %d", status)
	}
	sess, err := s.Session(context.Background(), cookie.Value)
	if err != nil {
		t.Fatal(err)
	}
	if status, _, resp := post("/logout", url.Values{}, sess.CSRF); status != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Errorf("logout: %d", status)
	}
	if status, _, _ := getc("/api/v1/members"); status != 401 {
		t.Errorf("after logout: %d", status)
	}
	if _, err := s.Session(context.Background(), cookie.Value); dangvu.ErrorCode(err) != dangvu.EUnauthorized {
		t.Errorf("the session survived logout: %v", err)
	}

	// Login with a local next goes there.
	status, _, resp = post("/login", url.Values{"username": {"pd"}, "password": {"mat-khau-pd"}, "next": {"/members?org=K1"}}, "")
	if status != http.StatusSeeOther || resp.Header.Get("Location") != "/members?org=K1" {
		t.Errorf("login with next: %d → %q", status, resp.Header.Get("Location"))
	}
}

func TestSecureCookieBehindHTTPS(t *testing.T) {
	_, s := newAuthServer(t)
	newUser(t, s, dangvu.User{Username: "pd", UserRole: dangvu.UserSecretary, OrgID: "PD"})
	srv := httptest.NewServer((&Server{Store: s, BehindHTTPS: true}).Handler())
	defer srv.Close()
	_, _, resp := postLogin(t, noRedirect(), srv, url.Values{"username": {"pd"}, "password": {"mat-khau-pd"}})
	if len(resp.Cookies()) != 1 || !resp.Cookies()[0].Secure {
		t.Errorf("cookies behind HTTPS: %+v", resp.Cookies())
	}
}

func TestBearerAndScope(t *testing.T) {
	srv, s := newAuthServer(t)
	ward := newUser(t, s, dangvu.User{Username: "pd", UserRole: dangvu.UserSecretary, OrgID: "PD"})
	admin := newUser(t, s, dangvu.User{Username: "root", UserRole: dangvu.UserAdmin})
	if status, _ := bearerGet(t, srv, "wrong", "/api/v1/members"); status != 401 {
		t.Errorf("bad token: %d", status)
	}
	tests := []struct {
		tok, path string
		status    int
		want      []string // in the body
	}{
		{ward, "/api/v1/members", 200, []string{`"total":3`, "Nguyễn Văn Đức"}},
		{ward, "/api/v1/members?org=K1", 200, []string{"Nguyễn Văn Đức"}},
		{ward, "/api/v1/members?org=PB", 403, nil},
		{ward, "/api/v1/members?org=K3", 403, nil},
		{ward, "/api/v1/members?org=QN", 403, nil},
		{ward, "/api/v1/members?q=hoang", 200, []string{`"total":0`}},
		{ward, "/api/v1/members/M1", 200, []string{"Nguyễn Văn Đức"}},
		{ward, "/api/v1/members/M5", 404, []string{"not_found"}},
		{ward, "/api/v1/organisations", 200, []string{`"id":"PD"`, `"id":"K2"`}},
		{ward, "/api/v1/organisations/PB", 403, nil},
		{ward, "/api/v1/organisations/QN/history", 403, nil},
		{ward, "/api/v1/reports/term?org=" + url.QueryEscape("Đảng bộ phường Bắc Sơn"), 403, nil},
		{admin, "/api/v1/members", 200, []string{`"total":5`, "Hoàng Văn Sáu"}},
		{admin, "/api/v1/members/M5", 200, []string{"Hoàng Văn Sáu"}},
	}
	for _, tt := range tests {
		status, body := bearerGet(t, srv, tt.tok, tt.path)
		if status != tt.status {
			t.Errorf("%s: %d, want %d: %s", tt.path, status, tt.status, body)
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: body lacks %s: %s", tt.path, w, body)
			}
		}
		if tt.tok == ward {
			for _, n := range siblingNames {
				if strings.Contains(body, n) {
					t.Errorf("%s: a sibling's member %q leaks: %s", tt.path, n, body)
				}
			}
		}
	}
	// Bearer requests are exempt from CSRF.
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/logout", nil)
	req.Header.Set("Authorization", "Bearer "+ward)
	if status, _, _ := do(t, noRedirect(), req); status != http.StatusSeeOther {
		t.Errorf("POST with a Bearer token: %d", status)
	}
}

// matrixFixtures let a domain's tests add objects to TestRouteMatrix's data set (newAuthServer):
// each creates some in ward PD's subtree and some in the sibling ward PB's, and returns their ids
// per path segment of its routes ("documents": {"D-PD", "D-PB"}). Routes whose {id} names such
// objects are then requested with them.
var matrixFixtures []func(t *testing.T, s *store.Store) map[string][2]string

// matrixParams are values for the parameters some routes require.
var matrixParams = map[string]string{"key": "residential_cells", "format": "xlsx", "ceremony": "2026-09-02", "year": "2026"}

// TestRouteMatrix requests every GET route of the table, as every role scoped to ward PD, once
// with ids and parameters from PD's subtree and once from the sibling ward PB's: a role without
// the route's action gets 403; the own subtree answers; the sibling's answers 403 (organisations)
// or 404 (members) and no body ever names a sibling's member. A new route is covered as it is
// added to the table. The write routes, with foreign ids in their bodies, are the matrix's other
// half: TestRouteMatrixBodies (refs_test.go).
func TestRouteMatrix(t *testing.T) {
	srv, s := newAuthServer(t)
	type scope struct{ name, org, member string }
	own, sibling := scope{"own", "PD", "M1"}, scope{"sibling", "PB", "M5"}
	// Domain objects made by the fixtures, per path segment: [in PD's subtree, in PB's].
	objects := map[string][2]string{}
	for _, f := range matrixFixtures {
		for k, v := range f(t, s) {
			objects[k] = v
		}
	}
	for _, role := range dangvu.UserRoles {
		u := dangvu.User{Username: "u-" + strings.ReplaceAll(string(role.Code), "_", "-"), UserRole: role.Code, OrgID: "PD"}
		if role.Code == dangvu.UserMember {
			u.MemberID = "M1"
		}
		tok := newUser(t, s, u)
		for _, rt := range allRoutes() {
			method, pattern, _ := strings.Cut(rt.pattern, " ")
			if method != http.MethodGet {
				continue // the POST routes are tested one by one
			}
			// Anonymous.
			path := strings.ReplaceAll(pattern, "{$}", "")
			if strings.HasSuffix(path, "/") && path != "/" {
				path += "style.css"
			}
			for _, sc := range []scope{own, sibling} {
				p := path
				id := sc.org
				if idKind(rt.pattern) == "members" {
					id = sc.member
				}
				obj, isObject := objects[idKind(rt.pattern)]
				if isObject {
					id = obj[0]
					if sc == sibling {
						id = obj[1]
					}
				}
				p = strings.ReplaceAll(p, "{id}", id)
				q := url.Values{}
				scoped := false
				for _, name := range rt.params {
					if name == "org" || name == "under" {
						q.Set(name, sc.org)
						scoped = true
					}
					if v, ok := matrixParams[name]; ok {
						q.Set(name, v)
					}
				}
				if len(q) > 0 {
					p += "?" + q.Encode()
				}
				status, body := bearerGet(t, srv, tok, p)
				anon, _ := bearerGet(t, srv, "", p)
				where := string(role.Code) + " " + sc.name + " " + p
				switch {
				case rt.public:
					if anon == 401 || anon == 403 || anon == http.StatusSeeOther {
						t.Errorf("%s: public route refuses anonymous: %d", where, anon)
					}
				case anon != 401 && anon != http.StatusSeeOther:
					t.Errorf("%s: anonymous got %d", where, anon)
				}
				for _, n := range siblingNames {
					if strings.Contains(body, n) {
						t.Errorf("%s: %d: the body names %q, a sibling ward's member", where, status, n)
					}
				}
				if rt.public {
					continue
				}
				hasScope := strings.Contains(rt.pattern, "{id}") || scoped
				memberRoute := idKind(rt.pattern) == "members"
				notFound := memberRoute || isObject // objects outside the subtree answer 404
				switch {
				case !role.Code.Can(rt.action):
					if status != 403 {
						t.Errorf("%s: role without %s got %d", where, rt.action, status)
					}
				case sc == sibling && hasScope:
					if want := map[bool]int{true: 404, false: 403}[notFound]; status != want {
						t.Errorf("%s: sibling subtree got %d, want %d", where, status, want)
					}
				case role.Code == dangvu.UserMember:
					// Only their own record: org-scoped routes are refused.
					if memberRoute && status != 200 || !memberRoute && hasScope && status != 403 {
						t.Errorf("%s: member's account got %d", where, status)
					}
				default:
					if status != 200 {
						t.Errorf("%s: own subtree got %d: %.300s", where, status, body)
					}
				}
			}
		}
	}
}
