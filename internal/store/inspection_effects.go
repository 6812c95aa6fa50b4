package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"dangvu"
	"dangvu/internal/rules/discipline"
)

// A discipline decision after the fact (docs/inspection.md, "Appeals, corrections and
// withdrawal"): the outcome of an appeal changes or annuls it as of the resolution date, a
// decision recorded with a mistake is corrected, and one recorded in error is withdrawn. The
// effects a decision wrote on the member's history (an expulsion: status "expelled", memberships
// closed, roster; a removal: the post ended) are recorded in discipline_effects so that they can
// be reversed exactly.

// liveDiscipline is the condition that decision d is not withdrawn and not annulled by an appeal
// resolved on or before the date bound by ?.
const liveDiscipline = `(d.withdrawn_on = '' AND NOT EXISTS (SELECT 1 FROM discipline_appeals xa
	WHERE xa.discipline_id = d.id AND xa.outcome = 'annulled' AND xa.resolved_on <> '' AND xa.resolved_on <= ?))`

// changesOf fills d.Changes (every resolved appeal that changed the decision) and CurrentForm,
// Annulled as they stand on asOf (the zero Date for every change recorded).
func (s *Store) changesOf(ctx context.Context, q queryer, d *dangvu.Discipline, asOf dangvu.Date) error {
	all, err := s.formChanges(ctx, q, d.ID)
	if err != nil {
		return err
	}
	fillChanges(d, all[d.ID], asOf)
	return nil
}

// formChanges reads the resolved appeals that changed a decision (id), or every decision (""),
// by decision, oldest first. Appeals are few: one query serves a whole list.
func (s *Store) formChanges(ctx context.Context, q queryer, id string) (map[string][]dangvu.DisciplineChange, error) {
	query := `SELECT discipline_id, id, resolved_on, outcome, new_form FROM discipline_appeals
		WHERE resolved_on <> '' AND outcome IN ('annulled', 'lessened', 'increased')`
	var args []any
	if id != "" {
		query += ` AND discipline_id = ?`
		args = append(args, id)
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY resolved_on, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: discipline changes: %w", err)
	}
	defer rows.Close()
	out := map[string][]dangvu.DisciplineChange{}
	for rows.Next() {
		var did, outcome, nf string
		var c dangvu.DisciplineChange
		if err := rows.Scan(&did, &c.AppealID, &c.On, &outcome, &nf); err != nil {
			return nil, err
		}
		c.Outcome = dangvu.AppealOutcome(outcome)
		if c.Outcome != "annulled" {
			c.To = dangvu.DisciplineForm(nf)
		}
		out[did] = append(out[did], c)
	}
	return out, rows.Err()
}

// fillChanges sets d's changes (their From forms chained from the original form) and the form
// in force on asOf.
func fillChanges(d *dangvu.Discipline, cs []dangvu.DisciplineChange, asOf dangvu.Date) {
	d.Changes, d.CurrentForm, d.Annulled = nil, d.Form, false
	form := d.Form
	for _, c := range cs {
		c.From = form
		form = c.To
		d.Changes = append(d.Changes, c)
		if asOf.IsZero() || !c.On.After(asOf) {
			d.CurrentForm, d.Annulled = c.To, c.To == ""
		}
	}
}

// expulsionSince returns when and by which change (appeal id, "" for the decision itself) the
// expulsion in force at the end of d.Changes began; ok is false when no expulsion is in force.
func expulsionSince(d dangvu.Discipline) (since dangvu.Date, by string, ok bool) {
	form, since := d.Form, d.EffectiveOn
	for _, c := range d.Changes {
		if c.To != form {
			since, by = c.On, c.AppealID
		}
		form = c.To
	}
	return since, by, form == dangvu.FormExpulsion && d.MemberID != ""
}

