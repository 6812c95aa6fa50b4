package store

// Review campaigns and the reviews in them (docs/reviews.md). The rules — which rule set a
// period falls under, exclusions, triggers, quotas, points bands — are in internal/rules/review; this
// file stores campaigns and reviews and applies those rules to stored facts.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/rules/review"
	"dangvu/internal/vn"
)

// orgAt is an organisation version as the campaign code needs it.
type orgAt struct {
	id, name, parent, path string
	level                  dangvu.Level
}

// orgsUnder returns the organisations in force on d whose path lies in [lo, hi), by id.
func (s *Store) orgsUnder(ctx context.Context, q queryer, lo, hi string, d dangvu.Date) (map[string]orgAt, error) {
	rows, err := q.QueryContext(ctx, `SELECT p.org_id, p.path, v.name, v.parent_id, v.level FROM org_paths p
		JOIN org_versions v ON v.org_id = p.org_id AND v.valid_from <= ? AND v.valid_to > ?
		WHERE p.valid_from <= ? AND p.valid_to > ? AND p.path >= ? AND p.path < ?`, d, d, d, d, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("store: reviews: organisations: %w", err)
	}
	defer rows.Close()
	out := map[string]orgAt{}
	for rows.Next() {
		var o orgAt
		var lvl string
		if err := rows.Scan(&o.id, &o.path, &o.name, &o.parent, &lvl); err != nil {
			return nil, err
		}
		o.level = dangvu.Level(lvl)
		out[o.id] = o
	}
	return out, rows.Err()
}

// grassrootsOf walks up from an organisation to its grassroots organisation (itself when it is
// one); "" when none lies within orgs.
func grassrootsOf(orgs map[string]orgAt, id string) string {
	for x, ok := orgs[id]; ok; x, ok = orgs[x.parent] {
		if x.level.IsGrassroots() {
			return x.id
		}
	}
	return ""
}

// deciderOf returns who decides a subject's rating (review.Approver): for a member or a cell,
// the grassroots organisation above; for a grassroots organisation or higher, its parent.
func deciderOf(orgs map[string]orgAt, kind dangvu.SubjectKind, orgID string) string {
	o := orgs[orgID]
	if kind == dangvu.SubjectMember {
		if g := grassrootsOf(orgs, orgID); g != "" {
			return g
		}
		return orgID
	}
	if kind == dangvu.SubjectOrg && (o.level == dangvu.LevelCell || o.level == dangvu.LevelPartialCommittee) {
		if g := grassrootsOf(orgs, orgID); g != "" {
			return g
		}
	}
	if o.parent != "" {
		return o.parent
	}
	return orgID
}

// ValidateCampaign checks a campaign and fills its rule set from its period.
func ValidateCampaign(c *dangvu.Campaign) error {
	var errs []dangvu.FieldError
	if !idPattern.MatchString(c.ID) {
		errs = append(errs, fe("id", "mã %q không hợp lệ: chỉ gồm chữ cái không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới; tối đa 40 ký tự", c.ID))
	} else if len(c.ID) > 40 {
		errs = append(errs, fe("id", "mã đợt tối đa 40 ký tự (mã phiếu kiểm điểm ghép thêm mã đảng viên)"))
	}
	if strings.TrimSpace(c.Name) == "" {
		errs = append(errs, fe("name", "bắt buộc, không được để trống"))
	}
	if c.OrgID == "" {
		errs = append(errs, fe("org_id", "bắt buộc, không được để trống"))
	}
	if c.PeriodKind == "" {
		c.PeriodKind = dangvu.PeriodYear
	}
	if !dangvu.ValidCode(dangvu.PeriodKinds, c.PeriodKind) {
		errs = append(errs, fe("period_kind", "loại kỳ %q không hợp lệ; dùng year, term, quarter hoặc adhoc", c.PeriodKind))
	}
	from, err1 := dangvu.RequireDate(c.From)
	to, err2 := dangvu.RequireDate(c.To)
	if err1 != nil {
		errs = append(errs, fe("from", "ngày bắt đầu kỳ đánh giá không hợp lệ"))
	}
	if err2 != nil {
		errs = append(errs, fe("to", "ngày kết thúc kỳ đánh giá không hợp lệ"))
	}
	if err1 == nil && err2 == nil && to.Before(from) {
		errs = append(errs, fe("to", "ngày kết thúc %s trước ngày bắt đầu %s", vnDate(c.To), vnDate(c.From)))
	}
	if err2 == nil {
		rs := review.For(to)
		if c.RuleSet == "" {
			c.RuleSet = rs.Code
		} else if c.RuleSet != rs.Code {
			errs = append(errs, fe("rule_set", "kỳ kết thúc ngày %s thuộc %s (mã %s), không phải %q", vnDate(c.To), rs.Name, rs.Code, c.RuleSet))
		}
		if c.PeriodKind != dangvu.PeriodYear && rs.Code != "qd366" {
			errs = append(errs, fe("period_kind", "đánh giá theo nhiệm kỳ, quý hoặc khi cần thiết chỉ có từ QĐ 366-QĐ/TW (30/8/2025); %s chỉ đánh giá hằng năm", rs.Name))
		}
	}
	if c.OpenedOn.IsZero() {
		c.OpenedOn = c.To
	} else if _, err := dangvu.RequireDate(c.OpenedOn); err != nil {
		errs = append(errs, fe("opened_on", "ngày mở đợt không hợp lệ"))
	}
	seen := map[string]bool{}
	for i, st := range c.Steps {
		f := fmt.Sprintf("steps[%d]", i)
		if !dangvu.ValidCode(dangvu.ReviewSteps, st.Step) {
			errs = append(errs, fe(f+".step", "bước %q không hợp lệ; dùng self, comment, decision, upward", st.Step))
		}
		if seen[st.Step] {
			errs = append(errs, fe(f+".step", "bước %q lặp lại", st.Step))
		}
		seen[st.Step] = true
		if _, err := dangvu.RequireDate(st.Due); err != nil {
			errs = append(errs, fe(f+".due", "hạn không hợp lệ"))
		} else if !c.From.IsZero() && st.Due.Before(c.From) {
			errs = append(errs, fe(f+".due", "hạn %s trước đầu kỳ đánh giá", vnDate(st.Due)))
		}
	}
	if len(errs) > 0 {
		return invalid("Thông tin đợt kiểm điểm chưa hợp lệ.", errs...)
	}
	return nil
}

