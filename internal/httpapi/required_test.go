package httpapi

import (
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"dangvu"
)

// TestRequiredFields: a request body without a field its type tags api:"required" (or with it
// null or empty) is refused with the error body naming every such field, before the handler
// runs; the OpenAPI document marks the same fields required (issue 21).
func TestRequiredFields(t *testing.T) {
	srv, s := newAuthServer(t)
	tok := newUser(t, s, dangvu.User{Username: "pd-admin", UserRole: dangvu.UserAdmin, OrgID: "PD"})
	tests := []struct {
		path string
		body map[string]any
		want []string
	}{
		{"/api/v1/dues/bases", map[string]any{"group": "pension", "amount": 100}, []string{"member_id", "from"}},
		{"/api/v1/dues/bases", map[string]any{"member_id": "M3", "from": "", "amount": 100}, []string{"from"}},
		{"/api/v1/dues/bases", map[string]any{"member_id": nil, "from": "2026-01-01"}, []string{"member_id"}},
		{"/api/v1/documents", map[string]any{"org_id": "PD", "direction": "incoming", "number": "04-NQ/TW"}, []string{"date", "title"}},
		// Nested objects too, named by their path.
		{"/api/v1/programmes", map[string]any{"org_id": "PD", "date": "20/12/2016", "title": "Chương trình",
			"tasks": []any{map[string]any{"title": "Học tập", "assignee_org_id": "K1", "deadline": "28/02/2017"}, map[string]any{"assignee_org_id": "K1", "title": ""}}},
			[]string{"tasks[1].title", "tasks[1].deadline"}},
	}
	for _, tc := range tests {
		st, out := apiDo(t, srv.URL, tok, http.MethodPost, tc.path, tc.body)
		var got []string
		fields, _ := out["fields"].([]any)
		for _, f := range fields {
			m, _ := f.(map[string]any)
			got = append(got, fmt.Sprint(m["field"]))
		}
		if st != http.StatusBadRequest || out["error"] != "invalid" || out["message"] == nil || !slices.Equal(got, tc.want) {
			t.Errorf("POST %s %v: %d %v, want 400 naming %v", tc.path, tc.body, st, out, tc.want)
		}
	}
	doc := openAPIDocument(allRoutes())
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	found := false
	for name, sc := range schemas {
		m, _ := sc.(map[string]any)
		if req, ok := m["required"].([]string); ok && slices.Equal(req, []string{"member_id", "from"}) && m["additionalProperties"] == nil {
			found = true
			_ = name
		}
	}
	if !found {
		t.Error("the document does not mark the dues basis request's member_id and from required")
	}
}

// partialBodies are the JSON write routes whose body may leave out every field, each with why;
// a body of {} is theirs to accept. Every other write route must refuse it.
var partialBodies = map[string]string{
	"POST /api/v1/disciplines/{id}/correct": "an amendment (apiTypes.patch): the fields given replace the decision's, the rest stay",
	"POST /api/v1/reviews/{id}/self":        "a draft saved as it is written; the campaign's steps check it when it is submitted",
	"POST /api/v1/self-reviews/{id}":        "a draft saved as it is written (the member's own)",
	"POST /api/v1/reviews/{id}/meeting":     "the meeting's record, filled in as it goes; a proposed rating needs the attendance",
	"POST /api/v1/meetings/{id}/minutes":    "the minutes, filled in part by part after the meeting",
}

