// Package review provides the rules of the annual review: the catalogue of the 27
// manifestations of Resolution 04-NQ/TW, and the rule sets of evaluation and classification
// (QĐ 132/2018, QĐ 124/2023, QĐ 366/2025, and the unchecked rules before them), each chosen by
// the reviewed period, with its exclusions, automatic "not completed" triggers, quota, points
// bands and approval levels. Thresholds are data (data/rulesets.json) with their source and
// whether they were confirmed from the official text; nothing here reads the database. Like every
// package under internal/rules it exposes For(day) → Set and reports rulebook.Problem
// (docs/rules.md); the outcome of a review and the quota, which explain several rules at once,
// are sentences.
package review

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/rulebook"
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

// Reviews is the rule area of the annual review: one set per regulation (QĐ 132, 124, 366 and
// the unchecked rules before them), chosen by the end of the reviewed period.
var Reviews = &rulebook.Area{
	Name: "reviews", Label: "Kiểm điểm, đánh giá, xếp loại chất lượng", Files: sub("reviews"),
	Keys: []rulebook.Key{
		{Name: "checked", Kind: rulebook.Bool, Label: "Kiểm tra kết quả theo quy định"},
		{Name: "quota_pct", Kind: rulebook.Int, Label: "Tỷ lệ tối đa \"Hoàn thành xuất sắc nhiệm vụ\" trên số \"Hoàn thành tốt nhiệm vụ\" (%; 0 = không áp dụng)"},
		{Name: "quota_scope", Kind: rulebook.Text, Label: "Phạm vi tính tỷ lệ (decider: theo cấp quyết định; peer_group: theo nhóm đối tượng tương đồng trong cấp quyết định)"},
		{Name: "quota_exception_pct", Kind: rulebook.Int, Label: "Tỷ lệ tối đa khi cấp có thẩm quyền cho phép với đơn vị có kết quả nổi bật, đột phá (%; 0 = không có)"},
		{Name: "recent_months", Kind: rulebook.Int, Label: "Đảng viên mới kết nạp chưa đủ số tháng này đến cuối kỳ thì không xếp loại (0 = không áp dụng)"},
		{Name: "triggers_member", Kind: rulebook.Text, Label: "Căn cứ xếp loại \"Không hoàn thành nhiệm vụ\": đảng viên"},
		{Name: "triggers_cadre", Kind: rulebook.Text, Label: "Căn cứ xếp loại \"Không hoàn thành nhiệm vụ\": cán bộ lãnh đạo, quản lý"},
		{Name: "triggers_collective", Kind: rulebook.Text, Label: "Căn cứ xếp loại \"Không hoàn thành nhiệm vụ\": tổ chức đảng, tập thể lãnh đạo"},
		{Name: "discipline_duty_only", Kind: rulebook.Bool, Label: "Với đảng viên, chỉ tính kỷ luật do vi phạm liên quan đến hoạt động công vụ"},
		{Name: "collective_sub_pct", Kind: rulebook.Int, Label: "Tập thể không hoàn thành nhiệm vụ khi quá tỷ lệ này tổ chức trực thuộc bị kỷ luật (%; 0 = không áp dụng)"},
		{Name: "collective_excellent_clean", Kind: rulebook.Bool, Label: "Tập thể chỉ được \"xuất sắc\" khi không có tổ chức trực thuộc, thành viên tập thể lãnh đạo bị kỷ luật"},
		{Name: "points_excellent", Kind: rulebook.Int, Label: "Điểm tối thiểu \"Hoàn thành xuất sắc nhiệm vụ\" (0 = không chấm điểm)"},
		{Name: "points_good", Kind: rulebook.Int, Label: "Điểm tối thiểu \"Hoàn thành tốt nhiệm vụ\""},
		{Name: "points_completed", Kind: rulebook.Int, Label: "Điểm tối thiểu \"Hoàn thành nhiệm vụ\""},
		{Name: "beyond_pct", Kind: rulebook.Int, Label: "Tỷ lệ nhiệm vụ vượt yêu cầu để được \"xuất sắc\" (%)"},
		{Name: "late_pct", Kind: rulebook.Int, Label: "Tỷ lệ nhiệm vụ chậm tiến độ tối đa để được \"Hoàn thành nhiệm vụ\" (%; 0 = không áp dụng)"},
		{Name: "remedied_previous", Kind: rulebook.Bool, Label: "\"Xuất sắc\" cần khắc phục 100% hạn chế, khuyết điểm đã chỉ ra"},
	},
	CheckValue: checkReviewValue,
}

