package httpapi

import (
	"testing"
)

// TestListConvention: every list of the API answers total, offset, limit and next (apiPage), and
// next leads to the following page.
func TestListConvention(t *testing.T) {
	lists := []string{
		"GET /api/v1/organisations", "GET /api/v1/members", "GET /api/v1/attention",
		"GET /api/v1/admissions", "GET /api/v1/members/{id}/acts",
		"GET /api/v1/documents", "GET /api/v1/programmes", "GET /api/v1/conferences",
		"GET /api/v1/inspections", "GET /api/v1/inspections/programmes", "GET /api/v1/disciplines", "GET /api/v1/disciplines/mine",
		"GET /api/v1/campaigns", "GET /api/v1/campaigns/{id}/reviews", "GET /api/v1/reviews/mine", "GET /api/v1/reviews/remedies",
	}
	types := wired().api
	for _, p := range lists {
		if !isList(types[p].out) {
			t.Errorf("%s: its body does not embed apiPage (total, offset, limit, next)", p)
		}
	}

	srv := newTestServer(t)
	tests := []struct {
		path     string
		total, n int
		next     any
	}{
		{"/api/v1/members?org=PD&as_of=2018-05-31&limit=3", 4, 3, "/api/v1/members?as_of=2018-05-31&limit=3&offset=3&org=PD"},
		{"/api/v1/members?as_of=2018-05-31&limit=3&offset=3&org=PD", 4, 1, nil},
		{"/api/v1/organisations?as_of=2018-05-31&under=UB&limit=2", 4, 2, "/api/v1/organisations?as_of=2018-05-31&limit=2&offset=2&under=UB"},
		{"/api/v1/organisations?as_of=2018-05-31&under=UB&limit=2&offset=2", 4, 2, nil},
	}
	for _, tc := range tests {
		status, body := get(t, srv, tc.path)
		if status != 200 {
			t.Fatalf("%s: %d %v", tc.path, status, body)
		}
		list, _ := body["members"].([]any)
		if list == nil {
			list, _ = body["organisations"].([]any)
		}
		if body["total"] != float64(tc.total) || len(list) != tc.n || body["next"] != tc.next {
			t.Errorf("%s: total %v, %d rows, next %v; want %d, %d, %v", tc.path, body["total"], len(list), body["next"], tc.total, tc.n, tc.next)
		}
	}
}
