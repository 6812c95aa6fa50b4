package httpapi

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"dangvu/web"
)

var (
	tmplComment = regexp.MustCompile(`(?s)\{\{-?\s*/\*.*?\*/\s*-?\}\}`)
	tmplDefine  = regexp.MustCompile(`\{\{-?\s*define "([^"]+)"\s*-?\}\}`)
	tmplAction  = regexp.MustCompile(`(?s)\{\{-?\s*(.*?)\s*-?\}\}`)
	htmlForm    = regexp.MustCompile(`(?s)<form\b[^>]*>.*?</form>`)
	htmlLabel   = regexp.MustCompile(`<label\b`)
)

// fieldPartial names the templates of the one field partial (layout.html), the only place a
// form's <label> is written.
var fieldPartial = map[string]bool{"field": true, "field-aria": true, "field-after": true, "choices": true}

// TestLabelsThroughTheFieldPartial fails on a template that writes a labelled input itself
// instead of through the one field partial ({{template "field" (input …)}}, html_form.go), which
// gives every input its label, its error beside it with aria-describedby and aria-invalid, and
// its candidates. Exempt: the filters of a list (a GET form: its errors are the error page's, never a
// write's). An input of a line of a sheet has no <label> but an aria-label, and is not one.
func TestLabelsThroughTheFieldPartial(t *testing.T) {
	files, err := fs.Glob(web.Templates, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	prints, _ := fs.Glob(web.Templates, "templates/print/*.html")
	n := 0
	for _, name := range append(files, prints...) {
		b, err := fs.ReadFile(web.Templates, name)
		if err != nil {
			t.Fatal(err)
		}
		for _, at := range strayLabels(string(b)) {
			t.Errorf("web/%s:%d: a <label> outside the field partial: write the input with {{template \"field\" (input NAME LABEL VALUE ERROR …)}} (html_form.go), or give a line of a sheet an aria-label", name, at)
		}
		n++
	}
	if n < 40 {
		t.Fatalf("read %d templates", n)
	}
	// The check itself: it sees a label in a form that writes, not in a list's filters nor in the
	// partial.
	sample := `{{define "field"}}<label for="x">X</label>{{end}}
<form method="get" class="filters"><label>Tổ chức <input name="org"></label></form>
<form method="post" action="/x"><label for="f-a">A</label><input id="f-a" name="a"></form>`
	if got := strayLabels(sample); len(got) != 1 || got[0] != 3 {
		t.Errorf("strayLabels of the sample = %v, want [3]", got)
	}
}

// strayLabels returns the lines of a template's labels outside the field partial and outside the
// filters of a list.
func strayLabels(text string) []int {
	blank := func(s string) string { // keeps the line count
		return strings.Map(func(r rune) rune {
			if r == '\n' {
				return r
			}
			return ' '
		}, s)
	}
	text = tmplComment.ReplaceAllStringFunc(text, blank)
	// The partial's definitions, each to its own {{end}}.
	for _, d := range tmplDefine.FindAllStringSubmatchIndex(text, -1) {
		if fieldPartial[text[d[2]:d[3]]] {
			end := defineEnd(text, d[0])
			text = text[:d[0]] + blank(text[d[0]:end]) + text[end:]
		}
	}
	text = htmlForm.ReplaceAllStringFunc(text, func(f string) string {
		head := f[:strings.Index(f, ">")]
		if strings.Contains(head, `method="get"`) || strings.Contains(head, `class="filters`) {
			return blank(f)
		}
		return f
	})
	var lines []int
	for _, m := range htmlLabel.FindAllStringIndex(text, -1) {
		lines = append(lines, strings.Count(text[:m[0]], "\n")+1)
	}
	return lines
}

// defineEnd is where the define starting at from ends: after the {{end}} that closes it.
func defineEnd(text string, from int) int {
	depth := 0
	for _, m := range tmplAction.FindAllStringSubmatchIndex(text[from:], -1) {
		word, _, _ := strings.Cut(text[from+m[2]:from+m[3]], " ")
		switch word {
		case "if", "range", "with", "define", "block":
			depth++
		case "end":
			if depth--; depth == 0 {
				return from + m[1]
			}
		}
	}
	return len(text)
}
