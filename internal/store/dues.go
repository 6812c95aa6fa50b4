package store

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/rules/dues"
	"dangvu/internal/vn"
)

// Party dues (issue 17, docs/dues.md): the ledger computed from the records — for every member
// and month, the cell the member belonged to (the last official membership of the month within
// the organisation asked about), the basis and exemptions in force, what is owed under the
// month's rule set and what was paid — and the writes that keep it: bases, exemptions, payments
// taken by a cell, remittances and hand-overs, each in a transaction with an audit entry.

// duesMemberMonth is one member's line for one month.
type duesMemberMonth struct {
	member, cell string
	month        dangvu.Month
	in           bool // the member belonged to cell (in the organisation asked about) that month
	hasBasis     bool
	basis        dangvu.DuesBasis
	owing        dues.Owing
	problem      string // why nothing can be computed ("chưa có căn cứ")
	pay          *dangvu.DuesPayment
}

// duesLedger is the ledger of a subtree over a range of months.
type duesLedger struct {
	months  []dangvu.Month
	lines   map[string][]*duesMemberMonth // by member, in month order
	members []string                      // in name order when the names were asked for, else by id
	names   map[string]string
	bases   map[string][]dangvu.DuesBasis
	exempt  map[string][]dangvu.DuesExemption
	pays    map[string]map[dangvu.Month]*dangvu.DuesPayment
}

func monthsBetween(from, to dangvu.Month) []dangvu.Month {
	var out []dangvu.Month
	for m := from; !to.Before(m); m = m.Next() {
		out = append(out, m)
	}
	return out
}

// ledgerOpts says what a ledger is computed for.
type ledgerOpts struct {
	cellOnly  bool // only org itself, not its subtree (a cell's book)
	strangers bool // also the payments taken by the organisations from members not on their roster that month (so that a book adds up to its payments)
	names     bool // the members' names, and the members in name order (lists); otherwise in id order
	noPays    bool // no payments: the amounts owed only (the arrears read the payments of the few that may be behind: duesArrears)
	lean      bool // payments' amounts only, without id, day, channel, reference and note (report figures, summaries)
}

