package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/rules/dues"
	"dangvu/internal/vn"
)

// The dues figures of the term report (docs/dues.md), over the months the period touches, of
// the members who belonged to the organisation's subtree in each month:
//   - dues_members_liable: members who owed something in at least one month;
//   - dues_members_paid_all: of those, members who paid at least the amount owed every month owed;
//   - dues_owed_vnd, dues_paid_vnd: the sums owed and paid (voluntary sums apart);
//   - dues_remitted_vnd: what the cells of the subtree passed to their superiors for those months;
//   - dues_members_in_arrears_3m: members with three months or more without paying in a calendar
//     year of the period, up to the period's end (Charter Art. 8; the cell considers a proposal);
//   - dues_members_exempt: members exempt (100%) in at least one month.

var duesDomain = domain{
	name:       "dues",
	tables:     duesTables,
	sections:   []reportSection{duesSection},
	listAction: dangvu.ActDues,
	drills: map[string]reportDrill{
		"dues_members_liable":        duesDrill("dues_members_liable"),
		"dues_members_paid_all":      duesDrill("dues_members_paid_all"),
		"dues_owed_vnd":              duesDrill("dues_owed_vnd"),
		"dues_paid_vnd":              duesDrill("dues_paid_vnd"),
		"dues_remitted_vnd":          duesRemittedDrill,
		"dues_members_in_arrears_3m": duesDrill("dues_members_in_arrears_3m"),
		"dues_members_exempt":        duesDrill("dues_members_exempt"),
	},
	attention: []attentionSource{{dangvu.ActDues, duesAttention}},
}

// duesMember is one member's figures over the period.
type duesMember struct {
	id, name, cell  string
	owedMonths      int
	owed, paid      int64
	paidAll, exempt bool
	arrears         []dangvu.Month
	exemptions      []dangvu.DuesExemption
}

type duesStats struct {
	counts     map[string]int // members meeting each of duesPreds
	owed, paid int64
	remitted   int64
	members    []duesMember // those kept, named and in name order
}

func (rc *reportCtx) duesMonths() (dangvu.Month, dangvu.Month) {
	return dangvu.MonthOf(rc.q.From), dangvu.MonthOf(rc.q.To)
}

// duesStats computes the figures of the subtree's members over the report's period (duesWalk),
// keeping, named and in name order, the members keep selects (nil: none, the figures only).
func (s *Store) duesStats(ctx context.Context, rc *reportCtx, keep func(duesMember) bool) (*duesStats, error) {
	st := &duesStats{counts: map[string]int{}}
	err := s.duesWalk(ctx, rc, func(m *duesMember) {
		st.owed += m.owed
		st.paid += m.paid
		for k, p := range duesPreds {
			if p(*m) {
				st.counts[k]++
			}
		}
		if keep != nil && keep(*m) {
			st.members = append(st.members, *m)
		}
	})
	if err != nil {
		return nil, err
	}
	if keep != nil {
		names := map[string]string{}
		ids := make([]string, len(st.members))
		for i, m := range st.members {
			ids[i] = m.id
		}
		if err := s.duesNames(ctx, names, ids, true); err != nil {
			return nil, err
		}
		at := make(map[string]int, len(ids))
		for i, id := range ids {
			at[id] = i
		}
		for i := range st.members {
			st.members[i].name = names[st.members[i].id]
		}
		slices.SortFunc(st.members, func(a, b duesMember) int { return at[a.id] - at[b.id] })
	}
	if st.remitted, err = s.duesRemittedSum(ctx, rc); err != nil {
		return nil, err
	}
	return st, nil
}

var duesPreds = map[string]func(duesMember) bool{
	"dues_members_liable":        func(m duesMember) bool { return m.owedMonths > 0 },
	"dues_members_paid_all":      func(m duesMember) bool { return m.owedMonths > 0 && m.paidAll },
	"dues_owed_vnd":              func(m duesMember) bool { return m.owed > 0 },
	"dues_paid_vnd":              func(m duesMember) bool { return m.paid > 0 },
	"dues_members_in_arrears_3m": func(m duesMember) bool { return len(m.arrears) > 0 },
	"dues_members_exempt":        func(m duesMember) bool { return m.exempt },
}

