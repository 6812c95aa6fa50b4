package httpapi

// Dissemination of resolutions (docs/dissemination.md): the document register, programmes and
// their tasks, conferences with their attendance sheets, coverage, and a member's own study.

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/rules/documents"
	"dangvu/internal/vn"
)

// disseminationModule: documents, programmes, tasks, conferences and study; its menu items,
// object and audit scopes and template functions.
func disseminationModule(m *module) {
	m.routes = append(m.routes, disseminationRoutes)
	m.api = disseminationAPI
	m.nav = append(m.nav,
		navItem{"documents", "/documents", "Văn bản", string(dangvu.ActDocuments)},
		navItem{"conferences", "/conferences", "Hội nghị", string(dangvu.ActConferences)},
		navItem{"coverage", "/coverage", "Học tập nghị quyết", string(dangvu.ActConferences)},
		navItem{"study", "/study", "Học tập của tôi", string(dangvu.ActSelfService)},
	)
	m.objectScopes["documents"] = func(s *Server, r *http.Request, id string, asOf time.Time) error {
		return s.checkDocument(r, id, asOf)
	}
	m.objectScopes["programmes"] = m.objectScopes["documents"]
	m.objectScopes["tasks"] = func(s *Server, r *http.Request, id string, asOf time.Time) error {
		doc, err := s.Store.TaskDocument(r.Context(), id)
		if dangvu.ErrorCode(err) == dangvu.ENotFound {
			return dangvu.Errorf(dangvu.ENotFound, "không có nhiệm vụ mã %q", id)
		}
		if err != nil {
			return err
		}
		return s.checkDocument(r, doc, asOf)
	}
	m.objectScopes["conferences"] = func(s *Server, r *http.Request, id string, asOf time.Time) error {
		u := s.user(r)
		if u == nil {
			return errLogin
		}
		if wholeTree(u) {
			return nil
		}
		ok, err := s.Store.ConferenceVisible(r.Context(), *u, id, asOf)
		if err != nil {
			return err
		}
		if !ok {
			return dangvu.Errorf(dangvu.ENotFound, "không có hội nghị mã %q", id)
		}
		return nil
	}
	disseminationAuditScopes(m)
	disseminationFuncs(m)
}

// disseminationAuditScopes: part of disseminationModule.
func disseminationAuditScopes(m *module) {
	entityNames["document"], entityNames["task"] = "Văn bản", "Nhiệm vụ"
	entityNames["conference"], entityNames["reflection"] = "Hội nghị", "Bài thu hoạch"
	actionNames["progress"], actionNames["attendance"] = "Báo cáo tiến độ", "Điểm danh"
	// Audit entries of the dissemination records follow the records' own scope rules.
	m.auditScopes["document"] = func(s *Server, r *http.Request, id string) bool {
		return objectScope("documents")(s, r, id, s.today()) == nil
	}
	m.auditScopes["task"] = func(s *Server, r *http.Request, id string) bool {
		return objectScope("tasks")(s, r, id, s.today()) == nil
	}
	m.auditScopes["conference"] = func(s *Server, r *http.Request, id string) bool {
		return objectScope("conferences")(s, r, id, s.today()) == nil
	}
	m.auditScopes["reflection"] = func(s *Server, r *http.Request, id string) bool {
		m, err := s.Store.ReflectionMember(r.Context(), id)
		return err == nil && s.checkMember(r, m, s.today()) == nil
	}
}

// The bodies of the dissemination routes.
type (
	documentListBody struct {
		AsOf string `json:"as_of"`
		apiPage
		Documents []dangvu.Document `json:"documents"`
	}
	programmeItem struct {
		dangvu.Document
		Tasks   int `json:"tasks"`
		Done    int `json:"tasks_done"`
		Overdue int `json:"tasks_overdue"`
	}
	programmeListBody struct {
		AsOf string `json:"as_of"`
		apiPage
		Programmes []programmeItem `json:"programmes"`
	}
	programmeBody struct {
		Document dangvu.Document `json:"document"`
		Tasks    []dangvu.Task   `json:"tasks"`
	}
	conferenceListBody struct {
		apiPage
		Conferences []dangvu.Conference `json:"conferences"`
	}
	conferenceBody struct {
		Conference dangvu.Conference   `json:"conference"`
		Attendance []dangvu.Attendance `json:"attendance"`
	}
	attendanceInput struct {
		Lines []dangvu.Attendance `json:"lines" api:"required"`
	}
	attendanceBody struct {
		Attendance []dangvu.Attendance `json:"attendance"`
	}
	reflectionInput struct {
		ConferenceID string `json:"conference_id" api:"required"`
		DocumentID   string `json:"document_id"`
		Text         string `json:"text" api:"required"`
	}
)

// disseminationAPI names the types the dissemination routes decode and encode.
var disseminationAPI = map[string]apiTypes{
	"GET /api/v1/documents":                    {out: documentListBody{}},
	"GET /api/v1/documents/{id}":               {out: docDetail{}},
	"POST /api/v1/documents":                   {in: docInput{}, out: dangvu.Document{}, status: http.StatusCreated},
	"GET /api/v1/programmes":                   {out: programmeListBody{}},
	"GET /api/v1/programmes/{id}":              {out: docDetail{}},
	"POST /api/v1/programmes":                  {in: docInput{}, out: programmeBody{}, status: http.StatusCreated},
	"POST /api/v1/programmes/{id}/tasks":       {in: progTaskInput{}, out: dangvu.Task{}, status: http.StatusCreated},
	"POST /api/v1/tasks/{id}/progress":         {in: progNoteInput{}, out: dangvu.Task{}},
	"GET /api/v1/conferences":                  {out: conferenceListBody{}},
	"GET /api/v1/conferences/{id}":             {out: conferenceBody{}},
	"POST /api/v1/conferences":                 {in: confInput{}, out: dangvu.Conference{}, status: http.StatusCreated},
	"POST /api/v1/conferences/{id}/attendance": {in: attendanceInput{}, out: attendanceBody{}},
	"GET /api/v1/coverage":                     {out: dangvu.Coverage{}},
	"GET /api/v1/me/study":                     {out: myStudy{}},
	"POST /api/v1/me/reflections":              {in: reflectionInput{}, out: dangvu.Reflection{}, status: http.StatusCreated},
}

