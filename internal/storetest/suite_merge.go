package storetest

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/store"
)

// tableSums hashes every table of a store's database (derived ones, the roster, the paths and
// the audit log too), rows sorted: what a dry run must leave as it found it.
func tableSums(t *testing.T, s *store.Store) map[string]string {
	t.Helper()
	db := rawDB(t, s)
	q := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if s.Engine() == "postgres" {
		q = `SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`
	}
	names := scanStrings(t, db, q)
	out := map[string]string{}
	for _, n := range names {
		rows, err := db.Query(`SELECT * FROM "` + n + `"`)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]sql.NullString, len(cols))
			dst := make([]any, len(cols))
			for i := range vals {
				dst[i] = &vals[i]
			}
			if err := rows.Scan(dst...); err != nil {
				t.Fatalf("%s: %v", n, err)
			}
			var b strings.Builder
			for _, v := range vals {
				fmt.Fprintf(&b, "%v\x1f%s\x1e", v.Valid, v.String)
			}
			lines = append(lines, b.String())
		}
		rows.Close()
		slices.Sort(lines)
		h := sha256.Sum256([]byte(strings.Join(lines, "\n")))
		out[n] = hex.EncodeToString(h[:])
	}
	return out
}

func scanStrings(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func sameSums(t *testing.T, what string, before, after map[string]string) {
	t.Helper()
	for _, n := range slices.Sorted(maps.Keys(before)) {
		if before[n] != after[n] {
			t.Errorf("%s: table %s changed", what, n)
		}
	}
	if len(before) != len(after) {
		t.Errorf("%s: %d tables, then %d", what, len(before), len(after))
	}
}

// subtreeFile exports root's subtree and returns its rows by table.
func subtreeFile(t *testing.T, s *store.Store, root string) map[string][][]string {
	t.Helper()
	m := exchange.NewMemory()
	if _, err := s.ExportUnder(t.Context(), m, root, time.Now()); err != nil {
		t.Fatalf("export %s: %v", root, err)
	}
	return readAll(t, m.Reader())
}

// memoryOf writes rows into a data set.
func memoryOf(t *testing.T, rows map[string][][]string) *exchange.Memory {
	t.Helper()
	m := exchange.NewMemory()
	for _, tb := range exchange.Tables() {
		for _, r := range rows[tb.Name] {
			if err := m.Row(tb.Name, r); err != nil {
				t.Fatal(err)
			}
		}
	}
	return m
}

// testMergeImport: a ward's file, changed at the ward (a member renamed, a member admitted into
// one of its cells), imported into a database holding the whole tree: a dry run says what would
// change and leaves every table as it was; the import then changes that and only that, and the
// ward's export equals the file; a file with a bad row changes nothing.
func testMergeImport(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	dst := loadedStore(t, f, open)
	src := loadedStore(t, f, open)
	file := subtreeFile(t, src, orgPDN)
	members, _ := exchange.Lookup("members")
	name := slices.Index(members.Columns, "full_name")
	if len(file["members"]) == 0 {
		t.Fatal("the ward's file has no members")
	}
	file["members"][0][name] += " Mới"
	newcomer := slices.Clone(file["members"][len(file["members"])-1])
	newcomer[0], newcomer[slices.Index(members.Columns, "id_number")] = "ZZ-NEW", ""
	file["members"] = append(file["members"], newcomer)
	ships, _ := exchange.Lookup("memberships")
	ship := make([]string, len(ships.Columns))
	for i, c := range ships.Columns {
		ship[i] = map[string]string{"member_id": "ZZ-NEW", "org_id": cell1A, "valid_from": "2022-01-10", "kind": "official"}[c]
	}
	file["memberships"] = append(file["memberships"], ship)
	statuses, _ := exchange.Lookup("member_statuses")
	st := make([]string, len(statuses.Columns))
	for i, c := range statuses.Columns {
		st[i] = map[string]string{"member_id": "ZZ-NEW", "valid_from": "2022-01-10", "status": "full"}[c]
	}
	file["member_statuses"] = append(file["member_statuses"], st)
	others := subtreeFile(t, dst, orgDT)
	counts := func(s *store.Store) []int {
		var out []int
		for _, org := range []string{"", orgQN, orgDT, orgPDN} {
			n, err := s.CountMembers(t.Context(), org, day("2024-01-01"), dangvu.CountFilter{})
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, n)
		}
		return out
	}
	before := counts(dst)

	sums := tableSums(t, dst)
	res, err := dst.Import(t.Context(), memoryOf(t, file).Reader(), store.ImportOptions{Actor: "storetest", Source: "pdn", DryRun: true})
	if err != nil {
		t.Fatalf("dry run: %v", err)
	}
	want := map[string]store.TableChange{"members": {Added: 1, Changed: 1}, "memberships": {Added: 1}, "member_statuses": {Added: 1}}
	for _, tb := range []string{"members", "memberships", "member_statuses", "organisations", "posts", "movements"} {
		if res.Changes[tb] != want[tb] {
			t.Errorf("dry run: %s %+v, want %+v", tb, res.Changes[tb], want[tb])
		}
	}
	if !res.DryRun {
		t.Error("the result does not say it was a dry run")
	}
	sameSums(t, "dry run", sums, tableSums(t, dst))

	real, err := dst.Import(t.Context(), memoryOf(t, file).Reader(), store.ImportOptions{Actor: "storetest", Source: "pdn", Changes: true})
	if err != nil {
		t.Fatalf("merge import: %v", err)
	}
	if !maps.Equal(real.Changes, res.Changes) {
		t.Errorf("the import changed %v, the dry run said %v", real.Changes, res.Changes)
	}
	got := subtreeFile(t, dst, orgPDN)
	for _, tb := range exchange.Tables() {
		if !slices.EqualFunc(got[tb.Name], file[tb.Name], slices.Equal) {
			sortRows(file[tb.Name])
			if !slices.EqualFunc(got[tb.Name], file[tb.Name], slices.Equal) {
				t.Errorf("after the merge import the ward's %s is\n%v\nthe file's\n%v", tb.Name, got[tb.Name], file[tb.Name])
			}
		}
	}
	if after := subtreeFile(t, dst, orgDT); !maps.EqualFunc(after, others, func(a, b [][]string) bool { return slices.EqualFunc(a, b, slices.Equal) }) {
		t.Error("the merge import changed another district's subtree")
	}
	if now, w := counts(dst), before; now[0] != w[0]+1 || now[1] != w[1]+1 || now[2] != w[2] || now[3] != w[3]+1 {
		t.Errorf("members (all, province, other district, ward) on 01/01/2024: %v, before %v", now, w)
	}

	// All or nothing: one bad row, nothing written.
	sums = tableSums(t, dst)
	file["memberships"][len(file["memberships"])-1][1] = "NO-SUCH-ORG"
	_, err = dst.Import(t.Context(), memoryOf(t, file).Reader(), store.ImportOptions{Actor: "storetest", Source: "pdn", Changes: true})
	errorsAt(t, errorCode(t, err, dangvu.EInvalid), fmt.Sprintf("memberships/%d/org_id", len(file["memberships"])+1))
	sameSums(t, "refused merge import", sums, tableSums(t, dst))
}

