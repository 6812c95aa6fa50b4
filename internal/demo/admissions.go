package demo

import "math/rand/v2"

// admissionsWorld holds the demo's admission records.
type admissionsWorld struct{}

// buildAdmissions fills w.adm.
func (w *world) buildAdmissions(r *rand.Rand) {}
