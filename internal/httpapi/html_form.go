package httpapi

import (
	"errors"

	"dangvu"
)

// placeErrors is the one placement of a write's error on a form page, for every form. Each field
// error goes beside the form's input for it (input names the input of an error's field, "" when
// the form has none; a row's error is never a form input's), a second one for the same input
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
		if f.Row == 0 {
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
// error's text) and the candidates a typed name matched.
type formField struct {
	Name, Label, Hint, Value, Err string
	// Kind is the input's: "" or "text", "number", "textarea", "select", "file" or "password".
	Kind    string
	Options [][2]string // a select's values and their names
	// Auto is a password's autocomplete ("current-password", "new-password"); Required marks an
	// input the browser itself requires.
	Auto     string
	Required bool
	Choices  []pickOption // the candidates of a name that matched several (pickers.go)
}

// codeOptions are a select's options for a list of codes, after an empty "—".
func codeOptions(codes []dangvu.Code[string]) [][2]string {
	opts := [][2]string{{"", "—"}}
	for _, c := range codes {
		opts = append(opts, [2]string{c.Code, c.Name})
	}
	return opts
}
