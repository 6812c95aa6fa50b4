package httpapi

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const (
	apiDocBegin = "<!-- BEGIN reference (generated) -->\n"
	apiDocEnd   = "<!-- END reference -->\n"
)

// TestAPIDoc: the reference part of docs/api.md is the one written from the OpenAPI document
// (-update rewrites it), and every "METHOD /api/…" the docs name is an operation of the document.
func TestAPIDoc(t *testing.T) {
	doc := openAPIDocument(allRoutes())
	want := apiMarkdown(apiReference(doc))
	name := filepath.Join("..", "..", "docs", "api.md")
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	i, j := strings.Index(text, apiDocBegin), strings.Index(text, apiDocEnd)
	if i < 0 || j < i {
		t.Fatalf("docs/api.md lacks the markers %q and %q", apiDocBegin, apiDocEnd)
	}
	if got := text[i+len(apiDocBegin) : j]; got != want {
		if *update {
			if err := os.WriteFile(name, []byte(text[:i+len(apiDocBegin)]+want+text[j:]), 0o644); err != nil {
				t.Fatal(err)
			}
		} else {
			t.Errorf("docs/api.md: the reference differs from the OpenAPI document; run go test ./internal/httpapi -run TestAPIDoc -update")
		}
	}

	paths := doc["paths"].(map[string]any)
	mention := regexp.MustCompile("`(GET|POST|PUT|PATCH|DELETE) (/api/v1/[^`?\\s]*)")
	files, _ := filepath.Glob(filepath.Join("..", "..", "docs", "*.md"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mention.FindAllStringSubmatch(string(b), -1) {
			path := strings.TrimRight(m[2], ".,;:)")
			ops, _ := paths[path].(map[string]any)
			if ops[strings.ToLower(m[1])] == nil {
				t.Errorf("%s names %s %s, which the API does not have", filepath.Base(f), m[1], path)
			}
		}
	}
}

// TestAPIPage: /api lists every JSON operation of the document and its types, and the footer
// links to it for roles with reports (not for a member's account).
func TestAPIPage(t *testing.T) {
	srv := newTestServer(t)
	resp, err := http.Get(srv.URL + "/api")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b := new(strings.Builder)
	if _, err := io.Copy(b, resp.Body); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if resp.StatusCode != 200 {
		t.Fatalf("/api: %d %.300s", resp.StatusCode, page)
	}
	for _, rt := range allRoutes() {
		method, path := splitPattern(rt.pattern)
		if jsonPath(path) && !strings.Contains(page, "<code>"+method+" "+docPath(path)+"</code>") {
			t.Errorf("/api lacks %s", rt.pattern)
		}
	}
	for _, s := range []string{`id="type-MemberListBody"`, `id="type-Error"`, `href="/api"`, "Ví dụ"} {
		if !strings.Contains(page, s) {
			t.Errorf("/api lacks %s", s)
		}
	}
}
