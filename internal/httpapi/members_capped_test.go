package httpapi

import (
	"encoding/json"
	"strings"
	"testing"

	"dangvu"
)

// TestMembersCapped lowers the store's count cap below the access data's member count: the API
// says total_capped with the cap as total, the page says "Hơn"; within the cap both are exact.
func TestMembersCapped(t *testing.T) {
	srv, s := newAuthServer(t)
	admin := newUser(t, s, dangvu.User{Username: "root", UserRole: dangvu.UserAdmin})
	_, body := bearerGet(t, srv, admin, "/api/v1/members")
	var all struct {
		Total int `json:"total"`
	}
	if err := json.Unmarshal([]byte(body), &all); err != nil || all.Total < 2 {
		t.Fatalf("uncapped list: %v, total %d (%s)", err, all.Total, body)
	}
	for _, c := range []struct {
		cap    int
		capped bool
	}{{all.Total - 1, true}, {all.Total, false}} {
		s.MemberCountCap = c.cap
		status, body := bearerGet(t, srv, admin, "/api/v1/members?limit=1")
		var got struct {
			Total   int               `json:"total"`
			Capped  bool              `json:"total_capped"`
			Members []json.RawMessage `json:"members"`
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil || status != 200 || got.Total != c.cap || got.Capped != c.capped || len(got.Members) != 1 {
			t.Errorf("cap %d: status %d, total %d, capped %v, %d members; want 200, %d, %v, 1", c.cap, status, got.Total, got.Capped, len(got.Members), c.cap, c.capped)
		}
		_, html := bearerGet(t, srv, admin, "/members")
		if hon := strings.Contains(html, "Hơn "); hon != c.capped {
			t.Errorf("cap %d: page says Hơn: %v, want %v", c.cap, hon, c.capped)
		}
	}
}
