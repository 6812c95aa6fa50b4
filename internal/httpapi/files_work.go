package httpapi

// The yearly supplement, the badge proposal list and the party cards on the web
// (docs/member-files.md). The supplement: the grassroots committee opens a year; the member
// (self-service, /supplements/mine) or the cell enters the year's changes; the cell checks; the
// grassroots committee certifies, and the record changes from that day.

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/rules/badges"
	"dangvu/internal/vn"
)

func fileWorkRoutes() []route {
	page := func(p, sum string, h func(*Server, http.ResponseWriter, *http.Request) error, params []string, a dangvu.Action) route {
		return route{p, htmlPage(h), sum, params, false, a}
	}
	return []route{
		page("GET /supplements", "Bổ sung hồ sơ đảng viên hằng năm: tiến độ từng chi bộ (đảng ủy), phiếu của từng đảng viên (chi bộ)", (*Server).supplementsPage, []string{"org", "year"}, dangvu.ActReadMemberFiles),
		page("POST /supplements", "Cấp ủy cơ sở mở đợt bổ sung hồ sơ của một năm", (*Server).supplementsOpenPost, nil, dangvu.ActMemberFiles),
		page("GET /supplements/mine", "Phiếu bổ sung hồ sơ đảng viên của tôi: khai những thay đổi trong năm", (*Server).mySupplementPage, nil, dangvu.ActSelfService),
		page("POST /supplements/mine", "Đảng viên tự khai phiếu bổ sung hồ sơ", (*Server).mySupplementPost, nil, dangvu.ActSelfService),
		page("GET /supplements/{id}", "Một phiếu bổ sung hồ sơ: khai, chi bộ kiểm tra, cấp ủy cơ sở xác nhận", (*Server).supplementPage, nil, dangvu.ActReadMemberFiles),
		page("POST /supplements/{id}", "Một bước của phiếu bổ sung hồ sơ (khai, kiểm tra, xác nhận)", (*Server).supplementPost, nil, dangvu.ActMemberFiles),
		page("GET /badges", "Huy hiệu Đảng: danh sách đề nghị (mẫu 4-HHĐ) của một đợt trao, ghi quyết định và ngày trao", (*Server).badgesPage, []string{"org", "ceremony"}, dangvu.ActReadMemberFiles),
		page("POST /badges", "Ghi quyết định tặng Huy hiệu Đảng cho các đảng viên được chọn", (*Server).badgesPost, nil, dangvu.ActMemberFiles),
		{"GET /badges/list", (*Server).badgesPrint, "Danh sách đề nghị tặng Huy hiệu Đảng (mẫu 4-HHĐ), để in (A4 ngang)", []string{"org", "ceremony"}, false, dangvu.ActReadMemberFiles},
		page("GET /cards", "Thẻ đảng viên: phát thẻ, đổi thẻ năm 2025, mất và cấp lại, thu hồi", (*Server).cardsPage, []string{"org", "q"}, dangvu.ActReadMemberFiles),
		page("POST /cards", "Ghi phát, đổi hoặc cấp lại thẻ đảng viên", (*Server).cardsPost, nil, dangvu.ActMemberFiles),
		page("POST /cards/{id}/end", "Ghi thẻ đảng viên hết hiệu lực: mất thẻ, thu hồi, từ trần", (*Server).cardEndPost, nil, dangvu.ActMemberFiles),
	}
}

func fileWorkScopes(m *module) {
	m.objectScopes["cards"] = func(s *Server, r *http.Request, id string, asOf time.Time) error {
		c, err := s.Store.CardByID(r.Context(), id)
		if err != nil {
			return err
		}
		if _, err := s.memberSeenUntil(r, c.MemberID, asOf); err != nil {
			return dangvu.Errorf(dangvu.ENotFound, "không có thẻ đảng viên mã %q", id)
		}
		return nil
	}
	m.objectScopes["scans"] = func(s *Server, r *http.Request, id string, asOf time.Time) error {
		member, err := s.Store.FileDocumentMember(r.Context(), id)
		if err != nil {
			return err
		}
		if _, err := s.memberSeenUntil(r, member, asOf); err != nil {
			return dangvu.Errorf(dangvu.ENotFound, "không có tài liệu hồ sơ mã %q", id)
		}
		return nil
	}
	// The audit log shows a scan's download and a package's to the readers of the member's or the
	// organisation's subtree.
	m.auditScopes["file_document"] = func(s *Server, r *http.Request, id string) bool {
		member, err := s.Store.FileDocumentMember(r.Context(), id)
		return err == nil && s.checkMember(r, member, s.today()) == nil
	}
	m.auditScopes["files_package"] = func(s *Server, r *http.Request, id string) bool { return s.checkOrg(r, id, s.viewDay(r, id)) == nil }
	entityNames["files_package"] = "Gói hồ sơ số hóa (CV 1361)"
	actionNames["download"] = "Tải về"
	m.nav = append(m.nav, navItem{"my-supplement", "/supplements/mine", "Bổ sung hồ sơ của tôi", string(dangvu.ActSelfService)})
}

