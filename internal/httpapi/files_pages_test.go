package httpapi

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"dangvu"
	"dangvu/internal/store"
)

func init() {
	matrixFixtures = append(matrixFixtures, func(t *testing.T, s *store.Store) map[string][2]string {
		ctx := context.Background()
		var ids [2]string
		for i, m := range []string{"M1", "M5"} {
			c, err := s.SaveCard(ctx, "test", dangvu.Card{MemberID: m, Number: "12.34567" + strconv.Itoa(i), Kind: "issue", IssuedOn: dangvu.MustDate("2020-01-10")})
			if err != nil {
				t.Fatal(err)
			}
			ids[i] = c.ID
		}
		var scans [2]string
		for i, m := range []string{"M1", "M5"} {
			d, err := s.SaveScan(ctx, "test", dangvu.FileDocument{MemberID: m, TypeNo: 18, Date: dangvu.MustDate("2020-01-10"), AddedOn: dangvu.MustDate("2020-01-10")}, []byte("%PDF-1.4\n% giấy xác nhận tuổi đảng\n%%EOF\n"))
			if err != nil {
				t.Fatal(err)
			}
			scans[i] = d.ID
		}
		return map[string][2]string{"cards": ids, "scans": scans}
	})
}

// filePageCases are the member-file pages' writes naming ids of the sibling ward
// (TestRouteMatrixBodies).
func filePageCases(objects map[string][2]string) []bodyCase {
	return []bodyCase{
		{route: "POST /supplements", path: "/supplements", foreign: "PB", body: func(id string) any { return form("org_id", id, "year", "2026") }},
		{route: "POST /badges", path: "/badges", foreign: "M5", body: func(id string) any {
			return form("org_id", "PD", "ceremony", "02/09/2026", "member", id, "milestone_"+id, "30", "kind_"+id, "due", "decision", "Số 1-QĐ/TU")
		}},
		{route: "POST /badges", path: "/badges", foreign: "K3", body: func(id string) any {
			return form("org_id", id, "ceremony", "02/09/2026", "member", "M1", "milestone_M1", "30", "kind_M1", "due", "decision", "Số 1-QĐ/TU")
		}},
		{route: "POST /cards", path: "/cards", foreign: "M5", body: func(id string) any {
			return form("org_id", "PD", "member_id", id, "number", "12.345699", "kind", "reissue", "issued_on", "01/02/2026")
		}},
		{route: "POST /cards", path: "/cards", foreign: "PB", body: func(id string) any {
			return form("org_id", id, "member_id", "M1", "number", "12.345699", "kind", "reissue", "issued_on", "01/02/2026")
		}},
		{route: "POST /cards/{id}/end", path: "/cards/" + objects["cards"][0] + "/end", foreign: "PB", body: func(id string) any {
			return form("org_id", id, "ended_on", "01/02/2026", "end_reason", "lost")
		}},
	}
}

