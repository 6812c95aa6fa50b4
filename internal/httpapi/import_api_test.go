package httpapi

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/storetest"
)

// subtreeZip zips a folder of CSV files (an export, with its manifest), after edit has changed
// each file's text.
func subtreeZip(t *testing.T, dir string, edit func(name, text string) string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		w, _ := zw.Create(e.Name())
		w.Write([]byte(edit(e.Name(), string(b))))
	}
	zw.Close()
	return buf.Bytes()
}

// TestScopedImportHTTP: the staff of ward PD import PD's own file through POST /api/v1/import
// (a dry run first, which writes nothing); the same file with a row of the sibling ward PB is
// refused naming the file, row and field, and nothing is written; a role without the import
// right gets 403 (issue 21).
func TestScopedImportHTTP(t *testing.T) {
	srv, s := newAuthServer(t)
	staff := newUser(t, s, dangvu.User{Username: "pd-org", UserRole: dangvu.UserStaffOrg, OrgID: "PD"})
	secretary := newUser(t, s, dangvu.User{Username: "pd-sec", UserRole: dangvu.UserSecretary, OrgID: "PD"})
	dir := filepath.Join(t.TempDir(), "pd")
	w, err := exchange.Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ExportUnder(t.Context(), w, "PD", time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	pb := exchange.NewMemory()
	if _, err := s.ExportUnder(t.Context(), pb, "PB", time.Now()); err != nil {
		t.Fatal(err)
	}
	var foreign string // a member of PB's, renamed, as a CSV line
	members, _ := exchange.Lookup("members")
	pb.Reader().Each("members", func(_ int, rec exchange.Record) error {
		if foreign == "" && rec.Get("id") == "M5" {
			var cells []string
			for _, c := range members.Columns {
				v := rec.Get(c)
				if c == "full_name" {
					v += " Sửa"
				}
				cells = append(cells, v)
			}
			foreign = strings.Join(cells, ",") + "\n"
		}
		return nil
	})
	if foreign == "" {
		t.Fatal("fixture: no member M5 in PB")
	}
	post := func(tok, query string, body []byte) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/import"+query, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/octet-stream")
		status, b, _ := do(t, noRedirect(), req)
		var out map[string]any
		if err := json.Unmarshal([]byte(b), &out); err != nil {
			t.Fatalf("%d: not JSON: %.300s", status, b)
		}
		return status, out
	}
	same := func(_, text string) string { return text }
	own := subtreeZip(t, dir, same)
	digest := func() string {
		d, err := storetest.Digest(t.Context(), s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	before := digest()

	if st, out := post(staff, "?dry_run=1", own); st != 200 || out["dry_run"] != true || out["changes"] == nil {
		t.Errorf("dry run: %d %v", st, out)
	}
	if digest() != before {
		t.Error("the dry run wrote")
	}
	if st, out := post(staff, "", own); st != 200 {
		t.Errorf("the ward's own file within the ward: %d %v", st, out)
	}

	bad := subtreeZip(t, dir, func(name, text string) string {
		if name == "members.csv" {
			return text + foreign
		}
		return text
	})
	lines := strings.Count(func() string { b, _ := os.ReadFile(filepath.Join(dir, "members.csv")); return string(b) }(), "\n")
	before = digest()
	st, out := post(staff, "", bad)
	fields, _ := out["fields"].([]any)
	want := fmt.Sprintf("members.csv/%d/id", lines+1)
	if st != 400 || out["error"] != "invalid" || len(fields) != 1 {
		t.Fatalf("a row of the sibling ward: %d %v, want 400 naming %s only", st, out, want)
	}
	fe, _ := fields[0].(map[string]any)
	if got := fmt.Sprintf("%v/%v/%v", fe["table"], fe["row"], fe["field"]); got != want || !strings.Contains(fmt.Sprint(fe["reason"]), "ngoài phạm vi") {
		t.Errorf("refused %s (%v), want %s, outside the subtree", got, fe["reason"], want)
	}
	if digest() != before {
		t.Error("a refused scoped import wrote")
	}
	if st, _ := post(secretary, "", own); st != 403 {
		t.Errorf("a secretary imports: %d, want 403", st)
	}
}

// TestImportPageDryRun: the import page's dry run, by the ward's staff with the ward's file in
// which a member was renamed, shows the table that would change and writes nothing; the
// import itself then changes it.
func TestImportPageDryRun(t *testing.T) {
	srv, s := newAuthServer(t)
	newUser(t, s, dangvu.User{Username: "pd-org", UserRole: dangvu.UserStaffOrg, OrgID: "PD"})
	c, _ := sessionClient(t, srv, "pd-org", "mat-khau-pd-org", "")
	_, body, _ := page(t, c, srv, http.MethodGet, "/import", nil)
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)
	if csrf == nil || !strings.Contains(body, `name="dry_run"`) {
		t.Fatalf("the import page has no csrf or no dry-run box: %.500s", body)
	}
	dir := filepath.Join(t.TempDir(), "pd")
	w, err := exchange.Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ExportUnder(t.Context(), w, "PD", time.Now()); err != nil {
		t.Fatal(err)
	}
	w.Close()
	data := subtreeZip(t, dir, func(name, text string) string {
		if name == "members.csv" {
			return strings.Replace(text, "Nguyễn Văn Đức", "Nguyễn Văn Đức Mới", 1)
		}
		return text
	})
	send := func(dry bool) (int, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("csrf", csrf[1])
		if dry {
			mw.WriteField("dry_run", "1")
		}
		fw, _ := mw.CreateFormFile("file", "pd.zip")
		fw.Write(data)
		mw.Close()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/import", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		st, b, _ := do(t, c, req)
		return st, b
	}
	before, _ := storetest.Digest(t.Context(), s)
	st, b := send(true)
	if st != 200 || !strings.Contains(b, "Đã chạy thử pd.zip: chưa ghi gì") || !regexp.MustCompile(`<td>members</td><td class="num">0</td><td class="num">1</td><td class="num">0</td>`).MatchString(b) {
		t.Errorf("dry run page: %d %.2000s", st, b)
	}
	if after, _ := storetest.Digest(t.Context(), s); after != before {
		t.Error("the page's dry run wrote")
	}
	if st, b := send(false); st != 200 || !strings.Contains(b, "Đã nhập xong") {
		t.Errorf("import: %d %.500s", st, b)
	}
	if after, _ := storetest.Digest(t.Context(), s); after == before {
		t.Error("the import wrote nothing")
	}
}

