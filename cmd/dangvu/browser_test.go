package main

// Browser tests: the real program (`dangvu serve --demo`) driven by a headless Chromium through
// chromedp. They need Debian's chromium package (/usr/bin/chromium), or the browser named by
// $DANGVU_CHROME, and skip without one. Full-page screenshots of the main pages go to
// <repo>/screenshots/ (git-ignored) for review; set DANGVU_SCREENSHOTS=0 to skip them.

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"dangvu"
	"dangvu/internal/vn"
)

// stepTimeout bounds each step of a browser story; the whole story has browserTimeout.
const (
	stepTimeout    = 60 * time.Second
	browserTimeout = 10 * time.Minute
)

// findChrome returns the browser to drive: $DANGVU_CHROME when set (an explicitly named browser
// that does not exist skips the test, it does not fall back), else /usr/bin/chromium, else
// chromium in PATH. It returns "" and the reason when there is none.
func findChrome() (path, reason string) {
	if p, ok := os.LookupEnv("DANGVU_CHROME"); ok && p != "" {
		if full, err := exec.LookPath(p); err == nil {
			return full, ""
		}
		return "", fmt.Sprintf("DANGVU_CHROME=%s is not an executable browser", p)
	}
	if fi, err := os.Stat("/usr/bin/chromium"); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
		return "/usr/bin/chromium", ""
	}
	if full, err := exec.LookPath("chromium"); err == nil {
		return full, ""
	}
	return "", "no browser: install Debian's chromium (apt-get install chromium) or set DANGVU_CHROME"
}

// browser is one headless Chromium tab for a test, with the helpers of its steps.
type browser struct {
	t    *testing.T
	ctx  context.Context // the tab; each step derives a context with stepTimeout from it
	base string          // the server's base URL
	shot string          // the screenshot folder, "" for none
}

// newBrowser starts a headless Chromium with a fresh profile; it closes when the test ends.
func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	chrome, reason := findChrome()
	if chrome == "" {
		t.Skip(reason)
	}
	root, cancelRoot := context.WithTimeout(context.Background(), browserTimeout)
	t.Cleanup(cancelRoot)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chrome),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("lang", "vi-VN"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(root, opts...)
	t.Cleanup(cancelAlloc)
	tab, cancelTab := chromedp.NewContext(alloc, chromedp.WithLogf(t.Logf))
	t.Cleanup(cancelTab)
	// The first run starts the browser and binds it to tab, which has no step timeout; a start
	// that hangs is still bounded by root.
	start := time.Now()
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("start %s: %v", chrome, err)
	}
	t.Logf("started %s in %v", chrome, time.Since(start).Round(time.Millisecond))
	b := &browser{t: t, ctx: tab, base: base}
	if os.Getenv("DANGVU_SCREENSHOTS") != "0" {
		b.shot = filepath.Join("..", "..", "screenshots") // the test runs in cmd/dangvu
	}
	return b
}

// do runs the actions of one step within stepTimeout; a failure stops the test, after a
// screenshot of the page as it was.
func (b *browser) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.screenshot("failed")
		b.t.Fatalf("%s: %v", step, err)
	}
}

// text returns the visible text of the first element the selector matches.
func (b *browser) text(step string, sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(sel, chromedp.NodeVisible))
	if err != nil {
		b.screenshot("failed")
		b.t.Fatalf("%s: text of %s: %v", step, sel, err)
	}
	return s
}

