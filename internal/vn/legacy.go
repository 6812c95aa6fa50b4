package vn

import (
	"bytes"
	"errors"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// DecodeFile decodes the contents of a text file from old or new
// Vietnamese software and names the encoding it found: "utf-8-bom" (BOM
// stripped), "utf-16le" or "utf-16be" (by BOM), "utf-8" (valid UTF-8,
// including plain ASCII), else "windows-1258", normalised to NFC because
// Windows-1258 writes tones as separate combining marks.
//
// On error the text is still the best-effort decoding, with U+FFFD for
// what could not be decoded, so a caller may show it.
func DecodeFile(b []byte) (text string, encoding string, err error) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
		if !utf8.Valid(b) {
			return strings.ToValidUTF8(string(b), "\uFFFD"), "utf-8-bom",
				errors.New("tệp có dấu BOM UTF-8 nhưng nội dung không phải UTF-8 hợp lệ")
		}
		return string(b), "utf-8-bom", nil
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		text, err = decodeUTF16(b[2:], false)
		return text, "utf-16le", err
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		text, err = decodeUTF16(b[2:], true)
		return text, "utf-16be", err
	case utf8.Valid(b):
		return string(b), "utf-8", nil
	}
	// Windows-1258 defines nearly every byte (the few holes decode to
	// U+FFFD), so this cannot fail; it is the encoding Vietnamese Windows
	// uses for "ANSI" files, e.g. CSV saved by old Excel.
	d, err := charmap.Windows1258.NewDecoder().Bytes(b)
	if err != nil {
		return "", "windows-1258", err
	}
	return norm.NFC.String(string(d)), "windows-1258", nil
}

func decodeUTF16(b []byte, bigEndian bool) (string, error) {
	units := make([]uint16, len(b)/2)
	for i := range units {
		lo, hi := b[2*i], b[2*i+1]
		if bigEndian {
			lo, hi = hi, lo
		}
		units[i] = uint16(lo) | uint16(hi)<<8
	}
	text := string(utf16.Decode(units)) // lone surrogates become U+FFFD
	if len(b)%2 != 0 {
		return text + "\uFFFD", errors.New("tệp UTF-16 bị cắt cụt: số byte lẻ")
	}
	return text, nil
}

// FixLegacy repairs a string holding Vietnamese typed in the TCVN3 (ABC,
// .VnTime fonts) or VNI-Windows (VNI-Times fonts) encodings, whose bytes
// were later read as Windows-1252, as happens with cells of old Excel
// files: "NguyÔn V¨n §øc" (TCVN3) and "Nguyeãn Vaên Ñöùc" (VNI) both give
// "Nguyễn Văn Đức". It returns the NFC text and "tcvn3" or "vni", or s
// unchanged and "" when s does not look like either.
//
// Detection is conservative, preferring to leave garbage than to damage
// good text. s must consist of Windows-1252 characters only (anything
// else means it is Unicode already), and ASCII text or text whose
// accented words all read as Vietnamese syllables is left alone. Each
// decoding is then scored by words: good when a word that was not
// Vietnamese becomes a valid syllable (see validSyllable), bad when the
// decoded word is not one. A decoding needs good words, at most one bad
// word per five good ones, and a better score than the other encoding; a
// draw changes nothing. French or German words ("Café", "Noël") decode
// to invalid syllables and pass through.
//
// TCVN3 has no upper-case toned letters (the .VnTimeH fonts drew the
// lower-case codes as capitals), so words whose other letters are all
// capitals are upper-cased after conversion.
func FixLegacy(s string) (fixed string, from string) {
	ascii := true
	for _, r := range s {
		if r >= utf8.RuneSelf {
			ascii = false
			if r > 0xFF && !strings.ContainsRune(cp1252High, r) {
				return s, "" // already Unicode text, or not from 1252 at all
			}
		}
	}
	if ascii {
		return s, ""
	}
	ws := tokens(s)
	orig := make([]bool, len(ws)) // word already reads as Vietnamese
	allValid := true
	for i, w := range ws {
		orig[i] = isASCII(w.text) || validSyllable(w.text)
		allValid = allValid && orig[i]
	}
	if allValid {
		return s, ""
	}

	tc := make([]string, len(ws))
	vni := make([]string, len(ws))
	for i, w := range ws {
		tc[i] = decodeTCVN3Word(w.text)
		vni[i] = decodeVNIWord(w.text)
	}
	tcs, vnis := score(ws, orig, tc), score(ws, orig, vni)
	switch {
	case tcs.ok() && (!vnis.ok() || tcs.beats(vnis)):
		upperTCVN3(s, ws, tc)
		return norm.NFC.String(join(s, ws, tc)), "tcvn3"
	case vnis.ok() && (!tcs.ok() || vnis.beats(tcs)):
		return norm.NFC.String(join(s, ws, vni)), "vni"
	}
	return s, "" // neither fits, or both fit equally well: do not guess
}

