package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/rulebook"
	"dangvu/internal/rules/dues"
)

// The dues figures of the term report, kept for the root and the provinces (issue 20).
//
// The report's dues figures are counted member by member (duesWalk): under a province of the
// country that is hundreds of thousands of members' bases, exemptions and payments, under the
// root millions. For the root and the provinces (countDepth), dues_kept holds them so that a
// report over any period reads a few thousand rows:
//
//   - sums (what was owed, what was paid) by month: a period's sum is the rows of its months;
//   - members with a property in at least one month of the period (liable, not paid in full,
//     exempt): a row per month in which a member has it, keyed by the previous month in which the
//     same member had it under the same path (prev; -1 for none). The members with it in
//     [f, t] are counted by the rows with f ≤ mon ≤ t and prev < f: each member's first such
//     month in the period, once;
//   - members with arrears_months unpaid months within one calendar year of the period: a row
//     per month u that makes a run of that many in its year, with since the first month of the
//     run and prev the since of the member's previous such row. For a period [f, t] the member's
//     rows with since ≥ f are those whose run lies in the period, a suffix in time; its first
//     one (since ≥ f > prev) is counted when u is over by the period's end.
//
// Months are numbered year*12 + month - 1. The rows are derived from the roster and the dues
// records under the dues rules of kept_state's fingerprint (kept.go), for the months up to its
// horizon: rebuilt whole by the import, a full roster rebuild, the migration, and whenever the
// rules loaded differ or the horizon comes within a year (Migrate); otherwise kept by every
// write that changes a member's roster rows or dues records, in its transaction, by the
// difference of that member's rows before and after. A writer running under other rules
// marks the table stale instead, and the reports then walk the members until it is rebuilt.
// TestDuesKept and the conformance suite (DuesKeptAgree) check the rows and the figures.

const (
	keptOwed = iota + 1
	keptPaid
	keptLiable
	keptUnpaid
	keptExempt
	keptArrears
)

// keptKey is a row's key of dues_kept.
type keptKey struct {
	path             string
	fig              int
	mon, since, prev int32
}

// keptVal is what a row adds: members counted, and đồng.
type keptVal struct{ members, amount int64 }

// duesKeptDeltas are changes to dues_kept; a key whose change comes to nothing is dropped.
type duesKeptDeltas map[keptKey]keptVal

func (d duesKeptDeltas) add(k keptKey, members, amount int64) {
	v := d[k]
	v.members += members
	v.amount += amount
	if v == (keptVal{}) {
		delete(d, k)
		return
	}
	d[k] = v
}

func monIndex(m dangvu.Month) int32 { return int32(m.Year*12 + int(m.Mon) - 1) }

func monOf(i int32) dangvu.Month { return dangvu.Month{Year: int(i / 12), Mon: time.Month(i%12 + 1)} }

// monStart is the first day of month i as yyyymmdd (isoInt's form).
func monStart(i int32) int32 { return (i/12)*10000 + (i%12+1)*100 + 1 }

// keptIv is a roster row of a member: its path and days as yyyymmdd, to exclusive.
type keptIv struct {
	path     string
	from, to int32
}

// keptRecords are what one member's kept rows are computed from.
type keptRecords struct {
	ivs   []keptIv
	bases []dangvu.DuesBasis
	ex    []dangvu.DuesExemption
	pays  []duesAmt // month: monIndex
}

// duesKeeper computes members' kept rows up to a horizon under the loaded rules.
type duesKeeper struct {
	horizon   int32
	threshold int
	sets      map[int32]dues.Set
	// scratch, one member at a time
	owed, paid []int64
	exempt, in []bool
	prefixes   []string
	buf        []string
}

func newDuesKeeper(horizon int32) *duesKeeper {
	return &duesKeeper{horizon: horizon, threshold: dues.ForMonth(monOf(horizon)).Int("arrears_months"), sets: map[int32]dues.Set{}}
}

func (k *duesKeeper) set(i int32) dues.Set {
	s, ok := k.sets[i]
	if !ok {
		s = dues.ForMonth(monOf(i))
		k.sets[i] = s
	}
	return s
}

