package httpapi

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/rulebook"
)

// schemaGen turns the Go types a handler decodes and encodes into the OpenAPI 3.1 (JSON Schema
// 2020-12) schemas of the document: a named struct becomes a component
// (#/components/schemas/Name), the rest is written inline. Field names, omitempty and embedding
// follow encoding/json; typed codes (dangvu.Status, dangvu.Level…) are enums of their code lists;
// string fields named as dates (as_of, from, to, until, *_date, *_on…) are ISO dates.
//
// Response schemas are strict (additionalProperties false, every field without omitempty
// required), so that the validation test (openapi_validate_test.go) catches a handler that writes
// a key its type does not have. Request schemas ("…Input") require the fields tagged
// api:"required" (decodeJSON refuses a body without one, naming it) and accept dates as
// yyyy-mm-dd or dd/mm/yyyy, as the decoders do.
type schemaGen struct {
	defs  map[string]any
	names map[typeMode]string
	// patch: the request schemas being written are of a route that amends a stored record
	// (apiTypes.patch), which requires none of its fields ("…Patch" components).
	patch bool
}

type typeMode struct {
	t     reflect.Type
	input bool
	patch bool
}

func newSchemaGen() *schemaGen {
	return &schemaGen{defs: map[string]any{}, names: map[typeMode]string{}}
}

// enumTypes are the typed codes whose values the document lists.
var enumTypes = map[reflect.Type][]string{
	reflect.TypeFor[dangvu.Status]():           codes(dangvu.Statuses),
	reflect.TypeFor[dangvu.Level]():            codes(dangvu.Levels),
	reflect.TypeFor[dangvu.OrgKind]():          codes(dangvu.OrgKinds),
	reflect.TypeFor[dangvu.ReorgKind]():        codes(dangvu.ReorgKinds),
	reflect.TypeFor[dangvu.MembershipKind]():   codes(dangvu.MembershipKinds),
	reflect.TypeFor[dangvu.MovementKind]():     codes(dangvu.MovementKinds),
	reflect.TypeFor[dangvu.PostRole]():         codes(dangvu.PostRoles),
	reflect.TypeFor[dangvu.AdmissionStage]():   codes(dangvu.AdmissionStages),
	reflect.TypeFor[dangvu.LifeActKind]():      codes(dangvu.LifeActKinds),
	reflect.TypeFor[dangvu.ConferenceKind]():   codes(dangvu.ConferenceKinds),
	reflect.TypeFor[dangvu.AttendanceStatus](): codes(dangvu.AttendanceStatuses),
	reflect.TypeFor[dangvu.DocKind]():          codes(dangvu.DocKinds),
	reflect.TypeFor[dangvu.Direction]():        codes(dangvu.Directions),
	reflect.TypeFor[dangvu.Secrecy]():          codes(dangvu.Secrecies),
	reflect.TypeFor[dangvu.TaskStatus]():       codes(dangvu.TaskStatuses),
	reflect.TypeFor[dangvu.InspectionKind]():   codes(dangvu.InspectionKinds),
	reflect.TypeFor[dangvu.Body]():             codes(dangvu.Bodies),
	reflect.TypeFor[dangvu.Stage]():            codes(dangvu.Stages),
	reflect.TypeFor[dangvu.Finding]():          codes(dangvu.Findings),
	reflect.TypeFor[dangvu.Severity]():         codes(dangvu.Severities),
	reflect.TypeFor[dangvu.DisciplineForm]():   codes(dangvu.DisciplineForms),
	reflect.TypeFor[dangvu.AppealOutcome]():    codes(dangvu.AppealOutcomes),
	reflect.TypeFor[dangvu.Rating]():           codes(dangvu.Ratings),
	reflect.TypeFor[dangvu.SubjectKind]():      codes(dangvu.SubjectKinds),
	reflect.TypeFor[dangvu.PeriodKind]():       codes(dangvu.PeriodKinds),
	reflect.TypeFor[dangvu.UserRole]():         codes(dangvu.UserRoles),
	reflect.TypeFor[rulebook.Confidence]():     {string(rulebook.Confirmed), string(rulebook.Secondary), string(rulebook.Unconfirmed), string(rulebook.Conflict)},
}

