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
	var shared []string
	for _, ids := range byName {
		if len(ids) > 1 {
			shared = append(shared, ids...)
		}
	}
	out := map[string]string{}
	if len(shared) == 0 {
		return out
	}
	// One read for all of them: a page of members from many cells named alike asked for each
	// cell's history in turn, and under load every query waits its turn for a connection.
	former, err := s.Store.FormerParents(r.Context(), shared, asOf)
	if err != nil {
		return out // the labels help tell cells apart; the page stands without them
	}
	for _, id := range shared {
		if f := former[id]; f != "" {
			out[id] = names[id] + " (nguyên thuộc " + f + ")"
		}
	}
	return out
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
