package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"dangvu"
	"dangvu/internal/gen"
)

// The 14-digit organisation codes of CV 1361 (2.3.3.3.3: province, the committee directly above
// the grassroots, the grassroots organisation, the intermediate committee or 000, the cell or
// 000) as a dated attribute of the grassroots organisations and those under them. The demo's
// numbers are invented: 22 for Quảng Ninh, then each organisation numbered in order within the
// one above it on the day; a code changes when the chain above changes (the wards under the
// province from 01/07/2025), so the file folders of the 1361 package follow the tree of the day.
const demoProvinceCode = 22

func (w *world) buildOrgCodes() {
	num := map[string]int{}  // scope/org → number
	next := map[string]int{} // scope → last number given
	ord := func(scope string, o *org) int {
		if o == nil {
			return 0
		}
		k := scope + "/" + o.id
		if n, ok := num[k]; ok {
			return n
		}
		next[scope]++
		num[k] = next[scope]
		return num[k]
	}
	// Every day the tree changes: a code is recomputed on each within a version.
	var days []date
	for _, o := range w.orgs {
		for _, v := range o.versions {
			days = append(days, v.from)
		}
	}
	slices.Sort(days)
	days = slices.Compact(days)
	codeAt := func(o *org, d date) string {
		var cell, partial, grass, above *org
		for x := o; x != nil; {
			v := x.at(d)
			if v == nil {
				return ""
			}
			if grass != nil {
				above = x
				break
			}
			switch v.level {
			case dangvu.LevelCell:
				cell = x
			case dangvu.LevelPartialCommittee:
				partial = x
			case dangvu.LevelGrassrootsCommittee:
				grass = x
			case dangvu.LevelGrassrootsCell:
				grass = x
			default:
				return "" // above the grassroots: no code
			}
			x = v.parent
		}
		if grass == nil || above == nil {
			return ""
		}
		m2 := ord("above", above)
		m3 := ord(above.id, grass)
		m4 := ord(grass.id, partial)
		inner := grass
		if partial != nil {
			inner = partial
		}
		m5 := ord("cell "+inner.id, cell)
		return fmt.Sprintf("%02d.%03d.%03d.%03d.%03d", demoProvinceCode, m2%1000, m3%1000, m4%1000, m5%1000)
	}
	for _, o := range w.orgs {
		for _, v := range o.versions {
			if !v.level.IsGrassroots() && !v.level.IsCell() && v.level != dangvu.LevelPartialCommittee {
				continue
			}
			var from date
			code := ""
			emit := func(to date) {
				if code != "" {
					w.fileRow("org_codes", "org_id", o.id, "valid_from", from.String(), "valid_to", to.String(), "code", code)
				}
			}
			for _, d := range days {
				if d < v.from || d >= v.to {
					continue
				}
				if c := codeAt(o, d); c != code {
					emit(d)
					from, code = d, c
				}
			}
			emit(v.to)
		}
	}
}

// buildDetails gives a third of the members in the Party today the full record the forms need
// (1-HSĐV, 2-HSĐV): the birth name and place, foreign languages, and the family as the history
// lists it (father, mother, a spouse and children for those of age). Its own random stream.
func (w *world) buildDetails(r *rand.Rand) {
	langs := []string{"", "", "Tiếng Anh B", "Tiếng Anh B1", "Tiếng Trung A", "Tiếng Anh trình độ C"}
	for _, p := range w.people {
		if p.admitted == 0 || p.admitted == open || p.inPartyAt(today) == nil || r.IntN(3) != 0 {
			continue
		}
		born := p.birth.time().Year()
		w.fileRow("member_details", "member_id", p.id, "valid_from", p.admitted.String(), "birth_name", p.name,
			"birth_place", p.hometown, "foreign_languages", langs[r.IntN(len(langs))])
		family := strings.Fields(p.name)[0]
		rel := func(n int, relation, name string, year int, occupation string) {
			w.fileRow("family_members", "id", fmt.Sprintf("GD-%s-%d", p.id, n), "member_id", p.id, "relation", relation, "full_name", name,
				"birth_year", strconv.Itoa(year), "residence", p.hometown, "occupation", occupation)
		}
		father := gen.Person(r, "male")
		father = family + father[strings.IndexByte(father, ' '):]
		rel(1, "father", father, born-25-r.IntN(8), []string{"Làm ruộng", "Công nhân mỏ", "Hưu trí", "Đã mất"}[r.IntN(4)])
		rel(2, "mother", gen.Person(r, "female"), born-22-r.IntN(8), []string{"Làm ruộng", "Nội trợ", "Hưu trí", "Đã mất"}[r.IntN(4)])
		if today.time().Year()-born >= 25 && r.IntN(4) != 0 {
			g := "female"
			if p.gender == "female" {
				g = "male"
			}
			rel(3, "spouse", gen.Person(r, g), born-3+r.IntN(6), []string{"Giáo viên", "Công nhân", "Kinh doanh", "Viên chức"}[r.IntN(4)])
			for c := 0; c < 1+r.IntN(2) && today.time().Year()-born >= 32; c++ {
				child := gen.Person(r, []string{"male", "female"}[r.IntN(2)])
				child = family + child[strings.IndexByte(child, ' '):]
				rel(4+c, "child", child, born+24+3*c+r.IntN(3), "Học sinh")
			}
		}
	}
}
