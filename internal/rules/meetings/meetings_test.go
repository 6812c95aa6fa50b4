package meetings

import (
	"strings"
	"testing"
	"time"

	"dangvu/internal/rulebook"
	"dangvu/internal/workday"
)

func d(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// The set follows the meeting's date: CT 10-CT/TW (2007), HD 12-HD/BTCTW from 18/01/2018, CT
// 50-CT/TW from 23/07/2025, HD 42-HD/BTCTW from 28/10/2025 (next-rules.md §0, §2).
func TestFor(t *testing.T) {
	for _, tc := range []struct{ day, want string }{
		{"2000-01-01", "CT10-2007"}, {"2015-03-03", "CT10-2007"}, {"2018-01-17", "CT10-2007"}, {"2018-01-18", "HD12-2018"},
		{"2025-07-22", "HD12-2018"}, {"2025-07-23", "CT50-2025"}, {"2025-10-27", "CT50-2025"}, {"2025-10-28", "HD42-2025"}, {"2026-12-03", "HD42-2025"},
	} {
		if got := For(d(tc.day)).ID; got != tc.want {
			t.Errorf("For(%s) = %s, want %s", tc.day, got, tc.want)
		}
	}
	for _, s := range Sets() {
		for _, k := range []string{RuleDay, RuleDuration, RuleDocs, RulePublish, RuleThematic, RuleThreeMonths, RuleRemote, RuleProbation, RuleRubric} {
			if s.Cite[k] == "" {
				t.Errorf("%s: no citation for %s", s.ID, k)
			}
		}
	}
}

// The meeting day: the 3rd under CT 50-CT/TW (SECONDARY), moved past a holiday within the first
// week; before CT 50 the cell sets its own day and the month is the window.
func TestPlanned(t *testing.T) {
	cal := workday.Default()
	for _, tc := range []struct {
		year     int
		month    time.Month
		want     string // "" no planned day
		inWindow bool
		due      string
		cite     string
	}{
		{2015, time.March, "", false, "2015-03-31", "Điều lệ Đảng Điều 24"},
		{2025, time.February, "", false, "2025-02-28", "HD 12-HD/BTCTW"},
		{2025, time.November, "2025-11-03", true, "2025-11-07", "CT 50-CT/TW (sinh hoạt định kỳ vào ngày 03 hằng tháng) (nguồn thứ cấp)"},
		// an ordinary Saturday is kept: residential cells meet at weekends
		{2026, time.October, "2026-10-03", true, "2026-10-07", "CT 50-CT/TW"},
		// Saturday 3/1/2026 lies in the New Year days off (1–4/01): the Monday after
		{2026, time.January, "2026-01-05", true, "2026-01-07", "CT 50-CT/TW"},
		// 3/5/2027 is the substitute day off of 1/5 (Saturday): the next day
		{2027, time.May, "2027-05-04", true, "2027-05-07", "CT 50-CT/TW"},
		// 3/1/2028 substitute of New Year (Saturday)
		{2028, time.January, "2028-01-04", true, "2028-01-07", "CT 50-CT/TW"},
		// National Day 2029: 1–4/9 off, the 5th
		{2029, time.September, "2029-09-05", true, "2029-09-07", "CT 50-CT/TW"},
		// Tết 2030: mùng 1 is Sunday 3/2, days off 1–7/2: outside the first week
		{2030, time.February, "2030-02-08", false, "2030-02-08", "CT 50-CT/TW"},
	} {
		s := For(time.Date(tc.year, tc.month, 1, 0, 0, 0, 0, time.UTC))
		p, in, ok := s.Planned(cal, tc.year, tc.month)
		got := ""
		if ok {
			got = p.Format(time.DateOnly)
		}
		if got != tc.want || in != tc.inWindow {
			t.Errorf("%d-%02d planned %q in window %v, want %q %v", tc.year, tc.month, got, in, tc.want, tc.inWindow)
		}
		if due := s.Due(cal, tc.year, tc.month).Format(time.DateOnly); due != tc.due {
			t.Errorf("%d-%02d due %s, want %s", tc.year, tc.month, due, tc.due)
		}
		if !strings.Contains(s.Cite[RuleDay], tc.cite) {
			t.Errorf("%d-%02d cite %q, want %q", tc.year, tc.month, s.Cite[RuleDay], tc.cite)
		}
	}
}

// Publication within 2 working days (HD 42-HD/BTCTW, SECONDARY: "02 ngày" read as working days);
// documents at least one day before (HD 42); 90 and 120 minutes.
func TestDeadlines(t *testing.T) {
	cal := workday.Default()
	for _, tc := range []struct{ held, publish, docs string }{
		{"2025-11-03", "2025-11-05", "2025-11-02"}, // Monday → Wednesday
		{"2025-12-05", "2025-12-09", "2025-12-04"}, // Friday → Tuesday over the weekend
		{"2025-12-31", "2026-01-06", "2025-12-30"}, // over New Year 1–2/01/2026 and the weekend
		{"2026-04-24", "2026-04-29", "2026-04-23"}, // Giỗ Tổ's substitute Monday 27/04/2026
	} {
		s := For(d(tc.held))
		if got := s.PublishBy(cal, d(tc.held)).Format(time.DateOnly); got != tc.publish {
			t.Errorf("held %s: publish by %s, want %s (%s)", tc.held, got, tc.publish, s.Cite[RulePublish])
		}
		if got := s.DocsBy(d(tc.held)).Format(time.DateOnly); got != tc.docs {
			t.Errorf("held %s: documents by %s, want %s", tc.held, got, tc.docs)
		}
	}
	s := For(d("2026-01-03"))
	if s.MinDuration(false) != 90 || s.MinDuration(true) != 120 || !strings.Contains(s.Cite[RuleDuration], "HD 42-HD/BTCTW") {
		t.Errorf("durations %d/%d %q", s.MinDuration(false), s.MinDuration(true), s.Cite[RuleDuration])
	}
	if !strings.Contains(s.Cite[RulePublish], "nguồn thứ cấp") {
		t.Errorf("publication cite keeps its SECONDARY mark: %q", s.Cite[RulePublish])
	}
	old := For(d("2016-05-01"))
	if !old.DocsBy(d("2016-05-10")).IsZero() || old.ThematicPerQuarter != 0 || For(d("2019-01-01")).ThematicPerQuarter != 1 {
		t.Errorf("before HD 42 no document rule; thematic each quarter from HD 12")
	}
	if !strings.Contains(For(d("2019-01-01")).Cite[RuleThematic], "chưa xác minh") {
		t.Errorf("thematic rule keeps its UNCONFIRMED mark: %q", For(d("2019-01-01")).Cite[RuleThematic])
	}
}

// The rubric bands: Tốt ≥ 90, Khá ≥ 70, Trung bình ≥ 50, Kém below (An Phú KH 08-KH/ĐU; Lào Cai
// QĐ 29-QĐ/TU agrees on 90 and 50), a score outside 0–100 refused.
func TestRubricBands(t *testing.T) {
	r := For(d("2026-03-03")).Rubric
	for _, tc := range []struct {
		points int
		want   Band
		err    bool
	}{{100, BandGood, false}, {90, BandGood, false}, {89, BandFair, false}, {70, BandFair, false}, {69, BandAverage, false},
		{50, BandAverage, false}, {49, BandPoor, false}, {0, BandPoor, false}, {101, "", true}, {-1, "", true}} {
		b, p := For(d("2026-03-03")).Score("quality_points", tc.points)
		if b != tc.want || (p != nil) != tc.err {
			t.Errorf("Score(%d) = %q, %v; want %q", tc.points, b, p, tc.want)
		}
		if p != nil && (!strings.Contains(p.String(), "An Phú") || !strings.Contains(p.String(), "nguồn thứ cấp") || p.Field != "quality_points") {
			t.Errorf("refusal names the field and cites the rubric with its mark: %v", p)
		}
	}
	sum := 0
	for _, c := range r.Criteria {
		sum += c.Max
	}
	if len(r.Criteria) != 8 || sum != r.Max {
		t.Errorf("rubric: %d criteria summing to %d, want 8 summing to %d", len(r.Criteria), sum, r.Max)
	}
	if BandAverage.Name() != "Trung bình" || BandPoor.Name() != "Kém" {
		t.Error("band names")
	}
}

func lapse(member string, kind LapseKind, month string) Lapse {
	return Lapse{MemberID: member, Kind: kind, Month: d(month + "-01")}
}

// Charter Art. 8.1: three months in a calendar year, not necessarily consecutive (UNCONFIRMED,
// configurable); absences and unpaid dues each counted apart unless combine_lapses says so.
func TestThreeMonths(t *testing.T) {
	s := For(d("2026-12-31"))
	in := []Lapse{
		lapse("A", LapseAbsence, "2026-01"), lapse("A", LapseAbsence, "2026-05"), lapse("A", LapseAbsence, "2026-11"), // three, apart
		lapse("B", LapseAbsence, "2025-11"), lapse("B", LapseAbsence, "2025-12"), lapse("B", LapseAbsence, "2026-01"), // over two years
		lapse("C", LapseAbsence, "2026-02"), lapse("C", LapseAbsence, "2026-03"), lapse("C", LapseDues, "2026-04"), // 2 + 1
		lapse("D", LapseDues, "2026-02"), lapse("D", LapseDues, "2026-03"), lapse("D", LapseDues, "2026-04"), // dues alone
		lapse("E", LapseAbsence, "2026-02"), lapse("E", LapseAbsence, "2026-02"), lapse("E", LapseAbsence, "2026-03"), // same month twice
	}
	// By default the Charter's "bỏ sinh hoạt đảng hoặc không đóng đảng phí ba tháng trong năm"
	// (Art. 8.1) counts a month of either together (combine_lapses = có, UNCONFIRMED), per
	// calendar year, months apart: A, C (two absences and a month unpaid) and D; not B, whose
	// months span two years, nor E, whose two lines share a month.
	if !s.CombineLapses || s.Consecutive {
		t.Fatalf("the default set counts absences and dues together, months apart: combine %v, consecutive %v", s.CombineLapses, s.Consecutive)
	}
	got := map[string]int{}
	for _, f := range s.ThreeMonths(in) {
		got[f.MemberID] = len(f.Months)
		if !strings.Contains(f.Cite, "Điều lệ Đảng") || !strings.Contains(f.Cite, "Điều 8") {
			t.Errorf("flag cites the Charter's Art. 8: %q", f.Cite)
		}
		if f.MemberID == "C" && (len(f.Kinds) != 2 || len(f.Lapses) != 3 || f.Lapses[2].Kind != LapseDues) {
			t.Errorf("C: kinds %v, lapses %v: the absences and the unpaid month, with their reasons", f.Kinds, f.Lapses)
		}
	}
	if len(got) != 3 || got["A"] != 3 || got["C"] != 3 || got["D"] != 3 {
		t.Errorf("combined: flagged %v, want A, C and D with 3 months", got)
	}
	s.CombineLapses = false // an office may count each register apart
	got = map[string]int{}
	for _, f := range s.ThreeMonths(in) {
		got[f.MemberID] = len(f.Months)
	}
	if len(got) != 2 || got["A"] != 3 || got["D"] != 3 {
		t.Errorf("apart: flagged %v, want A and D with 3 months", got)
	}
	s.CombineLapses, s.Consecutive = false, true
	got = map[string]int{}
	for _, f := range s.ThreeMonths(in) {
		got[f.MemberID] = len(f.Months)
	}
	if len(got) != 1 || got["D"] != 3 {
		t.Errorf("consecutive: flagged %v, want D", got)
	}
	if !s.RemovalPassed(6, 9) || s.RemovalPassed(5, 9) {
		t.Error("two thirds of the full members remove a probationary member")
	}
}

// 213-QĐ/TW from 02/01/2020 replaces 76-QĐ/TW; comments are due before the year-end review.
func TestResidence(t *testing.T) {
	r := ResidenceFor(d("2025-06-01"))
	if r.ID != "QD213-2020" || !r.YearlyComment || r.CommentDue(2025).Format(time.DateOnly) != "2025-12-15" || !strings.Contains(r.Cite, "213-QĐ/TW") {
		t.Errorf("%+v", r)
	}
	if ResidenceFor(d("2019-12-31")).ID != "QD76-2000" {
		t.Error("76-QĐ/TW before 2020")
	}
}

// Every row has a citation and a mark; the marks of the research are kept.
func TestDataCited(t *testing.T) {
	for _, a := range Areas() {
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
	s, _ := Area.Book().ByID("HD42-2025")
	for key, mark := range map[string]rulebook.Confidence{"meeting_day": rulebook.Secondary, "publish_workdays": rulebook.Secondary,
		"thematic_per_quarter": rulebook.Unconfirmed, "consecutive": rulebook.Unconfirmed, "docs_days_before": rulebook.Confirmed} {
		if v, _ := s.Value(key); v.Source.Confidence != mark {
			t.Errorf("HD42-2025/%s marked %s, want %s", key, v.Source.Confidence, mark)
		}
	}
}
