package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"dangvu"
)

// The inspection figures of the term report (docs/inspection.md gives the definitions). Rounds
// count when decided within the period; discipline when decided within it.

const (
	committeeBodies = `('executive_committee', 'standing_committee')`
	commissionBody  = `('inspection_commission')`
)

// grassrootsIn selects the grassroots rounds of the period under the reported organisation, with
// its arguments, as rows g(id, decision, decided_on, org_id, subject) — a round once per subject
// organisation: the round's organisation is at a grassroots level on the decision date, its
// committee (not its inspection commission) conducts it, and it lies in the subtree as the tree
// stood on the decision date (placement onDay).
//
// The root and the provinces start from the period's rounds, which are fewer than their
// organisations. Below them a branch per stretch of the organisation's path starts from the
// subtree's organisations and looks up each one's rounds: there PostgreSQL keeps one generic plan
// for the statement after five reports (db.go), and the generic plan of the join started from
// every round of the period in the country (1 → 9–12 ms a cell's report at a million members,
// growing with the country's rounds). The lookup is fenced (lookupFence) so that the plan cannot
// turn it around; SQLite keeps the order of a CROSS JOIN.
func grassrootsIn(rc *reportCtx, pg bool) (string, []any) {
	if pathDepth(rc.org.Path) <= countDepth {
		return grassrootsFromRounds(rc)
	}
	return grassrootsFromPaths(rc, pg)
}

const (
	grassrootsCols = `SELECT r.id, r.decision, r.decided_on, r.org_id, su.org_id AS subject`
	grassroots     = `v.level IN ('grassroots_committee', 'grassroots_cell')
	AND r.body IN ('grassroots_committee', 'executive_committee', 'standing_committee')`
)

// grassrootsFromRounds is grassrootsIn from the period's rounds.
func grassrootsFromRounds(rc *reportCtx) (string, []any) {
	under, args := rc.under("b.path", "r.decided_on", false)
	return `FROM (` + grassrootsCols + ` FROM inspection_subjects su JOIN inspection_rounds r ON r.id = su.round_id
	JOIN org_versions v ON v.org_id = r.org_id AND ` + onDay.covers("v", "r.decided_on") + `
	JOIN org_paths b ON b.org_id = r.org_id AND ` + onDay.covers("b", "r.decided_on") + `
	WHERE r.decided_on >= ? AND r.decided_on <= ? AND su.org_id <> '' AND ` + grassroots + ` AND ` + under + `) g`, append([]any{rc.from, rc.to}, args...)
}

// grassrootsFromPaths is grassrootsIn from the subtree's organisations.
func grassrootsFromPaths(rc *reportCtx, pg bool) (string, []any) {
	var parts []string
	var args []any
	for _, sp := range rc.spans {
		lo, hi := subtreeRange(sp.path)
		// The rounds of b's organisation decided while it had this path and within the period.
		rounds := `r.org_id = b.org_id AND r.decided_on >= ? AND r.decided_on <= ? AND r.decided_on >= ? AND r.decided_on < ? AND ` + onDay.covers("b", "r.decided_on")
		from := `org_paths b CROSS JOIN inspection_rounds r`
		where := rounds
		if pg {
			from = `org_paths b CROSS JOIN LATERAL (SELECT r.id, r.decision, r.decided_on, r.org_id, r.body FROM inspection_rounds r WHERE ` + rounds + lookupFence(pg) + `) r`
			where = `TRUE`
		}
		parts = append(parts, grassrootsCols+` FROM `+from+`
	JOIN org_versions v ON v.org_id = r.org_id AND `+onDay.covers("v", "r.decided_on")+`
	JOIN inspection_subjects su ON su.round_id = r.id
	WHERE b.path >= ? AND b.path < ? AND `+where+` AND su.org_id <> '' AND `+grassroots)
		if pg {
			args = append(args, rc.from, rc.to, sp.from, sp.to, lo, hi)
		} else {
			args = append(args, lo, hi, rc.from, rc.to, sp.from, sp.to)
		}
	}
	if len(parts) == 0 {
		return `FROM (` + grassrootsCols + ` FROM inspection_subjects su JOIN inspection_rounds r ON r.id = su.round_id WHERE 1 = 0) g`, nil
	}
	return `FROM (` + strings.Join(parts, "\n\tUNION ALL ") + `) g`, args
}