// ---- the yearly supplement ----

// supplementCell is a cell's progress in a year's supplement.
type supplementCell struct {
	OrgID, OrgName string
	Total          int
	ByStatus       map[string]int
	Overdue        bool
}

type supplementsData struct {
	Org       dangvu.Org
	IsCell    bool
	Year      int
	Years     []int
	Due       string // ISO: certified by then (office practice)
	Overdue   bool
	Cells     []supplementCell
	Total     supplementCell
	List      []dangvu.Supplement
	CanOpen   bool
	CanWrite  bool
	CSRF      string
	Form      *formState
	Statuses  []dangvu.Code[string]
	OpenCount int
}

// supplementDue is the day a year's supplements should be certified by: 31 March of the next
// year (this office's practice, UNCONFIRMED; the attention items use the same day).
func supplementDue(year int) string { return fmt.Sprintf("%04d-03-31", year+1) }

func (s *Server) supplementsData(r *http.Request) (*supplementsData, error) {
	o, day, err := s.subtreeOrg(r)
	if err != nil {
		return nil, err
	}
	year := s.today().Year()
	if v := strings.TrimSpace(r.URL.Query().Get("year")); v != "" {
		if year, err = strconv.Atoi(v); err != nil {
			return nil, &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: "year", Reason: "cần năm, ví dụ 2026"}}}
		}
	}
	d := &supplementsData{Org: o, IsCell: o.Level.IsCell(), Year: year, Due: supplementDue(year), CSRF: s.csrf(r), Statuses: dangvu.SupplementStatuses,
		Form:     &formState{Values: map[string]string{"year": strconv.Itoa(year)}, Errors: map[string]string{}},
		CanWrite: s.may(r)(dangvu.ActMemberFiles)}
	d.Overdue = dangvu.ISO(s.today()) > d.Due
	// The committee opens the year for its subtree of today (an organisation ended since opens none).
	d.CanOpen = d.CanWrite && (!o.Level.IsCell() || o.Level == dangvu.LevelGrassrootsCell) && s.checkOrg(r, o.ID, s.today()) == nil
	for y := s.today().Year(); y >= s.today().Year()-3; y-- {
		d.Years = append(d.Years, y)
	}
	xs, err := s.Store.Supplements(r.Context(), o.ID, year, day)
	if err != nil {
		return nil, err
	}
	cells := map[string]*supplementCell{}
	var order []string
	d.Total = supplementCell{OrgID: o.ID, OrgName: o.Name, ByStatus: map[string]int{}}
	for _, x := range xs {
		c := cells[x.OrgID]
		if c == nil {
			c = &supplementCell{OrgID: x.OrgID, OrgName: s.orgOn(r, x.OrgID, day).Name, ByStatus: map[string]int{}}
			if c.OrgName == "" {
				c.OrgName = x.OrgID
			}
			cells[x.OrgID] = c
			order = append(order, x.OrgID)
		}
		for _, t := range []*supplementCell{c, &d.Total} {
			t.Total++
			t.ByStatus[x.Status]++
		}
	}
	names := map[string]string{}
	for id, c := range cells {
		names[id] = c.OrgName
	}
	for id, n := range s.distinctNames(r, names, day) { // two "Chi bộ khu 1" after a merger
		cells[id].OrgName = n
	}
	for _, id := range order {
		c := cells[id]
		c.Overdue = d.Overdue && c.ByStatus[dangvu.SupplementCertified] < c.Total
		d.Cells = append(d.Cells, *c)
	}
	slices.SortStableFunc(d.Cells, func(a, b supplementCell) int { return vn.CompareNames(a.OrgName, b.OrgName) })
	if d.IsCell {
		d.List = xs
	}
	return d, nil
}

