package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"dangvu/internal/rules/badges"
)

// The members due a badge at a ceremony, counted for the top of the tree (issue 20).
//
// The report's badges_due counts the members of the subtree on the as-of day whom
// badges.ForCeremony puts on the next ceremony's list as due or delayed, not yet awarded. Most
// of them are plain: admitted exactly a milestone's years before a day of the ceremony's window
// and still on the same roster row at the ceremony. badgeDueTally counts those for the kept
// paths (the root, the provinces) from the roster and the badges alone; the members for whom
// that count may be wrong are few and read one by one (badgeCorrections), so a root's figure is
// a sum over a few rows plus a few thousand histories instead of every member admitted within
// a window (16.500 at a million members, 0,5 s of the root's report).

// badgeDueTally counts, for each roster row with an admission day and each milestone n of the
// rules of the ceremony c at or after its n-th anniversary (NextCeremony(AddYears(adm, n))),
// the row when it is in force on c (valid_from <= c < valid_to) and the member holds no badge of
// that milestone (reissues aside): +1 under the row's path, day c, key the first day of the
// ceremony's window the row covers (its valid_from, or the day after the previous ceremony). A
// report as of on (within that window: c is the next ceremony) sums the keys up to on. Selected
// by member: the roster's hook and a badge's write keep it.
var badgeDueTally = tallyKind{name: "badges_due", rules: badges.Fingerprint, events: badgeDueEvents}

