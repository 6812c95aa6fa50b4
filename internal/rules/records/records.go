// Package records holds the rules of member files (hồ sơ đảng viên) and party cards as dated
// data (package rulebook, research/next-rules.md §5): the catalogue of the 104 document types of
// Công văn 1361-CV/BTCTW (30/06/2026) with their priority bands, its naming of files and folders
// (Appendix 2), the 14-digit organisation code, and the formats of party card numbers (the old
// cards of CT 29-CT/TW and the 12-digit personal number the cards of CT 51-CT/TW reuse).
package records

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"dangvu/internal/rulebook"
	"dangvu/internal/vn"
)

//go:embed data
var files embed.FS

func sub(dir string) fs.FS { return rulebook.Embedded(files, dir) }

// Catalogue is the rule area of the member-file catalogue: one value per document type, its key
// the type's number (01…104), its label the type's name, its value the priority band (1–3),
// followed by ";all" for a document every file must hold or ";full" for one every full member's
// file must hold.
var Catalogue = &rulebook.Area{
	Name: "member_files", Label: "Hồ sơ đảng viên: danh mục tài liệu số hóa (CV 1361-CV/BTCTW)", Files: sub("catalogue"),
	CheckValue: func(s *rulebook.Set, v rulebook.Value) error {
		_, err := parseType(v)
		return err
	},
}

// Cards is the rule area of party card numbers.
var Cards = &rulebook.Area{
	Name: "party_cards", Label: "Thẻ đảng viên: số thẻ, đổi thẻ", Files: sub("cards"),
	Keys: []rulebook.Key{
		{Name: "old_pattern", Kind: rulebook.Text}, {Name: "id_number_cards", Kind: rulebook.Bool},
		{Name: "exchange_by", Kind: rulebook.Date},
	},
	CheckValue: func(s *rulebook.Set, v rulebook.Value) error {
		if v.Key == "old_pattern" {
			if _, err := regexp.Compile(v.Text); err != nil {
				return fmt.Errorf("biểu thức chính quy không hợp lệ: %v", err)
			}
		}
		return nil
	},
}

// Required says which files must hold a document type.
type Required string

const (
	RequiredNone Required = ""
	RequiredAll  Required = "all"  // every member's file
	RequiredFull Required = "full" // every full member's file
)

// DocType is one document type of the catalogue.
type DocType struct {
	No       int             `json:"no"`
	Name     string          `json:"name"`
	Band     int             `json:"band"`
	Required Required        `json:"required,omitempty"`
	Source   rulebook.Source `json:"source"`
}

// MaxType is the highest document number of the catalogue's shape (1361: 104). A set from an
// administrator's folder may add types up to 999.
const MaxType = 999

func parseType(v rulebook.Value) (DocType, error) {
	n, err := strconv.Atoi(v.Key)
	if err != nil || n < 1 || n > MaxType {
		return DocType{}, fmt.Errorf("số thứ tự loại tài liệu %q không hợp lệ: cần từ 01 đến 104", v.Key)
	}
	if v.Label == "" {
		return DocType{}, fmt.Errorf("loại tài liệu %s thiếu tên", v.Key)
	}
	band, req, _ := strings.Cut(v.Text, ";")
	b, err := strconv.Atoi(band)
	if err != nil || b < 1 || b > 3 {
		return DocType{}, fmt.Errorf("mức ưu tiên %q không hợp lệ: cần 1, 2 hoặc 3", band)
	}
	r := Required(req)
	if r != RequiredNone && r != RequiredAll && r != RequiredFull {
		return DocType{}, fmt.Errorf("%q không hợp lệ: sau mức ưu tiên chỉ ghi ;all hoặc ;full", req)
	}
	return DocType{No: n, Name: v.Label, Band: b, Required: r, Source: v.Source}, nil
}

// Set is the catalogue in force on a day.
type Set struct {
	ID, Name string
	From     time.Time
	Source   rulebook.Source
	Types    []DocType // by number
	byNo     map[int]DocType
}

// For returns the catalogue in force on day; before the first (1361 dates from 30/06/2026) the
// first, so that files digitised ahead of it are checked against it.
func For(day time.Time) Set { return sets.At(day) }

