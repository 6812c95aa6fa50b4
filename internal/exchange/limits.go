package exchange

import (
	"archive/zip"
	"bufio"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"dangvu"
	"dangvu/internal/vn"
)

// Limits bound what reading a data set may take, whatever its files say about themselves. They
// are checked while streaming, before a cell or a row is held in memory, so that a small file
// expanding to gigabytes (a "zip bomb": a 2 MB workbook holding one 2 GB cell) is refused with a
// message instead of exhausting memory. Sizes declared in a zip's headers are only compared with
// the limits, never used to allocate (archive/zip refuses an entry longer than it declares).
type Limits struct {
	Cell  int   // characters in one cell: Excel's own limit
	Row   int   // bytes of one CSV row; a sheet's <row> element may take four times as much markup
	Rows  int   // data rows of one table (all its sheets)
	Total int64 // bytes of the whole data set once expanded: its CSV files, or the workbook's parts
}

// DefaultLimits fit the national data set with every domain (155 million rows, 13 GB of CSV, its
// largest table the dues payments: 53 million for eleven months) with room for years of
// history: a table may hold a billion rows (5,6 million members × 12 months × 15 years), which
// the import streams without holding them; the web import passes a smaller Total.
var DefaultLimits = Limits{Cell: 32767, Row: 1 << 20, Rows: 1_000_000_000, Total: 32 << 30}

// Parts of a workbook other than sheets and shared strings (styles, properties) are small.
const (
	maxOtherPart      = 64 << 20
	maxSharedStrings  = 512 << 20
	xlsxRowMarkup     = 4
	maxEncodingErrors = 100
)

func tooLarge(source string, row int, format string, args ...any) error {
	fe := dangvu.FieldError{Table: source, Row: row}
	e := dangvu.Errorf(dangvu.EInvalid, format, args...)
	fe.Reason = e.Message
	return &dangvu.Error{Code: dangvu.EInvalid, Message: "Tệp vượt giới hạn cho phép; không có gì được ghi.", Fields: []dangvu.FieldError{fe}}
}

// ---- CSV: encoding and line lengths, before any row is parsed ----

// csvScan is what a first pass over a CSV file found.
type csvScan struct {
	encoding string
	size     int64
}

// scanCSV reads a CSV file once to choose its encoding for the whole file (all or nothing: a
// file is UTF-8, UTF-16 by its BOM, or Windows-1258) and to refuse a row longer than a row may
// be (line breaks inside quotes included; UTF-16 files by line only), so that the parsing pass holds at most one bounded row. A file with invalid UTF-8 in it is
// read as Windows-1258 only when nothing in it is valid multi-byte UTF-8 outnumbering the invalid
// bytes: a UTF-8 file with a few stray bytes stays UTF-8, and the parsing pass names the cells
// that hold them (a single stray byte used to turn every name of the file into mojibake).
func scanCSV(r io.Reader, source string, lim Limits, budget int64) (csvScan, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	head, _ := br.Peek(3)
	var sc csvScan
	switch {
	case len(head) >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF:
		sc.encoding = "utf-8-bom"
	case len(head) >= 2 && head[0] == 0xFF && head[1] == 0xFE:
		sc.encoding = "utf-16le"
	case len(head) >= 2 && head[0] == 0xFE && head[1] == 0xFF:
		sc.encoding = "utf-16be"
	}
	var (
		line      = 1
		lineLen   int // bytes of the current row so far
		quoted    bool
		valid     int // multi-byte UTF-8 characters
		invalid   int // bytes that are not UTF-8
		buf       = make([]byte, 1<<20)
		carry     int
		eof       bool
		utf16     = strings.HasPrefix(sc.encoding, "utf-16")
		maxLine   = lim.Row
		checkUTF8 = !utf16
	)
	if utf16 {
		maxLine *= 2
	}
	for !eof {
		n, err := io.ReadFull(br, buf[carry:])
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			eof = true
		} else if err != nil {
			return sc, dangvu.Errorf(dangvu.EInvalid, "không đọc được %s.", source)
		}
		sc.size += int64(n)
		if sc.size > budget {
			return sc, tooLarge(source, 0, "dữ liệu vượt %s byte (giới hạn tổng của một lần nhập)", vn.FormatInt(lim.Total))
		}
		chunk := buf[:carry+n]
		carry = 0
		for i := 0; i < len(chunk); {
			b := chunk[i]
			if b == '\n' {
				line++
				i++
				// A row ends at a line break outside quotes; one inside a quoted cell continues
				// it, and the row's length with it.
				if !quoted {
					lineLen = 0
					continue
				}
			}
			if b == '"' && !utf16 {
				quoted = !quoted // a doubled quote toggles twice
			}
			if lineLen++; lineLen > maxLine {
				return sc, tooLarge(source, line, "dòng dài quá %s byte", vn.FormatInt(int64(lim.Row)))
			}
			if b < utf8.RuneSelf || !checkUTF8 {
				i++
				continue
			}
			if !eof && len(chunk)-i < utf8.UTFMax && !utf8.FullRune(chunk[i:]) {
				carry = copy(buf, chunk[i:])
				lineLen -= 1
				break
			}
			r, size := utf8.DecodeRune(chunk[i:])
			if r == utf8.RuneError && size == 1 {
				invalid++
			} else {
				valid++
				lineLen += size - 1
			}
			i += size
		}
	}
	if sc.encoding == "" {
		sc.encoding = "utf-8"
		if invalid > valid {
			sc.encoding = "windows-1258"
		}
	}
	return sc, nil
}