// keptAcc accumulates kept rows. Most of them are a month's sums and the months in which a
// member has a property they had the month before (prev = mon - 1): those are added up in
// arrays by path and month, the rest in a map (a map entry per member and month was most of a
// rebuild's time).
type keptAcc struct {
	from  int32 // the arrays' first month; earlier months go to rest
	to    int32 // the horizon
	dense map[string][]keptMonth
	rest  duesKeptDeltas
}

// keptMonth is a path's month: the sums, and the members counted with prev = mon - 1.
type keptMonth struct{ owed, paid, liable, unpaid, exempt int64 }

func newKeptAcc(horizon int32) *keptAcc {
	return &keptAcc{from: horizon - 12*30, to: horizon, dense: map[string][]keptMonth{}, rest: duesKeptDeltas{}}
}

func (a *keptAcc) months(path string) []keptMonth {
	m, ok := a.dense[path]
	if !ok {
		m = make([]keptMonth, a.to-a.from+1)
		a.dense[path] = m
	}
	return m
}

// deltas are the accumulated rows as changes to dues_kept.
func (a *keptAcc) deltas() duesKeptDeltas {
	d := duesKeptDeltas{}
	for k, v := range a.rest {
		d.add(k, v.members, v.amount)
	}
	for path, ms := range a.dense {
		for i, m := range ms {
			mi := a.from + int32(i)
			d.add(keptKey{path, keptOwed, mi, mi, -1}, 0, m.owed)
			d.add(keptKey{path, keptPaid, mi, mi, -1}, 0, m.paid)
			d.add(keptKey{path, keptLiable, mi, mi, mi - 1}, m.liable, 0)
			d.add(keptKey{path, keptUnpaid, mi, mi, mi - 1}, m.unpaid, 0)
			d.add(keptKey{path, keptExempt, mi, mi, mi - 1}, m.exempt, 0)
		}
	}
	return d
}