func disseminationRoutes() []route {
	doc, conf, self := dangvu.ActDocuments, dangvu.ActConferences, dangvu.ActSelfService
	return []route{
		{"GET /api/v1/documents", (*Server).apiDocuments, "Sổ văn bản: văn bản của tổ chức, cấp dưới và cấp trên; văn bản mật chỉ với vai trò được phép", []string{"org", "as_of", "kind", "q"}, false, doc},
		{"GET /api/v1/documents/{id}", (*Server).apiDocument, "Một văn bản, kèm nhiệm vụ (nếu là chương trình, kế hoạch) và các hội nghị học tập", nil, false, doc},
		{"POST /api/v1/documents", (*Server).apiCreateDocument, "Đăng ký văn bản đến hoặc văn bản cấp ủy ban hành (cấp số theo loại và nhiệm kỳ)", nil, false, doc},
		{"GET /api/v1/programmes", (*Server).apiProgrammes, "Chương trình hành động, kế hoạch của tổ chức và cấp dưới", []string{"org", "as_of"}, false, doc},
		{"GET /api/v1/programmes/{id}", (*Server).apiProgramme, "Một chương trình, kế hoạch với các nhiệm vụ (quá hạn tính theo as_of)", []string{"as_of"}, false, doc},
		{"POST /api/v1/programmes", (*Server).apiCreateProgramme, "Ban hành chương trình, kế hoạch (số CTr, KH cấp tự động) kèm nhiệm vụ, trong một giao dịch: một nhiệm vụ sai thì không ghi gì", nil, false, doc},
		{"POST /api/v1/programmes/{id}/tasks", (*Server).apiCreateTask, "Thêm nhiệm vụ vào chương trình, kế hoạch", nil, false, doc},
		{"POST /api/v1/tasks/{id}/progress", (*Server).apiTaskProgress, "Báo cáo tiến độ một nhiệm vụ", nil, false, doc},
		{"GET /api/v1/conferences", (*Server).apiConferences, "Hội nghị học tập, lớp bồi dưỡng do tổ chức và cấp dưới tổ chức", []string{"org", "from", "to", "document"}, false, conf},
		{"GET /api/v1/conferences/{id}", (*Server).apiConference, "Một hội nghị với bảng điểm danh", nil, false, conf},
		{"POST /api/v1/conferences", (*Server).apiCreateConference, "Tạo hội nghị học tập hoặc lớp bồi dưỡng", nil, false, conf},
		{"POST /api/v1/conferences/{id}/attendance", (*Server).apiAttendance, "Điểm danh: có mặt, vắng có lý do, vắng không lý do, học bù", nil, false, conf},
		{"GET /api/v1/coverage", (*Server).apiCoverage, "Tỷ lệ đảng viên được học tập một văn bản (hoặc các văn bản của kỳ), theo tổ chức, kèm danh sách chưa học", []string{"org", "document", "from", "to", "as_of"}, false, conf},
		{"GET /api/v1/me/study", (*Server).apiMyStudy, "Văn bản tổ chức của tôi phải học, điểm danh và bài thu hoạch của tôi", nil, false, self},
		{"POST /api/v1/me/reflections", (*Server).apiMyReflection, "Nộp bài thu hoạch", nil, false, self},

		{"GET /documents", htmlPage((*Server).documentsPage), "Sổ văn bản", []string{"org", "as_of", "kind", "q"}, false, doc},
		{"POST /documents", htmlPage((*Server).documentsPost), "Đăng ký văn bản", nil, false, doc},
		{"GET /documents/{id}", htmlPage((*Server).documentPage), "Một văn bản", nil, false, doc},
		{"GET /programmes/new", htmlPage((*Server).programmeNewPage), "Biểu mẫu ban hành chương trình, kế hoạch kèm nhiệm vụ", []string{"org"}, false, doc},
		{"POST /programmes/new", htmlPage((*Server).programmePost), "Ban hành chương trình, kế hoạch kèm nhiệm vụ", nil, false, doc},
		{"GET /programmes/{id}", htmlPage((*Server).programmePage), "Chương trình, kế hoạch và nhiệm vụ", []string{"as_of"}, false, doc},
		{"POST /programmes/{id}/tasks", htmlPage((*Server).programmeTaskPost), "Thêm nhiệm vụ", nil, false, doc},
		{"POST /tasks/{id}/progress", htmlPage((*Server).taskProgressPost), "Báo cáo tiến độ nhiệm vụ", nil, false, doc},
		{"GET /conferences", htmlPage((*Server).conferencesPage), "Hội nghị học tập", []string{"org"}, false, conf},
		{"POST /conferences", htmlPage((*Server).conferencesPost), "Tạo hội nghị", nil, false, conf},
		{"GET /conferences/{id}", htmlPage((*Server).conferencePage), "Hội nghị và bảng điểm danh", nil, false, conf},
		{"POST /conferences/{id}/attendance", htmlPage((*Server).attendancePost), "Lưu điểm danh", nil, false, conf},
		{"GET /coverage", htmlPage((*Server).coveragePage), "Tỷ lệ học tập nghị quyết theo tổ chức", []string{"org", "document", "from", "to", "as_of"}, false, conf},
		{"GET /study", htmlPage((*Server).studyPage), "Học tập nghị quyết của tôi", nil, false, self},
		{"POST /study/reflections", htmlPage((*Server).studyReflectionPost), "Nộp bài thu hoạch", nil, false, self},
	}
}

// checkDocument answers not found for a document the user may not see (outside their subtree and
// its ancestors, or secret without ActReadSecret).
func (s *Server) checkDocument(r *http.Request, id string, asOf time.Time) error {
	u := s.user(r)
	if u == nil {
		return errLogin
	}
	if !wholeTree(u) {
		ok, err := s.Store.DocumentVisible(r.Context(), *u, id, asOf)
		if err != nil {
			return err
		}
		if !ok {
			return dangvu.Errorf(dangvu.ENotFound, "không có văn bản mã %q", id)
		}
	}
	return nil
}

// checkDisWrite refuses writes for an organisation outside the user's subtree (the level above's
// documents may be read, not written), answering as for an unknown organisation.
func (s *Server) checkDisWrite(r *http.Request, orgID string) error {
	if orgID == "" {
		return &dangvu.Error{Code: dangvu.EInvalid, Message: "Thiếu tổ chức.", Fields: []dangvu.FieldError{{Field: "org_id", Reason: "bắt buộc"}}}
	}
	return s.checkRefs(r, orgRef(orgID))
}

// taskRefs are the organisation and the member a task is given to, in the subtree as of the
// programme's date (a programme entered from the archives names the tree of its day).
func taskRefs(programme dangvu.Document, ts ...dangvu.Task) []ref {
	on, _ := dangvu.RequireDate(programme.Date) // zero (today) when unreadable
	var refs []ref
	for _, t := range ts {
		refs = append(refs, ref{kind: "organisations", id: t.AssigneeOrgID, on: on}, ref{kind: "members", id: t.AssigneeMemberID, on: on})
	}
	return refs
}

// isoOf reads a date typed as dd/mm/yyyy or ISO; what cannot be read is passed on unchanged, for
// the store to name the field.
func disISO(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	if t, err := vn.ParseDate(v); err == nil {
		return dangvu.ISO(t)
	}
	return v
}

// disDate reads a date typed in a form or sent in a request (dd/mm/yyyy or yyyy-mm-dd): the zero
// Date for "" and, with ok false, for text that is not a date. A required date left zero is
// refused by the store ("bắt buộc, dạng ngày hợp lệ"); an optional one is refused here, with the
// store's reason for that field (badDate).
func disDate(v string) (d dangvu.Date, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return dangvu.Date{}, true
	}
	t, err := vn.ParseDate(v)
	if err != nil {
		return dangvu.Date{}, false
	}
	return dangvu.DateOf(t), true
}

// day is disDate without its flag, for a required date.
func day(v string) dangvu.Date {
	d, _ := disDate(v)
	return d
}

// optionalDate reads an optional date into *to, adding the field's error to errs when the text is
// not a date.
func optionalDate(v, field, reason string, to *dangvu.Date, errs *[]dangvu.FieldError) {
	d, ok := disDate(v)
	if !ok {
		*errs = append(*errs, dangvu.FieldError{Field: field, Reason: reason})
	}
	*to = d
}

const (
	badReceivedOn = "ngày nhận phải là ngày hợp lệ, không trước ngày ký"
	badEndDate    = "ngày kết thúc phải là ngày hợp lệ, không trước ngày bắt đầu"
	badMadeUpOn   = "ngày không hợp lệ; ghi theo dạng dd/mm/yyyy"
)

// role is the signed-in user's role ("" without a user, which may do nothing but read).
func (s *Server) role(r *http.Request) dangvu.UserRole {
	if u := s.user(r); u != nil {
		return u.UserRole
	}
	return ""
}

func (s *Server) canSecret(r *http.Request) bool {
	u := s.user(r)
	return u != nil && u.UserRole.Can(dangvu.ActReadSecret)
}

// ---- API ----

func (s *Server) regFilter(r *http.Request) (dangvu.DocumentFilter, error) {
	asOf, err := date(r, "as_of", s.viewDay(r, r.URL.Query().Get("org")))
	if err != nil {
		return dangvu.DocumentFilter{}, err
	}
	q := r.URL.Query()
	f := dangvu.DocumentFilter{Under: s.defaultOrg(r, q.Get("org")), AsOf: asOf, Kind: dangvu.DocKind(q.Get("kind")), Query: q.Get("q"), Secret: s.canSecret(r)}
	if err := s.checkOrg(r, f.Under, asOf); err != nil {
		return f, err
	}
	return f, nil
}

func (s *Server) apiDocuments(w http.ResponseWriter, r *http.Request) error {
	f, err := s.regFilter(r)
	if err != nil {
		return err
	}
	docs, err := s.Store.Documents(r.Context(), f)
	if err != nil {
		return err
	}
	docs, page, err := pageOf(r, docs, 1000)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, documentListBody{AsOf: dangvu.ISO(f.AsOf), apiPage: page, Documents: docs})
}

// docDetail is a document with what hangs on it.
type docDetail struct {
	Document    dangvu.Document     `json:"document"`
	Tasks       []dangvu.Task       `json:"tasks"`
	Conferences []dangvu.Conference `json:"conferences"`
	Implements  *dangvu.Document    `json:"implements_document,omitempty"`
	ReportsOn   *dangvu.Document    `json:"reports_on_document,omitempty"`
	AsOf        string              `json:"as_of"`
	// Protection is a secret document's protection period under the law in force on its date
	// (rule area "secrecy").
	Protection *documents.Protection `json:"protection,omitempty"`
}

