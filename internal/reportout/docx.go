package reportout

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/rules/documents"
	"dangvu/internal/vn"
)

// Letterhead is what the party document layout (Hướng dẫn 36-HD/VPTW, 2018; 05-HD/VPTW from
// 27/05/2026, chosen by the document's date: documents.LayoutFor) puts around the body
// of a report: the issuing body under its superior, the number and symbol, the place and date,
// the title, the recipients and the signature block.
type Letterhead struct {
	Superior    string    // "ĐẢNG BỘ TỈNH QUẢNG NINH"
	Issuer      string    // "THÀNH ỦY UÔNG BÍ"
	Symbol      string    // "BC/TU": printed "Số    -BC/TU", the number left blank for the office
	Place       string    // "Uông Bí"
	Date        time.Time // the date line
	Title       string    // "BÁO CÁO"
	Subtitle    string    // "Kết quả thực hiện …"
	Recipients  []string  // "Ban Thường vụ Tỉnh ủy (để b/c)", "Lưu VPTU"
	SignFor     string    // "T/M BAN THƯỜNG VỤ"
	SignerTitle string    // "BÍ THƯ"
	Signer      string    // the signer's name; blank leaves the line for a handwritten name
}

// DOCX writes a narrative report: the letterhead, the paragraphs, then a table of every figure
// with its period, as a WordprocessingML document on A4 with the margins, font, sizes and
// spacing of the layout guidance in force on the report's date (HD 36-HD/VPTW, then HD
// 05-HD/VPTW from 27/05/2026; rule area "layout").
func DOCX(w io.Writer, h Letterhead, paragraphs []string, r *dangvu.Report) error {
	l := documents.LayoutFor(h.Date)
	var body bytes.Buffer
	header(&body, h)
	para(&body, pOpt{align: "center", bold: true, size: 30, before: 240}, h.Title)
	for _, line := range strings.Split(h.Subtitle, "\n") {
		para(&body, pOpt{align: "center", bold: true}, line)
	}
	para(&body, pOpt{align: "center", after: 240}, "-----")
	for _, p := range paragraphs {
		para(&body, pOpt{align: "both", indent: 720, after: l.After, line: l.Line, lineRule: l.LineRule}, p)
	}
	if r != nil {
		para(&body, pOpt{bold: true, before: 240, after: 120}, "Số liệu chi tiết")
		figureTable(&body, r)
	}
	footer(&body, h)
	var doc bytes.Buffer
	doc.WriteString(xml.Header)
	doc.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	doc.Write(body.Bytes())
	// A4; the layout's margins (twentieths of a point).
	fmt.Fprintf(&doc, `<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>`, l.Top, l.Right, l.Bottom, l.Left)
	doc.WriteString(`</w:body></w:document>`)

	z := zip.NewWriter(w)
	files := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
		{"word/_rels/document.xml.rels", docRels},
		{"word/styles.xml", styles(l)},
		{"docProps/core.xml", coreProps(h, l)},
		{"word/document.xml", doc.String()},
	}
	for _, f := range files {
		fw, err := z.Create(f.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(fw, f.body); err != nil {
			return err
		}
	}
	return z.Close()
}

type pOpt struct {
	align               string // left, center, right, both
	bold, italic, under bool
	size                int    // half-points; 0 = the default 14 pt
	indent              int    // first-line indent, twips
	before, after, line int    // spacing, twips (line: 240 = single)
	lineRule            string // auto (default), atLeast or exact
	keepNext            bool
}

