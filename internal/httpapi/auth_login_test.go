package httpapi

import (
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"dangvu"
	"dangvu/internal/store"
)

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// loginToken opens the login page as a browser would and returns the form's CSRF token and the
// pre-session cookie that goes with it (also kept in c's jar, when it has one).
func loginToken(t *testing.T, c *http.Client, srv *httptest.Server) (string, *http.Cookie) {
	t.Helper()
	status, body, resp := page(t, c, srv, http.MethodGet, "/login", nil)
	m := csrfField.FindStringSubmatch(body)
	if status != 200 || m == nil {
		t.Fatalf("login page: %d, no csrf field", status)
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == LoginCookie {
			return m[1], ck
		}
	}
	if c.Jar != nil { // the jar had the cookie already
		u, _ := url.Parse(srv.URL + "/login")
		for _, ck := range c.Jar.Cookies(u) {
			if ck.Name == LoginCookie {
				return m[1], ck
			}
		}
	}
	t.Fatal("the login page set no pre-session cookie")
	return "", nil
}

// postLogin posts a form (the login or its second step, by path) the way the login page does:
// with the page's CSRF token and cookie.
func postLogin(t *testing.T, c *http.Client, srv *httptest.Server, form url.Values) (int, string, *http.Response) {
	t.Helper()
	return postLoginTo(t, c, srv, "/login", form)
}

func postLoginTo(t *testing.T, c *http.Client, srv *httptest.Server, path string, form url.Values) (int, string, *http.Response) {
	t.Helper()
	tok, ck := loginToken(t, c, srv)
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	if f.Get("csrf") == "" {
		f.Set("csrf", tok)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(f.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if c.Jar == nil {
		req.AddCookie(ck)
	}
	return do(t, c, req)
}

// TestLoginCSRF: the login form is accepted only with its pre-session token (from the body, never
// the query string) and only from this site; a cross-site post cannot log a browser in.
func TestLoginCSRF(t *testing.T) {
	srv, s := newAuthServer(t)
	newUser(t, s, dangvu.User{Username: "pd", UserRole: dangvu.UserSecretary, OrgID: "PD"})
	creds := url.Values{"username": {"pd"}, "password": {"mat-khau-pd"}}
	tests := []struct {
		name    string
		token   string // "page" for the login page's token
		cookie  bool   // send the pre-session cookie
		inQuery bool   // the token in the query string instead of the body
		headers map[string]string
		want    int
	}{
		{"the page's token and cookie", "page", true, false, nil, http.StatusSeeOther},
		{"same-origin browser headers", "page", true, false, map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "ORIGIN"}, http.StatusSeeOther},
		{"no token, no cookie (a cross-site form)", "", false, false, nil, http.StatusForbidden},
		{"a token without its cookie", "page", false, false, nil, http.StatusForbidden},
		{"a cookie with another token", "x" + strings.Repeat("A", 42), true, false, nil, http.StatusForbidden},
		{"the token in the query string", "page", true, true, nil, http.StatusForbidden},
		{"posted from another site (Sec-Fetch-Site)", "page", true, false, map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"posted from another site (Origin)", "page", true, false, map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := noRedirect()
			tok, ck := loginToken(t, c, srv)
			if tc.token != "page" {
				tok = tc.token
			}
			form, path := url.Values{}, "/login"
			for k, v := range creds {
				form[k] = v
			}
			if tc.inQuery {
				path += "?csrf=" + url.QueryEscape(tok)
			} else if tok != "" {
				form.Set("csrf", tok)
			}
			req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tc.cookie {
				req.AddCookie(ck)
			}
			for k, v := range tc.headers {
				req.Header.Set(k, strings.ReplaceAll(v, "ORIGIN", srv.URL))
			}
			status, body, resp := do(t, c, req)
			if status != tc.want {
				t.Fatalf("status %d, want %d: %.300s", status, tc.want, body)
			}
			session := false
			for _, ck := range resp.Cookies() {
				session = session || ck.Name == SessionCookie && ck.Value != ""
			}
			if session != (tc.want == http.StatusSeeOther) {
				t.Errorf("session cookie set: %v", session)
			}
			if tc.want == http.StatusForbidden && !strings.Contains(body, `name="password"`) && !strings.Contains(body, "trang web khác") {
				t.Errorf("refusal does not say why: %.300s", body)
			}
		})
	}
	// The pre-session cookie is HttpOnly, SameSite=Strict and limited to the login forms.
	_, ck := loginToken(t, noRedirect(), srv)
	if !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/login" {
		t.Errorf("pre-session cookie %+v", ck)
	}
}

