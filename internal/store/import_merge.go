package store

import (
	"fmt"
	"slices"
	"strings"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/vn"
)

// A merge import (issue 21) brings a subtree's file — one with stubs, from `dangvu export --org`
// or a scoped user's export — or a scoped user's file into a database that holds the rest of the
// tree. Before anything is written, what the file carries from outside its subtree is compared
// with the database (checkReferences): an organisation above it (a stub, or for a scoped import a
// row of organisations outside the user's subtree), a document issued above it, a member who sits
// outside it on the day of the import. Those are references: identical, they are left as stored;
// differing, each difference is a conflict, and the import is refused with the whole list
// (dangvu.Error.Conflicts), nothing written. Then a subtree's file is the whole truth of its
// subtree for the tables that the subtree's organisations and members own (ownedTables): a stored
// row of such a table that lies in the file's subtree and that the file lacks is removed
// (planRemovals, applyRemovals).

// funcWriter is an exchange.Writer that hands each row to a function.
type funcWriter func(table string, v []string) error

func (f funcWriter) Row(table string, v []string) error { return f(table, v) }
func (f funcWriter) Close() error                       { return nil }

// storedRows reads the stored rows of an exchange table whose first column is one of ids, as
// an export writes them, by that column.
func (im *importer) storedRows(table string, ids map[string]bool) (map[string][][]string, error) {
	out := map[string][][]string{}
	if len(ids) == 0 {
		return out, nil
	}
	t, _ := exchange.Lookup(table)
	_, err := im.s.exportTable(im.ctx, im.conn, funcWriter(func(_ string, v []string) error {
		out[v[0]] = append(out[v[0]], v)
		return nil
	}), t, func(v []string) bool { return ids[v[0]] }, nil)
	return out, err
}

// fileRows reads a table of the file: each row's cells in the table's column order, by row number.
func (im *importer) fileRows(table string, keep func(v []string) bool) ([]int, [][]string, error) {
	if !im.r.Has(table) {
		return nil, nil, nil
	}
	t, _ := exchange.Lookup(table)
	var rows []int
	var vals [][]string
	err := im.r.Each(table, func(row int, rec exchange.Record) error {
		v := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			v[i] = normalCell(c, rec.Get(c))
		}
		if keep == nil || keep(v) {
			rows, vals = append(rows, row), append(vals, v)
		}
		return nil
	})
	return rows, vals, err
}

// normalCell writes a cell as an export would, so that a file typed by hand (dd/mm/yyyy, "Nam")
// is not taken for a change: dates in ISO, gender as its code, names with single spaces in NFC.
func normalCell(col, v string) string {
	if v == "" {
		return v
	}
	switch {
	case col == "gender":
		switch v {
		case "Nam", "nam":
			return dangvu.Male
		case "Nữ", "nữ":
			return dangvu.Female
		}
	case col == "full_name" || col == "name" || col == "title":
		return vn.NFC(strings.Join(strings.Fields(v), " "))
	case col == "date" || col == "start" || col == "end" || strings.HasPrefix(col, "valid_") || strings.HasSuffix(col, "_on") || strings.HasSuffix(col, "_date"):
		if t, err := vn.ParseDate(v); err == nil {
			return dangvu.ISO(t)
		}
	}
	return v
}

// differs reports whether a file's cell differs from the stored one, both written as an export
// writes them (normalCell): a name stored with the spaces it was typed with is not a change.
func differs(col, stored, file string) bool {
	return normalCell(col, stored) != normalCell(col, file)
}

// colNames are the Vietnamese names of the columns a conflict names most often.
var colNames = map[string]string{
	"valid_from": "ngày bắt đầu", "valid_to": "ngày kết thúc", "name": "tên", "parent_id": "tổ chức cấp trên",
	"level": "cấp", "kind": "loại", "issuer_code": "mã ban hành", "full_name": "họ tên", "title": "trích yếu",
	"number": "số, ký hiệu", "date": "ngày", "status": "trạng thái", "org_id": "tổ chức",
}

