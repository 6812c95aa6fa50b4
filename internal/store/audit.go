package store

import (
	"context"
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

func (e AuditEntry) digest() string {
	h := sha256.New()
	for _, s := range []string{fmt.Sprint(e.Seq), e.At, e.Actor, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.PrevHash} {
		// Length-prefix every field so that moving text between fields changes the hash.
		fmt.Fprintf(h, "%d:%s|", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil))
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

// audit appends an entry in the caller's transaction, chained to the previous entry's hash. The
// write connection is single (SQLite) or the transaction locks the log's last row (PostgreSQL), so
// two writers cannot fork the chain.
func (s *Store) audit(ctx context.Context, q queryer, actor, action, entity, entityID string, before, after any) error {
	var last AuditEntry
	lock := ""
	if s.pg {
		lock = " FOR UPDATE"
	}
	err := q.QueryRowContext(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`+lock).Scan(&last.Seq, &last.Hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: audit: %w", err)
	}
	e := AuditEntry{
		Seq: last.Seq + 1, At: time.Now().UTC().Format(time.RFC3339Nano), Actor: actor, Action: action,
		Entity: entity, EntityID: entityID, Before: jsonText(before), After: jsonText(after), PrevHash: last.Hash,
	}
	if s.Clock != nil {
		e.At = s.Clock().UTC().Format(time.RFC3339Nano)
	}
	e.Hash = e.digest()
	_, err = q.ExecContext(ctx, s.rebind(`INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?)`),
		e.Seq, e.At, e.Actor, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("store: audit: %w", err)
	}
	return nil
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
	rows, err := s.read.QueryContext(ctx, s.rebind(`SELECT seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash FROM audit_log
		WHERE (? = '' OR entity = ?) AND (? = '' OR entity_id = ?) AND seq < ? ORDER BY seq DESC LIMIT ?`), entity, entity, entityID, entityID, before, limit)
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
// deleted after the fact.
func (s *Store) VerifyAudit(ctx context.Context) (int, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash FROM audit_log ORDER BY seq`)
	if err != nil {
		return 0, fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	n, prev := 0, ""
	var want int64 = 1
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.Before, &e.After, &e.PrevHash, &e.Hash); err != nil {
			return n, err
		}
		switch {
		case e.Seq != want:
			return n, dangvu.Errorf(dangvu.EConflict, "nhật ký bị sửa: thiếu mục số %d", want)
		case e.PrevHash != prev:
			return n, dangvu.Errorf(dangvu.EConflict, "nhật ký bị sửa: mục số %d không nối với mục trước", e.Seq)
		case e.digest() != e.Hash:
			return n, dangvu.Errorf(dangvu.EConflict, "nhật ký bị sửa: nội dung mục số %d không khớp mã băm", e.Seq)
		}
		prev, want = e.Hash, want+1
		n++
	}
	return n, rows.Err()
}

// LogReveal records that a user was shown a member's sensitive fields (the names of the fields,
// never their values).
func (s *Store) LogReveal(ctx context.Context, actor, memberID string, fields []string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		return s.audit(ctx, tx, actor, "reveal", "member", memberID, nil, map[string]any{"fields": fields})
	})
}
