package httpapi

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/store"
	"dangvu/internal/vn"
)

// Access control. Every request is authenticated (session cookie or `Authorization: Bearer`);
// a route that is not public needs a user whose role may perform the route's action, and the
// handlers check that the organisations and members asked for lie in the user's subtree.
// State-changing requests made with a session cookie must carry the session's CSRF token.

// SessionCookie is the name of the session cookie.
const SessionCookie = "dangvu_session"

// LoginCookie holds the pre-session CSRF token that the login forms must carry back: without it
// another site could post its own credentials and log the browser into the attacker's account.
const LoginCookie = "dangvu_login"

// crossOrigin refuses state-changing requests that a browser marks as coming from another site
// (Sec-Fetch-Site, else an Origin that is not this host), whatever their cookies or tokens.
var crossOrigin = http.NewCrossOriginProtection()

type authKey struct{}

// authInfo is what the request's credentials established.
type authInfo struct {
	user    *dangvu.User
	csrf    string // the session's CSRF token; empty for Bearer tokens
	session string // the session token, when authenticated by cookie
	reader  string // the session or Bearer token: whose writes its reads must see (store.ReadsAs)
}

// authRoutes are the login and logout endpoints.
func authRoutes() []route {
	return []route{
		{"GET /login", (*Server).loginPage, "Trang đăng nhập", []string{"next"}, true, ""},
		{"POST /login", (*Server).loginPost, "Đăng nhập (biểu mẫu username, password, next)", nil, true, ""},
		{"POST /logout", (*Server).logoutPost, "Đăng xuất", nil, true, ""},
	}
}

// navItem is an entry of the main menu, shown to users whose role may perform Action.
type navItem struct {
	Key, Path, Label string
	Action           string // a dangvu.Action
}

// coreNav is the core module's part of the main menu.
var coreNav = []navItem{
	{"orgs", "/orgs", "Tổ chức", string(dangvu.ActRead)},
	{"members", "/members", "Đảng viên", string(dangvu.ActRead)},
	{"audit", "/audit", "Nhật ký", string(dangvu.ActAudit)},
}

// user returns the logged-in user, nil when anonymous.
func (s *Server) user(r *http.Request) *dangvu.User {
	if a, ok := r.Context().Value(authKey{}).(*authInfo); ok {
		return a.user
	}
	return nil
}

// csrf returns the CSRF token of the request's session, for forms' hidden field "csrf" (or the
// X-CSRF-Token header); empty without a session.
func (s *Server) csrf(r *http.Request) string {
	if a, ok := r.Context().Value(authKey{}).(*authInfo); ok {
		return a.csrf
	}
	return ""
}

// authenticate reads the request's credentials. A Bearer token that is wrong is an error; a
// session cookie that is unknown or expired is simply no session.
func (s *Server) authenticate(r *http.Request) (*authInfo, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return nil, dangvu.Errorf(dangvu.EUnauthorized, "Chỉ chấp nhận xác thực bằng mã truy cập (Authorization: Bearer …).")
		}
		u, err := s.Store.UserByAPIToken(r.Context(), strings.TrimSpace(tok))
		if err != nil {
			return nil, err
		}
		return &authInfo{user: &u, reader: strings.TrimSpace(tok)}, nil
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	sess, err := s.Store.Session(r.Context(), c.Value)
	if err != nil {
		if dangvu.ErrorCode(err) == dangvu.EUnauthorized {
			return nil, nil
		}
		return nil, err
	}
	return &authInfo{user: &sess.User, csrf: sess.CSRF, session: c.Value, reader: c.Value}, nil
}

