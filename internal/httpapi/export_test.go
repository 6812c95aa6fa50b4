package httpapi

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/store"
)

// secretTitle is the title of secretFixture's programme; no reader without ActReadSecret may
// see it anywhere (nor secretTask, nor the programme's number).
const (
	secretTitle = "Chương trình mật về bảo vệ chính trị nội bộ"
	secretTask  = "Rà soát hồ sơ mật"
)

// secretFixture adds to ward PD a secret incoming resolution studied at a conference that M1
// attended (with the fixture's open resolution NQ-PD, when matrixFixtures made it), and a secret
// action programme with an overdue task implementing the open resolution (else the secret one);
// it returns the programme and the secret resolution.
func secretFixture(t *testing.T, s *store.Store) (prog, doc dangvu.Document) {
	t.Helper()
	ctx := t.Context()
	nq, err := s.CreateDocument(ctx, "test", dangvu.Document{ID: "NQ-MAT-PD", OrgID: "PD", Direction: dangvu.DirIncoming, Number: "09-NQ/TW",
		Date: dangvu.MustDate("2016-10-30"), Title: "Nghị quyết mật về quốc phòng", Secrecy: dangvu.SecrecySecret})
	if err != nil {
		t.Fatal(err)
	}
	open := nq.ID
	docs := []string{nq.ID}
	if _, err := s.Document(ctx, "NQ-PD"); err == nil {
		open = "NQ-PD"
		docs = append(docs, open)
	}
	prog, _, err = s.CreateProgramme(ctx, "test", dangvu.Document{ID: "CTR-MAT-PD", OrgID: "PD", Direction: dangvu.DirOwn, Kind: dangvu.DocProgramme,
		Date: dangvu.MustDate("2016-12-01"), Title: secretTitle, Secrecy: dangvu.SecrecySecret, Implements: open},
		[]dangvu.Task{{Title: secretTask, AssigneeName: "Văn phòng Đảng ủy", Deadline: dangvu.MustDate("2017-01-31")}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.CreateConference(ctx, "test", dangvu.Conference{ID: "HN-MAT-PD", OrgID: "PD", Title: "Quán triệt nghị quyết chuyên đề", Date: dangvu.MustDate("2016-12-20"), DocumentIDs: docs})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetAttendance(ctx, "test", c.ID, []dangvu.Attendance{{MemberID: "M1", Status: dangvu.AttPresent}}); err != nil {
		t.Fatal(err)
	}
	return prog, nq
}

// formerMember adds M7, a member of cell K1 in ward PD from 2010 who moved to the sibling ward's
// cell K3 on formerLeft, with an identity number and a status change after the move: the pages
// show ward PD's users M7 as of before that day only, as M7 was then (MemberSeenUntil).
const formerLeft, formerBefore = "2020-01-01", "2019-12-31"

// cityEnded is the day the city committee UB ended; its wards left its subtree that day.
const cityEnded, cityBefore = "2025-07-01", "2025-06-30"

func formerMember(t *testing.T, s *store.Store) {
	t.Helper()
	m := exchange.NewMemory()
	add := func(table string, kv map[string]string) {
		tb, _ := exchange.Lookup(table)
		vals := make([]string, len(tb.Columns))
		for i, c := range tb.Columns {
			vals[i] = kv[c]
		}
		if err := m.Row(table, vals); err != nil {
			t.Fatal(err)
		}
	}
	add("members", map[string]string{"id": "M7", "full_name": "Lê Văn Bảy Chuyển", "gender": "male", "birth_date": "1975", "ethnicity": "01",
		"id_number": "022075009999", "residence": "Bắc Sơn", "occupation": "Kỹ sư", "admitted_on": "2005-01-01", "full_on": "2006-01-01"})
	add("member_statuses", map[string]string{"member_id": "M7", "valid_from": "2005-01-01", "status": "probationary"})
	add("member_statuses", map[string]string{"member_id": "M7", "valid_from": "2006-01-01", "status": "full"})
	add("member_statuses", map[string]string{"member_id": "M7", "valid_from": "2023-05-01", "status": "exempt", "reason": "Miễn sinh hoạt sau khi chuyển"})
	add("memberships", map[string]string{"member_id": "M7", "org_id": "K1", "valid_from": "2010-01-01", "valid_to": formerLeft, "kind": "official"})
	add("memberships", map[string]string{"member_id": "M7", "org_id": "K3", "valid_from": formerLeft, "kind": "official"})
	if _, err := s.Import(t.Context(), m.Reader(), store.ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
}

// exportIDRoutes tie each exported table to the API route that shows its rows to the same user:
// the column holding the id, and the route with {} for it. Every exported row must answer 200
// there, so the export holds no more than the API shows its reader.
var exportIDRoutes = map[string][][2]string{
	"organisations":        {{"id", "/api/v1/organisations/{}/history"}},
	"terms":                {{"org_id", "/api/v1/organisations/{}/history"}},
	"localities":           {{"cell_id", "/api/v1/organisations/{}/history"}},
	"units":                {{"org_id", "/api/v1/organisations/{}/history"}},
	"posts":                {{"org_id", "/api/v1/organisations/{}/history"}, {"member_id", "/api/v1/members/{}"}},
	"members":              {{"id", "/api/v1/members/{}"}},
	"member_statuses":      {{"member_id", "/api/v1/members/{}"}},
	"memberships":          {{"member_id", "/api/v1/members/{}"}, {"org_id", "/api/v1/organisations/{}/history"}},
	"movements":            {{"member_id", "/api/v1/members/{}"}},
	"admission_files":      {{"id", "/api/v1/admissions/{}"}},
	"admission_steps":      {{"file_id", "/api/v1/admissions/{}"}},
	"life_acts":            {{"member_id", "/api/v1/members/{}/acts"}},
	"documents":            {{"id", "/api/v1/documents/{}"}, {"implements_id", "/api/v1/documents/{}"}, {"reports_on_id", "/api/v1/documents/{}"}},
	"tasks":                {{"document_id", "/api/v1/programmes/{}"}},
	"conferences":          {{"id", "/api/v1/conferences/{}"}},
	"conference_documents": {{"conference_id", "/api/v1/conferences/{}"}, {"document_id", "/api/v1/documents/{}"}},
	"attendance":           {{"conference_id", "/api/v1/conferences/{}"}, {"member_id", "/api/v1/members/{}"}},
	"campaigns":            {{"id", "/api/v1/campaigns/{}"}},
	"meetings":             {{"id", "/api/v1/meetings/{}"}},
	"meeting_attendance":   {{"meeting_id", "/api/v1/meetings/{}"}, {"member_id", "/api/v1/members/{}"}},
	"meeting_decisions":    {{"meeting_id", "/api/v1/meetings/{}"}},
	"residence_links":      {{"id", "/api/v1/residence/{}"}},
	"residence_comments":   {{"link_id", "/api/v1/residence/{}"}},
	"campaign_steps":       {{"campaign_id", "/api/v1/campaigns/{}"}},
	"reviews":              {{"id", "/api/v1/reviews/{}"}},
	"review_marks":         {{"review_id", "/api/v1/reviews/{}"}},
	"review_scores":        {{"review_id", "/api/v1/reviews/{}"}},
	"remedies":             {{"review_id", "/api/v1/reviews/{}"}},
	"inspection_rounds":    {{"id", "/api/v1/inspections/{}"}},
	"inspection_subjects":  {{"round_id", "/api/v1/inspections/{}"}},
	"disciplines":          {{"id", "/api/v1/disciplines/{}"}},
	"discipline_appeals":   {{"discipline_id", "/api/v1/disciplines/{}"}},
	"dues_bases":           {{"member_id", "/api/v1/members/{}"}},
	"dues_exemptions":      {{"member_id", "/api/v1/members/{}"}},
	"dues_payments":        {{"member_id", "/api/v1/members/{}"}, {"org_id", "/api/v1/organisations/{}/history"}},
	"dues_remittances":     {{"org_id", "/api/v1/organisations/{}/history"}},
	"org_codes":            {{"org_id", "/api/v1/organisations/{}/history"}},
	"member_details":       {{"member_id", "/api/v1/members/{}/file"}},
	"family_members":       {{"member_id", "/api/v1/members/{}/file"}},
	"file_documents":       {{"member_id", "/api/v1/members/{}/file"}},
	"supplements":          {{"id", "/api/v1/supplements/{}"}},
	"cards":                {{"member_id", "/api/v1/members/{}/file"}},
	"badges":               {{"member_id", "/api/v1/members/{}/file"}},
	// Tables reached only through a list: the list must answer.
	"inspection_programmes": {{"", "/api/v1/inspections/programmes"}},
	"inspection_fields":     {{"", "/api/v1/inspections/fields"}},
	"task_notes":            {{"", "/api/v1/programmes"}},
	"reorganisations":       {{"", "/api/v1/organisations"}},
	// Stubs of the organisations the subtree's rows name (a parent, a movement's other side, a
	// document's issuer): their names are shown beside those rows, not through an id route.
	"external_organisations": {{"", "/api/v1/organisations"}},
	// A member's reflections: only their own study page shows them.
	"reflections": {{"", "/api/v1/me/study"}},
}

// TestExportMatrix downloads /export as every role scoped to ward PD (and as an administrator
// of the whole system), masked and with reveal=1, and checks that the workbook holds no more
// than the API shows the same user: every row is reachable through the route of its table,
// no sibling's member, no secret programme's title, task or number without ActReadSecret, the
// sensitive fields as the member API shows them (masked, or in clear after a logged reveal).
func TestExportMatrix(t *testing.T) { onEngines(t, testExportMatrix) }

func testExportMatrix(t *testing.T, open func(*testing.T) *store.Store) {
	srv, s := newAuthServerOn(t, open)
	for _, f := range matrixFixtures {
		f(t, s)
	}
	prog, _ := secretFixture(t, s)
	formerMember(t, s)
	var users []dangvu.User
	for _, role := range dangvu.UserRoles {
		u := dangvu.User{Username: "x-" + strings.ReplaceAll(string(role.Code), "_", "-"), UserRole: role.Code, OrgID: "PD"}
		if role.Code == dangvu.UserMember {
			u.MemberID = "M1"
		}
		users = append(users, u)
	}
	users = append(users, dangvu.User{Username: "x-root", UserRole: dangvu.UserAdmin},
		// The city committee was abolished on 1/7/2025: its wards have left its subtree since.
		dangvu.User{Username: "x-ub-office", UserRole: dangvu.UserStaffOffice, OrgID: "UB"},
		dangvu.User{Username: "x-ub-org", UserRole: dangvu.UserStaffOrg, OrgID: "UB"})
	for _, u := range users {
		tok := newUser(t, s, u)
		cache := map[string]int{}
		api := func(path string) int {
			if st, ok := cache[path]; ok {
				return st
			}
			st, _ := bearerGet(t, srv, tok, path)
			cache[path] = st
			return st
		}
		for _, reveal := range []bool{false, true} {
			path := "/export?format=xlsx"
			if reveal {
				path += "&reveal=1"
			}
			where := u.Username + " " + path
			req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			status, body, _ := do(t, noRedirect(), req)
			switch {
			case !u.UserRole.Can(dangvu.ActExport):
				if status != http.StatusForbidden {
					t.Errorf("%s: %d, want 403", where, status)
				}
				continue
			case reveal && !u.UserRole.Can(dangvu.ActRevealSensitive):
				if status != http.StatusForbidden || !strings.Contains(body, "không được xem") {
					t.Errorf("%s: %d, want 403 in Vietnamese", where, status)
				}
				continue
			case status != http.StatusOK:
				t.Fatalf("%s: %d %.300s", where, status, body)
			}
			file := filepath.Join(t.TempDir(), "export.xlsx")
			if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			wb, err := exchange.Open(file)
			if err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			rows := 0
			for _, tb := range exchange.Tables() {
				checks, ok := exportIDRoutes[tb.Name]
				if !ok {
					t.Errorf("table %s has no route in exportIDRoutes: say where the API shows it", tb.Name)
				}
				err := wb.Each(tb.Name, func(row int, rec exchange.Record) error {
					rows++
					for _, c := range tb.Columns {
						v := rec.Get(c)
						for _, n := range append([]string{secretTitle, secretTask, prog.Number}, siblingNames...) {
							sibling := slicesContains(siblingNames, n)
							if strings.Contains(v, n) && (sibling && u.OrgID == "PD" || !sibling && !u.UserRole.Can(dangvu.ActReadSecret)) {
								t.Errorf("%s: %s row %d %s holds %q", where, tb.Name, row, c, v)
							}
						}
					}
					for _, ch := range checks {
						id := rec.Get(ch[0])
						if ch[0] != "" && id == "" {
							continue
						}
						p := strings.ReplaceAll(ch[1], "{}", id)
						st := api(p)
						// A member or an organisation that has left is shown as it was then.
						for _, day := range []string{formerBefore, cityBefore} {
							if st != http.StatusOK && strings.HasPrefix(p, "/api/v1/members/") {
								st = api(p + "?as_of=" + day)
							}
							if st != http.StatusOK && strings.HasPrefix(p, "/api/v1/organisations/") {
								st = api("/api/v1/organisations/" + id + "?as_of=" + day)
							}
						}
						if st != http.StatusOK {
							t.Errorf("%s: %s row %d (%s %s) is exported, but %s answers %d", where, tb.Name, row, ch[0], id, p, st)
						}
					}
					if tb.Name == "members" {
						mp := "/api/v1/members/" + rec.Get("id")
						if reveal {
							mp += "?reveal=1"
						}
						st, b := bearerGet(t, srv, tok, mp)
						// A member who has left is shown as then, never revealed.
						for _, day := range []string{formerBefore, cityBefore} {
							if st != http.StatusOK {
								st, b = bearerGet(t, srv, tok, "/api/v1/members/"+rec.Get("id")+"?as_of="+day)
							}
						}
						var out struct{ Member dangvu.Member }
						if st == http.StatusOK && json.Unmarshal([]byte(b), &out) == nil {
							for c, want := range map[string]string{"id_number": out.Member.IDNumber, "phone": out.Member.Phone, "residence": out.Member.Residence,
								"occupation": out.Member.Occupation, "admitted_on": out.Member.AdmittedOn.String()} {
								if got := rec.Get(c); got != want {
									t.Errorf("%s: member %s %s exported %q, the API shows %q", where, rec.Get("id"), c, got, want)
								}
							}
						}
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			if u.OrgID == "UB" {
				// Nothing from the day the city's wards left its subtree.
				for _, tb := range []string{"organisations", "memberships", "member_statuses", "posts", "units", "localities"} {
					wb.Each(tb, func(row int, rec exchange.Record) error {
						if rec.Get("valid_from") >= cityEnded {
							t.Errorf("%s: %s row %d from %s, after the city ended", where, tb, row, rec.Get("valid_from"))
						}
						return nil
					})
				}
			}
			if u.OrgID == "PD" {
				// M7's history after leaving ward PD is not ward PD's.
				wb.Each("member_statuses", func(row int, rec exchange.Record) error {
					if rec.Get("member_id") == "M7" && rec.Get("valid_from") >= formerLeft {
						t.Errorf("%s: M7's status of %s, after leaving", where, rec.Get("valid_from"))
					}
					return nil
				})
				wb.Each("memberships", func(row int, rec exchange.Record) error {
					if rec.Get("member_id") == "M7" && (rec.Get("valid_to") == "" || rec.Get("valid_to") > formerLeft) {
						t.Errorf("%s: M7's membership runs past leaving: %s–%s", where, rec.Get("valid_from"), rec.Get("valid_to"))
					}
					return nil
				})
			}
			wb.Close()
			if rows == 0 {
				t.Errorf("%s: an empty workbook", where)
			}
			// The audit says what was exported.
			scope := u.OrgID
			if scope == "" {
				scope = "*"
			}
			log, err := s.AuditLog(t.Context(), "dataset", scope, 2)
			if err != nil || len(log) == 0 {
				t.Fatalf("%s: audit %v", where, err)
			}
			exp := log[0]
			if reveal {
				if exp.Action != "reveal" || exp.Actor != u.Username {
					t.Errorf("%s: no reveal entry: %+v", where, exp)
				}
				exp = log[1]
			}
			if exp.Action != "export" || exp.Actor != u.Username || !strings.Contains(exp.After, `"rows"`) || !strings.Contains(exp.After, `"revealed":`+map[bool]string{true: "true", false: "false"}[reveal]) {
				t.Errorf("%s: export entry %+v", where, exp)
			}
		}
	}
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// TestExportBusy: exports beyond the server's bound are refused at once with 503 and a
// Vietnamese message (a page, or JSON to a client asking for it), and the slot is given back.
func TestExportBusy(t *testing.T) {
	_, s := newAuthServer(t)
	h := &Server{Store: s, MaxExports: 1}
	ts := httptest.NewServer(h.Handler())
	t.Cleanup(ts.Close)
	srv := ts.URL
	tok := newUser(t, s, dangvu.User{Username: "vp", UserRole: dangvu.UserStaffOffice, OrgID: "PD"})
	slots := h.exportSlots()
	slots <- struct{}{} // an export in progress
	for _, accept := range []string{"", "application/json"} {
		req, _ := http.NewRequest(http.MethodGet, srv+"/export?format=xlsx", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Accept", accept)
		status, body, resp := do(t, noRedirect(), req)
		if status != http.StatusServiceUnavailable || !strings.Contains(body, "Máy chủ đang tạo các bản tải dữ liệu khác") || resp.Header.Get("Retry-After") == "" {
			t.Errorf("Accept %q: %d %.200s", accept, status, body)
		}
		if accept != "" && !strings.Contains(body, `"error":"unavailable"`) {
			t.Errorf("JSON refusal: %s", body)
		}
	}
	<-slots
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodGet, srv+"/export?format=xlsx", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusServiceUnavailable {
				t.Errorf("concurrent export: %d", resp.StatusCode)
			}
		}()
	}
	wg.Wait()
	// The handler gives its slot back as it returns, just after the client has the last byte.
	st := 0
	for i := 0; i < 50 && st != http.StatusOK; i++ {
		if i > 0 {
			time.Sleep(20 * time.Millisecond)
		}
		st, _ = bearerGet(t, ts, tok, "/export?format=xlsx")
	}
	if st != http.StatusOK {
		t.Errorf("after the others finished: %d", st)
	}
}
