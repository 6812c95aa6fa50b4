// Package discipline provides the party's discipline rules as rule sets versioned by date
// (domain.md §7): the forms each kind of subject may receive, which body may impose which form
// on whom (a table with its sources), the appeal window and the deadline for answering an
// appeal, both in working days. A decision is judged by the procedural set in force on the day it
// was decided (QĐ 46 → 30 → 22 → 296 → 21-QĐ/TW) and by the statute of limitations of the
// regulation on violations in force that day (none found before QĐ 102-QĐ/TW of 15/11/2017; QĐ
// 07-QĐi/TW for organisations; QĐ 69-QĐ/TW from 06/7/2022).
//
// Every rule cites its article and carries a confidence mark (confirmed, secondary, unconfirmed,
// conflict); a refusal quotes the citation and, where the rule is not confirmed, says so. Like
// every package under internal/rules it exposes For(day) → Set and reports rulebook.Problem
// (docs/rules.md).
package discipline

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/rulebook"
	"dangvu/internal/vn"
	"dangvu/internal/workday"
)

// SubjectKind is what a decision is about.
type SubjectKind string

const (
	FullMember         SubjectKind = "full_member"
	ProbationaryMember SubjectKind = "probationary_member"
	Organisation       SubjectKind = "organisation"
)

// Competence says that Body of an organisation at one of Levels may impose Forms on Subject.
// Subjects are members in the organisation's subtree, or organisations strictly below it.
type Competence struct {
	Body    dangvu.Body
	Levels  []dangvu.Level // empty: any level
	Subject SubjectKind    // FullMember covers probationary members too (their forms are limited apart)
	Forms   []dangvu.DisciplineForm
	Source  rulebook.Source
}

// Set is the procedural discipline rules in force during [From, To): For(day) gives the one for
// a decision of that day.
type Set struct {
	Code, Title string
	From, To    string          // ISO; To is dangvu.ForeverISO while in force
	Source      rulebook.Source // the regulation itself
	Forms       map[SubjectKind][]dangvu.DisciplineForm
	FormsSource rulebook.Source
	// AppealDays is the appeal window in working days from receiving the decision; AppealSource
	// cites it, ComplySource the duty to comply while an appeal waits.
	AppealDays   int
	AppealSource rulebook.Source
	ComplySource rulebook.Source
	// AnswerDays is how many working days the body handling an appeal has to answer it, by the
	// handler's level class (see levelClass).
	AnswerDays   map[string]int
	AnswerSource map[string]rulebook.Source
	Competence   []Competence
	// Barred are the rows of the competence table the set records with no form: a body that may
	// not discipline a subject at all (the inspection commission, organisations), with the source
	// that says so.
	Barred []Competence
	// HigherTask: a cell does not discipline for a violation of a task assigned by a higher
	// level to a committee member or a cadre the higher level manages; it proposes.
	HigherTask       bool
	HigherTaskSource rulebook.Source
}

// Level classes of the answer deadline.
const (
	ClassCentral    = "central"
	ClassUpper      = "upper" // province, district and other levels above the grassroots
	ClassGrassroots = "grassroots"
)

func levelClass(l dangvu.Level) string {
	switch {
	case l == dangvu.LevelCentral:
		return ClassCentral
	case l == dangvu.LevelProvince || l == dangvu.LevelDistrict || l == dangvu.LevelSuperior:
		return ClassUpper
	}
	return ClassGrassroots
}

var (
	upperLevels = []dangvu.Level{dangvu.LevelCentral, dangvu.LevelProvince, dangvu.LevelDistrict, dangvu.LevelSuperior}
	cellLevels  = []dangvu.Level{dangvu.LevelCell, dangvu.LevelGrassrootsCell}
)

//go:embed data
var files embed.FS

func sub(dir string) fs.FS { return rulebook.Embedded(files, dir) }

// checkForms validates a list of discipline forms ("reprimand;warning" or "không").
func checkForms(v rulebook.Value) error {
	if strings.HasPrefix(v.Key, "forms_") || strings.HasPrefix(v.Key, "competence_") || v.Key == "no_limit" {
		for _, f := range list(v.Text) {
			if v.Key == "no_limit" {
				if !dangvu.ValidCode(NoLimitCategories, f) {
					return fmt.Errorf("loại vi phạm %q không có; dùng internal_politics, national, diploma (phân cách bằng ;) hoặc \"không\"", f)
				}
				continue
			}
			if !dangvu.ValidCode(dangvu.DisciplineForms, dangvu.DisciplineForm(f)) {
				return fmt.Errorf("hình thức %q không có; dùng reprimand, warning, removal, expulsion, dissolution (phân cách bằng ;) hoặc \"không\"", f)
			}
		}
	}
	return nil
}

