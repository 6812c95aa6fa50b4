package store

import (
	"slices"
	"strconv"
	"strings"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/vn"
)

// The inspection domain's exchange tables (docs/inspection.md): each loads through the bulk
// loader, upserting by key, after checking its references and, for discipline decisions, the
// rules of the rule set in force on the decision date.

var (
	tblInspFields     = table{name: "inspection_fields", columns: []string{"code", "name"}, key: []string{"code"}}
	tblInspProgrammes = table{name: "inspection_programmes", columns: []string{"id", "org_id", "body", "year", "title", "document"}, key: []string{"id"}}
	tblInspRounds     = table{name: "inspection_rounds", columns: []string{"id", "programme_id", "org_id", "body", "kind", "title", "decision", "decided_on", "fields", "team", "planned_from", "planned_to", "stage", "conduct_from", "concluded_on"}, key: []string{"id"}}
	tblInspSubjects   = table{name: "inspection_subjects", columns: []string{"round_id", "org_id", "member_id", "finding", "severity", "conclusion", "recommendations", "follow_up_due", "follow_up_done"}, key: []string{"round_id", "org_id", "member_id"}}
	tblDisciplines    = table{name: "disciplines", columns: []string{"id", "round_id", "member_id", "org_id", "form", "authority_org_id", "authority_body", "violation_on", "renewed_on", "decided_on", "effective_on", "number", "reason", "post", "withdrawn_on", "withdrawn_reason", "no_limit", "higher_task"}, key: []string{"id"}}
	tblAppeals        = table{name: "discipline_appeals", columns: []string{"id", "discipline_id", "received_on", "lodged_on", "handler_org_id", "handler_body", "resolved_on", "outcome", "new_form", "note"}, key: []string{"id"}}
)

func exportSQL(t table) string {
	return `SELECT ` + quoteCols(t.columns) + ` FROM ` + t.name + ` ORDER BY ` + quoteCols(t.key)
}

// inspectionTables bind the inspection tables of the exchange format (internal/exchange). The
// fields are a catalogue every role reads; the rest needs ActReadInspection.
var inspectionTables = []domainTable{
	{name: tblInspFields.name, export: exportSQL(tblInspFields), load: (*importer).inspFields, read: dangvu.ActRead,
		scope: func(*exportScope) func([]string) bool { return func([]string) bool { return true } }},
	{name: tblInspProgrammes.name, export: exportSQL(tblInspProgrammes), load: (*importer).inspProgrammes, read: dangvu.ActReadInspection,
		scope: func(sc *exportScope) func([]string) bool { return sc.in("inspection_programmes", "org_id", sc.orgs) }},
	{name: tblInspRounds.name, export: exportSQL(tblInspRounds), load: (*importer).inspRounds, read: dangvu.ActReadInspection,
		scope: func(sc *exportScope) func([]string) bool { return sc.in("inspection_rounds", "org_id", sc.orgs) }},
	{name: tblInspSubjects.name, export: exportSQL(tblInspSubjects), load: (*importer).inspSubjects, read: dangvu.ActReadInspection,
		scope: func(sc *exportScope) func([]string) bool {
			return sc.in("inspection_subjects", "round_id", sc.keptIDs("inspection_rounds"))
		}},
	{name: tblDisciplines.name, export: exportSQL(tblDisciplines), load: (*importer).disciplines, read: dangvu.ActReadInspection,
		scope: func(sc *exportScope) func([]string) bool {
			// A member's discipline goes with the subtree when its authority is inside, or above
			// while the member was inside; one decided elsewhere before they joined stays with
			// the deciding side: the file does not carry the memberships that made that
			// authority competent (a ward's file would not import alone).
			m, o := sc.in("disciplines", "member_id", sc.members), sc.in("disciplines", "org_id", sc.orgs)
			a := sc.in("disciplines", "authority_org_id", sc.orgs)
			t, _ := exchange.Lookup("disciplines")
			mem, auth, on := slices.Index(t.Columns, "member_id"), slices.Index(t.Columns, "authority_org_id"), slices.Index(t.Columns, "decided_on")
			above, err := sc.above()
			if err != nil {
				sc.err = err
				return func([]string) bool { return false }
			}
			ships, err := sc.pairs(`SELECT member_id, org_id || '|' || valid_from || '|' || valid_to FROM memberships`)
			if err != nil {
				sc.err = err
				return func([]string) bool { return false }
			}
			spans := map[string][][2]string{} // member → their spans inside the subtree
			for _, s := range ships {
				if p := strings.Split(s[1], "|"); len(p) == 3 && sc.orgs[p[0]] {
					spans[s[0]] = append(spans[s[0]], [2]string{p[1], p[2]})
				}
			}
			insideOn := func(member, day string) bool {
				// An expulsion ends the membership on its own day: inside up to and on its end.
				return slices.ContainsFunc(spans[member], func(s [2]string) bool { return s[0] <= day && day <= s[1] })
			}
			return func(v []string) bool {
				return o(v) || m(v) && (a(v) || above[v[auth]] && insideOn(v[mem], v[on]))
			}
		}},
	{name: tblAppeals.name, export: exportSQL(tblAppeals), load: (*importer).appeals, read: dangvu.ActReadInspection,
		scope: func(sc *exportScope) func([]string) bool {
			return sc.in("discipline_appeals", "discipline_id", sc.keptIDs("disciplines"))
		}},
}

