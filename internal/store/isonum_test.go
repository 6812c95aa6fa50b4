package store

import (
	"regexp"
	"strings"
	"testing"
)

// TestISONum: the kept counts' days as numbers sort as the dates do and come back unchanged;
// anything else is refused (the tallies then keep it as text).
func TestISONum(t *testing.T) {
	days := []string{"1930-02-03", "1999-12-31", "2000-01-01", "2024-02-29", "2025-06-30", "2025-07-01", "9999-12-30"}
	prev := int32(-1)
	for _, d := range days {
		n, ok := isoNum(d)
		if !ok || numISO(n) != d || n <= prev {
			t.Errorf("%s: %d %v → %s (after %d)", d, n, ok, numISO(n), prev)
		}
		prev = n
	}
	for _, bad := range []string{"", "2025-7-01", "2025/07/01", "20250701xx", "2025-07-0a", "2025-07-01T00"} {
		if n, ok := isoNum(bad); ok {
			t.Errorf("%q read as %d", bad, n)
		}
	}
	d := newTallyDeltas()
	d.add("/VN/T01/T01.H01/", "2025-07-01", "k", 2)
	d.add("/VN/T01/T01.H02/", "", "k", 1) // not a date: kept as text
	want := map[tallyKey]int{{"/VN/", "2025-07-01", "k"}: 2, {"/VN/T01/", "2025-07-01", "k"}: 2, {"/VN/", "", "k"}: 1, {"/VN/T01/", "", "k"}: 1}
	got := d.counts()
	if len(got) != len(want) {
		t.Fatalf("counts %v, want %v", got, want)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%v: %d, want %d", k, got[k], n)
		}
	}
}

// TestMonthCount checks that monthCount counts the months monthsOf lists.
func TestMonthCount(t *testing.T) {
	for _, c := range [][2]string{{"2023-11-27", "2026-11-27"}, {"2026-01-31", "2026-02-01"}, {"2026-03-01", "2026-03-31"}, {"2026-05-02", "2026-05-01"},
		{"2015-12-31", "2016-01-01"}, {"2026-05", "2026-06-01"}, {"", ""}} {
		if got, want := monthCount(c[0], c[1]), len(monthsOf(c[0], c[1])); got != want {
			t.Errorf("monthCount(%s, %s) = %d, monthsOf lists %d", c[0], c[1], got, want)
		}
	}
}

// idPattern is the regular expression of an id, checked by hand.
var idRegexp = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

func TestIDPattern(t *testing.T) {
	long := strings.Repeat("a", 64)
	for _, s := range []string{"", "M1", "T74.H01.A04.C001", "DP-M00000001-2025-12", "a_b", "9", ".a", "-a", "_a", "a b", "đ", "a/b", "a\x00", long, long + "a", "A" + long[1:], "Z.", "aé"} {
		if got, want := idPattern.MatchString(s), idRegexp.MatchString(s); got != want {
			t.Errorf("idPattern(%q) = %v, the regular expression says %v", s, got, want)
		}
	}
}

func FuzzIDPattern(f *testing.F) {
	for _, s := range []string{"M1", "T74.H01", "a-b_c.d", ".x", strings.Repeat("x", 65)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := idPattern.MatchString(s), idRegexp.MatchString(s); got != want {
			t.Errorf("idPattern(%q) = %v, the regular expression says %v", s, got, want)
		}
	})
}
