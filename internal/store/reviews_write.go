package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"dangvu"
	"dangvu/internal/rules/review"
)

// ValidateSelfReview checks a self-review against the catalogue and the rule set, naming each
// bad field: every ticked manifestation needs an explanation, a remedy needs content and a
// deadline, QĐ 366 needs the points of each criterion within its maximum.
func ValidateSelfReview(rs review.Set, kind dangvu.SubjectKind, in dangvu.SelfReview) []dangvu.FieldError {
	var errs []dangvu.FieldError
	seen := map[string]bool{}
	for i, m := range in.Marks {
		f := fmt.Sprintf("marks[%d]", i)
		if _, ok := review.LookupManifestation(m.Code); !ok {
			errs = append(errs, fe(f+".code", "biểu hiện %q không có trong danh mục 27 biểu hiện (Nghị quyết 04-NQ/TW)", m.Code))
		}
		if seen[m.Code] {
			errs = append(errs, fe(f+".code", "biểu hiện %s đánh dấu hai lần", m.Code))
		}
		seen[m.Code] = true
		if strings.TrimSpace(m.Explanation) == "" {
			errs = append(errs, fe(f+".explanation", "biểu hiện %s được đánh dấu: cần giải trình cụ thể", m.Code))
		}
	}
	if in.SelfRating != "" && !dangvu.ValidCode(dangvu.Ratings, in.SelfRating) {
		errs = append(errs, fe("self_rating", "mức xếp loại %q không hợp lệ", in.SelfRating))
	}
	if in.TasksBeyondPct < 0 || in.TasksBeyondPct > 100 {
		errs = append(errs, fe("tasks_beyond_pct", "tỷ lệ nhiệm vụ vượt yêu cầu phải từ 0 đến 100"))
	}
	if in.TasksLatePct < 0 || in.TasksLatePct > 100 {
		errs = append(errs, fe("tasks_late_pct", "tỷ lệ nhiệm vụ chậm tiến độ phải từ 0 đến 100"))
	} else if in.TasksOnTime && in.TasksLatePct > 0 {
		errs = append(errs, fe("tasks_late_pct", "đã đánh dấu hoàn thành 100%% nhiệm vụ đúng hạn: không thể có %d%% nhiệm vụ chậm tiến độ", in.TasksLatePct))
	}
	if rs.CriteriaError != "" && len(in.Scores) > 0 {
		errs = append(errs, fe("scores", "%s", rs.CriteriaError))
	}
	if rs.Criteria != nil && kind.IsPerson() && in.SelfRating != "" && len(in.Scores) == 0 {
		errs = append(errs, fe("scores", "%s: cần tự chấm điểm theo từng nhóm tiêu chí (thang 100 điểm)", rs.Name))
	}
	if len(in.Scores) > 0 && rs.Criteria == nil {
		errs = append(errs, fe("scores", "%s không chấm điểm theo tiêu chí", rs.Name))
	}
	got := map[string]bool{}
	for i, sc := range in.Scores {
		f := fmt.Sprintf("scores[%d]", i)
		j := slices.IndexFunc(rs.Criteria, func(c review.Criterion) bool { return c.Code == sc.Criterion })
		if j < 0 {
			if rs.Criteria != nil {
				errs = append(errs, fe(f+".criterion", "tiêu chí %q không có trong khung tiêu chí", sc.Criterion))
			}
			continue
		}
		if got[sc.Criterion] {
			errs = append(errs, fe(f+".criterion", "tiêu chí %q chấm hai lần", sc.Criterion))
		}
		got[sc.Criterion] = true
		if sc.Points < 0 || sc.Points > rs.Criteria[j].Max {
			errs = append(errs, fe(f+".points", "%s: điểm phải từ 0 đến %d", rs.Criteria[j].Label, rs.Criteria[j].Max))
		}
	}
	if len(in.Scores) > 0 {
		for _, c := range rs.Criteria {
			if !got[c.Code] {
				errs = append(errs, fe("scores", "thiếu điểm tiêu chí %q", c.Label))
			}
		}
	}
	for i, m := range in.Remedies {
		f := fmt.Sprintf("remedies[%d]", i)
		if strings.TrimSpace(m.Content) == "" {
			errs = append(errs, fe(f+".content", "cần nêu nội dung biện pháp khắc phục"))
		}
		if _, err := dangvu.RequireDate(m.Due); err != nil {
			errs = append(errs, fe(f+".due", "cần thời hạn khắc phục (ngày)"))
		}
	}
	if strings.TrimSpace(in.Faults) != "" && len(in.Remedies) == 0 && kind.IsPerson() {
		// Faults without a remedy are allowed only when remedies were entered before.
		errs = append(errs, dangvu.FieldError{Field: "remedies", Reason: "đã nêu hạn chế, khuyết điểm: cần biện pháp khắc phục có thời hạn"})
	}
	return errs
}

