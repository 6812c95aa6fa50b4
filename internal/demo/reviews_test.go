package demo

import (
	"testing"

	"dangvu"
	"dangvu/internal/classify"
	_ "dangvu/internal/store" // registers the domain tables the demo writes
)

// The demo's ratings obey the rules they were made under: every checked campaign keeps each
// decider's excellent ratings within the quota, the rule set follows the period, and nobody
// excluded is rated.
func TestReviewsObeyRules(t *testing.T) {
	w := newWorld(2018)
	w.buildTree(w.rng(phaseTree))
	w.planReorganisation()
	w.buildPeople(w.rng(phasePeople))
	w.buildPosts(w.rng(phasePosts))
	w.buildReviews(w.rng(phaseReviews))
	if n := len(w.rev.campaigns); n != 12 {
		t.Fatalf("%d campaigns, want 9 city campaigns (2016–2024) and 3 ward campaigns (2025)", n)
	}
	total := map[dangvu.Rating]int{}
	for _, c := range w.rev.campaigns {
		rs, _ := classify.ByCode(c.ruleSet)
		if want := classify.ForPeriod(c.to.String()).Code; c.ruleSet != want {
			t.Errorf("%s: rule set %s, want %s", c.id, c.ruleSet, want)
		}
		counts := map[string]map[bool]map[dangvu.Rating]int{}
		for _, rv := range c.reviews {
			if rv.excluded != "" && rv.final != "" {
				t.Errorf("%s: excluded (%s) but rated %s", rv.id, rv.excluded, rv.final)
			}
			key := rv.decider.id
			if counts[key] == nil {
				counts[key] = map[bool]map[dangvu.Rating]int{true: {}, false: {}}
			}
			person := rv.kind == "member" || rv.kind == "cadre"
			counts[key][person][rv.final]++
			if rv.kind == "member" {
				total[rv.final]++
			}
			if c.ruleSet == "qd366" && rv.final != "" && rv.points == "" {
				t.Errorf("%s: QĐ 366 rating without points", rv.id)
			}
		}
		for d, byKind := range counts {
			for person, cs := range byKind {
				if msg := rs.QuotaError(cs); msg != "" {
					t.Errorf("%s, decider %s (persons %v): %s", c.id, d, person, msg)
				}
			}
		}
	}
	sum := 0
	for _, n := range total {
		sum += n
	}
	t.Logf("member reviews: %d; ratings %v", sum, total)
	if total[dangvu.RatingExcellent] == 0 || total[dangvu.RatingNotCompleted] == 0 || total[dangvu.RatingGood] < sum/2 {
		t.Errorf("unrealistic distribution: %v", total)
	}
}