func (im *importer) inspFields() error {
	t := "inspection_fields"
	known, err := im.storedIDs(t, `SELECT code, name FROM inspection_fields`)
	if err != nil {
		return err
	}
	return im.load(t, tblInspFields, func(row int, rec exchange.Record) []any {
		c := im.id(t, row, rec, "code", true)
		name := im.text(t, row, rec, "name", true)
		known[c] = name
		return []any{c, name}
	})
}

func (im *importer) inspProgrammes() error {
	t := "inspection_programmes"
	known, err := im.storedIDs(t, `SELECT id, org_id FROM inspection_programmes`)
	if err != nil {
		return err
	}
	return im.load(t, tblInspProgrammes, func(row int, rec exchange.Record) []any {
		id := im.key(t, row, rec)
		org := im.id(t, row, rec, "org_id", true)
		im.orgRef(t, row, "org_id", org, "", "")
		y, err := strconv.Atoi(rec.Get("year"))
		if err != nil || y < 1930 || y > 2100 {
			im.bad(t, row, "year", "năm %q không hợp lệ", rec.Get("year"))
		}
		known[id] = org
		return []any{id, org, string(code(im, t, row, rec, "body", dangvu.Bodies, true)), y, im.text(t, row, rec, "title", true), rec.Get("document")}
	})
}

