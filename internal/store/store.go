// Package store keeps dangvu's data in SQLite (embedded, modernc.org/sqlite, no cgo) or
// PostgreSQL (pgx). One implementation serves both: the SQL is shared and written with `?`
// placeholders, which the database wrapper (db.go) rebinds for PostgreSQL; the few differences
// (DDL, bulk loading, functions) are chosen by the dialect. Both pass the conformance suite in internal/storetest.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"

	"dangvu"
	"dangvu/internal/workday"
)

//go:embed migrations
var migrations embed.FS

// Store is an open database.
type Store struct {
	pg    bool
	write *db // SQLite: one connection, so writers queue instead of failing with "locked"
	read  *db
	keys  *keyring // the secret key file's keys (key.go)
	// scanDir is Options.ScanDir (scans.go).
	scanDir string
	dsn     string
	path    string // SQLite file
	Clock   dangvu.Clock
	// MemberCountCap caps member list totals (0: MaxMemberCount); tests set a small one.
	MemberCountCap int
	// SearchPlan forces the plan of a name search within a subtree (Members): "name" or
	// "subtree"; empty lets the store choose. Tests set it to check both give one answer.
	SearchPlan string
	// wiring holds the domains and what they add (tables, report sections, drill-downs,
	// attention sources), built at Open from domainList (domains.go).
	wiring
	// workdays is the working-day calendar deadlines are counted with: Options.Calendar, else
	// the calendar of the rules in force (workday.Default, which follows an administrator's --rules).
	workdays func() *workday.Calendar
	// disciplinedIn returns the members and the organisations subject to a discipline decision
	// dated within [from, to] (ISO dates), each mapped to a short reference of the decision ("QĐ
	// số 12-QĐ/UBKT, 03/04/2018: khiển trách"): the inspection domain's records, read by the
	// review rules for their "disciplined in the year" trigger. disciplinedInPeriod; a field so
	// that a test can stand in on its own store.
	disciplinedIn func(ctx context.Context, q queryer, from, to dangvu.Date) (map[string]string, map[string]string, error)
	// sectionTimes orders a report's sections, the longest first (runSections).
	sectionTimes sectionTimes
}

