package httpapi

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"dangvu"
)

// Ids named in a request's body. The {id} of a path is checked by the guard (checkRouteScope);
// the ids a JSON body or a form names — the organisation of a new record, a member a task is
// given to, the documents a conference studies — are checked here, by the same rules, before
// anything is written. An id outside the writer's subtree answers exactly as an id that does not
// exist (404, "không có … mã …"), so that a body can neither write beyond the subtree nor probe
// it for a name or a status.

// ref is an id a request's body names: kind is the path segment of the routes of such objects
// ("members", "organisations", "documents"...), whose rule in objectScopes decides; on is the
// date the object must lie in the subtree on (zero: today).
type ref struct {
	kind, id string
	on       time.Time
}

func orgRef(id string) ref    { return ref{kind: "organisations", id: id} }
func memberRef(id string) ref { return ref{kind: "members", id: id} }

// refKinds are the names used in the answer for an id out of reach, by kind.
var refKinds = map[string]string{
	"members": "đảng viên", "organisations": "tổ chức đảng", "documents": "văn bản", "programmes": "văn bản",
	"conferences": "hội nghị", "inspections": "cuộc kiểm tra, giám sát", "inspection_programmes": "chương trình kiểm tra, giám sát",
	"campaigns": "đợt kiểm điểm", "reviews": "phiếu kiểm điểm", "handlers": "tổ chức đảng",
}

// refScopes are the rules of kinds that only bodies name (no route has them as {id}).
var refScopes = map[string]func(s *Server, r *http.Request, id string, on time.Time) error{
	// An inspection programme belongs to the organisation that adopted it.
	"inspection_programmes": func(s *Server, r *http.Request, id string, on time.Time) error {
		p, err := s.Store.Programme(r.Context(), id)
		if err != nil {
			return err
		}
		return s.checkOrg(r, p.OrgID, on)
	},
	// An appeal is handled in the subtree or by a level above it (domain.md: the appeal goes up),
	// whose names the user sees anyway (the documents of the levels above).
	"handlers": func(s *Server, r *http.Request, id string, on time.Time) error {
		u := s.user(r)
		root, err := s.Store.ScopeRoot(r.Context(), *u, on)
		if err != nil {
			return err
		}
		if root != "" && strings.Contains(root, "/"+id+"/") {
			return nil
		}
		return s.checkCellEver(r, id)
	},
}

// checkRefs checks each id of a request's body against the user's subtree; empty ids are left
// to the validation, which names missing fields. Organisations are taken as of the ref's date,
// else today; one that has ended (a record entered from the archives) as of its last day.
func (s *Server) checkRefs(r *http.Request, refs ...ref) error {
	u := s.user(r)
	if u == nil {
		return errLogin
	}
	if wholeTree(u) {
		return nil
	}
	for _, x := range refs {
		if x.id = strings.TrimSpace(x.id); x.id == "" {
			continue
		}
		on := x.on
		if on.IsZero() {
			on = s.today()
		}
		var err error
		switch check := objectScope(x.kind); {
		case x.kind == "organisations":
			if err = s.checkOrg(r, x.id, on); err != nil && x.on.IsZero() {
				err = s.checkCellEver(r, x.id)
			}
		case refScopes[x.kind] != nil:
			err = refScopes[x.kind](s, r, x.id, on)
		case check != nil:
			err = check(s, r, x.id, on)
		default:
			// Fail closed, as for a route without a scope rule.
			return fmt.Errorf("httpapi: no scope rule for body ids of kind %s", x.kind)
		}
		switch dangvu.ErrorCode(err) {
		case "":
		case dangvu.EForbidden, dangvu.ENotFound:
			return outOfReach(x)
		default:
			return err
		}
	}
	return nil
}

// outOfReach is the answer for an id of a body outside the subtree, or unknown.
func outOfReach(x ref) error {
	return dangvu.Errorf(dangvu.ENotFound, "không có %s mã %q", refKinds[x.kind], x.id)
}