var sets = rulebook.Choose(build, Catalogue)

// Catalogues returns every catalogue, oldest first.
func Catalogues() []Set { return sets.All() }

func build(in ...rulebook.InForce) Set {
	rs := in[0].Set
	s := Set{ID: rs.ID, Name: rs.Name, From: rs.From, Source: rs.Source, byNo: map[int]DocType{}}
	for _, v := range rs.Values {
		t, err := parseType(v)
		if err != nil {
			continue // checked at load
		}
		s.Types = append(s.Types, t)
		s.byNo[t.No] = t
	}
	sortTypes(s.Types)
	return s
}

func sortTypes(ts []DocType) {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].No < ts[j-1].No; j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}

// Type returns document type no, or a Vietnamese error naming the range.
func (s Set) Type(no int) (DocType, error) {
	t, ok := s.byNo[no]
	if !ok {
		return DocType{}, fmt.Errorf("số thứ tự loại tài liệu %d không có trong danh mục %s (từ 1 đến %d)", no, s.Name, len(s.Types))
	}
	return t, nil
}

// RequiredFor lists the types a member's file must hold: every "all" type, and the "full" ones
// for a full member.
func (s Set) RequiredFor(full bool) []DocType {
	var out []DocType
	for _, t := range s.Types {
		if t.Required == RequiredAll || t.Required == RequiredFull && full {
			out = append(out, t)
		}
	}
	return out
}

// ASCII is s without diacritics, Đ/đ mapped to D/d before the NFD decomposition (which leaves
// them as they are: they are letters of their own, not D with a mark).
func ASCII(s string) string {
	s = strings.NewReplacer("Đ", "D", "đ", "d").Replace(vn.NFC(s))
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// FileName is the name of a document of type t in a member's folder (1361 Appendix 2):
// "{NN}.{name without diacritics}[.k].pdf", NN of 2 digits for 1–99 and 3 for 100 and above; k
// (1, 2, …) only when the folder holds more than one document of the type.
func FileName(t DocType, k, of int) string {
	nn := fmt.Sprintf("%02d", t.No)
	name := strings.Join(strings.Fields(ASCII(t.Name)), " ")
	if of > 1 {
		return fmt.Sprintf("%s.%s.%d.pdf", nn, name, k)
	}
	return nn + "." + name + ".pdf"
}

// FileNames names the documents of one folder given their types in the folder's order: the
// documents of a type that occurs more than once are numbered 1, 2, … in that order.
func (s Set) FileNames(types []int) ([]string, error) {
	count := map[int]int{}
	for _, n := range types {
		count[n]++
	}
	seen := map[int]int{}
	out := make([]string, len(types))
	for i, n := range types {
		t, err := s.Type(n)
		if err != nil {
			return nil, err
		}
		seen[n]++
		out[i] = FileName(t, seen[n], count[n])
	}
	return out, nil
}

// PascalName is a full name without diacritics, each word capitalised, spaces dropped:
// "Nguyễn Thị Ánh Đào" → "NguyenThiAnhDao".
func PascalName(full string) string {
	var b strings.Builder
	for _, w := range strings.Fields(ASCII(full)) {
		start := true // a word, or a part after a hyphen or apostrophe, begins with a capital
		for _, r := range strings.ToLower(w) {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				start = true
				continue
			}
			if start {
				r = unicode.ToUpper(r)
			}
			start = false
			b.WriteRune(r)
		}
	}
	return b.String()
}

// OrgCode is a 14-digit organisation code grouped 2.3.3.3.3 (M1 province, M2 the committee
// above the grassroots, M3 the grassroots organisation, M4 the intermediate committee or 000,
// M5 the cell).
type OrgCode string

var errOrgCode = errors.New("mã tổ chức phải gồm 14 chữ số, nhóm 2.3.3.3.3 (ví dụ 38.168.053.000.001)")

