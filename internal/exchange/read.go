package exchange

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"dangvu"
	"dangvu/internal/vn"
)

// Record is one data row, read by column name.
type Record struct {
	cols map[string]int
	vals []string
}

// Get returns the value of a column, trimmed; "" when the file lacks the column.
func (r Record) Get(col string) string {
	i, ok := r.cols[col]
	if !ok || i >= len(r.vals) {
		return ""
	}
	return strings.TrimSpace(r.vals[i])
}

// RowFunc receives a data row; row is its line or spreadsheet row number (the header is row 1).
type RowFunc func(row int, rec Record) error

// Reader reads the tables of a data set.
type Reader interface {
	// Has reports whether the data set contains the table.
	Has(table string) bool
	// Source names where a table's rows come from in messages: "members.csv" or "members".
	Source(table string) string
	// Each calls fn for every data row of table in order. An error from fn stops the reading and
	// is returned as it is.
	Each(table string, fn RowFunc) error
	// Stats tells what the reader had to convert.
	Stats() Stats
	Close() error
}

// Stats counts what reading converted: legacy TCVN3/VNI cells turned into Unicode, and each
// CSV file's detected encoding.
type Stats struct {
	LegacyCells map[string]int    `json:"legacy_cells,omitempty"` // by legacy encoding
	Encodings   map[string]string `json:"encodings,omitempty"`    // by file
	// Ignored lists the files of a folder and the sheets of a workbook that are not tables of
	// the format (a misspelt name, notes): they are not read, and the user is told.
	Ignored []string `json:"ignored,omitempty"`
	// Changed lists the files of a folder that differ from the checksum of its manifest (edited
	// after the export).
	Changed []string `json:"changed,omitempty"`
}

func (s *Stats) legacy(from string) {
	if s.LegacyCells == nil {
		s.LegacyCells = map[string]int{}
	}
	s.LegacyCells[from]++
}

// Open opens a data set: an .xlsx workbook or a folder of CSV files, within DefaultLimits.
func Open(path string) (Reader, error) { return OpenLimited(path, DefaultLimits) }

// OpenLimited opens a data set within the given limits. Messages name the file or folder by its
// base name only (the web import reads from a temporary folder of the server).
func OpenLimited(path string, lim Limits) (Reader, error) {
	name := filepath.Base(path)
	st, err := os.Stat(path)
	if err != nil {
		return nil, dangvu.Errorf(dangvu.EInvalid, "không mở được %s: không có tệp hoặc thư mục này, hoặc không được phép đọc.", name)
	}
	if !st.IsDir() {
		if !strings.EqualFold(filepath.Ext(path), ".xlsx") {
			return nil, dangvu.Errorf(dangvu.EInvalid, "%s: cần một tệp .xlsx hoặc một thư mục chứa các tệp .csv", name)
		}
		return openXLSX(path, name, st.Size(), lim)
	}
	return openDir(path, name, lim)
}

func openXLSX(path, name string, size int64, lim Limits) (Reader, error) {
	broken := dangvu.Errorf(dangvu.EInvalid, "%s: không đọc được tệp XLSX (tệp hỏng, bị cắt, hoặc không phải bảng tính Excel).", name)
	zf, err := os.Open(path)
	if err != nil {
		return nil, dangvu.Errorf(dangvu.EInvalid, "không mở được %s.", name)
	}
	zr, err := zip.NewReader(zf, size)
	if err != nil {
		zf.Close()
		return nil, broken
	}
	err = scanXLSX(zr, name, lim)
	zf.Close()
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: lim.Total, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, broken
	}
	x := &xlsxReader{f: f, lim: lim}
	for _, sh := range f.GetSheetList() {
		if sh == ManifestSheet {
			if err := x.checkManifest(name); err != nil {
				f.Close()
				return nil, err
			}
			continue
		}
		if !isTableSheet(sh) {
			x.stats.Ignored = append(x.stats.Ignored, sh)
		}
	}
	return x, nil
}

// isTableSheet reports whether a sheet holds (a part of) a table: "members", "members 2".
func isTableSheet(sheet string) bool {
	name, part, _ := strings.Cut(sheet, " ")
	if _, ok := lookup(name); !ok {
		return false
	}
	if part == "" {
		return true
	}
	n, err := strconv.Atoi(part)
	return err == nil && n >= 2 && SheetName(name, n) == sheet
}