func colName(c string) string {
	if n, ok := colNames[c]; ok {
		return n + " (" + c + ")"
	}
	return c
}

// shown is a value as a conflict's sentence shows it.
func shown(col, v string) string {
	if v == "" {
		return "(trống)"
	}
	if col == "date" || strings.HasPrefix(col, "valid_") || strings.HasSuffix(col, "_on") || strings.HasSuffix(col, "_date") {
		return vnDate(v)
	}
	return fmt.Sprintf("%q", v)
}

// conflict records a difference between the file and the database.
func (im *importer) conflict(table string, row int, id, field, stored, file, what string) {
	c := dangvu.Conflict{Table: im.r.Source(table), Row: row, ID: id, Field: field, Stored: stored, File: file}
	if field != "" {
		c.Reason = fmt.Sprintf("%s: %s đã lưu là %s, trong tệp là %s; tệp không được sửa dữ liệu này", what, colName(field), shown(field, stored), shown(field, file))
	} else {
		c.Reason = what
	}
	im.conflicts = append(im.conflicts, c)
}

// hasRows reports whether the file's table has a data row.
func (im *importer) hasRows(table string) (bool, error) {
	if !im.r.Has(table) {
		return false, nil
	}
	found := false
	err := im.r.Each(table, func(int, exchange.Record) error {
		found = true
		return errStopRows
	})
	if err == errStopRows {
		err = nil
	}
	return found, err
}

var errStopRows = fmt.Errorf("store: enough rows")

// checkReferences compares what the file carries from outside its subtree with the database
// (see the top of this file) and lists every difference in im.conflicts. It runs before anything
// is written. inside is the file's subtree: the organisations of its organisations table, and for
// a scoped import the user's subtree too.
func (im *importer) checkReferences() error {
	if im.inside == nil {
		im.inside = map[string]bool{}
	}
	_, fileOrgs, err := im.fileRows("organisations", nil)
	if err != nil {
		return err
	}
	for _, v := range fileOrgs {
		im.inside[v[0]] = true
	}
	// Organisations above: the stubs, and a scoped import's rows of organisations outside.
	if err := im.compareOrgs(stubTable, nil); err != nil {
		return err
	}
	if len(im.refOrgs) > 0 {
		if err := im.compareOrgs("organisations", im.refOrgs); err != nil {
			return err
		}
	}
	if err := im.compareDocuments(); err != nil {
		return err
	}
	if err := im.compareConferences(); err != nil {
		return err
	}
	if err := im.compareOwnedElsewhere(); err != nil {
		return err
	}
	return im.compareMembers()
}

// compareOwnedElsewhere compares each row of the file, in a table keyed by id and placed by an
// organisation (org_id, cell_id: terms, localities, units, posts, the domains' campaigns,
// programmes, files…), whose id the database holds under an organisation outside the file's
// subtree — a term of the city that a ward's file would make the ward's — with the stored row:
// a difference is a conflict. Documents and conferences have their own comparisons above.
func (im *importer) compareOwnedElsewhere() error {
	for _, t := range exchange.Tables() {
		if !im.r.Has(t.Name) || len(t.Key) != 1 || t.Key[0] != "id" {
			continue
		}
		switch t.Name {
		case "organisations", stubTable, "documents", "conferences":
			continue
		}
		place := slices.IndexFunc(t.Columns, func(c string) bool { return c == "org_id" || c == "cell_id" })
		if place < 0 {
			continue
		}
		rows, vals, err := im.fileRows(t.Name, nil)
		if err != nil || len(vals) == 0 {
			return err
		}
		ids := map[string]bool{}
		for _, v := range vals {
			ids[v[0]] = true
		}
		stored := map[string][]string{}
		if _, err := im.s.exportTable(im.ctx, im.conn, funcWriter(func(_ string, v []string) error {
			if v[place] != "" && !im.inside[v[place]] {
				stored[v[0]] = v
			}
			return nil
		}), t, func(v []string) bool { return ids[v[0]] }, nil); err != nil {
			return err
		}
		refs := map[string]bool{}
		for i, v := range vals {
			s, ok := stored[v[0]]
			if !ok {
				continue
			}
			refs[v[0]] = true
			what := fmt.Sprintf("%s %s của %s, ngoài phạm vi của tệp", t.Name, v[0], im.orgName(s[place]))
			for j, c := range t.Columns {
				if differs(c, s[j], v[j]) {
					im.conflict(t.Name, rows[i], v[0], c, s[j], v[j], what)
				}
			}
		}
		// The steps of a campaign run above (a reference campaign, importer.campaigns).
		if child, ok := referenceChildren[t.Name]; ok && len(refs) > 0 && im.r.Has(child) {
			about := func(id string) string {
				return fmt.Sprintf("%s %s của %s, ngoài phạm vi của tệp", t.Name, id, im.orgName(stored[id][place]))
			}
			if err := im.compareChildren(child, refs, about); err != nil {
				return err
			}
		}
	}
	return nil
}

