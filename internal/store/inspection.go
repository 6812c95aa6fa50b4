package store

import (
	"time"

	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"dangvu"
	"dangvu/internal/rules/discipline"
	"dangvu/internal/workday"
)

// Inspection, supervision and discipline (docs/inspection.md): programmes, rounds with subjects
// and conclusions, discipline decisions checked against the rule set in force on their date, with
// their effects on the member's status, and appeals.

func nextDay(iso string) string {
	t, err := dangvu.ParseISODate(iso)
	if err != nil {
		return iso
	}
	return dangvu.ISO(t.AddDate(0, 0, 1))
}

// validateRound checks a round's own fields: dates in order, and the stage's dates present.
func validateRound(r dangvu.InspectionRound) []dangvu.FieldError {
	var out []dangvu.FieldError
	if !r.PlannedFrom.IsZero() && !r.PlannedTo.IsZero() && r.PlannedTo.Before(r.PlannedFrom) {
		out = append(out, fe("planned_to", "ngày kết thúc dự kiến %s trước ngày bắt đầu %s", vnDate(r.PlannedTo), vnDate(r.PlannedFrom)))
	}
	if !r.DecidedOn.IsZero() && !r.PlannedFrom.IsZero() && r.PlannedFrom.Before(r.DecidedOn) {
		out = append(out, fe("planned_from", "ngày bắt đầu dự kiến %s trước ngày quyết định %s", vnDate(r.PlannedFrom), vnDate(r.DecidedOn)))
	}
	switch r.Stage {
	case dangvu.StageConduct:
		if r.ConductFrom.IsZero() {
			out = append(out, fe("conduct_from", "cuộc đang tiến hành cần ngày bắt đầu tiến hành"))
		}
	case dangvu.StageConcluded:
		if r.ConductFrom.IsZero() || r.ConcludedOn.IsZero() {
			out = append(out, fe("concluded_on", "cuộc đã kết luận cần ngày tiến hành và ngày kết luận"))
		}
	}
	if !r.ConductFrom.IsZero() && !r.DecidedOn.IsZero() && r.ConductFrom.Before(r.DecidedOn) {
		out = append(out, fe("conduct_from", "ngày tiến hành %s trước ngày quyết định %s", vnDate(r.ConductFrom), vnDate(r.DecidedOn)))
	}
	if !r.ConcludedOn.IsZero() && !r.ConductFrom.IsZero() && r.ConcludedOn.Before(r.ConductFrom) {
		out = append(out, fe("concluded_on", "ngày kết luận %s trước ngày tiến hành %s", vnDate(r.ConcludedOn), vnDate(r.ConductFrom)))
	}
	if r.Body == dangvu.BodyCell && r.Kind != dangvu.KindSupervisionRegular && r.Kind != dangvu.KindSupervisionThematic && r.Kind != dangvu.KindViolationSigns {
		out = append(out, fe("kind", "chi bộ chỉ kiểm tra, giám sát đảng viên trong chi bộ (Điều lệ Đảng, Điều 30)"))
	}
	return out
}

func validateSubject(s dangvu.RoundSubject) []dangvu.FieldError {
	var out []dangvu.FieldError
	if s.Finding == dangvu.FindingPending && (s.Severity != "" || s.Conclusion != "") {
		out = append(out, fe("finding", "cần ghi kết luận có hay không có vi phạm"))
	}
	if s.Finding == dangvu.FindingNone && s.Severity != "" {
		out = append(out, fe("severity", "không có vi phạm thì không ghi mức độ vi phạm"))
	}
	if s.Finding == dangvu.FindingViolation && s.Severity == "" {
		out = append(out, fe("severity", "có vi phạm thì cần ghi mức độ vi phạm"))
	}
	if !s.FollowUpDue.IsZero() && s.Recommendations == "" {
		out = append(out, fe("recommendations", "có hạn thực hiện thì cần ghi kiến nghị"))
	}
	if !s.FollowUpDone.IsZero() && s.Recommendations == "" {
		out = append(out, fe("follow_up_done", "chưa có kiến nghị để ghi đã thực hiện"))
	}
	return out
}

func validateAppeal(cal *workday.Calendar, a dangvu.DisciplineAppeal) []dangvu.FieldError {
	var out []dangvu.FieldError
	if !a.ReceivedOn.IsZero() && !a.LodgedOn.IsZero() {
		if a.LodgedOn.Before(a.ReceivedOn) {
			out = append(out, fe("lodged_on", "ngày khiếu nại %s trước ngày nhận quyết định %s", vnDate(a.LodgedOn), vnDate(a.ReceivedOn)))
		}
		if dl := discipline.AppealDeadline(cal, a.ReceivedOn); a.LodgedOn.After(dl) && a.Outcome != "rejected" {
			rs := discipline.For(a.ReceivedOn.Time)
			out = append(out, fe("lodged_on", "khiếu nại quá hạn %d ngày làm việc (hạn cuối %s): chỉ được ghi với kết quả \"không thụ lý\" — %s: %s",
				rs.AppealDays, vnDate(dl), rs.Code, rs.AppealSource))
		}
	}
	if (a.ResolvedOn.IsZero()) != (a.Outcome == "") {
		out = append(out, fe("outcome", "cần ghi cả ngày giải quyết và kết quả giải quyết"))
	}
	if !a.ResolvedOn.IsZero() && a.ResolvedOn.Before(a.LodgedOn) {
		out = append(out, fe("resolved_on", "ngày giải quyết %s trước ngày khiếu nại %s", vnDate(a.ResolvedOn), vnDate(a.LodgedOn)))
	}
	if (a.Outcome == "lessened" || a.Outcome == "increased") != (a.NewForm != "") {
		out = append(out, fe("new_form", "giảm hoặc tăng hình thức kỷ luật thì cần ghi hình thức mới (và chỉ khi đó)"))
	}
	return out
}

