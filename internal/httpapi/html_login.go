package httpapi

// The login page, in the pages' layout (web/templates/login.html). loginPost reads the form
// fields username, password, next and csrf (the pre-session token of LoginCookie, or the
// session's when logged in already).

import "net/http"

// renderLogin shows the login form with a message (empty for none) and the given status.
func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, message string) error {
	csrf, err := s.loginCSRF(w, r)
	if err != nil {
		return err
	}
	data := struct {
		Message, Next, CSRF, Username string
		FirstRun                      bool // no account yet: say how the first administrator is made
	}{message, localPath(r.FormValue("next")), csrf, r.PostFormValue("username"), s.noAccounts(r)}
	return s.render(w, r, status, "login.html", "Đăng nhập", "", data)
}
