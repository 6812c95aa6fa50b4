package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/store"
)

func testUpdateMemberAudit(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	s := loadedStore(t, f, open)
	ctx := t.Context()
	today := time.Now()
	before := exportRows(t, s)

	m, err := s.Member(ctx, "M05", today)
	if err != nil {
		t.Fatal(err)
	}
	oldName := m.FullName
	m.FullName = "  Hoàng   Văn Bảo " // stored trimmed, with single spaces
	m.Phone = "0912345678"
	got, err := s.UpdateMember(ctx, "cán bộ tổ chức", m)
	if err != nil {
		t.Fatalf("UpdateMember: %v", err)
	}
	if got.FullName != "Hoàng Văn Bảo" || got.Phone != "0912345678" || got.OrgID != cell1B {
		t.Errorf("UpdateMember returned %+v", got)
	}

	// The audit entry holds the old and the new value of each changed field, and nothing else;
	// a sensitive field masked (the log is read by roles that may not reveal it).
	log, err := s.AuditLog(ctx, "member", "M05", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 {
		t.Fatalf("audit log for M05 has %d entries, want 1: %+v", len(log), log)
	}
	e := log[0]
	var b, a map[string]string
	if err := json.Unmarshal([]byte(e.Before), &b); err != nil {
		t.Fatalf("audit before %q: %v", e.Before, err)
	}
	if err := json.Unmarshal([]byte(e.After), &a); err != nil {
		t.Fatalf("audit after %q: %v", e.After, err)
	}
	wantB := map[string]string{"full_name": oldName, "phone": ""}
	wantA := map[string]string{"full_name": "Hoàng Văn Bảo", "phone": "*******678"}
	if e.Action != "update" || e.Actor != "cán bộ tổ chức" || e.Entity != "member" || !maps.Equal(b, wantB) || !maps.Equal(a, wantA) {
		t.Errorf("audit entry = %+v\nwant update by cán bộ tổ chức, before %v, after %v", e, wantB, wantA)
	}
	if n, err := s.VerifyAudit(ctx); err != nil || n != 2 {
		t.Errorf("VerifyAudit = %d, %v; want 2 entries (import, update)", n, err)
	}

	// Search follows the new name; the export changed in that one row only.
	if p, err := s.Members(ctx, dangvu.MemberFilter{AsOf: today, Query: "hoang van bao"}); err != nil || !slices.Equal(memberIDs(p.Members), []string{"M05"}) {
		t.Errorf("search for the new name = %v, %v", memberIDs(p.Members), err)
	}
	if p, err := s.Members(ctx, dangvu.MemberFilter{AsOf: today, Query: "hoang van binh"}); err != nil || len(p.Members) != 0 {
		t.Errorf("search for the old name = %v, %v; want nothing", memberIDs(p.Members), err)
	}
	if p, err := s.Members(ctx, dangvu.MemberFilter{AsOf: today, Query: "bao"}); err != nil || !slices.Contains(memberIDs(p.Members), "M05") {
		t.Errorf("search for the new given name = %v, %v", memberIDs(p.Members), err)
	}
	if p, err := s.Members(ctx, dangvu.MemberFilter{AsOf: today, Query: "binh"}); err != nil || slices.Contains(memberIDs(p.Members), "M05") {
		t.Errorf("search for the old given name = %v, %v; want no M05", memberIDs(p.Members), err)
	}
	after := exportRows(t, s)
	i := slices.IndexFunc(before["members"], func(r []string) bool { return r[0] == "M05" })
	before["members"][i][1], before["members"][i][10] = "Hoàng Văn Bảo", "0912345678"
	sameRows(t, "export after update", before, after)

	t.Run("no change, no entry", func(t *testing.T) {
		m, err := s.Member(ctx, "M05", today)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateMember(ctx, "cán bộ tổ chức", m); err != nil {
			t.Fatal(err)
		}
		if n, err := s.VerifyAudit(ctx); err != nil || n != 2 {
			t.Errorf("VerifyAudit = %d, %v; want still 2 entries", n, err)
		}
	})
	t.Run("gender change moves the counts", func(t *testing.T) {
		var want []int
		for _, d := range []string{"2016-01-01", "2022-01-01"} {
			n, err := s.CountMembers(ctx, orgUB, day(d), dangvu.CountFilter{Gender: dangvu.Female})
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, n+1)
		}
		m, err := s.Member(ctx, "M05", today)
		if err != nil {
			t.Fatal(err)
		}
		m.Gender = dangvu.Female
		if _, err := s.UpdateMember(ctx, "cán bộ tổ chức", m); err != nil {
			t.Fatal(err)
		}
		for i, d := range []string{"2016-01-01", "2022-01-01"} {
			if n, err := s.CountMembers(ctx, orgUB, day(d), dangvu.CountFilter{Gender: dangvu.Female}); err != nil || n != want[i] {
				t.Errorf("women under Uông Bí on %s = %d, %v; want %d", d, n, err, want[i])
			}
		}
	})
	t.Run("invalid", func(t *testing.T) {
		sn := takeSnapshot(t, s)
		m, err := s.Member(ctx, "M05", today)
		if err != nil {
			t.Fatal(err)
		}
		m.Gender, m.IDNumber = "x", "123"
		_, err = s.UpdateMember(ctx, "cán bộ tổ chức", m)
		e := errorCode(t, err, dangvu.EInvalid)
		var fields []string
		for _, fe := range e.Fields {
			fields = append(fields, fe.Field)
		}
		slices.Sort(fields)
		if !slices.Equal(fields, []string{"gender", "id_number"}) {
			t.Errorf("invalid update names fields %v, want gender and id_number", fields)
		}
		sameSnapshot(t, "after a refused update", sn, takeSnapshot(t, s))
	})
	t.Run("unknown", func(t *testing.T) {
		_, err := s.UpdateMember(ctx, "cán bộ tổ chức", dangvu.Member{ID: "NO-SUCH", FullName: "Ai Đó", Gender: dangvu.Male})
		errorCode(t, err, dangvu.ENotFound)
	})
}