func (s *Server) docDetail(r *http.Request, id string) (docDetail, error) {
	asOf, err := date(r, "as_of", s.viewDay(r, ""))
	if err != nil {
		return docDetail{}, err
	}
	if err := s.checkDocument(r, id, asOf); err != nil {
		return docDetail{}, err
	}
	d, err := s.Store.Document(r.Context(), id)
	if err != nil {
		return docDetail{}, err
	}
	out := docDetail{Document: d, AsOf: dangvu.ISO(asOf), Tasks: []dangvu.Task{}}
	if t, err := dangvu.RequireDate(d.Date); err == nil {
		if p, ok := documents.ProtectionOf(d.Secrecy, t); ok {
			out.Protection = &p
		}
	}
	if d.Kind.IsProgramme() {
		if out.Tasks, err = s.Store.Tasks(r.Context(), id, asOf); err != nil {
			return out, err
		}
	}
	if out.Conferences, err = s.Store.Conferences(r.Context(), dangvu.ConferenceFilter{DocumentID: id, Limit: 500}); err != nil {
		return out, err
	}
	for _, l := range []struct {
		id  string
		dst **dangvu.Document
	}{{d.Implements, &out.Implements}, {d.ReportsOn, &out.ReportsOn}} {
		if l.id == "" || s.checkDocument(r, l.id, asOf) != nil {
			continue
		}
		if x, err := s.Store.Document(r.Context(), l.id); err == nil {
			*l.dst = &x
		}
	}
	return out, nil
}

func (s *Server) apiDocument(w http.ResponseWriter, r *http.Request) error {
	d, err := s.docDetail(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

// docInput is the body of POST /api/v1/documents and /api/v1/programmes.
type docInput struct {
	ID         string           `json:"id"`
	OrgID      string           `json:"org_id"`
	Direction  dangvu.Direction `json:"direction"`
	Number     string           `json:"number"`
	Kind       dangvu.DocKind   `json:"kind"`
	Date       string           `json:"date" api:"required"`
	ReceivedOn string           `json:"received_on"`
	Title      string           `json:"title" api:"required"`
	File       string           `json:"file"`
	Secrecy    dangvu.Secrecy   `json:"secrecy"`
	Implements string           `json:"implements"`
	ReportsOn  string           `json:"reports_on"`
	Tasks      []progTaskInput  `json:"tasks"`
}

type progTaskInput struct {
	Title            string `json:"title" api:"required"`
	AssigneeOrgID    string `json:"assignee_org_id"`
	AssigneeMemberID string `json:"assignee_member_id"`
	AssigneeName     string `json:"assignee_name"`
	Deadline         string `json:"deadline" api:"required"`
}

func (in docInput) document() (dangvu.Document, error) {
	d := dangvu.Document{ID: in.ID, OrgID: in.OrgID, Direction: in.Direction, Number: in.Number, Kind: in.Kind, Date: day(in.Date),
		Title: in.Title, File: in.File, Secrecy: in.Secrecy, Implements: in.Implements, ReportsOn: in.ReportsOn}
	var errs []dangvu.FieldError
	if optionalDate(in.ReceivedOn, "received_on", badReceivedOn, &d.ReceivedOn, &errs); len(errs) > 0 {
		return d, &dangvu.Error{Code: dangvu.EInvalid, Message: "Văn bản chưa hợp lệ; chưa ghi gì.", Fields: errs}
	}
	return d, nil
}

// checkNewDocument checks who may register a document: into a register of their own subtree,
// secret ones only with ActReadSecret, linked only to documents they may see.
func (s *Server) checkNewDocument(r *http.Request, d dangvu.Document) error {
	if err := s.checkDisWrite(r, d.OrgID); err != nil {
		return err
	}
	if !d.Secrecy.Readable(s.canSecret(r)) {
		return dangvu.Errorf(dangvu.EForbidden, "Vai trò của bạn không được đăng ký văn bản mật.")
	}
	return s.checkRefs(r, ref{kind: "documents", id: d.Implements}, ref{kind: "documents", id: d.ReportsOn})
}

func (s *Server) createDocument(r *http.Request, d dangvu.Document) (dangvu.Document, error) {
	if err := s.checkNewDocument(r, d); err != nil {
		return d, err
	}
	return s.Store.CreateDocument(r.Context(), s.actor(r), d)
}

func (s *Server) apiCreateDocument(w http.ResponseWriter, r *http.Request) error {
	return apiWrite(w, r, http.StatusCreated, docInput{},
		func(in *docInput) error {
			if len(in.Tasks) > 0 {
				return dangvu.Errorf(dangvu.EInvalid, "nhiệm vụ chỉ thuộc chương trình, kế hoạch: dùng POST /api/v1/programmes")
			}
			return nil
		},
		func(in docInput) (dangvu.Document, error) {
			doc, err := in.document()
			if err != nil {
				return doc, err
			}
			return s.createDocument(r, doc)
		})
}

func (s *Server) apiProgrammes(w http.ResponseWriter, r *http.Request) error {
	f, err := s.regFilter(r)
	if err != nil {
		return err
	}
	out := []programmeItem{}
	for _, kind := range []dangvu.DocKind{dangvu.DocProgramme, dangvu.DocPlan} {
		f.Kind = kind
		docs, err := s.Store.Documents(r.Context(), f)
		if err != nil {
			return err
		}
		for _, d := range docs {
			if d.Direction != dangvu.DirOwn {
				continue
			}
			ts, err := s.Store.Tasks(r.Context(), d.ID, f.AsOf)
			if err != nil {
				return err
			}
			p := programmeItem{Document: d, Tasks: len(ts)}
			for _, t := range ts {
				if !t.DoneOn.IsZero() && !t.DoneOn.After(dangvu.DateOf(f.AsOf)) {
					p.Done++
				}
				if t.Overdue {
					p.Overdue++
				}
			}
			out = append(out, p)
		}
	}
	out, page, err := pageOf(r, out, 1000)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, programmeListBody{AsOf: dangvu.ISO(f.AsOf), apiPage: page, Programmes: out})
}

func (s *Server) apiProgramme(w http.ResponseWriter, r *http.Request) error {
	d, err := s.docDetail(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	if !d.Document.Kind.IsProgramme() {
		return dangvu.Errorf(dangvu.ENotFound, "văn bản %s không phải chương trình, kế hoạch", d.Document.Number)
	}
	return writeJSON(w, http.StatusOK, d)
}

func (s *Server) apiCreateProgramme(w http.ResponseWriter, r *http.Request) error {
	var in docInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Kind == "" {
		in.Kind = dangvu.DocProgramme
	}
	if in.Direction == "" {
		in.Direction = dangvu.DirOwn
	}
	if !in.Kind.IsProgramme() {
		return &dangvu.Error{Code: dangvu.EInvalid, Message: "Chương trình chưa hợp lệ.", Fields: []dangvu.FieldError{{Field: "kind", Reason: "dùng CTr (chương trình) hoặc KH (kế hoạch)"}}}
	}
	d, err := in.document()
	if err != nil {
		return err
	}
	if err := s.checkNewDocument(r, d); err != nil {
		return err
	}
	var tasks []dangvu.Task
	for _, t := range in.Tasks {
		tasks = append(tasks, dangvu.Task{Title: t.Title, AssigneeOrgID: t.AssigneeOrgID, AssigneeMemberID: t.AssigneeMemberID,
			AssigneeName: t.AssigneeName, Deadline: day(t.Deadline)})
	}
	if err := s.checkRefs(r, taskRefs(d, tasks...)...); err != nil {
		return err
	}
	d, tasks, err = s.Store.CreateProgramme(r.Context(), s.actor(r), d, tasks)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, programmeBody{Document: d, Tasks: nonNil(tasks)})
}

func (s *Server) apiCreateTask(w http.ResponseWriter, r *http.Request) error {
	return apiWrite(w, r, http.StatusCreated, progTaskInput{}, nil, func(in progTaskInput) (dangvu.Task, error) {
		return s.createProgTask(r, r.PathValue("id"), in)
	})
}

// createTask adds a task to a programme of the user's own subtree.
func (s *Server) createProgTask(r *http.Request, docID string, in progTaskInput) (dangvu.Task, error) {
	d, err := s.Store.Document(r.Context(), docID)
	if err != nil {
		return dangvu.Task{}, err
	}
	if err := s.checkDisWrite(r, d.OrgID); err != nil {
		return dangvu.Task{}, err
	}
	t := dangvu.Task{DocumentID: docID, Title: in.Title, AssigneeOrgID: in.AssigneeOrgID,
		AssigneeMemberID: in.AssigneeMemberID, AssigneeName: in.AssigneeName, Deadline: day(in.Deadline)}
	if err := s.checkRefs(r, taskRefs(d, t)...); err != nil {
		return dangvu.Task{}, err
	}
	return s.Store.CreateTask(r.Context(), s.actor(r), t)
}

type progNoteInput struct {
	Date     string            `json:"date" api:"required"`
	Status   dangvu.TaskStatus `json:"status" api:"required"`
	Note     string            `json:"note"`
	Evidence string            `json:"evidence"`
}

// checkTaskWrite lets the programme's committee and the assignee (an organisation of the user's
// subtree, or the user's own member record) report progress on a task.
func (s *Server) checkTaskWrite(r *http.Request, taskID string) error {
	t, err := s.Store.Task(r.Context(), taskID)
	if err != nil {
		return err
	}
	if u := s.user(r); u != nil && u.MemberID != "" && u.MemberID == t.AssigneeMemberID {
		return nil
	}
	if t.AssigneeOrgID != "" && s.checkOrg(r, t.AssigneeOrgID, s.today()) == nil {
		return nil
	}
	d, err := s.Store.Document(r.Context(), t.DocumentID)
	if err != nil {
		return err
	}
	if err := s.checkDisWrite(r, d.OrgID); err != nil {
		return dangvu.Errorf(dangvu.EForbidden, "Chỉ cấp ủy ban hành chương trình hoặc nơi được giao nhiệm vụ mới báo cáo tiến độ.")
	}
	return nil
}

func (s *Server) apiTaskProgress(w http.ResponseWriter, r *http.Request) error {
	return apiWrite(w, r, http.StatusOK, progNoteInput{},
		func(*progNoteInput) error { return s.checkTaskWrite(r, r.PathValue("id")) },
		func(in progNoteInput) (dangvu.Task, error) {
			return s.Store.AddTaskNote(r.Context(), s.actor(r), dangvu.TaskNote{TaskID: r.PathValue("id"), Date: day(in.Date), Status: in.Status, Note: in.Note, Evidence: in.Evidence})
		})
}

func (s *Server) apiConferences(w http.ResponseWriter, r *http.Request) error {
	f, err := s.confFilter(r)
	if err != nil {
		return err
	}
	cs, err := s.Store.Conferences(r.Context(), f)
	if err != nil {
		return err
	}
	cs, page, err := pageOf(r, cs, 1000)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, conferenceListBody{apiPage: page, Conferences: cs})
}

