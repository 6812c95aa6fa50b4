package vn

import (
	"bytes"
	"slices"
	"testing"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

func TestCompareNamesSorted(t *testing.T) {
	want := []string{
		"Trần Thị An",   // given An; middle Thị < Văn
		"Nguyễn Văn An", //
		"Lê Ân",         // Ân after An
		"Phạm Văn Bình",
		"Vũ Dũng", // d < đ
		"Hoàng Văn Đạt",
		"Đỗ Đức", // Đạt < Đức: a < ư
	}
	got := slices.Clone(want)
	slices.Reverse(got)
	slices.SortStableFunc(got, CompareNames)
	if !slices.Equal(got, want) {
		t.Errorf("sorted:\n got %q\nwant %q", got, want)
	}
}

func TestCompareNamesPairs(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		// Tone order: ngang < huyền < hỏi < ngã < sắc < nặng.
		{"Ma", "Mà", -1},
		{"Mà", "Mả", -1},
		{"Mả", "Mã", -1},
		{"Mã", "Má", -1},
		{"Má", "Mạ", -1},
		// Letters decide across the whole word before tones.
		{"Mạ", "Mac", -1},
		{"Bá", "Bach", -1},
		{"Hà", "Ha", 1},
		// Alphabet: a ă â, d đ, e ê, o ô ơ, u ư.
		{"Anh", "Ăn", -1},
		{"Ăn", "Ân", -1},
		{"Dung", "Đa", -1},
		{"Yến", "Ê", 1},
		{"Ô", "Ơ", -1},
		{"Ơn", "Phương", -1},
		{"Uyên", "Ưng", -1},
		{"Ưng", "Vân", -1},
		{"An", "Anh", -1},
		// Case and normalization do not matter.
		{"NGUYỄN VĂN AN", "nguyễn văn an", 0},
		{"Nguye\u0302\u0303n An", "Nguyễn An", 0},
		{"  Lê   An ", "Lê An", 0},
		// Given name first, then middle names, then family name.
		{"Trần Bình", "Nguyễn An", 1},
		{"Trần An", "Nguyễn Văn An", -1},   // no middle name first
		{"Lê Văn An", "Lê Văn Bảo An", -1}, // fewer middle names first
		{"Lê Văn Bảo An", "Lê Vũ An", -1},
		// Old and new tone placement are the same name.
		{"Thuỳ", "Thùy", 0},
		{"Hoà", "Hòa", 0},
		{"Thùy", "Thúy", -1},
		{"Nguyễn Văn An", "Lê Văn An", 1},
		{"An", "Lê An", -1},
		{"", "An", -1},
		{"", "  ", 0},
		// Digits before letters, other scripts after.
		{"An 2", "An 10", 1}, // digit by digit, not numeric
		{"Lý 9", "Lý A", -1},
		{"Z", "Ω", -1},
	}
	for _, tt := range tests {
		if got := CompareNames(tt.a, tt.b); got != tt.want {
			t.Errorf("CompareNames(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := CompareNames(tt.b, tt.a); got != -tt.want {
			t.Errorf("CompareNames(%q, %q) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
	}
}

// TestWordOrderMatchesCLDR checks single words against the CLDR
// Vietnamese collation, which encodes the same dictionary convention
// (whole names differ: CLDR knows nothing of given-name-first order).
func TestWordOrderMatchesCLDR(t *testing.T) {
	words := []string{
		"a", "à", "ả", "ã", "á", "ạ", "ă", "ằ", "ẳ", "ẵ", "ắ", "ặ", "â", "ầ", "ẩ", "ẫ", "ấ", "ậ",
		"an", "àn", "án", "anh", "ành", "ăn", "ân", "ấn", "b", "ba", "bà", "bác", "bạc", "bach", "bách",
		"d", "da", "dũng", "đa", "đà", "đạt", "đức", "e", "è", "ê", "ế", "g", "gi", "giang", "h", "hà",
		"i", "ì", "k", "kh", "l", "m", "ma", "mà", "mả", "mã", "má", "mạ", "mac", "n", "ng", "ngh", "nh",
		"o", "ò", "ô", "ồ", "ơ", "ở", "p", "q", "r", "s", "t", "th", "tr", "u", "ú", "ư", "ừ", "ựa",
		"v", "x", "y", "ý", "yến", "thủy", "thuy", "thùy", "thúy", "hoà", "hoạ", "hoa",
	}
	c := collate.New(language.Vietnamese)
	for _, a := range words {
		for _, b := range words {
			want := c.CompareString(a, b)
			if got := CompareNames(a, b); got != want {
				t.Errorf("CompareNames(%q, %q) = %d, CLDR %d", a, b, got, want)
			}
		}
	}
}

func FuzzCompareNames(f *testing.F) {
	f.Add("Nguyễn Văn An", "Trần Thị An")
	f.Add("Ma", "Mạ")
	f.Add("a\u0301\u0301", "\u0301")
	f.Fuzz(func(t *testing.T, a, b string) {
		ab, ba := CompareNames(a, b), CompareNames(b, a)
		if ab != -ba {
			t.Fatalf("not antisymmetric: %q vs %q: %d, %d", a, b, ab, ba)
		}
		if !bytes.Equal(NameKey(a), NameKey(a)) || CompareNames(a, a) != 0 {
			t.Fatalf("%q not equal to itself", a)
		}
		// Names equal under NameKey are equal under Fold too: the key
		// drops no letter that Fold keeps.
		if ab == 0 && Fold(a) != Fold(b) {
			t.Fatalf("%q and %q collate equal but fold to %q and %q", a, b, Fold(a), Fold(b))
		}
	})
}
