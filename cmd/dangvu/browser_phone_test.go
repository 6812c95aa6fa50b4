package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserWidths (issue 13, defect 6): every demo account's home page and the pages of its
// menu fit a 360 px phone without horizontal scrolling (the document's scroll width is compared
// with the viewport), and at 1366 px no menu label wraps. Screenshots at both widths.
func TestBrowserWidths(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser and loads the demo data set")
	}
	if chrome, reason := findChrome(); chrome == "" {
		t.Skip(reason)
	}
	base := startDemoServer(t)
	b := newBrowser(t, base)
	for _, d := range demoUsers {
		b.do("home", chromedp.Navigate(base+"/"), chromedp.WaitReady(`body`))
		if evaluate[bool](b, "logged in?", `!!document.querySelector('form[action="/logout"] button')`) {
			b.do("log out", chromedp.Click(`form[action="/logout"] button`), chromedp.WaitVisible(`#username`))
		}
		b.do("log in as "+d.user.Username, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(`#username`),
			chromedp.SendKeys(`#username`, d.user.Username), chromedp.SendKeys(`#password`, d.password),
			chromedp.Click(`form[action="/login"] button[type=submit]`), chromedp.WaitVisible(`nav.main`))
		menu := evaluate[[]string](b, "menu", `Array.from(document.querySelectorAll('nav.main a')).map(a => a.getAttribute('href'))`)
		// 1366 px: each menu label on one line.
		b.do("desktop", chromedp.EmulateViewport(1366, 900), chromedp.Navigate(base+"/"), chromedp.WaitVisible(`nav.main`))
		if wrapped := evaluate[[]string](b, "menu labels", `Array.from(document.querySelectorAll('nav.main a')).filter(a => a.getClientRects().length > 1 || a.getBoundingClientRect().height > 2.2 * parseFloat(getComputedStyle(a).lineHeight || 20)).map(a => a.textContent)`); len(wrapped) > 0 {
			t.Errorf("%s at 1366 px: menu labels wrap: %q", d.user.Username, wrapped)
		}
		b.screenshot(fmt.Sprintf("width-1366-%s-home", d.user.Username))
		b.do("phone", chromedp.EmulateViewport(360, 740))
		for i, path := range append([]string{"/"}, menu...) {
			if strings.HasPrefix(path, "/export") {
				continue
			}
			b.do("open "+path, chromedp.Navigate(base+path), chromedp.WaitReady(`footer`))
			over := evaluate[int](b, "scroll width", `document.documentElement.scrollWidth - window.innerWidth`)
			if over > 0 {
				wide := evaluate[string](b, "widest", `Array.from(document.querySelectorAll('main *')).filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 3).map(e => e.tagName + '.' + e.className).join(', ')`)
				t.Errorf("%s at 360 px: %s is %d px wider than the screen (%s)", d.user.Username, path, over, wide)
			}
			b.screenshot(fmt.Sprintf("width-360-%s-%02d", d.user.Username, i))
		}
	}
}
