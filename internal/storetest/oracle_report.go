package storetest

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/rules/dues"
)

// reportOracle computes every key of the term report from the rows of a data set, by the
// definitions in docs/reports.md and the domain documents, in the plainest way: it walks parent
// links version by version, reads statuses and memberships row by row and counts in Go. No
// roster, no materialised paths, no SQL. It is slow and meant to be obviously right; where it
// and the store disagree, one of them does not follow the documented rule.
type reportOracle struct {
	r rows
	// attendance by member, built once (a lookup, not a derived fact).
	att map[string][]map[string]string
	// changes are the days memberships, statuses or organisation versions change, sorted.
	changes []string
}

func newReportOracle(r rows) *reportOracle {
	o := &reportOracle{r: r, att: map[string][]map[string]string{}}
	for _, a := range r["attendance"] {
		o.att[a["member_id"]] = append(o.att[a["member_id"]], a)
	}
	return o
}

// holds says whether [from, to) — to "" being open — holds the day d.
func holds(from, to, d string) bool { return from <= d && (to == "" || d < to) }

func (o *reportOracle) find(table, col, val string) map[string]string {
	for _, r := range o.r[table] {
		if r[col] == val {
			return r
		}
	}
	return nil
}

// version is the organisation's row in force on d.
func (o *reportOracle) version(id, d string) map[string]string {
	for _, v := range o.r["organisations"] {
		if v["id"] == id && holds(v["valid_from"], v["valid_to"], d) {
			return v
		}
	}
	return nil
}

// chain is the organisation and its ancestors on d; nil when any link is not in force that day.
func (o *reportOracle) chain(id, d string) []string {
	var out []string
	for id != "" {
		v := o.version(id, d)
		if v == nil {
			return nil
		}
		out = append(out, id)
		id = v["parent_id"]
	}
	return out
}

// under: the organisation id lies in anc's subtree on d (strict: not anc itself).
func (o *reportOracle) under(id, anc, d string, strict bool) bool {
	if strict && id == anc {
		return false
	}
	return slices.Contains(o.chain(id, d), anc)
}

func (o *reportOracle) status(member, d string) dangvu.Status {
	var st dangvu.Status
	best := ""
	for _, s := range o.r["member_statuses"] {
		if s["member_id"] == member && s["valid_from"] <= d && s["valid_from"] >= best {
			best, st = s["valid_from"], dangvu.Status(s["status"])
		}
	}
	return st
}

func inParty(st dangvu.Status) bool {
	return st == dangvu.StatusProbationary || st == dangvu.StatusFull || st == dangvu.StatusExempt
}

// belongs is the organisation a member is counted in on d: an official membership that day, in
// an organisation in force in a whole tree, while in the party. "" when none.
func (o *reportOracle) belongs(member, d string) string {
	if !inParty(o.status(member, d)) {
		return ""
	}
	for _, m := range o.r["memberships"] {
		if m["member_id"] == member && m["kind"] == string(dangvu.MembershipOfficial) && holds(m["valid_from"], m["valid_to"], d) && o.chain(m["org_id"], d) != nil {
			return m["org_id"]
		}
	}
	return ""
}

// membersOn lists the members counted under org on d.
func (o *reportOracle) membersOn(org, d string) []map[string]string {
	var out []map[string]string
	for _, m := range o.r["members"] {
		if b := o.belongs(m["id"], d); b != "" && o.under(b, org, d, false) {
			out = append(out, m)
		}
	}
	return out
}

func num(n int) float64 { return float64(n) }

func pct2(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return math.Round(10000*float64(n)/float64(of)) / 100
}

func within(d, from, to string) bool { return d >= from && d <= to }

// docKind is the kind in a document number such as "03-CTr/TU".
func docKind(number string) string {
	if i, j := strings.IndexByte(number, '-'), strings.IndexByte(number, '/'); i >= 0 && j > i {
		return number[i+1 : j]
	}
	return ""
}