func duesSection(ctx context.Context, s *Store, rc *reportCtx, r *dangvu.Report) error {
	// The root and the provinces read the figures kept by the writes (dues_kept.go); the rest,
	// and they when the table cannot answer, walk their members.
	st, kept, err := s.duesKeptFigures(ctx, rc)
	if err == nil && kept {
		st.remitted, err = s.duesRemittedSum(ctx, rc)
	} else if err == nil {
		st, err = s.duesStats(ctx, rc, nil)
	}
	if err != nil {
		return err
	}
	owed, paid := st.owed, st.paid
	r.Set("dues_members_liable", "Đảng viên phải đóng đảng phí", st.counts["dues_members_liable"])
	r.Set("dues_members_paid_all", "Đảng viên đóng đủ đảng phí các tháng", st.counts["dues_members_paid_all"])
	r.Set("dues_owed_vnd", "Đảng phí phải thu (đồng)", owed)
	r.Set("dues_paid_vnd", "Đảng phí đã thu (đồng)", paid)
	r.Set("dues_remitted_vnd", "Đảng phí chi bộ đã nộp cấp trên (đồng)", st.remitted)
	r.Set("dues_members_in_arrears_3m", "Đảng viên không đóng đảng phí 3 tháng trong năm", st.counts["dues_members_in_arrears_3m"])
	r.Set("dues_members_exempt", "Đảng viên được miễn đóng đảng phí", st.counts["dues_members_exempt"])
	return nil
}

func duesMonthsText(ms []dangvu.Month) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = m.VN()
	}
	return strings.Join(parts, ", ")
}

func duesDrill(key string) reportDrill {
	return func(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error) {
		st, err := s.duesStats(ctx, rc, duesPreds[key])
		if err != nil {
			return nil, err
		}
		titles := map[string]string{
			"dues_members_liable": "Đảng viên phải đóng đảng phí", "dues_members_paid_all": "Đảng viên đóng đủ đảng phí các tháng",
			"dues_owed_vnd": "Đảng phí phải thu theo đảng viên", "dues_paid_vnd": "Đảng phí đã thu theo đảng viên",
			"dues_members_in_arrears_3m": "Đảng viên không đóng đảng phí 3 tháng trong năm", "dues_members_exempt": "Đảng viên được miễn đóng đảng phí",
		}
		l := &dangvu.ReportList{Title: titles[key], Columns: []string{"Mã đảng viên", "Họ và tên", "Chi bộ", "Số tháng phải đóng", "Phải đóng (đ)", "Đã đóng (đ)", "Ghi chú"}, Rows: [][]string{}}
		day := dateArg(rc.q.To)
		names := map[string]string{}
		for _, m := range st.members {
			if !duesPreds[key](m) {
				continue
			}
			if _, ok := names[m.cell]; !ok {
				names[m.cell] = s.orgName(ctx, m.cell, isoDate(day))
			}
			note := ""
			switch key {
			case "dues_members_in_arrears_3m":
				note = "Chưa đóng: " + duesMonthsText(m.arrears)
			case "dues_members_exempt":
				var parts []string
				for _, e := range m.exemptions {
					if e.Pct >= 100 {
						parts = append(parts, dangvu.CodeName(dangvu.DuesReliefKinds, e.Kind)+" từ "+vn.FormatDate(e.From.Time))
					}
				}
				note = strings.Join(parts, "; ")
			}
			l.Rows = append(l.Rows, []string{m.id, m.name, names[m.cell], fmt.Sprint(m.owedMonths), vn.FormatInt(m.owed), vn.FormatInt(m.paid), note})
			l.Links = append(l.Links, "/dues/members/"+m.id)
		}
		return l, nil
	}
}

func duesRemittedDrill(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error) {
	rs, err := s.duesRemitted(ctx, rc)
	if err != nil {
		return nil, err
	}
	l := &dangvu.ReportList{Title: "Đảng phí chi bộ đã nộp cấp trên", Columns: []string{"Chi bộ", "Tháng", "Đã thu (đ)", "Để lại (đ)", "Nộp cấp trên (đ)", "Ngày nộp", "Cấp trên xác nhận"}, Rows: [][]string{}}
	for _, r := range rs {
		recv := ""
		if !r.Received.IsZero() {
			recv = vn.FormatDate(r.Received.Time)
		}
		l.Rows = append(l.Rows, []string{s.orgName(ctx, r.Org, isoDate(dangvu.ISO(r.Month.Last()))), r.Month.VN(), vn.FormatInt(r.Collected), vn.FormatInt(r.Kept), vn.FormatInt(r.Remitted), vn.FormatDate(r.Sent.Time), recv})
		l.Links = append(l.Links, "/dues/book?org="+r.Org+"&month="+r.Month.String())
	}
	return l, nil
}

