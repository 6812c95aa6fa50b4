package storetest

import (
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/store"
)

// testUsersTOTP: enrolling a second factor, the two-step login (current, previous and next step
// accepted, others refused), throttling of wrong codes, and removing the second factor.
func testUsersTOTP(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	s, clock := usersStore(t, f, open)
	ctx := t.Context()
	if _, err := s.CreateUser(ctx, "test", dangvu.User{Username: "two", UserRole: dangvu.UserStaffOrg, OrgID: orgUB}, "mat-khau-dai"); err != nil {
		t.Fatal(err)
	}
	secret, uri, err := s.EnableTOTP(ctx, "admin", "two")
	if err != nil {
		t.Fatalf("EnableTOTP: %v", err)
	}
	if len(secret) != 32 || !strings.HasPrefix(uri, "otpauth://totp/dangvu:two?") || !strings.Contains(uri, "secret="+secret) {
		t.Errorf("secret %q, uri %q", secret, uri)
	}
	u, err := s.UserByUsername(ctx, "two")
	if err != nil || !u.TOTP {
		t.Fatalf("after enrolment: %+v, %v", u, err)
	}
	log, err := s.AuditLog(ctx, "user", "two", 10)
	if err != nil || len(log) == 0 || log[0].Action != "totp_enable" {
		t.Fatalf("audit: %+v, %v", log, err)
	}
	for _, e := range log {
		if strings.Contains(e.Before+e.After, secret) {
			t.Errorf("the audit log holds the secret: %+v", e)
		}
	}
	if _, _, err := s.EnableTOTP(ctx, "admin", "nobody"); dangvu.ErrorCode(err) != dangvu.ENotFound {
		t.Errorf("unknown user: %v", err)
	}

	// The password opens only a pending login, which is no session.
	u, err = s.Authenticate(ctx, "two", "mat-khau-dai", "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	pending, err := s.CreatePendingLogin(ctx, u, "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	errorCode(t, sessErr(s, t, pending), dangvu.EUnauthorized)
	errorCode(t, func() error { _, err := s.CompleteTOTPLogin(ctx, pending+"x", "000000", "10.0.0.1"); return err }(), dangvu.EUnauthorized)

	code := func(d time.Duration) string {
		c, err := store.TOTPCode(secret, clock.t.Add(d))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	// Codes two steps away are refused (and counted); the pending login stays.
	for _, d := range []time.Duration{-2 * store.TOTPStep, 2 * store.TOTPStep} {
		if c := code(d); c != code(0) && c != code(-store.TOTPStep) && c != code(store.TOTPStep) {
			errorCode(t, func() error { _, err := s.CompleteTOTPLogin(ctx, pending, c, "10.0.0.1"); return err }(), dangvu.EUnauthorized)
		}
	}
	// The previous, current and next steps are accepted; each success ends the pending login.
	for _, d := range []time.Duration{-store.TOTPStep, 0, store.TOTPStep} {
		p, err := s.CreatePendingLogin(ctx, u, "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.CompleteTOTPLogin(ctx, p, code(d), "10.0.0.1")
		if err != nil || got.ID != u.ID {
			t.Fatalf("code of step %v: %+v, %v", d, got, err)
		}
		errorCode(t, func() error { _, err := s.CompleteTOTPLogin(ctx, p, code(d), "10.0.0.1"); return err }(), dangvu.EUnauthorized)
	}

	// A step is used once: a code of a step already used (or an earlier one) is refused even
	// within its validity window, with its own message.
	p0, err := s.CreatePendingLogin(ctx, u, "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.CompleteTOTPLogin(ctx, p0, code(0), "10.0.0.1")
	errorCode(t, err, dangvu.EUnauthorized)
	if !strings.Contains(dangvu.ErrorMessage(err), "đã được dùng") {
		t.Errorf("replayed code: %v", err)
	}
	clock.add(store.ThrottleWindow + time.Second) // the refusal counted as a failure

	// Pending logins expire after 5 minutes.
	p, err := s.CreatePendingLogin(ctx, u, "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	clock.add(store.PendingLoginTTL + time.Second)
	errorCode(t, func() error { _, err := s.CompleteTOTPLogin(ctx, p, code(0), "10.0.0.1"); return err }(), dangvu.EUnauthorized)

	// Wrong codes count toward the login throttling.
	p, err = s.CreatePendingLogin(ctx, u, "10.0.0.2")
	if err != nil {
		t.Fatal(err)
	}
	bad := "000000"
	for bad == code(0) || bad == code(-store.TOTPStep) || bad == code(store.TOTPStep) {
		bad = "111111"
	}
	for range store.MaxUserFailures {
		errorCode(t, func() error { _, err := s.CompleteTOTPLogin(ctx, p, bad, "10.0.0.2"); return err }(), dangvu.EUnauthorized)
	}
	errorCode(t, func() error { _, err := s.CompleteTOTPLogin(ctx, p, code(0), "10.0.0.2"); return err }(), dangvu.ERateLimited)
	// A right password does not clear the count of a user with a second factor.
	errorCode(t, func() error { _, err := s.Authenticate(ctx, "two", "mat-khau-dai", "10.0.0.2"); return err }(), dangvu.ERateLimited)
	clock.add(store.ThrottleWindow + time.Second)

	// Removing the second factor.
	if err := s.DisableTOTP(ctx, "admin", "two"); err != nil {
		t.Fatal(err)
	}
	if u, err := s.UserByUsername(ctx, "two"); err != nil || u.TOTP {
		t.Errorf("after removal: %+v, %v", u, err)
	}
	if log, _ := s.AuditLog(ctx, "user", "two", 1); len(log) != 1 || log[0].Action != "totp_disable" {
		t.Errorf("audit of the removal: %+v", log)
	}
}
