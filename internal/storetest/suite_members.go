package storetest

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"testing"

	"dangvu"
	"dangvu/internal/store"
	"dangvu/internal/vn"
)

// countDays adds, to the days around the changes, the days around the members' own changes.
func countDays() []string {
	return append(changeDays(), "2016-06-09", "2016-06-10", "2018-05-31", "2018-06-01", "2019-06-01", "2019-10-01", "2019-10-02",
		"2020-09-01", "2020-11-20", "2021-11-20")
}

func testCountMembers(t *testing.T, f *fixture, s *store.Store) {
	ids := []string{""} // the whole tree
	seen := map[string]bool{}
	for _, o := range f.orgs {
		if !seen[o.ID] {
			seen[o.ID] = true
			ids = append(ids, o.ID)
		}
	}
	filters := []struct {
		name string
		cf   dangvu.CountFilter
		rf   rosterFilter
	}{
		{"all", dangvu.CountFilter{}, rosterFilter{}},
		{"probationary", dangvu.CountFilter{Status: dangvu.StatusProbationary}, rosterFilter{status: dangvu.StatusProbationary}},
		{"exempt", dangvu.CountFilter{Status: dangvu.StatusExempt}, rosterFilter{status: dangvu.StatusExempt}},
		{"female", dangvu.CountFilter{Gender: dangvu.Female}, rosterFilter{gender: dangvu.Female}},
		{"full male", dangvu.CountFilter{Status: dangvu.StatusFull, Gender: dangvu.Male}, rosterFilter{status: dangvu.StatusFull, gender: dangvu.Male}},
	}
	for _, d := range countDays() {
		t.Run(d, func(t *testing.T) {
			for _, id := range ids {
				_, exists := f.orgOn(id, d)
				for _, flt := range filters {
					got, err := s.CountMembers(t.Context(), id, day(d), flt.cf)
					if id != "" && !exists {
						if dangvu.ErrorCode(err) != dangvu.ENotFound {
							t.Errorf("CountMembers(%s, %s, %s) = %d, %v; want not_found", id, d, flt.name, got, err)
						}
						continue
					}
					if want := f.count(id, d, flt.rf); err != nil || got != want {
						t.Errorf("CountMembers(%q, %s, %s) = %d, %v; want %d", id, d, flt.name, got, err, want)
					}
				}
			}
		})
	}
}

