package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/rules/meetings"
)

// The figures of the cells' meetings (docs/meetings.md, "Report figures"), over the report's
// period for the subtree as it stood on each meeting's day:
//
//	cell_meetings_held          regular meetings held (held_on in the period)
//	cell_meetings_expected      cells × months: for each month of the period, the cells of the subtree on its last day (or today)
//	cells_meeting_every_month   cells of the subtree at the period's end that held a regular meeting in every month they existed in it
//	thematic_meetings_held      thematic meetings held
//	cell_meeting_attendance_pct present / on the roll over the regular meetings held
//	cell_meetings_quality_*     meetings held by quality band (the ward's review, else the cell's own score)
//	members_absent_3m_unexcused members whom the three-month rule flags, per calendar year of the period (member × year)
//	residence_registrations     working members registered with a residential cell of the subtree on the period's end
//	residence_comments_returned yearly comments returned in the period
var meetingsDomain = domain{
	name:     "meetings",
	tables:   meetingTables,
	sections: []reportSection{meetingSection},
	drills: map[string]reportDrill{
		"cell_meetings_held":            meetingsDrill(dangvu.MeetingRegular, ""),
		"thematic_meetings_held":        meetingsDrill(dangvu.MeetingThematic, ""),
		"cell_meetings_quality_good":    meetingsDrill("", meetings.BandGood),
		"cell_meetings_quality_fair":    meetingsDrill("", meetings.BandFair),
		"cell_meetings_quality_average": meetingsDrill("", meetings.BandAverage),
		"cell_meetings_quality_poor":    meetingsDrill("", meetings.BandPoor),
		"cell_meetings_expected":        expectedDrill,
		"cells_meeting_every_month":     everyMonthDrill,
		"members_absent_3m_unexcused":   threeMonthDrill,
		"residence_registrations":       residenceDrill,
		"residence_comments_returned":   commentsDrill,
	},
	// The residence lists name members and where they work: the meeting register's readers.
	listActions: map[string]dangvu.Action{"residence_registrations": dangvu.ActMeetings, "residence_comments_returned": dangvu.ActMeetings},
	attention:   []attentionSource{{dangvu.ActMeetings, meetingAttention}},
}

// heldIn selects the meetings held in [from, to] whose cell lay in the subtree of the reported
// organisation on the meeting's day, with its arguments (more may follow).
func heldIn(rc *reportCtx) (string, []any) {
	under, args := rc.under("p.path", "m.held_on", false)
	return ` FROM meetings m JOIN org_paths p ON p.org_id = m.org_id AND p.valid_from <= m.held_on AND p.valid_to > m.held_on
	WHERE m.status = 'held' AND m.held_on >= ? AND m.held_on <= ? AND ` + under, append([]any{rc.from, rc.to}, args...)
}

const bandExpr = `(CASE WHEN m.reviewed_band <> '' THEN m.reviewed_band ELSE m.quality_band END)`

func meetingQualityKey(b meetings.Band) string { return "cell_meetings_quality_" + string(b) }

