package store

import (
	"maps"
	"strconv"
	"strings"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/rules/review"
)

// The review tables of the exchange format (docs/reviews.md): campaigns, campaign_steps,
// reviews, review_marks, review_scores, remedies.
var (
	tblCampaigns = table{name: "review_campaigns", columns: []string{"id", "org_id", "name", "period_kind", "period_from", "period_to", "rule_set", "opened_on", "document"}, key: []string{"id"}}
	tblSteps     = table{name: "review_steps", columns: []string{"campaign_id", "step", "due"}, key: []string{"campaign_id", "step"}}
	tblReviews   = table{name: "reviews", columns: []string{"id", "campaign_id", "kind", "member_id", "org_id", "decider_id", "strengths", "faults", "causes", "points",
		"tasks_on_time", "tasks_beyond_pct", "self_rating", "self_on", "comments", "attendance", "proposed_rating", "proposed_on", "final_rating", "decided_on",
		"decision", "trigger_kind", "trigger_note", "excluded", "tasks_late_pct", "peer_group", "quota_exception"}, key: []string{"id"}}
	tblMarks    = table{name: "review_marks", columns: []string{"review_id", "code", "explanation"}, key: []string{"review_id", "code"}}
	tblScores   = table{name: "review_scores", columns: []string{"review_id", "criterion", "points"}, key: []string{"review_id", "criterion"}}
	tblRemedies = table{name: "remedies", columns: []string{"id", "review_id", "content", "owner", "due", "status", "done_on", "evidence"}, key: []string{"id"}}
)

// reviewTables bind the review tables of the exchange format (internal/exchange).
var reviewTables = []domainTable{
	{
		read:   dangvu.ActReviews,
		name:   "campaigns",
		export: `SELECT id, org_id, name, period_kind, period_from, period_to, rule_set, opened_on, document FROM review_campaigns ORDER BY id`,
		load:   (*importer).campaigns,
		scope: func(sc *exportScope) func([]string) bool {
			own, refs := sc.in("campaigns", "org_id", sc.orgs), referenceCampaigns(sc)
			return func(v []string) bool { return own(v) || refs[v[0]] }
		},
	},
	{
		read:   dangvu.ActReviews,
		name:   "campaign_steps",
		export: `SELECT campaign_id, step, due FROM review_steps ORDER BY campaign_id, step`,
		load:   (*importer).campaignSteps,
		scope: func(sc *exportScope) func([]string) bool {
			return sc.in("campaign_steps", "campaign_id", sc.keptIDs("campaigns"))
		},
	},
	{
		read: dangvu.ActReviews,
		name: "reviews",
		export: `SELECT id, campaign_id, kind, member_id, org_id, decider_id, strengths, faults, causes, COALESCE(CAST(points AS TEXT), ''),
			CAST(tasks_on_time AS TEXT), CAST(tasks_beyond_pct AS TEXT), self_rating, self_on, comments, attendance, proposed_rating, proposed_on,
			final_rating, decided_on, decision, trigger_kind, trigger_note, excluded, CAST(tasks_late_pct AS TEXT), peer_group, quota_exception FROM reviews ORDER BY id`,
		load: (*importer).reviewsTable,
		scope: func(sc *exportScope) func([]string) bool {
			camp, org := sc.in("reviews", "campaign_id", sc.keptIDs("campaigns")), sc.in("reviews", "org_id", sc.orgs)
			return func(v []string) bool { return camp(v) && org(v) }
		},
	},
	{read: dangvu.ActReviews, name: "review_marks", scope: ofKeptReview("review_marks"), load: (*importer).reviewMarks,
		export: `SELECT review_id, code, explanation FROM review_marks ORDER BY review_id, code`},
	{read: dangvu.ActReviews, name: "review_scores", scope: ofKeptReview("review_scores"), load: (*importer).reviewScores,
		export: `SELECT review_id, criterion, CAST(points AS TEXT) FROM review_scores ORDER BY review_id, criterion`},
	{read: dangvu.ActReviews, name: "remedies", scope: ofKeptReview("remedies"), load: (*importer).remediesTable,
		export: `SELECT id, review_id, content, owner, due, status, done_on, evidence FROM remedies ORDER BY id`},
}

// refCampaigns names, in exportScope.kept, the campaigns referenceCampaigns found, and in an
// import's known ids a subtree file's reference campaigns; keptCampaigns those of them the
// database held before the import, left as stored with their steps.
const (
	refCampaigns  = "campaigns\x00ref"
	keptCampaigns = "campaigns\x00kept"
)

