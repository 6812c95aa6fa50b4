package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/demo"
	"dangvu/internal/exchange"
)

// BenchmarkDuesDemo times the dues pages on the Uông Bí demo (docs/benchmarks.md, "Party dues on
// the demo"): the dues attention items of every ward under Uông Bí as of the demo's day, a
// residential cell's book of October 2026 and a ward's summary of the month and of the year.
// The demo is loaded into a fresh SQLite file, and into a fresh PostgreSQL schema when
// DANGVU_BENCH_POSTGRES (or DANGVU_TEST_POSTGRES) holds a DSN:
//
//	DANGVU_BENCH_DEMO=1 go test ./internal/store -run '^$' -bench DuesDemo -benchtime 20x
//
// DANGVU_BENCH_DEMO_DB=FILE uses a demo loaded before (dangvu demo --db FILE) for SQLite.
func BenchmarkDuesDemo(b *testing.B) {
	if os.Getenv("DANGVU_BENCH_DEMO") == "" {
		b.Skip("DANGVU_BENCH_DEMO is not set")
	}
	ctx := context.Background()
	day := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	engines := []string{"sqlite"}
	pg := os.Getenv("DANGVU_BENCH_POSTGRES")
	if pg == "" {
		pg = os.Getenv("DANGVU_TEST_POSTGRES")
	}
	if pg != "" {
		engines = append(engines, "postgres")
	}
	for _, engine := range engines {
		s := openDemoBench(b, engine, pg)
		s.Clock = func() time.Time { return day }
		var wards []dangvu.Org // Uông Bí's three wards since 01/07/2025
		for _, id := range []string{"QN-UONGBI", "QN-VANGDANH", "QN-YENTU"} {
			w, err := s.Org(ctx, id, day)
			if err != nil {
				b.Fatal(err)
			}
			wards = append(wards, w)
		}
		var cell string
		if err := s.read.QueryRowContext(ctx, `SELECT p.org_id FROM dues_payments p JOIN org_versions v ON v.org_id = p.org_id AND v.valid_to > '2026-10-31'
			WHERE p.month = '2026-10' AND v.kind = 'residential' GROUP BY p.org_id ORDER BY COUNT(*) DESC, p.org_id LIMIT 1`).Scan(&cell); err != nil {
			b.Fatalf("no residential cell with October's payments: %v", err)
		}
		var ward dangvu.Org
		for _, w := range wards {
			if c, err := s.Org(ctx, cell, day); err == nil && c.ParentID == w.ID {
				ward = w
			}
		}
		if ward.ID == "" {
			ward = wards[0]
		}
		timed(b, engine+"/attention-per-ward", func() int {
			n := 0
			for _, w := range wards {
				items, err := duesAttention(ctx, s, w, dangvu.ISO(day), AttentionSoon)
				if err != nil {
					b.Fatal(err)
				}
				n += len(items)
			}
			return n
		}, len(wards))
		timeDuesPages(b, s, engine, ward.ID, cell)
	}
}

// timeDuesPages times a cell's book of October 2026 and its ward's summaries of the month and of
// January–October.
func timeDuesPages(b *testing.B, s *Store, engine, ward, cell string) {
	ctx := context.Background()
	oct := dangvu.Month{Year: 2026, Mon: time.October}
	timed(b, engine+"/book-cell", func() int {
		bk, err := s.DuesBook(ctx, cell, oct)
		if err != nil {
			b.Fatal(err)
		}
		return len(bk.Lines)
	}, 1)
	for _, from := range []dangvu.Month{oct, {Year: 2026, Mon: time.January}} {
		name := map[bool]string{true: "/summary-ward-month", false: "/summary-ward-year"}[from == oct]
		timed(b, engine+name, func() int {
			sm, err := s.DuesSummary(ctx, ward, from, oct)
			if err != nil {
				b.Fatal(err)
			}
			return sm.Total.Liable
		}, 1)
	}
}

// timed runs f as a sub-benchmark, reporting the mean and p95 wall time per unit (f does per
// units of work) and the count f returns.
func timed(b *testing.B, name string, f func() int, per int) {
	b.Run(name, func(b *testing.B) {
		var took []time.Duration
		n := 0
		cpu0 := cpuTime()
		for b.Loop() {
			start := time.Now()
			n = f()
			took = append(took, time.Since(start)/time.Duration(per))
		}
		sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
		b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
		b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(len(took)*per), "cpu-ms/unit")
		b.ReportMetric(float64(n), "items")
	})
}