func (s *Server) confFilter(r *http.Request) (dangvu.ConferenceFilter, error) {
	q := r.URL.Query()
	f := dangvu.ConferenceFilter{Under: s.defaultOrg(r, q.Get("org"))}
	var err error
	if f.From, err = date(r, "from", time.Time{}); err != nil {
		return f, err
	}
	if f.To, err = date(r, "to", time.Time{}); err != nil {
		return f, err
	}
	if err := s.checkOrg(r, f.Under, s.today()); err != nil {
		return f, err
	}
	f.DocumentNumber = strings.TrimSpace(q.Get("document"))
	return f, nil
}

func (s *Server) apiConference(w http.ResponseWriter, r *http.Request) error {
	c, err := s.Store.Conference(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	sheet, err := s.Store.Sheet(r.Context(), c.ID)
	if err != nil {
		return err
	}
	// Only the documents the document page would show this user (secret ones need read_secret).
	ids := []string{}
	for _, id := range c.DocumentIDs {
		if s.checkDocument(r, id, s.today()) == nil {
			ids = append(ids, id)
		}
	}
	c.DocumentIDs = ids
	return writeJSON(w, http.StatusOK, conferenceBody{Conference: c, Attendance: nonNil(sheet)})
}

type confInput struct {
	ID          string                `json:"id"`
	Kind        dangvu.ConferenceKind `json:"kind"`
	OrgID       string                `json:"org_id"`
	ScopeOrgID  string                `json:"scope_org_id"`
	Title       string                `json:"title" api:"required"`
	Date        string                `json:"date" api:"required"`
	EndDate     string                `json:"end_date"`
	Place       string                `json:"place"`
	Presenter   string                `json:"presenter"`
	Reflection  bool                  `json:"reflection"`
	DocumentIDs []string              `json:"document_ids"`
}

func (s *Server) createConference(r *http.Request, in confInput) (dangvu.Conference, error) {
	c := dangvu.Conference{ID: in.ID, Kind: in.Kind, OrgID: in.OrgID, ScopeOrgID: in.ScopeOrgID, Title: in.Title, Date: day(in.Date),
		Place: in.Place, Presenter: in.Presenter, Reflection: in.Reflection, DocumentIDs: in.DocumentIDs}
	var bad []dangvu.FieldError
	if optionalDate(in.EndDate, "end_date", badEndDate, &c.EndDate, &bad); len(bad) > 0 {
		return c, &dangvu.Error{Code: dangvu.EInvalid, Message: "Hội nghị chưa hợp lệ; chưa ghi gì.", Fields: bad}
	}
	if err := s.checkDisWrite(r, c.OrgID); err != nil {
		return c, err
	}
	on := c.Date.Time // the tree of the conference's day; today when unreadable (zero)
	refs := []ref{{kind: "organisations", id: c.ScopeOrgID, on: on}}
	for _, id := range c.DocumentIDs {
		refs = append(refs, ref{kind: "documents", id: id})
	}
	if err := s.checkRefs(r, refs...); err != nil {
		return c, err
	}
	return s.Store.CreateConference(r.Context(), s.actor(r), c)
}

func (s *Server) apiCreateConference(w http.ResponseWriter, r *http.Request) error {
	return apiWrite(w, r, http.StatusCreated, confInput{}, nil, func(in confInput) (dangvu.Conference, error) { return s.createConference(r, in) })
}

func (s *Server) apiAttendance(w http.ResponseWriter, r *http.Request) error {
	var in attendanceInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.checkSheetRefs(r, in.Lines); err != nil {
		return err
	}
	if err := s.Store.SetAttendance(r.Context(), s.actor(r), r.PathValue("id"), in.Lines); err != nil {
		return err
	}
	sheet, err := s.Store.Sheet(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, attendanceBody{Attendance: nonNil(sheet)})
}

// checkSheetRefs checks the members of an attendance sheet as of the conference's day: those
// expected then, though some have left the subtree since.
func (s *Server) checkSheetRefs(r *http.Request, lines []dangvu.Attendance) error {
	c, err := s.Store.Conference(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	day, err := dangvu.RequireDate(c.Date)
	if err != nil {
		day = s.today()
	}
	refs := make([]ref, len(lines))
	for i, l := range lines {
		refs[i] = ref{kind: "members", id: l.MemberID, on: day}
	}
	return s.checkRefs(r, refs...)
}

// coverageQuery reads org, document, from, to and as_of: by default the last twelve months.
func (s *Server) coverageQuery(r *http.Request) (dangvu.ReportQuery, error) {
	q := dangvu.ReportQuery{Org: s.defaultOrg(r, r.URL.Query().Get("org")), Document: strings.TrimSpace(r.URL.Query().Get("document")), Secret: s.canSecret(r)}
	var err error
	if q.To, err = date(r, "to", s.viewDay(r, q.Org)); err != nil {
		return q, err
	}
	if q.From, err = date(r, "from", q.To.AddDate(-1, 0, 0)); err != nil {
		return q, err
	}
	if q.AsOf, err = date(r, "as_of", q.To); err != nil {
		return q, err
	}
	if q.Org == "" {
		roots, err := s.Store.Orgs(r.Context(), dangvu.OrgFilter{AsOf: q.AsOf, Limit: 1})
		if err != nil {
			return q, err
		}
		if len(roots) > 0 {
			q.Org = roots[0].ID
		}
	}
	o, err := s.Store.ResolveOrg(r.Context(), q.Org, q.AsOf)
	if err != nil {
		return q, err
	}
	q.Org = o.ID
	return q, s.checkOrg(r, q.Org, q.AsOf)
}

func (s *Server) apiCoverage(w http.ResponseWriter, r *http.Request) error {
	q, err := s.coverageQuery(r)
	if err != nil {
		return err
	}
	cov, err := s.Store.StudyCoverage(r.Context(), q, true)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, cov)
}

// myStudy is a member's own study record.
type myStudy struct {
	MemberID    string              `json:"member_id"`
	Documents   []myStudyDoc        `json:"documents"`
	Items       []dangvu.StudyItem  `json:"items"`
	Reflections []dangvu.Reflection `json:"reflections"`
}

// myStudyDoc is a document the member's organisation must study (store.MemberDocuments) with,
// where a conference that expected the member asked for a reflection on it, that conference and
// whether the member has written one.
type myStudyDoc struct {
	dangvu.StudyDoc
	ReflectionConference string `json:"reflection_conference_id,omitempty"`
	ReflectionDocument   string `json:"reflection_document_id,omitempty"` // the conference's copy of the document
	Reflected            bool   `json:"reflected"`
}

func (s *Server) myStudy(r *http.Request) (myStudy, error) {
	u := s.user(r)
	out := myStudy{Documents: []myStudyDoc{}, Items: []dangvu.StudyItem{}, Reflections: []dangvu.Reflection{}}
	if u == nil || u.MemberID == "" {
		return out, nil
	}
	out.MemberID = u.MemberID
	items, err := s.Store.MemberStudy(r.Context(), u.MemberID, s.canSecret(r))
	if err != nil {
		return out, err
	}
	refl, err := s.Store.MemberReflections(r.Context(), u.MemberID)
	if err != nil {
		return out, err
	}
	out.Items, out.Reflections = nonNil(items), nonNil(refl)
	docs, err := s.Store.MemberDocuments(r.Context(), u.MemberID, s.today(), s.canSecret(r))
	if err != nil {
		return out, err
	}
	for _, d := range docs {
		x := myStudyDoc{StudyDoc: d}
		for _, it := range items {
			i := slices.Index(it.Documents, d.Document.Number)
			if i < 0 {
				continue
			}
			if it.Conference.Reflection && x.ReflectionConference == "" {
				x.ReflectionConference, x.ReflectionDocument = it.Conference.ID, it.Conference.DocumentIDs[i]
			}
			x.Reflected = x.Reflected || len(it.Reflections) > 0
		}
		out.Documents = append(out.Documents, x)
	}
	return out, nil
}

func (s *Server) apiMyStudy(w http.ResponseWriter, r *http.Request) error {
	st, err := s.myStudy(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, st)
}

// addReflection records a reflection by the user's own member record, for a conference that
// expected them.
func (s *Server) addReflection(r *http.Request, confID, docID, text string) (dangvu.Reflection, error) {
	st, err := s.myStudy(r)
	if err != nil {
		return dangvu.Reflection{}, err
	}
	if st.MemberID == "" {
		return dangvu.Reflection{}, dangvu.Errorf(dangvu.EForbidden, "Tài khoản chưa gắn với hồ sơ đảng viên.")
	}
	for _, it := range st.Items {
		if it.Conference.ID != confID {
			continue
		}
		if docID == "" && len(it.Conference.DocumentIDs) > 0 {
			docID = it.Conference.DocumentIDs[0]
		}
		// Only a document the conference studied: another would tie the reflection to a
		// document (and so a register) the member has no business with.
		if docID != "" && !slices.Contains(it.Conference.DocumentIDs, docID) {
			return dangvu.Reflection{}, outOfReach(ref{kind: "documents", id: docID})
		}
		return s.Store.AddReflection(r.Context(), s.actor(r), dangvu.Reflection{MemberID: st.MemberID, DocumentID: docID, ConferenceID: confID,
			Date: dangvu.DateOf(s.today()), Text: text})
	}
	return dangvu.Reflection{}, dangvu.Errorf(dangvu.ENotFound, "không có hội nghị mã %q trong danh sách học tập của bạn", confID)
}

func (s *Server) apiMyReflection(w http.ResponseWriter, r *http.Request) error {
	return apiWrite(w, r, http.StatusCreated, reflectionInput{}, nil, func(in reflectionInput) (dangvu.Reflection, error) {
		return s.addReflection(r, in.ConferenceID, in.DocumentID, in.Text)
	})
}

// ---- pages ----

// disFormErrors splits an error into messages for the form's fields (those named in known) and
// the others, shown in the summary (placeErrors); errors that are not about the input are returned.
func disFormErrors(err error, known ...string) (map[string]string, []dangvu.FieldError, error) {
	m := map[string]string{}
	other, err := placeErrors(err, m, inputsOf(known...))
	return m, other, err
}

type documentsData struct {
	Filter dangvu.DocumentFilter
	Org    string
	Docs   []dangvu.Document
	Kinds  []dangvu.Code[dangvu.DocKind]
	Form   map[string]string
	Errors map[string]string
	Other  []dangvu.FieldError
	CSRF   string
	Secret bool
	// Choices are the documents matching what was typed as implemented or reported on (pickers.go).
	Choices map[string][]pickOption
}

func (s *Server) renderDocuments(w http.ResponseWriter, r *http.Request, status int, form, errs map[string]string, other []dangvu.FieldError, choices ...map[string][]pickOption) error {
	f, err := s.regFilter(r)
	if err != nil {
		return err
	}
	docs, err := s.Store.Documents(r.Context(), f)
	if err != nil {
		return err
	}
	if form == nil {
		form = map[string]string{"org_id": f.Under, "direction": "own", "secrecy": "none"}
	}
	return s.render(w, r, status, "documents.html", "Sổ văn bản", "documents", documentsData{Filter: f, Org: f.Under, Docs: docs, Kinds: dangvu.DocKinds,
		Form: form, Errors: errs, Other: other, CSRF: s.csrf(r), Secret: s.canSecret(r), Choices: append(choices, nil)[0]})
}

func (s *Server) documentsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderDocuments(w, r, http.StatusOK, nil, nil, nil)
}

