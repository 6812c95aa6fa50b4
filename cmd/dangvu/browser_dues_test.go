package main

import (
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestBrowserDues is issue 17's story on the demo (today 27/11/2026): the secretary of Yên Tử
// ward opens November's collection for one of its residential cells, where every member is
// ticked at the amount owed, unticks the one who did not pay, records it and prints the book,
// which comes out on A4 landscape; the home page lists a member without payment for three months.
func TestBrowserDues(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser and loads the demo data set")
	}
	if chrome, reason := findChrome(); chrome == "" {
		t.Skip(reason)
	}
	base := startDemoServer(t)
	// The ward's cells with members owing dues in October, from the API.
	c := loginClient(t, base, "yentu.bithu", "demo-yentu-bithu")
	resp, err := c.Get(base + "/api/v1/dues/summary?org=QN-YENTU&from=2026-10&to=2026-10")
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Rows []struct {
			OrgID  string `json:"org_id"`
			Liable int    `json:"members_liable"`
		} `json:"rows"`
	}
	err = json.NewDecoder(resp.Body).Decode(&sum)
	resp.Body.Close()
	cell := ""
	for _, r := range sum.Rows {
		if r.Liable >= 3 {
			cell = r.OrgID
			break
		}
	}
	if err != nil || cell == "" {
		t.Fatalf("no cell of Yên Tử with dues in October: %v %+v", err, sum)
	}

	b := newBrowser(t, base)
	b.do("log in", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(`#username`),
		chromedp.SendKeys(`#username`, "yentu.bithu"), chromedp.SendKeys(`#password`, "demo-yentu-bithu"),
		chromedp.Click(`form[action="/login"] button[type=submit]`), chromedp.WaitVisible(`nav.main`))
	// The home page: a member of the ward has not paid for three months of 2026.
	b.waitText("home page", `main section.attention`, "Không đóng đảng phí 3 tháng trong năm")
	evaluate[bool](b, "open the group", `(() => {
		for (const d of document.querySelectorAll("main details.attention-group")) {
			if (d.querySelector("summary").textContent.includes("Không đóng đảng phí 3 tháng trong năm")) { d.open = true; return true }
		}
		return false
	})()`)
	if home := b.text("home page", `main section.attention`); !strings.Contains(home, "chưa đóng các tháng 08/2026, 09/2026, 10/2026") {
		t.Errorf("the home page does not list the months:\n%.3000s", home)
	}
	b.screenshot("dues-01-home")

	b.do("November's collection", chromedp.Navigate(base+"/dues/collect?org="+cell+"&month=2026-11"), chromedp.WaitVisible(`main form[action="/dues/collect"]`))
	ticked := evaluate[int](b, "count the ticked", `document.querySelectorAll('main input[type=checkbox][name^="paid."]:checked').length`)
	if ticked < 2 {
		t.Fatalf("only %d members ticked by default", ticked)
	}
	b.screenshot("dues-02-collect")
	// The exception: the first member did not pay.
	evaluate[bool](b, "untick one", `(() => { document.querySelector('main input[type=checkbox][name^="paid."]:checked').checked = false; return true })()`)
	b.do("record", chromedp.Click(`main form[action="/dues/collect"] button[type=submit]`))
	b.waitPath("the book", "/dues", "")
	book := b.waitText("the book", `main .dues-book`, "Sổ thu, nộp đảng phí tháng 11/2026")
	m := regexp.MustCompile(`Chưa đóng: (\d+) đảng viên`).FindStringSubmatch(book)
	if m == nil {
		t.Fatalf("the book has no count of unpaid members:\n%.1500s", book)
	}
	if n, _ := strconv.Atoi(m[1]); n < 1 {
		t.Errorf("the unticked member is not unpaid: %s", m[0])
	}
	b.screenshot("dues-03-book")
	// Print: the book's named page is A4 landscape (297 × 210 mm = 841.9 × 595.3 pt).
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	prefer := true
	pdf, err := chromedp.Run(ctx, chromedp.Action[[]byte](func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		r, err := cdp.Call(ctx, t, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &prefer})
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	}))
	cancel()
	if err != nil {
		t.Fatalf("print the book: %v", err)
	}
	mb := regexp.MustCompile(`/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]`).FindSubmatch(pdf)
	if mb == nil {
		t.Fatalf("the printed book has no page size (%d bytes)", len(pdf))
	}
	w, _ := strconv.ParseFloat(string(mb[1]), 64)
	h, _ := strconv.ParseFloat(string(mb[2]), 64)
	if w < 835 || w > 848 || h < 590 || h > 600 {
		t.Errorf("the printed book is %.1f × %.1f pt, want A4 landscape 841.9 × 595.3", w, h)
	}
}
