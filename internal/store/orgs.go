package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/vn"
)

const orgCols = `v.org_id, v.valid_from, v.valid_to, v.name, v.parent_id, v.level, v.kind, v.issuer_code, v.event_id, p.path, p.depth`

// orgAsOf joins a version and a path segment both in force on the date (bound twice, as ?, ?).
const orgAsOf = `FROM org_versions v JOIN org_paths p ON p.org_id = v.org_id AND p.valid_from <= ? AND p.valid_to > ?
	WHERE v.valid_from <= ? AND v.valid_to > ?`

func scanOrg(sc interface{ Scan(...any) error }) (dangvu.Org, error) {
	var o dangvu.Org
	var level, kind string
	err := sc.Scan(&o.ID, &o.ValidFrom, &o.ValidTo, &o.Name, &o.ParentID, &level, &kind, &o.IssuerCode, &o.EventID, &o.Path, &o.Depth)
	o.Level, o.Kind = dangvu.Level(level), dangvu.OrgKind(kind)
	return o, err
}

func asOfArgs(d string) []any { return []any{d, d, d, d} }

// Org returns an organisation as it was on a date.
func (s *Store) Org(ctx context.Context, id string, asOf time.Time) (dangvu.Org, error) {
	d := dateArg(asOf)
	o, err := scanOrg(s.read.QueryRowContext(ctx, `SELECT `+orgCols+` `+orgAsOf+` AND v.org_id = ?`, append(asOfArgs(d), id)...))
	if errors.Is(err, sql.ErrNoRows) {
		return o, dangvu.Errorf(dangvu.ENotFound, "không có tổ chức đảng mã %q vào ngày %s", id, vn.FormatDate(asOf))
	}
	if err != nil {
		return o, fmt.Errorf("store: org: %w", err)
	}
	return o, nil
}

// ResolveOrg finds an organisation by id or by exact name as of a date. An ambiguous name is
// refused with the candidates' ids.
func (s *Store) ResolveOrg(ctx context.Context, ref string, asOf time.Time) (dangvu.Org, error) {
	ref = strings.TrimSpace(ref)
	if o, err := s.Org(ctx, ref, asOf); err == nil || dangvu.ErrorCode(err) != dangvu.ENotFound {
		return o, err
	}
	d := dateArg(asOf)
	found, err := scanAll(ctx, s.read, `SELECT `+orgCols+` `+orgAsOf+` AND v.name_fold = ? ORDER BY v.org_id LIMIT 20`, append(asOfArgs(d), vn.Fold(ref)), scanOrg)
	if err != nil {
		return dangvu.Org{}, fmt.Errorf("store: org: %w", err)
	}
	// Prefer exact spelling among diacritic-insensitive matches.
	var exact []dangvu.Org
	for _, o := range found {
		if o.Name == vn.NFC(ref) {
			exact = append(exact, o)
		}
	}
	if len(exact) > 0 {
		found = exact
	}
	switch len(found) {
	case 0:
		return dangvu.Org{}, dangvu.Errorf(dangvu.ENotFound, "không có tổ chức đảng %q vào ngày %s", ref, vn.FormatDate(asOf))
	case 1:
		return found[0], nil
	}
	ids := make([]string, len(found))
	for i, o := range found {
		ids[i] = o.ID + " (" + s.parentName(ctx, o, asOf) + ")"
	}
	return dangvu.Org{}, dangvu.Errorf(dangvu.EConflict, "có %d tổ chức tên %q vào ngày %s; hãy dùng mã: %s", len(found), ref, vn.FormatDate(asOf), strings.Join(ids, "; "))
}

func (s *Store) parentName(ctx context.Context, o dangvu.Org, asOf time.Time) string {
	if o.ParentID == "" {
		return "cấp cao nhất"
	}
	p, err := s.Org(ctx, o.ParentID, asOf)
	if err != nil {
		return o.ParentID
	}
	return "thuộc " + p.Name
}

