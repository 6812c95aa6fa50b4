package httpapi

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/rules/meetings"
	"dangvu/internal/store"
	"dangvu/internal/vn"
)

// The cells' meeting register and the residence liaison (docs/meetings.md): the API, the cell's
// register and the ward's month, a meeting with its attendance by exception and its minutes,
// the printable minutes and resolution, a member's next meeting, the residence register.

func meetingsModule(m *module) {
	m.routes = append(m.routes, meetingRoutes)
	m.api = meetingAPI
	m.nav = append(m.nav, navItem{"meetings", "/meetings", "Sinh hoạt chi bộ", string(dangvu.ActReports)},
		navItem{"meetings-quality", "/meetings/quality", "Đánh giá chất lượng sinh hoạt chi bộ", string(dangvu.ActMeetings)},
		navItem{"next-meeting", "/meetings/next", "Cuộc họp chi bộ sắp tới", string(dangvu.ActSelfService)})
	m.objectScopes["meetings"] = func(s *Server, r *http.Request, id string, _ time.Time) error {
		mt, err := s.Store.Meeting(r.Context(), id)
		if err != nil {
			return err
		}
		if u := s.user(r); u != nil && u.UserRole == dangvu.UserMember {
			// A member's account reads its cell's next meeting and last resolution on
			// /meetings/next, not the register: refused within its subtree, unknown outside.
			as := *u
			as.UserRole = dangvu.UserSecretary
			day, _ := dangvu.ParseISODate(meetingDayOf(mt))
			if ok, err := s.Store.InScope(r.Context(), as, mt.OrgID, day); err != nil || !ok {
				return dangvu.Errorf(dangvu.ENotFound, "không có cuộc họp mã %q", id)
			}
			return dangvu.Errorf(dangvu.EForbidden, "tài khoản đảng viên không xem sổ sinh hoạt chi bộ")
		}
		return s.hideOutside(r, mt.OrgID, meetingDayOf(mt), fmt.Sprintf("không có cuộc họp mã %q", id))
	}
	m.objectScopes["meeting"] = m.objectScopes["meetings"]
	m.objectScopes["residence"] = func(s *Server, r *http.Request, id string, _ time.Time) error {
		cell, from, err := s.Store.ResidenceLinkCell(r.Context(), id)
		if err != nil {
			return err
		}
		return s.hideOutside(r, cell, from, fmt.Sprintf("không có đăng ký nơi cư trú mã %q", id))
	}
	m.objectScopes["residence_link"] = m.objectScopes["residence"]
	entityNames["meeting"], entityNames["residence_link"] = "Cuộc họp chi bộ", "Đăng ký sinh hoạt nơi cư trú"
	actionNames["attendance"], actionNames["minutes"], actionNames["review_quality"], actionNames["comment"], actionNames["hold"] =
		"Điểm danh", "Biên bản, nghị quyết", "Đánh giá chất lượng", "Nhận xét", "Ghi đã họp"
	m.funcs["meetingKind"] = func(k dangvu.MeetingKind) string { return dangvu.CodeName(dangvu.MeetingKinds, k) }
	m.funcs["meetingKindOptions"] = func() [][2]string {
		return [][2]string{{string(dangvu.MeetingRegular), "Sinh hoạt thường kỳ"}, {string(dangvu.MeetingThematic), "Sinh hoạt chuyên đề"}}
	}
	m.funcs["meetingStatus"] = func(k dangvu.MeetingStatus) string { return dangvu.CodeName(dangvu.MeetingStatuses, k) }
	m.funcs["attendMark"] = func(k string) string { return dangvu.CodeName(dangvu.AttendMarks, k) }
	m.funcs["attendMarks"] = func() []dangvu.Code[string] { return dangvu.AttendMarks }
	m.funcs["bandName"] = func(b string) string {
		if b == "" {
			return ""
		}
		return meetings.Band(b).Name()
	}
	m.funcs["residenceCategory"] = func(c string) string { return dangvu.CodeName(dangvu.ResidenceCategories, c) }
}

func meetingDayOf(m dangvu.CellMeeting) string {
	switch {
	case !m.Held.IsZero():
		return m.Held.String()
	case !m.Planned.IsZero():
		return m.Planned.String()
	}
	return m.Month + "-01"
}

