package httpapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/store"
	"dangvu/internal/storetest"
)

// TestReadReplicaSessions: through the server with a PostgreSQL read replica, a report is served
// from the replica; a write sent with one token is read back at once with that token (from the
// primary) while another token still reads the replica's older state, its replay paused; once
// replayed, both read the write from the replica. Skipped unless DANGVU_TEST_POSTGRES and
// DANGVU_TEST_POSTGRES_REPLICA are set (.ci/run sets both).
func TestReadReplicaSessions(t *testing.T) {
	s, replica := storetest.OpenPostgresReplicated(t, store.Options{ReplicaMaxLag: time.Hour, ReplicaCheckEvery: 20 * time.Millisecond})
	ctx := t.Context()
	r, err := exchange.Open("../../testdata/sample")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, r, store.ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, "test", dangvu.User{Username: "root", UserRole: dangvu.UserAdmin}, "mat-khau-quan-tri"); err != nil {
		t.Fatal(err)
	}
	var toks [2]string
	for i := range toks {
		if toks[i], err = s.CreateAPIToken(ctx, "test", "root", "test"); err != nil {
			t.Fatal(err)
		}
		s.WroteAs(ctx, toks[i]) // the import and the accounts: wait for the replica to have them
		storetest.WaitForReplica(t, s, store.ReadsAs(ctx, toks[i]))
	}
	a, b := toks[0], toks[1]
	srv := httptest.NewServer((&Server{Store: s}).Handler())
	t.Cleanup(srv.Close)
	send := func(tok, method, path string, form string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(form))
		req.Header.Set("Authorization", "Bearer "+tok)
		if form != "" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		status, body, _ := do(t, noRedirect(), req)
		return status, body
	}
	onReplica := func(what string, f func()) {
		t.Helper()
		before := storetest.Reads(s)
		f()
		if after := storetest.Reads(s); after[1] == before[1] {
			t.Errorf("%s: no read served by the replica (%v → %v)", what, before, after)
		}
	}
	onReplica("the report", func() {
		if status, body := send(a, "GET", "/api/v1/reports/term?org=UB&from=2015-01-01&to=2018-05-31", ""); status != 200 || !strings.Contains(body, `"members":`) {
			t.Fatalf("report: %d %.300s", status, body)
		}
	})
	birth := func(tok string) string {
		t.Helper()
		status, body := send(tok, "GET", "/api/v1/members/M1", "")
		if status != 200 {
			t.Fatalf("member: %d %.300s", status, body)
		}
		_, rest, _ := strings.Cut(body, `"birth_date":"`)
		v, _, _ := strings.Cut(rest, `"`)
		return v
	}
	was := birth(a)

	if _, err := replica.ExecContext(ctx, `SELECT pg_wal_replay_pause()`); err != nil {
		t.Fatalf("pause the replica's replay (needs a superuser): %v", err)
	}
	resumed := false
	resume := func() {
		if !resumed {
			resumed = true
			if _, err := replica.ExecContext(context.Background(), `SELECT pg_wal_replay_resume()`); err != nil {
				t.Errorf("resume the replica's replay: %v", err)
			}
		}
	}
	t.Cleanup(resume)
	if status, body := send(a, "POST", "/members/M1/edit", editForm("1975").Encode()); status != http.StatusSeeOther {
		t.Fatalf("edit: %d %.500s", status, body)
	}
	s.CheckReplicas(ctx)
	if got := birth(a); got != "1975" {
		t.Errorf("the writer reads birth date %q after its write, want 1975 (its own write)", got)
	}
	onReplica("another token while the replica is paused", func() {
		if got := birth(b); got != was {
			t.Errorf("another token reads birth date %q, want the replica's %q", got, was)
		}
	})
	resume()
	storetest.WaitForReplica(t, s, store.ReadsAs(ctx, a))
	onReplica("after the replay", func() {
		if got, other := birth(a), birth(b); got != "1975" || other != "1975" {
			t.Errorf("after the replay: birth dates %q and %q, want 1975", got, other)
		}
	})
}