// duesLedger computes the dues ledger of the members who belonged to org's subtree (only org
// itself when cellOnly) in the months from..to. The path range is org's path on the last day of
// the range (an organisation that moved keeps its id). The work is a few indexed range reads
// (the subtree's roster, its members' bases, exemptions and payments of the months) and one pass
// over member × month in memory; names are read and sorted only when asked for.
func (s *Store) duesLedger(ctx context.Context, org dangvu.Org, o ledgerOpts, from, to dangvu.Month) (*duesLedger, error) {
	l := &duesLedger{months: monthsBetween(from, to), lines: map[string][]*duesMemberMonth{}, names: map[string]string{},
		bases: map[string][]dangvu.DuesBasis{}, exempt: map[string][]dangvu.DuesExemption{}, pays: map[string]map[dangvu.Month]*dangvu.DuesPayment{}}
	start, end := dangvu.ISO(from.First()), dangvu.ISO(to.Last().AddDate(0, 0, 1))
	// The organisation's subtree over each stretch of its path within the range: a member counts
	// under it on a day when their roster row's path lies under the organisation's path that day.
	segs, err := s.duesSegments(ctx, org.ID, start, end)
	if err != nil {
		return nil, err
	}
	type iv struct{ org, from, to string }
	ivs := map[string][]iv{}
	var memberParts []string
	var args []any
	for _, sg := range segs {
		lo, hi := subtreeRange(sg.path)
		f, t := max(sg.from, start), min(sg.to, end)
		where, a := `r.path >= ? AND r.path < ?`, []any{lo, hi}
		if o.cellOnly {
			// The cell's own rows lie at its path exactly: the path index finds them (by org_id
			// alone SQLite would walk the date index over every roster row of the range).
			where, a = `r.path = ? AND r.org_id = ?`, []any{sg.path, org.ID}
		}
		a = append(a, t, f)
		memberParts = append(memberParts, `SELECT r.member_id FROM roster r WHERE `+where+` AND r.valid_from < ? AND r.valid_to > ?`)
		args = append(args, a...)
		rows, err := s.read.QueryContext(ctx, `SELECT r.member_id, r.org_id, r.valid_from, r.valid_to FROM roster r
			WHERE `+where+` AND r.valid_from < ? AND r.valid_to > ?`, a...)
		if err != nil {
			return nil, fmt.Errorf("store: dues: %w", err)
		}
		for rows.Next() {
			var m, o, rf, rt string
			if err := rows.Scan(&m, &o, &rf, &rt); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: dues: %w", err)
			}
			ivs[m] = append(ivs[m], iv{o, max(rf, f), min(rt, t)})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: dues: %w", err)
		}
	}
	for _, x := range ivs {
		slices.SortFunc(x, func(a, b iv) int { return strings.Compare(a.from, b.from) })
	}
	members := `SELECT '' WHERE 1 = 0`
	if len(memberParts) > 0 {
		members = strings.Join(memberParts, " UNION ")
	}
	ids := make([]string, 0, len(ivs))
	for m := range ivs {
		ids = append(ids, m)
	}
	if err := s.duesRecordsOf(ctx, l, ids, start); err != nil {
		return nil, err
	}
	// The payments of the months by the subtree's members (to whichever organisation), and with
	// strangers those the subtree's organisations took from anyone: two indexed reads.
	if len(ivs) > 0 && !o.noPays {
		if err := s.duesPaymentsInto(ctx, l, o.lean, `p.month >= ? AND p.month <= ? AND p.member_id IN (`+members+`)`, append([]any{from.String(), to.String()}, args...)...); err != nil {
			return nil, err
		}
	}
	if o.strangers && !o.noPays {
		w, pargs := `p.org_id = ?`, []any{org.ID}
		if !o.cellOnly {
			var ors []string
			pargs = nil
			for _, sg := range segs {
				lo, hi := subtreeRange(sg.path)
				ors = append(ors, `(o.path >= ? AND o.path < ?)`)
				pargs = append(pargs, lo, hi)
			}
			w = `p.org_id IN (SELECT o.org_id FROM org_paths o WHERE ` + strings.Join(append(ors, "1 = 0"), " OR ") + `)`
		}
		if err := s.duesPaymentsInto(ctx, l, o.lean, w+` AND p.month >= ? AND p.month <= ?`, append(pargs, from.String(), to.String())...); err != nil {
			return nil, err
		}
	}
	for m := range ivs {
		l.members = append(l.members, m)
	}
	for m := range l.pays {
		if _, ok := ivs[m]; !ok {
			l.members = append(l.members, m)
		}
	}
	if o.names {
		if err := s.duesNames(ctx, l.names, l.members, true); err != nil {
			return nil, err
		}
	} else {
		slices.Sort(l.members)
	}
	starts := make([]string, len(l.months)+1)
	for i, mo := range l.months {
		starts[i], starts[i+1] = dangvu.ISO(mo.First()), dangvu.ISO(mo.Last().AddDate(0, 0, 1))
	}
	for _, m := range l.members {
		for i, mo := range l.months {
			ms, me := starts[i], starts[i+1]
			cell := ""
			for _, x := range ivs[m] {
				if x.from < me && x.to > ms {
					cell = x.org // the latest interval of the month
				}
			}
			pay := l.pays[m][mo]
			if cell == "" && pay == nil {
				continue
			}
			line := &duesMemberMonth{member: m, cell: cell, month: mo, pay: pay, in: cell != ""}
			if line.in {
				o, ok, v := dues.Owed(mo, l.bases[m], l.exempt[m])
				line.owing, line.hasBasis = o, ok
				line.basis, _ = dues.BasisFor(l.bases[m], mo)
				switch {
				case v != nil:
					line.problem = v.String()
				case !ok:
					// A member exempt that month owes nothing, basis or not.
					if pct, _ := dues.Relief(l.exempt[m], mo); pct >= 100 {
						line.owing.Pct = 100
					} else {
						line.problem = "chưa có căn cứ đóng đảng phí"
					}
				}
			} else {
				line.cell = pay.Org
				line.problem = "không sinh hoạt tại tổ chức này trong tháng"
			}
			l.lines[m] = append(l.lines[m], line)
		}
	}
	return l, nil
}

