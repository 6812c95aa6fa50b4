package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"dangvu"
	"dangvu/internal/exchange"
)

// dangvuCmd runs a command as the binary would and returns its standard output.
func dangvuCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	return out.String(), err
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, err := dangvuCmd(t, args...)
	if err != nil {
		t.Fatalf("dangvu %s: %v", strings.Join(args, " "), err)
	}
	return out
}

func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func report(t *testing.T, db string, args ...string) map[string]any {
	t.Helper()
	out := mustRun(t, append([]string{"report", "--db", db}, args...)...)
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("report output is not one JSON object: %v\n%s", err, out)
	}
	return m
}

func TestImportReportExport(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	mustRun(t, "import", "--db", db, "../../testdata/sample")

	// testdata/sample: 4 members under the city on 31/05/2018 (one probationary, two women),
	// two admitted in the period; on 2025-07-01 the ward moved under the province and one member
	// had died.
	tests := []struct {
		name string
		args []string
		want map[string]any
	}{
		{"city in 2018", []string{"--org", "Đảng bộ thành phố Uông Bí", "--from", "2015-01-01", "--to", "2018-05-31"},
			map[string]any{"org_id": "UB", "members": 4.0, "members_probationary": 1.0, "members_female": 2.0, "admitted": 2.0, "term_start": "2015-08-20", "as_of": "2018-05-31",
				"residential_cells": 1.0, "secretary_is_village_head": 1.0, "agency_units": 0.0, "head_is_secretary": 0.0}},
		// Khu 1's secretary became its head on 01/04/2017.
		{"before the secretary headed the area", []string{"--org", "UB", "--from", "2015-01-01", "--to", "2016-12-31"},
			map[string]any{"residential_cells": 1.0, "secretary_is_village_head": 0.0}},
		{"name without diacritics", []string{"--org", "dang bo thanh pho uong bi", "--from", "2015-01-01", "--to", "2018-05-31"},
			map[string]any{"org_id": "UB", "members": 4.0}},
		{"ward today", []string{"--org", "PD", "--from", "2025-07-01", "--to", "2026-11-27"},
			map[string]any{"org_id": "PD", "members": 3.0, "members_female": 1.0, "admitted": 0.0, "term_start": nil}},
		{"province counts the ward after the move", []string{"--org", "QN", "--from", "2025-07-01", "--to", "2026-11-27"},
			map[string]any{"members": 3.0}},
		{"dd/mm/yyyy dates", []string{"--org", "K2", "--from", "01/01/2015", "--to", "31/05/2018"},
			map[string]any{"members": 2.0, "as_of": "2018-05-31"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := report(t, db, tt.args...)
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("%s = %#v, want %#v", k, got[k], v)
				}
			}
		})
	}

	if _, err := dangvuCmd(t, "report", "--db", db, "--org", "Đảng bộ thành phố Uông Bí", "--from", "2025-07-01", "--to", "2026-11-27"); dangvu.ErrorCode(err) != dangvu.ENotFound {
		t.Errorf("the city after its dissolution: err = %v, want not found", err)
	}

	// export → import → export is byte-identical, for CSV folders and for XLSX.
	for _, ext := range []string{"", ".xlsx"} {
		first := filepath.Join(t.TempDir(), "a"+ext)
		mustRun(t, "export", "--db", db, "--out", first)
		db2 := filepath.Join(t.TempDir(), "t2.db")
		mustRun(t, "import", "--db", db2, first)
		second := filepath.Join(t.TempDir(), "b"+ext)
		mustRun(t, "export", "--db", db2, "--out", second)
		if ext == "" {
			sameDirs(t, first, second)
		} else {
			report1 := report(t, db, "--org", "UB", "--from", "2015-01-01", "--to", "2018-05-31")
			report2 := report(t, db2, "--org", "UB", "--from", "2015-01-01", "--to", "2018-05-31")
			if report1["members"] != report2["members"] || report1["admitted"] != report2["admitted"] {
				t.Errorf("XLSX round trip changed the report: %v vs %v", report1, report2)
			}
		}
	}
}

