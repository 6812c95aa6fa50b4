package demo

import "math/rand/v2"

// inspectionsWorld holds the demo's inspection records.
type inspectionsWorld struct{}

// buildInspections fills w.insp.
func (w *world) buildInspections(r *rand.Rand) {}
