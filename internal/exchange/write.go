package exchange

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Writer receives rows table by table. Rows of several tables may be interleaved (a generator
// writes a member's history as it goes); each table's rows keep their order.
type Writer interface {
	Row(table string, values []string) error
	Close() error
}

// Create returns a writer for path: an XLSX workbook when path ends in .xlsx, else a folder of CSV
// files (created if missing). Every table gets its file or sheet, even when empty.
func Create(path string) (Writer, error) {
	if strings.EqualFold(filepath.Ext(path), ".xlsx") {
		return newXLSXWriter(path)
	}
	if err := os.MkdirAll(path, 0o755); err != nil {
		return nil, fmt.Errorf("exchange: %w", err)
	}
	return &dirWriter{dir: path, files: map[string]*csvFile{}, rows: map[string]int{}}, nil
}

type csvFile struct {
	f *os.File
	b *bufio.Writer
	w *csv.Writer
}

type dirWriter struct {
	dir   string
	files map[string]*csvFile
	rows  map[string]int
}

func (d *dirWriter) open(table string) (*csvFile, error) {
	if cf, ok := d.files[table]; ok {
		return cf, nil
	}
	t, ok := lookup(table)
	if !ok {
		return nil, fmt.Errorf("exchange: unknown table %q", table)
	}
	f, err := os.Create(filepath.Join(d.dir, table+".csv"))
	if err != nil {
		return nil, fmt.Errorf("exchange: %w", err)
	}
	b := bufio.NewWriterSize(f, 1<<20)
	cf := &csvFile{f: f, b: b, w: csv.NewWriter(b)}
	if err := cf.w.Write(t.Columns); err != nil {
		return nil, err
	}
	d.files[table] = cf
	return cf, nil
}

func (d *dirWriter) Row(table string, values []string) error {
	cf, err := d.open(table)
	if err != nil {
		return err
	}
	d.rows[table]++
	return cf.w.Write(values)
}

func (d *dirWriter) Close() error {
	var first error
	for _, t := range tables {
		if _, err := d.open(t.Name); err != nil && first == nil {
			first = err
		}
	}
	for _, cf := range d.files {
		cf.w.Flush()
		if err := cf.w.Error(); err != nil && first == nil {
			first = err
		}
		if err := cf.b.Flush(); err != nil && first == nil {
			first = err
		}
		if err := cf.f.Close(); err != nil && first == nil {
			first = err
		}
	}
	if first != nil {
		return first
	}
	for t := range d.files {
		d.rows[t] += 0 // every table, even empty, is in the manifest
	}
	return writeManifest(d.dir, d.rows)
}

// MaxSheetRows is the data rows a sheet holds before the table continues on the next sheet
// ("members", "members 2", …): Excel's limit of 1,048,576 rows less the header.
var MaxSheetRows = 1048575

// SheetName is the name of the n-th sheet (from 1) holding table.
func SheetName(table string, n int) string {
	if n == 1 {
		return table
	}
	return fmt.Sprintf("%s %d", table, n)
}

// The XLSX writer streams: each sheet's XML is compressed as its rows arrive into a temporary
// file of its own, and Close copies the compressed sheets into the workbook's zip as they are.
// Memory stays flat whatever the size (a table's rows are never held), and the disk holds the
// compressed size only. One compressor serves every sheet: when rows switch to another table,
// the current sheet's deflate stream is sync-flushed (a byte-aligned, non-final block) and the
// compressor is reset onto the other sheet's file; the segments of a sheet's file so form one
// deflate stream, ended at Close with a final block. (excelize's StreamWriter kept up to 16 MB
// of XML per sheet in memory, with 40 sheets close to 1 GB for the demo: docs/benchmarks.md.)
//
// Cells are inline strings (an id such as "0123" or a document number must not become a
// number); empty values are left out. Text is escaped for XML, and as Excel escapes what XML
// cannot carry: "_xHHHH_" for control characters and for a literal "_xHHHH_" (its underscore
// as _x005F_), which excelize's reader decodes.

type xlsxSheet struct {
	name    string
	table   Table
	cols    []string // column letters, A, B, …
	file    *os.File
	crc     hash.Hash32
	size    int64 // uncompressed bytes written
	rows    int   // data rows on this sheet
	part    int
	flushed bool // its last segment is complete (sync-flushed or final)
}

type xlsxWriter struct {
	path   string
	dir    string                // the sheets' compressed XML
	sheets map[string]*xlsxSheet // the current sheet of each table
	order  []*xlsxSheet          // every sheet, in creation order
	cur    *xlsxSheet            // the sheet the compressor writes
	fw     *flate.Writer
	bw     *bufio.Writer
	buf    []byte
	err    error
}

func newXLSXWriter(path string) (*xlsxWriter, error) {
	dir, err := os.MkdirTemp("", "dangvu-xlsx-")
	if err != nil {
		return nil, fmt.Errorf("exchange: %w", err)
	}
	fw, _ := flate.NewWriter(nil, flate.DefaultCompression)
	return &xlsxWriter{path: path, dir: dir, sheets: map[string]*xlsxSheet{}, fw: fw, bw: bufio.NewWriterSize(nil, 64<<10)}, nil
}

const sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
	`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`

// switchTo ends the current sheet's segment and points the compressor at s's file.
func (x *xlsxWriter) switchTo(s *xlsxSheet) error {
	if x.cur == s {
		return nil
	}
	if x.cur != nil && !x.cur.flushed {
		if err := x.fw.Flush(); err != nil {
			return err
		}
		x.cur.flushed = true
	}
	if err := x.bw.Flush(); err != nil {
		return err
	}
	x.bw.Reset(s.file)
	x.fw.Reset(x.bw)
	x.cur, s.flushed = s, false
	return nil
}

// write appends uncompressed XML to the current sheet.
func (x *xlsxWriter) write(b []byte) error {
	x.cur.crc.Write(b)
	x.cur.size += int64(len(b))
	_, err := x.fw.Write(b)
	return err
}

func (x *xlsxWriter) newSheet(t Table, part int) (*xlsxSheet, error) {
	f, err := os.CreateTemp(x.dir, "sheet-")
	if err != nil {
		return nil, fmt.Errorf("exchange: %w", err)
	}
	s := &xlsxSheet{name: SheetName(t.Name, part), table: t, part: part, file: f, crc: crc32.NewIEEE()}
	for i := range t.Columns {
		s.cols = append(s.cols, columnName(i+1))
	}
	x.sheets[t.Name] = s
	x.order = append(x.order, s)
	if err := x.switchTo(s); err != nil {
		return nil, err
	}
	if err := x.write([]byte(sheetHead)); err != nil {
		return nil, err
	}
	return s, x.row(s, 1, t.Columns)
}

// columnName is the letter name of the n-th column (from 1): A … Z, AA …
func columnName(n int) string {
	var b []byte
	for ; n > 0; n = (n - 1) / 26 {
		b = append([]byte{byte('A' + (n-1)%26)}, b...)
	}
	return string(b)
}

// row writes one row (number r on the sheet) of values to the current sheet s.
func (x *xlsxWriter) row(s *xlsxSheet, r int, values []string) error {
	n := strconv.Itoa(r)
	b := append(x.buf[:0], `<row r="`...)
	b = append(b, n...)
	b = append(b, `">`...)
	for i, v := range values {
		if v == "" || i >= len(s.cols) {
			continue
		}
		b = append(b, `<c r="`...)
		b = append(b, s.cols[i]...)
		b = append(b, n...)
		b = append(b, `" t="inlineStr"><is><t xml:space="preserve">`...)
		b = appendXMLText(b, v)
		b = append(b, `</t></is></c>`...)
	}
	b = append(b, `</row>`...)
	x.buf = b
	return x.write(b)
}

// appendXMLText appends v escaped for an XML text node and for Excel (see above).
func appendXMLText(b []byte, v string) []byte {
	for i := 0; i < len(v); {
		r, size := utf8.DecodeRuneInString(v[i:])
		switch {
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '\t' || r == '\n':
			b = append(b, byte(r))
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF:
			b = fmt.Appendf(b, "_x%04X_", r) // \r too, which XML would turn into \n
		case r == utf8.RuneError && size == 1:
			b = append(b, "\uFFFD"...)
		case r == '_' && isExcelEscape(v[i:]):
			b = append(b, "_x005F_"...) // the underscore itself, escaped
		default:
			b = append(b, v[i:i+size]...)
		}
		i += size
	}
	return b
}

// isExcelEscape reports whether s starts with "_xHHHH_", which Excel reads as one character.
func isExcelEscape(s string) bool {
	if len(s) < 7 || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for _, c := range s[2:6] {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

func (x *xlsxWriter) Row(table string, values []string) error {
	if x.err != nil {
		return x.err
	}
	x.err = x.addRow(table, values)
	return x.err
}

func (x *xlsxWriter) addRow(table string, values []string) error {
	s, ok := x.sheets[table]
	if !ok {
		t, ok := lookup(table)
		if !ok {
			return fmt.Errorf("exchange: unknown table %q", table)
		}
		var err error
		if s, err = x.newSheet(t, 1); err != nil {
			return err
		}
	}
	if s.rows == MaxSheetRows {
		var err error
		if s, err = x.newSheet(s.table, s.part+1); err != nil {
			return err
		}
	}
	if err := x.switchTo(s); err != nil {
		return err
	}
	s.rows++
	return x.row(s, s.rows+1, values)
}

// Close ends every sheet (every table has one, even when empty) and writes the workbook.
func (x *xlsxWriter) Close() error {
	defer os.RemoveAll(x.dir)
	defer func() {
		for _, s := range x.order {
			s.file.Close()
		}
	}()
	if x.err != nil {
		return x.err
	}
	for _, t := range tables {
		if _, ok := x.sheets[t.Name]; !ok {
			if _, err := x.newSheet(t, 1); err != nil {
				return err
			}
		}
	}
	// The manifest, last: the format version, the program, the day and each table's rows.
	rows := map[string]int{}
	for _, s := range x.order {
		rows[s.table.Name] += s.rows
	}
	ms, err := x.newSheet(Table{Name: ManifestSheet, Columns: []string{"key", "value"}}, 1)
	if err != nil {
		return err
	}
	for i, kv := range manifestPairs(newManifest(rows)) {
		if err := x.row(ms, i+2, kv[:]); err != nil {
			return err
		}
	}
	// Sheets in table order, each table's parts in order, then the manifest.
	var sheets []*xlsxSheet
	for _, t := range tables {
		for _, s := range x.order {
			if s.table.Name == t.Name {
				sheets = append(sheets, s)
			}
		}
	}
	sheets = append(sheets, ms)
	for _, s := range sheets {
		if err := x.switchTo(s); err != nil {
			return err
		}
		if err := x.write([]byte(`</sheetData></worksheet>`)); err != nil {
			return err
		}
		if err := x.fw.Close(); err != nil {
			return err
		}
		if err := x.bw.Flush(); err != nil {
			return err
		}
		s.flushed, x.cur = true, nil
	}
	out, err := os.Create(x.path)
	if err != nil {
		return fmt.Errorf("exchange: %w", err)
	}
	if err := writeWorkbook(out, sheets); err != nil {
		out.Close()
		return fmt.Errorf("exchange: %s: %w", x.path, err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("exchange: %w", err)
	}
	return nil
}

// writeWorkbook writes the zip of an XLSX workbook whose sheets are compressed already.
func writeWorkbook(out io.Writer, sheets []*xlsxSheet) error {
	zw := zip.NewWriter(out)
	now := time.Now()
	part := func(name, body string) error {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: now})
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, body)
		return err
	}
	var types, book, rels strings.Builder
	types.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`)
	book.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`)
	rels.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	for i, s := range sheets {
		n := strconv.Itoa(i + 1)
		types.WriteString(`<Override PartName="/xl/worksheets/sheet` + n + `.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`)
		var name bytes.Buffer
		xml.EscapeText(&name, []byte(s.name))
		book.WriteString(`<sheet name="` + name.String() + `" sheetId="` + n + `" r:id="rId` + n + `"/>`)
		rels.WriteString(`<Relationship Id="rId` + n + `" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet` + n + `.xml"/>`)
	}
	n := strconv.Itoa(len(sheets) + 1)
	types.WriteString(`</Types>`)
	book.WriteString(`</sheets></workbook>`)
	rels.WriteString(`<Relationship Id="rId` + n + `" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`)
	for _, p := range [][2]string{
		{"[Content_Types].xml", types.String()},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", book.String()},
		{"xl/_rels/workbook.xml.rels", rels.String()},
		{"xl/styles.xml", xlsxStyles},
	} {
		if err := part(p[0], p[1]); err != nil {
			return err
		}
	}
	for i, s := range sheets {
		st, err := s.file.Stat()
		if err != nil {
			return err
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet" + strconv.Itoa(i+1) + ".xml", Method: zip.Deflate, Modified: now,
			CRC32: s.crc.Sum32(), CompressedSize64: uint64(st.Size()), UncompressedSize64: uint64(s.size)})
		if err != nil {
			return err
		}
		if _, err := s.file.Seek(0, io.SeekStart); err != nil {
			return err
		}
		if _, err := io.Copy(w, s.file); err != nil {
			return err
		}
	}
	return zw.Close()
}

// xlsxStyles is the least style sheet Excel accepts: one font, fill, border and cell format.
const xlsxStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
	`<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
	`<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>` +
	`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
	`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>` +
	`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`

// Memory is an in-memory data set: a Writer that a Reader can then read (the demo builds its data
// set this way and loads it through the same import path as files).
type Memory struct {
	rows map[string][][]string
}

// NewMemory returns an empty in-memory data set.
func NewMemory() *Memory { return &Memory{rows: map[string][][]string{}} }

func (m *Memory) Row(table string, values []string) error {
	t, ok := lookup(table)
	if !ok {
		return fmt.Errorf("exchange: unknown table %q", table)
	}
	if len(values) != len(t.Columns) {
		return fmt.Errorf("exchange: table %s has %d columns, row has %d", table, len(t.Columns), len(values))
	}
	m.rows[table] = append(m.rows[table], append([]string(nil), values...))
	return nil
}

func (m *Memory) Close() error { return nil }

// Len returns the number of rows of a table.
func (m *Memory) Len(table string) int { return len(m.rows[table]) }