// report computes every key for a case; a group with its own start takes its keys from the
// same computation over [its start, to] (docs/reports.md, "Groups, periods and presets").
func (o *reportOracle) report(c reportCase) map[string]any {
	out := o.reportFrom(c)
	for g, from := range c.groups {
		alt := c
		alt.from = from
		for k, v := range o.reportFrom(alt) {
			if dangvu.FigureGroup(k) == g && !slices.Contains([]string{"org_id", "org_name", "from", "to", "as_of", "document", "term_start"}, k) {
				out[k] = v
			}
		}
		out["from_"+g] = from
	}
	return out
}

func (o *reportOracle) reportFrom(c reportCase) map[string]any {
	out := map[string]any{"org_id": c.org, "from": c.from, "to": c.to, "as_of": c.asOf}
	if v := o.version(c.org, c.asOf); v != nil {
		out["org_name"] = v["name"]
	}
	if c.document != "" {
		out["document"] = c.document
	}
	out["term_start"] = nil
	best := ""
	for _, t := range o.r["terms"] {
		if t["org_id"] == c.org && t["start"] <= c.to && (t["end"] == "" || t["end"] > c.to) && t["start"] > best {
			best = t["start"]
			out["term_start"] = best
		}
	}
	// Membership on the as-of date.
	members := o.membersOn(c.org, c.asOf)
	prob, female := 0, 0
	for _, m := range members {
		if o.status(m["id"], c.asOf) == dangvu.StatusProbationary {
			prob++
		}
		if m["gender"] == dangvu.Female {
			female++
		}
	}
	out["members"], out["members_probationary"], out["members_female"] = num(len(members)), num(prob), num(female)

	o.admissions(c, out)
	o.partyAge(c, members, out)
	o.dissemination(c, out)
	o.reviews(c, out)
	o.inspection(c, out)
	o.posts(c, out)
	o.dues(c, out)
	o.meetings(c, out)
	o.files(c, members, out)
	return out
}

func (o *reportOracle) admissions(c reportCase, out map[string]any) {
	n := 0
	decided := map[string]bool{} // members with a decision on record, at any date
	for _, st := range o.r["admission_steps"] {
		if st["stage"] != string(dangvu.StageDecision) {
			continue
		}
		f := o.find("admission_files", "id", st["file_id"])
		if f["member_id"] != "" {
			decided[f["member_id"]] = true
		}
		if within(st["date"], c.from, c.to) && o.under(f["org_id"], c.org, st["date"], false) {
			n++
		}
	}
	for _, m := range o.r["members"] {
		a := m["admitted_on"]
		if a == "" || decided[m["id"]] || !within(a, c.from, c.to) {
			continue
		}
		if b := o.belongs(m["id"], a); b != "" && o.under(b, c.org, a, false) {
			n++
		}
	}
	out["admitted"] = num(n)
	years := (float64(daysBetween(c.from, c.to)) + 1) / 365.25
	mean := float64(len(o.membersOn(c.org, c.from))+len(o.membersOn(c.org, c.to))) / 2
	rate := 0.0
	if mean > 0 {
		rate = math.Round(100*(float64(n)/years)/mean*100) / 100
	}
	out["admission_rate_pct_per_year"] = rate
}

