// Package demo builds the demo data set: a fictional but consistent Uông Bí (Quảng Ninh) from 2015
// to Today. It holds the party tree (Quảng Ninh, the Uông Bí city committee with its wards,
// communes, agencies and enterprises, a smaller Đông Triều beside it) and its reorganisation of
// 1/7/2025; about 6,400 members with their admissions, status histories, memberships and
// transfers; committee terms and posts; the villages and residential areas the cells serve; and
// the agencies, public service units and enterprises the organisations serve.
//
// Everything is made by code from distributions, deterministic for a seed, and written in the
// exchange format (docs/data-format.md) so that it loads through the ordinary import. The data set
// is built so that the real report code, run on it, gives the seed article's 2018 figures
// (figures.md F4–F7); no table holds those figures as totals.
//
// The builder is a world (the tree, the people and their histories) filled phase by phase, then
// written table by table. Later data (admissions files, conferences, reviews, inspections) is a
// further phase with its own random stream and a further line in tableWriters.
package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/exchange"
)

// Today is the last day the demo's histories reach.
const Today = "2026-11-27"

// The seed article's figures that the construction aims at (figures.md F4–F7). They steer the
// generator only; the tests recompute them from the written rows.
const (
	admittedInPeriod = 884  // F4: admissions 01/01/2015–31/05/2018 into cells under Uông Bí
	admissionRatePct = 4.05 // F5: admissions a year per 100 members (formula in people.go)
	unitsServed      = 211  // F7: units served by organisations under Uông Bí on 31/05/2018
	nonMemberHeads   = 5    // F7: of which headed by non-members (non-state enterprises)
	// About the size of the article's 110 inspected organisations: grassroots organisations under
	// Uông Bí on 31/05/2018.
	grassrootsOrgs = 110
)

// Build writes the demo data set for seed to w: every table in exchange order, rows sorted by
// the table's key. The same seed gives the same rows. Build does not close w.
func Build(w exchange.Writer, seed uint64) error {
	wd := newWorld(seed)
	wd.buildTree(wd.rng(phaseTree))
	wd.planReorganisation()
	wd.buildPeople(wd.rng(phasePeople))
	wd.buildPosts(wd.rng(phasePosts))
	// The domains' records, each from its own stream. Inspections come before reviews: a member
	// disciplined in a year is rated "not completed" in that year's review.
	wd.buildAdmissions(wd.rng(phaseAdmissions))
	wd.buildDissemination(wd.rng(phaseDissemination))
	wd.buildInspections(wd.rng(phaseInspections))
	wd.buildReviews(wd.rng(phaseReviews))
	wd.buildFiles(wd.rng(phaseFiles))
	wd.buildOrgCodes()
	wd.buildDetails(wd.rng(phaseDetails))
	wd.buildDues(wd.rng(phaseDues))
	wd.buildMeetings(wd.rng(phaseMeetings))
	return wd.write(w)
}

// Each phase draws from its own stream, so a phase added later does not change the earlier ones.
const (
	phaseTree uint64 = iota + 1
	phasePeople
	phasePosts
	phaseAdmissions
	phaseDissemination
	phaseReviews
	phaseInspections
	phaseFiles
	phaseDues
	phaseDetails
	phaseMeetings
)

// date is a civil date as days since 1970-01-01; open is the end of an interval still in force.
type date int32

const open date = math.MaxInt32

