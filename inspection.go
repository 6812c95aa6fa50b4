package dangvu

import "time"

// Inspection, supervision and discipline (domain.md §7). The rules that judge a discipline
// decision (forms per subject, competence, statute of limitations, appeals) are versioned by date
// in internal/rules/discipline; this file holds the records.

// InspectionKind is the kind of an inspection or supervision round (cuộc kiểm tra, giám sát).
type InspectionKind string

const (
	KindViolationSigns      InspectionKind = "violation_signs"      // kiểm tra khi có dấu hiệu vi phạm
	KindLowerInspection     InspectionKind = "lower_inspection"     // kiểm tra việc thực hiện nhiệm vụ kiểm tra, giám sát, kỷ luật của cấp dưới
	KindFinance             InspectionKind = "finance"              // kiểm tra tài chính đảng
	KindSupervisionRegular  InspectionKind = "supervision_regular"  // giám sát thường xuyên
	KindSupervisionThematic InspectionKind = "supervision_thematic" // giám sát chuyên đề
	KindDenunciation        InspectionKind = "denunciation"         // giải quyết tố cáo
	KindDisciplinaryAppeal  InspectionKind = "disciplinary_appeal"  // giải quyết khiếu nại kỷ luật đảng
)

// InspectionKinds lists the kinds with their Vietnamese names.
var InspectionKinds = []Code[InspectionKind]{
	{KindViolationSigns, "Kiểm tra khi có dấu hiệu vi phạm"},
	{KindLowerInspection, "Kiểm tra việc thực hiện nhiệm vụ kiểm tra, giám sát và thi hành kỷ luật"},
	{KindFinance, "Kiểm tra tài chính đảng"},
	{KindSupervisionRegular, "Giám sát thường xuyên"},
	{KindSupervisionThematic, "Giám sát chuyên đề"},
	{KindDenunciation, "Giải quyết tố cáo"},
	{KindDisciplinaryAppeal, "Giải quyết khiếu nại kỷ luật"},
}

// Body is which body of a party organisation acts: it conducts a round or decides discipline.
type Body string

const (
	BodyExecutive  Body = "executive_committee"   // ban chấp hành (cấp ủy)
	BodyStanding   Body = "standing_committee"    // ban thường vụ
	BodyCommission Body = "inspection_commission" // ủy ban kiểm tra
	BodyGrassroots Body = "grassroots_committee"  // đảng ủy cơ sở
	BodyCell       Body = "cell"                  // chi bộ
)

// Bodies lists the bodies with their Vietnamese names.
var Bodies = []Code[Body]{
	{BodyExecutive, "Ban Chấp hành"},
	{BodyStanding, "Ban Thường vụ"},
	{BodyCommission, "Ủy ban Kiểm tra"},
	{BodyGrassroots, "Đảng ủy cơ sở"},
	{BodyCell, "Chi bộ"},
}

// IsCommittee reports whether the body is the organisation's own executive or standing
// committee (what the term report counts as rounds "by the committee").
func (b Body) IsCommittee() bool { return b == BodyExecutive || b == BodyStanding }

// Stage is where a round stands: preparation → conduct → conclusion.
type Stage string

const (
	StagePreparation Stage = "preparation" // chuẩn bị
	StageConduct     Stage = "conduct"     // tiến hành
	StageConcluded   Stage = "concluded"   // đã kết luận
)

// Stages lists the stages in order.
var Stages = []Code[Stage]{
	{StagePreparation, "Chuẩn bị"},
	{StageConduct, "Tiến hành"},
	{StageConcluded, "Đã kết luận"},
}

// InspectionField is an item of reference data: an area a round looks at (đất đai, tài chính...).
type InspectionField struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// InspectionProgramme is a body's yearly programme of inspection and supervision.
type InspectionProgramme struct {
	ID       string `json:"id"`
	OrgID    string `json:"org_id"`
	Body     Body   `json:"body" api:"required"`
	Year     int    `json:"year" api:"required"`
	Title    string `json:"title" api:"required"`
	Document string `json:"document,omitempty"` // e.g. "Số 05-CTr/TU"
	OrgName  string `json:"org_name,omitempty"` // derived
}