// TestSessionCSRF: with a session, the CSRF token is read from the header or the body, never the
// query string, and a cross-site post is refused even with the right token.
func TestSessionCSRF(t *testing.T) {
	srv, s := newAuthServer(t)
	newUser(t, s, dangvu.User{Username: "pd", UserRole: dangvu.UserSecretary, OrgID: "PD"})
	tests := []struct {
		name    string
		query   bool
		origin  string
		fetched string
		want    int
	}{
		{"in the query string", true, "", "", http.StatusForbidden},
		{"cross-site, with the token", false, "https://evil.example", "", http.StatusForbidden},
		{"same-site subdomain, with the token", false, "", "same-site", http.StatusForbidden},
		{"in the body", false, "", "same-origin", http.StatusSeeOther},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			jar, _ := cookiejar.New(nil)
			c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			if status, body, _ := postLogin(t, c, srv, url.Values{"username": {"pd"}, "password": {"mat-khau-pd"}}); status != http.StatusSeeOther {
				t.Fatalf("login: %d %.300s", status, body)
			}
			_, body, _ := page(t, c, srv, http.MethodGet, "/login", nil)
			m := csrfField.FindStringSubmatch(body)
			if m == nil {
				t.Fatal("no csrf field on the login page of a logged-in browser")
			}
			path, form := "/logout", url.Values{"csrf": {m[1]}}
			if tc.query {
				path, form = "/logout?csrf="+url.QueryEscape(m[1]), url.Values{}
			}
			req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tc.origin != "" {
				req.Header.Set("Origin", tc.origin)
			}
			if tc.fetched != "" {
				req.Header.Set("Sec-Fetch-Site", tc.fetched)
			}
			if status, body, _ := do(t, c, req); status != tc.want {
				t.Errorf("logout: %d, want %d: %.200s", status, tc.want, body)
			}
		})
	}
}

// TestTokensEndWithWebChanges: an administrator's new password for a user, or disabling the user,
// on the web pages ends that user's API tokens.
func TestTokensEndWithWebChanges(t *testing.T) {
	for _, action := range []string{"password", "disable"} {
		t.Run(action, func(t *testing.T) {
			srv, s := newAuthServer(t)
			newUser(t, s, dangvu.User{Username: "root", UserRole: dangvu.UserAdmin})
			tok := newUser(t, s, dangvu.User{Username: "pd", UserRole: dangvu.UserSecretary, OrgID: "PD"})
			if status, _ := bearerGet(t, srv, tok, "/api/v1/members"); status != 200 {
				t.Fatalf("token before: %d", status)
			}
			c, csrf := sessionClient(t, srv, "root", "mat-khau-root", "/admin/users")
			if status, body, _ := page(t, c, srv, http.MethodPost, "/admin/users/pd/"+action, url.Values{"csrf": {csrf}, "password": {"mat-khau-moi-pd"}}); status != http.StatusSeeOther {
				t.Fatalf("%s: %d %.300s", action, status, body)
			}
			if status, _ := bearerGet(t, srv, tok, "/api/v1/members"); status != 401 {
				t.Errorf("token after %s: %d, want 401", action, status)
			}
		})
	}
}

// TestLoginThrottleBehindProxy: behind the HTTPS proxy every connection comes from the proxy, so
// throttling counts the address the proxy forwards; five wrong passwords from one client do not
// lock the account for the others. Without a proxy the header is the client's word and ignored.
func TestLoginThrottleBehindProxy(t *testing.T) {
	_, s := newAuthServer(t)
	newUser(t, s, dangvu.User{Username: "pd", UserRole: dangvu.UserSecretary, OrgID: "PD"})
	tests := []struct {
		name      string
		proxy     bool
		otherWant int // the right password from another forwarded address
	}{
		{"behind the proxy", true, http.StatusSeeOther},
		{"no proxy: X-Forwarded-For ignored", false, http.StatusTooManyRequests},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer((&Server{Store: s, BehindHTTPS: tc.proxy}).Handler())
			defer srv.Close()
			user := fmt.Sprintf("pd%d", i)
			newUser(t, s, dangvu.User{Username: user, UserRole: dangvu.UserSecretary, OrgID: "PD"})
			try := func(password, from string) int {
				c := noRedirect()
				tok, ck := loginToken(t, c, srv)
				form := url.Values{"username": {user}, "password": {password}, "csrf": {tok}}
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/login", strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("X-Forwarded-For", "10.9.9.9, "+from) // a forged first entry, then the proxy's
				req.AddCookie(ck)
				status, _, _ := do(t, c, req)
				return status
			}
			for range store.MaxUserFailures {
				if status := try("doan-bua", "203.0.113.7"); status != http.StatusUnauthorized {
					t.Fatalf("wrong password: %d", status)
				}
			}
			if status := try("mat-khau-"+user, "203.0.113.7"); status != http.StatusTooManyRequests {
				t.Errorf("the guessing client: %d, want 429", status)
			}
			if status := try("mat-khau-"+user, "198.51.100.20"); status != tc.otherWant {
				t.Errorf("another client: %d, want %d", status, tc.otherWant)
			}
		})
	}
}