// referenceCampaigns returns the review campaigns outside a subtree in which one of its
// organisations' subjects was reviewed (a review whose org_id lies in the subtree, of a member
// the export writes): the yearly campaigns a city or a province runs for every cell under it.
// The report's review figures count a review by its campaign's period, so the subtree's file
// carries those campaigns, with their steps and the subtree's own reviews only, as references:
// read-only, never overwriting a stored one on import (importer.campaigns), like the reference
// conferences (referenceConferences). Their organisations go to the stubs like any other
// organisation a row names. Computed once per export, on the first call.
func referenceCampaigns(sc *exportScope) map[string]bool {
	return referencesOutside(sc, refCampaigns, `SELECT id, org_id FROM review_campaigns`,
		`SELECT campaign_id, org_id || '|' || member_id FROM reviews`,
		func(subject string, members map[string]bool) bool {
			org, member, _ := strings.Cut(subject, "|")
			return sc.orgs[org] && (member == "" || members[member])
		})
}

// ofKeptReview keeps, in a subtree export, the rows of table whose review was kept.
func ofKeptReview(table string) func(sc *exportScope) func([]string) bool {
	return func(sc *exportScope) func([]string) bool {
		return sc.in(table, "review_id", sc.keptIDs("reviews"))
	}
}

func (im *importer) campaigns() error {
	t := "campaigns"
	known, err := im.storedIDs(t, `SELECT id, period_to FROM review_campaigns`)
	if err != nil {
		return err
	}
	stored := maps.Clone(known)
	refs, kept := im.knownIDs(refCampaigns), im.knownIDs(keptCampaigns)
	return im.load(t, tblCampaigns, func(row int, rec exchange.Record) []any {
		id := im.key(t, row, rec)
		if len(id) > 40 {
			im.bad(t, row, "id", "mã đợt tối đa 40 ký tự")
		}
		org := im.id(t, row, rec, "org_id", true)
		im.orgRef(t, row, "org_id", org, "", "")
		name := im.text(t, row, rec, "name", true)
		kind := code(im, t, row, rec, "period_kind", dangvu.PeriodKinds, true)
		from, to := im.date(t, row, rec, "from", true), im.date(t, row, rec, "to", true)
		if from != "" && to != "" && to < from {
			im.bad(t, row, "to", "ngày kết thúc %s trước ngày bắt đầu %s", vnDate(to), vnDate(from))
		}
		rs := rec.Get("rule_set")
		if to != "" {
			end, _ := dangvu.ParseISODate(to) // checked by im.date
			want := review.For(end)
			if rs == "" {
				rs = want.Code
			} else if rs != want.Code {
				im.bad(t, row, "rule_set", "kỳ kết thúc ngày %s thuộc %s (mã %s), không phải %q", vnDate(to), want.Name, want.Code, rs)
			}
			if kind != "" && kind != dangvu.PeriodYear && want.Code != "qd366" {
				im.bad(t, row, "period_kind", "đánh giá theo nhiệm kỳ, quý hoặc khi cần thiết chỉ có từ QĐ 366-QĐ/TW")
			}
		}
		opened := im.date(t, row, rec, "opened_on", false)
		if opened == "" {
			opened = to
		}
		if im.subtreeFile() && !im.fileOrgs[org] {
			// A reference (referenceCampaigns): the campaign of an organisation above the subtree
			// in which the subtree's subjects were reviewed. A stored one is that organisation's
			// and stays as it is, with its steps; one the database lacks is added whole. The
			// subtree's reviews in it are the subtree's own and are loaded as usual.
			refs[id] = "1"
			if _, ok := stored[id]; ok {
				kept[id] = "1"
				return nil
			}
		}
		known[id] = to
		return []any{id, org, name, string(kind), from, to, rs, opened, rec.Get("document")}
	})
}

func (im *importer) campaignSteps() error {
	t := "campaign_steps"
	camps, err := im.storedIDs("campaigns", `SELECT id, period_to FROM review_campaigns`)
	if err != nil {
		return err
	}
	kept := im.knownIDs(keptCampaigns)
	return im.load(t, tblSteps, func(row int, rec exchange.Record) []any {
		c := im.id(t, row, rec, "campaign_id", true)
		if _, ok := camps[c]; c != "" && !ok {
			im.bad(t, row, "campaign_id", "không có đợt kiểm điểm mã %q", c)
		}
		if kept[c] != "" {
			return nil // a stored reference campaign keeps its own steps
		}
		step := im.text(t, row, rec, "step", true)
		if step != "" && !dangvu.ValidCode(dangvu.ReviewSteps, step) {
			im.bad(t, row, "step", "bước %q không hợp lệ; dùng self, comment, decision, upward", step)
		}
		return []any{c, step, im.date(t, row, rec, "due", true)}
	})
}