func (im *importer) inspRounds() error {
	t := "inspection_rounds"
	known, err := im.storedIDs(t, `SELECT id, decided_on FROM inspection_rounds`)
	if err != nil {
		return err
	}
	orgs, err := im.storedIDs("inspection_rounds/org", `SELECT id, org_id FROM inspection_rounds`)
	if err != nil {
		return err
	}
	progs, err := im.storedIDs("inspection_programmes", `SELECT id, org_id FROM inspection_programmes`)
	if err != nil {
		return err
	}
	fields, err := im.storedIDs("inspection_fields", `SELECT code, name FROM inspection_fields`)
	if err != nil {
		return err
	}
	return im.load(t, tblInspRounds, func(row int, rec exchange.Record) []any {
		r := dangvu.InspectionRound{
			ID: im.key(t, row, rec), ProgrammeID: im.id(t, row, rec, "programme_id", false), OrgID: im.id(t, row, rec, "org_id", true),
			Body: code(im, t, row, rec, "body", dangvu.Bodies, true), Kind: code(im, t, row, rec, "kind", dangvu.InspectionKinds, true),
			Title: im.text(t, row, rec, "title", true), Decision: im.text(t, row, rec, "decision", true), DecidedOn: im.day(t, row, rec, "decided_on", true),
			Team: rec.Get("team"), PlannedFrom: im.day(t, row, rec, "planned_from", true), PlannedTo: im.day(t, row, rec, "planned_to", true),
			Stage: code(im, t, row, rec, "stage", dangvu.Stages, true), ConductFrom: im.day(t, row, rec, "conduct_from", false),
			ConcludedOn: im.day(t, row, rec, "concluded_on", false),
		}
		if r.ProgrammeID != "" {
			if _, ok := progs[r.ProgrammeID]; !ok {
				im.bad(t, row, "programme_id", "không có chương trình kiểm tra, giám sát mã %q", r.ProgrammeID)
			}
		}
		if !r.DecidedOn.IsZero() {
			im.orgRef(t, row, "org_id", r.OrgID, r.DecidedOn.String(), nextDay(r.DecidedOn.String()))
		}
		for _, f := range splitList(rec.Get("fields")) {
			if _, ok := fields[f]; !ok {
				im.bad(t, row, "fields", "không có lĩnh vực kiểm tra mã %q (bảng inspection_fields)", f)
			}
		}
		for _, p := range validateRound(r) {
			im.bad(t, row, p.Field, "%s", p.Reason)
		}
		known[r.ID], orgs[r.ID] = r.DecidedOn.String(), r.OrgID
		return []any{r.ID, r.ProgrammeID, r.OrgID, string(r.Body), string(r.Kind), r.Title, r.Decision, r.DecidedOn, strings.Join(splitList(rec.Get("fields")), ";"),
			r.Team, r.PlannedFrom, r.PlannedTo, string(r.Stage), r.ConductFrom, r.ConcludedOn}
	})
}

func (im *importer) inspSubjects() error {
	t := "inspection_subjects"
	rounds, err := im.storedIDs("inspection_rounds", `SELECT id, decided_on FROM inspection_rounds`)
	if err != nil {
		return err
	}
	roundOrgs, err := im.storedIDs("inspection_rounds/org", `SELECT id, org_id FROM inspection_rounds`)
	if err != nil {
		return err
	}
	return im.load(t, tblInspSubjects, func(row int, rec exchange.Record) []any {
		before := len(im.errs)
		rid := im.id(t, row, rec, "round_id", true)
		decided, ok := rounds[rid]
		if rid != "" && !ok {
			im.bad(t, row, "round_id", "không có cuộc kiểm tra, giám sát mã %q", rid)
		}
		s := dangvu.RoundSubject{RoundID: rid, OrgID: im.id(t, row, rec, "org_id", false), MemberID: im.id(t, row, rec, "member_id", false),
			Finding: code(im, t, row, rec, "finding", dangvu.Findings, false), Severity: code(im, t, row, rec, "severity", dangvu.Severities, false),
			Conclusion: rec.Get("conclusion"), Recommendations: rec.Get("recommendations"),
			FollowUpDue: im.day(t, row, rec, "follow_up_due", false), FollowUpDone: im.day(t, row, rec, "follow_up_done", false)}
		if (s.OrgID == "") == (s.MemberID == "") {
			im.bad(t, row, "org_id", "cần đúng một trong org_id (tổ chức đảng) hoặc member_id (đảng viên)")
		}
		if s.OrgID != "" && decided != "" {
			im.orgRef(t, row, "org_id", s.OrgID, decided, nextDay(decided))
		}
		im.memberRef(t, row, "member_id", s.MemberID)
		for _, p := range validateSubject(s) {
			im.bad(t, row, p.Field, "%s", p.Reason)
		}
		if len(im.errs) == before && decided != "" {
			why, err := im.s.subjectOutside(im.ctx, im.conn, roundOrgs[rid], isoDate(decided), s.OrgID, s.MemberID)
			if err != nil {
				im.bad(t, row, "", "%s", err.Error())
			} else if why != "" {
				col := "org_id"
				if s.OrgID == "" {
					col = "member_id"
				}
				im.bad(t, row, col, "%s", why)
			}
		}
		return []any{s.RoundID, s.OrgID, s.MemberID, string(s.Finding), string(s.Severity), s.Conclusion, s.Recommendations, s.FollowUpDue, s.FollowUpDone}
	})
}

