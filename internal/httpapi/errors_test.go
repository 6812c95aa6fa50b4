package httpapi

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"dangvu"
)

// TestErrorCodes: the error codes are one documented set. The codes the domain declares
// (dangvu.E*, error.go) are the codes errorStatus maps (plus internal, a 500), the Error schema's
// enum in the OpenAPI document, and the codes docs/api.md lists with the same statuses; every
// error made anywhere in the module (dangvu.Errorf, dangvu.Error{Code: …}) takes one of them,
// never a string of its own. The validation test (TestMain) checks each error body the suite
// meets against the enum too.
func TestErrorCodes(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	declared := map[string]string{} // constant name → code
	f, err := parser.ParseFile(fset, filepath.Join(root, "error.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok && strings.HasPrefix(n.Name, "E") {
					declared[n.Name], _ = strconv.Unquote(lit.Value)
				}
			}
		}
	}
	var codes []string
	for _, c := range declared {
		codes = append(codes, c)
	}
	slices.Sort(codes)

	// errorStatus maps every code but internal, which is the 500 of anything else.
	mapped := []string{dangvu.EInternal}
	for c := range errorStatus {
		mapped = append(mapped, c)
	}
	slices.Sort(mapped)
	if !slices.Equal(mapped, codes) {
		t.Errorf("errorStatus maps %v, the domain declares %v", mapped, codes)
	}
	enum := slices.Clone(errorSchema()["properties"].(map[string]any)["error"].(map[string]any)["enum"].([]string))
	slices.Sort(enum)
	if !slices.Equal(enum, codes) {
		t.Errorf("the document's Error enum is %v, the domain declares %v", enum, codes)
	}

	// docs/api.md: "status 400 (`invalid`), 401 (`unauthorized`), …".
	b, err := os.ReadFile(filepath.Join(root, "docs", "api.md"))
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]int{}
	for _, m := range regexp.MustCompile("([0-9]{3})\\s+\\(`([a-z_]+)`").FindAllStringSubmatch(string(b), -1) {
		documented[m[2]], _ = strconv.Atoi(m[1])
	}
	for _, c := range codes {
		want := errorStatus[c]
		if c == dangvu.EInternal {
			want = 500
		}
		if documented[c] != want {
			t.Errorf("docs/api.md gives `%s` the status %d, the server %d", c, documented[c], want)
		}
	}
	for c := range documented {
		if !slices.Contains(codes, c) {
			t.Errorf("docs/api.md lists `%s`, which is no code", c)
		}
	}

	// Every error made in the module takes a declared code.
	isCode := func(e ast.Expr, pkgDangvu bool) bool {
		switch x := e.(type) {
		case *ast.SelectorExpr:
			id, ok := x.X.(*ast.Ident)
			return ok && id.Name == "dangvu" && declared[x.Sel.Name] != ""
		case *ast.Ident:
			// A constant of the domain's own package, or a variable handing one on (a helper's
			// parameter), which its callers are checked for.
			return pkgDangvu && declared[x.Name] != "" || declared[x.Name] == "" && x.Obj != nil && x.Obj.Kind == ast.Var
		case *ast.CallExpr:
			// Another error's code, handed on.
			sel, ok := x.Fun.(*ast.SelectorExpr)
			return ok && sel.Sel.Name == "ErrorCode"
		}
		return false
	}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		inDangvu := f.Name.Name == "dangvu"
		named := func(e ast.Expr, name string) bool {
			switch x := e.(type) {
			case *ast.SelectorExpr:
				id, ok := x.X.(*ast.Ident)
				return ok && id.Name == "dangvu" && x.Sel.Name == name
			case *ast.Ident:
				return inDangvu && x.Name == name
			}
			return false
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CallExpr:
				if named(x.Fun, "Errorf") && len(x.Args) > 0 && !isCode(x.Args[0], inDangvu) {
					t.Errorf("%s: Errorf with a code that is not one of dangvu.E*", fset.Position(x.Pos()))
				}
			case *ast.CompositeLit:
				if named(x.Type, "Error") {
					for _, el := range x.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok && kv.Key.(*ast.Ident).Name == "Code" && !isCode(kv.Value, inDangvu) {
							t.Errorf("%s: an Error whose code is not one of dangvu.E*", fset.Position(kv.Pos()))
						}
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
