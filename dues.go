package dangvu

import (
	"fmt"
	"time"
)

// Party dues (issue 17; next-rules.md §1): each member's dated basis, what is owed each month
// under the rule set in force that month (internal/rules/dues), exemptions and reductions with
// their decision and period, payments per member and month, and each organisation's monthly
// remittance to its superior with the share it keeps.

// DuesGroup is the group a member's dues are computed for.
type DuesGroup string

const (
	DuesInsured      DuesGroup = "insured"       // salaried or contract, compulsory social insurance
	DuesBenefit      DuesGroup = "benefit"       // on sick or maternity benefit paid by social insurance
	DuesPension      DuesGroup = "pension"       // pensioner
	DuesStudent      DuesGroup = "student"       // pupil or student, not insured, no allowance
	DuesSelfEmployed DuesGroup = "self_employed" // farmer, self-employed, informal worker
	DuesAbroad       DuesGroup = "abroad"        // living abroad
	DuesOther        DuesGroup = "other"         // other allowances
)

// DuesGroups lists the groups with their Vietnamese names.
var DuesGroups = []Code[DuesGroup]{
	{DuesInsured, "Hưởng lương, đóng BHXH bắt buộc"},
	{DuesBenefit, "Hưởng trợ cấp ốm đau, thai sản"},
	{DuesPension, "Hưởng lương hưu"},
	{DuesStudent, "Học sinh, sinh viên"},
	{DuesSelfEmployed, "Nông dân, lao động tự do"},
	{DuesAbroad, "Ở nước ngoài"},
	{DuesOther, "Đối tượng khác"},
}

// Valid reports whether g is a known group.
func (g DuesGroup) Valid() bool {
	for _, c := range DuesGroups {
		if c.Code == g {
			return true
		}
	}
	return false
}

// DuesReliefKind is the ground of an exemption or reduction.
type DuesReliefKind string

const (
	ReliefPartyAge      DuesReliefKind = "party_age"      // party age of 50 years or more (exempt)
	ReliefSocialPension DuesReliefKind = "social_pension" // on the social pension (exempt)
	ReliefApplication   DuesReliefKind = "application"    // particular hardship, written application (exempt)
	ReliefHardship      DuesReliefKind = "hardship"       // other hardship: 30, 50, 70% or exempt, ≤ 12 months
	ReliefSuspended     DuesReliefKind = "suspended"      // suspended from activity or detained: nothing owed
)

// DuesReliefKinds lists the grounds with their Vietnamese names.
var DuesReliefKinds = []Code[DuesReliefKind]{
	{ReliefPartyAge, "Tuổi đảng từ 50 năm"},
	{ReliefSocialPension, "Hưởng trợ cấp hưu trí xã hội"},
	{ReliefApplication, "Khó khăn đặc biệt, có đơn"},
	{ReliefHardship, "Hoàn cảnh khó khăn (giảm hoặc miễn có thời hạn)"},
	{ReliefSuspended, "Đình chỉ sinh hoạt, tạm giam"},
}

// Valid reports whether k is a known ground.
func (k DuesReliefKind) Valid() bool {
	for _, c := range DuesReliefKinds {
		if c.Code == k {
			return true
		}
	}
	return false
}

// Month is a calendar month, the unit dues are owed and paid in.
type Month struct {
	Year int
	Mon  time.Month
}

// MonthOf returns the month a day falls in.
func MonthOf(t time.Time) Month { return Month{t.Year(), t.Month()} }

// ParseMonth reads "2026-03" (or "03/2026").
func ParseMonth(s string) (Month, error) {
	// By hand, not fmt.Sscanf: a year's summary parses a month for every payment it reads.
	var y, m int
	switch {
	case len(s) == 7 && s[4] == '-' && digits(s[:4]) && digits(s[5:]):
		y, m = atoi(s[:4]), atoi(s[5:])
	case len(s) == 7 && s[2] == '/' && digits(s[:2]) && digits(s[3:]):
		m, y = atoi(s[:2]), atoi(s[3:])
	default:
		return Month{}, fmt.Errorf("tháng %q không hợp lệ: cần yyyy-mm", s)
	}
	if m < 1 || m > 12 || y < 1900 || y > 9998 {
		return Month{}, fmt.Errorf("tháng %q không hợp lệ: cần yyyy-mm", s)
	}
	return Month{y, time.Month(m)}, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// atoi reads a string of digits (checked by digits).
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// String is "2026-03", the stored and exchanged form.
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Mon)) }

