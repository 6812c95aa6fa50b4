package main

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserReview is issue 6's story under the 2025 rules: the ward secretary opens the 2026
// review campaign for the ward with its schedule; a member of the ward fills their self-review
// online, is told to explain a manifestation they ticked, explains it and submits.
func TestBrowserReview(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser and loads the demo data set")
	}
	if chrome, reason := findChrome(); chrome == "" {
		t.Skip(reason)
	}
	base := startDemoServer(t)
	b := newBrowser(t, base)
	login := func(user, password string) {
		b.do("log in as "+user, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(`#username`),
			chromedp.SendKeys(`#username`, user), chromedp.SendKeys(`#password`, password),
			chromedp.Click(`form[action="/login"] button[type=submit]`), chromedp.WaitVisible(`nav.main`))
	}
	login("yentu.bithu", "demo-yentu-bithu")
	b.do("the campaigns", chromedp.Navigate(base+"/reviews?org=QN-YENTU"), chromedp.WaitVisible(`form[action="/reviews"] #f-id`))
	for _, f := range [][2]string{{"id", "RV2026-YT"}, {"org_id", "QN-YENTU"}, {"name", "Kiểm điểm, đánh giá, xếp loại năm 2026"},
		{"from", "01/01/2026"}, {"to", "31/12/2026"}, {"document", "Kế hoạch số 45-KH/ĐU"},
		{"due_self", "10/12/2026"}, {"due_comment", "20/12/2026"}, {"due_decision", "31/12/2026"}, {"due_upward", "15/01/2027"}} {
		b.do("campaign field "+f[0], chromedp.SetValue(`#f-`+f[0], f[1]))
	}
	b.do("open the campaign", chromedp.Click(`form[action="/reviews"] button[type=submit]`))
	// A refused form comes back at /reviews; the campaign opens on its own page.
	b.waitURL("the campaign's page", "a page other than /reviews", func(u *url.URL) bool { return u.Path != "/reviews" })
	b.do("the campaign", chromedp.WaitVisible(`main h1`))
	if page := b.text("campaign", `main`); !strings.Contains(page, "Kiểm điểm, đánh giá, xếp loại năm 2026") {
		t.Fatalf("the campaign was not opened:\n%.1500s", page)
	}
	b.screenshot("review-01-campaign")
	b.do("log out", chromedp.Click(`header.top form[action="/logout"] button`), chromedp.WaitVisible(`#username`))

	login("yentu.dangvien", "demo-yentu-dangvien")
	b.do("my self-review", chromedp.Click(`nav.main a[href="/reviews/mine"]`), chromedp.WaitVisible(`#f-strengths`))
	// Under QĐ 366 the member scores each criterion: 80% of each maximum, all tasks on time, 80
	// points in all — the band of "hoàn thành tốt".
	evaluate[bool](b, "score the criteria", `(() => {
		for (const i of document.querySelectorAll('input[name^="s-"]')) {
			const l = document.querySelector('label[for="' + i.id + '"]');
			const max = parseInt(l.textContent.match(/tối đa (\d+)/)[1], 10);
			i.value = String(max * 0.8);
		}
		document.querySelector('input[name="tasks_on_time"]').checked = true;
		return true;
	})()`)
	b.do("fill it, ticking a manifestation without explaining it",
		chromedp.SendKeys(`#f-strengths`, "Hoàn thành tốt nhiệm vụ được giao; tích cực tham gia sinh hoạt chi bộ"),
		chromedp.Click(`input[name="m-1.3"]`),
		chromedp.SetValue(`#f-self`, "good"),
		chromedp.Click(`main form button[type=submit]`),
		chromedp.WaitVisible(`.field-error, .error, ul.errors`))
	if page := b.text("refused", `main`); !strings.Contains(page, "giải trình") {
		t.Errorf("the form does not ask to explain the ticked manifestation:\n%.1500s", page)
	}
	b.screenshot("review-02-explain")
	b.do("explain it and submit",
		chromedp.SetValue(`input[name="x-1.3"]`, "Chưa dành đủ thời gian nghiên cứu nghị quyết"),
		chromedp.Click(`main form button[type=submit]`))
	b.waitPath("back to my review", "/reviews/mine", "")
	b.do("saved", chromedp.WaitVisible(`#f-strengths`))
	b.screenshot("review-03-submitted")
	if v := b.value("saved", `input[name="x-1.3"]`); v != "Chưa dành đủ thời gian nghiên cứu nghị quyết" {
		t.Errorf("the explanation was not kept: %q", v)
	}
}
