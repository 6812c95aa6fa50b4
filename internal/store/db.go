package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// The store's SQL is written once with `?` placeholders. db, dbTx and dbConn wrap database/sql's
// handles so that every query and statement goes through rebind on its way to PostgreSQL: no call
// site rebinds, so none can forget to (a forgotten rebind used to pass on SQLite and fail only on
// PostgreSQL). Everything else (Commit, Rollback, Raw, Close...) is database/sql's own.
//
// A store's read handle with PostgreSQL replicas (replicas.go) routes its queries, rows and
// transactions to a replica or the primary (reads); its Exec and Prepare, which may write, and
// everything else go to the primary, its embedded DB.
type db struct {
	*sql.DB
	pg    bool
	reads *readRouter
}

func (d *db) rebind(q string) string { return rebind(d.pg, q) }

func (d *db) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return d.DB.ExecContext(ctx, d.rebind(q), args...)
}

func (d *db) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if d.reads != nil {
		return d.reads.query(ctx, q, args...)
	}
	return d.DB.QueryContext(ctx, d.rebind(q), planArgs(ctx, d.pg, args)...)
}

func (d *db) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if d.reads != nil {
		return d.reads.queryRow(ctx, q, args...)
	}
	return d.DB.QueryRowContext(ctx, d.rebind(q), planArgs(ctx, d.pg, args)...)
}

func (d *db) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	return d.DB.PrepareContext(ctx, d.rebind(q))
}

// BeginTx starts a transaction whose queries rebind too.
func (d *db) BeginTx(ctx context.Context, opts *sql.TxOptions) (*dbTx, error) {
	if d.reads != nil {
		return d.reads.begin(ctx, opts)
	}
	tx, err := d.DB.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &dbTx{tx, d.pg}, nil
}

// Conn returns a single connection whose queries rebind too.
func (d *db) Conn(ctx context.Context) (*dbConn, error) {
	c, err := d.DB.Conn(ctx)
	if err != nil {
		return nil, err
	}
	return &dbConn{c, d.pg}, nil
}

// dbTx is a transaction of db.
type dbTx struct {
	*sql.Tx
	pg bool
}

func (t *dbTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.Tx.ExecContext(ctx, rebind(t.pg, q), args...)
}

func (t *dbTx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.Tx.QueryContext(ctx, rebind(t.pg, q), planArgs(ctx, t.pg, args)...)
}

func (t *dbTx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return t.Tx.QueryRowContext(ctx, rebind(t.pg, q), planArgs(ctx, t.pg, args)...)
}

func (t *dbTx) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	return t.Tx.PrepareContext(ctx, rebind(t.pg, q))
}

// dbConn is a connection of db.
type dbConn struct {
	*sql.Conn
	pg bool
}

func (c *dbConn) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return c.Conn.ExecContext(ctx, rebind(c.pg, q), args...)
}

func (c *dbConn) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return c.Conn.QueryContext(ctx, rebind(c.pg, q), planArgs(ctx, c.pg, args)...)
}

func (c *dbConn) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return c.Conn.QueryRowContext(ctx, rebind(c.pg, q), planArgs(ctx, c.pg, args)...)
}

func (c *dbConn) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	return c.Conn.PrepareContext(ctx, rebind(c.pg, q))
}

// BeginTx starts a transaction on the connection whose queries rebind too.
func (c *dbConn) BeginTx(ctx context.Context, opts *sql.TxOptions) (*dbTx, error) {
	tx, err := c.Conn.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &dbTx{tx, c.pg}, nil
}

// PostgreSQL plans a prepared statement for its values five times, then may keep one generic
// plan for it. pgx prepares and caches every query, so after a few cells' reports the root's
// report ran on a plan made for a cell: millions of one-by-one lookups (14 s → 33 s, issue 20).
// Forcing a plan per execution for every query (plan_cache_mode=force_custom_plan) cost the
// pages a third of their throughput under load, for queries whose plan never changes. So only
// the queries of a context marked by withValuePlans — a report of the root or a province, whose
// query texts also serve cells (reportCtx.plans) — are sent as unnamed statements, which PostgreSQL plans for the values they are
// bound to each time (pgx's QueryExecModeCacheDescribe: the statement's description is cached,
// still one round trip); the rest keep pgx's prepared statements and their generic plans.
type valuePlansKey struct{}

// withValuePlans marks ctx: its PostgreSQL queries are planned for their values each time.
func withValuePlans(ctx context.Context) context.Context {
	return context.WithValue(ctx, valuePlansKey{}, true)
}

// planArgs puts pgx's exec mode before the arguments of a query whose context asks for plans
// by value; pgx takes it as an option, not a parameter.
func planArgs(ctx context.Context, pg bool, args []any) []any {
	if !pg || ctx.Value(valuePlansKey{}) == nil {
		return args
	}
	return append([]any{pgx.QueryExecModeCacheDescribe}, args...)
}

// rebind turns `?` placeholders into PostgreSQL's `$n`; SQLite takes them as they are. Our SQL
// never has `?` inside literals, and a query already in `$n` form has none left to turn.
func rebind(pg bool, q string) string {
	if !pg || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}
