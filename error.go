// Package dangvu is the domain of the party-affairs system: organisations and their history,
// members, posts, and the rules and reports built on them. It imports no storage or HTTP code;
// internal/store persists these types and internal/httpapi serves them.
package dangvu

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. HTTP and the command line map them to statuses and exit codes in one place each.
const (
	EInvalid   = "invalid"
	ENotFound  = "not_found"
	EConflict  = "conflict"
	EForbidden = "forbidden"
	EInternal  = "internal"
	// EUnauthorized: not logged in, or the credentials are wrong.
	EUnauthorized = "unauthorized"
	// ERateLimited: too many attempts; the message says when to retry.
	ERateLimited = "rate_limited"
	// EUnavailable: the server is busy with as much of this kind of work as it takes at once.
	EUnavailable = "unavailable"
)

// Error is a domain error with a code and a Vietnamese message meant for the user.
type Error struct {
	Code    string
	Message string
	// Fields lists per-row, per-field problems (imports and forms); empty for simple errors.
	Fields []FieldError
	// Conflicts lists, for an import refused with EConflict, each value of the file that differs
	// from what the database holds where the file may not change it (issue 21); each is in
	// Fields too, as a sentence, for the pages and the command line.
	Conflicts []Conflict
}

// Conflict is a value of an imported file that differs from the stored one where the file is
// only a reference: an organisation above the file's subtree, a document issued above it, a
// member who sits outside it. The import is refused and nothing is written.
type Conflict struct {
	Table  string `json:"table"`           // the file or sheet: "external_organisations.csv"
	Row    int    `json:"row,omitempty"`   // its data row, as in FieldError
	ID     string `json:"id"`              // the row's key (an organisation's id and version start joined by "/")
	Field  string `json:"field,omitempty"` // the column that differs; empty for a row the database lacks or holds otherwise
	Stored string `json:"stored"`          // the stored value
	File   string `json:"file"`            // the file's value
	Reason string `json:"reason"`          // in Vietnamese, naming both values
}

// FieldError is the conflict as a row's error.
func (c Conflict) FieldError() FieldError {
	return FieldError{Table: c.Table, Row: c.Row, Field: c.Field, Reason: c.Reason}
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	var b strings.Builder
	b.WriteString(e.Message)
	for i, f := range e.Fields {
		if i == 50 {
			fmt.Fprintf(&b, "\n… và %d lỗi khác", len(e.Fields)-50)
			break
		}
		b.WriteString("\n")
		b.WriteString(f.String())
	}
	return b.String()
}

// FieldError names where bad input was found: "members.csv, dòng 12, cột birth_date: …".
type FieldError struct {
	Table  string `json:"table,omitempty"`
	Row    int    `json:"row,omitempty"`
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`
}

func (f FieldError) String() string {
	var parts []string
	if f.Table != "" {
		parts = append(parts, f.Table)
	}
	if f.Row > 0 {
		parts = append(parts, fmt.Sprintf("dòng %d", f.Row))
	}
	if f.Field != "" {
		parts = append(parts, "cột "+f.Field)
	}
	if len(parts) == 0 {
		return f.Reason
	}
	return strings.Join(parts, ", ") + ": " + f.Reason
}

// Errorf returns an *Error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal otherwise.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EInternal
}

// ErrorMessage returns the user-facing message: the *Error's own, or a generic one that hides internals.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Error()
	}
	return "Lỗi hệ thống, vui lòng thử lại hoặc báo quản trị viên."
}
