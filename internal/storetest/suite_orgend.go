package storetest

import (
	"strings"
	"testing"

	"dangvu"
	"dangvu/internal/store"
)

// testOrgEnd: an organisation that ended in the merge says when, by which event, and where its
// members went; an account of it can be moved to the successor, audited.
func testOrgEnd(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	s := loadedStore(t, f, open)
	ctx := t.Context()
	end, err := s.OrgEnd(ctx, orgPD)
	if err != nil {
		t.Fatal(err)
	}
	last := day(MergeDate).AddDate(0, 0, -1)
	if !end.LastDay.Equal(dangvu.DateOf(last)) || end.Org.ID != orgPD {
		t.Errorf("OrgEnd(%s): last day %v, org %s; want %v", orgPD, end.LastDay, end.Org.ID, last)
	}
	if len(end.Events) != 1 || end.Events[0].ID != evMerge {
		t.Errorf("OrgEnd(%s) events %+v, want %s", orgPD, end.Events, evMerge)
	}
	before, err := s.CountMembers(ctx, orgPD, last, dangvu.CountFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if before == 0 {
		t.Fatalf("%s has no members on its last day: the test cannot tell where they went", orgPD)
	}
	if len(end.Successors) != 1 || end.Successors[0].Org.ID != orgPDN || end.Successors[0].Members != before {
		t.Errorf("OrgEnd(%s) successors %+v, want all %d members in %s", orgPD, end.Successors, before, orgPDN)
	}
	if inForce, err := s.OrgEnd(ctx, orgPDN); err != nil || !inForce.LastDay.IsZero() {
		t.Errorf("OrgEnd(%s) of an organisation in force: %+v, %v", orgPDN, inForce, err)
	}
	errorCode(t, func() error { _, err := s.OrgEnd(ctx, "NOPE"); return err }(), dangvu.ENotFound)

	// Moving an account of the ended ward to its successor.
	if _, err := s.CreateUser(ctx, "test", dangvu.User{Username: "pd.staff", UserRole: dangvu.UserStaffOrg, OrgID: orgPD}, "mat-khau-dai"); err != nil {
		t.Fatal(err)
	}
	today := day(SplitDate)
	for _, c := range []struct {
		name, user, org, code string
	}{
		{"ended organisation", "pd.staff", orgPD, dangvu.ENotFound},
		{"unknown organisation", "pd.staff", "NOPE", dangvu.ENotFound},
		{"no organisation", "pd.staff", "", dangvu.EInvalid},
		{"unknown account", "nobody", orgPDN, dangvu.ENotFound},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.MoveUser(ctx, "admin", c.user, c.org, today)
			errorCode(t, err, c.code)
		})
	}
	u, err := s.MoveUser(ctx, "admin", "PD.Staff", orgPDN, today)
	if err != nil || u.OrgID != orgPDN {
		t.Fatalf("MoveUser = %+v, %v", u, err)
	}
	if got, err := s.UserByUsername(ctx, "pd.staff"); err != nil || got.OrgID != orgPDN {
		t.Errorf("after the move: %+v, %v", got, err)
	}
	entries, err := s.AuditLog(ctx, "user", "pd.staff", 10)
	if err != nil {
		t.Fatal(err)
	}
	moved := false
	for _, e := range entries {
		if e.Action == "move" && e.Actor == "admin" && strings.Contains(e.Before, orgPD) && strings.Contains(e.After, orgPDN) {
			moved = true
		}
	}
	if !moved {
		t.Errorf("no audit entry for the move: %+v", entries)
	}
}

