package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"

	"dangvu"
)

// errorStatus is the one mapping of error codes to HTTP statuses, for the API's JSON errors
// (writeError) and the error pages (renderError) alike; any other error is a 500.
var errorStatus = map[string]int{
	dangvu.EInvalid:      http.StatusBadRequest,
	dangvu.ENotFound:     http.StatusNotFound,
	dangvu.EConflict:     http.StatusConflict,
	dangvu.EForbidden:    http.StatusForbidden,
	dangvu.EUnauthorized: http.StatusUnauthorized,
	dangvu.ERateLimited:  http.StatusTooManyRequests,
	dangvu.EUnavailable:  http.StatusServiceUnavailable,
}

// statusOf returns the HTTP status of err's code, logging an error that has none (a 500).
func (s *Server) statusOf(r *http.Request, err error) int {
	if status := errorStatus[dangvu.ErrorCode(err)]; status != 0 {
		return status
	}
	if s.Logger != nil {
		s.Logger.Error("internal error", "path", r.URL.Path, "err", err)
	}
	return http.StatusInternalServerError
}

// writeError answers an API error: its status (errorStatus) and a JSON body.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status := s.statusOf(r, err)
	body := map[string]any{"error": dangvu.ErrorCode(err), "message": dangvu.ErrorMessage(err)}
	if e, ok := err.(*dangvu.Error); ok && len(e.Fields) > 0 {
		body["message"] = e.Message
		body["fields"] = e.Fields
		if len(e.Conflicts) > 0 {
			// An import refused for values the file may not change: each with both values.
			body["conflicts"] = e.Conflicts
		}
	}
	writeJSON(w, status, body)
}

// maxJSONBody bounds the body of an API request (a step with its scanned attachment has its own
// bound, maxStepBody).
const maxJSONBody = 1 << 20

// decodeJSON is the one reader of an API request's JSON body, for every handler: one JSON value
// into v, strictly — a field v does not have, a body over maxJSONBody or anything after the value
// is refused — each as an EInvalid "Nội dung JSON không đọc được: …".
func decodeJSON(r *http.Request, v any) error { return decodeJSONUpTo(r, v, maxJSONBody) }

// apiWrite is the shape of a JSON write handler: the body read over in (decodeJSON; in may hold
// what the body amends), made ready by ready — what the path gives set, the ids it names checked
// against the user's subtree (checkRefs); nil when the route's guard is enough — then written,
// and what the write returns answered with status. Any error answers as errorStatus says.
func apiWrite[In, Out any](w http.ResponseWriter, r *http.Request, status int, in In, ready func(*In) error, write func(In) (Out, error)) error {
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if ready != nil {
		if err := ready(&in); err != nil {
			return err
		}
	}
	out, err := write(in)
	if err != nil {
		return err
	}
	return writeJSON(w, status, out)
}

// decodeJSONUpTo is decodeJSON with a bound of its own on the body's size.
func decodeJSONUpTo(r *http.Request, v any, limit int64) error {
	// The body is read whole (it is bounded): the required fields are looked for in it after the
	// strict decoding.
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, limit))
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err == nil {
		err = dec.Decode(v)
	}
	if err == nil {
		// One value only: trailing data (a second object, stray text) is a malformed request,
		// not something to ignore.
		if _, terr := dec.Token(); terr != io.EOF {
			err = errTrailingJSON
		}
	}
	if err == nil {
		if wired().api[r.Pattern].patch {
			return nil // an amendment: what is left out stays as stored
		}
		return checkRequired(body, v)
	}
	reason := err.Error()
	var bad *dangvu.Error // a value's own refusal, such as a dangvu.Date that is not a date
	if errors.As(err, &bad) {
		reason = bad.Message
	}
	var tooLarge *http.MaxBytesError
	var wrongType *json.UnmarshalTypeError
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &tooLarge):
		reason = fmt.Sprintf("nội dung quá %d MB", limit>>20)
	case errors.Is(err, io.EOF):
		reason = "nội dung trống"
	case errors.Is(err, io.ErrUnexpectedEOF):
		reason = "JSON bị cắt giữa chừng"
	case errors.As(err, &syntax):
		reason = fmt.Sprintf("sai cú pháp JSON ở ký tự thứ %d", syntax.Offset)
	case errors.As(err, &wrongType):
		// encoding/json's own text is English and names Go types.
		reason = fmt.Sprintf("cần %s, không phải %s", jsonKind(wrongType.Type), jsonValueName(wrongType.Value))
		if wrongType.Field != "" {
			reason = fmt.Sprintf("trường %q %s", wrongType.Field, reason)
		}
	case err == errTrailingJSON:
		reason = "còn dữ liệu sau giá trị JSON"
	case strings.HasPrefix(reason, "json: unknown field "):
		reason = "trường " + strings.TrimPrefix(reason, "json: unknown field ") + " không có trong yêu cầu này"
	}
	return dangvu.Errorf(dangvu.EInvalid, "Nội dung JSON không đọc được: %s", reason)
}

