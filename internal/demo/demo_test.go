package demo

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"dangvu/internal/exchange"
)

// The tests read the data set back from the rows Build wrote, through the exchange reader, and
// recompute everything from them: nothing here uses the generator's own structures.

const (
	from2015 = "2015-01-01"
	asOf2018 = "2018-05-31"
)

// seeds the invariants are checked for: the command's demo seed and another.
var seeds = []uint64{2018, 7}

type row = map[string]string

type dataset struct {
	rows        map[string][]row
	orgs        map[string][]row // versions by organisation, in valid_from order
	members     map[string]row
	statuses    map[string][]row // by member, in valid_from order
	memberships map[string][]row // official, by member, in valid_from order
	terms       map[string]row
}

var cache = map[uint64]*dataset{}

func load(t *testing.T, seed uint64) *dataset {
	t.Helper()
	if d, ok := cache[seed]; ok {
		return d
	}
	var d *dataset
	if seed == 2018 {
		d = readFrom(t, built(t))
	} else {
		d = read(t, seed)
	}
	cache[seed] = d
	return d
}

func read(t *testing.T, seed uint64) *dataset {
	t.Helper()
	m := exchange.NewMemory()
	if err := Build(m, seed); err != nil {
		t.Fatalf("Build(%d): %v", seed, err)
	}
	return readFrom(t, m)
}

