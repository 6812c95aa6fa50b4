package main

import (
	"bytes"
	"context"
	"html"
	"io"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"dangvu"
)

var (
	hrefAttr  = regexp.MustCompile(`<a [^>]*href="(/[^"]*)"`)
	csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
)

// pageLogin logs in through the login form as a person does (with the form's CSRF value when it
// has one) and returns a client carrying the session that does not follow redirects.
func pageLogin(t *testing.T, base, user, password string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := url.Values{"username": {user}, "password": {password}}
	if _, body := fetchPage(t, c, base+"/login"); csrfField.MatchString(body) {
		form.Set("csrf", html.UnescapeString(csrfField.FindStringSubmatch(body)[1]))
	}
	resp, err := c.PostForm(base+"/login", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login as %s: %d", user, resp.StatusCode)
	}
	return c
}

func fetchPage(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestDemoAccountsReachTheirPages (issue 13): every demo account — those of the organisations that
// ended on 1/7/2025 included — opens its home page, every link of its menu and home page, and
// every link of those pages, without an error page.
func TestDemoAccountsReachTheirPages(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo data set")
	}
	base := startDemoServer(t)
	for _, d := range demoUsers {
		t.Run(d.user.Username, func(t *testing.T) {
			c := pageLogin(t, base, d.user.Username, d.password)
			seen := map[string]bool{}
			shapes := map[string]int{}
			opened := 0
			var visit func(path, from string, depth int)
			visit = func(path, from string, depth int) {
				if seen[path] || strings.HasPrefix(path, "/static/") || strings.Contains(path, "/export") || strings.HasPrefix(path, "/logout") {
					return
				}
				seen[path] = true
				// A few links of each shape (the same route with other ids) are enough.
				if shapes[linkShape(path)]++; shapes[linkShape(path)] > 2 {
					return
				}
				status, body := fetchPage(t, c, base+path)
				opened++
				if status != http.StatusOK {
					t.Errorf("%s (linked from %s): %d %s", path, from, status, errorText(body))
					return
				}
				// Working notes stay on the rules page and in the API and its documentation, /api
				// (issue 13, defect 10).
				for _, note := range []string{"chưa xác minh", "(JSON)", ">qd366<", "/api/v1/coverage)"} {
					if !strings.HasPrefix(path, "/rules") && !strings.HasPrefix(path, "/api") && strings.Contains(body, note) {
						t.Errorf("%s shows the working note %q", path, note)
					}
				}
				if depth == 0 {
					return
				}
				for _, m := range hrefAttr.FindAllStringSubmatch(body, -1) {
					visit(html.UnescapeString(m[1]), path, depth-1)
				}
			}
			_, home := fetchPage(t, c, base+"/")
			if ended := d.user.OrgID == "UB" || d.user.OrgID == "UB-PD"; ended != strings.Contains(home, "đã kết thúc ngày 30/06/2025") {
				t.Errorf("the home page's banner of an ended organisation: want %v:\n%.600s", ended, errorText(home))
			}
			visit("/", "", 2)
			// Everyone reaches member records (a member their own), and the office its documents.
			if !slices.ContainsFunc(slices.Collect(maps.Keys(seen)), func(p string) bool { return strings.HasPrefix(p, "/members/M") }) {
				t.Errorf("%s reached no member's record from the home page", d.user.Username)
			}
			if d.user.UserRole.Can(dangvu.ActDocuments) && !seen["/documents"] {
				t.Errorf("%s did not reach the documents from the home page", d.user.Username)
			}
			t.Logf("%s opened %d pages", d.user.Username, opened)
		})
	}
}

var idSegment = regexp.MustCompile(`/[^/?]*[0-9][^/?]*`)

// linkShape is a link's route and parameter names, without the ids and values.
func linkShape(path string) string {
	u, err := url.Parse(path)
	if err != nil {
		return path
	}
	keys := []string{}
	for k := range u.Query() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return idSegment.ReplaceAllString(u.Path, "/{id}") + "?" + strings.Join(keys, "&")
}

// errorText is the message of an error page, for a test's failure.
func errorText(body string) string {
	if i := strings.Index(body, "<main>"); i >= 0 {
		body = body[i:]
	}
	body = regexp.MustCompile(`<[^>]+>`).ReplaceAllString(body, " ")
	body = strings.Join(strings.Fields(body), " ")
	if len(body) > 300 {
		body = body[:300]
	}
	return body
}

// TestMergedCellsTellApart: after the 2025 merger Yên Tử holds cells of the same name from
// each former ward; its tree names each with the ward it came from.
func TestMergedCellsTellApart(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo data set")
	}
	base := startDemoServer(t)
	c := pageLogin(t, base, "yentu.bithu", "demo-yentu-bithu")
	_, body := fetchPage(t, c, base+"/orgs?under=QN-YENTU")
	seen := map[string]bool{}
	merged := 0
	for _, m := range regexp.MustCompile(`<a href="/orgs/[^"?]+\?as_of=[^"]*">([^<]+)</a>`).FindAllStringSubmatch(body, -1) {
		name := html.UnescapeString(m[1])
		if seen[name] {
			t.Errorf("two organisations named %q in Yên Tử's tree", name)
		}
		seen[name] = true
		if strings.Contains(name, "(nguyên thuộc ") {
			merged++
		}
	}
	if merged == 0 {
		t.Error("no cell of Yên Tử names its former ward")
	}
}

// TestUserMove: `dangvu user move` gives the account of an ended organisation its successor,
// named by its name, and refuses the ended one.
func TestUserMove(t *testing.T) {
	db := filepath.Join(t.TempDir(), "move.db")
	mustRun(t, "import", "--db", db, filepath.Join("..", "..", "testdata", "sample"))
	old := stdin
	t.Cleanup(func() { stdin = old })
	stdin = strings.NewReader("mat-khau-dai\n")
	mustRun(t, "user", "add", "--db", db, "--username", "ub.staff", "--role", "staff_org", "--org", "UB")
	if _, err := dangvuCmd(t, "user", "move", "--db", db, "--username", "ub.staff", "--org", "UB"); err == nil {
		t.Error("moved to an organisation that has ended")
	}
	out := mustRun(t, "user", "move", "--db", db, "--username", "ub.staff", "--org", "Đảng bộ phường Phương Đông")
	if !strings.Contains(out, "PD") {
		t.Errorf("user move printed %q", out)
	}
	ctx := context.Background()
	s, err := openStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if u, err := s.UserByUsername(ctx, "ub.staff"); err != nil || u.OrgID != "PD" {
		t.Errorf("after the move: %+v, %v", u, err)
	}
}

// TestServeFirstRun: a plain `serve` on an empty database prints the command that makes the
// first administrator, before the address it serves on.
func TestServeFirstRun(t *testing.T) {
	db := filepath.Join(t.TempDir(), "first.db")
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, &out, io.Discard) }()
	deadline := time.Now().Add(time.Minute)
	for !strings.Contains(out.String(), "đang chạy") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.Contains(got, "Chưa có tài khoản nào") || !strings.Contains(got, "dangvu user add --db "+db+" --username admin --role admin") {
		t.Errorf("serve printed:\n%s", got)
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader in two goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