// auditDigest is the audit log's entry hash (sha256 over the length-prefixed fields), written out
// again here so that a forger's rewrite can be simulated.
func auditDigest(e store.AuditEntry) string {
	h := sha256.New()
	for _, s := range []string{fmt.Sprint(e.Seq), e.At, e.Actor, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.PrevHash} {
		fmt.Fprintf(h, "%d:%s|", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func testAuditTamper(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	tests := []struct {
		name   string
		tamper func(log []store.AuditEntry) string // returns the SQL to run; log is oldest first
	}{
		{"edit a value", func([]store.AuditEntry) string {
			return `UPDATE audit_log SET after = '{"full_name":"Người Khác"}' WHERE seq = 2`
		}},
		{"edit the actor of the last entry", func([]store.AuditEntry) string {
			return `UPDATE audit_log SET actor = 'admin' WHERE seq = 3`
		}},
		{"delete an entry", func([]store.AuditEntry) string { return `DELETE FROM audit_log WHERE seq = 2` }},
		{"insert an entry with a made-up hash", func(log []store.AuditEntry) string {
			return fmt.Sprintf(`INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash)
				VALUES (4, '2030-01-01T00:00:00Z', 'x', 'update', 'member', 'M01', '', '', '%s', 'abc')`, log[2].Hash)
		}},
		{"rewrite an entry with a recomputed hash", func(log []store.AuditEntry) string {
			e := log[1]
			e.After = `{"full_name":"Người Khác"}`
			e.Hash = auditDigest(e)
			return fmt.Sprintf(`UPDATE audit_log SET after = '%s', hash = '%s' WHERE seq = 2`, e.After, e.Hash)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := loadedStore(t, f, open)
			ctx := t.Context()
			for _, name := range []string{"Hoàng Văn Bảo", "Hoàng Văn Bình"} {
				m, err := s.Member(ctx, "M05", time.Now())
				if err != nil {
					t.Fatal(err)
				}
				m.FullName = name
				if _, err := s.UpdateMember(ctx, "cán bộ tổ chức", m); err != nil {
					t.Fatal(err)
				}
			}
			if n, err := s.VerifyAudit(ctx); err != nil || n != 3 {
				t.Fatalf("VerifyAudit before tampering = %d, %v; want 3 entries", n, err)
			}
			log, err := s.AuditLog(ctx, "", "", 10)
			if err != nil {
				t.Fatal(err)
			}
			slices.Reverse(log)
			if e := log[1]; auditDigest(e) == e.Hash {
				t.Fatalf("entry %d carries its plain SHA-256: the chain is not keyed", e.Seq)
			}
			db := rawDB(t, s)
			if _, err := db.ExecContext(ctx, tc.tamper(log)); err != nil {
				t.Fatalf("tamper: %v", err)
			}
			_, err = s.VerifyAudit(ctx)
			errorCode(t, err, dangvu.EConflict)
		})
	}
}

// badRow is a row of a refused import; field names the column the error must point at ("" for
// a good row that only sets the scene). fields lists acceptable columns when more than one is.
type badRow struct {
	table  string
	vals   []string
	field  string
	fields []string
}

func orgVals(id, from, name, parent, level string) []string {
	return []string{id, from, "", name, parent, level, "ward", "ĐU", ""}
}

func memberVals(id, name string) []string {
	return []string{id, name, "", "female", "1990", "01", "", "", "", "", "", "", "", "", "", "", "2015-01-01", "", "", "", ""}
}

func membershipVals(member, org, from, to string) []string {
	return []string{member, org, from, to, "official", "", ""}
}

func testBadImport(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	cases := []struct {
		name string
		rows []badRow
	}{
		{"bad date", []badRow{
			{table: "organisations", vals: orgVals("QN-UB-NEW1", "32/01/2018", "Đảng bộ phường Mới", orgUB, "grassroots_committee"), field: "valid_from"},
		}},
		{"unknown parent", []badRow{
			{table: "organisations", vals: orgVals("QN-UB-NEW2", "2018-01-01", "Đảng bộ phường Mới", "QN-UB-NOPE", "grassroots_committee"), field: "parent_id"},
		}},
		{"unknown level code", []badRow{
			{table: "organisations", vals: orgVals("QN-UB-NEW3", "2018-01-01", "Đảng bộ phường Mới", orgUB, "commune_level"), field: "level"},
		}},
		{"duplicate id", []badRow{
			{table: "members", vals: memberVals("N01", "Phan Thị Xuân")},
			{table: "members", vals: memberVals("N01", "Phan Thị Yến"), field: "id"},
		}},
		{"membership outside the organisation's validity", []badRow{
			{table: "memberships", vals: membershipVals("M05", orgPD, "2021-01-01", ""), field: "org_id"},
		}},
		{"overlapping official memberships", []badRow{
			{table: "memberships", vals: membershipVals("M09", cellPD2, start, "")},
			{table: "memberships", vals: membershipVals("M09", cellPN1, "2018-01-01", ""), field: "valid_from"},
		}},
		{"duplicate membership key", []badRow{
			{table: "memberships", vals: membershipVals("M10", cellPD2, start, "")},
			{table: "memberships", vals: membershipVals("M10", cellPD2, start, ""), fields: []string{"member_id", "valid_from", "kind"}},
		}},
		{"duplicate status key", []badRow{
			{table: "member_statuses", vals: []string{"M11", "2020-11-20", "probationary", "", ""}},
			{table: "member_statuses", vals: []string{"M11", "2020-11-20", "full", "", ""}, fields: []string{"member_id", "valid_from"}},
		}},
	}
	var all []badRow
	for _, c := range cases {
		all = append(all, c.rows...)
	}
	cases = append(cases, struct {
		name string
		rows []badRow
	}{"all at once", all})

	// One store serves every case: each must leave it as it found it.
	s := loadedStore(t, f, open)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := takeSnapshot(t, s)
			m := exchange.NewMemory()
			type want struct {
				table  string
				row    int
				fields []string
			}
			var wants []want
			rowNo := map[string]int{}
			for _, r := range c.rows {
				mustRow(t, m, r.table, r.vals)
				rowNo[r.table]++
				switch {
				case r.field != "":
					wants = append(wants, want{r.table, rowNo[r.table] + 1, []string{r.field}})
				case r.fields != nil:
					wants = append(wants, want{r.table, rowNo[r.table] + 1, r.fields})
				}
			}
			_, err := s.Import(t.Context(), m.Reader(), store.ImportOptions{Actor: "storetest", Source: c.name})
			sameSnapshot(t, "after a refused import", before, takeSnapshot(t, s))
			e := errorCode(t, err, dangvu.EInvalid)
			for _, w := range wants {
				if !slices.ContainsFunc(e.Fields, func(fe dangvu.FieldError) bool {
					return fe.Table == w.table && fe.Row == w.row && slices.Contains(w.fields, fe.Field) && fe.Reason != ""
				}) {
					t.Errorf("no error for %s, row %d, column %s; got:\n%v", w.table, w.row, strings.Join(w.fields, " or "), e)
				}
			}
			if len(e.Fields) != len(wants) {
				t.Errorf("%d errors listed, want %d:\n%v", len(e.Fields), len(wants), e)
			}
			if !strings.Contains(e.Error(), fmt.Sprintf("dòng %d", wants[0].row)) {
				t.Errorf("message does not name the row: %v", e)
			}
		})
	}
}

