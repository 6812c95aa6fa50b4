package vn

import "unicode"

// Tones, in the column order of the vowel tables below. The collation
// order is kept separately (toneRank in collate.go) so that changing it
// cannot break the legacy decoders, which rely on tone identity.
const (
	toneNone  = iota // ngang
	toneGrave        // huyền
	toneHook         // hỏi
	toneTilde        // ngã
	toneAcute        // sắc
	toneDot          // nặng
	numTones
)

// vowelBases are the twelve Vietnamese vowel letters without tone; row i
// of vowelGrid holds vowelBases[i] with each tone.
var vowelBases = [...]rune{'a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'}

var vowelGrid = [len(vowelBases)]string{
	"aàảãáạ",
	"ăằẳẵắặ",
	"âầẩẫấậ",
	"eèẻẽéẹ",
	"êềểễếệ",
	"iìỉĩíị",
	"oòỏõóọ",
	"ôồổỗốộ",
	"ơờởỡớợ",
	"uùủũúụ",
	"ưừửữứự",
	"yỳỷỹýỵ",
}

// vowelInfo describes a precomposed Vietnamese vowel (either case).
type vowelInfo struct {
	row   uint8 // index into vowelBases
	tone  uint8
	upper bool
}

// Built by var initialisation, not init(), so that tables in other files
// that are built from them see them filled (init order follows file names).
var vowels, vowelRune = buildVowels()

func buildVowels() (map[rune]vowelInfo, [len(vowelBases)][numTones][2]rune) {
	m := map[rune]vowelInfo{}
	var grid [len(vowelBases)][numTones][2]rune // [row][tone][0 lower, 1 upper]
	for row, s := range vowelGrid {
		tone := 0
		for _, r := range s {
			u := unicode.ToUpper(r)
			m[r] = vowelInfo{uint8(row), uint8(tone), false}
			m[u] = vowelInfo{uint8(row), uint8(tone), true}
			grid[row][tone] = [2]rune{r, u}
			tone++
		}
	}
	return m, grid
}
