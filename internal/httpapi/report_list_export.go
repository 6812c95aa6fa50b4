package httpapi

import (
	"net/http"
	"net/url"

	"dangvu"
	"dangvu/internal/reportout"
)

// reportListExport sends the list behind a figure as XLSX: the same list, through the same
// scope, role and secrecy checks as its page (reportList), with the organisation and the period
// on the sheet and in the printed header.
func (s *Server) reportListExport(w http.ResponseWriter, r *http.Request) error {
	if f := r.URL.Query().Get("format"); f != "xlsx" {
		return &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: "format", Reason: "dùng xlsx"}}}
	}
	b, l, err := s.reportList(r)
	if err != nil {
		return err
	}
	return writeXLSXHeader(w, "danh-sach-"+l.Key+"-"+b.Org.ID+"-"+dangvu.ISO(b.Query.To)+".xlsx", l,
		b.Org.Name+" — "+reportout.PeriodText(b.Report, l.Key))
}

// listExportLink is the address of a list page's XLSX: the page's own query with format=xlsx.
func listExportLink(q url.Values) string {
	v := url.Values{}
	for k, x := range q {
		v[k] = x
	}
	v.Set("format", "xlsx")
	return "/reports/term/list/export?" + v.Encode()
}

// writeXLSXHeader sends a list as an XLSX download with a header line.
func writeXLSXHeader(w http.ResponseWriter, name string, l *dangvu.ReportList, header string) error {
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Cache-Control", "no-store")
	return reportout.ListXLSXHeader(w, l, header)
}
