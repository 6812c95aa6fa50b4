// Package discipline provides the party's discipline rules as rule sets versioned by date
// (domain.md §7): the forms each kind of subject may receive, which body may impose which form
// on whom (a table with its sources), the statute of limitations and the appeal deadline. A
// decision is judged by the rule set in force on the day it was decided.
//
// Sources are cited per rule. Details that could not be confirmed against the official text are
// marked Confirmed=false ("chưa xác minh") and shown as such in the documentation and messages.
package discipline

import (
	"fmt"
	"time"

	"dangvu"
	"dangvu/internal/vn"
)

// SubjectKind is what a decision is about.
type SubjectKind string

const (
	FullMember         SubjectKind = "full_member"
	ProbationaryMember SubjectKind = "probationary_member"
	Organisation       SubjectKind = "organisation"
)

// Source is the article a rule comes from, and whether it was checked against the official text.
type Source struct {
	Text      string
	Confirmed bool
}

func (s Source) String() string {
	if s.Confirmed {
		return s.Text
	}
	return s.Text + " (chưa xác minh)"
}

// Competence says that Body of an organisation at one of Levels may impose Forms on Subject.
// Subjects are members in the organisation's subtree, or organisations strictly below it.
type Competence struct {
	Body    dangvu.Body
	Levels  []dangvu.Level // empty: any level
	Subject SubjectKind    // FullMember covers probationary members too (their forms are limited apart)
	Forms   []dangvu.DisciplineForm
	Source  Source
}

// RuleSet is the discipline rules in force during [From, To).
type RuleSet struct {
	Code, Title string
	From, To    string // ISO; To is dangvu.Forever while in force
	Forms       map[SubjectKind][]dangvu.DisciplineForm
	FormsSource Source
	// Statute is the statute of limitations in years by form; 0 means none (no limit).
	Statute       map[dangvu.DisciplineForm]int
	StatuteSource Source
	AppealMonths  int
	AppealSource  Source
	// AnswerDays is how long the competent body has to answer an appeal.
	AnswerDays   int
	AnswerSource Source
	Competence   []Competence
}

var (
	charterForms  = Source{"Điều lệ Đảng (2011), Điều 35: hình thức kỷ luật tổ chức đảng (khiển trách, cảnh cáo, giải tán), đảng viên chính thức (khiển trách, cảnh cáo, cách chức, khai trừ), đảng viên dự bị (khiển trách, cảnh cáo)", false}
	appealCharter = Source{"Điều lệ Đảng (2011), Điều 37: khiếu nại trong thời hạn 1 tháng kể từ ngày nhận quyết định; trong khi chờ giải quyết phải chấp hành quyết định", false}
	upperLevels   = []dangvu.Level{dangvu.LevelCentral, dangvu.LevelProvince, dangvu.LevelDistrict, dangvu.LevelSuperior}
	cellLevels    = []dangvu.Level{dangvu.LevelCell, dangvu.LevelGrassrootsCell}
)

var allMemberForms = []dangvu.DisciplineForm{dangvu.FormReprimand, dangvu.FormWarning, dangvu.FormRemoval, dangvu.FormExpulsion}