// member adds one member's rows to a with sign (+1, or -1 to take them away).
func (k *duesKeeper) member(r *keptRecords, sign int64, a *keptAcc) {
	if len(r.ivs) == 0 {
		return
	}
	// The months from the first one any record touches: before it nothing is owed, paid or
	// exempt.
	m0 := int32(-1)
	first := func(i int32) {
		if m0 < 0 || i < m0 {
			m0 = i
		}
	}
	for _, b := range r.bases {
		first(monIndex(dangvu.MonthOf(b.From.Time)))
	}
	for _, e := range r.ex {
		first(monIndex(dangvu.MonthOf(e.From.Time)))
	}
	for _, p := range r.pays {
		first(int32(p.month))
	}
	if m0 < 0 || m0 > k.horizon {
		return
	}
	n := int(k.horizon-m0) + 1
	if cap(k.owed) < n {
		k.owed, k.paid, k.exempt, k.in = make([]int64, n), make([]int64, n), make([]bool, n), make([]bool, n)
	}
	k.owed, k.paid, k.exempt, k.in = k.owed[:n], k.paid[:n], k.exempt[:n], k.in[:n]
	// What is owed changes only with the set, the basis or the relief: the gross amount is
	// worked out again only when the set or the basis changes (dues.OwedUnder, in parts).
	var lastSet *rulebook.Set
	lastBasis, gross, grossOK := "", int64(0), false
	for i := range n {
		mi := m0 + int32(i)
		mo := monOf(mi)
		set := k.set(mi)
		pct, _ := dues.Relief(r.ex, mo)
		k.exempt[i], k.paid[i], k.owed[i] = pct >= 100, 0, 0
		b, ok := dues.BasisFor(r.bases, mo)
		if !ok {
			continue
		}
		if set.Set != lastSet || b.ID != lastBasis || lastBasis == "" {
			g, v := set.Gross(b)
			lastSet, lastBasis, gross, grossOK = set.Set, b.ID, g, v == nil
		}
		if grossOK {
			k.owed[i] = dues.Reduce(gross, pct)
		}
	}
	for _, p := range r.pays {
		if i := int32(p.month) - m0; i >= 0 && int(i) < n {
			k.paid[i] = p.amount
		}
	}
	// Each kept path the member was ever under.
	k.prefixes = k.prefixes[:0]
	for _, iv := range r.ivs {
		k.buf = keptPrefixes(iv.path, countDepth, k.buf)
		for _, p := range k.buf {
			if !slices.Contains(k.prefixes, p) {
				k.prefixes = append(k.prefixes, p)
			}
		}
	}
	for _, path := range k.prefixes {
		for i := range n {
			ms, me := monStart(m0+int32(i)), monStart(m0+int32(i)+1)
			k.in[i] = false
			for _, iv := range r.ivs {
				if iv.from < me && iv.to > ms && strings.HasPrefix(iv.path, path) {
					k.in[i] = true
					break
				}
			}
		}
		dense := a.months(path)
		// event counts the member in month mi for fig: in the arrays when they had it the
		// month before (c: the array's counter), else as a row of its own.
		event := func(c *int64, fig int, mi int32, prev *int32) {
			if c != nil && *prev == mi-1 {
				*c += sign
			} else {
				a.rest.add(keptKey{path, fig, mi, mi, *prev}, sign, 0)
			}
			*prev = mi
		}
		prevLiable, prevUnpaid, prevExempt, prevRun := int32(-1), int32(-1), int32(-1), int32(-1)
		var run []int32 // the year's unpaid months so far
		year := int32(-1)
		for i := range n {
			if !k.in[i] {
				continue
			}
			mi := m0 + int32(i)
			var m *keptMonth
			if mi >= a.from {
				m = &dense[mi-a.from]
			}
			if k.owed[i] > 0 {
				if m != nil {
					m.owed += sign * k.owed[i]
					event(&m.liable, keptLiable, mi, &prevLiable)
				} else {
					a.rest.add(keptKey{path, keptOwed, mi, mi, -1}, 0, sign*k.owed[i])
					event(nil, keptLiable, mi, &prevLiable)
				}
			}
			if k.paid[i] != 0 {
				if m != nil {
					m.paid += sign * k.paid[i]
				} else {
					a.rest.add(keptKey{path, keptPaid, mi, mi, -1}, 0, sign*k.paid[i])
				}
			}
			if k.exempt[i] {
				var c *int64
				if m != nil {
					c = &m.exempt
				}
				event(c, keptExempt, mi, &prevExempt)
			}
			if k.owed[i] > 0 && k.paid[i] < k.owed[i] {
				var c *int64
				if m != nil {
					c = &m.unpaid
				}
				event(c, keptUnpaid, mi, &prevUnpaid)
				if mi/12 != year {
					year, run = mi/12, run[:0]
				}
				run = append(run, mi)
				if k.threshold > 0 && len(run) >= k.threshold {
					since := run[len(run)-k.threshold]
					a.rest.add(keptKey{path, keptArrears, mi, since, prevRun}, sign, 0)
					prevRun = since
				}
			}
		}
	}
}

// keptRoster is the roster rows of some members, read once for every kept table.
type keptRoster map[string][]keptRosterRow

type keptRosterRow struct{ path, status, from, to string }

