package dangvu

// Cell meetings (sinh hoạt chi bộ) and the residence liaison of working members (213-QĐ/TW),
// docs/meetings.md. The rules (meeting day, deadlines, rubric, three-month rule) are in
// internal/rules/meetings, chosen by the meeting's date.

// MeetingKind is what a meeting is.
type MeetingKind string

const (
	MeetingRegular   MeetingKind = "regular"   // sinh hoạt thường kỳ
	MeetingThematic  MeetingKind = "thematic"  // sinh hoạt chuyên đề
	MeetingCommittee MeetingKind = "committee" // họp cấp ủy cơ sở hằng tháng
)

// MeetingKinds lists the kinds with their Vietnamese names.
var MeetingKinds = []Code[MeetingKind]{
	{MeetingRegular, "Sinh hoạt thường kỳ"},
	{MeetingThematic, "Sinh hoạt chuyên đề"},
	{MeetingCommittee, "Họp cấp ủy"},
}

// MeetingStatus is where a meeting stands.
type MeetingStatus string

const (
	MeetingPlanned MeetingStatus = "planned" // đã lên kế hoạch
	MeetingHeld    MeetingStatus = "held"    // đã họp
	MeetingMissed  MeetingStatus = "missed"  // không họp
)

// MeetingStatuses lists the statuses with their Vietnamese names.
var MeetingStatuses = []Code[MeetingStatus]{
	{MeetingPlanned, "Kế hoạch"},
	{MeetingHeld, "Đã họp"},
	{MeetingMissed, "Không họp"},
}

// Attendance marks: a member of the cell is present unless the register records otherwise
// (attendance by exception).
const (
	AttendExcused   = "excused"   // vắng có lý do
	AttendUnexcused = "unexcused" // vắng không có lý do
	AttendRemote    = "remote"    // dự trực tuyến (khi quy định cho phép)
	AttendElsewhere = "elsewhere" // sinh hoạt tạm thời nơi khác
	AttendExempt    = "exempt"    // miễn sinh hoạt
)

// AttendMarks lists the marks with their Vietnamese names.
var AttendMarks = []Code[string]{
	{AttendExcused, "Vắng có lý do"},
	{AttendUnexcused, "Vắng không lý do"},
	{AttendRemote, "Dự trực tuyến"},
	{AttendElsewhere, "Sinh hoạt tạm thời nơi khác"},
	{AttendExempt, "Miễn sinh hoạt"},
}

// Absent reports whether a mark counts as absent from the meeting.
func AbsentMark(m string) bool { return m == AttendExcused || m == AttendUnexcused }

// CellMeeting is one meeting of a cell (or of a grassroots committee) with its minutes.
type CellMeeting struct {
	ID      string        `json:"id"`
	OrgID   string        `json:"org_id"`
	OrgName string        `json:"org_name,omitempty"`
	Kind    MeetingKind   `json:"kind" api:"required"`
	Topic   string        `json:"topic,omitempty"` // a thematic meeting's subject
	Month   string        `json:"month"`           // the month it is for: yyyy-mm
	Status  MeetingStatus `json:"status"`
	Planned Date          `json:"planned_on,omitzero"`
	Held    Date          `json:"held_on,omitzero"`
	Place   string        `json:"place,omitempty"`
	Chair   string        `json:"chair,omitempty"`
	Clerk   string        `json:"clerk,omitempty"` // who keeps the minutes (thư ký)
	Minutes int           `json:"duration_minutes,omitempty"`
	// The content prepared: last month's results, next month's tasks, the issues to decide;
	// who prepared it and the day the committee agreed it.
	Results    string `json:"content_results,omitempty"`
	Tasks      string `json:"content_tasks,omitempty"`
	Issues     string `json:"content_issues,omitempty"`
	PreparedBy string `json:"prepared_by,omitempty"`
	AgreedOn   Date   `json:"agreed_on,omitzero"`
	// The superior committee member who follows the cell: invited, attended.
	Liaison         string `json:"liaison,omitempty"`
	LiaisonInvited  bool   `json:"liaison_invited,omitempty"`
	LiaisonAttended bool   `json:"liaison_attended,omitempty"`
	DocsSentOn      Date   `json:"docs_sent_on,omitzero"`
	// OnRoll is the members expected (probationary and full in the cell that day, less those
	// exempt or active elsewhere), fixed when the meeting is recorded; Present is OnRoll less
	// the absent.
	OnRoll  int    `json:"on_roll"`
	Present int    `json:"present"`
	Guests  string `json:"guests,omitempty"`
	// The minutes: agenda, discussion with names, conclusions; the self-scored quality and the
	// ward's review of it.
	Agenda        string `json:"agenda,omitempty"`
	Discussion    string `json:"discussion,omitempty"`
	Conclusions   string `json:"conclusions,omitempty"`
	Points        *int   `json:"quality_points,omitempty"`
	Band          string `json:"quality_band,omitempty"` // internal/rules/meetings.Band
	ReviewPoints  *int   `json:"reviewed_points,omitempty"`
	ReviewBand    string `json:"reviewed_band,omitempty"`
	Resolution    string `json:"resolution_number,omitempty"` // "05-NQ/CB"
	ResolutionTxt string `json:"resolution_text,omitempty"`
	PublishedOn   Date   `json:"published_on,omitzero"`
	Note          string `json:"note,omitempty"` // why not held, or anything else

	Attendance []MeetingAttendance `json:"attendance,omitempty"`
	Decisions  []MeetingDecision   `json:"decisions,omitempty"`
}

