package documents

import (
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/rulebook"
)

func d(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// The layout follows the document's date: HD 36-HD/VPTW (2018), HD 05-HD/VPTW from 27/05/2026
// (line spacing at least 18 pt, paragraphs 6 pt apart, top margin 20 mm: question bank, secondary).
func TestLayoutFor(t *testing.T) {
	for _, tc := range []struct {
		day, guide, rule string
		line             int
	}{
		{"2015-01-01", "36-HD/VPTW", "auto", 300},
		{"2018-05-31", "36-HD/VPTW", "auto", 300},
		{"2026-05-26", "36-HD/VPTW", "auto", 300},
		{"2026-05-27", "05-HD/VPTW", "atLeast", 360},
		{"2026-12-01", "05-HD/VPTW", "atLeast", 360},
	} {
		l := LayoutFor(d(tc.day))
		if !strings.Contains(l.Guide, tc.guide) || l.LineRule != tc.rule || l.Line != tc.line || l.After != 120 || l.Top != 1134 || l.Font != "Times New Roman" || l.BodySize != 28 {
			t.Errorf("%s: %+v", tc.day, l)
		}
	}
}

// Protection periods from the date the level was set: 30/20/10 years under Law 29/2018/QH14 Art. 19
// (periods in force from 01/01/2019) and Law 117/2025/QH15 (from 01/03/2026); none before 2019
// or for an ordinary document.
func TestProtection(t *testing.T) {
	for _, tc := range []struct {
		level      dangvu.Secrecy
		day, until string
		law        string
		conf       rulebook.Confidence
	}{
		{dangvu.SecrecyAbsoluteSecret, "2020-06-15", "2050-06-14", "29/2018/QH14", rulebook.Confirmed},
		{dangvu.SecrecyTopSecret, "2020-06-15", "2040-06-14", "29/2018/QH14", rulebook.Confirmed},
		{dangvu.SecrecySecret, "2026-02-28", "2036-02-27", "29/2018/QH14", rulebook.Confirmed},
		{dangvu.SecrecySecret, "2026-03-01", "2036-02-29", "117/2025/QH15", rulebook.Secondary},
		{dangvu.SecrecyNone, "2026-03-01", "", "", ""},
		{dangvu.SecrecySecret, "2018-05-31", "", "", ""},
	} {
		p, ok := ProtectionOf(tc.level, d(tc.day))
		if ok != (tc.until != "") || ok && (p.Until != tc.until || !strings.Contains(p.Law, tc.law) || p.Source.Confidence != tc.conf) {
			t.Errorf("%s %s: %+v %v", tc.level, tc.day, p, ok)
		}
	}
}

// The kinds and authority of QĐ 399-QĐ/TW from 09/01/2026 (a cell may issue projects, plans and
// schemes; an official letter has no kind name; recipients are required).
func TestDocumentRules(t *testing.T) {
	b := Kinds.Book()
	s, ok := b.For(d("2026-12-01"))
	if !ok || s.ID != "QD399-2026" || !strings.Contains(s.Text("kinds"), "chiến lược") || !strings.Contains(s.Text("cell_kinds"), "đề án") || s.Bool("letter_kind_name") || !s.Bool("recipients_required") {
		t.Errorf("2026: %+v", s)
	}
	if s, ok := b.For(d("2018-05-31")); !ok || s.ID != "QD66-2017" || strings.Contains(s.Text("kinds"), "chiến lược") {
		t.Errorf("2018: %+v", s)
	}
	for _, a := range []*rulebook.Area{Kinds, Layout, Secrecy} {
		for _, s := range a.Book().Sets {
			for _, v := range s.Values {
				if v.Source.Citation == "" || !v.Source.Confidence.Valid() {
					t.Errorf("%s/%s/%s: %+v", a.Name, s.ID, v.Key, v.Source)
				}
			}
		}
	}
}