// readFrom reads a built data set back through the exchange reader.
func readFrom(t *testing.T, m *exchange.Memory) *dataset {
	t.Helper()
	d := &dataset{rows: map[string][]row{}, orgs: map[string][]row{}, members: map[string]row{},
		statuses: map[string][]row{}, memberships: map[string][]row{}, terms: map[string]row{}}
	rd := m.Reader()
	for _, tb := range exchange.Tables() {
		err := rd.Each(tb.Name, func(_ int, rec exchange.Record) error {
			x := row{}
			for _, c := range tb.Columns {
				x[c] = rec.Get(c)
			}
			d.rows[tb.Name] = append(d.rows[tb.Name], x)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, x := range d.rows["organisations"] {
		d.orgs[x["id"]] = append(d.orgs[x["id"]], x)
	}
	for _, x := range d.rows["members"] {
		d.members[x["id"]] = x
	}
	for _, x := range d.rows["member_statuses"] {
		d.statuses[x["member_id"]] = append(d.statuses[x["member_id"]], x)
	}
	for _, x := range d.rows["memberships"] {
		if x["kind"] == "official" {
			d.memberships[x["member_id"]] = append(d.memberships[x["member_id"]], x)
		}
	}
	for _, x := range d.rows["terms"] {
		d.terms[x["id"]] = x
	}
	return d
}

// end gives an interval's end for comparison: empty is open.
func end(s string) string {
	if s == "" {
		return "9999-12-31"
	}
	return s
}

func in(x row, fromCol, toCol, day string) bool { return x[fromCol] <= day && day < end(x[toCol]) }

func dayBefore(s string) string {
	t, _ := time.Parse(time.DateOnly, s)
	return t.AddDate(0, 0, -1).Format(time.DateOnly)
}

func (d *dataset) version(id, day string) row {
	for _, v := range d.orgs[id] {
		if in(v, "valid_from", "valid_to", day) {
			return v
		}
	}
	return nil
}

// under reports whether organisation id is anc or lies below it on day.
func (d *dataset) under(id, anc, day string) bool {
	for id != "" {
		v := d.version(id, day)
		if v == nil {
			return false
		}
		if id == anc {
			return true
		}
		id = v["parent_id"]
	}
	return false
}

func inPartyStatus(s string) bool { return s == "probationary" || s == "full" || s == "exempt" }

func (d *dataset) statusAt(m, day string) string {
	s := ""
	for _, x := range d.statuses[m] {
		if x["valid_from"] > day {
			break
		}
		s = x["status"]
	}
	return s
}

func (d *dataset) orgOf(m, day string) string {
	for _, x := range d.memberships[m] {
		if in(x, "valid_from", "valid_to", day) {
			return x["org_id"]
		}
	}
	return ""
}

// membersUnder counts the in-party members with an official membership under anc on day.
func (d *dataset) membersUnder(anc, day string) int {
	n := 0
	for id := range d.members {
		if inPartyStatus(d.statusAt(id, day)) {
			if o := d.orgOf(id, day); o != "" && d.under(o, anc, day) {
				n++
			}
		}
	}
	return n
}

// admissions counts admission decisions in [from, to] into cells under anc on the decision date.
func (d *dataset) admissions(anc, from, to string) int {
	n := 0
	for id, m := range d.members {
		a := m["admitted_on"]
		if a >= from && a <= to {
			if o := d.orgOf(id, a); o != "" && d.under(o, anc, a) {
				n++
			}
		}
	}
	return n
}

// admissionRate is the article's F5 by the formula of the reports:
//
//	admission_rate_pct_per_year = 100 × (admitted ÷ years) ÷ mean membership
//
// years = (days from `from` to `to`, both included) ÷ 365.25; mean membership = the mean of the
// in-party member counts under the organisation as of `from` and as of `to`.
func (d *dataset) admissionRate(anc, from, to string) float64 {
	f, _ := time.Parse(time.DateOnly, from)
	t, _ := time.Parse(time.DateOnly, to)
	years := (t.Sub(f).Hours()/24 + 1) / 365.25
	mean := float64(d.membersUnder(anc, from)+d.membersUnder(anc, to)) / 2
	return 100 * float64(d.admissions(anc, from, to)) / years / mean
}

// TestDeterministic builds the demo again and compares it with the shared build table by table,
// as rows of values (not the maps the other tests read: a second copy of those is gigabytes).
func TestDeterministic(t *testing.T) {
	a := exchange.NewMemory()
	if err := Build(a, 2018); err != nil {
		t.Fatal(err)
	}
	b := built(t)
	for _, tb := range exchange.Tables() {
		if !reflect.DeepEqual(rowsOf(t, a, tb), rowsOf(t, b, tb)) {
			t.Errorf("%s: two builds with the same seed differ", tb.Name)
		}
	}
	members, _ := exchange.Lookup("members")
	ra, rc, name := rowsOf(t, a, members), load(t, 7).rows["members"], slices.Index(members.Columns, "full_name")
	same := len(ra) == len(rc)
	for i := 0; same && i < len(ra); i++ {
		same = ra[i][name] == rc[i]["full_name"]
	}
	if same {
		t.Error("seeds 2018 and 7 give the same members")
	}
}

// rowsOf reads a table of a built data set as rows of values in the table's column order.
func rowsOf(t *testing.T, m *exchange.Memory, tb exchange.Table) [][]string {
	t.Helper()
	var out [][]string
	err := m.Reader().Each(tb.Name, func(_ int, rec exchange.Record) error {
		r := make([]string, len(tb.Columns))
		for i, c := range tb.Columns {
			r[i] = rec.Get(c)
		}
		out = append(out, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// errs stops a test from flooding the output.
type errs struct {
	t *testing.T
	n int
}

func (e *errs) add(format string, args ...any) {
	e.t.Helper()
	if e.n++; e.n <= 20 {
		e.t.Errorf(format, args...)
	}
}

func TestRowsSortedByKey(t *testing.T) {
	d := load(t, 2018)
	for _, tb := range exchange.Tables() {
		var prev string
		for i, x := range d.rows[tb.Name] {
			var k []string
			for _, c := range tb.Key {
				k = append(k, x[c])
			}
			key := strings.Join(k, "\x00")
			if i > 0 && key <= prev {
				t.Errorf("%s row %d: key %q not after %q", tb.Name, i+1, key, prev)
				break
			}
			prev = key
		}
	}
}

func TestReferences(t *testing.T) {
	for _, seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			d := load(t, seed)
			e := &errs{t: t}
			events := map[string]bool{}
			for _, x := range d.rows["reorganisations"] {
				events[x["id"]] = true
			}

			// Organisations: versions do not overlap; parents are in force on each version's first
			// and last day; events exist.
			for id, vs := range d.orgs {
				for i, v := range vs {
					if i > 0 && v["valid_from"] < end(vs[i-1]["valid_to"]) {
						e.add("%s: versions overlap at %s", id, v["valid_from"])
					}
					if v["event_id"] != "" && !events[v["event_id"]] {
						e.add("%s: no event %s", id, v["event_id"])
					}
					p := v["parent_id"]
					if p == "" {
						if id != "VN" {
							e.add("%s: no parent", id)
						}
						continue
					}
					last := dayBefore(end(v["valid_to"]))
					if v["valid_to"] == "" {
						last = Today
					}
					if d.version(p, v["valid_from"]) == nil || d.version(p, last) == nil {
						e.add("%s from %s: parent %s not in force", id, v["valid_from"], p)
					}
				}
			}

			holds := func(id, day string) bool {
				v := d.version(id, day)
				return v != nil && (v["level"] == "cell" || v["level"] == "grassroots_cell")
			}
			for id, m := range d.members {
				ss := d.statuses[id]
				if len(ss) == 0 || ss[0]["valid_from"] != m["admitted_on"] || ss[0]["status"] != "probationary" {
					e.add("%s: statuses do not start probationary on admitted_on %s", id, m["admitted_on"])
					continue
				}
				if f := m["full_on"]; f != "" && d.statusAt(id, f) != "full" {
					e.add("%s: not full on full_on %s", id, f)
				}
				exit := "9999-12-31"
				for _, s := range ss {
					if !inPartyStatus(s["status"]) {
						exit = s["valid_from"]
						break
					}
				}
				ms := d.memberships[id]
				if len(ms) == 0 {
					e.add("%s: no membership", id)
				}
				for i, x := range ms {
					if i > 0 && x["valid_from"] < end(ms[i-1]["valid_to"]) {
						e.add("%s: official memberships overlap at %s", id, x["valid_from"])
					}
					if x["valid_from"] < m["admitted_on"] || end(x["valid_to"]) > exit {
						e.add("%s: membership %s–%s outside party life %s–%s", id, x["valid_from"], x["valid_to"], m["admitted_on"], exit)
					}
					if x["valid_to"] != "" && x["valid_to"] <= x["valid_from"] {
						e.add("%s: empty membership at %s", id, x["valid_from"])
					}
					last := Today
					if x["valid_to"] != "" {
						last = dayBefore(x["valid_to"])
					}
					// Versions are contiguous here, so the first and last day tell coverage.
					if !holds(x["org_id"], x["valid_from"]) || !holds(x["org_id"], last) {
						e.add("%s: membership in %s from %s outside a cell in force", id, x["org_id"], x["valid_from"])
					}
					if x["event_id"] != "" && !events[x["event_id"]] {
						e.add("%s: no event %s", id, x["event_id"])
					}
				}
			}
			for _, x := range d.rows["movements"] {
				if d.members[x["member_id"]] == nil {
					e.add("movement %s: no member", x["id"])
				}
				for _, c := range []string{"from_org_id", "to_org_id"} {
					if o := x[c]; o != "" && d.version(o, x["date"]) == nil && d.version(o, dayBefore(x["date"])) == nil {
						e.add("movement %s: %s %s not in force", x["id"], c, o)
					}
				}
			}

			places, units := map[string]bool{}, map[string]bool{}
			for _, x := range d.rows["localities"] {
				places[x["id"]] = true
				if v := d.version(x["cell_id"], x["valid_from"]); v == nil || v["kind"] != "residential" {
					e.add("locality %s: cell %s is not a residential cell", x["id"], x["cell_id"])
				}
			}
			for _, x := range d.rows["units"] {
				units[x["id"]] = true
				if d.version(x["org_id"], x["valid_from"]) == nil {
					e.add("unit %s: organisation %s not in force", x["id"], x["org_id"])
				}
			}
			for _, x := range d.rows["terms"] {
				if d.version(x["org_id"], x["start"]) == nil {
					e.add("term %s: organisation not in force on %s", x["id"], x["start"])
				}
			}
			for _, x := range d.rows["posts"] {
				where := 0
				for _, c := range []string{"org_id", "locality_id", "unit_id"} {
					if x[c] != "" {
						where++
					}
				}
				if where != 1 || x["holder_name"] == "" {
					e.add("post %s: %d places, holder %q", x["id"], where, x["holder_name"])
				}
				if o := x["org_id"]; o != "" {
					if tm := d.terms[x["term_id"]]; tm == nil || tm["org_id"] != o {
						e.add("post %s: term %s is not %s's", x["id"], x["term_id"], o)
					}
					if d.version(o, x["valid_from"]) == nil {
						e.add("post %s: %s not in force on %s", x["id"], o, x["valid_from"])
					}
				}
				if x["locality_id"] != "" && !places[x["locality_id"]] || x["unit_id"] != "" && !units[x["unit_id"]] {
					e.add("post %s: no such locality or unit", x["id"])
				}
				if m := x["member_id"]; m != "" {
					last := Today
					if x["valid_to"] != "" {
						last = dayBefore(x["valid_to"])
					}
					if d.members[m]["full_name"] != x["holder_name"] {
						e.add("post %s: holder %q is not member %s", x["id"], x["holder_name"], m)
					}
					if !inPartyStatus(d.statusAt(m, x["valid_from"])) || !inPartyStatus(d.statusAt(m, last)) {
						e.add("post %s: member %s not in the party throughout", x["id"], m)
					}
					if o := x["org_id"]; o != "" && !d.under(d.orgOf(m, x["valid_from"]), o, x["valid_from"]) {
						e.add("post %s: member %s does not belong to %s", x["id"], m, o)
					}
				}
			}
		})
	}
}

func TestArticleFigures(t *testing.T) {
	for _, seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			d := load(t, seed)
			// F4, F5.
			if n := d.admissions("UB", from2015, asOf2018); n != 884 {
				t.Errorf("admissions %s–%s under UB: %d, want 884", from2015, asOf2018, n)
			}
			if r := fmt.Sprintf("%.2f", d.admissionRate("UB", from2015, asOf2018)); r != "4.05" {
				t.Errorf("admission rate: %s%%, want 4.05%%", r)
			}
			if n := d.membersUnder("UB", asOf2018); n < 6200 || n > 6600 {
				t.Errorf("members under UB on %s: %d, want about 6,400", asOf2018, n)
			}

			// F7: units served by organisations under UB, their heads, and their secretaries.
			secretary := map[string]string{} // org → member, on the date
			heads := map[string][]row{}      // unit → head posts on the date
			for _, x := range d.rows["posts"] {
				if !in(x, "valid_from", "valid_to", asOf2018) {
					continue
				}
				switch {
				case x["role"] == "secretary":
					if secretary[x["org_id"]] != "" {
						t.Errorf("%s has two secretaries on %s", x["org_id"], asOf2018)
					}
					secretary[x["org_id"]] = x["member_id"]
				case x["unit_id"] != "":
					heads[x["unit_id"]] = append(heads[x["unit_id"]], x)
				}
			}
			var units, secretaries, nonMembers int
			for _, u := range d.rows["units"] {
				if !in(u, "valid_from", "valid_to", asOf2018) || !d.under(u["org_id"], "UB", asOf2018) {
					continue
				}
				units++
				h := heads[u["id"]]
				switch {
				case len(h) != 1:
					t.Errorf("unit %s has %d heads on %s", u["id"], len(h), asOf2018)
				case h[0]["member_id"] == "":
					if u["kind"] == "nonstate_enterprise" && h[0]["holder_name"] != "" {
						nonMembers++
					} else {
						t.Errorf("unit %s (%s) is headed by non-member %q", u["id"], u["kind"], h[0]["holder_name"])
					}
				case h[0]["member_id"] == secretary[u["org_id"]]:
					secretaries++
				default:
					t.Errorf("head of unit %s is not the secretary of %s", u["id"], u["org_id"])
				}
			}
			if units != 211 || secretaries != 206 || nonMembers != 5 {
				t.Errorf("units %d, headed by secretaries %d, by non-members %d; want 211, 206, 5", units, secretaries, nonMembers)
			}

			// F6: every residential cell's secretary heads its locality on the date; not so before
			// 2017, and mostly so after 2020.
			share := func(day string) (int, int) {
				headOf := map[string]string{}
				sec := map[string]string{}
				for _, x := range d.rows["posts"] {
					if in(x, "valid_from", "valid_to", day) {
						if x["locality_id"] != "" {
							headOf[x["locality_id"]] = x["member_id"]
						} else if x["role"] == "secretary" {
							sec[x["org_id"]] = x["member_id"]
						}
					}
				}
				var cells, both int
				for _, l := range d.rows["localities"] {
					c := l["cell_id"]
					if !in(l, "valid_from", "valid_to", day) || !d.under(c, "UB", day) {
						continue
					}
					cells++
					if s := sec[c]; s != "" && headOf[l["id"]] == s {
						both++
					}
				}
				return both, cells
			}
			if both, cells := share(asOf2018); cells == 0 || both != cells {
				t.Errorf("on %s, %d of %d residential cells' secretaries head their locality; want all", asOf2018, both, cells)
			}
			if both, cells := share("2016-06-01"); both == cells {
				t.Errorf("on 2016-06-01 all %d secretaries head their locality; want fewer", cells)
			}
			if both, cells := share("2021-06-01"); both == cells || both*10 < cells*7 {
				t.Errorf("on 2021-06-01, %d of %d secretaries head their locality; want most, not all", both, cells)
			}
		})
	}
}

func TestReorganisation2025(t *testing.T) {
	d := load(t, 2018)
	const day = "2025-07-02"
	if d.version("UB", day) != nil || d.version("UB", "2025-06-30") == nil {
		t.Error("UB should be in force until 30/06/2025 and not after")
	}
	for _, id := range []string{"QN-UONGBI", "QN-VANGDANH", "QN-YENTU"} {
		v := d.version(id, day)
		if v == nil || v["parent_id"] != "QN" || v["level"] != "grassroots_committee" || v["kind"] != "ward" {
			t.Errorf("%s on %s: %v, want a ward committee under QN", id, day, v)
		}
	}
	for _, w := range ubWards {
		if d.version("UB-"+w.code, day) != nil {
			t.Errorf("old ward UB-%s still in force", w.code)
		}
	}
	// Residential cells moved under the new wards, keeping their members.
	if v := d.version("UB-PD-K01", day); v == nil || v["parent_id"] != "QN-YENTU" {
		t.Errorf("UB-PD-K01 on %s: %v, want under QN-YENTU", day, v)
	}
	// Every member under UB on its last day is under its successors the next day, carried by the
	// reorganisation or kept in a cell that moved, unless they left or moved that day on their own.
	successors := []string{"QN-UONGBI", "QN-VANGDANH", "QN-YENTU"}
	for id, vs := range d.orgs {
		if v := d.version(id, reorgDay.String()); v != nil && v["parent_id"] == "QN" && vs[0]["parent_id"] == "UB" {
			successors = append(successors, id)
		}
	}
	const last, first = "2025-06-30", "2025-07-01"
	carried := 0
	for id := range d.members {
		o := d.orgOf(id, last)
		if o == "" || !inPartyStatus(d.statusAt(id, last)) || !d.under(o, "UB", last) || !inPartyStatus(d.statusAt(id, first)) {
			continue
		}
		var next row
		for _, x := range d.memberships[id] {
			if in(x, "valid_from", "valid_to", first) {
				next = x
			}
		}
		if next["valid_from"] == first && next["event_id"] == "" {
			continue // an ordinary transfer that day
		}
		if next["valid_from"] == first {
			carried++
		}
		if !slices.ContainsFunc(successors, func(s string) bool { return d.under(next["org_id"], s, first) }) {
			t.Errorf("member %s of %s is not under UB's successors on %s", id, o, first)
		}
	}
	if carried == 0 {
		t.Error("no member was carried by the reorganisation")
	}
}

// TestSummary logs the data set's size for seed 2018, for whoever reads the test output.
func TestSummary(t *testing.T) {
	d := load(t, 2018)
	for _, day := range []string{asOf2018, Today} {
		levels := map[string]int{}
		for id := range d.orgs {
			if v := d.version(id, day); v != nil {
				levels[v["level"]]++
			}
		}
		var ls []string
		for l, n := range levels {
			ls = append(ls, fmt.Sprintf("%s %d", l, n))
		}
		slices.Sort(ls)
		t.Logf("%s: organisations %s", day, strings.Join(ls, ", "))
	}
	t.Logf("members under UB on %s: %d (on %s: %d); rate %.4f", asOf2018, d.membersUnder("UB", asOf2018), from2015, d.membersUnder("UB", from2015), d.admissionRate("UB", from2015, asOf2018))
	today := 0
	for id, vs := range d.orgs { // Uông Bí's organisations today: the new wards, and those moved under QN
		v := d.version(id, Today)
		if v != nil && (strings.Count(id, "-") == 1 && strings.HasPrefix(id, "QN-") || v["parent_id"] == "QN" && vs[0]["parent_id"] == "UB") {
			today += d.membersUnder(id, Today)
		}
	}
	t.Logf("members in Uông Bí's organisations on %s: %d; in the province's tree: %d", Today, today, d.membersUnder("QN", Today))
	perYear := map[string]int{}
	for id, m := range d.members {
		a := m["admitted_on"]
		if o := d.orgOf(id, a); a >= from2015 && o != "" && !strings.HasPrefix(o, "DT") {
			perYear[a[:4]]++
		}
	}
	var ys []string
	for y, n := range perYear {
		ys = append(ys, fmt.Sprintf("%s: %d", y, n))
	}
	slices.Sort(ys)
	t.Logf("admissions into Uông Bí's cells per year: %s", strings.Join(ys, ", "))
	for _, tb := range exchange.Tables() {
		t.Logf("%s: %d rows", tb.Name, len(d.rows[tb.Name]))
	}
}
