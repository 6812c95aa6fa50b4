package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
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
	memo, _ := ctx.Value(orgMemoKey{}).(*orgMemo)
	if o, ok := memo.get(id, d); ok {
		return o, nil
	}
	o, err := scanOrg(s.read.QueryRowContext(ctx, `SELECT `+orgCols+` `+orgAsOf+` AND v.org_id = ?`, append(asOfArgs(d), id)...))
	if errors.Is(err, sql.ErrNoRows) {
		return o, dangvu.Errorf(dangvu.ENotFound, "không có tổ chức đảng mã %q vào ngày %s", id, vn.FormatDate(asOf))
	}
	if err != nil {
		return o, fmt.Errorf("store: org: %w", err)
	}
	memo.put(id, d, o)
	return o, nil
}

// WithOrgMemo returns a context in which Org remembers the organisations it has found, for a
// request that only reads: a page asked for the same organisation on the same day three times
// or more (its scope check, its day, its list), and under load each query waits its turn for
// a read connection. Not for writes, which may change an organisation between two lookups.
func WithOrgMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, orgMemoKey{}, &orgMemo{m: map[[2]string]dangvu.Org{}})
}

type orgMemoKey struct{}

// orgMemo holds organisations by id and day; a report's sections may look them up side by side.
type orgMemo struct {
	mu sync.Mutex
	m  map[[2]string]dangvu.Org
}

func (m *orgMemo) get(id, d string) (dangvu.Org, bool) {
	if m == nil {
		return dangvu.Org{}, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	o, ok := m.m[[2]string{id, d}]
	return o, ok
}

func (m *orgMemo) put(id, d string, o dangvu.Org) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.m[[2]string{id, d}] = o
}

