package httpapi

// The search box in the header of every page: GET /search?q= finds members, organisations and
// documents within the reader's scope and role, so that a person reaches a record from any page
// without first choosing the list it lives in.

import (
	"net/http"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/vn"
)

// searchLimit is how many of each kind the search page lists; the full lists hold the rest.
const searchLimit = 20

func searchRoutes() []route {
	return []route{
		{"GET /search", htmlPage((*Server).searchPage), "Tìm kiếm đảng viên, tổ chức, văn bản trong phạm vi của người dùng", []string{"q", "as_of"}, false, dangvu.ActRead},
	}
}

func searchModule(m *module) { m.routes = append(m.routes, searchRoutes) }

type searchData struct {
	Q, ISO   string
	AsOf     time.Time
	Members  []dangvu.Member
	MoreMem  bool
	Orgs     []dangvu.OrgNode
	Docs     []dangvu.Document
	CanOrgs  bool // a member's account opens no organisation page
	CanDocs  bool // the role reads the document register
	Searched bool
	Nothing  bool
}

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) error {
	u := s.user(r)
	if u == nil {
		return errLogin
	}
	asOf, err := date(r, "as_of", s.viewDay(r, ""))
	if err != nil {
		return err
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	d := searchData{Q: q, AsOf: asOf, ISO: dangvu.ISO(asOf), CanOrgs: u.UserRole != dangvu.UserMember, CanDocs: u.UserRole.Can(dangvu.ActDocuments)}
	if q == "" {
		return s.render(w, r, http.StatusOK, "search.html", "Tìm kiếm", "", d)
	}
	d.Searched = true
	under := s.defaultOrg(r, "")
	if u.UserRole == dangvu.UserMember {
		// A member's account finds only their own record, and only when the words name it.
		if u.MemberID != "" {
			page, err := s.Store.Members(r.Context(), dangvu.MemberFilter{AsOf: asOf, Query: u.MemberID, Limit: 1})
			if err != nil {
				return err
			}
			for _, m := range page.Members {
				if strings.Contains(vn.Fold(m.FullName), vn.Fold(q)) || m.ID == q {
					d.Members = append(d.Members, m)
				}
			}
		}
	} else {
		if err := s.checkOrg(r, under, asOf); err != nil {
			return err
		}
		page, err := s.Store.Members(r.Context(), dangvu.MemberFilter{AsOf: asOf, Under: under, Query: q, Limit: searchLimit})
		if err != nil {
			return err
		}
		d.Members, d.MoreMem = page.Members, page.Total > len(page.Members)
		if d.Orgs, err = s.Store.Orgs(r.Context(), dangvu.OrgFilter{AsOf: asOf, Under: under, Name: q, Limit: searchLimit}); err != nil {
			return err
		}
	}
	if d.CanDocs && u.UserRole != dangvu.UserMember {
		docs, err := s.Store.Documents(r.Context(), dangvu.DocumentFilter{Under: under, AsOf: asOf, Query: q, Secret: s.canSecret(r), Limit: searchLimit})
		if err != nil {
			return err
		}
		d.Docs = docs
	}
	d.Nothing = len(d.Members) == 0 && len(d.Orgs) == 0 && len(d.Docs) == 0
	return s.render(w, r, http.StatusOK, "search.html", "Tìm kiếm: "+q, "", d)
}
