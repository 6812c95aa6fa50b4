// Package exchange reads and writes the data exchange format of docs/data-format.md: one table per
// CSV file in a folder, or one sheet per table in an XLSX workbook. It deals in rows of text; the
// store decodes them into domain types.
package exchange

// Table is a table of the exchange format with its columns in file order.
type Table struct {
	Name    string
	Columns []string
	// Key lists the columns that identify a row, for updates and stable ordering.
	Key []string
}

// Tables lists every table in dependency order: a table refers only to tables before it.
var Tables = []Table{
	{"reorganisations", []string{"id", "date", "kind", "document", "description"}, []string{"id"}},
	{"organisations", []string{"id", "valid_from", "valid_to", "name", "parent_id", "level", "kind", "issuer_code", "event_id"}, []string{"id", "valid_from"}},
	{"terms", []string{"id", "org_id", "name", "start", "end", "document"}, []string{"id"}},
	{"localities", []string{"id", "name", "kind", "cell_id", "valid_from", "valid_to"}, []string{"id"}},
	{"units", []string{"id", "name", "kind", "org_id", "valid_from", "valid_to"}, []string{"id"}},
	{"members", []string{"id", "full_name", "other_names", "gender", "birth_date", "ethnicity", "religion", "hometown", "residence", "id_number", "phone", "education", "qualification", "theory_level", "occupation", "position", "admitted_on", "full_on", "card_number", "card_date", "note"}, []string{"id"}},
	{"member_statuses", []string{"member_id", "valid_from", "status", "document", "reason"}, []string{"member_id", "valid_from"}},
	{"memberships", []string{"member_id", "org_id", "valid_from", "valid_to", "kind", "document", "event_id"}, []string{"member_id", "valid_from", "kind"}},
	{"movements", []string{"id", "member_id", "kind", "date", "from_org_id", "to_org_id", "external", "document", "note"}, []string{"id"}},
	{"posts", []string{"id", "role", "org_id", "term_id", "locality_id", "unit_id", "member_id", "holder_name", "title", "valid_from", "valid_to"}, []string{"id"}},
}

// Lookup returns the table with the given name.
func Lookup(name string) (Table, bool) {
	for _, t := range Tables {
		if t.Name == name {
			return t, true
		}
	}
	return Table{}, false
}

// Register adds tables after the existing ones. Domains call it from init functions, so a table
// registered later may refer to the ones before it.
func Register(ts ...Table) { Tables = append(Tables, ts...) }
