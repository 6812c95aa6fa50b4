package store

import (
	"context"
	"fmt"
	"strings"
)

// rebuildRoster derives the roster from memberships, status history and organisation paths: each
// row is the intersection of an official membership, a path segment of its organisation and an
// in-party status interval. With member ids it rebuilds only theirs, and changes the counts kept
// for the top of the tree by the difference (counts and dues figures); with none, everything,
// the kept figures included.
func (s *Store) rebuildRoster(ctx context.Context, q queryer, _ string, members ...string) error {
	if len(members) == 0 {
		if err := s.fillRoster(ctx, q); err != nil {
			return err
		}
		if err := s.rebuildRosterCounts(ctx, q); err != nil {
			return err
		}
		if err := s.rebuildRosterEnds(ctx, q); err != nil {
			return err
		}
		if err := s.rebuildKept(ctx, q); err != nil {
			return err
		}
		return s.rebuildTallies(ctx, q)
	}
	// The members' dues, file and study figures kept for the top of the tree follow their roster rows.
	return s.keepDues(ctx, q, members, func() error {
		return s.keepReached(ctx, q, members, func() error {
			// Members without an admission decision are counted on their roster row's path,
			// every member by party age, a decision disciplining a member on the path of the
			// member's row the day before, and the members due a badge by their rows.
			return keepAllTallies(ctx, q, tallyMembers, members, func() error { return s.rebuildMembersRoster(ctx, q, members) }, admissionTally, partyAgeTally, disciplineTally, badgeDueTally)
		}, reachKinds...)
	})
}

// rebuildMembersRoster is rebuildRoster of some members, with the counts kept.
func (s *Store) rebuildMembersRoster(ctx context.Context, q queryer, members []string) error {
	d := newCountDeltas()
	if err := membersRosterRows(ctx, q, d, -1, members); err != nil {
		return err
	}
	if err := s.fillRoster(ctx, q, members...); err != nil {
		return err
	}
	if err := s.membersRosterEnds(ctx, q, members); err != nil {
		return err
	}
	if err := membersRosterRows(ctx, q, d, 1, members); err != nil {
		return err
	}
	return s.applyCountDeltas(ctx, q, d)
}

// fillRoster is rebuildRoster without the counts: the import fills the roster before it builds
// the roster's indexes, and the counts after.
func (s *Store) fillRoster(ctx context.Context, q queryer, members ...string) error {
	where, stWhere, args := "", "", []any{}
	if len(members) > 0 {
		ph := strings.TrimSuffix(strings.Repeat("?,", len(members)), ",")
		where = " AND m.member_id IN (" + ph + ")"
		stWhere = " WHERE member_id IN (" + ph + ")"
		for _, m := range members {
			args = append(args, m)
		}
		del := append([]any(nil), args...)
		args = append(args, del...)
		if _, err := q.ExecContext(ctx, `DELETE FROM roster WHERE member_id IN (`+ph+`)`, del...); err != nil {
			return fmt.Errorf("store: roster: %w", err)
		}
	} else if _, err := q.ExecContext(ctx, `DELETE FROM roster`); err != nil {
		return fmt.Errorf("store: roster: %w", err)
	}
	g, l := s.greatest(), s.least()
	stmt := fmt.Sprintf(`WITH st AS (
		SELECT member_id, status, valid_from,
			COALESCE(LEAD(valid_from) OVER (PARTITION BY member_id ORDER BY valid_from), '9999-12-31') AS valid_to
		FROM member_statuses%s
	)
	INSERT INTO roster (member_id, org_id, path, status, gender, admitted_on, valid_from, valid_to)
	SELECT m.member_id, m.org_id, p.path, st.status, mem.gender, mem.admitted_on,
		%s(m.valid_from, p.valid_from, st.valid_from), %s(m.valid_to, p.valid_to, st.valid_to)
	FROM memberships m
	JOIN org_paths p ON p.org_id = m.org_id AND p.valid_from < m.valid_to AND p.valid_to > m.valid_from
	JOIN st ON st.member_id = m.member_id
		AND st.valid_from < m.valid_to AND st.valid_to > m.valid_from
		AND st.valid_from < p.valid_to AND st.valid_to > p.valid_from
	JOIN members mem ON mem.id = m.member_id
	WHERE m.kind = 'official' AND st.status IN ('probationary', 'full', 'exempt')`+where, stWhere, g, l)
	if _, err := q.ExecContext(ctx, stmt, args...); err != nil {
		return fmt.Errorf("store: roster: %w", err)
	}
	return nil
}

// rosterEndsOf selects the members back in the Party after a gap: a roster row that ends with
// none starting that day, and a later one (roster_ends, migrations 0031 and 0033), among those
// the condition on g leaves. A member who left and never came back is not one: until leaving
// the milestones fall on their anniversaries, after it on no day.
const rosterEndsOf = `SELECT DISTINCT g.member_id FROM roster g WHERE g.valid_to < '` + openEnd + `'
	AND NOT EXISTS (SELECT 1 FROM roster h WHERE h.member_id = g.member_id AND h.valid_from = g.valid_to)
	AND EXISTS (SELECT 1 FROM roster h WHERE h.member_id = g.member_id AND h.valid_from > g.valid_to)`

// rebuildRosterEnds derives roster_ends from the whole roster (after its indexes: each ended row
// looks for its continuation by member).
func (s *Store) rebuildRosterEnds(ctx context.Context, q queryer) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM roster_ends`); err != nil {
		return fmt.Errorf("store: roster ends: %w", err)
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO roster_ends (member_id) `+rosterEndsOf); err != nil {
		return fmt.Errorf("store: roster ends: %w", err)
	}
	return nil
}

// membersRosterEnds is rebuildRosterEnds for the members whose roster was rebuilt.
func (s *Store) membersRosterEnds(ctx context.Context, q queryer, members []string) error {
	return inChunks(members, func(ph string, args []any) error {
		if _, err := q.ExecContext(ctx, `DELETE FROM roster_ends WHERE member_id IN (`+ph+`)`, args...); err != nil {
			return fmt.Errorf("store: roster ends: %w", err)
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO roster_ends (member_id) `+rosterEndsOf+` AND g.member_id IN (`+ph+`)`, args...); err != nil {
			return fmt.Errorf("store: roster ends: %w", err)
		}
		return nil
	})
}

// RosterEndsAgree compares roster_ends with the roster it is derived from (for the conformance
// suite); nil when they agree.
func (s *Store) RosterEndsAgree(ctx context.Context) ([]string, error) {
	kept, err := column(ctx, s.read, `SELECT member_id FROM roster_ends ORDER BY member_id`)
	if err != nil {
		return nil, err
	}
	direct, err := column(ctx, s.read, `SELECT member_id FROM (`+rosterEndsOf+`) x ORDER BY member_id`)
	if err != nil {
		return nil, err
	}
	if strings.Join(kept, ",") == strings.Join(direct, ",") {
		return nil, nil
	}
	return []string{fmt.Sprintf("roster_ends holds %v, the roster gives %v", kept, direct)}, nil
}