func meetingSection(ctx context.Context, s *Store, rc *reportCtx, r *dangvu.Report) error {
	from, to := rc.from, rc.to
	// The sums keyed as meetingTally keys them: from the tallies for the root and the
	// provinces, else from the meetings.
	sums, ok, err := s.tallied(ctx, rc, meetingTally)
	if err != nil {
		return err
	}
	var heldMonths map[string]int
	if ok {
		if heldMonths, ok, err = s.talliedMonths(ctx, rc); err != nil {
			return err
		}
	}
	if !ok {
		if sums, heldMonths, err = s.meetingSums(ctx, rc); err != nil {
			return err
		}
	}
	held, thematic, roll, present := sums["regular"], sums["thematic"], sums["roll"], sums["present"]
	exp, err := s.expectedMeetings(ctx, rc.spans, from, to)
	if err != nil {
		return err
	}
	every, err := s.everyMonthCells(ctx, rc, heldMonths, false)
	if err != nil {
		return err
	}
	r.Set("cell_meetings_held", "Cuộc sinh hoạt chi bộ thường kỳ đã họp", held)
	r.Set("cell_meetings_expected", "Cuộc sinh hoạt thường kỳ phải họp (chi bộ × tháng)", exp.total)
	r.Set("cells_meeting_every_month", "Chi bộ sinh hoạt đủ các tháng", len(every))
	r.Set("thematic_meetings_held", "Cuộc sinh hoạt chuyên đề", thematic)
	r.Set("cell_meeting_attendance_pct", "Tỷ lệ đảng viên dự sinh hoạt chi bộ (%)", disPct(present, roll))
	for _, b := range meetings.Bands {
		r.Set(meetingQualityKey(b.Code), "Cuộc sinh hoạt xếp loại "+strings.ToLower(b.Name), sums["band:"+string(b.Code)])
	}
	absent, ok, err := s.talliedThreeMonths(ctx, rc)
	if err != nil {
		return err
	}
	if !ok {
		flags, err := s.periodFlags(ctx, rc.org.ID, from, to)
		if err != nil {
			return err
		}
		absent = len(flags)
	}
	r.Set("members_absent_3m_unexcused", "Đảng viên vắng sinh hoạt không lý do 3 tháng trong năm", absent)
	links, err := s.ResidenceLinks(ctx, rc.org.ID, to)
	if err != nil {
		return err
	}
	r.Set("residence_registrations", "Đảng viên đăng ký sinh hoạt nơi cư trú", len(links))
	var ret int
	cq, cargs := commentsIn(rc)
	if err := s.read.QueryRowContext(ctx, `SELECT count(*)`+cq, cargs...).Scan(&ret); err != nil {
		return fmt.Errorf("store: report: residence: %w", err)
	}
	r.Set("residence_comments_returned", "Phiếu nhận xét nơi cư trú đã trả", ret)
	return nil
}

// meetingSums reads the sums of the meetings held under the organisation in the period, keyed
// as meetingTally keys them (for the root and the provinces the tallies keep them), and the
// months each cell met.
func (s *Store) meetingSums(ctx context.Context, rc *reportCtx) (sums, heldMonths map[string]int, err error) {
	hq, hargs := heldIn(rc)
	// One pass over the period's meetings, by cell: the sums, the quality bands (a query each
	// read them four more times: 20 ms each for a province on PostgreSQL) and the months each
	// cell met, for the cells that met every month (a second pass over 1,4 million meetings at
	// the million-member root: 0,65 s).
	bandSums := ""
	var bandArgs []any
	for _, b := range meetings.Bands {
		bandSums += `, COALESCE(SUM(CASE WHEN ` + bandExpr + ` = ? THEN 1 ELSE 0 END), 0)`
		bandArgs = append(bandArgs, string(b.Code))
	}
	rows, err := s.read.QueryContext(ctx, `SELECT m.org_id, COALESCE(SUM(CASE WHEN m.kind = 'regular' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN m.kind = 'thematic' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN m.kind = 'regular' THEN m.on_roll ELSE 0 END), 0), COALESCE(SUM(CASE WHEN m.kind = 'regular' THEN m.present ELSE 0 END), 0)`+bandSums+`,
		count(DISTINCT CASE WHEN m.kind = 'regular' THEN m.month END)`+hq+` GROUP BY m.org_id`,
		append(bandArgs, hargs...)...)
	if err != nil {
		return nil, nil, fmt.Errorf("store: report: meetings: %w", err)
	}
	sums, heldMonths = map[string]int{}, map[string]int{}
	for rows.Next() {
		var org string
		var h, th, ro, pr, months int
		bands := make([]int, len(meetings.Bands))
		dst := []any{&org, &h, &th, &ro, &pr}
		for i := range bands {
			dst = append(dst, &bands[i])
		}
		if err := rows.Scan(append(dst, &months)...); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("store: report: meetings: %w", err)
		}
		sums["regular"] += h
		sums["thematic"] += th
		sums["roll"] += ro
		sums["present"] += pr
		for i, b := range meetings.Bands {
			sums["band:"+string(b.Code)] += bands[i]
		}
		heldMonths[org] = months
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: report: meetings: %w", err)
	}
	return sums, heldMonths, nil
}