// TestImportConflictsHTTP: the ward's file whose stub of an organisation above it was renamed
// is refused through POST /api/v1/import with 409, the error body's fields[] and a conflicts[]
// naming file, row, id, field and both values; the import page lists the same conflicts; and
// nothing is written (issue 21).
func TestImportConflictsHTTP(t *testing.T) {
	srv, s := newAuthServer(t)
	staff := newUser(t, s, dangvu.User{Username: "pd-org", UserRole: dangvu.UserStaffOrg, OrgID: "PD"})
	dir := filepath.Join(t.TempDir(), "pd")
	w, err := exchange.Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ExportUnder(t.Context(), w, "PD", time.Now()); err != nil {
		t.Fatal(err)
	}
	w.Close()
	var stored string // the first stub's name, renamed in the file
	data := subtreeZip(t, dir, func(name, text string) string {
		if name != "external_organisations.csv" {
			return text
		}
		recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
		if err != nil || len(recs) < 2 {
			t.Fatalf("external_organisations.csv: %v %v", recs, err)
		}
		stored = recs[1][3]
		recs[1][3] += " (sửa)"
		var b strings.Builder
		cw := csv.NewWriter(&b)
		cw.WriteAll(recs)
		return b.String()
	})
	before, _ := storetest.Digest(t.Context(), s)

	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/import", bytes.NewReader(data))
	req.Header.Set("Authorization", "Bearer "+staff)
	req.Header.Set("Content-Type", "application/octet-stream")
	st, b, _ := do(t, noRedirect(), req)
	var out struct {
		Error     string              `json:"error"`
		Message   string              `json:"message"`
		Fields    []dangvu.FieldError `json:"fields"`
		Conflicts []dangvu.Conflict   `json:"conflicts"`
	}
	if err := json.Unmarshal([]byte(b), &out); err != nil {
		t.Fatalf("%d: not JSON: %.300s", st, b)
	}
	if st != http.StatusConflict || out.Error != "conflict" || len(out.Conflicts) != 1 || len(out.Fields) != 1 {
		t.Fatalf("a renamed stub: %d %s, want 409 with one conflict", st, b)
	}
	c := out.Conflicts[0]
	if c.Table != "external_organisations.csv" || c.Row != 2 || c.Field != "name" || c.Stored != stored || c.File != stored+" (sửa)" || !strings.Contains(c.Reason, "xung đột") && !strings.Contains(c.Reason, "không được sửa") {
		t.Errorf("conflict %+v", c)
	}
	if after, _ := storetest.Digest(t.Context(), s); after != before {
		t.Error("an import with a conflict wrote")
	}

	cl, _ := sessionClient(t, srv, "pd-org", "mat-khau-pd-org", "")
	_, body, _ := page(t, cl, srv, http.MethodGet, "/import", nil)
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)
	if csrf == nil {
		t.Fatal("no csrf")
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", csrf[1])
	fw, _ := mw.CreateFormFile("file", "pd.zip")
	fw.Write(data)
	mw.Close()
	req, _ = http.NewRequest(http.MethodPost, srv.URL+"/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	st, b, _ = do(t, cl, req)
	if st != http.StatusUnprocessableEntity || !strings.Contains(b, `class="import-errors import-conflicts"`) || !strings.Contains(b, "(sửa)") {
		t.Errorf("the import page with a conflict: %d %.2000s", st, b)
	}
	if after, _ := storetest.Digest(t.Context(), s); after != before {
		t.Error("the page's import with a conflict wrote")
	}
}