// rosterOf reads the roster rows of the members ids through q (a transaction sees its own
// writes).
func rosterOf(ctx context.Context, q queryer, ids []string) (keptRoster, error) {
	out := make(keptRoster, len(ids))
	err := inChunks(ids, func(ph string, args []any) error {
		rows, err := q.QueryContext(ctx, `SELECT member_id, path, status, valid_from, valid_to FROM roster WHERE member_id IN (`+ph+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			var r keptRosterRow
			if err := rows.Scan(&id, &r.path, &r.status, &r.from, &r.to); err != nil {
				return err
			}
			out[id] = append(out[id], r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: kept: roster: %w", err)
	}
	return out, nil
}

// keptRecordsOf reads the dues records of the members ids through q, with their roster rows.
func keptRecordsOf(ctx context.Context, q queryer, ids []string, roster keptRoster) (map[string]*keptRecords, error) {
	out := make(map[string]*keptRecords, len(ids))
	rec := func(id string) *keptRecords {
		r := out[id]
		if r == nil {
			r = &keptRecords{}
			out[id] = r
		}
		return r
	}
	for _, id := range ids {
		for _, x := range roster[id] {
			r := rec(id)
			r.ivs = append(r.ivs, keptIv{x.path, isoInt(x.from), isoInt(x.to)})
		}
	}
	err := inChunks(ids, func(ph string, args []any) error {
		rows, err := q.QueryContext(ctx, `SELECT id, member_id, valid_from, grp, amount, note FROM dues_bases WHERE member_id IN (`+ph+`) ORDER BY member_id, valid_from`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var b dangvu.DuesBasis
			var g string
			if err := rows.Scan(&b.ID, &b.Member, &b.From, &g, &b.Amount, &b.Note); err != nil {
				rows.Close()
				return err
			}
			b.Group = dangvu.DuesGroup(g)
			r := rec(b.Member)
			r.bases = append(r.bases, b)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = q.QueryContext(ctx, `SELECT id, member_id, kind, pct, valid_from, valid_to FROM dues_exemptions WHERE member_id IN (`+ph+`) ORDER BY member_id, valid_from, id`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var e dangvu.DuesExemption
			var kind string
			if err := rows.Scan(&e.ID, &e.Member, &kind, &e.Pct, &e.From, &e.To); err != nil {
				rows.Close()
				return err
			}
			e.Kind = dangvu.DuesReliefKind(kind)
			r := rec(e.Member)
			r.ex = append(r.ex, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = q.QueryContext(ctx, `SELECT member_id, month, amount FROM dues_payments WHERE member_id IN (`+ph+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p duesAmt
			var month string
			if err := rows.Scan(&p.member, &month, &p.amount); err != nil {
				return err
			}
			mo, err := dangvu.ParseMonth(month)
			if err != nil {
				return fmt.Errorf("payment of %s: %w", p.member, err)
			}
			p.month = int(monIndex(mo))
			r := rec(p.member)
			r.pays = append(r.pays, p)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: dues kept: %w", err)
	}
	return out, nil
}

// keptMembers adds the rows of the members ids, read through q, to a with sign.
func (k *duesKeeper) keptMembers(ctx context.Context, q queryer, ids []string, sign int64, a *keptAcc) error {
	roster, err := rosterOf(ctx, q, ids)
	if err != nil {
		return err
	}
	recs, err := keptRecordsOf(ctx, q, ids, roster)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if r := recs[id]; r != nil {
			k.member(r, sign, a)
		}
	}
	return nil
}

// duesFingerprint is that of the dues rules loaded, "" when the arrears threshold changes
// between sets (the kept arrears assume one).
func duesFingerprint() string {
	fp, one := dues.Fingerprint()
	if !one {
		return ""
	}
	return fp
}

// duesMinHorizon is the least horizon Migrate accepts: a year from now.
func duesMinHorizon() int32 { return monIndex(dangvu.MonthOf(time.Now())) + 12 }

// keepDues runs write, which changes the roster rows or dues records of the members, and changes
// dues_kept by the difference of their rows, in q's transaction. Under other rules than the
// table's it marks the table stale instead (Migrate rebuilds it; the reports walk until then).
func (s *Store) keepDues(ctx context.Context, q queryer, members []string, write func() error) error {
	return keepUnder(ctx, q, "dues", duesFingerprint(), write, func(st keptState) error {
		k, a := newDuesKeeper(st.horizon), newKeptAcc(st.horizon)
		if err := k.keptMembers(ctx, q, members, -1, a); err != nil {
			return err
		}
		if err := write(); err != nil {
			return err
		}
		if err := k.keptMembers(ctx, q, members, 1, a); err != nil {
			return err
		}
		return applyDuesKept(ctx, q, a.deltas())
	})
}

// applyDuesKept adds d to dues_kept, dropping the rows that come to nothing.
func applyDuesKept(ctx context.Context, q queryer, d duesKeptDeltas) error {
	for k, v := range d {
		if _, err := q.ExecContext(ctx, `INSERT INTO dues_kept (path, fig, mon, since, prev, members, amount) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (path, fig, mon, since, prev) DO UPDATE SET members = dues_kept.members + excluded.members, amount = dues_kept.amount + excluded.amount`,
			k.path, k.fig, k.mon, k.since, k.prev, v.members, v.amount); err != nil {
			return fmt.Errorf("store: dues kept: %w", err)
		}
		if v.members < 0 || v.amount < 0 {
			if _, err := q.ExecContext(ctx, `DELETE FROM dues_kept WHERE path = ? AND fig = ? AND mon = ? AND since = ? AND prev = ? AND members = 0 AND amount = 0`,
				k.path, k.fig, k.mon, k.since, k.prev); err != nil {
				return fmt.Errorf("store: dues kept: %w", err)
			}
		}
	}
	return nil
}

// duesKeptHorizon is the last month kept: December two years after the later of this year and
// the latest month any dues record names, so that a term's report running into the years ahead
// is still read from the table.
func duesKeptHorizon(ctx context.Context, q queryer) (int32, error) {
	y := time.Now().Year()
	var last sql.NullString
	if err := q.QueryRowContext(ctx, `SELECT MAX(month) FROM dues_payments`).Scan(&last); err != nil {
		return 0, fmt.Errorf("store: dues kept: %w", err)
	}
	if m, err := dangvu.ParseMonth(last.String); last.Valid && err == nil && m.Year > y {
		y = m.Year
	}
	for _, t := range []string{"dues_bases", "dues_exemptions"} {
		var d sql.NullString
		if err := q.QueryRowContext(ctx, `SELECT MAX(valid_from) FROM `+t).Scan(&d); err != nil {
			return 0, fmt.Errorf("store: dues kept: %w", err)
		}
		if t, err := dangvu.ParseISODate(d.String); d.Valid && err == nil && t.Year() > y {
			y = t.Year()
		}
	}
	return monIndex(dangvu.Month{Year: y + 2, Mon: time.December}), nil
}

// keptBatch is how many members a rebuild of the kept tables reads at a time.
const keptBatch = 1000

// writeDuesKept replaces dues_kept's rows with d, computed under the rules loaded up to horizon.
func writeDuesKept(ctx context.Context, q queryer, d duesKeptDeltas, horizon int32) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM dues_kept`); err != nil {
		return fmt.Errorf("store: dues kept: %w", err)
	}
	keys := make([]keptKey, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b keptKey) int {
		return cmpKeys(a, b)
	})
	const batch = 200
	for i := 0; i < len(keys); i += batch {
		part := keys[i:min(i+batch, len(keys))]
		args := make([]any, 0, 7*len(part))
		for _, k := range part {
			v := d[k]
			args = append(args, k.path, k.fig, k.mon, k.since, k.prev, v.members, v.amount)
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO dues_kept (path, fig, mon, since, prev, members, amount) VALUES `+
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?),", len(part)), ","), args...); err != nil {
			return fmt.Errorf("store: dues kept: %w", err)
		}
	}
	return writeKeptState(ctx, q, "dues", duesFingerprint(), horizon)
}

func cmpKeys(a, b keptKey) int {
	if c := strings.Compare(a.path, b.path); c != 0 {
		return c
	}
	for _, x := range [][2]int32{{int32(a.fig), int32(b.fig)}, {a.mon, b.mon}, {a.since, b.since}, {a.prev, b.prev}} {
		if x[0] != x[1] {
			return int(x[0] - x[1])
		}
	}
	return 0
}

// computeDuesKept computes every member's rows up to horizon, reading through q a batch of
// members at a time in id order.
func (s *Store) computeDuesKept(ctx context.Context, q queryer, horizon int32) (duesKeptDeltas, error) {
	k, a := newDuesKeeper(horizon), newKeptAcc(horizon)
	err := eachMemberBatch(ctx, q, func(ids []string) error { return k.keptMembers(ctx, q, ids, 1, a) })
	if err != nil {
		return nil, err
	}
	return a.deltas(), nil
}

// eachMemberBatch hands every member id to each, a batch of keptBatch at a time in id order.
func eachMemberBatch(ctx context.Context, q queryer, each func(ids []string) error) error {
	after := ""
	for {
		ids, err := column(ctx, q, `SELECT id FROM members WHERE id > ? ORDER BY id LIMIT ?`, after, keptBatch)
		if err != nil {
			return fmt.Errorf("store: kept: %w", err)
		}
		if len(ids) == 0 {
			return nil
		}
		if err := each(ids); err != nil {
			return err
		}
		after = ids[len(ids)-1]
	}
}

// duesKeptFigures answers the report's dues counts and sums from dues_kept: ok is false when the
// table cannot answer (the organisation is not a kept path over the whole period, the period
// runs past the horizon, the table is stale or under other rules), and the caller walks.
func (s *Store) duesKeptFigures(ctx context.Context, rc *reportCtx) (st *duesStats, ok bool, err error) {
	fromM, toM := rc.duesMonths()
	segs, err := s.duesSegments(ctx, rc.org.ID, dangvu.ISO(fromM.First()), dangvu.ISO(toM.Last().AddDate(0, 0, 1)))
	if err != nil {
		return nil, false, err
	}
	if len(segs) != 1 || pathDepth(segs[0].path) > countDepth {
		return nil, false, nil
	}
	state, err := readKeptState(ctx, s.read, "dues")
	if err != nil || !state.current(duesFingerprint()) || monIndex(toM) > state.horizon {
		return nil, false, err
	}
	f, t := monIndex(fromM), monIndex(toM)
	// The arrears count the months over by the day after the period's end (duesWalk).
	tArr := monIndex(dangvu.MonthOf(rc.q.To.AddDate(0, 0, 1))) - 1
	rows, err := s.read.QueryContext(ctx, `SELECT fig, SUM(members), SUM(amount) FROM dues_kept
		WHERE path = ? AND (fig = ? AND mon <= ? OR fig <> ? AND mon <= ?) AND since >= ? AND prev < ? GROUP BY fig`,
		segs[0].path, keptArrears, min(tArr, t), keptArrears, t, f, f)
	if err != nil {
		return nil, false, fmt.Errorf("store: dues kept: %w", err)
	}
	defer rows.Close()
	n := map[int]int64{}
	var owed, paid int64
	for rows.Next() {
		var fig int
		var members, amount int64
		if err := rows.Scan(&fig, &members, &amount); err != nil {
			return nil, false, fmt.Errorf("store: dues kept: %w", err)
		}
		n[fig] = members
		switch fig {
		case keptOwed:
			owed = amount
		case keptPaid:
			paid = amount
		}
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("store: dues kept: %w", err)
	}
	st = &duesStats{owed: owed, paid: paid, counts: map[string]int{
		"dues_members_liable":        int(n[keptLiable]),
		"dues_members_paid_all":      int(n[keptLiable] - n[keptUnpaid]),
		"dues_members_in_arrears_3m": int(n[keptArrears]),
		"dues_members_exempt":        int(n[keptExempt]),
	}}
	return st, true, nil
}

// DuesKeptAgree recomputes dues_kept from the records and compares it with the rows kept (for
// the conformance suite): the differences, nil when they agree or the table is not kept.
func (s *Store) DuesKeptAgree(ctx context.Context) ([]string, error) {
	st, err := readKeptState(ctx, s.read, "dues")
	if err != nil || !st.current(duesFingerprint()) {
		return nil, err
	}
	want, err := s.computeDuesKept(ctx, s.read, st.horizon)
	if err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT path, fig, mon, since, prev, members, amount FROM dues_kept`)
	if err != nil {
		return nil, fmt.Errorf("store: dues kept: %w", err)
	}
	defer rows.Close()
	var diffs []string
	for rows.Next() {
		var k keptKey
		var v keptVal
		if err := rows.Scan(&k.path, &k.fig, &k.mon, &k.since, &k.prev, &v.members, &v.amount); err != nil {
			return nil, fmt.Errorf("store: dues kept: %w", err)
		}
		if w := want[k]; w != v {
			diffs = append(diffs, fmt.Sprintf("%s fig %d %s since %d prev %d: kept %+v, records %+v", k.path, k.fig, monOf(k.mon), k.since, k.prev, v, w))
		}
		delete(want, k)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for k, w := range want {
		diffs = append(diffs, fmt.Sprintf("%s fig %d %s since %d prev %d: kept nothing, records %+v", k.path, k.fig, monOf(k.mon), k.since, k.prev, w))
	}
	slices.Sort(diffs)
	return diffs, nil
}
