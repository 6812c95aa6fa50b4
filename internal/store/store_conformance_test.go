package store_test

import (
	"os"
	"testing"

	"dangvu/internal/storetest"
)

// TestConformanceSQLite runs the conformance suite on SQLite files.
func TestConformanceSQLite(t *testing.T) {
	storetest.Run(t, storetest.OpenSQLite)
}

// TestConformancePostgres runs the conformance suite on PostgreSQL schemas; it is skipped unless
// DANGVU_TEST_POSTGRES names a database (see storetest.OpenPostgres).
func TestConformancePostgres(t *testing.T) {
	if os.Getenv(storetest.PostgresEnv) == "" {
		t.Skipf("%s is not set", storetest.PostgresEnv)
	}
	storetest.Run(t, storetest.OpenPostgres)
}
