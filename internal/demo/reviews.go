package demo

import "math/rand/v2"

// reviewsWorld holds the demo's review records.
type reviewsWorld struct{}

// buildReviews fills w.rev.
func (w *world) buildReviews(r *rand.Rand) {}
