package dangvu

import "time"

// Status is a member's standing in the party (domain.md §3).
type Status string

const (
	StatusProbationary   Status = "probationary"    // dự bị
	StatusFull           Status = "full"            // chính thức
	StatusExempt         Status = "exempt"          // miễn công tác và sinh hoạt đảng
	StatusTransferredOut Status = "transferred_out" // chuyển sinh hoạt ra ngoài hệ thống
	StatusRemoved        Status = "removed"         // xóa tên
	StatusExpelled       Status = "expelled"        // khai trừ
	StatusDeceased       Status = "deceased"        // từ trần
	StatusLeft           Status = "left"            // ra khỏi Đảng (xin ra, không được công nhận chính thức...)
)

// Statuses lists every status with its Vietnamese name.
var Statuses = []Code[Status]{
	{StatusProbationary, "Dự bị"},
	{StatusFull, "Chính thức"},
	{StatusExempt, "Miễn công tác và sinh hoạt đảng"},
	{StatusTransferredOut, "Chuyển sinh hoạt đi"},
	{StatusRemoved, "Xóa tên"},
	{StatusExpelled, "Khai trừ"},
	{StatusDeceased, "Từ trần"},
	{StatusLeft, "Ra khỏi Đảng"},
}

// InParty reports whether a member with this status belongs to the party and counts in membership
// figures. Exempt members are still members (they skip reviews and study only).
func (s Status) InParty() bool {
	return s == StatusProbationary || s == StatusFull || s == StatusExempt
}

// Gender codes.
const (
	Male   = "male"
	Female = "female"
)

// Member is a party member's record (domain.md §3). Dates that may be partly known (birth) are
// partial dates "1975", "1975-05" or "1975-05-03".
type Member struct {
	ID            string `json:"id"`
	FullName      string `json:"full_name"`
	OtherNames    string `json:"other_names,omitempty"`
	Gender        string `json:"gender"`
	BirthDate     string `json:"birth_date,omitempty"`
	Ethnicity     string `json:"ethnicity,omitempty"` // code of Ethnicities
	Religion      string `json:"religion,omitempty"`
	Hometown      string `json:"hometown,omitempty"`
	Residence     string `json:"residence,omitempty"`
	IDNumber      string `json:"id_number,omitempty"` // CCCD (12 digits) or CMND (9); sensitive
	Phone         string `json:"phone,omitempty"`     // sensitive
	Education     string `json:"education,omitempty"` // general education, e.g. "12/12"
	Qualification string `json:"qualification,omitempty"`
	TheoryLevel   string `json:"theory_level,omitempty"` // code of TheoryLevels
	Occupation    string `json:"occupation,omitempty"`
	Position      string `json:"position,omitempty"`
	AdmittedOn    Date   `json:"admitted_on,omitzero"` // ngày vào Đảng
	FullOn        Date   `json:"full_on,omitzero"`     // ngày chính thức
	CardNumber    string `json:"card_number,omitempty"`
	CardDate      Date   `json:"card_date,omitzero"`
	Note          string `json:"note,omitempty"`

	// As of the date asked (derived, not stored with the record).
	Status  Status `json:"status,omitempty"`
	OrgID   string `json:"org_id,omitempty"`
	OrgName string `json:"org_name,omitempty"`
}

// TheoryLevels are the political-theory levels.
var TheoryLevels = []Code[string]{
	{"none", "Chưa qua đào tạo"},
	{"basic", "Sơ cấp"},
	{"intermediate", "Trung cấp"},
	{"advanced", "Cao cấp"},
	{"bachelor", "Cử nhân"},
}

// StatusChange is a dated entry of a member's status history; it holds until the next one.
type StatusChange struct {
	MemberID  string `json:"member_id"`
	ValidFrom Date   `json:"valid_from"`
	Status    Status `json:"status"`
	Document  string `json:"document,omitempty"`
	Reason    string `json:"reason,omitempty"`
}

// MembershipKind tells an official belonging (counted in the roster) from a temporary one (the
// host organisation does not count the member, domain.md §3).
type MembershipKind string

const (
	MembershipOfficial  MembershipKind = "official"
	MembershipTemporary MembershipKind = "temporary"
)

// MembershipKinds lists membership kinds with their Vietnamese names.
var MembershipKinds = []Code[MembershipKind]{
	{MembershipOfficial, "Chính thức"},
	{MembershipTemporary, "Tạm thời"},
}

// Membership is a member's belonging to an organisation during [ValidFrom, ValidTo).
type Membership struct {
	MemberID  string         `json:"member_id"`
	OrgID     string         `json:"org_id"`
	ValidFrom Date           `json:"valid_from"`
	ValidTo   Date           `json:"valid_to"`
	Kind      MembershipKind `json:"kind"`
	Document  string         `json:"document,omitempty"`
	EventID   string         `json:"event_id,omitempty"`
	OrgName   string         `json:"org_name,omitempty"` // as of ValidFrom, for display
}

// MovementKind is the kind of a movement record.
type MovementKind string

const (
	MoveTransferIn   MovementKind = "transfer_in"   // chuyển sinh hoạt chính thức đến
	MoveTransferOut  MovementKind = "transfer_out"  // chuyển sinh hoạt chính thức đi
	MoveInternal     MovementKind = "internal"      // chuyển trong đảng bộ
	MoveTemporaryIn  MovementKind = "temporary_in"  // sinh hoạt tạm thời đến
	MoveTemporaryOut MovementKind = "temporary_out" // sinh hoạt tạm thời đi
	MoveReorganised  MovementKind = "reorganised"   // theo sắp xếp tổ chức
)

