package httpapi

// The dues pages beside the book and the summary (issue 17, docs/dues.md): reconciling a
// public-service portal export against what is owed, the remittances an organisation sent and
// received with the superior's receipt, and the hand-over of a balance with a reorganisation
// event recorded before dues were (the event's own form hands balances over itself).

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/vn"
)

// duesPageRoutes are the routes of these pages (part of duesRoutes).
func duesPageRoutes() []route {
	page := func(p, sum string, h func(*Server, http.ResponseWriter, *http.Request) error, params []string) route {
		return route{p, htmlPage(h), sum, params, false, dangvu.ActDues}
	}
	return []route{
		page("GET /dues/reconcile", "Đối soát tệp đảng phí nộp qua Cổng Dịch vụ công (CSV: mã đảng viên, tháng, số tiền, mã giao dịch)", (*Server).duesReconcilePage, []string{"org"}),
		page("POST /dues/reconcile", "Đối chiếu tệp với số phải đóng; liệt kê mọi dòng không khớp; ghi các dòng khớp nếu chọn", (*Server).duesReconcilePost, nil),
		page("GET /dues/remittances", "Đảng phí tổ chức đã nộp cấp trên, đã nhận của cấp dưới, số dư và bàn giao", (*Server).duesRemittancesPage, []string{"org"}),
		page("POST /dues/remittances/{id}/receive", "Cấp trên ghi nhận đã nhận khoản đảng phí cấp dưới nộp", (*Server).duesReceivePost, nil),
		page("POST /dues/handover", "Ghi bàn giao số dư đảng phí theo một quyết định sắp xếp tổ chức", (*Server).duesHandOverPost, nil),
	}
}

var portalStatusNames = map[string]string{"matched": "Khớp", "differs": "Khác số phải đóng", "recorded": "Đã ghi từ trước", "unmatched": "Không khớp"}

type duesReconcileData struct {
	CSRF    string
	Org     dangvu.Org
	Fields  []formField
	Errors  []string
	Result  *dangvu.Reconciliation
	Applied bool
}

func (s *Server) duesReconcileFields(csv, apply string, errs map[string]string) []formField {
	return []formField{
		{Name: "file", Label: "Tệp CSV tải từ Cổng Dịch vụ công", Kind: "file", Err: errs["file"]},
		{Name: "csv", Label: "Hoặc dán nội dung tệp (mỗi dòng: mã đảng viên, tháng yyyy-mm, số tiền, mã giao dịch)", Kind: "textarea", Value: csv, Err: errs["csv"]},
		{Name: "apply", Label: "Sau khi đối chiếu", Kind: "select", Value: apply, Err: errs["apply"],
			Options: [][2]string{{"", "Chỉ đối chiếu, chưa ghi"}, {"1", "Ghi các dòng khớp và khác số tiền vào sổ (hình thức: Cổng Dịch vụ công)"}}},
	}
}

func (s *Server) duesReconcilePage(w http.ResponseWriter, r *http.Request) error {
	org, err := s.duesOrg(r, r.URL.Query().Get("org"), s.today())
	if err != nil {
		return err
	}
	o, err := s.Store.ResolveOrg(r.Context(), org, s.viewDay(r, org))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "dues_reconcile.html", "Đối soát đảng phí nộp qua Cổng Dịch vụ công", "dues",
		duesReconcileData{CSRF: s.csrf(r), Org: o, Fields: s.duesReconcileFields("", "", nil)})
}

