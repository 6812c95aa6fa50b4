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

// Members with a complete file, kept for the top of the tree (issue 20).
//
// The report's completeness counts, for every member of the subtree on the as-of day, the
// required document types their file held by then (fileCounts): under the root of the country
// that is millions of correlated reads. A member's file is complete from the day the last of
// the required types was first added (the types of a full member's file, or of a probationary
// member's, by the status of each roster row), so the complete members under a path form
// intervals of days, as the members themselves do in roster_counts: files_kept holds, per
// catalogue and kept path, a row for every day on which the count changes, with the count from
// that day on. Missing = the roster's count (roster_counts) − the complete count.
//
// Rebuilt whole by the import, a full roster rebuild and Migrate (when the catalogues loaded
// differ); kept by every write that changes a member's roster rows or file documents, in its
// transaction, by the difference of that member's rows. TestReportWalks/files_kept and the
// conformance suite (FilesKeptAgree) check it.

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

// filesCat is a catalogue's required types.
type filesCat struct {
	id        string
	all, full []int // every file's; a full member's in addition
}

func filesCats() []filesCat {
	var out []filesCat
	for _, c := range records.Catalogues() {
		fc := filesCat{id: c.ID}
		for _, t := range c.RequiredFor(true) {
			if t.Required == records.RequiredFull {
				fc.full = append(fc.full, t.No)
			} else {
				fc.all = append(fc.all, t.No)
			}
		}
		out = append(out, fc)
	}
	return out
}

// filesKeyPath is a (catalogue, path) of files_kept.
type filesKeyPath struct{ cat, path string }

// filesDeltas are changes of the complete counts: by catalogue and path, by day.
type filesDeltas map[filesKeyPath]map[string]int

func (d filesDeltas) add(k filesKeyPath, day string, n int) {
	days := d[k]
	if days == nil {
		days = map[string]int{}
		d[k] = days
	}
	days[day] += n
}

// filesMember is what one member's rows come from: roster rows, and the first day each
// document type was added to their file.
type filesMember struct {
	rows  []filesRosterRow
	first map[int]string
}

type filesRosterRow struct{ path, status, from, to string }

// ready is the day the file holds every type of types ("" when there are none); false when a
// type is missing.
func (m *filesMember) ready(types []int) (string, bool) {
	day := ""
	for _, t := range types {
		d, ok := m.first[t]
		if !ok {
			return "", false
		}
		day = max(day, d)
	}
	return day, true
}

// add adds the member's complete intervals to d with sign.
func (m *filesMember) add(cats []filesCat, sign int, d filesDeltas, buf []string) []string {
	for _, c := range cats {
		dayAll, okAll := m.ready(c.all)
		dayFull, okFull := m.ready(c.full)
		dayFull, okFull = max(dayAll, dayFull), okAll && okFull
		for _, r := range m.rows {
			x, ok := dayFull, okFull
			if r.status == string(dangvu.StatusProbationary) {
				x, ok = dayAll, okAll
			}
			start := max(r.from, x)
			if !ok || start >= r.to {
				continue
			}
			buf = keptPrefixes(r.path, buf)
			for _, p := range buf {
				k := filesKeyPath{c.id, p}
				d.add(k, start, sign)
				if r.to < openEnd {
					d.add(k, r.to, -sign)
				}
			}
		}
	}
	return buf
}

