package exchange

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"dangvu"
)

const membersHeader = "id,full_name,other_names,gender,birth_date,ethnicity,religion,hometown,residence,id_number,phone,education,qualification,theory_level,occupation,position,admitted_on,full_on,card_number,card_date,note\n"

func memberLine(id, name, note string) string {
	return id + "," + name + ",,male,1970,01,,,,,,,,,,,,,,," + note + "\n"
}

// readTable reads one table of a folder and returns its rows' names, its encoding and the error.
func readTable(t *testing.T, dir, table string) ([]string, string, error) {
	t.Helper()
	r, err := Open(dir)
	if err != nil {
		return nil, "", err
	}
	var names []string
	err = r.Each(table, func(_ int, rec Record) error {
		names = append(names, rec.Get("full_name"))
		return nil
	})
	return names, r.Stats().Encodings[table+".csv"], err
}

func fieldErr(t *testing.T, err error, table string, row int, col string) {
	t.Helper()
	e, ok := err.(*dangvu.Error)
	if !ok || e.Code != dangvu.EInvalid {
		t.Fatalf("err = %v, want an invalid-input error", err)
	}
	for _, f := range e.Fields {
		if f.Table == table && f.Row == row && f.Field == col && f.Reason != "" {
			return
		}
	}
	t.Errorf("no error for %s, dòng %d, cột %q in:\n%v", table, row, col, e)
}

// A UTF-8 file with a few stray bytes in one cell used to be read as Windows-1258 whole, every
// name turned into mojibake, without a word. It stays UTF-8 and the cell is named.
func TestStrayBytesNameTheCell(t *testing.T) {
	dir := t.TempDir()
	body := membersHeader + memberLine("M1", "Nguyễn Văn An", "") + memberLine("M2", "Trần Thị Bình", "ghi chú \xff\xfe\xfa\x80\x81 hỏng") + memberLine("M3", "Lê Văn Cường", "")
	writeCSV(t, dir, "members", []byte(body))
	names, enc, err := readTable(t, dir, "members")
	if enc != "utf-8" {
		t.Errorf("encoding %q, want utf-8", enc)
	}
	fieldErr(t, err, "members.csv", 3, "note")
	if !strings.Contains(err.Error(), `\xFF\xFE\xFA\x80\x81`) {
		t.Errorf("the message does not show the bytes: %v", err)
	}
	// Nothing reaches the import after the bad row, and nothing garbled before it.
	for _, n := range names {
		if n != "Nguyễn Văn An" {
			t.Errorf("row handed on: %q", n)
		}
	}
	// Already damaged text (U+FFFD) is refused too.
	writeCSV(t, dir, "members", []byte(membersHeader+memberLine("M1", "Nguy\uFFFDn Văn An", "")))
	_, _, err = readTable(t, dir, "members")
	fieldErr(t, err, "members.csv", 2, "full_name")
}

// A file saved by Excel as "CSV" in Windows-1258 is read whole in that encoding, and says so.
func TestWindows1258File(t *testing.T) {
	dir := t.TempDir()
	text := membersHeader + memberLine("M1", "Nguyễn Văn Đức", "") + memberLine("M2", "Trần Thị Ánh", "")
	enc, err := charmap.Windows1258.NewEncoder().String(strings.Repeat("", 0) + decomposeForCP1258(text))
	if err != nil {
		t.Fatal(err)
	}
	writeCSV(t, dir, "members", []byte(enc))
	names, got, err := readTable(t, dir, "members")
	if err != nil || got != "windows-1258" {
		t.Fatalf("encoding %q, err %v", got, err)
	}
	if strings.Join(names, "|") != "Nguyễn Văn Đức|Trần Thị Ánh" {
		t.Errorf("names %q", names)
	}
}

// decomposeForCP1258 writes tones as combining marks, as Windows-1258 stores them.
func decomposeForCP1258(s string) string {
	r := strings.NewReplacer("ễ", "ê\u0303", "ị", "i\u0323", "Á", "Á", "ầ", "â\u0300", "ứ", "ư\u0301")
	return r.Replace(s)
}

