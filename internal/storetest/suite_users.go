package storetest

import (
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/store"
)

// fakeClock is a settable clock for the store.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time      { return c.t }
func (c *fakeClock) add(d time.Duration) { c.t = c.t.Add(d) }

func usersStore(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) (*store.Store, *fakeClock) {
	s := loadedStore(t, f, open)
	c := &fakeClock{t: time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)}
	s.Clock = c.now
	return s, c
}

func testUsersLogin(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	s, clock := usersStore(t, f, open)
	ctx := t.Context()
	u, err := s.CreateUser(ctx, "test", dangvu.User{Username: "Ward.Sec", FullName: "Bí thư  phường", UserRole: dangvu.UserSecretary, OrgID: orgPD}, "mat-khau-dai")
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	if u.ID == 0 || u.Username != "ward.sec" || u.FullName != "Bí thư phường" {
		t.Errorf("created %+v", u)
	}
	if _, err := s.CreateUser(ctx, "test", dangvu.User{Username: "ward.sec", UserRole: dangvu.UserSecretary, OrgID: orgPD}, "mat-khau-dai"); dangvu.ErrorCode(err) != dangvu.EConflict {
		t.Errorf("duplicate username: %v", err)
	}
	errorCode(t, func() error {
		_, err := s.CreateUser(ctx, "test", dangvu.User{Username: "x", UserRole: "boss", OrgID: "NOPE"}, "short")
		return err
	}(), dangvu.EInvalid)
	if _, err := s.CreateUser(ctx, "test", dangvu.User{Username: "ghost", UserRole: dangvu.UserStaffOrg, OrgID: "NOPE"}, "mat-khau-dai"); dangvu.ErrorCode(err) != dangvu.ENotFound {
		t.Errorf("unknown org: %v", err)
	}

	got, err := s.Authenticate(ctx, "WARD.SEC", "mat-khau-dai", "10.0.0.1")
	if err != nil || got.ID != u.ID || got.OrgID != orgPD || got.UserRole != dangvu.UserSecretary {
		t.Fatalf("Authenticate = %+v, %v", got, err)
	}
	errorCode(t, authErr(s, t, "ward.sec", "sai-mat-khau", "10.0.0.1"), dangvu.EUnauthorized)
	errorCode(t, authErr(s, t, "nobody", "mat-khau-dai", "10.0.0.1"), dangvu.EUnauthorized)

	// Throttle: the fifth failure for the username from one address locks that pair for the
	// rest of the window, even with the right password, and the message says when to retry
	// (other addresses: testLoginThrottle).
	for i := 0; i < store.MaxUserFailures; i++ {
		clock.add(time.Second)
		errorCode(t, authErr(s, t, "ward.sec", "sai", "10.0.0.2"), dangvu.EUnauthorized)
	}
	e := errorCode(t, authErr(s, t, "ward.sec", "mat-khau-dai", "10.0.0.2"), dangvu.ERateLimited)
	if !strings.Contains(e.Message, "thử lại sau") || !strings.Contains(e.Message, "phút") {
		t.Errorf("throttle message %q does not say when to retry", e.Message)
	}
	clock.add(store.ThrottleWindow)
	if _, err := s.Authenticate(ctx, "ward.sec", "mat-khau-dai", "10.0.0.2"); err != nil {
		t.Errorf("after the window: %v", err)
	}
	// Per address: many usernames from one address.
	for i := 0; i < store.MaxAddrFailures; i++ {
		authErr(s, t, "guess"+string(rune('a'+i)), "x", "10.9.9.9")
	}
	errorCode(t, authErr(s, t, "ward.sec", "mat-khau-dai", "10.9.9.9"), dangvu.ERateLimited)

	// The password can be changed; the old one stops working.
	if err := s.SetPassword(ctx, "test", "ward.sec", "mat-khau-moi"); err != nil {
		t.Fatal(err)
	}
	errorCode(t, authErr(s, t, "ward.sec", "mat-khau-dai", "10.0.0.4"), dangvu.EUnauthorized)
	if _, err := s.Authenticate(ctx, "ward.sec", "mat-khau-moi", "10.0.0.4"); err != nil {
		t.Errorf("new password: %v", err)
	}

	// Disabled: cannot log in.
	if err := s.DisableUser(ctx, "test", "ward.sec"); err != nil {
		t.Fatal(err)
	}
	errorCode(t, authErr(s, t, "ward.sec", "mat-khau-moi", "10.0.0.4"), dangvu.EForbidden)
	users, err := s.Users(ctx)
	if err != nil || len(users) != 1 || !users[0].Disabled {
		t.Errorf("Users = %+v, %v", users, err)
	}

	// The audit log names the changes and never holds a password or its hash.
	log, err := s.AuditLog(ctx, "user", "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]bool{}
	for _, e := range log {
		actions[e.Action] = true
		for _, text := range []string{e.Before, e.After} {
			if strings.Contains(text, "argon2") || strings.Contains(text, "mat-khau") {
				t.Errorf("audit entry %d holds a secret: %s", e.Seq, text)
			}
		}
	}
	for _, a := range []string{"create", "set_password", "disable", "login_failed"} {
		if !actions[a] {
			t.Errorf("no %q entry in the audit log", a)
		}
	}
	if _, err := s.VerifyAudit(ctx); err != nil {
		t.Errorf("VerifyAudit: %v", err)
	}
}

func authErr(s *store.Store, t *testing.T, username, password, ip string) error {
	_, err := s.Authenticate(t.Context(), username, password, ip)
	return err
}

func testUsersSessions(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	s, clock := usersStore(t, f, open)
	ctx := t.Context()
	u, err := s.CreateUser(ctx, "test", dangvu.User{Username: "staff", UserRole: dangvu.UserStaffOrg, OrgID: orgUB}, "mat-khau-dai")
	if err != nil {
		t.Fatal(err)
	}
	tok, sess, err := s.CreateSession(ctx, u, "10.0.0.1")
	if err != nil || len(tok) < 40 || sess.CSRF == "" || sess.CSRF == tok {
		t.Fatalf("CreateSession = %q, %+v, %v", tok, sess, err)
	}
	got, err := s.Session(ctx, tok)
	if err != nil || got.User.ID != u.ID || got.CSRF != sess.CSRF {
		t.Fatalf("Session = %+v, %v", got, err)
	}
	errorCode(t, sessErr(s, t, tok+"x"), dangvu.EUnauthorized)
	errorCode(t, sessErr(s, t, ""), dangvu.EUnauthorized)
	// The token itself is not stored.
	var n int
	if err := rawDB(t, s).QueryRowContext(ctx, `SELECT count(*) FROM sessions WHERE token_hash = '`+tok+`'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("the raw token is stored (%d, %v)", n, err)
	}
	// Sessions expire after 12 hours.
	clock.add(store.SessionTTL - time.Minute)
	if _, err := s.Session(ctx, tok); err != nil {
		t.Errorf("before expiry: %v", err)
	}
	clock.add(2 * time.Minute)
	errorCode(t, sessErr(s, t, tok), dangvu.EUnauthorized)

	// Logout ends a session.
	tok2, _, err := s.CreateSession(ctx, u, "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSession(ctx, tok2); err != nil {
		t.Fatal(err)
	}
	errorCode(t, sessErr(s, t, tok2), dangvu.EUnauthorized)

	// API tokens.
	api, err := s.CreateAPIToken(ctx, "test", "staff", "báo cáo")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.UserByAPIToken(ctx, api); err != nil || got.ID != u.ID {
		t.Errorf("UserByAPIToken = %+v, %v", got, err)
	}
	if _, err := s.UserByAPIToken(ctx, "nope"); dangvu.ErrorCode(err) != dangvu.EUnauthorized {
		t.Errorf("bad token: %v", err)
	}
	// Disabling a user ends their sessions and tokens.
	tok3, _, err := s.CreateSession(ctx, u, "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DisableUser(ctx, "test", "staff"); err != nil {
		t.Fatal(err)
	}
	errorCode(t, sessErr(s, t, tok3), dangvu.EUnauthorized)
	if _, err := s.UserByAPIToken(ctx, api); dangvu.ErrorCode(err) != dangvu.EUnauthorized {
		t.Errorf("token of a disabled user: %v", err)
	}
}

func sessErr(s *store.Store, t *testing.T, tok string) error {
	_, err := s.Session(t.Context(), tok)
	return err
}

func testInScope(t *testing.T, s *store.Store) {
	ctx := t.Context()
	user := func(role dangvu.UserRole, org string) dangvu.User {
		return dangvu.User{Username: "u", UserRole: role, OrgID: org}
	}
	tests := []struct {
		u    dangvu.User
		org  string
		day  string
		want bool
	}{
		{user(dangvu.UserAdmin, ""), cellDTDong, "2024-01-01", true},
		{user(dangvu.UserStaffOrg, ""), cellPD1, "2018-01-01", false}, // no organisation: nothing
		{user(dangvu.UserStaffOrg, orgUB), orgUB, "2018-01-01", true},
		{user(dangvu.UserStaffOrg, orgUB), cellPD1, "2018-01-01", true},
		{user(dangvu.UserStaffOrg, orgUB), orgQN, "2018-01-01", false},
		{user(dangvu.UserStaffOrg, orgUB), orgDT, "2018-01-01", false},
		// Sibling wards.
		{user(dangvu.UserSecretary, orgPD), cellPD2, "2018-01-01", true},
		{user(dangvu.UserSecretary, orgPD), orgPN, "2018-01-01", false},
		{user(dangvu.UserSecretary, orgPD), cellPN1, "2018-01-01", false},
		{user(dangvu.UserSecretary, orgPN), cellPD1, "2018-01-01", false},
		// Ids that are prefixes of one another.
		{user(dangvu.UserSecretary, cellNamMau), cellDongTam, "2018-01-01", false},
		// The commune TYC moves from Uông Bí to Đông Triều on MoveDate: before, in UB's scope; after, in DT's.
		{user(dangvu.UserStaffOrg, orgUB), orgTYC, prev(MoveDate), true},
		{user(dangvu.UserStaffOrg, orgUB), cellNamMau, prev(MoveDate), true},
		{user(dangvu.UserStaffOrg, orgUB), orgTYC, MoveDate, false},
		{user(dangvu.UserStaffOrg, orgUB), cellNamMau, MoveDate, false},
		{user(dangvu.UserStaffOrg, orgDT), cellNamMau, prev(MoveDate), false},
		{user(dangvu.UserStaffOrg, orgDT), cellNamMau, MoveDate, true},
		// PD ends on MergeDate; its secretary keeps the scope of its last path, and its cells
		// have moved under the new ward by then.
		{user(dangvu.UserSecretary, orgPD), cellPD2, prev(MergeDate), true},
		{user(dangvu.UserSecretary, orgPD), cellPD2, MergeDate, false},
		{user(dangvu.UserSecretary, orgPDN), cellPD2, MergeDate, true},
		{user(dangvu.UserSecretary, orgPDN), cellPN1, "2024-01-01", true},
		// A member's account sees no organisation.
		{dangvu.User{Username: "m", UserRole: dangvu.UserMember, OrgID: orgPD, MemberID: "x"}, cellPD1, "2018-01-01", false},
	}
	for _, tt := range tests {
		got, err := s.InScope(ctx, tt.u, tt.org, day(tt.day))
		if err != nil || got != tt.want {
			t.Errorf("InScope(%s %q, %s, %s) = %v, %v; want %v", tt.u.UserRole, tt.u.OrgID, tt.org, tt.day, got, err, tt.want)
		}
	}
}
