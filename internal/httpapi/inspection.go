package httpapi

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/reportout"
	"dangvu/internal/rules/discipline"
	"dangvu/internal/vn"
)

// Inspection, supervision and discipline (docs/inspection.md): the API under
// /api/v1/inspections and /api/v1/disciplines, and the pages under /inspections and /disciplines.
// Case records need ActReadInspection to read (the standing committee too) and ActInspection to write; totals (statistics) ActReports; a member sees the decisions
// about themselves through /api/v1/disciplines/mine.

func inspectionModule(m *module) {
	m.routes = append(m.routes, inspectionRoutes)
	m.api = inspectionAPI
	m.nav = append(m.nav,
		navItem{"inspections", "/inspections", "Kiểm tra, giám sát", string(dangvu.ActReadInspection)},
		navItem{"disciplines", "/disciplines", "Kỷ luật", string(dangvu.ActReadInspection)})
	m.objectScopes["inspections"] = func(s *Server, r *http.Request, id string, _ time.Time) error {
		org, day, err := s.Store.RoundScope(r.Context(), id)
		if err != nil {
			return err
		}
		return s.hideOutside(r, org, day.String(), fmt.Sprintf("không có cuộc kiểm tra, giám sát mã %q", id))
	}
	m.objectScopes["disciplines"] = func(s *Server, r *http.Request, id string, _ time.Time) error {
		d, err := s.Store.Discipline(r.Context(), id)
		if err != nil {
			return err
		}
		org, err := s.Store.DisciplineSubjectOrg(r.Context(), d)
		if err != nil {
			return err
		}
		t, _ := dangvu.RequireDate(d.DecidedOn)
		return s.hideOutside(r, org, dangvu.ISO(t.AddDate(0, 0, -1)), fmt.Sprintf("không có quyết định kỷ luật mã %q", id))
	}
	m.funcs["inspKind"] = func(k dangvu.InspectionKind) string { return dangvu.CodeName(dangvu.InspectionKinds, k) }
	m.funcs["body"] = func(b dangvu.Body) string { return dangvu.CodeName(dangvu.Bodies, b) }
	m.funcs["stage"] = func(st dangvu.Stage) string { return dangvu.CodeName(dangvu.Stages, st) }
	m.funcs["finding"] = func(f dangvu.Finding) string { return dangvu.CodeName(dangvu.Findings, f) }
	m.funcs["severity"] = func(v dangvu.Severity) string { return dangvu.CodeName(dangvu.Severities, v) }
	m.funcs["form"] = func(f dangvu.DisciplineForm) string { return dangvu.CodeName(dangvu.DisciplineForms, f) }
	m.funcs["outcome"] = func(o dangvu.AppealOutcome) string { return dangvu.CodeName(dangvu.AppealOutcomes, o) }
	m.funcs["inspKinds"] = func() []dangvu.Code[dangvu.InspectionKind] { return dangvu.InspectionKinds }
	m.funcs["bodies"] = func() []dangvu.Code[dangvu.Body] { return dangvu.Bodies }
	m.funcs["findings"] = func() []dangvu.Code[dangvu.Finding] { return dangvu.Findings }
	m.funcs["severities"] = func() []dangvu.Code[dangvu.Severity] { return dangvu.Severities }
	m.funcs["discForms"] = func() []dangvu.Code[dangvu.DisciplineForm] { return dangvu.DisciplineForms }
	m.funcs["noLimits"] = func() []dangvu.Code[string] { return discipline.NoLimitCategories }
	m.funcs["noLimitName"] = func(c string) string { return dangvu.CodeName(discipline.NoLimitCategories, c) }
	m.funcs["outcomes"] = func() []dangvu.Code[dangvu.AppealOutcome] { return dangvu.AppealOutcomes }
	// ff is one input of a formState form: input with the form's value, error and candidates.
	m.funcs["ff"] = func(f *formState, name, label, hint string, opts ...any) (formField, error) {
		return input(name, label, f.Values[name], f.Errors[name], append([]any{"hint", hint, "choices", f.Choices[name]}, opts...)...)
	}
	// subjectOptions are a round's subjects to choose from, members "m:" and organisations "o:".
	m.funcs["subjectOptions"] = func(ss []dangvu.RoundSubject) [][2]string {
		var out [][2]string
		for _, x := range ss {
			if x.MemberID != "" {
				out = append(out, [2]string{"m:" + x.MemberID, x.Name})
			} else {
				out = append(out, [2]string{"o:" + x.OrgID, x.Name})
			}
		}
		return out
	}
}

