package gen

import (
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/vn"
)

// generate writes a national data set of n members to a CSV folder.
func generate(t testing.TB, dir string, n int, seed uint64) NationalStats {
	t.Helper()
	w, err := exchange.Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := National(w, NationalOptions{Members: n, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return st
}

type table struct {
	name string
	cols map[string]int
	rows [][]string
}

func (t *table) get(row []string, col string) string {
	i, ok := t.cols[col]
	if !ok {
		panic("no column " + col + " in " + t.name)
	}
	return row[i]
}

func readTable(t testing.TB, dir, name string) *table {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, name+".csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	tb := &table{name: name, cols: map[string]int{}, rows: recs[1:]}
	for i, c := range recs[0] {
		tb.cols[c] = i
	}
	return tb
}

func TestNationalDeterministic(t *testing.T) {
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	generate(t, a, 3000, 7)
	generate(t, b, 3000, 7)
	generate(t, c, 3000, 8)
	// The domains' tables are registered by the store, linked into this test binary by
	// import_test.go: without them this test would compare the core tables only.
	if _, ok := exchange.Lookup("admission_files"); !ok {
		t.Fatal("the domains' tables are not registered")
	}
	differs := false
	for _, tb := range exchange.Tables() {
		x, err := os.ReadFile(filepath.Join(a, tb.Name+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		y, _ := os.ReadFile(filepath.Join(b, tb.Name+".csv"))
		z, _ := os.ReadFile(filepath.Join(c, tb.Name+".csv"))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same seed", tb.Name)
		}
		if !bytes.Equal(x, z) {
			differs = true
		}
	}
	if !differs {
		t.Error("seeds 7 and 8 gave identical data sets")
	}
}

func TestNationalCounts(t *testing.T) {
	for _, n := range []int{0, 1, 137, 5000} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			dir := t.TempDir()
			st := generate(t, dir, n, 1)
			members := readTable(t, dir, "members")
			if st.Members != n || len(members.rows) != n {
				t.Errorf("stats say %d members, file has %d, want %d", st.Members, len(members.rows), n)
			}
			rows := 0
			for _, tb := range exchange.Tables() {
				rows += len(readTable(t, dir, tb.Name).rows)
			}
			if rows != st.Rows {
				t.Errorf("stats say %d rows, files have %d", st.Rows, rows)
			}
			ids := map[string]bool{}
			for _, r := range readTable(t, dir, "organisations").rows {
				ids[r[0]] = true
			}
			if len(ids) != st.Orgs {
				t.Errorf("stats say %d organisations, file has %d", st.Orgs, len(ids))
			}
		})
	}
	if _, err := National(exchange.NewMemory(), NationalOptions{Members: -1}); err == nil {
		t.Error("negative member count accepted")
	}
}

// version is an organisation version with open ends as "9999-12-31", so intervals compare as text.
type version struct {
	from, to, parent string
	level, kind      string
}

const forever = dangvu.ForeverISO

func endOf(s string) string {
	if s == "" {
		return forever
	}
	return s
}

// covers reports whether versions (sorted, of one organisation) are in force throughout [from, to).
func covers(vs []version, from, to string) bool {
	at := from
	for _, v := range vs {
		if v.to <= at {
			continue
		}
		if v.from > at {
			return false
		}
		at = v.to
		if at >= to {
			return true
		}
	}
	return at >= to
}

func inForce(vs []version, d string) *version {
	for i := range vs {
		if vs[i].from <= d && d < vs[i].to {
			return &vs[i]
		}
	}
	return nil
}

