package httpapi

import (
	"html"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"dangvu/internal/reportout"
)

// pageFigure is one figure row of the report page.
type pageFigure struct{ Key, Label, Value, Period string }

var (
	figureRow  = regexp.MustCompile(`<tr data-key="([^"]+)"><td>([^<]*)</td><td class="num">(?:<a [^>]*>)?([^<]*)(?:</a>)?</td><td>([^<]*)</td></tr>`)
	exportLink = regexp.MustCompile(`href="(/reports/term/export\?[^"]*)"`)
)

// reportPageFigures reads the figures and the export links of a report page.
func reportPageFigures(t *testing.T, body string) (figs []pageFigure, exports []string) {
	t.Helper()
	for _, m := range figureRow.FindAllStringSubmatch(body, -1) {
		figs = append(figs, pageFigure{html.UnescapeString(m[1]), html.UnescapeString(m[2]), html.UnescapeString(m[3]), html.UnescapeString(m[4])})
	}
	for _, m := range exportLink.FindAllStringSubmatch(body, -1) {
		exports = append(exports, html.UnescapeString(m[1]))
	}
	if len(figs) == 0 {
		t.Fatalf("no figures on the report page:\n%.2000s", body)
	}
	return figs, exports
}

// checkDownloads compares the XLSX and DOCX behind a report page's links with its figures.
func checkDownloads(t *testing.T, figs []pageFigure, xlsx, docx []byte, asOf string) {
	t.Helper()
	x, err := reportout.ReadXLSX(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	d, err := reportout.ReadDOCX(docx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(x.Title, asOf) {
		t.Errorf("the XLSX is titled %q, not as of %s", x.Title, asOf)
	}
	for _, f := range figs {
		if got, ok := x.Figures[f.Key]; !ok || got != f.Value {
			t.Errorf("%s (%s): the page says %q, the XLSX %q", f.Label, f.Key, f.Value, got)
		}
		if got, ok := d.Figures[f.Label+" | "+f.Period]; !ok || got != f.Value {
			t.Errorf("%s (%s): the page says %q, the DOCX %q", f.Label, f.Period, f.Value, got)
		}
	}
}

// TestReportDownloadsMatchPage: the XLSX and DOCX linked from the report page carry the figures
// on screen for the period on screen, not the default period's (issue 13, defect 2).
func TestReportDownloadsMatchPage(t *testing.T) {
	srv := newTestServer(t)
	c := noRedirect()
	const path = "/reports/term?org=UB&to=31/05/2018&preset=article"
	status, body, _ := page(t, c, srv, http.MethodGet, path, nil)
	if status != http.StatusOK {
		t.Fatalf("%s: %d\n%s", path, status, body)
	}
	figs, exports := reportPageFigures(t, body)
	_, def, _ := page(t, c, srv, http.MethodGet, "/reports/term?org=UB", nil)
	defFigs, _ := reportPageFigures(t, def)
	// The check below only means something if the default period's values differ.
	defValue := map[string]string{}
	for _, f := range defFigs {
		defValue[f.Key] = f.Value
	}
	differ := 0
	for _, f := range figs {
		if defValue[f.Key] != f.Value {
			differ++
		}
	}
	if differ == 0 {
		t.Fatal("the default report has the same figures as 31/05/2018: the test cannot tell them apart")
	}
	if len(exports) != 2 || !strings.Contains(exports[0], "format=xlsx") || !strings.Contains(exports[1], "format=docx") {
		t.Fatalf("export links %q", exports)
	}
	files := make([][]byte, 2)
	for i, u := range exports {
		if !strings.Contains(u, "to=2018-05-31") || strings.Contains(u, "%3d") || strings.Contains(u, "%3D") {
			t.Errorf("export link %q does not carry the page's period as parameters", u)
		}
		resp, err := c.Get(srv.URL + u)
		if err != nil {
			t.Fatal(err)
		}
		files[i], _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", u, resp.StatusCode, files[i])
		}
	}
	checkDownloads(t, figs, files[0], files[1], "31/05/2018")
	t.Logf("%d figures compared with both files; %d differ from the default period", len(figs), differ)
}