// The bodies of the inspection and discipline routes.
type (
	roundListBody struct {
		apiPage
		Rounds []dangvu.InspectionRound `json:"rounds"`
	}
	stageInput struct {
		Stage dangvu.Stage `json:"stage" api:"required"`
		Date  string       `json:"date"`
	}
	inspectionProgrammesBody struct {
		apiPage
		Programmes []dangvu.InspectionProgramme `json:"programmes"`
	}
	inspectionFieldsBody struct {
		Fields []dangvu.InspectionField `json:"fields"`
	}
	inspectionStatsBody struct {
		Org    string             `json:"org"`
		From   string             `json:"from"`
		To     string             `json:"to"`
		Tables []dangvu.StatTable `json:"tables"`
	}
	disciplineListBody struct {
		apiPage
		Disciplines []dangvu.Discipline `json:"disciplines"`
	}
	disciplineBody struct {
		Discipline dangvu.Discipline         `json:"discipline"`
		Appeals    []dangvu.DisciplineAppeal `json:"appeals"`
	}
	disciplineCompetence struct {
		Body    dangvu.Body             `json:"body"`
		Levels  []dangvu.Level          `json:"levels"`
		Subject string                  `json:"subject"`
		Forms   []dangvu.DisciplineForm `json:"forms"`
		Source  string                  `json:"source"`
	}
	disciplineStatute struct {
		Code              string                        `json:"code"`
		Title             string                        `json:"title"`
		From              string                        `json:"from"`
		To                string                        `json:"to"`
		MembersYears      map[dangvu.DisciplineForm]int `json:"members_years"`
		OrgsYears         map[dangvu.DisciplineForm]int `json:"organisations_years"`
		Source            string                        `json:"source"`
		NoLimitSource     string                        `json:"no_limit_source"`
		NoLimitCategories []dangvu.Code[string]         `json:"no_limit_categories"`
	}
	disciplineRulesBody struct {
		Code             string                                             `json:"code"`
		Title            string                                             `json:"title"`
		From             string                                             `json:"from"`
		To               string                                             `json:"to"`
		Source           string                                             `json:"source"`
		Forms            map[discipline.SubjectKind][]dangvu.DisciplineForm `json:"forms"`
		FormsSource      string                                             `json:"forms_source"`
		Statute          disciplineStatute                                  `json:"statute"`
		AppealDays       int                                                `json:"appeal_working_days"`
		AppealSource     string                                             `json:"appeal_source"`
		ComplySource     string                                             `json:"comply_source"`
		AnswerDays       map[string]int                                     `json:"answer_working_days"`
		AnswerSource     map[string]string                                  `json:"answer_source"`
		HigherTaskSource string                                             `json:"higher_task_source"`
		Competence       []disciplineCompetence                             `json:"competence"`
	}
	withdrawInput struct {
		On     dangvu.Date `json:"withdrawn_on"`
		Reason string      `json:"withdrawn_reason" api:"required"`
	}
	// conclusionInput is a round's conclusion on one of its subjects, named by org_id or
	// member_id (a RoundSubject was read before: its round_id, seq and name were ignored, and its
	// finding could not be marked required, since a new round's subjects come without one).
	conclusionInput struct {
		OrgID           string          `json:"org_id"`
		MemberID        string          `json:"member_id"`
		Finding         dangvu.Finding  `json:"finding" api:"required"`
		Severity        dangvu.Severity `json:"severity"`
		Conclusion      string          `json:"conclusion"`
		Recommendations string          `json:"recommendations"`
		FollowUpDue     dangvu.Date     `json:"follow_up_due"`
		FollowUpDone    dangvu.Date     `json:"follow_up_done"`
	}
	// appealResolveInput is what resolving an appeal takes: the day, the outcome and, when it
	// changed the form, the new one (a whole DisciplineAppeal was read before, its other fields
	// ignored).
	appealResolveInput struct {
		ResolvedOn dangvu.Date           `json:"resolved_on" api:"required"`
		Outcome    dangvu.AppealOutcome  `json:"outcome" api:"required"`
		NewForm    dangvu.DisciplineForm `json:"new_form"`
		Note       string                `json:"note"`
	}
)

// inspectionAPI names the types the inspection and discipline routes decode and encode.
var inspectionAPI = map[string]apiTypes{
	"GET /api/v1/inspections":                                {out: roundListBody{}},
	"POST /api/v1/inspections":                               {in: dangvu.InspectionRound{}, out: dangvu.InspectionRound{}, status: http.StatusCreated},
	"GET /api/v1/inspections/{id}":                           {out: dangvu.InspectionRound{}},
	"POST /api/v1/inspections/{id}/stage":                    {in: stageInput{}, out: dangvu.InspectionRound{}},
	"POST /api/v1/inspections/{id}/conclusions":              {in: conclusionInput{}, out: dangvu.InspectionRound{}},
	"GET /api/v1/inspections/programmes":                     {out: inspectionProgrammesBody{}},
	"POST /api/v1/inspections/programmes":                    {in: dangvu.InspectionProgramme{}, out: dangvu.InspectionProgramme{}, status: http.StatusCreated},
	"GET /api/v1/inspections/fields":                         {out: inspectionFieldsBody{}},
	"GET /api/v1/inspections/statistics":                     {out: inspectionStatsBody{}},
	"GET /api/v1/inspections/statistics.xlsx":                {file: xlsxType},
	"GET /api/v1/disciplines":                                {out: disciplineListBody{}},
	"POST /api/v1/disciplines":                               {in: dangvu.Discipline{}, out: dangvu.Discipline{}, status: http.StatusCreated},
	"GET /api/v1/disciplines/rules":                          {out: disciplineRulesBody{}},
	"GET /api/v1/disciplines/mine":                           {out: disciplineListBody{}},
	"GET /api/v1/disciplines/{id}":                           {out: disciplineBody{}},
	"POST /api/v1/disciplines/{id}/appeals":                  {in: dangvu.DisciplineAppeal{}, out: dangvu.DisciplineAppeal{}, status: http.StatusCreated},
	"POST /api/v1/disciplines/{id}/appeals/{appeal}/resolve": {in: appealResolveInput{}, out: dangvu.DisciplineAppeal{}},
	"POST /api/v1/disciplines/{id}/correct":                  {in: dangvu.Discipline{}, out: dangvu.Discipline{}, patch: true},
	"POST /api/v1/disciplines/{id}/withdraw":                 {in: withdrawInput{}, out: dangvu.Discipline{}},
}

