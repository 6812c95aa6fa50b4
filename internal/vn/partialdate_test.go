package vn

import (
	"testing"
	"time"
)

func TestParsePartialDate(t *testing.T) {
	tests := []struct {
		in         string
		want       PartialDate
		iso, vi    string
		first, end string
	}{
		{"1975", PartialDate{1975, 0, 0}, "1975", "1975", "1975-01-01", "1975-12-31"},
		{"05/1975", PartialDate{1975, 5, 0}, "1975-05", "05/1975", "1975-05-01", "1975-05-31"},
		{"5/1975", PartialDate{1975, 5, 0}, "1975-05", "05/1975", "1975-05-01", "1975-05-31"},
		{"3/5/1975", PartialDate{1975, 5, 3}, "1975-05-03", "03/05/1975", "1975-05-03", "1975-05-03"},
		{"03-05-1975", PartialDate{1975, 5, 3}, "1975-05-03", "03/05/1975", "1975-05-03", "1975-05-03"},
		{"1975-05", PartialDate{1975, 5, 0}, "1975-05", "05/1975", "1975-05-01", "1975-05-31"},
		{"1975-05-03", PartialDate{1975, 5, 3}, "1975-05-03", "03/05/1975", "1975-05-03", "1975-05-03"},
		{"02/2000", PartialDate{2000, 2, 0}, "2000-02", "02/2000", "2000-02-01", "2000-02-29"},
		{"1900-02", PartialDate{1900, 2, 0}, "1900-02", "02/1900", "1900-02-01", "1900-02-28"},
		{" 0001 ", PartialDate{1, 0, 0}, "0001", "0001", "0001-01-01", "0001-12-31"},
	}
	for _, tt := range tests {
		p, err := ParsePartialDate(tt.in)
		if err != nil {
			t.Errorf("ParsePartialDate(%q): %v", tt.in, err)
			continue
		}
		if p != tt.want {
			t.Errorf("ParsePartialDate(%q) = %+v, want %+v", tt.in, p, tt.want)
		}
		if p.String() != tt.iso || p.Vietnamese() != tt.vi {
			t.Errorf("%+v: String %q Vietnamese %q, want %q %q", p, p.String(), p.Vietnamese(), tt.iso, tt.vi)
		}
		if f, l := p.Earliest().Format(time.DateOnly), p.Latest().Format(time.DateOnly); f != tt.first || l != tt.end {
			t.Errorf("%+v: Earliest %s Latest %s, want %s %s", p, f, l, tt.first, tt.end)
		}
		if !p.Valid() || p.IsZero() {
			t.Errorf("%+v: Valid %v IsZero %v", p, p.Valid(), p.IsZero())
		}
	}

	bad := []string{"0000", "00/1975", "13/1975", "31/04/1975", "29/02/1975", "1975-13", "1975-02-30",
		"75", "5/75", "1975/05/03/01", "1975-", "-1975", "abc", "1975 05", "123/1975", "19750"}
	for _, in := range bad {
		if p, err := ParsePartialDate(in); err == nil {
			t.Errorf("ParsePartialDate(%q) = %+v, want error", in, p)
		}
	}
	_, err := ParsePartialDate("13/1975")
	if want := `ngày "13/1975" không hợp lệ: cần dạng yyyy, mm/yyyy, dd/mm/yyyy hoặc yyyy-mm-dd`; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}

func TestPartialDateZero(t *testing.T) {
	p, err := ParsePartialDate("  ")
	if err != nil || !p.IsZero() {
		t.Fatalf("blank: %+v, %v", p, err)
	}
	if p.String() != "" || p.Vietnamese() != "" || !p.Valid() || !p.Earliest().IsZero() || !p.Latest().IsZero() {
		t.Errorf("zero value misbehaves: %q %q %v %v %v", p.String(), p.Vietnamese(), p.Valid(), p.Earliest(), p.Latest())
	}
}

func TestPartialDateValid(t *testing.T) {
	tests := []struct {
		p    PartialDate
		want bool
	}{
		{PartialDate{}, true},
		{PartialDate{2024, 2, 29}, true},
		{PartialDate{2023, 2, 29}, false},
		{PartialDate{2023, 0, 5}, false}, // day without month
		{PartialDate{0, 5, 0}, false},
		{PartialDate{10000, 0, 0}, false},
		{PartialDate{2023, -1, 0}, false},
		{PartialDate{2023, 1, -1}, false},
		{PartialDate{2023, 12, 31}, true},
	}
	for _, tt := range tests {
		if got := tt.p.Valid(); got != tt.want {
			t.Errorf("%+v.Valid() = %v, want %v", tt.p, got, tt.want)
		}
	}
}

func FuzzParsePartialDate(f *testing.F) {
	for _, s := range []string{"1975", "05/1975", "3/5/1975", "1975-05", "1975-05-03", "", "29/02/2000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePartialDate(s)
		if err != nil {
			return
		}
		if !p.Valid() {
			t.Fatalf("%q parsed to invalid %+v", s, p)
		}
		// Both written forms read back to the same date.
		for _, w := range []string{p.String(), p.Vietnamese()} {
			if q, err := ParsePartialDate(w); err != nil || q != p {
				t.Fatalf("%q → %+v → %q → %+v, %v", s, p, w, q, err)
			}
		}
		if e, l := p.Earliest(), p.Latest(); !p.IsZero() && (l.Before(e) || e.Year() != p.Year) {
			t.Fatalf("%+v: Earliest %v Latest %v", p, e, l)
		}
	})
}
