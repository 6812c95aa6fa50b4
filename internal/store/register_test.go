package store

import (
	"testing"

	"dangvu/internal/exchange"
)

// TestExchangeTablesBound checks the binding of the exchange format to the store: every table of
// internal/exchange has an export query and an import step (a core table's, or a domain
// binding's with its subtree filter), and every binding names a table of the format, once.
func TestExchangeTablesBound(t *testing.T) {
	inFormat := map[string]bool{}
	for _, tb := range exchange.Tables() {
		inFormat[tb.Name] = true
		d, bound := boundTable(tb.Name)
		_, core := exportQueries[tb.Name]
		switch {
		case bound && core:
			t.Errorf("%s: both a core export query and a domain binding", tb.Name)
		case bound:
			if d.export == "" || d.load == nil || d.scope == nil {
				t.Errorf("%s: binding lacks its export query, import step or subtree filter", tb.Name)
			}
		case !core:
			t.Errorf("%s: exchange table with neither a core export query nor a domain binding (domainTables)", tb.Name)
		}
	}
	seen := map[string]bool{}
	for _, d := range domainTables {
		if !inFormat[d.name] {
			t.Errorf("binding %s names no table of the exchange format", d.name)
		}
		if seen[d.name] {
			t.Errorf("binding %s twice", d.name)
		}
		seen[d.name] = true
	}
	for name := range exportQueries {
		if !inFormat[name] {
			t.Errorf("core export query %s names no table of the exchange format", name)
		}
	}
	// The import runs the core steps, then domainSteps: one per domain table, in the format's order.
	var want []string
	for _, tb := range exchange.Tables() {
		if _, ok := boundTable(tb.Name); ok {
			want = append(want, tb.Name)
		}
	}
	if len(domainSteps) != len(want) {
		t.Fatalf("%d domain import steps, want %d", len(domainSteps), len(want))
	}
	for i, st := range domainSteps {
		if st.table != want[i] || st.fn == nil {
			t.Errorf("domain import step %d is %s, want %s", i, st.table, want[i])
		}
	}
}
