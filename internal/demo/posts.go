package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"dangvu"
	"dangvu/internal/gen"
)

// unit is an agency, public service unit or enterprise served by a party organisation.
type unit struct {
	id, name      string
	kind          dangvu.OrgKind
	org           *org
	title         string // of its head
	from, to      date
	nonMemberHead bool
}

// until is the end of the unit: it closes with the organisation serving it.
func (u *unit) until() date { return min(u.to, u.org.to()) }

func (w *world) newUnit(o *org, name string, kind dangvu.OrgKind, title string) *unit {
	u := &unit{id: fmt.Sprintf("U%03d", len(w.units)+1), name: name, kind: kind, org: o, title: title, from: o.from(), to: open}
	o.unit = u
	w.units = append(w.units, u)
	return u
}

// locality is a village or residential area served by a residential cell.
type locality struct {
	id, name, kind string
	cell           *org
	from, to       date
}

func (w *world) newLocality(c *org, name, kind string) {
	l := &locality{id: "L-" + c.id, name: name, kind: kind, cell: c, from: c.from(), to: open}
	c.locality = l
	w.localities = append(w.localities, l)
}

// term is a committee's term, opened by a congress.
type term struct {
	id, name   string
	org        *org
	start, end date
	doc        string
}

// post is a post held during [from, to) in a committee (org, term), a locality or a unit.
type post struct {
	id       string
	role     dangvu.PostRole
	org      *org
	term     *term
	loc      *locality
	unit     *unit
	p        *person // nil for a holder who is not a member
	holder   string
	title    string
	from, to date
}

// span is a stretch of time a person holds a seat.
type span struct {
	p        *person
	from, to date
}

// round is a round of congresses: the name of the term it opens and the window of its congresses.
type round struct {
	name     string
	from, to date
}

// Cells hold congresses twice in a grassroots committee's term; residential cells held theirs in
// 2017 with the village head elections (Directive 12-CT/TU). Cells congress first, then the
// grassroots committees, then the district.
var (
	cellRounds = []round{
		{"2015–2017", ymd(2015, 2, 10), ymd(2015, 4, 1)},
		{"2017–2020", ymd(2017, 3, 1), ymd(2017, 6, 1)},
		{"2020–2022", ymd(2020, 2, 10), ymd(2020, 4, 1)},
		{"2022–2025", ymd(2022, 9, 1), ymd(2022, 12, 1)},
		{"2025–2027", ymd(2025, 3, 1), ymd(2025, 5, 1)},
	}
	grassrootsRounds = []round{
		{"2015–2020", ymd(2015, 4, 6), ymd(2015, 6, 1)},
		{"2020–2025", ymd(2020, 4, 15), ymd(2020, 7, 1)},
		{"2025–2030", ymd(2025, 4, 20), ymd(2025, 6, 21)},
	}
	districtRounds = []round{
		{"2010–2015", ymd(2010, 7, 10), ymd(2010, 8, 21)},
		{"2015–2020", ymd(2015, 7, 20), ymd(2015, 8, 26)},
		{"2020–2025", ymd(2020, 8, 5), ymd(2020, 9, 16)},
	}
)

// addTerms gives o its terms. An organisation founded during a term starts with that term; one
// that ends within four months of a congress does not hold it.
func (w *world) addTerms(r *rand.Rand, o *org) {
	var rounds []round
	switch o.first().level {
	case dangvu.LevelDistrict:
		rounds = districtRounds
	case dangvu.LevelGrassrootsCommittee:
		rounds = grassrootsRounds
	case dangvu.LevelCell, dangvu.LevelGrassrootsCell:
		rounds = cellRounds
	default:
		return
	}
	var ts []*term
	for i, rd := range rounds {
		start := within(r, rd.from, rd.to)
		next := open
		if i+1 < len(rounds) {
			next = rounds[i+1].from
		}
		if o.from() >= next || o.to()-start < 120 {
			continue
		}
		start = max(start, o.from())
		parent := o.at(start).parent
		t := &term{id: "T-" + o.id + "-" + rd.name[:4], name: rd.name, org: o, start: start, end: o.to(),
			doc: fmt.Sprintf("Số %d-QĐ/%s", 10+r.IntN(990), parent.issuer)}
		if n := len(ts); n > 0 {
			ts[n-1].end = start
		}
		ts = append(ts, t)
	}
	w.terms = append(w.terms, ts...)
}

