package store

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/workday"
)

// The secret key. It lives in a file outside the database, so that whoever can write the
// database (a stolen backup, a careless administrator with a SQL shell) can neither recompute
// the audit chain after editing it nor read the second-factor secrets. From it are derived one
// subkey per use (HKDF-SHA256): the audit entries' HMAC, the signed head's HMAC, and the AES-GCM
// key of the TOTP secrets.
//
// The file holds one base64 key per line ('#' lines are comments). The last key is the current
// one; earlier ones are retired keys, kept to verify the part of the log they signed (see
// RotateKey). Without a file named by Options.KeyFile or $DANGVU_KEY_FILE, a SQLite database uses
// dangvu.key in its own folder; PostgreSQL needs one named.

// KeyEnv names the environment variable that may give the key file.
const KeyEnv = "DANGVU_KEY_FILE"

// KeyFileName is the key file's name next to a SQLite database.
const KeyFileName = "dangvu.key"

const keyLen = 32

// secretKey is one key of the key file and its subkeys.
type secretKey struct {
	id    string // names the key in the database without revealing it
	audit []byte // HMAC-SHA256 of audit entries
	head  []byte // HMAC-SHA256 of the signed head and of the key switch points
	totp  []byte // AES-256-GCM of TOTP secrets
	scan  []byte // AES-256-GCM of member-file scans (scans.go)
}

func deriveKey(master []byte) (secretKey, error) {
	sub := func(info string) ([]byte, error) {
		return hkdf.Key(sha256.New, master, nil, "dangvu "+info+" v1", keyLen)
	}
	var k secretKey
	id, err := sub("key id")
	if err != nil {
		return k, err
	}
	k.id = hex.EncodeToString(id[:8])
	if k.audit, err = sub("audit entries"); err != nil {
		return k, err
	}
	if k.head, err = sub("audit head"); err != nil {
		return k, err
	}
	if k.totp, err = sub("totp secrets"); err != nil {
		return k, err
	}
	k.scan, err = sub("member file scans")
	return k, err
}

// keyring is the keys of the key file, the current one last.
type keyring struct {
	path    string
	keys    []secretKey
	created bool // the file was made by this Open
}

func (r *keyring) current() secretKey { return r.keys[len(r.keys)-1] }

func (r *keyring) byID(id string) (secretKey, bool) {
	for _, k := range r.keys {
		if k.id == id {
			return k, true
		}
	}
	return secretKey{}, false
}

// Options are the settings of OpenWith.
type Options struct {
	// KeyFile is the secret key's file; made (mode 0600) when missing and the database has never
	// been keyed. Empty: $DANGVU_KEY_FILE, else dangvu.key in the SQLite database's folder.
	KeyFile string
	// Calendar, when set, is the working-day calendar deadlines are counted with instead of
	// the calendar of the rules in force (workday.Default).
	Calendar *workday.Calendar
	// ReadDSNs are PostgreSQL read replicas of the primary (replicas.go, docs/deployment.md);
	// refused with SQLite.
	ReadDSNs []string
	// ReplicaMaxLag bounds how far behind the primary a replica may be and still serve reads
	// (0: DefaultReplicaMaxLag); ReplicaCheckEvery is the health checks' period (0: the default).
	ReplicaMaxLag, ReplicaCheckEvery time.Duration
	// Log receives the replicas' changes of health (nil: none).
	Log *slog.Logger
	// ScanDir is the folder of the member files' encrypted scans (scans.go). Empty:
	// $DANGVU_SCAN_DIR, else "attachments" beside a SQLite database; PostgreSQL needs one named.
	ScanDir string
}

// keyPath chooses the key file of a database.
func (s *Store) keyPath(o Options) (string, error) {
	if o.KeyFile != "" {
		return o.KeyFile, nil
	}
	if p := os.Getenv(KeyEnv); p != "" {
		return p, nil
	}
	if s.pg {
		return "", dangvu.Errorf(dangvu.EInvalid, "cơ sở dữ liệu PostgreSQL cần tệp khóa bí mật: chỉ ra bằng --key-file hoặc biến môi trường %s (tệp được tạo ở lần chạy đầu)", KeyEnv)
	}
	return filepath.Join(filepath.Dir(s.path), KeyFileName), nil
}

