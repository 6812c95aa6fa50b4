package store

import (
	"testing"
	"time"
)

// Party-age bands: whole years on the as-of date, [min, max).
func TestBandOf(t *testing.T) {
	d := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		adm  string
		want string
	}{
		{"2026-01-01", "party_age_under_10"}, {"2016-11-28", "party_age_under_10"}, {"2016-11-27", "party_age_10_to_29"},
		{"1996-11-28", "party_age_10_to_29"}, {"1996-11-27", "party_age_30_to_39"}, {"1976-11-27", "party_age_50_plus"},
	} {
		adm, _ := time.Parse(time.DateOnly, tc.adm)
		if got := partyAgeBands[bandOf(adm, d)].key; got != tc.want {
			t.Errorf("admitted %s: %s, want %s", tc.adm, got, tc.want)
		}
	}
}
