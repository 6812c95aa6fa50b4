package dangvu

// Attention is something a committee must act on: a deadline due soon or past (an admission
// decision not made in time, a task overdue, a remedy unmet, an appeal to answer). Each domain
// computes its own; the home page and /api/v1/attention list them together, soonest first.
type Attention struct {
	Kind     string `json:"kind"`  // the domain's code, e.g. "admission_decision_due"
	Title    string `json:"title"` // Vietnamese, e.g. "Quá hạn ra quyết định kết nạp"
	Detail   string `json:"detail,omitempty"`
	OrgID    string `json:"org_id,omitempty"`
	OrgName  string `json:"org_name,omitempty"`
	MemberID string `json:"member_id,omitempty"`
	Due      Date   `json:"due"`
	Overdue  bool   `json:"overdue"`
	Link     string `json:"link,omitempty"` // the page where it is dealt with
	Rule     string `json:"rule,omitempty"` // the article that sets the deadline
	// Secrecy is that of the document the item names; Store.Attention drops the item for a
	// reader who may not read it (Secrecy.Readable).
	Secrecy Secrecy `json:"-"`
}
