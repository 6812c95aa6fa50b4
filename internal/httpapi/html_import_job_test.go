package httpapi

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/store"
)

// TestImportProgressPage: an import that outlasts the upload's wait answers with a redirect to
// its progress page, which lists the phases with their rows as they go (the command line's
// events), reloads itself without script while it runs, and ends with the result; another
// account does not see it.
func TestImportProgressPage(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "empty.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	newUser(t, s, dangvu.User{Username: "admin", UserRole: dangvu.UserAdmin})
	newUser(t, s, dangvu.User{Username: "admin2", UserRole: dangvu.UserAdmin})
	srv := httptest.NewServer((&Server{Store: s, ImportWait: -1}).Handler())
	t.Cleanup(srv.Close)
	c, csrf := sessionClient(t, srv, "admin", "mat-khau-admin", "/import")
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", csrf)
	fw, _ := mw.CreateFormFile("file", "mau.zip")
	fw.Write(sampleZip(t, func(_, text string) string { return text }))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	status, body, resp := do(t, c, req)
	loc := resp.Header.Get("Location")
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/import?job=") {
		t.Fatalf("upload: %d to %q, want 303 to the progress page\n%s", status, loc, body)
	}
	deadline := time.Now().Add(60 * time.Second)
	var final string
	for time.Now().Before(deadline) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+loc, nil)
		st, b, resp := do(t, c, req)
		if st != http.StatusOK {
			t.Fatalf("progress page: %d\n%s", st, b)
		}
		if strings.Contains(b, "Đang nhập") {
			if resp.Header.Get("Refresh") == "" {
				t.Errorf("a running import's page does not reload itself")
			}
			time.Sleep(100 * time.Millisecond)
			continue
		}
		final = b
		break
	}
	for _, want := range []string{"Các bước đã làm", "Nhập bảng members (đọc, kiểm tra, ghi)", "Ghi giao dịch vào cơ sở dữ liệu", "Đã nhập xong mau.zip",
		`<td>members</td><td class="num">4</td>`} {
		if !strings.Contains(final, want) {
			t.Errorf("the ended import's page lacks %q", want)
		}
	}
	if _, err := s.Member(ctx, "M1", time.Now()); err != nil {
		t.Errorf("imported member: %v", err)
	}
	other, _ := sessionClient(t, srv, "admin2", "mat-khau-admin2", "/import")
	req, _ = http.NewRequest(http.MethodGet, srv.URL+loc, nil)
	if st, b, _ := do(t, other, req); st != http.StatusNotFound || strings.Contains(b, "mau.zip") {
		t.Errorf("another account's view of the job: %d, want 404 without the file's name", st)
	}
}
