// Package exchange reads and writes the data exchange format of docs/data-format.md: one table per
// CSV file in a folder, or one sheet per table in an XLSX workbook. It deals in rows of text; the
// store decodes them into domain types.
package exchange

import "slices"

// Table is a table of the exchange format with its columns in file order.
type Table struct {
	Name    string
	Columns []string
	// Key lists the columns that identify a row, for updates and stable ordering.
	Key []string
}

// tables is the whole format in dependency order, a table referring only to tables before it:
// the core, then each domain's tables from its own file (tables_<domain>.go). It is the one list
// of the format; the store binds each table to its import and export (internal/store/register.go)
// and a test there checks that none is missing.
var tables = slices.Concat(coreTables, admissionTables, disseminationTables, inspectionTables, reviewTables, duesTables, fileTables, meetingTables)

// coreTables are the organisations, members and their history, and posts.
var coreTables = []Table{
	{Name: "reorganisations", Columns: []string{"id", "date", "kind", "document", "description"}, Key: []string{"id"}},
	// Organisations outside an exported subtree that its rows name: the organisations above it
	// (role ancestor) and the far ends of its movements, merges, documents… (role reference),
	// each with every version, so that a subtree's file imports into an empty database. They are
	// read-only: an import adds those the database lacks and never changes a stored one.
	{Name: "external_organisations", Columns: []string{"id", "valid_from", "valid_to", "name", "parent_id", "level", "kind", "issuer_code", "role"}, Key: []string{"id", "valid_from"}},
	{Name: "organisations", Columns: []string{"id", "valid_from", "valid_to", "name", "parent_id", "level", "kind", "issuer_code", "event_id"}, Key: []string{"id", "valid_from"}},
	{Name: "terms", Columns: []string{"id", "org_id", "name", "start", "end", "document"}, Key: []string{"id"}},
	{Name: "localities", Columns: []string{"id", "name", "kind", "cell_id", "valid_from", "valid_to"}, Key: []string{"id"}},
	{Name: "units", Columns: []string{"id", "name", "kind", "org_id", "valid_from", "valid_to"}, Key: []string{"id"}},
	{Name: "members", Columns: []string{"id", "full_name", "other_names", "gender", "birth_date", "ethnicity", "religion", "hometown", "residence", "id_number", "phone", "education", "qualification", "theory_level", "occupation", "position", "admitted_on", "full_on", "card_number", "card_date", "note"}, Key: []string{"id"}},
	{Name: "member_statuses", Columns: []string{"member_id", "valid_from", "status", "document", "reason"}, Key: []string{"member_id", "valid_from"}},
	{Name: "memberships", Columns: []string{"member_id", "org_id", "valid_from", "valid_to", "kind", "document", "event_id"}, Key: []string{"member_id", "valid_from", "kind"}},
	{Name: "movements", Columns: []string{"id", "member_id", "kind", "date", "from_org_id", "to_org_id", "external", "document", "note"}, Key: []string{"id"}},
	{Name: "posts", Columns: []string{"id", "role", "org_id", "term_id", "locality_id", "unit_id", "member_id", "holder_name", "title", "valid_from", "valid_to"}, Key: []string{"id"}},
}

// Tables returns every table in dependency order: a table refers only to tables before it. The
// result is a copy, so no caller can change the format for the others.
func Tables() []Table {
	out := make([]Table, len(tables))
	for i, t := range tables {
		out[i] = Table{t.Name, slices.Clone(t.Columns), slices.Clone(t.Key)}
	}
	return out
}

// Lookup returns the table with the given name (a copy, like Tables).
func Lookup(name string) (Table, bool) {
	t, ok := lookup(name)
	if !ok {
		return Table{}, false
	}
	return Table{t.Name, slices.Clone(t.Columns), slices.Clone(t.Key)}, true
}

// lookup returns the table itself, for this package's readers and writers, which never change it
// (and call it once per row of the in-memory set).
func lookup(name string) (Table, bool) {
	for _, t := range tables {
		if t.Name == name {
			return t, true
		}
	}
	return Table{}, false
}