// CreateCampaign opens a campaign for an organisation's subtree and creates its subjects: every
// member in the subtree at the period's end, with the organisation they belonged to then; every
// organisation under the campaign's; the leadership collective of the campaign's organisation
// and the members of its committee then (leading cadres). Others are added with AddSubject.
func (s *Store) CreateCampaign(ctx context.Context, actor string, c dangvu.Campaign) (dangvu.Campaign, error) {
	if err := ValidateCampaign(&c); err != nil {
		return c, err
	}
	to, _ := dangvu.RequireDate(c.To)
	org, err := s.Org(ctx, c.OrgID, to)
	if err != nil {
		return c, invalid("Thông tin đợt kiểm điểm chưa hợp lệ.", fe("org_id", "không có tổ chức đảng mã %q vào ngày %s", c.OrgID, vnDate(c.To)))
	}
	err = s.tx(ctx, func(tx *dbTx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM review_campaigns WHERE id = ?`, c.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return dangvu.Errorf(dangvu.EConflict, "đã có đợt kiểm điểm mã %q", c.ID)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO review_campaigns (id, org_id, name, period_kind, period_from, period_to, rule_set, opened_on, document)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, c.OrgID, strings.TrimSpace(c.Name), string(c.PeriodKind), c.From, c.To, c.RuleSet, c.OpenedOn, c.Document); err != nil {
			return fmt.Errorf("store: campaign: %w", err)
		}
		for _, st := range c.Steps {
			if _, err := tx.ExecContext(ctx, `INSERT INTO review_steps (campaign_id, step, due) VALUES (?, ?, ?)`, c.ID, st.Step, st.Due); err != nil {
				return fmt.Errorf("store: campaign: %w", err)
			}
		}
		n, err := s.createSubjects(ctx, tx, c, org.Path)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "create", "campaign", c.ID, nil, map[string]any{"campaign": c, "subjects": n})
	})
	if err != nil {
		return c, err
	}
	return s.Campaign(ctx, c.ID)
}

func (s *Store) createSubjects(ctx context.Context, tx *dbTx, c dangvu.Campaign, path string) (int, error) {
	lo, hi := subtreeRange(path)
	orgs, err := s.orgsUnder(ctx, tx, lo, hi, c.To)
	if err != nil {
		return 0, err
	}
	// The campaign's own organisation's parent decides its collective.
	if o, ok := orgs[c.OrgID]; ok && o.parent != "" {
		orgs[o.parent] = orgAt{id: o.parent, level: dangvu.LevelDistrict}
	}
	type subj struct {
		id     string
		kind   dangvu.SubjectKind
		member string
		org    string
	}
	var subs []subj
	rows, err := tx.QueryContext(ctx, `SELECT member_id, org_id FROM roster WHERE path >= ? AND path < ? AND valid_from <= ? AND valid_to > ? ORDER BY member_id`, lo, hi, c.To, c.To)
	if err != nil {
		return 0, fmt.Errorf("store: campaign subjects: %w", err)
	}
	for rows.Next() {
		var m, o string
		if err := rows.Scan(&m, &o); err != nil {
			rows.Close()
			return 0, err
		}
		subs = append(subs, subj{c.ID + "-M-" + m, dangvu.SubjectMember, m, o})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, id := range sortedKeys(orgs) {
		if id == c.OrgID || orgs[id].path == "" {
			continue
		}
		subs = append(subs, subj{c.ID + "-O-" + id, dangvu.SubjectOrg, "", id})
	}
	subs = append(subs, subj{c.ID + "-C-" + c.OrgID, dangvu.SubjectCollective, "", c.OrgID})
	// The leading cadres: members of the campaign organisation's committee on the period's end.
	rows, err = tx.QueryContext(ctx, `SELECT DISTINCT member_id FROM posts WHERE org_id = ? AND member_id <> '' AND valid_from <= ? AND valid_to > ?
		AND role IN ('secretary', 'deputy_secretary', 'standing', 'committee') ORDER BY member_id`, c.OrgID, c.To, c.To)
	if err != nil {
		return 0, fmt.Errorf("store: campaign subjects: %w", err)
	}
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			rows.Close()
			return 0, err
		}
		subs = append(subs, subj{c.ID + "-K-" + m, dangvu.SubjectCadre, m, c.OrgID})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, x := range subs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO reviews (id, campaign_id, kind, member_id, org_id, decider_id) VALUES (?, ?, ?, ?, ?, ?)`,
			subjectID(x.id), c.ID, string(x.kind), x.member, x.org, deciderOf(orgs, x.kind, x.org)); err != nil {
			return 0, fmt.Errorf("store: campaign subjects: %w", err)
		}
	}
	return len(subs), nil
}

