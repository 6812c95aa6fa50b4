package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"syscall"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/rules/badges"
)

// National-scale benchmarks. They need a data set made by
//
//	dangvu gen --members 5600000 --seed 1 --out $DIR
//
// named by DANGVU_BENCH_SET=$DIR; they are skipped otherwise. The import benchmarks leave their
// databases behind ($DIR/bench.db; PostgreSQL schema bench in DANGVU_BENCH_POSTGRES) for the
// query benchmarks, so run the import once, then the queries as often as needed:
//
//	DANGVU_BENCH_SET=$DIR go test ./internal/store -run '^$' -bench 'Import/sqlite' -benchtime 1x -timeout 2h
//	DANGVU_BENCH_SET=$DIR go test ./internal/store -run '^$' -bench 'Count|Search'
func benchSet(b *testing.B) string {
	dir := os.Getenv("DANGVU_BENCH_SET")
	if dir == "" {
		b.Skip("DANGVU_BENCH_SET is not set")
	}
	return dir
}

// benchEngines lists the engines to benchmark: SQLite always, PostgreSQL when
// DANGVU_BENCH_POSTGRES holds a DSN; DANGVU_BENCH_ONLY names a single one.
func benchEngines() []string {
	engines := []string{"sqlite"}
	if os.Getenv("DANGVU_BENCH_POSTGRES") != "" {
		engines = append(engines, "postgres")
	}
	if only := os.Getenv("DANGVU_BENCH_ONLY"); only != "" { // e.g. postgres, when only it is loaded
		return []string{only}
	}
	return engines
}

// openBench opens an engine's benchmark database ($DANGVU_BENCH_SET/bench.db, or schema bench),
// emptied first when fresh.
func openBench(b *testing.B, engine string, fresh bool) *Store {
	dir := benchSet(b)
	ctx := context.Background()
	dsn := filepath.Join(dir, "bench.db")
	if engine == "postgres" {
		base := os.Getenv("DANGVU_BENCH_POSTGRES")
		db, err := sql.Open("pgx", base)
		if err != nil {
			b.Fatal(err)
		}
		if fresh {
			db.Exec(`DROP SCHEMA IF EXISTS bench CASCADE`)
		}
		db.Exec(`CREATE SCHEMA IF NOT EXISTS bench`)
		db.Close()
		dsn = base + "&search_path=bench"
	} else if fresh {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(dsn + suffix)
		}
	}
	s, err := Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func BenchmarkImport(b *testing.B) {
	dir := benchSet(b)
	for _, engine := range benchEngines() {
		b.Run(engine, func(b *testing.B) {
			s := openBench(b, engine, true)
			for i := 0; i < b.N; i++ {
				r, err := exchange.Open(dir)
				if err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				res, err := s.Import(context.Background(), r, ImportOptions{Actor: "bench"})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(res.Rows["members"])/time.Since(start).Seconds(), "members/s")
			}
		})
	}
}

// benchOrgs picks the nodes to count under: a province and a cell in force on the date.
// benchDays are the as-of days of the report benchmarks: today's and the article's.
var benchDays = []time.Time{time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), time.Date(2018, 5, 31, 0, 0, 0, 0, time.UTC)}

// benchRoot is the organisation at the top of the tree on d.
func benchRoot(b *testing.B, s *Store, d time.Time) string {
	roots, err := s.Orgs(context.Background(), dangvu.OrgFilter{AsOf: d, Limit: 1})
	if err != nil || len(roots) == 0 {
		b.Fatalf("no root on %s: %v", dangvu.ISO(d), err)
	}
	return roots[0].ID
}

func benchOrgs(b *testing.B, s *Store, d time.Time) (province, cell string) {
	ctx := context.Background()
	ps, err := s.Orgs(ctx, dangvu.OrgFilter{AsOf: d, Levels: []dangvu.Level{dangvu.LevelProvince}, Limit: 1})
	if err != nil || len(ps) == 0 {
		b.Fatalf("no province on %s: %v", dangvu.ISO(d), err)
	}
	cs, err := s.Orgs(ctx, dangvu.OrgFilter{AsOf: d, Under: ps[0].ID, Levels: []dangvu.Level{dangvu.LevelCell}, Limit: 1})
	if err != nil || len(cs) == 0 {
		b.Fatalf("no cell on %s: %v", dangvu.ISO(d), err)
	}
	return ps[0].ID, cs[0].ID
}

