package httpapi

// The administration pages: user accounts, export download and import upload.

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/store"
	"dangvu/internal/vn"
)

// adminRoutes lists the administration pages: users, import and export.
func adminRoutes() []route {
	return []route{
		{"GET /admin/users", htmlPage((*Server).usersPage), "Quản lý tài khoản", nil, false, dangvu.ActManageUsers},
		{"POST /admin/users", htmlPage((*Server).usersCreate), "Tạo tài khoản", nil, false, dangvu.ActManageUsers},
		{"POST /admin/users/{id}/disable", htmlPage((*Server).userDisable), "Khóa tài khoản", nil, false, dangvu.ActManageUsers},
		{"POST /admin/users/{id}/password", htmlPage((*Server).userPassword), "Đặt lại mật khẩu", nil, false, dangvu.ActManageUsers},
		{"POST /admin/users/{id}/org", htmlPage((*Server).userMove), "Chuyển tài khoản sang tổ chức khác (tổ chức kế thừa sau sắp xếp)", nil, false, dangvu.ActManageUsers},
		{"GET /export", (*Server).exportDownload, "Tải dữ liệu (XLSX) trong phạm vi và theo quyền của mình; reveal=1 hiện số định danh, điện thoại, nơi ở (được ghi nhật ký)", []string{"format", "reveal"}, false, dangvu.ActExport},
		{"GET /import", htmlPage((*Server).importPage), "Trang nhập dữ liệu", nil, false, dangvu.ActImport},
		{"POST /import", htmlPage((*Server).importPost), "Nhập dữ liệu (.xlsx hoặc .zip các tệp CSV); cán bộ tổ chức chỉ nhập trong phạm vi tổ chức mình", nil, false, dangvu.ActImport},
		{"POST /api/v1/import", (*Server).importAPI, "Nhập dữ liệu: nội dung là tệp .zip các tệp CSV (hoặc .xlsx khi name kết thúc bằng .xlsx); cán bộ tổ chức chỉ nhập trong phạm vi tổ chức mình, dòng ngoài phạm vi bị từ chối kèm số dòng; dry_run=1 chạy thử, cho biết mỗi bảng sẽ thêm, sửa, xóa bao nhiêu dòng, không ghi gì", []string{"name", "dry_run"}, false, dangvu.ActImport},
	}
}

func adminModule(m *module) {
	// can reports, in the layout, whether the user's role may perform an action (for the menu).
	m.funcs["can"] = func(u *dangvu.User, a string) bool { return u != nil && u.UserRole.Can(dangvu.Action(a)) }
	m.funcs["roles"] = func() []dangvu.Code[dangvu.UserRole] { return dangvu.UserRoles }
	m.funcs["inc"] = func(i int) int { return i + 1 }
	// successors are the choices of an ended organisation's account's move.
	m.funcs["successors"] = func(e *dangvu.OrgEnd) [][2]string {
		var out [][2]string
		for _, x := range e.Successors {
			out = append(out, [2]string{x.Org.ID, fmt.Sprintf("%s (%s đảng viên)", x.Org.Name, vn.FormatInt(int64(x.Members)))})
		}
		return out
	}
	m.funcs["ufield"] = func(d usersData, name, label, hint string) any { // one input of the account form
		v := d.Form[name]
		if name == "password" {
			v = "" // never sent back
		}
		f := formField{Name: name, Label: label, Value: v, Err: d.Errors[name], Hint: hint, Choices: d.Choices[name]}
		if name == "password" {
			f.Kind, f.Auto = "password", "new-password"
		}
		return f
	}
}

// ---- users ----

type userRow struct {
	dangvu.User
	OrgName string
	Ended   *dangvu.OrgEnd // the account's organisation has ended: where it may be moved
}

type usersData struct {
	Users   []userRow
	Form    map[string]string
	Errors  map[string]string
	Message string              // a general error of the form
	Other   []dangvu.FieldError // the form's errors that are not its inputs'
	Notice  string              // what the last action did
	// Lines are the errors of an account's own forms (its move, its new password), by account.
	Lines map[string]map[string]string
	CSRF  string
	// Choices are the members matching what was typed as the account's member (pickers.go).
	Choices map[string][]pickOption
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, d usersData) error {
	users, err := s.Store.Users(r.Context())
	if err != nil {
		return err
	}
	names := map[string]string{}
	ended := map[string]*dangvu.OrgEnd{}
	for _, u := range users {
		if !s.accountInScope(r, u) {
			continue
		}
		row := userRow{User: u}
		if u.OrgID != "" {
			if _, ok := names[u.OrgID]; !ok {
				names[u.OrgID] = u.OrgID
				if o, err := s.Store.Org(r.Context(), u.OrgID, s.today()); err == nil {
					names[u.OrgID] = o.Name
				} else if end, err := s.Store.OrgEnd(r.Context(), u.OrgID); err == nil && !end.LastDay.IsZero() {
					names[u.OrgID] = end.Org.Name
					ended[u.OrgID] = &end
				}
			}
			row.OrgName, row.Ended = names[u.OrgID], ended[u.OrgID]
		}
		d.Users = append(d.Users, row)
	}
	if d.Form == nil {
		d.Form = map[string]string{}
	}
	if d.Errors == nil {
		d.Errors = map[string]string{}
	}
	d.CSRF = s.csrf(r)
	return s.render(w, r, status, "admin_users.html", "Quản lý tài khoản", "admin", d)
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) error {
	d := usersData{}
	q := r.URL.Query()
	switch {
	case q.Get("created") != "":
		d.Notice = fmt.Sprintf("Đã tạo tài khoản %s.", q.Get("created"))
	case q.Get("disabled") != "":
		d.Notice = fmt.Sprintf("Đã khóa tài khoản %s.", q.Get("disabled"))
	case q.Get("moved") != "":
		d.Notice = fmt.Sprintf("Đã chuyển tài khoản %s sang tổ chức mới.", q.Get("moved"))
	case q.Get("password") != "":
		d.Notice = fmt.Sprintf("Đã đặt mật khẩu mới cho tài khoản %s; các phiên đăng nhập của tài khoản này đã kết thúc.", q.Get("password"))
	}
	return s.renderUsers(w, r, http.StatusOK, d)
}