// Open opens the database named by dsn: a postgres:// or postgresql:// URL, or else the path of
// a SQLite file (created when missing), with its secret key file chosen as Options says (for
// SQLite: dangvu.key in the database's folder, made when missing). It does not migrate; call
// Migrate.
func Open(ctx context.Context, dsn string) (*Store, error) {
	return OpenWith(ctx, dsn, Options{})
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, dsn string, o Options) (*Store, error) {
	w, err := wire(domainList())
	if err != nil {
		return nil, err
	}
	s := &Store{dsn: dsn, wiring: w, workdays: workday.Default, disciplinedIn: disciplinedInPeriod, scanDir: o.ScanDir}
	if o.Calendar != nil {
		s.workdays = func() *workday.Calendar { return o.Calendar }
	}
	if isPostgresDSN(dsn) {
		s.pg = true
		pool, err := sql.Open("pgx", pgDSN(dsn))
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		pool.SetMaxOpenConns(pgConns)
		pool.SetMaxIdleConns(pgConns)
		s.write = &db{DB: pool, pg: true}
		s.read = s.write
	} else {
		if len(o.ReadDSNs) > 0 {
			return nil, dangvu.Errorf(dangvu.EInvalid, "--read-db (bản sao chỉ đọc) chỉ dùng được khi cơ sở dữ liệu chính là PostgreSQL (--db postgres://…); cơ sở dữ liệu SQLite %s không có bản sao", dsn)
		}
		s.path = strings.TrimPrefix(dsn, "sqlite://")
		// busy_timeout first so that the other pragmas wait instead of failing.
		q := "?_pragma=busy_timeout(" + strconv.Itoa(sqliteBusyMillis) + ")&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-262144)"
		// Write transactions take the write lock when they begin (BEGIN IMMEDIATE), waiting for it
		// within the busy timeout. A deferred transaction that reads first and then writes fails
		// at once with "database is locked" when another connection (a backup, a command run
		// beside the server) wrote in between: SQLite cannot wait for a snapshot that is stale.
		w, err := sql.Open("sqlite", "file:"+url.PathEscape(s.path)+q+"&_txlock=immediate")
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		w.SetMaxOpenConns(1)
		// The read connections map the file (mmap) instead of copying its pages into each
		// connection's page cache: that cache is guarded by one lock for the whole process, and
		// under 50 clients the four readers spent a fifth of their CPU waiting on it; mapped,
		// the server answered 1,3–2,6 times the pages a second (docs/benchmarks.md, the load
		// test). The pages stay the operating system's file cache, shared by the connections
		// rather than copied into each. SQLite maps at most its compiled limit, 2 GB; pages
		// beyond it are read as before.
		r, err := sql.Open("sqlite", "file:"+url.PathEscape(s.path)+q+"&_pragma=query_only(1)&_pragma=mmap_size(2147418112)")
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		r.SetMaxOpenConns(4)
		r.SetMaxIdleConns(sqliteIdleReaders)
		s.write, s.read = &db{DB: w}, &db{DB: r}
	}
	if err := s.write.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: không kết nối được cơ sở dữ liệu: %w", err)
	}
	if err := s.loadKey(ctx, o); err != nil {
		s.Close()
		return nil, err
	}
	if len(o.ReadDSNs) > 0 {
		if err := s.openReplicas(ctx, o.ReadDSNs, o); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// pgDSN adds the store's session settings to a PostgreSQL DSN, unless it sets them itself.
func pgDSN(dsn string) string {
	// The queries are short and many; JIT compilation cost more than it saved (2 s of a 5 s
	// report at national scale). A DSN may still ask for it with jit=on.
	// Reports plan their queries for their values by themselves (withValuePlans, db.go); a DSN
	// may still force that for every query with plan_cache_mode=force_custom_plan.
	for _, p := range []string{"jit=off"} {
		name, _, _ := strings.Cut(p, "=")
		if strings.Contains(dsn, name+"=") {
			continue
		}
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		dsn += sep + p
	}
	return dsn
}

// Engine names the database engine: "sqlite" or "postgres".
func (s *Store) Engine() string {
	if s.pg {
		return "postgres"
	}
	return "sqlite"
}

// Close closes the database.
func (s *Store) Close() error {
	if s.pg {
		if s.read != nil && s.read.reads != nil {
			s.read.reads.close()
		}
		return s.write.Close()
	}
	if s.write != nil {
		// Leave a tidy file behind: fold the WAL back and refresh planner statistics.
		s.write.Exec("PRAGMA optimize")
		s.write.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		s.write.Close()
	}
	if s.read != nil {
		s.read.Close()
	}
	return nil
}

func (s *Store) today() string { return dangvu.ISO(s.Clock.Today()) }

// Migrate applies the embedded migrations that the database lacks, each in a transaction.
func (s *Store) Migrate(ctx context.Context) error {
	dir := "migrations/sqlite"
	if s.pg {
		dir = "migrations/postgres"
	}
	if _, err := s.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)`); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	names, err := fs.Glob(migrations, dir+"/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		base := name[strings.LastIndex(name, "/")+1:]
		v, err := strconv.Atoi(base[:strings.IndexByte(base, '_')])
		if err != nil {
			return fmt.Errorf("store: migration %s: bad name", name)
		}
		var n int
		if err := s.write.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, v).Scan(&n); err != nil {
			return fmt.Errorf("store: migrate: %w", err)
		}
		if n > 0 {
			continue
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		err = s.tx(ctx, func(tx *dbTx) error {
			for _, stmt := range splitSQL(string(body)) {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
			}
			if fill := derivedFills[v]; fill != nil {
				// A derived table that a migration adds is filled from what is stored, in the
				// migration's transaction.
				if err := fill(s, ctx, tx); err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version) VALUES (?)`, v)
			return err
		})
		if err != nil {
			return fmt.Errorf("store: migrate: %w", err)
		}
	}
	if err := s.migrateKey(ctx); err != nil {
		return err
	}
	return s.refreshKept(ctx)
}

