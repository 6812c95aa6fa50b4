// Package reportout renders the term report in the formats committees hand upward: XLSX (figures
// and the lists behind them), DOCX (a narrative report in the party document layout).
package reportout

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"dangvu"
)

// Number formats of the workbook. Figures are stored as numbers (a reader can add them up) and
// shown the Vietnamese way, 6.422 and 97,63%. Excel draws the "," and "." of a format code with the
// separators of the computer it runs on (an English Windows would show 6,422), so the thousands
// separators of counts are literal dots in conditional sections, right on every computer. A
// rate's decimal comma cannot be a literal (a format has no way to split the decimals off), so
// rates carry the Vietnamese locale ([$-42A]): LibreOffice then draws 97,63%, Excel draws the
// decimal separator of the computer's regional settings (97,63% on a Vietnamese Windows).
const (
	fmtCount   = `[>=1000000]#"."###"."###;[>=1000]#"."###;0`
	fmtPercent = `[$-42A]0.00"%"`
)

// xlsxStyles are the styles a report workbook uses.
type xlsxStyles struct{ bold, title, head, count, percent, text int }

func newStyles(f *excelize.File) (xlsxStyles, error) {
	var s xlsxStyles
	var err error
	border := []excelize.Border{{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1},
		{Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1}}
	fc, fp := fmtCount, fmtPercent
	for _, x := range []struct {
		id *int
		st excelize.Style
	}{
		{&s.bold, excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}}},
		{&s.head, excelize.Style{Font: &excelize.Font{Bold: true}, Border: border, Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EDEDED"}}}},
		{&s.count, excelize.Style{CustomNumFmt: &fc, Border: border}},
		{&s.percent, excelize.Style{CustomNumFmt: &fp, Border: border}},
		{&s.text, excelize.Style{Border: border, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
	} {
		if *x.id, err = f.NewStyle(&x.st); err != nil {
			return s, err
		}
	}
	return s, nil
}

// XLSX writes the report as a workbook whose first sheet, "Tổng hợp", lists every figure with its
// Vietnamese label, value, period and key, laid out to print on A4 (fit to the page's width, the
// heading row repeated, the organisation and period in the header, page numbers in the footer);
// each list behind a figure follows on its own sheet, named after the list.
func XLSX(w io.Writer, r *dangvu.Report, lists []*dangvu.ReportList) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Tổng hợp"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	asOf := Value(dangvu.Figure{Value: Text(r, "as_of")})
	title := fmt.Sprintf("%s — báo cáo số liệu đến ngày %s", Text(r, "org_name"), asOf)
	f.SetCellValue(sheet, "A1", title)
	f.SetCellStyle(sheet, "A1", "A1", st.title)
	f.SetSheetRow(sheet, "A3", &[]any{"Chỉ tiêu", "Giá trị", "Thời gian", "Mã"})
	f.SetCellStyle(sheet, "A3", "D3", st.head)
	row := 4
	for _, fig := range r.Figures {
		v := fig.Value
		style := st.text
		switch n := v.(type) {
		case nil:
			v = ""
		case string:
			v = Value(dangvu.Figure{Key: fig.Key, Value: n})
		case int, int64, float64:
			style = st.count
			if IsPercent(fig.Key) {
				style = st.percent
			} else if x, ok := n.(float64); ok && x != float64(int64(x)) {
				// A count is whole; anything else (an average) keeps its value as text
				// formatted the Vietnamese way rather than lose its decimals to the count format.
				v, style = Value(fig), st.text
			}
		}
		period := ""
		if !Identity(fig.Key) {
			period = PeriodText(r, fig.Key)
		}
		if err := f.SetSheetRow(sheet, fmt.Sprintf("A%d", row), &[]any{fig.Label, v, period, fig.Key}); err != nil {
			return err
		}
		f.SetCellStyle(sheet, fmt.Sprintf("A%d", row), fmt.Sprintf("D%d", row), st.text)
		f.SetCellStyle(sheet, fmt.Sprintf("B%d", row), fmt.Sprintf("B%d", row), style)
		row++
	}
	f.SetColWidth(sheet, "A", "A", 50)
	f.SetColWidth(sheet, "B", "B", 14)
	f.SetColWidth(sheet, "C", "C", 24)
	f.SetColWidth(sheet, "D", "D", 26)
	header := Text(r, "org_name") + " — số liệu đến ngày " + asOf
	if err := printable(f, sheet, 3, false, header); err != nil {
		return err
	}
	used := map[string]bool{strings.ToLower(sheet): true}
	for _, l := range lists {
		name := sheetName(l.Title, used)
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
		if err := listSheet(f, name, st, l); err != nil {
			return err
		}
		if err := printable(f, name, 3, len(l.Columns) > 4, header); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}

// printable lays a sheet out for A4: fit to the width of the page (as many pages down as it
// takes), the heading row repeated on every page, the header naming what the sheet is about and
// the footer numbering the pages.
func printable(f *excelize.File, sheet string, headRow int, landscape bool, header string) error {
	size, one, zero := 9, 1, 0 // 9: A4 in SpreadsheetML's paper sizes
	orient := "portrait"
	if landscape {
		orient = "landscape"
	}
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	m := 0.6
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{Left: &m, Right: &m, Top: &m, Bottom: &m}); err != nil {
		return err
	}
	// "&" starts a header code: a literal one is doubled.
	h := strings.ReplaceAll(header, "&", "&&")
	if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{
		OddHeader: "&L&9" + h + "&R&9&A",
		OddFooter: "&C&9Trang &P/&N",
	}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{
		Name:     "_xlnm.Print_Titles",
		RefersTo: fmt.Sprintf("'%s'!$%d:$%d", strings.ReplaceAll(sheet, "'", "''"), headRow, headRow),
		Scope:    sheet,
	})
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// maxSheetName is Excel's limit on a sheet name, in characters.
const maxSheetName = 31

// sheetName makes a readable, valid and unused sheet name from a list's title: none of
// : \ / ? * [ ], no apostrophe at either end, at most 31 characters cut at a word with "…", and
// unique among used (Excel compares sheet names without case) by a number in brackets.
func sheetName(title string, used map[string]bool) string {
	name := strings.Map(func(r rune) rune {
		switch {
		case strings.ContainsRune(`:\/?*[]`, r):
			return '-'
		case r < ' ':
			return ' '
		}
		return r
	}, title)
	name = strings.Trim(strings.Join(strings.Fields(name), " "), "' ")
	if name == "" || strings.EqualFold(name, "History") { // Excel reserves "History"
		name = "Danh sách"
	}
	fit := func(s string, n int) string {
		if utf8.RuneCountInString(s) <= n {
			return s
		}
		rs := []rune(s)[:n-1]
		cut := string(rs)
		if i := strings.LastIndexByte(cut, ' '); i > n/2 {
			cut = cut[:i]
		}
		return strings.TrimRight(cut, " ,-'") + "…"
	}
	candidate := fit(name, maxSheetName)
	for i := 2; used[strings.ToLower(candidate)]; i++ {
		suffix := " (" + strconv.Itoa(i) + ")"
		candidate = fit(name, maxSheetName-utf8.RuneCountInString(suffix)) + suffix
	}
	used[strings.ToLower(candidate)] = true
	return candidate
}

// ListXLSX writes one list as a workbook of one sheet, laid out to print on A4; header names what
// the list is about (the organisation and the period), "" for the list's title alone.
func ListXLSX(w io.Writer, l *dangvu.ReportList) error {
	return ListXLSXHeader(w, l, "")
}

// ListXLSXHeader is ListXLSX with a header line for the printed pages and a subtitle row.
func ListXLSXHeader(w io.Writer, l *dangvu.ReportList, header string) error {
	f := excelize.NewFile()
	defer f.Close()
	name := sheetName(l.Title, map[string]bool{})
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	if err := listSheet(f, name, st, l); err != nil {
		return err
	}
	if header != "" {
		f.SetCellValue(name, "A2", header)
	} else {
		header = l.Title
	}
	if err := printable(f, name, 3, len(l.Columns) > 4, header); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// listSheet writes a list on a sheet: its title, the headings with a TT (row number) column, the
// rows.
func listSheet(f *excelize.File, name string, st xlsxStyles, l *dangvu.ReportList) error {
	f.SetCellValue(name, "A1", l.Title)
	f.SetCellStyle(name, "A1", "A1", st.title)
	hdr := append([]any{"TT"}, toAny(l.Columns)...)
	f.SetSheetRow(name, "A3", &hdr)
	last, _ := excelize.ColumnNumberToName(len(l.Columns) + 1)
	f.SetCellStyle(name, "A3", last+"3", st.head)
	for i, rw := range l.Rows {
		vals := append([]any{i + 1}, toAny(rw)...)
		if err := f.SetSheetRow(name, fmt.Sprintf("A%d", i+4), &vals); err != nil {
			return err
		}
	}
	if len(l.Rows) > 0 {
		f.SetCellStyle(name, "A4", fmt.Sprintf("%s%d", last, len(l.Rows)+3), st.text)
		f.SetCellStyle(name, "A4", fmt.Sprintf("A%d", len(l.Rows)+3), st.count)
	}
	f.SetColWidth(name, "A", "A", 6)
	if len(l.Columns) > 0 {
		return f.SetColWidth(name, "B", last, 24)
	}
	return nil
}
