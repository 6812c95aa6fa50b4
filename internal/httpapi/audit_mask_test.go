package httpapi

import (
	"slices"
	"strings"
	"testing"

	"dangvu"
	"dangvu/internal/store"
)

// TestAuditMasksSensitive: a member's new residence, phone and ID number are not kept in clear
// in the audit log's before and after values, so the audit page cannot show them to the
// leadership, who may read the log but not reveal; the edit page, which shows the residence in
// clear to be edited, logs that as a reveal.
func TestAuditMasksSensitive(t *testing.T) {
	onEngines(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		srv, s := newAuthServerOn(t, open)
		lead := newUser(t, s, dangvu.User{Username: "ld-pd", UserRole: dangvu.UserLeadership, OrgID: "PD"})
		staff := newUser(t, s, dangvu.User{Username: "tc-pd", UserRole: dangvu.UserStaffOrg, OrgID: "PD"})
		ctx := t.Context()
		m, err := s.Member(ctx, "M1", s.Clock.Today())
		if err != nil {
			t.Fatal(err)
		}
		oldHome, oldID := m.Residence, m.IDNumber
		if oldHome == "" || oldID == "" {
			t.Fatalf("the fixture's M1 needs a residence and an ID number: %+v", m)
		}
		m.Residence, m.Phone, m.IDNumber = "Số 12 đường Trần Hưng Đạo, tổ 4", "0987654321", "022070009876"
		if _, err := s.UpdateMember(ctx, "tc-pd", m); err != nil {
			t.Fatal(err)
		}
		clear := []string{oldHome, oldID, m.Residence, m.Phone, m.IDNumber}
		es, err := s.AuditLog(ctx, "member", "M1", 1)
		if err != nil || len(es) != 1 || es[0].Action != "update" {
			t.Fatalf("audit of the update: %v %+v", err, es)
		}
		for _, v := range clear {
			if strings.Contains(es[0].Before+es[0].After, v) {
				t.Errorf("the audit log keeps %q in clear: %s → %s", v, es[0].Before, es[0].After)
			}
		}
		if !strings.Contains(es[0].After, "residence") || !strings.Contains(es[0].After, "***321") {
			t.Errorf("the audit log should still say which fields changed, masked: %s", es[0].After)
		}
		status, body := bearerGet(t, srv, lead, "/audit?entity=member&id=M1")
		if status != 200 || !strings.Contains(body, "Nơi ở hiện nay") {
			t.Fatalf("audit page: %d", status)
		}
		for _, v := range clear {
			if strings.Contains(body, v) {
				t.Errorf("the audit page shows %q to a role that may not reveal it", v)
			}
		}

		// The edit page shows the residence to edit it: a reveal, logged.
		status, body = bearerGet(t, srv, staff, "/members/M1/edit")
		if status != 200 || !strings.Contains(body, m.Residence) {
			t.Fatalf("edit page: %d", status)
		}
		es, err = s.AuditLog(ctx, "member", "M1", 1)
		if err != nil || len(es) != 1 || es[0].Action != "reveal" || es[0].Actor != "tc-pd" || !strings.Contains(es[0].After, "residence") {
			t.Errorf("the edit page's reveal is not logged: %v %+v", err, es)
		}
		if strings.Contains(es[0].After, m.Residence) {
			t.Errorf("the reveal entry holds the value: %s", es[0].After)
		}
		if !slices.Contains(store.SensitiveFields, "residence") {
			t.Errorf("residence is no longer a sensitive field: %v", store.SensitiveFields)
		}
	})
}