func (s *Server) supplementsPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.supplementsData(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "supplements.html", "Bổ sung hồ sơ đảng viên năm "+strconv.Itoa(d.Year)+": "+d.Org.Name, "files", d)
}

func (s *Server) supplementsOpenPost(w http.ResponseWriter, r *http.Request) error {
	f := newForm(r, "org_id", "year")
	if err := s.checkWrite(r, f.Values["org_id"], dangvu.DateOf(s.today())); err != nil {
		return err
	}
	year, err := strconv.Atoi(f.Values["year"])
	if err != nil {
		f.Errors["year"] = "cần năm, ví dụ 2026"
	}
	n := 0
	if !f.failed() {
		var err error
		n, err = s.Store.OpenSupplements(r.Context(), s.actor(r), f.Values["org_id"], year, s.today())
		if err := f.absorbAs(err, map[string]string{"year": "year"}); err != nil {
			return err
		}
	}
	if f.failed() {
		r.URL.RawQuery = url.Values{"org": {f.Values["org_id"]}, "year": {f.Values["year"]}}.Encode()
		d, err := s.supplementsData(r)
		if err != nil {
			return err
		}
		d.Form = f
		return s.render(w, r, http.StatusUnprocessableEntity, "supplements.html", "Bổ sung hồ sơ đảng viên", "files", d)
	}
	http.Redirect(w, r, fmt.Sprintf("/supplements?org=%s&year=%d&opened=%d", url.QueryEscape(f.Values["org_id"]), year, n), http.StatusSeeOther)
	return nil
}

type supplementData struct {
	X          dangvu.Supplement
	Fields     []dangvu.Code[string]
	Theories   [][2]string
	Current    map[string]string // the record's values today, beside the changes
	CanEnter   bool
	CanCheck   bool
	CanCertify bool
	Mine       bool // the member's own page (self-service)
	Action     string
	CSRF       string
	Form       *formState
	Others     []dangvu.Supplement // the member's other years (own page)
}

// supplementForm is a supplement's changes as form values (field code → text).
func supplementForm(x dangvu.Supplement) *formState {
	f := &formState{Values: map[string]string{}, Errors: map[string]string{}}
	for _, c := range dangvu.SupplementFields {
		f.Values[c.Code] = x.Changes[c.Code]
	}
	return f
}

// mayCertify says whether the reader may certify a supplement: the grassroots committee, not the
// cell that checked it (a grassroots cell is its own committee).
func (s *Server) mayCertify(r *http.Request, x dangvu.Supplement) bool {
	u := s.user(r)
	if u == nil || !u.UserRole.Can(dangvu.ActMemberFiles) {
		return false
	}
	if wholeTree(u) || u.OrgID != x.OrgID {
		return true
	}
	o, err := s.Store.Org(r.Context(), x.OrgID, s.today())
	return err == nil && o.Level == dangvu.LevelGrassrootsCell
}

func (s *Server) supplementData(r *http.Request, x dangvu.Supplement, mine bool) (*supplementData, error) {
	d := &supplementData{X: x, Fields: dangvu.SupplementFields, Theories: codeOptions(dangvu.TheoryLevels), CSRF: s.csrf(r), Form: supplementForm(x), Mine: mine,
		Current: map[string]string{}, Action: "/supplements/" + url.PathEscape(x.ID)}
	if mine {
		d.Action = "/supplements/mine"
	}
	m, err := s.Store.Member(r.Context(), x.MemberID, s.today())
	if err != nil {
		return nil, err
	}
	det, err := s.Store.MemberDetailsOn(r.Context(), x.MemberID, s.today())
	if err != nil {
		return nil, err
	}
	d.Current = map[string]string{"occupation": m.Occupation, "position": m.Position, "education": m.Education, "qualification": m.Qualification,
		"theory_level": dangvu.CodeName(dangvu.TheoryLevels, m.TheoryLevel), "foreign_languages": det.ForeignLanguages, "awards": det.Awards}
	write := mine || s.may(r)(dangvu.ActMemberFiles)
	d.CanEnter = write && (x.Status == dangvu.SupplementOpen || x.Status == dangvu.SupplementEntered)
	if !mine {
		d.CanCheck = write && x.Status == dangvu.SupplementEntered
		d.CanCertify = x.Status == dangvu.SupplementChecked && s.mayCertify(r, x)
	}
	return d, nil
}

