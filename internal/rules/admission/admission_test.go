package admission

import (
	"strings"
	"testing"
	"time"

	"dangvu/internal/rulebook"
	"dangvu/internal/vn"
	"dangvu/internal/workday"
)

func d(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func pd(s string) vn.PartialDate {
	p, err := vn.ParsePartialDate(s)
	if err != nil {
		panic(err)
	}
	return p
}

// The set is chosen by the date of the act: QĐ 29-QĐ/TW from 25/7/2016, QĐ 24-QĐ/TW from
// 30/7/2021, QĐ 232-QĐ/TW from 20/1/2025, QĐ 294-QĐ/TW from 1/7/2025, QĐ 20-QĐ/TW from 8/4/2026
// (conflicting sources: next-rules.md §0), QĐ 208-QĐ/TW from 26/7/2026.
func TestFor(t *testing.T) {
	for _, tc := range []struct{ day, want string }{
		{"2010-01-01", "QD45-2011"}, {"2015-01-01", "QD45-2011"}, {"2016-07-24", "QD45-2011"}, {"2016-07-25", "QD29-2016"},
		{"2021-07-29", "QD29-2016"}, {"2021-07-30", "QD24-2021"}, {"2025-01-19", "QD24-2021"},
		{"2025-01-20", "QD232-2025"}, {"2025-06-30", "QD232-2025"}, {"2025-07-01", "QD294-2025"},
		{"2026-04-07", "QD294-2025"}, {"2026-04-08", "QD20-2026"}, {"2026-07-25", "QD20-2026"}, {"2026-07-26", "QD208-2026"}, {"2026-12-01", "QD208-2026"},
	} {
		if got := For(d(tc.day)).ID; got != tc.want {
			t.Errorf("For(%s) = %s, want %s", tc.day, got, tc.want)
		}
	}
	for _, s := range Sets() {
		for _, k := range []string{RuleAge, RuleEducation, RuleCertificate, RuleIntroducers, RuleCellVote, RuleCommittee, RuleDecision, RuleCeremony, RuleProbation, RuleFullVote, RuleFullDecision, RuleOrder, RuleReadmission, RuleTransfer, RuleTemporary, RuleCard} {
			if s.Cite(k) == "" {
				t.Errorf("%s: no article cited for %s", s.ID, k)
			}
		}
	}
}

// The corrections of rules-verified.md §1, each with the article it cites (A1–A14).
func TestCitations(t *testing.T) {
	for _, tc := range []struct {
		item, day, rule string
		want            []string
		not             []string
	}{
		{"A5 cell vote: Charter Art. 4 khoản 3", "2018-01-01", RuleCellVote, []string{"Điều lệ Đảng 2011 Điều 4 khoản 3"}, []string{"khoản 2"}},
		{"A6 committee 2/3: HD 01-HD/TW 2021 pt 3.6.c", "2022-01-01", RuleCommittee, []string{"HD 01-HD/TW (2021) điểm 3.6 c", "nguồn thứ cấp"}, []string{"Điều lệ"}},
		{"A6 committee 2/3: HD 06-HD/TW 2025 pt 3.7.a", "2025-09-01", RuleCommittee, []string{"HD 06-HD/TW (2025) điểm 3.7 a"}, []string{"Điều lệ"}},
		{"A7 decision 60 days: QĐ 29 pt 4.3.1", "2018-01-01", RuleDecision, []string{"QĐ 29-QĐ/TW điểm 4.3.1"}, []string{"xác minh", "thứ cấp"}},
		{"A9 ceremony: QĐ 24 pt 4.1", "2022-01-01", RuleCeremony, []string{"Điều 5 khoản 1", "QĐ 24-QĐ/TW điểm 4.1"}, nil},
		{"A11 transfer 60 days confirmed: QĐ 29 pt 6.3.1 a", "2018-01-01", RuleTransfer, []string{"QĐ 29-QĐ/TW điểm 6.3.1 a"}, []string{"chưa xác minh"}},
		{"A13 QĐ 294 keeps the numbering", "2025-09-01", RuleDecision, []string{"QĐ 294-QĐ/TW điểm 4.3.1", "nguồn thứ cấp"}, nil},
		{"A13 QĐ 45 remains unconfirmed", "2015-01-01", RuleCeremony, []string{"chưa xác minh"}, nil},
		{"A12 readmission: QĐ 24 pt 3.5.1", "2022-01-01", RuleReadmission, []string{"QĐ 24-QĐ/TW điểm 3.5.1"}, nil},
		{"A3 certificate from 2016: HD 01-HD/TW 20/9/2016", "2018-01-01", RuleCertificate, []string{"20/9/2016", "nguồn thứ cấp"}, nil},
		{"A3 certificate 2021+: HD 06 pt 5.4", "2025-09-01", RuleCertificate, []string{"HD 06-HD/TW ngày 09/6/2025 điểm 5.4"}, nil},
		{"2026: transfer deadline is a conflict setting, both cited", "2026-12-01", RuleTransfer, []string{"Q93", "30 ngày làm việc", "các nguồn mâu thuẫn"}, nil},
		{"2026: ceremony under QĐ 208 (Q89)", "2026-12-01", RuleCeremony, []string{"QĐ 208-QĐ/TW", "Q89", "nguồn thứ cấp"}, nil},
	} {
		got := For(d(tc.day)).Cite(tc.rule)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: cite %q lacks %q", tc.item, got, w)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(got, w) {
				t.Errorf("%s: cite %q has %q", tc.item, got, w)
			}
		}
	}
	// A14: HD 01-HD/TW of the 2011 set is dated 05/01/2012.
	if s := For(d("2015-01-01")); !strings.Contains(s.Source.Citation, "HD 01-HD/TW ngày 05/01/2012") || strings.Contains(s.Source.Citation, "(2011)") {
		t.Errorf("QD45 source %q", s.Source)
	}
	// 208-QĐ/TW: a grassroots committee's standing committee decides admissions (Q91).
	if s := For(d("2026-12-01")); s.Decider != "ban thường vụ đảng ủy cơ sở" || !strings.Contains(s.Admission.Cite("decider"), "Q91") {
		t.Errorf("208 decider %q", s.Decider)
	}
}