func disFormValues(r *http.Request, names ...string) (map[string]string, error) {
	if err := r.ParseForm(); err != nil {
		return nil, dangvu.Errorf(dangvu.EInvalid, "Biểu mẫu không đọc được.")
	}
	m := map[string]string{}
	for _, n := range names {
		m[n] = strings.TrimSpace(r.PostForm.Get(n))
	}
	return m, nil
}

var docFormFields = []string{"org_id", "direction", "number", "kind", "date", "received_on", "title", "file", "secrecy", "implements", "reports_on"}

func (s *Server) documentsPost(w http.ResponseWriter, r *http.Request) error {
	v, err := disFormValues(r, docFormFields...)
	if err != nil {
		return err
	}
	// The register's organisation, and the documents implemented or reported on, by name
	// (pickers.go); several matches are named or offered beside their field, nothing written.
	in := dangvu.Document{OrgID: v["org_id"], Direction: dangvu.Direction(v["direction"]), Number: v["number"], Kind: dangvu.DocKind(v["kind"]),
		Date: day(v["date"]), Title: v["title"], File: v["file"], Secrecy: dangvu.Secrecy(v["secrecy"])}
	var pre []dangvu.FieldError
	optionalDate(v["received_on"], "received_on", badReceivedOn, &in.ReceivedOn, &pre)
	choices := map[string][]pickOption{}
	org, msg, err := s.orgByName(r, in.OrgID, s.today())
	if err != nil {
		return err
	}
	if in.OrgID = org; msg != "" {
		pre = append(pre, dangvu.FieldError{Field: "org_id", Reason: msg})
	}
	for _, k := range []struct {
		field string
		to    *string
	}{{"implements", &in.Implements}, {"reports_on", &in.ReportsOn}} {
		id, msg, opts, err := s.docByName(r, k.field, v[k.field])
		if err != nil {
			return err
		}
		if *k.to = id; msg != "" {
			pre, choices[k.field] = append(pre, dangvu.FieldError{Field: k.field, Reason: msg}), opts
		}
	}
	var d dangvu.Document
	if len(pre) > 0 {
		err = &dangvu.Error{Code: dangvu.EInvalid, Message: "Văn bản chưa hợp lệ; chưa ghi gì.", Fields: pre}
	} else {
		d, err = s.createDocument(r, in)
	}
	if err == nil {
		target := "/documents/" + d.ID
		if d.Kind.IsProgramme() {
			target = "/programmes/" + d.ID
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
		return nil
	}
	m, other, err := disFormErrors(err, docFormFields...)
	if err != nil {
		return err
	}
	return s.renderDocuments(w, r, http.StatusBadRequest, v, m, other, choices)
}

func (s *Server) documentPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.docDetail(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	if d.Document.Kind.IsProgramme() && d.Document.Direction == dangvu.DirOwn {
		http.Redirect(w, r, "/programmes/"+d.Document.ID, http.StatusSeeOther)
		return nil
	}
	return s.render(w, r, http.StatusOK, "document.html", "Văn bản "+d.Document.Number, "documents", struct {
		docDetail
		CSRF string
	}{d, s.csrf(r)})
}

type programmeData struct {
	docDetail
	CSRF     string
	Form     map[string]string
	Errors   map[string]string
	Other    []dangvu.FieldError
	Statuses []dangvu.Code[dangvu.TaskStatus]
	Today    string
	// refused is the task whose progress form was refused, with what was typed and its errors.
	refused progressForm
}

// progressForm is a task's progress form: what it shows and the errors beside its fields.
type progressForm struct {
	Task           string
	Values, Errors map[string]string
}

// Progress is the progress form of a task: as typed, with its errors, when it was the one
// refused; else empty, dated today.
func (d programmeData) Progress(task string) progressForm {
	if d.refused.Task == task {
		return d.refused
	}
	return progressForm{Task: task, Values: map[string]string{"date": d.Today}}
}

func (s *Server) renderProgramme(w http.ResponseWriter, r *http.Request, status int, form, errs map[string]string, other []dangvu.FieldError, progress progressForm) error {
	d, err := s.docDetail(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	if !d.Document.Kind.IsProgramme() {
		http.Redirect(w, r, "/documents/"+d.Document.ID, http.StatusSeeOther)
		return nil
	}
	return s.render(w, r, status, "programme.html", "Chương trình, kế hoạch "+d.Document.Number, "documents",
		programmeData{docDetail: d, CSRF: s.csrf(r), Form: form, Errors: errs, Other: other, Statuses: dangvu.TaskStatuses, Today: vn.FormatDate(s.today()), refused: progress})
}

func (s *Server) programmePage(w http.ResponseWriter, r *http.Request) error {
	return s.renderProgramme(w, r, http.StatusOK, map[string]string{}, nil, nil, progressForm{})
}

func (s *Server) programmeTaskPost(w http.ResponseWriter, r *http.Request) error {
	v, err := disFormValues(r, "title", "assignee_org_id", "assignee_name", "deadline")
	if err != nil {
		return err
	}
	// The lower committee by code or any unambiguous part of its name (pickers.go).
	org, msg, err := s.orgByName(r, v["assignee_org_id"], s.today())
	if err != nil {
		return err
	}
	if msg != "" {
		err = &dangvu.Error{Code: dangvu.EInvalid, Message: "Nhiệm vụ chưa hợp lệ; chưa ghi gì.", Fields: []dangvu.FieldError{{Field: "assignee_org_id", Reason: msg}}}
	} else {
		_, err = s.createProgTask(r, r.PathValue("id"), progTaskInput{Title: v["title"], AssigneeOrgID: org, AssigneeName: v["assignee_name"], Deadline: v["deadline"]})
	}
	if err == nil {
		http.Redirect(w, r, "/programmes/"+r.PathValue("id"), http.StatusSeeOther)
		return nil
	}
	m, other, err := disFormErrors(err, "title", "assignee_org_id", "assignee_name", "deadline")
	if err != nil {
		return err
	}
	return s.renderProgramme(w, r, http.StatusBadRequest, v, m, other, progressForm{})
}

func (s *Server) taskProgressPost(w http.ResponseWriter, r *http.Request) error {
	v, err := disFormValues(r, "date", "status", "note", "evidence")
	if err != nil {
		return err
	}
	docID, err := s.Store.TaskDocument(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := s.checkTaskWrite(r, r.PathValue("id")); err != nil {
		return err
	}
	_, err = s.Store.AddTaskNote(r.Context(), s.actor(r), dangvu.TaskNote{TaskID: r.PathValue("id"), Date: day(v["date"]), Status: dangvu.TaskStatus(v["status"]), Note: v["note"], Evidence: v["evidence"]})
	if err == nil {
		http.Redirect(w, r, "/programmes/"+docID+"#"+url.PathEscape(r.PathValue("id")), http.StatusSeeOther)
		return nil
	}
	// The errors beside the task's own progress form, opened.
	m, other, err := disFormErrors(err, "date", "status", "note", "evidence")
	if err != nil {
		return err
	}
	task := r.PathValue("id")
	r.SetPathValue("id", docID)
	return s.renderProgramme(w, r, http.StatusBadRequest, map[string]string{}, nil, other, progressForm{Task: task, Values: v, Errors: m})
}

// maxConferences is the store's bound on one list of conferences.
const maxConferences = 2000

type conferencesData struct {
	Org    string
	Confs  []dangvu.Conference
	Form   map[string]string
	Errors map[string]string
	Other  []dangvu.FieldError
	CSRF   string
	Kinds  []dangvu.Code[dangvu.ConferenceKind]
	Pager  pager
	// Choices are the documents matching a name typed among the documents studied (pickers.go).
	Choices []pickOption
}

func (s *Server) renderConferences(w http.ResponseWriter, r *http.Request, status int, form, errs map[string]string, other []dangvu.FieldError, choices ...pickOption) error {
	f, err := s.confFilter(r)
	if err != nil {
		return err
	}
	f.Limit = maxConferences // every one up to the store's bound, a page at a time
	cs, err := s.Store.Conferences(r.Context(), f)
	if err != nil {
		return err
	}
	cs, pg := paginate(r, cs, len(cs) >= maxConferences, "hội nghị, lớp học")
	if form == nil {
		form = map[string]string{"org_id": f.Under, "kind": "conference"}
	}
	return s.render(w, r, status, "conferences.html", "Hội nghị học tập", "conferences", conferencesData{Org: f.Under, Confs: cs, Form: form, Errors: errs,
		Other: other, CSRF: s.csrf(r), Kinds: dangvu.ConferenceKinds, Pager: pg, Choices: choices})
}

func (s *Server) conferencesPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderConferences(w, r, http.StatusOK, nil, nil, nil)
}

func (s *Server) conferencesPost(w http.ResponseWriter, r *http.Request) error {
	v, err := disFormValues(r, "kind", "org_id", "scope_org_id", "title", "date", "end_date", "place", "presenter", "documents", "reflection")
	if err != nil {
		return err
	}
	// The organisations may be typed by name or part of one (within the user's subtree).
	day := s.today()
	if t, err := vn.ParseDate(v["date"]); err == nil {
		day = t
	}
	for _, k := range []string{"org_id", "scope_org_id"} {
		if ref := strings.TrimSpace(v[k]); ref != "" {
			if o, err := s.findOrg(r, ref, day); err == nil {
				v[k] = o.ID
			}
		}
	}
	in := confInput{Kind: dangvu.ConferenceKind(v["kind"]), OrgID: v["org_id"], ScopeOrgID: v["scope_org_id"], Title: v["title"], Date: v["date"],
		EndDate: v["end_date"], Place: v["place"], Presenter: v["presenter"], Reflection: v["reflection"] != ""}
	// Documents are typed by number ("04-NQ/TW, 05-NQ/TW"), id or part of a title (pickers.go).
	// Titles several documents match offer them as checkboxes; once some are ticked, such
	// titles stand for the ticked documents.
	var bad []dangvu.FieldError
	var choices []pickOption
	picked := r.PostForm["pick.documents"]
	for _, n := range strings.FieldsFunc(v["documents"], func(r rune) bool { return r == ',' || r == ';' }) {
		if n = strings.TrimSpace(n); n == "" {
			continue
		}
		m, err := s.matchDocument(r, n)
		switch {
		case err != nil:
			return err
		case m.id != "":
			in.DocumentIDs = append(in.DocumentIDs, m.id)
		case len(m.opts) > 0 && len(picked) > 0:
		default:
			bad, choices = append(bad, dangvu.FieldError{Field: "documents", Reason: m.msg}), append(choices, m.opts...)
		}
	}
	for _, id := range picked {
		if id = strings.TrimSpace(id); id != "" {
			in.DocumentIDs = append(in.DocumentIDs, id) // checked by createConference as any id
		}
	}
	if len(bad) > 0 {
		err = &dangvu.Error{Code: dangvu.EInvalid, Message: "Hội nghị chưa hợp lệ.", Fields: bad}
	} else {
		var c dangvu.Conference
		if c, err = s.createConference(r, in); err == nil {
			http.Redirect(w, r, "/conferences/"+c.ID, http.StatusSeeOther)
			return nil
		}
	}
	for i, f := range fieldsOf(err) {
		if f.Field == "document_ids" {
			fieldsOf(err)[i].Field = "documents"
		}
	}
	m, other, err := disFormErrors(err, "kind", "org_id", "scope_org_id", "title", "documents", "date", "end_date", "place", "presenter")
	if err != nil {
		return err
	}
	return s.renderConferences(w, r, http.StatusBadRequest, v, m, other, choices...)
}

type conferenceData struct {
	Conf     dangvu.Conference
	Docs     []dangvu.Document
	Sheet    []sheetRow
	Counts   map[string]int
	Statuses []dangvu.Code[dangvu.AttendanceStatus]
	Errors   []dangvu.FieldError // those not tied to a line of the sheet
	Invalid  bool                // the posted sheet was refused
	CSRF     string
	Saved    bool
	Rest     dangvu.AttendanceStatus // what the lines left blank are recorded as ("" for nothing)
	// Find narrows the sheet to the members whose name matches from any word (?q=): a ward's
	// sheet of 1.494 lines, where the absentees are looked for by name, no script needed.
	Find  string
	Shown int
}

// sheetRow is a line of the attendance form: the stored line, or what was typed when the sheet
// was refused, with that line's errors by field (status, reason, made_up_on, member_id).
type sheetRow struct {
	dangvu.Attendance
	MadeUpText string // as typed, when Posted
	Posted     bool
	Errs       map[string]string
}

// sheetPost is what the sheet form posted for a member.
type sheetPost struct {
	Line       dangvu.Attendance
	MadeUpText string
}

func (s *Server) renderConference(w http.ResponseWriter, r *http.Request, status int, errs []dangvu.FieldError, posted map[string]sheetPost, lineErrs map[string]map[string]string) error {
	c, err := s.Store.Conference(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	lines, err := s.Store.Sheet(r.Context(), c.ID)
	if err != nil {
		return err
	}
	counts := map[string]int{"total": len(lines), "present": 0, "absent_excused": 0, "absent": 0, "made_up": 0}
	sheet := make([]sheetRow, len(lines))
	for i, a := range lines {
		counts[string(a.Status)]++
		row := sheetRow{Attendance: a, Errs: lineErrs[a.MemberID]}
		if p, ok := posted[a.MemberID]; ok {
			row.Status, row.Reason, row.MadeUpOn, row.MadeUpText, row.Posted = p.Line.Status, p.Line.Reason, p.Line.MadeUpOn, p.MadeUpText, true
		}
		sheet[i] = row
	}
	find := strings.TrimSpace(r.URL.Query().Get("q"))
	if find != "" {
		want := " " + vn.Fold(find)
		sheet = slices.DeleteFunc(sheet, func(row sheetRow) bool {
			return !strings.Contains(" "+vn.Fold(row.MemberName), want) && row.MemberID != find
		})
	}
	var docs []dangvu.Document
	for _, id := range c.DocumentIDs {
		if s.checkDocument(r, id, s.today()) != nil {
			continue
		}
		if d, err := s.Store.Document(r.Context(), id); err == nil {
			docs = append(docs, d)
		}
	}
	rest := dangvu.AttPresent
	if counts["total"] > counts["present"]+counts["absent_excused"]+counts["absent"]+counts["made_up"] && counts["present"]+counts["absent_excused"]+counts["absent"]+counts["made_up"] > 0 {
		rest = "" // a sheet partly taken: blank lines stay blank unless asked
	}
	if find != "" {
		rest = "" // the lines found are marked one by one; the others are not on the form
	}
	if posted != nil {
		rest = dangvu.AttendanceStatus(r.PostForm.Get("rest"))
	}
	return s.render(w, r, status, "conference.html", c.Title, "conferences", conferenceData{Rest: rest, Conf: c, Docs: docs, Sheet: sheet, Counts: counts, Find: find, Shown: len(sheet),
		Statuses: dangvu.AttendanceStatuses, Errors: errs, Invalid: len(errs)+len(lineErrs) > 0, CSRF: s.csrf(r), Saved: r.URL.Query().Get("saved") == "1"})
}

func (s *Server) conferencePage(w http.ResponseWriter, r *http.Request) error {
	return s.renderConference(w, r, http.StatusOK, nil, nil, nil)
}

// attendancePost reads the sheet form: for each member, status.ID, reason.ID and made_up.ID;
// lines left without a status are not recorded. A refused sheet comes back with everything typed
// and each error beside its line and field.
func (s *Server) attendancePost(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "Biểu mẫu không đọc được.")
	}
	var lines []dangvu.Attendance
	posted := map[string]sheetPost{}
	var refused []dangvu.FieldError // the sheet's own checks, by line
	// Attendance by exception: the lines left blank take the status chosen for "the rest"
	// (present by default on a sheet not yet taken), so only the absent need marking.
	rest := dangvu.AttendanceStatus(r.PostForm.Get("rest"))
	for _, id := range r.PostForm["member"] {
		typed := strings.TrimSpace(r.PostForm.Get("made_up." + id))
		madeUp, ok := disDate(typed)
		a := dangvu.Attendance{MemberID: id, Status: dangvu.AttendanceStatus(r.PostForm.Get("status." + id)),
			Reason: strings.TrimSpace(r.PostForm.Get("reason." + id)), MadeUpOn: madeUp}
		if a.Status == "" && a.Reason == "" && typed == "" {
			a.Status = rest
		}
		if !ok {
			refused = append(refused, dangvu.FieldError{Field: lineKey(id, "made_up_on"), Reason: badMadeUpOn})
		}
		posted[id] = sheetPost{Line: a, MadeUpText: typed}
		if a.Status != "" {
			lines = append(lines, a)
		}
	}
	if err := s.checkSheetRefs(r, lines); err != nil {
		return err
	}
	var err error = &dangvu.Error{Code: dangvu.EInvalid, Fields: refused}
	if len(refused) == 0 {
		err = s.Store.SetAttendance(r.Context(), s.actor(r), r.PathValue("id"), lines)
		if err == nil {
			http.Redirect(w, r, "/conferences/"+r.PathValue("id")+"?saved=1", http.StatusSeeOther)
			return nil
		}
	}
	// Each error beside its member's line, the others in the summary.
	errs := map[string]string{}
	bad, err := placeErrors(onLines(err, func(row int) (string, bool) {
		if row > 0 && row <= len(lines) {
			return lines[row-1].MemberID, true
		}
		return "", false
	}), errs, inputsOf())
	if err != nil {
		return err
	}
	lineErrs := map[string]map[string]string{}
	for id := range posted {
		if m := lineErrors(errs, id); m != nil {
			lineErrs[id] = m
		}
	}
	return s.renderConference(w, r, http.StatusBadRequest, bad, posted, lineErrs)
}

func (s *Server) coveragePage(w http.ResponseWriter, r *http.Request) error {
	q, err := s.coverageQuery(r)
	if err != nil {
		return err
	}
	cov, err := s.Store.StudyCoverage(r.Context(), q, true)
	if err != nil && dangvu.ErrorCode(err) != dangvu.ENotFound {
		return err
	}
	var problem string
	if err != nil {
		problem = dangvu.ErrorMessage(err)
	}
	more := 0
	if len(cov.NotReached) > 500 {
		more = len(cov.NotReached) - 500
		cov.NotReached = cov.NotReached[:500]
	}
	return s.render(w, r, http.StatusOK, "coverage.html", "Học tập, quán triệt nghị quyết", "coverage", struct {
		Q       dangvu.ReportQuery
		Cov     dangvu.Coverage
		More    int
		Problem string
	}{q, cov, more, problem})
}

func (s *Server) studyPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderStudy(w, r, http.StatusOK, "", nil)
}