// disciplinedUnder counts the members (or, with orgs, the organisations) disciplined within the
// period by decisions in force on the as-of date whose subject lay in the subtree the day before
// the decision (subjectUnder): one branch per stretch of the organisation's path, each a range
// of the roster's (org_paths') path index, so that a cell's report reads its own members'
// decisions, not every decision of the period in the country.
func disciplinedUnder(rc *reportCtx, orgs bool) (string, []any) {
	// Below the kept top of the tree the subtree's rows are fewer than the period's decisions:
	// CROSS JOIN keeps SQLite starting from them (PostgreSQL plans the join as it sees fit).
	join := "CROSS JOIN"
	if pathDepth(rc.org.Path) <= countDepth {
		join = "," // the planner's choice: from the period's decisions
	}
	var parts []string
	var args []any
	for _, sp := range rc.spans {
		under, uargs := dayBefore.underSpans([]span{sp}, "x.path", "d.decided_on", orgs)
		if orgs {
			parts = append(parts, `SELECT d.org_id AS id FROM org_paths x `+join+` disciplines d
				WHERE d.org_id = x.org_id AND d.org_id <> '' AND d.decided_on >= ? AND d.decided_on <= ? AND `+dayBefore.covers("x", "d.decided_on")+` AND `+liveDiscipline+` AND `+under)
		} else if join == "," {
			// From the period's decisions to their members' rows: left to the planner, SQLite
			// read a province's roster range instead (0,5 s at a million members).
			parts = append(parts, `SELECT d.member_id AS id FROM disciplines d CROSS JOIN roster x
				WHERE d.member_id = x.member_id AND d.member_id <> '' AND d.decided_on >= ? AND d.decided_on <= ? AND `+dayBefore.covers("x", "d.decided_on")+` AND `+liveDiscipline+` AND `+under)
		} else {
			// Below the top, each of the subtree's roster rows looks for its member's decisions:
			// as a join SQLite first built a Bloom filter of every decision in the country
			// (3,5 of a ward's 4 ms at a million members) to probe a few hundred rows.
			// The span's path range is repeated outside, for the roster's path index.
			lo, hi := subtreeRange(sp.path)
			parts = append(parts, `SELECT x.member_id AS id FROM roster x WHERE x.path >= ? AND x.path < ? AND x.member_id <> '' AND EXISTS (SELECT 1 FROM disciplines d
				WHERE d.member_id = x.member_id AND d.decided_on >= ? AND d.decided_on <= ? AND `+dayBefore.covers("x", "d.decided_on")+` AND `+liveDiscipline+` AND `+under+`)`)
			args = append(args, lo, hi)
		}
		args = append(append(args, rc.from, rc.to, rc.asOf), uargs...)
	}
	if len(parts) == 0 {
		return `SELECT 0`, nil
	}
	return `SELECT count(DISTINCT u.id) FROM (` + strings.Join(parts, " UNION ALL ") + `) u`, args
}

// disciplineTally places each decision that disciplines a member (key: the decision's id) on
// its day under the path of the member's roster row the day before (disciplinedUnder); whether
// it still stands on the as-of day (liveDiscipline) is read with the report. Selected by decision
// and by member (the roster's rebuild). The million-member province looked up the roster for
// each of the period's 9.900 decisions in the country (150 ms).
var disciplineTally = tallyKind{name: "disciplined", events: func(ctx context.Context, q queryer, by tallyBy, ids []string, sign int, d *tallyDeltas) error {
	return tallyRows(ctx, q, `SELECT x.path, d.decided_on, d.id, count(*) FROM disciplines d
		JOIN roster x ON x.member_id = d.member_id AND `+dayBefore.covers("x", "d.decided_on")+`
		WHERE d.member_id <> ''`, map[tallyBy]string{tallyIDs: "d.id", tallyMembers: "d.member_id"},
		`GROUP BY x.path, d.decided_on, d.id`, by, ids, sign, d)
}}

