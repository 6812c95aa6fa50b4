// Package discipline provides the party's discipline rules as rule sets versioned by date
// (domain.md §7): the forms each kind of subject may receive, which body may impose which form
// on whom (a table with its sources), the appeal window and the deadline for answering an
// appeal, both in working days. A decision is judged by the procedural set in force on the day it
// was decided (QĐ 46 → 30 → 22 → 296 → 21-QĐ/TW) and by the statute of limitations of the
// regulation on violations in force that day (none found before QĐ 102-QĐ/TW of 15/11/2017; QĐ
// 07-QĐi/TW for organisations; QĐ 69-QĐ/TW from 06/7/2022).
//
// Every rule cites its article and carries a confidence mark (confirmed, secondary, unconfirmed,
// conflict); a refusal quotes the citation and, where the rule is not confirmed, says so.
package discipline

import (
	"fmt"
	"time"

	"dangvu"
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

// Confidence says how well a rule is established from the source texts.
type Confidence string

const (
	Confirmed   Confidence = "confirmed"   // the official text or a verbatim copy was read
	Secondary   Confidence = "secondary"   // only press, an official Q&A, a question bank or a guide supports it
	Unconfirmed Confidence = "unconfirmed" // not found; carried over or from memory
	Conflict    Confidence = "conflict"    // sources disagree
)

// Label is the mark in Vietnamese.
func (c Confidence) Label() string {
	switch c {
	case Confirmed:
		return "đã xác minh"
	case Secondary:
		return "nguồn thứ cấp"
	case Conflict:
		return "các nguồn mâu thuẫn"
	}
	return "chưa xác minh"
}

// Source is the article a rule comes from and how well it is established.
type Source struct {
	Text       string     `json:"citation"`
	Confidence Confidence `json:"confidence"`
}

// String is the citation followed, unless confirmed, by its mark: what a refusal quotes.
func (s Source) String() string {
	if s.Confidence == Confirmed {
		return s.Text
	}
	return s.Text + " (" + s.Confidence.Label() + ")"
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

// RuleSet is the procedural discipline rules in force during [From, To).
type RuleSet struct {
	Code, Title string
	From, To    string // ISO; To is dangvu.Forever while in force
	Source      Source // the regulation itself
	Forms       map[SubjectKind][]dangvu.DisciplineForm
	FormsSource Source
	// AppealDays is the appeal window in working days from receiving the decision; AppealSource
	// cites it, ComplySource the duty to comply while an appeal waits.
	AppealDays   int
	AppealSource Source
	ComplySource Source
	// AnswerDays is how many working days the body handling an appeal has to answer it, by the
	// handler's level class (see levelClass).
	AnswerDays   map[string]int
	AnswerSource map[string]Source
	Competence   []Competence
	// HigherTaskSource: a cell does not discipline for a violation of a task assigned by a
	// higher level to a committee member or a cadre the higher level manages; it proposes.
	HigherTaskSource Source
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
	charterForms = Source{"Điều lệ Đảng (2011), Điều 35 khoản 2: tổ chức đảng (khiển trách, cảnh cáo, giải tán), đảng viên chính thức (khiển trách, cảnh cáo, cách chức, khai trừ), đảng viên dự bị (khiển trách, cảnh cáo)", Confirmed}
	upperLevels  = []dangvu.Level{dangvu.LevelCentral, dangvu.LevelProvince, dangvu.LevelDistrict, dangvu.LevelSuperior}
	cellLevels   = []dangvu.Level{dangvu.LevelCell, dangvu.LevelGrassrootsCell}
	comply       = Source{"Điều lệ Đảng (2011), Điều 39 khoản 9: trong khi chờ giải quyết khiếu nại, tổ chức đảng và đảng viên bị kỷ luật phải chấp hành nghiêm chỉnh quyết định kỷ luật", Confirmed}
)

var allMemberForms = []dangvu.DisciplineForm{dangvu.FormReprimand, dangvu.FormWarning, dangvu.FormRemoval, dangvu.FormExpulsion}

// competence is the table shared by the rule sets: the Charter's Điều 36 and 38 did not change
// between them. An inspection commission disciplines members, never organisations: QĐ 296 Điều 11
// gives the reprimand and warning of a lower organisation to the directly superior committee or
// its standing committee, and no source gives it to the commission.
func competence(reg string, mark Confidence) []Competence {
	return []Competence{
		{dangvu.BodyCell, cellLevels, FullMember, []dangvu.DisciplineForm{dangvu.FormReprimand, dangvu.FormWarning},
			Source{"Điều lệ Đảng, Điều 36 khoản 1; " + reg + ": chi bộ quyết định khiển trách, cảnh cáo đảng viên trong chi bộ, kể cả cấp ủy viên các cấp (trừ vi phạm nhiệm vụ do cấp trên giao)", mark}},
		{dangvu.BodyGrassroots, []dangvu.Level{dangvu.LevelGrassrootsCommittee, dangvu.LevelGrassrootsCell}, FullMember,
			[]dangvu.DisciplineForm{dangvu.FormReprimand, dangvu.FormWarning, dangvu.FormRemoval, dangvu.FormExpulsion},
			Source{"Điều lệ Đảng, Điều 36 khoản 2; " + reg + ": đảng ủy cơ sở khiển trách, cảnh cáo đảng viên trong đảng bộ, cách chức cấp ủy viên cấp dưới; khai trừ khi được ủy quyền quyết định kết nạp", mark}},
		{dangvu.BodyStanding, upperLevels, FullMember, allMemberForms,
			Source{"Điều lệ Đảng, Điều 36 khoản 3; " + reg + ": ban thường vụ cấp ủy cấp trên cơ sở quyết định các hình thức kỷ luật đảng viên", mark}},
		{dangvu.BodyExecutive, upperLevels, FullMember, allMemberForms,
			Source{"Điều lệ Đảng, Điều 36 khoản 3; " + reg, mark}},
		{dangvu.BodyCommission, upperLevels, FullMember, allMemberForms,
			Source{"Điều lệ Đảng, Điều 36 khoản 4; " + reg + ": ủy ban kiểm tra từ cấp huyện trở lên quyết định khiển trách, cảnh cáo, cách chức cấp ủy viên cấp dưới, khai trừ đảng viên", mark}},
		{dangvu.BodyStanding, upperLevels, Organisation, []dangvu.DisciplineForm{dangvu.FormReprimand, dangvu.FormWarning},
			Source{"Điều lệ Đảng, Điều 38; QĐ 296-QĐ/TW Điều 11: cấp ủy hoặc ban thường vụ cấp ủy cấp trên trực tiếp khiển trách, cảnh cáo tổ chức đảng cấp dưới", Secondary}},
		{dangvu.BodyExecutive, upperLevels, Organisation, []dangvu.DisciplineForm{dangvu.FormReprimand, dangvu.FormWarning, dangvu.FormDissolution},
			Source{"Điều lệ Đảng, Điều 38; QĐ 296-QĐ/TW Điều 11: cấp ủy cấp trên trực tiếp khiển trách, cảnh cáo tổ chức đảng cấp dưới; giải tán do cấp ủy cấp trên trực tiếp quyết định, được cấp ủy cấp trên đồng ý", Unconfirmed}},
	}
}

func forms() map[SubjectKind][]dangvu.DisciplineForm {
	return map[SubjectKind][]dangvu.DisciplineForm{
		FullMember:         allMemberForms,
		ProbationaryMember: {dangvu.FormReprimand, dangvu.FormWarning},
		Organisation:       {dangvu.FormReprimand, dangvu.FormWarning, dangvu.FormDissolution},
	}
}

// appeal30 is the appeal window: the Charter says "trong vòng một tháng"; the party's guidance
// and the Central Committee's Q&A count it as 30 working days.
func appeal30(extra string) Source {
	return Source{"Điều lệ Đảng (2011), Điều 39 khoản 7: khiếu nại trong vòng một tháng kể từ ngày nhận quyết định, tính là 30 ngày làm việc (" + extra + "; Hỏi đáp dangcongsan.vn: \"một tháng (30 ngày làm việc)\")", Secondary}
}

func answer(central, upper, grassroots Source) map[string]Source {
	return map[string]Source{ClassCentral: central, ClassUpper: upper, ClassGrassroots: grassroots}
}

var answerDays = map[string]int{ClassCentral: 180, ClassUpper: 90, ClassGrassroots: 90}

// grassrootsAnswer: none of the texts reached gives a grassroots figure; the upper levels' 90
// working days is applied and marked.
func grassrootsAnswer(reg string) Source {
	return Source{reg + ": thời hạn giải quyết khiếu nại ở cấp cơ sở không tìm thấy trong văn bản; áp dụng 90 ngày làm việc như cấp tỉnh, cấp huyện", Unconfirmed}
}

// RuleSets are the procedural rule sets in date order.
var RuleSets = []RuleSet{
	{
		Code: "46-QĐ/TW", Title: "Quyết định 46-QĐ/TW ngày 01/11/2011 ban hành Hướng dẫn thực hiện Chương VII, Chương VIII Điều lệ Đảng",
		From: "2011-11-01", To: "2016-07-26",
		Source: Source{"Quyết định 46-QĐ/TW ngày 01/11/2011 của Ban Chấp hành Trung ương (ban hành Hướng dẫn)", Confirmed},
		Forms:  forms(), FormsSource: charterForms,
		AppealDays: 30, AppealSource: appeal30("Hướng dẫn kèm QĐ 46-QĐ/TW, điểm 5.2.1"), ComplySource: comply,
		AnswerDays: answerDays,
		AnswerSource: answer(Source{"Hướng dẫn kèm QĐ 46-QĐ/TW: 180 ngày làm việc ở cấp Trung ương (theo cấu trúc của QĐ 30-QĐ/TW)", Unconfirmed},
			Source{"Hướng dẫn kèm QĐ 46-QĐ/TW: 90 ngày làm việc ở cấp tỉnh, cấp huyện (theo cấu trúc của QĐ 30-QĐ/TW)", Unconfirmed},
			grassrootsAnswer("QĐ 46-QĐ/TW")),
		Competence:       competence("QĐ 46-QĐ/TW", Unconfirmed),
		HigherTaskSource: Source{"Điều lệ Đảng, Điều 36 khoản 1: chi bộ không quyết định kỷ luật về vi phạm nhiệm vụ do cấp trên giao", Secondary},
	},
	{
		Code: "30-QĐ/TW", Title: "Quy định 30-QĐ/TW ngày 26/7/2016 thi hành Chương VII, Chương VIII Điều lệ Đảng",
		From: "2016-07-26", To: "2021-07-28",
		Source: Source{"Quyết định 30-QĐ/TW ngày 26/7/2016 của Ban Chấp hành Trung ương ban hành Quy định thi hành Chương VII, Chương VIII Điều lệ Đảng", Confirmed},
		Forms:  forms(), FormsSource: charterForms,
		AppealDays: 30, AppealSource: appeal30("QĐ 30-QĐ/TW"), ComplySource: comply,
		AnswerDays: answerDays,
		AnswerSource: answer(Source{"QĐ 30-QĐ/TW: giải quyết khiếu nại kỷ luật không quá 180 ngày làm việc ở cấp Trung ương", Secondary},
			Source{"QĐ 30-QĐ/TW: giải quyết khiếu nại kỷ luật không quá 90 ngày làm việc ở cấp tỉnh, cấp huyện", Secondary},
			grassrootsAnswer("QĐ 30-QĐ/TW")),
		Competence:       competence("QĐ 30-QĐ/TW", Secondary),
		HigherTaskSource: Source{"Điều lệ Đảng, Điều 36 khoản 1; QĐ 30-QĐ/TW: chi bộ không quyết định kỷ luật về vi phạm nhiệm vụ do cấp trên giao", Secondary},
	},
	{
		Code: "22-QĐ/TW", Title: "Quy định 22-QĐ/TW ngày 28/7/2021 về công tác kiểm tra, giám sát và kỷ luật của Đảng",
		From: "2021-07-28", To: "2025-05-30",
		Source: Source{"Quy định 22-QĐ/TW ngày 28/7/2021 của Ban Chấp hành Trung ương (sửa đổi bởi QĐ 262-QĐ/TW ngày 03/02/2025)", Confirmed},
		Forms:  forms(), FormsSource: charterForms,
		AppealDays: 30, AppealSource: appeal30("QĐ 22-QĐ/TW Điều 22"), ComplySource: comply,
		AnswerDays: answerDays,
		AnswerSource: answer(Source{"QĐ 22-QĐ/TW: 180 ngày làm việc ở cấp Trung ương (giữ như QĐ 30-QĐ/TW; con số chưa đọc được)", Unconfirmed},
			Source{"QĐ 22-QĐ/TW: 90 ngày làm việc ở cấp tỉnh, cấp huyện (giữ như QĐ 30-QĐ/TW; con số chưa đọc được)", Unconfirmed},
			grassrootsAnswer("QĐ 22-QĐ/TW")),
		Competence:       competence("QĐ 22-QĐ/TW", Secondary),
		HigherTaskSource: Source{"Điều lệ Đảng, Điều 36 khoản 1; QĐ 22-QĐ/TW: chi bộ không quyết định kỷ luật về vi phạm nhiệm vụ do cấp trên giao", Secondary},
	},
	{
		Code: "296-QĐ/TW", Title: "Quy định 296-QĐ/TW ngày 30/5/2025 về công tác kiểm tra, giám sát và kỷ luật của Đảng",
		From: "2025-05-30", To: "2026-04-11",
		Source: Source{"Quy định 296-QĐ/TW ngày 30/5/2025 của Ban Chấp hành Trung ương; Hướng dẫn 08-HD/TW ngày 10/6/2025", Confirmed},
		Forms:  forms(), FormsSource: Source{charterForms.Text + "; QĐ 296-QĐ/TW Điều 9", Confirmed},
		AppealDays: 30, AppealSource: appeal30("QĐ 296-QĐ/TW Điều 25 khoản 1"), ComplySource: comply,
		AnswerDays: answerDays,
		AnswerSource: answer(Source{"QĐ 296-QĐ/TW, Chương VI: 180 ngày làm việc ở cấp Trung ương (giữ như QĐ 30-QĐ/TW; con số chưa đọc được)", Unconfirmed},
			Source{"QĐ 296-QĐ/TW, Chương VI: 90 ngày làm việc ở cấp tỉnh (giữ như QĐ 30-QĐ/TW; con số chưa đọc được)", Unconfirmed},
			grassrootsAnswer("QĐ 296-QĐ/TW")),
		Competence:       competence("QĐ 296-QĐ/TW", Secondary),
		HigherTaskSource: Source{"Điều lệ Đảng, Điều 36 khoản 1; QĐ 296-QĐ/TW Điều 10 khoản 1 điểm 1.4: cấp ủy viên từ cơ sở trở lên, cán bộ thuộc cấp trên quản lý vi phạm nhiệm vụ do cấp trên giao thì chi bộ chỉ đề nghị, cấp có thẩm quyền quyết định", Secondary},
	},
	{
		Code: "21-QĐ/TW", Title: "Quy định 21-QĐ/TW ngày 11/4/2026 về công tác kiểm tra, giám sát và kỷ luật của Đảng",
		From: "2026-04-11", To: dangvu.Forever,
		Source: Source{"Quy định 21-QĐ/TW ngày 11/4/2026 của Ban Chấp hành Trung ương (thay QĐ 296-QĐ/TW); Nghị quyết 05-NQ/TW ngày 07/4/2026 về kiểm tra, giám sát", Secondary},
		Forms:  forms(), FormsSource: charterForms,
		AppealDays: 30, AppealSource: Source{"Điều lệ Đảng (2011), Điều 39 khoản 7; QĐ 21-QĐ/TW: khiếu nại trong vòng 30 ngày làm việc kể từ ngày nhận quyết định, đến Ban Bí thư", Secondary}, ComplySource: comply,
		AnswerDays: answerDays,
		AnswerSource: answer(Source{"QĐ 21-QĐ/TW: 180 ngày làm việc ở cấp Trung ương (giữ như các quy định trước; con số chưa đọc được)", Unconfirmed},
			Source{"QĐ 21-QĐ/TW: 90 ngày làm việc ở cấp tỉnh (giữ như các quy định trước; con số chưa đọc được)", Unconfirmed},
			grassrootsAnswer("QĐ 21-QĐ/TW")),
		Competence:       competence("QĐ 21-QĐ/TW (bảng thẩm quyền giữ như QĐ 296-QĐ/TW)", Unconfirmed),
		HigherTaskSource: Source{"Điều lệ Đảng, Điều 36 khoản 1; QĐ 21-QĐ/TW (giữ như QĐ 296-QĐ/TW Điều 10 khoản 1 điểm 1.4): chi bộ chỉ đề nghị khi cấp ủy viên, cán bộ thuộc cấp trên quản lý vi phạm nhiệm vụ do cấp trên giao", Unconfirmed},
	},
}

// On returns the procedural rule set in force on an ISO date; before the first, the first.
func On(day string) RuleSet {
	for _, r := range RuleSets {
		if day < r.To {
			return r
		}
	}
	return RuleSets[len(RuleSets)-1]
}

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
	Members, Orgs map[dangvu.DisciplineForm]int // nil: no statute for that subject
	Source        Source
	NoLimitSource Source
}

func years(reprimand, warning int) map[dangvu.DisciplineForm]int {
	return map[dangvu.DisciplineForm]int{dangvu.FormReprimand: reprimand, dangvu.FormWarning: warning, dangvu.FormRemoval: warning}
}

// Statutes are the regulations on violations in date order. Before QĐ 102-QĐ/TW no statute was
// found (QĐ 181-QĐ/TW's principles name none): no limit is applied, and the set says so.
var Statutes = []Statute{
	{
		Code: "181-QĐ/TW", Title: "Trước Quy định 102-QĐ/TW: không có thời hiệu xử lý kỷ luật",
		From: "0001-01-01", To: "2017-11-15",
		Source:        Source{"QĐ 181-QĐ/TW ngày 30/3/2013 (và QĐ 46-QĐ/TW): không tìm thấy quy định về thời hiệu xử lý kỷ luật; không áp dụng thời hiệu", Unconfirmed},
		NoLimitSource: Source{"không có thời hiệu trước ngày 15/11/2017", Unconfirmed},
	},
	{
		Code: "102-QĐ/TW", Title: "Quy định 102-QĐ/TW ngày 15/11/2017 xử lý kỷ luật đảng viên vi phạm",
		From: "2017-11-15", To: "2018-08-28",
		Members:       years(5, 10),
		Source:        Source{"QĐ 102-QĐ/TW Điều 3: 5 năm (mức khiển trách), 10 năm (mức cảnh cáo, cách chức); vi phạm mới trong thời hạn thì tính lại; chưa có thời hiệu với tổ chức đảng", Secondary},
		NoLimitSource: Source{"QĐ 102-QĐ/TW Điều 3: không áp dụng thời hiệu với mức khai trừ, vi phạm về chính trị nội bộ, an ninh quốc gia, quốc phòng, đối ngoại, sử dụng văn bằng, chứng chỉ không hợp pháp", Secondary},
	},
	{
		Code: "07-QĐi/TW", Title: "Quy định 102-QĐ/TW (đảng viên) và Quy định 07-QĐi/TW ngày 28/8/2018 (tổ chức đảng)",
		From: "2018-08-28", To: "2022-07-06",
		Members:       years(5, 10),
		Orgs:          map[dangvu.DisciplineForm]int{dangvu.FormReprimand: 5, dangvu.FormWarning: 10},
		Source:        Source{"QĐ 102-QĐ/TW Điều 3 (đảng viên); QĐ 07-QĐi/TW Điều 5 (tổ chức đảng): 5 năm (khiển trách), 10 năm (cảnh cáo, cách chức); vi phạm mới thì tính lại", Secondary},
		NoLimitSource: Source{"QĐ 102-QĐ/TW Điều 3; QĐ 07-QĐi/TW Điều 5: không áp dụng thời hiệu với mức khai trừ, giải tán, vi phạm về chính trị nội bộ, an ninh quốc gia, quốc phòng, đối ngoại, sử dụng văn bằng, chứng chỉ không hợp pháp", Secondary},
	},
	{
		Code: "69-QĐ/TW", Title: "Quy định 69-QĐ/TW ngày 06/7/2022 về kỷ luật tổ chức đảng, đảng viên vi phạm (sửa đổi bởi QĐ 264-QĐ/TW ngày 14/02/2025)",
		From: "2022-07-06", To: dangvu.Forever,
		Members:       years(5, 10),
		Orgs:          map[dangvu.DisciplineForm]int{dangvu.FormReprimand: 5, dangvu.FormWarning: 10},
		Source:        Source{"QĐ 69-QĐ/TW Điều 4: 5 năm (khiển trách), 10 năm (cảnh cáo, cách chức); vi phạm mới thì tính lại", Secondary},
		NoLimitSource: Source{"QĐ 69-QĐ/TW Điều 4: không áp dụng thời hiệu với mức khai trừ, giải tán, vi phạm về chính trị nội bộ, an ninh quốc gia, quốc phòng, đối ngoại, sử dụng văn bằng, chứng chỉ không hợp pháp", Secondary},
	},
}

// StatuteOn returns the regulation on violations in force on an ISO date.
func StatuteOn(day string) Statute {
	for _, s := range Statutes {
		if day < s.To {
			return s
		}
	}
	return Statutes[len(Statutes)-1]
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
	// NoLimit is a category without statute of limitations ("" when none).
	NoLimit string
	// HigherTask: the violation concerns a task a higher level assigned to a committee member
	// (grassroots level or above) or a cadre it manages.
	HigherTask  bool
	ViolationOn string
	RenewedOn   string
	DecidedOn   string
	EffectiveOn string
}

// Check judges a case by the rule sets in force on its decision date.
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
	if c.NoLimit != "" && !dangvu.ValidCode(NoLimitCategories, c.NoLimit) {
		add("no_limit", "loại vi phạm %q không hợp lệ; dùng internal_politics, national hoặc diploma", c.NoLimit)
	}
	if !allowed(rs.Forms[c.Subject], c.Form) {
		add("form", "hình thức %s không áp dụng cho %s; chỉ được: %s (%s — %s)", formName(c.Form), subjectName(c.Subject), formList(rs.Forms[c.Subject]), rs.Code, rs.FormsSource)
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
		return &Problem{"authority_org_id", "cơ quan quyết định chỉ có thẩm quyền với " + what + " (" + rs.Code + ")"}
	}
	if c.Body == dangvu.BodyCell && c.HigherTask {
		return &Problem{"authority_body", "vi phạm nhiệm vụ do cấp trên giao: chi bộ chỉ đề nghị, cấp ủy có thẩm quyền quyết định (" + rs.Code + " — " + rs.HigherTaskSource.String() + ")"}
	}
	var sources []string
	for _, k := range rs.Competence {
		if k.Body != c.Body || k.Subject != subj || (len(k.Levels) > 0 && !allowedLevel(k.Levels, c.AuthorityLevel)) {
			continue
		}
		if allowed(k.Forms, c.Form) {
			return nil
		}
		sources = append(sources, fmt.Sprintf("chỉ được %s (%s — %s)", formList(k.Forms), rs.Code, k.Source))
	}
	msg := fmt.Sprintf("%s của %s không có thẩm quyền quyết định hình thức %s đối với %s",
		dangvu.CodeName(dangvu.Bodies, c.Body), dangvu.CodeName(dangvu.Levels, c.AuthorityLevel), formName(c.Form), subjectName(c.Subject))
	switch {
	case len(sources) > 0:
		msg += ": " + sources[0]
	case c.Body == dangvu.BodyCommission && subj == Organisation:
		msg += ": ủy ban kiểm tra không thi hành kỷ luật tổ chức đảng; cấp ủy hoặc ban thường vụ cấp ủy cấp trên trực tiếp quyết định (" + rs.Code + " — QĐ 296-QĐ/TW Điều 11, nguồn thứ cấp)"
	default:
		msg += " (bảng thẩm quyền theo " + rs.Code + ": Điều lệ Đảng, Điều 36, 38)"
	}
	return &Problem{"authority_body", msg}
}