// referenceChildren names, for a table whose rows a file may carry as references, the child
// table that goes with each (keyed by the parent's id first).
var referenceChildren = map[string]string{"campaigns": "campaign_steps"}

// compareConferences compares the file's conferences that the database holds as another
// organisation's (the reference conferences a subtree's members attended, which the import
// leaves as stored: importer.conferences) with the stored ones, and the lines of their sheets and
// their documents the file carries: a line or a document the database lacks or holds otherwise
// is a conflict. A stored line the file lacks is not: the file carries its members' lines only.
func (im *importer) compareConferences() error {
	if !im.r.Has("conferences") {
		return nil
	}
	others := map[string]bool{}
	if err := im.ids(`SELECT id, org_id FROM conferences`, func(id, org string) {
		if !im.inside[org] {
			others[id] = true
		}
	}); err != nil {
		return err
	}
	rows, vals, err := im.fileRows("conferences", func(v []string) bool { return others[v[0]] })
	if err != nil || len(vals) == 0 {
		return err
	}
	refs := map[string]bool{}
	for _, v := range vals {
		refs[v[0]] = true
	}
	stored, err := im.storedRows("conferences", refs)
	if err != nil {
		return err
	}
	t, _ := exchange.Lookup("conferences")
	org := slices.Index(t.Columns, "org_id")
	about := func(id string) string {
		if s := stored[id]; len(s) > 0 {
			return fmt.Sprintf("hội nghị %s (%s) của %s, ngoài phạm vi của tệp", id, s[0][slices.Index(t.Columns, "title")], im.orgName(s[0][org]))
		}
		return "hội nghị " + id
	}
	for i, v := range vals {
		s := stored[v[0]][0]
		if c := slices.Index(t.Columns, "reflection"); v[c] == "" {
			v[c] = "0"
		}
		for j, c := range t.Columns {
			if c == "scope_org_id" && v[j] == "" {
				continue // the conference's own organisation, as stored
			}
			if differs(c, s[j], v[j]) {
				im.conflict("conferences", rows[i], v[0], c, s[j], v[j], about(v[0]))
			}
		}
	}
	// The lines of their sheets and their documents, by conference.
	for _, table := range []string{"attendance", "conference_documents"} {
		if err := im.compareChildren(table, refs, about); err != nil {
			return err
		}
	}
	return nil
}

// compareChildren compares the file's rows of a child table (keyed by its parent's id and a
// second column) whose parent is a reference with the stored ones: a row the database lacks or
// holds otherwise is a conflict; a stored row the file lacks is not (the file may carry part).
func (im *importer) compareChildren(table string, refs map[string]bool, about func(id string) string) error {
	rows, vals, err := im.fileRows(table, func(v []string) bool { return refs[v[0]] })
	if err != nil || len(vals) == 0 {
		return err
	}
	stored, err := im.storedRows(table, refs)
	if err != nil {
		return err
	}
	t, _ := exchange.Lookup(table)
	for i, v := range vals {
		k := slices.IndexFunc(stored[v[0]], func(s []string) bool { return s[1] == v[1] })
		if k < 0 {
			im.conflict(table, rows[i], v[0]+"/"+v[1], "", "", strings.Join(v, ", "),
				fmt.Sprintf("%s: dòng %s không có trong cơ sở dữ liệu; tệp không được thêm", about(v[0]), v[1]))
			continue
		}
		for j, c := range t.Columns {
			if s := stored[v[0]][k]; differs(c, s[j], v[j]) {
				im.conflict(table, rows[i], v[0]+"/"+v[1], c, s[j], v[j], fmt.Sprintf("%s, dòng %s", about(v[0]), v[1]))
			}
		}
	}
	return nil
}