// InspectionRound is a round (cuộc kiểm tra, giám sát; a case): decided by Decision on DecidedOn,
// conducted by Body of OrgID at its subjects, moving through the stages.
type InspectionRound struct {
	ID          string         `json:"id"`
	ProgrammeID string         `json:"programme_id,omitempty"`
	OrgID       string         `json:"org_id"`
	Body        Body           `json:"body" api:"required"`
	Kind        InspectionKind `json:"kind" api:"required"`
	Title       string         `json:"title" api:"required"`
	Decision    string         `json:"decision" api:"required"` // number and symbol of the decision opening it
	DecidedOn   Date           `json:"decided_on" api:"required"`
	Fields      []string       `json:"fields,omitempty"` // InspectionField codes
	Team        string         `json:"team,omitempty"`   // "Nguyễn Văn A (trưởng đoàn); Trần Thị B"
	PlannedFrom Date           `json:"planned_from" api:"required"`
	PlannedTo   Date           `json:"planned_to" api:"required"`
	Stage       Stage          `json:"stage"`
	ConductFrom Date           `json:"conduct_from,omitzero"`
	ConcludedOn Date           `json:"concluded_on,omitzero"`
	Subjects    []RoundSubject `json:"subjects,omitempty" api:"required"`
	OrgName     string         `json:"org_name,omitempty"` // derived
}

// Finding is a round's conclusion about one subject.
type Finding string

const (
	FindingPending   Finding = ""          // not concluded yet
	FindingNone      Finding = "none"      // không có vi phạm
	FindingViolation Finding = "violation" // có vi phạm
)

// Findings lists the findings.
var Findings = []Code[Finding]{
	{FindingNone, "Không có vi phạm"},
	{FindingViolation, "Có vi phạm"},
}

// Severity grades a violation found (mức độ vi phạm).
type Severity string

// Severities lists the grades.
var Severities = []Code[Severity]{
	{"minor", "Chưa đến mức phải xử lý kỷ luật"},
	{"discipline", "Đến mức phải xem xét xử lý kỷ luật"},
	{"serious", "Nghiêm trọng"},
}

// RoundSubject is one subject of a round (an organisation or a member) with the conclusion about
// it and the follow-up of its recommendations.
type RoundSubject struct {
	RoundID         string   `json:"round_id"`
	Seq             int      `json:"seq"`
	OrgID           string   `json:"org_id,omitempty"`
	MemberID        string   `json:"member_id,omitempty"`
	Finding         Finding  `json:"finding,omitempty"`
	Severity        Severity `json:"severity,omitempty"`
	Conclusion      string   `json:"conclusion,omitempty"`
	Recommendations string   `json:"recommendations,omitempty"`
	FollowUpDue     Date     `json:"follow_up_due,omitzero"`  // when the recommendations must be carried out
	FollowUpDone    Date     `json:"follow_up_done,omitzero"` // when they were reported done
	Name            string   `json:"name,omitempty"`          // derived: the organisation's or member's name
}

// DisciplineForm is a form of discipline (hình thức kỷ luật).
type DisciplineForm string

const (
	FormReprimand   DisciplineForm = "reprimand"   // khiển trách
	FormWarning     DisciplineForm = "warning"     // cảnh cáo
	FormRemoval     DisciplineForm = "removal"     // cách chức
	FormExpulsion   DisciplineForm = "expulsion"   // khai trừ
	FormDissolution DisciplineForm = "dissolution" // giải tán
)

// DisciplineForms lists the forms, lightest first.
var DisciplineForms = []Code[DisciplineForm]{
	{FormReprimand, "Khiển trách"},
	{FormWarning, "Cảnh cáo"},
	{FormRemoval, "Cách chức"},
	{FormExpulsion, "Khai trừ"},
	{FormDissolution, "Giải tán"},
}