// duesNames reads the names of the members into names and, with sorted, sorts ids in the
// Vietnamese name order (the stored name key, then the id), in batches of ids.
func (s *Store) duesNames(ctx context.Context, names map[string]string, ids []string, sorted bool) error {
	keys := make(map[string][]byte, len(ids))
	for i := 0; i < len(ids); i += 500 {
		batch := ids[i:min(i+500, len(ids))]
		args := make([]any, len(batch))
		for j, id := range batch {
			args[j] = id
		}
		rows, err := s.read.QueryContext(ctx, `SELECT id, full_name, name_key FROM members WHERE id IN (`+strings.TrimSuffix(strings.Repeat("?,", len(batch)), ",")+`)`, args...)
		if err != nil {
			return fmt.Errorf("store: dues: %w", err)
		}
		for rows.Next() {
			var id, name string
			var key []byte
			if err := rows.Scan(&id, &name, &key); err != nil {
				rows.Close()
				return fmt.Errorf("store: dues: %w", err)
			}
			names[id], keys[id] = name, key
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: dues: %w", err)
		}
	}
	if sorted {
		slices.SortFunc(ids, func(a, b string) int {
			if c := bytes.Compare(keys[a], keys[b]); c != 0 {
				return c
			}
			return strings.Compare(a, b)
		})
	}
	return nil
}

// duesRecordsOf loads the bases and exemptions of the members, in batches of ids: of the bases,
// those that can apply from the day since (the last one before it and the later ones).
func (s *Store) duesRecordsOf(ctx context.Context, l *duesLedger, ids []string, since string) error {
	for i := 0; i < len(ids); i += 500 {
		batch := ids[i:min(i+500, len(ids))]
		args := make([]any, len(batch))
		for j, id := range batch {
			args[j] = id
		}
		if err := s.duesRecordsSince(ctx, l, strings.TrimSuffix(strings.Repeat("?,", len(batch)), ","), args, since); err != nil {
			return err
		}
	}
	return nil
}

// duesRecords loads the bases and exemptions of the members the subquery (or list) selects.
func (s *Store) duesRecords(ctx context.Context, l *duesLedger, members string, args []any) error {
	return s.duesRecordsSince(ctx, l, members, args, "")
}

// duesRecordsSince is duesRecords with only the bases that can apply from the day since on.
func (s *Store) duesRecordsSince(ctx context.Context, l *duesLedger, members string, args []any, since string) error {
	q := `SELECT id, member_id, valid_from, grp, amount, note FROM dues_bases WHERE member_id IN (` + members + `) ORDER BY member_id, valid_from`
	if since != "" {
		q = `SELECT b.id, b.member_id, b.valid_from, b.grp, b.amount, b.note FROM dues_bases b WHERE b.member_id IN (` + members + `)
			AND b.valid_from >= COALESCE((SELECT MAX(p.valid_from) FROM dues_bases p WHERE p.member_id = b.member_id AND p.valid_from <= ?), '')
			ORDER BY b.member_id, b.valid_from`
	}
	bargs := args
	if since != "" {
		bargs = append(append([]any(nil), args...), since)
	}
	rows, err := s.read.QueryContext(ctx, q, bargs...)
	if err != nil {
		return fmt.Errorf("store: dues: %w", err)
	}
	for rows.Next() {
		var b dangvu.DuesBasis
		var g string
		if err := rows.Scan(&b.ID, &b.Member, &b.From, &g, &b.Amount, &b.Note); err != nil {
			rows.Close()
			return fmt.Errorf("store: dues: %w", err)
		}
		b.Group = dangvu.DuesGroup(g)
		l.bases[b.Member] = append(l.bases[b.Member], b)
	}
	rows.Close()
	ex, err := s.duesExemptionsWhere(ctx, `member_id IN (`+members+`)`, args...)
	if err != nil {
		return err
	}
	for _, e := range ex {
		l.exempt[e.Member] = append(l.exempt[e.Member], e)
	}
	return nil
}

