package httpapi

import (
	"context"
	"strings"
	"testing"

	"dangvu"
	"dangvu/internal/store"
)

func init() {
	matrixFixtures = append(matrixFixtures, func(t *testing.T, s *store.Store) map[string][2]string {
		ctx := context.Background()
		for _, org := range []string{"PD", "PB"} {
			if _, err := s.OpenSupplements(ctx, "test", org, 2026, s.Clock.Today()); err != nil {
				t.Fatal(err)
			}
		}
		return map[string][2]string{"supplements": {"SB2026-M1", "SB2026-M5"}}
	})
}

// TestFilesAPI: the member-files routes as a ward's organisation staff: a card number failing
// its check and a badge for a milestone not reached are refused naming the field, nothing
// written; the 2026 supplement goes from entered to certified and the record changes; the
// member's file lists what it lacks; a member's own account may not read the files.
func TestFilesAPI(t *testing.T) {
	srv, s := newAuthServer(t)
	staff := newUser(t, s, dangvu.User{Username: "tc-pd", UserRole: dangvu.UserStaffOrg, OrgID: "PD"})
	self := newUser(t, s, dangvu.User{Username: "dv-m1", UserRole: dangvu.UserMember, OrgID: "PD", MemberID: "M1"})
	audit := func() int {
		es, err := s.AuditLog(context.Background(), "", "", 100000)
		if err != nil {
			t.Fatal(err)
		}
		return len(es)
	}
	n := audit()
	st, out := apiDo(t, srv.URL, staff, "POST", "/api/v1/cards", map[string]any{"member_id": "M1", "number": "999082001234", "kind": "exchange", "issued_on": "20/08/2025"})
	if st != 400 || !strings.Contains(out["message"].(string)+strings.Join(jsonFields(out), " "), "card_number") {
		t.Errorf("bad card number: %d %v", st, out)
	}
	st, out = apiDo(t, srv.URL, staff, "POST", "/api/v1/badges", map[string]any{"member_id": "M1", "milestone": 90, "kind": "due", "ceremony": "02/09/2026"})
	if st != 400 || !strings.Contains(strings.Join(jsonFields(out), " "), "milestone") {
		t.Errorf("milestone not reached: %d %v", st, out)
	}
	if audit() != n {
		t.Error("a refused write was audited")
	}
	st, out = apiDo(t, srv.URL, staff, "POST", "/api/v1/supplements", map[string]any{"org_id": "PD", "year": 2027})
	if st != 201 || out["opened"].(float64) == 0 {
		t.Fatalf("open: %d %v", st, out)
	}
	for _, step := range []map[string]any{
		{"action": "enter", "changes": map[string]string{"position": "Tổ trưởng tổ dân phố"}},
		{"action": "check"}, {"action": "certify"},
	} {
		if st, out := apiDo(t, srv.URL, staff, "POST", "/api/v1/supplements/SB2027-M1", step); st != 200 {
			t.Fatalf("%v: %d %v", step, st, out)
		}
	}
	if m, _ := s.Member(context.Background(), "M1", s.Clock.Today()); m.Position != "Tổ trưởng tổ dân phố" {
		t.Errorf("position after certification: %q", m.Position)
	}
	st, body := bearerGet(t, srv, staff, "/api/v1/members/M1/file")
	if st != 200 || !strings.Contains(body, `"missing"`) || !strings.Contains(body, "Lý lịch đảng viên") {
		t.Errorf("file: %d %.300s", st, body)
	}
	if st, _ := bearerGet(t, srv, self, "/api/v1/members/M1/file"); st != 403 {
		t.Errorf("a member's own account read the file: %d", st)
	}
	if st, body := bearerGet(t, srv, staff, "/api/v1/badges?org=PD&ceremony=03/09/2026"); st != 400 || !strings.Contains(body, "07/11/2026") {
		t.Errorf("not a ceremony day: %d %s", st, body)
	}
}

func jsonFields(out map[string]any) []string {
	var fs []string
	if l, ok := out["fields"].([]any); ok {
		for _, f := range l {
			if m, ok := f.(map[string]any); ok {
				fs = append(fs, m["field"].(string)+": "+m["reason"].(string))
			}
		}
	}
	return fs
}