func openDir(dir, name string, lim Limits) (Reader, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, dangvu.Errorf(dangvu.EInvalid, "không đọc được thư mục %s.", name)
	}
	d := &dirReader{dir: dir, lim: lim}
	found := 0
	for _, e := range entries {
		base := e.Name()
		if base == ManifestFile {
			continue
		}
		if !e.IsDir() && strings.HasSuffix(base, ".csv") {
			if _, ok := lookup(strings.TrimSuffix(base, ".csv")); ok {
				found++
				continue
			}
		}
		if e.IsDir() {
			base += "/"
		}
		d.stats.Ignored = append(d.stats.Ignored, base)
	}
	if found == 0 {
		return nil, dangvu.Errorf(dangvu.EInvalid, "thư mục %s không có tệp nào của định dạng trao đổi (members.csv, organisations.csv, … xem docs/data-format.md); không có gì để nhập.", name)
	}
	if err := checkManifest(dir, name, &d.stats); err != nil {
		return nil, err
	}
	return d, nil
}

// header maps the header row to column indexes and checks it against the table.
func header(t Table, source string, cols []string) (map[string]int, error) {
	m := make(map[string]int, len(cols))
	var errs []dangvu.FieldError
	for i, c := range cols {
		c = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(c, "\ufeff")))
		if c == "" {
			continue
		}
		if !contains(t.Columns, c) {
			errs = append(errs, dangvu.FieldError{Table: source, Row: 1, Field: c, Reason: "cột không có trong định dạng của bảng " + t.Name})
			continue
		}
		if _, dup := m[c]; dup {
			errs = append(errs, dangvu.FieldError{Table: source, Row: 1, Field: c, Reason: "cột bị lặp"})
		}
		m[c] = i
	}
	for _, k := range t.Key {
		if _, ok := m[k]; !ok {
			errs = append(errs, dangvu.FieldError{Table: source, Row: 1, Field: k, Reason: "thiếu cột khóa bắt buộc"})
		}
	}
	if len(errs) > 0 {
		return nil, &dangvu.Error{Code: dangvu.EInvalid, Message: "Dòng tiêu đề không đúng định dạng.", Fields: errs}
	}
	return m, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// clean turns every cell into NFC Unicode, converting legacy-font text.
func clean(vals []string, st *Stats) {
	for i, v := range vals {
		if isASCII(v) {
			continue
		}
		fixed, from := vn.FixLegacy(v)
		if from != "" {
			st.legacy(from)
		}
		vals[i] = vn.NFC(fixed)
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

type dirReader struct {
	dir   string
	lim   Limits
	used  int64 // bytes of the files read so far, against lim.Total
	stats Stats
}

func (d *dirReader) path(table string) string { return filepath.Join(d.dir, table+".csv") }

func (d *dirReader) Has(table string) bool {
	_, err := os.Stat(d.path(table))
	return err == nil
}

func (d *dirReader) Source(table string) string { return table + ".csv" }
func (d *dirReader) Stats() Stats               { return d.stats }
func (d *dirReader) Close() error               { return nil }

// decoder wraps r so that it yields UTF-8 from a file of the encoding scanCSV chose.
func decoder(r *bufio.Reader, enc string) io.Reader {
	switch enc {
	case "utf-8-bom":
		r.Discard(3)
	case "utf-16le":
		return transform.NewReader(r, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder())
	case "utf-16be":
		return transform.NewReader(r, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder())
	case "windows-1258":
		return transform.NewReader(r, charmap.Windows1258.NewDecoder())
	}
	return r
}

func (d *dirReader) Each(table string, fn RowFunc) error {
	t, ok := lookup(table)
	if !ok {
		return fmt.Errorf("exchange: unknown table %q", table)
	}
	source := d.Source(table)
	f, err := os.Open(d.path(table))
	if err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "không mở được %s.", source)
	}
	defer f.Close()
	rewind := func() (io.Reader, error) {
		_, err := f.Seek(0, io.SeekStart)
		return f, err
	}
	return readCSV(t, source, rewind, d.lim, &d.used, &d.stats, fn)
}

