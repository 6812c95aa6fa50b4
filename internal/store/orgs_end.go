package store

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"dangvu"
	"dangvu/internal/vn"
)

// maxSuccessors bounds the list: a district's members go to a handful of wards and to the
// enterprises moved under the province, one or two each; the banner names the main ones.
const maxSuccessors = 6

// OrgEnd returns how an organisation ended, with a zero LastDay when it is still in force.
func (s *Store) OrgEnd(ctx context.Context, id string) (dangvu.OrgEnd, error) {
	h, err := s.OrgHistory(ctx, id)
	if err != nil {
		return dangvu.OrgEnd{}, err
	}
	out := dangvu.OrgEnd{Org: h[len(h)-1]}
	if out.Org.ValidTo == dangvu.Forever {
		return out, nil
	}
	out.LastDay = out.Org.ValidTo.AddDays(-1)
	last := out.LastDay.String()
	// The path on its last day (an ancestor may have moved during the last version).
	path, err := s.pathNear(ctx, id, out.LastDay.Time, false)
	if err != nil {
		return out, err
	}
	out.Org.Path = path

	rows, err := s.read.QueryContext(ctx, `SELECT id, date, kind, document, description FROM reorg_events WHERE date = ? ORDER BY id`, out.Org.ValidTo)
	if err != nil {
		return out, fmt.Errorf("store: org end: %w", err)
	}
	name := vn.Fold(out.Org.Name)
	var all []dangvu.ReorgEvent
	for rows.Next() {
		var e dangvu.ReorgEvent
		if err := rows.Scan(&e.ID, &e.Date, &e.Kind, &e.Document, &e.Description); err != nil {
			rows.Close()
			return out, fmt.Errorf("store: org end: %w", err)
		}
		all = append(all, e)
		if strings.Contains(vn.Fold(e.Description), name) {
			out.Events = append(out.Events, e)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("store: org end: %w", err)
	}
	if len(out.Events) == 0 && len(all) == 1 {
		out.Events = all // the only reorganisation of the day, though its text does not name it
	}

	lo, hi := subtreeRange(path)
	rows, err = s.read.QueryContext(ctx, `SELECT n.path, count(*) FROM roster o
		JOIN roster n ON n.member_id = o.member_id AND n.valid_from <= ? AND n.valid_to > ?
		WHERE o.path >= ? AND o.path < ? AND o.valid_from <= ? AND o.valid_to > ?
		GROUP BY n.path`, out.Org.ValidTo, out.Org.ValidTo, lo, hi, last, last)
	if err != nil {
		return out, fmt.Errorf("store: org end: %w", err)
	}
	above := map[string]bool{}
	for _, a := range strings.Split(strings.Trim(path, "/"), "/") {
		above[a] = true // the ended organisation itself included
	}
	counts := map[string]int{}
	for rows.Next() {
		var p string
		var n int
		if err := rows.Scan(&p, &n); err != nil {
			rows.Close()
			return out, fmt.Errorf("store: org end: %w", err)
		}
		for _, a := range strings.Split(strings.Trim(p, "/"), "/") {
			if !above[a] {
				counts[a] += n
				break
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("store: org end: %w", err)
	}
	ids := make([]string, 0, len(counts))
	for oid := range counts {
		ids = append(ids, oid)
	}
	sort.Slice(ids, func(i, j int) bool {
		if counts[ids[i]] != counts[ids[j]] {
			return counts[ids[i]] > counts[ids[j]]
		}
		return ids[i] < ids[j]
	})
	for _, oid := range ids[:min(len(ids), maxSuccessors)] {
		o, err := s.Org(ctx, oid, out.Org.ValidTo.Time)
		if err != nil {
			return out, err
		}
		out.Successors = append(out.Successors, dangvu.Successor{Org: o, Members: counts[oid]})
	}
	return out, nil
}
