package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"dangvu"
)

// MoveUser gives an account another organisation (the root of what it sees), for instance the
// successor of an organisation that ended in a reorganisation. The organisation must be in force
// on day; the account keeps its role, password and sessions (its scope is read on every request).
func (s *Store) MoveUser(ctx context.Context, actor, username, orgID string, day time.Time) (dangvu.User, error) {
	orgID = strings.TrimSpace(orgID)
	if orgID == "" {
		return dangvu.User{}, &dangvu.Error{Code: dangvu.EInvalid, Message: "Chưa chọn tổ chức mới.", Fields: []dangvu.FieldError{{Field: "org", Reason: "bắt buộc"}}}
	}
	var u dangvu.User
	err := s.tx(ctx, func(tx *dbTx) error {
		var err error
		if u, err = s.userBy(ctx, tx, `username = ?`, strings.ToLower(strings.TrimSpace(username))); err != nil {
			return err
		}
		if u.UserRole == dangvu.UserMember {
			return &dangvu.Error{Code: dangvu.EInvalid, Message: fmt.Sprintf("Tài khoản %s là tài khoản đảng viên: phạm vi của nó là hồ sơ của chính đảng viên, không chuyển tổ chức.", u.Username)}
		}
		d := dateArg(day)
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM org_versions WHERE org_id = ? AND valid_from <= ? AND valid_to > ?`, orgID, d, d).Scan(&n); err != nil {
			return fmt.Errorf("store: user: %w", err)
		}
		if n == 0 {
			return &dangvu.Error{Code: dangvu.ENotFound, Message: "Không chuyển được tài khoản.", Fields: []dangvu.FieldError{{Field: "org", Reason: fmt.Sprintf("không có tổ chức đảng mã %q đang hoạt động", orgID)}}}
		}
		if orgID == u.OrgID {
			return nil
		}
		before := userAudit(u)
		if _, err := tx.ExecContext(ctx, `UPDATE users SET org_id = ? WHERE id = ?`, orgID, u.ID); err != nil {
			return fmt.Errorf("store: user: %w", err)
		}
		u.OrgID = orgID
		return s.audit(ctx, tx, actor, "move", "user", u.Username, before, userAudit(u))
	})
	return u, err
}