func (s *Server) supplementPage(w http.ResponseWriter, r *http.Request) error {
	x, err := s.Store.Supplement(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	d, err := s.supplementData(r, x, false)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "supplement.html", fmt.Sprintf("Phiếu bổ sung hồ sơ năm %d: %s", x.Year, x.FullName), "files", d)
}

// changesOf reads the changes typed in a supplement's form.
func changesOf(f *formState) map[string]string {
	out := map[string]string{}
	for _, c := range dangvu.SupplementFields {
		if v := f.Values[c.Code]; v != "" {
			out[c.Code] = v
		}
	}
	return out
}

func supplementFieldNames() []string {
	var ns []string
	for _, c := range dangvu.SupplementFields {
		ns = append(ns, c.Code)
	}
	return ns
}

func (s *Server) supplementPost(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	x, err := s.Store.Supplement(r.Context(), id)
	if err != nil {
		return err
	}
	f := newForm(r, append(supplementFieldNames(), "action")...)
	action := f.Values["action"]
	delete(f.Values, "action")
	switch action {
	case "enter":
		// The cell enters for its member: the reader's own cell, when the reader is a cell's.
		cell := ""
		if u := s.user(r); u != nil && !wholeTree(u) && u.OrgID != x.OrgID {
			if o, err := s.Store.Org(r.Context(), u.OrgID, s.today()); err == nil && o.Level.IsCell() {
				cell = u.OrgID
			}
		}
		_, err = s.Store.EnterSupplement(r.Context(), s.actor(r), id, cell, changesOf(f))
	case "check":
		_, err = s.Store.AdvanceSupplement(r.Context(), s.actor(r), id, dangvu.SupplementChecked)
	case "certify":
		if !s.mayCertify(r, x) {
			return dangvu.Errorf(dangvu.EForbidden, "Cấp ủy cơ sở xác nhận phiếu bổ sung; chi bộ đã kiểm tra không tự xác nhận.")
		}
		_, err = s.Store.AdvanceSupplement(r.Context(), s.actor(r), id, dangvu.SupplementCertified)
	default:
		err = &dangvu.Error{Code: dangvu.EInvalid, Message: "Bước không hợp lệ.", Fields: []dangvu.FieldError{{Field: "action", Reason: "chọn khai, kiểm tra hoặc xác nhận"}}}
	}
	if err := f.absorb(err); err != nil {
		return err
	}
	if f.failed() {
		d, err := s.supplementData(r, x, false)
		if err != nil {
			return err
		}
		d.Form.Errors, d.Form.Other = f.Errors, f.Other
		if action == "enter" {
			d.Form.Values = f.Values
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "supplement.html", fmt.Sprintf("Phiếu bổ sung hồ sơ năm %d: %s", x.Year, x.FullName), "files", d)
	}
	http.Redirect(w, r, "/supplements/"+url.PathEscape(id), http.StatusSeeOther)
	return nil
}

// mySupplement is the reader's own supplement to enter: the latest year's.
func (s *Server) mySupplement(r *http.Request) (*dangvu.Supplement, []dangvu.Supplement, error) {
	u := s.user(r)
	if u == nil || u.MemberID == "" {
		return nil, nil, nil
	}
	xs, err := s.Store.MemberSupplements(r.Context(), u.MemberID)
	if err != nil || len(xs) == 0 {
		return nil, nil, err
	}
	return &xs[0], xs[1:], nil
}

func (s *Server) mySupplementPage(w http.ResponseWriter, r *http.Request) error {
	x, others, err := s.mySupplement(r)
	if err != nil {
		return err
	}
	if x == nil {
		return s.render(w, r, http.StatusOK, "supplement.html", "Phiếu bổ sung hồ sơ của tôi", "my-supplement", &supplementData{Mine: true})
	}
	d, err := s.supplementData(r, *x, true)
	if err != nil {
		return err
	}
	d.Others = others
	return s.render(w, r, http.StatusOK, "supplement.html", fmt.Sprintf("Phiếu bổ sung hồ sơ năm %d của tôi", x.Year), "my-supplement", d)
}