// subjectID keeps a review id within the exchange format's 64 characters: a longer one (a long
// member or organisation id) becomes the campaign-and-kind prefix and a digest of the rest.
func subjectID(id string) string {
	if len(id) <= 64 {
		return id
	}
	sum := sha256.Sum256([]byte(id))
	return id[:44] + "-" + hex.EncodeToString(sum[:])[:16]
}

// AddSubject adds a leading cadre (or another subject) to a campaign.
func (s *Store) AddSubject(ctx context.Context, actor, campaignID string, kind dangvu.SubjectKind, memberID, orgID string) (dangvu.Review, error) {
	c, err := s.Campaign(ctx, campaignID)
	if err != nil {
		return dangvu.Review{}, err
	}
	var errs []dangvu.FieldError
	if !dangvu.ValidCode(dangvu.SubjectKinds, kind) {
		errs = append(errs, fe("kind", "loại đối tượng %q không hợp lệ", kind))
	}
	if kind.IsPerson() && memberID == "" {
		errs = append(errs, fe("member_id", "bắt buộc với đảng viên, cán bộ"))
	}
	if orgID == "" {
		errs = append(errs, fe("org_id", "bắt buộc"))
	}
	if len(errs) > 0 {
		return dangvu.Review{}, invalid("Đối tượng kiểm điểm chưa hợp lệ.", errs...)
	}
	to, _ := dangvu.RequireDate(c.To)
	root, err := s.Org(ctx, c.OrgID, to)
	if err != nil {
		return dangvu.Review{}, err
	}
	lo, hi := subtreeRange(root.Path)
	orgs, err := s.orgsUnder(ctx, s.read, lo, hi, c.To)
	if err != nil {
		return dangvu.Review{}, err
	}
	if _, ok := orgs[orgID]; !ok {
		return dangvu.Review{}, invalid("Đối tượng kiểm điểm chưa hợp lệ.", fe("org_id", "tổ chức %q không thuộc phạm vi đợt kiểm điểm vào ngày %s", orgID, vnDate(c.To)))
	}
	prefix := map[dangvu.SubjectKind]string{dangvu.SubjectMember: "-M-", dangvu.SubjectOrg: "-O-", dangvu.SubjectCollective: "-C-", dangvu.SubjectCadre: "-K-"}[kind]
	id := c.ID + prefix + orgID
	if kind.IsPerson() {
		id = c.ID + prefix + memberID
	}
	id = subjectID(id)
	decider := deciderOf(orgs, kind, orgID)
	if kind == dangvu.SubjectCadre {
		// A leading cadre is decided by the level that manages the committee they sit on.
		decider = deciderOf(orgs, dangvu.SubjectOrg, orgID)
	}
	err = s.tx(ctx, func(tx *dbTx) error {
		if kind.IsPerson() {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM members WHERE id = ?`, memberID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return invalid("Đối tượng kiểm điểm chưa hợp lệ.", fe("member_id", "không có đảng viên mã %q", memberID))
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO reviews (id, campaign_id, kind, member_id, org_id, decider_id) VALUES (?, ?, ?, ?, ?, ?)`,
			id, c.ID, string(kind), memberID, orgID, decider); err != nil {
			if isUniqueViolation(err) {
				return dangvu.Errorf(dangvu.EConflict, "đối tượng này đã có trong đợt kiểm điểm")
			}
			return fmt.Errorf("store: add subject: %w", err)
		}
		return s.audit(ctx, tx, actor, "create", "review", id, nil, map[string]string{"campaign": c.ID, "kind": string(kind), "member_id": memberID, "org_id": orgID})
	})
	if err != nil {
		return dangvu.Review{}, err
	}
	v, err := s.Review(ctx, id)
	return v.Review, err
}

