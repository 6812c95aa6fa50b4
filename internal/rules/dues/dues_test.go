package dues

import (
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/rulebook"
)

func d(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func mo(s string) dangvu.Month {
	m, err := dangvu.ParseMonth(s)
	if err != nil {
		panic(err)
	}
	return m
}

// The embedded data loads; every set has, for every group, exactly one of a rate and a flat
// amount, and every value a citation and a mark. The 01-QĐ/TW set keeps its CONFLICT mark (the
// press gives 01/02/2026 as the start, the regulation is dated 03/02/2026) and cites both.
func TestData(t *testing.T) {
	b := Area.Book()
	if len(b.Sets) != 2 {
		t.Fatalf("sets: %d", len(b.Sets))
	}
	for _, s := range b.Sets {
		for _, g := range dangvu.DuesGroups {
			_, r := s.Value("rate_" + string(g.Code) + "_bp")
			_, f := s.Value("flat_" + string(g.Code) + "_vnd")
			if r == f {
				t.Errorf("%s: group %s has rate %v flat %v", s.ID, g.Code, r, f)
			}
		}
		for _, v := range s.Values {
			if v.Source.Citation == "" || !v.Source.Confidence.Valid() {
				t.Errorf("%s/%s: %+v", s.ID, v.Key, v.Source)
			}
		}
	}
	s01 := b.Sets[1]
	if s01.Source.Confidence != rulebook.Conflict || !strings.Contains(s01.Source.Note, "01/02/2026") || !strings.Contains(s01.Source.Note, "03/02/2026") {
		t.Errorf("01-QĐ/TW source: %+v", s01.Source)
	}
	// Values the research marks keep their mark.
	for _, tc := range []struct {
		set, key string
		c        rulebook.Confidence
	}{
		{"QD01-2026", "flat_student_vnd", rulebook.Secondary},          // Lào Cai bank Q5 only
		{"QD01-2026", "rate_abroad_bp", rulebook.Unconfirmed},          // not found
		{"QD01-2026", "keep_pct_cell_other", rulebook.Unconfirmed},     // not found
		{"QD01-2026", "keep_pct_cell_residential", rulebook.Secondary}, // bank Q12
		{"QD342-2010", "flat_student_vnd", rulebook.Unconfirmed},
	} {
		s, _ := b.ByID(tc.set)
		v, _ := s.Value(tc.key)
		if v.Source.Confidence != tc.c {
			t.Errorf("%s/%s: %s, want %s", tc.set, tc.key, v.Source.Confidence, tc.c)
		}
	}
}

// The month's set: 342-QĐ/TW through January 2026, 01-QĐ/TW from February 2026 (01/02/2026).
func TestForMonth(t *testing.T) {
	for _, tc := range []struct{ m, id string }{
		{"2010-06", "QD342-2010"}, {"2015-01", "QD342-2010"}, {"2026-01", "QD342-2010"},
		{"2026-02", "QD01-2026"}, {"2026-12", "QD01-2026"},
	} {
		if got := ForMonth(mo(tc.m)).ID; got != tc.id {
			t.Errorf("%s: %s, want %s", tc.m, got, tc.id)
		}
	}
}

// Amount owed per group under both sets.
func TestOwed(t *testing.T) {
	basis := func(g dangvu.DuesGroup, amount int64) []dangvu.DuesBasis {
		return []dangvu.DuesBasis{{Member: "M", From: dangvu.MustDate("2010-01-01"), Group: g, Amount: amount}}
	}
	for _, tc := range []struct {
		name   string
		month  string
		g      dangvu.DuesGroup
		amount int64
		want   int64
		cite   string
	}{
		// 01-QĐ/TW Art. 3: 1% of the previous month's insured salary.
		{"01 insured 1%", "2026-03", dangvu.DuesInsured, 8_450_000, 84_500, "01-QĐ/TW Điều 3"},
		{"01 insured rounds half up", "2026-03", dangvu.DuesInsured, 5_310_050, 53_101, "01-QĐ/TW"},
		// 01-QĐ/TW Art. 3: 1% of the sick or maternity benefit.
		{"01 benefit 1%", "2026-05", dangvu.DuesBenefit, 6_000_000, 60_000, "01-QĐ/TW"},
		// 01-QĐ/TW Art. 3: 0.5% of the pension.
		{"01 pension 0.5%", "2026-02", dangvu.DuesPension, 7_200_000, 36_000, "01-QĐ/TW"},
		// 01-QĐ/TW Art. 3: students 5.000 đ (question bank Q5, secondary).
		{"01 student flat", "2026-04", dangvu.DuesStudent, 0, 5_000, "nguồn thứ cấp"},
		// Self-employed: 0.3% of the regional minimum wage recorded (secondary, N30).
		{"01 self-employed 0.3%", "2026-04", dangvu.DuesSelfEmployed, 4_730_000, 14_190, "nguồn thứ cấp"},
		// Abroad: the amount fixed by the committee, recorded as the basis (unconfirmed).
		{"01 abroad fixed", "2026-04", dangvu.DuesAbroad, 50_000, 50_000, "chưa xác minh"},
		// 342-QĐ/TW Art. 2: 1% of salary, 0.5% of pension.
		{"342 insured 1%", "2015-06", dangvu.DuesInsured, 4_000_000, 40_000, "342-QĐ/TW"},
		{"342 pension 0.5%", "2025-12", dangvu.DuesPension, 5_000_000, 25_000, "342-QĐ/TW"},
		{"342 benefit 0.5% (unconfirmed)", "2025-12", dangvu.DuesBenefit, 5_000_000, 25_000, "chưa xác minh"},
		{"342 self-employed flat", "2016-01", dangvu.DuesSelfEmployed, 0, 2_000, "342-QĐ/TW"},
		{"342 student flat", "2016-01", dangvu.DuesStudent, 0, 3_000, "342-QĐ/TW"},
		// The change of set is by month: January 2026 still 342 (benefit 0.5%), February 01 (1%).
		{"benefit January 2026", "2026-01", dangvu.DuesBenefit, 6_000_000, 30_000, "342-QĐ/TW"},
		{"benefit February 2026", "2026-02", dangvu.DuesBenefit, 6_000_000, 60_000, "01-QĐ/TW"},
	} {
		o, ok, v := Owed(mo(tc.month), basis(tc.g, tc.amount), nil)
		if !ok || v != nil || o.Owed != tc.want || o.Gross != tc.want || !strings.Contains(o.Cite, tc.cite) {
			t.Errorf("%s: %+v %v %v, want %d citing %q", tc.name, o, ok, v, tc.want, tc.cite)
		}
	}
	// No basis: not owed zero but no line (listed as such by the store).
	if _, ok, v := Owed(mo("2026-03"), nil, nil); ok || v != nil {
		t.Errorf("no basis: %v %v", ok, v)
	}
	// A rate-based group without an amount is refused, naming the field.
	if _, ok, v := Owed(mo("2026-03"), basis(dangvu.DuesInsured, 0), nil); ok || v == nil || v.Field != "amount" || !strings.Contains(v.String(), "01-QĐ/TW") {
		t.Errorf("insured without amount: %v %+v", ok, v)
	}
}

// The basis in force for a month: the latest from the month's first day; a change within a month
// applies from the next one; a member's first basis within a month applies to that month.
func TestBasisFor(t *testing.T) {
	bases := []dangvu.DuesBasis{
		{ID: "a", From: dangvu.MustDate("2026-02-10"), Group: dangvu.DuesStudent},
		{ID: "b", From: dangvu.MustDate("2026-05-15"), Group: dangvu.DuesInsured, Amount: 6_000_000},
	}
	for _, tc := range []struct{ m, want string }{
		{"2026-01", ""}, {"2026-02", "a"}, {"2026-05", "a"}, {"2026-06", "b"},
	} {
		b, ok := BasisFor(bases, mo(tc.m))
		if (tc.want == "") == ok || ok && b.ID != tc.want {
			t.Errorf("%s: %v %v, want %q", tc.m, b.ID, ok, tc.want)
		}
	}
}

// Exemptions and reductions (01-QĐ/TW Art. 5): reductions of 30/50/70% apply to the gross amount;
// exemption owes nothing; an exemption applies to every month it touches and not after its end.
func TestRelief(t *testing.T) {
	bases := []dangvu.DuesBasis{{From: dangvu.MustDate("2020-01-01"), Group: dangvu.DuesInsured, Amount: 7_000_000}}
	ex := []dangvu.DuesExemption{
		{ID: "h", Kind: dangvu.ReliefHardship, Pct: 50, From: dangvu.MustDate("2026-03-01"), To: dangvu.MustDate("2026-08-31")},
		{ID: "s", Kind: dangvu.ReliefSuspended, Pct: 100, From: dangvu.MustDate("2026-06-10"), To: dangvu.MustDate("2026-07-05")},
	}
	for _, tc := range []struct {
		m    string
		pct  int
		owed int64
	}{
		{"2026-02", 0, 70_000}, {"2026-03", 50, 35_000}, {"2026-06", 100, 0}, {"2026-07", 100, 0},
		{"2026-08", 50, 35_000}, {"2026-09", 0, 70_000},
	} {
		o, ok, _ := Owed(mo(tc.m), bases, ex)
		if !ok || o.Pct != tc.pct || o.Owed != tc.owed || o.Gross != 70_000 {
			t.Errorf("%s: %+v", tc.m, o)
		}
	}
	for _, tc := range []struct {
		gross int64
		pct   int
		want  int64
	}{{70_000, 30, 49_000}, {70_000, 70, 21_000}, {14_190, 30, 9_933}, {5_000, 100, 0}, {5_000, 0, 5_000}} {
		if got := Reduce(tc.gross, tc.pct); got != tc.want {
			t.Errorf("Reduce(%d, %d) = %d, want %d", tc.gross, tc.pct, got, tc.want)
		}
	}
}

// Checks of an exemption: levels, at most 12 months each time (01-QĐ/TW Art. 5.2), the ground
// known to the set (no party-age exemption under 342 as recorded), and competence: a grassroots
// cell decides itself; a cell under a grassroots committee proposes and the committee above
// decides.
func TestCheckExemption(t *testing.T) {
	h := func(pct int, from, to string) dangvu.DuesExemption {
		e := dangvu.DuesExemption{Kind: dangvu.ReliefHardship, Pct: pct, From: dangvu.MustDate(from)}
		if to != "" {
			e.To = dangvu.MustDate(to)
		}
		return e
	}
	for _, tc := range []struct {
		name                      string
		e                         dangvu.DuesExemption
		grassroots, isCell, above bool
		field                     string // "" when accepted
	}{
		{"50% 12 months by the committee above", h(50, "2026-03-01", "2027-02-28"), false, false, true, ""},
		{"70% decided by the grassroots cell itself", h(70, "2026-03-01", "2026-08-31"), true, true, false, ""},
		{"exempt for hardship", h(100, "2026-03-01", "2026-05-31"), false, false, true, ""},
		{"40% is not a level", h(40, "2026-03-01", "2026-05-31"), false, false, true, "pct"},
		{"13 months", h(30, "2026-03-01", "2027-03-01"), false, false, true, "to"},
		{"no end", h(30, "2026-03-01", ""), false, false, true, "to"},
		{"cell under a committee decides itself", h(30, "2026-03-01", "2026-05-31"), false, true, false, "decided_by"},
		{"another body", h(30, "2026-03-01", "2026-05-31"), true, false, false, "decided_by"},
		{"party age under 01", dangvu.DuesExemption{Kind: dangvu.ReliefPartyAge, Pct: 100, From: dangvu.MustDate("2026-02-01")}, false, false, false, ""},
		{"party age under 342", dangvu.DuesExemption{Kind: dangvu.ReliefPartyAge, Pct: 100, From: dangvu.MustDate("2020-02-01")}, false, false, false, "kind"},
		{"party age reduction", dangvu.DuesExemption{Kind: dangvu.ReliefPartyAge, Pct: 50, From: dangvu.MustDate("2026-02-01")}, false, false, false, "pct"},
		{"342 only exemption", h(50, "2020-03-01", "2020-05-31"), true, true, false, "pct"},
	} {
		vs := CheckExemption(tc.e, tc.grassroots, tc.isCell, tc.above)
		if tc.field == "" && len(vs) > 0 || tc.field != "" && (len(vs) == 0 || vs[0].Field != tc.field) {
			t.Errorf("%s: %+v", tc.name, vs)
		}
		for _, v := range vs {
			if v.Source.Citation == "" || v.Set == "" {
				t.Errorf("%s: uncited %+v", tc.name, v)
			}
		}
	}
}

// Shares kept: village and residential-group cells keep 70% under 01-QĐ/TW (bank Q12); the
// split always adds up.
func TestKeep(t *testing.T) {
	s := ForMonth(mo("2026-03"))
	if p, c := s.KeepPct(dangvu.LevelCell, dangvu.KindResidential); p != 70 || !strings.Contains(c, "01-QĐ/TW") {
		t.Errorf("residential: %d %s", p, c)
	}
	if p, c := s.KeepPct(dangvu.LevelCell, dangvu.KindStateAgency); p != 30 || !strings.Contains(c, "chưa xác minh") {
		t.Errorf("other cell: %d %s", p, c)
	}
	if p, _ := ForMonth(mo("2020-03")).KeepPct(dangvu.LevelCell, dangvu.KindResidential); p != 50 {
		t.Errorf("342 residential: %d", p)
	}
	for _, c := range []int64{0, 1, 99, 84_500, 1_234_567} {
		for _, p := range []int{0, 30, 50, 70, 100} {
			k, r := Split(c, p)
			if k+r != c || k < 0 || r < 0 {
				t.Errorf("Split(%d,%d) = %d+%d", c, p, k, r)
			}
		}
	}
}

// The Charter's three months without paying are counted per calendar year: two unpaid months in
// December and one in January are not three; months exempt or not yet over do not count; a
// month paid in part counts.
func TestArrears(t *testing.T) {
	owed := map[dangvu.Month]int64{}
	paid := map[dangvu.Month]int64{}
	for m := mo("2025-06"); m.Before(mo("2027-01")); m = m.Next() {
		owed[m] = 50_000
		paid[m] = 50_000
	}
	paid[mo("2025-11")], paid[mo("2025-12")], paid[mo("2026-01")] = 0, 0, 0
	if got := ArrearsMonths(2025, owed, paid, d("2026-02-15")); len(got) != 2 || InArrears(got) {
		t.Errorf("2025: %v", got)
	}
	if got := ArrearsMonths(2026, owed, paid, d("2026-02-15")); len(got) != 1 || InArrears(got) {
		t.Errorf("2026: %v", got)
	}
	paid[mo("2026-03")], paid[mo("2026-05")] = 20_000, 0
	owed[mo("2026-04")] = 0 // exempt
	paid[mo("2026-04")] = 0
	paid[mo("2026-06")] = 0 // not over yet on 20/06
	got := ArrearsMonths(2026, owed, paid, d("2026-06-20"))
	if len(got) != 3 || got[0] != mo("2026-01") || got[2] != mo("2026-05") || !InArrears(got) {
		t.Errorf("2026 by June: %v", got)
	}
}
