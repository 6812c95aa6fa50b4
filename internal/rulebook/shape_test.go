package rulebook

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// forExempt names the rule packages without a For(day): each says why.
var forExempt = map[string]string{
	// Three independent areas, each chosen by its own date: a document's layout by the document's
	// date (LayoutFor), its protection period by the day its level was set (ProtectionOf).
	"documents": "LayoutFor(day), ProtectionOf(level, day)",
}

// TestRulePackagesShape keeps the packages under internal/rules in one shape (docs/rules.md,
// "Adding a rule area"): each exposes For(day time.Time) Set, the rules in force on that day,
// chosen by this package's Choice (For returns a Choice's At: no package picks its set on its
// own), and reports refusals with this package's Problem and Source rather than a type of its own.
func TestRulePackagesShape(t *testing.T) {
	dirs, err := os.ReadDir("../rules")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		n++
		area := d.Name()
		pkgs, err := parser.ParseDir(token.NewFileSet(), filepath.Join("../rules", area), func(fi os.FileInfo) bool {
			return !strings.HasSuffix(fi.Name(), "_test.go")
		}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(pkgs) != 1 || pkgs[area] == nil {
			t.Errorf("internal/rules/%s: want one package named %s", area, area)
			continue
		}
		hasFor := false
		for _, f := range pkgs[area].Files {
			for _, decl := range f.Decls {
				switch decl := decl.(type) {
				case *ast.FuncDecl:
					if decl.Recv != nil || decl.Name.Name != "For" {
						continue
					}
					hasFor = true
					ps, rs := decl.Type.Params.List, decl.Type.Results
					if len(ps) != 1 || len(ps[0].Names) != 1 || types(ps[0].Type) != "time.Time" || rs == nil || len(rs.List) != 1 || types(rs.List[0].Type) != "Set" {
						t.Errorf("internal/rules/%s: For must be func For(day time.Time) Set", area)
					}
					choices := choicesOf(pkgs[area])
					chosen := false
					ast.Inspect(decl.Body, func(n ast.Node) bool {
						if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "At" {
							if id, ok := sel.X.(*ast.Ident); ok && choices[id.Name] {
								chosen = true
							}
						}
						return !chosen
					})
					if !chosen {
						t.Errorf("internal/rules/%s: For must return the At(day) of a package variable set by rulebook.Choose", area)
					}
				case *ast.GenDecl:
					for _, spec := range decl.Specs {
						if ts, ok := spec.(*ast.TypeSpec); ok {
							switch ts.Name.Name {
							case "Problem", "Violation", "Source", "Confidence":
								t.Errorf("internal/rules/%s declares its own %s: use rulebook.%s", area, ts.Name.Name, map[string]string{"Violation": "Problem"}[ts.Name.Name]+strings.TrimPrefix(ts.Name.Name, "Violation"))
							}
						}
					}
				}
			}
		}
		if why, ok := forExempt[area]; !hasFor && !ok {
			t.Errorf("internal/rules/%s has no func For(day time.Time) Set", area)
		} else if hasFor && ok {
			t.Errorf("internal/rules/%s has For now: drop its exemption (%s)", area, why)
		}
	}
	if n < 4 {
		t.Fatalf("found %d rule packages under internal/rules", n)
	}
}

// choicesOf names the package's variables set by rulebook.Choose.
func choicesOf(p *ast.Package) map[string]bool {
	out := map[string]bool{}
	for _, f := range p.Files {
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, spec := range gd.Specs {
				vs, ok := spec.(*ast.ValueSpec)
				if !ok {
					continue
				}
				for i, v := range vs.Values {
					c, ok := v.(*ast.CallExpr)
					if !ok {
						continue
					}
					fn := c.Fun
					if ix, ok := fn.(*ast.IndexExpr); ok { // rulebook.Choose[T](…)
						fn = ix.X
					}
					if types(fn) == "rulebook.Choose" && i < len(vs.Names) {
						out[vs.Names[i].Name] = true
					}
				}
			}
		}
	}
	return out
}

func types(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return types(e.X) + "." + e.Sel.Name
	case *ast.StarExpr:
		return "*" + types(e.X)
	}
	return ""
}
