package httpapi

import (
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"dangvu"
)

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// apiTypes names the Go types a JSON route decodes (in, nil: no body) and writes on success (out),
// the success status (200 when 0), or the content type of the file it answers instead of JSON.
// The OpenAPI document's schemas are generated from these types, and the handlers decode and
// encode the same types: one source of truth, checked by the validation test.
type apiTypes struct {
	in, out any
	status  int
	file    string
	// upload is the media type of a request body that is a file, not JSON (an import's data set).
	upload string
	// patch: the body amends a stored record, any field may be left out (the fields in's type
	// marks required are required where the type creates one).
	patch bool
}

// openAPI serves the document; it describes every route the handler serves (s.routes, the list
// Handler built the mux from), so a new route is documented by being added.
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, openAPIDocument(s.routes))
}

var (
	docOnce  sync.Once
	docCache map[string]any
)

// openAPIDocument builds the document of routes (once for the wired routes).
func openAPIDocument(routes []route) map[string]any {
	if len(routes) == len(allRoutes()) {
		docOnce.Do(func() { docCache = buildOpenAPI(allRoutes(), wired().api) })
		return docCache
	}
	return buildOpenAPI(routes, wired().api)
}

// isAPI tells the routes that answer JSON from the routes that are pages: the pages answer HTML
// (or a download) and are tagged "Trang" so that a client can leave them out.
func jsonPath(path string) bool { return strings.HasPrefix(path, "/api/") || path == "/healthz" }

// isList tells a list's body: one that embeds apiPage.
func isList(v any) bool {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Struct {
		return false
	}
	for i := 0; i < t.NumField(); i++ {
		if f := t.Field(i); f.Anonymous && f.Type == reflect.TypeFor[apiPage]() {
			return true
		}
	}
	return false
}

// docPath writes a mux path as an OpenAPI path: "/{$}" is "/", "{name...}" is "{name}".
func docPath(path string) string {
	return strings.ReplaceAll(strings.ReplaceAll(path, "{$}", ""), "...}", "}")
}

func splitPattern(p string) (method, path string) {
	method, path, _ = strings.Cut(p, " ")
	return method, path
}

func buildOpenAPI(routes []route, types map[string]apiTypes) map[string]any {
	g := newSchemaGen()
	paths := map[string]any{}
	for _, rt := range routes {
		method, path := splitPattern(rt.pattern)
		path = docPath(path)
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		query := rt.params
		if isList(types[rt.pattern].out) {
			// Every list reads offset and limit (apiPage).
			for _, p := range []string{"offset", "limit"} {
				if !slices.Contains(query, p) {
					query = append(slices.Clip(query), p)
				}
			}
		}
		for _, p := range query {
			schema, doc := paramSchema(rt.pattern, p), paramDoc[p]
			if d, ok := schema["description"].(string); ok && routeParams[rt.pattern][p] != nil {
				doc = d // the route's own meaning of the name
			}
			params = append(params, map[string]any{"name": p, "in": "query", "schema": schema, "description": doc})
		}
		op := map[string]any{
			"operationId": operationID(rt.pattern),
			"summary":     rt.summary,
			"parameters":  nonNil(params),
		}
		if !rt.public {
			op["security"] = []any{map[string]any{"cookie": []string{}}, map[string]any{"bearer": []string{}}}
		}
		if jsonPath(path) {
			op["tags"] = []string{"API"}
			t := types[rt.pattern]
			if t.upload != "" {
				op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
					t.upload: map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}}
			}
			if t.in != nil {
				g.patch = t.patch
				in := g.schema(t.in, true)
				g.patch = false
				op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
					"application/json": map[string]any{"schema": in, "example": g.example(g.schema(t.in, false), map[string]bool{})}}}
			}
			status := t.status
			if status == 0 {
				status = http.StatusOK
			}
			content := map[string]any{}
			switch {
			case t.out != nil:
				out := g.schema(t.out, false)
				content["application/json"] = map[string]any{"schema": out, "example": g.example(out, map[string]bool{})}
			case t.file == "":
				content["application/json"] = map[string]any{"schema": map[string]any{"type": "object"}}
			}
			if t.file != "" {
				content[t.file] = map[string]any{"schema": map[string]any{"type": "string", "contentMediaType": t.file}}
			}
			ok := map[string]any{"description": "Thành công", "content": content}
			responses := map[string]any{strconv.Itoa(status): ok, "default": errorRef}
			for _, code := range errorStatuses(method, rt.public) {
				responses[code] = errorRef
			}
			op["responses"] = responses
		} else {
			op["tags"] = []string{"Trang"}
			op["responses"] = map[string]any{
				"200":     map[string]any{"description": "Trang HTML (hoặc tệp tải về)", "content": map[string]any{"text/html": map[string]any{}}},
				"default": map[string]any{"description": "Trang báo lỗi, hoặc chuyển tiếp (303) sau khi lưu biểu mẫu", "content": map[string]any{"text/html": map[string]any{}}},
			}
		}
		ops, _ := paths[path].(map[string]any)
		if ops == nil {
			ops = map[string]any{}
			paths[path] = ops
		}
		ops[strings.ToLower(method)] = op
	}
	g.defs["Error"] = errorSchema()
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "dangvu API", "version": "1", "description": "API của hệ thống quản lý công tác đảng vụ. " +
			"Ngày trong JSON viết dạng yyyy-mm-dd (nhận cả dd/mm/yyyy). Danh sách: limit, offset, total, next. " +
			"Lỗi: {error, message, fields[]} với error là mã ổn định (invalid, not_found, conflict, forbidden, unauthorized, rate_limited, unavailable, internal) và message bằng tiếng Việt."},
		"paths": paths,
		"components": map[string]any{
			"schemas":   g.defs,
			"responses": map[string]any{"Error": map[string]any{"description": "Lỗi: mã ổn định, thông báo tiếng Việt, các trường sai", "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}}},
			"securitySchemes": map[string]any{
				"cookie": map[string]any{"type": "apiKey", "in": "cookie", "name": SessionCookie},
				"bearer": map[string]any{"type": "http", "scheme": "bearer"},
			}},
	}
}

