package reportout

import (
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"dangvu"
)

// Tables writes statistics tables as a workbook, one sheet per table: a title row, the header,
// then the rows, with numbers written as numbers.
func Tables(w io.Writer, heading string, tables []dangvu.StatTable) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	for i, t := range tables {
		sheet := t.Name
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sheet); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(sheet); err != nil {
			return err
		}
		f.SetSheetRow(sheet, "A1", &[]any{t.Title})
		f.SetSheetRow(sheet, "A2", &[]any{heading})
		hdr := make([]any, len(t.Columns))
		for j, c := range t.Columns {
			hdr[j] = c
		}
		f.SetSheetRow(sheet, "A4", &hdr)
		f.SetCellStyle(sheet, "A1", "A1", st.title)
		last, _ := excelize.ColumnNumberToName(max(len(t.Columns), 1))
		f.SetCellStyle(sheet, "A4", last+"4", st.head)
		for j, row := range t.Rows {
			vals := make([]any, len(row))
			for k, v := range row {
				cell, _ := excelize.CoordinatesToCellName(k+1, j+5)
				if n, err := strconv.Atoi(v); err == nil {
					vals[k] = n
					f.SetCellStyle(sheet, cell, cell, st.count)
				} else {
					vals[k] = v
					f.SetCellStyle(sheet, cell, cell, st.text)
				}
			}
			if err := f.SetSheetRow(sheet, fmt.Sprintf("A%d", j+5), &vals); err != nil {
				return err
			}
		}
		f.SetColWidth(sheet, "A", "B", 40)
		if err := printable(f, sheet, 4, len(t.Columns) > 4, t.Title+" — "+heading); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}