// Discipline is a discipline decision of a competent body about a member or an organisation.
type Discipline struct {
	ID             string         `json:"id"`
	RoundID        string         `json:"round_id,omitempty"` // the round that proposed it
	MemberID       string         `json:"member_id,omitempty"`
	OrgID          string         `json:"org_id,omitempty"` // the disciplined organisation
	Form           DisciplineForm `json:"form" api:"required"`
	AuthorityOrgID string         `json:"authority_org_id"`
	AuthorityBody  Body           `json:"authority_body" api:"required"`
	ViolationOn    Date           `json:"violation_on" api:"required"` // when the violation was committed (ended)
	RenewedOn      Date           `json:"renewed_on,omitzero"`         // a later violation that restarted the statute
	DecidedOn      Date           `json:"decided_on" api:"required"`   // date of the decision
	EffectiveOn    Date           `json:"effective_on" api:"required"` // when it takes effect
	Number         string         `json:"number" api:"required"`       // "Số 12-QĐ/UBKT"
	Reason         string         `json:"reason,omitempty"`            // the violation, briefly
	Post           string         `json:"post,omitempty"`              // for removal: the post removed from
	// NoLimit is a category of violation without statute of limitations (discipline.NoLimitCategories).
	NoLimit string `json:"no_limit,omitempty"`
	// HigherTask: the violation concerns a task assigned by a higher level (a cell may not decide it).
	HigherTask  bool   `json:"higher_task,omitempty"`
	RuleSet     string `json:"rule_set,omitempty"`     // derived: the rule set in force on DecidedOn
	SubjectName string `json:"subject_name,omitempty"` // derived
	// WithdrawnOn and WithdrawnReason mark a decision recorded in error: it is kept, counts
	// nowhere and its effects are reversed.
	WithdrawnOn     Date   `json:"withdrawn_on,omitzero"`
	WithdrawnReason string `json:"withdrawn_reason,omitempty"`
	// Changes (derived) are the resolved appeals that changed the decision, oldest first; Form
	// stays the original form. CurrentForm is the form in force after them ("" once annulled).
	Changes     []DisciplineChange `json:"changes,omitempty"`
	CurrentForm DisciplineForm     `json:"current_form,omitempty"`
	Annulled    bool               `json:"annulled,omitempty"`
}

// DisciplineChange is a change of a decision by an appeal's outcome, in force from On (the
// appeal's resolution date).
type DisciplineChange struct {
	On       Date           `json:"on"`
	AppealID string         `json:"appeal_id"`
	Outcome  AppealOutcome  `json:"outcome"`
	From     DisciplineForm `json:"from"`
	To       DisciplineForm `json:"to"` // "" when annulled
}

// AppealOutcome is how a disciplinary appeal ended.
type AppealOutcome string

// AppealOutcomes lists the outcomes; "" is pending.
var AppealOutcomes = []Code[AppealOutcome]{
	{"upheld", "Giữ nguyên hình thức kỷ luật"},
	{"lessened", "Giảm hình thức kỷ luật"},
	{"increased", "Tăng hình thức kỷ luật"},
	{"annulled", "Xóa kỷ luật"},
	{"rejected", "Không thụ lý (quá hạn, sai thẩm quyền)"},
}

// DisciplineAppeal is an appeal (khiếu nại kỷ luật) against a discipline decision.
type DisciplineAppeal struct {
	ID           string `json:"id"`
	DisciplineID string `json:"discipline_id"`
	ReceivedOn   Date   `json:"received_on" api:"required"` // when the subject received the decision
	LodgedOn     Date   `json:"lodged_on" api:"required"`
	Deadline     Date   `json:"deadline,omitzero"`   // derived: last day to lodge
	AnswerDue    Date   `json:"answer_due,omitzero"` // derived: when the answer is due
	// AnswerRule (derived) cites the answer deadline for the handler's level.
	AnswerRule   string         `json:"answer_rule,omitempty"`
	HandlerOrgID string         `json:"handler_org_id"`
	HandlerBody  Body           `json:"handler_body" api:"required"`
	ResolvedOn   Date           `json:"resolved_on,omitzero"`
	Outcome      AppealOutcome  `json:"outcome,omitempty"`
	NewForm      DisciplineForm `json:"new_form,omitempty"` // when the outcome changed the form
	Note         string         `json:"note,omitempty"`
}

// StatTable is one table of the inspection commission's statistics: a sheet of the XLSX
// workbook and a table of the statistics page.
type StatTable struct {
	Name    string     `json:"name"` // the sheet's name
	Title   string     `json:"title"`
	Columns []string   `json:"columns"`
	Rows    [][]string `json:"rows"` // display text; numbers as digits
}

// RoundFilter selects rounds whose conducting organisation lies in Under's subtree (as of each
// round's decision date), decided within [From, To].
type RoundFilter struct {
	Under       string
	From, To    time.Time // inclusive; the zero time for an open end
	ProgrammeID string
	Kind        InspectionKind
	Limit       int
}

// DisciplineFilter selects decisions about members or organisations in Under's subtree (as they
// stood the day before the decision), decided within [From, To].
type DisciplineFilter struct {
	Under    string
	From, To time.Time // inclusive; the zero time for an open end
	MemberID string
	Limit    int
	// Live, when set, leaves out withdrawn decisions and those annulled by an appeal resolved on
	// or before it; CurrentForm is then the form in force on that date.
	Live time.Time
}
