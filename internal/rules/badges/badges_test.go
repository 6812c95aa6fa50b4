package badges

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"dangvu/internal/rulebook"
)

func d(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func iv(from, to string) Interval { return Interval{d(from), d(to)} }

// The embedded data loads, every value cited; the marks of the research are kept (45, 85 and 90
// years' cash multiples unconfirmed; early windows secondary in 2026).
func TestData(t *testing.T) {
	for _, a := range []*rulebook.Area{Area, Salary} {
		for _, s := range a.Book().Sets {
			for _, v := range s.Values {
				if v.Source.Citation == "" || !v.Source.Confidence.Valid() {
					t.Errorf("%s/%s/%s: %+v", a.Name, s.ID, v.Key, v.Source)
				}
			}
		}
	}
	s := For(d("2026-11-07"))
	if s.ID != "HD01-2026" || !slices.Equal(s.Milestones, []int{30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90}) || len(s.Ceremonies) != 4 {
		t.Fatalf("2026: %+v", s)
	}
	if c := s.Source("cash_45").Confidence; c != rulebook.Unconfirmed {
		t.Errorf("cash_45 %s", c)
	}
	if c := s.Source("early_months").Confidence; c != rulebook.Secondary {
		t.Errorf("early_months %s", c)
	}
	if s.Cash[30] != 15 || s.Cash[80] != 150 || s.Delay["warning"] != 9 {
		t.Errorf("values %+v %+v", s.Cash, s.Delay)
	}
	if For(d("2010-01-01")).ID != "HD01-2016" || For(d("2021-09-28")).ID != "HD01-2021" {
		t.Error("sets by date")
	}
}

// Ceremony dates 3/2, 19/5, 2/9, 7/11 (HD 01-HD/TW 2021 điểm 18): the next on or after a day,
// the previous strictly before.
func TestCeremonies(t *testing.T) {
	for _, tc := range []struct{ day, next, prev string }{
		{"2026-01-01", "2026-02-03", "2025-11-07"},
		{"2026-02-03", "2026-02-03", "2025-11-07"},
		{"2026-02-04", "2026-05-19", "2026-02-03"},
		{"2026-11-08", "2027-02-03", "2026-11-07"},
		{"2024-02-29", "2024-05-19", "2024-02-03"},
	} {
		if n := NextCeremony(d(tc.day)); !n.Equal(d(tc.next)) {
			t.Errorf("next %s: %s", tc.day, n)
		}
		if p := PrevCeremony(d(tc.day)); !p.Equal(d(tc.prev)) {
			t.Errorf("prev %s: %s", tc.day, p)
		}
	}
	if !IsCeremony(d("2018-09-02")) || IsCeremony(d("2018-09-03")) {
		t.Error("IsCeremony")
	}
}

// Party age from the first admission net of every period outside the Party, against
// hand-computed cases.
func TestPartyAgeWithGaps(t *testing.T) {
	for _, tc := range []struct {
		name  string
		h     History
		n     int
		reach string // "" : not reached (left the Party)
		gaps  int    // days outside before the reach date
	}{
		{"no gap", History{Admitted: d("1996-02-03"), In: []Interval{iv("2005-01-01", "")}}, 30, "2026-02-03", 0},
		// The record (roster) starts in 2005; the years before it count.
		{"record later than admission", History{Admitted: d("1976-05-19"), In: []Interval{iv("2015-07-01", "")}}, 50, "2026-05-19", 0},
		// 29/02 in a common year: the month's last day (BLDS 2015 Điều 148).
		{"leap admission", History{Admitted: d("1996-02-29"), In: []Interval{iv("1996-02-29", "")}}, 30, "2026-02-28", 0},
		{"leap admission, leap anniversary", History{Admitted: d("1996-02-29"), In: []Interval{iv("1996-02-29", "")}}, 40, "2036-02-29", 0},
		// Expelled 10/01/2000, annulled on appeal 10/07/2000: no gap.
		{"expulsion annulled on appeal", History{Admitted: d("1990-05-19"),
			In:       []Interval{iv("1990-05-19", "2000-01-10"), iv("2000-07-10", "")},
			Annulled: []Interval{iv("2000-01-10", "2000-07-10")}}, 30, "2020-05-19", 0},
		// The same without the annulment: 182 days outside (10/01–10/07/2000, a leap year).
		{"expulsion then readmission", History{Admitted: d("1990-05-19"),
			In: []Interval{iv("1990-05-19", "2000-01-10"), iv("2000-07-10", "")}}, 30, "2020-11-17", 182},
		// Removed 01/06/1990, readmitted 01/06/1992 (731 days, 1992 a leap year); counts from the
		// first admission: 01/03/2015 + 731 days = 01/03/2017.
		{"removal then readmission", History{Admitted: d("1985-03-01"),
			In: []Interval{iv("1985-03-01", "1990-06-01"), iv("1992-06-01", "")}}, 30, "2017-03-01", 731},
		// Transfer gap: membership ends 01/01/2010, the next starts 01/04/2010 (90 days).
		{"transfer gap", History{Admitted: d("2000-09-02"),
			In: []Interval{iv("2000-09-02", "2010-01-01"), iv("2010-04-01", "")}}, 30, "2030-12-01", 90},
		// Two gaps, the second beginning after the anniversary (01/01/2020) but before the day the
		// first moved it to: 10 days from 25/12/2019 (→ 11/01/2020), then 5 from 05/01/2020.
		{"gaps chained", History{Admitted: d("1990-01-01"),
			In: []Interval{iv("1990-01-01", "2019-12-25"), iv("2020-01-04", "2020-01-05"), iv("2020-01-10", "")}}, 30, "2020-01-16", 15},
		// Left the Party for good: never reached.
		{"left", History{Admitted: d("1990-01-01"), In: []Interval{iv("1990-01-01", "2010-01-01")}}, 30, "", 0},
		// Died before the milestone: counted as if alive (for a posthumous award).
		{"died", History{Admitted: d("1976-03-01"), In: []Interval{iv("1976-03-01", "2025-12-01")}, Died: d("2025-12-01")}, 50, "2026-03-01", 0},
	} {
		got, ok := tc.h.Reaches(tc.n)
		if ok != (tc.reach != "") || ok && !got.Equal(d(tc.reach)) {
			t.Errorf("%s: reaches %d years on %s (%v), want %s", tc.name, tc.n, got.Format(time.DateOnly), ok, tc.reach)
			continue
		}
		if !ok {
			continue
		}
		if !tc.h.Died.IsZero() {
			continue
		}
		a := tc.h.AgeOn(got)
		if a.Years != tc.n || a.Months != 0 || a.Days != 0 || tc.h.Died.IsZero() && a.GapDays != tc.gaps {
			t.Errorf("%s: age on %s = %+v, want %d years, %d days outside", tc.name, tc.reach, a, tc.n, tc.gaps)
		}
		if tc.h.Died.IsZero() {
			if b := tc.h.AgeOn(got.AddDate(0, 0, -1)); b.Years != tc.n-1 {
				t.Errorf("%s: the day before, %+v", tc.name, b)
			}
		}
	}
}

// The milestone lists per ceremony date across a leap year (2024): who reaches 30 years between
// one ceremony (exclusive) and the next (inclusive).
func TestListsAcrossLeapYear(t *testing.T) {
	members := map[string]History{
		"A": {Admitted: d("1994-02-03")},                                                                       // 30 on 03/02/2024: on the ceremony day
		"B": {Admitted: d("1994-02-04")},                                                                       // 30 on 04/02/2024: the next ceremony
		"C": {Admitted: d("1964-02-29")},                                                                       // 60 on 29/02/2024 (a leap year)
		"D": {Admitted: d("1984-02-29")},                                                                       // 40 on 29/02/2024
		"E": {Admitted: d("1995-02-28"), In: []Interval{iv("1995-02-28", "2000-02-28"), iv("2000-03-01", "")}}, // 2 days out (28–29/02/2000): 30 on 02/03/2025
		"F": {Admitted: d("1975-02-28")},                                                                       // 50 on 28/02/2025
		"G": {Admitted: d("1996-02-29")},                                                                       // 30 on 28/02/2026 (common year)
		"H": {Admitted: d("1994-11-07")},                                                                       // 30 on 07/11/2024
	}
	want := map[string][]string{
		"2024-02-03": {"A"},
		"2024-05-19": {"B", "C:60", "D:40"},
		"2024-11-07": {"H"},
		"2025-05-19": {"E", "F:50"},
		"2026-05-19": {"G"},
	}
	for c, w := range want {
		var got []string
		for _, id := range []string{"A", "B", "C", "D", "E", "F", "G", "H"} {
			cand, ok := ForCeremony(members[id], nil, nil, d(c))
			if ok && cand.Kind == Due {
				s := id
				if cand.Milestone != 30 {
					s += ":" + itoa(cand.Milestone)
				}
				got = append(got, s)
			}
		}
		if !slices.Equal(got, w) {
			t.Errorf("ceremony %s: %v, want %v", c, got, w)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func writeFile(t *testing.T, name, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A discipline delays the award by 6, 9 or 12 months from its date; the early window lists a
// member who reaches the milestone within 12 months after the ceremony (24 from 70 years);
// posthumous awards within 12 months before the milestone; awarded milestones skipped.
func TestCandidates(t *testing.T) {
	h := History{Admitted: d("1996-05-19")} // 30 on 19/05/2026
	if c, ok := ForCeremony(h, nil, nil, d("2026-05-19")); !ok || c.Kind != Due || c.Milestone != 30 {
		t.Errorf("due: %+v %v", c, ok)
	}
	if _, ok := ForCeremony(h, nil, []int{30}, d("2026-05-19")); ok {
		t.Error("an awarded milestone listed again")
	}
	// A warning on 01/03/2026: 9 months → 01/12/2026, the ceremony of 03/02/2027.
	ds := []Discipline{{Form: "warning", Date: d("2026-03-01")}}
	if _, ok := ForCeremony(h, ds, nil, d("2026-05-19")); ok {
		t.Error("delayed member listed at the milestone's ceremony")
	}
	if c, ok := ForCeremony(h, ds, nil, d("2027-02-03")); !ok || c.Kind != Delayed || !c.Eligible.Equal(d("2026-12-01")) || !strings.Contains(c.Reason, "lùi 9 tháng") {
		t.Errorf("delayed: %+v %v", c, ok)
	}
	// A reprimand long before: no delay.
	if c, ok := ForCeremony(h, []Discipline{{Form: "reprimand", Date: d("2010-01-01")}}, nil, d("2026-05-19")); !ok || c.Kind != Due {
		t.Errorf("old reprimand: %+v", c)
	}
	// Early: 30 years on 19/05/2026 is within 12 months after 02/09/2025? No: listed due on 19/05/2026;
	// at 07/11/2025 it is within 12 months after.
	if c, ok := ForCeremony(h, nil, nil, d("2025-11-07")); !ok || c.Kind != Early {
		t.Errorf("early 30: %+v %v", c, ok)
	}
	if c, ok := ForCeremony(h, nil, nil, d("2025-05-19")); !ok || c.Kind != Early {
		t.Errorf("exactly 12 months before: early %+v", c)
	}
	if _, ok := ForCeremony(h, nil, nil, d("2025-02-03")); ok {
		t.Error("more than 12 months before: not early")
	}
	old := History{Admitted: d("1956-09-02")} // 70 on 02/09/2026: 24 months early allowed
	if c, ok := ForCeremony(old, nil, nil, d("2024-11-07")); !ok || c.Kind != Early || c.Milestone != 70 {
		t.Errorf("early 70: %+v %v", c, ok)
	}
	// Died 01/12/2025, 50 years on 01/03/2026: posthumous at 19/05/2026.
	dead := History{Admitted: d("1976-03-01"), In: []Interval{iv("1976-03-01", "2025-12-01")}, Died: d("2025-12-01")}
	if c, ok := ForCeremony(dead, nil, nil, d("2026-05-19")); !ok || c.Kind != Posthumous || c.Milestone != 50 {
		t.Errorf("posthumous: %+v %v", c, ok)
	}
	// Died 01/08/2026, after that ceremony: due at it as a living member.
	later := History{Admitted: d("1976-03-01"), In: []Interval{iv("1976-03-01", "2026-08-01")}, Died: d("2026-08-01")}
	if c, ok := ForCeremony(later, nil, nil, d("2026-05-19")); !ok || c.Kind != Due || c.Milestone != 50 {
		t.Errorf("died after the ceremony: %+v %v", c, ok)
	}
	longDead := History{Admitted: d("1976-03-01"), In: []Interval{iv("1976-03-01", "2024-12-01")}, Died: d("2024-12-01")}
	if _, ok := ForCeremony(longDead, nil, nil, d("2026-05-19")); ok {
		t.Error("died more than 12 months before: listed")
	}
}

// A badge for a milestone not reached (counting gaps) is refused, naming the age and the gap.
func TestCheckAward(t *testing.T) {
	h := History{Admitted: d("1985-03-01"), In: []Interval{iv("1985-03-01", "1990-06-01"), iv("1992-06-01", "")}}
	p := CheckAward(h, 30, d("2015-05-19"), false)
	if p == nil || p.Field != "milestone" || !strings.Contains(p.String(), "731 ngày ngoài Đảng") || !strings.Contains(p.String(), "01/03/2017") || !strings.Contains(p.String(), "01-HD/TW") {
		t.Errorf("not reached: %v", p)
	}
	if p := CheckAward(h, 30, d("2017-05-19"), false); p != nil {
		t.Error(p)
	}
	if p := CheckAward(h, 35, d("2022-05-19"), false); p == nil || !strings.Contains(p.String(), "không phải mốc") {
		t.Errorf("35: %v", p)
	}
	// Early (seriously ill): within 12 months, citing the window.
	if p := CheckAward(h, 30, d("2016-05-19"), true); p != nil {
		t.Error(p)
	}
	if p := CheckAward(h, 30, d("2016-02-03"), true); p == nil || p.Rule != "early_months" {
		t.Errorf("early beyond 12 months: %v", p)
	}
}

// The cash award: multiples of the base salary in force on the ceremony day.
func TestCash(t *testing.T) {
	for _, tc := range []struct {
		n      int
		day    string
		amount int64
	}{
		{30, "2018-09-02", 2085000},  // 1,5 × 1.390.000
		{50, "2018-05-19", 3900000},  // 3 × 1.300.000
		{80, "2026-05-19", 35100000}, // 15 × 2.340.000
	} {
		if c := CashFor(tc.n, d(tc.day)); c.Amount != tc.amount || c.Citation == "" {
			t.Errorf("%d %s: %+v", tc.n, tc.day, c)
		}
	}
}

// An administrator's folder that sets a milestone out of order or a ceremony on 29/02 is refused.
func TestBadFolder(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir+"/badges/values.csv", "set,key,label,value,citation,confidence,note\nHD01-2026,ceremonies,,02-29,x,confirmed,\nHD01-2026,milestones,,40;30,x,confirmed,\n")
	err := Area.Load(dir)
	t.Cleanup(func() { Area.Load("") })
	if err == nil || !strings.Contains(err.Error(), "29/02") || !strings.Contains(err.Error(), "tăng dần") {
		t.Errorf("%v", err)
	}
}
