package badges

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"dangvu/internal/rulebook"
)

// Interval is the days [From, To); a zero To is open.
type Interval struct{ From, To time.Time }

func (iv Interval) end() time.Time {
	if iv.To.IsZero() {
		return time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	return iv.To
}

// History is what a member's party age is counted from.
type History struct {
	// Admitted is the date of the first admission decision (a readmitted member counts from the
	// first admission, minus the gaps: rules.md S13).
	Admitted time.Time
	// In are the intervals the member was in the Party with an official belonging: the roster's
	// rows, in any order, touching or overlapping. Time from Admitted to the first of them counts
	// (the record starts later than the file); every day after that not covered is a gap.
	// Empty: no gap is known.
	In []Interval
	// Annulled are periods outside the Party whose decision was later annulled (an expulsion
	// annulled on appeal): they count as in the Party.
	Annulled []Interval
	// Died is the date of death, zero while alive.
	Died time.Time
}

// Gaps are the periods outside the Party after the first admission, merged and in order; the
// last may be open (a member expelled, removed or gone).
func (h History) Gaps() []Interval {
	if len(h.In) == 0 || h.Admitted.IsZero() {
		return nil
	}
	cover := append([]Interval(nil), h.In...)
	cover = append(cover, h.Annulled...)
	first := h.In[0].From
	for _, iv := range h.In {
		if iv.From.Before(first) {
			first = iv.From
		}
	}
	if h.Admitted.Before(first) {
		cover = append(cover, Interval{h.Admitted, first})
	}
	slices.SortFunc(cover, func(a, b Interval) int { return a.From.Compare(b.From) })
	var gaps []Interval
	at := h.Admitted
	for _, iv := range cover {
		if iv.end().Compare(at) <= 0 {
			continue
		}
		if iv.From.After(at) {
			gaps = append(gaps, Interval{at, iv.From})
		}
		at = iv.end()
	}
	if at.Year() < 9999 {
		gaps = append(gaps, Interval{From: at})
	}
	return gaps
}

// AddYears is the anniversary n years after t. A term counted in years ends on the same day and
// month; when that month has no such day (29 February in a common year) it ends on the month's
// last day (Bộ luật Dân sự 2015 Điều 148 khoản 1: unconfirmed, the convention dangvu applies).
func AddYears(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	out := time.Date(y+n, m, d, 0, 0, 0, 0, time.UTC)
	if out.Month() != m {
		out = time.Date(y+n, m+1, 0, 0, 0, 0, 0, time.UTC)
	}
	return out
}

// Reaches is the day party age reaches n years: the anniversary of admission, moved on by the
// length of every gap that began before it (a gap opened by leaving the Party and never closed:
// not reached, false). Death does not stop the count, so a posthumous award can be judged.
func (h History) Reaches(n int) (time.Time, bool) {
	if h.Admitted.IsZero() {
		return time.Time{}, false
	}
	target := AddYears(dateOf(h.Admitted), n)
	for _, g := range h.Gaps() {
		if !g.From.Before(target) {
			break
		}
		if g.To.IsZero() {
			if !h.Died.IsZero() && !g.From.Before(dateOf(h.Died)) {
				return target, true // counted until death: the gap is death's
			}
			return time.Time{}, false
		}
		target = target.AddDate(0, 0, int(g.To.Sub(g.From).Hours()/24+0.5))
	}
	return target, true
}

// Age is a party age on a day: whole years, months and days counted net of the gaps.
type Age struct {
	Years, Months, Days int
	// GapDays is how many days outside the Party were left out.
	GapDays int
}

func (a Age) String() string {
	return fmt.Sprintf("%d năm %d tháng %d ngày", a.Years, a.Months, a.Days)
}

// AgeOn is the party age on day: the time from admission to day minus the gaps before day,
// counted in calendar years, months and days from admission.
func (h History) AgeOn(day time.Time) Age {
	day = dateOf(day)
	if h.Admitted.IsZero() || day.Before(h.Admitted) {
		return Age{}
	}
	gap := 0
	for _, g := range h.Gaps() {
		if !g.From.Before(day) {
			break
		}
		end := g.end()
		if end.After(day) {
			end = day
		}
		gap += int(end.Sub(g.From).Hours()/24 + 0.5)
	}
	net := day.AddDate(0, 0, -gap)
	a := dateOf(h.Admitted)
	years := net.Year() - a.Year()
	if AddYears(a, years).After(net) {
		years--
	}
	from := AddYears(a, years)
	months := 0
	for addMonths(from, months+1).Compare(net) <= 0 {
		months++
	}
	days := int(net.Sub(addMonths(from, months)).Hours()/24 + 0.5)
	return Age{Years: years, Months: months, Days: days, GapDays: gap}
}

// addMonths is t moved n months on, at the month's last day when it has no such day.
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	out := time.Date(y, m+time.Month(n), d, 0, 0, 0, 0, time.UTC)
	if out.Day() != d {
		out = time.Date(y, m+time.Month(n)+1, 0, 0, 0, 0, 0, time.UTC)
	}
	return out
}

