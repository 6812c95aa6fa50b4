// Package classify provides the rules of the annual review: the catalogue of the 27
// manifestations of Resolution 04-NQ/TW, and the rule sets of evaluation and classification
// (QĐ 132/2018, QĐ 124/2023, QĐ 366/2025, and the unchecked rules before them), each chosen by
// the reviewed period, with its exclusions, automatic "not completed" triggers, quota, points
// bands and approval levels. Thresholds are data (data/rulesets.json) with their source and
// whether they were confirmed from the official text; nothing here reads the database.
package classify

import (
	"bytes"
	"embed"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"dangvu"
)

//go:embed data
var data embed.FS

// Manifestation is one item of Resolution 4's catalogue, in the resolution's order and wording
// (shared/research/rules-verified.md §2).
type Manifestation struct {
	Version string `json:"version"`
	Group   int    `json:"group"`
	Number  int    `json:"number"`
	Label   string `json:"label"`
	Source  string `json:"source"`
	// Confidence is "confirmed" when the wording was read verbatim in a copy of the resolution,
	// "unconfirmed" when only its gist or a part was: the label then ends with "…". Working notes
	// only: forms show the label alone.
	Confidence string `json:"confidence"`
	Confirmed  bool   `json:"confirmed"`
	Wording    string `json:"wording"` // where the wording was read
}

// Code is "group.number", as reviews store it.
func (m Manifestation) Code() string { return fmt.Sprintf("%d.%d", m.Group, m.Number) }

// Groups names the three groups of nine.
var Groups = [3]string{
	"Suy thoái về tư tưởng chính trị",
	"Suy thoái về đạo đức, lối sống",
	"Biểu hiện “tự diễn biến”, “tự chuyển hóa” trong nội bộ",
}

// CurrentCatalogue is the catalogue version reviews use.
const CurrentCatalogue = "04-NQ/TW-2016"

var catalogue = mustCatalogue()

