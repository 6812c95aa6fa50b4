package httpapi

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dangvu"
)

// update rewrites the golden files instead of comparing with them (go test -run Golden -update).
// Issue 16 moves the wiring of every domain; these snapshots say the application it assembles
// is the same: regenerate them only in a commit that adds a route, a menu item or a figure.
var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from %s:\n got:\n%s\nwant:\n%s", name, path, got, want)
	}
}

// TestGoldenRoutes records every route in the order the handler registers it, with its action.
func TestGoldenRoutes(t *testing.T) {
	var b strings.Builder
	for _, rt := range allRoutes() {
		access := string(rt.action)
		if rt.public {
			access = "public"
		}
		fmt.Fprintf(&b, "%s\t%s\n", rt.pattern, access)
	}
	golden(t, "routes", b.String())
}

// TestGoldenMenu records the main menu each role sees, rendered by the layout.
func TestGoldenMenu(t *testing.T) {
	var b strings.Builder
	for _, role := range dangvu.UserRoles {
		fmt.Fprintf(&b, "%s:", role.Code)
		u := &dangvu.User{UserRole: role.Code}
		for _, it := range wired().nav {
			// The layout's rule (web/templates/layout.html): members do not get the organisations.
			if u.UserRole.Can(dangvu.Action(it.Action)) && (it.Key != "orgs" || role.Code != dangvu.UserMember) {
				fmt.Fprintf(&b, " %s=%s", it.Key, it.Path)
			}
		}
		b.WriteString("\n")
	}
	golden(t, "menu", b.String())
}

// TestGoldenReportKeys records the term report's JSON keys in order (a documented contract,
// docs/reports.md) with each figure's period group, for a plain and a composite report.
func TestGoldenReportKeys(t *testing.T) {
	srv := newTestServer(t)
	var b strings.Builder
	for _, q := range []string{
		"/api/v1/reports/term?org=UB&from=2015-01-01&to=2018-05-31",
		"/api/v1/reports/term?org=UB&preset=article&to=2018-05-31",
	} {
		resp, err := http.Get(srv.URL + q)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", q, resp.StatusCode, body)
		}
		fmt.Fprintf(&b, "# %s\n", q)
		dec := json.NewDecoder(bytes.NewReader(body))
		if _, err := dec.Token(); err != nil { // {
			t.Fatal(err)
		}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				t.Fatal(err)
			}
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s\t%s\n", k, dangvu.FigureGroup(k.(string)))
		}
	}
	golden(t, "report_keys", b.String())
}
