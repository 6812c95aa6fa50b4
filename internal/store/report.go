package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"dangvu"
)

// reportCtx is what every section of the term report works from.
type reportCtx struct {
	q        dangvu.ReportQuery
	org      dangvu.Org // as of q.AsOf
	from, to string
	asOf     string
	spans    []span // the organisation's paths over its life, for placement.underSpans
}

// under is the fast form of onDay.under for the reported organisation (paths.go).
func (rc *reportCtx) under(subj, day string, strict bool) (string, []any) {
	return onDay.underSpans(rc.spans, subj, day, strict)
}

// plans marks ctx so that PostgreSQL plans the report's queries for their values (db.go) when
// the organisation is the root or a province: the same query texts serve a cell and the
// country, and a plan PostgreSQL kept after a few cells' reports made the root's twice as slow.
// Below them the statements stay prepared: a ward's report spent 10 ms of PostgreSQL's time
// parsing and 22 ms planning its hundred queries against 5 ms running them, and PostgreSQL
// keeps planning per execution where a generic plan would cost more than those it made.
func (rc *reportCtx) plans(ctx context.Context) context.Context {
	if pathDepth(rc.org.Path) <= countDepth {
		return withValuePlans(ctx)
	}
	return ctx
}

// reportSection adds one domain's figures; the report runs the sections of domains (domains.go)
// in that list's order, which is the order of the report's keys.
type reportSection func(ctx context.Context, s *Store, rc *reportCtx, r *dangvu.Report) error

// reportDrill lists the records behind one figure, for the same query; each domain lists the
// drill-downs of its keys (domains.go). The list must count exactly what the figure counts:
// len(Rows) equals the figure's value for count figures.
type reportDrill func(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error)

// ReportList returns the records behind the figure key of the term report for q.
func (s *Store) ReportList(ctx context.Context, q dangvu.ReportQuery, key string) (*dangvu.ReportList, error) {
	drill, ok := s.drills[key]
	if !ok {
		return nil, dangvu.Errorf(dangvu.ENotFound, "chỉ tiêu %q không có danh sách chi tiết", key)
	}
	rc, err := s.reportContext(ctx, q)
	if err != nil {
		return nil, err
	}
	ctx = rc.plans(ctx)
	if from := q.FromFor(dangvu.FigureGroup(key)); !from.Equal(q.From) {
		rc.q.From, rc.from = from, dateArg(from)
	}
	l, err := drill(ctx, s, rc)
	if err != nil {
		return nil, err
	}
	l.Key, l.Action = key, s.ListAction(key)
	return l, nil
}

// ListAction is what a role needs to open the list behind the figure key (its domain's
// listAction), so a page links a figure only for the roles the list will be shown to.
func (s *Store) ListAction(key string) dangvu.Action {
	if a, ok := s.actions[key]; ok {
		return a
	}
	return dangvu.ActReports
}

// TermReport computes the term report of an organisation over a period, as of a date.
func (s *Store) TermReport(ctx context.Context, q dangvu.ReportQuery) (*dangvu.Report, error) {
	rc, err := s.reportContext(ctx, q)
	if err != nil {
		return nil, err
	}
	ctx = rc.plans(ctx)
	r, err := s.runSections(ctx, rc)
	if err != nil || len(q.GroupFrom) == 0 {
		return r, err
	}
	return s.composite(ctx, rc, r)
}

// sectionWorkers is how many sections of one report run side by side. On PostgreSQL a section's
// time is mostly round trips (a cell's twenty-odd sections, one after the other, took 21 ms of
// half-millisecond queries), so three; SQLite's is CPU, so two, one per core of the machine a
// committee office is given. No section asks for a second connection while it holds one
// (testOneConnection runs every level's report on a pool of one), so sections side by side never
// hold SQLite's four readers waiting for more.
func (s *Store) sectionWorkers() int {
	if s.pg {
		return 3
	}
	return 2
}

// sectionSlots bounds the helpers all reports of a process may run at once: under many
// concurrent reports each runs its sections itself, one after the other, so that helpers
// holding connections never crowd the pool out.
var sectionSlots = make(chan struct{}, 4)

// sectionTimes remembers how long each section of a report last took, by the depth of the
// reported organisation, so that a report starts its longest sections first: run in the
// sections' order, the root's longest (the meetings, 0,5 s of 1,3 at a million members) came
// last and ran alone at the end.
type sectionTimes struct {
	mu   sync.Mutex
	last map[[2]int]time.Duration // (depth, section) → its last time
}

// order lists the n sections' indexes, the longest at depth first (a section not yet timed
// keeps its place among those not timed, after the timed ones).
func (t *sectionTimes) order(depth, n int) []int {
	idx := make([]int, n)
	cost := make([]time.Duration, n)
	t.mu.Lock()
	for i := range idx {
		idx[i], cost[i] = i, t.last[[2]int{depth, i}]
	}
	t.mu.Unlock()
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(cost[b], cost[a]) })
	return idx
}

