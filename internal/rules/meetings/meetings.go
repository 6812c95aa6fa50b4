// Package meetings holds the rules of the cell's monthly meeting (sinh hoạt chi bộ) and of the
// residence liaison of working members (213-QĐ/TW) as dated data (package rulebook), and the
// logic that applies them: the meeting day and its shift when it falls on a holiday, the
// documents sent beforehand, the deadline to publish the minutes and resolution in working days,
// the thematic meetings each quarter, the quality rubric with its bands, and the Charter's
// three-month rule counted per calendar year (next-rules.md §2, §6).
//
// Sets: CT 10-CT/TW (2007) → HD 12-HD/BTCTW (18/01/2018) → CT 50-CT/TW (23/07/2025) → HD
// 42-HD/BTCTW (28/10/2025), chosen by the meeting's own date. The rubric is set by each province
// or ward: the embedded one is a default an office replaces with its own (--rules DIR).
package meetings

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"time"

	"dangvu/internal/rulebook"
	"dangvu/internal/workday"
)

//go:embed data
var files embed.FS

func sub(dir string) fs.FS { return rulebook.Embedded(files, dir) }

// Area is the rule area of the cell's meetings.
var Area = &rulebook.Area{
	Name: "meetings", Label: "Sinh hoạt chi bộ: ngày họp, tài liệu, biên bản, chuyên đề, vắng họp", Files: sub("meetings"),
	Keys: []rulebook.Key{
		{Name: "meeting_day", Kind: rulebook.Int}, {Name: "shift_days", Kind: rulebook.Int},
		{Name: "min_minutes", Kind: rulebook.Int}, {Name: "combined_minutes", Kind: rulebook.Int},
		{Name: "docs_days_before", Kind: rulebook.Int}, {Name: "publish_workdays", Kind: rulebook.Int},
		{Name: "thematic_per_quarter", Kind: rulebook.Int},
		{Name: "absence_months", Kind: rulebook.Int}, {Name: "consecutive", Kind: rulebook.Bool},
		{Name: "combine_lapses", Kind: rulebook.Bool}, {Name: "follow_absences", Kind: rulebook.Int},
		{Name: "remote_allowed", Kind: rulebook.Bool}, {Name: "probation_removal_vote", Kind: rulebook.Ratio},
	},
}

// Quality is the rule area of the quality rubric of a meeting.
var Quality = &rulebook.Area{
	Name: "meeting_quality", Label: "Thang điểm chất lượng sinh hoạt chi bộ", Files: sub("meeting_quality"),
	Keys: []rulebook.Key{
		{Name: "max_points", Kind: rulebook.Int}, {Name: "good_min", Kind: rulebook.Int},
		{Name: "fair_min", Kind: rulebook.Int}, {Name: "average_min", Kind: rulebook.Int},
		{Name: "criteria", Kind: rulebook.Text}, {Name: "scorer", Kind: rulebook.Text},
	},
	CheckValue: func(s *rulebook.Set, v rulebook.Value) error {
		if v.Key == "criteria" {
			_, err := parseCriteria(v.Text)
			return err
		}
		return nil
	},
}

// Residence is the rule area of the residence liaison of working members.
var Residence = &rulebook.Area{
	Name: "residence", Label: "Đảng viên đang công tác giữ mối liên hệ với nơi cư trú", Files: sub("residence"),
	Keys: []rulebook.Key{
		{Name: "yearly_comment", Kind: rulebook.Bool},
		{Name: "comment_due_month", Kind: rulebook.Int}, {Name: "comment_due_day", Kind: rulebook.Int},
		{Name: "exempt_activity", Kind: rulebook.Text}, {Name: "exempt_introduction", Kind: rulebook.Text},
		{Name: "residential_kinds", Kind: rulebook.Text},
	},
}

// Areas lists the package's rule areas, for the rules page and the --rules folder.
func Areas() []*rulebook.Area { return []*rulebook.Area{Area, Quality, Residence} }

