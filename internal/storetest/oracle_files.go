package storetest

import (
	"slices"
	"strconv"

	"dangvu"
	"dangvu/internal/rules/badges"
	"dangvu/internal/rules/records"
)

// files computes the member-files figures (docs/member-files.md) from the rows: each file's
// documents against the catalogue's required types, the badges due at the next ceremony from each
// member's history (official memberships while in the Party, an annulled expulsion counted in),
// the supplements certified and the badges awarded in the period.
func (o *reportOracle) files(c reportCase, members []map[string]string, out map[string]any) {
	asOf := day(c.asOf)
	req := records.For(asOf).RequiredFor(true)
	missing := 0
	for _, m := range members {
		held := map[string]bool{}
		for _, d := range o.r["file_documents"] {
			if d["member_id"] == m["id"] && d["added_on"] <= c.asOf {
				held[d["type_no"]] = true
			}
		}
		full := o.status(m["id"], c.asOf) != dangvu.StatusProbationary
		for _, t := range req {
			if (t.Required == records.RequiredAll || full) && !held[strconv.Itoa(t.No)] {
				missing++
				break
			}
		}
	}
	out["member_files_complete_pct"] = pct2(len(members)-missing, len(members))
	out["member_files_missing"] = num(missing)

	cer := badges.NextCeremony(asOf)
	due := 0
	for _, m := range members {
		if m["admitted_on"] == "" {
			continue
		}
		cand, ok := badges.ForCeremony(o.history(m), o.delays(m["id"], dangvu.ISO(cer)), nil, cer)
		if !ok || cand.Kind != badges.Due && cand.Kind != badges.Delayed {
			continue
		}
		awarded := false
		for _, b := range o.r["badges"] {
			if b["member_id"] == m["id"] && b["kind"] != "reissue" && b["milestone"] == strconv.Itoa(cand.Milestone) {
				awarded = true
			}
		}
		if !awarded {
			due++
		}
	}
	out["badges_due"] = num(due)

	n := 0
	for _, x := range o.r["supplements"] {
		if x["status"] == dangvu.SupplementCertified && within(x["certified_on"], c.from, c.to) && o.under(x["org_id"], c.org, x["certified_on"], false) {
			n++
		}
	}
	out["supplements_certified"] = num(n)
	n = 0
	for _, b := range o.r["badges"] {
		if b["kind"] != "reissue" && (b["decided_on"] != "" || b["presented_on"] != "") && within(b["ceremony"], c.from, c.to) && o.under(b["org_id"], c.org, b["ceremony"], false) {
			n++
		}
	}
	out["badges_awarded"] = num(n)
}

// history is a member's party history: the days with an official membership while in the Party
// (each membership cut by the member's in-party status intervals), the annulled expulsions and
// the date of death.
func (o *reportOracle) history(m map[string]string) badges.History {
	h := badges.History{Admitted: day(m["admitted_on"])}
	var sts []map[string]string
	for _, s := range o.r["member_statuses"] {
		if s["member_id"] == m["id"] {
			sts = append(sts, s)
		}
	}
	slices.SortFunc(sts, func(a, b map[string]string) int { return compareStr(a["valid_from"], b["valid_from"]) })
	type span struct{ from, to string }
	var in []span
	for i, s := range sts {
		to := "9999-12-31"
		if i+1 < len(sts) {
			to = sts[i+1]["valid_from"]
		}
		if inParty(dangvu.Status(s["status"])) {
			in = append(in, span{s["valid_from"], to})
		}
		if s["status"] == string(dangvu.StatusDeceased) && h.Died.IsZero() {
			h.Died = day(s["valid_from"])
		}
	}
	var cuts []span
	for _, ms := range o.r["memberships"] {
		if ms["member_id"] != m["id"] || ms["kind"] != string(dangvu.MembershipOfficial) {
			continue
		}
		mto := ms["valid_to"]
		if mto == "" {
			mto = "9999-12-31"
		}
		for _, s := range in {
			f, t := max(ms["valid_from"], s.from), min(mto, s.to)
			if f < t {
				cuts = append(cuts, span{f, t})
			}
		}
	}
	slices.SortFunc(cuts, func(a, b span) int { return compareStr(a.from, b.from) })
	for _, s := range cuts {
		iv := badges.Interval{From: day(s.from)}
		if s.to != "9999-12-31" {
			iv.To = day(s.to)
		}
		h.In = append(h.In, iv)
	}
	for _, d := range o.r["disciplines"] {
		if d["member_id"] != m["id"] || d["form"] != string(dangvu.FormExpulsion) || d["withdrawn_on"] != "" {
			continue
		}
		first := ""
		for _, a := range o.r["discipline_appeals"] {
			if a["discipline_id"] == d["id"] && a["outcome"] == "annulled" && a["resolved_on"] != "" && (first == "" || a["resolved_on"] < first) {
				first = a["resolved_on"]
			}
		}
		if first > d["effective_on"] {
			h.Annulled = append(h.Annulled, badges.Interval{From: day(d["effective_on"]), To: day(first)})
		}
	}
	return h
}

// delays are the member's discipline decisions that delay a badge, live on d (not withdrawn, not
// annulled by an appeal resolved by then).
func (o *reportOracle) delays(member, d string) []badges.Discipline {
	var out []badges.Discipline
	for _, x := range o.r["disciplines"] {
		if x["member_id"] != member || x["withdrawn_on"] != "" || x["effective_on"] > d {
			continue
		}
		switch x["form"] {
		case "reprimand", "warning", "removal":
		default:
			continue
		}
		annulled := false
		for _, a := range o.r["discipline_appeals"] {
			if a["discipline_id"] == x["id"] && a["outcome"] == "annulled" && a["resolved_on"] != "" && a["resolved_on"] <= d {
				annulled = true
			}
		}
		if !annulled {
			out = append(out, badges.Discipline{Form: x["form"], Date: day(x["effective_on"])})
		}
	}
	return out
}

func compareStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
