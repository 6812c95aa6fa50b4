package httpapi

// Accounts of organisations that have ended. Every district committee ended on 1/7/2025 and
// more organisations end with each reorganisation; the accounts of their staff keep working:
// every page opens, by default, on the last day the organisation existed (viewDay), a banner
// in the layout says when and how it ended and where its members went (with links where the
// user may follow them), and an administrator moves the account to a successor
// (POST /admin/users/{id}/org, `dangvu user move`).

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"dangvu"
	"dangvu/internal/store"
	"dangvu/internal/vn"
)

// viewDay is the day a page shows when the request names none: today, or the last day of the
// organisation the request is about (org, else the user's own) when that organisation has ended.
// A user whose committee ended would otherwise be told that it does not exist.
func (s *Server) viewDay(r *http.Request, org string) time.Time {
	today := s.today()
	id := s.defaultOrg(r, org)
	if id == "" {
		return today
	}
	if _, err := s.Store.Org(r.Context(), id, today); dangvu.ErrorCode(err) != dangvu.ENotFound {
		return today
	}
	if last, ok := s.lastDay(r, id); ok && last.Before(today) {
		return last
	}
	return today
}

// endedBanner is the layout's notice for a user whose organisation has ended.
type endedBanner struct {
	store.OrgEnd
	Links map[string]bool // successors the user may open
}

// ended returns the banner for the request's user, nil when their organisation is in force
// (or they have none).
func (s *Server) ended(r *http.Request) *endedBanner {
	u := s.user(r)
	if u == nil || u.OrgID == "" || u.UserRole == dangvu.UserMember {
		return nil
	}
	today := s.today()
	if _, err := s.Store.Org(r.Context(), u.OrgID, today); dangvu.ErrorCode(err) != dangvu.ENotFound {
		return nil
	}
	end, err := s.Store.OrgEnd(r.Context(), u.OrgID)
	if err != nil || end.LastDay.IsZero() {
		return nil
	}
	b := &endedBanner{OrgEnd: end, Links: map[string]bool{}}
	for _, x := range end.Successors {
		b.Links[x.Org.ID] = s.checkOrg(r, x.Org.ID, today) == nil
	}
	return b
}

// linkRoutes finds the route a link of a page leads to, so that pages offer only the links their
// reader may follow (an item of "Việc cần chú ý" whose record the role may not open keeps its
// text without a link).
var linkRoutes = sync.OnceValues(func() (*http.ServeMux, map[string]route) {
	mux := http.NewServeMux()
	byPattern := map[string]route{}
	for _, rt := range routesForLinks() {
		if strings.HasPrefix(rt.pattern, "GET ") {
			mux.HandleFunc(rt.pattern, func(http.ResponseWriter, *http.Request) {})
			byPattern[rt.pattern] = rt
		}
	}
	return mux, byPattern
})

// routesForLinks is allRoutes, set from init: the route table holds the handlers that call
// mayOpen, so a direct reference would be an initialisation cycle.
var routesForLinks func() []route

func init() { routesForLinks = allRoutes }

// mayOpen reports whether the request's user may open a link (a local path): its route's
// action for their role, and the scope of the route's {id} as of asOf.
func (s *Server) mayOpen(r *http.Request, link string, asOf time.Time) bool {
	req, err := http.NewRequest(http.MethodGet, link, nil)
	if err != nil {
		return false
	}
	mux, byPattern := linkRoutes()
	_, pattern := mux.Handler(req)
	rt, ok := byPattern[pattern]
	if !ok {
		return false
	}
	u := s.user(r)
	if rt.public {
		return true
	}
	if u == nil || (rt.action != "" && !u.UserRole.Can(rt.action)) {
		return false
	}
	p := pattern[strings.IndexByte(pattern, ' ')+1:]
	if i := strings.Index(p, "{id}"); i >= 0 && !wholeTree(u) {
		seg := strings.Count(p[:i], "/")
		parts := strings.Split(req.URL.Path, "/")
		check := objectScopes[idKind(pattern)]
		if seg >= len(parts) || check == nil || check(s, r, parts[seg], asOf) != nil {
			return false
		}
	}
	return true
}

// memberIDOf is the member record of a member's account, "" for other accounts.
func memberIDOf(u *dangvu.User) string {
	if u == nil || u.UserRole != dangvu.UserMember {
		return ""
	}
	return u.MemberID
}

// orgIDsOf lists the organisations a member's history names.
func orgIDsOf(h dangvu.MemberHistory) []string {
	var ids []string
	for _, x := range h.Memberships {
		ids = append(ids, x.OrgID)
	}
	for _, x := range h.Movements {
		ids = append(ids, x.FromOrgID, x.ToOrgID)
	}
	for _, x := range h.Posts {
		ids = append(ids, x.OrgID)
	}
	return ids
}

// userMove moves an account to another organisation, named by code or name (as of today).
func (s *Server) userMove(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("id")
	if err := r.ParseForm(); err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "Biểu mẫu không đọc được.")
	}
	ref := strings.TrimSpace(r.PostForm.Get("org_ref"))
	if ref == "" {
		ref = strings.TrimSpace(r.PostForm.Get("org"))
	}
	today := s.today()
	if ref != "" {
		o, err := s.Store.ResolveOrg(r.Context(), ref, today)
		if err == nil && s.checkOrg(r, o.ID, today) != nil {
			// Outside the administrator's subtree: answered as an unknown organisation.
			err = dangvu.Errorf(dangvu.ENotFound, "không có tổ chức đảng %q vào ngày %s", ref, vn.FormatDate(today))
		}
		if err != nil {
			return &dangvu.Error{Code: dangvu.ErrorCode(err), Message: fmt.Sprintf("Chưa chuyển được tài khoản %s.", name),
				Fields: []dangvu.FieldError{{Field: "org", Reason: dangvu.ErrorMessage(err)}}}
		}
		ref = o.ID
	}
	if _, err := s.Store.MoveUser(r.Context(), s.user(r).Username, name, ref, today); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/users?moved="+url.QueryEscape(name), http.StatusSeeOther)
	return nil
}