// A row with more cells than the header (an unquoted comma in a note) used to lose its tail.
func TestExtraFieldsNameTheRow(t *testing.T) {
	dir := t.TempDir()
	writeCSV(t, dir, "members", []byte(membersHeader+memberLine("M1", "An", "")+memberLine("M2", "Bình", "chuyển đến, từ Hà Nội")))
	_, _, err := readTable(t, dir, "members")
	fieldErr(t, err, "members.csv", 3, "")
	if !strings.Contains(err.Error(), "Hà Nội") {
		t.Errorf("the message does not show the extra cell: %v", err)
	}
	// Stray empty separators at the end of a row are harmless.
	writeCSV(t, dir, "members", []byte(membersHeader+strings.TrimSuffix(memberLine("M1", "An", ""), "\n")+",,\n"))
	if names, _, err := readTable(t, dir, "members"); err != nil || len(names) != 1 {
		t.Errorf("trailing empty cells: %v %v", names, err)
	}
}

// Unknown files and an empty folder: the first are listed as ignored, the second is an error.
func TestUnknownFilesAndEmptyFolder(t *testing.T) {
	dir := t.TempDir()
	writeCSV(t, dir, "members", []byte(membersHeader))
	writeCSV(t, dir, "memebrs", []byte(membersHeader))
	os.WriteFile(filepath.Join(dir, "ghi-chu.txt"), []byte("x"), 0o644)
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(r.Stats().Ignored, ","); got != "ghi-chu.txt,memebrs.csv" {
		t.Errorf("ignored %q", got)
	}
	empty := t.TempDir()
	_, err = Open(empty)
	if dangvu.ErrorCode(err) != dangvu.EInvalid || strings.Contains(err.Error(), empty) || !strings.Contains(err.Error(), "không có tệp nào") {
		t.Errorf("empty folder: %v", err)
	}
	_, err = Open(filepath.Join(empty, "khong-co.xlsx"))
	if dangvu.ErrorCode(err) != dangvu.EInvalid || strings.Contains(err.Error(), empty) || strings.Contains(err.Error(), "no such") {
		t.Errorf("missing file: %v", err)
	}
}

// repeatReader yields prefix, then pattern until n bytes of it were given, then suffix, without
// holding them.
type repeatReader struct {
	prefix, pattern, suffix string
	n                       int64
	stage, at               int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	switch {
	case r.stage == 0:
		r.stage = 1
		return copy(p, r.prefix), nil
	case r.n > 0:
		k := 0
		for k < len(p) && r.n > 0 {
			c := copy(p[k:], r.pattern[r.at:])
			if int64(c) > r.n {
				c = int(r.n)
			}
			r.at = (r.at + c) % len(r.pattern)
			k += c
			r.n -= int64(c)
		}
		return k, nil
	case r.stage == 1:
		r.stage = 2
		return copy(p, r.suffix), nil
	}
	return 0, io.EOF
}

// readCSVStream reads a members-like table from a stream made anew for each pass.
func readCSVStream(open func() io.Reader, table string, lim Limits, fn RowFunc) error {
	t, _ := Lookup(table)
	var used int64
	return readCSV(t, table+".csv", func() (io.Reader, error) { return open(), nil }, lim, &used, &Stats{}, fn)
}

