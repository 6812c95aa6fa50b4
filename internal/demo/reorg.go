package demo

import (
	"strings"

	"dangvu"
)

// The new wards of 1/7/2025 and the old wards and communes merged into each (a fictional
// assignment; the new wards' names are Uông Bí's real ones, domain.md §1).
var newWards = []struct {
	id, name, doc string
	olds          []string
}{
	{"QN-UONGBI", "Uông Bí", "Số 1235-QĐ/TU", []string{"QT", "TV", "YT", "NK", "DC"}},
	{"QN-VANGDANH", "Vàng Danh", "Số 1236-QĐ/TU", []string{"VD", "BS", "TS"}},
	{"QN-YENTU", "Yên Tử", "Số 1237-QĐ/TU", []string{"TYC", "PD", "PN"}},
}

// planReorganisation records the reorganisation of 1/7/2025, when the district level ended:
//   - the Uông Bí city committee ends; its eleven wards and communes end and merge into three new
//     ward committees directly under the province, which take over their cells;
//   - each old ward's agency cell ends and its members are carried to the new ward's government
//     agency cell; so are the members of the city's party, government and front agencies, whose
//     committees and cells end;
//   - the other grassroots organisations move: state agencies, police, armed forces, the health
//     centre and state enterprises under the province, the rest under the new wards;
//   - Đông Triều's committee ends likewise and its wards move under the province.
//
// Members of cells that only move keep their membership; those of ended cells are carried as
// their histories are made (see carry).
func (w *world) planReorganisation() {
	var parties, offices, wards []*org
	for _, nw := range newWards {
		var names []string
		for _, code := range nw.olds {
			names = append(names, w.byID["UB-"+code].first().name)
		}
		e := w.event("R-2025-"+strings.TrimPrefix(nw.id, "QN-"), reorgDay, dangvu.ReorgMerge, nw.doc,
			"Hợp nhất "+strings.Join(names, ", ")+" thành Đảng bộ phường "+nw.name+" trực thuộc Đảng bộ tỉnh; các chi bộ trực thuộc chuyển về Đảng bộ phường "+nw.name)
		wd := w.add(nw.id, "Đảng bộ phường "+nw.name, w.qn, dangvu.LevelGrassrootsCommittee, dangvu.KindWard, reorgDay)
		wd.area, wd.role, wd.first().event = "UB", roleWardOffice, e
		party := w.holder(nw.id+"-CQD", "Chi bộ Cơ quan Đảng - Mặt trận Tổ quốc phường "+nw.name, wd, dangvu.LevelCell, dangvu.KindPartyAgency, roleWardOffice, 20)
		office := w.holder(nw.id+"-CQCQ", "Chi bộ Cơ quan chính quyền phường "+nw.name, wd, dangvu.LevelCell, dangvu.KindStateAgency, roleWardOffice, 35)
		party.first().event, office.first().event = e, e
		w.newUnit(office, "Ủy ban nhân dân phường "+nw.name, dangvu.KindStateAgency, "Chủ tịch")
		for _, code := range nw.olds {
			old := w.byID["UB-"+code]
			for _, c := range old.children {
				switch {
				case c.to() <= reorgDay:
				case c.id == old.id+"-CQ":
					c.end(reorgDay, e)
					c.carryTo = []*org{office}
				default:
					c.move(reorgDay, wd, e)
				}
			}
			old.end(reorgDay, e)
		}
		parties, offices, wards = append(parties, party), append(offices, office), append(wards, wd)
	}

	end := w.event("R-2025-UB-END", reorgDay, dangvu.ReorgDissolve, "Số 1234-QĐ/TU",
		"Kết thúc hoạt động của Đảng bộ thành phố Uông Bí khi không tổ chức chính quyền địa phương cấp huyện; "+
			"giải thể các đảng bộ cơ quan cấp thành phố, đảng viên chuyển về chi bộ cơ quan các phường Uông Bí, Vàng Danh, Yên Tử")
	move := w.event("R-2025-UB-MOVE", reorgDay, dangvu.ReorgMove, "Số 1238-QĐ/TU",
		"Chuyển các tổ chức cơ sở đảng trực thuộc Đảng bộ thành phố Uông Bí về trực thuộc Đảng bộ tỉnh và Đảng bộ các phường Uông Bí, Vàng Danh, Yên Tử")
	n := 0
	for _, c := range w.ub.children {
		v := c.first()
		switch {
		case c.to() <= reorgDay || v.kind == dangvu.KindWard || v.kind == dangvu.KindCommune:
		case c.role == roleCityOffice:
			for _, x := range c.children {
				x.end(reorgDay, end)
				x.carryTo = offices
				if v.kind != dangvu.KindStateAgency {
					x.carryTo = parties
				}
			}
			c.end(reorgDay, end)
		case v.kind == dangvu.KindStateAgency || v.kind == dangvu.KindPolice || v.kind == dangvu.KindArmedForces ||
			v.kind == dangvu.KindStateEnterprise || c.role == roleHealth:
			c.move(reorgDay, w.qn, move)
		case c.id == "UB-BQLYT":
			c.move(reorgDay, wards[2], move)
		default:
			c.move(reorgDay, wards[n%len(wards)], move)
			n++
		}
	}
	w.ub.end(reorgDay, end)

	dtEnd := w.event("R-2025-DT-END", reorgDay, dangvu.ReorgDissolve, "Số 1239-QĐ/TU",
		"Kết thúc hoạt động của Đảng bộ thị xã Đông Triều khi không tổ chức chính quyền địa phương cấp huyện")
	dtMove := w.event("R-2025-DT-MOVE", reorgDay, dangvu.ReorgMove, "Số 1240-QĐ/TU",
		"Chuyển các tổ chức cơ sở đảng trực thuộc Đảng bộ thị xã Đông Triều về trực thuộc Đảng bộ tỉnh")
	for _, c := range w.dt.children {
		c.move(reorgDay, w.qn, dtMove)
	}
	w.dt.end(reorgDay, dtEnd)
}