// SaveSelfReview records a subject's self-review (replacing the marks and scores, adding the
// remedies), in one transaction with the audit log.
func (s *Store) SaveSelfReview(ctx context.Context, actor, id string, in dangvu.SelfReview) (ReviewView, error) {
	v, err := s.Review(ctx, id)
	if err != nil {
		return v, err
	}
	if v.FinalRating != "" {
		return v, dangvu.Errorf(dangvu.EConflict, "phiếu đã có quyết định xếp loại ngày %s; không sửa được phần tự kiểm điểm", vnDate(v.DecidedOn))
	}
	errs := ValidateSelfReview(v.RuleSet, v.Kind, in)
	if len(in.Remedies) == 0 && len(v.Remedies) > 0 {
		errs = slices.DeleteFunc(errs, func(e dangvu.FieldError) bool { return e.Field == "remedies" })
	}
	if len(errs) > 0 {
		return v, invalid("Bản tự kiểm điểm chưa hợp lệ.", errs...)
	}
	if in.On.IsZero() {
		in.On = s.Clock.TodayDate()
	}
	var points any
	if len(in.Scores) > 0 {
		n := 0
		for _, sc := range in.Scores {
			n += sc.Points
		}
		points = n
	}
	err = s.tx(ctx, func(tx *dbTx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE reviews SET strengths = ?, faults = ?, causes = ?, points = ?, tasks_on_time = ?, tasks_beyond_pct = ?, tasks_late_pct = ?,
			self_rating = ?, self_on = ? WHERE id = ?`, in.Strengths, in.Faults, in.Causes, points, boolInt(in.TasksOnTime), in.TasksBeyondPct, in.TasksLatePct,
			string(in.SelfRating), in.On, id); err != nil {
			return fmt.Errorf("store: self review: %w", err)
		}
		for _, q := range []string{`DELETE FROM review_marks WHERE review_id = ?`, `DELETE FROM review_scores WHERE review_id = ?`} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return fmt.Errorf("store: self review: %w", err)
			}
		}
		for _, m := range in.Marks {
			if _, err := tx.ExecContext(ctx, `INSERT INTO review_marks (review_id, code, explanation) VALUES (?, ?, ?)`, id, m.Code, strings.TrimSpace(m.Explanation)); err != nil {
				return fmt.Errorf("store: self review: %w", err)
			}
		}
		for _, sc := range in.Scores {
			if _, err := tx.ExecContext(ctx, `INSERT INTO review_scores (review_id, criterion, points) VALUES (?, ?, ?)`, id, sc.Criterion, sc.Points); err != nil {
				return fmt.Errorf("store: self review: %w", err)
			}
		}
		n := len(v.Remedies)
		for _, m := range in.Remedies {
			n++
			m.ID, m.ReviewID, m.Status = fmt.Sprintf("%s-R%d", id, n), id, dangvu.RemedyOpen
			if err := s.insertRemedy(ctx, tx, m); err != nil {
				return err
			}
		}
		after, err := s.review(ctx, tx, id)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "self_review", "review", id, v.Review, after.Review)
	})
	if err != nil {
		return v, err
	}
	return s.Review(ctx, id)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *Store) insertRemedy(ctx context.Context, tx *dbTx, m dangvu.Remedy) error {
	if len(m.ID) > 64 {
		m.ID = m.ID[len(m.ID)-64:]
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO remedies (id, review_id, content, owner, due, status, done_on, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.ReviewID, strings.TrimSpace(m.Content), strings.TrimSpace(m.Owner), m.Due, m.Status, m.DoneOn, m.Evidence)
	if err != nil {
		return fmt.Errorf("store: remedy: %w", err)
	}
	return nil
}

// RecordMeeting records the meeting's comments, attendance and proposal for a review.
func (s *Store) RecordMeeting(ctx context.Context, actor, id string, in dangvu.ReviewMeeting) (ReviewView, error) {
	v, err := s.Review(ctx, id)
	if err != nil {
		return v, err
	}
	var errs []dangvu.FieldError
	if in.Proposed != "" && !dangvu.ValidCode(dangvu.Ratings, in.Proposed) {
		errs = append(errs, fe("proposed_rating", "mức xếp loại %q không hợp lệ", in.Proposed))
	}
	if in.Trigger != "" {
		if p := review.CheckTrigger(v.RuleSet, v.Kind, in.Trigger); p != nil {
			errs = append(errs, dangvu.FieldError{Field: p.Field, Reason: p.String()})
		}
	}
	if len(in.PeerGroup) > 100 {
		errs = append(errs, fe("peer_group", "tên nhóm đối tượng tối đa 100 ký tự"))
	}
	if in.Trigger != "" && strings.TrimSpace(in.TriggerNote) == "" {
		errs = append(errs, fe("trigger_note", "cần ghi kết luận hoặc quyết định làm căn cứ"))
	}
	if strings.TrimSpace(in.Attendance) == "" && in.Proposed != "" {
		errs = append(errs, fe("attendance", "cần ghi thành phần dự họp"))
	}
	if v.FinalRating != "" {
		return v, dangvu.Errorf(dangvu.EConflict, "phiếu đã có quyết định xếp loại ngày %s", vnDate(v.DecidedOn))
	}
	if len(errs) > 0 {
		return v, invalid("Biên bản góp ý, đề xuất chưa hợp lệ.", errs...)
	}
	if in.On.IsZero() {
		in.On = s.Clock.TodayDate()
	}
	err = s.tx(ctx, func(tx *dbTx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE reviews SET comments = ?, attendance = ?, proposed_rating = ?, proposed_on = ?, trigger_kind = ?, trigger_note = ?, excluded = ?, peer_group = ? WHERE id = ?`,
			in.Comments, in.Attendance, string(in.Proposed), in.On, in.Trigger, in.TriggerNote, in.Excluded, strings.TrimSpace(in.PeerGroup), id); err != nil {
			return fmt.Errorf("store: meeting: %w", err)
		}
		after, err := s.review(ctx, tx, id)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "meeting", "review", id, v.Review, after.Review)
	})
	if err != nil {
		return v, err
	}
	return s.Review(ctx, id)
}