// duesAttention lists the members of org's subtree with three months or more without paying in
// the current calendar year (months before asOf's), for the cell to consider (never automatic),
// and the exemptions and reductions ending within a month.
func duesAttention(ctx context.Context, s *Store, org dangvu.Org, asOf string, _ int) ([]dangvu.Attention, error) {
	day, err := dangvu.ParseISODate(asOf)
	if err != nil {
		return nil, err
	}
	out := []dangvu.Attention{}
	now := dangvu.MonthOf(day)
	if now.Mon > time.January {
		l, err := s.duesArrears(ctx, org, dangvu.Month{Year: now.Year, Mon: time.January}, now.Add(-1))
		if err != nil {
			return nil, err
		}
		lates := map[string][]dangvu.Month{}
		var ids []string
		for _, m := range l.members {
			if a := l.arrears(m, day); len(a) > 0 {
				lates[m] = a
				ids = append(ids, m)
			}
		}
		// Names only of those listed, in name order.
		if err := s.duesNames(ctx, l.names, ids, true); err != nil {
			return nil, err
		}
		for _, id := range ids {
			x := struct {
				member string
				months []dangvu.Month
			}{id, lates[id]}
			last := l.lastIn(x.member)
			third := x.months[2]
			out = append(out, dangvu.Attention{Kind: "dues_arrears_3m", Title: "Không đóng đảng phí 3 tháng trong năm",
				Detail: fmt.Sprintf("%s chưa đóng các tháng %s: chi bộ xem xét, đề nghị xóa tên (không tự động)", l.names[x.member], duesMonthsText(x.months)),
				OrgID:  last.cell, OrgName: s.orgName(ctx, last.cell, isoDate(asOf)), MemberID: x.member,
				Due: dangvu.DateOf(third.Next().First()), Overdue: true, Link: "/dues/members/" + x.member,
				Rule: dues.ForMonth(third).Cite("arrears_months")})
		}
	}
	lo, hi := subtreeRange(org.Path)
	limit := dangvu.ISO(day.AddDate(0, 1, 0))
	ex, err := s.duesExemptionsWhere(ctx, `valid_to <> '' AND valid_to >= ? AND valid_to <= ? AND member_id IN (SELECT r.member_id FROM roster r WHERE r.path >= ? AND r.path < ? AND r.valid_from <= ? AND r.valid_to > ?)`,
		asOf, limit, lo, hi, asOf, asOf)
	if err != nil {
		return nil, err
	}
	for _, e := range ex {
		name, _, err := s.duesMemberName(ctx, s.read, e.Member)
		if err != nil {
			return nil, err
		}
		cell, err := s.duesCellOf(ctx, s.read, e.Member, asOf)
		if err != nil {
			return nil, err
		}
		what := "Miễn đóng đảng phí"
		if e.Pct < 100 {
			what = fmt.Sprintf("Giảm %d%% đảng phí", e.Pct)
		}
		out = append(out, dangvu.Attention{Kind: "dues_exemption_ending", Title: "Miễn, giảm đảng phí sắp hết hạn",
			Detail: fmt.Sprintf("%s: %s (%s) hết hạn ngày %s; xem xét gia hạn hoặc thu đủ từ tháng sau", name, what, dangvu.CodeName(dangvu.DuesReliefKinds, e.Kind), vn.FormatDate(e.To.Time)),
			OrgID:  cell, OrgName: s.orgName(ctx, cell, isoDate(asOf)), MemberID: e.Member, Due: e.To, Link: "/dues/members/" + e.Member,
			Rule: dues.For(e.From.Time).Cite("reduction_max_months")})
	}
	return out, nil
}

// duesRemitBranches is the query of the monthly remittances of the months from..to (YYYY-MM)
// by the cells that lay under the organisation on the first day of the remittance's month (the
// organisation's path that day: segs), cols selected from r (dues_remittances) and p (org_paths):
// a branch per path, each starting from the organisations under it, so that a cell's or a ward's
// report reads its own remittances and not every cell's of the country (it did: 24 ms of the
// demo's cell report). The paths are disjoint in time, so no remittance is in two branches.
func duesRemitBranches(cols string, segs []duesSeg, from, to string) (string, []any) {
	var branches []string
	var args []any
	for _, sg := range segs {
		lo, hi := subtreeRange(sg.path)
		branches = append(branches, `SELECT `+cols+` FROM org_paths p CROSS JOIN dues_remittances r
			WHERE p.path >= ? AND p.path < ? AND r.org_id = p.org_id AND r.kind = 'monthly' AND r.month >= ? AND r.month <= ?
			AND `+onDay.covers("p", remitDay)+` AND `+remitDay+` >= ? AND `+remitDay+` < ?
			AND `+remitByCell)
		args = append(args, lo, hi, from, to, sg.from, sg.to)
	}
	if len(branches) == 0 {
		return `SELECT ` + cols + ` FROM org_paths p CROSS JOIN dues_remittances r WHERE 1 = 0`, nil
	}
	return strings.Join(branches, " UNION ALL "), args
}

