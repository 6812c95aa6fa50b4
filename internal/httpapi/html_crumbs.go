package httpapi

// Breadcrumbs on organisation and member pages: the organisation's path from the reader's root
// (the top of the tree for those who see it all), each step linked, as of the page's day.

import (
	"net/http"
	"time"

	"dangvu"
)

// crumb is one organisation on the path.
type crumb struct{ ID, Name string }

// crumbTrail is what the "crumbs" template (layout.html) draws: Items linked, then Current.
type crumbTrail struct {
	Items   []crumb
	ISO     string
	Current string
}

// maxDepth bounds the walk up the tree, against a cycle in bad data.
const maxDepth = 16

// crumbs is the path from the reader's root down to orgID (included), as of asOf; empty when
// the reader may not open orgID (a member's account opens no organisation page).
func (s *Server) crumbs(r *http.Request, orgID string, asOf time.Time) []crumb {
	if u := s.user(r); u == nil || u.UserRole == dangvu.UserMember {
		return nil
	}
	var path []crumb
	for id := orgID; id != "" && len(path) < maxDepth; {
		if s.checkOrg(r, id, asOf) != nil {
			break
		}
		o, err := s.Store.Org(r.Context(), id, asOf)
		if err != nil {
			break
		}
		path = append(path, crumb{o.ID, o.Name})
		id = o.ParentID
	}
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}
	return path
}

// orgTrail is an organisation page's trail: its ancestors, then its own name.
func (s *Server) orgTrail(r *http.Request, o dangvu.Org, asOf time.Time) crumbTrail {
	t := crumbTrail{ISO: dangvu.ISO(asOf), Current: o.Name}
	if path := s.crumbs(r, o.ParentID, asOf); len(path) > 0 {
		t.Items = path
	}
	return t
}

// memberTrail is a member page's trail: the path to their organisation, then their name.
func (s *Server) memberTrail(r *http.Request, m dangvu.Member, asOf time.Time) crumbTrail {
	return crumbTrail{Items: s.crumbs(r, m.OrgID, asOf), ISO: dangvu.ISO(asOf), Current: m.FullName}
}
