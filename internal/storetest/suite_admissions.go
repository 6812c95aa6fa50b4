package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/store"
)

// testAdmissionStory walks a candidate of Chi bộ khu 2 from training to full membership: every
// refusal names the rule, the ceremony makes a probationary member counted from that day, the
// full-membership decision makes them full from the end of probation, the report counts the
// decision once, reminders come and go, life-cycle acts change the history, and the files
// round-trip through the exchange format.
func testAdmissionStory(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	s := loadedStore(t, f, open)
	s.Clock = func() time.Time { return day("2026-11-27") }
	ctx := t.Context()
	const actor = "bí thư chi bộ"
	file, err := s.CreateAdmissionFile(ctx, actor, dangvu.AdmissionFile{ID: "KN-T1", OrgID: cellPD2, FullName: " Trịnh  Văn Khải ", Gender: dangvu.Male, BirthDate: "2000-05-01", Education: "12/12"})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if file.FullName != "Trịnh Văn Khải" || file.Next != dangvu.StageTraining || file.State != "candidate" {
		t.Fatalf("new file = %+v", file)
	}
	if _, err := s.CreateAdmissionFile(ctx, actor, dangvu.AdmissionFile{ID: "KN-T9", OrgID: orgPDN, FullName: "X", Gender: dangvu.Male, BirthDate: "2000"}); dangvu.ErrorCode(err) != dangvu.EInvalid {
		t.Errorf("file in a ward committee: %v", err)
	}
	step := func(st dangvu.AdmissionStep) (dangvu.AdmissionFile, error) {
		st.FileID = "KN-T1"
		return s.RecordStep(ctx, actor, st, nil)
	}
	mustStep := func(st dangvu.AdmissionStep) dangvu.AdmissionFile {
		t.Helper()
		f, err := step(st)
		if err != nil {
			t.Fatalf("%s: %v", st.Stage, err)
		}
		return f
	}
	refused := func(st dangvu.AdmissionStep, want string) {
		t.Helper()
		before := exportRows(t, s)
		_, err := step(st)
		if dangvu.ErrorCode(err) != dangvu.EInvalid || !strings.Contains(err.Error(), want) {
			t.Fatalf("%s: error %v, want one citing %q", st.Stage, err, want)
		}
		if after := exportRows(t, s); !equalRows(before, after) {
			t.Fatalf("%s: a refused step changed the data", st.Stage)
		}
	}
	refused(dangvu.AdmissionStep{Stage: dangvu.StageCertificate, Date: dangvu.MustDate("2022-02-15")}, "chưa ghi bước trước")
	mustStep(dangvu.AdmissionStep{Stage: dangvu.StageTraining, Date: dangvu.MustDate("2022-01-10")})
	if _, err := s.RecordStep(ctx, actor, dangvu.AdmissionStep{FileID: "KN-T1", Stage: dangvu.StageCertificate, Date: dangvu.MustDate("2022-02-15"), Document: "GCN 12/TTCT"},
		&dangvu.Attachment{Name: "gcn.pdf", Content: []byte("%PDF-1.4 scan")}); err != nil {
		t.Fatal(err)
	}
	if a, err := s.AdmissionAttachment(ctx, "KN-T1", dangvu.StageCertificate); err != nil || a.Name != "gcn.pdf" || string(a.Content) != "%PDF-1.4 scan" {
		t.Errorf("attachment: %q %q %v", a.Name, a.Content, err)
	}
	refused(dangvu.AdmissionStep{Stage: dangvu.StageApplication, Date: dangvu.MustDate("2022-02-01")}, "trước ngày của bước")
	mustStep(dangvu.AdmissionStep{Stage: dangvu.StageApplication, Date: dangvu.MustDate("2022-03-01")})
	mustStep(dangvu.AdmissionStep{Stage: dangvu.StageBackground, Date: dangvu.MustDate("2022-04-01")})
	refused(dangvu.AdmissionStep{Stage: dangvu.StageIntroducers, Date: dangvu.MustDate("2022-04-15"), People: []string{"M09", "M11"}, Known: []string{"2020-01-01", "2021-12-01"}}, "12 tháng")
	// M11 replaces an introducer who moved away: the 12 months do not apply to a replacement.
	mustStep(dangvu.AdmissionStep{Stage: dangvu.StageIntroducers, Date: dangvu.MustDate("2022-04-15"), People: []string{"M09", "M11"}, Known: []string{"2020-01-01", "2021-12-01"}, Replacements: []string{"M11"}})
	// 5 of 8 entitled is 62.5%: short of two thirds (Điều lệ Điều 4).
	refused(dangvu.AdmissionStep{Stage: dangvu.StageCellVote, Date: dangvu.MustDate("2022-05-05"), Entitled: 8, Present: 7, Yes: 5}, "Điều 4")
	mustStep(dangvu.AdmissionStep{Stage: dangvu.StageCellVote, Date: dangvu.MustDate("2022-05-05"), Entitled: 8, Present: 7, Yes: 6})
	refused(dangvu.AdmissionStep{Stage: dangvu.StageDecision, Date: dangvu.MustDate("2022-06-01"), Document: "Số 1-QĐ/ĐU"}, "Đảng ủy cơ sở")
	mustStep(dangvu.AdmissionStep{Stage: dangvu.StageCommitteeVote, Date: dangvu.MustDate("2022-05-20"), Entitled: 9, Present: 9, Yes: 6})

	// A second candidate waits for a decision: a reminder, then overdue.
	if _, err := s.CreateAdmissionFile(ctx, actor, dangvu.AdmissionFile{ID: "KN-T2", OrgID: cellPD2, FullName: "Mai Thị Hoa", Gender: dangvu.Female, BirthDate: "1999", Education: "12/12"}); err != nil {
		t.Fatal(err)
	}
	for _, st := range []dangvu.AdmissionStep{{Stage: dangvu.StageTraining, Date: dangvu.MustDate("2022-01-03")}, {Stage: dangvu.StageCertificate, Date: dangvu.MustDate("2022-01-04")},
		{Stage: dangvu.StageApplication, Date: dangvu.MustDate("2022-01-05")}, {Stage: dangvu.StageBackground, Date: dangvu.MustDate("2022-01-06")},
		{Stage: dangvu.StageIntroducers, Date: dangvu.MustDate("2022-01-07"), People: []string{"M09", "M10"}, Known: []string{"2019-01-01", "2019-01-01"}},
		{Stage: dangvu.StageCellVote, Date: dangvu.MustDate("2022-05-05"), Entitled: 3, Present: 3, Yes: 2}, {Stage: dangvu.StageCommitteeVote, Date: dangvu.MustDate("2022-05-06"), Entitled: 3, Present: 3, Yes: 2}} {
		st.FileID = "KN-T2"
		if _, err := s.RecordStep(ctx, actor, st, nil); err != nil {
			t.Fatalf("KN-T2 %s: %v", st.Stage, err)
		}
	}
	kinds := func(asOf string) map[string]bool {
		t.Helper()
		items, err := s.Attention(ctx, orgPDN, day(asOf), dangvu.UserAdmin)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]bool{}
		for _, it := range items {
			if strings.HasPrefix(it.Link, "/admissions/KN-T") {
				m[it.Kind+"/"+it.Link[len("/admissions/"):]+"/"+map[bool]string{true: "overdue", false: "due"}[it.Overdue]] = true
			}
		}
		return m
	}
	if k := kinds("2022-07-20"); !k["admission_decision_due/KN-T2/due"] {
		t.Errorf("attention 20/07/2022 = %v", k)
	}
	if k := kinds("2022-09-01"); !k["admission_decision_due/KN-T2/overdue"] {
		t.Errorf("attention 01/09/2022 = %v", k)
	}
	// A deadline counted into a year without a recorded calendar (2027) says it is an estimate.
	if _, err := s.CreateAdmissionFile(ctx, actor, dangvu.AdmissionFile{ID: "KN-T4", OrgID: cellPD2, FullName: "Vũ Văn Nam", Gender: dangvu.Male, BirthDate: "2001", Education: "12/12"}); err != nil {
		t.Fatal(err)
	}
	for _, st := range []dangvu.AdmissionStep{{Stage: dangvu.StageTraining, Date: dangvu.MustDate("2026-09-01")}, {Stage: dangvu.StageCertificate, Date: dangvu.MustDate("2026-09-02")},
		{Stage: dangvu.StageApplication, Date: dangvu.MustDate("2026-09-03")}, {Stage: dangvu.StageBackground, Date: dangvu.MustDate("2026-09-04")},
		{Stage: dangvu.StageIntroducers, Date: dangvu.MustDate("2026-09-07"), People: []string{"M09", "M10"}, Known: []string{"2019-01-01", "2019-01-01"}},
		{Stage: dangvu.StageCellVote, Date: dangvu.MustDate("2026-11-02"), Entitled: 3, Present: 3, Yes: 3}, {Stage: dangvu.StageCommitteeVote, Date: dangvu.MustDate("2026-11-03"), Entitled: 3, Present: 3, Yes: 3}} {
		st.FileID = "KN-T4"
		if _, err := s.RecordStep(ctx, actor, st, nil); err != nil {
			t.Fatalf("KN-T4 %s: %v", st.Stage, err)
		}
	}
	if items, err := s.Attention(ctx, orgPDN, day("2027-01-25"), dangvu.UserAdmin); err != nil || !slices.ContainsFunc(items, func(a dangvu.Attention) bool {
		return a.Link == "/admissions/KN-T4" && strings.Contains(a.Detail, "ước tính: chưa có lịch nghỉ chính thức năm 2027")
	}) {
		t.Errorf("attention into 2027 not marked estimated: %v %+v", err, items)
	}

	// More than 60 working days after the cell's resolution the decision is late, unless the
	// deadline was extended once (up to 30 more working days); 30/09/2022 is late even then.
	refused(dangvu.AdmissionStep{Stage: dangvu.StageDecision, Date: dangvu.MustDate("2022-08-30"), Document: "Số 12-QĐ/ĐU"}, "60 ngày làm việc")
	refused(dangvu.AdmissionStep{Stage: dangvu.StageDecision, Date: dangvu.MustDate("2022-09-30"), Document: "Số 12-QĐ/ĐU", Extension: "Số 5-CV/ĐU"}, "90 ngày làm việc")
	mustStep(dangvu.AdmissionStep{Stage: dangvu.StageDecision, Date: dangvu.MustDate("2022-08-30"), Document: "Số 12-QĐ/ĐU", Issuer: "Đảng ủy phường", Extension: "Số 5-CV/ĐU"})
	before, err := s.CountMembers(ctx, cellPD2, day("2022-09-10"), dangvu.CountFilter{})
	if err != nil {
		t.Fatal(err)
	}
	refused(dangvu.AdmissionStep{Stage: dangvu.StageCeremony, Date: dangvu.MustDate("2022-11-01")}, "30 ngày làm việc")
	file = mustStep(dangvu.AdmissionStep{Stage: dangvu.StageCeremony, Date: dangvu.MustDate("2022-09-05")})
	if file.MemberID != "KN-T1" || file.State != "probation" || file.Next != dangvu.StageFullVote {
		t.Fatalf("after ceremony: %+v", file)
	}
	after, _ := s.CountMembers(ctx, cellPD2, day("2022-09-10"), dangvu.CountFilter{})
	prob, _ := s.CountMembers(ctx, cellPD2, day("2022-09-10"), dangvu.CountFilter{Status: dangvu.StatusProbationary})
	if after != before+1 || prob < 1 {
		t.Errorf("members of the cell after the ceremony: %d → %d (probationary %d)", before, after, prob)
	}
	m, err := s.Member(ctx, "KN-T1", day("2022-09-10"))
	if err != nil || m.AdmittedOn != dangvu.MustDate("2022-08-30") || m.Status != dangvu.StatusProbationary {
		t.Errorf("member after ceremony: %+v, %v", m, err)
	}
	if k := kinds("2023-08-25"); !k["probation_ending/KN-T1/due"] {
		t.Errorf("attention 25/08/2023 = %v", k)
	}
	refused(dangvu.AdmissionStep{Stage: dangvu.StageFullVote, Date: dangvu.MustDate("2023-09-01"), Entitled: 8, Present: 8, Yes: 8}, "chưa hết 12 tháng dự bị")
	mustStep(dangvu.AdmissionStep{Stage: dangvu.StageFullVote, Date: dangvu.MustDate("2023-09-12"), Entitled: 8, Present: 8, Yes: 7})
	file = mustStep(dangvu.AdmissionStep{Stage: dangvu.StageFullDecision, Date: dangvu.MustDate("2023-09-20"), Document: "Số 40-QĐ/ĐU", Outcome: dangvu.OutcomeApproved})
	if file.State != "full" || file.Next != "" {
		t.Errorf("after full decision: %+v", file)
	}
	// Full from the end of the 12 months (05/09/2023), although decided on 20/09/2023.
	if m, _ := s.Member(ctx, "KN-T1", day("2023-09-05")); m.Status != dangvu.StatusFull || m.FullOn != dangvu.MustDate("2023-09-05") {
		t.Errorf("full membership: %s from %s", m.Status, m.FullOn)
	}
	if m, _ := s.Member(ctx, "KN-T1", day("2023-09-04")); m.Status != dangvu.StatusProbationary {
		t.Errorf("on the last day of probation: %s", m.Status)
	}

	// The report counts the decision once (not also the member's admitted_on).
	q := dangvu.ReportQuery{Org: orgPDN, From: day("2022-01-01"), To: day("2022-12-31")}
	r, err := s.TermReport(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	adm, _ := r.Get("admitted")
	l, err := s.ReportList(ctx, q, "admitted")
	if err != nil {
		t.Fatal(err)
	}
	if adm != 1+f.admittedUnder(orgPDN, "2022-01-01", "2022-12-31") || len(l.Rows) != adm {
		t.Errorf("admitted = %v, drill-down %d rows: %v", adm, len(l.Rows), l.Rows)
	}
	if !slices.ContainsFunc(l.Rows, func(row []string) bool { return row[0] == "KN-T1" && row[3] == "Số 12-QĐ/ĐU" }) {
		t.Errorf("drill-down lacks the decision: %v", l.Rows)
	}
	sum := 0
	for _, k := range []string{"party_age_under_10", "party_age_10_to_29", "party_age_30_to_39", "party_age_40_to_49", "party_age_50_plus", "party_age_unknown"} {
		v, ok := r.Get(k)
		if !ok {
			t.Fatalf("report lacks %s", k)
		}
		sum += v.(int)
	}
	if members, _ := r.Get("members"); sum != members {
		t.Errorf("party-age bands add to %d, members %v", sum, members)
	}

	// Life-cycle acts: a card only for full members; death ends the membership as of its date.
	if _, err := s.RecordLifeAct(ctx, actor, dangvu.LifeAct{MemberID: "KN-T1", Kind: dangvu.ActCard, Date: dangvu.MustDate("2023-03-01"), Card: "22123456"}); dangvu.ErrorCode(err) != dangvu.EInvalid || !strings.Contains(err.Error(), "chính thức") {
		t.Errorf("card for a probationary member: %v", err)
	}
	if _, err := s.RecordLifeAct(ctx, actor, dangvu.LifeAct{MemberID: "KN-T1", Kind: dangvu.ActCard, Date: dangvu.MustDate("2023-10-01"), Card: "22123456"}); err != nil {
		t.Errorf("card: %v", err)
	}
	n0, _ := s.CountMembers(ctx, cellPD2, day("2024-02-01"), dangvu.CountFilter{})
	if _, err := s.RecordLifeAct(ctx, actor, dangvu.LifeAct{MemberID: "M10", Kind: dangvu.ActDeath, Date: dangvu.MustDate("2024-01-10")}); err != nil {
		t.Fatalf("death: %v", err)
	}
	n1, _ := s.CountMembers(ctx, cellPD2, day("2024-02-01"), dangvu.CountFilter{})
	n2, _ := s.CountMembers(ctx, cellPD2, day("2024-01-09"), dangvu.CountFilter{})
	if n1 != n0-1 || n2 != n0 {
		t.Errorf("after a death on 10/01/2024: %d → %d (on 09/01: %d)", n0, n1, n2)
	}
	if _, err := s.RecordLifeAct(ctx, actor, dangvu.LifeAct{MemberID: "M10", Kind: dangvu.ActExempt, Date: dangvu.MustDate("2024-02-01"), Reason: "x"}); dangvu.ErrorCode(err) != dangvu.EInvalid {
		t.Errorf("exempting the deceased: %v", err)
	}
	// A transfer to a cell in the system awaits its presentation.
	if _, err := s.RecordLifeAct(ctx, actor, dangvu.LifeAct{MemberID: "M09", Kind: dangvu.ActTransferOut, Date: dangvu.MustDate("2024-03-01"), OrgID: cell1A, Document: "GGT 5"}); err != nil {
		t.Fatalf("transfer out: %v", err)
	}
	items, _ := s.Attention(ctx, orgPDN, day("2024-05-01"), dangvu.UserAdmin)
	if !slices.ContainsFunc(items, func(a dangvu.Attention) bool {
		return a.Kind == "transfer_not_presented" && a.MemberID == "M09" && a.Overdue
	}) {
		t.Errorf("transfer not presented missing: %+v", items)
	}
	if _, err := s.RecordLifeAct(ctx, actor, dangvu.LifeAct{MemberID: "M09", Kind: dangvu.ActTransferIn, Date: dangvu.MustDate("2024-03-20"), OrgID: cell1A}); err != nil {
		t.Fatalf("transfer in: %v", err)
	}
	if m, _ := s.Member(ctx, "M09", day("2024-04-01")); m.OrgID != cell1A {
		t.Errorf("M09 after transfer in: %s", m.OrgID)
	}
	// Readmission: not for the deceased; once for a member removed from the list.
	if _, err := s.CreateAdmissionFile(ctx, actor, dangvu.AdmissionFile{ID: "KN-R0", OrgID: cellPD2, FullName: "Hồ Văn Hải", Gender: dangvu.Male, BirthDate: "1972", Readmission: true, MemberID: "M10"}); dangvu.ErrorCode(err) != dangvu.EInvalid {
		t.Errorf("readmitting the deceased: %v", err)
	}
	if _, err := s.RecordLifeAct(ctx, actor, dangvu.LifeAct{MemberID: "M11", Kind: dangvu.ActRemove, Date: dangvu.MustDate("2024-05-02"), Reason: "Bỏ sinh hoạt 3 tháng không có lý do"}); err != nil {
		t.Fatalf("removal: %v", err)
	}
	if _, err := s.CreateAdmissionFile(ctx, actor, dangvu.AdmissionFile{ID: "KN-R1", OrgID: cellPD2, FullName: "Ngô Thị Mai", Gender: dangvu.Female, BirthDate: "1996", Readmission: true, MemberID: "M11"}); err != nil {
		t.Errorf("readmission: %v", err)
	}
	if _, err := s.CreateAdmissionFile(ctx, actor, dangvu.AdmissionFile{ID: "KN-R2", OrgID: cellPD2, FullName: "Ngô Thị Mai", Gender: dangvu.Female, BirthDate: "1996", Readmission: true, MemberID: "M11"}); dangvu.ErrorCode(err) != dangvu.EInvalid || !strings.Contains(err.Error(), "một lần") {
		t.Errorf("second readmission: %v", err)
	}
	// The cell considers a readmission at least 36 months after the person left (point 3.5.1 of
	// the implementing regulation; QĐ 208-QĐ/TW keeps it): M11 left on 02/05/2024.
	if _, err := s.RecordStep(ctx, actor, dangvu.AdmissionStep{FileID: "KN-R1", Stage: dangvu.StageCellVote, Date: dangvu.MustDate("2026-11-20"), Entitled: 8, Present: 8, Yes: 8}, nil); dangvu.ErrorCode(err) != dangvu.EInvalid ||
		!strings.Contains(err.Error(), "ra khỏi Đảng ngày 02/05/2024, chưa đủ 36 tháng") || !strings.Contains(err.Error(), "Quy định 208-QĐ/TW") {
		t.Errorf("readmission vote before 36 months: %v", err)
	}
	// Party age less the time outside the party: M03, admitted 10/06/2016, removed 10/01/2024 and
	// readmitted on 03/03/2025 (a file entered from the archive, the missing stages overridden),
	// is in their 10th year on 27/11/2026, not their 11th.
	today := dangvu.ReportQuery{Org: orgPDN, From: day("2026-01-01"), To: day("2026-11-27")}
	band := func(k string) int {
		r, err := s.TermReport(ctx, today)
		if err != nil {
			t.Fatal(err)
		}
		v, _ := r.Get(k)
		return v.(int)
	}
	if _, err := s.RecordLifeAct(ctx, actor, dangvu.LifeAct{MemberID: "M03", Kind: dangvu.ActRemove, Date: dangvu.MustDate("2024-01-10"), Reason: "Không đóng đảng phí 3 tháng"}); err != nil {
		t.Fatalf("removal of M03: %v", err)
	}
	under10, over10 := band("party_age_under_10"), band("party_age_10_to_29")
	if _, err := s.CreateAdmissionFile(ctx, actor, dangvu.AdmissionFile{ID: "KN-R3", OrgID: cell1A, FullName: "Lê Văn Anh", Gender: dangvu.Male, BirthDate: "1990-07-15", Education: "12/12", Readmission: true, MemberID: "M03"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordStep(ctx, actor, dangvu.AdmissionStep{FileID: "KN-R3", Stage: dangvu.StageCeremony, Date: dangvu.MustDate("2025-03-03")}, nil); dangvu.ErrorCode(err) != dangvu.EInvalid {
		t.Errorf("ceremony without the earlier stages: %v", err)
	}
	// A readmission decision needs the written consent of the provincial standing committee,
	// written in the override (point 3.5.1).
	if _, err := s.RecordStep(ctx, actor, dangvu.AdmissionStep{FileID: "KN-R3", Stage: dangvu.StageDecision, Date: dangvu.MustDate("2025-02-20"), Document: "Số 3-QĐ/ĐU"}, nil); dangvu.ErrorCode(err) != dangvu.EInvalid ||
		!strings.Contains(err.Error(), "ban thường vụ tỉnh ủy") || !strings.Contains(err.Error(), "QĐ 232-QĐ/TW điểm 3.5.1") {
		t.Errorf("readmission decision without consent: %v", err)
	}
	if _, err := s.RecordStep(ctx, actor, dangvu.AdmissionStep{FileID: "KN-R3", Stage: dangvu.StageCeremony, Date: dangvu.MustDate("2025-03-03"), Override: "Hồ sơ lưu trữ, các bước trước không còn văn bản"}, nil); err != nil {
		t.Fatalf("readmission ceremony with override: %v", err)
	}
	if m, _ := s.Member(ctx, "M03", day("2025-03-03")); m.Status != dangvu.StatusProbationary || m.OrgID != cell1A || m.AdmittedOn != dangvu.MustDate("2016-06-10") {
		t.Errorf("M03 readmitted: %+v", m)
	}
	if u, o := band("party_age_under_10"), band("party_age_10_to_29"); u != under10+1 || o != over10 {
		t.Errorf("party age after readmission: under 10 %d → %d, 10–29 %d → %d", under10, u, over10, o)
	}
	audit, _ := s.AuditLog(ctx, "admission_step", "", 100)
	if len(audit) < 12 || !slices.ContainsFunc(audit, func(e store.AuditEntry) bool {
		return e.Action == "record_override" && e.EntityID == "KN-R3/ceremony" && strings.Contains(e.After, "Hồ sơ lưu trữ")
	}) {
		t.Errorf("audit entries for steps: %d, override not logged", len(audit))
	}

	// Round trip: export → import into an empty store → export is identical.
	first := exportRows(t, s)
	if len(first["admission_steps"]) != 11+7+1+7 || len(first["admission_files"]) != 5 || len(first["life_acts"]) != 6 {
		t.Errorf("exported %d files, %d steps, %d acts", len(first["admission_files"]), len(first["admission_steps"]), len(first["life_acts"]))
	}
	// A subtree export keeps the files of its cells, their steps and its members' acts.
	for _, x := range []struct {
		org          string
		files, steps int
	}{{orgPDN, 5, len(first["admission_steps"])}, {orgTYC, 0, 0}} {
		counts, err := s.ExportUnder(ctx, exchange.NewMemory(), x.org, day("2026-11-27"))
		if err != nil {
			t.Fatal(err)
		}
		if counts["admission_files"] != x.files || counts["admission_steps"] != x.steps {
			t.Errorf("ExportUnder(%s): %d files, %d steps; want %d, %d", x.org, counts["admission_files"], counts["admission_steps"], x.files, x.steps)
		}
	}
	s2 := open(t)
	m2 := exportMemory(t, s)
	if _, err := s2.Import(ctx, m2.Reader(), store.ImportOptions{Actor: "storetest", Source: "roundtrip"}); err != nil {
		t.Fatalf("reimport: %v", err)
	}
	if second := exportRows(t, s2); !equalRows(first, second) {
		t.Error("export → import → export differs")
	}

	// An import with a stage dated before an earlier one, or naming an unknown file, changes
	// nothing and says which row is wrong.
	m3 := f.memory()
	row := func(table string, kv map[string]string) { putRow(t, m3, table, kv) }
	row("admission_files", map[string]string{"id": "KN-X", "org_id": cellPD2, "full_name": "Phan Văn Tú", "gender": "Nam", "birth_date": "1999", "youth_union": "0", "readmission": "0"})
	row("admission_steps", map[string]string{"file_id": "KN-X", "stage": "training", "date": "10/03/2020"})
	row("admission_steps", map[string]string{"file_id": "KN-X", "stage": "certificate", "date": "01/03/2020"})
	row("admission_steps", map[string]string{"file_id": "KN-Y", "stage": "training", "date": "01/03/2020"})
	s3 := open(t)
	_, err = s3.Import(ctx, m3.Reader(), store.ImportOptions{Actor: "storetest", Source: "bad"})
	if dangvu.ErrorCode(err) != dangvu.EInvalid || !strings.Contains(err.Error(), "trước ngày của bước") || !strings.Contains(err.Error(), "KN-Y") {
		t.Errorf("bad admission import: %v", err)
	}
	if n, _ := s3.CountMembers(ctx, "", day("2020-01-01"), dangvu.CountFilter{}); n != 0 {
		t.Errorf("a refused import stored %d members", n)
	}
}

func exportMemory(t *testing.T, s *store.Store) *exchange.Memory {
	t.Helper()
	m := exchange.NewMemory()
	if err := s.Export(t.Context(), m, nil); err != nil {
		t.Fatalf("export: %v", err)
	}
	return m
}

func equalRows(a, b map[string][][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, ra := range a {
		rb := b[k]
		if len(ra) != len(rb) {
			return false
		}
		for i := range ra {
			if !slices.Equal(ra[i], rb[i]) {
				return false
			}
		}
	}
	return true
}
