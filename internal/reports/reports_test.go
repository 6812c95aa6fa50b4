package reports_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"dangvu"
	"dangvu/internal/demo"
	"dangvu/internal/exchange"
	"dangvu/internal/reportout"
	"dangvu/internal/reports"
	"dangvu/internal/store"
	"dangvu/internal/storetest"
)

// demoSet is the demo data set, built once for every test of the package.
var demoSet = sync.OnceValues(func() (*exchange.Memory, error) {
	m := exchange.NewMemory()
	return m, demo.Build(m, 2018)
})

func demoStore(t *testing.T, open func(*testing.T) *store.Store) *store.Store {
	t.Helper()
	m, err := demoSet()
	if err != nil {
		t.Fatal(err)
	}
	s := open(t)
	if _, err := s.Import(context.Background(), m.Reader(), store.ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	return s
}

func day(s string) time.Time {
	t, err := dangvu.ParseISODate(s)
	if err != nil {
		panic(err)
	}
	return t
}

var engines = []struct {
	name string
	open func(*testing.T) *store.Store
}{{"sqlite", storetest.OpenSQLite}, {"postgres", storetest.OpenPostgres}}

// TestListsMatchFigures checks, for every figure that has a list behind it, that the list holds
// exactly as many records as the figure counts: for the city, a ward, a cell and the province,
// before and after the 2025 reorganisation, over each preset.
func TestListsMatchFigures(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			s := demoStore(t, e.open)
			ctx := context.Background()
			cases := []struct {
				org, to, preset, doc string
			}{
				{"UB", "2018-05-31", store.PresetArticle, "04-NQ/TW"},
				{"UB", "2018-05-31", store.PresetTerm, ""},
				{"UB", "2019-12-31", store.PresetYear, ""},
				{"QN", "2018-05-31", store.PresetArticle, ""},
				{"QN-UONGBI", "2026-11-27", store.PresetYear, ""},
				{"QN", "2026-11-27", store.PresetTerm, ""},
			}
			checked := 0
			for _, c := range cases {
				b, err := reports.Build(ctx, s, dangvu.ReportQuery{Org: c.org, To: day(c.to), Document: c.doc}, reports.Options{Preset: c.preset, Lists: true})
				if err != nil {
					t.Fatalf("%+v: %v", c, err)
				}
				for _, l := range b.Lists {
					n, ok := reportout.Number(b.Report, l.Key)
					if !ok || reportout.IsPercent(l.Key) {
						continue
					}
					if strings.HasSuffix(l.Key, "_vnd") {
						// An amount in đồng: its list holds the members it is owed or paid by
						// (their totals are checked by the dues conformance suite), not one row a đồng.
						if n > 0 && len(l.Rows) == 0 {
							t.Errorf("%+v: %s = %v but its list is empty", c, l.Key, n)
						}
						continue
					}
					checked++
					if int(n) != len(l.Rows) {
						t.Errorf("%+v: %s = %v but its list has %d rows", c, l.Key, n, len(l.Rows))
					}
					if len(l.Links) != 0 && len(l.Links) != len(l.Rows) {
						t.Errorf("%+v: %s: %d links for %d rows", c, l.Key, len(l.Links), len(l.Rows))
					}
					for i, r := range l.Rows {
						if len(r) != len(l.Columns) {
							t.Errorf("%+v: %s: row %d has %d cells for %d columns", c, l.Key, i, len(r), len(l.Columns))
							break
						}
					}
				}
			}
			if checked < 4 {
				t.Errorf("only %d lists checked", checked)
			}
		})
	}
}

