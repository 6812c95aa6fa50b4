package store_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dangvu/internal/exchange"
)

// update rewrites the golden files instead of comparing with them (go test -run Golden -update).
var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestGoldenExchangeTables records the exchange format's tables in load order with their columns
// and keys (docs/data-format.md): moving where the tables are defined (issue 16) must not change
// the format. Regenerate only in a commit that adds or changes a table.
func TestGoldenExchangeTables(t *testing.T) {
	var b strings.Builder
	for _, tb := range exchange.Tables() {
		fmt.Fprintf(&b, "%s\tkey=%s\n\t%s\n", tb.Name, strings.Join(tb.Key, ","), strings.Join(tb.Columns, ","))
	}
	path := filepath.Join("testdata", "exchange_tables.golden")
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != b.String() {
		t.Errorf("exchange tables differ from %s:\n got:\n%s\nwant:\n%s", path, b.String(), want)
	}
}
