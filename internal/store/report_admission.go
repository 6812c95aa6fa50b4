package store

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"dangvu"
)

// admittedQuery selects the admissions of a period under an organisation, one row each:
//
//   - every admission decision (admission_steps, stage "decision") dated within the period, whose
//     file's cell lay, on the decision date, under the organisation as the tree stood that day;
//   - and, for members with no admission decision on record (data imported without admission
//     files, such as the national data set), the member's admitted_on within the period when on
//     that day they belonged to an organisation under the reported one — the rule used before
//     admission files existed.
//
// A member counts once per decision: a readmission is a further admission.
//
// The subtree is taken version by version of the organisation's path (as the tree stood on each
// day), each as a range on the materialised path with constant bounds (subtreeRange), so that
// the planner sees how many roster rows the range holds and walks the roster of a small subtree
// by its path index or the admissions of a large one by date, whichever is fewer.
func (s *Store) admittedQuery(ctx context.Context, rc *reportCtx) (string, []any, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT valid_from, valid_to, path FROM org_paths
		WHERE org_id = ? AND valid_from <= ? AND valid_to > ? ORDER BY valid_from`, rc.org.ID, rc.to, rc.from)
	if err != nil {
		return "", nil, fmt.Errorf("store: report: admitted: %w", err)
	}
	defer rows.Close()
	var parts []string
	var args []any
	for rows.Next() {
		var vf, vt, path string
		if err := rows.Scan(&vf, &vt, &path); err != nil {
			return "", nil, err
		}
		lo, hi := subtreeRange(path)
		from, to := max(vf, rc.from), rc.to // admissions on days in [from, to] and before vt
		// The files of the organisations under the path, then their decisions: SQLite started
		// from every decision of the period in the country (4,4 ms of a cell's report at a
		// million members, 1 s cold for a province; 19 ms this way).
		parts = append(parts, `SELECT f.id, f.full_name, st.date, st.document, f.org_id, f.member_id FROM org_paths fp
		CROSS JOIN admission_files f CROSS JOIN admission_steps st
		WHERE f.org_id = fp.org_id AND st.file_id = f.id AND fp.valid_from <= st.date AND fp.valid_to > st.date
		AND st.stage = 'decision' AND st.date >= ? AND st.date <= ? AND st.date < ? AND fp.path >= ? AND fp.path < ?`,
			// The roster row in force on the admission day, found from the roster's own copy
			// of the day (the covering index), the member's name read for those rows only.
			// CROSS JOIN keeps SQLite on the roster's path range: with bound values it chose to
			// scan every member of the country and probe the roster for each (2,6 of the
			// million-member root's 2,8 s in this section).
			`SELECT '', m.full_name, r.admitted_on, '', r.org_id, r.member_id FROM roster r
		CROSS JOIN members m
		WHERE m.id = r.member_id AND r.path >= ? AND r.path < ? AND r.valid_from <= ? AND r.valid_to > ?
		AND r.admitted_on >= ? AND r.admitted_on <= ? AND r.admitted_on < ?
		AND r.valid_from <= r.admitted_on AND r.valid_to > r.admitted_on
		AND NOT EXISTS (SELECT 1 FROM admission_files af JOIN admission_steps ad ON ad.file_id = af.id AND ad.stage = 'decision' WHERE af.member_id = r.member_id)`)
		args = append(args, from, to, vt, lo, hi, lo, hi, to, from, from, to, vt)
	}
	if err := rows.Err(); err != nil {
		return "", nil, err
	}
	if len(parts) == 0 {
		// The organisation did not exist during the period: nothing, with the same columns.
		return `SELECT '', '', '', '', '', '' WHERE 1 = 0`, nil, nil
	}
	return strings.Join(parts, "\n\tUNION ALL\n\t"), args, nil
}

// admissionSection counts admissions (admittedQuery). The yearly rate (docs/admissions.md):
//
//	rate = 100 × (admitted ÷ years) ÷ mean membership
//	years = (days from `from` to `to`, both included) ÷ 365.25
//	mean membership = (members on `from` + members on `to`) ÷ 2, both in the organisation's subtree
func admissionSection(ctx context.Context, s *Store, rc *reportCtx, r *dangvu.Report) error {
	admitted, err := s.admittedCount(ctx, rc)
	if err != nil {
		return err
	}
	r.Set("admitted", "Số đảng viên kết nạp", admitted)
	rate, err := s.admissionRate(ctx, rc, admitted)
	if err != nil {
		return err
	}
	r.Set("admission_rate_pct_per_year", "Tỷ lệ kết nạp bình quân (%/năm)", rate)
	return nil
}

// admittedCount counts admittedQuery's rows: for the root and the provinces from the tallies.
func (s *Store) admittedCount(ctx context.Context, rc *reportCtx) (int, error) {
	if counts, ok, err := s.tallied(ctx, rc, admissionTally); err != nil || ok {
		return counts[""], err
	}
	q, args, err := s.admittedQuery(ctx, rc)
	if err != nil {
		return 0, err
	}
	var admitted int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM (`+q+`) x`, args...).Scan(&admitted); err != nil {
		return 0, fmt.Errorf("store: report: admitted: %w", err)
	}
	return admitted, nil
}

