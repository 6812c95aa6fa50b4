package httpapi

import (
	"encoding/base64"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/rules/admission"
	"dangvu/internal/store"
	"dangvu/internal/vn"
)

func admissionsModule(m *module) {
	m.routes = append(m.routes, admissionRoutes)
	m.api = admissionAPI
	m.nav = append(m.nav, navItem{"admissions", "/admissions", "Kết nạp", string(dangvu.ActAdmissions)})
	m.objectScopes["admissions"] = func(s *Server, r *http.Request, id string, asOf time.Time) error {
		return s.checkAdmission(r, id, asOf)
	}
	m.funcs["stageName"] = func(st dangvu.AdmissionStage) string { return dangvu.AdmissionStageName(st) }
	m.funcs["stateName"] = stateName
	m.funcs["outcomeName"] = func(o string) string {
		return map[string]string{dangvu.OutcomeApproved: "Công nhận chính thức", dangvu.OutcomeRejected: "Không công nhận, xóa tên"}[o]
	}
	m.funcs["admJoin"] = strings.Join
	m.funcs["actKind"] = func(k dangvu.LifeActKind) string { return dangvu.CodeName(dangvu.LifeActKinds, k) }
	m.funcs["admStates"] = func() []string { return []string{"candidate", "probation", "full", "removed"} }
	m.funcs["lastStep"] = func(f dangvu.AdmissionFile) *dangvu.AdmissionStep {
		if len(f.Steps) == 0 {
			return nil
		}
		return &f.Steps[len(f.Steps)-1]
	}
}

// The bodies of the admission routes.
type (
	admissionListBody struct {
		AsOf string `json:"as_of"`
		Org  string `json:"org"`
		apiPage
		Admissions []dangvu.AdmissionFile `json:"admissions"`
	}
	lifeActListBody struct {
		MemberID string `json:"member_id"`
		apiPage
		Acts []dangvu.LifeAct `json:"acts"`
	}
)

// admissionAPI names the types the admission routes decode and encode.
var admissionAPI = map[string]apiTypes{
	"GET /api/v1/admissions":                 {out: admissionListBody{}},
	"GET /api/v1/admissions/{id}":            {out: dangvu.AdmissionFile{}},
	"POST /api/v1/admissions":                {in: dangvu.AdmissionFile{}, out: dangvu.AdmissionFile{}, status: http.StatusCreated},
	"POST /api/v1/admissions/{id}/steps":     {in: stepInput{}, out: dangvu.AdmissionFile{}, status: http.StatusCreated},
	"GET /api/v1/admissions/{id}/attachment": {file: "application/octet-stream"},
	"GET /api/v1/members/{id}/acts":          {out: lifeActListBody{}},
	"POST /api/v1/members/{id}/acts":         {in: dangvu.LifeAct{}, out: dangvu.LifeAct{}, status: http.StatusCreated},
}

