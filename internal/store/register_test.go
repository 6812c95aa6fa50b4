package store

import (
	"context"
	"testing"

	"dangvu"
	"dangvu/internal/exchange"
)

// TestExchangeTablesBound checks the binding of the exchange format to the store: every table of
// internal/exchange has an export query and an import step (a core table's, or a domain
// binding's with its subtree filter), and every binding names a table of the format, once.
func TestExchangeTablesBound(t *testing.T) {
	w, err := wire(domainList())
	if err != nil {
		t.Fatal(err)
	}
	inFormat := map[string]bool{}
	for _, tb := range exchange.Tables() {
		inFormat[tb.Name] = true
		d, bound := w.boundTable(tb.Name)
		_, core := exportQueries[tb.Name]
		switch {
		case tb.Name == stubTable:
			// A subtree's stubs: written by writeStubs after the rest, read by externalOrgs.
		case bound && core:
			t.Errorf("%s: both a core export query and a domain binding", tb.Name)
		case bound:
			if d.export == "" || d.load == nil || d.scope == nil {
				t.Errorf("%s: binding lacks its export query, import step or subtree filter", tb.Name)
			}
		case !core:
			t.Errorf("%s: exchange table with neither a core export query nor a domain binding (a domain's tables, domains.go)", tb.Name)
		}
	}
	seen := map[string]bool{}
	for _, dom := range w.domains {
		for _, d := range dom.tables {
			if !inFormat[d.name] {
				t.Errorf("binding %s names no table of the exchange format", d.name)
			}
			if seen[d.name] {
				t.Errorf("binding %s twice", d.name)
			}
			seen[d.name] = true
		}
	}
	for name := range exportQueries {
		if !inFormat[name] {
			t.Errorf("core export query %s names no table of the exchange format", name)
		}
	}
	// The import runs the core steps, then w.steps: one per domain table, in the format's order.
	var want []string
	for _, tb := range exchange.Tables() {
		if _, ok := w.boundTable(tb.Name); ok {
			want = append(want, tb.Name)
		}
	}
	if len(w.steps) != len(want) {
		t.Fatalf("%d domain import steps, want %d", len(w.steps), len(want))
	}
	for i, st := range w.steps {
		if st.table != want[i] || st.fn == nil {
			t.Errorf("domain import step %d is %s, want %s", i, st.table, want[i])
		}
	}
}

// TestWireRefuses: the wiring of a list of domains fails (and so Open does) on a table bound
// twice, a binding that names no exchange table, or a figure with a drill-down in two domains.
func TestWireRefuses(t *testing.T) {
	drill := func(context.Context, *Store, *reportCtx) (*dangvu.ReportList, error) { return nil, nil }
	for _, tc := range []struct {
		name string
		ds   []domain
	}{
		{"table twice", []domain{{name: "a", tables: admissionTables}, {name: "b", tables: admissionTables[:1]}}},
		{"no such table", []domain{{name: "a", tables: []domainTable{{name: "no_such_table"}}}}},
		{"drill twice", []domain{{name: "a", drills: map[string]reportDrill{"members": drill}}, {name: "b", drills: map[string]reportDrill{"members": drill}}}},
	} {
		if _, err := wire(tc.ds); err == nil {
			t.Errorf("%s: wired without an error", tc.name)
		}
	}
	if _, err := wire(domainList()); err != nil {
		t.Errorf("the application's domains: %v", err)
	}
}