// compareOrgs compares the file's versions of stored organisations in table (only those of
// only, when given) with the stored versions of the same start.
func (im *importer) compareOrgs(table string, only map[string]bool) error {
	t, _ := exchange.Lookup(table)
	rows, vals, err := im.fileRows(table, func(v []string) bool {
		_, stored := im.orgs[v[0]]
		return stored && (only == nil || only[v[0]])
	})
	if err != nil {
		return err
	}
	col := func(name string) int { return slices.Index(t.Columns, name) }
	for i, v := range vals {
		id, from := v[0], v[col("valid_from")]
		name := id
		if vs := im.orgs[id]; len(vs) > 0 {
			name = fmt.Sprintf("%s (%s)", id, vs[len(vs)-1].Name)
		}
		k := slices.IndexFunc(im.orgs[id], func(s orgVersion) bool { return s.ValidFrom.String() == from })
		if k < 0 {
			var starts []string
			for _, s := range im.orgs[id] {
				starts = append(starts, vnDate(s.ValidFrom))
			}
			im.conflict(table, rows[i], id+"/"+from, "valid_from", strings.Join(starts, ", "), from,
				fmt.Sprintf("tổ chức %s không có phiên bản từ %s trong cơ sở dữ liệu (các phiên bản đã lưu bắt đầu: %s); tệp không được sửa tổ chức ngoài phạm vi của mình", name, vnDate(from), strings.Join(starts, ", ")))
			continue
		}
		s := im.orgs[id][k]
		to := s.ValidTo.String()
		if to == dangvu.ForeverISO {
			to = ""
		}
		what := fmt.Sprintf("tổ chức %s ngoài phạm vi của tệp, phiên bản từ %s", name, vnDate(from))
		for _, c := range []struct{ col, stored string }{{"valid_to", to}, {"name", s.Name}, {"parent_id", s.ParentID},
			{"level", string(s.Level)}, {"kind", string(s.Kind)}, {"issuer_code", s.IssuerCode}} {
			if f := v[col(c.col)]; differs(c.col, c.stored, f) {
				im.conflict(table, rows[i], id+"/"+from, c.col, c.stored, f, what)
			}
		}
	}
	return nil
}

// compareDocuments compares the file's documents that the database holds as issued outside the
// file's subtree (a province resolution a ward studies) with the stored ones. A subtree's export
// writes such a document as an incoming one of its root (disDocumentScope): in that form the
// organisation, direction and issuer are not compared. Every such document is a reference
// (im.refDocs): the documents step leaves it as stored.
func (im *importer) compareDocuments() error {
	if !im.r.Has("documents") {
		return nil
	}
	above := map[string]bool{}
	if err := im.ids(`SELECT id, org_id FROM documents`, func(id, org string) {
		if !im.inside[org] {
			above[id] = true
		}
	}); err != nil {
		return err
	}
	rows, vals, err := im.fileRows("documents", func(v []string) bool { return above[v[0]] })
	if err != nil {
		return err
	}
	im.refDocs = map[string]bool{}
	for _, v := range vals {
		im.refDocs[v[0]] = true
	}
	stored, err := im.storedRows("documents", im.refDocs)
	if err != nil {
		return err
	}
	t, _ := exchange.Lookup("documents")
	org, dir, issuer := slices.Index(t.Columns, "org_id"), slices.Index(t.Columns, "direction"), slices.Index(t.Columns, "issuer_org_id")
	for i, v := range vals {
		s := stored[v[0]][0]
		copyOf := im.inside[v[org]] && v[dir] == string(dangvu.DirIncoming) && v[issuer] == ""
		what := fmt.Sprintf("văn bản %s (%s) của tổ chức %s, ngoài phạm vi của tệp", v[0], s[slices.Index(t.Columns, "number")], s[org])
		for j, c := range t.Columns {
			if copyOf && (j == org || j == dir || j == issuer) {
				continue
			}
			if differs(c, s[j], v[j]) {
				im.conflict("documents", rows[i], v[0], c, s[j], v[j], what)
			}
		}
	}
	return nil
}