func (im *importer) intCell(t string, row int, rec exchange.Record, col string, min, max int, nullable bool) any {
	v := rec.Get(col)
	if v == "" {
		if nullable {
			return nil
		}
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < min || n > max {
		im.bad(t, row, col, "cần số nguyên từ %d đến %d", min, max)
		return 0
	}
	return n
}

func (im *importer) rating(t string, row int, rec exchange.Record, col string) string {
	return string(code(im, t, row, rec, col, dangvu.Ratings, false))
}

func (im *importer) reviewsTable() error {
	t := "reviews"
	camps, err := im.storedIDs("campaigns", `SELECT id, period_to FROM review_campaigns`)
	if err != nil {
		return err
	}
	known, err := im.storedIDs(t, `SELECT id, kind FROM reviews`)
	if err != nil {
		return err
	}
	return im.load(t, tblReviews, func(row int, rec exchange.Record) []any {
		id := im.key(t, row, rec)
		c := im.id(t, row, rec, "campaign_id", true)
		if _, ok := camps[c]; c != "" && !ok {
			im.bad(t, row, "campaign_id", "không có đợt kiểm điểm mã %q", c)
		}
		kind := code(im, t, row, rec, "kind", dangvu.SubjectKinds, true)
		member := im.id(t, row, rec, "member_id", false)
		if kind.IsPerson() && member == "" {
			im.bad(t, row, "member_id", "bắt buộc với đảng viên, cán bộ")
		}
		if member != "" && !im.memberExists(member) {
			im.bad(t, row, "member_id", "không có đảng viên mã %q", member)
		}
		org, decider := im.id(t, row, rec, "org_id", true), im.id(t, row, rec, "decider_id", true)
		im.orgRef(t, row, "org_id", org, "", "")
		im.orgRef(t, row, "decider_id", decider, "", "")
		trig := rec.Get("trigger")
		if trig != "" && !dangvu.ValidCode(review.TriggerNames, trig) {
			im.bad(t, row, "trigger", "căn cứ %q không hợp lệ; dùng một mã trong %s", trig, triggerCodeList())
		}
		onTime := im.intCell(t, row, rec, "tasks_on_time", 0, 1, false)
		known[own(id)] = own(string(kind))
		return []any{id, c, string(kind), member, org, decider, rec.Get("strengths"), rec.Get("faults"), rec.Get("causes"),
			im.intCell(t, row, rec, "points", 0, 100, true), onTime, im.intCell(t, row, rec, "tasks_beyond_pct", 0, 100, false),
			im.rating(t, row, rec, "self_rating"), im.date(t, row, rec, "self_on", false), rec.Get("comments"), rec.Get("attendance"),
			im.rating(t, row, rec, "proposed_rating"), im.date(t, row, rec, "proposed_on", false), im.rating(t, row, rec, "final_rating"),
			im.date(t, row, rec, "decided_on", false), rec.Get("decision"), trig, rec.Get("trigger_note"), rec.Get("excluded"),
			im.intCell(t, row, rec, "tasks_late_pct", 0, 100, false), rec.Get("peer_group"), rec.Get("quota_exception")}
	})
}

func (im *importer) reviewRef(t string, row int, rec exchange.Record) string {
	reviews := im.knownIDs("reviews")
	if len(reviews) == 0 && !im.fresh {
		if _, err := im.storedIDs("reviews", `SELECT id, kind FROM reviews`); err != nil {
			im.bad(t, row, "review_id", "%s", err.Error())
		}
	}
	id := im.id(t, row, rec, "review_id", true)
	if _, ok := reviews[id]; id != "" && !ok {
		im.bad(t, row, "review_id", "không có phiếu kiểm điểm mã %q", id)
	}
	return id
}

func (im *importer) reviewMarks() error {
	t := "review_marks"
	return im.load(t, tblMarks, func(row int, rec exchange.Record) []any {
		id := im.reviewRef(t, row, rec)
		c := im.text(t, row, rec, "code", true)
		if _, ok := review.LookupManifestation(c); c != "" && !ok {
			im.bad(t, row, "code", "biểu hiện %q không có trong danh mục 27 biểu hiện (Nghị quyết 04-NQ/TW)", c)
		}
		return []any{id, c, im.text(t, row, rec, "explanation", true)}
	})
}

func (im *importer) reviewScores() error {
	t := "review_scores"
	return im.load(t, tblScores, func(row int, rec exchange.Record) []any {
		return []any{im.reviewRef(t, row, rec), im.text(t, row, rec, "criterion", true), im.intCell(t, row, rec, "points", 0, 100, false)}
	})
}

func (im *importer) remediesTable() error {
	t := "remedies"
	return im.load(t, tblRemedies, func(row int, rec exchange.Record) []any {
		id := im.key(t, row, rec)
		rv := im.reviewRef(t, row, rec)
		st := im.text(t, row, rec, "status", true)
		if st != "" && st != dangvu.RemedyOpen && st != dangvu.RemedyDone {
			im.bad(t, row, "status", "trạng thái %q không hợp lệ; dùng open hoặc done", st)
		}
		return []any{id, rv, im.text(t, row, rec, "content", true), rec.Get("owner"), im.date(t, row, rec, "due", true), st,
			im.date(t, row, rec, "done_on", false), rec.Get("evidence")}
	})
}

func triggerCodeList() string {
	var out []string
	for _, t := range review.TriggerNames {
		out = append(out, t.Code)
	}
	return strings.Join(out, ", ")
}
