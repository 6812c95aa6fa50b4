// Package reportout renders the term report in the formats committees hand upward: XLSX (figures
// and the lists behind them), DOCX (a narrative report in the party document layout).
package reportout

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"dangvu"
)

// XLSX writes the report as a workbook whose first sheet, "Tổng hợp", lists every figure with its
// Vietnamese label, value, period and key; each list behind a figure follows on its own sheet.
func XLSX(w io.Writer, r *dangvu.Report, lists []*dangvu.ReportList) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Tổng hợp"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	title := fmt.Sprintf("%s — báo cáo số liệu đến ngày %s", Text(r, "org_name"), Value(dangvu.Figure{Value: Text(r, "as_of")}))
	f.SetCellValue(sheet, "A1", title)
	f.SetCellStyle(sheet, "A1", "A1", bold)
	f.SetSheetRow(sheet, "A3", &[]any{"Chỉ tiêu", "Giá trị", "Thời gian", "Mã"})
	f.SetRowStyle(sheet, 3, 3, bold)
	row := 4
	for _, fig := range r.Figures {
		v := fig.Value
		if v == nil {
			v = ""
		}
		if s, ok := v.(string); ok {
			v = Value(dangvu.Figure{Key: fig.Key, Value: s})
		}
		period := ""
		if !Identity(fig.Key) {
			period = PeriodText(r, fig.Key)
		}
		if err := f.SetSheetRow(sheet, fmt.Sprintf("A%d", row), &[]any{fig.Label, v, period, fig.Key}); err != nil {
			return err
		}
		row++
	}
	f.SetColWidth(sheet, "A", "A", 50)
	f.SetColWidth(sheet, "B", "B", 30)
	f.SetColWidth(sheet, "C", "C", 26)
	f.SetColWidth(sheet, "D", "D", 34)
	used := map[string]bool{sheet: true}
	for _, l := range lists {
		name := sheetName(l.Title, used)
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
		if err := listSheet(f, name, bold, l); err != nil {
			return err
		}
	}
	_, err := f.WriteTo(w)
	return err
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// sheetName makes a valid, unused sheet name (at most 31 characters, none of : \ / ? * [ ]).
func sheetName(title string, used map[string]bool) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, title)
	if name == "" {
		name = "Danh sách"
	}
	if utf8.RuneCountInString(name) > 28 {
		name = string([]rune(name)[:28])
	}
	base := name
	for i := 2; used[name]; i++ {
		name = fmt.Sprintf("%s %d", base, i)
	}
	used[name] = true
	return name
}

// ListXLSX writes one list as a workbook of one sheet.
func ListXLSX(w io.Writer, l *dangvu.ReportList) error {
	f := excelize.NewFile()
	defer f.Close()
	name := sheetName(l.Title, map[string]bool{})
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err := listSheet(f, name, bold, l); err != nil {
		return err
	}
	_, err := f.WriteTo(w)
	return err
}

// listSheet writes a list on a sheet: its title, the headings with a TT (row number) column, the
// rows.
func listSheet(f *excelize.File, name string, bold int, l *dangvu.ReportList) error {
	f.SetCellValue(name, "A1", l.Title)
	f.SetCellStyle(name, "A1", "A1", bold)
	hdr := append([]any{"TT"}, toAny(l.Columns)...)
	f.SetSheetRow(name, "A3", &hdr)
	f.SetRowStyle(name, 3, 3, bold)
	for i, rw := range l.Rows {
		vals := append([]any{i + 1}, toAny(rw)...)
		if err := f.SetSheetRow(name, fmt.Sprintf("A%d", i+4), &vals); err != nil {
			return err
		}
	}
	return f.SetColWidth(name, "B", string(rune('A'+min(len(l.Columns), 25))), 28)
}
