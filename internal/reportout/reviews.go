package reportout

import (
	"dangvu"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// ReviewRollUpXLSX writes the roll-up of ratings a committee reports upward: one sheet by level
// of subject and one by grassroots organisation, each with a column group per year (excellent,
// good, completed, not completed, not rated).
func ReviewRollUpXLSX(w io.Writer, ru dangvu.RollUp) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	sheets := []struct {
		name string
		rows []dangvu.RollRow
	}{{"Theo cấp", ru.ByLevel}, {"Theo tổ chức", ru.ByOrg}}
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(sh.name); err != nil {
			return err
		}
		title := fmt.Sprintf("Tổng hợp kết quả đánh giá, xếp loại chất lượng — %s, %s–%s", ru.OrgName, ru.Years[0], ru.Years[len(ru.Years)-1])
		f.SetSheetRow(sh.name, "A1", &[]any{title})
		f.SetCellStyle(sh.name, "A1", "A1", st.title)
		head := []any{"Đối tượng"}
		for _, y := range ru.Years {
			head = append(head, "Năm "+y+": HTXSNV", "HTTNV", "HTNV", "KHTNV", "Chưa xếp loại")
		}
		f.SetSheetRow(sh.name, "A3", &head)
		last, _ := excelize.ColumnNumberToName(len(head))
		f.SetCellStyle(sh.name, "A3", last+"3", st.head)
		for j, row := range sh.rows {
			vals := []any{row.Label}
			for _, c := range row.Cells {
				vals = append(vals, c.Excellent, c.Good, c.Completed, c.NotCompleted, c.None)
			}
			if err := f.SetSheetRow(sh.name, fmt.Sprintf("A%d", j+4), &vals); err != nil {
				return err
			}
			f.SetCellStyle(sh.name, fmt.Sprintf("A%d", j+4), fmt.Sprintf("A%d", j+4), st.text)
			f.SetCellStyle(sh.name, fmt.Sprintf("B%d", j+4), fmt.Sprintf("%s%d", last, j+4), st.count)
		}
		f.SetColWidth(sh.name, "A", "A", 40)
		f.SetColWidth(sh.name, "B", last, 11)
		if err := printable(f, sh.name, 3, len(head) > 6, title); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}
