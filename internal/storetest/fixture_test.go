package storetest

import (
	"testing"

	"dangvu"
	"dangvu/internal/exchange"
)

// TestOracle checks the oracle against counts made by hand from the fixture, so that the suite's
// expectations do not rest on the oracle alone.
func TestOracle(t *testing.T) {
	f := newFixture()
	tests := []struct {
		org, d string
		want   int
	}{
		// 31 people; not yet admitted on 1/1/2016: M03, M11, M18, M24, M31.
		{"", "2016-01-01", 26},
		// M08 died and M13 left; the five above joined.
		{"", "2022-01-01", 29},
		{orgRoot, "2022-01-01", 29},
		// Cell 1 on its last day: M01–M07 (M08 died in 2019); M01–M04 went to 1A, M05–M07 to 1B.
		{cellPD1, prev(SplitDate), 7},
		{cell1A, SplitDate, 4},
		{cell1B, SplitDate, 3},
		// Thượng Yên Công before the move: M19, M23, M25 in Năm Mẫu (M24 joined later), M26–M28 in
		// Đồng Tâm (M22 is there only temporarily).
		{orgTYC, prev(MoveDate), 6},
		// Uông Bí the day before: TYC's 6; PD1 M01–M08; PD2 M09, M10, M12, M13; PN1 M14–M18; PN2
		// M20–M22 (M19 had moved to Năm Mẫu).
		{orgUB, prev(MoveDate), 6 + 8 + 4 + 5 + 3},
		{orgDT, prev(MoveDate), 3},
		{orgDT, MoveDate, 9},
		// The merged ward: PD1 M01–M07, PD2 M09, M10, M12, M13; PN1 M14–M18, PN2 M20–M22.
		{orgPDN, MergeDate, 19},
	}
	for _, tc := range tests {
		if got := f.count(tc.org, tc.d, rosterFilter{}); got != tc.want {
			t.Errorf("oracle count(%q, %s) = %d, hand count %d", tc.org, tc.d, got, tc.want)
		}
	}
}

// TestFixtureIsValid checks the fixture against the rules the import enforces, so that a refusal
// of the fixture is the store's fault.
func TestFixtureIsValid(t *testing.T) {
	f := newFixture()
	for _, o := range f.orgs {
		if o.Parent == "" {
			continue
		}
		// The parent must be in force for the whole version (checked on each day a version starts
		// or ends inside it, which is where coverage can break).
		for _, p := range f.orgs {
			for _, d := range []string{o.From, p.From, p.To} {
				if d == "" || d < o.From || d >= open(o.To) {
					continue
				}
				if _, ok := f.orgOn(o.Parent, d); !ok {
					t.Errorf("organisation %s (from %s): parent %s not in force on %s", o.ID, o.From, o.Parent, d)
				}
			}
		}
	}
	for _, p := range f.persons {
		for i, m := range p.Memberships {
			for _, d := range []string{m.From, prev(open(m.To))} {
				if _, ok := f.orgOn(m.Org, d); !ok {
					t.Errorf("%s: membership in %s from %s: organisation not in force on %s", p.ID, m.Org, m.From, d)
				}
			}
			for _, n := range p.Memberships[i+1:] {
				if m.Kind == dangvu.MembershipOfficial && n.Kind == m.Kind && m.From < open(n.To) && n.From < open(m.To) {
					t.Errorf("%s: official memberships from %s and %s overlap", p.ID, m.From, n.From)
				}
			}
		}
	}
	m := f.memory()
	for _, tb := range exchange.Tables() {
		if n := m.Len(tb.Name); n != len(f.rows()[tb.Name]) {
			t.Errorf("%s: %d rows written, %d in the fixture", tb.Name, n, len(f.rows()[tb.Name]))
		}
	}
}
