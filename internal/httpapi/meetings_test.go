package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/store"
)

func init() {
	matrixFixtures = append(matrixFixtures, func(t *testing.T, s *store.Store) map[string][2]string {
		ctx := context.Background()
		meeting := func(cell string) string {
			m, err := s.CreateMeeting(ctx, "test", dangvu.CellMeeting{OrgID: cell, Kind: dangvu.MeetingRegular, Status: dangvu.MeetingHeld, Held: dangvu.MustDate("2024-03-05")})
			if err != nil {
				t.Fatal(err)
			}
			return m.ID
		}
		link := func(member, cell string) string {
			l, err := s.CreateResidenceLink(ctx, "test", dangvu.ResidenceLink{MemberID: member, CellID: cell, From: dangvu.MustDate("2024-01-15"), WorkOrg: "Đảng bộ cơ quan"})
			if err != nil {
				t.Fatal(err)
			}
			return l.ID
		}
		return map[string][2]string{
			"meetings":  {meeting("K1"), meeting("K3")},
			"residence": {link("M3", "K1"), link("M6", "K3")},
		}
	})
}

// meetingCases are TestRouteMatrixBodies' cases of the meeting routes: an organisation or a
// member of the sibling ward named in a body answers as an unknown one, nothing written.
func meetingCases(objects map[string][2]string) []bodyCase {
	own := objects["meetings"][0]
	return []bodyCase{
		{route: "POST /api/v1/meetings", path: "/api/v1/meetings", foreign: "K3", body: func(id string) any {
			return map[string]any{"org_id": id, "kind": "regular", "status": "held", "held_on": "2024-04-03"}
		}},
		{route: "POST /meetings", path: "/meetings", foreign: "K3", body: func(id string) any {
			return form("org_id", id, "kind", "regular", "held_on", "03/04/2024")
		}},
		{route: "POST /api/v1/meetings/{id}/attendance", path: "/api/v1/meetings/" + own + "/attendance", foreign: "M5", body: func(id string) any {
			return map[string]any{"attendance": []map[string]string{{"member_id": id, "mark": "unexcused"}}}
		}},
		{route: "POST /meetings/{id}/attendance", path: "/meetings/" + own + "/attendance", foreign: "M5", body: func(id string) any {
			return form("member", id, "mark_"+id, "unexcused")
		}},
		{route: "POST /api/v1/residence", path: "/api/v1/residence", foreign: "K3", body: func(id string) any {
			return map[string]any{"member_id": "M1", "cell_id": id, "from": "2024-02-01"}
		}},
		{route: "POST /api/v1/residence", path: "/api/v1/residence", foreign: "M5", body: func(id string) any {
			return map[string]any{"member_id": id, "cell_id": "K2", "from": "2024-02-01"}
		}},
	}
}