// checkDiscipline judges a decision by the rule set in force on its date: the subject's kind
// (organisation, full or probationary member, as they stood the day before the decision), the
// authority's competence and place in the tree, and the statute of limitations. stored says that
// an expulsion's effect must already be in the status history (imports); a new decision writes it.
func (s *Store) checkDiscipline(ctx context.Context, q queryer, d dangvu.Discipline, stored bool) ([]dangvu.FieldError, error) {
	var out []dangvu.FieldError
	c := discipline.Case{Form: d.Form, Body: d.AuthorityBody, NoLimit: d.NoLimit, HigherTask: d.HigherTask, ViolationOn: d.ViolationOn, RenewedOn: d.RenewedOn, DecidedOn: d.DecidedOn, EffectiveOn: d.EffectiveOn}
	day := d.DecidedOn
	var subjPath string
	switch {
	case d.MemberID != "":
		var st string
		err := q.QueryRowContext(ctx, `SELECT status FROM member_statuses WHERE member_id = ? AND valid_from < ? ORDER BY valid_from DESC LIMIT 1`, d.MemberID, day).Scan(&st)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("store: discipline: %w", err)
		}
		switch dangvu.Status(st) {
		case dangvu.StatusProbationary:
			c.Subject = discipline.ProbationaryMember
		case dangvu.StatusFull, dangvu.StatusExempt:
			c.Subject = discipline.FullMember
		default:
			return append(out, fe("member_id", "đảng viên %s không còn trong Đảng trước ngày quyết định %s (trạng thái: %s)", d.MemberID, vnDate(day), dangvu.CodeName(dangvu.Statuses, dangvu.Status(st)))), nil
		}
		err = q.QueryRowContext(ctx, `SELECT p.path FROM memberships m JOIN org_paths p ON p.org_id = m.org_id AND `+dayBefore.covers("p", "?")+`
			WHERE m.member_id = ? AND m.kind = 'official' AND `+dayBefore.covers("m", "?")+` LIMIT 1`, day, day, d.MemberID, day, day).Scan(&subjPath)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("store: discipline: %w", err)
		}
	case d.OrgID != "":
		c.Subject = discipline.Organisation
		err := q.QueryRowContext(ctx, `SELECT p.path FROM org_paths p WHERE p.org_id = ? AND `+dayBefore.covers("p", "?")+` LIMIT 1`, d.OrgID, day, day).Scan(&subjPath)
		if errors.Is(err, sql.ErrNoRows) {
			return append(out, fe("org_id", "tổ chức đảng %s không tồn tại trước ngày quyết định %s", d.OrgID, vnDate(day))), nil
		}
		if err != nil {
			return nil, fmt.Errorf("store: discipline: %w", err)
		}
	}
	// The authority must be in force on the decision date (its level then decides its competence);
	// whether the subject lies under it is read, like the subject, on the tree of the day before
	// (placement dayBefore), so that a change of the tree above both on that day changes nothing.
	var level string
	err := q.QueryRowContext(ctx, `SELECT level FROM org_versions WHERE org_id = ? AND valid_from <= ? AND valid_to > ?`, d.AuthorityOrgID, day, day).Scan(&level)
	if errors.Is(err, sql.ErrNoRows) {
		return append(out, fe("authority_org_id", "tổ chức đảng %s không có hiệu lực vào ngày quyết định %s", d.AuthorityOrgID, vnDate(day))), nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: discipline: %w", err)
	}
	var authPath string
	err = q.QueryRowContext(ctx, `SELECT p.path FROM org_paths p WHERE p.org_id = ? AND `+dayBefore.covers("p", "?"), d.AuthorityOrgID, day, day).Scan(&authPath)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: discipline: %w", err)
	}
	c.AuthorityLevel = dangvu.Level(level)
	c.AuthorityCovers = subjPath != "" && authPath != "" && strings.HasPrefix(subjPath, authPath) && (c.Subject != discipline.Organisation || subjPath != authPath)
	for _, p := range discipline.Check(c) {
		out = append(out, fe(p.Field, "%s", p.String()))
	}
	if stored && d.Form == dangvu.FormExpulsion && d.MemberID != "" && len(out) == 0 {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM member_statuses WHERE member_id = ? AND valid_from = ? AND status = 'expelled'`, d.MemberID, d.EffectiveOn).Scan(&n); err != nil {
			return nil, fmt.Errorf("store: discipline: %w", err)
		}
		if n == 0 {
			out = append(out, fe("effective_on", "khai trừ: lịch sử trạng thái của đảng viên %s cần dòng \"expelled\" từ ngày %s (member_statuses)", d.MemberID, vnDate(d.EffectiveOn)))
		}
	}
	if d.Form == dangvu.FormRemoval && d.Post != "" && d.MemberID != "" {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM posts WHERE id = ? AND member_id = ?`, d.Post, d.MemberID).Scan(&n); err != nil {
			return nil, fmt.Errorf("store: discipline: %w", err)
		}
		if n == 0 {
			out = append(out, fe("post", "đảng viên %s không giữ chức vụ mã %q", d.MemberID, d.Post))
		}
	}
	return out, nil
}

// ---- reads ----

const roundCols = `r.id, r.programme_id, r.org_id, r.body, r.kind, r.title, r.decision, r.decided_on, r.fields, r.team, r.planned_from, r.planned_to, r.stage, r.conduct_from, r.concluded_on`

func scanRound(sc interface{ Scan(...any) error }) (dangvu.InspectionRound, error) {
	var r dangvu.InspectionRound
	var body, kind, stage, fields string
	err := sc.Scan(&r.ID, &r.ProgrammeID, &r.OrgID, &body, &kind, &r.Title, &r.Decision, &r.DecidedOn, &fields, &r.Team, &r.PlannedFrom, &r.PlannedTo, &stage, &r.ConductFrom, &r.ConcludedOn)
	r.Body, r.Kind, r.Stage, r.Fields = dangvu.Body(body), dangvu.InspectionKind(kind), dangvu.Stage(stage), splitList(fields)
	return r, err
}

// underClause restricts alias.org_id to under's subtree as the tree stood on the row's date.
func (s *Store) underClause(ctx context.Context, under, orgCol, dateCol string) (string, []any, error) {
	if under == "" {
		return "", nil, nil
	}
	return ` AND EXISTS (SELECT 1 FROM org_paths b WHERE b.org_id = ` + orgCol + ` AND ` + onDay.covers("b", dateCol) + ` AND ` + onDay.under("b.path", dateCol, false) + `)`, []any{under}, nil
}