func codes[T ~string](list []dangvu.Code[T]) []string {
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = string(c.Code)
	}
	return out
}

// schemaOverrides are the types that write their own JSON.
var schemaOverrides = map[reflect.Type]func() map[string]any{
	// Report.MarshalJSON: the figures as one flat object, each a number, a string or a list.
	reflect.TypeFor[dangvu.Report](): func() map[string]any {
		return map[string]any{"type": "object", "description": "Các chỉ tiêu của báo cáo theo thứ tự, mỗi chỉ tiêu một khóa: số, chữ hoặc danh sách"}
	},
	reflect.TypeFor[time.Time]():       func() map[string]any { return map[string]any{"type": "string", "format": "date-time"} },
	dateType:                           func() map[string]any { return map[string]any{"type": "string", "format": "date", "pattern": isoDate} },
	reflect.TypeFor[json.RawMessage](): func() map[string]any { return map[string]any{} },
}

// dateType is a civil date: "yyyy-mm-dd" in JSON.
var dateType = reflect.TypeFor[dangvu.Date]()

// isoDate is what a date looks like in a response.
const isoDate = `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`

// inputDate is what a request's date may look like (dangvu.ParseDateInput, vn.ParseDate): ISO or
// day first, or empty where the field may be left out.
const inputDate = `^([0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}|[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{4})?$`

var dateName = regexp.MustCompile(`^(as_of|date|from|to|until|due|effective|decided_on|done_on|ceremony)$|_(date|on|from|until)$`)

// monthName tells the string fields that hold a month, yyyy-mm in a response.
var monthName = regexp.MustCompile(`^(month|from_month|to_month)$`)

// schema returns the schema of v's type (a $ref for named structs).
func (g *schemaGen) schema(v any, input bool) map[string]any {
	if v == nil {
		return map[string]any{}
	}
	return g.of(reflect.TypeOf(v), input)
}

func (g *schemaGen) of(t reflect.Type, input bool) map[string]any {
	if f, ok := schemaOverrides[t]; ok {
		return f()
	}
	if vals, ok := enumTypes[t]; ok {
		return map[string]any{"type": "string", "enum": vals}
	}
	switch t.Kind() {
	case reflect.Pointer:
		if f, ok := schemaOverrides[t.Elem()]; ok {
			return f()
		}
		return map[string]any{"anyOf": []any{g.of(t.Elem(), input), map[string]any{"type": "null"}}}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": "string", "contentEncoding": "base64"}
		}
		// A nil slice is written as null.
		return map[string]any{"type": []any{"array", "null"}, "items": g.of(t.Elem(), input)}
	case reflect.Map:
		return map[string]any{"type": []any{"object", "null"}, "additionalProperties": g.of(t.Elem(), input)}
	case reflect.Struct:
		if t.Name() == "" {
			return g.object(t, input)
		}
		return g.named(t, input)
	}
	return map[string]any{}
}