// holders finds who holds one seat in [from, to): a full member of one of the pool's
// organisations, not exempt, not in taken or skip, preferring one who stays the whole time; when
// the holder leaves, another member takes the seat.
func (w *world) holders(r *rand.Rand, pool []*org, from, to date, taken, skip map[*person]bool) []span {
	var out []span
	for t := from; t < to; {
		var stay []span
		var best span
		next := to
		for _, o := range pool {
			for _, s := range w.roster[o] {
				if s.from > t {
					next = min(next, s.from)
					continue
				}
				if s.to <= t || taken[s.p] || skip[s.p] {
					continue
				}
				if s.p.statusAt(t) != dangvu.StatusFull {
					if s.p.fullOn > t && s.p.fullOn < s.to {
						next = min(next, s.p.fullOn) // a probationary member who will be full
					}
					continue
				}
				end := min(s.to, s.p.exempt, to)
				switch {
				case end == to:
					stay = append(stay, span{s.p, t, to})
				case end > best.to:
					best = span{s.p, t, end}
				}
			}
		}
		switch {
		case len(stay) > 0:
			best = stay[r.IntN(len(stay))]
		case best.p == nil: // nobody now: the seat waits for the next member to arrive
			t = max(next, t+1)
			continue
		}
		out = append(out, best)
		taken[best.p] = true
		t = best.to
	}
	return out
}

// fullMembers counts the full members of o on d.
func (w *world) fullMembers(o *org, d date) int {
	n := 0
	for _, s := range w.roster[o] {
		if s.from <= d && d < s.to && s.p.statusAt(d) == dangvu.StatusFull {
			n++
		}
	}
	return n
}

func (w *world) addPost(p post) {
	p.id = fmt.Sprintf("P%06d", len(w.posts)+1)
	if p.p != nil {
		p.holder = p.p.name
	}
	w.posts = append(w.posts, &p)
}

func filter(orgs []*org, keep func(*org) bool) []*org {
	var out []*org
	for _, o := range orgs {
		if keep(o) {
			out = append(out, o)
		}
	}
	return out
}

func hasRole(roles ...string) func(*org) bool {
	return func(o *org) bool {
		for _, x := range roles {
			if o.role == x {
				return true
			}
		}
		return false
	}
}

// committeePosts fills a committee's term: secretary and deputies from the leading pool, the
// standing committee from it and the police and military, the rest of the committee from all
// cells that are not residential. Every secretary and deputy is also a standing member, and every
// standing member a committee member.
func (w *world) committeePosts(r *rand.Rand, t *term) []span {
	o := t.org
	all := w.holdersUnder(o, t.start)
	var lead, std, com []*org
	var nDep, nStd, nCom int
	var titles [4]string
	switch v := o.at(t.start); {
	case v.level == dangvu.LevelDistrict:
		lead = filter(all, hasRole(roleCityOffice))
		if len(lead) == 0 {
			lead = filter(all, hasRole(roleWardOffice, roleAgency))
		}
		std = append(filter(all, hasRole(rolePolice, roleMilitary)), lead...)
		com = filter(all, func(x *org) bool { return x.role != roleResidential })
		nDep, nStd, nCom = 2, 13, 40
		body := "Thành ủy"
		if o == w.dt {
			nDep, nStd, nCom, body = 1, 5, 15, "Thị ủy"
		}
		titles = [4]string{"Bí thư " + body, "Phó Bí thư " + body, "Ủy viên Ban Thường vụ " + body, body + " viên"}
	case v.kind == dangvu.KindWard || v.kind == dangvu.KindCommune:
		lead = filter(all, hasRole(roleWardOffice))
		std = append(filter(all, hasRole(rolePolice, roleMilitia)), lead...)
		com = all
		nDep, nStd, nCom = 1+r.IntN(2), 5, 13+r.IntN(3)
		if o.from() == reorgDay {
			nDep, nStd, nCom = 2, 9, 25
		}
		titles = [4]string{"Bí thư Đảng ủy", "Phó Bí thư Đảng ủy", "Ủy viên Ban Thường vụ Đảng ủy", "Đảng ủy viên"}
	default:
		// A committee's secretary heads its unit, so they come from cells that serve no unit.
		lead = filter(all, func(x *org) bool { return x.unit == nil })
		if len(lead) == 0 {
			lead = all
		}
		com = all
		nDep, nCom = 1, 5+r.IntN(5)
		titles = [4]string{"Bí thư Đảng ủy", "Phó Bí thư Đảng ủy", "", "Đảng ủy viên"}
	}
	taken := map[*person]bool{}
	seat := func(pool []*org, n int) [][]span {
		var out [][]span
		for range n {
			out = append(out, w.holders(r, pool, t.start, t.end, taken, nil))
		}
		return out
	}
	sec := seat(lead, 1)
	deps := seat(lead, nDep)
	others := seat(std, max(nStd-1-nDep, 0))
	rest := seat(com, nCom-max(nStd, 1+nDep))

	add := func(seats [][]span, role dangvu.PostRole, title string) {
		for _, spans := range seats {
			for _, s := range spans {
				w.addPost(post{role: role, org: o, term: t, p: s.p, title: title, from: s.from, to: s.to})
				if o.first().level == dangvu.LevelDistrict && (role == dangvu.RoleSecretary || role == dangvu.RoleDeputySecretary) {
					w.leaders[s.p] = true
				}
			}
		}
	}
	add(sec, dangvu.RoleSecretary, titles[0])
	add(deps, dangvu.RoleDeputySecretary, titles[1])
	if nStd > 0 {
		for _, seats := range [][][]span{sec, deps, others} {
			add(seats, dangvu.RoleStanding, titles[2])
		}
	}
	for _, seats := range [][][]span{sec, deps, others, rest} {
		add(seats, dangvu.RoleCommittee, titles[3])
	}
	return sec[0]
}