// partyAge: anniversaries, on the as-of date, of the admission moved forward by the days spent
// outside the party since.
func (o *reportOracle) partyAge(c reportCase, members []map[string]string, out map[string]any) {
	bands := []struct {
		key      string
		min, max int
	}{{"party_age_under_10", 0, 10}, {"party_age_10_to_29", 10, 30}, {"party_age_30_to_39", 30, 40}, {"party_age_40_to_49", 40, 50}, {"party_age_50_plus", 50, 1 << 30}}
	counts := make([]int, len(bands))
	unknown := 0
	for _, m := range members {
		adm := m["admitted_on"]
		if adm == "" {
			unknown++
			continue
		}
		var sts []map[string]string
		for _, s := range o.r["member_statuses"] {
			if s["member_id"] == m["id"] && s["valid_from"] <= c.asOf {
				sts = append(sts, s)
			}
		}
		slices.SortFunc(sts, func(a, b map[string]string) int { return strings.Compare(a["valid_from"], b["valid_from"]) })
		gap := 0
		for i, s := range sts {
			if inParty(dangvu.Status(s["status"])) {
				continue
			}
			from, to := max(s["valid_from"], adm), c.asOf
			if i+1 < len(sts) {
				to = sts[i+1]["valid_from"]
			}
			if to > from {
				gap += daysBetween(from, to)
			}
		}
		eff := day(adm).AddDate(0, 0, gap)
		years := 0
		for !eff.AddDate(years+1, 0, 0).After(day(c.asOf)) {
			years++
		}
		for i, b := range bands {
			if years >= b.min && years < b.max {
				counts[i]++
			}
		}
	}
	for i, b := range bands {
		out[b.key] = num(counts[i])
	}
	out["party_age_unknown"] = num(unknown)
}

func (o *reportOracle) docNumber(id string) string { return o.find("documents", "id", id)["number"] }

// studies says whether a conference studied a document with the number.
func (o *reportOracle) studies(conf, number string) bool {
	for _, cd := range o.r["conference_documents"] {
		if cd["conference_id"] == conf && o.docNumber(cd["document_id"]) == number {
			return true
		}
	}
	return false
}

func (o *reportOracle) dissemination(c reportCase, out map[string]any) {
	var numbers []string
	if c.document != "" {
		numbers = []string{c.document}
	} else {
		for _, cf := range o.r["conferences"] {
			if cf["kind"] != string(dangvu.ConfStudy) || !within(cf["date"], c.from, c.to) || !o.under(cf["org_id"], c.org, cf["date"], false) {
				continue
			}
			for _, cd := range o.r["conference_documents"] {
				if n := o.docNumber(cd["document_id"]); cd["conference_id"] == cf["id"] && !slices.Contains(numbers, n) {
					numbers = append(numbers, n)
				}
			}
		}
	}
	progs := 0
	for _, d := range o.r["documents"] {
		k := docKind(d["number"])
		if d["org_id"] == c.org && d["direction"] == string(dangvu.DirOwn) && (k == "CTr" || k == "KH") && within(d["date"], c.from, c.to) &&
			(c.document == "" || d["implements_id"] != "" && o.docNumber(d["implements_id"]) == c.document) {
			progs++
		}
	}
	own, below := 0, 0
	for _, cf := range o.r["conferences"] {
		if cf["kind"] != string(dangvu.ConfStudy) || !within(cf["date"], c.from, c.to) || c.document != "" && !o.studies(cf["id"], c.document) {
			continue
		}
		if cf["org_id"] == c.org {
			own++
		} else if o.under(cf["org_id"], c.org, cf["date"], true) {
			below++
		}
	}
	scope, reached := 0, 0
	if len(numbers) > 0 {
		for _, m := range o.membersOn(c.org, c.asOf) {
			if st := o.status(m["id"], c.asOf); st != dangvu.StatusProbationary && st != dangvu.StatusFull {
				continue
			}
			for _, n := range numbers {
				scope++
				for _, a := range o.att[m["id"]] {
					cf := o.find("conferences", "id", a["conference_id"])
					ok := a["status"] == string(dangvu.AttPresent) && cf["date"] <= c.asOf ||
						a["status"] == string(dangvu.AttMadeUp) && a["made_up_on"] != "" && a["made_up_on"] <= c.asOf
					if ok && o.studies(cf["id"], n) {
						reached++
						break
					}
				}
			}
		}
	}
	out["action_programmes"], out["conferences_at_org_level"], out["conferences_grassroots"] = num(progs), num(own), num(below)
	out["study_members_in_scope"], out["study_members_not_reached"], out["study_coverage_pct"] = num(scope), num(scope-reached), pct2(reached, scope)
}

