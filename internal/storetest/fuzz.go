package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strings"

	"dangvu/internal/exchange"
	"dangvu/internal/store"
)

// LoadedSQLite opens a SQLite store in dir with the suite's fixture loaded, for the import fuzz
// targets (internal/store/fuzz_test.go), which need one store per target rather than per test.
func LoadedSQLite(ctx context.Context, dir string) (*store.Store, error) {
	s, err := store.Open(ctx, filepath.Join(dir, "fuzz.db"))
	if err != nil {
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if _, err := s.Import(ctx, newFixture().memory().Reader(), store.ImportOptions{Actor: "storetest", Source: "fixture"}); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Digest hashes everything a store exports, to tell whether a refused import changed anything.
func Digest(ctx context.Context, s *store.Store) (string, error) {
	m := exchange.NewMemory()
	if err := s.Export(ctx, m, nil); err != nil {
		return "", err
	}
	h := sha256.New()
	r := m.Reader()
	for _, t := range exchange.Tables() {
		h.Write([]byte("\x1e" + t.Name))
		err := r.Each(t.Name, func(_ int, rec exchange.Record) error {
			for _, c := range t.Columns {
				h.Write([]byte("\x1f" + rec.Get(c)))
			}
			h.Write([]byte("\n"))
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// SeedRows returns the first rows of a table in a store's export, as fuzz seeds.
func SeedRows(ctx context.Context, s *store.Store, table string, n int) ([][]string, error) {
	m := exchange.NewMemory()
	if err := s.Export(ctx, m, nil); err != nil {
		return nil, err
	}
	t, _ := exchange.Lookup(table)
	var out [][]string
	err := m.Reader().Each(table, func(_ int, rec exchange.Record) error {
		if len(out) < n {
			row := make([]string, len(t.Columns))
			for i, c := range t.Columns {
				row[i] = rec.Get(c)
			}
			out = append(out, row)
		}
		return nil
	})
	return out, err
}

// JoinRows and SplitRows encode rows as one fuzz string: fields by U+001F, rows by a newline.
func JoinRows(rows [][]string) string {
	lines := make([]string, len(rows))
	for i, r := range rows {
		lines[i] = strings.Join(r, "\x1f")
	}
	return strings.Join(lines, "\n")
}

// SplitRows is JoinRows' inverse, padding or cutting each row to n fields.
func SplitRows(s string, n int) [][]string {
	var out [][]string
	for _, line := range strings.Split(s, "\n") {
		f := strings.Split(line, "\x1f")
		for len(f) < n {
			f = append(f, "")
		}
		out = append(out, f[:n])
	}
	return out
}
