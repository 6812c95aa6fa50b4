package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"dangvu"
	"dangvu/internal/rules/review"
	"dangvu/internal/vn"
)

// reviewKey is the report key of a count: review_members_excellent, review_organisations_good…
func reviewKey(kind dangvu.SubjectKind, r dangvu.Rating) string {
	return map[dangvu.SubjectKind]string{dangvu.SubjectMember: "review_members_", dangvu.SubjectOrg: "review_organisations_"}[kind] + string(r)
}

// reviewedIn selects the decided reviews of members or organisations in campaigns whose period
// ends within [from, to], whose subject's organisation lay — as the tree stood on the campaign's
// period end — in the subtree of the reported organisation as it stood that day (placement onDay
// of the period end), the condition under (rc.under); arguments: from, to, under's, kind, rating.
func reviewedIn(under string) string {
	return reviewsIn(under) + ` AND r.kind = ? AND r.final_rating = ?`
}

// reviewsIn is reviewedIn of every kind and rating.
//
// The path in force on the period's end is matched against the period's end joined to an
// empty string, which no index serves: PostgreSQL otherwise reached the campaigns by that range for each of a ward's paths
// (estimating one where there were 1.200, 17 ms at a million members) instead of the
// organisations' reviews by organisation (0,6 ms); the period's own bounds still use the index.
func reviewsIn(under string) string {
	return ` FROM reviews r JOIN review_campaigns c ON c.id = r.campaign_id
	JOIN org_paths p ON p.org_id = r.org_id AND ` + onDay.covers("p", "(c.period_to || '')") + `
	WHERE c.period_to >= ? AND c.period_to <= ? AND ` + under
}

// reviewSection adds the counts of final ratings (docs/reviews.md, "Report figures").
func reviewSection(ctx context.Context, s *Store, rc *reportCtx, r *dangvu.Report) error {
	counts, ok, err := s.tallied(ctx, rc, reviewTally)
	if err != nil {
		return err
	}
	if !ok {
		if counts, err = s.reviewCounts(ctx, rc); err != nil {
			return err
		}
	}
	for _, k := range []dangvu.SubjectKind{dangvu.SubjectMember, dangvu.SubjectOrg} {
		for _, rt := range dangvu.Ratings {
			who := map[dangvu.SubjectKind]string{dangvu.SubjectMember: "Đảng viên", dangvu.SubjectOrg: "Tổ chức đảng"}[k]
			r.Set(reviewKey(k, rt.Code), who+" xếp loại "+strings.ToLower(rt.Name[:1])+rt.Name[1:], counts[string(k)+"/"+string(rt.Code)])
		}
	}
	return nil
}

// reviewCounts counts the reviews of the report by kind and final rating ("member/good").
func (s *Store) reviewCounts(ctx context.Context, rc *reportCtx) (map[string]int, error) {
	under, uargs := rc.under("p.path", "c.period_to", false)
	// One grouped read of the kinds and ratings (the figures' eight counts).
	rows, err := s.read.QueryContext(ctx, `SELECT r.kind, r.final_rating, count(*)`+reviewsIn(under)+` GROUP BY r.kind, r.final_rating`, append([]any{rc.from, rc.to}, uargs...)...)
	if err != nil {
		return nil, fmt.Errorf("store: report: reviews: %w", err)
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var kind, rating string
		var n int
		if err := rows.Scan(&kind, &rating, &n); err != nil {
			return nil, fmt.Errorf("store: report: reviews: %w", err)
		}
		counts[kind+"/"+rating] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: report: reviews: %w", err)
	}
	return counts, nil
}

