package httpapi

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/reportout"
	"dangvu/internal/store"
	"dangvu/internal/vn"
)

// The bodies of the core routes (coreAPI names them for the OpenAPI document).
type (
	orgListBody struct {
		AsOf string `json:"as_of"`
		apiPage
		Organisations []dangvu.OrgNode `json:"organisations"`
	}
	orgBody struct {
		AsOf         string           `json:"as_of"`
		Organisation dangvu.OrgNode   `json:"organisation"`
		Children     []dangvu.OrgNode `json:"children"`
	}
	orgHistoryBody struct {
		Versions []dangvu.Org `json:"versions"`
	}
	memberListBody struct {
		AsOf string `json:"as_of"`
		apiPage
		// TotalCapped: total is the count cap, the list goes on (a search with few letters).
		TotalCapped bool            `json:"total_capped"`
		Members     []dangvu.Member `json:"members"`
	}
	memberBody struct {
		AsOf    string               `json:"as_of"`
		Member  dangvu.Member        `json:"member"`
		History dangvu.MemberHistory `json:"history"`
	}
	attentionBody struct {
		AsOf  string `json:"as_of"`
		OrgID string `json:"org_id,omitempty"`
		apiPage
		Items []dangvu.Attention `json:"items"`
	}
	healthBody struct {
		Status string `json:"status"`
		Engine string `json:"engine"`
	}
)

// coreAPI names the types of the core JSON routes.
var coreAPI = map[string]apiTypes{
	"GET /healthz":                           {out: healthBody{}},
	"GET /api/v1/openapi.json":               {out: map[string]any{}},
	"GET /api/v1/organisations":              {out: orgListBody{}},
	"GET /api/v1/organisations/{id}":         {out: orgBody{}},
	"GET /api/v1/organisations/{id}/history": {out: orgHistoryBody{}},
	"GET /api/v1/members":                    {out: memberListBody{}},
	"GET /api/v1/members/{id}":               {out: memberBody{}},
	"GET /api/v1/attention":                  {out: attentionBody{}, file: xlsxType},
	"POST /api/v1/import":                    {out: store.ImportResult{}, upload: "application/octet-stream"},
}

func (s *Server) orgList(w http.ResponseWriter, r *http.Request) error {
	asOf, err := date(r, "as_of", s.viewDay(r, r.URL.Query().Get("under")))
	if err != nil {
		return err
	}
	depth, err := intParam(r, "depth", 0)
	if err != nil {
		return err
	}
	f := dangvu.OrgFilter{AsOf: asOf, Under: s.defaultOrg(r, r.URL.Query().Get("under")), ParentID: r.URL.Query().Get("parent"), Name: r.URL.Query().Get("q"), Depth: depth, Limit: 5000}
	if err := s.checkOrg(r, f.Under, asOf); err != nil {
		return err
	}
	for _, l := range r.URL.Query()["level"] {
		f.Levels = append(f.Levels, dangvu.Level(l))
	}
	orgs, err := s.Store.Orgs(r.Context(), f)
	if err != nil {
		return err
	}
	orgs, page, err := pageOf(r, orgs, 1000)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, orgListBody{AsOf: dangvu.ISO(asOf), apiPage: page, Organisations: orgs})
}

func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

// orgNode reads the {id} organisation of a request as of its as_of date, with its counts, after
// checking it lies in the user's subtree. Pages and API share it.
func (s *Server) orgNode(r *http.Request) (dangvu.OrgNode, time.Time, error) {
	id := r.PathValue("id")
	// Without as_of, the organisation's own day (its last if it ended, else today); but when
	// that day puts it outside the reader's subtree and the reader's own day does not — an
	// account of an ended city opening one of its former cells, which lives on elsewhere — the
	// reader's day, the one its links were judged on (TestBrowserWalk).
	asOf, err := date(r, "as_of", s.viewDay(r, id))
	if err != nil {
		return dangvu.OrgNode{}, asOf, err
	}
	if err := s.checkOrg(r, id, asOf); err != nil {
		return dangvu.OrgNode{}, asOf, err
	}
	nodes, err := s.Store.Orgs(r.Context(), dangvu.OrgFilter{AsOf: asOf, Under: id, Limit: 1})
	if err != nil {
		return dangvu.OrgNode{}, asOf, err
	}
	return nodes[0], asOf, nil
}

func (s *Server) orgOne(w http.ResponseWriter, r *http.Request) error {
	node, asOf, err := s.orgNode(r)
	if err != nil {
		return err
	}
	children, err := s.Store.Orgs(r.Context(), dangvu.OrgFilter{AsOf: asOf, ParentID: node.ID})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, orgBody{AsOf: dangvu.ISO(asOf), Organisation: node, Children: nonNil(children)})
}

func (s *Server) orgHistory(w http.ResponseWriter, r *http.Request) error {
	if err := s.checkOrg(r, r.PathValue("id"), s.today()); err != nil {
		return err
	}
	h, err := s.Store.OrgHistory(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, orgHistoryBody{Versions: h})
}

