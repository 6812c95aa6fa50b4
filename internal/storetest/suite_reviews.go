package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"dangvu"
	"dangvu/internal/rules/review"
	"dangvu/internal/store"
)

// testReviews runs the review workflow on the fixture under the 2018 rules (QĐ 132) and the
// 2025 rules (QĐ 366): campaigns, self-reviews, meetings, decisions with triggers and quotas,
// remedies carried into the next campaign, the report's counts against the stored ratings, the
// attention list and the exchange round trip.
func testReviews(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	t.Run("BadImport", func(t *testing.T) { testReviewsBadImport(t, f, open) })
	t.Run("ManifestationRenumbering", func(t *testing.T) { testManifestationRenumbering(t, open) })
	s := loadedStore(t, f, open)
	ctx := t.Context()
	steps := []dangvu.CampaignStep{{Step: dangvu.StepSelf, Due: dangvu.MustDate("2018-12-10")}, {Step: dangvu.StepComment, Due: dangvu.MustDate("2018-12-20")}, {Step: dangvu.StepDecision, Due: dangvu.MustDate("2019-01-15")}}

	// The rule set follows the period (QĐ 132 for 2018); quarters only from QĐ 366.
	for _, tc := range []struct {
		name  string
		c     dangvu.Campaign
		field string
	}{
		{"rule set of another period", dangvu.Campaign{ID: "RV-X", OrgID: orgUB, Name: "x", From: dangvu.MustDate("2018-01-01"), To: dangvu.MustDate("2018-12-31"), RuleSet: "qd124"}, "rule_set"},
		{"quarter under QĐ 132", dangvu.Campaign{ID: "RV-X", OrgID: orgUB, Name: "x", PeriodKind: dangvu.PeriodQuarter, From: dangvu.MustDate("2018-10-01"), To: dangvu.MustDate("2018-12-31")}, "period_kind"},
		{"step before the period", dangvu.Campaign{ID: "RV-X", OrgID: orgUB, Name: "x", From: dangvu.MustDate("2018-01-01"), To: dangvu.MustDate("2018-12-31"), Steps: []dangvu.CampaignStep{{Step: "self", Due: dangvu.MustDate("2017-12-01")}}}, "steps[0].due"},
		{"backwards", dangvu.Campaign{ID: "RV-X", OrgID: orgUB, Name: "x", From: dangvu.MustDate("2018-12-31"), To: dangvu.MustDate("2018-01-01")}, "to"},
	} {
		_, err := s.CreateCampaign(ctx, "test", tc.c)
		e := errorCode(t, err, dangvu.EInvalid)
		if e != nil && !slices.ContainsFunc(e.Fields, func(f dangvu.FieldError) bool { return f.Field == tc.field }) {
			t.Errorf("%s: fields %v, want %s", tc.name, e.Fields, tc.field)
		}
	}
	c18, err := s.CreateCampaign(ctx, "test", dangvu.Campaign{ID: "RV2018-UB", OrgID: orgUB, Name: "Kiểm điểm năm 2018", From: dangvu.MustDate("2018-01-01"), To: dangvu.MustDate("2018-12-31"), Steps: steps})
	if err != nil {
		t.Fatal(err)
	}
	if c18.RuleSet != "qd132" || len(c18.Steps) != 3 {
		t.Fatalf("campaign 2018: rule set %s, %d steps", c18.RuleSet, len(c18.Steps))
	}
	// Members under Uông Bí on 31/12/2018, each decided by their ward or commune.
	members, err := s.Reviews(ctx, dangvu.ReviewFilter{CampaignID: c18.ID, Kind: dangvu.SubjectMember})
	if err != nil {
		t.Fatal(err)
	}
	want := f.count(orgUB, "2018-12-31", rosterFilter{})
	if len(members) != want {
		t.Errorf("campaign 2018 has %d member reviews, the fixture %d members under Uông Bí", len(members), want)
	}
	rid := func(m string) string { return c18.ID + "-M-" + m }
	for _, r := range members {
		if r.MemberID == "M01" && r.DeciderID != orgPD || r.MemberID == "M19" && r.DeciderID != orgTYC {
			t.Errorf("%s decided by %s", r.MemberID, r.DeciderID)
		}
	}

	// Self-review: a ticked manifestation needs an explanation; faults need a remedy.
	_, err = s.SaveSelfReview(ctx, "test", rid("M01"), dangvu.SelfReview{Faults: "Chưa sâu sát", Marks: []dangvu.Mark{{Code: "1.5"}, {Code: "4.1", Explanation: "x"}}})
	e := errorCode(t, err, dangvu.EInvalid)
	for _, field := range []string{"marks[0].explanation", "marks[1].code", "remedies"} {
		if e != nil && !slices.ContainsFunc(e.Fields, func(f dangvu.FieldError) bool { return f.Field == field }) {
			t.Errorf("self-review: no error on %s: %v", field, e.Fields)
		}
	}
	v, err := s.SaveSelfReview(ctx, "test", rid("M01"), dangvu.SelfReview{Strengths: "Gương mẫu", Faults: "Có lúc còn nể nang trong phê bình", Causes: "Ngại va chạm",
		Marks:      []dangvu.Mark{{Code: "1.5", Explanation: "Chưa thẳng thắn góp ý đồng chí trong chi bộ"}},
		SelfRating: dangvu.RatingExcellent, On: dangvu.MustDate("2018-12-05"),
		Remedies: []dangvu.Remedy{{Content: "Thẳng thắn góp ý trong sinh hoạt chi bộ", Owner: "Nguyễn Văn Đức", Due: dangvu.MustDate("2019-06-30")}}})
	if err != nil {
		t.Fatal(err)
	}
	if v.SelfOn != dangvu.MustDate("2018-12-05") || len(v.Marks) != 1 || len(v.Remedies) != 1 || v.Remedies[0].Status != dangvu.RemedyOpen {
		t.Errorf("self-review stored: %+v", v.Review)
	}
	// The meeting records a concluded degradation for M02: the decision rates "not completed".
	_, err = s.RecordMeeting(ctx, "test", rid("M02"), dangvu.ReviewMeeting{Comments: "Chi bộ góp ý", Attendance: "", Proposed: dangvu.RatingGood, Trigger: review.TriggerDegradation})
	e = errorCode(t, err, dangvu.EInvalid)
	if e != nil && len(e.Fields) != 2 {
		t.Errorf("meeting without attendance and trigger note: %v", e.Fields)
	}
	if _, err := s.RecordMeeting(ctx, "test", rid("M02"), dangvu.ReviewMeeting{Comments: "Chi bộ góp ý", Attendance: "17/19 đảng viên; đồng chí Thường vụ Thành ủy phụ trách; đại diện Ban Tổ chức Thành ủy",
		Proposed: dangvu.RatingGood, Trigger: review.TriggerDegradation, TriggerNote: "Kết luận số 12-KL/ĐU ngày 01/11/2018"}); err != nil {
		t.Fatal(err)
	}
	progress, err := s.Progress(ctx, c18.ID, orgPD)
	if err != nil {
		t.Fatal(err)
	}
	submitted := 0
	for _, p := range progress {
		submitted += p.Self
		if p.OrgID == cellPD1 && slices.Contains(p.Missing, "Nguyễn Văn Đức") {
			t.Errorf("progress lists M01 as not submitted")
		}
	}
	if submitted != 1 {
		t.Errorf("progress: %d submitted, want 1", submitted)
	}

	// QĐ 132: excellent ≤ 20% of good in each grassroots organisation; exempt members are not
	// rated; the decision changes nothing when refused.
	ratings := map[string]dangvu.Rating{rid("M01"): dangvu.RatingExcellent, rid("M03"): dangvu.RatingExcellent, rid("M12"): dangvu.RatingGood}
	for _, m := range []string{"M04", "M05", "M06", "M07", "M08"} {
		ratings[rid(m)] = dangvu.RatingGood
	}
	_, err = s.Decide(ctx, "test", dangvu.ReviewDecision{CampaignID: c18.ID, DeciderID: orgPD, Ratings: ratings, On: dangvu.MustDate("2019-01-10")})
	e = errorCode(t, err, dangvu.EInvalid)
	if e != nil {
		var quota, exempt bool
		for _, f := range e.Fields {
			quota = quota || f.Field == "quota" && strings.Contains(f.Reason, "20%")
			exempt = exempt || f.Field == rid("M12") && strings.Contains(f.Reason, "miễn")
		}
		if !quota || !exempt {
			t.Errorf("refused decision: quota %v, exempt %v: %v", quota, exempt, e.Fields)
		}
	}
	if v, _ := s.Review(ctx, rid("M01")); v.FinalRating != "" {
		t.Errorf("a refused decision changed M01: %s", v.FinalRating)
	}
	delete(ratings, rid("M03"))
	delete(ratings, rid("M12"))
	ratings[rid("M09")], ratings[rid("M10")] = dangvu.RatingGood, dangvu.RatingCompleted
	res, err := s.Decide(ctx, "test", dangvu.ReviewDecision{CampaignID: c18.ID, DeciderID: orgPD, Ratings: ratings, On: dangvu.MustDate("2019-01-10"), Document: "Số 45-QĐ/ĐU"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := res.Automatic[rid("M02")]; !ok {
		t.Errorf("M02 (degradation concluded) not rated automatically: %+v", res)
	}
	v, _ = s.Review(ctx, rid("M02"))
	if v.FinalRating != dangvu.RatingNotCompleted || len(v.Reasons) == 0 {
		t.Errorf("M02: %s, reasons %v", v.FinalRating, v.Reasons)
	}
	// A rating against the trigger is refused.
	_, err = s.Decide(ctx, "test", dangvu.ReviewDecision{CampaignID: c18.ID, DeciderID: orgPD, Ratings: map[string]dangvu.Rating{rid("M02"): dangvu.RatingGood}})
	errorCode(t, err, dangvu.EInvalid)

	// The report counts the final ratings of campaigns ending within the period; its figures
	// equal a direct count of the stored ratings and the drill-downs list them.
	rep, err := s.TermReport(ctx, dangvu.ReportQuery{Org: orgUB, From: day("2018-01-01"), To: day("2018-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	members, _ = s.Reviews(ctx, dangvu.ReviewFilter{CampaignID: c18.ID, Kind: dangvu.SubjectMember})
	direct := map[dangvu.Rating]int{}
	for _, r := range members {
		direct[r.FinalRating]++
	}
	for _, rt := range dangvu.Ratings {
		key := "review_members_" + string(rt.Code)
		got, _ := rep.Get(key)
		if got != direct[rt.Code] {
			t.Errorf("%s = %v, direct count %d", key, got, direct[rt.Code])
		}
		l, err := s.ReportList(ctx, dangvu.ReportQuery{Org: orgUB, From: day("2018-01-01"), To: day("2018-12-31")}, key)
		if err != nil || len(l.Rows) != direct[rt.Code] {
			t.Errorf("%s drill-down: %v rows, err %v", key, l, err)
		}
		if _, ok := rep.Get("review_organisations_" + string(rt.Code)); !ok {
			t.Errorf("review_organisations_%s missing", rt.Code)
		}
	}
	if direct[dangvu.RatingExcellent] != 1 || direct[dangvu.RatingNotCompleted] != 1 {
		t.Errorf("direct counts %v", direct)
	}
	if n, _ := rep.Get("review_members_good"); n == 0 {
		t.Error("no good ratings counted")
	}

	// The next campaign shows last year's remedies and whether each was met; an open remedy past
	// its deadline is listed for the level above.
	c19, err := s.CreateCampaign(ctx, "test", dangvu.Campaign{ID: "RV2019-UB", OrgID: orgUB, Name: "Kiểm điểm năm 2019", From: dangvu.MustDate("2019-01-01"), To: dangvu.MustDate("2019-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	v, err = s.Review(ctx, c19.ID+"-M-M01")
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Previous) != 1 || !v.Previous[0].Overdue || v.PreviousCampaign != "Kiểm điểm năm 2018" {
		t.Errorf("previous remedies: %+v from %q", v.Previous, v.PreviousCampaign)
	}
	items, err := s.Attention(ctx, orgUB, day("2019-07-15"), dangvu.UserAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(items, func(a dangvu.Attention) bool { return a.Kind == "remedy_overdue" && a.Overdue }) {
		t.Errorf("no overdue remedy in the attention list: %+v", items)
	}
	attentionByRole(t, s, orgUB, "2019-07-15", dangvu.ActReviews, "remedy_", "self_review_")
	remID := v.Previous[0].ID
	_, err = s.UpdateRemedy(ctx, "test", remID, dangvu.RemedyDone, "2019-05-20", "")
	errorCode(t, err, dangvu.EInvalid)
	if m, err := s.UpdateRemedy(ctx, "test", remID, dangvu.RemedyDone, "2019-05-20", "Biên bản sinh hoạt chi bộ tháng 5/2019"); err != nil || m.Overdue {
		t.Errorf("remedy done: %+v %v", m, err)
	}
	v, _ = s.Review(ctx, c19.ID+"-M-M01")
	if len(v.Previous) != 1 || v.Previous[0].Status != dangvu.RemedyDone {
		t.Errorf("previous remedy after being met: %+v", v.Previous)
	}

	// QĐ 366 (2025): the points bound the rating.
	c25, err := s.CreateCampaign(ctx, "test", dangvu.Campaign{ID: "RV2025-PDN", OrgID: orgPDN, Name: "Kiểm điểm năm 2025", From: dangvu.MustDate("2025-01-01"), To: dangvu.MustDate("2025-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	if c25.RuleSet != "qd366" {
		t.Fatalf("2025 rule set %s", c25.RuleSet)
	}
	rs, _ := review.ByCode("qd366")
	scores := func(total int) []dangvu.Score {
		var out []dangvu.Score
		left := total
		for i, c := range rs.Criteria {
			p := min(c.Max, left)
			if i == len(rs.Criteria)-1 {
				p = left
			}
			out = append(out, dangvu.Score{Criterion: c.Code, Points: p})
			left -= p
		}
		return out
	}
	_, err = s.SaveSelfReview(ctx, "test", c25.ID+"-M-M09", dangvu.SelfReview{SelfRating: dangvu.RatingGood})
	errorCode(t, err, dangvu.EInvalid) // QĐ 366 needs the points
	if _, err := s.SaveSelfReview(ctx, "test", c25.ID+"-M-M09", dangvu.SelfReview{SelfRating: dangvu.RatingExcellent, Scores: scores(75), TasksOnTime: true}); err != nil {
		t.Fatal(err)
	}
	v, _ = s.Review(ctx, c25.ID+"-M-M09")
	if v.Points == nil || *v.Points != 75 || v.Outcome.Ceiling != dangvu.RatingGood {
		t.Errorf("QĐ 366 review: points %v, ceiling %s", v.Points, v.Outcome.Ceiling)
	}
	// QĐ 366 Điều 11 khoản 3: at most 20% of tasks behind for "completed"; on-time work has none.
	_, err = s.SaveSelfReview(ctx, "test", c25.ID+"-M-M09", dangvu.SelfReview{SelfRating: dangvu.RatingGood, Scores: scores(75), TasksOnTime: true, TasksLatePct: 10})
	if e := errorCode(t, err, dangvu.EInvalid); !hasField(e, "tasks_late_pct") {
		t.Errorf("on time with late tasks: %v", e)
	}
	if _, err := s.SaveSelfReview(ctx, "test", c25.ID+"-M-M09", dangvu.SelfReview{SelfRating: dangvu.RatingCompleted, Scores: scores(60), TasksLatePct: 25}); err != nil {
		t.Fatal(err)
	}
	if v, _ = s.Review(ctx, c25.ID+"-M-M09"); v.Outcome.Forced != dangvu.RatingNotCompleted || v.TasksLatePct != 25 || !strings.Contains(strings.Join(v.Reasons, " "), "Điều 11 khoản 3") {
		t.Errorf("25%% of tasks late: %+v %v", v.Outcome, v.Reasons)
	}
	// A collective's ground is refused for a member, naming the rule set.
	_, err = s.RecordMeeting(ctx, "test", c25.ID+"-M-M09", dangvu.ReviewMeeting{Comments: "x", Trigger: review.TriggerCadreWork, TriggerNote: "x"})
	if e := errorCode(t, err, dangvu.EInvalid); !hasField(e, "trigger") || !strings.Contains(e.Error(), "366-QĐ/TW") {
		t.Errorf("collective ground for a member: %v", e)
	}
	if v, err = s.RecordMeeting(ctx, "test", c25.ID+"-M-M09", dangvu.ReviewMeeting{Comments: "x", PeerGroup: "Cán bộ, công chức phường"}); err != nil || v.PeerGroup != "Cán bộ, công chức phường" {
		t.Errorf("peer group: %v %q", err, v.PeerGroup)
	}
	if _, err := s.SaveSelfReview(ctx, "test", c25.ID+"-M-M09", dangvu.SelfReview{SelfRating: dangvu.RatingExcellent, Scores: scores(75), TasksOnTime: true}); err != nil {
		t.Fatal(err)
	}
	_, err = s.Decide(ctx, "test", dangvu.ReviewDecision{CampaignID: c25.ID, DeciderID: orgPDN, Ratings: map[string]dangvu.Rating{c25.ID + "-M-M09": dangvu.RatingExcellent}})
	errorCode(t, err, dangvu.EInvalid)
	if _, err := s.Decide(ctx, "test", dangvu.ReviewDecision{CampaignID: c25.ID, DeciderID: orgPDN, Ratings: map[string]dangvu.Rating{c25.ID + "-M-M09": dangvu.RatingGood}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateCampaign(ctx, "test", dangvu.Campaign{ID: "RV2025Q4-PDN", OrgID: orgPDN, Name: "Quý IV/2025", PeriodKind: dangvu.PeriodQuarter, From: dangvu.MustDate("2025-10-01"), To: dangvu.MustDate("2025-12-31")}); err != nil {
		t.Errorf("a quarterly campaign under QĐ 366: %v", err)
	}

	stats, err := s.ManifestationStats(ctx, c18.ID, orgUB)
	if err != nil || len(stats) != 1 || stats[0].Code != "1.5" || stats[0].OrgID != orgPD || stats[0].Count != 1 {
		t.Errorf("manifestation stats: %+v %v", stats, err)
	}
	ru, err := s.ReviewRollUp(ctx, orgUB, 2018, 2019)
	if err != nil || len(ru.ByLevel) == 0 || ru.ByLevel[0].Key != "member" || ru.ByLevel[0].Cells[0].Excellent != 1 {
		t.Errorf("roll-up: %+v %v", ru, err)
	}

	// Export → import into an empty database → export is byte-identical, reviews included.
	first := exportCSV(t, s)
	if !strings.Contains(string(first["reviews.csv"]), "RV2018-UB-M-M01") || !strings.Contains(string(first["remedies.csv"]), "Biên bản sinh hoạt") {
		t.Fatal("export lacks the reviews")
	}
	again := open(t)
	if _, err := again.Import(ctx, exportReader(t, s), store.ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, "reviews round trip", first, exportCSV(t, again))
}

// testReviewsBadImport: bad review rows are named by table, row and column, and nothing is
// stored.
func testReviewsBadImport(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	s := open(t)
	m := f.memory()
	row := func(table string, kv map[string]string) { putRow(t, m, table, kv) }
	row("campaigns", map[string]string{"id": "RV2018", "org_id": orgUB, "name": "Kiểm điểm 2018", "period_kind": "year", "from": "2018-01-01", "to": "31/12/2018", "rule_set": "qd366"})
	row("campaigns", map[string]string{"id": "RV2019", "org_id": orgUB, "name": "Kiểm điểm 2019", "period_kind": "quarter", "from": "2019-10-01", "to": "2019-12-31"})
	row("reviews", map[string]string{"id": "RV2018-M-M01", "campaign_id": "RV2018", "kind": "member", "member_id": "M01", "org_id": cellPD1, "decider_id": orgPD, "final_rating": "xuất sắc"})
	row("reviews", map[string]string{"id": "RV2018-M-M02", "campaign_id": "RV2018", "kind": "member", "member_id": "M02", "org_id": cellPD1, "decider_id": orgPD, "final_rating": "Hoàn thành tốt nhiệm vụ", "points": "120"})
	row("review_marks", map[string]string{"review_id": "RV2018-M-M02", "code": "4.1", "explanation": "x"})
	row("remedies", map[string]string{"id": "R1", "review_id": "RV-NOPE", "content": "x", "due": "2019-06-30", "status": "open"})
	_, err := s.Import(t.Context(), m.Reader(), store.ImportOptions{Actor: "test"})
	e := errorCode(t, err, dangvu.EInvalid)
	// Rows are numbered as lines of the file, the header being line 1.
	errorsAt(t, e, "campaigns/2/rule_set", "campaigns/3/period_kind", "reviews/2/final_rating", "reviews/3/points", "review_marks/2/code", "remedies/2/review_id")
	if cs, err := s.Campaigns(t.Context(), ""); err != nil || len(cs) != 0 {
		t.Errorf("a refused import stored campaigns: %v %v", cs, err)
	}
}

// testManifestationRenumbering: marks recorded under the project's earlier numbering of the 27
// manifestations are moved by migration 0012 to the official item with the same content, and
// marks that fall on one item are merged with their explanations (rules-verified.md §2).
func testManifestationRenumbering(t *testing.T, open func(t *testing.T) *store.Store) {
	s := open(t)
	ctx := t.Context()
	db := rawDB(t, s)
	rebind := func(q string) string {
		if s.Engine() == "postgres" {
			for i := 1; strings.Contains(q, "?"); i++ {
				q = strings.Replace(q, "?", fmt.Sprintf("$%d", i), 1)
			}
		}
		return q
	}
	if _, err := db.ExecContext(ctx, `DELETE FROM schema_migrations WHERE version = 12`); err != nil {
		t.Fatal(err)
	}
	old := [][3]string{{"R1", "1.6", "nể nang"}, {"R1", "1.9", "dĩ hòa vi quý"}, {"R1", "1.5", "nói không đi đôi với làm"},
		{"R2", "2.3", "xa dân"}, {"R2", "2.7", "bổ nhiệm người nhà"}, {"R2", "2.8", "cưới linh đình"}, {"R2", "2.9", "đánh bạc"},
		{"R3", "3.7", "dân tộc hẹp hòi"}, {"R3", "3.9", "tiết lộ bí mật"}, {"R3", "1.1", "phai nhạt"}}
	for _, m := range old {
		if _, err := db.ExecContext(ctx, rebind(`INSERT INTO review_marks (review_id, code, explanation) VALUES (?, ?, ?)`), m[0], m[1], m[2]); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	rows, err := db.QueryContext(ctx, `SELECT review_id, code, explanation FROM review_marks ORDER BY review_id, code`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]string{}
	for rows.Next() {
		var r, c, e string
		if err := rows.Scan(&r, &c, &e); err != nil {
			t.Fatal(err)
		}
		got[r+" "+c] = e
	}
	want := map[string][]string{
		"R1 1.5": {"nể nang", "dĩ hòa vi quý"}, "R1 1.6": {"nói không đi đôi với làm"},
		"R2 2.5": {"xa dân"}, "R2 1.9": {"bổ nhiệm người nhà"}, "R2 2.9": {"cưới linh đình", "đánh bạc"},
		"R3 3.9": {"dân tộc hẹp hòi"}, "R3 3.7": {"tiết lộ bí mật"}, "R3 1.1": {"phai nhạt"},
	}
	if len(got) != len(want) {
		t.Errorf("marks after renumbering: %v", got)
	}
	for k, parts := range want {
		for _, p := range parts {
			if !strings.Contains(got[k], p) {
				t.Errorf("%s: %q, want it to contain %q (all: %v)", k, got[k], p, got)
			}
		}
	}
}
