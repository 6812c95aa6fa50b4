package httpapi

// Party dues (issue 17, docs/dues.md): the API under /api/v1/dues and the pages under /dues —
// the cell's monthly book (printable on A4 landscape), taking a whole cell's payments on one
// screen by exception, the ward's monthly and yearly summary by cell, a member's own history.

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/reportout"
	"dangvu/internal/vn"
)

func duesModule(m *module) {
	m.routes = append(m.routes, duesRoutes, duesPageRoutes)
	m.api = duesAPI
	duesAuditScopes(m)
	m.nav = append(m.nav, navItem{"dues", "/dues", "Đảng phí", string(dangvu.ActDues)},
		navItem{"dues-mine", "/dues/mine", "Đảng phí của tôi", string(dangvu.ActSelfService)})
	entityNames["dues_basis"], entityNames["dues_exemption"], entityNames["dues_payments"], entityNames["dues_remittance"] =
		"Căn cứ đóng đảng phí", "Miễn, giảm đảng phí", "Thu đảng phí", "Nộp đảng phí cấp trên"
	m.funcs["vnd"] = func(n int64) string { return vn.FormatInt(n) }
	m.funcs["duesGroup"] = func(g dangvu.DuesGroup) string { return dangvu.CodeName(dangvu.DuesGroups, g) }
	m.funcs["duesGroups"] = func() []dangvu.Code[dangvu.DuesGroup] { return dangvu.DuesGroups }
	// duesChannels are the ways the collection form records a payment.
	m.funcs["duesChannels"] = func() [][2]string {
		return [][2]string{{dangvu.DuesCash, "Tiền mặt tại chi bộ"}, {dangvu.DuesPortal, "Cổng Dịch vụ công"}}
	}
	m.funcs["reliefKind"] = func(k dangvu.DuesReliefKind) string { return dangvu.CodeName(dangvu.DuesReliefKinds, k) }
	m.funcs["portalStatus"] = func(s string) string { return nameOr(portalStatusNames, s) }
	m.funcs["monthVN"] = func(s string) string {
		if mo, err := dangvu.ParseMonth(s); err == nil {
			return mo.VN()
		}
		return s
	}
}

type (
	duesBasisInput struct {
		MemberID string `json:"member_id" api:"required"`
		From     string `json:"from" api:"required"`
		Group    string `json:"group"`
		Amount   int64  `json:"amount"`
		Note     string `json:"note"`
	}
	duesExemptionInput struct {
		MemberID  string `json:"member_id" api:"required"`
		Kind      string `json:"kind"`
		Pct       int    `json:"pct"`
		From      string `json:"from" api:"required"`
		To        string `json:"to"`
		Decision  string `json:"decision"`
		DecidedBy string `json:"decided_by"`
		Note      string `json:"note"`
	}
	duesPaymentLine struct {
		MemberID  string `json:"member_id"`
		Month     string `json:"month"`
		Amount    int64  `json:"amount"`
		Voluntary int64  `json:"voluntary"`
		PaidOn    string `json:"paid_on"`
		Channel   string `json:"channel"`
		Reference string `json:"reference"`
		Note      string `json:"note"`
	}
	duesPaymentsInput struct {
		OrgID string            `json:"org_id" api:"required"`
		Lines []duesPaymentLine `json:"lines" api:"required"`
	}
	duesRemittanceInput struct {
		OrgID string `json:"org_id" api:"required"`
		Month string `json:"month" api:"required"`
		Sent  string `json:"sent_on"`
		Note  string `json:"note"`
	}
	duesMemberBody struct {
		MemberID   string                 `json:"member_id"`
		Bases      []dangvu.DuesBasis     `json:"bases"`
		Exemptions []dangvu.DuesExemption `json:"exemptions"`
		Payments   []duesPaymentOut       `json:"payments"`
	}
	duesPaymentOut struct {
		dangvu.DuesPayment
		Month string `json:"month"`
	}
	duesRemittanceOut struct {
		dangvu.DuesRemittance
		Month string `json:"month"`
	}
	duesListBody struct {
		Org string `json:"org"`
		apiPage
		Members []duesMemberBody `json:"members"`
	}
	duesPaymentsBody struct {
		Org      string           `json:"org"`
		Month    string           `json:"month"`
		Payments []duesPaymentOut `json:"payments"`
	}
	// duesPaymentListBody is a month's payments as a list (duesPaymentsBody is what a sheet
	// recorded).
	duesPaymentListBody struct {
		Org   string `json:"org"`
		Month string `json:"month"`
		apiPage
		Payments []duesPaymentOut `json:"payments"`
	}
	// duesReconcileInput is a portal export to reconcile: the CSV's text (member, month, amount,
	// reference; a header line is skipped); with apply the matching lines are recorded.
	duesReconcileInput struct {
		OrgID string `json:"org_id"`
		CSV   string `json:"csv" api:"required"`
		Apply bool   `json:"apply,omitempty"`
	}
	duesRemittancesBody struct {
		Org string `json:"org"`
		apiPage
		Remittances []duesRemittanceOut `json:"remittances"`
	}
)

