package store

import (
	"context"
	"slices"

	"dangvu"
	"dangvu/internal/exchange"
)

// domainTable is an exchange table added by a domain (admissions, documents, reviews,
// inspections...). Registering it from the domain's own file, in an init function, wires it into
// the exchange format, Import, Export and ExportUnder without touching the core tables' code.
type domainTable struct {
	exchange.Table
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

// registerTable adds a domain table after those registered before it: tables refer only to
// tables before them.
func registerTable(d domainTable) {
	exchange.Register(d.Table)
	exportQueries[d.Name] = d.export
	domainScopes[d.Name] = d.scope
	tableRights[d.Name] = d.read
	domainSteps = append(domainSteps, importStep{d.Name, d.load})
}

var domainScopes = map[string]func(*exportScope) func([]string) bool{}

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

// disciplinedIn, set by the inspection domain from its init function, returns the members and
// the organisations subject to a discipline decision dated within [from, to] (ISO dates), each
// mapped to a short reference of the decision ("QĐ số 12-QĐ/UBKT, 03/04/2018: khiển trách").
// The review rules use it for their "disciplined in the year" trigger; nil until registered.
var disciplinedIn func(ctx context.Context, q queryer, from, to string) (members, orgs map[string]string, err error)