func (s *Store) reviewDrill(ctx context.Context, rc *reportCtx, kind dangvu.SubjectKind, rating dangvu.Rating) (*dangvu.ReportList, error) {
	under, uargs := rc.under("p.path", "c.period_to", false)
	rows, err := s.read.QueryContext(ctx, `SELECT r.id, COALESCE(m.full_name, ''), r.org_id, c.name, c.period_to, r.decided_on`+
		strings.Replace(reviewedIn(under), "WHERE", "LEFT JOIN members m ON m.id = r.member_id WHERE", 1)+` ORDER BY c.period_to, r.org_id, r.id`,
		append(append([]any{rc.from, rc.to}, uargs...), string(kind), string(rating))...)
	if err != nil {
		return nil, fmt.Errorf("store: report: reviews: %w", err)
	}
	type row struct{ id, name, org, campaign, to, decided string }
	var got []row
	for rows.Next() {
		var x row
		if err := rows.Scan(&x.id, &x.name, &x.org, &x.campaign, &x.to, &x.decided); err != nil {
			rows.Close()
			return nil, err
		}
		got = append(got, x)
	}
	rows.Close()
	l := &dangvu.ReportList{Title: dangvu.CodeName(dangvu.Ratings, rating), Columns: []string{"Đối tượng", "Tổ chức", "Đợt kiểm điểm", "Ngày quyết định"}, Rows: [][]string{}}
	for _, x := range got {
		org := s.orgName(ctx, x.org, isoDate(x.to))
		subject := x.name
		if subject == "" {
			subject = org
		}
		l.Rows = append(l.Rows, []string{subject, org, x.campaign, vnDate(x.decided)})
		l.Links = append(l.Links, "/reviews/"+x.id)
	}
	return l, rows.Err()
}

// remedyAttention lists open remedies past or near their deadline whose subject's organisation
// lies (at any time) under org, or whose member belongs under it on asOf: the level above sees
// its subtree's overdue remedies.
func remedyAttention(ctx context.Context, s *Store, org dangvu.Org, asOf string, soon int) ([]dangvu.Attention, error) {
	lo, hi := subtreeRange(org.Path)
	limit := addDays(asOf, soon)
	rems, err := s.remedies(ctx, s.read, `m.status = 'open' AND m.due <= ? AND (
		EXISTS (SELECT 1 FROM org_paths p WHERE p.org_id = r.org_id AND p.path >= ? AND p.path < ?)
		OR EXISTS (SELECT 1 FROM roster ro WHERE ro.member_id = r.member_id AND r.member_id <> '' AND ro.valid_from <= ? AND ro.valid_to > ? AND ro.path >= ? AND ro.path < ?))`,
		limit, lo, hi, asOf, asOf, lo, hi)
	if err != nil {
		return nil, err
	}
	out := []dangvu.Attention{}
	for _, m := range rems {
		a := dangvu.Attention{Kind: "remedy_due", Title: "Sắp đến hạn khắc phục khuyết điểm sau kiểm điểm", Detail: m.Subject + ": " + m.Content,
			OrgID: m.OrgID, OrgName: s.orgName(ctx, m.OrgID, isoDate(asOf)), Due: m.Due, Overdue: m.Due.Before(isoDate(asOf)), Link: "/reviews/" + m.ReviewID,
			Rule: "Khắc phục hạn chế, khuyết điểm có thời hạn sau kiểm điểm (QĐ 132, 124, 366-QĐ/TW)"}
		if m.Subject == "" {
			a.Detail = m.Content
		}
		if a.Overdue {
			a.Kind, a.Title = "remedy_overdue", "Quá hạn khắc phục khuyết điểm sau kiểm điểm"
		}
		out = append(out, a)
	}
	return out, nil
}

