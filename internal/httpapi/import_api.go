package httpapi

import (
	"net/http"
	"os"
	"strings"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/store"
)

// importAPI is POST /api/v1/import: the body is a data set — a .zip of CSV files, or a workbook
// when name ends in .xlsx — imported at once, in one transaction, as the import page does: an
// administrator of the whole tree anywhere, the staff of an organisation within its subtree
// (a row outside is refused with its file, row and field, and nothing is written, issue 21).
// dry_run=1 checks and loads everything, writes nothing and answers what would change.
func (s *Server) importAPI(w http.ResponseWriter, r *http.Request) error {
	u := s.user(r)
	within, err := importWithin(u)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	name := q.Get("name")
	if name == "" {
		name = "upload.zip"
	}
	dry := false
	switch q.Get("dry_run") {
	case "", "0":
	case "1":
		dry = true
	default:
		return &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: "dry_run", Reason: "dùng 1 (chạy thử, không ghi gì) hoặc bỏ trống"}}}
	}
	if r.ContentLength > MaxImportSize {
		return errTooLarge
	}
	dir, err := os.MkdirTemp("", "dangvu-import-api-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	src, sum, skip, err := saveUpload(http.MaxBytesReader(w, r.Body, MaxImportSize), name, dir)
	if err != nil {
		if strings.Contains(err.Error(), "request body too large") {
			return errTooLarge
		}
		return err
	}
	rd, err := exchange.OpenLimited(src, importLimits)
	if err != nil {
		return err
	}
	defer rd.Close()
	res, err := s.Store.Import(r.Context(), rd, store.ImportOptions{Actor: u.Username, Source: name, Checksum: sum,
		Within: within, DryRun: dry, Changes: within != ""})
	if err != nil {
		return err
	}
	res.Ignored = append(skip, res.Ignored...)
	return writeJSON(w, http.StatusOK, res)
}
