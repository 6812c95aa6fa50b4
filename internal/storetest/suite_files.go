package storetest

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/store"
)

// testMemberFiles: the member-files domain (docs/member-files.md) on the fixture — the file's
// status against the catalogue, the badge list of a ceremony and the party age with its gaps,
// cards, the yearly supplement from opening to certification, refusals that name the field and
// write nothing, and the subtree export of the new tables.
func testMemberFiles(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	s := loadedStore(t, f, open)
	ctx := t.Context()
	s.Clock = func() time.Time { return day("2026-12-06") }
	const actor = "cán bộ tổ chức"
	digest := func() string {
		d, err := Digest(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}

	// M01's file holds 01, 02, 03, 05, 07; M02's lacks 01, 05 and 07 and holds two 61s.
	st, err := s.MemberFile(ctx, "M01", day("2026-12-01"))
	if err != nil || !st.Complete || len(st.Documents) != 5 || st.Held[1] != 5 {
		t.Errorf("M01 file: %+v %v", st, err)
	}
	st, err = s.MemberFile(ctx, "M02", day("2026-12-01"))
	var miss []int
	for _, m := range st.Missing {
		miss = append(miss, m.No)
	}
	if err != nil || st.Complete || !slices.Equal(miss, []int{1, 5, 7}) || len(st.Duplicates) != 1 || st.Duplicates[0].No != 61 {
		t.Errorf("M02 file: missing %v, duplicates %+v, %v", miss, st.Duplicates, err)
	}
	// Before the documents were added, nothing is held.
	if st, _ := s.MemberFile(ctx, "M01", day("2026-07-14")); st.Complete || len(st.Documents) != 0 {
		t.Errorf("M01 file before its documents: %+v", st)
	}

	// Badges: M01 (admitted 19/05/1995) has his 30 years; M07 (22/12/1992) reached 30 on
	// 22/12/2022, listed at 03/02/2023.
	cands, err := s.BadgeCandidates(ctx, orgUB, day("2023-02-03"))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range cands {
		if c.MemberID == "M07" && c.Milestone == 30 && c.Kind == "due" && c.Reached.String() == "2022-12-22" {
			found = true
		}
	}
	if !found {
		t.Errorf("M07 not on the list of 03/02/2023: %+v", cands)
	}
	if _, err := s.BadgeCandidates(ctx, orgUB, day("2023-02-04")); err == nil || !strings.Contains(err.Error(), "19/05/2023") {
		t.Errorf("not a ceremony day: %v", err)
	}
	age, gaps, err := s.PartyAge(ctx, "M07", day("2022-12-22"))
	if err != nil || age.Years != 30 || age.Months != 0 || age.Days != 0 || len(gaps) != 0 {
		t.Errorf("M07 party age: %+v %v %v", age, gaps, err)
	}

	// Refusals name the field; nothing is written.
	before := digest()
	for _, tc := range []struct {
		name, field string
		err         error
	}{
		{"milestone not reached", "milestone", func() error {
			_, err := s.SaveBadge(ctx, actor, dangvu.Badge{MemberID: "M02", Milestone: 30, Kind: "due", Ceremony: dangvu.MustDate("2026-09-02")})
			return err
		}()},
		{"not a milestone", "milestone", func() error {
			_, err := s.SaveBadge(ctx, actor, dangvu.Badge{MemberID: "M07", Milestone: 35, Kind: "due", Ceremony: dangvu.MustDate("2023-02-03")})
			return err
		}()},
		{"awarded twice", "milestone", func() error {
			_, err := s.SaveBadge(ctx, actor, dangvu.Badge{MemberID: "M01", Milestone: 30, Kind: "due", Ceremony: dangvu.MustDate("2025-09-02")})
			return err
		}()},
		{"card number failing its check", "card_number", func() error {
			_, err := s.SaveCard(ctx, actor, dangvu.Card{MemberID: "M02", Number: "999082001234", Kind: "exchange", IssuedOn: dangvu.MustDate("2025-08-20")})
			return err
		}()},
		{"card number of another member", "number", func() error {
			_, err := s.SaveCard(ctx, actor, dangvu.Card{MemberID: "M02", Number: "022070001234", Kind: "exchange", IssuedOn: dangvu.MustDate("2025-08-20")})
			return err
		}()},
		{"catalogue number out of range", "type_no", func() error {
			_, err := s.SaveFileDocument(ctx, actor, dangvu.FileDocument{MemberID: "M02", TypeNo: 105})
			return err
		}()},
		{"organisation code", "code", s.SetOrgCode(ctx, actor, cell1B, "2026-01-01", "22.168.053.000.0112")},
	} {
		e := errorCode(t, tc.err, dangvu.EInvalid)
		if !hasField(e, tc.field) {
			t.Errorf("%s: fields %v", tc.name, e.Fields)
		}
	}
	if digest() != before {
		t.Error("a refused write changed the store")
	}

	// A badge and a card are recorded with their audit; the card updates the member's record.
	b, err := s.SaveBadge(ctx, actor, dangvu.Badge{MemberID: "M07", Milestone: 30, Kind: "due", Ceremony: dangvu.MustDate("2023-02-03"), DecidedOn: dangvu.MustDate("2023-01-20"), PresentedOn: dangvu.MustDate("2023-02-03")})
	if err != nil || b.OrgID != cell1B || b.CashAmount != 2235000 { // 1,5 × 1.490.000 (the base salary until 30/06/2023)
		t.Errorf("badge: %+v %v", b, err)
	}
	c, err := s.SaveCard(ctx, actor, dangvu.Card{MemberID: "M02", Number: "022082001111", Kind: "exchange", IssuedOn: dangvu.MustDate("2025-08-20")})
	if err != nil || c.Format != "id_number" {
		t.Errorf("card: %+v %v", c, err)
	}
	if m, _ := s.Member(ctx, "M02", day("2026-01-01")); m.CardNumber != "022082001111" {
		t.Errorf("member's card number: %q", m.CardNumber)
	}
	if err := s.SetOrgCode(ctx, actor, cell1B, "2026-01-01", "22168053000012"); err != nil {
		t.Error(err)
	}
	if code, _ := s.OrgCodeOn(ctx, cell1B, day("2026-02-01")); code != "22.168.053.000.012" {
		t.Errorf("org code %q", code)
	}

	// The 2026 supplement: the ward opens it, the cell enters, checks; the committee certifies
	// and the record changes.
	n, err := s.OpenSupplements(ctx, actor, orgPDN, 2026, day("2026-12-01"))
	if err != nil || n == 0 {
		t.Fatalf("open: %d %v", n, err)
	}
	xs, err := s.Supplements(ctx, orgPDN, 2026, day("2026-12-01"))
	if err != nil || len(xs) != n {
		t.Fatalf("supplements: %d of %d, %v", len(xs), n, err)
	}
	var m02 dangvu.Supplement
	for _, x := range xs {
		if x.MemberID == "M02" {
			m02 = x
		}
	}
	if m02.ID == "" || m02.OrgID != cell1A {
		t.Fatalf("M02's supplement: %+v", m02)
	}
	before = digest()
	_, err = s.EnterSupplement(ctx, actor, m02.ID, cell1B, map[string]string{"position": "x"})
	if e := errorCode(t, err, dangvu.EInvalid); !hasField(e, "member_id") || !strings.Contains(e.Error(), "không sinh hoạt tại chi bộ") {
		t.Errorf("a supplement entered by another cell: %v", e)
	}
	_, err = s.AdvanceSupplement(ctx, actor, m02.ID, dangvu.SupplementCertified)
	if e := errorCode(t, err, dangvu.EInvalid); !hasField(e, "status") {
		t.Errorf("certified before checked: %v", e)
	}
	if digest() != before {
		t.Error("a refused supplement changed the store")
	}
	if _, err := s.EnterSupplement(ctx, actor, m02.ID, cell1A, map[string]string{"position": "Bí thư chi đoàn", "theory_level": "Trung cấp", "awards": "Giấy khen 2026"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AdvanceSupplement(ctx, actor, m02.ID, dangvu.SupplementChecked); err != nil {
		t.Fatal(err)
	}
	x, err := s.AdvanceSupplement(ctx, actor, m02.ID, dangvu.SupplementCertified)
	if err != nil || x.CertifiedOn.String() != "2026-12-06" {
		t.Fatalf("certify: %+v %v", x, err)
	}
	if m, _ := s.Member(ctx, "M02", day("2026-12-06")); m.Position != "Bí thư chi đoàn" || m.TheoryLevel != "intermediate" {
		t.Errorf("the record after certification: %q %q", m.Position, m.TheoryLevel)
	}
	if d, _ := s.MemberDetailsOn(ctx, "M02", day("2026-12-06")); d.Awards != "Giấy khen 2026" || d.ValidFrom.String() != "2026-12-06" {
		t.Errorf("details after certification: %+v", d)
	}

	// The report counts them.
	r, err := s.TermReport(ctx, dangvu.ReportQuery{Org: orgPDN, From: day("2026-01-01"), To: day("2026-12-06"), AsOf: day("2026-12-06")})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := r.Get("supplements_certified"); v != 1 {
		t.Errorf("supplements_certified = %v, want 1", v)
	}
	if v, _ := r.Get("member_files_missing"); v == 0 {
		t.Errorf("member_files_missing = %v", v)
	}

	// The subtree export of Phương Đông Nam carries its members' rows, not Đông Triều's.
	m := exchange.NewMemory()
	if _, err := s.ExportUnder(ctx, m, orgPDN, day("2026-12-06")); err != nil {
		t.Fatal(err)
	}
	got := readAll(t, m.Reader())
	if len(got["file_documents"]) != 9 || len(got["cards"]) != 3 || len(got["supplements"]) < 2 || len(got["org_codes"]) < 2 {
		t.Errorf("subtree export: %d documents, %d cards, %d supplements, %d codes", len(got["file_documents"]), len(got["cards"]), len(got["supplements"]), len(got["org_codes"]))
	}
	for _, b := range got["badges"] {
		if b[1] == "M08" {
			t.Error("M08's badge (Phương Đông, 2015) in Phương Đông Nam's export")
		}
	}

	// Scans: a text file and one over the limit are refused naming the field, nothing written
	// and no file left; a PDF and a PNG are kept encrypted — neither the database (its export)
	// nor the scan folder holds the scan's bytes — and read back decrypted, each read audited.
	const secret = "BAN-QUET-BI-MAT-M01-0123456789"
	pdf := []byte("%PDF-1.4\n1 0 obj << /Title (" + secret + ") >> endobj\n%%EOF\n")
	png := append([]byte("\x89PNG\r\n\x1a\n"), []byte("IHDR "+secret)...)
	beforeScan := digest()
	for _, bad := range [][]byte{[]byte("Lý lịch " + secret), append([]byte("%PDF-1.4\n"), make([]byte, store.MaxScanBytes)...)} {
		if _, err := s.SaveScan(ctx, actor, dangvu.FileDocument{MemberID: "M01", TypeNo: 18, AddedOn: dangvu.MustDate("2026-11-30")}, bad); dangvu.ErrorCode(err) != dangvu.EInvalid || !strings.Contains(fmt.Sprint(err), "scan") {
			t.Errorf("a bad scan (%d bytes): %v", len(bad), err)
		}
	}
	if d := digest(); d != beforeScan {
		t.Error("a refused scan wrote")
	}
	if es, _ := os.ReadDir(s.ScanDir()); len(es) != 0 {
		t.Errorf("a refused scan left %d files", len(es))
	}
	var scanned []dangvu.FileDocument
	for _, c := range [][]byte{pdf, png} {
		d, err := s.SaveScan(ctx, actor, dangvu.FileDocument{MemberID: "M01", TypeNo: 18, Date: dangvu.MustDate("2026-11-20"), Title: "Giấy chứng nhận tuổi đảng", AddedOn: dangvu.MustDate("2026-11-30")}, c)
		if err != nil || d.Attachment == "" || d.SHA256 != fmt.Sprintf("%x", sha256.Sum256(c)) {
			t.Fatalf("scan: %+v %v", d, err)
		}
		scanned = append(scanned, d)
	}
	// Every table's rows (the export) and, for SQLite, the database's own files.
	whole := exchange.NewMemory()
	if err := s.Export(ctx, whole, nil); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(fmt.Sprint(readAll(t, whole.Reader())), secret) {
		t.Error("the database holds a readable scan")
	}
	if dbDir := filepath.Dir(s.ScanDir()); filepath.Base(s.ScanDir()) == "attachments" {
		files, _ := filepath.Glob(filepath.Join(dbDir, "*"))
		for _, f := range files {
			if b, err := os.ReadFile(f); err == nil && strings.Contains(string(b), secret) {
				t.Errorf("%s holds the scan in clear", f)
			}
		}
	}
	entries, _ := os.ReadDir(s.ScanDir())
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(s.ScanDir(), e.Name()))
		if strings.Contains(string(b), secret) || strings.Contains(string(b), "%PDF") {
			t.Errorf("%s holds the scan in clear", e.Name())
		}
	}
	if len(entries) != 2 {
		t.Errorf("%d scan files, want 2", len(entries))
	}
	nAudit := func() int {
		es, err := s.AuditLog(ctx, "", "", 100000)
		if err != nil {
			t.Fatal(err)
		}
		return len(es)
	}
	n0 := nAudit()
	sc, err := s.OpenScan(ctx, "người đọc", scanned[0].ID)
	if err != nil || string(sc.Content) != string(pdf) || sc.ContentType != "application/pdf" {
		t.Errorf("open the scan: %q %s %v", sc.Content, sc.ContentType, err)
	}
	if nAudit() != n0+1 {
		t.Errorf("the scan's read was not audited (%d → %d)", n0, nAudit())
	}
	// A scan file swapped for another document's does not open.
	fa, fb := filepath.Join(s.ScanDir(), scanned[0].Attachment), filepath.Join(s.ScanDir(), scanned[1].Attachment)
	ab, _ := os.ReadFile(fa)
	bb, _ := os.ReadFile(fb)
	os.WriteFile(fa, bb, 0o600)
	if _, err := s.OpenScan(ctx, "người đọc", scanned[0].ID); err == nil {
		t.Error("a swapped scan file opened")
	}
	os.WriteFile(fa, ab, 0o600)

	// The 1361 package of cell 1A: folders by organisation code and CCCD, names of the
	// catalogue, duplicates numbered, the manifest with what is missing; an existing folder is
	// refused.
	out := filepath.Join(t.TempDir(), "goi")
	res, err := s.FilesPackage(ctx, cell1A, day("2026-12-01"), out)
	if err != nil || res.Members == 0 || res.Missing == 0 {
		t.Fatalf("package: %+v %v", res, err)
	}
	if st, err := os.Stat(filepath.Join(out, "22.168.053.000.011", "022070001234_NguyenVanDuc")); err != nil || !st.IsDir() {
		t.Errorf("M01's folder: %v", err)
	}
	man, _ := os.ReadFile(filepath.Join(out, "manifest.csv"))
	for _, want := range []string{"02.Ly lich dang vien.pdf", "KHONG_CO_CCCD-M02_TranThiAnh", "61.Ban tu kiem diem hang nam.1.pdf", "61.Ban tu kiem diem hang nam.2.pdf", ",missing"} {
		if !strings.Contains(string(man), want) {
			t.Errorf("manifest lacks %q:\n%s", want, man)
		}
	}
	// The package holds the scans decrypted, the image under its own extension.
	folder := filepath.Join(out, "22.168.053.000.011", "022070001234_NguyenVanDuc")
	if b, err := os.ReadFile(filepath.Join(folder, "18.Giay xac nhan tuoi dang.1.pdf")); err != nil || string(b) != string(pdf) {
		t.Errorf("the package's PDF scan: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(folder, "18.Giay xac nhan tuoi dang.2.png")); err != nil || string(b) != string(png) {
		t.Errorf("the package's PNG scan: %v", err)
	}
	if res.Scans != 2 {
		t.Errorf("package scans: %d", res.Scans)
	}
	sums, _ := os.ReadFile(filepath.Join(out, "SHA256SUMS"))
	if !strings.Contains(string(sums), fmt.Sprintf("%x  manifest.csv", sha256.Sum256(man))) {
		t.Errorf("checksums: %s", sums)
	}
	if _, err := s.FilesPackage(ctx, cell1A, day("2026-12-01"), out); err == nil || !strings.Contains(err.Error(), "đã có") {
		t.Errorf("an existing folder: %v", err)
	}
}
