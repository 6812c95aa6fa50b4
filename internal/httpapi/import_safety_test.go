package httpapi

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/store"
)

// withStage adds an admission file and steps to the sample's empty admission tables.
func withStage(stage string) func(name, text string) string {
	return func(name, text string) string {
		switch name {
		case "admission_files.csv":
			return text + "HS-2026-001,K1,Lê Văn Bình,male,2000,12/12,1,,0,\n"
		case "admission_steps.csv":
			return text + "HS-2026-001," + stage + ",2026-02-05,,,0,0,0,,,,,,,,\n"
		}
		return text
	}
}

// afterBadImport checks that the server still writes: a fresh login (a session row) and an
// import of the good sample.
func afterBadImport(t *testing.T, srv *httptest.Server, s *store.Store) {
	t.Helper()
	c, csrf := sessionClient(t, srv, "admin", "mat-khau-admin", "/import")
	status, body := upload(t, c, srv, csrf, "good.zip", sampleZip(t, func(_, text string) string { return text }))
	if status != http.StatusOK || !strings.Contains(body, "Đã nhập xong") {
		t.Fatalf("import after a bad one: %d %.500s", status, body)
	}
	if _, err := s.Member(context.Background(), "M1", time.Now()); err != nil {
		t.Errorf("member of the good import: %v", err)
	}
}

// An admission step with an unknown stage used to panic inside the import and leave SQLite's
// only writer connection inside its transaction: every later write, logins too, failed.
func TestImportUnknownStageWeb(t *testing.T) {
	srv, s := emptyServer(t)
	c, csrf := sessionClient(t, srv, "admin", "mat-khau-admin", "/import")
	status, body := upload(t, c, srv, csrf, "stage.zip", sampleZip(t, withStage("magic")))
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "admission_steps.csv, dòng 2, cột stage") {
		t.Fatalf("unknown stage: %d %.2000s", status, body)
	}
	if _, err := s.Member(context.Background(), "M1", time.Now()); dangvu.ErrorCode(err) != dangvu.ENotFound {
		t.Errorf("a refused import wrote members: %v", err)
	}
	afterBadImport(t, srv, s)
}

// panicAfter panics while reading members, after some rows were written: any decoder bug.
type panicAfter struct{ exchange.Reader }

func (p panicAfter) Each(table string, fn exchange.RowFunc) error {
	n := 0
	return p.Reader.Each(table, func(row int, rec exchange.Record) error {
		if n++; table == "members" && n > 2 {
			panic("test: a decoder bug")
		}
		return fn(row, rec)
	})
}

// A panic in a request (here an import through a route guarded like every other) answers 500
// with a message, rolls back, and leaves the writer free for logins and writes.
func TestPanicReleasesWriter(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "panic.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	newUser(t, s, dangvu.User{Username: "admin", UserRole: dangvu.UserAdmin})
	api := &Server{Store: s}
	mux := http.NewServeMux()
	mux.Handle("/", api.Handler())
	mux.HandleFunc("POST /test/panic-import", api.guard(route{pattern: "POST /test/panic-import", action: dangvu.ActImport,
		handler: func(s *Server, w http.ResponseWriter, r *http.Request) error {
			rd, err := exchange.Open("../../testdata/sample")
			if err != nil {
				return err
			}
			_, err = s.Store.Import(r.Context(), panicAfter{rd}, store.ImportOptions{Actor: "admin"})
			return err
		}}))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	c, csrf := sessionClient(t, srv, "admin", "mat-khau-admin", "/import")
	status, body, _ := page(t, c, srv, http.MethodPost, "/test/panic-import", url.Values{"csrf": {csrf}})
	if status != http.StatusInternalServerError || !strings.Contains(body, "Lỗi hệ thống") {
		t.Fatalf("panicking import: %d %.500s", status, body)
	}
	if _, err := s.Member(ctx, "M1", time.Now()); dangvu.ErrorCode(err) != dangvu.ENotFound {
		t.Errorf("a panicking import wrote members: %v", err)
	}
	afterBadImport(t, srv, s)
}

