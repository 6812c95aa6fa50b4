package storetest

import (
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/store"
)

// wantExport is what an export of a store holding exactly f must contain: the fixture's rows in
// key order (binary order of the key columns, as the export promises).
func wantExport(f *fixture) map[string][][]string {
	rows := f.rows()
	out := map[string][][]string{}
	for _, tb := range exchange.Tables() {
		rs := append([][]string{}, rows[tb.Name]...)
		var keys []int
		for _, k := range tb.Key {
			keys = append(keys, slices.Index(tb.Columns, k))
		}
		sort.SliceStable(rs, func(i, j int) bool {
			for _, k := range keys {
				if rs[i][k] != rs[j][k] {
					return rs[i][k] < rs[j][k]
				}
			}
			return false
		})
		out[tb.Name] = rs
	}
	return out
}

// sameRows compares two data sets table by table, row by row.
func sameRows(t *testing.T, what string, want, got map[string][][]string) {
	t.Helper()
	for _, tb := range exchange.Tables() {
		w, g := want[tb.Name], got[tb.Name]
		for i := 0; i < max(len(w), len(g)); i++ {
			switch {
			case i >= len(g):
				t.Errorf("%s: %s: missing row %q", what, tb.Name, w[i])
			case i >= len(w):
				t.Errorf("%s: %s: unexpected row %q", what, tb.Name, g[i])
			case !slices.Equal(w[i], g[i]):
				t.Errorf("%s: %s row %d:\nwant %q\ngot  %q", what, tb.Name, i+1, w[i], g[i])
			}
		}
	}
}

func testImportIntoEmpty(t *testing.T, f *fixture, s *store.Store) {
	res := importFixture(t, s, f)
	rows := f.rows()
	for _, tb := range exchange.Tables() {
		if got, want := res.Rows[tb.Name], len(rows[tb.Name]); got != want {
			t.Errorf("ImportResult.Rows[%s] = %d, want %d", tb.Name, got, want)
		}
	}
	sameRows(t, "export after import", wantExport(f), exportRows(t, s))

	n, err := s.VerifyAudit(t.Context())
	if err != nil || n != 1 {
		t.Errorf("VerifyAudit = %d, %v; want 1 entry (the import), no error", n, err)
	}
	log, err := s.AuditLog(t.Context(), "dataset", "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].Action != "import" || log[0].Actor != "storetest" || log[0].EntityID != "fixture" {
		t.Errorf("audit log after import = %+v, want one import entry by storetest for fixture", log)
	}
	if err := s.IntegrityCheck(t.Context()); err != nil {
		t.Errorf("IntegrityCheck: %v", err)
	}
}

// changeDays are the days around each reorganisation, plus one before all and one after all.
func changeDays() []string {
	return []string{"2015-01-01", prev(MoveDate), MoveDate, prev(MergeDate), MergeDate, prev(SplitDate), SplitDate, "2025-01-01"}
}

func testOrgsAsOf(t *testing.T, f *fixture, s *store.Store) {
	ids := map[string]bool{}
	for _, o := range f.orgs {
		ids[o.ID] = true
	}
	for _, d := range changeDays() {
		t.Run(d, func(t *testing.T) {
			want := f.nodesOn(d)
			got, err := s.Orgs(t.Context(), dangvu.OrgFilter{AsOf: day(d)})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Errorf("Orgs on %s: %d organisations, want %d", d, len(got), len(want))
			}
			for i := range min(len(got), len(want)) {
				if got[i] != want[i] {
					t.Errorf("Orgs on %s [%d]:\ngot  %+v\nwant %+v", d, i, got[i], want[i])
				}
			}
			// Org answers the same, and not-found for what is not in force.
			for id := range ids {
				o, err := s.Org(t.Context(), id, day(d))
				i := slices.IndexFunc(want, func(n dangvu.OrgNode) bool { return n.ID == id })
				if i < 0 {
					if dangvu.ErrorCode(err) != dangvu.ENotFound {
						t.Errorf("Org(%s, %s) = %+v, %v; want not_found", id, d, o, err)
					}
					continue
				}
				if err != nil || o != want[i].Org {
					t.Errorf("Org(%s, %s) = %+v, %v\nwant %+v", id, d, o, err, want[i].Org)
				}
			}
			// A subtree is the slice of the tree under its root's path.
			for _, root := range []string{orgUB, orgDT, orgTYC, cellNamMau} {
				r := slices.IndexFunc(want, func(n dangvu.OrgNode) bool { return n.ID == root })
				got, err := s.Orgs(t.Context(), dangvu.OrgFilter{AsOf: day(d), Under: root})
				if r < 0 {
					if dangvu.ErrorCode(err) != dangvu.ENotFound {
						t.Errorf("Orgs(under %s, %s): %v, want not_found", root, d, err)
					}
					continue
				}
				var wantIDs, gotIDs []string
				for _, n := range want {
					if strings.HasPrefix(n.Path, want[r].Path) {
						wantIDs = append(wantIDs, n.ID)
					}
				}
				for _, n := range got {
					gotIDs = append(gotIDs, n.ID)
				}
				if err != nil || !slices.Equal(gotIDs, wantIDs) {
					t.Errorf("Orgs(under %s, %s) = %v, %v; want %v", root, d, gotIDs, err, wantIDs)
				}
			}
		})
	}
}

