package httpapi

import (
	"context"
	"strings"
	"testing"

	"dangvu"
)

// Identity numbers, phones and addresses are masked by default; revealing them is allowed to some
// roles only and is logged each time (domain.md §3).
func TestRevealSensitive(t *testing.T) {
	srv, s := newAuthServer(t)
	ctx := context.Background()
	orgStaff := newUser(t, s, dangvu.User{Username: "tochuc", FullName: "Cán bộ tổ chức", UserRole: dangvu.UserStaffOrg, OrgID: "PD"})
	inspector := newUser(t, s, dangvu.User{Username: "kiemtra", FullName: "Cán bộ kiểm tra", UserRole: dangvu.UserStaffInspection, OrgID: "PD"})
	reveals := func() int {
		log, err := s.AuditLog(ctx, "member", "M1", 100)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range log {
			if e.Action == "reveal" {
				n++
				if strings.Contains(e.After, "022070001234") {
					t.Errorf("the audit entry holds the revealed value: %s", e.After)
				}
			}
		}
		return n
	}
	tests := []struct {
		name, tok, path string
		status          int
		shows           bool
		logged          int
	}{
		{"masked by default", orgStaff, "/api/v1/members/M1", 200, false, 0},
		{"masked in lists", orgStaff, "/api/v1/members?q=nguyen+van+duc", 200, false, 0},
		{"revealed and logged", orgStaff, "/api/v1/members/M1?reveal=1", 200, true, 1},
		{"a role that may not", inspector, "/api/v1/members/M1?reveal=1", 403, false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := bearerGet(t, srv, tt.tok, tt.path)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, body)
			}
			if got := strings.Contains(body, "022070001234"); got != tt.shows {
				t.Errorf("body shows the ID number: %v, want %v", got, tt.shows)
			}
			if tt.status == 200 && !tt.shows && !strings.Contains(body, "*********234") {
				t.Errorf("masked ID number missing: %s", body)
			}
			if n := reveals(); n != tt.logged {
				t.Errorf("%d reveal entries, want %d", n, tt.logged)
			}
		})
	}
}
