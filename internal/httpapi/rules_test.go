package httpapi

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dangvu"
	"dangvu/internal/rulebook"
)

func getInto(t *testing.T, srv interface{ Client() *http.Client }, url string, v any) int {
	t.Helper()
	resp, err := srv.Client().Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	return resp.StatusCode
}

type rulesResponse struct {
	AsOf  string     `json:"as_of"`
	Areas []ruleArea `json:"areas"`
}

func (r rulesResponse) set(area string) *ruleSet {
	for _, a := range r.Areas {
		if a.Area == area {
			return a.Set
		}
	}
	return nil
}

// /api/v1/rules lists, per area, the set in force on the date with every value cited and marked:
// as of 01/12/2026 the 2026 sets (QĐ 208-QĐ/TW), as of 31/05/2018 the 2016 sets.
func TestAPIRulesAsOf(t *testing.T) {
	srv := newTestServer(t)
	for _, tc := range []struct {
		asOf string
		want map[string]string // area → set id
	}{
		{"2026-12-01", map[string]string{"admissions": "QD208-2026", "lifecycle": "QD208-2026", "calendar": "2026",
			"documents": "QD399-2026", "layout": "HD05-2026", "secrecy": "LAW117-2025"}},
		{"31/05/2018", map[string]string{"admissions": "QD29-2016", "lifecycle": "QD29-2016", "calendar": "2018",
			"documents": "QD66-2017", "layout": "HD36-2018"}},
		{"2015-03-01", map[string]string{"admissions": "QD45-2011", "lifecycle": "QD45-2011", "calendar": "2015"}},
	} {
		var got rulesResponse
		if status := getInto(t, srv, srv.URL+"/api/v1/rules?as_of="+tc.asOf, &got); status != http.StatusOK {
			t.Fatalf("%s: status %d", tc.asOf, status)
		}
		if len(got.Areas) != len(RuleAreas()) {
			t.Errorf("%s: %d areas, want %d", tc.asOf, len(got.Areas), len(RuleAreas()))
		}
		for area, id := range tc.want {
			s := got.set(area)
			if s == nil || s.ID != id {
				t.Errorf("%s %s: set %+v, want %s", tc.asOf, area, s, id)
				continue
			}
			if s.From == "" || s.Source.Citation == "" || len(s.Values) == 0 {
				t.Errorf("%s %s: %+v", tc.asOf, area, s)
			}
			for _, v := range s.Values {
				if v.Source.Citation == "" || !v.Source.Confidence.Valid() || v.Local {
					t.Errorf("%s %s %s: %+v", tc.asOf, area, v.Key, v)
				}
			}
		}
	}
	// The transfer deadline under 208 is a conflict setting, both sources cited.
	var got rulesResponse
	getInto(t, srv, srv.URL+"/api/v1/rules?as_of=2026-12-01", &got)
	for _, v := range got.set("lifecycle").Values {
		if v.Key == "transfer_days" && (v.Source.Confidence != rulebook.Conflict || !strings.Contains(v.Source.Citation, "60") || !strings.Contains(v.Source.Citation, "30")) {
			t.Errorf("transfer_days under 208: %+v", v)
		}
	}
	// A year without a recorded calendar: no set, and a note saying deadlines are estimates.
	getInto(t, srv, srv.URL+"/api/v1/rules?as_of=2027-03-01", &got)
	for _, a := range got.Areas {
		if a.Area == "calendar" && (a.Set != nil || !strings.Contains(a.Note, "ước tính")) {
			t.Errorf("calendar 2027: %+v", a)
		}
	}
	var bad map[string]any
	if status := getInto(t, srv, srv.URL+"/api/v1/rules?as_of=31/13/2026", &bad); status != http.StatusBadRequest {
		t.Errorf("bad date: %d %v", status, bad)
	}
}

// /api/v1/calendar gives a year's days off and worked weekend days with their source.
func TestAPICalendar(t *testing.T) {
	srv := newTestServer(t)
	var y calendarYear
	if status := getInto(t, srv, srv.URL+"/api/v1/calendar?year=2025", &y); status != http.StatusOK || y.Estimated || y.Set != "2025" {
		t.Fatalf("2025: %d %+v", status, y)
	}
	days := map[string]calendarDay{}
	for _, d := range y.Days {
		days[d.Date] = d
		if d.Source.Citation == "" || !d.Source.Confidence.Valid() {
			t.Errorf("%s without source: %+v", d.Date, d)
		}
	}
	// 03/02/2025 (mùng 6 Tết Ất Tỵ) was a working day (CV 8726/VPCP-KGVX): not a day off.
	if d, ok := days["2025-02-03"]; ok && d.Kind == "off" {
		t.Errorf("03/02/2025 listed as a day off: %+v", d)
	}
	if d := days["2025-01-31"]; d.Kind != "off" || !strings.Contains(d.Source.Citation, "CV 8726/VPCP-KGVX") {
		t.Errorf("31/01/2025: %+v", d)
	}
	if d := days["2025-04-26"]; d.Kind != "work" || d.Weekday != "Thứ Bảy" {
		t.Errorf("26/04/2025 worked Saturday: %+v", d)
	}
	if getInto(t, srv, srv.URL+"/api/v1/calendar?year=2031", &y); !y.Estimated || len(y.Days) == 0 || y.Days[0].Source.Confidence != rulebook.Unconfirmed {
		t.Errorf("2031 should be computed and estimated: %+v", y)
	}
	var bad map[string]any
	if status := getInto(t, srv, srv.URL+"/api/v1/calendar?year=hai", &bad); status != http.StatusBadRequest {
		t.Errorf("bad year: %d", status)
	}
}

