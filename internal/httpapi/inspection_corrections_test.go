package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dangvu"
)

// TestDisciplineCorrectionForms: the correction and withdrawal forms of /disciplines/{id} and
// their API. A correction the rules forbid (a cell expelling, Điều lệ Đảng Điều 36) or with a bad
// date is refused next to its field and changes nothing; a good one is stored and audited with
// before and after; a withdrawal needs a reason, keeps the decision and marks it; a sibling ward's
// staff cannot reach the decision.
func TestDisciplineCorrectionForms(t *testing.T) {
	srv, s := newAuthServer(t)
	ctx := context.Background()
	tok := newUser(t, s, dangvu.User{Username: "kt", UserRole: dangvu.UserStaffInspection, OrgID: "PD"})
	pbTok := newUser(t, s, dangvu.User{Username: "kt-pb", UserRole: dangvu.UserStaffInspection, OrgID: "PB"})
	newUser(t, s, dangvu.User{Username: "kt-web", UserRole: dangvu.UserStaffInspection, OrgID: "PD"})
	d, err := s.CreateDiscipline(ctx, "test", dangvu.Discipline{MemberID: "M1", Form: dangvu.FormWarning, AuthorityOrgID: "K1", AuthorityBody: dangvu.BodyCell,
		ViolationOn: dangvu.MustDate("2024-02-01"), DecidedOn: dangvu.MustDate("2024-05-15"), EffectiveOn: dangvu.MustDate("2024-05-15"), Number: "Số 2-QĐ/CB"})
	if err != nil {
		t.Fatal(err)
	}
	path := "/disciplines/" + d.ID
	c, csrf := sessionClient(t, srv, "kt-web", "mat-khau-kt-web", path)
	if status, body, _ := page(t, c, srv, http.MethodGet, path, nil); status != 200 || !strings.Contains(body, "Sửa quyết định ghi sai") || !strings.Contains(body, `value="15/05/2024"`) {
		t.Fatalf("decision page with its correction form: %d", status)
	}
	form := url.Values{"csrf": {csrf}, "number": {"Số 3-QĐ/CB"}, "form": {"expulsion"}, "authority_org_id": {"K1"}, "authority_body": {"cell"},
		"violation_on": {"01/02/2024"}, "decided_on": {"20/05/2024"}, "effective_on": {"20/05/2024"}}
	for _, tc := range []struct {
		name, field, value, want string
	}{
		{"a cell expels (Điều lệ Đảng Điều 36)", "form", "expulsion", "Điều 36"},
		{"a bad date", "decided_on", "32/05/2024", "dd/mm/yyyy"},
		{"a reprimand beyond the statute (5 years)", "violation_on", "01/02/2018", "5 năm"},
	} {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		f.Set("form", "warning")
		if tc.field == "violation_on" {
			f.Set("form", "reprimand")
		}
		f.Set(tc.field, tc.value)
		status, body, _ := page(t, c, srv, http.MethodPost, path+"/correct", f)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d, want 422 citing %q", tc.name, status, tc.want)
		}
		if got, _ := s.Discipline(ctx, d.ID); got.Number != "Số 2-QĐ/CB" || got.DecidedOn != dangvu.MustDate("2024-05-15") || got.Form != dangvu.FormWarning {
			t.Errorf("%s changed the decision: %+v", tc.name, got)
		}
	}
	form.Set("form", "warning")
	if status, _, resp := page(t, c, srv, http.MethodPost, path+"/correct", form); status != http.StatusSeeOther || resp.Header.Get("Location") != path {
		t.Fatalf("correction: %d", status)
	}
	if got, _ := s.Discipline(ctx, d.ID); got.Number != "Số 3-QĐ/CB" || got.DecidedOn != dangvu.MustDate("2024-05-20") {
		t.Errorf("corrected: %+v", got)
	}
	log, err := s.AuditLog(ctx, "discipline", d.ID, 5)
	if err != nil || len(log) != 2 || log[0].Action != "correct" || !strings.Contains(log[0].Before, "Số 2-QĐ/CB") || !strings.Contains(log[0].After, "Số 3-QĐ/CB") {
		t.Errorf("audit of the correction: %v %+v", err, log)
	}
	// The API corrects only the fields given; the sibling ward does not see the decision.
	if status, out := jsonPost(t, srv.URL, pbTok, "/api/v1/disciplines/"+d.ID+"/correct", map[string]string{"number": "Số 9"}); status != 404 {
		t.Errorf("sibling corrects PD's decision: %d %v", status, out)
	}
	if status, out := jsonPost(t, srv.URL, tok, "/api/v1/disciplines/"+d.ID+"/correct", map[string]string{"number": "Số 4-QĐ/CB"}); status != 200 || out["number"] != "Số 4-QĐ/CB" || out["decided_on"] != "2024-05-20" {
		t.Errorf("API correction: %d %v", status, out)
	}
	if status, out := jsonPost(t, srv.URL, tok, "/api/v1/disciplines/"+d.ID+"/correct", map[string]string{"member_id": "M2"}); status != 400 || !strings.Contains(toJSON(out), "member_id") {
		t.Errorf("API correction of the subject: %d %v", status, out)
	}

	// Withdrawal: a reason is required; the decision stays, marked.
	w := url.Values{"csrf": {csrf}, "withdrawn_on": {"01/06/2024"}}
	if status, body, _ := page(t, c, srv, http.MethodPost, path+"/withdraw", w); status != http.StatusUnprocessableEntity || !strings.Contains(body, `<input id="f-withdrawn_reason" name="withdrawn_reason" value="" aria-invalid="true" aria-describedby="e-withdrawn_reason">`) || !strings.Contains(body, `<p class="field-error" id="e-withdrawn_reason">cần ghi lý do rút quyết định</p>`) {
		t.Errorf("withdrawal without a reason: %d", status)
	}
	w.Set("withdrawn_reason", "Ghi nhầm đảng viên")
	if status, _, _ := page(t, c, srv, http.MethodPost, path+"/withdraw", w); status != http.StatusSeeOther {
		t.Fatalf("withdrawal: %d", status)
	}
	if status, body, _ := page(t, c, srv, http.MethodGet, path, nil); status != 200 || !strings.Contains(body, "Rút ngày 01/06/2024: Ghi nhầm đảng viên") || strings.Contains(body, "Sửa quyết định ghi sai") {
		t.Errorf("withdrawn decision page: %d", status)
	}
	if status, out := jsonPost(t, srv.URL, tok, "/api/v1/disciplines/"+d.ID+"/withdraw", map[string]string{"withdrawn_reason": "lần hai"}); status != http.StatusConflict {
		t.Errorf("withdrawn twice: %d %v", status, out)
	}

	// An appeal annulled through the page: the decision shows the change and is annulled.
	d2, err := s.CreateDiscipline(ctx, "test", dangvu.Discipline{MemberID: "M2", Form: dangvu.FormWarning, AuthorityOrgID: "K2", AuthorityBody: dangvu.BodyCell,
		ViolationOn: dangvu.MustDate("2024-02-01"), DecidedOn: dangvu.MustDate("2024-05-15"), EffectiveOn: dangvu.MustDate("2024-05-15"), Number: "Số 5-QĐ/CB"})
	if err != nil {
		t.Fatal(err)
	}
	status, ap := jsonPost(t, srv.URL, tok, "/api/v1/disciplines/"+d2.ID+"/appeals", map[string]string{"received_on": "2024-05-16", "lodged_on": "2024-06-01", "handler_org_id": "PD", "handler_body": "grassroots_committee"})
	if status != 201 {
		t.Fatalf("appeal: %d %v", status, ap)
	}
	res := url.Values{"csrf": {csrf}, "resolved_on": {"15/07/2024"}, "outcome": {"lessened"}, "new_form": {"expulsion"}}
	if status, body, _ := page(t, c, srv, http.MethodPost, "/disciplines/"+d2.ID+"/appeals/"+ap["id"].(string)+"/resolve", res); status != http.StatusUnprocessableEntity || !strings.Contains(body, "phải nhẹ hơn cảnh cáo") {
		t.Errorf("lessened to a heavier form: %d", status)
	}
	res.Set("outcome", "annulled")
	res.Set("new_form", "")
	if status, _, _ := page(t, c, srv, http.MethodPost, "/disciplines/"+d2.ID+"/appeals/"+ap["id"].(string)+"/resolve", res); status != http.StatusSeeOther {
		t.Fatalf("annulment: %d", status)
	}
	status, body := bearerGet(t, srv, tok, "/api/v1/disciplines/"+d2.ID)
	if status != 200 || !strings.Contains(body, `"annulled":true`) || !strings.Contains(body, `"appeal_id":"`+ap["id"].(string)+`"`) || !strings.Contains(body, `"form":"warning"`) {
		t.Errorf("annulled decision: %d %.600s", status, body)
	}
	if status, body, _ := page(t, c, srv, http.MethodGet, "/disciplines/"+d2.ID, nil); status != 200 || !strings.Contains(body, "đã bị xóa (hủy) theo kết quả giải quyết khiếu nại") || !strings.Contains(body, "15/07/2024") {
		t.Errorf("annulled decision page: %d", status)
	}
}