func (o *reportOracle) reviews(c reportCase, out map[string]any) {
	for _, k := range []struct{ kind, prefix string }{{string(dangvu.SubjectMember), "review_members_"}, {string(dangvu.SubjectOrg), "review_organisations_"}} {
		for _, rt := range dangvu.Ratings {
			n := 0
			for _, r := range o.r["reviews"] {
				camp := o.find("campaigns", "id", r["campaign_id"])
				if r["kind"] == k.kind && r["final_rating"] == string(rt.Code) && within(camp["to"], c.from, c.to) && o.under(r["org_id"], c.org, camp["to"], false) {
					n++
				}
			}
			out[k.prefix+string(rt.Code)] = num(n)
		}
	}
}

func (o *reportOracle) inspection(c reportCase, out map[string]any) {
	committee, commission, visits := 0, 0, 0
	inspected := map[string]bool{}
	for _, r := range o.r["inspection_rounds"] {
		if !within(r["decided_on"], c.from, c.to) {
			continue
		}
		body := dangvu.Body(r["body"])
		if r["org_id"] == c.org {
			switch body {
			case dangvu.BodyExecutive, dangvu.BodyStanding:
				committee++
				for _, s := range o.r["inspection_subjects"] {
					if s["round_id"] == r["id"] && s["org_id"] != "" {
						inspected[s["org_id"]] = true
					}
				}
			case dangvu.BodyCommission:
				commission++
			}
		}
		v := o.version(r["org_id"], r["decided_on"])
		lvl := dangvu.Level(v["level"])
		if (lvl == dangvu.LevelGrassrootsCommittee || lvl == dangvu.LevelGrassrootsCell) && body != dangvu.BodyCommission &&
			(body == dangvu.BodyGrassroots || body == dangvu.BodyExecutive || body == dangvu.BodyStanding) && o.under(r["org_id"], c.org, r["decided_on"], false) {
			for _, s := range o.r["inspection_subjects"] {
				if s["round_id"] == r["id"] && s["org_id"] != "" {
					visits++
				}
			}
		}
	}
	members, orgs := map[string]bool{}, map[string]bool{}
	for _, d := range o.r["disciplines"] {
		if !within(d["decided_on"], c.from, c.to) || d["withdrawn_on"] != "" {
			continue
		}
		annulled := false
		for _, a := range o.r["discipline_appeals"] {
			if a["discipline_id"] == d["id"] && a["outcome"] == "annulled" && a["resolved_on"] != "" && a["resolved_on"] <= c.asOf {
				annulled = true
			}
		}
		if annulled {
			continue
		}
		before := addDays(d["decided_on"], -1)
		if d["member_id"] != "" {
			if b := o.belongs(d["member_id"], before); b != "" && o.under(b, c.org, before, false) {
				members[d["member_id"]] = true
			}
		} else if o.under(d["org_id"], c.org, before, true) {
			orgs[d["org_id"]] = true
		}
	}
	out["committee_inspection_rounds"], out["committee_inspected_organisations"] = num(committee), num(len(inspected))
	out["commission_inspection_rounds"], out["grassroots_inspection_visits"] = num(commission), num(visits)
	out["disciplined_members"], out["disciplined_organisations"] = num(len(members)), num(len(orgs))
}

// posting says whether a post of the role, where col = id, is held by a member on d.
func (o *reportOracle) holders(role dangvu.PostRole, col, id, d string) []map[string]string {
	var out []map[string]string
	for _, p := range o.r["posts"] {
		if p["role"] == string(role) && p[col] == id && holds(p["valid_from"], p["valid_to"], d) {
			out = append(out, p)
		}
	}
	return out
}

func (o *reportOracle) isSecretary(org, member, d string) bool {
	for _, p := range o.holders(dangvu.RoleSecretary, "org_id", org, d) {
		if p["member_id"] == member {
			return true
		}
	}
	return false
}

