package httpapi

// The import page: upload, a preview when the file is not plain Unicode, and the import.

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/exchange"
)

// MaxImportSize bounds an uploaded data set.
const MaxImportSize = 200 << 20

// maxUnzipped bounds what an upload may expand to: the CSV files of a .zip, or a workbook's parts.
const maxUnzipped = 4 << 30

// importLimits are the reader's limits for uploads (exchange.Limits).
var importLimits = func() exchange.Limits {
	l := exchange.DefaultLimits
	l.Total = maxUnzipped
	return l
}()

// stagedFor is how long an upload waits for its preview to be confirmed.
const stagedFor = time.Hour

var errImportScope = dangvu.Errorf(dangvu.EForbidden, "Tài khoản của bạn không gắn với tổ chức đảng nào nên không có phạm vi để nhập dữ liệu.")

// importWithin is the subtree a user's import must lie in: "" for an administrator of the
// whole tree, else the user's organisation (every row is checked against it, issue 21).
func importWithin(u *dangvu.User) (string, error) {
	if wholeTree(u) {
		return "", nil
	}
	if u == nil || u.OrgID == "" {
		return "", errImportScope
	}
	return u.OrgID, nil
}

type importData struct {
	Allowed bool
	// DryRun: the import was (or, on a preview, will be) only tried, nothing written; Changes
	// says what an import would change, per table that changes.
	DryRun  bool
	Changes []importChange
	Within  string // the name of the subtree the user's import must lie in; "" for the whole tree
	Message string
	Rows    []importCount
	Errors  []dangvu.FieldError // the rows' errors, under Message
	// Conflicts, under Message instead of Errors: the values of the file that differ from the
	// stored ones where it may not change them (an organisation or a document above the subtree).
	Conflicts []dangvu.Conflict
	FileErr   string // beside the file input: an error of the upload itself
	File      string
	CSRF      string
	Ignored   []string // files and sheets that are not tables, not read
	// A preview waiting for confirmation: nothing has been written.
	Preview *exchange.Preview
	Token   string
	// Job is the progress of an import running or ended (html_import_job.go).
	Job *importProgress
}

type importChange struct {
	Table                   string
	Added, Changed, Removed int
}

type importCount struct {
	Table string
	Rows  int
}

func (s *Server) renderImport(w http.ResponseWriter, r *http.Request, status int, d importData) error {
	u := s.user(r)
	within, err := importWithin(u)
	d.Allowed, d.CSRF = err == nil, s.csrf(r)
	if within != "" {
		d.Within = within
		if o, err := s.Store.ResolveOrg(r.Context(), within, s.today()); err == nil {
			d.Within = o.Name
		}
	}
	return s.render(w, r, status, "admin_import.html", "Nhập dữ liệu", "import", d)
}

func (s *Server) importPage(w http.ResponseWriter, r *http.Request) error {
	if id := r.URL.Query().Get("job"); id != "" {
		job := s.importJobs().get(id, s.user(r).Username)
		if job == nil {
			return s.renderImport(w, r, http.StatusNotFound, importData{Message: "Không có lần nhập này (quá một giờ, máy chủ đã khởi động lại, hoặc của người khác)."})
		}
		return s.importAnswer(w, r, job)
	}
	return s.renderImport(w, r, http.StatusOK, importData{})
}

// limitBody bounds the body of the import upload and reads it before the CSRF check, so that a
// too large file is reported as such (guard calls it for state-changing requests).
func (s *Server) limitBody(w http.ResponseWriter, r *http.Request, rt route) error {
	if rt.pattern != "POST /import" {
		return nil
	}
	if r.ContentLength > MaxImportSize {
		return errTooLarge
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxImportSize)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if err := r.ParseMultipartForm(32 << 20); err != nil {
			var mb *http.MaxBytesError
			if errors.As(err, &mb) {
				return errTooLarge
			}
			return dangvu.Errorf(dangvu.EInvalid, "Không đọc được tệp tải lên (biểu mẫu hỏng hoặc bị cắt).")
		}
	}
	return nil
}

var errTooLarge = dangvu.Errorf(dangvu.EInvalid, "Tệp quá lớn: tối đa %d MB.", MaxImportSize>>20)

// staged is an upload kept on the server between its preview and its confirmation.
type staged struct {
	dir  string // the folder holding the upload, its meta file and what it unpacked to
	src  string // what exchange.Open takes
	name string // the file's name as uploaded
	sum  string
	skip []string // entries of a .zip that are not CSV files
	// within is the subtree every row must lie in ("" for the whole tree: importWithin).
	within string
	dry    bool // a dry run: nothing written, the changes answered
}

var tokenPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

func stagingDir(token string) string {
	return filepath.Join(os.TempDir(), "dangvu-import-"+token)
}