// competence is the table shared by the three rule sets: the charter's Điều 36 and 38 did not
// change between them; QĐ 296 (2025) is cited where its text could not be compared.
func competence(reg string) []Competence {
	return []Competence{
		{dangvu.BodyCell, cellLevels, FullMember, []dangvu.DisciplineForm{dangvu.FormReprimand, dangvu.FormWarning},
			Source{"Điều lệ Đảng, Điều 36 khoản 1; " + reg + ": chi bộ quyết định khiển trách, cảnh cáo đảng viên trong chi bộ", false}},
		{dangvu.BodyGrassroots, []dangvu.Level{dangvu.LevelGrassrootsCommittee, dangvu.LevelGrassrootsCell}, FullMember,
			[]dangvu.DisciplineForm{dangvu.FormReprimand, dangvu.FormWarning, dangvu.FormRemoval, dangvu.FormExpulsion},
			Source{"Điều lệ Đảng, Điều 36 khoản 2; " + reg + ": đảng ủy cơ sở khiển trách, cảnh cáo đảng viên trong đảng bộ, cách chức cấp ủy viên cấp dưới; khai trừ khi được ủy quyền quyết định kết nạp", false}},
		{dangvu.BodyStanding, upperLevels, FullMember, allMemberForms,
			Source{"Điều lệ Đảng, Điều 36 khoản 3; " + reg + ": ban thường vụ cấp ủy cấp trên cơ sở quyết định các hình thức kỷ luật đảng viên", false}},
		{dangvu.BodyExecutive, upperLevels, FullMember, allMemberForms,
			Source{"Điều lệ Đảng, Điều 36 khoản 3; " + reg, false}},
		{dangvu.BodyCommission, upperLevels, FullMember, allMemberForms,
			Source{"Điều lệ Đảng, Điều 36 khoản 4; " + reg + ": ủy ban kiểm tra từ cấp huyện trở lên quyết định khiển trách, cảnh cáo, cách chức cấp ủy viên cấp dưới, khai trừ đảng viên", false}},
		{dangvu.BodyStanding, upperLevels, Organisation, []dangvu.DisciplineForm{dangvu.FormReprimand, dangvu.FormWarning},
			Source{"Điều lệ Đảng, Điều 38; " + reg + ": ban thường vụ cấp ủy cấp trên khiển trách, cảnh cáo tổ chức đảng cấp dưới", false}},
		{dangvu.BodyCommission, upperLevels, Organisation, []dangvu.DisciplineForm{dangvu.FormReprimand, dangvu.FormWarning},
			Source{"Điều lệ Đảng, Điều 38; " + reg + ": ủy ban kiểm tra từ cấp huyện trở lên khiển trách, cảnh cáo tổ chức đảng cấp dưới", false}},
		{dangvu.BodyExecutive, upperLevels, Organisation, []dangvu.DisciplineForm{dangvu.FormReprimand, dangvu.FormWarning, dangvu.FormDissolution},
			Source{"Điều lệ Đảng, Điều 38; " + reg + ": giải tán tổ chức đảng do cấp ủy cấp trên trực tiếp quyết định, được cấp ủy cấp trên đồng ý", false}},
	}
}

func forms() map[SubjectKind][]dangvu.DisciplineForm {
	return map[SubjectKind][]dangvu.DisciplineForm{
		FullMember:         allMemberForms,
		ProbationaryMember: {dangvu.FormReprimand, dangvu.FormWarning},
		Organisation:       {dangvu.FormReprimand, dangvu.FormWarning, dangvu.FormDissolution},
	}
}

func statute() map[dangvu.DisciplineForm]int {
	return map[dangvu.DisciplineForm]int{dangvu.FormReprimand: 5, dangvu.FormWarning: 10, dangvu.FormRemoval: 10, dangvu.FormExpulsion: 0, dangvu.FormDissolution: 0}
}

