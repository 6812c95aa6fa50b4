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
