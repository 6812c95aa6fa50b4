package storetest

import (
	"fmt"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/store"
)

// testLoginThrottle: wrong passwords lock a username only from the address (or IPv6 /64) they
// came from, and an address that guesses many usernames; nobody can lock an account out for
// everyone by guessing from elsewhere.
func testLoginThrottle(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	tests := []struct {
		name     string
		attacker func(i int) (user, ip string) // the i-th failed login
		failures int
		ip       string // where the administrator then logs in from
		want     string // "" for success, else the error code
	}{
		{"the attacker's address is locked for the account", func(int) (string, string) { return "admin", "203.0.113.7" }, store.MaxUserFailures, "203.0.113.7", dangvu.ERateLimited},
		{"another address still logs in", func(int) (string, string) { return "admin", "203.0.113.7" }, store.MaxUserFailures, "10.1.1.1", ""},
		{"many addresses do not lock the account", func(i int) (string, string) { return "admin", fmt.Sprintf("198.51.100.%d", i+1) }, 4 * store.MaxUserFailures, "10.1.1.1", ""},
		{"one IPv6 /64 counts as one address", func(i int) (string, string) { return "admin", fmt.Sprintf("2001:db8:1:2::%x", i+1) }, store.MaxUserFailures, "2001:db8:1:2::ffff", dangvu.ERateLimited},
		{"the next /64 is another address", func(i int) (string, string) { return "admin", fmt.Sprintf("2001:db8:1:2::%x", i+1) }, store.MaxUserFailures, "2001:db8:1:3::1", ""},
		{"an address guessing many usernames is locked", func(i int) (string, string) { return fmt.Sprintf("guess%d", i), "203.0.113.9" }, store.MaxAddrFailures, "203.0.113.9", dangvu.ERateLimited},
		{"one failure short of the limit", func(int) (string, string) { return "admin", "203.0.113.7" }, store.MaxUserFailures - 1, "203.0.113.7", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, clock := usersStore(t, f, open)
			ctx := t.Context()
			if _, err := s.CreateUser(ctx, "test", dangvu.User{Username: "admin", UserRole: dangvu.UserAdmin}, "mat-khau-quan-tri"); err != nil {
				t.Fatal(err)
			}
			for i := range tc.failures {
				clock.add(time.Second)
				user, ip := tc.attacker(i)
				if err := authErr(s, t, user, "doan-bua", ip); dangvu.ErrorCode(err) != dangvu.EUnauthorized && dangvu.ErrorCode(err) != dangvu.ERateLimited {
					t.Fatalf("failure %d: %v", i+1, err)
				}
			}
			err := authErr(s, t, "admin", "mat-khau-quan-tri", tc.ip)
			if tc.want == "" {
				if err != nil {
					t.Errorf("the administrator from %s: %v, want a login", tc.ip, err)
				}
				return
			}
			errorCode(t, err, tc.want)
		})
	}
}

// testCredentialsEnd: a new password (command line or web) and disabling an account end the
// account's sessions and API tokens; a token made afterwards works.
func testCredentialsEnd(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	tests := []struct {
		name   string
		change func(s *store.Store) error
	}{
		{"new password", func(s *store.Store) error { return s.SetPassword(t.Context(), "admin", "staff", "mat-khau-moi-hon") }},
		{"disabled", func(s *store.Store) error { return s.DisableUser(t.Context(), "admin", "staff") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := usersStore(t, f, open)
			ctx := t.Context()
			u, err := s.CreateUser(ctx, "test", dangvu.User{Username: "staff", UserRole: dangvu.UserStaffOrg, OrgID: orgUB}, "mat-khau-dai")
			if err != nil {
				t.Fatal(err)
			}
			api, err := s.CreateAPIToken(ctx, "test", "staff", "kết nối")
			if err != nil {
				t.Fatal(err)
			}
			sess, _, err := s.CreateSession(ctx, u, "10.0.0.1")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.UserByAPIToken(ctx, api); err != nil {
				t.Fatalf("the token before: %v", err)
			}
			if err := tc.change(s); err != nil {
				t.Fatal(err)
			}
			_, err = s.UserByAPIToken(ctx, api)
			errorCode(t, err, dangvu.EUnauthorized)
			errorCode(t, sessErr(s, t, sess), dangvu.EUnauthorized)
			if tc.name == "new password" {
				again, err := s.CreateAPIToken(ctx, "test", "staff", "kết nối mới")
				if err != nil {
					t.Fatal(err)
				}
				if got, err := s.UserByAPIToken(ctx, again); err != nil || got.ID != u.ID {
					t.Errorf("a token made after the change: %+v, %v", got, err)
				}
			}
		})
	}
}