// TestNationalConsistent checks a small data set against the contract of docs/data-format.md and
// the shape promised: the tree holds together through 2025, members' histories agree with
// themselves and with the tree.
func TestNationalConsistent(t *testing.T) {
	const n = 20_000
	dir := t.TempDir()
	generate(t, dir, n, 42)
	tabs := map[string]*table{}
	for _, tb := range exchange.Tables() {
		tabs[tb.Name] = readTable(t, dir, tb.Name)
	}
	orgT, memT := tabs["organisations"], tabs["members"]
	orgs := map[string][]version{}
	for _, r := range orgT.rows {
		id := orgT.get(r, "id")
		orgs[id] = append(orgs[id], version{orgT.get(r, "valid_from"), endOf(orgT.get(r, "valid_to")),
			orgT.get(r, "parent_id"), orgT.get(r, "level"), orgT.get(r, "kind")})
	}

	t.Run("identity numbers unique", func(t *testing.T) {
		seen := map[string]string{}
		for _, r := range memT.rows {
			id, num := memT.get(r, "id"), memT.get(r, "id_number")
			if num == "" {
				continue
			}
			if _, err := vn.ValidateIDNumber(num); err != nil {
				t.Errorf("%s: %q: %v", id, num, err)
			}
			if other, ok := seen[num]; ok {
				t.Errorf("%s and %s share the identity number %s", other, id, num)
			}
			seen[num] = id
		}
	})

	t.Run("ids and order", func(t *testing.T) {
		idRE := regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)
		idCols := []string{"id", "parent_id", "event_id", "org_id", "member_id", "cell_id", "term_id", "locality_id", "unit_id", "from_org_id", "to_org_id"}
		seen := map[string]bool{}
		for _, tb := range exchange.Tables() {
			x := tabs[tb.Name]
			var prev []string
			for k, r := range x.rows {
				if len(r) != len(tb.Columns) {
					t.Fatalf("%s row %d: %d fields", tb.Name, k+2, len(r))
				}
				for _, c := range idCols {
					if i, ok := x.cols[c]; ok && r[i] != "" && !idRE.MatchString(r[i]) {
						t.Errorf("%s row %d: bad id %s=%q", tb.Name, k+2, c, r[i])
					}
				}
				key := make([]string, len(tb.Key))
				for j, c := range tb.Key {
					key[j] = x.get(r, c)
				}
				// Attendance is written member by member, so it comes in member order; a cell's
				// meetings are written when its members have been drawn, holder by holder, and
				// those of the cells created on 1/7/2025 after every member, so their ids
				// ("MT-<cell>-<month>-R", the register's own) do not come sorted either. Their
				// keys must still be unique.
				if tb.Name == "attendance" || tb.Name == "meetings" || tb.Name == "meeting_attendance" || tb.Name == "meeting_decisions" {
					ks := strings.Join(key, "\x00")
					if seen[ks] {
						t.Errorf("%s row %d: key %v repeated", tb.Name, k+2, key)
					}
					seen[ks] = true
				} else if prev != nil && slices.Compare(prev, key) >= 0 {
					t.Errorf("%s row %d: key %v not after %v", tb.Name, k+2, key, prev)
				}
				prev = key
			}
		}
	})

	t.Run("codes", func(t *testing.T) {
		check := func(tb, col string, ok func(string) bool) {
			x := tabs[tb]
			for k, r := range x.rows {
				if v := x.get(r, col); !ok(v) {
					t.Errorf("%s row %d: bad %s %q", tb, k+2, col, v)
					return
				}
			}
		}
		code := func(list []string, empty bool) func(string) bool {
			return func(s string) bool { return (empty && s == "") || slices.Contains(list, s) }
		}
		check("organisations", "level", func(s string) bool { return dangvu.ValidCode(dangvu.Levels, dangvu.Level(s)) })
		check("organisations", "kind", func(s string) bool { return dangvu.ValidCode(dangvu.OrgKinds, dangvu.OrgKind(s)) })
		check("units", "kind", func(s string) bool { return dangvu.ValidCode(dangvu.OrgKinds, dangvu.OrgKind(s)) })
		check("reorganisations", "kind", func(s string) bool { return dangvu.ValidCode(dangvu.ReorgKinds, dangvu.ReorgKind(s)) })
		check("member_statuses", "status", func(s string) bool { return dangvu.ValidCode(dangvu.Statuses, dangvu.Status(s)) })
		check("memberships", "kind", func(s string) bool { return dangvu.ValidCode(dangvu.MembershipKinds, dangvu.MembershipKind(s)) })
		check("movements", "kind", func(s string) bool { return dangvu.ValidCode(dangvu.MovementKinds, dangvu.MovementKind(s)) })
		check("posts", "role", func(s string) bool { return dangvu.ValidCode(dangvu.PostRoles, dangvu.PostRole(s)) })
		check("localities", "kind", func(s string) bool { return dangvu.ValidCode(dangvu.LocalityKinds, s) })
		check("members", "gender", code([]string{dangvu.Male, dangvu.Female}, false))
		check("members", "ethnicity", func(s string) bool { return dangvu.ValidCode(dangvu.Ethnicities, s) })
		check("members", "theory_level", func(s string) bool { return dangvu.ValidCode(dangvu.TheoryLevels, s) })
		check("members", "id_number", func(s string) bool { _, err := vn.ValidateIDNumber(s); return err == nil })
		check("members", "birth_date", regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`).MatchString)
		date := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`).MatchString
		for _, tb := range exchange.Tables() {
			for _, c := range []string{"valid_from", "date", "start", "admitted_on"} {
				if _, ok := tabs[tb.Name].cols[c]; ok {
					check(tb.Name, c, date)
				}
			}
		}
		events := map[string]bool{}
		for _, r := range tabs["reorganisations"].rows {
			events[r[0]] = true
		}
		for _, tb := range []string{"organisations", "memberships"} {
			check(tb, "event_id", func(s string) bool { return s == "" || events[s] })
		}
	})

	t.Run("tree", func(t *testing.T) {
		for id, vs := range orgs {
			for i, v := range vs {
				if v.from >= v.to {
					t.Errorf("%s: empty version from %s", id, v.from)
				}
				if i > 0 && v.from < vs[i-1].to {
					t.Errorf("%s: versions overlap at %s", id, v.from)
				}
				if v.parent == "" {
					if id != "VN" {
						t.Errorf("%s: no parent", id)
					}
					continue
				}
				// The contract asks for the parent on valid_from; paths need it throughout.
				if inForce(orgs[v.parent], v.from) == nil {
					t.Errorf("%s (from %s): parent %s not in force that day", id, v.from, v.parent)
				} else if !covers(orgs[v.parent], v.from, v.to) {
					t.Errorf("%s (from %s): parent %s not in force until %s", id, v.from, v.parent, v.to)
				}
			}
		}
		count := func(d, level string) int {
			c := 0
			for _, vs := range orgs {
				if v := inForce(vs, d); v != nil && v.level == level {
					c++
				}
			}
			return c
		}
		if c := count("2025-06-30", "province"); c != 63 {
			t.Errorf("%d provinces on 30/6/2025, want 63", c)
		}
		if c := count("2025-07-02", "province"); c != 34 {
			t.Errorf("%d provinces on 2/7/2025, want 34", c)
		}
		if c := count("2025-06-30", "district"); c == 0 {
			t.Error("no districts on 30/6/2025")
		}
		if c := count("2025-07-02", "district"); c != 0 {
			t.Errorf("%d districts on 2/7/2025, want none", c)
		}
		before, after := 0, 0
		for _, vs := range orgs {
			if v := inForce(vs, "2025-06-30"); v != nil && slices.Contains([]string{"commune", "ward", "town"}, v.kind) {
				before++
			}
			if v := inForce(vs, "2025-07-02"); v != nil && slices.Contains([]string{"commune", "ward", "town"}, v.kind) {
				after++
				if v.kind == "town" {
					t.Error("a town (thị trấn) after 1/7/2025")
				}
			}
		}
		if r := float64(before) / float64(after); r < 2.4 || r > 3.6 {
			t.Errorf("communes %d before and %d after 2025: ratio %.2f, want about 3", before, after, r)
		}
	})

	// Members' histories.
	type hist struct {
		statuses [][2]string // valid_from, status
		official [][3]string // org, from, to
	}
	hs := map[string]*hist{}
	for _, r := range memT.rows {
		hs[r[0]] = &hist{}
	}
	for _, r := range tabs["member_statuses"].rows {
		h := hs[r[0]]
		if h == nil {
			t.Fatalf("status of unknown member %s", r[0])
		}
		h.statuses = append(h.statuses, [2]string{r[1], r[2]})
	}
	ms := tabs["memberships"]
	for _, r := range ms.rows {
		m, org, from, to := ms.get(r, "member_id"), ms.get(r, "org_id"), ms.get(r, "valid_from"), endOf(ms.get(r, "valid_to"))
		if hs[m] == nil {
			t.Fatalf("membership of unknown member %s", m)
		}
		if !covers(orgs[org], from, to) {
			t.Errorf("%s: organisation %s not in force over [%s, %s)", m, org, from, to)
		}
		if from >= to {
			t.Errorf("%s: empty membership at %s from %s", m, org, from)
		}
		if v := inForce(orgs[org], from); v != nil && !dangvu.Level(v.level).IsCell() {
			t.Errorf("%s: member of %s, a %s", m, org, v.level)
		}
		if ms.get(r, "kind") == "official" {
			hs[m].official = append(hs[m].official, [3]string{org, from, to})
		}
	}

	t.Run("members", func(t *testing.T) {
		leaving := []string{"transferred_out", "removed", "expelled", "deceased", "left"}
		bad := 0
		fail := func(format string, args ...any) {
			if bad++; bad <= 10 {
				t.Errorf(format, args...)
			}
		}
		female := 0
		for _, r := range memT.rows {
			id, adm, full := memT.get(r, "id"), memT.get(r, "admitted_on"), memT.get(r, "full_on")
			if memT.get(r, "gender") == "female" {
				female++
			}
			h := hs[id]
			if len(h.statuses) == 0 {
				fail("%s: no status", id)
				continue
			}
			if h.statuses[0] != [2]string{adm, "probationary"} {
				fail("%s: first status %v, admitted %s", id, h.statuses[0], adm)
			}
			a, _ := time.Parse(dangvu.DateLayout, adm)
			wantFull := a.AddDate(1, 0, 0).Format(dangvu.DateLayout)
			if a.Month() == 2 && a.Day() == 29 {
				wantFull = a.AddDate(1, 0, -1).Format(dangvu.DateLayout)
			}
			if wantFull <= "2026-11-27" {
				if full != wantFull || len(h.statuses) < 2 || h.statuses[1] != [2]string{full, "full"} {
					fail("%s: admitted %s, full_on %s, statuses %v", id, adm, full, h.statuses)
				}
			} else if full != "" || len(h.statuses) != 1 {
				fail("%s: admitted %s less than a year ago, full_on %q, statuses %v", id, adm, full, h.statuses)
			}
			last := h.statuses[len(h.statuses)-1]
			end := forever
			if slices.Contains(leaving, last[1]) {
				end = last[0]
			}
			if len(h.official) == 0 {
				fail("%s: no official membership", id)
				continue
			}
			if h.official[0][1] != adm {
				fail("%s: first membership from %s, admitted %s", id, h.official[0][1], adm)
			}
			for k := 1; k < len(h.official); k++ {
				if h.official[k][1] < h.official[k-1][2] {
					fail("%s: official memberships overlap: %v", id, h.official)
				}
			}
			if e := h.official[len(h.official)-1][2]; e != end {
				fail("%s: last membership ends %s, statuses %v", id, e, h.statuses)
			}
		}
		if share := float64(female) / n; share < 0.33 || share > 0.45 {
			t.Errorf("female share %.2f", share)
		}
	})

	t.Run("domains", func(t *testing.T) {
		// Every member admitted from 2020 has an admission file whose decision is the admission.
		files, steps := readTable(t, dir, "admission_files"), readTable(t, dir, "admission_steps")
		decision := map[string]string{}
		for _, r := range steps.rows {
			if steps.get(r, "stage") == "decision" {
				decision[steps.get(r, "file_id")] = steps.get(r, "date")
			}
		}
		fileOrg := map[string]string{}
		for _, r := range files.rows {
			fileOrg[files.get(r, "member_id")] = files.get(r, "org_id")
			if decision[files.get(r, "id")] == "" {
				t.Errorf("file %s: no decision", files.get(r, "id"))
			}
		}
		admitted := 0
		for _, r := range memT.rows {
			id, adm := memT.get(r, "id"), memT.get(r, "admitted_on")
			if adm < "2020-01-01" {
				continue
			}
			admitted++
			if got := decision["HS-"+id]; got != adm {
				t.Errorf("%s admitted %s: decision on file %q", id, adm, got)
			} else if o := fileOrg[id]; len(hs[id].official) == 0 || hs[id].official[0][0] != o {
				t.Errorf("%s: file in %s, first membership %v", id, o, hs[id].official)
			}
		}
		if admitted == 0 || len(files.rows) != admitted {
			t.Errorf("%d members admitted since 2020, %d files", admitted, len(files.rows))
		}
		// Reviews of 2025 are of members in the party at the year's end, in the cell they were in.
		const end = "2025-12-31"
		rv := readTable(t, dir, "reviews")
		members := 0
		for _, r := range rv.rows {
			m := rv.get(r, "member_id")
			if m == "" {
				continue
			}
			members++
			h := hs[m]
			status := ""
			for _, st := range h.statuses {
				if st[0] <= end {
					status = st[1]
				}
			}
			in := slices.ContainsFunc(h.official, func(x [3]string) bool { return x[0] == rv.get(r, "org_id") && x[1] <= end && end < x[2] })
			if (status != "probationary" && status != "full") || !in {
				t.Errorf("review %s: %s is %q on %s, in %s: %v", rv.get(r, "id"), m, status, end, rv.get(r, "org_id"), in)
			}
		}
		if share := float64(members) / n; share < 0.7 || share > 0.95 {
			t.Errorf("%.2f of members reviewed for 2025", share)
		}
	})

	t.Run("cell sizes", func(t *testing.T) {
		const day = "2024-01-01"
		size := map[string]int{}
		for _, h := range hs {
			for _, m := range h.official {
				if m[1] <= day && day < m[2] {
					size[m[0]]++
				}
			}
		}
		cells, within := 0, 0
		for id, vs := range orgs {
			v := inForce(vs, day)
			if v == nil || !dangvu.Level(v.level).IsCell() {
				continue
			}
			cells++
			if s := size[id]; s >= 10 && s <= 60 {
				within++
			}
		}
		if cells == 0 || float64(within) < 0.95*float64(cells) {
			t.Errorf("%d of %d cells hold 10–60 members on %s", within, cells, day)
		}
		t.Logf("%d of %d cells hold 10–60 members on %s", within, cells, day)
	})

	t.Run("movements", func(t *testing.T) {
		mv := tabs["movements"]
		internal := 0
		for _, r := range mv.rows {
			m := mv.get(r, "member_id")
			if !strings.HasPrefix(mv.get(r, "id"), m+"-") {
				t.Errorf("movement %s of %s", mv.get(r, "id"), m)
			}
			for _, c := range []string{"from_org_id", "to_org_id"} {
				if o := mv.get(r, c); o != "" && orgs[o] == nil {
					t.Errorf("movement %s: unknown %s %s", r[0], c, o)
				}
			}
			switch mv.get(r, "kind") {
			case "internal":
				internal++
				if !slices.ContainsFunc(hs[m].official, func(x [3]string) bool {
					return x[0] == mv.get(r, "to_org_id") && x[1] == mv.get(r, "date")
				}) {
					t.Errorf("internal movement %s has no membership from its date", r[0])
				}
			case "transfer_out":
				if mv.get(r, "external") == "" {
					t.Errorf("movement %s: transfer out to nowhere", r[0])
				}
			}
		}
		if share := float64(internal) / n; share < 0.03 || share > 0.07 {
			t.Errorf("internal transfers: %.3f of members", share)
		}
	})

	t.Run("posts", func(t *testing.T) {
		pt, terms := tabs["posts"], tabs["terms"]
		termOrg := map[string]string{}
		for _, r := range terms.rows {
			termOrg[terms.get(r, "id")] = terms.get(r, "org_id")
		}
		places, units := map[string]bool{}, map[string]bool{}
		for _, r := range tabs["localities"].rows {
			places[r[0]] = true
		}
		for _, r := range tabs["units"].rows {
			units[r[0]] = true
		}
		names := map[string]string{}
		for _, r := range memT.rows {
			names[r[0]] = memT.get(r, "full_name")
		}
		secretaries := 0
		for _, r := range pt.rows {
			org, loc, unit := pt.get(r, "org_id"), pt.get(r, "locality_id"), pt.get(r, "unit_id")
			where := 0
			for _, x := range []string{org, loc, unit} {
				if x != "" {
					where++
				}
			}
			if where != 1 || (loc != "" && !places[loc]) || (unit != "" && !units[unit]) {
				t.Errorf("post %s: bad place %q %q %q", r[0], org, loc, unit)
			}
			if pt.get(r, "holder_name") == "" {
				t.Errorf("post %s: no holder name", r[0])
			}
			m := pt.get(r, "member_id")
			if m != "" && names[m] != pt.get(r, "holder_name") {
				t.Errorf("post %s: holder %s is %q, not %q", r[0], m, names[m], pt.get(r, "holder_name"))
			}
			if pt.get(r, "role") != "secretary" {
				continue
			}
			secretaries++
			if termOrg[pt.get(r, "term_id")] != org {
				t.Errorf("post %s: term %s not of %s", r[0], pt.get(r, "term_id"), org)
			}
			// The secretary belongs to the organisation's subtree throughout the post.
			from, to := pt.get(r, "valid_from"), endOf(pt.get(r, "valid_to"))
			under := func(cell, d string) bool {
				for x := cell; x != ""; {
					if x == org {
						return true
					}
					v := inForce(orgs[x], d)
					if v == nil {
						return false
					}
					x = v.parent
				}
				return false
			}
			for _, d := range []string{from, "2024-01-01", "2025-07-01", "2026-01-01"} {
				if d < from || d >= to {
					continue
				}
				found := false
				for _, x := range hs[m].official {
					if x[1] <= d && d < x[2] && under(x[0], d) {
						found = true
					}
				}
				if !found {
					t.Errorf("post %s: secretary %s not a member under %s on %s", r[0], m, org, d)
				}
			}
		}
		if secretaries == 0 {
			t.Error("no secretaries")
		}
	})
}

