package vn

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

// TestVowelGrid checks the hand-written vowel table against Unicode's
// own decompositions, since every legacy table is built on it.
func TestVowelGrid(t *testing.T) {
	modifier := map[rune]string{'a': "a", 'ă': "a\u0306", 'â': "a\u0302", 'e': "e", 'ê': "e\u0302", 'i': "i",
		'o': "o", 'ô': "o\u0302", 'ơ': "o\u031B", 'u': "u", 'ư': "u\u031B", 'y': "y"}
	mark := [numTones]string{"", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"}
	for row, base := range vowelBases {
		for tone := range numTones {
			want := norm.NFC.String(modifier[base] + mark[tone])
			if got := string(vowelRune[row][tone][0]); got != want {
				t.Errorf("row %c tone %d: %q, want %q", base, tone, got, want)
			}
		}
	}
	if len(vowels) != 2*len(vowelBases)*numTones {
		t.Errorf("%d vowels, want %d", len(vowels), 2*len(vowelBases)*numTones)
	}
}