func admissionRoutes() []route {
	return []route{
		{"GET /api/v1/admissions", (*Server).admissionList, "Hồ sơ kết nạp của các chi bộ trong phạm vi tổ chức; lọc theo bước tiếp theo (next) hoặc tình trạng (state: candidate, probation, full, removed)", []string{"org", "next", "state", "as_of", "limit"}, false, dangvu.ActAdmissions},
		{"GET /api/v1/admissions/{id}", (*Server).admissionOne, "Một hồ sơ kết nạp với các bước đã ghi và bước tiếp theo", nil, false, dangvu.ActAdmissions},
		{"POST /api/v1/admissions", (*Server).admissionCreate, "Lập hồ sơ kết nạp (JSON: id, org_id, full_name, gender, birth_date, education, youth_union, readmission, member_id)", nil, false, dangvu.ActAdmissions},
		{"POST /api/v1/admissions/{id}/steps", (*Server).admissionStepPost, "Ghi một bước của hồ sơ (JSON: stage, date, document, issuer, entitled, present, yes, people, known, replacements, extension, outcome, override, note, attachment, attachment_base64); lỗi nêu quy định", nil, false, dangvu.ActAdmissions},
		{"GET /api/v1/admissions/{id}/attachment", (*Server).admissionAttachment, "Tệp đính kèm của một bước (stage; mặc định: bước gần nhất có tệp)", []string{"stage"}, false, dangvu.ActAdmissions},
		{"GET /api/v1/members/{id}/acts", (*Server).lifeActList, "Các việc chuyển sinh hoạt, miễn, xóa tên, từ trần, phát thẻ của một đảng viên", nil, false, dangvu.ActAdmissions},
		{"POST /api/v1/members/{id}/acts", (*Server).lifeActPost, "Ghi một việc: chuyển sinh hoạt chính thức/tạm thời đi, đến; miễn sinh hoạt; xóa tên; từ trần; phát thẻ (JSON: kind, date, org_id, external, until, effective, document, card_number, reason, override)", nil, false, dangvu.ActAdmissions},
		{"GET /admissions", htmlPage((*Server).admissionsPage), "Hồ sơ kết nạp đảng viên", []string{"org", "next", "state", "as_of"}, false, dangvu.ActAdmissions},
		{"GET /admissions/new", htmlPage((*Server).admissionNewPage), "Lập hồ sơ kết nạp", []string{"org"}, false, dangvu.ActAdmissions},
		{"POST /admissions/new", htmlPage((*Server).admissionNewPost), "Lưu hồ sơ kết nạp mới", nil, false, dangvu.ActAdmissions},
		{"GET /admissions/{id}", htmlPage((*Server).admissionPage), "Một hồ sơ kết nạp: các bước và biểu mẫu bước tiếp theo", nil, false, dangvu.ActAdmissions},
		{"POST /admissions/{id}", htmlPage((*Server).admissionStepForm), "Ghi bước tiếp theo của hồ sơ kết nạp", nil, false, dangvu.ActAdmissions},
		{"GET /admissions/{id}/attachment", (*Server).admissionAttachment, "Tệp đính kèm của một bước", []string{"stage"}, false, dangvu.ActAdmissions},
		{"GET /members/{id}/acts", htmlPage((*Server).lifeActsPage), "Chuyển sinh hoạt, miễn sinh hoạt, xóa tên, từ trần, phát thẻ của một đảng viên", nil, false, dangvu.ActAdmissions},
		{"POST /members/{id}/acts", htmlPage((*Server).lifeActForm), "Ghi một việc của đảng viên", nil, false, dangvu.ActAdmissions},
		{"GET /admissions/reminders.csv", (*Server).remindersCSV, "Các hạn kết nạp, công nhận chính thức, chuyển sinh hoạt (CSV)", []string{"org", "as_of"}, false, dangvu.ActAdmissions},
	}
}

func stateName(s string) string {
	return map[string]string{"candidate": "Quần chúng ưu tú", "probation": "Đảng viên dự bị", "full": "Đã công nhận chính thức", "removed": "Xóa tên (không được công nhận)"}[s]
}

// checkAdmission answers not found for a file whose cell lies outside the user's subtree, on
// asOf or, for a cell since dissolved, on the date of the file's last step.
func (s *Server) checkAdmission(r *http.Request, id string, asOf time.Time) error {
	org, err := s.Store.AdmissionFileOrg(r.Context(), id)
	if err != nil {
		return err
	}
	if s.checkOrg(r, org, asOf) == nil {
		return nil
	}
	if f, err := s.Store.AdmissionFile(r.Context(), id); err == nil && len(f.Steps) > 0 {
		if t, err := dangvu.RequireDate(f.Steps[len(f.Steps)-1].Date); err == nil && s.checkOrg(r, org, t) == nil {
			return nil
		}
	}
	if s.user(r) == nil {
		return errLogin
	}
	return dangvu.Errorf(dangvu.ENotFound, "không có hồ sơ kết nạp mã %q", id)
}

func (s *Server) admissionQuery(r *http.Request) (dangvu.AdmissionFilter, time.Time, error) {
	asOf, err := date(r, "as_of", s.viewDay(r, r.URL.Query().Get("org")))
	if err != nil {
		return dangvu.AdmissionFilter{}, asOf, err
	}
	limit, err := intParam(r, "limit", 500)
	if err != nil {
		return dangvu.AdmissionFilter{}, asOf, err
	}
	q := r.URL.Query()
	f := dangvu.AdmissionFilter{Under: s.defaultOrg(r, q.Get("org")), Next: dangvu.AdmissionStage(q.Get("next")), State: q.Get("state"), Limit: limit}
	if f.Next != "" && dangvu.AdmissionStageIndex(f.Next) < 0 {
		return f, asOf, &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: "next", Reason: "bước " + string(f.Next) + " không có"}}}
	}
	if f.State != "" && stateName(f.State) == "" {
		return f, asOf, &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: "state", Reason: "dùng candidate, probation, full hoặc removed"}}}
	}
	if f.Under == "" {
		roots, err := s.Store.Orgs(r.Context(), dangvu.OrgFilter{AsOf: asOf, Limit: 1})
		if err != nil || len(roots) == 0 {
			return f, asOf, dangvu.Errorf(dangvu.EInvalid, "cần tham số org")
		}
		f.Under = roots[0].ID
	}
	return f, asOf, s.checkOrg(r, f.Under, asOf)
}