// Kind is why a member is on a ceremony's list.
type Kind string

const (
	Due        Kind = "due"        // reaches the milestone since the previous ceremony
	Delayed    Kind = "delayed"    // reached earlier; a discipline delayed the award to this ceremony
	Early      Kind = "early"      // reaches it within the early-award window after the ceremony (if seriously ill)
	Posthumous Kind = "posthumous" // died within the posthumous window before reaching it
)

// Kinds lists the kinds with their Vietnamese names.
var Kinds = []struct {
	Code Kind
	Name string
}{
	{Due, "Đến mốc"},
	{Delayed, "Đến mốc, lùi do kỷ luật"},
	{Early, "Có thể xét tặng sớm (bệnh nặng)"},
	{Posthumous, "Truy tặng"},
}

// KindName is a kind's Vietnamese name.
func KindName(k Kind) string {
	for _, x := range Kinds {
		if x.Code == k {
			return x.Name
		}
	}
	return string(k)
}

// Discipline is a discipline decision that delays a badge: its form (reprimand, warning,
// removal) and date. Expulsion is a gap, not a delay.
type Discipline struct {
	Form string
	Date time.Time
}

// Candidate is a member's place on a ceremony's list.
type Candidate struct {
	Milestone int       `json:"milestone"`
	Kind      Kind      `json:"kind"`
	Reached   time.Time `json:"reached"`  // the day party age reaches the milestone
	Eligible  time.Time `json:"eligible"` // the day the award may be made (after a delay)
	Reason    string    `json:"reason"`   // Vietnamese, with the rule's citation
}

