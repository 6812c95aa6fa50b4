package httpapi

// The server-rendered Vietnamese pages. Templates are parsed once, from files embedded in the
// binary (package web); every page is the layout around one "content" template.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"dangvu"
	"dangvu/internal/store"
	"dangvu/internal/vn"
	"dangvu/web"
)

// pageRoutes lists the HTML pages (Vietnamese, server-rendered).
func pageRoutes() []route {
	return []route{
		{"GET /{$}", htmlPage((*Server).homePage), "Trang chủ", nil, false, dangvu.ActRead},
		{"GET /orgs", htmlPage((*Server).orgsPage), "Cây tổ chức đảng theo ngày", []string{"as_of", "under"}, false, dangvu.ActRead},
		{"GET /orgs/{id}", htmlPage((*Server).orgPage), "Một tổ chức đảng", []string{"as_of"}, false, dangvu.ActRead},
		{"GET /members", htmlPage((*Server).membersPage), "Danh sách đảng viên", []string{"q", "org", "status", "gender", "as_of", "page"}, false, dangvu.ActRead},
		{"GET /members/{id}", htmlPage((*Server).memberPage), "Hồ sơ đảng viên", []string{"as_of"}, false, dangvu.ActRead},
		{"GET /members/{id}/edit", htmlPage((*Server).memberEditPage), "Sửa hồ sơ đảng viên", nil, false, dangvu.ActEditMembers},
		{"POST /members/{id}/edit", htmlPage((*Server).memberEditPost), "Lưu hồ sơ đảng viên", nil, false, dangvu.ActEditMembers},
		{"GET /audit", htmlPage((*Server).auditPage), "Nhật ký thay đổi", []string{"entity", "id"}, false, dangvu.ActAudit},
		{"GET /static/", (*Server).static, "Tệp tĩnh (CSS)", nil, true, ""},
	}
}

// htmlPage renders a page handler's error as an HTML error page instead of JSON.
func htmlPage(h func(*Server, http.ResponseWriter, *http.Request) error) func(*Server, http.ResponseWriter, *http.Request) error {
	return func(s *Server, w http.ResponseWriter, r *http.Request) error {
		if err := h(s, w, r); err != nil {
			s.renderError(w, r, err)
		}
		return nil
	}
}

var staticFS = func() http.Handler {
	sub, err := fs.Sub(web.Static, "static")
	if err != nil {
		panic(err)
	}
	return http.StripPrefix("/static/", http.FileServerFS(sub))
}()

func (s *Server) static(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "public, max-age=3600")
	staticFS.ServeHTTP(w, r)
	return nil
}

// ---- templates ----

// dateDMY is the template function "date": a Date, or an ISO date as text, as dd/mm/yyyy; "" for
// none and for an open end (Forever); text that is not an ISO date as it is.
func dateDMY(v any) string {
	var d dangvu.Date
	switch x := v.(type) {
	case dangvu.Date:
		d = x
	case *dangvu.Date:
		if x != nil {
			d = *x
		}
	case string:
		if x == "" {
			return ""
		}
		t, err := dangvu.ParseISODate(x)
		if err != nil {
			return x
		}
		d = dangvu.DateOf(t)
	case nil:
	default:
		return fmt.Sprint(v)
	}
	if d.IsZero() || d.IsForever() {
		return ""
	}
	return vn.FormatDate(d.Time)
}

var ict = time.FixedZone("ICT", 7*3600)

// coreFuncs are the core module's template functions.
var coreFuncs = template.FuncMap{
	"date":    dateDMY,
	"day":     func(t time.Time) string { return vn.FormatDate(t) },
	"pdate":   partialVN,
	"input":   input,   // one input of a form, for the "field" partial (html_form.go)
	"options": options, // a select's options of a list of codes
	"num":     func(n int) string { return vn.FormatInt(int64(n)) },
	"status": func(s dangvu.Status) string {
		if s == "" {
			return ""
		}
		return dangvu.CodeName(dangvu.Statuses, s)
	},
	"level":       func(l dangvu.Level) string { return dangvu.CodeName(dangvu.Levels, l) },
	"kind":        func(k dangvu.OrgKind) string { return dangvu.CodeName(dangvu.OrgKinds, k) },
	"role":        func(r dangvu.UserRole) string { return dangvu.CodeName(dangvu.UserRoles, r) },
	"postRole":    func(r dangvu.PostRole) string { return dangvu.CodeName(dangvu.PostRoles, r) },
	"moveKind":    func(k dangvu.MovementKind) string { return dangvu.CodeName(dangvu.MovementKinds, k) },
	"shipKind":    func(k dangvu.MembershipKind) string { return dangvu.CodeName(dangvu.MembershipKinds, k) },
	"theory":      func(c string) string { return dangvu.CodeName(dangvu.TheoryLevels, c) },
	"ethnicity":   func(c string) string { return dangvu.CodeName(dangvu.Ethnicities, c) },
	"gender":      genderName,
	"mask":        vn.MaskIDNumber,
	"statuses":    func() []dangvu.Code[dangvu.Status] { return dangvu.Statuses },
	"theories":    func() []dangvu.Code[string] { return dangvu.TheoryLevels },
	"ethnicities": func() []dangvu.Code[string] { return dangvu.Ethnicities },
	"field": func(f memberForm, name, label, hint string) any { // one input of the edit form
		return formField{Name: name, Label: label, Value: f.Values[name], Err: f.Errors[name], Hint: hint}
	},
	"fieldSelect": func(f memberForm, name, label string) formField { // a choice of the record's codes
		var opts [][2]string
		switch name {
		case "gender":
			opts = [][2]string{{dangvu.Male, "Nam"}, {dangvu.Female, "Nữ"}}
		case "ethnicity":
			opts = codeOptions(dangvu.Ethnicities)
		case "theory_level":
			opts = codeOptions(dangvu.TheoryLevels)
		}
		return formField{Name: name, Label: label, Value: f.Values[name], Err: f.Errors[name], Kind: "select", Options: opts}
	},
	"fieldArea": func(f memberForm, name, label string) formField { // a text of several lines
		return formField{Name: name, Label: label, Value: f.Values[name], Err: f.Errors[name], Kind: "textarea"}
	},
	"sub": func(n []*treeNode, iso string) any { // a subtree and the date, for the recursive template
		return struct {
			Nodes []*treeNode
			ISO   string
		}{n, iso}
	},
}