func (s *Server) admissionList(w http.ResponseWriter, r *http.Request) error {
	f, asOf, err := s.admissionQuery(r)
	if err != nil {
		return err
	}
	f.Limit = 5000
	files, err := s.Store.AdmissionFiles(r.Context(), f, asOf)
	if err != nil {
		return err
	}
	files, page, err := pageOf(r, files, 500)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, admissionListBody{AsOf: dangvu.ISO(asOf), Org: f.Under, apiPage: page, Admissions: files})
}

func (s *Server) admissionOne(w http.ResponseWriter, r *http.Request) error {
	f, err := s.Store.AdmissionFile(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, f)
}

func (s *Server) admissionCreate(w http.ResponseWriter, r *http.Request) error {
	var f dangvu.AdmissionFile
	if err := decodeJSON(r, &f); err != nil {
		return err
	}
	// A readmission names the former member: one outside the subtree is not found, not named.
	if err := s.checkRefs(r, orgRef(f.OrgID), memberRef(f.MemberID)); err != nil {
		return err
	}
	out, err := s.Store.CreateAdmissionFile(r.Context(), s.actor(r), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, out)
}

// maxStepBody bounds a step's JSON, whose attachment (up to store.MaxAttachment) comes in base64.
const maxStepBody = store.MaxAttachment/3*4 + 1<<20

// fieldInputs is a placeErrors input for a form of these fields.
func fieldInputs(fields []formField) func(string) string {
	return func(name string) string {
		for _, f := range fields {
			if f.Name == name {
				return name
			}
		}
		return ""
	}
}

// stepInput is the JSON of a step: dates ISO or dd/mm/yyyy.
type stepInput struct {
	dangvu.AdmissionStep
	AttachmentBase64 string `json:"attachment_base64"`
}

func (s *Server) admissionStepPost(w http.ResponseWriter, r *http.Request) error {
	var in stepInput
	if err := decodeJSONUpTo(r, &in, maxStepBody); err != nil {
		return err
	}
	st := in.AdmissionStep
	st.FileID = r.PathValue("id")
	if err := normaliseStepDates(&st); err != nil {
		return err
	}
	if err := s.checkRefs(r, stepRefs(st)...); err != nil {
		return err
	}
	var att *dangvu.Attachment
	if in.AttachmentBase64 != "" {
		b, err := base64.StdEncoding.DecodeString(in.AttachmentBase64)
		if err != nil {
			return &dangvu.Error{Code: dangvu.EInvalid, Message: "Tệp đính kèm không đọc được.", Fields: []dangvu.FieldError{{Field: "attachment_base64", Reason: "cần base64"}}}
		}
		name := in.Attachment
		if name == "" {
			name = string(st.Stage)
		}
		att = &dangvu.Attachment{Name: name, Content: b}
	}
	f, err := s.Store.RecordStep(r.Context(), s.actor(r), st, att)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, f)
}

// stepRefs are the members a step names: the introducers and their replacements (the Youth
// Union's executive is named by the word youth_union, not an id).
func stepRefs(st dangvu.AdmissionStep) []ref {
	var refs []ref
	for _, p := range append(append([]string{}, st.People...), st.Replacements...) {
		if p != "youth_union" {
			refs = append(refs, memberRef(p))
		}
	}
	return refs
}

// lifeActRefs is the organisation an act names, except the receiving side of a transfer out,
// official or temporary, which lies outside the subtree by nature: the act only records a
// movement, and the receiving side records the arrival.
func lifeActRefs(a dangvu.LifeAct) []ref {
	if a.Kind == dangvu.ActTransferOut || a.Kind == dangvu.ActTemporaryOut {
		return nil
	}
	return []ref{orgRef(a.OrgID)}
}

func normaliseStepDates(st *dangvu.AdmissionStep) error {
	for i, k := range st.Known {
		if k = strings.TrimSpace(k); k == "" {
			continue
		}
		// "dd/mm/yyyy cư trú": known only from living in the same residential area.
		day, lived, _ := strings.Cut(k, " ")
		t, err := vn.ParseDate(day)
		if err != nil {
			return &dangvu.Error{Code: dangvu.EInvalid, Message: "Không ghi được người giới thiệu.", Fields: []dangvu.FieldError{{Field: "known", Reason: err.Error()}}}
		}
		st.Known[i] = dangvu.ISO(t)
		if lived = strings.TrimSpace(lived); lived != "" {
			st.Known[i] += " " + lived
		}
	}
	return nil
}