// MovementKinds lists movement kinds with their Vietnamese names.
var MovementKinds = []Code[MovementKind]{
	{MoveTransferIn, "Chuyển sinh hoạt chính thức đến"},
	{MoveTransferOut, "Chuyển sinh hoạt chính thức đi"},
	{MoveInternal, "Chuyển sinh hoạt trong đảng bộ"},
	{MoveTemporaryIn, "Sinh hoạt tạm thời đến"},
	{MoveTemporaryOut, "Sinh hoạt tạm thời đi"},
	{MoveReorganised, "Chuyển theo sắp xếp tổ chức"},
}

// Movement is the record of a transfer: its document and the places on each side. Places outside
// the system are named in External.
type Movement struct {
	ID        string       `json:"id"`
	MemberID  string       `json:"member_id"`
	Kind      MovementKind `json:"kind"`
	Date      Date         `json:"date"`
	FromOrgID string       `json:"from_org_id,omitempty"`
	ToOrgID   string       `json:"to_org_id,omitempty"`
	External  string       `json:"external,omitempty"`
	Document  string       `json:"document,omitempty"`
	Note      string       `json:"note,omitempty"`
}

// MemberHistory is everything dated about a member.
type MemberHistory struct {
	Statuses    []StatusChange `json:"statuses"`
	Memberships []Membership   `json:"memberships"`
	Movements   []Movement     `json:"movements"`
	Posts       []Post         `json:"posts"`
}

// MemberFilter selects members belonging, as of AsOf, to organisations under Under.
type MemberFilter struct {
	AsOf   time.Time
	Under  string   // subtree root; empty for the whole tree
	Query  string   // a name from any of its words, diacritics and case ignored ("van d"), or an id
	Status []Status // default: in-party statuses
	Gender string
	// Ethnicity is a code of Ethnicities; AgeBand and PartyAgeBand codes of AgeBands and
	// PartyAgeBands, counted in whole years on AsOf.
	Ethnicity    string
	AgeBand      string
	PartyAgeBand string
	// All includes people who are no longer members as of AsOf (their last organisation counts).
	Offset, Limit int
}

// MemberPage is one page of a member list.
type MemberPage struct {
	// Total counts at most the store's cap (10.000); TotalCapped says there are more.
	Total       int      `json:"total"`
	TotalCapped bool     `json:"total_capped"`
	Offset      int      `json:"offset"`
	Limit       int      `json:"limit"`
	Members     []Member `json:"members"`
}

// Band is a range of whole years [Min, Max) for filters and statistics.
type Band struct {
	Code     string
	Name     string
	Min, Max int
}

// AgeBands are the age bands of member lists and statistics.
var AgeBands = []Band{
	{"under30", "Dưới 30 tuổi", 0, 30},
	{"30to45", "Từ 30 đến 45 tuổi", 30, 46},
	{"46to60", "Từ 46 đến 60 tuổi", 46, 61},
	{"over60", "Trên 60 tuổi", 61, 200},
}

// PartyAgeBands are the bands of party age (years since admission).
var PartyAgeBands = []Band{
	{"under5", "Dưới 5 năm", 0, 5},
	{"5to10", "Từ 5 đến dưới 10 năm", 5, 10},
	{"10to30", "Từ 10 đến dưới 30 năm", 10, 30},
	{"30plus", "Từ 30 năm trở lên", 30, 200},
}

// LookupBand finds a band by code.
func LookupBand(bands []Band, code string) (Band, bool) {
	for _, b := range bands {
		if b.Code == code {
			return b, true
		}
	}
	return Band{}, false
}

// Then is a member's record as a reader who saw the member only until day (the day they
// left the reader's subtree) may see it: the identity and what was dated before that day. The
// undated personal data — residence, ID number, phone, education, work, card, notes — are
// today's, recorded by the organisation the member belongs to now, and are left out.
func (m Member) Then(day Date) Member {
	out := Member{ID: m.ID, FullName: m.FullName, OtherNames: m.OtherNames, Gender: m.Gender, BirthDate: m.BirthDate, Ethnicity: m.Ethnicity,
		Religion: m.Religion, Hometown: m.Hometown, Status: m.Status, OrgID: m.OrgID, OrgName: m.OrgName}
	if m.AdmittedOn.Before(day) {
		out.AdmittedOn = m.AdmittedOn
	}
	if m.FullOn.Before(day) {
		out.FullOn = m.FullOn
	}
	return out
}

// Before is the part of a history that happened before day: entries from that day on are
// left out, and those running past it end on it.
func (h MemberHistory) Before(day Date) MemberHistory {
	var out MemberHistory
	for _, s := range h.Statuses {
		if s.ValidFrom.Before(day) {
			out.Statuses = append(out.Statuses, s)
		}
	}
	for _, ms := range h.Memberships {
		if ms.ValidFrom.Before(day) {
			if ms.ValidTo.IsZero() || ms.ValidTo.After(day) {
				ms.ValidTo = day
			}
			out.Memberships = append(out.Memberships, ms)
		}
	}
	for _, mv := range h.Movements {
		if mv.Date.Before(day) {
			out.Movements = append(out.Movements, mv)
		}
	}
	for _, p := range h.Posts {
		if p.ValidFrom.Before(day) {
			if p.ValidTo.IsZero() || p.ValidTo.After(day) {
				p.ValidTo = day
			}
			out.Posts = append(out.Posts, p)
		}
	}
	return out
}

// Arrival is how a member keyed in from the pages comes into the tree: the cell they belong to
// from On, and where they come from — another province's committee for a member
// transferring in, or nothing for an old record keyed in from paper.
type Arrival struct {
	OrgID    string
	On       Date
	From     string // recorded on a transfer-in movement when set
	Document string // the transfer letter or the decision
}