// selfReviewAttention lists campaigns whose self-review deadline is near or past (within the
// last 60 days) while members in org's subtree have not submitted.
func selfReviewAttention(ctx context.Context, s *Store, org dangvu.Org, asOf string, soon int) ([]dangvu.Attention, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT c.id, c.name, st.due FROM review_steps st JOIN review_campaigns c ON c.id = st.campaign_id
		WHERE st.step = 'self' AND st.due <= ? AND st.due >= ?`, addDays(asOf, soon), addDays(asOf, -60))
	if err != nil {
		return nil, fmt.Errorf("store: attention: %w", err)
	}
	type camp struct{ id, name, due string }
	var cs []camp
	for rows.Next() {
		var c camp
		if err := rows.Scan(&c.id, &c.name, &c.due); err != nil {
			rows.Close()
			return nil, err
		}
		cs = append(cs, c)
	}
	rows.Close()
	out := []dangvu.Attention{}
	for _, c := range cs {
		rs, err := s.Reviews(ctx, dangvu.ReviewFilter{CampaignID: c.id, Under: org.ID, Kind: dangvu.SubjectMember})
		if err != nil {
			return nil, err
		}
		missing := 0
		for _, r := range rs {
			if r.SelfOn.IsZero() && r.Excluded == "" {
				missing++
			}
		}
		if missing == 0 {
			continue
		}
		out = append(out, dangvu.Attention{Kind: "self_review_due", Title: "Đảng viên chưa nộp bản tự kiểm điểm", Detail: fmt.Sprintf("%s: %d đảng viên chưa nộp", c.name, missing),
			OrgID: org.ID, OrgName: org.Name, Due: isoDate(c.due), Overdue: c.due < asOf, Link: "/campaigns/" + c.id, Rule: "Lịch kiểm điểm của đợt"})
	}
	return out, nil
}

func addDays(iso string, n int) string {
	t, err := dangvu.ParseISODate(iso)
	if err != nil {
		return iso
	}
	return dangvu.ISO(t.AddDate(0, 0, n))
}

// ManifestationStats counts the manifestations self-identified in a campaign's reviews, per
// deciding organisation (the grassroots organisation, for members), under an organisation.
func (s *Store) ManifestationStats(ctx context.Context, campaignID, under string) ([]dangvu.ManifestationCount, error) {
	rs, err := s.Reviews(ctx, dangvu.ReviewFilter{CampaignID: campaignID, Under: under})
	if err != nil {
		return nil, err
	}
	c, err := s.Campaign(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	decider := map[string]string{}
	for _, r := range rs {
		decider[r.ID] = r.DeciderID
	}
	rows, err := s.read.QueryContext(ctx, `SELECT k.review_id, k.code FROM review_marks k JOIN reviews r ON r.id = k.review_id WHERE r.campaign_id = ?`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("store: manifestations: %w", err)
	}
	defer rows.Close()
	counts := map[[2]string]int{}
	for rows.Next() {
		var id, code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, err
		}
		if d, ok := decider[id]; ok {
			counts[[2]string{d, code}]++
		}
	}
	out := []dangvu.ManifestationCount{}
	for k, n := range counts {
		m, _ := review.LookupManifestation(k[1])
		out = append(out, dangvu.ManifestationCount{OrgID: k[0], OrgName: s.orgName(ctx, k[0], c.To), Code: k[1], Label: m.Label, Count: n})
	}
	slices.SortFunc(out, func(a, b dangvu.ManifestationCount) int {
		if c := vn.CompareNames(a.OrgName, b.OrgName); c != 0 {
			return c
		}
		return strings.Compare(a.Code, b.Code)
	})
	return out, rows.Err()
}

// ReviewRollUp counts the final ratings of yearly campaigns whose period ends in [fromYear,
// toYear], of subjects whose organisation lay under orgID as the tree stood on that period's
// end (the report's rule, docs/reviews.md).
func (s *Store) ReviewRollUp(ctx context.Context, orgID string, fromYear, toYear int) (dangvu.RollUp, error) {
	ru := dangvu.RollUp{OrgID: orgID}
	if fromYear > toYear || toYear-fromYear > 30 {
		return ru, invalid("Tham số không hợp lệ.", fe("to_year", "khoảng năm không hợp lệ"))
	}
	for y := fromYear; y <= toYear; y++ {
		ru.Years = append(ru.Years, fmt.Sprint(y))
	}
	ru.OrgName = s.orgName(ctx, orgID, isoDate(fmt.Sprintf("%d-12-31", toYear)))
	rows, err := s.read.QueryContext(ctx, `SELECT substr(c.period_to, 1, 4), r.kind, COALESCE(v.level, ''), r.decider_id, r.final_rating, count(*)
		FROM reviews r JOIN review_campaigns c ON c.id = r.campaign_id
		JOIN org_paths p ON p.org_id = r.org_id AND `+onDay.covers("p", "c.period_to")+`
		LEFT JOIN org_versions v ON v.org_id = r.org_id AND v.valid_from <= c.period_to AND v.valid_to > c.period_to
		WHERE c.period_kind = 'year' AND c.period_to >= ? AND c.period_to <= ? AND r.excluded = ''
		AND `+onDay.under("p.path", "c.period_to", false)+`
		GROUP BY substr(c.period_to, 1, 4), r.kind, COALESCE(v.level, ''), r.decider_id, r.final_rating`,
		fmt.Sprintf("%d-01-01", fromYear), fmt.Sprintf("%d-12-31", toYear), orgID)
	if err != nil {
		return ru, fmt.Errorf("store: roll-up: %w", err)
	}
	defer rows.Close()
	level := map[string]*dangvu.RollRow{}
	byOrg := map[string]*dangvu.RollRow{}
	row := func(m map[string]*dangvu.RollRow, key, label string) *dangvu.RollRow {
		if r := m[key]; r != nil {
			return r
		}
		r := &dangvu.RollRow{Key: key, Label: label, Cells: make([]dangvu.RollCell, len(ru.Years))}
		for i, y := range ru.Years {
			r.Cells[i].Year = y
		}
		m[key] = r
		return r
	}
	type rec struct {
		year, kind, lvl, decider, rating string
		n                                int
	}
	var recs []rec
	for rows.Next() {
		var x rec
		if err := rows.Scan(&x.year, &x.kind, &x.lvl, &x.decider, &x.rating, &x.n); err != nil {
			return ru, err
		}
		recs = append(recs, x)
	}
	if err := rows.Err(); err != nil {
		return ru, err
	}
	for _, x := range recs {
		i := slices.Index(ru.Years, x.year)
		key, label := rollLevel(dangvu.SubjectKind(x.kind), dangvu.Level(x.lvl))
		row(level, key, label).Cells[i].Add(dangvu.Rating(x.rating), x.n)
		if x.kind == string(dangvu.SubjectMember) {
			row(byOrg, x.decider, s.orgName(ctx, x.decider, isoDate(x.year+"-12-31"))).Cells[i].Add(dangvu.Rating(x.rating), x.n)
		}
	}
	for _, k := range []string{"member", "cadre", "cell", "grassroots", "org", "collective"} {
		if r := level[k]; r != nil {
			ru.ByLevel = append(ru.ByLevel, *r)
		}
	}
	for _, r := range byOrg {
		ru.ByOrg = append(ru.ByOrg, *r)
	}
	slices.SortFunc(ru.ByOrg, func(a, b dangvu.RollRow) int { return vn.CompareNames(a.Label, b.Label) })
	return ru, nil
}

func rollLevel(k dangvu.SubjectKind, l dangvu.Level) (string, string) {
	switch {
	case k == dangvu.SubjectMember:
		return "member", "Đảng viên"
	case k == dangvu.SubjectCadre:
		return "cadre", "Cán bộ lãnh đạo, quản lý"
	case k == dangvu.SubjectCollective:
		return "collective", "Tập thể lãnh đạo"
	case l == dangvu.LevelCell || l == dangvu.LevelPartialCommittee:
		return "cell", "Chi bộ trực thuộc, đảng bộ bộ phận"
	case l.IsGrassroots():
		return "grassroots", "Tổ chức cơ sở đảng"
	}
	return "org", "Tổ chức đảng khác"
}