func genderName(g string) string {
	switch g {
	case dangvu.Male:
		return "Nam"
	case dangvu.Female:
		return "Nữ"
	}
	return g
}

// partialVN shows a stored partial date ("1975", "1975-05", "1975-05-03") the Vietnamese way.
func partialVN(s string) string {
	p, err := vn.ParsePartialDate(s)
	if err != nil {
		return s
	}
	return p.Vietnamese()
}

// pages maps a page file name ("home.html") to the layout parsed with that page.
// Parsed once on first use, not at package initialisation: the template functions come from
// the modules, whose handlers render pages.
func pages() (map[string]*template.Template, error) {
	pagesOnce.Do(func() { pagesParsed, pagesErr = parsePages() })
	return pagesParsed, pagesErr
}

var (
	pagesOnce   sync.Once
	pagesParsed map[string]*template.Template
	pagesErr    error
)

func parsePages() (map[string]*template.Template, error) {
	return parseTemplateDir("templates/")
}

// parseTemplateDir parses each page of a folder of web.Templates (dir ends in "/") on its own
// clone of the folder's layout.html, so pages may define the same blocks.
func parseTemplateDir(dir string) (map[string]*template.Template, error) {
	base, err := template.New("layout.html").Funcs(wired().funcs).ParseFS(web.Templates, dir+"layout.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(web.Templates, dir+"*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimPrefix(n, dir)
		if name == "layout.html" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(web.Templates, n)
		if err != nil {
			return nil, err
		}
		out[name] = t
	}
	return out, nil
}

// view is what the layout receives; Data is the page's own.
type view struct {
	Title string
	Nav   string // the key of the current menu entry (navItem.Key)
	Menu  []navItem
	User  *dangvu.User
	CSRF  string
	Ended *endedBanner // the user's organisation has ended (html_ended.go)
	Day   *time.Time   // the day chosen in the header (html_viewday.go)
	Here  string       // this page's address, for the header's day form to return to
	Data  any
}

// render executes a page into a buffer first, so a template error becomes a proper error page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title, nav string, data any) error {
	ts, err := pages()
	if err != nil {
		return fmt.Errorf("httpapi: templates: %w", err)
	}
	t, ok := ts[name]
	if !ok {
		return fmt.Errorf("httpapi: no template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", view{Title: title, Nav: nav, Menu: wired().nav, User: s.user(r), CSRF: s.csrf(r), Ended: s.ended(r), Day: s.headerDay(r), Here: r.URL.RequestURI(), Data: data}); err != nil {
		return fmt.Errorf("httpapi: render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err = w.Write(buf.Bytes())
	return err
}

// renderError shows a Vietnamese error page with the status of the error's code (errorStatus, as
// writeError does for JSON).
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	status := s.statusOf(r, err)
	title := map[int]string{400: "Yêu cầu không hợp lệ", 401: "Chưa đăng nhập", 403: "Không có quyền", 404: "Không tìm thấy",
		409: "Xung đột dữ liệu", 429: "Thử lại sau", 503: "Máy chủ đang bận"}[status]
	if title == "" {
		title = "Lỗi hệ thống"
	}
	data := struct {
		Title   string
		Status  int
		Message string
		Fields  []string
		Back    string // the page the person came from (a form to correct)
	}{Title: title, Status: status, Message: dangvu.ErrorMessage(err), Back: backLink(r)}
	var e *dangvu.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		data.Message = e.Message
		for _, f := range e.Fields {
			data.Fields = append(data.Fields, fieldText(f))
		}
	}
	var choice *orgChoice
	if errors.As(err, &choice) {
		if choice.Start {
			status = http.StatusOK
		}
		if rerr := s.render(w, r, status, "org_choice.html", "Chọn tổ chức", "", choice); rerr == nil {
			return
		}
	}
	if rerr := s.render(w, r, status, "error.html", title, "", data); rerr != nil {
		http.Error(w, title+": "+data.Message, status)
	}
}

