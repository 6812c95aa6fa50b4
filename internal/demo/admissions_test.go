package demo

import (
	"strconv"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/workday"
)

// The admission files agree with the members' records: the decision is dated on admitted_on, in
// the cell of the member's first membership, which starts on the ceremony; an approved
// full-membership decision matches full_on, 12 months after the ceremony; stages come in order
// and votes pass two thirds; the article's admissions each have a file with a decision in the
// period; and candidates are in progress on Today with deadlines the reminders show.
func TestAdmissionFiles(t *testing.T) {
	d := load(t, 2018)
	steps := map[string]map[string]row{}
	for _, x := range d.rows["admission_steps"] {
		if steps[x["file_id"]] == nil {
			steps[x["file_id"]] = map[string]row{}
		}
		steps[x["file_id"]][x["stage"]] = x
	}
	decisionsInPeriod, candidates := 0, 0
	for _, f := range d.rows["admission_files"] {
		st := steps[f["id"]]
		prev := ""
		for _, c := range dangvu.AdmissionStages {
			x, ok := st[string(c.Code)]
			if !ok {
				continue
			}
			if x["date"] < prev && x["override"] == "" {
				t.Errorf("%s: %s on %s before an earlier stage (%s)", f["id"], c.Code, x["date"], prev)
			}
			prev = x["date"]
			if c.Code == dangvu.StageCellVote || c.Code == dangvu.StageCommitteeVote {
				yes, _ := strconv.Atoi(x["yes"])
				ent, _ := strconv.Atoi(x["entitled"])
				if 3*yes < 2*ent {
					t.Errorf("%s: %s %d of %d", f["id"], c.Code, yes, ent)
				}
			}
		}
		m := f["member_id"]
		if m == "" {
			candidates++
			continue
		}
		mem := d.members[m]
		dec, cer := st["decision"], st["ceremony"]
		if dec["date"] != mem["admitted_on"] || cer["date"] == "" {
			t.Errorf("%s: decision %s, admitted_on %s", f["id"], dec["date"], mem["admitted_on"])
		}
		if first := d.memberships[m][0]; first["org_id"] != f["org_id"] || first["valid_from"] != cer["date"] {
			t.Errorf("%s: first membership %v, file cell %s, ceremony %s", f["id"], first, f["org_id"], cer["date"])
		}
		if fd := st["full_decision"]; fd != nil && fd["outcome"] == "approved" {
			c, _ := time.Parse(time.DateOnly, cer["date"])
			if want := c.AddDate(1, 0, 0).Format(time.DateOnly); mem["full_on"] != want {
				t.Errorf("%s: full_on %s, want %s", f["id"], mem["full_on"], want)
			}
		}
		if dec["date"] >= "2015-01-01" && dec["date"] <= "2018-05-31" && d.under(f["org_id"], "UB", dec["date"]) {
			decisionsInPeriod++
		}
	}
	if want := d.admissions("UB", "2015-01-01", "2018-05-31"); decisionsInPeriod != want || want != admittedInPeriod {
		t.Errorf("decisions in the article's period under UB: %d, admissions by admitted_on %d", decisionsInPeriod, want)
	}
	if candidates < 5 {
		t.Errorf("%d candidates in progress", candidates)
	}
	// At least one candidate's decision is overdue on Today: 60 working days after the cell's vote.
	today, _ := time.Parse(time.DateOnly, Today)
	overdue := false
	for _, f := range d.rows["admission_files"] {
		st := steps[f["id"]]
		if cv, ok := st["cell_vote"]; ok && st["decision"] == nil {
			c, _ := time.Parse(time.DateOnly, cv["date"])
			if workday.Default().Add(c, 60).Before(today) {
				overdue = true
			}
		}
	}
	if !overdue {
		t.Error("no candidate with an overdue decision")
	}
}