func (t *sectionTimes) record(depth, i int, d time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.last == nil {
		t.last = map[[2]int]time.Duration{}
	}
	t.last[[2]int{depth, i}] = d
}

// runSections runs the report's sections, each into a report of its own, and joins their figures
// in the sections' order (the order of the report's keys), as if they had run one by one.
func (s *Store) runSections(ctx context.Context, rc *reportCtx) (*dangvu.Report, error) {
	secs := s.reportSections()
	parts := make([]dangvu.Report, len(secs))
	errs := make([]error, len(secs))
	trace := os.Getenv("DANGVU_TRACE") != ""
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	depth := pathDepth(rc.org.Path)
	order := s.sectionTimes.order(depth, len(secs))
	var next atomic.Int32
	work := func() {
		for {
			k := int(next.Add(1)) - 1
			if k >= len(secs) || ctx.Err() != nil {
				return
			}
			i := order[k]
			start := time.Now()
			if errs[i] = secs[i](ctx, s, rc, &parts[i]); errs[i] != nil {
				cancel() // the others stop at their next query
			}
			took := time.Since(start)
			s.sectionTimes.record(depth, i, took)
			if trace { // where a report's time goes, for docs/benchmarks.md
				fmt.Fprintf(os.Stderr, "[report %s] %s %v\n", rc.org.ID, runtime.FuncForPC(reflect.ValueOf(secs[i]).Pointer()).Name(), took.Round(time.Millisecond))
			}
		}
	}
	var wg sync.WaitGroup
	for helpers := 0; helpers < s.sectionWorkers()-1; helpers++ {
		select {
		case sectionSlots <- struct{}{}:
		default:
			helpers = s.sectionWorkers() // none free: this report's goroutine does the rest
			continue
		}
		wg.Add(1)
		go func() {
			defer func() { <-sectionSlots; wg.Done() }()
			work()
		}()
	}
	work()
	wg.Wait()
	// The section that failed, not those it stopped.
	var first error
	for i := range secs {
		if errs[i] != nil && (first == nil || errors.Is(first, context.Canceled) && !errors.Is(errs[i], context.Canceled)) {
			first = errs[i]
		}
	}
	if first != nil {
		return nil, first
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r := &dangvu.Report{}
	for _, p := range parts {
		for _, f := range p.Figures {
			r.Set(f.Key, f.Label, f.Value)
		}
	}
	return r, nil
}

func (s *Store) reportContext(ctx context.Context, q dangvu.ReportQuery) (*reportCtx, error) {
	if q.From.IsZero() || q.To.IsZero() {
		return nil, dangvu.Errorf(dangvu.EInvalid, "cần ngày bắt đầu (from) và ngày kết thúc (to) của kỳ báo cáo")
	}
	if q.To.Before(q.From) {
		return nil, dangvu.Errorf(dangvu.EInvalid, "ngày kết thúc kỳ báo cáo trước ngày bắt đầu")
	}
	if q.AsOf.IsZero() {
		q.AsOf = q.To
	}
	org, err := s.ResolveOrg(ctx, q.Org, q.AsOf)
	if err != nil {
		return nil, err
	}
	spans, err := orgSpans(ctx, s.read, org.ID)
	if err != nil {
		return nil, err
	}
	return &reportCtx{q: q, org: org, from: dateArg(q.From), to: dateArg(q.To), asOf: dateArg(q.AsOf), spans: spans}, nil
}

func coreSection(ctx context.Context, s *Store, rc *reportCtx, r *dangvu.Report) error {
	r.Set("org_id", "Mã tổ chức", rc.org.ID)
	r.Set("org_name", "Tên tổ chức", rc.org.Name)
	r.Set("from", "Từ ngày", rc.from)
	r.Set("to", "Đến ngày", rc.to)
	r.Set("as_of", "Số liệu tính đến ngày", rc.asOf)
	if rc.q.Document != "" {
		r.Set("document", "Văn bản", rc.q.Document)
	}
	var start string
	err := s.read.QueryRowContext(ctx, `SELECT start FROM terms WHERE org_id = ? AND start <= ? AND "end" > ? ORDER BY start DESC LIMIT 1`,
		rc.org.ID, rc.to, rc.to).Scan(&start)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		r.Set("term_start", "Đầu nhiệm kỳ", nil)
	case err != nil:
		return fmt.Errorf("store: report: %w", err)
	default:
		r.Set("term_start", "Đầu nhiệm kỳ", start)
	}
	for _, f := range []struct {
		key, label string
		cf         dangvu.CountFilter
	}{
		{"members", "Tổng số đảng viên", dangvu.CountFilter{}},
		{"members_probationary", "Đảng viên dự bị", dangvu.CountFilter{Status: dangvu.StatusProbationary}},
		{"members_female", "Đảng viên nữ", dangvu.CountFilter{Gender: dangvu.Female}},
	} {
		n, err := s.CountMembers(ctx, rc.org.ID, rc.q.AsOf, f.cf)
		if err != nil {
			return err
		}
		r.Set(f.key, f.label, n)
	}
	return nil
}
