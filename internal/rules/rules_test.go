package rules

import (
	"strings"
	"testing"
	"time"

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
// 30/7/2021, QĐ 232-QĐ/TW from 20/1/2025, QĐ 294-QĐ/TW from 1/7/2025.
func TestFor(t *testing.T) {
	for _, tc := range []struct{ day, want string }{
		{"2015-01-01", "QD45-2011"}, {"2016-07-24", "QD45-2011"}, {"2016-07-25", "QD29-2016"},
		{"2021-07-29", "QD29-2016"}, {"2021-07-30", "QD24-2021"}, {"2025-01-19", "QD24-2021"},
		{"2025-01-20", "QD232-2025"}, {"2025-06-30", "QD232-2025"}, {"2025-07-01", "QD294-2025"}, {"2026-11-27", "QD294-2025"},
	} {
		if got := For(d(tc.day)).ID; got != tc.want {
			t.Errorf("For(%s) = %s, want %s", tc.day, got, tc.want)
		}
	}
	// The clauses confirmed in the texts are cited with their numbers.
	if c := For(d("2018-01-01")).Cite[RuleDecision]; !strings.Contains(c, "QĐ 29-QĐ/TW mục 4.3.1") {
		t.Errorf("QĐ 29 decision deadline cites %q", c)
	}
	if c := For(d("2015-01-01")).Cite[RuleCeremony]; !strings.Contains(c, "chưa xác minh") {
		t.Errorf("QĐ 45 ceremony cites %q", c)
	}
	for _, s := range Sets {
		for _, k := range []string{RuleAge, RuleEducation, RuleCertificate, RuleIntroducers, RuleCellVote, RuleCommittee, RuleDecision, RuleCeremony, RuleProbation, RuleFullVote, RuleFullDecision, RuleOrder, RuleReadmission, RuleTransfer, RuleTemporary, RuleCard} {
			if s.Cite[k] == "" {
				t.Errorf("%s: no article cited for %s", s.ID, k)
			}
		}
	}
}

// Charter Điều 1 khoản 2, QĐ 29/24: from full 18 to full 60 on the cell's consideration date.
func TestAge(t *testing.T) {
	for _, tc := range []struct {
		birth, on string
		ok        bool
	}{
		{"2000-03-10", "2018-03-10", true},  // 18 that day
		{"2000-03-11", "2018-03-10", false}, // a day short
		{"2000", "2018-06-01", false},       // year only: might be born in December
		{"2000", "2019-01-01", true},
		{"1958-03-10", "2019-03-09", true},  // 60 and not yet 61
		{"1958-03-10", "2019-03-10", false}, // past 60: needs the province's consent
		{"", "2019-03-10", false},
	} {
		v := For(d(tc.on)).Age(pd(tc.birth), d(tc.on))
		if (len(v) == 0) != tc.ok {
			t.Errorf("birth %s on %s: %v, want ok=%v", tc.birth, tc.on, v, tc.ok)
		}
		for _, x := range v {
			if !strings.Contains(x.Cite, "Điều 1") {
				t.Errorf("age violation cites %q", x.Cite)
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

// HD 01-HD/TW (2021): the certificate is valid 60 months; the earlier sets carry no limit
// (unconfirmed) but the certificate must come before the cell's consideration.
func TestCertificate(t *testing.T) {
	for _, tc := range []struct {
		cert, on string
		ok       bool
	}{
		{"2016-01-01", "2022-01-01", false}, // 72 months, QĐ 24
		{"2017-01-02", "2022-01-01", true},
		{"2017-01-01", "2022-01-01", false}, // exactly 60 months: no longer valid
		{"2008-01-01", "2015-06-01", true},  // QĐ 45: no limit (unconfirmed)
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
	} {
		v := For(on).CheckIntroducers(tc.list, tc.youth, on)
		if (len(v) == 0) != tc.ok {
			t.Errorf("%s: %v, want ok=%v", tc.name, v, tc.ok)
		}
	}
}

// Charter Điều 4 khoản 2, Điều 5 khoản 2: at least two thirds of those entitled, exactly.
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
	if len(v) != 1 || !strings.Contains(v[0].Reason, "08/05/2018") || !strings.Contains(v[0].Cite, "60 ngày làm việc") {
		t.Errorf("61st working day: %v", v)
	}
	if v := s.Within(cal, "date", RuleCeremony, d("2018-05-08"), d("2018-05-07"), s.CeremonyDays, "Lễ kết nạp"); len(v) != 1 {
		t.Errorf("ceremony before decision: %v", v)
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

// QĐ 24-QĐ/TW: readmission only once.
func TestReadmission(t *testing.T) {
	s := For(d("2022-01-01"))
	if s.Readmission(0) != nil || s.Readmission(1) == nil {
		t.Error("readmission once")
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
