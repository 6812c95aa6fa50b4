package httpapi

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"text/template/parse"

	"dangvu/web"
)

// TestNoTruthTestOnDates fails on a template that tests a dangvu.Date with {{if}}, {{with}} or
// {{if not …}}: a struct is always true to them, so "no date yet" would print as a date. Such a
// date is tested as {{if date .X}} / {{with date .X}} (docs/architecture.md, the data model).
//
// Templates carry no types, so the test goes by field names: a name is a date's when every
// struct field of that name in the root package, the store and httpapi is a Date (a name that is
// a Date in one type and text in another is not checked: rename one of them to have it checked).
func TestNoTruthTestOnDates(t *testing.T) {
	dates := dateFieldNames(t, "../..", "../store", ".")
	if len(dates) < 20 {
		t.Fatalf("found only %d field names of type Date: the scan of the Go files is broken", len(dates))
	}
	err := fs.WalkDir(web.Templates, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		src, err := fs.ReadFile(web.Templates, path)
		if err != nil {
			return err
		}
		tr := parse.New(path)
		tr.Mode = parse.SkipFuncCheck
		trees := map[string]*parse.Tree{}
		if _, err := tr.Parse(string(src), "{{", "}}", trees); err != nil {
			t.Errorf("%s: %v", path, err)
			return nil
		}
		for _, tree := range trees {
			if tree.Root != nil {
				checkTruth(t, path, string(src), tree.Root, dates)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// checkTruth walks a template's nodes and reports every if/with whose pipeline is a Date field
// alone or under not.
func checkTruth(t *testing.T, path, src string, n parse.Node, dates map[string]bool) {
	t.Helper()
	var pipe *parse.PipeNode
	var lists []*parse.ListNode
	kw := ""
	switch x := n.(type) {
	case *parse.ListNode:
		lists = append(lists, x)
	case *parse.IfNode:
		kw, pipe, lists = "if", x.Pipe, []*parse.ListNode{x.List, x.ElseList}
	case *parse.WithNode:
		kw, pipe, lists = "with", x.Pipe, []*parse.ListNode{x.List, x.ElseList}
	case *parse.RangeNode:
		lists = []*parse.ListNode{x.List, x.ElseList}
	}
	if pipe != nil && len(pipe.Cmds) == 1 {
		args := pipe.Cmds[0].Args
		if len(args) == 2 {
			if id, ok := args[0].(*parse.IdentifierNode); ok && id.Ident == "not" {
				args = args[1:]
			}
		}
		if len(args) == 1 {
			if name := lastField(args[0]); dates[name] {
				t.Errorf("%s:%d: {{%s %s}} tests a Date, always true: use {{%s date …}}", path, 1+strings.Count(src[:n.Position()], "\n"), kw, pipe, kw)
			}
		}
	}
	for _, l := range lists {
		if l == nil {
			continue
		}
		for _, c := range l.Nodes {
			checkTruth(t, path, src, c, dates)
		}
	}
}

// lastField is the last field name of .A.B, $x.A.B or (x).A.B; "" for anything else.
func lastField(n parse.Node) string {
	var idents []string
	switch x := n.(type) {
	case *parse.FieldNode:
		idents = x.Ident
	case *parse.VariableNode:
		idents = x.Ident[1:]
	case *parse.ChainNode:
		idents = x.Field
	}
	if len(idents) == 0 {
		return ""
	}
	return idents[len(idents)-1]
}

// dateFieldNames reads the non-test Go files of dirs and returns the struct field names that are
// a Date (dangvu.Date, or Date in the root package) in every struct declaring them.
func dateFieldNames(t *testing.T, dirs ...string) map[string]bool {
	t.Helper()
	date, other := map[string]bool{}, map[string]bool{}
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, e.Name()), nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				st, ok := n.(*ast.StructType)
				if !ok {
					return true
				}
				for _, fl := range st.Fields.List {
					isDate := false
					switch ty := fl.Type.(type) {
					case *ast.Ident:
						isDate = ty.Name == "Date" && f.Name.Name == "dangvu"
					case *ast.SelectorExpr:
						x, _ := ty.X.(*ast.Ident)
						isDate = x != nil && x.Name == "dangvu" && ty.Sel.Name == "Date"
					}
					for _, name := range fl.Names {
						if isDate {
							date[name.Name] = true
						} else {
							other[name.Name] = true
						}
					}
				}
				return true
			})
		}
	}
	for name := range date {
		if other[name] {
			delete(date, name)
		}
	}
	return date
}
