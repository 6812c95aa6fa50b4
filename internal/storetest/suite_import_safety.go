package storetest

import (
	"slices"
	"strings"
	"testing"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/store"
)

// panicReader is an import file whose reading panics inside one table, after some of its rows
// have already gone to the database: what a bug in a decoder does.
type panicReader struct {
	exchange.Reader
	table string
	after int
}

func (p panicReader) Each(table string, fn exchange.RowFunc) error {
	if table != p.table {
		return p.Reader.Each(table, fn)
	}
	n := 0
	return p.Reader.Each(table, func(row int, rec exchange.Record) error {
		if n++; n > p.after {
			panic("storetest: a decoder bug")
		}
		return fn(row, rec)
	})
}

// testImportPanic: an import that panics half-way writes nothing and leaves the single writer
// free, so later writes (a user, an import, an admission file) succeed.
func testImportPanic(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	s := loadedStore(t, f, open)
	before := takeSnapshot(t, s)
	for _, table := range []string{"members", "memberships", "organisations"} {
		m := f.memory()
		var panicked any
		func() {
			defer func() { panicked = recover() }()
			s.Import(t.Context(), panicReader{m.Reader(), table, 3}, store.ImportOptions{Actor: "storetest", Source: "panic"})
		}()
		if panicked == nil {
			t.Fatalf("%s: the reader's panic did not reach the caller", table)
		}
		sameSnapshot(t, "after a panicking import of "+table, before, takeSnapshot(t, s))
	}
	if _, err := s.CreateUser(t.Context(), "storetest", dangvu.User{Username: "sau-su-co", UserRole: dangvu.UserAdmin}, "mat-khau-sau-su-co"); err != nil {
		t.Fatalf("a write after a panicking import: %v", err)
	}
	importFixture(t, s, f)
}

// testImportUnknownStage: an admission step with an unknown stage is an error naming the row and
// the column, not a panic (issue 12).
func testImportUnknownStage(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	s := loadedStore(t, f, open)
	before := takeSnapshot(t, s)
	m := exchange.NewMemory()
	mustRow(t, m, "admission_files", []string{"HS-2026-001", cellPD2, "Lê Văn Bình", "male", "2000", "12/12", "1", "", "0", ""})
	mustRow(t, m, "admission_steps", strings.Split("HS-2026-001,application,2026-01-05,,,0,0,0,,,,,,,,", ","))
	mustRow(t, m, "admission_steps", strings.Split("HS-2026-001,magic,2026-02-05,,,0,0,0,,,,,,,,", ","))
	_, err := s.Import(t.Context(), m.Reader(), store.ImportOptions{Actor: "storetest", Source: "stage"})
	e := errorCode(t, err, dangvu.EInvalid)
	if !slices.ContainsFunc(e.Fields, func(fe dangvu.FieldError) bool {
		return fe.Table == "admission_steps" && fe.Row == 3 && fe.Field == "stage"
	}) {
		t.Errorf("no error for admission_steps, row 3, column stage: %v", e)
	}
	sameSnapshot(t, "after a refused import", before, takeSnapshot(t, s))
}

// testImportBadValues: values that read well but cannot be true are refused, row and column
// named, the same on both engines (issue 12, item 13).
func testImportBadValues(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	s := loadedStore(t, f, open)
	future := dangvu.ISO(s.Clock.Today().AddDate(3, 0, 0))
	withCCCD := func(id, name, idn string) []string {
		v := memberVals(id, name)
		v[9] = idn
		return v
	}
	withCol := func(v []string, i int, x string) []string { v[i] = x; return v }
	lifeAct := func(id, member, kind, date string) []string {
		return []string{id, member, kind, date, "", "", "", "", "", "", "", ""}
	}
	cases := []struct {
		name   string
		table  string
		rows   [][]string
		row    int
		field  string
		reason string
	}{
		{"admitted in the future", "members", [][]string{withCol(memberVals("N20", "Phan Văn Tới"), 16, future)}, 2, "admitted_on", "sau hôm nay"},
		{"death in the future", "member_statuses", [][]string{{"M11", future, "deceased", "", ""}}, 2, "valid_from", "sau hôm nay"},
		{"death act in the future", "life_acts", [][]string{lifeAct("LA-T1", "M11", "deceased", future)}, 2, "date", "sau hôm nay"},
		{"CCCD of another member", "members", [][]string{withCCCD("N21", "Phan Văn Trùng", "022070001234")}, 2, "id_number", "M01"},
		{"one CCCD twice in the file", "members", [][]string{withCCCD("N22", "Phan Văn Một", "034090001111"), withCCCD("N23", "Phan Văn Hai", "034090001111")}, 3, "id_number", "N22"},
		{"born in 1899", "members", [][]string{withCol(memberVals("N24", "Phan Văn Cụ"), 4, "1899")}, 2, "birth_date", "1900"},
		{"organisation before the Party", "organisations", [][]string{orgVals("QN-UB-CU", "1920-01-01", "Chi bộ cũ", orgUB, "cell")}, 2, "valid_from", "03/02/1930"},
		{"NUL in a name", "members", [][]string{memberVals("N25", "Phan\x00Văn Rỗng")}, 2, "full_name", "ký tự điều khiển"},
		{"bad date shows the forms", "members", [][]string{withCol(memberVals("N26", "Phan Văn Sai"), 16, "2015/31/01")}, 2, "admitted_on", "yyyy-mm-dd"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := takeSnapshot(t, s)
			m := exchange.NewMemory()
			for _, r := range c.rows {
				mustRow(t, m, c.table, r)
			}
			_, err := s.Import(t.Context(), m.Reader(), store.ImportOptions{Actor: "storetest", Source: c.name})
			e := errorCode(t, err, dangvu.EInvalid)
			if !slices.ContainsFunc(e.Fields, func(fe dangvu.FieldError) bool {
				return fe.Table == c.table && fe.Row == c.row && fe.Field == c.field && strings.Contains(fe.Reason, c.reason)
			}) {
				t.Errorf("no error for %s, row %d, column %s saying %q; got:\n%v", c.table, c.row, c.field, c.reason, e)
			}
			sameSnapshot(t, "after a refused import", before, takeSnapshot(t, s))
		})
	}
}