// remitDay is the day a remittance (r) is placed on: its month's first; remitByCell is the
// condition that its organisation was a cell that day.
const remitDay = "r.month || '-01'"

var remitByCell = `EXISTS (SELECT 1 FROM org_versions v WHERE v.org_id = r.org_id AND v.level IN ('cell', 'grassroots_cell') AND ` + onDay.covers("v", remitDay) + `)`

const remitCols = "r.id, r.org_id, r.month, r.kind, r.to_org_id, r.collected, r.kept, r.remitted, r.sent_on, r.received_on, r.event_id, r.note"

// duesRemitQuery is duesRemitBranches for the report's organisation and months.
func (s *Store) duesRemitQuery(ctx context.Context, rc *reportCtx, cols string) (string, []any, error) {
	from, to := rc.duesMonths()
	segs, err := s.duesSegments(ctx, rc.org.ID, dangvu.ISO(from.First()), dangvu.ISO(to.Last().AddDate(0, 0, 1)))
	if err != nil {
		return "", nil, err
	}
	q, args := duesRemitBranches(cols, segs, from.String(), to.String())
	return q, args, nil
}

// duesRemitted lists what the subtree's cells passed up for the report's months, in month and
// organisation order.
func (s *Store) duesRemitted(ctx context.Context, rc *reportCtx) ([]dangvu.DuesRemittance, error) {
	q, args, err := s.duesRemitQuery(ctx, rc, remitCols)
	if err != nil {
		return nil, err
	}
	return s.duesRemittancesFrom(ctx, `SELECT * FROM (`+q+`) x ORDER BY month, org_id, id`, args...)
}

// duesRemittedSum is what the subtree's cells passed up for the report's months: from the
// tallies for the root and the provinces, else summed from the remittances.
func (s *Store) duesRemittedSum(ctx context.Context, rc *reportCtx) (int64, error) {
	if n, ok, err := s.talliedRemitted(ctx, rc); ok || err != nil {
		return n, err
	}
	return s.duesRemittedSummed(ctx, rc)
}

// duesRemittedSummed is duesRemittedSum from the remittances themselves.
func (s *Store) duesRemittedSummed(ctx context.Context, rc *reportCtx) (int64, error) {
	q, args, err := s.duesRemitQuery(ctx, rc, "r.remitted")
	if err != nil {
		return 0, err
	}
	var sum int64
	if err := s.read.QueryRowContext(ctx, `SELECT CAST(COALESCE(SUM(remitted), 0) AS BIGINT) FROM (`+q+`) x`, args...).Scan(&sum); err != nil {
		return 0, fmt.Errorf("store: dues: %w", err)
	}
	return sum, nil
}

// remitTally keeps the đồng the cells passed up (key ""): each monthly remittance's amount on
// the first day of its month under the path its organisation had that day, when it was a cell
// then (duesRemitBranches). Selected by organisation and by remittance. The root of a country
// whose cells all remit reads a row per cell and month otherwise (1,6 million for a term at a
// million members).
var remitTally = tallyKind{name: "dues_remitted", events: func(ctx context.Context, q queryer, by tallyBy, ids []string, sign int, d *tallyDeltas) error {
	return tallyRows(ctx, q, `SELECT p.path, `+remitDay+`, '', CAST(SUM(r.remitted) AS BIGINT) FROM dues_remittances r
		JOIN org_paths p ON p.org_id = r.org_id AND `+onDay.covers("p", remitDay)+`
		WHERE r.kind = 'monthly' AND `+remitByCell,
		map[tallyBy]string{tallyOrgs: "r.org_id", tallyIDs: "r.id"}, `GROUP BY p.path, r.month`, by, ids, sign, d)
}}

// talliedRemitted is duesRemittedSum from the tallies: for each path the organisation had, the
// first days of the report's months on which it had it; ok is false when the tallies cannot say.
func (s *Store) talliedRemitted(ctx context.Context, rc *reportCtx) (int64, bool, error) {
	if ok, err := s.tallyReadable(ctx, remitTally, rc.spans); !ok {
		return 0, false, err
	}
	from, to := rc.duesMonths()
	lo, hi := dangvu.ISO(from.First()), dangvu.ISO(to.First())
	var sum int64
	for _, sp := range rc.spans {
		start := max(lo, sp.from)
		if start > hi || start >= sp.to {
			continue
		}
		var n int64
		if err := s.read.QueryRowContext(ctx, `SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM tallies WHERE kind = ? AND path = ? AND day >= ? AND day <= ? AND day < ?`,
			remitTally.name, sp.path, start, hi, sp.to).Scan(&n); err != nil {
			return 0, false, fmt.Errorf("store: tallies %s: %w", remitTally.name, err)
		}
		sum += n
	}
	return sum, true, nil
}

