package reportout

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"dangvu"
)

// ReadBack is what a downloaded report says, read back from its bytes: the tests of the report
// page compare it with the figures on screen, since a file that carries another period's figures
// under the page's name is the worst error the system can make.
type ReadBack struct {
	Title   string            // the XLSX title line, or the DOCX text outside its tables
	Figures map[string]string // XLSX: key → value as the page writes it; DOCX: "label | period" → value
}

// ReadXLSX reads the summary sheet of a workbook written by XLSX.
func ReadXLSX(b []byte) (ReadBack, error) {
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		return ReadBack{}, fmt.Errorf("reportout: read xlsx: %w", err)
	}
	defer f.Close()
	// The stored values: the formats are drawn by the reader's program, not by excelize.
	rows, err := f.GetRows(f.GetSheetName(0), excelize.Options{RawCellValue: true})
	if err != nil {
		return ReadBack{}, fmt.Errorf("reportout: read xlsx: %w", err)
	}
	out := ReadBack{Figures: map[string]string{}}
	if len(rows) > 0 && len(rows[0]) > 0 {
		out.Title = rows[0][0]
	}
	for _, row := range rows[min(3, len(rows)):] {
		if len(row) < 4 || Identity(row[3]) {
			continue
		}
		key, v := row[3], row[1]
		fig := dangvu.Figure{Key: key, Value: v}
		if n, err := strconv.ParseFloat(v, 64); err == nil {
			fig.Value = n
		}
		out.Figures[key] = Value(fig)
	}
	return out, nil
}

// ReadDOCX reads the figure table of a report written by DOCX.
func ReadDOCX(b []byte) (ReadBack, error) {
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return ReadBack{}, fmt.Errorf("reportout: read docx: %w", err)
	}
	var doc []byte
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			rc, err := f.Open()
			if err != nil {
				return ReadBack{}, err
			}
			doc, err = io.ReadAll(rc)
			rc.Close()
			if err != nil {
				return ReadBack{}, err
			}
		}
	}
	if doc == nil {
		return ReadBack{}, fmt.Errorf("reportout: read docx: no word/document.xml")
	}
	out := ReadBack{Figures: map[string]string{}}
	var title strings.Builder
	d := xml.NewDecoder(bytes.NewReader(doc))
	var row []string
	inRow, inText, tables := false, false, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return ReadBack{}, fmt.Errorf("reportout: read docx: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "tbl":
				tables++
			case "tr":
				inRow, row = true, nil
			case "tc":
				row = append(row, "")
			case "t":
				inText = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "tr":
				inRow = false
				// The figure table's rows: number, label, value, period.
				if len(row) == 4 {
					if _, err := strconv.Atoi(row[0]); err == nil {
						out.Figures[row[1]+" | "+row[3]] = row[2]
					}
				}
			case "t":
				inText = false
			case "p":
				if !inRow {
					title.WriteString("\n")
				}
			}
		case xml.CharData:
			if !inText {
				continue
			}
			if inRow && len(row) > 0 {
				row[len(row)-1] += string(t)
			} else if !inRow {
				title.Write(t)
			}
		}
	}
	out.Title = title.String()
	return out, nil
}
