package storetest

import (
	"fmt"
	"testing"

	"dangvu"
	"dangvu/internal/store"
)

// The four reorganisation-day defects of issue 14, each reproduced on the smallest world that
// shows it: province P with a city C under it, abolished on AbolishDay, when ward W (cells C1 and
// C2) moves up to P. Every figure is compared with the documented rule (docs/reports.md, "Where a
// subject lies, and on which day").
const abolishDay = "2025-07-01"

func reorgDayRows() rows {
	r := rows{}
	r.add("reorganisations", "id", "R-EV", "date", abolishDay, "kind", string(dangvu.ReorgDissolve), "document", "Số 9-QĐ/TU", "description", "Bỏ cấp huyện")
	org := func(id, from, to, name, parent, level, kind, issuer, event string) {
		r.add("organisations", "id", id, "valid_from", from, "valid_to", to, "name", name, "parent_id", parent, "level", level, "kind", kind, "issuer_code", issuer, "event_id", event)
	}
	org("R-TW", "1930-02-03", "", "Đảng Cộng sản Việt Nam", "", string(dangvu.LevelCentral), string(dangvu.KindCentral), "TW", "")
	org("R-P", "1963-10-30", "", "Đảng bộ tỉnh P", "R-TW", string(dangvu.LevelProvince), string(dangvu.KindProvince), "TU", "")
	org("R-C", "2015-01-01", abolishDay, "Đảng bộ thành phố C", "R-P", string(dangvu.LevelDistrict), string(dangvu.KindDistrict), "TU", "")
	org("R-W", "2015-01-01", abolishDay, "Đảng bộ phường W", "R-C", string(dangvu.LevelGrassrootsCommittee), string(dangvu.KindWard), "ĐU", "")
	org("R-W", abolishDay, "", "Đảng bộ phường W", "R-P", string(dangvu.LevelGrassrootsCommittee), string(dangvu.KindWard), "ĐU", "R-EV")
	for _, c := range []string{"R-C1", "R-C2"} {
		org(c, "2015-01-01", "", "Chi bộ "+c, "R-W", string(dangvu.LevelCell), string(dangvu.KindResidential), "CB", "")
	}
	for _, m := range []string{"R-M1", "R-M2", "R-M3"} {
		r.add("members", "id", m, "full_name", "Đảng viên "+m, "gender", dangvu.Male, "birth_date", "1980", "ethnicity", "01", "education", "12/12",
			"theory_level", "basic", "admitted_on", "2010-05-19", "full_on", "2011-05-19")
		r.add("member_statuses", "member_id", m, "valid_from", "2010-05-19", "status", string(dangvu.StatusProbationary))
		r.add("member_statuses", "member_id", m, "valid_from", "2011-05-19", "status", string(dangvu.StatusFull))
		r.add("memberships", "member_id", m, "org_id", "R-C1", "valid_from", "2015-01-01", "kind", string(dangvu.MembershipOfficial))
	}
	// Defect 1: P and W each register 21-NQ/TW; M1 studies it at P's conference (P's copy), M2 and
	// M3 at C1's (W's copy).
	r.add("documents", "id", "R-NQ-P", "org_id", "R-P", "direction", string(dangvu.DirIncoming), "number", "21-NQ/TW", "date", "2021-12-30", "title", "Nghị quyết 21")
	r.add("documents", "id", "R-NQ-W", "org_id", "R-W", "direction", string(dangvu.DirIncoming), "number", "21-NQ/TW", "date", "2021-12-30", "title", "Nghị quyết 21")
	r.add("conferences", "id", "R-HN-P", "kind", string(dangvu.ConfStudy), "org_id", "R-P", "title", "Học tập", "date", "2022-03-10")
	r.add("conferences", "id", "R-HN-C1", "kind", string(dangvu.ConfStudy), "org_id", "R-C1", "title", "Học tập", "date", "2022-04-10")
	r.add("conference_documents", "conference_id", "R-HN-P", "document_id", "R-NQ-P")
	r.add("conference_documents", "conference_id", "R-HN-C1", "document_id", "R-NQ-W")
	r.add("attendance", "conference_id", "R-HN-P", "member_id", "R-M1", "status", string(dangvu.AttPresent))
	r.add("attendance", "conference_id", "R-HN-C1", "member_id", "R-M2", "status", string(dangvu.AttPresent))
	r.add("attendance", "conference_id", "R-HN-C1", "member_id", "R-M3", "status", string(dangvu.AttPresent))
	// Defect 4: a task assigned to W by id only.
	r.add("documents", "id", "R-CTR", "org_id", "R-P", "direction", string(dangvu.DirOwn), "number", "01-CTr/TU", "date", "2022-02-01", "title", "Chương trình", "implements_id", "R-NQ-P")
	r.add("tasks", "id", "R-TASK", "document_id", "R-CTR", "title", "Quán triệt", "assignee_org_id", "R-W", "deadline", "2022-06-30", "status", "pending")
	r.add("tasks", "id", "R-TASK-M", "document_id", "R-CTR", "title", "Báo cáo", "assignee_member_id", "R-M1", "deadline", "2022-06-30", "status", "pending")
	// Defects 2 and 3: decisions dated on the abolition day — P's commission about M1, P's
	// standing committee about cell C2, and C1 about its own member M2 (with an appeal).
	dec := func(id, member, org, authority, body string) {
		r.add("disciplines", "id", id, "member_id", member, "org_id", org, "form", string(dangvu.FormReprimand), "authority_org_id", authority,
			"authority_body", body, "violation_on", "2025-03-01", "decided_on", abolishDay, "effective_on", abolishDay, "number", "Số "+id)
	}
	dec("R-K1", "R-M1", "", "R-P", string(dangvu.BodyCommission))
	dec("R-K2", "", "R-C2", "R-P", string(dangvu.BodyStanding))
	dec("R-K3", "R-M2", "", "R-C1", string(dangvu.BodyCell))
	r.add("discipline_appeals", "id", "R-A1", "discipline_id", "R-K1", "received_on", abolishDay, "lodged_on", "2025-07-10", "handler_org_id", "R-P",
		"handler_body", string(dangvu.BodyStanding))
	// The family: a conference, a grassroots round, an admission decision and a review campaign's
	// period end, all on the abolition day — placed on the tree of that day, so under W and P but
	// no longer under the city.
	r.add("conferences", "id", "R-HN-D", "kind", string(dangvu.ConfStudy), "org_id", "R-C1", "title", "Học tập", "date", abolishDay)
	r.add("conference_documents", "conference_id", "R-HN-D", "document_id", "R-NQ-W")
	r.add("inspection_rounds", "id", "R-RND", "org_id", "R-W", "body", string(dangvu.BodyGrassroots), "kind", string(dangvu.KindSupervisionThematic), "title", "Giám sát",
		"decision", "Số 3-QĐ/ĐU", "decided_on", abolishDay, "planned_from", "2025-07-02", "planned_to", "2025-07-30", "stage", string(dangvu.StagePreparation))
	r.add("inspection_subjects", "round_id", "R-RND", "org_id", "R-C1", "finding", string(dangvu.FindingPending))
	r.add("admission_files", "id", "R-F1", "org_id", "R-C2", "full_name", "Quần chúng ưu tú", "gender", dangvu.Female, "birth_date", "2000", "youth_union", "1")
	r.add("admission_steps", "file_id", "R-F1", "stage", string(dangvu.StageDecision), "date", abolishDay, "document", "Số 7-QĐ/ĐU")
	r.add("campaigns", "id", "R-CMP", "org_id", "R-P", "name", "Kiểm điểm giữa năm", "period_kind", string(dangvu.PeriodYear), "from", "2025-01-01", "to", abolishDay)
	r.add("reviews", "id", "R-RV1", "campaign_id", "R-CMP", "kind", string(dangvu.SubjectMember), "member_id", "R-M1", "org_id", "R-C1", "decider_id", "R-W",
		"final_rating", string(dangvu.RatingGood), "decided_on", "2025-07-20")
	return r
}