// readCSV reads a CSV table in two passes over open's reader: scanCSV first (the encoding of
// the whole file, line lengths, size), then the rows, each bounded, checked and handed to fn.
func readCSV(t Table, source string, open func() (io.Reader, error), lim Limits, used *int64, stats *Stats, fn RowFunc) error {
	r, err := open()
	if err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "không đọc được %s.", source)
	}
	sc, err := scanCSV(r, source, lim, lim.Total-*used)
	if err != nil {
		return err
	}
	*used += sc.size
	if r, err = open(); err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "không đọc được %s.", source)
	}
	if stats.Encodings == nil {
		stats.Encodings = map[string]string{}
	}
	stats.Encodings[source] = sc.encoding
	lr := &rowLimiter{r: decoder(bufio.NewReaderSize(r, 1<<20), sc.encoding), max: int64(lim.Row)}
	cr := csv.NewReader(lr)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	line := 1
	parseErr := func(err error) error {
		if errors.Is(err, errRowTooLong) {
			return tooLarge(source, line, "dòng dài quá %s byte", vn.FormatInt(int64(lim.Row)))
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			line = pe.StartLine
		}
		return &dangvu.Error{Code: dangvu.EInvalid, Message: "Tệp CSV hỏng.", Fields: []dangvu.FieldError{{Table: source, Row: line, Reason: csvReason(err)}}}
	}
	first, err := cr.Read()
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return parseErr(err)
	}
	if errs := checkCells(source, 1, first, nil, lim); len(errs) > 0 {
		return &dangvu.Error{Code: dangvu.EInvalid, Message: "Dòng tiêu đề không đọc được.", Fields: errs}
	}
	clean(first, stats)
	cols, err := header(t, source, first)
	if err != nil {
		return err
	}
	names := columnNames(first)
	var bad []dangvu.FieldError
	rows := 0
	for {
		lr.start = cr.InputOffset()
		line++
		vals, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return parseErr(err)
		}
		line, _ = cr.FieldPos(0)
		if blank(vals) {
			continue
		}
		if rows++; rows > lim.Rows {
			return tooLarge(source, line, "bảng có hơn %s dòng", vn.FormatInt(int64(lim.Rows)))
		}
		if err := extraFields(source, line, vals, len(first)); err != nil {
			return err
		}
		if errs := checkCells(source, line, vals, names, lim); len(errs) > 0 {
			// Listed together, and no more rows are handed on: the file is refused whole.
			if bad = append(bad, errs...); len(bad) >= maxEncodingErrors {
				break
			}
			continue
		}
		if len(bad) > 0 {
			continue
		}
		clean(vals, stats)
		if err := fn(line, Record{cols, vals}); err != nil {
			return err
		}
	}
	if len(bad) > 0 {
		return &dangvu.Error{Code: dangvu.EInvalid, Message: fmt.Sprintf("%s có ô không đọc được (bảng mã %s); không có gì được ghi.", source, sc.encoding), Fields: bad}
	}
	return nil
}

// columnNames are the header's cells as column names, for messages.
func columnNames(first []string) []string {
	out := make([]string, len(first))
	for i, c := range first {
		out[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(c, "\ufeff")))
	}
	return out
}

func blank(vals []string) bool {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

type xlsxReader struct {
	f     *excelize.File
	lim   Limits
	stats Stats
}

// checkManifest reads the workbook's manifest sheet (ManifestSheet) and refuses a newer format;
// a workbook without one (made by hand, or before manifests) reads as format 1.
func (x *xlsxReader) checkManifest(name string) error {
	rows, err := x.f.GetRows(ManifestSheet)
	if err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "%s: không đọc được trang %s.", name, ManifestSheet)
	}
	m := Manifest{FormatVersion: 1}
	for _, r := range rows {
		if len(r) < 2 {
			continue
		}
		switch r[0] {
		case "format_version":
			n, err := strconv.Atoi(strings.TrimSpace(r[1]))
			if err != nil {
				return dangvu.Errorf(dangvu.EInvalid, "%s, trang %s: format_version %q không phải số.", name, ManifestSheet, r[1])
			}
			m.FormatVersion = n
		case "source":
			m.Source = r[1]
		}
	}
	return checkVersion(m, "Tệp "+name)
}

func (x *xlsxReader) Has(table string) bool {
	idx, err := x.f.GetSheetIndex(table)
	return err == nil && idx >= 0
}

func (x *xlsxReader) Source(table string) string { return table }
func (x *xlsxReader) Stats() Stats               { return x.stats }
func (x *xlsxReader) Close() error               { return x.f.Close() }