// cellPosts fills a cell's term: its secretary, and a deputy when it has nine full members or more.
// The district's secretaries and deputies do not also lead cells.
func (w *world) cellPosts(r *rand.Rand, t *term) []span {
	taken := map[*person]bool{}
	sec := w.holders(r, []*org{t.org}, t.start, t.end, taken, w.leaders)
	for _, s := range sec {
		w.addPost(post{role: dangvu.RoleSecretary, org: t.org, term: t, p: s.p, title: "Bí thư Chi bộ", from: s.from, to: s.to})
	}
	if w.fullMembers(t.org, t.start) >= 9 {
		for _, s := range w.holders(r, []*org{t.org}, t.start, t.end, taken, w.leaders) {
			w.addPost(post{role: dangvu.RoleDeputySecretary, org: t.org, term: t, p: s.p, title: "Phó Bí thư Chi bộ", from: s.from, to: s.to})
		}
	}
	return sec
}

// secretary is a stretch of a secretary's time, with the term it falls in.
type secretary struct {
	span
	term *term
}

// buildPosts makes the terms and posts: committees top down, then cells, then the heads of units
// and localities, who follow the secretaries of the organisations serving them.
func (w *world) buildPosts(r *rand.Rand) {
	for _, o := range w.orgs {
		w.addTerms(r, o)
	}
	secs := map[*org][]secretary{}
	for _, level := range []dangvu.Level{dangvu.LevelDistrict, dangvu.LevelGrassrootsCommittee, dangvu.LevelCell, dangvu.LevelGrassrootsCell} {
		for _, t := range w.terms {
			if t.org.first().level != level {
				continue
			}
			var spans []span
			if level.IsCell() {
				spans = w.cellPosts(r, t)
			} else {
				spans = w.committeePosts(r, t)
			}
			for _, s := range spans {
				secs[t.org] = append(secs[t.org], secretary{s, t})
			}
		}
	}
	w.unitHeads(r, secs)
	w.localityHeads(r, secs)
	w.positions()
}

// nonMember names a holder who is not a party member.
func nonMember(r *rand.Rand) string {
	if chance(r, 0.3) {
		return gen.Person(r, dangvu.Female)
	}
	return gen.Person(r, dangvu.Male)
}

// unitHeads makes the heads of units. On 31/05/2018 every unit served by an organisation under
// Uông Bí is headed by that organisation's secretary, except five non-state enterprises headed
// by a director who is not a member (F7); at other times the secretary mostly heads the unit too.
func (w *world) unitHeads(r *rand.Rand, secs map[*org][]secretary) {
	var private []*unit
	for _, u := range w.units {
		if u.kind == dangvu.KindNonStateEnterprise && u.from <= periodTo && periodTo < u.until() && u.org.under(w.ub, periodTo) {
			private = append(private, u)
		}
	}
	r.Shuffle(len(private), func(i, j int) { private[i], private[j] = private[j], private[i] })
	for _, u := range private[:nonMemberHeads] {
		u.nonMemberHead = true
	}
	for _, u := range w.units {
		ss := secs[u.org]
		if len(ss) == 0 {
			continue
		}
		if u.nonMemberHead {
			w.addPost(post{role: dangvu.RoleHead, unit: u, holder: nonMember(r), title: u.title, from: max(u.from, ss[0].from), to: u.until()})
			continue
		}
		for _, s := range ss {
			from, to := max(s.from, u.from), min(s.to, u.until())
			switch {
			case from >= to:
			case from <= periodTo && periodTo < to || chance(r, 0.8):
				w.addPost(post{role: dangvu.RoleHead, unit: u, p: s.p, title: u.title, from: from, to: to})
			case u.kind == dangvu.KindNonStateEnterprise && chance(r, 0.5):
				w.addPost(post{role: dangvu.RoleHead, unit: u, holder: nonMember(r), title: u.title, from: from, to: to})
			default:
				for _, h := range w.holders(r, w.holdersUnder(u.org, from), from, to, map[*person]bool{s.p: true}, nil) {
					w.addPost(post{role: dangvu.RoleHead, unit: u, p: h.p, title: u.title, from: h.from, to: h.to})
				}
			}
		}
	}
}