func testReorgDay(t *testing.T, open func(t *testing.T) *store.Store) {
	s := open(t)
	ctx := t.Context()
	// Defects 3 and 4: the import takes C1's decision about its own member on the day, and the
	// task named by its organisation only.
	if _, err := s.Import(ctx, reorgDayRows().memory().Reader(), store.ImportOptions{Actor: "storetest", Source: "reorg day"}); err != nil {
		t.Fatalf("import: %v", err)
	}
	task, err := s.Task(ctx, "R-TASK")
	if err != nil {
		t.Fatal(err)
	}
	if task.AssigneeName != "Đảng bộ phường W" {
		t.Errorf("task assigned by organisation id: name %q, want the organisation's name", task.AssigneeName)
	}
	if task, err = s.Task(ctx, "R-TASK-M"); err != nil || task.AssigneeName != "Đảng viên R-M1" {
		t.Errorf("task assigned by member id: name %q (%v), want the member's name", task.AssigneeName, err)
	}
	// Recording and correcting use the same check: C1 reprimands M3 on the day, then the decision
	// is corrected (a new number), still on the day.
	const actor = "storetest"
	d, err := s.CreateDiscipline(ctx, actor, dangvu.Discipline{MemberID: "R-M3", Form: dangvu.FormReprimand, AuthorityOrgID: "R-C1", AuthorityBody: dangvu.BodyCell,
		ViolationOn: dangvu.MustDate("2025-03-01"), DecidedOn: date(abolishDay), EffectiveOn: date(abolishDay), Number: "Số 4-QĐ/CB"})
	if err != nil {
		t.Fatalf("cell's decision about its own member on the reorganisation day: %v", err)
	}
	d.Number = "Số 5-QĐ/CB"
	if _, err := s.CorrectDiscipline(ctx, actor, d.ID, d); err != nil {
		t.Fatalf("correcting it: %v", err)
	}
	// Yet a cell still has no say over another cell's member, that day as any other.
	_, err = s.CreateDiscipline(ctx, actor, dangvu.Discipline{MemberID: "R-M1", Form: dangvu.FormReprimand, AuthorityOrgID: "R-C2", AuthorityBody: dangvu.BodyCell,
		ViolationOn: dangvu.MustDate("2025-03-01"), DecidedOn: date(abolishDay), EffectiveOn: date(abolishDay), Number: "Số 6-QĐ/CB"})
	if e := errorCode(t, err, dangvu.EInvalid); !hasField(e, "authority_org_id") {
		t.Errorf("another cell's member: %v", e)
	}

	figure := func(org, from, to, asOf, document, key string) string {
		t.Helper()
		r, err := s.TermReport(ctx, dangvu.ReportQuery{Org: org, From: day(from), To: day(to), AsOf: day(asOf), Document: document})
		if err != nil {
			t.Fatalf("report %s: %v", org, err)
		}
		v, ok := r.Get(key)
		if !ok {
			t.Fatalf("report %s has no %s", org, key)
		}
		return fmt.Sprint(v)
	}
	// Defect 1: coverage is 100% with and without --document.
	for _, doc := range []string{"", "21-NQ/TW"} {
		if got := figure("R-W", "2022-01-01", "2022-12-31", "2022-12-31", doc, "study_coverage_pct"); got != "100" {
			t.Errorf("coverage of W in 2022 (document %q) = %v, want 100", doc, got)
		}
		if got := figure("R-W", "2022-01-01", "2022-12-31", "2022-12-31", doc, "study_members_not_reached"); got != "0" {
			t.Errorf("not reached in W in 2022 (document %q) = %v, want 0", doc, got)
		}
	}
	cov, err := s.StudyCoverage(ctx, dangvu.ReportQuery{Org: "R-W", From: day("2022-01-01"), To: day("2022-12-31")}, true)
	if err != nil || cov.Pct != 100 || len(cov.NotReached) != 0 {
		t.Errorf("coverage page of W: %v %+v", err, cov)
	}

	// Defect 2: the decisions of the day count in the cell, the ward and the province, in the
	// figures, the lists and the appeals, for periods that start, end or hold the day, and as of
	// the day or later.
	for _, c := range []struct {
		org, from, to, asOf string
		members, orgs       int
	}{
		{"R-C1", "2025-01-01", "2025-12-31", "2025-12-31", 3, 0},
		{"R-C1", abolishDay, abolishDay, abolishDay, 3, 0},
		{"R-W", "2025-01-01", abolishDay, "2025-08-01", 3, 1},
		{"R-W", abolishDay, "2025-12-31", abolishDay, 3, 1},
		{"R-P", "2025-01-01", "2025-12-31", "2025-12-31", 3, 1}, // C2 only: W was not disciplined
		{"R-W", "2025-01-01", "2025-06-30", "2025-06-30", 0, 0},
	} {
		if got := figure(c.org, c.from, c.to, c.asOf, "", "disciplined_members"); got != fmt.Sprint(c.members) {
			t.Errorf("%s [%s, %s] as of %s: disciplined_members = %v, want %d", c.org, c.from, c.to, c.asOf, got, c.members)
		}
		if got := figure(c.org, c.from, c.to, c.asOf, "", "disciplined_organisations"); got != fmt.Sprint(c.orgs) {
			t.Errorf("%s [%s, %s] as of %s: disciplined_organisations = %v, want %d", c.org, c.from, c.to, c.asOf, got, c.orgs)
		}
		for key, want := range map[string]int{"disciplined_members": c.members, "disciplined_organisations": c.orgs} {
			l, err := s.ReportList(ctx, dangvu.ReportQuery{Org: c.org, From: day(c.from), To: day(c.to), AsOf: day(c.asOf)}, key)
			if err != nil || len(l.Rows) != want {
				t.Errorf("%s [%s, %s]: list %s has %d rows (%v), want %d", c.org, c.from, c.to, key, len(l.Rows), err, want)
			}
		}
	}
	// Each placed on the tree of its own day (conference, round, admission decision, campaign's
	// period end) or of the day before (discipline), whatever the report's as-of date: the city,
	// in force until the day before, has the decisions of the day but none of the rest.
	for _, c := range []struct {
		org, from, to, asOf string
		want                int // each of conferences_grassroots, grassroots_inspection_visits, admitted, review_members_good
		disciplined         int
	}{
		{"R-C", "2025-01-01", abolishDay, "2025-06-30", 0, 3},
		{"R-W", "2025-01-01", abolishDay, "2025-06-30", 1, 3},
		{"R-W", abolishDay, "2025-12-31", "2025-08-15", 1, 3},
		{"R-P", abolishDay, "2025-12-31", "2025-12-31", 1, 3},
		{"R-P", "2025-01-01", "2025-06-30", "2025-06-30", 0, 0},
	} {
		for _, k := range []string{"conferences_grassroots", "grassroots_inspection_visits", "admitted", "review_members_good"} {
			if got := figure(c.org, c.from, c.to, c.asOf, "", k); got != fmt.Sprint(c.want) {
				t.Errorf("%s [%s, %s] as of %s: %s = %s, want %d", c.org, c.from, c.to, c.asOf, k, got, c.want)
			}
		}
		if got := figure(c.org, c.from, c.to, c.asOf, "", "disciplined_members"); got != fmt.Sprint(c.disciplined) {
			t.Errorf("%s [%s, %s] as of %s: disciplined_members = %s, want %d", c.org, c.from, c.to, c.asOf, got, c.disciplined)
		}
	}
	for _, org := range []string{"R-C1", "R-W", "R-P"} {
		ds, err := s.Disciplines(ctx, dangvu.DisciplineFilter{Under: org})
		if err != nil || len(ds) < 3 {
			t.Errorf("decisions under %s: %d (%v), want the day's member decisions", org, len(ds), err)
		}
		as, err := s.Appeals(ctx, "", org, false)
		if err != nil || len(as) != 1 {
			t.Errorf("appeals under %s: %d (%v), want 1", org, len(as), err)
		}
	}
}
