package httpapi

import (
	"bytes"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

var (
	listLink     = regexp.MustCompile(`href="(/reports/term/list\?[^"]*)"`)
	listXLSXLink = regexp.MustCompile(`href="(/reports/term/list/export\?[^"]*)"`)
	listRow      = regexp.MustCompile(`<tr><td>\d+</td><td>(?:<a [^>]*>)?([^<]*)`)
)

// TestReportListsXLSX opens every list linked from the report page and its XLSX: the workbook
// has the page's rows in the page's order, and names the organisation and period.
func TestReportListsXLSX(t *testing.T) {
	srv := newTestServer(t)
	c := noRedirect()
	_, body, _ := page(t, c, srv, http.MethodGet, "/reports/term?org=UB&to=31/05/2018&preset=article", nil)
	links := listLink.FindAllStringSubmatch(body, -1)
	if len(links) == 0 {
		t.Fatal("the report page links no list")
	}
	rowsSeen := 0
	for _, m := range links {
		u := html.UnescapeString(m[1])
		status, lp, _ := page(t, c, srv, http.MethodGet, u, nil)
		if status != http.StatusOK {
			t.Fatalf("%s: %d", u, status)
		}
		x := listXLSXLink.FindStringSubmatch(lp)
		if x == nil {
			t.Fatalf("%s: no XLSX link", u)
		}
		xu := html.UnescapeString(x[1])
		if !strings.Contains(xu, "to=2018-05-31") || !strings.Contains(xu, "key=") {
			t.Errorf("%s: the XLSX link %q lacks the page's period or key", u, xu)
		}
		status, xb, resp := page(t, c, srv, http.MethodGet, xu, nil)
		if status != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("%s: %d %s", xu, status, resp.Header.Get("Content-Type"))
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(xb)))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(f.GetSheetName(0), excelize.Options{RawCellValue: true})
		f.Close()
		var want []string
		for _, r := range listRow.FindAllStringSubmatch(lp, -1) {
			want = append(want, html.UnescapeString(r[1]))
		}
		if len(rows) < 3 || !strings.Contains(rows[1][0], "Đảng bộ thành phố Uông Bí") {
			t.Errorf("%s: the sheet does not name the organisation: %q", xu, rows)
			continue
		}
		got := rows[3:]
		if len(got) != len(want) {
			t.Errorf("%s: the page lists %d rows, the XLSX %d", u, len(want), len(got))
			continue
		}
		for i := range want {
			if len(got[i]) < 2 || got[i][1] != want[i] {
				t.Errorf("%s row %d: the page says %q, the XLSX %q", u, i+1, want[i], got[i])
			}
		}
		rowsSeen += len(want)
	}
	if rowsSeen == 0 {
		t.Error("every list is empty: the comparison says nothing")
	}
	t.Logf("%d lists, %d rows compared", len(links), rowsSeen)
}