func admittedDrill(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error) {
	q, args, err := s.admittedQuery(ctx, rc)
	if err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT * FROM (`+q+`) x ORDER BY 3, 6, 1`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: report: admitted: %w", err)
	}
	defer rows.Close()
	l := &dangvu.ReportList{Title: "Đảng viên kết nạp trong kỳ", Columns: []string{"Hồ sơ", "Họ và tên", "Ngày quyết định kết nạp", "Số quyết định", "Chi bộ", "Mã đảng viên"}, Rows: [][]string{}}
	names := map[string]string{}
	for rows.Next() {
		var file, name, d, doc, org, member string
		if err := rows.Scan(&file, &name, &d, &doc, &org, &member); err != nil {
			return nil, err
		}
		on, _ := dangvu.ParseISODate(d)
		key := org + "@" + d
		if _, ok := names[key]; !ok {
			if o, err := s.Org(ctx, org, on); err == nil {
				names[key] = o.Name
			}
		}
		l.Rows = append(l.Rows, []string{file, name, vnDate(d), doc, names[key], member})
		link := ""
		switch {
		case file != "":
			link = "/admissions/" + file
		case member != "":
			link = "/members/" + member
		}
		l.Links = append(l.Links, link)
	}
	return l, rows.Err()
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
	n, err := s.CountMembers(ctx, orgID, d, dangvu.CountFilter{})
	if dangvu.ErrorCode(err) == dangvu.ENotFound {
		return 0, nil
	}
	return n, err
}

// partyAgeBands are the bands of the party-age distribution of the term report: whole years
// from admitted_on to the report's as-of date, less the periods outside the party.
var partyAgeBands = []struct {
	key, label string
	min, max   int // [min, max) years; max 0 = no upper bound
}{
	{"party_age_under_10", "Tuổi đảng dưới 10 năm", 0, 10},
	{"party_age_10_to_29", "Tuổi đảng từ 10 đến dưới 30 năm", 10, 30},
	{"party_age_30_to_39", "Tuổi đảng từ 30 đến dưới 40 năm", 30, 40},
	{"party_age_40_to_49", "Tuổi đảng từ 40 đến dưới 50 năm", 40, 50},
	{"party_age_50_plus", "Tuổi đảng từ 50 năm trở lên", 50, 0},
}

// partyAgeSection counts the members in the party on the as-of date under the organisation by
// party age; members without an admission date count in party_age_unknown. The bands add up to
// `members`.
func partyAgeSection(ctx context.Context, s *Store, rc *reportCtx, r *dangvu.Report) error {
	lo, hi := subtreeRange(rc.org.Path)
	vals, ok, err := s.partyAgeKept(ctx, rc)
	if err != nil {
		return err
	}
	if !ok {
		if vals, err = s.partyAgeRead(ctx, rc); err != nil {
			return err
		}
	}
	// Periods outside the party are deducted (domain.md §3): members counted here who had an
	// out-of-party status between their admission and d (removed and readmitted, transferred out
	// of the system and back) are moved to the band of their deducted party age.
	moves, err := s.partyAgeGaps(ctx, rc, lo, hi)
	if err != nil {
		return err
	}
	for _, m := range moves {
		vals[m[0]+1]--
		vals[m[1]+1]++
	}
	for i, b := range partyAgeBands {
		r.Set(b.key, b.label, vals[i+1])
	}
	r.Set("party_age_unknown", "Chưa rõ ngày vào Đảng", vals[0])
	return nil
}

// partyAgeRead counts the members of the subtree on the as-of day by party age, before the
// periods outside the party are deducted: party_age_unknown, then partyAgeBands.
func (s *Store) partyAgeRead(ctx context.Context, rc *reportCtx) ([]int, error) {
	lo, hi := subtreeRange(rc.org.Path)
	d := rc.asOf
	// The roster carries the admission day: an index-only range scan, no lookup into members.
	q := `SELECT count(CASE WHEN r.admitted_on = '' THEN 1 END)`
	var args []any
	for _, b := range partyAgeBands {
		// Aged [min, max) years on d: admitted in (d - max, d - min].
		cond := `r.admitted_on <> '' AND r.admitted_on <= ?`
		args = append(args, dateArg(yearsBefore(rc.q.AsOf, b.min)))
		if b.max > 0 {
			cond += ` AND r.admitted_on > ?`
			args = append(args, dateArg(yearsBefore(rc.q.AsOf, b.max)))
		}
		q += `, count(CASE WHEN ` + cond + ` THEN 1 END)`
	}
	q += ` FROM roster r WHERE r.valid_from <= ? AND r.valid_to > ? AND r.path >= ? AND r.path < ?`
	args = append(args, d, d, lo, hi)
	vals := make([]int, len(partyAgeBands)+1)
	dst := make([]any, len(vals))
	for i := range vals {
		dst[i] = &vals[i]
	}
	if err := s.read.QueryRowContext(ctx, q, args...).Scan(dst...); err != nil {
		return nil, fmt.Errorf("store: report: party age: %w", err)
	}
	return vals, nil
}

// yearsBefore is the last day whose n-th anniversary falls on or before d (docs/reports.md, party
// age): d less n years, except that from 29 February it is 28 February of a common year, since
// the anniversary of 29 February is 1 March there (AddDate would give 1 March, a day too late).
func yearsBefore(d time.Time, n int) time.Time {
	t := d.AddDate(-n, 0, 0)
	if t.Day() != d.Day() {
		t = t.AddDate(0, 0, -1)
	}
	return t
}

// bandOf returns the index of the party-age band of a member admitted on adm, on d.
func bandOf(adm, d time.Time) int {
	for i, b := range partyAgeBands {
		if !adm.After(yearsBefore(d, b.min)) && (b.max == 0 || adm.After(yearsBefore(d, b.max))) {
			return i
		}
	}
	return 0
}

// partyAgeGaps finds the members counted on the as-of date who were out of the party for a
// while since their admission, and returns for each the band they were counted in and the band
// of their party age less those periods.
func (s *Store) partyAgeGaps(ctx context.Context, rc *reportCtx, lo, hi string) ([][2]int, error) {
	d := rc.asOf
	type hist struct {
		adm   time.Time
		from  []time.Time
		inPty []bool
	}
	hs := map[string]*hist{}
	var order []string
	var members [][2]string // member, admitted_on
	scanPair := func(sc interface{ Scan(...any) error }) ([2]string, error) {
		var x [2]string
		return x, sc.Scan(&x[0], &x[1])
	}
	if pathDepth(lo) > countDepth {
		// Each member of the subtree on the roster that day is checked for a status outside the
		// party since admission.
		var err error
		members, err = scanAll(ctx, s.read, `SELECT r.member_id, r.admitted_on FROM roster r
		WHERE r.valid_from <= ? AND r.valid_to > ? AND r.path >= ? AND r.path < ? AND r.admitted_on <> ''
		AND EXISTS (SELECT 1 FROM member_statuses x WHERE x.member_id = r.member_id AND x.valid_from >= r.admitted_on AND x.valid_from <= ?
			AND x.status NOT IN ('probationary', 'full', 'exempt'))`, []any{d, d, lo, hi, d}, scanPair)
		if err != nil {
			return nil, fmt.Errorf("store: report: party age: %w", err)
		}
	} else {
		// Under the root or a province that would be hundreds of thousands of members, while
		// those who ever left and may have come back (a partial index: deaths are final) are a
		// few percent of the country's: they come first, then their roster rows by member.
		// Joined in one query, PostgreSQL hashed a province's roster range or every status of
		// the country to meet them (0,4-1 s at a million members).
		// Only those back in the Party by the day can be on its roster (a later status in it):
		// probing every leaver's rows was 0,5-0,7 s of a province's report at a million members.
		leavers, err := column(ctx, s.read, `SELECT DISTINCT x.member_id FROM member_statuses x WHERE x.status IN ('transferred_out', 'removed', 'expelled', 'left') AND x.valid_from <= ?
			AND EXISTS (SELECT 1 FROM member_statuses y WHERE y.member_id = x.member_id AND y.valid_from > x.valid_from AND y.valid_from <= ?
				AND y.status IN ('probationary', 'full', 'exempt'))`, d, d)
		if err != nil {
			return nil, fmt.Errorf("store: report: party age: %w", err)
		}
		err = inChunks(leavers, func(ph string, args []any) error {
			got, err := scanAll(ctx, s.read, `SELECT member_id, admitted_on FROM roster WHERE member_id IN (`+ph+`)
				AND valid_from <= ? AND valid_to > ? AND path >= ? AND path < ? AND admitted_on <> ''`, append(args, d, d, lo, hi), scanPair)
			members = append(members, got...)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("store: report: party age: %w", err)
		}
	}
	for _, m := range members {
		if hs[m[0]] != nil {
			continue
		}
		t, _ := dangvu.ParseISODate(m[1])
		hs[m[0]] = &hist{adm: t}
		order = append(order, m[0])
	}
	slices.Sort(order)
	err := inChunks(order, func(ph string, args []any) error {
		rows, err := s.read.QueryContext(ctx, `SELECT member_id, valid_from, status FROM member_statuses WHERE member_id IN (`+ph+`) AND valid_from <= ?
			ORDER BY member_id, valid_from`, append(args, d)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, from, st string
			if err := rows.Scan(&id, &from, &st); err != nil {
				return err
			}
			h := hs[id]
			t, _ := dangvu.ParseISODate(from)
			h.from = append(h.from, t)
			h.inPty = append(h.inPty, dangvu.Status(st).InParty())
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: report: party age: %w", err)
	}
	var out [][2]int
	for _, id := range order {
		h := hs[id]
		gap := 0
		for i, f := range h.from {
			if h.inPty[i] {
				continue
			}
			end := rc.q.AsOf
			if i+1 < len(h.from) {
				end = h.from[i+1]
			}
			if f.Before(h.adm) {
				f = h.adm
			}
			if end.After(f) {
				gap += int(end.Sub(f).Hours() / 24)
			}
		}
		was, now := bandOf(h.adm, rc.q.AsOf), bandOf(h.adm.AddDate(0, 0, gap), rc.q.AsOf)
		if was != now {
			out = append(out, [2]int{was, now})
		}
	}
	return out, nil
}
