package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/store"
)

// TestServeDemo runs the whole program as a user would — `dangvu serve --demo` on a fresh
// database, on a random port — and asks the API for the article's admission figures.
func TestServeDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo data set")
	}
	url0 := startDemoServer(t)

	var health map[string]string
	getJSON(t, url0+"/healthz", &health)

	// The API needs a login: the demo's administrator, printed with its password at start.
	resp, err := http.Get(url0 + "/api/v1/members")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous GET /api/v1/members: %d, want 401", resp.StatusCode)
	}
	client = loginClient(t, url0, "admin", "demo-admin")
	t.Cleanup(func() { client = http.DefaultClient })
	if health["status"] != "ok" {
		t.Errorf("healthz = %v", health)
	}
	var rep map[string]any
	getJSON(t, url0+"/api/v1/reports/term?org="+url.QueryEscape("Đảng bộ thành phố Uông Bí")+"&from=2015-01-01&to=2018-05-31", &rep)
	if rep["admitted"] != 884.0 || rep["admission_rate_pct_per_year"] != 4.05 {
		t.Errorf("admitted = %v, rate = %v; want 884 and 4.05", rep["admitted"], rep["admission_rate_pct_per_year"])
	}
	// Concurrent posts as of 31/05/2018: every residential cell's secretary heads its area (the
	// article's 100%), and 206 of 211 unit heads are party secretaries.
	if rep["agency_units"] != 211.0 || rep["head_is_secretary"] != 206.0 {
		t.Errorf("agency_units = %v, head_is_secretary = %v; want 211 and 206", rep["agency_units"], rep["head_is_secretary"])
	}
	if c, _ := rep["residential_cells"].(float64); c == 0 || rep["secretary_is_village_head"] != c {
		t.Errorf("residential_cells = %v, secretary_is_village_head = %v; want equal and not 0", c, rep["secretary_is_village_head"])
	}
	// The same database today: the city is gone and its wards report on their own.
	for _, ward := range []string{"Đảng bộ phường Uông Bí", "Đảng bộ phường Vàng Danh", "Đảng bộ phường Yên Tử"} {
		var r map[string]any
		getJSON(t, url0+"/api/v1/reports/term?org="+url.QueryEscape(ward)+"&from=2025-07-01&to=2026-11-27", &r)
		if m, _ := r["members"].(float64); m < 500 {
			t.Errorf("%s today has %v members", ward, r["members"])
		}
	}
	var members map[string]any
	getJSON(t, url0+"/api/v1/members?q=nguyen+van+d&org=UB&as_of=2018-05-31&limit=5", &members)
	if total, _ := members["total"].(float64); total == 0 {
		t.Errorf("no \"nguyen van d\" in the demo: %v", members)
	}
}

// startDemoServer runs `dangvu serve --demo` on a fresh database in a temporary folder, on a
// random port, and returns its base URL (http://127.0.0.1:PORT). The server stops when the test
// ends.
func startDemoServer(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "demo.db")
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--db", db, "--addr", "127.0.0.1:0"}, pw, io.Discard)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	base := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if i := strings.Index(sc.Text(), "http://"); i >= 0 {
				select {
				case base <- strings.Fields(sc.Text()[i:])[0]:
				default:
				}
			}
		}
	}()
	select {
	case u := <-base:
		return u
	case err := <-done:
		done <- err // for the clean-up
		t.Fatalf("the server stopped before it started: %v", err)
	case <-time.After(2 * time.Minute):
		t.Fatal("the server did not start")
	}
	return ""
}

// loginClient logs in to the server at base with the login form and returns an HTTP client that
// carries the session cookie and does not follow redirects.
func loginClient(t *testing.T, base, user, password string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	// The form's pre-session CSRF token, as the login page gives it (its cookie stays in the jar).
	resp, err := c.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("login page: %d, no csrf field", resp.StatusCode)
	}
	resp, err = c.PostForm(base+"/login", url.Values{"username": {user}, "password": {password}, "csrf": {string(m[1])}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || len(jar.Cookies(resp.Request.URL)) == 0 {
		t.Fatalf("login as %s: %d", user, resp.StatusCode)
	}
	return c
}

// client is the HTTP client of getJSON: logged in once the test has logged in.
var client = http.DefaultClient

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	fetchJSON(t, client, u, v)
}

// fetchJSON GETs u with the client c and decodes the JSON answer into v.
func fetchJSON(t *testing.T, c *http.Client, u string, v any) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// TestServeReadDBRefusedOnSQLite: read replicas are PostgreSQL's; with a SQLite database serve
// refuses --read-db and DANGVU_READ_DB in Vietnamese before opening a port.
func TestServeReadDBRefusedOnSQLite(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dangvu.db")
	_, err := dangvuCmd(t, "serve", "--db", db, "--addr", "127.0.0.1:0", "--read-db", "postgres://postgres@127.0.0.1:5433/test")
	if dangvu.ErrorCode(err) != dangvu.EInvalid || !strings.Contains(dangvu.ErrorMessage(err), "chỉ dùng được khi cơ sở dữ liệu chính là PostgreSQL") {
		t.Errorf("--read-db with SQLite: %v", err)
	}
	t.Setenv(store.ReadDBEnv, "postgres://postgres@127.0.0.1:5433/test")
	if _, err := dangvuCmd(t, "serve", "--db", db, "--addr", "127.0.0.1:0"); dangvu.ErrorCode(err) != dangvu.EInvalid {
		t.Errorf("%s with SQLite: %v", store.ReadDBEnv, err)
	}
}
