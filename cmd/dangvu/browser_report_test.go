package main

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dangvu/internal/reportout"
)

// TestBrowserReport is issue 8's story: the city's organisation staff open the report for Uông Bí
// as of 31/05/2018 with the article's periods, see the figures with their periods, follow one
// down to its list and come back, and find the exports.
func TestBrowserReport(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser and loads the demo data set")
	}
	if chrome, reason := findChrome(); chrome == "" {
		t.Skip(reason)
	}
	base := startDemoServer(t)
	b := newBrowser(t, base)
	b.do("log in as the city's organisation staff", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(`#username`),
		chromedp.SendKeys(`#username`, "ub.tochuc"), chromedp.SendKeys(`#password`, "demo-ub-tochuc"),
		chromedp.Click(`form[action="/login"] button[type=submit]`), chromedp.WaitVisible(`nav.main`))
	home := b.text("home", `main`)
	for _, want := range []string{"Đảng bộ thành phố Uông Bí", "30/06/2025", "Năm nay so với cùng kỳ năm trước"} {
		if !strings.Contains(home, want) {
			t.Errorf("the home page of a user whose committee ended on 30/06/2025 lacks %q:\n%.800s", want, home)
		}
	}
	b.screenshot("report-00-home")
	b.do("open the report from the menu", chromedp.Click(`nav.main a[href="/reports/term"]`), chromedp.WaitVisible(`form.filters`))
	b.do("ask for 31/05/2018, the article's periods and Resolution 4",
		chromedp.SetValue(`input[name=to]`, "31/05/2018"),
		chromedp.SetValue(`select[name=preset]`, "article"),
		chromedp.SetValue(`input[name=document]`, "04-NQ/TW"),
		chromedp.Click(`form.filters button[type=submit]`),
		chromedp.WaitVisible(`table.report`))
	b.waitPath("report", "/reports/term", "document=04-NQ")
	b.do("the new report", chromedp.WaitVisible(`table.report`))
	page := b.text("report", `main`)
	for _, want := range []string{"Đảng bộ thành phố Uông Bí", "Số đảng viên kết nạp", "884", "4,05%", "01/01/2015 – 31/05/2018",
		"Bí thư chi bộ kiêm trưởng thôn, khu", "121", "206", "211",
		"Chương trình hành động, kế hoạch do cấp ủy ban hành", "30/10/2016 – 31/05/2018", // F1–F3, from Resolution 4's date
		"Kiểm tra, giám sát, kỷ luật", "17/08/2015 – 31/05/2018", // F8–F10, from the congress
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the report page lacks %q", want)
		}
	}
	b.screenshot("report-01-article")
	b.do("follow the units down to their list", chromedp.Click(`a[href*="key=agency_units"]`), chromedp.WaitVisible(`main table tbody tr`))
	list := b.text("list", `main`)
	if !strings.Contains(list, "Thủ trưởng không phải đảng viên") {
		t.Errorf("the list of units does not say why 5 heads are not secretaries:\n%.600s", list)
	}
	if rows := evaluate[int](b, "count rows", `document.querySelectorAll("main table tbody tr").length`); rows != 211 {
		t.Errorf("the list of units has %d rows, want 211", rows)
	}
	b.screenshot("report-02-list")
	b.do("back to the report", chromedp.Click(`a[href^="/reports/term?"]`), chromedp.WaitVisible(`table.report`))
	exports := evaluate[[]string](b, "exports", `Array.from(document.querySelectorAll('a[href^="/reports/term/export"]')).map(a => a.getAttribute("href"))`)
	if len(exports) != 2 || !strings.Contains(exports[0], "format=xlsx") || !strings.Contains(exports[1], "format=docx") {
		t.Fatalf("export links %q", exports)
	}
	// Both downloads carry the figures on screen, for the period on screen (issue 13: the links
	// once carried an escaped query string and downloaded the default period's report).
	type figure struct{ Key, Label, Value, Period string }
	figs := evaluate[[]figure](b, "figures on screen", `Array.from(document.querySelectorAll("table.report tr[data-key]")).map(tr => ({
		Key: tr.dataset.key, Label: tr.cells[0].textContent.trim(), Value: tr.cells[1].textContent.trim(), Period: tr.cells[2].textContent.trim()}))`)
	if len(figs) == 0 {
		t.Fatal("no figures on the report page")
	}
	xlsx, err := reportout.ReadXLSX(download(b, exports[0]))
	if err != nil {
		t.Fatal(err)
	}
	docx, err := reportout.ReadDOCX(download(b, exports[1]))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(xlsx.Title, "31/05/2018") || !strings.Contains(docx.Title, "31/05/2018") {
		t.Errorf("the downloads are not as of 31/05/2018: %q / %.300q", xlsx.Title, docx.Title)
	}
	for _, f := range figs {
		if got := xlsx.Figures[f.Key]; got != f.Value {
			t.Errorf("%s: the page says %q, the XLSX %q", f.Label, f.Value, got)
		}
		if got := docx.Figures[f.Label+" | "+f.Period]; got != f.Value {
			t.Errorf("%s (%s): the page says %q, the DOCX %q", f.Label, f.Period, f.Value, got)
		}
	}
	t.Logf("%d figures on screen compared with the XLSX and the DOCX", len(figs))
}

// download fetches a link of the page with the browser's session and returns the body.
func download(b *browser, href string) []byte {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	js := `fetch(` + strconv.Quote(href) + `).then(r => { if (!r.ok) throw new Error("HTTP " + r.status); return r.arrayBuffer() }).then(buf => {
		const a = new Uint8Array(buf); let s = "";
		for (let i = 0; i < a.length; i += 8192) s += String.fromCharCode.apply(null, a.subarray(i, i + 8192));
		return btoa(s) })`
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("download %s: %v", href, err)
	}
	body, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		b.t.Fatalf("download %s: %v", href, err)
	}
	return body
}

// evaluate returns the value of a JavaScript expression in the page.
func evaluate[T any](b *browser, step, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("%s: %v", step, err)
	}
	return v
}
