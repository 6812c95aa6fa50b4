package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserAdmission is issue 4's story as a ward secretary today: open a candidate's file in a
// cell, record the first stage with an impossible date and see the Vietnamese error next to the
// field, record it right, and see the next stage asked for and the file in the ward's list.
func TestBrowserAdmission(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser and loads the demo data set")
	}
	if chrome, reason := findChrome(); chrome == "" {
		t.Skip(reason)
	}
	base := startDemoServer(t)
	b := newBrowser(t, base)
	b.do("log in as the secretary of Yên Tử ward", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(`#username`),
		chromedp.SendKeys(`#username`, "yentu.bithu"), chromedp.SendKeys(`#password`, "demo-yentu-bithu"),
		chromedp.Click(`form[action="/login"] button[type=submit]`), chromedp.WaitVisible(`nav.main`))
	if home := b.text("home", `main`); !strings.Contains(home, "Việc cần chú ý") {
		t.Errorf("the ward's home page lists nothing needing attention:\n%.600s", home)
	}
	b.do("open a new file in a cell", chromedp.Navigate(base+"/admissions/new?org=QN-YENTU-CQCQ"), chromedp.WaitVisible(`#f-full_name`))
	b.do("fill in the candidate",
		chromedp.SendKeys(`#f-id`, "KN-YT-2026-01"),
		chromedp.SendKeys(`#f-full_name`, "Đỗ Thị Hồng Nhung"),
		chromedp.SetValue(`#f-gender`, "female"),
		chromedp.SendKeys(`#f-birth_date`, "14/09/2001"),
		chromedp.SendKeys(`#f-education`, "12/12"),
		chromedp.Click(`form.record-form button[type=submit]`))
	b.waitPath("the file", "/admissions/KN-YT-2026-01", "")
	b.do("the file page", chromedp.WaitVisible(`#f-date`))
	page := b.text("file", `main`)
	if !strings.Contains(page, "Đỗ Thị Hồng Nhung") || !strings.Contains(page, "Bồi dưỡng quần chúng ưu tú") {
		t.Errorf("the new file does not ask for the training first:\n%.800s", page)
	}
	b.do("an impossible date", chromedp.SendKeys(`#f-date`, "31/02/2026"), chromedp.Click(`main form button[type=submit]`),
		chromedp.WaitVisible(`.field.invalid #f-date[aria-invalid=true]`))
	if msg := b.text("error", `#e-date`); msg == "" {
		t.Error("no message next to the date")
	}
	b.screenshot("admission-01-error")
	b.do("the right date", chromedp.Clear(`#f-date`), chromedp.SendKeys(`#f-date`, "02/10/2026"), chromedp.Click(`main form button[type=submit]`))
	b.waitPath("back to the file", "/admissions/KN-YT-2026-01", "")
	b.do("the next stage", chromedp.WaitVisible(`#f-date`))
	b.waitText("the recorded training", `main`, "02/10/2026")
	b.screenshot("admission-02-next")
	b.do("the ward's list", chromedp.Navigate(base+"/admissions?org=QN-YENTU"), chromedp.WaitVisible(`main table`))
	if list := b.text("list", `main`); !strings.Contains(list, "KN-YT-2026-01") {
		t.Errorf("the ward's list lacks the new file")
	}
}
