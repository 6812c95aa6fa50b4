package dangvu

// AdmissionStage is a step of an admission file (domain.md §4), in the order the rules require.
type AdmissionStage string

const (
	StageTraining      AdmissionStage = "training"       // quần chúng ưu tú được giới thiệu, bồi dưỡng
	StageCertificate   AdmissionStage = "certificate"    // giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng
	StageApplication   AdmissionStage = "application"    // đơn xin vào Đảng và lý lịch của người xin vào Đảng
	StageBackground    AdmissionStage = "background"     // thẩm tra lý lịch người vào Đảng và người thân
	StageIntroducers   AdmissionStage = "introducers"    // người giới thiệu
	StageCellVote      AdmissionStage = "cell_vote"      // nghị quyết chi bộ đề nghị kết nạp
	StageCommitteeVote AdmissionStage = "committee_vote" // nghị quyết đảng ủy cơ sở (không có ở chi bộ cơ sở)
	StageDecision      AdmissionStage = "decision"       // quyết định kết nạp của cấp ủy có thẩm quyền
	StageCeremony      AdmissionStage = "ceremony"       // lễ kết nạp
	StageFullVote      AdmissionStage = "full_vote"      // nghị quyết chi bộ đề nghị công nhận chính thức
	StageFullDecision  AdmissionStage = "full_decision"  // quyết định công nhận chính thức (hoặc xóa tên)
)

// AdmissionStages lists the stages in order with their Vietnamese names.
var AdmissionStages = []Code[AdmissionStage]{
	{StageTraining, "Bồi dưỡng quần chúng ưu tú"},
	{StageCertificate, "Giấy chứng nhận bồi dưỡng nhận thức về Đảng"},
	{StageApplication, "Đơn xin vào Đảng và lý lịch"},
	{StageBackground, "Thẩm tra lý lịch"},
	{StageIntroducers, "Người giới thiệu"},
	{StageCellVote, "Chi bộ xét, biểu quyết đề nghị kết nạp"},
	{StageCommitteeVote, "Đảng ủy cơ sở xét, biểu quyết"},
	{StageDecision, "Quyết định kết nạp"},
	{StageCeremony, "Lễ kết nạp"},
	{StageFullVote, "Chi bộ xét công nhận chính thức"},
	{StageFullDecision, "Quyết định công nhận chính thức"},
}

// AdmissionStageIndex is the position of a stage in Stages, -1 when unknown.
func AdmissionStageIndex(s AdmissionStage) int {
	for i, c := range AdmissionStages {
		if c.Code == s {
			return i
		}
	}
	return -1
}

// AdmissionStageName is the Vietnamese name of a stage.
func AdmissionStageName(s AdmissionStage) string {
	if i := AdmissionStageIndex(s); i >= 0 {
		return AdmissionStages[i].Name
	}
	return string(s)
}

// Outcomes of a full-membership decision.
const (
	OutcomeApproved = "approved" // công nhận chính thức
	OutcomeRejected = "rejected" // không công nhận: xóa tên khỏi danh sách đảng viên
)

// YouthUnionIntroducer stands, among the introducers, for the grassroots Youth Union executive
// committee (Ban Chấp hành Đoàn cơ sở), which introduces a Youth Union member with one full member.
const YouthUnionIntroducer = "youth_union"

// TradeUnionIntroducer stands, in an introducers step, for the grassroots trade-union executive
// (Ban Chấp hành công đoàn cơ sở), which introduces a trade-union member with one full member
// where there is no Youth Union organisation (Charter Art. 4 khoản 1).
const TradeUnionIntroducer = "trade_union"

// AdmissionFile is a candidate's file (hồ sơ kết nạp) from their training to full membership.
// Until the ceremony the candidate is not a member: the file holds their particulars; the
// ceremony creates the member record, whose id MemberID then holds. A readmission file names the
// former member from the start.
type AdmissionFile struct {
	ID          string `json:"id" api:"required"`
	OrgID       string `json:"org_id" api:"required"` // the cell that proposes the admission
	OrgName     string `json:"org_name,omitempty"`
	FullName    string `json:"full_name" api:"required"`
	Gender      string `json:"gender" api:"required"`
	BirthDate   string `json:"birth_date" api:"required"` // partial date, as for members
	Education   string `json:"education,omitempty"`
	YouthUnion  bool   `json:"youth_union,omitempty"` // a Youth Union member (introduced by the Youth Union executive)
	MemberID    string `json:"member_id,omitempty"`
	Readmission bool   `json:"readmission,omitempty"`
	Note        string `json:"note,omitempty"`

	Steps []AdmissionStep `json:"steps"`
	// Derived.
	Next  AdmissionStage `json:"next,omitempty"` // the next stage to record, "" when the file is closed
	State string         `json:"state"`          // "candidate", "probation", "full", "removed"
}