// TestEmptyBodies posts {} to every JSON write route: a route whose request type tags fields
// api:"required" answers 400 invalid naming exactly those fields in fields[], in Vietnamese; one
// without tags is refused by its store with a 4xx naming what is missing (or listed in
// partialBodies); nothing is written either way (the audit log does not grow). The document marks
// the same fields required. A new write route is covered as it is added.
func TestEmptyBodies(t *testing.T) {
	srv, s := newAuthServer(t)
	ctx := t.Context()
	objects := map[string][2]string{}
	for _, f := range matrixFixtures {
		for k, v := range f(t, s) {
			objects[k] = v
		}
	}
	admin := newUser(t, s, dangvu.User{Username: "qt-pd", UserRole: dangvu.UserAdmin, OrgID: "PD"})
	self := newUser(t, s, dangvu.User{Username: "dv-m1", UserRole: dangvu.UserMember, OrgID: "PD", MemberID: "M1"})
	// A task and an appeal, for the routes whose path names one.
	st, task := apiDo(t, srv.URL, admin, "POST", "/api/v1/programmes/CTR-PD/tasks", map[string]any{"title": "Kiểm điểm", "assignee_org_id": "K1", "deadline": "30/06/2017"})
	if st != 201 {
		t.Fatalf("task: %d %v", st, task)
	}
	disc := objects["disciplines"][0]
	st, appeal := apiDo(t, srv.URL, admin, "POST", "/api/v1/disciplines/"+disc+"/appeals",
		map[string]any{"received_on": "2024-03-12", "lodged_on": "2024-03-20", "handler_org_id": "PD", "handler_body": "grassroots_committee"})
	if st != 201 {
		t.Fatalf("appeal: %d %v", st, appeal)
	}
	lastAudit := func() int64 {
		es, err := s.AuditLog(ctx, "", "", 1)
		if err != nil || len(es) == 0 {
			t.Fatalf("audit log: %v", err)
		}
		return es[0].Seq
	}
	doc := openAPIDocument(allRoutes())
	types := wired().api
	for _, rt := range allRoutes() {
		method, path := splitPattern(rt.pattern)
		in := types[rt.pattern].in
		if method == "GET" || !jsonPath(path) || in == nil {
			continue
		}
		want := requiredFields(reflect.TypeOf(in))
		if types[rt.pattern].patch {
			want = nil // an amendment: nothing is required
		}
		if why, ok := partialBodies[rt.pattern]; ok {
			if len(want) > 0 {
				t.Errorf("%s: listed as taking a partial body (%s) but its type requires %v", rt.pattern, why, want)
			}
			continue
		}
		// The document's request schema requires the same fields.
		op := doc["paths"].(map[string]any)[docPath(path)].(map[string]any)[strings.ToLower(method)].(map[string]any)
		schema := op["requestBody"].(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
		if ref, ok := schema["$ref"].(string); ok {
			schema = doc["components"].(map[string]any)["schemas"].(map[string]any)[strings.TrimPrefix(ref, "#/components/schemas/")].(map[string]any)
		}
		if got := asStrings(schema["required"]); !slices.Equal(got, want) {
			t.Errorf("%s: the document requires %v, the decoder %v", rt.pattern, got, want)
		}

		id := "PD"
		if k := idKind(rt.pattern); k == "members" {
			id = "M1"
		} else if k == "tasks" {
			id = task["id"].(string)
		} else if o, ok := objects[k]; ok {
			id = o[0]
		}
		p := strings.NewReplacer("{id}", id, "{appeal}", fmt.Sprint(appeal["id"])).Replace(path)
		tok := admin
		if strings.HasPrefix(path, "/api/v1/me/") {
			tok = self
		}
		before := lastAudit()
		st, out := apiDo(t, srv.URL, tok, method, p, map[string]any{})
		var named []string
		fields, _ := out["fields"].([]any)
		for _, f := range fields {
			m, _ := f.(map[string]any)
			named = append(named, fmt.Sprint(m["field"]))
		}
		switch {
		case len(want) > 0:
			if st != http.StatusBadRequest || out["error"] != dangvu.EInvalid || !slices.Equal(named, want) || !strings.HasPrefix(fmt.Sprint(out["message"]), "Thiếu") {
				t.Errorf("POST %s {}: %d %v; want 400 invalid naming %v", p, st, out, want)
			}
		case st < 400 || st >= 500:
			t.Errorf("POST %s {}: %d %v; want it refused (tag the fields it cannot do without api:\"required\", or list it in partialBodies)", p, st, out)
		case st == http.StatusBadRequest && len(named) == 0:
			t.Errorf("POST %s {}: 400 %v names no field", p, out)
		}
		if lastAudit() != before {
			t.Errorf("POST %s {}: %d, but something was written", p, st)
		}
	}
}