// sortRows sorts rows as an export writes them (by their cells, which starts with the key).
func sortRows(rows [][]string) {
	slices.SortFunc(rows, func(a, b []string) int { return slices.Compare(a, b) })
}

// testScopedImport: the ward's staff import the ward's file (with a new member in one of its
// cells) within the ward; the same file with one foreign row — a member of another district
// renamed, a term of another district — is refused naming each such row and field, and changes
// nothing; the whole tree's file is refused too.
func testScopedImport(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	s := loadedStore(t, f, open)
	file := subtreeFile(t, s, orgPDN)
	inWard := map[string]bool{}
	for _, r := range file["members"] {
		inWard[r[0]] = true
	}
	var foreign []string
	for _, r := range subtreeFile(t, s, orgDT)["members"] {
		if !inWard[r[0]] {
			foreign = r
			break
		}
	}
	if foreign == nil {
		t.Fatal("fixture: no member of the other district who never was in the ward")
	}
	members, _ := exchange.Lookup("members")
	newcomer := slices.Clone(file["members"][0])
	newcomer[0], newcomer[slices.Index(members.Columns, "id_number")] = "ZZ-NEW", ""
	file["members"] = append(file["members"], newcomer)
	ships, _ := exchange.Lookup("memberships")
	ship := make([]string, len(ships.Columns))
	for i, c := range ships.Columns {
		ship[i] = map[string]string{"member_id": "ZZ-NEW", "org_id": cell1A, "valid_from": "2022-01-10", "kind": "official"}[c]
	}
	file["memberships"] = append(file["memberships"], ship)
	if _, err := s.Import(t.Context(), memoryOf(t, file).Reader(), store.ImportOptions{Actor: "pdn-staff", Source: "pdn", Within: orgPDN}); err != nil {
		t.Fatalf("the ward's own file within the ward: %v", err)
	}

	sums := tableSums(t, s)
	renamed := slices.Clone(foreign)
	renamed[slices.Index(members.Columns, "full_name")] += " Sửa"
	file["members"] = append(file["members"], renamed)
	terms, _ := exchange.Lookup("terms")
	term := make([]string, len(terms.Columns))
	for i, c := range terms.Columns {
		term[i] = map[string]string{"id": "ZZ-TERM", "org_id": orgDT, "name": "2025–2030", "start": "2025-09-01"}[c]
	}
	file["terms"] = append(file["terms"], term)
	_, err := s.Import(t.Context(), memoryOf(t, file).Reader(), store.ImportOptions{Actor: "pdn-staff", Source: "pdn", Within: orgPDN})
	e := errorCode(t, err, dangvu.EInvalid)
	errorsAt(t, e, fmt.Sprintf("members/%d/id", len(file["members"])+1), fmt.Sprintf("terms/%d/org_id", len(file["terms"])+1))
	if len(e.Fields) != 2 {
		t.Errorf("refused rows: %v, want only the two foreign ones", e.Fields)
	}
	for _, fe := range e.Fields {
		if !strings.Contains(fe.Reason, "ngoài phạm vi") {
			t.Errorf("reason %q does not say the row is outside the subtree", fe.Reason)
		}
	}
	sameSums(t, "refused scoped import", sums, tableSums(t, s))

	// The whole tree's file: refused, nothing written.
	_, err = s.Import(t.Context(), f.memory().Reader(), store.ImportOptions{Actor: "pdn-staff", Source: "all", Within: orgPDN})
	errorCode(t, err, dangvu.EInvalid)
	sameSums(t, "the whole tree within a ward", sums, tableSums(t, s))
}