func (s *Server) renderStudy(w http.ResponseWriter, r *http.Request, status int, done string, errs []dangvu.FieldError) error {
	st, err := s.myStudy(r)
	if err != nil {
		return err
	}
	return s.render(w, r, status, "study.html", "Học tập nghị quyết của tôi", "study", struct {
		myStudy
		CSRF   string
		Done   string
		Errors []dangvu.FieldError
	}{st, s.csrf(r), done, errs})
}

func (s *Server) studyReflectionPost(w http.ResponseWriter, r *http.Request) error {
	v, err := disFormValues(r, "conference_id", "document_id", "text")
	if err != nil {
		return err
	}
	_, err = s.addReflection(r, v["conference_id"], v["document_id"], strings.ReplaceAll(r.PostForm.Get("text"), "\r\n", "\n"))
	if err == nil {
		return s.renderStudy(w, r, http.StatusOK, "Đã nộp bài thu hoạch.", nil)
	}
	var e *dangvu.Error
	if !errors.As(err, &e) {
		return err
	}
	fields := e.Fields
	if len(fields) == 0 {
		fields = []dangvu.FieldError{{Reason: e.Message}}
	}
	return s.renderStudy(w, r, http.StatusBadRequest, "", fields)
}

// disseminationFuncs: part of disseminationModule.
func disseminationFuncs(m *module) {
	m.funcs["docKind"] = func(k dangvu.DocKind) string { return dangvu.CodeName(dangvu.DocKinds, k) }
	m.funcs["direction"] = func(d dangvu.Direction) string { return dangvu.CodeName(dangvu.Directions, d) }
	m.funcs["secrecy"] = func(x dangvu.Secrecy) string { return dangvu.CodeName(dangvu.Secrecies, x) }
	m.funcs["taskStatus"] = func(x dangvu.TaskStatus) string { return dangvu.CodeName(dangvu.TaskStatuses, x) }
	m.funcs["attStatus"] = func(x dangvu.AttendanceStatus) string { return dangvu.CodeName(dangvu.AttendanceStatuses, x) }
	m.funcs["confKind"] = func(x dangvu.ConferenceKind) string { return dangvu.CodeName(dangvu.ConferenceKinds, x) }
	m.funcs["disPct"] = func(v float64) string { return vn.FormatPercent(v, 2) }
	m.funcs["docKinds"] = func() []dangvu.Code[dangvu.DocKind] { return dangvu.DocKinds }
	m.funcs["secrecies"] = func() []dangvu.Code[dangvu.Secrecy] { return dangvu.Secrecies }
	// programmeKinds are the kinds of document the programme form issues.
	m.funcs["programmeKinds"] = func() [][2]string {
		return [][2]string{{"CTr", "Chương trình hành động (CTr)"}, {"KH", "Kế hoạch (KH)"}}
	}
	// restMarks are what an attendance sheet may record for those left blank.
	m.funcs["restMarks"] = func() [][2]string {
		return [][2]string{{"", "— để trống, chưa ghi —"}, {string(dangvu.AttPresent), dangvu.CodeName(dangvu.AttendanceStatuses, dangvu.AttPresent)}}
	}
	// registers are the register form's choices of book, as the form names them.
	m.funcs["registers"] = func() [][2]string {
		return [][2]string{{string(dangvu.DirOwn), "Văn bản cấp ủy ban hành (cấp số tự động nếu để trống số)"}, {string(dangvu.DirIncoming), "Văn bản đến"}}
	}
}

