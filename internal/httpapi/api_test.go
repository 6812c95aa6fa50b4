package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/store"
)

func newTestServer(t *testing.T) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "api.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := exchange.Open("../../testdata/sample")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, r, store.ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	// Requests without credentials run as an administrator of the whole tree (with a Bearer
	// token, so without CSRF); the access tests (auth_test.go) use newAuthServer instead.
	if _, err := s.CreateUser(ctx, "test", dangvu.User{Username: "root", UserRole: dangvu.UserAdmin}, "mat-khau-quan-tri"); err != nil {
		t.Fatal(err)
	}
	tok, err := s.CreateAPIToken(ctx, "test", "root", "test")
	if err != nil {
		t.Fatal(err)
	}
	h := (&Server{Store: s}).Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := r.Cookie(SessionCookie); r.Header.Get("Authorization") == "" && err != nil {
			r.Header.Set("Authorization", "Bearer "+tok)
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, srv *httptest.Server, path string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: Content-Type %q", path, ct)
	}
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return resp.StatusCode, body
}

// at walks a decoded JSON value: at(body, "members", 0, "full_name").
func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			a, _ := v.([]any)
			if k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

func TestAPI(t *testing.T) {
	srv := newTestServer(t)
	q := url.QueryEscape
	tests := []struct {
		path   string
		status int
		checks map[string]any // "a.b.0.c" → value
	}{
		{"/healthz", 200, map[string]any{"status": "ok"}},
		{"/api/v1/organisations?as_of=2018-05-31&under=UB", 200, map[string]any{"organisations.0.id": "UB", "organisations.0.members": 4.0, "organisations.1.id": "PD"}},
		{"/api/v1/organisations?as_of=2018-05-31&under=UB&depth=1", 200, map[string]any{"organisations.1.id": "PD", "organisations.2": nil}},
		{"/api/v1/organisations?as_of=2026-01-01&under=UB", 404, map[string]any{"error": "not_found"}},
		{"/api/v1/organisations/PD?as_of=2018-05-31", 200, map[string]any{"organisation.parent_id": "UB", "organisation.path": "/VN/QN/UB/PD/", "children.0.id": "K1", "children.1.members": 2.0}},
		{"/api/v1/organisations/PD?as_of=2025-07-01", 200, map[string]any{"organisation.parent_id": "QN", "organisation.path": "/VN/QN/PD/"}},
		{"/api/v1/organisations/PD/history", 200, map[string]any{"versions.1.event_id": "E2025"}},
		{"/api/v1/members?q=" + q("nguyen van duc"), 200, map[string]any{"total": 1.0, "total_capped": false, "members.0.full_name": "Nguyễn Văn Đức", "members.0.org_name": "Chi bộ khu 1"}},
		{"/api/v1/members?q=" + q("ĐƯC"), 0, nil},
		{"/api/v1/members?org=PD&as_of=2018-05-31", 200, map[string]any{"total": 4.0,
			// Vietnamese order: by given name first — An, Bình, Đức, Hoa.
			"members.0.full_name": "Trần Thị An", "members.1.full_name": "Lê Văn Bình", "members.2.full_name": "Nguyễn Văn Đức", "members.3.full_name": "Phạm Thị Hoa"}},
		{"/api/v1/members?org=PD&as_of=2018-05-31&status=probationary", 200, map[string]any{"total": 1.0, "members.0.id": "M3"}},
		{"/api/v1/members?org=PD&gender=female&limit=1", 200, map[string]any{"total": 1.0, "limit": 1.0}},
		{"/api/v1/members?org=PD&as_of=2018-05-31&age=under30", 200, map[string]any{"total": 1.0, "members.0.id": "M3"}},
		{"/api/v1/members?org=PD&as_of=2018-05-31&age=46to60", 200, map[string]any{"total": 1.0, "members.0.id": "M1"}},
		{"/api/v1/members?org=PD&as_of=2018-05-31&age=over60", 200, map[string]any{"total": 1.0, "members.0.id": "M4"}},
		{"/api/v1/members?org=PD&as_of=2018-05-31&party_age=under5", 200, map[string]any{"total": 2.0, "members.0.id": "M2", "members.1.id": "M3"}},
		{"/api/v1/members?org=PD&as_of=2018-05-31&party_age=30plus&gender=female", 200, map[string]any{"total": 1.0, "members.0.id": "M4"}},
		{"/api/v1/members?org=PD&as_of=2018-05-31&ethnicity=03", 200, map[string]any{"total": 1.0, "members.0.id": "M3"}},
		{"/api/v1/members?q=l&as_of=2018-05-31&ethnicity=03&age=under30", 200, map[string]any{"total": 1.0, "members.0.id": "M3"}},
		{"/api/v1/members?age=young", 400, map[string]any{"fields.0.field": "age"}},
		{"/api/v1/members?status=nope", 400, map[string]any{"error": "invalid", "fields.0.field": "status"}},
		{"/api/v1/members?as_of=31/02/2018", 400, map[string]any{"fields.0.field": "as_of"}},
		{"/api/v1/members/M2?as_of=2018-05-31", 200, map[string]any{"member.org_id": "K1", "member.status": "full", "history.memberships.1.org_id": "K2", "history.movements.0.kind": "internal"}},
		{"/api/v1/members/NOPE", 404, map[string]any{"error": "not_found"}},
		{"/api/v1/reports/term?org=UB&from=2015-01-01&to=2018-05-31", 200, map[string]any{"members": 4.0, "admitted": 2.0, "term_start": "2015-08-20"}},
		{"/api/v1/reports/term?org=" + q("Đảng bộ tỉnh Quảng Ninh") + "&from=2015-01-01&to=2026-11-27", 200, map[string]any{"org_id": "QN", "members": 3.0}},
		{"/api/v1/reports/term?from=2015-01-01", 200, map[string]any{"org_id": "VN"}}, // the whole tree: its root
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			status, body := get(t, srv, tt.path)
			if tt.status != 0 && status != tt.status {
				t.Fatalf("status %d, want %d: %v", status, tt.status, body)
			}
			for k, want := range tt.checks {
				var path []any
				for _, p := range strings.Split(k, ".") {
					if n := atoi(p); n >= 0 {
						path = append(path, n)
					} else {
						path = append(path, p)
					}
				}
				if got := at(body, path...); got != want {
					t.Errorf("%s = %#v, want %#v", k, got, want)
				}
			}
		})
	}
	// Searching with and without diacritics finds the same person.
	_, a := get(t, srv, "/api/v1/members?q="+q("ĐƯC"))
	_, b := get(t, srv, "/api/v1/members?q="+q("duc"))
	if at(a, "total") != at(b, "total") {
		t.Errorf("search 'ĐƯC' found %v, 'duc' found %v", at(a, "total"), at(b, "total"))
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

func TestOpenAPIListsEveryRoute(t *testing.T) {
	srv := newTestServer(t)
	_, doc := get(t, srv, "/api/v1/openapi.json")
	paths, _ := doc["paths"].(map[string]any)
	// The same list the handler serves (Handler ranges over allRoutes), every method of each path.
	for _, rt := range allRoutes() {
		method, p, _ := strings.Cut(rt.pattern, " ")
		ops, _ := paths[docPath(p)].(map[string]any)
		if ops[strings.ToLower(method)] == nil {
			t.Errorf("openapi.json lacks %s", rt.pattern)
		}
	}
}
