package store

import (
	"context"
	"fmt"
	"strconv"

	"dangvu"
)

// InspectionStatistics gives the main tables of the inspection commission's statistics for the
// subtree of orgID over [from, to] (ISO, both included): rounds and "lượt" by kind and by who
// conducted them, rounds by field, discipline by form and subject, appeals by outcome. Rounds
// count when decided in the period and conducted in the subtree (the organisation itself
// included); discipline and appeals as in the term report.
func (s *Store) InspectionStatistics(ctx context.Context, orgID, from, to string) ([]dangvu.StatTable, error) {
	w, a, _ := s.underClause(ctx, orgID, "r.org_id", "r.decided_on")
	rows, err := s.read.QueryContext(ctx, `SELECT r.id, r.org_id, r.body, r.kind, r.fields, su.org_id, su.member_id, su.finding
		FROM inspection_rounds r JOIN inspection_subjects su ON su.round_id = r.id
		WHERE r.decided_on >= ? AND r.decided_on <= ?`+w+` ORDER BY r.id`, append([]any{from, to}, a...)...)
	if err != nil {
		return nil, fmt.Errorf("store: statistics: %w", err)
	}
	type agg struct{ rounds, orgs, members, violations int }
	byKind := map[dangvu.InspectionKind]map[string]*agg{}
	byField := map[string]*agg{}
	seen := map[string]bool{}
	for rows.Next() {
		var id, org, body, kind, fields, so, sm, finding string
		if err := rows.Scan(&id, &org, &body, &kind, &fields, &so, &sm, &finding); err != nil {
			rows.Close()
			return nil, err
		}
		who := "grassroots"
		switch {
		case org == orgID && dangvu.Body(body).IsCommittee():
			who = "committee"
		case org == orgID && dangvu.Body(body) == dangvu.BodyCommission:
			who = "commission"
		case dangvu.Body(body) == dangvu.BodyCommission:
			who = "lower_commission"
		}
		k := dangvu.InspectionKind(kind)
		if byKind[k] == nil {
			byKind[k] = map[string]*agg{}
		}
		x := byKind[k][who]
		if x == nil {
			x = &agg{}
			byKind[k][who] = x
		}
		first := !seen[id]
		seen[id] = true
		var fs []*agg
		for _, f := range splitList(fields) {
			if byField[f] == nil {
				byField[f] = &agg{}
			}
			fs = append(fs, byField[f])
		}
		for _, y := range append(fs, x) {
			if first {
				y.rounds++
			}
			if so != "" {
				y.orgs++
			} else {
				y.members++
			}
			if finding == string(dangvu.FindingViolation) {
				y.violations++
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	itoa := strconv.Itoa
	kinds := dangvu.StatTable{Name: "Theo loại", Title: "Cuộc kiểm tra, giám sát theo loại và chủ thể",
		Columns: []string{"Loại", "Chủ thể", "Số cuộc", "Lượt tổ chức đảng", "Lượt đảng viên", "Có vi phạm"}}
	whoNames := []struct{ code, name string }{{"committee", "Ban Chấp hành, Ban Thường vụ"}, {"commission", "Ủy ban Kiểm tra"},
		{"lower_commission", "Ủy ban kiểm tra cấp dưới"}, {"grassroots", "Cấp ủy, tổ chức đảng cấp dưới"}}
	for _, k := range dangvu.InspectionKinds {
		for _, who := range whoNames {
			if x := byKind[k.Code][who.code]; x != nil {
				kinds.Rows = append(kinds.Rows, []string{k.Name, who.name, itoa(x.rounds), itoa(x.orgs), itoa(x.members), itoa(x.violations)})
			}
		}
	}
	fields, err := s.InspectionFields(ctx)
	if err != nil {
		return nil, err
	}
	byFieldT := dangvu.StatTable{Name: "Theo lĩnh vực", Title: "Cuộc kiểm tra, giám sát theo lĩnh vực", Columns: []string{"Lĩnh vực", "Số cuộc", "Lượt tổ chức đảng", "Lượt đảng viên", "Có vi phạm"}}
	for _, f := range fields {
		if x := byField[f.Code]; x != nil {
			byFieldT.Rows = append(byFieldT.Rows, []string{f.Name, itoa(x.rounds), itoa(x.orgs), itoa(x.members), itoa(x.violations)})
		}
	}
	ds, err := s.Disciplines(ctx, dangvu.DisciplineFilter{Under: orgID, From: isoDay(from), To: isoDay(to), Live: isoDay(to)})
	if err != nil {
		return nil, err
	}
	type formAgg struct{ members, orgs int }
	byForm := map[dangvu.DisciplineForm]map[dangvu.Body]*formAgg{}
	for _, d := range ds {
		if byForm[d.Form] == nil {
			byForm[d.Form] = map[dangvu.Body]*formAgg{}
		}
		x := byForm[d.Form][d.AuthorityBody]
		if x == nil {
			x = &formAgg{}
			byForm[d.Form][d.AuthorityBody] = x
		}
		if d.MemberID != "" {
			x.members++
		} else {
			x.orgs++
		}
	}
	forms := dangvu.StatTable{Name: "Kỷ luật", Title: "Thi hành kỷ luật theo hình thức và cấp quyết định", Columns: []string{"Hình thức", "Cấp quyết định", "Đảng viên", "Tổ chức đảng"}}
	for _, f := range dangvu.DisciplineForms {
		for _, b := range dangvu.Bodies {
			if x := byForm[f.Code][b.Code]; x != nil {
				forms.Rows = append(forms.Rows, []string{f.Name, b.Name, itoa(x.members), itoa(x.orgs)})
			}
		}
	}
	appeals, err := s.Appeals(ctx, "", orgID, false)
	if err != nil {
		return nil, err
	}
	outcomes := map[dangvu.AppealOutcome]int{}
	for _, a := range appeals {
		if !a.LodgedOn.Before(isoDate(from)) && !a.LodgedOn.After(isoDate(to)) {
			outcomes[a.Outcome]++
		}
	}
	ap := dangvu.StatTable{Name: "Khiếu nại", Title: "Giải quyết khiếu nại kỷ luật", Columns: []string{"Kết quả", "Số đơn"}}
	for _, o := range append([]dangvu.Code[dangvu.AppealOutcome]{{Code: "", Name: "Đang giải quyết"}}, dangvu.AppealOutcomes...) {
		if n := outcomes[o.Code]; n > 0 {
			ap.Rows = append(ap.Rows, []string{o.Name, itoa(n)})
		}
	}
	return []dangvu.StatTable{kinds, byFieldT, forms, ap}, nil
}