// duesReconcilePost reads the export (an uploaded file, or its text pasted) and shows every line
// with its status: each line not matching what is owed is listed with the reason, and lines that
// cannot be read are refused with their row and column, nothing written.
func (s *Server) duesReconcilePost(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseMultipartForm(8 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return dangvu.Errorf(dangvu.EInvalid, "Biểu mẫu không đọc được.")
	}
	org := strings.TrimSpace(r.FormValue("org"))
	if err := s.checkRefs(r, ref{kind: "organisations", id: org}); err != nil {
		return err
	}
	o, err := s.Store.ResolveOrg(r.Context(), org, s.viewDay(r, org))
	if err != nil {
		return err
	}
	text, apply := r.FormValue("csv"), r.FormValue("apply")
	d := duesReconcileData{CSRF: s.csrf(r), Org: o, Applied: apply == "1"}
	errs := map[string]string{}
	var in io.Reader = strings.NewReader(text)
	if f, _, err := r.FormFile("file"); err == nil {
		defer f.Close()
		in = f
	} else if strings.TrimSpace(text) == "" {
		errs["file"] = "chọn tệp CSV hoặc dán nội dung tệp"
	}
	if len(errs) == 0 {
		d.Result, err = s.Store.ReconcilePortal(r.Context(), s.actor(r), o.ID, in, d.Applied)
		other, perr := placeErrors(err, errs, inputsOf("file", "csv", "apply"))
		if perr != nil {
			return perr
		}
		for _, f := range other {
			switch {
			case f.Row > 0 && f.Field != "":
				d.Errors = append(d.Errors, fmt.Sprintf("Dòng %d, cột %s: %s", f.Row, f.Field, f.Reason))
			case f.Row > 0:
				d.Errors = append(d.Errors, fmt.Sprintf("Dòng %d: %s", f.Row, f.Reason))
			default:
				d.Errors = append(d.Errors, f.Reason)
			}
		}
	}
	d.Fields = s.duesReconcileFields(text, apply, errs)
	status := http.StatusOK
	if len(errs) > 0 || len(d.Errors) > 0 {
		status, d.Result = http.StatusBadRequest, nil
	}
	return s.render(w, r, status, "dues_reconcile.html", "Đối soát đảng phí nộp qua Cổng Dịch vụ công", "dues", d)
}

type duesRemitRow struct {
	dangvu.DuesRemittance
	FromName, ToName string
	CanReceive       bool
}

type duesRemittancesData struct {
	CSRF      string
	Org       dangvu.Org
	Day       string
	Balance   int64
	Sent      []duesRemitRow
	Received  []duesRemitRow
	HandOvers []duesRemitRow
	Fields    []formField // the hand-over form
	Errors    []string
	Receipts  map[string]string // a refused receipt's error beside its line's date, by remittance
	Today     string
}

func (s *Server) duesRemittancesData(r *http.Request, org string) (duesRemittancesData, error) {
	day := s.viewDay(r, org)
	o, err := s.Store.ResolveOrg(r.Context(), org, day)
	if err != nil {
		return duesRemittancesData{}, err
	}
	d := duesRemittancesData{CSRF: s.csrf(r), Org: o, Day: vn.FormatDate(day), Today: vn.FormatDate(s.today())}
	if d.Balance, err = s.Store.DuesBalance(r.Context(), o.ID, day); err != nil {
		return d, err
	}
	rs, err := s.Store.DuesRemittances(r.Context(), o.ID)
	if err != nil {
		return d, err
	}
	names := map[string]string{}
	name := func(id string, m dangvu.Month) string {
		if n, ok := names[id]; ok {
			return n
		}
		n := s.Store.OrgName(r.Context(), id, dangvu.DateOf(m.Last()))
		names[id] = n
		return n
	}
	// Newest first, up to two years of monthly rows each way.
	for i := len(rs) - 1; i >= 0; i-- {
		x := rs[i]
		row := duesRemitRow{DuesRemittance: x, FromName: name(x.Org, x.Month), ToName: name(x.To, x.Month)}
		switch {
		case x.Kind == dangvu.RemitHandover:
			d.HandOvers = append(d.HandOvers, row)
		case x.Org == o.ID && len(d.Sent) < 24:
			d.Sent = append(d.Sent, row)
		case x.To == o.ID && x.Org != o.ID && len(d.Received) < 400:
			row.CanReceive = x.Received.IsZero()
			d.Received = append(d.Received, row)
		}
	}
	d.Fields = []formField{
		{Name: "event", Label: "Mã quyết định sắp xếp tổ chức (sự kiện)", Hint: "ví dụ R-2025-YENTU"},
		{Name: "to", Label: "Tổ chức nhận bàn giao (mã)", Hint: "hợp nhất: tổ chức mới; giải thể: cấp trên; chia tách: theo quyết định của cấp trên"},
	}
	return d, nil
}

func (s *Server) duesRemittancesPage(w http.ResponseWriter, r *http.Request) error {
	org, err := s.duesOrg(r, r.URL.Query().Get("org"), s.today())
	if err != nil {
		return err
	}
	d, err := s.duesRemittancesData(r, org)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "dues_remittances.html", "Nộp, nhận đảng phí và số dư", "dues", d)
}