// duesArrears is the ledger of org's subtree over the months from..to of one calendar year, with
// the payments of only those members who may have reached the Charter's threshold in it: the
// amounts owed come from the records as in every ledger, and one aggregate read of the months'
// payments (per member: how many, the smallest) rules out everyone whose payments cover all but
// fewer than arrears_months of the months owed. The rest (a handful in a ward) have their
// payments read and their months checked as in every ledger, so the answer is the ledger's.
func (s *Store) duesArrears(ctx context.Context, org dangvu.Org, from, to dangvu.Month) (*duesLedger, error) {
	return s.duesBehind(ctx, org, from, to, 0)
}

// duesBehind is duesArrears keeping the members who may have least months without full payment
// (0: the rules' threshold); the three-month rule, counting absences and dues together, asks
// for every member with one.
func (s *Store) duesBehind(ctx context.Context, org dangvu.Org, from, to dangvu.Month, least int) (*duesLedger, error) {
	l, err := s.duesLedger(ctx, org, ledgerOpts{noPays: true}, from, to)
	if err != nil {
		return nil, err
	}
	if len(l.members) == 0 {
		return l, nil
	}
	type agg struct {
		n   int
		min int64
	}
	aggs := map[string]agg{}
	// The subtree's members are those of the ledger: read the aggregates in batches of ids.
	for i := 0; i < len(l.members); i += 500 {
		batch := l.members[i:min(i+500, len(l.members))]
		args := []any{from.String(), to.String()}
		for _, id := range batch {
			args = append(args, id)
		}
		rows, err := s.read.QueryContext(ctx, `SELECT member_id, COUNT(*), MIN(amount) FROM dues_payments
			WHERE month >= ? AND month <= ? AND member_id IN (`+strings.TrimSuffix(strings.Repeat("?,", len(batch)), ",")+`) GROUP BY member_id`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: dues: %w", err)
		}
		for rows.Next() {
			var id string
			var a agg
			if err := rows.Scan(&id, &a.n, &a.min); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: dues: %w", err)
			}
			aggs[id] = a
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: dues: %w", err)
		}
	}
	// The smallest threshold of the months' rule sets (InArrears applies the last month's).
	threshold := least
	for _, mo := range l.months {
		if t := dues.ForMonth(mo).Int("arrears_months"); least == 0 && (threshold == 0 || t < threshold) {
			threshold = t
		}
	}
	var maybe []string
	for _, m := range l.members {
		owedMonths, maxOwed := 0, int64(0)
		for _, x := range l.lines[m] {
			if x.in && x.owing.Owed > 0 {
				owedMonths++
				maxOwed = max(maxOwed, x.owing.Owed)
			}
		}
		if owedMonths < threshold {
			continue
		}
		a := aggs[m]
		// Paid months among those owed: at least the payments less the months not owed. When
		// every payment covers the largest amount owed, each of those months is paid in full.
		covered := a.n - (len(l.months) - owedMonths)
		if a.n > 0 && a.min >= maxOwed && owedMonths-covered < threshold {
			continue
		}
		maybe = append(maybe, m)
	}
	for i := 0; i < len(maybe); i += 500 {
		batch := maybe[i:min(i+500, len(maybe))]
		args := []any{from.String(), to.String()}
		for _, id := range batch {
			args = append(args, id)
		}
		// What the check needs of each payment: member, month, amount.
		rows, err := s.read.QueryContext(ctx, `SELECT member_id, month, amount FROM dues_payments
			WHERE month >= ? AND month <= ? AND member_id IN (`+strings.TrimSuffix(strings.Repeat("?,", len(batch)), ",")+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: dues: %w", err)
		}
		for rows.Next() {
			var p dangvu.DuesPayment
			var month string
			if err := rows.Scan(&p.Member, &month, &p.Amount); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: dues: %w", err)
			}
			p.Month, _ = dangvu.ParseMonth(month)
			if l.pays[p.Member] == nil {
				l.pays[p.Member] = map[dangvu.Month]*dangvu.DuesPayment{}
			}
			l.pays[p.Member][p.Month] = &p
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: dues: %w", err)
		}
	}
	for _, m := range maybe {
		for _, x := range l.lines[m] {
			x.pay = l.pays[m][x.month]
		}
	}
	// Only the members who may be behind are kept: the others' payments were not read.
	l.members = maybe
	return l, nil
}
