package store

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"dangvu"
	"dangvu/internal/rules/badges"
	"dangvu/internal/rules/records"
	"dangvu/internal/vn"
)

// The member-files figures of the term report (docs/member-files.md, "Report figures"):
//   - member_files_complete_pct: of the members on the as-of date, the share whose file holds
//     every required document (catalogue in force that day; documents added by then), two decimals;
//   - member_files_missing: those members whose file lacks one;
//   - badges_due: members reaching a milestone, net of gaps, by the next ceremony date on or after
//     the as-of date (due or delayed to it), not yet awarded it;
//   - supplements_certified: supplements certified within the period whose cell lay in the subtree;
//   - badges_awarded: badges (reissues aside) of ceremonies within the period, decided or
//     presented, whose proposing organisation lay in the subtree on the ceremony day.
var filesDomain = domain{
	name:       "files",
	tables:     fileTables,
	sections:   []reportSection{filesSection},
	listAction: dangvu.ActReadMemberFiles,
	drills: map[string]reportDrill{
		"member_files_missing":  filesMissingDrill,
		"badges_due":            badgesDueDrill,
		"supplements_certified": supplementsCertifiedDrill,
		"badges_awarded":        badgesAwardedDrill,
	},
	attention: []attentionSource{{dangvu.ActReadMemberFiles, badgeAttention}, {dangvu.ActReadMemberFiles, supplementAttention}},
}

