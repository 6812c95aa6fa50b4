package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/vn"
)

// stubTable is the exchange table of the organisations outside an exported subtree that its
// rows name (issue 21): without them a ward's file would import only into a database that
// already holds the tree above it.
const stubTable = "external_organisations"

// isOrgColumn reports whether an exchange column names an organisation: the columns the
// importer checks with orgRef.
func isOrgColumn(col string) bool {
	switch col {
	case "org_id", "parent_id", "cell_id", "decided_by":
		return true
	}
	return strings.HasSuffix(col, "_org_id")
}

// stubRefs collects the organisations outside a subtree that the exported rows name.
type stubRefs struct {
	inside map[string]bool
	refs   map[string]bool
	cols   map[string][]int // table → its organisation columns
}

func newStubRefs(inside map[string]bool) *stubRefs {
	return &stubRefs{inside: inside, refs: map[string]bool{}, cols: map[string][]int{}}
}

// see notes the organisations a written row of table names.
func (sr *stubRefs) see(t exchange.Table, v []string) {
	cols, ok := sr.cols[t.Name]
	if !ok {
		for i, c := range t.Columns {
			if isOrgColumn(c) {
				cols = append(cols, i)
			}
		}
		sr.cols[t.Name] = cols
	}
	for _, i := range cols {
		if id := v[i]; id != "" && !sr.inside[id] {
			sr.refs[id] = true
		}
	}
}