// Orgs lists organisations as of a date with member counts, ordered by path.
func (s *Store) Orgs(ctx context.Context, f dangvu.OrgFilter) ([]dangvu.OrgNode, error) {
	d := dateArg(f.AsOf)
	q := `SELECT ` + orgCols + `, (SELECT count(*) FROM org_versions c WHERE c.parent_id = v.org_id AND c.valid_from <= ? AND c.valid_to > ?) ` + orgAsOf
	args := append([]any{d, d}, asOfArgs(d)...)
	if f.Under != "" {
		root, err := s.Org(ctx, f.Under, f.AsOf)
		if err != nil {
			return nil, err
		}
		lo, hi := subtreeRange(root.Path)
		q += ` AND p.path >= ? AND p.path < ?`
		args = append(args, lo, hi)
		if f.Depth > 0 {
			q += ` AND p.depth <= ?`
			args = append(args, root.Depth+f.Depth)
		}
	} else if f.Depth > 0 {
		q += ` AND p.depth <= ?`
		args = append(args, f.Depth)
	}
	if f.ParentID != "" {
		q += ` AND v.parent_id = ?`
		args = append(args, f.ParentID)
	}
	if f.Name != "" {
		q += ` AND v.name_fold LIKE ?`
		args = append(args, "%"+strings.NewReplacer("%", "", "_", "").Replace(vn.Fold(f.Name))+"%")
	}
	if len(f.Levels) > 0 {
		q += ` AND v.level IN (` + strings.TrimSuffix(strings.Repeat("?,", len(f.Levels)), ",") + `)`
		for _, l := range f.Levels {
			args = append(args, string(l))
		}
	}
	q += ` ORDER BY p.path`
	limit := f.Limit
	if limit <= 0 || limit > 5000 {
		limit = 5000
	}
	q += fmt.Sprintf(` LIMIT %d`, limit)
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: orgs: %w", err)
	}
	var out []dangvu.OrgNode
	for rows.Next() {
		var n dangvu.OrgNode
		var level, kind string
		if err := rows.Scan(&n.ID, &n.ValidFrom, &n.ValidTo, &n.Name, &n.ParentID, &level, &kind, &n.IssuerCode, &n.EventID, &n.Path, &n.Depth, &n.Children); err != nil {
			rows.Close()
			return nil, err
		}
		n.Level, n.Kind = dangvu.Level(level), dangvu.OrgKind(kind)
		out = append(out, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		c, err := s.countPath(ctx, out[i].Path, d, dangvu.CountFilter{})
		if err != nil {
			return nil, err
		}
		out[i].Members = c
	}
	return out, nil
}

// OrgHistory lists every version of an organisation.
func (s *Store) OrgHistory(ctx context.Context, id string) ([]dangvu.Org, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+orgCols+` FROM org_versions v
		JOIN org_paths p ON p.org_id = v.org_id AND p.valid_from <= v.valid_from AND p.valid_to > v.valid_from
		WHERE v.org_id = ? ORDER BY v.valid_from`, id)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	var out []dangvu.Org
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	if len(out) == 0 {
		return nil, dangvu.Errorf(dangvu.ENotFound, "không có tổ chức đảng mã %q", id)
	}
	return out, rows.Err()
}

// CountMembers counts the members belonging, as of a date, to the subtree of an organisation
// (the whole tree when orgID is empty): at the top of the tree one row of the counts kept by the
// writes (roster_counts), below it one index range scan over the roster.
func (s *Store) CountMembers(ctx context.Context, orgID string, asOf time.Time, f dangvu.CountFilter) (int, error) {
	path := "/"
	if orgID != "" {
		o, err := s.Org(ctx, orgID, asOf)
		if err != nil {
			return 0, err
		}
		path = o.Path
	}
	return s.countPath(ctx, path, dateArg(asOf), f)
}

// countPath counts the members under path ("/": the whole tree) as of day d: from the counts
// kept for the top of the tree, else from the roster.
func (s *Store) countPath(ctx context.Context, path, d string, f dangvu.CountFilter) (int, error) {
	if n, ok, err := s.keptCount(ctx, path, d, f); ok || err != nil {
		return n, err
	}
	return s.rosterCount(ctx, path, d, f)
}

// rosterCount counts the roster rows under path as of day d: one range scan of a covering index.
func (s *Store) rosterCount(ctx context.Context, path, d string, f dangvu.CountFilter) (int, error) {
	extra := ``
	args := []any{}
	if f.Status != "" {
		extra += ` AND status = ?`
		args = append(args, string(f.Status))
	}
	if f.Gender != "" {
		extra += ` AND gender = ?`
		args = append(args, f.Gender)
	}
	var n int
	var err error
	if path == "/" {
		err = s.read.QueryRowContext(ctx, `SELECT count(*) FROM roster WHERE valid_to > ? AND valid_from <= ?`+extra, append([]any{d, d}, args...)...).Scan(&n)
	} else {
		lo, hi := subtreeRange(path)
		err = s.read.QueryRowContext(ctx, `SELECT count(*) FROM roster WHERE path >= ? AND path < ? AND valid_from <= ? AND valid_to > ?`+extra, append([]any{lo, hi, d, d}, args...)...).Scan(&n)
	}
	if err != nil {
		return 0, fmt.Errorf("store: count: %w", err)
	}
	return n, nil
}

// CountOrgVersions counts stored organisation versions: zero means an empty database.
func (s *Store) CountOrgVersions(ctx context.Context) (int, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM org_versions`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: %w", err)
	}
	return n, nil
}