func BenchmarkCount(b *testing.B) {
	ctx := context.Background()
	for _, engine := range benchEngines() {
		s := openBench(b, engine, false)
		for _, d := range benchDays {
			province, cell := benchOrgs(b, s, d)
			for _, node := range []struct{ name, id string }{{"root", ""}, {"province", province}, {"cell", cell}} {
				b.Run(engine+"/"+node.name+"/"+dangvu.ISO(d), func(b *testing.B) {
					var n int
					for i := 0; i < b.N; i++ {
						var err error
						if n, err = s.CountMembers(ctx, node.id, d, dangvu.CountFilter{}); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(n), "members")
				})
			}
		}
	}
}

// BenchmarkMemberList lists the first and the tenth page of 50 of the root, a province and a cell
// (the member list page and GET /api/v1/members without a query), with p95 per page.
func BenchmarkMemberList(b *testing.B) {
	ctx := context.Background()
	d := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	for _, engine := range benchEngines() {
		s := openBench(b, engine, false)
		province, cell := benchOrgs(b, s, d)
		for _, node := range []struct{ name, id string }{{"root", ""}, {"province", province}, {"cell", cell}} {
			for _, off := range []int{0, 450} {
				b.Run(fmt.Sprintf("%s/%s/offset%d", engine, node.name, off), func(b *testing.B) {
					var took []time.Duration
					var total int
					for i := 0; i < b.N; i++ {
						start := time.Now()
						page, err := s.Members(ctx, dangvu.MemberFilter{AsOf: d, Under: node.id, Offset: off, Limit: 50})
						if err != nil {
							b.Fatal(err)
						}
						took = append(took, time.Since(start))
						total = page.Total
					}
					sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
					b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
					b.ReportMetric(float64(total), "total")
				})
			}
		}
	}
}

func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	for _, engine := range benchEngines() {
		s := openBench(b, engine, false)
		for _, q := range []string{"nguyen van d", "tran thi h", "le"} {
			b.Run(engine+"/"+q, func(b *testing.B) {
				var took []time.Duration
				for i := 0; i < b.N; i++ {
					start := time.Now()
					page, err := s.Members(ctx, dangvu.MemberFilter{AsOf: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), Query: q, Limit: 20})
					if err != nil {
						b.Fatal(err)
					}
					if len(page.Members) == 0 {
						b.Fatalf("no member found for %q", q)
					}
					took = append(took, time.Since(start))
				}
				sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
				b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
			})
		}
	}
}