// CheckStatute checks the statute of limitations of the regulation on violations in force on the
// decision date: the time from the violation (or from a later violation, which restarts it) to
// the decision must not exceed the years set for the form and subject. Expulsion, dissolution,
// the no-limit categories and decisions before 15/11/2017 have no limit.
func CheckStatute(subject SubjectKind, form dangvu.DisciplineForm, noLimit, violationOn, renewedOn, decidedOn string) *Problem {
	if violationOn == "" || decidedOn == "" || noLimit != "" {
		return nil
	}
	st := StatuteOn(decidedOn)
	table := st.Members
	if subject == Organisation {
		table = st.Orgs
	}
	years := table[form]
	if years == 0 {
		return nil
	}
	from := violationOn
	if renewedOn != "" && renewedOn > from {
		from = renewedOn
	}
	limit := AddYears(from, years)
	if decidedOn > limit {
		return &Problem{"violation_on", fmt.Sprintf("đã hết thời hiệu xử lý kỷ luật %d năm đối với hình thức %s (vi phạm ngày %s, hết hạn ngày %s) — %s: %s",
			years, formName(form), vnDate(from), vnDate(limit), st.Code, st.Source)}
	}
	return nil
}

// AppealDeadline is the last day to lodge an appeal against a decision received on received:
// the AppealDays-th working day after it.
func AppealDeadline(cal *workday.Calendar, received string) string {
	t, err := dangvu.ParseISODate(received)
	if err != nil {
		return ""
	}
	return dangvu.ISO(cal.Add(t, On(received).AppealDays))
}

// AnswerDue is when an appeal lodged on lodged must be answered by a body of the given level:
// the rule set's working days for that level class, counted from the lodging.
func AnswerDue(cal *workday.Calendar, lodged string, level dangvu.Level) string {
	t, err := dangvu.ParseISODate(lodged)
	if err != nil {
		return ""
	}
	return dangvu.ISO(cal.Add(t, On(lodged).AnswerDays[levelClass(level)]))
}

// AnswerRule cites the answer deadline that applies to a handler of the given level.
func AnswerRule(lodged string, level dangvu.Level) string {
	rs := On(lodged)
	c := levelClass(level)
	return fmt.Sprintf("%d ngày làm việc — %s: %s", rs.AnswerDays[c], rs.Code, rs.AnswerSource[c])
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