// progRow is a task line of the programme form, as typed, with its errors by field.
type progRow struct {
	N                          int
	Title, Org, Name, Deadline string
	Errs                       map[string]string
}

type progFormData struct {
	Form   map[string]string
	Errors map[string]string
	Other  []dangvu.FieldError
	Rows   []progRow
	CSRF   string
	// Choices are the documents matching what was typed as the implemented one (pickers.go).
	Choices []pickOption
}

var progFormFields = []string{"org_id", "kind", "number", "date", "title", "implements", "secrecy"}

func (s *Server) renderProgrammeForm(w http.ResponseWriter, r *http.Request, status int, d progFormData) error {
	d.CSRF = s.csrf(r)
	for len(d.Rows) < 5 {
		d.Rows = append(d.Rows, progRow{})
	}
	for i := range d.Rows {
		d.Rows[i].N = i + 1
	}
	return s.render(w, r, status, "programme_new.html", "Ban hành chương trình, kế hoạch", "documents", d)
}

// programmeNewPage is the form issuing a programme or plan with its tasks in one go.
func (s *Server) programmeNewPage(w http.ResponseWriter, r *http.Request) error {
	org := s.defaultOrg(r, r.URL.Query().Get("org"))
	return s.renderProgrammeForm(w, r, http.StatusOK, progFormData{Form: map[string]string{"org_id": org, "kind": "CTr", "secrecy": "none"}})
}

