package store_test

import (
	"testing"

	"dangvu/internal/storetest"
)

// TestPostgresReadReplica: a report served from a streaming replica after a write on the primary,
// and a session reading its own write (docs/deployment.md). Skipped unless DANGVU_TEST_POSTGRES
// and DANGVU_TEST_POSTGRES_REPLICA are set (.ci/run starts the replica with .ci/pg-replica).
func TestPostgresReadReplica(t *testing.T) { storetest.RunReplica(t) }

// TestReadReplicaFallback: read databases that do not answer or are not replicas are not used;
// SQLite refuses them.
func TestReadReplicaFallback(t *testing.T) { storetest.RunReplicaFallback(t) }
