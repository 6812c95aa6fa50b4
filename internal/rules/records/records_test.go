package records

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"dangvu/internal/rulebook"
)

func d(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// The 1361 catalogue: 104 types, bands 1–36 / 37–85 / 86–104, every one cited and marked
// secondary (reconstructed from code bases, next-rules.md §5).
func TestCatalogue(t *testing.T) {
	s := For(d("2026-12-01"))
	if len(s.Types) != 104 {
		t.Fatalf("%d types", len(s.Types))
	}
	for i, ty := range s.Types {
		want := 1
		if ty.No > 36 {
			want = 2
		}
		if ty.No > 85 {
			want = 3
		}
		if ty.No != i+1 || ty.Band != want || ty.Name == "" || ty.Source.Confidence != rulebook.Secondary || ty.Source.Citation == "" {
			t.Errorf("type %d: %+v", i+1, ty)
		}
	}
	if _, err := s.Type(105); err == nil || !strings.Contains(err.Error(), "từ 1 đến 104") {
		t.Errorf("105: %v", err)
	}
	if _, err := s.Type(0); err == nil {
		t.Error("0 accepted")
	}
	var req []int
	for _, ty := range s.RequiredFor(true) {
		req = append(req, ty.No)
	}
	if !slices.Equal(req, []int{1, 2, 3, 5, 7}) || len(s.RequiredFor(false)) != 4 {
		t.Errorf("required %v", req)
	}
	// Before 30/06/2026 the first catalogue still applies (files digitised ahead of it).
	if len(For(d("2020-01-01")).Types) != 104 {
		t.Error("before 1361")
	}
}

// Names without diacritics, Đ/đ mapped before NFD (which would keep them), in composed and
// decomposed input alike.
func TestNames(t *testing.T) {
	for _, tc := range []struct{ in, ascii, pascal string }{
		{"Đặng Văn Đức", "Dang Van Duc", "DangVanDuc"},
		{"Nguyễn Thị Ánh Đào", "Nguyen Thi Anh Dao", "NguyenThiAnhDao"},
		{"Sầm Thị Quỳnh Như", "Sam Thi Quynh Nhu", "SamThiQuynhNhu"},
		{"  lê   thị  hồng  ", "  le   thi  hong  ", "LeThiHong"},
		{"Nguye\u0302\u0303n ĐỨC", "Nguyen DUC", "NguyenDuc"}, // decomposed input, capitals
		{"Hoàng Thị Hải-Yến", "Hoang Thi Hai-Yen", "HoangThiHaiYen"},
	} {
		if got := ASCII(tc.in); got != tc.ascii {
			t.Errorf("ASCII(%q) = %q, want %q", tc.in, got, tc.ascii)
		}
		if got := PascalName(tc.in); got != tc.pascal {
			t.Errorf("PascalName(%q) = %q, want %q", tc.in, got, tc.pascal)
		}
	}
}

// File names of 1361 Appendix 2: two digits to 99, three from 100; ".k" only when a type occurs
// more than once in the folder, numbered in the folder's order.
func TestFileNames(t *testing.T) {
	s := For(d("2026-12-01"))
	got, err := s.FileNames([]int{2, 55, 3, 55, 104, 55, 9})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"02.Ly lich dang vien.pdf",
		"55.Giay gioi thieu sinh hoat dang tam thoi.1.pdf",
		"03.Phieu dang vien.pdf",
		"55.Giay gioi thieu sinh hoat dang tam thoi.2.pdf",
		"104.To khai de nghi truy tang Huy hieu Dang.pdf",
		"55.Giay gioi thieu sinh hoat dang tam thoi.3.pdf",
		"09.Quyet dinh cong nhan dang vien sau khi khac phuc thuc hien dung quy dinh ve tham quyen thu tuc ket nap dang vien.pdf",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, err := s.FileNames([]int{1, 105}); err == nil {
		t.Error("105 named")
	}
	for _, n := range got {
		if strings.ContainsAny(n, "/\\:") || n != ASCII(n) {
			t.Errorf("unsafe or accented name %q", n)
		}
	}
}

// The organisation code: 14 digits grouped 2.3.3.3.3, with or without dots; the folder.
func TestOrgCodeAndFolder(t *testing.T) {
	for _, tc := range []struct{ in, out string }{
		{"38.168.053.000.001", "38.168.053.000.001"},
		{"38168053000001", "38.168.053.000.001"},
		{" 22.000.101.000.004 ", "22.000.101.000.004"},
		{"38.16.8053.000.001", ""},
		{"3816805300000", ""},
		{"38.168.053.000.00A", ""},
		{"00.168.053.000.001", ""},
	} {
		c, err := ParseOrgCode(tc.in)
		if string(c) != tc.out || (err == nil) != (tc.out != "") {
			t.Errorf("%q: %q %v", tc.in, c, err)
		}
	}
	if f := Folder("38.168.053.000.001", "099001110001", "M1", "Sầm Thị Quỳnh Như"); f != "38.168.053.000.001/099001110001_SamThiQuynhNhu" {
		t.Error(f)
	}
	if f := Folder("22.000.101.000.004", "", "UB-0042", "Đặng Thị Đào"); f != "22.000.101.000.004/KHONG_CO_CCCD-UB-0042_DangThiDao" {
		t.Error(f)
	}
}

// Card numbers: the 12-digit personal number checked as a CCCD (province 001–096), the old
// format against the dated pattern; a 12-digit number that differs from the member's CCCD is
// accepted with a warning (never assumed equal).
func TestCheckCard(t *testing.T) {
	for _, tc := range []struct {
		number, id, issued, format string
		warn                       bool
		err                        string
	}{
		{"022086001234", "022086001234", "2025-08-18", CardIDNumber, false, ""},
		{"022086001234", "022086009999", "2025-08-18", CardIDNumber, true, ""},
		{"022086001234", "", "2025-08-18", CardIDNumber, false, ""},
		{"122086001234", "", "2025-08-18", "", false, "mã tỉnh"},
		{"12.345678", "", "2010-05-19", CardOld, false, ""},
		{"12345678", "", "2010-05-19", CardOld, false, ""},
		{"1234-5678", "", "2010-05-19", "", false, "không hợp lệ"},
		{"", "", "2010-05-19", "", false, "không hợp lệ"},
		{"0220860012345", "", "2025-08-18", "", false, "không hợp lệ"},
	} {
		f, w, p := CheckCard(tc.number, tc.id, d(tc.issued))
		if f != tc.format || (w != "") != tc.warn || (p == nil) != (tc.err == "") || p != nil && (!strings.Contains(p.String(), tc.err) || p.Field != "card_number") {
			t.Errorf("%q: %q %q %v", tc.number, f, w, p)
		}
	}
	if c := CardsFor(d("2025-09-01")); c.ID != "CT51-2025" || !c.IDNumberCards || !c.ExchangeBy.Equal(d("2025-09-02")) {
		t.Errorf("%+v", c)
	}
}

// A folder with a catalogue number out of range or a band other than 1–3 is refused, naming line
// and field.
func TestBadCatalogueFolder(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "member_files"), 0o755)
	os.WriteFile(filepath.Join(dir, "member_files", "values.csv"), []byte("set,key,label,value,citation,confidence,note\nCV1361-2026,0,Sai,1,x,confirmed,\nCV1361-2026,05,Quyết định kết nạp,4,x,confirmed,\n"), 0o644)
	err := Catalogue.Load(dir)
	t.Cleanup(func() { Catalogue.Load("") })
	if err == nil || !strings.Contains(err.Error(), "dòng 2") || !strings.Contains(err.Error(), "dòng 3") || !strings.Contains(err.Error(), "mức ưu tiên") {
		t.Errorf("%v", err)
	}
}
