package dangvu

// Member files, cards, badges and the yearly supplement (docs/member-files.md; research
// next-rules.md §4–§5). The rules (the 1361 catalogue, card formats, badge milestones and
// ceremonies) are dated data in internal/rules/records and internal/rules/badges.

// MemberDetails is a dated version of the parts of a member's record the standard forms need
// beyond Member: it holds from ValidFrom until the next version (a certified supplement opens one).
type MemberDetails struct {
	MemberID         string `json:"member_id"`
	ValidFrom        Date   `json:"valid_from"`
	BirthName        string `json:"birth_name,omitempty"` // họ tên khai sinh
	BirthPlace       string `json:"birth_place,omitempty"`
	ForeignLanguages string `json:"foreign_languages,omitempty"`
	Awards           string `json:"awards,omitempty"`
	Photo            string `json:"photo,omitempty"` // attachment name of the photo (attachments/)
	Note             string `json:"note,omitempty"`
}

// Relations are the family relations the member's history (1-HSĐV item 22) lists.
var Relations = []Code[string]{
	{"father", "Cha"}, {"mother", "Mẹ"}, {"spouse", "Vợ/chồng"}, {"child", "Con"},
	{"sibling", "Anh chị em ruột"}, {"father_in_law", "Cha vợ/chồng"}, {"mother_in_law", "Mẹ vợ/chồng"},
	{"sibling_in_law", "Anh chị em ruột của vợ/chồng"}, {"grandparent", "Ông bà"},
}

// FamilyMember is one relative as the forms list them.
type FamilyMember struct {
	ID         string `json:"id"`
	MemberID   string `json:"member_id"`
	Relation   string `json:"relation"`
	FullName   string `json:"full_name"`
	BirthYear  string `json:"birth_year,omitempty"`
	Residence  string `json:"residence,omitempty"`
	Occupation string `json:"occupation,omitempty"`
	Note       string `json:"note,omitempty"`
}

// FileDocument is one document of a member's file: its catalogue type (1–104 of CV 1361), date
// and title, and the name of its encrypted scan in attachments/ (empty: held on paper only).
type FileDocument struct {
	ID         string `json:"id"`
	MemberID   string `json:"member_id"`
	TypeNo     int    `json:"type_no"`
	Date       Date   `json:"date,omitzero"`
	Title      string `json:"title,omitempty"`
	Attachment string `json:"attachment,omitempty"`
	SHA256     string `json:"sha256,omitempty"` // of the plain scan
	Pages      int    `json:"pages,omitempty"`
	AddedOn    Date   `json:"added_on"`
	Note       string `json:"note,omitempty"`
	TypeName   string `json:"type_name,omitempty"` // from the catalogue, for display
	Band       int    `json:"band,omitempty"`
}

// FileStatus is a member's file checked against the catalogue: the documents held, the required
// types missing, the types held more than once.
type FileStatus struct {
	MemberID   string         `json:"member_id"`
	FullName   string         `json:"full_name"`
	Catalogue  string         `json:"catalogue"`
	Documents  []FileDocument `json:"documents"`
	Missing    []FileType     `json:"missing"`
	Duplicates []FileType     `json:"duplicates"`
	Complete   bool           `json:"complete"` // every required type held
	// Bands counts the catalogue's types held per band (1–3), and Types the catalogue's per band.
	Held  [4]int `json:"held"`
	Types [4]int `json:"types"`
}

// FileType names a catalogue type in a status.
type FileType struct {
	No   int    `json:"no"`
	Name string `json:"name"`
	Band int    `json:"band"`
}

// Supplement statuses: the ward opens the year, the member or cell enters, the cell checks, the
// committee certifies.
const (
	SupplementOpen      = "open"
	SupplementEntered   = "entered"
	SupplementChecked   = "checked"
	SupplementCertified = "certified"
)

// SupplementStatuses lists them with their Vietnamese names.
var SupplementStatuses = []Code[string]{
	{SupplementOpen, "Chưa khai"}, {SupplementEntered, "Đã khai"}, {SupplementChecked, "Chi bộ đã kiểm tra"}, {SupplementCertified, "Cấp ủy cơ sở đã xác nhận"},
}

// SupplementFields are the record fields a yearly supplement may change (phiếu bổ sung hồ sơ
// đảng viên, 3-HSĐV: secondary), each with its Vietnamese name.
var SupplementFields = []Code[string]{
	{"occupation", "Nghề nghiệp"}, {"position", "Chức vụ"}, {"education", "Giáo dục phổ thông"},
	{"qualification", "Chuyên môn, nghiệp vụ"}, {"theory_level", "Lý luận chính trị"},
	{"foreign_languages", "Ngoại ngữ"}, {"awards", "Khen thưởng"}, {"residence", "Nơi cư trú"},
	{"family", "Gia đình"}, {"other", "Thay đổi khác"},
}