// list reads "a;b" ("không" or empty: none).
func list(s string) []string {
	if strings.EqualFold(strings.TrimSpace(s), "không") {
		return nil
	}
	var out []string
	for _, x := range strings.Split(s, ";") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// Area is the rule area of discipline procedure: forms per subject, competence, appeals, answer
// deadlines, one set per regulation (QĐ 46 → 30 → 22 → 296 → 21-QĐ/TW) by decision date.
var Area = &rulebook.Area{
	Name: "discipline", Label: "Kỷ luật đảng: hình thức, thẩm quyền, khiếu nại", Files: sub("discipline"),
	Keys: []rulebook.Key{
		{Name: "code", Kind: rulebook.Text, Label: "Số hiệu văn bản"},
		{Name: "forms_full", Kind: rulebook.Text, Label: "Hình thức kỷ luật đảng viên chính thức"},
		{Name: "forms_probationary", Kind: rulebook.Text, Label: "Hình thức kỷ luật đảng viên dự bị"},
		{Name: "forms_organisation", Kind: rulebook.Text, Label: "Hình thức kỷ luật tổ chức đảng"},
		{Name: "appeal_days", Kind: rulebook.Int, Label: "Thời hạn khiếu nại kể từ ngày nhận quyết định (ngày làm việc)"},
		{Name: "comply_meanwhile", Kind: rulebook.Bool, Label: "Chấp hành quyết định trong khi chờ giải quyết khiếu nại"},
		{Name: "answer_days_central", Kind: rulebook.Int, Label: "Thời hạn giải quyết khiếu nại ở cấp Trung ương (ngày làm việc)"},
		{Name: "answer_days_upper", Kind: rulebook.Int, Label: "Thời hạn giải quyết khiếu nại ở cấp tỉnh, cấp huyện và cấp trên cơ sở (ngày làm việc)"},
		{Name: "answer_days_grassroots", Kind: rulebook.Int, Label: "Thời hạn giải quyết khiếu nại ở cấp cơ sở (ngày làm việc)"},
		{Name: "competence_cell_member", Kind: rulebook.Text, Label: "Chi bộ: hình thức kỷ luật đảng viên"},
		{Name: "competence_grassroots_member", Kind: rulebook.Text, Label: "Đảng ủy cơ sở: hình thức kỷ luật đảng viên"},
		{Name: "competence_standing_member", Kind: rulebook.Text, Label: "Ban thường vụ cấp ủy cấp trên cơ sở: hình thức kỷ luật đảng viên"},
		{Name: "competence_executive_member", Kind: rulebook.Text, Label: "Cấp ủy cấp trên cơ sở: hình thức kỷ luật đảng viên"},
		{Name: "competence_commission_member", Kind: rulebook.Text, Label: "Ủy ban kiểm tra cấp trên cơ sở: hình thức kỷ luật đảng viên"},
		{Name: "competence_standing_org", Kind: rulebook.Text, Label: "Ban thường vụ cấp ủy cấp trên: hình thức kỷ luật tổ chức đảng cấp dưới"},
		{Name: "competence_executive_org", Kind: rulebook.Text, Label: "Cấp ủy cấp trên: hình thức kỷ luật tổ chức đảng cấp dưới"},
		{Name: "competence_commission_org", Kind: rulebook.Text, Label: "Ủy ban kiểm tra: hình thức kỷ luật tổ chức đảng cấp dưới"},
		{Name: "higher_task_cell", Kind: rulebook.Bool, Label: "Chi bộ không quyết định kỷ luật về vi phạm nhiệm vụ do cấp trên giao (chỉ đề nghị)"},
	},
	CheckValue: func(_ *rulebook.Set, v rulebook.Value) error { return checkForms(v) },
}

// StatuteArea is the rule area of the statute of limitations, one set per regulation on
// violations (none found before QĐ 102-QĐ/TW; QĐ 07-QĐi/TW for organisations; QĐ 69-QĐ/TW).
var StatuteArea = &rulebook.Area{
	Name: "discipline_statute", Label: "Thời hiệu xử lý kỷ luật đảng", Files: sub("discipline_statute"),
	Keys: []rulebook.Key{
		{Name: "code", Kind: rulebook.Text, Label: "Số hiệu văn bản"},
		{Name: "member_reprimand", Kind: rulebook.Int, Label: "Đảng viên, mức khiển trách (năm; 0 = không áp dụng thời hiệu)"},
		{Name: "member_warning", Kind: rulebook.Int, Label: "Đảng viên, mức cảnh cáo (năm; 0 = không áp dụng thời hiệu)"},
		{Name: "member_removal", Kind: rulebook.Int, Label: "Đảng viên, mức cách chức (năm; 0 = không áp dụng thời hiệu)"},
		{Name: "org_reprimand", Kind: rulebook.Int, Label: "Tổ chức đảng, mức khiển trách (năm; 0 = không áp dụng thời hiệu)"},
		{Name: "org_warning", Kind: rulebook.Int, Label: "Tổ chức đảng, mức cảnh cáo (năm; 0 = không áp dụng thời hiệu)"},
		{Name: "no_limit", Kind: rulebook.Text, Label: "Loại vi phạm không áp dụng thời hiệu (ngoài khai trừ, giải tán)"},
	},
	CheckValue: func(_ *rulebook.Set, v rulebook.Value) error { return checkForms(v) },
}

// src is the source of a value as the rule sets show it (without the research note).
func src(s *rulebook.Set, key string) rulebook.Source {
	v := s.SourceOf(key)
	v.Note = ""
	return v
}

func forms(s *rulebook.Set, key string) []dangvu.DisciplineForm {
	var out []dangvu.DisciplineForm
	for _, f := range list(s.Text(key)) {
		out = append(out, dangvu.DisciplineForm(f))
	}
	return out
}

// competence is the table of who may impose which forms on whom: the bodies and levels are the
// Charter's structure (Điều 36, 38), the forms each may impose are data with their sources;
// barred are the rows whose data names no form.
func competence(s *rulebook.Set) (table, barred []Competence) {
	rows := []struct {
		body   dangvu.Body
		levels []dangvu.Level
		subj   SubjectKind
		key    string
	}{
		{dangvu.BodyCell, cellLevels, FullMember, "competence_cell_member"},
		{dangvu.BodyGrassroots, []dangvu.Level{dangvu.LevelGrassrootsCommittee, dangvu.LevelGrassrootsCell}, FullMember, "competence_grassroots_member"},
		{dangvu.BodyStanding, upperLevels, FullMember, "competence_standing_member"},
		{dangvu.BodyExecutive, upperLevels, FullMember, "competence_executive_member"},
		{dangvu.BodyCommission, upperLevels, FullMember, "competence_commission_member"},
		{dangvu.BodyStanding, upperLevels, Organisation, "competence_standing_org"},
		{dangvu.BodyExecutive, upperLevels, Organisation, "competence_executive_org"},
		{dangvu.BodyCommission, upperLevels, Organisation, "competence_commission_org"},
	}
	for _, r := range rows {
		k := Competence{Body: r.body, Levels: r.levels, Subject: r.subj, Forms: forms(s, r.key), Source: src(s, r.key)}
		if len(k.Forms) > 0 {
			table = append(table, k)
		} else {
			barred = append(barred, k)
		}
	}
	return table, barred
}

// end is the day after a set's last (its To, exclusive), or Forever.
func end(s rulebook.InForce) string {
	if s.Until.IsZero() {
		return dangvu.ForeverISO
	}
	return dangvu.ISO(s.Until.AddDate(0, 0, 1))
}

func ruleSet(in ...rulebook.InForce) Set {
	s, to := in[0].Set, end(in[0])
	rs := Set{Code: s.Text("code"), Title: s.Name, From: dangvu.ISO(s.From), To: to,
		Source: rulebook.Source{Citation: s.Source.Citation, Confidence: s.Source.Confidence, Local: s.Local},
		Forms: map[SubjectKind][]dangvu.DisciplineForm{FullMember: forms(s, "forms_full"), ProbationaryMember: forms(s, "forms_probationary"),
			Organisation: forms(s, "forms_organisation")},
		FormsSource: src(s, "forms_full"),
		AppealDays:  s.Int("appeal_days"), AppealSource: src(s, "appeal_days"), ComplySource: src(s, "comply_meanwhile"),
		AnswerDays: map[string]int{ClassCentral: s.Int("answer_days_central"), ClassUpper: s.Int("answer_days_upper"), ClassGrassroots: s.Int("answer_days_grassroots")},
		AnswerSource: map[string]rulebook.Source{ClassCentral: src(s, "answer_days_central"), ClassUpper: src(s, "answer_days_upper"),
			ClassGrassroots: src(s, "answer_days_grassroots")},
		HigherTask:       s.Bool("higher_task_cell"),
		HigherTaskSource: src(s, "higher_task_cell"),
	}
	rs.Competence, rs.Barred = competence(s)
	return rs
}

// Sets are the procedural rule sets in date order.
func Sets() []Set { return sets.All() }

// For returns the procedural rule set in force on day; before the first, the first.
func For(day time.Time) Set { return sets.At(day) }

var sets = rulebook.Choose(ruleSet, Area)

// No-limit categories (QĐ 102 Điều 3; QĐ 07-QĐi Điều 5; QĐ 69 Điều 4): violations to which no
// statute of limitations applies whatever the form.
const (
	NoLimitInternalPolitics = "internal_politics" // bảo vệ chính trị nội bộ
	NoLimitNational         = "national"          // an ninh quốc gia, quốc phòng, đối ngoại
	NoLimitDiploma          = "diploma"           // sử dụng văn bằng, chứng chỉ không hợp pháp
)

// NoLimitCategories names them.
var NoLimitCategories = []dangvu.Code[string]{
	{Code: NoLimitInternalPolitics, Name: "Vi phạm về chính trị nội bộ"},
	{Code: NoLimitNational, Name: "Vi phạm về an ninh quốc gia, quốc phòng, đối ngoại có xâm hại đến lợi ích quốc gia"},
	{Code: NoLimitDiploma, Name: "Sử dụng văn bằng, chứng chỉ, chứng nhận không hợp pháp"},
}

// Statute is the statute of limitations of one regulation on violations, in force during
// [From, To) by the decision date. Years by form; a form absent, or 0, has no limit. Members and
// organisations may differ (QĐ 102 was for members only until QĐ 07-QĐi/TW of 28/8/2018).
type Statute struct {
	Code, Title   string
	From, To      string
	Members, Orgs map[dangvu.DisciplineForm]int // years; 0: no limit
	Source        rulebook.Source
	NoLimit       []string // categories without limit (NoLimitCategories)
	NoLimitSource rulebook.Source
}

// Statutes are the regulations on violations in date order. Before QĐ 102-QĐ/TW no statute was
// found (QĐ 181-QĐ/TW's principles name none): no limit is applied, and the set says so.
func Statutes() []Statute { return statutes.All() }

var statutes = rulebook.Choose(statute, StatuteArea)

func statute(in ...rulebook.InForce) Statute {
	s, to := in[0].Set, end(in[0])
	st := Statute{Code: s.Text("code"), Title: s.Name, From: dangvu.ISO(s.From), To: to,
		Members: map[dangvu.DisciplineForm]int{dangvu.FormReprimand: s.Int("member_reprimand"), dangvu.FormWarning: s.Int("member_warning"),
			dangvu.FormRemoval: s.Int("member_removal")},
		Orgs:          map[dangvu.DisciplineForm]int{dangvu.FormReprimand: s.Int("org_reprimand"), dangvu.FormWarning: s.Int("org_warning")},
		NoLimit:       list(s.Text("no_limit")),
		NoLimitSource: src(s, "no_limit")}
	// The statute's citation is that of the years, members' and organisations' together.
	st.Source = src(s, "member_reprimand")
	if o := src(s, "org_reprimand"); o.Citation != st.Source.Citation && st.Orgs[dangvu.FormReprimand] > 0 {
		st.Source.Citation += "; " + o.Citation
	}
	return st
}

// StatuteFor returns the regulation on violations in force on day; before the first, the first.
func StatuteFor(day time.Time) Statute { return statutes.At(day) }

// Case is what the rules need to know about a decision.
type Case struct {
	Subject        SubjectKind
	Form           dangvu.DisciplineForm
	Body           dangvu.Body
	AuthorityLevel dangvu.Level
	// AuthorityCovers reports whether the authority is an ancestor of the subject (or, for a
	// member, the organisation the member belongs to): the store computes it from the tree.
	AuthorityCovers bool
	// NoLimit is a category without statute of limitations ("" when none).
	NoLimit string
	// HigherTask: the violation concerns a task a higher level assigned to a committee member
	// (grassroots level or above) or a cadre it manages.
	HigherTask  bool
	ViolationOn dangvu.Date
	RenewedOn   dangvu.Date
	DecidedOn   dangvu.Date
	EffectiveOn dangvu.Date
}

// Check judges a case by the rule sets in force on its decision date.
func Check(c Case) []rulebook.Problem {
	var out []rulebook.Problem
	rs := For(c.DecidedOn.Time)
	add := func(field, format string, args ...any) {
		out = append(out, rulebook.Problem{Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	if !c.DecidedOn.IsZero() && !c.ViolationOn.IsZero() && c.ViolationOn.After(c.DecidedOn) {
		add("violation_on", "ngày vi phạm %s sau ngày quyết định %s", vnDate(c.ViolationOn), vnDate(c.DecidedOn))
	}
	if !c.EffectiveOn.IsZero() && !c.DecidedOn.IsZero() && c.EffectiveOn.Before(c.DecidedOn) {
		add("effective_on", "ngày có hiệu lực %s trước ngày quyết định %s", vnDate(c.EffectiveOn), vnDate(c.DecidedOn))
	}
	if !c.RenewedOn.IsZero() && (c.RenewedOn.Before(c.ViolationOn) || (!c.DecidedOn.IsZero() && c.RenewedOn.After(c.DecidedOn))) {
		add("renewed_on", "ngày vi phạm mới phải nằm giữa ngày vi phạm và ngày quyết định")
	}
	if c.NoLimit != "" && !dangvu.ValidCode(NoLimitCategories, c.NoLimit) {
		add("no_limit", "loại vi phạm %q không hợp lệ; dùng internal_politics, national hoặc diploma", c.NoLimit)
	}
	if !allowed(rs.Forms[c.Subject], c.Form) {
		out = append(out, rulebook.Problem{Field: "form", Rule: "forms", Set: rs.Code, Source: rs.FormsSource,
			Reason: fmt.Sprintf("hình thức %s không áp dụng cho %s; chỉ được: %s", formName(c.Form), subjectName(c.Subject), formList(rs.Forms[c.Subject]))})
		return out
	}
	if p := checkCompetence(rs, c); p != nil {
		out = append(out, *p)
	}
	if p := CheckStatute(c.Subject, c.Form, c.NoLimit, c.ViolationOn, c.RenewedOn, c.DecidedOn); p != nil {
		out = append(out, *p)
	}
	return out
}

// row is the set's row of the competence table for a body and a subject, barred or not.
func (rs Set) row(body dangvu.Body, subj SubjectKind) (Competence, bool) {
	for _, k := range slices.Concat(rs.Competence, rs.Barred) {
		if k.Body == body && k.Subject == subj {
			return k, true
		}
	}
	return Competence{}, false
}

// competenceSource cites the set's row for the body and subject: the article that gives the
// body its competence, and so its bounds; the set itself when it has no such row.
func (rs Set) competenceSource(body dangvu.Body, subj SubjectKind) rulebook.Source {
	if k, ok := rs.row(body, subj); ok {
		return k.Source
	}
	return rs.Source
}

func checkCompetence(rs Set, c Case) *rulebook.Problem {
	subj := c.Subject
	if subj == ProbationaryMember {
		subj = FullMember
	}
	if !c.AuthorityCovers {
		what := "đảng viên thuộc tổ chức đảng đó hoặc cấp dưới"
		if subj == Organisation {
			what = "tổ chức đảng cấp dưới của tổ chức đó"
		}
		return &rulebook.Problem{Field: "authority_org_id", Rule: "competence", Set: rs.Code, Source: rs.competenceSource(c.Body, subj),
			Reason: "cơ quan quyết định chỉ có thẩm quyền với " + what}
	}
	if c.Body == dangvu.BodyCell && c.HigherTask && rs.HigherTask {
		return &rulebook.Problem{Field: "authority_body", Rule: "higher_task_cell", Set: rs.Code, Source: rs.HigherTaskSource,
			Reason: "vi phạm nhiệm vụ do cấp trên giao: chi bộ chỉ đề nghị, cấp ủy có thẩm quyền quyết định"}
	}
	var limit *Competence
	for i, k := range rs.Competence {
		if k.Body != c.Body || k.Subject != subj || (len(k.Levels) > 0 && !allowedLevel(k.Levels, c.AuthorityLevel)) {
			continue
		}
		if allowed(k.Forms, c.Form) {
			return nil
		}
		if limit == nil {
			limit = &rs.Competence[i]
		}
	}
	p := &rulebook.Problem{Field: "authority_body", Rule: "competence", Set: rs.Code, Source: rs.competenceSource(c.Body, subj),
		Reason: fmt.Sprintf("%s của %s không có thẩm quyền quyết định hình thức %s đối với %s",
			dangvu.CodeName(dangvu.Bodies, c.Body), dangvu.CodeName(dangvu.Levels, c.AuthorityLevel), formName(c.Form), subjectName(c.Subject))}
	switch {
	case limit != nil:
		p.Reason += ": chỉ được " + formList(limit.Forms)
		p.Source = limit.Source
	case c.Body == dangvu.BodyCommission && subj == Organisation:
		// The set's row says so (its source, QĐ 296-QĐ/TW Điều 11 as the data records it).
		p.Reason += ": ủy ban kiểm tra không thi hành kỷ luật tổ chức đảng; cấp ủy hoặc ban thường vụ cấp ủy cấp trên trực tiếp quyết định"
	}
	return p
}

// CheckStatute checks the statute of limitations of the regulation on violations in force on the
// decision date: the time from the violation (or from a later violation, which restarts it) to
// the decision must not exceed the years set for the form and subject. Expulsion, dissolution,
// the no-limit categories and decisions before 15/11/2017 have no limit.
func CheckStatute(subject SubjectKind, form dangvu.DisciplineForm, noLimit string, violationOn, renewedOn, decidedOn dangvu.Date) *rulebook.Problem {
	if violationOn.IsZero() || decidedOn.IsZero() {
		return nil
	}
	st := StatuteFor(decidedOn.Time)
	if noLimit != "" && (len(st.NoLimit) == 0 || slices.Contains(st.NoLimit, noLimit)) {
		return nil
	}
	table := st.Members
	if subject == Organisation {
		table = st.Orgs
	}
	years := table[form]
	if years == 0 {
		return nil
	}
	from := violationOn
	if renewedOn.After(from) {
		from = renewedOn
	}
	limit := AddYears(from, years)
	if decidedOn.After(limit) {
		return &rulebook.Problem{Field: "violation_on", Rule: "statute", Set: st.Code, Source: st.Source,
			Reason: fmt.Sprintf("đã hết thời hiệu xử lý kỷ luật %d năm đối với hình thức %s (vi phạm ngày %s, hết hạn ngày %s)",
				years, formName(form), vnDate(from), vnDate(limit))}
	}
	return nil
}

// AppealDeadline is the last day to lodge an appeal against a decision received on received:
// the AppealDays-th working day after it.
func AppealDeadline(cal *workday.Calendar, received dangvu.Date) dangvu.Date {
	if received.IsZero() {
		return dangvu.Date{}
	}
	t := received.Time
	return dangvu.DateOf(cal.Add(t, For(t).AppealDays))
}

// AnswerDue is when an appeal lodged on lodged must be answered by a body of the given level:
// the rule set's working days for that level class, counted from the lodging.
func AnswerDue(cal *workday.Calendar, lodged dangvu.Date, level dangvu.Level) dangvu.Date {
	if lodged.IsZero() {
		return dangvu.Date{}
	}
	t := lodged.Time
	return dangvu.DateOf(cal.Add(t, For(t).AnswerDays[levelClass(level)]))
}

// AnswerRule cites the answer deadline that applies to a handler of the given level.
func AnswerRule(lodged dangvu.Date, level dangvu.Level) string {
	rs := For(lodged.Time)
	c := levelClass(level)
	return fmt.Sprintf("%d ngày làm việc — %s: %s", rs.AnswerDays[c], rs.Code, rs.AnswerSource[c])
}

// AddYears adds n years to a date (29/02 goes to 01/03); the zero Date stays zero.
func AddYears(day dangvu.Date, n int) dangvu.Date {
	if day.IsZero() {
		return day
	}
	return day.AddDate(n, 0, 0)
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

func vnDate(d dangvu.Date) string {
	if d.IsZero() {
		return ""
	}
	return vn.FormatDate(d.Time)
}