// compareMembers finds the file's members whose official membership on the day of the import
// (or their last) is outside the file's subtree — a member who moved to another ward since the
// file was written, or one the file claims by mistake — and compares their row and statuses
// with the stored ones: the file may carry them (a subtree's export writes every member who ever
// belonged to it) but not change them (im.outMembers).
func (im *importer) compareMembers() error {
	if !im.r.Has("members") {
		return nil
	}
	rows, vals, err := im.fileRows("members", func(v []string) bool { return im.memberExists(v[0]) })
	if err != nil || len(vals) == 0 {
		return err
	}
	sel, err := im.conn.PrepareContext(im.ctx, `SELECT org_id, valid_from, valid_to FROM memberships WHERE member_id = ? AND kind = 'official' ORDER BY valid_from`)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer sel.Close()
	today := im.s.today()
	im.outMembers = map[string]string{}
	for _, v := range vals {
		rs, err := sel.QueryContext(im.ctx, v[0])
		if err != nil {
			return fmt.Errorf("store: %w", err)
		}
		place := ""
		for rs.Next() {
			var org, from, to string
			if err := rs.Scan(&org, &from, &to); err != nil {
				rs.Close()
				return err
			}
			if from <= today {
				place = org // the last that began, which is the one in force if any is
			}
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return err
		}
		if place != "" && !im.inside[place] {
			im.outMembers[v[0]] = place
		}
	}
	out := map[string]bool{}
	for m := range im.outMembers {
		out[m] = true
	}
	stored, err := im.storedRows("members", out)
	if err != nil {
		return err
	}
	t, _ := exchange.Lookup("members")
	for i, v := range vals {
		place, ok := im.outMembers[v[0]]
		if !ok || len(stored[v[0]]) == 0 {
			continue
		}
		s := stored[v[0]][0]
		what := fmt.Sprintf("đảng viên %s (%s) đang sinh hoạt ở %s, ngoài phạm vi của tệp", v[0], s[1], im.orgName(place))
		for j, c := range t.Columns {
			if differs(c, s[j], v[j]) {
				im.conflict("members", rows[i], v[0], c, s[j], v[j], what)
			}
		}
	}
	// Their records (a card, a movement, a relative…: tables keyed by id and placed by the member
	// alone) that the database holds: the file may bring one the database lacks (the ward's record
	// of the transfer out), not change a stored one.
	for _, rt := range exchange.Tables() {
		if !im.r.Has(rt.Name) || len(rt.Key) != 1 || rt.Key[0] != "id" || rt.Name == "members" {
			continue
		}
		mcol := slices.Index(rt.Columns, "member_id")
		if mcol < 0 || slices.ContainsFunc(rt.Columns, func(c string) bool { return c == "org_id" || c == "cell_id" }) {
			continue // not a member's record, or placed by an organisation (compareOwnedElsewhere)
		}
		rrows, rvals, err := im.fileRows(rt.Name, func(v []string) bool { return out[v[mcol]] })
		if err != nil {
			return err
		}
		if len(rvals) == 0 {
			continue
		}
		ids := map[string]bool{}
		for _, v := range rvals {
			ids[v[0]] = true
		}
		storedRec, err := im.storedRows(rt.Name, ids)
		if err != nil {
			return err
		}
		for i, v := range rvals {
			if len(storedRec[v[0]]) == 0 {
				continue
			}
			s := storedRec[v[0]][0]
			what := fmt.Sprintf("%s %s của đảng viên %s (đang sinh hoạt ở %s, ngoài phạm vi của tệp)", rt.Name, v[0], s[mcol], im.orgName(im.outMembers[v[mcol]]))
			for j, c := range rt.Columns {
				if differs(c, s[j], v[j]) {
					im.conflict(rt.Name, rrows[i], v[0], c, s[j], v[j], what)
				}
			}
		}
	}
	// Their statuses: the file's replace the stored history of each member it names.
	srows, svals, err := im.fileRows("member_statuses", func(v []string) bool { return out[v[0]] })
	if err != nil {
		return err
	}
	storedSt, err := im.storedRows("member_statuses", out)
	if err != nil {
		return err
	}
	st, _ := exchange.Lookup("member_statuses")
	seen, named := map[string]bool{}, map[string]bool{}
	for i, v := range svals {
		key := v[0] + "/" + v[1]
		seen[key], named[v[0]] = true, true
		what := fmt.Sprintf("trạng thái của đảng viên %s từ %s (đang sinh hoạt ở %s, ngoài phạm vi của tệp)", v[0], vnDate(v[1]), im.orgName(im.outMembers[v[0]]))
		k := slices.IndexFunc(storedSt[v[0]], func(s []string) bool { return s[1] == v[1] })
		if k < 0 {
			im.conflict("member_statuses", srows[i], key, "", "", strings.Join(v, ", "), what+": không có trong cơ sở dữ liệu; tệp không được thêm")
			continue
		}
		for j, c := range st.Columns {
			if s := storedSt[v[0]][k]; differs(c, s[j], v[j]) {
				im.conflict("member_statuses", srows[i], key, c, s[j], v[j], what)
			}
		}
	}
	// The file's statuses of a member replace all of theirs: a stored one it lacks would go.
	for _, m := range sortedKeys(storedSt) {
		if named[m] {
			for _, s := range storedSt[m] {
				if key := m + "/" + s[1]; !seen[key] {
					im.conflict("member_statuses", 0, key, "", strings.Join(s, ", "), "",
						fmt.Sprintf("trạng thái của đảng viên %s từ %s đã lưu nhưng tệp không có (đảng viên đang sinh hoạt ở %s, ngoài phạm vi của tệp); tệp không được xóa", m, vnDate(s[1]), im.orgName(im.outMembers[m])))
				}
			}
		}
	}
	return nil
}