// duesAPI names the types the dues routes decode and encode.
var duesAPI = map[string]apiTypes{
	"GET /api/v1/dues/bases":        {out: duesListBody{}},
	"POST /api/v1/dues/bases":       {in: duesBasisInput{}, out: dangvu.DuesBasis{}, status: http.StatusCreated},
	"GET /api/v1/dues/exemptions":   {out: duesListBody{}},
	"POST /api/v1/dues/exemptions":  {in: duesExemptionInput{}, out: dangvu.DuesExemption{}, status: http.StatusCreated},
	"GET /api/v1/dues/payments":     {out: duesPaymentListBody{}},
	"POST /api/v1/dues/payments":    {in: duesPaymentsInput{}, out: duesPaymentsBody{}, status: http.StatusCreated},
	"GET /api/v1/dues/remittances":  {out: duesRemittancesBody{}},
	"POST /api/v1/dues/remittances": {in: duesRemittanceInput{}, out: duesRemittanceOut{}, status: http.StatusCreated},
	"GET /api/v1/dues/book":         {out: dangvu.DuesBook{}, file: xlsxType},
	"GET /api/v1/dues/summary":      {out: dangvu.DuesSummary{}},
	"POST /api/v1/dues/reconcile":   {in: duesReconcileInput{}, out: dangvu.Reconciliation{}},
}