// Criteria is the rule area of QĐ 366's 100-point sheet: groups ("general" 30, "tasks" 70) and
// the sub-items a province sets ("general.politics"), each with its maximum.
var Criteria = &rulebook.Area{
	Name: "review_criteria", Label: "Khung tiêu chí chấm điểm đánh giá, xếp loại", Files: sub("review_criteria"),
	CheckValue: func(_ *rulebook.Set, v rulebook.Value) error {
		if !criterionKey.MatchString(v.Key) {
			return fmt.Errorf("mã tiêu chí %q không hợp lệ: nhóm (general, tasks…) hoặc nhóm.tiêu_chí, chữ thường không dấu", v.Key)
		}
		if n, err := strconv.Atoi(v.Text); err != nil || n <= 0 || n > 100 {
			return fmt.Errorf("điểm tối đa %q của %s phải là số từ 1 đến 100", v.Text, v.Key)
		}
		if v.Label == "" {
			return fmt.Errorf("tiêu chí %s cần tên (cột label)", v.Key)
		}
		return nil
	},
}

// MustNot is the rule area of what members must not do (QĐ 47 → 37 → 207-QĐ/TW): a breach is a
// ground for "not completed" under QĐ 124 and QĐ 366, citing the regulation in force.
var MustNot = &rulebook.Area{
	Name: "must_not", Label: "Những điều đảng viên không được làm", Files: sub("must_not"),
	Keys: []rulebook.Key{{Name: "regulation", Kind: rulebook.Text, Label: "Quy định áp dụng"}},
}

var criterionKey = regexp.MustCompile(`^[a-z_]+(\.[a-z0-9_]+)?$`)

func checkReviewValue(_ *rulebook.Set, v rulebook.Value) error {
	switch v.Key {
	case "quota_scope":
		if v.Text != ScopeDecider && v.Text != ScopePeerGroup {
			return fmt.Errorf("phạm vi %q không hợp lệ: decider hoặc peer_group", v.Text)
		}
	case "triggers_member", "triggers_cadre", "triggers_collective":
		for _, c := range splitList(v.Text) {
			if !dangvu.ValidCode(TriggerNames, c) {
				return fmt.Errorf("căn cứ %q không có; dùng %s (phân cách bằng dấu ;) hoặc \"không\"", c, triggerCodes())
			}
		}
	}
	return nil
}

func triggerCodes() string {
	var out []string
	for _, t := range TriggerNames {
		out = append(out, t.Code)
	}
	return strings.Join(out, ", ")
}

