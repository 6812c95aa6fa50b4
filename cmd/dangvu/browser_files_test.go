package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserSupplement is issue 19's story of the yearly supplement: the Yên Tử ward secretary
// opens the member files from the menu, follows the 2026 supplement's progress per cell and
// opens the year for the members who have no supplement yet; the member of the demo's own
// account enters their new post on a 360 px phone; the ward secretary finds the supplement in
// its cell, checks it and certifies it; the member's record then shows the new post; the file
// page of that member answers.
func TestBrowserSupplement(t *testing.T) {
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
	logout := func() {
		b.do("log out", chromedp.Click(`header.top form[action="/logout"] button`), chromedp.WaitVisible(`#username`))
	}
	const post = "Phó Chủ tịch Ủy ban nhân dân phường"

	login("yentu.bithu", "demo-yentu-bithu")
	b.do("member files", chromedp.Click(`nav.main a[href="/files"]`), chromedp.WaitVisible(`main table.file-roll`))
	b.screenshot("files-01-roll")
	b.do("the supplement", chromedp.Click(`main p.links a[href^="/supplements"]`), chromedp.WaitVisible(`main form[action="/supplements"]`))
	if page := b.text("progress", "main"); !strings.Contains(page, "Tiến độ") || !strings.Contains(page, "Chi bộ đã kiểm tra") {
		t.Errorf("the 2026 supplement in progress is not shown:\n%.1500s", page)
	}
	b.do("open 2026 for the members without one", chromedp.SetValue(`main form[action="/supplements"] input[name="year"]`, "2026"),
		chromedp.Click(`main form[action="/supplements"] button[type=submit]`), chromedp.WaitVisible(`main table.supplement-progress`))
	b.screenshot("files-02-progress")
	logout()

	login("yentu.dangvien", "demo-yentu-dangvien")
	b.do("phone: my supplement", chromedp.EmulateViewport(360, 740), chromedp.Click(`nav.main a[href="/supplements/mine"]`),
		chromedp.WaitVisible(`main form.supplement-form`))
	b.do("enter the new post", chromedp.SetValue(`main form.supplement-form input[name="position"]`, post),
		chromedp.Click(`main form.supplement-form button[type=submit]`))
	b.waitText("entered", "main", "Đã khai")
	if over := evaluate[int](b, "width", `document.documentElement.scrollWidth - window.innerWidth`); over > 0 {
		t.Errorf("the supplement is %d px wider than a 360 px phone", over)
	}
	b.screenshot("files-03-member-entered")
	logout()

	login("yentu.bithu", "demo-yentu-bithu")
	b.do("wide", chromedp.EmulateViewport(1366, 900), chromedp.Navigate(base+"/supplements?year=2026"), chromedp.WaitVisible(`main table.supplement-progress`))
	// The member's cell, then their supplement.
	cell := evaluate[string](b, "the member's cell", `(() => {
		for (const a of document.querySelectorAll('main table.supplement-progress tbody a')) {
			if (a.textContent.includes('Cơ quan chính quyền')) return a.getAttribute('href');
		}
		return '';
	})()`)
	if cell == "" {
		t.Fatalf("no cell of the member's in the progress:\n%.2000s", b.text("progress", "main"))
	}
	b.do("the cell's supplements", chromedp.Navigate(base+cell), chromedp.WaitVisible(`main table.supplements`))
	sup := evaluate[string](b, "the member's supplement", `(() => {
		for (const tr of document.querySelectorAll('main table.supplements tbody tr')) {
			if (tr.textContent.includes('Đã khai') && tr.textContent.includes('Chức vụ')) return tr.querySelector('a').getAttribute('href');
		}
		return '';
	})()`)
	if sup == "" {
		t.Fatalf("the member's entered supplement is not in the cell:\n%.2000s", b.text("cell", "main"))
	}
	b.do("the supplement", chromedp.Navigate(base+sup), chromedp.WaitVisible(`main form:has(input[value="check"]) button`))
	b.do("the cell checks", chromedp.Click(`main form:has(input[value="check"]) button`), chromedp.WaitVisible(`main form:has(input[value="certify"]) button`))
	b.do("the committee certifies", chromedp.Click(`main form:has(input[value="certify"]) button`))
	b.waitText("certified", "main", "Cấp ủy cơ sở đã xác nhận")
	b.screenshot("files-04-certified")
	owner := evaluate[string](b, "the member", `document.querySelector('main p.links a[href$="/file"]').getAttribute('href')`)
	b.do("the member's file", chromedp.Navigate(base+owner), chromedp.WaitVisible(`main table.file-bands`))
	b.screenshot("files-05-file")
	b.do("the member's record", chromedp.Navigate(base+strings.TrimSuffix(owner, "/file")), chromedp.WaitVisible(`main`))
	if page := b.text("record", "main"); !strings.Contains(page, post) {
		t.Errorf("the certified post is not on the record:\n%.2000s", page)
	}
}