// ---- home ----

// dashboardMaxMembers is the largest subtree whose home page compares this year with the last.
const dashboardMaxMembers = 50000

type orgCounts struct {
	Org                        dangvu.Org
	Total, Probationary, Women int
}

func (s *Server) counts(r *http.Request, o dangvu.Org, asOf time.Time) (orgCounts, error) {
	c := orgCounts{Org: o}
	var err error
	if c.Total, err = s.Store.CountMembers(r.Context(), o.ID, asOf, dangvu.CountFilter{}); err != nil {
		return c, err
	}
	if c.Probationary, err = s.Store.CountMembers(r.Context(), o.ID, asOf, dangvu.CountFilter{Status: dangvu.StatusProbationary}); err != nil {
		return c, err
	}
	c.Women, err = s.Store.CountMembers(r.Context(), o.ID, asOf, dangvu.CountFilter{Gender: dangvu.Female})
	return c, err
}

func (s *Server) homePage(w http.ResponseWriter, r *http.Request) error {
	today := s.today()
	var org dangvu.Org
	if id := s.defaultOrg(r, ""); id != "" {
		o, err := s.Store.Org(r.Context(), id, today)
		if dangvu.ErrorCode(err) == dangvu.ENotFound {
			// The user's organisation has ended (a district committee after 1/7/2025): show it
			// as of its last day.
			if last, ok := s.lastDay(r, id); ok {
				today = last
				o, err = s.Store.Org(r.Context(), id, today)
			}
		}
		if err != nil {
			return err
		}
		org = o
	} else {
		// The whole system: the first root in force today.
		roots, err := s.Store.Orgs(r.Context(), dangvu.OrgFilter{AsOf: today, Limit: 1})
		if err != nil {
			return err
		}
		if len(roots) == 0 {
			return s.render(w, r, http.StatusOK, "home.html", "Trang chủ", "", homeData{Today: today, Empty: true})
		}
		org = roots[0].Org
	}
	c, err := s.counts(r, org, today)
	if err != nil {
		return err
	}
	var items []dangvu.Attention
	if u := s.user(r); u != nil && u.UserRole != dangvu.UserMember {
		if items, err = s.Store.Attention(r.Context(), org.ID, today, s.role(r)); err != nil {
			return err
		}
	}
	var dash []comparison
	// The comparison runs the term report twice: seconds for a province, tens of seconds for the
	// country (docs/benchmarks.md), too much for every visit of a home page; those see the link.
	if u := s.user(r); u != nil && u.UserRole.Can(dangvu.ActReports) && c.Total <= dashboardMaxMembers {
		if dash, err = s.dashboard(r, org, today); err != nil {
			return err
		}
	}
	groups := groupAttention(items, org.ID, groupShown)
	s.linkable(r, groups, today)
	u := s.user(r)
	return s.render(w, r, http.StatusOK, "home.html", "Trang chủ", "", homeData{Today: today, C: c, Groups: groups, Total: len(items),
		Mine: s.memberDue(r), Dashboard: dash, CanOrgs: u != nil && u.UserRole != dangvu.UserMember,
		CanAudit: s.can(r, dangvu.ActAudit), CanReports: s.can(r, dangvu.ActReports), MemberID: memberIDOf(u)})
}

// ---- organisations ----

type treeNode struct {
	dangvu.OrgNode
	Kids []*treeNode
}

// buildTree nests a path-ordered list; nodes whose parent is not in the list are roots.
func buildTree(nodes []dangvu.OrgNode) []*treeNode {
	byID := map[string]*treeNode{}
	var roots []*treeNode
	for _, n := range nodes {
		t := &treeNode{OrgNode: n}
		byID[n.ID] = t
		if p, ok := byID[n.ParentID]; ok {
			p.Kids = append(p.Kids, t)
		} else {
			roots = append(roots, t)
		}
	}
	return roots
}

func (s *Server) orgsPage(w http.ResponseWriter, r *http.Request) error {
	asOf, err := date(r, "as_of", s.viewDay(r, r.URL.Query().Get("under")))
	if err != nil {
		return err
	}
	under := s.defaultOrg(r, strings.TrimSpace(r.URL.Query().Get("under")))
	if err := s.checkOrg(r, under, asOf); err != nil {
		return err
	}
	// Two levels at a time: a province's whole tree is thousands of rows, each with a count.
	depth, err := intParam(r, "depth", 2)
	if err != nil {
		return err
	}
	nodes, err := s.Store.Orgs(r.Context(), dangvu.OrgFilter{AsOf: asOf, Under: under, Depth: depth})
	if err != nil {
		return err
	}
	relabel(nodes, s.distinctNames(r, siblingKeys(nodes), asOf))
	return s.render(w, r, http.StatusOK, "orgs.html", "Tổ chức đảng", "orgs", struct {
		AsOf  time.Time
		ISO   string
		Under string
		Tree  []*treeNode
		Count int
	}{asOf, dangvu.ISO(asOf), under, buildTree(nodes), len(nodes)})
}

