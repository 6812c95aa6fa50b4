package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"dangvu"
)

// table describes a stored table for bulk loading: its columns, and how loaded rows meet rows
// already stored — upserted by key, or replacing the whole history of each owner they name.
type table struct {
	name    string
	columns []string
	key     []string // upsert key
	owner   string   // replace mode: the column whose stored rows the load replaces
}

var (
	tblEvents      = table{name: "reorg_events", columns: []string{"id", "date", "kind", "document", "description"}, key: []string{"id"}}
	tblOrgVersions = table{name: "org_versions", columns: []string{"org_id", "valid_from", "valid_to", "name", "name_fold", "parent_id", "level", "kind", "issuer_code", "event_id"}, owner: "org_id"}
	tblOrgPaths    = table{name: "org_paths", columns: []string{"org_id", "valid_from", "valid_to", "path", "depth"}}
	tblTerms       = table{name: "terms", columns: []string{"id", "org_id", "name", "start", "end", "document"}, key: []string{"id"}}
	tblLocalities  = table{name: "localities", columns: []string{"id", "name", "kind", "cell_id", "valid_from", "valid_to"}, key: []string{"id"}}
	tblUnits       = table{name: "units", columns: []string{"id", "name", "kind", "org_id", "valid_from", "valid_to"}, key: []string{"id"}}
	tblMembers     = table{name: "members", columns: []string{"id", "full_name", "name_fold", "name_key", "other_names", "gender", "birth_date", "ethnicity", "religion", "hometown", "residence", "id_number", "phone", "education", "qualification", "theory_level", "occupation", "position", "admitted_on", "full_on", "card_number", "card_date", "note"}, key: []string{"id"}}
	tblStatuses    = table{name: "member_statuses", columns: []string{"member_id", "valid_from", "status", "document", "reason"}, owner: "member_id"}
	tblMemberships = table{name: "memberships", columns: []string{"member_id", "org_id", "valid_from", "valid_to", "kind", "document", "event_id"}, owner: "member_id"}
	tblMovements   = table{name: "movements", columns: []string{"id", "member_id", "kind", "date", "from_org_id", "to_org_id", "external", "document", "note"}, key: []string{"id"}}
	tblPosts       = table{name: "posts", columns: []string{"id", "role", "org_id", "term_id", "locality_id", "unit_id", "member_id", "holder_name", "title", "valid_from", "valid_to"}, key: []string{"id"}}
)

func quoteCols(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = `"` + c + `"`
	}
	return strings.Join(q, ", ")
}

