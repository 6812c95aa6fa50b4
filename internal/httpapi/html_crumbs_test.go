package httpapi

import (
	"net/http"
	"strings"
	"testing"

	"dangvu"
	"dangvu/internal/store"
)

// TestBreadcrumbs reads the trail of an organisation page and a member page: it starts at the
// reader's root (ward PD for its secretary, the top for an administrator) and links each step.
func TestBreadcrumbs(t *testing.T) {
	onEngines(t, testBreadcrumbs)
}

func testBreadcrumbs(t *testing.T, open func(*testing.T) *store.Store) {
	srv, s := newAuthServerOn(t, open)
	sec := newUser(t, s, dangvu.User{Username: "bc-secretary", UserRole: dangvu.UserSecretary, OrgID: "PD"})
	adm := newUser(t, s, dangvu.User{Username: "bc-admin", UserRole: dangvu.UserAdmin})
	trail := func(tok, path string) string {
		t.Helper()
		status, body := bearerGet(t, srv, tok, path)
		if status != http.StatusOK {
			t.Fatalf("%s: status %d", path, status)
		}
		_, after, ok := strings.Cut(body, `<nav class="crumbs"`)
		if !ok {
			return ""
		}
		before, _, _ := strings.Cut(after, "</nav>")
		return before
	}
	cases := []struct {
		tok, path  string
		want, deny []string
	}{
		{sec, "/orgs/K1", []string{`href="/orgs/PD?`, "Chi bộ khu 1"}, []string{`href="/orgs/QN?`, `href="/orgs/K1?`}},
		{sec, "/members/M1", []string{`href="/orgs/PD?`, `href="/orgs/K1?`, "Nguyễn Văn Đức"}, []string{`href="/orgs/QN?`}},
		{adm, "/orgs/K1", []string{`href="/orgs/QN?`, `href="/orgs/PD?`}, nil},
	}
	for _, c := range cases {
		got := trail(c.tok, c.path)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: trail %q lacks %q", c.path, got, w)
			}
		}
		for _, d := range c.deny {
			if strings.Contains(got, d) {
				t.Errorf("%s: trail %q has %q", c.path, got, d)
			}
		}
	}
	// At the reader's root there is no trail to show.
	if got := trail(sec, "/orgs/PD"); got != "" {
		t.Errorf("/orgs/PD: a trail at the root: %q", got)
	}
}
