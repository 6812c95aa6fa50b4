package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"dangvu"
)

// The months each cell met, for the root and the provinces (cells_meeting_every_month).
//
// A period's figure needs, by cell, the distinct months of the regular meetings held within it
// (heldMonths). Read from a tally row per cell and month (meetingMonthTally) the root's cost grew
// with the period: 37 months × 38.000 cells at a million members, 0,8 s, and a country's ten
// years of meetings are 30 million rows. Most meetings are held within their own month, and a
// month whose every day lies in the period, under one path of the organisation, counts whenever
// such a meeting was held. So for those months a cell's meetings held on time are read as runs
// of consecutive months (meetingRunTally, a row per run), the few held outside their month one
// by one (meetingLateTally), and only the months that the period or a change of path cuts in two
// are read day by day (meetingMonthTally). The count is exact: every meeting held on a day of the
// period is read from exactly one of the three by that day.

// meetingRunTally keeps, by cell and path, each run of consecutive months in which the cell held
// a regular meeting within the month itself, under the path it had on those days: day is the
// first day of the run's last month, key "2026-01|cell" its first month. Selected by cell
// (tallyOrgs): a meeting changes its cell's runs, which are read whole before and after.
var meetingRunTally = tallyKind{name: "meeting_runs", events: func(ctx context.Context, q queryer, by tallyBy, ids []string, sign int, d *tallyDeltas) error {
	return tallySelect(map[tallyBy]string{tallyOrgs: "m.org_id"}, by, ids, func(cond string, args []any) error {
		rows, err := q.QueryContext(ctx, `SELECT DISTINCT m.org_id, p.path, m.month
			FROM meetings m JOIN org_paths p ON p.org_id = m.org_id AND `+onDay.covers("p", "m.held_on")+`
			WHERE m.status = 'held' AND m.kind = 'regular' AND `+onTime+cond+` ORDER BY m.org_id, p.path, m.month`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var org, path string
		first, last := 0, -2
		flush := func() {
			if last >= 0 {
				d.add(path, monthFirstDay(last), monthKey(first)+"|"+org, sign)
			}
		}
		for rows.Next() {
			var o, p, month string
			if err := rows.Scan(&o, &p, &month); err != nil {
				return err
			}
			i, ok := monthIndex(month)
			if !ok {
				return fmt.Errorf("meeting of %s: month %q", o, month)
			}
			if o == org && p == path && i == last+1 {
				last = i
				continue
			}
			flush()
			org, path, first, last = o, p, i, i
		}
		if err := rows.Err(); err != nil {
			return err
		}
		flush()
		return nil
	})
}}

// onTime holds of a meeting m held within its own month.
const onTime = `substr(m.held_on, 1, 7) = m.month`

// meetingLateTally is meetingMonthTally of the regular meetings held outside their month.
var meetingLateTally = tallyKind{name: "meeting_late", events: func(ctx context.Context, q queryer, by tallyBy, ids []string, sign int, d *tallyDeltas) error {
	return tallyRows(ctx, q, `SELECT p.path, m.held_on, m.month || '|' || m.org_id, count(*)
		FROM meetings m JOIN org_paths p ON p.org_id = m.org_id AND `+onDay.covers("p", "m.held_on")+`
		WHERE m.status = 'held' AND m.kind = 'regular' AND NOT (`+onTime+`)`, map[tallyBy]string{tallyOrgs: "m.org_id", tallyIDs: "m.id"},
		`GROUP BY p.path, m.held_on, m.month, m.org_id`, by, ids, sign, d)
}}

// keepMeeting runs write, which changes the meeting id of the cell, and keeps its tallies.
func keepMeeting(ctx context.Context, q queryer, id, cell string, write func() error) error {
	return keepTallies(ctx, q, meetingRunTally, tallyOrgs, []string{cell}, func() error {
		return keepAllTallies(ctx, q, tallyIDs, []string{id}, write, meetingTally, meetingMonthTally, meetingLateTally, unexcusedTally)
	})
}

// talliedMonths counts, by cell, the months in which it held a regular meeting on a day of the
// report's period (heldMonths), from the three kinds above; ok is false when the tallies cannot
// say.
func (s *Store) talliedMonths(ctx context.Context, rc *reportCtx) (map[string]int, bool, error) {
	for _, k := range []tallyKind{meetingMonthTally, meetingRunTally, meetingLateTally} {
		if ok, err := s.tallyReadable(ctx, k, rc.spans); !ok {
			return nil, false, err
		}
	}
	met := map[string][][2]int{} // cell → months met, as ranges of month indexes
	add := func(key string, lo, hi int) error {
		if len(key) < 8 || key[7] != '|' {
			return fmt.Errorf("store: tallies: key %q", key)
		}
		m, ok := monthIndex(key[:7])
		if !ok {
			return fmt.Errorf("store: tallies: key %q", key)
		}
		if hi < 0 { // a month: the key's
			lo, hi = m, m
		}
		cell := key[8:]
		met[cell] = append(met[cell], [2]int{lo, hi})
		return nil
	}
	keys := func(kind tallyKind, path, from, to string, each func(day, key string) error) error {
		rows, err := s.read.QueryContext(ctx, `SELECT day, key FROM tallies WHERE kind = ? AND path = ? AND day >= ? AND day <= ?`, kind.name, path, from, to)
		if err != nil {
			return fmt.Errorf("store: tallies: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var day, key string
			if err := rows.Scan(&day, &key); err != nil {
				return err
			}
			if err := each(day, key); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	months := func(day, key string) error { return add(key, 0, -1) }
	for _, sp := range rc.spans {
		from, in := sp.within(rc)
		if !in {
			continue
		}
		// The last day of the period with this path.
		last := rc.to
		if sp.to <= last {
			last = isoDayBefore(sp.to)
		}
		fi, li, err := wholeMonths(from, last)
		if err != nil {
			return nil, false, err
		}
		if fi > li { // no whole month: every day one by one
			if err := keys(meetingMonthTally, sp.path, from, last, months); err != nil {
				return nil, false, err
			}
			continue
		}
		start, end := monthFirstDay(fi), monthFirstDay(li+1)
		// Before and after the whole months, day by day.
		if from < start {
			if err := keys(meetingMonthTally, sp.path, from, isoDayBefore(start), months); err != nil {
				return nil, false, err
			}
		}
		if end <= last {
			if err := keys(meetingMonthTally, sp.path, end, last, months); err != nil {
				return nil, false, err
			}
		}
		// Within them, the meetings held outside their month, and the runs that reach them.
		if err := keys(meetingLateTally, sp.path, start, isoDayBefore(end), months); err != nil {
			return nil, false, err
		}
		err = keys(meetingRunTally, sp.path, start, "9999-12-31", func(day, key string) error {
			lastRun, ok := monthIndex(day[:min(7, len(day))])
			if !ok {
				return fmt.Errorf("store: tallies: day %q", day)
			}
			firstRun, _ := monthIndex(key[:min(7, len(key))])
			if lo, hi := max(firstRun, fi), min(lastRun, li); lo <= hi {
				return add(key, lo, hi)
			}
			return nil
		})
		if err != nil {
			return nil, false, err
		}
	}
	out := make(map[string]int, len(met))
	for cell, rs := range met {
		out[cell] = monthsCovered(rs)
	}
	return out, true, nil
}

// monthsCovered counts the months in the union of the ranges (sorted in place).
func monthsCovered(rs [][2]int) int {
	slices.SortFunc(rs, func(a, b [2]int) int { return a[0] - b[0] })
	n, upTo := 0, -1 // months counted up to upTo
	for _, r := range rs {
		lo := max(r[0], upTo+1)
		if r[1] >= lo {
			n += r[1] - lo + 1
			upTo = r[1]
		}
	}
	return n
}

// wholeMonths are the indexes of the first and last months whose every day lies in
// [from, last] (fi > li when there is none).
func wholeMonths(from, last string) (fi, li int, err error) {
	f, err1 := dangvu.ParseISODate(from)
	l, err2 := dangvu.ParseISODate(last)
	if err1 != nil || err2 != nil {
		return 0, -1, fmt.Errorf("store: months of %q–%q", from, last)
	}
	fi = f.Year()*12 + int(f.Month()) - 1
	if f.Day() != 1 {
		fi++
	}
	li = l.Year()*12 + int(l.Month()) - 1
	if l.AddDate(0, 0, 1).Day() != 1 {
		li--
	}
	return fi, li, nil
}

// monthIndex is year×12 + month−1 of "2026-05".
func monthIndex(month string) (int, bool) {
	if len(month) != 7 || month[4] != '-' {
		return 0, false
	}
	y, err1 := strconv.Atoi(month[:4])
	m, err2 := strconv.Atoi(month[5:])
	if err1 != nil || err2 != nil || m < 1 || m > 12 {
		return 0, false
	}
	return y*12 + m - 1, true
}

func monthKey(i int) string { return fmt.Sprintf("%04d-%02d", i/12, i%12+1) }

func monthFirstDay(i int) string { return monthKey(i) + "-01" }

// isoDayBefore is the ISO day before day (an ISO date).
func isoDayBefore(day string) string {
	t, err := dangvu.ParseISODate(day)
	if err != nil {
		return day
	}
	return dangvu.ISO(t.AddDate(0, 0, -1))
}
