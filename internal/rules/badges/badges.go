// Package badges holds the rules of party badges (Huy hiệu Đảng) as dated data (package
// rulebook, research/next-rules.md §4): the party-age milestones (30, 40, 45 … 90 years), the
// ceremony dates (3/2, 19/5, 2/9, 7/11), the early-award windows for seriously ill members, the
// posthumous window, the delays after discipline and the cash award as multiples of the base
// salary (HD 56-HD/VPTW), with the base salary itself as a dated table.
//
// Party age counts from the first admission decision, net of every period outside the Party
// (expulsion, removal, leaving, gaps in transfer), as the roster records them; an expulsion
// annulled on appeal is no gap. The logic that applies the values is here, with its tests.
package badges

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"time"

	"dangvu/internal/rulebook"
)

//go:embed data
var files embed.FS

func sub(dir string) fs.FS { return rulebook.Embedded(files, dir) }

// Area is the rule area of party badges.
var Area = &rulebook.Area{
	Name: "badges", Label: "Huy hiệu Đảng: mốc tuổi đảng, ngày trao, tặng sớm, truy tặng, tiền thưởng", Files: sub("badges"),
	Keys: badgeKeys(),
	CheckValue: func(s *rulebook.Set, v rulebook.Value) error {
		switch {
		case v.Key == "milestones":
			_, err := parseMilestones(v.Text)
			return err
		case v.Key == "ceremonies":
			_, err := parseCeremonies(v.Text)
			return err
		case strings.HasPrefix(v.Key, "cash_"):
			_, err := parseTenths(v.Text)
			return err
		}
		return nil
	},
}

// Salary is the rule area of the base salary (mức lương cơ sở) the cash award multiplies.
var Salary = &rulebook.Area{
	Name: "base_salary", Label: "Mức lương cơ sở (tính tiền thưởng kèm Huy hiệu Đảng)", Files: sub("salary"),
	Keys: []rulebook.Key{{Name: "base_salary", Kind: rulebook.Int, Label: "Mức lương cơ sở (đồng/tháng)"}},
}

// AllMilestones are the milestones a cash multiple may be given for.
var AllMilestones = []int{30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90}

func badgeKeys() []rulebook.Key {
	keys := []rulebook.Key{
		{Name: "milestones", Kind: rulebook.Text}, {Name: "ceremonies", Kind: rulebook.Text},
		{Name: "early_months", Kind: rulebook.Int}, {Name: "early_long_from", Kind: rulebook.Int},
		{Name: "early_months_long", Kind: rulebook.Int}, {Name: "posthumous_months", Kind: rulebook.Int},
		{Name: "delay_reprimand_months", Kind: rulebook.Int}, {Name: "delay_warning_months", Kind: rulebook.Int},
		{Name: "delay_removal_months", Kind: rulebook.Int}, {Name: "proposal_lead_months", Kind: rulebook.Int},
	}
	for _, m := range AllMilestones {
		// A milestone without a multiple has no cash award recorded: optional.
		keys = append(keys, rulebook.Key{Name: fmt.Sprintf("cash_%d", m), Kind: rulebook.Text, Optional: true})
	}
	return keys
}

// Set is the badge rules in force on a day, read into fields.
type Set struct {
	ID, Name string
	From     time.Time
	// Milestones in years, ascending; Ceremonies as month and day, in the year's order.
	Milestones []int
	Ceremonies []MonthDay
	// EarlyMonths is how early a seriously ill member may receive a milestone below
	// EarlyLongFrom; EarlyMonthsLong from it on. PosthumousMonths: a member who died at most this
	// long before reaching a milestone may receive it posthumously.
	EarlyMonths, EarlyLongFrom, EarlyMonthsLong, PosthumousMonths int
	// Delay after a discipline decision, in months, by form (reprimand, warning, removal from post).
	Delay map[string]int
	// LeadMonths: the proposal list is drawn up this long before the ceremony.
	LeadMonths int
	// Cash in tenths of the base salary by milestone; absent when none is recorded.
	Cash map[int]int

	set *rulebook.Set
}

// MonthDay is a ceremony's day in every year.
type MonthDay struct {
	Month time.Month
	Day   int
}

// Cite is the citation of a value with its confidence mark.
func (s Set) Cite(key string) string { return s.set.Cite(key) }

// Source is where a value comes from.
func (s Set) Source(key string) rulebook.Source { return s.set.SourceOf(key) }

// For returns the badge rules in force on day (the oldest set before any).
func For(day time.Time) Set { return sets.At(day) }

var sets = rulebook.Choose(build, Area)

func build(in ...rulebook.InForce) Set {
	rs := in[0].Set
	s := Set{ID: rs.ID, Name: rs.Name, From: rs.From, set: rs,
		EarlyMonths: rs.Int("early_months"), EarlyLongFrom: rs.Int("early_long_from"), EarlyMonthsLong: rs.Int("early_months_long"),
		PosthumousMonths: rs.Int("posthumous_months"), LeadMonths: rs.Int("proposal_lead_months"),
		Delay: map[string]int{"reprimand": rs.Int("delay_reprimand_months"), "warning": rs.Int("delay_warning_months"), "removal": rs.Int("delay_removal_months")},
		Cash:  map[int]int{}}
	s.Milestones, _ = parseMilestones(rs.Text("milestones"))
	s.Ceremonies, _ = parseCeremonies(rs.Text("ceremonies"))
	for _, m := range AllMilestones {
		if t := rs.Text(fmt.Sprintf("cash_%d", m)); t != "" {
			s.Cash[m], _ = parseTenths(t)
		}
	}
	return s
}