func inspectionRoutes() []route {
	ins, rep, self, read := dangvu.ActInspection, dangvu.ActReports, dangvu.ActSelfService, dangvu.ActRead
	see := dangvu.ActReadInspection // the standing committee reads what the commission records
	period := []string{"org", "from", "to"}
	return []route{
		{"GET /api/v1/inspections", (*Server).apiRounds, "Cuộc kiểm tra, giám sát do tổ chức trong phạm vi tiến hành, quyết định trong kỳ", []string{"org", "from", "to", "kind", "programme", "limit"}, false, see},
		{"POST /api/v1/inspections", (*Server).apiRoundCreate, "Mở cuộc kiểm tra, giám sát (JSON: org_id, body, kind, title, decision, decided_on, fields, team, planned_from, planned_to, subjects)", nil, false, ins},
		{"GET /api/v1/inspections/{id}", (*Server).apiRound, "Một cuộc kiểm tra, giám sát với đối tượng và kết luận", nil, false, see},
		{"POST /api/v1/inspections/{id}/stage", (*Server).apiRoundStage, "Chuyển giai đoạn (JSON: stage conduct|concluded, date)", nil, false, ins},
		{"POST /api/v1/inspections/{id}/conclusions", (*Server).apiRoundConclusion, "Kết luận, kiến nghị, theo dõi thực hiện cho một đối tượng (JSON: org_id|member_id, finding, severity, conclusion, recommendations, follow_up_due, follow_up_done)", nil, false, ins},
		{"GET /api/v1/inspections/programmes", (*Server).apiInspectionProgrammes, "Chương trình kiểm tra, giám sát hằng năm", []string{"org", "year"}, false, see},
		{"POST /api/v1/inspections/programmes", (*Server).apiProgrammeCreate, "Thêm chương trình (JSON: org_id, body, year, title, document)", nil, false, ins},
		{"GET /api/v1/inspections/fields", (*Server).apiFields, "Danh mục lĩnh vực kiểm tra, giám sát", nil, false, read},
		{"GET /api/v1/inspections/statistics", (*Server).apiInspectionStats, "Thống kê kiểm tra, giám sát, kỷ luật: theo loại, lĩnh vực, hình thức, khiếu nại", period, false, rep},
		{"GET /api/v1/inspections/statistics.xlsx", (*Server).apiInspectionStatsXLSX, "Thống kê kiểm tra, giám sát, kỷ luật (tệp XLSX)", period, false, rep},
		{"GET /api/v1/disciplines", (*Server).apiDisciplines, "Quyết định kỷ luật về đảng viên, tổ chức đảng trong phạm vi", []string{"org", "from", "to", "member", "limit"}, false, see},
		{"POST /api/v1/disciplines", (*Server).apiDisciplineCreate, "Ghi quyết định kỷ luật, kiểm tra theo quy định có hiệu lực ngày quyết định", nil, false, ins},
		{"GET /api/v1/disciplines/rules", (*Server).apiDisciplineRules, "Quy định kỷ luật có hiệu lực vào một ngày: hình thức, thẩm quyền, thời hiệu, nguồn", []string{"date"}, false, read},
		{"GET /api/v1/disciplines/mine", (*Server).apiDisciplinesMine, "Các quyết định kỷ luật về chính mình", nil, false, self},
		{"GET /api/v1/disciplines/{id}", (*Server).apiDiscipline, "Một quyết định kỷ luật với các đơn khiếu nại", nil, false, see},
		{"POST /api/v1/disciplines/{id}/appeals", (*Server).apiAppealCreate, "Ghi đơn khiếu nại kỷ luật (JSON: received_on, lodged_on, handler_org_id, handler_body)", nil, false, ins},
		{"POST /api/v1/disciplines/{id}/appeals/{appeal}/resolve", (*Server).apiAppealResolve, "Ghi kết quả giải quyết khiếu nại (JSON: resolved_on, outcome, new_form, note)", nil, false, ins},

		{"GET /inspections", htmlPage((*Server).inspectionsPage), "Kiểm tra, giám sát", []string{"org", "from", "to", "programme"}, false, see},
		{"POST /inspections", htmlPage((*Server).roundCreatePost), "Mở cuộc kiểm tra, giám sát", nil, false, ins},
		{"POST /inspections/programmes", htmlPage((*Server).programmeCreatePost), "Thêm chương trình kiểm tra, giám sát", nil, false, ins},
		{"GET /inspections/statistics", htmlPage((*Server).inspectionStatsPage), "Thống kê kiểm tra, giám sát, kỷ luật", period, false, rep},
		{"GET /inspections/{id}", htmlPage((*Server).roundPage), "Một cuộc kiểm tra, giám sát", nil, false, see},
		{"POST /inspections/{id}/stage", htmlPage((*Server).roundStagePost), "Chuyển giai đoạn", nil, false, ins},
		{"POST /inspections/{id}/conclusions", htmlPage((*Server).roundConclusionPost), "Ghi kết luận", nil, false, ins},
		{"GET /disciplines", htmlPage((*Server).disciplinesPage), "Kỷ luật", []string{"org", "from", "to"}, false, see},
		{"POST /disciplines", htmlPage((*Server).disciplineCreatePost), "Ghi quyết định kỷ luật", nil, false, ins},
		{"GET /disciplines/{id}", htmlPage((*Server).disciplinePage), "Một quyết định kỷ luật", nil, false, see},
		{"POST /disciplines/{id}/appeals", htmlPage((*Server).appealCreatePost), "Ghi đơn khiếu nại", nil, false, ins},
		{"POST /disciplines/{id}/appeals/{appeal}/resolve", htmlPage((*Server).appealResolvePost), "Ghi kết quả giải quyết khiếu nại", nil, false, ins},
	}
}

// hideOutside answers not found for an object whose organisation lies outside the user's
// subtree on day (ISO).
func (s *Server) hideOutside(r *http.Request, org, day, msg string) error {
	t, err := dangvu.ParseISODate(day)
	if err != nil {
		t = s.today()
	}
	if err := s.checkOrg(r, org, t); err != nil {
		if c := dangvu.ErrorCode(err); c == dangvu.EForbidden || c == dangvu.ENotFound {
			return dangvu.Errorf(dangvu.ENotFound, "%s", msg)
		}
		return err
	}
	return nil
}

// period reads the org, from and to parameters; the organisation defaults to the user's own,
// and is checked against the user's subtree as of the end of the period.
func (s *Server) period(r *http.Request) (org string, from, to time.Time, err error) {
	to, err = date(r, "to", s.viewDay(r, r.URL.Query().Get("org")))
	if err != nil {
		return
	}
	from, err = date(r, "from", time.Time{})
	if err != nil {
		return
	}
	org = s.defaultOrg(r, r.URL.Query().Get("org"))
	if org != "" {
		o, e := s.Store.ResolveOrg(r.Context(), org, to)
		if e == nil {
			org = o.ID
		}
	}
	err = s.checkOrg(r, org, to)
	return
}

// ---- API ----

func (s *Server) apiRounds(w http.ResponseWriter, r *http.Request) error {
	org, from, to, err := s.period(r)
	if err != nil {
		return err
	}
	rs, err := s.Store.Rounds(r.Context(), dangvu.RoundFilter{Under: org, From: from, To: to, Kind: dangvu.InspectionKind(r.URL.Query().Get("kind")),
		ProgrammeID: r.URL.Query().Get("programme")})
	if err != nil {
		return err
	}
	rs, page, err := pageOf(r, rs, 500)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, roundListBody{apiPage: page, Rounds: rs})
}

// checkWrite checks that the organisation a write is made for lies in the user's subtree on day
// (ISO; today when unreadable), and the other ids the write names (checkRefs).
func (s *Server) checkWrite(r *http.Request, org string, day dangvu.Date, more ...ref) error {
	t := s.dayOf(day)
	return s.checkRefs(r, append([]ref{{kind: "organisations", id: org, on: t}}, more...)...)
}

// roundRefs are the programme and the subjects a new round names, the subjects as of the
// decision's day.
func (s *Server) roundRefs(in dangvu.InspectionRound) []ref {
	refs := []ref{{kind: "inspection_programmes", id: in.ProgrammeID}}
	on := s.dayOf(in.DecidedOn)
	for _, x := range in.Subjects {
		refs = append(refs, ref{kind: "organisations", id: x.OrgID, on: on}, ref{kind: "members", id: x.MemberID, on: on})
	}
	return refs
}

