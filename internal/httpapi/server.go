// Package httpapi serves dangvu over HTTP: the JSON API under /api/v1 and, later, the pages.
// Handlers are thin: decode, call the store, encode; errors are mapped in one place (error.go).
package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"dangvu"
	"dangvu/internal/store"
	"dangvu/internal/vn"
)

// Server holds what the handlers need.
type Server struct {
	Store  *store.Store
	Logger *slog.Logger
	// BehindHTTPS marks cookies Secure although the server itself speaks plain HTTP (a TLS proxy
	// is in front of it), and takes the client's address from the proxy's X-Forwarded-For
	// (clientIP).
	BehindHTTPS bool
	// MaxExports bounds the exports built at once (0: the package's MaxExports); one more is
	// refused with 503 rather than queued, as each may take seconds and a temporary file.
	MaxExports int

	exportOnce sync.Once
	exports    chan struct{}
	// ImportWait is how long an upload's answer waits for its import before showing the
	// progress page (0: importWait; negative: not at all). Tests set it.
	ImportWait time.Duration
	importOnce sync.Once
	imports    *importJobs

	routes []route // what Handler serves, read by the OpenAPI document
}

// route is one entry of the route table; the table builds the mux, documents the API and drives
// the access matrix test, so a new route cannot escape any of them.
type route struct {
	pattern string // "GET /api/v1/members"
	handler func(*Server, http.ResponseWriter, *http.Request) error
	summary string
	params  []string // query parameters, for the OpenAPI document
	public  bool     // reachable without logging in
	action  dangvu.Action
}

// routeTable lists every route (a function, since openAPI reads it too).
func routeTable() []route {
	return []route{
		{"GET /healthz", (*Server).health, "Tình trạng máy chủ", nil, true, ""},
		{"GET /api/v1/openapi.json", (*Server).openAPI, "Mô tả API (OpenAPI 3)", nil, true, ""},
		{"GET /api/v1/organisations", (*Server).orgList, "Danh sách tổ chức đảng theo ngày, kèm số đảng viên", []string{"as_of", "under", "parent", "q", "level", "depth", "limit"}, false, dangvu.ActRead},
		{"GET /api/v1/organisations/{id}", (*Server).orgOne, "Một tổ chức đảng theo ngày, kèm các tổ chức trực thuộc", []string{"as_of"}, false, dangvu.ActRead},
		{"GET /api/v1/organisations/{id}/history", (*Server).orgHistory, "Các phiên bản của một tổ chức đảng", nil, false, dangvu.ActRead},
		{"GET /api/v1/members", (*Server).memberList, "Danh sách đảng viên: tìm theo tên (không dấu), lọc, phân trang", []string{"as_of", "org", "q", "status", "gender", "ethnicity", "age", "party_age", "offset", "limit"}, false, dangvu.ActRead},
		{"GET /api/v1/members/{id}", (*Server).memberOne, "Một đảng viên kèm lịch sử; số định danh, điện thoại, nơi ở bị che trừ khi reveal=1 (được ghi nhật ký)", []string{"as_of", "reveal"}, false, dangvu.ActRead},
		{"GET /api/v1/attention", (*Server).attention, "Việc cần chú ý: hạn sắp đến và quá hạn trong phạm vi tổ chức (format=xlsx để tải về)", []string{"org", "as_of", "format"}, false, dangvu.ActRead},
	}
}

// Handler returns the HTTP handler with every route.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.routes = allRoutes()
	for _, rt := range s.routes {
		mux.HandleFunc(rt.pattern, s.guard(rt))
	}
	// Every other address: a Vietnamese 404 (a page in the layout, or JSON under /api/), instead
	// of the mux's English text. Public, so that it shows whether or not one is logged in.
	mux.HandleFunc("/", s.guard(route{pattern: "/", handler: (*Server).notFound, public: true}))
	return s.logRequests(securityHeaders(mux))
}

func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Referrer-Policy", "same-origin")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
		h.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (s *Server) logRequests(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: 200}
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			// A request that only reads looks each organisation up once (store.WithOrgMemo).
			r = r.WithContext(store.WithOrgMemo(r.Context()))
		}
		h.ServeHTTP(sw, r)
		if s.Logger != nil {
			s.Logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "ms", time.Since(start).Milliseconds())
		}
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// date reads a date parameter (ISO or dd/mm/yyyy); def when absent.
func date(r *http.Request, name string, def time.Time) (time.Time, error) {
	v := strings.TrimSpace(r.URL.Query().Get(name))
	if v == "" {
		return def, nil
	}
	t, err := vn.ParseDate(v)
	if err != nil {
		return t, &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: name, Reason: err.Error()}}}
	}
	return t, nil
}

func intParam(r *http.Request, name string, def int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: name, Reason: "cần một số nguyên không âm"}}}
	}
	return n, nil
}

func (s *Server) today() time.Time { return s.Store.Clock.Today() }

func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, healthBody{Status: "ok", Engine: s.Store.Engine()})
}
