package dangvu

import "time"

// Level is the place of a party organisation in the hierarchy (domain.md §2). There is no fixed
// number of levels: the district level existed until 30/6/2025 and not after.
type Level string

const (
	LevelCentral             Level = "central"              // Trung ương
	LevelProvince            Level = "province"             // Đảng bộ tỉnh, thành phố trực thuộc TW
	LevelDistrict            Level = "district"             // Đảng bộ huyện, thị xã, thành phố thuộc tỉnh (đến 30/6/2025)
	LevelSuperior            Level = "superior"             // Đảng bộ cấp trên cơ sở khác (khối, công an, quân sự...)
	LevelGrassrootsCommittee Level = "grassroots_committee" // Đảng bộ cơ sở
	LevelGrassrootsCell      Level = "grassroots_cell"      // Chi bộ cơ sở
	LevelPartialCommittee    Level = "partial_committee"    // Đảng bộ bộ phận
	LevelCell                Level = "cell"                 // Chi bộ trực thuộc
)

// Levels lists every level with its Vietnamese name, in order from the top.
var Levels = []Code[Level]{
	{LevelCentral, "Trung ương"},
	{LevelProvince, "Đảng bộ tỉnh"},
	{LevelDistrict, "Đảng bộ cấp huyện"},
	{LevelSuperior, "Đảng bộ cấp trên cơ sở"},
	{LevelGrassrootsCommittee, "Đảng bộ cơ sở"},
	{LevelGrassrootsCell, "Chi bộ cơ sở"},
	{LevelPartialCommittee, "Đảng bộ bộ phận"},
	{LevelCell, "Chi bộ trực thuộc"},
}

// IsGrassroots reports whether the level is a grassroots party organisation (tổ chức cơ sở đảng).
func (l Level) IsGrassroots() bool {
	return l == LevelGrassrootsCommittee || l == LevelGrassrootsCell
}

// IsCell reports whether organisations of this level are cells, which hold members directly and
// have no organisations under them.
func (l Level) IsCell() bool { return l == LevelCell || l == LevelGrassrootsCell }

// OrgKind says where an organisation sits (domain.md §2).
type OrgKind string

const (
	KindCentral            OrgKind = "central"
	KindProvince           OrgKind = "province"
	KindDistrict           OrgKind = "district"
	KindCommune            OrgKind = "commune"
	KindWard               OrgKind = "ward"
	KindTown               OrgKind = "town"
	KindResidential        OrgKind = "residential"
	KindPartyAgency        OrgKind = "party_agency"
	KindStateAgency        OrgKind = "state_agency"
	KindFrontAgency        OrgKind = "front_agency"
	KindPublicService      OrgKind = "public_service"
	KindStateEnterprise    OrgKind = "state_enterprise"
	KindNonStateEnterprise OrgKind = "nonstate_enterprise"
	KindArmedForces        OrgKind = "armed_forces"
	KindPolice             OrgKind = "police"
	KindBloc               OrgKind = "bloc"
	KindOther              OrgKind = "other"
)

// OrgKinds lists every kind with its Vietnamese name.
var OrgKinds = []Code[OrgKind]{
	{KindCentral, "Trung ương"},
	{KindProvince, "Tỉnh, thành phố"},
	{KindDistrict, "Huyện, thị xã, thành phố thuộc tỉnh"},
	{KindCommune, "Xã"},
	{KindWard, "Phường"},
	{KindTown, "Thị trấn"},
	{KindResidential, "Thôn, khu, tổ dân phố"},
	{KindPartyAgency, "Cơ quan Đảng"},
	{KindStateAgency, "Cơ quan nhà nước"},
	{KindFrontAgency, "Mặt trận Tổ quốc, đoàn thể"},
	{KindPublicService, "Đơn vị sự nghiệp"},
	{KindStateEnterprise, "Doanh nghiệp nhà nước"},
	{KindNonStateEnterprise, "Doanh nghiệp ngoài nhà nước"},
	{KindArmedForces, "Quân đội"},
	{KindPolice, "Công an"},
	{KindBloc, "Khối cơ quan, doanh nghiệp"},
	{KindOther, "Khác"},
}

// Code is an item of reference data: a stable code and its Vietnamese name.
type Code[T ~string] struct {
	Code T      `json:"code"`
	Name string `json:"name"`
}

// CodeName returns the Vietnamese name of code c in list, or c itself when unknown.
func CodeName[T ~string](list []Code[T], c T) string {
	for _, x := range list {
		if x.Code == c {
			return x.Name
		}
	}
	return string(c)
}

// ValidCode reports whether c is in list.
func ValidCode[T ~string](list []Code[T], c T) bool {
	for _, x := range list {
		if x.Code == c {
			return true
		}
	}
	return false
}

// Org is one version of a party organisation: its name, parent and kind during [ValidFrom, ValidTo).
// An organisation that is renamed or moved gets a new version; its id never changes.
type Org struct {
	ID         string  `json:"id"`
	ValidFrom  Date    `json:"valid_from"`
	ValidTo    Date    `json:"valid_to"` // Forever while in force
	Name       string  `json:"name"`
	ParentID   string  `json:"parent_id,omitempty"`
	Level      Level   `json:"level"`
	Kind       OrgKind `json:"kind"`
	IssuerCode string  `json:"issuer_code,omitempty"` // the issuer part of document symbols: TU, HU, ĐU, CB...
	EventID    string  `json:"event_id,omitempty"`    // the reorganisation that opened this version
	// Path is the materialised path "/root/…/id/" during this version, derived on write.
	Path  string `json:"path"`
	Depth int    `json:"depth"`
}

