package httpapi

import (
	"context"
	"html"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dangvu"
)

// TestPrintForms prints the three official forms from records made through the store — a
// member's self-review, a transfer out of the system, a discipline decision — and finds the
// record's values on each, linked from the record's page; a sibling ward's secretary is told
// they do not exist.
func TestPrintForms(t *testing.T) {
	srv, s := newAuthServer(t)
	ctx := context.Background()
	newUser(t, s, dangvu.User{Username: "bt.pd", UserRole: dangvu.UserSecretary, OrgID: "PD"})
	newUser(t, s, dangvu.User{Username: "bt.pb", UserRole: dangvu.UserSecretary, OrgID: "PB"})
	newUser(t, s, dangvu.User{Username: "kt.pd", UserRole: dangvu.UserStaffInspection, OrgID: "PD"})
	newUser(t, s, dangvu.User{Username: "kt.pb", UserRole: dangvu.UserStaffInspection, OrgID: "PB"})

	if _, err := s.CreateCampaign(ctx, "test", dangvu.Campaign{ID: "KD2024", OrgID: "PD", Name: "Kiểm điểm, đánh giá, xếp loại năm 2024", From: dangvu.MustDate("2024-01-01"), To: dangvu.MustDate("2024-12-31")}); err != nil {
		t.Fatal(err)
	}
	rvs, err := s.Reviews(ctx, dangvu.ReviewFilter{CampaignID: "KD2024"})
	if err != nil {
		t.Fatal(err)
	}
	review := ""
	for _, rv := range rvs {
		if rv.MemberID == "M1" {
			review = rv.ID
		}
	}
	if review == "" {
		t.Fatalf("no review of M1 in %+v", rvs)
	}
	self := dangvu.SelfReview{Strengths: "Gương mẫu tham gia sinh hoạt chi bộ khu 1", Faults: "Chưa thường xuyên cập nhật nghị quyết",
		Causes: "Thời gian công tác dày", SelfRating: dangvu.RatingGood, On: dangvu.MustDate("2024-12-10"),
		Remedies: []dangvu.Remedy{{Content: "Đọc nghị quyết hằng tháng", Owner: "Bản thân", Due: dangvu.MustDate("2025-03-31")}}}
	if _, err := s.SaveSelfReview(ctx, "test", review, self); err != nil {
		t.Fatal(err)
	}
	act, err := s.RecordLifeAct(ctx, "test", dangvu.LifeAct{MemberID: "M2", Kind: dangvu.ActTransferOut, Date: dangvu.MustDate("2018-06-15"),
		External: "Đảng bộ xã Tân Dân, tỉnh Hải Dương", Document: "Số 15-GGT/ĐU", Reason: "chuyển nơi cư trú"})
	if err != nil {
		t.Fatal(err)
	}
	dec, err := s.CreateDiscipline(ctx, "test", dangvu.Discipline{MemberID: "M1", Form: dangvu.FormWarning, AuthorityOrgID: "K1",
		AuthorityBody: dangvu.BodyCell, ViolationOn: dangvu.MustDate("2024-02-01"), DecidedOn: dangvu.MustDate("2024-04-10"), EffectiveOn: dangvu.MustDate("2024-04-10"),
		Number: "Số 2-QĐ/CB", Reason: "không chấp hành nghị quyết của chi bộ"})
	if err != nil {
		t.Fatal(err)
	}

	c, _ := sessionClient(t, srv, "bt.pd", "mat-khau-bt.pd", "")
	other, _ := sessionClient(t, srv, "bt.pb", "mat-khau-bt.pb", "")
	// Discipline records are the inspection commission's.
	kt, _ := sessionClient(t, srv, "kt.pd", "mat-khau-kt.pd", "")
	ktOther, _ := sessionClient(t, srv, "kt.pb", "mat-khau-kt.pb", "")
	for _, tc := range []struct {
		c, other      *http.Client
		record, print string
		want          []string
	}{
		{c, other, "/reviews/" + review, "/reviews/" + review + "/print", []string{"BẢN KIỂM ĐIỂM CÁ NHÂN", "Nguyễn Văn Đức", "Kiểm điểm, đánh giá, xếp loại năm 2024",
			self.Strengths, self.Faults, self.Causes, "Đọc nghị quyết hằng tháng", "31/03/2025", dangvu.CodeName(dangvu.Ratings, dangvu.RatingGood),
			"Phương Đông, ngày 10 tháng 12 năm 2024", "CHI BỘ KHU 1", "15/03/1970", "NGƯỜI TỰ KIỂM ĐIỂM", "ĐẢNG CỘNG SẢN VIỆT NAM"}},
		{c, other, "/members/M2/acts", "/members/M2/transfer-letter?act=" + act.ID, []string{"GIẤY GIỚI THIỆU SINH HOẠT ĐẢNG", "Số 15-GGT/ĐU",
			"Kính gửi: <strong>Đảng bộ xã Tân Dân, tỉnh Hải Dương", "ngày 15 tháng 6 năm 2018", "chuyển nơi cư trú", "ĐẢNG ỦY PHƯỜNG PHƯƠNG ĐÔNG", "Đảng ủy phường Phương Đông giới thiệu đồng chí", "ĐẢNG BỘ THÀNH PHỐ UÔNG BÍ", "Chi bộ khu 1"}},
		{kt, ktOther, "/disciplines/" + dec.ID, "/disciplines/" + dec.ID + "/print", []string{"QUYẾT ĐỊNH", "Số 2-QĐ/CB", "CẢNH CÁO", "Nguyễn Văn Đức",
			"không chấp hành nghị quyết của chi bộ", "10/04/2024", "Phương Đông, ngày 10 tháng 4 năm 2024", "T/M CHI BỘ", "Căn cứ Quy định 22-QĐ/TW", "CHI BỘ KHU 1"}},
	} {
		status, body, _ := page(t, tc.c, srv, http.MethodGet, tc.record, nil)
		if status != http.StatusOK || !strings.Contains(html.UnescapeString(body), `href="`+tc.print+`"`) {
			t.Errorf("%s (%d) does not link %s", tc.record, status, tc.print)
		}
		status, body, _ = page(t, tc.c, srv, http.MethodGet, tc.print, nil)
		if status != http.StatusOK {
			t.Fatalf("%s: %d %.400s", tc.print, status, body)
		}
		text := html.UnescapeString(body)
		if dir := os.Getenv("DANGVU_PRINT_DUMP"); dir != "" {
			os.WriteFile(filepath.Join(dir, strings.Split(strings.Trim(tc.print, "/"), "/")[0]+".html"), []byte(body), 0o644)
		}
		for _, w := range tc.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %q", tc.print, w)
			}
		}
		if !strings.Contains(body, `href="/static/print.css"`) || strings.Contains(body, `<nav class="main"`) || strings.Contains(body, "<script") {
			t.Errorf("%s: not a print page of its own", tc.print)
		}
		if status, _, _ := page(t, tc.other, srv, http.MethodGet, tc.print, nil); status != http.StatusNotFound {
			t.Errorf("%s: a sibling ward's secretary got %d, want 404", tc.print, status)
		}
	}
	// A letter asked for an act that is not a transfer of this member.
	if status, _, _ := page(t, c, srv, http.MethodGet, "/members/M1/transfer-letter?act="+act.ID, nil); status != http.StatusNotFound {
		t.Errorf("another member's act: %d", status)
	}
}

func TestCommitteeName(t *testing.T) {
	for _, tc := range [][2]string{
		{"Đảng bộ tỉnh Quảng Ninh", "Tỉnh ủy Quảng Ninh"},
		{"Đảng bộ thành phố Uông Bí", "Thành ủy Uông Bí"},
		{"Đảng bộ huyện Hoành Bồ", "Huyện ủy Hoành Bồ"},
		{"Đảng bộ thị xã Quảng Yên", "Thị ủy Quảng Yên"},
		{"Đảng bộ phường Phương Đông", "Đảng ủy phường Phương Đông"},
		{"Đảng bộ Công an thành phố", "Đảng ủy Công an thành phố"},
		{"Chi bộ khu 1", "Chi bộ khu 1"},
	} {
		if got := committeeName(tc[0]); got != tc[1] {
			t.Errorf("committeeName(%q) = %q, want %q", tc[0], got, tc[1])
		}
	}
}
