package reportout

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"dangvu"
)

// xlsxReport is a small report with a count above a thousand, one above a million, a rate and a
// text figure, and lists whose titles are long, alike, or carry forbidden characters.
func xlsxReport() (*dangvu.Report, []*dangvu.ReportList) {
	r := &dangvu.Report{}
	r.Set("org_name", "Tên tổ chức", "Đảng bộ thành phố Uông Bí")
	r.Set("as_of", "Ngày", "2018-05-31")
	r.Set("to", "Đến ngày", "2018-05-31")
	r.Set("members", "Số đảng viên", 6422)
	r.Set("members_national", "Số đảng viên cả nước", int64(5_300_123))
	r.Set("admitted", "Kết nạp", 884)
	r.Set("reviewed_pct", "Tỷ lệ đảng viên được kiểm điểm", 97.63)
	r.Set("document", "Văn bản", "04-NQ/TW")
	lists := []*dangvu.ReportList{
		{Title: "Tổ chức đảng được Ban Chấp hành, Ban Thường vụ kiểm tra, giám sát", Columns: []string{"Tổ chức", "Ngày"}, Rows: [][]string{{"Chi bộ khu 1", "01/02/2018"}}},
		{Title: "Tổ chức đảng được Ban Chấp hành, Ban Thường vụ kiểm tra, giám sát chuyên đề", Columns: []string{"Tổ chức"}},
		{Title: "Đảng viên kết nạp 01/01/2015 [thử]: hết?", Columns: []string{"Họ và tên"}},
		{Title: "tổng hợp", Columns: []string{"Họ và tên"}},
		{Title: "", Columns: []string{"A"}},
	}
	return r, lists
}

// TestXLSXFormatsAndSheets reads the workbook back: the figures are numbers shown 6.422 and
// 97,63%, the sheet names are valid, distinct and readable, the first sheet prints on A4.
func TestXLSXFormatsAndSheets(t *testing.T) {
	r, lists := xlsxReport()
	var b bytes.Buffer
	if err := XLSX(&b, r, lists); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 1+len(lists) || sheets[0] != "Tổng hợp" {
		t.Fatalf("sheets %q", sheets)
	}
	seen := map[string]bool{}
	for _, s := range sheets {
		if n := utf8.RuneCountInString(s); n > 31 || n == 0 || strings.ContainsAny(s, `:\/?*[]`) || strings.HasPrefix(s, "'") || strings.HasSuffix(s, "'") {
			t.Errorf("invalid sheet name %q", s)
		}
		if seen[strings.ToLower(s)] {
			t.Errorf("sheet name %q twice", s)
		}
		seen[strings.ToLower(s)] = true
	}
	if !strings.HasPrefix(sheets[1], "Tổ chức đảng được Ban Chấp") || !strings.HasSuffix(sheets[1], "…") || !strings.HasSuffix(sheets[2], "(2)") {
		t.Errorf("long titles are not cut at a word and told apart: %q, %q", sheets[1], sheets[2])
	}
	t.Logf("sheet names: %q", sheets)

	// Values are stored as numbers; the readback gives the page's text.
	raw := map[string]string{}
	rows, _ := f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	for _, row := range rows {
		if len(row) >= 4 {
			raw[row[3]] = row[1]
		}
	}
	for key, want := range map[string]string{"members": "6422", "members_national": "5300123", "admitted": "884", "reviewed_pct": "97.63", "document": "04-NQ/TW"} {
		if raw[key] != want {
			t.Errorf("%s stored as %q, want %q", key, raw[key], want)
		}
	}
	for _, c := range []string{"B7", "B8", "B9", "B10"} { // members … reviewed_pct
		if typ, _ := f.GetCellType(sheets[0], c); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("%s is of type %v, not a number", c, typ)
		}
	}
	back, err := ReadXLSX(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{"members": "6.422", "members_national": "5.300.123", "admitted": "884", "reviewed_pct": "97,63%"} {
		if back.Figures[key] != want {
			t.Errorf("read back %s = %q, want %q", key, back.Figures[key], want)
		}
	}

	// Printable: A4, fit to one page wide, the heading row repeated, a header with the period.
	pl, err := f.GetPageLayout(sheets[0])
	if err != nil {
		t.Fatal(err)
	}
	if pl.Size == nil || *pl.Size != 9 || pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
		t.Errorf("page layout %+v", pl)
	}
	props, _ := f.GetSheetProps(sheets[0])
	if props.FitToPage == nil || !*props.FitToPage {
		t.Error("the summary sheet is not fitted to the page")
	}
	hf, _ := f.GetHeaderFooter(sheets[0])
	if !strings.Contains(hf.OddHeader, "Đảng bộ thành phố Uông Bí — số liệu đến ngày 31/05/2018") || !strings.Contains(hf.OddFooter, "&P") {
		t.Errorf("header/footer %+v", hf)
	}
	titles := false
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm.Print_Titles" && d.Scope == sheets[0] && strings.HasSuffix(d.RefersTo, "!$3:$3") {
			titles = true
		}
	}
	if !titles {
		t.Errorf("no print titles on the summary: %+v", f.GetDefinedName())
	}

	// LibreOffice opens it and draws the figures the Vietnamese way.
	bin, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Error("soffice is not installed")
		}
		return
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "bao-cao.xlsx")
	os.WriteFile(in, b.Bytes(), 0o644)
	// Filter options: comma-separated, UTF-8, first sheet, cells as shown (formatted).
	cmd := exec.Command(bin, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", `csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,1`, "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v: %s", err, out)
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	if len(matches) == 0 {
		t.Fatal("LibreOffice wrote no CSV")
	}
	data, _ := os.ReadFile(matches[0])
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("csv: %v\n%s", err, data)
	}
	shown := map[string]string{}
	for _, rec := range recs {
		if len(rec) >= 4 {
			shown[rec[3]] = rec[1]
		}
	}
	for key, want := range map[string]string{"members": "6.422", "members_national": "5.300.123", "admitted": "884", "reviewed_pct": "97,63%"} {
		if shown[key] != want {
			t.Errorf("LibreOffice shows %s as %q, want %q", key, shown[key], want)
		}
	}
}

// TestTablesFormats: the statistics tables keep their numbers as numbers under the count format
// and print on A4 with their heading row repeated.
func TestTablesFormats(t *testing.T) {
	var b bytes.Buffer
	tbl := dangvu.StatTable{Name: "Kiểm tra", Title: "Kiểm tra, giám sát", Columns: []string{"Tổ chức", "Số cuộc"}, Rows: [][]string{{"Đảng bộ phường Phương Đông", "1234"}}}
	if err := Tables(&b, "Đảng bộ thành phố Uông Bí, 2018", []dangvu.StatTable{tbl}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, _ := f.GetCellValue("Kiểm tra", "B5", excelize.Options{RawCellValue: true})
	id, _ := f.GetCellStyle("Kiểm tra", "B5")
	st, _ := f.GetStyle(id)
	if v != "1234" || st == nil || st.CustomNumFmt == nil || *st.CustomNumFmt != fmtCount {
		t.Errorf("B5 = %q with style %+v", v, st)
	}
	if pl, _ := f.GetPageLayout("Kiểm tra"); pl.Size == nil || *pl.Size != 9 {
		t.Errorf("page layout %+v", pl)
	}
}
