package httpapi

import (
	"archive/zip"
	"bytes"
	"context"
	"html"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/store"
)

// docxText is a DOCX's text, its runs joined.
func docxText(t *testing.T, b []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			x, _ := io.ReadAll(rc)
			rc.Close()
			text := regexp.MustCompile(`</w:p>`).ReplaceAllString(string(x), "\n")
			return html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(text, ""))
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}

// TestMemberForms: the forms page lists what each form needs and the record lacks (M1 has no
// birth place nor family for 1-HSĐV, no supplement for 3-HSĐV), and asking for such a form
// answers that list, not a blank form; once the record holds them, 1-HSĐV, 2-HSĐV, the yearly
// supplement and the party-age certificate are written as DOCX carrying the record's values —
// read back here, and opened by LibreOffice when it is installed (required under CI).
func TestMemberForms(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "forms.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, accessData(t).Reader(), store.ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&Server{Store: s}).Handler())
	t.Cleanup(srv.Close)
	staff := newUser(t, s, dangvu.User{Username: "tc-pd", UserRole: dangvu.UserStaffOrg, OrgID: "PD"})
	self := newUser(t, s, dangvu.User{Username: "dv-m1", UserRole: dangvu.UserMember, OrgID: "K1", MemberID: "M1"})
	st, body := bearerGet(t, srv, staff, "/members/M1/forms")
	if st != 200 || !strings.Contains(body, "nơi sinh (lý lịch bổ sung)") || !strings.Contains(body, "gia đình") || !strings.Contains(body, "phiếu bổ sung hồ sơ của năm") {
		t.Fatalf("forms page: %d %.1500s", st, mainText(body))
	}
	if st, body := bearerGet(t, srv, staff, "/members/M1/forms?form=1-hsdv"); st != 200 || !strings.Contains(body, "<html") || !strings.Contains(body, "nơi sinh") {
		t.Errorf("1-HSĐV with the record incomplete: %d %.300s", st, mainText(body))
	}
	if st, _ := bearerGet(t, srv, self, "/members/M1/forms"); st != 403 {
		t.Errorf("a member's account prints forms: %d", st)
	}
	// The record completed: birth place and family (imported), a 2026 supplement entered.
	more := exchange.NewMemory()
	for table, rows := range map[string][]map[string]string{
		"member_details": {{"member_id": "M1", "valid_from": "2015-01-01", "birth_name": "Nguyễn Văn Đức", "birth_place": "Phương Đông, Uông Bí"}},
		"family_members": {{"id": "F-M1-1", "member_id": "M1", "relation": "father", "full_name": "Nguyễn Văn Hải", "birth_year": "1940", "residence": "Uông Bí", "occupation": "Hưu trí"}},
	} {
		tb, _ := exchange.Lookup(table)
		for _, kv := range rows {
			vals := make([]string, len(tb.Columns))
			for i, c := range tb.Columns {
				vals[i] = kv[c]
			}
			if err := more.Row(table, vals); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := s.Import(ctx, more.Reader(), store.ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveCard(ctx, "test", dangvu.Card{MemberID: "M1", Number: "022070001234", Kind: "issue", IssuedOn: dangvu.MustDate("2025-08-20")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.OpenSupplements(ctx, "test", "PD", 2026, s.Clock.Today()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.EnterSupplement(ctx, "test", "SB2026-M1", "", map[string]string{"position": "Tổ trưởng tổ dân phố"}); err != nil {
		t.Fatal(err)
	}
	docs := map[string][]string{
		"1-hsdv":    {"LÝ LỊCH ĐẢNG VIÊN", "Mẫu 1-HSĐV", "NGUYỄN VĂN ĐỨC", "Phương Đông, Uông Bí", "Nguyễn Văn Hải", "19/05/1995", "Chi bộ khu 1"},
		"2-hsdv":    {"PHIẾU ĐẢNG VIÊN", "Mẫu 2-HSĐV", "022070001234", "Kỹ sư", "Số thẻ đảng viên"},
		"3-hsdv":    {"PHIẾU BỔ SUNG HỒ SƠ ĐẢNG VIÊN", "Năm 2026", "Tổ trưởng tổ dân phố"},
		"tuoi-dang": {"GIẤY XÁC NHẬN TUỔI ĐẢNG", "Nguyễn Văn Đức", "19/05/1995", "năm"},
	}
	for kind, wants := range docs {
		st, body := bearerGet(t, srv, staff, "/members/M1/forms?form="+kind)
		if st != 200 || !strings.HasPrefix(body, "PK") {
			t.Errorf("%s: %d %.500s", kind, st, mainText(body))
			continue
		}
		text := docxText(t, []byte(body))
		for _, w := range wants {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %q:\n%s", kind, w, text)
			}
		}
		openWithLibreOffice(t, kind, []byte(body), wants[0])
	}
}

// openWithLibreOffice converts a DOCX to text with LibreOffice and looks for want; without
// LibreOffice it skips, except under CI.
func openWithLibreOffice(t *testing.T, name string, docx []byte, want string) {
	t.Helper()
	bin, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Error("soffice is not installed; .ci/run installs it")
		}
		return
	}
	dir := t.TempDir()
	in := filepath.Join(dir, name+".docx")
	os.WriteFile(in, docx, 0o644)
	cmd := exec.Command(bin, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", "txt:Text (encoded):UTF8", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice %s: %v: %s", name, err, out)
	}
	txt, err := os.ReadFile(filepath.Join(dir, name+".txt"))
	if err != nil {
		t.Fatalf("LibreOffice wrote no text for %s: %v", name, err)
	}
	if !strings.Contains(string(txt), want) {
		t.Errorf("LibreOffice's %s lacks %q:\n%s", name, want, txt)
	}
}