// MeetingAttendance is one exception to "all present": an absence (with the reason given at the
// time), a remote attendance, a member active elsewhere or exempt.
type MeetingAttendance struct {
	MeetingID  string `json:"meeting_id,omitempty"`
	MemberID   string `json:"member_id"`
	MemberName string `json:"member_name,omitempty"`
	Mark       string `json:"mark"`
	Reason     string `json:"reason,omitempty"`
}

// MeetingDecision is one question the meeting voted on.
type MeetingDecision struct {
	MeetingID  string `json:"meeting_id,omitempty"`
	Seq        int    `json:"seq"`
	Title      string `json:"title"`
	For        int    `json:"votes_for"`
	Against    int    `json:"votes_against"`
	Abstain    int    `json:"votes_abstain"`
	Conclusion string `json:"conclusion,omitempty"`
}

// Residence link categories (33-HD/BTCTW §1.1).
const (
	ResidenceRegular = "regular" // sinh hoạt, nhận xét hằng năm
	ResidenceExempt  = "exempt"  // giới thiệu về nhưng miễn sinh hoạt; chỉ nhận xét khi cần
)

// ResidenceCategories lists the categories with their Vietnamese names.
var ResidenceCategories = []Code[string]{
	{ResidenceRegular, "Giữ mối liên hệ, nhận xét hằng năm"},
	{ResidenceExempt, "Miễn sinh hoạt nơi cư trú (nhận xét khi cần)"},
}

// ResidenceLink is a working member registered with the residential cell where they live.
type ResidenceLink struct {
	ID         string             `json:"id"`
	MemberID   string             `json:"member_id" api:"required"`
	MemberName string             `json:"member_name,omitempty"`
	WorkOrg    string             `json:"work_org,omitempty"` // the workplace committee, by name (often outside the system)
	CellID     string             `json:"cell_id"`
	CellName   string             `json:"cell_name,omitempty"`
	From       Date               `json:"from" api:"required"`
	To         Date               `json:"to,omitzero"`
	Category   string             `json:"category"`
	Letter     string             `json:"letter,omitempty"` // the introduction letter: "Số 12-GGT/ĐU"
	Note       string             `json:"note,omitempty"`
	Comments   []ResidenceComment `json:"comments,omitempty"`
}

// ResidenceComment is the residence cell's yearly comment on a registered member.
type ResidenceComment struct {
	LinkID      string `json:"link_id"`
	Year        int    `json:"year" api:"required"`
	RequestedOn Date   `json:"requested_on,omitzero"`
	ReturnedOn  Date   `json:"returned_on,omitzero"`
	Comment     string `json:"comment,omitempty"`
}

// MonthCell is one cell in the ward's monthly view.
type MonthCell struct {
	OrgID       string `json:"org_id"`
	OrgName     string `json:"org_name"`
	MeetingID   string `json:"meeting_id,omitempty"`
	Held        Date   `json:"held_on,omitzero"`
	Due         Date   `json:"due"`
	Late        bool   `json:"late,omitempty"`
	ThematicQtr int    `json:"thematic_this_quarter"`
	OnRoll      int    `json:"on_roll,omitempty"`
	Present     int    `json:"present,omitempty"`
	Band        string `json:"quality_band,omitempty"`
	PublishBy   Date   `json:"publish_by,omitzero"`
	Published   Date   `json:"published_on,omitzero"`
	Unexcused2  int    `json:"members_absent_2_unexcused"` // members with two or more unexcused absences this year
}
