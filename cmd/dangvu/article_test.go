package main

import (
	"bytes"
	"encoding/csv"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"dangvu/internal/vn"
)

// TestArticleFiguresAPI is issue 8's check on a fresh demo: the seed article's figures through
// the API, each over the period the article uses; the same organisation as of today is gone and
// its three wards report; and the XLSX and DOCX the page offers, opened by LibreOffice, carry the
// numbers the API and the page show.
func TestArticleFiguresAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo data set")
	}
	base := startDemoServer(t)
	c := loginClient(t, base, "ub.thuongvu", "demo-ub-thuongvu")
	report := func(q string) map[string]any {
		t.Helper()
		var r map[string]any
		fetchJSON(t, c, base+"/api/v1/reports/term?org="+url.QueryEscape("Đảng bộ thành phố Uông Bí")+"&"+q, &r)
		return r
	}
	num := func(r map[string]any, k string) float64 {
		t.Helper()
		v, ok := r[k].(float64)
		if !ok {
			t.Fatalf("%s missing or not a number: %v", k, r[k])
		}
		return v
	}
	equal := func(r map[string]any, want map[string]float64) {
		t.Helper()
		for k, w := range want {
			if got := num(r, k); got != w {
				t.Errorf("%s = %v, want %v", k, got, w)
			}
		}
	}
	equal(report("from=2015-01-01&to=2018-05-31"), map[string]float64{"admitted": 884, "admission_rate_pct_per_year": 4.05})
	dis := report("from=2016-10-30&to=2018-05-31&document=04-NQ/TW")
	equal(dis, map[string]float64{"action_programmes": 2, "conferences_at_org_level": 6})
	if v := num(dis, "study_coverage_pct"); v <= 95 {
		t.Errorf("study_coverage_pct = %v, want above 95", v)
	}
	ts, _ := report("from=2018-01-01&to=2018-05-31")["term_start"].(string)
	if ts == "" {
		t.Fatal("no term_start")
	}
	insp := report("from=" + ts + "&to=2018-05-31")
	equal(insp, map[string]float64{"committee_inspection_rounds": 10, "committee_inspected_organisations": 110, "disciplined_organisations": 2, "disciplined_members": 48})
	if v := num(insp, "grassroots_inspection_visits"); v <= 1300 {
		t.Errorf("grassroots_inspection_visits = %v, want above 1300", v)
	}
	if num(insp, "residential_cells") != num(insp, "secretary_is_village_head") {
		t.Errorf("residential cells %v, secretaries heading them %v", insp["residential_cells"], insp["secretary_is_village_head"])
	}
	equal(insp, map[string]float64{"agency_units": 211, "head_is_secretary": 206})

	// Today the city is gone: its wards report under the province.
	admin := loginClient(t, base, "admin", "demo-admin")
	resp, err := admin.Get(base + "/api/v1/reports/term?org=UB&from=2026-01-01&to=2026-11-27")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("the city as of today: %d, want 404", resp.StatusCode)
	}
	for _, ward := range []string{"QN-UONGBI", "QN-VANGDANH", "QN-YENTU"} {
		var r map[string]any
		fetchJSON(t, admin, base+"/api/v1/reports/term?org="+ward+"&from=2026-01-01&to=2026-11-27", &r)
		if m, _ := r["members"].(float64); m == 0 {
			t.Errorf("%s has no members today", ward)
		}
	}

	// The page and its exports, as of the article's date with its periods.
	q := "org=UB&to=31%2F05%2F2018&preset=article&document=04-NQ%2FTW"
	page := get(t, c, base+"/reports/term?"+q)
	for _, want := range []string{"884", "4,05%", "1.337", ">10<", ">110<", ">48<", "206", "211"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	bin, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("soffice is not installed; .ci/run installs it")
		}
		t.Skip("LibreOffice is not installed")
	}
	dir := t.TempDir()
	convert := func(name, body, filter string) string {
		t.Helper()
		in := filepath.Join(dir, name)
		if err := os.WriteFile(in, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", filter, "--outdir", dir, in)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice %s: %v: %s", name, err, out)
		}
		ext := strings.SplitN(filter, ":", 2)[0]
		b, err := os.ReadFile(strings.TrimSuffix(in, filepath.Ext(in)) + "." + ext)
		if err != nil {
			t.Fatalf("LibreOffice wrote nothing for %s: %v", name, err)
		}
		return string(b)
	}
	docx := convert("bao-cao.docx", get(t, c, base+"/reports/term/export?format=docx&"+q), "txt:Text")
	for _, want := range []string{"kết nạp 884 đảng viên, đạt tỷ lệ bình quân 4,05%/năm", "10 cuộc kiểm tra, giám sát đối với 110 tổ chức đảng",
		"thi hành kỷ luật 2 tổ chức đảng và 48 đảng viên", "206/211", "ban hành 2 chương trình hành động", "tổ chức 6 hội nghị"} {
		if !strings.Contains(docx, want) {
			t.Errorf("the DOCX, as LibreOffice reads it, lacks %q", want)
		}
	}
	// The summary sheet as CSV: key in the last column, value in the second.
	sheet := convert("bao-cao.xlsx", get(t, c, base+"/reports/term/export?format=xlsx&"+q), "csv")
	rows, err := csv.NewReader(strings.NewReader(sheet)).ReadAll()
	if err != nil {
		// Rows have different lengths: read them leniently.
		r := csv.NewReader(strings.NewReader(sheet))
		r.FieldsPerRecord = -1
		rows, _ = r.ReadAll()
	}
	values := map[string]string{}
	for _, r := range rows {
		if len(r) >= 4 {
			values[r[3]] = r[1]
		}
	}
	want := map[string]float64{"admitted": 884, "committee_inspection_rounds": 10, "committee_inspected_organisations": 110,
		"disciplined_members": 48, "disciplined_organisations": 2, "head_is_secretary": 206, "agency_units": 211,
		"action_programmes": 2, "conferences_at_org_level": 6, "grassroots_inspection_visits": num(insp, "grassroots_inspection_visits")}
	for k, w := range want {
		if got := values[k]; got != vn.FormatInt(int64(w)) && got != strings.ReplaceAll(vn.FormatInt(int64(w)), ".", "") {
			t.Errorf("XLSX (LibreOffice) %s = %q, want %v", k, got, w)
		}
	}
	if got := values["admission_rate_pct_per_year"]; got != "4.05" && got != "4,05" {
		t.Errorf("XLSX (LibreOffice) admission rate = %q", got)
	}
}

// get fetches a page or file with the client and returns its body.
func get(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	io.Copy(&b, resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %.300s", u, resp.StatusCode, b.String())
	}
	return b.String()
}