func (s *Server) importPost(w http.ResponseWriter, r *http.Request) error {
	u := s.user(r)
	within, err := importWithin(u)
	if err != nil {
		return err
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	if token := r.FormValue("token"); token != "" {
		return s.importConfirmed(w, r, u.Username, within, token)
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		d, _ := importRefused(refuse("file", "Vui lòng chọn một tệp .xlsx hoặc .zip."), "")
		return s.renderImport(w, r, http.StatusBadRequest, d)
	}
	defer file.Close()
	cleanStaged()
	var tok [16]byte
	rand.Read(tok[:])
	token := hex.EncodeToString(tok[:])
	st := staged{dir: stagingDir(token), name: hdr.Filename, within: within, dry: r.FormValue("dry_run") != ""}
	if err := os.Mkdir(st.dir, 0o700); err != nil {
		return err
	}
	keep := false
	defer func() {
		if !keep {
			os.RemoveAll(st.dir)
		}
	}()
	if st.src, st.sum, st.skip, err = saveUpload(file, hdr.Filename, st.dir); err != nil {
		d, err := importRefused(err, hdr.Filename)
		if err != nil {
			return err
		}
		return s.renderImport(w, r, http.StatusBadRequest, d)
	}
	// The whole file is read once before anything is written: its encoding, its limits, and
	// names to look at when it was not plain Unicode.
	rd, err := exchange.OpenLimited(st.src, importLimits)
	if err != nil {
		return s.importFailed(w, r, err, hdr.Filename)
	}
	pv, err := exchange.Inspect(rd)
	rd.Close()
	if err != nil {
		return s.importFailed(w, r, err, hdr.Filename)
	}
	if pv.NeedsConfirmation() {
		meta := strings.Join([]string{u.Username, st.src, st.name, st.sum, strings.Join(st.skip, "\x1f")}, "\n")
		if err := os.WriteFile(filepath.Join(st.dir, "meta"), []byte(meta), 0o600); err != nil {
			return err
		}
		keep = true
		return s.renderImport(w, r, http.StatusOK, importData{File: hdr.Filename, Preview: &pv, Token: token, DryRun: st.dry, Ignored: append(st.skip, pv.Stats.Ignored...)})
	}
	keep = true // runImport removes it when the import ends
	return s.runImport(w, r, u.Username, st)
}

// importConfirmed imports an upload whose preview its uploader confirmed.
func (s *Server) importConfirmed(w http.ResponseWriter, r *http.Request, user, within, token string) error {
	gone := importData{Message: "Tệp chờ xác nhận không còn (quá một giờ, đã nhập, hoặc của người khác). Vui lòng tải lên lại."}
	if !tokenPattern.MatchString(token) {
		return s.renderImport(w, r, http.StatusBadRequest, gone)
	}
	dir := stagingDir(token)
	b, err := os.ReadFile(filepath.Join(dir, "meta"))
	parts := strings.Split(string(b), "\n")
	if err != nil || len(parts) != 5 || parts[0] != user || filepath.Dir(parts[1]) != dir && filepath.Dir(filepath.Dir(parts[1])) != dir {
		return s.renderImport(w, r, http.StatusBadRequest, gone)
	}
	// The meta file goes first, so that the token cannot start a second import of the same
	// upload while this one runs; runImport removes the folder when it ends.
	if err := os.Remove(filepath.Join(dir, "meta")); err != nil {
		return s.renderImport(w, r, http.StatusBadRequest, gone)
	}
	st := staged{dir: dir, src: parts[1], name: parts[2], sum: parts[3], within: within, dry: r.FormValue("dry_run") != ""}
	if parts[4] != "" {
		st.skip = strings.Split(parts[4], "\x1f")
	}
	return s.runImport(w, r, user, st)
}

func (s *Server) importFailed(w http.ResponseWriter, r *http.Request, err error, name string) error {
	d, err := importRefused(err, name)
	if err != nil {
		return err
	}
	return s.renderImport(w, r, http.StatusUnprocessableEntity, d)
}

// importRefused is the page of a refused upload or import, placed as every form's errors are
// (placeErrors): an error of the upload itself (none chosen, unreadable, over a limit) beside the
// file input, each row's in the table of errors under the import's message. Any error that is
// not invalid input is returned, for the caller's error page.
func importRefused(err error, name string) (importData, error) {
	var e *dangvu.Error
	if errors.As(err, &e) && e.Code == dangvu.EConflict && len(e.Conflicts) > 0 {
		return importData{File: name, Message: e.Message, Conflicts: e.Conflicts}, nil
	}
	if !errors.As(err, &e) || e.Code != dangvu.EInvalid {
		return importData{}, err
	}
	if len(e.Fields) == 0 {
		err = refuse("file", e.Message)
	}
	errs := map[string]string{}
	rows, err := placeErrors(err, errs, inputsOf("file"))
	if err != nil {
		return importData{}, err
	}
	d := importData{File: name, FileErr: errs["file"], Errors: rows}
	if d.FileErr != "" && name != "" {
		d.FileErr = name + ": " + d.FileErr
	}
	if len(rows) > 0 {
		d.Message = e.Message
	}
	return d, nil
}

// cleanStaged removes uploads whose preview was never confirmed.
func cleanStaged() {
	old, _ := filepath.Glob(filepath.Join(os.TempDir(), "dangvu-import-*"))
	for _, d := range old {
		if fi, err := os.Stat(d); err == nil && time.Since(fi.ModTime()) > stagedFor {
			os.RemoveAll(d)
		}
	}
}

// saveUpload writes an uploaded .xlsx into dir, or unpacks a .zip of CSV files into a folder of
// dir, and returns what exchange.Open takes, the upload's SHA-256 and the entries of a .zip it
// skipped. A .zip is refused before unpacking when its entries declare more than maxUnzipped in
// all (archive/zip refuses an entry longer than it declares), and a CSV row longer than the
// reader's limit stops the unpacking.
func saveUpload(file io.Reader, filename string, dir string) (string, string, []string, error) {
	ext := strings.ToLower(filepath.Ext(filename))
	if ext != ".xlsx" && ext != ".zip" {
		return "", "", nil, dangvu.Errorf(dangvu.EInvalid, "Tệp %q: cần một tệp .xlsx hoặc một tệp .zip chứa các tệp CSV.", filename)
	}
	up := filepath.Join(dir, "upload"+ext)
	out, err := os.Create(up)
	if err != nil {
		return "", "", nil, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), file)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", "", nil, err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if ext == ".xlsx" {
		return up, sum, nil, nil
	}
	zf, err := os.Open(up)
	if err != nil {
		return "", "", nil, err
	}
	defer zf.Close()
	zr, err := zip.NewReader(zf, n)
	if err != nil {
		return "", "", nil, dangvu.Errorf(dangvu.EInvalid, "Không đọc được tệp zip (tệp hỏng, bị cắt, hoặc không phải tệp zip).")
	}
	var declared uint64
	for _, f := range zr.File {
		if declared += f.UncompressedSize64; declared > maxUnzipped {
			return "", "", nil, dangvu.Errorf(dangvu.EInvalid, "Tệp zip giải nén ra quá lớn (tối đa %d GB).", maxUnzipped>>30)
		}
	}
	csvDir := filepath.Join(dir, "csv")
	if err := os.Mkdir(csvDir, 0o700); err != nil {
		return "", "", nil, err
	}
	var total int64
	var skipped []string
	seen := map[string]bool{}
	for _, f := range zr.File {
		name := strings.ReplaceAll(f.Name, `\`, "/")
		if strings.Contains(name, "..") || path.IsAbs(name) {
			return "", "", nil, dangvu.Errorf(dangvu.EInvalid, "Tệp zip có đường dẫn không được phép: %q.", f.Name)
		}
		if f.FileInfo().IsDir() {
			continue
		}
		if !strings.EqualFold(path.Ext(name), ".csv") && !strings.EqualFold(path.Base(name), exchange.ManifestFile) {
			skipped = append(skipped, name)
			continue
		}
		base := strings.ToLower(path.Base(name))
		if seen[base] {
			return "", "", nil, dangvu.Errorf(dangvu.EInvalid, "Tệp zip có hai tệp %s.", base)
		}
		seen[base] = true
		bad := dangvu.Errorf(dangvu.EInvalid, "Không đọc được %s trong tệp zip (tệp hỏng).", name)
		rc, err := f.Open()
		if err != nil {
			return "", "", nil, bad
		}
		dst, err := os.Create(filepath.Join(csvDir, base))
		if err != nil {
			rc.Close()
			return "", "", nil, err
		}
		m, err := copyLines(dst, io.LimitReader(rc, maxUnzipped-total+1), 2*int64(importLimits.Row))
		rc.Close()
		if cerr := dst.Close(); err == nil {
			err = cerr
		}
		if errors.Is(err, errLongLine) {
			return "", "", nil, dangvu.Errorf(dangvu.EInvalid, "%s trong tệp zip có dòng dài quá %d MB; không có gì được ghi.", name, 2*importLimits.Row>>20)
		}
		if err != nil {
			return "", "", nil, bad
		}
		if total += m; total > maxUnzipped {
			return "", "", nil, dangvu.Errorf(dangvu.EInvalid, "Tệp zip giải nén ra quá lớn (tối đa %d GB).", maxUnzipped>>30)
		}
	}
	if len(seen) == 0 {
		return "", "", nil, dangvu.Errorf(dangvu.EInvalid, "Tệp zip không chứa tệp .csv nào.")
	}
	return csvDir, sum, skipped, nil
}

var errLongLine = errors.New("line too long")

// copyLines copies r to w, stopping at a line longer than max bytes: a CSV cell of gigabytes is
// refused before it fills the disk (the reader checks rows exactly afterwards).
func copyLines(w io.Writer, r io.Reader, max int64) (int64, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var total, line int64
	buf := make([]byte, 64<<10)
	for {
		n, err := br.Read(buf)
		chunk := buf[:n]
		for len(chunk) > 0 {
			i := bytes.IndexByte(chunk, '\n')
			if i < 0 {
				line += int64(len(chunk))
				break
			}
			line = 0
			chunk = chunk[i+1:]
		}
		if line > max {
			return total, errLongLine
		}
		if _, werr := w.Write(buf[:n]); werr != nil {
			return total, werr
		}
		total += int64(n)
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}