func (s *Server) usersCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "Biểu mẫu không đọc được.")
	}
	form := map[string]string{}
	for _, k := range []string{"username", "full_name", "role", "org", "member"} {
		form[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	// The organisation and the member by name as well as by code (pickers.go).
	f := &formState{Values: map[string]string{"org": form["org"], "member": form["member"]}, Errors: map[string]string{}}
	if err := s.pickOrg(r, f, "org", s.today()); err != nil {
		return err
	}
	if err := s.pickMember(r, f, "member", s.today()); err != nil {
		return err
	}
	if len(f.Errors) > 0 {
		return s.renderUsers(w, r, http.StatusBadRequest, usersData{Form: form, Message: "Thông tin tài khoản không hợp lệ.", Errors: f.Errors, Choices: f.Choices})
	}
	u := dangvu.User{Username: form["username"], FullName: form["full_name"], UserRole: dangvu.UserRole(form["role"]), OrgID: f.Values["org"], MemberID: f.Values["member"]}
	var err error
	if !wholeTree(s.user(r)) && u.OrgID == "" && u.UserRole != dangvu.UserMember {
		// An administrator of a subtree makes accounts of that subtree only, never one of the whole tree.
		err = refuse("org", "bắt buộc: tài khoản thuộc một tổ chức trong phạm vi của bạn")
	} else {
		if err := s.checkRefs(r, orgRef(u.OrgID), memberRef(u.MemberID)); err != nil {
			return err
		}
		var created dangvu.User
		if created, err = s.Store.CreateUser(r.Context(), s.user(r).Username, u, r.PostForm.Get("password")); err == nil {
			http.Redirect(w, r, "/admin/users?created="+url.QueryEscape(created.Username), http.StatusSeeOther)
			return nil
		}
	}
	// The store names a taken username, an unknown organisation or member without a field: each
	// is its input's.
	switch code, msg := dangvu.ErrorCode(err), dangvu.ErrorMessage(err); {
	case len(fieldsOf(err)) > 0:
	case code == dangvu.EConflict:
		err = refuse("username", msg)
	case code == dangvu.ENotFound && strings.Contains(msg, "tổ chức"):
		err = refuse("org", msg)
	case code == dangvu.ENotFound:
		err = refuse("member", msg)
	}
	d := usersData{Form: form, Errors: map[string]string{}, Message: "Thông tin tài khoản không hợp lệ."}
	if other, err := placeErrors(err, d.Errors, inputsOf("username", "full_name", "role", "org", "member", "password")); err != nil {
		return err
	} else {
		d.Other = other
	}
	return s.renderUsers(w, r, http.StatusBadRequest, d)
}

// accountInScope reports whether an account lies in the user's subtree: its organisation does,
// or, for a member's account, its member's record; an account of the whole tree only for
// administrators of the whole tree.
func (s *Server) accountInScope(r *http.Request, a dangvu.User) bool {
	switch {
	case wholeTree(s.user(r)):
		return true
	case a.OrgID != "":
		return s.checkOrg(r, a.OrgID, s.today()) == nil
	case a.MemberID != "":
		return s.checkMember(r, a.MemberID, s.today()) == nil
	}
	return false
}

// accountScope is the scope rule of /admin/users/{id}: accounts outside the subtree are not found.
func (s *Server) accountScope(r *http.Request, name string, _ time.Time) error {
	users, err := s.Store.Users(r.Context())
	if err != nil {
		return err
	}
	for _, a := range users {
		if strings.EqualFold(a.Username, name) && s.accountInScope(r, a) {
			return nil
		}
	}
	return dangvu.Errorf(dangvu.ENotFound, "không có tài khoản %q", name)
}

func (s *Server) userDisable(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("id")
	if u := s.user(r); u != nil && strings.EqualFold(u.Username, name) {
		return dangvu.Errorf(dangvu.EInvalid, "Không thể tự khóa tài khoản của chính mình.")
	}
	if err := s.Store.DisableUser(r.Context(), s.user(r).Username, name); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/users?disabled="+url.QueryEscape(name), http.StatusSeeOther)
	return nil
}

func (s *Server) userPassword(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("id")
	if err := r.ParseForm(); err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "Biểu mẫu không đọc được.")
	}
	if err := s.Store.SetPassword(r.Context(), s.user(r).Username, name, r.PostForm.Get("password")); err != nil {
		return s.userLineRefused(w, r, name, fmt.Sprintf("Chưa đặt được mật khẩu mới cho %s.", name), err, "password")
	}
	http.Redirect(w, r, "/admin/users?password="+url.QueryEscape(name), http.StatusSeeOther)
	return nil
}