// splitList reads "a;b;c" ("không" or empty: none).
func splitList(s string) []string {
	var out []string
	if strings.EqualFold(strings.TrimSpace(s), "không") {
		return nil
	}
	for _, x := range strings.Split(s, ";") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func sub(dir string) fs.FS { return rulebook.Embedded(data, dir) }

// Quota scopes: counted among the ratings one decider gives (QĐ 132: each grassroots
// organisation), or within each group of subjects with similar roles and tasks of that decider
// (QĐ 124 Điều 12; QĐ 366 Điều 11 khoản 1 điểm 1.5).
const (
	ScopeDecider   = "decider"
	ScopePeerGroup = "peer_group"
)

// Quota caps the excellent ratings: at most Pct % of the number rated Of, counted by Scope;
// ExceptionPct (0: none) when the competent level allows it for an outstanding unit.
type Quota struct {
	Pct          int           `json:"pct"`
	ExceptionPct int           `json:"exception_pct,omitempty"`
	Of           dangvu.Rating `json:"of"`
	Scope        string        `json:"scope"`
	Source       string        `json:"source"`
}

// Bands are QĐ 366's points thresholds and conditions.
type Bands struct {
	Excellent        int    `json:"excellent"`
	Good             int    `json:"good"`
	Completed        int    `json:"completed"`
	BeyondPct        int    `json:"beyond_pct"`
	LatePct          int    `json:"late_pct"` // at most this share of tasks behind for "completed" (members and collectives)
	RemediedPrevious bool   `json:"remedied_previous"`
	Source           string `json:"source"`
	LateSource       string `json:"late_source"`
	RemediedSource   string `json:"remedied_source"`
}

// Criterion is one line of QĐ 366's 100-point sheet that a member scores: a group not divided
// by the province, or one of its sub-items.
type Criterion struct {
	Code  string `json:"code"`
	Label string `json:"label"`
	Max   int    `json:"max"`
	Group string `json:"group"` // the group's label
}

// Triggers of an automatic "not completed", as recorded in a review (Trigger) or found in the
// discipline records.
const (
	TriggerDiscipline        = "discipline"         // bị thi hành kỷ luật trong kỳ
	TriggerDegradation       = "degradation"        // bị kết luận suy thoái, "tự diễn biến", "tự chuyển hóa"
	TriggerQD37              = "qd37"               // vi phạm những điều đảng viên không được làm (QĐ 47, 37, 207 by date)
	TriggerExample           = "example"            // vi phạm trách nhiệm nêu gương
	TriggerTasksUnder50      = "tasks_under_50"     // hoàn thành dưới 50% chỉ tiêu, nhiệm vụ
	TriggerCivilServant      = "civil_servant"      // công chức, viên chức xếp loại "không hoàn thành nhiệm vụ"
	TriggerUnder70           = "under_70"           // lãnh đạo, tập thể: dưới 70% chỉ tiêu, nhiệm vụ
	TriggerLowConfidence     = "low_confidence"     // trên 50% phiếu tín nhiệm thấp
	TriggerUnitCorruption    = "unit_corruption"    // tham nhũng, tiêu cực trong đơn vị quản lý
	TriggerCadreWork         = "cadre_work"         // vi phạm trong công tác cán bộ, mất đoàn kết, chạy chức chạy quyền
	TriggerMemberDiscipline  = "member_discipline"  // tập thể có thành viên bị kỷ luật về chức trách, nhiệm vụ
	TriggerMemberDegradation = "member_degradation" // tập thể có thành viên suy thoái
	TriggerDisunity          = "disunity"           // nội bộ mất đoàn kết
)

// TriggerNames names the triggers in Vietnamese.
var TriggerNames = []dangvu.Code[string]{
	{Code: TriggerDiscipline, Name: "Bị thi hành kỷ luật trong kỳ đánh giá"},
	{Code: TriggerDegradation, Name: "Bị cấp có thẩm quyền kết luận suy thoái về tư tưởng chính trị, đạo đức, lối sống, “tự diễn biến”, “tự chuyển hóa”"},
	{Code: TriggerQD37, Name: "Vi phạm những điều đảng viên không được làm"},
	{Code: TriggerExample, Name: "Vi phạm trách nhiệm nêu gương"},
	{Code: TriggerTasksUnder50, Name: "Hoàn thành dưới 50% chỉ tiêu, nhiệm vụ (trên 50% nhiệm vụ không hoàn thành)"},
	{Code: TriggerCivilServant, Name: "Là cán bộ, công chức, viên chức bị đánh giá, xếp loại “Không hoàn thành nhiệm vụ”"},
	{Code: TriggerUnder70, Name: "Hoàn thành dưới 70% chỉ tiêu, nhiệm vụ hoặc chỉ tiêu kinh tế - xã hội chủ yếu"},
	{Code: TriggerLowConfidence, Name: "Trên 50% phiếu tín nhiệm thấp"},
	{Code: TriggerUnitCorruption, Name: "Để xảy ra tham nhũng, tiêu cực trong cơ quan, đơn vị do mình quản lý, phụ trách"},
	{Code: TriggerCadreWork, Name: "Vi phạm trong công tác cán bộ; mất đoàn kết nội bộ; để xảy ra “chạy chức, chạy quyền”"},
	{Code: TriggerMemberDiscipline, Name: "Có thành viên bị kỷ luật do vi phạm liên quan đến thực hiện chức trách, nhiệm vụ"},
	{Code: TriggerMemberDegradation, Name: "Có thành viên bị kết luận suy thoái về tư tưởng chính trị, đạo đức, lối sống"},
	{Code: TriggerDisunity, Name: "Nội bộ mất đoàn kết"},
}

// Subject classes of the trigger lists.
const (
	ClassMember     = "member"
	ClassCadre      = "cadre"
	ClassCollective = "collective"
)

func classOf(k dangvu.SubjectKind) string {
	switch k {
	case dangvu.SubjectCadre:
		return ClassCadre
	case dangvu.SubjectOrg, dangvu.SubjectCollective:
		return ClassCollective
	}
	return ClassMember
}

// Set is the rules of one regulation, read from the data files: For(day) gives the one for a
// review of a period ending that day.
type Set struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	Source      string `json:"source"`
	InForceFrom string `json:"in_force_from"` // reviews of periods ending on or after this date
	// Checked is false for the rules before QĐ 132: results are recorded, not checked.
	Checked bool   `json:"checked"`
	Quota   *Quota `json:"quota,omitempty"`
	// RecentMonths: members admitted less than this many months before the period's end are
	// not rated.
	RecentMonths int    `json:"recent_months"`
	RecentSource string `json:"recent_source"`
	// Triggers by subject class (member, cadre, collective), with their sources.
	Triggers      map[string][]string `json:"triggers"`
	TriggerSource map[string]string   `json:"trigger_source"`
	// DisciplineDutyOnly: for members, only discipline for a duty-related violation counts; the
	// records do not say so, the meeting records the trigger.
	DisciplineDutyOnly bool   `json:"discipline_duty_only"`
	DutySource         string `json:"duty_source,omitempty"`
	// CollectiveSubPct: a collective is not completed when more than this share of its directly
	// subordinate organisations were disciplined in the period (0: no such rule).
	CollectiveSubPct int    `json:"collective_sub_pct"`
	SubPctSource     string `json:"sub_pct_source,omitempty"`
	// CollectiveExcellentClean: a collective is excellent only if none of its directly
	// subordinate organisations and no member of its leadership was disciplined.
	CollectiveExcellentClean bool        `json:"collective_excellent_clean"`
	CollectiveSource         string      `json:"collective_source"`
	Bands                    *Bands      `json:"bands,omitempty"`
	Criteria                 []Criterion `json:"criteria"`
	CriteriaSource           string      `json:"criteria_source"`
	// CriteriaError is set when the sheet in force is inconsistent (sub-items that do not add
	// up to their group): self-reviews with points are refused with it.
	CriteriaError string `json:"criteria_error,omitempty"`
	set           *rulebook.Set
}

