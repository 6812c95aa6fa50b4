package httpapi

import (
	"errors"
	"net/http"
	"strings"

	"dangvu"
	"dangvu/internal/store"
)

// totpRoutes lists the second-factor and sensitive-data routes.
func totpRoutes() []route {
	return []route{
		{"POST /login/totp", (*Server).loginTOTPPost, "Đăng nhập, bước hai: mã xác thực 6 số (biểu mẫu pending, code, next)", nil, true, ""},
		{"POST /members/{id}/reveal", (*Server).memberReveal, "Xem số định danh, điện thoại, nơi ở của đảng viên (ghi nhật ký)", nil, false, dangvu.ActRevealSensitive},
	}
}

// renderTOTP shows the second step of a login: the form asking for the 6-digit code, carrying the
// pending login's token (valid store.PendingLoginTTL).
func (s *Server) renderTOTP(w http.ResponseWriter, r *http.Request, status int, pending, message string) error {
	csrf, err := s.loginCSRF(w, r)
	if err != nil {
		return err
	}
	data := struct{ Message, Next, CSRF, Pending string }{message, localPath(r.FormValue("next")), csrf, pending}
	return s.render(w, r, status, "login_totp.html", "Xác thực hai bước", "", data)
}

// loginTOTPPost completes a login with the code of the user's authenticator app. A wrong code
// shows the form again (the pending login stays until it expires) and counts toward throttling.
func (s *Server) loginTOTPPost(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return s.renderLogin(w, r, http.StatusBadRequest, "Biểu mẫu không hợp lệ.")
	}
	if !s.loginCSRFOK(r) {
		return s.renderLogin(w, r, http.StatusForbidden, errLoginCSRF)
	}
	pending, code := r.PostFormValue("pending"), strings.TrimSpace(r.PostFormValue("code"))
	if pending == "" {
		return s.renderLogin(w, r, http.StatusUnauthorized, "Bước xác thực đã hết hạn hoặc không hợp lệ. Vui lòng đăng nhập lại.")
	}
	if code == "" {
		return s.renderTOTP(w, r, http.StatusBadRequest, pending, "Vui lòng nhập mã xác thực 6 số.")
	}
	ip := s.clientIP(r)
	u, err := s.Store.CompleteTOTPLogin(r.Context(), pending, code, ip)
	if err != nil {
		msg := dangvu.ErrorMessage(err)
		switch dangvu.ErrorCode(err) {
		case dangvu.EUnauthorized:
			if errors.Is(err, store.ErrNoPendingLogin) {
				return s.renderLogin(w, r, http.StatusUnauthorized, msg)
			}
			return s.renderTOTP(w, r, http.StatusUnauthorized, pending, msg)
		case dangvu.ERateLimited:
			return s.renderLogin(w, r, http.StatusTooManyRequests, msg)
		case dangvu.EForbidden:
			return s.renderLogin(w, r, http.StatusForbidden, msg)
		}
		return err
	}
	return s.startSession(w, r, u, ip)
}