// cp1258 writes s as Excel's Vietnamese "CSV" does: Windows-1258, tones as combining marks.
func cp1258(t *testing.T, s string) []byte {
	t.Helper()
	var b strings.Builder
	for _, r := range s {
		d := []rune(norm.NFD.String(string(r)))
		var base, tones []rune
		for _, x := range d {
			switch x {
			case 0x300, 0x301, 0x303, 0x309, 0x323:
				tones = append(tones, x)
			default:
				base = append(base, x)
			}
		}
		b.WriteString(norm.NFC.String(string(base)) + string(tones))
	}
	out, err := charmap.Windows1258.NewEncoder().String(b.String())
	if err != nil {
		t.Fatal(err)
	}
	return []byte(out)
}

// A file in a legacy encoding is shown before anything is written: its encoding and names as
// they will be stored; the import happens only on confirmation, by the same user.
func TestImportPreviewLegacyEncoding(t *testing.T) {
	srv, s := emptyServer(t)
	c, csrf := sessionClient(t, srv, "admin", "mat-khau-admin", "/import")
	legacy := sampleZip(t, func(name, text string) string {
		if name == "members.csv" {
			return string(cp1258(t, text))
		}
		return text
	})
	status, body := upload(t, c, srv, csrf, "cu.zip", legacy)
	token := regexp.MustCompile(`name="token" value="([0-9a-f]+)"`).FindStringSubmatch(body)
	if status != http.StatusOK || token == nil || !strings.Contains(body, "members.csv: windows-1258") || !strings.Contains(body, "Nguyễn Văn Đức") {
		t.Fatalf("preview: %d %.3000s", status, body)
	}
	if _, err := s.Member(context.Background(), "M1", time.Now()); dangvu.ErrorCode(err) != dangvu.ENotFound {
		t.Fatalf("the preview wrote members: %v", err)
	}
	// Another administrator cannot confirm it.
	newUser(t, s, dangvu.User{Username: "admin2", UserRole: dangvu.UserAdmin})
	c2, csrf2 := sessionClient(t, srv, "admin2", "mat-khau-admin2", "/import")
	if status, _, _ := page(t, c2, srv, http.MethodPost, "/import", url.Values{"csrf": {csrf2}, "token": {token[1]}}); status != http.StatusBadRequest {
		t.Errorf("confirmation by another user: %d", status)
	}
	status, body, _ = page(t, c, srv, http.MethodPost, "/import", url.Values{"csrf": {csrf}, "token": {token[1]}})
	if status != http.StatusOK || !strings.Contains(body, "Đã nhập xong") {
		t.Fatalf("confirm: %d %.2000s", status, body)
	}
	m, err := s.Member(context.Background(), "M1", time.Now())
	if err != nil || m.FullName != "Nguyễn Văn Đức" {
		t.Errorf("imported member: %+v %v", m.FullName, err)
	}
	// A token is used once.
	if status, _, _ := page(t, c, srv, http.MethodPost, "/import", url.Values{"csrf": {csrf}, "token": {token[1]}}); status != http.StatusBadRequest {
		t.Errorf("second confirmation: %d", status)
	}
}

