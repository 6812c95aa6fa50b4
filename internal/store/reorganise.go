package store

import (
	"context"
	"fmt"
	"reflect"

	"dangvu"
	"dangvu/internal/vn"
)

// inConnTx runs fn in a transaction on one connection, which the bulk loaders need.
func (s *Store) inConnTx(ctx context.Context, fn func(conn *dbConn) error) error {
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer conn.Close()
	if err := s.beginConn(ctx, conn); err != nil {
		return err
	}
	defer discardOnPanic(conn)
	if err := fn(conn); err != nil {
		conn.ExecContext(context.Background(), "ROLLBACK")
		return err
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		conn.ExecContext(context.Background(), "ROLLBACK")
		return fmt.Errorf("store: %w", err)
	}
	s.noteWrite(ctx)
	return nil
}

// rosterBulk is the number of affected members past which a full roster rebuild is cheaper than
// a targeted one.
const rosterBulk = 5000

// Reorganise applies a change to the tree on its date in one transaction: new versions, ended
// organisations, members carried in bulk, paths of every descendant, and the roster.
func (s *Store) Reorganise(ctx context.Context, actor string, r dangvu.Reorganisation) error {
	ev := r.Event
	var errs []dangvu.FieldError
	bad := func(field, format string, args ...any) {
		errs = append(errs, dangvu.FieldError{Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	if !idPattern.MatchString(ev.ID) {
		bad("event.id", "mã sự kiện %q không hợp lệ", ev.ID)
	}
	if ev.Date.IsZero() {
		bad("event.date", "ngày \"\" không hợp lệ: cần dạng yyyy-mm-dd")
	}
	if !dangvu.ValidCode(dangvu.ReorgKinds, ev.Kind) {
		bad("event.kind", "loại sắp xếp %q không hợp lệ", ev.Kind)
	}
	if len(errs) > 0 {
		return &dangvu.Error{Code: dangvu.EInvalid, Message: "Quyết định sắp xếp tổ chức chưa hợp lệ.", Fields: errs}
	}
	d := ev.Date
	return s.inConnTx(ctx, func(conn *dbConn) error {
		if _, err := conn.ExecContext(ctx, `INSERT INTO reorg_events (id, date, kind, document, description) VALUES (?,?,?,?,?)`,
			ev.ID, ev.Date, string(ev.Kind), ev.Document, ev.Description); err != nil {
			return dangvu.Errorf(dangvu.EConflict, "không ghi được sự kiện %s (mã đã dùng?): %v", ev.ID, err)
		}
		before, err := loadVersions(ctx, conn)
		if err != nil {
			return err
		}
		after := make(map[string][]orgVersion, len(before))
		for id, vs := range before {
			after[id] = append([]orgVersion(nil), vs...)
		}
		touched := map[string]bool{}
		var ended []string
		for i, c := range r.Changes {
			field := fmt.Sprintf("changes[%d]", i)
			vs := after[c.OrgID]
			cur := -1
			for j, v := range vs {
				if d.Within(v.ValidFrom, v.ValidTo) {
					cur = j
				}
			}
			switch {
			case c.End:
				if cur < 0 {
					bad(field, "tổ chức %s không có hiệu lực vào ngày %s để kết thúc", c.OrgID, vnDate(d))
					continue
				}
				if vs[cur].ValidFrom == d {
					vs = append(vs[:cur], vs[cur+1:]...)
				} else {
					vs[cur].ValidTo = d
				}
				ended = append(ended, c.OrgID)
			case cur < 0:
				if _, exists := before[c.OrgID]; !exists && !idPattern.MatchString(c.OrgID) {
					bad(field, "mã tổ chức %q không hợp lệ", c.OrgID)
					continue
				}
				if c.Name == "" || !dangvu.ValidCode(dangvu.Levels, c.Level) || !dangvu.ValidCode(dangvu.OrgKinds, c.Kind) {
					bad(field, "tổ chức mới %s cần tên, cấp và loại hợp lệ", c.OrgID)
					continue
				}
				v := orgVersion{Org: dangvu.Org{ID: c.OrgID, ValidFrom: d, ValidTo: dangvu.Forever, Name: c.Name, ParentID: c.ParentID, Level: c.Level, Kind: c.Kind, IssuerCode: c.IssuerCode, EventID: ev.ID}}
				// Up to the next version, if the organisation existed again later.
				for _, x := range vs {
					if x.ValidFrom.After(d) && x.ValidFrom.Before(v.ValidTo) {
						v.ValidTo = x.ValidFrom
					}
				}
				vs = append(vs, v)
			default:
				old := vs[cur]
				nv := old
				nv.ValidFrom, nv.EventID = d, ev.ID
				if c.Name != "" {
					nv.Name = c.Name
				}
				if c.ParentID != "" {
					nv.ParentID = c.ParentID
				}
				if c.Level != "" {
					nv.Level = c.Level
				}
				if c.Kind != "" {
					nv.Kind = c.Kind
				}
				if c.IssuerCode != "" {
					nv.IssuerCode = c.IssuerCode
				}
				if old.ValidFrom == d {
					vs[cur] = nv
				} else {
					vs[cur].ValidTo = d
					vs = append(vs, nv)
				}
			}
			sortVersions(vs)
			after[c.OrgID] = vs
			touched[c.OrgID] = true
		}
		if len(errs) > 0 {
			return &dangvu.Error{Code: dangvu.EInvalid, Message: "Quyết định sắp xếp tổ chức chưa hợp lệ.", Fields: errs}
		}
		segsAfter, perrs := computePaths(after)
		for _, e := range perrs {
			e.Table = ""
			errs = append(errs, e)
		}
		if len(errs) > 0 {
			return &dangvu.Error{Code: dangvu.EInvalid, Message: "Sau khi sắp xếp, cây tổ chức không hợp lệ.", Fields: errs}
		}
		segsBefore, _ := computePaths(before)
		moved := map[string]bool{}
		for id, sg := range segsAfter {
			if !reflect.DeepEqual(sg, segsBefore[id]) {
				moved[id] = true
			}
		}
		affected := map[string]bool{}
		for i, t := range r.Transfers {
			ms, err := s.carry(ctx, conn, ev, t)
			if err != nil {
				return err
			}
			if len(ms) == 0 && len(t.Members) > 0 {
				bad(fmt.Sprintf("transfers[%d]", i), "không có đảng viên nào trong danh sách đang sinh hoạt tại %s", t.From)
			}
			for _, m := range ms {
				affected[m] = true
			}
		}
		for _, id := range ended {
			var n int
			if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM memberships WHERE org_id = ? AND kind = 'official' AND valid_from <= ? AND valid_to > ?`, id, d, d).Scan(&n); err != nil {
				return fmt.Errorf("store: %w", err)
			}
			if n > 0 {
				bad("transfers", "tổ chức %s kết thúc ngày %s nhưng còn %d đảng viên chưa được chuyển", id, vnDate(d), n)
			}
		}
		if len(errs) > 0 {
			return &dangvu.Error{Code: dangvu.EInvalid, Message: "Quyết định sắp xếp tổ chức chưa hợp lệ.", Fields: errs}
		}
		// The cells counted for the top of the tree, and what they passed up, change with the
		// versions (tallies.go).
		err = keepAllTallies(ctx, conn, tallyOrgs, sortedKeys(touched), func() error {
			ld, err := s.loader(ctx, conn, tblOrgVersions)
			if err != nil {
				return err
			}
			for _, id := range sortedKeys(touched) {
				if _, err := conn.ExecContext(ctx, `DELETE FROM org_versions WHERE org_id = ?`, id); err != nil {
					return fmt.Errorf("store: %w", err)
				}
				for _, v := range after[id] {
					if err := ld.add(0, []any{v.ID, v.ValidFrom, v.ValidTo, v.Name, vn.Fold(v.Name), v.ParentID, string(v.Level), string(v.Kind), v.IssuerCode, v.EventID}); err != nil {
						return err
					}
				}
			}
			return ld.finish()
		}, cellTally, remitTally)
		if err != nil {
			return err
		}
		// The events counted for the top of the tree under the organisations whose path
		// changed move with them (tallies.go).
		err = keepAllTallies(ctx, conn, tallyOrgs, sortedKeys(moved), func() error { return s.writePaths(ctx, conn, segsAfter) })
		if err != nil {
			return err
		}
		// The party dues balances of the organisations that end pass on with the event.
		if err := s.handOverOnReorg(ctx, conn, actor, r, ended, before); err != nil {
			return err
		}
		// So do the residence registrations with the residential cells that end.
		if err := s.residenceOnReorg(ctx, conn, actor, r, ended, after); err != nil {
			return err
		}
		// Members whose organisation's path changed, and members carried, get new roster rows.
		for _, id := range sortedKeys(moved) {
			if len(affected) > rosterBulk {
				break
			}
			rows, err := conn.QueryContext(ctx, `SELECT DISTINCT member_id FROM memberships WHERE org_id = ?`, id)
			if err != nil {
				return fmt.Errorf("store: %w", err)
			}
			for rows.Next() {
				var m string
				rows.Scan(&m)
				affected[m] = true
			}
			rows.Close()
		}
		if len(affected) > rosterBulk {
			err = s.rebuildRoster(ctx, conn, "")
		} else if len(affected) > 0 {
			err = s.rebuildRoster(ctx, conn, "", sortedKeys(affected)...)
		}
		if err != nil {
			return err
		}
		return s.audit(ctx, conn, actor, "reorganise", "reorganisation", ev.ID, nil, r)
	})
}

func sortVersions(vs []orgVersion) {
	for i := 1; i < len(vs); i++ {
		for j := i; j > 0 && vs[j].ValidFrom.Before(vs[j-1].ValidFrom); j-- {
			vs[j], vs[j-1] = vs[j-1], vs[j]
		}
	}
}

// carry moves the members of a transfer on the event date and records a movement for each.
func (s *Store) carry(ctx context.Context, conn *dbConn, ev dangvu.ReorgEvent, t dangvu.BulkTransfer) ([]string, error) {
	d := ev.Date.String() // as stored
	rows, err := conn.QueryContext(ctx, `SELECT member_id, valid_from, valid_to FROM memberships
		WHERE org_id = ? AND kind = 'official' AND valid_from <= ? AND valid_to > ? ORDER BY member_id`, t.From, d, d)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	want := map[string]bool{}
	for _, m := range t.Members {
		want[m] = true
	}
	type ms struct{ member, from, to string }
	var list []ms
	for rows.Next() {
		var x ms
		if err := rows.Scan(&x.member, &x.from, &x.to); err != nil {
			rows.Close()
			return nil, err
		}
		if len(want) == 0 || want[x.member] {
			list = append(list, x)
		}
	}
	rows.Close()
	var out []string
	for _, x := range list {
		if x.from == d {
			_, err = conn.ExecContext(ctx, `UPDATE memberships SET org_id = ?, event_id = ? WHERE member_id = ? AND valid_from = ? AND kind = 'official'`, t.To, ev.ID, x.member, d)
		} else {
			_, err = conn.ExecContext(ctx, `UPDATE memberships SET valid_to = ? WHERE member_id = ? AND valid_from = ? AND kind = 'official'`, d, x.member, x.from)
			if err == nil {
				_, err = conn.ExecContext(ctx, `INSERT INTO memberships (member_id, org_id, valid_from, valid_to, kind, document, event_id) VALUES (?,?,?,?,'official',?,?)`,
					x.member, t.To, d, x.to, ev.Document, ev.ID)
			}
		}
		if err == nil {
			_, err = conn.ExecContext(ctx, `INSERT INTO movements (id, member_id, kind, date, from_org_id, to_org_id, external, document, note) VALUES (?,?,'reorganised',?,?,?,'',?,'')`,
				ev.ID+"."+x.member, x.member, d, t.From, t.To, ev.Document)
		}
		if err != nil {
			return nil, fmt.Errorf("store: carry %s: %w", x.member, err)
		}
		out = append(out, x.member)
	}
	return out, nil
}
