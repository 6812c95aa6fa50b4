package main

import (
	"path/filepath"
	"reflect"
	"testing"
)

// TestExportSubtree: `dangvu export --org` writes a ward's file that imports into an empty
// database, where the ward's whole report equals the source's (issue 21), as CSV and as XLSX.
func TestExportSubtree(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	mustRun(t, "import", "--db", db, "../../testdata/sample")
	for _, ext := range []string{"", ".xlsx"} {
		out := filepath.Join(t.TempDir(), "pd"+ext)
		mustRun(t, "export", "--db", db, "--org", "Đảng bộ phường Phương Đông", "--out", out)
		db2 := filepath.Join(t.TempDir(), "pd.db")
		mustRun(t, "import", "--db", db2, out)
		for _, period := range [][]string{{"2015-01-01", "2018-05-31"}, {"2025-07-01", "2026-11-27"}} {
			args := []string{"--org", "PD", "--from", period[0], "--to", period[1]}
			if want, got := report(t, db, args...), report(t, db2, args...); !reflect.DeepEqual(want, got) {
				for k := range want {
					if !reflect.DeepEqual(want[k], got[k]) {
						t.Errorf("%s %v: %s = %v imported, %v in the source", ext, period, k, got[k], want[k])
					}
				}
			}
		}
	}
}
