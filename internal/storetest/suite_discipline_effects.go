package storetest

import (
	"path/filepath"
	"strings"
	"testing"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/store"
)

// testDisciplineEffects: an appeal's outcome takes effect on its resolution date (an annulled or
// lessened expulsion restores the member from that day, not before; an annulled warning stops
// counting), annulled and withdrawn decisions leave the report's disciplined_members (checked
// against a direct count over the records), and a decision is corrected (rules re-checked,
// audited before/after) or withdrawn (kept, effects reversed).
func testDisciplineEffects(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	s := loadedStore(t, f, open)
	ctx := t.Context()
	const actor = "cán bộ kiểm tra"
	inUB := func(d string) int {
		n, err := s.CountMembers(ctx, orgUB, day(d), dangvu.CountFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	status := func(id, d string) dangvu.Status {
		m, err := s.Member(ctx, id, day(d))
		if err != nil {
			t.Fatal(err)
		}
		return m.Status
	}

	// Decided 10/04/2018, effective 11/04/2018; the appeal is resolved 20/07/2018 (the
	// outcome's effective date). Rule: the member's history follows the outcome from that day
	// (docs/inspection.md, "Appeals, corrections and withdrawal").
	for _, tc := range []struct {
		name, member string
		form         dangvu.DisciplineForm
		outcome      dangvu.AppealOutcome
		newForm      dangvu.DisciplineForm
		// members of Uông Bí's subtree on 19/07 and 20/07/2018, relative to before the case
		before, after int
		statusAfter   dangvu.Status
		current       dangvu.DisciplineForm
		counted       bool // in disciplined_members of 2018 as of 31/12/2018
	}{
		{"annul an expulsion: back in the roster on the resolution date, not before", "M16", dangvu.FormExpulsion, "annulled", "", -1, 0, dangvu.StatusFull, "", false},
		{"reduce an expulsion to a warning: restored, still disciplined", "M17", dangvu.FormExpulsion, "lessened", dangvu.FormWarning, -1, 0, dangvu.StatusFull, dangvu.FormWarning, true},
		{"annul a warning: no effect on the roster, no longer counted", "M15", dangvu.FormWarning, "annulled", "", 0, 0, dangvu.StatusFull, "", false},
		{"increase a warning to expulsion: out of the roster from the resolution date", "M09", dangvu.FormWarning, "increased", dangvu.FormExpulsion, 0, -1, dangvu.StatusExpelled, dangvu.FormExpulsion, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b19, b20 := inUB("2018-07-19"), inUB("2018-07-20")
			d, err := s.CreateDiscipline(ctx, actor, dangvu.Discipline{MemberID: tc.member, Form: tc.form, AuthorityOrgID: orgUB, AuthorityBody: dangvu.BodyCommission,
				ViolationOn: dangvu.MustDate("2017-06-01"), DecidedOn: dangvu.MustDate("2018-04-10"), EffectiveOn: dangvu.MustDate("2018-04-11"), Number: "Số " + tc.member + "-QĐ/UBKTTU", Reason: "Vi phạm"})
			if err != nil {
				t.Fatal(err)
			}
			a, err := s.CreateAppeal(ctx, actor, dangvu.DisciplineAppeal{DisciplineID: d.ID, ReceivedOn: dangvu.MustDate("2018-04-12"), LodgedOn: dangvu.MustDate("2018-05-02"), HandlerOrgID: orgQN, HandlerBody: dangvu.BodyCommission})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.ResolveAppeal(ctx, actor, a.ID, dangvu.MustDate("2018-07-20"), tc.outcome, tc.newForm, "Quyết định của Ủy ban Kiểm tra Tỉnh ủy"); err != nil {
				t.Fatal(err)
			}
			// Relative to the counts before this case's decision.
			if got := inUB("2018-07-19") - b19; got != tc.before {
				t.Errorf("members on 19/07/2018: %+d, want %+d", got, tc.before)
			}
			if got := inUB("2018-07-20") - b20; got != tc.after {
				t.Errorf("members on 20/07/2018: %+d, want %+d", got, tc.after)
			}
			if tc.form == dangvu.FormExpulsion && status(tc.member, "2018-05-01") != dangvu.StatusExpelled {
				t.Errorf("%s on 01/05/2018: %s, want expelled", tc.member, status(tc.member, "2018-05-01"))
			}
			if got := status(tc.member, "2018-07-20"); got != tc.statusAfter {
				t.Errorf("%s on 20/07/2018: %s, want %s", tc.member, got, tc.statusAfter)
			}
			got, err := s.Discipline(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Form != tc.form || got.CurrentForm != tc.current || got.Annulled != (tc.current == "") || len(got.Changes) != 1 ||
				got.Changes[0].AppealID != a.ID || got.Changes[0].From != tc.form || got.Changes[0].To != tc.current || got.Changes[0].On != dangvu.MustDate("2018-07-20") {
				t.Errorf("decision after the appeal: form %s current %s annulled %v changes %+v", got.Form, got.CurrentForm, got.Annulled, got.Changes)
			}
			if log, err := s.AuditLog(ctx, "discipline", d.ID, 5); err != nil || len(log) != 2 || log[0].Action != "appeal_outcome" || !strings.Contains(log[0].After, a.ID) {
				t.Errorf("audit of the decision after the appeal: %v %+v", err, log)
			}
		})
	}

	// An annulled decision counts until its annulment, not after; checked against a direct
	// count over the decision records and their changes.
	direct := func(to string) int {
		ds, err := s.Disciplines(ctx, dangvu.DisciplineFilter{Under: orgUB, From: day("2018-01-01"), To: day(to)})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, d := range ds {
			annulled := false
			for _, c := range d.Changes {
				annulled = annulled || (c.To == "" && !c.On.After(date(to)))
			}
			if d.MemberID != "" && d.WithdrawnOn.IsZero() && !annulled {
				seen[d.MemberID] = true
			}
		}
		return len(seen)
	}
	reported := func(to string) int {
		rep, err := s.TermReport(ctx, dangvu.ReportQuery{Org: orgUB, From: day("2018-01-01"), To: day(to)})
		if err != nil {
			t.Fatal(err)
		}
		v, _ := rep.Get("disciplined_members")
		n, _ := v.(int)
		return n
	}
	for _, tc := range []struct {
		to   string
		want int
	}{{"2018-07-19", 4}, {"2018-07-20", 2}, {"2018-12-31", 2}} {
		if got, d := reported(tc.to), direct(tc.to); got != tc.want || d != tc.want {
			t.Errorf("disciplined_members 01/01/2018–%s: report %d, direct count %d, want %d", tc.to, got, d, tc.want)
		}
	}

	// Correction: the rules are checked again; a refused correction changes nothing.
	base := inUB("2018-09-06")
	history := exportRows(t, s) // before the expulsion of M14
	w, err := s.CreateDiscipline(ctx, actor, dangvu.Discipline{MemberID: "M14", Form: dangvu.FormExpulsion, AuthorityOrgID: orgUB, AuthorityBody: dangvu.BodyCommission,
		ViolationOn: dangvu.MustDate("2017-06-01"), DecidedOn: dangvu.MustDate("2018-09-10"), EffectiveOn: dangvu.MustDate("2018-09-10"), Number: "Số 99-QĐ/UBKTTU"})
	if err != nil {
		t.Fatal(err)
	}
	before := exportRows(t, s)
	bad := w
	bad.AuthorityOrgID, bad.AuthorityBody = cellPN1, dangvu.BodyCell // a cell cannot expel (Điều lệ Điều 36)
	_, err = s.CorrectDiscipline(ctx, actor, w.ID, bad)
	if e := errorCode(t, err, dangvu.EInvalid); !hasField(e, "authority_body") {
		t.Errorf("correction to a cell's expulsion: %v", e)
	}
	other := w
	other.MemberID = "M15"
	_, err = s.CorrectDiscipline(ctx, actor, w.ID, other)
	if e := errorCode(t, err, dangvu.EInvalid); !hasField(e, "member_id") {
		t.Errorf("correction of the subject: %v", e)
	}
	sameRows(t, "after refused corrections", before, exportRows(t, s))

	fixed := w
	fixed.Number, fixed.DecidedOn, fixed.EffectiveOn = "Số 19-QĐ/UBKTTU", dangvu.MustDate("2018-09-03"), dangvu.MustDate("2018-09-05")
	c, err := s.CorrectDiscipline(ctx, actor, w.ID, fixed)
	if err != nil {
		t.Fatal(err)
	}
	if c.Number != "Số 19-QĐ/UBKTTU" || c.EffectiveOn != dangvu.MustDate("2018-09-05") {
		t.Errorf("corrected: %+v", c)
	}
	if status("M14", "2018-09-05") != dangvu.StatusExpelled || status("M14", "2018-09-04") != dangvu.StatusFull {
		t.Errorf("M14 around the corrected effect date: %s on 04/09, %s on 05/09", status("M14", "2018-09-04"), status("M14", "2018-09-05"))
	}
	log, err := s.AuditLog(ctx, "discipline", w.ID, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 || log[0].Action != "correct" || !strings.Contains(log[0].Before, "Số 99-QĐ/UBKTTU") || !strings.Contains(log[0].After, "Số 19-QĐ/UBKTTU") {
		t.Errorf("audit of the correction: %+v", log)
	}

	// Withdrawal: kept with its reason, effects reversed as if never written, counted nowhere;
	// an appeal pending against it is no longer due.
	if _, err := s.CreateAppeal(ctx, actor, dangvu.DisciplineAppeal{DisciplineID: w.ID, ReceivedOn: dangvu.MustDate("2018-09-06"), LodgedOn: dangvu.MustDate("2018-09-10"), HandlerOrgID: orgQN, HandlerBody: dangvu.BodyCommission}); err != nil {
		t.Fatal(err)
	}
	pending := func() int {
		as, err := s.Appeals(ctx, w.ID, orgUB, true)
		if err != nil {
			t.Fatal(err)
		}
		return len(as)
	}
	if pending() != 1 {
		t.Errorf("pending appeals against %s before the withdrawal: %d", w.ID, pending())
	}
	_, err = s.WithdrawDiscipline(ctx, actor, w.ID, dangvu.MustDate("2018-10-01"), " ")
	if e := errorCode(t, err, dangvu.EInvalid); !hasField(e, "withdrawn_reason") {
		t.Errorf("withdrawal without a reason: %v", e)
	}
	x, err := s.WithdrawDiscipline(ctx, actor, w.ID, dangvu.MustDate("2018-10-01"), "Ghi nhầm đối tượng")
	if err != nil {
		t.Fatal(err)
	}
	if x.WithdrawnOn != dangvu.MustDate("2018-10-01") || x.WithdrawnReason != "Ghi nhầm đối tượng" {
		t.Errorf("withdrawn: %+v", x)
	}
	if status("M14", "2018-09-05") != dangvu.StatusFull || inUB("2018-09-06") != base {
		t.Errorf("after the withdrawal M14 is %s, subtree %d (want full, %d)", status("M14", "2018-09-05"), inUB("2018-09-06"), base)
	}
	if got, d := reported("2018-12-31"), direct("2018-12-31"); got != 2 || d != 2 {
		t.Errorf("disciplined_members after the withdrawal: report %d, direct %d, want 2", got, d)
	}
	// Undone exactly: the status history and memberships are as before the decision.
	after := exportRows(t, s)
	for _, tb := range []string{"member_statuses", "memberships"} {
		if len(history[tb]) == 0 {
			t.Fatalf("no %s exported", tb)
		}
		sameRows(t, tb+" after the withdrawal", map[string][][]string{tb: history[tb]}, map[string][][]string{tb: after[tb]})
	}
	if pending() != 0 {
		t.Errorf("pending appeals against the withdrawn %s: %d", w.ID, pending())
	}
	if _, err := s.CreateAppeal(ctx, actor, dangvu.DisciplineAppeal{DisciplineID: w.ID, ReceivedOn: dangvu.MustDate("2018-09-06"), LodgedOn: dangvu.MustDate("2018-09-12"), HandlerOrgID: orgQN, HandlerBody: dangvu.BodyCommission}); dangvu.ErrorCode(err) != dangvu.EConflict {
		t.Errorf("appeal against a withdrawn decision: %v", err)
	}
	if _, err := s.WithdrawDiscipline(ctx, actor, w.ID, dangvu.MustDate("2018-10-02"), "lần hai"); dangvu.ErrorCode(err) != dangvu.EConflict {
		t.Errorf("withdrawn twice: %v", err)
	}
	if _, err := s.CorrectDiscipline(ctx, actor, w.ID, fixed); dangvu.ErrorCode(err) != dangvu.EConflict {
		t.Errorf("corrected after withdrawal: %v", err)
	}
	// A decision changed by an appeal keeps its form.
	ds, _ := s.Disciplines(ctx, dangvu.DisciplineFilter{MemberID: "M17"})
	if len(ds) == 1 {
		moved := ds[0]
		moved.Form = dangvu.FormReprimand
		if _, err := s.CorrectDiscipline(ctx, actor, moved.ID, moved); dangvu.ErrorCode(err) != dangvu.EConflict {
			t.Errorf("form corrected after an appeal changed it: %v", err)
		}
	} else {
		t.Errorf("decisions about M17: %d", len(ds))
	}

	// An expulsion annulled before it took effect leaves no "expelled" row; the whole history
	// (restored members, changed and withdrawn decisions) survives export → import → export.
	e, err := s.CreateDiscipline(ctx, actor, dangvu.Discipline{MemberID: "M10", Form: dangvu.FormExpulsion, AuthorityOrgID: orgUB, AuthorityBody: dangvu.BodyCommission,
		ViolationOn: dangvu.MustDate("2017-06-01"), DecidedOn: dangvu.MustDate("2018-04-10"), EffectiveOn: dangvu.MustDate("2018-06-01"), Number: "Số 30-QĐ/UBKTTU"})
	if err != nil {
		t.Fatal(err)
	}
	ea, err := s.CreateAppeal(ctx, actor, dangvu.DisciplineAppeal{DisciplineID: e.ID, ReceivedOn: dangvu.MustDate("2018-04-11"), LodgedOn: dangvu.MustDate("2018-04-20"), HandlerOrgID: orgQN, HandlerBody: dangvu.BodyCommission})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ResolveAppeal(ctx, actor, ea.ID, dangvu.MustDate("2018-05-20"), "annulled", "", ""); err != nil {
		t.Fatal(err)
	}
	if status("M10", "2018-06-01") != dangvu.StatusFull {
		t.Errorf("M10 after an annulment before the effect date: %s", status("M10", "2018-06-01"))
	}
	first := exportCSV(t, s)
	path := filepath.Join(t.TempDir(), "data")
	exportTo(t, s, path)
	rd, err := exchange.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	s2 := open(t)
	if _, err := s2.Import(ctx, rd, store.ImportOptions{Actor: "storetest", Source: "data"}); err != nil {
		t.Fatalf("reimport: %v", err)
	}
	sameFiles(t, "discipline effects export → import → export", first, exportCSV(t, s2))
}
