package httpapi

import (
	"net/http"
	"strings"
	"testing"

	"dangvu"
	"dangvu/internal/store"
)

// TestViewDay chooses a past day in the header: the member list then shows that day's members
// (M4 left ward PD on 1/2/2020) with the note and its way back, until "Về hôm nay" clears it.
func TestViewDay(t *testing.T) {
	onEngines(t, testViewDay)
}

func testViewDay(t *testing.T, open func(*testing.T) *store.Store) {
	srv, s := newAuthServerOn(t, open)
	tok := newUser(t, s, dangvu.User{Username: "vd-secretary", UserRole: dangvu.UserSecretary, OrgID: "PD"})
	get := func(path string, cookies ...*http.Cookie) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		status, body, resp := do(t, noRedirect(), req)
		if status != http.StatusOK && status != http.StatusSeeOther {
			t.Fatalf("%s: status %d: %.300s", path, status, body)
		}
		return resp, body
	}
	const gone = "Phạm Thị Hoa" // in cell K2 of ward PD until 1/2/2020
	resp, _ := get("/view-day?day=01/06/2019&back=" + "/members%3Fas_of%3D2026-01-01%26status%3D")
	if loc := resp.Header.Get("Location"); loc != "/members?status=" {
		t.Errorf("back to %q, want the page without its as_of", loc)
	}
	var day *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == DayCookie {
			day = c
		}
	}
	if day == nil || day.Value != "2019-06-01" {
		t.Fatalf("no day cookie: %v", resp.Cookies())
	}
	_, then := get("/members", day)
	_, now := get("/members")
	if !strings.Contains(then, gone) || !strings.Contains(then, "Đang xem theo ngày 01/06/2019") || !strings.Contains(then, "Về hôm nay") {
		t.Errorf("the chosen day's list lacks %q or the note", gone)
	}
	if strings.Contains(now, gone) || strings.Contains(now, "Đang xem theo ngày") {
		t.Errorf("today's list shows %q or the note", gone)
	}
	// An as_of named by the page still wins over the header's day.
	if _, body := get("/members?as_of=2026-01-01", day); strings.Contains(body, gone) {
		t.Errorf("as_of ignored under a chosen day")
	}
	// "Về hôm nay" clears the cookie; a malformed day is refused by name.
	resp, _ = get("/view-day?day=today&back=/members", day)
	for _, c := range resp.Cookies() {
		if c.Name == DayCookie && c.MaxAge >= 0 {
			t.Errorf("Về hôm nay kept the cookie: %v", c)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/view-day?day=31/02/2019&back=/", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	if status, body, _ := do(t, noRedirect(), req); status != http.StatusBadRequest || !strings.Contains(body, "Ngày xem không hợp lệ") {
		t.Errorf("malformed day: %d", status)
	}
}