// Stray bytes, cells past the header, bombs and unknown files through the web import.
func TestImportBadFilesWeb(t *testing.T) {
	srv, s := emptyServer(t)
	c, csrf := sessionClient(t, srv, "admin", "mat-khau-admin", "/import")
	edit := func(file, old, new string) []byte {
		return sampleZip(t, func(name, text string) string {
			if name == file {
				return strings.Replace(text, old, new, 1)
			}
			return text
		})
	}
	for _, c2 := range []struct {
		name   string
		data   []byte
		status int
		want   string
	}{
		{"stray bytes", edit("members.csv", "Bí thư chi bộ", "Bí thư \xff\xfe\xfa\x80\x81 chi bộ"), 422, `members.csv, dòng 2, cột position`},
		{"extra cells", edit("members.csv", "Bí thư chi bộ", "Bí thư, chi bộ"), 422, `members.csv, dòng 2`},
		{"csv bomb", edit("members.csv", "Bí thư chi bộ", strings.Repeat("a", 8<<20)), 400, `dài quá`},
	} {
		status, body := upload(t, c, srv, csrf, c2.name+".zip", c2.data)
		if status != c2.status || !strings.Contains(body, c2.want) || strings.Contains(body, os.TempDir()+"/") {
			t.Errorf("%s: %d %.1500s", c2.name, status, body)
		}
	}
	if _, err := s.Member(context.Background(), "M1", time.Now()); dangvu.ErrorCode(err) != dangvu.ENotFound {
		t.Fatalf("a refused upload wrote members: %v", err)
	}
	// Unknown files are listed as not read.
	status, body := upload(t, c, srv, csrf, "extra.zip", sampleZip(t, func(_, text string) string { return text }, "sample/ghi-chu.txt", "sample/memebrs.csv"))
	if status != http.StatusOK || !strings.Contains(body, "Không đọc") || !strings.Contains(body, "ghi-chu.txt") || !strings.Contains(body, "memebrs.csv") {
		t.Errorf("unknown files: %d %.2000s", status, body)
	}
}

// repeatWriter writes n bytes of pattern to w in blocks, without holding them.
func repeatWrite(t *testing.T, w io.Writer, pattern string, n int) {
	t.Helper()
	block := []byte(strings.Repeat(pattern, (64<<10)/len(pattern)))
	for n > 0 {
		k := min(n, len(block))
		if _, err := w.Write(block[:k]); err != nil {
			t.Fatal(err)
		}
		n -= k
	}
}

// Zip bombs through the upload: a .zip whose CSV holds a cell of 256 MB, and a workbook whose
// sheet does, both a few hundred kilobytes compressed, are refused in Vietnamese while the whole
// request (client and server share this process) allocates a bounded amount.
func TestImportBombsWeb(t *testing.T) {
	if testing.Short() {
		t.Skip("compresses two 256 MB files")
	}
	const huge = 256 << 20
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	w, _ := zw.Create("members.csv")
	io.WriteString(w, "id,full_name,note\nM1,An,\"")
	repeatWrite(t, w, "a", huge)
	io.WriteString(w, "\"\n")
	zw.Close()

	book := excelize.NewFile()
	book.SetSheetName("Sheet1", "members")
	book.SetSheetRow("members", "A1", &[]any{"id", "full_name"})
	var good bytes.Buffer
	book.Write(&good)
	zr, _ := zip.NewReader(bytes.NewReader(good.Bytes()), int64(good.Len()))
	var xbuf bytes.Buffer
	xw := zip.NewWriter(&xbuf)
	xw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	for _, e := range zr.File {
		w, _ := xw.Create(e.Name)
		if e.Name == "xl/worksheets/sheet1.xml" {
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>`)
			repeatWrite(t, w, "a", huge)
			io.WriteString(w, `</t></is></c></row></sheetData></worksheet>`)
			continue
		}
		rc, _ := e.Open()
		io.Copy(w, rc)
		rc.Close()
	}
	xw.Close()

	srv, s := emptyServer(t)
	c, csrf := sessionClient(t, srv, "admin", "mat-khau-admin", "/import")
	for _, b := range []struct {
		name string
		data []byte
	}{{"bomb.zip", zbuf.Bytes()}, {"bomb.xlsx", xbuf.Bytes()}} {
		if len(b.data) > 2<<20 {
			t.Fatalf("%s is %d bytes compressed", b.name, len(b.data))
		}
		var status int
		var body string
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		status, body = upload(t, c, srv, csrf, b.name, b.data)
		runtime.ReadMemStats(&after)
		if status != http.StatusBadRequest && status != http.StatusUnprocessableEntity || !strings.Contains(body, "dài quá") {
			t.Errorf("%s: %d %.1500s", b.name, status, body)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 64<<20 {
			t.Errorf("%s: the request allocated %d MB", b.name, n>>20)
		}
	}
	if _, err := s.Member(context.Background(), "M1", time.Now()); dangvu.ErrorCode(err) != dangvu.ENotFound {
		t.Errorf("a bomb wrote members: %v", err)
	}
}
