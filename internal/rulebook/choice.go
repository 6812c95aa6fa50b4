package rulebook

import (
	"sync"
	"time"
)

// InForce is the set an area's book holds for a day, with the last day it is in force within
// its book (Book.Until: zero when open-ended), which a package states as its set's end.
type InForce struct {
	*Set
	Until time.Time
}

// maxChoiceAreas bounds the areas one Choice reads together (admission reads two).
const maxChoiceAreas = 4

// Choice is the one way a rule package chooses its rules for a day: its For(day) is
// choice.At(day). From each of the package's areas it takes the set that applies to an act of
// that day (Book.At: the set in force, or the oldest before them all, as the archives hold acts
// older than the sets recorded) and builds the package's view of them once per combination of
// sets: For is called for every row of a list, and a reload of the rules (Load makes new sets)
// is seen at once. Build must not depend on anything but its sets; what is built is shared by
// every caller, which only reads it.
type Choice[T any] struct {
	areas []*Area
	build func(in ...InForce) T

	mu    sync.Mutex
	built map[[maxChoiceAreas]*Set]T
}

// Choose returns the choice of the areas' sets built by build, which receives one InForce per
// area, in the order given. It panics on no area or more than it can key (a build defect).
func Choose[T any](build func(in ...InForce) T, areas ...*Area) *Choice[T] {
	if len(areas) == 0 || len(areas) > maxChoiceAreas {
		panic("rulebook: Choose takes 1 to 4 areas")
	}
	return &Choice[T]{areas: areas, build: build, built: map[[maxChoiceAreas]*Set]T{}}
}

// At returns what the package's rules are for an act of day.
func (c *Choice[T]) At(day time.Time) T {
	in := make([]InForce, len(c.areas))
	for i, a := range c.areas {
		in[i] = inForce(a.Book(), day)
	}
	return c.get(in)
}

// All returns the package's rules for each set of its first area, oldest first, each with the
// other areas' sets that apply on its first day: what a package's Sets() lists.
func (c *Choice[T]) All() []T {
	b := c.areas[0].Book()
	out := make([]T, len(b.Sets))
	for i := range b.Sets {
		in := make([]InForce, len(c.areas))
		in[0] = InForce{Set: &b.Sets[i], Until: b.Until(i)}
		for j, a := range c.areas[1:] {
			in[j+1] = inForce(a.Book(), b.Sets[i].From)
		}
		out[i] = c.get(in)
	}
	return out
}

func (c *Choice[T]) get(in []InForce) T {
	var key [maxChoiceAreas]*Set
	for i, s := range in {
		key[i] = s.Set
	}
	c.mu.Lock()
	v, ok := c.built[key]
	c.mu.Unlock()
	if ok {
		return v
	}
	v = c.build(in...)
	c.mu.Lock()
	if len(c.built) > 64 { // sets of earlier loads
		clear(c.built)
	}
	c.built[key] = v
	c.mu.Unlock()
	return v
}

// inForce is Book.At with the set's last day.
func inForce(b *Book, day time.Time) InForce {
	s := b.At(day)
	for i := range b.Sets {
		if &b.Sets[i] == s {
			return InForce{Set: s, Until: b.Until(i)}
		}
	}
	return InForce{Set: s, Until: s.To}
}
