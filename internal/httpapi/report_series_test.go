package httpapi

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"dangvu"
	"dangvu/internal/reportout"
)

var (
	seriesSection = regexp.MustCompile(`(?s)<section class="card report-group" data-key="([^"]+)">(.*?)</section>`)
	seriesYear    = regexp.MustCompile(`<g class="year" data-year="(\d+)"><title>[^<]*</title><rect [^>]*/><text class="value"[^>]*>([^<]*)</text>`)
)

// TestReportSeries: every column of the charts carries the figure of that year's report (from
// 01/01 to 31/12, or to the last day of an ended organisation), as the API computes it; the page
// is linked from the report page and draws its charts without script or outside assets.
func TestReportSeries(t *testing.T) {
	srv := newTestServer(t)
	c := noRedirect()
	if _, body, _ := page(t, c, srv, http.MethodGet, "/reports/term?org=UB&to=31/05/2018", nil); !strings.Contains(body, `href="/reports/series?org=UB"`) {
		t.Error("the report page does not link the charts")
	}
	for _, tc := range []struct {
		path, org string
		lastDay   string // the last year's end
		years     int
	}{
		{"/reports/series?org=UB&to=31/12/2020&years=6", "UB", "12-31", 6},
		{"/reports/series?org=UB", "UB", "06-30", 10}, // ended on 30/06/2025: its years up to that day
		{"/reports/series?org=PD&to=31/12/2021&years=8&key=members&key=admitted", "PD", "12-31", 8},
	} {
		status, body, _ := page(t, c, srv, http.MethodGet, tc.path, nil)
		if status != http.StatusOK {
			t.Fatalf("%s: %d %.500s", tc.path, status, body)
		}
		if strings.Contains(body, "<script") || strings.Contains(body, "http://") && !strings.Contains(body, `xmlns="http://www.w3.org/2000/svg"`) {
			t.Errorf("%s: script or outside asset", tc.path)
		}
		sections := seriesSection.FindAllStringSubmatch(body, -1)
		if len(sections) == 0 {
			t.Fatalf("%s: no chart", tc.path)
		}
		distinct := map[string]bool{}
		for _, sec := range sections {
			key := sec[1]
			cols := seriesYear.FindAllStringSubmatch(sec[2], -1)
			if len(cols) != tc.years {
				t.Errorf("%s %s: %d years drawn, want %d", tc.path, key, len(cols), tc.years)
			}
			for i, col := range cols {
				year := col[1]
				to := year + "-12-31"
				if i == len(cols)-1 {
					to = year + "-" + tc.lastDay
				}
				want := apiFigure(t, srv, fmt.Sprintf("/api/v1/reports/term?org=%s&from=%s-01-01&to=%s", tc.org, year, to), key)
				if got := html.UnescapeString(col[2]); got != want {
					t.Errorf("%s %s %s: the chart says %q, the report %q", tc.path, key, year, got, want)
				}
				distinct[key+col[2]] = true
			}
		}
		if len(distinct) <= len(sections) {
			t.Errorf("%s: every year has the same value: the comparison says little", tc.path)
		}
	}
	if status, body, _ := page(t, c, srv, http.MethodGet, "/reports/series?org=UB&key=khong_co", nil); status != http.StatusBadRequest || !strings.Contains(body, "khong_co") {
		t.Errorf("unknown key: %d %.300s", status, body)
	}
}

// apiFigure is a figure of the API's report, written as the pages write it.
func apiFigure(t *testing.T, srv *httptest.Server, u, key string) string {
	t.Helper()
	_, body, _ := page(t, noRedirect(), srv, http.MethodGet, u, nil)
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("%s: %v %.300s", u, err, body)
	}
	return reportout.Value(dangvu.Figure{Key: key, Value: m[key]})
}