func (s *Server) mySupplementPost(w http.ResponseWriter, r *http.Request) error {
	x, others, err := s.mySupplement(r)
	if err != nil {
		return err
	}
	if x == nil {
		return dangvu.Errorf(dangvu.ENotFound, "Chưa có đợt bổ sung hồ sơ nào mở cho bạn.")
	}
	f := newForm(r, supplementFieldNames()...)
	_, err = s.Store.EnterSupplement(r.Context(), s.actor(r), x.ID, "", changesOf(f))
	if err := f.absorb(err); err != nil {
		return err
	}
	if f.failed() {
		d, err := s.supplementData(r, *x, true)
		if err != nil {
			return err
		}
		d.Others, d.Form = others, f
		return s.render(w, r, http.StatusUnprocessableEntity, "supplement.html", fmt.Sprintf("Phiếu bổ sung hồ sơ năm %d của tôi", x.Year), "my-supplement", d)
	}
	http.Redirect(w, r, "/supplements/mine", http.StatusSeeOther)
	return nil
}

// ---- badges ----

type badgesData struct {
	Org        dangvu.Org
	Ceremony   time.Time
	Prev, Next time.Time
	Candidates []dangvu.BadgeCandidate
	Awarded    []dangvu.Badge
	Rules      badges.Set
	CanWrite   bool
	CSRF       string
	Form       *formState
	Chosen     map[string]bool
}

// ceremonyParam reads ceremony= (a ceremony date; another day means the next ceremony from it),
// the next ceremony from the reader's day by default.
func (s *Server) ceremonyParam(r *http.Request, day time.Time) (time.Time, error) {
	c := badges.NextCeremony(day)
	if v := strings.TrimSpace(r.URL.Query().Get("ceremony")); v != "" {
		t, err := vn.ParseDate(v)
		if err != nil {
			return c, &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: "ceremony", Reason: err.Error()}}}
		}
		c = t
		if !badges.IsCeremony(t) {
			c = badges.NextCeremony(t)
		}
	}
	return c, nil
}

func (s *Server) badgesData(r *http.Request) (*badgesData, error) {
	o, day, err := s.subtreeOrg(r)
	if err != nil {
		return nil, err
	}
	c, err := s.ceremonyParam(r, day)
	if err != nil {
		return nil, err
	}
	d := &badgesData{Org: o, Ceremony: c, Prev: badges.PrevCeremony(c), Next: badges.NextCeremony(c.AddDate(0, 0, 1)), Rules: badges.For(c),
		CanWrite: s.may(r)(dangvu.ActMemberFiles), CSRF: s.csrf(r), Chosen: map[string]bool{},
		Form: &formState{Values: map[string]string{}, Errors: map[string]string{}}}
	// The list is the subtree's as it stands on the ceremony day, or on the reader's day when
	// the organisation has ended by then.
	org := o.ID
	if d.Candidates, err = s.Store.BadgeCandidates(r.Context(), org, c); err != nil {
		if dangvu.ErrorCode(err) != dangvu.ENotFound {
			return nil, err
		}
		d.Candidates = nil
	}
	if d.Awarded, err = s.Store.BadgesAt(r.Context(), org, c); err != nil && dangvu.ErrorCode(err) != dangvu.ENotFound {
		return nil, err
	}
	return d, nil
}

func (s *Server) badgesPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.badgesData(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "badges.html", "Huy hiệu Đảng đợt "+vn.FormatDate(d.Ceremony)+": "+d.Org.Name, "files", d)
}

