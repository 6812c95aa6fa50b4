package store

import (
	"fmt"
	"hash/fnv"
	"strconv"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/rules/dues"
)

// The dues domain's exchange tables (docs/dues.md): each loads through the bulk loader, upserting
// by id, after checking its references, its amounts (whole đồng, not negative) and, for an
// exemption, the limits of the rule set in force on its first day.

var (
	tblDuesBases       = table{name: "dues_bases", columns: []string{"id", "member_id", "valid_from", "grp", "amount", "note"}, key: []string{"id"}}
	tblDuesExemptions  = table{name: "dues_exemptions", columns: []string{"id", "member_id", "kind", "pct", "valid_from", "valid_to", "decision", "decided_by", "note"}, key: []string{"id"}}
	tblDuesPayments    = table{name: "dues_payments", columns: []string{"id", "member_id", "org_id", "month", "amount", "voluntary", "paid_on", "channel", "reference", "note"}, key: []string{"id"}}
	tblDuesRemittances = table{name: "dues_remittances", columns: []string{"id", "org_id", "month", "kind", "to_org_id", "collected", "kept", "remitted", "sent_on", "received_on", "event_id", "note"}, key: []string{"id"}}
)

// duesTables bind the dues tables of the exchange format; reading them needs ActDues.
var duesTables = []domainTable{
	{name: tblDuesBases.name, export: exportSQL(tblDuesBases), load: (*importer).duesBases, read: dangvu.ActDues,
		scope: func(sc *exportScope) func([]string) bool { return sc.in("dues_bases", "member_id", sc.members) }},
	{name: tblDuesExemptions.name, export: exportSQL(tblDuesExemptions), load: (*importer).duesExemptions, read: dangvu.ActDues,
		scope: func(sc *exportScope) func([]string) bool { return sc.in("dues_exemptions", "member_id", sc.members) }},
	{name: tblDuesPayments.name, export: exportSQL(tblDuesPayments), load: (*importer).duesPayments, read: dangvu.ActDues,
		scope: func(sc *exportScope) func([]string) bool { return sc.in("dues_payments", "member_id", sc.members) }},
	{name: tblDuesRemittances.name, export: exportSQL(tblDuesRemittances), load: (*importer).duesRemittances, read: dangvu.ActDues,
		scope: func(sc *exportScope) func([]string) bool { return sc.in("dues_remittances", "org_id", sc.orgs) }},
}

// vnd reads an amount in whole đồng, not negative ("" is 0 unless required).
func (im *importer) vnd(table string, row int, rec exchange.Record, col string, required bool) int64 {
	v := rec.Get(col)
	if v == "" {
		if required {
			im.bad(table, row, col, "bắt buộc, không được để trống")
		}
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > 1_000_000_000_000 {
		im.bad(table, row, col, "số tiền %q không hợp lệ: cần số đồng nguyên, không âm, không dấu phân cách", v)
		return 0
	}
	return n
}

func (im *importer) month(table string, row int, rec exchange.Record, col string) string {
	if v := rec.Get(col); plainMonth(v) {
		return v // already in the stored form (a million payment rows in the demo)
	}
	m, err := dangvu.ParseMonth(rec.Get(col))
	if err != nil {
		im.bad(table, row, col, "%s", err.Error())
		return ""
	}
	return m.String()
}

// plainMonth reports whether v is a month in the stored form yyyy-mm (month 01–12, year from 1900).
func plainMonth(v string) bool {
	if len(v) != 7 || v[4] != '-' || v[0] < '1' {
		return false
	}
	for _, i := range []int{0, 1, 2, 3, 5, 6} {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	mo := int(v[5]-'0')*10 + int(v[6]-'0')
	return mo >= 1 && mo <= 12 && v[:2] >= "19"
}

// duesMonthSeen is one payment month of a member seen so far: the month as a number, the file
// row that brought it (0: stored before the import) and a hash of its id (a stored row the file
// rewrites under its own id is not a second payment). Ten bytes a payment, where the months and
// ids as strings took some eighty: the country's 53 million payments exhausted 24 GB.
type duesMonthSeen struct {
	month uint16
	row   uint32
	id    uint32
}

// duesMonthsSeen are the months of one member's payments seen so far (stored, then in the file);
// while the months come in increasing order, as a member's payments do in every export and the
// demo, a later month cannot repeat one.
type duesMonthsSeen struct {
	sorted bool
	seen   []duesMonthSeen
}

// duesPaymentMonths are the payment months of each member (one small map of members, not one
// entry per payment).
type duesPaymentMonths map[string]*duesMonthsSeen

// monthNumber numbers a month in the stored form yyyy-mm (checked by im.month) from 1900.
func monthNumber(month string) uint16 {
	y := int(month[0]-'0')*1000 + int(month[1]-'0')*100 + int(month[2]-'0')*10 + int(month[3]-'0')
	return uint16((y-1900)*12 + int(month[5]-'0')*10 + int(month[6]-'0') - 1)
}

func idHash(id string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(id))
	return h.Sum32()
}

// storedPaymentMonths reads the months already stored (q selects member_id, month, id).
func (im *importer) storedPaymentMonths(q string) (duesPaymentMonths, error) {
	out := duesPaymentMonths{}
	rows, err := im.conn.QueryContext(im.ctx, q)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m, month, id string
		if err := rows.Scan(&m, &month, &id); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		if plainMonth(month) {
			out.add(m, month, id, 0)
		}
	}
	return out, rows.Err()
}