const campaignCols = `c.id, c.org_id, c.name, c.period_kind, c.period_from, c.period_to, c.rule_set, c.opened_on, c.document`

func scanCampaign(sc interface{ Scan(...any) error }) (dangvu.Campaign, error) {
	var c dangvu.Campaign
	var pk string
	err := sc.Scan(&c.ID, &c.OrgID, &c.Name, &pk, &c.From, &c.To, &c.RuleSet, &c.OpenedOn, &c.Document)
	c.PeriodKind = dangvu.PeriodKind(pk)
	return c, err
}

// Campaign reads a campaign with its schedule.
func (s *Store) Campaign(ctx context.Context, id string) (dangvu.Campaign, error) {
	c, err := scanCampaign(s.read.QueryRowContext(ctx, `SELECT `+campaignCols+` FROM review_campaigns c WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, dangvu.Errorf(dangvu.ENotFound, "không có đợt kiểm điểm mã %q", id)
	}
	if err != nil {
		return c, fmt.Errorf("store: campaign: %w", err)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT step, due FROM review_steps WHERE campaign_id = ?`, id)
	if err != nil {
		return c, fmt.Errorf("store: campaign: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st dangvu.CampaignStep
		if err := rows.Scan(&st.Step, &st.Due); err != nil {
			return c, err
		}
		c.Steps = append(c.Steps, st)
	}
	slices.SortFunc(c.Steps, func(a, b dangvu.CampaignStep) int { return stepIndex(a.Step) - stepIndex(b.Step) })
	c.OrgName = s.orgName(ctx, c.OrgID, c.To)
	return c, rows.Err()
}

func stepIndex(step string) int {
	return slices.IndexFunc(dangvu.ReviewSteps, func(c dangvu.Code[string]) bool { return c.Code == step })
}

func (s *Store) orgName(ctx context.Context, id string, d dangvu.Date) string {
	var name string
	err := s.read.QueryRowContext(ctx, `SELECT name FROM org_versions WHERE org_id = ? AND valid_from <= ? ORDER BY valid_from DESC LIMIT 1`, id, d).Scan(&name)
	if err != nil {
		s.read.QueryRowContext(ctx, `SELECT name FROM org_versions WHERE org_id = ? ORDER BY valid_from LIMIT 1`, id).Scan(&name)
	}
	if name == "" {
		return id
	}
	return name
}

// CampaignPath is the path of a campaign's organisation at its period's end (for scope checks).
func (s *Store) CampaignOrg(ctx context.Context, id string) (org string, periodTo time.Time, err error) {
	var to string
	err = s.read.QueryRowContext(ctx, `SELECT org_id, period_to FROM review_campaigns WHERE id = ?`, id).Scan(&org, &to)
	if errors.Is(err, sql.ErrNoRows) {
		return "", periodTo, dangvu.Errorf(dangvu.ENotFound, "không có đợt kiểm điểm mã %q", id)
	}
	if err != nil {
		return "", periodTo, fmt.Errorf("store: campaign: %w", err)
	}
	periodTo, err = dangvu.ParseISODate(to)
	return org, periodTo, err
}

// ReviewOwner returns what decides who may see a review: its organisation and member, and its
// campaign's period end.
func (s *Store) ReviewOwner(ctx context.Context, id string) (org, member string, periodTo time.Time, err error) {
	var to string
	err = s.read.QueryRowContext(ctx, `SELECT r.org_id, r.member_id, c.period_to FROM reviews r JOIN review_campaigns c ON c.id = r.campaign_id WHERE r.id = ?`, id).Scan(&org, &member, &to)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", periodTo, dangvu.Errorf(dangvu.ENotFound, "không có phiếu kiểm điểm mã %q", id)
	}
	if err != nil {
		return "", "", periodTo, fmt.Errorf("store: review: %w", err)
	}
	periodTo, err = dangvu.ParseISODate(to)
	return org, member, periodTo, err
}

// RemedyReview returns the review a remedy belongs to.
func (s *Store) RemedyReview(ctx context.Context, id string) (string, error) {
	var rv string
	err := s.read.QueryRowContext(ctx, `SELECT review_id FROM remedies WHERE id = ?`, id).Scan(&rv)
	if errors.Is(err, sql.ErrNoRows) {
		return "", dangvu.Errorf(dangvu.ENotFound, "không có biện pháp khắc phục mã %q", id)
	}
	return rv, err
}

// Campaigns lists the campaigns concerning an organisation: opened by it, by an organisation
// above it (which review it too), or by one below it — each organisation as the tree stood at
// the campaign's period end. Newest first.
func (s *Store) Campaigns(ctx context.Context, orgID string) ([]dangvu.Campaign, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+campaignCols+` FROM review_campaigns c ORDER BY c.period_to DESC, c.id`)
	if err != nil {
		return nil, fmt.Errorf("store: campaigns: %w", err)
	}
	var all []dangvu.Campaign
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		all = append(all, c)
	}
	rows.Close()
	out := []dangvu.Campaign{}
	for _, c := range all {
		if orgID != "" {
			to, _ := dangvu.RequireDate(c.To)
			cp, err := s.pathNear(ctx, c.OrgID, to, true)
			if err != nil {
				return nil, err
			}
			op, err := s.pathNear(ctx, orgID, to, true)
			if err != nil {
				return nil, err
			}
			if op == "" || cp == "" || !strings.HasPrefix(op, cp) && !strings.HasPrefix(cp, op) {
				continue
			}
		}
		c.OrgName = s.orgName(ctx, c.OrgID, c.To)
		out = append(out, c)
	}
	return out, nil
}

