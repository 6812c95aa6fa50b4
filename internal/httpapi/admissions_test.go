package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/store"
)

// Admission files in ward PD's cell K1 and in the sibling ward PB's cell K3, each with a scanned
// certificate, for TestRouteMatrix.
func init() {
	matrixFixtures = append(matrixFixtures, func(t *testing.T, s *store.Store) map[string][2]string {
		ctx := context.Background()
		for _, x := range [][2]string{{"HS-PD", "K1"}, {"HS-PB", "K3"}} {
			if _, err := s.CreateAdmissionFile(ctx, "test", dangvu.AdmissionFile{ID: x[0], OrgID: x[1], FullName: "Quần chúng " + x[0], Gender: dangvu.Male, BirthDate: "2001-02-03", Education: "12/12"}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.RecordStep(ctx, "test", dangvu.AdmissionStep{FileID: x[0], Stage: dangvu.StageTraining, Date: dangvu.MustDate("2024-01-02")}, &dangvu.Attachment{Name: "gioi-thieu.pdf", Content: []byte("scan")}); err != nil {
				t.Fatal(err)
			}
		}
		return map[string][2]string{"admissions": {"HS-PD", "HS-PB"}}
	})
}

func apiDo(t *testing.T, srv string, tok, method, path string, body any) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, srv+path, strings.NewReader(string(b)))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// TestAdmissionsAPI records a file's stages through the API as the cell's secretary: refusals
// are 400 with the rule cited per field and change nothing; a sibling ward's file is not found.
func TestAdmissionsAPI(t *testing.T) {
	srv, s := newAuthServer(t)
	tok := newUser(t, s, dangvu.User{Username: "bt-pd", UserRole: dangvu.UserSecretary, OrgID: "PD"})
	other := newUser(t, s, dangvu.User{Username: "bt-pb", UserRole: dangvu.UserSecretary, OrgID: "PB"})
	st, out := apiDo(t, srv.URL, tok, "POST", "/api/v1/admissions", map[string]any{"id": "KN-1", "org_id": "K2", "full_name": "Lê Thị Hoa", "gender": "female", "birth_date": "2002-04-05", "education": "12/12"})
	if st != 201 || out["next"] != "training" {
		t.Fatalf("create: %d %v", st, out)
	}
	if st, _ := apiDo(t, srv.URL, other, "POST", "/api/v1/admissions", map[string]any{"id": "KN-2", "org_id": "K2", "full_name": "X", "gender": "male", "birth_date": "2000"}); st != 404 {
		t.Errorf("create in another ward: %d", st)
	}
	if st, out := apiDo(t, srv.URL, tok, "POST", "/api/v1/admissions", map[string]any{"id": "KN-3", "org_id": "PD", "full_name": "X", "gender": "male", "birth_date": "2000"}); st != 400 || !strings.Contains(fmt.Sprint(out["fields"]), "không phải chi bộ") {
		t.Errorf("create in a ward committee: %d %v", st, out)
	}
	for _, step := range []map[string]any{
		{"stage": "training", "date": "10/01/2024"}, {"stage": "certificate", "date": "15/02/2024", "attachment": "gcn.pdf", "attachment_base64": "c2Nhbg=="},
		{"stage": "application", "date": "01/03/2024"}, {"stage": "background", "date": "01/04/2024"},
		{"stage": "introducers", "date": "15/04/2024", "people": []string{"M3", "M2"}, "known": []string{"01/01/2020", "01/01/2019"}},
	} {
		if st, out := apiDo(t, srv.URL, tok, "POST", "/api/v1/admissions/KN-1/steps", step); st != 201 {
			t.Fatalf("%v: %d %v", step["stage"], st, out)
		}
	}
	st, out = apiDo(t, srv.URL, tok, "POST", "/api/v1/admissions/KN-1/steps", map[string]any{"stage": "cell_vote", "date": "05/05/2024", "entitled": 3, "present": 3, "yes": 1})
	fields, _ := json.Marshal(out["fields"])
	if st != 400 || !strings.Contains(string(fields), "Điều 4") || !strings.Contains(string(fields), `"field":"yes"`) {
		t.Errorf("failed vote: %d %s", st, fields)
	}
	if st, out := apiDo(t, srv.URL, tok, "POST", "/api/v1/admissions/KN-1/steps", map[string]any{"stage": "cell_vote", "date": "05/05/2024", "entitled": 3, "present": 3, "yes": 2}); st != 201 || out["next"] != "committee_vote" {
		t.Errorf("2 of 3: %d %v", st, out)
	}
	if st, _ := apiDo(t, srv.URL, other, "POST", "/api/v1/admissions/KN-1/steps", map[string]any{"stage": "committee_vote", "date": "06/05/2024", "entitled": 3, "present": 3, "yes": 3}); st != 404 {
		t.Errorf("step on another ward's file: %d", st)
	}
	if st, out := apiDo(t, srv.URL, tok, "GET", "/api/v1/admissions?org=PD&next=committee_vote", nil); st != 200 || len(out["admissions"].([]any)) != 1 {
		t.Errorf("list: %d %v", st, out)
	}
	status, body := bearerGet(t, srv, tok, "/api/v1/admissions/KN-1/attachment?stage=certificate")
	if status != 200 || body != "scan" {
		t.Errorf("attachment: %d %q", status, body)
	}
	// A life-cycle act through the API: exemption needs a reason.
	if st, out := apiDo(t, srv.URL, tok, "POST", "/api/v1/members/M3/acts", map[string]any{"kind": "exempt", "date": "01/06/2024"}); st != 400 || !strings.Contains(out["message"].(string), "miễn") {
		t.Errorf("exempt without reason: %d %v", st, out)
	}
	if st, out := apiDo(t, srv.URL, tok, "POST", "/api/v1/members/M3/acts", map[string]any{"kind": "exempt", "date": "01/06/2024", "reason": "Tuổi cao, sức khỏe yếu"}); st != 201 {
		t.Errorf("exempt: %d %v", st, out)
	}
	if m, _ := s.Member(context.Background(), "M3", mustDay("2024-07-01")); m.Status != dangvu.StatusExempt {
		t.Errorf("M3 status after exemption: %s", m.Status)
	}
}