// The bodies of the meeting routes.
type (
	meetingListBody struct {
		apiPage
		Meetings []dangvu.CellMeeting `json:"meetings"`
	}
	wardMonthBody struct {
		OrgID string             `json:"org_id"`
		Month string             `json:"month"`
		Cells []dangvu.MonthCell `json:"cells"`
	}
	meetingAttendanceInput struct {
		Attendance []dangvu.MeetingAttendance `json:"attendance" api:"required"`
	}
	minutesInput struct {
		Agenda         string                   `json:"agenda"`
		Discussion     string                   `json:"discussion"`
		Conclusions    string                   `json:"conclusions"`
		Decisions      []dangvu.MeetingDecision `json:"decisions"`
		Points         *int                     `json:"quality_points"`
		Resolution     string                   `json:"resolution_number"`
		ResolutionText string                   `json:"resolution_text"`
		PublishedOn    string                   `json:"published_on"`
	}
	residenceListBody struct {
		apiPage
		Links []dangvu.ResidenceLink `json:"links"`
	}
	threeMonthsBody struct {
		Year int `json:"year"`
		apiPage
		Members []store.ThreeMonthFlag `json:"members"`
	}
)

// meetingAPI names the types the meeting routes decode and encode.
var meetingAPI = map[string]apiTypes{
	"GET /api/v1/meetings":                  {out: meetingListBody{}},
	"POST /api/v1/meetings":                 {in: dangvu.CellMeeting{}, out: dangvu.CellMeeting{}, status: http.StatusCreated},
	"GET /api/v1/meetings/month":            {out: wardMonthBody{}},
	"GET /api/v1/meetings/absences":         {out: threeMonthsBody{}},
	"GET /api/v1/meetings/{id}":             {out: dangvu.CellMeeting{}},
	"POST /api/v1/meetings/{id}/attendance": {in: meetingAttendanceInput{}, out: dangvu.CellMeeting{}},
	"POST /api/v1/meetings/{id}/minutes":    {in: minutesInput{}, out: dangvu.CellMeeting{}},
	"GET /api/v1/residence":                 {out: residenceListBody{}},
	"GET /api/v1/residence/{id}":            {out: dangvu.ResidenceLink{}},
	"POST /api/v1/residence":                {in: dangvu.ResidenceLink{}, out: dangvu.ResidenceLink{}, status: http.StatusCreated},
	"POST /api/v1/residence/{id}/comments":  {in: dangvu.ResidenceComment{}, out: dangvu.ResidenceComment{}},
}