// ReviewView is a review with what the rules make of it: the rule set, the automatic outcome,
// and the remedies of the same subject's previous review with whether each was met.
// Unlike the other review views (dangvu.SelfReview, dangvu.CampaignProgress, …) it stays in the
// store: it holds review.Set and review.Outcome, and internal/rules/review imports the root
// package, so the root package cannot name them (an import cycle).
type ReviewView struct {
	dangvu.Review
	Campaign dangvu.Campaign `json:"campaign"`
	RuleSet  review.Set      `json:"rule_set"`
	Outcome  review.Outcome  `json:"outcome"`
	Previous []dangvu.Remedy `json:"previous_remedies"`
	// PreviousCampaign names the campaign the previous remedies come from.
	PreviousCampaign string `json:"previous_campaign,omitempty"`
}

const reviewCols = `r.id, r.campaign_id, r.kind, r.member_id, r.org_id, r.decider_id, r.strengths, r.faults, r.causes, r.points,
	r.tasks_on_time, r.tasks_beyond_pct, r.self_rating, r.self_on, r.comments, r.attendance, r.proposed_rating, r.proposed_on,
	r.final_rating, r.decided_on, r.decision, r.trigger_kind, r.trigger_note, r.excluded, r.tasks_late_pct, r.peer_group, r.quota_exception, COALESCE(m.full_name, '')`

func scanReview(sc interface{ Scan(...any) error }) (dangvu.Review, error) {
	var r dangvu.Review
	var kind, self, prop, final string
	var points sql.NullInt64
	var onTime int
	err := sc.Scan(&r.ID, &r.CampaignID, &kind, &r.MemberID, &r.OrgID, &r.DeciderID, &r.Strengths, &r.Faults, &r.Causes, &points,
		&onTime, &r.TasksBeyondPct, &self, &r.SelfOn, &r.Comments, &r.Attendance, &prop, &r.ProposedOn,
		&final, &r.DecidedOn, &r.Decision, &r.Trigger, &r.TriggerNote, &r.Excluded, &r.TasksLatePct, &r.PeerGroup, &r.QuotaException, &r.MemberName)
	r.Kind, r.SelfRating, r.ProposedRating, r.FinalRating = dangvu.SubjectKind(kind), dangvu.Rating(self), dangvu.Rating(prop), dangvu.Rating(final)
	r.TasksOnTime = onTime != 0
	if points.Valid {
		p := int(points.Int64)
		r.Points = &p
	}
	r.Marks, r.Scores, r.Remedies = []dangvu.Mark{}, []dangvu.Score{}, []dangvu.Remedy{}
	return r, err
}

