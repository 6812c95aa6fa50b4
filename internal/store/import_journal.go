package store

import (
	"context"
	"strconv"
)

const (
	// sqliteBusyMillis is how long an SQLite connection waits for a lock another holds.
	sqliteBusyMillis = 10000
	// sqliteIdleReaders is how many idle read connections the SQLite pool keeps open.
	sqliteIdleReaders = 2
)

// rollbackJournal switches the SQLite connection of an import into an empty database from the
// write-ahead log to a rollback journal, when no other connection has the file open, and
// returns the function that switches it back (nil: it stays in WAL). In WAL mode each page of
// the load is written twice, once to the log and once more when the log is copied into the
// file, and the log grows to the size of the database (an import needed twice the disk; a
// million members' set wrote 3,6 GB for a 1,3 GB file at 200.000). With a rollback journal the
// pages that the load adds beyond the empty file's end need no journal: they are written once,
// and a failed import or a crash still leaves the empty database (the journal restores the few
// pages the load changed, the file is cut back to its old length). The journal is synced before
// the file is written (synchronous FULL) until the switch back.
//
// Readers cannot read beside a writer in this mode, so it is taken only when the file is this
// connection's alone (the command line's import, ImportOptions.Alone): WAL cannot be left while
// another connection has the file open, and the attempt fails at once instead of waiting.
func (s *Store) rollbackJournal(ctx context.Context, conn *dbConn) func() {
	var n int
	err := conn.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM (SELECT 1 FROM members LIMIT 1)) + (SELECT count(*) FROM (SELECT 1 FROM org_versions LIMIT 1))`).Scan(&n)
	if err != nil || n > 0 {
		return nil
	}
	// This process's idle readers hold the file open too.
	s.read.SetMaxIdleConns(0)
	defer s.read.SetMaxIdleConns(sqliteIdleReaders)
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = 0"); err != nil {
		return nil
	}
	defer conn.ExecContext(context.Background(), "PRAGMA busy_timeout = "+strconv.Itoa(sqliteBusyMillis))
	var mode string
	if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode = DELETE").Scan(&mode); err != nil || mode != "delete" {
		return nil
	}
	done := false
	back := func() {
		if done {
			return
		}
		done = true
		bg := context.Background()
		conn.ExecContext(bg, "PRAGMA journal_mode = WAL")
		conn.ExecContext(bg, "PRAGMA synchronous = NORMAL")
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA synchronous = FULL"); err != nil {
		back()
		return nil
	}
	return back
}