// RuleSets are the rule sets in date order. QĐ 46-QĐ/TW (2011) is carried for decisions before
// 26/7/2016; its statute of limitations could not be confirmed and is marked so.
var RuleSets = []RuleSet{
	{
		Code: "46-QĐ/TW", Title: "Quy định 46-QĐ/TW ngày 01/11/2011 thi hành Chương VII, Chương VIII Điều lệ Đảng",
		From: "2011-11-01", To: "2016-07-26",
		Forms: forms(), FormsSource: charterForms,
		Statute:       statute(),
		StatuteSource: Source{"Quy định 46-QĐ/TW (2011) và Quy định 181-QĐ/TW (2013): 5 năm (khiển trách), 10 năm (cảnh cáo, cách chức), không áp dụng với khai trừ", false},
		AppealMonths:  1, AppealSource: appealCharter,
		AnswerDays: 90, AnswerSource: Source{"Quy định 46-QĐ/TW: thời hạn giải quyết khiếu nại kỷ luật ở cấp huyện", false},
		Competence: competence("Quy định 46-QĐ/TW"),
	},
	{
		Code: "30-QĐ/TW", Title: "Quy định 30-QĐ/TW ngày 26/7/2016 thi hành Chương VII, Chương VIII Điều lệ Đảng",
		From: "2016-07-26", To: "2021-07-28",
		Forms: forms(), FormsSource: charterForms,
		Statute:       statute(),
		StatuteSource: Source{"Quy định 30-QĐ/TW (2016); Quy định 102-QĐ/TW (2017) Điều 5 và 07-QĐi/TW (2018) Điều 5 khoản 2: 5 năm (khiển trách), 10 năm (cảnh cáo, cách chức), không áp dụng với khai trừ, giải tán; tính từ hành vi vi phạm, vi phạm mới thì tính lại", false},
		AppealMonths:  1, AppealSource: appealCharter,
		AnswerDays: 90, AnswerSource: Source{"Quy định 30-QĐ/TW: thời hạn giải quyết khiếu nại kỷ luật ở cấp huyện", false},
		Competence: competence("Quy định 30-QĐ/TW"),
	},
	{
		Code: "22-QĐ/TW", Title: "Quy định 22-QĐ/TW ngày 28/7/2021 về công tác kiểm tra, giám sát và kỷ luật của Đảng",
		From: "2021-07-28", To: "2025-05-30",
		Forms: forms(), FormsSource: charterForms,
		Statute:       statute(),
		StatuteSource: Source{"Quy định 22-QĐ/TW (2021), Chương III (Điều 9–18; Điều 9 khoản 4: hết thời hiệu thì không xử lý); Quy định 69-QĐ/TW (2022): 5 năm, 10 năm, không áp dụng với khai trừ", false},
		AppealMonths:  1, AppealSource: appealCharter,
		AnswerDays: 90, AnswerSource: Source{"Quy định 22-QĐ/TW: thời hạn giải quyết khiếu nại kỷ luật ở cấp huyện", false},
		Competence: competence("Quy định 22-QĐ/TW"),
	},
	{
		Code: "296-QĐ/TW", Title: "Quy định 296-QĐ/TW ngày 30/5/2025 về công tác kiểm tra, giám sát và kỷ luật của Đảng",
		From: "2025-05-30", To: dangvu.Forever,
		Forms: forms(), FormsSource: charterForms,
		Statute:       statute(),
		StatuteSource: Source{"Quy định 296-QĐ/TW (2025), Điều 3 (định nghĩa thời hiệu) và Chương IV; Quy định 69-QĐ/TW (2022): 5 năm, 10 năm, không áp dụng với khai trừ", false},
		AppealMonths:  1, AppealSource: appealCharter,
		AnswerDays: 90, AnswerSource: Source{"Quy định 296-QĐ/TW, Chương VI (giải quyết khiếu nại kỷ luật)", false},
		Competence: competence("Quy định 296-QĐ/TW"),
	},
}

// On returns the rule set in force on an ISO date; before the first, the first.
func On(day string) RuleSet {
	for _, r := range RuleSets {
		if day < r.To {
			return r
		}
	}
	return RuleSets[len(RuleSets)-1]
}

// Problem is a rule a decision breaks: the field at fault and a Vietnamese message citing the rule.
type Problem struct {
	Field, Message string
}

// Case is what the rules need to know about a decision.
type Case struct {
	Subject        SubjectKind
	Form           dangvu.DisciplineForm
	Body           dangvu.Body
	AuthorityLevel dangvu.Level
	// AuthorityCovers reports whether the authority is an ancestor of the subject (or, for a
	// member, the organisation the member belongs to): the store computes it from the tree.
	AuthorityCovers bool
	ViolationOn     string
	RenewedOn       string
	DecidedOn       string
	EffectiveOn     string
}

// Check judges a case by the rule set in force on its decision date.
func Check(c Case) []Problem {
	var out []Problem
	rs := On(c.DecidedOn)
	add := func(field, format string, args ...any) {
		out = append(out, Problem{field, fmt.Sprintf(format, args...)})
	}
	if c.DecidedOn != "" && c.ViolationOn != "" && c.ViolationOn > c.DecidedOn {
		add("violation_on", "ngày vi phạm %s sau ngày quyết định %s", vnDate(c.ViolationOn), vnDate(c.DecidedOn))
	}
	if c.EffectiveOn != "" && c.DecidedOn != "" && c.EffectiveOn < c.DecidedOn {
		add("effective_on", "ngày có hiệu lực %s trước ngày quyết định %s", vnDate(c.EffectiveOn), vnDate(c.DecidedOn))
	}
	if c.RenewedOn != "" && (c.RenewedOn < c.ViolationOn || (c.DecidedOn != "" && c.RenewedOn > c.DecidedOn)) {
		add("renewed_on", "ngày vi phạm mới phải nằm giữa ngày vi phạm và ngày quyết định")
	}
	if !allowed(rs.Forms[c.Subject], c.Form) {
		add("form", "hình thức %s không áp dụng cho %s; chỉ được: %s (%s)", formName(c.Form), subjectName(c.Subject), formList(rs.Forms[c.Subject]), rs.FormsSource)
		return out
	}
	if p := checkCompetence(rs, c); p != nil {
		out = append(out, *p)
	}
	if p := CheckStatute(rs, c.Form, c.ViolationOn, c.RenewedOn, c.DecidedOn); p != nil {
		out = append(out, *p)
	}
	return out
}