// programmePost issues the programme and its tasks in one transaction (Store.CreateProgramme):
// blank task lines are skipped; a refused form comes back as typed, each error beside its field
// or its task line. "more" adds three blank lines without saving.
func (s *Server) programmePost(w http.ResponseWriter, r *http.Request) error {
	v, err := disFormValues(r, progFormFields...)
	if err != nil {
		return err
	}
	n, _ := strconv.Atoi(r.PostForm.Get("rows"))
	var rows []progRow
	var tasks []dangvu.Task
	var lineOf []int                    // the form line of each task given to the store
	var lineRefused []dangvu.FieldError // a line's committee named several
	for i := 1; i <= n && i <= 200; i++ {
		k := strconv.Itoa(i)
		row := progRow{Title: strings.TrimSpace(r.PostForm.Get("task_title." + k)), Org: strings.TrimSpace(r.PostForm.Get("task_org." + k)),
			Name: strings.TrimSpace(r.PostForm.Get("task_name." + k)), Deadline: strings.TrimSpace(r.PostForm.Get("task_deadline." + k))}
		if row.Title+row.Org+row.Name+row.Deadline == "" {
			rows = append(rows, row)
			continue
		}
		// Each line's lower committee by code or any unambiguous part of its name.
		org, msg, err := s.orgByName(r, row.Org, s.today())
		if err != nil {
			return err
		}
		rows = append(rows, row)
		tasks = append(tasks, dangvu.Task{Title: row.Title, AssigneeOrgID: org, AssigneeName: row.Name, Deadline: day(row.Deadline)})
		lineOf = append(lineOf, len(rows)-1)
		if msg != "" {
			lineRefused = append(lineRefused, dangvu.FieldError{Row: len(tasks), Field: "assignee_org_id", Reason: msg})
		}
	}
	if r.PostForm.Get("more") != "" {
		return s.renderProgrammeForm(w, r, http.StatusOK, progFormData{Form: v, Rows: append(rows, progRow{}, progRow{}, progRow{})})
	}
	d := dangvu.Document{OrgID: v["org_id"], Direction: dangvu.DirOwn, Kind: dangvu.DocKind(v["kind"]), Number: v["number"], Date: day(v["date"]),
		Title: v["title"], Secrecy: dangvu.Secrecy(v["secrecy"])}
	if d.Secrecy == "" {
		d.Secrecy = dangvu.SecrecyNone
	}
	var pre []dangvu.FieldError
	if !d.Kind.IsProgramme() {
		pre = append(pre, dangvu.FieldError{Field: "kind", Reason: "chương trình (CTr) hoặc kế hoạch (KH)"})
	}
	org, msg, err := s.orgByName(r, d.OrgID, s.today())
	if err != nil {
		return err
	}
	if d.OrgID = org; msg != "" {
		pre = append(pre, dangvu.FieldError{Field: "org_id", Reason: msg})
	}
	if len(lineRefused) > 0 && len(pre) == 0 {
		pre = append(pre, dangvu.FieldError{Reason: "một số dòng nhiệm vụ ghi cấp ủy khớp với nhiều tổ chức: chọn rõ hơn ở dòng được đánh dấu"})
	}
	// The document implemented is typed by number, id or part of its title, among the documents
	// the user may see (pickers.go); several matches are offered beside the field.
	var choices []pickOption
	if ref := v["implements"]; ref != "" {
		if chosen := strings.TrimSpace(r.PostForm.Get("pick.implements")); chosen != "" {
			ref = chosen
		}
		m, err := s.matchDocument(r, ref)
		if err != nil {
			return err
		}
		if d.Implements = m.id; m.id == "" {
			pre, choices = append(pre, dangvu.FieldError{Field: "implements", Reason: m.msg}), m.opts
		}
	}
	if len(pre) == 0 {
		if err = s.checkNewDocument(r, d); err != nil {
			return err
		}
		if err = s.checkRefs(r, taskRefs(d, tasks...)...); err != nil {
			return err
		}
		var doc dangvu.Document
		if doc, _, err = s.Store.CreateProgramme(r.Context(), s.actor(r), d, tasks); err == nil {
			http.Redirect(w, r, "/programmes/"+doc.ID, http.StatusSeeOther)
			return nil
		}
	} else {
		err = &dangvu.Error{Code: dangvu.EInvalid, Message: "Chương trình chưa hợp lệ; chưa ghi gì.", Fields: append(pre, lineRefused...)}
	}
	// Task errors go beside their line (a task's member is its line's committee input), the
	// programme's beside its fields.
	for i, f := range fieldsOf(err) {
		if f.Row > 0 && f.Field == "assignee_member_id" {
			fieldsOf(err)[i].Field = "assignee_org_id"
		}
	}
	m, other, err := disFormErrors(onLines(err, func(row int) (string, bool) {
		if row > 0 && row <= len(lineOf) {
			return strconv.Itoa(lineOf[row-1]), true
		}
		return "", false
	}), progFormFields...)
	if err != nil {
		return err
	}
	for i := range rows {
		rows[i].Errs = lineErrors(m, strconv.Itoa(i))
	}
	return s.renderProgrammeForm(w, r, http.StatusBadRequest, progFormData{Form: v, Errors: m, Other: other, Rows: rows, Choices: choices})
}
