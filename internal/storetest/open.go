package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"

	"dangvu/internal/store"
)

// PostgresEnv names the environment variable holding the URL of a PostgreSQL database the tests
// may create schemas in, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
const PostgresEnv = "DANGVU_TEST_POSTGRES"

// rawDSN remembers, for each store opened by the helpers, how to reach its tables without the
// store (driver name and DSN), so that the suite can tamper with them.
var rawDSN sync.Map // *store.Store → [2]string

// OpenSQLite returns a fresh, migrated store in a SQLite file under t.TempDir(), closed when the
// test ends.
func OpenSQLite(t *testing.T) *store.Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "dangvu.db")
	s := openStore(t, path)
	rawDSN.Store(s, [2]string{"sqlite", "file:" + url.PathEscape(path) + "?_pragma=busy_timeout(10000)"})
	return s
}

// ReplicaEnv names the environment variable holding the URL of a streaming replica of the
// database named by PostgresEnv, e.g. postgres://postgres@127.0.0.1:5433/test?sslmode=disable
// (.ci/run starts one with .ci/pg-replica). The replica tests are skipped without it.
const ReplicaEnv = "DANGVU_TEST_POSTGRES_REPLICA"

// OpenPostgres returns a fresh, migrated store in a new schema of the database named by
// $DANGVU_TEST_POSTGRES, dropped when the test ends. It skips the test when the variable is unset.
func OpenPostgres(t *testing.T) *store.Store {
	t.Helper()
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		t.Skipf("%s is not set", PostgresEnv)
	}
	schema := newSchema(t, dsn)
	full := withSchema(dsn, schema)
	dir := t.TempDir()
	s := openStoreWith(t, full, store.Options{KeyFile: filepath.Join(dir, store.KeyFileName), ScanDir: filepath.Join(dir, "attachments")})
	rawDSN.Store(s, [2]string{"pgx", full})
	return s
}

// OpenPostgresReplicated is OpenPostgres with the replica named by $DANGVU_TEST_POSTGRES_REPLICA
// as the store's read database (o's replica settings apply), and a plain connection to the
// replica, for the tests to pause its replay. It skips the test when either variable is unset.
func OpenPostgresReplicated(t *testing.T, o store.Options) (*store.Store, *sql.DB) {
	t.Helper()
	dsn, rdsn := os.Getenv(PostgresEnv), os.Getenv(ReplicaEnv)
	if dsn == "" || rdsn == "" {
		t.Skipf("%s and %s are not both set", PostgresEnv, ReplicaEnv)
	}
	schema := newSchema(t, dsn)
	o.KeyFile = filepath.Join(t.TempDir(), store.KeyFileName)
	o.ReadDSNs = []string{withSchema(rdsn, schema)}
	full := withSchema(dsn, schema)
	s := openStoreWith(t, full, o)
	rawDSN.Store(s, [2]string{"pgx", full})
	replica, err := sql.Open("pgx", rdsn)
	if err != nil {
		t.Fatalf("open %s: %v", ReplicaEnv, err)
	}
	replica.SetMaxOpenConns(1)
	t.Cleanup(func() { replica.Close() })
	// One test at a time uses the replica: the tests pause its replay, and `go test ./...` runs
	// packages in parallel processes. A session lock on the primary, held until the test ends.
	lock, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := lock.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(t.Context(), `SELECT pg_advisory_lock(2020020)`); err != nil {
		t.Fatalf("lock the replica for this test: %v", err)
	}
	t.Cleanup(func() {
		conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(2020020)`)
		conn.Close()
		lock.Close()
	})
	return s, replica
}

// newSchema makes a schema of a random name in the database, dropped when the test ends.
func newSchema(t *testing.T, dsn string) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	schema := "dangvu_test_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatalf("open %s: %v", PostgresEnv, err)
	}
	t.Cleanup(func() { admin.Close() })
	if _, err := admin.ExecContext(t.Context(), `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return schema
}

// withSchema adds the schema as the search path of a DSN.
func withSchema(dsn, schema string) string {
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}

// openStore opens and migrates a store and closes it in t.Cleanup (which runs before the
// cleanups registered earlier: the schema is dropped, or the temporary folder removed, after).
func openStore(t *testing.T, dsn string) *store.Store {
	t.Helper()
	return openStoreWith(t, dsn, store.Options{})
}

// openStoreWith is openStore with options (a PostgreSQL store's key file, in a temporary folder).
func openStoreWith(t *testing.T, dsn string, o store.Options) *store.Store {
	t.Helper()
	s, err := store.OpenWith(t.Context(), dsn, o)
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() {
		rawDSN.Delete(s)
		if err := s.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	if err := s.Migrate(t.Context()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return s
}

// rawDB opens a plain database/sql connection to a store's tables, or skips the test when the
// store was not opened by OpenSQLite or OpenPostgres.
func rawDB(t *testing.T, s *store.Store) *sql.DB {
	t.Helper()
	v, ok := rawDSN.Load(s)
	if !ok {
		t.Skip("the store was not opened by storetest.OpenSQLite or OpenPostgres: no raw access to its tables")
	}
	d := v.([2]string)
	db, err := sql.Open(d[0], d[1])
	if err != nil {
		t.Fatalf("raw open: %v", err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}
