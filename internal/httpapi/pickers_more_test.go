package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"dangvu"
)

// TestFormsTakeNames: the forms that asked for internal codes take names (issue 13, defect 7):
// a life-cycle act's organisation, a document's register and the document it implements, a
// task's lower committee, an appeal's handler (a level above the ward), a correction's deciding
// organisation, an inspection programme by its year, an account's member; the codes still work.
// The conference sheet finds its members by any word of their name.
func TestFormsTakeNames(t *testing.T) {
	srv, s := newAuthServer(t)
	ctx := context.Background()
	sec := newUser(t, s, dangvu.User{Username: "bt-pd", UserRole: dangvu.UserSecretary, OrgID: "PD"})
	newUser(t, s, dangvu.User{Username: "tc-pd", UserRole: dangvu.UserStaffOrg, OrgID: "PD"})
	newUser(t, s, dangvu.User{Username: "kt-pd", UserRole: dangvu.UserStaffInspection, OrgID: "PD"})
	newUser(t, s, dangvu.User{Username: "qt", UserRole: dangvu.UserAdmin})

	t.Run("life-cycle act", func(t *testing.T) {
		c, csrf := sessionClient(t, srv, "tc-pd", "mat-khau-tc-pd", "/members/M3/acts")
		st, body, _ := page(t, c, srv, http.MethodPost, "/members/M3/acts", url.Values{"csrf": {csrf}, "kind": {"temporary_in"}, "date": {"01/03/2024"},
			"org_id": {"khu 1"}, "until": {"01/09/2024"}, "reason": {"Đi làm ăn"}})
		acts, err := s.LifeActs(ctx, "M3")
		if err != nil {
			t.Fatal(err)
		}
		if st != http.StatusSeeOther || len(acts) == 0 || acts[len(acts)-1].OrgID != "K1" {
			t.Errorf("org typed as 'khu 1': %d, acts %+v\n%s", st, acts, body)
		}
		st, body, _ = page(t, c, srv, http.MethodPost, "/members/M3/acts", url.Values{"csrf": {csrf}, "kind": {"temporary_in"}, "date": {"01/03/2024"},
			"org_id": {"chi bo khu"}, "until": {"01/09/2024"}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, "Chi bộ khu 1") || !strings.Contains(body, "Chi bộ khu 2") {
			t.Errorf("a name two cells share: %d, want 422 naming both", st)
		}
	})

	t.Run("document register and implemented document", func(t *testing.T) {
		st, d := disSend(t, srv, sec, "POST", "/api/v1/documents", map[string]any{"org_id": "PD", "direction": "incoming", "number": "Số 04-NQ/TW",
			"date": "30/10/2016", "received_on": "04/11/2016", "title": "Nghị quyết Hội nghị Trung ương 4 khóa XII"})
		if st != 201 {
			t.Fatalf("register: %d %v", st, d)
		}
		nq := d["id"].(string)
		f := url.Values{"org_id": {"phuong dong"}, "direction": {"own"}, "kind": {"KH"}, "date": {"06/01/2017"}, "title": {"Kế hoạch học tập"},
			"secrecy": {"none"}, "implements": {"trung uong 4"}}
		if st, body := disPostForm(t, srv, sec, "/documents", f.Encode()); st != http.StatusSeeOther {
			t.Fatalf("register typed by name: %d\n%s", st, body)
		}
		docs, err := s.Documents(ctx, dangvu.DocumentFilter{Kind: "KH", Limit: 10})
		if err != nil || len(docs) != 1 || docs[0].OrgID != "PD" || docs[0].Implements != nq {
			t.Fatalf("the plan: %+v, %v; want PD's, implementing %s", docs, err, nq)
		}
		// A task's lower committee by name.
		if st, body := disPostForm(t, srv, sec, "/programmes/"+docs[0].ID+"/tasks", url.Values{"title": {"Học tập"}, "assignee_org_id": {"khu 2"},
			"deadline": {"31/03/2017"}}.Encode()); st != http.StatusSeeOther {
			t.Fatalf("task typed by name: %d\n%s", st, body)
		}
		ts, err := s.Tasks(ctx, docs[0].ID, time.Now())
		if err != nil || len(ts) != 1 || ts[0].AssigneeOrgID != "K2" {
			t.Errorf("task: %+v, %v; want K2", ts, err)
		}

		// A conference's sheet, searched by a word of a name.
		f = url.Values{"kind": {"conference"}, "org_id": {"PD"}, "title": {"Học tập nghị quyết"}, "documents": {"04-NQ/TW"}, "date": {"01/02/2017"}, "place": {"Hội trường"}}
		st, _ = disPostForm(t, srv, sec, "/conferences", f.Encode())
		cs, err := s.Conferences(ctx, dangvu.ConferenceFilter{DocumentID: nq, Limit: 10})
		if st != http.StatusSeeOther || err != nil || len(cs) != 1 {
			t.Fatalf("conference: %d, %v, %v", st, cs, err)
		}
		c, _ := sessionClient(t, srv, "bt-pd", "mat-khau-bt-pd", "/conferences/"+cs[0].ID)
		_, body, _ := page(t, c, srv, http.MethodGet, "/conferences/"+cs[0].ID+"?q=an", nil)
		if !strings.Contains(body, `name="member" value="M2"`) || strings.Contains(body, `name="member" value="M1"`) || !strings.Contains(body, "khớp với “an”") {
			t.Errorf("sheet searched for \"an\": want M2 (Trần Thị An) only\n%s", body)
		}
	})

	t.Run("appeal handler and correction", func(t *testing.T) {
		c, csrf := sessionClient(t, srv, "kt-pd", "mat-khau-kt-pd", "/disciplines")
		st, body, resp := page(t, c, srv, http.MethodPost, "/disciplines", url.Values{"csrf": {csrf}, "member_id": {"le van binh"}, "form": {"warning"},
			"authority_org_id": {"phuong dong"}, "authority_body": {"grassroots_committee"}, "violation_on": {"01/02/2026"}, "decided_on": {"20/05/2026"},
			"number": {"Số 5-QĐ/ĐU"}, "reason": {"Vi phạm chế độ sinh hoạt đảng"}})
		if st != http.StatusSeeOther {
			t.Fatalf("decision: %d\n%s", st, body)
		}
		id := strings.TrimPrefix(resp.Header.Get("Location"), "/disciplines/")
		st, body, _ = page(t, c, srv, http.MethodPost, "/disciplines/"+id+"/appeals", url.Values{"csrf": {csrf}, "received_on": {"22/05/2026"},
			"lodged_on": {"25/05/2026"}, "handler_org_id": {"quang ninh"}, "handler_body": {"inspection_commission"}})
		if st != http.StatusSeeOther {
			t.Fatalf("appeal to a level above typed by name: %d\n%s", st, body)
		}
		as, err := s.Appeals(ctx, id, "", false)
		if err != nil || len(as) != 1 || as[0].HandlerOrgID != "QN" {
			t.Errorf("appeal: %+v, %v; want handled by QN", as, err)
		}
		st, body, _ = page(t, c, srv, http.MethodPost, "/disciplines/"+id+"/correct", url.Values{"csrf": {csrf}, "number": {"Số 6-QĐ/ĐU"}, "form": {"warning"},
			"authority_org_id": {"Phương Đông"}, "authority_body": {"grassroots_committee"}, "violation_on": {"01/02/2026"}, "decided_on": {"20/05/2026"},
			"effective_on": {"20/05/2026"}, "reason": {"Vi phạm chế độ sinh hoạt đảng"}})
		if d, err := s.Discipline(ctx, id); st != http.StatusSeeOther || err != nil || d.Number != "Số 6-QĐ/ĐU" || d.AuthorityOrgID != "PD" {
			t.Errorf("correction typed by name: %d, %+v, %v\n%s", st, d, err, body)
		}
	})

	t.Run("inspection programme by year", func(t *testing.T) {
		c, csrf := sessionClient(t, srv, "kt-pd", "mat-khau-kt-pd", "/inspections")
		if st, body, _ := page(t, c, srv, http.MethodPost, "/inspections/programmes", url.Values{"csrf": {csrf}, "org_id": {"phuong dong"},
			"body": {"grassroots_committee"}, "year": {"2026"}, "title": {"Chương trình kiểm tra, giám sát năm 2026"}}); st != http.StatusSeeOther {
			t.Fatalf("programme with its organisation by name: %d\n%s", st, body)
		}
		ps, err := s.Programmes(ctx, "PD", 2026)
		if err != nil || len(ps) != 1 {
			t.Fatalf("programmes: %+v, %v", ps, err)
		}
		st, body, resp := page(t, c, srv, http.MethodPost, "/inspections", url.Values{"csrf": {csrf}, "org_id": {"phuong dong"}, "programme_id": {"2026"},
			"body": {"grassroots_committee"}, "kind": {"lower_inspection"}, "title": {"Kiểm tra chi bộ khu 1"}, "decision": {"Số 9-QĐ/ĐU"}, "planned_from": {"01/04/2026"}, "planned_to": {"30/04/2026"},
			"decided_on": {"02/03/2026"}, "subjects": {"khu 1"}})
		if st != http.StatusSeeOther {
			t.Fatalf("round with its programme by year: %d\n%s", st, body)
		}
		if rd, err := s.Round(ctx, strings.TrimPrefix(resp.Header.Get("Location"), "/inspections/")); err != nil || rd.ProgrammeID != ps[0].ID {
			t.Errorf("round: %+v, %v; want programme %s", rd, err, ps[0].ID)
		}
	})

	t.Run("account's member", func(t *testing.T) {
		c, csrf := sessionClient(t, srv, "qt", "mat-khau-qt", "/admin/users")
		st, body, _ := page(t, c, srv, http.MethodPost, "/admin/users", url.Values{"csrf": {csrf}, "username": {"an.dv"}, "full_name": {"Trần Thị An"},
			"role": {"member"}, "member": {"thi an"}, "password": {"mat-khau-an-dv-2026"}})
		if u, err := s.UserByUsername(ctx, "an.dv"); st != http.StatusSeeOther || err != nil || u.MemberID != "M2" {
			t.Errorf("member typed as 'thi an': %d, %+v, %v\n%s", st, u, err, body)
		}
	})
}