// testOrgParents spells out, for readers, what the tree looks like around each change.
func testOrgParents(t *testing.T, s *store.Store) {
	tests := []struct {
		name     string
		id, date string
		parent   string // "" with path "": not in force
		path     string
		orgName  string
		event    string
	}{
		{"commune before the move", orgTYC, prev(MoveDate), orgUB, "/TW/QN/QN-UB/QN-UB-TYC/", "Đảng bộ xã Thượng Yên Công", ""},
		{"commune on the move", orgTYC, MoveDate, orgDT, "/TW/QN/QN-DT/QN-UB-TYC/", "Đảng bộ xã Thượng Yên Công", evMove},
		{"cell before the move", cellNamMau, prev(MoveDate), orgTYC, "/TW/QN/QN-UB/QN-UB-TYC/QN-UB-TYC-1/", "Chi bộ thôn Năm Mẫu", ""},
		{"cell follows the move without a row", cellNamMau, MoveDate, orgTYC, "/TW/QN/QN-DT/QN-UB-TYC/QN-UB-TYC-1/", "Chi bộ thôn Năm Mẫu", ""},
		{"sibling with a longer id", cellDongTam, MoveDate, orgTYC, "/TW/QN/QN-DT/QN-UB-TYC/QN-UB-TYC-10/", "Chi bộ thôn Đồng Tâm", ""},
		{"source ward before the merge", orgPN, prev(MergeDate), orgUB, "/TW/QN/QN-UB/QN-UB-PN/", "Đảng bộ phường Phương Nam", ""},
		{"source ward ends on the merge", orgPN, MergeDate, "", "", "", ""},
		{"merged ward not yet", orgPDN, prev(MergeDate), "", "", "", ""},
		{"merged ward", orgPDN, MergeDate, orgUB, "/TW/QN/QN-UB/QN-UB-PDN/", "Đảng bộ phường Phương Đông Nam", evMerge},
		{"cell before the merge", cellPN1, prev(MergeDate), orgPN, "/TW/QN/QN-UB/QN-UB-PN/QN-UB-PN-K1/", "Chi bộ khu 1", ""},
		{"cell moved and renamed by the merge", cellPN1, MergeDate, orgPDN, "/TW/QN/QN-UB/QN-UB-PDN/QN-UB-PN-K1/", "Chi bộ khu 3", evMerge},
		{"split cell on its last day", cellPD1, prev(SplitDate), orgPDN, "/TW/QN/QN-UB/QN-UB-PDN/QN-UB-PD-K1/", "Chi bộ khu 1", evMerge},
		{"split cell ends", cellPD1, SplitDate, "", "", "", ""},
		{"new cell not yet", cell1A, prev(SplitDate), "", "", "", ""},
		{"new cell of the split", cell1B, SplitDate, orgPDN, "/TW/QN/QN-UB/QN-UB-PDN/QN-UB-PDN-K1B/", "Chi bộ khu 1B", evSplit},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o, err := s.Org(t.Context(), tc.id, day(tc.date))
			if tc.path == "" {
				if dangvu.ErrorCode(err) != dangvu.ENotFound {
					t.Errorf("Org(%s, %s) = %+v, %v; want not_found", tc.id, tc.date, o, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Org(%s, %s): %v", tc.id, tc.date, err)
			}
			if o.ParentID != tc.parent || o.Path != tc.path || o.Name != tc.orgName || o.EventID != tc.event || o.Depth != strings.Count(tc.path, "/")-1 {
				t.Errorf("Org(%s, %s) = parent %s, path %s, depth %d, name %q, event %q\nwant parent %s, path %s, name %q, event %q",
					tc.id, tc.date, o.ParentID, o.Path, o.Depth, o.Name, o.EventID, tc.parent, tc.path, tc.orgName, tc.event)
			}
		})
	}
}