var errTrailingJSON = errors.New("httpapi: trailing data after the JSON value")

// requiredFields lists the JSON names of a request type's fields tagged api:"required" (its
// own and its embedded structs'), which the OpenAPI document marks required too (schema.go).
func requiredFields(t reflect.Type) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" {
			out = append(out, requiredFields(f.Type)...)
			continue
		}
		if f.Tag.Get("api") == "required" && f.IsExported() && name != "-" {
			if name == "" {
				name = f.Name
			}
			out = append(out, name)
		}
	}
	return out
}

// checkRequired refuses a body that lacks a required field of v's type, or gives it as null or
// an empty string, naming every such field (the error body's fields[]); the objects nested in
// it (a programme's tasks, a self-review's remedies) are checked too, named by their path
// ("tasks[1].title"), as the document marks their fields required as well.
func checkRequired(body []byte, v any) error {
	if !hasRequired(reflect.TypeOf(v)) {
		return nil
	}
	var missing []dangvu.FieldError
	missingFields(body, reflect.TypeOf(v), "", &missing)
	if len(missing) == 0 {
		return nil
	}
	return &dangvu.Error{Code: dangvu.EInvalid, Message: fmt.Sprintf("Thiếu %d trường bắt buộc.", len(missing)), Fields: missing}
}

// missingFields adds to missing the required fields that the JSON value body of type t lacks.
func missingFields(body []byte, t reflect.Type, prefix string, missing *[]dangvu.FieldError) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		var items []json.RawMessage
		if json.Unmarshal(body, &items) != nil {
			return
		}
		for i, it := range items {
			missingFields(it, t.Elem(), fmt.Sprintf("%s[%d]", prefix, i), missing)
		}
	case reflect.Struct:
		if _, own := schemaOverrides[t]; own {
			return
		}
		var raw map[string]json.RawMessage
		if json.Unmarshal(body, &raw) != nil {
			return // not an object: its decoding answered already
		}
		if prefix != "" {
			prefix += "."
		}
		for _, name := range requiredFields(t) {
			if b, ok := raw[name]; !ok || string(b) == "null" || string(b) == `""` {
				*missing = append(*missing, dangvu.FieldError{Field: prefix + name, Reason: "bắt buộc, không được để trống"})
			}
		}
		types := fieldTypes(t)
		for _, name := range sortedKeys(types) {
			if b, ok := raw[name]; ok && string(b) != "null" && hasRequired(types[name]) {
				missingFields(b, types[name], prefix+name, missing)
			}
		}
	}
}

// fieldTypes maps the JSON names of struct t's fields (its own and its embedded structs') to
// their types.
func fieldTypes(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			for n, ft := range fieldTypes(f.Type) {
				out[n] = ft
			}
			continue
		}
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

var requiredCache sync.Map // reflect.Type → bool

// hasRequired tells a type with a required field anywhere in it (cached: every request asks).
func hasRequired(t reflect.Type) bool {
	if v, ok := requiredCache.Load(t); ok {
		return v.(bool)
	}
	requiredCache.Store(t, false) // against recursion
	e := t
	for e.Kind() == reflect.Pointer || e.Kind() == reflect.Slice || e.Kind() == reflect.Array {
		e = e.Elem()
	}
	found := false
	if _, own := schemaOverrides[e]; e.Kind() == reflect.Struct && !own {
		found = len(requiredFields(e)) > 0
		for _, ft := range fieldTypes(e) {
			found = hasRequired(ft) || found
		}
	}
	requiredCache.Store(t, found)
	return found
}

// jsonKind names for a reader the JSON value a Go type is read from.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "một chuỗi"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "một số nguyên"
	case reflect.Float32, reflect.Float64:
		return "một số"
	case reflect.Bool:
		return "true hoặc false"
	case reflect.Slice, reflect.Array:
		return "một danh sách"
	}
	return "một đối tượng"
}

// jsonValueName names the JSON value encoding/json met ("string", "number 1.5", "array"…).
func jsonValueName(v string) string {
	kind, rest, _ := strings.Cut(v, " ")
	name := map[string]string{"string": "chuỗi", "number": "số", "bool": "true/false", "array": "danh sách", "object": "đối tượng"}[kind]
	if name == "" {
		return v
	}
	if rest != "" {
		name += " " + rest
	}
	return name
}