func (s *Server) admissionAttachment(w http.ResponseWriter, r *http.Request) error {
	stage := dangvu.AdmissionStage(r.URL.Query().Get("stage"))
	if stage == "" {
		f, err := s.Store.AdmissionFile(r.Context(), r.PathValue("id"))
		if err != nil {
			return err
		}
		for _, st := range f.Steps {
			if st.Attachment != "" {
				stage = st.Stage
			}
		}
	}
	a, err := s.Store.AdmissionAttachment(r.Context(), r.PathValue("id"), stage)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	_, err = w.Write(a.Content)
	return err
}

func (s *Server) lifeActList(w http.ResponseWriter, r *http.Request) error {
	acts, err := s.Store.LifeActs(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	acts, page, err := pageOf(r, acts, 1000)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, lifeActListBody{MemberID: r.PathValue("id"), apiPage: page, Acts: acts})
}

func (s *Server) lifeActPost(w http.ResponseWriter, r *http.Request) error {
	var a dangvu.LifeAct
	if err := decodeJSON(r, &a); err != nil {
		return err
	}
	a.MemberID = r.PathValue("id") // its dates were read as dd/mm/yyyy or ISO (dangvu.Date)
	if err := s.checkRefs(r, lifeActRefs(a)...); err != nil {
		return err
	}
	out, err := s.Store.RecordLifeAct(r.Context(), s.actor(r), a)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, out)
}

// ---- pages ----

// maxAdmissionFiles is the store's bound on one list of admission files.
const maxAdmissionFiles = 5000

type admissionsView struct {
	Org    dangvu.Org
	AsOf   time.Time
	Filter dangvu.AdmissionFilter
	Files  []dangvu.AdmissionFile
	Stages []dangvu.Code[dangvu.AdmissionStage]
	Pager  pager
}

func (s *Server) admissionsPage(w http.ResponseWriter, r *http.Request) error {
	f, asOf, err := s.admissionQuery(r)
	if err != nil {
		return err
	}
	org, err := s.Store.Org(r.Context(), f.Under, asOf)
	if err != nil {
		return err
	}
	// The page says the true total: every file up to the store's bound, shown a page at a time.
	f.Limit = maxAdmissionFiles
	files, err := s.Store.AdmissionFiles(r.Context(), f, asOf)
	if err != nil {
		return err
	}
	shown, pg := paginate(r, files, len(files) >= maxAdmissionFiles, "hồ sơ")
	return s.render(w, r, http.StatusOK, "admissions.html", "Kết nạp đảng viên: "+org.Name, "admissions",
		admissionsView{Org: org, AsOf: asOf, Filter: f, Files: shown, Stages: dangvu.AdmissionStages, Pager: pg})
}

type admissionView struct {
	File   dangvu.AdmissionFile
	CSRF   string
	Fields []formField
	Other  []dangvu.FieldError
	Rules  admission.Set
	Error  string
	// CellOpen: the file's cell opens for the reader on the day the pages show (an account of
	// an organisation that ended sees its last day, where a cell made since is not its own).
	CellOpen bool
}