// The page lists the sets and values with their marks, the year's calendar, and the
// administrator's changes as local; every role has it in the menu.
func TestRulesPage(t *testing.T) {
	srv := newTestServer(t)
	c := noRedirect()
	status, body, _ := page(t, c, srv, http.MethodGet, "/rules?as_of=01/12/2026", nil)
	if status != http.StatusOK {
		t.Fatalf("status %d\n%s", status, body)
	}
	for _, w := range []string{"Quy định 208-QĐ/TW ngày 26/7/2026", "hiệu lực từ 26/07/2026", "các nguồn mâu thuẫn", "nguồn thứ cấp",
		"Lịch nghỉ lễ, Tết năm 2026", "31/08/2026", "Làm bù", "CV 12729/VPCP-KGVX"} {
		if !strings.Contains(body, w) {
			t.Errorf("/rules lacks %q", w)
		}
	}
	if strings.Contains(body, "style=") || strings.Contains(body, "<script") {
		t.Error("inline style or script")
	}

	// A value changed from the rules folder shows as a local change, on the page and in the API.
	dir := t.TempDir()
	p := filepath.Join(dir, "admissions", "values.csv")
	os.MkdirAll(filepath.Dir(p), 0o755)
	os.WriteFile(p, []byte("set,key,label,value,citation,confidence,note\nQD208-2026,ceremony_days,,45,Công văn 9-CV/TU của tỉnh ủy,unconfirmed,\n"), 0o644)
	if err := rulebook.LoadAll(dir, RuleAreas()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rulebook.LoadAll("", RuleAreas()) })
	_, body, _ = page(t, c, srv, http.MethodGet, "/rules?as_of=01/12/2026", nil)
	if !strings.Contains(body, "Công văn 9-CV/TU của tỉnh ủy") || !strings.Contains(body, "có thay đổi tại đơn vị") {
		t.Error("/rules does not show the local change")
	}
	var got rulesResponse
	getInto(t, srv, srv.URL+"/api/v1/rules?as_of=2026-12-01", &got)
	found := false
	for _, v := range got.set("admissions").Values {
		if v.Key == "ceremony_days" {
			found = v.Local && v.Text == "45"
		}
	}
	if !found {
		t.Error("/api/v1/rules does not mark the changed value local")
	}

	// Every role sees the page in its menu, a party member included.
	asrv, s := newAuthServer(t)
	for _, role := range dangvu.UserRoles {
		u := dangvu.User{Username: "r-" + strings.ReplaceAll(string(role.Code), "_", "-"), UserRole: role.Code, OrgID: "PD"}
		if role.Code == dangvu.UserMember {
			u.MemberID = "M1"
		}
		status, body := bearerGet(t, asrv, newUser(t, s, u), "/rules")
		if status != http.StatusOK || !strings.Contains(body, `href="/rules"`) {
			t.Errorf("%s: /rules status %d, menu link %v", role.Code, status, strings.Contains(body, `href="/rules"`))
		}
	}
}

// Every value of every rule area has a citation and a confidence mark (the areas listed for
// /rules, whichever package declares them).
func TestEveryRuleValueCited(t *testing.T) {
	n := 0
	for _, a := range RuleAreas() {
		b := a.Book()
		if len(b.Sets) == 0 {
			t.Errorf("%s: no rule sets", a.Name)
		}
		for _, s := range b.Sets {
			if s.Source.Citation == "" || !s.Source.Confidence.Valid() || s.From.IsZero() {
				t.Errorf("%s/%s: %+v", a.Name, s.ID, s.Source)
			}
			for _, v := range s.Values {
				n++
				if v.Source.Citation == "" || !v.Source.Confidence.Valid() {
					t.Errorf("%s/%s/%s: %+v", a.Name, s.ID, v.Key, v.Source)
				}
				if v.Source.Confidence == rulebook.Conflict && v.Source.Note == "" {
					t.Errorf("%s/%s/%s: a conflict without its note", a.Name, s.ID, v.Key)
				}
			}
		}
	}
	if n == 0 {
		t.Error("no values")
	}
}

// A secret document shows its protection period under the law in force on its date (Law
// 29/2018/QH14 Art. 19 in 2020: 30 years for "tuyệt mật"; Law 117/2025/QH15 from 01/03/2026 is
// tested in internal/rules/documents).
func TestDocumentProtection(t *testing.T) {
	srv, s := newAuthServer(t)
	office := newUser(t, s, dangvu.User{Username: "vp-ub", UserRole: dangvu.UserStaffOffice, OrgID: "UB"})
	st, doc := disSend(t, srv, office, "POST", "/api/v1/documents", map[string]any{"org_id": "UB", "direction": "own", "kind": "TB", "date": "15/06/2020", "title": "Thông báo tuyệt mật", "secrecy": "absolute_secret"})
	if st != 201 {
		t.Fatalf("document: %d %v", st, doc)
	}
	_, body := bearerGet(t, srv, office, "/api/v1/documents/"+doc["id"].(string))
	var got docDetail
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if p := got.Protection; p == nil || p.Years != 30 || p.Until != "2050-06-14" || !strings.Contains(p.Law, "29/2018/QH14") || !strings.Contains(p.Source.Citation, "Điều 19") {
		t.Errorf("protection: %+v", got.Protection)
	}
	if _, page := bearerGet(t, srv, office, "/documents/"+doc["id"].(string)); !strings.Contains(page, "Thời hạn bảo vệ bí mật nhà nước: 30 năm, đến hết ngày 14/06/2050") || !strings.Contains(page, "Tuyệt mật") {
		t.Errorf("document page lacks the protection period")
	}
}
