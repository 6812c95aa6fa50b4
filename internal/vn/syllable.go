package vn

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// validSyllable reports whether word (letters only, any case) is a
// well-formed Vietnamese syllable: at most one tone, an onset, a vowel
// nucleus and a final from the Vietnamese inventories, only sắc or nặng
// before the stop finals c, ch, p, t, and the tone on a vowel that can
// carry it. FixLegacy uses it to tell a plausible conversion from
// garbage; it is lenient about spelling rules such as c/k/q (a typo is
// still Vietnamese) but rejects letter sequences Vietnamese cannot have.
func validSyllable(word string) bool {
	base := make([]rune, 0, len(word))
	tone, tonePos := toneNone, -1
	for _, r := range word {
		switch v, ok := vowels[r]; {
		case ok:
			if v.tone != toneNone {
				if tone != toneNone {
					return false
				}
				tone, tonePos = int(v.tone), len(base)
			}
			base = append(base, vowelBases[v.row])
		case r == 'đ' || r == 'Đ':
			base = append(base, 'đ')
		case 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z':
			base = append(base, unicode.ToLower(r))
		default:
			return false
		}
	}
	b := string(base)
	for _, on := range onsets {
		rest, ok := strings.CutPrefix(b, on)
		if !ok {
			continue
		}
		pos := tonePos - utf8.RuneCountInString(on)
		if tone != toneNone && pos < 0 {
			continue // the tone sits on a letter of the onset
		}
		if validRime(rest, tone, pos) {
			return true
		}
	}
	return false
}

// onsets, longest first so that "ngh" is tried before "ng" and "n"; all
// are tried anyway, which also covers "gi" + i ("gìn" = g + ìn).
var onsets = []string{
	"ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu",
	"b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
}

var finals = []string{"ng", "nh", "ch", "c", "m", "n", "p", "t"}

// Nuclei that end an open syllable (including those ending in the glides
// i/y/o/u, which take no final consonant).
var openNuclei = set(
	"a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
	"ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu",
	"oa", "oe", "oi", "ôi", "ơi", "ua", "uê", "ui", "uơ", "ưa", "ưi", "ưu", "uy", "ươ",
	"iêu", "yêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "ươi", "ươu", "uya", "uyu",
)

// Open nuclei whose last letter is a glide; the tone goes on the letter
// before it.
var glideFinal = set(
	"ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ua", "ui", "ưa", "ưi", "ưu",
	"iêu", "yêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "ươi", "ươu", "uya", "uyu",
)

// Nuclei that may take a final consonant.
var closedNuclei = set(
	"a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
	"iê", "yê", "uô", "ươ", "oa", "oă", "oe", "uâ", "uê", "uy", "uyê", "oo",
)

// validRime checks nucleus and final, and where the tone sits (pos, in
// runes from the start of the rime): on the vowel before the glide that
// ends an open nucleus ("hải", "người", not "haỉ", "ngừơi"), and on the
// last vowel before a final consonant ("toán", "nguyễn"). Where the old
// and new spelling rules differ ("hoà"/"hòa", "thuý"/"thúy"), both pass.
func validRime(rime string, tone, pos int) bool {
	if openNuclei[rime] {
		return tone == toneNone || !glideFinal[rime] || pos == utf8.RuneCountInString(rime)-2
	}
	for _, f := range finals {
		nucleus, ok := strings.CutSuffix(rime, f)
		if !ok || !closedNuclei[nucleus] {
			continue
		}
		if tone != toneNone && nucleus != "oo" && pos != utf8.RuneCountInString(nucleus)-1 {
			continue
		}
		if (f == "c" || f == "ch" || f == "p" || f == "t") && tone != toneAcute && tone != toneDot {
			continue
		}
		return true
	}
	return false
}

func set(items ...string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, s := range items {
		m[s] = true
	}
	return m
}
