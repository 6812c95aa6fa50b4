package gen_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/gen"
	"dangvu/internal/store"
	"dangvu/internal/storetest"
)

// domainKeys are the term report's figures of the domains; each must be non-zero for the
// generated set at the root and in a province, and each listed one must equal its list's length.
var domainKeys = []struct {
	key   string
	drill bool
}{
	{"admitted", true}, {"admission_rate_pct_per_year", false},
	{"action_programmes", true}, {"conferences_at_org_level", true}, {"conferences_grassroots", true},
	{"study_members_in_scope", false}, {"study_members_not_reached", true}, {"study_coverage_pct", false},
	{"committee_inspection_rounds", true}, {"committee_inspected_organisations", true}, {"commission_inspection_rounds", true},
	{"grassroots_inspection_visits", true}, {"disciplined_organisations", true}, {"disciplined_members", true},
	{"dues_paid_vnd", false}, {"dues_remitted_vnd", false},
}

func init() {
	for _, k := range []string{"review_members_", "review_organisations_"} {
		for _, r := range dangvu.Ratings {
			domainKeys = append(domainKeys, struct {
				key   string
				drill bool
			}{k + string(r.Code), true})
		}
	}
}

// TestNationalImports generates a national set of 20,000 members with every domain's records,
// imports it through the ordinary import on each engine, and reads the term report of the root
// and of a province (Hồ Chí Minh City, which took in two provinces in 2025: at this size the
// largest, so that even rare figures such as cells rated "not completed" are there).
func TestNationalImports(t *testing.T) {
	dir := t.TempDir()
	w, err := exchange.Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gen.National(w, gen.NationalOptions{Members: 20_000, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for _, engine := range []struct {
		name string
		open func(*testing.T) *store.Store
	}{{"sqlite", storetest.OpenSQLite}, {"postgres", storetest.OpenPostgres}} {
		t.Run(engine.name, func(t *testing.T) {
			s := engine.open(t)
			r, err := exchange.Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			res, err := s.Import(t.Context(), r, store.ImportOptions{Actor: "test", Source: "gen"})
			if err != nil {
				t.Fatalf("import: %v", err)
			}
			for _, tb := range []string{"admission_files", "admission_steps", "documents", "tasks", "conferences", "attendance", "campaigns", "reviews", "inspection_rounds", "inspection_subjects", "disciplines", "life_acts", "remedies", "meetings", "meeting_attendance", "dues_payments", "dues_remittances"} {
				if res.Rows[tb] == 0 {
					t.Errorf("no rows of %s imported", tb)
				}
			}
			asOf := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
			for _, org := range []string{"VN", "T79"} {
				q := dangvu.ReportQuery{Org: org, From: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), To: asOf, AsOf: asOf}
				rep, err := s.TermReport(t.Context(), q)
				if err != nil {
					t.Fatalf("%s: report: %v", org, err)
				}
				// What the cells passed up, from the tallies at these levels, against the sum of
				// its list (read from the remittances).
				if l, err := s.ReportList(t.Context(), q, "dues_remitted_vnd"); err != nil {
					t.Errorf("%s: list dues_remitted_vnd: %v", org, err)
				} else {
					var sum int64
					for _, row := range l.Rows {
						n, err := strconv.ParseInt(strings.ReplaceAll(row[4], ".", ""), 10, 64)
						if err != nil {
							t.Fatalf("%s: remitted %q: %v", org, row[4], err)
						}
						sum += n
					}
					if v, _ := rep.Get("dues_remitted_vnd"); fmt.Sprint(v) != fmt.Sprint(sum) || sum == 0 {
						t.Errorf("%s: dues_remitted_vnd %v, its list sums to %d (%d rows)", org, v, sum, len(l.Rows))
					}
				}
				for _, k := range domainKeys {
					v, ok := rep.Get(k.key)
					if !ok {
						t.Errorf("%s: no figure %s", org, k.key)
						continue
					}
					n, isInt := v.(int)
					if f, ok := v.(float64); ok && f == 0 || isInt && n == 0 {
						t.Errorf("%s: %s is zero", org, k.key)
					}
					if !k.drill || !isInt {
						continue
					}
					l, err := s.ReportList(t.Context(), q, k.key)
					if err != nil {
						t.Errorf("%s: list %s: %v", org, k.key, err)
					} else if len(l.Rows) != n {
						t.Errorf("%s: %s is %d, its list has %d rows", org, k.key, n, len(l.Rows))
					}
				}
			}
		})
	}
}
