// Package storetest is the conformance suite of internal/store: one set of subtests that the
// store must pass on every engine it supports (SQLite and PostgreSQL), run against fresh databases
// made by OpenSQLite and OpenPostgres.
//
// The suite loads a small fixture (see fixture.go: a province, two districts, wards and cells, 31
// members, a move, a merge and a split) through the ordinary import path and checks what the store
// answers against an oracle that computes the same figures directly from the fixture's rows.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
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

// Run runs the conformance suite. open must return a fresh, migrated, empty store that is closed
// when its test ends; each subtest that writes opens its own.
func Run(t *testing.T, open func(t *testing.T) *store.Store) {
	open = countsChecked(open)
	f := newFixture()
	t.Run("ImportIntoEmpty", func(t *testing.T) { testImportIntoEmpty(t, f, open(t)) })

	// The read-only subtests share one loaded store; it lives until Run returns.
	shared := open(t)
	importFixture(t, shared, f)
	t.Run("OrgsAsOf", func(t *testing.T) { testOrgsAsOf(t, f, shared) })
	t.Run("OrgParents", func(t *testing.T) { testOrgParents(t, shared) })
	t.Run("OrgHistory", func(t *testing.T) { testOrgHistory(t, shared) })
	t.Run("FormerParents", func(t *testing.T) { testFormerParents(t, shared) })
	t.Run("OrgsFilter", func(t *testing.T) { testOrgsFilter(t, f, shared) })
	t.Run("CountMembers", func(t *testing.T) { testCountMembers(t, f, shared) })
	t.Run("CountAcrossChanges", func(t *testing.T) { testCountAcrossChanges(t, f, shared) })
	t.Run("ResolveOrg", func(t *testing.T) { testResolveOrg(t, shared) })
	t.Run("MembersSearch", func(t *testing.T) { testMembersSearch(t, shared) })
	t.Run("MembersPaging", func(t *testing.T) { testMembersPaging(t, f, shared) })
	t.Run("MembersNameOrder", func(t *testing.T) { testMembersNameOrder(t, shared) })
	t.Run("MembersCapped", func(t *testing.T) { testMembersCapped(t, f, shared) })
	t.Run("Member", func(t *testing.T) { testMember(t, f, shared) })
	t.Run("MemberHistory", func(t *testing.T) { testMemberHistory(t, f, shared) })
	t.Run("TermReport", func(t *testing.T) { testTermReport(t, f, shared) })
	t.Run("InScope", func(t *testing.T) { testInScope(t, shared) })
	t.Run("FindOrg", func(t *testing.T) { testFindOrg(t, shared) })
	t.Run("SubtreeExport", func(t *testing.T) { testSubtreeExport(t, shared, open) })

	// Subtests that write get a store of their own.
	t.Run("UpdateMemberAudit", func(t *testing.T) { testUpdateMemberAudit(t, f, open) })
	t.Run("AuditTamper", func(t *testing.T) { testAuditTamper(t, f, open) })
	t.Run("AuditKeyed", func(t *testing.T) { testAuditKeyed(t, f, open) })
	t.Run("AuditHeadRecord", func(t *testing.T) { testAuditHeadRecord(t, f, open) })
	t.Run("AuditLegacySwitch", func(t *testing.T) { testAuditLegacySwitch(t, f, open) })
	t.Run("AuditConcurrent", func(t *testing.T) { testAuditConcurrent(t, f, open) })
	t.Run("TOTPEncrypted", func(t *testing.T) { testTOTPEncrypted(t, f, open) })
	t.Run("BadImport", func(t *testing.T) { testBadImport(t, f, open) })
	t.Run("ImportPanic", func(t *testing.T) { testImportPanic(t, f, open) })
	t.Run("ImportUnknownStage", func(t *testing.T) { testImportUnknownStage(t, f, open) })
	t.Run("ImportBadValues", func(t *testing.T) { testImportBadValues(t, f, open) })
	t.Run("Reimport", func(t *testing.T) { testReimport(t, f, open) })
	t.Run("UsersLogin", func(t *testing.T) { testUsersLogin(t, f, open) })
	t.Run("UsersSessions", func(t *testing.T) { testUsersSessions(t, f, open) })
	t.Run("UsersTOTP", func(t *testing.T) { testUsersTOTP(t, f, open) })
	t.Run("LoginThrottle", func(t *testing.T) { testLoginThrottle(t, f, open) })
	t.Run("CredentialsEnd", func(t *testing.T) { testCredentialsEnd(t, f, open) })
	t.Run("OrgEnd", func(t *testing.T) { testOrgEnd(t, f, open) })
	t.Run("OrgMemo", func(t *testing.T) { testOrgMemo(t, f, open) })
	t.Run("CreateMember", func(t *testing.T) { testCreateMember(t, f, open) })
	t.Run("RoundTrip", func(t *testing.T) { testRoundTrip(t, f, shared, open) })
	t.Run("MergeImport", func(t *testing.T) { testMergeImport(t, f, open) })
	t.Run("ScopedImport", func(t *testing.T) { testScopedImport(t, f, open) })
	t.Run("MergeRemoves", func(t *testing.T) { testMergeRemoves(t, f, open) })
	t.Run("MergeConflicts", func(t *testing.T) { testMergeConflicts(t, f, open) })
	t.Run("ScopedReferences", func(t *testing.T) { testScopedReferences(t, f, open) })
	t.Run("MergeReferenceConferences", func(t *testing.T) { testMergeReferenceConferences(t, f, open) })
	t.Run("AdmissionStory", func(t *testing.T) { testAdmissionStory(t, f, open) })
	t.Run("Inspection", func(t *testing.T) { testInspection(t, f, open) })
	t.Run("DisciplineEffects", func(t *testing.T) { testDisciplineEffects(t, f, open) })
	t.Run("Reviews", func(t *testing.T) { testReviews(t, f, open) })
	t.Run("Dissemination", func(t *testing.T) { testDissemination(t, f, open) })
	t.Run("Dues", func(t *testing.T) { testDues(t, f, open) })
	t.Run("MemberFiles", func(t *testing.T) { testMemberFiles(t, f, open) })
	t.Run("Meetings", func(t *testing.T) { testMeetings(t, f, open) })
	t.Run("ReorgDay", func(t *testing.T) { testReorgDay(t, open) })
	t.Run("OracleWorlds", func(t *testing.T) { testOracleWorlds(t, open) })
}

