package store_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/store"
	"dangvu/internal/storetest"
)

func TestImportHeadersFirstSQLite(t *testing.T) { testImportHeadersFirst(t, storetest.OpenSQLite(t)) }

func TestImportHeadersFirstPostgres(t *testing.T) {
	if os.Getenv(storetest.PostgresEnv) == "" {
		t.Skipf("%s is not set", storetest.PostgresEnv)
	}
	testImportHeadersFirst(t, storetest.OpenPostgres(t))
}

// testImportHeadersFirst: a data set whose last tables carry columns this version does not know
// (as one made by a newer version does) is refused before a single row is read, every bad header
// named; the same set with those headers mended imports, its rows read.
func testImportHeadersFirst(t *testing.T, s *store.Store) {
	ctx := context.Background()
	dir := t.TempDir()
	src := "../../testdata/sample"
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	headers := map[string][]byte{}
	for _, table := range []string{"disciplines", "remedies"} {
		path := filepath.Join(dir, table+".csv")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		headers[table] = b
		i := slices.Index(b, '\n')
		if i < 0 {
			i = len(b)
		}
		bad := append(append(slices.Clone(b[:i]), ",from_the_future"...), b[i:]...)
		if err := os.WriteFile(path, bad, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	imp := func() (map[string]int, error) {
		r, err := exchange.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		read := map[string]int{}
		_, err = s.Import(ctx, r, store.ImportOptions{Actor: "test", Progress: func(table string, n int) { read[table] = n }})
		return read, err
	}

	read, err := imp()
	if dangvu.ErrorCode(err) != dangvu.EInvalid {
		t.Fatalf("import = %v, want a refusal", err)
	}
	for _, table := range []string{"disciplines", "remedies"} {
		if !slices.ContainsFunc(err.(*dangvu.Error).Fields, func(f dangvu.FieldError) bool {
			return f.Table == table+".csv" && f.Row == 1 && f.Field == "from_the_future"
		}) {
			t.Errorf("%s.csv's unknown column not named: %v", table, err)
		}
	}
	if len(read) > 0 {
		t.Errorf("rows were read before the refusal: %v", read)
	}
	m := exchange.NewMemory()
	if err := s.Export(ctx, m, nil); err != nil {
		t.Fatal(err)
	}
	if n := m.Len("members"); n != 0 {
		t.Errorf("%d members stored by a refused import", n)
	}

	for table, b := range headers {
		if err := os.WriteFile(filepath.Join(dir, table+".csv"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	read, err = imp()
	if err != nil {
		t.Fatal(err)
	}
	if read["members"] == 0 {
		t.Errorf("the mended set's members were not read: %v", read)
	}
}