// rowWhere returns the index of the first row of rows whose column col (of table) is v.
func rowWhere(t *testing.T, table string, rows [][]string, col, v string) int {
	t.Helper()
	tb, _ := exchange.Lookup(table)
	i := slices.Index(tb.Columns, col)
	for j, r := range rows {
		if r[i] == v {
			return j
		}
	}
	t.Fatalf("fixture: no %s row with %s %s", table, col, v)
	return -1
}

// conflictsAt checks that a refused import lists a conflict at each "table/row/field" (the
// table without its .csv), and only conflicts there.
func conflictsAt(t *testing.T, e *dangvu.Error, places ...string) {
	t.Helper()
	named := map[string]bool{}
	for _, c := range e.Conflicts {
		named[fmt.Sprintf("%s/%d/%s", strings.TrimSuffix(c.Table, ".csv"), c.Row, c.Field)] = true
		if c.Reason == "" || c.ID == "" {
			t.Errorf("conflict without its id or reason: %+v", c)
		}
	}
	for _, p := range places {
		if !named[p] {
			t.Errorf("no conflict at %s: %+v", p, e.Conflicts)
		}
	}
	if len(named) != len(places) {
		t.Errorf("conflicts at %v, want only %v", slices.Sorted(maps.Keys(named)), places)
	}
	if len(e.Fields) != len(e.Conflicts) {
		t.Errorf("%d conflicts but %d rows in the error's list", len(e.Conflicts), len(e.Fields))
	}
}