// TestMeetingStory: a cell secretary records this month's meeting with two absences through the
// pages (attendance by exception), writes its minutes and resolution, prints both; the ward sees
// the cell as held; bad input is refused naming the field; a member sees the next meeting on the
// phone page; a sibling ward sees none of it.
func TestMeetingStory(t *testing.T) {
	srv, s := newAuthServer(t)
	day := time.Now().UTC()
	if day.Day() == 1 {
		day = day.AddDate(0, 0, 1) // a meeting "this month" held today or yesterday
	}
	held := day.AddDate(0, 0, -1)
	month := held.Format("2006-01")
	sec := newUser(t, s, dangvu.User{Username: "bt-k2", UserRole: dangvu.UserSecretary, OrgID: "PD"})
	pb := newUser(t, s, dangvu.User{Username: "bt-pb", UserRole: dangvu.UserSecretary, OrgID: "PB"})
	member := newUser(t, s, dangvu.User{Username: "dv-m3", UserRole: dangvu.UserMember, OrgID: "PD", MemberID: "M3"})

	post := func(tok, path string, f url.Values) (int, string, *http.Response) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(f.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Bearer "+tok)
		return do(t, noRedirect(), req)
	}
	// A held meeting dated in the future is refused, the field named, nothing written.
	status, body, _ := post(sec, "/meetings", form("org_id", "K2", "kind", "regular", "held_on", day.AddDate(0, 0, 3).Format("02/01/2006")))
	if status != http.StatusBadRequest || !strings.Contains(body, "held_on") || !strings.Contains(body, "sau hôm nay") {
		t.Fatalf("a meeting held in the future: %d %.500s", status, body)
	}
	status, _, resp := post(sec, "/meetings", form("org_id", "K2", "kind", "regular", "held_on", held.Format("02/01/2006"), "place", "Nhà văn hoá khu 2",
		"chair", "Trần Thị An", "clerk", "Lê Văn Bình", "duration_minutes", "95"))
	if status != http.StatusSeeOther {
		t.Fatalf("record the meeting: %d", status)
	}
	loc := resp.Header.Get("Location")
	id := strings.TrimPrefix(loc, "/meetings/")
	status, body = bearerGet(t, srv, sec, loc)
	if status != 200 || !strings.Contains(body, "2</strong>/2") || !strings.Contains(body, `name="mark_M2"`) {
		t.Fatalf("meeting page: %d %.800s", status, body)
	}
	// Two absences by exception.
	status, body, _ = post(sec, loc+"/attendance", form("member", "M2", "mark_M2", "excused", "reason_M2", "Ốm", "member", "M3", "mark_M3", "unexcused"))
	if status != http.StatusSeeOther {
		t.Fatalf("attendance: %d %.500s", status, body)
	}
	// Votes above those present are refused naming the field.
	status, body, _ = post(sec, loc+"/minutes", form("decision_title", "Kế hoạch tháng tới", "decision_for", "2"))
	if status != http.StatusBadRequest || !strings.Contains(body, "decisions[0].votes_for") {
		t.Fatalf("votes above present: %d %.500s", status, body)
	}
	status, body, _ = post(sec, loc+"/minutes", form("agenda", "Kiểm điểm tháng trước", "discussion", "Đồng chí An phát biểu", "conclusions", "Thống nhất",
		"quality_points", "88", "resolution_number", "05-NQ/CB", "resolution_text", "Chi bộ quyết nghị thực hiện kế hoạch tháng tới", "published_on", held.Format("02/01/2006")))
	if status != http.StatusSeeOther {
		t.Fatalf("minutes: %d %.500s", status, body)
	}
	// The same minutes through the API, as JSON.
	if status, out := apiDo(t, srv.URL, sec, "POST", "/api/v1/meetings/"+id+"/minutes", map[string]any{"agenda": "Kiểm điểm tháng trước", "discussion": "Đồng chí An phát biểu",
		"conclusions": "Thống nhất", "quality_points": 88, "resolution_number": "05-NQ/CB", "resolution_text": "Chi bộ quyết nghị thực hiện kế hoạch tháng tới",
		"published_on": held.Format("2006-01-02")}); status != http.StatusOK {
		t.Fatalf("minutes API: %d %v", status, out)
	}
	m, err := s.Meeting(context.Background(), id)
	if err != nil || m.Present != 0 || m.OnRoll != 2 || len(m.Attendance) != 2 || m.Band != "fair" || m.Resolution != "05-NQ/CB" {
		t.Fatalf("stored: %+v %v", m, err)
	}
	// Printable minutes and resolution.
	status, body = bearerGet(t, srv, sec, loc+"/minutes")
	if status != 200 || !strings.Contains(body, "BIÊN BẢN") || !strings.Contains(body, "vắng có lý do: 1; vắng không lý do: 1") || !strings.Contains(body, "Khá") {
		t.Errorf("printed minutes: %d %.800s", status, body)
	}
	status, body = bearerGet(t, srv, sec, loc+"/resolution")
	if status != 200 || !strings.Contains(body, "NGHỊ QUYẾT") || !strings.Contains(body, "Số 05-NQ/CB") || !strings.Contains(body, "CHI BỘ KHU 2") {
		t.Errorf("printed resolution: %d %.800s", status, body)
	}
	// The ward sees the cell as held this month, khu 1 not.
	status, body = bearerGet(t, srv, sec, "/meetings?org=PD&month="+month)
	if status != 200 || !strings.Contains(body, "Đã họp "+held.Format("02/01/2006")) || !strings.Contains(body, "Chưa họp") {
		t.Errorf("ward month: %d %.1500s", status, body)
	}
	status, body = bearerGet(t, srv, sec, "/api/v1/meetings/month?org=PD&month="+month)
	if status != 200 || !regexp.MustCompile(`"org_id":"K2"[^}]*"held_on":"`+held.Format("2006-01-02")).MatchString(body) {
		t.Errorf("ward month API: %d %s", status, body)
	}
	// The sibling ward sees none of it.
	if status, _ := bearerGet(t, srv, pb, loc); status != 404 {
		t.Errorf("sibling ward opens the meeting: %d", status)
	}
	if status, _ := bearerGet(t, srv, pb, "/api/v1/meetings?org=PD"); status != 403 {
		t.Errorf("sibling ward lists PD's meetings: %d", status)
	}
	// A member of the cell sees the next meeting and the last resolution on the phone page.
	status, body = bearerGet(t, srv, member, "/meetings/next")
	if status != 200 || !strings.Contains(body, "Chi bộ khu 2") || !strings.Contains(body, "Nghị quyết số 05-NQ/CB") {
		t.Errorf("next meeting: %d %.1000s", status, body)
	}
	// Residence: a link to a ward is refused naming cell_id.
	status, out := jsonPost(t, srv.URL, sec, "/api/v1/residence", map[string]any{"member_id": "M1", "cell_id": "PD", "from": "2024-02-01"})
	if status != http.StatusBadRequest || !strings.Contains(strings.Join(fieldNames(out), ","), "cell_id") {
		t.Errorf("residence with a ward: %d %v", status, out)
	}
}

