package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"dangvu"
	"dangvu/internal/rules/dues"
)

// duesWorld holds the demo's party dues (docs/dues.md) for the members of Uông Bí's cells of
// every kind (and, once recorded there, in Đông Triều's if they move): every member's basis from 2015 (or admission) under 342-QĐ/TW, salaries declared
// again in 2020, 07/2023 and 2026, a pension basis on moving to a residential cell after
// retirement; exemptions for 50 years' party age and the social pension under 01-QĐ/TW, and a
// few hardship decisions, one of them a reduction ending next month; the payments of every
// month from 01/2015 (or admission) to 10/2026 (cash with a receipt, or from 2024 the
// public-service portal with its transaction code; some members pay late; a few Yên Tử members
// have paid nothing since August 2026); each cell's monthly remittance with the share the rules
// leave it, each committee's of what its cells passed up, and on 01/07/2025 the balances of the
// organisations that ended handed over (a merger's to the new ward, a dissolution's to the
// superior, an ended cell's to the cell its members were carried to).
//
// Rows are kept in the exchange columns' order and numbered in the order they are made, so
// that the writer adds them as they are and the sort finds them sorted (about a million rows).
type duesWorld struct {
	bases       [][]string
	exemptions  [][]string
	payments    [][]string
	remittances [][]string
}

var (
	duesFrom         = dangvu.Month{Year: 2015, Mon: 1}
	duesPaymentsTo   = dangvu.Month{Year: 2026, Mon: 10}
	duesPortalFrom   = dangvu.Month{Year: 2024, Mon: 1}
	duesArrearsFrom  = dangvu.Month{Year: 2026, Mon: 8}
	duesDeclarations = []date{ymd(2020, 1, 1), ymd(2023, 7, 1), ymd(2026, 1, 1)} // salaries declared again
)

// duesKey is an organisation's month (an index into the months).
type duesKey struct {
	org *org
	i   int
}

// duesMonth is what the phase needs of a month, computed once.
type duesMonth struct {
	m           dangvu.Month
	first, last date
	key, vn     string
}