// add records the member's month, brought by row under id, and says whether another payment
// holds it: the row of that one (0: stored).
func (p duesPaymentMonths) add(member, month, id string, row int) (other int, taken bool) {
	s := p[member]
	if s == nil {
		s = &duesMonthsSeen{sorted: true}
		p[own(member)] = s
	}
	x := duesMonthSeen{month: monthNumber(month), row: uint32(row), id: idHash(id)}
	n := len(s.seen)
	if !s.sorted || n > 0 && x.month <= s.seen[n-1].month {
		for _, e := range s.seen {
			if e.month == x.month {
				if e.id != x.id {
					return int(e.row), true
				}
				return 0, false
			}
		}
		s.sorted = false
	}
	s.seen = append(s.seen, x)
	return 0, false
}

// uniquePair refuses a second row (in the file or stored) with the same pair of values under
// another id; pairs maps "a\x00b" to the id holding it.
func (im *importer) uniquePair(table string, row int, col string, pairs map[string]string, a, b, id, what string) {
	if a == "" || b == "" {
		return
	}
	k := a + "|" + b
	if other, ok := pairs[k]; ok && other != id {
		im.bad(table, row, col, "%s đã ghi ở dòng mã %q", what, other)
		return
	}
	pairs[k] = own(id)
}

func (im *importer) duesBases() error {
	t := "dues_bases"
	pairs, err := im.storedIDs("dues_bases/pair", `SELECT member_id || '|' || valid_from, id FROM dues_bases`)
	if err != nil {
		return err
	}
	return im.load(t, tblDuesBases, func(row int, rec exchange.Record) []any {
		id := im.key(t, row, rec)
		m := im.id(t, row, rec, "member_id", true)
		im.memberRef(t, row, "member_id", m)
		from := im.date(t, row, rec, "valid_from", true)
		g := code(im, t, row, rec, "group", dangvu.DuesGroups, true)
		amount := im.vnd(t, row, rec, "amount", false)
		im.uniquePair(t, row, "valid_from", pairs, m, from, id, "căn cứ đóng đảng phí của đảng viên này từ ngày này")
		if g != "" && from != "" {
			if day, ok := disISO(from); ok {
				if _, v := dues.For(day).Gross(dangvu.DuesBasis{Group: g, Amount: amount}); v != nil {
					im.bad(t, row, v.Field, "%s", v.String())
				}
			}
		}
		return []any{id, m, from, string(g), amount, rec.Get("note")}
	})
}

func (im *importer) duesExemptions() error {
	t := "dues_exemptions"
	return im.load(t, tblDuesExemptions, func(row int, rec exchange.Record) []any {
		id := im.key(t, row, rec)
		m := im.id(t, row, rec, "member_id", true)
		im.memberRef(t, row, "member_id", m)
		kind := code(im, t, row, rec, "kind", dangvu.DuesReliefKinds, true)
		pct, err := strconv.Atoi(rec.Get("pct"))
		if err != nil || pct < 1 || pct > 100 {
			im.bad(t, row, "pct", "mức %q không hợp lệ: cần số phần trăm 1–100 (100 là miễn)", rec.Get("pct"))
		}
		from := im.date(t, row, rec, "valid_from", true)
		to := im.date(t, row, rec, "valid_to", false)
		by := im.id(t, row, rec, "decided_by", false)
		im.orgRef(t, row, "decided_by", by, "", "")
		if kind != "" && from != "" && pct >= 1 && pct <= 100 {
			e := dangvu.DuesExemption{Kind: kind, Pct: pct}
			e.From, _ = dangvu.ParseDate(from)
			if to != "" {
				e.To, _ = dangvu.ParseDate(to)
			}
			// The deciding body's competence needs the member's cell on the day: checked when
			// the exemption is recorded through the application, not on import.
			for _, p := range dues.CheckExemption(e, false, false, true) {
				im.bad(t, row, duesColumn(p.Field), "%s", p.String())
			}
		}
		return []any{id, m, string(kind), pct, from, to, rec.Get("decision"), by, rec.Get("note")}
	})
}

