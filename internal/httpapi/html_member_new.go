package httpapi

// "Thêm đảng viên": a member not in the system yet — arriving from another province, or an old
// record keyed in from paper — is added from the pages (GET/POST /members/new) into a cell of
// the user's subtree; store.CreateMember gives the id. Life-cycle acts of an existing member are
// on /members/{id}/acts, linked from the member's page.

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"dangvu"
	"dangvu/internal/store"
	"dangvu/internal/vn"
)

func memberNewRoutes() []route {
	return []route{
		{"GET /members/new", htmlPage((*Server).memberNewPage), "Trang thêm đảng viên (chuyển đến từ nơi khác, nhập từ hồ sơ giấy)", []string{"org"}, false, dangvu.ActEditMembers},
		{"POST /members/new", htmlPage((*Server).memberNewPost), "Thêm đảng viên", nil, false, dangvu.ActEditMembers},
	}
}

func memberNewModule(m *module) { m.routes = append(m.routes, memberNewRoutes) }

// newMemberFields are the form's fields besides the record's own (formText, formDates).
var newMemberFields = []string{"org", "on", "from", "document"}

func (s *Server) memberNewPage(w http.ResponseWriter, r *http.Request) error {
	form := memberForm{Values: map[string]string{"gender": dangvu.Male, "org": r.URL.Query().Get("org"), "on": vn.FormatDate(s.today())}, Errors: map[string]string{}, CSRF: s.csrf(r)}
	return s.render(w, r, http.StatusOK, "member_new.html", "Thêm đảng viên", "members", form)
}

func (s *Server) memberNewPost(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "Biểu mẫu không đọc được.")
	}
	form := memberForm{Values: map[string]string{}, Errors: map[string]string{}, CSRF: s.csrf(r)}
	var m dangvu.Member
	fields := memberFieldMap(&m)
	for _, k := range append(append(append([]string{"birth_date"}, formText...), formDates...), newMemberFields...) {
		form.Values[k] = strings.TrimSpace(r.PostForm.Get(k))
		if p, ok := fields[k]; ok {
			*p = form.Values[k]
		}
	}
	if p, err := vn.ParsePartialDate(form.Values["birth_date"]); err != nil {
		form.Errors["birth_date"] = err.Error()
	} else {
		m.BirthDate = p.String()
	}
	readFormDates(&m, form)
	if form.Values["admitted_on"] == "" {
		form.Errors["admitted_on"] = "bắt buộc: ngày vào Đảng"
	}
	a := dangvu.Arrival{From: form.Values["from"], Document: form.Values["document"]}
	if v := form.Values["on"]; v != "" {
		if t, err := vn.ParseDate(v); err != nil {
			form.Errors["on"] = err.Error()
		} else {
			a.On = dangvu.DateOf(t)
		}
	} else {
		form.Errors["on"] = "bắt buộc: ngày bắt đầu sinh hoạt ở chi bộ"
	}
	// The cell, by code, name or part of a name, within the user's subtree; one outside it is
	// answered as one that does not exist.
	// The organisation's problems are placed beside it as the record's are (placeErrors).
	org := &formState{Values: form.Values, Errors: form.Errors}
	if ref := form.Values["org"]; ref == "" {
		org.offer("org", "bắt buộc: chi bộ sinh hoạt", nil)
	} else if !a.On.IsZero() {
		on := a.On.Time
		o, err := s.findOrg(r, ref, on)
		if err == nil && s.checkOrg(r, o.ID, on) != nil {
			err = dangvu.Errorf(dangvu.ENotFound, "")
		}
		switch {
		case err == nil:
			a.OrgID = o.ID
		case dangvu.ErrorCode(err) == dangvu.ENotFound:
			org.offer("org", fmt.Sprintf("không có chi bộ %q trong phạm vi của bạn vào ngày %s", ref, vn.FormatDate(on)), nil)
		case len(fieldsOf(err)) > 0:
			org.offer("org", fieldsOf(err)[0].Reason, nil)
		default:
			return err
		}
	}
	var created dangvu.Member
	var err error
	if len(form.Errors) == 0 {
		created, err = s.Store.CreateMember(r.Context(), s.actor(r), m, a)
	} else {
		err = store.ValidateMember(m) // still name every other problem at once
	}
	other, err := placeErrors(err, form.Errors, func(field string) string {
		if field == "org_id" { // the record's organisation is the form's org input
			field = "org"
		}
		return inputsIn(form.Values)(field)
	})
	if err != nil {
		return err
	}
	form.Other = append(form.Other, other...)
	if len(form.Errors) > 0 || len(form.Other) > 0 {
		return s.render(w, r, http.StatusUnprocessableEntity, "member_new.html", "Thêm đảng viên", "members", form)
	}
	http.Redirect(w, r, "/members/"+url.PathEscape(created.ID)+"?as_of="+url.QueryEscape(a.On.String()), http.StatusSeeOther)
	return nil
}