func stepFields(st dangvu.AdmissionStage) []formField {
	fs := []formField{{Name: "date", Label: "Ngày", Hint: "dd/mm/yyyy", Kind: "text"}}
	switch st {
	case dangvu.StageIntroducers:
		fs = append(fs, formField{Name: "people", Label: "Người giới thiệu (họ tên hoặc mã đảng viên; youth_union cho BCH Đoàn cơ sở, trade_union cho BCH công đoàn cơ sở nơi không có tổ chức Đoàn), cách nhau bởi ;", Kind: "text"},
			formField{Name: "known", Label: "Cùng công tác, học tập từ ngày (theo thứ tự người giới thiệu, cách nhau bởi ;); thêm \"cư trú\" nếu chỉ cùng sinh hoạt nơi cư trú (từ QĐ 24-QĐ/TW)", Hint: "dd/mm/yyyy; dd/mm/yyyy cư trú", Kind: "text"},
			formField{Name: "replacements", Label: "Người giới thiệu thay thế (họ tên hoặc mã đảng viên, cách nhau bởi ;)", Kind: "text"})
	case dangvu.StageDecision:
		fs = append(fs, formField{Name: "extension", Label: "Văn bản gia hạn thời gian xem xét (nếu có)", Kind: "text"})
	case dangvu.StageCellVote, dangvu.StageCommitteeVote, dangvu.StageFullVote:
		fs = append(fs, formField{Name: "entitled", Label: "Số có quyền biểu quyết", Kind: "number"},
			formField{Name: "present", Label: "Số có mặt", Kind: "number"},
			formField{Name: "yes", Label: "Số tán thành", Kind: "number"})
	case dangvu.StageFullDecision:
		fs = append(fs, formField{Name: "outcome", Label: "Kết quả", Kind: "select", Options: [][2]string{{dangvu.OutcomeApproved, "Công nhận chính thức"}, {dangvu.OutcomeRejected, "Không công nhận, xóa tên"}}},
			formField{Name: "extension", Label: "Văn bản gia hạn thời gian xem xét (nếu có)", Kind: "text"})
	}
	return append(fs,
		formField{Name: "document", Label: "Số văn bản", Hint: "Số 12-QĐ/ĐU", Kind: "text"},
		formField{Name: "issuer", Label: "Cơ quan ban hành, người ký", Kind: "text"},
		formField{Name: "attachment", Label: "Bản chụp văn bản (tùy chọn)", Kind: "file"},
		formField{Name: "note", Label: "Ghi chú", Kind: "textarea"},
		formField{Name: "override", Label: "Lý do vượt quy định (chỉ khi có văn bản cho phép; được ghi nhật ký)", Kind: "textarea"})
}

