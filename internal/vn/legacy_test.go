package vn

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The encoders below generate legacy text for the tests. They are written
// from the published layouts in a different form than the decoder
// tables (character lists and composition rules), so a slip in one
// shows up as a mismatch with the other.

// tcvn3Letters lists the TCVN3 code (as its Windows-1252 character) of
// each letter in tcvn3Unicode; "\u00ad" is the soft hyphen at 0xAD (ư).
const (
	tcvn3Unicode = "àảãáạăằẳẵắặâầẩẫấậđèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵĂÂÊÔƠƯĐ"
	tcvn3Letters = "µ¶·¸¹¨»¼½¾Æ©ÇÈÉÊË®ÌÎÏÐÑªÒÓÔÕÖ×ØÜÝÞßáâãä«åæçèé¬êëìíîïñòóô\u00adõö÷øùúûüýþ¡¢£¤¥¦§"
)

// toTCVN3 encodes Vietnamese text as TCVN3 read as Windows-1252. TCVN3
// has no capital toned vowels; like typists with .VnTimeH fonts, it
// writes their lower-case codes.
func toTCVN3(t testing.TB, s string) string {
	uni, leg := []rune(tcvn3Unicode), []rune(tcvn3Letters)
	if len(uni) != len(leg) {
		t.Fatalf("tcvn3 test table: %d letters, %d codes", len(uni), len(leg))
	}
	var b strings.Builder
	for _, r := range norm.NFC.String(s) {
		if i := slices.Index(uni, r); i >= 0 {
			b.WriteRune(leg[i])
		} else if i := slices.Index(uni, unicode.ToLower(r)); i >= 0 {
			b.WriteRune(leg[i])
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// toVNI encodes Vietnamese text as VNI-Windows read as Windows-1252, from
// the rules: base letter, then one mark character for modifier and tone.
func toVNI(s string) string {
	plainTone := map[rune]string{0x300: "ø", 0x309: "û", 0x303: "õ", 0x301: "ù", 0x323: "ï"}
	circTone := map[rune]string{0: "â", 0x300: "à", 0x309: "å", 0x303: "ã", 0x301: "á", 0x323: "ä"}
	breveTone := map[rune]string{0: "ê", 0x300: "è", 0x309: "ú", 0x303: "ü", 0x301: "é", 0x323: "ë"}
	iTone := map[rune]string{0x300: "ì", 0x309: "æ", 0x303: "ó", 0x301: "í", 0x323: "ò"}
	var b strings.Builder
	for _, r := range norm.NFC.String(s) {
		upper := unicode.IsUpper(r)
		cs := func(x string) string {
			if upper {
				return strings.ToUpper(x)
			}
			return x
		}
		if r == 'đ' || r == 'Đ' {
			b.WriteString(cs("ñ"))
			continue
		}
		d := []rune(norm.NFD.String(string(unicode.ToLower(r))))
		base, mod, tone := d[0], rune(0), rune(0)
		for _, m := range d[1:] {
			switch m {
			case 0x302, 0x306, 0x31B:
				mod = m
			default:
				tone = m
			}
		}
		if !strings.ContainsRune("aeiouy", base) || len(d) == 1 {
			b.WriteRune(r)
			continue
		}
		switch {
		case base == 'i':
			b.WriteString(cs(iTone[tone]))
		case base == 'y' && tone == 0x323:
			b.WriteString(cs("î"))
		case mod == 0x302:
			b.WriteString(cs(string(base) + circTone[tone]))
		case mod == 0x306:
			b.WriteString(cs(string(base) + breveTone[tone]))
		case mod == 0x31B:
			b.WriteString(cs(map[rune]string{'o': "ô", 'u': "ö"}[base] + plainTone[tone]))
		default:
			b.WriteString(cs(string(base) + plainTone[tone]))
		}
	}
	return b.String()
}

func TestEncodersMatchExamples(t *testing.T) {
	if got := toTCVN3(t, "Nguyễn Văn Đức"); got != "NguyÔn V¨n §øc" {
		t.Errorf("toTCVN3 = %q", got)
	}
	if got := toVNI("Nguyễn Văn Đức"); got != "Nguyeãn Vaên Ñöùc" {
		t.Errorf("toVNI = %q", got)
	}
	if got := toVNI("Xin chào các bạn"); got != "Xin chaøo caùc baïn" {
		t.Errorf("toVNI = %q", got)
	}
}

var legacySamples = []string{
	"Nguyễn Văn Đức",
	"Trần Thị Thuỳ Dương",
	"Phạm Ngọc Thạch",
	"Lê Hoàng Anh",
	"Đỗ Mười",
	"Võ Nguyên Giáp",
	"Huỳnh Tấn Phát",
	"Ngô Bảo Châu",
	"Đặng Thuỳ Trâm",
	"Tôn Đức Thắng",
	"Phường Quang Trung, thành phố Uông Bí, tỉnh Quảng Ninh",
	"Chi bộ Đảng cơ sở trường Trung học phổ thông số 2",
	"Đảng viên dự bị, kết nạp ngày 03/02/2010",
	"Người khuyết tật được hưởng trợ cấp xã hội hằng tháng",
	"Quyết định số 123/QĐ-UBND về việc khen thưởng",
	"Trưởng ban Tuyên giáo: ông Nguyễn Quốc Khánh (ĐT 0912.345.678)",
	"Xin chào các bạn",
	"Giữ gìn sự trong sáng của tiếng Việt",
	"Thuở ấy rượu ngoài hiên khuya",
}

func TestFixLegacyRoundTrip(t *testing.T) {
	for _, s := range legacySamples {
		enc := toVNI(s)
		if got, from := FixLegacy(enc); got != s || from != "vni" {
			t.Errorf("FixLegacy(%q) = %q, %q; want %q, vni", enc, got, from, s)
		}
		enc = toTCVN3(t, s)
		want := s
		if got, from := FixLegacy(enc); got != want || from != "tcvn3" {
			t.Errorf("FixLegacy(%q) = %q, %q; want %q, tcvn3", enc, got, from, want)
		}
	}
}

// TestFixLegacyCells covers short cells as found in member lists; they
// give the detector the least to go on.
func TestFixLegacyCells(t *testing.T) {
	tests := []struct{ in, want, from string }{
		{"N÷", "Nữ", "tcvn3"},
		{"Nöõ", "Nữ", "vni"},
		{"Tµy", "Tày", "tcvn3"},
		{"Taøy", "Tày", "vni"},
		{"Lª", "Lê", "tcvn3"},
		{"Leâ", "Lê", "vni"},
		{"§ç", "Đỗ", "tcvn3"},
		{"Ñoã", "Đỗ", "vni"},
		{"Huúnh", "Huỳnh", "tcvn3"},
		{"Huyønh", "Huỳnh", "vni"},
		{"Kü s\u00ad", "Kỹ sư", "tcvn3"},
		{"Kyõ sö", "Kỹ sư", "vni"},
		{"Sè 12, ®\u00adêng TrÇn H\u00adng §¹o", "Số 12, đường Trần Hưng Đạo", "tcvn3"},
		{"Soá 12, ñöôøng Traàn Höng Ñaïo", "Số 12, đường Trần Hưng Đạo", "vni"},
		{"TP. Hå ChÝ Minh", "TP. Hồ Chí Minh", "tcvn3"},
		{"QuyÕt ®Þnh sè 12/Q§-UBND", "Quyết định số 12/QĐ-UBND", "tcvn3"}, // "QĐ" has no vowel to judge
		// Legacy text that is also correct Unicode is left alone.
		{"Vò", "Vò", ""}, // TCVN3 "Vũ"
		{"TP. Hoà Chí Minh", "TP. Hoà Chí Minh", ""}, // VNI "Hồ Chí Minh"
		{"Nam", "Nam", ""},
		// Found by fuzzing: VNI that also decodes as valid TCVN3 syllables.
		{"bí\nHOAØ", "bí\nHOÀ", "vni"},                  // TCVN3 would give "HOAỈ": tone on a glide
		{"chuû\ngìn", "chuû\ngìn", ""},                  // VNI "chủ gìn" or TCVN3 "chuỷ gỡn": a draw
		{"chuû\nhoà", "chuû\nhoà", ""},                  // VNI "chủ hồ" or TCVN3 "chuỷ hoà"
		{"Nguyeãn\u00a0Vaên", "Nguyễn\u00a0Văn", "vni"}, // no-break space separates words
	}
	for _, tt := range tests {
		if got, from := FixLegacy(tt.in); got != tt.want || from != tt.from {
			t.Errorf("FixLegacy(%q) = %q, %q; want %q, %q", tt.in, got, from, tt.want, tt.from)
		}
	}
}

func TestFixLegacyAllCaps(t *testing.T) {
	tests := []struct{ in, want, from string }{
		{toTCVN3(t, "NGUYỄN THỊ HÀ"), "NGUYỄN THỊ HÀ", "tcvn3"},
		{toTCVN3(t, "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"), "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "tcvn3"},
		{toTCVN3(t, "Ông TRẦN VĂN ĐỨC"), "Ông TRẦN VĂN ĐỨC", "tcvn3"},
		{toVNI("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"), "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "vni"},
		// Excel's PROPER() on VNI capitals leaves small marks after a
		// capital base letter.
		{"AÙnh Ñöùc Öùng", "Ánh Đức Ứng", "vni"},
	}
	for _, tt := range tests {
		if got, from := FixLegacy(tt.in); got != tt.want || from != tt.from {
			t.Errorf("FixLegacy(%q) = %q, %q; want %q, %q", tt.in, got, from, tt.want, tt.from)
		}
	}
}

// TestFixLegacyEveryLetter puts each Vietnamese letter, in each case,
// into a syllable and converts it back from both encodings.
func TestFixLegacyEveryLetter(t *testing.T) {
	var letters []rune
	for _, row := range vowelGrid {
		letters = append(letters, []rune(row)...)
	}
	for _, l := range letters {
		u := unicode.ToUpper(l)
		for _, tt := range []struct{ text, enc, from string }{
			{"Nguyễn Văn t" + string(l) + "n", "vni", "vni"},
			{"Nguyễn Văn " + string(u) + "n", "vni", "vni"},
			{"NGUYỄN VĂN T" + string(u) + "N", "vni", "vni"},
			{"Nguyễn Văn t" + string(l) + "n", "tcvn3", "tcvn3"},
			{"NGUYỄN VĂN T" + string(u) + "N", "tcvn3", "tcvn3"},
		} {
			enc := toVNI(tt.text)
			if tt.enc == "tcvn3" {
				enc = toTCVN3(t, tt.text)
			}
			if got, from := FixLegacy(enc); got != tt.text || from != tt.from {
				t.Errorf("FixLegacy(%q) = %q, %q; want %q, %q", enc, got, from, tt.text, tt.from)
			}
		}
	}
	for _, s := range []string{"Đinh Đức Đạt", "đi đâu"} {
		for _, enc := range []string{toVNI(s), toTCVN3(t, s)} {
			if got, _ := FixLegacy(enc); got != s {
				t.Errorf("FixLegacy(%q) = %q, want %q", enc, got, s)
			}
		}
	}
}

func TestFixLegacyUnchanged(t *testing.T) {
	for _, s := range []string{
		"", "Nguyen Van Duc", "TP.HCM, 12/3/2020", "Hello, world!",
		// Correct Unicode Vietnamese, including text using only Latin-1
		// letters, which is what legacy text looks like too.
		"Nguyễn Văn Đức", "Tô Hà", "Lê Hà", "Ô Môn", "Bà Tô Thị Hà", "Có là có", "Mã số", "Hồ Chí Minh",
		"Tô Thị Hà (ĐT: 0912 345 678)", "Nguye\u0302\u0303n", // NFD is left to NFC()
		// VNI for "Hồ Chí Minh", but also correct Unicode: not guessed.
		"Hoà Chí Minh",
		// Other Latin-1 languages.
		"Café", "Noël", "Crème brûlée", "Müller", "Straße", "Señor Muñoz", "São Paulo", "Zoë", "naïve",
		"Ça va", "Ångström", "Bjørn Øster", "déjà vu", "À la carte", "Fiancé", "Œuvre", "Ærø", "piñata",
		"«Bonjour»", "© 2018 ABC®", "½ kg", "25°C", "Größe: 3×4 m²", "Façade", "garçon",
		"José García", "François Mitterrand", "Dvořák", "Łódź",
		// Words from both encodings' alphabets that are not Vietnamese.
		"€100 – “quoted” — ok…", "× ÷ ± µ ¶ · ¸ ¹",
	} {
		if got, from := FixLegacy(s); got != s || from != "" {
			t.Errorf("FixLegacy(%q) = %q, %q; want unchanged", s, got, from)
		}
	}
}

func TestValidSyllable(t *testing.T) {
	valid := []string{"a", "ý", "Nguyễn", "gì", "gìn", "giữa", "quốc", "Quỳnh", "khuya", "khuỵu", "người",
		"rượu", "thuở", "xoong", "ngoèo", "oái", "yêu", "uyển", "ích", "ếch", "tuần", "xoăn", "khuây", "ĐỨC",
		"nghiêng", "trường", "oanh", "huỳnh", "hoà", "hòa", "thuý", "thúy", "của", "mía", "lửa", "quá", "giá",
		"hiểu", "rượu", "ngoái", "khuỷu", "tuấn", "quyết", "được", "boòng"}
	invalid := []string{"", "cafe", "café", "Noël", "mỹller", "việtnam", "viềt", "tấc" + "́", "ăn̉", "bb", "ngh",
		"nguyễnn", "mảc", "hàp", "tọ̀", "ă", "âm" + "x", "ia" + "n", "1a", "a-b", "ð",
		"haỉ", "hoaỉ", "caó", "tòan", "tìên", "ngừơi", "qúa"}
	for _, w := range valid {
		if !validSyllable(w) {
			t.Errorf("validSyllable(%q) = false", w)
		}
	}
	for _, w := range invalid {
		if validSyllable(w) {
			t.Errorf("validSyllable(%q) = true", w)
		}
	}
}

func FuzzFixLegacy(f *testing.F) {
	for _, s := range legacySamples[:5] {
		f.Add(s)
		f.Add(toVNI(s))
		f.Add(toTCVN3(f, s))
	}
	f.Add("Café Noël ¨©ª«¬")
	f.Add("a\xffb")
	f.Fuzz(func(t *testing.T, s string) {
		fixed, from := FixLegacy(s)
		switch from {
		case "":
			if fixed != s {
				t.Fatalf("FixLegacy(%q) = %q with no encoding", s, fixed)
			}
		case "tcvn3", "vni":
			if utf8.ValidString(s) && !utf8.ValidString(fixed) {
				t.Fatalf("FixLegacy(%q) = %q: invalid UTF-8", s, fixed)
			}
			if !norm.NFC.IsNormalString(fixed) {
				t.Fatalf("FixLegacy(%q) = %q: not NFC", s, fixed)
			}
			for _, r := range s {
				if isVietSpecific(r) {
					t.Fatalf("FixLegacy(%q) converted text that was already Unicode Vietnamese", s)
				}
			}
		default:
			t.Fatalf("FixLegacy(%q): unknown encoding %q", s, from)
		}
	})
}

// isVietSpecific reports whether r is a Vietnamese letter outside
// Latin-1, which no legacy text read as Windows-1252 can contain.
func isVietSpecific(r rune) bool {
	_, ok := vowels[r]
	return r > 0xFF && (ok || r == 'đ' || r == 'Đ')
}

// vnWords are real words, with Latin-1-only ones (which legacy text can
// resemble) well represented.
var vnWords = []string{
	"có", "là", "tô", "hà", "mà", "ô", "ý", "ê", "ai", "áo", "ông", "bà", "cô", "chú", "lê", "hồ", "mê",
	"nguyễn", "văn", "đức", "thị", "trần", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng", "bùi",
	"đỗ", "ngô", "dương", "lý", "quốc", "khánh", "người", "rượu", "khuya", "thuở", "giữa", "gìn", "việt",
	"nam", "xã", "hội", "chủ", "nghĩa", "độc", "lập", "tự", "do", "hạnh", "phúc", "uông", "bí", "yêu",
	"oái", "khuỵu", "xoong", "ngoèo", "ích", "ếch", "tuần", "xoăn", "hoà", "thúy", "quỳnh", "nghiêng",
}

// vnText builds correctly written Vietnamese text from fuzz bytes.
func vnText(b []byte) string {
	var sb strings.Builder
	seps := []string{" ", ", ", " - ", "\n", " (", ") ", ": ", " 12 ", "/"}
	for i := 0; i+1 < len(b); i += 2 {
		w := vnWords[int(b[i])%len(vnWords)]
		switch b[i+1] % 4 {
		case 1:
			w = strings.ToUpper(w)
		case 2:
			r, n := utf8.DecodeRuneInString(w)
			w = string(unicode.ToUpper(r)) + w[n:]
		}
		if i > 0 {
			sb.WriteString(seps[int(b[i+1]/4)%len(seps)])
		}
		sb.WriteString(w)
	}
	return sb.String()
}

// FuzzFixLegacyVietnamese checks that correct Vietnamese is never
// touched and that legacy encodings of it are either repaired exactly or
// left alone, never turned into something else.
func FuzzFixLegacyVietnamese(f *testing.F) {
	f.Add([]byte{0, 0, 1, 2, 2, 1, 3, 3})
	f.Add([]byte{5, 9, 40, 2, 41, 2, 22, 0})
	f.Add([]byte{0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		s := vnText(b)
		if got, from := FixLegacy(s); got != s || from != "" {
			t.Fatalf("FixLegacy(%q) = %q, %q; want unchanged", s, got, from)
		}
		if enc := toVNI(s); enc != s {
			if got, from := FixLegacy(enc); from != "" && (got != s || from != "vni") {
				t.Fatalf("FixLegacy(toVNI(%q)) = %q, %q", s, got, from)
			}
		}
		if enc := toTCVN3(t, s); enc != s {
			// TCVN3 loses the case of capital toned vowels in mixed-case words.
			if got, from := FixLegacy(enc); from != "" && (strings.ToLower(got) != strings.ToLower(s) || from != "tcvn3") {
				t.Fatalf("FixLegacy(toTCVN3(%q)) = %q, %q", s, got, from)
			}
		}
	})
}

func TestDecodeFile(t *testing.T) {
	utf16le := func(s string, bom bool) []byte {
		var b []byte
		if bom {
			b = []byte{0xFF, 0xFE}
		}
		for _, r := range s {
			if r > 0xFFFF {
				r -= 0x10000
				hi, lo := 0xD800+(r>>10), 0xDC00+(r&0x3FF)
				b = append(b, byte(hi), byte(hi>>8), byte(lo), byte(lo>>8))
				continue
			}
			b = append(b, byte(r), byte(r>>8))
		}
		return b
	}
	swap := func(b []byte) []byte {
		c := slices.Clone(b)
		for i := 0; i+1 < len(c); i += 2 {
			c[i], c[i+1] = c[i+1], c[i]
		}
		return c
	}
	const name = "Nguyễn Văn Đức 😀"
	tests := []struct {
		in       []byte
		text     string
		encoding string
		wantErr  bool
	}{
		{[]byte("\xEF\xBB\xBF" + name), name, "utf-8-bom", false},
		{[]byte(name), name, "utf-8", false},
		{[]byte("plain ascii"), "plain ascii", "utf-8", false},
		{nil, "", "utf-8", false},
		{utf16le(name, true), name, "utf-16le", false},
		{swap(utf16le(name, true)), name, "utf-16be", false},
		{[]byte{0xFF, 0xFE}, "", "utf-16le", false},
		// Windows-1258: ê + combining tilde, ă, Đ, ư + combining acute.
		{[]byte("Nguy\xEA\xDEn V\xE3n \xD0\xFD\xECc"), "Nguyễn Văn Đức", "windows-1258", false},
		{[]byte("Ho\xE0 Bi\xCCnh"), "Hoà Bình", "windows-1258", false}, // 0xCC: U+0300
		{append(utf16le("ab", true), 'c'), "ab\uFFFD", "utf-16le", true},
		{append(utf16le("a", true), 0x00, 0xD8), "a\uFFFD", "utf-16le", false}, // lone surrogate
		{[]byte("\xEF\xBB\xBFab\xFF"), "ab\uFFFD", "utf-8-bom", true},
	}
	for _, tt := range tests {
		text, enc, err := DecodeFile(tt.in)
		if text != tt.text || enc != tt.encoding || (err != nil) != tt.wantErr {
			t.Errorf("DecodeFile(%q) = %q, %q, %v; want %q, %q, error %v", tt.in, text, enc, err, tt.text, tt.encoding, tt.wantErr)
		}
	}
}

func FuzzDecodeFile(f *testing.F) {
	f.Add([]byte("\xEF\xBB\xBFabc"))
	f.Add([]byte{0xFF, 0xFE, 'a', 0})
	f.Add([]byte{0xFE, 0xFF, 0, 'a', 0xD8})
	f.Add([]byte("Nguy\xEA\xDEn"))
	f.Fuzz(func(t *testing.T, b []byte) {
		text, enc, _ := DecodeFile(b)
		if !utf8.ValidString(text) {
			t.Fatalf("DecodeFile(%q) = %q: invalid UTF-8", b, text)
		}
		switch enc {
		case "utf-8", "utf-8-bom", "utf-16le", "utf-16be":
		case "windows-1258":
			if !norm.NFC.IsNormalString(text) {
				t.Fatalf("DecodeFile(%q) = %q: not NFC", b, text)
			}
		default:
			t.Fatalf("DecodeFile(%q): unknown encoding %q", b, enc)
		}
	})
}