// disciplinedTallied is disciplinedUnder's count of members from disciplineTally, for the root
// and the provinces (ok false when the tallies cannot say): the decisions placed under each of the
// organisation's paths on days in the period that it had the path the day before (placement
// dayBefore: from < day <= to), those in force on the as-of day.
func (s *Store) disciplinedTallied(ctx context.Context, rc *reportCtx) (string, []any, bool, error) {
	if ok, err := s.tallyReadable(ctx, disciplineTally, rc.spans); !ok {
		return "", nil, false, err
	}
	var parts []string
	var args []any
	for _, sp := range rc.spans {
		parts = append(parts, `SELECT d.member_id AS id FROM tallies t CROSS JOIN disciplines d
			WHERE t.kind = ? AND t.path = ? AND t.day > ? AND t.day <= ? AND t.day >= ? AND t.day <= ? AND d.id = t.key AND `+liveDiscipline)
		args = append(args, disciplineTally.name, sp.path, sp.from, sp.to, rc.from, rc.to, rc.asOf)
	}
	if len(parts) == 0 {
		return `SELECT 0`, nil, true, nil
	}
	return `SELECT count(DISTINCT u.id) FROM (` + strings.Join(parts, " UNION ALL ") + `) u`, args, true, nil
}

func inspectionSection(ctx context.Context, s *Store, rc *reportCtx, r *dangvu.Report) error {
	own := `FROM inspection_rounds r WHERE r.org_id = ? AND r.decided_on >= ? AND r.decided_on <= ? AND r.body IN `
	gq, gargs := grassrootsIn(rc, s.pg)
	mq, margs, ok, err := s.disciplinedTallied(ctx, rc)
	if err != nil {
		return err
	}
	if !ok {
		mq, margs = disciplinedUnder(rc, false)
	}
	oq, oargs := disciplinedUnder(rc, true)
	var committee, inspected, commission, visits, members, orgs int
	for _, x := range []struct {
		q    string
		args []any
		dst  *int
	}{
		{`SELECT count(*) ` + own + committeeBodies, []any{rc.org.ID, rc.from, rc.to}, &committee},
		{`SELECT count(DISTINCT su.org_id) FROM inspection_subjects su JOIN inspection_rounds r ON r.id = su.round_id
			WHERE su.org_id <> '' AND r.org_id = ? AND r.decided_on >= ? AND r.decided_on <= ? AND r.body IN ` + committeeBodies, []any{rc.org.ID, rc.from, rc.to}, &inspected},
		{`SELECT count(*) ` + own + commissionBody, []any{rc.org.ID, rc.from, rc.to}, &commission},
		{`SELECT count(*) ` + gq, gargs, &visits},
		{mq, margs, &members},
		{oq, oargs, &orgs},
	} {
		if err := s.read.QueryRowContext(ctx, x.q, x.args...).Scan(x.dst); err != nil {
			return fmt.Errorf("store: report: inspection: %w", err)
		}
	}
	r.Set("committee_inspection_rounds", "Cuộc kiểm tra, giám sát của Ban Chấp hành, Ban Thường vụ", committee)
	r.Set("committee_inspected_organisations", "Tổ chức đảng được Ban Chấp hành, Ban Thường vụ kiểm tra, giám sát", inspected)
	r.Set("commission_inspection_rounds", "Cuộc kiểm tra, giám sát của Ủy ban Kiểm tra", commission)
	r.Set("grassroots_inspection_visits", "Lượt kiểm tra, giám sát của cấp ủy cơ sở", visits)
	r.Set("disciplined_organisations", "Tổ chức đảng bị thi hành kỷ luật", orgs)
	r.Set("disciplined_members", "Đảng viên bị thi hành kỷ luật", members)
	return nil
}

