package httpapi

// "Việc cần chú ý" grouped: the home page shows each kind of item as one group with its count,
// overdue groups first and the most serious kinds first among them (a late admission decision
// before a late remedy), each group openable in place (<details>, no script) and in full on
// /attention. A member's own home shows what is due for them: their open self-review and the
// documents they have still to study.

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"dangvu"
)

func attentionRoutes() []route {
	return []route{
		{"GET /attention", htmlPage((*Server).attentionPage), "Việc cần chú ý: một nhóm (kind, overdue) hoặc tất cả, trong phạm vi tổ chức", []string{"org", "kind", "overdue"}, false, dangvu.ActReports},
	}
}

func attentionModule(m *module) { m.routes = append(m.routes, attentionRoutes) }

// homeData is what the home page shows.
type homeData struct {
	Today     time.Time
	Empty     bool
	C         orgCounts
	Groups    []attentionGroup
	Total     int
	Mine      []dangvu.Attention // a member's own: self-review, documents to study
	Dashboard []comparison
	// What the home page links to, by what the role may open.
	CanOrgs, CanAudit, CanReports bool
	MemberID                      string
}

// attentionSeverity orders the kinds of items: decisions about a person's membership first, then
// appeals and transfers, then inspections, reviews and tasks. Kinds not listed come after.
var attentionSeverity = []string{
	"admission_decision_due", "full_decision_due", "full_vote_due", "admission_ceremony_due", "probation_ending",
	"discipline_appeal_due", "transfer_not_presented", "inspection_round_overdue", "inspection_follow_up_due",
	"self_review_due", "task_due", "remedy_overdue", "remedy_due",
}

// attentionGroup is the items of one kind, overdue or not.
type attentionGroup struct {
	Kind, Title string
	Overdue     bool
	Count       int
	Items       []dangvu.Attention // the first groupShown on the home page, all on /attention
	All         string             // the page with every item of the group
}

// groupShown is how many items of a group the home page lists.
const groupShown = 10

func severity(kind string) int {
	if i := slices.Index(attentionSeverity, kind); i >= 0 {
		return i
	}
	return len(attentionSeverity)
}

// groupAttention groups items by kind and lateness: overdue groups first, then by severity,
// then the larger group; items keep their order (by due date).
func groupAttention(items []dangvu.Attention, org string, shown int) []attentionGroup {
	var groups []attentionGroup
	at := map[string]int{}
	for _, it := range items {
		key := it.Kind + "|" + map[bool]string{true: "1", false: "0"}[it.Overdue]
		i, ok := at[key]
		if !ok {
			title := upperFirst(strings.TrimPrefix(strings.TrimPrefix(it.Title, "Quá hạn: "), "Quá hạn "))
			v := url.Values{"kind": {it.Kind}, "overdue": {map[bool]string{true: "1", false: "0"}[it.Overdue]}}
			if org != "" {
				v.Set("org", org)
			}
			groups = append(groups, attentionGroup{Kind: it.Kind, Title: title, Overdue: it.Overdue, All: "/attention?" + v.Encode()})
			i = len(groups) - 1
			at[key] = i
		}
		g := &groups[i]
		g.Count++
		if shown <= 0 || len(g.Items) < shown {
			g.Items = append(g.Items, it)
		}
	}
	slices.SortStableFunc(groups, func(a, b attentionGroup) int {
		if a.Overdue != b.Overdue {
			if a.Overdue {
				return -1
			}
			return 1
		}
		if d := severity(a.Kind) - severity(b.Kind); d != 0 {
			return d
		}
		return b.Count - a.Count
	})
	return groups
}

// linkable drops the links of the items the user may not open.
func (s *Server) linkable(r *http.Request, groups []attentionGroup, day time.Time) {
	for gi := range groups {
		for i := range groups[gi].Items {
			if it := &groups[gi].Items[i]; it.Link != "" && !s.mayOpen(r, it.Link, day) {
				it.Link = "" // the item stays: someone must act on it, but not through this role's pages
			}
		}
	}
}

// attentionPage lists every item of one group (kind and overdue), or all groups in full.
func (s *Server) attentionPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	org := s.defaultOrg(r, q.Get("org"))
	day := s.viewDay(r, org)
	if org == "" {
		roots, err := s.Store.Orgs(r.Context(), dangvu.OrgFilter{AsOf: day, Limit: 1})
		if err != nil {
			return err
		}
		if len(roots) == 0 {
			return dangvu.Errorf(dangvu.ENotFound, "không có tổ chức đảng nào vào ngày %s", dangvu.ISO(day))
		}
		org = roots[0].ID
	}
	if err := s.checkOrg(r, org, day); err != nil {
		return err
	}
	o, err := s.Store.Org(r.Context(), org, day)
	if err != nil {
		return err
	}
	items, err := s.Store.Attention(r.Context(), org, day, s.role(r))
	if err != nil {
		return err
	}
	kind, overdue := q.Get("kind"), q.Get("overdue")
	var keep []dangvu.Attention
	for _, it := range items {
		if (kind == "" || it.Kind == kind) && (overdue == "" || (overdue == "1") == it.Overdue) {
			keep = append(keep, it)
		}
	}
	groups := groupAttention(keep, org, 0)
	s.linkable(r, groups, day)
	return s.render(w, r, http.StatusOK, "attention.html", "Việc cần chú ý", "", struct {
		Org    dangvu.Org
		Day    time.Time
		Groups []attentionGroup
		Total  int
	}{o, day, groups, len(keep)})
}

// memberDue is what a member's own home page lists: the self-review they have still to submit
// and the documents they have still to study.
func (s *Server) memberDue(r *http.Request) []dangvu.Attention {
	u := s.user(r)
	if u == nil || u.UserRole != dangvu.UserMember || u.MemberID == "" {
		return nil
	}
	var out []dangvu.Attention
	if rs, err := s.Store.MemberReviews(r.Context(), u.MemberID); err == nil {
		for _, rv := range rs {
			if rv.FinalRating == "" && rv.Excluded == "" && rv.SelfOn.IsZero() {
				detail := ""
				if c, err := s.Store.Campaign(r.Context(), rv.CampaignID); err == nil {
					detail = c.Name
				}
				out = append(out, dangvu.Attention{Kind: "self_review_due", Title: "Nộp bản tự kiểm điểm", Detail: detail, Link: "/reviews/mine"})
			}
		}
	}
	if docs, err := s.Store.MemberDocuments(r.Context(), u.MemberID, s.today(), s.canSecret(r)); err == nil {
		for _, d := range docs {
			if d.StudiedOn.IsZero() {
				out = append(out, dangvu.Attention{Kind: "study_due", Title: "Học tập, quán triệt văn bản", Detail: strings.TrimSpace(d.Document.Number + " " + d.Document.Title), Link: "/study"})
			}
		}
	}
	return out
}

// upperFirst capitalises a title left without its "Quá hạn" prefix.
func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}
