package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"dangvu"
	"dangvu/internal/rules/records"
)

// Members counted from a day on, kept for the top of the tree (issue 20).
//
// Two report figures count, among the members of the subtree on the as-of day, those who by
// then had reached something: a file holding every required document (member files), the study
// of a document (dissemination). Under the root of the country that is millions of correlated
// reads. A member reaches it on a day and keeps it (a document is not taken out of a file; a
// study is not undone), so the members counted under a path form intervals of days, as the
// members themselves do in roster_counts: reached_kept holds, per kind, subject (a catalogue;
// a document's number) and kept path, a row for every day on which the count changes, with the
// count from that day on.
//
// Each kind (reachKind) says, for some members, from which day each is counted under each
// subject, by the status of the roster row (a full member's file needs more documents than a
// probationary member's; members exempt from activities are not in a study's scope). The table
// is rebuilt whole by the import, a full roster rebuild and Migrate (when the rules a kind
// depends on differ, kept_state); and kept by every write that changes a member's roster rows,
// file documents or attendance, in its transaction, by the difference of that member's rows.
// TestReportWalks and the conformance suite (ReachedKeptAgree) check it.

// reachKind is a kind of reached_kept.
type reachKind struct {
	name        string        // kind, and its kept_state name
	fingerprint func() string // of the rules the counts depend on
	// from reads, for the members ids, the day from which each is counted under each subject.
	from func(ctx context.Context, q queryer, ids []string) (map[string]map[string]reachDays, error)
}

// reachDays is the day from which a member is counted, by the status of a roster row; "" and
// false: not counted.
type reachDays struct {
	prob, full, exempt string
	probOK, fullOK     bool
	exemptOK           bool
}

func (r reachDays) on(status string) (string, bool) {
	switch dangvu.Status(status) {
	case dangvu.StatusProbationary:
		return r.prob, r.probOK
	case dangvu.StatusFull:
		return r.full, r.fullOK
	}
	return r.exempt, r.exemptOK
}

var reachKinds = []reachKind{filesReach, studiedReach}

// ---- member files ----

// filesReach counts the members whose file holds every required document of a catalogue:
// from the day the last of the types a full member's file needs (a probationary member's,
// for a probationary roster row) was first added.
var filesReach = reachKind{name: "files", fingerprint: filesFingerprint, from: filesReachFrom}

// filesFingerprint identifies the catalogues loaded: their ids, first days and required types.
func filesFingerprint() string {
	h := sha256.New()
	for _, c := range records.Catalogues() {
		fmt.Fprintf(h, "%s|%s", c.ID, c.From.Format("2006-01-02"))
		for _, t := range c.Types {
			fmt.Fprintf(h, "|%d:%v", t.No, t.Required)
		}
		fmt.Fprintln(h)
	}
	return fmt.Sprintf("%x", h.Sum(nil))[:16]
}