func (s *Store) roundsDrill(ctx context.Context, rc *reportCtx, bodies, title string) (*dangvu.ReportList, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT r.id, r.decision, r.decided_on, r.kind, r.title,
		(SELECT count(*) FROM inspection_subjects su WHERE su.round_id = r.id AND su.org_id <> '')
		FROM inspection_rounds r WHERE r.org_id = ? AND r.decided_on >= ? AND r.decided_on <= ? AND r.body IN `+bodies+` ORDER BY r.decided_on, r.id`,
		rc.org.ID, rc.from, rc.to)
	if err != nil {
		return nil, fmt.Errorf("store: report list: %w", err)
	}
	defer rows.Close()
	l := &dangvu.ReportList{Title: title, Columns: []string{"Quyết định", "Ngày", "Loại", "Nội dung", "Số tổ chức đảng"}}
	for rows.Next() {
		var id, dec, day, kind, t string
		var n int
		if err := rows.Scan(&id, &dec, &day, &kind, &t, &n); err != nil {
			return nil, err
		}
		l.Rows = append(l.Rows, []string{dec, vnDate(day), dangvu.CodeName(dangvu.InspectionKinds, dangvu.InspectionKind(kind)), t, strconv.Itoa(n)})
		l.Links = append(l.Links, "/inspections/rounds/"+id)
	}
	return l, rows.Err()
}

func (s *Store) inspectedOrgsDrill(ctx context.Context, rc *reportCtx) (*dangvu.ReportList, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT su.org_id, count(*), min(r.decided_on) FROM inspection_subjects su JOIN inspection_rounds r ON r.id = su.round_id
		WHERE su.org_id <> '' AND r.org_id = ? AND r.decided_on >= ? AND r.decided_on <= ? AND r.body IN `+committeeBodies+` GROUP BY su.org_id ORDER BY su.org_id`,
		rc.org.ID, rc.from, rc.to)
	if err != nil {
		return nil, fmt.Errorf("store: report list: %w", err)
	}
	type item struct {
		id, first string
		n         int
	}
	var items []item
	for rows.Next() {
		var it item
		if err := rows.Scan(&it.id, &it.n, &it.first); err != nil {
			rows.Close()
			return nil, err
		}
		items = append(items, it)
	}
	rows.Close()
	l := &dangvu.ReportList{Title: "Tổ chức đảng được Ban Chấp hành, Ban Thường vụ kiểm tra, giám sát", Columns: []string{"Mã", "Tổ chức đảng", "Số cuộc", "Lần đầu"}}
	for _, it := range items {
		l.Rows = append(l.Rows, []string{it.id, s.orgName(ctx, it.id, isoDate(it.first)), strconv.Itoa(it.n), vnDate(it.first)})
		l.Links = append(l.Links, "")
	}
	return l, nil
}

func (s *Store) visitsDrill(ctx context.Context, rc *reportCtx) (*dangvu.ReportList, error) {
	gq, gargs := grassrootsIn(rc, s.pg)
	rows, err := s.read.QueryContext(ctx, `SELECT g.id, g.decision, g.decided_on, g.org_id, g.subject `+gq+` ORDER BY g.decided_on, g.id, g.subject`, gargs...)
	if err != nil {
		return nil, fmt.Errorf("store: report list: %w", err)
	}
	type item struct{ id, dec, day, org, subj string }
	var items []item
	for rows.Next() {
		var it item
		if err := rows.Scan(&it.id, &it.dec, &it.day, &it.org, &it.subj); err != nil {
			rows.Close()
			return nil, err
		}
		items = append(items, it)
	}
	rows.Close()
	names := map[string]string{}
	name := func(id, day string) string {
		if n, ok := names[id]; ok {
			return n
		}
		names[id] = s.orgName(ctx, id, isoDate(day))
		return names[id]
	}
	l := &dangvu.ReportList{Title: "Lượt kiểm tra, giám sát của cấp ủy cơ sở", Columns: []string{"Quyết định", "Ngày", "Cấp ủy cơ sở", "Tổ chức đảng được kiểm tra"}}
	for _, it := range items {
		l.Rows = append(l.Rows, []string{it.dec, vnDate(it.day), name(it.org, it.day), name(it.subj, it.day)})
		l.Links = append(l.Links, "/inspections/rounds/"+it.id)
	}
	return l, nil
}