// upsertSQL is the INSERT … ON CONFLICT that both engines understand.
func (t table) upsertSQL(source string) string {
	var set []string
	for _, c := range t.columns {
		if !contains(t.key, c) {
			set = append(set, fmt.Sprintf(`"%s" = excluded."%s"`, c, c))
		}
	}
	return fmt.Sprintf(`INSERT INTO %s (%s) %s ON CONFLICT (%s) DO UPDATE SET %s`,
		t.name, quoteCols(t.columns), source, quoteCols(t.key), strings.Join(set, ", "))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// loader receives the rows of one table within the import's transaction. add may keep rows
// and write them later (flush, finish); an error about a kept row is a *loadRowErr naming the
// row given with it.
type loader interface {
	add(row int, vals []any) error
	flush() error
	finish() error
}

// loadRowErr is an error about a row added earlier, with the row number it was added with.
type loadRowErr struct {
	row int
	err error
}

func (e *loadRowErr) Error() string { return e.err.Error() }
func (e *loadRowErr) Unwrap() error { return e.err }

func (s *Store) loader(ctx context.Context, conn *dbConn, t table) (loader, error) {
	if s.pg {
		return newPGLoader(ctx, conn, t)
	}
	return newSQLiteLoader(ctx, conn, t)
}

// sqliteBatch is how many rows one INSERT of the SQLite loader carries.
const sqliteBatch = 64

// sqliteLoader inserts rows through prepared statements in one transaction, sqliteBatch rows a
// statement (the cost of a statement is mostly its call, not its rows: the demo's million dues
// payments load in about half the time they took one by one). A statement that fails is undone
// by SQLite as a whole and its rows are written again one by one, so the failing row is known.
type sqliteLoader struct {
	ctx    context.Context
	t      table
	ins    *sql.Stmt // one row
	many   *sql.Stmt // sqliteBatch rows
	del    *sql.Stmt
	owners map[string]bool
	rows   []int
	vals   [][]any
	args   []any
}

func newSQLiteLoader(ctx context.Context, conn *dbConn, t table) (*sqliteLoader, error) {
	ph := "(" + strings.TrimSuffix(strings.Repeat("?,", len(t.columns)), ",") + ")"
	insert := func(n int) string {
		values := "VALUES " + strings.TrimSuffix(strings.Repeat(ph+",", n), ",")
		if len(t.key) > 0 {
			return t.upsertSQL(values)
		}
		return fmt.Sprintf(`INSERT INTO %s (%s) %s`, t.name, quoteCols(t.columns), values)
	}
	ins, err := conn.PrepareContext(ctx, insert(1))
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	many, err := conn.PrepareContext(ctx, insert(sqliteBatch))
	if err != nil {
		ins.Close()
		return nil, fmt.Errorf("store: %w", err)
	}
	l := &sqliteLoader{ctx: ctx, t: t, ins: ins, many: many}
	if t.owner != "" {
		var n int
		conn.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM `+t.name+` LIMIT 1)`).Scan(&n)
		if n > 0 { // nothing to replace in an empty table
			l.owners = map[string]bool{}
			if l.del, err = conn.PrepareContext(ctx, fmt.Sprintf(`DELETE FROM %s WHERE "%s" = ?`, t.name, t.owner)); err != nil {
				return nil, fmt.Errorf("store: %w", err)
			}
		}
	}
	return l, nil
}

func (l *sqliteLoader) add(row int, vals []any) error {
	if l.del != nil {
		owner := vals[indexOf(l.t.columns, l.t.owner)].(string)
		if !l.owners[owner] {
			l.owners[owner] = true
			// The owner's stored rows go before any of its new ones is written.
			if _, err := l.del.ExecContext(l.ctx, owner); err != nil {
				return fmt.Errorf("store: %s: %w", l.t.name, err)
			}
		}
	}
	l.rows, l.vals = append(l.rows, row), append(l.vals, vals)
	if len(l.vals) < sqliteBatch {
		return nil
	}
	l.args = l.args[:0]
	for _, v := range l.vals {
		l.args = append(l.args, v...)
	}
	if _, err := l.many.ExecContext(l.ctx, l.args...); err != nil {
		return l.oneByOne(err)
	}
	l.rows, l.vals = l.rows[:0], l.vals[:0]
	return nil
}

// flush writes the rows kept, one by one.
func (l *sqliteLoader) flush() error { return l.oneByOne(nil) }

// oneByOne writes the kept rows one statement each; the first that fails is named, else
// batchErr (the error of the batch statement, which then did not come from a row) is returned.
func (l *sqliteLoader) oneByOne(batchErr error) error {
	rows, vals := l.rows, l.vals
	l.rows, l.vals = l.rows[:0], l.vals[:0]
	for i, v := range vals {
		if _, err := l.ins.ExecContext(l.ctx, v...); err != nil {
			return &loadRowErr{row: rows[i], err: fmt.Errorf("store: %s: %w", l.t.name, err)}
		}
	}
	if batchErr != nil {
		return fmt.Errorf("store: %s: %w", l.t.name, batchErr)
	}
	return nil
}

func (l *sqliteLoader) finish() error {
	err := l.flush()
	l.ins.Close()
	l.many.Close()
	if l.del != nil {
		l.del.Close()
	}
	return err
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// pgLoader copies rows into a temporary staging table with COPY (one round trip per batch, not
// per row), then merges them into the table with one statement.
type pgLoader struct {
	ctx   context.Context
	conn  *dbConn
	t     table
	stage string
	batch [][]any
}

const pgBatch = 20000

func newPGLoader(ctx context.Context, conn *dbConn, t table) (*pgLoader, error) {
	stage := "stage_" + t.name
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`CREATE TEMP TABLE IF NOT EXISTS %s (LIKE %s) ON COMMIT DROP`, stage, t.name)); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `TRUNCATE `+stage); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return &pgLoader{ctx: ctx, conn: conn, t: t, stage: stage}, nil
}

func (l *pgLoader) add(_ int, vals []any) error {
	l.batch = append(l.batch, vals)
	if len(l.batch) >= pgBatch {
		return l.flush()
	}
	return nil
}

func (l *pgLoader) flush() error {
	if len(l.batch) == 0 {
		return nil
	}
	copyRows := func() error {
		return l.conn.Raw(func(dc any) error {
			c := dc.(*stdlib.Conn).Conn()
			_, err := c.CopyFrom(l.ctx, pgx.Identifier{l.stage}, l.t.columns, pgx.CopyFromRows(l.batch))
			return err
		})
	}
	// The rows are decoded while earlier ones are written on the same connection, and some
	// checks read the database as they decode (a discipline's member history): while such a
	// read's result is open, pgx refuses the COPY as "conn busy", before sending anything. The
	// read is short; the COPY waits for it (a province's disciplines failed on this).
	err := copyRows()
	for wait := time.Duration(0); err != nil && strings.Contains(err.Error(), "conn busy") && wait < time.Minute; wait += time.Millisecond {
		select {
		case <-l.ctx.Done():
			return l.ctx.Err()
		case <-time.After(time.Millisecond):
		}
		err = copyRows()
	}
	l.batch = l.batch[:0]
	if err != nil {
		return fmt.Errorf("store: %s: %w", l.t.name, err)
	}
	return nil
}

func (l *pgLoader) finish() error {
	if err := l.flush(); err != nil {
		return err
	}
	cols := quoteCols(l.t.columns)
	var stmts []string
	switch {
	case len(l.t.key) > 0:
		stmts = append(stmts, l.t.upsertSQL(fmt.Sprintf(`SELECT %s FROM %s`, cols, l.stage)))
	case l.t.owner != "":
		stmts = append(stmts,
			fmt.Sprintf(`DELETE FROM %s WHERE "%s" IN (SELECT "%s" FROM %s)`, l.t.name, l.t.owner, l.t.owner, l.stage),
			fmt.Sprintf(`INSERT INTO %s (%s) SELECT %s FROM %s`, l.t.name, cols, cols, l.stage))
	default:
		stmts = append(stmts, fmt.Sprintf(`INSERT INTO %s (%s) SELECT %s FROM %s`, l.t.name, cols, cols, l.stage))
	}
	for _, q := range stmts {
		if _, err := l.conn.ExecContext(l.ctx, q); err != nil {
			if isUniqueViolation(err) {
				return &dangvu.Error{Code: dangvu.EInvalid, Message: "Dữ liệu nhập có dòng trùng khóa.", Fields: []dangvu.FieldError{{Table: l.t.name, Reason: "hai dòng trùng khóa (" + strings.Join(append(l.t.key, l.t.owner), ", ") + ")"}}}
			}
			return fmt.Errorf("store: %s: %w", l.t.name, err)
		}
	}
	_, err := l.conn.ExecContext(l.ctx, `TRUNCATE `+l.stage)
	return err
}
