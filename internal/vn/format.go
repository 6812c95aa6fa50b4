package vn

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// FormatInt formats n the Vietnamese way, with dots between thousands:
// 1300 → "1.300", -5600000 → "-5.600.000".
func FormatInt(n int64) string {
	if n < 0 {
		// Via uint64 so that math.MinInt64 does not overflow.
		return "-" + groupThousands(strconv.FormatUint(uint64(-(n+1))+1, 10))
	}
	return groupThousands(strconv.FormatUint(uint64(n), 10))
}

// FormatDecimal formats f with a decimal comma and dots between
// thousands: (12345.5, 1) → "12.345,5", (4.05, 2) → "4,05". A negative
// decimals gives the fewest digits that identify f (strconv's -1).
// A result that rounds to zero has no minus sign.
func FormatDecimal(f float64, decimals int) string {
	if decimals < 0 {
		decimals = -1
	}
	s := strconv.FormatFloat(f, 'f', decimals, 64)
	if s == "NaN" || strings.HasSuffix(s, "Inf") {
		return s
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	out := groupThousands(intPart)
	if hasFrac {
		out += "," + frac
	}
	if neg && strings.Trim(s, "0.") != "" {
		out = "-" + out
	}
	return out
}

// FormatPercent formats a value already in percent (4.05 means 4,05 %)
// like FormatDecimal, followed by "%" without a space, as Vietnamese
// administrative documents write it: "4,05%".
func FormatPercent(f float64, decimals int) string {
	return FormatDecimal(f, decimals) + "%"
}

// groupThousands inserts dots into a string of ASCII digits.
func groupThousands(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	b.Grow(len(digits) + len(digits)/3)
	head := len(digits) % 3
	if head == 0 {
		head = 3
	}
	b.WriteString(digits[:head])
	for i := head; i < len(digits); i += 3 {
		b.WriteByte('.')
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// FormatDate formats t as dd/mm/yyyy: "31/05/2018".
func FormatDate(t time.Time) string { return t.Format("02/01/2006") }

// ParseDate parses a full date written as dd/mm/yyyy (day and month may
// have one digit, and '-' or '.' may replace '/') or as ISO yyyy-mm-dd.
// The result is midnight UTC. Errors are in Vietnamese, for end users.
func ParseDate(s string) (time.Time, error) {
	p, err := parseDateParts(s)
	if err != nil || p.Day == 0 {
		return time.Time{}, fmt.Errorf("ngày %q không hợp lệ: cần dạng dd/mm/yyyy (05/02/2026) hoặc yyyy-mm-dd (2026-02-05)", strings.TrimSpace(s))
	}
	return p.Earliest(), nil
}

// LongDate writes the date line of a party document (Hướng dẫn 36-HD/VPTW):
// "Uông Bí, ngày 31 tháng 5 năm 2018". Days below 10 and months 1 and 2
// get a leading zero ("ngày 05 tháng 01 năm 2018") so that nobody can
// turn them into 15, 25 or 11, 12 by adding a digit. An empty place
// leaves out the "place, " prefix. The date is read in t's location.
func LongDate(place string, t time.Time) string {
	day := strconv.Itoa(t.Day())
	if t.Day() < 10 {
		day = "0" + day
	}
	month := strconv.Itoa(int(t.Month()))
	if t.Month() <= time.February {
		month = "0" + month
	}
	line := "ngày " + day + " tháng " + month + " năm " + strconv.Itoa(t.Year())
	if place = strings.TrimSpace(place); place != "" {
		line = place + ", " + line
	}
	return line
}
