package dangvu

// Term is a committee's term (nhiệm kỳ) opened by a congress (đại hội).
type Term struct {
	ID       string `json:"id"`
	OrgID    string `json:"org_id"`
	Name     string `json:"name"`  // "2015–2020"
	Start    Date   `json:"start"` // congress date
	End      Date   `json:"end"`   // Forever while open
	Document string `json:"document,omitempty"`
}

// PostRole is a post held in a committee, a locality or a unit.
type PostRole string

const (
	RoleSecretary       PostRole = "secretary"        // bí thư
	RoleDeputySecretary PostRole = "deputy_secretary" // phó bí thư
	RoleStanding        PostRole = "standing"         // ủy viên ban thường vụ
	RoleCommittee       PostRole = "committee"        // cấp ủy viên, chi ủy viên
	RoleInspection      PostRole = "inspection"       // ủy viên ủy ban kiểm tra
	RoleHead            PostRole = "head"             // trưởng thôn, khu; thủ trưởng cơ quan, đơn vị
)

// PostRoles lists post roles with their Vietnamese names.
var PostRoles = []Code[PostRole]{
	{RoleSecretary, "Bí thư"},
	{RoleDeputySecretary, "Phó Bí thư"},
	{RoleStanding, "Ủy viên Ban Thường vụ"},
	{RoleCommittee, "Cấp ủy viên"},
	{RoleInspection, "Ủy viên Ủy ban kiểm tra"},
	{RoleHead, "Người đứng đầu"},
}

// Post is a post held during [ValidFrom, ValidTo): in a party organisation's committee (OrgID,
// with its TermID), at the head of a locality (LocalityID) or of a unit (UnitID). The holder may
// be a non-member, named by HolderName alone.
type Post struct {
	ID         string   `json:"id"`
	Role       PostRole `json:"role"`
	OrgID      string   `json:"org_id,omitempty"`
	TermID     string   `json:"term_id,omitempty"`
	LocalityID string   `json:"locality_id,omitempty"`
	UnitID     string   `json:"unit_id,omitempty"`
	MemberID   string   `json:"member_id,omitempty"`
	HolderName string   `json:"holder_name"`
	Title      string   `json:"title,omitempty"` // e.g. "Trưởng khu", "Giám đốc"
	ValidFrom  Date     `json:"valid_from"`
	ValidTo    Date     `json:"valid_to"`
}

// Locality is a village or residential area (thôn, khu, tổ dân phố) served by a residential cell.
type Locality struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Kind      string `json:"kind"` // village, area, group
	CellID    string `json:"cell_id"`
	ValidFrom Date   `json:"valid_from"`
	ValidTo   Date   `json:"valid_to"`
}

// LocalityKinds lists locality kinds.
var LocalityKinds = []Code[string]{
	{"village", "Thôn, bản"},
	{"area", "Khu, khu phố"},
	{"group", "Tổ dân phố"},
}

// Unit is an agency, public service unit or enterprise served by a party organisation.
type Unit struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	Kind      OrgKind `json:"kind"` // one of the agency, service, enterprise, armed forces kinds
	OrgID     string  `json:"org_id"`
	ValidFrom Date    `json:"valid_from"`
	ValidTo   Date    `json:"valid_to"`
}