// badgesPost records the decision for the members ticked on the proposal list.
func (s *Server) badgesPost(w http.ResponseWriter, r *http.Request) error {
	f := newForm(r, "org_id", "ceremony", "decision", "decided_on", "presented_on", "note")
	cer, decided, presented := f.date("ceremony"), f.date("decided_on"), f.date("presented_on")
	members := r.PostForm["member"]
	if len(members) == 0 {
		f.Other = append(f.Other, dangvu.FieldError{Field: "member", Reason: "chọn ít nhất một đảng viên trong danh sách"})
	}
	if f.Values["decision"] == "" && presented.IsZero() {
		f.Errors["decision"] = "ghi số quyết định (hoặc ngày trao)"
	}
	var refs []ref
	for _, id := range members {
		refs = append(refs, memberRef(id))
	}
	if err := s.checkRefs(r, append(refs, orgRef(f.Values["org_id"]))...); err != nil {
		return err
	}
	chosen := map[string]bool{}
	if !f.failed() {
		for i, id := range members {
			chosen[id] = true
			n, _ := strconv.Atoi(r.PostFormValue("milestone_" + id))
			b := dangvu.Badge{MemberID: id, OrgID: f.Values["org_id"], Milestone: n, Kind: r.PostFormValue("kind_" + id), Ceremony: cer,
				Decision: f.Values["decision"], DecidedOn: decided, PresentedOn: presented, Note: f.Values["note"]}
			if _, err := s.Store.SaveBadge(r.Context(), s.actor(r), b); err != nil {
				var fe []dangvu.FieldError
				if e, ok := err.(*dangvu.Error); ok && e.Code == dangvu.EInvalid {
					for _, x := range e.Fields {
						x.Row = i + 1
						x.Reason = r.PostFormValue("name_"+id) + ": " + x.Reason
						fe = append(fe, x)
					}
					if len(fe) == 0 {
						fe = append(fe, dangvu.FieldError{Row: i + 1, Reason: r.PostFormValue("name_"+id) + ": " + e.Message})
					}
					f.Other = append(f.Other, fe...)
					continue
				}
				return err
			}
			delete(chosen, id)
		}
	}
	if f.failed() {
		r.URL.RawQuery = url.Values{"org": {f.Values["org_id"]}, "ceremony": {cer.String()}}.Encode()
		d, err := s.badgesData(r)
		if err != nil {
			return err
		}
		d.Form, d.Chosen = f, chosen
		return s.render(w, r, http.StatusUnprocessableEntity, "badges.html", "Huy hiệu Đảng đợt "+vn.FormatDate(d.Ceremony)+": "+d.Org.Name, "files", d)
	}
	http.Redirect(w, r, "/badges?org="+url.QueryEscape(f.Values["org_id"])+"&ceremony="+cer.String(), http.StatusSeeOther)
	return nil
}

// badgesPrint is the proposal list 4-HHĐ of a ceremony, to print.
func (s *Server) badgesPrint(w http.ResponseWriter, r *http.Request) error {
	d, err := s.badgesData(r)
	if err != nil {
		return err
	}
	parent := s.orgOn(r, d.Org.ParentID, s.viewDay(r, d.Org.ParentID))
	head := printHead{Superior: upperName(parent.Name), Issuer: upperName(d.Org.Name), PlaceDate: placeDate("", "")}
	if parent.Name == "" {
		head.Superior = ""
	}
	return s.renderPrint(w, "badges_list.html", printView{Title: "Danh sách đề nghị tặng Huy hiệu Đảng (mẫu 4-HHĐ)", Back: "/badges?org=" + url.QueryEscape(d.Org.ID) + "&ceremony=" + dangvu.ISO(d.Ceremony),
		BackLabel: "Về danh sách", Head: head, Data: d})
}

// ---- cards ----

type cardsData struct {
	Org      dangvu.Org
	AsOf     time.Time
	Query    string
	Cards    []dangvu.Card
	Shown    int
	InUse    int
	IDCards  int // in use bearing the personal number
	Exchange int // exchanges of 2025 (CT 51-CT/TW)
	Ended    map[string]int
	CanWrite bool
	CSRF     string
	Form     *formState
	EndForm  *formState
	Kinds    [][2]string
	Ends     [][2]string
}

// EndErrors are the errors of a card's refused ending, beside its line's inputs.
func (d cardsData) EndErrors(card string) map[string]string {
	if d.EndForm == nil || d.EndForm.Values["card"] != card {
		return nil
	}
	return d.EndForm.Errors
}

const maxCards = 200