// expel writes an expulsion as of day: status "expelled", every membership running across day
// closed on it (recorded in discipline_effects with its original end), the roster rebuilt.
func (s *Store) expel(ctx context.Context, tx *dbTx, d dangvu.Discipline, appealID string, day dangvu.Date, document, reason string) error {
	var later int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM member_statuses WHERE member_id = ? AND valid_from >= ?`, d.MemberID, day).Scan(&later); err != nil {
		return fmt.Errorf("store: discipline: %w", err)
	}
	if later > 0 {
		return invalid("quyết định kỷ luật chưa hợp lệ", fe("effective_on", "lịch sử trạng thái của đảng viên đã có thay đổi từ ngày %s trở đi; sửa lịch sử trước khi ghi khai trừ", vnDate(day)))
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO member_statuses (member_id, valid_from, status, document, reason) VALUES (?, ?, 'expelled', ?, ?)`,
		d.MemberID, day, document, reason); err != nil {
		return fmt.Errorf("store: discipline: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO discipline_effects (discipline_id, appeal_id, tbl, ref, kind, member_id, valid_from, valid_to, closed_on)
		SELECT ?, ?, 'memberships', org_id, kind, member_id, valid_from, valid_to, ? FROM memberships WHERE member_id = ? AND valid_from < ? AND valid_to > ?`,
		d.ID, appealID, day, d.MemberID, day, day); err != nil {
		return fmt.Errorf("store: discipline: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE memberships SET valid_to = ? WHERE member_id = ? AND valid_from < ? AND valid_to > ?`,
		day, d.MemberID, day, day); err != nil {
		return fmt.Errorf("store: discipline: %w", err)
	}
	return s.rebuildRoster(ctx, tx, "", d.MemberID)
}

type closedRow struct{ org, kind, from, to string }

// unexpel reverses the expulsion written on since (by the decision or appeal by) as of day: on or
// before since it is undone (the "expelled" status removed, the memberships given back their
// original ends, as if never written); after since the member is restored from day (the status
// the member had before the expulsion, the closed memberships reopened from day to their original
// ends), so that the history keeps the expulsion between since and day. An expulsion loaded by
// import has no recorded effects: the official and other memberships that end on since are
// reopened to their open end (9999-12-31).
func (s *Store) unexpel(ctx context.Context, tx *dbTx, d dangvu.Discipline, since dangvu.Date, by string, day dangvu.Date, document, reason string) error {
	var later int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM member_statuses WHERE member_id = ? AND valid_from > ?`, d.MemberID, since).Scan(&later); err != nil {
		return fmt.Errorf("store: discipline: %w", err)
	}
	if later > 0 {
		return invalid("không thể khôi phục đảng viên", fe("resolved_on", "lịch sử trạng thái của đảng viên %s đã có thay đổi sau ngày khai trừ %s; sửa lịch sử trước", d.MemberID, vnDate(since)))
	}
	var closed []closedRow
	rows, err := tx.QueryContext(ctx, `SELECT ref, kind, valid_from, valid_to FROM discipline_effects WHERE discipline_id = ? AND appeal_id = ? AND tbl = 'memberships' ORDER BY valid_from, kind`, d.ID, by)
	if err != nil {
		return fmt.Errorf("store: discipline: %w", err)
	}
	for rows.Next() {
		var c closedRow
		if err := rows.Scan(&c.org, &c.kind, &c.from, &c.to); err != nil {
			rows.Close()
			return err
		}
		closed = append(closed, c)
	}
	rows.Close()
	if len(closed) == 0 {
		rows, err := tx.QueryContext(ctx, `SELECT org_id, kind, valid_from FROM memberships m WHERE member_id = ? AND valid_to = ?
			AND NOT EXISTS (SELECT 1 FROM memberships n WHERE n.member_id = m.member_id AND n.kind = m.kind AND n.valid_from = m.valid_to)`, d.MemberID, since)
		if err != nil {
			return fmt.Errorf("store: discipline: %w", err)
		}
		for rows.Next() {
			c := closedRow{to: dangvu.ForeverISO}
			if err := rows.Scan(&c.org, &c.kind, &c.from); err != nil {
				rows.Close()
				return err
			}
			closed = append(closed, c)
		}
		rows.Close()
	}
	if !day.After(since) {
		if _, err := tx.ExecContext(ctx, `DELETE FROM member_statuses WHERE member_id = ? AND valid_from = ? AND status = 'expelled'`, d.MemberID, since); err != nil {
			return fmt.Errorf("store: discipline: %w", err)
		}
		for _, c := range closed {
			if _, err := tx.ExecContext(ctx, `UPDATE memberships SET valid_to = ? WHERE member_id = ? AND org_id = ? AND kind = ? AND valid_from = ? AND valid_to = ?`,
				c.to, d.MemberID, c.org, c.kind, c.from, since); err != nil {
				return fmt.Errorf("store: discipline: %w", err)
			}
		}
	} else {
		var prior string
		err := tx.QueryRowContext(ctx, `SELECT status FROM member_statuses WHERE member_id = ? AND valid_from < ? ORDER BY valid_from DESC LIMIT 1`, d.MemberID, since).Scan(&prior)
		if errors.Is(err, sql.ErrNoRows) {
			return invalid("không thể khôi phục đảng viên", fe("resolved_on", "không rõ trạng thái của đảng viên %s trước khi bị khai trừ", d.MemberID))
		}
		if err != nil {
			return fmt.Errorf("store: discipline: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO member_statuses (member_id, valid_from, status, document, reason) VALUES (?, ?, ?, ?, ?)`,
			d.MemberID, day, prior, document, reason); err != nil {
			return fmt.Errorf("store: discipline: %w", err)
		}
		for _, c := range closed {
			if c.to <= day.String() {
				continue // it would have ended by then anyway
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (member_id, org_id, valid_from, valid_to, kind, document) VALUES (?, ?, ?, ?, ?, ?)`,
				d.MemberID, c.org, day, c.to, c.kind, document); err != nil {
				return fmt.Errorf("store: discipline: restore membership: %w", err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM discipline_effects WHERE discipline_id = ? AND appeal_id = ? AND tbl = 'memberships'`, d.ID, by); err != nil {
		return fmt.Errorf("store: discipline: %w", err)
	}
	return s.rebuildRoster(ctx, tx, "", d.MemberID)
}

