package demo

import (
	"math"
	"testing"
	"time"

	"dangvu"
)

// TestDisseminationFigures loads the demo through the ordinary import and checks the issue's
// figures for Resolution 04-NQ/TW in Uông Bí (30/10/2016–31/05/2018) from the real report code;
// the coverage is also recounted directly from the world's attendance lines.
func TestDisseminationFigures(t *testing.T) {
	const seed = 2018
	start := time.Now()
	built(t)
	s, res := loaded(t)
	t.Logf("built and loaded (or shared) in %v, the load took %.1fs; attendance rows %d, conferences %d", time.Since(start), res.Seconds, res.Rows["attendance"], res.Rows["conferences"])

	from, to := time.Date(2016, 10, 30, 0, 0, 0, 0, time.UTC), time.Date(2018, 5, 31, 0, 0, 0, 0, time.UTC)
	r, err := s.TermReport(t.Context(), dangvu.ReportQuery{Org: "Đảng bộ thành phố Uông Bí", From: from, To: to, Document: "04-NQ/TW"})
	if err != nil {
		t.Fatal(err)
	}
	get := func(k string) any { v, _ := r.Get(k); return v }
	if get("action_programmes") != 2 || get("conferences_at_org_level") != 6 {
		t.Errorf("action_programmes %v, conferences_at_org_level %v; the article has 2 and 6", get("action_programmes"), get("conferences_at_org_level"))
	}
	pct := get("study_coverage_pct").(float64)
	if pct <= 95 || pct >= 100 {
		t.Errorf("study_coverage_pct %v, the article has over 95%% (and not everyone)", pct)
	}

	// The same coverage counted from the world: members of Uông Bí on 31/05/2018, not exempt, who
	// have a line present (at a conference held by then) or made up by then, for 04-NQ/TW.
	w := newWorld(seed)
	w.buildTree(w.rng(phaseTree))
	w.planReorganisation()
	w.buildPeople(w.rng(phasePeople))
	w.buildPosts(w.rng(phasePosts))
	w.buildAdmissions(w.rng(phaseAdmissions))
	w.buildDissemination(w.rng(phaseDissemination))
	asOf := ymd(2018, 5, 31)
	studied := map[*person]bool{}
	for _, c := range w.dis.confs {
		if len(c.docs) == 0 || c.docs[0].number != "04-NQ/TW" {
			continue
		}
		for p, l := range c.lines {
			if l.status == "present" && c.day <= asOf || l.status == "made_up" && l.madeUp <= asOf {
				studied[p] = true
			}
		}
	}
	inScope, reached := 0, 0
	for _, p := range w.people {
		if expectedAt(p, w.ub, asOf) {
			inScope++
			if studied[p] {
				reached++
			}
		}
	}
	if want := math.Round(10000*float64(reached)/float64(inScope)) / 100; pct != want || get("study_members_in_scope") != inScope {
		t.Errorf("report %v%% of %v, direct count %v%% (%d of %d)", pct, get("study_members_in_scope"), want, reached, inScope)
	}
	// Every count figure has its list.
	for _, k := range []string{"action_programmes", "conferences_at_org_level", "conferences_grassroots", "study_members_not_reached"} {
		l, err := s.ReportList(t.Context(), dangvu.ReportQuery{Org: "UB", From: from, To: to, Document: "04-NQ/TW"}, k)
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Rows) != get(k) {
			t.Errorf("%s: %d rows, figure %v", k, len(l.Rows), get(k))
		}
	}
	// The course for cell secretaries of 2018 (figures.md F11) is on record with its attendance.
	cs, err := s.Conferences(t.Context(), dangvu.ConferenceFilter{Under: "UB", From: time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2018, 12, 31, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	course := false
	for _, c := range cs {
		if c.Kind == dangvu.ConfCourse {
			sheet, err := s.Sheet(t.Context(), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			marked := 0
			for _, a := range sheet {
				if a.Status != "" {
					marked++
				}
			}
			course = marked > 100
		}
	}
	if !course {
		t.Error("no 2018 course for cell secretaries with its attendance")
	}
	// Tasks overdue and due soon reach the attention list of a 2025 ward.
	att, err := s.Attention(t.Context(), "QN-UONGBI", time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), dangvu.UserAdmin)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, a := range att {
		kinds[a.Kind]++
	}
	if kinds["task_overdue"] == 0 || kinds["task_due"] == 0 {
		t.Errorf("attention of ward Uông Bí on 27/11/2026: %v", kinds)
	}
}