// testFindOrg: an organisation field takes a code, a name or any unambiguous part of a name,
// within a subtree when one is given; ambiguous parts are refused with the candidates.
func testFindOrg(t *testing.T, s *store.Store) {
	ctx := t.Context()
	ub, err := s.Org(ctx, orgUB, day("2019-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		ref, on, within, want, code string
	}{
		{orgPD, "2019-01-01", "", orgPD, ""},
		{"Đảng bộ phường Phương Đông", "2019-01-01", "", orgPD, ""},
		{"phuong dong", "2019-01-01", "", orgPD, ""},              // a part, without diacritics
		{"Phương Đông", "2021-06-01", "", orgPDN, ""},             // after the merge, the only match
		{"Uông Bí", "2019-01-01", "", orgUB, ""},                  // the highest match
		{"Đông Tâm", "2019-06-01", ub.Path, "", dangvu.ENotFound}, // Đồng Tâm lies outside Uông Bí since the move
		{"Đông Tâm", "2019-01-01", ub.Path, cellDongTam, ""},      // …and inside it before
		{"khu 1", "2019-01-01", "", "", dangvu.EInvalid},          // two cells named khu 1
		{orgPD, "2021-06-01", "", "", dangvu.ENotFound},           // a code not in force is not a part of a name
		{"không có", "2019-01-01", "", "", dangvu.ENotFound},
	} {
		o, err := s.FindOrg(ctx, c.ref, day(c.on), c.within)
		if c.code != "" {
			if dangvu.ErrorCode(err) != c.code {
				t.Errorf("FindOrg(%q, %s) = %s, %v; want %s", c.ref, c.on, o.ID, err, c.code)
			}
			continue
		}
		if err != nil || o.ID != c.want {
			t.Errorf("FindOrg(%q, %s) = %s, %v; want %s", c.ref, c.on, o.ID, err, c.want)
		}
	}
}

// testCreateMember: a member keyed in from the pages gets the next id of the series, statuses
// from their dates, the cell from arrival and a transfer-in movement; a cell not in force or an
// arrival before admission is refused with nothing written.
func testCreateMember(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	s := loadedStore(t, f, open)
	ctx := t.Context()
	on := day("2021-06-01")
	before, err := s.CountMembers(ctx, orgPDN, on, dangvu.CountFilter{})
	if err != nil {
		t.Fatal(err)
	}
	m := dangvu.Member{FullName: "Hoàng Văn Mới", Gender: dangvu.Male, BirthDate: "1990", AdmittedOn: dangvu.MustDate("2015-05-19"), FullOn: dangvu.MustDate("2016-05-19")}
	for _, c := range []struct {
		name  string
		a     dangvu.Arrival
		field string
	}{
		{"cell ended", dangvu.Arrival{OrgID: cellPD1, On: dangvu.MustDate("2021-06-01")}, "org_id"},
		{"not a cell", dangvu.Arrival{OrgID: orgPDN, On: dangvu.MustDate("2021-06-01")}, "org_id"},
		{"before admission", dangvu.Arrival{OrgID: cellPD2, On: dangvu.MustDate("2014-01-01")}, "on"},
	} {
		_, err := s.CreateMember(ctx, "test", m, c.a)
		if e := errorCode(t, err, dangvu.EInvalid); e != nil && (len(e.Fields) == 0 || e.Fields[0].Field != c.field) {
			t.Errorf("%s: %+v", c.name, e.Fields)
		}
	}
	got, err := s.CreateMember(ctx, "test", m, dangvu.Arrival{OrgID: cellPD2, On: dangvu.MustDate("2021-06-01"), From: "Đảng bộ tỉnh Bắc Giang", Document: "Số 12-GGT/TU"})
	if err != nil {
		t.Fatal(err)
	}
	if got.ID == "" || got.Status != dangvu.StatusFull || got.OrgID != cellPD2 {
		t.Errorf("created %+v", got)
	}
	if after, err := s.CountMembers(ctx, orgPDN, on, dangvu.CountFilter{}); err != nil || after != before+1 {
		t.Errorf("members of %s: %d → %d, %v", orgPDN, before, after, err)
	}
	if was, err := s.CountMembers(ctx, orgPDN, day("2021-05-31"), dangvu.CountFilter{}); err != nil || was != before {
		t.Errorf("the member counts before arriving: %d, want %d, %v", was, before, err)
	}
	h, err := s.MemberHistory(ctx, got.ID)
	if err != nil || len(h.Movements) != 1 || h.Movements[0].Kind != dangvu.MoveTransferIn || h.Movements[0].External != "Đảng bộ tỉnh Bắc Giang" || len(h.Statuses) != 2 {
		t.Errorf("history %+v, %v", h, err)
	}
	next, err := s.CreateMember(ctx, "test", m, dangvu.Arrival{OrgID: cellPD2, On: dangvu.MustDate("2021-06-01")})
	if err != nil || next.ID <= got.ID || len(next.ID) != len(got.ID) {
		t.Errorf("next id %q after %q, %v", next.ID, got.ID, err)
	}
}