// localityHeads makes the heads of villages and areas. In the 2017–2020 term, under Directive
// 12-CT/TU, every residential cell's secretary is also its locality's head (F6); before, about
// half were, and after 2020 most but not all.
func (w *world) localityHeads(r *rand.Rand, secs map[*org][]secretary) {
	for _, l := range w.localities {
		title := "Trưởng khu"
		if l.kind == "village" {
			title = "Trưởng thôn"
		}
		for _, s := range secs[l.cell] {
			same := 0.9
			switch s.term.name {
			case "2015–2017":
				same = 0.5
			case "2017–2020":
				same = 1
			}
			switch {
			case chance(r, same):
				w.addPost(post{role: dangvu.RoleHead, loc: l, p: s.p, title: title, from: s.from, to: s.to})
			case chance(r, 0.6):
				hs := w.holders(r, []*org{l.cell}, s.from, s.to, map[*person]bool{s.p: true}, nil)
				for _, h := range hs {
					w.addPost(post{role: dangvu.RoleHead, loc: l, p: h.p, title: title, from: h.from, to: h.to})
				}
				if len(hs) > 0 {
					break
				}
				fallthrough
			default:
				w.addPost(post{role: dangvu.RoleHead, loc: l, holder: nonMember(r), title: title, from: s.from, to: s.to})
			}
		}
	}
}

// joinTitle joins a title and a name, sharing the words they have in common: "Trưởng khu" and
// "Khu 3" give "Trưởng khu 3", "Chánh Văn phòng" and "Văn phòng Thành ủy" "Chánh Văn phòng Thành ủy".
func joinTitle(title, name string) string {
	words := strings.Fields(title)
	for k := len(words); k > 0; k-- {
		tail := strings.Join(words[len(words)-k:], " ")
		if len(name) > len(tail) && strings.EqualFold(name[:len(tail)], tail) && name[len(tail)] == ' ' {
			return title + name[len(tail):]
		}
	}
	return title + " " + name
}

// positions writes down each member's leading posts on their last day in the system.
func (w *world) positions() {
	for _, p := range w.posts {
		if p.p == nil || p.role != dangvu.RoleSecretary && p.role != dangvu.RoleDeputySecretary && p.role != dangvu.RoleHead {
			continue
		}
		last := min(p.p.exit-1, today)
		if p.from > last || last >= p.to {
			continue
		}
		var s string
		switch {
		case p.unit != nil:
			s = joinTitle(p.title, p.unit.name)
		case p.loc != nil:
			s = joinTitle(p.title, p.loc.name)
		default:
			s = p.title + " " + p.org.placeName()
		}
		if p.p.position == "" {
			p.p.position = s
		} else if !strings.Contains(p.p.position, s) {
			p.p.position += ", " + s
		}
	}
}

func (w *world) writeTerms(s *sink) {
	for _, t := range w.terms {
		s.row("terms", "id", t.id, "org_id", t.org.id, "name", t.name, "start", t.start.String(), "end", t.end.String(), "document", t.doc)
	}
}

func (w *world) writeLocalities(s *sink) {
	for _, l := range w.localities {
		s.row("localities", "id", l.id, "name", l.name, "kind", l.kind, "cell_id", l.cell.id, "valid_from", l.from.String(), "valid_to", l.to.String())
	}
}

func (w *world) writeUnits(s *sink) {
	for _, u := range w.units {
		s.row("units", "id", u.id, "name", u.name, "kind", string(u.kind), "org_id", u.org.id, "valid_from", u.from.String(), "valid_to", u.until().String())
	}
}

func (w *world) writePosts(s *sink) {
	for _, p := range w.posts {
		var org, term, loc, unit, member string
		if p.org != nil {
			org = p.org.id
		}
		if p.term != nil {
			term = p.term.id
		}
		if p.loc != nil {
			loc = p.loc.id
		}
		if p.unit != nil {
			unit = p.unit.id
		}
		if p.p != nil {
			member = p.p.id
		}
		s.row("posts", "id", p.id, "role", string(p.role), "org_id", org, "term_id", term, "locality_id", loc, "unit_id", unit,
			"member_id", member, "holder_name", p.holder, "title", p.title, "valid_from", p.from.String(), "valid_to", p.to.String())
	}
}