// removePost ends the post named by a removal decision on its effect date, recording its end.
func (s *Store) removePost(ctx context.Context, tx *dbTx, d dangvu.Discipline) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO discipline_effects (discipline_id, appeal_id, tbl, ref, kind, member_id, valid_from, valid_to, closed_on)
		SELECT ?, '', 'posts', id, '', member_id, valid_from, valid_to, ? FROM posts WHERE id = ? AND valid_from < ? AND valid_to > ?`,
		d.ID, d.EffectiveOn, d.Post, d.EffectiveOn, d.EffectiveOn); err != nil {
		return fmt.Errorf("store: discipline: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE posts SET valid_to = ? WHERE id = ? AND valid_from < ? AND valid_to > ?`,
		d.EffectiveOn, d.Post, d.EffectiveOn, d.EffectiveOn); err != nil {
		return fmt.Errorf("store: discipline: %w", err)
	}
	return nil
}

// undoDiscipline reverses a decision's own effects entirely (withdrawal, correction): as if
// they had never been written.
func (s *Store) undoDiscipline(ctx context.Context, tx *dbTx, d dangvu.Discipline) error {
	if d.Form == dangvu.FormExpulsion && d.MemberID != "" {
		if err := s.unexpel(ctx, tx, d, d.EffectiveOn, "", d.EffectiveOn, "", ""); err != nil {
			return err
		}
	}
	if d.Form == dangvu.FormRemoval && d.Post != "" {
		if _, err := tx.ExecContext(ctx, `UPDATE posts SET valid_to = (SELECT e.valid_to FROM discipline_effects e
			WHERE e.discipline_id = ? AND e.appeal_id = '' AND e.tbl = 'posts' AND e.ref = posts.id)
			WHERE id = ? AND valid_to = ? AND EXISTS (SELECT 1 FROM discipline_effects e WHERE e.discipline_id = ? AND e.appeal_id = '' AND e.tbl = 'posts' AND e.ref = posts.id)`,
			d.ID, d.Post, d.EffectiveOn, d.ID); err != nil {
			return fmt.Errorf("store: discipline: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM discipline_effects WHERE discipline_id = ? AND appeal_id = '' AND tbl = 'posts'`, d.ID); err != nil {
			return fmt.Errorf("store: discipline: %w", err)
		}
	}
	return nil
}

// changedByAppeal refuses an edit of a decision that an appeal has already changed or annulled.
func changedByAppeal(d dangvu.Discipline, field string) *dangvu.Error {
	if len(d.Changes) == 0 {
		return nil
	}
	c := d.Changes[len(d.Changes)-1]
	return &dangvu.Error{Code: dangvu.EConflict, Message: fmt.Sprintf("quyết định %s đã được thay đổi theo kết quả giải quyết khiếu nại %s ngày %s", d.Number, c.AppealID, vnDate(c.On)),
		Fields: []dangvu.FieldError{fe(field, "đã có kết quả giải quyết khiếu nại làm thay đổi quyết định; không sửa hình thức, ngày hiệu lực hay chức vụ, không rút")}}
}

// WithdrawDiscipline marks a decision recorded in error as withdrawn on day with a reason: it is
// kept (not deleted), counts nowhere, and its effects are reversed as if never written.
func (s *Store) WithdrawDiscipline(ctx context.Context, actor, id string, day dangvu.Date, reason string) (dangvu.Discipline, error) {
	err := s.tx(ctx, func(tx *dbTx) error {
		before, err := s.discipline(ctx, tx, id)
		if err != nil {
			return err
		}
		if !before.WithdrawnOn.IsZero() {
			return dangvu.Errorf(dangvu.EConflict, "quyết định %s đã được rút ngày %s", before.Number, vnDate(before.WithdrawnOn))
		}
		var errs []dangvu.FieldError
		if day.IsZero() {
			errs = append(errs, fe("withdrawn_on", "bắt buộc, không được để trống"))
		} else if day.Before(before.DecidedOn) {
			errs = append(errs, fe("withdrawn_on", "ngày rút %s trước ngày quyết định %s", vnDate(day), vnDate(before.DecidedOn)))
		}
		if strings.TrimSpace(reason) == "" {
			errs = append(errs, fe("withdrawn_reason", "cần ghi lý do rút quyết định"))
		}
		if len(errs) > 0 {
			return invalid("chưa rút được quyết định kỷ luật", errs...)
		}
		if e := changedByAppeal(before, "withdrawn_on"); e != nil {
			return e
		}
		if err := s.undoDiscipline(ctx, tx, before); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE disciplines SET withdrawn_on = ?, withdrawn_reason = ? WHERE id = ?`, day, strings.TrimSpace(reason), id); err != nil {
			return fmt.Errorf("store: discipline: %w", err)
		}
		after := before
		after.WithdrawnOn, after.WithdrawnReason = day, strings.TrimSpace(reason)
		return s.audit(ctx, tx, actor, "withdraw", "discipline", id, before, after)
	})
	if err != nil {
		return dangvu.Discipline{}, err
	}
	return s.Discipline(ctx, id)
}

// CorrectDiscipline corrects a recorded decision (number, dates, deciding body, form, reason,
// post, round): the subject stays; the corrected decision is checked again against the rule set
// in force on its (new) decision date, its effects are rewritten, all in one transaction, audited
// with the decision before and after.
func (s *Store) CorrectDiscipline(ctx context.Context, actor, id string, d dangvu.Discipline) (dangvu.Discipline, error) {
	errs := validateDiscipline(d)
	err := s.tx(ctx, func(tx *dbTx) error {
		before, err := s.discipline(ctx, tx, id)
		if err != nil {
			return err
		}
		if !before.WithdrawnOn.IsZero() {
			return dangvu.Errorf(dangvu.EConflict, "quyết định %s đã được rút ngày %s, không sửa được", before.Number, vnDate(before.WithdrawnOn))
		}
		if d.MemberID != before.MemberID || d.OrgID != before.OrgID {
			errs = append(errs, fe("member_id", "không sửa đối tượng kỷ luật; rút quyết định này và ghi quyết định mới"))
		}
		if len(errs) > 0 {
			return invalid("quyết định kỷ luật chưa hợp lệ", errs...)
		}
		d.ID = id
		if d.Form != before.Form || d.EffectiveOn != before.EffectiveOn || d.Post != before.Post {
			if e := changedByAppeal(before, "form"); e != nil {
				return e
			}
		}
		if d.RoundID != "" {
			if _, err := s.round(ctx, tx, d.RoundID); err != nil {
				return invalid("quyết định kỷ luật chưa hợp lệ", fe("round_id", "%s", dangvu.ErrorMessage(err)))
			}
		}
		// A decision changed by an appeal keeps the effects the appeal left (its form, effect
		// date and post cannot change, above); otherwise its effects are rewritten.
		rewrite := len(before.Changes) == 0
		if rewrite {
			if err := s.undoDiscipline(ctx, tx, before); err != nil {
				return err
			}
		}
		probs, err := s.checkDiscipline(ctx, tx, d, false)
		if err != nil {
			return err
		}
		if len(probs) > 0 {
			return invalid("quyết định kỷ luật trái quy định ("+discipline.For(d.DecidedOn.Time).Title+")", probs...)
		}
		// A new decision day moves the decision in the tallies (disciplineTally).
		err = keepTallies(ctx, tx, disciplineTally, tallyIDs, []string{id}, func() error {
			if _, err := tx.ExecContext(ctx, `UPDATE disciplines SET round_id = ?, form = ?, authority_org_id = ?, authority_body = ?, violation_on = ?, renewed_on = ?,
				decided_on = ?, effective_on = ?, number = ?, reason = ?, post = ?, no_limit = ?, higher_task = ? WHERE id = ?`,
				d.RoundID, string(d.Form), d.AuthorityOrgID, string(d.AuthorityBody), d.ViolationOn, d.RenewedOn, d.DecidedOn, d.EffectiveOn, d.Number, d.Reason, d.Post,
				d.NoLimit, boolInt(d.HigherTask), id); err != nil {
				return fmt.Errorf("store: discipline: %w", err)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if rewrite {
			if err := s.applyDiscipline(ctx, tx, d); err != nil {
				return err
			}
		}
		after, err := s.discipline(ctx, tx, id)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "correct", "discipline", id, before, after)
	})
	if err != nil {
		return d, err
	}
	return s.Discipline(ctx, id)
}

// formRank orders the forms, lightest first.
func formRank(f dangvu.DisciplineForm) int {
	for i, c := range dangvu.DisciplineForms {
		if c.Code == f {
			return i
		}
	}
	return -1
}

// applyOutcome makes an appeal's outcome take effect as of its resolution date a.ResolvedOn: an
// expulsion annulled or lessened restores the member from that day (unexpel); a decision
// increased to expulsion expels from that day. The decision keeps its original form; the change
// is read back from the appeal (changesOf).
func (s *Store) applyOutcome(ctx context.Context, tx *dbTx, actor string, a dangvu.DisciplineAppeal) error {
	if a.Outcome != "annulled" && a.Outcome != "lessened" && a.Outcome != "increased" {
		return nil
	}
	d, err := s.discipline(ctx, tx, a.DisciplineID)
	if err != nil {
		return err
	}
	if !d.WithdrawnOn.IsZero() {
		return dangvu.Errorf(dangvu.EConflict, "quyết định %s đã được rút ngày %s", d.Number, vnDate(d.WithdrawnOn))
	}
	current := d.Form
	if n := len(d.Changes); n > 0 {
		last := d.Changes[n-1]
		if a.ResolvedOn.Before(last.On) {
			return invalid("kết quả giải quyết chưa hợp lệ", fe("resolved_on", "trước ngày %s của kết quả giải quyết khiếu nại %s đã thay đổi quyết định", vnDate(last.On), last.AppealID))
		}
		current = last.To
	}
	if current == "" {
		return invalid("kết quả giải quyết chưa hợp lệ", fe("outcome", "quyết định đã bị xóa (hủy) từ ngày %s", vnDate(d.Changes[len(d.Changes)-1].On)))
	}
	next := a.NewForm
	switch a.Outcome {
	case "annulled":
		next = ""
	case "lessened":
		if formRank(next) >= formRank(current) {
			return invalid("kết quả giải quyết chưa hợp lệ", fe("new_form", "giảm hình thức: hình thức mới phải nhẹ hơn %s", strings.ToLower(dangvu.CodeName(dangvu.DisciplineForms, current))))
		}
	case "increased":
		if formRank(next) <= formRank(current) {
			return invalid("kết quả giải quyết chưa hợp lệ", fe("new_form", "tăng hình thức: hình thức mới phải nặng hơn %s", strings.ToLower(dangvu.CodeName(dangvu.DisciplineForms, current))))
		}
	}
	if next != "" {
		org := next == dangvu.FormReprimand || next == dangvu.FormWarning || next == dangvu.FormDissolution
		mem := next != dangvu.FormDissolution
		if (d.OrgID != "" && !org) || (d.MemberID != "" && !mem) {
			return invalid("kết quả giải quyết chưa hợp lệ", fe("new_form", "hình thức %s không áp dụng cho đối tượng này", strings.ToLower(dangvu.CodeName(dangvu.DisciplineForms, next))))
		}
	}
	document := "Giải quyết khiếu nại " + a.ID
	since, by, expelled := expulsionSince(d)
	switch {
	case expelled && next != dangvu.FormExpulsion:
		err = s.unexpel(ctx, tx, d, since, by, a.ResolvedOn, document, a.Note)
	case !expelled && next == dangvu.FormExpulsion && d.MemberID != "":
		err = s.expel(ctx, tx, d, a.ID, a.ResolvedOn, document, a.Note)
	}
	if err != nil {
		return err
	}
	// The decision's own audit trail shows the change next to its creation and corrections.
	after := d
	fillChanges(&after, append(append([]dangvu.DisciplineChange(nil), d.Changes...), dangvu.DisciplineChange{On: a.ResolvedOn, AppealID: a.ID, Outcome: a.Outcome, To: next}), dangvu.Date{})
	return s.audit(ctx, tx, actor, "appeal_outcome", "discipline", d.ID, d, after)
}