func fieldNames(out map[string]any) []string {
	var names []string
	fs, _ := out["fields"].([]any)
	for _, f := range fs {
		if m, ok := f.(map[string]any); ok {
			names = append(names, m["field"].(string))
		}
	}
	return names
}

// TestMeetingQualityReview: the ward lists its cells' meetings of a month with their own scores
// and records its review of one; a score outside the rubric is refused beside its input,
// nothing written; the cell does not review itself; a sibling ward does not see the meeting.
func TestMeetingQualityReview(t *testing.T) {
	srv, s := newAuthServer(t)
	ctx := context.Background()
	m, err := s.CreateMeeting(ctx, "test", dangvu.CellMeeting{OrgID: "K2", Kind: dangvu.MeetingRegular, Status: dangvu.MeetingHeld, Held: dangvu.MustDate("2024-03-05")})
	if err != nil {
		t.Fatal(err)
	}
	pts := 93
	if _, err := s.RecordMinutes(ctx, "test", m.ID, store.Minutes{Points: &pts}); err != nil {
		t.Fatal(err)
	}
	ward := newUser(t, s, dangvu.User{Username: "vp-pd", UserRole: dangvu.UserStaffOrg, OrgID: "PD"})
	cell := newUser(t, s, dangvu.User{Username: "bt-k2q", UserRole: dangvu.UserSecretary, OrgID: "K2"})
	pb := newUser(t, s, dangvu.User{Username: "bt-pbq", UserRole: dangvu.UserSecretary, OrgID: "PB"})
	post := func(tok, points string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/meetings/"+m.ID+"/quality", strings.NewReader(form("org", "PD", "reviewed_points", points).Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Bearer "+tok)
		status, body, _ := do(t, noRedirect(), req)
		return status, body
	}
	status, body := bearerGet(t, srv, ward, "/meetings/quality?org=PD&month=2024-03")
	if status != 200 || !strings.Contains(body, "93 điểm (Tốt)") || !strings.Contains(body, "Chưa xem xét") || !strings.Contains(body, `id="rp-`+m.ID+`"`) {
		t.Fatalf("quality page: %d %.1500s", status, body)
	}
	for _, c := range []struct {
		name, tok, points string
		status            int
		want              string
	}{
		{"outside the rubric", ward, "150", http.StatusBadRequest, "reviewed_points"},
		{"not a number", ward, "tám mươi", http.StatusBadRequest, "số nguyên"},
		{"the cell itself", cell, "80", http.StatusForbidden, "không tự xem xét"},
		{"a sibling ward", pb, "80", http.StatusNotFound, ""},
	} {
		status, body := post(c.tok, c.points)
		if status != c.status || !strings.Contains(body, c.want) {
			t.Errorf("%s: %d %.600s", c.name, status, body)
		}
	}
	if got, _ := s.Meeting(ctx, m.ID); got.ReviewPoints != nil {
		t.Fatalf("a refused review was written: %+v", got.ReviewPoints)
	}
	if status, body := post(ward, "85"); status != http.StatusSeeOther {
		t.Fatalf("review: %d %.600s", status, body)
	}
	if got, _ := s.Meeting(ctx, m.ID); got.ReviewPoints == nil || *got.ReviewPoints != 85 || got.ReviewBand != "fair" {
		t.Errorf("stored review: %v %q", got.ReviewPoints, got.ReviewBand)
	}
	if status, body := bearerGet(t, srv, ward, "/meetings/quality?org=PD&month=03/2024"); status != 200 || !strings.Contains(body, "85 điểm (Khá)") {
		t.Errorf("quality page after the review: %d %.1500s", status, body)
	}
}