func (s *Server) cardsData(r *http.Request) (*cardsData, error) {
	o, day, err := s.subtreeOrg(r)
	if err != nil {
		return nil, err
	}
	d := &cardsData{Org: o, AsOf: day, Query: strings.TrimSpace(r.URL.Query().Get("q")), Ended: map[string]int{}, CanWrite: s.may(r)(dangvu.ActMemberFiles), CSRF: s.csrf(r),
		Form:    &formState{Values: map[string]string{"kind": "issue"}, Errors: map[string]string{}},
		EndForm: &formState{Values: map[string]string{}, Errors: map[string]string{}},
		Kinds:   codeOptions(dangvu.CardKinds)[1:], Ends: codeOptions(dangvu.CardEnds)[1:]}
	all, err := s.Store.Cards(r.Context(), o.ID, day)
	if err != nil {
		return nil, err
	}
	q := vn.Fold(d.Query)
	for i := len(all) - 1; i >= 0; i-- { // the latest first
		c := all[i]
		if c.EndedOn.IsZero() {
			d.InUse++
			if len(c.Number) == 12 {
				d.IDCards++
			}
		} else {
			d.Ended[c.EndReason]++
		}
		if c.Kind == "exchange" && c.IssuedOn.Year() == 2025 {
			d.Exchange++
		}
		if q != "" && !strings.Contains(vn.Fold(c.FullName), q) && !strings.Contains(c.Number, d.Query) {
			continue
		}
		d.Shown++
		if len(d.Cards) < maxCards {
			d.Cards = append(d.Cards, c)
		}
	}
	return d, nil
}

func (s *Server) cardsPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.cardsData(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "cards.html", "Thẻ đảng viên: "+d.Org.Name, "files", d)
}

func (s *Server) cardsPost(w http.ResponseWriter, r *http.Request) error {
	f := newForm(r, "org_id", "member_id", "number", "kind", "issued_on", "decision", "note")
	if err := s.checkRefs(r, orgRef(f.Values["org_id"])); err != nil {
		return err
	}
	c := dangvu.Card{Number: f.Values["number"], Kind: f.Values["kind"], IssuedOn: f.date("issued_on"), Decision: f.Values["decision"], Note: f.Values["note"]}
	if err := s.pickMember(r, f, "member_id", s.today()); err != nil {
		return err
	}
	if c.MemberID = f.Values["member_id"]; f.Errors["member_id"] != "" {
		c.MemberID = ""
	}
	if c.MemberID != "" {
		if err := s.checkRefs(r, memberRef(c.MemberID)); err != nil {
			return err
		}
	}
	var out dangvu.Card
	var err error
	if !f.failed() {
		out, err = s.Store.SaveCard(r.Context(), s.actor(r), c)
		inputs := map[string]string{"card_number": "number", "number": "number", "member_id": "member_id", "kind": "kind", "issued_on": "issued_on", "decision": "decision", "note": "note"}
		if err := f.absorbAs(err, inputs); err != nil {
			return err
		}
	}
	if f.failed() {
		r.URL.RawQuery = url.Values{"org": {f.Values["org_id"]}}.Encode()
		d, err := s.cardsData(r)
		if err != nil {
			return err
		}
		d.Form = f
		return s.render(w, r, http.StatusUnprocessableEntity, "cards.html", "Thẻ đảng viên: "+d.Org.Name, "files", d)
	}
	http.Redirect(w, r, "/cards?org="+url.QueryEscape(f.Values["org_id"])+"&q="+url.QueryEscape(out.Number), http.StatusSeeOther)
	return nil
}

func (s *Server) cardEndPost(w http.ResponseWriter, r *http.Request) error {
	f := newForm(r, "org_id", "ended_on", "end_reason")
	if err := s.checkRefs(r, orgRef(f.Values["org_id"])); err != nil {
		return err
	}
	on := f.date("ended_on").String()
	id := r.PathValue("id")
	if !f.failed() {
		if err := f.absorbAs(s.Store.EndCard(r.Context(), s.actor(r), id, on, f.Values["end_reason"]), map[string]string{"ended_on": "ended_on", "end_reason": "end_reason"}); err != nil {
			return err
		}
	}
	if f.failed() {
		r.URL.RawQuery = url.Values{"org": {f.Values["org_id"]}}.Encode()
		d, err := s.cardsData(r)
		if err != nil {
			return err
		}
		d.EndForm = f
		d.EndForm.Values["card"] = id
		return s.render(w, r, http.StatusUnprocessableEntity, "cards.html", "Thẻ đảng viên: "+d.Org.Name, "files", d)
	}
	http.Redirect(w, r, "/cards?org="+url.QueryEscape(f.Values["org_id"]), http.StatusSeeOther)
	return nil
}