// orgName is an organisation's id and last name.
func (im *importer) orgName(id string) string {
	if vs := im.orgs[id]; len(vs) > 0 {
		return fmt.Sprintf("%s (%s)", vs[len(vs)-1].Name, id)
	}
	return id
}

// ownedTables are the tables whose rows a subtree's file holds whole for its subtree: a stored
// row that lies in the file's subtree and that the file lacks is removed. Each row's place is
// an organisation (the column named) or, for a member's records, the member — one of the file's
// members who sits in the subtree. Not in the list, never removed by a merge import: the
// organisations themselves and the reorganisations (shared with the tree around), the members
// (a member leaves by a status or a movement, and their other records may lie elsewhere), the
// stubs, the documents and every domain table (a user's export leaves out what the user may not
// read: secret documents, hidden members' records), the reference tables, users and the audit
// log. member_statuses are replaced member by member as before.
var ownedTables = []struct {
	table, org, member string
}{
	{table: "terms", org: "org_id"},
	{table: "localities", org: "cell_id"},
	{table: "units", org: "org_id"},
	{table: "posts", org: "org_id"},
	{table: "memberships", org: "org_id"},
	{table: "movements", member: "member_id"},
}

// removal is a table's stored rows in the file's subtree, by key, found before the import
// loads: those the file lacks are removed once it has.
type removal struct {
	table exchange.Table
	keys  map[string][]string
}

func keyOf(t exchange.Table, v []string) (string, []string) {
	var parts []string
	for _, k := range t.Key {
		parts = append(parts, v[slices.Index(t.Columns, k)])
	}
	return strings.Join(parts, "\x1f"), parts
}