// allocated runs fn and returns the bytes it allocated.
func allocated(fn func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	fn()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

const boundedAlloc = 64 << 20

// A CSV cell of gigabytes (what a 3,6 MB zip expands to) is refused after one row's worth of
// bytes, without holding it: a line too long, or a quoted cell whose line breaks keep lines short.
func TestCSVBombRefusedWithBoundedMemory(t *testing.T) {
	for _, c := range []struct {
		name    string
		pattern string
	}{{"one long line", "a"}, {"quoted line breaks", "a\n"}} {
		t.Run(c.name, func(t *testing.T) {
			var err error
			n := allocated(func() {
				src := func() io.Reader {
					return &repeatReader{prefix: "id,full_name,note\nM1,An,\"", suffix: "\"\n", pattern: c.pattern, n: 3 << 30}
				}
				err = readCSVStream(src, "members", DefaultLimits, func(int, Record) error { return nil })
			})
			if dangvu.ErrorCode(err) != dangvu.EInvalid || !strings.Contains(err.Error(), "dài quá") {
				t.Errorf("err = %v", err)
			}
			if n > boundedAlloc {
				t.Errorf("allocated %d MB", n>>20)
			}
		})
	}
	// Too many bytes in all, and too many rows.
	err := readCSVStream(func() io.Reader { return strings.NewReader("id,full_name\nM1,An\nM2,Bình\n") }, "members", Limits{Cell: 100, Row: 100, Rows: 10, Total: 20}, func(int, Record) error { return nil })
	if !strings.Contains(dangvu.ErrorMessage(err), "vượt") {
		t.Errorf("total: %v", err)
	}
	err = readCSVStream(func() io.Reader { return strings.NewReader("id,full_name\nM1,An\nM2,Bình\n") }, "members", Limits{Cell: 100, Row: 100, Rows: 1, Total: 1000}, func(int, Record) error { return nil })
	if !strings.Contains(dangvu.ErrorMessage(err), "hơn 1 dòng") {
		t.Errorf("rows: %v", err)
	}
	err = readCSVStream(func() io.Reader { return strings.NewReader("id,full_name\nM1," + strings.Repeat("ă", 11) + "\n") }, "members", Limits{Cell: 10, Row: 100, Rows: 10, Total: 1000}, func(int, Record) error { return nil })
	if !strings.Contains(dangvu.ErrorMessage(err), "cột full_name") {
		t.Errorf("cell: %v", err)
	}
}

// bombXLSX is a real workbook whose members sheet holds one cell of n bytes: a few MB compressed.
func bombXLSX(t *testing.T, n int64, pattern string) string {
	t.Helper()
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "members")
	f.SetSheetRow("members", "A1", &[]any{"id", "full_name"})
	var good bytes.Buffer
	if err := f.Write(&good); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(good.Bytes()), int64(good.Len()))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bomb.xlsx")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(out)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	for _, e := range zr.File {
		w, err := zw.Create(e.Name)
		if err != nil {
			t.Fatal(err)
		}
		if e.Name == "xl/worksheets/sheet1.xml" {
			io.Copy(w, &repeatReader{
				prefix:  `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" t="inlineStr"><is><t>full_name</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>M1</t></is></c><c r="B2" t="inlineStr"><is><t>`,
				pattern: pattern, n: n,
				suffix: `</t></is></c></row></sheetData></worksheet>`})
			continue
		}
		rc, _ := e.Open()
		io.Copy(w, rc)
		rc.Close()
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	out.Close()
	return path
}

// A 2 MB workbook with a cell of hundreds of megabytes (the report's had 2 GB) is refused before
// excelize opens it, with bounded memory; so are a row of many cells and too many bytes in all.
func TestXLSXBombRefusedWithBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 256 MB sheet")
	}
	path := bombXLSX(t, 256<<20, "a")
	st, _ := os.Stat(path)
	if st.Size() > 4<<20 {
		t.Fatalf("bomb is %d bytes compressed", st.Size())
	}
	var err error
	n := allocated(func() { _, err = Open(path) })
	if dangvu.ErrorCode(err) != dangvu.EInvalid || !strings.Contains(err.Error(), "dài quá") || strings.Contains(err.Error(), filepath.Dir(path)) {
		t.Errorf("err = %v", err)
	}
	if n > boundedAlloc {
		t.Errorf("allocated %d MB", n>>20)
	}
	// Over the total.
	_, err = OpenLimited(bombXLSX(t, 1<<20, "a"), Limits{Cell: 32767, Row: 1 << 20, Rows: 100, Total: 512 << 10})
	if !strings.Contains(dangvu.ErrorMessage(err), "giải nén ra quá") {
		t.Errorf("total: %v", err)
	}
	// Many short cells in one row: the row's markup is bounded.
	_, err = Open(bombXLSX(t, 8<<20, `</t></is></c><c t="inlineStr"><is><t>a`))
	if !strings.Contains(dangvu.ErrorMessage(err), "dòng dài quá") {
		t.Errorf("row: %v", err)
	}
}

// A workbook's other sheets are listed as ignored, and a cell past its header is refused with
// its row, as in a CSV file.
func TestXLSXIgnoredSheetsAndExtraCells(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "members")
	f.SetSheetRow("members", "A1", &[]any{"id", "full_name", "note"})
	f.SetSheetRow("members", "A2", &[]any{"M1", "Nguyễn Văn An", "ghi chú"})
	f.SetSheetRow("members", "A3", &[]any{"M2", "Trần Thị Bình", "chuyển đến", "từ Hà Nội"})
	f.NewSheet("Ghi chú")
	path := filepath.Join(t.TempDir(), "book.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got := strings.Join(r.Stats().Ignored, ","); got != "Ghi chú" {
		t.Errorf("ignored %q", got)
	}
	err = r.Each("members", func(int, Record) error { return nil })
	fieldErr(t, err, "members", 3, "")
}
