package exchange

// inspectionTables are the inspection fields, programmes, rounds and subjects, and the discipline
// decisions and their appeals (docs/inspection.md).
var inspectionTables = []Table{
	{Name: "inspection_fields", Columns: []string{"code", "name"}, Key: []string{"code"}},
	{Name: "inspection_programmes", Columns: []string{"id", "org_id", "body", "year", "title", "document"}, Key: []string{"id"}},
	{Name: "inspection_rounds", Columns: []string{"id", "programme_id", "org_id", "body", "kind", "title", "decision", "decided_on", "fields", "team", "planned_from", "planned_to", "stage", "conduct_from", "concluded_on"}, Key: []string{"id"}},
	{Name: "inspection_subjects", Columns: []string{"round_id", "org_id", "member_id", "finding", "severity", "conclusion", "recommendations", "follow_up_due", "follow_up_done"}, Key: []string{"round_id", "org_id", "member_id"}},
	{Name: "disciplines", Columns: []string{"id", "round_id", "member_id", "org_id", "form", "authority_org_id", "authority_body", "violation_on", "renewed_on", "decided_on", "effective_on", "number", "reason", "post", "withdrawn_on", "withdrawn_reason", "no_limit", "higher_task"}, Key: []string{"id"}},
	{Name: "discipline_appeals", Columns: []string{"id", "discipline_id", "received_on", "lodged_on", "handler_org_id", "handler_body", "resolved_on", "outcome", "new_form", "note"}, Key: []string{"id"}},
}
