package gen

import (
	"fmt"
	"strconv"

	hh "dangvu/internal/rules/badges"
)

// The member files of the national data set (issue 19, docs/member-files.md), from the member's
// own stream after their other records: the file of a member in the party on the as-of date
// (the documents every file holds, one in six lacking the member's history), a third with the
// details the forms need; the party card (the old card from full membership, exchanged from
// 18/08/2025 for one bearing the CCCD); a badge at every ceremony since 2015 at which the member,
// in the party that day, reached a milestone (party age from admission: the generator's members
// leave once, so there are no gaps to net).
func (m *memberGen) fileRows(i int, f *memberFacts) {
	rb, r := &m.rb, m.r
	if f.adm == 0 {
		return
	}
	mid := memberID(i)
	if f.inParty(dAsOf) {
		added := iso(mkday(2026, 7, 1) + day(r.IntN(120)))
		if added > iso(dAsOf) {
			added = iso(dAsOf)
		}
		if r.IntN(3) == 0 {
			rb.row("member_details")
			for _, v := range []string{mid, iso(f.adm), f.name, f.h.residence, "", "", "", ""} {
				rb.s(v)
			}
		}
		types := []int{1, 2, 3, 5}
		if f.isFull {
			types = append(types, 7)
		}
		if r.IntN(6) == 0 {
			types = append(types[:1], types[2:]...)
		}
		for _, t := range types {
			// The document's date: the applicant's history before admission, the decisions on
			// their days, the member's history and sheet after admission.
			dated := map[int]day{1: f.adm - 60, 2: f.adm + 30, 3: f.adm + 30, 5: f.adm, 7: f.full}[t]
			if dated <= 0 || dated > dAsOf {
				dated = f.adm
			}
			rb.row("file_documents")
			for _, v := range []string{fmt.Sprintf("HS-%s-%02d", mid, t), mid, strconv.Itoa(t), iso(dated), "", "", "", "", added, ""} {
				rb.s(v)
			}
		}
	}
	// The card: the old one from full membership, exchanged in 2025 for those in the party then
	// with a CCCD.
	if f.isFull && f.full != 0 && f.full <= dAsOf {
		issued := f.full + day(60+r.IntN(120))
		if issued <= dAsOf {
			old := fmt.Sprintf("%02d%06d", 10+r.IntN(90), r.IntN(1_000_000))
			ex := mkday(2025, 8, 18) + day(r.IntN(16))
			exchange := len(f.idNumber) == 12 && issued < ex && f.inParty(ex) && ex <= dAsOf
			rb.row("cards")
			end, reason := "", ""
			if exchange {
				end, reason = iso(ex), "exchanged"
			}
			for _, v := range []string{"THE-" + mid + "-1", mid, old, "issue", iso(issued), "", end, reason, ""} {
				rb.s(v)
			}
			if exchange {
				rb.row("cards")
				for _, v := range []string{"THE-" + mid + "-2", mid, f.idNumber, "exchange", iso(ex), "Quyết định đổi thẻ đảng viên theo Chỉ thị 51-CT/TW", "", "", ""} {
					rb.s(v)
				}
			}
		}
	}
	// Badges at each ceremony since 2015.
	for _, n := range hh.AllMilestones {
		at := addYears(f.adm, n)
		if at > dAsOf {
			break
		}
		c := hh.NextCeremony(dayTime(at))
		cd := mkday(c.Year(), int(c.Month()), c.Day())
		if cd > dAsOf {
			break
		}
		if c.Year() < 2015 || !f.inParty(cd) {
			continue
		}
		org := int32(-1)
		for _, x := range m.ms {
			if !x.temp && x.from <= cd && (x.to == 0 || cd < x.to) {
				org = x.org
			}
		}
		if org < 0 {
			continue
		}
		rb.row("badges")
		for _, v := range []string{fmt.Sprintf("HH-%s-%d", mid, n), mid, m.g.orgs[org].id, strconv.Itoa(n), "due", iso(cd),
			fmt.Sprintf("Quyết định tặng Huy hiệu %d năm tuổi Đảng", n), iso(cd - 15), iso(cd), strconv.FormatInt(hh.CashFor(n, c).Amount, 10), ""} {
			rb.s(v)
		}
	}
}
