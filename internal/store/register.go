package store

import (
	"slices"
	"strings"

	"dangvu"
	"dangvu/internal/exchange"
)

// domainTable binds an exchange table of a domain (admissions, documents, reviews,
// inspections...), defined in internal/exchange, to its storage: how Export reads it, how Import
// loads it, what ExportUnder keeps of it and who may have it in an export. Each domain lists its
// bindings in <domain>_exchange.go and names them in its domain value (domains.go).
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

// exportScope is what a subtree export keeps: the organisations and members of ExportUnder, and
// for each table already written the ids (first key column) of the rows it kept.
type exportScope struct {
	orgs, members map[string]bool
	kept          map[string]map[string]bool
	// root is the exported subtree's organisation; pairs runs a two-column query in the export's
	// read transaction (for scopes that must look ahead), each streams one row by row (for a
	// large table read only to pick a few rows); err, set by a scope, stops the export.
	root  string
	pairs func(q string, args ...any) ([][2]string, error)
	each  func(q string, fn func(a, b string), args ...any) error
	err   error
	// written holds the members a user's export wrote (it may drop some of sc.members); nil when
	// every member of the scope is written.
	written map[string]bool
}

// in returns a filter on the column col of table: its value must be in set.
func (sc *exportScope) in(table, col string, set map[string]bool) func([]string) bool {
	t, _ := exchange.Lookup(table)
	i := slices.Index(t.Columns, col)
	return func(v []string) bool { return i >= 0 && set[v[i]] }
}

// above returns the organisations above the subtree's organisation: those whose path, in one of
// their versions, starts one of the root's paths.
func (sc *exportScope) above() (map[string]bool, error) {
	paths, err := sc.pairs(`SELECT org_id, path FROM org_paths`)
	if err != nil {
		return nil, err
	}
	var roots []string
	for _, p := range paths {
		if p[0] == sc.root {
			roots = append(roots, p[1])
		}
	}
	out := map[string]bool{}
	for _, p := range paths {
		if p[0] != sc.root && slices.ContainsFunc(roots, func(r string) bool { return strings.HasPrefix(r, p[1]) }) {
			out[p[0]] = true
		}
	}
	return out, nil
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
