package store

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"

	"dangvu"
	"dangvu/internal/rules/dues"
)

// The report's dues figures walk the subtree's members in id order, a batch at a time, and
// compute each member's months from that member's records alone: the ledger (dues.go) keeps a
// line per member and month of a whole subtree in memory, which for a country over a term is
// some 190 million lines; the walk keeps the subtree's roster intervals (a few compact words
// each) and one batch's records.

// duesWalkBatch is how many members' records one batch reads: three indexed reads per batch.
var duesWalkBatch = 1000

// duesIv is one roster interval of a member within the organisation's subtree and the period,
// dates as yyyymmdd integers (the order of the ISO text).
type duesIv struct {
	member   string
	org      int32 // index into duesWalk.orgs
	from, to int32
}

// duesAmt is one payment of a batch: what the figures need of it.
type duesAmt struct {
	member string
	month  int // index into the period's months
	amount int64
}

// isoInt reads an ISO date ("2006-01-02") as yyyymmdd; 0 for anything else.
func isoInt(s string) int32 {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0
	}
	var n int32
	for i := 0; i < 10; i++ {
		if i == 4 || i == 7 {
			continue
		}
		c := s[i]
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int32(c-'0')
	}
	return n
}

// duesWalk computes the dues figures of every member of rc's subtree over the report's months
// and hands each to each, in member id order.
func (s *Store) duesWalk(ctx context.Context, rc *reportCtx, each func(*duesMember)) error {
	fromM, toM := rc.duesMonths()
	months := monthsBetween(fromM, toM)
	start, end := dangvu.ISO(fromM.First()), dangvu.ISO(toM.Last().AddDate(0, 0, 1))
	starts := make([]int32, len(months)+1)
	for i, mo := range months {
		starts[i], starts[i+1] = isoInt(dangvu.ISO(mo.First())), isoInt(dangvu.ISO(mo.Last().AddDate(0, 0, 1)))
	}
	segs, err := s.duesSegments(ctx, rc.org.ID, start, end)
	if err != nil {
		return err
	}
	var orgs []string
	orgIdx := map[string]int32{}
	var ivs []duesIv
	for _, sg := range segs {
		lo, hi := subtreeRange(sg.path)
		f, t := max(sg.from, start), min(sg.to, end)
		fi, ti := isoInt(f), isoInt(t)
		rows, err := s.read.QueryContext(ctx, `SELECT r.member_id, r.org_id, r.valid_from, r.valid_to FROM roster r
			WHERE r.path >= ? AND r.path < ? AND r.valid_from < ? AND r.valid_to > ?`, lo, hi, t, f)
		if err != nil {
			return fmt.Errorf("store: dues: %w", err)
		}
		for rows.Next() {
			var m, o, rf, rt string
			if err := rows.Scan(&m, &o, &rf, &rt); err != nil {
				rows.Close()
				return fmt.Errorf("store: dues: %w", err)
			}
			oi, ok := orgIdx[o]
			if !ok {
				oi = int32(len(orgs))
				orgIdx[o] = oi
				orgs = append(orgs, o)
			}
			ivs = append(ivs, duesIv{m, oi, max(isoInt(rf), fi), min(isoInt(rt), ti)})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: dues: %w", err)
		}
	}
	slices.SortFunc(ivs, func(a, b duesIv) int {
		if c := strings.Compare(a.member, b.member); c != 0 {
			return c
		}
		return int(a.from - b.from)
	})
	// The arrears count the months over by the day after the period's end.
	now := dangvu.MonthOf(rc.q.To.AddDate(0, 0, 1))
	sets := make([]dues.Set, len(months))
	for i, mo := range months {
		sets[i] = dues.ForMonth(mo)
	}
	// The batches: up to duesWalkBatch members each, as [lo, hi) ranges of ivs.
	var cuts []int
	for lo := 0; lo < len(ivs); {
		hi, n := lo, 0
		for hi < len(ivs) && (n < duesWalkBatch || ivs[hi].member == ivs[hi-1].member) {
			if hi == lo || ivs[hi].member != ivs[hi-1].member {
				n++
			}
			hi++
		}
		cuts = append(cuts, lo)
		lo = hi
	}
	cuts = append(cuts, len(ivs))
	// Two workers read and compute batches side by side (the reads are CPU work in the driver
	// too); each holds one connection at a time, so the walk never waits for a connection while
	// holding one. The members reach each in batch order, as computed.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	nb := len(cuts) - 1
	slots := make([]chan duesBatchResult, nb)
	for i := range slots {
		slots[i] = make(chan duesBatchResult, 1)
	}
	next := make(chan int)
	go func() {
		defer close(next)
		for i := 0; i < nb; i++ {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	for range min(2, runtime.GOMAXPROCS(0), max(nb, 1)) {
		go func() {
			w := &duesMemberWalk{months: months, starts: starts, orgs: orgs, now: now, sets: sets,
				owed: make([]int64, len(months)), paid: make([]int64, len(months)), cell: make([]int32, len(months))}
			for bi := range next {
				slots[bi] <- w.batch(ctx, s, ivs[cuts[bi]:cuts[bi+1]], start)
			}
		}()
	}
	for i := 0; i < nb; i++ {
		var r duesBatchResult
		select {
		case r = <-slots[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
		if r.err != nil {
			return r.err
		}
		for j := range r.members {
			each(&r.members[j])
		}
	}
	return nil
}

// duesBatchResult is one batch's members, or why they could not be computed.
type duesBatchResult struct {
	members []duesMember
	err     error
}

// batch computes the members of one batch of intervals (sorted by member and start).
func (w *duesMemberWalk) batch(ctx context.Context, s *Store, ivs []duesIv, since string) (out duesBatchResult) {
	var ids []string
	for i, x := range ivs {
		if i == 0 || x.member != ivs[i-1].member {
			ids = append(ids, x.member)
		}
	}
	b, err := s.duesBatch(ctx, ids, w.months, since)
	if err != nil {
		out.err = err
		return out
	}
	for i := 0; i < len(ivs); {
		j := i
		for j < len(ivs) && ivs[j].member == ivs[i].member {
			j++
		}
		m := ivs[i].member
		out.members = append(out.members, w.member(m, ivs[i:j], b.bases[m], b.exempt[m], b.pays[m]))
		i = j
	}
	return out
}

// duesBatchRecords are one batch's bases, exemptions and payments, by member.
type duesBatchRecords struct {
	bases  map[string][]dangvu.DuesBasis
	exempt map[string][]dangvu.DuesExemption
	pays   map[string][]duesAmt
}

// duesBatch reads the records of the members ids over the months: the bases that can apply from
// the day since, the exemptions, and the payments' months and amounts.
func (s *Store) duesBatch(ctx context.Context, ids []string, months []dangvu.Month, since string) (*duesBatchRecords, error) {
	l := &duesLedger{bases: map[string][]dangvu.DuesBasis{}, exempt: map[string][]dangvu.DuesExemption{}}
	ph := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	args := make([]any, len(ids), len(ids)+2)
	for i, id := range ids {
		args[i] = id
	}
	if err := s.duesRecordsSince(ctx, l, ph, args, since); err != nil {
		return nil, err
	}
	b := &duesBatchRecords{bases: l.bases, exempt: l.exempt, pays: make(map[string][]duesAmt, len(ids))}
	first := months[0]
	rows, err := s.read.QueryContext(ctx, `SELECT p.member_id, p.month, p.amount FROM dues_payments p
		WHERE p.member_id IN (`+ph+`) AND p.month >= ? AND p.month <= ?`, append(args, first.String(), months[len(months)-1].String())...)
	if err != nil {
		return nil, fmt.Errorf("store: dues: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p duesAmt
		var month string
		if err := rows.Scan(&p.member, &month, &p.amount); err != nil {
			return nil, fmt.Errorf("store: dues: %w", err)
		}
		mo, err := dangvu.ParseMonth(month)
		if err != nil {
			return nil, fmt.Errorf("store: dues: payment of %s: %w", p.member, err)
		}
		p.month = (mo.Year-first.Year)*12 + int(mo.Mon) - int(first.Mon)
		b.pays[p.member] = append(b.pays[p.member], p)
	}
	return b, rows.Err()
}

// duesMemberWalk holds the period and the scratch months reused member after member.
type duesMemberWalk struct {
	months     []dangvu.Month
	starts     []int32 // the months' first days, and the day after the last
	orgs       []string
	now        dangvu.Month
	sets       []dues.Set // each month's rule set
	owed, paid []int64
	cell       []int32
}

// member computes one member's figures from their intervals (sorted by start), records and
// payments, as the ledger does: in a month the member belongs to the cell of the latest interval
// touching it; owes under that month's rules; pays what the month's payment says.
func (w *duesMemberWalk) member(id string, ivs []duesIv, bases []dangvu.DuesBasis, ex []dangvu.DuesExemption, pays []duesAmt) duesMember {
	dm := duesMember{id: id, paidAll: true}
	clear(w.paid)
	for _, p := range pays {
		if p.month >= 0 && p.month < len(w.paid) {
			w.paid[p.month] = p.amount
		}
	}
	last := int32(-1)
	for i, mo := range w.months {
		ms, me := w.starts[i], w.starts[i+1]
		c := int32(-1)
		for _, x := range ivs {
			if x.from < me && x.to > ms {
				c = x.org
			}
		}
		w.cell[i], w.owed[i] = c, 0
		if c < 0 {
			continue
		}
		last = c
		o, _, _ := dues.OwedUnder(w.sets[i], mo, bases, ex)
		w.owed[i] = o.Owed
		if o.Owed > 0 {
			dm.owedMonths++
			dm.owed += o.Owed
			if w.paid[i] < o.Owed {
				dm.paidAll = false
			}
		}
		dm.paid += w.paid[i]
		if pct, _ := dues.Relief(ex, mo); pct >= 100 {
			dm.exempt = true
		}
	}
	if last >= 0 {
		dm.cell = w.orgs[last]
	}
	dm.exemptions = ex
	dm.arrears = w.arrears()
	return dm
}

// arrears returns the longest run of months, within one calendar year, owed and not paid in
// full, when it reaches the rules' threshold (dues.InArrears); the months over by w.now only.
func (w *duesMemberWalk) arrears() []dangvu.Month {
	short := false
	for i := range w.months {
		if w.cell[i] >= 0 && w.owed[i] > 0 && w.paid[i] < w.owed[i] && w.months[i].Before(w.now) {
			short = true
			break
		}
	}
	if !short {
		return nil
	}
	var best []dangvu.Month
	for i := 0; i < len(w.months); {
		y := w.months[i].Year
		var a []dangvu.Month
		for ; i < len(w.months) && w.months[i].Year == y; i++ {
			if w.cell[i] >= 0 && w.owed[i] > 0 && w.paid[i] < w.owed[i] && w.months[i].Before(w.now) {
				a = append(a, w.months[i])
			}
		}
		if dues.InArrears(a) && len(a) > len(best) {
			best = a
		}
	}
	return best
}
