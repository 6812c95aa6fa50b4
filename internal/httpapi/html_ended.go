package httpapi

// Accounts of organisations that have ended. Every district committee ended on 1/7/2025 and
// more organisations end with each reorganisation; the accounts of their staff keep working:
// every page opens, by default, on the last day the organisation existed (viewDay), a banner
// in the layout says when and how it ended and where its members went (with links where the
// user may follow them), and an administrator moves the account to a successor
// (POST /admin/users/{id}/org, `dangvu user move`).

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"dangvu"
	"dangvu/internal/vn"
)

// viewDay is the day a page shows when the request names none: the day chosen in the header, else today, or the last day of the
// organisation the request is about (org, else the user's own) when that organisation has ended.
// A user whose committee ended would otherwise be told that it does not exist.
func (s *Server) viewDay(r *http.Request, org string) time.Time {
	day := s.orgDay(r, org)
	// When that day puts a named organisation outside the reader's subtree and the reader's own
	// day does not — an account of an ended city opening one of its former cells, which lives on
	// elsewhere — the reader's day, the one its links were judged on (TestBrowserWalk,
	// TestDemoAccountsReachTheirPages).
	if org != "" && s.checkOrg(r, org, day) != nil {
		if own := s.orgDay(r, ""); s.checkOrg(r, org, own) == nil {
			return own
		}
	}
	return day
}

// orgDay is viewDay without the reader's fallback: the organisation's own day.
func (s *Server) orgDay(r *http.Request, org string) time.Time {
	// "Xem theo ngày" in the header (html_viewday.go) dates what a read shows. A write ignores it:
	// the scope of a write is never judged on a day the writer chose (issue 12, item 9).
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		if day, ok := s.chosenDay(r); ok {
			return day
		}
	}
	today := s.today()
	id := s.defaultOrg(r, org)
	if id == "" {
		return today
	}
	if _, err := s.Store.Org(r.Context(), id, today); dangvu.ErrorCode(err) != dangvu.ENotFound {
		return today
	}
	if last, ok := s.lastDay(r, id); ok && last.Before(today) {
		return last
	}
	return today
}

// endedBanner is the layout's notice for a user whose organisation has ended.
type endedBanner struct {
	dangvu.OrgEnd
	Links map[string]bool // successors the user may open
}

// ended returns the banner for the request's user, nil when their organisation is in force
// (or they have none).
func (s *Server) ended(r *http.Request) *endedBanner {
	u := s.user(r)
	if u == nil || u.OrgID == "" || u.UserRole == dangvu.UserMember {
		return nil
	}
	today := s.today()
	if _, err := s.Store.Org(r.Context(), u.OrgID, today); dangvu.ErrorCode(err) != dangvu.ENotFound {
		return nil
	}
	end, err := s.Store.OrgEnd(r.Context(), u.OrgID)
	if err != nil || end.LastDay.IsZero() {
		return nil
	}
	b := &endedBanner{OrgEnd: end, Links: map[string]bool{}}
	for _, x := range end.Successors {
		b.Links[x.Org.ID] = s.checkOrg(r, x.Org.ID, today) == nil
	}
	return b
}

// linkRoutes finds the route a link of a page leads to, so that pages offer only the links their
// reader may follow (an item of "Việc cần chú ý" whose record the role may not open keeps its
// text without a link).
// Built on first use, not at package initialisation: the route table holds the handlers that
// call mayOpen.
func linkRoutes() (*http.ServeMux, map[string]route) {
	linkOnce.Do(func() { linkMux, linkByPattern = buildLinkRoutes() })
	return linkMux, linkByPattern
}

var (
	linkOnce      sync.Once
	linkMux       *http.ServeMux
	linkByPattern map[string]route
)

func buildLinkRoutes() (*http.ServeMux, map[string]route) {
	mux := http.NewServeMux()
	byPattern := map[string]route{}
	for _, rt := range allRoutes() {
		if strings.HasPrefix(rt.pattern, "GET ") {
			mux.HandleFunc(rt.pattern, func(http.ResponseWriter, *http.Request) {})
			byPattern[rt.pattern] = rt
		}
	}
	return mux, byPattern
}

