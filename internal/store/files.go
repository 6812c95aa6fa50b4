package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/rules/badges"
	"dangvu/internal/rules/records"
	"dangvu/internal/vn"
)

// Member files, party cards, badges and the yearly supplement (docs/member-files.md). Every write
// runs in one transaction with its audit entry; a refusal names the field in Vietnamese and
// writes nothing.

func filesInvalid(msg string, fields ...dangvu.FieldError) error {
	return &dangvu.Error{Code: dangvu.EInvalid, Message: msg, Fields: fields}
}

// ---- party age ----

// partyHistories reads, for each member, what party age is counted from (badges.History): the
// admission date, the roster's intervals (in the Party with an official belonging, anywhere),
// the periods of an expulsion later annulled on appeal, and the date of death.
func (s *Store) partyHistories(ctx context.Context, q queryer, ids []string) (map[string]*badges.History, error) {
	out := map[string]*badges.History{}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		ph := strings.TrimSuffix(strings.Repeat("?,", len(chunk)), ",")
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
			out[id] = &badges.History{}
		}
		rows, err := q.QueryContext(ctx, `SELECT id, admitted_on FROM members WHERE id IN (`+ph+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: party age: %w", err)
		}
		for rows.Next() {
			var id, adm string
			if err := rows.Scan(&id, &adm); err != nil {
				rows.Close()
				return nil, err
			}
			out[id].Admitted, _ = dangvu.ParseISODate(adm)
		}
		rows.Close()
		rows, err = q.QueryContext(ctx, `SELECT member_id, valid_from, valid_to FROM roster WHERE member_id IN (`+ph+`) ORDER BY member_id, valid_from`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: party age: %w", err)
		}
		for rows.Next() {
			var id, from, to string
			if err := rows.Scan(&id, &from, &to); err != nil {
				rows.Close()
				return nil, err
			}
			h := out[id]
			f, _ := dangvu.ParseISODate(from)
			iv := badges.Interval{From: f}
			if to != dangvu.ForeverISO {
				iv.To, _ = dangvu.ParseISODate(to)
			}
			// Roster rows split where the path changes; join touching ones.
			if n := len(h.In); n > 0 && !h.In[n-1].To.IsZero() && h.In[n-1].To.Equal(iv.From) {
				h.In[n-1].To = iv.To
			} else {
				h.In = append(h.In, iv)
			}
		}
		rows.Close()
		rows, err = q.QueryContext(ctx, `SELECT member_id, min(valid_from) FROM member_statuses WHERE status = 'deceased' AND member_id IN (`+ph+`) GROUP BY member_id`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: party age: %w", err)
		}
		for rows.Next() {
			var id, d string
			if err := rows.Scan(&id, &d); err != nil {
				rows.Close()
				return nil, err
			}
			out[id].Died, _ = dangvu.ParseISODate(d)
		}
		rows.Close()
		// An expulsion annulled on appeal: the member is restored from the resolution (unexpel),
		// the period between is no gap.
		rows, err = q.QueryContext(ctx, `SELECT d.member_id, d.effective_on, min(a.resolved_on) FROM disciplines d
			JOIN discipline_appeals a ON a.discipline_id = d.id AND a.outcome = 'annulled' AND a.resolved_on <> ''
			WHERE d.form = 'expulsion' AND d.withdrawn_on = '' AND d.member_id IN (`+ph+`) GROUP BY d.id, d.member_id, d.effective_on`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: party age: %w", err)
		}
		for rows.Next() {
			var id, from, to string
			if err := rows.Scan(&id, &from, &to); err != nil {
				rows.Close()
				return nil, err
			}
			f, _ := dangvu.ParseISODate(from)
			t, _ := dangvu.ParseISODate(to)
			if t.After(f) {
				out[id].Annulled = append(out[id].Annulled, badges.Interval{From: f, To: t})
			}
		}
		rows.Close()
	}
	return out, nil
}