// ForCeremony says whether a member belongs on the list of the ceremony on day c: the
// milestone the member reaches (net of gaps) after the previous ceremony and on or before c, or
// whose discipline delay ends in that window; within the early window after c (to be proposed
// only for a seriously ill member); or posthumously. Milestones already awarded are skipped.
func ForCeremony(h History, ds []Discipline, awarded []int, c time.Time) (Candidate, bool) {
	c = dateOf(c)
	prev := PrevCeremony(c)
	s := For(c)
	for _, n := range s.Milestones {
		if slices.Contains(awarded, n) {
			continue
		}
		reached, ok := h.Reaches(n)
		if !ok {
			continue
		}
		// A death after the ceremony changes nothing of its list: the member was alive at it
		// (a report as of a day before the death counts the member as it did then).
		if !h.Died.IsZero() && !dateOf(h.Died).After(c) {
			died := dateOf(h.Died)
			if !died.Before(reached) {
				// Alive at the milestone: the award was due at a ceremony in life.
				continue
			}
			limit := addMonths(reached, -s.PosthumousMonths)
			if died.Before(limit) || reached.After(c) || !reached.After(prev) {
				continue
			}
			return Candidate{Milestone: n, Kind: Posthumous, Reached: reached, Eligible: reached,
				Reason: fmt.Sprintf("Từ trần ngày %s, trong %d tháng trước khi đủ %d năm tuổi đảng (%s)", fmtDate(died), s.PosthumousMonths, n, s.Cite("posthumous_months"))}, true
		}
		eligible, why := reached, ""
		for _, d := range ds {
			m, ok := s.Delay[d.Form]
			if !ok || d.Date.After(c) {
				continue
			}
			if e := addMonths(dateOf(d.Date), m); e.After(eligible) {
				key := map[string]string{"reprimand": "delay_reprimand_months", "warning": "delay_warning_months", "removal": "delay_removal_months"}[d.Form]
				eligible, why = e, fmt.Sprintf("kỷ luật ngày %s, lùi %d tháng (%s)", fmtDate(d.Date), m, s.Cite(key))
			}
		}
		switch {
		case eligible.After(prev) && !eligible.After(c):
			if why != "" {
				return Candidate{Milestone: n, Kind: Delayed, Reached: reached, Eligible: eligible, Reason: fmt.Sprintf("Đủ %d năm tuổi đảng ngày %s; %s", n, fmtDate(reached), why)}, true
			}
			return Candidate{Milestone: n, Kind: Due, Reached: reached, Eligible: eligible, Reason: fmt.Sprintf("Đủ %d năm tuổi đảng ngày %s (%s)", n, fmtDate(reached), s.Cite("milestones"))}, true
		case eligible.After(c) && why == "":
			months, key := s.EarlyMonths, "early_months"
			if n >= s.EarlyLongFrom {
				months, key = s.EarlyMonthsLong, "early_months_long"
			}
			if !reached.After(addMonths(c, months)) {
				return Candidate{Milestone: n, Kind: Early, Reached: reached, Eligible: reached,
					Reason: fmt.Sprintf("Đủ %d năm tuổi đảng ngày %s; nếu bệnh nặng có thể xét tặng sớm đến %d tháng (%s)", n, fmtDate(reached), months, s.Cite(key))}, true
			}
		}
	}
	return Candidate{}, false
}

// CheckAward refuses a badge for milestone n awarded on day that the member has not reached by
// then (net of gaps); early (a seriously ill member) allows the early-award window. A
// posthumous award is judged as if the member had lived. Nil when the award may be made.
func CheckAward(h History, n int, day time.Time, early bool) *rulebook.Problem {
	day = dateOf(day)
	s := For(day)
	if !s.IsMilestone(n) {
		return &rulebook.Problem{Field: "milestone", Rule: "milestones", Set: s.Name, Source: s.Source("milestones"),
			Reason: fmt.Sprintf("%d năm không phải mốc tặng Huy hiệu Đảng (các mốc: %s năm)", n, joinInts(s.Milestones))}
	}
	reached, ok := h.Reaches(n)
	if !ok {
		return &rulebook.Problem{Field: "milestone", Rule: "milestones", Set: s.Name, Source: s.Source("milestones"),
			Reason: fmt.Sprintf("đảng viên không còn trong Đảng nên không đủ %d năm tuổi đảng", n)}
	}
	months, key := 0, "milestones"
	if early {
		months, key = s.EarlyMonths, "early_months"
		if n >= s.EarlyLongFrom {
			months, key = s.EarlyMonthsLong, "early_months_long"
		}
	}
	if reached.After(addMonths(day, months)) {
		age := h.AgeOn(day)
		return &rulebook.Problem{Field: "milestone", Rule: key, Set: s.Name, Source: s.Source(key),
			Reason: fmt.Sprintf("chưa đủ %d năm tuổi đảng: ngày %s tuổi đảng là %s (đã trừ %d ngày ngoài Đảng), đủ mốc ngày %s", n, fmtDate(day), age, age.GapDays, fmtDate(reached))}
	}
	return nil
}

func joinInts(ns []int) string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = strconv.Itoa(n)
	}
	return strings.Join(out, ", ")
}

func fmtDate(t time.Time) string { return t.Format("02/01/2006") }