// VN is "03/2026".
func (m Month) VN() string { return fmt.Sprintf("%02d/%04d", int(m.Mon), m.Year) }

// First is the month's first day; Last its last.
func (m Month) First() time.Time { return time.Date(m.Year, m.Mon, 1, 0, 0, 0, 0, time.UTC) }
func (m Month) Last() time.Time  { return m.First().AddDate(0, 1, -1) }

// Next is the following month; Add moves by n months.
func (m Month) Next() Month     { return m.Add(1) }
func (m Month) Add(n int) Month { return MonthOf(m.First().AddDate(0, n, 0)) }
func (m Month) Before(o Month) bool {
	return m.Year < o.Year || m.Year == o.Year && m.Mon < o.Mon
}
func (m Month) IsZero() bool { return m.Year == 0 }

// DuesBasis is what a member's dues are computed from, from a date until the next basis.
type DuesBasis struct {
	ID     string    `json:"id"`
	Member string    `json:"member"`
	From   Date      `json:"from"`
	Group  DuesGroup `json:"group"`
	// Amount is what the group's rate applies to in đồng (insured salary of the previous month,
	// benefit, pension, the regional minimum wage for the self-employed, the amount fixed for a
	// member abroad); 0 for groups paying a flat amount.
	Amount int64  `json:"amount"`
	Note   string `json:"note,omitempty"`
}

// DuesExemption is an exemption (Pct 100) or reduction (30, 50, 70) of a member's dues over
// [From, To] (To zero: open-ended, only for grounds without a limit), with the decision.
type DuesExemption struct {
	ID       string         `json:"id"`
	Member   string         `json:"member"`
	Kind     DuesReliefKind `json:"kind"`
	Pct      int            `json:"pct"`
	From     Date           `json:"from"`
	To       Date           `json:"to"`
	Decision string         `json:"decision,omitempty"`
	// DecidedBy is the organisation that decided (the cell itself, or the committee above).
	DecidedBy string `json:"decided_by"`
	Note      string `json:"note,omitempty"`
}

// Payment channels.
const (
	DuesCash   = "cash"   // in cash to the cell
	DuesPortal = "portal" // through the National Public Service Portal
)

// DuesPayment is one member's payment for one month: the amount owed and any voluntary sum above it.
type DuesPayment struct {
	ID        string `json:"id"`
	Member    string `json:"member"`
	Org       string `json:"org"` // the cell that collected it
	Month     Month  `json:"-"`
	Amount    int64  `json:"amount"`
	Voluntary int64  `json:"voluntary,omitempty"`
	Paid      Date   `json:"paid"`
	Channel   string `json:"channel"`
	Reference string `json:"reference,omitempty"`
	Note      string `json:"note,omitempty"`
}

// Remittance kinds.
const (
	RemitMonthly  = "monthly"  // the month's share passed up to the superior
	RemitHandover = "handover" // a balance handed over on a merger, dissolution or split
)

// DuesRemittance is an organisation's remittance for a month: what it collected, what it kept
// under the share table in force, what it passed to To; or a balance handed over on a
// reorganisation (Kind handover, Event the reorganisation).
type DuesRemittance struct {
	ID        string `json:"id"`
	Org       string `json:"org"`
	Month     Month  `json:"-"`
	Kind      string `json:"kind"`
	To        string `json:"to_org"`
	Collected int64  `json:"collected"`
	Kept      int64  `json:"kept"`
	Remitted  int64  `json:"remitted"`
	Sent      Date   `json:"sent"`
	Received  Date   `json:"received,omitzero"`
	Event     string `json:"event,omitempty"`
	Note      string `json:"note,omitempty"`
}