func (s *Store) duesExemptionsWhere(ctx context.Context, where string, args ...any) ([]dangvu.DuesExemption, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, member_id, kind, pct, valid_from, valid_to, decision, decided_by, note FROM dues_exemptions WHERE `+where+` ORDER BY member_id, valid_from, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: dues: %w", err)
	}
	defer rows.Close()
	var out []dangvu.DuesExemption
	for rows.Next() {
		var e dangvu.DuesExemption
		var kind string
		if err := rows.Scan(&e.ID, &e.Member, &kind, &e.Pct, &e.From, &e.To, &e.Decision, &e.DecidedBy, &e.Note); err != nil {
			return nil, fmt.Errorf("store: dues: %w", err)
		}
		e.Kind = dangvu.DuesReliefKind(kind)
		out = append(out, e)
	}
	return out, rows.Err()
}

func (s *Store) duesPaymentsInto(ctx context.Context, l *duesLedger, lean bool, where string, args ...any) error {
	var ps []dangvu.DuesPayment
	var err error
	if lean {
		ps, err = s.duesAmountsWhere(ctx, where, args...)
	} else {
		ps, err = s.duesPaymentsWhere(ctx, where, args...)
	}
	if err != nil {
		return err
	}
	for i := range ps {
		p := &ps[i]
		if l.pays[p.Member] == nil {
			l.pays[p.Member] = map[dangvu.Month]*dangvu.DuesPayment{}
		}
		l.pays[p.Member][p.Month] = p
	}
	return nil
}

func (s *Store) duesPaymentsWhere(ctx context.Context, where string, args ...any) ([]dangvu.DuesPayment, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT p.id, p.member_id, p.org_id, p.month, p.amount, p.voluntary, p.paid_on, p.channel, p.reference, p.note
		FROM dues_payments p WHERE `+where+` ORDER BY p.member_id, p.month`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: dues: %w", err)
	}
	defer rows.Close()
	var out []dangvu.DuesPayment
	for rows.Next() {
		var p dangvu.DuesPayment
		var month string
		if err := rows.Scan(&p.ID, &p.Member, &p.Org, &month, &p.Amount, &p.Voluntary, &p.Paid, &p.Channel, &p.Reference, &p.Note); err != nil {
			return nil, fmt.Errorf("store: dues: %w", err)
		}
		p.Month, _ = dangvu.ParseMonth(month)
		out = append(out, p)
	}
	return out, rows.Err()
}

// duesAmountsWhere is duesPaymentsWhere with the member, organisation, month and amounts only:
// the figures over a province's years read tens of thousands of payments and need no more.
func (s *Store) duesAmountsWhere(ctx context.Context, where string, args ...any) ([]dangvu.DuesPayment, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT p.member_id, p.org_id, p.month, p.amount, p.voluntary
		FROM dues_payments p WHERE `+where+` ORDER BY p.member_id, p.month`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: dues: %w", err)
	}
	defer rows.Close()
	var out []dangvu.DuesPayment
	var month, last string
	var m dangvu.Month
	for rows.Next() {
		var p dangvu.DuesPayment
		if err := rows.Scan(&p.Member, &p.Org, &month, &p.Amount, &p.Voluntary); err != nil {
			return nil, fmt.Errorf("store: dues: %w", err)
		}
		if month != last { // rows come by member and month: most months repeat the previous one's parse
			m, _ = dangvu.ParseMonth(month)
			last = month
		}
		p.Month = m
		out = append(out, p)
	}
	return out, rows.Err()
}

