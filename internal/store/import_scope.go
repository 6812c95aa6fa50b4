package store

import (
	"fmt"
	"slices"

	"dangvu/internal/exchange"
)

// checkWithin refuses, before anything is written, every row of the file that does not lie in
// root's subtree (ImportOptions.Within: the staff of an organisation import into their own
// subtree only, issue 21), each named by its file, row and field.
//
// A row lies in the subtree when the subtree's export would write it (the filters of
// ExportUnder and of each domain's binding), taken over the stored data and the file's own
// rows: an organisation the file adds under one inside is inside, a member the file adds with a
// membership inside is inside, a row whose organisation (org_id, cell_id) or member is inside is
// inside, and a row of a child table goes with its parent row. Besides:
//   - the subtree's own organisation keeps its stored versions (only those above may move or
//     rename it);
//   - a stub (external_organisations) must name an organisation the database holds: staff may
//     not add organisations outside their subtree;
//   - a reorganisation already stored and not the subtree's stays as it is;
//   - an organisation or a document outside the subtree that the database holds is a reference:
//     identical it is left as stored, differing it is a conflict (checkReferences).
func (im *importer) checkWithin(root string) error {
	keep, sc, err := im.s.scopeFilters(im.ctx, im.conn, root)
	if err != nil {
		return err
	}
	rootName := root
	if vs := im.orgs[root]; len(vs) > 0 {
		rootName = vs[len(vs)-1].Name
	}
	outside := func(table string, row int, field, what string) {
		im.bad(table, row, field, "%s nằm ngoài phạm vi của %s mà tài khoản được nhập; không được nhập dòng này", what, rootName)
	}
	rowOf := func(t exchange.Table, rec exchange.Record) []string {
		v := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			v[i] = rec.Get(c)
		}
		return v
	}
	// The file's new organisations under one inside, to a fixed point (a new ward's new cells).
	if im.r.Has("organisations") {
		parents := map[string][]string{}
		if err := im.r.Each("organisations", func(_ int, rec exchange.Record) error {
			id := rec.Get("id")
			parents[id] = append(parents[id], rec.Get("parent_id"))
			return nil
		}); err != nil {
			return err
		}
		for changed := true; changed; {
			changed = false
			for id, ps := range parents {
				if _, stored := im.orgs[id]; stored || sc.orgs[id] {
					continue
				}
				if !slices.ContainsFunc(ps, func(p string) bool { return !sc.orgs[p] }) {
					sc.orgs[id], changed = true, true
				}
			}
		}
	}
	// The file's new members with a membership inside.
	if im.r.Has("memberships") {
		if err := im.r.Each("memberships", func(_ int, rec exchange.Record) error {
			m := rec.Get("member_id")
			if sc.orgs[rec.Get("org_id")] && !im.memberExists(m) {
				sc.members[m] = true
			}
			return nil
		}); err != nil {
			return err
		}
	}
	// The subtree, for the references above it that the file may carry (checkReferences).
	im.inside, im.refOrgs = sc.orgs, map[string]bool{}
	storedDocs := map[string]bool{} // stored documents issued outside the subtree
	if im.r.Has("documents") {
		if err := im.ids(`SELECT id, org_id FROM documents`, func(id, org string) {
			if !sc.orgs[org] {
				storedDocs[id] = true
			}
		}); err != nil {
			return err
		}
	}
	stored := map[string]bool{} // the root's stored versions, "valid_from/parent_id"
	for _, v := range im.orgs[root] {
		stored[v.ValidFrom.String()+"/"+v.ParentID] = true
	}
	for _, t := range exchange.Tables() {
		if !im.r.Has(t.Name) {
			continue
		}
		var filter func([]string) bool
		switch {
		case t.Name == stubTable:
			filter = func(v []string) bool { _, ok := im.orgs[v[0]]; return ok }
		case t.Name == "reorganisations":
			filter = func(v []string) bool { return keep[t.Name](v) || !im.events[v[0]] }
		default:
			filter = keep[t.Name]
			if d, ok := im.s.boundTable(t.Name); ok && d.scope != nil {
				filter = d.scope(sc)
			}
			if sc.err != nil {
				return sc.err
			}
		}
		if filter == nil {
			return fmt.Errorf("store: import within: no scope filter for table %s", t.Name)
		}
		// The column that places a row: its organisation, else its member.
		place, members := -1, false
		for _, c := range []string{"org_id", "cell_id", "member_id"} {
			if i := slices.Index(t.Columns, c); i >= 0 {
				place, members = i, c == "member_id"
				break
			}
		}
		ids := sc.keptIDs(t.Name)
		err := im.r.Each(t.Name, func(row int, rec exchange.Record) error {
			v := rowOf(t, rec)
			in := filter(v)
			if !in && place >= 0 && v[place] != "" {
				in = members && sc.members[v[place]] || !members && sc.orgs[v[place]]
			}
			field := t.Key[0]
			if place >= 0 {
				field = t.Columns[place]
			}
			switch {
			case !in && t.Name == "organisations" && im.orgs[v[0]] != nil:
				// An organisation above or beside the subtree that the database holds: a reference,
				// compared with the stored versions, never written (checkReferences).
				im.refOrgs[v[0]] = true
			case !in && t.Name == "documents" && storedDocs[v[0]]:
				// A document issued outside the subtree that the database holds: likewise.
			case t.Name == stubTable && !in:
				outside(t.Name, row, "id", fmt.Sprintf("tổ chức %s (chưa có trong cơ sở dữ liệu)", v[0]))
			case t.Name == "organisations" && in && v[0] == root && !stored[v[1]+"/"+v[slices.Index(t.Columns, "parent_id")]]:
				im.bad(t.Name, row, "parent_id", "phiên bản từ %s của chính %s khác phiên bản đã lưu: chỉ cấp trên được đổi tên, chuyển trực thuộc tổ chức mình", vnDate(v[1]), rootName)
			case !in:
				outside(t.Name, row, field, fmt.Sprintf("%s %s", field, v[slices.Index(t.Columns, field)]))
			default:
				ids[v[0]] = true
			}
			if len(im.errs) >= maxErrors {
				return errTooMany
			}
			return nil
		})
		if err != nil && err != errTooMany {
			return err
		}
	}
	return nil
}