// duesColumn maps a rule problem's field to the exchange column.
func duesColumn(f string) string {
	switch f {
	case "to":
		return "valid_to"
	case "from":
		return "valid_from"
	}
	return f
}

func (im *importer) duesPayments() error {
	t := "dues_payments"
	seen, err := im.storedPaymentMonths(`SELECT member_id, month, id FROM dues_payments`)
	if err != nil {
		return err
	}
	return im.load(t, tblDuesPayments, func(row int, rec exchange.Record) []any {
		id := im.key(t, row, rec)
		m := im.id(t, row, rec, "member_id", true)
		im.memberRef(t, row, "member_id", m)
		org := im.id(t, row, rec, "org_id", true)
		im.orgRef(t, row, "org_id", org, "", "")
		month := im.month(t, row, rec, "month")
		amount := im.vnd(t, row, rec, "amount", true)
		vol := im.vnd(t, row, rec, "voluntary", false)
		paid := im.date(t, row, rec, "paid_on", true)
		im.past(t, row, "paid_on", paid)
		ch := rec.Get("channel")
		if ch != dangvu.DuesCash && ch != dangvu.DuesPortal {
			im.bad(t, row, "channel", "hình thức %q không hợp lệ: cash (tiền mặt tại chi bộ) hoặc portal (Cổng Dịch vụ công)", ch)
		}
		if m != "" && plainMonth(month) {
			if other, taken := seen.add(m, month, id, row); taken && other > 0 {
				im.bad(t, row, "month", "đảng phí tháng này của đảng viên này đã ghi ở dòng %d của tệp", other)
			} else if taken {
				var stored string
				im.conn.QueryRowContext(im.ctx, `SELECT id FROM dues_payments WHERE member_id = ? AND month = ?`, m, month).Scan(&stored)
				im.bad(t, row, "month", "đảng phí tháng này của đảng viên này đã ghi ở dòng mã %q", stored)
			}
		}
		return []any{id, m, org, month, amount, vol, paid, ch, rec.Get("reference"), rec.Get("note")}
	})
}

func (im *importer) duesRemittances() error {
	t := "dues_remittances"
	return im.load(t, tblDuesRemittances, func(row int, rec exchange.Record) []any {
		id := im.key(t, row, rec)
		org := im.id(t, row, rec, "org_id", true)
		im.orgRef(t, row, "org_id", org, "", "")
		month := im.month(t, row, rec, "month")
		kind := rec.Get("kind")
		if kind != dangvu.RemitMonthly && kind != dangvu.RemitHandover {
			im.bad(t, row, "kind", "loại %q không hợp lệ: monthly (nộp cấp trên hằng tháng) hoặc handover (bàn giao số dư khi sắp xếp tổ chức)", kind)
		}
		to := im.id(t, row, rec, "to_org_id", true)
		im.orgRef(t, row, "to_org_id", to, "", "")
		c, k, r := im.vnd(t, row, rec, "collected", false), im.vnd(t, row, rec, "kept", false), im.vnd(t, row, rec, "remitted", false)
		if k+r != c && kind == dangvu.RemitMonthly {
			im.bad(t, row, "remitted", "để lại %d + nộp lên %d khác số đã thu %d", k, r, c)
		}
		sent := im.date(t, row, rec, "sent_on", true)
		im.past(t, row, "sent_on", sent)
		recv := im.date(t, row, rec, "received_on", false)
		ev := im.id(t, row, rec, "event_id", false)
		if ev != "" && !im.events[ev] {
			im.bad(t, row, "event_id", "không có sự kiện sắp xếp tổ chức mã %q", ev)
		}
		return []any{id, org, month, kind, to, c, k, r, sent, recv, ev, rec.Get("note")}
	})
}
