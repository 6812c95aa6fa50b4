package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"

	"dangvu"
	"dangvu/internal/vn"
)

// Access: accounts with argon2id password hashes, sessions and API tokens stored only as SHA-256
// hashes of random 32-byte tokens, and login throttling. Every change is written to the audit log
// in the same transaction; the log never holds a password, a hash or a token.

// Login throttling counts failures per username from one address and per address, never per
// username alone: a lock on the account itself would let anyone lock out the administrator by
// guessing from anywhere. IPv6 addresses count per /64, the block one subscriber usually holds.
const (
	SessionTTL      = 12 * time.Hour
	ThrottleWindow  = 15 * time.Minute
	MaxUserFailures = 5  // failed logins per username from one address per window
	MaxAddrFailures = 20 // failed logins per address per window
	MinPasswordLen  = 8
)

// argon2id parameters (OWASP's minimum: 19 MiB, 2 passes, 1 lane); stored with every hash so
// they can be raised later without invalidating old hashes.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,63}$`)

// timeLayout is fixed-width so that times compare as text.
const timeLayout = "2006-01-02T15:04:05.000000Z"

func (s *Store) now() time.Time {
	if s.Clock != nil {
		return s.Clock().UTC()
	}
	return time.Now().UTC()
}

func fmtTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// HashPassword returns the encoded argon2id hash of a password:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> (unpadded standard base64).
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads, b.EncodeToString(salt), b.EncodeToString(key)), nil
}

