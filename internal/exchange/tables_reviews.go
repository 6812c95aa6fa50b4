package exchange

// reviewTables are the review campaigns, their steps, the reviews, their marks and scores, and
// the remedies (docs/reviews.md).
var reviewTables = []Table{
	{Name: "campaigns", Columns: []string{"id", "org_id", "name", "period_kind", "from", "to", "rule_set", "opened_on", "document"}, Key: []string{"id"}},
	{Name: "campaign_steps", Columns: []string{"campaign_id", "step", "due"}, Key: []string{"campaign_id", "step"}},
	{Name: "reviews", Columns: []string{"id", "campaign_id", "kind", "member_id", "org_id", "decider_id", "strengths", "faults", "causes", "points", "tasks_on_time", "tasks_beyond_pct", "self_rating", "self_on", "comments", "attendance", "proposed_rating", "proposed_on", "final_rating", "decided_on", "decision", "trigger", "trigger_note", "excluded", "tasks_late_pct", "peer_group", "quota_exception"}, Key: []string{"id"}},
	{Name: "review_marks", Columns: []string{"review_id", "code", "explanation"}, Key: []string{"review_id", "code"}},
	{Name: "review_scores", Columns: []string{"review_id", "criterion", "points"}, Key: []string{"review_id", "criterion"}},
	{Name: "remedies", Columns: []string{"id", "review_id", "content", "owner", "due", "status", "done_on", "evidence"}, Key: []string{"id"}},
}