// rowLimiter hands the CSV parser at most lim bytes past the start of the current row, so that a
// row with quoted line breaks (which scanCSV's line check lets through) is bounded too.
type rowLimiter struct {
	r     io.Reader
	n     int64 // bytes handed out
	start int64 // offset where the current row starts
	max   int64
}

var errRowTooLong = errors.New("exchange: row too long")

func (l *rowLimiter) Read(p []byte) (int, error) {
	room := l.start + l.max - l.n
	if room <= 0 {
		return 0, errRowTooLong
	}
	if int64(len(p)) > room {
		p = p[:room]
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	return n, err
}

// checkCells refuses cells longer than the limit, and cells whose text was damaged before or
// while being read: bytes that are not UTF-8 in a UTF-8 file, and U+FFFD, the mark a converter
// leaves for what it could not read.
func checkCells(source string, row int, vals []string, names []string, lim Limits) []dangvu.FieldError {
	var errs []dangvu.FieldError
	for i, v := range vals {
		col := ""
		if i < len(names) {
			col = names[i]
		}
		if len(v) > lim.Cell && utf8.RuneCountInString(v) > lim.Cell {
			errs = append(errs, dangvu.FieldError{Table: source, Row: row, Field: col, Reason: "ô dài quá " + vn.FormatInt(int64(lim.Cell)) + " ký tự"})
			continue
		}
		if i := strings.IndexFunc(v, isControl); i >= 0 {
			errs = append(errs, dangvu.FieldError{Table: source, Row: row, Field: col, Reason: fmt.Sprintf("có ký tự điều khiển U+%04X ở vị trí %d: không phải chữ, hãy xóa nó", v[i], utf8.RuneCountInString(v[:i])+1)})
			continue
		}
		if isASCII(v) {
			continue
		}
		if !utf8.ValidString(v) {
			errs = append(errs, dangvu.FieldError{Table: source, Row: row, Field: col, Reason: "có byte không phải UTF-8 (" + badBytes(v) + ") trong một tệp UTF-8: tệp đã bị hỏng hoặc được ghép từ hai bảng mã; hãy sửa ô này rồi lưu lại tệp bằng UTF-8"})
			continue
		}
		if strings.ContainsRune(v, utf8.RuneError) {
			errs = append(errs, dangvu.FieldError{Table: source, Row: row, Field: col, Reason: "có ký tự thay thế U+FFFD (�): chữ đã bị hỏng khi chuyển bảng mã; hãy nhập lại ô này"})
		}
	}
	return errs
}

// isControl is a C0 control character other than tab and line breaks (which a note may hold): a
// NUL byte was stored by SQLite and refused by PostgreSQL.
func isControl(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f
}

// badBytes shows the first invalid bytes of s as \xNN.
func badBytes(s string) string {
	var b strings.Builder
	for i := 0; i < len(s) && b.Len() < 24; {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString(`\x`)
			b.WriteString(strings.ToUpper(string("0123456789abcdef"[s[i]>>4]) + string("0123456789abcdef"[s[i]&15])))
		}
		i += size
	}
	return b.String()
}

// extraFields refuses a row with values beyond the header's columns: an unquoted comma in a cell
// shifts the rest of the row, and the tail used to be dropped without a word. Empty trailing
// fields (a spreadsheet's stray separators) are harmless.
func extraFields(source string, row int, vals []string, ncols int) error {
	for i := ncols; i < len(vals); i++ {
		if strings.TrimSpace(vals[i]) != "" {
			return &dangvu.Error{Code: dangvu.EInvalid, Message: "Dòng có nhiều ô hơn dòng tiêu đề.", Fields: []dangvu.FieldError{{Table: source, Row: row,
				Reason: "có " + vn.FormatInt(int64(len(vals))) + " ô nhưng dòng tiêu đề chỉ có " + vn.FormatInt(int64(ncols)) + " cột (ô thừa: \"" + clip(vals[i]) + "\"); ô có dấu phẩy phải được đặt trong dấu nháy kép"}}}
		}
	}
	return nil
}