func duesRoutes() []route {
	api := func(p, sum string, h func(*Server, http.ResponseWriter, *http.Request) error, params []string, a dangvu.Action) route {
		return route{p, h, sum, params, false, a}
	}
	page := func(p, sum string, h func(*Server, http.ResponseWriter, *http.Request) error, params []string, a dangvu.Action) route {
		return route{p, htmlPage(h), sum, params, false, a}
	}
	return []route{
		api("GET /api/v1/dues/bases", "Căn cứ đóng đảng phí của các đảng viên thuộc tổ chức (nhóm, số tiền làm căn cứ, từ ngày)", (*Server).apiDuesBases, []string{"org", "month"}, dangvu.ActDues),
		api("POST /api/v1/dues/bases", "Ghi căn cứ đóng đảng phí của một đảng viên từ một ngày (JSON: member_id, from, group, amount)", (*Server).apiDuesBasisCreate, nil, dangvu.ActDues),
		api("GET /api/v1/dues/exemptions", "Miễn, giảm đảng phí của các đảng viên thuộc tổ chức", (*Server).apiDuesExemptions, []string{"org", "month"}, dangvu.ActDues),
		api("POST /api/v1/dues/exemptions", "Ghi quyết định miễn, giảm đảng phí (JSON: member_id, kind, pct, from, to, decision, decided_by); từ chối nếu trái quy định", (*Server).apiDuesExemptionCreate, nil, dangvu.ActDues),
		api("GET /api/v1/dues/payments", "Đảng phí đã thu trong tháng tại các chi bộ thuộc tổ chức", (*Server).apiDuesPayments, []string{"org", "month"}, dangvu.ActDues),
		api("POST /api/v1/dues/payments", "Ghi đảng phí chi bộ đã thu (JSON: org_id, lines: member_id, month, amount, voluntary, paid_on, channel, reference); cả bảng hoặc không gì", (*Server).apiDuesPaymentsCreate, nil, dangvu.ActDues),
		api("GET /api/v1/dues/remittances", "Đảng phí đã nộp cấp trên và số dư bàn giao của tổ chức", (*Server).apiDuesRemittances, []string{"org"}, dangvu.ActDues),
		api("POST /api/v1/dues/remittances", "Ghi việc nộp đảng phí tháng lên cấp trên (JSON: org_id, month, sent_on); phần để lại theo bảng tỉ lệ đang áp dụng", (*Server).apiDuesRemit, nil, dangvu.ActDues),
		api("GET /api/v1/dues/book", "Sổ thu, nộp đảng phí của chi bộ trong tháng (format=xlsx để tải về)", (*Server).apiDuesBook, []string{"org", "month", "format"}, dangvu.ActDues),
		api("GET /api/v1/dues/summary", "Tổng hợp đảng phí theo chi bộ từ tháng đến tháng", (*Server).apiDuesSummary, []string{"org", "from", "to"}, dangvu.ActDues),
		api("POST /api/v1/dues/reconcile", "Đối soát tệp đảng phí nộp qua Cổng Dịch vụ công với số phải đóng (JSON: org_id, csv: nội dung tệp mã đảng viên, tháng, số tiền, mã giao dịch; apply: ghi các dòng khớp); liệt kê mọi dòng không khớp", (*Server).apiDuesReconcile, nil, dangvu.ActDues),

		page("GET /dues", "Đảng phí: sổ của chi bộ hoặc tổng hợp theo chi bộ của đảng bộ", (*Server).duesPage, []string{"org", "month", "year"}, dangvu.ActDues),
		page("GET /dues/collect", "Thu đảng phí của cả chi bộ trong tháng (mặc định đủ, ghi ngoại lệ)", (*Server).duesCollectPage, []string{"org", "month"}, dangvu.ActDues),
		page("POST /dues/collect", "Ghi đảng phí đã thu của chi bộ", (*Server).duesCollectPost, nil, dangvu.ActDues),
		page("GET /dues/members/{id}", "Đảng phí của một đảng viên: căn cứ, miễn giảm, các tháng đã đóng", (*Server).duesMemberPage, nil, dangvu.ActDues),
		page("GET /dues/mine", "Đảng phí của tôi", (*Server).duesMinePage, nil, dangvu.ActSelfService),
	}
}

// duesOrg is the organisation a dues request is about: org (default the user's own), checked
// against the user's subtree.
func (s *Server) duesOrg(r *http.Request, org string, on time.Time) (string, error) {
	org = s.defaultOrg(r, org)
	if org == "" {
		err := &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: "org", Reason: "bắt buộc"}}}
		if strings.HasPrefix(r.URL.Path, "/api/") {
			return "", err
		}
		// An account of the whole tree has no organisation of its own: the page offers the
		// top of the tree to start from (a book of the whole country is no page).
		return "", s.topOrgChoices(r, on, err)
	}
	if on.Equal(s.today()) {
		// No day named: an ended organisation's account reads its last day (viewDay).
		on = s.viewDay(r, org)
	}
	if o, err := s.Store.ResolveOrg(r.Context(), org, on); err == nil {
		org = o.ID
	}
	if err := s.checkOrg(r, org, on); err != nil {
		return "", err
	}
	return org, nil
}

func monthParam(r *http.Request, name string, def dangvu.Month) (dangvu.Month, error) {
	v := strings.TrimSpace(r.URL.Query().Get(name))
	if v == "" {
		return def, nil
	}
	m, err := dangvu.ParseMonth(v)
	if err != nil {
		return m, &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: name, Reason: err.Error()}}}
	}
	return m, nil
}

func paymentOut(ps []dangvu.DuesPayment) []duesPaymentOut {
	out := make([]duesPaymentOut, len(ps))
	for i, p := range ps {
		out[i] = duesPaymentOut{p, p.Month.String()}
	}
	return out
}

