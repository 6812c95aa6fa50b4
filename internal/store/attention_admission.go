package store

import (
	"context"
	"fmt"
	"time"

	"dangvu"
	"dangvu/internal/rules/admission"
	"dangvu/internal/vn"
)

// admissionAttention lists the deadlines of the open admission files of cells in org's subtree
// (as the tree stands on asOf) whose person is a candidate or still a member on asOf: the decision after the cell's resolution, the ceremony after the
// decision, the end of probation and the full-membership vote, the full-membership decision.
func admissionAttention(ctx context.Context, s *Store, org dangvu.Org, asOf string, soon int) ([]dangvu.Attention, error) {
	lo, hi := subtreeRange(org.Path)
	open := `SELECT f.id FROM admission_files f JOIN org_paths p ON p.org_id = f.org_id AND p.valid_from <= ? AND p.valid_to > ?
		WHERE p.path >= ? AND p.path < ? AND NOT EXISTS (SELECT 1 FROM admission_steps x WHERE x.file_id = f.id AND x.stage = 'full_decision')
		AND (f.member_id = '' OR EXISTS (SELECT 1 FROM roster r WHERE r.member_id = f.member_id AND r.valid_from <= ? AND r.valid_to > ?))`
	rows, err := s.read.QueryContext(ctx, `SELECT `+fileCols+` FROM admission_files f WHERE f.id IN (`+open+`)`, asOf, asOf, lo, hi, asOf, asOf)
	if err != nil {
		return nil, fmt.Errorf("store: attention: %w", err)
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
	if len(files) == 0 {
		return nil, rows.Err()
	}
	steps, err := s.admissionSteps(ctx, s.read, `file_id IN (`+open+`)`, asOf, asOf, lo, hi, asOf, asOf)
	if err != nil {
		return nil, err
	}
	today, err := dangvu.ParseISODate(asOf)
	if err != nil {
		return nil, err
	}
	horizon := today.AddDate(0, 0, soon)
	cal := s.calendar()
	var out []dangvu.Attention
	orgs := orgVersions{}
	for _, f := range files {
		f.Steps = steps[f.ID]
		s.deriveFile(ctx, &f, orgs)
		at := func(st dangvu.AdmissionStage) time.Time {
			x, _ := f.Step(st)
			t, _ := dangvu.RequireDate(x.Date)
			return t
		}
		var kind, title, rule string
		var from, due time.Time // the count of working days, from → due

		switch f.Next {
		case dangvu.StageCommitteeVote, dangvu.StageDecision:
			if _, ok := f.Step(dangvu.StageCellVote); !ok {
				continue
			}
			cv := at(dangvu.StageCellVote)
			set := admission.For(cv)
			kind, title, rule = "admission_decision_due", "Hạn ra quyết định kết nạp", set.Cite(admission.RuleDecision)
			from, due = cv, cal.Add(cv, set.DecisionDays)
		case dangvu.StageCeremony:
			d := at(dangvu.StageDecision)
			set := admission.For(d)
			kind, title, rule = "admission_ceremony_due", "Hạn tổ chức lễ kết nạp", set.Cite(admission.RuleCeremony)
			from, due = d, cal.Add(d, set.CeremonyDays)
		case dangvu.StageFullVote:
			c := at(dangvu.StageCeremony)
			set := admission.For(c)
			end := set.ProbationEnd(c)
			if today.Before(set.FullFrom(c)) {
				kind, title, rule, due = "probation_ending", "Sắp hết thời gian dự bị", set.Cite(admission.RuleProbation), end
			} else {
				kind, title, rule = "full_vote_due", "Hạn chi bộ xét công nhận đảng viên chính thức", set.Cite(admission.RuleFullVote)
				from, due = end, cal.Add(end, set.FullVoteDays)
			}
		case dangvu.StageFullDecision:
			fv := at(dangvu.StageFullVote)
			set := admission.For(fv)
			kind, title, rule = "full_decision_due", "Hạn ra quyết định công nhận đảng viên chính thức", set.Cite(admission.RuleFullDecision)
			from, due = fv, cal.Add(fv, set.FullDecisionDays)
		default:
			continue
		}
		overdue := today.After(due)
		if !overdue && due.After(horizon) {
			continue
		}
		if overdue {
			title = "Quá hạn: " + title
		}
		est := ""
		if !from.IsZero() {
			// A deadline counted over a year without a recorded calendar says it is an estimate.
			est = admission.EstimatedNote(cal, from, due)
		}
		out = append(out, dangvu.Attention{Kind: kind, Title: title, Detail: f.FullName + " (hồ sơ " + f.ID + "), hạn " + vn.FormatDate(due) + est,
			OrgID: f.OrgID, OrgName: f.OrgName, MemberID: f.MemberID, Due: dangvu.DateOf(due), Overdue: overdue, Link: "/admissions/" + f.ID, Rule: rule})
	}
	return out, nil
}

// transferAttention lists official transfers to an organisation in the system whose letter has not
// been presented (no transfer_in recorded since), with the 30 working days of domain.md §3, for
// members or receiving organisations in org's subtree.
func transferAttention(ctx context.Context, s *Store, org dangvu.Org, asOf string, soon int) ([]dangvu.Attention, error) {
	lo, hi := subtreeRange(org.Path)
	rows, err := s.read.QueryContext(ctx, `SELECT a.id, a.member_id, a.date, a.org_id, m.full_name FROM life_acts a JOIN members m ON m.id = a.member_id
		WHERE a.kind = 'transfer_out' AND a.org_id <> '' AND a.date <= ?
		AND NOT EXISTS (SELECT 1 FROM life_acts b WHERE b.member_id = a.member_id AND b.kind = 'transfer_in' AND b.date >= a.date)
		AND (EXISTS (SELECT 1 FROM org_paths p WHERE p.org_id = a.org_id AND p.valid_from <= ? AND p.valid_to > ? AND p.path >= ? AND p.path < ?)
		  OR EXISTS (SELECT 1 FROM roster r WHERE r.member_id = a.member_id AND r.valid_from <= ? AND r.valid_to > ? AND r.path >= ? AND r.path < ?))
		ORDER BY a.date`, asOf, asOf, asOf, lo, hi, asOf, asOf, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("store: attention: transfers: %w", err)
	}
	defer rows.Close()
	today, _ := dangvu.ParseISODate(asOf)
	horizon := today.AddDate(0, 0, soon)
	var out []dangvu.Attention
	for rows.Next() {
		var id, member, d, to, name string
		if err := rows.Scan(&id, &member, &d, &to, &name); err != nil {
			return nil, err
		}
		t, _ := dangvu.ParseISODate(d)
		set := admission.For(t)
		due := s.calendar().Add(t, set.PresentDays)
		overdue := today.After(due)
		if !overdue && due.After(horizon) {
			continue
		}
		title := "Chưa xuất trình giấy giới thiệu sinh hoạt đảng"
		if overdue {
			title = "Quá hạn: " + title
		}
		out = append(out, dangvu.Attention{Kind: "transfer_not_presented", Title: title, Detail: name + ", chuyển ngày " + vnDate(d) + ", hạn " + vn.FormatDate(due) + admission.EstimatedNote(s.calendar(), t, due),
			OrgID: to, MemberID: member, Due: dangvu.DateOf(due), Overdue: overdue, Link: "/members/" + member, Rule: set.Cite(admission.RuleTransfer)})
	}
	return out, rows.Err()
}