// badgeDueEvents reads the roster rows and the badges of the members ids (all for tallyAll).
func badgeDueEvents(ctx context.Context, q queryer, by tallyBy, ids []string, sign int, d *tallyDeltas) error {
	cols := map[tallyBy]string{tallyMembers: "member_id"}
	awarded := map[string]milestoneSet{}
	milestones := badges.MilestonesEver()
	err := tallySelect(cols, by, ids, func(cond string, args []any) error {
		rows, err := q.QueryContext(ctx, `SELECT member_id, milestone FROM badges WHERE kind <> 'reissue'`+cond, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var id string
		var n int
		for rows.Next() {
			if err := rows.Scan(&id, &n); err != nil {
				return err
			}
			m := awarded[id]
			m.add(n)
			awarded[id] = m
		}
		return rows.Err()
	})
	if err != nil {
		return err
	}
	type reach struct {
		n       int
		c, from string // the ceremony, and the first day of its window
	}
	reaches := map[string][]reach{} // admitted_on → the ceremonies its milestones fall to
	return tallySelect(cols, by, ids, func(cond string, args []any) error {
		rows, err := q.QueryContext(ctx, `SELECT member_id, path, admitted_on, valid_from, valid_to FROM roster WHERE admitted_on <> ''`+cond, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var id, path, adm, from, to string
		for rows.Next() {
			if err := rows.Scan(&id, &path, &adm, &from, &to); err != nil {
				return err
			}
			rs, ok := reaches[adm]
			if !ok {
				t, err := time.Parse(time.DateOnly, adm)
				if err != nil {
					return fmt.Errorf("roster: admitted_on %q: %w", adm, err)
				}
				for _, n := range milestones {
					c := badges.NextCeremony(badges.AddYears(t, n))
					if badges.For(c).IsMilestone(n) {
						rs = append(rs, reach{n, dateArg(c), dateArg(badges.PrevCeremony(c).AddDate(0, 0, 1))})
					}
				}
				reaches[adm] = rs
			}
			done := awarded[id]
			for _, r := range rs {
				if done.has(r.n) || from > r.c || to <= r.c {
					continue
				}
				d.add(path, r.c, max(from, r.from), sign)
			}
		}
		return rows.Err()
	})
}

// milestoneSet holds milestones of 1 to 127 years (the rules allow up to 120), a bit each.
type milestoneSet [2]uint64

func (m *milestoneSet) add(n int) {
	if n > 0 && n < 128 {
		m[n/64] |= 1 << (n % 64)
	}
}

func (m milestoneSet) has(n int) bool { return n > 0 && n < 128 && m[n/64]&(1<<(n%64)) != 0 }

// badgesDueKept sums badgeDueTally under a kept path for the ceremony c as of on (within its
// window); ok is false when the tallies cannot say.
func (s *Store) badgesDueKept(ctx context.Context, path string, c, on time.Time) (n int, ok bool, err error) {
	if ok, err := s.tallyReadable(ctx, badgeDueTally, []span{{path: path}}); !ok {
		return 0, false, err
	}
	err = s.read.QueryRowContext(ctx, `SELECT COALESCE(SUM(n), 0) FROM tallies WHERE kind = ? AND path = ? AND day = ? AND key <= ?`,
		badgeDueTally.name, path, dateArg(c), dateArg(on)).Scan(&n)
	if err != nil {
		return 0, false, fmt.Errorf("store: report: badges due: %w", err)
	}
	return n, true, nil
}

// badgeTallied selects, for a roster row r on the as-of day, whether badgeDueTally counts it for
// the ceremony c (1 or 0), as the second of two columns (the first 0).
func badgeTallied(c time.Time, set badges.Set, pg bool) (string, []any) {
	fence := lookupFence(pg)
	due, args := milestoneDue(c, set, fence)
	return `, 0, CASE WHEN r.valid_to > ? AND ` + due + ` THEN 1 ELSE 0 END`, append([]any{dateArg(c)}, args...)
}

// badgeCorrections selects the members of the subtree [lo, hi) on day on for whom badgeDueTally
// may not say whether they are due at the ceremony c — a superset of those it counts that are
// not due and of those due that it does not count — with cols (badgeTallied) after the member
// and organisation:
//   - a reprimand, warning or removal whose delay ends after the previous ceremony (or later):
//     it may delay a milestone reached in the window past c, or one reached earlier into it;
//   - back after a gap (roster_ends): the milestones fall later than the anniversaries;
//   - on a roster row that ends by c: due or not by their history (moved, or left the Party).
//
// The rest are due exactly when the tally counts them (TestBadgesDueKept compares both ways on
// every ceremony of a walk through the years). A member may come twice; the caller keeps one.
func badgeCorrections(lo, hi, on string, c time.Time, set badges.Set, pg bool, cols string, cargs []any) (string, []any) {
	prev := badges.PrevCeremony(c)
	day := dateArg(c)
	// Admitted within a milestone's window, a few days' margin (29 February, month ends).
	windows := func(alias string) (string, []any) {
		var conds []string
		var args []any
		for _, n := range set.Milestones {
			conds = append(conds, `(`+alias+`.admitted_on > ? AND `+alias+`.admitted_on <= ?)`)
			args = append(args, admissionMargins(prev, c, n)...)
		}
		return `(` + strings.Join(conds, " OR ") + `)`, args
	}
	// The decisions whose delay ends after the previous ceremony, by c (running) or by the
	// end of the window (into).
	var delays []string
	var running, into []any
	for _, form := range slices.Sorted(maps.Keys(set.Delay)) {
		m := set.Delay[form]
		delays = append(delays, `(d.form = ? AND d.effective_on > ? AND d.effective_on <= ?)`)
		from := dateArg(prev.AddDate(0, -m, -7))
		running = append(running, form, from, day)
		into = append(into, form, from, min(dateArg(c.AddDate(0, -m, 7)), day))
	}
	if len(delays) == 0 {
		delays = append(delays, `0 = 1`)
	}
	delaying := `SELECT d.member_id FROM disciplines d WHERE (` + strings.Join(delays, " OR ") + `)`
	aw, awArgs := windows("a")
	rw, rwArgs := windows("r")
	sets := delaying + `
		UNION ALL SELECT e.member_id FROM roster_ends e
		UNION ALL SELECT a.member_id FROM roster a WHERE a.valid_to > ? AND a.valid_to <= ? AND a.valid_from <= ? AND a.admitted_on <> '' AND ` + aw
	args := append(slices.Clip(cargs), running...)
	args = append(args, on, day, on)
	args = append(args, awArgs...)
	// The outer condition keeps those that may be due or counted: within a window, delayed into
	// it or back after a gap. A decision that delays beyond the window matters only to a member
	// within it: at a million members 6.000 decisions were running, 1.600 ending in the window.
	where := `r.member_id = x.member_id AND r.path >= ? AND r.path < ? AND r.admitted_on <> ''
		AND r.valid_from <= ? AND r.valid_to > ?
		AND (` + rw + ` OR r.member_id IN (` + delaying + `) OR r.member_id IN (SELECT e.member_id FROM roster_ends e))`
	q := `SELECT r.member_id, r.org_id` + cols + ` FROM (` + sets + `) x CROSS JOIN roster r WHERE ` + where
	if pg {
		// PostgreSQL expected hundreds of thousands of members in the sets and hashed the
		// root's whole roster range for them (0,73 s for 2.900 at a million members): each
		// member's rows looked up by member instead.
		q = `SELECT r.member_id, r.org_id` + cols + ` FROM (` + sets + `) x CROSS JOIN LATERAL (SELECT * FROM roster r WHERE ` + where + ` OFFSET 0) r`
	}
	args = append(args, lo, hi, on, on)
	args = append(args, rwArgs...)
	return q, append(args, into...)
}