func stateChanging(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

var (
	errLogin  = dangvu.Errorf(dangvu.EUnauthorized, "Vui lòng đăng nhập.")
	errDenied = dangvu.Errorf(dangvu.EForbidden, "Vai trò của bạn không được phép làm việc này.")
	errCSRF   = dangvu.Errorf(dangvu.EForbidden, "Biểu mẫu đã hết hạn hoặc không hợp lệ (thiếu mã chống giả mạo). Vui lòng tải lại trang và thử lại.")
	errOrigin = dangvu.Errorf(dangvu.EForbidden, "Yêu cầu gửi từ trang web khác bị từ chối. Vui lòng mở trang trực tiếp từ hệ thống rồi thử lại.")
	// errLoginCSRF is shown on the login form itself, which then carries a fresh token.
	errLoginCSRF = "Biểu mẫu đăng nhập đã hết hạn hoặc không được gửi từ trang này. Vui lòng đăng nhập lại."
)

// guard wraps a route's handler with authentication, the role check and the CSRF check.
func (s *Server) guard(rt route) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		defer s.recoverPanic(w, r)
		if stateChanging(r.Method) {
			// With PostgreSQL read replicas: a request that writes reads the primary throughout,
			// so that what it checks is what its write transaction finds (docs/deployment.md).
			r = r.WithContext(store.PrimaryReads(r.Context()))
		}
		info, err := s.authenticate(r)
		if err != nil && (!rt.public || dangvu.ErrorCode(err) != dangvu.EUnauthorized) {
			s.deny(w, r, err)
			return
		}
		if info != nil {
			ctx := context.WithValue(r.Context(), authKey{}, info)
			if info.reader != "" {
				// The session's writes are recorded when they commit; its later requests read
				// the primary until a replica has replayed them.
				ctx = store.ReadsAs(ctx, info.reader)
			}
			r = r.WithContext(ctx)
		}
		if !rt.public {
			if info == nil || info.user == nil {
				s.deny(w, r, errLogin)
				return
			}
			if !info.user.UserRole.Can(rt.action) {
				s.deny(w, r, errDenied)
				return
			}
		}
		if !rt.public {
			if err := s.checkRouteScope(rt, r); err != nil {
				s.deny(w, r, err)
				return
			}
		}
		if stateChanging(r.Method) {
			if err := s.limitBody(w, r, rt); err != nil {
				s.deny(w, r, err)
				return
			}
		}
		if stateChanging(r.Method) && r.Header.Get("Authorization") == "" {
			// A browser's request (cookie or none): never from another site. Bearer requests
			// come from programs, and browsers cannot send them across sites without CORS.
			if crossOrigin.Check(r) != nil {
				s.deny(w, r, errOrigin)
				return
			}
		}
		if info != nil && info.session != "" && stateChanging(r.Method) {
			// From the header or the body only: a token in the query string leaks through
			// logs, history and Referer.
			got := r.Header.Get("X-CSRF-Token")
			if got == "" {
				got = r.PostFormValue("csrf")
			}
			if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(info.csrf)) != 1 {
				s.deny(w, r, errCSRF)
				return
			}
		}
		if err := rt.handler(s, w, r); err != nil {
			if isAPI(r) {
				s.writeError(w, r, err)
			} else {
				s.renderError(w, r, err) // a person followed a link or sent a form: a page, not JSON
			}
		}
	}
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// deny answers a refused request: JSON for the API; for pages, a redirect to the login page when
// not logged in, else an error page.
func (s *Server) deny(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case isAPI(r):
		s.writeError(w, r, err)
	case dangvu.ErrorCode(err) == dangvu.EUnauthorized && r.Method == http.MethodGet:
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	case dangvu.ErrorCode(err) == dangvu.EUnauthorized:
		http.Redirect(w, r, "/login", http.StatusSeeOther)
	default:
		s.renderError(w, r, err)
	}
}

// secureCookies reports whether cookies must be marked Secure: the server runs TLS or sits
// behind an HTTPS proxy.
func (s *Server) secureCookies(r *http.Request) bool { return r.TLS != nil || s.BehindHTTPS }

// clientIP is the address the request came from, for login throttling and the audit log. Behind
// the HTTPS proxy (BehindHTTPS) every connection comes from the proxy, and throttling by its
// address would let five wrong passwords lock an account for everyone: when the connection comes
// from a loopback or private address, the last X-Forwarded-For entry (the one the proxy itself
// appended; a client can only forge the ones before it) is taken instead.
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.BehindHTTPS {
		return host
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !(peer.IsLoopback() || peer.IsPrivate()) {
		return host
	}
	xff := r.Header.Values("X-Forwarded-For")
	if len(xff) == 0 {
		return host
	}
	parts := strings.Split(xff[len(xff)-1], ",")
	if a, err := netip.ParseAddr(strings.TrimSpace(parts[len(parts)-1])); err == nil {
		return a.Unmap().String()
	}
	return host
}

// localPath returns next when it is a path on this site, "/" otherwise (no open redirects).
func localPath(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n\\") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return next
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderLogin(w, r, http.StatusOK, "")
}

