package rulebook

import (
	"testing"
	"time"
)

// A Choice picks each area's set as At does, with its last day, builds once per pair of sets,
// sees a reload at once, and lists every set of its first area.
func TestChoice(t *testing.T) {
	a, b := testArea(), testArea()
	builds := 0
	type view struct{ A, B, Until string }
	c := Choose(func(in ...InForce) view {
		builds++
		u := ""
		if !in[0].Until.IsZero() {
			u = in[0].Until.Format(time.DateOnly)
		}
		return view{in[0].ID, in[1].ID, u}
	}, a, b)
	for _, tc := range []struct {
		on   time.Time
		want view
	}{
		{day(2010, 1, 1), view{"A", "A", "2021-07-29"}}, // before every set: the oldest
		{day(2021, 7, 29), view{"A", "A", "2021-07-29"}},
		{day(2021, 7, 30), view{"B", "B", ""}},
	} {
		if got := c.At(tc.on); got != tc.want {
			t.Errorf("At(%s) = %+v, want %+v", tc.on.Format(time.DateOnly), got, tc.want)
		}
	}
	if builds != 2 {
		t.Errorf("built %d times for two pairs of sets", builds)
	}
	if all := c.All(); len(all) != 2 || all[0].A != "A" || all[1].A != "B" || builds != 2 {
		t.Errorf("All = %+v after %d builds", all, builds)
	}
	dir := t.TempDir()
	write(t, dir, "demo/sets.csv", "id,name,from,to,citation,confidence,note\nC,Bộ C,2026-07-26,,QĐ 208-QĐ/TW,secondary,\n")
	if err := b.Load(dir); err != nil {
		t.Fatal(err)
	}
	if got := c.At(day(2026, 12, 1)); got != (view{"B", "C", ""}) {
		t.Errorf("after a reload of the second area: %+v", got)
	}
	if got := c.At(day(2021, 7, 30)); got != (view{"B", "B", ""}) || builds != 4 {
		t.Errorf("after a reload, the reloaded sets are built anew: %+v after %d builds", got, builds)
	}
}