func filesReachFrom(ctx context.Context, q queryer, ids []string) (map[string]map[string]reachDays, error) {
	first := map[string]map[int]string{} // member → type → first added
	err := inChunks(ids, func(ph string, args []any) error {
		rows, err := q.QueryContext(ctx, `SELECT member_id, type_no, MIN(added_on) FROM file_documents WHERE member_id IN (`+ph+`) GROUP BY member_id, type_no`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, day string
			var t int
			if err := rows.Scan(&id, &t, &day); err != nil {
				return err
			}
			if first[id] == nil {
				first[id] = map[int]string{}
			}
			first[id][t] = day
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	cats := records.Catalogues()
	out := make(map[string]map[string]reachDays, len(ids))
	for _, id := range ids {
		got := first[id]
		// ready is the day the file holds every type of types ("" when there are none).
		ready := func(types []records.DocType) (string, bool) {
			day := ""
			for _, t := range types {
				d, ok := got[t.No]
				if !ok {
					return "", false
				}
				day = max(day, d)
			}
			return day, true
		}
		m := map[string]reachDays{}
		for _, c := range cats {
			dp, okp := ready(c.RequiredFor(false))
			df, okf := ready(c.RequiredFor(true))
			if okp || okf {
				m[c.ID] = reachDays{prob: dp, probOK: okp, full: df, fullOK: okf, exempt: df, exemptOK: okf}
			}
		}
		out[id] = m
	}
	return out, nil
}

// ---- dissemination ----

// studiedReach counts the members who studied a document's number (any document of that number
// at a conference they attended, or made up): from the first such day. Members exempt from
// activities are outside a study's scope.
var studiedReach = reachKind{name: "studied", fingerprint: func() string { return "1" }, from: studiedReachFrom}

func studiedReachFrom(ctx context.Context, q queryer, ids []string) (map[string]map[string]reachDays, error) {
	out := make(map[string]map[string]reachDays, len(ids))
	err := inChunks(ids, func(ph string, args []any) error {
		rows, err := q.QueryContext(ctx, `SELECT a.member_id, doc.number,
				MIN(CASE WHEN a.status = 'present' THEN c.date ELSE a.made_up_on END)
			FROM attendance a JOIN conferences c ON c.id = a.conference_id
			JOIN conference_documents cd ON cd.conference_id = c.id
			JOIN documents doc ON doc.id = cd.document_id
			WHERE a.member_id IN (`+ph+`) AND (a.status = 'present' OR (a.status = 'made_up' AND a.made_up_on <> ''))
			GROUP BY a.member_id, doc.number`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, number, day string
			if err := rows.Scan(&id, &number, &day); err != nil {
				return err
			}
			if out[id] == nil {
				out[id] = map[string]reachDays{}
			}
			out[id][number] = reachDays{prob: day, probOK: true, full: day, fullOK: true}
		}
		return rows.Err()
	})
	return out, err
}

// ---- the table ----

// reachKey is a (subject, path) of a kind.
type reachKey struct{ subject, path string }

// reachDeltas are changes of a kind's counts: by subject and path, by day.
type reachDeltas map[reachKey]map[string]int

func (d reachDeltas) add(k reachKey, day string, n int) {
	days := d[k]
	if days == nil {
		days = map[string]int{}
		d[k] = days
	}
	days[day] += n
}

// reachMembers adds the intervals of the members ids, read through q, to d with sign: each
// roster row from the day the member is counted under a subject (by the row's status) to its end.
func reachMembers(ctx context.Context, q queryer, kind reachKind, ids []string, sign int, d reachDeltas) error {
	rowsOf, err := rosterOf(ctx, q, ids)
	if err != nil {
		return err
	}
	from, err := kind.from(ctx, q, ids)
	if err != nil {
		return fmt.Errorf("store: kept %s: %w", kind.name, err)
	}
	reachApply(ids, rowsOf, from, sign, d)
	return nil
}

// reachApply adds to d the counts of the members ids, read by a kind's from, on their roster
// rows.
func reachApply(ids []string, rowsOf keptRoster, from map[string]map[string]reachDays, sign int, d reachDeltas) {
	var buf []string
	for _, id := range ids {
		for subject, days := range from[id] {
			for _, r := range rowsOf[id] {
				x, ok := days.on(r.status)
				start := max(r.from, x)
				if !ok || start >= r.to {
					continue
				}
				buf = keptPrefixes(r.path, countDepth, buf)
				for _, p := range buf {
					k := reachKey{subject, p}
					d.add(k, start, sign)
					if r.to < openEnd {
						d.add(k, r.to, -sign)
					}
				}
			}
		}
	}
}

// keepReached runs write, which changes the roster rows, documents or attendance of the
// members, and changes every kind's counts by the difference of their rows, in q's transaction.
func (s *Store) keepReached(ctx context.Context, q queryer, members []string, write func() error, kinds ...reachKind) error {
	if len(kinds) == 0 {
		return write()
	}
	kind := kinds[0]
	inner := func() error { return s.keepReached(ctx, q, members, write, kinds[1:]...) }
	return keepUnder(ctx, q, kind.name, kind.fingerprint(), inner, func(keptState) error {
		d := reachDeltas{}
		if err := reachMembers(ctx, q, kind, members, -1, d); err != nil {
			return err
		}
		if err := inner(); err != nil {
			return err
		}
		if err := reachMembers(ctx, q, kind, members, 1, d); err != nil {
			return err
		}
		return applyReached(ctx, q, kind.name, d)
	})
}

// applyReached adds d to a kind's rows: for each day a row (a copy of the one before, if there
// was none) and the change added to it and every later row of the subject and path.
func applyReached(ctx context.Context, q queryer, kind string, d reachDeltas) error {
	for k, days := range d {
		for day, n := range days {
			if n == 0 {
				continue
			}
			var exists int
			if err := q.QueryRowContext(ctx, `SELECT count(*) FROM reached_kept WHERE kind = ? AND subject = ? AND path = ? AND day = ?`, kind, k.subject, k.path, day).Scan(&exists); err != nil {
				return fmt.Errorf("store: kept %s: %w", kind, err)
			}
			if exists == 0 {
				var prev int
				err := q.QueryRowContext(ctx, `SELECT n FROM reached_kept WHERE kind = ? AND subject = ? AND path = ? AND day < ? ORDER BY day DESC LIMIT 1`, kind, k.subject, k.path, day).Scan(&prev)
				if err != nil && !errors.Is(err, sql.ErrNoRows) {
					return fmt.Errorf("store: kept %s: %w", kind, err)
				}
				if _, err := q.ExecContext(ctx, `INSERT INTO reached_kept (kind, subject, path, day, n) VALUES (?, ?, ?, ?, ?)`, kind, k.subject, k.path, day, prev); err != nil {
					return fmt.Errorf("store: kept %s: %w", kind, err)
				}
			}
			if _, err := q.ExecContext(ctx, `UPDATE reached_kept SET n = n + ? WHERE kind = ? AND subject = ? AND path = ? AND day >= ?`, n, kind, k.subject, k.path, day); err != nil {
				return fmt.Errorf("store: kept %s: %w", kind, err)
			}
		}
	}
	return nil
}

// computeReached computes a kind's rows for every member, a batch of members at a time.
func computeReached(ctx context.Context, q queryer, kind reachKind) (reachDeltas, error) {
	d := reachDeltas{}
	err := eachMemberBatch(ctx, q, func(ids []string) error { return reachMembers(ctx, q, kind, ids, 1, d) })
	return d, err
}

// reachRunning turns the changes of a (subject, path) into its rows: the days on which the
// count changes, with the count from then on.
func reachRunning(days map[string]int) (keys []string, counts []int) {
	all := make([]string, 0, len(days))
	for day := range days {
		all = append(all, day)
	}
	slices.Sort(all)
	run := 0
	for _, day := range all {
		if days[day] == 0 {
			continue
		}
		run += days[day]
		keys, counts = append(keys, day), append(counts, run)
	}
	return keys, counts
}

// writeReached replaces a kind's rows with those d gives.
func writeReached(ctx context.Context, q queryer, kind reachKind, d reachDeltas) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM reached_kept WHERE kind = ?`, kind.name); err != nil {
		return fmt.Errorf("store: kept %s: %w", kind.name, err)
	}
	ks := make([]reachKey, 0, len(d))
	for k := range d {
		ks = append(ks, k)
	}
	slices.SortFunc(ks, func(a, b reachKey) int { return strings.Compare(a.subject+"\x00"+a.path, b.subject+"\x00"+b.path) })
	ins := newBatchInsert(ctx, q, "reached_kept", []string{"kind", "subject", "path", "day", "n"}, 200, "kept "+kind.name)
	for _, k := range ks {
		days, counts := reachRunning(d[k])
		for i := range days {
			if err := ins.add(kind.name, k.subject, k.path, days[i], counts[i]); err != nil {
				return err
			}
		}
	}
	if err := ins.flush(); err != nil {
		return err
	}
	return writeKeptState(ctx, q, kind.name, kind.fingerprint(), 0)
}

// rebuildKept rebuilds every kept table of report figures (migration 28, the import, a full
// roster rebuild) in one pass over the members: each batch's roster rows are read once for all.
func (s *Store) rebuildKept(ctx context.Context, q queryer) error {
	horizon, err := duesKeptHorizon(ctx, q)
	if err != nil {
		return err
	}
	k, a := newDuesKeeper(horizon), newKeptAcc(horizon)
	rd := make([]reachDeltas, len(reachKinds))
	for i := range rd {
		rd[i] = reachDeltas{}
	}
	// The members are read a thousand at a time on this goroutine, and counted on another:
	// on two cores the reading of a batch overlaps the counting of the one before (at a
	// million members the rebuild was 61 s of an import, a third of it counting).
	type batch struct {
		ids    []string
		roster keptRoster
		recs   map[string]*keptRecords
		from   []map[string]map[string]reachDays
	}
	batches := make(chan batch, 1)
	counted := make(chan struct{})
	var panicked any // a panic while counting goes on in the caller's goroutine, which recovers
	go func() {
		defer close(counted)
		defer func() {
			if panicked = recover(); panicked != nil {
				for range batches {
				}
			}
		}()
		for b := range batches {
			for _, id := range b.ids {
				if r := b.recs[id]; r != nil {
					k.member(r, 1, a)
				}
			}
			for i := range reachKinds {
				reachApply(b.ids, b.roster, b.from[i], 1, rd[i])
			}
		}
	}()
	err = eachMemberBatch(ctx, q, func(ids []string) error {
		b := batch{ids: ids}
		var err error
		if b.roster, err = rosterOf(ctx, q, ids); err != nil {
			return err
		}
		if b.recs, err = keptRecordsOf(ctx, q, ids, b.roster); err != nil {
			return err
		}
		for _, kind := range reachKinds {
			from, err := kind.from(ctx, q, ids)
			if err != nil {
				return fmt.Errorf("store: kept %s: %w", kind.name, err)
			}
			b.from = append(b.from, from)
		}
		batches <- b
		return nil
	})
	close(batches)
	<-counted
	if panicked != nil {
		panic(panicked)
	}
	if err != nil {
		return err
	}
	if err := writeDuesKept(ctx, q, a.deltas(), horizon); err != nil {
		return err
	}
	for i, kind := range reachKinds {
		if err := writeReached(ctx, q, kind, rd[i]); err != nil {
			return err
		}
	}
	return nil
}

// reachedCount is the number of members of a kind's subject under a kept path counted on day;
// ok is false when the table cannot say (a path below the kept ones, the kind stale or under
// other rules).
func (s *Store) reachedCount(ctx context.Context, kind reachKind, subjects []string, path, day string) (n int, ok bool, err error) {
	if pathDepth(path) > countDepth {
		return 0, false, nil
	}
	st, err := readKeptState(ctx, s.read, kind.name)
	if err != nil || !st.current(kind.fingerprint()) {
		return 0, false, err
	}
	for _, subject := range subjects {
		var c int
		err = s.read.QueryRowContext(ctx, `SELECT n FROM reached_kept WHERE kind = ? AND subject = ? AND path = ? AND day <= ? ORDER BY day DESC LIMIT 1`,
			kind.name, subject, path, day).Scan(&c)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, false, fmt.Errorf("store: kept %s: %w", kind.name, err)
		}
		n += c
	}
	return n, true, nil
}

// filesKeptCounts answers fileCounts from reached_kept and roster_counts; ok is false when they
// cannot.
func (s *Store) filesKeptCounts(ctx context.Context, rc *reportCtx) (members, missing int, ok bool, err error) {
	complete, ok, err := s.reachedCount(ctx, filesReach, []string{records.For(rc.q.AsOf).ID}, rc.org.Path, rc.asOf)
	if err != nil || !ok {
		return 0, 0, false, err
	}
	members, kept, err := s.keptCount(ctx, rc.org.Path, rc.asOf, dangvu.CountFilter{})
	if err != nil || !kept {
		return 0, 0, false, err
	}
	return members, members - complete, true, nil
}

// ReachedKeptAgree recomputes every kind's rows from the records and compares the counts they
// give on every day either names with the rows kept (for the conformance suite): the
// differences, nil when they agree or a kind is not kept.
func (s *Store) ReachedKeptAgree(ctx context.Context) ([]string, error) {
	var diffs []string
	for _, kind := range reachKinds {
		st, err := readKeptState(ctx, s.read, kind.name)
		if err != nil {
			return nil, err
		}
		if !st.current(kind.fingerprint()) {
			continue
		}
		d, err := computeReached(ctx, s.read, kind)
		if err != nil {
			return nil, err
		}
		type series struct {
			days   []string
			counts []int
		}
		want := map[reachKey]series{}
		for k, days := range d {
			ds, cs := reachRunning(days)
			want[k] = series{ds, cs}
		}
		got := map[reachKey]*series{}
		rows, err := s.read.QueryContext(ctx, `SELECT subject, path, day, n FROM reached_kept WHERE kind = ? ORDER BY subject, path, day`, kind.name)
		if err != nil {
			return nil, fmt.Errorf("store: kept %s: %w", kind.name, err)
		}
		for rows.Next() {
			var k reachKey
			var day string
			var n int
			if err := rows.Scan(&k.subject, &k.path, &day, &n); err != nil {
				rows.Close()
				return nil, err
			}
			g := got[k]
			if g == nil {
				g = &series{}
				got[k] = g
			}
			g.days, g.counts = append(g.days, day), append(g.counts, n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		at := func(sr series, day string) int {
			i, found := slices.BinarySearch(sr.days, day)
			if found {
				return sr.counts[i]
			}
			if i == 0 {
				return 0
			}
			return sr.counts[i-1]
		}
		keys := map[reachKey]bool{}
		for k := range want {
			keys[k] = true
		}
		for k := range got {
			keys[k] = true
		}
		for k := range keys {
			w := want[k]
			var g series
			if p := got[k]; p != nil {
				g = *p
			}
			for _, day := range append(slices.Clone(w.days), g.days...) {
				if a, b := at(g, day), at(w, day); a != b {
					diffs = append(diffs, fmt.Sprintf("%s %s %s %s: kept %d, records %d", kind.name, k.subject, k.path, day, a, b))
				}
			}
		}
	}
	slices.Sort(diffs)
	return slices.Compact(diffs), nil
}