// versionsBefore is the part of an organisation's history before day; all of it for
// dangvu.Forever or the zero Date (the guard has placed the organisation in the user's subtree).
func versionsBefore(h []dangvu.Org, day dangvu.Date) []dangvu.Org {
	if day.IsZero() || day.IsForever() {
		return h
	}
	var out []dangvu.Org
	for _, v := range h {
		if v.ValidFrom.Before(day) {
			v.ValidTo = dangvu.MinDate(v.ValidTo, day)
			out = append(out, v)
		}
	}
	return out
}

func (s *Server) orgPage(w http.ResponseWriter, r *http.Request) error {
	o, asOf, err := s.orgNode(r)
	if err != nil {
		return err
	}
	ctx, id := r.Context(), o.ID
	c, err := s.counts(r, o.Org, asOf)
	if err != nil {
		return err
	}
	var parent *dangvu.Org
	if o.ParentID != "" {
		if p, err := s.Store.Org(ctx, o.ParentID, asOf); err == nil && s.checkOrg(r, p.ID, asOf) == nil {
			parent = &p
		}
	}
	history, err := s.Store.OrgHistory(ctx, id)
	if err != nil {
		return err
	}
	if u := s.user(r); !wholeTree(u) {
		// An organisation that has left the user's subtree since as_of: its versions until then.
		until, err := s.Store.OrgSeenUntil(ctx, *u, id, asOf)
		if err != nil {
			return err
		}
		history = versionsBefore(history, until)
	}
	children, err := s.Store.Orgs(ctx, dangvu.OrgFilter{AsOf: asOf, ParentID: id})
	if err != nil {
		return err
	}
	relabel(children, s.distinctNames(r, siblingKeys(children), asOf))
	posts, err := s.Store.OrgPosts(ctx, id, asOf)
	if err != nil {
		return err
	}
	members, err := s.Store.Members(ctx, dangvu.MemberFilter{AsOf: asOf, Under: id, Limit: 20})
	if err != nil {
		return err
	}
	open := map[string]bool{}
	for _, v := range history {
		if v.ParentID != "" {
			open[v.ParentID] = s.checkOrg(r, v.ParentID, asOf) == nil
		}
	}
	return s.render(w, r, http.StatusOK, "org.html", o.Name, "orgs", struct {
		AsOf     time.Time
		ISO      string
		Org      dangvu.OrgNode
		C        orgCounts
		Parent   *dangvu.Org
		History  []dangvu.Org
		Children []dangvu.OrgNode
		Posts    []dangvu.Post
		Members  dangvu.MemberPage
		Open     map[string]bool // the former parents the user may open
		Trail    crumbTrail
	}{asOf, dangvu.ISO(asOf), o, c, parent, history, children, posts, members, open, s.orgTrail(r, o.Org, asOf)})
}

// ---- members ----

const pageSize = 50

