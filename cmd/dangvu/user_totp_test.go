package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dangvu/internal/store"
)

func TestUserTOTP(t *testing.T) {
	db := filepath.Join(t.TempDir(), "totp.db")
	old := stdin
	t.Cleanup(func() { stdin = old })
	stdin = strings.NewReader("mat-khau-dai\n")
	mustRun(t, "user", "add", "--db", db, "--username", "qt", "--role", "admin")

	out := mustRun(t, "user", "totp", "--db", db, "--username", "qt")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || len(lines[0]) != 32 || !strings.HasPrefix(lines[1], "otpauth://totp/dangvu:qt?") || !strings.Contains(lines[1], "secret="+lines[0]) {
		t.Fatalf("user totp printed %q", out)
	}
	ctx := context.Background()
	s, err := openStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if u, err := s.UserByUsername(ctx, "qt"); err != nil || !u.TOTP {
		t.Fatalf("after enrolment: %+v, %v", u, err)
	}
	if code, err := store.TOTPCode(lines[0], time.Now()); err != nil || !store.CheckTOTP(lines[0], code, time.Now()) {
		t.Errorf("the printed secret does not give codes: %v", err)
	}
	log, err := s.AuditLog(ctx, "user", "qt", 1)
	if err != nil || len(log) != 1 || log[0].Action != "totp_enable" || strings.Contains(log[0].Before+log[0].After, lines[0]) {
		t.Errorf("audit: %+v, %v", log, err)
	}

	mustRun(t, "user", "totp", "--db", db, "--username", "qt", "--off")
	if u, err := s.UserByUsername(ctx, "qt"); err != nil || u.TOTP {
		t.Errorf("after --off: %+v, %v", u, err)
	}
	if _, err := dangvuCmd(t, "user", "totp", "--db", db, "--username", "nobody"); err == nil {
		t.Error("unknown user accepted")
	}
}