func (o *reportOracle) posts(c reportCase, out map[string]any) {
	d := c.asOf
	cells, same, aligned := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, l := range o.r["localities"] {
		if !holds(l["valid_from"], l["valid_to"], d) || !o.under(l["cell_id"], c.org, d, false) {
			continue
		}
		cell := l["cell_id"]
		cells[cell] = true
		heads := o.holders(dangvu.RoleHead, "locality_id", l["id"], d)
		headFrom := ""
		for _, h := range heads {
			if h["member_id"] != "" && o.isSecretary(cell, h["member_id"], d) {
				same[cell] = true
			}
			headFrom = max(headFrom, h["valid_from"])
		}
		termStart := ""
		for _, t := range o.r["terms"] {
			if t["org_id"] == cell && t["start"] <= d && (t["end"] == "" || t["end"] > d) {
				termStart = max(termStart, t["start"])
			}
		}
		if headFrom != "" && termStart != "" {
			gap := day(termStart).Sub(day(headFrom)) / (24 * time.Hour)
			if gap <= 92 && gap >= -92 {
				aligned[cell] = true
			}
		}
	}
	units, headSec := 0, 0
	for _, u := range o.r["units"] {
		if !holds(u["valid_from"], u["valid_to"], d) || !o.under(u["org_id"], c.org, d, false) {
			continue
		}
		units++
		for _, h := range o.holders(dangvu.RoleHead, "unit_id", u["id"], d) {
			if h["member_id"] != "" && o.isSecretary(u["org_id"], h["member_id"], d) {
				headSec++
				break
			}
		}
	}
	out["residential_cells"], out["secretary_is_village_head"], out["cell_terms_aligned"] = num(len(cells)), num(len(same)), num(len(aligned))
	out["agency_units"], out["head_is_secretary"] = num(units), num(headSec)
}

// dues recomputes the dues figures (docs/dues.md) from the rows: for each member with a dues
// row, each month of the period, the cell they belonged to under the organisation on the last
// day of the month they did (walking days back), what the rules owe then from their bases and
// exemptions, and their payment of the month; remittances of cells under the organisation on
// the first day of their month.
func (o *reportOracle) dues(c reportCase, out map[string]any) {
	from, _ := dangvu.ParseISODate(c.from)
	to, _ := dangvu.ParseISODate(c.to)
	m0, m1 := dangvu.MonthOf(from), dangvu.MonthOf(to)
	ids := map[string]bool{}
	bases := map[string][]dangvu.DuesBasis{}
	ex := map[string][]dangvu.DuesExemption{}
	pays := map[string]map[dangvu.Month]int64{}
	for _, b := range o.r["dues_bases"] {
		d, _ := dangvu.ParseDate(b["valid_from"])
		a, _ := strconv.ParseInt(b["amount"], 10, 64)
		bases[b["member_id"]] = append(bases[b["member_id"]], dangvu.DuesBasis{Member: b["member_id"], From: d, Group: dangvu.DuesGroup(b["group"]), Amount: a})
		ids[b["member_id"]] = true
	}
	for _, e := range o.r["dues_exemptions"] {
		f, _ := dangvu.ParseDate(e["valid_from"])
		var t dangvu.Date
		if e["valid_to"] != "" {
			t, _ = dangvu.ParseDate(e["valid_to"])
		}
		pct, _ := strconv.Atoi(e["pct"])
		ex[e["member_id"]] = append(ex[e["member_id"]], dangvu.DuesExemption{Kind: dangvu.DuesReliefKind(e["kind"]), Pct: pct, From: f, To: t})
		ids[e["member_id"]] = true
	}
	for _, p := range o.r["dues_payments"] {
		m, _ := dangvu.ParseMonth(p["month"])
		a, _ := strconv.ParseInt(p["amount"], 10, 64)
		if pays[p["member_id"]] == nil {
			pays[p["member_id"]] = map[dangvu.Month]int64{}
		}
		pays[p["member_id"]][m] = a
		ids[p["member_id"]] = true
	}
	var liable, paidAll, arrears, exempt int
	var owedSum, paidSum int64
	end := to.AddDate(0, 0, 1)
	for id := range ids {
		owed, paid := map[dangvu.Month]int64{}, map[dangvu.Month]int64{}
		owes, all, isExempt, any := false, true, false, false
		years := map[int]bool{}
		for m := m0; !m1.Before(m); m = m.Next() {
			in := false
			for _, d := range o.segmentEnds(m) {
				if b := o.belongs(id, d); b != "" && o.under(b, c.org, d, false) {
					in = true
					break
				}
			}
			if !in {
				continue
			}
			any = true
			years[m.Year] = true
			ow, ok, _ := dues.Owed(m, bases[id], ex[id])
			if ok {
				owed[m] = ow.Owed
			}
			if p, has := pays[id][m]; has {
				paid[m] = p
				paidSum += p
			}
			if owed[m] > 0 {
				owes = true
				owedSum += owed[m]
				if paid[m] < owed[m] {
					all = false
				}
			}
			if pct, _ := dues.Relief(ex[id], m); pct >= 100 {
				isExempt = true
			}
		}
		if !any {
			continue
		}
		if owes {
			liable++
			if all {
				paidAll++
			}
		}
		if isExempt {
			exempt++
		}
		for y := range years {
			if dues.InArrears(dues.ArrearsMonths(y, owed, paid, end)) {
				arrears++
				break
			}
		}
	}
	var remitted int64
	for _, r := range o.r["dues_remittances"] {
		m, _ := dangvu.ParseMonth(r["month"])
		if r["kind"] != dangvu.RemitMonthly || m.Before(m0) || m1.Before(m) {
			continue
		}
		d := dangvu.ISO(m.First())
		v := o.version(r["org_id"], d)
		if v == nil || !dangvu.Level(v["level"]).IsCell() || !o.under(r["org_id"], c.org, d, false) {
			continue
		}
		n, _ := strconv.ParseInt(r["remitted"], 10, 64)
		remitted += n
	}
	out["dues_members_liable"], out["dues_members_paid_all"] = num(liable), num(paidAll)
	out["dues_owed_vnd"], out["dues_paid_vnd"], out["dues_remitted_vnd"] = float64(owedSum), float64(paidSum), float64(remitted)
	out["dues_members_in_arrears_3m"], out["dues_members_exempt"] = num(arrears), num(exempt)
}