// Decide records a decider's ratings. Whoever a trigger applies to is rated "not completed"
// (automatically when the set gives no rating for them); a rating a subject's outcome does not
// allow, or a set whose excellent ratings break the quota among that decider's members (or
// organisations), is refused with every reason, and nothing changes.
func (s *Store) Decide(ctx context.Context, actor string, d dangvu.ReviewDecision) (dangvu.ReviewDecisionResult, error) {
	res := dangvu.ReviewDecisionResult{Automatic: map[string]string{}}
	c, err := s.Campaign(ctx, d.CampaignID)
	if err != nil {
		return res, err
	}
	rs := review.ForCampaign(c)
	if d.On.IsZero() {
		d.On = s.Clock.TodayDate()
	}
	err = s.tx(ctx, func(tx *dbTx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+reviewCols+` FROM reviews r LEFT JOIN members m ON m.id = r.member_id
			WHERE r.campaign_id = ? AND r.decider_id = ? ORDER BY r.id`, c.ID, d.DeciderID)
		if err != nil {
			return fmt.Errorf("store: decide: %w", err)
		}
		var all []dangvu.Review
		for rows.Next() {
			r, err := scanReview(rows)
			if err != nil {
				rows.Close()
				return err
			}
			all = append(all, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		known := map[string]bool{}
		for _, r := range all {
			known[r.ID] = true
		}
		var errs []dangvu.FieldError
		for _, id := range sortedKeys(d.Ratings) {
			if !known[id] {
				errs = append(errs, dangvu.FieldError{Field: id, Reason: "không phải phiếu do tổ chức này quyết định trong đợt"})
			} else if r := d.Ratings[id]; r != "" && !dangvu.ValidCode(dangvu.Ratings, r) {
				errs = append(errs, dangvu.FieldError{Field: id, Reason: fmt.Sprintf("mức xếp loại %q không hợp lệ", r)})
			}
		}
		disc, err := s.disciplinedDuring(ctx, tx, c)
		if err != nil {
			return err
		}
		// The quota is counted per group: QĐ 132 among a decider's members (and apart among its
		// organisations); QĐ 124 and 366 within each group of similar roles and tasks — the
		// subject kind, refined by the peer group the meeting recorded.
		counts := map[string]map[dangvu.Rating]int{}
		exception := map[string]bool{}
		groupOf := func(r dangvu.Review) string {
			if rs.Quota != nil && rs.Quota.Scope == review.ScopePeerGroup {
				return string(r.Kind) + "\x00" + r.PeerGroup
			}
			return map[bool]string{true: "person", false: "org"}[r.Kind.IsPerson()]
		}
		type change struct {
			id     string
			rating dangvu.Rating
		}
		var changes []change
		for i := range all {
			r := &all[i]
			o, err := s.judge(ctx, tx, rs, c, *r, disc)
			if err != nil {
				return err
			}
			rating, given := d.Ratings[r.ID]
			if !given {
				rating = r.FinalRating
			}
			if o.Forced != "" && (rating == "" || !given && rating != o.Forced) {
				rating = o.Forced
				given = true
				res.Automatic[r.ID] = strings.Join(o.Reasons, " ")
			}
			if o.Excluded != "" {
				if given && rating != "" {
					errs = append(errs, dangvu.FieldError{Field: r.ID, Reason: r.Subject() + ": " + o.Check(rating)})
				}
				continue
			}
			if given {
				if msg := o.Check(rating); msg != "" {
					errs = append(errs, dangvu.FieldError{Field: r.ID, Reason: r.Subject() + ": " + msg})
				}
				changes = append(changes, change{r.ID, rating})
			}
			if rating != "" {
				g := groupOf(*r)
				if counts[g] == nil {
					counts[g] = map[dangvu.Rating]int{}
				}
				counts[g][rating]++
				exception[g] = exception[g] || d.QuotaException != "" || r.QuotaException != ""
			}
		}
		for _, g := range sortedKeys(counts) {
			if msg := rs.QuotaError(counts[g], exception[g]); msg != "" {
				errs = append(errs, dangvu.FieldError{Field: "quota", Reason: groupName(g) + " do " + s.orgName(ctx, d.DeciderID, c.To) + " quyết định: " + msg})
			}
		}
		if len(errs) > 0 {
			return invalid("Không ghi được quyết định xếp loại: kết quả vi phạm quy định.", errs...)
		}
		ids := make([]string, len(changes))
		for i, ch := range changes {
			ids[i] = ch.id
		}
		// The decided reviews are counted for the top of the tree (tallies.go).
		err = keepTallies(ctx, tx, reviewTally, tallyIDs, ids, func() error {
			for _, ch := range changes {
				if _, err := tx.ExecContext(ctx, `UPDATE reviews SET final_rating = ?, decided_on = ?, decision = ?, quota_exception = ? WHERE id = ?`,
					string(ch.rating), d.On, d.Document, d.QuotaException, ch.id); err != nil {
					return fmt.Errorf("store: decide: %w", err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		res.Decided = len(changes)
		ratings := map[string]string{}
		for _, ch := range changes {
			ratings[ch.id] = string(ch.rating)
		}
		return s.audit(ctx, tx, actor, "decide", "campaign", c.ID, nil, map[string]any{"decider": d.DeciderID, "on": d.On, "document": d.Document, "quota_exception": d.QuotaException, "ratings": ratings})
	})
	return res, err
}

// AddRemedy adds a remedy to a review.
func (s *Store) AddRemedy(ctx context.Context, actor string, m dangvu.Remedy) (dangvu.Remedy, error) {
	v, err := s.Review(ctx, m.ReviewID)
	if err != nil {
		return m, err
	}
	var errs []dangvu.FieldError
	if strings.TrimSpace(m.Content) == "" {
		errs = append(errs, fe("content", "cần nêu nội dung biện pháp khắc phục"))
	}
	if _, err := dangvu.RequireDate(m.Due); err != nil {
		errs = append(errs, fe("due", "cần thời hạn khắc phục (ngày)"))
	}
	if len(errs) > 0 {
		return m, invalid("Biện pháp khắc phục chưa hợp lệ.", errs...)
	}
	m.ID, m.Status = fmt.Sprintf("%s-R%d", m.ReviewID, len(v.Remedies)+1), dangvu.RemedyOpen
	err = s.tx(ctx, func(tx *dbTx) error {
		if err := s.insertRemedy(ctx, tx, m); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "create", "remedy", m.ID, nil, m)
	})
	return m, err
}

// UpdateRemedy records a remedy's progress: done (with the day and the evidence) or open again.
func (s *Store) UpdateRemedy(ctx context.Context, actor, id, status, doneOn, evidence string) (dangvu.Remedy, error) {
	var errs []dangvu.FieldError
	if status != dangvu.RemedyOpen && status != dangvu.RemedyDone {
		errs = append(errs, fe("status", "trạng thái %q không hợp lệ; dùng open hoặc done", status))
	}
	if status == dangvu.RemedyDone {
		if _, err := dangvu.ParseISODate(doneOn); err != nil {
			errs = append(errs, fe("done_on", "cần ngày hoàn thành khắc phục"))
		}
		if strings.TrimSpace(evidence) == "" {
			errs = append(errs, fe("evidence", "cần minh chứng (văn bản, kết quả cụ thể)"))
		}
	} else {
		doneOn = ""
	}
	if len(errs) > 0 {
		return dangvu.Remedy{}, invalid("Kết quả khắc phục chưa hợp lệ.", errs...)
	}
	var out dangvu.Remedy
	err := s.tx(ctx, func(tx *dbTx) error {
		before, err := s.remedies(ctx, tx, `m.id = ?`, id)
		if err != nil {
			return err
		}
		if len(before) == 0 {
			return dangvu.Errorf(dangvu.ENotFound, "không có biện pháp khắc phục mã %q", id)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE remedies SET status = ?, done_on = ?, evidence = ? WHERE id = ?`, status, doneOn, strings.TrimSpace(evidence), id); err != nil {
			return fmt.Errorf("store: remedy: %w", err)
		}
		after, err := s.remedies(ctx, tx, `m.id = ?`, id)
		if err != nil {
			return err
		}
		out = after[0]
		return s.audit(ctx, tx, actor, "update", "remedy", id, before[0], out)
	})
	return out, err
}

// groupName names a quota group in Vietnamese: "Đảng viên", "Tổ chức, tập thể", or a subject
// kind with its peer group ("Đảng viên — nhóm Cán bộ, công chức phường").
func groupName(g string) string {
	switch g {
	case "person":
		return "Đảng viên"
	case "org":
		return "Tổ chức, tập thể"
	}
	kind, peer, _ := strings.Cut(g, "\x00")
	name := dangvu.CodeName(dangvu.SubjectKinds, dangvu.SubjectKind(kind))
	if peer != "" {
		name += " — nhóm " + peer
	}
	return name
}
