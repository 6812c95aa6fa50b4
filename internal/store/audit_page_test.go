package store_test

import (
	"context"
	"fmt"
	"testing"

	"dangvu"
	"dangvu/internal/storetest"
)

// TestAuditPage pages back through the log: every entry once, newest first, in pages.
func TestAuditPage(t *testing.T) {
	s := storetest.OpenSQLite(t)
	ctx := context.Background()
	for i := range 7 {
		u := dangvu.User{Username: fmt.Sprintf("u%d", i), UserRole: dangvu.UserAdmin}
		if _, err := s.CreateUser(ctx, "test", u, "mật-khẩu-đủ-dài-123"); err != nil {
			t.Fatal(err)
		}
	}
	var seen []int64
	var before int64
	for page := 0; ; page++ {
		es, err := s.AuditPage(ctx, "user", "", before, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(es) == 0 {
			break
		}
		if len(es) > 3 {
			t.Fatalf("page %d has %d entries", page, len(es))
		}
		for _, e := range es {
			if len(seen) > 0 && e.Seq >= seen[len(seen)-1] {
				t.Fatalf("entry %d after %d: not newest first", e.Seq, seen[len(seen)-1])
			}
			seen = append(seen, e.Seq)
		}
		before = es[len(es)-1].Seq
	}
	if len(seen) != 7 {
		t.Errorf("paged through %d entries, want 7", len(seen))
	}
}
