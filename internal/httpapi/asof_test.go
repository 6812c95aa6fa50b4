package httpapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/store"
)

// The member who moved out: M7 belonged to cell K1 of ward PD from 2010 and moved to cell K3 of
// the sibling ward PB on 1/6/2017; in 2021 PB exempted him. What ward PD's users saw of him
// before 2017 they may still read as it was then; his later history and today's personal data
// belong to PB.
const (
	movedID      = "M7"
	movedCCCD    = "022075004321"
	movedPhone   = "0912345678"
	movedHome    = "Tổ 5, khu 3, phường Bắc Sơn"
	movedWork    = "Kế toán trưởng"
	movedLeft    = "2017-06-01"
	movedLater   = "2021-03-01" // exempted by PB
	movedLaterOn = "Số 21-QĐ/ĐU"
	movedOrgOn   = "2018-01-01"
	movedOrgName = "Chi bộ khu 4 (Bắc Sơn)"
)

func addRow(t *testing.T, m *exchange.Memory, table string, kv map[string]string) {
	t.Helper()
	tb, _ := exchange.Lookup(table)
	vals := make([]string, len(tb.Columns))
	for i, c := range tb.Columns {
		vals[i] = kv[c]
	}
	if err := m.Row(table, vals); err != nil {
		t.Fatal(err)
	}
}

// newMovedServer serves the access fixture with M7, from a store of the given engine.
func newMovedServer(t *testing.T, open func(*testing.T) *store.Store) (*httptest.Server, *store.Store) {
	t.Helper()
	m := accessData(t)
	addRow(t, m, "members", map[string]string{"id": movedID, "full_name": "Phạm Văn Bảy", "gender": "male", "birth_date": "1975-04-02", "ethnicity": "01",
		"residence": movedHome, "id_number": movedCCCD, "phone": movedPhone, "occupation": movedWork, "admitted_on": "2005-01-01", "full_on": "2006-01-01"})
	for _, st := range [][2]string{{"2005-01-01", "probationary"}, {"2006-01-01", "full"}} {
		addRow(t, m, "member_statuses", map[string]string{"member_id": movedID, "valid_from": st[0], "status": st[1]})
	}
	addRow(t, m, "member_statuses", map[string]string{"member_id": movedID, "valid_from": movedLater, "status": "exempt", "document": movedLaterOn})
	addRow(t, m, "memberships", map[string]string{"member_id": movedID, "org_id": "K1", "valid_from": "2010-01-01", "valid_to": movedLeft, "kind": "official"})
	addRow(t, m, "memberships", map[string]string{"member_id": movedID, "org_id": "K3", "valid_from": movedLeft, "kind": "official", "document": "Số 7-QĐ/ĐU"})
	addRow(t, m, "movements", map[string]string{"id": "MV7", "member_id": movedID, "kind": "internal", "date": movedLeft, "from_org_id": "K1", "to_org_id": "K3", "document": "Số 7-QĐ/ĐU"})
	// Cell K4 of ward PD, moved to ward PB and renamed in 2018.
	addRow(t, m, "organisations", map[string]string{"id": "K4", "valid_from": "2010-01-01", "valid_to": movedOrgOn, "name": "Chi bộ khu 4", "parent_id": "PD", "level": "cell", "kind": "residential", "issuer_code": "CB"})
	addRow(t, m, "organisations", map[string]string{"id": "K4", "valid_from": movedOrgOn, "name": movedOrgName, "parent_id": "PB", "level": "cell", "kind": "residential", "issuer_code": "CB"})
	s := open(t)
	if _, err := s.Import(t.Context(), m.Reader(), store.ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&Server{Store: s}).Handler())
	t.Cleanup(srv.Close)
	return srv, s
}