func parseMilestones(s string) ([]int, error) {
	var out []int
	for _, p := range strings.Split(s, ";") {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n <= 0 || n > 120 {
			return nil, fmt.Errorf("mốc %q không hợp lệ: cần các số năm cách nhau bởi dấu chấm phẩy", p)
		}
		if len(out) > 0 && n <= out[len(out)-1] {
			return nil, fmt.Errorf("các mốc phải tăng dần (%d sau %d)", n, out[len(out)-1])
		}
		out = append(out, n)
	}
	return out, nil
}

func parseCeremonies(s string) ([]MonthDay, error) {
	var out []MonthDay
	for _, p := range strings.Split(s, ";") {
		t, err := time.Parse("01-02", strings.TrimSpace(p))
		if err != nil {
			return nil, fmt.Errorf("ngày trao %q không hợp lệ: cần tháng-ngày, ví dụ 05-19", p)
		}
		md := MonthDay{t.Month(), t.Day()}
		if md.Month == time.February && md.Day == 29 {
			return nil, fmt.Errorf("ngày trao không thể là 29/02")
		}
		if len(out) > 0 && !before(out[len(out)-1], md) {
			return nil, fmt.Errorf("các ngày trao phải theo thứ tự trong năm")
		}
		out = append(out, md)
	}
	return out, nil
}

func before(a, b MonthDay) bool { return a.Month < b.Month || a.Month == b.Month && a.Day < b.Day }

// parseTenths reads "1,5" or "1.5" or "15" as tenths (15, 15, 150).
func parseTenths(s string) (int, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	whole, frac, _ := strings.Cut(s, ".")
	w, err := strconv.Atoi(whole)
	if err != nil || w < 0 || len(frac) > 1 {
		return 0, fmt.Errorf("bội số %q không hợp lệ: cần dạng 1,5", s)
	}
	f := 0
	if frac != "" {
		if f, err = strconv.Atoi(frac); err != nil {
			return 0, fmt.Errorf("bội số %q không hợp lệ: cần dạng 1,5", s)
		}
	}
	return w*10 + f, nil
}

// Fingerprint identifies the milestones and ceremony days loaded now (the embedded sets with the
// administrator's folder applied): the members due at each ceremony counted in the database
// for the top of the tree (the store's badges_due tallies) hold only under the rules they were
// counted with.
func Fingerprint() string {
	b := Area.Book()
	h := sha256.New()
	for i, s := range b.Sets {
		fmt.Fprintf(h, "%s|%s|%s|%s|%s\n", s.ID, s.From.Format(time.DateOnly), b.Until(i).Format(time.DateOnly), s.Text("milestones"), s.Text("ceremonies"))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// MilestonesEver are the milestones of every set, ascending.
func MilestonesEver() []int {
	var out []int
	for _, s := range Area.Book().Sets {
		ms, _ := parseMilestones(s.Text("milestones"))
		out = append(out, ms...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// IsMilestone reports whether n years is a milestone of the set.
func (s Set) IsMilestone(n int) bool { return slices.Contains(s.Milestones, n) }

// Ceremonies returns the ceremony dates of a year, under the rules in force on 1 January of it.
func Ceremonies(year int) []time.Time {
	s := For(time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC))
	out := make([]time.Time, len(s.Ceremonies))
	for i, c := range s.Ceremonies {
		out[i] = time.Date(year, c.Month, c.Day, 0, 0, 0, 0, time.UTC)
	}
	return out
}

// IsCeremony reports whether day is a ceremony date.
func IsCeremony(day time.Time) bool {
	day = dateOf(day)
	return slices.ContainsFunc(Ceremonies(day.Year()), day.Equal)
}

// NextCeremony is the first ceremony date on or after day.
func NextCeremony(day time.Time) time.Time {
	day = dateOf(day)
	for y := day.Year(); ; y++ {
		for _, c := range Ceremonies(y) {
			if !c.Before(day) {
				return c
			}
		}
	}
}

// PrevCeremony is the last ceremony date strictly before day.
func PrevCeremony(day time.Time) time.Time {
	day = dateOf(day)
	for y := day.Year(); ; y-- {
		cs := Ceremonies(y)
		for i := len(cs) - 1; i >= 0; i-- {
			if cs[i].Before(day) {
				return cs[i]
			}
		}
	}
}

// BaseSalary is the base salary (đồng a month) in force on day, with its source; 0 before the
// first recorded.
func BaseSalary(day time.Time) (int64, rulebook.Source) {
	rs, ok := Salary.Book().For(day)
	if !ok {
		return 0, rulebook.Source{}
	}
	v, _ := rs.Value("base_salary")
	return int64(rs.Int("base_salary")), v.Source
}

// Cash is the cash award of a milestone presented on day: its multiple of the base salary in
// tenths, the amount in đồng (0 when either is not recorded) and the citation of the multiple.
type Cash struct {
	Tenths     int    `json:"tenths"`
	Amount     int64  `json:"amount"`
	BaseSalary int64  `json:"base_salary"`
	Citation   string `json:"citation"`
}

// CashFor returns the cash award of milestone n presented on day.
func CashFor(n int, day time.Time) Cash {
	s := For(day)
	t, ok := s.Cash[n]
	if !ok {
		return Cash{}
	}
	base, _ := BaseSalary(day)
	return Cash{Tenths: t, BaseSalary: base, Amount: base * int64(t) / 10, Citation: s.Cite(fmt.Sprintf("cash_%d", n))}
}

func dateOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