func readKeyFile(path string) ([]secretKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var keys []secretKey
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		raw, err := base64.StdEncoding.DecodeString(line)
		if err != nil || len(raw) < keyLen {
			return nil, dangvu.Errorf(dangvu.EInvalid, "tệp khóa %s, dòng %d: không phải khóa base64 %d byte", path, i+1, keyLen)
		}
		k, err := deriveKey(raw)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, dangvu.Errorf(dangvu.EInvalid, "tệp khóa %s không có khóa nào", path)
	}
	return keys, nil
}

const keyFileHeader = `# dangvu: khóa bí mật ký nhật ký thay đổi và mã hóa khóa xác thực hai bước.
# Giữ bí mật (quyền 0600), sao lưu riêng, không để cùng bản sao lưu cơ sở dữ liệu.
# Mất tệp này thì không còn kiểm tra được nhật ký và không đăng nhập hai bước được nữa.
# Dòng cuối là khóa hiện hành; các dòng trước là khóa cũ, giữ để kiểm tra phần nhật ký chúng đã ký.
`

func newKeyLine() (string, error) {
	raw := make([]byte, keyLen)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(raw) + "\n", nil
}

// createKeyFile writes a new key file at path unless one appears there meanwhile (another
// process starting beside this one): the file is written whole under a temporary name and then
// linked into place, which fails if the name is taken.
func createKeyFile(path string) (created bool, err error) {
	line, err := newKeyLine()
	if err != nil {
		return false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return false, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".dangvu-key-*")
	if err != nil {
		return false, err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return false, err
	}
	if _, err := tmp.WriteString(keyFileHeader + line); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Close(); err != nil {
		return false, err
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return false, nil
		}
		return false, err
	}
	return true, nil
}