// cp1252High lists the characters Windows-1252 puts at 0x80–0x9F.
const cp1252High = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"

// word is a run of characters that may make one legacy-encoded word:
// ASCII letters and all of Latin-1's upper half except the no-break space
// (both encodings put letters at symbol positions such as "¨" and "«").
type word struct {
	start, end int
	text       string
}

func isWordRune(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	case r == 0xA0:
		return false
	}
	return r <= 0xFF
}

func tokens(s string) []word {
	var ws []word
	start := -1
	for i, r := range s {
		switch {
		case isWordRune(r) && start < 0:
			start = i
		case !isWordRune(r) && start >= 0:
			ws = append(ws, word{start, i, s[start:i]})
			start = -1
		}
	}
	if start >= 0 {
		ws = append(ws, word{start, len(s), s[start:]})
	}
	return ws
}

// decoding scores one candidate decoding of the words of a string.
type decoding struct {
	good int // words the decoding turned from garbage into Vietnamese
	bad  int // words that are not Vietnamese after decoding
}

// ok accepts a decoding that repairs something and leaves at most one
// doubtful word per five repaired ones (a foreign name, a typo).
func (d decoding) ok() bool { return d.good > 0 && d.bad*5 <= d.good }

// beats prefers more net repairs. Equal scores are a draw and leave the
// text alone: "chuû hoà" is VNI for "chủ hồ" but also TCVN3 for "chuỷ
// hoà", and nothing short of a dictionary tells which.
func (d decoding) beats(e decoding) bool { return d.good-d.bad > e.good-e.bad }

// score judges the words that are not plain ASCII after decoding. Words
// already Vietnamese before decoding prove nothing either way. Neutral
// too: ASCII words (foreign words, unaccented names), words without a
// vowel (abbreviations such as "QĐ", "ĐT") and one-character words ("¸"
// may be TCVN3 "á", but far more often it is just a cedilla).
func score(ws []word, orig []bool, decoded []string) decoding {
	var d decoding
	for i, w := range ws {
		dw := decoded[i]
		switch {
		case isASCII(dw) || !hasVowel(dw) || utf8.RuneCountInString(w.text) == 1:
		case !validSyllable(dw):
			d.bad++
		case !orig[i]:
			d.good++
		}
	}
	return d
}

