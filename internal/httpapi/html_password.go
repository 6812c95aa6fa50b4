package httpapi

// "Đổi mật khẩu": every account changes its own password (GET/POST /password). The current
// password is checked as a login is (throttled, a wrong one audited as a failed login); the new
// one is set by store.SetPassword, which ends every session and API token of the account, so the
// person gets a fresh session at once and stays logged in on this browser only.

import (
	"net/http"

	"dangvu"
)

func passwordRoutes() []route {
	return []route{
		{"GET /password", htmlPage((*Server).passwordPage), "Trang đổi mật khẩu của chính mình", nil, false, dangvu.ActRead},
		{"POST /password", htmlPage((*Server).passwordPost), "Đổi mật khẩu của chính mình (current, new, new2)", nil, false, dangvu.ActRead},
	}
}

func passwordModule(m *module) {
	m.routes = append(m.routes, passwordRoutes)
	m.funcs["pwfield"] = func(d passwordData, name, label, auto string) any {
		return formField{Name: name, Label: label, Kind: "password", Auto: auto, Required: true, Err: d.Errors[name]}
	}
}

type passwordData struct {
	Errors  map[string]string
	Message string
	Done    bool
	CSRF    string
}

func (s *Server) passwordPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "password.html", "Đổi mật khẩu", "", passwordData{Done: r.URL.Query().Get("changed") == "1", CSRF: s.csrf(r)})
}

func (s *Server) passwordPost(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "Biểu mẫu không đọc được.")
	}
	u := s.user(r)
	cur, nw, nw2 := r.PostForm.Get("current"), r.PostForm.Get("new"), r.PostForm.Get("new2")
	d := passwordData{Errors: map[string]string{}, CSRF: s.csrf(r)}
	var err error
	switch {
	case cur == "":
		err = refuse("current", "chưa nhập mật khẩu hiện tại")
	case nw == "":
		err = refuse("new", "chưa nhập mật khẩu mới")
	case nw != nw2:
		err = refuse("new2", "không khớp với mật khẩu mới")
	case nw == cur:
		err = refuse("new", "mật khẩu mới phải khác mật khẩu hiện tại")
	}
	if err == nil {
		ip := s.clientIP(r)
		_, err = s.Store.Authenticate(r.Context(), u.Username, cur, ip)
		switch dangvu.ErrorCode(err) {
		case "":
			if err = s.Store.SetPassword(r.Context(), u.Username, u.Username, nw); err == nil {
				// Every session of the account has ended with the old password: this one starts anew.
				r.Form.Set("next", "/password?changed=1")
				return s.startSession(w, r, *u, ip)
			}
		case dangvu.EUnauthorized:
			err = refuse("current", "mật khẩu hiện tại không đúng")
		case dangvu.ERateLimited:
			d.Message, err = dangvu.ErrorMessage(err), nil
		}
	}
	// The store names the password it refuses "password": the new one.
	other, err := placeErrors(err, d.Errors, func(field string) string {
		if field == "password" {
			field = "new"
		}
		return inputsOf("current", "new", "new2")(field)
	})
	if err != nil {
		return err
	}
	if d.Message == "" {
		d.Message = "Chưa đổi được mật khẩu."
	}
	for _, o := range other {
		d.Message += " " + o.String()
	}
	status := http.StatusBadRequest
	if d.Errors["current"] == "mật khẩu hiện tại không đúng" {
		status = http.StatusUnauthorized
	}
	return s.render(w, r, status, "password.html", "Đổi mật khẩu", "", d)
}

// noAccounts reports whether the database has no account yet (a first start without --demo).
func (s *Server) noAccounts(r *http.Request) bool {
	users, err := s.Store.Users(r.Context())
	return err == nil && len(users) == 0
}
