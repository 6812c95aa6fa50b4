package dangvu

// Annual (or per term, quarterly, ad hoc) self-criticism review, evaluation and classification
// (kiểm điểm, đánh giá, xếp loại chất lượng; domain.md §6). The rules that apply to a campaign
// are in internal/rules/review, chosen by the campaign's period.

// Rating is a classification result.
type Rating string

const (
	RatingExcellent    Rating = "excellent"     // Hoàn thành xuất sắc nhiệm vụ
	RatingGood         Rating = "good"          // Hoàn thành tốt nhiệm vụ
	RatingCompleted    Rating = "completed"     // Hoàn thành nhiệm vụ
	RatingNotCompleted Rating = "not_completed" // Không hoàn thành nhiệm vụ
)

// Ratings lists the results from the best, with their Vietnamese names.
var Ratings = []Code[Rating]{
	{RatingExcellent, "Hoàn thành xuất sắc nhiệm vụ"},
	{RatingGood, "Hoàn thành tốt nhiệm vụ"},
	{RatingCompleted, "Hoàn thành nhiệm vụ"},
	{RatingNotCompleted, "Không hoàn thành nhiệm vụ"},
}

// Rank orders ratings: 0 for excellent … 3 for not completed, 4 for none.
func (r Rating) Rank() int {
	for i, c := range Ratings {
		if c.Code == r {
			return i
		}
	}
	return len(Ratings)
}

// SubjectKind is who or what is reviewed.
type SubjectKind string

const (
	SubjectMember     SubjectKind = "member"     // đảng viên
	SubjectOrg        SubjectKind = "org"        // tổ chức đảng (chi bộ, đảng bộ)
	SubjectCollective SubjectKind = "collective" // tập thể lãnh đạo (ban thường vụ, cấp ủy)
	SubjectCadre      SubjectKind = "cadre"      // cán bộ lãnh đạo, quản lý (cấp ủy viên, người đứng đầu)
)

// SubjectKinds lists the kinds with their Vietnamese names.
var SubjectKinds = []Code[SubjectKind]{
	{SubjectMember, "Đảng viên"},
	{SubjectOrg, "Tổ chức đảng"},
	{SubjectCollective, "Tập thể lãnh đạo"},
	{SubjectCadre, "Cán bộ lãnh đạo, quản lý"},
}

// IsPerson reports whether the subject is one person (a member or a leading cadre).
func (k SubjectKind) IsPerson() bool { return k == SubjectMember || k == SubjectCadre }

// PeriodKind is what a campaign reviews: a year, a term, a quarter, or an ad hoc period.
type PeriodKind string

const (
	PeriodYear    PeriodKind = "year"
	PeriodTerm    PeriodKind = "term"
	PeriodQuarter PeriodKind = "quarter"
	PeriodAdHoc   PeriodKind = "adhoc"
)

// PeriodKinds lists the kinds with their Vietnamese names.
var PeriodKinds = []Code[PeriodKind]{
	{PeriodYear, "Hằng năm"},
	{PeriodTerm, "Nhiệm kỳ"},
	{PeriodQuarter, "Hằng quý"},
	{PeriodAdHoc, "Khi cần thiết"},
}

// Review steps, in order; a campaign's schedule gives each a deadline.
const (
	StepSelf     = "self"     // tự kiểm điểm, tự đánh giá
	StepComment  = "comment"  // họp chi bộ, góp ý, đề xuất
	StepDecision = "decision" // thẩm định và quyết định của cấp có thẩm quyền
	StepUpward   = "upward"   // báo cáo kết quả lên cấp trên
)

// ReviewSteps lists the steps with their Vietnamese names.
var ReviewSteps = []Code[string]{
	{StepSelf, "Tự kiểm điểm, tự đánh giá xếp loại"},
	{StepComment, "Họp góp ý, đề xuất xếp loại"},
	{StepDecision, "Thẩm định, quyết định xếp loại"},
	{StepUpward, "Báo cáo kết quả lên cấp trên"},
}

// CampaignStep is one step of a campaign's schedule.
type CampaignStep struct {
	Step string `json:"step"`
	Due  Date   `json:"due"`
}

// Campaign is a review round opened by a committee for its subtree.
type Campaign struct {
	ID         string         `json:"id" api:"required"`
	OrgID      string         `json:"org_id" api:"required"`
	OrgName    string         `json:"org_name,omitempty"`
	Name       string         `json:"name" api:"required"`
	PeriodKind PeriodKind     `json:"period_kind"`
	From       Date           `json:"from" api:"required"` // the period reviewed, both days included
	To         Date           `json:"to" api:"required"`
	RuleSet    string         `json:"rule_set"` // internal/rules/review code: qd132, qd124, qd366, legacy
	OpenedOn   Date           `json:"opened_on"`
	Document   string         `json:"document,omitempty"` // the plan or guidance that opened it
	Steps      []CampaignStep `json:"steps"`
}