// subjectRefs is the subject a conclusion names, as of the round's day.
func (s *Server) subjectRefs(r *http.Request, x dangvu.RoundSubject) ([]ref, error) {
	_, day, err := s.Store.RoundScope(r.Context(), x.RoundID)
	if err != nil {
		return nil, err
	}
	on := s.dayOf(day)
	return []ref{{kind: "organisations", id: x.OrgID, on: on}, {kind: "members", id: x.MemberID, on: on}}, nil
}

// disciplineRefs are the member or organisation disciplined, as of the day before the decision
// (it may have moved them), and the round that proposed it.
func (s *Server) disciplineRefs(d dangvu.Discipline) []ref {
	before := s.dayBefore(d.DecidedOn)
	return []ref{{kind: "members", id: d.MemberID, on: before}, {kind: "organisations", id: d.OrgID, on: before}, {kind: "inspections", id: d.RoundID}}
}

// dayOf reads an ISO day; today when unreadable.
func (s *Server) dayOf(d dangvu.Date) time.Time {
	if d.IsZero() {
		return s.today()
	}
	return d.Time
}

func (s *Server) apiRoundCreate(w http.ResponseWriter, r *http.Request) error {
	return apiWrite(w, r, http.StatusCreated, dangvu.InspectionRound{},
		func(in *dangvu.InspectionRound) error {
			return s.checkWrite(r, in.OrgID, in.DecidedOn, s.roundRefs(*in)...)
		},
		func(in dangvu.InspectionRound) (dangvu.InspectionRound, error) {
			return s.Store.CreateRound(r.Context(), s.actor(r), in)
		})
}

func (s *Server) apiRound(w http.ResponseWriter, r *http.Request) error {
	rd, err := s.Store.Round(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rd)
}

func (s *Server) apiRoundStage(w http.ResponseWriter, r *http.Request) error {
	return apiWrite(w, r, http.StatusOK, stageInput{}, nil, func(in stageInput) (dangvu.InspectionRound, error) {
		d, err := vn.ParseDate(in.Date)
		if err != nil {
			return dangvu.InspectionRound{}, &dangvu.Error{Code: dangvu.EInvalid, Message: "Ngày không hợp lệ.", Fields: []dangvu.FieldError{{Field: "date", Reason: err.Error()}}}
		}
		return s.Store.AdvanceRound(r.Context(), s.actor(r), r.PathValue("id"), in.Stage, dangvu.DateOf(d))
	})
}

func (s *Server) apiRoundConclusion(w http.ResponseWriter, r *http.Request) error {
	subject := func(in conclusionInput) dangvu.RoundSubject {
		return dangvu.RoundSubject{RoundID: r.PathValue("id"), OrgID: in.OrgID, MemberID: in.MemberID, Finding: in.Finding, Severity: in.Severity,
			Conclusion: in.Conclusion, Recommendations: in.Recommendations, FollowUpDue: in.FollowUpDue, FollowUpDone: in.FollowUpDone}
	}
	return apiWrite(w, r, http.StatusOK, conclusionInput{},
		func(in *conclusionInput) error {
			refs, err := s.subjectRefs(r, subject(*in))
			if err != nil {
				return err
			}
			return s.checkRefs(r, refs...)
		},
		func(in conclusionInput) (dangvu.InspectionRound, error) {
			return s.Store.ConcludeSubject(r.Context(), s.actor(r), subject(in))
		})
}

func (s *Server) apiInspectionProgrammes(w http.ResponseWriter, r *http.Request) error {
	org, _, _, err := s.period(r)
	if err != nil {
		return err
	}
	year, err := intParam(r, "year", 0)
	if err != nil {
		return err
	}
	ps, err := s.Store.Programmes(r.Context(), org, year)
	if err != nil {
		return err
	}
	ps, page, err := pageOf(r, ps, 1000)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, inspectionProgrammesBody{apiPage: page, Programmes: ps})
}

func (s *Server) apiProgrammeCreate(w http.ResponseWriter, r *http.Request) error {
	return apiWrite(w, r, http.StatusCreated, dangvu.InspectionProgramme{},
		func(in *dangvu.InspectionProgramme) error {
			return s.checkWrite(r, in.OrgID, dangvu.NewDate(in.Year, time.December, 31))
		},
		func(in dangvu.InspectionProgramme) (dangvu.InspectionProgramme, error) {
			return s.Store.CreateInspectionProgramme(r.Context(), s.actor(r), in)
		})
}

func (s *Server) apiFields(w http.ResponseWriter, r *http.Request) error {
	fs, err := s.Store.InspectionFields(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, inspectionFieldsBody{Fields: nonNil(fs)})
}