// testMergeRemoves: a ward's file is the whole truth of the ward for the tables its
// organisations own. The ward's term is gone from the file: the dry run counts it removed and
// changes nothing, the import removes it, and the city's terms, outside the file's subtree,
// stay.
func testMergeRemoves(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	dst := loadedStore(t, f, open)
	// A second term of the ward, which the file keeps.
	m := exchange.NewMemory()
	mustRow(t, m, "terms", []string{"T-PDN-2025", orgPDN, "2025–2030", "2025-08-01", "", ""})
	if _, err := dst.Import(t.Context(), m.Reader(), store.ImportOptions{Actor: "storetest", Source: "term"}); err != nil {
		t.Fatal(err)
	}
	file := subtreeFile(t, dst, orgPDN)
	i := rowWhere(t, "terms", file["terms"], "id", "T-PDN-2020")
	file["terms"] = slices.Delete(file["terms"], i, i+1)
	others := subtreeFile(t, dst, orgUB)["terms"]

	sums := tableSums(t, dst)
	res, err := dst.Import(t.Context(), memoryOf(t, file).Reader(), store.ImportOptions{Actor: "storetest", Source: "pdn", DryRun: true})
	if err != nil {
		t.Fatalf("dry run: %v", err)
	}
	if got, want := res.Changes["terms"], (store.TableChange{Removed: 1}); got != want {
		t.Errorf("dry run: terms %+v, want %+v", got, want)
	}
	for _, tb := range []string{"members", "memberships", "member_statuses", "organisations"} {
		if res.Changes[tb] != (store.TableChange{}) {
			t.Errorf("dry run: %s %+v, want no change", tb, res.Changes[tb])
		}
	}
	sameSums(t, "dry run", sums, tableSums(t, dst))

	if _, err := dst.Import(t.Context(), memoryOf(t, file).Reader(), store.ImportOptions{Actor: "storetest", Source: "pdn"}); err != nil {
		t.Fatalf("merge import: %v", err)
	}
	if got := subtreeFile(t, dst, orgPDN)["terms"]; len(got) != 1 || got[0][0] != "T-PDN-2025" {
		t.Errorf("the ward's terms after the import: %v, want T-PDN-2025 only", got)
	}
	var kept [][]string
	for _, r := range others {
		if r[0] != "T-PDN-2020" {
			kept = append(kept, r)
		}
	}
	if got := subtreeFile(t, dst, orgUB)["terms"]; !slices.EqualFunc(got, kept, slices.Equal) || len(kept) == 0 {
		t.Errorf("the city's terms after the ward's import: %v, want %v", got, kept)
	}
}

// testMergeConflicts: a ward's file whose stub of the city above differs from the stored city
// (its name, its parent), that claims a member of another district with another name and another
// number on their card, and the city's term as the ward's, is refused with every difference listed — table, row, field, both values — and nothing written.
func testMergeConflicts(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	dst := loadedStore(t, f, open)
	file := subtreeFile(t, dst, orgPDN)
	stubs, _ := exchange.Lookup("external_organisations")
	i := rowWhere(t, "external_organisations", file["external_organisations"], "id", orgUB)
	file["external_organisations"][i][slices.Index(stubs.Columns, "name")] = "Đảng bộ thành phố Uông Bí (sửa)"
	file["external_organisations"][i][slices.Index(stubs.Columns, "parent_id")] = orgDT
	inWard := map[string]bool{}
	for _, r := range file["members"] {
		inWard[r[0]] = true
	}
	var foreign []string
	for _, r := range subtreeFile(t, dst, orgDT)["members"] {
		if !inWard[r[0]] {
			foreign = slices.Clone(r)
			break
		}
	}
	if foreign == nil {
		t.Fatal("fixture: no member of the other district who never was in the ward")
	}
	members, _ := exchange.Lookup("members")
	foreign[slices.Index(members.Columns, "full_name")] += " Sửa"
	file["members"] = append(file["members"], foreign)
	// The foreign member's card, as stored but for its number.
	m := exchange.NewMemory()
	card := []string{"C-FOREIGN", foreign[0], "022099000001", "issue", "2020-05-19", "", "", "", ""}
	mustRow(t, m, "cards", card)
	if _, err := dst.Import(t.Context(), m.Reader(), store.ImportOptions{Actor: "storetest", Source: "card"}); err != nil {
		t.Fatal(err)
	}
	card = slices.Clone(card)
	card[2] = "022099000002"
	file["cards"] = append(file["cards"], card)
	// The city's term, claimed for the ward.
	terms, _ := exchange.Lookup("terms")
	all := readAll(t, exportOf(t, dst))
	term := slices.Clone(all["terms"][rowWhere(t, "terms", all["terms"], "id", "T-UB-2020")])
	term[slices.Index(terms.Columns, "org_id")] = orgPDN
	file["terms"] = append(file["terms"], term)

	sums := tableSums(t, dst)
	for _, dry := range []bool{true, false} {
		_, err := dst.Import(t.Context(), memoryOf(t, file).Reader(), store.ImportOptions{Actor: "storetest", Source: "pdn", DryRun: dry})
		e := errorCode(t, err, dangvu.EConflict)
		conflictsAt(t, e, fmt.Sprintf("external_organisations/%d/name", i+2), fmt.Sprintf("external_organisations/%d/parent_id", i+2),
			fmt.Sprintf("members/%d/full_name", len(file["members"])+1), fmt.Sprintf("terms/%d/org_id", len(file["terms"])+1),
			fmt.Sprintf("cards/%d/number", len(file["cards"])+1))
		for _, c := range e.Conflicts {
			if c.Field == "parent_id" && (c.Stored != orgQN || c.File != orgDT) {
				t.Errorf("conflict on the parent: stored %q, file %q; want %q, %q", c.Stored, c.File, orgQN, orgDT)
			}
		}
		sameSums(t, "import with conflicts", sums, tableSums(t, dst))
	}
}