// commentsIn selects the comments returned in [from, to] whose residential cell lay in the
// subtree on the return day.
func commentsIn(rc *reportCtx) (string, []any) {
	under, args := rc.under("p.path", "c.returned_on", false)
	return ` FROM residence_comments c JOIN residence_links l ON l.id = c.link_id
	JOIN org_paths p ON p.org_id = l.cell_id AND p.valid_from <= c.returned_on AND p.valid_to > c.returned_on
	WHERE c.returned_on <> '' AND c.returned_on >= ? AND c.returned_on <= ? AND ` + under, append([]any{rc.from, rc.to}, args...)
}

// months lists the months (first days) of [from, to].
func monthsOf(from, to string) []time.Time {
	f, err1 := dangvu.ParseISODate(from)
	t, err2 := dangvu.ParseISODate(to)
	if err1 != nil || err2 != nil || t.Before(f) {
		return nil
	}
	var out []time.Time
	for m := time.Date(f.Year(), f.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(t); m = m.AddDate(0, 1, 0) {
		out = append(out, m)
	}
	return out
}

// monthCount is len(monthsOf(from, to)) without the list (once per cell of the country).
func monthCount(from, to string) int {
	if len(from) != 10 || len(to) != 10 || to < from {
		return 0
	}
	f, ok1 := monthIndex(from[:7])
	t, ok2 := monthIndex(to[:7])
	if !ok1 || !ok2 {
		return 0
	}
	return t - f + 1
}

type expected struct{ total int }

// expectedMeetings counts cells × months: for each month of the period, the cells of the subtree
// on its last day (the period's end for the last). One read per path the organisation had (its
// spans), of the cells whose path lay under it with their versions, counted per day in Go —
// instead of a count per month over every cell in the country.
func (s *Store) expectedMeetings(ctx context.Context, spans []span, from, to string) (expected, error) {
	var e expected
	var days []string
	for _, m := range monthsOf(from, to) {
		days = append(days, min(dangvu.ISO(m.AddDate(0, 1, -1)), to))
	}
	if len(days) == 0 {
		return e, nil
	}
	// The root and the provinces from the tallies.
	if !expectedRead {
		if n, ok, err := s.talliedCells(ctx, spans, days); err != nil || ok {
			return expected{total: n}, err
		}
	}
	first, last := days[0], days[len(days)-1]
	for _, sp := range spans {
		if sp.from > last || sp.to <= first {
			continue
		}
		lo, hi := subtreeRange(sp.path)
		rows, err := s.read.QueryContext(ctx, `SELECT p.valid_from, p.valid_to, o.valid_from, o.valid_to FROM org_paths p
			JOIN org_versions o ON o.org_id = p.org_id AND o.valid_from < p.valid_to AND o.valid_to > p.valid_from
			WHERE p.path >= ? AND p.path < ? AND p.valid_from <= ? AND p.valid_to > ? AND o.valid_from <= ? AND o.valid_to > ?
			AND o.level IN ('cell', 'grassroots_cell')`, lo, hi, last, first, last, first)
		if err != nil {
			return e, fmt.Errorf("store: report: meetings expected: %w", err)
		}
		for rows.Next() {
			var pf, pt, vf, vt string
			if err := rows.Scan(&pf, &pt, &vf, &vt); err != nil {
				rows.Close()
				return e, fmt.Errorf("store: report: meetings expected: %w", err)
			}
			// The cell counts on day d when its path row, its version and the organisation's
			// span all cover d: onDay's covers, from <= d < to, for each.
			a, b := max(pf, vf, sp.from), min(pt, vt, sp.to)
			for _, d := range days {
				if a <= d && d < b {
					e.total++
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return e, fmt.Errorf("store: report: meetings expected: %w", err)
		}
	}
	return e, nil
}

// expectedRead makes expectedMeetings read the cells even where the tallies keep them (a test
// compares both ways).
var expectedRead = false

// everyMonthCells lists the cells of the subtree at the period's end that held a regular meeting
// in every month of the period in which they existed (from their first version); by name when
// named, else only their ids.
func (s *Store) everyMonthCells(ctx context.Context, rc *reportCtx, heldMonths map[string]int, named bool) ([]dangvu.Org, error) {
	org, from, to := rc.org.ID, rc.from, rc.to
	var err error
	held := func() (map[string]int, error) {
		if heldMonths == nil {
			heldMonths, err = s.heldMonths(ctx, rc)
		}
		return heldMonths, err
	}
	if !named && pathDepth(rc.org.Path) <= 1 {
		cells, starts, ok, err := s.rootCells(ctx, org, to)
		if err != nil {
			return nil, err
		}
		if ok {
			if _, err := held(); err != nil {
				return nil, err
			}
			return everyMonthOf(cells, starts, heldMonths, from, to), nil
		}
	}
	cells, err := s.cellsOf(ctx, org, to, named)
	if err != nil {
		return nil, fmt.Errorf("store: report: meetings: %w", err)
	}
	if len(cells) == 0 {
		return nil, nil
	}
	if _, err := held(); err != nil {
		return nil, err
	}
	// When each cell began (a cell founded within the period owes from then): of these cells
	// only, not of every organisation in the database (447.000 versions in the country's).
	starts := map[string]string{}
	ids := make([]string, len(cells))
	for i, c := range cells {
		ids[i] = c.ID
	}
	scanStarts := func(q string, args []any) error {
		firsts, err := scanAll(ctx, s.read, q, args, func(sc interface{ Scan(...any) error }) ([2]string, error) {
			var x [2]string
			return x, sc.Scan(&x[0], &x[1])
		})
		for _, x := range firsts {
			starts[x[0]] = x[1]
		}
		return err
	}
	if len(cells) > everyMonthScan {
		// A province's or the country's cells: only those founded within the period owe less
		// than every month, read in one pass over the versions (a read per 500 cells was
		// 0,3 s at a million members).
		err = scanStarts(`SELECT org_id, min(valid_from) FROM org_versions GROUP BY org_id HAVING min(valid_from) > ?`, []any{from})
	} else {
		err = inChunks(ids, func(ph string, args []any) error {
			return scanStarts(`SELECT org_id, min(valid_from) FROM org_versions WHERE org_id IN (`+ph+`) GROUP BY org_id`, args)
		})
	}
	if err != nil {
		return nil, err
	}
	return everyMonthOf(cells, starts, heldMonths, from, to), nil
}

// rootCells lists the cells of the whole tree on day to and each one's first day, in one pass
// over the versions (listing the cells by path, then their first days, was 0,2 s at a million
// members); ok is false unless org is the only organisation at the top ever, every other lying
// under it.
func (s *Store) rootCells(ctx context.Context, org, to string) (cells []dangvu.Org, starts map[string]string, ok bool, err error) {
	var others int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM org_paths WHERE depth = 1 AND org_id <> ?`, org).Scan(&others); err != nil || others > 0 {
		return nil, nil, false, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT org_id, min(valid_from), max(CASE WHEN valid_from <= ? AND valid_to > ? AND level IN ('cell', 'grassroots_cell') THEN 1 ELSE 0 END)
		FROM org_versions GROUP BY org_id`, to, to)
	if err != nil {
		return nil, nil, false, fmt.Errorf("store: report: meetings: %w", err)
	}
	defer rows.Close()
	starts = map[string]string{}
	for rows.Next() {
		var id, start string
		var cell int
		if err := rows.Scan(&id, &start, &cell); err != nil {
			return nil, nil, false, fmt.Errorf("store: report: meetings: %w", err)
		}
		if cell == 1 {
			cells, starts[id] = append(cells, dangvu.Org{ID: id}), start
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, false, fmt.Errorf("store: report: meetings: %w", err)
	}
	return cells, starts, true, nil
}

// everyMonthOf keeps the cells that met (heldMonths) in every month of [from, to] from their
// first day (starts) on.
func everyMonthOf(cells []dangvu.Org, starts map[string]string, heldMonths map[string]int, from, to string) []dangvu.Org {
	var out []dangvu.Org
	for _, c := range cells {
		f := from
		if start := starts[c.ID]; start > f {
			f = start
		}
		if want := monthCount(f, to); heldMonths[c.ID] >= want && want > 0 {
			out = append(out, c)
		}
	}
	return out
}

// everyMonthScan is the number of cells above which everyMonthCells reads every organisation's
// first day in one pass (a test lowers it).
var everyMonthScan = 5000

// heldMonths counts, by cell, the months of the period in which it held a regular meeting.
func (s *Store) heldMonths(ctx context.Context, rc *reportCtx) (map[string]int, error) {
	hq, hargs := heldIn(rc)
	out := map[string]int{}
	rows, err := s.read.QueryContext(ctx, `SELECT m.org_id, count(DISTINCT m.month)`+hq+` AND m.kind = 'regular' GROUP BY m.org_id`, hargs...)
	if err != nil {
		return nil, fmt.Errorf("store: report: meetings: %w", err)
	}
	for rows.Next() {
		var o string
		var n int
		if err := rows.Scan(&o, &n); err != nil {
			rows.Close()
			return nil, err
		}
		out[o] = n
	}
	rows.Close()
	return out, rows.Err()
}

// periodFlags returns the three-month flags of each calendar year the period touches, from the
// meetings register alone: the key is of unexcused absences (members_absent_3m_unexcused); the
// dues ledger's months have their own key (dues_members_in_arrears_3m). The attention items and
// the cell's page apply the Charter's rule to both registers (ThreeMonths).
func (s *Store) periodFlags(ctx context.Context, org, from, to string) ([]ThreeMonthFlag, error) {
	if len(from) < 7 || len(to) < 7 || to < from {
		return nil, nil
	}
	y0, _ := strconv.Atoi(from[:4])
	y1, _ := strconv.Atoi(to[:4])
	var out []ThreeMonthFlag
	for y := y0; y <= y1; y++ {
		upTo := fmt.Sprintf("%04d-12", y)
		if y == y1 {
			upTo = to[:7]
		}
		fs, err := s.threeMonths(ctx, org, y, upTo, absenceLapses)
		if err != nil {
			return nil, err
		}
		out = append(out, fs...)
	}
	return out, nil
}

func meetingsDrill(kind dangvu.MeetingKind, band meetings.Band) reportDrill {
	return func(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error) {
		hq, args := heldIn(rc)
		q := `SELECT m.id, m.org_id, m.kind, m.topic, m.held_on, m.on_roll, m.present, ` + bandExpr + hq
		title := "Cuộc sinh hoạt chi bộ thường kỳ đã họp"
		if kind != "" {
			q, args = q+` AND m.kind = ?`, append(args, string(kind))
			if kind == dangvu.MeetingThematic {
				title = "Cuộc sinh hoạt chuyên đề"
			}
		}
		if band != "" {
			q, args = q+` AND `+bandExpr+` = ?`, append(args, string(band))
			title = "Cuộc sinh hoạt xếp loại " + strings.ToLower(band.Name())
		}
		rows, err := s.read.QueryContext(ctx, q+` ORDER BY m.held_on, m.org_id, m.id`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: report: meetings: %w", err)
		}
		defer rows.Close()
		l := &dangvu.ReportList{Title: title, Columns: []string{"Chi bộ", "Loại", "Ngày họp", "Có mặt", "Chất lượng"}, Rows: [][]string{}}
		for rows.Next() {
			var id, org, k, topic, held, b string
			var roll, present int
			if err := rows.Scan(&id, &org, &k, &topic, &held, &roll, &present, &b); err != nil {
				return nil, err
			}
			kindName := dangvu.CodeName(dangvu.MeetingKinds, dangvu.MeetingKind(k))
			if topic != "" {
				kindName += ": " + topic
			}
			l.Rows = append(l.Rows, []string{s.orgName(ctx, org, isoDate(held)), kindName, vnDate(held), fmt.Sprintf("%d/%d", present, roll), meetings.Band(b).Name()})
			l.Links = append(l.Links, "/meetings/"+id)
		}
		return l, rows.Err()
	}
}

func expectedDrill(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error) {
	l := &dangvu.ReportList{Title: "Cuộc sinh hoạt thường kỳ phải họp (chi bộ × tháng)", Columns: []string{"Tháng", "Chi bộ"}, Rows: [][]string{}}
	for _, m := range monthsOf(rc.from, rc.to) {
		day := dangvu.ISO(m.AddDate(0, 1, -1))
		if day > rc.to {
			day = rc.to
		}
		cells, err := s.cellsUnder(ctx, rc.org.ID, day)
		if err != nil {
			return nil, fmt.Errorf("store: report: meetings expected: %w", err)
		}
		for _, c := range cells {
			l.Rows = append(l.Rows, []string{monthText(m), c.Name})
			l.Links = append(l.Links, "/meetings?org="+c.ID+"&month="+m.Format("2006-01"))
		}
	}
	return l, nil
}

func everyMonthDrill(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error) {
	cells, err := s.everyMonthCells(ctx, rc, nil, true)
	if err != nil {
		return nil, err
	}
	l := &dangvu.ReportList{Title: "Chi bộ sinh hoạt đủ các tháng", Columns: []string{"Chi bộ"}, Rows: [][]string{}}
	for _, c := range cells {
		l.Rows = append(l.Rows, []string{c.Name})
		l.Links = append(l.Links, "/meetings?org="+c.ID)
	}
	return l, nil
}

func threeMonthDrill(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error) {
	flags, err := s.periodFlags(ctx, rc.org.ID, rc.from, rc.to)
	if err != nil {
		return nil, err
	}
	l := &dangvu.ReportList{Title: "Đảng viên vắng sinh hoạt không lý do 3 tháng trong năm (Điều lệ Điều 8 khoản 1)", Columns: []string{"Đảng viên", "Chi bộ", "Năm", "Các tháng"}, Rows: [][]string{}}
	for _, f := range flags {
		l.Rows = append(l.Rows, []string{f.MemberName, f.OrgName, strconv.Itoa(f.Year), lapseText(f.Flag)})
		l.Links = append(l.Links, "/members/"+f.MemberID)
	}
	return l, nil
}

func residenceDrill(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error) {
	links, err := s.ResidenceLinks(ctx, rc.org.ID, rc.to)
	if err != nil {
		return nil, err
	}
	l := &dangvu.ReportList{Title: "Đảng viên đăng ký sinh hoạt nơi cư trú", Columns: []string{"Đảng viên", "Nơi công tác", "Chi bộ nơi cư trú", "Từ ngày"}, Rows: [][]string{}}
	for _, x := range links {
		l.Rows = append(l.Rows, []string{x.MemberName, x.WorkOrg, x.CellName, vnDate(x.From)})
		l.Links = append(l.Links, "/residence?org="+x.CellID)
	}
	return l, nil
}

func commentsDrill(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error) {
	cq, cargs := commentsIn(rc)
	rows, err := s.read.QueryContext(ctx, `SELECT l.member_id, COALESCE(mb.full_name, ''), l.cell_id, c.year, c.returned_on`+
		strings.Replace(cq, "WHERE", "LEFT JOIN members mb ON mb.id = l.member_id WHERE", 1)+` ORDER BY c.returned_on, l.id`, cargs...)
	if err != nil {
		return nil, fmt.Errorf("store: report: residence: %w", err)
	}
	defer rows.Close()
	l := &dangvu.ReportList{Title: "Phiếu nhận xét nơi cư trú đã trả", Columns: []string{"Đảng viên", "Chi bộ nơi cư trú", "Năm", "Ngày trả"}, Rows: [][]string{}}
	for rows.Next() {
		var member, name, cell, ret string
		var year int
		if err := rows.Scan(&member, &name, &cell, &year, &ret); err != nil {
			return nil, err
		}
		l.Rows = append(l.Rows, []string{name, s.orgName(ctx, cell, isoDate(ret)), strconv.Itoa(year), vnDate(ret)})
		l.Links = append(l.Links, "/residence?org="+cell)
	}
	return l, rows.Err()
}

// meetingAttention lists, for the month of asOf: the cells of the subtree whose regular meeting
// is due (within soon days) or past due and not held; held meetings whose minutes are not
// published by their deadline; members with three months of unexcused absence this year.
func meetingAttention(ctx context.Context, s *Store, org dangvu.Org, asOf string, soon int) ([]dangvu.Attention, error) {
	out := []dangvu.Attention{}
	month := asOf[:7]
	cells, err := s.WardMonth(ctx, org.ID, month)
	if err != nil {
		return nil, err
	}
	first, _ := dangvu.ParseISODate(month + "-01")
	rules := meetings.For(first)
	for _, c := range cells {
		switch {
		case c.Held.IsZero() && c.Due.String() <= addDays(asOf, soon):
			a := dangvu.Attention{Kind: "meeting_due", Title: "Chưa sinh hoạt chi bộ thường kỳ tháng " + monthText(first), OrgID: c.OrgID, OrgName: c.OrgName,
				Due: c.Due, Overdue: c.Due.String() < asOf, Link: "/meetings?org=" + c.OrgID, Rule: rules.Source[meetings.RuleDay].Citation}
			if a.Overdue {
				a.Kind = "meeting_overdue"
			}
			out = append(out, a)
		case !c.Held.IsZero() && c.Published.IsZero() && !c.PublishBy.IsZero() && c.PublishBy.String() <= addDays(asOf, soon):
			out = append(out, dangvu.Attention{Kind: "minutes_unpublished", Title: "Chưa công bố biên bản, nghị quyết sinh hoạt chi bộ", OrgID: c.OrgID, OrgName: c.OrgName,
				Detail: "Họp ngày " + vnDate(c.Held.String()), Due: c.PublishBy, Overdue: c.PublishBy.String() < asOf, Link: "/meetings/" + c.MeetingID, Rule: rules.Source[meetings.RulePublish].Citation})
		}
	}
	y, _ := strconv.Atoi(asOf[:4])
	flags, err := s.ThreeMonths(ctx, org.ID, y, month)
	if err != nil {
		return nil, err
	}
	for _, f := range flags {
		if !slices.ContainsFunc(f.Lapses, func(l meetings.Lapse) bool { return l.Kind == meetings.LapseAbsence }) {
			continue // unpaid dues alone: the dues ledger's own item (dues_arrears_3m) says it
		}
		out = append(out, dangvu.Attention{Kind: "member_three_months", Title: "Đảng viên " + f.MemberName + " bỏ sinh hoạt hoặc không đóng đảng phí " + strconv.Itoa(len(f.Months)) + " tháng trong năm",
			Detail: lapseText(f.Flag) + ": chi bộ xem xét, đề nghị xoá tên (không tự động)", OrgID: f.OrgID, OrgName: f.OrgName, MemberID: f.MemberID,
			Due: isoDate(asOf), Overdue: true, Link: "/members/" + f.MemberID, Rule: "Điều lệ Đảng Điều 8 khoản 1"})
	}
	return out, nil
}

// lapseText lists a flag's months with what was recorded in each: "tháng 02/2026 vắng sinh hoạt
// không có lý do (Không báo); tháng 09/2026 không đóng đảng phí".
func lapseText(f meetings.Flag) string {
	var parts []string
	for _, l := range f.Lapses {
		p := "tháng " + monthText(l.Month) + " " + l.Kind.Name()
		if l.Reason != "" && !strings.EqualFold(l.Reason, l.Kind.Name()) {
			p += " (" + l.Reason + ")"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

// monthText is a month as written in Vietnamese documents: 01/2026.
func monthText(m time.Time) string { return fmt.Sprintf("%02d/%04d", int(m.Month()), m.Year()) }
