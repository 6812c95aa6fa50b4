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
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
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
		f.SetRowStyle(sheet, 1, 1, bold)
		f.SetRowStyle(sheet, 4, 4, bold)
		for j, row := range t.Rows {
			vals := make([]any, len(row))
			for k, v := range row {
				if n, err := strconv.Atoi(v); err == nil {
					vals[k] = n
				} else {
					vals[k] = v
				}
			}
			if err := f.SetSheetRow(sheet, fmt.Sprintf("A%d", j+5), &vals); err != nil {
				return err
			}
		}
		f.SetColWidth(sheet, "A", "B", 40)
	}
	_, err := f.WriteTo(w)
	return err
}
