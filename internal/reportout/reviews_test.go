package reportout

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"dangvu"
)

// The roll-up workbook carries the roll-up's counts, a sheet by level and one by organisation.
func TestReviewRollUpXLSX(t *testing.T) {
	ru := dangvu.RollUp{OrgID: "UB", OrgName: "Đảng bộ thành phố Uông Bí", Years: []string{"2017", "2018"},
		ByLevel: []dangvu.RollRow{{Key: "member", Label: "Đảng viên", Cells: []dangvu.RollCell{{Year: "2017", Excellent: 3, Good: 20, Completed: 2}, {Year: "2018", Excellent: 4, Good: 21, NotCompleted: 1, None: 2}}}},
		ByOrg:   []dangvu.RollRow{{Key: "PD", Label: "Đảng bộ phường Phương Đông", Cells: []dangvu.RollCell{{Year: "2017", Good: 5}, {Year: "2018", Good: 6}}}}}
	var buf bytes.Buffer
	if err := ReviewRollUpXLSX(&buf, ru); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "Theo cấp" || got[1] != "Theo tổ chức" {
		t.Fatalf("sheets %v", got)
	}
	rows, _ := f.GetRows("Theo cấp", excelize.Options{RawCellValue: true})
	// Row 4: label, then five columns per year.
	want := []string{"Đảng viên", "3", "20", "2", "0", "0", "4", "21", "0", "1", "2"}
	if len(rows) < 4 || len(rows[3]) != len(want) {
		t.Fatalf("rows %v", rows)
	}
	for i, w := range want {
		if rows[3][i] != w {
			t.Errorf("column %d = %q, want %q", i, rows[3][i], w)
		}
	}
	if rows, _ := f.GetRows("Theo tổ chức", excelize.Options{RawCellValue: true}); len(rows) < 4 || rows[3][0] != "Đảng bộ phường Phương Đông" || rows[3][7] != "6" {
		t.Errorf("by organisation: %v", rows)
	}
}