func (im *importer) disciplines() error {
	t := "disciplines"
	known, err := im.storedIDs(t, `SELECT id, decided_on FROM disciplines`)
	if err != nil {
		return err
	}
	rounds, err := im.storedIDs("inspection_rounds", `SELECT id, decided_on FROM inspection_rounds`)
	if err != nil {
		return err
	}
	undone, err := im.expulsionsUndone()
	if err != nil {
		return err
	}
	return im.load(t, tblDisciplines, func(row int, rec exchange.Record) []any {
		before := len(im.errs)
		d := dangvu.Discipline{ID: im.key(t, row, rec), RoundID: im.id(t, row, rec, "round_id", false),
			MemberID: im.id(t, row, rec, "member_id", false), OrgID: im.id(t, row, rec, "org_id", false),
			Form: code(im, t, row, rec, "form", dangvu.DisciplineForms, true), AuthorityOrgID: im.id(t, row, rec, "authority_org_id", true),
			AuthorityBody: code(im, t, row, rec, "authority_body", dangvu.Bodies, true), ViolationOn: im.day(t, row, rec, "violation_on", true),
			RenewedOn: im.day(t, row, rec, "renewed_on", false), DecidedOn: im.day(t, row, rec, "decided_on", true),
			EffectiveOn: im.day(t, row, rec, "effective_on", true), Number: im.text(t, row, rec, "number", true), Reason: rec.Get("reason"), Post: rec.Get("post"),
			WithdrawnOn: im.day(t, row, rec, "withdrawn_on", false), WithdrawnReason: rec.Get("withdrawn_reason"), NoLimit: rec.Get("no_limit")}
		switch rec.Get("higher_task") {
		case "", "0":
		case "1":
			d.HigherTask = true
		default:
			im.bad(t, row, "higher_task", "giá trị %q không hợp lệ; dùng 1 (vi phạm nhiệm vụ do cấp trên giao) hoặc để trống", rec.Get("higher_task"))
		}
		if (d.WithdrawnOn.IsZero()) != (strings.TrimSpace(d.WithdrawnReason) == "") {
			im.bad(t, row, "withdrawn_reason", "quyết định đã rút cần cả ngày rút (withdrawn_on) và lý do (withdrawn_reason)")
		}
		if _, ok := rounds[d.RoundID]; d.RoundID != "" && !ok {
			im.bad(t, row, "round_id", "không có cuộc kiểm tra, giám sát mã %q", d.RoundID)
		}
		if (d.OrgID == "") == (d.MemberID == "") {
			im.bad(t, row, "member_id", "cần đúng một trong member_id (đảng viên) hoặc org_id (tổ chức đảng)")
		}
		im.memberRef(t, row, "member_id", d.MemberID)
		im.orgRef(t, row, "org_id", d.OrgID, "", "")
		im.orgRef(t, row, "authority_org_id", d.AuthorityOrgID, "", "")
		// The rules are checked once the row's own fields and references are sound.
		if len(im.errs) == before && d.Form != "" && !d.DecidedOn.IsZero() && !d.EffectiveOn.IsZero() && !d.ViolationOn.IsZero() {
			// A withdrawn decision's effects were reversed: its expulsion is not in the history.
			// So was an expulsion annulled or lessened on or before its effect date.
			undoneBy, ok := undone[d.ID]
			probs, err := im.s.checkDiscipline(im.ctx, im.conn, d, d.WithdrawnOn.IsZero() && !(ok && undoneBy <= d.EffectiveOn.String()))
			if err != nil {
				im.bad(t, row, "", "%s", err.Error())
			}
			for _, p := range probs {
				im.bad(t, row, p.Field, "%s", p.Reason)
			}
		}
		known[d.ID] = d.EffectiveOn.String()
		return []any{d.ID, d.RoundID, d.MemberID, d.OrgID, string(d.Form), d.AuthorityOrgID, string(d.AuthorityBody), d.ViolationOn, d.RenewedOn,
			d.DecidedOn, d.EffectiveOn, d.Number, d.Reason, d.Post, d.WithdrawnOn, d.WithdrawnReason, d.NoLimit, boolInt(d.HigherTask)}
	})
}