// recordedKeyIDs lists the keys the database's audit log was signed with, oldest first; none
// when it was never keyed (or its tables do not exist yet).
func (s *Store) recordedKeyIDs(ctx context.Context) []string {
	rows, err := s.read.QueryContext(ctx, `SELECT key_id FROM audit_keys ORDER BY from_seq`)
	if err != nil {
		return nil
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if rows.Scan(&id) == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// loadKey reads the key file, or makes it when missing and the database has never been keyed. A
// database whose log was signed with a key the file lacks is refused: writing on with another
// key would break the chain, and a new key cannot verify the old entries.
func (s *Store) loadKey(ctx context.Context, o Options) error {
	path, err := s.keyPath(o)
	if err != nil {
		return err
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs // messages name the file wherever the command was run from
	}
	recorded := s.recordedKeyIDs(ctx)
	created := false
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if len(recorded) > 0 {
			return dangvu.Errorf(dangvu.EInvalid, "không tìm thấy tệp khóa %s: nhật ký của cơ sở dữ liệu này đã được ký bằng khóa %s. Hãy đặt lại tệp khóa từ bản sao lưu của nó (hoặc chỉ ra bằng --key-file / %s)", path, recorded[len(recorded)-1], KeyEnv)
		}
		if created, err = createKeyFile(path); err != nil {
			return fmt.Errorf("store: tạo tệp khóa %s: %w", path, err)
		}
	}
	keys, err := readKeyFile(path)
	if err != nil {
		if dangvu.ErrorCode(err) == dangvu.EInvalid {
			return err
		}
		return fmt.Errorf("store: đọc tệp khóa %s: %w", path, err)
	}
	s.keys = &keyring{path: path, keys: keys, created: created}
	for _, id := range recorded {
		if _, ok := s.keys.byID(id); !ok {
			return dangvu.Errorf(dangvu.EInvalid, "tệp khóa %s không có khóa %s đã ký nhật ký của cơ sở dữ liệu này: đây không phải tệp khóa của nó", path, id)
		}
	}
	return nil
}

// KeyFile returns the path of the key file and whether this Open made it.
func (s *Store) KeyFile() (path string, created bool) {
	if s.keys == nil {
		return "", false
	}
	return s.keys.path, s.keys.created
}

// keyEpoch is a switch point of the audit chain: entries from FromSeq on (until the next switch)
// are signed with the key KeyID. Entries before the first switch were chained with plain SHA-256
// (databases made before the chain was keyed).
type keyEpoch struct {
	FromSeq int64
	KeyID   string
	MAC     string
}

func epochMAC(k secretKey, from int64, id string) string {
	return hmacHex(k.head, fmt.Sprintf("epoch|%d|%s", from, id))
}

func hmacHex(key []byte, msg string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

func (s *Store) keyEpochs(ctx context.Context, q queryer) ([]keyEpoch, error) {
	rows, err := q.QueryContext(ctx, `SELECT from_seq, key_id, mac FROM audit_keys ORDER BY from_seq`)
	if err != nil {
		return nil, fmt.Errorf("store: audit keys: %w", err)
	}
	defer rows.Close()
	var out []keyEpoch
	for rows.Next() {
		var e keyEpoch
		if err := rows.Scan(&e.FromSeq, &e.KeyID, &e.MAC); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// migrateKey runs after the migrations, on every start: it records where the chain switches to
// the current key (the first start of a database, an old unkeyed one included, and after a
// rotation), signs the head, and encrypts TOTP secrets that are in clear or under a retired key.
func (s *Store) migrateKey(ctx context.Context) error {
	k := s.keys.current()
	return s.tx(ctx, func(tx *dbTx) error {
		epochs, err := s.keyEpochs(ctx, tx)
		if err != nil {
			return err
		}
		head, headErr := s.readHead(ctx, tx, false)
		if headErr != nil && !errors.Is(headErr, sql.ErrNoRows) {
			return headErr
		}
		if len(epochs) == 0 || epochs[len(epochs)-1].KeyID != k.id {
			if len(epochs) == 0 && errors.Is(headErr, sql.ErrNoRows) {
				// Never keyed: the chain so far (plain SHA-256) is taken as it is.
				if err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&head.Seq, &head.Hash); err != nil && !errors.Is(err, sql.ErrNoRows) {
					return fmt.Errorf("store: audit: %w", err)
				}
			} else if headErr != nil {
				return dangvu.Errorf(dangvu.EConflict, "nhật ký bị sửa: thiếu đầu chuỗi đã ký")
			}
			from := head.Seq + 1
			if _, err := tx.ExecContext(ctx, `INSERT INTO audit_keys (from_seq, key_id, created, mac) VALUES (?,?,?,?)`,
				from, k.id, fmtTime(s.now()), epochMAC(k, from, k.id)); err != nil {
				return fmt.Errorf("store: audit keys: %w", err)
			}
			// The head is signed with the current key from now on.
			if err := s.writeHead(ctx, tx, head.Seq, head.Hash); err != nil {
				return err
			}
		}
		return s.encryptTOTPSecrets(ctx, tx)
	})
}

// ---- TOTP secrets: AES-256-GCM under the key's TOTP subkey, bound to the account ----

// totpPrefix starts an encrypted secret: "v1.<key id>.<base64 nonce‖ciphertext>". A secret
// without it is in clear (written before encryption) and is encrypted at the next start.
const totpPrefix = "v1."

func totpAAD(userID int64) []byte { return fmt.Appendf(nil, "dangvu totp|%d", userID) }

func (s *Store) sealTOTP(userID int64, secret string) (string, error) {
	k := s.keys.current()
	block, err := aes.NewCipher(k.totp)
	if err != nil {
		return "", err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	ct := gcm.Seal(nonce, nonce, []byte(secret), totpAAD(userID))
	return totpPrefix + k.id + "." + base64.RawStdEncoding.EncodeToString(ct), nil
}

// openTOTP returns the base32 secret of a stored value (encrypted, or in clear from before).
func (s *Store) openTOTP(userID int64, stored string) (string, error) {
	rest, ok := strings.CutPrefix(stored, totpPrefix)
	if !ok {
		return stored, nil
	}
	id, b64, ok := strings.Cut(rest, ".")
	k, found := s.keys.byID(id)
	if !ok || !found {
		return "", dangvu.Errorf(dangvu.EInternal, "khóa xác thực hai bước được mã hóa bằng khóa %s không có trong tệp khóa %s", id, s.keys.path)
	}
	ct, err := base64.RawStdEncoding.DecodeString(b64)
	if err != nil {
		return "", fmt.Errorf("store: totp: %w", err)
	}
	block, err := aes.NewCipher(k.totp)
	if err != nil {
		return "", err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return "", err
	}
	if len(ct) < gcm.NonceSize() {
		return "", fmt.Errorf("store: totp: ciphertext too short")
	}
	pt, err := gcm.Open(nil, ct[:gcm.NonceSize()], ct[gcm.NonceSize():], totpAAD(userID))
	if err != nil {
		return "", dangvu.Errorf(dangvu.EInternal, "khóa xác thực hai bước của tài khoản số %d không giải mã được (bị sửa, hoặc sai tệp khóa)", userID)
	}
	return string(pt), nil
}

// encryptTOTPSecrets encrypts with the current key the secrets that are in clear or under a
// retired key. Not audited: nothing about the accounts changes.
func (s *Store) encryptTOTPSecrets(ctx context.Context, tx *dbTx) error {
	cur := totpPrefix + s.keys.current().id + "."
	rows, err := tx.QueryContext(ctx, `SELECT id, totp_secret FROM users WHERE totp_secret <> ''`)
	if err != nil {
		return fmt.Errorf("store: totp: %w", err)
	}
	type row struct {
		id     int64
		secret string
	}
	var todo []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.secret); err != nil {
			rows.Close()
			return err
		}
		if !strings.HasPrefix(r.secret, cur) {
			todo = append(todo, r)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range todo {
		plain, err := s.openTOTP(r.id, r.secret)
		if err != nil {
			return err
		}
		sealed, err := s.sealTOTP(r.id, plain)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = ? WHERE id = ?`, sealed, r.id); err != nil {
			return fmt.Errorf("store: totp: %w", err)
		}
	}
	return nil
}

// RotateKey adds a new current key to the key file, keeping the old ones (they still verify the
// entries they signed), and switches the database to it: later entries and the head are signed
// with the new key, and the TOTP secrets are encrypted with it. The audit log records the
// rotation (the new key's id, never a key).
func (s *Store) RotateKey(ctx context.Context, actor string) (oldID, newID string, err error) {
	oldID = s.keys.current().id
	line, err := newKeyLine()
	if err != nil {
		return "", "", err
	}
	raw, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(line))
	nk, err := deriveKey(raw)
	if err != nil {
		return "", "", err
	}
	// The rotation is logged under the old key: the entry names the key that signs what follows.
	if err := s.tx(ctx, func(tx *dbTx) error {
		return s.audit(ctx, tx, actor, "rotate_key", "audit", "key", map[string]any{"key_id": oldID}, map[string]any{"key_id": nk.id})
	}); err != nil {
		return "", "", err
	}
	f, err := os.OpenFile(s.keys.path, os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return "", "", fmt.Errorf("store: tệp khóa %s: %w", s.keys.path, err)
	}
	if _, err := f.WriteString(line); err != nil {
		f.Close()
		return "", "", fmt.Errorf("store: tệp khóa %s: %w", s.keys.path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return "", "", err
	}
	if err := f.Close(); err != nil {
		return "", "", err
	}
	s.keys.keys = append(s.keys.keys, nk)
	if err := s.migrateKey(ctx); err != nil {
		return "", "", err
	}
	return oldID, nk.id, nil
}
