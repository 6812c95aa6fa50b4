package store

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/rules/meetings"
)

// Events of the report counted for the top of the tree (issue 20).
//
// Some figures count events of the period — a review decided, a member admitted, a meeting
// held — whose organisation lay under the reported one on the event's day. Under the root of
// the country that is a join over millions of records for each report. Events add up, so for the
// kept paths (the root and the provinces) tallies holds, per kind, path, day and key, the number
// of events of that day under that path: a period's count is a sum over its days, a few
// thousand rows.
//
// A kind reads its events from the records (tallyKind.events), all of them or those of some
// organisations or records. The table is rebuilt whole by the import, a full roster rebuild and
// Migrate (when kept_state has no current row for the kind); a write that changes events reads
// the events it touches before and after it, in its transaction, and adds the difference
// (keepTallies). The hooks wrap single statements (an update, the roster's rebuild), never one
// another: an outer hook's second read would see the inner write again and count it twice.
// TalliesAgree, run by the conformance suite after every subtest's writes,
// recomputes them.

// tallyKind is a kind of tallies.
type tallyKind struct {
	name  string        // kind, and its kept_state name
	rules func() string // what the events depend on besides the records (nil for nothing: tallyFingerprint)
	// events adds to d, with sign, the kind's events read through q: every one when by is
	// tallyAll, else those of the organisations (tallyOrgs) or records (tallyIDs) ids.
	events func(ctx context.Context, q queryer, by tallyBy, ids []string, sign int, d *tallyDeltas) error
}

// tallyBy says which events a kind reads.
type tallyBy int

const (
	tallyAll     tallyBy = iota
	tallyOrgs            // placed by the paths of the organisations ids (org_paths)
	tallyIDs             // of the records ids (the kind's own records: reviews, admission files)
	tallyMembers         // placed by the roster rows of the members ids
)

// tallyFingerprint is the rules' fingerprint of a kind whose events depend on records only.
const tallyFingerprint = "1"

// fp is the kind's fingerprint in kept_state.
func (k tallyKind) fp() string {
	if k.rules == nil {
		return tallyFingerprint
	}
	return tallyFingerprint + ":" + k.rules()
}

var tallyKinds = []tallyKind{reviewTally, admissionTally, meetingTally, meetingMonthTally, meetingRunTally, meetingLateTally, unexcusedTally, partyAgeTally, badgeTally, badgeDueTally, cellTally, remitTally, disciplineTally}

type tallyKey struct{ path, day, key string }

// tallyDeltas are changes of a kind's counts by kept path, day and key. A rebuild holds every
// (path, day, key) of a kind at once — 3,2 million for the months cells met at a million
// members, more for the party-age bands — so they are kept compact: paths and keys interned,
// days as numbers (yyyymmdd), 24 bytes a count where three strings took well over a hundred.
type tallyDeltas struct {
	ids   map[string]int32   // interned paths and keys (and days that are not ISO dates)
	strs  []string           // by id
	paths map[string][]int32 // a record's path → its kept prefixes' ids
	m     map[tallyID]int
}

// tallyID is a tallyKey in tallyDeltas: day is yyyymmdd, or -1 - the id of a day that is not an
// ISO date.
type tallyID struct{ path, key, day int32 }

func newTallyDeltas() *tallyDeltas {
	return &tallyDeltas{ids: map[string]int32{}, paths: map[string][]int32{}, m: map[tallyID]int{}}
}

func (d *tallyDeltas) intern(s string) int32 {
	if id, ok := d.ids[s]; ok {
		return id
	}
	s = strings.Clone(s) // not the scanned row's memory
	id := int32(len(d.strs))
	d.strs = append(d.strs, s)
	d.ids[s] = id
	return id
}

func (d *tallyDeltas) dayID(day string) int32 {
	if n, ok := isoNum(day); ok {
		return n
	}
	return -1 - d.intern(day)
}

func (d *tallyDeltas) day(id int32) string {
	if id < 0 {
		return d.strs[-1-id]
	}
	return numISO(id)
}

