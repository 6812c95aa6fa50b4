package storetest

import (
	"math"
	"slices"
	"strings"
	"testing"

	"path/filepath"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/store"
)

// testDissemination walks the story of docs/dissemination.md on the fixture: the city registers
// Resolution 04-NQ/TW, issues numbered programmes with tasks, the wards hold conferences, members
// move between two of them, and the coverage and the report figures are checked against a count
// made directly from the fixture's rows.
func testDissemination(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	s := open(t)
	importFixture(t, s, f)
	ctx := t.Context()
	const actor = "storetest"

	// The register: an incoming resolution, then own programmes numbered per kind and term.
	nq, err := s.CreateDocument(ctx, actor, dangvu.Document{ID: "NQ04", OrgID: orgUB, Direction: dangvu.DirIncoming, Number: "Số 04-nq/tw",
		Date: dangvu.MustDate("2016-10-30"), ReceivedOn: dangvu.MustDate("2016-11-02"), Title: "Nghị quyết Hội nghị Trung ương 4 khóa XII"})
	if err != nil {
		t.Fatal(err)
	}
	if nq.Number != "04-NQ/TW" || nq.Kind != dangvu.DocResolution || nq.Issuer != "TW" {
		t.Fatalf("incoming number normalised to %q %s %s", nq.Number, nq.Kind, nq.Issuer)
	}
	own := func(id, org, date, number string, kind dangvu.DocKind) (dangvu.Document, error) {
		return s.CreateDocument(ctx, actor, dangvu.Document{ID: id, OrgID: org, Direction: dangvu.DirOwn, Kind: kind, Number: number,
			Date: dangvu.MustDate(date), Title: "Chương trình hành động thực hiện Nghị quyết 04-NQ/TW", Implements: "NQ04"})
	}
	// Numbers run from 01 per kind within a committee term (HD 36-HD/VPTW 2018, mục II, 1.3.1 a):
	// term T-UB-2015 starts 2015-07-10, T-UB-2020 on 2020-07-20.
	for _, c := range []struct {
		id, org, date, number string
		kind                  dangvu.DocKind
		want                  string // the number given, or the error code
	}{
		{"CTR1", orgUB, "2016-12-01", "", dangvu.DocProgramme, "01-CTr/TU"},
		{"CTR2", orgUB, "2017-03-01", "", dangvu.DocProgramme, "02-CTr/TU"},
		{"KH1", orgUB, "2017-03-02", "", dangvu.DocPlan, "01-KH/TU"},                         // another kind: its own sequence
		{"CTR-DUP", orgUB, "2017-04-01", "02-CTr/TU", dangvu.DocProgramme, dangvu.EConflict}, // already used in the term
		{"CTR-HU", orgUB, "2017-04-01", "03-CTr/HU", dangvu.DocProgramme, dangvu.EInvalid},   // not the city's issuer code
		{"CTR3", orgUB, "2017-04-02", "05-CTr/TU", dangvu.DocProgramme, "05-CTr/TU"},         // a number given by hand
		{"CTR-NEXT", orgUB, "2020-08-01", "", dangvu.DocProgramme, "01-CTr/TU"},              // a new term restarts
		{"CTR-PD", orgPD, "2017-05-01", "", dangvu.DocProgramme, "01-CTr/ĐU"},                // the ward's own code
	} {
		d, err := own(c.id, c.org, c.date, c.number, c.kind)
		switch c.want {
		case dangvu.EConflict, dangvu.EInvalid:
			e := errorCode(t, err, c.want)
			if len(e.Fields) == 0 || e.Fields[0].Field != "number" {
				t.Errorf("%s: error names %v, want the number field", c.id, e.Fields)
			}
		default:
			if err != nil {
				t.Fatalf("%s: %v", c.id, err)
			}
			if d.Number != c.want {
				t.Errorf("%s: number %q, want %q", c.id, d.Number, c.want)
			}
		}
	}
	if next, err := s.NextDocNumber(ctx, orgUB, dangvu.DocProgramme, day("2018-01-01")); err != nil || next.String() != "06-CTr/TU" {
		t.Errorf("next programme number: %v %v, want 06-CTr/TU", next, err)
	}
	if _, err := own("BAD-LINK", orgUB, "2017-01-01", "", dangvu.DocProgramme); err != nil {
		t.Fatal(err)
	}
	_, err = s.CreateDocument(ctx, actor, dangvu.Document{OrgID: orgUB, Direction: dangvu.DirOwn, Kind: dangvu.DocReport, Date: dangvu.MustDate("2017-01-01"), Title: "Báo cáo", ReportsOn: "NOPE"})
	if e := errorCode(t, err, dangvu.EInvalid); e.Fields[0].Field != "reports_on" {
		t.Errorf("bad link: %v", e.Fields)
	}

	// Tasks and progress; overdue ones surface as attention items.
	_, err = s.CreateTask(ctx, actor, dangvu.Task{DocumentID: "CTR1", Title: "Quá khứ", AssigneeName: "Ban Tuyên giáo", Deadline: dangvu.MustDate("2016-01-01")})
	if e := errorCode(t, err, dangvu.EInvalid); e.Fields[0].Field != "deadline" {
		t.Errorf("deadline before the programme: %v", e.Fields)
	}
	_, err = s.CreateTask(ctx, actor, dangvu.Task{DocumentID: "NQ04", Title: "x", AssigneeName: "y", Deadline: dangvu.MustDate("2017-01-01")})
	errorCode(t, err, dangvu.EInvalid)
	t1, err := s.CreateTask(ctx, actor, dangvu.Task{ID: "T1", DocumentID: "CTR1", Title: "Tổ chức hội nghị học tập", AssigneeOrgID: orgPN, Deadline: dangvu.MustDate("2017-03-31")})
	if err != nil {
		t.Fatal(err)
	}
	if t1.AssigneeName != "Đảng bộ phường Phương Nam" {
		t.Errorf("assignee named %q from the organisation", t1.AssigneeName)
	}
	if _, err := s.CreateTask(ctx, actor, dangvu.Task{ID: "T2", DocumentID: "CTR1", Title: "Sơ kết", AssigneeName: "Văn phòng Thành ủy", Deadline: dangvu.MustDate("2017-06-30")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddTaskNote(ctx, actor, dangvu.TaskNote{TaskID: "T1", Date: dangvu.MustDate("2017-03-20"), Status: dangvu.TaskDone, Note: "Đã tổ chức", Evidence: "BC 12-BC/ĐU"}); err != nil {
		t.Fatal(err)
	}
	_, err = s.AddTaskNote(ctx, actor, dangvu.TaskNote{TaskID: "T1", Date: dangvu.MustDate("2017-03-20"), Status: dangvu.TaskDone, Note: "lặp"})
	errorCode(t, err, dangvu.EConflict)
	tasks, err := s.Tasks(ctx, "CTR1", day("2017-07-01"))
	if err != nil || len(tasks) != 2 {
		t.Fatalf("tasks: %v %v", tasks, err)
	}
	if tasks[0].Overdue || !tasks[1].Overdue || tasks[0].DoneOn != dangvu.MustDate("2017-03-20") || len(tasks[0].Notes) != 1 {
		t.Errorf("tasks on 01/07/2017: %+v", tasks)
	}
	att, err := s.Attention(ctx, orgUB, day("2017-06-20"), dangvu.UserAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(att, func(a dangvu.Attention) bool { return a.Kind == "task_due" && a.Due == dangvu.MustDate("2017-06-30") }) {
		t.Errorf("T2 not due soon on 20/06/2017: %+v", att)
	}
	attentionByRole(t, s, orgUB, "2017-06-20", dangvu.ActDocuments, "task_")
	att, _ = s.Attention(ctx, orgUB, day("2017-07-01"), dangvu.UserAdmin)
	if !slices.ContainsFunc(att, func(a dangvu.Attention) bool { return a.Kind == "task_overdue" && a.Overdue }) {
		t.Errorf("T2 not overdue on 01/07/2017: %+v", att)
	}

	// Conferences: the city's, then one in Phương Nam's cell 2 before member M19 moves to Năm Mẫu
	// (2018-06-01) and one in Năm Mẫu after.
	conf := func(id, org, scope, date string) {
		t.Helper()
		if _, err := s.CreateConference(ctx, actor, dangvu.Conference{ID: id, OrgID: org, ScopeOrgID: scope, Title: "Học tập Nghị quyết 04-NQ/TW",
			Date: dangvu.MustDate(date), Place: "Hội trường", Presenter: "Trưởng ban Tuyên giáo", DocumentIDs: []string{"NQ04"}, Reflection: true}); err != nil {
			t.Fatal(err)
		}
	}
	conf("HN-UB", orgUB, orgUB, "2016-12-10")
	conf("HN-PN2", orgPN, cellPN2, "2018-05-01")
	conf("HN-NM", orgTYC, cellNamMau, "2018-07-01")
	_, err = s.CreateConference(ctx, actor, dangvu.Conference{OrgID: orgPN, ScopeOrgID: cellPD2, Title: "x", Date: dangvu.MustDate("2018-05-01"), DocumentIDs: []string{"NQ04"}})
	if e := errorCode(t, err, dangvu.EInvalid); e.Fields[0].Field != "scope_org_id" {
		t.Errorf("scope outside the organiser: %v", e.Fields)
	}
	mark := func(conf string, lines ...dangvu.Attendance) error { return s.SetAttendance(ctx, actor, conf, lines) }
	if err := mark("HN-PN2", dangvu.Attendance{MemberID: "M19", Status: dangvu.AttPresent}, dangvu.Attendance{MemberID: "M20", Status: dangvu.AttPresent},
		dangvu.Attendance{MemberID: "M21", Status: dangvu.AttExcused, Reason: "Đi công tác"}, dangvu.Attendance{MemberID: "M22", Status: dangvu.AttAbsent}); err != nil {
		t.Fatal(err)
	}
	// A member outside the scope, an exempt member and a make-up without its date refuse the sheet.
	err = mark("HN-PN2", dangvu.Attendance{MemberID: "M22", Status: dangvu.AttPresent}, dangvu.Attendance{MemberID: "M29", Status: dangvu.AttPresent},
		dangvu.Attendance{MemberID: "M21", Status: dangvu.AttMadeUp})
	e := errorCode(t, err, dangvu.EInvalid)
	if len(e.Fields) != 2 || e.Fields[0].Row != 2 || e.Fields[0].Field != "member_id" || e.Fields[1].Row != 3 || e.Fields[1].Field != "made_up_on" {
		t.Errorf("bad sheet errors: %+v", e.Fields)
	}
	sheet, err := s.Sheet(ctx, "HN-PN2")
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(sheet, func(a dangvu.Attendance) bool { return a.MemberID == "M22" }); i < 0 || sheet[i].Status != dangvu.AttAbsent {
		t.Errorf("a refused sheet changed a line: %+v", sheet)
	}
	conf("HN-PD2", orgPD, cellPD2, "2018-05-02")
	err = mark("HN-PD2", dangvu.Attendance{MemberID: "M12", Status: dangvu.AttPresent}) // exempt since 2018-03-01
	errorCode(t, err, dangvu.EInvalid)
	if err := mark("HN-PD2", dangvu.Attendance{MemberID: "M09", Status: dangvu.AttPresent}, dangvu.Attendance{MemberID: "M10", Status: dangvu.AttPresent}); err != nil {
		t.Fatal(err)
	}
	sheet, _ = s.Sheet(ctx, "HN-PD2")
	var onSheet []string
	for _, a := range sheet {
		onSheet = append(onSheet, a.MemberID)
	}
	slices.Sort(onSheet)
	var want []string
	for _, p := range f.membersUnder(cellPD2, "2018-05-02", rosterFilter{}) {
		if p.statusOn("2018-05-02") != dangvu.StatusExempt {
			want = append(want, p.ID)
		}
	}
	slices.Sort(want)
	if !slices.Equal(onSheet, want) {
		t.Errorf("sheet of cell 2 lists %v, want the members in scope %v", onSheet, want)
	}
	// M19 moved to Năm Mẫu on 2018-06-01: on its sheet, absent, but he studied in Phương Nam.
	// M24 joins the make-up on 2018-07-20 (a line for a member in scope on the make-up day).
	if err := mark("HN-NM", dangvu.Attendance{MemberID: "M19", Status: dangvu.AttAbsent}, dangvu.Attendance{MemberID: "M23", Status: dangvu.AttPresent},
		dangvu.Attendance{MemberID: "M25", Status: dangvu.AttMadeUp, MadeUpOn: dangvu.MustDate("2018-07-20")}); err != nil {
		t.Fatal(err)
	}

	// Coverage against a direct count from the fixture's rows.
	studied := func(m, asOf string) bool {
		lines := map[string]struct{ date, status, madeUp string }{
			"M19": {"2018-05-01", "present", ""}, "M20": {"2018-05-01", "present", ""},
			"M09": {"2018-05-02", "present", ""}, "M10": {"2018-05-02", "present", ""},
			"M23": {"2018-07-01", "present", ""}, "M25": {"2018-07-01", "made_up", "2018-07-20"},
		}
		l, ok := lines[m]
		return ok && (l.status == "present" && l.date <= asOf || l.status == "made_up" && l.madeUp <= asOf)
	}
	direct := func(org, asOf string) (inScope, reached int) {
		for _, p := range f.membersUnder(org, asOf, rosterFilter{}) {
			if p.statusOn(asOf) == dangvu.StatusExempt {
				continue
			}
			inScope++
			if studied(p.ID, asOf) {
				reached++
			}
		}
		return
	}
	for _, c := range []struct{ org, asOf string }{
		{orgUB, "2018-04-30"}, {orgUB, "2018-07-10"}, {orgUB, "2018-08-01"}, {orgPN, "2018-05-31"}, {orgPN, "2018-06-01"},
		{orgTYC, "2018-06-01"}, {orgTYC, "2018-08-01"}, {cellNamMau, "2018-08-01"}, {orgQN, "2018-08-01"},
	} {
		cov, err := s.Coverage(ctx, c.org, []string{"NQ04"}, day(c.asOf), true)
		if err != nil {
			t.Fatal(err)
		}
		n, r := direct(c.org, c.asOf)
		if cov.InScope != n || cov.Reached != r || len(cov.NotReached) != n-r {
			t.Errorf("coverage %s on %s: %d/%d (%d listed), direct count %d/%d", c.org, c.asOf, cov.Reached, cov.InScope, len(cov.NotReached), r, n)
		}
		if want := math.Round(10000*float64(r)/float64(n)) / 100; cov.Pct != want {
			t.Errorf("coverage %s on %s: %v%%, want %v%%", c.org, c.asOf, cov.Pct, want)
		}
		sum := 0
		for _, ch := range cov.Children {
			sum += ch.Reached
		}
		if sum != cov.Reached {
			t.Errorf("coverage %s on %s: children reach %d, total %d", c.org, c.asOf, sum, cov.Reached)
		}
	}
	// After the move M19 counts once, in Năm Mẫu, as reached.
	cov, _ := s.Coverage(ctx, cellNamMau, []string{"NQ04"}, day("2018-08-01"), true)
	if slices.ContainsFunc(cov.NotReached, func(m dangvu.CoverageMember) bool { return m.MemberID == "M19" }) {
		t.Errorf("M19 studied before moving but is listed as not reached: %+v", cov.NotReached)
	}

	// The report figures.
	r, err := s.TermReport(ctx, dangvu.ReportQuery{Org: orgUB, From: day("2016-10-30"), To: day("2018-08-01"), Document: "04-NQ/TW"})
	if err != nil {
		t.Fatal(err)
	}
	n, reached := direct(orgUB, "2018-08-01")
	if reached != 6 || n <= reached {
		t.Fatalf("fixture: %d of %d reached, the case wants 6 of more", reached, n)
	}
	for key, want := range map[string]any{
		"action_programmes":         5, // CTR1, CTR2, KH1, CTR3, BAD-LINK: the city's, implementing NQ04, in the period
		"conferences_at_org_level":  1,
		"conferences_grassroots":    3,
		"study_members_in_scope":    n,
		"study_members_not_reached": n - reached,
		"study_coverage_pct":        math.Round(10000*float64(reached)/float64(n)) / 100,
	} {
		if got, _ := r.Get(key); got != want {
			t.Errorf("report %s = %v, want %v", key, got, want)
		}
		if key == "study_coverage_pct" || key == "study_members_in_scope" {
			continue
		}
		l, err := s.ReportList(ctx, dangvu.ReportQuery{Org: orgUB, From: day("2016-10-30"), To: day("2018-08-01"), Document: "04-NQ/TW"}, key)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := r.Get(key); len(l.Rows) != got {
			t.Errorf("drill %s lists %d rows, figure %v", key, len(l.Rows), got)
		}
	}
	_, err = s.TermReport(ctx, dangvu.ReportQuery{Org: orgUB, From: day("2016-10-30"), To: day("2018-08-01"), Document: "99-NQ/TW"})
	errorCode(t, err, dangvu.ENotFound)

	// Self-service: M19's record lists the conferences that expected him, with his lines.
	study, err := s.MemberStudy(ctx, "M19", false)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, it := range study {
		lines = append(lines, it.Conference.ID+":"+string(it.Status))
	}
	if !slices.Equal(lines, []string{"HN-NM:absent", "HN-PN2:present", "HN-UB:"}) {
		t.Errorf("M19's study record: %v", lines)
	}
	if _, err := s.AddReflection(ctx, actor, dangvu.Reflection{MemberID: "M19", DocumentID: "NQ04", ConferenceID: "HN-PN2", Date: dangvu.MustDate("2018-05-10"), Text: "Bài thu hoạch"}); err != nil {
		t.Fatal(err)
	}
	_, err = s.AddReflection(ctx, actor, dangvu.Reflection{MemberID: "M19", DocumentID: "NQ04", Date: dangvu.MustDate("2018-05-10"), Text: " "})
	errorCode(t, err, dangvu.EInvalid)

	// Self-service: the documents a member's organisation must study, before any conference of
	// theirs: a resolution the city studied, and one a city plan implements before any conference.
	if _, err := s.CreateDocument(ctx, actor, dangvu.Document{ID: "NQ05", OrgID: orgUB, Direction: dangvu.DirIncoming, Number: "05-NQ/TW",
		Date: dangvu.MustDate("2018-06-01"), ReceivedOn: dangvu.MustDate("2018-06-03"), Title: "Nghị quyết 05"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateDocument(ctx, actor, dangvu.Document{ID: "KH05", OrgID: orgUB, Direction: dangvu.DirOwn, Kind: dangvu.DocPlan,
		Date: dangvu.MustDate("2018-06-10"), Title: "Kế hoạch thực hiện Nghị quyết 05", Implements: "NQ05"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		member, day string
		want        []string // number:why:studied
	}{
		{"M19", "2018-05-15", []string{"04-NQ/TW:conference:2018-05-01"}},
		{"M22", "2018-05-15", []string{"04-NQ/TW:conference:"}}, // absent at HN-PN2
		{"M22", "2018-06-05", []string{"04-NQ/TW:conference:"}}, // NQ05 registered, nothing implements or studies it yet
		{"M22", "2018-07-01", []string{"04-NQ/TW:conference:", "05-NQ/TW:programme:"}},
		{"M19", "2018-07-15", []string{"04-NQ/TW:conference:2018-05-01", "05-NQ/TW:programme:"}}, // moved to Năm Mẫu: still under the city
		{"M29", "2018-07-01", nil},                             // Đông Triều: not under the city's register
		{"M12", "2018-07-01", nil},                             // exempt since 2018-03-01
		{"M19", "2016-11-15", nil},                             // before the city's programme and conference
		{"M19", "2016-12-01", []string{"04-NQ/TW:programme:"}}, // 01-CTr/TU implements it; no conference yet
	} {
		docs, err := s.MemberDocuments(ctx, c.member, day(c.day), false)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range docs {
			got = append(got, d.Document.Number+":"+d.Why+":"+d.StudiedOn.String())
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("MemberDocuments(%s, %s) = %v, want %v", c.member, c.day, got, c.want)
		}
	}

	// Every write is in the audit log; export → import → export is stable with these tables.
	first := exportCSV(t, s)
	for _, name := range []string{"documents.csv", "tasks.csv", "task_notes.csv", "conferences.csv", "conference_documents.csv", "attendance.csv", "reflections.csv"} {
		if len(first[name]) == 0 || slices.Index(first[name], '\n') == len(first[name])-1 {
			t.Errorf("export of %s has no rows", name)
		}
	}
	s2 := open(t)
	if _, err := s2.Import(ctx, exportReader(t, s), store.ImportOptions{Actor: actor}); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, "dissemination round trip", first, exportCSV(t, s2))

	// A ward's subtree carries the city's resolution its conference studied, as an incoming
	// document of the ward, and re-imports into an empty database with the conference's list.
	under := func(s *store.Store) (map[string][]byte, string) {
		t.Helper()
		dir := filepath.Join(t.TempDir(), "under")
		w, err := exchange.Create(dir)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ExportUnder(ctx, w, orgPN, day("2026-11-27")); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return readFiles(t, dir), dir
	}
	ward, dir := under(s)
	if got := string(ward["documents.csv"]); !strings.Contains(got, "NQ04,"+orgPN+",incoming,04-NQ/TW,,2016-10-30,2016-11-02,") {
		t.Errorf("ward export: documents.csv lacks 04-NQ/TW as the ward's incoming document:\n%s", got)
	}
	if got := string(ward["conference_documents.csv"]); !strings.Contains(got, "HN-PN2,NQ04") {
		t.Errorf("ward export: conference_documents.csv lacks HN-PN2 → NQ04:\n%s", got)
	}
	if got := string(ward["reflections.csv"]); !strings.Contains(got, "M19,NQ04,HN-PN2") {
		t.Errorf("ward export: the reflection on NQ04 left out:\n%s", got)
	}
	if got := string(ward["tasks.csv"]); strings.Count(got, "\n") != 1 {
		t.Errorf("ward export: tasks of documents above the ward written:\n%s", got)
	}
	wardFile, err := exchange.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer wardFile.Close()
	// The core subtree export leaves the ward's parent out (its organisations refer to it), so the
	// file goes into a database holding the tree and the members but nothing of this domain.
	s4 := open(t)
	importFixture(t, s4, f)
	if _, err := s4.Import(ctx, wardFile, store.ImportOptions{Actor: actor}); err != nil {
		t.Fatalf("ward subtree into an empty database: %v", err)
	}
	if c, err := s4.Conference(ctx, "HN-PN2"); err != nil || !slices.Equal(c.DocumentIDs, []string{"NQ04"}) {
		t.Errorf("re-imported HN-PN2 studies %v (%v), want NQ04", c.DocumentIDs, err)
	}
	again, _ := under(s4)
	sameFiles(t, "ward subtree round trip", ward, again)

	// A file that reuses an own number in the term, or breaks the sheet's rules, changes nothing.
	s3 := open(t)
	importFixture(t, s3, f)
	m := f.memory()
	mustRow(t, m, "documents", []string{"A", orgUB, "own", "01-CTr/TU", "", "2016-12-01", "", "Chương trình", "", "", "", ""})
	mustRow(t, m, "documents", []string{"B", orgUB, "own", "01-CTr/TU", "", "2017-02-01", "", "Chương trình khác", "", "", "", ""})
	mustRow(t, m, "conferences", []string{"H", "conference", orgPD, "", "Hội nghị", "2017-01-05", "", "", "", "0"})
	mustRow(t, m, "attendance", []string{"H", "M09", "made_up", "", "2017-01-01"})
	mustRow(t, m, "attendance", []string{"H", "M10", "absent_excused", "", ""})
	mustRow(t, m, "attendance", []string{"H", "M29", "present", "", ""}) // Đông Triều: outside the scope
	_, err = s3.Import(ctx, m.Reader(), store.ImportOptions{Actor: actor})
	e = errorCode(t, err, dangvu.EInvalid)
	var got []string
	for _, fe := range e.Fields {
		got = append(got, fe.Field)
	}
	slices.Sort(got)
	if want := []string{"made_up_on", "number", "reason"}; !slices.Equal(got, want) {
		t.Errorf("bad dissemination import: fields %v (%v), want %v", got, e.Fields, want)
	}
	if docs, _ := s3.Documents(ctx, dangvu.DocumentFilter{Secret: true}); len(docs) != 0 {
		t.Errorf("a refused import wrote %d documents", len(docs))
	}
	m = f.memory()
	mustRow(t, m, "documents", []string{"D", orgUB, "incoming", "04-NQ/TW", "", "2016-10-30", "", "Nghị quyết", "", "", "", ""})
	mustRow(t, m, "conferences", []string{"H", "conference", orgUB, "", "Hội nghị", "2017-01-05", "", "", "", "0"})
	mustRow(t, m, "conference_documents", []string{"H", "D"})
	mustRow(t, m, "attendance", []string{"H", "M09", "present", "", ""})
	mustRow(t, m, "attendance", []string{"H", "M12", "present", "", ""})           // exempt only from 2018: in scope
	mustRow(t, m, "attendance", []string{"H", "M29", "present", "", ""})           // Đông Triều: outside the scope
	mustRow(t, m, "attendance", []string{"H", "M18", "made_up", "", "2018-10-01"}) // admitted in 09/2018, made it up
	_, err = s3.Import(ctx, m.Reader(), store.ImportOptions{Actor: actor})
	if e := errorCode(t, err, dangvu.EInvalid); len(e.Fields) != 1 || e.Fields[0].Field != "member_id" || !strings.Contains(e.Fields[0].Reason, "M29") {
		t.Errorf("attendance outside the scope: %v", e.Fields)
	}
	m = f.memory()
	mustRow(t, m, "documents", []string{"C", orgUB, "own", "01-CTr/HU", "", "2017-02-01", "", "Sai mã", "", "", "", ""})
	_, err = s3.Import(ctx, m.Reader(), store.ImportOptions{Actor: actor})
	if e := errorCode(t, err, dangvu.EInvalid); len(e.Fields) != 1 || e.Fields[0].Field != "number" || !strings.Contains(e.Fields[0].Reason, `"TU"`) {
		t.Errorf("own document with another issuer code: %v", e.Fields)
	}
}

// exportReader exports a store to a folder and opens it for an import.
func exportReader(t *testing.T, s *store.Store) exchange.Reader {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "export")
	exportTo(t, s, dir)
	r, err := exchange.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// attentionByRole checks that a domain's attention items (kinds with one of the prefixes) on a
// day reach exactly the roles holding the domain's right: the home page shows no more than the
// pages behind it (issue 12).
func attentionByRole(t *testing.T, s *store.Store, org, asOf string, need dangvu.Action, prefixes ...string) {
	t.Helper()
	for _, r := range dangvu.UserRoles {
		items, err := s.Attention(t.Context(), org, day(asOf), r.Code)
		if err != nil {
			t.Fatal(err)
		}
		has := slices.ContainsFunc(items, func(a dangvu.Attention) bool {
			return slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(a.Kind, p) })
		})
		if has != r.Code.Can(need) {
			t.Errorf("attention on %s for %s: items %v of %v, want them only with %s", asOf, r.Code, has, prefixes, need)
		}
	}
}
