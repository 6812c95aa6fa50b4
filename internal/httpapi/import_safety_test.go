package httpapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

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