// testCountAcrossChanges states, for readers, how the counts carry across each change.
func testCountAcrossChanges(t *testing.T, f *fixture, s *store.Store) {
	count := func(id, d string) int {
		t.Helper()
		n, err := s.CountMembers(t.Context(), id, day(d), dangvu.CountFilter{})
		if err != nil {
			t.Fatalf("CountMembers(%s, %s): %v", id, d, err)
		}
		return n
	}
	ids := func(under, d string) []string {
		t.Helper()
		p, err := s.Members(t.Context(), dangvu.MemberFilter{AsOf: day(d), Under: under, Limit: 500})
		if err != nil {
			t.Fatalf("Members(under %s, %s): %v", under, d, err)
		}
		var out []string
		for _, m := range p.Members {
			out = append(out, m.ID)
		}
		sort.Strings(out)
		return out
	}
	oracleIDs := func(under, d string) []string {
		var out []string
		for _, p := range f.membersUnder(under, d, rosterFilter{}) {
			out = append(out, p.ID)
		}
		sort.Strings(out)
		return out
	}

	t.Run("merge", func(t *testing.T) {
		// Nobody joins or leaves on the day: the new ward holds exactly the two old wards' members.
		before := count(orgPD, prev(MergeDate)) + count(orgPN, prev(MergeDate))
		if got := count(orgPDN, MergeDate); got != before || got != f.count(orgPDN, MergeDate, rosterFilter{}) {
			t.Errorf("merged ward has %d members on %s; the two wards had %d the day before (oracle %d)", got, MergeDate, before, f.count(orgPDN, MergeDate, rosterFilter{}))
		}
		want := append(oracleIDs(orgPD, prev(MergeDate)), oracleIDs(orgPN, prev(MergeDate))...)
		sort.Strings(want)
		if got := ids(orgPDN, MergeDate); !slices.Equal(got, want) {
			t.Errorf("members of the merged ward = %v, want %v", got, want)
		}
		if a, b := count(orgUB, prev(MergeDate)), count(orgUB, MergeDate); a != b {
			t.Errorf("the city counts %d the day before the merge and %d on the day", a, b)
		}
	})

	t.Run("split", func(t *testing.T) {
		var toA, toB int // members carried by the split, from the membership rows
		for _, p := range f.persons {
			for _, m := range p.Memberships {
				if m.Event == evSplit && m.From == SplitDate {
					switch m.Org {
					case cell1A:
						toA++
					case cell1B:
						toB++
					}
				}
			}
		}
		if toA == 0 || toB == 0 {
			t.Fatal("fixture: the split carries nobody")
		}
		if got := count(cell1A, SplitDate); got != toA {
			t.Errorf("cell 1A has %d members on the split, want %d", got, toA)
		}
		if got := count(cell1B, SplitDate); got != toB {
			t.Errorf("cell 1B has %d members on the split, want %d", got, toB)
		}
		if got := count(cellPD1, prev(SplitDate)); got != toA+toB {
			t.Errorf("the split cell has %d members on its last day, want %d", got, toA+toB)
		}
		want := oracleIDs(cellPD1, prev(SplitDate))
		got := append(ids(cell1A, SplitDate), ids(cell1B, SplitDate)...)
		sort.Strings(got)
		if !slices.Equal(got, want) {
			t.Errorf("members of the new cells = %v, want those of the old one %v", got, want)
		}
	})

	t.Run("move", func(t *testing.T) {
		moved := oracleIDs(orgTYC, prev(MoveDate))
		if len(moved) == 0 {
			t.Fatal("fixture: the moved commune has no members")
		}
		if got := ids(orgTYC, MoveDate); !slices.Equal(got, moved) {
			t.Errorf("the commune's members on the move = %v, want %v", got, moved)
		}
		under := func(list []string) map[string]bool {
			m := map[string]bool{}
			for _, id := range list {
				m[id] = true
			}
			return m
		}
		oldBefore, oldAfter := under(ids(orgUB, prev(MoveDate))), under(ids(orgUB, MoveDate))
		newBefore, newAfter := under(ids(orgDT, prev(MoveDate))), under(ids(orgDT, MoveDate))
		for _, id := range moved {
			if !oldBefore[id] || oldAfter[id] || newBefore[id] || !newAfter[id] {
				t.Errorf("member %s of the moved commune: under Uông Bí before/after %v/%v, under Đông Triều before/after %v/%v; want true/false, false/true",
					id, oldBefore[id], oldAfter[id], newBefore[id], newAfter[id])
			}
		}
		if a, b := count(orgDT, prev(MoveDate)), count(orgDT, MoveDate); b != a+len(moved) {
			t.Errorf("Đông Triều counts %d before the move and %d on it, want %d", a, b, a+len(moved))
		}
		if a, b := count(orgUB, prev(MoveDate)), count(orgUB, MoveDate); b != a-len(moved) {
			t.Errorf("Uông Bí counts %d before the move and %d on it, want %d", a, b, a-len(moved))
		}
		// The province sees no change.
		if a, b := count(orgQN, prev(MoveDate)), count(orgQN, MoveDate); a != b {
			t.Errorf("the province counts %d before the move and %d on it", a, b)
		}
	})

	t.Run("people", func(t *testing.T) {
		tests := []struct {
			name     string
			member   string
			under, d string
			in       bool
		}{
			{"temporary membership is not counted by the host", "M22", cellDongTam, "2019-06-01", false},
			{"temporary member still counted at home", "M22", cellPN2, "2019-06-01", true},
			{"alive the day before", "M08", cellPD1, "2019-10-01", true},
			{"deceased", "M08", cellPD1, "2019-10-02", false},
			{"exempt still counted", "M12", cellPD2, "2019-01-01", true},
			{"transferred out", "M13", orgPDN, "2020-09-01", false},
			{"not yet admitted", "M11", cellPD2, "2020-11-19", false},
			{"admitted", "M11", cellPD2, "2020-11-20", true},
			{"internal transfer: old cell", "M19", cellPN2, "2018-06-01", false},
			{"internal transfer: new cell", "M19", cellNamMau, "2018-06-01", true},
		}
		for _, tc := range tests {
			p := f.person(tc.member)
			oracle := slices.ContainsFunc(f.membersUnder(tc.under, tc.d, rosterFilter{}), func(q person) bool { return q.ID == p.ID })
			if oracle != tc.in {
				t.Fatalf("%s: the oracle disagrees with the case", tc.name)
			}
			if got := slices.Contains(ids(tc.under, tc.d), tc.member); got != tc.in {
				t.Errorf("%s: %s listed under %s on %s = %v, want %v", tc.name, tc.member, tc.under, tc.d, got, tc.in)
			}
		}
	})

	t.Run("root", func(t *testing.T) {
		for _, d := range changeDays() {
			if a, b := count("", d), count(orgRoot, d); a != b {
				t.Errorf("on %s the whole tree counts %d, the root %d", d, a, b)
			}
		}
	})
}