// Rule names, the keys of Set.Cite.
const (
	RuleDay         = "meeting_day"
	RuleDuration    = "min_minutes"
	RuleDocs        = "docs_days_before"
	RulePublish     = "publish_workdays"
	RuleThematic    = "thematic_per_quarter"
	RuleThreeMonths = "absence_months"
	RuleRemote      = "remote_allowed"
	RuleProbation   = "probation_removal_vote"
	RuleRubric      = "rubric"
	RuleResidence   = "residence"
)

// Band is a quality band of a meeting.
type Band string

const (
	BandGood    Band = "good"    // Tốt
	BandFair    Band = "fair"    // Khá
	BandAverage Band = "average" // Trung bình
	BandPoor    Band = "poor"    // Kém
)

// Bands lists the bands from the best with their Vietnamese names.
var Bands = []struct {
	Code Band
	Name string
}{{BandGood, "Tốt"}, {BandFair, "Khá"}, {BandAverage, "Trung bình"}, {BandPoor, "Kém"}}

// Name is the band's Vietnamese name.
func (b Band) Name() string {
	for _, x := range Bands {
		if x.Code == b {
			return x.Name
		}
	}
	return string(b)
}

// Criterion is one line of the rubric.
type Criterion struct {
	Code  string `json:"code"`
	Label string `json:"label"`
	Max   int    `json:"max"`
}

// Rubric is the quality rubric in force on a day.
type Rubric struct {
	ID                           string
	Name                         string
	Max                          int
	GoodMin, FairMin, AverageMin int
	Criteria                     []Criterion
	Cite                         string
	Source                       rulebook.Source
}

// Band returns the band of a total score; false when the score is outside the rubric.
func (r Rubric) Band(points int) (Band, bool) {
	switch {
	case points < 0 || points > r.Max:
		return "", false
	case points >= r.GoodMin:
		return BandGood, true
	case points >= r.FairMin:
		return BandFair, true
	case points >= r.AverageMin:
		return BandAverage, true
	}
	return BandPoor, true
}

// Score returns the band of a meeting's total score, or the problem naming the rubric when the
// score is outside it.
func (s Set) Score(field string, points int) (Band, *rulebook.Problem) {
	b, ok := s.Rubric.Band(points)
	if !ok {
		p := rulebook.Problem{Field: field, Rule: RuleRubric, Reason: fmt.Sprintf("điểm %d ngoài thang điểm 0–%d", points, s.Rubric.Max),
			Set: s.Rubric.Name, Source: s.Rubric.Source}
		return "", &p
	}
	return b, nil
}

// Problem builds a refusal of rule with the set's name and the rule's source.
func (s Set) Problem(field, rule, reason string) rulebook.Problem {
	return rulebook.Problem{Field: field, Rule: rule, Reason: reason, Set: s.Name, Source: s.Source[rule]}
}

// Criterion returns the rubric's line of the code.
func (r Rubric) Criterion(code string) (Criterion, bool) {
	for _, c := range r.Criteria {
		if c.Code == code {
			return c, true
		}
	}
	return Criterion{}, false
}

// parseCriteria reads "code: label: max; …"; the labels may hold commas but not semicolons.
func parseCriteria(s string) ([]Criterion, error) {
	var out []Criterion
	for _, part := range strings.Split(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		code, rest, ok1 := strings.Cut(part, ":")
		i := strings.LastIndex(rest, ":")
		if !ok1 || i < 0 {
			return nil, fmt.Errorf("tiêu chí %q: cần dạng mã: tên: điểm", part)
		}
		n, err := strconv.Atoi(strings.TrimSpace(rest[i+1:]))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("tiêu chí %q: điểm tối đa không phải số nguyên dương", part)
		}
		c := Criterion{Code: strings.TrimSpace(code), Label: strings.TrimSpace(rest[:i]), Max: n}
		if c.Code == "" || c.Label == "" || slices.ContainsFunc(out, func(x Criterion) bool { return x.Code == c.Code }) {
			return nil, fmt.Errorf("tiêu chí %q: mã trống, tên trống hoặc mã trùng", part)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("không có tiêu chí nào")
	}
	return out, nil
}