// OrgNode is an organisation as of a date, with counts for a tree view.
type OrgNode struct {
	Org
	Members  int `json:"members"`
	Children int `json:"children"`
}

// ReorgKind is the kind of a reorganisation event.
type ReorgKind string

const (
	ReorgCreate   ReorgKind = "create"
	ReorgRename   ReorgKind = "rename"
	ReorgMove     ReorgKind = "move"
	ReorgMerge    ReorgKind = "merge"
	ReorgSplit    ReorgKind = "split"
	ReorgDissolve ReorgKind = "dissolve"
)

// ReorgKinds lists reorganisation kinds with their Vietnamese names.
var ReorgKinds = []Code[ReorgKind]{
	{ReorgCreate, "Thành lập"},
	{ReorgRename, "Đổi tên"},
	{ReorgMove, "Chuyển trực thuộc"},
	{ReorgMerge, "Hợp nhất, sáp nhập"},
	{ReorgSplit, "Chia tách"},
	{ReorgDissolve, "Giải thể"},
}

// ReorgEvent records a change to the tree: its date, legal basis and description. Its effects are
// the organisation versions and memberships that name it.
type ReorgEvent struct {
	ID          string    `json:"id"`
	Date        Date      `json:"date"`
	Kind        ReorgKind `json:"kind"`
	Document    string    `json:"document,omitempty"` // legal basis, e.g. "Số 123-QĐ/TU"
	Description string    `json:"description,omitempty"`
}

// Reorganisation is a change to the tree on Event.Date, applied in one transaction: each change
// opens a new version of an organisation (create, rename, move) or ends it (dissolve, or the sources
// of a merge or split); transfers carry members in bulk. Merge A+B→C is: create C, end A and B,
// transfer A→C and B→C. Split A→B+C is: create B and C, transfer the listed members A→B and the
// rest A→C, end A. Descendants of a moved organisation follow it.
type Reorganisation struct {
	Event     ReorgEvent     `json:"event"`
	Changes   []OrgChange    `json:"changes"`
	Transfers []BulkTransfer `json:"transfers"`
	// DuesTo names, for an organisation the event ends, who receives its party dues balance
	// (docs/dues.md): needed on a split (the superior decides); otherwise a merger's balance
	// passes to the organisation the event creates and a dissolution's to the superior.
	DuesTo map[string]string `json:"dues_to,omitempty"`
}

// OrgChange opens a new version of an organisation from the event date (fields left empty keep
// their current value), or ends it when End is set.
type OrgChange struct {
	OrgID      string  `json:"org_id"`
	End        bool    `json:"end,omitempty"`
	Name       string  `json:"name,omitempty"`
	ParentID   string  `json:"parent_id,omitempty"`
	Level      Level   `json:"level,omitempty"`
	Kind       OrgKind `json:"kind,omitempty"`
	IssuerCode string  `json:"issuer_code,omitempty"`
}

// BulkTransfer moves members from one organisation to another on the event date: the listed
// members, or when none are listed, all members the source still has.
type BulkTransfer struct {
	From    string   `json:"from"`
	To      string   `json:"to"`
	Members []string `json:"members,omitempty"`
}

// OrgFilter selects organisations as of a date.
type OrgFilter struct {
	AsOf     time.Time
	Under    string // subtree root id; empty for all
	ParentID string // direct children of
	Name     string // folded substring of the name
	Levels   []Level
	Depth    int // levels below Under (or below the top) to include; 0 for all
	Limit    int
}

// CountFilter narrows a member count.
type CountFilter struct {
	Status Status // one status; empty for all in-party statuses
	Gender string
}

// StubRole says why a subtree's exchange file carries an organisation outside the subtree
// (the table external_organisations, issue 21).
type StubRole string

const (
	StubAncestor  StubRole = "ancestor"  // above the exported organisation in one of its versions
	StubReference StubRole = "reference" // the far end of a movement, a merge, a document…
)

// StubRoles lists the roles of an external organisation with their Vietnamese names.
var StubRoles = []Code[StubRole]{
	{StubAncestor, "Tổ chức cấp trên"},
	{StubReference, "Tổ chức ngoài được nhắc tới"},
}

// OrgEnd says how an organisation ended, for the people whose accounts still name it: every
// district committee ended on 1/7/2025, and its staff must still reach its records and learn
// where its members went. It is a view the store computes (Store.OrgEnd) and the pages render,
// kept here so that they need not import the store for its type.
type OrgEnd struct {
	Org     Org  // its last version, as of LastDay
	LastDay Date // zero while the organisation is in force
	// Events are the reorganisations of its end date whose description names it (else the only
	// one of that date).
	Events []ReorgEvent
	// Successors are where the members of its subtree on its last day belong the next day: for
	// each, the first organisation of their new path that was not already above the ended one,
	// most members first.
	Successors []Successor
}

// Successor is an organisation that received members of an ended one.
type Successor struct {
	Org     Org
	Members int
}
