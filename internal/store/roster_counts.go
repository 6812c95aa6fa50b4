package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"dangvu"
)

// Member counts of the top of the tree as of any day, kept by the writes (issue 20).
//
// A count under an organisation as of a day is one range scan of the roster's covering index:
// under a cell or a ward that is a few hundred entries, but under a province of the country it is
// hundreds of thousands and under the root millions, read for every page that shows the count
// (the organisation's page, its children's list, the report's three membership counts). For
// the paths of depth rosterCountDepth and above (the root, the provinces and their wards;
// before 1/7/2025 the districts in between) roster_counts keeps, for every day on
// which the count under the path changes, the counts from that day on by status and gender: a
// count as of a day is then the last row on or before it.
//
// The table is derived from the roster, as the roster is from memberships, statuses and paths:
// rebuilt whole when the roster is (an import, a large reorganisation), and otherwise kept in the
// same transaction by rebuildRoster, which subtracts the rebuilt members' old roster rows and adds
// their new ones. TestRosterCountsOracle checks it against the direct count.

// countDepth is the deepest path (in segments: /VN/ is 1, /VN/T01/ is 2) whose domain figures
// are kept (dues_kept, reached_kept): the root and the provinces.
const countDepth = 2

// rosterCountDepth is the deepest path whose member counts roster_counts keeps: one level
// below countDepth, the wards of a province (before 1/7/2025 its districts), so that a
// province's page counts its children from a row each (migration 0029).
const rosterCountDepth = countDepth + 1

// countCols are roster_counts' count columns: status × gender, in countClass order.
var countCols = []string{"prob_m", "prob_f", "full_m", "full_f", "exempt_m", "exempt_f"}

type countVec [6]int

// countClass is a roster row's column in countCols; -1 for a status the roster does not hold.
func countClass(status, gender string) int {
	base := 0
	switch dangvu.Status(status) {
	case dangvu.StatusProbationary:
	case dangvu.StatusFull:
		base = 2
	case dangvu.StatusExempt:
		base = 4
	default:
		return -1
	}
	if gender == dangvu.Female {
		return base + 1
	}
	return base
}

// pathDepth is the number of segments of a path ("/VN/T01/" has 2).
func pathDepth(p string) int { return strings.Count(p, "/") - 1 }

// keptPrefixes are the prefixes of path whose figures are kept: its first depth segments.
func keptPrefixes(path string, depth int, out []string) []string {
	out = out[:0]
	for i, seg := 1, 0; i < len(path) && seg < depth; i++ {
		if path[i] == '/' {
			seg++
			out = append(out, path[:i+1])
		}
	}
	return out
}

// countDeltas are changes of the counts under the kept prefixes: by prefix, by day (isoNum). A
// rebuild holds every day of every prefix at once (2,76 million at a million members): the days
// as numbers and the changes inline, about 40 bytes each where strings and pointers took a
// hundred.
type countDeltas struct {
	m   map[string]map[int32]countDelta
	err error // a day that is not an ISO date (none: the roster's days are checked on the way in)
}

type countDelta [6]int32

func newCountDeltas() *countDeltas { return &countDeltas{m: map[string]map[int32]countDelta{}} }

// add records a roster row (sign +1) or its removal (-1): its class counts from valid_from and
// stops at valid_to.
func (d *countDeltas) add(path, status, gender, from, to string, sign int, buf []string) []string {
	c := countClass(status, gender)
	if c < 0 {
		return buf
	}
	buf = keptPrefixes(path, rosterCountDepth, buf)
	for _, p := range buf {
		days := d.m[p]
		if days == nil {
			days = map[int32]countDelta{}
			d.m[strings.Clone(p)] = days
		}
		for _, x := range [...]struct {
			day  string
			sign int
		}{{from, sign}, {to, -sign}} {
			if x.day >= openEnd {
				continue
			}
			n, ok := isoNum(x.day)
			if !ok {
				d.err = fmt.Errorf("store: roster counts: day %q", x.day)
				continue
			}
			v := days[n]
			v[c] += int32(x.sign)
			days[n] = v
		}
	}
	return buf
}

