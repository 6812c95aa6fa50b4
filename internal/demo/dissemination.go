package demo

import "math/rand/v2"

// disseminationWorld holds the demo's dissemination records.
type disseminationWorld struct{}

// buildDissemination fills w.dis.
func (w *world) buildDissemination(r *rand.Rand) {}