// TestAdmissionPages: the list, a file's page with the form of its next stage, a post without
// the form's CSRF field refused, a bad date and a rule refused in Vietnamese naming the rule,
// then a good post recorded.
func TestAdmissionPages(t *testing.T) {
	srv, s := newAuthServer(t)
	newUser(t, s, dangvu.User{Username: "pd", UserRole: dangvu.UserSecretary, OrgID: "PD"})
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if status, _, _ := postLogin(t, c, srv, url.Values{"username": {"pd"}, "password": {"mat-khau-pd"}}); status != http.StatusSeeOther {
		t.Fatalf("login: %d", status)
	}
	status, body, _ := page(t, c, srv, http.MethodGet, "/admissions/new?org=K1", nil)
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)
	if status != 200 || csrf == nil {
		t.Fatalf("new file page: %d", status)
	}
	form := url.Values{"csrf": {csrf[1]}, "org_id": {"K1"}, "id": {"KN-9"}, "full_name": {"Vũ Văn Nam"}, "gender": {"male"}, "birth_date": {"12/08/2003"}, "education": {"12/12"}}
	if status, _, resp := page(t, c, srv, http.MethodPost, "/admissions/new", form); status != http.StatusSeeOther || resp.Header.Get("Location") != "/admissions/KN-9" {
		t.Fatalf("create: %d", status)
	}
	status, body, _ = page(t, c, srv, http.MethodGet, "/admissions/KN-9", nil)
	if status != 200 || !strings.Contains(body, "Ghi bước tiếp theo: Bồi dưỡng quần chúng ưu tú") {
		t.Fatalf("file page: %d %.500s", status, body)
	}
	post := url.Values{"csrf": {csrf[1]}, "date": {"31/02/2024"}}
	if status, _, _ := page(t, c, srv, http.MethodPost, "/admissions/KN-9", url.Values{"date": {"02/01/2024"}}); status != http.StatusForbidden {
		t.Errorf("post without CSRF: %d", status)
	}
	if status, body, _ := page(t, c, srv, http.MethodPost, "/admissions/KN-9", post); status != http.StatusUnprocessableEntity || !strings.Contains(body, `class="field-error"`) {
		t.Errorf("bad date: %d", status)
	}
	post.Set("date", "02/01/2024")
	if status, _, _ := page(t, c, srv, http.MethodPost, "/admissions/KN-9", post); status != http.StatusSeeOther {
		t.Errorf("training: %d", status)
	}
	// The certificate with its scan, as the browser sends it (multipart).
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", csrf[1])
	mw.WriteField("date", "05/02/2024")
	mw.WriteField("document", "GCN số 15")
	fw, _ := mw.CreateFormFile("attachment", "gcn-15.pdf")
	fw.Write([]byte("%PDF scan"))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/admissions/KN-9", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if status, body, _ := do(t, c, req); status != http.StatusSeeOther {
		t.Fatalf("certificate with scan: %d %.500s", status, body)
	}
	if status, body, _ := page(t, c, srv, http.MethodGet, "/admissions/KN-9/attachment?stage=certificate", nil); status != 200 || body != "%PDF scan" {
		t.Errorf("scan: %d %q", status, body)
	}
	// The application dated before the certificate is out of order: refused, citing the rule.
	post.Set("date", "01/01/2024")
	status, body, _ = page(t, c, srv, http.MethodPost, "/admissions/KN-9", post)
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "trước ngày của bước") || !strings.Contains(body, "QĐ 294-QĐ/TW") && !strings.Contains(body, "QĐ 24-QĐ/TW") {
		t.Errorf("out of order: %d %.2000s", status, body)
	}
	if f, _ := s.AdmissionFile(context.Background(), "KN-9"); len(f.Steps) != 2 {
		t.Errorf("a refused post recorded a step: %d", len(f.Steps))
	}
	if status, body, _ := page(t, c, srv, http.MethodGet, "/admissions?org=PD", nil); status != 200 || !strings.Contains(body, "KN-9") || strings.Contains(body, "HS-PB") {
		t.Errorf("list: %d", status)
	}
	// Life-cycle acts: a card for a member who is not full is refused citing the rule; a removal
	// with its reason is recorded and the member is out of the party from that day.
	status, body, _ = page(t, c, srv, http.MethodPost, "/members/M3/acts", url.Values{"csrf": {csrf[1]}, "kind": {"card"}, "date": {"01/03/2018"}, "card_number": {"22000001"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "không phải đảng viên chính thức") || !strings.Contains(body, "Điều 5") {
		t.Errorf("card for a probationary member: %d", status)
	}
	if status, _, _ := page(t, c, srv, http.MethodPost, "/members/M3/acts", url.Values{"csrf": {csrf[1]}, "kind": {"removed"}, "date": {"01/03/2024"}, "reason": {"Tự ý bỏ sinh hoạt"}}); status != http.StatusSeeOther {
		t.Errorf("removal: %d", status)
	}
	if m, _ := s.Member(context.Background(), "M3", mustDay("2024-03-01")); m.Status != dangvu.StatusRemoved {
		t.Errorf("M3 after removal: %s", m.Status)
	}
	if status, body, _ := page(t, c, srv, http.MethodGet, "/members/M3/acts", nil); status != 200 || !strings.Contains(body, "Tự ý bỏ sinh hoạt") {
		t.Errorf("acts page: %d", status)
	}
	// Reminders as CSV: the file waiting for its certificate has none; the header is there.
	if status, body, resp := page(t, c, srv, http.MethodGet, "/admissions/reminders.csv?org=PD", nil); status != 200 || !strings.HasPrefix(body, "loai,noi_dung") || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Errorf("reminders CSV: %d %q", status, body)
	}
}

func mustDay(s string) time.Time {
	t, err := dangvu.ParseISODate(s)
	if err != nil {
		panic(err)
	}
	return t
}