func memberIDs(ms []dangvu.Member) []string {
	out := []string{}
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

func testMembersSearch(t *testing.T, s *store.Store) {
	const d = "2022-01-01"
	// A search lists its matches in the order of the folded name (the order of what was typed),
	// then by id; a plain list is in Vietnamese name order (testMembersNameOrder).
	tests := []struct {
		name   string
		flt    dangvu.MemberFilter
		want   []string // in list order
		asOf   string
		nTotal int // when not len(want)
	}{
		{"folded prefix", dangvu.MemberFilter{Query: "nguyen van d"}, []string{"M01", "M14", "M07"}, d, 0},
		{"full name", dangvu.MemberFilter{Query: "Nguyễn Văn Đức"}, []string{"M01", "M14"}, d, 0},
		{"wrong tone folds too", dangvu.MemberFilter{Query: "nguyễn văn đưc"}, []string{"M01", "M14"}, d, 0},
		{"upper case", dangvu.MemberFilter{Query: "NGUYỄN VĂN ĐỨC"}, []string{"M01", "M14"}, d, 0},
		{"spaces", dangvu.MemberFilter{Query: "  nguyen   van  duc "}, []string{"M01", "M14"}, d, 0},
		{"đ folds to d, at any word", dangvu.MemberFilter{Query: "đ"}, []string{"M18", "M19", "M09", "M01", "M14", "M07", "M12"}, d, 0},
		{"a given name", dangvu.MemberFilter{Query: "Đức"}, []string{"M01", "M14"}, d, 0},
		{"from a middle word", dangvu.MemberFilter{Query: "van du"}, []string{"M01", "M14", "M07"}, d, 0},
		{"not from inside a word", dangvu.MemberFilter{Query: "guyen"}, []string{}, d, 0},
		{"family name", dangvu.MemberFilter{Query: "trần"}, []string{"M02", "M15"}, d, 0},
		{"with gender", dangvu.MemberFilter{Query: "tran", Gender: dangvu.Female}, []string{"M02"}, d, 0},
		{"with status", dangvu.MemberFilter{Query: "d", Status: []dangvu.Status{dangvu.StatusExempt}}, []string{"M12"}, d, 0},
		{"under a cell", dangvu.MemberFilter{Query: "nguyen van duc", Under: cell1A}, []string{"M01"}, d, 0},
		{"by id", dangvu.MemberFilter{Query: "M05"}, []string{"M05"}, d, 0},
		{"as of the day: deceased", dangvu.MemberFilter{Query: "bui van"}, []string{}, d, 0},
		{"as of the day: alive", dangvu.MemberFilter{Query: "bui van"}, []string{"M08"}, "2019-01-01", 0},
		{"no match", dangvu.MemberFilter{Query: "xyz"}, []string{}, d, 0},
		{"like wildcards are literal", dangvu.MemberFilter{Query: "nguyen_van"}, []string{}, d, 0},
		{"paged search", dangvu.MemberFilter{Query: "nguyen", Limit: 2, Offset: 1}, []string{"M14", "M07"}, d, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.flt.AsOf = day(tc.asOf)
			p, err := s.Members(t.Context(), tc.flt)
			if err != nil {
				t.Fatal(err)
			}
			total := tc.nTotal
			if total == 0 {
				total = len(tc.want)
			}
			if got := memberIDs(p.Members); !slices.Equal(got, tc.want) || p.Total != total {
				t.Errorf("Members(%q) = %v (total %d), want %v (total %d)", tc.flt.Query, got, p.Total, tc.want, total)
			}
			// Under the root, by either plan (walking the name's candidates, or reading the
			// subtree's roster): the same answer.
			if tc.flt.Under == "" {
				tc.flt.Under = orgRoot
			}
			for _, plan := range []string{"name", "subtree"} {
				s.SearchPlan = plan
				p, err = s.Members(t.Context(), tc.flt)
				s.SearchPlan = ""
				if err != nil {
					t.Fatal(err)
				}
				if got := memberIDs(p.Members); !slices.Equal(got, tc.want) || p.Total != total {
					t.Errorf("Members(%q) under %s by %s = %v (total %d), want %v (total %d)", tc.flt.Query, tc.flt.Under, plan, got, p.Total, tc.want, total)
				}
			}
		})
	}
	t.Run("past the last page", func(t *testing.T) {
		for _, plan := range []string{"name", "subtree"} {
			s.SearchPlan = plan
			p, err := s.Members(t.Context(), dangvu.MemberFilter{AsOf: day(d), Under: orgRoot, Query: "nguyen", Offset: 10})
			s.SearchPlan = ""
			if err != nil || len(p.Members) != 0 || p.Total != 3 {
				t.Errorf("by %s: %v (total %d), %v; want none of 3", plan, memberIDs(p.Members), p.Total, err)
			}
		}
	})
	t.Run("a name matching at two words is listed once", func(t *testing.T) {
		for _, under := range []string{"", orgRoot} {
			s.SearchPlan = map[string]string{"": "", orgRoot: "subtree"}[under]
			p, err := s.Members(t.Context(), dangvu.MemberFilter{AsOf: day(d), Under: under, Query: "th", Limit: 500})
			s.SearchPlan = ""
			if err != nil {
				t.Fatal(err)
			}
			ids := memberIDs(p.Members)
			if !slices.Contains(ids, "M06") || len(slices.Compact(slices.Sorted(slices.Values(ids)))) != len(ids) || p.Total != len(ids) {
				t.Errorf("under %q: %v (total %d): want M06 (Vũ Thị Thu Hà) once", under, ids, p.Total)
			}
		}
	})
}