// add counts n events of day and key under each kept prefix of path.
func (d *tallyDeltas) add(path, day, key string, n int) {
	ps, ok := d.paths[path]
	if !ok {
		for _, p := range keptPrefixes(path, countDepth, nil) {
			ps = append(ps, d.intern(p))
		}
		d.paths[strings.Clone(path)] = ps
	}
	k, dn := d.intern(key), d.dayID(day)
	for _, p := range ps {
		d.m[tallyID{p, k, dn}] += n
	}
}

func (d *tallyDeltas) key(id tallyID) tallyKey {
	return tallyKey{d.strs[id.path], d.day(id.day), d.strs[id.key]}
}

// counts are the non-zero counts by key (for comparisons).
func (d *tallyDeltas) counts() map[tallyKey]int {
	out := map[tallyKey]int{}
	for id, n := range d.m {
		if n != 0 {
			out[d.key(id)] = n
		}
	}
	return out
}

// tallySelect runs run with the condition (and its arguments) that by and ids select with
// cols[by] IN (…), in chunks; none for tallyAll; not at all when by has no column in cols.
func tallySelect(cols map[tallyBy]string, by tallyBy, ids []string, run func(cond string, args []any) error) error {
	if by == tallyAll {
		return run("", nil)
	}
	col := cols[by]
	if col == "" {
		return nil
	}
	return inChunks(ids, func(ph string, args []any) error { return run(" AND "+col+" IN ("+ph+")", args) })
}

// tallyRows runs a kind's query — columns path, day, key, n; ending in its WHERE conditions —
// restricted by by and ids to cols[by] IN (…), in chunks, with group after the restriction,
// and adds its rows to d with sign. A selection without a column selects none of these events.
func tallyRows(ctx context.Context, q queryer, query string, cols map[tallyBy]string, group string, by tallyBy, ids []string, sign int, d *tallyDeltas) error {
	run := func(cond string, args []any) error {
		rows, err := q.QueryContext(ctx, query+cond+" "+group, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var path, day, key string
			var n int
			if err := rows.Scan(&path, &day, &key, &n); err != nil {
				return err
			}
			d.add(path, day, key, sign*n)
		}
		return rows.Err()
	}
	return tallySelect(cols, by, ids, run)
}

// keepTallies runs write, which changes the events of kind that by and ids select, and changes
// the kind's counts by the difference, in q's transaction (when the kind is kept).
func keepTallies(ctx context.Context, q queryer, kind tallyKind, by tallyBy, ids []string, write func() error) error {
	if len(ids) == 0 {
		return write()
	}
	return keepUnder(ctx, q, kind.name, kind.fp(), write, func(keptState) error {
		d := newTallyDeltas()
		if err := kind.events(ctx, q, by, ids, -1, d); err != nil {
			return fmt.Errorf("store: tallies %s: %w", kind.name, err)
		}
		if err := write(); err != nil {
			return err
		}
		if err := kind.events(ctx, q, by, ids, 1, d); err != nil {
			return fmt.Errorf("store: tallies %s: %w", kind.name, err)
		}
		return applyTallies(ctx, q, kind.name, d)
	})
}

// keepAllTallies is keepTallies of every kind.
func keepAllTallies(ctx context.Context, q queryer, by tallyBy, ids []string, write func() error, kinds ...tallyKind) error {
	if kinds == nil {
		kinds = tallyKinds
	}
	if len(kinds) == 0 {
		return write()
	}
	return keepTallies(ctx, q, kinds[0], by, ids, func() error { return keepAllTallies(ctx, q, by, ids, write, kinds[1:]...) })
}

// nonEmpty is ids without the empty ones.
func nonEmpty(ids ...string) []string {
	var out []string
	for _, id := range ids {
		if id != "" {
			out = append(out, id)
		}
	}
	return out
}