// testScopedReferences: the ward's staff import the ward's file, which carries the province's
// resolution that a ward conference studied, as the ward's incoming copy. Unchanged, it is
// accepted and the resolution stays as stored; with the resolution's title changed — in the
// ward's whole file, or in a file of the documents alone, without stubs — the import is refused
// with the conflict and the province's resolution is unchanged.
func testScopedReferences(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	s := loadedStore(t, f, open)
	m := exchange.NewMemory()
	mustRow(t, m, "documents", []string{"QN-NQ01", orgQN, "own", "01-NQ/TU", "", "2021-01-10", "", "Nghị quyết của Tỉnh ủy", "", "", "", ""})
	mustRow(t, m, "conferences", []string{"PDN-HN1", "conference", orgPDN, "", "Hội nghị học tập nghị quyết", "2021-02-01", "", "", "", "0"})
	mustRow(t, m, "conference_documents", []string{"PDN-HN1", "QN-NQ01"})
	if _, err := s.Import(t.Context(), m.Reader(), store.ImportOptions{Actor: "storetest", Source: "docs"}); err != nil {
		t.Fatalf("the province's resolution: %v", err)
	}
	file := subtreeFile(t, s, orgPDN)
	doc := rowWhere(t, "documents", file["documents"], "id", "QN-NQ01")
	if _, err := s.Import(t.Context(), memoryOf(t, file).Reader(), store.ImportOptions{Actor: "pdn-staff", Source: "pdn", Within: orgPDN}); err != nil {
		t.Fatalf("the ward's own file within the ward: %v", err)
	}
	original := func() []string {
		t.Helper()
		all := readAll(t, exportOf(t, s))
		return all["documents"][rowWhere(t, "documents", all["documents"], "id", "QN-NQ01")]
	}
	before := original()
	if before[1] != orgQN {
		t.Fatalf("the ward's import made the province's resolution the ward's: %v", before)
	}

	docs, _ := exchange.Lookup("documents")
	file["documents"][doc][slices.Index(docs.Columns, "title")] = "Nghị quyết đã sửa ở phường"
	sums := tableSums(t, s)
	only := map[string][][]string{"documents": file["documents"], "conferences": file["conferences"], "conference_documents": file["conference_documents"]}
	for name, rows := range map[string]map[string][][]string{"the ward's file": file, "the documents alone": only} {
		_, err := s.Import(t.Context(), memoryOf(t, rows).Reader(), store.ImportOptions{Actor: "pdn-staff", Source: "pdn", Within: orgPDN})
		e := errorCode(t, err, dangvu.EConflict)
		conflictsAt(t, e, fmt.Sprintf("documents/%d/title", doc+2))
		sameSums(t, name+" with the province's resolution changed", sums, tableSums(t, s))
		if got := original(); !slices.Equal(got, before) {
			t.Errorf("%s: the province's resolution is %v, was %v", name, got, before)
		}
	}

	// The province's organisation row in the file: as stored, ignored; renamed, a conflict.
	file["documents"][doc] = slices.Clone(before)
	file["documents"][doc][1], file["documents"][doc][2], file["documents"][doc][4] = orgPDN, "incoming", ""
	all := readAll(t, exportOf(t, s))
	province := slices.Clone(all["organisations"][rowWhere(t, "organisations", all["organisations"], "id", orgQN)])
	file["organisations"] = append(file["organisations"], province)
	if _, err := s.Import(t.Context(), memoryOf(t, file).Reader(), store.ImportOptions{Actor: "pdn-staff", Source: "pdn", Within: orgPDN}); err != nil {
		t.Fatalf("the ward's file with the province's organisation as stored: %v", err)
	}
	orgs, _ := exchange.Lookup("organisations")
	sums = tableSums(t, s)
	province[slices.Index(orgs.Columns, "name")] = "Đảng bộ tỉnh (sửa ở phường)"
	_, err := s.Import(t.Context(), memoryOf(t, file).Reader(), store.ImportOptions{Actor: "pdn-staff", Source: "pdn", Within: orgPDN})
	conflictsAt(t, errorCode(t, err, dangvu.EConflict), fmt.Sprintf("organisations/%d/name", len(file["organisations"])+1))
	sameSums(t, "the province renamed by the ward's staff", sums, tableSums(t, s))
}

