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
	"dangvu/internal/rulebook"
	"dangvu/internal/rules/admission"
	"dangvu/internal/vn"
	"dangvu/internal/workday"
)

// calendar is the working-day calendar deadlines are counted with (Store.workdays).
func (s *Store) calendar() *workday.Calendar { return s.workdays() }

// CreateAdmissionFile opens a candidate's file in a cell. For a readmission, MemberID names the
// former member, who must be out of the party and never readmitted before.
func (s *Store) CreateAdmissionFile(ctx context.Context, actor string, f dangvu.AdmissionFile) (dangvu.AdmissionFile, error) {
	f.FullName = vn.NFC(strings.Join(strings.Fields(f.FullName), " "))
	var errs []dangvu.FieldError
	bad := func(field, format string, args ...any) {
		errs = append(errs, dangvu.FieldError{Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	if !idPattern.MatchString(f.ID) {
		bad("id", "mã hồ sơ %q không hợp lệ: chữ cái không dấu, chữ số, dấu chấm, gạch ngang; tối đa 64 ký tự", f.ID)
	}
	if f.FullName == "" {
		bad("full_name", "bắt buộc, không được để trống")
	}
	if f.Gender != dangvu.Male && f.Gender != dangvu.Female {
		bad("gender", "chọn Nam hoặc Nữ")
	}
	if p, err := vn.ParsePartialDate(f.BirthDate); err != nil || p.IsZero() {
		bad("birth_date", "cần ngày sinh (yyyy, yyyy-mm hoặc yyyy-mm-dd)")
	} else {
		f.BirthDate = p.String()
	}
	today := s.Clock.Today()
	// A cell in force today, or one that has since ended (files are entered from the archives).
	hist, err := s.OrgHistory(ctx, f.OrgID)
	if err != nil || len(hist) == 0 {
		bad("org_id", "không có tổ chức đảng mã %q", f.OrgID)
	} else if o := hist[len(hist)-1]; !o.Level.IsCell() {
		bad("org_id", "%s không phải chi bộ: hồ sơ kết nạp lập ở chi bộ (Điều lệ Đảng Điều 4)", o.Name)
	}
	if len(errs) > 0 {
		return f, invalid("Hồ sơ kết nạp chưa hợp lệ.", errs...)
	}
	err = s.tx(ctx, func(tx *dbTx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM admission_files WHERE id = ?`, f.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return dangvu.Errorf(dangvu.EConflict, "đã có hồ sơ kết nạp mã %s", f.ID)
		}
		if f.Readmission {
			m, err := s.member(ctx, tx, f.MemberID, today)
			if err != nil {
				return invalid("Hồ sơ kết nạp lại chưa hợp lệ.", dangvu.FieldError{Field: "member_id", Reason: "cần mã đảng viên cũ có trong cơ sở dữ liệu"})
			}
			if m.Status.InParty() {
				return invalid("Hồ sơ kết nạp lại chưa hợp lệ.", dangvu.FieldError{Field: "member_id", Reason: m.FullName + " đang là đảng viên"})
			}
			if m.Status == dangvu.StatusDeceased {
				return invalid("Hồ sơ kết nạp lại chưa hợp lệ.", dangvu.FieldError{Field: "member_id", Reason: m.FullName + " đã từ trần"})
			}
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM admission_files WHERE member_id = ? AND readmission = 1`, f.MemberID).Scan(&n); err != nil {
				return err
			}
			// Only the number of readmissions is judged here; the wait, the reason for leaving and the
			// consent are judged at the cell's vote and the decision, where an override may be given.
			if v := admission.For(today).Readmission(n, time.Time{}, "", today); v != nil {
				return violations("Không thể lập hồ sơ kết nạp lại.", v)
			}
		} else {
			f.MemberID = ""
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO admission_files (id, org_id, full_name, gender, birth_date, education, youth_union, member_id, readmission, note)
			VALUES (?,?,?,?,?,?,?,?,?,?)`, f.ID, f.OrgID, f.FullName, f.Gender, f.BirthDate, f.Education, b2i(f.YouthUnion), f.MemberID, b2i(f.Readmission), f.Note); err != nil {
			return fmt.Errorf("store: admission file: %w", err)
		}
		return s.audit(ctx, tx, actor, "create", "admission_file", f.ID, nil, f)
	})
	if err != nil {
		return f, err
	}
	return s.AdmissionFile(ctx, f.ID)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func violations(msg string, v []rulebook.Problem) error {
	e := &dangvu.Error{Code: dangvu.EInvalid, Message: msg}
	for _, x := range v {
		e.Fields = append(e.Fields, dangvu.FieldError{Field: x.Field, Reason: x.String()})
	}
	return e
}

const fileCols = `f.id, f.org_id, f.full_name, f.gender, f.birth_date, f.education, f.youth_union, f.member_id, f.readmission, f.note`

func scanFile(sc interface{ Scan(...any) error }) (dangvu.AdmissionFile, error) {
	var f dangvu.AdmissionFile
	var yu, re int
	err := sc.Scan(&f.ID, &f.OrgID, &f.FullName, &f.Gender, &f.BirthDate, &f.Education, &yu, &f.MemberID, &re, &f.Note)
	f.YouthUnion, f.Readmission = yu == 1, re == 1
	return f, err
}

// AdmissionFile returns a file with its steps and what comes next.
func (s *Store) AdmissionFile(ctx context.Context, id string) (dangvu.AdmissionFile, error) {
	return s.admissionFile(ctx, s.read, id)
}

func (s *Store) admissionFile(ctx context.Context, q queryer, id string) (dangvu.AdmissionFile, error) {
	f, err := scanFile(q.QueryRowContext(ctx, `SELECT `+fileCols+` FROM admission_files f WHERE f.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return f, dangvu.Errorf(dangvu.ENotFound, "không có hồ sơ kết nạp mã %q", id)
	}
	if err != nil {
		return f, fmt.Errorf("store: admission file: %w", err)
	}
	steps, err := s.admissionSteps(ctx, q, `file_id = ?`, id)
	if err != nil {
		return f, err
	}
	f.Steps = steps[id]
	s.deriveFile(ctx, &f, orgVersions{})
	return f, nil
}

func (s *Store) admissionSteps(ctx context.Context, q queryer, where string, args ...any) (map[string][]dangvu.AdmissionStep, error) {
	rows, err := q.QueryContext(ctx, `SELECT file_id, stage, date, document, issuer, entitled, present, yes, people, known, replacements, extension, outcome, override, attachment, note
		FROM admission_steps WHERE `+where+` ORDER BY file_id, date`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: admission steps: %w", err)
	}
	defer rows.Close()
	out := map[string][]dangvu.AdmissionStep{}
	for rows.Next() {
		var st dangvu.AdmissionStep
		var stage, people, known, repl string
		if err := rows.Scan(&st.FileID, &stage, &st.Date, &st.Document, &st.Issuer, &st.Entitled, &st.Present, &st.Yes, &people, &known, &repl, &st.Extension, &st.Outcome, &st.Override, &st.Attachment, &st.Note); err != nil {
			return nil, err
		}
		st.Stage = dangvu.AdmissionStage(stage)
		st.People, st.Known, st.Replacements = admSplit(people), admSplit(known), admSplit(repl)
		out[st.FileID] = append(out[st.FileID], st)
	}
	for id := range out {
		sortSteps(out[id])
	}
	return out, rows.Err()
}

func sortSteps(st []dangvu.AdmissionStep) {
	for i := 1; i < len(st); i++ {
		for j := i; j > 0 && dangvu.AdmissionStageIndex(st[j].Stage) < dangvu.AdmissionStageIndex(st[j-1].Stage); j-- {
			st[j], st[j-1] = st[j-1], st[j]
		}
	}
}

func admSplit(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ";")
}

// orgVersions caches organisations' versions while files are listed.
type orgVersions map[string][]dangvu.Org

// at returns the version of orgID in force on d, or its last version when none is (ok false).
func (c orgVersions) at(ctx context.Context, s *Store, orgID string, d time.Time) (dangvu.Org, bool) {
	h, seen := c[orgID]
	if !seen {
		h, _ = s.OrgHistory(ctx, orgID)
		c[orgID] = h
	}
	day := dangvu.DateOf(d)
	for _, v := range h {
		if day.Within(v.ValidFrom, v.ValidTo) {
			return v, true
		}
	}
	if len(h) > 0 {
		return h[len(h)-1], false
	}
	return dangvu.Org{ID: orgID}, false
}

// needsCommittee reports whether a file's cell has a grassroots committee above it that votes
// (a grassroots cell, chi bộ cơ sở, has none).
func (s *Store) needsCommittee(ctx context.Context, orgID string, on time.Time) bool {
	o, ok := orgVersions{}.at(ctx, s, orgID, on)
	return !ok || o.Level != dangvu.LevelGrassrootsCell
}

// deriveFile fills the organisation's name, the next stage and the state.
func (s *Store) deriveFile(ctx context.Context, f *dangvu.AdmissionFile, orgs orgVersions) {
	on := s.Clock.Today()
	if n := len(f.Steps); n > 0 {
		if t, err := dangvu.RequireDate(f.Steps[n-1].Date); err == nil {
			on = t
		}
	}
	o, _ := orgs.at(ctx, s, f.OrgID, on)
	f.OrgName = o.Name
	f.State, f.Next = "candidate", ""
	done := map[dangvu.AdmissionStage]dangvu.AdmissionStep{}
	for _, st := range f.Steps {
		done[st.Stage] = st
	}
	if _, ok := done[dangvu.StageCeremony]; ok {
		f.State = "probation"
	}
	if st, ok := done[dangvu.StageFullDecision]; ok {
		f.State = "full"
		if st.Outcome == dangvu.OutcomeRejected {
			f.State = "removed"
		}
		return
	}
	for _, c := range dangvu.AdmissionStages {
		if _, ok := done[c.Code]; ok {
			continue
		}
		if c.Code == dangvu.StageCommitteeVote {
			if cv, ok := done[dangvu.StageCellVote]; ok {
				t, _ := dangvu.RequireDate(cv.Date)
				if o, ok := orgs.at(ctx, s, f.OrgID, t); ok && o.Level == dangvu.LevelGrassrootsCell {
					continue
				}
			}
		}
		f.Next = c.Code
		return
	}
}

// AdmissionFiles lists the files of cells in an organisation's subtree as of asOf, as they stood
// that day (the steps recorded by then), the most recently active first.
func (s *Store) AdmissionFiles(ctx context.Context, flt dangvu.AdmissionFilter, asOf time.Time) ([]dangvu.AdmissionFile, error) {
	o, err := s.Org(ctx, flt.Under, asOf)
	if err != nil {
		return nil, err
	}
	lo, hi := subtreeRange(o.Path)
	d := dateArg(asOf)
	limit := flt.Limit
	if limit <= 0 || limit > 5000 {
		limit = 500
	}
	under := `SELECT f.id FROM admission_files f JOIN org_paths p ON p.org_id = f.org_id AND p.valid_from <= ? AND p.valid_to > ?
		WHERE p.path >= ? AND p.path < ?`
	steps, err := s.admissionSteps(ctx, s.read, `file_id IN (`+under+`)`, d, d, lo, hi)
	if err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+fileCols+` FROM admission_files f WHERE f.id IN (`+under+`)
		ORDER BY COALESCE((SELECT max(date) FROM admission_steps x WHERE x.file_id = f.id), '') DESC, f.id`, d, d, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("store: admission files: %w", err)
	}
	var files []dangvu.AdmissionFile
	for rows.Next() {
		f, err := scanFile(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		files = append(files, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := []dangvu.AdmissionFile{}
	orgs := orgVersions{}
	for _, f := range files {
		// As of d: the steps recorded by then; a file begun later is not listed.
		all := steps[f.ID]
		for _, st := range all {
			if !st.Date.After(dangvu.DateOf(asOf)) {
				f.Steps = append(f.Steps, st)
			}
		}
		if len(all) > 0 && len(f.Steps) == 0 {
			continue
		}
		s.deriveFile(ctx, &f, orgs)
		if (flt.Next != "" && f.Next != flt.Next) || (flt.State != "" && f.State != flt.State) {
			continue
		}
		out = append(out, f)
		if len(out) >= limit {
			break
		}
	}
	return out, nil
}

// AdmissionFileOrg returns the cell of a file, for access checks.
func (s *Store) AdmissionFileOrg(ctx context.Context, id string) (string, error) {
	var org string
	err := s.read.QueryRowContext(ctx, `SELECT org_id FROM admission_files WHERE id = ?`, id).Scan(&org)
	if errors.Is(err, sql.ErrNoRows) {
		return "", dangvu.Errorf(dangvu.ENotFound, "không có hồ sơ kết nạp mã %q", id)
	}
	return org, err
}

// RecordStep records a stage of an admission file. It refuses a stage out of order, a date
// before the previous stage, and anything the rule set in force on the stage's date refuses —
// unless the step carries an override reason, which is kept with the step and in the audit log.
// The ceremony makes the candidate a probationary member of the cell; the full-membership
// decision makes them full from the end of probation, or removes them from the list.
func (s *Store) RecordStep(ctx context.Context, actor string, st dangvu.AdmissionStep, att *dangvu.Attachment) (dangvu.AdmissionFile, error) {
	var out dangvu.AdmissionFile
	if att != nil {
		if len(att.Content) == 0 || len(att.Content) > MaxAttachment {
			return out, invalid("Không ghi được bước "+dangvu.AdmissionStageName(st.Stage)+".", dangvu.FieldError{Field: "attachment", Reason: fmt.Sprintf("tệp đính kèm phải có nội dung và không quá %d MB", MaxAttachment>>20)})
		}
		st.Attachment = att.Name
	}
	err := s.tx(ctx, func(tx *dbTx) error {
		f, err := s.admissionFile(ctx, tx, st.FileID)
		if err != nil {
			return err
		}
		st, err = s.checkStep(ctx, tx, f, st)
		if err != nil {
			return err
		}
		insert := func() error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO admission_steps (file_id, stage, date, document, issuer, entitled, present, yes, people, known, replacements, extension, outcome, override, attachment, note)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, st.FileID, string(st.Stage), st.Date, st.Document, st.Issuer, st.Entitled, st.Present, st.Yes,
				strings.Join(st.People, ";"), strings.Join(st.Known, ";"), strings.Join(st.Replacements, ";"), st.Extension, st.Outcome, st.Override, st.Attachment, st.Note); err != nil {
				return fmt.Errorf("store: admission step: %w", err)
			}
			return nil
		}
		if st.Stage == dangvu.StageDecision {
			// A decision is an admission counted for the top of the tree, and the file's member
			// is no longer counted by their admission day (tallies.go): two disjoint selections.
			byMember := func() error { return keepTallies(ctx, tx, admissionTally, tallyMembers, nonEmpty(f.MemberID), insert) }
			err = keepTallies(ctx, tx, admissionTally, tallyIDs, []string{f.ID}, byMember)
		} else {
			err = insert()
		}
		if err != nil {
			return err
		}
		if att != nil {
			if _, err := tx.ExecContext(ctx, `INSERT INTO admission_attachments (file_id, stage, name, content) VALUES (?,?,?,?)`, st.FileID, string(st.Stage), att.Name, att.Content); err != nil {
				return fmt.Errorf("store: attachment: %w", err)
			}
		}
		f.Steps = append(f.Steps, st)
		if err := s.applyStep(ctx, tx, actor, &f, st); err != nil {
			return err
		}
		action := "record"
		if st.Override != "" {
			action = "record_override"
		}
		if err := s.audit(ctx, tx, actor, action, "admission_step", st.FileID+"/"+string(st.Stage), nil, st); err != nil {
			return err
		}
		out, err = s.admissionFile(ctx, tx, st.FileID)
		return err
	})
	return out, err
}

// checkStep validates a step against the file and the rules; it returns the step normalised.
func (s *Store) checkStep(ctx context.Context, q queryer, f dangvu.AdmissionFile, st dangvu.AdmissionStep) (dangvu.AdmissionStep, error) {
	msg := "Không ghi được bước " + dangvu.AdmissionStageName(st.Stage) + "."
	if dangvu.AdmissionStageIndex(st.Stage) < 0 {
		return st, invalid("Bước không hợp lệ.", dangvu.FieldError{Field: "stage", Reason: fmt.Sprintf("bước %q không có", st.Stage)})
	}
	if _, ok := f.Step(st.Stage); ok {
		return st, dangvu.Errorf(dangvu.EConflict, "hồ sơ %s đã ghi bước %s", f.ID, dangvu.AdmissionStageName(st.Stage))
	}
	on, err := dangvu.RequireDate(st.Date)
	if err != nil {
		return st, invalid(msg, dangvu.FieldError{Field: "date", Reason: "cần ngày (dd/mm/yyyy)"})
	}
	if on.After(s.Clock.Today()) {
		return st, invalid(msg, dangvu.FieldError{Field: "date", Reason: "ngày " + vn.FormatDate(on) + " ở tương lai"})
	}
	st.Override = strings.TrimSpace(st.Override)
	set := admission.For(on)
	cal := s.calendar()
	var v []rulebook.Problem
	date := func(stage dangvu.AdmissionStage) (time.Time, bool) {
		x, ok := f.Step(stage)
		if !ok {
			return time.Time{}, false
		}
		t, err := dangvu.RequireDate(x.Date)
		return t, err == nil
	}
	// Order: every earlier stage recorded (the committee vote only where there is a grassroots
	// committee), none dated after this one.
	idx := dangvu.AdmissionStageIndex(st.Stage)
	for _, c := range dangvu.AdmissionStages[:idx] {
		t, ok := date(c.Code)
		if !ok {
			if c.Code == dangvu.StageCommitteeVote && !s.needsCommittee(ctx, f.OrgID, on) {
				continue
			}
			v = append(v, set.Problem("stage", admission.RuleOrder, "chưa ghi bước trước: "+c.Name))
			continue
		}
		if t.After(on) {
			v = append(v, set.Problem("date", admission.RuleOrder, fmt.Sprintf("ngày %s trước ngày của bước %s (%s)", vn.FormatDate(on), c.Name, vn.FormatDate(t))))
		}
	}
	vote := func(rule string) {
		v = append(v, set.Vote(rule, st.Yes, st.Present, st.Entitled)...)
	}
	switch st.Stage {
	case dangvu.StageIntroducers:
		list, err := s.introducerFacts(ctx, q, st, on)
		if err != nil {
			return st, err
		}
		v = append(v, set.CheckIntroducers(list, f.YouthUnion, on)...)
		for _, r := range st.Replacements {
			if !slices.Contains(st.People, r) {
				return st, invalid(msg, dangvu.FieldError{Field: "replacements", Reason: fmt.Sprintf("%s không có trong danh sách người giới thiệu", r)})
			}
		}
	case dangvu.StageCellVote:
		birth, _ := vn.ParsePartialDate(f.BirthDate)
		v = append(v, set.Age(birth, on)...)
		if f.Readmission && f.MemberID != "" {
			left, reason, err := s.leftParty(ctx, q, f.MemberID, on)
			if err != nil {
				return st, err
			}
			v = append(v, set.Readmission(0, left, reason, on)...)
		}
		v = append(v, set.Education(f.Education)...)
		if c, ok := date(dangvu.StageCertificate); ok {
			v = append(v, set.Certificate(c, on)...)
		}
		vote(admission.RuleCellVote)
	case dangvu.StageCommitteeVote:
		vote(admission.RuleCommittee)
	case dangvu.StageDecision:
		from, ok := date(dangvu.StageCommitteeVote)
		if !ok {
			from, ok = date(dangvu.StageCellVote)
		}
		if ok {
			// The deadline runs from the cell's resolution (domain.md §4).
			if cv, ok := date(dangvu.StageCellVote); ok {
				from = cv
			}
			days := set.DecisionDays
			if strings.TrimSpace(st.Extension) != "" {
				days += set.ExtensionDays // extended once by the competent committee
			}
			v = append(v, set.Within(cal, "date", admission.RuleDecision, from, on, days, "Quyết định kết nạp")...)
		}
		if strings.TrimSpace(st.Document) == "" {
			v = append(v, set.Problem("document", admission.RuleDecision, "cần số quyết định kết nạp"))
		}
		if f.Readmission && st.Override == "" {
			v = append(v, set.ReadmissionConsentMissing())
		}
	case dangvu.StageCeremony:
		if d, ok := date(dangvu.StageDecision); ok {
			v = append(v, set.Within(cal, "date", admission.RuleCeremony, d, on, set.CeremonyDays, "Lễ kết nạp")...)
		}
	case dangvu.StageFullVote:
		if c, ok := date(dangvu.StageCeremony); ok {
			cs := admission.For(c)
			end := cs.ProbationEnd(c)
			if on.Before(cs.FullFrom(c)) {
				v = append(v, cs.Problem("date", admission.RuleProbation, fmt.Sprintf("chưa hết 12 tháng dự bị (hết ngày %s)", vn.FormatDate(end))))
			} else {
				v = append(v, set.Within(cal, "date", admission.RuleFullVote, end, on, set.FullVoteDays, "Chi bộ xét công nhận chính thức")...)
			}
		}
		switch {
		case st.Entitled <= 0 || st.Present > st.Entitled || st.Yes > st.Present || st.Yes < 0:
			vote(admission.RuleFullVote)
		case set.Passed(st.Yes, st.Entitled):
			st.Outcome = dangvu.OutcomeApproved
		default:
			// A vote that fails is a valid resolution: the cell proposes removal from the list.
			st.Outcome = dangvu.OutcomeRejected
		}
	case dangvu.StageFullDecision:
		if d, ok := date(dangvu.StageFullVote); ok {
			days := set.FullDecisionDays
			if strings.TrimSpace(st.Extension) != "" {
				days += set.ExtensionDays
			}
			v = append(v, set.Within(cal, "date", admission.RuleFullDecision, d, on, days, "Quyết định công nhận chính thức")...)
			if fv, _ := f.Step(dangvu.StageFullVote); fv.Outcome == dangvu.OutcomeRejected && st.Outcome == dangvu.OutcomeApproved {
				v = append(v, set.Problem("outcome", admission.RuleFullVote, "chi bộ không đủ 2/3 tán thành công nhận chính thức"))
			}
		}
		if st.Outcome != dangvu.OutcomeApproved && st.Outcome != dangvu.OutcomeRejected {
			return st, invalid(msg, dangvu.FieldError{Field: "outcome", Reason: "chọn công nhận chính thức (approved) hoặc không công nhận, xóa tên (rejected)"})
		}
		if strings.TrimSpace(st.Document) == "" {
			v = append(v, set.Problem("document", admission.RuleFullDecision, "cần số quyết định"))
		}
	}
	if len(v) > 0 && st.Override == "" {
		return st, violations(msg+" Nếu có văn bản cho phép, ghi lý do vượt quy định (override).", v)
	}
	if len(v) > 0 {
		// Kept with the step: what was overridden.
		var rs []string
		for _, x := range v {
			rs = append(rs, x.Reason)
		}
		st.Override = st.Override + " [vượt: " + strings.Join(rs, "; ") + "]"
	}
	return st, nil
}

// leftParty returns when and why a former member left the Party, as of on: the start of the
// out-of-party status in force that day, with its name, reason and document; zero if in the Party.
func (s *Store) leftParty(ctx context.Context, q queryer, member string, on time.Time) (time.Time, string, error) {
	var from, status, doc, reason string
	err := q.QueryRowContext(ctx, `SELECT valid_from, status, document, reason FROM member_statuses
		WHERE member_id = ? AND valid_from <= ? ORDER BY valid_from DESC LIMIT 1`, member, dangvu.ISO(on)).Scan(&from, &status, &doc, &reason)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, "", nil
	}
	if err != nil {
		return time.Time{}, "", fmt.Errorf("store: status of %s: %w", member, err)
	}
	st := dangvu.Status(status)
	if st.InParty() {
		return time.Time{}, "", nil
	}
	t, err := dangvu.ParseISODate(from)
	if err != nil {
		return time.Time{}, "", nil
	}
	why := dangvu.CodeName(dangvu.Statuses, st)
	for _, x := range []string{reason, doc} {
		if x = strings.TrimSpace(x); x != "" {
			why += ": " + x
		}
	}
	return t, why, nil
}

// introducerFacts reads, for each introducer of a step, whether they were a full member that day.
func (s *Store) introducerFacts(ctx context.Context, q queryer, st dangvu.AdmissionStep, on time.Time) ([]admission.Introducer, error) {
	var out []admission.Introducer
	for i, id := range st.People {
		id = strings.TrimSpace(id)
		if id == dangvu.YouthUnionIntroducer {
			out = append(out, admission.Introducer{YouthUnion: true})
			continue
		}
		if id == dangvu.TradeUnionIntroducer {
			out = append(out, admission.Introducer{TradeUnion: true})
			continue
		}
		in := admission.Introducer{ID: id, Replacement: slices.Contains(st.Replacements, id)}
		m, err := s.member(ctx, q, id, on)
		if err != nil {
			return nil, invalid("Không ghi được người giới thiệu.", dangvu.FieldError{Field: "people", Reason: fmt.Sprintf("không có đảng viên mã %q", id)})
		}
		in.Full = m.Status == dangvu.StatusFull
		if i < len(st.Known) {
			k := strings.TrimSpace(st.Known[i])
			if day, rest, ok := strings.Cut(k, " "); ok && vn.Fold(strings.TrimSpace(rest)) == vn.Fold("cư trú") {
				k, in.Lived = day, true
			}
			if t, err := dangvu.ParseISODate(k); err == nil {
				in.KnownSince = t
			}
		}
		out = append(out, in)
	}
	return out, nil
}

// applyStep writes what a step changes in the member's record and history.
func (s *Store) applyStep(ctx context.Context, tx *dbTx, actor string, f *dangvu.AdmissionFile, st dangvu.AdmissionStep) error {
	switch st.Stage {
	case dangvu.StageCeremony:
		admitted := st.Date
		if d, ok := f.Step(dangvu.StageDecision); ok {
			admitted = d.Date
		}
		doc := st.Document
		if d, ok := f.Step(dangvu.StageDecision); ok && d.Document != "" {
			doc = d.Document
		}
		if f.MemberID == "" {
			f.MemberID = f.ID
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM members WHERE id = ?`, f.MemberID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return dangvu.Errorf(dangvu.EConflict, "đã có đảng viên mã %s", f.MemberID)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO members (id, full_name, name_fold, name_key, gender, birth_date, education, admitted_on)
				VALUES (?,?,?,?,?,?,?,?)`, f.MemberID, f.FullName, vn.Fold(f.FullName), vn.NameKey(f.FullName), f.Gender, f.BirthDate, f.Education, admitted); err != nil {
				return fmt.Errorf("store: admission: member: %w", err)
			}
			if err := s.rebuildNameTails(ctx, tx, f.MemberID); err != nil {
				return err
			}
			var was string
			if err := tx.QueryRowContext(ctx, `SELECT member_id FROM admission_files WHERE id = ?`, f.ID).Scan(&was); err != nil {
				return err
			}
			// Whether a member is counted by their admission day depends on their files' decisions.
			err := keepTallies(ctx, tx, admissionTally, tallyMembers, nonEmpty(was, f.MemberID), func() error {
				_, err := tx.ExecContext(ctx, `UPDATE admission_files SET member_id = ? WHERE id = ?`, f.MemberID, f.ID)
				return err
			})
			if err != nil {
				return err
			}
		} else {
			var open int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM memberships WHERE member_id = ? AND kind = 'official' AND valid_to > ?`, f.MemberID, st.Date).Scan(&open); err != nil {
				return err
			}
			if open > 0 {
				return invalid("Không ghi được lễ kết nạp lại.", dangvu.FieldError{Field: "member_id", Reason: "đảng viên cũ còn nơi sinh hoạt chính thức sau ngày " + vnDate(st.Date)})
			}
		}
		if err := s.addStatus(ctx, tx, f.MemberID, st.Date, dangvu.StatusProbationary, doc, "Kết nạp vào Đảng (hồ sơ "+f.ID+")"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (member_id, org_id, valid_from, valid_to, kind, document) VALUES (?,?,?,?,?,?)`,
			f.MemberID, f.OrgID, st.Date, dangvu.Forever, string(dangvu.MembershipOfficial), doc); err != nil {
			return fmt.Errorf("store: admission: membership: %w", err)
		}
	case dangvu.StageFullDecision:
		c, ok := f.Step(dangvu.StageCeremony)
		if !ok || f.MemberID == "" {
			return nil
		}
		ct, _ := dangvu.RequireDate(c.Date)
		if st.Outcome == dangvu.OutcomeApproved {
			from := dangvu.DateOf(admission.For(ct).FullFrom(ct))
			if err := s.addStatus(ctx, tx, f.MemberID, from, dangvu.StatusFull, st.Document, "Công nhận đảng viên chính thức"); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE members SET full_on = ? WHERE id = ?`, from, f.MemberID); err != nil {
				return err
			}
		} else {
			if err := s.addStatus(ctx, tx, f.MemberID, st.Date, dangvu.StatusRemoved, st.Document, "Không được công nhận đảng viên chính thức"); err != nil {
				return err
			}
			if err := s.endMembership(ctx, tx, f.MemberID, st.Date); err != nil {
				return err
			}
		}
	default:
		return nil
	}
	return s.rebuildRoster(ctx, tx, "", f.MemberID)
}

// addStatus adds a status from a date; it refuses to rewrite a history that goes on after it.
func (s *Store) addStatus(ctx context.Context, q queryer, member string, from dangvu.Date, st dangvu.Status, doc, reason string) error {
	var later int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM member_statuses WHERE member_id = ? AND valid_from >= ?`, member, from).Scan(&later); err != nil {
		return err
	}
	if later > 0 {
		return invalid("Không ghi được trạng thái.", dangvu.FieldError{Field: "date", Reason: fmt.Sprintf("đảng viên %s đã có trạng thái từ ngày %s trở về sau", member, vnDate(from))})
	}
	_, err := q.ExecContext(ctx, `INSERT INTO member_statuses (member_id, valid_from, status, document, reason) VALUES (?,?,?,?,?)`, member, from, string(st), doc, reason)
	return err
}

// endMembership closes the member's open official membership on d.
func (s *Store) endMembership(ctx context.Context, q queryer, member string, d dangvu.Date) error {
	_, err := q.ExecContext(ctx, `UPDATE memberships SET valid_to = ? WHERE member_id = ? AND kind = 'official' AND valid_from < ? AND valid_to > ?`, d, member, d, d)
	return err
}

// MaxAttachment bounds a stored scan.
const MaxAttachment = 10 << 20

// AdmissionAttachment returns the stored scan of a file's stage.
func (s *Store) AdmissionAttachment(ctx context.Context, fileID string, stage dangvu.AdmissionStage) (dangvu.Attachment, error) {
	var a dangvu.Attachment
	err := s.read.QueryRowContext(ctx, `SELECT name, content FROM admission_attachments WHERE file_id = ? AND stage = ?`, fileID, string(stage)).Scan(&a.Name, &a.Content)
	if errors.Is(err, sql.ErrNoRows) {
		return a, dangvu.Errorf(dangvu.ENotFound, "hồ sơ %s không có tệp đính kèm cho bước %s", fileID, dangvu.AdmissionStageName(stage))
	}
	return a, err
}
