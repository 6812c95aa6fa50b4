package httpapi

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"dangvu"
)

// A cell secretary records the bases, takes November's payments on one screen by exception (the
// member who did not pay unticked), reads the book (JSON, XLSX, page); an amount that is not a
// whole number of đồng and a month already paid are refused with nothing written; the member
// sees their own history; the ward's summary lists the cell.
func TestDuesPages(t *testing.T) {
	srv, s := newAuthServer(t)
	s.Clock = func() time.Time { return time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC) }
	sec := newUser(t, s, dangvu.User{Username: "bt-k2", UserRole: dangvu.UserSecretary, OrgID: "K2"})
	mine := newUser(t, s, dangvu.User{Username: "dv-m2", UserRole: dangvu.UserMember, OrgID: "K2", MemberID: "M2"})
	ward := newUser(t, s, dangvu.User{Username: "vp-pd", UserRole: dangvu.UserStaffOffice, OrgID: "PD"})
	send := func(tok, path string, body any) (int, string) {
		var req *http.Request
		switch b := body.(type) {
		case url.Values:
			req, _ = http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(b.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		default:
			j, _ := json.Marshal(b)
			req, _ = http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(string(j)))
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		st, b, _ := do(t, noRedirect(), req)
		return st, b
	}
	for _, b := range []map[string]any{
		{"member_id": "M2", "from": "01/01/2026", "group": "insured", "amount": 6_000_000},
		{"member_id": "M3", "from": "01/01/2026", "group": "pension", "amount": 4_000_000},
	} {
		if st, body := send(sec, "/api/v1/dues/bases", b); st != http.StatusCreated {
			t.Fatalf("basis: %d %s", st, body)
		}
	}
	// A negative amount is refused naming the field.
	if st, body := send(sec, "/api/v1/dues/bases", map[string]any{"member_id": "M3", "from": "01/02/2026", "group": "pension", "amount": -1}); st != http.StatusBadRequest || !strings.Contains(body, `"amount"`) {
		t.Errorf("negative basis: %d %s", st, body)
	}
	// An account of the whole tree has no organisation: the dues page offers where to start
	// (it answered 400 "org: bắt buộc"); the API still asks for org.
	admin := newUser(t, s, dangvu.User{Username: "qt", UserRole: dangvu.UserAdmin})
	if st, body := bearerGet(t, srv, admin, "/dues"); st != 200 || !strings.Contains(body, "Chọn tổ chức") || !strings.Contains(body, "/dues?org=") {
		t.Errorf("admin's dues page: %d %.300s", st, body)
	}
	if st, _ := bearerGet(t, srv, admin, "/api/v1/dues/book"); st != http.StatusBadRequest {
		t.Errorf("admin's book without org: %d", st)
	}
	st, body := bearerGet(t, srv, sec, "/dues/collect?org=K2&month=2026-11")
	if st != 200 || !strings.Contains(body, "60.000") || !strings.Contains(body, "20.000") {
		t.Fatalf("collect page: %d %.500s", st, body)
	}
	// By exception: M2 paid (the amount owed, as shown), M3 did not (unticked).
	if st, body := send(sec, "/dues/collect", form("org", "K2", "month", "2026-11", "paid_on", "03/12/2026", "paid.M2", "1", "amount.M2", "60.000", "amount.M3", "20.000", "ref.M2", "BL-01")); st != http.StatusSeeOther {
		t.Fatalf("collect: %d %.500s", st, body)
	}
	book := func(month string) dangvu.DuesBook {
		st, body := bearerGet(t, srv, sec, "/api/v1/dues/book?org=K2&month="+month)
		var b dangvu.DuesBook
		if st != 200 || json.Unmarshal([]byte(body), &b) != nil {
			t.Fatalf("book: %d %s", st, body)
		}
		return b
	}
	if b := book("2026-11"); b.Owed != 80_000 || b.Paid != 60_000 || b.Unpaid != 1 || len(b.Lines) != 2 || b.KeepPct != 70 {
		t.Errorf("November book: %+v", b)
	}
	// Not a whole number of đồng: refused, nothing written.
	st, body = send(sec, "/dues/collect", form("org", "K2", "month", "2026-10", "paid.M2", "1", "amount.M2", "60,5"))
	if st != http.StatusBadRequest || !strings.Contains(body, `aria-describedby="e-line-M2"`) || !regexp.MustCompile(`<p class="field-error" id="e-line-M2">[^<]*không phải số đồng nguyên`).MatchString(body) {
		t.Errorf("decimal amount: %d %.300s", st, body)
	}
	if b := book("2026-10"); b.Paid != 0 {
		t.Errorf("a refused form wrote %d", b.Paid)
	}
	// A month already paid, through the API: refused by row and field.
	st, body = send(sec, "/api/v1/dues/payments", map[string]any{"org_id": "K2", "lines": []any{map[string]any{"member_id": "M3", "month": "2026-11", "amount": 20000}, map[string]any{"member_id": "M2", "month": "2026-11", "amount": 60000}}})
	if st != http.StatusBadRequest || !strings.Contains(body, `"row":2`) || !strings.Contains(body, "đã đóng đảng phí tháng 11/2026") {
		t.Errorf("already paid: %d %s", st, body)
	}
	if b := book("2026-11"); b.Paid != 60_000 {
		t.Errorf("a refused list wrote: %d", b.Paid)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/dues/book?org=K2&month=2026-11&format=xlsx", nil)
	req.Header.Set("Authorization", "Bearer "+sec)
	if st, body, resp := do(t, noRedirect(), req); st != 200 || resp.Header.Get("Content-Type") != xlsxType || !strings.HasPrefix(body, "PK") {
		t.Errorf("xlsx: %d %s", st, resp.Header.Get("Content-Type"))
	}
	if st, body := bearerGet(t, srv, sec, "/dues?org=K2&month=2026-11"); st != 200 || !strings.Contains(body, "Sổ thu, nộp đảng phí tháng 11/2026") || !strings.Contains(body, "BL-01") || !strings.Contains(body, "dues-book") {
		t.Errorf("book page: %d %.300s", st, body)
	}
	if st, body := bearerGet(t, srv, mine, "/dues/mine"); st != 200 || !strings.Contains(body, "60.000") || !strings.Contains(body, "11/2026") {
		t.Errorf("own history: %d %.300s", st, body)
	}
	if st, _ := bearerGet(t, srv, mine, "/dues?org=K2"); st != http.StatusForbidden {
		t.Errorf("a member reads the book: %d", st)
	}
	if st, body := bearerGet(t, srv, ward, "/dues?org=PD&year=2026"); st != 200 || !strings.Contains(body, "Chi bộ khu 2") || !strings.Contains(body, "60.000") {
		t.Errorf("ward summary: %d %.300s", st, body)
	}
}

// The portal export reconciled on its page (every line with its status, names only of the
// organisation's members, the matched ones written when asked, bad lines refused by row and
// column with nothing written), a cell's remittance received by its ward (not by the cell, nor
// by another ward, nor before it was sent), the hand-over form refusing an unknown event, and
// the dues audit entries shown only to readers of their subtree.
func TestDuesReconcileRemitAudit(t *testing.T) {
	srv, s := newAuthServer(t)
	s.Clock = func() time.Time { return time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC) }
	sec := newUser(t, s, dangvu.User{Username: "bt-k2", UserRole: dangvu.UserSecretary, OrgID: "K2"})
	ward := newUser(t, s, dangvu.User{Username: "tc-pd", UserRole: dangvu.UserStaffOrg, OrgID: "PD"})
	other := newUser(t, s, dangvu.User{Username: "tc-pb", UserRole: dangvu.UserStaffOrg, OrgID: "PB"})
	send := func(tok, path string, body any) (int, string) {
		var req *http.Request
		switch b := body.(type) {
		case url.Values:
			req, _ = http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(b.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		default:
			j, _ := json.Marshal(b)
			req, _ = http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(string(j)))
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		st, b, _ := do(t, noRedirect(), req)
		return st, b
	}
	for _, b := range []map[string]any{
		{"member_id": "M2", "from": "01/01/2026", "group": "insured", "amount": 6_000_000},
		{"member_id": "M3", "from": "01/01/2026", "group": "pension", "amount": 4_000_000},
	} {
		if st, body := send(sec, "/api/v1/dues/bases", b); st != http.StatusCreated {
			t.Fatalf("basis: %d %s", st, body)
		}
	}
	paid := func(month string) int64 {
		st, body := bearerGet(t, srv, sec, "/api/v1/dues/book?org=K2&month="+month)
		var b dangvu.DuesBook
		if st != 200 || json.Unmarshal([]byte(body), &b) != nil {
			t.Fatalf("book: %d %s", st, body)
		}
		return b.Paid + b.Voluntary
	}
	if st, body := bearerGet(t, srv, sec, "/dues/reconcile?org=K2"); st != 200 || !strings.Contains(body, `type="file"`) || !strings.Contains(body, `name="csv"`) {
		t.Fatalf("reconcile page: %d %.300s", st, body)
	}
	// Bad lines: refused by row and column, nothing written.
	st, body := send(sec, "/dues/reconcile", form("org", "K2", "csv", "member,month,amount,reference\nM2,2026-13,60000,A\nNOPE,2026-10,60000,B\nM3,2026-10,-5,C", "apply", "1"))
	for _, want := range []string{"Dòng 2, cột month", "Dòng 3, cột member", "Dòng 4, cột amount", "chưa ghi gì"} {
		if st != http.StatusBadRequest || !strings.Contains(body, want) {
			t.Errorf("bad export: %d, no %q in %.600s", st, want, body)
		}
	}
	if p := paid("2026-10"); p != 0 {
		t.Errorf("a refused export wrote %d", p)
	}
	// Checked only: every line with its status; the other ward's member is not named.
	csv := "member,month,amount,reference\nM2,2026-10,60000,DVC1\nM3,2026-10,25000,DVC2\nM5,2026-10,60000,DVC3\n"
	st, body = send(sec, "/dues/reconcile", form("org", "K2", "csv", csv))
	for _, want := range []string{"Khớp", "Khác số phải đóng", "Không khớp", "DVC3", "Chưa ghi gì vào sổ"} {
		if st != 200 || !strings.Contains(body, want) {
			t.Errorf("reconcile: %d, no %q in %.800s", st, want, body)
		}
	}
	for _, n := range siblingNames {
		if strings.Contains(body, n) {
			t.Errorf("the reconciliation names %q, a member of another ward", n)
		}
	}
	if p := paid("2026-10"); p != 0 {
		t.Errorf("checking only wrote %d", p)
	}
	// The same through the API: the lines with their statuses as JSON, a missing field named.
	if st, body = send(sec, "/api/v1/dues/reconcile", map[string]any{"org_id": "K2"}); st != http.StatusBadRequest || !strings.Contains(body, `"csv"`) {
		t.Errorf("API reconcile without csv: %d %s", st, body)
	}
	st, body = send(sec, "/api/v1/dues/reconcile", map[string]any{"org_id": "K2", "csv": csv})
	var rec dangvu.Reconciliation
	if st != 200 || json.Unmarshal([]byte(body), &rec) != nil || len(rec.Lines) != 3 || rec.Recorded != 0 || rec.Lines[2].Status != "unmatched" {
		t.Errorf("API reconcile: %d %s", st, body)
	}
	if p := paid("2026-10"); p != 0 {
		t.Errorf("checking through the API wrote %d", p)
	}
	if st, body = send(sec, "/dues/reconcile", form("org", "K2", "csv", csv, "apply", "1")); st != 200 || !strings.Contains(body, "Đã ghi vào sổ: <strong>2</strong>") {
		t.Errorf("apply: %d %.600s", st, body)
	}
	if p := paid("2026-10"); p != 60_000+25_000 {
		t.Errorf("after applying, October's book has %d, want 85.000 (20.000 owed + 5.000 voluntary from M3)", p)
	}

	// October's remittance of the cell, received by the ward.
	st, body = send(sec, "/api/v1/dues/remittances", map[string]any{"org_id": "K2", "month": "2026-10", "sent_on": "10/11/2026"})
	var rem struct {
		ID string `json:"id"`
	}
	if st != http.StatusCreated || json.Unmarshal([]byte(body), &rem) != nil || rem.ID == "" {
		t.Fatalf("remit: %d %s", st, body)
	}
	if st, body := bearerGet(t, srv, ward, "/dues/remittances?org=PD"); st != 200 || !strings.Contains(body, "/dues/remittances/"+rem.ID+"/receive") || !strings.Contains(body, "Chi bộ khu 2") {
		t.Errorf("the ward's remittances: %d %.600s", st, body)
	}
	for _, tok := range []string{sec, other} {
		if st, _ := send(tok, "/dues/remittances/"+rem.ID+"/receive", form("received_on", "15/11/2026")); st != http.StatusNotFound {
			t.Errorf("a reader not of the receiver received the remittance: %d", st)
		}
	}
	if st, body := send(ward, "/dues/remittances/"+rem.ID+"/receive", form("received_on", "01/11/2026")); st != http.StatusBadRequest || !strings.Contains(body, "trước ngày nộp 10/11/2026") {
		t.Errorf("received before sent: %d %.400s", st, body)
	}
	if st, body := send(ward, "/dues/remittances/"+rem.ID+"/receive", form("received_on", "15/11/2026")); st != http.StatusSeeOther {
		t.Errorf("receive: %d %.400s", st, body)
	}
	if st, body := bearerGet(t, srv, sec, "/dues/remittances?org=K2"); st != 200 || !strings.Contains(body, "15/11/2026") {
		t.Errorf("the cell does not see the receipt: %d %.600s", st, body)
	}
	if st, body := send(ward, "/dues/handover", form("org", "K2", "to", "K1", "event", "NOPE")); st != http.StatusBadRequest || !strings.Contains(body, "không có sự kiện sắp xếp tổ chức") || !strings.Contains(body, `aria-describedby="e-event"`) {
		t.Errorf("hand-over with an unknown event: %d %.600s", st, body)
	}

	// The audit trail: the ward sees the dues entries of its cell, the other ward none.
	for _, c := range []struct {
		tok  string
		want bool
	}{{ward, true}, {other, false}} {
		st, body := bearerGet(t, srv, c.tok, "/audit")
		if st != 200 {
			t.Fatalf("audit: %d", st)
		}
		for _, entity := range []string{"Căn cứ đóng đảng phí", "Thu đảng phí", "Nộp đảng phí cấp trên"} {
			if strings.Contains(body, entity) != c.want {
				t.Errorf("audit of %s: entries %q shown = %v, want %v", map[bool]string{true: "PD", false: "PB"}[c.want], entity, !c.want, c.want)
			}
		}
	}
}
