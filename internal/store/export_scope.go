package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/exchange"
)

// ExportUnder writes the part of the data set that lies in an organisation's subtree, with the
// same tables, columns and order as Export, and returns the rows written per table. An empty
// orgID writes everything.
//
// The subtree is taken over all time: an organisation belongs to it when any of its path
// segments (org_paths) lies under any path the organisation orgID ever had. Written are those
// organisations' versions, terms, localities, units and posts; the members who ever had a
// membership in one of them, with all their statuses and movements but only the memberships in
// the subtree; and the reorganisations the written versions, memberships and dues remittances
// refer to. asOf does
// not narrow anything (every version is written, as the subtree is taken over all time); it is
// the date the caller exports as of, kept in the signature for a later "as of" export.
//
// Rows are filtered as they are read (the queries of Export), in one read transaction. Every
// table and every field is written as it is stored: this is the command line's and the tests'
// export; a user's export goes through ExportFor, which applies the reader's rights.
func (s *Store) ExportUnder(ctx context.Context, w exchange.Writer, orgID string, asOf time.Time) (map[string]int, error) {
	sum, err := s.exportSubset(ctx, w, ExportRequest{OrgID: orgID, AsOf: asOf, Role: dangvu.UserAdmin, Reveal: true}, true)
	return sum.Rows, err
}

// scopeFilters computes the organisations, members and reorganisations of orgID's subtree (see
// ExportUnder) and returns, per table, whether a row belongs to it.
func (s *Store) scopeFilters(ctx context.Context, tx queryer, orgID string) (map[string]func([]string) bool, *exportScope, error) {
	each := func(q string, fn func(a, b string), args ...any) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("store: export scope: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var a, b string
			if err := rows.Scan(&a, &b); err != nil {
				return err
			}
			fn(a, b)
		}
		return rows.Err()
	}
	pairs := func(q string, args ...any) ([][2]string, error) {
		var out [][2]string
		err := each(q, func(a, b string) { out = append(out, [2]string{a, b}) }, args...)
		return out, err
	}
	roots, err := pairs(`SELECT org_id, path FROM org_paths WHERE org_id = ?`, orgID)
	if err != nil {
		return nil, nil, err
	}
	if len(roots) == 0 {
		return nil, nil, dangvu.Errorf(dangvu.ENotFound, "không có tổ chức đảng mã %q", orgID)
	}
	paths, err := pairs(`SELECT org_id, path FROM org_paths`)
	if err != nil {
		return nil, nil, err
	}
	orgs := map[string]bool{}
	for _, p := range paths {
		if slices.ContainsFunc(roots, func(r [2]string) bool { return strings.HasPrefix(p[1], r[1]) }) {
			orgs[p[0]] = true
		}
	}
	// The reorganisations the subtree's rows name: its organisations' versions, the memberships
	// in them and their dues remittances (each of these tables goes with the subtree by its
	// org_id). A handover of dues when an organisation ends names the event that ended it, which
	// no version names when the organisation is dissolved.
	events := map[string]bool{}
	for _, q := range []string{`SELECT org_id, event_id FROM org_versions`, `SELECT org_id, event_id FROM memberships`,
		`SELECT org_id, event_id FROM dues_remittances`} {
		if err := each(q, func(org, ev string) {
			if orgs[org] && ev != "" {
				events[ev] = true
			}
		}); err != nil {
			return nil, nil, err
		}
	}
	members := map[string]bool{}
	ships, err := pairs(`SELECT member_id, org_id FROM memberships`)
	if err != nil {
		return nil, nil, err
	}
	for _, m := range ships {
		if orgs[m[1]] {
			members[m[0]] = true
		}
	}
	// A village head's or a unit head's post names the locality or unit, not the organisation:
	// it goes with the locality (the unit) the subtree's cell (organisation) serves.
	places, units := map[string]bool{}, map[string]bool{}
	for _, x := range []struct {
		q   string
		set map[string]bool
	}{{`SELECT id, cell_id FROM localities`, places}, {`SELECT id, org_id FROM units`, units}} {
		rows, err := pairs(x.q)
		if err != nil {
			return nil, nil, err
		}
		for _, r := range rows {
			if orgs[r[1]] {
				x.set[r[0]] = true
			}
		}
	}
	// in returns a filter on the column col of a table: its value must be in set.
	in := func(table, col string, set map[string]bool) func([]string) bool {
		t, _ := exchange.Lookup(table)
		i := slices.Index(t.Columns, col)
		return func(v []string) bool { return i >= 0 && set[v[i]] }
	}
	shipOrg := in("memberships", "org_id", orgs)
	postOrg, postPlace, postUnit := in("posts", "org_id", orgs), in("posts", "locality_id", places), in("posts", "unit_id", units)
	sc := &exportScope{orgs: orgs, members: members, kept: map[string]map[string]bool{}, root: orgID, pairs: pairs, each: each}
	return map[string]func([]string) bool{
		"reorganisations": in("reorganisations", "id", events),
		"organisations":   in("organisations", "id", orgs),
		"terms":           in("terms", "org_id", orgs),
		"localities":      in("localities", "cell_id", orgs),
		"units":           in("units", "org_id", orgs),
		"members":         in("members", "id", members),
		"member_statuses": in("member_statuses", "member_id", members),
		"memberships":     shipOrg,
		"movements":       in("movements", "member_id", members),
		"posts": func(v []string) bool {
			return postOrg(v) || postPlace(v) || postUnit(v)
		},
	}, sc, nil
}