// openDemoBench loads the demo into a fresh database of the engine.
func openDemoBench(b *testing.B, engine, pg string) *Store {
	ctx := context.Background()
	if db := os.Getenv("DANGVU_BENCH_DEMO_DB"); db != "" && engine == "sqlite" {
		// A demo database loaded before (dangvu demo --db FILE), with its key file beside it.
		s, err := OpenWith(ctx, db, Options{KeyFile: filepath.Join(filepath.Dir(db), KeyFileName)})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		return s
	}
	dsn := filepath.Join(b.TempDir(), "demo.db")
	if engine == "postgres" {
		dsn = pgSchemaDSN(b, pg, "bench_dues")
	}
	start := time.Now()
	s := loadDemo(b, dsn)
	b.Logf("%s: demo imported in %s", engine, time.Since(start).Round(time.Millisecond))
	return s
}

// loadDemo opens the database at dsn (a key file of its own), brings it to the current schema
// and imports the demo data set into it; closed when the test ends.
func loadDemo(tb testing.TB, dsn string) *Store {
	ctx := context.Background()
	s, err := OpenWith(ctx, dsn, Options{KeyFile: filepath.Join(tb.TempDir(), KeyFileName)})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	m := exchange.NewMemory()
	if err := demo.Build(m, 2018); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.Import(ctx, m.Reader(), ImportOptions{Actor: "test"}); err != nil {
		tb.Fatal(err)
	}
	return s
}

func containsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}

// BenchmarkDuesNational times the same dues pages on a generated set (DANGVU_BENCH_SET, loaded
// by BenchmarkImport or `dangvu import --db $DIR/bench.db $DIR`): the attention items, the
// summary of the month and of January–October of the ward (grassroots committee) with the most
// members under the first province, and the book of October 2026 of its largest cell
// (docs/benchmarks.md, "Party dues on a generated set").
func BenchmarkDuesNational(b *testing.B) {
	ctx := context.Background()
	day := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	for _, engine := range benchEngines() {
		s, ward, cell := openBenchWard(b, engine, day)
		timed(b, engine+"/attention-ward", func() int {
			items, err := duesAttention(ctx, s, ward, dangvu.ISO(day), AttentionSoon)
			if err != nil {
				b.Fatal(err)
			}
			return len(items)
		}, 1)
		timeDuesPages(b, s, engine, ward.ID, cell)
	}
}

// openBenchWard opens an engine's generated set with its clock on day, and picks the ward and
// cell of benchWardCell.
func openBenchWard(b *testing.B, engine string, day time.Time) (*Store, dangvu.Org, string) {
	s := openBench(b, engine, false)
	s.Clock = func() time.Time { return day }
	ward, most, cell, size := benchWardCell(b, s, day)
	b.Logf("%s: ward %s (%d members), cell %s (%d members)", engine, ward.ID, most, cell, size)
	return s, ward, cell
}

// benchWardCell picks the ward (grassroots committee) with the most members under the first
// province of a generated set, and its largest cell: the pages of a ward office.
func benchWardCell(b *testing.B, s *Store, day time.Time) (ward dangvu.Org, most int, cell string, size int) {
	ctx := context.Background()
	province, _ := benchOrgs(b, s, day)
	wards, err := s.Orgs(ctx, dangvu.OrgFilter{AsOf: day, Under: province, Levels: []dangvu.Level{dangvu.LevelGrassrootsCommittee}, Limit: 200})
	if err != nil || len(wards) == 0 {
		b.Fatalf("no ward: %v", err)
	}
	wardID, most := wards[0].ID, -1
	for _, w := range wards {
		n, err := s.CountMembers(ctx, w.ID, day, dangvu.CountFilter{})
		if err != nil {
			b.Fatal(err)
		}
		if n > most {
			wardID, most = w.ID, n
		}
	}
	ward, err = s.Org(ctx, wardID, day)
	if err != nil {
		b.Fatal(err)
	}
	cells, err := s.Orgs(ctx, dangvu.OrgFilter{AsOf: day, Under: ward.ID, Levels: []dangvu.Level{dangvu.LevelCell}, Limit: 500})
	if err != nil || len(cells) == 0 {
		b.Fatalf("no cell under %s: %v", ward.ID, err)
	}
	cell, size = cells[0].ID, -1
	for _, c := range cells {
		n, err := s.CountMembers(ctx, c.ID, day, dangvu.CountFilter{})
		if err != nil {
			b.Fatal(err)
		}
		if n > size {
			cell, size = c.ID, n
		}
	}
	return ward, most, cell, size
}

// pgSchemaDSN makes a schema of its own in the PostgreSQL database pg for the test (dropped when
// it ends) and returns a DSN that works in it.
func pgSchemaDSN(tb testing.TB, pg, prefix string) string {
	schema := fmt.Sprintf("%s_%d", prefix, os.Getpid())
	db, err := sql.Open("pgx", pg)
	if err != nil {
		tb.Fatal(err)
	}
	db.Exec(`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE`)
	if _, err := db.Exec(`CREATE SCHEMA ` + schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); db.Close() })
	sep := "?"
	if containsByte(pg, '?') {
		sep = "&"
	}
	return pg + sep + "search_path=" + schema
}
