package store

import "testing"

// TestMilestoneSet checks the set of awarded milestones the badges-due tally keeps per member,
// across its two words and at its bounds: the rules allow milestones of 1 to 120 years.
func TestMilestoneSet(t *testing.T) {
	var m milestoneSet
	for _, n := range []int{1, 30, 63, 64, 90, 120, 127, 0, -5, 128, 500} {
		m.add(n)
	}
	for n := -5; n <= 130; n++ {
		want := n == 1 || n == 30 || n == 63 || n == 64 || n == 90 || n == 120 || n == 127
		if got := m.has(n); got != want {
			t.Errorf("has(%d) = %v, want %v", n, got, want)
		}
	}
	var empty milestoneSet
	if empty.has(30) {
		t.Error("an empty set has 30")
	}
}
