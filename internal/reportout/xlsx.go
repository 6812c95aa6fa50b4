// Package reportout renders the term report in the formats committees hand upward.
package reportout

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"dangvu"
)

// XLSX writes the report as a workbook whose first sheet, "Tổng hợp", lists every figure with its
// Vietnamese label and key.
func XLSX(w io.Writer, r *dangvu.Report) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Tổng hợp"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	f.SetSheetRow(sheet, "A1", &[]any{"Chỉ tiêu", "Giá trị", "Mã"})
	f.SetRowStyle(sheet, 1, 1, bold)
	for i, fig := range r.Figures {
		cell := fmt.Sprintf("A%d", i+2)
		v := fig.Value
		if v == nil {
			v = ""
		}
		if err := f.SetSheetRow(sheet, cell, &[]any{fig.Label, v, fig.Key}); err != nil {
			return err
		}
	}
	f.SetColWidth(sheet, "A", "A", 45)
	f.SetColWidth(sheet, "B", "B", 30)
	f.SetColWidth(sheet, "C", "C", 32)
	_, err := f.WriteTo(w)
	return err
}