func (s *Server) membersPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	asOf, err := date(r, "as_of", s.viewDay(r, q.Get("org")))
	if err != nil {
		return err
	}
	f := dangvu.MemberFilter{AsOf: asOf, Under: strings.TrimSpace(q.Get("org")), Query: strings.TrimSpace(q.Get("q")), Limit: pageSize,
		Ethnicity: q.Get("ethnicity"), AgeBand: q.Get("age"), PartyAgeBand: q.Get("party_age")}
	if g := q.Get("gender"); g != "" {
		if g != dangvu.Male && g != dangvu.Female {
			return &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: "gender", Reason: "chọn Nam hoặc Nữ"}}}
		}
		f.Gender = g
	}
	if st := q.Get("status"); st != "" {
		if !dangvu.ValidCode(dangvu.Statuses, dangvu.Status(st)) {
			return &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: "status", Reason: "trạng thái " + st + " không hợp lệ"}}}
		}
		f.Status = []dangvu.Status{dangvu.Status(st)}
	}
	f.Under = s.defaultOrg(r, f.Under)
	if u := s.user(r); u != nil && u.UserRole == dangvu.UserMember {
		// A member's account lists only their own record.
		f.Under, f.Query = "", u.MemberID
	} else if err := s.checkOrg(r, f.Under, asOf); err != nil {
		return err
	}
	pg := 1
	if v := q.Get("page"); v != "" {
		if pg, err = strconv.Atoi(v); err != nil || pg < 1 {
			return &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: "page", Reason: "cần một số nguyên dương"}}}
		}
	}
	f.Offset = (pg - 1) * pageSize
	var page dangvu.MemberPage
	if u := s.user(r); u == nil || u.UserRole != dangvu.UserMember || u.MemberID != "" {
		if page, err = s.Store.Members(r.Context(), f); err != nil {
			return err
		}
	}
	orgNames := map[string]string{}
	for _, m := range page.Members {
		orgNames[m.OrgID] = m.OrgName
	}
	if labels := s.distinctNames(r, orgNames, asOf); len(labels) > 0 {
		for i, m := range page.Members {
			if l, ok := labels[m.OrgID]; ok {
				page.Members[i].OrgName = l
			}
		}
	}
	link := func(p int) string {
		v := url.Values{}
		for _, k := range []string{"q", "org", "status", "gender", "ethnicity", "age", "party_age", "as_of"} {
			if x := q.Get(k); x != "" {
				v.Set(k, x)
			}
		}
		if p > 1 {
			v.Set("page", strconv.Itoa(p))
		}
		return "/members?" + v.Encode()
	}
	data := struct {
		AsOf                time.Time
		ISO                 string
		Q, Org, Status, Sex string
		Eth, Age, PartyAge  string
		Bands, PartyBands   []dangvu.Band
		Ethnicities         []dangvu.Code[string]
		AsOfText            string
		Page                dangvu.MemberPage
		Capped              bool
		PageNo, Pages       int
		First, Last         int
		Prev, Next          string
		CanOrgs             bool // a member's account opens no organisation page
		CanAdd              bool // "Thêm đảng viên" (/members/new)
	}{CanOrgs: s.user(r) != nil && s.user(r).UserRole != dangvu.UserMember, CanAdd: s.can(r, dangvu.ActEditMembers), AsOf: asOf, ISO: dangvu.ISO(asOf), Q: q.Get("q"), Org: q.Get("org"), Status: q.Get("status"), Sex: q.Get("gender"),
		Eth: q.Get("ethnicity"), Age: q.Get("age"), PartyAge: q.Get("party_age"),
		Bands: dangvu.AgeBands, PartyBands: dangvu.PartyAgeBands, Ethnicities: dangvu.Ethnicities,
		AsOfText: q.Get("as_of"), Page: page, Capped: page.TotalCapped, PageNo: pg}
	if data.AsOfText == "" {
		data.AsOfText = vn.FormatDate(asOf)
	}
	total := page.Total // capped: the pager stops at the cap
	data.Pages = max((total+pageSize-1)/pageSize, 1)
	if len(page.Members) > 0 {
		data.First, data.Last = f.Offset+1, f.Offset+len(page.Members)
	}
	if pg > 1 {
		data.Prev = link(pg - 1)
	}
	if f.Offset+len(page.Members) < total {
		data.Next = link(pg + 1)
	}
	return s.render(w, r, http.StatusOK, "members.html", "Đảng viên", "members", data)
}

func (s *Server) memberPage(w http.ResponseWriter, r *http.Request) error {
	return s.memberView(w, r, false)
}

// memberView renders a member's record; sensitive fields are masked unless reveal is set, which
// the caller has logged.
func (s *Server) memberView(w http.ResponseWriter, r *http.Request, reveal bool) error {
	asOf, err := date(r, "as_of", s.viewDay(r, ""))
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	until, err := s.memberSeenUntil(r, id, asOf)
	if err != nil {
		return err
	}
	ctx := r.Context()
	m, err := s.Store.Member(ctx, id, asOf)
	if err != nil {
		return err
	}
	h, err := s.Store.MemberHistory(ctx, id)
	if err != nil {
		return err
	}
	left := ""
	if until != dangvu.Forever {
		// A member who has left the subtree since: the record as it was then, nothing to do.
		m, h, reveal, left = m.Then(until), h.Before(until), false, until.String()
	}
	// Names of the organisations a movement or post names, as of its date.
	names := map[string]string{}
	name := func(orgID, on string) {
		if orgID == "" {
			return
		}
		if _, ok := names[orgID]; ok {
			return
		}
		names[orgID] = orgID
		if t, err := dangvu.ParseISODate(on); err == nil {
			if o, err := s.Store.Org(ctx, orgID, t); err == nil {
				names[orgID] = o.Name
				return
			}
			// The move happened on the day the old organisation ended: name it as of the day before.
			if o, err := s.Store.Org(ctx, orgID, t.AddDate(0, 0, -1)); err == nil {
				names[orgID] = o.Name
			}
		}
	}
	for _, mv := range h.Movements {
		name(mv.FromOrgID, mv.Date.String())
		name(mv.ToOrgID, mv.Date.String())
	}
	for _, p := range h.Posts {
		name(p.OrgID, p.ValidFrom.String())
	}
	if !reveal {
		maskMember(&m)
	}
	// Organisations are linked only where the reader may open them (a member's account opens
	// none; staff do not open the former organisations outside their subtree).
	open := map[string]bool{}
	day := s.viewDay(r, "")
	for _, id := range append([]string{m.OrgID}, orgIDsOf(h)...) {
		if _, ok := open[id]; !ok && id != "" {
			open[id] = s.mayOpen(r, "/orgs/"+id, day)
		}
	}
	return s.render(w, r, http.StatusOK, "member.html", m.FullName, "members", struct {
		AsOf      time.Time
		M         dangvu.Member
		H         dangvu.MemberHistory
		OrgNames  map[string]string
		CanEdit   bool
		CanAudit  bool
		CanReveal bool
		Revealed  bool
		CSRF      string
		Left      string // ISO: the member has left the user's subtree on that day
		Open      map[string]bool
		CanActs   bool // life-cycle acts (/members/{id}/acts)
		Trail     crumbTrail
		CanFile   bool // the member's file (/members/{id}/file)
	}{asOf, m, h, names, s.can(r, dangvu.ActEditMembers) && left == "", s.can(r, dangvu.ActAudit) && left == "", s.can(r, dangvu.ActRevealSensitive) && !reveal && left == "", reveal, s.csrf(r), left, open, s.can(r, dangvu.ActAdmissions) && left == "", s.memberTrail(r, m, asOf),
		s.can(r, dangvu.ActReadMemberFiles)})
}

