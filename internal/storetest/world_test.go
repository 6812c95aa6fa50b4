package storetest

import (
	"reflect"
	"testing"
)

// TestWorldDeterministic: a seed gives the same rows and the same cases every time, so that a
// failing seed reproduces.
func TestWorldDeterministic(t *testing.T) {
	a, b := newWorld(4242), newWorld(4242)
	if !reflect.DeepEqual(a.out, b.out) || !reflect.DeepEqual(a.cases(), b.cases()) {
		t.Fatal("seed 4242 drew two different worlds")
	}
	if c := newWorld(777); reflect.DeepEqual(a.out, c.out) {
		t.Fatal("two seeds drew the same world")
	}
}

// TestReportOracleByHand checks the report oracle against figures counted by hand on the small
// reorganisation-day world (suite_reorgday.go), so that the comparison does not rest on the oracle
// alone.
func TestReportOracleByHand(t *testing.T) {
	o := newReportOracle(reorgDayRows())
	for _, c := range []struct {
		rc   reportCase
		want map[string]any
	}{
		// W in 2022: M1–M3 in C1, admitted 2010 (12 years); M1 reached at P's conference through
		// P's copy, M2 and M3 at C1's through W's: 3 of 3. W held no conference, C1 one.
		{reportCase{org: "R-W", from: "2022-01-01", to: "2022-12-31", asOf: "2022-12-31"}, map[string]any{
			"org_name": "Đảng bộ phường W", "members": 3.0, "party_age_10_to_29": 3.0, "party_age_under_10": 0.0,
			"study_members_in_scope": 3.0, "study_members_not_reached": 0.0, "study_coverage_pct": 100.0,
			"conferences_at_org_level": 0.0, "conferences_grassroots": 1.0, "action_programmes": 0.0, "term_start": nil}},
		// P in 2022: its own conference and programme, C1's conference below it.
		{reportCase{org: "R-P", from: "2022-01-01", to: "2022-12-31", asOf: "2022-12-31"}, map[string]any{
			"conferences_at_org_level": 1.0, "conferences_grassroots": 1.0, "action_programmes": 1.0, "study_coverage_pct": 100.0}},
		// With the document: P's own conference only (C1's studied W's copy of the same number).
		{reportCase{org: "R-P", from: "2022-01-01", to: "2022-12-31", asOf: "2022-12-31", document: "21-NQ/TW"}, map[string]any{
			"conferences_at_org_level": 1.0, "conferences_grassroots": 1.0, "document": "21-NQ/TW"}},
		// The abolition day: M1 (by P) and M2 (by C1) in C1 and W; cell C2 in W and P, not in C1.
		{reportCase{org: "R-C1", from: "2025-01-01", to: "2025-12-31", asOf: "2025-12-31"}, map[string]any{
			"disciplined_members": 2.0, "disciplined_organisations": 0.0}},
		{reportCase{org: "R-W", from: "2025-07-01", to: "2025-07-01", asOf: "2025-07-01"}, map[string]any{
			"disciplined_members": 2.0, "disciplined_organisations": 1.0}},
		{reportCase{org: "R-W", from: "2025-01-01", to: "2025-06-30", asOf: "2025-06-30"}, map[string]any{
			"disciplined_members": 0.0, "disciplined_organisations": 0.0}},
		// The city no longer exists on the as-of date of 2026, but did on 2025-06-30.
		{reportCase{org: "R-C", from: "2025-01-01", to: "2025-06-30", asOf: "2025-06-30"}, map[string]any{
			"members": 3.0, "org_name": "Đảng bộ thành phố C"}},
	} {
		got := o.report(c.rc)
		for k, w := range c.want {
			if got[k] != w {
				t.Errorf("%+v: %s = %v, counted by hand %v", c.rc, k, got[k], w)
			}
		}
	}
}
