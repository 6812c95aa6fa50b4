package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"dangvu"
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
			sameReports(t, fmt.Sprintf("%s %v: ", ext, period), db, db2, "--org", "PD", "--from", period[0], "--to", period[1])
		}
	}
}

// TestExportEndedOrg: the city abolished on 1/7/2025 (UB in the sample) is exported as its
// subtree stood on its last day, and its report over its own years is the source's.
func TestExportEndedOrg(t *testing.T) {
	db, out := sampleExport(t, "UB")
	db2 := filepath.Join(t.TempDir(), "ub.db")
	mustRun(t, "import", "--db", db2, out)
	args := []string{"--org", "UB", "--from", "2015-01-01", "--to", "2018-05-31"}
	if want := report(t, db, args...); want["members"] == nil || want["members"] == 0.0 {
		t.Fatalf("the source's report of UB has no members: %v", want)
	}
	sameReports(t, "", db, db2, args...)
}

// sampleExport imports the sample into a new database and exports org's subtree from it.
func sampleExport(t *testing.T, org string) (db, out string) {
	t.Helper()
	db = filepath.Join(t.TempDir(), "t.db")
	mustRun(t, "import", "--db", db, "../../testdata/sample")
	out = filepath.Join(t.TempDir(), strings.ToLower(org))
	mustRun(t, "export", "--db", db, "--org", org, "--out", out)
	return db, out
}

// sameReports fails for every key of the report (args) that differs between the source database
// and the one a file was imported into.
func sameReports(t *testing.T, label, src, imported string, args ...string) {
	t.Helper()
	want, got := report(t, src, args...), report(t, imported, args...)
	for k := range want {
		if !reflect.DeepEqual(want[k], got[k]) {
			t.Errorf("%s%s = %v imported, %v in the source", label, k, got[k], want[k])
		}
	}
}

// TestImportDryRun: `dangvu import --dry-run` of a changed ward's file into the database it came
// from says what would change and writes nothing (the database file is byte-equal after).
func TestImportDryRun(t *testing.T) {
	db, out := sampleExport(t, "PD")
	members := filepath.Join(out, "members.csv")
	b, err := os.ReadFile(members)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(members, []byte(strings.Replace(string(b), "Nguyễn", "Nguyễn Mới", 1)), 0o644)
	files := func() []byte {
		a, _ := os.ReadFile(db)
		b, _ := os.ReadFile(db + "-wal")
		return append(a, b...)
	}
	mustRun(t, "report", "--db", db, "--org", "PD", "--from", "2025-07-01", "--to", "2025-12-31") // a first open settles the file
	before := files()
	got := mustRun(t, "import", "--db", db, "--dry-run", out)
	if !strings.Contains(got, "Chạy thử, không ghi gì") || !regexp.MustCompile(`members\s+thêm 0, sửa 1, xóa 0 dòng`).MatchString(got) {
		t.Errorf("dry run said:\n%s", got)
	}
	if !bytes.Equal(before, files()) {
		t.Error("the dry run changed the database file")
	}
	mustRun(t, "import", "--db", db, out)
	if bytes.Equal(before, files()) {
		t.Error("the import did not change the database file either: the check sees nothing")
	}
}

// TestImportConflictsCLI: `dangvu import` of a ward's file whose stub of an organisation above it
// was renamed is refused — as a dry run too — with the conflict named by file, row and column
// and both values, and the database file is unchanged.
func TestImportConflictsCLI(t *testing.T) {
	db, out := sampleExport(t, "PD")
	stubs := filepath.Join(out, "external_organisations.csv")
	b, err := os.ReadFile(stubs)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("external_organisations.csv: %v %v", recs, err)
	}
	name := recs[1][3]
	recs[1][3] += " (sửa)"
	var buf bytes.Buffer
	csv.NewWriter(&buf).WriteAll(recs)
	os.WriteFile(stubs, buf.Bytes(), 0o644)
	files := func() []byte {
		a, _ := os.ReadFile(db)
		b, _ := os.ReadFile(db + "-wal")
		return append(a, b...)
	}
	mustRun(t, "report", "--db", db, "--org", "PD", "--from", "2025-07-01", "--to", "2025-12-31") // a first open settles the file
	before := files()
	for _, args := range [][]string{{"import", "--db", db, "--dry-run", out}, {"import", "--db", db, out}} {
		_, err := dangvuCmd(t, args...)
		if dangvu.ErrorCode(err) != dangvu.EConflict {
			t.Fatalf("%v: %v, want a conflict", args, err)
		}
		if msg := err.Error(); !strings.Contains(msg, "external_organisations.csv, dòng 2, cột name") || !strings.Contains(msg, name+" (sửa)") {
			t.Errorf("%v said:\n%s", args, msg)
		}
	}
	if !bytes.Equal(before, files()) {
		t.Error("an import with a conflict changed the database file")
	}
}
