package storetest

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/store"
)

// testInspection walks the inspection commission's story on the fixture: a programme, a round
// through its stages with conclusions per subject, discipline decisions checked against the rule
// set of their date (refused ones change nothing), an expulsion that ends the membership, an
// appeal to its outcome, the report figures, and the export → import → export round trip.
func testInspection(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	s := loadedStore(t, f, open)
	ctx := t.Context()
	if _, err := s.Import(ctx, inspectionFields(), store.ImportOptions{Actor: "storetest", Source: "fields"}); err != nil {
		t.Fatalf("import fields: %v", err)
	}
	const actor = "cán bộ kiểm tra"

	p, err := s.CreateInspectionProgramme(ctx, actor, dangvu.InspectionProgramme{OrgID: orgUB, Body: dangvu.BodyStanding, Year: 2018, Title: "Chương trình kiểm tra, giám sát năm 2018"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.CreateRound(ctx, actor, dangvu.InspectionRound{ProgrammeID: p.ID, OrgID: orgUB, Body: dangvu.BodyStanding, Kind: "audit", Title: "x",
		Decision: "Số 1-QĐ/TU", DecidedOn: dangvu.MustDate("2018-03-01"), PlannedFrom: dangvu.MustDate("2018-02-01"), PlannedTo: dangvu.MustDate("2018-03-30")})
	if e := errorCode(t, err, dangvu.EInvalid); !hasField(e, "kind") || !hasField(e, "planned_from") || !hasField(e, "subjects") {
		t.Errorf("bad round: %v", e)
	}
	// The Uông Bí committee cannot inspect Đông Triều's cell or its member.
	_, err = s.CreateRound(ctx, actor, dangvu.InspectionRound{OrgID: orgUB, Body: dangvu.BodyStanding, Kind: dangvu.KindSupervisionThematic, Title: "x",
		Decision: "Số 2-QĐ/TU", DecidedOn: dangvu.MustDate("2018-03-01"), PlannedFrom: dangvu.MustDate("2018-03-05"), PlannedTo: dangvu.MustDate("2018-03-30"),
		Subjects: []dangvu.RoundSubject{{OrgID: cellDTDong}, {MemberID: "M29"}}})
	if e := errorCode(t, err, dangvu.EInvalid); !hasField(e, "subjects[1]") || !strings.Contains(e.Error(), "không trực thuộc") {
		t.Errorf("subjects outside the conducting organisation: %v", e.Fields)
	}
	r, err := s.CreateRound(ctx, actor, dangvu.InspectionRound{ProgrammeID: p.ID, OrgID: orgUB, Body: dangvu.BodyStanding, Kind: dangvu.KindSupervisionThematic,
		Title: "Giám sát chuyên đề công tác phát triển đảng viên", Decision: "Số 12-QĐ/TU", DecidedOn: dangvu.MustDate("2018-03-01"), Fields: []string{"xay_dung_dang"},
		PlannedFrom: dangvu.MustDate("2018-03-05"), PlannedTo: dangvu.MustDate("2018-03-30"),
		Subjects: []dangvu.RoundSubject{{OrgID: orgPD}, {OrgID: orgPN}, {MemberID: "M15"}}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Stage != dangvu.StagePreparation || len(r.Subjects) != 3 {
		t.Fatalf("new round: %+v", r)
	}
	conclude := dangvu.RoundSubject{RoundID: r.ID, OrgID: orgPD, Finding: dangvu.FindingViolation, Severity: "minor", Conclusion: "Sinh hoạt chi bộ chưa đều",
		Recommendations: "Khắc phục, báo cáo", FollowUpDue: dangvu.MustDate("2018-06-30")}
	errorCode(t, func() error { _, err := s.ConcludeSubject(ctx, actor, conclude); return err }(), dangvu.EInvalid) // still preparing
	if _, err := s.AdvanceRound(ctx, actor, r.ID, dangvu.StageConcluded, dangvu.MustDate("2018-03-06")); err == nil {
		t.Error("a round in preparation was concluded")
	}
	if _, err := s.AdvanceRound(ctx, actor, r.ID, dangvu.StageConduct, dangvu.MustDate("2018-03-06")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ConcludeSubject(ctx, actor, conclude); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AdvanceRound(ctx, actor, r.ID, dangvu.StageConcluded, dangvu.MustDate("2018-03-28")); err == nil {
		t.Error("concluded with subjects left without a finding")
	}
	for _, x := range []dangvu.RoundSubject{{RoundID: r.ID, OrgID: orgPN, Finding: dangvu.FindingNone}, {RoundID: r.ID, MemberID: "M15", Finding: dangvu.FindingNone}} {
		if _, err := s.ConcludeSubject(ctx, actor, x); err != nil {
			t.Fatal(err)
		}
	}
	if r, err = s.AdvanceRound(ctx, actor, r.ID, dangvu.StageConcluded, dangvu.MustDate("2018-03-28")); err != nil || r.Stage != dangvu.StageConcluded {
		t.Fatalf("conclude: %v %+v", err, r)
	}

	// Refused decisions name the field and the rule, and change nothing.
	before := exportRows(t, s)
	for _, tc := range []struct {
		name, field, cites string
		d                  dangvu.Discipline
	}{
		{"probationary member expelled (Điều lệ Điều 35)", "form", "dự bị", dangvu.Discipline{MemberID: "M18", Form: dangvu.FormExpulsion, AuthorityOrgID: orgUB,
			AuthorityBody: dangvu.BodyCommission, ViolationOn: dangvu.MustDate("2019-01-10"), DecidedOn: dangvu.MustDate("2019-03-01"), EffectiveOn: dangvu.MustDate("2019-03-01"), Number: "Số 5-QĐ/UBKTTU"}},
		{"cell expels (Điều lệ Điều 36)", "authority_body", "Điều 36", dangvu.Discipline{MemberID: "M16", Form: dangvu.FormExpulsion, AuthorityOrgID: cellPN1,
			AuthorityBody: dangvu.BodyCell, ViolationOn: dangvu.MustDate("2017-01-10"), DecidedOn: dangvu.MustDate("2018-03-01"), EffectiveOn: dangvu.MustDate("2018-03-01"), Number: "Số 1-QĐ/CB"}},
		{"cell disciplines another cell's member", "authority_org_id", "thẩm quyền", dangvu.Discipline{MemberID: "M09", Form: dangvu.FormReprimand, AuthorityOrgID: cellPN1,
			AuthorityBody: dangvu.BodyCell, ViolationOn: dangvu.MustDate("2017-01-10"), DecidedOn: dangvu.MustDate("2018-03-01"), EffectiveOn: dangvu.MustDate("2018-03-01"), Number: "Số 1-QĐ/CB"}},
		{"reprimand after 5 years", "violation_on", "5 năm", dangvu.Discipline{MemberID: "M16", Form: dangvu.FormReprimand, AuthorityOrgID: cellPN1,
			AuthorityBody: dangvu.BodyCell, ViolationOn: dangvu.MustDate("2012-01-10"), DecidedOn: dangvu.MustDate("2018-03-01"), EffectiveOn: dangvu.MustDate("2018-03-01"), Number: "Số 1-QĐ/CB"}},
		{"cell dissolved by the standing committee", "authority_body", "Điều 38", dangvu.Discipline{OrgID: cellPN2, Form: dangvu.FormDissolution, AuthorityOrgID: orgUB,
			AuthorityBody: dangvu.BodyStanding, ViolationOn: dangvu.MustDate("2017-01-10"), DecidedOn: dangvu.MustDate("2018-03-01"), EffectiveOn: dangvu.MustDate("2018-03-01"), Number: "Số 9-QĐ/TU"}},
	} {
		_, err := s.CreateDiscipline(ctx, actor, tc.d)
		e := errorCode(t, err, dangvu.EInvalid)
		if !hasField(e, tc.field) || !strings.Contains(e.Error(), tc.cites) {
			t.Errorf("%s: %v; want field %s citing %q", tc.name, e, tc.field, tc.cites)
		}
	}
	sameRows(t, "after refused decisions", before, exportRows(t, s))

	// An expulsion ends the membership on its effect date; the roster follows.
	atPN1 := func(d string) int {
		n, err := s.CountMembers(ctx, cellPN1, day(d), dangvu.CountFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	n0 := atPN1("2018-04-10")
	d, err := s.CreateDiscipline(ctx, actor, dangvu.Discipline{RoundID: r.ID, MemberID: "M17", Form: dangvu.FormExpulsion, AuthorityOrgID: orgUB,
		AuthorityBody: dangvu.BodyCommission, ViolationOn: dangvu.MustDate("2017-06-01"), DecidedOn: dangvu.MustDate("2018-04-10"), EffectiveOn: dangvu.MustDate("2018-04-11"), Number: "Số 7-QĐ/UBKTTU", Reason: "Vi phạm pháp luật"})
	if err != nil {
		t.Fatal(err)
	}
	if d.RuleSet != "30-QĐ/TW" {
		t.Errorf("rule set of 10/04/2018: %s", d.RuleSet)
	}
	if n1 := atPN1("2018-04-11"); n1 != n0-1 || atPN1("2018-04-10") != n0 {
		t.Errorf("members of %s: %d on 10/04, %d on 11/04; want %d then %d", cellPN1, atPN1("2018-04-10"), n1, n0, n0-1)
	}
	if m, _ := s.Member(ctx, "M17", day("2018-05-01")); m.Status != dangvu.StatusExpelled {
		t.Errorf("M17 on 01/05/2018: %s", m.Status)
	}
	if _, err := s.CreateDiscipline(ctx, actor, dangvu.Discipline{OrgID: cellPN2, Form: dangvu.FormWarning, AuthorityOrgID: orgUB, AuthorityBody: dangvu.BodyStanding,
		ViolationOn: dangvu.MustDate("2017-11-01"), DecidedOn: dangvu.MustDate("2018-05-02"), EffectiveOn: dangvu.MustDate("2018-05-02"), Number: "Số 15-QĐ/TU"}); err != nil {
		t.Fatal(err)
	}
	// QĐ 296 Điều 11: an inspection commission does not discipline an organisation.
	_, err = s.CreateDiscipline(ctx, actor, dangvu.Discipline{OrgID: cellPN1, Form: dangvu.FormReprimand, AuthorityOrgID: orgUB, AuthorityBody: dangvu.BodyCommission,
		ViolationOn: dangvu.MustDate("2017-11-01"), DecidedOn: dangvu.MustDate("2018-05-02"), EffectiveOn: dangvu.MustDate("2018-05-02"), Number: "Số 16-QĐ/UBKTTU"})
	if e := errorCode(t, err, dangvu.EInvalid); !hasField(e, "authority_body") || !strings.Contains(e.Error(), "Điều 11") {
		t.Errorf("commission disciplining an organisation: %v", e)
	}
	// QĐ 102 Điều 3: a reprimand six years after the violation is out of time, unless the
	// violation is of a category without limit (kept on the decision and in the export).
	_, err = s.CreateDiscipline(ctx, actor, dangvu.Discipline{MemberID: "M16", Form: dangvu.FormReprimand, AuthorityOrgID: orgUB, AuthorityBody: dangvu.BodyCommission,
		ViolationOn: dangvu.MustDate("2013-03-01"), DecidedOn: dangvu.MustDate("2019-05-03"), EffectiveOn: dangvu.MustDate("2019-05-03"), Number: "Số 17-QĐ/UBKTTU"})
	if e := errorCode(t, err, dangvu.EInvalid); !hasField(e, "violation_on") || !strings.Contains(e.Error(), "QĐ 102-QĐ/TW Điều 3") {
		t.Errorf("reprimand out of time: %v", e)
	}
	nl, err := s.CreateDiscipline(ctx, actor, dangvu.Discipline{MemberID: "M16", Form: dangvu.FormReprimand, AuthorityOrgID: orgUB, AuthorityBody: dangvu.BodyCommission,
		ViolationOn: dangvu.MustDate("2013-03-01"), DecidedOn: dangvu.MustDate("2019-05-03"), EffectiveOn: dangvu.MustDate("2019-05-03"), Number: "Số 17-QĐ/UBKTTU", NoLimit: "diploma", HigherTask: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.Discipline(ctx, nl.ID); err != nil || got.NoLimit != "diploma" || !got.HigherTask {
		t.Errorf("stored no-limit decision: %v %+v", err, got)
	}
	if log, err := s.AuditLog(ctx, "discipline", d.ID, 5); err != nil || len(log) != 1 {
		t.Errorf("audit of %s: %v %+v", d.ID, err, log)
	}

	// The appeal: within one month of receiving the decision (Charter Art. 39 khoản 7), counted
	// as 30 working days: received 12/04/2018, the 30th working day after is 29/05/2018 (30/4
	// and 1/5 off).
	_, err = s.CreateAppeal(ctx, actor, dangvu.DisciplineAppeal{DisciplineID: d.ID, ReceivedOn: dangvu.MustDate("2018-04-12"), LodgedOn: dangvu.MustDate("2018-05-30"), HandlerOrgID: orgQN, HandlerBody: dangvu.BodyCommission})
	if e := errorCode(t, err, dangvu.EInvalid); !hasField(e, "lodged_on") || !strings.Contains(e.Error(), "29/05/2018") || !strings.Contains(e.Error(), "Điều 39 khoản 7") {
		t.Errorf("late appeal: %v", e)
	}
	a, err := s.CreateAppeal(ctx, actor, dangvu.DisciplineAppeal{DisciplineID: d.ID, ReceivedOn: dangvu.MustDate("2018-04-12"), LodgedOn: dangvu.MustDate("2018-05-02"), HandlerOrgID: orgQN, HandlerBody: dangvu.BodyCommission})
	if err != nil {
		t.Fatal(err)
	}
	// QĐ 30-QĐ/TW: a provincial body answers within 90 working days of the appeal (2/9 and its
	// substitute 3/9/2018 off).
	if a.Deadline != dangvu.MustDate("2018-05-29") || a.AnswerDue != dangvu.MustDate("2018-09-06") || !strings.Contains(a.AnswerRule, "90 ngày làm việc") {
		t.Errorf("appeal deadlines: %+v", a)
	}
	att, err := s.Attention(ctx, orgUB, day("2018-09-10"), dangvu.UserAdmin)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, x := range att {
		kinds[x.Kind] = kinds[x.Kind] || x.Overdue
	}
	if !kinds["discipline_appeal_due"] || !kinds["inspection_follow_up_due"] {
		t.Errorf("attention on 10/09/2018: %+v", att)
	}
	attentionByRole(t, s, orgUB, "2018-09-10", dangvu.ActReadInspection, "discipline_", "inspection_")
	if a, err = s.ResolveAppeal(ctx, actor, a.ID, dangvu.MustDate("2018-07-20"), "upheld", "", ""); err != nil || a.Outcome != "upheld" {
		t.Fatalf("resolve: %v %+v", err, a)
	}
	if _, err := s.ResolveAppeal(ctx, actor, a.ID, dangvu.MustDate("2018-07-21"), "annulled", "", ""); dangvu.ErrorCode(err) != dangvu.EConflict {
		t.Errorf("resolved twice: %v", err)
	}

	// The term report: rounds decided and decisions dated within the period.
	rep, err := s.TermReport(ctx, dangvu.ReportQuery{Org: orgUB, From: day("2018-01-01"), To: day("2018-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"committee_inspection_rounds": 1, "committee_inspected_organisations": 2, "commission_inspection_rounds": 0,
		"grassroots_inspection_visits": 0, "disciplined_members": 1, "disciplined_organisations": 1}
	got := map[string]int{}
	for k := range want {
		v, _ := rep.Get(k)
		got[k], _ = v.(int)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("report: %v, want %v", got, want)
	}
	// Seen from Phương Đông the city's rounds are not its own, and its subtree has no discipline.
	rep, _ = s.TermReport(ctx, dangvu.ReportQuery{Org: orgPD, From: day("2018-01-01"), To: day("2018-12-31")})
	if v, _ := rep.Get("committee_inspection_rounds"); v != 0 {
		t.Errorf("PD committee rounds: %v", v)
	}
	if v, _ := rep.Get("disciplined_members"); v != 0 {
		t.Errorf("PD disciplined members: %v", v)
	}

	// Export → import → export keeps every inspection row.
	first := exportCSV(t, s)
	if !strings.Contains(string(first["disciplines.csv"]), "Số 7-QĐ/UBKTTU") || !strings.Contains(string(first["inspection_subjects.csv"]), "M15") {
		t.Fatalf("export lacks the inspection rows")
	}
	path := filepath.Join(t.TempDir(), "data")
	exportTo(t, s, path)
	rd, err := exchange.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	s2 := open(t)
	if _, err := s2.Import(ctx, rd, store.ImportOptions{Actor: "storetest", Source: "data"}); err != nil {
		t.Fatalf("reimport: %v", err)
	}
	sameFiles(t, "inspection export → import → export", first, exportCSV(t, s2))

	// A file whose rows break the rules is refused as a whole, naming table, row and field.
	bad := exchange.NewMemory()
	tb, _ := exchange.Lookup("disciplines")
	row := func(kv map[string]string) {
		vals := make([]string, len(tb.Columns))
		for i, c := range tb.Columns {
			vals[i] = kv[c]
		}
		bad.Row("disciplines", vals)
	}
	row(map[string]string{"id": "KL-OK", "member_id": "M16", "form": "reprimand", "authority_org_id": cellPN1, "authority_body": "cell",
		"violation_on": "2017-05-01", "decided_on": "2018-03-01", "effective_on": "2018-03-01", "number": "Số 3-QĐ/CB"})
	row(map[string]string{"id": "KL-BAD", "member_id": "M18", "form": "Khai trừ", "authority_org_id": orgUB, "authority_body": "inspection_commission",
		"violation_on": "2019-01-10", "decided_on": "01/03/2019", "effective_on": "2019-03-01", "number": "Số 5-QĐ/UBKTTU"})
	row(map[string]string{"id": "KL-LATE", "member_id": "M16", "form": "reprimand", "authority_org_id": cellPN1, "authority_body": "cell",
		"violation_on": "2011-05-01", "decided_on": "2018-03-01", "effective_on": "2018-03-01", "number": "Số 4-QĐ/CB"})
	beforeBad := exportRows(t, s2)
	_, err = s2.Import(ctx, bad.Reader(), store.ImportOptions{Actor: "storetest", Source: "bad"})
	e := errorCode(t, err, dangvu.EInvalid)
	var rows []int
	for _, x := range e.Fields {
		if x.Table == "" || !strings.Contains(x.Table, "disciplines") {
			t.Errorf("field error without its table: %+v", x)
		}
		rows = append(rows, x.Row)
	}
	if len(e.Fields) != 2 || !hasField(e, "form") || !hasField(e, "violation_on") || rows[0] != 3 || rows[1] != 4 {
		t.Errorf("bad disciplines: %+v", e.Fields)
	}
	sameRows(t, "after a refused import", beforeBad, exportRows(t, s2))

	// M16 had been transferred out of the system on 01/04/2019, recorded after her reprimand of
	// 03/05/2019: the day before it she was no member of the province any more, so the province
	// (counted from the figures kept for the top of the tree) no longer counts her, while the
	// report of 2019 did before; TalliesAgree checks those figures after the subtest.
	disciplined2019 := func() any { return reportFigure(t, s, orgQN, "2019-01-01", "2019-12-31", "disciplined_members") }
	if v := disciplined2019(); v != 1 {
		t.Errorf("QN disciplined members in 2019: %v, want 1 (M16)", v)
	}
	if _, err := s.RecordLifeAct(ctx, actor, dangvu.LifeAct{MemberID: "M16", Kind: dangvu.ActTransferOut, Date: dangvu.MustDate("2019-04-01"),
		External: "Đảng bộ Khối Doanh nghiệp Trung ương", Document: "Số 7-GGT/ĐU"}); err != nil {
		t.Fatal(err)
	}
	if v := disciplined2019(); v != 0 {
		t.Errorf("QN disciplined members in 2019 after M16's transfer out: %v, want 0", v)
	}
}

func hasField(e *dangvu.Error, field string) bool {
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// inspectionFields is the reference table of fields, as an exchange data set.
func inspectionFields() exchange.Reader {
	m := exchange.NewMemory()
	for _, r := range [][]string{{"tai_chinh", "Tài chính"}, {"xay_dung_dang", "Xây dựng Đảng"}} {
		m.Row("inspection_fields", r)
	}
	return m.Reader()
}