// orgNames returns the names of organisations as of a date, as Org would give them; those
// that did not exist then are left out.
func (s *Store) orgNames(ctx context.Context, ids []string, asOf time.Time) (map[string]string, error) {
	names := make(map[string]string, len(ids))
	err := inChunks(ids, func(ph string, args []any) error {
		pairs, err := scanAll(ctx, s.read, `SELECT v.org_id, v.name `+orgAsOf+` AND v.org_id IN (`+ph+`)`, append(asOfArgs(dateArg(asOf)), args...),
			func(sc interface{ Scan(...any) error }) ([2]string, error) {
				var x [2]string
				return x, sc.Scan(&x[0], &x[1])
			})
		if err != nil {
			return fmt.Errorf("store: org names: %w", err)
		}
		for _, x := range pairs {
			names[x[0]] = x[1]
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return names, nil
}

// FormerParents returns, for each of the organisations ids that moved, the name of the
// organisation it belonged to before its parent last changed on or before asOf (its id when
// that one cannot be named then); those that never moved are left out. Read in two queries
// whatever the number of ids: the versions of them all, then the former parents' names.
func (s *Store) FormerParents(ctx context.Context, ids []string, asOf time.Time) (map[string]string, error) {
	hist := map[string][]dangvu.Org{}
	err := inChunks(ids, func(ph string, args []any) error {
		// The versions OrgHistory gives: those with a path in force on their first day.
		vs, err := scanAll(ctx, s.read, `SELECT `+orgCols+` FROM org_versions v
			JOIN org_paths p ON p.org_id = v.org_id AND p.valid_from <= v.valid_from AND p.valid_to > v.valid_from
			WHERE v.org_id IN (`+ph+`) ORDER BY v.org_id, v.valid_from`, args, scanOrg)
		if err != nil {
			return fmt.Errorf("store: former parents: %w", err)
		}
		for _, v := range vs {
			hist[v.ID] = append(hist[v.ID], v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	d := dangvu.DateOf(asOf)
	type ask struct{ parent, child string }
	byDay := map[time.Time][]ask{} // the former parent is named as it was on its last day
	for id, h := range hist {
		cur := -1
		for i, v := range h {
			if !v.ValidFrom.After(d) {
				cur = i
			}
		}
		for i := cur - 1; i >= 0; i-- {
			if h[i].ParentID != h[cur].ParentID && h[i].ParentID != "" {
				day := h[i].ValidTo.Time.AddDate(0, 0, -1)
				byDay[day] = append(byDay[day], ask{h[i].ParentID, id})
				break
			}
		}
	}
	out := map[string]string{}
	for day, asks := range byDay {
		parents := make([]string, len(asks))
		for i, a := range asks {
			parents[i] = a.parent
		}
		names, err := s.orgNames(ctx, parents, day)
		if err != nil {
			return nil, err
		}
		for _, a := range asks {
			if n, ok := names[a.parent]; ok {
				out[a.child] = n
			} else {
				out[a.child] = a.parent
			}
		}
	}
	return out, nil
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
	paths := make([]string, len(out))
	for i := range out {
		paths[i] = out[i].Path
	}
	counts, err := s.countPaths(ctx, paths, d)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Members = counts[out[i].Path]
	}
	return out, nil
}

// countPaths counts the members under each of paths as of day d, as countPath would one by
// one, in at most a few queries whatever their number: the root's 63 provinces or a ward's
// cells were a query each, and under load each query waits its turn for one of the read
// connections (docs/benchmarks.md, the load test). The kept paths are read in one query of
// roster_counts; the others by one range scan per outermost path, each grouped by
// organisation path so that the paths nested in it are counted from the same rows.
func (s *Store) countPaths(ctx context.Context, paths []string, d string) (map[string]int, error) {
	out := make(map[string]int, len(paths))
	var kept, rest []string
	for _, p := range paths {
		if _, dup := out[p]; dup {
			continue
		}
		out[p] = 0
		if pathDepth(p) <= rosterCountDepth {
			kept = append(kept, p)
		} else {
			rest = append(rest, p)
		}
	}
	err := inChunks(kept, func(_ string, args []any) error {
		// Each path's last row on or before d, as keptCount reads it (a condition on max(day)
		// instead read every day of each path, thousands, once per row).
		rows, err := s.read.QueryContext(ctx, `WITH p(path) AS (VALUES `+strings.TrimSuffix(strings.Repeat("(?), ", len(args)), ", ")+`)
			SELECT p.path, COALESCE((SELECT `+strings.Join(countCols, " + ")+` FROM roster_counts c WHERE c.path = p.path AND c.day <= ? ORDER BY c.day DESC LIMIT 1), 0) FROM p`,
			append(args, d)...)
		if err != nil {
			return fmt.Errorf("store: count: %w", err)
		}
		return scanCounts(rows, func(p string, n int) { out[p] = n })
	})
	if err != nil {
		return nil, err
	}
	// The outermost of the other paths, each scanned once.
	sort.Strings(rest)
	var tops []string
	for _, p := range rest {
		if len(tops) == 0 || !strings.HasPrefix(p, tops[len(tops)-1]) {
			tops = append(tops, p)
		}
	}
	type counted struct {
		path string
		n    int
	}
	var got []counted // by organisation path, in path order (the tops are disjoint and sorted)
	for len(tops) > 0 {
		batch := tops[:min(len(tops), 100)]
		tops = tops[len(batch):]
		parts := make([]string, len(batch))
		var args []any
		for i, p := range batch {
			lo, hi := subtreeRange(p)
			parts[i] = `SELECT path, count(*) FROM roster WHERE path >= ? AND path < ? AND valid_from <= ? AND valid_to > ? GROUP BY path`
			args = append(args, lo, hi, d, d)
		}
		rows, err := s.read.QueryContext(ctx, strings.Join(parts, " UNION ALL "), args...)
		if err != nil {
			return nil, fmt.Errorf("store: count: %w", err)
		}
		if err := scanCounts(rows, func(p string, n int) { got = append(got, counted{p, n}) }); err != nil {
			return nil, err
		}
	}
	sort.Slice(got, func(i, j int) bool { return got[i].path < got[j].path })
	for _, p := range rest {
		lo, hi := subtreeRange(p)
		i := sort.Search(len(got), func(i int) bool { return got[i].path >= lo })
		for ; i < len(got) && got[i].path < hi; i++ {
			out[p] += got[i].n
		}
	}
	return out, nil
}

// scanCounts reads rows of (path, count).
func scanCounts(rows *sql.Rows, add func(string, int)) error {
	defer rows.Close()
	for rows.Next() {
		var p string
		var n int
		if err := rows.Scan(&p, &n); err != nil {
			return err
		}
		add(p, n)
	}
	return rows.Err()
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
