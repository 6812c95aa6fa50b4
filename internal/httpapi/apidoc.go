package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"dangvu"
)

// The readable API reference: the page /api and the generated part of docs/api.md, both written
// from the OpenAPI document (openAPIDocument), so that neither can say what the document does not.

func apiDocModule(m *module) {
	m.routes = append(m.routes, func() []route {
		return []route{
			{"GET /api", htmlPage((*Server).apiDocPage), "Tài liệu API cho phần mềm khác: mọi đường dẫn JSON, tham số, kiểu dữ liệu, ví dụ (viết từ /api/v1/openapi.json)", nil, false, dangvu.ActReports},
		}
	})
}

func (s *Server) apiDocPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "api.html", "Tài liệu API", "api", apiReference(openAPIDocument(s.routes)))
}

type (
	apiRef struct {
		Groups []apiGroup
		Types  []apiTypeDoc
	}
	apiGroup struct {
		Name string
		Ops  []apiOp
	}
	apiOp struct {
		Method, Path, Summary, Anchor string
		Public                        bool
		Params                        []apiField
		Request                       string // the body's type, as text
		Status                        string // success status
		Response                      string // the success body's type, as text
		Example                       string // the success body's example, indented JSON
	}
	apiField struct {
		Name, Type, Description string
		Required                bool
	}
	apiTypeDoc struct {
		Name   string
		Fields []apiField
	}
)

// apiReference reads the JSON operations and the component types of an OpenAPI document.
func apiReference(doc map[string]any) apiRef {
	var ref apiRef
	groups := map[string]*apiGroup{}
	paths := doc["paths"].(map[string]any)
	for _, path := range sortedKeys(paths) {
		if !jsonPath(path) {
			continue
		}
		ops := paths[path].(map[string]any)
		for _, method := range []string{"get", "post", "put", "patch", "delete"} {
			op, ok := ops[method].(map[string]any)
			if !ok {
				continue
			}
			o := apiOp{Method: strings.ToUpper(method), Path: path, Anchor: op["operationId"].(string), Public: op["security"] == nil}
			o.Summary, _ = op["summary"].(string)
			for _, p := range op["parameters"].([]any) {
				p := p.(map[string]any)
				f := apiField{Name: p["name"].(string), Type: schemaText(p["schema"].(map[string]any)), Required: p["required"] == true}
				f.Description, _ = p["description"].(string)
				if p["in"] == "path" {
					f.Description = "trong đường dẫn"
				}
				o.Params = append(o.Params, f)
			}
			if rb, ok := op["requestBody"].(map[string]any); ok {
				if mt, ok := rb["content"].(map[string]any)["application/json"].(map[string]any); ok {
					o.Request = schemaText(mt["schema"].(map[string]any))
				}
			}
			responses := op["responses"].(map[string]any)
			for _, code := range sortedKeys(responses) {
				if !strings.HasPrefix(code, "2") {
					continue
				}
				o.Status = code
				content, _ := responses[code].(map[string]any)["content"].(map[string]any)
				var kinds []string
				for _, ct := range sortedKeys(content) {
					mt := content[ct].(map[string]any)
					if ct == "application/json" {
						kinds = append(kinds, schemaText(mt["schema"].(map[string]any)))
						if ex, ok := mt["example"]; ok {
							b, _ := json.MarshalIndent(ex, "", "  ")
							o.Example = string(b)
						}
					} else {
						kinds = append(kinds, "tệp "+ct)
					}
				}
				o.Response = strings.Join(kinds, "; hoặc ")
			}
			group := apiGroupName(path)
			if groups[group] == nil {
				groups[group] = &apiGroup{Name: group}
			}
			groups[group].Ops = append(groups[group].Ops, o)
		}
	}
	for _, name := range sortedKeys(groups) {
		ref.Groups = append(ref.Groups, *groups[name])
	}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	for _, name := range sortedKeys(schemas) {
		s := schemas[name].(map[string]any)
		t := apiTypeDoc{Name: name}
		props, _ := s["properties"].(map[string]any)
		req := map[string]bool{}
		for _, r := range asStrings(s["required"]) {
			req[r] = true
		}
		for _, p := range sortedKeys(props) {
			ps := props[p].(map[string]any)
			f := apiField{Name: p, Type: schemaText(ps), Required: req[p]}
			f.Description, _ = ps["description"].(string)
			t.Fields = append(t.Fields, f)
		}
		ref.Types = append(ref.Types, t)
	}
	return ref
}

