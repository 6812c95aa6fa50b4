package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"dangvu"
)

// AuditEntry is one entry of the audit log.
type AuditEntry struct {
	Seq      int64  `json:"seq"`
	At       string `json:"at"`
	Actor    string `json:"actor"`
	Action   string `json:"action"`
	Entity   string `json:"entity"`
	EntityID string `json:"entity_id"`
	Before   string `json:"before,omitempty"`
	After    string `json:"after,omitempty"`
	PrevHash string `json:"prev_hash"`
	Hash     string `json:"hash"`
}

// canonical is the text an entry's hash covers: every field, length-prefixed so that moving text
// between fields changes it, the previous entry's hash included.
func (e AuditEntry) canonical() []byte {
	var b []byte
	for _, f := range []string{fmt.Sprint(e.Seq), e.At, e.Actor, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.PrevHash} {
		b = fmt.Appendf(b, "%d:%s|", len(f), f)
	}
	return b
}

// digest is the unkeyed SHA-256 of entries written before the chain was keyed.
func (e AuditEntry) digest() string {
	h := sha256.Sum256(e.canonical())
	return hex.EncodeToString(h[:])
}

// mac is the HMAC-SHA256 of an entry under the audit subkey: without the key file it cannot be
// recomputed after an edit.
func (e AuditEntry) mac(k secretKey) string {
	m := hmac.New(sha256.New, k.audit)
	m.Write(e.canonical())
	return hex.EncodeToString(m.Sum(nil))
}

// AuditHead is the signed head of the audit log: how many entries it holds, the last one's hash,
// when it was written and with which key, and an HMAC over all of these. It is rewritten with
// every entry; a copy kept outside the database (`dangvu audit head`) later proves that no entry
// up to it was deleted, even if the whole end of the log and the head were rolled back together.
type AuditHead struct {
	Seq   int64  `json:"seq"`
	Hash  string `json:"hash"`
	At    string `json:"at"`
	KeyID string `json:"key_id"`
	MAC   string `json:"mac"`
}

func headMAC(k secretKey, h AuditHead) string {
	return hmacHex(k.head, fmt.Sprintf("head|%d|%s|%s|%s", h.Seq, h.Hash, h.At, h.KeyID))
}

// readHead reads the signed head (sql.ErrNoRows when there is none); lock holds it until the
// transaction ends, so that PostgreSQL's writers chain one after the other.
func (s *Store) readHead(ctx context.Context, q queryer, lock bool) (AuditHead, error) {
	var h AuditHead
	suffix := ""
	if lock && s.pg {
		suffix = " FOR UPDATE"
	}
	err := q.QueryRowContext(ctx, `SELECT seq, hash, at, key_id, mac FROM audit_head WHERE id = 1`+suffix).Scan(&h.Seq, &h.Hash, &h.At, &h.KeyID, &h.MAC)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return h, fmt.Errorf("store: audit head: %w", err)
	}
	return h, err
}

// writeHead signs and stores the head for the last entry seq with its hash.
func (s *Store) writeHead(ctx context.Context, q queryer, seq int64, hash string) error {
	k := s.keys.current()
	h := AuditHead{Seq: seq, Hash: hash, At: s.now().Format(time.RFC3339Nano), KeyID: k.id}
	h.MAC = headMAC(k, h)
	_, err := q.ExecContext(ctx, `INSERT INTO audit_head (id, seq, hash, at, key_id, mac) VALUES (1,?,?,?,?,?)
		ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, at = excluded.at, key_id = excluded.key_id, mac = excluded.mac`,
		h.Seq, h.Hash, h.At, h.KeyID, h.MAC)
	if err != nil {
		return fmt.Errorf("store: audit head: %w", err)
	}
	return nil
}

// AuditHead returns the signed head, for a record kept outside the database.
func (s *Store) AuditHead(ctx context.Context) (AuditHead, error) {
	ctx = PrimaryReads(ctx) // the head kept outside must be the newest, not a replica's
	h, err := s.readHead(ctx, s.read, false)
	if errors.Is(err, sql.ErrNoRows) {
		return h, dangvu.Errorf(dangvu.EConflict, "nhật ký không có đầu chuỗi đã ký")
	}
	return h, err
}

