package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"dangvu"
	"dangvu/internal/rules/review"
	"dangvu/internal/store"
)

func init() {
	matrixFixtures = append(matrixFixtures, func(t *testing.T, s *store.Store) map[string][2]string {
		ctx := context.Background()
		for _, org := range []string{"PD", "PB"} {
			if _, err := s.CreateCampaign(ctx, "test", dangvu.Campaign{ID: "RV2024-" + org, OrgID: org, Name: "Kiểm điểm năm 2024", From: dangvu.MustDate("2024-01-01"), To: dangvu.MustDate("2024-12-31")}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.AddRemedy(ctx, "test", dangvu.Remedy{ReviewID: "RV2024-" + org + "-C-" + org, Content: "Kiện toàn chi ủy", Due: dangvu.MustDate("2025-06-30")}); err != nil {
				t.Fatal(err)
			}
		}
		return map[string][2]string{
			"campaigns": {"RV2024-PD", "RV2024-PB"},
			"reviews":   {"RV2024-PD-C-PD", "RV2024-PB-C-PB"},
			"remedies":  {"RV2024-PD-C-PD-R1", "RV2024-PB-C-PB-R1"},
		}
	})
}

// call sends a JSON request as the test server's administrator (newTestServer) and decodes the
// answer into out (when not nil); it returns the status and the raw body.
func call(t *testing.T, srv *httptest.Server, method, path string, in, out any) (int, string) {
	t.Helper()
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, srv.URL+path, body)
	req.Header.Set("Content-Type", "application/json")
	status, b, _ := do(t, http.DefaultClient, req)
	if out != nil && status < 300 {
		if err := json.Unmarshal([]byte(b), out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
	return status, b
}

// TestReviewStory runs the story of issue 6 through the API and the pages, under the 2018
// rules (QĐ 132) and the 2025 rules (QĐ 366).
func TestReviewStory(t *testing.T) {
	srv := newTestServer(t)
	c := noRedirect()

	var camp dangvu.Campaign
	st, b := call(t, srv, "POST", "/api/v1/campaigns", map[string]any{"id": "RV2018-UB", "org_id": "UB", "name": "Kiểm điểm năm 2018", "from": "2018-01-01", "to": "2018-12-31",
		"steps": []map[string]string{{"step": "self", "due": "2018-12-10"}, {"step": "decision", "due": "2019-01-15"}}}, &camp)
	if st != 201 || camp.RuleSet != "qd132" {
		t.Fatalf("open campaign: %d %s", st, b)
	}
	if st, b := call(t, srv, "POST", "/api/v1/campaigns", map[string]any{"id": "RV2018Q4", "org_id": "UB", "name": "Quý IV", "period_kind": "quarter", "from": "2018-10-01", "to": "2018-12-31"}, nil); st != 400 || !strings.Contains(b, "QĐ 366") {
		t.Errorf("quarterly campaign under QĐ 132: %d %s", st, b)
	}
	// Self-review of M1 with a ticked manifestation and a remedy.
	self := map[string]any{"strengths": "Gương mẫu", "faults": "Có lúc nể nang", "causes": "Ngại va chạm", "self_rating": "good",
		"marks":    []map[string]string{{"code": "1.5", "explanation": "Chưa thẳng thắn góp ý"}},
		"remedies": []map[string]string{{"content": "Thẳng thắn góp ý trong sinh hoạt chi bộ", "owner": "Nguyễn Văn Đức", "due": "2019-06-30"}}}
	if st, b := call(t, srv, "POST", "/api/v1/reviews/RV2018-UB-M-M1/self", self, nil); st != 200 {
		t.Fatalf("self-review: %d %s", st, b)
	}
	if st, b := call(t, srv, "POST", "/api/v1/reviews/RV2018-UB-M-M2/self", map[string]any{"marks": []map[string]string{{"code": "2.9"}}}, nil); st != 400 || !strings.Contains(b, "marks[0].explanation") {
		t.Errorf("a ticked manifestation without explanation: %d %s", st, b)
	}
	// The cell meeting records a concluded degradation for M4.
	if st, b := call(t, srv, "POST", "/api/v1/reviews/RV2018-UB-M-M4/meeting", map[string]any{"comments": "Chi bộ góp ý", "attendance": "4/4 đảng viên",
		"proposed_rating": "good", "trigger": "degradation", "trigger_note": "Kết luận số 7-KL/ĐU"}, nil); st != 200 {
		t.Fatalf("meeting: %d %s", st, b)
	}
	// The quota refuses any excellent among four members of a ward (20% of those rated good).
	st, b = call(t, srv, "POST", "/api/v1/campaigns/RV2018-UB/decisions", map[string]any{"decider_id": "PD", "decided_on": "2019-01-10",
		"ratings": map[string]string{"RV2018-UB-M-M1": "excellent", "RV2018-UB-M-M2": "good", "RV2018-UB-M-M3": "good"}}, nil)
	if st != 400 || !strings.Contains(b, "20%") {
		t.Errorf("quota: %d %s", st, b)
	}
	var res dangvu.ReviewDecisionResult
	st, b = call(t, srv, "POST", "/api/v1/campaigns/RV2018-UB/decisions", map[string]any{"decider_id": "PD", "decided_on": "2019-01-10",
		"ratings": map[string]string{"RV2018-UB-M-M1": "good", "RV2018-UB-M-M2": "good", "RV2018-UB-M-M3": "completed"}}, &res)
	if st != 200 || res.Automatic["RV2018-UB-M-M4"] == "" {
		t.Fatalf("decision: %d %s", st, b)
	}
	var v store.ReviewView
	call(t, srv, "GET", "/api/v1/reviews/RV2018-UB-M-M4", nil, &v)
	if v.FinalRating != dangvu.RatingNotCompleted || len(v.Reasons) == 0 {
		t.Errorf("M4: %s %v", v.FinalRating, v.Reasons)
	}
	// The report's counts equal the stored ratings.
	var list struct{ Reviews []dangvu.Review }
	call(t, srv, "GET", "/api/v1/campaigns/RV2018-UB/reviews?kind=member", nil, &list)
	direct := map[dangvu.Rating]int{}
	for _, r := range list.Reviews {
		direct[r.FinalRating]++
	}
	var rep map[string]any
	call(t, srv, "GET", "/api/v1/reports/term?org=UB&from=2018-01-01&to=2018-12-31", nil, &rep)
	for _, rt := range dangvu.Ratings {
		if got := rep["review_members_"+string(rt.Code)]; got != float64(direct[rt.Code]) {
			t.Errorf("review_members_%s = %v, stored %d", rt.Code, got, direct[rt.Code])
		}
	}
	if direct[dangvu.RatingGood] != 2 || direct[dangvu.RatingNotCompleted] != 1 {
		t.Errorf("stored ratings %v", direct)
	}

	// 2025, QĐ 366: the points bound the rating.
	st, b = call(t, srv, "POST", "/api/v1/campaigns", map[string]any{"id": "RV2025-PD", "org_id": "PD", "name": "Kiểm điểm năm 2025", "from": "2025-01-01", "to": "2025-12-31"}, &camp)
	if st != 201 || camp.RuleSet != "qd366" {
		t.Fatalf("2025 campaign: %d %s", st, b)
	}
	rs, _ := review.ByCode("qd366")
	var scores []map[string]any
	left := 75
	for i, cr := range rs.Criteria {
		p := min(cr.Max*3/4, left)
		if i == len(rs.Criteria)-1 {
			p = left
		}
		left -= p
		scores = append(scores, map[string]any{"criterion": cr.Code, "points": p})
	}
	if st, b := call(t, srv, "POST", "/api/v1/reviews/RV2025-PD-M-M1/self", map[string]any{"self_rating": "excellent", "scores": scores, "tasks_on_time": true}, nil); st != 200 {
		t.Fatalf("2025 self-review: %d %s", st, b)
	}
	call(t, srv, "GET", "/api/v1/reviews/RV2025-PD-M-M1", nil, &v)
	if v.Points == nil || *v.Points != 75 {
		t.Fatalf("points: %v", v.Points)
	}
	if st, b := call(t, srv, "POST", "/api/v1/campaigns/RV2025-PD/decisions", map[string]any{"decider_id": "PD", "ratings": map[string]string{"RV2025-PD-M-M1": "excellent"}}, nil); st != 400 || !strings.Contains(b, "tối đa") {
		t.Errorf("excellent with 75 points: %d %s", st, b)
	}

	// The pages: campaign, decision form (with the quota error), printable review, roll-up.
	for path, texts := range map[string][]string{
		"/reviews":                                           {"Kiểm điểm năm 2018", "Mở đợt kiểm điểm"},
		"/campaigns/RV2018-UB":                               {"Quy định 132-QĐ/TW", "Chi bộ khu 1", "1.5. ", "Đảng bộ phường Phương Đông"},
		"/campaigns/RV2018-UB/decide?decider=PD":             {"Trần Thị An", "Không hoàn thành nhiệm vụ", "Kết luận số 7-KL/ĐU"},
		"/reviews/RV2018-UB-M-M1":                            {"ĐẢNG CỘNG SẢN VIỆT NAM", "BẢN KIỂM ĐIỂM CÁ NHÂN", "Nguyễn Văn Đức", "Trong phê bình", "Thẳng thắn góp ý", "30/06/2019", "Hoàn thành tốt nhiệm vụ"},
		"/reviews/RV2025-PD-M-M2/edit":                       {"Liên hệ 27 biểu hiện", "3.9.", "Thành phần dự họp"},
		"/reviews/RV2025-PD-M-M1":                            {"75</strong>/100", "Kết quả khắc phục hạn chế", "Chưa khắc phục, quá hạn"},
		"/reviews/rollup?org=UB&from_year=2018&to_year=2019": {"Đảng viên", "0 / 2 / 1 / 1"},
	} {
		status, body, _ := page(t, c, srv, http.MethodGet, path, nil)
		if status != 200 {
			t.Errorf("%s: %d %.300s", path, status, body)
			continue
		}
		for _, s := range texts {
			if !strings.Contains(body, s) {
				t.Errorf("%s lacks %q", path, s)
			}
		}
		if strings.Contains(body, "<script") || strings.Contains(body, "style=") {
			t.Errorf("%s has an inline script or style", path)
		}
	}
	status, body, _ := page(t, c, srv, http.MethodPost, "/campaigns/RV2018-UB/decide", url.Values{"decider": {"PD"}, "decided_on": {"10/01/2019"},
		"r-RV2018-UB-M-M1": {"excellent"}, "r-RV2018-UB-M-M2": {"good"}, "r-RV2018-UB-M-M3": {"good"}, "r-RV2018-UB-M-M4": {"good"}})
	if status != 400 || !strings.Contains(body, "20%") || !strings.Contains(body, "phải xếp loại") {
		t.Errorf("decision form with quota and trigger errors: %d", status)
	}
	// Opening a campaign from the page: errors next to the fields, then the campaign page.
	form := url.Values{"id": {"RV2019-UB"}, "org_id": {"UB"}, "name": {"Kiểm điểm năm 2019"}, "period_kind": {"quarter"}, "from": {"01/01/2019"}, "to": {"31/13/2019"}}
	if status, body, _ := page(t, c, srv, http.MethodPost, "/reviews", form); status != 400 || !strings.Contains(body, `class="field invalid"`) {
		t.Errorf("campaign form with a bad date: %d", status)
	}
	form.Set("to", "31/12/2019")
	if status, body, _ := page(t, c, srv, http.MethodPost, "/reviews", form); status != 400 || !strings.Contains(body, "QĐ 366") {
		t.Errorf("quarterly campaign form under QĐ 132: %d", status)
	}
	form.Set("period_kind", "year")
	form.Set("due_self", "10/12/2019")
	// The organisation typed by part of its name, the code left for the system to make.
	form.Del("id")
	form.Set("org_id", "thanh pho uong bi")
	if status, body, resp := page(t, c, srv, http.MethodPost, "/reviews", form); status != http.StatusSeeOther || resp.Header.Get("Location") != "/campaigns/RV2019-UB" {
		t.Errorf("campaign form: %d to %q\n%.2000s", status, resp.Header.Get("Location"), body)
	}
	// The level above sees the overdue remedy on its reviews page (the ward today; the city,
	// dissolved in 2025, still lists its campaigns).
	if status, body, _ := page(t, c, srv, http.MethodGet, "/reviews?org=UB", nil); status != 200 || !strings.Contains(body, "Kiểm điểm năm 2018") {
		t.Errorf("the city's reviews page: %d", status)
	}
	if _, body, _ := page(t, c, srv, http.MethodGet, "/reviews?org=PD", nil); !strings.Contains(body, "Biện pháp khắc phục quá hạn") || !strings.Contains(body, "Thẳng thắn góp ý trong sinh hoạt chi bộ") {
		t.Error("the city's reviews page does not list the overdue remedy")
	}
	// The next year's review shows last year's remedy and whether it was met.
	if _, body, _ := page(t, c, srv, http.MethodGet, "/reviews/RV2019-UB-M-M1", nil); !strings.Contains(body, "Thẳng thắn góp ý trong sinh hoạt chi bộ") || !strings.Contains(body, "Chưa khắc phục, quá hạn") {
		t.Error("the 2019 review does not show the 2018 remedy as unmet")
	}
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/reviews/rollup.xlsx?org=UB&from_year=2018&to_year=2018", nil)
	if st, b, resp := do(t, http.DefaultClient, req); st != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheet") || !strings.HasPrefix(b, "PK") {
		t.Errorf("roll-up XLSX: %d %s", st, resp.Header.Get("Content-Type"))
	}
}

// TestSelfService: a member fills their own self-review in the browser, and only their own.
func TestSelfService(t *testing.T) {
	srv, s := newAuthServer(t)
	ctx := context.Background()
	if _, err := s.CreateCampaign(ctx, "test", dangvu.Campaign{ID: "RV2024-PD", OrgID: "PD", Name: "Kiểm điểm năm 2024", From: dangvu.MustDate("2024-01-01"), To: dangvu.MustDate("2024-12-31")}); err != nil {
		t.Fatal(err)
	}
	newUser(t, s, dangvu.User{Username: "dv1", FullName: "Nguyễn Văn Đức", UserRole: dangvu.UserMember, OrgID: "PD", MemberID: "M1"})
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if status, _, _ := postLogin(t, c, srv, url.Values{"username": {"dv1"}, "password": {"mat-khau-dv1"}}); status != http.StatusSeeOther {
		t.Fatalf("login: %d", status)
	}
	status, body, _ := page(t, c, srv, http.MethodGet, "/reviews/mine", nil)
	if status != 200 || !strings.Contains(body, `action="/self-reviews/RV2024-PD-M-M1"`) || strings.Contains(body, "Họp góp ý") {
		t.Fatalf("own page: %d %.500s", status, body)
	}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)[1]
	form := url.Values{"csrf": {csrf}, "strengths": {"Hoàn thành nhiệm vụ"}, "m-1.3": {"1"}, "self_rating": {"good"}}
	if status, body, _ := page(t, c, srv, http.MethodPost, "/self-reviews/RV2024-PD-M-M1", form); status != 400 || !strings.Contains(body, "giải trình") {
		t.Errorf("ticked without explanation: %d", status)
	}
	form.Set("x-1.3", "Chưa dành thời gian nghiên cứu nghị quyết")
	if status, _, resp := page(t, c, srv, http.MethodPost, "/self-reviews/RV2024-PD-M-M1", form); status != http.StatusSeeOther || resp.Header.Get("Location") != "/reviews/mine" {
		t.Errorf("own self-review: %d", status)
	}
	if v, _ := s.Review(ctx, "RV2024-PD-M-M1"); v.SelfRating != dangvu.RatingGood || len(v.Marks) != 1 {
		t.Errorf("stored: %+v", v.Review)
	}
	if status, _, _ := page(t, c, srv, http.MethodPost, "/self-reviews/RV2024-PD-M-M2", form); status != 404 {
		t.Errorf("another member's review: %d", status)
	}
}