// TestScopeAsOfMovedMember: ward PD's organisation staff asking for M7 as of 2016 get his record
// as it was then — no CCCD, phone, residence or occupation of today (revealing is refused), no
// membership, movement or status from the day he left — on the API and the page; a write or a
// route without as_of cannot borrow the earlier date; ward PB, where he is now, sees everything.
func TestScopeAsOfMovedMember(t *testing.T) {
	onEngines(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		srv, s := newMovedServer(t, open)
		pd := newUser(t, s, dangvu.User{Username: "tc-pd", UserRole: dangvu.UserStaffOrg, OrgID: "PD"})
		pb := newUser(t, s, dangvu.User{Username: "tc-pb", UserRole: dangvu.UserStaffOrg, OrgID: "PB"})
		today := []string{movedCCCD, movedPhone, movedHome, movedWork}
		later := []string{"Chi bộ khu 3", movedLater, movedLaterOn, "Số 7-QĐ/ĐU", "exempt"}
		hidden := func(where, body string, words []string) {
			t.Helper()
			for _, w := range words {
				if strings.Contains(body, w) {
					t.Errorf("%s: shows %q: %.400s", where, w, body)
				}
			}
		}
		// The record as it was in 2016: readable, masked, cut at the day he left.
		status, body := bearerGet(t, srv, pd, "/api/v1/members/"+movedID+"?as_of=2016-01-01")
		if status != 200 || !strings.Contains(body, "Phạm Văn Bảy") || !strings.Contains(body, `"org_id":"K1"`) {
			t.Errorf("as of 2016: %d %.300s", status, body)
		}
		hidden("API as of 2016", body, append(today, later...))
		// Revealing today's personal data is refused; the reveal form (a POST) does not find him.
		status, body = bearerGet(t, srv, pd, "/api/v1/members/"+movedID+"?as_of=2016-01-01&reveal=1")
		if status != http.StatusForbidden {
			t.Errorf("reveal as of 2016: %d, want 403", status)
		}
		hidden("reveal as of 2016", body, append(today, later...))
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/members/"+movedID+"/reveal?as_of=2016-01-01", nil)
		req.Header.Set("Authorization", "Bearer "+pd)
		status, body, _ = do(t, noRedirect(), req)
		if status != http.StatusNotFound { // a POST is judged on today's tree
			t.Errorf("reveal page as of 2016: %d, want 404", status)
		}
		hidden("reveal page as of 2016", body, append(today, later...))
		status, body = bearerGet(t, srv, pd, "/members/"+movedID+"?as_of=2016-01-01")
		if status != 200 || !strings.Contains(body, "Phạm Văn Bảy") {
			t.Errorf("page as of 2016: %d", status)
		}
		hidden("page as of 2016", body, append(today, later...))
		// Today he is not theirs; a route without as_of, or a write, does not take the date.
		if status, _ := bearerGet(t, srv, pd, "/api/v1/members/"+movedID); status != 404 {
			t.Errorf("today: %d, want 404", status)
		}
		if status, body := bearerGet(t, srv, pd, "/api/v1/members/"+movedID+"/acts?as_of=2016-01-01"); status != 404 {
			t.Errorf("acts with a borrowed date: %d %.200s", status, body)
		}
		before, _ := s.AuditLog(t.Context(), "", "", 1)
		req, _ = http.NewRequest(http.MethodPost, srv.URL+"/api/v1/members/"+movedID+"/acts?as_of=2016-01-01", strings.NewReader(`{"kind":"deceased","date":"2026-01-02"}`))
		req.Header.Set("Authorization", "Bearer "+pd)
		req.Header.Set("Content-Type", "application/json")
		if status, body, _ := do(t, noRedirect(), req); status != 404 {
			t.Errorf("a write with a borrowed date: %d %.200s", status, body)
		}
		if after, _ := s.AuditLog(t.Context(), "", "", 1); after[0].Seq != before[0].Seq {
			t.Errorf("a write with a borrowed date was recorded")
		}
		// Nor through the day chosen in the header ("Xem theo ngày"): it dates what pages show,
		// never the scope of a write.
		req, _ = http.NewRequest(http.MethodPost, srv.URL+"/api/v1/members/"+movedID+"/acts", strings.NewReader(`{"kind":"deceased","date":"2026-01-02"}`))
		req.Header.Set("Authorization", "Bearer "+pd)
		req.Header.Set("Content-Type", "application/json")
		req.AddCookie(&http.Cookie{Name: DayCookie, Value: "2016-01-01"})
		if status, body, _ := do(t, noRedirect(), req); status != 404 {
			t.Errorf("a write with the header's day: %d %.200s", status, body)
		}
		if after, _ := s.AuditLog(t.Context(), "", "", 1); after[0].Seq != before[0].Seq {
			t.Errorf("a write with the header's day was recorded")
		}
		// Ward PB sees him whole, today and as of 2016 alike.
		for _, p := range []string{"/api/v1/members/" + movedID + "?reveal=1", "/api/v1/members/" + movedID + "?as_of=2016-01-01&reveal=1"} {
			status, body := bearerGet(t, srv, pb, p)
			for _, w := range []string{movedCCCD, movedHome, movedLater, "K3"} {
				if status != 200 || !strings.Contains(body, w) {
					t.Errorf("PB %s: %d, lacks %q", p, status, w)
				}
			}
		}
		// A list as of 2016 shows him as he was then too.
		status, body = bearerGet(t, srv, pd, "/api/v1/members?org=PD&as_of=2016-01-01")
		if status != 200 || !strings.Contains(body, "Phạm Văn Bảy") {
			t.Errorf("list as of 2016: %d %.300s", status, body)
		}
		hidden("list as of 2016", body, append(today, later...))
		if status, body := bearerGet(t, srv, pb, "/api/v1/members?org=PB"); status != 200 || !strings.Contains(body, movedWork) {
			t.Errorf("PB's list today: %d, lacks his occupation", status)
		}
		// An organisation that left: its page as of 2016 shows its versions until it left.
		status, body = bearerGet(t, srv, pd, "/orgs/K4?as_of=2016-01-01")
		if status != 200 || !strings.Contains(body, "Chi bộ khu 4") {
			t.Errorf("K4 as of 2016: %d", status)
		}
		hidden("K4 as of 2016", body, []string{movedOrgName, "Bắc Sơn"})
		if status, _ := bearerGet(t, srv, pd, "/orgs/K4"); status != 403 {
			t.Errorf("K4 today: %d, want 403", status)
		}
		if status, body := bearerGet(t, srv, pb, "/orgs/K4?as_of=2019-01-01"); status != 200 || !strings.Contains(body, movedOrgName) || !strings.Contains(body, "Chi bộ khu 4<") && !strings.Contains(body, "Chi bộ khu 4 ") {
			t.Errorf("K4 for PB: %d, lacks its versions", status)
		}
		// A member of PD today keeps the whole history when read as of an earlier date.
		if status, body := bearerGet(t, srv, pd, "/api/v1/members/M2?as_of=2017-01-01"); status != 200 || !strings.Contains(body, `"org_id":"K2"`) {
			t.Errorf("M2 as of 2017: %d, lacks the 2019 move to K2: %.300s", status, body)
		}
	})
}
