package httpapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dangvu"
)

// Every form places an error that names one of its inputs beside that input (placeErrors): the
// account form's taken name, an account line's new password and move, the password page, the
// import's missing file, a task's progress and a decision's date.
func TestErrorsBesideTheirInputs(t *testing.T) {
	srv, s := newAuthServer(t)
	newUser(t, s, dangvu.User{Username: "admin", FullName: "Quản trị", UserRole: dangvu.UserAdmin})
	newUser(t, s, dangvu.User{Username: "pd", UserRole: dangvu.UserSecretary, OrgID: "PD"})
	c, csrf := sessionClient(t, srv, "admin", "mat-khau-admin", "/admin/users")
	beside := func(what, body, field, want string) {
		t.Helper()
		if got := fieldError(body, field); !strings.Contains(got, want) || got == "" {
			t.Errorf("%s: beside %s %q, want %q", what, field, got, want)
		}
	}

	// The account form: the store's conflict names no field; it is the username's.
	status, body, _ := page(t, c, srv, http.MethodPost, "/admin/users", url.Values{"csrf": {csrf}, "username": {"pd"}, "role": {"secretary"}, "org": {"PD"}, "password": {"mat-khau-moi-1"}})
	if status != 400 {
		t.Errorf("taken username: %d", status)
	}
	beside("taken username", body, "username", "đã có")
	// A name that matches no member is said beside the member field (a picker).
	_, body, _ = page(t, c, srv, http.MethodPost, "/admin/users", url.Values{"csrf": {csrf}, "username": {"pd3"}, "role": {"member"}, "member": {"khong ai co ten nay"}, "password": {"mat-khau-moi-1"}})
	beside("unknown member", body, "member", "không có đảng viên nào")

	// An account's line: its new password refused beside its own input, on the users page.
	status, body, _ = page(t, c, srv, http.MethodPost, "/admin/users/pd/password", url.Values{"csrf": {csrf}, "password": {"ngan"}})
	if status != 400 || !strings.Contains(body, `aria-describedby="e-pw-pd"`) || !strings.Contains(body, `<p class="field-error" id="e-pw-pd">cần ít nhất 8 ký tự</p>`) ||
		!strings.Contains(body, "Chưa đặt được mật khẩu mới cho pd.") {
		t.Errorf("a line's short password: %d %.3000s", status, body)
	}

	// The password page: a confirmation that differs, beside the confirmation.
	pd, pdCSRF := sessionClient(t, srv, "pd", "mat-khau-pd", "/password")
	status, body, _ = page(t, pd, srv, http.MethodPost, "/password", url.Values{"csrf": {pdCSRF}, "current": {"mat-khau-pd"}, "new": {"mat-khau-moi-9"}, "new2": {"mat-khau-moi-8"}})
	if status != 400 {
		t.Errorf("password confirmation: %d", status)
	}
	beside("password confirmation", body, "new2", "không khớp")
	_, body, _ = page(t, pd, srv, http.MethodPost, "/password", url.Values{"csrf": {pdCSRF}, "current": {"mat-khau-pd"}, "new": {"ngan"}, "new2": {"ngan"}})
	beside("short new password", body, "new", "cần ít nhất 8 ký tự")

	// The import: no file chosen, beside the file input.
	status, body, _ = page(t, c, srv, http.MethodPost, "/import", url.Values{"csrf": {csrf}})
	if status != 400 {
		t.Errorf("import without a file: %d", status)
	}
	beside("import without a file", body, "file", "Vui lòng chọn một tệp")
}

// A task's progress refused: the errors beside the task's own fields, its form opened.
func TestProgressErrorsBesideTheTask(t *testing.T) {
	srv, s := newAuthServer(t)
	office := newUser(t, s, dangvu.User{Username: "vp-ub", UserRole: dangvu.UserStaffOffice, OrgID: "UB"})
	st, nq := disSend(t, srv, office, "POST", "/api/v1/documents", map[string]any{"org_id": "UB", "direction": "incoming", "number": "Số 04-NQ/TW",
		"date": "30/10/2016", "received_on": "04/11/2016", "title": "Nghị quyết Hội nghị Trung ương 4 khóa XII"})
	if st != 201 {
		t.Fatalf("register: %d %v", st, nq)
	}
	st, prog := disSend(t, srv, office, "POST", "/api/v1/programmes", map[string]any{"org_id": "UB", "date": "20/12/2016", "implements": nq["id"], "title": "Chương trình hành động",
		"tasks": []map[string]any{{"title": "Học tập", "assignee_name": "Ban Tuyên giáo", "deadline": "28/02/2017"}}})
	if st != 201 {
		t.Fatalf("programme: %d %v", st, prog)
	}
	doc := prog["document"].(map[string]any)["id"].(string)
	task := prog["tasks"].([]any)[0].(map[string]any)["id"].(string)
	status, body := disPostForm(t, srv, office, "/tasks/"+task+"/progress", "date=31%2F02%2F2017&status=done&note=Xong")
	if status != 400 || !strings.Contains(body, `<details open>`) || fieldError(body, "date-"+task) == "" || !strings.Contains(body, `value="Xong"`) {
		t.Errorf("refused progress of %s (programme %s): %d\n%.4000s", task, doc, status, body)
	}
}
