package store

import (
	"context"
	"path/filepath"
	"testing"

	"dangvu"
	"dangvu/internal/exchange"
)

// TestDisciplinedInHook: the review rules see, through disciplinedIn, the members and
// organisations subject to a decision dated within a period, with a reference to the decision.
func TestDisciplinedInHook(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := exchange.Open("../../testdata/sample")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := s.Import(ctx, r, ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateDiscipline(ctx, "test", dangvu.Discipline{MemberID: "M1", Form: dangvu.FormReprimand, AuthorityOrgID: "K1", AuthorityBody: dangvu.BodyCell,
		ViolationOn: dangvu.MustDate("2023-11-02"), DecidedOn: dangvu.MustDate("2024-03-10"), EffectiveOn: dangvu.MustDate("2024-03-10"), Number: "Số 1-QĐ/CB"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		from, to string
		want     string
	}{
		{"2024-01-01", "2024-12-31", "Số 1-QĐ/CB, 10/03/2024: khiển trách"},
		{"2023-01-01", "2023-12-31", ""},
		{"2024-03-10", "2024-03-10", "Số 1-QĐ/CB, 10/03/2024: khiển trách"},
	} {
		members, orgs, err := s.disciplinedIn(ctx, s.read, dangvu.MustDate(tc.from), dangvu.MustDate(tc.to))
		if err != nil {
			t.Fatal(err)
		}
		if members["M1"] != tc.want || len(orgs) != 0 {
			t.Errorf("%s–%s: members %v orgs %v, want M1 → %q", tc.from, tc.to, members, orgs, tc.want)
		}
	}
	// Annulled by an appeal resolved on 01/06/2024: the review rules see the decision in a
	// period ending before that day, not in one ending on or after it.
	d, _ := s.Disciplines(ctx, dangvu.DisciplineFilter{MemberID: "M1"})
	if len(d) != 1 {
		t.Fatalf("decisions about M1: %+v", d)
	}
	a, err := s.CreateAppeal(ctx, "test", dangvu.DisciplineAppeal{DisciplineID: d[0].ID, ReceivedOn: dangvu.MustDate("2024-03-11"), LodgedOn: dangvu.MustDate("2024-03-20"), HandlerOrgID: "K1", HandlerBody: dangvu.BodyCell})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ResolveAppeal(ctx, "test", a.ID, dangvu.MustDate("2024-06-01"), "annulled", "", ""); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		to   string
		seen bool
	}{{"2024-05-31", true}, {"2024-06-01", false}, {"2024-12-31", false}} {
		members, _, err := s.disciplinedIn(ctx, s.read, dangvu.MustDate("2024-01-01"), dangvu.MustDate(tc.to))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := members["M1"]; ok != tc.seen {
			t.Errorf("annulled decision in 01/01/2024–%s: seen %v, want %v", tc.to, ok, tc.seen)
		}
	}
	// Lessened on 15/09/2024: still seen, with the form in force at the end of the period.
	w, err := s.CreateDiscipline(ctx, "test", dangvu.Discipline{MemberID: "M1", Form: dangvu.FormWarning, AuthorityOrgID: "K1", AuthorityBody: dangvu.BodyCell,
		ViolationOn: dangvu.MustDate("2024-07-02"), DecidedOn: dangvu.MustDate("2024-08-01"), EffectiveOn: dangvu.MustDate("2024-08-01"), Number: "Số 2-QĐ/CB"})
	if err != nil {
		t.Fatal(err)
	}
	a, err = s.CreateAppeal(ctx, "test", dangvu.DisciplineAppeal{DisciplineID: w.ID, ReceivedOn: dangvu.MustDate("2024-08-02"), LodgedOn: dangvu.MustDate("2024-08-10"), HandlerOrgID: "K1", HandlerBody: dangvu.BodyCell})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ResolveAppeal(ctx, "test", a.ID, dangvu.MustDate("2024-09-15"), "lessened", dangvu.FormReprimand, ""); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ to, want string }{
		{"2024-09-14", "Số 2-QĐ/CB, 01/08/2024: cảnh cáo"},
		{"2024-12-31", "Số 2-QĐ/CB, 01/08/2024: cảnh cáo → khiển trách (khiếu nại, 15/09/2024)"},
	} {
		members, _, err := s.disciplinedIn(ctx, s.read, dangvu.MustDate("2024-01-01"), dangvu.MustDate(tc.to))
		if err != nil {
			t.Fatal(err)
		}
		if members["M1"] != tc.want {
			t.Errorf("lessened decision in 01/01/2024–%s: %q, want %q", tc.to, members["M1"], tc.want)
		}
	}
}