// duesMembers lists the members of org's book for month with their records.
func (s *Server) duesMembers(r *http.Request, org string, m dangvu.Month, bases, exemptions bool) (duesListBody, error) {
	all, err := s.Store.DuesSummaryMembers(r.Context(), org, m)
	if err != nil {
		return duesListBody{}, err
	}
	// The page is cut before each member's records are read.
	b, page, err := pageOf(r, all, 1000)
	if err != nil {
		return duesListBody{}, err
	}
	out := duesListBody{Org: org, apiPage: page, Members: []duesMemberBody{}}
	for _, id := range b {
		mb := duesMemberBody{MemberID: id, Bases: []dangvu.DuesBasis{}, Exemptions: []dangvu.DuesExemption{}, Payments: []duesPaymentOut{}}
		if bases {
			if mb.Bases, err = s.Store.DuesBases(r.Context(), id); err != nil {
				return out, err
			}
		}
		if exemptions {
			if mb.Exemptions, err = s.Store.DuesExemptions(r.Context(), id); err != nil {
				return out, err
			}
		}
		if mb.Bases == nil {
			mb.Bases = []dangvu.DuesBasis{}
		}
		if mb.Exemptions == nil {
			mb.Exemptions = []dangvu.DuesExemption{}
		}
		out.Members = append(out.Members, mb)
	}
	return out, nil
}

func (s *Server) apiDuesBases(w http.ResponseWriter, r *http.Request) error {
	return s.apiDuesList(w, r, true, false)
}

func (s *Server) apiDuesExemptions(w http.ResponseWriter, r *http.Request) error {
	return s.apiDuesList(w, r, false, true)
}

func (s *Server) apiDuesList(w http.ResponseWriter, r *http.Request, bases, exemptions bool) error {
	m, err := monthParam(r, "month", dangvu.MonthOf(s.today()))
	if err != nil {
		return err
	}
	org, err := s.duesOrg(r, r.URL.Query().Get("org"), s.today())
	if err != nil {
		return err
	}
	out, err := s.duesMembers(r, org, m, bases, exemptions)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiDuesBasisCreate(w http.ResponseWriter, r *http.Request) error {
	var in duesBasisInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.checkRefs(r, ref{kind: "members", id: in.MemberID}); err != nil {
		return err
	}
	from, err := vn.ParseDate(in.From)
	if err != nil {
		return &dangvu.Error{Code: dangvu.EInvalid, Message: "Căn cứ đóng đảng phí không hợp lệ; chưa ghi gì.", Fields: []dangvu.FieldError{{Field: "from", Reason: err.Error()}}}
	}
	b, err := s.Store.AddDuesBasis(r.Context(), s.actor(r), dangvu.DuesBasis{Member: in.MemberID, From: dangvu.DateOf(from), Group: dangvu.DuesGroup(in.Group), Amount: in.Amount, Note: in.Note})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, b)
}

func (s *Server) apiDuesExemptionCreate(w http.ResponseWriter, r *http.Request) error {
	var in duesExemptionInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.checkRefs(r, ref{kind: "members", id: in.MemberID}, ref{kind: "organisations", id: in.DecidedBy}); err != nil {
		return err
	}
	e := dangvu.DuesExemption{Member: in.MemberID, Kind: dangvu.DuesReliefKind(in.Kind), Pct: in.Pct, Decision: in.Decision, DecidedBy: in.DecidedBy, Note: in.Note}
	var fe []dangvu.FieldError
	var err error
	if e.From, err = parseDate(in.From); err != nil {
		fe = append(fe, dangvu.FieldError{Field: "from", Reason: err.Error()})
	}
	if in.To != "" {
		if e.To, err = parseDate(in.To); err != nil {
			fe = append(fe, dangvu.FieldError{Field: "to", Reason: err.Error()})
		}
	}
	if len(fe) > 0 {
		return &dangvu.Error{Code: dangvu.EInvalid, Message: "Quyết định miễn, giảm đảng phí không hợp lệ; chưa ghi gì.", Fields: fe}
	}
	out, err := s.Store.AddDuesExemption(r.Context(), s.actor(r), e)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, out)
}

func (s *Server) apiDuesPayments(w http.ResponseWriter, r *http.Request) error {
	m, err := monthParam(r, "month", dangvu.MonthOf(s.today()))
	if err != nil {
		return err
	}
	org, err := s.duesOrg(r, r.URL.Query().Get("org"), s.today())
	if err != nil {
		return err
	}
	ps, err := s.Store.DuesPaymentsUnder(r.Context(), org, m)
	if err != nil {
		return err
	}
	ps, page, err := pageOf(r, ps, 1000)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, duesPaymentListBody{Org: org, Month: m.String(), apiPage: page, Payments: paymentOut(ps)})
}

