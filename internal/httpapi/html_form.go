package httpapi

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"dangvu"
)

// placeErrors is the one placement of a write's error on a form page, for every form. Each field
// error goes beside the form's input for it (input names the input of an error's field, "" when
// the form has none; a row's error is never a form input's, but the error of a line on the form
// is its line's once onLines named it), a second one for the same input
// joined to the first with "; "; every other field error, and the message of an EInvalid or
// EConflict error without fields, comes back for the summary above the form. Any other error (not found, forbidden, a failure)
// is returned as is, for the error page; nil gives nothing.
func placeErrors(err error, errs map[string]string, input func(field string) string) ([]dangvu.FieldError, error) {
	var e *dangvu.Error
	if err == nil {
		return nil, nil
	}
	if !errors.As(err, &e) || (len(e.Fields) == 0 && e.Code != dangvu.EInvalid && e.Code != dangvu.EConflict) {
		return nil, err
	}
	var other []dangvu.FieldError
	if len(e.Fields) == 0 {
		other = append(other, dangvu.FieldError{Reason: e.Message})
	}
	for _, f := range e.Fields {
		name := ""
		switch {
		case f.Row != 0:
		case strings.Contains(f.Field, "/"): // a line's field (onLines)
			name = f.Field
		default:
			name = input(f.Field)
		}
		switch {
		case name == "":
			other = append(other, f)
		case errs[name] == "":
			errs[name] = f.Reason
		default:
			errs[name] += "; " + f.Reason
		}
	}
	return other, nil
}

// refuse is the error of a form's own check of one field (a name that matched nothing, a
// confirmation that differs), placed as a write's error is: placeErrors(refuse(…), …).
func refuse(field, reason string) error {
	return &dangvu.Error{Code: dangvu.EInvalid, Fields: []dangvu.FieldError{{Field: field, Reason: reason}}}
}

// onLines readies the error of a form with lines (a sheet, a list of tasks) for placeErrors: a
// field error of row n, when line(n) names a line on the form, is renamed lineKey(line, field)
// with no row, so that the form's input for it is that line's; lineErrors hands a line its own.
// Other rows stay rows (the summary names them). The error's fields are changed in place.
func onLines(err error, line func(row int) (string, bool)) error {
	fs := fieldsOf(err)
	for i, f := range fs {
		if l, ok := line(f.Row); ok && f.Row > 0 {
			fs[i].Field, fs[i].Row = lineKey(l, f.Field), 0
		}
	}
	return err
}