func testMembersPaging(t *testing.T, f *fixture, s *store.Store) {
	for _, d := range []string{"2016-01-01", prev(MergeDate), SplitDate} {
		for _, under := range []string{"", orgUB, orgPDN, orgDT} {
			if _, ok := f.orgOn(under, d); under != "" && !ok {
				continue
			}
			t.Run(d+"/"+under, func(t *testing.T) {
				want := f.membersUnder(under, d, rosterFilter{})
				sort.SliceStable(want, func(i, j int) bool {
					if c := bytes.Compare(vn.NameKey(want[i].Name), vn.NameKey(want[j].Name)); c != 0 {
						return c < 0
					}
					return want[i].ID < want[j].ID
				})
				var wantIDs []string
				for _, p := range want {
					wantIDs = append(wantIDs, p.ID)
				}
				var got []string
				const limit = 4
				for off := 0; ; off += limit {
					p, err := s.Members(t.Context(), dangvu.MemberFilter{AsOf: day(d), Under: under, Offset: off, Limit: limit})
					if err != nil {
						t.Fatal(err)
					}
					if p.Total != len(want) || p.Offset != off || p.Limit != limit {
						t.Errorf("page at %d: total %d, offset %d, limit %d; want %d, %d, %d", off, p.Total, p.Offset, p.Limit, len(want), off, limit)
					}
					if len(p.Members) > limit {
						t.Fatalf("page at %d has %d members, limit %d", off, len(p.Members), limit)
					}
					if len(p.Members) == 0 {
						break
					}
					got = append(got, memberIDs(p.Members)...)
					if off > 1000 {
						t.Fatal("paging does not end")
					}
				}
				if !slices.Equal(got, wantIDs) {
					t.Errorf("pages = %v\nwant    %v", got, wantIDs)
				}
			})
		}
	}
	t.Run("default limit", func(t *testing.T) {
		for _, limit := range []int{0, -1, 501} {
			p, err := s.Members(t.Context(), dangvu.MemberFilter{AsOf: day("2016-01-01"), Limit: limit})
			if err != nil {
				t.Fatal(err)
			}
			if p.Limit != 50 || len(p.Members) != min(50, p.Total) || p.Total != f.count("", "2016-01-01", rosterFilter{}) {
				t.Errorf("limit %d: got limit %d, %d members, total %d", limit, p.Limit, len(p.Members), p.Total)
			}
		}
	})
	t.Run("unknown organisation", func(t *testing.T) {
		_, err := s.Members(t.Context(), dangvu.MemberFilter{AsOf: day(prev(MergeDate)), Under: orgPDN})
		if dangvu.ErrorCode(err) != dangvu.ENotFound {
			t.Errorf("Members under an organisation not yet in force: %v, want not_found", err)
		}
	})
}

