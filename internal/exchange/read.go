package exchange

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
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
}

func (s *Stats) legacy(from string) {
	if s.LegacyCells == nil {
		s.LegacyCells = map[string]int{}
	}
	s.LegacyCells[from]++
}

// Open opens a data set: an .xlsx workbook or a folder of CSV files.
func Open(path string) (Reader, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, dangvu.Errorf(dangvu.EInvalid, "không mở được %s: %v", path, err)
	}
	if !st.IsDir() {
		if strings.EqualFold(filepath.Ext(path), ".xlsx") {
			f, err := excelize.OpenFile(path)
			if err != nil {
				return nil, dangvu.Errorf(dangvu.EInvalid, "không đọc được tệp XLSX %s: %v", path, err)
			}
			return &xlsxReader{f: f}, nil
		}
		return nil, dangvu.Errorf(dangvu.EInvalid, "%s: cần một tệp .xlsx hoặc một thư mục chứa các tệp .csv", path)
	}
	return &dirReader{dir: path}, nil
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

// decode wraps r so that it yields UTF-8 whatever the file's encoding: UTF-8 with or without BOM,
// UTF-16 with BOM, or else Windows-1258 (what Vietnamese Excel saves as "CSV").
func decode(r *bufio.Reader) (io.Reader, string, error) {
	head, err := r.Peek(64 << 10)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, "", err
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		r.Discard(3)
		return r, "utf-8-bom", nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return transform.NewReader(r, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()), "utf-16le", nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return transform.NewReader(r, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()), "utf-16be", nil
	}
	// The peeked block may end inside a character: drop up to 3 trailing bytes before checking.
	h := head
	for i := 0; i < 3 && len(h) > 0 && !utf8.Valid(h); i++ {
		h = h[:len(h)-1]
	}
	if utf8.Valid(h) {
		return r, "utf-8", nil
	}
	return transform.NewReader(r, charmap.Windows1258.NewDecoder()), "windows-1258", nil
}

func (d *dirReader) Each(table string, fn RowFunc) error {
	t, ok := Lookup(table)
	if !ok {
		return fmt.Errorf("exchange: unknown table %q", table)
	}
	f, err := os.Open(d.path(table))
	if err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "không mở được %s: %v", d.Source(table), err)
	}
	defer f.Close()
	src, enc, err := decode(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return err
	}
	if d.stats.Encodings == nil {
		d.stats.Encodings = map[string]string{}
	}
	d.stats.Encodings[d.Source(table)] = enc
	cr := csv.NewReader(src)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	first, err := cr.Read()
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "%s, dòng 1: %s", d.Source(table), csvReason(err))
	}
	clean(first, &d.stats)
	cols, err := header(t, d.Source(table), first)
	if err != nil {
		return err
	}
	for {
		vals, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			return &dangvu.Error{Code: dangvu.EInvalid, Message: "Tệp CSV hỏng.", Fields: []dangvu.FieldError{{Table: d.Source(table), Row: line, Reason: csvReason(err)}}}
		}
		line, _ := cr.FieldPos(0)
		if blank(vals) {
			continue
		}
		clean(vals, &d.stats)
		if err := fn(line, Record{cols, vals}); err != nil {
			return err
		}
	}
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
	stats Stats
}

func (x *xlsxReader) Has(table string) bool {
	idx, err := x.f.GetSheetIndex(table)
	return err == nil && idx >= 0
}

func (x *xlsxReader) Source(table string) string { return table }
func (x *xlsxReader) Stats() Stats               { return x.stats }
func (x *xlsxReader) Close() error               { return x.f.Close() }

func (x *xlsxReader) Each(table string, fn RowFunc) error {
	t, ok := Lookup(table)
	if !ok {
		return fmt.Errorf("exchange: unknown table %q", table)
	}
	for part := 1; ; part++ {
		name := SheetName(table, part)
		if idx, err := x.f.GetSheetIndex(name); err != nil || idx < 0 {
			return nil
		}
		if err := x.eachSheet(t, name, fn); err != nil {
			return err
		}
	}
}

func (x *xlsxReader) eachSheet(t Table, sheet string, fn RowFunc) error {
	rows, err := x.f.Rows(sheet)
	if err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "không đọc được trang %s: %v", sheet, err)
	}
	defer rows.Close()
	var cols map[string]int
	for n := 1; rows.Next(); n++ {
		vals, err := rows.Columns()
		if err != nil {
			return dangvu.Errorf(dangvu.EInvalid, "%s, dòng %d: %v", sheet, n, err)
		}
		if cols == nil {
			clean(vals, &x.stats)
			if cols, err = header(t, sheet, vals); err != nil {
				return err
			}
			continue
		}
		if blank(vals) {
			continue
		}
		clean(vals, &x.stats)
		if err := fn(n, Record{cols, vals}); err != nil {
			return err
		}
	}
	return rows.Error()
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
	t, ok := Lookup(table)
	if !ok {
		return fmt.Errorf("exchange: unknown table %q", table)
	}
	cols := make(map[string]int, len(t.Columns))
	for i, c := range t.Columns {
		cols[c] = i
	}
	for i, vals := range r.m.rows[table] {
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
