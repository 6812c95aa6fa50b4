package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"dangvu"
)

// TestDomainFigures checks the list of domains against the term report it assembles on the
// sample data: no figure key set by two sections, every figure's group listed in the root
// package's one mapping, and every drill-down named after a figure of its own domain.
func TestDomainFigures(t *testing.T) {
	s := sampleStore(t)
	ctx := context.Background()
	rc, err := s.reportContext(ctx, dangvu.ReportQuery{Org: "UB",
		From: time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2018, 5, 31, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	owner := map[string]string{}
	figures := 0
	for _, d := range s.domains {
		var mine []string
		for i, sec := range d.sections {
			// Each section on its own report: a key set twice would otherwise be overwritten silently.
			r := &dangvu.Report{}
			if err := sec(ctx, s, rc, r); err != nil {
				t.Fatalf("%s section %d: %v", d.name, i, err)
			}
			for _, f := range r.Figures {
				if slices.Contains(identityKeys, f.Key) {
					continue
				}
				figures++
				if o, dup := owner[f.Key]; dup {
					t.Errorf("figure %s set by %s and again by %s", f.Key, o, d.name)
				}
				owner[f.Key] = d.name
				mine = append(mine, f.Key)
				if !dangvu.FigureListed(f.Key) {
					t.Errorf("figure %s of %s has no group in dangvu's figure mapping", f.Key, d.name)
				}
			}
		}
		for k, f := range d.drills {
			if f == nil || !slices.Contains(mine, k) {
				t.Errorf("drill-down %s of %s names no figure of that domain", k, d.name)
			}
		}
	}
	if figures == 0 {
		t.Fatal("the domains set no figure")
	}
}

// TestListActions: the list behind a figure needs its domain's action, the one place both the
// server (refusing the list) and the report page (linking the figure) read. The report page had
// its own switch by group, which linked the member-files lists for roles they refuse (403).
func TestListActions(t *testing.T) {
	s := sampleStore(t)
	for key, want := range map[string]dangvu.Action{
		"admitted":                    dangvu.ActReports,
		"action_programmes":           dangvu.ActDocuments,
		"conferences_at_org_level":    dangvu.ActConferences,
		"committee_inspection_rounds": dangvu.ActReadInspection,
		"dues_members_liable":         dangvu.ActDues,
		"member_files_missing":        dangvu.ActReadMemberFiles,
		"badges_due":                  dangvu.ActReadMemberFiles,
	} {
		if got := s.ListAction(key); got != want {
			t.Errorf("ListAction(%s) = %s, want %s", key, got, want)
		}
	}
	for key := range s.drills {
		if s.ListAction(key) == "" {
			t.Errorf("the list of %s needs no action", key)
		}
	}
	if _, err := wire([]domain{{name: "x", listActions: map[string]dangvu.Action{"nothing": dangvu.ActDues}}}); err == nil {
		t.Error("an action for a figure without a list was accepted")
	}
}