func meetingRoutes() []route {
	api := func(p, sum string, h func(*Server, http.ResponseWriter, *http.Request) error, params []string, a dangvu.Action) route {
		return route{p, h, sum, params, false, a}
	}
	page := func(p, sum string, h func(*Server, http.ResponseWriter, *http.Request) error, params []string, a dangvu.Action) route {
		return route{p, htmlPage(h), sum, params, false, a}
	}
	return []route{
		api("GET /api/v1/meetings", "Sổ sinh hoạt chi bộ: các cuộc họp của các chi bộ trong tổ chức (tháng from..to, yyyy-mm; kind)", (*Server).apiMeetings, []string{"org", "from", "to", "kind"}, dangvu.ActRead),
		api("POST /api/v1/meetings", "Ghi một cuộc họp chi bộ: kế hoạch (planned_on) hoặc đã họp (held_on; mặc định mọi đảng viên có mặt)", (*Server).apiMeetingCreate, nil, dangvu.ActMeetings),
		api("GET /api/v1/meetings/month", "Theo dõi của đảng ủy: chi bộ nào đã sinh hoạt trong tháng, ngày họp so với hạn, chuyên đề trong quý, tỷ lệ dự, xếp loại, công bố biên bản, đảng viên vắng không lý do từ 2 lần", (*Server).apiWardMonth, []string{"org", "month"}, dangvu.ActRead),
		api("GET /api/v1/meetings/absences", "Đảng viên bỏ sinh hoạt không lý do hoặc không đóng đảng phí 3 tháng trong năm dương lịch (Điều lệ Điều 8 khoản 1), mỗi tháng với lý do đã ghi: để chi bộ xem xét, không tự động xoá tên", (*Server).apiThreeMonths, []string{"org", "year"}, dangvu.ActMeetings),
		api("GET /api/v1/meetings/{id}", "Một cuộc họp: nội dung, điểm danh theo ngoại lệ, biên bản, biểu quyết, chất lượng, nghị quyết", (*Server).apiCellMeeting, nil, dangvu.ActRead),
		api("POST /api/v1/meetings/{id}/attendance", "Điểm danh theo ngoại lệ (JSON: attendance[] member_id, mark excused|unexcused|remote|elsewhere|exempt, reason); thay danh sách cũ", (*Server).apiMeetingAttendance, nil, dangvu.ActMeetings),
		api("POST /api/v1/meetings/{id}/minutes", "Biên bản và nghị quyết (JSON: agenda, discussion, conclusions, decisions[], quality_points, resolution_number, resolution_text, published_on)", (*Server).apiMeetingMinutes, nil, dangvu.ActMeetings),
		api("GET /api/v1/residence", "Đảng viên đang công tác đăng ký sinh hoạt nơi cư trú với các chi bộ trong tổ chức (QĐ 213-QĐ/TW), kèm nhận xét hằng năm", (*Server).apiResidence, []string{"org"}, dangvu.ActMeetings),
		api("GET /api/v1/residence/{id}", "Một đăng ký sinh hoạt nơi cư trú với các nhận xét hằng năm", (*Server).apiResidenceLink, nil, dangvu.ActMeetings),
		api("POST /api/v1/residence", "Ghi đăng ký nơi cư trú (JSON: member_id, cell_id, from, work_org, category, letter)", (*Server).apiResidenceCreate, nil, dangvu.ActMeetings),
		api("POST /api/v1/residence/{id}/comments", "Ghi đề nghị hoặc phiếu nhận xét của chi ủy nơi cư trú cho một năm (JSON: year, requested_on, returned_on, comment)", (*Server).apiResidenceComment, nil, dangvu.ActMeetings),

		page("GET /meetings", "Sinh hoạt chi bộ: sổ của một chi bộ, hoặc theo dõi các chi bộ của đảng bộ trong tháng", (*Server).meetingsPage, []string{"org", "month"}, dangvu.ActRead),
		page("POST /meetings", "Ghi cuộc họp chi bộ", (*Server).meetingCreatePost, nil, dangvu.ActMeetings),
		page("GET /meetings/quality", "Đảng ủy xem xét điểm chất lượng sinh hoạt chi bộ tự chấm, theo thang điểm", (*Server).meetingQualityPage, []string{"org", "month"}, dangvu.ActMeetings),
		page("POST /meetings/{id}/quality", "Ghi điểm xem xét chất lượng sinh hoạt của đảng ủy cấp trên", (*Server).meetingQualityPost, nil, dangvu.ActMeetings),
		page("GET /meetings/next", "Cuộc họp chi bộ sắp tới của tôi và tài liệu", (*Server).nextMeetingPage, nil, dangvu.ActSelfService),
		page("GET /meetings/{id}", "Một cuộc họp chi bộ: điểm danh theo ngoại lệ, biên bản, nghị quyết", (*Server).meetingPage, nil, dangvu.ActRead),
		page("POST /meetings/{id}/attendance", "Lưu điểm danh", (*Server).meetingAttendancePost, nil, dangvu.ActMeetings),
		page("POST /meetings/{id}/minutes", "Lưu biên bản, nghị quyết", (*Server).meetingMinutesPost, nil, dangvu.ActMeetings),
		{"GET /meetings/{id}/minutes", (*Server).meetingMinutesPrint, "Biên bản sinh hoạt chi bộ, để in (A4)", nil, false, dangvu.ActRead},
		{"GET /meetings/{id}/resolution", (*Server).meetingResolutionPrint, "Nghị quyết của chi bộ theo thể thức văn bản của Đảng, để in (A4)", nil, false, dangvu.ActRead},
		page("GET /residence", "Đảng viên đăng ký sinh hoạt nơi cư trú", (*Server).residencePage, []string{"org"}, dangvu.ActMeetings),
	}
}

// ---- API ----

func (s *Server) apiMeetings(w http.ResponseWriter, r *http.Request) error {
	org, err := s.viewOrg(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	ms, err := s.Store.Meetings(r.Context(), store.MeetingFilter{Under: org, From: q.Get("from"), To: q.Get("to"), Kind: dangvu.MeetingKind(q.Get("kind"))})
	if err != nil {
		return err
	}
	ms, page, err := pageOf(r, ms, 1000)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, meetingListBody{apiPage: page, Meetings: ms})
}

func (s *Server) checkMeetingOrg(r *http.Request, m dangvu.CellMeeting) error {
	d := s.today()
	for _, v := range []dangvu.Date{m.Held, m.Planned} {
		if !v.IsZero() {
			d = v.Time
			break
		}
	}
	return s.checkRefs(r, ref{kind: "organisations", id: m.OrgID, on: d})
}

func (s *Server) apiMeetingCreate(w http.ResponseWriter, r *http.Request) error {
	return apiWrite(w, r, http.StatusCreated, dangvu.CellMeeting{},
		func(m *dangvu.CellMeeting) error { return s.checkMeetingOrg(r, *m) },
		func(m dangvu.CellMeeting) (dangvu.CellMeeting, error) {
			return s.Store.CreateMeeting(r.Context(), s.actor(r), m)
		})
}