// can tells whether to offer a link; the route's action is enforced elsewhere.
func (s *Server) can(r *http.Request, a dangvu.Action) bool {
	u := s.user(r)
	return u == nil || u.UserRole.Can(a)
}

// memberForm is the edit form: the typed values and the error next to each field.
type memberForm struct {
	ID     string
	Name   string // the name as stored, for the title
	Values map[string]string
	Errors map[string]string
	Other  []dangvu.FieldError // errors on fields the form does not show
	CSRF   string
}

// formDates are the full dates of the form, typed dd/mm/yyyy and stored ISO.
var formDates = []string{"admitted_on", "full_on", "card_date"}

// formText are the plain text fields of the form (the ID number and phone are sensitive and
// are not shown here; revealing them is a separate step).
var formText = []string{"full_name", "other_names", "gender", "ethnicity", "religion", "hometown", "residence",
	"education", "qualification", "theory_level", "occupation", "position", "card_number", "note"}

func formFromMember(m dangvu.Member) memberForm {
	f := memberForm{ID: m.ID, Name: m.FullName, Values: map[string]string{}, Errors: map[string]string{}}
	for k, v := range memberFieldMap(&m) {
		f.Values[k] = *v
	}
	f.Values["birth_date"] = partialVN(m.BirthDate)
	for k, d := range memberDateMap(&m) {
		f.Values[k] = dateDMY(*d)
	}
	return f
}

// memberFieldMap are the record's text fields of the form (formText and the birth date, a
// partial date kept as text).
func memberFieldMap(m *dangvu.Member) map[string]*string {
	return map[string]*string{"full_name": &m.FullName, "other_names": &m.OtherNames, "gender": &m.Gender, "birth_date": &m.BirthDate,
		"ethnicity": &m.Ethnicity, "religion": &m.Religion, "hometown": &m.Hometown, "residence": &m.Residence,
		"education": &m.Education, "qualification": &m.Qualification, "theory_level": &m.TheoryLevel,
		"occupation": &m.Occupation, "position": &m.Position,
		"card_number": &m.CardNumber, "note": &m.Note}
}

// memberDateMap are the record's full dates of the form (formDates).
func memberDateMap(m *dangvu.Member) map[string]*dangvu.Date {
	return map[string]*dangvu.Date{"admitted_on": &m.AdmittedOn, "full_on": &m.FullOn, "card_date": &m.CardDate}
}

// readFormDates reads the form's full dates (typed dd/mm/yyyy) into m, an error for each bad one
// (whose field is left empty).
func readFormDates(m *dangvu.Member, form memberForm) {
	dates := memberDateMap(m)
	for _, k := range formDates {
		*dates[k] = dangvu.Date{}
		if v := form.Values[k]; v != "" {
			t, err := vn.ParseDate(v)
			if err != nil {
				form.Errors[k] = err.Error()
				continue
			}
			*dates[k] = dangvu.DateOf(t)
		}
	}
}

func (s *Server) memberEditPage(w http.ResponseWriter, r *http.Request) error {
	if err := s.checkMember(r, r.PathValue("id"), s.today()); err != nil {
		return err
	}
	m, err := s.Store.Member(r.Context(), r.PathValue("id"), s.today())
	if err != nil {
		return err
	}
	// The form shows the residence in clear, to be edited: a reveal, logged as one (the ID
	// number and phone are not on the form).
	if m.Residence != "" {
		if err := s.reveal(r, m.ID, "residence"); err != nil {
			return err
		}
	}
	form := formFromMember(m)
	form.CSRF = s.csrf(r)
	return s.render(w, r, http.StatusOK, "member_edit.html", "Sửa hồ sơ: "+m.FullName, "members", form)
}

