package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dangvu"
	"dangvu/internal/store"
)

// TestMemberPicker: the subject of a discipline decision typed as a name. The beginning of a
// name without diacritics resolves to the one member of the writer's ward it names; a name two
// members share re-renders the form with both as choices and the rest typed kept, and the choice
// then records; a name of another ward's member is not found, and the page does not show it.
func TestMemberPicker(t *testing.T) {
	srv, s := newAuthServer(t)
	ctx := context.Background()
	namesake, err := s.CreateMember(ctx, "test", dangvu.Member{FullName: "Nguyễn Văn Đông", Gender: "male", BirthDate: "1975", Ethnicity: "01",
		AdmittedOn: "2000-01-01", FullOn: "2001-01-01"}, store.Arrival{OrgID: "K2", On: "2015-01-01"})
	if err != nil {
		t.Fatal(err)
	}
	newUser(t, s, dangvu.User{Username: "kt-web", UserRole: dangvu.UserStaffInspection, OrgID: "PD"})
	c, csrf := sessionClient(t, srv, "kt-web", "mat-khau-kt-web", "/disciplines")
	n := 0
	post := func(fields url.Values) (int, string, *http.Response) {
		n++
		f := url.Values{"csrf": {csrf}, "form": {"warning"}, "authority_org_id": {"PD"}, "authority_body": {"grassroots_committee"},
			"violation_on": {"01/02/2024"}, "decided_on": {"20/05/2024"}, "number": {"Số " + strings.Repeat("9", n) + "-QĐ/ĐU"}, "reason": {"Vi phạm chế độ sinh hoạt đảng"}}
		for k, v := range fields {
			f[k] = v
		}
		return page(t, c, srv, http.MethodPost, "/disciplines", f)
	}
	subject := func(resp *http.Response) string {
		id := strings.TrimPrefix(resp.Header.Get("Location"), "/disciplines/")
		d, err := s.Discipline(ctx, id)
		if err != nil {
			t.Fatalf("decision %q: %v", id, err)
		}
		return d.MemberID
	}
	for _, tc := range []struct {
		name  string
		typed url.Values
		want  string // the member recorded
	}{
		{"a name's beginning without diacritics", url.Values{"member_id": {"tran thi"}}, "M2"},
		{"a full name", url.Values{"member_id": {"Lê Văn Bình"}}, "M3"},
		{"the code, for power users", url.Values{"member_id": {"M1"}}, "M1"},
		{"a candidate picked", url.Values{"member_id": {"nguyen van"}, "pick.member_id": {namesake.ID}}, namesake.ID},
	} {
		status, _, resp := post(tc.typed)
		if status != http.StatusSeeOther {
			t.Errorf("%s: %d, want 303", tc.name, status)
			continue
		}
		if got := subject(resp); got != tc.want {
			t.Errorf("%s: recorded %s, want %s", tc.name, got, tc.want)
		}
	}

	// Two members of the ward begin "Nguyễn Văn": both offered, what was typed kept, nothing written.
	before, err := s.Disciplines(ctx, store.DisciplineFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	status, body, _ := post(url.Values{"member_id": {"nguyen van"}, "reason": {"Lý do đã gõ"}})
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("ambiguous name: %d, want 422", status)
	}
	for _, want := range []string{"khớp với nhiều đảng viên", `name="pick.member_id" value="M1"`, `name="pick.member_id" value="` + namesake.ID + `"`,
		"Nguyễn Văn Đức", "Nguyễn Văn Đông", "Chi bộ khu 2", `value="Lý do đã gõ"`, `value="nguyen van"`} {
		if !strings.Contains(body, want) {
			t.Errorf("ambiguous name: page lacks %q", want)
		}
	}
	after, err := s.Disciplines(ctx, store.DisciplineFilter{Limit: 100})
	if err != nil || len(after) != len(before) {
		t.Errorf("ambiguous name wrote a decision: %d → %d (%v)", len(before), len(after), err)
	}

	// Another ward's member (PB, Hoàng Văn Sáu) is not found by name, nor shown, nor picked by code.
	status, body, _ = post(url.Values{"member_id": {"hoang van"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "không có đảng viên nào") || strings.Contains(body, siblingNames[0]) || strings.Contains(body, "M5") {
		t.Errorf("another ward's name: %d, want 422 saying none in scope without the name", status)
	}
	if status, body, _ := post(url.Values{"member_id": {"nguyen van"}, "pick.member_id": {"M5"}}); status != http.StatusNotFound || strings.Contains(body, siblingNames[0]) {
		t.Errorf("another ward's member picked by code: %d, want 404 without the name", status)
	}
}