// DuesBook returns the book of org (a cell) for month m.
func (s *Store) DuesBook(ctx context.Context, orgID string, m dangvu.Month) (*dangvu.DuesBook, error) {
	org, err := s.Org(ctx, orgID, m.Last())
	if err != nil {
		if org, err = s.ResolveOrg(ctx, orgID, m.First()); err != nil {
			return nil, err
		}
	}
	l, err := s.duesLedger(ctx, org, ledgerOpts{cellOnly: true, strangers: true, names: true}, dangvu.Month{Year: m.Year, Mon: time.January}, m)
	if err != nil {
		return nil, err
	}
	set := dues.ForMonth(m)
	b := &dangvu.DuesBook{Org: org, Month: m.String(), Set: set.Name, Lines: []dangvu.DuesBookLine{}}
	b.KeepPct, b.KeepCite = set.KeepPct(org.Level, org.Kind)
	owed, paid := map[dangvu.Month]int64{}, map[dangvu.Month]int64{}
	for _, mem := range l.members {
		var line *duesMemberMonth
		clear(owed)
		clear(paid)
		for _, x := range l.lines[mem] {
			if x.month == m {
				line = x
			}
			if x.in {
				owed[x.month] = x.owing.Owed
			}
			if x.pay != nil {
				paid[x.month] = x.pay.Amount
			}
		}
		if line == nil || line.cell != org.ID && (line.pay == nil || line.pay.Org != org.ID) {
			continue
		}
		bl := dangvu.DuesBookLine{MemberID: mem, Name: l.names[mem], HasBasis: line.hasBasis, Gross: line.owing.Gross, Pct: line.owing.Pct, Owed: line.owing.Owed, Problem: line.problem}
		if line.hasBasis {
			bl.Group, bl.GroupName, bl.BasisAmount = line.basis.Group, dangvu.CodeName(dangvu.DuesGroups, line.basis.Group), line.basis.Amount
		} else if line.in && line.problem != "" {
			b.NoBasis++
		}
		if p := line.pay; p != nil && p.Org == org.ID {
			bl.Paid, bl.Voluntary, bl.PaidOn, bl.Channel, bl.Reference, bl.PaymentID = p.Amount, p.Voluntary, p.Paid, p.Channel, p.Reference, p.ID
		}
		for _, am := range dues.ArrearsMonths(m.Year, owed, paid, m.First()) {
			bl.ArrearsMonths = append(bl.ArrearsMonths, am.String())
		}
		if bl.Owed > bl.Paid {
			b.Unpaid++
		}
		b.Owed += bl.Owed
		b.Paid += bl.Paid
		b.Voluntary += bl.Voluntary
		b.Lines = append(b.Lines, bl)
	}
	b.Collected = b.Paid + b.Voluntary
	b.Kept, b.Remitted = dues.Split(b.Collected, b.KeepPct)
	rs, err := s.duesRemittancesWhere(ctx, `org_id = ? AND month = ? AND kind = ?`, org.ID, m.String(), dangvu.RemitMonthly)
	if err != nil {
		return nil, err
	}
	if len(rs) > 0 {
		b.Remit = &rs[0]
	}
	return b, nil
}

func (s *Store) duesRemittancesWhere(ctx context.Context, where string, args ...any) ([]dangvu.DuesRemittance, error) {
	return s.duesRemittancesFrom(ctx, `SELECT id, org_id, month, kind, to_org_id, collected, kept, remitted, sent_on, received_on, event_id, note
		FROM dues_remittances WHERE `+where+` ORDER BY month, org_id, id`, args...)
}

// duesRemittancesFrom reads the remittances query selects (the columns of remitCols).
func (s *Store) duesRemittancesFrom(ctx context.Context, query string, args ...any) ([]dangvu.DuesRemittance, error) {
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: dues: %w", err)
	}
	defer rows.Close()
	var out []dangvu.DuesRemittance
	for rows.Next() {
		var r dangvu.DuesRemittance
		var month string
		if err := rows.Scan(&r.ID, &r.Org, &month, &r.Kind, &r.To, &r.Collected, &r.Kept, &r.Remitted, &r.Sent, &r.Received, &r.Event, &r.Note); err != nil {
			return nil, fmt.Errorf("store: dues: %w", err)
		}
		r.Month, _ = dangvu.ParseMonth(month)
		out = append(out, r)
	}
	return out, rows.Err()
}

