package exchange

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"

	"dangvu"
)

// headerFields are the (source, column) pairs of an error's fields on row 1, sorted.
func headerFields(err error) []string {
	e, ok := err.(*dangvu.Error)
	if !ok {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		if f.Row == 1 {
			out = append(out, f.Table+" "+f.Field)
		}
	}
	slices.Sort(out)
	return out
}

// CheckHeaders refuses, before any row is read, every header the full reading refuses, with the
// same fields; what it cannot read cheaply it leaves to the full reading.
func TestCheckHeaders(t *testing.T) {
	utf16 := func(s string) string {
		b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	posts := "id,role,org_id,term_id,locality_id,unit_id,member_id,holder_name,title,valid_from,valid_to"
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"good headers, BOM and UTF-16", map[string]string{
			"members":     "\ufeff" + membersHeader + memberLine("M1", "An", ""),
			"memberships": utf16("member_id,org_id,valid_from,kind\nM1,K1,2020-01-01,official\n"),
			"posts":       "", // empty: nothing to read
		}, nil},
		{"a newer version's column in the last table", map[string]string{
			"members": membersHeader + memberLine("M1", "An", ""),
			"posts":   posts + ",future\nP1,secretary,K1,,,,M1,,,2020-01-01,\n",
		}, []string{"posts.csv future"}},
		{"every bad header at once, UTF-16 included", map[string]string{
			"members":     "full_name,full_name\nAn,An\n",
			"memberships": utf16("member_id,org_id,valid_from,chức_vụ\nM1,K1,2020-01-01,x\n"),
			"posts":       posts + "\n",
		}, []string{"members.csv full_name", "members.csv id", "memberships.csv chức_vụ", "memberships.csv kind"}},
		{"a Windows-1258 header is left to the full reading", map[string]string{
			"members": "id,t\xean\nM1,Nguy\xean\n", // "tên", ê in Windows-1258
		}, nil},
		{"a broken first line is left to the full reading", map[string]string{
			"members": "id,\"full_name\n",
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for table, body := range tt.files {
				writeCSV(t, dir, table, []byte(body))
			}
			r, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			err = CheckHeaders(r)
			if got := headerFields(err); !slices.Equal(got, tt.want) {
				t.Fatalf("CheckHeaders = %v (%v), want %v", got, err, tt.want)
			}
			if err != nil && dangvu.ErrorCode(err) != dangvu.EInvalid {
				t.Errorf("code %q, want invalid", dangvu.ErrorCode(err))
			}
			if st := r.Stats(); len(st.Encodings) > 0 || len(st.LegacyCells) > 0 {
				t.Errorf("the headers counted into the reading's statistics: %+v", st)
			}
			if _, perr := Inspect(r); tt.want != nil && !slices.Equal(headerFields(perr), tt.want) {
				t.Errorf("Inspect refused %v, CheckHeaders %v", headerFields(perr), tt.want)
			}
			// The full reading refuses the same columns, table by table.
			var full []string
			for table := range tt.files {
				full = append(full, headerFields(r.Each(table, func(int, Record) error { return nil }))...)
			}
			slices.Sort(full)
			if tt.want != nil && !slices.Equal(full, tt.want) {
				t.Errorf("full reading refused %v, CheckHeaders %v", full, tt.want)
			}
		})
	}
}

func TestCheckHeadersXLSX(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "members")
	f.SetSheetRow("members", "A1", &[]any{"id", "full_name"})
	f.SetSheetRow("members", "A2", &[]any{"M1", "An"})
	f.NewSheet("members 2")
	f.SetSheetRow("members 2", "A1", &[]any{"id", "full_name", "shoe_size"})
	f.NewSheet("memberships")
	f.SetSheetRow("memberships", "A1", &[]any{"org_id", "valid_from", "kind"})
	f.NewSheet("posts") // no rows at all
	path := filepath.Join(t.TempDir(), "set.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	err = CheckHeaders(r)
	want := []string{"members 2 shoe_size", "memberships member_id"}
	if got := headerFields(err); !slices.Equal(got, want) {
		t.Fatalf("CheckHeaders = %v (%v), want %v", got, err, want)
	}
	if !strings.Contains(dangvu.ErrorMessage(err), "tiêu đề") {
		t.Errorf("message %q", dangvu.ErrorMessage(err))
	}
}
