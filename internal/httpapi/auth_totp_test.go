package httpapi

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/store"
)

var pendingField = regexp.MustCompile(`name="pending" value="([^"]+)"`)

func TestLoginTOTP(t *testing.T) {
	srv, s := newAuthServer(t)
	ctx := context.Background()
	newUser(t, s, dangvu.User{Username: "pd", UserRole: dangvu.UserSecretary, OrgID: "PD"})
	secret, _, err := s.EnableTOTP(ctx, "test", "pd")
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	hasSession := func() bool {
		u, _ := url.Parse(srv.URL)
		for _, ck := range jar.Cookies(u) {
			if ck.Name == SessionCookie && ck.Value != "" {
				return true
			}
		}
		return false
	}
	login := func() string {
		t.Helper()
		status, body, _ := postLogin(t, c, srv, url.Values{"username": {"pd"}, "password": {"mat-khau-pd"}, "next": {"/members?org=K1"}})
		m := pendingField.FindStringSubmatch(body)
		if status != 200 || m == nil || !strings.Contains(body, `name="code"`) || !strings.Contains(body, `action="/login/totp"`) {
			t.Fatalf("password of a TOTP user: %d %s", status, body)
		}
		return m[1]
	}

	// The password alone: the second step, no session.
	pending := login()
	if hasSession() {
		t.Fatal("the password alone gave a session cookie")
	}
	if status, _, _ := page(t, c, srv, http.MethodGet, "/api/v1/members", nil); status != 401 {
		t.Errorf("API after the password alone: %d", status)
	}
	if _, err := s.Session(ctx, pending); dangvu.ErrorCode(err) != dangvu.EUnauthorized {
		t.Errorf("the pending token is a session: %v", err)
	}

	// A wrong code: the form again, still no session.
	good, _ := store.TOTPCode(secret, time.Now())
	wrong := "000000"
	if wrong == good {
		wrong = "111111"
	}
	status, body, _ := postLoginTo(t, c, srv, "/login/totp", url.Values{"pending": {pending}, "code": {wrong}, "next": {"/members?org=K1"}})
	if status != 401 || !strings.Contains(body, "Mã xác thực không đúng") || !strings.Contains(body, pending) || hasSession() {
		t.Errorf("wrong code: %d %s", status, body)
	}
	// An unknown pending login: back to the password form.
	status, body, _ = postLoginTo(t, c, srv, "/login/totp", url.Values{"pending": {pending + "x"}, "code": {good}})
	if status != 401 || !strings.Contains(body, `name="password"`) || hasSession() {
		t.Errorf("unknown pending login: %d %s", status, body)
	}

	// The right code: logged in, to next.
	code, _ := store.TOTPCode(secret, time.Now())
	status, _, resp := postLoginTo(t, c, srv, "/login/totp", url.Values{"pending": {pending}, "code": {code}, "next": {"/members?org=K1"}})
	if status != http.StatusSeeOther || resp.Header.Get("Location") != "/members?org=K1" || !hasSession() {
		t.Fatalf("right code: %d → %q", status, resp.Header.Get("Location"))
	}
	if status, body, _ := page(t, c, srv, http.MethodGet, "/api/v1/members", nil); status != 200 || !strings.Contains(body, `"total":3`) {
		t.Errorf("API after the second step: %d %s", status, body)
	}
	// The pending login was used up.
	status, _, _ = postLoginTo(t, noRedirect(), srv, "/login/totp", url.Values{"pending": {pending}, "code": {code}})
	if status != 401 {
		t.Errorf("pending login reused: %d", status)
	}

	// Wrong codes are throttled like wrong passwords.
	c2 := noRedirect()
	_, body, _ = postLogin(t, c2, srv, url.Values{"username": {"pd"}, "password": {"mat-khau-pd"}})
	m := pendingField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("second login: %s", body)
	}
	for range store.MaxUserFailures { // the success above cleared the earlier failure
		postLoginTo(t, c2, srv, "/login/totp", url.Values{"pending": {m[1]}, "code": {wrong}})
	}
	code, _ = store.TOTPCode(secret, time.Now())
	if status, body, _ := postLoginTo(t, c2, srv, "/login/totp", url.Values{"pending": {m[1]}, "code": {code}}); status != http.StatusTooManyRequests {
		t.Errorf("after too many wrong codes: %d %s", status, body)
	}
}
