package httpapi

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestRouteParamsRead: every query parameter a JSON route's handler reads by name (q.Get("x"),
// q["x"], intParam, date, monthParam) is one its route lists, so the document (and the typed
// schema paramSchema gives it) names every parameter the handler takes. Parameters read by
// helpers the handler calls are not seen here; lists read offset and limit by convention.
func TestRouteParamsRead(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	funcs := map[string]*ast.FuncDecl{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv != nil {
				funcs[fd.Name.Name] = fd
			}
		}
	}
	literal := func(e ast.Expr) (string, bool) {
		lit, ok := e.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return "", false
		}
		v, err := strconv.Unquote(lit.Value)
		return v, err == nil
	}
	reads := func(fd *ast.FuncDecl) []string {
		var out []string
		ast.Inspect(fd, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CallExpr:
				var fn string
				switch f := x.Fun.(type) {
				case *ast.SelectorExpr:
					fn = f.Sel.Name
				case *ast.Ident:
					fn = f.Name
				}
				switch fn {
				case "Get", "Has":
					// q.Get("x"), r.URL.Query().Get("x"); not a header's or a form's.
					if sel, ok := x.Fun.(*ast.SelectorExpr); ok && queryValues(sel.X) && len(x.Args) == 1 {
						if v, ok := literal(x.Args[0]); ok {
							out = append(out, v)
						}
					}
				case "intParam", "date", "monthParam":
					for _, a := range x.Args {
						if v, ok := literal(a); ok {
							out = append(out, v)
						}
					}
				}
			case *ast.IndexExpr:
				if v, ok := literal(x.Index); ok && queryValues(x.X) {
					out = append(out, v)
				}
			}
			return true
		})
		return out
	}
	types := wired().api
	checked := 0
	for _, rt := range allRoutes() {
		if _, path := splitPattern(rt.pattern); !jsonPath(path) {
			continue
		}
		name := runtime.FuncForPC(reflect.ValueOf(rt.handler).Pointer()).Name()
		name = strings.TrimSuffix(name[strings.LastIndex(name, ".")+1:], "-fm")
		fd := funcs[name]
		if fd == nil {
			continue // a wrapped handler (htmlPage, a closure): not read here
		}
		checked++
		have := slices.Clone(rt.params)
		if isList(types[rt.pattern].out) {
			have = append(have, "offset", "limit")
		}
		for _, p := range reads(fd) {
			if !slices.Contains(have, p) {
				t.Errorf("%s: %s reads the query parameter %q, which the route does not list", rt.pattern, name, p)
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d handlers found: the test no longer finds them", checked)
	}
}

// queryValues tells an expression that is a request's query: q (the handlers' name for it) or
// a call of Query().
func queryValues(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name == "q"
	case *ast.CallExpr:
		sel, ok := x.Fun.(*ast.SelectorExpr)
		return ok && sel.Sel.Name == "Query"
	}
	return false
}