// BenchmarkTermReport computes the whole term report (every domain's section, the term preset's
// single period) for the root, a province, a ward (its first grassroots committee) and a cell,
// as of 2018 and today.
func BenchmarkTermReport(b *testing.B) {
	ctx := context.Background()
	for _, engine := range benchEngines() {
		s := openBench(b, engine, false)
		for _, d := range benchDays {
			province, cell := benchOrgs(b, s, d)
			nodes := []struct{ name, id string }{{"root", benchRoot(b, s, d)}, {"province", province}}
			if wards, err := s.Orgs(ctx, dangvu.OrgFilter{AsOf: d, Under: province, Levels: []dangvu.Level{dangvu.LevelGrassrootsCommittee}, Limit: 1}); err == nil && len(wards) > 0 {
				nodes = append(nodes, struct{ name, id string }{"ward", wards[0].ID})
			}
			for _, node := range append(nodes, struct{ name, id string }{"cell", cell}) {
				b.Run(engine+"/"+node.name+"/"+dangvu.ISO(d), func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						q := dangvu.ReportQuery{Org: node.id, From: d.AddDate(-3, 0, 0), To: d}
						if _, err := s.TermReport(ctx, q); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}

// BenchmarkSearchScoped searches member names within a province and within a ward (the first
// grassroots committee under it) as of today: a word from the start of the name ("nguyen"), a
// word inside it ("van"), a last name and the start of a given name ("thi h", "hung"). Run on the
// demo by pointing DANGVU_BENCH_SET at a folder holding its database as bench.db.
func BenchmarkSearchScoped(b *testing.B) {
	ctx := context.Background()
	d := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	for _, engine := range benchEngines() {
		s := openBench(b, engine, false)
		province, _ := benchOrgs(b, s, d)
		wards, err := s.Orgs(ctx, dangvu.OrgFilter{AsOf: d, Under: province, Levels: []dangvu.Level{dangvu.LevelGrassrootsCommittee}, Limit: 1})
		if err != nil || len(wards) == 0 {
			b.Fatalf("no ward: %v", err)
		}
		for _, node := range []struct{ name, id string }{{"province", province}, {"ward", wards[0].ID}} {
			for _, q := range []string{"nguyen", "van", "thi h", "hung"} {
				b.Run(engine+"/"+node.name+"/"+q, func(b *testing.B) {
					var took []time.Duration
					var total int
					cpu0 := cpuTime()
					for i := 0; i < b.N; i++ {
						start := time.Now()
						page, err := s.Members(ctx, dangvu.MemberFilter{AsOf: d, Under: node.id, Query: q, Limit: 20})
						if err != nil {
							b.Fatal(err)
						}
						took = append(took, time.Since(start))
						total = page.Total
					}
					sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
					b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
					b.ReportMetric(float64(total), "total")
					// CPU time per search: wall times on a shared machine say more about the others.
					b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
				})
			}
		}
	}
}

// cpuTime is the user and system time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkMemberEdit times a member's admission-day edit on the benchmark set — a roster
// rebuild of one member with every figure kept for the top of the tree (counts, dues, files,
// studies, tallies) — and the edit back, so the set is left as it was: 20 members on the roster
// today, admitted 1990–2009, each moved a day earlier and back (40 writes per iteration).
func BenchmarkMemberEdit(b *testing.B) {
	ctx := context.Background()
	day := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	for _, engine := range benchEngines() {
		s := openBench(b, engine, false)
		ids, err := column(ctx, s.read, `SELECT DISTINCT member_id FROM roster WHERE valid_from <= ? AND valid_to > ? AND admitted_on > '1990-01-01' AND admitted_on < '2010-01-01'
			ORDER BY member_id LIMIT 20`, dateArg(day), dateArg(day))
		if err != nil || len(ids) == 0 {
			b.Fatalf("members to edit: %v (%d)", err, len(ids))
		}
		timed(b, engine+"/admission-day", func() int {
			for _, id := range ids {
				for _, shift := range []int{-1, 1} {
					m, err := s.member(ctx, s.read, id, day)
					if err != nil {
						b.Fatal(err)
					}
					m.AdmittedOn = dangvu.DateOf(m.AdmittedOn.Time.AddDate(0, 0, shift))
					if _, err := s.UpdateMember(ctx, "bench", m); err != nil {
						b.Fatal(err)
					}
				}
			}
			return 2 * len(ids)
		}, 2*len(ids))
	}
}

// BenchmarkBadgesDue counts the members due a badge at the next ceremony (the report's
// badges_due) under the root and a province, as of today and of 31/5/2018; the count is
// reported so that two ways of counting can be compared on the same set.
func BenchmarkBadgesDue(b *testing.B) {
	ctx := context.Background()
	for _, engine := range benchEngines() {
		s := openBench(b, engine, false)
		for _, d := range benchDays {
			province, _ := benchOrgs(b, s, d)
			for _, node := range []struct{ name, id string }{{"root", benchRoot(b, s, d)}, {"province", province}} {
				b.Run(engine+"/"+node.name+"/"+dangvu.ISO(d), func(b *testing.B) {
					var n int
					ctx := withValuePlans(ctx) // as the report of a root or a province plans its queries
					for i := 0; i < b.N; i++ {
						var err error
						if n, err = s.badgesDue(ctx, node.id, badges.NextCeremony(d), d); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(n), "due")
				})
			}
		}
	}
}