// derivedFills fill, by migration version, the derived tables that the migration creates.
var derivedFills = map[int]func(*Store, context.Context, queryer) error{
	25: (*Store).rebuildRosterCounts,
	28: (*Store).rebuildKept,
	29: (*Store).rebuildRosterCounts,
	31: (*Store).rebuildRosterEnds,
	33: (*Store).rebuildRosterEnds,
}

// splitSQL splits a migration into statements at semicolons that end a line.
func splitSQL(body string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(body, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "--") || t == "" {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(t, ";") {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	if strings.TrimSpace(cur.String()) != "" {
		out = append(out, cur.String())
	}
	return out
}

// tx runs fn in a write transaction. A panic in fn rolls the transaction back before it goes
// on: SQLite has a single writer connection, and a transaction left open would hold it.
func (s *Store) tx(ctx context.Context, fn func(*dbTx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	s.noteWrite(ctx)
	return nil
}

// beginConn starts a transaction on a connection taken for bulk loading (SQLite: BEGIN IMMEDIATE,
// so that the write lock is taken at once).
func (s *Store) beginConn(ctx context.Context, conn *dbConn) error {
	begin := "BEGIN IMMEDIATE"
	if s.pg {
		begin = "BEGIN"
	}
	if _, err := conn.ExecContext(ctx, begin); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// discardOnPanic, deferred after beginConn, ends a panicking caller's transaction: it rolls back
// and drops the connection from the pool (a COPY or a statement may have been cut half-way, so
// the connection is not trusted again), then lets the panic go on. Without it the connection
// would go back to the pool inside its transaction, and on SQLite, whose pool has the one writer
// connection, every later write would fail with "cannot start a transaction within a
// transaction".
func discardOnPanic(conn *dbConn) {
	p := recover()
	if p == nil {
		return
	}
	conn.ExecContext(context.Background(), "ROLLBACK")
	conn.Raw(func(any) error { return driver.ErrBadConn })
	conn.Close()
	panic(p)
}

// queryer is what read helpers need: a *db, *dbTx or *dbConn.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// greatest and least name the multi-argument max/min functions of the engine.
func (s *Store) greatest() string {
	if s.pg {
		return "GREATEST"
	}
	return "max"
}

func (s *Store) least() string {
	if s.pg {
		return "LEAST"
	}
	return "min"
}

// prefixRange returns the bounds [lo, hi) of the strings that start with prefix, for an index range
// scan in binary ("C") order.
func prefixRange(prefix string) (string, string) {
	return prefix, prefix + "\U0010FFFF"
}

// subtreeRange returns the bounds of the paths under (and including) the organisation with path p
// ("/VN/QN/"): ids never contain '/', and '0' is the byte after '/'.
// pgConns bounds a PostgreSQL pool's connections, and as many are kept open when idle: each
// connection holds pgx's prepared statements and PostgreSQL's plans for them, and a connection
// closed after a burst takes them with it. With four kept idle, 50 clients opened and closed
// connections all the time: the member lists served 18 % fewer pages and their p99 was twice
// as long (docs/benchmarks.md, session 17).
const pgConns = 16

func subtreeRange(p string) (string, string) {
	return p, p[:len(p)-1] + "0"
}

func dateArg(t time.Time) string { return dangvu.ISO(t) }

// isoDate is stored ISO text as a Date: the zero Date for "" (or text that is not a date).
func isoDate(s string) dangvu.Date {
	d, _ := dangvu.ParseDate(s)
	return d
}

// isoOrOpen is t as ISO text, "" for the zero time (an open end of a filter).
func isoOrOpen(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return dangvu.ISO(t)
}
