package httpapi

import (
	"fmt"
	"html/template"
	"net/http"
	"sync"
	"time"
)

// module is what one part of the application adds to the web server: its routes (guarded, in
// the OpenAPI document and in TestRouteMatrix), its menu items, the object scopes that check
// the {id} of its routes against the user's subtree (keyed by the path segment before {id};
// routes without one fail closed), the audit scopes that hide its entries outside a scoped
// user's subtree (keyed by entity), its template functions, and the Go types its JSON routes
// decode and encode (keyed by route pattern; the OpenAPI document's schemas).
type module struct {
	routes       []func() []route
	api          map[string]apiTypes
	nav          []navItem
	objectScopes map[string]objectScopeFunc
	auditScopes  map[string]func(s *Server, r *http.Request, id string) bool
	funcs        template.FuncMap
}

// objectScopeFunc answers nil when the object lies in the user's scope as of asOf, and the error
// to show otherwise (ENotFound, so that ids cannot be probed).
type objectScopeFunc func(s *Server, r *http.Request, id string, asOf time.Time) error

// modules lists every module, each filling its part: the order is the order of the routes and
// of the menu (internal/httpapi/testdata/*.golden). Adding a domain is one line here. A function,
// not a variable: the modules hold the handlers, which read what the list assembles.
func modules() []func(*module) {
	return []func(*module){
		coreModule,
		admissionsModule,
		disseminationModule,
		adminModule,
		attentionModule,
		memberNewModule,
		notesModule,
		passwordModule,
		searchModule,
		viewdayModule,
		inspectionModule,
		inspectionCorrectionsModule,
		printFormsModule,
		reportModule,
		reportPageModule,
		reviewsModule,
		duesModule,
		filesModule,
		meetingsModule,
		rulesModule,
		apiDocModule,
	}
}

func coreModule(m *module) {
	m.routes = append(m.routes, routeTable, authRoutes, pageRoutes, totpRoutes, adminRoutes)
	for p, t := range coreAPI {
		m.api[p] = t
	}
	m.nav = append(m.nav, coreNav...)
	for k, f := range coreObjectScopes {
		m.objectScopes[k] = f
	}
	for k, f := range coreFuncs {
		m.funcs[k] = f
	}
}

// wiring is what the modules assemble, once.
type wiring struct {
	routes       []route
	api          map[string]apiTypes
	nav          []navItem
	objectScopes map[string]objectScopeFunc
	auditScopes  map[string]func(s *Server, r *http.Request, id string) bool
	funcs        template.FuncMap
}

var (
	wireOnce sync.Once
	wire     *wiring
)

// wired returns what the modules assemble, built on first use (not at package initialisation:
// the handlers it holds read it).
func wired() *wiring {
	wireOnce.Do(func() { wire = assemble(modules()) })
	return wire
}

// assemble builds the wiring from the modules; a route, object scope, audit scope or template
// function given twice panics, at start.
func assemble(list []func(*module)) *wiring {
	w := &wiring{api: map[string]apiTypes{}, objectScopes: map[string]objectScopeFunc{},
		auditScopes: map[string]func(s *Server, r *http.Request, id string) bool{}, funcs: template.FuncMap{}}
	patterns := map[string]bool{}
	for _, fill := range list {
		m := module{api: map[string]apiTypes{}, objectScopes: map[string]objectScopeFunc{},
			auditScopes: map[string]func(s *Server, r *http.Request, id string) bool{}, funcs: template.FuncMap{}}
		fill(&m)
		for _, g := range m.routes {
			for _, rt := range g() {
				if patterns[rt.pattern] {
					panic(fmt.Sprintf("httpapi: route %q twice", rt.pattern))
				}
				patterns[rt.pattern] = true
				w.routes = append(w.routes, rt)
			}
		}
		for p, t := range m.api {
			if _, dup := w.api[p]; dup {
				panic(fmt.Sprintf("httpapi: types of route %q twice", p))
			}
			w.api[p] = t
		}
		w.nav = append(w.nav, m.nav...)
		for k, f := range m.objectScopes {
			if _, dup := w.objectScopes[k]; dup {
				panic(fmt.Sprintf("httpapi: object scope %q twice", k))
			}
			w.objectScopes[k] = f
		}
		for k, f := range m.auditScopes {
			if _, dup := w.auditScopes[k]; dup {
				panic(fmt.Sprintf("httpapi: audit scope %q twice", k))
			}
			w.auditScopes[k] = f
		}
		for k, f := range m.funcs {
			if _, dup := w.funcs[k]; dup {
				panic(fmt.Sprintf("httpapi: template function %q twice", k))
			}
			w.funcs[k] = f
		}
	}
	for p := range w.api {
		if !patterns[p] {
			panic(fmt.Sprintf("httpapi: types given for %q, which is no route", p))
		}
	}
	return w
}

// allRoutes is every route the handler serves.
func allRoutes() []route { return wired().routes }

// objectScope returns the object scope of a path segment, nil when none.
func objectScope(kind string) objectScopeFunc { return wired().objectScopes[kind] }