func (s *Server) loginPost(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return s.renderLogin(w, r, http.StatusBadRequest, "Biểu mẫu không hợp lệ.")
	}
	if !s.loginCSRFOK(r) {
		return s.renderLogin(w, r, http.StatusForbidden, errLoginCSRF)
	}
	username, password := r.PostFormValue("username"), r.PostFormValue("password")
	if strings.TrimSpace(username) == "" || password == "" {
		return s.renderLogin(w, r, http.StatusBadRequest, "Vui lòng nhập tên đăng nhập và mật khẩu.")
	}
	ip := s.clientIP(r)
	u, err := s.Store.Authenticate(r.Context(), username, password, ip)
	if err != nil {
		switch dangvu.ErrorCode(err) {
		case dangvu.EUnauthorized:
			return s.renderLogin(w, r, http.StatusUnauthorized, dangvu.ErrorMessage(err))
		case dangvu.ERateLimited:
			return s.renderLogin(w, r, http.StatusTooManyRequests, dangvu.ErrorMessage(err))
		case dangvu.EForbidden:
			return s.renderLogin(w, r, http.StatusForbidden, dangvu.ErrorMessage(err))
		}
		return err
	}
	if u.TOTP {
		// The password is right; the session waits for the second factor (auth_totp.go).
		pending, err := s.Store.CreatePendingLogin(r.Context(), u, ip)
		if err != nil {
			return err
		}
		return s.renderTOTP(w, r, http.StatusOK, pending, "")
	}
	return s.startSession(w, r, u, ip)
}

// loginCSRF returns the CSRF token of the login forms: the session's when the browser is logged
// in (guard checks it), else the pre-session token of LoginCookie, made and set when missing.
func (s *Server) loginCSRF(w http.ResponseWriter, r *http.Request) (string, error) {
	if tok := s.csrf(r); tok != "" {
		return tok, nil
	}
	if c, err := r.Cookie(LoginCookie); err == nil && len(c.Value) >= 40 {
		return c.Value, nil
	}
	tok, err := store.NewToken()
	if err != nil {
		return "", err
	}
	// Strict: the cookie goes only with requests from this site's own pages.
	http.SetCookie(w, &http.Cookie{Name: LoginCookie, Value: tok, Path: "/login", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secureCookies(r)})
	return tok, nil
}

// loginCSRFOK reports whether a posted login form carries its pre-session token (the session's
// token was checked by guard when the browser is logged in).
func (s *Server) loginCSRFOK(r *http.Request) bool {
	if s.sessionToken(r) != "" {
		return true
	}
	c, err := r.Cookie(LoginCookie)
	got := r.PostFormValue("csrf")
	return err == nil && len(c.Value) >= 40 && subtle.ConstantTimeCompare([]byte(got), []byte(c.Value)) == 1
}

// startSession ends the browser's old session, if any, opens one for the user, sets its cookie
// and redirects to the form's next page.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u dangvu.User, ip string) error {
	if old := s.sessionToken(r); old != "" {
		if err := s.Store.DeleteSession(r.Context(), old); err != nil {
			return err
		}
	}
	tok, sess, err := s.Store.CreateSession(r.Context(), u, ip)
	if err != nil {
		return err
	}
	s.Store.WroteAs(r.Context(), tok) // the login's writes (its audit entry) are the new session's
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: tok, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.secureCookies(r), Expires: sess.Expires, MaxAge: int(store.SessionTTL / time.Second),
	})
	http.Redirect(w, r, localPath(r.FormValue("next")), http.StatusSeeOther)
	return nil
}

func (s *Server) sessionToken(r *http.Request) string {
	if a, ok := r.Context().Value(authKey{}).(*authInfo); ok {
		return a.session
	}
	return ""
}

