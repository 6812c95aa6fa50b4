package httpapi

import (
	"net/http"

	"dangvu"
)

// writeError is the one place that maps error codes to HTTP statuses and a JSON body.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status := map[string]int{
		dangvu.EInvalid:      http.StatusBadRequest,
		dangvu.ENotFound:     http.StatusNotFound,
		dangvu.EConflict:     http.StatusConflict,
		dangvu.EForbidden:    http.StatusForbidden,
		dangvu.EUnauthorized: http.StatusUnauthorized,
		dangvu.ERateLimited:  http.StatusTooManyRequests,
		dangvu.EUnavailable:  http.StatusServiceUnavailable,
	}[dangvu.ErrorCode(err)]
	if status == 0 {
		status = http.StatusInternalServerError
		if s.Logger != nil {
			s.Logger.Error("internal error", "path", r.URL.Path, "err", err)
		}
	}
	body := map[string]any{"error": dangvu.ErrorCode(err), "message": dangvu.ErrorMessage(err)}
	if e, ok := err.(*dangvu.Error); ok && len(e.Fields) > 0 {
		body["message"] = e.Message
		body["fields"] = e.Fields
	}
	writeJSON(w, status, body)
}
