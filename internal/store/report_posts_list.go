package store

import (
	"context"
	"database/sql"
	"fmt"

	"dangvu"
)

// holder names who holds a post on d: the member's name when the post is a member's, else the
// recorded holder's name; "" when nobody does.
const holderName = `(SELECT COALESCE(m.full_name, p.holder_name) || '|' || p.member_id FROM posts p LEFT JOIN members m ON m.id = p.member_id
	WHERE p.role = ? AND p.%s = %s AND p.valid_from <= ? AND p.valid_to > ? ORDER BY p.valid_from DESC LIMIT 1)`

// bothPosts is 1 when a member who holds the head's post (role head, p.%[1]s = %[2]s) on d also
// holds the secretary's post of %[3]s on d — the figures' condition. The names shown are the latest
// holders, but the records may hold two holders of one post on a day; the match must then be the
// figures' match, or a list would disagree with its figure.
const bothPosts = `(CASE WHEN EXISTS (SELECT 1 FROM posts h JOIN posts sc ON sc.role = 'secretary' AND sc.org_id = %[3]s AND sc.member_id = h.member_id
	AND sc.valid_from <= ? AND sc.valid_to > ? WHERE h.role = 'head' AND h.%[1]s = %[2]s AND h.member_id <> '' AND h.valid_from <= ? AND h.valid_to > ?) THEN 1 ELSE 0 END)`

// cellHeads lists the residential cells of the subtree on the as-of date with the locality they
// serve, their secretary and the locality's head: the list behind residential_cells (every cell)
// and secretary_is_village_head (only those where one member holds both posts).
func (s *Store) cellHeads(ctx context.Context, rc *reportCtx, sameOnly bool) (*dangvu.ReportList, error) {
	lo, hi := subtreeRange(rc.org.Path)
	d := rc.asOf
	rows, err := s.read.QueryContext(ctx, `SELECT l.cell_id, v.name, l.name,
		`+fmt.Sprintf(holderName, "org_id", "l.cell_id")+`, `+fmt.Sprintf(holderName, "locality_id", "l.id")+`, `+fmt.Sprintf(bothPosts, "locality_id", "l.id", "l.cell_id")+`
		FROM localities l JOIN org_paths p ON p.org_id = l.cell_id AND p.valid_from <= ? AND p.valid_to > ?
		JOIN org_versions v ON v.org_id = l.cell_id AND v.valid_from <= ? AND v.valid_to > ?
		WHERE l.valid_from <= ? AND l.valid_to > ? AND p.path >= ? AND p.path < ?
		ORDER BY p.path, l.id`, string(dangvu.RoleSecretary), d, d, string(dangvu.RoleHead), d, d, d, d, d, d, d, d, d, d, d, d, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("store: report list: %w", err)
	}
	defer rows.Close()
	l := &dangvu.ReportList{Title: "Chi bộ thôn, khu dân cư và trưởng thôn, khu", Columns: []string{"Chi bộ", "Thôn, khu", "Bí thư chi bộ", "Trưởng thôn, khu", "Kiêm nhiệm"}}
	if sameOnly {
		l.Title = "Bí thư chi bộ kiêm trưởng thôn, khu"
	}
	// The figures count cells, not localities: a cell serving several areas is one row, showing
	// the area whose head is the secretary when there is one.
	type cellRow struct {
		id   string
		vals []string
		same bool
	}
	var cells []*cellRow
	byID := map[string]*cellRow{}
	for rows.Next() {
		var cell, cellName, place string
		var sec, head sql.NullString
		var both int
		if err := rows.Scan(&cell, &cellName, &place, &sec, &head, &both); err != nil {
			return nil, err
		}
		secName, _ := split(sec.String)
		headName, _ := split(head.String)
		same := both == 1
		mark := map[bool]string{true: "Có", false: "Không"}[same]
		row := &cellRow{cell, []string{cellName, place, secName, headName, mark}, same}
		if prev, ok := byID[cell]; ok {
			if same && !prev.same {
				*prev = *row
			}
			continue
		}
		byID[cell] = row
		cells = append(cells, row)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, c := range cells {
		if sameOnly && !c.same {
			continue
		}
		l.Rows = append(l.Rows, c.vals)
		l.Links = append(l.Links, "/orgs/"+c.id)
	}
	return l, nil
}

// unitHeads lists the units served by organisations of the subtree on the as-of date with their
// head and the serving organisation's secretary; for those whose head is not the secretary it
// says why. The list behind agency_units (every unit) and head_is_secretary (the matches).
func (s *Store) unitHeads(ctx context.Context, rc *reportCtx, sameOnly bool) (*dangvu.ReportList, error) {
	lo, hi := subtreeRange(rc.org.Path)
	d := rc.asOf
	rows, err := s.read.QueryContext(ctx, `SELECT u.id, u.name, u.kind, u.org_id, v.name,
		`+fmt.Sprintf(holderName, "unit_id", "u.id")+`, `+fmt.Sprintf(holderName, "org_id", "u.org_id")+`, `+fmt.Sprintf(bothPosts, "unit_id", "u.id", "u.org_id")+`
		FROM units u JOIN org_paths p ON p.org_id = u.org_id AND p.valid_from <= ? AND p.valid_to > ?
		JOIN org_versions v ON v.org_id = u.org_id AND v.valid_from <= ? AND v.valid_to > ?
		WHERE u.valid_from <= ? AND u.valid_to > ? AND p.path >= ? AND p.path < ?
		ORDER BY p.path, u.id`, string(dangvu.RoleHead), d, d, string(dangvu.RoleSecretary), d, d, d, d, d, d, d, d, d, d, d, d, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("store: report list: %w", err)
	}
	defer rows.Close()
	l := &dangvu.ReportList{Title: "Cơ quan, đơn vị và thủ trưởng", Columns: []string{"Cơ quan, đơn vị", "Tổ chức đảng", "Thủ trưởng", "Bí thư cấp ủy", "Ghi chú"}}
	if sameOnly {
		l.Title = "Thủ trưởng cơ quan, đơn vị là bí thư cấp ủy"
	}
	for rows.Next() {
		var id, name, kind, org, orgName string
		var head, sec sql.NullString
		var both int
		if err := rows.Scan(&id, &name, &kind, &org, &orgName, &head, &sec, &both); err != nil {
			return nil, err
		}
		headName, headID := split(head.String)
		secName, _ := split(sec.String)
		same := both == 1
		if sameOnly && !same {
			continue
		}
		var why string
		switch {
		case same:
			why = "Thủ trưởng là bí thư"
		case headName == "":
			why = "Chưa ghi nhận thủ trưởng"
		case headID == "":
			why = "Thủ trưởng không phải đảng viên"
		case secName == "":
			why = "Tổ chức đảng chưa có bí thư"
		default:
			why = "Thủ trưởng là đảng viên nhưng không phải bí thư"
		}
		l.Rows = append(l.Rows, []string{name, orgName, headName, secName, why})
		l.Links = append(l.Links, "/orgs/"+org)
	}
	return l, rows.Err()
}

// split reads "name|member id".
func split(v string) (name, id string) {
	for i := len(v) - 1; i >= 0; i-- {
		if v[i] == '|' {
			return v[:i], v[i+1:]
		}
	}
	return v, ""
}