// parseDate is vn.ParseDate (a date required, "" refused with its reason) as a dangvu.Date.
func parseDate(v string) (dangvu.Date, error) {
	t, err := vn.ParseDate(v)
	return dangvu.DateOf(t), err
}

// duesLines turns the lines of a request into payments, each refusal naming its row and field.
func duesLines(lines []duesPaymentLine) ([]dangvu.DuesPayment, []dangvu.FieldError) {
	var out []dangvu.DuesPayment
	var fe []dangvu.FieldError
	for i, l := range lines {
		p := dangvu.DuesPayment{Member: l.MemberID, Amount: l.Amount, Voluntary: l.Voluntary, Channel: l.Channel, Reference: l.Reference, Note: l.Note}
		m, err := dangvu.ParseMonth(l.Month)
		if err != nil {
			fe = append(fe, dangvu.FieldError{Row: i + 1, Field: "month", Reason: err.Error()})
		}
		p.Month = m
		if l.PaidOn != "" {
			if p.Paid, err = parseDate(l.PaidOn); err != nil {
				fe = append(fe, dangvu.FieldError{Row: i + 1, Field: "paid_on", Reason: err.Error()})
			}
		}
		out = append(out, p)
	}
	return out, fe
}

func (s *Server) apiDuesPaymentsCreate(w http.ResponseWriter, r *http.Request) error {
	var in duesPaymentsInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	refs := []ref{{kind: "organisations", id: in.OrgID}}
	for _, l := range in.Lines {
		refs = append(refs, ref{kind: "members", id: l.MemberID})
	}
	if err := s.checkRefs(r, refs...); err != nil {
		return err
	}
	if in.OrgID == "" {
		return &dangvu.Error{Code: dangvu.EInvalid, Message: "Bảng thu đảng phí có lỗi; chưa ghi gì.", Fields: []dangvu.FieldError{{Field: "org_id", Reason: "bắt buộc"}}}
	}
	ps, fe := duesLines(in.Lines)
	if len(fe) > 0 {
		return &dangvu.Error{Code: dangvu.EInvalid, Message: "Bảng thu đảng phí có lỗi; chưa ghi gì.", Fields: fe}
	}
	out, err := s.Store.RecordDuesPayments(r.Context(), s.actor(r), in.OrgID, ps)
	if err != nil {
		return err
	}
	month := ""
	if len(out) > 0 {
		month = out[0].Month.String()
	}
	return writeJSON(w, http.StatusCreated, duesPaymentsBody{Org: in.OrgID, Month: month, Payments: paymentOut(out)})
}

