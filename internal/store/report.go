package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"dangvu"
)

// reportCtx is what every section of the term report works from.
type reportCtx struct {
	q        dangvu.ReportQuery
	org      dangvu.Org // as of q.AsOf
	from, to string
	asOf     string
}

// reportSection adds one domain's figures. Each domain appends its section to reportSections.
type reportSection func(ctx context.Context, s *Store, rc *reportCtx, r *dangvu.Report) error

var reportSections = []reportSection{coreSection, admissionSection}

// reportDrill lists the records behind one figure, for the same query. Each domain registers the
// drill-downs of its keys in reportDrills (from an init function). The list must count exactly
// what the figure counts: len(Rows) equals the figure's value for count figures.
type reportDrill func(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error)

var reportDrills = map[string]reportDrill{}

// ReportList returns the records behind the figure key of the term report for q.
func (s *Store) ReportList(ctx context.Context, q dangvu.ReportQuery, key string) (*dangvu.ReportList, error) {
	drill, ok := reportDrills[key]
	if !ok {
		return nil, dangvu.Errorf(dangvu.ENotFound, "chỉ tiêu %q không có danh sách chi tiết", key)
	}
	rc, err := s.reportContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if from := q.FromFor(dangvu.FigureGroup(key)); !from.Equal(q.From) {
		rc.q.From, rc.from = from, dateArg(from)
	}
	l, err := drill(ctx, s, rc)
	if err != nil {
		return nil, err
	}
	l.Key = key
	return l, nil
}

// TermReport computes the term report of an organisation over a period, as of a date.
func (s *Store) TermReport(ctx context.Context, q dangvu.ReportQuery) (*dangvu.Report, error) {
	rc, err := s.reportContext(ctx, q)
	if err != nil {
		return nil, err
	}
	r, err := s.runSections(ctx, rc)
	if err != nil || len(q.GroupFrom) == 0 {
		return r, err
	}
	return s.composite(ctx, rc, r)
}

func (s *Store) runSections(ctx context.Context, rc *reportCtx) (*dangvu.Report, error) {
	r := &dangvu.Report{}
	for _, sec := range reportSections {
		if err := sec(ctx, s, rc, r); err != nil {
			return nil, err
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
	return &reportCtx{q: q, org: org, from: dateArg(q.From), to: dateArg(q.To), asOf: dateArg(q.AsOf)}, nil
}

func coreSection(ctx context.Context, s *Store, rc *reportCtx, r *dangvu.Report) error {
	r.Set("org_id", "Mã tổ chức", rc.org.ID)
	r.Set("org_name", "Tên tổ chức", rc.org.Name)
	r.Set("from", "Từ ngày", rc.from)
	r.Set("to", "Đến ngày", rc.to)
	r.Set("as_of", "Số liệu tính đến ngày", rc.asOf)
	var start string
	err := s.read.QueryRowContext(ctx, s.rebind(`SELECT start FROM terms WHERE org_id = ? AND start <= ? AND "end" > ? ORDER BY start DESC LIMIT 1`),
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
		cf         CountFilter
	}{
		{"members", "Tổng số đảng viên", CountFilter{}},
		{"members_probationary", "Đảng viên dự bị", CountFilter{Status: dangvu.StatusProbationary}},
		{"members_female", "Đảng viên nữ", CountFilter{Gender: dangvu.Female}},
	} {
		n, err := s.CountMembers(ctx, rc.org.ID, rc.q.AsOf, f.cf)
		if err != nil {
			return err
		}
		r.Set(f.key, f.label, n)
	}
	return nil
}

// admissionSection counts admissions: members whose admission is dated within the period and who
// belonged, on that date, to an organisation under the reported one (as the tree stood then).
// The yearly rate follows docs/reports.md:
//
//	rate = 100 × (admitted ÷ years) ÷ mean membership
//	years = (days from `from` to `to`, both included) ÷ 365.25
//	mean membership = (members on `from` + members on `to`) ÷ 2, both in the organisation's subtree
func admissionSection(ctx context.Context, s *Store, rc *reportCtx, r *dangvu.Report) error {
	var admitted int
	err := s.read.QueryRowContext(ctx, s.rebind(`SELECT count(*) FROM members m
		JOIN roster r ON r.member_id = m.id AND r.valid_from <= m.admitted_on AND r.valid_to > m.admitted_on
		JOIN org_paths p ON p.org_id = ? AND p.valid_from <= m.admitted_on AND p.valid_to > m.admitted_on
		WHERE m.admitted_on >= ? AND m.admitted_on <= ?
		AND substr(r.path, 1, length(p.path)) = p.path`), rc.org.ID, rc.from, rc.to).Scan(&admitted)
	if err != nil {
		return fmt.Errorf("store: report: admitted: %w", err)
	}
	r.Set("admitted", "Số đảng viên kết nạp", admitted)
	rate, err := s.admissionRate(ctx, rc, admitted)
	if err != nil {
		return err
	}
	r.Set("admission_rate_pct_per_year", "Tỷ lệ kết nạp bình quân (%/năm)", rate)
	return nil
}

func (s *Store) admissionRate(ctx context.Context, rc *reportCtx, admitted int) (float64, error) {
	atFrom, err := s.countUnder(ctx, rc.org.ID, rc.q.From)
	if err != nil {
		return 0, err
	}
	atTo, err := s.countUnder(ctx, rc.org.ID, rc.q.To)
	if err != nil {
		return 0, err
	}
	days := rc.q.To.Sub(rc.q.From).Hours()/24 + 1
	mean := float64(atFrom+atTo) / 2
	if mean == 0 || days <= 0 {
		return 0, nil
	}
	rate := 100 * (float64(admitted) / (days / 365.25)) / mean
	return math.Round(rate*100) / 100, nil
}

// countUnder counts an organisation's members on a date, 0 when it did not exist then.
func (s *Store) countUnder(ctx context.Context, orgID string, d time.Time) (int, error) {
	n, err := s.CountMembers(ctx, orgID, d, CountFilter{})
	if dangvu.ErrorCode(err) == dangvu.ENotFound {
		return 0, nil
	}
	return n, err
}
