package store

import (
	"context"
	"time"

	"dangvu"
)

// OrgPosts lists the committee posts of a party organisation held on a date.
func (s *Store) OrgPosts(ctx context.Context, orgID string, asOf time.Time) ([]dangvu.Post, error) {
	d := dateArg(asOf)
	return s.posts(ctx, `org_id = ? AND valid_from <= ? AND valid_to > ?`, orgID, d, d)
}
