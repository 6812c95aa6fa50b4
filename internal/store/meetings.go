package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/rules/dues"
	"dangvu/internal/rules/meetings"
	"dangvu/internal/vn"
	"dangvu/internal/workday"
)

// The cells' meeting register (docs/meetings.md): meetings planned and held, attendance by
// exception, minutes with the questions voted, the quality score, the resolution; the
// residence liaison of working members.

const meetingCols = `id, org_id, kind, topic, month, status, planned_on, held_on, place, chair, clerk, duration_minutes, content_results, content_tasks,
	content_issues, prepared_by, agreed_on, liaison, liaison_invited, liaison_attended, docs_sent_on, on_roll, present, guests, agenda, discussion,
	conclusions, quality_points, quality_band, reviewed_points, reviewed_band, resolution_number, resolution_text, published_on, note`

func scanMeeting(sc interface{ Scan(...any) error }) (dangvu.CellMeeting, error) {
	var m dangvu.CellMeeting
	var pts, rpts sql.NullInt64
	var inv, att int
	err := sc.Scan(&m.ID, &m.OrgID, &m.Kind, &m.Topic, &m.Month, &m.Status, &m.Planned, &m.Held, &m.Place, &m.Chair, &m.Clerk, &m.Minutes,
		&m.Results, &m.Tasks, &m.Issues, &m.PreparedBy, &m.AgreedOn, &m.Liaison, &inv, &att, &m.DocsSentOn, &m.OnRoll, &m.Present, &m.Guests,
		&m.Agenda, &m.Discussion, &m.Conclusions, &pts, &m.Band, &rpts, &m.ReviewBand, &m.Resolution, &m.ResolutionTxt, &m.PublishedOn, &m.Note)
	m.LiaisonInvited, m.LiaisonAttended = inv == 1, att == 1
	if pts.Valid {
		n := int(pts.Int64)
		m.Points = &n
	}
	if rpts.Valid {
		n := int(rpts.Int64)
		m.ReviewPoints = &n
	}
	return m, err
}

func meetingArgs(m dangvu.CellMeeting) []any {
	var pts, rpts any
	if m.Points != nil {
		pts = *m.Points
	}
	if m.ReviewPoints != nil {
		rpts = *m.ReviewPoints
	}
	return []any{m.ID, m.OrgID, string(m.Kind), m.Topic, m.Month, string(m.Status), m.Planned, m.Held, m.Place, m.Chair, m.Clerk, m.Minutes,
		m.Results, m.Tasks, m.Issues, m.PreparedBy, m.AgreedOn, m.Liaison, boolInt(m.LiaisonInvited), boolInt(m.LiaisonAttended), m.DocsSentOn,
		m.OnRoll, m.Present, m.Guests, m.Agenda, m.Discussion, m.Conclusions, pts, m.Band, rpts, m.ReviewBand, m.Resolution, m.ResolutionTxt, m.PublishedOn, m.Note}
}

// Meeting returns a meeting with its exceptions to attendance (names filled) and decisions.
func (s *Store) Meeting(ctx context.Context, id string) (dangvu.CellMeeting, error) {
	return s.meeting(ctx, s.read, id)
}