// filesMembers adds the rows of the members ids, read through q, to d with sign.
func filesMembers(ctx context.Context, q queryer, cats []filesCat, ids []string, sign int, d filesDeltas) error {
	ms := make(map[string]*filesMember, len(ids))
	get := func(id string) *filesMember {
		m := ms[id]
		if m == nil {
			m = &filesMember{first: map[int]string{}}
			ms[id] = m
		}
		return m
	}
	err := inChunks(ids, func(ph string, args []any) error {
		rows, err := q.QueryContext(ctx, `SELECT member_id, path, status, valid_from, valid_to FROM roster WHERE member_id IN (`+ph+`)`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			var r filesRosterRow
			if err := rows.Scan(&id, &r.path, &r.status, &r.from, &r.to); err != nil {
				rows.Close()
				return err
			}
			m := get(id)
			m.rows = append(m.rows, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = q.QueryContext(ctx, `SELECT member_id, type_no, MIN(added_on) FROM file_documents WHERE member_id IN (`+ph+`) GROUP BY member_id, type_no`, args...)
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
			get(id).first[t] = day
		}
		return rows.Err()
	})
	if err != nil {
		return fmt.Errorf("store: files kept: %w", err)
	}
	var buf []string
	for _, id := range ids {
		if m := ms[id]; m != nil && len(m.rows) > 0 {
			buf = m.add(cats, sign, d, buf)
		}
	}
	return nil
}

// keepFiles runs write, which changes the roster rows or file documents of the members, and
// changes files_kept by the difference of their rows, in q's transaction (kept.go).
func (s *Store) keepFiles(ctx context.Context, q queryer, members []string, write func() error) error {
	return keepUnder(ctx, q, "files", filesFingerprint(), write, func(keptState) error {
		cats, d := filesCats(), filesDeltas{}
		if err := filesMembers(ctx, q, cats, members, -1, d); err != nil {
			return err
		}
		if err := write(); err != nil {
			return err
		}
		if err := filesMembers(ctx, q, cats, members, 1, d); err != nil {
			return err
		}
		return applyFilesKept(ctx, q, d)
	})
}

// applyFilesKept adds d to files_kept: for each day a row (a copy of the one before, if there
// was none) and the change added to it and every later row of the catalogue and path.
func applyFilesKept(ctx context.Context, q queryer, d filesDeltas) error {
	for k, days := range d {
		for day, n := range days {
			if n == 0 {
				continue
			}
			var exists int
			if err := q.QueryRowContext(ctx, `SELECT count(*) FROM files_kept WHERE cat = ? AND path = ? AND day = ?`, k.cat, k.path, day).Scan(&exists); err != nil {
				return fmt.Errorf("store: files kept: %w", err)
			}
			if exists == 0 {
				var prev int
				err := q.QueryRowContext(ctx, `SELECT complete FROM files_kept WHERE cat = ? AND path = ? AND day < ? ORDER BY day DESC LIMIT 1`, k.cat, k.path, day).Scan(&prev)
				if err != nil && !errors.Is(err, sql.ErrNoRows) {
					return fmt.Errorf("store: files kept: %w", err)
				}
				if _, err := q.ExecContext(ctx, `INSERT INTO files_kept (cat, path, day, complete) VALUES (?, ?, ?, ?)`, k.cat, k.path, day, prev); err != nil {
					return fmt.Errorf("store: files kept: %w", err)
				}
			}
			if _, err := q.ExecContext(ctx, `UPDATE files_kept SET complete = complete + ? WHERE cat = ? AND path = ? AND day >= ?`, n, k.cat, k.path, day); err != nil {
				return fmt.Errorf("store: files kept: %w", err)
			}
		}
	}
	return nil
}

// computeFilesKept computes every member's rows, a batch of members at a time in id order.
func computeFilesKept(ctx context.Context, q queryer) (filesDeltas, error) {
	cats, d := filesCats(), filesDeltas{}
	after := ""
	for {
		ids, err := column(ctx, q, `SELECT id FROM members WHERE id > ? ORDER BY id LIMIT ?`, after, duesKeptBatch)
		if err != nil {
			return nil, fmt.Errorf("store: files kept: %w", err)
		}
		if len(ids) == 0 {
			return d, nil
		}
		if err := filesMembers(ctx, q, cats, ids, 1, d); err != nil {
			return nil, err
		}
		after = ids[len(ids)-1]
	}
}

// filesRunning turns the changes of a (catalogue, path) into its rows: the days on which the
// count changes, with the count from then on.
func filesRunning(days map[string]int) (keys []string, counts []int) {
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

// rebuildFilesKept derives files_kept from the whole roster and every file, under the
// catalogues loaded now.
func (s *Store) rebuildFilesKept(ctx context.Context, q queryer) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM files_kept`); err != nil {
		return fmt.Errorf("store: files kept: %w", err)
	}
	d, err := computeFilesKept(ctx, q)
	if err != nil {
		return err
	}
	ks := make([]filesKeyPath, 0, len(d))
	for k := range d {
		ks = append(ks, k)
	}
	slices.SortFunc(ks, func(a, b filesKeyPath) int { return strings.Compare(a.cat+"|"+a.path, b.cat+"|"+b.path) })
	const batch = 250
	var args []any
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		_, err := q.ExecContext(ctx, `INSERT INTO files_kept (cat, path, day, complete) VALUES `+strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?),", n), ","), args...)
		args, n = args[:0], 0
		if err != nil {
			return fmt.Errorf("store: files kept: %w", err)
		}
		return nil
	}
	for _, k := range ks {
		days, counts := filesRunning(d[k])
		for i := range days {
			args = append(args, k.cat, k.path, days[i], counts[i])
			if n++; n == batch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	return writeKeptState(ctx, q, "files", filesFingerprint(), 0)
}

// rebuildKept rebuilds every kept table of report figures (migration 28, the import, a full
// roster rebuild).
func (s *Store) rebuildKept(ctx context.Context, q queryer) error {
	if err := s.rebuildDuesKept(ctx, q); err != nil {
		return err
	}
	return s.rebuildFilesKept(ctx, q)
}

// filesKeptCounts answers fileCounts from files_kept and roster_counts; ok is false when they
// cannot (a path below the kept ones, a table stale or under other catalogues).
func (s *Store) filesKeptCounts(ctx context.Context, rc *reportCtx) (members, missing int, ok bool, err error) {
	path := rc.org.Path
	if pathDepth(path) > countDepth {
		return 0, 0, false, nil
	}
	st, err := readKeptState(ctx, s.read, "files")
	if err != nil || !st.current(filesFingerprint()) {
		return 0, 0, false, err
	}
	members, kept, err := s.keptCount(ctx, path, rc.asOf, dangvu.CountFilter{})
	if err != nil || !kept {
		return 0, 0, false, err
	}
	var complete int
	err = s.read.QueryRowContext(ctx, `SELECT complete FROM files_kept WHERE cat = ? AND path = ? AND day <= ? ORDER BY day DESC LIMIT 1`,
		records.For(rc.q.AsOf).ID, path, rc.asOf).Scan(&complete)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, 0, false, fmt.Errorf("store: files kept: %w", err)
	}
	return members, members - complete, true, nil
}

// FilesKeptAgree recomputes files_kept from the records and compares the counts it gives on
// every day it names with the rows kept (for the conformance suite): the differences, nil when
// they agree or the table is not kept.
func (s *Store) FilesKeptAgree(ctx context.Context) ([]string, error) {
	st, err := readKeptState(ctx, s.read, "files")
	if err != nil || !st.current(filesFingerprint()) {
		return nil, err
	}
	d, err := computeFilesKept(ctx, s.read)
	if err != nil {
		return nil, err
	}
	type series struct {
		days   []string
		counts []int
	}
	want := map[filesKeyPath]series{}
	for k, days := range d {
		ds, cs := filesRunning(days)
		want[k] = series{ds, cs}
	}
	got := map[filesKeyPath]*series{}
	rows, err := s.read.QueryContext(ctx, `SELECT cat, path, day, complete FROM files_kept ORDER BY cat, path, day`)
	if err != nil {
		return nil, fmt.Errorf("store: files kept: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k filesKeyPath
		var day string
		var n int
		if err := rows.Scan(&k.cat, &k.path, &day, &n); err != nil {
			return nil, err
		}
		g := got[k]
		if g == nil {
			g = &series{}
			got[k] = g
		}
		g.days, g.counts = append(g.days, day), append(g.counts, n)
	}
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
	keys := map[filesKeyPath]bool{}
	for k := range want {
		keys[k] = true
	}
	for k := range got {
		keys[k] = true
	}
	var diffs []string
	for k := range keys {
		w := want[k]
		var g series
		if p := got[k]; p != nil {
			g = *p
		}
		for _, day := range append(slices.Clone(w.days), g.days...) {
			if a, b := at(g, day), at(w, day); a != b {
				diffs = append(diffs, fmt.Sprintf("%s %s %s: kept %d complete, records %d", k.cat, k.path, day, a, b))
			}
		}
	}
	slices.Sort(diffs)
	return slices.Compact(diffs), nil
}