// Rounds lists rounds, newest first, with their organisation's name.
func (s *Store) Rounds(ctx context.Context, f dangvu.RoundFilter) ([]dangvu.InspectionRound, error) {
	q := `SELECT ` + roundCols + ` FROM inspection_rounds r WHERE 1 = 1`
	var args []any
	if !f.From.IsZero() {
		q += ` AND r.decided_on >= ?`
		args = append(args, dateArg(f.From))
	}
	if !f.To.IsZero() {
		q += ` AND r.decided_on <= ?`
		args = append(args, dateArg(f.To))
	}
	if f.ProgrammeID != "" {
		q += ` AND r.programme_id = ?`
		args = append(args, f.ProgrammeID)
	}
	if f.Kind != "" {
		q += ` AND r.kind = ?`
		args = append(args, string(f.Kind))
	}
	w, a, _ := s.underClause(ctx, f.Under, "r.org_id", "r.decided_on")
	q += w + ` ORDER BY r.decided_on DESC, r.id`
	args = append(args, a...)
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: rounds: %w", err)
	}
	defer rows.Close()
	out := []dangvu.InspectionRound{}
	for rows.Next() {
		r, err := scanRound(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].OrgName = s.orgName(ctx, out[i].OrgID, out[i].DecidedOn)
	}
	return out, nil
}

func (s *Store) memberName(ctx context.Context, id string) string {
	var name string
	if err := s.read.QueryRowContext(ctx, `SELECT full_name FROM members WHERE id = ?`, id).Scan(&name); err != nil {
		return id
	}
	return name
}

// Round returns a round with its subjects.
func (s *Store) Round(ctx context.Context, id string) (dangvu.InspectionRound, error) {
	return s.round(ctx, s.read, id)
}