// apiGroupName is the part of the API an operation belongs to: the segment after /api/v1/.
func apiGroupName(path string) string {
	rest := strings.TrimPrefix(path, "/api/v1/")
	if rest == path {
		return "khác"
	}
	seg, _, _ := strings.Cut(rest, "/")
	return strings.TrimSuffix(seg, ".json")
}

// schemaText writes a schema for a reader: a type's name, "danh sách X", "ngày", the values of
// an enum.
func schemaText(s map[string]any) string {
	if ref, ok := s["$ref"].(string); ok {
		return strings.TrimPrefix(ref, "#/components/schemas/")
	}
	if alts, ok := s["anyOf"].([]any); ok {
		var parts []string
		for _, a := range alts {
			parts = append(parts, schemaText(a.(map[string]any)))
		}
		return strings.Join(parts, " hoặc ")
	}
	if vals, ok := s["enum"].([]string); ok {
		var shown []string
		for _, v := range vals {
			if v == "" {
				v = `""`
			}
			shown = append(shown, v)
		}
		return "một trong: " + strings.Join(shown, ", ")
	}
	typ := s["type"]
	nullable := false
	if l, ok := typ.([]any); ok {
		typ, nullable = l[0], len(l) > 1
	}
	var out string
	switch typ {
	case "string":
		switch {
		case s["pattern"] == dateParam, s["pattern"] == inputDate:
			out = "ngày (yyyy-mm-dd hoặc dd/mm/yyyy)"
		case s["pattern"] == monthQuery:
			out = "tháng (yyyy-mm hoặc mm/yyyy)"
		case s["pattern"] == `^[0-9]{4}-[0-9]{2}$`:
			out = "tháng (yyyy-mm)"
		case s["pattern"] == `^([0-9]{4}-[0-9]{2})?$`:
			out = "tháng (yyyy-mm) hoặc rỗng"
		case s["format"] == "date", s["pattern"] == isoDate:
			out = "ngày (yyyy-mm-dd)"
		case s["pattern"] != nil && strings.Contains(s["pattern"].(string), "[0-9]{4}"):
			out = "ngày (yyyy-mm-dd) hoặc rỗng"
		case s["format"] == "date-time":
			out = "thời điểm (RFC 3339)"
		case s["contentEncoding"] == "base64":
			out = "chuỗi base64"
		default:
			out = "chuỗi"
		}
	case "integer":
		out = "số nguyên"
	case "number":
		out = "số"
	case "boolean":
		out = "true/false"
	case "array":
		out = "danh sách " + schemaText(s["items"].(map[string]any))
	case "object":
		if ap, ok := s["additionalProperties"].(map[string]any); ok {
			out = "bảng khóa → " + schemaText(ap)
		} else {
			out = "đối tượng"
		}
	default:
		out = "bất kỳ"
	}
	if nullable {
		out += " (có thể null)"
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// apiMarkdown writes the reference as the generated part of docs/api.md.
func apiMarkdown(ref apiRef) string {
	var b strings.Builder
	cell := func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ") }
	b.WriteString("Generated from `/api/v1/openapi.json` by `go test ./internal/httpapi -run TestAPIDoc -update`; do not edit by hand.\n")
	for _, g := range ref.Groups {
		fmt.Fprintf(&b, "\n### %s\n", g.Name)
		for _, o := range g.Ops {
			fmt.Fprintf(&b, "\n#### `%s %s`\n\n%s\n", o.Method, o.Path, o.Summary)
			if o.Public {
				b.WriteString("\nKhông cần đăng nhập.\n")
			}
			if len(o.Params) > 0 {
				b.WriteString("\n| tham số | kiểu | ghi chú |\n|---|---|---|\n")
				for _, p := range o.Params {
					fmt.Fprintf(&b, "| `%s` | %s | %s |\n", p.Name, cell(p.Type), cell(p.Description))
				}
			}
			if o.Request != "" {
				fmt.Fprintf(&b, "\nThân yêu cầu (JSON): %s\n", o.Request)
			}
			fmt.Fprintf(&b, "\nTrả về %s: %s. Lỗi: Error.\n", o.Status, o.Response)
		}
	}
	b.WriteString("\n### Kiểu dữ liệu\n")
	for _, t := range ref.Types {
		fmt.Fprintf(&b, "\n#### %s\n\n", t.Name)
		if len(t.Fields) == 0 {
			b.WriteString("Đối tượng JSON (xem mô tả của đường dẫn).\n")
			continue
		}
		b.WriteString("| trường | kiểu | bắt buộc | ghi chú |\n|---|---|---|---|\n")
		for _, f := range t.Fields {
			req := ""
			if f.Required {
				req = "có"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", f.Name, cell(f.Type), req, cell(f.Description))
		}
	}
	return b.String()
}
