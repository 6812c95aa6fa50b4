package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"dangvu"
	"dangvu/internal/rules/badges"
)

// Member files, cards, badges and the 2026 supplement (docs/member-files.md): most members' files
// hold the required documents of the 1361 catalogue, some lack one; the old cards of full members
// with a CCCD are exchanged for cards bearing it between 18/08 and 02/09/2025 (CT 51-CT/TW); a
// badge at every ceremony since 2015 for the members reaching a milestone (the article's 2018
// ones included); the 2026 supplement of the Uông Bí members in progress, its steps mixed.
type filesWorld struct{ rows []fileRow }

type fileRow struct {
	table string
	kv    []string
}

func (w *world) fileRow(table string, kv ...string) {
	w.files.rows = append(w.files.rows, fileRow{table, kv})
}

// inPartyAt is the member's organisation on d while in the Party, nil otherwise.
func (p *person) inPartyAt(d date) *stint {
	if !p.statusAt(d).InParty() {
		return nil
	}
	return p.stintAt(d)
}

func (w *world) buildFiles(r *rand.Rand) {
	exchangeFrom, exchangeTo := ymd(2025, 8, 18), ymd(2025, 9, 2)
	opened := ymd(2026, 11, 2)
	for _, p := range w.people {
		if p.admitted == 0 || p.admitted == open {
			continue
		}
		// The file: 01, 02, 03, 05 and, for a full member, 07; one in six lacks one of them.
		if s := p.inPartyAt(today); s != nil {
			types := []int{1, 2, 3, 5}
			if p.fullOn != open && p.fullOn <= today {
				types = append(types, 7)
			}
			if r.IntN(6) == 0 {
				types = append(types[:1], types[2:]...) // lacks the member's history
			}
			added := within(r, ymd(2026, 7, 1), today)
			for _, t := range types {
				w.fileRow("file_documents", "id", fmt.Sprintf("HS-%s-%02d", p.id, t), "member_id", p.id, "type_no", strconv.Itoa(t), "added_on", added.String())
			}
			if r.IntN(3) == 0 {
				w.fileRow("file_documents", "id", fmt.Sprintf("HS-%s-61", p.id), "member_id", p.id, "type_no", "61",
					"date", ymd(2025, 12, 20).String(), "title", "Bản tự kiểm điểm năm 2025", "added_on", added.String())
			}
		}
		// Cards: the old card, exchanged in 2025 for one bearing the CCCD.
		if p.card != "" && p.cardDate != open {
			old := "THE-" + p.id + "-1"
			s := p.inPartyAt(exchangeFrom)
			if s != nil && len(p.idNumber) == 12 && p.statusAt(exchangeFrom) != dangvu.StatusProbationary && p.cardDate < exchangeFrom {
				on := within(r, exchangeFrom, exchangeTo+1)
				w.fileRow("cards", "id", old, "member_id", p.id, "number", p.card, "kind", "issue", "issued_on", p.cardDate.String(),
					"ended_on", on.String(), "end_reason", "exchanged")
				w.fileRow("cards", "id", "THE-"+p.id+"-2", "member_id", p.id, "number", p.idNumber, "kind", "exchange", "issued_on", on.String(),
					"decision", "Quyết định đổi thẻ đảng viên theo Chỉ thị 51-CT/TW")
			} else {
				w.fileRow("cards", "id", old, "member_id", p.id, "number", p.card, "kind", "issue", "issued_on", p.cardDate.String())
			}
		}
		// Badges at each ceremony since 2015.
		for _, n := range badges.AllMilestones {
			at := badges.AddYears(p.admitted.time(), n)
			if at.Year() < 2015 {
				continue
			}
			c := badges.NextCeremony(at)
			cd := ymd(c.Year(), c.Month(), c.Day())
			if cd > today {
				break
			}
			s := p.inPartyAt(cd)
			if s == nil {
				continue
			}
			w.fileRow("badges", "id", fmt.Sprintf("HH-%s-%d", p.id, n), "member_id", p.id, "org_id", s.org.id, "milestone", strconv.Itoa(n), "kind", "due",
				"ceremony", cd.String(), "decision", fmt.Sprintf("Quyết định tặng Huy hiệu %d năm tuổi Đảng", n), "decided_on", (cd - 15).String(),
				"presented_on", cd.String(), "cash_amount", strconv.FormatInt(badges.CashFor(n, c).Amount, 10))
		}
		// The 2026 supplement of the Uông Bí members, in progress.
		if s := p.inPartyAt(opened); s != nil && s.org.area == "UB" {
			id := "BS2026-" + p.id
			kv := []string{"id", id, "member_id", p.id, "org_id", s.org.id, "year", "2026"}
			switch k := r.IntN(10); {
			case k < 4:
				kv = append(kv, "status", dangvu.SupplementOpen)
			case k < 7:
				kv = append(kv, "status", dangvu.SupplementEntered, "entered_on", within(r, opened, ymd(2026, 11, 15)).String(), "changes", `{"other":"Không thay đổi"}`)
			case k < 9:
				e := within(r, opened, ymd(2026, 11, 15))
				kv = append(kv, "status", dangvu.SupplementChecked, "entered_on", e.String(), "checked_on", (e + 3).String(), "changes", `{"position":"Tổ trưởng tổ dân phố"}`)
			default:
				e := within(r, opened, ymd(2026, 11, 10))
				kv = append(kv, "status", dangvu.SupplementCertified, "entered_on", e.String(), "checked_on", (e + 3).String(), "certified_on", (e + 7).String(),
					"changes", `{"awards":"Giấy khen của Đảng ủy phường năm 2026"}`)
			}
			w.fileRow("supplements", kv...)
		}
	}
}

func (w *world) writeFiles(s *sink) {
	for _, r := range w.files.rows {
		s.row(r.table, r.kv...)
	}
}