// Mark is a manifestation of Resolution 4 a reviewed person or collective ticked, with the
// explanation the form requires.
type Mark struct {
	Code        string `json:"code"` // "1.6": group 1, item 6 of the catalogue
	Explanation string `json:"explanation"`
}

// Score is the points given for one criterion (QĐ 366's 100-point scale).
type Score struct {
	Criterion string `json:"criterion"`
	Points    int    `json:"points"`
}

// Remedy statuses.
const (
	RemedyOpen = "open" // chưa khắc phục
	RemedyDone = "done" // đã khắc phục
)

// Remedy is a fault's remedy with its owner, deadline, status and evidence.
type Remedy struct {
	ID       string `json:"id"`
	ReviewID string `json:"review_id"`
	Content  string `json:"content" api:"required"`
	Owner    string `json:"owner"`
	Due      Date   `json:"due" api:"required"`
	Status   string `json:"status"`
	DoneOn   Date   `json:"done_on,omitzero"`
	Evidence string `json:"evidence,omitempty"`
	// Filled when read: the review's subject and campaign, and whether it is past due today.
	Subject    string `json:"subject,omitempty"`
	OrgID      string `json:"org_id,omitempty"`
	CampaignID string `json:"campaign_id,omitempty"`
	Overdue    bool   `json:"overdue"`
}

// Review is one subject's review in a campaign: the self-review, the comments and proposal of
// the meeting, and the decision, with the rule set's automatic outcome and its reasons.
type Review struct {
	ID         string      `json:"id"`
	CampaignID string      `json:"campaign_id"`
	Kind       SubjectKind `json:"kind"`
	MemberID   string      `json:"member_id,omitempty"` // members and cadres
	MemberName string      `json:"member_name,omitempty"`
	OrgID      string      `json:"org_id"` // the member's organisation, or the organisation reviewed
	OrgName    string      `json:"org_name,omitempty"`
	// DeciderID is the organisation whose committee decides the rating: the grassroots
	// organisation for its members and cells, the level above for a grassroots organisation.
	// Quotas are counted per decider.
	DeciderID string `json:"decider_id"`

	Strengths string `json:"strengths"`
	Faults    string `json:"faults"`
	Causes    string `json:"causes"`
	Marks     []Mark `json:"marks"`
	// Points is the total on QĐ 366's 100-point scale, nil when not scored; Scores, when
	// given, break it down by criterion and add up to it.
	Points *int    `json:"points"`
	Scores []Score `json:"scores"`
	// TasksOnTime and TasksBeyondPct are QĐ 366's conditions beside the points.
	TasksOnTime    bool `json:"tasks_on_time"`
	TasksBeyondPct int  `json:"tasks_beyond_pct"`
	// TasksLatePct is the share of tasks behind schedule (QĐ 366: at most 20% for "completed").
	TasksLatePct int `json:"tasks_late_pct"`
	// PeerGroup is the group of subjects with similar roles and tasks within which the decider
	// counts the excellent quota (QĐ 124 Điều 12; QĐ 366 Điều 11); empty: the subject kind's group.
	PeerGroup string `json:"peer_group,omitempty"`
	// QuotaException is the document by which the competent level allowed the higher quota to an
	// outstanding unit (QĐ 366: up to 25%), recorded with the decision.
	QuotaException string `json:"quota_exception,omitempty"`
	SelfRating     Rating `json:"self_rating,omitempty"`
	SelfOn         Date   `json:"self_on,omitzero"`

	Comments       string `json:"comments"`   // the meeting's comments
	Attendance     string `json:"attendance"` // who attended, including the higher level's
	ProposedRating Rating `json:"proposed_rating,omitempty"`
	ProposedOn     Date   `json:"proposed_on,omitzero"`

	FinalRating Rating `json:"final_rating,omitempty"`
	DecidedOn   Date   `json:"decided_on,omitzero"`
	Decision    string `json:"decision,omitempty"` // document or note of the decision

	// Trigger is a ground for "not completed" recorded in the review itself (a concluded
	// degradation, a breach of QĐ 37...), with its note; discipline comes from the records.
	Trigger     string `json:"trigger,omitempty"`
	TriggerNote string `json:"trigger_note,omitempty"`
	// Excluded says why the subject is not rated (exempt, suspended, recently admitted).
	Excluded string `json:"excluded,omitempty"`
	// Reasons explain the automatic outcome, filled when read or decided.
	Reasons []string `json:"reasons,omitempty"`

	Remedies []Remedy `json:"remedies"`
}