// DuesBookLine is one member's line of a cell's monthly book.
type DuesBookLine struct {
	MemberID    string    `json:"member_id"`
	Name        string    `json:"name"`
	Group       DuesGroup `json:"group,omitempty"`
	GroupName   string    `json:"group_name,omitempty"`
	BasisAmount int64     `json:"basis_amount"`
	HasBasis    bool      `json:"has_basis"`
	Gross       int64     `json:"gross"`
	Pct         int       `json:"reduction_pct,omitempty"`
	Owed        int64     `json:"owed"`
	Paid        int64     `json:"paid"`
	Voluntary   int64     `json:"voluntary,omitempty"`
	PaidOn      Date      `json:"paid_on,omitzero"`
	Channel     string    `json:"channel,omitempty"`
	Reference   string    `json:"reference,omitempty"`
	PaymentID   string    `json:"payment_id,omitempty"`
	Problem     string    `json:"problem,omitempty"`
	// ArrearsMonths are the months of the year, before this one, without full payment.
	ArrearsMonths []string `json:"arrears_months,omitempty"`
}

// DuesBook is a cell's book for a month (sổ thu, nộp đảng phí): every member's line, totals, the
// share kept and remitted under the month's rules, and the remittance recorded.
type DuesBook struct {
	Org       Org             `json:"org"`
	Month     string          `json:"month"`
	Set       string          `json:"rule_set"`
	Lines     []DuesBookLine  `json:"lines"`
	Owed      int64           `json:"owed"`
	Paid      int64           `json:"paid"`
	Voluntary int64           `json:"voluntary"`
	Collected int64           `json:"collected"` // paid + voluntary
	KeepPct   int             `json:"keep_pct"`
	KeepCite  string          `json:"keep_cite"`
	Kept      int64           `json:"kept"`
	Remitted  int64           `json:"remitted"`
	Unpaid    int             `json:"members_unpaid"`
	NoBasis   int             `json:"members_without_basis"`
	Remit     *DuesRemittance `json:"remittance,omitempty"`
}

// DuesSummaryRow is one cell's figures in a ward's summary.
type DuesSummaryRow struct {
	OrgID     string `json:"org_id"`
	OrgName   string `json:"org_name"`
	Liable    int    `json:"members_liable"`
	PaidAll   int    `json:"members_paid_all"`
	NoBasis   int    `json:"members_without_basis"`
	Arrears   int    `json:"members_in_arrears_3m"`
	Owed      int64  `json:"owed"`
	Paid      int64  `json:"paid"`
	Voluntary int64  `json:"voluntary"`
	Kept      int64  `json:"kept"`
	Remitted  int64  `json:"remitted"`
}

// DuesSummary is a ward's (or any organisation's) summary by cell over a range of months.
type DuesSummary struct {
	Org   Org              `json:"org"`
	From  string           `json:"from_month"`
	To    string           `json:"to_month"`
	Rows  []DuesSummaryRow `json:"rows"`
	Total DuesSummaryRow   `json:"total"`
}

// PortalLine is one line of a portal export and what it matches.
type PortalLine struct {
	Row       int    `json:"row"`
	MemberID  string `json:"member_id"`
	Name      string `json:"name,omitempty"`
	Month     string `json:"month"`
	Amount    int64  `json:"amount"`
	Reference string `json:"reference"`
	Owed      int64  `json:"owed"`
	// Status: matched (the amount owed, not yet recorded), differs (another amount), recorded
	// (a payment of that month is recorded already), unmatched (not a member of the organisation
	// that month).
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}

// Reconciliation is a portal export checked against the ledger.
type Reconciliation struct {
	Org       string       `json:"org"`
	Lines     []PortalLine `json:"lines"`
	Matched   int          `json:"matched"`
	Unmatched int          `json:"unmatched"`
	Recorded  int          `json:"recorded"` // payments written (apply)
}