func (s *Server) admissionPage(w http.ResponseWriter, r *http.Request) error {
	f, err := s.Store.AdmissionFile(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.renderFile(w, r, http.StatusOK, f, stepFields(f.Next), nil)
}

func (s *Server) renderFile(w http.ResponseWriter, r *http.Request, status int, f dangvu.AdmissionFile, fields []formField, other []dangvu.FieldError) error {
	v := admissionView{File: f, CSRF: s.csrf(r), Fields: fields, Other: other, Rules: admission.For(s.today()),
		CellOpen: f.OrgID != "" && s.checkOrg(r, f.OrgID, s.viewDay(r, "")) == nil}
	if f.Next == "" {
		v.Fields = nil
	}
	return s.render(w, r, status, "admission.html", "Hồ sơ kết nạp: "+f.FullName, "admissions", v)
}

func (s *Server) admissionStepForm(w http.ResponseWriter, r *http.Request) error {
	f, err := s.Store.AdmissionFile(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if f.Next == "" {
		return dangvu.Errorf(dangvu.EConflict, "hồ sơ %s đã hoàn tất", f.ID)
	}
	if err := r.ParseMultipartForm(store.MaxAttachment + 1<<20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return dangvu.Errorf(dangvu.EInvalid, "Biểu mẫu không đọc được.")
	}
	fields := stepFields(f.Next)
	errs := map[string]string{}
	st := dangvu.AdmissionStep{FileID: f.ID, Stage: f.Next}
	for i := range fields {
		fd := &fields[i]
		if fd.Kind == "file" {
			continue
		}
		fd.Value = strings.TrimSpace(r.FormValue(fd.Name))
		switch fd.Name {
		case "date":
			if t, err := vn.ParseDate(fd.Value); err != nil {
				errs["date"] = err.Error()
			} else {
				st.Date = dangvu.DateOf(t)
			}
		case "entitled", "present", "yes":
			n, err := strconv.Atoi(fd.Value)
			if err != nil || n < 0 {
				errs[fd.Name] = "cần một số nguyên không âm"
			}
			*map[string]*int{"entitled": &st.Entitled, "present": &st.Present, "yes": &st.Yes}[fd.Name] = n
		case "people":
			for _, p := range strings.Split(fd.Value, ";") {
				if p = strings.TrimSpace(p); p != "" {
					st.People = append(st.People, p)
				}
			}
		case "known":
			for _, k := range strings.Split(fd.Value, ";") {
				st.Known = append(st.Known, strings.TrimSpace(k))
			}
		case "replacements":
			for _, p := range strings.Split(fd.Value, ";") {
				if p = strings.TrimSpace(p); p != "" {
					st.Replacements = append(st.Replacements, p)
				}
			}
		case "extension":
			st.Extension = fd.Value
		case "outcome":
			st.Outcome = fd.Value
		case "document":
			st.Document = fd.Value
		case "issuer":
			st.Issuer = fd.Value
		case "note":
			st.Note = fd.Value
		case "override":
			st.Override = fd.Value
		}
	}
	// Introducers by name as well as by code (pickers.go), each looked for within the writer's
	// subtree on the stage's day; youth_union and trade_union stand for the unions' committees.
	on := s.today()
	if t, err := dangvu.RequireDate(st.Date); err == nil {
		on = t
	}
	for _, list := range []struct {
		field string
		ids   *[]string
	}{{"people", &st.People}, {"replacements", &st.Replacements}} {
		var msgs []string
		for i, p := range *list.ids {
			if p == "youth_union" || p == "trade_union" {
				continue
			}
			m, err := s.matchMember(r, p, on)
			if err != nil {
				return err
			}
			switch {
			case m.id != "":
				(*list.ids)[i] = m.id
			case len(m.opts) > 0:
				var names []string
				for _, o := range m.opts {
					names = append(names, o.Name+" ("+o.ID+(map[bool]string{true: ", " + o.Note}[o.Note != ""])+")")
				}
				msgs = append(msgs, fmt.Sprintf("%q khớp với nhiều đảng viên: %s; gõ mã của người đúng", p, strings.Join(names, "; ")))
			default:
				msgs = append(msgs, m.msg)
			}
		}
		if len(msgs) > 0 && errs[list.field] == "" {
			errs[list.field] = strings.Join(msgs, "; ")
		}
	}
	var att *dangvu.Attachment
	if file, hdr, err := r.FormFile("attachment"); err == nil {
		b, err := io.ReadAll(io.LimitReader(file, store.MaxAttachment+1))
		file.Close()
		if err != nil {
			return err
		}
		if len(b) > 0 {
			att = &dangvu.Attachment{Name: hdr.Filename, Content: b}
		}
	}
	if len(errs) == 0 {
		if err := normaliseStepDates(&st); err != nil {
			errs["known"] = dangvu.ErrorMessage(err)
		}
	}
	if err := s.checkRefs(r, stepRefs(st)...); err != nil {
		return err
	}
	var other []dangvu.FieldError
	if len(errs) == 0 {
		_, err = s.Store.RecordStep(r.Context(), s.actor(r), st, att)
		if err == nil {
			http.Redirect(w, r, "/admissions/"+url.PathEscape(f.ID), http.StatusSeeOther)
			return nil
		}
		if other, err = placeErrors(err, errs, fieldInputs(fields)); err != nil {
			return err
		}
	}
	for i := range fields {
		fields[i].Err = errs[fields[i].Name]
	}
	return s.renderFile(w, r, http.StatusUnprocessableEntity, f, fields, other)
}

type newFileView struct {
	Org    dangvu.Org
	CSRF   string
	Fields []formField
	Other  []dangvu.FieldError
}

func newFileFields() []formField {
	return []formField{
		{Name: "id", Label: "Mã hồ sơ (để trống: hệ thống tự cấp theo năm)", Hint: "tự cấp, ví dụ KN-2026-001", Kind: "text"},
		{Name: "full_name", Label: "Họ và tên", Kind: "text"},
		{Name: "gender", Label: "Giới tính", Kind: "select", Options: [][2]string{{dangvu.Male, "Nam"}, {dangvu.Female, "Nữ"}}},
		{Name: "birth_date", Label: "Ngày sinh", Hint: "dd/mm/yyyy", Kind: "text"},
		{Name: "education", Label: "Giáo dục phổ thông", Hint: "12/12", Kind: "text"},
		{Name: "youth_union", Label: "Là đoàn viên TNCS Hồ Chí Minh", Kind: "select", Options: [][2]string{{"0", "Không"}, {"1", "Có"}}},
		{Name: "note", Label: "Ghi chú", Kind: "textarea"},
	}
}

func (s *Server) admissionNewPage(w http.ResponseWriter, r *http.Request) error {
	org := s.defaultOrg(r, r.URL.Query().Get("org"))
	if err := s.checkOrg(r, org, s.today()); err != nil {
		return err
	}
	o, err := s.Store.Org(r.Context(), org, s.today())
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admission_new.html", "Lập hồ sơ kết nạp", "admissions", newFileView{Org: o, CSRF: s.csrf(r), Fields: newFileFields()})
}

func (s *Server) admissionNewPost(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "Biểu mẫu không đọc được.")
	}
	org := r.PostForm.Get("org_id")
	if err := s.checkRefs(r, orgRef(org)); err != nil {
		return err
	}
	o, err := s.Store.Org(r.Context(), org, s.today())
	if err != nil {
		return err
	}
	fields := newFileFields()
	val := map[string]string{}
	for i := range fields {
		fields[i].Value = strings.TrimSpace(r.PostForm.Get(fields[i].Name))
		val[fields[i].Name] = fields[i].Value
	}
	errs := map[string]string{}
	birth := val["birth_date"]
	if p, err := vn.ParsePartialDate(birth); err != nil {
		errs["birth_date"] = err.Error()
	} else {
		birth = p.String()
	}
	var other []dangvu.FieldError
	if len(errs) == 0 && val["id"] == "" {
		// A code of the year, generated: nobody should have to invent one.
		id, err := s.Store.NextAdmissionFileID(r.Context(), s.today().Year())
		if err != nil {
			return err
		}
		val["id"] = id
	}
	if len(errs) == 0 {
		f, err := s.Store.CreateAdmissionFile(r.Context(), s.actor(r), dangvu.AdmissionFile{ID: val["id"], OrgID: org, FullName: val["full_name"], Gender: val["gender"],
			BirthDate: birth, Education: val["education"], YouthUnion: val["youth_union"] == "1", Note: val["note"]})
		if err == nil {
			http.Redirect(w, r, "/admissions/"+url.PathEscape(f.ID), http.StatusSeeOther)
			return nil
		}
		if other, err = placeErrors(err, errs, inputsIn(val)); err != nil {
			return err
		}
	}
	for i := range fields {
		fields[i].Err = errs[fields[i].Name]
	}
	return s.render(w, r, http.StatusUnprocessableEntity, "admission_new.html", "Lập hồ sơ kết nạp", "admissions", newFileView{Org: o, CSRF: s.csrf(r), Fields: fields, Other: other})
}

