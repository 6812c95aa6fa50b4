package store

import (
	"context"
	"slices"
	"time"

	"dangvu"
)

// attentionList lists one domain's items needing attention in org's subtree as of asOf:
// overdue ones and those due within the next soon days.
type attentionList func(ctx context.Context, s *Store, org dangvu.Org, asOf string, soon int) ([]dangvu.Attention, error)

// attentionSource is one domain's list with the right a role needs to see its items: the same
// right that opens the records they link to, so the home page shows no more than the pages do.
type attentionSource struct {
	need dangvu.Action
	list attentionList
}

// AttentionSoon is how many days ahead a deadline counts as due soon.
const AttentionSoon = 14

// Attention lists what needs attention in an organisation's subtree as of a date, for a reader
// of the given role, overdue first and then by due date: only the domains whose right the role
// holds, and no item naming a document the role may not read (a secret one without read_secret).
func (s *Store) Attention(ctx context.Context, orgID string, asOf time.Time, role dangvu.UserRole) ([]dangvu.Attention, error) {
	org, err := s.ResolveOrg(ctx, orgID, asOf)
	if err != nil {
		return nil, err
	}
	secret := role.Can(dangvu.ActReadSecret)
	out := []dangvu.Attention{}
	for _, src := range s.attentionSources() {
		if !role.Can(src.need) {
			continue
		}
		items, err := src.list(ctx, s, org, dateArg(asOf), AttentionSoon)
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
		return a.Due.Compare(b.Due)
	})
	return out, nil
}