// Set is the meeting rules in force on a day, read into fields.
type Set struct {
	ID, Name string
	From     time.Time
	// MeetingDay is the day of the month of the regular meeting; 0 when the cell sets it (then
	// the meeting is expected within the month). ShiftDays: a meeting day that falls on a
	// holiday moves to the next day off no holiday within the first ShiftDays days.
	MeetingDay, ShiftDays int
	// MinMinutes, CombinedMinutes: the least duration of a regular meeting, and of a regular
	// meeting joined with a thematic one (0: no rule).
	MinMinutes, CombinedMinutes int
	// DocsDaysBefore: documents sent at least that many days before (0: no rule).
	DocsDaysBefore int
	// PublishWorkdays: the minutes and resolution are published within that many working days.
	PublishWorkdays int
	// ThematicPerQuarter: thematic meetings each quarter at least.
	ThematicPerQuarter int
	// AbsenceMonths: months of a calendar year with an unexcused absence (or unpaid dues) after
	// which the cell considers removal; Consecutive: whether they must follow each other;
	// CombineLapses: whether months of absence and of unpaid dues count together.
	AbsenceMonths              int
	Consecutive, CombineLapses bool
	// FollowAbsences: unexcused absences in a year from which the ward follows the member.
	FollowAbsences int
	RemoteAllowed  bool
	// ProbationNum/Den: the share of full members needed to remove a probationary member.
	ProbationNum, ProbationDen int
	Rubric                     Rubric
	// Cite holds each rule's citation with its confidence mark; Source the sources themselves.
	Cite   map[string]string
	Source map[string]rulebook.Source
	data   *rulebook.Set
}

// For returns the meeting rules in force on day (the oldest set before any recorded one).
func For(day time.Time) Set { return sets.At(day) }

// Sets lists the meeting rule sets, oldest first.
func Sets() []Set { return sets.All() }

// sets chooses the pair of a meeting set and a quality rubric.
var sets = rulebook.Choose(func(in ...rulebook.InForce) Set { return build(in[0].Set, in[1].Set) }, Area, Quality)