func esc(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func run(b *bytes.Buffer, o pOpt, text string) {
	b.WriteString(`<w:r><w:rPr>`)
	if o.bold {
		b.WriteString(`<w:b/>`)
	}
	if o.italic {
		b.WriteString(`<w:i/>`)
	}
	if o.under {
		b.WriteString(`<w:u w:val="single"/>`)
	}
	if o.size > 0 {
		fmt.Fprintf(b, `<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, o.size, o.size)
	}
	b.WriteString(`</w:rPr><w:t xml:space="preserve">`)
	b.WriteString(esc(text))
	b.WriteString(`</w:t></w:r>`)
}

func para(b *bytes.Buffer, o pOpt, text string) {
	b.WriteString(`<w:p><w:pPr>`)
	if o.keepNext {
		b.WriteString(`<w:keepNext/>`)
	}
	fmt.Fprintf(b, `<w:spacing w:before="%d" w:after="%d"`, o.before, o.after)
	if o.line > 0 {
		rule := o.lineRule
		if rule == "" {
			rule = "auto"
		}
		fmt.Fprintf(b, ` w:line="%d" w:lineRule="%s"`, o.line, rule)
	}
	b.WriteString(`/>`)
	if o.indent > 0 {
		fmt.Fprintf(b, `<w:ind w:firstLine="%d"/>`, o.indent)
	}
	if o.align != "" {
		fmt.Fprintf(b, `<w:jc w:val="%s"/>`, o.align)
	}
	b.WriteString(`</w:pPr>`)
	if text != "" {
		run(b, o, text)
	}
	b.WriteString(`</w:p>`)
}

// cellParas writes a table cell holding paragraphs; width in twips.
func cell(b *bytes.Buffer, width int, paras func()) {
	fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>`, width)
	paras()
	b.WriteString(`</w:tc>`)
}

// layoutTable starts a borderless two-column table, the way the header and signature blocks are
// laid out.
func layoutTable(b *bytes.Buffer, left, right int, cells func()) {
	fmt.Fprintf(b, `<w:tbl><w:tblPr><w:tblW w:w="%d" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblBorders>`+
		`<w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/>`+
		`</w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w="%d"/><w:gridCol w:w="%d"/></w:tblGrid><w:tr>`, left+right, left, right)
	cells()
	b.WriteString(`</w:tr></w:tbl>`)
}

func header(b *bytes.Buffer, h Letterhead) {
	layoutTable(b, 4200, 5150, func() {
		cell(b, 4200, func() {
			para(b, pOpt{align: "center", size: 28}, strings.ToUpper(h.Superior))
			para(b, pOpt{align: "center", bold: true, size: 28}, strings.ToUpper(h.Issuer))
			para(b, pOpt{align: "center"}, "*")
			para(b, pOpt{align: "center"}, "Số       -"+h.Symbol)
		})
		cell(b, 5150, func() {
			para(b, pOpt{align: "center", bold: true, under: true, size: 30}, "ĐẢNG CỘNG SẢN VIỆT NAM")
			para(b, pOpt{align: "center", italic: true, before: 240}, vn.LongDate(h.Place, h.Date))
		})
	})
}

func footer(b *bytes.Buffer, h Letterhead) {
	para(b, pOpt{}, "")
	layoutTable(b, 4200, 5150, func() {
		cell(b, 4200, func() {
			para(b, pOpt{under: true, size: 28}, "Nơi nhận:")
			for _, rcp := range h.Recipients {
				para(b, pOpt{size: 24}, "- "+rcp+",")
			}
		})
		cell(b, 5150, func() {
			para(b, pOpt{align: "center", bold: true}, h.SignFor)
			para(b, pOpt{align: "center", bold: true}, h.SignerTitle)
			para(b, pOpt{align: "center", italic: true, size: 24, before: 120, after: 1200}, "(ký, đóng dấu)")
			para(b, pOpt{align: "center", bold: true}, h.Signer)
		})
	})
}

// figureTable lists every figure with its period, bordered, in 12 pt.
func figureTable(b *bytes.Buffer, r *dangvu.Report) {
	widths := []int{600, 5050, 1900, 1800}
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="9350" w:type="dxa"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		fmt.Fprintf(b, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>`, side)
	}
	b.WriteString(`</w:tblBorders></w:tblPr><w:tblGrid>`)
	for _, wd := range widths {
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, wd)
	}
	b.WriteString(`</w:tblGrid>`)
	row := func(bold bool, cells ...string) {
		b.WriteString(`<w:tr>`)
		for i, c := range cells {
			align := "left"
			if i != 1 {
				align = "center"
			}
			cell(b, widths[i], func() { para(b, pOpt{align: align, bold: bold, size: 24}, c) })
		}
		b.WriteString(`</w:tr>`)
	}
	row(true, "TT", "Chỉ tiêu", "Số liệu", "Thời gian")
	i := 0
	for _, f := range r.Figures {
		if Identity(f.Key) {
			continue
		}
		i++
		row(false, fmt.Sprint(i), f.Label, Value(f), PeriodText(r, f.Key))
	}
	b.WriteString(`</w:tbl>`)
}

// PeriodText is a figure's period in words: "01/01/2015 – 31/05/2018" or "đến 31/05/2018".
func PeriodText(r *dangvu.Report, key string) string {
	from, to := Period(r, key)
	d := func(iso string) string { return Value(dangvu.Figure{Value: iso}) }
	if from == "" {
		return "đến " + d(to)
	}
	return d(from) + " – " + d(to)
}

// coreProps names the layout guidance followed in the document's description.
func coreProps(h Letterhead, l documents.PageLayout) string {
	return xml.Header + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + esc(h.Title+" "+h.Subtitle) + `</dc:title><dc:creator>` + esc(h.Issuer) + `</dc:creator>` +
		`<dc:description>` + esc("Thể thức theo "+l.Guide) + `</dc:description>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + h.Date.Format("2006-01-02") + `T00:00:00Z</dcterms:created></cp:coreProperties>`
}

const contentTypes = xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`</Types>`

const rootRels = xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`</Relationships>`

const docRels = xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
	`</Relationships>`

// styles sets the layout's font and body size for the whole document (Times New Roman 14 pt).
func styles(l documents.PageLayout) string {
	f := esc(l.Font)
	return xml.Header + `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
		`<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="` + f + `" w:hAnsi="` + f + `" w:eastAsia="` + f + `" w:cs="` + f + `"/>` +
		fmt.Sprintf(`<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, l.BodySize, l.BodySize) + `<w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault>` +
		`<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
		`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>` +
		`</w:styles>`
}
