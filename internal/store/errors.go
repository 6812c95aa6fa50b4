package store

import (
	"fmt"

	"dangvu"
)

// invalid is the one constructor of a validation error: an EInvalid with its message and the
// fields at fault, which the pages place beside their inputs and the API returns as "fields".
func invalid(msg string, fields ...dangvu.FieldError) error {
	return &dangvu.Error{Code: dangvu.EInvalid, Message: msg, Fields: fields}
}

// fe is the one constructor of a field's error: the field's JSON name and the reason.
func fe(field, format string, args ...any) dangvu.FieldError {
	return dangvu.FieldError{Field: field, Reason: fmt.Sprintf(format, args...)}
}