// TestFilePages: the yearly supplement through the pages — the ward's staff opens 2026, the
// member enters their changes on their own page (a theory level that does not exist is refused
// beside its input, nothing written), the cell's secretary checks and may not certify, the
// ward certifies and the record changes; the member's file, the roll check, the badge list and
// its print, the cards page answer; bad input is refused naming the field; a member's account
// reads no file.
func TestFilePages(t *testing.T) {
	srv, s := newAuthServer(t)
	ctx := context.Background()
	staff := newUser(t, s, dangvu.User{Username: "tc-pd", UserRole: dangvu.UserStaffOrg, OrgID: "PD"})
	cell := newUser(t, s, dangvu.User{Username: "bt-k1", UserRole: dangvu.UserSecretary, OrgID: "K1"})
	self := newUser(t, s, dangvu.User{Username: "dv-m1", UserRole: dangvu.UserMember, OrgID: "K1", MemberID: "M1"})
	pb := newUser(t, s, dangvu.User{Username: "bt-pb", UserRole: dangvu.UserSecretary, OrgID: "PB"})
	post := func(tok, path string, f url.Values) (int, string, *http.Response) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(f.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Bearer "+tok)
		return do(t, noRedirect(), req)
	}
	// The member sees no supplement before the year is opened.
	if st, body := bearerGet(t, srv, self, "/supplements/mine"); st != 200 || !strings.Contains(body, "Chưa có đợt bổ sung") {
		t.Fatalf("own page before opening: %d %.300s", st, mainText(body))
	}
	// A cell is not the grassroots committee: the store refuses, the field named.
	if st, body, _ := post(cell, "/supplements", form("org_id", "K1", "year", "2026")); st != http.StatusUnprocessableEntity || !strings.Contains(body, "cấp ủy cơ sở mở đợt") {
		t.Errorf("a cell opens the year: %d %.300s", st, mainText(body))
	}
	if st, body, _ := post(staff, "/supplements", form("org_id", "PD", "year", "2026")); st != http.StatusSeeOther {
		t.Fatalf("open 2026: %d %.300s", st, mainText(body))
	}
	st, body := bearerGet(t, srv, staff, "/supplements?org=PD&year=2026")
	if st != 200 || !strings.Contains(body, "Chi bộ khu 1") || !strings.Contains(body, "Tiến độ") {
		t.Fatalf("ward progress: %d %.500s", st, mainText(body))
	}
	// The member enters: a theory level not in the list is refused beside its input.
	if st, body, _ := post(self, "/supplements/mine", form("position", "Tổ trưởng tổ dân phố", "theory_level", "Tiến sĩ")); st != http.StatusUnprocessableEntity ||
		!strings.Contains(body, `id="e-theory_level"`) || !strings.Contains(body, "Tổ trưởng tổ dân phố") {
		t.Errorf("bad theory level: %d %.800s", st, mainText(body))
	}
	if x, _ := s.Supplement(ctx, "SB2026-M1"); x.Status != dangvu.SupplementOpen {
		t.Errorf("a refused entry was written: %+v", x)
	}
	if st, body, _ := post(self, "/supplements/mine", form("position", "Tổ trưởng tổ dân phố", "theory_level", "advanced")); st != http.StatusSeeOther {
		t.Fatalf("member enters: %d %.500s", st, mainText(body))
	}
	if st, body := bearerGet(t, srv, self, "/supplements/mine"); st != 200 || !strings.Contains(body, "Đã khai") {
		t.Errorf("own page after entry: %d %.500s", st, mainText(body))
	}
	// The cell checks; it may not certify its own check.
	if st, body, _ := post(cell, "/supplements/SB2026-M1", form("action", "check")); st != http.StatusSeeOther {
		t.Fatalf("cell checks: %d %.500s", st, mainText(body))
	}
	if st, _, _ := post(cell, "/supplements/SB2026-M1", form("action", "certify")); st != http.StatusForbidden {
		t.Errorf("the cell certified: %d", st)
	}
	if st, body := bearerGet(t, srv, staff, "/supplements/SB2026-M1"); st != 200 || !strings.Contains(body, "Cấp ủy cơ sở xác nhận") {
		t.Errorf("ward's supplement page: %d %.500s", st, mainText(body))
	}
	if st, body, _ := post(staff, "/supplements/SB2026-M1", form("action", "certify")); st != http.StatusSeeOther {
		t.Fatalf("ward certifies: %d %.500s", st, mainText(body))
	}
	if m, _ := s.Member(ctx, "M1", s.Clock.Today()); m.Position != "Tổ trưởng tổ dân phố" || m.TheoryLevel != "advanced" {
		t.Errorf("record after certification: %q %q", m.Position, m.TheoryLevel)
	}
	// A sibling ward's secretary does not see the supplement.
	if st, _ := bearerGet(t, srv, pb, "/supplements/SB2026-M1"); st != http.StatusNotFound {
		t.Errorf("sibling ward reads the supplement: %d", st)
	}

	// The member's file: a type outside the catalogue is refused beside its input.
	if st, body, _ := post(staff, "/members/M1/file/documents", form("type_no", "105", "date", "01/02/2020")); st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-type_no"`) {
		t.Errorf("type 105: %d %.500s", st, mainText(body))
	}
	if st, body, _ := post(staff, "/members/M1/file/documents", form("type_no", "2", "date", "19/05/1995", "title", "Lý lịch đảng viên")); st != http.StatusSeeOther {
		t.Fatalf("add document: %d %.500s", st, mainText(body))
	}
	st, body = bearerGet(t, srv, staff, "/members/M1/file")
	if st != 200 || !strings.Contains(body, "Tình trạng hồ sơ") || !strings.Contains(body, "19/05/1995") || !strings.Contains(body, "còn thiếu") {
		t.Errorf("file page: %d %.800s", st, mainText(body))
	}
	if st, _ := bearerGet(t, srv, self, "/members/M1/file"); st != http.StatusForbidden {
		t.Errorf("a member's account read the file: %d", st)
	}
	st, body = bearerGet(t, srv, staff, "/files?org=PD")
	if st != 200 || !strings.Contains(body, "Chi bộ khu 1") || !strings.Contains(body, "chưa có hồ sơ") || strings.Contains(body, "Hoàng Văn Sáu") {
		t.Errorf("roll check: %d %.800s", st, mainText(body))
	}
	// A scan: a text file is refused beside the file input; a PDF is kept and read back, the
	// read audited.
	upload := func(content string) (int, string, *http.Response) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, v := range map[string]string{"type_no": "18", "date": "20/11/2026", "title": "Giấy xác nhận tuổi đảng"} {
			mw.WriteField(k, v)
		}
		fw, _ := mw.CreateFormFile("scan", "giay.pdf")
		fw.Write([]byte(content))
		mw.Close()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/members/M1/file/documents", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+staff)
		return do(t, noRedirect(), req)
	}
	if st, body, _ := upload("không phải PDF"); st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-scan"`) {
		t.Errorf("a text file as a scan: %d %.500s", st, mainText(body))
	}
	if st, body, _ := upload("%PDF-1.4\nbản quét\n%%EOF\n"); st != http.StatusSeeOther {
		t.Fatalf("upload a scan: %d %.500s", st, mainText(body))
	}
	_, body = bearerGet(t, srv, staff, "/members/M1/file")
	link := regexp.MustCompile(`href="(/scans/[^"]+)"`).FindStringSubmatch(body)
	if link == nil {
		t.Fatalf("no scan link: %.800s", mainText(body))
	}
	before, _ := s.AuditLog(ctx, "", "", 100000)
	if st, body := bearerGet(t, srv, staff, link[1]); st != 200 || !strings.HasPrefix(body, "%PDF-1.4\nbản quét") {
		t.Errorf("download: %d %.100q", st, body)
	}
	if after, _ := s.AuditLog(ctx, "", "", 100000); len(after) != len(before)+1 || after[0].Action != "download" {
		t.Errorf("the download was not audited: %d → %d", len(before), len(after))
	}
	if st, _ := bearerGet(t, srv, pb, link[1]); st != http.StatusNotFound {
		t.Errorf("a sibling ward downloads the scan: %d", st)
	}

	// The 1361 package of the ward as a ZIP: the folder of M1 with the decrypted scan, the
	// manifests; the download is audited.
	before, _ = s.AuditLog(ctx, "", "", 100000)
	st, body = bearerGet(t, srv, staff, "/files/export?org=PD")
	if st != 200 || !strings.HasPrefix(body, "PK") {
		t.Fatalf("package: %d %.300s", st, mainText(body))
	}
	zr, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
		if strings.HasSuffix(f.Name, ".pdf") && strings.Contains(f.Name, "18.Giay xac nhan tuoi dang") {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			if !strings.HasPrefix(string(b), "%PDF-1.4\nbản quét") {
				t.Errorf("the package's scan: %.40q", b)
			}
		}
	}
	if !names["manifest.csv"] || !names["manifest.json"] || !names["SHA256SUMS"] {
		t.Errorf("package files: %v", names)
	}
	if after, _ := s.AuditLog(ctx, "", "", 100000); len(after) != len(before)+1 || after[0].Entity != "files_package" {
		t.Errorf("the package's download was not audited")
	}
	if st, _ := bearerGet(t, srv, pb, "/files/export?org=PD"); st != http.StatusForbidden {
		t.Errorf("a sibling ward takes the package: %d", st)
	}

	// Badges: the list of a ceremony and its print.
	if st, body := bearerGet(t, srv, staff, "/badges?org=PD&ceremony=19/05/2025"); st != 200 || !strings.Contains(body, "Nguyễn Văn Đức") || !strings.Contains(body, "30 năm") {
		t.Errorf("badge list 19/05/2025: %d %.800s", st, mainText(body))
	}
	if st, body := bearerGet(t, srv, staff, "/badges/list?org=PD&ceremony=19/05/2025"); st != 200 || !strings.Contains(body, "4-HHĐ") || !strings.Contains(body, "Nguyễn Văn Đức") {
		t.Errorf("printed 4-HHĐ: %d %.800s", st, mainText(body))
	}
	if st, body, _ := post(staff, "/badges", form("org_id", "PD", "ceremony", "19/05/2025", "member", "M1", "milestone_M1", "40", "kind_M1", "due", "name_M1", "Nguyễn Văn Đức", "decision", "Số 5-QĐ/TU")); st != http.StatusUnprocessableEntity || !strings.Contains(body, "Nguyễn Văn Đức: ") {
		t.Errorf("a milestone not reached: %d %.800s", st, mainText(body))
	}
	if st, body, _ := post(staff, "/badges", form("org_id", "PD", "ceremony", "19/05/2025", "member", "M1", "milestone_M1", "30", "kind_M1", "due", "decision", "Số 5-QĐ/TU", "decided_on", "05/05/2025")); st != http.StatusSeeOther {
		t.Fatalf("record the badge: %d %.800s", st, mainText(body))
	}
	if bs, _ := s.MemberBadges(ctx, "M1"); len(bs) != 1 || bs[0].Milestone != 30 || bs[0].CashAmount == 0 {
		t.Errorf("badges: %+v", bs)
	}
	// Cards: a number failing its check is refused beside its input; a card is issued and lost.
	if st, body, _ := post(staff, "/cards", form("org_id", "PD", "member_id", "M1", "number", "abc", "kind", "issue", "issued_on", "01/02/2026")); st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-number"`) {
		t.Errorf("bad card number: %d %.800s", st, mainText(body))
	}
	if st, body, _ := post(staff, "/cards", form("org_id", "PD", "member_id", "M1", "number", "022070001234", "kind", "exchange", "issued_on", "20/08/2025")); st != http.StatusSeeOther {
		t.Fatalf("exchange: %d %.800s", st, mainText(body))
	}
	st, body = bearerGet(t, srv, staff, "/cards?org=PD")
	if st != 200 || !strings.Contains(body, "022070001234") || !strings.Contains(body, "Đổi thẻ năm 2025 (Chỉ thị 51-CT/TW): 1") {
		t.Errorf("cards page: %d %.1000s", st, mainText(body))
	}
}

// mainText is a page's main part without its markup, for a test's failure.
func mainText(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	return strings.Join(strings.Fields(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(body, " ")), " ")
}