func hasVowel(s string) bool {
	for _, r := range s {
		if _, ok := vowels[r]; ok {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func join(s string, ws []word, decoded []string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	prev := 0
	for i, w := range ws {
		b.WriteString(s[prev:w.start])
		b.WriteString(decoded[i])
		prev = w.end
	}
	b.WriteString(s[prev:])
	return b.String()
}

// upperTCVN3 upper-cases converted words written in capitals: those with
// at least two capitals (ASCII or TCVN3's capital codes) and no ASCII
// small letter, and, when the whole string is in capitals, also those
// with fewer ("Hµ" in "NGUYÔN THÞ Hµ").
func upperTCVN3(s string, ws []word, decoded []string) {
	up, low := countCaseTCVN3(s)
	allCaps := up >= 2 && low == 0
	for i, w := range ws {
		up, low := countCaseTCVN3(w.text)
		if low == 0 && (up >= 2 || allCaps) {
			decoded[i] = strings.ToUpper(decoded[i])
		}
	}
}

// countCaseTCVN3 counts capitals and small letters that have a case in
// TCVN3: ASCII letters and the capitals Ă Â Ê Ô Ơ Ư Đ (0xA1–0xA7).
// TCVN3's other letter codes have no case of their own.
func countCaseTCVN3(s string) (upper, lower int) {
	for _, r := range s {
		switch {
		case 'A' <= r && r <= 'Z', 0xA1 <= r && r <= 0xA7:
			upper++
		case 'a' <= r && r <= 'z':
			lower++
		}
	}
	return upper, lower
}

// TCVN3 (TCVN 5712:1993, VN3 subset) puts the lower-case toned vowels
// and the letters ă â ê ô ơ ư đ Ă Â Ê Ô Ơ Ư Đ in 0xA1–0xFE. Rows follow
// vowelBases, columns the tones (ngang, huyền, hỏi, ngã, sắc, nặng); an
// ASCII entry means the letter is plain ASCII in TCVN3 too.
var tcvn3Grid = [len(vowelBases)][numTones]byte{
	{'a', 0xB5, 0xB6, 0xB7, 0xB8, 0xB9},  // a à ả ã á ạ
	{0xA8, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6}, // ă
	{0xA9, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB}, // â
	{'e', 0xCC, 0xCE, 0xCF, 0xD0, 0xD1},  // e
	{0xAA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6}, // ê
	{'i', 0xD7, 0xD8, 0xDC, 0xDD, 0xDE},  // i
	{'o', 0xDF, 0xE1, 0xE2, 0xE3, 0xE4},  // o
	{0xAB, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9}, // ô
	{0xAC, 0xEA, 0xEB, 0xEC, 0xED, 0xEE}, // ơ
	{'u', 0xEF, 0xF1, 0xF2, 0xF3, 0xF4},  // u
	{0xAD, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9}, // ư
	{'y', 0xFA, 0xFB, 0xFC, 0xFD, 0xFE},  // y
}

// tcvn3Other holds the remaining TCVN3 letters.
var tcvn3Other = map[byte]rune{
	0xA1: 'Ă', 0xA2: 'Â', 0xA3: 'Ê', 0xA4: 'Ô', 0xA5: 'Ơ', 0xA6: 'Ư', 0xA7: 'Đ',
	0xAE: 'đ',
}

// VNI-Windows writes a vowel as its ASCII base letter followed by one
// mark character (ơ and ư have their own base characters "ô" and "ö"),
// except that i and ỵ are single characters. Same layout as tcvn3Grid;
// capitals use the upper-case forms of the same characters ("AÙ" = Á).
var vniGrid = [len(vowelBases)][numTones]string{
	{"a", "aø", "aû", "aõ", "aù", "aï"},
	{"aê", "aè", "aú", "aü", "aé", "aë"},
	{"aâ", "aà", "aå", "aã", "aá", "aä"},
	{"e", "eø", "eû", "eõ", "eù", "eï"},
	{"eâ", "eà", "eå", "eã", "eá", "eä"},
	{"i", "ì", "æ", "ó", "í", "ò"},
	{"o", "oø", "oû", "oõ", "où", "oï"},
	{"oâ", "oà", "oå", "oã", "oá", "oä"},
	{"ô", "ôø", "ôû", "ôõ", "ôù", "ôï"},
	{"u", "uø", "uû", "uõ", "uù", "uï"},
	{"ö", "öø", "öû", "öõ", "öù", "öï"},
	{"y", "yø", "yû", "yõ", "yù", "î"},
}

// vniOther holds the remaining VNI letters: đ and Đ.
var vniOther = map[rune]rune{'ñ': 'đ', 'Ñ': 'Đ'}

var (
	tcvn3Map             = buildTCVN3() // byte → letter, 0 if the byte is not a letter code
	vniSingles, vniPairs = buildVNI()   // one-character codes; base + mark codes
)

func buildTCVN3() (m [256]rune) {
	for row := range tcvn3Grid {
		for tone, b := range tcvn3Grid[row] {
			if b >= 0x80 {
				m[b] = vowelRune[row][tone][0]
			}
		}
	}
	for b, r := range tcvn3Other {
		m[b] = r
	}
	return m
}

func buildVNI() (singles map[rune]rune, pairs map[[2]rune]rune) {
	singles, pairs = map[rune]rune{}, map[[2]rune]rune{}
	for row := range vniGrid {
		for tone, code := range vniGrid[row] {
			lo, up := vowelRune[row][tone][0], vowelRune[row][tone][1]
			rs := []rune(code)
			switch len(rs) {
			case 1:
				if rs[0] >= utf8.RuneSelf {
					singles[rs[0]] = lo
					singles[unicode.ToUpper(rs[0])] = up
				}
			case 2:
				base, mark := rs[0], rs[1]
				ubase, umark := unicode.ToUpper(base), unicode.ToUpper(mark)
				pairs[[2]rune{base, mark}] = lo
				pairs[[2]rune{ubase, umark}] = up
				// Mixed case comes from later re-casing (Excel's PROPER
				// turns "AÙNH" into "Aùnh"); the base letter decides.
				pairs[[2]rune{base, umark}] = lo
				pairs[[2]rune{ubase, mark}] = up
			}
		}
	}
	for k, v := range vniOther {
		singles[k] = v
	}
	return singles, pairs
}

func decodeTCVN3Word(w string) string {
	var b strings.Builder
	for _, r := range w {
		if r <= 0xFF && tcvn3Map[r] != 0 {
			r = tcvn3Map[r]
		}
		b.WriteRune(r)
	}
	return b.String()
}

func decodeVNIWord(w string) string {
	rs := []rune(w)
	var b strings.Builder
	for i := 0; i < len(rs); i++ {
		if i+1 < len(rs) {
			if r, ok := vniPairs[[2]rune{rs[i], rs[i+1]}]; ok {
				b.WriteRune(r)
				i++
				continue
			}
		}
		if r, ok := vniSingles[rs[i]]; ok {
			b.WriteRune(r)
			continue
		}
		b.WriteRune(rs[i])
	}
	return b.String()
}
