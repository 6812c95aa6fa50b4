package store

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"dangvu"
)

// orgVersion is an organisation version with where it came from, for error messages.
type orgVersion struct {
	dangvu.Org
	row int // row in the import file; 0 when it came from the database
}

// pathSeg is a span of time in which an organisation's materialised path is constant.
type pathSeg struct {
	orgID    string
	from, to dangvu.Date
	path     string
	depth    int
}

// computePaths derives the path segments of every organisation from its versions: a version's path
// is its parent's path (which may change during the version, when an ancestor moves) plus its own
// id. It fails, naming the version, when a parent is missing for part of a version's time or the
// parents form a cycle.
func computePaths(versions map[string][]orgVersion) (map[string][]pathSeg, []dangvu.FieldError) {
	c := &pathCalc{versions: versions, segs: map[string][]pathSeg{}, state: map[string]int{}, failed: map[string]bool{}}
	ids := make([]string, 0, len(versions))
	for id := range versions {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		c.org(id)
	}
	return c.segs, c.errs
}

type pathCalc struct {
	versions map[string][]orgVersion
	segs     map[string][]pathSeg
	state    map[string]int // 1 in progress, 2 done
	failed   map[string]bool
	errs     []dangvu.FieldError
}

func (c *pathCalc) fail(v orgVersion, field, reason string) {
	c.failed[v.ID] = true
	c.errs = append(c.errs, dangvu.FieldError{Table: "organisations", Row: v.row, Field: field, Reason: fmt.Sprintf("tổ chức %s (phiên bản từ %s): %s", v.ID, vnDate(v.ValidFrom), reason)})
}

func (c *pathCalc) org(id string) []pathSeg {
	switch c.state[id] {
	case 2:
		return c.segs[id]
	case 1:
		return nil // a cycle; reported by the caller that found it
	}
	c.state[id] = 1
	var out []pathSeg
	for _, v := range c.versions[id] {
		if v.ParentID == "" {
			out = appendSeg(out, pathSeg{id, v.ValidFrom, v.ValidTo, "/" + id + "/", 1})
			continue
		}
		if _, ok := c.versions[v.ParentID]; !ok {
			c.fail(v, "parent_id", fmt.Sprintf("không có tổ chức cấp trên %q", v.ParentID))
			continue
		}
		if c.state[v.ParentID] == 1 {
			c.fail(v, "parent_id", "quan hệ cấp trên tạo thành vòng lặp")
			continue
		}
		parent := c.org(v.ParentID)
		if c.failed[v.ParentID] {
			// The parent's own error says what is wrong; a second one here would only echo it.
			c.failed[id] = true
			continue
		}
		// The parent's segments must cover [from, to) without gaps.
		at := v.ValidFrom
		for _, p := range parent {
			if !p.to.After(at) || !p.from.Before(v.ValidTo) {
				continue
			}
			if p.from.After(at) {
				break
			}
			end := dangvu.MinDate(p.to, v.ValidTo)
			out = appendSeg(out, pathSeg{id, at, end, p.path + id + "/", p.depth + 1})
			at = end
			if !at.Before(v.ValidTo) {
				break
			}
		}
		if at.Before(v.ValidTo) {
			c.fail(v, "parent_id", fmt.Sprintf("tổ chức cấp trên %s không có hiệu lực từ %s", v.ParentID, vnDate(at)))
		}
	}
	c.segs[id] = out
	c.state[id] = 2
	return out
}

// appendSeg appends s, merging it into the last segment when they touch and share the path.
func appendSeg(segs []pathSeg, s pathSeg) []pathSeg {
	if n := len(segs); n > 0 && segs[n-1].to == s.from && segs[n-1].path == s.path {
		segs[n-1].to = s.to
		return segs
	}
	return append(segs, s)
}

