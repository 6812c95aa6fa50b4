package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"dangvu/internal/vn"
)

// TestBrowserDissemination walks the story in the browser on the demo: the city's action
// programme with its overdue tasks, a ward's attendance sheet (a refused line, then saved), and
// the coverage page, whose rate is the term report's.
func TestBrowserDissemination(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser and loads the demo data set")
	}
	if chrome, reason := findChrome(); chrome == "" {
		t.Skip(reason)
	}
	base := startDemoServer(t)
	c := loginClient(t, base, "admin", "demo-admin")
	var rep map[string]any
	fetchJSON(t, c, base+"/api/v1/reports/term?org=UB&from=2016-10-30&to=2018-05-31&document=04-NQ/TW", &rep)
	pct, _ := rep["study_coverage_pct"].(float64)
	if rep["action_programmes"] != float64(2) || rep["conferences_at_org_level"] != float64(6) || pct <= 95 {
		t.Fatalf("report for 04-NQ/TW: %v", rep)
	}
	b := newBrowser(t, base)
	story := time.Now()
	defer func() { t.Logf("dissemination story took %v", time.Since(story).Round(time.Millisecond)) }()
	b.do("log in", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(`#username`),
		chromedp.SendKeys(`#username`, "admin"), chromedp.SendKeys(`#password`, "demo-admin"),
		chromedp.Click(`form[action="/login"] button[type=submit]`), chromedp.WaitVisible(`nav.main`))

	// The coverage page shows the report's rate and the members not reached.
	b.do("coverage", chromedp.Navigate(base+"/coverage?org=UB&document=04-NQ/TW&from=30/10/2016&to=31/05/2018&as_of=31/05/2018"), chromedp.WaitVisible(`dl.stats`))
	if stats := b.text("coverage", `dl.stats`); !strings.Contains(stats, vn.FormatPercent(pct, 2)) {
		t.Errorf("coverage page shows %q, the report %v%%", stats, pct)
	}
	b.screenshot("dis-01-coverage")

	// The programme: overdue tasks are highlighted.
	b.do("programme", chromedp.Navigate(base+"/programmes/VB-UB-2016-CTr01?as_of=31/05/2018"), chromedp.WaitVisible(`table.tasks tr.overdue`))
	if h1 := b.text("programme", `main h1`); !strings.Contains(h1, "01-CTr/TU") {
		t.Errorf("programme title %q", h1)
	}
	b.screenshot("dis-02-programme")

	// A ward's sheet: an excused absence without its reason is refused, then saved with it.
	b.do("sheet", chromedp.Navigate(base+"/conferences/HN-UB-PD-TW4"), chromedp.WaitVisible(`table.sheet`))
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	attr, err := chromedp.Run(ctx, chromedp.AttributeValue(`table.sheet select`, "name"))
	cancel()
	if err != nil {
		t.Fatalf("first line of the sheet: %v", err)
	}
	id := strings.TrimPrefix(attr.Value, "status.")
	b.do("mark absent without reason",
		chromedp.SetValue(`select[name="status.`+id+`"]`, "absent_excused"),
		chromedp.Click(`table.sheet ~ p.actions button[type=submit]`),
		chromedp.WaitVisible(`p.error[role=alert]`))
	// The message stands beside the line's reason field, which is marked invalid.
	if errs := b.text("refused", `[id="e-reason-`+id+`"]`); !strings.Contains(errs, "lý do") {
		t.Errorf("error beside the refused line: %q", errs)
	}
	ctx, cancel = context.WithTimeout(b.ctx, stepTimeout)
	inv, err := chromedp.Run(ctx, chromedp.AttributeValue(`input[name="reason.`+id+`"]`, "aria-invalid"))
	cancel()
	if err != nil || inv.Value != "true" {
		t.Errorf("the reason field of the refused line is not marked invalid: %q %v", inv.Value, err)
	}
	b.screenshot("dis-03-sheet-error")
	b.do("give the reason",
		chromedp.SetValue(`input[name="reason.`+id+`"]`, "Đi công tác"),
		chromedp.Click(`table.sheet ~ p.actions button[type=submit]`),
		chromedp.WaitVisible(`p.ok`))
	if v := b.value("saved", `input[name="reason.`+id+`"]`); v != "Đi công tác" {
		t.Errorf("reason after saving: %q", v)
	}
}