// disciplinedDrill lists each disciplined subject once, with the first decision of the period.
func (s *Store) disciplinedDrill(ctx context.Context, rc *reportCtx, members bool) (*dangvu.ReportList, error) {
	ds, err := s.Disciplines(ctx, dangvu.DisciplineFilter{Under: rc.org.ID, From: isoDay(rc.from), To: isoDay(rc.to), Live: isoDay(rc.asOf)})
	if err != nil {
		return nil, err
	}
	l := &dangvu.ReportList{Title: "Tổ chức đảng bị thi hành kỷ luật", Columns: []string{"Tổ chức đảng", "Hình thức", "Quyết định", "Ngày"}}
	if members {
		l.Title, l.Columns[0] = "Đảng viên bị thi hành kỷ luật", "Đảng viên"
	}
	seen := map[string]bool{}
	for i := len(ds) - 1; i >= 0; i-- { // oldest first
		d := ds[i]
		key := d.OrgID
		if members {
			key = d.MemberID
		}
		if key == "" || seen[key] {
			continue
		}
		seen[key] = true
		form := dangvu.CodeName(dangvu.DisciplineForms, d.Form)
		if d.CurrentForm != d.Form {
			form += " → " + dangvu.CodeName(dangvu.DisciplineForms, d.CurrentForm)
		}
		l.Rows = append(l.Rows, []string{d.SubjectName, form, d.Number, vnDate(d.DecidedOn)})
		l.Links = append(l.Links, "/disciplines/"+d.ID)
	}
	return l, nil
}

