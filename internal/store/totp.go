package store

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"database/sql"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"dangvu"
)

// The optional second factor: time-based one-time passwords (RFC 6238 over RFC 4226's HOTP):
// HMAC-SHA1, 30-second steps, 6 digits, accepting the previous and the next step for clock drift.
// The shared secret is kept in users.totp_secret encrypted (AES-256-GCM under a subkey of the key
// file, bound to the account: key.go) and never written to the audit log.
//
// A user with a second factor logs in in two steps: a correct password opens only a pending login
// (a row of sessions whose csrf_token is pendingCSRF, living PendingLoginTTL), which Session never
// accepts; a correct code then replaces it with a real session. Wrong codes count toward the same
// throttling as wrong passwords.

const (
	TOTPStep        = 30 * time.Second
	TOTPDigits      = 6
	TOTPSkew        = 1 // steps accepted either side of the current one
	TOTPSecretLen   = 20
	TOTPIssuer      = "dangvu"
	PendingLoginTTL = 5 * time.Minute
)

// pendingCSRF marks a pending login in the sessions table; it cannot be a real CSRF token
// (those are unpadded base64url).
const pendingCSRF = "!totp-pending"

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// hotp is RFC 4226's HOTP: HMAC-SHA1 of the counter, dynamically truncated to digits digits.
func hotp(secret []byte, counter uint64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	m := hmac.New(sha1.New, secret)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// totpCounter is the number of whole steps since the Unix epoch.
func totpCounter(t time.Time) uint64 { return uint64(t.Unix()) / uint64(TOTPStep/time.Second) }

// TOTPCode returns the 6-digit code of a base32 secret at a time.
func TOTPCode(secret string, t time.Time) (string, error) {
	key, err := decodeSecret(secret)
	if err != nil {
		return "", err
	}
	return hotp(key, totpCounter(t), TOTPDigits), nil
}

func decodeSecret(secret string) ([]byte, error) {
	key, err := b32.DecodeString(strings.ToUpper(strings.TrimRight(strings.ReplaceAll(secret, " ", ""), "=")))
	if err != nil || len(key) == 0 {
		return nil, fmt.Errorf("store: totp: bad secret")
	}
	return key, nil
}

// CheckTOTP reports whether a code is the one of a base32 secret at t, or of the step just
// before or after.
func CheckTOTP(secret, code string, t time.Time) bool {
	_, ok := matchTOTP(secret, code, t)
	return ok
}

// matchTOTP is CheckTOTP that also returns the time step the code belongs to.
func matchTOTP(secret, code string, t time.Time) (step uint64, ok bool) {
	code = strings.TrimSpace(strings.ReplaceAll(code, " ", ""))
	if len(code) != TOTPDigits {
		return 0, false
	}
	key, err := decodeSecret(secret)
	if err != nil {
		return 0, false
	}
	c := totpCounter(t)
	for d := -TOTPSkew; d <= TOTPSkew; d++ {
		// Every step is compared, in constant time, whichever matches.
		if subtle.ConstantTimeCompare([]byte(hotp(key, c+uint64(int64(d)), TOTPDigits)), []byte(code)) == 1 {
			step, ok = c+uint64(int64(d)), true
		}
	}
	return step, ok
}

// TOTPURI is the otpauth:// address an authenticator app reads (usually from a QR code).
func TOTPURI(username, secret string) string {
	v := url.Values{}
	v.Set("secret", secret)
	v.Set("issuer", TOTPIssuer)
	v.Set("algorithm", "SHA1")
	v.Set("digits", fmt.Sprint(TOTPDigits))
	v.Set("period", fmt.Sprint(int(TOTPStep/time.Second)))
	return "otpauth://totp/" + url.PathEscape(TOTPIssuer+":"+username) + "?" + v.Encode()
}

// EnableTOTP gives a user a new random second-factor secret (replacing any earlier one) and
// returns it in base32 with its otpauth:// address, to be shown once. The audit log records only
// that it was set up.
func (s *Store) EnableTOTP(ctx context.Context, actor, username string) (secret, uri string, err error) {
	key := make([]byte, TOTPSecretLen)
	if _, err := rand.Read(key); err != nil {
		return "", "", err
	}
	secret = b32.EncodeToString(key)
	err = s.tx(ctx, func(tx *dbTx) error {
		u, err := s.userBy(ctx, tx, `username = ?`, strings.ToLower(strings.TrimSpace(username)))
		if err != nil {
			return err
		}
		if u.Disabled {
			return dangvu.Errorf(dangvu.EConflict, "tài khoản %q đã bị khóa", u.Username)
		}
		sealed, err := s.sealTOTP(u.ID, secret)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = ? WHERE id = ?`, sealed, u.ID); err != nil {
			return fmt.Errorf("store: totp: %w", err)
		}
		after := map[string]any{"totp": "enabled"}
		if u.TOTP {
			after["totp"] = "replaced"
		}
		username = u.Username
		return s.audit(ctx, tx, actor, "totp_enable", "user", u.Username, map[string]any{"totp": u.TOTP}, after)
	})
	if err != nil {
		return "", "", err
	}
	return secret, TOTPURI(username, secret), nil
}

// DisableTOTP removes a user's second factor (and any pending second-step logins).
func (s *Store) DisableTOTP(ctx context.Context, actor, username string) error {
	return s.tx(ctx, func(tx *dbTx) error {
		u, err := s.userBy(ctx, tx, `username = ?`, strings.ToLower(strings.TrimSpace(username)))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = '' WHERE id = ?`, u.ID); err != nil {
			return fmt.Errorf("store: totp: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND csrf_token = ?`, u.ID, pendingCSRF); err != nil {
			return fmt.Errorf("store: totp: %w", err)
		}
		return s.audit(ctx, tx, actor, "totp_disable", "user", u.Username, map[string]any{"totp": u.TOTP}, map[string]any{"totp": false})
	})
}

// CreatePendingLogin records that a user with a second factor gave the right password (after
// Authenticate) and returns the token of the pending login, to be sent back with the code within
// PendingLoginTTL. Only its SHA-256 is stored.
func (s *Store) CreatePendingLogin(ctx context.Context, u dangvu.User, ip string) (string, error) {
	token, err := newToken()
	if err != nil {
		return "", err
	}
	now := s.now()
	err = s.tx(ctx, func(tx *dbTx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires <= ?`, fmtTime(now)); err != nil {
			return fmt.Errorf("store: session: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created, expires, csrf_token) VALUES (?,?,?,?,?)`,
			tokenHash(token), u.ID, fmtTime(now), fmtTime(now.Add(PendingLoginTTL)), pendingCSRF); err != nil {
			return fmt.Errorf("store: session: %w", err)
		}
		return s.audit(ctx, tx, u.Username, "login_password_ok", "user", u.Username, nil, map[string]any{"ip": ip, "second_factor": "pending"})
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// ErrNoPendingLogin answers a pending login that is unknown or expired.
var ErrNoPendingLogin = dangvu.Errorf(dangvu.EUnauthorized, "Bước xác thực đã hết hạn hoặc không hợp lệ. Vui lòng đăng nhập lại.")

// CompleteTOTPLogin checks the code of a pending login: on success the pending login ends and its
// user is returned, for CreateSession. It answers EUnauthorized for an unknown or expired pending
// login (ErrNoPendingLogin) or a wrong code (the pending login stays, until it expires), ERateLimited
// when there were too many failures for the user or the address.
func (s *Store) CompleteTOTPLogin(ctx context.Context, token, code, ip string) (dangvu.User, error) {
	if token == "" {
		return dangvu.User{}, ErrNoPendingLogin
	}
	var secret, expires string
	var userID int64
	err := s.write.QueryRowContext(ctx, `SELECT s.user_id, s.expires, u.totp_secret FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.csrf_token = ?`, tokenHash(token), pendingCSRF).Scan(&userID, &expires, &secret)
	if errors.Is(err, sql.ErrNoRows) {
		return dangvu.User{}, ErrNoPendingLogin
	}
	if err != nil {
		return dangvu.User{}, fmt.Errorf("store: login: %w", err)
	}
	now := s.now()
	if expires <= fmtTime(now) || secret == "" {
		return dangvu.User{}, ErrNoPendingLogin
	}
	if secret, err = s.openTOTP(userID, secret); err != nil {
		return dangvu.User{}, err
	}
	u, err := s.userBy(ctx, s.write, `id = ?`, userID)
	if err != nil {
		return u, err
	}
	if err := s.throttled(ctx, u.Username, ip); err != nil {
		return dangvu.User{}, err
	}
	step, ok := matchTOTP(secret, code, now)
	replayed := false
	werr := s.tx(ctx, func(tx *dbTx) error {
		if ok {
			// A step is used once: the update fails for a step at or before the last one used.
			res, err := tx.ExecContext(ctx, `UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`, int64(step), userID, int64(step))
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				ok, replayed = false, true
			}
		}
		if !ok {
			if err := s.recordFailure(ctx, tx, u.Username, ip); err != nil {
				return err
			}
			reason := "totp"
			if replayed {
				reason = "totp_replayed"
			}
			return s.audit(ctx, tx, u.Username, "login_failed", "user", u.Username, nil, map[string]any{"ip": ip, "reason": reason})
		}
		if u.Disabled {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash(token)); err != nil {
			return err
		}
		return s.clearFailures(ctx, tx, u.Username, ip)
	})
	if werr != nil {
		return dangvu.User{}, fmt.Errorf("store: login: %w", werr)
	}
	if replayed {
		return dangvu.User{}, dangvu.Errorf(dangvu.EUnauthorized, "Mã xác thực này đã được dùng. Vui lòng chờ mã mới trên ứng dụng rồi nhập lại.")
	}
	if !ok {
		return dangvu.User{}, dangvu.Errorf(dangvu.EUnauthorized, "Mã xác thực không đúng.")
	}
	if u.Disabled {
		return dangvu.User{}, dangvu.Errorf(dangvu.EForbidden, "Tài khoản đã bị khóa. Vui lòng liên hệ quản trị viên.")
	}
	return u, nil
}