func testReimport(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	reimport := func(t *testing.T, s *store.Store, m *exchange.Memory) {
		t.Helper()
		if _, err := s.Import(t.Context(), m.Reader(), store.ImportOptions{Actor: "storetest", Source: "update"}); err != nil {
			t.Fatalf("re-import: %v", err)
		}
	}
	// checkAgainst compares the store with a changed fixture: its export and its counts.
	checkAgainst := func(t *testing.T, s *store.Store, g *fixture) {
		t.Helper()
		sameRows(t, "export after re-import", wantExport(g), exportRows(t, s))
		for _, d := range countDays() {
			for _, id := range []string{"", orgUB, orgDT, orgTYC, cellPN1, cellDongTam} {
				if _, ok := g.orgOn(id, d); id != "" && !ok {
					continue
				}
				n, err := s.CountMembers(t.Context(), id, day(d), dangvu.CountFilter{})
				if want := g.count(id, d, rosterFilter{}); err != nil || n != want {
					t.Errorf("CountMembers(%q, %s) = %d, %v; want %d", id, d, n, err, want)
				}
			}
		}
		if n, err := s.VerifyAudit(t.Context()); err != nil || n != 2 {
			t.Errorf("VerifyAudit = %d, %v; want 2 entries (two imports)", n, err)
		}
	}

	t.Run("same data again changes nothing", func(t *testing.T) {
		s := loadedStore(t, f, open)
		reimport(t, s, f.memory())
		checkAgainst(t, s, f)
	})

	t.Run("member renamed", func(t *testing.T) {
		s := loadedStore(t, f, open)
		g := newFixture()
		p := &g.persons[slices.IndexFunc(g.persons, func(p person) bool { return p.ID == "M05" })]
		p.Name = "Hoàng Văn Bảo"
		m := exchange.NewMemory()
		mustRow(t, m, "members", p.memberRow())
		reimport(t, s, m)
		checkAgainst(t, s, g)
		got, err := s.Members(t.Context(), dangvu.MemberFilter{AsOf: day("2022-01-01"), Query: "hoang van bao"})
		if err != nil || !slices.Equal(memberIDs(got.Members), []string{"M05"}) {
			t.Errorf("search for the new name = %v, %v", memberIDs(got.Members), err)
		}
		if got, err := s.Members(t.Context(), dangvu.MemberFilter{AsOf: day("2022-01-01"), Query: "van bao"}); err != nil || !slices.Equal(memberIDs(got.Members), []string{"M05"}) {
			t.Errorf("search for the new name from its middle word = %v, %v", memberIDs(got.Members), err)
		}
		h, err := s.MemberHistory(t.Context(), "M05")
		if err != nil || len(h.Memberships) != 2 || len(h.Statuses) != 2 {
			t.Errorf("the member's history should be kept: %+v, %v", h, err)
		}
	})

	t.Run("member history replaced", func(t *testing.T) {
		s := loadedStore(t, f, open)
		g := newFixture()
		// M15 moved from Phương Nam's cell 1 to Đồng Tâm in 2018; M16 died in 2019.
		p15 := &g.persons[slices.IndexFunc(g.persons, func(p person) bool { return p.ID == "M15" })]
		p15.Memberships = []membershipRow{in(cellPN1, "2015-06-01", "2018-01-01"), in(cellDongTam, "2018-01-01", "")}
		p16 := &g.persons[slices.IndexFunc(g.persons, func(p person) bool { return p.ID == "M16" })]
		p16.Statuses = append(p16.Statuses, statusRow{From: "2019-05-05", Status: dangvu.StatusDeceased, Reason: "Từ trần"})
		p16.Memberships = []membershipRow{in(cellPN1, start, "2019-05-05")}
		m := exchange.NewMemory()
		for _, ms := range p15.Memberships {
			mustRow(t, m, "memberships", []string{p15.ID, ms.Org, ms.From, ms.To, string(ms.Kind), "", ms.Event})
		}
		for _, ms := range p16.Memberships {
			mustRow(t, m, "memberships", []string{p16.ID, ms.Org, ms.From, ms.To, string(ms.Kind), "", ms.Event})
		}
		for _, st := range p16.Statuses {
			mustRow(t, m, "member_statuses", []string{p16.ID, st.From, string(st.Status), "", st.Reason})
		}
		reimport(t, s, m)
		checkAgainst(t, s, g)
	})

	t.Run("in two steps", func(t *testing.T) {
		// The events first, then the rest referring to them.
		s := open(t)
		events, rest := exchange.NewMemory(), exchange.NewMemory()
		for _, tb := range exchange.Tables() {
			for _, r := range f.rows()[tb.Name] {
				if tb.Name == "reorganisations" {
					mustRow(t, events, tb.Name, r)
				} else {
					mustRow(t, rest, tb.Name, r)
				}
			}
		}
		reimport(t, s, events)
		reimport(t, s, rest)
		checkAgainst(t, s, f)
	})

	t.Run("ending an organisation that still has members", func(t *testing.T) {
		// Phương Đông's cell 2 would end in 2022 while four members still belong to it: the same
		// rows in one file are refused, so they must be here too, or the database holds what no
		// import can load again.
		s := loadedStore(t, f, open)
		before := takeSnapshot(t, s)
		m := exchange.NewMemory()
		for _, o := range f.orgs {
			if o.ID == cellPD2 {
				if o.To == "" {
					o.To = "2022-01-01"
				}
				mustRow(t, m, "organisations", []string{o.ID, o.From, o.To, o.Name, o.Parent, string(o.Level), string(o.Kind), o.Issuer, o.Event})
			}
		}
		_, err := s.Import(t.Context(), m.Reader(), store.ImportOptions{Actor: "storetest", Source: "end"})
		if err == nil {
			t.Errorf("an import that leaves memberships outside their organisation's validity was accepted")
			dir := filepath.Join(t.TempDir(), "export")
			exportTo(t, s, dir)
			r, err := exchange.Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := open(t).Import(t.Context(), r, store.ImportOptions{}); err != nil {
				t.Errorf("and its export cannot be imported into an empty database: %v", err)
			}
			return
		}
		errorCode(t, err, dangvu.EInvalid)
		sameSnapshot(t, "after a refused import", before, takeSnapshot(t, s))
	})

	t.Run("organisation history replaced", func(t *testing.T) {
		s := loadedStore(t, f, open)
		g := newFixture()
		// Phương Đông's cell 2 is renamed in 2023: its file rows are its whole new history.
		const renamed = "2023-01-01"
		var rows [][]string
		for i, o := range g.orgs {
			if o.ID == cellPD2 && o.To == "" {
				g.orgs[i].To = renamed
				g.orgs = slices.Insert(g.orgs, i+1, orgRow{cellPD2, renamed, "", "Chi bộ khu 2 Phương Đông", orgPDN, dangvu.LevelCell, dangvu.KindResidential, "CB", ""})
				break
			}
		}
		for _, o := range g.orgs {
			if o.ID == cellPD2 {
				rows = append(rows, []string{o.ID, o.From, o.To, o.Name, o.Parent, string(o.Level), string(o.Kind), o.Issuer, o.Event})
			}
		}
		m := exchange.NewMemory()
		for _, r := range rows {
			mustRow(t, m, "organisations", r)
		}
		reimport(t, s, m)
		checkAgainst(t, s, g)
		if o, err := s.ResolveOrg(t.Context(), "chi bo khu 2 phuong dong", day("2023-06-01")); err != nil || o.ID != cellPD2 {
			t.Errorf("the renamed cell = %+v, %v", o, err)
		}
	})
}