func testOrgHistory(t *testing.T, s *store.Store) {
	tests := []struct {
		id    string
		want  [][3]string // valid_from, valid_to, path
		event []string
	}{
		{cellPD1, [][3]string{
			{"2011-02-25", MergeDate, "/TW/QN/QN-UB/QN-UB-PD/QN-UB-PD-K1/"},
			{MergeDate, SplitDate, "/TW/QN/QN-UB/QN-UB-PDN/QN-UB-PD-K1/"},
		}, []string{"", evMerge}},
		{orgTYC, [][3]string{
			{"2011-02-25", MoveDate, "/TW/QN/QN-UB/QN-UB-TYC/"},
			{MoveDate, dangvu.ForeverISO, "/TW/QN/QN-DT/QN-UB-TYC/"},
		}, []string{"", evMove}},
		// One version, whose path is given as of its first day.
		{cellNamMau, [][3]string{{"2011-02-25", dangvu.ForeverISO, "/TW/QN/QN-UB/QN-UB-TYC/QN-UB-TYC-1/"}}, []string{""}},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			h, err := s.OrgHistory(t.Context(), tc.id)
			if err != nil {
				t.Fatal(err)
			}
			if len(h) != len(tc.want) {
				t.Fatalf("OrgHistory(%s) has %d versions, want %d: %+v", tc.id, len(h), len(tc.want), h)
			}
			for i, w := range tc.want {
				if g := [3]string{h[i].ValidFrom.String(), h[i].ValidTo.String(), h[i].Path}; g != w || h[i].EventID != tc.event[i] {
					t.Errorf("OrgHistory(%s)[%d] = %v event %q, want %v event %q", tc.id, i, g, h[i].EventID, w, tc.event[i])
				}
			}
		})
	}
	if _, err := s.OrgHistory(t.Context(), "NO-SUCH-ORG"); dangvu.ErrorCode(err) != dangvu.ENotFound {
		t.Errorf("OrgHistory(NO-SUCH-ORG): %v, want not_found", err)
	}
}

func testOrgsFilter(t *testing.T, f *fixture, s *store.Store) {
	const d = "2021-06-01"
	nodes := f.nodesOn(d)
	pick := func(keep func(dangvu.OrgNode) bool) []string {
		var out []string
		for _, n := range nodes {
			if keep(n) {
				out = append(out, n.ID)
			}
		}
		return out
	}
	tests := []struct {
		name string
		flt  dangvu.OrgFilter
		want []string
	}{
		{"children", dangvu.OrgFilter{ParentID: orgPDN}, pick(func(n dangvu.OrgNode) bool { return n.ParentID == orgPDN })},
		{"levels", dangvu.OrgFilter{Levels: []dangvu.Level{dangvu.LevelCell, dangvu.LevelGrassrootsCell}},
			pick(func(n dangvu.OrgNode) bool { return n.Level.IsCell() })},
		{"under and level", dangvu.OrgFilter{Under: orgDT, Levels: []dangvu.Level{dangvu.LevelCell}}, []string{cellNamMau, cellDongTam}},
		{"folded name", dangvu.OrgFilter{Name: "KHU 1"}, []string{cell1A, cell1B}},
		{"folded name with diacritics", dangvu.OrgFilter{Name: "đông tâm"}, []string{cellDTDong, cellDongTam}},
		{"limit", dangvu.OrgFilter{Limit: 3}, pick(func(dangvu.OrgNode) bool { return true })[:3]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.flt.AsOf = day(d)
			got, err := s.Orgs(t.Context(), tc.flt)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, n := range got {
				ids = append(ids, n.ID)
			}
			if !slices.Equal(ids, tc.want) {
				t.Errorf("Orgs(%+v) = %v, want %v", tc.flt, ids, tc.want)
			}
		})
	}
}