// Content types of the downloads some API routes answer.
const (
	xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)

var errorRef = map[string]any{"$ref": "#/components/responses/Error"}

// errorStatuses are the error statuses an operation answers besides the default.
func errorStatuses(method string, public bool) []string {
	out := []string{"400", "404", "500"}
	if !public {
		out = append(out, "401", "403")
	}
	if method != "GET" {
		out = append(out, "409")
	}
	return out
}

// errorSchema is the body writeError writes.
func errorSchema() map[string]any {
	return map[string]any{"type": "object", "required": []string{"error", "message"}, "additionalProperties": false,
		"properties": map[string]any{
			"error": map[string]any{"type": "string", "description": "mã lỗi ổn định",
				"enum": []string{dangvu.EInvalid, dangvu.ENotFound, dangvu.EConflict, dangvu.EForbidden, dangvu.EUnauthorized, dangvu.ERateLimited, dangvu.EUnavailable, dangvu.EInternal}},
			"message": map[string]any{"type": "string", "description": "thông báo tiếng Việt"},
			"fields": map[string]any{"type": "array", "items": map[string]any{"type": "object", "required": []string{"reason"}, "additionalProperties": false,
				"properties": map[string]any{
					"table":  map[string]any{"type": "string"},
					"row":    map[string]any{"type": "integer"},
					"field":  map[string]any{"type": "string"},
					"reason": map[string]any{"type": "string"}}}},
			"conflicts": map[string]any{"type": "array", "description": "nhập bị từ chối (409) vì tệp khác dữ liệu đã lưu ở chỗ tệp không được sửa: mỗi chỗ khác với giá trị đã lưu và trong tệp; cũng có trong fields",
				"items": map[string]any{"type": "object", "required": []string{"table", "id", "stored", "file", "reason"}, "additionalProperties": false,
					"properties": map[string]any{
						"table":  map[string]any{"type": "string"},
						"row":    map[string]any{"type": "integer"},
						"id":     map[string]any{"type": "string"},
						"field":  map[string]any{"type": "string"},
						"stored": map[string]any{"type": "string"},
						"file":   map[string]any{"type": "string"},
						"reason": map[string]any{"type": "string"}}}},
		}}
}

func operationID(pattern string) string {
	method, path := splitPattern(pattern)
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	for _, r := range path {
		switch {
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '/' || r == '_' || r == '-' || r == '.' || r == '{':
			b.WriteByte('_')
		}
	}
	return b.String()
}

// Query parameters' patterns: what date (vn.ParseDate) and monthParam accept.
const (
	dateParam  = `^([0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}|[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{4})$`
	monthQuery = `^([0-9]{4}-[0-9]{2}|[0-9]{1,2}/[0-9]{4})$`
)

func enumParam(vals []string) map[string]any { return map[string]any{"type": "string", "enum": vals} }

func dateParamSchema() map[string]any {
	return map[string]any{"type": "string", "pattern": dateParam, "examples": []string{"2025-07-01", "01/07/2025"},
		"description": "ngày yyyy-mm-dd hoặc dd/mm/yyyy"}
}

func monthParamSchema() map[string]any {
	return map[string]any{"type": "string", "pattern": monthQuery, "examples": []string{"2026-01", "01/2026"}, "description": "tháng yyyy-mm hoặc mm/yyyy"}
}

// routeParams are the parameters whose meaning depends on the route: the kind of what it lists,
// months where other routes take days.
var routeParams = map[string]map[string]func() map[string]any{
	"GET /api/v1/documents":              {"kind": func() map[string]any { return enumParam(codes(dangvu.DocKinds)) }},
	"GET /api/v1/inspections":            {"kind": func() map[string]any { return enumParam(codes(dangvu.InspectionKinds)) }},
	"GET /api/v1/campaigns/{id}/reviews": {"kind": func() map[string]any { return enumParam(codes(dangvu.SubjectKinds)) }},
	"GET /api/v1/meetings": {
		"kind": func() map[string]any { return enumParam(codes(dangvu.MeetingKinds)) },
		// The register's months are compared as written.
		"from": func() map[string]any { return registerMonth("tháng đầu kỳ", "2026-01") },
		"to":   func() map[string]any { return registerMonth("tháng cuối kỳ", "2026-12") },
	},
	"GET /api/v1/dues/summary": {
		"from": func() map[string]any {
			return withDoc(monthParamSchema(), "tháng đầu kỳ (mặc định tháng 1 của năm)")
		},
		"to": func() map[string]any {
			return withDoc(monthParamSchema(), "tháng cuối kỳ (mặc định tháng này)")
		},
	},
}