// segmentEnds are the last days of the month's stretches over which no membership, status or
// organisation version changes, latest first: where a member belongs is constant within each.
func (o *reportOracle) segmentEnds(m dangvu.Month) []string {
	if o.changes == nil {
		set := map[string]bool{}
		for _, t := range []string{"memberships", "organisations"} {
			for _, r := range o.r[t] {
				set[r["valid_from"]], set[r["valid_to"]] = true, true
			}
		}
		for _, r := range o.r["member_statuses"] {
			set[r["valid_from"]] = true
		}
		for d := range set {
			if d != "" {
				o.changes = append(o.changes, d)
			}
		}
		slices.Sort(o.changes)
	}
	first, last := dangvu.ISO(m.First()), dangvu.ISO(m.Last())
	out := []string{last}
	for i := len(o.changes) - 1; i >= 0; i-- {
		d := o.changes[i]
		if d > first && d <= last {
			out = append(out, dangvu.ISO(m.First().AddDate(0, 0, daysBetween(first, d)-1)))
		}
	}
	return out
}

// meetings computes the cell meeting figures (docs/meetings.md) from the rows: each meeting
// placed in the subtree as the tree stood on its day; the three-month rule as the Charter words
// it (three months of a calendar year, not necessarily in a row, absences alone).
func (o *reportOracle) meetings(c reportCase, out map[string]any) {
	held := func(kind string) []map[string]string {
		var ms []map[string]string
		for _, m := range o.r["meetings"] {
			if m["status"] == "held" && (kind == "" || m["kind"] == kind) && within(m["held_on"], c.from, c.to) && o.under(m["org_id"], c.org, m["held_on"], false) {
				ms = append(ms, m)
			}
		}
		return ms
	}
	regular := held("regular")
	roll, present := 0, 0
	for _, m := range regular {
		roll += atoi(m["on_roll"])
		present += atoi(m["present"])
	}
	out["cell_meetings_held"], out["thematic_meetings_held"] = num(len(regular)), num(len(held("thematic")))
	out["cell_meeting_attendance_pct"] = pct2(present, roll)
	bands := map[string]int{}
	for _, m := range held("") {
		b := m["reviewed_band"]
		if b == "" {
			b = m["quality_band"]
		}
		bands[b]++
	}
	for _, b := range []string{"good", "fair", "average", "poor"} {
		out["cell_meetings_quality_"+b] = num(bands[b])
	}
	isCell := func(v map[string]string) bool {
		return v != nil && (v["level"] == string(dangvu.LevelCell) || v["level"] == string(dangvu.LevelGrassrootsCell))
	}
	cellsOn := func(d string) []string {
		var ids []string
		for _, v := range o.r["organisations"] {
			if holds(v["valid_from"], v["valid_to"], d) && isCell(v) && o.under(v["id"], c.org, d, false) && !slices.Contains(ids, v["id"]) {
				ids = append(ids, v["id"])
			}
		}
		return ids
	}
	monthsIn := func(from, to string) []string {
		var ms []string
		f, _ := time.Parse(dangvu.DateLayout, from)
		t, _ := time.Parse(dangvu.DateLayout, to)
		for m := time.Date(f.Year(), f.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(t); m = m.AddDate(0, 1, 0) {
			ms = append(ms, dangvu.ISO(m))
		}
		return ms
	}
	exp := 0
	for _, m := range monthsIn(c.from, c.to) {
		t, _ := time.Parse(dangvu.DateLayout, m)
		d := dangvu.ISO(t.AddDate(0, 1, -1))
		if d > c.to {
			d = c.to
		}
		exp += len(cellsOn(d))
	}
	out["cell_meetings_expected"] = num(exp)
	every := 0
	for _, id := range cellsOn(c.to) {
		start := ""
		for _, v := range o.r["organisations"] {
			if v["id"] == id && (start == "" || v["valid_from"] < start) {
				start = v["valid_from"]
			}
		}
		from := max(c.from, start)
		months := map[string]bool{}
		for _, m := range regular {
			if m["org_id"] == id {
				months[m["month"]] = true
			}
		}
		if want := len(monthsIn(from, c.to)); want > 0 && len(months) >= want {
			every++
		}
	}
	out["cells_meeting_every_month"] = num(every)
	flagged := 0
	for y := atoi(c.from[:4]); y <= atoi(c.to[:4]); y++ {
		upTo := time.Date(y, 12, 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
		if y == atoi(c.to[:4]) {
			upTo = c.to[:7]
		}
		first := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
		months := map[string]map[string]bool{}
		for _, a := range o.r["meeting_attendance"] {
			if a["mark"] != "unexcused" {
				continue
			}
			m := o.find("meetings", "id", a["meeting_id"])
			if m == nil || m["month"] < first || m["month"] > upTo || !o.under(m["org_id"], c.org, m["held_on"], false) {
				continue
			}
			if months[a["member_id"]] == nil {
				months[a["member_id"]] = map[string]bool{}
			}
			months[a["member_id"]][m["month"]] = true
		}
		for _, ms := range months {
			if len(ms) >= 3 {
				flagged++
			}
		}
	}
	out["members_absent_3m_unexcused"] = num(flagged)
	regs := 0
	for _, l := range o.r["residence_links"] {
		if l["valid_from"] <= c.to && (l["valid_to"] == "" || l["valid_to"] >= c.to) && o.under(l["cell_id"], c.org, c.to, false) {
			regs++
		}
	}
	out["residence_registrations"] = num(regs)
	ret := 0
	for _, cm := range o.r["residence_comments"] {
		l := o.find("residence_links", "id", cm["link_id"])
		if cm["returned_on"] != "" && within(cm["returned_on"], c.from, c.to) && l != nil && o.under(l["cell_id"], c.org, cm["returned_on"], false) {
			ret++
		}
	}
	out["residence_comments_returned"] = num(ret)
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			break
		}
		n = n*10 + int(r-'0')
	}
	return n
}