// Which day's tree places a subject (docs/reports.md, "Which day's tree"). A query that asks
// whether a dated subject — a member, an organisation, an admission, a conference, a review, a
// round, a decision, a post — lies in an organisation's subtree reads BOTH paths, the subject's
// and the organisation's, from the tree of one day, the placement day:
//
//   - membership, party age, posts and coverage: the as-of date;
//   - an admission decision, a conference, an inspection round: its date;
//   - a review: its campaign's period end;
//   - a discipline decision: the day before it (the decision may end the membership, or the
//     organisation, from its own date), for the reports, the lists and the competence check alike.
//
// A query that already holds the organisation's path as of the day (an Org read on the as-of
// date) ranges over the subjects' paths of that same day with subtreeRange: the same rule, in its
// fast form. Reading the two paths on different days loses every subject whose ancestors changed in
// between (issue 14: a reprimand dated on the day a city level was abolished counted nowhere but
// in the province).
type placement int

const (
	onDay     placement = iota // the tree of the date itself
	dayBefore                  // the tree of the day before the date
)

// covers is the condition that the interval [alias.valid_from, alias.valid_to) holds the
// placement day of the ISO date expression day (a column or a ?).
func (p placement) covers(alias, day string) string {
	if p == dayBefore {
		return alias + ".valid_from < " + day + " AND " + alias + ".valid_to >= " + day
	}
	return alias + ".valid_from <= " + day + " AND " + alias + ".valid_to > " + day
}

// under is the condition that the path expression subj (read on the placement day of day) lies
// in the subtree of the organisation bound by the next ?, as the tree stood on that same day.
// strict leaves the organisation itself out. The organisation may not exist that day: then
// nothing lies under it.
func (p placement) under(subj, day string, strict bool) string {
	return p.underOrg(subj, "?", day, strict)
}

// underOrg is under with the organisation given by an SQL expression (a column) instead of a ?.
func (p placement) underOrg(subj, org, day string, strict bool) string {
	c := `EXISTS (SELECT 1 FROM org_paths ua WHERE ua.org_id = ` + org + ` AND ` + p.covers("ua", day) +
		` AND substr(` + subj + `, 1, length(ua.path)) = ua.path`
	if strict {
		c += ` AND ` + subj + ` <> ua.path`
	}
	return c + `)`
}

// span is one row of an organisation's own org_paths: its path over [from, to).
type span struct{ path, from, to string }

// orgSpans reads the organisation's path over its whole life (a few rows, by primary key).
func orgSpans(ctx context.Context, q queryer, org string) ([]span, error) {
	rows, err := q.QueryContext(ctx, `SELECT path, valid_from, valid_to FROM org_paths WHERE org_id = ? ORDER BY valid_from`, org)
	if err != nil {
		return nil, fmt.Errorf("store: paths of %s: %w", org, err)
	}
	defer rows.Close()
	var out []span
	for rows.Next() {
		var x span
		if err := rows.Scan(&x.path, &x.from, &x.to); err != nil {
			return nil, fmt.Errorf("store: paths of %s: %w", org, err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// underSpans is under in its fast form, for an organisation whose path rows were read before the
// query (orgSpans): the same condition — subj, read on the placement day of day, lies under the
// organisation's path of that same day — written as one path range per row of the organisation,
// so that the planner can start from the subtree (org_paths_path, roster_path) instead of every
// dated subject in the country and a correlated EXISTS per row. It returns the condition and its
// arguments, in order; an organisation without paths has nothing under it.
func (p placement) underSpans(spans []span, subj, day string, strict bool) (string, []any) {
	if len(spans) == 0 {
		return `1 = 0`, nil
	}
	var b strings.Builder
	var args []any
	b.WriteString("(")
	for i, sp := range spans {
		if i > 0 {
			b.WriteString(" OR ")
		}
		lo, hi := subtreeRange(sp.path)
		// covers(ua, day) with ua = this row: onDay from <= day < to; dayBefore from < day <= to.
		if p == dayBefore {
			b.WriteString("(" + day + " > ? AND " + day + " <= ? AND " + subj + " >= ? AND " + subj + " < ?")
		} else {
			b.WriteString("(" + day + " >= ? AND " + day + " < ? AND " + subj + " >= ? AND " + subj + " < ?")
		}
		args = append(args, sp.from, sp.to, lo, hi)
		if strict {
			b.WriteString(" AND " + subj + " <> ?")
			args = append(args, sp.path)
		}
		b.WriteString(")")
	}
	b.WriteString(")")
	return b.String(), args
}
