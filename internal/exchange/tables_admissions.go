package exchange

// admissionTables are the admission files, their stages and the membership life-cycle acts
// (docs/admissions.md).
var admissionTables = []Table{
	{Name: "admission_files", Columns: []string{"id", "org_id", "full_name", "gender", "birth_date", "education", "youth_union", "member_id", "readmission", "note"}, Key: []string{"id"}},
	{Name: "admission_steps", Columns: []string{"file_id", "stage", "date", "document", "issuer", "entitled", "present", "yes", "people", "known", "replacements", "extension", "outcome", "override", "attachment", "note"}, Key: []string{"file_id", "stage"}},
	{Name: "life_acts", Columns: []string{"id", "member_id", "kind", "date", "org_id", "external", "until", "effective", "document", "card_number", "reason", "override"}, Key: []string{"id"}},
}