// isoNum is an ISO date (yyyy-mm-dd) as the number yyyymmdd, which sorts as the text does.
func isoNum(day string) (int32, bool) {
	if len(day) != 10 || day[4] != '-' || day[7] != '-' {
		return 0, false
	}
	var n int32
	for i := 0; i < len(day); i++ {
		if i == 4 || i == 7 {
			continue
		}
		c := day[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int32(c-'0')
	}
	return n, true
}

// numISO is isoNum's date as text.
func numISO(n int32) string { return fmt.Sprintf("%04d-%02d-%02d", n/10000, n/100%100, n%100) }

// openEnd is the valid_to of an interval still open.
const openEnd = "9999-12-31"

// readRosterRows adds the roster rows that where selects (with args) to d with sign.
func readRosterRows(ctx context.Context, q queryer, d *countDeltas, sign int, where string, args ...any) error {
	rows, err := q.QueryContext(ctx, `SELECT path, status, gender, valid_from, valid_to FROM roster`+where, args...)
	if err != nil {
		return fmt.Errorf("store: roster counts: %w", err)
	}
	defer rows.Close()
	var buf []string
	var path, status, gender, from, to string
	for rows.Next() {
		if err := rows.Scan(&path, &status, &gender, &from, &to); err != nil {
			return fmt.Errorf("store: roster counts: %w", err)
		}
		buf = d.add(path, status, gender, from, to, sign, buf)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return d.err
}

// membersRosterRows adds the roster rows of the members to d with sign, in batches of ids.
func membersRosterRows(ctx context.Context, q queryer, d *countDeltas, sign int, members []string) error {
	return inChunks(members, func(ph string, args []any) error {
		return readRosterRows(ctx, q, d, sign, ` WHERE member_id IN (`+ph+`)`, args...)
	})
}

// rebuildRosterCounts derives roster_counts from the whole roster.
func (s *Store) rebuildRosterCounts(ctx context.Context, q queryer) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM roster_counts`); err != nil {
		return fmt.Errorf("store: roster counts: %w", err)
	}
	d := newCountDeltas()
	// Only the rows under a kept prefix matter, i.e. all of them; one pass, no order needed.
	if err := readRosterRows(ctx, q, d, 1, ``); err != nil {
		return err
	}
	ins := newBatchInsert(ctx, q, "roster_counts", append([]string{"path", "day"}, countCols...), 400, "roster counts")
	for _, p := range sortedKeys(d.m) {
		days := d.m[p]
		keys := make([]int32, 0, len(days))
		for k := range days {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var run countVec
		for _, day := range keys {
			v := days[day]
			if v == (countDelta{}) {
				continue // rows that start and end on the same day cancel
			}
			for i := range run {
				run[i] += int(v[i])
			}
			if err := ins.add(p, numISO(day), run[0], run[1], run[2], run[3], run[4], run[5]); err != nil {
				return err
			}
		}
	}
	return ins.flush()
}

// applyCountDeltas adds d to the stored counts: for each prefix and day, a row on that day
// (a copy of the one before it, if there was none) and the change added to it and every later
// row of the prefix. Changes commute, so their order does not matter.
func (s *Store) applyCountDeltas(ctx context.Context, q queryer, d *countDeltas) error {
	set := make([]string, len(countCols))
	for i, c := range countCols {
		set[i] = c + " = " + c + " + ?"
	}
	update := `UPDATE roster_counts SET ` + strings.Join(set, ", ") + ` WHERE path = ? AND day >= ?`
	cols := strings.Join(countCols, ", ")
	for _, p := range sortedKeys(d.m) {
		for n, v := range d.m[p] {
			if v == (countDelta{}) {
				continue
			}
			day := numISO(n)
			var exists int
			if err := q.QueryRowContext(ctx, `SELECT count(*) FROM roster_counts WHERE path = ? AND day = ?`, p, day).Scan(&exists); err != nil {
				return fmt.Errorf("store: roster counts: %w", err)
			}
			if exists == 0 {
				var prev countVec
				err := q.QueryRowContext(ctx, `SELECT `+cols+` FROM roster_counts WHERE path = ? AND day < ? ORDER BY day DESC LIMIT 1`, p, day).
					Scan(&prev[0], &prev[1], &prev[2], &prev[3], &prev[4], &prev[5])
				if err != nil && !errors.Is(err, sql.ErrNoRows) {
					return fmt.Errorf("store: roster counts: %w", err)
				}
				args := []any{p, day}
				for _, x := range prev {
					args = append(args, x)
				}
				if _, err := q.ExecContext(ctx, `INSERT INTO roster_counts (path, day, `+cols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, args...); err != nil {
					return fmt.Errorf("store: roster counts: %w", err)
				}
			}
			args := make([]any, 0, 8)
			for _, x := range v {
				args = append(args, x)
			}
			if _, err := q.ExecContext(ctx, update, append(args, p, day)...); err != nil {
				return fmt.Errorf("store: roster counts: %w", err)
			}
		}
	}
	return nil
}

// keptCount answers a count under a kept path as of day d from roster_counts; ok is false when
// the path is not kept (the caller counts the roster).
func (s *Store) keptCount(ctx context.Context, path, d string, f dangvu.CountFilter) (n int, ok bool, err error) {
	if path != "/" && pathDepth(path) > rosterCountDepth {
		return 0, false, nil
	}
	var sum []string
	for i, c := range countCols {
		st := []dangvu.Status{dangvu.StatusProbationary, dangvu.StatusFull, dangvu.StatusExempt}[i/2]
		g := []string{dangvu.Male, dangvu.Female}[i%2]
		if (f.Status == "" || f.Status == st) && (f.Gender == "" || f.Gender == g) {
			sum = append(sum, c)
		}
	}
	if len(sum) == 0 {
		return 0, true, nil // a status the roster does not hold
	}
	expr := strings.Join(sum, " + ")
	if path == "/" {
		// The whole tree: the sum over its roots (paths of one segment), one row each.
		roots, err := column(ctx, s.read, `SELECT DISTINCT path FROM org_paths WHERE depth = 1`)
		if err != nil {
			return 0, true, err
		}
		for _, p := range roots {
			c, _, err := s.keptCount(ctx, p, d, f)
			if err != nil {
				return 0, true, err
			}
			n += c
		}
		return n, true, nil
	}
	err = s.read.QueryRowContext(ctx, `SELECT `+expr+` FROM roster_counts WHERE path = ? AND day <= ? ORDER BY day DESC LIMIT 1`, path, d).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		n, err = 0, nil
	}
	if err != nil {
		return 0, true, fmt.Errorf("store: count: %w", err)
	}
	return n, true, nil
}

// RosterCountsAgree compares the kept counts of every kept path with the direct count of the
// roster on the given days — with none, on every day the roster changes and the day before it
// (at most about 60 of them, evenly spread) — and returns the differences (for the conformance
// suite); nil when they agree.
func (s *Store) RosterCountsAgree(ctx context.Context, days []time.Time) ([]string, error) {
	paths, err := column(ctx, s.read, `SELECT DISTINCT path FROM org_paths WHERE depth <= ? ORDER BY path`, rosterCountDepth)
	if err != nil {
		return nil, err
	}
	var ds []string
	for _, d := range days {
		ds = append(ds, dateArg(d))
	}
	if len(days) == 0 {
		all, err := column(ctx, s.read, `SELECT valid_from FROM roster UNION SELECT valid_to FROM roster WHERE valid_to < ? ORDER BY 1`, openEnd)
		if err != nil {
			return nil, err
		}
		step := max(1, len(all)/30)
		for i := 0; i < len(all); i += step {
			t, err := dangvu.ParseISODate(all[i])
			if err != nil {
				return nil, err
			}
			ds = append(ds, all[i], dateArg(t.AddDate(0, 0, -1)))
		}
	}
	var diffs []string
	filters := []dangvu.CountFilter{{}, {Status: dangvu.StatusProbationary}, {Status: dangvu.StatusFull, Gender: dangvu.Female}}
	for _, d := range ds {
		for _, p := range append(paths, "/") {
			for _, f := range filters {
				kept, _, err := s.keptCount(ctx, p, d, f)
				if err != nil {
					return nil, err
				}
				direct, err := s.rosterCount(ctx, p, d, f)
				if err != nil {
					return nil, err
				}
				if kept != direct {
					diffs = append(diffs, fmt.Sprintf("%s %s %+v: kept %d, roster %d", p, d, f, kept, direct))
				}
			}
		}
	}
	// The counts of a list of organisations (countPaths: kept and scanned, nested and not) are
	// each organisation's own count, on a few of those days.
	for i := 0; i < len(ds); i += max(1, len(ds)/8) {
		d := ds[i]
		all, err := column(ctx, s.read, `SELECT DISTINCT path FROM org_paths WHERE valid_from <= ? AND valid_to > ?`, d, d)
		if err != nil {
			return nil, err
		}
		listed, err := s.countPaths(ctx, all, d)
		if err != nil {
			return nil, err
		}
		for _, p := range all {
			direct, err := s.rosterCount(ctx, p, d, dangvu.CountFilter{})
			if err != nil {
				return nil, err
			}
			if listed[p] != direct {
				diffs = append(diffs, fmt.Sprintf("%s %s: listed %d, roster %d", p, d, listed[p], direct))
			}
		}
	}
	return diffs, nil
}