// fileChecks returns, for the members of rc's subtree on its as-of date, which lack a required
// document (member id → the missing types), and how many members there are.
func (s *Store) fileChecks(ctx context.Context, rc *reportCtx) (map[string][]records.DocType, []string, error) {
	lo, hi := subtreeRange(rc.org.Path)
	cat := records.For(rc.q.AsOf)
	req := cat.RequiredFor(true)
	// Only the required types are read, and no sort in SQL: a province's members hold some
	// 100.000 documents, most of which a completeness check does not need.
	args := []any{rc.asOf}
	var ph []string
	for _, t := range req {
		ph, args = append(ph, "?"), append(args, t.No)
	}
	if len(ph) == 0 {
		ph = append(ph, "NULL")
	}
	rows, err := s.read.QueryContext(ctx, `SELECT r.member_id, r.status, f.type_no FROM roster r
		LEFT JOIN file_documents f ON f.member_id = r.member_id AND f.added_on <= ? AND f.type_no IN (`+strings.Join(ph, ",")+`)
		WHERE r.path >= ? AND r.path < ? AND r.valid_from <= ? AND r.valid_to > ?`, append(args, lo, hi, rc.asOf, rc.asOf)...)
	if err != nil {
		return nil, nil, fmt.Errorf("store: report: files: %w", err)
	}
	defer rows.Close()
	type file struct {
		status string
		held   []int
	}
	files := map[string]*file{}
	var ids []string
	for rows.Next() {
		var id, st string
		var no *int
		if err := rows.Scan(&id, &st, &no); err != nil {
			return nil, nil, err
		}
		f := files[id]
		if f == nil {
			f = &file{}
			files[id] = f
			ids = append(ids, id)
		}
		f.status = st
		if no != nil {
			f.held = append(f.held, *no)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	slices.Sort(ids)
	missing := map[string][]records.DocType{}
	for _, id := range ids {
		f := files[id]
		full := dangvu.Status(f.status) != dangvu.StatusProbationary
		for _, t := range req {
			if t.Required == records.RequiredFull && !full {
				continue
			}
			if !slices.Contains(f.held, t.No) {
				missing[id] = append(missing[id], t)
			}
		}
	}
	return missing, ids, nil
}

// fileCounts counts the members of rc's subtree on its as-of date and those whose file lacks a
// required document, as fileChecks decides, in one aggregate read: per member, how many of the
// types every file needs and of those only a full member's file needs it holds (documents added
// by then; index-only reads of file_documents_member). A province's or the country's check
// keeps no member in memory. (One subquery counting both kinds with COUNT(DISTINCT CASE …) was
// slower on SQLite: 2,1 against 1,7 s for the section at 95.000 members.)
func (s *Store) fileCounts(ctx context.Context, rc *reportCtx) (members, missing int, err error) {
	// The root and the provinces read the counts kept by the writes (reached_kept.go).
	if m, x, ok, err := s.filesKeptCounts(ctx, rc); err != nil || ok {
		return m, x, err
	}
	return s.fileCountsRead(ctx, rc)
}

// fileCountsRead is fileCounts from the members' documents.
func (s *Store) fileCountsRead(ctx context.Context, rc *reportCtx) (members, missing int, err error) {
	lo, hi := subtreeRange(rc.org.Path)
	var all, full []any
	for _, t := range records.For(rc.q.AsOf).RequiredFor(true) {
		if t.Required == records.RequiredFull {
			full = append(full, t.No)
		} else {
			all = append(all, t.No)
		}
	}
	held := func(types []any) (string, []any) {
		ph := "NULL"
		if len(types) > 0 {
			ph = strings.TrimSuffix(strings.Repeat("?,", len(types)), ",")
		}
		return `(SELECT COUNT(DISTINCT f.type_no) FROM file_documents f WHERE f.member_id = r.member_id AND f.added_on <= ? AND f.type_no IN (` + ph + `))`,
			append([]any{rc.asOf}, types...)
	}
	qa, aa := held(all)
	qf, af := held(full)
	args := append(append(append([]any{len(all), string(dangvu.StatusProbationary), len(full)}, aa...), af...), lo, hi, rc.asOf, rc.asOf)
	err = s.read.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN x.na < ? OR (x.status <> ? AND x.nf < ?) THEN 1 ELSE 0 END), 0)
		FROM (SELECT r.status, `+qa+` AS na, `+qf+` AS nf FROM roster r
			WHERE r.path >= ? AND r.path < ? AND r.valid_from <= ? AND r.valid_to > ?) x`, args...).Scan(&members, &missing)
	if err != nil {
		return 0, 0, fmt.Errorf("store: report: files: %w", err)
	}
	return members, missing, nil
}

// supplementsCertifiedIn selects supplements certified within [from, to] whose cell lay in the
// subtree (bound last) on the certification day.
func supplementsCertifiedIn(rc *reportCtx) (string, []any) {
	under, args := rc.under("p.path", "x.certified_on", false)
	return ` FROM supplements x JOIN org_paths p ON p.org_id = x.org_id AND ` + onDay.covers("p", "x.certified_on") + `
	WHERE x.status = 'certified' AND x.certified_on >= ? AND x.certified_on <= ? AND ` + under, append([]any{rc.from, rc.to}, args...)
}

// badgesAwardedIn selects badges of ceremonies within [from, to], decided or presented, whose
// proposing organisation lay in the subtree on the ceremony day.
func badgesAwardedIn(rc *reportCtx) (string, []any) {
	under, args := rc.under("p.path", "b.ceremony", false)
	return ` FROM badges b JOIN org_paths p ON p.org_id = b.org_id AND ` + onDay.covers("p", "b.ceremony") + `
	WHERE b.kind <> 'reissue' AND (b.decided_on <> '' OR b.presented_on <> '') AND b.ceremony >= ? AND b.ceremony <= ? AND ` + under, append([]any{rc.from, rc.to}, args...)
}

// badgesAwarded counts badgesAwardedIn's badges: for the root and the provinces from the tallies.
func (s *Store) badgesAwarded(ctx context.Context, rc *reportCtx) (int, error) {
	if counts, ok, err := s.tallied(ctx, rc, badgeTally); err != nil || ok {
		return counts[""], err
	}
	var n int
	bq, bargs := badgesAwardedIn(rc)
	if err := s.read.QueryRowContext(ctx, `SELECT count(*)`+bq, bargs...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: report: badges: %w", err)
	}
	return n, nil
}

func filesSection(ctx context.Context, s *Store, rc *reportCtx, r *dangvu.Report) error {
	members, missing, err := s.fileCounts(ctx, rc)
	if err != nil {
		return err
	}
	pct := 0.0
	if members > 0 {
		pct = math.Round(10000*float64(members-missing)/float64(members)) / 100
	}
	r.Set("member_files_complete_pct", "Tỷ lệ đảng viên có đủ tài liệu bắt buộc trong hồ sơ (%)", pct)
	r.Set("member_files_missing", "Đảng viên thiếu tài liệu bắt buộc trong hồ sơ", missing)
	due, err := s.badgesDue(ctx, rc.org.ID, badges.NextCeremony(rc.q.AsOf), rc.q.AsOf)
	if err != nil {
		return err
	}
	r.Set("badges_due", "Đảng viên đến mốc tặng Huy hiệu Đảng vào đợt trao tới", due)

	var n int
	sq, sargs := supplementsCertifiedIn(rc)
	if err := s.read.QueryRowContext(ctx, `SELECT count(*)`+sq, sargs...).Scan(&n); err != nil {
		return fmt.Errorf("store: report: supplements: %w", err)
	}
	r.Set("supplements_certified", "Phiếu bổ sung hồ sơ đảng viên được xác nhận", n)
	n, err = s.badgesAwarded(ctx, rc)
	if err != nil {
		return err
	}
	r.Set("badges_awarded", "Huy hiệu Đảng được tặng", n)
	return nil
}

func filesMissingDrill(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error) {
	missing, ids, err := s.fileChecks(ctx, rc)
	if err != nil {
		return nil, err
	}
	l := &dangvu.ReportList{Title: "Đảng viên thiếu tài liệu bắt buộc trong hồ sơ", Columns: []string{"Đảng viên", "Tài liệu còn thiếu"}, Rows: [][]string{}}
	for _, id := range ids {
		ts := missing[id]
		if len(ts) == 0 {
			continue
		}
		m, err := s.member(ctx, s.read, id, rc.q.AsOf)
		if err != nil {
			return nil, err
		}
		names := make([]string, len(ts))
		for i, t := range ts {
			names[i] = fmt.Sprintf("%02d. %s", t.No, t.Name)
		}
		l.Rows = append(l.Rows, []string{m.FullName, strings.Join(names, "; ")})
		l.Links = append(l.Links, "/members/"+id+"/file")
	}
	return l, nil
}

func badgesDueDrill(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error) {
	c := badges.NextCeremony(rc.q.AsOf)
	due, err := s.badgeCandidates(ctx, rc.org.ID, c, rc.q.AsOf, true, true)
	if err != nil {
		return nil, err
	}
	l := &dangvu.ReportList{Title: "Đến mốc tặng Huy hiệu Đảng đợt " + vn.FormatDate(c), Columns: []string{"Đảng viên", "Tổ chức", "Mốc (năm)", "Ngày đủ mốc", "Căn cứ"}, Rows: [][]string{}}
	for _, b := range due {
		l.Rows = append(l.Rows, []string{b.FullName, b.OrgName, strconv.Itoa(b.Milestone), vnDate(b.Reached), b.Reason})
		l.Links = append(l.Links, "/badges?ceremony="+dateArg(c)+"&org="+rc.org.ID)
	}
	return l, nil
}

func supplementsCertifiedDrill(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error) {

	sq, sargs := supplementsCertifiedIn(rc)
	rows, err := s.read.QueryContext(ctx, `SELECT x.id, x.member_id, x.org_id, x.year, x.certified_on`+sq+` ORDER BY x.certified_on, x.id`, sargs...)
	if err != nil {
		return nil, fmt.Errorf("store: report: supplements: %w", err)
	}
	type row struct {
		id, member, org, on string
		year                int
	}
	var got []row
	for rows.Next() {
		var x row
		if err := rows.Scan(&x.id, &x.member, &x.org, &x.year, &x.on); err != nil {
			rows.Close()
			return nil, err
		}
		got = append(got, x)
	}
	rows.Close()
	l := &dangvu.ReportList{Title: "Phiếu bổ sung hồ sơ được xác nhận", Columns: []string{"Đảng viên", "Chi bộ", "Năm", "Ngày xác nhận"}, Rows: [][]string{}}
	for _, x := range got {
		m, err := s.member(ctx, s.read, x.member, rc.q.AsOf)
		if err != nil {
			return nil, err
		}
		l.Rows = append(l.Rows, []string{m.FullName, s.orgName(ctx, x.org, isoDate(x.on)), strconv.Itoa(x.year), vnDate(x.on)})
		l.Links = append(l.Links, "/supplements/"+x.id)
	}
	return l, rows.Err()
}

func badgesAwardedDrill(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error) {

	bq, bargs := badgesAwardedIn(rc)
	rows, err := s.read.QueryContext(ctx, `SELECT b.member_id, b.org_id, b.milestone, b.kind, b.ceremony`+bq+` ORDER BY b.ceremony, b.milestone DESC, b.id`, bargs...)
	if err != nil {
		return nil, fmt.Errorf("store: report: badges: %w", err)
	}
	type row struct {
		member, org, kind, cer string
		n                      int
	}
	var got []row
	for rows.Next() {
		var x row
		if err := rows.Scan(&x.member, &x.org, &x.n, &x.kind, &x.cer); err != nil {
			rows.Close()
			return nil, err
		}
		got = append(got, x)
	}
	rows.Close()
	l := &dangvu.ReportList{Title: "Huy hiệu Đảng được tặng", Columns: []string{"Đảng viên", "Tổ chức đề nghị", "Mốc (năm)", "Hình thức", "Ngày trao"}, Rows: [][]string{}}
	for _, x := range got {
		d, _ := dangvu.ParseISODate(x.cer)
		m, err := s.member(ctx, s.read, x.member, d)
		if err != nil {
			return nil, err
		}
		l.Rows = append(l.Rows, []string{m.FullName, s.orgName(ctx, x.org, isoDate(x.cer)), strconv.Itoa(x.n), dangvu.CodeName(dangvu.BadgeKinds, x.kind), vnDate(x.cer)})
		l.Links = append(l.Links, "/members/"+x.member)
	}
	return l, rows.Err()
}

// badgeAttention lists, from the proposal lead time before the next ceremony (3 months, data),
// the members of the subtree due a badge at it and not yet awarded: one item per organisation.
func badgeAttention(ctx context.Context, s *Store, org dangvu.Org, asOf string, soon int) ([]dangvu.Attention, error) {
	day, err := dangvu.ParseISODate(asOf)
	if err != nil {
		return nil, err
	}
	c := badges.NextCeremony(day)
	set := badges.For(c)
	if day.Before(c.AddDate(0, -set.LeadMonths, 0)) {
		return nil, nil
	}
	due, err := s.badgesDue(ctx, org.ID, c, day)
	if err != nil || due == 0 {
		return nil, err
	}
	return []dangvu.Attention{{Kind: "badges_due", Title: "Lập danh sách đề nghị tặng Huy hiệu Đảng (mẫu 4-HHĐ)",
		Detail: fmt.Sprintf("%s đảng viên đến mốc tuổi đảng vào đợt trao ngày %s", vn.FormatInt(int64(due)), vn.FormatDate(c)),
		OrgID:  org.ID, OrgName: org.Name, Due: dangvu.DateOf(c), Link: "/badges?ceremony=" + dateArg(c) + "&org=" + org.ID,
		Rule: set.Name + " — " + set.Cite("ceremonies")}}, nil
}

// supplementAttention lists the cells of the subtree whose supplements of a past year are not
// all certified by 31 March of the next year (the deadline is this office's practice: the yearly
// supplement goes with the year-end review, its timing unconfirmed), overdue from then.
func supplementAttention(ctx context.Context, s *Store, org dangvu.Org, asOf string, soon int) ([]dangvu.Attention, error) {
	lo, hi := subtreeRange(org.Path)
	rows, err := s.read.QueryContext(ctx, `SELECT x.org_id, x.year, count(*) FROM supplements x
		JOIN org_paths p ON p.org_id = x.org_id AND p.valid_from <= ? AND p.valid_to > ? AND p.path >= ? AND p.path < ?
		WHERE x.status <> 'certified' GROUP BY x.org_id, x.year ORDER BY x.year, x.org_id`, asOf, asOf, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("store: attention: supplements: %w", err)
	}
	type cell struct {
		org  string
		year int
		n    int
	}
	var cs []cell
	for rows.Next() {
		var c cell
		if err := rows.Scan(&c.org, &c.year, &c.n); err != nil {
			rows.Close()
			return nil, err
		}
		cs = append(cs, c)
	}
	rows.Close()
	out := []dangvu.Attention{}
	limit := addDays(asOf, soon)
	for _, c := range cs {
		due := fmt.Sprintf("%04d-03-31", c.year+1)
		if due > limit {
			continue
		}
		out = append(out, dangvu.Attention{Kind: "supplements_overdue", Title: "Phiếu bổ sung hồ sơ đảng viên chưa được xác nhận",
			Detail: fmt.Sprintf("Năm %d: %s phiếu chưa xác nhận", c.year, vn.FormatInt(int64(c.n))), OrgID: c.org, OrgName: s.orgName(ctx, c.org, isoDate(asOf)),
			Due: isoDate(due), Overdue: due < asOf, Link: fmt.Sprintf("/supplements?year=%d&org=%s", c.year, c.org),
			Rule: "Bổ sung hồ sơ đảng viên hằng năm (HD 38-HD/BTCTW; thời hạn 31/3 năm sau là thực tế của văn phòng, chưa xác minh)"})
	}
	return out, rows.Err()
}