// monthParam reads month=yyyy-mm (or mm/yyyy), this month by default.
func (s *Server) monthParam(r *http.Request) (string, error) {
	v := strings.TrimSpace(r.URL.Query().Get("month"))
	if v == "" {
		return s.viewDay(r, r.URL.Query().Get("org")).Format("2006-01"), nil
	}
	if a, b, ok := strings.Cut(v, "/"); ok && len(b) == 4 {
		v = b + "-" + fmt.Sprintf("%02s", a)
	}
	if _, err := time.Parse("2006-01", v); err != nil {
		return "", dangvu.Errorf(dangvu.EInvalid, "tháng %q không hợp lệ: cần yyyy-mm hoặc mm/yyyy", v)
	}
	return v, nil
}

func (s *Server) apiWardMonth(w http.ResponseWriter, r *http.Request) error {
	org, err := s.viewOrg(r)
	if err != nil {
		return err
	}
	month, err := s.monthParam(r)
	if err != nil {
		return err
	}
	if org == "" {
		org = s.rootOrg(r)
	}
	cells, err := s.Store.WardMonth(r.Context(), org, month)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, wardMonthBody{OrgID: org, Month: month, Cells: nonNil(cells)})
}

// rootOrg is the organisation a whole-tree user's views start from: the root of the tree.
func (s *Server) rootOrg(r *http.Request) string {
	ns, err := s.Store.Orgs(r.Context(), dangvu.OrgFilter{AsOf: s.today()})
	if err != nil || len(ns) == 0 {
		return ""
	}
	return ns[0].ID
}

func (s *Server) apiThreeMonths(w http.ResponseWriter, r *http.Request) error {
	org, err := s.viewOrg(r)
	if err != nil {
		return err
	}
	if org == "" {
		org = s.rootOrg(r)
	}
	year := s.today().Year()
	if v := r.URL.Query().Get("year"); v != "" {
		if year, err = strconv.Atoi(v); err != nil {
			return dangvu.Errorf(dangvu.EInvalid, "năm %q không hợp lệ", v)
		}
	}
	flags, err := s.Store.ThreeMonths(r.Context(), org, year, "")
	if err != nil {
		return err
	}
	flags, page, err := pageOf(r, flags, 1000)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, threeMonthsBody{Year: year, apiPage: page, Members: flags})
}

func (s *Server) apiCellMeeting(w http.ResponseWriter, r *http.Request) error {
	m, err := s.Store.Meeting(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, m)
}

// checkAttendanceRefs checks the members named against the user's subtree on the meeting's day.
func (s *Server) checkAttendanceRefs(r *http.Request, id string, lines []dangvu.MeetingAttendance) error {
	m, err := s.Store.Meeting(r.Context(), id)
	if err != nil {
		return err
	}
	d, _ := dangvu.ParseISODate(meetingDayOf(m))
	var refs []ref
	for _, a := range lines {
		refs = append(refs, ref{kind: "members", id: a.MemberID, on: d})
	}
	return s.checkRefs(r, refs...)
}

func (s *Server) apiMeetingAttendance(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	return apiWrite(w, r, http.StatusOK, meetingAttendanceInput{},
		func(in *meetingAttendanceInput) error { return s.checkAttendanceRefs(r, id, in.Attendance) },
		func(in meetingAttendanceInput) (dangvu.CellMeeting, error) {
			return s.Store.RecordAttendance(r.Context(), s.actor(r), id, in.Attendance)
		})
}

func (s *Server) apiMeetingMinutes(w http.ResponseWriter, r *http.Request) error {
	return apiWrite(w, r, http.StatusOK, minutesInput{}, nil, func(in minutesInput) (dangvu.CellMeeting, error) {
		return s.Store.RecordMinutes(r.Context(), s.actor(r), r.PathValue("id"), store.Minutes(in))
	})
}

func (s *Server) apiResidence(w http.ResponseWriter, r *http.Request) error {
	org, err := s.viewOrg(r)
	if err != nil {
		return err
	}
	if org == "" {
		org = s.rootOrg(r)
	}
	links, err := s.Store.ResidenceLinks(r.Context(), org, dangvu.ISO(s.today()))
	if err != nil {
		return err
	}
	links, page, err := pageOf(r, links, 1000)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, residenceListBody{apiPage: page, Links: links})
}

func (s *Server) apiResidenceLink(w http.ResponseWriter, r *http.Request) error {
	l, err := s.Store.ResidenceLink(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, l)
}

