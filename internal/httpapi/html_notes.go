package httpapi

// What pages show of the rules: a rule's citation without the working notes on its confidence
// ("(điểm chưa xác minh)") — those belong on the rules page (/rules), not on a member's form or
// the list of what is due — and a rule set by its name, never its code.

import (
	"net/http"
	"regexp"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/rules/review"
)

// confidenceNote matches a parenthesised remark on a source's confidence.
var confidenceNote = regexp.MustCompile(`\s*\([^()]*(?:chưa xác minh|chưa được xác minh|cần xác minh|unconfirmed|unverified)[^()]*\)`)

// cite is a citation as printed for users.
func cite(s string) string { return strings.TrimSpace(confidenceNote.ReplaceAllString(s, "")) }

// ruleSetName is the name of a review rule set recorded by code ("qd366").
func ruleSetName(code string) string {
	if rs, ok := review.ByCode(code); ok && rs.Name != "" {
		return rs.Name
	}
	return code
}

func notesModule(m *module) {
	m.funcs["cite"] = cite
	m.funcs["ruleSetName"] = ruleSetName
	// sub8 is what a list cut after its first eight names leaves ("và 22 người khác").
	m.funcs["sub8"] = func(n int) int { return n - 8 }
}

// distinctNames tells apart organisations shown together under the same name — after the 2025
// mergers a ward holds two "Chi bộ khu 1", one from each former ward — by the organisation each
// belonged to before (its previous parent): "Chi bộ khu 1 (nguyên thuộc Đảng bộ phường Phương
// Đông)". names maps ids to their names; the answer maps the ids that need it to their label.
func (s *Server) distinctNames(r *http.Request, names map[string]string, asOf time.Time) map[string]string {
	byName := map[string][]string{}
	for id, n := range names {
		byName[n] = append(byName[n], id)
	}
	out := map[string]string{}
	for n, ids := range byName {
		if len(ids) < 2 {
			continue
		}
		for _, id := range ids {
			if former := s.formerParent(r, id, asOf); former != "" {
				out[id] = n + " (nguyên thuộc " + former + ")"
			}
		}
	}
	return out
}

// formerParent is the name of the organisation id belonged to before its parent last changed
// (on or before asOf), "" when it never moved.
func (s *Server) formerParent(r *http.Request, id string, asOf time.Time) string {
	h, err := s.Store.OrgHistory(r.Context(), id)
	if err != nil {
		return ""
	}
	d := dangvu.DateOf(asOf)
	cur := -1
	for i, v := range h {
		if !v.ValidFrom.After(d) {
			cur = i
		}
	}
	for i := cur - 1; i >= 0; i-- {
		if h[i].ParentID != h[cur].ParentID && h[i].ParentID != "" {
			end := h[i].ValidTo.Time
			if p, err := s.Store.Org(r.Context(), h[i].ParentID, end.AddDate(0, 0, -1)); err == nil {
				return p.Name
			}
			return h[i].ParentID
		}
	}
	return ""
}

// siblingKeys keys each node by its parent and name, so that only siblings are compared.
func siblingKeys(nodes []dangvu.OrgNode) map[string]string {
	m := make(map[string]string, len(nodes))
	for _, n := range nodes {
		m[n.ID] = n.ParentID + "\x00" + n.Name
	}
	return m
}

// relabel gives the nodes their distinguishing labels (the parent key dropped).
func relabel(nodes []dangvu.OrgNode, labels map[string]string) {
	for i, n := range nodes {
		if l, ok := labels[n.ID]; ok {
			nodes[i].Name = l[strings.IndexByte(l, 0)+1:]
		}
	}
}
