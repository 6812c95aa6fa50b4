package storetest

import (
	"sort"

	"dangvu"
)

// The oracle answers the suite's questions from the fixture's rows by the plainest means: it takes
// the versions in force on a day and walks parent links, where the store ranges over materialised
// paths in a derived roster.

// open returns the end of an interval as stored: "" is Forever.
func open(to string) string {
	if to == "" {
		return dangvu.ForeverISO
	}
	return to
}

// date is a fixture's ISO text as a Date, the zero Date for "".
func date(s string) dangvu.Date {
	if s == "" {
		return dangvu.Date{}
	}
	return dangvu.MustDate(s)
}

func inForce(from, to, d string) bool { return from <= d && d < open(to) }

// orgOn returns the version of an organisation in force on d.
func (f *fixture) orgOn(id, d string) (orgRow, bool) {
	for _, o := range f.orgs {
		if o.ID == id && inForce(o.From, o.To, d) {
			return o, true
		}
	}
	return orgRow{}, false
}

// chain returns the ids from the organisation up to the root, as the tree stood on d.
func (f *fixture) chain(id, d string) []string {
	var out []string
	for id != "" {
		o, ok := f.orgOn(id, d)
		if !ok {
			return nil
		}
		out = append(out, id)
		id = o.Parent
	}
	return out
}

// pathOn builds the materialised path "/root/…/id/" by walking up.
func (f *fixture) pathOn(id, d string) string {
	c := f.chain(id, d)
	p := "/"
	for i := len(c) - 1; i >= 0; i-- {
		p += c[i] + "/"
	}
	return p
}

func (f *fixture) under(org, anc, d string) bool {
	if anc == "" {
		return true
	}
	for _, id := range f.chain(org, d) {
		if id == anc {
			return true
		}
	}
	return false
}

// statusOn is the person's status on d: the last change on or before d ("" before the first).
func (p person) statusOn(d string) dangvu.Status {
	var st dangvu.Status
	for _, s := range p.Statuses {
		if s.From <= d {
			st = s.Status
		}
	}
	return st
}

// officialOn is the organisation the person officially belongs to on d.
func (p person) officialOn(d string) string {
	for _, m := range p.Memberships {
		if m.Kind == dangvu.MembershipOfficial && inForce(m.From, m.To, d) {
			return m.Org
		}
	}
	return ""
}

// rosterFilter narrows who the oracle counts.
type rosterFilter struct {
	status dangvu.Status
	gender string
}

// membersUnder lists the persons counted under org (all when org is "") on d: in the party that
// day and officially belonging to an organisation in org's subtree as the tree stood that day.
func (f *fixture) membersUnder(org, d string, flt rosterFilter) []person {
	var out []person
	for _, p := range f.persons {
		st := p.statusOn(d)
		if !st.InParty() {
			continue
		}
		if flt.status != "" && st != flt.status || flt.gender != "" && p.Gender != flt.gender {
			continue
		}
		if o := p.officialOn(d); o != "" && f.under(o, org, d) {
			out = append(out, p)
		}
	}
	return out
}

func (f *fixture) count(org, d string, flt rosterFilter) int {
	return len(f.membersUnder(org, d, flt))
}

// nodesOn is the tree on d as Orgs reports it, ordered by path.
func (f *fixture) nodesOn(d string) []dangvu.OrgNode {
	var out []dangvu.OrgNode
	for _, o := range f.orgs {
		if !inForce(o.From, o.To, d) {
			continue
		}
		n := dangvu.OrgNode{Org: dangvu.Org{ID: o.ID, ValidFrom: date(o.From), ValidTo: date(open(o.To)), Name: o.Name, ParentID: o.Parent,
			Level: o.Level, Kind: o.Kind, IssuerCode: o.Issuer, EventID: o.Event, Path: f.pathOn(o.ID, d), Depth: len(f.chain(o.ID, d))}}
		for _, c := range f.orgs {
			if c.Parent == o.ID && inForce(c.From, c.To, d) {
				n.Children++
			}
		}
		n.Members = f.count(o.ID, d, rosterFilter{})
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// admittedUnder counts the persons admitted within [from, to] who, on their admission day,
// belonged to org's subtree as the tree stood that day.
func (f *fixture) admittedUnder(org, from, to string) int {
	n := 0
	for _, p := range f.persons {
		if p.Admitted < from || p.Admitted > to {
			continue
		}
		if o := p.officialOn(p.Admitted); o != "" && p.statusOn(p.Admitted).InParty() && f.under(o, org, p.Admitted) {
			n++
		}
	}
	return n
}

func (f *fixture) person(id string) person {
	for _, p := range f.persons {
		if p.ID == id {
			return p
		}
	}
	panic("storetest: no person " + id)
}
