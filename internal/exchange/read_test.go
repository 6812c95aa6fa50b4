package exchange

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dangvu"
)

func writeCSV(t testing.TB, dir, table string, body []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, table+".csv"), body, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestHeaderErrors(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"unknown column", "id,full_name,shoe_size\nM1,An,42\n", "members.csv, dòng 1, cột shoe_size"},
		{"missing key", "full_name\nAn\n", "members.csv, dòng 1, cột id: thiếu cột khóa"},
		{"duplicate column", "id,id\nM1,M1\n", "cột bị lặp"},
		{"broken quoting", "id,full_name\nM1,\"An\n", "members.csv, dòng 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeCSV(t, dir, "members", []byte(tt.body))
			r, _ := Open(dir)
			err := r.Each("members", func(int, Record) error { return nil })
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestRowNumbersAndBlankLines(t *testing.T) {
	dir := t.TempDir()
	writeCSV(t, dir, "members", []byte("id,full_name\nM1,An\n\n,\nM2,\"Bình\nBa\"\nM3,Chi\n"))
	r, _ := Open(dir)
	var rows []int
	var names []string
	r.Each("members", func(row int, rec Record) error {
		rows = append(rows, row)
		names = append(names, rec.Get("full_name"))
		return nil
	})
	// Rows are the lines where each record starts, as an editor shows them.
	if got := strings.Join(names, "|"); got != "An|Bình\nBa|Chi" {
		t.Errorf("names = %q", got)
	}
	if len(rows) != 3 || rows[0] != 2 || rows[1] != 5 || rows[2] != 7 {
		t.Errorf("rows = %v, want [2 5 7]", rows)
	}
}

func TestXLSXContinuesOnNextSheet(t *testing.T) {
	old := MaxSheetRows
	MaxSheetRows = 3
	defer func() { MaxSheetRows = old }()
	path := filepath.Join(t.TempDir(), "x.xlsx")
	w, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	cols := len(tables[5].Columns)
	for i := 0; i < 7; i++ {
		row := make([]string, cols)
		row[0], row[1] = "M"+string(rune('0'+i)), "Tên "+string(rune('0'+i))
		if err := w.Row("members", row); err != nil {
			t.Fatal(err)
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
	var ids []string
	r.Each("members", func(_ int, rec Record) error { ids = append(ids, rec.Get("id")); return nil })
	if strings.Join(ids, ",") != "M0,M1,M2,M3,M4,M5,M6" {
		t.Errorf("ids across sheets = %v", ids)
	}
	for _, sheet := range []string{"members", "members 2", "members 3"} {
		if !r.(*xlsxReader).Has(sheet) && sheet != "members" {
			if idx, _ := r.(*xlsxReader).f.GetSheetIndex(sheet); idx < 0 {
				t.Errorf("no sheet %q", sheet)
			}
		}
	}
}

// FuzzCSV feeds arbitrary bytes as a table: reading never panics, and every failure is a
// user-facing *dangvu.Error.
func FuzzCSV(f *testing.F) {
	f.Add([]byte("id,full_name\nM1,Nguyễn Văn Đức\n"))
	f.Add([]byte("\xef\xbb\xbfid,full_name\r\nM1,\"a,b\"\r\n"))
	f.Add([]byte("\xff\xfei\x00d\x00\n\x00"))
	f.Add([]byte("id,full_name\nM1,NguyÔn V¨n §øc\n"))
	f.Add([]byte("id\n\"unterminated\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		dir := t.TempDir()
		writeCSV(t, dir, "members", body)
		r, _ := Open(dir)
		err := r.Each("members", func(row int, rec Record) error {
			if row < 2 {
				t.Fatalf("data row numbered %d", row)
			}
			rec.Get("full_name")
			return nil
		})
		var de *dangvu.Error
		if err != nil && !errors.As(err, &de) {
			t.Fatalf("error is not a user-facing error: %v", err)
		}
	})
}