// VerifyPassword reports whether a password matches an encoded argon2id hash.
func VerifyPassword(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var v int
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || t == 0 || p == 0 || m == 0 || m > 1<<22 || t > 100 {
		return false
	}
	b := base64.RawStdEncoding
	salt, err1 := b.DecodeString(parts[4])
	want, err2 := b.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified against when the username is unknown, so that the answer takes as long.
var dummyHash, _ = HashPassword("dangvu: no such user")

// NewToken returns a random 32-byte token in unpadded base64url (43 characters).
func NewToken() (string, error) { return newToken() }

func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

const userCols = `id, username, full_name, role, org_id, member_id, disabled, totp_secret <> ''`

func scanUser(sc interface{ Scan(...any) error }) (dangvu.User, error) {
	var u dangvu.User
	var role string
	var disabled int
	err := sc.Scan(&u.ID, &u.Username, &u.FullName, &role, &u.OrgID, &u.MemberID, &disabled, &u.TOTP)
	u.UserRole, u.Disabled = dangvu.UserRole(role), disabled != 0
	return u, err
}

// userAudit is what the audit log records of an account: never its password hash or secrets.
func userAudit(u dangvu.User) map[string]any {
	return map[string]any{"username": u.Username, "full_name": u.FullName, "role": u.UserRole, "org_id": u.OrgID, "member_id": u.MemberID, "disabled": u.Disabled}
}

func checkPassword(password string) error {
	if len([]rune(password)) < MinPasswordLen {
		return &dangvu.Error{Code: dangvu.EInvalid, Message: "Mật khẩu không hợp lệ.", Fields: []dangvu.FieldError{{Field: "password", Reason: fmt.Sprintf("cần ít nhất %d ký tự", MinPasswordLen)}}}
	}
	if len(password) > 1024 {
		return &dangvu.Error{Code: dangvu.EInvalid, Message: "Mật khẩu không hợp lệ.", Fields: []dangvu.FieldError{{Field: "password", Reason: "quá dài"}}}
	}
	return nil
}

// CreateUser adds an account with a password. Non-administrators need an organisation (the root
// of what they see); a member's account needs their member record.
func (s *Store) CreateUser(ctx context.Context, actor string, u dangvu.User, password string) (dangvu.User, error) {
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	u.FullName = vn.NFC(strings.Join(strings.Fields(u.FullName), " "))
	u.OrgID, u.MemberID = strings.TrimSpace(u.OrgID), strings.TrimSpace(u.MemberID)
	var fields []dangvu.FieldError
	if !usernamePattern.MatchString(u.Username) {
		fields = append(fields, dangvu.FieldError{Field: "username", Reason: "chỉ gồm chữ thường không dấu, số, dấu chấm, gạch; 2–64 ký tự"})
	}
	if !dangvu.ValidCode(dangvu.UserRoles, u.UserRole) {
		fields = append(fields, dangvu.FieldError{Field: "role", Reason: fmt.Sprintf("vai trò %q không hợp lệ", u.UserRole)})
	}
	if u.OrgID == "" && u.UserRole != dangvu.UserAdmin && u.UserRole != dangvu.UserMember {
		fields = append(fields, dangvu.FieldError{Field: "org", Reason: "bắt buộc với vai trò này"})
	}
	if u.UserRole == dangvu.UserMember && u.MemberID == "" {
		fields = append(fields, dangvu.FieldError{Field: "member", Reason: "bắt buộc với tài khoản đảng viên"})
	}
	if err := checkPassword(password); err != nil {
		fields = append(fields, err.(*dangvu.Error).Fields...)
	}
	if len(fields) > 0 {
		return u, &dangvu.Error{Code: dangvu.EInvalid, Message: "Thông tin tài khoản không hợp lệ.", Fields: fields}
	}
	hash, err := HashPassword(password)
	if err != nil {
		return u, err
	}
	u.Disabled, u.TOTP = false, false
	err = s.tx(ctx, func(tx *dbTx) error {
		var n int
		if u.OrgID != "" {
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM org_versions WHERE org_id = ?`, u.OrgID).Scan(&n); err != nil {
				return fmt.Errorf("store: user: %w", err)
			}
			if n == 0 {
				return dangvu.Errorf(dangvu.ENotFound, "không có tổ chức đảng mã %q", u.OrgID)
			}
		}
		if u.MemberID != "" {
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM members WHERE id = ?`, u.MemberID).Scan(&n); err != nil {
				return fmt.Errorf("store: user: %w", err)
			}
			if n == 0 {
				return dangvu.Errorf(dangvu.ENotFound, "không có đảng viên mã %q", u.MemberID)
			}
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE username = ?`, u.Username).Scan(&n); err != nil {
			return fmt.Errorf("store: user: %w", err)
		}
		if n > 0 {
			return dangvu.Errorf(dangvu.EConflict, "tên đăng nhập %q đã có", u.Username)
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO users (username, full_name, role, org_id, member_id, password_hash, disabled, created)
			VALUES (?,?,?,?,?,?,0,?) RETURNING id`, u.Username, u.FullName, string(u.UserRole), u.OrgID, u.MemberID, hash, fmtTime(s.now())).Scan(&u.ID)
		if err != nil {
			return fmt.Errorf("store: user: %w", err)
		}
		return s.audit(ctx, tx, actor, "create", "user", u.Username, nil, userAudit(u))
	})
	return u, err
}

// SetPassword replaces a user's password and ends their sessions.
func (s *Store) SetPassword(ctx context.Context, actor, username, password string) error {
	if err := checkPassword(password); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *dbTx) error {
		u, err := s.userBy(ctx, tx, `username = ?`, username)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, u.ID); err != nil {
			return fmt.Errorf("store: user: %w", err)
		}
		// A new password is usually set because the old one may be known: whatever was opened
		// with it (sessions, pending second steps, API tokens) ends with it.
		if err := s.endCredentials(ctx, tx, u.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "set_password", "user", u.Username, nil, map[string]any{"password": "changed", "sessions": "ended", "api_tokens": "revoked"})
	})
}