// named writes a named struct once as a component and answers a reference to it.
func (g *schemaGen) named(t reflect.Type, input bool) map[string]any {
	key := typeMode{t, input, input && g.patch}
	name, ok := g.names[key]
	if !ok {
		name = componentName(t)
		switch {
		case key.patch:
			name += "Patch"
		case input:
			name += "Input"
		}
		for taken := true; taken; {
			taken = false
			for k, n := range g.names {
				if n == name && k != key {
					name, taken = strings.ReplaceAll(t.PkgPath(), "/", ".")+"."+name, true
					break
				}
			}
		}
		g.names[key] = name
		g.defs[name] = map[string]any{} // placeholder against recursion
		g.defs[name] = g.object(t, input)
	}
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

var genericArgs = regexp.MustCompile(`\[.*\]`)

func componentName(t reflect.Type) string {
	n := genericArgs.ReplaceAllString(t.Name(), "")
	n = strings.ToUpper(n[:1]) + n[1:] // the package's own body types are unexported
	if p := t.PkgPath(); p != "dangvu" && p != "dangvu/internal/httpapi" {
		n = p[strings.LastIndex(p, "/")+1:] + "." + n
	}
	return n
}

func (g *schemaGen) object(t reflect.Type, input bool) map[string]any {
	props := map[string]any{}
	var required []string
	g.fields(t, input, props, &required)
	s := map[string]any{"type": "object", "properties": props}
	if !input {
		s["additionalProperties"] = false
	}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

// fields adds the JSON fields of struct t, with embedded structs' fields promoted as
// encoding/json does.
func (g *schemaGen) fields(t reflect.Type, input bool, props map[string]any, required *[]string) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				g.fields(ft, input, props, required)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		omit := strings.Contains(","+opts+",", ",omitempty,") || strings.Contains(","+opts+",", ",omitzero,")
		var s map[string]any
		switch {
		case strings.Contains(","+opts+",", ",string,"):
			s = map[string]any{"type": "string"}
		case f.Type == dateType || f.Type.Kind() == reflect.String && dateName.MatchString(name) && enumTypes[f.Type] == nil:
			// A dangvu.Date writes "" when zero, as the string dates did: a field that may be
			// empty (not omitzero) says so; kin-openapi checks format "date", which "" fails.
			s = map[string]any{"type": "string"}
			if name == "birth_date" {
				// Records often know only the year or the month of a birth.
				s["pattern"], s["description"] = `^([0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)?$`, "yyyy, yyyy-mm hoặc yyyy-mm-dd"
			} else if input {
				s["pattern"], s["description"] = inputDate, "ngày yyyy-mm-dd (nhận cả dd/mm/yyyy)"
			} else if omit {
				s["format"], s["pattern"] = "date", isoDate
			} else {
				s["pattern"], s["description"] = `^([0-9]{4}-[0-9]{2}-[0-9]{2})?$`, "ngày yyyy-mm-dd, rỗng khi chưa có"
			}
		case !input && f.Type.Kind() == reflect.String && monthName.MatchString(name) && enumTypes[f.Type] == nil:
			s = map[string]any{"type": "string", "pattern": `^[0-9]{4}-[0-9]{2}$`, "description": "tháng yyyy-mm"}
			if !omit {
				s["pattern"], s["description"] = `^([0-9]{4}-[0-9]{2})?$`, "tháng yyyy-mm, rỗng khi chưa có"
			}
		default:
			s = g.of(f.Type, input)
			if vals, ok := s["enum"].([]string); ok && !omit && !input {
				// A code field without omitempty may be empty.
				s = map[string]any{"type": "string", "enum": append(append([]string{}, vals...), "")}
			}
		}
		props[name] = s
		if !input && !omit || input && !g.patch && f.Tag.Get("api") == "required" {
			// A request's required fields are those tagged so (decodeJSON refuses a body
			// without them); a response's, every field it always writes.
			*required = append(*required, name)
		}
	}
}

// example makes a value of a schema, for the example of an operation. open holds the components
// being written (a recursive type stops at an empty value).
func (g *schemaGen) example(s map[string]any, open map[string]bool) any {
	if ref, ok := s["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		if open[name] {
			return nil
		}
		open[name] = true
		defer delete(open, name)
		return g.example(g.defs[name].(map[string]any), open)
	}
	if alts, ok := s["anyOf"].([]any); ok {
		return g.example(alts[0].(map[string]any), open)
	}
	if vals, ok := s["enum"].([]string); ok {
		return vals[0]
	}
	typ := s["type"]
	if l, ok := typ.([]any); ok {
		typ = l[0]
	}
	switch typ {
	case "string":
		if p := s["pattern"]; p == `^[0-9]{4}-[0-9]{2}$` || p == `^([0-9]{4}-[0-9]{2})?$` { // a month
			return "2025-07"
		}
		if s["format"] == "date" || s["pattern"] != nil {
			return "2025-07-01"
		}
		if s["format"] == "date-time" {
			return "2025-07-01T08:00:00Z"
		}
		return "…"
	case "integer":
		return 1
	case "number":
		return 1.5
	case "boolean":
		return true
	case "array":
		if v := g.example(s["items"].(map[string]any), open); v != nil {
			return []any{v}
		}
		return []any{}
	case "object":
		out := map[string]any{}
		props, _ := s["properties"].(map[string]any)
		for k, p := range props {
			if v := g.example(p.(map[string]any), open); v != nil {
				out[k] = v
			}
		}
		return out
	}
	return nil
}

func asStrings(v any) []string {
	l, _ := v.([]string)
	return l
}