// exportOf exports a whole store into memory.
func exportOf(t *testing.T, s *store.Store) exchange.Reader {
	t.Helper()
	m := exchange.NewMemory()
	if err := s.Export(t.Context(), m, nil); err != nil {
		t.Fatal(err)
	}
	return m.Reader()
}

// testMergeReferenceConferences: the province's conference that a ward member attended travels
// in the ward's file as a reference; merged back unchanged it is accepted, but with its title
// or the member's line changed the import is refused listing both, nothing written.
func testMergeReferenceConferences(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	s := loadedStore(t, f, open)
	m := exchange.NewMemory()
	mustRow(t, m, "conferences", []string{"QN-HN1", "conference", orgQN, "", "Hội nghị quán triệt của Tỉnh ủy", "2021-02-01", "", "", "", "0"})
	mustRow(t, m, "attendance", []string{"QN-HN1", "M01", "present", "", ""})
	if _, err := s.Import(t.Context(), m.Reader(), store.ImportOptions{Actor: "storetest", Source: "conf"}); err != nil {
		t.Fatalf("the province's conference: %v", err)
	}
	file := subtreeFile(t, s, orgPDN)
	if len(file["conferences"]) == 0 {
		t.Skip("the ward's file does not carry the conferences its members attended elsewhere")
	}
	conf := rowWhere(t, "conferences", file["conferences"], "id", "QN-HN1")
	line := rowWhere(t, "attendance", file["attendance"], "member_id", "M01")
	if _, err := s.Import(t.Context(), memoryOf(t, file).Reader(), store.ImportOptions{Actor: "storetest", Source: "pdn"}); err != nil {
		t.Fatalf("the ward's unchanged file: %v", err)
	}
	confs, _ := exchange.Lookup("conferences")
	att, _ := exchange.Lookup("attendance")
	file["conferences"][conf][slices.Index(confs.Columns, "title")] = "Hội nghị đã sửa ở phường"
	file["attendance"][line][slices.Index(att.Columns, "status")] = "absent"
	sums := tableSums(t, s)
	_, err := s.Import(t.Context(), memoryOf(t, file).Reader(), store.ImportOptions{Actor: "storetest", Source: "pdn"})
	e := errorCode(t, err, dangvu.EConflict)
	conflictsAt(t, e, fmt.Sprintf("conferences/%d/title", conf+2), fmt.Sprintf("attendance/%d/status", line+2))
	sameSums(t, "a changed reference conference", sums, tableSums(t, s))
}
