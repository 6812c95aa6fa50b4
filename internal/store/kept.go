package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// The report figures kept for the top of the tree by the writes (issue 20): dues_kept
// (dues_kept.go), reached_kept (reached_kept.go) and tallies (tallies.go). Each is derived from records and from rules;
// kept_state names, per table, the fingerprint of the rules it was computed under. A table
// whose fingerprint is not that of the rules loaded in the process is not read (the reports
// count the members) and not kept (a write marks it stale, rules = ''); Migrate rebuilds it.

// keptState is a kept table's row of kept_state; ok is false when there is none.
type keptState struct {
	rules   string
	horizon int32
	ok      bool
}

func readKeptState(ctx context.Context, q queryer, name string) (keptState, error) {
	var st keptState
	err := q.QueryRowContext(ctx, `SELECT rules, horizon FROM kept_state WHERE name = ?`, name).Scan(&st.rules, &st.horizon)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("store: kept %s: %w", name, err)
	}
	st.ok = true
	return st, nil
}

// current reports whether the kept rows hold under the rules whose fingerprint is fp ("" for
// rules the table cannot follow).
func (st keptState) current(fp string) bool { return st.ok && fp != "" && st.rules == fp }

func writeKeptState(ctx context.Context, q queryer, name, fp string, horizon int32) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM kept_state WHERE name = ?`, name); err != nil {
		return fmt.Errorf("store: kept %s: %w", name, err)
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO kept_state (name, rules, horizon) VALUES (?, ?, ?)`, name, fp, horizon); err != nil {
		return fmt.Errorf("store: kept %s: %w", name, err)
	}
	return nil
}

// keepUnder runs a write that changes the records a kept table is derived from. When the table
// holds under the rules loaded (fingerprint fp) keep changes it in q's transaction around the
// write; otherwise the table is marked stale and only the write runs.
func keepUnder(ctx context.Context, q queryer, name, fp string, write func() error, keep func(keptState) error) error {
	st, err := readKeptState(ctx, q, name)
	if err != nil {
		return err
	}
	if !st.current(fp) {
		if st.ok && st.rules != "" {
			if _, err := q.ExecContext(ctx, `UPDATE kept_state SET rules = '' WHERE name = ?`, name); err != nil {
				return fmt.Errorf("store: kept %s: %w", name, err)
			}
		}
		return write()
	}
	return keep(st)
}

// refreshKept rebuilds the kept tables when one of them was computed under other rules than
// those loaded, marked stale, or (the dues) its horizon is within a year: all of them, in one
// pass over the members; and each kind of tallies (tallies.go) that is not current.
func (s *Store) refreshKept(ctx context.Context) error {
	var stale []string
	for _, k := range []struct {
		name, fp string
		fresh    func(keptState) bool
	}{
		{"dues", duesFingerprint(), func(st keptState) bool { return st.horizon >= duesMinHorizon() }},
		{filesReach.name, filesReach.fingerprint(), nil},
		{studiedReach.name, studiedReach.fingerprint(), nil},
	} {
		st, err := readKeptState(ctx, s.write, k.name)
		if err != nil {
			return err
		}
		if !st.ok || st.rules != k.fp || k.fresh != nil && !k.fresh(st) {
			stale = append(stale, k.name)
		}
	}
	var tallies []tallyKind
	for _, k := range tallyKinds {
		st, err := readKeptState(ctx, s.write, k.name)
		if err != nil {
			return err
		}
		if !st.current(k.fp()) {
			stale, tallies = append(stale, k.name), append(tallies, k)
		}
	}
	if len(stale) == 0 {
		return nil
	}
	start := time.Now()
	err := s.tx(ctx, func(tx *dbTx) error {
		if len(stale) > len(tallies) {
			if err := s.rebuildKept(ctx, tx); err != nil {
				return err
			}
		}
		for _, k := range tallies {
			if err := rebuildTally(ctx, tx, k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if time.Since(start) > time.Second {
		slog.InfoContext(ctx, "đã tính lại số liệu lưu sẵn cho cấp trên", "bảng", strings.Join(stale, ", "), "thời gian", time.Since(start).Round(time.Second).String())
	}
	return nil
}

// batchInsert inserts rows of a derived table a batch at a time (a rebuild writes millions).
// The statement of a full batch is prepared once where the queryer can: SQLite compiles every
// statement it is given, and compiling the 200-row insert again for each batch took 2,4 s of
// CPU in a 200.000-member import.
type batchInsert struct {
	ctx    context.Context
	q      queryer
	head   string // INSERT INTO t (cols) VALUES
	row    string // (?, ?, …)
	size   int
	args   []any
	n      int
	errTag string
	full   *sql.Stmt // a full batch's statement, once prepared
}

// preparer is a queryer that can prepare a statement (a *dbConn or *dbTx).
type preparer interface {
	PrepareContext(ctx context.Context, q string) (*sql.Stmt, error)
}

func newBatchInsert(ctx context.Context, q queryer, table string, cols []string, size int, errTag string) *batchInsert {
	return &batchInsert{ctx: ctx, q: q, head: `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES `,
		row: "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")", size: size, errTag: errTag}
}

// add queues a row, writing the batch when it is full.
func (b *batchInsert) add(vals ...any) error {
	b.args = append(b.args, vals...)
	if b.n++; b.n < b.size {
		return nil
	}
	err := b.writeFull()
	b.args, b.n = b.args[:0], 0
	if err != nil {
		b.close()
		return fmt.Errorf("store: %s: %w", b.errTag, err)
	}
	return nil
}

func (b *batchInsert) writeFull() error {
	if b.full == nil {
		p, ok := b.q.(preparer)
		if !ok {
			_, err := b.q.ExecContext(b.ctx, b.values(b.n), b.args...)
			return err
		}
		st, err := p.PrepareContext(b.ctx, b.values(b.size))
		if err != nil {
			return err
		}
		b.full = st
	}
	_, err := b.full.ExecContext(b.ctx, b.args...)
	return err
}

func (b *batchInsert) values(n int) string {
	return b.head + strings.TrimSuffix(strings.Repeat(b.row+",", n), ",")
}

// close lets the prepared statement go.
func (b *batchInsert) close() {
	if b.full != nil {
		b.full.Close()
		b.full = nil
	}
}

// flush writes the rows queued; the last call after the rows.
func (b *batchInsert) flush() error {
	defer b.close()
	if b.n == 0 {
		return nil
	}
	_, err := b.q.ExecContext(b.ctx, b.values(b.n), b.args...)
	b.args, b.n = b.args[:0], 0
	if err != nil {
		return fmt.Errorf("store: %s: %w", b.errTag, err)
	}
	return nil
}
