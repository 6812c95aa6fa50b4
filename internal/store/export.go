package store

import (
	"context"
	"fmt"

	"dangvu"
	"dangvu/internal/exchange"
)

// exportQueries select each core exchange table's columns, in key order (a domain table's is in
// its binding, domainTable.export). Open ends are written empty.
var exportQueries = map[string]string{
	"reorganisations": `SELECT id, date, kind, document, description FROM reorg_events ORDER BY id`,
	"organisations":   `SELECT org_id, valid_from, valid_to, name, parent_id, level, kind, issuer_code, event_id FROM org_versions ORDER BY org_id, valid_from`,
	"terms":           `SELECT id, org_id, name, start, "end", document FROM terms ORDER BY id`,
	"localities":      `SELECT id, name, kind, cell_id, valid_from, valid_to FROM localities ORDER BY id`,
	"units":           `SELECT id, name, kind, org_id, valid_from, valid_to FROM units ORDER BY id`,
	"members": `SELECT id, full_name, other_names, gender, birth_date, ethnicity, religion, hometown, residence, id_number, phone,
		education, qualification, theory_level, occupation, position, admitted_on, full_on, card_number, card_date, note FROM members ORDER BY id`,
	"member_statuses": `SELECT member_id, valid_from, status, document, reason FROM member_statuses ORDER BY member_id, valid_from`,
	"memberships":     `SELECT member_id, org_id, valid_from, valid_to, kind, document, event_id FROM memberships ORDER BY member_id, valid_from, kind`,
	"movements":       `SELECT id, member_id, kind, date, from_org_id, to_org_id, external, document, note FROM movements ORDER BY id`,
	"posts":           `SELECT id, role, org_id, term_id, locality_id, unit_id, member_id, holder_name, title, valid_from, valid_to FROM posts ORDER BY id`,
}

// Export writes every table of the exchange format. It reads in one transaction, so the data set
// is consistent even while others write.
func (s *Store) Export(ctx context.Context, w exchange.Writer, progress func(table string, rows int)) error {
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: export: %w", err)
	}
	defer tx.Rollback()
	for _, t := range exchange.Tables() {
		if t.Name == stubTable {
			continue // the whole tree names nothing outside it
		}
		if _, err := s.exportTable(ctx, tx, w, t, nil, progress); err != nil {
			return err
		}
	}
	return nil
}

// exportTable writes one table's rows (those keep accepts, every row when keep is nil) with the
// query of exportQueries, and returns how many it wrote. keep sees the row's values in the
// table's column order, open ends already written empty.
func (s *Store) exportTable(ctx context.Context, tx queryer, w exchange.Writer, t exchange.Table, keep func(vals []string) bool, progress func(table string, rows int)) (int, error) {
	q, ok := exportQueries[t.Name]
	if d, bound := s.boundTable(t.Name); bound {
		q, ok = d.export, true
	}
	if !ok {
		return 0, fmt.Errorf("store: export: no query for table %s", t.Name)
	}
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return 0, fmt.Errorf("store: export %s: %w", t.Name, err)
	}
	defer rows.Close()
	vals := make([]string, len(t.Columns))
	dst := make([]any, len(vals))
	for i := range vals {
		dst[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(dst...); err != nil {
			return n, err
		}
		out := make([]string, len(vals))
		for i, v := range vals {
			if v == dangvu.ForeverISO {
				v = ""
			}
			out[i] = v
		}
		if keep != nil && !keep(out) {
			continue
		}
		if err := w.Row(t.Name, out); err != nil {
			return n, err
		}
		n++
		if progress != nil && n%100000 == 0 {
			progress(t.Name, n)
		}
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	if progress != nil {
		progress(t.Name, n)
	}
	return n, nil
}

// Backup writes a consistent copy of a SQLite database to path while the server runs.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.pg {
		return dangvu.Errorf(dangvu.EInvalid, "sao lưu PostgreSQL: hãy dùng pg_dump")
	}
	if _, err := s.write.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

// IntegrityCheck runs SQLite's integrity_check; PostgreSQL guards its own.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	if s.pg {
		return nil
	}
	var res string
	if err := s.read.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return fmt.Errorf("store: integrity: %w", err)
	}
	if res != "ok" {
		return fmt.Errorf("store: integrity: %s", res)
	}
	return nil
}