// TestArticleReport is the seed article's report, computed by the real code from the demo's
// records with the article's periods (figures.md).
func TestArticleReport(t *testing.T) {
	s := demoStore(t, storetest.OpenSQLite)
	ctx := context.Background()
	b, err := reports.Build(ctx, s, dangvu.ReportQuery{Org: "Đảng bộ thành phố Uông Bí", To: day("2018-05-31"), Document: "04-NQ/TW"},
		reports.Options{Preset: store.PresetArticle, Lists: true})
	if err != nil {
		t.Fatal(err)
	}
	r := b.Report
	want := map[string]float64{
		"admitted": 884, "admission_rate_pct_per_year": 4.05,
		"residential_cells": 121, "secretary_is_village_head": 121,
		"agency_units": 211, "head_is_secretary": 206,
		"committee_inspection_rounds": 10, "committee_inspected_organisations": 110,
		"disciplined_organisations": 2, "disciplined_members": 48,
		"action_programmes": 2, "conferences_at_org_level": 6,
	}
	for k, v := range want {
		if got, ok := reportout.Number(r, k); !ok || got != v {
			t.Errorf("%s = %v (present %v), want %v", k, got, ok, v)
		}
	}
	if v, _ := reportout.Number(r, "study_coverage_pct"); v <= 95 {
		t.Errorf("study_coverage_pct = %v, want over 95", v)
	}
	if got := reportout.Text(r, "from_dissemination"); got != "2016-10-30" {
		t.Errorf("Resolution 4 work counted from %q, want its date 2016-10-30", got)
	}
	if v, _ := reportout.Number(r, "grassroots_inspection_visits"); v <= 1300 {
		t.Errorf("grassroots_inspection_visits = %v, want over 1.300", v)
	}
	if got := reportout.Text(r, "from_admission"); got != "2015-01-01" {
		t.Errorf("admissions counted from %q, want 2015-01-01", got)
	}
	if got := reportout.Text(r, "from"); got != reportout.Text(r, "term_start") || got == "" {
		t.Errorf("the term preset starts on %q, the term on %q", got, reportout.Text(r, "term_start"))
	}

	// DOCX: a valid package whose text carries the figures in the article's words.
	var docx bytes.Buffer
	if err := b.DOCX(ctx, s, &docx); err != nil {
		t.Fatal(err)
	}
	text := docxText(t, docx.Bytes())
	for _, want := range []string{
		"kết nạp 884 đảng viên, đạt tỷ lệ bình quân 4,05%/năm",
		"ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG BỘ TỈNH QUẢNG NINH", "Uông Bí, ngày 31 tháng 5 năm 2018",
		"121/121 chi bộ thôn, khu dân cư", "206/211 cơ quan, đơn vị", "Nơi nhận:", "T/M BAN THƯỜNG VỤ",
		"10 cuộc kiểm tra, giám sát đối với 110 tổ chức đảng", "thi hành kỷ luật 2 tổ chức đảng và 48 đảng viên",
		"Thực hiện Nghị quyết số 04-NQ/TW, từ ngày 30/10/2016 đến ngày 31/05/2018, cấp ủy đã ban hành 2 chương trình hành động, kế hoạch; tổ chức 6 hội nghị",
		"Công tác kiểm điểm, đánh giá, xếp loại",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("DOCX lacks %q", want)
		}
	}
	if bin, err := exec.LookPath("soffice"); err == nil {
		// LibreOffice must open it: convert it to text and find the sentence again.
		dir := t.TempDir()
		in := filepath.Join(dir, "bao-cao.docx")
		os.WriteFile(in, docx.Bytes(), 0o644)
		cmd := exec.Command(bin, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", "txt:Text", "--outdir", dir, in)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice: %v: %s", err, out)
		}
		txt, err := os.ReadFile(filepath.Join(dir, "bao-cao.txt"))
		if err != nil {
			t.Fatalf("LibreOffice wrote no text: %v", err)
		}
		if !strings.Contains(string(txt), "đạt tỷ lệ bình quân 4,05%/năm") {
			t.Errorf("LibreOffice's text lacks the admission sentence:\n%s", txt)
		}
	} else if os.Getenv("CI") != "" {
		t.Error("soffice is not installed; .ci/run installs it so that the DOCX is opened by LibreOffice")
	}

	// XLSX: the summary first, then one sheet per list.
	var xl bytes.Buffer
	if err := b.XLSX(&xl); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&xl)
	if err != nil {
		t.Fatal(err)
	}
	sheets := f.GetSheetList()
	if sheets[0] != "Tổng hợp" || len(sheets) != 1+len(b.Lists) {
		t.Errorf("sheets %q for %d lists", sheets, len(b.Lists))
	}
	rows, _ := f.GetRows("Tổng hợp", excelize.Options{RawCellValue: true})
	found := false
	for _, row := range rows {
		if len(row) >= 4 && row[3] == "admitted" && row[1] == "884" && row[2] == "01/01/2015 – 31/05/2018" {
			found = true
		}
	}
	if !found {
		t.Errorf("the summary sheet lacks the admissions row: %q", rows)
	}
}

// docxText returns the text of word/document.xml, paragraphs on their own lines, after checking
// that every part of the package is well-formed XML.
func docxText(t *testing.T, b []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for _, f := range z.File {
		rc, _ := f.Open()
		dec := xml.NewDecoder(rc)
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", f.Name, err)
			}
			if f.Name != "word/document.xml" {
				continue
			}
			switch el := tok.(type) {
			case xml.CharData:
				text.Write(el)
			case xml.EndElement:
				if el.Name.Local == "p" {
					text.WriteByte('\n')
				}
			}
		}
		rc.Close()
	}
	return text.String()
}