// Cite is the citation of one value of the set, with its confidence mark where not confirmed.
func (rs Set) Cite(key string) string { return rs.SourceOf(key).String() }

// SourceOf is the source of one value of the set (the set's name when it has none).
func (rs Set) SourceOf(key string) rulebook.Source {
	if rs.set == nil {
		return rulebook.Source{Citation: rs.Name}
	}
	return rs.set.SourceOf(key)
}

func fromSet(s *rulebook.Set) Set {
	rs := Set{Code: s.ID, Name: s.Name, Source: s.Source.Citation, InForceFrom: dangvu.ISO(s.From), set: s,
		Checked: s.Bool("checked"), RecentMonths: s.Int("recent_months"), RecentSource: s.Cite("recent_months"),
		Triggers: map[string][]string{}, TriggerSource: map[string]string{},
		DisciplineDutyOnly: s.Bool("discipline_duty_only"), DutySource: s.Cite("discipline_duty_only"),
		CollectiveSubPct: s.Int("collective_sub_pct"), SubPctSource: s.Cite("collective_sub_pct"),
		CollectiveExcellentClean: s.Bool("collective_excellent_clean"), CollectiveSource: s.Cite("collective_excellent_clean")}
	for _, c := range []string{ClassMember, ClassCadre, ClassCollective} {
		rs.Triggers[c] = splitList(s.Text("triggers_" + c))
		rs.TriggerSource[c] = s.Cite("triggers_" + c)
	}
	if p := s.Int("quota_pct"); p > 0 {
		rs.Quota = &Quota{Pct: p, ExceptionPct: s.Int("quota_exception_pct"), Of: dangvu.RatingGood, Scope: s.Text("quota_scope"), Source: s.Cite("quota_pct")}
		if rs.Quota.Scope == ScopePeerGroup {
			rs.Quota.Source += "; " + s.Cite("quota_scope")
		}
	}
	if e := s.Int("points_excellent"); e > 0 {
		rs.Bands = &Bands{Excellent: e, Good: s.Int("points_good"), Completed: s.Int("points_completed"), BeyondPct: s.Int("beyond_pct"),
			LatePct: s.Int("late_pct"), RemediedPrevious: s.Bool("remedied_previous"),
			Source: s.Cite("points_excellent"), LateSource: s.Cite("late_pct"), RemediedSource: s.Cite("remedied_previous")}
	}
	return rs
}