// Review reads a review with its marks, scores and remedies, its rule set's outcome and the
// previous review's remedies.
func (s *Store) Review(ctx context.Context, id string) (ReviewView, error) {
	return s.review(ctx, s.read, id)
}

func (s *Store) review(ctx context.Context, q queryer, id string) (ReviewView, error) {
	var v ReviewView
	r, err := scanReview(q.QueryRowContext(ctx, `SELECT `+reviewCols+` FROM reviews r LEFT JOIN members m ON m.id = r.member_id WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return v, dangvu.Errorf(dangvu.ENotFound, "không có phiếu kiểm điểm mã %q", id)
	}
	if err != nil {
		return v, fmt.Errorf("store: review: %w", err)
	}
	c, err := s.Campaign(ctx, r.CampaignID)
	if err != nil {
		return v, err
	}
	r.OrgName = s.orgName(ctx, r.OrgID, c.To)
	if err := s.reviewDetails(ctx, q, &r); err != nil {
		return v, err
	}
	v.Review, v.Campaign = r, c
	v.RuleSet = review.ForCampaign(c)
	disc, err := s.disciplinedDuring(ctx, q, c)
	if err != nil {
		return v, err
	}
	v.Outcome, err = s.judge(ctx, q, v.RuleSet, c, r, disc)
	if err != nil {
		return v, err
	}
	v.Reasons = v.Outcome.Reasons
	v.Previous, v.PreviousCampaign, err = s.previousRemedies(ctx, q, c, r)
	return v, err
}

func (s *Store) reviewDetails(ctx context.Context, q queryer, r *dangvu.Review) error {
	rows, err := q.QueryContext(ctx, `SELECT code, explanation FROM review_marks WHERE review_id = ? ORDER BY code`, r.ID)
	if err != nil {
		return fmt.Errorf("store: review: %w", err)
	}
	for rows.Next() {
		var m dangvu.Mark
		if err := rows.Scan(&m.Code, &m.Explanation); err != nil {
			rows.Close()
			return err
		}
		r.Marks = append(r.Marks, m)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT criterion, points FROM review_scores WHERE review_id = ? ORDER BY criterion`, r.ID)
	if err != nil {
		return fmt.Errorf("store: review: %w", err)
	}
	for rows.Next() {
		var sc dangvu.Score
		if err := rows.Scan(&sc.Criterion, &sc.Points); err != nil {
			rows.Close()
			return err
		}
		r.Scores = append(r.Scores, sc)
	}
	rows.Close()
	r.Remedies, err = s.remedies(ctx, q, `m.review_id = ?`, r.ID)
	return err
}

// disciplinedDuring returns the members and organisations disciplined within a campaign's period,
// from the discipline records (the inspection domain's records, Store.disciplinedIn).
func (s *Store) disciplinedDuring(ctx context.Context, q queryer, c dangvu.Campaign) (map[string]string, error) {
	out := map[string]string{}
	members, orgs, err := s.disciplinedIn(ctx, q, c.From, c.To)
	if err != nil {
		return nil, err
	}
	for k, v := range members {
		out["M:"+k] = v
	}
	for k, v := range orgs {
		out["O:"+k] = v
	}
	return out, nil
}

// judge applies the rule set to a stored review.
func (s *Store) judge(ctx context.Context, q queryer, rs review.Set, c dangvu.Campaign, r dangvu.Review, disc map[string]string) (review.Outcome, error) {
	f := review.Facts{Kind: r.Kind, PeriodFrom: c.From, PeriodTo: c.To, Excluded: r.Excluded, Trigger: r.Trigger, TriggerRef: r.TriggerNote, Points: r.Points,
		OnTime: r.TasksOnTime, BeyondPct: r.TasksBeyondPct, LatePct: r.TasksLatePct}
	if r.Kind.IsPerson() {
		f.Discipline = disc["M:"+r.MemberID]
		var st string
		err := q.QueryRowContext(ctx, `SELECT m.admitted_on, COALESCE((SELECT status FROM member_statuses WHERE member_id = m.id AND valid_from <= ? ORDER BY valid_from DESC LIMIT 1), '')
			FROM members m WHERE m.id = ?`, c.To, r.MemberID).Scan(&f.AdmittedOn, &st)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return review.Outcome{}, fmt.Errorf("store: review facts: %w", err)
		}
		f.Status = dangvu.Status(st)
	} else {
		f.Discipline = disc["O:"+r.OrgID]
		if len(disc) > 0 {
			if err := s.collectiveFacts(ctx, q, c.To, r.OrgID, disc, &f); err != nil {
				return review.Outcome{}, err
			}
		}
	}
	// "Excellent" needs every shortcoming pointed out before remedied (QĐ 366): the previous
	// review's remedies still open past their deadline at this period's end.
	if rs.Bands != nil && rs.Bands.RemediedPrevious && r.Points != nil {
		prev, _, err := s.previousRemedies(ctx, q, c, r)
		if err != nil {
			return review.Outcome{}, err
		}
		for _, m := range prev {
			if m.Overdue {
				f.PreviousOpen++
			}
		}
	}
	return rs.Judge(f), nil
}

