package httpapi

import (
	"fmt"
	"net/http"
	"slices"
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