func checkCompetence(rs RuleSet, c Case) *Problem {
	subj := c.Subject
	if subj == ProbationaryMember {
		subj = FullMember
	}
	if !c.AuthorityCovers {
		what := "đảng viên thuộc tổ chức đảng đó hoặc cấp dưới"
		if subj == Organisation {
			what = "tổ chức đảng cấp dưới của tổ chức đó"
		}
		return &Problem{"authority_org_id", "cơ quan quyết định chỉ có thẩm quyền với " + what}
	}
	var sources []string
	for _, k := range rs.Competence {
		if k.Body != c.Body || k.Subject != subj || (len(k.Levels) > 0 && !allowedLevel(k.Levels, c.AuthorityLevel)) {
			continue
		}
		if allowed(k.Forms, c.Form) {
			return nil
		}
		sources = append(sources, fmt.Sprintf("chỉ được %s (%s)", formList(k.Forms), k.Source))
	}
	msg := fmt.Sprintf("%s của %s không có thẩm quyền quyết định hình thức %s đối với %s",
		dangvu.CodeName(dangvu.Bodies, c.Body), dangvu.CodeName(dangvu.Levels, c.AuthorityLevel), formName(c.Form), subjectName(c.Subject))
	if len(sources) > 0 {
		msg += ": " + sources[0]
	} else {
		msg += " (bảng thẩm quyền theo " + rs.Code + ")"
	}
	return &Problem{"authority_body", msg}
}

// CheckStatute checks the statute of limitations: the time from the violation (or from a later
// violation, which restarts it) to the decision must not exceed the years set for the form.
func CheckStatute(rs RuleSet, form dangvu.DisciplineForm, violationOn, renewedOn, decidedOn string) *Problem {
	years, ok := rs.Statute[form]
	if !ok || years == 0 || violationOn == "" || decidedOn == "" {
		return nil
	}
	from := violationOn
	if renewedOn != "" && renewedOn > from {
		from = renewedOn
	}
	limit := AddYears(from, years)
	if decidedOn > limit {
		return &Problem{"violation_on", fmt.Sprintf("đã hết thời hiệu xử lý kỷ luật %d năm đối với hình thức %s (vi phạm ngày %s, hết hạn ngày %s) — %s",
			years, formName(form), vnDate(from), vnDate(limit), rs.StatuteSource)}
	}
	return nil
}

// AppealDeadline is the last day to lodge an appeal against a decision received on received.
func AppealDeadline(received string) string {
	rs := On(received)
	t, err := dangvu.ParseISODate(received)
	if err != nil {
		return ""
	}
	return dangvu.ISO(t.AddDate(0, rs.AppealMonths, 0))
}

// AnswerDue is when an appeal lodged on lodged must be answered.
func AnswerDue(lodged string) string {
	rs := On(lodged)
	t, err := dangvu.ParseISODate(lodged)
	if err != nil {
		return ""
	}
	return dangvu.ISO(t.AddDate(0, 0, rs.AnswerDays))
}

// AddYears adds n years to an ISO date (29/02 goes to 01/03).
func AddYears(day string, n int) string {
	t, err := dangvu.ParseISODate(day)
	if err != nil {
		return day
	}
	return dangvu.ISO(t.AddDate(n, 0, 0))
}

func allowed(list []dangvu.DisciplineForm, f dangvu.DisciplineForm) bool {
	for _, x := range list {
		if x == f {
			return true
		}
	}
	return false
}

func allowedLevel(list []dangvu.Level, l dangvu.Level) bool {
	for _, x := range list {
		if x == l {
			return true
		}
	}
	return false
}

func formName(f dangvu.DisciplineForm) string {
	return dangvu.CodeName(dangvu.DisciplineForms, f)
}

func formList(list []dangvu.DisciplineForm) string {
	s := ""
	for i, f := range list {
		if i > 0 {
			s += ", "
		}
		s += formName(f)
	}
	return s
}

func subjectName(k SubjectKind) string {
	switch k {
	case ProbationaryMember:
		return "đảng viên dự bị"
	case Organisation:
		return "tổ chức đảng"
	}
	return "đảng viên chính thức"
}

func vnDate(iso string) string {
	t, err := time.Parse(dangvu.DateLayout, iso)
	if err != nil {
		return iso
	}
	return vn.FormatDate(t)
}