// day parses an ISO date of the fixture.
func day(s string) time.Time {
	d, err := time.Parse(dangvu.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return d
}

// prev is the day before an ISO date.
func prev(s string) string { return dangvu.ISO(day(s).AddDate(0, 0, -1)) }

func importFixture(t *testing.T, s *store.Store, f *fixture) store.ImportResult {
	t.Helper()
	res, err := s.Import(t.Context(), f.memory().Reader(), store.ImportOptions{Actor: "storetest", Source: "fixture"})
	if err != nil {
		t.Fatalf("import fixture: %v", err)
	}
	return res
}

// loadedStore opens a fresh store and loads the fixture into it.
func loadedStore(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) *store.Store {
	t.Helper()
	s := open(t)
	importFixture(t, s, f)
	return s
}

// exportRows exports a store into memory and returns each table's rows.
// reportFigure is one figure of org's term report over from..to (ISO dates), as of to.
func reportFigure(t *testing.T, s *store.Store, org, from, to, key string) any {
	t.Helper()
	r, err := s.TermReport(context.Background(), dangvu.ReportQuery{Org: org, From: day(from), To: day(to)})
	if err != nil {
		t.Fatal(err)
	}
	v, _ := r.Get(key)
	return v
}

func exportRows(t *testing.T, s *store.Store) map[string][][]string {
	t.Helper()
	m := exchange.NewMemory()
	if err := s.Export(t.Context(), m, nil); err != nil {
		t.Fatalf("export: %v", err)
	}
	return readAll(t, m.Reader())
}

// readAll reads every table of a data set.
func readAll(t *testing.T, r exchange.Reader) map[string][][]string {
	t.Helper()
	out := map[string][][]string{}
	for _, tb := range exchange.Tables() {
		out[tb.Name] = [][]string{}
		err := r.Each(tb.Name, func(_ int, rec exchange.Record) error {
			row := make([]string, len(tb.Columns))
			for i, c := range tb.Columns {
				row[i] = rec.Get(c)
			}
			out[tb.Name] = append(out[tb.Name], row)
			return nil
		})
		if err != nil {
			t.Fatalf("read %s: %v", tb.Name, err)
		}
	}
	return out
}

// putRow adds a row to a data set, given by column; a column the exchange format's table lacks
// fails the test (a misspelt column would otherwise be an empty cell).
func putRow(t *testing.T, m *exchange.Memory, table string, kv map[string]string) {
	t.Helper()
	tb, ok := exchange.Lookup(table)
	if !ok {
		t.Fatalf("no exchange table %s", table)
	}
	vals := make([]string, len(tb.Columns))
	for i, c := range tb.Columns {
		vals[i] = kv[c]
	}
	for c := range kv {
		if !slices.Contains(tb.Columns, c) {
			t.Fatalf("table %s has no column %s", table, c)
		}
	}
	if err := m.Row(table, vals); err != nil {
		t.Fatal(err)
	}
}

// errorsAt checks that a refused import names each place "table/row/field" (the table without
// its .csv).
func errorsAt(t *testing.T, e *dangvu.Error, places ...string) {
	t.Helper()
	named := map[string]bool{}
	if e != nil {
		for _, fe := range e.Fields {
			named[fmt.Sprintf("%s/%d/%s", strings.TrimSuffix(fe.Table, ".csv"), fe.Row, fe.Field)] = true
		}
	}
	for _, p := range places {
		if !named[p] {
			t.Errorf("no error at %s: %v", p, e)
		}
	}
}

// exportCSV exports a store into a new CSV folder and returns its files' contents by name.
func exportCSV(t *testing.T, s *store.Store) map[string][]byte {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "export")
	exportTo(t, s, dir)
	return readFiles(t, dir)
}

