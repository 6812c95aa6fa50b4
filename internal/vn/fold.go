package vn

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// NFC returns s in Unicode Normalization Form C, the form to store and
// compare Vietnamese text in (input methods and macOS may produce NFD).
func NFC(s string) string { return norm.NFC.String(s) }

// Fold returns s folded for diacritic-insensitive search: decomposed
// (NFD), combining marks dropped, đ/Đ mapped to d (Unicode has no
// decomposition for them), lower-cased, whitespace runs collapsed to a
// single space and trimmed. "Nguyễn Văn Đức" → "nguyen van duc".
//
// It runs on every name at import, so the common scripts (Latin,
// including all Vietnamese letters) go through a precomputed table and
// only other runes pay for a normalization lookup.
func Fold(s string) string {
	// Already-folded ASCII (common for codes and re-folded keys) is
	// returned without allocating.
	i := 0
	for ; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			break
		}
		if asciiSpace[c] && (c != ' ' || i == 0 || i == len(s)-1 || s[i-1] == ' ') {
			break
		}
	}
	if i == len(s) {
		return s
	}

	var b strings.Builder
	b.Grow(len(s))
	space := false // a space is owed before the next output
	if i > 0 && s[i-1] == ' ' {
		b.WriteString(s[:i-1])
		space = true
	} else {
		b.WriteString(s[:i])
	}
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if asciiSpace[c] {
				space = b.Len() > 0
				continue
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteByte(c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		var f string
		switch {
		case r < rune(len(foldLow)):
			f = foldLow[r]
		case foldExtLo <= r && r <= foldExtHi:
			f = foldExt[r-foldExtLo]
		default:
			if unicode.IsSpace(r) {
				f = " "
			} else {
				f = foldRune(s[i : i+size])
			}
		}
		i += size
		if f == " " {
			space = b.Len() > 0
			continue
		}
		if f == "" {
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteString(f)
	}
	return b.String()
}

var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// Table ranges: Latin-1 to the combining diacritics block, and Latin
// Extended Additional, where the precomposed Vietnamese vowels live.
const (
	foldExtLo = 0x1E00
	foldExtHi = 0x1EFF
)

var (
	foldLow [0x370]string // " " marks whitespace, "" a dropped rune
	foldExt [foldExtHi - foldExtLo + 1]string
)

func init() {
	for r := range rune(len(foldLow)) {
		foldLow[r] = foldTableEntry(r)
	}
	for r := rune(foldExtLo); r <= foldExtHi; r++ {
		foldExt[r-foldExtLo] = foldTableEntry(r)
	}
}

func foldTableEntry(r rune) string {
	if unicode.IsSpace(r) {
		return " "
	}
	if r == utf8.RuneError {
		return string(r)
	}
	return foldRune(string(r))
}

// foldRune folds one encoded rune (or an invalid byte, which becomes
// U+FFFD so the result stays valid UTF-8).
func foldRune(enc string) string {
	if r, _ := utf8.DecodeRuneInString(enc); r == utf8.RuneError {
		return string(utf8.RuneError)
	}
	var buf [32]byte
	d := norm.NFD.AppendString(buf[:0], enc)
	out := make([]byte, 0, len(d))
	for _, r := range string(d) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		out = utf8.AppendRune(out, unicode.ToLower(foldStroke(r)))
	}
	return string(out)
}

// foldStroke maps the d-with-stroke letters to d: they have no Unicode
// decomposition. Ð/ð (U+00D0/U+00F0, eth) are included because they look
// identical to Đ and old Windows-1252 keyboards and fonts used them for it.
func foldStroke(r rune) rune {
	switch r {
	case 'đ', 'Đ', 'ð', 'Ð':
		return 'd'
	}
	return r
}