func (s *Server) apiResidenceCreate(w http.ResponseWriter, r *http.Request) error {
	return apiWrite(w, r, http.StatusCreated, dangvu.ResidenceLink{},
		func(l *dangvu.ResidenceLink) error {
			d := l.From.Time
			if l.From.IsZero() {
				d = s.today()
			}
			return s.checkRefs(r, ref{kind: "organisations", id: l.CellID, on: d}, ref{kind: "members", id: l.MemberID})
		},
		func(l dangvu.ResidenceLink) (dangvu.ResidenceLink, error) {
			return s.Store.CreateResidenceLink(r.Context(), s.actor(r), l)
		})
}

func (s *Server) apiResidenceComment(w http.ResponseWriter, r *http.Request) error {
	return apiWrite(w, r, http.StatusOK, dangvu.ResidenceComment{},
		func(c *dangvu.ResidenceComment) error { c.LinkID = r.PathValue("id"); return nil },
		func(c dangvu.ResidenceComment) (dangvu.ResidenceComment, error) {
			return c, s.Store.SaveResidenceComment(r.Context(), s.actor(r), c)
		})
}

// ---- pages ----

type meetingsData struct {
	Org       dangvu.Org
	IsCell    bool
	Month     string // yyyy-mm
	MonthText string // mm/yyyy
	Prev      string
	Next      string
	Cells     []dangvu.MonthCell
	Meetings  []dangvu.CellMeeting
	Flags     []store.ThreeMonthFlag
	Rules     meetings.Set
	Planned   string
	Due       string
	CanEdit   bool
	CSRF      string
	Errors    map[string]string   // beside the meeting form's inputs
	Other     []dangvu.FieldError // the form's other errors, above it
	Form      url.Values
}

func (s *Server) meetingsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderMeetings(w, r, http.StatusOK, nil, nil, nil)
}

// meetingMonthOrg reads a meeting page's organisation (the reader's own by default) and month
// (yyyy-mm, this month by default): the organisation as it stood at the month's end, or on the
// viewing day when it did not exist then.
func (s *Server) meetingMonthOrg(r *http.Request) (org, month string, first time.Time, o dangvu.Org, err error) {
	if org, err = s.viewOrg(r); err != nil {
		return
	}
	if org == "" {
		org = s.rootOrg(r)
	}
	if month, err = s.monthParam(r); err != nil {
		return
	}
	first, _ = time.Parse("2006-01", month)
	if o, err = s.Store.Org(r.Context(), org, first.AddDate(0, 1, -1)); err != nil {
		o, err = s.Store.Org(r.Context(), org, s.viewDay(r, org))
	}
	return
}

func (s *Server) renderMeetings(w http.ResponseWriter, r *http.Request, status int, errs map[string]string, other []dangvu.FieldError, form url.Values) error {
	org, month, first, o, err := s.meetingMonthOrg(r)
	if err != nil {
		return err
	}
	u := s.user(r)
	d := meetingsData{Org: o, Month: month, MonthText: first.Format("01/2006"), Prev: first.AddDate(0, -1, 0).Format("2006-01"), Next: first.AddDate(0, 1, 0).Format("2006-01"),
		Rules: meetings.For(first), CSRF: s.csrf(r), Errors: errs, Other: other, Form: form, CanEdit: u != nil && u.UserRole.Can(dangvu.ActMeetings)}
	cal := s.Store.Calendar()
	if p, _, ok := d.Rules.Planned(cal, first.Year(), first.Month()); ok {
		d.Planned = dangvu.ISO(p)
	}
	d.Due = dangvu.ISO(d.Rules.Due(cal, first.Year(), first.Month()))
	d.IsCell = o.Level == dangvu.LevelCell || o.Level == dangvu.LevelGrassrootsCell
	if d.IsCell {
		from := first.AddDate(-1, 0, 0).Format("2006-01")
		if d.Meetings, err = s.Store.Meetings(r.Context(), store.MeetingFilter{Under: org, From: from, To: first.AddDate(0, 2, 0).Format("2006-01")}); err != nil {
			return err
		}
	} else if d.Cells, err = s.Store.WardMonth(r.Context(), org, month); err != nil {
		return err
	}
	if d.CanEdit {
		if d.Flags, err = s.Store.ThreeMonths(r.Context(), org, first.Year(), month); err != nil {
			return err
		}
	}
	return s.render(w, r, status, "meetings.html", "Sinh hoạt chi bộ: "+o.Name, "meetings", d)
}