// mayOpen reports whether the request's user may open a link (a local path): its route's
// action for their role, and the scope of the route's {id} as of asOf.
func (s *Server) mayOpen(r *http.Request, link string, asOf time.Time) bool {
	req, err := http.NewRequest(http.MethodGet, link, nil)
	if err != nil {
		return false
	}
	mux, byPattern := linkRoutes()
	_, pattern := mux.Handler(req)
	rt, ok := byPattern[pattern]
	if !ok {
		return false
	}
	u := s.user(r)
	if rt.public {
		return true
	}
	if u == nil || (rt.action != "" && !u.UserRole.Can(rt.action)) {
		return false
	}
	p := pattern[strings.IndexByte(pattern, ' ')+1:]
	if i := strings.Index(p, "{id}"); i >= 0 && !wholeTree(u) {
		seg := strings.Count(p[:i], "/")
		parts := strings.Split(req.URL.Path, "/")
		check := objectScope(idKind(pattern))
		if seg >= len(parts) || check == nil || check(s, r, parts[seg], asOf) != nil {
			return false
		}
	}
	return true
}

// memberIDOf is the member record of a member's account, "" for other accounts.
func memberIDOf(u *dangvu.User) string {
	if u == nil || u.UserRole != dangvu.UserMember {
		return ""
	}
	return u.MemberID
}

// orgIDsOf lists the organisations a member's history names.
func orgIDsOf(h dangvu.MemberHistory) []string {
	var ids []string
	for _, x := range h.Memberships {
		ids = append(ids, x.OrgID)
	}
	for _, x := range h.Movements {
		ids = append(ids, x.FromOrgID, x.ToOrgID)
	}
	for _, x := range h.Posts {
		ids = append(ids, x.OrgID)
	}
	return ids
}

// userMove moves an account to another organisation, named by code or name (as of today).
func (s *Server) userMove(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("id")
	if err := r.ParseForm(); err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "Biểu mẫu không đọc được.")
	}
	ref := strings.TrimSpace(r.PostForm.Get("org_ref"))
	if ref == "" {
		ref = strings.TrimSpace(r.PostForm.Get("org"))
	}
	today := s.today()
	if ref != "" {
		o, err := s.Store.ResolveOrg(r.Context(), ref, today)
		if err == nil && s.checkOrg(r, o.ID, today) != nil {
			// Outside the administrator's subtree: answered as an unknown organisation.
			err = dangvu.Errorf(dangvu.ENotFound, "không có tổ chức đảng %q vào ngày %s", ref, vn.FormatDate(today))
		}
		if dangvu.ErrorCode(err) == dangvu.EInternal {
			return err
		}
		if err != nil {
			return s.userLineRefused(w, r, name, fmt.Sprintf("Chưa chuyển được tài khoản %s.", name),
				&dangvu.Error{Code: dangvu.ErrorCode(err), Fields: []dangvu.FieldError{{Field: "org_ref", Reason: dangvu.ErrorMessage(err)}}}, "org_ref")
		}
		ref = o.ID
	}
	if _, err := s.Store.MoveUser(r.Context(), s.user(r).Username, name, ref, today); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/users?moved="+url.QueryEscape(name), http.StatusSeeOther)
	return nil
}

// notFound answers an address no route serves.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	return dangvu.Errorf(dangvu.ENotFound, "Không có trang %s. Hãy chọn từ trình đơn, hoặc về trang chủ.", r.URL.Path)
}

// paramLabels name, on an error page, the query and form fields people fill in.
var paramLabels = map[string]string{
	"as_of": "Ngày xem số liệu", "to": "Đến ngày", "from": "Từ ngày", "org": "Tổ chức", "under": "Tổ chức",
	"document": "Văn bản", "preset": "Kỳ báo cáo", "date": "Ngày", "status": "Trạng thái", "gender": "Giới tính",
	"page": "Trang", "limit": "Số dòng", "offset": "Vị trí", "format": "Định dạng tệp", "key": "Chỉ tiêu",
	"password": "Mật khẩu", "username": "Tên đăng nhập", "role": "Vai trò", "member": "Đảng viên",
}

// fieldText is a field error as a person reads it: the field's Vietnamese label and the reason.
func fieldText(f dangvu.FieldError) string {
	if l, ok := paramLabels[f.Field]; ok && f.Table == "" && f.Row == 0 {
		return l + ": " + f.Reason
	}
	return f.String()
}

// backLink is the page a person came from on this site, "" when unknown, for an error page's
// "Quay lại" (the form they may correct).
func backLink(r *http.Request) string {
	ref, err := url.Parse(r.Referer())
	if err != nil || ref.Host != r.Host || ref.Path == r.URL.Path && ref.RawQuery == r.URL.RawQuery {
		return ""
	}
	return localPath(ref.RequestURI())
}

