package storetest

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/store"
)

// RunReplica checks the read replicas (store/replicas.go) against the streaming replica named by
// $DANGVU_TEST_POSTGRES_REPLICA: a report is served from the replica after a write on the
// primary, a session that wrote reads its own write from the primary while the replica lags
// (its replay paused) and another session reads the replica's older state, and a session goes
// back to the replica once it has replayed the write. Skipped without both variables.
func RunReplica(t *testing.T) {
	// A lag bound of an hour: the replica stays in use while its replay is paused.
	s, replica := OpenPostgresReplicated(t, store.Options{ReplicaMaxLag: time.Hour, ReplicaCheckEvery: 20 * time.Millisecond})
	f := newFixture()
	importFixture(t, s, f) // a write on the primary
	a := store.ReadsAs(t.Context(), "session a")
	b := store.ReadsAs(t.Context(), "session b")
	q := dangvu.ReportQuery{Org: orgPDN, From: day(MergeDate), To: day("2021-12-31")}
	want := f.count(orgPDN, "2021-12-31", rosterFilter{})

	// The import was no session's: mark it session a's, so that a's reads wait for the replica.
	s.WroteAs(t.Context(), "session a")
	WaitForReplica(t, s, a)
	report := func(ctx context.Context, what string, members int, from string) {
		t.Helper()
		before := Reads(s)
		r, err := s.TermReport(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		after := Reads(s)
		if got := reportMembers(t, r); got != members {
			t.Errorf("%s: members %d, want %d", what, got, members)
		}
		onReplica, onPrimary := after[1]-before[1], after[0]-before[0]
		switch {
		case from == "replica" && (onReplica == 0 || onPrimary != 0):
			t.Errorf("%s: %d reads on the replica, %d on the primary; want all on the replica", what, onReplica, onPrimary)
		case from == "primary" && (onPrimary == 0 || onReplica != 0):
			t.Errorf("%s: %d reads on the replica, %d on the primary; want all on the primary", what, onReplica, onPrimary)
		}
	}
	report(a, "after the import, session a", want, "replica")
	report(b, "after the import, session b", want, "replica")

	// The replica stops replaying; session a adds a member to the ward.
	if _, err := replica.ExecContext(t.Context(), `SELECT pg_wal_replay_pause()`); err != nil {
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
	m := dangvu.Member{FullName: "Hoàng Văn Bản Sao", Gender: dangvu.Male, BirthDate: "1990", AdmittedOn: dangvu.MustDate("2015-05-19"), FullOn: dangvu.MustDate("2016-05-19")}
	if _, err := s.CreateMember(store.PrimaryReads(a), "test", m, dangvu.Arrival{OrgID: cellPD2, On: dangvu.MustDate("2021-06-01")}); err != nil {
		t.Fatal(err)
	}
	s.CheckReplicas(t.Context())
	report(a, "session a after its write, the replica paused", want+1, "primary")
	report(b, "session b, the replica paused", want, "replica") // the replica's older state
	report(store.PrimaryReads(b), "session b reading the primary", want+1, "primary")

	// Replayed: session a is back on the replica, and sees its member there.
	resume()
	start := time.Now()
	WaitForReplica(t, s, a)
	t.Logf("session a back on the replica %v after its replay resumed", time.Since(start).Round(time.Millisecond))
	report(a, "session a, the replica caught up", want+1, "replica")
	report(b, "session b, the replica caught up", want+1, "replica")
}

// WaitForReplica waits until a read made with ctx goes to the replica.
func WaitForReplica(t *testing.T, s *store.Store, ctx context.Context) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		s.CheckReplicas(t.Context())
		before := Reads(s)
		if _, err := s.CountOrgVersions(ctx); err != nil {
			t.Fatal(err)
		}
		if Reads(s)[1] > before[1] {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the replica did not replay the primary's writes within 30 s: %+v", s.ReadDBs())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Reads returns the reads served by the primary and by the replicas.
func Reads(s *store.Store) [2]int64 {
	var n [2]int64
	for _, d := range s.ReadDBs() {
		if d.Replica {
			n[1] += d.Queries
		} else {
			n[0] += d.Queries
		}
	}
	return n
}

func reportMembers(t *testing.T, r *dangvu.Report) int {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ Members int }
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	return got.Members
}

// RunReplicaFallback checks what needs no replica: a read database that does not answer, or that
// is not a replica (the primary itself), is not used and every read goes to the primary; a SQLite
// store refuses read databases. The PostgreSQL part is skipped without $DANGVU_TEST_POSTGRES.
func RunReplicaFallback(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dangvu.db")
	_, err := store.OpenWith(t.Context(), path, store.Options{ReadDSNs: []string{"postgres://postgres@127.0.0.1:5433/test"}})
	if e := errorCode(t, err, dangvu.EInvalid); e != nil && !strings.Contains(e.Message, "chỉ dùng được khi cơ sở dữ liệu chính là PostgreSQL") {
		t.Errorf("SQLite with --read-db: %q", e.Message)
	}
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		t.Skipf("%s is not set", PostgresEnv)
	}
	_, err = store.OpenWith(t.Context(), dsn, store.Options{KeyFile: filepath.Join(t.TempDir(), "k"), ReadDSNs: []string{path}})
	if e := errorCode(t, err, dangvu.EInvalid); e != nil && !strings.Contains(e.Message, "không phải địa chỉ PostgreSQL") {
		t.Errorf("a SQLite file as --read-db: %q", e.Message)
	}
	schema := newSchema(t, dsn)
	key := filepath.Join(t.TempDir(), "k")
	dead := "postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=2"
	for _, tc := range []struct{ name, readDB, reason string }{
		{"not answering", dead, "không kết nối được"},
		{"the primary itself", dsn, "không phải bản sao"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openStoreWith(t, withSchema(dsn, schema), store.Options{KeyFile: key, ReadDSNs: []string{withSchema(tc.readDB, schema)}})
			dbs := s.ReadDBs()
			if len(dbs) != 2 || dbs[1].Healthy || !strings.Contains(dbs[1].Reason, tc.reason) {
				t.Fatalf("read databases %+v, want the second unhealthy because %q", dbs, tc.reason)
			}
			before := Reads(s)
			if _, err := s.CountOrgVersions(store.ReadsAs(t.Context(), "x")); err != nil {
				t.Fatal(err)
			}
			if got := Reads(s); got[0] != before[0]+1 || got[1] != 0 {
				t.Errorf("reads (primary, replicas) = %v, want the read on the primary", got)
			}
		})
	}
}