// Step returns the recorded step of a stage.
func (f *AdmissionFile) Step(s AdmissionStage) (AdmissionStep, bool) {
	for _, x := range f.Steps {
		if x.Stage == s {
			return x, true
		}
	}
	return AdmissionStep{}, false
}

// AdmissionStep is one recorded stage: its date, its document, votes and people.
type AdmissionStep struct {
	FileID   string         `json:"file_id"`
	Stage    AdmissionStage `json:"stage" api:"required"`
	Date     Date           `json:"date" api:"required"`
	Document string         `json:"document,omitempty"` // number and symbol, e.g. "Số 125-QĐ/TU"
	Issuer   string         `json:"issuer,omitempty"`   // who issued or signed it
	// Votes, for the stages that vote: those entitled (full members of the cell, members of the
	// committee), present, and in favour.
	Entitled int `json:"entitled,omitempty"`
	Present  int `json:"present,omitempty"`
	Yes      int `json:"yes,omitempty"`
	// People involved: introducers (member ids, or YouthUnionIntroducer), or whoever checked.
	People []string `json:"people,omitempty"`
	// Known is, per introducer, the date from which they have worked, studied or lived with the
	// candidate in the same unit (ISO); same order as People. A date followed by "cư trú" (e.g.
	// "2019-03-01 cư trú") says they know the candidate only from living in the same residential
	// area, which counts from QĐ 24-QĐ/TW (2021).
	Known []string `json:"known,omitempty"`
	// Replacements lists the introducers (of People) assigned to replace one who left or was
	// disciplined; they need not have known the candidate for 12 months.
	Replacements []string `json:"replacements,omitempty"`
	// Extension is the document by which the competent committee extended the decision's deadline
	// (once, by up to 30 working days).
	Extension string `json:"extension,omitempty"`
	Outcome   string `json:"outcome,omitempty"` // full_decision: approved or rejected
	// Override is the reason given for recording a step that breaks a rule (late, out of order):
	// the rule set still refuses without it, and the override is kept and audited.
	Override   string `json:"override,omitempty"`
	Attachment string `json:"attachment,omitempty"` // name of the stored scan
	Note       string `json:"note,omitempty"`
	Recorded   string `json:"-"`
}

// AdmissionFilter selects admission files of an organisation's subtree.
type AdmissionFilter struct {
	Under string
	Next  AdmissionStage // files whose next stage is this one
	State string         // candidate, probation, full, removed
	Limit int
}

// LifeActKind is a membership life-cycle act (domain.md §3).
type LifeActKind string

const (
	ActTransferOut  LifeActKind = "transfer_out"  // chuyển sinh hoạt đảng chính thức đi
	ActTransferIn   LifeActKind = "transfer_in"   // tiếp nhận sinh hoạt đảng chính thức
	ActTemporaryOut LifeActKind = "temporary_out" // chuyển sinh hoạt tạm thời đi
	ActTemporaryIn  LifeActKind = "temporary_in"  // tiếp nhận sinh hoạt tạm thời
	ActExempt       LifeActKind = "exempt"        // miễn công tác và sinh hoạt đảng
	ActRemove       LifeActKind = "removed"       // xóa tên
	ActDeath        LifeActKind = "deceased"      // từ trần
	ActCard         LifeActKind = "card"          // phát thẻ đảng viên
)

// LifeActKinds lists the acts with their Vietnamese names.
var LifeActKinds = []Code[LifeActKind]{
	{ActTransferOut, "Chuyển sinh hoạt đảng chính thức đi"},
	{ActTransferIn, "Tiếp nhận sinh hoạt đảng chính thức"},
	{ActTemporaryOut, "Chuyển sinh hoạt đảng tạm thời đi"},
	{ActTemporaryIn, "Tiếp nhận sinh hoạt đảng tạm thời"},
	{ActExempt, "Miễn công tác và sinh hoạt đảng"},
	{ActRemove, "Xóa tên trong danh sách đảng viên"},
	{ActDeath, "Từ trần"},
	{ActCard, "Phát thẻ đảng viên"},
}

// LifeAct is a dated act that changes a member's standing or belonging.
type LifeAct struct {
	ID       string      `json:"id"`
	MemberID string      `json:"member_id"`
	Kind     LifeActKind `json:"kind" api:"required"`
	Date     Date        `json:"date" api:"required"`
	// OrgID is the organisation on the receiving side (transfers in, temporary in, a transfer
	// out to an organisation in the system); External names a place outside the system.
	OrgID    string `json:"org_id,omitempty"`
	External string `json:"external,omitempty"`
	Until    Date   `json:"until,omitzero"`     // end of a temporary transfer
	Effect   Date   `json:"effective,omitzero"` // the day the move took effect (transfers out), for the 60-day rule
	Document string `json:"document,omitempty"`
	Card     string `json:"card_number,omitempty"` // card issue
	Reason   string `json:"reason,omitempty"`
	Override string `json:"override,omitempty"`
}

// Attachment is the scan of a stage's document, stored with the step.
type Attachment struct {
	Name    string
	Content []byte
}