// writeStubs writes every version of the organisations the subtree's rows name outside it and of
// those above them (the parents of every version, up to the root), so that the paths of the
// subtree and of every named organisation are computed on import as they are here. Their
// reorganisation events are left out: the subtree's file carries only its own.
func (s *Store) writeStubs(ctx context.Context, tx *dbTx, w exchange.Writer, sc *exportScope, sr *stubRefs) (int, error) {
	versions, err := loadVersions(ctx, tx)
	if err != nil {
		return 0, err
	}
	// Ancestors: the parents, over all versions, of the subtree's organisations and up.
	stubs := map[string]dangvu.StubRole{}
	var climb func(id string, role dangvu.StubRole)
	climb = func(id string, role dangvu.StubRole) {
		for _, v := range versions[id] {
			p := v.ParentID
			if p == "" || sc.orgs[p] {
				continue
			}
			if r, seen := stubs[p]; seen && (r == dangvu.StubAncestor || r == role) {
				continue
			}
			stubs[p] = role
			climb(p, role)
		}
	}
	climb(sc.root, dangvu.StubAncestor)
	for id := range sc.orgs {
		climb(id, dangvu.StubAncestor)
	}
	for _, id := range sortedKeys(sr.refs) {
		if _, ok := versions[id]; !ok {
			continue // a dangling reference is the importer's to report, not ours to invent
		}
		if _, seen := stubs[id]; !seen {
			stubs[id] = dangvu.StubReference
		}
		climb(id, dangvu.StubReference)
	}
	n := 0
	for _, id := range sortedKeys(stubs) {
		for _, v := range versions[id] {
			to := v.ValidTo.String()
			if to == dangvu.ForeverISO {
				to = ""
			}
			if err := w.Row(stubTable, []string{v.ID, v.ValidFrom.String(), to, v.Name, v.ParentID, string(v.Level), string(v.Kind), v.IssuerCode, string(stubs[id])}); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// externalOrgs reads a subtree's stubs (stubTable): the organisations the database lacks are
// added with their versions, those it holds are kept as they are (the stored history is the
// truth; a stub only lets the subtree's references and paths resolve).
func (im *importer) externalOrgs() error {
	t := stubTable
	file := map[string][]orgVersion{}
	err := im.each(t, func(row int, rec exchange.Record) error {
		var v orgVersion
		v.row = row
		v.ID = im.id(t, row, rec, "id", true)
		v.ValidFrom = im.day(t, row, rec, "valid_from", true)
		v.ValidTo = im.endDay(t, row, rec, "valid_to", v.ValidFrom)
		v.Name = im.text(t, row, rec, "name", true)
		v.ParentID = im.id(t, row, rec, "parent_id", false)
		v.Level = code(im, t, row, rec, "level", dangvu.Levels, true)
		v.Kind = code(im, t, row, rec, "kind", dangvu.OrgKinds, true)
		v.IssuerCode = rec.Get("issuer_code")
		code(im, t, row, rec, "role", dangvu.StubRoles, true)
		if !v.ValidFrom.IsZero() {
			file[v.ID] = append(file[v.ID], v)
		}
		return nil
	})
	if err != nil || len(im.errs) > 0 {
		return err
	}
	ld, err := im.s.loader(im.ctx, im.conn, tblOrgVersions)
	if err != nil {
		return err
	}
	for _, id := range sortedKeys(file) {
		if _, stored := im.orgs[id]; stored {
			continue
		}
		vs := file[id]
		slices.SortFunc(vs, func(a, b orgVersion) int { return a.ValidFrom.Compare(b.ValidFrom) })
		for i := 1; i < len(vs); i++ {
			if vs[i].ValidFrom.Before(vs[i-1].ValidTo) {
				im.bad(t, vs[i].row, "valid_from", "phiên bản của tổ chức %s chồng lấn phiên bản bắt đầu %s", id, vnDate(vs[i-1].ValidFrom))
			}
		}
		im.orgs[id] = vs
		im.stubbed = append(im.stubbed, id)
		for _, v := range vs {
			if err := ld.add(v.row, []any{v.ID, v.ValidFrom, v.ValidTo, v.Name, vn.Fold(v.Name), v.ParentID, string(v.Level), string(v.Kind), v.IssuerCode, ""}); err != nil {
				return err
			}
		}
	}
	if len(im.errs) > 0 {
		return nil
	}
	if err := ld.finish(); err != nil {
		return fmt.Errorf("store: %s: %w", t, err)
	}
	if im.r.Has("organisations") {
		return nil // its step computes every path, the stubs' among them
	}
	segs, errs := computePaths(im.orgs)
	for _, e := range errs {
		e.Table = im.r.Source(t)
		im.errs = append(im.errs, e)
	}
	if len(im.errs) > 0 {
		return nil
	}
	return im.s.writePaths(im.ctx, im.conn, segs)
}

// subtreeFile reports whether the file is a subtree's (it carries stubs of the organisations
// outside it): its history tables then replace only what lies in the subtree.
func (im *importer) subtreeFile() bool { return im.res.Rows[stubTable] > 0 }

// clearSubtreeMemberships removes the stored memberships, in the file's organisations, of the
// members the file's memberships name, which the file's rows then replace.
func (im *importer) clearSubtreeMemberships() error {
	members := map[string]bool{}
	if err := im.r.Each("memberships", func(_ int, rec exchange.Record) error {
		members[rec.Get("member_id")] = true
		return nil
	}); err != nil {
		return err
	}
	for m := range im.members {
		members[m] = true
	}
	sel, err := im.conn.PrepareContext(im.ctx, `SELECT org_id, valid_from, kind FROM memberships WHERE member_id = ?`)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer sel.Close()
	for _, m := range sortedKeys(members) {
		rows, err := sel.QueryContext(im.ctx, m)
		if err != nil {
			return fmt.Errorf("store: %w", err)
		}
		var keys [][2]string
		for rows.Next() {
			var org, from, kind string
			if err := rows.Scan(&org, &from, &kind); err != nil {
				rows.Close()
				return err
			}
			if im.fileOrgs[org] {
				keys = append(keys, [2]string{from, kind})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, k := range keys {
			if err := im.exec(`DELETE FROM memberships WHERE member_id = ? AND valid_from = ? AND kind = ?`, m, k[0], k[1]); err != nil {
				return fmt.Errorf("store: %w", err)
			}
		}
	}
	return nil
}