// expulsionsUndone returns, by decision, the earliest resolution date of an appeal that annulled
// or lessened it, from the stored appeals and those of the file being imported (read ahead: the
// appeals load after the decisions).
func (im *importer) expulsionsUndone() (map[string]string, error) {
	out := map[string]string{}
	note := func(id, day string) {
		if day != "" && (out[id] == "" || day < out[id]) {
			out[id] = day
		}
	}
	if err := im.ids(`SELECT discipline_id, resolved_on FROM discipline_appeals WHERE outcome IN ('annulled', 'lessened')`, note); err != nil {
		return nil, err
	}
	if !im.r.Has("discipline_appeals") {
		return out, nil
	}
	err := im.r.Each("discipline_appeals", func(_ int, rec exchange.Record) error {
		o := dangvu.AppealOutcome(rec.Get("outcome"))
		if o != "annulled" && o != "lessened" && o != "Xóa kỷ luật" && o != "Giảm hình thức kỷ luật" {
			return nil
		}
		v := strings.TrimSpace(rec.Get("resolved_on"))
		if t, err := dangvu.ParseISODate(v); err == nil {
			note(rec.Get("discipline_id"), dangvu.ISO(t))
		} else if t, err := vn.ParseDate(v); err == nil {
			note(rec.Get("discipline_id"), dangvu.ISO(t))
		}
		return nil
	})
	return out, err
}

func (im *importer) appeals() error {
	t := "discipline_appeals"
	decisions, err := im.storedIDs("disciplines", `SELECT id, effective_on FROM disciplines`)
	if err != nil {
		return err
	}
	return im.load(t, tblAppeals, func(row int, rec exchange.Record) []any {
		a := dangvu.DisciplineAppeal{ID: im.key(t, row, rec), DisciplineID: im.id(t, row, rec, "discipline_id", true),
			ReceivedOn: im.day(t, row, rec, "received_on", true), LodgedOn: im.day(t, row, rec, "lodged_on", true),
			HandlerOrgID: im.id(t, row, rec, "handler_org_id", true), HandlerBody: code(im, t, row, rec, "handler_body", dangvu.Bodies, true),
			ResolvedOn: im.day(t, row, rec, "resolved_on", false), Outcome: code(im, t, row, rec, "outcome", dangvu.AppealOutcomes, false),
			NewForm: code(im, t, row, rec, "new_form", dangvu.DisciplineForms, false), Note: rec.Get("note")}
		if _, ok := decisions[a.DisciplineID]; a.DisciplineID != "" && !ok {
			im.bad(t, row, "discipline_id", "không có quyết định kỷ luật mã %q", a.DisciplineID)
		}
		im.orgRef(t, row, "handler_org_id", a.HandlerOrgID, "", "")
		for _, p := range validateAppeal(im.s.calendar(), a) {
			im.bad(t, row, p.Field, "%s", p.Reason)
		}
		return []any{a.ID, a.DisciplineID, a.ReceivedOn, a.LodgedOn, a.HandlerOrgID, string(a.HandlerBody), a.ResolvedOn, string(a.Outcome), string(a.NewForm), a.Note}
	})
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