// collectiveFacts counts an organisation's direct subordinates on d and those disciplined, and
// the members of its committee disciplined (the collective rules of QĐ 124 and QĐ 366).
func (s *Store) collectiveFacts(ctx context.Context, q queryer, d dangvu.Date, orgID string, disc map[string]string, f *review.Facts) error {
	subs, err := column(ctx, q, `SELECT org_id FROM org_versions WHERE parent_id = ? AND valid_from <= ? AND valid_to > ?`, orgID, d, d)
	if err != nil {
		return fmt.Errorf("store: review facts: %w", err)
	}
	for _, id := range subs {
		f.SubUnits++
		if disc["O:"+id] != "" {
			f.SubUnitsDisciplined++
		}
	}
	leaders, err := column(ctx, q, `SELECT DISTINCT member_id FROM posts WHERE org_id = ? AND member_id <> '' AND valid_from <= ? AND valid_to > ?
		AND role IN ('secretary', 'deputy_secretary', 'standing', 'committee')`, orgID, d, d)
	if err != nil {
		return fmt.Errorf("store: review facts: %w", err)
	}
	for _, id := range leaders {
		if disc["M:"+id] != "" {
			f.LeadersDisciplined++
		}
	}
	return nil
}

// previousRemedies finds the same subject's review in the latest earlier campaign and its
// remedies, each marked overdue when still open past its deadline at this campaign's end.
func (s *Store) previousRemedies(ctx context.Context, q queryer, c dangvu.Campaign, r dangvu.Review) ([]dangvu.Remedy, string, error) {
	cond, arg := `r.kind = ? AND r.org_id = ?`, r.OrgID
	if r.Kind.IsPerson() {
		cond, arg = `r.kind = ? AND r.member_id = ?`, r.MemberID
	}
	var prev, name string
	err := q.QueryRowContext(ctx, `SELECT r.id, c.name FROM reviews r JOIN review_campaigns c ON c.id = r.campaign_id
		WHERE `+cond+` AND c.period_to < ? ORDER BY c.period_to DESC LIMIT 1`, string(r.Kind), arg, c.From).Scan(&prev, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return []dangvu.Remedy{}, "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("store: previous review: %w", err)
	}
	rems, err := s.remedies(ctx, q, `m.review_id = ?`, prev)
	for i := range rems {
		rems[i].Overdue = rems[i].Status != dangvu.RemedyDone && rems[i].Due.Before(c.To)
	}
	return rems, name, err
}