func testRoundTrip(t *testing.T, f *fixture, shared *store.Store, open func(t *testing.T) *store.Store) {
	first := exportCSV(t, shared)
	// The files follow docs/data-format.md: UTF-8 without BOM, header first, \n line ends.
	for _, tb := range exchange.Tables() {
		b, ok := first[tb.Name+".csv"]
		if !ok {
			t.Errorf("export has no %s.csv", tb.Name)
			continue
		}
		if !strings.HasPrefix(string(b), strings.Join(tb.Columns, ",")+"\n") || strings.Contains(string(b), "\r") {
			t.Errorf("%s.csv does not start with its header line or has \\r: %.80q", tb.Name, b)
		}
	}
	if len(first) != len(exchange.Tables())+1 || first[exchange.ManifestFile] == nil {
		t.Errorf("export wrote %d files, want one per table (%d) and %s", len(first), len(exchange.Tables()), exchange.ManifestFile)
	}
	for _, format := range []string{"csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "data")
			if format == "xlsx" {
				path += ".xlsx"
			}
			exportTo(t, shared, path)
			if format == "xlsx" {
				if st, err := os.Stat(path); err != nil || st.IsDir() {
					t.Fatalf("no workbook at %s: %v", path, err)
				}
			}
			r, err := exchange.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			s := open(t)
			if _, err := s.Import(t.Context(), r, store.ImportOptions{Actor: "storetest", Source: filepath.Base(path)}); err != nil {
				t.Fatalf("import %s: %v", format, err)
			}
			sameFiles(t, "export → "+format+" → import → export", first, exportCSV(t, s))
		})
	}
}

func mustRow(t *testing.T, m *exchange.Memory, table string, vals []string) {
	t.Helper()
	if err := m.Row(table, vals); err != nil {
		t.Fatal(err)
	}
}