func clip(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:40]) + "…"
}

// ---- XLSX: a streaming pass over the workbook's parts before excelize opens it ----

// scanXLSX checks a workbook against the limits: declared and actual sizes of every part, the
// length of any text or tag in the sheets and shared strings (a cell is text between two
// markup characters), the markup of a row or shared string, and the rows of each sheet.
func scanXLSX(zr *zip.Reader, name string, lim Limits) error {
	var declared uint64
	for _, f := range zr.File {
		declared += f.UncompressedSize64
		if declared > uint64(lim.Total) {
			return tooLarge(name, 0, "tệp giải nén ra quá %s byte", vn.FormatInt(lim.Total))
		}
		p := strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))
		sheet := strings.HasPrefix(p, "xl/worksheets/") && path.Ext(p) == ".xml"
		sst := p == "xl/sharedstrings.xml"
		switch {
		case sst && f.UncompressedSize64 > maxSharedStrings:
			return tooLarge(name, 0, "bảng chuỗi dùng chung của tệp quá %s byte", vn.FormatInt(maxSharedStrings))
		case !sheet && !sst && f.UncompressedSize64 > maxOtherPart:
			return tooLarge(name, 0, "phần %s của tệp quá %s byte", path.Base(p), vn.FormatInt(maxOtherPart))
		case !sheet && !sst:
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return dangvu.Errorf(dangvu.EInvalid, "%s: tệp XLSX hỏng (không đọc được phần %s).", name, path.Base(p))
		}
		err = scanXML(rc, name, sst, lim)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// scanXML walks a part's bytes without parsing XML: it bounds each run of bytes between '<' and
// '>' (a text node or a tag), the bytes of each <row> (or <si> of the shared strings) and the
// number of rows. Names may carry a namespace prefix ("x:row").
func scanXML(r io.Reader, name string, sst bool, lim Limits) error {
	const maxName = 16
	var (
		buf      = make([]byte, 256<<10)
		pos      int64
		run      int64
		maxRun   = int64(6*lim.Cell + 4096) // "&quot;" takes six bytes for a character
		group    = "row"
		maxGroup = int64(xlsxRowMarkup * lim.Row)
		inName   bool
		nameBuf  []byte
		start    int64 = -1
		rows     int
	)
	if sst {
		group = "si"
		maxGroup = int64(lim.Row)
	}
	part := "trang tính"
	if sst {
		part = "bảng chuỗi dùng chung"
	}
	endName := func() error {
		inName = false
		n := string(nameBuf)
		closing := strings.HasPrefix(n, "/")
		n = strings.TrimPrefix(n, "/")
		if i := strings.IndexByte(n, ':'); i >= 0 {
			n = n[i+1:]
		}
		if n != group {
			return nil
		}
		if closing {
			start = -1
			return nil
		}
		start = pos
		if !sst {
			if rows++; rows > lim.Rows+1 {
				return tooLarge(name, 0, "một trang có hơn %s dòng", vn.FormatInt(int64(lim.Rows)))
			}
		}
		return nil
	}
	for {
		n, err := r.Read(buf)
		for _, b := range buf[:n] {
			pos++
			switch b {
			case '<':
				run = 0
				inName, nameBuf = true, nameBuf[:0]
				continue
			case '>':
				run = 0
				if inName {
					if err := endName(); err != nil {
						return err
					}
				}
				continue
			}
			if inName {
				if b == ' ' || b == '\t' || b == '\r' || b == '\n' || (b == '/' && len(nameBuf) > 0) {
					if err := endName(); err != nil {
						return err
					}
				} else if len(nameBuf) < maxName {
					nameBuf = append(nameBuf, b)
				}
			}
			if run++; run > maxRun {
				return tooLarge(name, rows, "một ô hoặc thẻ trong %s dài quá %s byte (ô tối đa %s ký tự)", part, vn.FormatInt(maxRun), vn.FormatInt(int64(lim.Cell)))
			}
			if start >= 0 && pos-start > maxGroup {
				if sst {
					return tooLarge(name, 0, "một chuỗi trong %s dài quá %s byte", part, vn.FormatInt(maxGroup))
				}
				return tooLarge(name, rows, "dòng dài quá %s byte", vn.FormatInt(maxGroup))
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return dangvu.Errorf(dangvu.EInvalid, "%s: tệp XLSX hỏng (%s không giải nén được).", name, part)
		}
	}
}
