package vn

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// PartialDate is a date of which only the year, or year and month, may be
// known, as is common for birth dates of older people. Month and Day are
// 0 when unknown; the zero value means the whole date is unknown.
type PartialDate struct{ Year, Month, Day int }

// ParsePartialDate parses "1975", "05/1975", "3/5/1975" (day first, like
// ParseDate; '-' or '.' may replace '/') and the ISO-like forms "1975-05"
// and "1975-05-03". Blank input gives the zero PartialDate and no error,
// because an unknown date is a legitimate value here.
func ParsePartialDate(s string) (PartialDate, error) {
	if strings.TrimSpace(s) == "" {
		return PartialDate{}, nil
	}
	p, err := parseDateParts(s)
	if err != nil {
		return PartialDate{}, fmt.Errorf("ngày %q không hợp lệ: cần dạng yyyy, mm/yyyy, dd/mm/yyyy hoặc yyyy-mm-dd", strings.TrimSpace(s))
	}
	return p, nil
}

// parseDateParts accepts 1 to 3 numeric fields separated by one of / - .
// (the same one throughout). The 4-digit field is the year; it comes
// either first (ISO order, y-m-d) or last (Vietnamese order, d/m/y).
// Day and month take 1 or 2 digits. The result is Valid.
func parseDateParts(s string) (PartialDate, error) {
	s = strings.TrimSpace(s)
	sep := ""
	for _, c := range "/-." {
		if strings.ContainsRune(s, c) {
			if sep != "" {
				return PartialDate{}, errBadDate
			}
			sep = string(c)
		}
	}
	fields := []string{s}
	if sep != "" {
		fields = strings.Split(s, sep)
	}
	if len(fields) > 3 {
		return PartialDate{}, errBadDate
	}
	nums := make([]int, len(fields))
	for i, f := range fields {
		if len(f) == 0 || len(f) > 4 {
			return PartialDate{}, errBadDate
		}
		for _, c := range []byte(f) {
			if c < '0' || c > '9' {
				return PartialDate{}, errBadDate
			}
			nums[i] = nums[i]*10 + int(c-'0')
		}
	}
	// Reverse ISO order into day-first so both share one path.
	if len(fields) > 1 && len(fields[0]) == 4 {
		for i, j := 0, len(nums)-1; i < j; i, j = i+1, j-1 {
			nums[i], nums[j] = nums[j], nums[i]
			fields[i], fields[j] = fields[j], fields[i]
		}
	}
	last := len(fields) - 1
	if len(fields[last]) != 4 {
		return PartialDate{}, errBadDate
	}
	for _, f := range fields[:last] {
		if len(f) > 2 {
			return PartialDate{}, errBadDate
		}
	}
	var p PartialDate
	p.Year = nums[last]
	switch len(nums) {
	case 2:
		p.Month = nums[0]
	case 3:
		p.Day, p.Month = nums[0], nums[1]
	}
	// A written day or month must not be 0: "00/1975" is a typo, not an
	// unknown month.
	if len(nums) >= 2 && p.Month == 0 || len(nums) == 3 && p.Day == 0 || !p.Valid() || p.IsZero() {
		return PartialDate{}, errBadDate
	}
	return p, nil
}

// errBadDate is internal: callers build the user-facing message.
var errBadDate = errors.New("bad date")

// IsZero reports whether the date is entirely unknown.
func (p PartialDate) IsZero() bool { return p == PartialDate{} }

// Valid reports whether p is the zero value or a real calendar date,
// month or year: year 1–9999, month 0–12, day 0 or a day of that month,
// and no day without a month.
func (p PartialDate) Valid() bool {
	switch {
	case p.IsZero():
		return true
	case p.Year < 1 || p.Year > 9999, p.Month < 0 || p.Month > 12, p.Day < 0:
		return false
	case p.Day == 0:
		return true
	case p.Month == 0:
		return false
	}
	return p.Day <= daysIn(p.Year, time.Month(p.Month))
}

func daysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// String returns the storage and exchange form: "1975", "1975-05" or
// "1975-05-03"; "" for the zero value.
func (p PartialDate) String() string {
	switch {
	case p.IsZero():
		return ""
	case p.Month == 0:
		return fmt.Sprintf("%04d", p.Year)
	case p.Day == 0:
		return fmt.Sprintf("%04d-%02d", p.Year, p.Month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", p.Year, p.Month, p.Day)
}

// Vietnamese returns the display form: "1975", "05/1975" or "03/05/1975";
// "" for the zero value.
func (p PartialDate) Vietnamese() string {
	switch {
	case p.IsZero():
		return ""
	case p.Month == 0:
		return fmt.Sprintf("%04d", p.Year)
	case p.Day == 0:
		return fmt.Sprintf("%02d/%04d", p.Month, p.Year)
	}
	return fmt.Sprintf("%02d/%02d/%04d", p.Day, p.Month, p.Year)
}

// Earliest returns the first day p may stand for (1975 → 1975-01-01), at
// midnight UTC; the zero time for the zero value. With Latest it bounds
// an age: the youngest possible age uses Latest, the oldest Earliest.
func (p PartialDate) Earliest() time.Time {
	if p.IsZero() {
		return time.Time{}
	}
	m, d := p.Month, p.Day
	if m == 0 {
		m = 1
	}
	if d == 0 {
		d = 1
	}
	return time.Date(p.Year, time.Month(m), d, 0, 0, 0, 0, time.UTC)
}

// Latest returns the last day p may stand for (1975 → 1975-12-31,
// 2000-02 → 2000-02-29), at midnight UTC; the zero time for the zero
// value.
func (p PartialDate) Latest() time.Time {
	if p.IsZero() {
		return time.Time{}
	}
	m, d := p.Month, p.Day
	if m == 0 {
		m = 12
	}
	if d == 0 {
		d = daysIn(p.Year, time.Month(m))
	}
	return time.Date(p.Year, time.Month(m), d, 0, 0, 0, 0, time.UTC)
}