// withCriteria fills the 100-point sheet in force on day, for a set that scores points.
func (rs Set) withCriteria(day time.Time) Set {
	if rs.Bands == nil {
		return rs
	}
	b := Criteria.Book()
	s, ok := b.For(day)
	if !ok {
		return rs
	}
	rs.CriteriaSource = s.Source.Citation
	groups := map[string]rulebook.Value{}
	subs := map[string]int{}
	for _, v := range s.Values {
		if g, _, ok := strings.Cut(v.Key, "."); ok {
			subs[g] += atoi(v.Text)
		} else {
			groups[v.Key] = v
		}
	}
	// In the sheet's order of groups, each group replaced by its sub-items when it has any.
	total := 0
	for _, v := range s.Values {
		if _, _, isSub := strings.Cut(v.Key, "."); isSub {
			if g, _, _ := strings.Cut(v.Key, "."); groups[g].Key == "" {
				rs.CriteriaError = fmt.Sprintf("tiêu chí %s thuộc nhóm %q không có trong khung tiêu chí %s", v.Key, g, s.ID)
			}
			continue
		}
		if subs[v.Key] == 0 {
			rs.Criteria = append(rs.Criteria, Criterion{Code: v.Key, Label: v.Label, Max: atoi(v.Text), Group: v.Label})
			total += atoi(v.Text)
			continue
		}
		if subs[v.Key] != atoi(v.Text) {
			rs.CriteriaError = fmt.Sprintf("khung tiêu chí %s: các tiêu chí thành phần của nhóm %q cộng lại %d điểm, nhóm có %s điểm", s.ID, v.Label, subs[v.Key], v.Text)
		}
		for _, x := range s.Values {
			if g, _, ok := strings.Cut(x.Key, "."); ok && g == v.Key {
				rs.Criteria = append(rs.Criteria, Criterion{Code: x.Key, Label: x.Label, Max: atoi(x.Text), Group: v.Label})
				total += atoi(x.Text)
			}
		}
	}
	if rs.CriteriaError == "" && total != 100 && len(groups) > 0 {
		rs.CriteriaError = fmt.Sprintf("khung tiêu chí %s cộng lại %d điểm, cần 100", s.ID, total)
	}
	return rs
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// Sets lists the rule sets, oldest first, with the criteria in force from each set's start.
func Sets() []Set {
	out := sets.All()
	for i := range out {
		out[i] = out[i].withCriteria(out[i].set.From)
	}
	return out
}

// For returns the rule set for a review of a period ending on day: the latest in force on that
// day (the oldest before them all). A review of 2017 (ending 31/12/2017) falls before QĐ 132
// (08/3/2018) and is recorded unchecked; of 2018–2022 under QĐ 132; of 2023–2024 under QĐ 124
// (04/10/2023); from the review of 2025 under QĐ 366 (30/8/2025).
func For(day time.Time) Set { return sets.At(day).withCriteria(day) }

// sets chooses the review set; the criteria sheet is the one in force on the day itself
// (withCriteria), none before the first.
var sets = rulebook.Choose(func(in ...rulebook.InForce) Set { return fromSet(in[0].Set) }, Reviews)

// ByCode finds a rule set, with the criteria in force from its start.
func ByCode(code string) (Set, bool) {
	s, ok := Reviews.Book().ByID(code)
	if !ok {
		return Set{}, false
	}
	return fromSet(s).withCriteria(s.From), true
}

// ForCampaign is the rule set a campaign recorded (c.RuleSet), with the criteria sheet in force
// at the end of its period; For(the period's end) when the code is unknown.
func ForCampaign(c dangvu.Campaign) Set {
	end := c.To.Time
	s, ok := Reviews.Book().ByID(c.RuleSet)
	if !ok {
		return For(end)
	}
	return fromSet(s).withCriteria(end)
}

// MustNotOn names the regulation on what members must not do in force on day, with its set's
// name, citation and confidence mark; "" before any.
func MustNotOn(day time.Time) (name, cite string) {
	s, ok := MustNot.Book().For(day)
	if !ok {
		return "", ""
	}
	return s.Text("regulation"), s.Name + " — " + s.Cite("regulation")
}

// Facts are what the rules judge about one subject.
type Facts struct {
	Kind       dangvu.SubjectKind
	Status     dangvu.Status // a member's status at the period's end
	AdmittedOn dangvu.Date
	PeriodFrom dangvu.Date
	PeriodTo   dangvu.Date
	Excluded   string // recorded ground for not rating (e.g. suspended)
	Discipline string // a discipline decision dated within the period, from the records
	Trigger    string // a trigger recorded in the review
	TriggerRef string // the conclusion or decision it rests on
	Points     *int
	OnTime     bool
	BeyondPct  int
	LatePct    int // share of tasks behind schedule
	// PreviousOpen counts the shortcomings pointed out in the previous review whose remedies were
	// not done by this period's end (QĐ 366: "excellent" needs all of them remedied).
	PreviousOpen int
	// For organisations and collectives: the directly subordinate organisations, how many of
	// them were disciplined within the period, and how many members of the leadership were.
	SubUnits, SubUnitsDisciplined, LeadersDisciplined int
}

// Outcome is what the rules impose: not rated (Excluded), rated "not completed" (Forced), or a
// best rating the points allow (Ceiling, "" when none); Reasons say why, citing the rule.
type Outcome struct {
	Excluded string        `json:"excluded"`
	Forced   dangvu.Rating `json:"forced"`
	Ceiling  dangvu.Rating `json:"ceiling"`
	Reasons  []string      `json:"reasons"`
}

// TriggerReason names a trigger for a review of the period [from, to]: a breach of what members
// must not do names the regulation(s) in force during the period (QĐ 37, from 26/7/2026 QĐ 207).
func TriggerReason(code string, from, to dangvu.Date) string {
	name := dangvu.CodeName(TriggerNames, code)
	if code != TriggerQD37 || to.IsZero() {
		return name
	}
	last, cite := MustNotOn(to.Time)
	if !from.IsZero() {
		if first, _ := MustNotOn(from.Time); first != "" && first != last {
			return name + " (" + first + "; " + cite + ")"
		}
	}
	return name + " (" + cite + ")"
}

// Judge applies the exclusions, triggers and points bands to a subject.
func (rs Set) Judge(f Facts) Outcome {
	var o Outcome
	if !rs.Checked {
		o.Reasons = append(o.Reasons, "Đợt đánh giá theo quy định trước QĐ 132-QĐ/TW: kết quả được ghi nhận, không kiểm tra ("+rs.Cite("checked")+").")
		return o
	}
	if f.Kind.IsPerson() {
		source := ""
		switch {
		case f.Excluded != "":
			o.Excluded, source = f.Excluded, "ghi trong biên bản — "+rs.Name
		case f.Status == dangvu.StatusExempt:
			o.Excluded, source = "Được miễn công tác và sinh hoạt đảng", rs.Name+" — "+rs.RecentSource
		case rs.RecentMonths > 0 && !f.AdmittedOn.IsZero() && !f.PeriodTo.IsZero() && f.AdmittedOn.AddDate(0, rs.RecentMonths, 0).After(f.PeriodTo):
			o.Excluded = fmt.Sprintf("Kết nạp ngày %s, chưa đủ %d tháng đến cuối kỳ đánh giá", f.AdmittedOn.Format("02/01/2006"), rs.RecentMonths)
			source = rs.Name + " — " + rs.RecentSource
		}
		if o.Excluded != "" {
			o.Reasons = append(o.Reasons, "Không xếp loại: "+o.Excluded+" ("+source+").")
			return o
		}
	}
	class := classOf(f.Kind)
	triggers, tsource := rs.Triggers[class], rs.Name+" — "+rs.TriggerSource[class]
	recorded := f.Trigger == TriggerDiscipline
	if (f.Discipline != "" || recorded) && slices.Contains(triggers, TriggerDiscipline) {
		what := f.Discipline
		if what == "" {
			what = "ghi trong phiếu: " + f.TriggerRef
		}
		if rs.DisciplineDutyOnly && class == ClassMember && !recorded {
			// The records do not say whether the violation concerned the member's duties.
			o.Reasons = append(o.Reasons, "Có quyết định kỷ luật trong kỳ ("+what+"): chỉ xếp loại \"Không hoàn thành nhiệm vụ\" khi vi phạm liên quan đến hoạt động công vụ; nếu đúng, chi bộ ghi căn cứ kỷ luật ("+rs.Name+" — "+rs.DutySource+").")
		} else {
			o.Forced = dangvu.RatingNotCompleted
			o.Reasons = append(o.Reasons, "Bị thi hành kỷ luật trong kỳ: "+what+" ("+tsource+").")
		}
	}
	if f.Trigger != "" && !recorded {
		if slices.Contains(triggers, f.Trigger) {
			o.Forced = dangvu.RatingNotCompleted
			ref := ""
			if f.TriggerRef != "" {
				ref = ": " + f.TriggerRef
			}
			o.Reasons = append(o.Reasons, TriggerReason(f.Trigger, f.PeriodFrom, f.PeriodTo)+ref+" ("+tsource+").")
		}
	}
	if !f.Kind.IsPerson() {
		if rs.CollectiveSubPct > 0 && f.SubUnits > 0 && f.SubUnitsDisciplined*100 > rs.CollectiveSubPct*f.SubUnits {
			o.Forced = dangvu.RatingNotCompleted
			o.Reasons = append(o.Reasons, fmt.Sprintf("%d trên %d tổ chức trực thuộc bị kỷ luật trong kỳ, quá %d%% (%s — %s).", f.SubUnitsDisciplined, f.SubUnits, rs.CollectiveSubPct, rs.Name, rs.SubPctSource))
		}
		if rs.CollectiveExcellentClean && f.SubUnitsDisciplined+f.LeadersDisciplined > 0 {
			o.Ceiling = dangvu.RatingGood
			o.Reasons = append(o.Reasons, fmt.Sprintf("Có %d tổ chức trực thuộc và %d thành viên lãnh đạo bị kỷ luật trong kỳ: không được \"Hoàn thành xuất sắc nhiệm vụ\" (%s — %s).", f.SubUnitsDisciplined, f.LeadersDisciplined, rs.Name, rs.CollectiveSource))
		}
	}
	if rs.Bands != nil && f.Points != nil {
		b, p := rs.Bands, *f.Points
		src := rs.Name + " — " + b.Source
		excellentOK := f.OnTime && f.BeyondPct >= b.BeyondPct && !(b.RemediedPrevious && f.PreviousOpen > 0)
		switch {
		case p < b.Completed:
			o.Forced = dangvu.RatingNotCompleted
			o.Reasons = append(o.Reasons, fmt.Sprintf("Đạt %d điểm, dưới %d điểm (%s).", p, b.Completed, src))
		case b.LatePct > 0 && !f.OnTime && f.LatePct > b.LatePct:
			o.Forced = dangvu.RatingNotCompleted
			o.Reasons = append(o.Reasons, fmt.Sprintf("%d%% nhiệm vụ chậm tiến độ, quá %d%%: không đạt \"Hoàn thành nhiệm vụ\" (%s — %s).", f.LatePct, b.LatePct, rs.Name, b.LateSource))
		case p >= b.Excellent && excellentOK:
			o.Ceiling = lower(o.Ceiling, dangvu.RatingExcellent)
		case p >= b.Good && f.OnTime:
			o.Ceiling = lower(o.Ceiling, dangvu.RatingGood)
			switch {
			case p >= b.Excellent && f.BeyondPct < b.BeyondPct:
				o.Reasons = append(o.Reasons, fmt.Sprintf("Đạt %d điểm nhưng chưa đủ %d%% nhiệm vụ vượt yêu cầu: tối đa \"Hoàn thành tốt nhiệm vụ\" (%s).", p, b.BeyondPct, src))
			case p >= b.Excellent:
				o.Reasons = append(o.Reasons, fmt.Sprintf("Đạt %d điểm nhưng còn %d hạn chế, khuyết điểm đã chỉ ra ở kỳ trước chưa khắc phục: tối đa \"Hoàn thành tốt nhiệm vụ\" (%s — %s).", p, f.PreviousOpen, rs.Name, b.RemediedSource))
			}
		default:
			o.Ceiling = lower(o.Ceiling, dangvu.RatingCompleted)
			o.Reasons = append(o.Reasons, fmt.Sprintf("Đạt %d điểm%s: tối đa \"Hoàn thành nhiệm vụ\" (%s).", p, map[bool]string{true: "", false: ", chưa hoàn thành 100% nhiệm vụ đúng hạn"}[f.OnTime || p < b.Good], src))
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
		return "không xếp loại: " + joinReasons(o.Reasons)
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

// QuotaError checks the final ratings of one group (a decider's subjects, or one group of
// similar roles among them, by the set's scope) against the quota, "" when within it; exception
// applies the higher rate the competent level may allow an outstanding unit.
func (rs Set) QuotaError(counts map[dangvu.Rating]int, exception bool) string {
	q := rs.Quota
	if !rs.Checked || q == nil {
		return ""
	}
	pct, src := q.Pct, q.Source
	if exception && q.ExceptionPct > 0 {
		pct, src = q.ExceptionPct, rs.Cite("quota_exception_pct")
	}
	exc, base := counts[dangvu.RatingExcellent], counts[q.Of]
	if exc*100 <= pct*base {
		return ""
	}
	return fmt.Sprintf("%d \"Hoàn thành xuất sắc nhiệm vụ\" vượt quá %d%% của %d \"%s\" (tối đa %d) — %s: %s",
		exc, pct, base, dangvu.CodeName(dangvu.Ratings, q.Of), pct*base/100, rs.Name, src)
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

// CheckTrigger refuses a ground for "not completed" that the rule set does not have for the
// subject's kind, naming the set and its article (nil when allowed).
func CheckTrigger(rs Set, kind dangvu.SubjectKind, code string) *rulebook.Problem {
	if !dangvu.ValidCode(TriggerNames, code) {
		return &rulebook.Problem{Field: "trigger", Rule: "triggers", Reason: fmt.Sprintf("căn cứ %q không hợp lệ; dùng %s", code, triggerCodes())}
	}
	class := classOf(kind)
	if !rs.Checked || slices.Contains(rs.Triggers[class], code) {
		return nil
	}
	key := "triggers_" + class
	return &rulebook.Problem{Field: "trigger", Rule: key, Source: rs.SourceOf(key),
		Reason: fmt.Sprintf("%s không có căn cứ \"%s\" với %s; căn cứ của quy định: %s", rs.Name, dangvu.CodeName(TriggerNames, code),
			strings.ToLower(dangvu.CodeName(dangvu.SubjectKinds, kind)), strings.Join(rs.Triggers[class], ", "))}
}

// TriggersFor lists, with their names, the grounds of the rule set for a kind of subject (all of
// them for the unchecked rules).
func TriggersFor(rs Set, kind dangvu.SubjectKind) []dangvu.Code[string] {
	if !rs.Checked {
		return TriggerNames
	}
	var out []dangvu.Code[string]
	for _, c := range rs.Triggers[classOf(kind)] {
		out = append(out, dangvu.Code[string]{Code: c, Name: dangvu.CodeName(TriggerNames, c)})
	}
	return out
}