// Every refusal names the rule set and the article, and says where the value is not confirmed.
func TestRefusalNamesSetArticleAndMark(t *testing.T) {
	v := For(d("2025-09-01")).Vote(RuleCommittee, 1, 3, 3)
	if len(v) != 1 {
		t.Fatalf("1/3 passed: %v", v)
	}
	msg := v[0].String()
	for _, w := range []string{"Quy định 294-QĐ/TW", "HD 06-HD/TW (2025) điểm 3.7 a", "(nguồn thứ cấp)"} {
		if !strings.Contains(msg, w) {
			t.Errorf("refusal %q lacks %q", msg, w)
		}
	}
	if msg := For(d("2018-01-01")).Certificate(d("2012-01-01"), d("2018-01-01"))[0].String(); !strings.Contains(msg, "Quy định 29-QĐ/TW") || !strings.Contains(msg, "nguồn thứ cấp") {
		t.Errorf("certificate refusal %q", msg)
	}
}

// Charter Điều 1 khoản 2, QĐ 29/24 point 1.1: from full 18 to full 60 "tính theo tháng" on the
// cell's consideration date. Our reading (docs/admissions.md): 60 years and 0 months is the last
// month allowed; from 60 years and 1 month the candidate is over 60.
func TestAge(t *testing.T) {
	for _, tc := range []struct {
		birth, on string
		ok        bool
	}{
		{"2000-03-10", "2018-03-10", true},  // 18 that day
		{"2000-03-11", "2018-03-10", false}, // a day short
		{"2000", "2018-06-01", false},       // year only: might be born in December
		{"2000", "2019-01-01", true},
		{"1958-03-10", "2018-03-10", true},  // 60 years 0 months
		{"1958-03-10", "2018-04-09", true},  // still 60 years 0 months
		{"1958-03-10", "2018-04-10", false}, // 60 years 1 month: over 60 (was accepted up to the eve of 61)
		{"1958-03-10", "2019-03-09", false},
		{"", "2019-03-10", false},
	} {
		v := For(d(tc.on)).Age(pd(tc.birth), d(tc.on))
		if (len(v) == 0) != tc.ok {
			t.Errorf("birth %s on %s: %v, want ok=%v", tc.birth, tc.on, v, tc.ok)
		}
		for _, x := range v {
			if !strings.Contains(x.Source.String(), "Điều 1") {
				t.Errorf("age violation cites %q", x.Source.String())
			}
		}
	}
}