func (s *Server) memberEditPost(w http.ResponseWriter, r *http.Request) error {
	if err := s.checkMember(r, r.PathValue("id"), s.today()); err != nil {
		return err
	}
	m, err := s.Store.Member(r.Context(), r.PathValue("id"), s.today())
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "Biểu mẫu không đọc được.")
	}
	form := memberForm{ID: m.ID, Name: m.FullName, Values: map[string]string{}, Errors: map[string]string{}, CSRF: s.csrf(r)}
	fields := memberFieldMap(&m)
	for _, k := range append(append([]string{"birth_date"}, formText...), formDates...) {
		v := strings.TrimSpace(r.PostForm.Get(k))
		form.Values[k] = v
		if k == "note" {
			form.Values[k] = strings.TrimSpace(strings.ReplaceAll(r.PostForm.Get(k), "\r\n", "\n"))
			v = form.Values[k]
		}
		if p, ok := fields[k]; ok {
			*p = v
		}
	}
	// Dates are typed the Vietnamese way and stored ISO (partial for the birth date).
	if p, err := vn.ParsePartialDate(form.Values["birth_date"]); err != nil {
		form.Errors["birth_date"] = err.Error()
	} else {
		m.BirthDate = p.String()
	}
	readFormDates(&m, form)
	if len(form.Errors) > 0 {
		// Still name every other problem at once: validate with the unreadable dates left out.
		for k := range form.Errors {
			if p, ok := fields[k]; ok {
				*p = ""
			}
		}
		err = store.ValidateMember(m)
	} else {
		_, err = s.Store.UpdateMember(r.Context(), s.actor(r), m)
	}
	other, err := placeErrors(err, form.Errors, inputsIn(form.Values))
	if err != nil {
		return err
	}
	form.Other = append(form.Other, other...)
	if len(form.Errors) > 0 || len(form.Other) > 0 {
		return s.render(w, r, http.StatusUnprocessableEntity, "member_edit.html", "Sửa hồ sơ: "+m.FullName, "members", form)
	}
	http.Redirect(w, r, "/members/"+url.PathEscape(m.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) actor(r *http.Request) string {
	if u := s.user(r); u != nil && u.Username != "" {
		return u.Username
	}
	return "ẩn danh"
}

// ---- audit ----

// fieldLabels names the fields of audited records in Vietnamese.
var fieldLabels = map[string]string{
	"full_name": "Họ và tên", "other_names": "Tên gọi khác", "gender": "Giới tính", "birth_date": "Ngày sinh",
	"ethnicity": "Dân tộc", "religion": "Tôn giáo", "hometown": "Quê quán", "residence": "Nơi ở hiện nay",
	"id_number": "Số CCCD/CMND", "phone": "Điện thoại", "education": "Giáo dục phổ thông", "qualification": "Chuyên môn, nghiệp vụ",
	"theory_level": "Lý luận chính trị", "occupation": "Nghề nghiệp", "position": "Chức vụ", "admitted_on": "Ngày vào Đảng",
	"full_on": "Ngày chính thức", "card_number": "Số thẻ đảng viên", "card_date": "Ngày cấp thẻ", "note": "Ghi chú",
	"username": "Tên đăng nhập", "role": "Vai trò", "org_id": "Tổ chức", "member_id": "Mã đảng viên", "disabled": "Đã khóa",
	"rows": "Số dòng", "source": "Nguồn", "checksum": "Mã kiểm tra",
	"ip": "Địa chỉ IP", "expires": "Hết hạn", "password": "Mật khẩu", "sessions": "Phiên đăng nhập", "token_name": "Tên mã truy cập", "reason": "Lý do",
}

var actionNames = map[string]string{"update": "Sửa", "create": "Thêm", "delete": "Xóa", "import": "Nhập dữ liệu", "reorganise": "Sắp xếp tổ chức",
	"set_password": "Đổi mật khẩu", "disable": "Khóa tài khoản", "login": "Đăng nhập", "logout": "Đăng xuất",
	"login_failed": "Đăng nhập sai", "login_refused": "Từ chối đăng nhập", "create_token": "Tạo mã truy cập",
	"move": "Chuyển tổ chức"}
var entityNames = map[string]string{"member": "Đảng viên", "org": "Tổ chức đảng", "organisation": "Tổ chức đảng", "dataset": "Dữ liệu",
	"reorganisation": "Sắp xếp tổ chức", "user": "Người dùng"}

type auditChange struct{ Field, Before, After string }

type auditRow struct {
	At, Actor, Action, Entity, EntityID, Link string
	Changes                                   []auditChange
	Created                                   bool   // no before values: show the values only
	Raw                                       string // when before/after are not field → value objects
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) error {
	entity, id := strings.TrimSpace(r.URL.Query().Get("entity")), strings.TrimSpace(r.URL.Query().Get("id"))
	before, err := intParam(r, "before", 0)
	if err != nil {
		return err
	}
	entries, err := s.Store.AuditPage(r.Context(), entity, id, int64(before), auditPageSize)
	if err != nil {
		return err
	}
	older := ""
	if len(entries) == auditPageSize {
		v := url.Values{"before": {strconv.FormatInt(entries[len(entries)-1].Seq, 10)}}
		if entity != "" {
			v.Set("entity", entity)
		}
		if id != "" {
			v.Set("id", id)
		}
		older = "/audit?" + v.Encode()
	}
	rows := make([]auditRow, 0, len(entries))
	for _, e := range entries {
		if !s.auditVisible(r, e) {
			continue
		}
		row := auditRow{At: e.At, Actor: e.Actor, Action: nameOr(actionNames, e.Action), Entity: nameOr(entityNames, e.Entity), EntityID: e.EntityID}
		if t, err := time.Parse(time.RFC3339Nano, e.At); err == nil {
			row.At = t.In(ict).Format("02/01/2006 15:04")
		}
		switch e.Entity {
		case "member":
			row.Link = "/members/" + url.PathEscape(e.EntityID)
		case "org", "organisation":
			row.Link = "/orgs/" + url.PathEscape(e.EntityID)
		}
		before, okB := jsonObject(e.Before)
		after, okA := jsonObject(e.After)
		if okB && okA {
			row.Created = len(before) == 0
			keys := map[string]bool{}
			for k := range before {
				keys[k] = true
			}
			for k := range after {
				keys[k] = true
			}
			sorted := make([]string, 0, len(keys))
			for k := range keys {
				sorted = append(sorted, k)
			}
			sort.Strings(sorted)
			for _, k := range sorted {
				row.Changes = append(row.Changes, auditChange{nameOr(fieldLabels, k), auditValue(k, before[k]), auditValue(k, after[k])})
			}
		} else {
			row.Raw = strings.TrimSpace(e.Before + " " + e.After)
		}
		rows = append(rows, row)
	}
	return s.render(w, r, http.StatusOK, "audit.html", "Nhật ký thay đổi", "audit", struct {
		Entity, ID string
		Rows       []auditRow
		Older      string
		Newest     bool
	}{entity, id, rows, older, before == 0})
}

// auditPageSize is how many entries a page of the audit trail reads.
const auditPageSize = 200

// auditVisible hides, from users who do not see the whole tree, entries about members and
// organisations outside their subtree and about users.
func (s *Server) auditVisible(r *http.Request, e store.AuditEntry) bool {
	if wholeTree(s.user(r)) {
		return true
	}
	switch e.Entity {
	case "member":
		return s.checkMember(r, e.EntityID, s.today()) == nil
	case "org", "organisation":
		return s.checkOrg(r, e.EntityID, s.today()) == nil
	case "user":
		return false
	case "dataset", "reorganisation":
		return true
	}
	if visible := wired().auditScopes[e.Entity]; visible != nil {
		return visible(s, r, e.EntityID)
	}
	// A domain's entities are checked by its object scope (entity "document" by the rule of
	// …/documents/{id}); entries of entities without one are for the whole tree only.
	for _, seg := range []string{e.Entity, e.Entity + "s"} {
		if check := objectScope(seg); check != nil {
			return check(s, r, e.EntityID, s.today()) == nil
		}
	}
	return false
}

func nameOr(names map[string]string, k string) string {
	if n, ok := names[k]; ok {
		return n
	}
	return k
}

// jsonObject decodes a before/after value; an empty value is an empty object.
func jsonObject(s string) (map[string]any, bool) {
	if strings.TrimSpace(s) == "" {
		return map[string]any{}, true
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, false
	}
	return m, true
}

// auditValue shows a logged value: dates the Vietnamese way, identity numbers masked.
func auditValue(field string, v any) string {
	if v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		switch x := v.(type) {
		case bool: // e.g. whether an account is locked
			if x {
				return "Có"
			}
			return "Không"
		case float64:
			if x == float64(int64(x)) {
				return vn.FormatInt(int64(x))
			}
		case map[string]any: // e.g. the row counts of an import
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			parts := make([]string, len(keys))
			for i, k := range keys {
				parts[i] = k + ": " + auditValue(k, x[k])
			}
			return strings.Join(parts, "; ")
		}
		b, _ := json.Marshal(v)
		return string(b)
	}
	switch field {
	case "birth_date":
		return partialVN(s)
	case "admitted_on", "full_on", "card_date", "valid_from", "valid_to", "date":
		if t, err := dangvu.ParseISODate(s); err == nil {
			return vn.FormatDate(t)
		}
	case "id_number", "phone", "residence":
		// Stored masked (store.UpdateMember); entries written before that are masked here.
		return store.MaskSensitive(field, s)
	case "gender":
		return genderName(s)
	case "role":
		return dangvu.CodeName(dangvu.UserRoles, dangvu.UserRole(s))
	case "expires": // a session's end, a moment in UTC
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t.In(ict).Format("02/01/2006 15:04")
		}
	}
	return s
}