// DuesSummary sums the ledger of org's subtree by the cell members belonged to, months from..to;
// kept and remitted are the remittances recorded by each cell.
func (s *Store) DuesSummary(ctx context.Context, orgID string, from, to dangvu.Month) (*dangvu.DuesSummary, error) {
	org, err := s.ResolveOrg(ctx, orgID, to.Last())
	if err != nil {
		return nil, err
	}
	l, err := s.duesLedger(ctx, org, ledgerOpts{strangers: true, lean: true}, from, to)
	if err != nil {
		return nil, err
	}
	lo, hi := subtreeRange(org.Path)
	inTree, err := s.duesOrgsUnder(ctx, lo, hi)
	if err != nil {
		return nil, err
	}
	rows := map[string]*dangvu.DuesSummaryRow{}
	get := func(id string) *dangvu.DuesSummaryRow {
		r := rows[id]
		if r == nil {
			r = &dangvu.DuesSummaryRow{OrgID: id, OrgName: s.orgName(ctx, id, isoDate(dangvu.ISO(to.Last())))}
			rows[id] = r
		}
		return r
	}
	for _, m := range l.members {
		per := map[string]struct{ liable, all, nobasis bool }{}
		for _, x := range l.lines[m] {
			if !x.in {
				continue
			}
			r := get(x.cell)
			st := per[x.cell]
			if !x.hasBasis {
				st.nobasis = true
			}
			if x.owing.Owed > 0 {
				if !st.liable {
					st.all = true
				}
				st.liable = true
				if x.pay == nil || x.pay.Amount < x.owing.Owed {
					st.all = false
				}
			}
			per[x.cell] = st
			r.Owed += x.owing.Owed
		}
		for cell, st := range per {
			r := get(cell)
			if st.liable {
				r.Liable++
			}
			if st.liable && st.all {
				r.PaidAll++
			}
			if st.nobasis {
				r.NoBasis++
			}
		}
		for _, p := range l.pays[m] {
			if !inTree[p.Org] {
				continue
			}
			r := get(p.Org)
			r.Paid += p.Amount
			r.Voluntary += p.Voluntary
		}
		if a := l.arrears(m, to.Next().First()); len(a) > 0 {
			if last := l.lastIn(m); last != nil {
				get(last.cell).Arrears++
			}
		}
	}
	rs, err := s.duesRemittancesWhere(ctx, `kind = ? AND month >= ? AND month <= ? AND org_id IN (SELECT o.org_id FROM org_paths o WHERE o.path >= ? AND o.path < ?)`,
		dangvu.RemitMonthly, from.String(), to.String(), lo, hi)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		if _, ok := rows[r.Org]; ok {
			rows[r.Org].Kept += r.Kept
			rows[r.Org].Remitted += r.Remitted
		}
	}
	out := &dangvu.DuesSummary{Org: org, From: from.String(), To: to.String(), Rows: []dangvu.DuesSummaryRow{}}
	for _, r := range rows {
		out.Rows = append(out.Rows, *r)
	}
	sort.Slice(out.Rows, func(i, j int) bool {
		return vn.CompareNames(out.Rows[i].OrgName, out.Rows[j].OrgName) < 0 || out.Rows[i].OrgName == out.Rows[j].OrgName && out.Rows[i].OrgID < out.Rows[j].OrgID
	})
	t := &out.Total
	t.OrgID, t.OrgName = org.ID, "Tổng cộng"
	for _, r := range out.Rows {
		t.Liable += r.Liable
		t.PaidAll += r.PaidAll
		t.NoBasis += r.NoBasis
		t.Arrears += r.Arrears
		t.Owed += r.Owed
		t.Paid += r.Paid
		t.Voluntary += r.Voluntary
		t.Kept += r.Kept
		t.Remitted += r.Remitted
	}
	return out, nil
}

