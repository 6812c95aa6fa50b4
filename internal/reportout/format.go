package reportout

import (
	"strings"

	"dangvu"
	"dangvu/internal/vn"
)

// Value formats a figure the Vietnamese way: 1.300 for counts, 4,05% for rates (keys ending in
// _pct or _pct_per_year), dd/mm/yyyy for dates, "—" for no value.
func Value(f dangvu.Figure) string {
	switch v := f.Value.(type) {
	case nil:
		return "—"
	case int:
		return vn.FormatInt(int64(v))
	case int64:
		return vn.FormatInt(v)
	case float64:
		if IsPercent(f.Key) {
			return vn.FormatPercent(v, 2)
		}
		if v == float64(int64(v)) {
			return vn.FormatInt(int64(v))
		}
		return vn.FormatDecimal(v, 2)
	case string:
		if t, err := dangvu.ParseISODate(v); err == nil && len(v) == 10 {
			return vn.FormatDate(t)
		}
		return v
	}
	return ""
}

// IsPercent reports whether a key's value is a percentage.
func IsPercent(key string) bool {
	return strings.HasSuffix(key, "_pct") || strings.HasSuffix(key, "_pct_per_year") || strings.Contains(key, "_pct_")
}

// Number returns a figure's value as a number, ok false for text and missing values.
func Number(r *dangvu.Report, key string) (float64, bool) {
	v, ok := r.Get(key)
	if !ok {
		return 0, false
	}
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

// Text returns a figure's string value ("" when missing or not text).
func Text(r *dangvu.Report, key string) string {
	v, _ := r.Get(key)
	s, _ := v.(string)
	return s
}

// Identity reports whether a key identifies the report rather than counts something.
func Identity(key string) bool {
	switch key {
	case "org_id", "org_name", "from", "to", "as_of", "document", "term_start":
		return true
	}
	return strings.HasPrefix(key, "from_")
}

// Period returns the period a figure is counted over in r: [from, to] of its group (the report's
// from unless the group has its own), or only the as-of date for figures counted on a day.
func Period(r *dangvu.Report, key string) (from, to string) {
	g := dangvu.FigureGroup(key)
	if g == dangvu.GroupMembership || g == dangvu.GroupPosts {
		return "", Text(r, "as_of")
	}
	from = Text(r, "from_"+g)
	if from == "" {
		from = Text(r, "from")
	}
	return from, Text(r, "to")
}