func (s *Store) meeting(ctx context.Context, q queryer, id string) (dangvu.CellMeeting, error) {
	m, err := scanMeeting(q.QueryRowContext(ctx, `SELECT `+meetingCols+` FROM meetings WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, dangvu.Errorf(dangvu.ENotFound, "không có cuộc họp mã %q", id)
	}
	if err != nil {
		return m, fmt.Errorf("store: meeting: %w", err)
	}
	m.Attendance, err = scanAll(ctx, q, `SELECT a.meeting_id, a.member_id, COALESCE(mb.full_name, ''), a.mark, a.reason FROM meeting_attendance a
		LEFT JOIN members mb ON mb.id = a.member_id WHERE a.meeting_id = ? ORDER BY a.mark, mb.full_name, a.member_id`, []any{id},
		func(sc interface{ Scan(...any) error }) (dangvu.MeetingAttendance, error) {
			var a dangvu.MeetingAttendance
			return a, sc.Scan(&a.MeetingID, &a.MemberID, &a.MemberName, &a.Mark, &a.Reason)
		})
	if err != nil {
		return m, fmt.Errorf("store: meeting: %w", err)
	}
	m.Decisions, err = scanAll(ctx, q, `SELECT meeting_id, seq, title, votes_for, votes_against, votes_abstain, conclusion FROM meeting_decisions
		WHERE meeting_id = ? ORDER BY seq`, []any{id},
		func(sc interface{ Scan(...any) error }) (dangvu.MeetingDecision, error) {
			var d dangvu.MeetingDecision
			return d, sc.Scan(&d.MeetingID, &d.Seq, &d.Title, &d.For, &d.Against, &d.Abstain, &d.Conclusion)
		})
	if err != nil {
		return m, fmt.Errorf("store: meeting: %w", err)
	}
	if day := meetingDay(m); day != "" {
		if t, err := dangvu.ParseISODate(day); err == nil {
			if o, err := s.Org(ctx, m.OrgID, t); err == nil {
				m.OrgName = o.Name
			}
		}
	}
	return m, nil
}

// meetingDay is the day a meeting is placed on: held, else planned, else its month's first.
func meetingDay(m dangvu.CellMeeting) string {
	switch {
	case !m.Held.IsZero():
		return m.Held.String()
	case !m.Planned.IsZero():
		return m.Planned.String()
	case m.Month != "":
		return m.Month + "-01"
	}
	return ""
}

// MeetingFilter selects meetings of the organisations in Under's subtree (as the tree stands
// on each meeting's day), of months From..To (yyyy-mm, both included), of a kind.
type MeetingFilter struct {
	Under    string
	From, To string
	Kind     dangvu.MeetingKind
	Limit    int
}

// Meetings lists meetings, newest month first (without attendance and decisions).
func (s *Store) Meetings(ctx context.Context, f MeetingFilter) ([]dangvu.CellMeeting, error) {
	where, args := []string{"1=1"}, []any{}
	if f.From != "" {
		where, args = append(where, "m.month >= ?"), append(args, f.From)
	}
	if f.To != "" {
		where, args = append(where, "m.month <= ?"), append(args, f.To)
	}
	if f.Kind != "" {
		where, args = append(where, "m.kind = ?"), append(args, string(f.Kind))
	}
	if f.Under != "" {
		in, ids, err := s.subtreeMeetingOrgs(ctx, s.read, f.Under, f.From, f.To)
		if err != nil {
			return nil, err
		}
		if in != "" {
			where, args = append(where, in), append(args, ids...)
		}
		where = append(where, `EXISTS (SELECT 1 FROM org_paths p WHERE p.org_id = m.org_id AND `+onDay.covers("p", meetingDayExpr)+` AND `+onDay.under("p.path", meetingDayExpr, false)+`)`)
		args = append(args, f.Under)
	}
	limit := f.Limit
	if limit <= 0 || limit > 5000 {
		limit = 5000
	}
	out, err := scanAll(ctx, s.read, `SELECT `+prefixCols("m", meetingCols)+` FROM meetings m WHERE `+strings.Join(where, " AND ")+
		fmt.Sprintf(` ORDER BY m.month DESC, m.org_id, m.kind, m.id LIMIT %d`, limit), args, scanMeeting)
	if err != nil {
		return nil, fmt.Errorf("store: meetings: %w", err)
	}
	names := map[string]string{}
	for i := range out {
		if n, ok := names[out[i].OrgID]; ok {
			out[i].OrgName = n
			continue
		}
		if t, err := dangvu.ParseISODate(meetingDay(out[i])); err == nil {
			if o, err := s.Org(ctx, out[i].OrgID, t); err == nil {
				names[out[i].OrgID], out[i].OrgName = o.Name, o.Name
			}
		}
	}
	return out, nil
}

// subtreeMeetingOrgs narrows a query of the meetings of org's subtree over months from..to
// (yyyy-mm, "" open) to the organisations that could hold them: those whose path, at some time
// in the range, lay under a path org had in the range (an index range on org_paths). The
// meetings are then read by organisation (meetings_org) instead of every meeting of the months;
// the exact placement on each meeting's day is still checked by the caller. It returns the
// clause "m.org_id IN (…)" with its arguments, or "" when the subtree is too large for a list
// (a province, the country), where reading the months is as good.
func (s *Store) subtreeMeetingOrgs(ctx context.Context, q queryer, org, from, to string) (string, []any, error) {
	// A meeting's day may lie outside its month (held late, planned early): two months' margin.
	lo, hi := "0000-01-01", "9999-12-31"
	if t, err := dangvu.ParseISODate(from + "-01"); err == nil {
		lo = dangvu.ISO(t.AddDate(0, -2, 0))
	}
	if t, err := dangvu.ParseISODate(to + "-01"); err == nil {
		hi = dangvu.ISO(t.AddDate(0, 3, 0))
	}
	// The organisation's paths first, then the organisations under them by constant ranges of
	// the path index: as one self-join with the range computed from u.path, PostgreSQL read
	// every organisation's path in id order (40.000 at a million members, 10–20 ms, five times
	// in a ward's report).
	paths, err := column(ctx, q, `SELECT path FROM org_paths WHERE org_id = ? AND valid_from < ? AND valid_to > ?`, org, hi, lo)
	if err != nil {
		return "", nil, fmt.Errorf("store: meetings: %w", err)
	}
	if len(paths) == 0 {
		return "", nil, nil
	}
	var ranges []string
	args := []any{hi, lo}
	for _, p := range paths {
		plo, phi := subtreeRange(p)
		ranges = append(ranges, `(c.path >= ? AND c.path < ?)`)
		args = append(args, plo, phi)
	}
	ids, err := scanAll(ctx, q, `SELECT DISTINCT c.org_id FROM org_paths c WHERE c.valid_from < ? AND c.valid_to > ? AND (`+strings.Join(ranges, " OR ")+`) LIMIT 1001`, args,
		func(sc interface{ Scan(...any) error }) (any, error) {
			var id string
			return id, sc.Scan(&id)
		})
	if err != nil {
		return "", nil, fmt.Errorf("store: meetings: %w", err)
	}
	if len(ids) == 0 || len(ids) > 1000 {
		return "", nil, nil
	}
	return "m.org_id IN (" + placeholders(len(ids)) + ")", ids, nil
}

// meetingDayExpr is meetingDay in SQL, over alias m.
const meetingDayExpr = `(CASE WHEN m.held_on <> '' THEN m.held_on WHEN m.planned_on <> '' THEN m.planned_on ELSE m.month || '-01' END)`

func prefixCols(alias, cols string) string {
	var out []string
	for _, c := range strings.Split(cols, ",") {
		out = append(out, alias+"."+strings.TrimSpace(c))
	}
	return strings.Join(out, ", ")
}

// cellMembers returns the members of the cell on day with their status (roster).
func (s *Store) cellMembers(ctx context.Context, q queryer, org, day string) (map[string]dangvu.Status, error) {
	rows, err := q.QueryContext(ctx, `SELECT member_id, status FROM roster WHERE org_id = ? AND valid_from <= ? AND valid_to > ?`, org, day, day)
	if err != nil {
		return nil, fmt.Errorf("store: cell members: %w", err)
	}
	defer rows.Close()
	out := map[string]dangvu.Status{}
	for rows.Next() {
		var id string
		var st dangvu.Status
		if err := rows.Scan(&id, &st); err != nil {
			return nil, err
		}
		out[id] = st
	}
	return out, rows.Err()
}

// CellRoll is a cell's members on a day, for the attendance form: those expected and those
// shown apart (exempt).
type CellRoll struct {
	Expected []dangvu.Member
	Exempt   []dangvu.Member
}

// MeetingRoll lists the members of a meeting's cell on its day.
func (s *Store) MeetingRoll(ctx context.Context, org, day string) (CellRoll, error) {
	var r CellRoll
	rows, err := s.read.QueryContext(ctx, `SELECT r.member_id, m.full_name, r.status FROM roster r JOIN members m ON m.id = r.member_id
		WHERE r.org_id = ? AND r.valid_from <= ? AND r.valid_to > ? ORDER BY m.full_name, r.member_id`, org, day, day)
	if err != nil {
		return r, fmt.Errorf("store: roll: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m dangvu.Member
		if err := rows.Scan(&m.ID, &m.FullName, &m.Status); err != nil {
			return r, err
		}
		if m.Status == dangvu.StatusProbationary || m.Status == dangvu.StatusFull {
			r.Expected = append(r.Expected, m)
		} else {
			r.Exempt = append(r.Exempt, m)
		}
	}
	return r, rows.Err()
}

// validateMeeting checks a meeting's own fields (not its attendance or minutes).
func (s *Store) validateMeeting(ctx context.Context, m *dangvu.CellMeeting) []dangvu.FieldError {
	var errs []dangvu.FieldError
	if !dangvu.ValidCode(dangvu.MeetingKinds, m.Kind) {
		errs = append(errs, mtBad("kind", "loại cuộc họp %q không hợp lệ; dùng regular, thematic hoặc committee", m.Kind))
	}
	if m.Kind == dangvu.MeetingThematic && strings.TrimSpace(m.Topic) == "" {
		errs = append(errs, mtBad("topic", "sinh hoạt chuyên đề cần chủ đề"))
	}
	if m.Status == "" {
		m.Status = dangvu.MeetingPlanned
		if !m.Held.IsZero() {
			m.Status = dangvu.MeetingHeld
		}
	}
	if !dangvu.ValidCode(dangvu.MeetingStatuses, m.Status) {
		errs = append(errs, mtBad("status", "trạng thái %q không hợp lệ; dùng planned, held hoặc missed", m.Status))
	}
	if m.Status == dangvu.MeetingHeld && m.Held.IsZero() {
		errs = append(errs, mtBad("held_on", "cuộc họp đã họp cần ngày họp"))
	}
	if m.Status != dangvu.MeetingHeld && !m.Held.IsZero() {
		errs = append(errs, mtBad("held_on", "cuộc họp chưa họp hoặc không họp không có ngày họp"))
	}
	if today := s.Clock.TodayDate(); m.Held.After(today) {
		errs = append(errs, mtBad("held_on", "ngày họp %s sau hôm nay (%s): chỉ ghi cuộc họp đã diễn ra; cuộc họp sắp tới ghi là kế hoạch (planned_on)", vn.FormatDate(m.Held.Time), vn.FormatDate(today.Time)))
	}
	if m.Month == "" {
		if d := meetingDay(*m); len(d) >= 7 {
			m.Month = d[:7]
		}
	}
	if _, err := dangvu.ParseISODate(m.Month + "-01"); err != nil || len(m.Month) != 7 {
		errs = append(errs, mtBad("month", "tháng %q không hợp lệ: cần yyyy-mm", m.Month))
		return errs
	}
	if m.Minutes < 0 || m.Minutes > 1440 {
		errs = append(errs, mtBad("duration_minutes", "thời gian họp phải từ 0 đến 1440 phút"))
	}
	day, _ := dangvu.ParseISODate(meetingDay(*m))
	o, err := s.Org(ctx, m.OrgID, day)
	if err != nil {
		errs = append(errs, mtBad("org_id", "không có tổ chức đảng mã %q ngày %s", m.OrgID, vn.FormatDate(day)))
		return errs
	}
	cell := o.Level == dangvu.LevelCell || o.Level == dangvu.LevelGrassrootsCell
	if m.Kind == dangvu.MeetingCommittee && cell && o.Level == dangvu.LevelCell {
		errs = append(errs, mtBad("kind", "%s là chi bộ trực thuộc: họp cấp ủy hằng tháng là của đảng bộ cơ sở", o.Name))
	}
	if m.Kind != dangvu.MeetingCommittee && !cell {
		errs = append(errs, mtBad("org_id", "%s không phải chi bộ: sinh hoạt chi bộ chỉ ghi cho chi bộ", o.Name))
	}
	return errs
}

// newMeetingID is the register's id of a cell's meeting: MT-<org>-<yyyy-mm>-<R|T|C><n>.
func (s *Store) newMeetingID(ctx context.Context, q queryer, m dangvu.CellMeeting) (string, error) {
	k := map[dangvu.MeetingKind]string{dangvu.MeetingRegular: "R", dangvu.MeetingThematic: "T", dangvu.MeetingCommittee: "C"}[m.Kind]
	base := "MT-" + m.OrgID + "-" + m.Month + "-" + k
	for n := 1; n < 100; n++ {
		id := base
		if n > 1 {
			id = fmt.Sprintf("%s%d", base, n)
		}
		var x int
		err := q.QueryRowContext(ctx, `SELECT count(*) FROM meetings WHERE id = ?`, id).Scan(&x)
		if err != nil {
			return "", fmt.Errorf("store: meeting id: %w", err)
		}
		if x == 0 {
			return id, nil
		}
	}
	return "", dangvu.Errorf(dangvu.EConflict, "quá nhiều cuộc họp cùng loại trong tháng %s", m.Month)
}

// CreateMeeting records a meeting planned, held (attendance then defaults to all present) or
// missed, in one transaction with the audit log.
func (s *Store) CreateMeeting(ctx context.Context, actor string, m dangvu.CellMeeting) (dangvu.CellMeeting, error) {
	m.ID = strings.TrimSpace(m.ID)
	if errs := s.validateMeeting(ctx, &m); len(errs) > 0 {
		return m, invalid("Cuộc họp chưa hợp lệ.", errs...)
	}
	if m.ID != "" && !idPattern.MatchString(m.ID) {
		return m, invalid("Cuộc họp chưa hợp lệ.", []dangvu.FieldError{mtBad("id", "mã %q không hợp lệ", m.ID)}...)
	}
	m.Points, m.Band, m.ReviewPoints, m.ReviewBand, m.Resolution, m.ResolutionTxt, m.PublishedOn = nil, "", nil, "", "", "", dangvu.Date{}
	m.Agenda, m.Discussion, m.Conclusions = "", "", ""
	err := s.tx(ctx, func(tx *dbTx) error {
		if m.ID == "" {
			id, err := s.newMeetingID(ctx, tx, m)
			if err != nil {
				return err
			}
			m.ID = id
		}
		if m.Status == dangvu.MeetingHeld {
			roll, err := s.cellMembers(ctx, tx, m.OrgID, m.Held.String())
			if err != nil {
				return err
			}
			m.OnRoll = 0
			for _, st := range roll {
				if st == dangvu.StatusProbationary || st == dangvu.StatusFull {
					m.OnRoll++
				}
			}
			m.Present = m.OnRoll
		} else {
			m.OnRoll, m.Present = 0, 0
		}
		// Meetings held are counted for the top of the tree (tallies.go), as each write below.
		err := keepMeeting(ctx, tx, m.ID, m.OrgID, func() error {
			_, err := tx.ExecContext(ctx, `INSERT INTO meetings (`+meetingCols+`) VALUES (`+placeholders(35)+`)`, meetingArgs(m)...)
			return err
		})
		if err != nil {
			if isUniqueViolation(err) {
				return dangvu.Errorf(dangvu.EConflict, "đã có cuộc họp mã %q", m.ID)
			}
			return fmt.Errorf("store: meeting: %w", err)
		}
		return s.audit(ctx, tx, actor, "create", "meeting", m.ID, nil, m)
	})
	if err != nil {
		return m, err
	}
	return s.Meeting(ctx, m.ID)
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// HoldMeeting marks a planned meeting as held on a day (all present by default) or missed.
func (s *Store) HoldMeeting(ctx context.Context, actor, id string, held dangvu.CellMeeting) (dangvu.CellMeeting, error) {
	before, err := s.Meeting(ctx, id)
	if err != nil {
		return before, err
	}
	if before.Status == dangvu.MeetingHeld {
		return before, dangvu.Errorf(dangvu.EConflict, "cuộc họp %s đã ghi là đã họp ngày %s", id, vnDate(before.Held))
	}
	m := before
	m.Status, m.Held = held.Status, held.Held
	for _, f := range []struct{ dst, src *string }{{&m.Place, &held.Place}, {&m.Chair, &held.Chair}, {&m.Clerk, &held.Clerk}, {&m.Guests, &held.Guests}, {&m.Note, &held.Note}} {
		if *f.src != "" {
			*f.dst = *f.src
		}
	}
	if held.Minutes > 0 {
		m.Minutes = held.Minutes
	}
	m.LiaisonAttended = held.LiaisonAttended
	if errs := s.validateMeeting(ctx, &m); len(errs) > 0 {
		return before, invalid("Cuộc họp chưa hợp lệ.", errs...)
	}
	err = s.tx(ctx, func(tx *dbTx) error {
		if m.Status == dangvu.MeetingHeld {
			roll, err := s.cellMembers(ctx, tx, m.OrgID, m.Held.String())
			if err != nil {
				return err
			}
			m.OnRoll = 0
			for _, st := range roll {
				if st == dangvu.StatusProbationary || st == dangvu.StatusFull {
					m.OnRoll++
				}
			}
			m.Present = m.OnRoll
		}
		err := keepMeeting(ctx, tx, id, m.OrgID, func() error {
			_, err := tx.ExecContext(ctx, `UPDATE meetings SET status = ?, held_on = ?, place = ?, chair = ?, clerk = ?, guests = ?, note = ?, duration_minutes = ?,
			liaison_attended = ?, on_roll = ?, present = ? WHERE id = ?`, string(m.Status), m.Held, m.Place, m.Chair, m.Clerk, m.Guests, m.Note, m.Minutes,
				boolInt(m.LiaisonAttended), m.OnRoll, m.Present, id)
			return err
		})
		if err != nil {
			return fmt.Errorf("store: meeting: %w", err)
		}
		return s.audit(ctx, tx, actor, "hold", "meeting", id, before, m)
	})
	if err != nil {
		return before, err
	}
	return s.Meeting(ctx, id)
}

// RecordAttendance replaces a held meeting's exceptions to "all present": each line names a
// member of the cell that day with a mark (absent with or without a reason, remote, active
// elsewhere, exempt). The counts on the roll and present follow.
func (s *Store) RecordAttendance(ctx context.Context, actor, id string, lines []dangvu.MeetingAttendance) (dangvu.CellMeeting, error) {
	before, err := s.Meeting(ctx, id)
	if err != nil {
		return before, err
	}
	if before.Status != dangvu.MeetingHeld {
		return before, invalid("Điểm danh chưa hợp lệ.", []dangvu.FieldError{mtBad("meeting_id", "cuộc họp %s chưa họp (%s): chỉ điểm danh cuộc họp đã diễn ra",
			id, dangvu.CodeName(dangvu.MeetingStatuses, before.Status))}...)
	}
	day := before.Held.Time
	rules := meetings.For(day)
	roll, err := s.cellMembers(ctx, s.read, before.OrgID, before.Held.String())
	if err != nil {
		return before, err
	}
	var errs []dangvu.FieldError
	seen := map[string]bool{}
	onRoll, absent := 0, 0
	for _, st := range roll {
		if st == dangvu.StatusProbationary || st == dangvu.StatusFull {
			onRoll++
		}
	}
	for i := range lines {
		a := &lines[i]
		f := fmt.Sprintf("attendance[%d]", i)
		a.MemberID, a.Reason = strings.TrimSpace(a.MemberID), strings.TrimSpace(a.Reason)
		st, ok := roll[a.MemberID]
		switch {
		case !ok:
			errs = append(errs, mtBad(f+".member_id", "đảng viên %q không sinh hoạt tại chi bộ %s ngày %s", a.MemberID, before.OrgName, vnDate(before.Held)))
		case seen[a.MemberID]:
			errs = append(errs, mtBad(f+".member_id", "đảng viên %q ghi hai lần", a.MemberID))
		}
		seen[a.MemberID] = true
		if !dangvu.ValidCode(dangvu.AttendMarks, a.Mark) {
			errs = append(errs, mtBad(f+".mark", "giá trị %q không hợp lệ; dùng excused, unexcused, remote, elsewhere hoặc exempt", a.Mark))
			continue
		}
		if a.Mark == dangvu.AttendExcused && a.Reason == "" {
			errs = append(errs, mtBad(f+".reason", "vắng có lý do: ghi lý do tại thời điểm vắng"))
		}
		if a.Mark == dangvu.AttendRemote && !rules.RemoteAllowed {
			errs = append(errs, mtBad(f+".mark", "%s", rules.Problem(f+".mark", meetings.RuleRemote, "ngày "+vnDate(before.Held)+" chưa được dự họp trực tuyến").String()))
		}
		if ok && (st == dangvu.StatusProbationary || st == dangvu.StatusFull) {
			switch a.Mark {
			case dangvu.AttendElsewhere, dangvu.AttendExempt:
				onRoll--
			case dangvu.AttendExcused, dangvu.AttendUnexcused:
				absent++
			}
		}
	}
	if len(errs) > 0 {
		return before, invalid("Điểm danh chưa hợp lệ.", errs...)
	}
	present := onRoll - absent
	for _, d := range before.Decisions {
		if d.For+d.Against+d.Abstain > present {
			return before, invalid("Điểm danh chưa hợp lệ.", []dangvu.FieldError{mtBad("attendance", "biểu quyết %d (%s) có %d phiếu, nhiều hơn %d đảng viên có mặt theo điểm danh này",
				d.Seq, d.Title, d.For+d.Against+d.Abstain, present)}...)
		}
	}
	err = s.tx(ctx, func(tx *dbTx) error {
		// The unexcused absences are counted for the top of the tree (tallies.go).
		err := keepTallies(ctx, tx, unexcusedTally, tallyIDs, []string{id}, func() error {
			if _, err := tx.ExecContext(ctx, `DELETE FROM meeting_attendance WHERE meeting_id = ?`, id); err != nil {
				return fmt.Errorf("store: attendance: %w", err)
			}
			for _, a := range lines {
				if _, err := tx.ExecContext(ctx, `INSERT INTO meeting_attendance (meeting_id, member_id, mark, reason) VALUES (?, ?, ?, ?)`, id, a.MemberID, a.Mark, a.Reason); err != nil {
					return fmt.Errorf("store: attendance: %w", err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		err = keepMeeting(ctx, tx, id, before.OrgID, func() error {
			_, err := tx.ExecContext(ctx, `UPDATE meetings SET on_roll = ?, present = ? WHERE id = ?`, onRoll, present, id)
			return err
		})
		if err != nil {
			return fmt.Errorf("store: attendance: %w", err)
		}
		return s.audit(ctx, tx, actor, "attendance", "meeting", id, before.Attendance, lines)
	})
	if err != nil {
		return before, err
	}
	return s.Meeting(ctx, id)
}

// Minutes is what the minutes and resolution of a held meeting record.
type Minutes struct {
	Agenda, Discussion, Conclusions string
	Decisions                       []dangvu.MeetingDecision
	Points                          *int
	Resolution, ResolutionText      string
	PublishedOn                     string
}

// RecordMinutes records a held meeting's minutes, its questions voted, the self-scored quality
// and the resolution: refused for a meeting not held, votes above the members present, a score
// outside the rubric in force on the meeting's day.
func (s *Store) RecordMinutes(ctx context.Context, actor, id string, in Minutes) (dangvu.CellMeeting, error) {
	before, err := s.Meeting(ctx, id)
	if err != nil {
		return before, err
	}
	if before.Status != dangvu.MeetingHeld {
		return before, invalid("Biên bản chưa hợp lệ.", []dangvu.FieldError{mtBad("meeting_id", "cuộc họp %s chưa diễn ra (%s): không có biên bản, nghị quyết",
			id, dangvu.CodeName(dangvu.MeetingStatuses, before.Status))}...)
	}
	day := before.Held.Time
	rules := meetings.For(day)
	var errs []dangvu.FieldError
	m := before
	m.Agenda, m.Discussion, m.Conclusions = strings.TrimSpace(in.Agenda), strings.TrimSpace(in.Discussion), strings.TrimSpace(in.Conclusions)
	m.Resolution, m.ResolutionTxt = strings.TrimSpace(in.Resolution), strings.TrimSpace(in.ResolutionText)
	m.Points, m.Band = in.Points, ""
	if in.Points != nil {
		b, p := rules.Score("quality_points", *in.Points)
		if p != nil {
			errs = append(errs, dangvu.FieldError{Field: p.Field, Reason: p.String()})
		}
		m.Band = string(b)
	}
	if m.Resolution != "" && !strings.Contains(m.Resolution, "-NQ/") {
		errs = append(errs, mtBad("resolution_number", "số nghị quyết %q: cần dạng 05-NQ/CB", m.Resolution))
	}
	if in.PublishedOn != "" {
		t, err := vn.ParseDate(in.PublishedOn)
		switch {
		case err != nil:
			errs = append(errs, mtBad("published_on", "%s", err.Error()))
		case t.Before(before.Held.Time):
			errs = append(errs, mtBad("published_on", "ngày công bố %s trước ngày họp %s", vn.FormatDate(t), vn.FormatDate(before.Held.Time)))
		case dangvu.ISO(t) > s.today():
			errs = append(errs, mtBad("published_on", "ngày công bố %s sau hôm nay", vn.FormatDate(t)))
		default:
			m.PublishedOn = dangvu.DateOf(t)
		}
	}
	for i := range in.Decisions {
		d := &in.Decisions[i]
		f := fmt.Sprintf("decisions[%d]", i)
		d.Seq, d.Title = i+1, strings.TrimSpace(d.Title)
		if d.Title == "" {
			errs = append(errs, mtBad(f+".title", "cần nêu vấn đề biểu quyết"))
		}
		if d.For < 0 || d.Against < 0 || d.Abstain < 0 {
			errs = append(errs, mtBad(f+".votes_for", "số phiếu không được âm"))
		}
		if n := d.For + d.Against + d.Abstain; n > before.Present {
			errs = append(errs, mtBad(f+".votes_for", "tổng số phiếu %d (tán thành %d, không tán thành %d, không biểu quyết %d) lớn hơn số đảng viên có mặt %d",
				n, d.For, d.Against, d.Abstain, before.Present))
		}
	}
	if len(errs) > 0 {
		return before, invalid("Biên bản chưa hợp lệ.", errs...)
	}
	m.Decisions = in.Decisions
	err = s.tx(ctx, func(tx *dbTx) error {
		var pts any
		if m.Points != nil {
			pts = *m.Points
		}
		err := keepMeeting(ctx, tx, id, m.OrgID, func() error {
			_, err := tx.ExecContext(ctx, `UPDATE meetings SET agenda = ?, discussion = ?, conclusions = ?, quality_points = ?, quality_band = ?,
			resolution_number = ?, resolution_text = ?, published_on = ? WHERE id = ?`, m.Agenda, m.Discussion, m.Conclusions, pts, m.Band,
				m.Resolution, m.ResolutionTxt, m.PublishedOn, id)
			return err
		})
		if err != nil {
			return fmt.Errorf("store: minutes: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM meeting_decisions WHERE meeting_id = ?`, id); err != nil {
			return fmt.Errorf("store: minutes: %w", err)
		}
		for _, d := range m.Decisions {
			if _, err := tx.ExecContext(ctx, `INSERT INTO meeting_decisions (meeting_id, seq, title, votes_for, votes_against, votes_abstain, conclusion) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				id, d.Seq, d.Title, d.For, d.Against, d.Abstain, strings.TrimSpace(d.Conclusion)); err != nil {
				return fmt.Errorf("store: minutes: %w", err)
			}
		}
		return s.audit(ctx, tx, actor, "minutes", "meeting", id, before, m)
	})
	if err != nil {
		return before, err
	}
	return s.Meeting(ctx, id)
}

// ReviewMeetingQuality records the ward's review of a meeting's self-scored quality.
func (s *Store) ReviewMeetingQuality(ctx context.Context, actor, id string, points int) (dangvu.CellMeeting, error) {
	before, err := s.Meeting(ctx, id)
	if err != nil {
		return before, err
	}
	if before.Status != dangvu.MeetingHeld {
		return before, invalid("Điểm chưa hợp lệ.", []dangvu.FieldError{mtBad("meeting_id", "cuộc họp %s chưa diễn ra", id)}...)
	}
	b, p := meetings.For(before.Held.Time).Score("reviewed_points", points)
	if p != nil {
		return before, invalid("Điểm chưa hợp lệ.", []dangvu.FieldError{{Field: p.Field, Reason: p.String()}}...)
	}
	err = s.tx(ctx, func(tx *dbTx) error {
		err := keepMeeting(ctx, tx, id, before.OrgID, func() error {
			_, err := tx.ExecContext(ctx, `UPDATE meetings SET reviewed_points = ?, reviewed_band = ? WHERE id = ?`, points, string(b), id)
			return err
		})
		if err != nil {
			return fmt.Errorf("store: meeting review: %w", err)
		}
		return s.audit(ctx, tx, actor, "review_quality", "meeting", id, before.ReviewPoints, points)
	})
	if err != nil {
		return before, err
	}
	return s.Meeting(ctx, id)
}

// ---- the ward's monthly view ----

// cellsUnder lists the cells (chi bộ) in org's subtree on day, with their names: a range of the
// path index under org's path that day (none when org does not exist that day).
func (s *Store) cellsUnder(ctx context.Context, org, day string) ([]dangvu.Org, error) {
	return s.cellsOf(ctx, org, day, true)
}

// cellsOf is cellsUnder, by name when named, else their ids only in no order (a figure's count:
// sorting the country's 38.000 cells by name was a fifth of a second).
func (s *Store) cellsOf(ctx context.Context, org, day string, named bool) ([]dangvu.Org, error) {
	var path string
	err := s.read.QueryRowContext(ctx, `SELECT path FROM org_paths WHERE org_id = ? AND `+onDay.covers("org_paths", "?"), org, day, day).Scan(&path)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: cells: %w", err)
	}
	lo, hi := subtreeRange(path)
	cols, order := `o.org_id, ''`, ``
	if named {
		cols, order = `o.org_id, o.name`, ` ORDER BY o.name, o.org_id`
	}
	return scanAll(ctx, s.read, `SELECT `+cols+` FROM org_paths p JOIN org_versions o ON o.org_id = p.org_id AND `+onDay.covers("o", "?")+`
		WHERE p.path >= ? AND p.path < ? AND `+onDay.covers("p", "?")+` AND o.level IN ('cell', 'grassroots_cell')`+order, []any{day, day, lo, hi, day, day},
		func(sc interface{ Scan(...any) error }) (dangvu.Org, error) {
			var o dangvu.Org
			return o, sc.Scan(&o.ID, &o.Name)
		})
}

// WardMonth is the ward's view of its cells for a month: which held their regular meeting and
// by which day against the day due, the thematic meetings of the quarter, attendance, quality
// band, the minutes' publication, members with two or more unexcused absences this year.
func (s *Store) WardMonth(ctx context.Context, org string, month string) ([]dangvu.MonthCell, error) {
	first, err := dangvu.ParseISODate(month + "-01")
	if err != nil || len(month) != 7 {
		return nil, invalid("Tháng chưa hợp lệ.", []dangvu.FieldError{mtBad("month", "tháng %q không hợp lệ: cần yyyy-mm", month)}...)
	}
	last := first.AddDate(0, 1, -1)
	day := dangvu.ISO(last)
	if t := s.today(); t < day && t >= dangvu.ISO(first) {
		day = t
	}
	cells, err := s.cellsUnder(ctx, org, day)
	if err != nil {
		return nil, fmt.Errorf("store: ward month: %w", err)
	}
	rules := meetings.For(first)
	cal := s.workdays()
	due := dangvu.DateOf(rules.Due(cal, first.Year(), first.Month()))
	qFrom := fmt.Sprintf("%04d-%02d", first.Year(), (meetings.Quarter(first.Month())-1)*3+1)
	byOrg := map[string]*dangvu.MonthCell{}
	out := make([]dangvu.MonthCell, len(cells))
	for i, c := range cells {
		out[i] = dangvu.MonthCell{OrgID: c.ID, OrgName: c.Name, Due: due}
		byOrg[c.ID] = &out[i]
	}
	// A ward's page reads its own cells' meetings only (the index on org_id, month); a whole
	// province reads the quarter's meetings and keeps its own.
	q, args := `SELECT id, org_id, kind, month, held_on, on_roll, present, quality_band, published_on FROM meetings
		WHERE month >= ? AND month <= ? AND status = 'held'`, []any{qFrom, month}
	if len(cells) > 0 && len(cells) <= 500 {
		q += ` AND org_id IN (` + placeholders(len(cells)) + `)`
		for _, c := range cells {
			args = append(args, c.ID)
		}
	}
	rows, err := s.read.QueryContext(ctx, q+` ORDER BY org_id, held_on`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: ward month: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, o, kind, mo, band string
		var held, pub dangvu.Date
		var roll, present int
		if err := rows.Scan(&id, &o, &kind, &mo, &held, &roll, &present, &band, &pub); err != nil {
			return nil, err
		}
		c := byOrg[o]
		if c == nil {
			continue
		}
		if kind == string(dangvu.MeetingThematic) {
			c.ThematicQtr++
		}
		if kind == string(dangvu.MeetingRegular) && mo == month && c.MeetingID == "" {
			c.MeetingID, c.Held, c.OnRoll, c.Present, c.Band, c.Published = id, held, roll, present, band, pub
			c.Late = held.After(due)
			if !held.IsZero() {
				c.PublishBy = dangvu.DateOf(meetings.For(held.Time).PublishBy(cal, held.Time))
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	counts, err := s.unexcusedCounts(ctx, org, first.Year(), month)
	if err != nil {
		return nil, err
	}
	for o, n := range counts {
		if c := byOrg[o]; c != nil {
			c.Unexcused2 = n
		}
	}
	return out, nil
}

// unexcusedCounts counts, per cell, the members with at least FollowAbsences unexcused absences
// in the year up to month.
func (s *Store) unexcusedCounts(ctx context.Context, org string, year int, month string) (map[string]int, error) {
	rules := meetings.For(time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC))
	from := fmt.Sprintf("%04d-01", year)
	in, ids, err := s.subtreeMeetingOrgs(ctx, s.read, org, from, month)
	if err != nil {
		return nil, err
	}
	if in != "" {
		in = " AND " + in
	}
	args := append(append([]any{from, month}, ids...), org, rules.FollowAbsences)
	rows, err := s.read.QueryContext(ctx, `SELECT org_id, count(*) FROM (SELECT m.org_id, a.member_id FROM meetings m JOIN meeting_attendance a ON a.meeting_id = m.id
		WHERE a.mark = 'unexcused' AND m.month >= ? AND m.month <= ?`+in+` AND EXISTS (SELECT 1 FROM org_paths p WHERE p.org_id = m.org_id AND `+onDay.covers("p", "m.held_on")+` AND `+onDay.under("p.path", "m.held_on", false)+`)
		GROUP BY m.org_id, a.member_id HAVING count(DISTINCT m.month) >= ?) x GROUP BY org_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: absences: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var o string
		var n int
		if err := rows.Scan(&o, &n); err != nil {
			return nil, err
		}
		out[o] = n
	}
	return out, rows.Err()
}

// ---- the three-month rule ----

// lapseSource gives the months of a calendar year in which members of org's subtree lapsed:
// the meetings register its unexcused absences; the dues ledger, once it lands, its unpaid
// months (one more line in lapseSources). The three-month rule (meetings.Set.ThreeMonths)
// combines them.
type lapseSource func(ctx context.Context, s *Store, org string, year int, upTo string) ([]meetings.Lapse, error)

// lapseSources is every source of lapses: the meetings register and the dues ledger.
var lapseSources = []lapseSource{absenceLapses, duesLapses}

// duesLapses are the months of the calendar year, up to upTo, in which members of org's subtree
// owed dues and paid less (internal/rules/dues.ArrearsMonths): every such month, not only when
// they reach three, so that the rule can count them with the absences.
func duesLapses(ctx context.Context, s *Store, org string, year int, upTo string) ([]meetings.Lapse, error) {
	to, err := dangvu.ParseMonth(upTo)
	if err != nil {
		return nil, fmt.Errorf("store: lapses: %w", err)
	}
	if now := dangvu.MonthOf(s.Clock.Today()); now.Before(to.Next()) {
		to = now.Add(-1) // the month under way is not over: not yet unpaid
	}
	from := dangvu.Month{Year: year, Mon: time.January}
	if to.Before(from) {
		return nil, nil
	}
	// The organisation as it stood at the range's end, or at its start when it ended within the
	// year (the Uông Bí city committee in 2025); not in force in the year at all: no dues.
	o, err := s.Org(ctx, org, to.Last())
	if err != nil {
		if o, err = s.Org(ctx, org, from.First()); err != nil {
			if dangvu.ErrorCode(err) == dangvu.ENotFound {
				return nil, nil
			}
			return nil, err
		}
	}
	l, err := s.duesBehind(ctx, o, from, to, 1)
	if err != nil {
		return nil, err
	}
	var out []meetings.Lapse
	for _, m := range l.members {
		owed, paid := map[dangvu.Month]int64{}, map[dangvu.Month]int64{}
		for _, x := range l.lines[m] {
			if x.in {
				owed[x.month] = x.owing.Owed
			}
			if x.pay != nil {
				paid[x.month] = x.pay.Amount
			}
		}
		for _, mo := range dues.ArrearsMonths(year, owed, paid, to.Next().First()) {
			reason := ""
			if p := paid[mo]; p > 0 {
				reason = fmt.Sprintf("Đóng thiếu đảng phí (%s/%s đồng)", vn.FormatInt(p), vn.FormatInt(owed[mo]))
			}
			out = append(out, meetings.Lapse{MemberID: m, Kind: meetings.LapseDues, Month: mo.First(), Reason: reason})
		}
	}
	return out, nil
}

func absenceLapses(ctx context.Context, s *Store, org string, year int, upTo string) ([]meetings.Lapse, error) {
	from := fmt.Sprintf("%04d-01", year)
	in, ids, err := s.subtreeMeetingOrgs(ctx, s.read, org, from, upTo)
	if err != nil {
		return nil, err
	}
	if in != "" {
		in = " AND " + in
	}
	out, err := scanAll(ctx, s.read, `SELECT a.member_id, m.month, a.reason FROM meetings m JOIN meeting_attendance a ON a.meeting_id = m.id
		WHERE a.mark = 'unexcused' AND m.month >= ? AND m.month <= ?`+in+` AND EXISTS (SELECT 1 FROM org_paths p WHERE p.org_id = m.org_id AND `+onDay.covers("p", "m.held_on")+` AND `+onDay.under("p.path", "m.held_on", false)+`)
		ORDER BY a.member_id, m.month`, append(append([]any{from, upTo}, ids...), org),
		func(sc interface{ Scan(...any) error }) (meetings.Lapse, error) {
			var l meetings.Lapse
			var month string
			err := sc.Scan(&l.MemberID, &month, &l.Reason)
			l.Kind = meetings.LapseAbsence
			l.Month, _ = dangvu.ParseISODate(month + "-01")
			return l, err
		})
	if err != nil {
		return nil, fmt.Errorf("store: lapses: %w", err)
	}
	return out, nil
}

// ThreeMonthFlag is a member the Charter's three-month rule puts before their cell.
type ThreeMonthFlag struct {
	meetings.Flag
	MemberName string `json:"member_name"`
	OrgID      string `json:"org_id"`
	OrgName    string `json:"org_name"`
}

// MemberResidence lists a member's registrations with residential cells in force at some time
// in year, each with the residence cell's comment of that year (if requested): what the
// member's year-end review shows (213-QĐ/TW, 33-HD/BTCTW: the workplace uses the comment).
func (s *Store) MemberResidence(ctx context.Context, member string, year int) ([]dangvu.ResidenceLink, error) {
	first, last := fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year)
	links, err := scanAll(ctx, s.read, `SELECT id, member_id, work_org, cell_id, valid_from, valid_to, category, letter, note FROM residence_links
		WHERE member_id = ? AND valid_from <= ? AND (valid_to = '' OR valid_to >= ?) ORDER BY valid_from, id`, []any{member, last, first},
		func(sc interface{ Scan(...any) error }) (dangvu.ResidenceLink, error) {
			var l dangvu.ResidenceLink
			return l, sc.Scan(&l.ID, &l.MemberID, &l.WorkOrg, &l.CellID, &l.From, &l.To, &l.Category, &l.Letter, &l.Note)
		})
	if err != nil {
		return nil, fmt.Errorf("store: residence: %w", err)
	}
	for i := range links {
		l := &links[i]
		day := min(last, s.today())
		if to := l.To.String(); to != "" && to < day {
			day = to
		}
		if t, err := dangvu.ParseISODate(max(day, l.From.String())); err == nil {
			if o, err := s.Org(ctx, l.CellID, t); err == nil {
				l.CellName = o.Name
			}
		}
		l.Comments, err = scanAll(ctx, s.read, `SELECT link_id, year, requested_on, returned_on, comment FROM residence_comments WHERE link_id = ? AND year = ?`,
			[]any{l.ID, year}, func(sc interface{ Scan(...any) error }) (dangvu.ResidenceComment, error) {
				var c dangvu.ResidenceComment
				return c, sc.Scan(&c.LinkID, &c.Year, &c.RequestedOn, &c.ReturnedOn, &c.Comment)
			})
		if err != nil {
			return nil, fmt.Errorf("store: residence: %w", err)
		}
	}
	return links, nil
}

// Text lists the flag's months with what each was and the reason recorded.
func (f ThreeMonthFlag) Text() string { return lapseText(f.Flag) }

// ThreeMonths lists the members of org's subtree whom the Charter's three-month rule (Art. 8.1)
// puts before their cell for the calendar year, up to month upTo (yyyy-mm), reading both
// registers: unexcused absences and months of dues unpaid, counted together or apart as the rule
// set says (combine_lapses), each month with what was recorded. Never a removal: a matter to consider.
func (s *Store) ThreeMonths(ctx context.Context, org string, year int, upTo string) ([]ThreeMonthFlag, error) {
	return s.threeMonths(ctx, org, year, upTo, lapseSources...)
}

// threeMonths is ThreeMonths over the lapses of the sources given.
func (s *Store) threeMonths(ctx context.Context, org string, year int, upTo string, sources ...lapseSource) ([]ThreeMonthFlag, error) {
	if upTo == "" || upTo > fmt.Sprintf("%04d-12", year) {
		upTo = fmt.Sprintf("%04d-12", year)
	}
	var all []meetings.Lapse
	for _, src := range sources {
		ls, err := src(ctx, s, org, year, upTo)
		if err != nil {
			return nil, err
		}
		all = append(all, ls...)
	}
	end, _ := dangvu.ParseISODate(upTo + "-01")
	flags := meetings.For(end).ThreeMonths(all)
	out := make([]ThreeMonthFlag, 0, len(flags))
	day := dangvu.ISO(end.AddDate(0, 1, -1))
	for _, f := range flags {
		x := ThreeMonthFlag{Flag: f}
		_ = s.read.QueryRowContext(ctx, `SELECT full_name FROM members WHERE id = ?`, f.MemberID).Scan(&x.MemberName)
		_ = s.read.QueryRowContext(ctx, `SELECT org_id FROM roster WHERE member_id = ? AND valid_from <= ? ORDER BY valid_from DESC LIMIT 1`, f.MemberID, day).Scan(&x.OrgID)
		if x.OrgID != "" {
			if o, err := s.Org(ctx, x.OrgID, end); err == nil {
				x.OrgName = o.Name
			}
		}
		out = append(out, x)
	}
	slices.SortFunc(out, func(a, b ThreeMonthFlag) int { return strings.Compare(a.OrgName+a.MemberName, b.OrgName+b.MemberName) })
	return out, nil
}

// ---- residence liaison ----

// ResidenceLinks lists the working members registered with the residential cells of org's
// subtree (cell_id) in force on day, with their yearly comments.
func (s *Store) ResidenceLinks(ctx context.Context, org, day string) ([]dangvu.ResidenceLink, error) {
	// The organisation's path that day, then the cells under it (org_paths_path) and their links
	// (residence_links_cell): the subtree first, not every link in the country.
	spans, err := orgSpans(ctx, s.read, org)
	if err != nil {
		return nil, err
	}
	lo, hi := "", ""
	for _, sp := range spans {
		if sp.from <= day && day < sp.to {
			lo, hi = subtreeRange(sp.path)
		}
	}
	if lo == "" {
		return []dangvu.ResidenceLink{}, nil
	}
	links, err := scanAll(ctx, s.read, `SELECT l.id, l.member_id, COALESCE(mb.full_name, ''), l.work_org, l.cell_id, l.valid_from, l.valid_to, l.category, l.letter, l.note
		FROM org_paths p JOIN residence_links l ON l.cell_id = p.org_id LEFT JOIN members mb ON mb.id = l.member_id
		WHERE p.path >= ? AND p.path < ? AND `+onDay.covers("p", "?")+`
		AND l.valid_from <= ? AND (l.valid_to = '' OR l.valid_to >= ?)
		ORDER BY l.cell_id, mb.full_name, l.id`, []any{lo, hi, day, day, day, day},
		func(sc interface{ Scan(...any) error }) (dangvu.ResidenceLink, error) {
			var l dangvu.ResidenceLink
			return l, sc.Scan(&l.ID, &l.MemberID, &l.MemberName, &l.WorkOrg, &l.CellID, &l.From, &l.To, &l.Category, &l.Letter, &l.Note)
		})
	if err != nil {
		return nil, fmt.Errorf("store: residence: %w", err)
	}
	t, _ := dangvu.ParseISODate(day)
	names := map[string]string{}
	byID := map[string]*dangvu.ResidenceLink{}
	for i := range links {
		l := &links[i]
		byID[l.ID] = l
		if n, ok := names[l.CellID]; ok {
			l.CellName = n
		} else if o, err := s.Org(ctx, l.CellID, t); err == nil {
			names[l.CellID], l.CellName = o.Name, o.Name
		}
	}
	if len(links) == 0 {
		return links, nil
	}
	// The comments of these links, 500 links a read.
	ids := make([]string, len(links))
	for i, l := range links {
		ids[i] = l.ID
	}
	err = inChunks(ids, func(ph string, args []any) error {
		rows, err := s.read.QueryContext(ctx, `SELECT c.link_id, c.year, c.requested_on, c.returned_on, c.comment FROM residence_comments c
		WHERE c.link_id IN (`+ph+`) ORDER BY c.link_id, c.year`, args...)
		if err != nil {
			return fmt.Errorf("store: residence: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var c dangvu.ResidenceComment
			if err := rows.Scan(&c.LinkID, &c.Year, &c.RequestedOn, &c.ReturnedOn, &c.Comment); err != nil {
				return err
			}
			if l := byID[c.LinkID]; l != nil {
				l.Comments = append(l.Comments, c)
			}
		}
		return rows.Err()
	})
	return links, err
}

// CreateResidenceLink registers a working member with the residential cell where they live:
// refused for an organisation that is not a residential cell on the day.
func (s *Store) CreateResidenceLink(ctx context.Context, actor string, l dangvu.ResidenceLink) (dangvu.ResidenceLink, error) {
	var errs []dangvu.FieldError
	from, err := dangvu.RequireDate(l.From)
	if err != nil {
		errs = append(errs, mtBad("from", "cần ngày bắt đầu (dd/mm/yyyy)"))
	}
	if l.Category == "" {
		l.Category = dangvu.ResidenceRegular
	}
	if !dangvu.ValidCode(dangvu.ResidenceCategories, l.Category) {
		errs = append(errs, mtBad("category", "giá trị %q không hợp lệ; dùng regular hoặc exempt", l.Category))
	}
	if _, err := s.Member(ctx, l.MemberID, from); err != nil {
		errs = append(errs, mtBad("member_id", "không có đảng viên mã %q", l.MemberID))
	}
	if err == nil {
		o, oerr := s.Org(ctx, l.CellID, from)
		switch {
		case oerr != nil:
			errs = append(errs, mtBad("cell_id", "không có tổ chức đảng mã %q ngày %s", l.CellID, vn.FormatDate(from)))
		case residentialCell(o) != "":
			errs = append(errs, mtBad("cell_id", "%s", residentialCell(o)))
		default:
			l.CellName = o.Name
		}
	}
	if len(errs) > 0 {
		return l, invalid("Đăng ký nơi cư trú chưa hợp lệ.", errs...)
	}
	if l.ID == "" {
		l.ID = "RL-" + l.MemberID + "-" + strings.ReplaceAll(l.From.String(), "-", "")
	}
	err = s.tx(ctx, func(tx *dbTx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO residence_links (id, member_id, work_org, cell_id, valid_from, valid_to, category, letter, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			l.ID, l.MemberID, strings.TrimSpace(l.WorkOrg), l.CellID, l.From, l.To, l.Category, strings.TrimSpace(l.Letter), strings.TrimSpace(l.Note)); err != nil {
			if isUniqueViolation(err) {
				return dangvu.Errorf(dangvu.EConflict, "đã có đăng ký mã %q", l.ID)
			}
			return fmt.Errorf("store: residence: %w", err)
		}
		return s.audit(ctx, tx, actor, "create", "residence_link", l.ID, nil, l)
	})
	return l, err
}

// SaveResidenceComment records the request or the return of a year's comment.
func (s *Store) SaveResidenceComment(ctx context.Context, actor string, c dangvu.ResidenceComment) error {
	var errs []dangvu.FieldError
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM residence_links WHERE id = ?`, c.LinkID).Scan(&n); err != nil {
		return fmt.Errorf("store: residence comment: %w", err)
	}
	if n == 0 {
		errs = append(errs, mtBad("link_id", "không có đăng ký nơi cư trú mã %q", c.LinkID))
	}
	if c.Year < 1990 || c.Year > 2200 {
		errs = append(errs, mtBad("year", "năm %d không hợp lệ", c.Year))
	}
	for _, f := range []struct {
		name string
		v    dangvu.Date
	}{{"requested_on", c.RequestedOn}, {"returned_on", c.ReturnedOn}} {
		if f.v.After(s.Clock.TodayDate()) {
			errs = append(errs, mtBad(f.name, "ngày %s sau hôm nay", vn.FormatDate(f.v.Time)))
		}
	}
	if len(errs) > 0 {
		return invalid("Nhận xét nơi cư trú chưa hợp lệ.", errs...)
	}
	return s.tx(ctx, func(tx *dbTx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM residence_comments WHERE link_id = ? AND year = ?`, c.LinkID, c.Year); err != nil {
			return fmt.Errorf("store: residence comment: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO residence_comments (link_id, year, requested_on, returned_on, comment) VALUES (?, ?, ?, ?, ?)`,
			c.LinkID, c.Year, c.RequestedOn, c.ReturnedOn, strings.TrimSpace(c.Comment)); err != nil {
			return fmt.Errorf("store: residence comment: %w", err)
		}
		return s.audit(ctx, tx, actor, "comment", "residence_link", c.LinkID, nil, c)
	})
}

