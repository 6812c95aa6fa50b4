package rulebook

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func testArea() *Area {
	return &Area{
		Name: "demo", Label: "Thử",
		Files: fstest.MapFS{
			"sets.csv": {Data: []byte("id,name,from,to,citation,confidence,note\n" +
				"A,Bộ A,2016-07-25,,QĐ 29-QĐ/TW,confirmed,\n" +
				"B,Bộ B,2021-07-30,,QĐ 24-QĐ/TW,secondary,\n")},
			"values.csv": {Data: []byte("set,key,label,value,citation,confidence,note\n" +
				"A,days,Hạn,60,QĐ 29 mục 4.3.1,confirmed,\n" +
				"A,vote,,2/3,Điều lệ Điều 4 khoản 3,confirmed,\n" +
				"B,days,Hạn,60,QĐ 24 mục 4.3.1,confirmed,\n" +
				"B,vote,,2/3,Điều lệ Điều 4 khoản 3,unconfirmed,\n")},
		},
		Keys: []Key{{Name: "days", Kind: Int, Label: "Hạn"}, {Name: "vote", Kind: Ratio, Label: "Tỉ lệ biểu quyết"}},
	}
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestForPicksSetInForce(t *testing.T) {
	b := testArea().Book()
	for _, c := range []struct {
		on   time.Time
		want string
	}{{day(2016, 7, 24), ""}, {day(2016, 7, 25), "A"}, {day(2021, 7, 29), "A"}, {day(2021, 7, 30), "B"}, {day(2030, 1, 1), "B"}} {
		s, ok := b.For(c.on)
		got := ""
		if ok {
			got = s.ID
		}
		if got != c.want {
			t.Errorf("For(%s) = %q, want %q", c.on.Format(time.DateOnly), got, c.want)
		}
	}
	a, _ := b.ByID("A")
	if n, d := a.Ratio("vote"); a.Int("days") != 60 || n != 2 || d != 3 {
		t.Errorf("A values: days %d vote %d/%d", a.Int("days"), n, d)
	}
	if v, _ := a.Value("vote"); v.Label != "Tỉ lệ biểu quyết" {
		t.Errorf("empty label not defaulted from the key: %q", v.Label)
	}
	bs, _ := b.ByID("B")
	if got := bs.Cite("vote"); got != "Điều lệ Điều 4 khoản 3 (chưa xác minh)" {
		t.Errorf("Cite of an unconfirmed value = %q", got)
	}
	if got := bs.Cite("days"); got != "QĐ 24 mục 4.3.1" {
		t.Errorf("Cite of a confirmed value = %q", got)
	}
}

func TestExplicitEndLeavesGap(t *testing.T) {
	a := testArea()
	a.Files.(fstest.MapFS)["sets.csv"] = &fstest.MapFile{Data: []byte("id,name,from,to,citation,confidence,note\n" +
		"A,Bộ A,2016-07-25,2016-12-31,QĐ 29-QĐ/TW,confirmed,\nB,Bộ B,2021-07-30,,QĐ 24-QĐ/TW,secondary,\n")}
	b := a.Book()
	if _, ok := b.For(day(2017, 1, 1)); ok {
		t.Error("a day after an explicit end and before the next set found a set")
	}
}

func write(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestOverrideMarksLocalAndInherits(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "demo/sets.csv", "id,name,from,to,citation,confidence,note\nC,Bộ C của tỉnh,2026-07-26,,QĐ 208-QĐ/TW,secondary,\n")
	write(t, dir, "demo/values.csv", "set,key,label,value,citation,confidence,note\nC,days,,30,HD 01-HD/TW 2026,secondary,\nA,vote,,3/4,Sửa thử,unconfirmed,\n")
	a := testArea()
	if err := LoadAll(dir, []*Area{a}); err != nil {
		t.Fatal(err)
	}
	b := a.Book()
	c, ok := b.For(day(2026, 12, 1))
	if !ok || c.ID != "C" || !c.Local {
		t.Fatalf("2026-12-01: %+v", c)
	}
	if c.Int("days") != 30 {
		t.Errorf("C days = %d", c.Int("days"))
	}
	if v, _ := c.Value("vote"); v.Local || v.Source.Citation != "Điều lệ Điều 4 khoản 3" {
		t.Errorf("C did not inherit B's vote unchanged: %+v", v)
	}
	if v, _ := c.Value("days"); !v.Local {
		t.Error("overridden value not marked local")
	}
	bs, _ := b.ByID("B")
	if v, _ := bs.Value("days"); v.Local || v.Text != "60" {
		t.Errorf("B changed by C's override: %+v", v)
	}
	as, _ := b.ByID("A")
	if n, d := as.Ratio("vote"); n != 3 || d != 4 || !strings.Contains(as.Cite("vote"), "do đơn vị sửa") {
		t.Errorf("A vote override: %d/%d %q", n, d, as.Cite("vote"))
	}
	if !b.Local() {
		t.Error("book not marked local")
	}
	// Loading no folder restores the embedded rules.
	if err := a.Load(""); err != nil || a.Book().Local() {
		t.Errorf("reset: %v, local %v", err, a.Book().Local())
	}
}

func TestOverrideErrorsNameFileLineField(t *testing.T) {
	for _, c := range []struct {
		name, file, body string
		want             []string
	}{
		{"bad value", "demo/values.csv", "set,key,label,value,citation,confidence,note\nA,days,,sáu mươi,QĐ,confirmed,\n", []string{"values.csv dòng 2, cột value", "sáu mươi"}},
		{"no citation", "demo/values.csv", "set,key,label,value,citation,confidence,note\n\nA,days,,30,,confirmed,\n", []string{"values.csv dòng 3, cột citation"}},
		{"bad confidence", "demo/values.csv", "set,key,label,value,citation,confidence,note\nA,days,,30,QĐ,chắc,\n", []string{"cột confidence"}},
		{"conflict without note", "demo/values.csv", "set,key,label,value,citation,confidence,note\nA,days,,30,QĐ,conflict,\n", []string{"cột note"}},
		{"unknown key", "demo/values.csv", "set,key,label,value,citation,confidence,note\nA,dayz,,30,QĐ,confirmed,\n", []string{"cột key", "dayz"}},
		{"unknown set", "demo/values.csv", "set,key,label,value,citation,confidence,note\nZ,days,,30,QĐ,confirmed,\n", []string{"cột set"}},
		{"bad date", "demo/sets.csv", "id,name,from,to,citation,confidence,note\nC,Bộ C,26/07/2026,,QĐ,secondary,\n", []string{"sets.csv dòng 2, cột from"}},
		{"same start", "demo/sets.csv", "id,name,from,to,citation,confidence,note\nC,Bộ C,2021-07-30,,QĐ,secondary,\n", []string{"sets.csv dòng 2, cột from", "cùng ngày"}},
		{"bad header", "demo/sets.csv", "id,name,from\n", []string{"sets.csv dòng 1", "tiêu đề"}},
		{"short row", "demo/values.csv", "set,key,label,value,citation,confidence,note\nA,days,60\n", []string{"values.csv dòng 2", "cần 7 cột"}},
		{"misspelt area", "demos/values.csv", "set,key,label,value,citation,confidence,note\n", []string{"demos", "không có lĩnh vực"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, c.file, c.body)
			a := testArea()
			err := LoadAll(dir, []*Area{a})
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("error %v is not Errors", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if a.Book().Local() {
				t.Error("a refused folder changed the rules")
			}
		})
	}
}

func TestProblemString(t *testing.T) {
	for _, c := range []struct {
		p    Problem
		want string
	}{
		{Problem{Reason: "r"}, "r"},
		{Problem{Reason: "r", Set: "QĐ 29"}, "r (QĐ 29)"},
		{Problem{Reason: "r", Source: Source{Citation: "Điều 4", Confidence: Confirmed}}, "r (Điều 4)"},
		{Problem{Reason: "r", Set: "QĐ 29", Source: Source{Citation: "Điều 4", Confidence: Secondary}}, "r (QĐ 29 — Điều 4 (nguồn thứ cấp))"},
		{Problem{Reason: "r", Set: "QĐ 29", Source: Source{Citation: "Điều 4", Confidence: Confirmed, Local: true}}, "r (QĐ 29 — Điều 4 (giá trị do đơn vị sửa))"},
	} {
		if got := c.p.String(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.p, got, c.want)
		}
	}
}

func TestAtFallsBackToOldest(t *testing.T) {
	b := testArea().Book()
	if got := b.At(day(2000, 1, 1)).ID; got != "A" {
		t.Errorf("At before every set = %s, want the oldest, A", got)
	}
	if got := b.At(day(2022, 1, 1)).ID; got != "B" {
		t.Errorf("At(2022) = %s, want B", got)
	}
	a, _ := b.ByID("A")
	if s := a.SourceOf("vote"); s.Citation != "Điều lệ Điều 4 khoản 3" || s.Local {
		t.Errorf("SourceOf = %+v", s)
	}
	if s := a.SourceOf("nothing"); s.Citation != "Bộ A" || s.Confidence != "" {
		t.Errorf("SourceOf an absent key = %+v, want the set's name unmarked", s)
	}
}
