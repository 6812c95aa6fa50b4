package httpapi

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"dangvu"
	"dangvu/internal/store"
)

// TestSecretDocumentsInLists requests every route that lists documents, tasks or their numbers
// (report lists and their XLSX, attention items and their XLSX, the home page, coverage, a
// member's study record, the conference and the open resolution that a secret programme
// implements) as roles scoped to ward PD: a role without ActReadSecret never sees a secret
// document's title, number or tasks (as the document page answers it 404), and a role with it
// sees them where they belong, so that the test is not vacuous.
func TestSecretDocumentsInLists(t *testing.T) {
	onEngines(t, func(t *testing.T, open func(*testing.T) *store.Store) { testSecretDocumentsInLists(t, open) })
}

func testSecretDocumentsInLists(t *testing.T, open func(*testing.T) *store.Store) {
	srv, s := newAuthServerOn(t, open)
	for _, f := range matrixFixtures {
		f(t, s)
	}
	prog, nq := secretFixture(t, s)
	secrets := []string{secretTitle, secretTask, prog.Number, nq.Number, nq.Title, prog.ID, nq.ID}
	period := "org=PD&from=2016-01-01&to=2016-12-31&as_of=2016-12-31"
	routes := []struct {
		path  string
		shows bool // a role with ActReadSecret finds a secret there (the study record is a member's)
	}{
		{"/api/v1/reports/term/list?key=action_programmes&" + period, true},
		{"/reports/term/list?key=action_programmes&" + period, true},
		{"/reports/term/export?format=xlsx&" + period, true},
		{"/api/v1/attention?org=PD", true},
		{"/api/v1/attention?org=PD&format=xlsx", true},
		{"/", true},
		{"/api/v1/coverage?" + period, true},
		{"/coverage?" + period, true},
		{"/api/v1/conferences/HN-MAT-PD", true},
		{"/conferences/HN-MAT-PD", true},
		{"/api/v1/documents/NQ-PD", false},
		{"/documents/NQ-PD", false},
		{"/api/v1/programmes?org=PD", true},
		{"/api/v1/conferences?org=PD", false},
		{"/conferences?org=PD", false},
		{"/documents?org=PD", true},
		{"/reports/term?" + period, false},
		{"/api/v1/reports/term?" + period, false},
		{"/api/v1/documents?org=PD", true},
		{"/api/v1/me/study", false},
		{"/study", false},
	}
	// A report or coverage asked for the secret resolution's number: unknown, as on its page.
	byNumber := []string{"/api/v1/reports/term?org=PD&from=2016-01-01&to=2016-12-31&document=" + nq.Number,
		"/api/v1/coverage?" + period + "&document=" + nq.Number}
	for _, role := range dangvu.UserRoles {
		u := dangvu.User{Username: "s-" + strings.ReplaceAll(string(role.Code), "_", "-"), UserRole: role.Code, OrgID: "PD"}
		if role.Code == dangvu.UserMember {
			u.OrgID, u.MemberID = "", "M1"
		}
		tok := newUser(t, s, u)
		secret := role.Code.Can(dangvu.ActReadSecret)
		for _, rt := range routes {
			status, body := bearerGet(t, srv, tok, rt.path)
			if status != http.StatusOK {
				continue // the route matrix checks who may read what
			}
			text := body
			if strings.Contains(rt.path, "format=xlsx") {
				text = xlsxText(t, body)
			}
			found := ""
			for _, x := range secrets {
				if strings.Contains(text, x) {
					found = x
				}
			}
			if !secret && found != "" {
				t.Errorf("%s %s: shows %q of a secret document", role.Code, rt.path, found)
			}
			if secret && rt.shows && found == "" && role.Code == dangvu.UserStaffOffice {
				t.Errorf("%s %s: no secret document shown to a role that may read it", role.Code, rt.path)
			}
		}
		for _, p := range byNumber {
			st, body := bearerGet(t, srv, tok, p)
			if st == http.StatusOK && !secret {
				t.Errorf("%s %s: %d, a report of a secret document: %.200s", role.Code, p, st, body)
			}
			if secret && role.Code == dangvu.UserStaffOffice && st != http.StatusOK {
				t.Errorf("%s %s: %d", role.Code, p, st)
			}
		}
		if !secret && role.Code != dangvu.UserMember {
			if st, _ := bearerGet(t, srv, tok, "/api/v1/documents/"+prog.ID); st != http.StatusNotFound && st != http.StatusForbidden {
				t.Errorf("%s: the secret programme's page answers %d", role.Code, st)
			}
		}
	}
}

// xlsxText is every cell of every sheet of a workbook, one per line.
func xlsxText(t *testing.T, body string) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("workbook: %v", err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			b.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	return b.String()
}