// TestReviewWritesScoped: the writes check the user's subtree: a ward secretary cannot open a
// campaign for the city, decide for the city or a sibling ward, or write a sibling's review; a
// member cannot post through the secretary's routes.
func TestReviewWritesScoped(t *testing.T) {
	srv, s := newAuthServer(t)
	ctx := context.Background()
	for _, org := range []string{"PD", "PB"} {
		if _, err := s.CreateCampaign(ctx, "test", dangvu.Campaign{ID: "RV2024-" + org, OrgID: org, Name: "Kiểm điểm năm 2024", From: dangvu.MustDate("2024-01-01"), To: dangvu.MustDate("2024-12-31")}); err != nil {
			t.Fatal(err)
		}
	}
	sec := newUser(t, s, dangvu.User{Username: "pd", UserRole: dangvu.UserSecretary, OrgID: "PD"})
	mem := newUser(t, s, dangvu.User{Username: "dv1", UserRole: dangvu.UserMember, OrgID: "PD", MemberID: "M1"})
	post := func(tok, path, body string) int {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		st, _, _ := do(t, noRedirect(), req)
		return st
	}
	for _, tc := range []struct {
		tok, path, body string
		want            int
	}{
		{sec, "/api/v1/campaigns", `{"id":"RV2024-UB","org_id":"UB","name":"x","from":"2024-01-01","to":"2024-12-31"}`, 404},
		{sec, "/api/v1/campaigns/RV2024-PD/decisions", `{"decider_id":"UB","ratings":{}}`, 404},
		{sec, "/api/v1/campaigns/RV2024-PB/decisions", `{"decider_id":"PB","ratings":{}}`, 404},
		{sec, "/api/v1/reviews/RV2024-PB-M-M5/self", `{"strengths":"x"}`, 404},
		{sec, "/api/v1/reviews/RV2024-PD-M-M2/self", `{"strengths":"Gương mẫu"}`, 200},
		{mem, "/api/v1/reviews/RV2024-PD-M-M1/self", `{"strengths":"x"}`, 403},
		{mem, "/api/v1/self-reviews/RV2024-PD-M-M2", `{"strengths":"x"}`, 404},
		{mem, "/api/v1/self-reviews/RV2024-PD-M-M1", `{"strengths":"Hoàn thành nhiệm vụ"}`, 200},
	} {
		if got := post(tc.tok, tc.path, tc.body); got != tc.want {
			t.Errorf("POST %s %s: %d, want %d", tc.path, tc.body, got, tc.want)
		}
	}
}