// arrears returns the months without full payment of the calendar year of the ledger's last
// month, before asOf's month, when they reach the Charter's threshold.
func (l *duesLedger) arrears(member string, asOf time.Time) []dangvu.Month {
	var best []dangvu.Month
	years := map[int]bool{}
	owed, paid := map[dangvu.Month]int64{}, map[dangvu.Month]int64{}
	for _, x := range l.lines[member] {
		years[x.month.Year] = true
		if x.in {
			owed[x.month] = x.owing.Owed
		}
		if x.pay != nil {
			paid[x.month] = x.pay.Amount
		}
	}
	// The years in order, so that of two years as long the first is shown.
	for _, y := range slices.Sorted(maps.Keys(years)) {
		if a := dues.ArrearsMonths(y, owed, paid, asOf); dues.InArrears(a) && len(a) > len(best) {
			best = a
		}
	}
	return best
}

// duesOrgsUnder returns the ids of the organisations whose path was ever within [lo, hi).
func (s *Store) duesOrgsUnder(ctx context.Context, lo, hi string) (map[string]bool, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT DISTINCT org_id FROM org_paths WHERE path >= ? AND path < ?`, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("store: dues: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: dues: %w", err)
		}
		out[id] = true
	}
	return out, rows.Err()
}

// lastIn is the member's last month line in which they belonged to the organisation asked about.
func (l *duesLedger) lastIn(member string) *duesMemberMonth {
	ls := l.lines[member]
	for i := len(ls) - 1; i >= 0; i-- {
		if ls[i].in {
			return ls[i]
		}
	}
	return nil
}

// duesSeg is a stretch of an organisation's path.
type duesSeg struct{ path, from, to string }

// duesSegments returns the stretches of org's path overlapping [start, end).
func (s *Store) duesSegments(ctx context.Context, org, start, end string) ([]duesSeg, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT path, valid_from, valid_to FROM org_paths WHERE org_id = ? AND valid_from < ? AND valid_to > ? ORDER BY valid_from`, org, end, start)
	if err != nil {
		return nil, fmt.Errorf("store: dues: %w", err)
	}
	defer rows.Close()
	var out []duesSeg
	for rows.Next() {
		var sg duesSeg
		if err := rows.Scan(&sg.path, &sg.from, &sg.to); err != nil {
			return nil, fmt.Errorf("store: dues: %w", err)
		}
		out = append(out, sg)
	}
	return out, rows.Err()
}

// DuesSummaryMembers returns the members of org's subtree in month m, in name order (the lines
// of the ledger that month).
func (s *Store) DuesSummaryMembers(ctx context.Context, orgID string, m dangvu.Month) ([]string, error) {
	org, err := s.ResolveOrg(ctx, orgID, m.Last())
	if err != nil {
		return nil, err
	}
	l, err := s.duesLedger(ctx, org, ledgerOpts{names: true}, m, m)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, id := range l.members {
		if last := l.lastIn(id); last != nil {
			out = append(out, id)
		}
	}
	return out, nil
}

// DuesPaymentsUnder returns the payments of month m taken by the organisations of org's subtree.
func (s *Store) DuesPaymentsUnder(ctx context.Context, orgID string, m dangvu.Month) ([]dangvu.DuesPayment, error) {
	org, err := s.ResolveOrg(ctx, orgID, m.Last())
	if err != nil {
		return nil, err
	}
	lo, hi := subtreeRange(org.Path)
	ps, err := s.duesPaymentsWhere(ctx, `p.month = ? AND p.org_id IN (SELECT o.org_id FROM org_paths o WHERE o.path >= ? AND o.path < ?)`, m.String(), lo, hi)
	if ps == nil {
		ps = []dangvu.DuesPayment{}
	}
	return ps, err
}