// QĐ 29/24: lower secondary at least; 7/10 of the old northern system counts as lower secondary.
func TestEducation(t *testing.T) {
	s := For(d("2018-01-01"))
	for edu, ok := range map[string]bool{"12/12": true, "9/12": true, "8/12": false, "7/10": true, "6/10": false, "": false, "abc": false} {
		if got := len(s.Education(edu)) == 0; got != ok {
			t.Errorf("education %q ok = %v, want %v", edu, got, ok)
		}
	}
}

// The certificate is valid 60 months from the 2016 set on (HD 01-HD/TW 20/9/2016, secondary;
// HD 06-HD/TW 2025 pt 5.4); the 2011 set carries no limit (unconfirmed); the certificate must
// come before the cell's consideration.
func TestCertificate(t *testing.T) {
	for _, tc := range []struct {
		cert, on string
		ok       bool
	}{
		{"2016-01-01", "2022-01-01", false}, // 72 months, QĐ 24
		{"2017-01-02", "2022-01-01", true},
		{"2017-01-01", "2022-01-01", false}, // exactly 60 months: no longer valid
		{"2008-01-01", "2015-06-01", true},  // QĐ 45: no limit (unconfirmed)
		{"2011-06-01", "2018-01-01", false}, // QĐ 29: 60 months from 2016 (was no limit)
		{"2018-06-02", "2018-06-01", false}, // after the consideration
	} {
		if got := len(For(d(tc.on)).Certificate(d(tc.cert), d(tc.on))) == 0; got != tc.ok {
			t.Errorf("certificate %s considered %s ok = %v, want %v", tc.cert, tc.on, got, tc.ok)
		}
	}
}

// Charter Điều 4 khoản 1: two full members who have worked with the candidate for 12 months;
// a Youth Union member: the grassroots Youth Union executive and one full member.
func TestIntroducers(t *testing.T) {
	on := d("2018-05-01")
	full := func(id, since string) Introducer { return Introducer{ID: id, Full: true, KnownSince: d(since)} }
	for _, tc := range []struct {
		name  string
		list  []Introducer
		youth bool
		ok    bool
	}{
		{"two full members", []Introducer{full("A", "2016-01-01"), full("B", "2017-05-01")}, false, true},
		{"one only", []Introducer{full("A", "2016-01-01")}, false, false},
		{"known 11 months", []Introducer{full("A", "2016-01-01"), full("B", "2017-06-01")}, false, false},
		{"replacement need not have 12 months", []Introducer{full("A", "2016-01-01"), {ID: "B", Full: true, KnownSince: d("2018-01-01"), Replacement: true}}, false, true},
		{"probationary introducer", []Introducer{full("A", "2016-01-01"), {ID: "B", KnownSince: d("2016-01-01")}}, false, false},
		{"same twice", []Introducer{full("A", "2016-01-01"), full("A", "2016-01-01")}, false, false},
		{"youth union and one member", []Introducer{{YouthUnion: true}, full("A", "2016-01-01")}, true, true},
		{"youth union for a non-member of the Union", []Introducer{{YouthUnion: true}, full("A", "2016-01-01")}, false, false},
		{"trade union and one member, no Youth Union", []Introducer{{TradeUnion: true}, full("A", "2016-01-01")}, false, true},
		{"trade union for a Youth Union member", []Introducer{{TradeUnion: true}, full("A", "2016-01-01")}, true, false},
		{"trade union and two members", []Introducer{{TradeUnion: true}, full("A", "2016-01-01"), full("B", "2016-01-01")}, false, false},
		{"trade union and youth union", []Introducer{{TradeUnion: true}, {YouthUnion: true}}, true, false},
		{"lived together under QĐ 29: refused", []Introducer{full("A", "2016-01-01"), {ID: "B", Full: true, KnownSince: d("2016-01-01"), Lived: true}}, false, false},
	} {
		v := For(on).CheckIntroducers(tc.list, tc.youth, on)
		if (len(v) == 0) != tc.ok {
			t.Errorf("%s: %v, want ok=%v", tc.name, v, tc.ok)
		}
	}
	// "Cùng sinh hoạt nơi cư trú" counts from QĐ 24-QĐ/TW (2021).
	on = d("2022-05-01")
	lived := []Introducer{full("A", "2016-01-01"), {ID: "B", Full: true, KnownSince: d("2016-01-01"), Lived: true}}
	if v := For(on).CheckIntroducers(lived, false, on); v != nil {
		t.Errorf("lived together under QĐ 24: %v", v)
	}
}

