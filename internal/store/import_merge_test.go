package store

import "testing"

// TestDiffers: a reference's cell is compared as an export writes it, on both sides, so that a
// name stored with the spaces it was typed with, or a date the file gives as dd/mm/yyyy, is no
// conflict (issue 21).
func TestDiffers(t *testing.T) {
	for _, c := range []struct {
		col, stored, file string
		want              bool
	}{
		{"name", "Đảng bộ  tỉnh Quảng Ninh ", "Đảng bộ tỉnh Quảng Ninh", false},
		{"valid_to", "2020-01-02", "02/01/2020", false},
		{"gender", "female", "Nữ", false},
		{"name", "Đảng bộ tỉnh Quảng Ninh", "Đảng bộ tỉnh QN", true},
		{"valid_to", "2020-01-02", "", true},
		{"note", "a  b", "a b", true}, // free text is compared as it is
	} {
		if got := differs(c.col, c.stored, c.file); got != c.want {
			t.Errorf("differs(%s, %q, %q) = %v, want %v", c.col, c.stored, c.file, got, c.want)
		}
	}
}
