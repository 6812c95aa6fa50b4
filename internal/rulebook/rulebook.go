// Package rulebook is the one shape of the rules' values as dated data (domain.md §1): an area
// (admissions, life cycle, calendar, reviews, discipline, documents…) holds rule sets, each in
// force over dated interval and citing its source, and each set holds values (deadlines,
// thresholds, quotas, calendar lines) with their own citation and confidence mark.
//
// The values live in two CSV files per area, embedded in the binary (docs/rules.md):
//
//	sets.csv    id,name,from,to,citation,confidence,note
//	values.csv  set,key,label,value,citation,confidence,note
//
// An administrator may correct a value or add a dated set from a folder (`dangvu serve --rules
// DIR`, read by every command that applies rules): DIR/<area>/sets.csv and DIR/<area>/values.csv,
// same columns. The folder is validated at start, every error naming file, line and field; the
// values it sets are marked as local changes. The logic that applies the values stays in the
// area's package, with its tests.
package rulebook

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Confidence says how well a value is established from the source texts.
type Confidence string

const (
	// Confirmed: the official text or a verbatim copy was read.
	Confirmed Confidence = "confirmed"
	// Secondary: only a press article, official Q&A, question bank or guide supports it.
	Secondary Confidence = "secondary"
	// Unconfirmed: not found in any source; from memory or carried over from an earlier set.
	Unconfirmed Confidence = "unconfirmed"
	// Conflict: sources disagree; the value is a setting and the note cites both.
	Conflict Confidence = "conflict"
)

// Valid reports whether c is one of the four marks.
func (c Confidence) Valid() bool {
	switch c {
	case Confirmed, Secondary, Unconfirmed, Conflict:
		return true
	}
	return false
}

// Label is the Vietnamese name of the mark, as shown on /rules and in refusals.
func (c Confidence) Label() string {
	switch c {
	case Confirmed:
		return "đã xác minh"
	case Secondary:
		return "nguồn thứ cấp"
	case Unconfirmed:
		return "chưa xác minh"
	case Conflict:
		return "các nguồn mâu thuẫn"
	}
	return string(c)
}

// Source is where a value or a set comes from: the citation (document, article, point) and
// how well it is established. Every rule area cites with it, and every Problem carries one.
type Source struct {
	Citation   string     `json:"citation"`
	Confidence Confidence `json:"confidence"`
	Note       string     `json:"note,omitempty"`
	// Local is true when the administrator's folder set the value. The book's values say so in
	// Value.Local; a Source taken from a set (Set.SourceOf) carries it so that its String says so.
	Local bool `json:"local,omitempty"`
}

// String is the citation as a refusal quotes it: followed, where the value is not confirmed, by
// its mark, and where the administrator changed it, by "giá trị do đơn vị sửa":
// "HD 06-HD/TW điểm 5.4 (nguồn thứ cấp)".
func (s Source) String() string {
	c := s.Citation
	if cv := s.Caveat(); cv != "" {
		c += " (" + cv + ")"
	}
	if s.Local {
		c += " (giá trị do đơn vị sửa)"
	}
	return c
}

// Caveat is what a refusal adds after its citation: empty for a confirmed value, otherwise the
// mark in Vietnamese (so a user knows not to rely on it blindly).
func (s Source) Caveat() string {
	if s.Confidence == Confirmed || s.Confidence == "" {
		return ""
	}
	return s.Confidence.Label()
}

// Value is one rule value of a set.
type Value struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Text   string `json:"value"`
	Source Source `json:"source"`
	// Local is true when the administrator's folder set or changed it.
	Local bool `json:"local,omitempty"`
}

// Set is one dated version of an area's rules.
type Set struct {
	Area string
	ID   string
	Name string
	// From is the first day in force; To the last (zero: until the next set begins).
	From, To time.Time
	Source   Source
	Values   []Value
	// Local is true when the administrator's folder added the set or changed its dates or name.
	Local bool
}

// Value returns the value of key, if the set has one.
func (s *Set) Value(key string) (Value, bool) {
	for _, v := range s.Values {
		if v.Key == key {
			return v, true
		}
	}
	return Value{}, false
}

// Text returns the value of key, "" if absent.
func (s *Set) Text(key string) string {
	v, _ := s.Value(key)
	return v.Text
}

// Int returns the value of a key of kind Int. The area's loader checked its kind, so a key of
// another kind or an absent required key is a programming error and panics.
func (s *Set) Int(key string) int {
	v, ok := s.Value(key)
	if !ok {
		panic(fmt.Sprintf("rulebook: %s/%s has no value %q", s.Area, s.ID, key))
	}
	n, err := strconv.Atoi(v.Text)
	if err != nil {
		panic(fmt.Sprintf("rulebook: %s/%s value %q is not an integer", s.Area, s.ID, key))
	}
	return n
}

