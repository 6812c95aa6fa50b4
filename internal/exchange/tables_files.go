package exchange

// fileTables are member files, cards, badges and the yearly supplement (docs/member-files.md):
// the dated details the forms need, family members, the documents of each file by CV 1361
// catalogue type (metadata only: the encrypted scans stay in attachments/), supplements, party
// cards, badges, and the 14-digit organisation code over time.
var fileTables = []Table{
	{Name: "org_codes", Columns: []string{"org_id", "valid_from", "valid_to", "code"}, Key: []string{"org_id", "valid_from"}},
	{Name: "member_details", Columns: []string{"member_id", "valid_from", "birth_name", "birth_place", "foreign_languages", "awards", "photo", "note"}, Key: []string{"member_id", "valid_from"}},
	{Name: "family_members", Columns: []string{"id", "member_id", "relation", "full_name", "birth_year", "residence", "occupation", "note"}, Key: []string{"id"}},
	{Name: "file_documents", Columns: []string{"id", "member_id", "type_no", "date", "title", "attachment", "sha256", "pages", "added_on", "note"}, Key: []string{"id"}},
	{Name: "supplements", Columns: []string{"id", "member_id", "org_id", "year", "changes", "status", "entered_on", "checked_on", "certified_on", "note"}, Key: []string{"id"}},
	{Name: "cards", Columns: []string{"id", "member_id", "number", "kind", "issued_on", "decision", "ended_on", "end_reason", "note"}, Key: []string{"id"}},
	{Name: "badges", Columns: []string{"id", "member_id", "org_id", "milestone", "kind", "ceremony", "decision", "decided_on", "presented_on", "cash_amount", "note"}, Key: []string{"id"}},
}
