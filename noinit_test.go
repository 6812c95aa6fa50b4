package dangvu_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoInitRegistry: no init function of the packages that assemble the application fills a
// registry (issue 16). What a domain adds is a line in an explicit list, so the order of the
// report's keys, the menu or the demo's tables never follows file names and every call site
// shows what the application is made of. An init that assigns to (or appends to, or sets an
// entry of) a package-level variable, or to another package's, fails the test.
func TestNoInitRegistry(t *testing.T) {
	dirs := []string{".", "internal/store", "internal/httpapi", "internal/exchange", "internal/reports", "internal/demo"}
	for _, dir := range dirs {
		fset := token.NewFileSet()
		files := parseDir(t, fset, dir)
		pkgVars := map[string]bool{}
		imports := map[string]bool{}
		for _, f := range files {
			for _, imp := range f.Imports {
				name := strings.Trim(imp.Path.Value, `"`)
				name = name[strings.LastIndex(name, "/")+1:]
				if imp.Name != nil {
					name = imp.Name.Name
				}
				imports[name] = true
			}
			for _, d := range f.Decls {
				if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.VAR {
					for _, sp := range g.Specs {
						for _, n := range sp.(*ast.ValueSpec).Names {
							pkgVars[n.Name] = true
						}
					}
				}
			}
		}
		for _, f := range files {
			for _, d := range f.Decls {
				fn, ok := d.(*ast.FuncDecl)
				if !ok || fn.Recv != nil || fn.Name.Name != "init" || fn.Body == nil {
					continue
				}
				ast.Inspect(fn.Body, func(n ast.Node) bool {
					var targets []ast.Expr
					switch x := n.(type) {
					case *ast.AssignStmt:
						targets = x.Lhs
					case *ast.IncDecStmt:
						targets = []ast.Expr{x.X}
					case *ast.CallExpr: // dangvu.SetX(...), exchange.Register(...): another package's registry
						if sel, ok := x.Fun.(*ast.SelectorExpr); ok {
							if id, ok := sel.X.(*ast.Ident); ok && imports[id.Name] && (strings.HasPrefix(sel.Sel.Name, "Set") || strings.HasPrefix(sel.Sel.Name, "Register")) {
								t.Errorf("%s: init calls %s.%s", fset.Position(x.Pos()), id.Name, sel.Sel.Name)
							}
						}
					}
					for _, e := range targets {
						if name, ok := rootName(e, imports); ok && pkgVars[name] {
							t.Errorf("%s: init fills package-level %s", fset.Position(e.Pos()), name)
						} else if ok && imports[name] {
							t.Errorf("%s: init assigns to package %s", fset.Position(e.Pos()), name)
						}
					}
					return true
				})
			}
		}
	}
}

// rootName is the identifier an assignment target starts from: m in m[k], x in x.f, p in *p.
func rootName(e ast.Expr, imports map[string]bool) (string, bool) {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x.Name, x.Name != "_"
		case *ast.IndexExpr:
			e = x.X
		case *ast.SelectorExpr:
			if id, ok := x.X.(*ast.Ident); ok && imports[id.Name] {
				return id.Name, true
			}
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		default:
			return "", false
		}
	}
}

// parseDir parses the non-test Go files of one package directory.
func parseDir(t *testing.T, fset *token.FileSet, dir string) []*ast.File {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []*ast.File
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
	if len(out) == 0 {
		t.Fatalf("%s: no Go files", dir)
	}
	return out
}
