package exchange

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// TestXLSXRoundTrip writes rows of two tables interleaved (as the generator does), with text
// that XML or Excel must escape, over more than one sheet, and reads back every value as it was
// written; every part of the zip is well-formed XML.
func TestXLSXRoundTrip(t *testing.T) {
	old := MaxSheetRows
	MaxSheetRows = 1500
	defer func() { MaxSheetRows = old }()
	// No control characters other than tab and line breaks: the reader refuses them (a NUL or
	// U+0001 in a name is damage, not data), so they cannot make a round trip.
	odd := []string{"Nguyễn Văn Đức", "a < b && c > d", `"trích dẫn" 'đơn'`, "  cách đầu và cuối  ", "dòng 1\ndòng 2\r\ndòng 3\tcột",
		"_x0041_ không phải A", "_x005F_", "_x005F_x0041_", "0123", "04-NQ/TW", "=1+1", strings.Repeat("dài ", 500)}
	path := filepath.Join(t.TempDir(), "x.xlsx")
	w, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][][]string{}
	for i := 0; i < 3500; i++ {
		for _, table := range []string{"members", "member_statuses"} {
			if table == "member_statuses" && i%3 != 0 {
				continue
			}
			tb, _ := Lookup(table)
			row := make([]string, len(tb.Columns))
			row[0] = fmt.Sprintf("M%05d", i)
			for c := 1; c < len(row); c++ {
				if (i+c)%4 != 0 {
					row[c] = odd[(i*7+c)%len(odd)]
				}
			}
			if err := w.Row(table, row); err != nil {
				t.Fatal(err)
			}
			want[table] = append(want[table], row)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for table, rows := range want {
		tb, _ := Lookup(table)
		i := 0
		err := r.Each(table, func(_ int, rec Record) error {
			for c, col := range tb.Columns {
				v := ""
				if j, ok := rec.cols[col]; ok && j < len(rec.vals) {
					v = rec.vals[j]
				}
				if i < len(rows) && v != rows[i][c] {
					t.Errorf("%s row %d %s: read %q, wrote %q", table, i+1, col, v, rows[i][c])
				}
			}
			i++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if i != len(rows) {
			t.Errorf("%s: read %d rows, wrote %d", table, i, len(rows))
		}
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	sheets := 0
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		d := xml.NewDecoder(rc)
		for {
			if _, err := d.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Errorf("%s: %v", f.Name, err)
				break
			}
		}
		rc.Close()
		if strings.HasPrefix(f.Name, "xl/worksheets/") {
			sheets++
		}
	}
	// members takes 3 sheets of 1,500 rows; every other table has its (empty) sheet; then the
	// manifest.
	if wantSheets := len(tables) + 3; sheets != wantSheets {
		t.Errorf("%d sheets, want %d", sheets, wantSheets)
	}
}
