package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/rules/meetings"
	"dangvu/internal/store"
)

// testMeetings runs the cell meeting register on the fixture in early 2026: a meeting recorded
// with two absences by exception, its minutes and resolution, the refusals of bad input naming
// their field with nothing written, the ward's monthly view, the three-month rule, the report's
// figures against their lists, the attention items, residence links, and the exchange round
// trip (docs/meetings.md).
func testMeetings(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	t.Run("BadImport", func(t *testing.T) { testMeetingsBadImport(t, f, open) })
	s := loadedStore(t, f, open)
	s.Clock = func() time.Time { return day("2026-03-10") }
	ctx := t.Context()
	field := func(name string, err error, want string) {
		t.Helper()
		e := errorCode(t, err, dangvu.EInvalid)
		if e != nil && !hasField(e, want) {
			t.Errorf("%s: fields %v, want %s", name, e.Fields, want)
		}
	}
	count := func() int {
		ms, err := s.Meetings(ctx, store.MeetingFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return len(ms)
	}

	// A meeting dated in the future as held is refused; so is a meeting of a ward (not a cell).
	_, err := s.CreateMeeting(ctx, "test", dangvu.CellMeeting{OrgID: cell1A, Kind: dangvu.MeetingRegular, Status: dangvu.MeetingHeld, Held: dangvu.MustDate("2026-04-03")})
	field("held in the future", err, "held_on")
	_, err = s.CreateMeeting(ctx, "test", dangvu.CellMeeting{OrgID: orgPDN, Kind: dangvu.MeetingRegular, Status: dangvu.MeetingHeld, Held: dangvu.MustDate("2026-01-05")})
	field("a ward's cell meeting", err, "org_id")
	_, err = s.CreateMeeting(ctx, "test", dangvu.CellMeeting{OrgID: cell1A, Kind: dangvu.MeetingThematic, Status: dangvu.MeetingHeld, Held: dangvu.MustDate("2026-01-05")})
	field("thematic without topic", err, "topic")
	if n := count(); n != 0 {
		t.Fatalf("refusals wrote %d meetings", n)
	}

	// January: held on 05/01/2026 (the 3rd fell in the New Year days off), all four present.
	jan, err := s.CreateMeeting(ctx, "secretary", dangvu.CellMeeting{OrgID: cell1A, Kind: dangvu.MeetingRegular, Status: dangvu.MeetingHeld, Held: dangvu.MustDate("2026-01-05"),
		Place: "Nhà văn hoá khu 1A", Chair: "Nguyễn Văn Đức", Clerk: "Trần Thị Ánh", Minutes: 95})
	if err != nil {
		t.Fatal(err)
	}
	if jan.ID != "MT-"+cell1A+"-2026-01-R" || jan.OnRoll != 4 || jan.Present != 4 || jan.Month != "2026-01" || jan.OrgName != "Chi bộ khu 1A" {
		t.Fatalf("january: %+v", jan)
	}
	// Attendance by exception: a member of another cell is refused, nothing written.
	_, err = s.RecordAttendance(ctx, "secretary", jan.ID, []dangvu.MeetingAttendance{{MemberID: "M01", Mark: dangvu.AttendUnexcused}, {MemberID: "M05", Mark: dangvu.AttendUnexcused}})
	field("member of another cell", err, "attendance[1].member_id")
	_, err = s.RecordAttendance(ctx, "secretary", jan.ID, []dangvu.MeetingAttendance{{MemberID: "M02", Mark: dangvu.AttendExcused}})
	field("excused without reason", err, "attendance[0].reason")
	_, err = s.RecordAttendance(ctx, "secretary", jan.ID, []dangvu.MeetingAttendance{{MemberID: "M02", Mark: dangvu.AttendRemote}})
	if err != nil {
		t.Errorf("remote attendance under HD 42-HD/BTCTW: %v", err)
	}
	jan, err = s.RecordAttendance(ctx, "secretary", jan.ID, []dangvu.MeetingAttendance{{MemberID: "M01", Mark: dangvu.AttendUnexcused},
		{MemberID: "M02", Mark: dangvu.AttendExcused, Reason: "Ốm, có giấy của trạm y tế"}})
	if err != nil {
		t.Fatal(err)
	}
	if jan.OnRoll != 4 || jan.Present != 2 || len(jan.Attendance) != 2 {
		t.Fatalf("after attendance: on roll %d present %d %+v", jan.OnRoll, jan.Present, jan.Attendance)
	}
	// Minutes: more votes than members present, a score outside the rubric: refused.
	three, over := 92, 101
	_, err = s.RecordMinutes(ctx, "secretary", jan.ID, store.Minutes{Decisions: []dangvu.MeetingDecision{{Title: "Kế hoạch tháng 02", For: 3}}})
	field("votes above present", err, "decisions[0].votes_for")
	_, err = s.RecordMinutes(ctx, "secretary", jan.ID, store.Minutes{Points: &over})
	if e := errorCode(t, err, dangvu.EInvalid); e == nil || !hasField(e, "quality_points") || !strings.Contains(e.Error(), "An Phú") {
		t.Errorf("score outside the rubric: %v", err)
	}
	jan, err = s.RecordMinutes(ctx, "secretary", jan.ID, store.Minutes{Agenda: "Kiểm điểm tháng 12; nhiệm vụ tháng 01", Discussion: "Đồng chí Vũ Văn A phát biểu",
		Conclusions: "Thống nhất", Points: &three, Resolution: "01-NQ/CB", ResolutionText: "Chi bộ quyết nghị", PublishedOn: "2026-01-06",
		Decisions: []dangvu.MeetingDecision{{Title: "Kế hoạch tháng 01", For: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	if jan.Band != "good" || len(jan.Decisions) != 1 || jan.PublishedOn.String() != "2026-01-06" {
		t.Errorf("minutes: band %q decisions %+v published %q", jan.Band, jan.Decisions, jan.PublishedOn)
	}
	// The ward reviews the score.
	if jan, err = s.ReviewMeetingQuality(ctx, "ward", jan.ID, 85); err != nil || jan.ReviewBand != "fair" {
		t.Errorf("ward review: %v %q", err, jan.ReviewBand)
	}
	// Minutes for a meeting that did not take place.
	plan, err := s.CreateMeeting(ctx, "secretary", dangvu.CellMeeting{OrgID: cell1A, Kind: dangvu.MeetingRegular, Planned: dangvu.MustDate("2026-04-03")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.RecordMinutes(ctx, "secretary", plan.ID, store.Minutes{Agenda: "x"})
	field("minutes of a planned meeting", err, "meeting_id")

	// February and March: M01 absent without reason again; March held late (10/03).
	for _, held := range []string{"2026-02-03", "2026-03-10"} {
		m, err := s.CreateMeeting(ctx, "secretary", dangvu.CellMeeting{OrgID: cell1A, Kind: dangvu.MeetingRegular, Status: dangvu.MeetingHeld, Held: dangvu.MustDate(held)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.RecordAttendance(ctx, "secretary", m.ID, []dangvu.MeetingAttendance{{MemberID: "M01", Mark: dangvu.AttendUnexcused}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CreateMeeting(ctx, "secretary", dangvu.CellMeeting{OrgID: cellPD2, Kind: dangvu.MeetingThematic, Topic: "Học tập Nghị quyết Đại hội XIV",
		Status: dangvu.MeetingHeld, Held: dangvu.MustDate("2026-02-20")}); err != nil {
		t.Fatal(err)
	}

	// The ward's month: khu 1A held by the due day in January; in March held after it.
	jm, err := s.WardMonth(ctx, orgPDN, "2026-01")
	if err != nil {
		t.Fatal(err)
	}
	if len(jm) != 5 {
		t.Fatalf("ward month: %d cells, want 5: %+v", len(jm), jm)
	}
	i := slices.IndexFunc(jm, func(c dangvu.MonthCell) bool { return c.OrgID == cell1A })
	if i < 0 || jm[i].Held.String() != "2026-01-05" || jm[i].Late || jm[i].Due.String() != "2026-01-07" || jm[i].PublishBy.String() != "2026-01-07" || jm[i].Present != 2 {
		t.Errorf("january of khu 1A: %+v", jm)
	}
	mm, _ := s.WardMonth(ctx, orgPDN, "2026-03")
	if i := slices.IndexFunc(mm, func(c dangvu.MonthCell) bool { return c.OrgID == cell1A }); i < 0 || !mm[i].Late || mm[i].Unexcused2 != 1 {
		t.Errorf("march of khu 1A: %+v", mm)
	}
	if i := slices.IndexFunc(mm, func(c dangvu.MonthCell) bool { return c.OrgID == cellPD2 }); i < 0 || mm[i].ThematicQtr != 1 || mm[i].Held.String() != "" {
		t.Errorf("march of khu 2: %+v", mm)
	}

	// The three-month rule: M01 in January, February, March 2026.
	flags, err := s.ThreeMonths(ctx, orgPDN, 2026, "2026-03")
	if err != nil || len(flags) != 1 || flags[0].MemberID != "M01" || len(flags[0].Months) != 3 || !strings.Contains(flags[0].Cite, "Điều lệ") {
		t.Errorf("three months: %+v %v", flags, err)
	}
	if flags, _ := s.ThreeMonths(ctx, orgPDN, 2026, "2026-02"); len(flags) != 0 {
		t.Errorf("two months flag nobody: %+v", flags)
	}

	// Attention on 10/03/2026: four cells have not met in March (due 07/03), khu 1A's minutes of
	// today are due by 12/03 (2 working days), M01's three months.
	att, err := s.Attention(ctx, orgPDN, day("2026-03-10"), dangvu.UserSecretary)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, a := range att {
		kinds[a.Kind]++
	}
	if kinds["meeting_overdue"] != 4 || kinds["member_three_months"] != 1 || kinds["minutes_unpublished"] != 1 {
		t.Errorf("attention: %v", kinds)
	}
	if att, _ := s.Attention(ctx, orgPDN, day("2026-03-10"), dangvu.UserMember); slices.ContainsFunc(att, func(a dangvu.Attention) bool { return strings.HasPrefix(a.Kind, "meeting") }) {
		t.Error("a member's attention lists the meetings register")
	}

	// Residence: a link to a ward is refused; to a residential cell accepted, with its comment.
	_, err = s.CreateResidenceLink(ctx, "ward", dangvu.ResidenceLink{MemberID: "M29", CellID: orgPDN, From: dangvu.MustDate("2025-01-15"), WorkOrg: "Đảng bộ Công ty Than Uông Bí"})
	field("residence with a ward", err, "cell_id")
	link, err := s.CreateResidenceLink(ctx, "ward", dangvu.ResidenceLink{MemberID: "M29", CellID: cellPD2, From: dangvu.MustDate("2025-01-15"), WorkOrg: "Đảng bộ Công ty Than Uông Bí", Letter: "Số 12-GGT/ĐU"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveResidenceComment(ctx, "ward", dangvu.ResidenceComment{LinkID: link.ID, Year: 2025, RequestedOn: dangvu.MustDate("2025-11-20"), ReturnedOn: dangvu.MustDate("2026-01-10"), Comment: "Gương mẫu"}); err != nil {
		t.Fatal(err)
	}

	// The report: figures equal their lists.
	q := dangvu.ReportQuery{Org: orgPDN, From: day("2026-01-01"), To: day("2026-03-10")}
	rep, err := s.TermReport(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"cell_meetings_held": 3, "cell_meetings_expected": 15, "cells_meeting_every_month": 1, "thematic_meetings_held": 1,
		"cell_meetings_quality_fair": 1, "cell_meetings_quality_good": 0, "members_absent_3m_unexcused": 1, "residence_registrations": 1, "residence_comments_returned": 1}
	for k, n := range want {
		v, ok := rep.Get(k)
		if !ok || fmt.Sprint(v) != fmt.Sprint(n) {
			t.Errorf("%s = %v, want %d", k, v, n)
		}
		l, err := s.ReportList(ctx, q, k)
		if err != nil {
			t.Errorf("%s list: %v", k, err)
			continue
		}
		if got := len(l.Rows); got != n {
			t.Errorf("%s list has %d, want %d", k, len(l.Rows), n)
		}
	}
	// 8 present of 12 on the roll over the three regular meetings.
	if v, _ := rep.Get("cell_meeting_attendance_pct"); fmt.Sprint(v) != "66.67" {
		t.Errorf("attendance pct %v", v)
	}

	// The Charter's rule reads both registers (Art. 8.1: "bỏ sinh hoạt đảng hoặc không đóng đảng
	// phí ba tháng trong năm", combine_lapses = có): M02 owes dues from January and paid nothing
	// in January and February (March is under way), and missed March's meeting without reason:
	// three months, listed with what each was; M02's dues alone (two months) are not a dues item,
	// and the report's key stays the absences register's.
	if _, err := s.AddDuesBasis(ctx, "secretary", dangvu.DuesBasis{Member: "M02", From: dangvu.MustDate("2026-01-01"), Group: dangvu.DuesInsured, Amount: 5_000_000}); err != nil {
		t.Fatal(err)
	}
	mar, err := s.Meetings(ctx, store.MeetingFilter{Under: cell1A, From: "2026-03", To: "2026-03", Kind: dangvu.MeetingRegular})
	if err != nil || len(mar) != 1 {
		t.Fatalf("march meeting: %v %v", mar, err)
	}
	if _, err := s.RecordAttendance(ctx, "secretary", mar[0].ID, []dangvu.MeetingAttendance{{MemberID: "M01", Mark: dangvu.AttendUnexcused},
		{MemberID: "M02", Mark: dangvu.AttendUnexcused, Reason: "Không báo"}}); err != nil {
		t.Fatal(err)
	}
	flags, err = s.ThreeMonths(ctx, orgPDN, 2026, "2026-03")
	if i := slices.IndexFunc(flags, func(f store.ThreeMonthFlag) bool { return f.MemberID == "M02" }); err != nil || len(flags) != 2 || i < 0 ||
		len(flags[i].Months) != 3 || len(flags[i].Lapses) != 3 || flags[i].Lapses[0].Kind != meetings.LapseDues || flags[i].Lapses[2].Reason != "Không báo" {
		t.Errorf("absences and dues together: %+v %v", flags, err)
	}
	att, err = s.Attention(ctx, orgPDN, day("2026-03-10"), dangvu.UserSecretary)
	if err != nil {
		t.Fatal(err)
	}
	kinds = map[string]int{}
	for _, a := range att {
		kinds[a.Kind]++
		if a.Kind == "member_three_months" && a.MemberID == "M02" && (!strings.Contains(a.Detail, "tháng 01/2026 không đóng đảng phí") || !strings.Contains(a.Detail, "tháng 03/2026 vắng sinh hoạt không có lý do (Không báo)")) {
			t.Errorf("M02's item lists the months and reasons: %q", a.Detail)
		}
	}
	if kinds["member_three_months"] != 2 || kinds["dues_arrears_3m"] != 0 {
		t.Errorf("attention with dues: %v", kinds)
	}
	if v, err := s.TermReport(ctx, q); err == nil {
		if n, _ := v.Get("members_absent_3m_unexcused"); fmt.Sprint(n) != "1" {
			t.Errorf("members_absent_3m_unexcused with M02's dues: %v, want 1 (absences alone)", n)
		}
	}

	// Export → import into an empty database → export is byte-identical.
	first := exportCSV(t, s)
	if !strings.Contains(string(first["meetings.csv"]), jan.ID) || !strings.Contains(string(first["meeting_attendance.csv"]), "Ốm, có giấy") ||
		!strings.Contains(string(first["residence_comments.csv"]), "Gương mẫu") || !strings.Contains(string(first["meeting_decisions.csv"]), "Kế hoạch tháng 01") {
		t.Fatal("export lacks the meetings")
	}
	again := open(t)
	// The fixture's other rows (member files) reach 15/07/2026: the copy is imported after them.
	again.Clock = func() time.Time { return day("2026-08-10") }
	if _, err := again.Import(ctx, exportReader(t, s), store.ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, "meetings round trip", first, exportCSV(t, again))

	// Khu 2 merges into khu 1A on 05/03/2026: M29's registration goes with the event to khu 1A
	// (213-QĐ/TW; the 2025–2026 village mergers), the 2025 comment stays with the old one. Carried
	// to the ward itself (not a residential cell), the event is refused naming the transfers,
	// nothing written.
	// Khu 2 passes up April's dues on 05/05 before the merger is recorded, dated back: on
	// 01/04 it was no cell any more, so what it passed up leaves the figures kept for the top of
	// the tree with its versions (TalliesAgree after the subtest), and the ward's report.
	s.Clock = func() time.Time { return day("2026-05-10") }
	april, _ := dangvu.ParseMonth("2026-04")
	if _, err := s.RecordDuesPayments(ctx, "ward", cellPD2, []dangvu.DuesPayment{{Member: "M09", Month: april, Amount: 50_000, Paid: dangvu.MustDate("2026-04-20")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordRemittance(ctx, "ward", cellPD2, april, day("2026-05-05"), ""); err != nil {
		t.Fatal(err)
	}
	remitted := func() any { return reportFigure(t, s, orgPDN, "2026-04-01", "2026-04-30", "dues_remitted_vnd") }
	wasRemitted := remitted()
	merge := dangvu.Reorganisation{Event: dangvu.ReorgEvent{ID: "R-2026-PDN-K2", Date: dangvu.MustDate("2026-03-05"), Kind: dangvu.ReorgMerge,
		Document: "Số 9-QĐ/ĐU", Description: "Sáp nhập khu 2 vào khu 1A"}, Changes: []dangvu.OrgChange{{OrgID: cellPD2, End: true}}}
	bad := merge
	bad.Transfers = []dangvu.BulkTransfer{{From: cellPD2, To: orgPDN}}
	err = s.Reorganise(ctx, "ward", bad)
	if e := errorCode(t, err, dangvu.EInvalid); e == nil || !hasField(e, "transfers") || !strings.Contains(e.Error(), "nơi cư trú") {
		t.Errorf("registrations carried to a ward: %v", err)
	}
	if ls, _ := s.MemberResidence(ctx, "M29", 2026); len(ls) != 1 || ls[0].CellID != cellPD2 || !ls[0].To.IsZero() {
		t.Errorf("after a refused event: %+v", ls)
	}
	merge.Transfers = []dangvu.BulkTransfer{{From: cellPD2, To: cell1A}}
	if err := s.Reorganise(ctx, "ward", merge); err != nil {
		t.Fatal(err)
	}
	if now := remitted(); fmt.Sprint(wasRemitted) == "0" || fmt.Sprint(now) != "0" {
		t.Errorf("dues_remitted_vnd of April for the ward: %v before the merger, %v after (want some, then none)", wasRemitted, now)
	}
	ls, err := s.MemberResidence(ctx, "M29", 2026)
	if err != nil || len(ls) != 2 || ls[0].CellID != cellPD2 || ls[0].To.String() != "2026-03-04" || ls[1].CellID != cell1A || ls[1].From.String() != "2026-03-05" ||
		ls[1].Letter != "Số 12-GGT/ĐU" || !strings.Contains(ls[1].Note, "R-2026-PDN-K2") {
		t.Errorf("registration carried with the event: %+v %v", ls, err)
	}
	if ls, _ := s.MemberResidence(ctx, "M29", 2025); len(ls) != 1 || len(ls[0].Comments) != 1 || ls[0].Comments[0].Comment != "Gương mẫu" {
		t.Errorf("the 2025 comment stays with its registration: %+v", ls)
	}
	if links, _ := s.ResidenceLinks(ctx, cell1A, "2026-03-10"); len(links) != 1 || links[0].MemberID != "M29" {
		t.Errorf("khu 1A's contact list: %+v", links)
	}
}

// testMeetingsBadImport: bad meeting rows are named by table, row and column, nothing stored.
func testMeetingsBadImport(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	s := open(t)
	// After every dated row of the fixture (its member files reach 15/07/2026), so the only
	// refusals are this test's.
	s.Clock = func() time.Time { return day("2026-08-10") }
	m := f.memory()
	row := func(table string, kv map[string]string) { putRow(t, m, table, kv) }
	row("meetings", map[string]string{"id": "MT1", "org_id": cell1A, "kind": "regular", "month": "2026-01", "status": "held", "held_on": "2026-01-05", "on_roll": "4", "present": "2", "quality_points": "150"})
	row("meetings", map[string]string{"id": "MT2", "org_id": cell1A, "kind": "regular", "month": "2026-09", "status": "held", "held_on": "2026-09-03", "on_roll": "4", "present": "4"})
	row("meetings", map[string]string{"id": "MT3", "org_id": cell1A, "kind": "regular", "month": "2026-10", "status": "planned", "planned_on": "2026-10-03", "agenda": "x"})
	row("meeting_decisions", map[string]string{"meeting_id": "MT1", "seq": "1", "title": "Kế hoạch", "votes_for": "3"})
	row("residence_links", map[string]string{"id": "RL1", "member_id": "M29", "cell_id": orgPDN, "valid_from": "2025-01-15", "category": "regular"})
	_, err := s.Import(t.Context(), m.Reader(), store.ImportOptions{Actor: "test"})
	e := errorCode(t, err, dangvu.EInvalid)
	errorsAt(t, e, "meetings/2/quality_points", "meetings/3/held_on", "meetings/4/agenda", "meeting_decisions/2/votes_for", "residence_links/2/cell_id")
	if ms, err := s.Meetings(t.Context(), store.MeetingFilter{}); err != nil || len(ms) != 0 {
		t.Errorf("a refused import stored meetings: %v %v", ms, err)
	}

	// Attendance for a member not in the cell that day.
	s2 := open(t)
	s2.Clock = s.Clock
	m2 := f.memory()
	row2 := func(table string, kv map[string]string) { putRow(t, m2, table, kv) }
	row2("meetings", map[string]string{"id": "MT1", "org_id": cell1A, "kind": "regular", "month": "2026-01", "status": "held", "held_on": "2026-01-05", "on_roll": "4", "present": "3"})
	row2("meeting_attendance", map[string]string{"meeting_id": "MT1", "member_id": "M05", "mark": "unexcused"})
	_, err = s2.Import(t.Context(), m2.Reader(), store.ImportOptions{Actor: "test"})
	if e := errorCode(t, err, dangvu.EInvalid); e == nil || !hasField(e, "member_id") || !strings.Contains(e.Error(), "M05") {
		t.Errorf("attendance outside the cell: %v", err)
	}
}