func (s *Store) remedies(ctx context.Context, q queryer, where string, args ...any) ([]dangvu.Remedy, error) {
	rows, err := q.QueryContext(ctx, `SELECT m.id, m.review_id, m.content, m.owner, m.due, m.status, m.done_on, m.evidence, r.org_id, r.campaign_id,
		COALESCE(mem.full_name, '') FROM remedies m JOIN reviews r ON r.id = m.review_id LEFT JOIN members mem ON mem.id = r.member_id
		WHERE `+where+` ORDER BY m.due, m.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: remedies: %w", err)
	}
	defer rows.Close()
	today := s.today()
	out := []dangvu.Remedy{}
	for rows.Next() {
		var m dangvu.Remedy
		if err := rows.Scan(&m.ID, &m.ReviewID, &m.Content, &m.Owner, &m.Due, &m.Status, &m.DoneOn, &m.Evidence, &m.OrgID, &m.CampaignID, &m.Subject); err != nil {
			return nil, err
		}
		m.Overdue = m.Status != dangvu.RemedyDone && m.Due.Before(isoDate(today))
		out = append(out, m)
	}
	return out, rows.Err()
}

// Reviews lists a campaign's reviews (without details), subjects in name order.
func (s *Store) Reviews(ctx context.Context, f dangvu.ReviewFilter) ([]dangvu.Review, error) {
	c, err := s.Campaign(ctx, f.CampaignID)
	if err != nil {
		return nil, err
	}
	cond, args := `r.campaign_id = ?`, []any{c.ID}
	if f.Kind != "" {
		cond += ` AND r.kind = ?`
		args = append(args, string(f.Kind))
	}
	if f.DeciderID != "" {
		cond += ` AND r.decider_id = ?`
		args = append(args, f.DeciderID)
	}
	join := ""
	if f.Under != "" {
		to, _ := dangvu.RequireDate(c.To)
		p, err := s.pathNear(ctx, f.Under, to, true)
		if err != nil {
			return nil, err
		}
		lo, hi := subtreeRange(p)
		join = ` JOIN org_paths op ON op.org_id = r.org_id AND op.valid_from <= ? AND op.valid_to > ?`
		cond += ` AND op.path >= ? AND op.path < ?`
		args = append([]any{c.To, c.To}, append(args, lo, hi)...)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+reviewCols+` FROM reviews r LEFT JOIN members m ON m.id = r.member_id`+join+`
		WHERE `+cond+` ORDER BY r.kind, COALESCE(m.name_key, ''), r.org_id, r.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: reviews: %w", err)
	}
	defer rows.Close()
	out := []dangvu.Review{}
	names := map[string]string{}
	for rows.Next() {
		r, err := scanReview(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		id := out[i].OrgID
		if _, ok := names[id]; !ok {
			names[id] = s.orgName(ctx, id, c.To)
		}
		out[i].OrgName = names[id]
	}
	return out, nil
}

// MemberReviews lists a member's own reviews, newest campaign first.
func (s *Store) MemberReviews(ctx context.Context, memberID string) ([]dangvu.Review, error) {
	out, err := scanAll(ctx, s.read, `SELECT `+reviewCols+` FROM reviews r LEFT JOIN members m ON m.id = r.member_id
		JOIN review_campaigns c ON c.id = r.campaign_id WHERE r.member_id = ? ORDER BY c.period_to DESC, r.id`, []any{memberID}, scanReview)
	if err != nil {
		return nil, fmt.Errorf("store: reviews: %w", err)
	}
	return out, nil
}

// Progress counts, per organisation, the members' reviews submitted, proposed and decided, and
// names those not submitted.
func (s *Store) Progress(ctx context.Context, campaignID, under string) ([]dangvu.CampaignProgress, error) {
	rs, err := s.Reviews(ctx, dangvu.ReviewFilter{CampaignID: campaignID, Under: under, Kind: dangvu.SubjectMember})
	if err != nil {
		return nil, err
	}
	by := map[string]*dangvu.CampaignProgress{}
	var order []string
	for _, r := range rs {
		p := by[r.OrgID]
		if p == nil {
			p = &dangvu.CampaignProgress{OrgID: r.OrgID, OrgName: r.OrgName, Missing: []string{}}
			by[r.OrgID] = p
			order = append(order, r.OrgID)
		}
		p.Subjects++
		switch {
		case !r.SelfOn.IsZero():
			p.Self++
		case r.Excluded == "":
			p.Missing = append(p.Missing, r.MemberName)
		}
		if r.ProposedRating != "" {
			p.Proposed++
		}
		if r.FinalRating != "" || !r.DecidedOn.IsZero() {
			p.Decided++
		}
	}
	out := make([]dangvu.CampaignProgress, 0, len(order))
	for _, id := range order {
		out = append(out, *by[id])
	}
	slices.SortFunc(out, func(a, b dangvu.CampaignProgress) int { return vn.CompareNames(a.OrgName, b.OrgName) })
	return out, nil
}

// JudgedReview is a review with its rule set's outcome, for a decision sheet.
// It stays in the store for the reason ReviewView does: review.Outcome cannot be named by the
// root package without an import cycle.
type JudgedReview struct {
	dangvu.Review
	Outcome review.Outcome `json:"outcome"`
}

// DecisionSheet lists the reviews one decider rates in a campaign, each with its outcome,
// reading the discipline records once.
func (s *Store) DecisionSheet(ctx context.Context, campaignID, deciderID string) ([]JudgedReview, error) {
	c, err := s.Campaign(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	rs := review.ForCampaign(c)
	list, err := s.Reviews(ctx, dangvu.ReviewFilter{CampaignID: campaignID, DeciderID: deciderID})
	if err != nil {
		return nil, err
	}
	disc, err := s.disciplinedDuring(ctx, s.read, c)
	if err != nil {
		return nil, err
	}
	out := make([]JudgedReview, 0, len(list))
	for _, r := range list {
		o, err := s.judge(ctx, s.read, rs, c, r, disc)
		if err != nil {
			return nil, err
		}
		out = append(out, JudgedReview{Review: r, Outcome: o})
	}
	return out, nil
}