func (w *world) buildDues(r *rand.Rand) {
	d := &w.dues
	var months []duesMonth
	for m := duesFrom; !duesPaymentsTo.Before(m); m = m.Next() {
		f := ymd(m.Year, m.Mon, 1)
		months = append(months, duesMonth{m: m, first: f, last: f.addMonths(1) - 1, key: m.String(), vn: m.VN()})
	}
	seq := map[string]int{}
	next := func(prefix string) string {
		seq[prefix]++
		b := make([]byte, 0, 11)
		b = append(append(b, prefix...), '-')
		n := strconv.Itoa(seq[prefix])
		for range 7 - len(n) {
			b = append(b, '0')
		}
		return string(append(b, n...))
	}
	// Strings made once: the days payments are made on, the amounts.
	days := map[date]string{}
	day := func(d date) string {
		s, ok := days[d]
		if !ok {
			s = d.String()
			days[d] = s
		}
		return s
	}
	amounts := map[int64]string{}
	vnd := func(n int64) string {
		s, ok := amounts[n]
		if !ok {
			s = strconv.FormatInt(n, 10)
			amounts[n] = s
		}
		return s
	}
	type key = duesKey
	collected := map[key]int64{}
	var keys []key
	arrearsLeft, hardshipLeft, socialLeft := 6, 4, 3
	for _, p := range w.people {
		// The months the member belonged to a cell of Uông Bí, and that cell (the latest
		// membership of the month, as the store's ledger takes it).
		cells := make([]*org, len(months))
		firstM := -1
		for i, mo := range months {
			if p.admitted == 0 || p.admitted > mo.last || p.exit <= mo.first {
				continue
			}
			var c *org
			for _, s := range p.stints {
				if s.from <= mo.last && s.to > mo.first {
					c = s.org
				}
			}
			if c == nil || firstM < 0 && c.area != "UB" || !inParty(p.statusAt(mo.last)) && !inParty(p.statusAt(mo.first)) {
				continue
			}
			// From the first month in a cell of Uông Bí on, wherever the member goes in the demo's
			// tree (some move to Đông Triều): the basis goes with them.
			cells[i] = c
			if firstM < 0 {
				firstM = i
			}
		}
		if firstM < 0 {
			continue
		}
		if chance(r, 0.005) {
			continue // no basis recorded: listed as such, never charged zero
		}
		// The basis: from 2015 (or admission), by what the member does.
		from := max(months[firstM].first, p.admitted)
		role := cells[firstM].role
		g, amount := dangvu.DuesInsured, int64(0)
		switch {
		case role == roleResidential && p.birth.year() < 1966:
			g, amount = dangvu.DuesPension, int64(4_500+r.IntN(5_000))*1_000
		case role == roleResidential && p.birth.year() > 1996 && chance(r, 0.5):
			g = dangvu.DuesStudent
		case role == roleResidential && chance(r, 0.45):
			g, amount = dangvu.DuesSelfEmployed, 4_730_000 // the regional minimum wage recorded as the basis
		case role == roleEnterprise:
			amount = int64(6_000+r.IntN(9_000)) * 1_000
		case role == roleMilitary || role == rolePolice:
			amount = int64(7_000+r.IntN(7_000)) * 1_000
		default:
			amount = int64(4_500+r.IntN(7_500)) * 1_000
		}
		var bs []dangvu.DuesBasis
		addBasis := func(from date, g dangvu.DuesGroup, amount int64, note string) {
			if n := len(bs); n > 0 && !from.day().After(bs[n-1].From) {
				return // one basis a day, in order
			}
			bs = append(bs, dangvu.DuesBasis{Member: p.id, From: from.day(), Group: g, Amount: amount})
			d.bases = append(d.bases, []string{next("DB"), p.id, from.String(), string(g), strconv.FormatInt(amount, 10), note})
		}
		addBasis(from, g, amount, "Kê khai thu nhập")
		if g == dangvu.DuesInsured {
			for _, day := range duesDeclarations {
				if day > from && day < p.exit && day < today {
					amount += int64(300+r.IntN(900)) * 1_000
					addBasis(day, g, amount, "Kê khai lại tiền lương đóng bảo hiểm xã hội")
				}
			}
			// Retired to a residential cell: the pension from the next month.
			for i := firstM + 1; i < len(months); i++ {
				if cells[i] != nil && cells[i-1] != nil && cells[i].role == roleResidential && cells[i-1].role != roleResidential && p.birth.year() < 1970 {
					addBasis(months[i].first.addMonths(1), dangvu.DuesPension, amount*3/4/1_000*1_000, "Nghỉ hưu: kê khai lương hưu")
					break
				}
			}
		}
		var ex []dangvu.DuesExemption
		addEx := func(e dangvu.DuesExemption, decidedBy string, decision string) {
			ex = append(ex, e)
			to := ""
			if !e.To.IsZero() {
				to = e.To.String()
			}
			d.exemptions = append(d.exemptions, []string{next("DE"), p.id, string(e.Kind), strconv.Itoa(e.Pct), e.From.String(), to, decision, decidedBy, ""})
		}
		if p.admitted <= ymd(1976, 2, 1) {
			f := max(ymd(2026, 2, 1), p.admitted.addYears(50))
			if s := p.stintAt(f); s != nil && f < today && f < p.exit {
				addEx(dangvu.DuesExemption{Kind: dangvu.ReliefPartyAge, Pct: 100, From: f.day()}, s.org.id, "Tuổi đảng từ 50 năm (01-QĐ/TW Điều 5)")
			}
		}
		if len(ex) == 0 && socialLeft > 0 && g == dangvu.DuesSelfEmployed && p.birth.year() < 1962 && chance(r, 0.2) {
			f := ymd(2026, 3, 1)
			if s := p.stintAt(f); s != nil && f < p.exit {
				socialLeft--
				addEx(dangvu.DuesExemption{Kind: dangvu.ReliefSocialPension, Pct: 100, From: f.day()}, s.org.id, "Hưởng trợ cấp hưu trí xã hội (01-QĐ/TW Điều 5)")
			}
		}
		if len(ex) == 0 && hardshipLeft > 0 && g != dangvu.DuesStudent && role == roleResidential && chance(r, 0.02) {
			f := ymd(2026, 7, 1)
			if s := p.stintAt(f); s != nil && s.org.at(f) != nil && s.org.at(f).parent != nil && p.exit == open {
				hardshipLeft--
				pct, to := 50, ymd(2026, 12, 31) // ends next month: on the home page
				if hardshipLeft%2 == 1 {
					pct, to = 30, ymd(2027, 3, 31)
				}
				addEx(dangvu.DuesExemption{Kind: dangvu.ReliefHardship, Pct: pct, From: f.day(), To: to.day()}, s.org.at(f).parent.id,
					fmt.Sprintf("Số %d-QĐ/ĐU", 40+hardshipLeft))
			}
		}
		late := chance(r, 0.08)
		stops := false
		if arrearsLeft > 0 && chance(r, 0.03) {
			// In Yên Tử ward, whose secretary's home page the browser story reads.
			if s := p.stintAt(ymd(2026, 10, 31)); s != nil && s.org.last().kind == dangvu.KindResidential && s.org.under(w.byID["QN-YENTU"], ymd(2026, 10, 31)) {
				stops = true
				arrearsLeft--
			}
		}
		portal := chance(r, 0.3)
		for i, c := range cells {
			if c == nil {
				continue
			}
			mo := months[i]
			o, ok, _ := dues.Owed(mo.m, bs, ex)
			if !ok || o.Owed == 0 || stops && !mo.m.Before(duesArrearsFrom) {
				continue
			}
			paid := mo.first + 4 + date(r.IntN(20))
			if late && chance(r, 0.3) {
				paid = mo.first.addMonths(1+r.IntN(2)) + date(r.IntN(10))
			}
			paid = min(paid, today)
			var ch, ref string
			if portal && !mo.m.Before(duesPortalFrom) {
				ch, ref = dangvu.DuesPortal, "DVC"+mo.key[:4]+mo.key[5:]+strconv.Itoa(1_000_000+r.IntN(8_999_999))
			} else {
				ch, ref = dangvu.DuesCash, "BL "+mo.vn+"/"+strconv.Itoa(r.IntN(900)+100)
			}
			vol := int64(0)
			if chance(r, 0.02) {
				vol = 10_000
			}
			d.payments = append(d.payments, []string{next("DP"), p.id, c.id, mo.key, vnd(o.Owed), vnd(vol), day(paid), ch, ref, ""})
			k := key{c, i}
			if _, ok := collected[k]; !ok {
				keys = append(keys, k)
			}
			collected[k] += o.Owed + vol
		}
	}
	w.duesRemittances(r, months, collected, keys, next)
}

