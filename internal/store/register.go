package store

import (
	"slices"

	"dangvu"
	"dangvu/internal/exchange"
)

// domainTable binds an exchange table of a domain (admissions, documents, reviews,
// inspections...), defined in internal/exchange, to its storage: how Export reads it, how Import
// loads it, what ExportUnder keeps of it and who may have it in an export.
type domainTable struct {
	name string // the exchange table's
	// export selects the table's columns in exchange order, sorted by its key.
	export string
	// load reads the table within an import (see importer.load and importer.knownIDs).
	load func(*importer) error
	// scope returns, for ExportUnder, whether a row belongs to the exported subtree.
	scope func(sc *exportScope) func(row []string) bool
	// read is the action a role needs to read the rows through the pages, and so to have them
	// in its export (ExportFor); empty: only an administrator's export carries them.
	read dangvu.Action
}

// domainTables is every domain table the store handles, one list per domain (in its
// <domain>_exchange.go). The order of import is the exchange format's, not this list's
// (domainSteps); TestExchangeTablesBound checks that every table of the format is bound.
var domainTables = slices.Concat(admissionTables, disseminationTables, inspectionTables, reviewTables)

// boundTable returns the binding of a domain table; false for a core table.
func boundTable(name string) (domainTable, bool) {
	for _, d := range domainTables {
		if d.name == name {
			return d, true
		}
	}
	return domainTable{}, false
}

// domainSteps are the import steps of the domain tables, in the exchange format's order (a
// table refers only to tables before it).
var domainSteps = func() []importStep {
	var steps []importStep
	for _, t := range exchange.Tables() {
		if d, ok := boundTable(t.Name); ok {
			steps = append(steps, importStep{d.name, d.load})
		}
	}
	return steps
}()

// exportScope is what a subtree export keeps: the organisations and members of ExportUnder, and
// for each table already written the ids (first key column) of the rows it kept.
type exportScope struct {
	orgs, members map[string]bool
	kept          map[string]map[string]bool
	// root is the exported subtree's organisation; pairs runs a two-column query in the export's
	// read transaction (for scopes that must look ahead); err, set by a scope, stops the export.
	root  string
	pairs func(q string, args ...any) ([][2]string, error)
	err   error
}

// in returns a filter on the column col of table: its value must be in set.
func (sc *exportScope) in(table, col string, set map[string]bool) func([]string) bool {
	t, _ := exchange.Lookup(table)
	i := slices.Index(t.Columns, col)
	return func(v []string) bool { return i >= 0 && set[v[i]] }
}

// keptIDs returns the set of ids kept from table, filled as that table is written.
func (sc *exportScope) keptIDs(table string) map[string]bool {
	m := sc.kept[table]
	if m == nil {
		m = map[string]bool{}
		sc.kept[table] = m
	}
	return m
}

// disciplinedIn returns the members and the organisations subject to a discipline decision dated
// within [from, to] (ISO dates), each mapped to a short reference of the decision ("QĐ số
// 12-QĐ/UBKT, 03/04/2018: khiển trách"): the inspection domain's records, read by the review
// rules for their "disciplined in the year" trigger. A variable only so that a test can stand in.
var disciplinedIn = disciplinedInPeriod
