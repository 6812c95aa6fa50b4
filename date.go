package dangvu

import (
	"time"
)

// Dates are civil dates. They are stored and exchanged as ISO "2006-01-02" text, which sorts and
// compares correctly in both engines; an open end of an interval is Forever.
const DateLayout = "2006-01-02"

// Forever is the end of an interval that has not ended. Storing it instead of NULL keeps every
// as-of test one indexable comparison: valid_from <= d AND valid_to > d.
const Forever = "9999-12-31"

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