// duesReceivePost records that the reader's organisation (the receiver) got a remittance. A
// remittance whose receiver lies outside the reader's subtree answers as one that does not exist.
func (s *Server) duesReceivePost(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	x, err := s.Store.DuesRemittance(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if s.checkOrg(r, x.To, s.viewDay(r, x.To)) != nil {
		return dangvu.Errorf(dangvu.ENotFound, "không có khoản nộp đảng phí %q", r.PathValue("id"))
	}
	var day time.Time
	errs := map[string]string{}
	if v := strings.TrimSpace(r.PostForm.Get("received_on")); v != "" {
		if day, err = vn.ParseDate(v); err != nil {
			errs["received_on"] = err.Error()
		}
	}
	if len(errs) == 0 {
		err = s.Store.ReceiveRemittance(r.Context(), s.actor(r), x.ID, day)
		other, perr := placeErrors(err, errs, inputsOf("received_on"))
		if perr != nil {
			return perr
		}
		for _, f := range other {
			errs["received_on"] = strings.TrimPrefix(errs["received_on"]+"; "+f.Reason, "; ")
		}
	}
	if len(errs) > 0 {
		d, err := s.duesRemittancesData(r, x.To)
		if err != nil {
			return err
		}
		d.Errors = append(d.Errors, fmt.Sprintf("Khoản nộp tháng %s của %s: xem dòng được đánh dấu", x.Month.VN(), s.Store.OrgName(r.Context(), x.Org, dangvu.DateOf(x.Month.Last()))))
		d.Receipts = map[string]string{x.ID: errs["received_on"]}
		return s.render(w, r, http.StatusBadRequest, "dues_remittances.html", "Nộp, nhận đảng phí và số dư", "dues", d)
	}
	http.Redirect(w, r, "/dues/remittances?org="+x.To, http.StatusSeeOther)
	return nil
}

// duesHandOverPost hands an organisation's balance over under a reorganisation event recorded
// without it (an import, an event from before the dues were kept).
func (s *Server) duesHandOverPost(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	from, to, event := strings.TrimSpace(r.PostForm.Get("org")), strings.TrimSpace(r.PostForm.Get("to")), strings.TrimSpace(r.PostForm.Get("event"))
	if err := s.checkRefs(r, ref{kind: "organisations", id: from}, ref{kind: "organisations", id: to}); err != nil {
		return err
	}
	_, err := s.Store.HandOverDues(r.Context(), s.actor(r), from, to, event, time.Time{})
	errs := map[string]string{}
	other, perr := placeErrors(err, errs, inputsOf("event", "to"))
	if perr != nil {
		return perr
	}
	if len(errs) > 0 || len(other) > 0 {
		d, derr := s.duesRemittancesData(r, from)
		if derr != nil {
			return derr
		}
		for i := range d.Fields {
			d.Fields[i].Value, d.Fields[i].Err = r.PostForm.Get(d.Fields[i].Name), errs[d.Fields[i].Name]
		}
		for _, f := range other {
			d.Errors = append(d.Errors, f.Reason)
		}
		return s.render(w, r, http.StatusBadRequest, "dues_remittances.html", "Nộp, nhận đảng phí và số dư", "dues", d)
	}
	http.Redirect(w, r, "/dues/remittances?org="+from, http.StatusSeeOther)
	return nil
}

// duesAuditScopes: a scoped reader sees the audit entries of the dues records of their subtree
// only — a basis's or exemption's member, the organisation that took payments, the sender or
// receiver of a remittance (each organisation read on its own last day when it has ended).
func duesAuditScopes(m *module) {
	actionNames["receive"], actionNames["handover"], actionNames["reconcile"] = "Ghi nhận đã nhận", "Bàn giao số dư", "Đối soát Cổng Dịch vụ công"
	visible := func(s *Server, r *http.Request, entity, id string) bool {
		member, orgs, err := s.Store.DuesAuditSubject(r.Context(), entity, id)
		if err != nil {
			return false
		}
		if member != "" {
			return s.checkMember(r, member, s.today()) == nil
		}
		for _, o := range orgs {
			if o != "" && s.checkOrg(r, o, s.viewDay(r, o)) == nil {
				return true
			}
		}
		return false
	}
	for _, e := range []string{"dues_basis", "dues_exemption", "dues_payments", "dues_remittance"} {
		m.auditScopes[e] = func(s *Server, r *http.Request, id string) bool { return visible(s, r, e, id) }
	}
	// …/remittances/{id}: a remittance is its sender's and its receiver's; outside both it does
	// not exist for the reader.
	m.objectScopes["remittances"] = func(s *Server, r *http.Request, id string, _ time.Time) error {
		if visible(s, r, "dues_remittance", id) {
			return nil
		}
		return dangvu.Errorf(dangvu.ENotFound, "không có khoản nộp đảng phí %q", id)
	}
}