// waitText waits until the visible text of the first element the selector matches contains
// want: after a form post that lands on the same URL, the old page still matches every
// selector until the new one has loaded.
func (b *browser) waitText(step, sel, want string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	var last string
	for {
		s, err := chromedp.Run(ctx, chromedp.Text(sel, chromedp.NodeVisible))
		if err == nil {
			last = s
			if strings.Contains(s, want) {
				return s
			}
		}
		select {
		case <-ctx.Done():
			b.screenshot("failed")
			b.t.Fatalf("%s: %q never appeared in %s:\n%.800s", step, want, sel, last)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// value returns the value of the first input the selector matches.
func (b *browser) value(step string, sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Value(sel))
	if err != nil {
		b.t.Fatalf("%s: value of %s: %v", step, sel, err)
	}
	return s
}

// waitPath waits until the tab's URL has the path (and, when query is not "", contains it in
// its query string), and returns the URL.
func (b *browser) waitPath(step, path, query string) *url.URL {
	b.t.Helper()
	return b.waitURL(step, path+"?…"+query+"…", func(u *url.URL) bool {
		return u.Path == path && strings.Contains(u.RawQuery, query)
	})
}

// waitURL waits until the tab's URL satisfies ok, and returns it.
func (b *browser) waitURL(step, want string, ok func(*url.URL) bool) *url.URL {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	var last string
	for {
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err == nil {
			last = loc
			if u, err := url.Parse(loc); err == nil && ok(u) {
				return u
			}
		}
		select {
		case <-ctx.Done():
			b.screenshot("failed")
			b.t.Fatalf("%s: the browser is at %s, want %s", step, last, want)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// screenshot saves a full-page PNG of the tab as NAME.png; it never fails the test.
func (b *browser) screenshot(name string) {
	if b.shot == "" {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err == nil {
		err = os.MkdirAll(b.shot, 0o755)
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(b.shot, name+".png"), png, 0o644)
	}
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
	}
}

// demoMember finds, through the API, a member of the demo to look for: one named
// "Nguyễn Văn Đức" when there is one, else the first "Nguyễn Văn …".
func demoMember(t *testing.T, base string) (name string) {
	t.Helper()
	c := loginClient(t, base, "admin", "demo-admin")
	for _, q := range []string{"nguyen van duc", "nguyen van"} {
		var page dangvu.MemberPage
		fetchJSON(t, c, base+"/api/v1/members?limit=1&q="+url.QueryEscape(q), &page)
		if len(page.Members) > 0 {
			return page.Members[0].FullName
		}
	}
	t.Fatal("the demo has no member named Nguyễn Văn …")
	return ""
}

// TestBrowserStory walks the pages as a committee's staff would: log in, browse the tree, search
// a member with and without diacritics, mistype a birth date and correct it, find the change in
// the audit log, log out.
func TestBrowserStory(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser and loads the demo data set")
	}
	if chrome, reason := findChrome(); chrome == "" {
		t.Skip(reason) // before loading the demo, which takes a while
	}
	began := time.Now()
	base := startDemoServer(t)
	name := demoMember(t, base)
	folded := vn.Fold(name)
	t.Logf("demo ready in %v; searching %q / %q", time.Since(began).Round(time.Millisecond), folded, name)
	b := newBrowser(t, base)
	story := time.Now()
	defer func() { t.Logf("browser story took %v", time.Since(story).Round(time.Millisecond)) }()

	// Anonymous: the home page sends to the login form.
	b.do("open /", chromedp.Navigate(base+"/"), chromedp.WaitVisible(`#username`))
	b.waitPath("redirect to login", "/login", "")
	b.screenshot("01-login")

	// Wrong password first: the form says so and stays.
	b.do("log in with a wrong password",
		chromedp.SendKeys(`#username`, "admin"),
		chromedp.SendKeys(`#password`, "wrong-password"),
		chromedp.Click(`form[action="/login"] button[type=submit]`),
		chromedp.WaitVisible(`p.error[role=alert]`))
	b.do("log in as the demo admin",
		chromedp.Clear(`#username`),
		chromedp.SendKeys(`#username`, "admin"),
		chromedp.SendKeys(`#password`, "demo-admin"),
		chromedp.Click(`form[action="/login"] button[type=submit]`),
		chromedp.WaitVisible(`nav.main`))
	b.waitPath("after login", "/", "")
	if who := b.text("after login", `header.top .who .name`); !strings.Contains(who, "Quản trị") {
		t.Errorf("header shows %q, want the admin's name", who)
	}

	// The organisation tree.
	b.do("open /orgs", chromedp.Navigate(base+"/orgs"), chromedp.WaitVisible(`ul.tree`))
	if tree := b.text("orgs", `ul.tree`); !strings.Contains(tree, "Đảng bộ tỉnh Quảng Ninh") {
		t.Errorf("/orgs does not show Đảng bộ tỉnh Quảng Ninh: %.300q", tree)
	}
	b.screenshot("02-orgs")

	// Search without diacritics, through the search box of the members page.
	b.do("open /members", chromedp.Click(`nav.main a[href="/members"]`))
	b.waitPath("members", "/members", "")
	b.do("search "+folded,
		chromedp.WaitVisible(`main input[name=q]`), // the header has a search box of its own
		chromedp.SendKeys(`main input[name=q]`, folded+"\n"))
	b.waitPath("search "+folded, "/members", "q="+url.QueryEscape(folded))
	b.do("results", chromedp.WaitVisible(`table tbody tr`))
	plainCount := b.text("results", `main p.muted`)
	results := b.text("results", `table tbody`)
	if !strings.Contains(results, name) {
		t.Errorf("searching %q does not show %q: %.300q", folded, name, results)
	}
	b.screenshot("03-members")

	// The same search with diacritics finds the same members.
	b.do("search "+name,
		chromedp.Clear(`main input[name=q]`),
		chromedp.SendKeys(`main input[name=q]`, name+"\n"))
	b.waitPath("search "+name, "/members", "q="+url.QueryEscape(name))
	b.do("results", chromedp.WaitVisible(`table tbody tr`))
	if accented := b.text("results", `main p.muted`); accented != plainCount {
		t.Errorf("with diacritics: %q; without: %q", accented, plainCount)
	}

	// Open the first result, then its edit form.
	b.do("open the member", chromedp.Click(`table tbody tr td a`))
	memberPath := b.waitURL("member page", "/members/ID", func(u *url.URL) bool {
		return strings.HasPrefix(u.Path, "/members/") && !strings.HasSuffix(u.Path, "/edit")
	}).Path
	b.do("member page", chromedp.WaitVisible(`dl.record`))
	if h1 := b.text("member page", `main h1`); h1 != name {
		t.Errorf("member page title %q, want %q", h1, name)
	}
	b.screenshot("04-member")
	b.do("open the edit form", chromedp.Click(`a.button[href$="/edit"]`))
	b.waitPath("edit form", memberPath+"/edit", "")
	b.do("edit form", chromedp.WaitVisible(`#f-birth_date`))
	oldBirth := b.value("edit form", `#f-birth_date`)

	// A date that does not exist: the message stands next to the field, the typed value stays.
	b.do("type 31/02/1975",
		chromedp.Clear(`#f-birth_date`),
		chromedp.SendKeys(`#f-birth_date`, "31/02/1975"),
		chromedp.Click(`form.record-form button[type=submit]`),
		chromedp.WaitVisible(`#e-birth_date`))
	msg := b.text("bad date", `#e-birth_date`)
	if !strings.Contains(msg, "31/02/1975") || !strings.Contains(msg, "không hợp lệ") {
		t.Errorf("message next to the birth date: %q", msg)
	}
	if alert := b.text("bad date", `p.error[role=alert]`); alert == "" {
		t.Error("no summary message above the form")
	}
	if v := b.value("bad date", `#f-birth_date`); v != "31/02/1975" {
		t.Errorf("the birth date field holds %q after the error, want what was typed", v)
	}
	b.do("field marked", chromedp.WaitVisible(`.field.invalid #f-birth_date[aria-invalid=true]`))
	b.screenshot("05-edit-error")

	// A valid date: saved, back on the member page.
	// Keep the year, so that the member is not born after joining the Party.
	year := 1975
	if p, err := vn.ParsePartialDate(oldBirth); err == nil && p.Year > 0 {
		year = p.Year
	}
	newBirth := fmt.Sprintf("15/03/%04d", year)
	if oldBirth == newBirth {
		newBirth = fmt.Sprintf("16/03/%04d", year)
	}
	b.do("type "+newBirth,
		chromedp.Clear(`#f-birth_date`),
		chromedp.SendKeys(`#f-birth_date`, newBirth),
		chromedp.Click(`form.record-form button[type=submit]`))
	b.waitPath("saved", memberPath, "")
	b.do("member page after saving", chromedp.WaitVisible(`dl.record`))
	if rec := b.text("saved", `dl.record`); !strings.Contains(rec, newBirth) {
		t.Errorf("member page after saving does not show %s: %.300q", newBirth, rec)
	}

	// The audit log: the newest entry about this member names the field, both values and admin.
	b.do("open /audit", chromedp.Click(`nav.main a[href="/audit"]`))
	b.waitPath("audit", "/audit", "")
	row := `//table[contains(@class,"audit")]/tbody/tr[td/a[@href="` + memberPath + `"]][1]`
	b.do("audit", chromedp.WaitVisible(row))
	entry := b.text("audit", row)
	for _, want := range []string{"admin", "Sửa", "Ngày sinh", oldBirth, newBirth} {
		if !strings.Contains(entry, want) {
			t.Errorf("audit entry lacks %q: %q", want, entry)
		}
	}
	change := row + `//table[contains(@class,"changes")]//tr[td[1]="Ngày sinh"]`
	b.do("old and new", chromedp.WaitVisible(change))
	if got := b.text("audit", change+`/td[contains(@class,"new")]`); got != newBirth {
		t.Errorf("audit new birth date %q, want %q", got, newBirth)
	}
	if oldBirth != "" {
		if got := b.text("audit", change+`/td[contains(@class,"old")]`); got != oldBirth {
			t.Errorf("audit old birth date %q, want %q", got, oldBirth)
		}
	}
	t.Logf("audit entry: %q", entry)
	b.screenshot("06-audit")

	// Log out: back on the login form, and the pages are closed again.
	b.do("log out", chromedp.Click(`header.top form[action="/logout"] button`), chromedp.WaitVisible(`#username`))
	b.waitPath("after logout", "/login", "")
	b.do("members after logout", chromedp.Navigate(base+"/members"), chromedp.WaitVisible(`#username`))
	b.waitPath("members after logout", "/login", "next=")
}