// Supplement is a member's yearly supplement: the year's changes, field by field.
type Supplement struct {
	ID          string            `json:"id"`
	MemberID    string            `json:"member_id"`
	OrgID       string            `json:"org_id"` // the cell the member belonged to when it was opened
	Year        int               `json:"year"`
	Changes     map[string]string `json:"changes,omitempty"`
	Status      string            `json:"status"`
	EnteredOn   Date              `json:"entered_on,omitzero"`
	CheckedOn   Date              `json:"checked_on,omitzero"`
	CertifiedOn Date              `json:"certified_on,omitzero"`
	Note        string            `json:"note,omitempty"`
	FullName    string            `json:"full_name,omitempty"`
	OrgName     string            `json:"org_name,omitempty"`
}

// Card kinds and end reasons.
var CardKinds = []Code[string]{
	{"issue", "Phát thẻ"}, {"exchange", "Đổi thẻ"}, {"reissue", "Cấp lại thẻ (mất, hỏng)"},
}

// CardEnds are why a card stopped being valid.
var CardEnds = []Code[string]{
	{"exchanged", "Đã đổi thẻ mới"}, {"lost", "Mất thẻ"}, {"returned", "Thu hồi (khai trừ, xóa tên, ra khỏi Đảng)"}, {"deceased", "Từ trần"},
}

// Card is a party card issued to a member.
type Card struct {
	ID        string `json:"id"`
	MemberID  string `json:"member_id" api:"required"`
	Number    string `json:"number" api:"required"`
	Format    string `json:"format,omitempty"` // id_number or old, from the number
	Kind      string `json:"kind" api:"required"`
	IssuedOn  Date   `json:"issued_on" api:"required"`
	Decision  string `json:"decision,omitempty"`
	EndedOn   Date   `json:"ended_on,omitzero"`
	EndReason string `json:"end_reason,omitempty"`
	Note      string `json:"note,omitempty"`
	Warning   string `json:"warning,omitempty"` // a 12-digit number not the member's CCCD
	FullName  string `json:"full_name,omitempty"`
}

// BadgeKinds are how a badge was awarded.
var BadgeKinds = []Code[string]{
	{"due", "Tặng khi đến mốc"}, {"delayed", "Tặng sau thời gian lùi do kỷ luật"}, {"early", "Tặng sớm (bệnh nặng)"},
	{"posthumous", "Truy tặng"}, {"reissue", "Cấp lại"},
}

// Badge is a party badge proposed or awarded: the milestone, the ceremony, the decision.
type Badge struct {
	ID          string `json:"id"`
	MemberID    string `json:"member_id" api:"required"`
	OrgID       string `json:"org_id"` // the proposing grassroots organisation or cell
	Milestone   int    `json:"milestone" api:"required"`
	Kind        string `json:"kind" api:"required"`
	Ceremony    Date   `json:"ceremony" api:"required"`
	Decision    string `json:"decision,omitempty"`
	DecidedOn   Date   `json:"decided_on,omitzero"`
	PresentedOn Date   `json:"presented_on,omitzero"`
	CashAmount  int64  `json:"cash_amount,omitempty"`
	Note        string `json:"note,omitempty"`
	FullName    string `json:"full_name,omitempty"`
}

// BadgeCandidate is a member on a ceremony's proposal list (4-HHĐ).
type BadgeCandidate struct {
	MemberID   string `json:"member_id"`
	FullName   string `json:"full_name"`
	BirthDate  string `json:"birth_date,omitempty"` // a partial date, as Member's: text, not a Date
	OrgID      string `json:"org_id"`
	OrgName    string `json:"org_name"`
	AdmittedOn Date   `json:"admitted_on"`
	Milestone  int    `json:"milestone"`
	Kind       string `json:"kind"`
	Reached    Date   `json:"reached"`
	Eligible   Date   `json:"eligible"`
	GapDays    int    `json:"gap_days"`
	Reason     string `json:"reason"`
	CashAmount int64  `json:"cash_amount"`
	Awarded    string `json:"awarded,omitempty"` // the badge id when already recorded
}

// OrgCode is the 14-digit code of an organisation (CV 1361: 2.3.3.3.3) over [ValidFrom, ValidTo).
type OrgCode struct {
	OrgID     string `json:"org_id"`
	ValidFrom Date   `json:"valid_from"`
	ValidTo   Date   `json:"valid_to,omitzero"`
	Code      string `json:"code"`
}