func build(m, q *rulebook.Set) Set {
	s := Set{ID: m.ID, Name: m.Name, From: m.From, data: m,
		MeetingDay: m.Int("meeting_day"), ShiftDays: m.Int("shift_days"),
		MinMinutes: m.Int("min_minutes"), CombinedMinutes: m.Int("combined_minutes"),
		DocsDaysBefore: m.Int("docs_days_before"), PublishWorkdays: m.Int("publish_workdays"),
		ThematicPerQuarter: m.Int("thematic_per_quarter"),
		AbsenceMonths:      m.Int("absence_months"), Consecutive: m.Bool("consecutive"), CombineLapses: m.Bool("combine_lapses"),
		FollowAbsences: m.Int("follow_absences"), RemoteAllowed: m.Bool("remote_allowed"),
		Cite: map[string]string{}, Source: map[string]rulebook.Source{}}
	s.ProbationNum, s.ProbationDen = m.Ratio("probation_removal_vote")
	for _, k := range []string{RuleDay, RuleDuration, RuleDocs, RulePublish, RuleThematic, RuleThreeMonths, RuleRemote, RuleProbation} {
		s.Cite[k], s.Source[k] = m.Cite(k), m.SourceOf(k)
	}
	crit, _ := parseCriteria(q.Text("criteria"))
	s.Rubric = Rubric{ID: q.ID, Name: q.Name, Max: q.Int("max_points"), GoodMin: q.Int("good_min"), FairMin: q.Int("fair_min"),
		AverageMin: q.Int("average_min"), Criteria: crit, Cite: q.Cite("good_min"), Source: q.SourceOf("good_min")}
	s.Cite[RuleRubric], s.Source[RuleRubric] = s.Rubric.Cite, s.Rubric.Source
	return s
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func isHoliday(cal *workday.Calendar, t time.Time) bool {
	for _, h := range cal.Holidays(t.Year()) {
		if h.Date.Equal(t) {
			return true
		}
	}
	return false
}

// holidayRunEnd returns the last day of the run of days off holding t when that run holds a
// holiday (a Sunday that is Tết's first day is off as a weekend, yet a holiday), else zero.
func holidayRunEnd(cal *workday.Calendar, t time.Time) time.Time {
	if cal.IsWorkday(t) {
		return time.Time{}
	}
	a, b := t, t
	for !cal.IsWorkday(a.AddDate(0, 0, -1)) {
		a = a.AddDate(0, 0, -1)
	}
	for !cal.IsWorkday(b.AddDate(0, 0, 1)) {
		b = b.AddDate(0, 0, 1)
	}
	for d := a; !d.After(b); d = d.AddDate(0, 0, 1) {
		if isHoliday(cal, d) {
			return b
		}
	}
	return time.Time{}
}

// Planned returns the day of the regular meeting of month m of year y: the meeting day, moved
// to the day after the holiday when it falls in one (the days off around a holiday with it;
// ordinary weekends are kept: residential cells meet on them). inWindow is false when no day of the first ShiftDays days is free, in
// which case the first free day after the holiday is returned. A set without a meeting day
// plans nothing: ok is false.
func (s Set) Planned(cal *workday.Calendar, y int, m time.Month) (day time.Time, inWindow, ok bool) {
	if s.MeetingDay <= 0 {
		return time.Time{}, false, false
	}
	t := date(y, m, s.MeetingDay)
	if e := holidayRunEnd(cal, t); !e.IsZero() {
		t = e.AddDate(0, 0, 1)
	}
	return t, s.ShiftDays == 0 || t.Day() <= max(s.ShiftDays, s.MeetingDay), true
}

// Due is the last day the regular meeting of the month counts as on time: the planned day or
// the end of the first week, whichever is later; the last day of the month when the cell sets
// its own day.
func (s Set) Due(cal *workday.Calendar, y int, m time.Month) time.Time {
	p, _, ok := s.Planned(cal, y, m)
	if !ok {
		return date(y, m+1, 0)
	}
	if w := date(y, m, max(s.ShiftDays, s.MeetingDay)); w.After(p) {
		return w
	}
	return p
}

// DocsBy is the last day the documents of a meeting held on held may be sent; zero when the set
// has no such rule.
func (s Set) DocsBy(held time.Time) time.Time {
	if s.DocsDaysBefore <= 0 {
		return time.Time{}
	}
	return held.AddDate(0, 0, -s.DocsDaysBefore)
}

// PublishBy is the last day to publish the minutes and resolution of a meeting held on held:
// PublishWorkdays working days after it.
func (s Set) PublishBy(cal *workday.Calendar, held time.Time) time.Time {
	return cal.Add(held, s.PublishWorkdays)
}

// MinDuration is the least duration in minutes of a meeting, regular or joined with a thematic
// one (0: no rule).
func (s Set) MinDuration(combined bool) int {
	if combined {
		return s.CombinedMinutes
	}
	return s.MinMinutes
}

// Quarter is the quarter (1–4) of a month.
func Quarter(m time.Month) int { return (int(m)-1)/3 + 1 }

// LapseKind is why a month counts towards the three-month rule.
type LapseKind string

const (
	LapseAbsence LapseKind = "absence" // bỏ sinh hoạt không có lý do
	LapseDues    LapseKind = "dues"    // không đóng đảng phí
)

// Name is the kind's Vietnamese name.
func (k LapseKind) Name() string {
	switch k {
	case LapseAbsence:
		return "vắng sinh hoạt không có lý do"
	case LapseDues:
		return "không đóng đảng phí"
	}
	return string(k)
}

// Lapse is one month in which a member missed the cell's meeting without a good reason, or did
// not pay dues. The meetings register gives the absences; the dues ledger (internal/rules/dues,
// once it exists) gives the unpaid months through a LapseSource.
type Lapse struct {
	MemberID string    `json:"member_id"`
	Kind     LapseKind `json:"kind"`
	Month    time.Time `json:"month"`  // the first day of the month
	Reason   string    `json:"reason"` // what was recorded at the time
}

// Flag is a member the three-month rule puts before the cell: never a removal, a proposal to
// consider (Charter Art. 8.1).
type Flag struct {
	MemberID string      `json:"member_id"`
	Year     int         `json:"year"`
	Kinds    []LapseKind `json:"kinds"`  // the kinds whose months reached the rule
	Months   []time.Time `json:"months"` // the months counted, in order
	Lapses   []Lapse     `json:"lapses"`
	Cite     string      `json:"cite"`
}

// ThreeMonths applies the Charter's rule to lapses: per member and calendar year, the months
// with a lapse (of each kind apart, or of either kind together when CombineLapses), counted
// consecutive or not as the set says, reaching AbsenceMonths. The set of each year is the one in
// force on its 31 December (or today), which the caller passes.
func (s Set) ThreeMonths(lapses []Lapse) []Flag {
	type key struct {
		member string
		year   int
	}
	by := map[key][]Lapse{}
	var order []key
	for _, l := range lapses {
		k := key{l.MemberID, l.Month.Year()}
		if _, ok := by[k]; !ok {
			order = append(order, k)
		}
		by[k] = append(by[k], l)
	}
	slices.SortFunc(order, func(a, b key) int {
		if c := strings.Compare(a.member, b.member); c != 0 {
			return c
		}
		return a.year - b.year
	})
	var out []Flag
	for _, k := range order {
		ls := by[k]
		slices.SortStableFunc(ls, func(a, b Lapse) int { return a.Month.Compare(b.Month) })
		f := Flag{MemberID: k.member, Year: k.year, Lapses: ls, Cite: s.Cite[RuleThreeMonths]}
		groups := [][]LapseKind{{LapseAbsence}, {LapseDues}}
		if s.CombineLapses {
			groups = [][]LapseKind{{LapseAbsence, LapseDues}}
		}
		months := map[time.Time]bool{}
		for _, g := range groups {
			ms := s.months(ls, g)
			if len(ms) >= s.AbsenceMonths {
				f.Kinds = append(f.Kinds, g...)
				for _, m := range ms {
					months[m] = true
				}
			}
		}
		if len(f.Kinds) == 0 {
			continue
		}
		for m := range months {
			f.Months = append(f.Months, m)
		}
		slices.SortFunc(f.Months, func(a, b time.Time) int { return a.Compare(b) })
		out = append(out, f)
	}
	return out
}

// months returns the distinct months of the lapses of the kinds; when the rule wants them
// consecutive, the longest run (or none shorter than the rule).
func (s Set) months(ls []Lapse, kinds []LapseKind) []time.Time {
	var ms []time.Time
	for _, l := range ls {
		m := date(l.Month.Year(), l.Month.Month(), 1)
		if slices.Contains(kinds, l.Kind) && !slices.ContainsFunc(ms, m.Equal) {
			ms = append(ms, m)
		}
	}
	slices.SortFunc(ms, func(a, b time.Time) int { return a.Compare(b) })
	if !s.Consecutive {
		return ms
	}
	var best, run []time.Time
	for _, m := range ms {
		if len(run) > 0 && !run[len(run)-1].AddDate(0, 1, 0).Equal(m) {
			run = nil
		}
		run = append(run, m)
		if len(run) > len(best) {
			best = slices.Clone(run)
		}
	}
	return best
}

// RemovalPassed reports whether yes votes of the full members remove a probationary member.
func (s Set) RemovalPassed(yes, fullMembers int) bool {
	return fullMembers > 0 && s.ProbationDen*yes >= s.ProbationNum*fullMembers
}

// ResidenceSet is the residence liaison rules in force on a day.
type ResidenceSet struct {
	ID, Name      string
	YearlyComment bool
	// CommentDue is the day of a year by which the residence cell returns its comment.
	DueMonth, DueDay int
	Cite             string
}

// CommentDue is the day by which the comment of year y is due.
func (r ResidenceSet) CommentDue(y int) time.Time { return date(y, time.Month(r.DueMonth), r.DueDay) }

// ResidenceFor returns the residence liaison rules in force on day.
func ResidenceFor(day time.Time) ResidenceSet { return residence.At(day) }

var residence = rulebook.Choose(func(in ...rulebook.InForce) ResidenceSet {
	s := in[0]
	return ResidenceSet{ID: s.ID, Name: s.Name, YearlyComment: s.Bool("yearly_comment"),
		DueMonth: s.Int("comment_due_month"), DueDay: s.Int("comment_due_day"), Cite: s.Cite("yearly_comment")}
}, Residence)