// DisableUser locks an account: it can no longer log in, and its sessions and API tokens end.
func (s *Store) DisableUser(ctx context.Context, actor, username string) error {
	return s.tx(ctx, func(tx *dbTx) error {
		u, err := s.userBy(ctx, tx, `username = ?`, username)
		if err != nil {
			return err
		}
		before := userAudit(u)
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled = 1 WHERE id = ?`, u.ID); err != nil {
			return fmt.Errorf("store: user: %w", err)
		}
		if err := s.endCredentials(ctx, tx, u.ID); err != nil {
			return err
		}
		u.Disabled = true
		return s.audit(ctx, tx, actor, "disable", "user", u.Username, before, userAudit(u))
	})
}

// endCredentials ends a user's sessions (pending second steps included) and API tokens.
func (s *Store) endCredentials(ctx context.Context, tx *dbTx, userID int64) error {
	for _, q := range []string{`DELETE FROM sessions WHERE user_id = ?`, `DELETE FROM api_tokens WHERE user_id = ?`} {
		if _, err := tx.ExecContext(ctx, q, userID); err != nil {
			return fmt.Errorf("store: user: %w", err)
		}
	}
	return nil
}

func (s *Store) userBy(ctx context.Context, q queryer, where string, args ...any) (dangvu.User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return u, dangvu.Errorf(dangvu.ENotFound, "không có tài khoản %q", fmt.Sprint(args...))
	}
	if err != nil {
		return u, fmt.Errorf("store: user: %w", err)
	}
	return u, nil
}

// UserByUsername returns an account.
func (s *Store) UserByUsername(ctx context.Context, username string) (dangvu.User, error) {
	return s.userBy(ctx, s.read, `username = ?`, strings.ToLower(strings.TrimSpace(username)))
}

// Users lists every account by username.
func (s *Store) Users(ctx context.Context) ([]dangvu.User, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+userCols+` FROM users ORDER BY username`)
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	defer rows.Close()
	var out []dangvu.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// Authenticate checks a username and password, throttling failures per username and per address
// (ip). It answers EUnauthorized for a wrong username or password (the same message for both),
// ERateLimited with the time to retry when there were too many failures, EForbidden for a
// disabled account.
func (s *Store) Authenticate(ctx context.Context, username, password, ip string) (dangvu.User, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	now := s.now()
	since := fmtTime(now.Add(-ThrottleWindow))
	if err := s.throttled(ctx, username, ip); err != nil {
		return dangvu.User{}, err
	}
	var hash string
	var u dangvu.User
	err := s.read.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE username = ?`, username).Scan(&hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("store: login: %w", err)
	}
	known := err == nil
	if !known {
		hash = dummyHash
	}
	ok := VerifyPassword(hash, password) && known
	if ok {
		if u, err = s.userBy(ctx, s.read, `username = ?`, username); err != nil {
			return u, err
		}
	}
	werr := s.tx(ctx, func(tx *dbTx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_attempts WHERE at < ?`, since); err != nil {
			return err
		}
		if !ok {
			if err := s.recordFailure(ctx, tx, username, ip); err != nil {
				return err
			}
			return s.audit(ctx, tx, username, "login_failed", "user", username, nil, map[string]any{"ip": ip})
		}
		if u.Disabled {
			return s.audit(ctx, tx, username, "login_refused", "user", username, nil, map[string]any{"ip": ip, "reason": "disabled"})
		}
		if u.TOTP {
			return nil // the failures are forgotten only once the second factor is right too
		}
		return s.clearFailures(ctx, tx, username, ip)
	})
	if werr != nil {
		return dangvu.User{}, fmt.Errorf("store: login: %w", werr)
	}
	if !ok {
		return dangvu.User{}, dangvu.Errorf(dangvu.EUnauthorized, "Tên đăng nhập hoặc mật khẩu không đúng.")
	}
	if u.Disabled {
		return dangvu.User{}, dangvu.Errorf(dangvu.EForbidden, "Tài khoản đã bị khóa. Vui lòng liên hệ quản trị viên.")
	}
	return u, nil
}

// throttled answers ERateLimited, with the time to retry, when there were too many failed logins
// (wrong passwords or second-factor codes) for a username or an address within ThrottleWindow.
func (s *Store) throttled(ctx context.Context, username, ip string) error {
	now := s.now()
	since := fmtTime(now.Add(-ThrottleWindow))
	for _, k := range []struct {
		key string
		max int
	}{{pairKey(username, ip), MaxUserFailures}, {"ip:" + addrKey(ip), MaxAddrFailures}} {
		var n int
		var first sql.NullString
		if err := s.write.QueryRowContext(ctx, `SELECT count(*), min(at) FROM login_attempts WHERE key = ? AND at >= ?`, k.key, since).Scan(&n, &first); err != nil {
			return fmt.Errorf("store: login: %w", err)
		}
		if n >= k.max {
			retry := now.Add(ThrottleWindow)
			if t, err := time.Parse(timeLayout, first.String); err == nil {
				retry = t.Add(ThrottleWindow)
			}
			mins := int(retry.Sub(now).Minutes()) + 1
			local := retry.In(time.FixedZone("ICT", 7*3600))
			return dangvu.Errorf(dangvu.ERateLimited, "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %s (khoảng %d phút nữa).", local.Format("15:04"), mins)
		}
	}
	return nil
}

// addrKey is the part of an address that throttling counts: the address, or its /64 for IPv6.
func addrKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	p, _ := a.Prefix(64)
	return p.String()
}

// pairKey names the failures of a username from one address.
func pairKey(username, ip string) string { return "user:" + username + "@" + addrKey(ip) }

// clearFailures forgets a username's failures from an address, after a complete login from it.
func (s *Store) clearFailures(ctx context.Context, tx *dbTx, username, ip string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM login_attempts WHERE key = ?`, pairKey(username, ip))
	return err
}

// recordFailure counts a failed login against the username from the address and the address.
func (s *Store) recordFailure(ctx context.Context, tx *dbTx, username, ip string) error {
	for _, k := range []string{pairKey(username, ip), "ip:" + addrKey(ip)} {
		if _, err := tx.ExecContext(ctx, `INSERT INTO login_attempts (key, at) VALUES (?, ?)`, k, fmtTime(s.now())); err != nil {
			return err
		}
	}
	return nil
}

// Session is a logged-in browser: its user, its CSRF token and when it ends.
type Session struct {
	User    dangvu.User
	CSRF    string
	Expires time.Time
}

// CreateSession opens a session for a user (after Authenticate) and returns its token, to be
// sent to the browser; only the token's SHA-256 is stored.
func (s *Store) CreateSession(ctx context.Context, u dangvu.User, ip string) (string, Session, error) {
	token, err := newToken()
	if err != nil {
		return "", Session{}, err
	}
	csrf, err := newToken()
	if err != nil {
		return "", Session{}, err
	}
	now := s.now()
	sess := Session{User: u, CSRF: csrf, Expires: now.Add(SessionTTL)}
	err = s.tx(ctx, func(tx *dbTx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires <= ?`, fmtTime(now)); err != nil {
			return fmt.Errorf("store: session: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created, expires, csrf_token) VALUES (?,?,?,?,?)`,
			tokenHash(token), u.ID, fmtTime(now), fmtTime(sess.Expires), csrf); err != nil {
			return fmt.Errorf("store: session: %w", err)
		}
		return s.audit(ctx, tx, u.Username, "login", "user", u.Username, nil, map[string]any{"ip": ip, "expires": fmtTime(sess.Expires)})
	})
	if err != nil {
		return "", Session{}, err
	}
	return token, sess, nil
}

var errNoSession = dangvu.Errorf(dangvu.EUnauthorized, "Phiên đăng nhập đã hết hạn hoặc không hợp lệ. Vui lòng đăng nhập lại.")

// Session returns the session of a token: EUnauthorized when unknown, expired or its user disabled.
func (s *Store) Session(ctx context.Context, token string) (Session, error) {
	if token == "" {
		return Session{}, errNoSession
	}
	// From the primary: a session just made (a login) is not yet on a replica, and one just ended
	// (a logout, a password change) must not be taken there for a while longer; the CSRF token
	// comes with it.
	ctx = PrimaryReads(ctx)
	var sess Session
	var expires string
	var role string
	var disabled int
	err := s.read.QueryRowContext(ctx, `SELECT u.id, u.username, u.full_name, u.role, u.org_id, u.member_id, u.disabled, u.totp_secret <> '', s.csrf_token, s.expires
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.csrf_token <> ?`, tokenHash(token), pendingCSRF).
		Scan(&sess.User.ID, &sess.User.Username, &sess.User.FullName, &role, &sess.User.OrgID, &sess.User.MemberID, &disabled, &sess.User.TOTP, &sess.CSRF, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, errNoSession
	}
	if err != nil {
		return Session{}, fmt.Errorf("store: session: %w", err)
	}
	sess.User.UserRole, sess.User.Disabled = dangvu.UserRole(role), disabled != 0
	if expires <= fmtTime(s.now()) || sess.User.Disabled {
		return Session{}, errNoSession
	}
	sess.Expires, _ = time.Parse(timeLayout, expires)
	return sess, nil
}

// DeleteSession ends a session (logout); an unknown token is not an error.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	return s.tx(ctx, func(tx *dbTx) error {
		var username string
		err := tx.QueryRowContext(ctx, `SELECT u.username FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, tokenHash(token)).Scan(&username)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("store: session: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash(token)); err != nil {
			return fmt.Errorf("store: session: %w", err)
		}
		return s.audit(ctx, tx, username, "logout", "user", username, nil, nil)
	})
}

// CreateAPIToken makes a named API token for a user and returns it; only its SHA-256 is stored,
// so it cannot be shown again.
func (s *Store) CreateAPIToken(ctx context.Context, actor, username, name string) (string, error) {
	token, err := newToken()
	if err != nil {
		return "", err
	}
	err = s.tx(ctx, func(tx *dbTx) error {
		u, err := s.userBy(ctx, tx, `username = ?`, strings.ToLower(strings.TrimSpace(username)))
		if err != nil {
			return err
		}
		if u.Disabled {
			return dangvu.Errorf(dangvu.EConflict, "tài khoản %q đã bị khóa", u.Username)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (token_hash, user_id, name, created) VALUES (?,?,?,?)`,
			tokenHash(token), u.ID, name, fmtTime(s.now())); err != nil {
			return fmt.Errorf("store: token: %w", err)
		}
		return s.audit(ctx, tx, actor, "create_token", "user", u.Username, nil, map[string]any{"token_name": name})
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

var errBadToken = dangvu.Errorf(dangvu.EUnauthorized, "Mã truy cập API không hợp lệ.")

// UserByAPIToken returns the user of an API token: EUnauthorized when unknown or the user is
// disabled. It records when the token was last used (at most once a minute; not audited).
func (s *Store) UserByAPIToken(ctx context.Context, token string) (dangvu.User, error) {
	if token == "" {
		return dangvu.User{}, errBadToken
	}
	ctx = PrimaryReads(ctx) // a revoked token must stop at once, as a session (Session)
	h := tokenHash(token)
	var lastUsed string
	var u dangvu.User
	var role string
	var disabled int
	err := s.read.QueryRowContext(ctx, `SELECT u.id, u.username, u.full_name, u.role, u.org_id, u.member_id, u.disabled, u.totp_secret <> '', t.last_used
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`, h).
		Scan(&u.ID, &u.Username, &u.FullName, &role, &u.OrgID, &u.MemberID, &disabled, &u.TOTP, &lastUsed)
	if errors.Is(err, sql.ErrNoRows) {
		return u, errBadToken
	}
	if err != nil {
		return u, fmt.Errorf("store: token: %w", err)
	}
	u.UserRole, u.Disabled = dangvu.UserRole(role), disabled != 0
	if u.Disabled {
		return dangvu.User{}, errBadToken
	}
	now := s.now()
	if lastUsed < fmtTime(now.Add(-time.Minute)) {
		if _, err := s.write.ExecContext(ctx, `UPDATE api_tokens SET last_used = ? WHERE token_hash = ?`, fmtTime(now), h); err != nil {
			return u, fmt.Errorf("store: token: %w", err)
		}
	}
	return u, nil
}

// ScopeRoot returns the path of the subtree a user sees as of a date: "/" for an administrator
// of the whole system, "" (nothing) for a member's account or a user whose organisation did not
// exist yet. A user whose organisation has ended keeps the subtree of its last path.
func (s *Store) ScopeRoot(ctx context.Context, u dangvu.User, asOf time.Time) (string, error) {
	if u.Disabled || u.UserRole == dangvu.UserMember {
		return "", nil
	}
	if u.OrgID == "" {
		if u.UserRole == dangvu.UserAdmin {
			return "/", nil
		}
		return "", nil
	}
	return s.pathNear(ctx, u.OrgID, asOf, false)
}

// pathNear is an organisation's path as of a date, else its last path before then (it has
// ended); with orFirst, else its first path (it did not exist yet).
func (s *Store) pathNear(ctx context.Context, orgID string, asOf time.Time, orFirst bool) (string, error) {
	d := dateArg(asOf)
	var p string
	err := s.read.QueryRowContext(ctx, `SELECT path FROM org_paths WHERE org_id = ? AND valid_from <= ? ORDER BY valid_from DESC LIMIT 1`, orgID, d).Scan(&p)
	if errors.Is(err, sql.ErrNoRows) && orFirst {
		err = s.read.QueryRowContext(ctx, `SELECT path FROM org_paths WHERE org_id = ? ORDER BY valid_from LIMIT 1`, orgID).Scan(&p)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: scope: %w", err)
	}
	return p, nil
}

// InScope reports whether an organisation lies, as of a date, in the subtree a user sees: its
// path then (else its last path, else its first) starts with the path of the user's organisation
// then (else its last path before then). Administrators without an organisation see everything;
// a member's account sees no organisation (only their own record: see MemberInScope).
func (s *Store) InScope(ctx context.Context, u dangvu.User, orgID string, asOf time.Time) (bool, error) {
	root, err := s.ScopeRoot(ctx, u, asOf)
	if err != nil || root == "" {
		return false, err
	}
	if root == "/" {
		return true, nil
	}
	p, err := s.pathNear(ctx, orgID, asOf, true)
	if err != nil || p == "" {
		return false, err
	}
	return strings.HasPrefix(p, root), nil
}

// MemberInScope reports whether a user may see a member's record as of a date: their own record
// for a member's account; otherwise the member's official organisation then (else the last one
// before, else the first one) must be in the user's scope.
func (s *Store) MemberInScope(ctx context.Context, u dangvu.User, memberID string, asOf time.Time) (bool, error) {
	if u.Disabled {
		return false, nil
	}
	if u.UserRole == dangvu.UserMember {
		return u.MemberID != "" && u.MemberID == memberID, nil
	}
	if u.UserRole == dangvu.UserAdmin && u.OrgID == "" {
		return true, nil
	}
	d := dateArg(asOf)
	var org string
	err := s.read.QueryRowContext(ctx, `SELECT org_id FROM memberships WHERE member_id = ? AND kind = 'official' AND valid_from <= ? ORDER BY valid_from DESC LIMIT 1`, memberID, d).Scan(&org)
	if errors.Is(err, sql.ErrNoRows) {
		err = s.read.QueryRowContext(ctx, `SELECT org_id FROM memberships WHERE member_id = ? AND kind = 'official' ORDER BY valid_from LIMIT 1`, memberID).Scan(&org)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: scope: %w", err)
	}
	return s.InScope(ctx, u, org, asOf)
}