func (s *Store) round(ctx context.Context, q queryer, id string) (dangvu.InspectionRound, error) {
	r, err := scanRound(q.QueryRowContext(ctx, `SELECT `+roundCols+` FROM inspection_rounds r WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, dangvu.Errorf(dangvu.ENotFound, "không có cuộc kiểm tra, giám sát mã %q", id)
	}
	if err != nil {
		return r, fmt.Errorf("store: round: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT round_id, org_id, member_id, finding, severity, conclusion, recommendations, follow_up_due, follow_up_done
		FROM inspection_subjects WHERE round_id = ? ORDER BY org_id, member_id`, id)
	if err != nil {
		return r, fmt.Errorf("store: round: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var x dangvu.RoundSubject
		var finding, sev string
		if err := rows.Scan(&x.RoundID, &x.OrgID, &x.MemberID, &finding, &sev, &x.Conclusion, &x.Recommendations, &x.FollowUpDue, &x.FollowUpDone); err != nil {
			return r, err
		}
		x.Finding, x.Severity = dangvu.Finding(finding), dangvu.Severity(sev)
		x.Seq = len(r.Subjects) + 1
		r.Subjects = append(r.Subjects, x)
	}
	if err := rows.Err(); err != nil {
		return r, err
	}
	rows.Close()
	r.OrgName = s.orgName(ctx, r.OrgID, r.DecidedOn)
	for i, x := range r.Subjects {
		if x.OrgID != "" {
			r.Subjects[i].Name = s.orgName(ctx, x.OrgID, r.DecidedOn)
		} else {
			r.Subjects[i].Name = s.memberName(ctx, x.MemberID)
		}
	}
	return r, nil
}

// Programmes lists the programmes of organisations in under's subtree (as of 1 January of their
// year), newest first.
func (s *Store) Programmes(ctx context.Context, under string, year int) ([]dangvu.InspectionProgramme, error) {
	// A programme belongs to the subtree when its organisation ever lay under under's paths.
	q := `SELECT p.id, p.org_id, p.body, p.year, p.title, p.document FROM inspection_programmes p WHERE (? = 0 OR p.year = ?)`
	args := []any{year, year}
	if under != "" {
		q += ` AND EXISTS (SELECT 1 FROM org_paths a JOIN org_paths b ON b.org_id = p.org_id
			WHERE a.org_id = ? AND substr(b.path, 1, length(a.path)) = a.path)`
		args = append(args, under)
	}
	rows, err := s.read.QueryContext(ctx, q+` ORDER BY year DESC, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: programmes: %w", err)
	}
	defer rows.Close()
	out := []dangvu.InspectionProgramme{}
	for rows.Next() {
		var p dangvu.InspectionProgramme
		var body string
		if err := rows.Scan(&p.ID, &p.OrgID, &body, &p.Year, &p.Title, &p.Document); err != nil {
			return nil, err
		}
		p.Body = dangvu.Body(body)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].OrgName = s.orgName(ctx, out[i].OrgID, isoDate(fmt.Sprintf("%d-12-31", out[i].Year)))
	}
	return out, nil
}

// Programme returns one programme.
func (s *Store) Programme(ctx context.Context, id string) (dangvu.InspectionProgramme, error) {
	var p dangvu.InspectionProgramme
	var body string
	err := s.read.QueryRowContext(ctx, `SELECT id, org_id, body, year, title, document FROM inspection_programmes WHERE id = ?`, id).
		Scan(&p.ID, &p.OrgID, &body, &p.Year, &p.Title, &p.Document)
	if errors.Is(err, sql.ErrNoRows) {
		return p, dangvu.Errorf(dangvu.ENotFound, "không có chương trình kiểm tra, giám sát mã %q", id)
	}
	if err != nil {
		return p, fmt.Errorf("store: programme: %w", err)
	}
	p.Body = dangvu.Body(body)
	p.OrgName = s.orgName(ctx, p.OrgID, isoDate(fmt.Sprintf("%d-12-31", p.Year)))
	return p, nil
}

// InspectionFields lists the reference fields.
func (s *Store) InspectionFields(ctx context.Context) ([]dangvu.InspectionField, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT code, name FROM inspection_fields ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("store: fields: %w", err)
	}
	defer rows.Close()
	out := []dangvu.InspectionField{}
	for rows.Next() {
		var f dangvu.InspectionField
		if err := rows.Scan(&f.Code, &f.Name); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

const disciplineCols = `d.id, d.round_id, d.member_id, d.org_id, d.form, d.authority_org_id, d.authority_body, d.violation_on, d.renewed_on, d.decided_on, d.effective_on, d.number, d.reason, d.post, d.withdrawn_on, d.withdrawn_reason, d.no_limit, d.higher_task`

func scanDiscipline(sc interface{ Scan(...any) error }) (dangvu.Discipline, error) {
	var d dangvu.Discipline
	var form, body string
	err := sc.Scan(&d.ID, &d.RoundID, &d.MemberID, &d.OrgID, &form, &d.AuthorityOrgID, &body, &d.ViolationOn, &d.RenewedOn, &d.DecidedOn, &d.EffectiveOn, &d.Number, &d.Reason, &d.Post, &d.WithdrawnOn, &d.WithdrawnReason, &d.NoLimit, &d.HigherTask)
	d.Form, d.AuthorityBody = dangvu.DisciplineForm(form), dangvu.Body(body)
	d.RuleSet = discipline.For(d.DecidedOn.Time).Code
	return d, err
}

// subjectUnder is the condition that a decision's subject lay in the subtree of the organisation
// bound by ? (twice), both as the tree stood on the day before the decision (placement
// dayBefore): a member through the roster, an organisation through its path (strictly below).
var subjectUnder = `(
	(d.member_id <> '' AND EXISTS (SELECT 1 FROM roster ro WHERE ro.member_id = d.member_id AND ` + dayBefore.covers("ro", "d.decided_on") + `
		AND ` + dayBefore.under("ro.path", "d.decided_on", false) + `))
	OR (d.org_id <> '' AND EXISTS (SELECT 1 FROM org_paths b WHERE b.org_id = d.org_id AND ` + dayBefore.covers("b", "d.decided_on") + `
		AND ` + dayBefore.under("b.path", "d.decided_on", true) + `)))`

// Disciplines lists decisions, newest first.
func (s *Store) Disciplines(ctx context.Context, f dangvu.DisciplineFilter) ([]dangvu.Discipline, error) {
	q := `SELECT ` + disciplineCols + ` FROM disciplines d WHERE 1 = 1`
	var args []any
	if !f.From.IsZero() {
		q += ` AND d.decided_on >= ?`
		args = append(args, dateArg(f.From))
	}
	if !f.To.IsZero() {
		q += ` AND d.decided_on <= ?`
		args = append(args, dateArg(f.To))
	}
	if f.MemberID != "" {
		q += ` AND d.member_id = ?`
		args = append(args, f.MemberID)
	}
	if !f.Live.IsZero() {
		q += ` AND ` + liveDiscipline
		args = append(args, dateArg(f.Live))
	}
	if f.Under != "" {
		q += ` AND ` + subjectUnder
		args = append(args, f.Under, f.Under)
	}
	q += ` ORDER BY d.decided_on DESC, d.id`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: disciplines: %w", err)
	}
	defer rows.Close()
	out := []dangvu.Discipline{}
	for rows.Next() {
		d, err := scanDiscipline(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	changes, err := s.formChanges(ctx, s.read, "")
	if err != nil {
		return nil, err
	}
	for i := range out {
		s.nameSubject(ctx, &out[i])
		fillChanges(&out[i], changes[out[i].ID], dangvu.DateOf(f.Live))
	}
	return out, nil
}

func (s *Store) nameSubject(ctx context.Context, d *dangvu.Discipline) {
	if d.MemberID != "" {
		d.SubjectName = s.memberName(ctx, d.MemberID)
	} else {
		d.SubjectName = s.orgName(ctx, d.OrgID, d.DecidedOn)
	}
}

// Discipline returns a decision.
func (s *Store) Discipline(ctx context.Context, id string) (dangvu.Discipline, error) {
	return s.discipline(ctx, s.read, id)
}

func (s *Store) discipline(ctx context.Context, q queryer, id string) (dangvu.Discipline, error) {
	d, err := scanDiscipline(q.QueryRowContext(ctx, `SELECT `+disciplineCols+` FROM disciplines d WHERE d.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, dangvu.Errorf(dangvu.ENotFound, "không có quyết định kỷ luật mã %q", id)
	}
	if err != nil {
		return d, fmt.Errorf("store: discipline: %w", err)
	}
	s.nameSubject(ctx, &d)
	return d, s.changesOf(ctx, q, &d, dangvu.Date{})
}

// DisciplineSubjectOrg is the organisation a decision's subject belonged to the day before it:
// the member's organisation, or the disciplined organisation. Scope checks use it.
func (s *Store) DisciplineSubjectOrg(ctx context.Context, d dangvu.Discipline) (string, error) {
	if d.OrgID != "" {
		return d.OrgID, nil
	}
	var org string
	err := s.read.QueryRowContext(ctx, `SELECT org_id FROM memberships WHERE member_id = ? AND kind = 'official' AND valid_from < ? ORDER BY valid_from DESC LIMIT 1`,
		d.MemberID, d.DecidedOn).Scan(&org)
	if errors.Is(err, sql.ErrNoRows) {
		return "", dangvu.Errorf(dangvu.ENotFound, "không rõ nơi sinh hoạt của đảng viên %s", d.MemberID)
	}
	return org, err
}

const appealCols = `a.id, a.discipline_id, a.received_on, a.lodged_on, a.handler_org_id, a.handler_body, a.resolved_on, a.outcome, a.new_form, a.note`

// appealSelect adds the handler's level on the day the appeal was lodged: the answer deadline
// depends on it.
const appealSelect = appealCols + `, COALESCE((SELECT v.level FROM org_versions v WHERE v.org_id = a.handler_org_id AND v.valid_from <= a.lodged_on AND v.valid_to > a.lodged_on), '')`

func (s *Store) scanAppeal(sc interface{ Scan(...any) error }) (dangvu.DisciplineAppeal, error) {
	var a dangvu.DisciplineAppeal
	var body, outcome, nf, level string
	err := sc.Scan(&a.ID, &a.DisciplineID, &a.ReceivedOn, &a.LodgedOn, &a.HandlerOrgID, &body, &a.ResolvedOn, &outcome, &nf, &a.Note, &level)
	a.HandlerBody, a.Outcome, a.NewForm = dangvu.Body(body), dangvu.AppealOutcome(outcome), dangvu.DisciplineForm(nf)
	cal := s.calendar()
	a.Deadline, a.AnswerDue = discipline.AppealDeadline(cal, a.ReceivedOn), discipline.AnswerDue(cal, a.LodgedOn, dangvu.Level(level))
	a.AnswerRule = discipline.AnswerRule(a.LodgedOn, dangvu.Level(level))
	return a, err
}

// Appeals lists the appeals against one decision, or (disciplineID empty) against decisions
// about subjects in under's subtree; pendingOnly keeps the unresolved ones.
func (s *Store) Appeals(ctx context.Context, disciplineID, under string, pendingOnly bool) ([]dangvu.DisciplineAppeal, error) {
	q := `SELECT ` + appealSelect + ` FROM discipline_appeals a JOIN disciplines d ON d.id = a.discipline_id WHERE 1 = 1`
	var args []any
	if disciplineID != "" {
		q += ` AND a.discipline_id = ?`
		args = append(args, disciplineID)
	}
	if under != "" {
		q += ` AND ` + subjectUnder
		args = append(args, under, under)
	}
	if pendingOnly {
		q += ` AND a.resolved_on = '' AND d.withdrawn_on = ''` // a withdrawn decision's appeals are moot
	}
	out, err := scanAll(ctx, s.read, q+` ORDER BY a.lodged_on DESC, a.id`, args, s.scanAppeal)
	if err != nil {
		return nil, fmt.Errorf("store: appeals: %w", err)
	}
	return out, nil
}

// Appeal returns one appeal.
func (s *Store) Appeal(ctx context.Context, id string) (dangvu.DisciplineAppeal, error) {
	a, err := s.scanAppeal(s.read.QueryRowContext(ctx, `SELECT `+appealSelect+` FROM discipline_appeals a WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, dangvu.Errorf(dangvu.ENotFound, "không có đơn khiếu nại kỷ luật mã %q", id)
	}
	if err != nil {
		return a, fmt.Errorf("store: appeal: %w", err)
	}
	return a, nil
}

// ---- writes ----

func (s *Store) newID(ctx context.Context, q queryer, table, prefix string) (string, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		return "", fmt.Errorf("store: %w", err)
	}
	for {
		n++
		id := fmt.Sprintf("%s%05d", prefix, n)
		var k int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE id = ?`, id).Scan(&k); err != nil {
			return "", fmt.Errorf("store: %w", err)
		}
		if k == 0 {
			return id, nil
		}
	}
}

func requireOrgOn(ctx context.Context, s *Store, q queryer, field, id string, day dangvu.Date) *dangvu.FieldError {
	if id == "" {
		f := fe(field, "bắt buộc, không được để trống")
		return &f
	}
	var n int
	q.QueryRowContext(ctx, `SELECT count(*) FROM org_versions WHERE org_id = ? AND valid_from <= ? AND valid_to > ?`, id, day, day).Scan(&n)
	if n == 0 {
		f := fe(field, "không có tổ chức đảng mã %q vào ngày %s", id, vnDate(day))
		return &f
	}
	return nil
}

// CreateInspectionProgramme records a yearly inspection and supervision programme.
func (s *Store) CreateInspectionProgramme(ctx context.Context, actor string, p dangvu.InspectionProgramme) (dangvu.InspectionProgramme, error) {
	var errs []dangvu.FieldError
	if p.Year < 1930 || p.Year > 2100 {
		errs = append(errs, fe("year", "năm không hợp lệ"))
	}
	if strings.TrimSpace(p.Title) == "" {
		errs = append(errs, fe("title", "bắt buộc, không được để trống"))
	}
	if !dangvu.ValidCode(dangvu.Bodies, p.Body) {
		errs = append(errs, fe("body", "cơ quan thực hiện không hợp lệ"))
	}
	err := s.tx(ctx, func(tx *dbTx) error {
		if e := requireOrgOn(ctx, s, tx, "org_id", p.OrgID, isoDate(fmt.Sprintf("%d-12-31", p.Year))); e != nil && p.Year > 0 {
			if e2 := requireOrgOn(ctx, s, tx, "org_id", p.OrgID, isoDate(fmt.Sprintf("%d-01-01", p.Year))); e2 != nil {
				errs = append(errs, *e)
			}
		}
		if len(errs) > 0 {
			return invalid("chương trình kiểm tra, giám sát chưa hợp lệ", errs...)
		}
		id, err := s.newID(ctx, tx, "inspection_programmes", "CT")
		if err != nil {
			return err
		}
		p.ID = id
		if _, err := tx.ExecContext(ctx, `INSERT INTO inspection_programmes (id, org_id, body, year, title, document) VALUES (?, ?, ?, ?, ?, ?)`,
			p.ID, p.OrgID, string(p.Body), p.Year, strings.TrimSpace(p.Title), p.Document); err != nil {
			return fmt.Errorf("store: programme: %w", err)
		}
		return s.audit(ctx, tx, actor, "create", "inspection_programme", p.ID, nil, p)
	})
	return p, err
}

// CreateRound opens a round in the preparation stage with its subjects.
func (s *Store) CreateRound(ctx context.Context, actor string, r dangvu.InspectionRound) (dangvu.InspectionRound, error) {
	r.Stage, r.ConductFrom, r.ConcludedOn = dangvu.StagePreparation, dangvu.Date{}, dangvu.Date{}
	var errs []dangvu.FieldError
	for _, x := range []struct{ f, v string }{{"title", r.Title}, {"decision", r.Decision}, {"decided_on", r.DecidedOn.String()}, {"planned_from", r.PlannedFrom.String()}, {"planned_to", r.PlannedTo.String()}} {
		if strings.TrimSpace(x.v) == "" {
			errs = append(errs, fe(x.f, "bắt buộc, không được để trống"))
		}
	}
	if !dangvu.ValidCode(dangvu.Bodies, r.Body) {
		errs = append(errs, fe("body", "cơ quan thực hiện không hợp lệ"))
	}
	if !dangvu.ValidCode(dangvu.InspectionKinds, r.Kind) {
		errs = append(errs, fe("kind", "loại cuộc kiểm tra, giám sát không hợp lệ"))
	}
	if len(r.Subjects) == 0 {
		errs = append(errs, fe("subjects", "cần ít nhất một đối tượng (tổ chức đảng hoặc đảng viên)"))
	}
	errs = append(errs, validateRound(r)...)
	err := s.tx(ctx, func(tx *dbTx) error {
		if !r.DecidedOn.IsZero() {
			if e := requireOrgOn(ctx, s, tx, "org_id", r.OrgID, r.DecidedOn); e != nil {
				errs = append(errs, *e)
			}
		}
		if r.ProgrammeID != "" {
			var n int
			tx.QueryRowContext(ctx, `SELECT count(*) FROM inspection_programmes WHERE id = ?`, r.ProgrammeID).Scan(&n)
			if n == 0 {
				errs = append(errs, fe("programme_id", "không có chương trình mã %q", r.ProgrammeID))
			}
		}
		for _, f := range r.Fields {
			var n int
			tx.QueryRowContext(ctx, `SELECT count(*) FROM inspection_fields WHERE code = ?`, f).Scan(&n)
			if n == 0 {
				errs = append(errs, fe("fields", "không có lĩnh vực mã %q", f))
			}
		}
		seen := map[string]bool{}
		for i, x := range r.Subjects {
			field := fmt.Sprintf("subjects[%d]", i+1)
			if (x.OrgID == "") == (x.MemberID == "") {
				errs = append(errs, fe(field, "cần đúng một trong tổ chức đảng hoặc đảng viên"))
				continue
			}
			if seen[x.OrgID+"/"+x.MemberID] {
				errs = append(errs, fe(field, "đối tượng bị lặp"))
			}
			seen[x.OrgID+"/"+x.MemberID] = true
			if x.OrgID != "" && !r.DecidedOn.IsZero() {
				if e := requireOrgOn(ctx, s, tx, field, x.OrgID, r.DecidedOn); e != nil {
					errs = append(errs, *e)
				}
			}
			if x.MemberID != "" {
				var n int
				tx.QueryRowContext(ctx, `SELECT count(*) FROM members WHERE id = ?`, x.MemberID).Scan(&n)
				if n == 0 {
					errs = append(errs, fe(field, "không có đảng viên mã %q", x.MemberID))
					continue
				}
			}
			if !r.DecidedOn.IsZero() && r.OrgID != "" && len(errs) == 0 {
				why, err := s.subjectOutside(ctx, tx, r.OrgID, r.DecidedOn, x.OrgID, x.MemberID)
				if err != nil {
					return err
				}
				if why != "" {
					errs = append(errs, fe(field, "%s", why))
				}
			}
		}
		if len(errs) > 0 {
			return invalid("cuộc kiểm tra, giám sát chưa hợp lệ", errs...)
		}
		id, err := s.newID(ctx, tx, "inspection_rounds", "KT")
		if err != nil {
			return err
		}
		r.ID = id
		if _, err := tx.ExecContext(ctx, `INSERT INTO inspection_rounds (`+strings.ReplaceAll(roundCols, "r.", "")+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.ProgrammeID, r.OrgID, string(r.Body), string(r.Kind), r.Title, r.Decision, r.DecidedOn, strings.Join(r.Fields, ";"), r.Team,
			r.PlannedFrom, r.PlannedTo, string(r.Stage), "", ""); err != nil {
			return fmt.Errorf("store: round: %w", err)
		}
		for _, x := range r.Subjects {
			if _, err := tx.ExecContext(ctx, `INSERT INTO inspection_subjects (round_id, org_id, member_id) VALUES (?, ?, ?)`, r.ID, x.OrgID, x.MemberID); err != nil {
				return fmt.Errorf("store: round: %w", err)
			}
		}
		return s.audit(ctx, tx, actor, "create", "inspection_round", r.ID, nil, r)
	})
	if err != nil {
		return r, err
	}
	return s.Round(ctx, r.ID)
}

// AdvanceRound moves a round to its next stage on a date: preparation → conduct → concluded. A
// round is concluded only when every subject has a finding.
func (s *Store) AdvanceRound(ctx context.Context, actor, id string, stage dangvu.Stage, day dangvu.Date) (dangvu.InspectionRound, error) {
	err := s.tx(ctx, func(tx *dbTx) error {
		before, err := s.round(ctx, tx, id)
		if err != nil {
			return err
		}
		after := before
		switch {
		case before.Stage == dangvu.StagePreparation && stage == dangvu.StageConduct:
			after.ConductFrom = day
		case before.Stage == dangvu.StageConduct && stage == dangvu.StageConcluded:
			after.ConcludedOn = day
			for _, x := range before.Subjects {
				if x.Finding == dangvu.FindingPending {
					return invalid("chưa thể kết luận cuộc kiểm tra", fe("stage", "đối tượng %s chưa có kết luận", x.Name))
				}
			}
		default:
			return invalid("không chuyển được giai đoạn", fe("stage", "từ giai đoạn %q chỉ chuyển sang giai đoạn kế tiếp (chuẩn bị → tiến hành → kết luận)",
				dangvu.CodeName(dangvu.Stages, before.Stage)))
		}
		after.Stage = stage
		if errs := validateRound(after); len(errs) > 0 {
			return invalid("không chuyển được giai đoạn", errs...)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE inspection_rounds SET stage = ?, conduct_from = ?, concluded_on = ? WHERE id = ?`,
			string(after.Stage), after.ConductFrom, after.ConcludedOn, id); err != nil {
			return fmt.Errorf("store: round: %w", err)
		}
		return s.audit(ctx, tx, actor, "stage", "inspection_round", id, map[string]string{"stage": string(before.Stage)}, map[string]string{"stage": string(stage), "date": day.String()})
	})
	if err != nil {
		return dangvu.InspectionRound{}, err
	}
	return s.Round(ctx, id)
}

// ConcludeSubject records the conclusion about one subject of a round in conduct, or the
// follow-up of its recommendations later.
func (s *Store) ConcludeSubject(ctx context.Context, actor string, x dangvu.RoundSubject) (dangvu.InspectionRound, error) {
	err := s.tx(ctx, func(tx *dbTx) error {
		r, err := s.round(ctx, tx, x.RoundID)
		if err != nil {
			return err
		}
		var before *dangvu.RoundSubject
		for i := range r.Subjects {
			if r.Subjects[i].OrgID == x.OrgID && r.Subjects[i].MemberID == x.MemberID {
				before = &r.Subjects[i]
			}
		}
		if before == nil {
			return dangvu.Errorf(dangvu.ENotFound, "cuộc %s không có đối tượng này", r.ID)
		}
		if r.Stage == dangvu.StagePreparation {
			return invalid("chưa ghi được kết luận", fe("finding", "cuộc kiểm tra còn ở giai đoạn chuẩn bị"))
		}
		var errs []dangvu.FieldError
		if x.Finding == dangvu.FindingPending {
			errs = append(errs, fe("finding", "bắt buộc: có hay không có vi phạm"))
		}
		if !x.FollowUpDue.IsZero() && !r.ConductFrom.IsZero() && x.FollowUpDue.Before(r.ConductFrom) {
			errs = append(errs, fe("follow_up_due", "hạn thực hiện kiến nghị trước ngày tiến hành"))
		}
		errs = append(errs, validateSubject(x)...)
		if len(errs) > 0 {
			return invalid("kết luận chưa hợp lệ", errs...)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE inspection_subjects SET finding = ?, severity = ?, conclusion = ?, recommendations = ?, follow_up_due = ?, follow_up_done = ?
			WHERE round_id = ? AND org_id = ? AND member_id = ?`, string(x.Finding), string(x.Severity), x.Conclusion, x.Recommendations, x.FollowUpDue, x.FollowUpDone,
			x.RoundID, x.OrgID, x.MemberID); err != nil {
			return fmt.Errorf("store: conclusion: %w", err)
		}
		return s.audit(ctx, tx, actor, "conclude", "inspection_round", r.ID, before, x)
	})
	if err != nil {
		return dangvu.InspectionRound{}, err
	}
	return s.Round(ctx, x.RoundID)
}

// CreateDiscipline records a discipline decision after checking it against the rule set in force
// on its date, and applies its effects as of the effect date: an expulsion ends the membership
// (status "expelled", the official membership closed, the roster rebuilt for the member); a
// removal from a post named by its id ends that post.
func (s *Store) CreateDiscipline(ctx context.Context, actor string, d dangvu.Discipline) (dangvu.Discipline, error) {
	if errs := validateDiscipline(d); len(errs) > 0 {
		return d, invalid("quyết định kỷ luật chưa hợp lệ", errs...)
	}
	err := s.tx(ctx, func(tx *dbTx) error {
		if d.RoundID != "" {
			if _, err := s.round(ctx, tx, d.RoundID); err != nil {
				return invalid("quyết định kỷ luật chưa hợp lệ", fe("round_id", "%s", dangvu.ErrorMessage(err)))
			}
		}
		if d.MemberID != "" {
			var n int
			tx.QueryRowContext(ctx, `SELECT count(*) FROM members WHERE id = ?`, d.MemberID).Scan(&n)
			if n == 0 {
				return invalid("quyết định kỷ luật chưa hợp lệ", fe("member_id", "không có đảng viên mã %q", d.MemberID))
			}
		}
		probs, err := s.checkDiscipline(ctx, tx, d, false)
		if err != nil {
			return err
		}
		if len(probs) > 0 {
			return invalid("quyết định kỷ luật trái quy định ("+discipline.For(d.DecidedOn.Time).Title+")", probs...)
		}
		id, err := s.newID(ctx, tx, "disciplines", "KL")
		if err != nil {
			return err
		}
		d.ID = id
		// The members disciplined are counted for the top of the tree (disciplineTally).
		err = keepTallies(ctx, tx, disciplineTally, tallyIDs, []string{d.ID}, func() error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO disciplines (`+strings.ReplaceAll(disciplineCols, "d.", "")+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', ?, ?)`,
				d.ID, d.RoundID, d.MemberID, d.OrgID, string(d.Form), d.AuthorityOrgID, string(d.AuthorityBody), d.ViolationOn, d.RenewedOn, d.DecidedOn, d.EffectiveOn,
				d.Number, d.Reason, d.Post, d.NoLimit, boolInt(d.HigherTask)); err != nil {
				return fmt.Errorf("store: discipline: %w", err)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := s.applyDiscipline(ctx, tx, d); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "create", "discipline", d.ID, nil, d)
	})
	if err != nil {
		return d, err
	}
	return s.Discipline(ctx, d.ID)
}

// validateDiscipline checks a decision's own fields.
func validateDiscipline(d dangvu.Discipline) []dangvu.FieldError {
	var errs []dangvu.FieldError
	for _, x := range []struct{ f, v string }{{"number", d.Number}, {"violation_on", d.ViolationOn.String()}, {"decided_on", d.DecidedOn.String()}, {"effective_on", d.EffectiveOn.String()}} {
		if strings.TrimSpace(x.v) == "" {
			errs = append(errs, fe(x.f, "bắt buộc, không được để trống"))
		}
	}
	if (d.MemberID == "") == (d.OrgID == "") {
		errs = append(errs, fe("member_id", "cần đúng một trong đảng viên hoặc tổ chức đảng bị kỷ luật"))
	}
	if !dangvu.ValidCode(dangvu.DisciplineForms, d.Form) {
		errs = append(errs, fe("form", "hình thức kỷ luật không hợp lệ"))
	}
	if !dangvu.ValidCode(dangvu.Bodies, d.AuthorityBody) {
		errs = append(errs, fe("authority_body", "cơ quan quyết định không hợp lệ"))
	}
	return errs
}

// applyDiscipline writes a decision's effects on the member's history.
func (s *Store) applyDiscipline(ctx context.Context, tx *dbTx, d dangvu.Discipline) error {
	switch {
	case d.Form == dangvu.FormExpulsion && d.MemberID != "":
		return s.expel(ctx, tx, d, "", d.EffectiveOn, d.Number, d.Reason)
	case d.Form == dangvu.FormRemoval && d.Post != "":
		return s.removePost(ctx, tx, d)
	}
	return nil
}

// CreateAppeal records an appeal against a decision: lodged within a month of receiving it
// (otherwise it may only be recorded as rejected).
func (s *Store) CreateAppeal(ctx context.Context, actor string, a dangvu.DisciplineAppeal) (dangvu.DisciplineAppeal, error) {
	var errs []dangvu.FieldError
	for _, x := range []struct{ f, v string }{{"received_on", a.ReceivedOn.String()}, {"lodged_on", a.LodgedOn.String()}} {
		if x.v == "" {
			errs = append(errs, fe(x.f, "bắt buộc, không được để trống"))
		}
	}
	if !dangvu.ValidCode(dangvu.Bodies, a.HandlerBody) {
		errs = append(errs, fe("handler_body", "cơ quan giải quyết không hợp lệ"))
	}
	errs = append(errs, validateAppeal(s.calendar(), a)...)
	err := s.tx(ctx, func(tx *dbTx) error {
		d, err := s.discipline(ctx, tx, a.DisciplineID)
		if err != nil {
			return err
		}
		if !d.WithdrawnOn.IsZero() {
			return dangvu.Errorf(dangvu.EConflict, "quyết định %s đã được rút ngày %s, không còn khiếu nại được", d.Number, vnDate(d.WithdrawnOn))
		}
		if !a.ReceivedOn.IsZero() && a.ReceivedOn.Before(d.DecidedOn) {
			errs = append(errs, fe("received_on", "ngày nhận quyết định %s trước ngày quyết định %s", vnDate(a.ReceivedOn), vnDate(d.DecidedOn)))
		}
		if !a.LodgedOn.IsZero() {
			if e := requireOrgOn(ctx, s, tx, "handler_org_id", a.HandlerOrgID, a.LodgedOn); e != nil {
				errs = append(errs, *e)
			}
		}
		if len(errs) > 0 {
			return invalid("đơn khiếu nại kỷ luật chưa hợp lệ", errs...)
		}
		id, err := s.newID(ctx, tx, "discipline_appeals", "KN")
		if err != nil {
			return err
		}
		a.ID = id
		if _, err := tx.ExecContext(ctx, `INSERT INTO discipline_appeals (`+strings.ReplaceAll(appealCols, "a.", "")+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.ID, a.DisciplineID, a.ReceivedOn, a.LodgedOn, a.HandlerOrgID, string(a.HandlerBody), a.ResolvedOn, string(a.Outcome), string(a.NewForm), a.Note); err != nil {
			return fmt.Errorf("store: appeal: %w", err)
		}
		return s.audit(ctx, tx, actor, "create", "discipline_appeal", a.ID, nil, a)
	})
	if err != nil {
		return a, err
	}
	return s.Appeal(ctx, a.ID)
}

// ResolveAppeal records the outcome of an appeal. An outcome that annuls the decision or changes
// its form takes effect on the resolution date (applyOutcome).
func (s *Store) ResolveAppeal(ctx context.Context, actor, id string, resolvedOn dangvu.Date, outcome dangvu.AppealOutcome, newForm dangvu.DisciplineForm, note string) (dangvu.DisciplineAppeal, error) {
	err := s.tx(ctx, func(tx *dbTx) error {
		before, err := s.scanAppeal(tx.QueryRowContext(ctx, `SELECT `+appealSelect+` FROM discipline_appeals a WHERE a.id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return dangvu.Errorf(dangvu.ENotFound, "không có đơn khiếu nại kỷ luật mã %q", id)
		}
		if err != nil {
			return err
		}
		if !before.ResolvedOn.IsZero() {
			return dangvu.Errorf(dangvu.EConflict, "đơn khiếu nại %s đã được giải quyết ngày %s", id, vnDate(before.ResolvedOn))
		}
		after := before
		after.ResolvedOn, after.Outcome, after.NewForm = resolvedOn, outcome, newForm
		if note != "" {
			after.Note = note
		}
		errs := validateAppeal(s.calendar(), after)
		if resolvedOn.IsZero() {
			errs = append(errs, fe("resolved_on", "bắt buộc, không được để trống"))
		}
		if outcome != "" && !dangvu.ValidCode(dangvu.AppealOutcomes, outcome) {
			errs = append(errs, fe("outcome", "kết quả không hợp lệ"))
		}
		if len(errs) > 0 {
			return invalid("kết quả giải quyết chưa hợp lệ", errs...)
		}
		if err := s.applyOutcome(ctx, tx, actor, after); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE discipline_appeals SET resolved_on = ?, outcome = ?, new_form = ?, note = ? WHERE id = ?`,
			after.ResolvedOn, string(after.Outcome), string(after.NewForm), after.Note, id); err != nil {
			return fmt.Errorf("store: appeal: %w", err)
		}
		return s.audit(ctx, tx, actor, "resolve", "discipline_appeal", id, before, after)
	})
	if err != nil {
		return dangvu.DisciplineAppeal{}, err
	}
	return s.Appeal(ctx, id)
}

// RoundScope returns a round's conducting organisation and decision date, for scope checks.
func (s *Store) RoundScope(ctx context.Context, id string) (org string, day dangvu.Date, err error) {
	err = s.read.QueryRowContext(ctx, `SELECT org_id, decided_on FROM inspection_rounds WHERE id = ?`, id).Scan(&org, &day)
	if errors.Is(err, sql.ErrNoRows) {
		return "", dangvu.Date{}, dangvu.Errorf(dangvu.ENotFound, "không có cuộc kiểm tra, giám sát mã %q", id)
	}
	return org, day, err
}

// OrgName is an organisation's name on an ISO date (its id when unknown), for headings.
func (s *Store) OrgName(ctx context.Context, id string, day dangvu.Date) string {
	return s.orgName(ctx, id, day)
}

// subjectOutside checks that a round's subject lies in the conducting organisation's subtree on
// the decision date: an organisation strictly below it, a member belonging to it or below. It
// returns the reason when it does not ("" when it does).
func (s *Store) subjectOutside(ctx context.Context, q queryer, roundOrg string, day dangvu.Date, org, member string) (string, error) {
	var n int
	var err error
	// Both paths from the tree of the decision date (placement onDay).
	if org != "" {
		err = q.QueryRowContext(ctx, `SELECT count(*) FROM org_paths b WHERE b.org_id = ? AND `+onDay.covers("b", "?")+` AND `+onDay.under("b.path", "?", true),
			org, day, day, roundOrg, day, day).Scan(&n)
		if err == nil && n == 0 {
			return fmt.Sprintf("tổ chức đảng %s không trực thuộc %s vào ngày %s", org, roundOrg, vnDate(day)), nil
		}
	} else {
		err = q.QueryRowContext(ctx, `SELECT count(*) FROM memberships m
			JOIN org_paths b ON b.org_id = m.org_id AND `+onDay.covers("b", "?")+`
			WHERE m.member_id = ? AND m.kind = 'official' AND `+onDay.covers("m", "?")+` AND `+onDay.under("b.path", "?", false),
			day, day, member, day, day, roundOrg, day, day).Scan(&n)
		if err == nil && n == 0 {
			return fmt.Sprintf("đảng viên %s không sinh hoạt trong %s hoặc tổ chức trực thuộc vào ngày %s", member, roundOrg, vnDate(day)), nil
		}
	}
	if err != nil {
		return "", fmt.Errorf("store: round subject: %w", err)
	}
	return "", nil
}

// isoDay reads a stored ISO date for the rule packages' For(day); zero (their first set) when
// empty.
func isoDay(s string) time.Time {
	t, _ := dangvu.ParseISODate(s)
	return t
}