// badgeDisciplines reads the live discipline decisions of members that delay a badge (reprimand,
// warning, removal), by member, as they stand on day.
func (s *Store) badgeDisciplines(ctx context.Context, q queryer, day string, ids []string) (map[string][]badges.Discipline, error) {
	out := map[string][]badges.Discipline{}
	err := inChunks(ids, func(ph string, args []any) error {
		rows, err := q.QueryContext(ctx, `SELECT d.member_id, d.form, d.effective_on FROM disciplines d
		WHERE d.member_id IN (`+ph+`) AND d.form IN ('reprimand', 'warning', 'removal') AND d.effective_on <= ? AND `+liveDiscipline, append(args, day, day)...)
		if err != nil {
			return fmt.Errorf("store: badges: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id, form, on string
			if err := rows.Scan(&id, &form, &on); err != nil {
				return err
			}
			t, _ := dangvu.ParseISODate(on)
			out[id] = append(out[id], badges.Discipline{Form: form, Date: t})
		}
		return rows.Err()
	})
	return out, err
}

// awardedMilestones reads the milestones already awarded (reissues aside) of the members, by member.
func (s *Store) awardedMilestones(ctx context.Context, q queryer, ids []string) (map[string]map[int]string, error) {
	out := map[string]map[int]string{}
	err := inChunks(ids, func(ph string, args []any) error {
		rows, err := q.QueryContext(ctx, `SELECT member_id, milestone, id FROM badges WHERE member_id IN (`+ph+`) AND kind <> 'reissue'`, args...)
		if err != nil {
			return fmt.Errorf("store: badges: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id, bid string
			var n int
			if err := rows.Scan(&id, &n, &bid); err != nil {
				return err
			}
			if out[id] == nil {
				out[id] = map[int]string{}
			}
			out[id][n] = bid
		}
		return rows.Err()
	})
	return out, err
}

// BadgeCandidates lists the members of org's subtree on the ceremony's list (4-HHĐ): those
// reaching a milestone, net of gaps, since the previous ceremony (due, or delayed by discipline
// to it), those within the early-award window, and the posthumous ones; members already awarded
// the milestone are shown with their badge. The subtree is taken on the ceremony day, or on the
// last day of their membership for the deceased.
func (s *Store) BadgeCandidates(ctx context.Context, orgID string, ceremony time.Time) ([]dangvu.BadgeCandidate, error) {
	c := ceremony
	if !badges.IsCeremony(c) {
		return nil, filesInvalid("Ngày trao Huy hiệu không hợp lệ.", dangvu.FieldError{Field: "ceremony",
			Reason: fmt.Sprintf("ngày %s không phải ngày trao Huy hiệu Đảng; ngày gần nhất sau đó: %s", vn.FormatDate(c), vn.FormatDate(badges.NextCeremony(c)))})
	}
	return s.badgeCandidates(ctx, orgID, c, c, false, true)
}

// badgeCandidates lists the candidates of ceremony c among the members of orgID's subtree on
// onDay (the ceremony day for its list; the as-of date for the report's badges_due); dueOnly
// keeps those due or delayed to it and not yet awarded; named reads the members' and
// organisations' names and sorts the list (a count needs neither: one read per candidate).
func (s *Store) badgeCandidates(ctx context.Context, orgID string, c, onDay time.Time, dueOnly, named bool) ([]dangvu.BadgeCandidate, error) {
	out, _, err := s.badgeList(ctx, orgID, c, onDay, dueOnly, named, false)
	return out, err
}

// badgesDue counts the members of orgID's subtree on onDay due (or delayed) to the ceremony c
// and not yet awarded, as len(badgeCandidates(…, true, false)) but without reading the history
// of the members whose milestone is plain (badgeSimple): at a million members some 15.000 are
// due at a ceremony, whose histories took 1,5 s of the root's report.
func (s *Store) badgesDue(ctx context.Context, orgID string, c, onDay time.Time) (int, error) {
	out, n, err := s.badgeList(ctx, orgID, c, onDay, true, false, badgePrefilter)
	return len(out) + n, err
}

// badgeList is badgeCandidates; with count (due only, prefiltered) the members whose milestone
// is plain are counted in SQL, not listed: the list holds the others, the int the plain ones.
func (s *Store) badgeList(ctx context.Context, orgID string, c, onDay time.Time, dueOnly, named, count bool) ([]dangvu.BadgeCandidate, int, error) {
	org, err := s.Org(ctx, orgID, onDay)
	if err != nil {
		return nil, 0, err
	}
	lo, hi := subtreeRange(org.Path)
	day := dateArg(c)
	on := dateArg(onDay)
	set := badges.For(c)
	// Candidates: admitted at least the first milestone before the ceremony's window ends
	// (gaps only move a milestone later), in the subtree on the ceremony day or, for the
	// posthumous window, when they died.
	latest := dateArg(badges.AddYears(c.AddDate(0, 24, 0), -set.Milestones[0]))
	query, args := `SELECT DISTINCT r.member_id, r.org_id, 0, 0 FROM roster r
		WHERE r.path >= ? AND r.path < ? AND r.admitted_on <> '' AND r.admitted_on <= ?
		AND ((r.valid_from <= ? AND r.valid_to > ?) OR (r.valid_to <= ? AND r.valid_to > ? AND EXISTS (SELECT 1 FROM member_statuses st
			WHERE st.member_id = r.member_id AND st.status = 'deceased' AND st.valid_from = r.valid_to)))`,
		[]any{lo, hi, latest, on, on, on, dateArg(onDay.AddDate(-2, 0, 0))}
	// A count under the root or a province starts from the members the tallies count
	// (badgesDueKept) and reads the histories of those for whom they may be wrong.
	plain, kept := 0, false
	if count {
		if plain, kept, err = s.badgesDueKept(ctx, org.Path, c, onDay); err != nil {
			return nil, 0, err
		}
	}
	if dueOnly && badgePrefilter {
		cols, cargs := `, 0, 0`, []any(nil)
		switch {
		case kept:
			cols, cargs = badgeTallied(c, set, s.pg)
			query, args = badgeCorrections(lo, hi, on, c, set, s.pg, cols, cargs)
		case count:
			cols, cargs = badgeSimple(c, set, s.pg)
			fallthrough
		default:
			query, args = badgeDueCandidates(lo, hi, on, c, set, s.pg, cols, cargs)
		}
	}
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: badges: %w", err)
	}
	orgOf := map[string]string{}
	var ids []string
	for rows.Next() {
		var id, o string
		var simple, due int
		if err := rows.Scan(&id, &o, &simple, &due); err != nil {
			rows.Close()
			return nil, 0, err
		}
		if simple == 1 {
			plain += due
			continue
		}
		if _, ok := orgOf[id]; !ok {
			ids = append(ids, id)
			if kept {
				// Counted by the tallies (due is badgeTallied's column): its history decides.
				plain -= due
			}
		}
		orgOf[id] = o
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	// The histories, decisions and badges of a few thousand candidates at a time: a country's
	// root has millions of candidates, whose histories together would not fit in memory.
	out := []dangvu.BadgeCandidate{}
	for start := 0; start < len(ids); start += 5000 {
		chunk := ids[start:min(start+5000, len(ids))]
		hs, err := s.partyHistories(ctx, s.read, chunk)
		if err != nil {
			return nil, 0, err
		}
		ds, err := s.badgeDisciplines(ctx, s.read, day, chunk)
		if err != nil {
			return nil, 0, err
		}
		awarded, err := s.awardedMilestones(ctx, s.read, chunk)
		if err != nil {
			return nil, 0, err
		}
		for _, id := range chunk {
			h := hs[id]
			// A milestone awarded is skipped only for the one awarded: the list shows it as done.
			cand, ok := badges.ForCeremony(*h, ds[id], nil, c)
			if !ok || dueOnly && cand.Kind != badges.Due && cand.Kind != badges.Delayed {
				continue
			}
			bc := dangvu.BadgeCandidate{MemberID: id, OrgID: orgOf[id], AdmittedOn: dangvu.DateOf(h.Admitted), Milestone: cand.Milestone,
				Kind: string(cand.Kind), Reached: dangvu.DateOf(cand.Reached), Eligible: dangvu.DateOf(cand.Eligible), Reason: cand.Reason,
				GapDays: h.AgeOn(cand.Reached).GapDays, CashAmount: badges.CashFor(cand.Milestone, c).Amount}
			if b, done := awarded[id][cand.Milestone]; done {
				if dueOnly {
					continue
				}
				bc.Awarded = b
			}
			out = append(out, bc)
		}
	}
	if !named {
		return out, plain, nil
	}
	for i := range out {
		m, err := s.member(ctx, s.read, out[i].MemberID, onDay)
		if err != nil {
			return nil, 0, err
		}
		out[i].FullName, out[i].BirthDate = m.FullName, m.BirthDate
		out[i].OrgName = s.orgName(ctx, out[i].OrgID, isoDate(on))
	}
	slices.SortFunc(out, func(a, b dangvu.BadgeCandidate) int {
		if a.Milestone != b.Milestone {
			return b.Milestone - a.Milestone
		}
		if a.OrgID != b.OrgID {
			return strings.Compare(a.OrgID, b.OrgID)
		}
		return vn.CompareNames(a.FullName, b.FullName)
	})
	return out, plain, nil
}

// badgeSimple selects, for a roster row r on the as-of day, whether the member's milestones are
// plain — on the anniversaries of admission, with no discipline that may delay them and alive at
// c: not back after a gap (roster_ends), no reprimand, warning or removal by the ceremony c, and
// the row lasting past c (a member who leaves or dies before c may reach nothing)
// — and whether such a member is due at c: admitted exactly a milestone's years before a day
// after the previous ceremony and on or before c, that milestone not awarded. This is
// badges.ForCeremony for such a member (TestBadgeSimpleWindows; the walk test compares the
// counts with the histories' on every ceremony).
//
// Each lookup is by member, for the few thousand candidates: on PostgreSQL OFFSET 0 keeps it
// from hashing the whole table for it instead (every badge of a milestone; it misjudges how
// many rows reach the lookups), 0,4 s of the million-member root's report. SQLite looks up by
// member anyway, and a LIMIT there cost as much.
func badgeSimple(c time.Time, set badges.Set, pg bool) (string, []any) {
	fence := lookupFence(pg)
	due, dargs := milestoneDue(c, set, fence)
	return `, CASE WHEN r.valid_to > ? AND NOT EXISTS (SELECT 1 FROM roster_ends e WHERE e.member_id = r.member_id` + fence + `)
			AND NOT EXISTS (SELECT 1 FROM disciplines d WHERE d.member_id = r.member_id AND d.form IN ('reprimand', 'warning', 'removal') AND d.effective_on <= ?` + fence + `) THEN 1 ELSE 0 END,
		CASE WHEN ` + due + ` THEN 1 ELSE 0 END`, append([]any{dateArg(c), dateArg(c)}, dargs...)
}

// lookupFence ends a correlated lookup on PostgreSQL with OFFSET 0, which keeps the planner from
// turning it into a hash of the whole table (see badgeSimple).
func lookupFence(pg bool) string {
	if pg {
		return " OFFSET 0"
	}
	return ""
}

// milestoneDue is the condition on a roster row r that its member reaches a milestone of set
// on its anniversary after the ceremony before c and on or before c, that milestone not
// awarded (reissues aside); fence ends the lookups of the badges (badgeSimple).
func milestoneDue(c time.Time, set badges.Set, fence string) (string, []any) {
	prev := badges.PrevCeremony(c)
	var due []string
	var args []any
	for _, n := range set.Milestones {
		lo, hi := milestoneAdmissions(prev, c, n)
		due = append(due, `(r.admitted_on > ? AND r.admitted_on <= ? AND NOT EXISTS (SELECT 1 FROM badges b
			WHERE b.member_id = r.member_id AND b.milestone = ? AND b.kind <> 'reissue'`+fence+`))`)
		args = append(args, dateArg(lo), dateArg(hi), n)
	}
	return `(` + strings.Join(due, " OR ") + `)`, args
}

// milestoneAdmissions are the admission days (lo, hi] of the members whose n-th anniversary
// (badges.AddYears) falls after prev and on or before c.
func milestoneAdmissions(prev, c time.Time, n int) (lo, hi time.Time) {
	last := func(day time.Time) time.Time {
		a := badges.AddYears(day, -n).AddDate(0, 0, 4)
		for badges.AddYears(a, n).After(day) {
			a = a.AddDate(0, 0, -1)
		}
		return a
	}
	return last(prev), last(c)
}

// admissionMargins are the bounds (lo, hi] of the admission days whose n-th anniversary falls
// after prev and on or before c, widened by a few days (29 February, month ends): a superset
// of milestoneAdmissions for narrowing in SQL.
func admissionMargins(prev, c time.Time, n int) []any {
	return []any{dateArg(badges.AddYears(prev, -n).AddDate(0, 0, -3)), dateArg(badges.AddYears(c, -n).AddDate(0, 0, 3))}
}

// badgePrefilter lets badgeCandidates narrow the members due at a ceremony in SQL (a test
// compares it with the whole list).
var badgePrefilter = true

// badgeDueCandidates selects, among the members of the subtree [lo, hi) on day on, a superset of
// those due (or delayed) to the ceremony c, i.e. whose eligible day — the later of the day they
// reach a milestone and the end of every discipline's delay (badges.ForCeremony) — falls after
// the previous ceremony and on or before c:
//   - reached within that window with no gap in the Party: admitted exactly n years before
//     (badges.History.Reaches);
//   - reached within it after a gap: a member who came back after a gap (roster_ends), all kept;
//     one who left and never came back has reached on the roster only the milestones before
//     leaving, on their anniversary;
//   - delayed into it: a reprimand, warning or removal whose delay ends within it.
//
// A few days' margin covers 29 February and month ends (a week for the delays in months). The million-member root had 354.000
// candidates whose histories were read one by one; every member who ever left or was
// disciplined, 90.000; now a few thousand. Members who die by c are never due (only posthumous).
//
// cols (with its arguments cargs) are the columns selected after the member and organisation.
func badgeDueCandidates(lo, hi, on string, c time.Time, set badges.Set, pg bool, cols string, cargs []any) (string, []any) {
	prev := badges.PrevCeremony(c)
	var window []string
	// Gaps and delays only move a milestone later: nobody admitted after the first milestone's
	// window is due.
	args := []any{lo, hi, on, on, dateArg(badges.AddYears(c, -slices.Min(set.Milestones)).AddDate(0, 0, 3))}
	for _, n := range set.Milestones {
		window = append(window, `(r.admitted_on > ? AND r.admitted_on <= ?)`)
		args = append(args, admissionMargins(prev, c, n)...)
	}
	// The decisions whose delay ends within the window, by form (in a fixed order: the query's
	// text is the same for every ceremony).
	var delays []string
	var dargs []any
	for _, form := range slices.Sorted(maps.Keys(set.Delay)) {
		m := set.Delay[form]
		delays = append(delays, `(d.form = ? AND d.effective_on > ? AND d.effective_on <= ?)`)
		// A decision after c delays nothing at c (and keeps a member counted by badgeSimple
		// out of this set).
		hi := c.AddDate(0, -m, 7)
		if hi.After(c) {
			hi = c
		}
		dargs = append(dargs, form, dateArg(prev.AddDate(0, -m, -7)), dateArg(hi))
	}
	if len(delays) == 0 {
		delays = append(delays, `0 = 1`)
	}
	delaying := `(` + strings.Join(delays, " OR ") + `)`
	// The delaying decisions and the members back after a gap (roster_ends): for the root or a
	// province, sets built once and probed by each member; below them a lookup by member,
	// since building the set of the country's decisions (20.000 at a million members) was 5 ms
	// of a ward's 6. Looking for each member's gap in the roster was 2,5 s at that root.
	delayed := `r.member_id IN (SELECT d.member_id FROM disciplines d WHERE ` + delaying + `)`
	gapped := `r.member_id IN (SELECT e.member_id FROM roster_ends e)`
	if pathDepth(lo) > countDepth {
		// Fenced: PostgreSQL's generic plan for a cell's statement (db.go) hashed every
		// decision in the country for this (7-14 ms a cell's report at a million members).
		fence := lookupFence(pg)
		delayed = `EXISTS (SELECT 1 FROM disciplines d WHERE d.member_id = r.member_id AND ` + delaying + fence + `)`
		gapped = `EXISTS (SELECT 1 FROM roster_ends e WHERE e.member_id = r.member_id` + fence + `)`
	}
	// A member has one roster row on a day: no DISTINCT, which had SQLite walk the roster in
	// member order, a table lookup per row.
	base := `r.path >= ? AND r.path < ? AND r.admitted_on <> '' AND r.valid_from <= ? AND r.valid_to > ? AND r.admitted_on <= ?`
	baseArgs, windowArgs := args[:5], args[5:]
	windows := `(` + strings.Join(window, " OR ") + `)`
	args = append(args, dargs...)
	where := base + ` AND (` + windows + ` OR ` + delayed + ` OR ` + gapped + `)`
	if pathDepth(lo) > countDepth {
		return `SELECT r.member_id, r.org_id` + cols + ` FROM roster r WHERE ` + where, append(slices.Clip(cargs), args...)
	}
	if pathDepth(lo) > 1 {
		// A province: the roster's index by path holds the admission day but not the member,
		// so testing each row's member against the sets read it from the table (0,13 s of the
		// report of a province of 58.000). The members admitted within a window are found in
		// the index alone; the few delayed or back after a gap are probed by member. A member
		// read twice is kept once by the caller (one that badgeSimple counts is in one branch:
		// it is neither delayed nor back after a gap).
		q := `SELECT r.member_id, r.org_id` + cols + ` FROM roster r WHERE ` + base + ` AND ` + windows + `
			UNION ALL SELECT r.member_id, r.org_id` + cols + ` FROM (SELECT d.member_id FROM disciplines d WHERE ` + delaying + `
				UNION ALL SELECT e.member_id FROM roster_ends e) c
			CROSS JOIN roster r WHERE r.member_id = c.member_id AND ` + base
		out := append(slices.Clip(cargs), baseArgs...)
		out = append(out, windowArgs...)
		out = append(out, cargs...)
		out = append(out, dargs...)
		return q, append(out, baseArgs...)
	}
	// For the root the roster's range is every member, each row read from the table to test
	// the member against the sets, to keep a few in a thousand: the candidates come first —
	// admitted within a window (members_admitted: the roster's admission day is the member's),
	// delayed or back after a gap — and their roster rows are probed by member; the condition
	// above still decides. A member in two sets is read twice (the caller keeps one; one that
	// badgeSimple counts is in a single set: the windows are years apart, the other sets hold
	// none such): UNION had SQLite walk every member in id order to merge the sets. PostgreSQL
	// reads the roster's range about as fast.
	var first []any
	var sets []string
	for i := range set.Milestones {
		sets = append(sets, `SELECT m.id AS member_id FROM members m WHERE m.admitted_on > ? AND m.admitted_on <= ?`)
		first = append(first, args[5+2*i], args[6+2*i])
	}
	sets = append(sets, `SELECT d.member_id FROM disciplines d WHERE `+delaying, `SELECT e.member_id FROM roster_ends e`)
	first = append(first, dargs...)
	return `SELECT r.member_id, r.org_id` + cols + ` FROM (` + strings.Join(sets, " UNION ALL ") + `) c
		CROSS JOIN roster r WHERE r.member_id = c.member_id AND ` + where, append(append(slices.Clip(cargs), first...), args...)
}

// ---- writes ----

// SaveBadge records a badge proposed or awarded for a member at a ceremony. The milestone must be
// one of the rules in force and reached by the ceremony net of every gap (the early-award window
// for kind "early"; a posthumous award for a member who died within its window); a reissue needs
// the badge it replaces. The cash award defaults to the milestone's multiple of the base salary.
func (s *Store) SaveBadge(ctx context.Context, actor string, b dangvu.Badge) (dangvu.Badge, error) {
	msg := "Không ghi được Huy hiệu Đảng."
	if b.Ceremony.IsZero() {
		return b, filesInvalid(msg, fe("ceremony", "cần ngày trao (dd/mm/yyyy)"))
	}
	cer := b.Ceremony.Time
	if !dangvu.ValidCode(dangvu.BadgeKinds, b.Kind) {
		return b, filesInvalid(msg, fe("kind", "loại %q không có; dùng due, delayed, early, posthumous, reissue", b.Kind))
	}
	if b.ID == "" {
		b.ID = fmt.Sprintf("B-%s-%d", b.MemberID, b.Milestone)
		if b.Kind == "reissue" {
			b.ID += "-R" + strings.ReplaceAll(b.Ceremony.String(), "-", "")
		}
	}
	if !idPattern.MatchString(b.ID) {
		return b, filesInvalid(msg, fe("id", "mã %q không hợp lệ", b.ID))
	}
	for _, d := range []struct {
		f string
		v dangvu.Date
	}{{"decided_on", b.DecidedOn}, {"presented_on", b.PresentedOn}} {
		if d.v.After(s.Clock.TodayDate()) {
			return b, filesInvalid(msg, fe(d.f, "ngày %s ở tương lai", vn.FormatDate(d.v.Time)))
		}
	}
	err := s.tx(ctx, func(tx *dbTx) error {
		m, err := s.member(ctx, tx, b.MemberID, cer)
		if err != nil {
			return err
		}
		if b.OrgID == "" {
			b.OrgID = m.OrgID
		}
		if b.OrgID == "" {
			return filesInvalid(msg, fe("org_id", "%s không sinh hoạt ở tổ chức nào vào ngày %s: ghi tổ chức đề nghị", m.FullName, vn.FormatDate(cer)))
		}
		if _, err := s.Org(ctx, b.OrgID, cer); err != nil {
			return filesInvalid(msg, fe("org_id", "không có tổ chức đảng mã %q vào ngày %s", b.OrgID, vn.FormatDate(cer)))
		}
		awarded, err := s.awardedMilestones(ctx, tx, []string{b.MemberID})
		if err != nil {
			return err
		}
		prior, has := awarded[b.MemberID][b.Milestone]
		if b.Kind == "reissue" {
			if !has {
				return filesInvalid(msg, fe("milestone", "%s chưa được tặng Huy hiệu %d năm tuổi Đảng nên không cấp lại", m.FullName, b.Milestone))
			}
		} else {
			if has {
				return filesInvalid(msg, fe("milestone", "%s đã được tặng Huy hiệu %d năm tuổi Đảng (%s)", m.FullName, b.Milestone, prior))
			}
			hs, err := s.partyHistories(ctx, tx, []string{b.MemberID})
			if err != nil {
				return err
			}
			h := hs[b.MemberID]
			if b.Kind == "posthumous" && h.Died.IsZero() {
				return filesInvalid(msg, fe("kind", "%s chưa được ghi là từ trần: không truy tặng", m.FullName))
			}
			if b.Kind != "posthumous" && !h.Died.IsZero() && h.Died.Before(cer) {
				return filesInvalid(msg, fe("kind", "%s đã từ trần ngày %s: chỉ truy tặng", m.FullName, vn.FormatDate(h.Died)))
			}
			if p := badges.CheckAward(*h, b.Milestone, cer, b.Kind == "early"); p != nil {
				return filesInvalid(msg, dangvu.FieldError{Field: p.Field, Reason: p.String()})
			}
		}
		if b.CashAmount == 0 && b.Kind != "reissue" {
			b.CashAmount = badges.CashFor(b.Milestone, cer).Amount
		}
		// The badges awarded, and the member no longer due the milestone.
		err = keepTallies(ctx, tx, badgeDueTally, tallyMembers, []string{b.MemberID}, func() error {
			return keepTallies(ctx, tx, badgeTally, tallyIDs, []string{b.ID}, func() error {
				_, err := tx.ExecContext(ctx, `INSERT INTO badges (id, member_id, org_id, milestone, kind, ceremony, decision, decided_on, presented_on, cash_amount, note)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, b.ID, b.MemberID, b.OrgID, b.Milestone, b.Kind, b.Ceremony, b.Decision, b.DecidedOn, b.PresentedOn, b.CashAmount, b.Note)
				return err
			})
		})
		if err != nil {
			if isUniqueViolation(err) {
				return dangvu.Errorf(dangvu.EConflict, "đã có Huy hiệu mã %q", b.ID)
			}
			return fmt.Errorf("store: badge: %w", err)
		}
		return s.audit(ctx, tx, actor, "create", "badge", b.ID, nil, b)
	})
	return b, err
}

// SaveCard records a party card issued to a member: the number is checked (the 12-digit personal
// number as a CCCD, or the old format), an exchange or reissue ends the card in use that day.
func (s *Store) SaveCard(ctx context.Context, actor string, c dangvu.Card) (dangvu.Card, error) {
	msg := "Không ghi được thẻ đảng viên."
	if c.IssuedOn.IsZero() {
		return c, filesInvalid(msg, fe("issued_on", "cần ngày phát thẻ (dd/mm/yyyy)"))
	}
	on := c.IssuedOn.Time
	if on.After(s.Clock.Today()) {
		return c, filesInvalid(msg, fe("issued_on", "ngày %s ở tương lai", vn.FormatDate(on)))
	}
	if !dangvu.ValidCode(dangvu.CardKinds, c.Kind) {
		return c, filesInvalid(msg, fe("kind", "loại %q không có; dùng issue, exchange, reissue", c.Kind))
	}
	c.Number = strings.TrimSpace(c.Number)
	if c.ID == "" {
		c.ID = fmt.Sprintf("C-%s-%s", c.MemberID, strings.ReplaceAll(c.IssuedOn.String(), "-", ""))
	}
	if !idPattern.MatchString(c.ID) {
		return c, filesInvalid(msg, fe("id", "mã %q không hợp lệ", c.ID))
	}
	err := s.tx(ctx, func(tx *dbTx) error {
		m, err := s.member(ctx, tx, c.MemberID, on)
		if err != nil {
			return err
		}
		format, warn, p := records.CheckCard(c.Number, m.IDNumber, on)
		if p != nil {
			return filesInvalid(msg, dangvu.FieldError{Field: p.Field, Reason: p.String()})
		}
		c.Format, c.Warning = format, warn
		if m.Status != dangvu.StatusFull && m.Status != dangvu.StatusExempt {
			return filesInvalid(msg, fe("member_id", "thẻ chỉ phát cho đảng viên chính thức; %s là %s vào ngày %s", m.FullName,
				strings.ToLower(dangvu.CodeName(dangvu.Statuses, m.Status)), vn.FormatDate(on)))
		}
		var other string
		err = tx.QueryRowContext(ctx, `SELECT COALESCE(min(member_id), '') FROM cards WHERE number = ? AND member_id <> ?`, c.Number, c.MemberID).Scan(&other)
		if err != nil {
			return err
		}
		if other != "" {
			return filesInvalid(msg, fe("number", "số thẻ %s đã cấp cho đảng viên mã %s", c.Number, other))
		}
		if c.Kind != "issue" {
			reason := map[string]string{"exchange": "exchanged", "reissue": "lost"}[c.Kind]
			if _, err := tx.ExecContext(ctx, `UPDATE cards SET ended_on = ?, end_reason = ? WHERE member_id = ? AND ended_on = '' AND issued_on <= ?`,
				c.IssuedOn, reason, c.MemberID, c.IssuedOn); err != nil {
				return fmt.Errorf("store: card: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO cards (id, member_id, number, kind, issued_on, decision, ended_on, end_reason, note) VALUES (?, ?, ?, ?, ?, ?, '', '', ?)`,
			c.ID, c.MemberID, c.Number, c.Kind, c.IssuedOn, c.Decision, c.Note); err != nil {
			if isUniqueViolation(err) {
				return dangvu.Errorf(dangvu.EConflict, "đã có thẻ mã %q", c.ID)
			}
			return fmt.Errorf("store: card: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE members SET card_number = ?, card_date = ? WHERE id = ?`, c.Number, c.IssuedOn, c.MemberID); err != nil {
			return fmt.Errorf("store: card: %w", err)
		}
		return s.audit(ctx, tx, actor, "create", "card", c.ID, nil, c)
	})
	return c, err
}

// EndCard records that a card stopped being valid: lost, or returned on expulsion or removal.
func (s *Store) EndCard(ctx context.Context, actor, id, on, reason string) error {
	msg := "Không ghi được việc thu hồi, mất thẻ."
	if !dangvu.ValidCode(dangvu.CardEnds, reason) {
		return filesInvalid(msg, fe("end_reason", "lý do %q không có; dùng lost, returned, deceased", reason))
	}
	d, err := dangvu.ParseISODate(on)
	if err != nil || d.After(s.Clock.Today()) {
		return filesInvalid(msg, fe("ended_on", "cần ngày đã qua (dd/mm/yyyy)"))
	}
	return s.tx(ctx, func(tx *dbTx) error {
		var issued, ended string
		err := tx.QueryRowContext(ctx, `SELECT issued_on, ended_on FROM cards WHERE id = ?`, id).Scan(&issued, &ended)
		if err != nil {
			return dangvu.Errorf(dangvu.ENotFound, "không có thẻ mã %q", id)
		}
		if ended != "" {
			return filesInvalid(msg, fe("ended_on", "thẻ đã thôi giá trị từ %s", vnDate(ended)))
		}
		if on < issued {
			return filesInvalid(msg, fe("ended_on", "ngày %s trước ngày phát thẻ %s", vn.FormatDate(d), vnDate(issued)))
		}
		if _, err := tx.ExecContext(ctx, `UPDATE cards SET ended_on = ?, end_reason = ? WHERE id = ?`, on, reason, id); err != nil {
			return fmt.Errorf("store: card: %w", err)
		}
		return s.audit(ctx, tx, actor, "end", "card", id, nil, map[string]string{"ended_on": on, "end_reason": reason})
	})
}

// SaveFileDocument records a document of a member's file by its catalogue type.
func (s *Store) SaveFileDocument(ctx context.Context, actor string, d dangvu.FileDocument) (dangvu.FileDocument, error) {
	msg := "Không ghi được tài liệu hồ sơ."
	if d.AddedOn.IsZero() {
		d.AddedOn = s.Clock.TodayDate()
	}
	if _, msg2 := catalogueType(fmt.Sprint(d.TypeNo), d.AddedOn.String()); msg2 != "" {
		return d, filesInvalid(msg, fe("type_no", "%s", msg2))
	}
	if d.Date.After(s.Clock.TodayDate()) {
		return d, filesInvalid(msg, fe("date", "cần ngày đã qua (dd/mm/yyyy)"))
	}
	if d.ID != "" && !idPattern.MatchString(d.ID) {
		return d, filesInvalid(msg, fe("id", "mã %q không hợp lệ", d.ID))
	}
	if d.Attachment != "" && (!attachmentName.MatchString(d.Attachment) || !sha256Hex.MatchString(d.SHA256)) {
		return d, filesInvalid(msg, fe("attachment", "tệp quét cần tên hợp lệ và mã SHA-256"))
	}
	err := s.tx(ctx, func(tx *dbTx) error {
		if _, err := s.member(ctx, tx, d.MemberID, s.Clock.Today()); err != nil {
			return err
		}
		if d.ID == "" {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM file_documents WHERE member_id = ? AND type_no = ?`, d.MemberID, d.TypeNo).Scan(&n); err != nil {
				return err
			}
			for {
				n++
				d.ID = fmt.Sprintf("D-%s-%02d-%d", d.MemberID, d.TypeNo, n)
				var x int
				if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM file_documents WHERE id = ?`, d.ID).Scan(&x); err != nil {
					return err
				}
				if x == 0 {
					break
				}
			}
		}
		if err := s.keepReached(ctx, tx, []string{d.MemberID}, func() error {
			_, err := tx.ExecContext(ctx, `INSERT INTO file_documents (id, member_id, type_no, date, title, attachment, sha256, pages, added_on, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				d.ID, d.MemberID, d.TypeNo, d.Date, d.Title, d.Attachment, d.SHA256, d.Pages, d.AddedOn, d.Note)
			return err
		}, filesReach); err != nil {
			if isUniqueViolation(err) {
				return dangvu.Errorf(dangvu.EConflict, "đã có tài liệu mã %q", d.ID)
			}
			return fmt.Errorf("store: file document: %w", err)
		}
		return s.audit(ctx, tx, actor, "create", "file_document", d.ID, nil, d)
	})
	return d, err
}

// SetOrgCode gives an organisation its 14-digit code from a day on; the code in force before
// ends that day.
func (s *Store) SetOrgCode(ctx context.Context, actor, orgID, from, code string) error {
	msg := "Không ghi được mã tổ chức."
	c, err := records.ParseOrgCode(code)
	if err != nil {
		return filesInvalid(msg, fe("code", "%s", err.Error()))
	}
	d, err := dangvu.ParseISODate(from)
	if err != nil {
		return filesInvalid(msg, fe("valid_from", "cần ngày (dd/mm/yyyy)"))
	}
	if _, err := s.Org(ctx, orgID, d); err != nil {
		return filesInvalid(msg, fe("org_id", "không có tổ chức đảng mã %q vào ngày %s", orgID, vn.FormatDate(d)))
	}
	return s.tx(ctx, func(tx *dbTx) error {
		var other string
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(min(org_id), '') FROM org_codes WHERE code = ? AND org_id <> ? AND valid_from <= ? AND valid_to > ?`,
			string(c), orgID, from, from).Scan(&other); err != nil {
			return err
		}
		if other != "" {
			return filesInvalid(msg, fe("code", "mã %s đang là của tổ chức %s", c, other))
		}
		if _, err := tx.ExecContext(ctx, `UPDATE org_codes SET valid_to = ? WHERE org_id = ? AND valid_from < ? AND valid_to > ?`, from, orgID, from, from); err != nil {
			return fmt.Errorf("store: org code: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM org_codes WHERE org_id = ? AND valid_from = ?`, orgID, from); err != nil {
			return fmt.Errorf("store: org code: %w", err)
		}
		var next string
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(min(valid_from), '9999-12-31') FROM org_codes WHERE org_id = ? AND valid_from > ?`, orgID, from).Scan(&next); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO org_codes (org_id, valid_from, valid_to, code) VALUES (?, ?, ?, ?)`, orgID, from, next, string(c)); err != nil {
			return fmt.Errorf("store: org code: %w", err)
		}
		return s.audit(ctx, tx, actor, "set_code", "organisation", orgID, nil, map[string]string{"code": string(c), "valid_from": from})
	})
}

// OrgCodeOn is an organisation's 14-digit code on a day ("" when none is recorded).
func (s *Store) OrgCodeOn(ctx context.Context, orgID string, day time.Time) (string, error) {
	var c string
	err := s.read.QueryRowContext(ctx, `SELECT COALESCE(min(code), '') FROM org_codes WHERE org_id = ? AND valid_from <= ? AND valid_to > ?`, orgID, dateArg(day), dateArg(day)).Scan(&c)
	return c, err
}

// ---- reads ----

// MemberFile checks a member's file against the catalogue in force on day: the documents held
// (added by then), the required types missing, the types held more than once.
func (s *Store) MemberFile(ctx context.Context, memberID string, day time.Time) (dangvu.FileStatus, error) {
	m, err := s.member(ctx, s.read, memberID, day)
	if err != nil {
		return dangvu.FileStatus{}, err
	}
	cat := records.For(day)
	st := dangvu.FileStatus{MemberID: m.ID, FullName: m.FullName, Catalogue: cat.Name, Documents: []dangvu.FileDocument{}, Missing: []dangvu.FileType{}, Duplicates: []dangvu.FileType{}}
	rows, err := s.read.QueryContext(ctx, `SELECT id, type_no, date, title, attachment, sha256, pages, added_on, note FROM file_documents
		WHERE member_id = ? AND added_on <= ? ORDER BY type_no, date, id`, memberID, dateArg(day))
	if err != nil {
		return st, fmt.Errorf("store: member file: %w", err)
	}
	defer rows.Close()
	count := map[int]int{}
	for rows.Next() {
		d := dangvu.FileDocument{MemberID: memberID}
		if err := rows.Scan(&d.ID, &d.TypeNo, &d.Date, &d.Title, &d.Attachment, &d.SHA256, &d.Pages, &d.AddedOn, &d.Note); err != nil {
			return st, err
		}
		if t, err := cat.Type(d.TypeNo); err == nil {
			d.TypeName, d.Band = t.Name, t.Band
		}
		count[d.TypeNo]++
		st.Documents = append(st.Documents, d)
	}
	if err := rows.Err(); err != nil {
		return st, err
	}
	for _, t := range cat.Types {
		st.Types[t.Band]++
		if count[t.No] > 0 {
			st.Held[t.Band]++
		}
		if count[t.No] > 1 {
			st.Duplicates = append(st.Duplicates, dangvu.FileType{No: t.No, Name: t.Name, Band: t.Band})
		}
	}
	full := m.Status == dangvu.StatusFull || m.Status == dangvu.StatusExempt || (m.Status == "" && !m.FullOn.IsZero())
	for _, t := range cat.RequiredFor(full) {
		if count[t.No] == 0 {
			st.Missing = append(st.Missing, dangvu.FileType{No: t.No, Name: t.Name, Band: t.Band})
		}
	}
	st.Complete = len(st.Missing) == 0
	return st, nil
}

// Cards lists the cards of members of a subtree (as of today), newest first.
func (s *Store) Cards(ctx context.Context, under string, asOf time.Time) ([]dangvu.Card, error) {
	return s.cardsWhere(ctx, under, asOf, "", nil)
}

// MemberCards lists one member's cards, oldest first.
func (s *Store) MemberCards(ctx context.Context, memberID string) ([]dangvu.Card, error) {
	return s.cardsWhere(ctx, "", time.Time{}, `c.member_id = ?`, []any{memberID})
}

func (s *Store) cardsWhere(ctx context.Context, under string, asOf time.Time, cond string, args []any) ([]dangvu.Card, error) {
	q := `SELECT c.id, c.member_id, c.number, c.kind, c.issued_on, c.decision, c.ended_on, c.end_reason, c.note, m.full_name FROM cards c JOIN members m ON m.id = c.member_id`
	var where []string
	if under != "" {
		org, err := s.Org(ctx, under, asOf)
		if err != nil {
			return nil, err
		}
		lo, hi := subtreeRange(org.Path)
		where = append(where, `EXISTS (SELECT 1 FROM roster r WHERE r.member_id = c.member_id AND r.path >= ? AND r.path < ? AND r.valid_from <= ? AND r.valid_to > ?)`)
		args = append([]any{lo, hi, dateArg(asOf), dateArg(asOf)}, args...)
	}
	if cond != "" {
		where = append(where, cond)
	}
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := s.read.QueryContext(ctx, q+` ORDER BY c.issued_on, c.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: cards: %w", err)
	}
	defer rows.Close()
	out := []dangvu.Card{}
	for rows.Next() {
		var c dangvu.Card
		if err := rows.Scan(&c.ID, &c.MemberID, &c.Number, &c.Kind, &c.IssuedOn, &c.Decision, &c.EndedOn, &c.EndReason, &c.Note, &c.FullName); err != nil {
			return nil, err
		}
		if len(c.Number) == 12 {
			c.Format = records.CardIDNumber
		} else {
			c.Format = records.CardOld
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// MemberBadges lists a member's badges by ceremony.
func (s *Store) MemberBadges(ctx context.Context, memberID string) ([]dangvu.Badge, error) {
	return s.badgesWhere(ctx, `b.member_id = ?`, memberID)
}

// BadgesAt lists the badges recorded for a ceremony under an organisation's subtree (by the
// proposing organisation on the ceremony day).
func (s *Store) BadgesAt(ctx context.Context, under string, ceremony time.Time) ([]dangvu.Badge, error) {
	org, err := s.Org(ctx, under, ceremony)
	if err != nil {
		return nil, err
	}
	lo, hi := subtreeRange(org.Path)
	return s.badgesWhere(ctx, `b.ceremony = ? AND EXISTS (SELECT 1 FROM org_paths p WHERE p.org_id = b.org_id AND p.valid_from <= b.ceremony AND p.valid_to > b.ceremony AND p.path >= ? AND p.path < ?)`,
		dateArg(ceremony), lo, hi)
}

func (s *Store) badgesWhere(ctx context.Context, cond string, args ...any) ([]dangvu.Badge, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT b.id, b.member_id, b.org_id, b.milestone, b.kind, b.ceremony, b.decision, b.decided_on, b.presented_on, b.cash_amount, b.note, m.full_name
		FROM badges b JOIN members m ON m.id = b.member_id WHERE `+cond+` ORDER BY b.ceremony, b.milestone DESC, b.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: badges: %w", err)
	}
	defer rows.Close()
	out := []dangvu.Badge{}
	for rows.Next() {
		var b dangvu.Badge
		if err := rows.Scan(&b.ID, &b.MemberID, &b.OrgID, &b.Milestone, &b.Kind, &b.Ceremony, &b.Decision, &b.DecidedOn, &b.PresentedOn, &b.CashAmount, &b.Note, &b.FullName); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// PartyAge is a member's party age on a day, net of the gaps, with the gaps themselves.
func (s *Store) PartyAge(ctx context.Context, memberID string, day time.Time) (badges.Age, []badges.Interval, error) {
	hs, err := s.partyHistories(ctx, s.read, []string{memberID})
	if err != nil {
		return badges.Age{}, nil, err
	}
	h := hs[memberID]
	return h.AgeOn(day), h.Gaps(), nil
}
