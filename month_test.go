package dangvu

import (
	"testing"
	"time"
)

func TestParseMonth(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Month
		ok   bool
	}{
		{"2026-03", Month{2026, time.March}, true},
		{"03/2026", Month{2026, time.March}, true}, // as typed in the Vietnamese order
		{"2015-12", Month{2015, time.December}, true},
		{"2026-13", Month{}, false},
		{"2026-00", Month{}, false},
		{"1899-01", Month{}, false},
		{"2026-3", Month{}, false},
		{"2026-03-01", Month{}, false},
		{"+026-03", Month{}, false},
		{"2026/03", Month{}, false},
		{"", Month{}, false},
	} {
		got, err := ParseMonth(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseMonth(%q) = %v, %v; want %v, ok %v", c.in, got, err, c.want, c.ok)
		}
		if c.ok && got.String() != c.in && c.in[4] == '-' {
			t.Errorf("ParseMonth(%q).String() = %q", c.in, got.String())
		}
	}
}

func FuzzParseMonth(f *testing.F) {
	for _, s := range []string{"2026-03", "03/2026", "2026-13", "abcd-ef"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMonth(s)
		if err != nil {
			return
		}
		back, err := ParseMonth(m.String())
		if err != nil || back != m {
			t.Fatalf("%q → %v → %q → %v, %v", s, m, m.String(), back, err)
		}
	})
}