// ParseOrgCode reads a code written with or without its dots and returns it dotted.
func ParseOrgCode(s string) (OrgCode, error) {
	s = strings.TrimSpace(s)
	digits := strings.ReplaceAll(s, ".", "")
	if len(digits) != 14 || strings.Trim(digits, "0123456789") != "" {
		return "", errOrgCode
	}
	if strings.Contains(s, ".") {
		parts := strings.Split(s, ".")
		if len(parts) != 5 || len(parts[0]) != 2 || len(parts[1]) != 3 || len(parts[2]) != 3 || len(parts[3]) != 3 || len(parts[4]) != 3 {
			return "", errOrgCode
		}
	}
	if digits[:2] == "00" {
		return "", errors.New("mã tổ chức: 2 chữ số đầu (M1) là mã tỉnh, không thể là 00")
	}
	return OrgCode(digits[:2] + "." + digits[2:5] + "." + digits[5:8] + "." + digits[8:11] + "." + digits[11:]), nil
}

// Folder is a member's folder in the 1361 package: "M1.M2.M3.M4.M5/{CCCD}_{HoTenPascalCase}".
// The code is the member's organisation's; a member without a CCCD gets the member id in its
// place, so that the folder is still unique (the manifest lists it as missing).
func Folder(code OrgCode, idNumber, memberID, fullName string) string {
	id := strings.TrimSpace(idNumber)
	if id == "" {
		id = "KHONG_CO_CCCD-" + memberID
	}
	return string(code) + "/" + id + "_" + PascalName(fullName)
}

// CardSet is the card rules in force on a day.
type CardSet struct {
	ID, Name      string
	OldPattern    *regexp.Regexp
	IDNumberCards bool
	ExchangeBy    time.Time
	set           *rulebook.Set
}

// Cite is a value's citation with its mark.
func (c CardSet) Cite(key string) string { return c.set.Cite(key) }

// CardsFor returns the card rules in force on day.
func CardsFor(day time.Time) CardSet { return cards.At(day) }

var cards = rulebook.Choose(func(in ...rulebook.InForce) CardSet {
	rs := in[0].Set
	by, _ := time.Parse(time.DateOnly, rs.Text("exchange_by"))
	return CardSet{ID: rs.ID, Name: rs.Name, OldPattern: regexp.MustCompile(rs.Text("old_pattern")), IDNumberCards: rs.Bool("id_number_cards"), ExchangeBy: by, set: rs}
}, Cards)

// Card number formats.
const (
	CardIDNumber = "id_number" // the 12-digit personal number (CCCD), new cards from 2025
	CardOld      = "old"
)

// CheckCard validates a card number issued on issued: a 12-digit number is checked as a
// personal identification number (CCCD: province 001–096), any other against the old format.
// It returns the format and, beside it, a warning when a 12-digit number differs from the
// member's CCCD (new cards usually reuse it, but that is never assumed), or the problem.
func CheckCard(number, idNumber string, issued time.Time) (format, warning string, p *rulebook.Problem) {
	n := strings.TrimSpace(number)
	c := CardsFor(issued)
	if len(n) == 12 && strings.Trim(n, "0123456789") == "" {
		if _, err := vn.ValidateIDNumber(n); err != nil {
			return "", "", &rulebook.Problem{Field: "card_number", Rule: "id_number_cards", Set: c.Name, Source: c.set.SourceOf("id_number_cards"),
				Reason: "số thẻ 12 chữ số là số định danh cá nhân: " + err.Error()}
		}
		if id := strings.TrimSpace(idNumber); id != "" && id != n {
			warning = "số thẻ 12 chữ số khác số CCCD của đảng viên; thẻ mới thường dùng số định danh cá nhân (" + c.Cite("id_number_cards") + ")"
		}
		return CardIDNumber, warning, nil
	}
	if !c.OldPattern.MatchString(n) {
		return "", "", &rulebook.Problem{Field: "card_number", Rule: "old_pattern", Set: c.Name, Source: c.set.SourceOf("old_pattern"),
			Reason: fmt.Sprintf("số thẻ %q không hợp lệ: thẻ mới là số định danh cá nhân 12 chữ số, thẻ cũ theo dạng %s", n, c.OldPattern)}
	}
	return CardOld, "", nil
}