// disciplinedInPeriod is the Store's disciplinedIn for the review rules.
func disciplinedInPeriod(ctx context.Context, q queryer, from, to dangvu.Date) (map[string]string, map[string]string, error) {
	// The appeals' outcomes that changed a decision, by decision, oldest first.
	type change struct {
		on            dangvu.Date
		outcome, form string
	}
	changes := map[string][]change{}
	rows, err := q.QueryContext(ctx, `SELECT discipline_id, resolved_on, outcome, new_form FROM discipline_appeals
		WHERE resolved_on <> '' AND outcome IN ('annulled', 'lessened', 'increased') ORDER BY resolved_on, id`)
	if err != nil {
		return nil, nil, fmt.Errorf("store: disciplined: %w", err)
	}
	for rows.Next() {
		var id string
		var c change
		if err := rows.Scan(&id, &c.on, &c.outcome, &c.form); err != nil {
			rows.Close()
			return nil, nil, err
		}
		changes[id] = append(changes[id], c)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT id, member_id, org_id, number, decided_on, form FROM disciplines WHERE withdrawn_on = '' ORDER BY decided_on, id`)
	if err != nil {
		return nil, nil, fmt.Errorf("store: disciplined: %w", err)
	}
	defer rows.Close()
	members, orgs := map[string]string{}, map[string]string{}
	for rows.Next() {
		var id, m, o, num, form string
		var day dangvu.Date
		if err := rows.Scan(&id, &m, &o, &num, &day, &form); err != nil {
			return nil, nil, err
		}
		if day.Before(from) || day.After(to) {
			continue
		}
		// Withdrawn decisions are left out above; the form is the one in force at the end of
		// the period, and a decision annulled by then does not count.
		current := dangvu.CodeName(dangvu.DisciplineForms, dangvu.DisciplineForm(form))
		annulled := false
		for _, c := range changes[id] {
			if c.on.After(to) {
				break
			}
			if c.outcome == "annulled" {
				annulled = true
				break
			}
			current += " → " + dangvu.CodeName(dangvu.DisciplineForms, dangvu.DisciplineForm(c.form)) + " (khiếu nại, " + vnDate(c.on) + ")"
		}
		if annulled {
			continue
		}
		ref := fmt.Sprintf("%s, %s: %s", num, vnDate(day), strings.ToLower(current))
		if m != "" {
			members[m] = ref
		} else {
			orgs[o] = ref
		}
	}
	return members, orgs, rows.Err()
}

// inspectionAttention lists, in org's subtree: appeals not answered by their due date (or due
// soon), recommendations whose follow-up is overdue or due soon, and rounds past their planned
// end that are not concluded.
func inspectionAttention(ctx context.Context, s *Store, org dangvu.Org, asOf string, soon int) ([]dangvu.Attention, error) {
	horizon := asOf
	if t, err := dangvu.ParseISODate(asOf); err == nil {
		horizon = dangvu.ISO(t.AddDate(0, 0, soon))
	}
	var out []dangvu.Attention
	appeals, err := s.Appeals(ctx, "", org.ID, true)
	if err != nil {
		return nil, err
	}
	for _, a := range appeals {
		if a.LodgedOn.After(isoDate(asOf)) || a.AnswerDue.After(isoDate(horizon)) {
			continue
		}
		out = append(out, dangvu.Attention{Kind: "discipline_appeal_due", Title: "Khiếu nại kỷ luật cần trả lời",
			Detail: fmt.Sprintf("Đơn %s nhận ngày %s về quyết định %s", a.ID, vnDate(a.LodgedOn), a.DisciplineID), OrgID: a.HandlerOrgID,
			Due: a.AnswerDue, Overdue: a.AnswerDue.Before(isoDate(asOf)), Link: "/disciplines/" + a.DisciplineID, Rule: "Thời hạn giải quyết khiếu nại kỷ luật: " + a.AnswerRule})
	}
	lo, hi := subtreeRange(org.Path)
	rows, err := s.read.QueryContext(ctx, `SELECT r.id, r.decision, r.org_id, su.org_id, su.member_id, su.follow_up_due FROM inspection_subjects su
		JOIN inspection_rounds r ON r.id = su.round_id
		JOIN org_paths b ON b.org_id = r.org_id AND b.valid_from <= ? AND b.valid_to > ?
		WHERE su.follow_up_due <> '' AND su.follow_up_done = '' AND su.follow_up_due <= ? AND r.decided_on <= ? AND b.path >= ? AND b.path < ?
		ORDER BY su.follow_up_due`, asOf, asOf, horizon, asOf, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("store: attention: %w", err)
	}
	for rows.Next() {
		var id, dec, conducting, so, sm, due string
		if err := rows.Scan(&id, &dec, &conducting, &so, &sm, &due); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, dangvu.Attention{Kind: "inspection_follow_up_due", Title: "Kiến nghị sau kiểm tra, giám sát đến hạn thực hiện",
			Detail: "Cuộc " + dec, OrgID: so, MemberID: sm, Due: isoDate(due), Overdue: due < asOf, Link: "/inspections/rounds/" + id})
	}
	rows.Close()
	rows, err = s.read.QueryContext(ctx, `SELECT r.id, r.decision, r.title, r.org_id, r.planned_to FROM inspection_rounds r
		JOIN org_paths b ON b.org_id = r.org_id AND b.valid_from <= ? AND b.valid_to > ?
		WHERE r.stage <> 'concluded' AND r.planned_to < ? AND r.decided_on <= ? AND b.path >= ? AND b.path < ? ORDER BY r.planned_to`, asOf, asOf, asOf, asOf, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("store: attention: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, dec, title, o, due string
		if err := rows.Scan(&id, &dec, &title, &o, &due); err != nil {
			return nil, err
		}
		out = append(out, dangvu.Attention{Kind: "inspection_round_overdue", Title: "Cuộc kiểm tra, giám sát quá thời gian dự kiến chưa kết luận",
			Detail: dec + ": " + title, OrgID: o, Due: isoDate(due), Overdue: true, Link: "/inspections/rounds/" + id})
	}
	return out, rows.Err()
}
