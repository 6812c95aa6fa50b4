package exchange

import (
	"slices"
	"testing"
)

// TestTablesComplete checks the format on its own, without the store linked: names are unique,
// every key column is a column, and Tables hands out copies that cannot change the format.
func TestTablesComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, tb := range Tables() {
		if seen[tb.Name] {
			t.Errorf("table %s twice", tb.Name)
		}
		seen[tb.Name] = true
		for _, k := range tb.Key {
			if !slices.Contains(tb.Columns, k) {
				t.Errorf("%s: key column %s is not a column", tb.Name, k)
			}
		}
	}
	for _, name := range []string{"admission_files", "documents", "disciplines", "reviews"} {
		if !seen[name] {
			t.Errorf("the format lacks the domain table %s", name)
		}
	}
	first := Tables()
	first[0].Columns[0] = "changed"
	first[0].Name = "changed"
	if again := Tables(); again[0].Name == "changed" || again[0].Columns[0] == "changed" {
		t.Error("a caller changed the format through Tables")
	}
}