type lifeActsView struct {
	Member dangvu.Member
	Acts   []dangvu.LifeAct
	CSRF   string
	Fields []formField
	Other  []dangvu.FieldError
}

func lifeActFields() []formField {
	var kinds [][2]string
	for _, k := range dangvu.LifeActKinds {
		kinds = append(kinds, [2]string{string(k.Code), k.Name})
	}
	return []formField{
		{Name: "kind", Label: "Việc", Kind: "select", Options: kinds},
		{Name: "date", Label: "Ngày", Hint: "dd/mm/yyyy", Kind: "text"},
		{Name: "org_id", Label: "Tổ chức nơi đến, nơi sinh hoạt (mã hoặc tên)", Hint: "ví dụ: Chi bộ khu 3 Yên Tử", Kind: "text"},
		{Name: "external", Label: "Nơi đến ngoài hệ thống", Kind: "text"},
		{Name: "effective", Label: "Ngày quyết định chuyển có hiệu lực (chuyển đi)", Hint: "dd/mm/yyyy", Kind: "text"},
		{Name: "until", Label: "Đến ngày (sinh hoạt tạm thời)", Hint: "dd/mm/yyyy", Kind: "text"},
		{Name: "document", Label: "Số văn bản", Kind: "text"},
		{Name: "card_number", Label: "Số thẻ đảng viên (phát thẻ)", Kind: "text"},
		{Name: "reason", Label: "Lý do", Kind: "textarea"},
		{Name: "override", Label: "Lý do vượt quy định (được ghi nhật ký)", Kind: "textarea"},
	}
}

func (s *Server) lifeActsView(r *http.Request, fields []formField, other []dangvu.FieldError) (lifeActsView, error) {
	m, err := s.Store.Member(r.Context(), r.PathValue("id"), s.today())
	if err != nil {
		return lifeActsView{}, err
	}
	acts, err := s.Store.LifeActs(r.Context(), m.ID)
	if err != nil {
		return lifeActsView{}, err
	}
	return lifeActsView{Member: m, Acts: acts, CSRF: s.csrf(r), Fields: fields, Other: other}, nil
}

func (s *Server) lifeActsPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.lifeActsView(r, lifeActFields(), nil)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "member_acts.html", "Sinh hoạt đảng: "+v.Member.FullName, "members", v)
}

