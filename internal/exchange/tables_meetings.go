package exchange

// meetingTables are the cells' meetings with their attendance by exception and the questions
// voted, and the residence liaison of working members with the yearly comments
// (docs/meetings.md).
var meetingTables = []Table{
	{Name: "meetings", Columns: []string{"id", "org_id", "kind", "topic", "month", "status", "planned_on", "held_on", "place", "chair", "clerk", "duration_minutes",
		"content_results", "content_tasks", "content_issues", "prepared_by", "agreed_on", "liaison", "liaison_invited", "liaison_attended", "docs_sent_on",
		"on_roll", "present", "guests", "agenda", "discussion", "conclusions", "quality_points", "quality_band", "reviewed_points", "reviewed_band",
		"resolution_number", "resolution_text", "published_on", "note"}, Key: []string{"id"}},
	{Name: "meeting_attendance", Columns: []string{"meeting_id", "member_id", "mark", "reason"}, Key: []string{"meeting_id", "member_id"}},
	{Name: "meeting_decisions", Columns: []string{"meeting_id", "seq", "title", "votes_for", "votes_against", "votes_abstain", "conclusion"}, Key: []string{"meeting_id", "seq"}},
	{Name: "residence_links", Columns: []string{"id", "member_id", "work_org", "cell_id", "valid_from", "valid_to", "category", "letter", "note"}, Key: []string{"id"}},
	{Name: "residence_comments", Columns: []string{"link_id", "year", "requested_on", "returned_on", "comment"}, Key: []string{"link_id", "year"}},
}