// discard is an exchange.Writer that encodes rows as CSV and throws them away.
type discard struct{ w *csv.Writer }

func (d discard) Row(_ string, v []string) error { return d.w.Write(v) }
func (d discard) Close() error                   { d.w.Flush(); return d.w.Error() }

func BenchmarkNational(b *testing.B) {
	rows := 0
	for b.Loop() {
		st, err := National(discard{csv.NewWriter(io.Discard)}, NationalOptions{Members: 100_000, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		rows += st.Rows
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// TestNationalBig writes the national data set at full size (5.6 million members) when
// DANGVU_GEN_BIG=1: DANGVU_GEN_N changes the size, DANGVU_GEN_OUT keeps the output there.
func TestNationalBig(t *testing.T) {
	if os.Getenv("DANGVU_GEN_BIG") != "1" {
		t.Skip("set DANGVU_GEN_BIG=1")
	}
	n := realMembers
	if s := os.Getenv("DANGVU_GEN_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	dir := os.Getenv("DANGVU_GEN_OUT")
	if dir == "" {
		dir = t.TempDir()
	}
	start := time.Now()
	w, err := exchange.Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := National(w, NationalOptions{Members: n, Seed: 1, Progress: func(m int) {
		if m%1_000_000 == 0 {
			t.Logf("%d members, %s", m, time.Since(start).Round(time.Second))
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("%d members, %d organisations, %d rows in %s; heap in use %d MB, from the OS %d MB",
		st.Members, st.Orgs, st.Rows, time.Since(start).Round(time.Second), ms.HeapInuse>>20, ms.Sys>>20)
	var total int64
	for _, tb := range exchange.Tables() {
		fi, err := os.Stat(filepath.Join(dir, tb.Name+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		total += fi.Size()
		t.Logf("%-16s %8d MB", tb.Name, fi.Size()>>20)
	}
	t.Logf("total %d MB", total>>20)
	// Organisations by level on the eves of both trees.
	orgT := readTable(t, dir, "organisations")
	for _, d := range []string{"2025-06-30", "2025-07-01"} {
		by := map[string]int{}
		for _, r := range orgT.rows {
			if r[1] <= d && d < endOf(r[2]) {
				by[r[5]]++
			}
		}
		var parts []string
		for _, l := range dangvu.Levels {
			parts = append(parts, string(l.Code)+"="+strconv.Itoa(by[string(l.Code)]))
		}
		t.Logf("as of %s: %s", d, strings.Join(parts, " "))
	}
}