// planRemovals lists, for each owned table the file carries, the stored rows in its subtree.
func (im *importer) planRemovals() error {
	places, units := map[string]bool{}, map[string]bool{}
	if err := im.ids(`SELECT id, cell_id FROM localities`, func(id, cell string) { places[id] = im.inside[cell] }); err != nil {
		return err
	}
	if err := im.ids(`SELECT id, org_id FROM units`, func(id, org string) { units[id] = im.inside[org] }); err != nil {
		return err
	}
	fileMembers := map[string]bool{}
	if _, vals, err := im.fileRows("members", nil); err != nil {
		return err
	} else {
		for _, v := range vals {
			if _, out := im.outMembers[v[0]]; !out {
				fileMembers[v[0]] = true
			}
		}
	}
	for _, o := range ownedTables {
		if !im.r.Has(o.table) {
			continue
		}
		t, _ := exchange.Lookup(o.table)
		var keep func(v []string) bool
		if o.org != "" {
			i := slices.Index(t.Columns, o.org)
			keep = func(v []string) bool { return im.inside[v[i]] }
			if o.table == "posts" {
				loc, unit := slices.Index(t.Columns, "locality_id"), slices.Index(t.Columns, "unit_id")
				keep = func(v []string) bool { return im.inside[v[i]] || places[v[loc]] || units[v[unit]] }
			}
		} else {
			i := slices.Index(t.Columns, o.member)
			keep = func(v []string) bool { return fileMembers[v[i]] }
		}
		rm := removal{table: t, keys: map[string][]string{}}
		if _, err := im.s.exportTable(im.ctx, im.conn, funcWriter(func(_ string, v []string) error {
			k, parts := keyOf(t, v)
			rm.keys[k] = parts
			return nil
		}), t, keep, nil); err != nil {
			return err
		}
		im.removals = append(im.removals, rm)
	}
	return nil
}

// applyRemovals removes the planned stored rows that the file lacks, children before parents
// (the owned tables are in the exchange format's order), and refuses a post of the file left
// without its term, locality or unit.
func (im *importer) applyRemovals() error {
	for i := len(im.removals) - 1; i >= 0; i-- {
		rm := im.removals[i]
		_, vals, err := im.fileRows(rm.table.Name, nil)
		if err != nil {
			return err
		}
		for _, v := range vals {
			k, _ := keyOf(rm.table, v)
			delete(rm.keys, k)
		}
		var where []string
		for _, k := range rm.table.Key {
			where = append(where, `"`+k+`" = ?`)
		}
		q := `DELETE FROM ` + rm.table.Name + ` WHERE ` + strings.Join(where, " AND ")
		for _, k := range sortedKeys(rm.keys) {
			args := make([]any, len(rm.keys[k]))
			for j, p := range rm.keys[k] {
				args[j] = p
			}
			if err := im.exec(q, args...); err != nil {
				return fmt.Errorf("store: %s: %w", rm.table.Name, err)
			}
		}
	}
	if len(im.removals) == 0 {
		return nil
	}
	rows, err := im.conn.QueryContext(im.ctx, `SELECT p.id, p.term_id, p.locality_id, p.unit_id FROM posts p
		WHERE p.term_id <> '' AND NOT EXISTS (SELECT 1 FROM terms t WHERE t.id = p.term_id)
		OR p.locality_id <> '' AND NOT EXISTS (SELECT 1 FROM localities l WHERE l.id = p.locality_id)
		OR p.unit_id <> '' AND NOT EXISTS (SELECT 1 FROM units u WHERE u.id = p.unit_id)
		ORDER BY p.id LIMIT 100`)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, term, place, unit string
		if err := rows.Scan(&id, &term, &place, &unit); err != nil {
			return err
		}
		im.bad("posts", 0, "id", "chức vụ %s còn gắn với nhiệm kỳ, thôn/khu hoặc đơn vị (%s) mà tệp không có nên bị xóa khỏi phạm vi của tệp", id, strings.Trim(strings.Join([]string{term, place, unit}, " "), " "))
	}
	return rows.Err()
}
