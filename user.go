package dangvu

// UserRole is what a user may do; their organisation subtree (User.OrgID) says where.
type UserRole string

const (
	UserAdmin           UserRole = "admin"            // quản trị hệ thống
	UserLeadership      UserRole = "leadership"       // lãnh đạo cấp ủy (ủy viên ban thường vụ)
	UserStaffOrg        UserRole = "staff_org"        // cán bộ ban tổ chức
	UserStaffInspection UserRole = "staff_inspection" // cán bộ ủy ban kiểm tra
	UserStaffOffice     UserRole = "staff_office"     // cán bộ văn phòng cấp ủy
	UserSecretary       UserRole = "secretary"        // bí thư tổ chức cơ sở đảng, chi bộ
	UserMember          UserRole = "member"           // đảng viên: chỉ hồ sơ của mình
)

// UserRoles lists every role with its Vietnamese name.
var UserRoles = []Code[UserRole]{
	{UserAdmin, "Quản trị hệ thống"},
	{UserLeadership, "Lãnh đạo cấp ủy"},
	{UserStaffOrg, "Cán bộ tổ chức"},
	{UserStaffInspection, "Cán bộ kiểm tra"},
	{UserStaffOffice, "Cán bộ văn phòng"},
	{UserSecretary, "Bí thư chi bộ, đảng bộ cơ sở"},
	{UserMember, "Đảng viên"},
}

// User is someone who logs in. OrgID is the root of the subtree they see (empty for an
// administrator of the whole system); MemberID links a member's own account to their record.
type User struct {
	ID       int64    `json:"id"`
	Username string   `json:"username"`
	FullName string   `json:"full_name"`
	UserRole UserRole `json:"role"`
	OrgID    string   `json:"org_id,omitempty"`
	MemberID string   `json:"member_id,omitempty"`
	Disabled bool     `json:"disabled"`
	TOTP     bool     `json:"totp"` // a second factor is set up
}

// Can reports whether a role may perform an action. Scope (the subtree) is checked apart.
func (r UserRole) Can(a Action) bool {
	switch a {
	case ActRead:
		return true
	case ActEditMembers:
		return r == UserAdmin || r == UserStaffOrg || r == UserSecretary
	case ActImport:
		// The staff of an organisation import into their own subtree: every row is checked
		// against it (store.ImportOptions.Within, issue 21).
		return r == UserAdmin || r == UserStaffOrg
	case ActExport:
		return r == UserAdmin || r == UserStaffOrg || r == UserStaffOffice
	case ActAudit:
		return r == UserAdmin || r == UserLeadership || r == UserStaffOrg || r == UserStaffInspection
	case ActRevealSensitive:
		return r == UserAdmin || r == UserStaffOrg || r == UserSecretary
	case ActManageUsers:
		return r == UserAdmin
	case ActReports:
		return r != UserMember
	case ActAdmissions:
		return r == UserAdmin || r == UserStaffOrg || r == UserSecretary
	case ActDocuments:
		return r == UserAdmin || r == UserStaffOffice || r == UserSecretary
	case ActReadSecret:
		return r == UserAdmin || r == UserLeadership || r == UserStaffOffice
	case ActConferences:
		return r == UserAdmin || r == UserStaffOffice || r == UserStaffOrg || r == UserSecretary
	case ActReviews:
		return r == UserAdmin || r == UserStaffOrg || r == UserSecretary || r == UserLeadership
	case ActInspection:
		return r == UserAdmin || r == UserStaffInspection
	case ActReadInspection:
		return r == UserAdmin || r == UserStaffInspection || r == UserLeadership
	case ActDues:
		// The cell collects and records dues; the committee offices keep the accounts.
		return r == UserAdmin || r == UserSecretary || r == UserStaffOrg || r == UserStaffOffice || r == UserLeadership
	case ActMemberFiles:
		return r == UserAdmin || r == UserStaffOrg || r == UserSecretary
	case ActReadMemberFiles:
		return r == UserAdmin || r == UserStaffOrg || r == UserSecretary || r == UserLeadership
	case ActMeetings:
		return r == UserAdmin || r == UserStaffOrg || r == UserStaffOffice || r == UserSecretary
	case ActSelfService:
		return r == UserMember || r == UserSecretary || r == UserStaffOrg || r == UserStaffOffice ||
			r == UserStaffInspection || r == UserLeadership
	}
	return false
}

// Action is something a role may be allowed to do.
type Action string

const (
	ActRead            Action = "read"
	ActEditMembers     Action = "edit_members"
	ActImport          Action = "import"
	ActExport          Action = "export"
	ActAudit           Action = "audit"
	ActRevealSensitive Action = "reveal_sensitive"
	ActManageUsers     Action = "manage_users"
	ActReports         Action = "reports"           // the report page, drill-down lists and exports
	ActAdmissions      Action = "admissions"        // admission files and membership life-cycle acts
	ActDocuments       Action = "documents"         // the document register, programmes and tasks
	ActReadSecret      Action = "read_secret"       // documents marked secret
	ActConferences     Action = "conferences"       // conferences, courses and attendance
	ActReviews         Action = "reviews"           // review campaigns, ratings and remedies
	ActInspection      Action = "inspection"        // inspection, supervision and discipline
	ActReadInspection  Action = "read_inspection"   // reading inspection cases and discipline decisions
	ActSelfService     Action = "self_service"      // a member's own study, reviews and reflections
	ActMeetings        Action = "meetings"          // the cells' meeting register, minutes, residence links
	ActDues            Action = "dues"              // party dues: bases, exemptions, payments, remittances
	ActMemberFiles     Action = "member_files"      // member files, cards, badges and supplements: writing
	ActReadMemberFiles Action = "read_member_files" // reading member files, their scans, cards and badges
)
