package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"dangvu"
	"dangvu/internal/rules/dues"
)

// duesWorld holds the demo's party dues (docs/dues.md) for the members of Uông Bí's area: every
// member's basis from 2015 (or admission) under 342-QĐ/TW, re-declared for 2026 under
// 01-QĐ/TW; exemptions for 50 years' party age (01-QĐ/TW) and a few hardship decisions, one of
// them a reduction ending next month; payments of the months from April 2025 to October 2026 in the residential cells
// (cash with a receipt or the public-service portal with its transaction code, some late, a few
// members without payment for three months of 2026); each cell's monthly remittance with the
// share the rules leave it; and on 01/07/2025 the balances of the organisations that ended
// handed over to their successors. Earlier years' payments are not generated (size).
type duesWorld struct {
	bases       [][]string
	exemptions  [][]string
	payments    [][]string
	remittances [][]string
}

var (
	duesPaymentsFrom = dangvu.Month{Year: 2025, Mon: 4}
	duesPaymentsTo   = dangvu.Month{Year: 2026, Mon: 10}
)

func (w *world) buildDues(r *rand.Rand) {
	d := &w.dues
	seq := 0
	next := func(prefix string) string {
		seq++
		return fmt.Sprintf("%s-%06d", prefix, seq)
	}
	type key struct {
		org   *org
		month dangvu.Month
	}
	collected := map[key]int64{}
	var keys []key
	arrearsLeft := 6 // members of the wards who stop paying from August 2026
	hardshipLeft := 4
	for _, p := range w.people {
		if len(p.stints) == 0 || p.stints[len(p.stints)-1].org.area != "UB" {
			continue
		}
		if chance(r, 0.01) || !residentialSince(p, ymd(2025, 4, 1)) {
			// No basis recorded: listed as such, never charged zero. Only the residential cells'
			// members have their dues recorded (size of the data set).
			continue
		}
		from := max(ymd(2015, 1, 1), p.admitted)
		g, amount := dangvu.DuesInsured, int64(4_000+r.IntN(9_000))*1_000
		switch {
		case p.birth.year() < 1966:
			g, amount = dangvu.DuesPension, int64(4_500+r.IntN(5_000))*1_000
		case p.birth.year() > 2002 && chance(r, 0.5):
			g, amount = dangvu.DuesStudent, 0
		case chance(r, 0.25):
			g, amount = dangvu.DuesSelfEmployed, 4_730_000 // the regional minimum wage recorded as the basis
		}
		bs := []dangvu.DuesBasis{{Member: p.id, From: from.time(), Group: g, Amount: amount}}
		d.bases = append(d.bases, []string{next("DB"), p.id, from.String(), string(g), strconv.FormatInt(amount, 10), "Kê khai thu nhập"})
		if g == dangvu.DuesInsured && from < ymd(2026, 1, 1) {
			// The salary declared again for 2026 (the previous month's insured salary).
			a := amount + int64(r.IntN(1_000))*1_000
			bs = append(bs, dangvu.DuesBasis{Member: p.id, From: ymd(2026, 1, 1).time(), Group: g, Amount: a})
			d.bases = append(d.bases, []string{next("DB"), p.id, "2026-01-01", string(g), strconv.FormatInt(a, 10), "Kê khai năm 2026"})
		}
		var ex []dangvu.DuesExemption
		addEx := func(e dangvu.DuesExemption, decidedBy string, decision string) {
			ex = append(ex, e)
			to := ""
			if !e.To.IsZero() {
				to = dangvu.ISO(e.To)
			}
			d.exemptions = append(d.exemptions, []string{next("DE"), p.id, string(e.Kind), strconv.Itoa(e.Pct), dangvu.ISO(e.From), to, decision, decidedBy, ""})
		}
		if p.admitted <= ymd(1976, 2, 1) && p.admitted != 0 {
			f := max(ymd(2026, 2, 1), p.admitted.addYears(50))
			if s := p.stintAt(f); s != nil && f < today {
				addEx(dangvu.DuesExemption{Kind: dangvu.ReliefPartyAge, Pct: 100, From: f.time()}, s.org.id, "Tuổi đảng từ 50 năm (01-QĐ/TW Điều 5)")
			}
		}
		if len(ex) == 0 && hardshipLeft > 0 && g != dangvu.DuesStudent && chance(r, 0.02) {
			f := ymd(2026, 7, 1)
			if s := p.stintAt(f); s != nil && s.org.at(f) != nil && s.org.at(f).parent != nil && p.exit == open {
				hardshipLeft--
				pct, to := 50, ymd(2026, 12, 31) // ends next month: on the home page
				if hardshipLeft%2 == 1 {
					pct, to = 30, ymd(2027, 3, 31)
				}
				addEx(dangvu.DuesExemption{Kind: dangvu.ReliefHardship, Pct: pct, From: f.time(), To: to.time()}, s.org.at(f).parent.id,
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
		for m := duesPaymentsFrom; !duesPaymentsTo.Before(m); m = m.Next() {
			last := ymd(m.Year, m.Mon, 1).time().AddDate(0, 1, -1)
			s := p.stintAt(date(last.Unix() / 86400))
			if s == nil {
				s = p.stintAt(ymd(m.Year, m.Mon, 1))
			}
			if s == nil || !inParty(p.statusAt(ymd(m.Year, m.Mon, 1))) {
				continue
			}
			// Only residential cells' books are generated (size); the others' members have their
			// bases and exemptions but no payments, and show as unpaid.
			if v := s.org.at(ymd(m.Year, m.Mon, 1)); v == nil || v.kind != dangvu.KindResidential {
				continue
			}
			o, ok, _ := dues.Owed(m, bs, ex)
			if !ok || o.Owed == 0 {
				continue
			}
			if stops && m.Year == 2026 && m.Mon >= 8 {
				continue
			}
			paid := ymd(m.Year, m.Mon, 5+r.IntN(20))
			if late && chance(r, 0.3) {
				paid = ymd(m.Year, m.Mon, 1).addMonths(1 + r.IntN(2))
			}
			if paid > today {
				paid = today
			}
			ch, ref := dangvu.DuesCash, fmt.Sprintf("BL %s/%d", m.VN(), r.IntN(900)+100)
			if portal {
				ch, ref = dangvu.DuesPortal, fmt.Sprintf("DVC%d%02d%07d", m.Year, int(m.Mon), r.IntN(9_999_999))
			}
			vol := int64(0)
			if chance(r, 0.02) {
				vol = 10_000
			}
			d.payments = append(d.payments, []string{next("DP"), p.id, s.org.id, m.String(), strconv.FormatInt(o.Owed, 10), strconv.FormatInt(vol, 10), paid.String(), ch, ref, ""})
			k := key{s.org, m}
			if _, ok := collected[k]; !ok {
				keys = append(keys, k)
			}
			collected[k] += o.Owed + vol
		}
	}
	// Each cell's monthly remittance, the month after (not yet for October 2026 everywhere).
	kept := map[*org]int64{}
	for _, k := range keys {
		first := ymd(k.month.Year, k.month.Mon, 1)
		v := k.org.at(first)
		if v == nil || v.parent == nil || k.month == duesPaymentsTo && chance(r, 0.5) {
			continue
		}
		pct, _ := dues.ForMonth(k.month).KeepPct(v.level, v.kind)
		c := collected[k]
		kp, rem := dues.Split(c, pct)
		sent := first.addMonths(1) + date(r.IntN(10))
		recv := ""
		if sent+7 < today {
			recv = (sent + 7).String()
		}
		d.remittances = append(d.remittances, []string{next("DR"), k.org.id, k.month.String(), dangvu.RemitMonthly, v.parent.id,
			strconv.FormatInt(c, 10), strconv.FormatInt(kp, 10), strconv.FormatInt(rem, 10), sent.String(), recv, "", fmt.Sprintf("Để lại %d%%", pct)})
		if sent <= reorgDay {
			kept[k.org] += kp
		}
	}
	// 01/07/2025: the organisations that ended hand their balance to their successor.
	for _, o := range w.orgs {
		b := kept[o]
		if b == 0 || o.to() != reorgDay || o.endEvent == nil {
			continue
		}
		to := ""
		if len(o.carryTo) > 0 {
			to = o.carryTo[0].id
		} else if v := o.at(reorgDay - 1); v != nil && v.parent != nil {
			to = v.parent.id
		}
		if to == "" {
			continue
		}
		d.remittances = append(d.remittances, []string{next("DH"), o.id, "2025-07", dangvu.RemitHandover, to, "0", "0", strconv.FormatInt(b, 10),
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

func (w *world) writeDues(s *sink) {
	for _, r := range w.dues.bases {
		s.row("dues_bases", "id", r[0], "member_id", r[1], "valid_from", r[2], "group", r[3], "amount", r[4], "note", r[5])
	}
	for _, r := range w.dues.exemptions {
		s.row("dues_exemptions", "id", r[0], "member_id", r[1], "kind", r[2], "pct", r[3], "valid_from", r[4], "valid_to", r[5], "decision", r[6], "decided_by", r[7], "note", r[8])
	}
	for _, r := range w.dues.payments {
		s.row("dues_payments", "id", r[0], "member_id", r[1], "org_id", r[2], "month", r[3], "amount", r[4], "voluntary", r[5], "paid_on", r[6], "channel", r[7], "reference", r[8], "note", r[9])
	}
	for _, r := range w.dues.remittances {
		s.row("dues_remittances", "id", r[0], "org_id", r[1], "month", r[2], "kind", r[3], "to_org_id", r[4], "collected", r[5], "kept", r[6], "remitted", r[7], "sent_on", r[8], "received_on", r[9], "event_id", r[10], "note", r[11])
	}
}

// residentialSince reports whether every cell the member belonged to from d on is a residential
// one (and they belonged to one).
func residentialSince(p *person, d date) bool {
	any := false
	for _, s := range p.stints {
		if s.to <= d {
			continue
		}
		for _, v := range s.org.versions {
			if v.to > max(s.from, d) && v.from < s.to && v.kind != dangvu.KindResidential {
				return false
			}
		}
		any = true
	}
	return any
}
