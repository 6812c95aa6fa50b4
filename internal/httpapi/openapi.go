package httpapi

import (
	"net/http"
	"regexp"
	"strings"
)

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// openAPI describes every route the handler serves (s.routes, the list Handler built the mux from), so a
// new route is documented by being added. Routes outside /api/ are the pages: they answer HTML and
// are tagged "Trang" so a client can leave them out.
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	paths := map[string]any{}
	for _, rt := range s.routes {
		var method, path string
		for i := 0; i < len(rt.pattern); i++ {
			if rt.pattern[i] == ' ' {
				method, path = rt.pattern[:i], rt.pattern[i+1:]
				break
			}
		}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]string{"type": "string"}})
		}
		for _, p := range rt.params {
			params = append(params, map[string]any{"name": p, "in": "query", "schema": map[string]string{"type": "string"}, "description": paramDoc[p]})
		}
		content, tag := "application/json", "API"
		if !strings.HasPrefix(path, "/api/") && path != "/healthz" {
			content, tag = "text/html", "Trang"
		}
		op := map[string]any{
			"summary":    rt.summary,
			"tags":       []string{tag},
			"parameters": nonNil(params),
			"responses": map[string]any{
				"200": map[string]any{"description": "Thành công", "content": map[string]any{content: map[string]any{}}},
				"400": map[string]any{"description": "Tham số không hợp lệ: {error, message, fields[]}"},
				"404": map[string]any{"description": "Không tìm thấy"},
			},
		}
		if !rt.public {
			op["security"] = []any{map[string]any{"cookie": []string{}}, map[string]any{"bearer": []string{}}}
		}
		ops, _ := paths[path].(map[string]any)
		if ops == nil {
			ops = map[string]any{}
			paths[path] = ops
		}
		ops[map[string]string{"GET": "get", "POST": "post", "PUT": "put", "DELETE": "delete", "PATCH": "patch"}[method]] = op
	}
	return writeJSON(w, http.StatusOK, map[string]any{
		"openapi": "3.0.3",
		"info":    map[string]any{"title": "dangvu API", "version": "1", "description": "API của hệ thống quản lý công tác đảng vụ. Ngày viết dạng yyyy-mm-dd (nhận cả dd/mm/yyyy)."},
		"paths":   paths,
		"components": map[string]any{"securitySchemes": map[string]any{
			"cookie": map[string]any{"type": "apiKey", "in": "cookie", "name": SessionCookie},
			"bearer": map[string]any{"type": "http", "scheme": "bearer"},
		}},
	})
}

var paramDoc = map[string]string{
	"as_of":     "ngày xem cây tổ chức và danh sách đảng viên (mặc định hôm nay)",
	"under":     "mã tổ chức gốc của cây con",
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
}
