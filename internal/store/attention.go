package store

import (
	"context"
	"slices"
	"strings"
	"time"

	"dangvu"
)

// attentionSource lists one domain's items needing attention in org's subtree as of asOf:
// overdue ones and those due within the next soon days.
type attentionSource func(ctx context.Context, s *Store, org dangvu.Org, asOf string, soon int) ([]dangvu.Attention, error)

// attentionSources are registered by the domains from init functions.
var attentionSources []attentionSource

// AttentionSoon is how many days ahead a deadline counts as due soon.
const AttentionSoon = 14

// Attention lists what needs attention in an organisation's subtree as of a date, from every
// domain, overdue first and then by due date. Items naming a document the reader may not read
// (secret: the reader may read secret documents) are left out.
func (s *Store) Attention(ctx context.Context, orgID string, asOf time.Time, secret bool) ([]dangvu.Attention, error) {
	org, err := s.ResolveOrg(ctx, orgID, asOf)
	if err != nil {
		return nil, err
	}
	out := []dangvu.Attention{}
	for _, src := range attentionSources {
		items, err := src(ctx, s, org, dateArg(asOf), AttentionSoon)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if it.Secrecy.Readable(secret) {
				out = append(out, it)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b dangvu.Attention) int {
		if a.Overdue != b.Overdue {
			if a.Overdue {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Due, b.Due)
	})
	return out, nil
}