// Charter Điều 4 khoản 3, Điều 5 khoản 2: at least two thirds of those entitled, exactly.
func TestVote(t *testing.T) {
	s := For(d("2018-01-01"))
	for _, tc := range []struct {
		yes, present, entitled int
		ok                     bool
	}{
		{2, 3, 3, true}, {6, 9, 9, true}, {5, 9, 9, false}, // 5/9 < 2/3
		{7, 10, 10, true}, {6, 10, 10, false}, // 6.67 needed: 7
		{14, 20, 21, true}, {13, 20, 20, false}, {14, 20, 20, true},
		{10, 15, 16, false}, {11, 15, 16, true}, // 10.67 needed of 16 entitled though 15 present
		{3, 2, 3, false}, {2, 4, 3, false}, {0, 0, 0, false},
	} {
		if got := len(s.Vote(RuleCellVote, tc.yes, tc.present, tc.entitled)) == 0; got != tc.ok {
			t.Errorf("%d yes, %d present, %d entitled: ok = %v, want %v", tc.yes, tc.present, tc.entitled, got, tc.ok)
		}
	}
}

// Deadlines in working days (domain.md §4): decision within 60 of the cell's resolution, ceremony
// within 30 of the decision, full-membership vote within 30 of the end of probation.
func TestDeadlines(t *testing.T) {
	cal := workday.Default()
	s := For(d("2018-02-01"))
	if v := s.Within(cal, "date", RuleDecision, d("2018-02-01"), d("2018-05-08"), s.DecisionDays, "Quyết định"); v != nil {
		t.Errorf("60th working day is in time: %v", v)
	}
	v := s.Within(cal, "date", RuleDecision, d("2018-02-01"), d("2018-05-09"), s.DecisionDays, "Quyết định")
	if len(v) != 1 || !strings.Contains(v[0].Reason, "08/05/2018") || !strings.Contains(v[0].Source.String(), "QĐ 29-QĐ/TW điểm 4.3.1") || strings.Contains(v[0].Reason, "ước tính") {
		t.Errorf("61st working day: %v", v)
	}
	if v := s.Within(cal, "date", RuleCeremony, d("2018-05-08"), d("2018-05-07"), s.CeremonyDays, "Lễ kết nạp"); len(v) != 1 {
		t.Errorf("ceremony before decision: %v", v)
	}
	// A deadline counted over a year without a recorded schedule is marked as estimated.
	s = For(d("2026-12-01"))
	v = s.Within(cal, "date", RuleDecision, d("2026-12-01"), d("2027-06-01"), s.DecisionDays, "Quyết định")
	if len(v) != 1 || !strings.Contains(v[0].Reason, "ước tính: chưa có lịch nghỉ chính thức năm 2027") {
		t.Errorf("deadline into 2027: %v", v)
	}
}

// docs/admissions.md: the full-membership decision within 30 working days, once extended by 30:
// 60 in all (rules-verified.md A8).
func TestFullDecisionWithExtension(t *testing.T) {
	for _, day := range []string{"2018-01-01", "2022-01-01", "2025-09-01", "2026-12-01"} {
		if s := For(d(day)); s.FullDecisionDays+s.ExtensionDays != 60 || s.DecisionDays+s.ExtensionDays != 90 {
			t.Errorf("%s: full decision %d+%d, decision %d+%d", s.ID, s.FullDecisionDays, s.ExtensionDays, s.DecisionDays, s.ExtensionDays)
		}
	}
}

// Charter Điều 5: 12 months of probation from the ceremony; full membership dates from its end.
func TestProbation(t *testing.T) {
	s := For(d("2018-02-03"))
	if got := s.ProbationEnd(d("2018-02-03")); !got.Equal(d("2019-02-02")) {
		t.Errorf("probation end = %v", got)
	}
	if got := s.FullFrom(d("2018-02-03")); !got.Equal(d("2019-02-03")) {
		t.Errorf("full from = %v", got)
	}
	if got := s.FullFrom(d("2020-02-29")); !got.Equal(d("2021-03-01")) {
		t.Errorf("full from 29/2 = %v", got)
	}
}

