package httpapi

import (
	"strings"
	"testing"
)

// TestModulesDuplicatePanics: a module giving a route or a template function that another
// already gives stops the server at start, instead of one silently replacing the other.
func TestModulesDuplicatePanics(t *testing.T) {
	for _, tc := range []struct {
		name string
		fill func(*module)
		want string
	}{
		{"route", func(m *module) { m.routes = append(m.routes, routeTable) }, `route "GET /healthz" twice`},
		{"template function", func(m *module) { m.funcs["date"] = func() string { return "" } }, `template function "date" twice`},
		{"object scope", func(m *module) { m.objectScopes["members"] = nil }, `object scope "members" twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if msg, _ := r.(string); !strings.Contains(msg, tc.want) {
					t.Errorf("panic %v, want %q", r, tc.want)
				}
			}()
			assemble(append(modules(), tc.fill))
		})
	}
	// The application's own list assembles without a duplicate.
	if w := assemble(modules()); len(w.routes) == 0 || len(w.nav) == 0 || len(w.funcs) == 0 {
		t.Errorf("modules assemble %d routes, %d menu items, %d template functions", len(w.routes), len(w.nav), len(w.funcs))
	}
}
