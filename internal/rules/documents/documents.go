// Package documents holds the rules on party documents as dated data (package rulebook): the kinds
// of document and who may issue them (QĐ 66-QĐ/TW 2017 → QĐ 399-QĐ/TW 09/01/2026), the layout of
// documents and reports (HD 36-HD/VPTW 2018 → HD 05-HD/VPTW 27/05/2026, chosen by the document's
// own date) and the secrecy levels with their protection periods (Law 29/2018/QH14 → Law
// 117/2025/QH15 from 01/03/2026).
package documents

import (
	"embed"
	"io/fs"
	"time"

	"dangvu"
	"dangvu/internal/rulebook"
)

//go:embed data
var files embed.FS

func sub(dir string) fs.FS { return rulebook.Embedded(files, dir) }

// Kinds is the area of document kinds and issuing authority (the area "documents").
var Kinds = &rulebook.Area{
	Name: "documents", Label: "Văn bản của Đảng: thể loại, thẩm quyền ban hành", Files: sub("documents"),
	Keys: []rulebook.Key{
		{Name: "kinds", Kind: rulebook.Text}, {Name: "codes", Kind: rulebook.Text},
		{Name: "cell_issuer_code", Kind: rulebook.Text}, {Name: "letter_kind_name", Kind: rulebook.Bool},
		{Name: "recipients_required", Kind: rulebook.Bool}, {Name: "cell_kinds", Kind: rulebook.Text},
	},
}

// Layout is the area of the document layout (thể thức, kỹ thuật trình bày) the DOCX follows.
var Layout = &rulebook.Area{
	Name: "layout", Label: "Thể thức và kỹ thuật trình bày văn bản", Files: sub("layout"),
	Keys: []rulebook.Key{
		{Name: "font", Kind: rulebook.Text}, {Name: "body_size_pt", Kind: rulebook.Int},
		{Name: "line_pt", Kind: rulebook.Int}, {Name: "line_rule", Kind: rulebook.Text},
		{Name: "paragraph_after_pt", Kind: rulebook.Int},
		{Name: "margin_top_mm", Kind: rulebook.Int}, {Name: "margin_bottom_mm", Kind: rulebook.Int},
		{Name: "margin_left_mm", Kind: rulebook.Int}, {Name: "margin_right_mm", Kind: rulebook.Int},
		{Name: "date_line", Kind: rulebook.Text},
	},
}

// Secrecy is the area of state-secret levels and protection periods, applied to the document
// register.
var Secrecy = &rulebook.Area{
	Name: "secrecy", Label: "Bí mật nhà nước: độ mật, thời hạn bảo vệ", Files: sub("secrecy"),
	Keys: []rulebook.Key{
		{Name: "levels", Kind: rulebook.Text},
		{Name: "years_absolute_secret", Kind: rulebook.Int}, {Name: "years_top_secret", Kind: rulebook.Int},
		{Name: "years_secret", Kind: rulebook.Int},
	},
}

// PageLayout is the layout of a document dated on a day, in the units the DOCX writer uses.
type PageLayout struct {
	Guide string // the guidance followed: "Hướng dẫn 36-HD/VPTW …"
	Font  string
	// BodySize in half-points; Line the line spacing in twips with its rule ("auto": Line/240
	// lines; "atLeast", "exact": points × 20); After the space after a paragraph in twips.
	BodySize, Line, After int
	LineRule              string
	// Margins in twips.
	Top, Bottom, Left, Right int
}

func mm(n int) int { return (n*14400 + 127) / 254 } // twips, rounded

// LayoutFor returns the layout in force on the document's date (the oldest known before 2018).
func LayoutFor(d time.Time) PageLayout { return layouts.At(d) }

var layouts = rulebook.Choose(func(in ...rulebook.InForce) PageLayout {
	s := in[0].Set
	l := PageLayout{Guide: s.Name, Font: s.Text("font"), BodySize: 2 * s.Int("body_size_pt"), LineRule: s.Text("line_rule"),
		After: 20 * s.Int("paragraph_after_pt"),
		Top:   mm(s.Int("margin_top_mm")), Bottom: mm(s.Int("margin_bottom_mm")), Left: mm(s.Int("margin_left_mm")), Right: mm(s.Int("margin_right_mm"))}
	if pt := s.Int("line_pt"); pt > 0 && l.LineRule != "auto" {
		l.Line = 20 * pt
	} else {
		l.LineRule, l.Line = "auto", 300 // 1.25 lines
	}
	return l
}, Layout)

// Protection is how long a secret document is protected: from the date its level was set, the
// period of the law in force that day.
type Protection struct {
	Years  int             `json:"years"`
	Until  string          `json:"until"` // ISO date, the last day protected
	Law    string          `json:"law"`
	Source rulebook.Source `json:"source"`
}

// ProtectionOf returns the protection period of a document of the level dated date; false for
// an ordinary document or a date before any recorded law (before 2019).
func ProtectionOf(level dangvu.Secrecy, date time.Time) (Protection, bool) {
	key := map[dangvu.Secrecy]string{dangvu.SecrecyAbsoluteSecret: "years_absolute_secret", dangvu.SecrecyTopSecret: "years_top_secret", dangvu.SecrecySecret: "years_secret"}[level]
	if key == "" {
		return Protection{}, false
	}
	s, ok := Secrecy.Book().For(date)
	if !ok {
		return Protection{}, false
	}
	v, _ := s.Value(key)
	n := s.Int(key)
	return Protection{Years: n, Until: dangvu.ISO(date.AddDate(n, 0, -1)), Law: s.Name, Source: v.Source}, true
}