// testMembersNameOrder checks Vietnamese name order by hand: given name first (then middle names,
// then family name), the Vietnamese alphabet (d before đ, o before ô before ơ before u before ư),
// tones only breaking ties (ngang before sắc), ties broken by id.
func testMembersNameOrder(t *testing.T, s *store.Store) {
	want := []string{
		"M15", // Trần Văn An
		"M03", // Lê Văn Anh
		"M02", // Trần Thị Ánh: same letters as Anh, tone breaks the tie
		"M16", // Lê Thị Bích
		"M05", // Hoàng Văn Bình
		"M17", // Phạm Văn Cường
		"M18", // Đào Thị Dung: the family name does not count first
		"M07", // Nguyễn Văn Dũng: before Đ, though "dung" > "duc" byte-wise
		"M08", // Bùi Văn Đông: ô before ư
		"M01", // Nguyễn Văn Đức
		"M14", // Nguyễn Văn Đức: same name, larger id
		"M06", // Vũ Thị Thu Hà
		"M10", // Hồ Văn Hải
		"M20", // Mai Thị Hạnh
	}
	p, err := s.Members(t.Context(), dangvu.MemberFilter{AsOf: day("2019-06-01"), Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range p.Members {
		if slices.Contains(want, m.ID) {
			got = append(got, m.ID)
		}
	}
	if !slices.Equal(got, want) {
		var names []string
		for _, id := range got {
			i := slices.IndexFunc(p.Members, func(m dangvu.Member) bool { return m.ID == id })
			names = append(names, fmt.Sprintf("%s %s", id, p.Members[i].FullName))
		}
		t.Errorf("name order = %v\nwant ids %v", names, want)
	}
}

// lastOfficial is the organisation of the person's last official membership begun on or before d.
func (p person) lastOfficial(d string) (membershipRow, bool) {
	var last membershipRow
	ok := false
	for _, m := range p.Memberships {
		if m.Kind == dangvu.MembershipOfficial && m.From <= d && (!ok || m.From > last.From) {
			last, ok = m, true
		}
	}
	return last, ok
}

func testMember(t *testing.T, f *fixture, s *store.Store) {
	tests := []struct {
		name, id, d string
	}{
		{"before the split", "M01", prev(SplitDate)},
		{"carried by the split", "M01", SplitDate},
		{"probationary", "M03", "2016-12-01"},
		{"note with quotes and a line break", "M04", "2016-12-01"},
		{"before admission", "M11", "2020-11-19"},
		{"exempt", "M12", "2019-01-01"},
		{"transferred out", "M13", "2021-01-01"},
		{"temporary elsewhere", "M22", "2019-06-01"},
		{"internal transfer", "M19", "2019-06-01"},
		{"renamed cell", "M14", MergeDate},
		// The cell of a member who died has since been split away: the member still shows it.
		{"left, organisation since ended", "M08", "2022-01-01"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := f.person(tc.id)
			m, err := s.Member(t.Context(), tc.id, day(tc.d))
			if err != nil {
				t.Fatal(err)
			}
			if m.FullName != p.Name || m.Gender != p.Gender || m.BirthDate != p.Born || m.Ethnicity != p.Ethnicity ||
				m.AdmittedOn != date(p.Admitted) || m.FullOn != date(p.Full) || m.IDNumber != p.IDNumber || m.Hometown != "Uông Bí, Quảng Ninh" || m.Note != p.Note {
				t.Errorf("Member(%s) record = %+v, want the fixture's %+v", tc.id, m, p)
			}
			wantOrg, wantName := "", ""
			if ms, ok := p.lastOfficial(tc.d); ok {
				wantOrg = ms.Org
				// Named as the organisation was on the day, or on the membership's last day.
				on := tc.d
				if open(ms.To) <= on {
					on = prev(ms.To)
				}
				if o, ok := f.orgOn(ms.Org, on); ok {
					wantName = o.Name
				}
			}
			if m.Status != p.statusOn(tc.d) || m.OrgID != wantOrg || m.OrgName != wantName {
				t.Errorf("Member(%s, %s) = status %q, org %s %q; want %q, %s %q", tc.id, tc.d, m.Status, m.OrgID, m.OrgName, p.statusOn(tc.d), wantOrg, wantName)
			}
		})
	}
	if _, err := s.Member(t.Context(), "NO-SUCH", day("2020-01-01")); dangvu.ErrorCode(err) != dangvu.ENotFound {
		t.Errorf("Member(NO-SUCH): %v, want not_found", err)
	}
}

func testMemberHistory(t *testing.T, f *fixture, s *store.Store) {
	for _, id := range []string{"M01", "M08", "M19", "M22"} {
		t.Run(id, func(t *testing.T) {
			p := f.person(id)
			h, err := s.MemberHistory(t.Context(), id)
			if err != nil {
				t.Fatal(err)
			}
			var wantSt []dangvu.StatusChange
			for _, st := range p.Statuses {
				wantSt = append(wantSt, dangvu.StatusChange{MemberID: id, ValidFrom: date(st.From), Status: st.Status, Reason: st.Reason})
			}
			if !slices.Equal(h.Statuses, wantSt) {
				t.Errorf("statuses = %+v\nwant %+v", h.Statuses, wantSt)
			}
			var wantMs []dangvu.Membership
			for _, m := range p.Memberships {
				o, _ := f.orgOn(m.Org, m.From)
				wantMs = append(wantMs, dangvu.Membership{MemberID: id, OrgID: m.Org, ValidFrom: date(m.From), ValidTo: date(open(m.To)), Kind: m.Kind, EventID: m.Event, OrgName: o.Name})
			}
			sort.SliceStable(wantMs, func(i, j int) bool {
				if wantMs[i].ValidFrom != wantMs[j].ValidFrom {
					return wantMs[i].ValidFrom.Before(wantMs[j].ValidFrom)
				}
				return wantMs[i].Kind < wantMs[j].Kind
			})
			if !slices.Equal(h.Memberships, wantMs) {
				t.Errorf("memberships = %+v\nwant %+v", h.Memberships, wantMs)
			}
			if len(h.Movements) != 0 || len(h.Posts) != 0 {
				t.Errorf("movements %v, posts %v; the fixture has none", h.Movements, h.Posts)
			}
		})
	}
	if _, err := s.MemberHistory(t.Context(), "NO-SUCH"); dangvu.ErrorCode(err) != dangvu.ENotFound {
		t.Errorf("MemberHistory(NO-SUCH): %v, want not_found", err)
	}
}

// testMembersCapped lowers the store's count cap: a list or search with more matches than the
// cap reports the cap as its total and says so, and its pages still come in name order (the plan
// that walks the name index); within the cap the total is exact.
func testMembersCapped(t *testing.T, f *fixture, s *store.Store) {
	const cap = 5
	s.MemberCountCap = cap
	t.Cleanup(func() { s.MemberCountCap = 0 })
	var sawCapped, sawExact bool
	for _, d := range []string{"2016-01-01", prev(MergeDate), SplitDate} {
		for _, under := range []string{"", orgUB, orgPDN, orgDT, cell1A} {
			if _, ok := f.orgOn(under, d); under != "" && !ok {
				continue
			}
			t.Run(d+"/"+under, func(t *testing.T) {
				want := f.membersUnder(under, d, rosterFilter{})
				sort.SliceStable(want, func(i, j int) bool {
					if c := bytes.Compare(vn.NameKey(want[i].Name), vn.NameKey(want[j].Name)); c != 0 {
						return c < 0
					}
					return want[i].ID < want[j].ID
				})
				var wantIDs []string
				for _, p := range want {
					wantIDs = append(wantIDs, p.ID)
				}
				wantTotal, wantCapped := min(len(want), cap), len(want) > cap
				if wantCapped {
					sawCapped = true
				} else {
					sawExact = true
				}
				var got []string
				const limit = 3
				for off := 0; off <= len(want); off += limit {
					p, err := s.Members(t.Context(), dangvu.MemberFilter{AsOf: day(d), Under: under, Offset: off, Limit: limit})
					if err != nil {
						t.Fatal(err)
					}
					if p.Total != wantTotal || p.TotalCapped != wantCapped {
						t.Errorf("page at %d: total %d, capped %v; want %d, %v", off, p.Total, p.TotalCapped, wantTotal, wantCapped)
					}
					got = append(got, memberIDs(p.Members)...)
				}
				if !slices.Equal(got, wantIDs) {
					t.Errorf("pages = %v\nwant    %v", got, wantIDs)
				}
			})
		}
	}
	if !sawCapped || !sawExact {
		t.Errorf("the cases cover capped %v, exact %v; want both", sawCapped, sawExact)
	}
	t.Run("search", func(t *testing.T) {
		for _, c := range []struct {
			cap, total int
			capped     bool
		}{{2, 2, true}, {3, 3, false}} {
			s.MemberCountCap = c.cap
			p, err := s.Members(t.Context(), dangvu.MemberFilter{AsOf: day("2022-01-01"), Query: "nguyen", Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != c.total || p.TotalCapped != c.capped || len(p.Members) != 1 {
				t.Errorf("cap %d: total %d, capped %v, %d members; want %d, %v, 1", c.cap, p.Total, p.TotalCapped, len(p.Members), c.total, c.capped)
			}
		}
	})
}