func (s *Server) logoutPost(w http.ResponseWriter, r *http.Request) error {
	if tok := s.sessionToken(r); tok != "" {
		if err := s.Store.DeleteSession(r.Context(), tok); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(r), MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// Scope checks for the handlers.

// wholeTree reports whether a user sees every organisation.
func wholeTree(u *dangvu.User) bool {
	return u != nil && u.UserRole == dangvu.UserAdmin && u.OrgID == "" && !u.Disabled
}

// defaultOrg is the organisation a list is narrowed to when the request names none: the user's
// own ("" for the whole tree).
func (s *Server) defaultOrg(r *http.Request, org string) string {
	if org != "" {
		return org
	}
	if u := s.user(r); u != nil && !wholeTree(u) {
		return u.OrgID
	}
	return ""
}

// checkOrg refuses an organisation outside the user's subtree as of a date; an empty id (the
// whole tree) only for those who see it.
func (s *Server) checkOrg(r *http.Request, orgID string, asOf time.Time) error {
	u := s.user(r)
	if u == nil {
		return errLogin
	}
	if wholeTree(u) {
		return nil
	}
	if orgID == "" {
		return dangvu.Errorf(dangvu.EForbidden, "Bạn chỉ được xem trong phạm vi tổ chức của mình.")
	}
	ok, err := s.Store.InScope(r.Context(), *u, orgID, asOf)
	if err != nil {
		return err
	}
	if !ok {
		return dangvu.Errorf(dangvu.EForbidden, "Tổ chức %q nằm ngoài phạm vi bạn được xem.", orgID)
	}
	return nil
}

// checkMember answers not found (not forbidden, so that ids cannot be probed) for a member
// outside the user's subtree.
func (s *Server) checkMember(r *http.Request, id string, asOf time.Time) error {
	u := s.user(r)
	if u == nil {
		return errLogin
	}
	ok, err := s.Store.MemberInScope(r.Context(), *u, id, asOf)
	if err != nil {
		return err
	}
	if !ok {
		return dangvu.Errorf(dangvu.ENotFound, "không có đảng viên mã %q", id)
	}
	return nil
}

// memberSeenUntil checks a member asked for as of a date and says how much of the record the
// user may read (store.MemberSeenUntil): dangvu.Forever for a member of the user's subtree
// today; the day the member left it, for one who was in it on asOf; not found otherwise.
func (s *Server) memberSeenUntil(r *http.Request, id string, asOf time.Time) (dangvu.Date, error) {
	u := s.user(r)
	if u == nil {
		return dangvu.Date{}, errLogin
	}
	if wholeTree(u) {
		return dangvu.Forever, nil
	}
	until, err := s.Store.MemberSeenUntil(r.Context(), *u, id, asOf)
	if err != nil {
		return dangvu.Date{}, err
	}
	if until.IsZero() {
		return dangvu.Date{}, dangvu.Errorf(dangvu.ENotFound, "không có đảng viên mã %q", id)
	}
	return until, nil
}

// errLeft refuses today's personal data of a member who has left the user's subtree.
func errLeft(id string, until dangvu.Date) error {
	t := until.Time
	return dangvu.Errorf(dangvu.EForbidden, "Đảng viên %s không còn thuộc phạm vi của bạn từ ngày %s: chỉ xem được hồ sơ như trước ngày đó, không xem được thông tin cá nhân hiện nay.", id, vn.FormatDate(t))
}

// idKind says what the {id} of a route pattern names: the path segment before it ("members",
// "organisations", "documents"...), "" when the pattern has no {id}.
func idKind(pattern string) string {
	p := pattern[strings.IndexByte(pattern, ' ')+1:]
	i := strings.Index(p, "/{id}")
	if i < 0 {
		return ""
	}
	return p[strings.LastIndexByte(p[:i], '/')+1 : i]
}

// coreObjectScopes are the core module's object scopes (objectScope, modules.go).
var coreObjectScopes = map[string]objectScopeFunc{
	"members": func(s *Server, r *http.Request, id string, asOf time.Time) error {
		_, err := s.memberSeenUntil(r, id, asOf)
		return err
	},
	"organisations": func(s *Server, r *http.Request, id string, asOf time.Time) error { return s.checkOrg(r, id, asOf) },
	"orgs":          func(s *Server, r *http.Request, id string, asOf time.Time) error { return s.checkOrg(r, id, asOf) },
	"users":         (*Server).accountScope, // administrators (ActManageUsers), within their subtree
}

// checkRouteScope checks, for every route alike (API and pages), the {id} of the path and the
// org and under parameters against the user's subtree as of the as_of parameter (else the to
// parameter of a period, else today; the handler reports a bad date). Handlers check again, and default an
// absent org to the user's own. Only a read of a route that takes the date chooses it: a write,
// or a route without as_of, is judged on today's tree (else ?as_of=2016-01-01 would lend any
// route the scope of 2016).
func (s *Server) checkRouteScope(rt route, r *http.Request) error {
	u := s.user(r)
	if u == nil {
		return errLogin
	}
	// The date the organisations are taken as of: as_of, else the end of a report's period,
	// else the page's default day (the last day of an ended organisation: html_ended.go).
	asOf := s.viewDay(r, "")
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		if slices.Contains(rt.params, "to") {
			if to, err := date(r, "to", asOf); err == nil {
				asOf = to
			}
		}
		if slices.Contains(rt.params, "as_of") {
			if t, err := date(r, "as_of", asOf); err == nil {
				asOf = t
			}
		}
	}
	if err := s.resolveOrgParams(r, asOf); err != nil {
		return err
	}
	if wholeTree(u) {
		return nil
	}
	if id := r.PathValue("id"); id != "" {
		check := objectScope(idKind(rt.pattern))
		if check == nil {
			// Fail closed: a route whose objects have no scope rule is for the whole tree only.
			return fmt.Errorf("httpapi: no scope rule for %s", rt.pattern)
		}
		if err := check(s, r, id, asOf); err != nil {
			return err
		}
	}
	for _, p := range []string{"org", "under"} {
		if v := r.URL.Query().Get(p); v != "" {
			if err := s.checkOrg(r, v, asOf); err != nil {
				return err
			}
		}
	}
	return nil
}
