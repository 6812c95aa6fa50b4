package storetest

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/store"
)

// Period is a term report's period, both days included (ISO dates).
type Period struct{ From, To string }

// SameSubtreeReports exports root's subtree from src (store.ExportUnder), imports the file into
// an empty store made by open, and compares the whole term report of root (every key) on both
// for each period (issue 21: a ward's file carries what it needs). A period on which the source
// refuses the report must be refused alike. It returns the file, for further checks.
func SameSubtreeReports(t *testing.T, src *store.Store, open func(t *testing.T) *store.Store, root string, periods []Period) *exchange.Memory {
	t.Helper()
	m := exchange.NewMemory()
	if _, err := src.ExportUnder(t.Context(), m, root, time.Now()); err != nil {
		t.Fatalf("export %s: %v", root, err)
	}
	dst := open(t)
	if _, err := dst.Import(t.Context(), m.Reader(), store.ImportOptions{Actor: "storetest", Source: root}); err != nil {
		t.Fatalf("import %s's subtree into an empty database: %v", root, err)
	}
	compared := 0
	for _, p := range periods {
		q := dangvu.ReportQuery{Org: root, From: day(p.From), To: day(p.To)}
		want, werr := reportJSON(src, t, q)
		got, gerr := reportJSON(dst, t, q)
		if werr != nil || gerr != nil {
			if dangvu.ErrorCode(werr) != dangvu.ErrorCode(gerr) {
				t.Errorf("%s %s–%s: source %v, imported %v", root, p.From, p.To, werr, gerr)
			}
			continue
		}
		compared++
		keys := make([]string, 0, len(want))
		for k := range want {
			keys = append(keys, k)
		}
		for k := range got {
			if _, ok := want[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			if !reflect.DeepEqual(want[k], got[k]) {
				t.Errorf("%s %s–%s: report[%q] = %v imported, %v in the source", root, p.From, p.To, k, got[k], want[k])
			}
		}
	}
	if compared == 0 {
		t.Errorf("%s: no period had a report to compare", root)
	}
	return m
}

func reportJSON(s *store.Store, t *testing.T, q dangvu.ReportQuery) (map[string]any, error) {
	t.Helper()
	r, err := s.TermReport(t.Context(), q)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out, nil
}

// testSubtreeExport: the subtrees of the merged ward, of the moved commune and of a cell that
// moved under the merged ward, each exported, imported into an empty database and reported on
// over periods before and after the move, the merge and the split.
func testSubtreeExport(t *testing.T, src *store.Store, open func(t *testing.T) *store.Store) {
	periods := []Period{
		{"2016-01-01", "2016-12-31"}, {"2018-01-01", prev(MoveDate)}, {MoveDate, "2019-12-31"},
		{"2020-01-01", prev(MergeDate)}, {MergeDate, "2020-12-31"}, {"2021-01-01", SplitDate},
		{SplitDate, "2021-12-31"}, {"2015-07-10", "2024-12-31"}, {"2023-01-01", "2024-12-31"},
	}
	for _, root := range []string{orgPDN, orgTYC, cellPD2, orgPD, orgUB} {
		t.Run(root, func(t *testing.T) {
			m := SameSubtreeReports(t, src, open, root, periods)
			if root == orgPDN {
				// The merged ward's file names the city and the province above it, and the old
				// wards its cells came from, as stubs; none of them as its own organisations.
				roles := map[string]string{}
				if err := m.Reader().Each("external_organisations", func(_ int, rec exchange.Record) error {
					roles[rec.Get("id")] = rec.Get("role")
					return nil
				}); err != nil {
					t.Fatal(err)
				}
				for id, role := range map[string]string{orgUB: "ancestor", orgQN: "ancestor", orgRoot: "ancestor", orgPD: "ancestor"} {
					if roles[id] != role {
						t.Errorf("stub %s: role %q, want %q (all: %v)", id, roles[id], role, roles)
					}
				}
				if _, ok := roles[orgPDN]; ok {
					t.Errorf("the exported ward is a stub of itself: %v", roles)
				}
			}
		})
	}
}
