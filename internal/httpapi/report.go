package httpapi

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"dangvu"
	"dangvu/internal/reports"
	"dangvu/internal/store"
)

// reportModule: the term report's API and pages, and its menu item.
func reportModule(m *module) {
	m.routes = append(m.routes, reportRoutes)
	m.api = map[string]apiTypes{
		"GET /api/v1/reports/term":      {out: dangvu.Report{}},
		"GET /api/v1/reports/term/list": {out: dangvu.ReportList{}},
	}
	m.nav = append(m.nav, navItem{"reports", "/reports/term", "Báo cáo", string(dangvu.ActReports)})
}

// reportParams are the query parameters of every report route.
var reportParams = []string{"org", "from", "to", "as_of", "document", "preset",
	"from_admission", "from_dissemination", "from_review", "from_inspection"}

func reportRoutes() []route {
	return []route{
		{"GET /api/v1/reports/term", (*Server).termReport, "Báo cáo nhiệm kỳ: các chỉ tiêu của tổ chức trong kỳ (preset=article|term|year đặt kỳ theo mẫu; from_<nhóm> đặt ngày bắt đầu riêng cho một nhóm chỉ tiêu)", reportParams, false, dangvu.ActRead},
		{"GET /api/v1/reports/term/list", (*Server).termReportList, "Danh sách hồ sơ đứng sau một chỉ tiêu của báo cáo (key)", append([]string{"key"}, reportParams...), false, dangvu.ActReports},
		{"GET /reports/term", (*Server).reportPage, "Trang báo cáo", reportParams, false, dangvu.ActReports},
		{"GET /reports/term/list", (*Server).reportListPage, "Danh sách chi tiết của một chỉ tiêu", append([]string{"key"}, reportParams...), false, dangvu.ActReports},
		{"GET /reports/term/list/export", (*Server).reportListExport, "Tải danh sách chi tiết của một chỉ tiêu (format=xlsx)", append([]string{"key", "format"}, reportParams...), false, dangvu.ActReports},
		{"GET /reports/series", (*Server).reportSeries, "Biểu đồ theo năm: đảng viên, kết nạp, kỷ luật (hoặc các chỉ tiêu key) của tổ chức, mỗi năm một báo cáo", []string{"org", "to", "years", "key"}, false, dangvu.ActReports},
		{"GET /reports/term/export", (*Server).reportExport, "Tải báo cáo (format=xlsx|docx)", append([]string{"format"}, reportParams...), false, dangvu.ActReports},
	}
}

// reportQuery reads a report request: the organisation (the user's own by default, named or by
// id, checked against their subtree), the dates, the document and the preset.
func (s *Server) reportQuery(r *http.Request, defPreset string) (dangvu.ReportQuery, string, error) {
	v := r.URL.Query()
	q := dangvu.ReportQuery{Org: s.defaultOrg(r, v.Get("org")), Document: v.Get("document"), Secret: s.canSecret(r)}
	var err error
	if q.To, err = date(r, "to", s.viewDay(r, q.Org)); err != nil {
		return q, "", err
	}
	if q.AsOf, err = date(r, "as_of", q.To); err != nil {
		return q, "", err
	}
	preset := v.Get("preset")
	if v.Get("from") != "" {
		preset = ""
	} else if preset == "" {
		preset = defPreset
	}
	if q.From, err = date(r, "from", dangvu.Day(q.To.AddDate(-1, 0, 0))); err != nil {
		return q, "", err
	}
	for _, g := range dangvu.ReportGroups {
		t, err := date(r, "from_"+g.Code, time.Time{})
		if err != nil {
			return q, "", err
		}
		if !t.IsZero() {
			if q.GroupFrom == nil {
				q.GroupFrom = map[string]time.Time{}
			}
			q.GroupFrom[g.Code] = t
		}
	}
	if q.Org == "" {
		// The whole tree: its first root as of the date.
		roots, err := s.Store.Orgs(r.Context(), dangvu.OrgFilter{AsOf: q.AsOf, Limit: 1})
		if err != nil {
			return q, "", err
		}
		if len(roots) == 0 {
			return q, "", dangvu.Errorf(dangvu.ENotFound, "không có tổ chức đảng nào vào ngày %s", dangvu.ISO(q.AsOf))
		}
		q.Org = roots[0].ID
	}
	// The organisation may be named: resolve it as the report will, then check its scope.
	o, err := s.Store.ResolveOrg(r.Context(), q.Org, q.AsOf)
	if dangvu.ErrorCode(err) == dangvu.ENotFound && v.Get("to") == "" && v.Get("as_of") == "" {
		// An organisation that has ended (a district committee after 1/7/2025) is reported as of
		// its last day unless a date is asked for.
		if last, ok := s.lastDay(r, q.Org); ok {
			q.To, q.AsOf = last, last
			if v.Get("from") == "" {
				q.From = dangvu.Day(last.AddDate(-1, 0, 0))
			}
			o, err = s.Store.ResolveOrg(r.Context(), q.Org, q.AsOf)
		}
	}
	if err != nil {
		return q, "", err
	}
	if err := s.checkOrg(r, o.ID, q.AsOf); err != nil {
		return q, "", err
	}
	q.Org = o.ID
	return q, preset, nil
}