// resolveOrgParams resolves the org and under parameters from what a person typed — a code, a
// name, or any unambiguous part of a name, looked for within their subtree — and rewrites them to
// the organisation's id, for the scope check and the handler alike. An unknown one is left as
// typed (the handler says it is not found); an ambiguous one is refused with the candidates.
func (s *Server) resolveOrgParams(r *http.Request, asOf time.Time) error {
	q := r.URL.Query()
	changed := false
	for _, p := range []string{"org", "under"} {
		v := strings.TrimSpace(q.Get(p))
		if v == "" {
			continue
		}
		o, err := s.findOrg(r, v, asOf)
		switch {
		case err == nil:
			if o.ID != q.Get(p) {
				q.Set(p, o.ID)
				changed = true
			}
		case dangvu.ErrorCode(err) == dangvu.ENotFound:
		case dangvu.ErrorCode(err) == dangvu.EInvalid && !isAPI(r):
			// Several match: the person picks one from a list (links, no script needed).
			return s.orgChoices(r, p, v, asOf, err)
		default:
			return err
		}
	}
	if changed {
		r.URL.RawQuery = q.Encode()
	}
	return nil
}

// findOrg resolves an organisation field within the user's subtree (store.FindOrg).
func (s *Server) findOrg(r *http.Request, ref string, asOf time.Time) (dangvu.Org, error) {
	within := ""
	if u := s.user(r); u != nil && !wholeTree(u) {
		root, err := s.Store.ScopeRoot(r.Context(), *u, asOf)
		if err != nil {
			return dangvu.Org{}, err
		}
		if root == "" {
			return s.Store.ResolveOrg(r.Context(), ref, asOf) // a member's account: no subtree
		}
		within = root
	}
	return s.Store.FindOrg(r.Context(), ref, asOf, within)
}

// orgChoice is the answer to an organisation field that matches several organisations: the
// page lists them, each a link to the same page with that organisation (server-side
// suggestions that need no script).
type orgChoice struct {
	Err     *dangvu.Error
	Typed   string
	Options []orgOption
	// Start marks a choice where to start, not a refusal: the page answers 200.
	Start bool
}

func (c *orgChoice) Error() string { return c.Err.Error() }

// Message is the page's sentence.
func (c *orgChoice) Message() string { return c.Err.Message }

type orgOption struct {
	Name, Parent, Link string
}

func (c *orgChoice) Unwrap() error { return c.Err }

// orgChoices builds the list of organisations matching typed within the user's subtree.
func (s *Server) orgChoices(r *http.Request, param, typed string, asOf time.Time, cause error) error {
	under := ""
	if u := s.user(r); u != nil && !wholeTree(u) {
		under = u.OrgID
	}
	nodes, err := s.Store.Orgs(r.Context(), dangvu.OrgFilter{AsOf: asOf, Under: under, Name: typed, Limit: 30})
	if err != nil || len(nodes) == 0 {
		return cause
	}
	c := &orgChoice{Err: &dangvu.Error{Code: dangvu.EInvalid, Message: fmt.Sprintf("Có nhiều tổ chức khớp với %q: chọn một.", typed)}, Typed: typed}
	for _, n := range nodes {
		q := r.URL.Query()
		q.Set(param, n.ID)
		parent := ""
		if p, err := s.Store.Org(r.Context(), n.ParentID, asOf); err == nil {
			parent = p.Name
		}
		c.Options = append(c.Options, orgOption{Name: n.Name, Parent: parent, Link: r.URL.Path + "?" + q.Encode()})
	}
	return c
}

// topOrgChoices answers a page that needs an organisation, asked by an account of the whole tree
// without one: the organisations at the top of the tree and the level below, each a link to the
// same page with it.
func (s *Server) topOrgChoices(r *http.Request, asOf time.Time, cause error) error {
	nodes, err := s.Store.Orgs(r.Context(), dangvu.OrgFilter{AsOf: asOf, Depth: 2, Limit: 100})
	if err != nil || len(nodes) == 0 {
		return cause
	}
	c := &orgChoice{Err: &dangvu.Error{Code: dangvu.EInvalid, Message: "Chọn tổ chức đảng để xem."}, Start: true}
	names := map[string]string{}
	for _, n := range nodes {
		names[n.ID] = n.Name
		q := r.URL.Query()
		q.Set("org", n.ID)
		c.Options = append(c.Options, orgOption{Name: n.Name, Parent: names[n.ParentID], Link: r.URL.Path + "?" + q.Encode()})
	}
	return c
}
