package httpapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dangvu"
	"dangvu/internal/store"
)

// TestSearchPage searches from the header as roles of ward PD: each finds only what its scope
// and role may open (another ward's members and organisations never; a secret document only with
// ActReadSecret; a member account only their own record), and finds something, so that the test
// is not vacuous.
func TestSearchPage(t *testing.T) {
	onEngines(t, testSearchPage)
}

func testSearchPage(t *testing.T, open func(*testing.T) *store.Store) {
	srv, s := newAuthServerOn(t, open)
	for _, f := range matrixFixtures {
		f(t, s)
	}
	_, nq := secretFixture(t, s)
	accounts := map[string]string{}
	for _, u := range []dangvu.User{
		{Username: "sr-secretary", UserRole: dangvu.UserSecretary, OrgID: "PD"},
		{Username: "sr-office", UserRole: dangvu.UserStaffOffice, OrgID: "PD"},
		{Username: "sr-member", UserRole: dangvu.UserMember, MemberID: "M1"},
		{Username: "sr-admin", UserRole: dangvu.UserAdmin},
	} {
		accounts[string(u.UserRole)] = newUser(t, s, u)
	}
	const m1, m2 = "Nguyễn Văn Đức", "Trần Thị An"
	cases := []struct {
		role, q    string
		want, deny []string
	}{
		{"secretary", "nguyen", []string{m1, `href="/members/M1?`}, nil},
		{"secretary", "hoang", nil, []string{siblingNames[0]}},
		{"secretary", "bac son", nil, []string{"Bắc Sơn", `href="/orgs/PB`}},
		{"secretary", "phuong", []string{`href="/orgs/PD?`}, []string{`href="/orgs/PB?`}},
		{"secretary", "quoc phong", nil, []string{nq.Title, nq.Number}},
		{"staff_office", "quoc phong", []string{nq.Title, `href="/documents/` + nq.ID + `"`}, nil},
		{"staff_office", "hoang", nil, []string{siblingNames[0]}},
		{"admin", "hoang", []string{siblingNames[0]}, nil}, // the denials above are not vacuous
		{"admin", "bac son", []string{`href="/orgs/PB?`}, nil},
		{"member", "nguyen van", []string{m1}, nil},
		{"member", "tran", nil, []string{m2, `href="/orgs/`}},
	}
	for _, c := range cases {
		status, body := bearerGet(t, srv, accounts[c.role], "/search?q="+url.QueryEscape(c.q))
		if status != http.StatusOK {
			t.Errorf("%s %q: status %d", c.role, c.q, status)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s %q: want %q in the results", c.role, c.q, w)
			}
		}
		for _, d := range c.deny {
			if strings.Contains(body, d) {
				t.Errorf("%s %q: %q must not be found", c.role, c.q, d)
			}
		}
	}
	// The box is in the header of every page.
	if _, body := bearerGet(t, srv, accounts["secretary"], "/members"); !strings.Contains(body, `action="/search"`) {
		t.Error("the header has no search box")
	}
}
