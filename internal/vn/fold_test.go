package vn

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Nguyễn Văn Đức", "nguyen van duc"},
		{"  NGUYỄN   THỊ\tMINH\nKHAI  ", "nguyen thi minh khai"},
		{"Đặng Thuỳ Trâm", "dang thuy tram"},
		{"Đặng Thùy Trâm", "dang thuy tram"},
		{"Trường Sơn", "truong son"},
		{"Ưng Hoàng Phúc", "ung hoang phuc"},
		{"Nguye\u0302\u0303n", "nguyen"}, // NFD input
		{"Ðỗ", "do"},                     // eth used for Đ
		{"Café Noël", "cafe noel"},
		{"already folded", "already folded"},
		{"a  b", "a b"},
		{"x\u00a0y\u2003z", "x y z"}, // no-break and em space
		{"", ""},
		{"   ", ""},
		{"\u0301", ""},
		{"A \u0301 B", "a b"},
		{"İstanbul", "istanbul"},
		{"ΣΟΦΊΑ", "σοφια"},
		{"東京", "東京"},
		{"abc\xffdef", "abc\uFFFDdef"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// foldRef is the slow, obviously right definition Fold must agree with.
func foldRef(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		switch r {
		case 'đ', 'Đ', 'ð', 'Ð':
			r = 'd'
		}
		b.WriteRune(r)
	}
	return strings.Join(strings.Fields(strings.ToLower(b.String())), " ")
}

func TestFoldMatchesReference(t *testing.T) {
	// Every rune in and around the table ranges, alone and in context.
	for _, rg := range [][2]rune{{0, 0x400}, {0x1DC0, 0x2100}, {0xAC00, 0xAC10}, {0x1F600, 0x1F602}} {
		for r := rg[0]; r < rg[1]; r++ {
			if !utf8.ValidRune(r) {
				continue
			}
			for _, s := range []string{string(r), "Xa" + string(r) + "B y", " " + string(r) + " "} {
				if got, want := Fold(s), foldRef(s); got != want {
					t.Fatalf("Fold(%q) = %q, reference %q", s, got, want)
				}
			}
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Nguyễn Văn Đức", "  a  B ", "Nguye\u0302\u0303n", "\xff\xfe", "한국어", "ǅ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Fold(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Fold(%q) = %q: invalid UTF-8", s, got)
		}
		if utf8.ValidString(s) {
			if want := foldRef(s); got != want {
				t.Fatalf("Fold(%q) = %q, reference %q", s, got, want)
			}
		}
		if again := Fold(got); again != got {
			t.Fatalf("Fold not idempotent: %q → %q → %q", s, got, again)
		}
	})
}

func TestFoldNoAllocWhenFolded(t *testing.T) {
	s := "nguyen van duc 123"
	if n := testing.AllocsPerRun(100, func() { _ = Fold(s) }); n != 0 {
		t.Errorf("Fold of folded ASCII allocates %v times", n)
	}
}

func TestNFC(t *testing.T) {
	if got := NFC("Nguye\u0302\u0303n"); got != "Nguyễn" {
		t.Errorf("NFC = %q", got)
	}
}

var foldSink string

func BenchmarkFold(b *testing.B) {
	names := []string{"Nguyễn Văn Đức", "Trần Thị Thuỳ Dương", "Lê Hoàng Anh", "PHẠM  NGỌC   THẠCH", "Nguyen Van An"}
	var n int
	for _, s := range names {
		n += len(s)
	}
	b.SetBytes(int64(n / len(names)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		foldSink = Fold(names[i%len(names)])
	}
}

func BenchmarkFoldReference(b *testing.B) {
	names := []string{"Nguyễn Văn Đức", "Trần Thị Thuỳ Dương", "Lê Hoàng Anh", "PHẠM  NGỌC   THẠCH", "Nguyen Van An"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		foldSink = foldRef(names[i%len(names)])
	}
}