// Ratio returns a value of kind Ratio ("2/3") as numerator and denominator.
func (s *Set) Ratio(key string) (num, den int) {
	v, ok := s.Value(key)
	if !ok {
		panic(fmt.Sprintf("rulebook: %s/%s has no value %q", s.Area, s.ID, key))
	}
	num, den, err := parseRatio(v.Text)
	if err != nil {
		panic(fmt.Sprintf("rulebook: %s/%s value %q: %v", s.Area, s.ID, key, err))
	}
	return num, den
}

// Bool returns a value of kind Bool ("có"/"không"; true/false); false when absent.
func (s *Set) Bool(key string) bool {
	v, ok := s.Value(key)
	if !ok {
		return false
	}
	b, _ := parseBool(v.Text)
	return b
}

// Cite is the citation of key's value followed, where it is not confirmed, by its mark:
// "HD 06-HD/TW điểm 5.4 (nguồn thứ cấp)". Every refusal quotes it: SourceOf(key).String().
func (s *Set) Cite(key string) string { return s.SourceOf(key).String() }

// SourceOf is the source of key's value, Local when the administrator's folder set it; the set's
// name alone (no mark) when the set has no such value.
func (s *Set) SourceOf(key string) Source {
	v, ok := s.Value(key)
	if !ok {
		return Source{Citation: s.Name}
	}
	src := v.Source
	src.Local = v.Local
	return src
}

// Until is the last day the set is in force within its book: To, or the day before the next
// set's From; zero when open-ended.
func (b *Book) Until(i int) time.Time {
	s := b.Sets[i]
	if !s.To.IsZero() {
		return s.To
	}
	if i+1 < len(b.Sets) {
		return b.Sets[i+1].From.AddDate(0, 0, -1)
	}
	return time.Time{}
}

// Book is an area's rule sets, oldest first.
type Book struct {
	Area  string
	Label string
	Sets  []Set
}

// For returns the set in force on d: the latest-starting set whose interval holds d.
func (b *Book) For(d time.Time) (*Set, bool) {
	d = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	for i := len(b.Sets) - 1; i >= 0; i-- {
		s := &b.Sets[i]
		if d.Before(s.From) {
			continue
		}
		if u := b.Until(i); !u.IsZero() && d.After(u) {
			continue
		}
		return s, true
	}
	return nil, false
}

// ByID returns the set with the id.
func (b *Book) ByID(id string) (*Set, bool) {
	for i := range b.Sets {
		if b.Sets[i].ID == id {
			return &b.Sets[i], true
		}
	}
	return nil, false
}

// Local reports whether any set or value of the book was changed by the administrator.
func (b *Book) Local() bool {
	for _, s := range b.Sets {
		if s.Local {
			return true
		}
		for _, v := range s.Values {
			if v.Local {
				return true
			}
		}
	}
	return false
}

func (b *Book) sort() {
	slices.SortStableFunc(b.Sets, func(x, y Set) int { return x.From.Compare(y.From) })
}

// Kind is the type of a value, checked at load.
type Kind int

const (
	Text  Kind = iota // any non-empty text
	Int               // a whole number ≥ 0
	Ratio             // "2/3"
	Bool              // có/không
	Date              // yyyy-mm-dd
)

func (k Kind) check(s string) error {
	switch k {
	case Int:
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return fmt.Errorf("%q không phải số nguyên không âm", s)
		}
	case Ratio:
		_, _, err := parseRatio(s)
		return err
	case Bool:
		_, err := parseBool(s)
		return err
	case Date:
		_, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return fmt.Errorf("ngày %q không hợp lệ: cần yyyy-mm-dd", s)
		}
	default:
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("giá trị trống")
		}
	}
	return nil
}

func parseRatio(s string) (int, int, error) {
	a, b, ok := strings.Cut(s, "/")
	num, err1 := strconv.Atoi(strings.TrimSpace(a))
	den, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || num <= 0 || den <= 0 || num > den {
		return 0, 0, fmt.Errorf("tỉ lệ %q không hợp lệ: cần dạng 2/3", s)
	}
	return num, den, nil
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "có", "true", "1":
		return true, nil
	case "không", "false", "0":
		return false, nil
	}
	return false, fmt.Errorf("%q: cần có hoặc không", s)
}

// Key declares one value an area's sets hold.
type Key struct {
	Name  string
	Kind  Kind
	Label string // default label when a row leaves it empty
	// Optional keys may be absent from a set (the code then treats the rule as not applying).
	Optional bool
}
