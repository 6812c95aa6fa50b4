package reportout

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"dangvu/internal/rules/documents"
	"dangvu/internal/vn"
)

// A standard form of the member's file (1-HSĐV, 2-HSĐV, the yearly supplement, the party-age
// certificate) filled from the record, as a DOCX in the party document layout: the form's code
// top right, the issuing body and the party's name, the title, numbered items with their values,
// tables, and the signature blocks. The caller lists what the form needs and the record lacks
// before writing one (the form is never printed blank).

// FormItem is one numbered line of a form: its label and the record's value.
type FormItem struct {
	No    string // "1", "11.a"; "" for an unnumbered line
	Label string
	Value string
}

// FormTable is a bordered table of a form.
type FormTable struct {
	Caption string
	Header  []string
	Widths  []int // twips; they add up to about 9350
	Rows    [][]string
}

// FormSign is a signature block: who signs, for whom.
type FormSign struct {
	For, Title, Hint, Name string
}

// FormDoc is a form to write.
type FormDoc struct {
	Code     string // "Mẫu 1-HSĐV"
	Superior string // "ĐẢNG BỘ TỈNH QUẢNG NINH"
	Issuer   string // "ĐẢNG ỦY PHƯỜNG YÊN TỬ"
	Place    string
	Date     time.Time
	Title    string
	Subtitle string
	Items    []FormItem
	Tables   []FormTable
	Closing  []string   // paragraphs after the tables (a commitment, a certification)
	Signs    []FormSign // left to right: one or two
}

// FormDOCX writes a form.
func FormDOCX(w io.Writer, f FormDoc) error {
	l := documents.LayoutFor(f.Date)
	var body bytes.Buffer
	para(&body, pOpt{align: "right", bold: true, size: 24}, f.Code)
	layoutTable(&body, 4200, 5150, func() {
		cell(&body, 4200, func() {
			if f.Superior != "" {
				para(&body, pOpt{align: "center", size: 28}, strings.ToUpper(f.Superior))
			}
			para(&body, pOpt{align: "center", bold: true, size: 28}, strings.ToUpper(f.Issuer))
			para(&body, pOpt{align: "center"}, "*")
		})
		cell(&body, 5150, func() {
			para(&body, pOpt{align: "center", bold: true, under: true, size: 30}, "ĐẢNG CỘNG SẢN VIỆT NAM")
			para(&body, pOpt{align: "center", italic: true, before: 240}, vn.LongDate(f.Place, f.Date))
		})
	})
	para(&body, pOpt{align: "center", bold: true, size: 30, before: 240}, f.Title)
	if f.Subtitle != "" {
		para(&body, pOpt{align: "center", italic: true}, f.Subtitle)
	}
	para(&body, pOpt{align: "center", after: 240}, "-----")
	for _, it := range f.Items {
		label := it.Label
		if it.No != "" {
			label = it.No + ". " + label
		}
		body.WriteString(`<w:p><w:pPr>`)
		fmt.Fprintf(&body, `<w:spacing w:before="0" w:after="60" w:line="%d" w:lineRule="auto"/><w:jc w:val="both"/></w:pPr>`, 276)
		run(&body, pOpt{}, label+": ")
		run(&body, pOpt{bold: true}, it.Value)
		body.WriteString(`</w:p>`)
	}
	for _, t := range f.Tables {
		para(&body, pOpt{bold: true, before: 180, after: 60, keepNext: true}, t.Caption)
		formTable(&body, t)
	}
	for _, c := range f.Closing {
		para(&body, pOpt{align: "both", indent: 720, before: 120, after: l.After, line: l.Line, lineRule: l.LineRule}, c)
	}
	para(&body, pOpt{}, "")
	if len(f.Signs) > 0 {
		widths := []int{9350}
		if len(f.Signs) == 2 {
			widths = []int{4675, 4675}
		}
		fmt.Fprintf(&body, `<w:tbl><w:tblPr><w:tblW w:w="9350" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblBorders>`+
			`<w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/>`+
			`</w:tblBorders></w:tblPr><w:tblGrid>`)
		for _, w := range widths {
			fmt.Fprintf(&body, `<w:gridCol w:w="%d"/>`, w)
		}
		body.WriteString(`</w:tblGrid><w:tr>`)
		for i, s := range f.Signs {
			if i >= len(widths) {
				break
			}
			cell(&body, widths[i], func() {
				if s.For != "" {
					para(&body, pOpt{align: "center", bold: true}, s.For)
				}
				para(&body, pOpt{align: "center", bold: true}, s.Title)
				para(&body, pOpt{align: "center", italic: true, size: 24, before: 60, after: 1200}, s.Hint)
				para(&body, pOpt{align: "center", bold: true}, s.Name)
			})
		}
		body.WriteString(`</w:tr></w:tbl>`)
	}
	var doc bytes.Buffer
	doc.WriteString(xml.Header)
	doc.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	doc.Write(body.Bytes())
	fmt.Fprintf(&doc, `<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>`, l.Top, l.Right, l.Bottom, l.Left)
	doc.WriteString(`</w:body></w:document>`)
	z := zip.NewWriter(w)
	files := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
		{"word/_rels/document.xml.rels", docRels},
		{"word/styles.xml", styles(l)},
		{"docProps/core.xml", coreProps(Letterhead{Title: f.Title, Issuer: f.Issuer, Date: f.Date}, l)},
		{"word/document.xml", doc.String()},
	}
	for _, x := range files {
		fw, err := z.Create(x.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(fw, x.body); err != nil {
			return err
		}
	}
	return z.Close()
}

// formTable writes a bordered table in 12 pt with a bold header row.
func formTable(b *bytes.Buffer, t FormTable) {
	total := 0
	for _, w := range t.Widths {
		total += w
	}
	fmt.Fprintf(b, `<w:tbl><w:tblPr><w:tblW w:w="%d" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblBorders>`+
		`<w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/>`+
		`<w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders></w:tblPr><w:tblGrid>`, total)
	for _, w := range t.Widths {
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, w)
	}
	b.WriteString(`</w:tblGrid>`)
	row := func(cells []string, bold bool) {
		b.WriteString(`<w:tr>`)
		for i, c := range cells {
			w := 1000
			if i < len(t.Widths) {
				w = t.Widths[i]
			}
			cell(b, w, func() { para(b, pOpt{size: 24, bold: bold, align: map[bool]string{true: "center"}[bold]}, c) })
		}
		b.WriteString(`</w:tr>`)
	}
	row(t.Header, true)
	for _, r := range t.Rows {
		row(r, false)
	}
	b.WriteString(`</w:tbl>`)
}
