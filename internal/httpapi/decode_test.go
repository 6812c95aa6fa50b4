package httpapi

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"dangvu"
)

// TestDecodeJSON: the one reader of API bodies takes exactly one JSON value of known fields
// within the size bound, and refuses anything else as EInvalid naming the reason.
func TestDecodeJSON(t *testing.T) {
	type in struct {
		Name string `json:"name"`
		N    int    `json:"n"`
	}
	for _, tc := range []struct {
		name, body, want string // want: a part of the message; "" for success
		limit            int64
	}{
		{"one object", `{"name":"Hà","n":2}`, "", 0},
		{"spaces after", "{\"name\":\"Hà\"}\n\t ", "", 0},
		{"unknown field", `{"name":"Hà","nam":2}`, `trường "nam" không có`, 0},
		{"trailing object", `{"name":"Hà"}{"name":"B"}`, "còn dữ liệu sau giá trị JSON", 0},
		{"trailing text", `{"name":"Hà"} x`, "còn dữ liệu sau giá trị JSON", 0},
		{"empty", ``, "nội dung trống", 0},
		{"wrong type", `{"n":"hai"}`, `trường "n" cần một số nguyên, không phải chuỗi`, 0},
		{"fraction", `{"n":1.5}`, `trường "n" cần một số nguyên, không phải số 1.5`, 0},
		{"not an object", `[1]`, "cần một đối tượng, không phải danh sách", 0},
		{"syntax", `{"name":x}`, "sai cú pháp JSON ở ký tự thứ 9", 0},
		{"cut", `{"name":"Hà"`, "JSON bị cắt giữa chừng", 0},
		{"too large", `{"name":"` + strings.Repeat("a", 2<<20) + `"}`, "nội dung quá 1 MB", 0},
		{"own bound", `{"name":"` + strings.Repeat("a", 2<<20) + `"}`, "", 3 << 20},
	} {
		r := httptest.NewRequest("POST", "/api/v1/x", strings.NewReader(tc.body))
		var v in
		var err error
		if tc.limit > 0 {
			err = decodeJSONUpTo(r, &v, tc.limit)
		} else {
			err = decodeJSON(r, &v)
		}
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (dangvu.ErrorCode(err) != dangvu.EInvalid || !strings.Contains(dangvu.ErrorMessage(err), tc.want)):
			t.Errorf("%s: got %v, want EInvalid with %q", tc.name, err, tc.want)
		}
	}
}

// TestOneJSONDecoder: no handler file reads a request body with a decoder of its own (copies
// drifted: two rejected unknown fields, two did not).
func TestOneJSONDecoder(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "error.go" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == "json" && sel.Sel.Name == "NewDecoder" {
					t.Errorf("%s: json.%s outside error.go's decodeJSON", fset.Position(sel.Pos()), sel.Sel.Name)
				}
			}
			return true
		})
	}
}