func (x *xlsxReader) Each(table string, fn RowFunc) error {
	t, ok := lookup(table)
	if !ok {
		return fmt.Errorf("exchange: unknown table %q", table)
	}
	rows := 0
	for part := 1; ; part++ {
		name := SheetName(table, part)
		if idx, err := x.f.GetSheetIndex(name); err != nil || idx < 0 {
			return nil
		}
		if err := x.eachSheet(t, name, &rows, fn); err != nil {
			return err
		}
	}
}

func (x *xlsxReader) eachSheet(t Table, sheet string, count *int, fn RowFunc) error {
	rows, err := x.f.Rows(sheet)
	if err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "không đọc được trang %s (tệp XLSX hỏng).", sheet)
	}
	defer rows.Close()
	var (
		cols  map[string]int
		names []string
		bad   []dangvu.FieldError
	)
	for n := 1; rows.Next(); n++ {
		vals, err := rows.Columns()
		if err != nil {
			return dangvu.Errorf(dangvu.EInvalid, "%s, dòng %d: không đọc được dòng (tệp XLSX hỏng).", sheet, n)
		}
		if cols == nil {
			if errs := checkCells(sheet, n, vals, nil, x.lim); len(errs) > 0 {
				return &dangvu.Error{Code: dangvu.EInvalid, Message: "Dòng tiêu đề không đọc được.", Fields: errs}
			}
			clean(vals, &x.stats)
			if cols, err = header(t, sheet, vals); err != nil {
				return err
			}
			names = columnNames(vals)
			continue
		}
		if blank(vals) {
			continue
		}
		if *count++; *count > x.lim.Rows {
			return tooLarge(sheet, n, "bảng có hơn %s dòng", vn.FormatInt(int64(x.lim.Rows)))
		}
		if err := extraFields(sheet, n, vals, len(names)); err != nil {
			return err
		}
		if errs := checkCells(sheet, n, vals, names, x.lim); len(errs) > 0 {
			if bad = append(bad, errs...); len(bad) >= maxEncodingErrors {
				break
			}
			continue
		}
		if len(bad) > 0 {
			continue
		}
		clean(vals, &x.stats)
		if err := fn(n, Record{cols, vals}); err != nil {
			return err
		}
	}
	if len(bad) > 0 {
		return &dangvu.Error{Code: dangvu.EInvalid, Message: fmt.Sprintf("Trang %s có ô không đọc được; không có gì được ghi.", sheet), Fields: bad}
	}
	if rows.Error() != nil {
		return dangvu.Errorf(dangvu.EInvalid, "không đọc hết được trang %s (tệp XLSX hỏng).", sheet)
	}
	return nil
}

// Reader returns a reader over the in-memory data set.
func (m *Memory) Reader() Reader { return &memReader{m: m} }

type memReader struct {
	m     *Memory
	stats Stats
}

func (r *memReader) Has(table string) bool      { _, ok := r.m.rows[table]; return ok }
func (r *memReader) Source(table string) string { return table }
func (r *memReader) Stats() Stats               { return r.stats }
func (r *memReader) Close() error               { return nil }

func (r *memReader) Each(table string, fn RowFunc) error {
	t, ok := lookup(table)
	if !ok {
		return fmt.Errorf("exchange: unknown table %q", table)
	}
	cols := make(map[string]int, len(t.Columns))
	for i, c := range t.Columns {
		cols[c] = i
	}
	for i, vals := range r.m.rows[table] {
		// Data built in memory (the demo, tests) passes the same cell checks as a file.
		if errs := checkCells(table, i+2, vals, t.Columns, DefaultLimits); len(errs) > 0 {
			return &dangvu.Error{Code: dangvu.EInvalid, Message: "Dữ liệu có ô không đọc được.", Fields: errs}
		}
		if err := fn(i+2, Record{cols, vals}); err != nil {
			return err
		}
	}
	return nil
}

// csvReason says in Vietnamese what the CSV parser found.
func csvReason(err error) string {
	switch {
	case errors.Is(err, csv.ErrQuote), errors.Is(err, csv.ErrBareQuote):
		return "dấu nháy kép (\") đặt sai hoặc chưa đóng"
	case errors.Is(err, csv.ErrFieldCount):
		return "số cột không khớp dòng tiêu đề"
	}
	return "không đọc được dòng: " + err.Error()
}
