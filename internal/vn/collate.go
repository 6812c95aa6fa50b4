package vn

import (
	"bytes"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// toneRank is the collation order of the tones, the only place it is
// defined: ngang < huyền < hỏi < ngã < sắc < nặng. This is a common
// dictionary convention, and the CLDR "vi" collation agrees (see
// TestWordOrderMatchesCLDR); other lists use other orders, so should a
// customer want one, change it here only. (ngang sorts first whatever
// its rank: a word without tone has no secondary weight at all.)
var toneRank = [numTones]byte{
	toneNone:  0,
	toneGrave: 1,
	toneHook:  2,
	toneTilde: 3,
	toneAcute: 4,
	toneDot:   5,
}

// collAlphabet is the Vietnamese alphabet order. f, j, w and z are not
// Vietnamese letters but occur in loanwords and minority names; they sit
// where the Latin alphabet puts them.
const collAlphabet = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"

var letterWeight = map[rune]byte{}

func init() {
	w := byte(wLetter)
	for _, r := range collAlphabet {
		letterWeight[r] = w
		w++
	}
}

// Primary weight bytes. Every element of a word starts with a byte >= 2,
// so the 0 word terminator and the 1 end-of-middle-names marker sort
// before any continuation: "An" < "Anh", and fewer middle names first.
const (
	wEnd       = 0x00
	wNoMiddle  = 0x01
	wSymbol    = 0x02 // + 3-byte code point: punctuation, symbols
	wDigit     = 0x10 // + digit value
	wLetter    = 0x20 // + alphabet index
	wForeign   = 0xF0 // + 3-byte code point: letters of other scripts
	combBreve  = '\u0306'
	combCirc   = '\u0302'
	combHorn   = '\u031B'
	combGrave  = '\u0300'
	combAcute  = '\u0301'
	combTilde  = '\u0303'
	combHook   = '\u0309'
	combDotBel = '\u0323'
)

// NameKey returns a sort key for a Vietnamese full name ("family middle…
// given"): bytes.Compare on keys orders names by given name (last word),
// then the middle names in order, then the family name (first word).
// Words compare by Vietnamese alphabet (a ă â b c d đ e ê g h i k l m n
// o ô ơ p q r s t u ư v x y) across the whole word first; tones only
// break ties (a secondary level), in the order of toneRank. Case is
// ignored, and so are marks that are not Vietnamese (the diaeresis in
// "Noël").
func NameKey(fullName string) []byte {
	words := strings.Fields(norm.NFD.String(fullName))
	if len(words) == 0 {
		return []byte{}
	}
	key := make([]byte, 0, 4*len(fullName)+8)
	key = appendWordKey(key, words[len(words)-1])
	if len(words) > 2 {
		for _, w := range words[1 : len(words)-1] {
			key = appendWordKey(key, w)
		}
	}
	key = append(key, wNoMiddle)
	if len(words) > 1 {
		key = appendWordKey(key, words[0])
	}
	return key
}

// CompareNames compares two full names in Vietnamese order (see NameKey),
// returning -1, 0 or +1.
func CompareNames(a, b string) int {
	return bytes.Compare(NameKey(a), NameKey(b))
}

type collElem struct {
	r    rune // lower-case letter, or any other rune
	tone int  // toneNone…toneDot
}

// appendWordKey appends the primary weights, a terminator, the tone
// weights and a terminator. Tone weights are >= 1, above the terminator,
// so that a word without tone (ngang) sorts first.
func appendWordKey(key []byte, word string) []byte {
	elems := make([]collElem, 0, len(word))
	for _, r := range word { // word is NFD: base letters then marks
		n := len(elems)
		if unicode.Is(unicode.Mn, r) && n > 0 {
			last := &elems[n-1]
			switch r {
			case combBreve:
				if last.r == 'a' {
					last.r = 'ă'
				}
			case combCirc:
				switch last.r {
				case 'a':
					last.r = 'â'
				case 'e':
					last.r = 'ê'
				case 'o':
					last.r = 'ô'
				}
			case combHorn:
				switch last.r {
				case 'o':
					last.r = 'ơ'
				case 'u':
					last.r = 'ư'
				}
			case combGrave:
				last.tone = toneGrave
			case combHook:
				last.tone = toneHook
			case combTilde:
				last.tone = toneTilde
			case combAcute:
				last.tone = toneAcute
			case combDotBel:
				last.tone = toneDot
			}
			// Other marks (diaeresis, cedilla…) do not sort.
			continue
		}
		r = unicode.ToLower(r)
		if r == 'ð' { // eth stands in for đ in old data, as in Fold
			r = 'đ'
		}
		elems = append(elems, collElem{r: r})
	}
	for _, e := range elems {
		switch w, ok := letterWeight[e.r]; {
		case ok:
			key = append(key, w)
		case '0' <= e.r && e.r <= '9':
			key = append(key, wDigit+byte(e.r-'0'))
		case unicode.IsLetter(e.r):
			key = append(key, wForeign, byte(e.r>>16), byte(e.r>>8), byte(e.r))
		default:
			key = append(key, wSymbol, byte(e.r>>16), byte(e.r>>8), byte(e.r))
		}
	}
	key = append(key, wEnd)
	// The secondary level is the word's tone, not its position: "Thuỳ"
	// and "Thùy" (old and new tone placement) are the same name. A
	// malformed word with several tones keeps them in order.
	for _, e := range elems {
		if e.tone != toneNone {
			key = append(key, toneRank[e.tone]+1)
		}
	}
	return append(key, wEnd)
}