// meetingForm reads the meeting form of the cell's register; a day that is not a date is
// refused by its input (the form shows again what was typed).
func meetingForm(r *http.Request) (dangvu.CellMeeting, error) {
	f := r.PostForm
	var bad []dangvu.FieldError
	day := func(name string) dangvu.Date {
		d, ok := disDate(f.Get(name))
		if !ok {
			_, err := vn.ParseDate(f.Get(name))
			bad = append(bad, dangvu.FieldError{Field: name, Reason: err.Error()})
		}
		return d
	}
	m := dangvu.CellMeeting{OrgID: f.Get("org_id"), Kind: dangvu.MeetingKind(f.Get("kind")), Topic: f.Get("topic"), Place: f.Get("place"),
		Chair: f.Get("chair"), Clerk: f.Get("clerk"), Guests: f.Get("guests"), Liaison: f.Get("liaison"), LiaisonInvited: f.Get("liaison_invited") != "",
		LiaisonAttended: f.Get("liaison_attended") != "", Results: f.Get("content_results"), Tasks: f.Get("content_tasks"), Issues: f.Get("content_issues"),
		PreparedBy: f.Get("prepared_by"), AgreedOn: day("agreed_on"), DocsSentOn: day("docs_sent_on"), Note: f.Get("note")}
	if m.Kind == "" {
		m.Kind = dangvu.MeetingRegular
	}
	if strings.TrimSpace(f.Get("held_on")) != "" {
		m.Held, m.Status = day("held_on"), dangvu.MeetingHeld
	} else {
		m.Planned = day("planned_on")
	}
	m.Minutes, _ = strconv.Atoi(f.Get("duration_minutes"))
	if len(bad) > 0 {
		return m, &dangvu.Error{Code: dangvu.EInvalid, Message: "Cuộc họp chưa hợp lệ.", Fields: bad}
	}
	return m, nil
}

func (s *Server) meetingCreatePost(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "Biểu mẫu không đọc được")
	}
	m, err := meetingForm(r)
	if err := s.checkMeetingOrg(r, m); err != nil {
		return err
	}
	var out dangvu.CellMeeting
	if err == nil {
		out, err = s.Store.CreateMeeting(r.Context(), s.actor(r), m)
	}
	if err == nil {
		http.Redirect(w, r, "/meetings/"+url.PathEscape(out.ID), http.StatusSeeOther)
		return nil
	}
	errs := map[string]string{}
	other, err := placeErrors(err, errs, inputsOf(meetingInputs...))
	if err != nil {
		return err
	}
	r.URL.RawQuery = url.Values{"org": {m.OrgID}}.Encode()
	return s.renderMeetings(w, r, http.StatusBadRequest, errs, other, r.PostForm)
}

// meetingInputs are the inputs of the meeting form, named as the store names their fields.
var meetingInputs = []string{"kind", "topic", "held_on", "planned_on", "place", "chair", "clerk", "duration_minutes", "liaison",
	"liaison_invited", "liaison_attended", "docs_sent_on", "content_results", "content_tasks", "content_issues"}

// minutesInputs are the inputs of the minutes form.
var minutesInputs = []string{"agenda", "discussion", "conclusions", "quality_points", "resolution_number", "resolution_text", "published_on"}

type meetingData struct {
	dangvu.CellMeeting
	Roll      store.CellRoll
	Marks     map[string]dangvu.MeetingAttendance
	Rules     meetings.Set
	DocsBy    string
	PublishBy string
	CanEdit   bool
	CSRF      string
	Errors    map[string]string   // beside the minutes form's inputs
	Other     []dangvu.FieldError // the other errors of a form of the page, above it
	Form      url.Values          // the minutes as typed, when refused
}

// Typed is a minutes input's value: as typed when the form was refused, else as recorded.
func (d meetingData) Typed(name, recorded string) string {
	if d.Form != nil {
		return d.Form.Get(name)
	}
	return recorded
}

func (s *Server) meetingData(r *http.Request, id string) (meetingData, error) {
	m, err := s.Store.Meeting(r.Context(), id)
	if err != nil {
		return meetingData{}, err
	}
	u := s.user(r)
	d := meetingData{CellMeeting: m, Marks: map[string]dangvu.MeetingAttendance{}, CSRF: s.csrf(r), CanEdit: u != nil && u.UserRole.Can(dangvu.ActMeetings)}
	day, _ := dangvu.ParseISODate(meetingDayOf(m))
	d.Rules = meetings.For(day)
	if t := d.Rules.DocsBy(day); !t.IsZero() {
		d.DocsBy = dangvu.ISO(t)
	}
	if !m.Held.IsZero() {
		d.PublishBy = dangvu.ISO(d.Rules.PublishBy(s.Store.Calendar(), day))
		if d.Roll, err = s.Store.MeetingRoll(r.Context(), m.OrgID, m.Held.String()); err != nil {
			return d, err
		}
	}
	for _, a := range m.Attendance {
		d.Marks[a.MemberID] = a
	}
	return d, nil
}