func sameDirs(t *testing.T, a, b string) {
	t.Helper()
	entries, err := os.ReadDir(a)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(exchange.Tables())+1 {
		t.Errorf("export wrote %d files, want one per table (%d) and its manifest", len(entries), len(exchange.Tables()))
	}
	for _, e := range entries {
		x, _ := os.ReadFile(filepath.Join(a, e.Name()))
		y, err := os.ReadFile(filepath.Join(b, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs after export → import → export", e.Name())
		}
	}
}

func TestImportRefusesBadRows(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	mustRun(t, "import", "--db", db, "../../testdata/sample")
	before := report(t, db, "--org", "UB", "--from", "2015-01-01", "--to", "2018-05-31")

	dir := copyDir(t, "../../testdata/sample")
	members, _ := os.ReadFile(filepath.Join(dir, "members.csv"))
	bad := strings.Replace(string(members), "1970-03-15", "32/01/1970", 1)
	bad = strings.Replace(bad, "M3,Lê Văn Bình,,male", "M3,Lê Văn Bình Mới,,nam giới", 1)
	bad = strings.Replace(bad, "M4,Phạm Thị Hoa,,female,1948", "M4,Phạm Thị Hoa,,female,1960", 1) // 8 at admission
	os.WriteFile(filepath.Join(dir, "members.csv"), []byte(bad), 0o644)
	ms, _ := os.ReadFile(filepath.Join(dir, "memberships.csv"))
	os.WriteFile(filepath.Join(dir, "memberships.csv"), []byte(string(ms)+"M1,NOPE,2019-01-01,,official,,\n"), 0o644)

	_, err := dangvuCmd(t, "import", "--db", db, dir)
	e, ok := err.(*dangvu.Error)
	if !ok || e.Code != dangvu.EInvalid {
		t.Fatalf("err = %v, want an invalid-input error", err)
	}
	want := []string{"members.csv, dòng 2, cột birth_date", "members.csv, dòng 4, cột gender", "members.csv, dòng 5, cột birth_date: sinh năm 1960 thì chưa đủ 16 tuổi", "memberships.csv, dòng 7, cột org_id"}
	msg := e.Error()
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error list lacks %q:\n%s", w, msg)
		}
	}
	after := report(t, db, "--org", "UB", "--from", "2015-01-01", "--to", "2018-05-31")
	if before["members"] != after["members"] {
		t.Errorf("a refused import changed the data: %v → %v", before, after)
	}
	out := mustRun(t, "report", "--db", db, "--org", "K2", "--from", "2015-01-01", "--to", "2018-05-31")
	if strings.Contains(out, "Mới") {
		t.Errorf("a refused import renamed a member")
	}
}

func TestImportLegacyEncodings(t *testing.T) {
	sample, _ := os.ReadFile("../../testdata/sample/members.csv")
	tests := []struct {
		name     string
		members  []byte
		id, want string
		reported string
	}{
		// Old software typed names in the TCVN3 (ABC) fonts; the cells arrive as Latin-1 look-alikes.
		{"TCVN3 cell", []byte(strings.Replace(string(sample), "Trần Thị An", "TrÇn ThÞ An", 1)), "M2", "Trần Thị An", "tcvn3"},
		{"VNI cell", []byte(strings.Replace(string(sample), "Trần Thị An", "Traàn Thò An", 1)), "M2", "Trần Thị An", "vni"},
		// Excel on a Vietnamese Windows saves CSV in Windows-1258, with combining tone marks
		// (0xCC is a combining grave accent there).
		{"Windows-1258 file", win1258(t, string(sample)), "M3", "Lê Văn Bình", "windows-1258"},
		{"UTF-8 with BOM", append([]byte("\ufeff"), sample...), "M1", "Nguyễn Văn Đức", "utf-8-bom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyDir(t, "../../testdata/sample")
			os.WriteFile(filepath.Join(dir, "members.csv"), tt.members, 0o644)
			db := filepath.Join(t.TempDir(), "t.db")
			out := mustRun(t, "import", "--db", db, dir)
			if !strings.Contains(out, tt.reported) {
				t.Errorf("import did not report %s:\n%s", tt.reported, out)
			}
			s, err := openStore(context.Background(), db)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			m, err := s.Member(context.Background(), tt.id, dangvu.Clock(nil).Today())
			if err != nil {
				t.Fatal(err)
			}
			if m.FullName != tt.want {
				t.Errorf("name = %q, want %q", m.FullName, tt.want)
			}
		})
	}
}