// fieldsOf returns the field errors of a dangvu.Error (nil otherwise), to rename fields in place.
func fieldsOf(err error) []dangvu.FieldError {
	var e *dangvu.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// lineKey is the placeErrors input of a line's field: never a form field's name.
func lineKey(line, field string) string { return line + "/" + field }

// lineErrors takes a line's errors (lineKey) out of a form's errors, by field; nil when none.
func lineErrors(errs map[string]string, line string) map[string]string {
	var out map[string]string
	for k, msg := range errs {
		if l, field, ok := strings.Cut(k, "/"); ok && l == line {
			if out == nil {
				out = map[string]string{}
			}
			out[field] = msg
			delete(errs, k)
		}
	}
	return out
}

// inputsOf is a placeErrors input for a form with these inputs, each named as its field.
func inputsOf(names ...string) func(string) string {
	return func(field string) string {
		for _, n := range names {
			if n == field {
				return n
			}
		}
		return ""
	}
}

// inputsIn is a placeErrors input for a form whose inputs are the keys of values (the values
// posted or shown), each named as its field.
func inputsIn[V any](values map[string]V) func(string) string {
	return func(field string) string {
		if _, ok := values[field]; ok {
			return field
		}
		return ""
	}
}

// formField is one input of a form, for the one field partial ("field", layout.html) every form
// uses: its label, its input, the error beside it (aria-invalid, aria-describedby naming the
// error's text and the note) and the candidates a typed name matched. Templates build one with
// input (NAME LABEL VALUE ERROR, then options by name), or from a form's own data (ff, ufield…).
type formField struct {
	Name, Label, Hint, Value, Err string
	// Kind is the input's: "" or "text", "search", "number", "textarea", "select", "file",
	// "password", "checkbox" (one box, ticked when Value is set), "checks" (a box for each of
	// Options, those in Ticked ticked, under a legend).
	Kind    string
	Options [][2]string // a select's or checks' values and their names
	Ticked  []string    // the checks ticked
	// ID is the input's id when not "f-" + Name (its error's is then "e-" + ID).
	ID string
	// Note is a line of help under the input, named by its aria-describedby.
	Note string
	// Auto is the autocomplete ("username", "current-password", "new-password", "one-time-code");
	// Required marks an input the browser itself requires; the rest are the input attributes of
	// their names (Caps autocapitalize, MaxLen maxlength, Rows a textarea's, Accept a file's).
	Auto, Caps, InputMode, Pattern, Accept string
	Required, Autofocus                    bool
	Size, MaxLen, Rows                     int
	Choices                                []pickOption // the candidates of a name that matched several (pickers.go)
	// Multi offers the candidates as boxes to tick (several may be meant), under ChoiceLegend.
	Multi        bool
	ChoiceLegend string
}

// InputID is the input's id, the label's for.
func (f formField) InputID() string {
	if f.ID != "" {
		return f.ID
	}
	return "f-" + f.Name
}

// ErrID is the id of the error's text.
func (f formField) ErrID() string {
	if f.ID != "" {
		return "e-" + f.ID
	}
	return "e-" + f.Name
}

// NoteID is the id of the note.
func (f formField) NoteID() string { return "n-" + strings.TrimPrefix(f.InputID(), "f-") }

// Described is the input's aria-describedby: its error's text and its note.
func (f formField) Described() string {
	var ids []string
	if f.Err != "" {
		ids = append(ids, f.ErrID())
	}
	if f.Note != "" {
		ids = append(ids, f.NoteID())
	}
	return strings.Join(ids, " ")
}

// Checked reports whether a checkbox is ticked.
func (f formField) Checked() bool { return f.Value != "" && f.Value != "0" && f.Value != "false" }

// IsTicked reports whether one of checks is ticked.
func (f formField) IsTicked(v string) bool { return slices.Contains(f.Ticked, v) }

// input is the template function that builds a formField: input NAME LABEL VALUE ERROR, then
// pairs of an option's name and its value ("id" "d-num" "hint" "dd/mm/yyyy" "kind" "select"
// "options" (options ratings "—")…). VALUE is printed (a bool as "true"/"", a list is the checks
// ticked), a missing VALUE or ERROR (a map's absent key) is empty; an unknown option or a
// value of the wrong type fails the page's rendering, so that a test rendering it finds it.
func input(name, label string, value, err any, opts ...any) (formField, error) {
	f := formField{Name: name, Label: label}
	if err != nil { // nil: a map's missing key
		f.Err = fmt.Sprint(err)
	}
	switch v := value.(type) {
	case nil:
	case string:
		f.Value = v
	case bool:
		if v {
			f.Value = "true"
		}
	case []string:
		f.Ticked = v
	default:
		f.Value = fmt.Sprint(v)
	}
	if len(opts)%2 != 0 {
		return f, fmt.Errorf("input %s: options come in pairs", name)
	}
	for i := 0; i < len(opts); i += 2 {
		key, _ := opts[i].(string)
		var ok bool
		switch v := opts[i+1]; key {
		case "id":
			f.ID, ok = v.(string)
		case "hint":
			f.Hint, ok = v.(string)
		case "kind":
			f.Kind, ok = v.(string)
		case "note":
			f.Note, ok = v.(string)
		case "auto":
			f.Auto, ok = v.(string)
		case "caps":
			f.Caps, ok = v.(string)
		case "inputmode":
			f.InputMode, ok = v.(string)
		case "pattern":
			f.Pattern, ok = v.(string)
		case "accept":
			f.Accept, ok = v.(string)
		case "legend":
			f.ChoiceLegend, ok = v.(string)
		case "required":
			f.Required, ok = v.(bool)
		case "autofocus":
			f.Autofocus, ok = v.(bool)
		case "multi":
			f.Multi, ok = v.(bool)
		case "size":
			f.Size, ok = v.(int)
		case "maxlength":
			f.MaxLen, ok = v.(int)
		case "rows":
			f.Rows, ok = v.(int)
		case "options":
			f.Options, ok = v.([][2]string)
		case "choices":
			f.Choices, ok = v.([]pickOption)
			ok = ok || v == nil
		}
		if !ok {
			return f, fmt.Errorf("input %s: option %v: %T not understood", name, opts[i], opts[i+1])
		}
	}
	return f, nil
}

// options is the template function that makes a select's or checks' options of a list of
// codes (any slice of structs with Code and Name, as dangvu.Code), after an empty choice
// named first when given ("—"); with "code" as second argument each name is followed by its
// code in brackets.
func options(list any, first ...string) ([][2]string, error) {
	var out [][2]string
	withCode := false
	if len(first) > 0 {
		if first[0] != "" {
			out = append(out, [2]string{"", first[0]})
		}
		withCode = len(first) > 1 && first[1] == "code"
	}
	v := reflect.ValueOf(list)
	if v.Kind() != reflect.Slice {
		return nil, fmt.Errorf("options: %T is not a list", list)
	}
	for i := 0; i < v.Len(); i++ {
		e := reflect.Indirect(v.Index(i))
		code, name := e.FieldByName("Code"), e.FieldByName("Name")
		if e.Kind() != reflect.Struct || !code.IsValid() || !name.IsValid() {
			return nil, fmt.Errorf("options: %s has no Code and Name", e.Type())
		}
		c, n := fmt.Sprint(code.Interface()), fmt.Sprint(name.Interface())
		if withCode {
			n += " (" + c + ")"
		}
		out = append(out, [2]string{c, n})
	}
	return out, nil
}

// codeOptions are a select's options for a list of codes, after an empty "—".
func codeOptions(codes []dangvu.Code[string]) [][2]string {
	opts := [][2]string{{"", "—"}}
	for _, c := range codes {
		opts = append(opts, [2]string{c.Code, c.Name})
	}
	return opts
}