// Subject is the display name of the reviewed.
func (r Review) Subject() string {
	if r.MemberName != "" {
		return r.MemberName
	}
	if r.Kind == SubjectCollective {
		return "Tập thể lãnh đạo " + r.OrgName
	}
	return r.OrgName
}

// ReviewFilter narrows a campaign's reviews.
type ReviewFilter struct {
	CampaignID string
	Under      string // organisation: subjects in its subtree at the period's end
	Kind       SubjectKind
	DeciderID  string
}

// RollCell counts final ratings in one year.
type RollCell struct {
	Year         string `json:"year"`
	Excellent    int    `json:"excellent"`
	Good         int    `json:"good"`
	Completed    int    `json:"completed"`
	NotCompleted int    `json:"not_completed"`
	None         int    `json:"none"`
}

// Total is the number of subjects counted.
func (c RollCell) Total() int { return c.Excellent + c.Good + c.Completed + c.NotCompleted + c.None }

// Add counts n subjects rated r.
func (c *RollCell) Add(r Rating, n int) {
	switch r {
	case RatingExcellent:
		c.Excellent += n
	case RatingGood:
		c.Good += n
	case RatingCompleted:
		c.Completed += n
	case RatingNotCompleted:
		c.NotCompleted += n
	default:
		c.None += n
	}
}

// RollRow is one line of a roll-up: a level or an organisation, year by year.
type RollRow struct {
	Key   string     `json:"key"`
	Label string     `json:"label"`
	Cells []RollCell `json:"cells"` // one per year of RollUp.Years
}

// RollUp is the year-over-year roll-up of yearly campaigns' ratings under an organisation: by
// level of subject, and, for members, by deciding grassroots organisation.
type RollUp struct {
	OrgID   string    `json:"org_id"`
	OrgName string    `json:"org_name"`
	Years   []string  `json:"years"`
	ByLevel []RollRow `json:"by_level"`
	ByOrg   []RollRow `json:"by_org"`
}

// ManifestationCount is how many reviews under one organisation ticked one manifestation.
type ManifestationCount struct {
	OrgID   string `json:"org_id"`
	OrgName string `json:"org_name"`
	Code    string `json:"code"`
	Label   string `json:"label"`
	Count   int    `json:"count"`
}

// SelfReview is what a member (or the secretary, from the paper form) enters for the
// self-review step.
type SelfReview struct {
	Strengths, Faults, Causes string
	Marks                     []Mark
	Scores                    []Score // QĐ 366: points per criterion
	TasksOnTime               bool
	TasksBeyondPct            int
	TasksLatePct              int // share of tasks behind schedule
	SelfRating                Rating
	Remedies                  []Remedy // new remedies: content, owner, due
	On                        Date     // the day it is submitted; today when zero
}

// ReviewMeeting is what the cell meeting (or the committee meeting for a collective) records: its
// comments, who attended — including, for ward and commune committees, the higher committee's
// standing member in charge and the representatives of its party-building boards (the seed
// article, P2) — and the rating it proposes.
type ReviewMeeting struct {
	Comments, Attendance string
	Proposed             Rating
	Trigger, TriggerNote string // a ground for "not completed" the meeting records
	Excluded             string // why the subject is not rated (e.g. suspended)
	// PeerGroup is the group of similar roles and tasks the subject is rated in (the quota is
	// counted within it); empty: the subject kind's group.
	PeerGroup string
	On        Date // the meeting's day; today when zero
}

// ReviewDecision is one decider's ratings for a set of reviews of a campaign.
type ReviewDecision struct {
	CampaignID string
	DeciderID  string
	Ratings    map[string]Rating // review id → rating
	On         Date              // the decision's day; today when zero
	Document   string
	// QuotaException is the document by which the competent level allows this decider's
	// outstanding unit the higher quota (QĐ 366 Điều 11 khoản 1 điểm 1.5: up to 25%).
	QuotaException string
}

// ReviewDecisionResult lists what a decision did: each review's rating and, for those the rules
// rated, why.
type ReviewDecisionResult struct {
	Decided   int               `json:"decided"`
	Automatic map[string]string `json:"automatic"` // review id → reasons of an imposed "not completed"
}

// CampaignProgress is a campaign's progress in one organisation (the subjects' organisation).
type CampaignProgress struct {
	OrgID    string   `json:"org_id"`
	OrgName  string   `json:"org_name"`
	Subjects int      `json:"subjects"`
	Self     int      `json:"self_submitted"`
	Proposed int      `json:"proposed"`
	Decided  int      `json:"decided"`
	Missing  []string `json:"not_submitted"` // members who have not submitted their self-review
}