// TestResidenceCommentInReview: the residential cell's yearly comment on a working member
// registered with it appears on that member's year-end review (213-QĐ/TW, 33-HD/BTCTW §3); a
// comment requested and not returned says so; a member not registered has no such section.
func TestResidenceCommentInReview(t *testing.T) {
	srv, s := newAuthServer(t)
	ctx := context.Background()
	if _, err := s.CreateCampaign(ctx, "test", dangvu.Campaign{ID: "RV2024-PD", OrgID: "PD", Name: "Kiểm điểm năm 2024", From: dangvu.MustDate("2024-01-01"), To: dangvu.MustDate("2024-12-31")}); err != nil {
		t.Fatal(err)
	}
	l, err := s.CreateResidenceLink(ctx, "test", dangvu.ResidenceLink{MemberID: "M3", CellID: "K1", From: dangvu.MustDate("2024-01-15"), WorkOrg: "Đảng bộ Công ty Than Uông Bí", Letter: "Số 12-GGT/ĐU"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveResidenceComment(ctx, "test", dangvu.ResidenceComment{LinkID: l.ID, Year: 2024, RequestedOn: dangvu.MustDate("2024-11-20"), ReturnedOn: dangvu.MustDate("2024-12-05"), Comment: "Gương mẫu ở khu dân cư"}); err != nil {
		t.Fatal(err)
	}
	staff := newUser(t, s, dangvu.User{Username: "vp-pd-rv", UserRole: dangvu.UserStaffOrg, OrgID: "PD"})
	status, body := bearerGet(t, srv, staff, "/reviews/RV2024-PD-M-M3")
	if status != 200 || !strings.Contains(body, "Nhận xét của chi ủy nơi cư trú") || !strings.Contains(body, "Gương mẫu ở khu dân cư") || !strings.Contains(body, "trả ngày 05/12/2024") {
		t.Errorf("M3's review: %d %.3000s", status, body)
	}
	if err := s.SaveResidenceComment(ctx, "test", dangvu.ResidenceComment{LinkID: l.ID, Year: 2024, RequestedOn: dangvu.MustDate("2024-11-20")}); err != nil {
		t.Fatal(err)
	}
	if _, body := bearerGet(t, srv, staff, "/reviews/RV2024-PD-M-M3"); !strings.Contains(body, "chưa nhận được phiếu nhận xét") {
		t.Errorf("a comment requested, not returned: %.3000s", body)
	}
	if status, body := bearerGet(t, srv, staff, "/reviews/RV2024-PD-M-M1"); status != 200 || strings.Contains(body, "nơi cư trú (Quy định") {
		t.Errorf("M1, not registered: %d %.2000s", status, body)
	}
}