// userLineRefused answers a refused form of an account's line (its move, its new password): the
// users page, the error beside the line's input (placeErrors), with the status the error has;
// an error that is not about the input goes to the error page.
func (s *Server) userLineRefused(w http.ResponseWriter, r *http.Request, name, msg string, err error, inputs ...string) error {
	status, errs := s.statusOf(r, err), map[string]string{}
	other, err := placeErrors(err, errs, inputsOf(inputs...))
	if err != nil {
		return err
	}
	d := usersData{Message: msg, Other: other, Lines: map[string]map[string]string{name: errs}}
	return s.renderUsers(w, r, status, d)
}

// ---- export ----

// MaxExports is how many exports the server builds at once when Server.MaxExports is not set:
// each holds a read transaction and a temporary file while it writes (docs/benchmarks.md).
const MaxExports = 2

// exportSlots is the semaphore that bounds concurrent exports, made on first use.
func (s *Server) exportSlots() chan struct{} {
	s.exportOnce.Do(func() {
		n := s.MaxExports
		if n <= 0 {
			n = MaxExports
		}
		s.exports = make(chan struct{}, n)
	})
	return s.exports
}

var errExportBusy = dangvu.Errorf(dangvu.EUnavailable, "Máy chủ đang tạo các bản tải dữ liệu khác. Vui lòng thử lại sau ít phút.")

// exportDownload streams the XLSX workbook of what the user may read in their subtree
// (everything for an administrator of the whole system; store.ExportFor applies the role's
// rights), written to a temporary file first, and logs the export. With reveal=1 a role that may
// reveal personal data gets it in clear, and the export is logged as a reveal.
func (s *Server) exportDownload(w http.ResponseWriter, r *http.Request) error {
	if f := r.URL.Query().Get("format"); f != "" && f != "xlsx" {
		return s.exportError(w, r, &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: "format", Reason: "hiện chỉ hỗ trợ xlsx"}}})
	}
	u := s.user(r)
	req := store.ExportRequest{AsOf: s.today(), Role: u.UserRole}
	switch r.URL.Query().Get("reveal") {
	case "", "0":
	case "1":
		if !u.UserRole.Can(dangvu.ActRevealSensitive) {
			return s.exportError(w, r, dangvu.Errorf(dangvu.EForbidden, "Vai trò của bạn không được xem số định danh, điện thoại, nơi ở của đảng viên; hãy tải bản đã che các thông tin này."))
		}
		req.Reveal = true
	default:
		return s.exportError(w, r, &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: "reveal", Reason: "dùng 1 (hiện thông tin nhạy cảm) hoặc bỏ trống"}}})
	}
	if !wholeTree(u) {
		if u.OrgID == "" {
			return s.exportError(w, r, dangvu.Errorf(dangvu.EForbidden, "Tài khoản của bạn không gắn với tổ chức đảng nào nên không có dữ liệu để tải."))
		}
		req.OrgID = u.OrgID
	}
	slots := s.exportSlots()
	select {
	case slots <- struct{}{}:
		defer func() { <-slots }()
	default:
		w.Header().Set("Retry-After", "60")
		return s.exportError(w, r, errExportBusy)
	}
	dir, err := os.MkdirTemp("", "dangvu-export-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "export.xlsx")
	xw, err := exchange.Create(file)
	if err != nil {
		return err
	}
	sum, err := s.Store.ExportFor(r.Context(), xw, req)
	if cerr := xw.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return s.exportError(w, r, err)
	}
	if err := s.Store.LogExport(r.Context(), u.Username, req, sum); err != nil {
		return s.exportError(w, r, err)
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="dangvu-%s.xlsx"`, req.AsOf.Format("20060102")))
	w.Header().Set("Content-Length", fmt.Sprint(st.Size()))
	w.Header().Set("Cache-Control", "no-store")
	// The status is sent: a failed copy (the client went away) can no longer be answered.
	io.Copy(w, f)
	return nil
}

// exportError shows an error page, or the JSON error to a client that asks for JSON (the route
// is not wrapped in htmlPage, as it streams a file).
func (s *Server) exportError(w http.ResponseWriter, r *http.Request, err error) error {
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		s.writeError(w, r, err)
		return nil
	}
	s.renderError(w, r, err)
	return nil
}