// applyTallies adds d to a kind's rows; a row whose count falls to zero goes.
func applyTallies(ctx context.Context, q queryer, kind string, d *tallyDeltas) error {
	for id, n := range d.m {
		if n == 0 {
			continue
		}
		k := d.key(id)
		res, err := q.ExecContext(ctx, `UPDATE tallies SET n = n + ? WHERE kind = ? AND path = ? AND day = ? AND key = ?`, n, kind, k.path, k.day, k.key)
		if err != nil {
			return fmt.Errorf("store: tallies %s: %w", kind, err)
		}
		if changed, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("store: tallies %s: %w", kind, err)
		} else if changed == 0 {
			_, err = q.ExecContext(ctx, `INSERT INTO tallies (kind, path, day, key, n) VALUES (?, ?, ?, ?, ?)`, kind, k.path, k.day, k.key, n)
		} else {
			_, err = q.ExecContext(ctx, `DELETE FROM tallies WHERE kind = ? AND path = ? AND day = ? AND key = ? AND n = 0`, kind, k.path, k.day, k.key)
		}
		if err != nil {
			return fmt.Errorf("store: tallies %s: %w", kind, err)
		}
	}
	return nil
}

// rebuildTallies recomputes every kind's rows from the records.
func (s *Store) rebuildTallies(ctx context.Context, q queryer) error {
	for _, kind := range tallyKinds {
		start := time.Now()
		if err := rebuildTally(ctx, q, kind); err != nil {
			return err
		}
		if os.Getenv("DANGVU_TRACE") != "" { // where an import's time and memory go
			fmt.Fprintf(os.Stderr, "[tallies %s] %v%s\n", kind.name, time.Since(start).Round(time.Millisecond), memNote())
		}
	}
	return nil
}