func jsonText(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// audit appends an entry in the caller's transaction, chained to the previous entry's hash and
// signed with the current key, and moves the signed head to it. The write connection is single
// (SQLite) or the transaction locks the head (PostgreSQL), so two writers cannot fork the chain.
func (s *Store) audit(ctx context.Context, q queryer, actor, action, entity, entityID string, before, after any) error {
	head, err := s.readHead(ctx, q, true)
	if errors.Is(err, sql.ErrNoRows) {
		return dangvu.Errorf(dangvu.EConflict, "nhật ký thay đổi không có đầu chuỗi đã ký (cơ sở dữ liệu bị sửa ngoài hệ thống?): hãy chạy dangvu audit verify")
	}
	if err != nil {
		return err
	}
	k := s.keys.current()
	if head.KeyID != k.id {
		// Another process rotated the key (or runs with another key file): signing on with this
		// one would break the chain.
		return dangvu.Errorf(dangvu.EConflict, "nhật ký đang được ký bằng khóa %s nhưng chương trình đang dùng khóa %s (tệp %s): hãy khởi động lại chương trình sau khi thay khóa", head.KeyID, k.id, s.keys.path)
	}
	e := AuditEntry{
		Seq: head.Seq + 1, At: time.Now().UTC().Format(time.RFC3339Nano), Actor: actor, Action: action,
		Entity: entity, EntityID: entityID, Before: jsonText(before), After: jsonText(after), PrevHash: head.Hash,
	}
	if s.Clock != nil {
		e.At = s.Clock().UTC().Format(time.RFC3339Nano)
	}
	e.Hash = e.mac(k)
	_, err = q.ExecContext(ctx, `INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?)`,
		e.Seq, e.At, e.Actor, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("store: audit: %w", err)
	}
	return s.writeHead(ctx, q, e.Seq, e.Hash)
}

// AuditLog lists entries, newest first; entity and entityID filter when not empty.
func (s *Store) AuditLog(ctx context.Context, entity, entityID string, limit int) ([]AuditEntry, error) {
	return s.AuditPage(ctx, entity, entityID, 0, limit)
}

// AuditPage lists entries like AuditLog, only those older than the entry before (a seq; 0 for
// the newest), for paging back through the log.
func (s *Store) AuditPage(ctx context.Context, entity, entityID string, before int64, limit int) ([]AuditEntry, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	if before <= 0 {
		before = math.MaxInt64
	}
	rows, err := s.read.QueryContext(ctx, `SELECT seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash FROM audit_log
		WHERE (? = '' OR entity = ?) AND (? = '' OR entity_id = ?) AND seq < ? ORDER BY seq DESC LIMIT ?`, entity, entity, entityID, entityID, before, limit)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.Before, &e.After, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// VerifyAudit walks the whole chain and reports the first entry that was edited, inserted or
// deleted after the fact: each entry must follow the previous one and carry its HMAC (its SHA-256
// before the database's switch to a keyed chain), and the signed head must name the last entry,
// so that deleting entries at the end is detected too. It returns the number of entries.
func (s *Store) VerifyAudit(ctx context.Context) (int, error) {
	n, _, err := s.verifyAudit(ctx, -1)
	return n, err
}

// VerifyAuditHead is VerifyAudit that also checks a head recorded earlier outside the database
// (`dangvu audit head`): it must be signed with one of our keys and its entry must still be in
// the log with the same hash. This catches a rollback of the log's end together with its head,
// which the database alone cannot show.
func (s *Store) VerifyAuditHead(ctx context.Context, rec AuditHead) (int, error) {
	k, ok := s.keys.byID(rec.KeyID)
	if !ok {
		return 0, dangvu.Errorf(dangvu.EConflict, "đầu chuỗi được ghi lại ký bằng khóa %s không có trong tệp khóa %s", rec.KeyID, s.keys.path)
	}
	if !hmac.Equal([]byte(headMAC(k, rec)), []byte(rec.MAC)) {
		return 0, dangvu.Errorf(dangvu.EConflict, "đầu chuỗi được ghi lại (mục số %d) không có chữ ký hợp lệ: bản ghi bị sửa hoặc không phải của cơ sở dữ liệu này", rec.Seq)
	}
	n, hash, err := s.verifyAudit(ctx, rec.Seq)
	if err != nil {
		return n, err
	}
	if int64(n) < rec.Seq {
		return n, dangvu.Errorf(dangvu.EConflict, "nhật ký bị sửa: đầu chuỗi ghi lại lúc %s có %d mục, nay chỉ còn %d: các mục cuối đã bị xóa cùng đầu chuỗi", rec.At, rec.Seq, n)
	}
	if rec.Seq > 0 && hash != rec.Hash {
		return n, dangvu.Errorf(dangvu.EConflict, "nhật ký bị sửa: mục số %d khác với đầu chuỗi ghi lại lúc %s", rec.Seq, rec.At)
	}
	return n, nil
}

// verifyAudit walks the chain; it also returns the hash of the entry at seq at (when at > 0).
func (s *Store) verifyAudit(ctx context.Context, at int64) (int, string, error) {
	// The primary's chain: a replica's snapshot is older than a head kept outside the database,
	// and would look like deleted entries.
	ctx = PrimaryReads(ctx)
	// One snapshot (SQLite's read transactions are one): the head read at the end must be the
	// head of the entries walked while others write.
	var opts *sql.TxOptions
	if s.pg {
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	tx, err := s.read.BeginTx(ctx, opts)
	if err != nil {
		return 0, "", fmt.Errorf("store: %w", err)
	}
	defer tx.Rollback()
	epochs, err := s.keyEpochs(ctx, tx)
	if err != nil {
		return 0, "", err
	}
	keys := make([]secretKey, len(epochs))
	for i, ep := range epochs {
		k, ok := s.keys.byID(ep.KeyID)
		if !ok {
			return 0, "", dangvu.Errorf(dangvu.EConflict, "thiếu khóa %s (ký nhật ký từ mục số %d) trong tệp khóa %s", ep.KeyID, ep.FromSeq, s.keys.path)
		}
		if !hmac.Equal([]byte(epochMAC(k, ep.FromSeq, ep.KeyID)), []byte(ep.MAC)) || (i > 0 && ep.FromSeq <= epochs[i-1].FromSeq) {
			return 0, "", dangvu.Errorf(dangvu.EConflict, "nhật ký bị sửa: điểm chuyển sang khóa %s (mục số %d) không có chữ ký hợp lệ", ep.KeyID, ep.FromSeq)
		}
		keys[i] = k
	}
	if len(epochs) == 0 {
		return 0, "", dangvu.Errorf(dangvu.EConflict, "nhật ký bị sửa: không còn ghi nhận khóa ký nhật ký")
	}
	rows, err := tx.QueryContext(ctx, `SELECT seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash FROM audit_log ORDER BY seq`)
	if err != nil {
		return 0, "", fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	n, prev, atHash := 0, "", ""
	var want int64 = 1
	epoch := -1 // the epoch of the entry: -1 before the first switch (unkeyed)
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.Before, &e.After, &e.PrevHash, &e.Hash); err != nil {
			return n, "", err
		}
		for epoch+1 < len(epochs) && e.Seq >= epochs[epoch+1].FromSeq {
			epoch++
		}
		var sum string
		if epoch < 0 {
			sum = e.digest()
		} else {
			sum = e.mac(keys[epoch])
		}
		switch {
		case e.Seq != want:
			return n, "", dangvu.Errorf(dangvu.EConflict, "nhật ký bị sửa: thiếu mục số %d", want)
		case e.PrevHash != prev:
			return n, "", dangvu.Errorf(dangvu.EConflict, "nhật ký bị sửa: mục số %d không nối với mục trước", e.Seq)
		case !hmac.Equal([]byte(sum), []byte(e.Hash)):
			return n, "", dangvu.Errorf(dangvu.EConflict, "nhật ký bị sửa: nội dung mục số %d không khớp mã băm", e.Seq)
		}
		if e.Seq == at {
			atHash = e.Hash
		}
		prev, want = e.Hash, want+1
		n++
	}
	if err := rows.Err(); err != nil {
		return n, "", err
	}
	head, err := s.readHead(ctx, tx, false)
	if errors.Is(err, sql.ErrNoRows) {
		return n, "", dangvu.Errorf(dangvu.EConflict, "nhật ký bị sửa: thiếu đầu chuỗi đã ký")
	}
	if err != nil {
		return n, "", err
	}
	k, ok := s.keys.byID(head.KeyID)
	if !ok || !hmac.Equal([]byte(headMAC(k, head)), []byte(head.MAC)) {
		return n, "", dangvu.Errorf(dangvu.EConflict, "nhật ký bị sửa: đầu chuỗi không có chữ ký hợp lệ")
	}
	if head.Seq != int64(n) || head.Hash != prev {
		if head.Seq > int64(n) {
			return n, "", dangvu.Errorf(dangvu.EConflict, "nhật ký bị sửa: đầu chuỗi đã ký ghi %d mục nhưng nhật ký chỉ còn %d: các mục cuối đã bị xóa", head.Seq, n)
		}
		return n, "", dangvu.Errorf(dangvu.EConflict, "nhật ký bị sửa: đầu chuỗi đã ký ghi %d mục, nhật ký có %d mục với mục cuối khác", head.Seq, n)
	}
	return n, atHash, nil
}

// LogReveal records that a user was shown a member's sensitive fields (the names of the fields,
// never their values).
func (s *Store) LogReveal(ctx context.Context, actor, memberID string, fields []string) error {
	return s.tx(ctx, func(tx *dbTx) error {
		return s.audit(ctx, tx, actor, "reveal", "member", memberID, nil, map[string]any{"fields": fields})
	})
}
