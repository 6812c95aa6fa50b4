package httpapi

import (
	"net/http"

	"dangvu"
	"dangvu/internal/vn"
)

// Corrections and withdrawal of discipline decisions (docs/inspection.md, "Appeals, corrections
// and withdrawal"): the API and the forms on /disciplines/{id}. Both need ActInspection and, for
// a correction, the (corrected) deciding organisation in the user's subtree.

func inspectionCorrectionsModule(m *module) {
	m.routes = append(m.routes, disciplineCorrectionRoutes)
}

func disciplineCorrectionRoutes() []route {
	ins := dangvu.ActInspection
	return []route{
		{"POST /api/v1/disciplines/{id}/correct", (*Server).apiDisciplineCorrect, "Sửa quyết định kỷ luật ghi sai (JSON: các trường cần sửa; đối tượng không đổi), kiểm tra lại theo quy định", nil, false, ins},
		{"POST /api/v1/disciplines/{id}/withdraw", (*Server).apiDisciplineWithdraw, "Rút quyết định kỷ luật ghi nhầm (JSON: withdrawn_on, withdrawn_reason); giữ lại hồ sơ, hoàn lại hệ quả", nil, false, ins},
		{"POST /disciplines/{id}/correct", htmlPage((*Server).disciplineCorrectPost), "Sửa quyết định kỷ luật", nil, false, ins},
		{"POST /disciplines/{id}/withdraw", htmlPage((*Server).disciplineWithdrawPost), "Rút quyết định kỷ luật", nil, false, ins},
	}
}

// apiDisciplineCorrect applies the JSON fields given over the stored decision.
func (s *Server) apiDisciplineCorrect(w http.ResponseWriter, r *http.Request) error {
	stored, err := s.Store.Discipline(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return apiWrite(w, r, http.StatusOK, stored,
		func(in *dangvu.Discipline) error {
			return s.checkWrite(r, in.AuthorityOrgID, in.DecidedOn, ref{kind: "inspections", id: in.RoundID})
		},
		func(in dangvu.Discipline) (dangvu.Discipline, error) {
			return s.Store.CorrectDiscipline(r.Context(), s.actor(r), r.PathValue("id"), in)
		})
}

func (s *Server) apiDisciplineWithdraw(w http.ResponseWriter, r *http.Request) error {
	return apiWrite(w, r, http.StatusOK, withdrawInput{},
		func(in *withdrawInput) error {
			if in.On.IsZero() {
				in.On = dangvu.DateOf(s.today())
			}
			return nil
		},
		func(in withdrawInput) (dangvu.Discipline, error) {
			return s.Store.WithdrawDiscipline(r.Context(), s.actor(r), r.PathValue("id"), in.On, in.Reason)
		})
}

// correctionForm is the correction form filled with the stored decision.
func correctionForm(d dangvu.Discipline) *formState {
	f := &formState{Values: map[string]string{}, Errors: map[string]string{}}
	for k, v := range map[string]string{"form": string(d.Form), "authority_org_id": d.AuthorityOrgID, "authority_body": string(d.AuthorityBody),
		"violation_on": d.ViolationOn.String(), "renewed_on": d.RenewedOn.String(), "decided_on": d.DecidedOn.String(), "effective_on": d.EffectiveOn.String(),
		"number": d.Number, "reason": d.Reason, "post": d.Post, "round_id": d.RoundID, "no_limit": d.NoLimit, "higher_task": map[bool]string{true: "1"}[d.HigherTask]} {
		if t, err := dangvu.ParseISODate(v); err == nil && len(v) == 10 {
			v = vn.FormatDate(t)
		}
		f.Values[k] = v
	}
	return f
}

func (s *Server) disciplineCorrectPost(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	cur, err := s.Store.Discipline(r.Context(), id)
	if err != nil {
		return err
	}
	f := newForm(r, "form", "authority_org_id", "authority_body", "violation_on", "renewed_on", "decided_on", "effective_on", "number", "reason", "post", "round_id", "no_limit", "higher_task")
	in := dangvu.Discipline{ID: id, MemberID: cur.MemberID, OrgID: cur.OrgID, Form: dangvu.DisciplineForm(f.Values["form"]),
		AuthorityOrgID: f.Values["authority_org_id"], AuthorityBody: dangvu.Body(f.Values["authority_body"]), ViolationOn: f.date("violation_on"),
		RenewedOn: f.date("renewed_on"), DecidedOn: f.date("decided_on"), EffectiveOn: f.date("effective_on"), Number: f.Values["number"],
		Reason: f.Values["reason"], Post: f.Values["post"], RoundID: f.Values["round_id"], NoLimit: f.Values["no_limit"], HigherTask: f.Values["higher_task"] != ""}
	// The deciding organisation, the round and the post by name, as on the new decision's form.
	if err := s.pickOrg(r, f, "authority_org_id", s.dayBefore(in.DecidedOn)); err != nil {
		return err
	}
	if err := s.pickRound(r, f, "round_id"); err != nil {
		return err
	}
	if err := s.pickPost(r, f, "post", in.MemberID, in.DecidedOn); err != nil {
		return err
	}
	in.AuthorityOrgID, in.RoundID, in.Post = f.Values["authority_org_id"], f.Values["round_id"], f.Values["post"]
	if !f.failed() {
		err = s.checkWrite(r, in.AuthorityOrgID, in.DecidedOn, ref{kind: "inspections", id: in.RoundID})
	}
	return postForm(w, r, f, err,
		func() (dangvu.Discipline, error) { return s.Store.CorrectDiscipline(r.Context(), s.actor(r), id, in) },
		s.disciplineAgain(w, r, func(d *disciplineData) { d.CorrectForm = f }), backToDiscipline[dangvu.Discipline](r))
}

func (s *Server) disciplineWithdrawPost(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	f := newForm(r, "withdrawn_on", "withdrawn_reason")
	day := f.date("withdrawn_on")
	if f.Values["withdrawn_on"] == "" {
		day = dangvu.DateOf(s.today())
	}
	return postForm(w, r, f, nil,
		func() (dangvu.Discipline, error) {
			return s.Store.WithdrawDiscipline(r.Context(), s.actor(r), id, day, f.Values["withdrawn_reason"])
		},
		s.disciplineAgain(w, r, func(d *disciplineData) { d.WithdrawForm = f }), backToDiscipline[dangvu.Discipline](r))
}