func (s *Server) apiDuesRemittances(w http.ResponseWriter, r *http.Request) error {
	org, err := s.duesOrg(r, r.URL.Query().Get("org"), s.today())
	if err != nil {
		return err
	}
	rs, err := s.Store.DuesRemittances(r.Context(), org)
	if err != nil {
		return err
	}
	rs, page, err := pageOf(r, rs, 1000)
	if err != nil {
		return err
	}
	out := duesRemittancesBody{Org: org, apiPage: page, Remittances: []duesRemittanceOut{}}
	for _, x := range rs {
		out.Remittances = append(out.Remittances, duesRemittanceOut{x, x.Month.String()})
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiDuesRemit(w http.ResponseWriter, r *http.Request) error {
	var in duesRemittanceInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.checkRefs(r, ref{kind: "organisations", id: in.OrgID}); err != nil {
		return err
	}
	var fe []dangvu.FieldError
	m, err := dangvu.ParseMonth(in.Month)
	if err != nil {
		fe = append(fe, dangvu.FieldError{Field: "month", Reason: err.Error()})
	}
	var sent time.Time
	if in.Sent != "" {
		if sent, err = vn.ParseDate(in.Sent); err != nil {
			fe = append(fe, dangvu.FieldError{Field: "sent_on", Reason: err.Error()})
		}
	}
	if in.OrgID == "" {
		fe = append(fe, dangvu.FieldError{Field: "org_id", Reason: "bắt buộc"})
	}
	if len(fe) > 0 {
		return &dangvu.Error{Code: dangvu.EInvalid, Message: "Không ghi được việc nộp đảng phí lên cấp trên; chưa ghi gì.", Fields: fe}
	}
	x, err := s.Store.RecordRemittance(r.Context(), s.actor(r), in.OrgID, m, sent, in.Note)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, duesRemittanceOut{x, x.Month.String()})
}

func (s *Server) duesBookParams(r *http.Request) (*dangvu.DuesBook, error) {
	m, err := monthParam(r, "month", dangvu.MonthOf(s.today()))
	if err != nil {
		return nil, err
	}
	org, err := s.duesOrg(r, r.URL.Query().Get("org"), s.today())
	if err != nil {
		return nil, err
	}
	return s.Store.DuesBook(r.Context(), org, m)
}

func (s *Server) apiDuesBook(w http.ResponseWriter, r *http.Request) error {
	b, err := s.duesBookParams(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "xlsx" {
		w.Header().Set("Content-Type", xlsxType)
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="so-dang-phi-%s-%s.xlsx"`, b.Org.ID, b.Month))
		return reportout.ListXLSXHeader(w, duesBookList(b), fmt.Sprintf("Sổ thu, nộp đảng phí tháng %s: %s", b.Month, b.Org.Name))
	}
	return writeJSON(w, http.StatusOK, b)
}

// duesBookList is the book as a list (its XLSX).
func duesBookList(b *dangvu.DuesBook) *dangvu.ReportList {
	l := &dangvu.ReportList{Title: "Sổ thu, nộp đảng phí", Columns: []string{"Mã đảng viên", "Họ và tên", "Nhóm", "Căn cứ (đ)", "Miễn, giảm (%)", "Phải đóng (đ)", "Đã đóng (đ)", "Tự nguyện (đ)", "Ngày nộp", "Hình thức", "Số biên lai, mã giao dịch", "Ghi chú"}, Rows: [][]string{}}
	for _, x := range b.Lines {
		paid := ""
		if !x.PaidOn.IsZero() {
			paid = vn.FormatDate(x.PaidOn.Time)
		}
		l.Rows = append(l.Rows, []string{x.MemberID, x.Name, x.GroupName, vn.FormatInt(x.BasisAmount), strconv.Itoa(x.Pct), vn.FormatInt(x.Owed), vn.FormatInt(x.Paid), vn.FormatInt(x.Voluntary), paid, duesChannel(x.Channel), x.Reference, x.Problem})
	}
	l.Rows = append(l.Rows, []string{"", "Cộng", "", "", "", vn.FormatInt(b.Owed), vn.FormatInt(b.Paid), vn.FormatInt(b.Voluntary), "", "", "", fmt.Sprintf("Để lại %d%%: %s đ; nộp cấp trên: %s đ", b.KeepPct, vn.FormatInt(b.Kept), vn.FormatInt(b.Remitted))})
	return l
}

func duesChannel(c string) string {
	switch c {
	case dangvu.DuesCash:
		return "Tiền mặt"
	case dangvu.DuesPortal:
		return "Cổng Dịch vụ công"
	}
	return c
}

func (s *Server) apiDuesSummary(w http.ResponseWriter, r *http.Request) error {
	now := dangvu.MonthOf(s.today())
	to, err := monthParam(r, "to", now)
	if err != nil {
		return err
	}
	from, err := monthParam(r, "from", dangvu.Month{Year: to.Year, Mon: time.January})
	if err != nil {
		return err
	}
	org, err := s.duesOrg(r, r.URL.Query().Get("org"), s.today())
	if err != nil {
		return err
	}
	sum, err := s.Store.DuesSummary(r.Context(), org, from, to)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, sum)
}

// ---- pages ----

type duesPageData struct {
	Book    *dangvu.DuesBook
	Summary *dangvu.DuesSummary
	Month   string // yyyy-mm
	Year    int
	Prev    string
	Next    string
	Org     string
}

func (s *Server) duesPage(w http.ResponseWriter, r *http.Request) error {
	day := s.viewDay(r, r.URL.Query().Get("org"))
	m, err := monthParam(r, "month", dangvu.MonthOf(day))
	if err != nil {
		return err
	}
	org, err := s.duesOrg(r, r.URL.Query().Get("org"), s.today())
	if err != nil {
		return err
	}
	o, err := s.Store.ResolveOrg(r.Context(), org, day)
	if err != nil {
		return err
	}
	d := duesPageData{Month: m.String(), Prev: m.Add(-1).String(), Next: m.Next().String(), Org: org}
	if o.Level.IsCell() {
		if d.Book, err = s.Store.DuesBook(r.Context(), org, m); err != nil {
			return err
		}
		return s.render(w, r, http.StatusOK, "dues_book.html", "Sổ thu, nộp đảng phí", "dues", d)
	}
	from, to := m, m
	if y := r.URL.Query().Get("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 1930 || n > 2100 {
			return &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: "year", Reason: "cần một năm"}}}
		}
		d.Year = n
		from, to = dangvu.Month{Year: n, Mon: time.January}, dangvu.Month{Year: n, Mon: time.December}
	}
	if d.Summary, err = s.Store.DuesSummary(r.Context(), org, from, to); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "dues_summary.html", "Tổng hợp đảng phí", "dues", d)
}

type duesCollectData struct {
	CSRF     string
	Book     *dangvu.DuesBook
	Month    string
	PaidOn   string
	Errors   map[string]string            // beside the day and the channel
	LineErrs map[string]map[string]string // beside each member's line, by member
	Other    []dangvu.FieldError          // the rest, above the sheet
	Form     map[string]string
}

func (s *Server) duesCollectPage(w http.ResponseWriter, r *http.Request) error {
	b, err := s.duesBookParams(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "dues_collect.html", "Thu đảng phí", "dues", duesCollectData{CSRF: s.csrf(r), Book: b, Month: b.Month, PaidOn: vn.FormatDate(s.today())})
}

// parseVND reads an amount typed in a form: "60.000", "60000", "60 000 đ"; a decimal part or a
// negative sign is refused (amounts are whole đồng).
func parseVND(v string) (int64, error) {
	v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "đ"))
	if v == "" {
		return 0, nil
	}
	if strings.ContainsAny(v, ",") {
		return 0, fmt.Errorf("số tiền %q không phải số đồng nguyên", v)
	}
	c := strings.NewReplacer(".", "", " ", "").Replace(v)
	n, err := strconv.ParseInt(c, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("số tiền %q không hợp lệ: cần số đồng nguyên", v)
	}
	if n < 0 {
		return 0, fmt.Errorf("số tiền %s âm", vn.FormatInt(n))
	}
	return n, nil
}

// duesCollectPost records the payments of the form: each member ticked paid the amount in
// their line (the amount owed unless changed); those unticked did not pay.
func (s *Server) duesCollectPost(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	org, month := r.PostForm.Get("org"), r.PostForm.Get("month")
	if err := s.checkRefs(r, ref{kind: "organisations", id: org}); err != nil {
		return err
	}
	m, err := dangvu.ParseMonth(month)
	if err != nil {
		return &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: "month", Reason: err.Error()}}}
	}
	b, err := s.Store.DuesBook(r.Context(), org, m)
	if err != nil {
		return err
	}
	var paid time.Time
	var refused []dangvu.FieldError // the sheet's own checks
	if v := r.PostForm.Get("paid_on"); v != "" {
		if paid, err = vn.ParseDate(v); err != nil {
			refused = append(refused, dangvu.FieldError{Field: "paid_on", Reason: err.Error()})
		}
	}
	channel := r.PostForm.Get("channel")
	var lines []dangvu.DuesPayment
	for _, l := range b.Lines {
		if l.PaymentID != "" || r.PostForm.Get("paid."+l.MemberID) == "" {
			continue
		}
		a, err := parseVND(r.PostForm.Get("amount." + l.MemberID))
		if err != nil {
			refused = append(refused, dangvu.FieldError{Field: lineKey(l.MemberID, "amount"), Reason: err.Error()})
			continue
		}
		lines = append(lines, dangvu.DuesPayment{Member: l.MemberID, Month: m, Amount: min(a, l.Owed), Voluntary: max(a-l.Owed, 0), Paid: dangvu.DateOf(paid), Channel: channel, Reference: strings.TrimSpace(r.PostForm.Get("ref." + l.MemberID))})
		if l.Owed == 0 {
			lines[len(lines)-1].Amount, lines[len(lines)-1].Voluntary = a, 0
		}
	}
	err = nil
	if len(refused) > 0 {
		err = &dangvu.Error{Code: dangvu.EInvalid, Fields: refused}
	} else if len(lines) > 0 {
		_, err = s.Store.RecordDuesPayments(r.Context(), s.actor(r), org, lines)
	}
	if err != nil {
		// Each line's errors beside it (the store's rows are the lines given), the day's and the
		// channel's beside them.
		d := duesCollectData{CSRF: s.csrf(r), Book: b, Month: month, PaidOn: r.PostForm.Get("paid_on"), Errors: map[string]string{},
			LineErrs: map[string]map[string]string{}, Form: map[string]string{}}
		if d.Other, err = placeErrors(onLines(err, func(row int) (string, bool) {
			if row > 0 && row <= len(lines) {
				return lines[row-1].Member, true
			}
			return "", false
		}), d.Errors, inputsOf("paid_on", "channel")); err != nil {
			return err
		}
		for _, l := range b.Lines {
			if e := lineErrors(d.Errors, l.MemberID); e != nil {
				d.LineErrs[l.MemberID] = e
			}
		}
		for k, v := range r.PostForm {
			d.Form[k] = strings.Join(v, "")
		}
		return s.render(w, r, http.StatusBadRequest, "dues_collect.html", "Thu đảng phí", "dues", d)
	}
	http.Redirect(w, r, "/dues?org="+org+"&month="+month, http.StatusSeeOther)
	return nil
}

type duesMemberData struct {
	MemberID   string
	Name       string
	Bases      []dangvu.DuesBasis
	Exemptions []dangvu.DuesExemption
	Payments   []dangvu.DuesPayment
	Mine       bool
	NoMember   bool // an account not linked to a member
}

func (s *Server) duesMemberData(r *http.Request, id string) (duesMemberData, error) {
	d := duesMemberData{MemberID: id}
	mem, err := s.Store.Member(r.Context(), id, s.today())
	if err != nil {
		return d, err
	}
	d.Name = mem.FullName
	if d.Bases, err = s.Store.DuesBases(r.Context(), id); err != nil {
		return d, err
	}
	if d.Exemptions, err = s.Store.DuesExemptions(r.Context(), id); err != nil {
		return d, err
	}
	d.Payments, err = s.Store.DuesPayments(r.Context(), id)
	return d, err
}

func (s *Server) duesMemberPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.duesMemberData(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "dues_member.html", "Đảng phí của đảng viên", "dues", d)
}

func (s *Server) duesMinePage(w http.ResponseWriter, r *http.Request) error {
	u := s.user(r)
	if u == nil || u.MemberID == "" {
		return s.render(w, r, http.StatusOK, "dues_member.html", "Đảng phí của tôi", "dues-mine", duesMemberData{Mine: true, NoMember: true})
	}
	d, err := s.duesMemberData(r, u.MemberID)
	if err != nil {
		return err
	}
	d.Mine = true
	return s.render(w, r, http.StatusOK, "dues_member.html", "Đảng phí của tôi", "dues-mine", d)
}

func (s *Server) apiDuesReconcile(w http.ResponseWriter, r *http.Request) error {
	var in duesReconcileInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var fe []dangvu.FieldError
	if in.OrgID == "" {
		fe = append(fe, dangvu.FieldError{Field: "org_id", Reason: "bắt buộc"})
	}
	if strings.TrimSpace(in.CSV) == "" {
		fe = append(fe, dangvu.FieldError{Field: "csv", Reason: "bắt buộc: nội dung tệp CSV của Cổng Dịch vụ công"})
	}
	if len(fe) > 0 {
		return &dangvu.Error{Code: dangvu.EInvalid, Message: "Không đối soát được; chưa ghi gì.", Fields: fe}
	}
	if err := s.checkRefs(r, ref{kind: "organisations", id: in.OrgID}); err != nil {
		return err
	}
	o, err := s.Store.ResolveOrg(r.Context(), in.OrgID, s.viewDay(r, in.OrgID))
	if err != nil {
		return err
	}
	res, err := s.Store.ReconcilePortal(r.Context(), s.actor(r), o.ID, strings.NewReader(in.CSV), in.Apply)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}