func mustCatalogue() []Manifestation {
	b, err := data.ReadFile("data/manifestations.csv")
	if err != nil {
		panic(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		panic(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	var out []Manifestation
	for _, r := range recs[1:] {
		g, _ := strconv.Atoi(r[col["group"]])
		n, _ := strconv.Atoi(r[col["number"]])
		c := r[col["confidence"]]
		out = append(out, Manifestation{Version: r[col["version"]], Group: g, Number: n, Label: r[col["label"]], Source: r[col["source"]],
			Confidence: c, Confirmed: c == "confirmed", Wording: r[col["wording"]]})
	}
	return out
}

// Catalogue returns the manifestations of a catalogue version, in order.
func Catalogue(version string) []Manifestation {
	var out []Manifestation
	for _, m := range catalogue {
		if m.Version == version {
			out = append(out, m)
		}
	}
	return out
}

// LookupManifestation finds a code ("1.6") in the current catalogue.
func LookupManifestation(code string) (Manifestation, bool) {
	for _, m := range Catalogue(CurrentCatalogue) {
		if m.Code() == code {
			return m, true
		}
	}
	return Manifestation{}, false
}

// Quota caps the excellent ratings: at most Pct % of the number rated Of, counted Per decider
// (the grassroots organisation for members, the level above for organisations).
type Quota struct {
	Pct       int           `json:"pct"`
	Of        dangvu.Rating `json:"of"`
	Per       string        `json:"per"`
	Source    string        `json:"source"`
	Confirmed bool          `json:"confirmed"`
}

// Bands are QĐ 366's points thresholds and conditions.
type Bands struct {
	Excellent         int    `json:"excellent"`
	Good              int    `json:"good"`
	Completed         int    `json:"completed"`
	BeyondPct         int    `json:"beyond_pct"`
	LatePctCollective int    `json:"late_pct_collective"`
	Source            string `json:"source"`
	Description       string `json:"description"`
}

// Criterion is a group of QĐ 366's 100-point scale.
type Criterion struct {
	Code  string `json:"code"`
	Label string `json:"label"`
	Max   int    `json:"max"`
}

// Triggers of an automatic "not completed", as recorded in a review (Trigger) or found in the
// discipline records.
const (
	TriggerDiscipline  = "discipline"  // bị thi hành kỷ luật trong năm
	TriggerDegradation = "degradation" // bị kết luận suy thoái, "tự diễn biến", "tự chuyển hóa"
	TriggerQD37        = "qd37"        // vi phạm những điều đảng viên không được làm
	TriggerExample     = "example"     // vi phạm trách nhiệm nêu gương
)

// TriggerNames names the triggers in Vietnamese.
var TriggerNames = []dangvu.Code[string]{
	{Code: TriggerDiscipline, Name: "Bị thi hành kỷ luật trong kỳ đánh giá"},
	{Code: TriggerDegradation, Name: "Bị cấp có thẩm quyền kết luận suy thoái về tư tưởng chính trị, đạo đức, lối sống, “tự diễn biến”, “tự chuyển hóa”"},
	{Code: TriggerQD37, Name: "Vi phạm những điều đảng viên không được làm (QĐ 37-QĐ/TW)"},
	{Code: TriggerExample, Name: "Vi phạm trách nhiệm nêu gương"},
}

// RuleSet is the rules of one regulation.
type RuleSet struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	Source      string `json:"source"`
	InForceFrom string `json:"in_force_from"` // reviews of periods ending on or after this date
	// Checked is false for the rules before QĐ 132: results are recorded, not checked.
	Checked bool   `json:"checked"`
	Quota   *Quota `json:"quota,omitempty"`
	// RecentMonths: members admitted less than this many months before the period's end are
	// not rated.
	RecentMonths    int      `json:"recent_months"`
	RecentSource    string   `json:"recent_source"`
	RecentConfirmed bool     `json:"recent_confirmed"`
	Triggers        []string `json:"triggers"`
	TriggerSource   string   `json:"trigger_source"`
	// CollectiveSubPct: a collective is not completed when more than this share of its directly
	// subordinate organisations were disciplined in the period (0: no such rule).
	CollectiveSubPct int `json:"collective_sub_pct"`
	// CollectiveExcellentClean: a collective is excellent only if none of its directly
	// subordinate organisations and no member of its leadership was disciplined.
	CollectiveExcellentClean bool        `json:"collective_excellent_clean"`
	CollectiveSource         string      `json:"collective_source"`
	Bands                    *Bands      `json:"bands,omitempty"`
	Criteria                 []Criterion `json:"criteria"`
	CriteriaSource           string      `json:"criteria_source"`
	CriteriaConfirmed        bool        `json:"criteria_confirmed"`
}

var ruleSets = mustRuleSets()

func mustRuleSets() []RuleSet {
	b, err := data.ReadFile("data/rulesets.json")
	if err != nil {
		panic(err)
	}
	var out []RuleSet
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	slices.SortFunc(out, func(a, b RuleSet) int { return cmpString(a.InForceFrom, b.InForceFrom) })
	return out
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// RuleSets lists the rule sets, oldest first.
func RuleSets() []RuleSet { return slices.Clone(ruleSets) }

// ForPeriod returns the rule set for a review of a period ending on periodTo (ISO): the latest in
// force on that day. A review of 2017 (ending 31/12/2017) falls before QĐ 132 (08/3/2018) and is
// recorded unchecked; of 2018–2022 under QĐ 132; of 2023–2024 under QĐ 124 (04/10/2023); from
// the review of 2025 under QĐ 366 (30/8/2025).
func ForPeriod(periodTo string) RuleSet {
	rs := ruleSets[0]
	for _, r := range ruleSets {
		if r.InForceFrom <= periodTo {
			rs = r
		}
	}
	return rs
}

// ByCode finds a rule set.
func ByCode(code string) (RuleSet, bool) {
	for _, r := range ruleSets {
		if r.Code == code {
			return r, true
		}
	}
	return RuleSet{}, false
}

// Facts are what the rules judge about one subject.
type Facts struct {
	Kind       dangvu.SubjectKind
	Status     dangvu.Status // a member's status at the period's end
	AdmittedOn string        // ISO
	PeriodTo   string        // ISO
	Excluded   string        // recorded ground for not rating (e.g. suspended)
	Discipline string        // a discipline decision dated within the period, from the records
	Trigger    string        // a trigger recorded in the review
	TriggerRef string        // the conclusion or decision it rests on
	Points     *int
	OnTime     bool
	BeyondPct  int
	// For organisations and collectives: the directly subordinate organisations, how many of
	// them were disciplined within the period, and how many members of the leadership were.
	SubUnits, SubUnitsDisciplined, LeadersDisciplined int
}

// Outcome is what the rules impose: not rated (Excluded), rated "not completed" (Forced), or a
// best rating the points allow (Ceiling, "" when none); Reasons say why, citing the rule.
type Outcome struct {
	Excluded string
	Forced   dangvu.Rating
	Ceiling  dangvu.Rating
	Reasons  []string
}

// Judge applies the exclusions, triggers and points bands to a subject.
func (rs RuleSet) Judge(f Facts) Outcome {
	var o Outcome
	if !rs.Checked {
		o.Reasons = append(o.Reasons, "Đợt đánh giá theo quy định trước QĐ 132-QĐ/TW: kết quả được ghi nhận, không kiểm tra.")
		return o
	}
	if f.Kind.IsPerson() {
		source := ""
		switch {
		case f.Excluded != "":
			o.Excluded, source = f.Excluded, "ghi trong biên bản"
		case f.Status == dangvu.StatusExempt:
			o.Excluded, source = "Được miễn công tác và sinh hoạt đảng", rs.Name+": đảng viên được miễn công tác và sinh hoạt đảng không đánh giá, xếp loại"
		case rs.RecentMonths > 0 && f.AdmittedOn != "" && f.PeriodTo != "" && monthsBefore(f.AdmittedOn, f.PeriodTo, rs.RecentMonths):
			o.Excluded = fmt.Sprintf("Kết nạp ngày %s, chưa đủ %d tháng đến cuối kỳ đánh giá", vnDate(f.AdmittedOn), rs.RecentMonths)
			source = rs.RecentSource
		}
		if o.Excluded != "" {
			o.Reasons = append(o.Reasons, "Không xếp loại: "+o.Excluded+" ("+source+").")
			return o
		}
	}
	if f.Discipline != "" && slices.Contains(rs.Triggers, TriggerDiscipline) {
		o.Forced = dangvu.RatingNotCompleted
		o.Reasons = append(o.Reasons, "Bị thi hành kỷ luật trong kỳ: "+f.Discipline+" ("+rs.TriggerSource+").")
	}
	if f.Trigger != "" {
		if slices.Contains(rs.Triggers, f.Trigger) {
			o.Forced = dangvu.RatingNotCompleted
			ref := ""
			if f.TriggerRef != "" {
				ref = ": " + f.TriggerRef
			}
			o.Reasons = append(o.Reasons, dangvu.CodeName(TriggerNames, f.Trigger)+ref+" ("+rs.TriggerSource+").")
		}
	}
	if !f.Kind.IsPerson() {
		if rs.CollectiveSubPct > 0 && f.SubUnits > 0 && f.SubUnitsDisciplined*100 > rs.CollectiveSubPct*f.SubUnits {
			o.Forced = dangvu.RatingNotCompleted
			o.Reasons = append(o.Reasons, fmt.Sprintf("%d trên %d tổ chức trực thuộc bị kỷ luật trong kỳ, quá %d%% (%s).", f.SubUnitsDisciplined, f.SubUnits, rs.CollectiveSubPct, rs.CollectiveSource))
		}
		if rs.CollectiveExcellentClean && f.SubUnitsDisciplined+f.LeadersDisciplined > 0 {
			o.Ceiling = dangvu.RatingGood
			o.Reasons = append(o.Reasons, fmt.Sprintf("Có %d tổ chức trực thuộc và %d thành viên lãnh đạo bị kỷ luật trong kỳ: không được \"Hoàn thành xuất sắc nhiệm vụ\" (%s).", f.SubUnitsDisciplined, f.LeadersDisciplined, rs.CollectiveSource))
		}
	}
	if rs.Bands != nil && f.Points != nil {
		b, p := rs.Bands, *f.Points
		switch {
		case p < b.Completed:
			o.Forced = dangvu.RatingNotCompleted
			o.Reasons = append(o.Reasons, fmt.Sprintf("Đạt %d điểm, dưới %d điểm (%s).", p, b.Completed, b.Source))
		case p >= b.Excellent && f.OnTime && f.BeyondPct >= b.BeyondPct:
			o.Ceiling = lower(o.Ceiling, dangvu.RatingExcellent)
		case p >= b.Good && f.OnTime:
			o.Ceiling = lower(o.Ceiling, dangvu.RatingGood)
			if p >= b.Excellent {
				o.Reasons = append(o.Reasons, fmt.Sprintf("Đạt %d điểm nhưng chưa đủ %d%% nhiệm vụ vượt yêu cầu: tối đa \"Hoàn thành tốt nhiệm vụ\".", p, b.BeyondPct))
			}
		default:
			o.Ceiling = lower(o.Ceiling, dangvu.RatingCompleted)
			o.Reasons = append(o.Reasons, fmt.Sprintf("Đạt %d điểm%s: tối đa \"Hoàn thành nhiệm vụ\" (%s).", p, map[bool]string{true: "", false: ", chưa hoàn thành 100% nhiệm vụ đúng hạn"}[f.OnTime || p < b.Good], b.Source))
		}
	}
	return o
}

// lower returns the worse of two ceilings ("" is none).
func lower(a, b dangvu.Rating) dangvu.Rating {
	if a == "" || b.Rank() > a.Rank() {
		return b
	}
	return a
}

// Check refuses a rating the outcome does not allow, explaining why ("" when allowed).
func (o Outcome) Check(r dangvu.Rating) string {
	switch {
	case r == "":
		return ""
	case o.Excluded != "":
		return "không xếp loại: " + o.Excluded
	case o.Forced != "" && r != o.Forced:
		return "phải xếp loại \"" + dangvu.CodeName(dangvu.Ratings, o.Forced) + "\": " + joinReasons(o.Reasons)
	case o.Ceiling != "" && r.Rank() < o.Ceiling.Rank():
		return "theo điểm chỉ được tối đa \"" + dangvu.CodeName(dangvu.Ratings, o.Ceiling) + "\": " + joinReasons(o.Reasons)
	}
	return ""
}

func joinReasons(rs []string) string {
	var b bytes.Buffer
	for i, r := range rs {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString(r)
	}
	return b.String()
}

// QuotaError checks one decider's final ratings against the quota, "" when within it.
func (rs RuleSet) QuotaError(counts map[dangvu.Rating]int) string {
	q := rs.Quota
	if !rs.Checked || q == nil {
		return ""
	}
	exc, base := counts[dangvu.RatingExcellent], counts[q.Of]
	if exc*100 <= q.Pct*base {
		return ""
	}
	return fmt.Sprintf("%d \"Hoàn thành xuất sắc nhiệm vụ\" vượt quá %d%% của %d \"%s\" (tối đa %d) — %s",
		exc, q.Pct, base, dangvu.CodeName(dangvu.Ratings, q.Of), q.Pct*base/100, q.Source)
}

// Approver says which level decides a subject's rating, by the level of the organisation
// concerned (the member's or the reviewed one) — the approval levels of QĐ 132 Art. 7 and its
// successors as domain.md §6 summarises them: the grassroots committee decides for its members
// and cells; the level above decides for grassroots organisations and higher; leadership
// collectives and leading cadres are decided by the level that manages them.
func Approver(kind dangvu.SubjectKind, level dangvu.Level) string {
	switch kind {
	case dangvu.SubjectMember:
		return "Cấp ủy cơ sở quyết định (chi bộ họp góp ý, đề xuất)"
	case dangvu.SubjectOrg:
		if level == dangvu.LevelCell || level == dangvu.LevelPartialCommittee {
			return "Cấp ủy cơ sở quyết định"
		}
		return "Cấp ủy cấp trên trực tiếp quyết định"
	}
	return "Cấp ủy quản lý theo phân cấp quyết định"
}

func monthsBefore(admitted, periodTo string, months int) bool {
	a, err1 := dangvu.ParseISODate(admitted)
	t, err2 := dangvu.ParseISODate(periodTo)
	if err1 != nil || err2 != nil {
		return false
	}
	return a.AddDate(0, months, 0).After(t)
}

func vnDate(iso string) string {
	t, err := dangvu.ParseISODate(iso)
	if err != nil {
		return iso
	}
	return t.Format("02/01/2006")
}