func mtBad(field, format string, args ...any) dangvu.FieldError {
	return dangvu.FieldError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// ResidenceLinkCell returns the residential cell of a registration and its first day, for the
// scope checks of its routes.
func (s *Store) ResidenceLinkCell(ctx context.Context, id string) (cell, from string, err error) {
	err = s.read.QueryRowContext(ctx, `SELECT cell_id, valid_from FROM residence_links WHERE id = ?`, id).Scan(&cell, &from)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", dangvu.Errorf(dangvu.ENotFound, "không có đăng ký nơi cư trú mã %q", id)
	}
	return cell, from, err
}

// Calendar is the working-day calendar the store counts deadlines with.
func (s *Store) Calendar() *workday.Calendar { return s.workdays() }

// ResidenceLink returns one registration with its yearly comments.
func (s *Store) ResidenceLink(ctx context.Context, id string) (dangvu.ResidenceLink, error) {
	cell, from, err := s.ResidenceLinkCell(ctx, id)
	if err != nil {
		return dangvu.ResidenceLink{}, err
	}
	t, _ := dangvu.ParseISODate(from)
	o, err := s.Org(ctx, cell, t)
	if err != nil {
		return dangvu.ResidenceLink{}, err
	}
	links, err := s.ResidenceLinks(ctx, o.ID, from)
	if err != nil {
		return dangvu.ResidenceLink{}, err
	}
	for _, l := range links {
		if l.ID == id {
			return l, nil
		}
	}
	return dangvu.ResidenceLink{}, dangvu.Errorf(dangvu.ENotFound, "không có đăng ký nơi cư trú mã %q", id)
}
