package exchange

// disseminationTables are the document register, its tasks, the study conferences, their
// attendance and the members' reflections (docs/dissemination.md).
var disseminationTables = []Table{
	{Name: "documents", Columns: []string{"id", "org_id", "direction", "number", "issuer_org_id", "date", "received_on", "title", "file", "secrecy", "implements_id", "reports_on_id"}, Key: []string{"id"}},
	{Name: "tasks", Columns: []string{"id", "document_id", "title", "assignee_org_id", "assignee_member_id", "assignee_name", "deadline", "status", "done_on"}, Key: []string{"id"}},
	{Name: "task_notes", Columns: []string{"task_id", "date", "status", "note", "evidence"}, Key: []string{"task_id", "date"}},
	{Name: "conferences", Columns: []string{"id", "kind", "org_id", "scope_org_id", "title", "date", "end_date", "place", "presenter", "reflection"}, Key: []string{"id"}},
	{Name: "conference_documents", Columns: []string{"conference_id", "document_id"}, Key: []string{"conference_id", "document_id"}},
	{Name: "attendance", Columns: []string{"conference_id", "member_id", "status", "reason", "made_up_on"}, Key: []string{"conference_id", "member_id"}},
	{Name: "reflections", Columns: []string{"id", "member_id", "document_id", "conference_id", "date", "text"}, Key: []string{"id"}},
}