// registerMonth is a month of the meetings register, compared as written.
func registerMonth(doc, example string) map[string]any {
	return map[string]any{"type": "string", "pattern": `^[0-9]{4}-[0-9]{2}$`, "examples": []string{example}, "description": doc}
}

func withDoc(s map[string]any, doc string) map[string]any {
	s["description"] = doc
	return s
}

// paramSchema is the schema of a query parameter of a route: dates, months, counts and codes
// typed, the rest text.
func paramSchema(pattern, name string) map[string]any {
	if f := routeParams[pattern][name]; f != nil {
		return f()
	}
	switch name {
	case "as_of", "from", "to", "from_admission", "from_dissemination", "from_review", "from_inspection", "date", "ceremony":
		return dateParamSchema()
	case "month":
		return monthParamSchema()
	case "limit", "offset", "depth", "years", "from_year", "to_year", "year":
		return map[string]any{"type": "integer", "minimum": 0}
	case "level":
		return enumParam(codes(dangvu.Levels))
	case "gender":
		return enumParam([]string{"male", "female"})
	case "age":
		return enumParam([]string{"under30", "30to45", "46to60", "over60"})
	case "party_age":
		return enumParam([]string{"under5", "5to10", "10to30", "30plus"})
	case "reveal", "dry_run":
		return enumParam([]string{"0", "1"})
	case "preset":
		return enumParam([]string{"article", "term", "year"})
	case "format":
		return enumParam([]string{"xlsx"})
	case "next", "stage":
		return enumParam(codes(dangvu.AdmissionStages))
	case "state":
		return enumParam([]string{"candidate", "probation", "full", "removed"})
	case "ethnicity":
		return map[string]any{"type": "string", "pattern": `^[0-9]{2}$`, "examples": []string{"01"}}
	case "status":
		return map[string]any{"type": "string", "description": "một hoặc nhiều mã, cách nhau dấu phẩy", "pattern": "^[a-z_]+(,[a-z_]+)*$",
			"examples": []string{strings.Join(codes(dangvu.Statuses)[:2], ",")}}
	}
	return map[string]any{"type": "string"}
}

var paramDoc = map[string]string{
	"as_of":     "ngày xem cây tổ chức và danh sách đảng viên (mặc định hôm nay)",
	"under":     "mã tổ chức gốc của cây con",
	"dry_run":   "1: chạy thử, cho biết mỗi bảng sẽ thêm, sửa, xóa bao nhiêu dòng; không ghi gì",
	"name":      "tên tệp tải lên: kết thúc bằng .zip (mặc định, các tệp CSV) hoặc .xlsx",
	"parent":    "mã tổ chức cấp trên trực tiếp",
	"q":         "tìm theo tên, không phân biệt dấu, theo tiền tố (\"nguyen van d\")",
	"level":     "cấp tổ chức (lặp lại được)",
	"limit":     "số dòng tối đa",
	"depth":     "số cấp bên dưới tổ chức gốc (0: tất cả)",
	"reveal":    "1 để xem thông tin nhạy cảm (chỉ vai trò được phép; mỗi lần xem được ghi nhật ký)",
	"offset":    "bỏ qua bao nhiêu dòng",
	"org":       "mã hoặc tên chính xác của tổ chức đảng",
	"status":    "trạng thái đảng viên (probationary, full, exempt...), có thể nhiều, cách nhau dấu phẩy",
	"gender":    "male hoặc female",
	"ethnicity": "mã dân tộc (01 Kinh … 54)",
	"age":       "nhóm tuổi: under30, 30to45, 46to60, over60",
	"party_age": "nhóm tuổi đảng: under5, 5to10, 10to30, 30plus",
	"from":      "ngày đầu kỳ",
	"to":        "ngày cuối kỳ",
	"document":  "số hiệu văn bản, ví dụ 04-NQ/TW",
	"month":     "tháng (mặc định tháng này)",
	"format":    "xlsx để tải về tệp Excel thay cho JSON",
	"kind":      "loại (các giá trị ở cột kiểu)",
	"state":     "tình trạng hồ sơ kết nạp",
	"next":      "bước tiếp theo của hồ sơ kết nạp",
	"stage":     "bước của hồ sơ kết nạp",
	"date":      "ngày áp dụng (mặc định hôm nay)",
	"ceremony":  "ngày trao huy hiệu (3/2, 19/5, 2/9, 7/11)",
	"year":      "năm",
	"key":       "khóa của chỉ tiêu trong báo cáo",
}