func (s *Server) meetingPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.meetingData(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "meeting.html", "Cuộc họp chi bộ "+d.OrgName, "meetings", d)
}

// meetingFormError answers a refused form of a meeting's page (placeErrors): the minutes' errors
// beside their inputs, with what was typed (typed: nil for the attendance sheet), the
// attendance lines' above the forms; an error that is not about the input goes to the error page.
func (s *Server) meetingFormError(w http.ResponseWriter, r *http.Request, err error, typed url.Values) error {
	errs := map[string]string{}
	other, err := placeErrors(err, errs, inputsOf(minutesInputs...))
	if err != nil {
		return err
	}
	d, err := s.meetingData(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	d.Errors, d.Other, d.Form = errs, other, typed
	return s.render(w, r, http.StatusBadRequest, "meeting.html", "Cuộc họp chi bộ "+d.OrgName, "meetings", d)
}

// meetingAttendancePost reads the attendance form: one mark per member ("present" is no line)
// with the reason beside it.
func (s *Server) meetingAttendancePost(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "Biểu mẫu không đọc được")
	}
	id := r.PathValue("id")
	var lines []dangvu.MeetingAttendance
	for _, mid := range r.PostForm["member"] {
		mark := r.PostForm.Get("mark_" + mid)
		if mark == "" || mark == "present" {
			continue
		}
		lines = append(lines, dangvu.MeetingAttendance{MemberID: mid, Mark: mark, Reason: r.PostForm.Get("reason_" + mid)})
	}
	if err := s.checkAttendanceRefs(r, id, lines); err != nil {
		return err
	}
	if _, err := s.Store.RecordAttendance(r.Context(), s.actor(r), id, lines); err != nil {
		return s.meetingFormError(w, r, err, nil)
	}
	http.Redirect(w, r, "/meetings/"+url.PathEscape(id), http.StatusSeeOther)
	return nil
}

func (s *Server) meetingMinutesPost(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "Biểu mẫu không đọc được")
	}
	f := r.PostForm
	in := store.Minutes{Agenda: f.Get("agenda"), Discussion: f.Get("discussion"), Conclusions: f.Get("conclusions"),
		Resolution: f.Get("resolution_number"), ResolutionText: f.Get("resolution_text"), PublishedOn: f.Get("published_on")}
	if v := strings.TrimSpace(f.Get("quality_points")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return s.meetingFormError(w, r, refuse("quality_points", "điểm phải là số nguyên"), f)
		}
		in.Points = &n
	}
	titles := f["decision_title"]
	for i, t := range titles {
		if strings.TrimSpace(t) == "" {
			continue
		}
		at := func(k string) int {
			if vs := f[k]; i < len(vs) {
				n, _ := strconv.Atoi(strings.TrimSpace(vs[i]))
				return n
			}
			return 0
		}
		conc := ""
		if vs := f["decision_conclusion"]; i < len(vs) {
			conc = vs[i]
		}
		in.Decisions = append(in.Decisions, dangvu.MeetingDecision{Title: t, For: at("decision_for"), Against: at("decision_against"), Abstain: at("decision_abstain"), Conclusion: conc})
	}
	id := r.PathValue("id")
	if _, err := s.Store.RecordMinutes(r.Context(), s.actor(r), id, in); err != nil {
		return s.meetingFormError(w, r, err, f)
	}
	http.Redirect(w, r, "/meetings/"+url.PathEscape(id), http.StatusSeeOther)
	return nil
}

// meetingPrintData is what the printed minutes and resolution show.
type meetingPrintData struct {
	meetingData
	CellName, WardName string
	Absent             []dangvu.MeetingAttendance
	Remote             []dangvu.MeetingAttendance
	Excused, Unexcused int
}

func (s *Server) meetingPrintView(r *http.Request, title string, number string) (printView, meetingPrintData, error) {
	d, err := s.meetingData(r, r.PathValue("id"))
	if err != nil {
		return printView{}, meetingPrintData{}, err
	}
	day, _ := dangvu.ParseISODate(meetingDayOf(d.CellMeeting))
	cell := s.orgOn(r, d.OrgID, day)
	parent := s.orgOn(r, cell.ParentID, day)
	p := meetingPrintData{meetingData: d, CellName: cell.Name, WardName: parent.Name}
	for _, a := range d.Attendance {
		switch a.Mark {
		case dangvu.AttendExcused:
			p.Excused++
			p.Absent = append(p.Absent, a)
		case dangvu.AttendUnexcused:
			p.Unexcused++
			p.Absent = append(p.Absent, a)
		case dangvu.AttendRemote:
			p.Remote = append(p.Remote, a)
		}
	}
	head := printHead{Superior: upperName(parent.Name), Issuer: upperName(cell.Name), Number: number, NoNumber: number == "", PlaceDate: placeDate("", d.Held)}
	return printView{Title: title, Back: "/meetings/" + url.PathEscape(d.ID), BackLabel: "Về cuộc họp", Head: head, Data: p}, p, nil
}

