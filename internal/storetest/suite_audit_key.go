package storetest

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/store"
)

// auditStore is a loaded store with n audited updates after the import (n+1 entries).
func auditStore(t *testing.T, f *fixture, open func(t *testing.T) *store.Store, n int) *store.Store {
	t.Helper()
	s := loadedStore(t, f, open)
	updates(t, s, n)
	return s
}

// updates makes n audited edits of a member.
func updates(t *testing.T, s *store.Store, n int) {
	t.Helper()
	ctx := t.Context()
	for i := range n {
		m, err := s.Member(ctx, "M05", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		m.FullName = fmt.Sprintf("Hoàng Văn Bảo %d", i)
		if _, err := s.UpdateMember(ctx, "cán bộ tổ chức", m); err != nil {
			t.Fatal(err)
		}
	}
}

// auditLog is the whole log, oldest first.
func auditLog(t *testing.T, s *store.Store) []store.AuditEntry {
	t.Helper()
	log, err := s.AuditLog(t.Context(), "", "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(log)
	return log
}

// rewriteChain is what a forger with write access to the database but not the key file does: it
// edits the entry seq (edit may be nil) and recomputes the SHA-256 chain from the entry from on,
// so that every entry links to the one before.
func rewriteChain(t *testing.T, db *sql.DB, log []store.AuditEntry, from, seq int64, edit func(*store.AuditEntry)) {
	t.Helper()
	prev := ""
	for _, e := range log {
		if e.Seq >= from {
			if e.Seq == seq && edit != nil {
				edit(&e)
			}
			e.PrevHash = prev
			e.Hash = auditDigest(e)
			if _, err := db.ExecContext(t.Context(), `UPDATE audit_log SET actor = '`+e.Actor+`', after = '`+e.After+`', prev_hash = '`+e.PrevHash+`', hash = '`+e.Hash+`' WHERE seq = `+fmt.Sprint(e.Seq)); err != nil {
				t.Fatalf("rewrite entry %d: %v", e.Seq, err)
			}
		}
		prev = e.Hash
		if e.Seq >= from {
			prev = auditDigest(e)
		}
	}
}

func execAll(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if _, err := db.ExecContext(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// testAuditKeyed: the attacks a plain hash chain cannot see — the end of the log deleted, an
// entry edited and the chain recomputed — are detected, as are attacks on the key's records.
func testAuditKeyed(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	const updatesN = 5
	tests := []struct {
		name   string
		tamper func(t *testing.T, db *sql.DB, log []store.AuditEntry)
		want   string // a part of the error message
	}{
		{"delete the last entries", func(t *testing.T, db *sql.DB, log []store.AuditEntry) {
			execAll(t, db, `DELETE FROM audit_log WHERE seq > 3`)
		}, "các mục cuối đã bị xóa"},
		{"delete the last entry", func(t *testing.T, db *sql.DB, log []store.AuditEntry) {
			execAll(t, db, fmt.Sprintf(`DELETE FROM audit_log WHERE seq = %d`, len(log)))
		}, "các mục cuối đã bị xóa"},
		{"edit an entry and recompute the SHA-256 chain", func(t *testing.T, db *sql.DB, log []store.AuditEntry) {
			rewriteChain(t, db, log, 1, 3, func(e *store.AuditEntry) { e.After = `{"full_name":"Người Khác"}` })
		}, "mục số 1"},
		{"edit the last entry and recompute its hash", func(t *testing.T, db *sql.DB, log []store.AuditEntry) {
			n := int64(len(log))
			rewriteChain(t, db, log, n, n, func(e *store.AuditEntry) { e.Actor = "người khác" })
		}, fmt.Sprintf("mục số %d", updatesN+1)},
		{"delete the signed head", func(t *testing.T, db *sql.DB, log []store.AuditEntry) {
			execAll(t, db, `DELETE FROM audit_head`)
		}, "thiếu đầu chuỗi"},
		{"move the head back with the log", func(t *testing.T, db *sql.DB, log []store.AuditEntry) {
			execAll(t, db, `DELETE FROM audit_log WHERE seq > 3`, fmt.Sprintf(`UPDATE audit_head SET seq = 3, hash = '%s'`, log[2].Hash))
		}, "đầu chuỗi không có chữ ký hợp lệ"},
		{"move the switch to the keyed chain after the end and recompute", func(t *testing.T, db *sql.DB, log []store.AuditEntry) {
			execAll(t, db, `UPDATE audit_keys SET from_seq = 1000`)
			rewriteChain(t, db, log, 1, 2, func(e *store.AuditEntry) { e.Actor = "người khác" })
		}, "điểm chuyển sang khóa"},
		{"delete the switch records and recompute", func(t *testing.T, db *sql.DB, log []store.AuditEntry) {
			execAll(t, db, `DELETE FROM audit_keys`)
			rewriteChain(t, db, log, 1, 2, func(e *store.AuditEntry) { e.Actor = "người khác" })
		}, "không còn ghi nhận khóa"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := auditStore(t, f, open, updatesN)
			ctx := t.Context()
			if n, err := s.VerifyAudit(ctx); err != nil || n != updatesN+1 {
				t.Fatalf("VerifyAudit before tampering = %d, %v; want %d entries", n, err, updatesN+1)
			}
			tc.tamper(t, rawDB(t, s), auditLog(t, s))
			_, err := s.VerifyAudit(ctx)
			if e := errorCode(t, err, dangvu.EConflict); e != nil && !strings.Contains(e.Message, tc.want) {
				t.Errorf("message %q does not say %q", e.Message, tc.want)
			}
		})
	}
}

// testAuditHeadRecord: a head recorded outside the database catches what the database alone
// cannot — the end of the log deleted together with a head copied from before — and a forged
// record is refused.
func testAuditHeadRecord(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	s := auditStore(t, f, open, 2)
	ctx := t.Context()
	db := rawDB(t, s)
	var old struct{ seq, hash, at, key, mac string }
	if err := db.QueryRowContext(ctx, `SELECT seq, hash, at, key_id, mac FROM audit_head`).Scan(&old.seq, &old.hash, &old.at, &old.key, &old.mac); err != nil {
		t.Fatal(err)
	}
	updates(t, s, 2)
	rec, err := s.AuditHead(ctx)
	if err != nil || rec.Seq != 5 || rec.MAC == "" || rec.KeyID == "" {
		t.Fatalf("AuditHead = %+v, %v", rec, err)
	}
	if n, err := s.VerifyAuditHead(ctx, rec); err != nil || n != 5 {
		t.Fatalf("VerifyAuditHead on the intact log = %d, %v", n, err)
	}
	updates(t, s, 1)
	if n, err := s.VerifyAuditHead(ctx, rec); err != nil || n != 6 {
		t.Fatalf("VerifyAuditHead after one more entry = %d, %v", n, err)
	}

	forged := rec
	forged.Seq = 2
	_, err = s.VerifyAuditHead(ctx, forged)
	errorCode(t, err, dangvu.EConflict)

	// The rollback: entries after 3 deleted, the head of that time put back.
	execAll(t, db, `DELETE FROM audit_log WHERE seq > `+old.seq,
		fmt.Sprintf(`UPDATE audit_head SET seq = %s, hash = '%s', at = '%s', key_id = '%s', mac = '%s'`, old.seq, old.hash, old.at, old.key, old.mac))
	if n, err := s.VerifyAudit(ctx); err != nil || fmt.Sprint(n) != old.seq {
		t.Fatalf("the rolled-back log alone = %d, %v; want it to look intact (the outside record is what catches it)", n, err)
	}
	_, err = s.VerifyAuditHead(ctx, rec)
	if e := errorCode(t, err, dangvu.EConflict); e != nil && !strings.Contains(e.Message, "đã bị xóa") {
		t.Errorf("message %q", e.Message)
	}
}

// testAuditLegacySwitch: a database whose chain was written unkeyed (SHA-256 only, before this
// version) still verifies up to the switch recorded at the next start, and is keyed from then on:
// editing an old entry and recomputing the old chain is detected.
func testAuditLegacySwitch(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	s := auditStore(t, f, open, 2)
	ctx := t.Context()
	db := rawDB(t, s)
	// Make it the database an older version left: an unkeyed chain, no key records.
	rewriteChain(t, db, auditLog(t, s), 1, 0, nil)
	execAll(t, db, `DELETE FROM audit_keys`, `DELETE FROM audit_head`)
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("Migrate of the old database: %v", err)
	}
	if n, err := s.VerifyAudit(ctx); err != nil || n != 3 {
		t.Fatalf("VerifyAudit of the old chain = %d, %v; want 3", n, err)
	}
	updates(t, s, 1)
	if n, err := s.VerifyAudit(ctx); err != nil || n != 4 {
		t.Fatalf("VerifyAudit after the switch = %d, %v; want 4", n, err)
	}
	log := auditLog(t, s)
	if auditDigest(log[3]) == log[3].Hash || auditDigest(log[2]) != log[2].Hash {
		t.Fatalf("entries before the switch unkeyed, after it keyed: %+v", log)
	}
	// A forger edits an old entry and recomputes the old part of the chain.
	rewriteChain(t, db, log[:3], 1, 2, func(e *store.AuditEntry) { e.Actor = "người khác" })
	_, err := s.VerifyAudit(ctx)
	errorCode(t, err, dangvu.EConflict)
}

// testTOTPEncrypted: the second-factor secret is stored encrypted, never in clear; a secret left
// in clear by an older version is encrypted at the next start and still works; a ciphertext moved
// to another account does not open.
func testTOTPEncrypted(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	s, clock := usersStore(t, f, open)
	ctx := t.Context()
	db := rawDB(t, s)
	for _, name := range []string{"two", "other"} {
		if _, err := s.CreateUser(ctx, "test", dangvu.User{Username: name, UserRole: dangvu.UserStaffOrg, OrgID: orgUB}, "mat-khau-dai"); err != nil {
			t.Fatal(err)
		}
	}
	secret, _, err := s.EnableTOTP(ctx, "admin", "two")
	if err != nil {
		t.Fatal(err)
	}
	stored := func(user string) string {
		var v string
		if err := db.QueryRowContext(ctx, `SELECT totp_secret FROM users WHERE username = '`+user+`'`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := stored("two"); strings.Contains(strings.ToUpper(v), secret[:16]) || !strings.HasPrefix(v, "v1.") {
		t.Errorf("stored secret %q: not encrypted", v)
	}
	login := func(user, code string) error {
		u, err := s.Authenticate(ctx, user, "mat-khau-dai", "10.0.0.1")
		if err != nil {
			return err
		}
		p, err := s.CreatePendingLogin(ctx, u, "10.0.0.1")
		if err != nil {
			return err
		}
		_, err = s.CompleteTOTPLogin(ctx, p, code, "10.0.0.1")
		return err
	}
	code := func() string {
		clock.add(store.TOTPStep) // a new step each time: a step is accepted once
		c, err := store.TOTPCode(secret, clock.t)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if err := login("two", code()); err != nil {
		t.Fatalf("login with the encrypted secret: %v", err)
	}

	// An older version's secret in clear: encrypted at the next start, and it still works.
	execAll(t, db, `UPDATE users SET totp_secret = '`+secret+`' WHERE username = 'two'`)
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if v := stored("two"); !strings.HasPrefix(v, "v1.") {
		t.Errorf("a secret in clear was not encrypted by the migration: %q", v)
	}
	if err := login("two", code()); err != nil {
		t.Fatalf("login after the migration: %v", err)
	}

	// The ciphertext is bound to its account.
	execAll(t, db, `UPDATE users SET totp_secret = '`+stored("two")+`' WHERE username = 'other'`)
	if err := login("other", code()); err == nil {
		t.Error("another account's ciphertext opened")
	}
}

// testAuditConcurrent: writers in parallel never fork the chain or collide on an entry number
// (PostgreSQL: the signed head's row lock orders them; SQLite: one writer connection).
func testAuditConcurrent(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	s := loadedStore(t, f, open)
	const writers, each = 8, 10
	errs := make(chan error, writers*each)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				errs <- s.LogReveal(t.Context(), fmt.Sprintf("writer%d", w), "M01", []string{fmt.Sprint(i)})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent write: %v", err)
		}
	}
	if n, err := s.VerifyAudit(t.Context()); err != nil || n != 1+writers*each {
		t.Errorf("VerifyAudit = %d, %v; want %d entries", n, err, 1+writers*each)
	}
}