// win1258 encodes the sample in Windows-1258, writing "Lê Văn Bình" with a combining grave as
// Vietnamese Windows does, and dropping the other names' diacritics that need no test here.
func win1258(t *testing.T, s string) []byte {
	t.Helper()
	s = strings.NewReplacer("Nguyễn Văn Đức", "Nguyen Van Duc", "Trần Thị An", "Tran Thi An", "Phạm Thị Hoa", "Pham Thi Hoa",
		"Uông Bí", "Uong Bi", "Quảng Ninh", "Quang Ninh", "Hải Dương", "Hai Duong", "Kỹ sư", "Ky su", "Công chức", "Cong chuc",
		"Bí thư chi bộ", "Bi thu chi bo", "Cử nhân", "Cu nhan", "Giáo viên", "Giao vien", "Công nhân", "Cong nhan", "Hưu trí", "Huu tri").Replace(s)
	s = strings.Replace(s, "Lê Văn Bình", "L\u00ea V\u0103n Bi\u0300nh", 1)
	b, err := charmap.Windows1258.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(b)
}

func TestBackupAndReportXLSX(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	mustRun(t, "import", "--db", db, "../../testdata/sample")
	backup := filepath.Join(dir, "copy.db")
	mustRun(t, "backup", "--db", db, "--out", backup)
	if _, err := dangvuCmd(t, "backup", "--db", db, "--out", backup); dangvu.ErrorCode(err) != dangvu.EInvalid {
		t.Errorf("backup over an existing file: %v, want refused", err)
	}
	a := report(t, db, "--org", "UB", "--from", "2015-01-01", "--to", "2018-05-31")
	b := report(t, backup, "--org", "UB", "--from", "2015-01-01", "--to", "2018-05-31")
	if a["members"] != b["members"] || a["admitted"] != b["admitted"] {
		t.Errorf("backup reports %v, original %v", b, a)
	}
	out := filepath.Join(dir, "r.xlsx")
	mustRun(t, "report", "--db", db, "--org", "UB", "--from", "2015-01-01", "--to", "2018-05-31", "--format", "xlsx", "--out", out)
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Tổng hợp", excelize.Options{RawCellValue: true})
	found := false
	for _, r := range rows {
		if len(r) == 4 && r[3] == "members" && r[1] == "4" { // label, value, period, key
			found = true
		}
	}
	if !found {
		t.Errorf("the XLSX summary lacks members = 4: %v", rows)
	}
}

func TestAuditVerify(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	mustRun(t, "import", "--db", db, "../../testdata/sample")
	if out := mustRun(t, "audit", "verify", "--db", db); !strings.Contains(out, "nguyên vẹn: 1 mục") {
		t.Errorf("audit verify: %s", out)
	}
	s, err := openStore(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := s.Member(context.Background(), "M1", dangvu.Clock(nil).Today())
	m.BirthDate = "1971-03-15"
	if _, err := s.UpdateMember(context.Background(), "tester", m); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if out := mustRun(t, "audit", "verify", "--db", db); !strings.Contains(out, "2 mục") {
		t.Errorf("audit verify after an edit: %s", out)
	}
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE audit_log SET actor = 'someone else' WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if _, err := dangvuCmd(t, "audit", "verify", "--db", db); dangvu.ErrorCode(err) != dangvu.EConflict || !strings.Contains(err.Error(), "mục số 2") {
		t.Errorf("a tampered entry: err = %v, want it named", err)
	}
}
