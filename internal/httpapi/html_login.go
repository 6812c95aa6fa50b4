package httpapi

// The login page, in the pages' layout (web/templates/login.html). loginPost reads the form
// fields username, password, next and csrf.

import "net/http"

// renderLogin shows the login form with a message (empty for none) and the given status.
func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, message string) error {
	data := struct{ Message, Next, CSRF, Username string }{message, localPath(r.FormValue("next")), s.csrf(r), r.PostFormValue("username")}
	return s.render(w, r, status, "login.html", "Đăng nhập", "", data)
}