func exportTo(t *testing.T, s *store.Store, path string) {
	t.Helper()
	w, err := exchange.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Export(t.Context(), w, nil); err != nil {
		t.Fatalf("export %s: %v", filepath.Base(path), err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("close %s: %v", filepath.Base(path), err)
	}
}

func readFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

// sameFiles reports every file that is missing on one side or differs, with its first differing line.
func sameFiles(t *testing.T, what string, want, got map[string][]byte) {
	t.Helper()
	var names []string
	for n := range want {
		names = append(names, n)
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for _, n := range names {
		w, okw := want[n]
		g, okg := got[n]
		switch {
		case !okw:
			t.Errorf("%s: unexpected file %s", what, n)
		case !okg:
			t.Errorf("%s: missing file %s", what, n)
		case !bytes.Equal(w, g):
			wl, gl := bytes.Split(w, []byte("\n")), bytes.Split(g, []byte("\n"))
			for i := 0; i < max(len(wl), len(gl)); i++ {
				var a, b []byte
				if i < len(wl) {
					a = wl[i]
				}
				if i < len(gl) {
					b = gl[i]
				}
				if !bytes.Equal(a, b) {
					t.Errorf("%s: %s differs at line %d:\nwant %q\ngot  %q", what, n, i+1, a, b)
					break
				}
			}
		}
	}
	if len(want) == 0 {
		t.Errorf("%s: no files", what)
	}
}

// snapshot is what must not change when an import is refused: every table's export, the member
// counts on a few days and the length of the audit log.
type snapshot struct {
	files  map[string][]byte
	counts []int
	audit  int
}

func takeSnapshot(t *testing.T, s *store.Store) snapshot {
	t.Helper()
	sn := snapshot{files: exportCSV(t, s)}
	for _, d := range []string{"2016-01-01", MoveDate, MergeDate, SplitDate, "2024-01-01"} {
		n, err := s.CountMembers(t.Context(), "", day(d), dangvu.CountFilter{})
		if err != nil {
			t.Fatalf("count on %s: %v", d, err)
		}
		sn.counts = append(sn.counts, n)
	}
	log, err := s.AuditLog(t.Context(), "", "", 1000)
	if err != nil {
		t.Fatalf("audit log: %v", err)
	}
	sn.audit = len(log)
	return sn
}

func sameSnapshot(t *testing.T, what string, before, after snapshot) {
	t.Helper()
	sameFiles(t, what, before.files, after.files)
	if !slices.Equal(before.counts, after.counts) {
		t.Errorf("%s: member counts changed from %v to %v", what, before.counts, after.counts)
	}
	if before.audit != after.audit {
		t.Errorf("%s: audit log had %d entries, now %d", what, before.audit, after.audit)
	}
}

// errorCode asserts err is a *dangvu.Error with the code and returns it.
func errorCode(t *testing.T, err error, code string) *dangvu.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want code %s", code)
	}
	var e *dangvu.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %T %v, want a *dangvu.Error with code %s", err, err, code)
	}
	if e.Code != code {
		t.Fatalf("got code %s (%v), want %s", e.Code, err, code)
	}
	return e
}

// countsChecked wraps open so that every store a subtest opens — after all the writes the
// subtest made — has the member counts kept for the top of the tree equal to the direct count of
// the roster, and the dues figures kept for it equal to their recomputation from the records
// (issue 20: derived data never goes stale).
func countsChecked(open func(t *testing.T) *store.Store) func(t *testing.T) *store.Store {
	return func(t *testing.T) *store.Store {
		s := open(t)
		t.Cleanup(func() {
			if t.Failed() {
				return
			}
			diffs, err := s.RosterCountsAgree(context.Background(), nil)
			if err != nil {
				if strings.Contains(err.Error(), "closed") {
					return // the subtest closed its store itself
				}
				t.Errorf("roster counts: %v", err)
			}
			if len(diffs) > 0 {
				t.Errorf("the counts kept for the top of the tree differ from the roster after the subtest's writes (%d):\n%s", len(diffs), strings.Join(diffs[:min(len(diffs), 10)], "\n"))
			}
			diffs, err = s.DuesKeptAgree(context.Background())
			for _, agree := range []func(context.Context) ([]string, error){s.ReachedKeptAgree, s.RosterEndsAgree, s.TalliesAgree} {
				if err == nil {
					var more []string
					more, err = agree(context.Background())
					diffs = append(diffs, more...)
				}
			}
			if err != nil {
				if strings.Contains(err.Error(), "closed") {
					return
				}
				t.Errorf("dues kept: %v", err)
			}
			if len(diffs) > 0 {
				t.Errorf("the dues, file or roster figures kept differ from the records after the subtest's writes (%d):\n%s", len(diffs), strings.Join(diffs[:min(len(diffs), 10)], "\n"))
			}
		})
		return s
	}
}