func (s *Server) memberList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	asOf, err := date(r, "as_of", s.viewDay(r, q.Get("org")))
	if err != nil {
		return err
	}
	f := dangvu.MemberFilter{AsOf: asOf, Under: s.defaultOrg(r, q.Get("org")), Query: q.Get("q"), Gender: q.Get("gender")}
	f.Ethnicity, f.AgeBand, f.PartyAgeBand = q.Get("ethnicity"), q.Get("age"), q.Get("party_age")
	if u := s.user(r); u != nil && u.UserRole == dangvu.UserMember {
		// A member's account lists only their own record.
		f.Under, f.Query = "", u.MemberID
		if u.MemberID == "" {
			return writeJSON(w, http.StatusOK, memberListBody{AsOf: dangvu.ISO(asOf), Members: []dangvu.Member{}})
		}
	} else if err := s.checkOrg(r, f.Under, asOf); err != nil {
		return err
	}
	for _, st := range q["status"] {
		for _, x := range strings.Split(st, ",") {
			if !dangvu.ValidCode(dangvu.Statuses, dangvu.Status(x)) {
				return &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: "status", Reason: "trạng thái " + x + " không hợp lệ"}}}
			}
			f.Status = append(f.Status, dangvu.Status(x))
		}
	}
	if f.Offset, err = intParam(r, "offset", 0); err != nil {
		return err
	}
	if f.Limit, err = intParam(r, "limit", 50); err != nil {
		return err
	}
	page, err := s.Store.Members(r.Context(), f)
	if err != nil {
		return err
	}
	page.Members = nonNil(page.Members)
	if u := s.user(r); !wholeTree(u) && u.UserRole != dangvu.UserMember {
		// Those listed as of an earlier date who have left the subtree since: as they were then.
		ids := make([]string, len(page.Members))
		for i, m := range page.Members {
			ids[i] = m.ID
		}
		left, err := s.Store.MembersLeft(r.Context(), *u, ids, asOf)
		if err != nil {
			return err
		}
		for i, m := range page.Members {
			if until, ok := left[m.ID]; ok {
				page.Members[i] = m.Then(until)
			}
		}
	}
	for i := range page.Members {
		maskMember(&page.Members[i])
	}
	return writeJSON(w, http.StatusOK, memberListBody{AsOf: dangvu.ISO(asOf), TotalCapped: page.TotalCapped, Members: page.Members,
		apiPage: apiPage{Total: page.Total, Offset: page.Offset, Limit: page.Limit, Next: nextPage(r, page.Offset, page.Limit, page.Total)}})
}

func (s *Server) memberOne(w http.ResponseWriter, r *http.Request) error {
	asOf, err := date(r, "as_of", s.viewDay(r, ""))
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	until, err := s.memberSeenUntil(r, id, asOf)
	if err != nil {
		return err
	}
	reveal := r.URL.Query().Get("reveal") == "1"
	if reveal && until != dangvu.Forever {
		return errLeft(id, until)
	}
	m, err := s.Store.Member(r.Context(), id, asOf)
	if err != nil {
		return err
	}
	h, err := s.Store.MemberHistory(r.Context(), id)
	if err != nil {
		return err
	}
	if until != dangvu.Forever {
		// A member who has left the subtree since: the record as it was then.
		m, h = m.Then(until), h.Before(until)
	}
	if reveal {
		if err := s.reveal(r, id); err != nil {
			return err
		}
	} else {
		maskMember(&m)
	}
	return writeJSON(w, http.StatusOK, memberBody{AsOf: dangvu.ISO(asOf), Member: m, History: h})
}

func (s *Server) attention(w http.ResponseWriter, r *http.Request) error {
	asOf, err := date(r, "as_of", s.viewDay(r, r.URL.Query().Get("org")))
	if err != nil {
		return err
	}
	org := s.defaultOrg(r, r.URL.Query().Get("org"))
	if err := s.checkOrg(r, org, asOf); err != nil {
		return err
	}
	if org == "" {
		roots, err := s.Store.Orgs(r.Context(), dangvu.OrgFilter{AsOf: asOf, Limit: 1})
		if err != nil {
			return err
		}
		if len(roots) == 0 {
			return writeJSON(w, http.StatusOK, attentionBody{AsOf: dangvu.ISO(asOf), Items: []dangvu.Attention{}})
		}
		org = roots[0].ID
	}
	items, err := s.Store.Attention(r.Context(), org, asOf, s.role(r))
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "xlsx" {
		return writeXLSX(w, "viec-can-chu-y-"+org+"-"+dangvu.ISO(asOf)+".xlsx", attentionList(items, asOf))
	}
	page, list, err := pageOf(r, items, 1000)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, attentionBody{AsOf: dangvu.ISO(asOf), OrgID: org, apiPage: list, Items: page})
}

// attentionList is the items needing attention as a list, for the XLSX export.
func attentionList(items []dangvu.Attention, asOf time.Time) *dangvu.ReportList {
	l := &dangvu.ReportList{Title: "Việc cần chú ý đến ngày " + vn.FormatDate(asOf),
		Columns: []string{"Hạn", "Tình trạng", "Việc", "Chi tiết", "Tổ chức", "Căn cứ"}}
	for _, it := range items {
		state := "Sắp đến hạn"
		if it.Overdue {
			state = "Quá hạn"
		}
		due := it.Due.String()
		if !it.Due.IsZero() {
			due = vn.FormatDate(it.Due.Time)
		}
		l.Rows = append(l.Rows, []string{due, state, it.Title, it.Detail, it.OrgName, it.Rule})
	}
	return l
}

// writeXLSX sends a list as an XLSX download.
func writeXLSX(w http.ResponseWriter, name string, l *dangvu.ReportList) error {
	var buf bytes.Buffer
	if err := reportout.ListXLSX(&buf, l); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Cache-Control", "no-store")
	_, err := w.Write(buf.Bytes())
	return err
}