func testResolveOrg(t *testing.T, s *store.Store) {
	const before, after = "2016-01-01", "2021-06-01"
	tests := []struct {
		name, ref, date string
		want            string   // the id found; "" for an error
		code            string   // the error's code
		ids             []string // ids the refusal of an ambiguous name lists
	}{
		{"by id", orgPD, before, orgPD, "", nil},
		{"by exact name", "Đảng bộ phường Phương Đông", before, orgPD, "", nil},
		{"without diacritics", "dang bo phuong phuong dong", before, orgPD, "", nil},
		{"upper case", "ĐẢNG BỘ PHƯỜNG PHƯƠNG ĐÔNG", before, orgPD, "", nil},
		{"decomposed (NFD)", norm.NFD.String("Đảng bộ phường Phương Đông"), before, orgPD, "", nil},
		{"extra spaces", "  Đảng bộ  phường Phương Đông ", before, orgPD, "", nil},
		{"name as of the day: ended", "Đảng bộ phường Phương Đông", MergeDate, "", dangvu.ENotFound, nil},
		{"name as of the day: not yet", "Chi bộ khu 3", prev(MergeDate), "", dangvu.ENotFound, nil},
		{"renamed", "Chi bộ khu 3", MergeDate, cellPN1, "", nil},
		{"ambiguous name", "Chi bộ khu 1", before, "", dangvu.EConflict, []string{cellPD1, cellPN1}},
		{"ambiguous without diacritics", "chi bo khu 2", before, "", dangvu.EConflict, []string{cellPD2, cellPN2}},
		{"no longer ambiguous after the merge", "Chi bộ khu 1", MergeDate, cellPD1, "", nil},
		{"gone after the split", "Chi bộ khu 1", after, "", dangvu.ENotFound, nil},
		{"unique after the merge", "Chi bộ khu 2", after, cellPD2, "", nil},
		{"exact spelling wins", "Chi bộ thôn Đông Tâm", after, cellDTDong, "", nil},
		{"exact spelling wins (other)", "Chi bộ thôn Đồng Tâm", after, cellDongTam, "", nil},
		{"folded spelling is ambiguous", "chi bo thon dong tam", after, "", dangvu.EConflict, []string{cellDTDong, cellDongTam}},
		{"unknown", "Đảng bộ xã Không Có", after, "", dangvu.ENotFound, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o, err := s.ResolveOrg(t.Context(), tc.ref, day(tc.date))
			if tc.want != "" {
				if err != nil || o.ID != tc.want {
					t.Errorf("ResolveOrg(%q, %s) = %s, %v; want %s", tc.ref, tc.date, o.ID, err, tc.want)
				}
				return
			}
			e := errorCode(t, err, tc.code)
			for _, id := range tc.ids {
				if !strings.Contains(e.Message, id) {
					t.Errorf("ResolveOrg(%q): message %q does not list %s", tc.ref, e.Message, id)
				}
			}
		})
	}
}

// testFormerParents: an organisation that changed parent is told apart by its former parent,
// named as it was on its last day there; one that never moved, or asked about before it moved,
// has none. All of them asked at once, as a page does.
func testFormerParents(t *testing.T, s *store.Store) {
	ctx := t.Context()
	name := func(id, on string) string {
		o, err := s.Org(ctx, id, day(on))
		if err != nil {
			t.Fatal(err)
		}
		return o.Name
	}
	tests := []struct {
		asOf string
		want map[string]string
	}{
		{"2018-01-01", map[string]string{}},
		{MoveDate, map[string]string{orgTYC: name(orgUB, prev(MoveDate))}},
		{MergeDate, map[string]string{orgTYC: name(orgUB, prev(MoveDate)), cellPD1: name(orgPD, prev(MergeDate))}},
	}
	for _, tc := range tests {
		got, err := s.FormerParents(ctx, []string{orgTYC, cellPD1, cellNamMau, "NO-SUCH-ORG"}, day(tc.asOf))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("as of %s: %v, want %v", tc.asOf, got, tc.want)
		}
	}
}

// testOrgMemo: within a read-only request's context (store.WithOrgMemo) an organisation looked
// up once is answered again without the database; one not found is not remembered.
func testOrgMemo(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	s := loadedStore(t, f, open)
	ctx := store.WithOrgMemo(t.Context())
	want, err := s.Org(t.Context(), orgTYC, day(MergeDate))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.Org(ctx, orgTYC, day(MergeDate)); err != nil || got != want {
		t.Fatalf("first lookup: %+v, %v; want %+v", got, err, want)
	}
	if _, err := s.Org(ctx, orgTYC, day("1990-01-01")); dangvu.ErrorCode(err) != dangvu.ENotFound {
		t.Fatalf("before it existed: %v, want not found", err)
	}
	s.Close()
	if got, err := s.Org(ctx, orgTYC, day(MergeDate)); err != nil || got != want {
		t.Errorf("remembered: %+v, %v; want %+v", got, err, want)
	}
	if _, err := s.Org(ctx, orgTYC, day("1990-01-01")); err == nil || dangvu.ErrorCode(err) == dangvu.ENotFound {
		t.Errorf("a lookup that found nothing was remembered: %v", err)
	}
	if _, err := s.Org(t.Context(), orgTYC, day(MergeDate)); err == nil {
		t.Error("without the memo the closed store still answered")
	}
}
