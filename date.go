package dangvu

import (
	"database/sql/driver"
	"fmt"
	"strings"
	"time"
)

// Dates are civil dates. They are stored and exchanged as ISO "2006-01-02" text, which sorts and
// compares correctly in both engines; an open end of an interval is Forever.
const DateLayout = "2006-01-02"

// ForeverISO is Forever as stored: the end of an interval that has not ended. Storing it instead of
// NULL keeps every as-of test one indexable comparison: valid_from <= d AND valid_to > d.
const ForeverISO = "9999-12-31"

// Forever is the end of an interval that has not ended (ForeverISO).
var Forever = Date{time.Date(9999, time.December, 31, 0, 0, 0, 0, time.UTC)}

// Date is a civil date: a day at 00:00 UTC, the time.Time inside being what rule packages'
// For(day time.Time) take. Every full date of the root package's types is a Date; its JSON, its
// stored text and its String are "2006-01-02", and the zero Date (no date yet) is "" in all three,
// so a field that may be empty is written as an empty string or, tagged omitzero, left out.
//
// A partial date — a birth date that records may know only as a year or a month ("1954",
// "1954-05") — is not a Date: such fields stay strings (see vn.PartialDate), as the schema of
// birth_date says.
//
// Dates compare with Before, After, Equal and Compare, and with == (every Date is normalised to
// midnight UTC, so equal days are equal values).
type Date struct{ time.Time }

// DateOf is the civil date of t, read in t's own location; the zero time gives the zero Date.
func DateOf(t time.Time) Date {
	if t.IsZero() {
		return Date{}
	}
	return Date{Day(t)}
}

// NewDate is the date y-m-d (normalised as time.Date does).
func NewDate(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// ParseDate parses "2006-01-02", with the Vietnamese error of ParseISODate; "" is an error too.
func ParseDate(s string) (Date, error) {
	t, err := ParseISODate(s)
	if err != nil {
		return Date{}, err
	}
	return Date{t}, nil
}

// MustDate is ParseDate for literals known to be valid (fixtures, tests); it panics otherwise.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// ParseDateInput parses a date typed by a person or sent in a request: ISO yyyy-mm-dd or
// dd/mm/yyyy (day and month may have one digit, and '-' or '.' may replace '/'); "" is the zero
// Date. Errors are in Vietnamese, for end users.
func ParseDateInput(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	if t, err := time.Parse(DateLayout, s); err == nil {
		return Date{t}, nil
	}
	for _, sep := range []string{"/", "-", "."} {
		if t, err := time.Parse("2"+sep+"1"+sep+"2006", s); err == nil {
			return Date{t}, nil
		}
	}
	return Date{}, Errorf(EInvalid, "ngày %q không hợp lệ: cần dạng dd/mm/yyyy (05/02/2026) hoặc yyyy-mm-dd (2026-02-05)", s)
}

// String is the date as "2006-01-02", "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Time.Format(DateLayout)
}

// IsForever reports whether d is the open end of an interval.
func (d Date) IsForever() bool { return d == Forever }

// Before reports whether d is a day before e.
func (d Date) Before(e Date) bool { return d.Time.Before(e.Time) }

// After reports whether d is a day after e.
func (d Date) After(e Date) bool { return d.Time.After(e.Time) }

// Equal reports whether d and e are the same day.
func (d Date) Equal(e Date) bool { return d.Time.Equal(e.Time) }

// Compare is -1, 0 or +1 as d is before, the same day as or after e.
func (d Date) Compare(e Date) int { return d.Time.Compare(e.Time) }

// AddDate is d plus years, months and days, normalised as time.Time.AddDate does.
func (d Date) AddDate(years, months, days int) Date { return Date{d.Time.AddDate(years, months, days)} }

// AddDays is d plus n days.
func (d Date) AddDays(n int) Date { return d.AddDate(0, 0, n) }

// MinDate is the earlier of a and b.
func MinDate(a, b Date) Date {
	if b.Before(a) {
		return b
	}
	return a
}

// MaxDate is the later of a and b.
func MaxDate(a, b Date) Date {
	if b.After(a) {
		return b
	}
	return a
}

// MarshalText writes "2006-01-02", nothing for the zero Date.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads what ParseDateInput reads.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDateInput(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalJSON writes "2006-01-02", "" for the zero Date (as the string fields dates were).
func (d Date) MarshalJSON() ([]byte, error) { return []byte(`"` + d.String() + `"`), nil }

// UnmarshalJSON reads a JSON string as ParseDateInput does; null and "" are the zero Date.
func (d *Date) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		*d = Date{}
		return nil
	}
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return Errorf(EInvalid, "ngày %s không hợp lệ: cần một chuỗi dạng yyyy-mm-dd", s)
	}
	return d.UnmarshalText([]byte(s[1 : len(s)-1]))
}

// Scan reads a date stored as ISO text (string or []byte, "" or NULL for none) or as a time from
// either engine's driver.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		*d = Date{Day(v)}
		return nil
	case []byte:
		return d.scanText(string(v))
	case string:
		return d.scanText(v)
	}
	return fmt.Errorf("dangvu: cannot scan %T into a Date", src)
}

func (d *Date) scanText(s string) error {
	if s == "" {
		*d = Date{}
		return nil
	}
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		if len(s) > len(DateLayout) { // a timestamp's text, as a driver may give it
			if t, err = time.Parse(time.RFC3339Nano, s); err == nil {
				*d = Date{Day(t)}
				return nil
			}
		}
		return fmt.Errorf("dangvu: stored date %q is not yyyy-mm-dd", s)
	}
	*d = Date{t}
	return nil
}

// Value stores the date as ISO text, "" for the zero Date.
func (d Date) Value() (driver.Value, error) { return d.String(), nil }

// Day truncates t to a civil date in UTC.
func Day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ParseISODate parses "2006-01-02".
func ParseISODate(s string) (time.Time, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return time.Time{}, Errorf(EInvalid, "ngày %q không hợp lệ: cần dạng yyyy-mm-dd", s)
	}
	return t, nil
}

// ISO formats a date as "2006-01-02".
func ISO(t time.Time) string { return t.Format(DateLayout) }

// Clock gives the current time; tests set it.
type Clock func() time.Time

// Today is the current civil date by the clock, in Vietnam's time zone (UTC+7, no DST).
func (c Clock) Today() time.Time {
	now := time.Now
	if c != nil {
		now = c
	}
	return Day(now().In(time.FixedZone("ICT", 7*3600)))
}

// TodayDate is Today as a Date.
func (c Clock) TodayDate() Date { return Date{c.Today()} }

// Within reports whether d lies in [from, to): from its first day, before its end.
func (d Date) Within(from, to Date) bool { return !d.Before(from) && d.Before(to) }

// RequireDate is a date that must be given, as a time: ParseISODate's error for the zero Date
// (as for an empty ISO text), the day otherwise.
func RequireDate(d Date) (time.Time, error) {
	if d.IsZero() {
		return ParseISODate("")
	}
	return d.Time, nil
}