func (s *Server) inspectionStats(r *http.Request) (string, time.Time, time.Time, []dangvu.StatTable, error) {
	org, from, to, err := s.period(r)
	if err != nil {
		return "", from, to, nil, err
	}
	if from.IsZero() {
		from = time.Date(to.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if org == "" {
		return "", from, to, nil, dangvu.Errorf(dangvu.EInvalid, "cần tham số org (tổ chức đảng)")
	}
	ts, err := s.Store.InspectionStatistics(r.Context(), org, dangvu.ISO(from), dangvu.ISO(to))
	return org, from, to, ts, err
}

func (s *Server) apiInspectionStats(w http.ResponseWriter, r *http.Request) error {
	org, from, to, ts, err := s.inspectionStats(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, inspectionStatsBody{Org: org, From: dangvu.ISO(from), To: dangvu.ISO(to), Tables: nonNil(ts)})
}

func (s *Server) apiInspectionStatsXLSX(w http.ResponseWriter, r *http.Request) error {
	org, from, to, ts, err := s.inspectionStats(r)
	if err != nil {
		return err
	}
	name := s.Store.OrgName(r.Context(), org, dangvu.DateOf(to))
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="thong-ke-kiem-tra-%s.xlsx"`, org))
	return reportout.Tables(w, fmt.Sprintf("%s, từ %s đến %s", name, vn.FormatDate(from), vn.FormatDate(to)), ts)
}

func (s *Server) apiDisciplines(w http.ResponseWriter, r *http.Request) error {
	org, from, to, err := s.period(r)
	if err != nil {
		return err
	}
	ds, err := s.Store.Disciplines(r.Context(), dangvu.DisciplineFilter{Under: org, From: from, To: to, MemberID: r.URL.Query().Get("member")})
	if err != nil {
		return err
	}
	ds, page, err := pageOf(r, ds, 500)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, disciplineListBody{apiPage: page, Disciplines: ds})
}

func (s *Server) apiDisciplinesMine(w http.ResponseWriter, r *http.Request) error {
	u := s.user(r)
	ds := []dangvu.Discipline{}
	if u != nil && u.MemberID != "" {
		var err error
		if ds, err = s.Store.Disciplines(r.Context(), dangvu.DisciplineFilter{MemberID: u.MemberID}); err != nil {
			return err
		}
	}
	ds, page, err := pageOf(r, ds, 500)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, disciplineListBody{apiPage: page, Disciplines: ds})
}

func (s *Server) apiDisciplineRules(w http.ResponseWriter, r *http.Request) error {
	d, err := date(r, "date", s.today())
	if err != nil {
		return err
	}
	rs := discipline.For(d)
	var cs []disciplineCompetence
	for _, c := range rs.Competence {
		cs = append(cs, disciplineCompetence{c.Body, c.Levels, string(c.Subject), c.Forms, c.Source.String()})
	}
	st := discipline.StatuteFor(d)
	answerSource := map[string]string{}
	for k, v := range rs.AnswerSource {
		answerSource[k] = v.String()
	}
	return writeJSON(w, http.StatusOK, disciplineRulesBody{Code: rs.Code, Title: rs.Title, From: rs.From, To: rs.To, Source: rs.Source.String(),
		Forms: rs.Forms, FormsSource: rs.FormsSource.String(),
		Statute: disciplineStatute{Code: st.Code, Title: st.Title, From: st.From, To: st.To, MembersYears: st.Members, OrgsYears: st.Orgs,
			Source: st.Source.String(), NoLimitSource: st.NoLimitSource.String(), NoLimitCategories: discipline.NoLimitCategories},
		AppealDays: rs.AppealDays, AppealSource: rs.AppealSource.String(), ComplySource: rs.ComplySource.String(),
		AnswerDays: rs.AnswerDays, AnswerSource: answerSource, HigherTaskSource: rs.HigherTaskSource.String(),
		Competence: cs})
}

func (s *Server) apiDiscipline(w http.ResponseWriter, r *http.Request) error {
	d, err := s.Store.Discipline(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	as, err := s.Store.Appeals(r.Context(), d.ID, "", false)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, disciplineBody{Discipline: d, Appeals: nonNil(as)})
}

func (s *Server) apiDisciplineCreate(w http.ResponseWriter, r *http.Request) error {
	return apiWrite(w, r, http.StatusCreated, dangvu.Discipline{},
		func(in *dangvu.Discipline) error {
			return s.checkWrite(r, in.AuthorityOrgID, in.DecidedOn, s.disciplineRefs(*in)...)
		},
		func(in dangvu.Discipline) (dangvu.Discipline, error) {
			return s.Store.CreateDiscipline(r.Context(), s.actor(r), in)
		})
}

func (s *Server) dayBefore(d dangvu.Date) time.Time {
	if d.IsZero() {
		return s.today()
	}
	return d.AddDays(-1).Time
}

func (s *Server) apiAppealCreate(w http.ResponseWriter, r *http.Request) error {
	return apiWrite(w, r, http.StatusCreated, dangvu.DisciplineAppeal{},
		func(in *dangvu.DisciplineAppeal) error {
			in.DisciplineID = r.PathValue("id")
			return s.checkRefs(r, ref{kind: "handlers", id: in.HandlerOrgID})
		},
		func(in dangvu.DisciplineAppeal) (dangvu.DisciplineAppeal, error) {
			return s.Store.CreateAppeal(r.Context(), s.actor(r), in)
		})
}

// appealOf reads the {appeal} of the path and checks it is an appeal against the {id} decision.
func (s *Server) appealOf(r *http.Request) (dangvu.DisciplineAppeal, error) {
	a, err := s.Store.Appeal(r.Context(), r.PathValue("appeal"))
	if err == nil && a.DisciplineID != r.PathValue("id") {
		err = dangvu.Errorf(dangvu.ENotFound, "không có đơn khiếu nại mã %q về quyết định %s", r.PathValue("appeal"), r.PathValue("id"))
	}
	return a, err
}

func (s *Server) apiAppealResolve(w http.ResponseWriter, r *http.Request) error {
	a, err := s.appealOf(r)
	if err != nil {
		return err
	}
	return apiWrite(w, r, http.StatusOK, appealResolveInput{}, nil, func(in appealResolveInput) (dangvu.DisciplineAppeal, error) {
		return s.Store.ResolveAppeal(r.Context(), s.actor(r), a.ID, in.ResolvedOn, in.Outcome, in.NewForm, in.Note)
	})
}

// ---- pages ----

// formState holds a form's typed values and the errors to show next to each field; Other lists
// the problems that belong to no field of the form.
type formState struct {
	Values map[string]string
	Errors map[string]string
	Other  []dangvu.FieldError
	// Choices are the candidates of a field typed as a name that matched several (pickers.go).
	Choices map[string][]pickOption
}

func newForm(r *http.Request, names ...string) *formState {
	f := &formState{Values: map[string]string{}, Errors: map[string]string{}}
	for _, n := range names {
		f.Values[n] = strings.TrimSpace(r.PostFormValue(n))
	}
	return f
}

// date reads a dd/mm/yyyy (or ISO) field as ISO; a bad one is noted.
func (f *formState) date(name string) dangvu.Date {
	v := f.Values[name]
	if v == "" {
		return dangvu.Date{}
	}
	t, err := vn.ParseDate(v)
	if err != nil {
		f.Errors[name] = err.Error()
		return dangvu.Date{}
	}
	return dangvu.DateOf(t)
}

// absorb places a store error's field problems next to the form's fields (placeErrors); it
// returns the error when it is not about the input (and nil for nil, so that a store call's error
// goes straight in).
func (f *formState) absorb(err error) error {
	other, err := placeErrors(err, f.Errors, inputsIn(f.Values))
	f.Other = append(f.Other, other...)
	return err
}

func (f *formState) failed() bool { return len(f.Errors) > 0 || len(f.Other) > 0 }

// postForm ends a form's post: the write, when the checks before it passed (err nil) and the
// form holds no error, its error placed beside the form's inputs (absorb); then, when anything
// was placed, the page again with the form (again), else the next page (next of the written).
// An error that is not about the input goes to the error page.
func postForm[Out any](w http.ResponseWriter, r *http.Request, f *formState, err error, write func() (Out, error), again func() error, next func(Out) string) error {
	var out Out
	if err == nil && !f.failed() {
		out, err = write()
	}
	if err := f.absorb(err); err != nil {
		return err
	}
	if f.failed() {
		return again()
	}
	http.Redirect(w, r, next(out), http.StatusSeeOther)
	return nil
}

// refused answers a refused form: its page again, with status 422, from data made by data and
// given the form by set.
func refused[D any](s *Server, w http.ResponseWriter, r *http.Request, data func(*http.Request) (D, error), set func(D), tmpl, nav string, title func(D) string) func() error {
	return func() error {
		d, err := data(r)
		if err != nil {
			return err
		}
		set(d)
		return s.render(w, r, http.StatusUnprocessableEntity, tmpl, title(d), nav, d)
	}
}

// inspectionsAgain, roundAgain, disciplinesAgain and disciplineAgain are the pages of the forms
// of this file, again with a refused form set by set.
func (s *Server) inspectionsAgain(w http.ResponseWriter, r *http.Request, set func(*inspectionsData)) func() error {
	return refused(s, w, r, s.inspectionsData, set, "inspections.html", "inspections", func(*inspectionsData) string { return "Kiểm tra, giám sát" })
}

func (s *Server) roundAgain(w http.ResponseWriter, r *http.Request, set func(*roundData)) func() error {
	return refused(s, w, r, s.roundData, set, "inspection.html", "inspections", func(d *roundData) string { return "Cuộc kiểm tra, giám sát " + d.Round.Decision })
}

func (s *Server) disciplinesAgain(w http.ResponseWriter, r *http.Request, set func(*disciplinesData)) func() error {
	return refused(s, w, r, s.disciplinesData, set, "disciplines.html", "disciplines", func(*disciplinesData) string { return "Kỷ luật đảng" })
}

func (s *Server) disciplineAgain(w http.ResponseWriter, r *http.Request, set func(*disciplineData)) func() error {
	return refused(s, w, r, s.disciplineData, set, "discipline.html", "disciplines", func(d *disciplineData) string { return "Quyết định kỷ luật " + d.D.Number })
}

type inspectionsData struct {
	Org, From, To string
	Rounds        []dangvu.InspectionRound
	Programmes    []dangvu.InspectionProgramme
	Programme     string
	Fields        []dangvu.InspectionField
	RoundForm     *formState
	ProgForm      *formState
	CSRF          string
	Write         bool // the reader may record (ActInspection); others only read
}

func (s *Server) inspectionsData(r *http.Request) (*inspectionsData, error) {
	org, from, to, err := s.period(r)
	if err != nil {
		return nil, err
	}
	if from.IsZero() {
		from = time.Date(to.Year()-1, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	d := &inspectionsData{Org: org, From: vn.FormatDate(from), To: vn.FormatDate(to), Programme: r.URL.Query().Get("programme"), CSRF: s.csrf(r), Write: s.may(r)(dangvu.ActInspection),
		RoundForm: &formState{Values: map[string]string{"org_id": org}, Errors: map[string]string{}},
		ProgForm:  &formState{Values: map[string]string{"org_id": org, "year": strconv.Itoa(to.Year())}, Errors: map[string]string{}}}
	f := dangvu.RoundFilter{Under: org, From: from, To: to, ProgrammeID: d.Programme, Limit: 300}
	if d.Programme != "" {
		f.From, f.To = time.Time{}, time.Time{}
	}
	if d.Rounds, err = s.Store.Rounds(r.Context(), f); err != nil {
		return nil, err
	}
	if d.Programmes, err = s.Store.Programmes(r.Context(), org, to.Year()); err != nil {
		return nil, err
	}
	if d.Fields, err = s.Store.InspectionFields(r.Context()); err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Server) inspectionsPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.inspectionsData(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "inspections.html", "Kiểm tra, giám sát", "inspections", d)
}

func (s *Server) roundCreatePost(w http.ResponseWriter, r *http.Request) error {
	f := newForm(r, "org_id", "programme_id", "body", "kind", "title", "decision", "decided_on", "team", "planned_from", "planned_to", "subjects")
	in := dangvu.InspectionRound{OrgID: f.Values["org_id"], ProgrammeID: f.Values["programme_id"], Body: dangvu.Body(f.Values["body"]),
		Kind: dangvu.InspectionKind(f.Values["kind"]), Title: f.Values["title"], Decision: f.Values["decision"], Team: f.Values["team"],
		DecidedOn: f.date("decided_on"), PlannedFrom: f.date("planned_from"), PlannedTo: f.date("planned_to"), Fields: r.PostForm["fields"]}
	if err := s.pickOrg(r, f, "org_id", s.dayOf(in.DecidedOn)); err != nil {
		return err
	}
	if in.OrgID = f.Values["org_id"]; f.Errors["org_id"] != "" {
		in.OrgID = ""
	}
	if err := s.pickProgramme(r, f, "programme_id"); err != nil {
		return err
	}
	if in.ProgrammeID = f.Values["programme_id"]; f.Errors["programme_id"] != "" {
		in.ProgrammeID = ""
	}
	if err := s.roundSubjects(r, f, &in); err != nil {
		return err
	}
	return postForm(w, r, f, s.checkWrite(r, in.OrgID, in.DecidedOn, s.roundRefs(in)...),
		func() (dangvu.InspectionRound, error) { return s.Store.CreateRound(r.Context(), s.actor(r), in) },
		s.inspectionsAgain(w, r, func(d *inspectionsData) { d.RoundForm = f }),
		func(out dangvu.InspectionRound) string { return "/inspections/" + url.PathEscape(out.ID) })
}

func (s *Server) programmeCreatePost(w http.ResponseWriter, r *http.Request) error {
	f := newForm(r, "org_id", "body", "year", "title", "document")
	year, err := strconv.Atoi(f.Values["year"])
	if err != nil {
		f.Errors["year"] = "cần một năm, ví dụ 2026"
	}
	if err := s.pickOrg(r, f, "org_id", s.today()); err != nil {
		return err
	}
	in := dangvu.InspectionProgramme{OrgID: f.Values["org_id"], Body: dangvu.Body(f.Values["body"]), Year: year, Title: f.Values["title"], Document: f.Values["document"]}
	if f.Errors["org_id"] != "" {
		in.OrgID = ""
	}
	return postForm(w, r, f, s.checkWrite(r, in.OrgID, dangvu.NewDate(year, time.December, 31)),
		func() (dangvu.InspectionProgramme, error) {
			return s.Store.CreateInspectionProgramme(r.Context(), s.actor(r), in)
		},
		s.inspectionsAgain(w, r, func(d *inspectionsData) { d.ProgForm = f }),
		func(out dangvu.InspectionProgramme) string {
			return "/inspections?programme=" + url.QueryEscape(out.ID) + "&org=" + url.QueryEscape(out.OrgID)
		})
}

type roundData struct {
	Round     dangvu.InspectionRound
	Fields    map[string]string
	Next      dangvu.Stage
	Form      *formState
	StageForm *formState
	CSRF      string
	Write     bool // the reader may record (ActInspection); others only read
}

func (s *Server) roundData(r *http.Request) (*roundData, error) {
	rd, err := s.Store.Round(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	fs, err := s.Store.InspectionFields(r.Context())
	if err != nil {
		return nil, err
	}
	d := &roundData{Round: rd, Fields: map[string]string{}, CSRF: s.csrf(r), Write: s.may(r)(dangvu.ActInspection),
		Form: &formState{Values: map[string]string{}, Errors: map[string]string{}}, StageForm: &formState{Values: map[string]string{}, Errors: map[string]string{}}}
	for _, f := range fs {
		d.Fields[f.Code] = f.Name
	}
	switch rd.Stage {
	case dangvu.StagePreparation:
		d.Next = dangvu.StageConduct
	case dangvu.StageConduct:
		d.Next = dangvu.StageConcluded
	}
	return d, nil
}

func (s *Server) roundPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.roundData(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "inspection.html", "Cuộc kiểm tra, giám sát "+d.Round.Decision, "inspections", d)
}

func (s *Server) roundStagePost(w http.ResponseWriter, r *http.Request) error {
	f := newForm(r, "stage", "date")
	day := f.date("date")
	if day.IsZero() && f.Errors["date"] == "" {
		f.Errors["date"] = "bắt buộc, không được để trống"
	}
	return postForm(w, r, f, nil,
		func() (dangvu.InspectionRound, error) {
			return s.Store.AdvanceRound(r.Context(), s.actor(r), r.PathValue("id"), dangvu.Stage(f.Values["stage"]), day)
		},
		s.roundAgain(w, r, func(d *roundData) { d.StageForm = f }), s.backToRound(r))
}

// backToRound is the round's page after one of its forms.
func (s *Server) backToRound(r *http.Request) func(dangvu.InspectionRound) string {
	return func(dangvu.InspectionRound) string { return "/inspections/" + url.PathEscape(r.PathValue("id")) }
}

func (s *Server) roundConclusionPost(w http.ResponseWriter, r *http.Request) error {
	f := newForm(r, "subject", "finding", "severity", "conclusion", "recommendations", "follow_up_due", "follow_up_done")
	kind, id, _ := strings.Cut(f.Values["subject"], ":")
	in := dangvu.RoundSubject{RoundID: r.PathValue("id"), Finding: dangvu.Finding(f.Values["finding"]), Severity: dangvu.Severity(f.Values["severity"]),
		Conclusion: f.Values["conclusion"], Recommendations: f.Values["recommendations"], FollowUpDue: f.date("follow_up_due"), FollowUpDone: f.date("follow_up_done")}
	if kind == "m" {
		in.MemberID = id
	} else {
		in.OrgID = id
	}
	refs, err := s.subjectRefs(r, in)
	if err == nil {
		err = s.checkRefs(r, refs...)
	}
	if err != nil {
		return err
	}
	return postForm(w, r, f, nil,
		func() (dangvu.InspectionRound, error) { return s.Store.ConcludeSubject(r.Context(), s.actor(r), in) },
		s.roundAgain(w, r, func(d *roundData) { d.Form = f }), s.backToRound(r))
}

type disciplinesData struct {
	Org, From, To string
	Disciplines   []dangvu.Discipline
	Pending       []dangvu.DisciplineAppeal
	Form          *formState
	RuleSet       string
	CSRF          string
	Write         bool // the reader may record (ActInspection); others only read
}

func (s *Server) disciplinesData(r *http.Request) (*disciplinesData, error) {
	org, from, to, err := s.period(r)
	if err != nil {
		return nil, err
	}
	if from.IsZero() {
		from = time.Date(to.Year()-2, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	d := &disciplinesData{Org: org, From: vn.FormatDate(from), To: vn.FormatDate(to), CSRF: s.csrf(r), Write: s.may(r)(dangvu.ActInspection), RuleSet: discipline.For(s.today()).Title,
		Form: &formState{Values: map[string]string{"authority_org_id": org}, Errors: map[string]string{}}}
	if d.Disciplines, err = s.Store.Disciplines(r.Context(), dangvu.DisciplineFilter{Under: org, From: from, To: to, Limit: 300}); err != nil {
		return nil, err
	}
	if d.Pending, err = s.Store.Appeals(r.Context(), "", org, true); err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Server) disciplinesPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.disciplinesData(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "disciplines.html", "Kỷ luật đảng", "disciplines", d)
}

func (s *Server) disciplineCreatePost(w http.ResponseWriter, r *http.Request) error {
	f := newForm(r, "member_id", "org_id", "form", "authority_org_id", "authority_body", "violation_on", "renewed_on", "decided_on", "effective_on", "number", "reason", "post", "round_id", "no_limit", "higher_task")
	in := dangvu.Discipline{MemberID: f.Values["member_id"], OrgID: f.Values["org_id"], Form: dangvu.DisciplineForm(f.Values["form"]),
		AuthorityOrgID: f.Values["authority_org_id"], AuthorityBody: dangvu.Body(f.Values["authority_body"]), ViolationOn: f.date("violation_on"),
		RenewedOn: f.date("renewed_on"), DecidedOn: f.date("decided_on"), EffectiveOn: f.date("effective_on"), Number: f.Values["number"],
		Reason: f.Values["reason"], Post: f.Values["post"], RoundID: f.Values["round_id"], NoLimit: f.Values["no_limit"], HigherTask: f.Values["higher_task"] != ""}
	if in.EffectiveOn.IsZero() && f.Errors["effective_on"] == "" {
		in.EffectiveOn = in.DecidedOn
	}
	// The subject is looked for as of the day before the decision, as the scope check takes it.
	if err := s.pickMember(r, f, "member_id", s.dayBefore(in.DecidedOn)); err != nil {
		return err
	}
	for _, k := range []string{"org_id", "authority_org_id"} {
		if err := s.pickOrg(r, f, k, s.dayBefore(in.DecidedOn)); err != nil {
			return err
		}
	}
	in.OrgID, in.AuthorityOrgID = f.Values["org_id"], f.Values["authority_org_id"]
	if f.Errors["org_id"] != "" {
		in.OrgID = "" // a name still to narrow is no id to check
	}
	if f.Errors["authority_org_id"] != "" {
		in.AuthorityOrgID = ""
	}
	if in.MemberID = f.Values["member_id"]; f.Errors["member_id"] != "" {
		in.MemberID = "" // a name still to pick is no id to check
	}
	if err := s.pickRound(r, f, "round_id"); err != nil {
		return err
	}
	if in.RoundID = f.Values["round_id"]; f.Errors["round_id"] != "" {
		in.RoundID = ""
	}
	if err := s.pickPost(r, f, "post", in.MemberID, in.DecidedOn); err != nil {
		return err
	}
	in.Post = f.Values["post"]
	return postForm(w, r, f, s.checkWrite(r, in.AuthorityOrgID, in.DecidedOn, s.disciplineRefs(in)...),
		func() (dangvu.Discipline, error) { return s.Store.CreateDiscipline(r.Context(), s.actor(r), in) },
		s.disciplinesAgain(w, r, func(d *disciplinesData) { d.Form = f }),
		func(out dangvu.Discipline) string { return "/disciplines/" + url.PathEscape(out.ID) })
}

type disciplineData struct {
	D            dangvu.Discipline
	Rules        discipline.Set
	Appeals      []dangvu.DisciplineAppeal
	Form         *formState
	ResolveForm  *formState
	Resolving    string // the appeal whose resolution ResolveForm holds, refused
	CorrectForm  *formState
	WithdrawForm *formState
	CSRF         string
	Write        bool // the reader may record (ActInspection); others only read
}

// ResolveErrors are the errors of an appeal's refused resolution, beside its line's inputs.
func (d *disciplineData) ResolveErrors(appeal string) map[string]string {
	if appeal != d.Resolving {
		return nil
	}
	return d.ResolveForm.Errors
}

func (s *Server) disciplineData(r *http.Request) (*disciplineData, error) {
	d, err := s.Store.Discipline(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	as, err := s.Store.Appeals(r.Context(), d.ID, "", false)
	if err != nil {
		return nil, err
	}
	return &disciplineData{D: d, Rules: discipline.For(d.DecidedOn.Time), Appeals: as, CSRF: s.csrf(r), Write: s.may(r)(dangvu.ActInspection),
		Form:        &formState{Values: map[string]string{"handler_org_id": d.AuthorityOrgID}, Errors: map[string]string{}},
		ResolveForm: &formState{Values: map[string]string{}, Errors: map[string]string{}},
		CorrectForm: correctionForm(d), WithdrawForm: &formState{Values: map[string]string{}, Errors: map[string]string{}}}, nil
}

func (s *Server) disciplinePage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.disciplineData(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "discipline.html", "Quyết định kỷ luật "+d.D.Number, "disciplines", d)
}

func (s *Server) appealCreatePost(w http.ResponseWriter, r *http.Request) error {
	f := newForm(r, "received_on", "lodged_on", "handler_org_id", "handler_body", "note")
	in := dangvu.DisciplineAppeal{DisciplineID: r.PathValue("id"), ReceivedOn: f.date("received_on"), LodgedOn: f.date("lodged_on"),
		HandlerOrgID: f.Values["handler_org_id"], HandlerBody: dangvu.Body(f.Values["handler_body"]), Note: f.Values["note"]}
	if err := s.pickHandler(r, f, "handler_org_id", s.today()); err != nil {
		return err
	}
	if in.HandlerOrgID = f.Values["handler_org_id"]; f.Errors["handler_org_id"] != "" {
		in.HandlerOrgID = ""
	}
	if err := s.checkRefs(r, ref{kind: "handlers", id: in.HandlerOrgID}); err != nil {
		return err
	}
	return postForm(w, r, f, nil,
		func() (dangvu.DisciplineAppeal, error) { return s.Store.CreateAppeal(r.Context(), s.actor(r), in) },
		s.disciplineAgain(w, r, func(d *disciplineData) { d.Form = f }), backToDiscipline[dangvu.DisciplineAppeal](r))
}

// backToDiscipline is the decision's page after one of its forms.
func backToDiscipline[Out any](r *http.Request) func(Out) string {
	return func(Out) string { return "/disciplines/" + url.PathEscape(r.PathValue("id")) }
}

func (s *Server) appealResolvePost(w http.ResponseWriter, r *http.Request) error {
	a, err := s.appealOf(r)
	if err != nil {
		return err
	}
	// The line's inputs; a note (the API's) has none on the page, its error goes above.
	f := newForm(r, "resolved_on", "outcome", "new_form")
	day := f.date("resolved_on")
	return postForm(w, r, f, nil,
		func() (dangvu.DisciplineAppeal, error) {
			return s.Store.ResolveAppeal(r.Context(), s.actor(r), a.ID, day, dangvu.AppealOutcome(f.Values["outcome"]), dangvu.DisciplineForm(f.Values["new_form"]), strings.TrimSpace(r.PostFormValue("note")))
		},
		s.disciplineAgain(w, r, func(d *disciplineData) { d.ResolveForm, d.Resolving = f, a.ID }), backToDiscipline[dangvu.DisciplineAppeal](r))
}

type statsData struct {
	Org, OrgName, From, To, FromISO, ToISO string
	Tables                                 []dangvu.StatTable
}

func (s *Server) inspectionStatsPage(w http.ResponseWriter, r *http.Request) error {
	// An account of the whole tree (no organisation of its own) sees the root's statistics: the
	// page's own link names no organisation for it.
	if q := r.URL.Query(); q.Get("org") == "" && s.defaultOrg(r, "") == "" {
		if roots, err := s.Store.Orgs(r.Context(), dangvu.OrgFilter{AsOf: s.viewDay(r, ""), Limit: 1}); err == nil && len(roots) > 0 {
			q.Set("org", roots[0].ID)
			r.URL.RawQuery = q.Encode()
		}
	}
	org, from, to, ts, err := s.inspectionStats(r)
	if err != nil {
		return err
	}
	d := statsData{Org: org, OrgName: s.Store.OrgName(r.Context(), org, dangvu.DateOf(to)), From: vn.FormatDate(from), To: vn.FormatDate(to),
		FromISO: dangvu.ISO(from), ToISO: dangvu.ISO(to), Tables: ts}
	return s.render(w, r, http.StatusOK, "inspection_stats.html", "Thống kê kiểm tra, giám sát, kỷ luật", "inspections", d)
}