func (s *Server) lifeActForm(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "Biểu mẫu không đọc được.")
	}
	fields := lifeActFields()
	val := map[string]string{}
	errs := map[string]string{}
	for i := range fields {
		fields[i].Value = strings.TrimSpace(r.PostForm.Get(fields[i].Name))
		val[fields[i].Name] = fields[i].Value
	}
	for _, k := range []string{"date", "effective", "until"} {
		if val[k] == "" {
			continue
		}
		t, err := vn.ParseDate(val[k])
		if err != nil {
			errs[k] = err.Error()
			continue
		}
		val[k] = dangvu.ISO(t)
	}
	// The organisation by code or any unambiguous part of its name: within the writer's subtree,
	// or, for a transfer out, in the whole tree (where the member goes is anywhere in the country).
	if val["org_id"] != "" {
		on := s.today()
		if t, err := dangvu.ParseISODate(val["date"]); err == nil {
			on = t
		}
		f := &formState{Values: val, Errors: errs}
		kind := dangvu.LifeActKind(val["kind"])
		if err := s.pickOrg(r, f, "org_id", on); err != nil {
			return err
		}
		if (kind == dangvu.ActTransferOut || kind == dangvu.ActTemporaryOut) && errs["org_id"] == "" && val["org_id"] == strings.TrimSpace(r.PostForm.Get("org_id")) {
			switch o, err := s.Store.FindOrg(r.Context(), val["org_id"], on, ""); {
			case err == nil:
				val["org_id"] = o.ID
			case dangvu.ErrorCode(err) == dangvu.EInvalid:
				if fs := fieldsOf(err); len(fs) > 0 {
					f.offer("org_id", fs[0].Reason, nil)
				}
			}
		}
		for i := range fields {
			if fields[i].Name == "org_id" && errs["org_id"] == "" {
				fields[i].Value = val["org_id"]
			}
		}
	}
	act := dangvu.LifeAct{MemberID: r.PathValue("id"), Kind: dangvu.LifeActKind(val["kind"]), Date: day(val["date"]),
		OrgID: val["org_id"], External: val["external"], Until: day(val["until"]), Effect: day(val["effective"]), Document: val["document"], Card: val["card_number"],
		Reason: val["reason"], Override: val["override"]}
	if errs["org_id"] != "" {
		act.OrgID = "" // a name still to narrow is no id to check
	}
	if err := s.checkRefs(r, lifeActRefs(act)...); err != nil {
		return err
	}
	var other []dangvu.FieldError
	if len(errs) == 0 {
		_, err := s.Store.RecordLifeAct(r.Context(), s.actor(r), act)
		if err == nil {
			http.Redirect(w, r, "/members/"+url.PathEscape(r.PathValue("id"))+"/acts", http.StatusSeeOther)
			return nil
		}
		if other, err = placeErrors(err, errs, inputsIn(val)); err != nil {
			return err
		}
	}
	for i := range fields {
		fields[i].Err = errs[fields[i].Name]
	}
	v, err := s.lifeActsView(r, fields, other)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusUnprocessableEntity, "member_acts.html", "Sinh hoạt đảng: "+v.Member.FullName, "members", v)
}

// remindersCSV exports the admission and transfer reminders of an organisation's subtree.
func (s *Server) remindersCSV(w http.ResponseWriter, r *http.Request) error {
	asOf, err := date(r, "as_of", s.viewDay(r, r.URL.Query().Get("org")))
	if err != nil {
		return err
	}
	org := s.defaultOrg(r, r.URL.Query().Get("org"))
	if err := s.checkOrg(r, org, asOf); err != nil {
		return err
	}
	if org == "" {
		return &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: "org", Reason: "cần mã tổ chức"}}}
	}
	items, err := s.Store.Attention(r.Context(), org, asOf, s.role(r))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="nhac-viec.csv"`)
	cw := csv.NewWriter(w)
	cw.Write([]string{"loai", "noi_dung", "chi_tiet", "to_chuc", "dang_vien", "han", "qua_han", "quy_dinh"})
	for _, it := range items {
		if !admissionKinds[it.Kind] {
			continue
		}
		over := "0"
		if it.Overdue {
			over = "1"
		}
		cw.Write([]string{it.Kind, it.Title, it.Detail, it.OrgName, it.MemberID, it.Due.String(), over, it.Rule})
	}
	cw.Flush()
	return cw.Error()
}

var admissionKinds = map[string]bool{"admission_decision_due": true, "admission_ceremony_due": true, "probation_ending": true,
	"full_vote_due": true, "full_decision_due": true, "transfer_not_presented": true}

// checkCellEver checks a cell against the user's scope today or, for a cell that has ended (a
// file entered from the archives), on its last day.
func (s *Server) checkCellEver(r *http.Request, orgID string) error {
	err := s.checkOrg(r, orgID, s.today())
	if err == nil || orgID == "" {
		return err
	}
	h, herr := s.Store.OrgHistory(r.Context(), orgID)
	if herr != nil || len(h) == 0 {
		return err
	}
	last := h[len(h)-1]
	if last.ValidTo == dangvu.Forever {
		return err
	}
	return s.checkOrg(r, orgID, last.ValidTo.AddDays(-1).Time)
}
