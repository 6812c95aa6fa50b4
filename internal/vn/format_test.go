package vn

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestFormatInt(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{0, "0"},
		{7, "7"},
		{999, "999"},
		{1000, "1.000"},
		{1300, "1.300"},
		{-999, "-999"},
		{-1000, "-1.000"},
		{-5600000, "-5.600.000"},
		{123456789, "123.456.789"},
		{math.MaxInt64, "9.223.372.036.854.775.807"},
		{math.MinInt64, "-9.223.372.036.854.775.808"},
	}
	for _, tt := range tests {
		if got := FormatInt(tt.in); got != tt.want {
			t.Errorf("FormatInt(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatDecimal(t *testing.T) {
	tests := []struct {
		in       float64
		decimals int
		want     string
	}{
		{4.05, 2, "4,05"},
		{12345.5, 1, "12.345,5"},
		{12345.5, 0, "12.346"},
		{1234567.891, 2, "1.234.567,89"},
		{-1234.5, 2, "-1.234,50"},
		{0, 2, "0,00"},
		{-0.001, 2, "0,00"}, // rounds to zero: no "-0,00"
		{-0.5, 0, "0"},      // strconv gives "-0" (half to even)
		{4.05, -1, "4,05"},
		{1e6, -1, "1.000.000"},
		{math.Inf(1), 2, "+Inf"},
		{math.NaN(), 2, "NaN"},
	}
	for _, tt := range tests {
		if got := FormatDecimal(tt.in, tt.decimals); got != tt.want {
			t.Errorf("FormatDecimal(%v, %d) = %q, want %q", tt.in, tt.decimals, got, tt.want)
		}
	}
}

func TestFormatPercent(t *testing.T) {
	tests := []struct {
		in       float64
		decimals int
		want     string
	}{
		{4.05, 2, "4,05%"},
		{100, 0, "100%"},
		{12.345, 1, "12,3%"},
		{1234.5, 1, "1.234,5%"},
	}
	for _, tt := range tests {
		if got := FormatPercent(tt.in, tt.decimals); got != tt.want {
			t.Errorf("FormatPercent(%v, %d) = %q, want %q", tt.in, tt.decimals, got, tt.want)
		}
	}
}

func TestFormatDate(t *testing.T) {
	d := time.Date(2018, 5, 31, 23, 59, 0, 0, time.UTC)
	if got := FormatDate(d); got != "31/05/2018" {
		t.Errorf("FormatDate = %q", got)
	}
	if got := FormatDate(time.Date(2018, 1, 5, 0, 0, 0, 0, time.UTC)); got != "05/01/2018" {
		t.Errorf("FormatDate = %q", got)
	}
}

func TestParseDate(t *testing.T) {
	ok := []struct {
		in   string
		want string // yyyy-mm-dd
	}{
		{"31/05/2018", "2018-05-31"},
		{"31/5/2018", "2018-05-31"},
		{"1/5/2018", "2018-05-01"},
		{"31-05-2018", "2018-05-31"},
		{"31.05.2018", "2018-05-31"},
		{"2018-05-31", "2018-05-31"},
		{"2018-5-31", "2018-05-31"},
		{" 29/02/2020 ", "2020-02-29"},
	}
	for _, tt := range ok {
		got, err := ParseDate(tt.in)
		if err != nil {
			t.Errorf("ParseDate(%q): %v", tt.in, err)
			continue
		}
		if got.Format("2006-01-02") != tt.want || got.Location() != time.UTC || got.Hour() != 0 {
			t.Errorf("ParseDate(%q) = %v, want %s UTC midnight", tt.in, got, tt.want)
		}
	}
	bad := []string{
		"32/01/2018", "29/02/2019", "31/04/2018", "00/01/2018", "01/13/2018", "01/00/2018",
		"2018", "05/2018", "31/05/18", "31/05/02018", "31/05-2018", "2018/05/31/1",
		"", "abc", "31 05 2018", "١٢/٠٥/٢٠١٨", "+1/05/2018", "31//2018", "001/05/2018",
	}
	for _, in := range bad {
		if got, err := ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q) = %v, want error", in, got)
		}
	}
	_, err := ParseDate("32/01/2018")
	if want := `ngày "32/01/2018" không hợp lệ: cần dạng dd/mm/yyyy (05/02/2026) hoặc yyyy-mm-dd (2026-02-05)`; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"31/05/2018", "2018-05-31", "1/1/0001", "29/02/2000", "9999-12-31", "1.2.3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "ngày ") {
				t.Fatalf("error not in Vietnamese: %v", err)
			}
			return
		}
		// Whatever parses formats back and parses to the same day.
		back, err := ParseDate(FormatDate(d))
		if err != nil || !back.Equal(d) {
			t.Fatalf("%q → %v → %q → %v, %v", s, d, FormatDate(d), back, err)
		}
	})
}

func TestLongDate(t *testing.T) {
	tests := []struct {
		place string
		date  time.Time
		want  string
	}{
		{"Uông Bí", time.Date(2018, 5, 31, 0, 0, 0, 0, time.UTC), "Uông Bí, ngày 31 tháng 5 năm 2018"},
		{"Hà Nội", time.Date(2018, 1, 5, 0, 0, 0, 0, time.UTC), "Hà Nội, ngày 05 tháng 01 năm 2018"},
		{"Hà Nội", time.Date(2018, 2, 10, 0, 0, 0, 0, time.UTC), "Hà Nội, ngày 10 tháng 02 năm 2018"},
		{"Hà Nội", time.Date(2018, 3, 9, 0, 0, 0, 0, time.UTC), "Hà Nội, ngày 09 tháng 3 năm 2018"},
		{"Hà Nội", time.Date(2018, 12, 1, 0, 0, 0, 0, time.UTC), "Hà Nội, ngày 01 tháng 12 năm 2018"},
		{"Hà Nội", time.Date(2018, 11, 20, 0, 0, 0, 0, time.UTC), "Hà Nội, ngày 20 tháng 11 năm 2018"},
		{"", time.Date(2018, 10, 3, 0, 0, 0, 0, time.UTC), "ngày 03 tháng 10 năm 2018"},
		{"  ", time.Date(2018, 10, 3, 0, 0, 0, 0, time.UTC), "ngày 03 tháng 10 năm 2018"},
	}
	for _, tt := range tests {
		if got := LongDate(tt.place, tt.date); got != tt.want {
			t.Errorf("LongDate(%q, %v) = %q, want %q", tt.place, tt.date, got, tt.want)
		}
	}
}
