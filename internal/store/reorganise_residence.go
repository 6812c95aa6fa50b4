package store

import (
	"context"
	"fmt"
	"strings"

	"dangvu"
)

// residenceOnReorg carries, with the event, the residence registrations (213-QĐ/TW) of working
// members with a residential cell the event ends: a village or residential area merged into
// another (the 2025–2026 mergers) takes its contact list with it. Each registration in force ends
// the day before and a new one, the same in all but the cell, starts on the event's day at the
// cell the ended cell's members are carried to (the first transfer from it); the yearly comments
// stay with the registration they were written for. An ended cell with registrations and no
// residential cell to carry them to refuses the event, naming the cell: nothing is written.
func (s *Store) residenceOnReorg(ctx context.Context, conn *dbConn, actor string, r dangvu.Reorganisation, ended []string, after map[string][]orgVersion) error {
	ev := r.Event
	d, prev := ev.Date.String(), ev.Date.AddDays(-1).String()
	var errs []dangvu.FieldError
	for _, id := range ended {
		links, err := scanAll(ctx, conn, `SELECT id, member_id, work_org, cell_id, valid_from, valid_to, category, letter, note FROM residence_links
			WHERE cell_id = ? AND valid_from < ? AND (valid_to = '' OR valid_to >= ?) ORDER BY id`, []any{id, d, d},
			func(sc interface{ Scan(...any) error }) (dangvu.ResidenceLink, error) {
				var l dangvu.ResidenceLink
				return l, sc.Scan(&l.ID, &l.MemberID, &l.WorkOrg, &l.CellID, &l.From, &l.To, &l.Category, &l.Letter, &l.Note)
			})
		if err != nil {
			return fmt.Errorf("store: residence: %w", err)
		}
		if len(links) == 0 {
			continue
		}
		to := ""
		for _, t := range r.Transfers {
			if t.From == id {
				to = t.To
				break
			}
		}
		var cell *dangvu.Org
		for i := range after[to] {
			if v := &after[to][i]; ev.Date.Within(v.ValidFrom, v.ValidTo) {
				cell = &v.Org
			}
		}
		if cell == nil || residentialCell(*cell) != "" {
			errs = append(errs, dangvu.FieldError{Field: "transfers", Reason: fmt.Sprintf("chi bộ %s kết thúc ngày %s còn %d đảng viên đăng ký sinh hoạt nơi cư trú: cần chuyển đảng viên của chi bộ sang một chi bộ nơi cư trú (thôn, khu dân cư, tổ dân phố) để chuyển các đăng ký theo (QĐ 213-QĐ/TW)",
				id, vnDate(d), len(links))})
			continue
		}
		for _, l := range links {
			old := l
			if _, err := conn.ExecContext(ctx, `UPDATE residence_links SET valid_to = ? WHERE id = ?`, prev, l.ID); err != nil {
				return fmt.Errorf("store: residence: %w", err)
			}
			l.ID = "RL-" + l.MemberID + "-" + strings.ReplaceAll(d, "-", "")
			l.CellID, l.From = to, ev.Date
			l.Note = strings.TrimSpace(l.Note + " Chuyển theo sắp xếp tổ chức " + ev.ID + " (" + ev.Document + ") từ " + id + ".")
			if _, err := conn.ExecContext(ctx, `INSERT INTO residence_links (id, member_id, work_org, cell_id, valid_from, valid_to, category, letter, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				l.ID, l.MemberID, l.WorkOrg, l.CellID, l.From, l.To, l.Category, l.Letter, l.Note); err != nil {
				return dangvu.Errorf(dangvu.EConflict, "không chuyển được đăng ký nơi cư trú %s của đảng viên %s: %v", old.ID, l.MemberID, err)
			}
			if err := s.audit(ctx, conn, actor, "carry", "residence_link", l.ID, old, l); err != nil {
				return err
			}
		}
	}
	if len(errs) > 0 {
		return &dangvu.Error{Code: dangvu.EInvalid, Message: "Quyết định sắp xếp tổ chức chưa hợp lệ.", Fields: errs}
	}
	return nil
}
