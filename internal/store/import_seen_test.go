package store

import (
	"fmt"
	"testing"
)

// TestSeenIDs checks the per-table id check of the import: front-coded while the ids come in
// order, a set from the first one out of order, a repeat found in either state.
func TestSeenIDs(t *testing.T) {
	for _, tc := range []struct {
		name string
		ids  []string
		dup  int // index of the first id that must be refused; -1 none
	}{
		{"sorted", []string{"DP-M1-2025-01", "DP-M1-2025-02", "DP-M2-2025-01", "M", "M0", "M00"}, -1},
		{"sorted repeat", []string{"A1", "A2", "A2"}, 2},
		{"repeat after disorder", []string{"A1", "B22", "C333", "B2", "C333"}, 4},
		{"repeat of a packed id", []string{"A1", "AB", "ABC", "A", "AB"}, 4},
		{"disorder, no repeat", []string{"b", "a", "c", "ba"}, -1},
		{"empty first", []string{"", "x", ""}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &seenIDs{sorted: true}
			for i, id := range tc.ids {
				if got := s.seen(id); got != (i == tc.dup) {
					t.Fatalf("id %d %q: seen = %v", i, id, got)
				}
			}
		})
	}
	// A large sorted table costs a few bytes an id.
	s := &seenIDs{sorted: true}
	for i := 0; i < 100000; i++ {
		s.seen(fmt.Sprintf("DP-M%08d-2025-%02d", i/12, i%12+1))
	}
	if n := len(s.packed); n > 100000*8 {
		t.Errorf("100.000 sorted ids packed in %d bytes", n)
	}
}

// TestPaymentMonths checks the payment-month check: a second payment of a member's month under
// another id is refused with the row holding it (0 when stored), the same id is not.
func TestPaymentMonths(t *testing.T) {
	p := duesPaymentMonths{}
	p.add("M1", "2025-03", "stored", 0)
	for _, tc := range []struct {
		member, month, id string
		row, other        int
		taken             bool
	}{
		{"M1", "2025-01", "a", 2, 0, false},
		{"M1", "2025-02", "b", 3, 0, false},
		{"M1", "2025-03", "stored", 4, 0, false}, // the stored row, rewritten
		{"M1", "2025-02", "c", 5, 3, true},
		{"M1", "2025-03", "d", 6, 0, true},
		{"M2", "1999-12", "e", 7, 0, false},
		{"M2", "2000-01", "f", 8, 0, false},
		{"M2", "1999-12", "g", 9, 7, true},
	} {
		other, taken := p.add(tc.member, tc.month, tc.id, tc.row)
		if other != tc.other || taken != tc.taken {
			t.Errorf("%s %s %s (row %d): other %d, taken %v; want %d, %v", tc.member, tc.month, tc.id, tc.row, other, taken, tc.other, tc.taken)
		}
	}
}
