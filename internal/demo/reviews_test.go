package demo

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/rules/review"
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
		rs, _ := review.ByCode(c.ruleSet)
		if want := review.For(c.to.time()).Code; c.ruleSet != want {
			t.Errorf("%s: rule set %s, want %s", c.id, c.ruleSet, want)
		}
		// The quota's group: a decider's persons or organisations (QĐ 132), or a kind of subject
		// of a decider (QĐ 124, 366: groups of similar roles; the demo records no finer group).
		counts := map[string]map[string]map[dangvu.Rating]int{}
		for _, rv := range c.reviews {
			if rv.excluded != "" && rv.final != "" {
				t.Errorf("%s: excluded (%s) but rated %s", rv.id, rv.excluded, rv.final)
			}
			key := rv.decider.id
			if counts[key] == nil {
				counts[key] = map[string]map[dangvu.Rating]int{}
			}
			group := fmt.Sprint(rv.kind == "member" || rv.kind == "cadre")
			if rs.Quota != nil && rs.Quota.Scope == review.ScopePeerGroup {
				group = string(rv.kind)
			}
			if counts[key][group] == nil {
				counts[key][group] = map[dangvu.Rating]int{}
			}
			counts[key][group][rv.final]++
			if rv.kind == "member" {
				total[rv.final]++
			}
			if c.ruleSet == "qd366" && rv.final != "" && rv.points == "" {
				t.Errorf("%s: QĐ 366 rating without points", rv.id)
			}
		}
		for d, byKind := range counts {
			for group, cs := range byKind {
				if msg := rs.QuotaError(cs, false); msg != "" {
					t.Errorf("%s, decider %s (group %s): %s", c.id, d, group, msg)
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

// The demo's review figures come out of its records through the real report code: the term
// report's counts and the roll-up equal a direct count of the rows written, and some remedies
// are overdue today.
func TestReviewFiguresThroughReport(t *testing.T) {
	ctx := t.Context()
	m := built(t)
	s, _ := loaded(t)
	// Direct count of the written rows: members of campaigns ending in 2018 under Uông Bí.
	direct := map[string]int{}
	m.Reader().Each("reviews", func(_ int, rec exchange.Record) error {
		if strings.HasPrefix(rec.Get("campaign_id"), "RV2018-") {
			direct[rec.Get("kind")+"/"+rec.Get("final_rating")]++
		}
		return nil
	})
	day := func(s string) time.Time { d, _ := dangvu.ParseISODate(s); return d }
	rep, err := s.TermReport(ctx, dangvu.ReportQuery{Org: "UB", From: day("2018-01-01"), To: day("2018-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range dangvu.Ratings {
		for kind, key := range map[string]string{"member": "review_members_", "org": "review_organisations_"} {
			got, _ := rep.Get(key + string(r.Code))
			if got != direct[kind+"/"+string(r.Code)] {
				t.Errorf("%s%s = %v, rows written %d", key, r.Code, got, direct[kind+"/"+string(r.Code)])
			}
		}
	}
	t.Logf("2018 under Uông Bí: %v", direct)
	ru, err := s.ReviewRollUp(ctx, "UB", 2016, 2024)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range ru.ByLevel {
		if row.Key == "member" && (row.Cells[2].Excellent != direct["member/excellent"] || row.Cells[2].Good != direct["member/good"]) {
			t.Errorf("roll-up 2018 members %+v, rows written %v", row.Cells[2], direct)
		}
	}
	items, err := s.Attention(ctx, "QN-UONGBI", day(Today), dangvu.UserAdmin)
	if err != nil {
		t.Fatal(err)
	}
	overdue := 0
	for _, a := range items {
		if a.Kind == "remedy_overdue" {
			overdue++
		}
	}
	if overdue == 0 {
		t.Error("no remedy overdue today in ward Uông Bí")
	}
}