func (s *Server) may(r *http.Request) func(dangvu.Action) bool {
	u := s.user(r)
	return func(a dangvu.Action) bool { return u != nil && u.UserRole.Can(a) }
}

func (s *Server) termReport(w http.ResponseWriter, r *http.Request) error {
	q, preset, err := s.reportQuery(r, "")
	if err != nil {
		return err
	}
	b, err := reports.Build(r.Context(), s.Store, q, reports.Options{Preset: preset})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, b.Report)
}

// reportList computes the list behind a figure, refusing it to roles that may not see it.
func (s *Server) reportList(r *http.Request) (*reports.Bundle, *dangvu.ReportList, error) {
	q, preset, err := s.reportQuery(r, store.PresetArticle)
	if err != nil {
		return nil, nil, err
	}
	b, err := reports.Build(r.Context(), s.Store, q, reports.Options{Preset: preset})
	if err != nil {
		return nil, nil, err
	}
	l, err := s.Store.ReportList(r.Context(), b.Query, r.URL.Query().Get("key"))
	if err != nil {
		return nil, nil, err
	}
	if l.Action != "" && !s.may(r)(l.Action) {
		return nil, nil, errDenied
	}
	return b, l, nil
}

func (s *Server) termReportList(w http.ResponseWriter, r *http.Request) error {
	_, l, err := s.reportList(r)
	if err != nil {
		return err
	}
	if l.Rows == nil {
		l.Rows = [][]string{}
	}
	return writeJSON(w, http.StatusOK, l)
}

func (s *Server) reportExport(w http.ResponseWriter, r *http.Request) error {
	q, preset, err := s.reportQuery(r, store.PresetArticle)
	if err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	if format != "xlsx" && format != "docx" {
		return &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: "format", Reason: "dùng xlsx hoặc docx"}}}
	}
	b, err := reports.Build(r.Context(), s.Store, q, reports.Options{Preset: preset, Lists: format == "xlsx", May: s.may(r)})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	ctype := "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	if format == "xlsx" {
		err = b.XLSX(&buf)
	} else {
		ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
		err = b.DOCX(r.Context(), s.Store, &buf)
	}
	if err != nil {
		return err
	}
	name := fmt.Sprintf("bao-cao-%s-%s.%s", b.Org.ID, dangvu.ISO(q.To), format)
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", "attachment; filename=\""+name+"\"; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

// lastDay returns the last day an organisation (by id) was in force, ok false when it is unknown
// or still in force.
func (s *Server) lastDay(r *http.Request, id string) (time.Time, bool) {
	h, err := s.Store.OrgHistory(r.Context(), id)
	if err != nil || len(h) == 0 || h[len(h)-1].ValidTo == dangvu.Forever {
		return time.Time{}, false
	}
	return h[len(h)-1].ValidTo.AddDays(-1).Time, true
}