func ymd(y int, m time.Month, d int) date {
	return date(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func (d date) time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// day is the date as the root package keeps it.
func (d date) day() dangvu.Date { return dangvu.DateOf(d.time()) }

// String gives the exchange form: ISO, or empty for open.
func (d date) String() string {
	if d == open {
		return ""
	}
	return d.time().Format(dangvu.DateLayout)
}

func (d date) year() int { return d.time().Year() }

func (d date) addYears(n int) date {
	t := d.time()
	return ymd(t.Year()+n, t.Month(), t.Day())
}

// within returns a day drawn uniformly from [from, to).
func within(r *rand.Rand, from, to date) date {
	if to <= from {
		return from
	}
	return from + date(r.Int64N(int64(to-from)))
}

var (
	// recordsStart is where the demo's recorded history begins: the organisations in force then,
	// and the memberships of members admitted earlier, start on it.
	recordsStart = ymd(2010, 1, 1)
	periodFrom   = ymd(2015, 1, 1)  // the article's period: admissions from 01/01/2015…
	periodTo     = ymd(2018, 5, 31) // …to 31/05/2018, both days included; also its "as of" date
	reorgDay     = ymd(2025, 7, 1)  // the district level ends
	today        = ymd(2026, 11, 27)
)

// world is the data set under construction.
type world struct {
	seed uint64

	orgs   []*org
	byID   map[string]*org
	events []*event
	qn     *org
	ub, dt *org

	units      []*unit
	localities []*locality
	terms      []*term

	people    []*person
	movements []*movement
	roster    map[*org][]*stint // official memberships by organisation, built after the people

	posts   []*post
	leaders map[*person]bool // secretaries and deputies of the district committees

	names map[string]bool // generated names already used

	// The domains' records, each built by its own file.
	adm   admissionsWorld
	dis   disseminationWorld
	insp  inspectionsWorld
	rev   reviewsWorld
	files filesWorld
	dues  duesWorld
	meet  meetingsWorld
}

func newWorld(seed uint64) *world {
	return &world{seed: seed, byID: map[string]*org{}, names: map[string]bool{}, leaders: map[*person]bool{}}
}

func (w *world) rng(phase uint64) *rand.Rand { return rand.New(rand.NewPCG(w.seed, phase)) }

// unique returns a name made by gen that has not been used before.
func (w *world) unique(gen func() string) string {
	for {
		if s := gen(); !w.names[s] {
			w.names[s] = true
			return s
		}
	}
}

// pick returns one of items, uniformly.
func pick[T any](r *rand.Rand, items ...T) T { return items[r.IntN(len(items))] }

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// sink collects rows by table; write sorts and emits them.
type sink struct {
	rows map[string][][]string
	err  error
}

// row adds a row given as column, value pairs; columns not given are empty.
func (s *sink) row(table string, kv ...string) {
	t, ok := exchange.Lookup(table)
	if !ok {
		s.fail(fmt.Errorf("demo: unknown table %q", table))
		return
	}
	vals := make([]string, len(t.Columns))
	for i := 0; i+1 < len(kv); i += 2 {
		j := slices.Index(t.Columns, kv[i])
		if j < 0 {
			s.fail(fmt.Errorf("demo: table %s has no column %q", table, kv[i]))
			return
		}
		vals[j] = kv[i+1]
	}
	s.rows[table] = append(s.rows[table], vals)
}

// rowsAs adds rows whose values are given in the order of cols (a table's columns, maybe not all
// of them); a large table made in the table's own order is added without copying.
func (s *sink) rowsAs(table string, cols []string, rows [][]string) {
	t, ok := exchange.Lookup(table)
	if !ok {
		s.fail(fmt.Errorf("demo: unknown table %q", table))
		return
	}
	if slices.Equal(t.Columns, cols) {
		s.rows[table] = append(s.rows[table], rows...)
		return
	}
	for _, r := range rows {
		kv := make([]string, 0, 2*len(cols))
		for i, c := range cols {
			kv = append(kv, c, r[i])
		}
		s.row(table, kv...)
	}
}

func (s *sink) fail(err error) {
	if s.err == nil {
		s.err = err
	}
}

// tableWriters add the rows of each table; their order does not matter, write orders the output.
var tableWriters = []func(*world, *sink){
	(*world).writeReorganisations,
	(*world).writeOrganisations,
	(*world).writeTerms,
	(*world).writeLocalities,
	(*world).writeUnits,
	(*world).writeMembers,
	(*world).writeStatuses,
	(*world).writeMemberships,
	(*world).writeMovements,
	(*world).writePosts,
	(*world).writeAdmissions,
	(*world).writeDissemination,
	(*world).writeInspections,
	(*world).writeReviews,
	(*world).writeFiles,
	(*world).writeDues,
	(*world).writeMeetings,
}

// write emits the tables in exchange order with rows sorted by key, so that export → import →
// export of the demo is stable.
func (w *world) write(out exchange.Writer) error {
	s := &sink{rows: map[string][][]string{}}
	for _, f := range tableWriters {
		f(w, s)
	}
	if s.err != nil {
		return s.err
	}
	for _, t := range exchange.Tables() {
		rows := s.rows[t.Name]
		var key []int
		for _, k := range t.Key {
			key = append(key, slices.Index(t.Columns, k))
		}
		cmp := func(a, b []string) int {
			for _, i := range key {
				if c := strings.Compare(a[i], b[i]); c != 0 {
					return c
				}
			}
			return 0
		}
		if !slices.IsSortedFunc(rows, cmp) { // the largest tables are made in key order
			slices.SortStableFunc(rows, cmp)
		}
		for _, row := range rows {
			if err := out.Row(t.Name, row); err != nil {
				return fmt.Errorf("demo: %w", err)
			}
		}
	}
	return nil
}
