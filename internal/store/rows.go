package store

import (
	"context"
	"strings"
)

// scanAll runs a query (already rebound) and scans every row with scan; no rows give an empty,
// non-nil slice (a JSON list, not null).
func scanAll[T any](ctx context.Context, q queryer, query string, args []any, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// column runs a query (already rebound) and returns the first column of every row as text, nil
// when there are none.
func column(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// inChunks calls f for the ids 500 at a time with the placeholders ("?,?,…") and arguments of the
// chunk: reads by a set of ids stay indexed lookups and within every engine's parameter limit.
func inChunks(ids []string, f func(ph string, args []any) error) error {
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		if err := f(strings.TrimSuffix(strings.Repeat("?,", len(chunk)), ","), args); err != nil {
			return err
		}
	}
	return nil
}