// duesRemittances writes each cell's monthly remittance and then each committee's, bottom up (a
// committee collects what its cells and lower committees passed up that month), keeping the
// share of the table in force that month, sent the month after (an organisation that ended
// sends its last month on its last day), received a week later; then on 01/07/2025 the hand-over
// of the balances of the organisations that ended.
func (w *world) duesRemittances(r *rand.Rand, months []duesMonth, collected map[duesKey]int64, keys []duesKey, next func(string) string) {
	type key = duesKey
	d := &w.dues
	kept := map[*org]int64{}
	for len(keys) > 0 {
		var up []key
		for _, k := range keys {
			mo := months[k.i]
			v := k.org.at(mo.first)
			if v == nil || v.parent == nil || mo.m == duesPaymentsTo && chance(r, 0.5) {
				continue
			}
			pct, _ := dues.ForMonth(mo.m).KeepPct(v.level, v.kind)
			c := collected[k]
			kp, rem := dues.Split(c, pct)
			sent := mo.first.addMonths(1) + date(r.IntN(10))
			if !v.level.IsCell() {
				sent += 12 // after the cells
			}
			sent = min(sent, k.org.to()-1)
			recv := ""
			if sent+7 < today {
				recv = (sent + 7).String()
			}
			d.remittances = append(d.remittances, []string{next("DR"), k.org.id, mo.key, dangvu.RemitMonthly, v.parent.id,
				strconv.FormatInt(c, 10), strconv.FormatInt(kp, 10), strconv.FormatInt(rem, 10), sent.String(), recv, "", fmt.Sprintf("Để lại %d%%", pct)})
			if sent <= reorgDay {
				kept[k.org] += kp
			}
			if pk := (key{v.parent, k.i}); v.parent != w.qn && rem > 0 {
				if _, ok := collected[pk]; !ok {
					up = append(up, pk)
				}
				collected[pk] += rem
			}
		}
		keys = up
	}
	// 01/07/2025: the organisations that ended hand their balance over, with the event.
	merged := map[*event]*org{}
	for _, o := range w.orgs {
		if e := o.first().event; e != nil && e.kind == dangvu.ReorgMerge && !o.first().level.IsCell() {
			merged[e] = o
		}
	}
	for _, o := range w.orgs {
		b := kept[o]
		if b == 0 || o.to() != reorgDay || o.endEvent == nil {
			continue
		}
		var to *org
		switch {
		case len(o.carryTo) > 0:
			to = o.carryTo[0]
		case merged[o.endEvent] != nil:
			to = merged[o.endEvent]
		default:
			if v := o.at(reorgDay - 1); v != nil && v.parent != nil {
				to = v.parent
			}
		}
		if to == nil {
			continue
		}
		d.remittances = append(d.remittances, []string{next("DR"), o.id, "2025-07", dangvu.RemitHandover, to.id, "0", "0", strconv.FormatInt(b, 10),
			reorgDay.String(), reorgDay.String(), o.endEvent.id, "Bàn giao số dư đảng phí khi sắp xếp tổ chức"})
	}
}

func inParty(st dangvu.Status) bool {
	return st == dangvu.StatusProbationary || st == dangvu.StatusFull || st == dangvu.StatusExempt
}

func (d date) addMonths(n int) date {
	t := d.time().AddDate(0, n, 0)
	return ymd(t.Year(), t.Month(), t.Day())
}

// writeDues adds the dues rows as they are: they are made in the columns' order.
func (w *world) writeDues(s *sink) {
	s.rowsAs("dues_bases", []string{"id", "member_id", "valid_from", "group", "amount", "note"}, w.dues.bases)
	s.rowsAs("dues_exemptions", []string{"id", "member_id", "kind", "pct", "valid_from", "valid_to", "decision", "decided_by", "note"}, w.dues.exemptions)
	s.rowsAs("dues_payments", []string{"id", "member_id", "org_id", "month", "amount", "voluntary", "paid_on", "channel", "reference", "note"}, w.dues.payments)
	s.rowsAs("dues_remittances", []string{"id", "org_id", "month", "kind", "to_org_id", "collected", "kept", "remitted", "sent_on", "received_on", "event_id", "note"}, w.dues.remittances)
}