func (s *Server) meetingMinutesPrint(w http.ResponseWriter, r *http.Request) error {
	v, p, err := s.meetingPrintView(r, "Biên bản sinh hoạt chi bộ", "")
	if err != nil {
		return err
	}
	if p.Status != dangvu.MeetingHeld {
		return dangvu.Errorf(dangvu.EConflict, "cuộc họp chưa diễn ra: chưa có biên bản")
	}
	return s.renderPrint(w, "meeting_minutes.html", v)
}

func (s *Server) meetingResolutionPrint(w http.ResponseWriter, r *http.Request) error {
	m, err := s.Store.Meeting(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if m.Status != dangvu.MeetingHeld {
		return dangvu.Errorf(dangvu.EConflict, "cuộc họp chưa diễn ra: chưa có nghị quyết")
	}
	number := ""
	if m.Resolution != "" {
		number = "Số " + m.Resolution
	}
	v, _, err := s.meetingPrintView(r, "Nghị quyết của chi bộ", number)
	if err != nil {
		return err
	}
	v.Head.NoNumber = false
	return s.renderPrint(w, "meeting_resolution.html", v)
}

type nextMeetingData struct {
	Member  string
	Cell    dangvu.Org
	Next    *dangvu.CellMeeting
	Last    *dangvu.CellMeeting
	Planned string
	DocsBy  string
}

// nextMeetingPage shows a member, on a phone, their cell's next meeting (the one planned, else
// the rule's day this month or next) and the documents of the last.
func (s *Server) nextMeetingPage(w http.ResponseWriter, r *http.Request) error {
	u := s.user(r)
	d := nextMeetingData{}
	if u == nil || u.MemberID == "" {
		return s.render(w, r, http.StatusOK, "meeting_next.html", "Cuộc họp chi bộ sắp tới", "next-meeting", d)
	}
	today := s.today()
	mb, err := s.Store.Member(r.Context(), u.MemberID, today)
	if err != nil {
		return err
	}
	d.Member = mb.FullName
	if d.Cell, err = s.Store.Org(r.Context(), mb.OrgID, today); err != nil {
		return s.render(w, r, http.StatusOK, "meeting_next.html", "Cuộc họp chi bộ sắp tới", "next-meeting", d)
	}
	ms, err := s.Store.Meetings(r.Context(), store.MeetingFilter{Under: d.Cell.ID, From: today.AddDate(0, -2, 0).Format("2006-01"), To: today.AddDate(0, 2, 0).Format("2006-01")})
	if err != nil {
		return err
	}
	t := dangvu.ISO(today)
	for i := range ms {
		m := &ms[i]
		if m.OrgID != d.Cell.ID {
			continue
		}
		if m.Status == dangvu.MeetingPlanned && m.Planned.String() >= t && (d.Next == nil || m.Planned.Before(d.Next.Planned)) {
			d.Next = m
		}
		if m.Status == dangvu.MeetingHeld && (d.Last == nil || m.Held.After(d.Last.Held)) {
			d.Last = m
		}
	}
	cal := s.Store.Calendar()
	for _, mo := range []time.Time{today, today.AddDate(0, 1, 0)} {
		rs := meetings.For(mo)
		if p, _, ok := rs.Planned(cal, mo.Year(), mo.Month()); ok && !p.Before(today) {
			d.Planned = dangvu.ISO(p)
			if b := rs.DocsBy(p); !b.IsZero() {
				d.DocsBy = dangvu.ISO(b)
			}
			break
		}
	}
	return s.render(w, r, http.StatusOK, "meeting_next.html", "Cuộc họp chi bộ sắp tới", "next-meeting", d)
}

type residenceData struct {
	Org   dangvu.Org
	Links []dangvu.ResidenceLink
	Year  int
}

func (s *Server) residencePage(w http.ResponseWriter, r *http.Request) error {
	org, err := s.viewOrg(r)
	if err != nil {
		return err
	}
	if org == "" {
		org = s.rootOrg(r)
	}
	day := s.viewDay(r, org)
	o, err := s.Store.Org(r.Context(), org, day)
	if err != nil {
		return err
	}
	links, err := s.Store.ResidenceLinks(r.Context(), org, dangvu.ISO(day))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "residence.html", "Sinh hoạt nơi cư trú: "+o.Name, "meetings", residenceData{Org: o, Links: links, Year: s.today().Year()})
}