func rebuildTally(ctx context.Context, q queryer, kind tallyKind) error {
	d := newTallyDeltas()
	if err := kind.events(ctx, q, tallyAll, nil, 1, d); err != nil {
		return fmt.Errorf("store: tallies %s: %w", kind.name, err)
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM tallies WHERE kind = ?`, kind.name); err != nil {
		return fmt.Errorf("store: tallies %s: %w", kind.name, err)
	}
	// In the table's key order, so that the rows go in at its end.
	ids := make([]tallyID, 0, len(d.m))
	for id, n := range d.m {
		if n != 0 {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(a, b tallyID) int {
		if c := strings.Compare(d.strs[a.path], d.strs[b.path]); c != 0 {
			return c
		}
		if a.day != b.day {
			if a.day < 0 || b.day < 0 {
				return strings.Compare(d.day(a.day), d.day(b.day))
			}
			return cmp.Compare(a.day, b.day)
		}
		return strings.Compare(d.strs[a.key], d.strs[b.key])
	})
	ins := newBatchInsert(ctx, q, "tallies", []string{"kind", "path", "day", "key", "n"}, 200, "tallies "+kind.name)
	for _, id := range ids {
		if err := ins.add(kind.name, d.strs[id.path], d.day(id.day), d.strs[id.key], d.m[id]); err != nil {
			return err
		}
	}
	if err := ins.flush(); err != nil {
		return err
	}
	return writeKeptState(ctx, q, kind.name, kind.fp(), 0)
}

// tallied sums a kind's events of the report's period under its organisation, by key — for
// each path the organisation had, the days of the period on which it had it — as the report's
// own query counts them (placement onDay); ok is false when the table cannot say (a path below
// the kept ones, the kind not kept).
func (s *Store) tallied(ctx context.Context, rc *reportCtx, kind tallyKind) (map[string]int, bool, error) {
	if ok, err := s.tallyReadable(ctx, kind, rc.spans); !ok {
		return nil, false, err
	}
	out := map[string]int{}
	for _, sp := range rc.spans {
		from, in := sp.within(rc)
		if !in {
			continue
		}
		rows, err := s.read.QueryContext(ctx, `SELECT key, SUM(n) FROM tallies WHERE kind = ? AND path = ? AND day >= ? AND day <= ? AND day < ? GROUP BY key`,
			kind.name, sp.path, from, rc.to, sp.to)
		if err != nil {
			return nil, false, fmt.Errorf("store: tallies %s: %w", kind.name, err)
		}
		for rows.Next() {
			var key string
			var n int
			if err := rows.Scan(&key, &n); err != nil {
				rows.Close()
				return nil, false, err
			}
			out[key] += n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, false, fmt.Errorf("store: tallies %s: %w", kind.name, err)
		}
	}
	return out, true, nil
}

// tallyReadable reports whether the tallies of kind answer for an organisation with these
// paths: every one kept (the root, a province) and the kind current.
func (s *Store) tallyReadable(ctx context.Context, kind tallyKind, spans []span) (bool, error) {
	for _, sp := range spans {
		if pathDepth(sp.path) > countDepth {
			return false, nil
		}
	}
	st, err := readKeptState(ctx, s.read, kind.name)
	return err == nil && st.current(kind.fp()), err
}

// within is the first day of the report's period on which the organisation had this path,
// and whether it had it on any day of the period (rc.from..rc.to, both included).
func (sp span) within(rc *reportCtx) (string, bool) {
	from := max(rc.from, sp.from)
	return from, from <= rc.to && from < sp.to
}

// TalliesAgree recomputes every kept kind's counts from the records and compares them with the
// rows kept (for the conformance suite): the differences, nil when they agree.
func (s *Store) TalliesAgree(ctx context.Context) ([]string, error) {
	var diffs []string
	for _, kind := range tallyKinds {
		st, err := readKeptState(ctx, s.read, kind.name)
		if err != nil {
			return nil, err
		}
		if !st.current(kind.fp()) {
			continue
		}
		d := newTallyDeltas()
		if err := kind.events(ctx, s.read, tallyAll, nil, 1, d); err != nil {
			return nil, fmt.Errorf("store: tallies %s: %w", kind.name, err)
		}
		want, got := d.counts(), map[tallyKey]int{}
		rows, err := s.read.QueryContext(ctx, `SELECT path, day, key, n FROM tallies WHERE kind = ?`, kind.name)
		if err != nil {
			return nil, fmt.Errorf("store: tallies %s: %w", kind.name, err)
		}
		for rows.Next() {
			var k tallyKey
			var n int
			if err := rows.Scan(&k.path, &k.day, &k.key, &n); err != nil {
				rows.Close()
				return nil, err
			}
			got[k] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for k, n := range want {
			if got[k] != n {
				diffs = append(diffs, fmt.Sprintf("%s %s %s %s: kept %d, records %d", kind.name, k.path, k.day, k.key, got[k], n))
			}
		}
		for k, n := range got {
			if _, ok := want[k]; !ok && n != 0 {
				diffs = append(diffs, fmt.Sprintf("%s %s %s %s: kept %d, records 0", kind.name, k.path, k.day, k.key, n))
			}
		}
	}
	slices.Sort(diffs)
	return diffs, nil
}

// ---- reviews ----

// reviewTally counts the decided reviews by kind and rating ("member/good"), on their
// campaign's period end, under the path their organisation had that day (reviewsIn).
var reviewTally = tallyKind{name: "reviews", events: func(ctx context.Context, q queryer, by tallyBy, ids []string, sign int, d *tallyDeltas) error {
	return tallyRows(ctx, q, `SELECT p.path, c.period_to, r.kind || '/' || r.final_rating, count(*) FROM reviews r
		JOIN review_campaigns c ON c.id = r.campaign_id
		JOIN org_paths p ON p.org_id = r.org_id AND `+onDay.covers("p", "c.period_to")+`
		WHERE r.final_rating <> ''`, map[tallyBy]string{tallyOrgs: "r.org_id", tallyIDs: "r.id"},
		`GROUP BY p.path, c.period_to, r.kind, r.final_rating`, by, ids, sign, d)
}}

// ---- badges ----

// badgeTally counts the badges awarded as badgesAwardedIn selects them (key ""): reissues
// aside, decided or presented, on their ceremony day under the path their proposing
// organisation had that day. Selected by organisation and by badge. The million-member root
// read 165.000 badges of a term for it, 0,7 s.
var badgeTally = tallyKind{name: "badges", events: func(ctx context.Context, q queryer, by tallyBy, ids []string, sign int, d *tallyDeltas) error {
	return tallyRows(ctx, q, `SELECT p.path, b.ceremony, '', count(*) FROM badges b
		JOIN org_paths p ON p.org_id = b.org_id AND `+onDay.covers("p", "b.ceremony")+`
		WHERE b.kind <> 'reissue' AND (b.decided_on <> '' OR b.presented_on <> '')`, map[tallyBy]string{tallyOrgs: "b.org_id", tallyIDs: "b.id"},
		`GROUP BY p.path, b.ceremony`, by, ids, sign, d)
}}

// ---- cells ----

// cellTally counts the cells as expectedMeetings counts them (key ""): +1 on the first day an
// organisation is a cell under a path (its path row and a version of level cell or
// grassroots_cell both in force), -1 on the day that ends; the cells under a kept path on a day
// are the sum of its days up to it. Selected by organisation. The million-member root read
// 45.000 cells' paths and versions for it, 0,3 s.
var cellTally = tallyKind{name: "cells", events: func(ctx context.Context, q queryer, by tallyBy, ids []string, sign int, d *tallyDeltas) error {
	for _, end := range []struct {
		day  string
		sign int
	}{
		{`CASE WHEN p.valid_from > o.valid_from THEN p.valid_from ELSE o.valid_from END`, sign},
		{`CASE WHEN p.valid_to < o.valid_to THEN p.valid_to ELSE o.valid_to END`, -sign},
	} {
		err := tallyRows(ctx, q, `SELECT x.path, x.day, '', count(*) FROM (SELECT p.path AS path, `+end.day+` AS day FROM org_paths p
			JOIN org_versions o ON o.org_id = p.org_id AND o.valid_from < p.valid_to AND o.valid_to > p.valid_from
			WHERE o.level IN ('cell', 'grassroots_cell')`, map[tallyBy]string{tallyOrgs: "p.org_id"},
			`) x WHERE x.day < '`+openEnd+`' GROUP BY x.path, x.day`, by, ids, end.sign, d)
		if err != nil {
			return err
		}
	}
	return nil
}}

// talliedCells counts, for each of days (ascending), the cells under the organisation of spans
// that day from cellTally; ok is false when the tallies cannot say.
func (s *Store) talliedCells(ctx context.Context, spans []span, days []string) (int, bool, error) {
	if ok, err := s.tallyReadable(ctx, cellTally, spans); !ok {
		return 0, false, err
	}
	total := 0
	for _, sp := range spans {
		type step struct {
			day string
			n   int
		}
		steps, err := scanAll(ctx, s.read, `SELECT day, SUM(n) FROM tallies WHERE kind = ? AND path = ? AND day <= ? GROUP BY day ORDER BY day`,
			[]any{cellTally.name, sp.path, days[len(days)-1]}, func(sc interface{ Scan(...any) error }) (step, error) {
				var x step
				return x, sc.Scan(&x.day, &x.n)
			})
		if err != nil {
			return 0, false, fmt.Errorf("store: tallies: %w", err)
		}
		i, n := 0, 0
		for _, d := range days {
			for ; i < len(steps) && steps[i].day <= d; i++ {
				n += steps[i].n
			}
			if sp.from <= d && d < sp.to {
				total += n
			}
		}
	}
	return total, true, nil
}

// ---- admissions ----

// admissionTally counts the admissions as admittedQuery selects them (key ""): every admission
// decision on its date under the path its file's organisation had that day (selected by
// organisation and by file); and the admission day of each roster row in force that day of a
// member with no decision on record, under the row's path (selected by member). Only the
// decisions are placed by org_paths: the roster's rows carry their own path, rebuilt with it.
var admissionTally = tallyKind{name: "admissions", events: func(ctx context.Context, q queryer, by tallyBy, ids []string, sign int, d *tallyDeltas) error {
	err := tallyRows(ctx, q, `SELECT fp.path, st.date, '', count(*) FROM admission_steps st
		JOIN admission_files f ON f.id = st.file_id
		JOIN org_paths fp ON fp.org_id = f.org_id AND `+onDay.covers("fp", "st.date")+`
		WHERE st.stage = 'decision'`, map[tallyBy]string{tallyOrgs: "f.org_id", tallyIDs: "f.id"}, `GROUP BY fp.path, st.date`, by, ids, sign, d)
	if err != nil {
		return err
	}
	return tallyRows(ctx, q, `SELECT r.path, r.admitted_on, '', count(*) FROM roster r
		WHERE r.admitted_on <> '' AND r.valid_from <= r.admitted_on AND r.valid_to > r.admitted_on
		AND NOT EXISTS (SELECT 1 FROM admission_files af JOIN admission_steps ad ON ad.file_id = af.id AND ad.stage = 'decision' WHERE af.member_id = r.member_id)`,
		map[tallyBy]string{tallyMembers: "r.member_id"}, `GROUP BY r.path, r.admitted_on`, by, ids, sign, d)
}}

// ---- meetings ----

// meetingTally sums the meetings held (heldIn), on their day under the path their cell had that
// day: regular and thematic ones ("regular", "thematic"), the members on the roll and present
// at the regular ones ("roll", "present"), and every meeting by quality band, the ward's review
// before the cell's own score ("band:good"…). Selected by cell and by meeting.
var meetingTally = tallyKind{name: "meetings", events: func(ctx context.Context, q queryer, by tallyBy, ids []string, sign int, d *tallyDeltas) error {
	return tallySelect(map[tallyBy]string{tallyOrgs: "m.org_id", tallyIDs: "m.id"}, by, ids, func(cond string, args []any) error {
		rows, err := q.QueryContext(ctx, `SELECT p.path, m.held_on, m.kind, `+bandExpr+`, count(*), COALESCE(SUM(m.on_roll), 0), COALESCE(SUM(m.present), 0)
			FROM meetings m JOIN org_paths p ON p.org_id = m.org_id AND `+onDay.covers("p", "m.held_on")+`
			WHERE m.status = 'held'`+cond+` GROUP BY p.path, m.held_on, m.kind, `+bandExpr, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var path, day, kind, band string
			var n, roll, present int
			if err := rows.Scan(&path, &day, &kind, &band, &n, &roll, &present); err != nil {
				return err
			}
			switch kind {
			case "regular":
				d.add(path, day, kind, sign*n)
				d.add(path, day, "roll", sign*roll)
				d.add(path, day, "present", sign*present)
			case "thematic":
				d.add(path, day, kind, sign*n)
			}
			if band != "" {
				d.add(path, day, "band:"+band, sign*n)
			}
		}
		return rows.Err()
	})
}}

// meetingMonthTally counts the regular meetings held by cell and month (key "2026-05|cell"), on
// their day under the path their cell had that day: the months each cell met in a period
// (cells_meeting_every_month) without a pass over the period's meetings.
var meetingMonthTally = tallyKind{name: "meeting_months", events: func(ctx context.Context, q queryer, by tallyBy, ids []string, sign int, d *tallyDeltas) error {
	return tallyRows(ctx, q, `SELECT p.path, m.held_on, m.month || '|' || m.org_id, count(*)
		FROM meetings m JOIN org_paths p ON p.org_id = m.org_id AND `+onDay.covers("p", "m.held_on")+`
		WHERE m.status = 'held' AND m.kind = 'regular'`, map[tallyBy]string{tallyOrgs: "m.org_id", tallyIDs: "m.id"},
		`GROUP BY p.path, m.held_on, m.month, m.org_id`, by, ids, sign, d)
}}

// unexcusedTally counts the unexcused absences (absenceLapses) by month and member (key
// "2026-05|member"), on their meeting's day under the path its cell had that day. Selected by
// cell and by meeting.
var unexcusedTally = tallyKind{name: "unexcused", events: func(ctx context.Context, q queryer, by tallyBy, ids []string, sign int, d *tallyDeltas) error {
	return tallyRows(ctx, q, `SELECT p.path, m.held_on, m.month || '|' || a.member_id, count(*)
		FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id
		JOIN org_paths p ON p.org_id = m.org_id AND `+onDay.covers("p", "m.held_on")+`
		WHERE a.mark = 'unexcused'`, map[tallyBy]string{tallyOrgs: "m.org_id", tallyIDs: "m.id"},
		`GROUP BY p.path, m.held_on, m.month, a.member_id`, by, ids, sign, d)
}}

// talliedThreeMonths counts the flags of periodFlags (unexcused absences in three months of a
// calendar year, each year of the period up to its end) from unexcusedTally; ok is false when
// the tallies cannot say. Each month of a member counts once, as in the rule.
func (s *Store) talliedThreeMonths(ctx context.Context, rc *reportCtx) (int, bool, error) {
	if ok, err := s.tallyReadable(ctx, unexcusedTally, rc.spans); !ok {
		return 0, false, err
	}
	if len(rc.from) < 7 || len(rc.to) < 7 || rc.to < rc.from {
		return 0, true, nil
	}
	first, last := rc.from[:4]+"-01", rc.to[:7]
	// The meeting's month, not its day, places an absence in the period: every day of each
	// path the organisation had is read (a meeting may be held outside its month).
	// The months of each member and year: the rule flags none with fewer months than its set's
	// AbsenceMonths (ThreeMonths counts a year's distinct months, or a run of them), so only
	// those with enough go to it (at the million members' root, 54.300 absences whose every
	// lapse went through the rule took half of this figure's time).
	type memberYear struct{ member, year string }
	seen := map[string]bool{}
	monthsOf := map[memberYear][]string{}
	for _, sp := range rc.spans {
		rows, err := s.read.QueryContext(ctx, `SELECT key FROM tallies WHERE kind = ? AND path = ? AND day >= ? AND day < ? AND key >= ? AND key < ?`,
			unexcusedTally.name, sp.path, sp.from, sp.to, first, last+"}")
		if err != nil {
			return 0, false, fmt.Errorf("store: tallies: %w", err)
		}
		for rows.Next() {
			var key string
			if err := rows.Scan(&key); err != nil {
				rows.Close()
				return 0, false, err
			}
			month, member, _ := strings.Cut(key, "|")
			if seen[key] || month < first || month > last {
				continue
			}
			seen[key] = true
			k := memberYear{member, month[:4]}
			monthsOf[k] = append(monthsOf[k], month)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, false, fmt.Errorf("store: tallies: %w", err)
		}
	}
	// The set of each year is the one in force at its end (or the period's).
	setOf := func(y string) meetings.Set {
		upTo := y + "-12"
		if y == last[:4] {
			upTo = last
		}
		end, _ := dangvu.ParseISODate(upTo + "-01")
		return meetings.For(end)
	}
	sets := map[string]meetings.Set{}
	byYear := map[string][]meetings.Lapse{}
	for k, months := range monthsOf {
		set, ok := sets[k.year]
		if !ok {
			set = setOf(k.year)
			sets[k.year] = set
		}
		if len(months) < set.AbsenceMonths {
			continue
		}
		for _, month := range months {
			if m, err := dangvu.ParseISODate(month + "-01"); err == nil {
				byYear[k.year] = append(byYear[k.year], meetings.Lapse{MemberID: k.member, Kind: meetings.LapseAbsence, Month: m})
			}
		}
	}
	n := 0
	for y, lapses := range byYear {
		n += len(sets[y].ThreeMonths(lapses))
	}
	return n, true, nil
}

// ---- party age ----

// partyAgeTally counts the members by party age (partyAgeSection): under key "ge" + n, +1 on
// the day a roster row's member reaches n whole years since admission (or the row's first day,
// when later) and -1 on the row's last, for each bound of partyAgeBands — a band's count as of
// a day is the difference of its two bounds', each a sum of the days up to it; under
// "unknown", every roster row of a member without an admission date. A member has n years on
// d when admitted on or before yearsBefore(d, n), i.e. from admitted_on + n years (AddDate: 29
// February's anniversary in a common year is 1 March). The admission day is the roster's
// copy, so that a write changing it reads the old rows before the roster is rebuilt. The
// periods outside the party are deducted by the report (partyAgeGaps), not here. Kept as the
// day's changes, not as running counts (reached_kept): a member's edit then writes a few rows
// instead of every later day of five series (60 ms a write at a million members).
var partyAgeTally = tallyKind{name: "party_age", rules: func() string { return fmt.Sprint(partyAgeBounds()) }, events: partyAgeEvents}

// partyAgeBounds are the years at which a member enters a band of partyAgeBands.
func partyAgeBounds() []int {
	var out []int
	for _, b := range partyAgeBands {
		out = append(out, b.min)
		if b.max > 0 {
			out = append(out, b.max)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func partyAgeSubject(years int) string { return "ge" + strconv.Itoa(years) }

const partyAgeUnknown = "unknown"

// partyAgeEvents reads the roster rows of the members ids (every row for tallyAll); organisations
// place none (the rows carry their own path).
func partyAgeEvents(ctx context.Context, q queryer, by tallyBy, ids []string, sign int, d *tallyDeltas) error {
	bounds := partyAgeBounds()
	keys := make([]string, len(bounds))
	for i, n := range bounds {
		keys[i] = partyAgeSubject(n)
	}
	days := map[string][]string{} // admitted_on → the day of each bound
	return tallySelect(map[tallyBy]string{tallyMembers: "member_id"}, by, ids, func(cond string, args []any) error {
		rows, err := q.QueryContext(ctx, `SELECT path, admitted_on, valid_from, valid_to FROM roster WHERE 1 = 1`+cond, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var path, adm, from, to string
		for rows.Next() {
			if err := rows.Scan(&path, &adm, &from, &to); err != nil {
				return err
			}
			if adm == "" {
				d.add(path, from, partyAgeUnknown, sign)
				if to < openEnd {
					d.add(path, to, partyAgeUnknown, -sign)
				}
				continue
			}
			reach, ok := days[adm]
			if !ok {
				t, err := dangvu.ParseISODate(adm)
				if err != nil {
					return fmt.Errorf("roster: admitted_on %q: %w", adm, err)
				}
				for _, n := range bounds {
					reach = append(reach, dateArg(t.AddDate(n, 0, 0)))
				}
				days[adm] = reach
			}
			for i, day := range reach {
				start := max(from, day)
				if start >= to {
					continue
				}
				d.add(path, start, keys[i], sign)
				if to < openEnd {
					d.add(path, to, keys[i], -sign)
				}
			}
		}
		return rows.Err()
	})
}

// partyAgeKept counts the members of a kept path (the root, a province) on the as-of day by
// party age from the tallies, as partyAgeRead does; ok is false when they cannot say.
func (s *Store) partyAgeKept(ctx context.Context, rc *reportCtx) (vals []int, ok bool, err error) {
	if ok, err := s.tallyReadable(ctx, partyAgeTally, []span{{path: rc.org.Path}}); !ok {
		return nil, false, err
	}
	at := map[string]int{}
	rows, err := s.read.QueryContext(ctx, `SELECT key, SUM(n) FROM tallies WHERE kind = ? AND path = ? AND day <= ? GROUP BY key`,
		partyAgeTally.name, rc.org.Path, rc.asOf)
	if err != nil {
		return nil, false, fmt.Errorf("store: report: party age: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var n int
		if err := rows.Scan(&key, &n); err != nil {
			return nil, false, err
		}
		at[key] = n
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("store: report: party age: %w", err)
	}
	vals = []int{at[partyAgeUnknown]}
	for _, b := range partyAgeBands {
		n := at[partyAgeSubject(b.min)]
		if b.max > 0 {
			n -= at[partyAgeSubject(b.max)]
		}
		vals = append(vals, n)
	}
	return vals, true, nil
}