// QĐ 29/24/294 point 3.5: at least 36 months after leaving, never for the excluded reasons (a
// request to leave for family hardship excepted), only once; the provincial standing committee's
// written consent.
func TestReadmission(t *testing.T) {
	on := d("2022-01-10")
	for _, tc := range []struct {
		name       string
		previous   int
		left, why  string
		ok         bool
		wantReason string
	}{
		{"36 months after leaving", 0, "2019-01-10", "Xóa tên", true, ""},
		{"a day short of 36 months", 0, "2019-01-11", "Xóa tên", false, "chưa đủ 36 tháng"},
		{"already readmitted once", 1, "2010-01-01", "Xóa tên", false, "một lần"},
		{"left by abandoning party activity", 0, "2015-01-01", "Xóa tên: bỏ sinh hoạt đảng", false, "không xem xét kết nạp lại"},
		{"convicted of corruption", 0, "2015-01-01", "Khai trừ: bị kết án về tội tham nhũng", false, "tham nhũng"},
		{"asked to leave", 0, "2015-01-01", "Ra khỏi Đảng: xin ra khỏi Đảng", false, "xin ra khỏi Đảng"},
		{"asked to leave for family hardship", 0, "2015-01-01", "Ra khỏi Đảng: xin ra khỏi Đảng vì hoàn cảnh gia đình khó khăn", true, ""},
		{"unknown date: not judged", 0, "", "", true, ""},
	} {
		var left time.Time
		if tc.left != "" {
			left = d(tc.left)
		}
		v := For(on).Readmission(tc.previous, left, tc.why, on)
		if (len(v) == 0) != tc.ok {
			t.Errorf("%s: %v, want ok=%v", tc.name, v, tc.ok)
		}
		if len(v) > 0 && (!strings.Contains(v[0].String(), tc.wantReason) || !strings.Contains(v[0].Source.String(), "QĐ 24-QĐ/TW điểm 3.5")) {
			t.Errorf("%s: %v", tc.name, v)
		}
	}
	s := For(on)
	if c := s.ReadmissionConsentMissing(); !strings.Contains(c.Reason, "ban thường vụ tỉnh ủy") || s.ReadmissionProbationMonths != 12 {
		t.Errorf("consent %q, new probation %d", c.Reason, s.ReadmissionProbationMonths)
	}
}

// Domain.md §3: temporary transfers for absences of 3 months to under a year; courses up to 2 years.
func TestTemporary(t *testing.T) {
	s := For(d("2022-01-01"))
	for _, tc := range []struct {
		from, until string
		course, ok  bool
	}{
		{"2022-01-01", "2022-04-01", false, true}, {"2022-01-01", "2022-03-31", false, false},
		{"2022-01-01", "2022-12-31", false, true}, {"2022-01-01", "2023-01-01", false, false},
		{"2022-01-01", "2024-01-01", true, true}, {"2022-01-01", "2024-01-02", true, false},
	} {
		if got := len(s.Temporary(d(tc.from), d(tc.until), tc.course)) == 0; got != tc.ok {
			t.Errorf("%s–%s course=%v: ok=%v", tc.from, tc.until, tc.course, got)
		}
	}
}

// Every value of the data files has a citation and a confidence mark (the loader refuses a row
// without, so this checks the embedded files load and nothing slipped past).
func TestDataCited(t *testing.T) {
	for _, a := range []*rulebook.Area{Admissions, Lifecycle} {
		for _, s := range a.Book().Sets {
			if s.Source.Citation == "" || !s.Source.Confidence.Valid() {
				t.Errorf("%s/%s: set source %+v", a.Name, s.ID, s.Source)
			}
			for _, v := range s.Values {
				if v.Source.Citation == "" || !v.Source.Confidence.Valid() || v.Label == "" {
					t.Errorf("%s/%s/%s: %+v", a.Name, s.ID, v.Key, v)
				}
			}
		}
	}
}

func BenchmarkFor(b *testing.B) {
	d := time.Date(2022, 5, 1, 0, 0, 0, 0, time.UTC)
	for b.Loop() {
		For(d)
	}
}
