package store

import (
	"context"
	"fmt"
	"strings"
)

// rebuildNameTails derives member_name_tails from members.name_fold (migration 0018): one row per
// word of a folded name, holding the name from that word on, so that a search from any word is a
// range scan. With member ids it rebuilds only theirs; with none, everything.
func (s *Store) rebuildNameTails(ctx context.Context, q queryer, members ...string) error {
	where, args := "", []any{}
	if len(members) > 0 {
		ph := strings.TrimSuffix(strings.Repeat("?,", len(members)), ",")
		where = ` WHERE id IN (` + ph + `)`
		for _, m := range members {
			args = append(args, m)
		}
		if _, err := q.ExecContext(ctx, `DELETE FROM member_name_tails WHERE member_id IN (`+ph+`)`, args...); err != nil {
			return fmt.Errorf("store: name tails: %w", err)
		}
	} else if _, err := q.ExecContext(ctx, `DELETE FROM member_name_tails`); err != nil {
		return fmt.Errorf("store: name tails: %w", err)
	}
	instr := "instr(rest, ' ')"
	if s.pg {
		instr = "strpos(rest, ' ')"
	}
	stmt := `WITH RECURSIVE t(member_id, pos, rest) AS (
		SELECT id, 0, name_fold FROM members` + where + `
		UNION ALL
		SELECT member_id, pos + 1, substr(rest, ` + instr + ` + 1) FROM t WHERE ` + instr + ` > 0
	)
	INSERT INTO member_name_tails (tail, member_id, pos) SELECT rest, member_id, pos FROM t WHERE rest <> ''`
	if _, err := q.ExecContext(ctx, stmt, args...); err != nil {
		return fmt.Errorf("store: name tails: %w", err)
	}
	return nil
}

// likeEscape escapes the LIKE wildcards of a folded query (the pattern says ESCAPE '\').
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
