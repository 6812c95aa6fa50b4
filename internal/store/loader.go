package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

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

// loader receives the rows of one table within the import's transaction.
type loader interface {
	add(vals []any) error
	finish() error
}

func (s *Store) loader(ctx context.Context, conn *dbConn, t table) (loader, error) {
	if s.pg {
		return newPGLoader(ctx, conn, t)
	}
	return newSQLiteLoader(ctx, conn, t)
}

// sqliteLoader inserts row by row through prepared statements: in one transaction SQLite does
// this at hundreds of thousands of rows a second, and it knows the failing row.
type sqliteLoader struct {
	ctx    context.Context
	t      table
	ins    *sql.Stmt
	del    *sql.Stmt
	owners map[string]bool
}

func newSQLiteLoader(ctx context.Context, conn *dbConn, t table) (*sqliteLoader, error) {
	ph := strings.TrimSuffix(strings.Repeat("?,", len(t.columns)), ",")
	q := fmt.Sprintf(`INSERT INTO %s (%s) VALUES (%s)`, t.name, quoteCols(t.columns), ph)
	if len(t.key) > 0 {
		q = t.upsertSQL("VALUES (" + ph + ")")
	}
	ins, err := conn.PrepareContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	l := &sqliteLoader{ctx: ctx, t: t, ins: ins}
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

func (l *sqliteLoader) add(vals []any) error {
	if l.del != nil {
		owner := vals[indexOf(l.t.columns, l.t.owner)].(string)
		if !l.owners[owner] {
			l.owners[owner] = true
			if _, err := l.del.ExecContext(l.ctx, owner); err != nil {
				return fmt.Errorf("store: %s: %w", l.t.name, err)
			}
		}
	}
	if _, err := l.ins.ExecContext(l.ctx, vals...); err != nil {
		return fmt.Errorf("store: %s: %w", l.t.name, err)
	}
	return nil
}

func (l *sqliteLoader) finish() error {
	l.ins.Close()
	if l.del != nil {
		l.del.Close()
	}
	return nil
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

func (l *pgLoader) add(vals []any) error {
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
	err := l.conn.Raw(func(dc any) error {
		c := dc.(*stdlib.Conn).Conn()
		_, err := c.CopyFrom(l.ctx, pgx.Identifier{l.stage}, l.t.columns, pgx.CopyFromRows(l.batch))
		return err
	})
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
