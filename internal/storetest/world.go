package storetest

import (
	"fmt"
	"math/rand"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/rules/badges"
	"dangvu/internal/rules/discipline"
	"dangvu/internal/rules/dues"
)

// A world is a random party organisation with four years of history, written as exchange rows and
// loaded through the ordinary import. Its reorganisations — a move, a merge of wards and of cells,
// a split of a cell, the abolition of the district level — fall on days that the test then uses as
// period bounds and as-of dates, and the events of every domain (admissions, conferences and
// attendance, reviews, rounds, discipline with appeals and withdrawals, posts) are drawn with a
// bias towards those same days. The oracle (oracle_report.go) reads only the rows.

// rows is a data set as plain rows: table → rows as column → value.
type rows map[string][]map[string]string

// add appends a row, checking that every column exists in the exchange format.
func (rs rows) add(table string, kv ...string) {
	t, ok := exchange.Lookup(table)
	if !ok {
		panic("storetest: no exchange table " + table)
	}
	r := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		if !slices.Contains(t.Columns, kv[i]) {
			panic(fmt.Sprintf("storetest: table %s has no column %s", table, kv[i]))
		}
		r[kv[i]] = kv[i+1]
	}
	rs[table] = append(rs[table], r)
}

// memory writes the rows into an in-memory exchange data set.
func (rs rows) memory() *exchange.Memory {
	m := exchange.NewMemory()
	for _, t := range exchange.Tables() {
		for _, r := range rs[t.Name] {
			vals := make([]string, len(t.Columns))
			for i, c := range t.Columns {
				vals[i] = r[c]
			}
			if err := m.Row(t.Name, vals); err != nil {
				panic(err)
			}
		}
	}
	return m
}

// addDays moves an ISO date by n days.
func addDays(d string, n int) string { return dangvu.ISO(day(d).AddDate(0, 0, n)) }

// daysBetween is the number of days from a to b.
func daysBetween(a, b string) int { return int(day(b).Sub(day(a)).Hours() / 24) }

// wver is a version of an organisation as the generator builds it.
type wver struct {
	from, to, parent, name, issuer, event string
	level                                 dangvu.Level
	kind                                  dangvu.OrgKind
}

// wmember is a member as the generator builds it.
type wmember struct {
	id, gender, admitted string
	statuses             [][2]string // (from, status), in date order
	mships               []wmship
}

type wmship struct{ org, from, to, kind, event string }

// world holds the generator's state; rows() gives what is imported.
type world struct {
	seed    int64
	rng     *rand.Rand
	out     rows
	orgs    map[string][]wver
	orgIDs  []string
	members []*wmember
	// The reorganisation days and the days the test reports on.
	move, merge, split, abolish string
	special                     []string
	seq                         int
	// Generated elsewhere but needed by several phases.
	docCopies  map[string][]string // number → ids of its copies in the registers
	docDate    map[string]string   // document id → its date
	ownSeq     map[string]int      // org|kind → last number used (numbers never restart here)
	expulsions [][2]string         // member, effective date: planned by the members' lives
}

const (
	worldStart = "2021-01-01" // records kept from this day
	worldEnd   = "2026-12-31"
	evMoveW    = "W-EV-MOVE"
	evMergeW   = "W-EV-MERGE"
	evSplitW   = "W-EV-SPLIT"
	evAbolishW = "W-EV-ABOLISH"
)

func (w *world) next(prefix string) string {
	w.seq++
	return fmt.Sprintf("%s%04d", prefix, w.seq)
}

// randDay is a day in [lo, hi]; with some probability one of the special days in that range, so
// that events fall on reorganisation days, period bounds and as-of dates.
func (w *world) randDay(lo, hi string) string {
	if hi < lo {
		return lo
	}
	if w.rng.Intn(5) < 2 {
		var in []string
		for _, d := range w.special {
			if d >= lo && d <= hi {
				in = append(in, d)
			}
		}
		if len(in) > 0 {
			return in[w.rng.Intn(len(in))]
		}
	}
	return addDays(lo, w.rng.Intn(daysBetween(lo, hi)+1))
}

func (w *world) dayIn(year int) string {
	lo := fmt.Sprintf("%d-02-01", year)
	return addDays(lo, w.rng.Intn(300))
}

// ---- the tree ----

func (w *world) open(id, from, parent, name, issuer, event string, level dangvu.Level, kind dangvu.OrgKind) {
	if _, ok := w.orgs[id]; !ok {
		w.orgIDs = append(w.orgIDs, id)
	}
	w.orgs[id] = append(w.orgs[id], wver{from: from, to: dangvu.ForeverISO, parent: parent, name: name, issuer: issuer, event: event, level: level, kind: kind})
}

func (w *world) end(id, at string) {
	vs := w.orgs[id]
	vs[len(vs)-1].to = at
}

// reparent gives an organisation a new version under parent from at.
func (w *world) reparent(id, at, parent, event string) {
	v := w.orgs[id][len(w.orgs[id])-1]
	w.end(id, at)
	v.from, v.to, v.parent, v.event = at, dangvu.ForeverISO, parent, event
	w.orgs[id] = append(w.orgs[id], v)
}

func (w *world) verOn(id, d string) (wver, bool) {
	for _, v := range w.orgs[id] {
		if v.from <= d && d < v.to {
			return v, true
		}
	}
	return wver{}, false
}

func (w *world) lastEnd(id string) string {
	vs := w.orgs[id]
	return vs[len(vs)-1].to
}

// chainOn is the generator's own walk up the tree on d (the oracle has its own, over the rows).
func (w *world) chainOn(id, d string) []string {
	var out []string
	for id != "" {
		v, ok := w.verOn(id, d)
		if !ok {
			return nil
		}
		out = append(out, id)
		id = v.parent
	}
	return out
}

func (w *world) underOn(id, anc, d string) bool { return slices.Contains(w.chainOn(id, d), anc) }

// orgsOn lists the organisations in force on d at one of the levels.
func (w *world) orgsOn(d string, levels ...dangvu.Level) []string {
	var out []string
	for _, id := range w.orgIDs {
		if v, ok := w.verOn(id, d); ok && (len(levels) == 0 || slices.Contains(levels, v.level)) {
			out = append(out, id)
		}
	}
	return out
}

func (w *world) pick(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[w.rng.Intn(len(list))]
}

func (w *world) buildTree() {
	const (
		cell  = dangvu.LevelCell
		gc    = dangvu.LevelGrassrootsCommittee
		dist  = dangvu.LevelDistrict
		res   = dangvu.KindResidential
		start = "2015-01-01"
	)
	w.open("W-TW", "1930-02-03", "", "Đảng Cộng sản Việt Nam", "TW", "", dangvu.LevelCentral, dangvu.KindCentral)
	w.open("W-P", "1963-10-30", "W-TW", "Đảng bộ tỉnh Thử Nghiệm", "TU", "", dangvu.LevelProvince, dangvu.KindProvince)
	w.open("W-D1", start, "W-P", "Đảng bộ thành phố Một", "TU", "", dist, dangvu.KindDistrict)
	w.open("W-D2", start, "W-P", "Đảng bộ huyện Hai", "HU", "", dist, dangvu.KindDistrict)
	for i, p := range []string{"W-D1", "W-D1", "W-D2", "W-D2"} {
		ward := fmt.Sprintf("W-W%d", i+1)
		w.open(ward, start, p, fmt.Sprintf("Đảng bộ phường %d", i+1), "ĐU", "", gc, dangvu.KindWard)
		for j := 1; j <= 2; j++ {
			w.open(fmt.Sprintf("W-C%d%d", i+1, j), start, ward, fmt.Sprintf("Chi bộ khu %d", j), "CB", "", cell, res)
		}
	}
	w.open("W-G1", start, "W-D2", "Chi bộ cơ sở Trường Tiểu học", "CB", "", dangvu.LevelGrassrootsCell, dangvu.KindPublicService)

	// Move: ward 2 from district 1 to district 2.
	w.reparent("W-W2", w.move, "W-D2", evMoveW)
	// Merge: wards 3 and 4 into ward 34 (their cells follow by new versions); cells 11 and 12 into
	// cell 1M (their members are carried).
	w.open("W-W34", w.merge, "W-D2", "Đảng bộ phường Ba Bốn", "ĐU", evMergeW, gc, dangvu.KindWard)
	for _, c := range []string{"W-C31", "W-C32", "W-C41", "W-C42"} {
		w.reparent(c, w.merge, "W-W34", evMergeW)
	}
	w.end("W-W3", w.merge)
	w.end("W-W4", w.merge)
	w.open("W-C1M", w.merge, "W-W1", "Chi bộ khu 1 (hợp nhất)", "CB", evMergeW, cell, res)
	w.end("W-C11", w.merge)
	w.end("W-C12", w.merge)
	// Split: cell 21 into 21A and 21B.
	w.open("W-C21A", w.split, "W-W2", "Chi bộ khu 2A", "CB", evSplitW, cell, res)
	w.open("W-C21B", w.split, "W-W2", "Chi bộ khu 2B", "CB", evSplitW, cell, res)
	w.end("W-C21", w.split)
	// Abolition of the district level: every organisation under a district moves to the province.
	for _, d := range []string{"W-D1", "W-D2"} {
		for _, id := range w.orgIDs {
			if v, ok := w.verOn(id, w.abolish); ok && v.parent == d {
				w.reparent(id, w.abolish, "W-P", evAbolishW)
			}
		}
		w.end(d, w.abolish)
	}
	for _, e := range [][3]string{{evMoveW, w.move, string(dangvu.ReorgMove)}, {evMergeW, w.merge, string(dangvu.ReorgMerge)},
		{evSplitW, w.split, string(dangvu.ReorgSplit)}, {evAbolishW, w.abolish, string(dangvu.ReorgDissolve)}} {
		w.out.add("reorganisations", "id", e[0], "date", e[1], "kind", e[2], "document", "Số 1-QĐ/TU", "description", "Sắp xếp tổ chức")
	}
}

// successor is where a cell's members go when it ends: the merged or split cells.
func (w *world) successor(cell string) (string, string) {
	switch cell {
	case "W-C11", "W-C12":
		return "W-C1M", evMergeW
	case "W-C21":
		return w.pick([]string{"W-C21A", "W-C21B"}), evSplitW
	}
	return "", ""
}

func (w *world) cellsOn(d string) []string {
	return w.orgsOn(d, dangvu.LevelCell, dangvu.LevelGrassrootsCell)
}

// ---- members ----

func (m *wmember) status(from string, st dangvu.Status) {
	for _, s := range m.statuses {
		if s[0] == from {
			return
		}
	}
	m.statuses = append(m.statuses, [2]string{from, string(st)})
	sort.Slice(m.statuses, func(i, j int) bool { return m.statuses[i][0] < m.statuses[j][0] })
}

func (m *wmember) statusOn(d string) dangvu.Status {
	var st dangvu.Status
	for _, s := range m.statuses {
		if s[0] <= d {
			st = dangvu.Status(s[1])
		}
	}
	return st
}

func (m *wmember) officialOn(d string) string {
	for _, x := range m.mships {
		if x.kind == string(dangvu.MembershipOfficial) && x.from <= d && d < x.to {
			return x.org
		}
	}
	return ""
}

// place gives a member official memberships from a cell and a day until exit (Forever for none):
// carried to the successor when the cell ends, moved to another cell on each transfer day.
func (w *world) place(m *wmember, cell, from, exit string, transfers []string) {
	event := ""
	for cell != "" && from < exit {
		to := min(w.lastEnd(cell), exit)
		var tr string
		for _, t := range transfers {
			if t > from && t < to {
				tr = t
				break
			}
		}
		if tr != "" {
			to = tr
		}
		m.mships = append(m.mships, wmship{org: cell, from: from, to: to, kind: string(dangvu.MembershipOfficial), event: event})
		if to >= exit {
			return
		}
		from, event = to, ""
		if tr != "" {
			var others []string
			for _, c := range w.cellsOn(tr) {
				if c != cell {
					others = append(others, c)
				}
			}
			cell = w.pick(others)
		} else {
			cell, event = w.successor(cell)
		}
	}
}

func (w *world) newMember(admitted string) *wmember {
	m := &wmember{id: w.next("WM"), gender: []string{dangvu.Male, dangvu.Female}[w.rng.Intn(2)], admitted: admitted}
	w.members = append(w.members, m)
	return m
}

// file writes an admission file with its decision (and the member it made, if any).
func (w *world) file(cell, decided, member string, readmission bool) {
	id := w.next("WF")
	re := "0"
	if readmission {
		re = "1"
	}
	w.out.add("admission_files", "id", id, "org_id", cell, "full_name", "Người được kết nạp "+id, "gender", dangvu.Male, "birth_date", "1995",
		"youth_union", "1", "member_id", member, "readmission", re)
	w.out.add("admission_steps", "file_id", id, "stage", string(dangvu.StageDecision), "date", decided, "document", "Số "+id+"-QĐ/TU")
}

func (w *world) buildMembers() {
	horizon := "2026-09-30"
	// Members from before the records.
	for range 40 + w.rng.Intn(15) {
		adm := ""
		if w.rng.Intn(20) > 0 {
			adm = addDays("1962-01-01", w.rng.Intn(daysBetween("1962-01-01", "2019-12-31")))
		}
		m := w.newMember(adm)
		if adm == "" {
			m.status(worldStart, dangvu.StatusFull)
		} else {
			m.status(adm, dangvu.StatusProbationary)
			m.status(addDays(adm, 365), dangvu.StatusFull)
		}
		w.life(m, w.pick(w.cellsOn(worldStart)), worldStart, horizon)
	}
	// Members whose party age crosses a band on 29 February 2024 by one day: an anniversary of
	// 1 March is not yet reached that day (and that of 29 February is 1 March in common years).
	for _, adm := range []string{"2014-03-01", "2014-02-28", "1994-03-01", "1984-03-01", "1974-03-01", "1976-02-29", "2016-02-29"} {
		m := w.newMember(adm)
		m.status(adm, dangvu.StatusProbationary)
		m.status(addDays(adm, 365), dangvu.StatusFull)
		m.mships = append(m.mships, wmship{org: "W-C22", from: worldStart, to: dangvu.ForeverISO, kind: string(dangvu.MembershipOfficial)})
	}
	// A member whose admission date is not on record (party_age_unknown).
	m := w.newMember("")
	m.status(worldStart, dangvu.StatusFull)
	m.mships = append(m.mships, wmship{org: "W-C31", from: worldStart, to: dangvu.ForeverISO, kind: string(dangvu.MembershipOfficial)})
	// Members admitted during the world: with an admission file or (imported data) without.
	for range 15 + w.rng.Intn(10) {
		adm := w.randDay("2022-01-01", "2026-06-30")
		cell := w.pick(w.cellsOn(adm))
		m := w.newMember(adm)
		m.status(adm, dangvu.StatusProbationary)
		m.status(addDays(adm, 365), dangvu.StatusFull)
		if w.rng.Intn(5) < 3 {
			w.file(cell, adm, m.id, false)
		}
		w.life(m, cell, adm, horizon)
	}
	// Decisions whose member is not (yet) on record.
	for range 3 {
		d := w.randDay("2022-01-01", "2026-06-30")
		w.file(w.pick(w.cellsOn(d)), d, "", false)
	}
}

// life draws what happens to a member from joining: transfers, then perhaps an exit (death,
// transfer out of the system, removal with a later readmission), exemption or an expulsion (whose
// decision the inspection phase writes).
func (w *world) life(m *wmember, cell, from, horizon string) {
	var transfers []string
	if w.rng.Intn(4) == 0 {
		transfers = append(transfers, w.randDay(addDays(from, 30), horizon))
	}
	exit, exitStatus := dangvu.ForeverISO, dangvu.Status("")
	if r := w.rng.Intn(20); r < 5 && from < addDays(horizon, -60) {
		exit = w.randDay(addDays(from, 400), horizon)
		if exit <= addDays(from, 366) {
			exit = addDays(from, 400)
		}
		exitStatus = []dangvu.Status{dangvu.StatusDeceased, dangvu.StatusTransferredOut, dangvu.StatusRemoved, dangvu.StatusExpelled, dangvu.StatusRemoved}[r]
	}
	if exit > horizon {
		exit, exitStatus = dangvu.ForeverISO, ""
	}
	w.place(m, cell, from, exit, transfers)
	if exitStatus != "" {
		m.status(exit, exitStatus)
		if exitStatus == dangvu.StatusExpelled {
			w.expulsions = append(w.expulsions, [2]string{m.id, exit})
		}
		if exitStatus == dangvu.StatusRemoved && w.rng.Intn(2) == 0 {
			back := w.randDay(addDays(exit, 60), "2026-10-31")
			if back > exit {
				cellBack := w.pick(w.cellsOn(back))
				m.status(back, dangvu.StatusProbationary)
				m.status(addDays(back, 365), dangvu.StatusFull)
				w.place(m, cellBack, back, dangvu.ForeverISO, nil)
				w.file(cellBack, back, m.id, true)
			}
		}
	} else if w.rng.Intn(12) == 0 {
		m.status(w.randDay(addDays(from, 370), horizon), dangvu.StatusExempt)
	}
	if w.rng.Intn(10) == 0 { // a temporary membership: never counted in the roster
		d := w.randDay(from, horizon)
		if c := w.pick(w.cellsOn(d)); c != "" && w.lastEnd(c) > addDays(d, 90) {
			m.mships = append(m.mships, wmship{org: c, from: d, to: addDays(d, 90), kind: string(dangvu.MembershipTemporary)})
		}
	}
}

// inPartyOn reports whether a member is counted on d: an official membership, and probationary,
// full or (with exempt) exempt.
func (m *wmember) inPartyOn(d string, exempt bool) string {
	st := m.statusOn(d)
	if st != dangvu.StatusProbationary && st != dangvu.StatusFull && !(exempt && st == dangvu.StatusExempt) {
		return ""
	}
	return m.officialOn(d)
}

func (w *world) membersUnderOn(org, d string, exempt bool) []*wmember {
	var out []*wmember
	for _, m := range w.members {
		if o := m.inPartyOn(d, exempt); o != "" && w.underOn(o, org, d) {
			out = append(out, m)
		}
	}
	return out
}

func (w *world) writeMembers() {
	for _, m := range w.members {
		full := ""
		for _, s := range m.statuses {
			if s[1] == string(dangvu.StatusFull) && m.admitted != "" && full == "" {
				full = s[0]
			}
		}
		born := "1950"
		if m.admitted != "" {
			born = strconv.Itoa(day(m.admitted).Year() - 20 - len(m.id)%15)
		}
		w.out.add("members", "id", m.id, "full_name", "Đảng viên "+m.id, "gender", m.gender, "birth_date", born, "ethnicity", "01",
			"hometown", "Quảng Ninh", "residence", "Quảng Ninh", "education", "12/12", "theory_level", "basic", "admitted_on", m.admitted, "full_on", full)
		for _, s := range m.statuses {
			w.out.add("member_statuses", "member_id", m.id, "valid_from", s[0], "status", s[1], "reason", "Ghi nhận")
		}
		for _, x := range m.mships {
			w.out.add("memberships", "member_id", m.id, "org_id", x.org, "valid_from", x.from, "valid_to", x.to, "kind", x.kind, "event_id", x.event)
		}
	}
}

func (w *world) writeOrgs() {
	for _, id := range w.orgIDs {
		for _, v := range w.orgs[id] {
			to := v.to
			if to == dangvu.ForeverISO {
				to = ""
			}
			w.out.add("organisations", "id", id, "valid_from", v.from, "valid_to", to, "name", v.name, "parent_id", v.parent,
				"level", string(v.level), "kind", string(v.kind), "issuer_code", v.issuer, "event_id", v.event)
		}
	}
}

// ---- dissemination ----

func (w *world) ownNumber(org, d string, kind string) string {
	v, _ := w.verOn(org, d)
	k := org + "|" + kind
	w.ownSeq[k]++
	return fmt.Sprintf("%02d-%s/%s", w.ownSeq[k], kind, v.issuer)
}

func (w *world) buildDissemination() {
	numbers := []string{"21-NQ/TW", "04-NQ/TW", "35-CT/TW"}
	// Copies of each resolution in several registers (the province always; some districts,
	// wards and cells, some only after the merge).
	for i, n := range numbers {
		regs := []string{"W-P"}
		for _, o := range []string{"W-D1", "W-D2", "W-W1", "W-W2", "W-W3", "W-C22", "W-G1"} {
			if w.rng.Intn(2) == 0 {
				regs = append(regs, o)
			}
		}
		for _, o := range regs {
			id := w.next("WDOC")
			date := fmt.Sprintf("2021-0%d-1%d", i+2, i)
			w.out.add("documents", "id", id, "org_id", o, "direction", string(dangvu.DirIncoming), "number", n, "date", date,
				"received_on", addDays(date, 3), "title", "Nghị quyết "+n)
			w.docCopies[n] = append(w.docCopies[n], id)
			w.docDate[id] = date
		}
		if w.rng.Intn(2) == 0 {
			id := w.next("WDOC")
			d := addDays(w.merge, 2)
			w.out.add("documents", "id", id, "org_id", "W-W34", "direction", string(dangvu.DirIncoming), "number", n, "date", d, "title", "Nghị quyết "+n)
			w.docCopies[n] = append(w.docCopies[n], id)
			w.docDate[id] = d
		}
	}
	// Programmes and plans of organisations, carrying out a copy; their tasks assigned to an
	// organisation by id only (the import fills the name), to a member, or to a named unit.
	for range 14 {
		d := w.randDay("2022-01-01", "2026-10-31")
		org := w.pick(w.orgsOn(d, dangvu.LevelProvince, dangvu.LevelDistrict, dangvu.LevelGrassrootsCommittee, dangvu.LevelCell))
		kind := []string{"CTr", "KH"}[w.rng.Intn(2)]
		n := numbers[w.rng.Intn(len(numbers))]
		id := w.next("WPRG")
		w.out.add("documents", "id", id, "org_id", org, "direction", string(dangvu.DirOwn), "number", w.ownNumber(org, d, kind), "date", d,
			"title", "Chương trình thực hiện "+n, "implements_id", w.docCopies[n][0])
		child := w.pick(w.orgsOn(d))
		w.out.add("tasks", "id", id+"-T1", "document_id", id, "title", "Quán triệt", "assignee_org_id", child, "deadline", addDays(d, 60), "status", "pending")
		w.out.add("tasks", "id", id+"-T2", "document_id", id, "title", "Báo cáo", "assignee_name", "Văn phòng", "deadline", addDays(d, 90), "status", "done", "done_on", addDays(d, 80))
	}
	// Study conferences at every level, each studying one or two numbers through some register's
	// copy, with the sheet of the members expected that day.
	for range 36 + w.rng.Intn(10) {
		d := w.randDay("2022-01-01", "2026-11-30")
		org := w.pick(w.orgsOn(d, dangvu.LevelProvince, dangvu.LevelDistrict, dangvu.LevelGrassrootsCommittee, dangvu.LevelCell, dangvu.LevelGrassrootsCell))
		id := w.next("WCONF")
		if w.rng.Intn(6) == 0 { // a training course: reaches its members, counts as no conference
			w.out.add("conferences", "id", id, "kind", string(dangvu.ConfCourse), "org_id", org, "title", "Lớp bồi dưỡng", "date", d, "end_date", addDays(d, 5), "place", "Trường chính trị")
		} else {
			w.out.add("conferences", "id", id, "kind", string(dangvu.ConfStudy), "org_id", org, "title", "Học tập nghị quyết", "date", d, "place", "Hội trường")
		}
		for i, n := range numbers {
			if i == 0 || w.rng.Intn(3) == 0 {
				var copies []string // any register's copy registered by then
				for _, c := range w.docCopies[n] {
					if w.docDate[c] <= d {
						copies = append(copies, c)
					}
				}
				w.out.add("conference_documents", "conference_id", id, "document_id", w.pick(copies))
			}
		}
		for _, m := range w.membersUnderOn(org, d, false) {
			if w.rng.Intn(8) == 0 {
				continue // no line: not marked
			}
			switch r := w.rng.Intn(20); {
			case r < 13:
				w.out.add("attendance", "conference_id", id, "member_id", m.id, "status", string(dangvu.AttPresent))
			case r < 15:
				w.out.add("attendance", "conference_id", id, "member_id", m.id, "status", string(dangvu.AttExcused), "reason", "Ốm")
			case r < 17:
				w.out.add("attendance", "conference_id", id, "member_id", m.id, "status", string(dangvu.AttAbsent))
			default:
				w.out.add("attendance", "conference_id", id, "member_id", m.id, "status", string(dangvu.AttMadeUp), "made_up_on", w.randDay(addDays(d, 1), addDays(d, 200)))
			}
		}
	}
}

// ---- reviews ----

func (w *world) buildReviews() {
	ratings := []dangvu.Rating{dangvu.RatingExcellent, dangvu.RatingGood, dangvu.RatingCompleted, dangvu.RatingNotCompleted}
	review := func(camp, to string, m *wmember, org string) {
		id := w.next("WRV")
		kind, member := string(dangvu.SubjectOrg), ""
		if m != nil {
			kind, member = string(dangvu.SubjectMember), m.id
		}
		final, decided, excluded := string(ratings[w.rng.Intn(len(ratings))]), addDays(to, 20), ""
		switch w.rng.Intn(12) {
		case 0:
			final, decided = "", "" // not decided yet
		case 1:
			final, decided, excluded = "", "", "1" // excluded: not rated
		}
		w.out.add("reviews", "id", id, "campaign_id", camp, "kind", kind, "member_id", member, "org_id", org, "decider_id", "W-P",
			"final_rating", final, "decided_on", decided, "excluded", excluded)
	}
	campaign := func(org, from, to string) {
		id := w.next("WCMP")
		w.out.add("campaigns", "id", id, "org_id", org, "name", "Kiểm điểm "+to, "period_kind", string(dangvu.PeriodYear), "from", from, "to", to)
		for _, m := range w.membersUnderOn(org, to, false) {
			if w.rng.Intn(5) == 0 {
				continue
			}
			o := m.officialOn(to)
			if w.rng.Intn(10) == 0 { // recorded in the organisation the member had at the start
				if o2 := m.officialOn(from); o2 != "" {
					o = o2
				}
			}
			review(id, to, m, o)
		}
		for _, o := range w.orgsOn(to) {
			if o != org && w.underOn(o, org, to) && w.rng.Intn(3) > 0 {
				review(id, to, nil, o)
			}
		}
	}
	for y := 2022; y <= 2026; y++ {
		campaign("W-P", fmt.Sprintf("%d-01-01", y), fmt.Sprintf("%d-12-31", y))
	}
	// Second campaigns ending on special days: their members are reviewed twice in a year.
	for range 3 {
		to := w.randDay("2022-03-01", "2026-11-30")
		org := w.pick(w.orgsOn(to, dangvu.LevelGrassrootsCommittee, dangvu.LevelDistrict))
		campaign(org, to[:4]+"-01-01", to)
	}
}

// ---- inspection and discipline ----

func (w *world) buildInspection() {
	kinds := []dangvu.InspectionKind{dangvu.KindSupervisionRegular, dangvu.KindSupervisionThematic, dangvu.KindViolationSigns}
	round := func(org string, body dangvu.Body, d string) {
		var subjects []string
		for _, o := range w.orgsOn(d) {
			if o != org && w.underOn(o, org, d) && w.rng.Intn(3) == 0 {
				subjects = append(subjects, o)
			}
		}
		var members []*wmember
		if w.rng.Intn(3) == 0 {
			if ms := w.membersUnderOn(org, d, true); len(ms) > 0 {
				members = append(members, ms[w.rng.Intn(len(ms))])
			}
		}
		if len(subjects)+len(members) == 0 {
			return
		}
		id := w.next("WRND")
		planned := addDays(d, 1+w.rng.Intn(10))
		w.out.add("inspection_rounds", "id", id, "org_id", org, "body", string(body), "kind", string(kinds[w.rng.Intn(len(kinds))]), "title", "Kiểm tra "+id,
			"decision", "Số "+id+"-QĐ", "decided_on", d, "planned_from", planned, "planned_to", addDays(planned, 30), "stage", string(dangvu.StageConcluded),
			"conduct_from", planned, "concluded_on", addDays(planned, 30))
		for _, s := range subjects {
			w.out.add("inspection_subjects", "round_id", id, "org_id", s, "finding", string(dangvu.FindingNone))
		}
		for _, m := range members {
			w.out.add("inspection_subjects", "round_id", id, "member_id", m.id, "finding", string(dangvu.FindingNone))
		}
	}
	bodies := []dangvu.Body{dangvu.BodyStanding, dangvu.BodyExecutive, dangvu.BodyCommission, dangvu.BodyGrassroots}
	for range 40 {
		d := w.randDay("2022-01-01", "2026-11-30")
		org := w.pick(w.orgsOn(d, dangvu.LevelCentral, dangvu.LevelProvince, dangvu.LevelDistrict, dangvu.LevelGrassrootsCommittee, dangvu.LevelGrassrootsCell))
		body := bodies[w.rng.Intn(len(bodies))]
		if v, _ := w.verOn(org, d); v.level != dangvu.LevelGrassrootsCommittee && v.level != dangvu.LevelGrassrootsCell && body == dangvu.BodyGrassroots {
			body = dangvu.BodyStanding
		}
		round(org, body, d)
	}
	for y := 2022; y <= 2026; y++ { // the root's own rounds, so that its report counts every kind
		round("W-TW", dangvu.BodyCommission, w.randDay(fmt.Sprintf("%d-01-01", y), fmt.Sprintf("%d-12-31", y)))
		round("W-TW", dangvu.BodyStanding, w.randDay(fmt.Sprintf("%d-01-01", y), fmt.Sprintf("%d-12-31", y)))
	}

	// Discipline: decisions about members (the expulsions the members' lives planned, and
	// reprimands and warnings) and about organisations, each by the first authority the rules of
	// its date allow, placed — like the subject — on the tree of the day before.
	type cand struct {
		org  string
		body dangvu.Body
	}
	decide := func(member *wmember, org string, form dangvu.DisciplineForm, decided, effective string) (string, bool) {
		before := addDays(decided, -1)
		var subjOrg string
		c := discipline.Case{Form: form, ViolationOn: date(addDays(decided, -10-w.rng.Intn(300))), DecidedOn: date(decided), EffectiveOn: date(effective)}
		if member != nil {
			switch member.statusOn(before) {
			case dangvu.StatusProbationary:
				c.Subject = discipline.ProbationaryMember
			case dangvu.StatusFull, dangvu.StatusExempt:
				c.Subject = discipline.FullMember
			default:
				return "", false
			}
			if subjOrg = member.officialOn(before); subjOrg == "" {
				return "", false
			}
		} else {
			c.Subject, subjOrg = discipline.Organisation, org
		}
		chain := w.chainOn(subjOrg, before)
		var cands []cand
		for i, a := range chain {
			if member == nil && i == 0 {
				continue
			}
			for _, b := range []dangvu.Body{dangvu.BodyCell, dangvu.BodyGrassroots, dangvu.BodyStanding, dangvu.BodyExecutive, dangvu.BodyCommission} {
				cands = append(cands, cand{a, b})
			}
		}
		w.rng.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
		for _, k := range cands {
			v, ok := w.verOn(k.org, decided)
			if !ok {
				continue
			}
			c.Body, c.AuthorityLevel, c.AuthorityCovers = k.body, v.level, true
			if len(discipline.Check(c)) > 0 {
				continue
			}
			id := w.next("WDSC")
			mid, oid := "", ""
			if member != nil {
				mid = member.id
			} else {
				oid = org
			}
			w.out.add("disciplines", "id", id, "member_id", mid, "org_id", oid, "form", string(form), "authority_org_id", k.org, "authority_body", string(k.body),
				"violation_on", c.ViolationOn.String(), "decided_on", decided, "effective_on", effective, "number", "Số "+id+"-QĐ", "reason", "Vi phạm")
			return id, true
		}
		return "", false
	}
	for _, e := range w.expulsions {
		m := w.memberByID(e[0])
		decided := e[1]
		if w.rng.Intn(2) == 0 {
			decided = addDays(e[1], -1-w.rng.Intn(10))
		}
		decide(m, "", dangvu.FormExpulsion, decided, e[1])
	}
	var decisions [][2]string // id, form
	for range 30 {
		d := w.randDay("2022-01-15", "2026-10-31")
		form := []dangvu.DisciplineForm{dangvu.FormReprimand, dangvu.FormWarning}[w.rng.Intn(2)]
		var id string
		var ok bool
		if w.rng.Intn(4) == 0 {
			orgs := w.orgsOn(addDays(d, -1), dangvu.LevelCell, dangvu.LevelGrassrootsCommittee, dangvu.LevelDistrict)
			id, ok = decide(nil, w.pick(orgs), form, d, d)
		} else {
			id, ok = decide(w.members[w.rng.Intn(len(w.members))], "", form, d, addDays(d, w.rng.Intn(3)))
		}
		if ok {
			decisions = append(decisions, [2]string{id, string(form)})
		}
	}
	// Withdrawals and appeals, resolved on special days as often as not.
	rows := w.out["disciplines"]
	for _, dc := range decisions {
		var r map[string]string
		for _, x := range rows {
			if x["id"] == dc[0] {
				r = x
			}
		}
		decided := r["decided_on"]
		switch x := w.rng.Intn(10); {
		case x < 2:
			r["withdrawn_on"], r["withdrawn_reason"] = w.randDay(addDays(decided, 1), addDays(decided, 200)), "Rút quyết định"
		case x < 7:
			lodged := addDays(decided, w.rng.Intn(20))
			id := w.next("WAPL")
			resolved, outcome, newForm := "", "", ""
			if w.rng.Intn(5) > 0 {
				resolved = w.randDay(addDays(lodged, 5), addDays(lodged, 300))
				switch y := w.rng.Intn(10); {
				case y < 4:
					outcome = string(dangvu.AppealOutcome("annulled"))
				case y < 6 && dc[1] == string(dangvu.FormWarning):
					outcome, newForm = "lessened", string(dangvu.FormReprimand)
				case y < 7 && dc[1] == string(dangvu.FormReprimand):
					outcome, newForm = "increased", string(dangvu.FormWarning)
				case y < 9:
					outcome = "upheld"
				default:
					outcome = "rejected"
				}
			}
			w.out.add("discipline_appeals", "id", id, "discipline_id", dc[0], "received_on", decided, "lodged_on", lodged, "handler_org_id", "W-TW",
				"handler_body", string(dangvu.BodyCommission), "resolved_on", resolved, "outcome", outcome, "new_form", newForm)
		}
	}
}

func (w *world) memberByID(id string) *wmember {
	for _, m := range w.members {
		if m.id == id {
			return m
		}
	}
	panic("storetest: no member " + id)
}

// ---- terms, localities, units, posts ----

func (w *world) buildPosts() {
	// Terms of the province and the wards (term_start), and of the cells (aligned terms).
	w.out.add("terms", "id", "W-T-P1", "org_id", "W-P", "name", "2020–2025", "start", "2020-10-15", "end", "2025-10-15")
	w.out.add("terms", "id", "W-T-P2", "org_id", "W-P", "name", "2025–2030", "start", "2025-10-15")
	for _, ward := range []string{"W-W1", "W-W2", "W-W34"} {
		s := w.randDay("2020-06-01", "2022-06-30")
		if ward == "W-W34" {
			s = w.randDay(w.merge, addDays(w.merge, 60))
		}
		e := w.randDay("2025-01-01", "2025-12-31")
		w.out.add("terms", "id", "W-T-"+ward, "org_id", ward, "name", "Nhiệm kỳ", "start", s, "end", e)
		w.out.add("terms", "id", "W-T2-"+ward, "org_id", ward, "name", "Nhiệm kỳ sau", "start", e)
	}
	for _, c := range w.orgIDs {
		vs := w.orgs[c]
		if vs[0].level != dangvu.LevelCell {
			continue
		}
		from, end := max(vs[0].from, worldStart), w.lastEnd(c)
		// Localities served by the cell over its life; a second one for some.
		nLoc := 1 + w.rng.Intn(2)
		var locs []string
		for i := range nLoc {
			id := fmt.Sprintf("%s-L%d", c, i+1)
			to := ""
			if end != dangvu.ForeverISO {
				to = end
			}
			w.out.add("localities", "id", id, "name", "Khu "+id, "kind", "area", "cell_id", c, "valid_from", from, "valid_to", to)
			locs = append(locs, id)
		}
		// Two terms; at each start a secretary and the localities' heads, elected near it.
		starts := []string{w.randDay(from, addDays(from, 400))}
		starts = append(starts, w.randDay(addDays(starts[0], 500), addDays(starts[0], 1000)))
		for i, s := range starts {
			if s >= end {
				break
			}
			tEnd := end
			if i+1 < len(starts) && starts[i+1] < end {
				tEnd = starts[i+1]
			}
			to := tEnd
			if to == dangvu.ForeverISO {
				to = ""
			}
			w.out.add("terms", "id", fmt.Sprintf("%s-T%d", c, i+1), "org_id", c, "name", "Nhiệm kỳ chi bộ", "start", s, "end", to)
			var sec string
			if ms := w.membersUnderOn(c, s, false); len(ms) > 0 {
				sec = ms[w.rng.Intn(len(ms))].id
				w.out.add("posts", "id", w.next("WPS"), "role", string(dangvu.RoleSecretary), "org_id", c, "member_id", sec, "holder_name", "Bí thư "+sec,
					"valid_from", s, "valid_to", to)
			}
			for _, l := range locs {
				hf := addDays(s, w.rng.Intn(240)-120)
				if hf < from || i > 0 && hf < s { // heads never overlap: the last one ends where this term starts
					hf = max(from, s)
				}
				if hf >= tEnd {
					continue
				}
				holder, name := "", "Ông Trưởng khu"
				switch w.rng.Intn(5) {
				case 0, 1, 2:
					holder = sec
				case 3:
					if ms := w.membersUnderOn(c, hf, false); len(ms) > 0 {
						holder = ms[w.rng.Intn(len(ms))].id
					}
				}
				w.out.add("posts", "id", w.next("WPH"), "role", string(dangvu.RoleHead), "locality_id", l, "member_id", holder, "holder_name", name,
					"valid_from", hf, "valid_to", to)
			}
		}
	}
	// Units served by wards and by the grassroots cell, with their heads and the serving
	// organisation's secretary.
	for _, org := range []string{"W-W1", "W-W2", "W-W3", "W-W4", "W-W34", "W-G1"} {
		vs := w.orgs[org]
		from, end := max(vs[0].from, worldStart), w.lastEnd(org)
		to := ""
		if end != dangvu.ForeverISO {
			to = end
		}
		for i := range 1 + w.rng.Intn(2) {
			u := fmt.Sprintf("%s-U%d", org, i+1)
			w.out.add("units", "id", u, "name", "Cơ quan "+u, "kind", string(dangvu.KindStateAgency), "org_id", org, "valid_from", from, "valid_to", to)
			starts := []string{from, w.randDay(addDays(from, 200), "2026-06-30")}
			for i, hf := range starts {
				if hf >= end {
					break
				}
				hto := to
				if i+1 < len(starts) && starts[i+1] < end {
					hto = starts[i+1]
				}
				holder := ""
				if ms := w.membersUnderOn(org, hf, false); len(ms) > 0 && w.rng.Intn(4) > 0 {
					holder = ms[w.rng.Intn(len(ms))].id
				}
				w.out.add("posts", "id", w.next("WPU"), "role", string(dangvu.RoleHead), "unit_id", u, "member_id", holder, "holder_name", "Thủ trưởng",
					"valid_from", hf, "valid_to", hto)
				if holder != "" && w.rng.Intn(2) == 0 {
					w.out.add("posts", "id", w.next("WPS"), "role", string(dangvu.RoleSecretary), "org_id", org, "member_id", holder, "holder_name", "Bí thư",
						"valid_from", hf, "valid_to", hto)
				}
			}
		}
	}
}

// newWorld draws a world from a seed.
func newWorld(seed int64) *world {
	w := &world{seed: seed, rng: rand.New(rand.NewSource(seed)), out: rows{}, orgs: map[string][]wver{}, docCopies: map[string][]string{}, docDate: map[string]string{}, ownSeq: map[string]int{}}
	w.move, w.merge, w.split, w.abolish = w.dayIn(2022), w.dayIn(2023), w.dayIn(2024), w.dayIn(2025)
	if w.rng.Intn(2) == 0 {
		w.abolish = "2025-07-01"
	}
	for _, r := range []string{w.move, w.merge, w.split, w.abolish} {
		w.special = append(w.special, r, addDays(r, -1), addDays(r, 1))
	}
	for y := 2022; y <= 2026; y++ {
		w.special = append(w.special, fmt.Sprintf("%d-01-01", y), fmt.Sprintf("%d-12-31", y))
	}
	w.buildTree()
	w.buildMembers()
	w.buildDissemination()
	w.buildReviews()
	w.buildInspection()
	w.buildPosts()
	w.buildDues()
	w.buildMeetings()
	w.buildFiles()
	w.writeOrgs()
	w.writeMembers()
	return w
}

// reportCase is one report the test asks both the store and the oracle for.
type reportCase struct {
	org, from, to, asOf, document string
	why                           string
	groups                        map[string]string // a group's own start (ReportQuery.GroupFrom)
}

// cases lists the reports of a world: for each reorganisation day R, periods before R (ending
// the day before), spanning it, starting on it and ending on it; as-of dates on the period's end,
// on R and on the day before; for a cell, a ward and the root in force on the as-of date.
func (w *world) cases() []reportCase {
	var out []reportCase
	for _, r := range []string{w.move, w.merge, w.split, w.abolish} {
		type per struct{ from, to, why string }
		for _, p := range []per{
			{addDays(r, -200), addDays(r, -1), "before"},
			{addDays(r, -150), addDays(r, 150), "spanning"},
			{r, addDays(r, 200), "after"},
			{addDays(r, -120), r, "ending on the day"},
		} {
			asOfs := []string{p.to}
			for _, a := range []string{r, addDays(r, -1)} {
				if a != p.to && a >= p.from {
					asOfs = append(asOfs, a)
				}
			}
			for _, a := range asOfs {
				for i, org := range []string{"W-TW", w.pick(w.orgsOn(a, dangvu.LevelGrassrootsCommittee)), w.pick(w.orgsOn(a, dangvu.LevelCell))} {
					c := reportCase{org: org, from: p.from, to: p.to, asOf: a, why: p.why}
					if (len(out)+i)%4 == 0 {
						c.document = "21-NQ/TW"
					}
					out = append(out, c)
				}
			}
		}
	}
	// Composite reports: each group from its own start, on the reorganisation day or beside it.
	for _, r := range []string{w.move, w.merge, w.split, w.abolish} {
		out = append(out, reportCase{org: "W-TW", from: addDays(r, -300), to: addDays(r, 100), asOf: addDays(r, 100), why: "groups with their own start",
			groups: map[string]string{dangvu.GroupAdmission: addDays(r, -100), dangvu.GroupInspection: r, dangvu.GroupDissemination: addDays(r, -1), dangvu.GroupReview: addDays(r, 1)}})
	}
	// Leap days: party age on 29 February and around it.
	for _, p := range [][3]string{{"2024-01-01", "2024-02-29", "2024-02-29"}, {"2025-01-01", "2025-02-28", "2025-03-01"}, {"2026-01-01", "2026-02-28", "2026-02-28"}} {
		out = append(out, reportCase{org: "W-TW", from: p[0], to: p[1], asOf: p[2], why: "leap day"})
	}
	return out
}

// ---- dues ----

// buildDues gives about a third of the members a dues basis (2023 on), some an exemption, and
// records most months' payments (some short, some missing: arrears) at the cell the member
// belongs to on the month's last day (or first), with monthly remittances of some cells.
func (w *world) buildDues() {
	groups := []dangvu.DuesGroup{dangvu.DuesInsured, dangvu.DuesPension, dangvu.DuesStudent, dangvu.DuesSelfEmployed}
	collected := map[string]int64{} // cell|month → collected
	var keys []string
	for _, m := range w.members {
		if w.rng.Intn(3) != 0 {
			continue
		}
		from := "2023-01-01"
		if m.admitted > from {
			from = m.admitted
		}
		g := groups[w.rng.Intn(len(groups))]
		amount := int64(0)
		if g != dangvu.DuesStudent {
			amount = int64(3000+w.rng.Intn(6000)) * 1000
		}
		bs := []dangvu.DuesBasis{{Member: m.id, From: dangvu.MustDate(from), Group: g, Amount: amount}}
		w.out.add("dues_bases", "id", w.next("WDB"), "member_id", m.id, "valid_from", from, "group", string(g), "amount", strconv.FormatInt(amount, 10))
		var ex []dangvu.DuesExemption
		switch w.rng.Intn(8) {
		case 0: // exempt for hardship, up to 12 months
			f := w.randDay("2023-02-01", "2025-06-30")
			t := addDays(f, 60+w.rng.Intn(300))
			ex = append(ex, dangvu.DuesExemption{Kind: dangvu.ReliefHardship, Pct: 100, From: dangvu.MustDate(f), To: dangvu.MustDate(t)})
			w.out.add("dues_exemptions", "id", w.next("WDE"), "member_id", m.id, "kind", string(dangvu.ReliefHardship), "pct", "100", "valid_from", f, "valid_to", t)
		case 1: // exempt on application, open-ended
			f := w.randDay("2023-02-01", "2025-06-30")
			ex = append(ex, dangvu.DuesExemption{Kind: dangvu.ReliefApplication, Pct: 100, From: dangvu.MustDate(f)})
			w.out.add("dues_exemptions", "id", w.next("WDE"), "member_id", m.id, "kind", string(dangvu.ReliefApplication), "pct", "100", "valid_from", f)
		}
		skip := w.rng.Intn(4) == 0 // a late payer: some months missing
		for mo := (dangvu.Month{Year: 2023, Mon: time.January}); mo.Before(dangvu.Month{Year: 2026, Mon: time.July}); mo = mo.Next() {
			cell := m.inPartyOn(dangvu.ISO(mo.Last()), true)
			if cell == "" {
				cell = m.inPartyOn(dangvu.ISO(mo.First()), true)
			}
			if cell == "" {
				continue
			}
			o, ok, _ := dues.Owed(mo, bs, ex)
			if !ok || o.Owed == 0 {
				continue
			}
			paid := o.Owed
			switch r := w.rng.Intn(20); {
			case skip && r < 8, r == 0:
				continue
			case r == 1:
				paid /= 2
			}
			w.out.add("dues_payments", "id", w.next("WDP"), "member_id", m.id, "org_id", cell, "month", mo.String(), "amount", strconv.FormatInt(paid, 10),
				"paid_on", dangvu.ISO(mo.Last()), "channel", dangvu.DuesCash)
			k := cell + "|" + mo.String()
			if _, ok := collected[k]; !ok {
				keys = append(keys, k)
			}
			collected[k] += paid
		}
	}
	for _, k := range keys {
		if w.rng.Intn(2) == 0 {
			continue
		}
		cell, month, _ := strings.Cut(k, "|")
		mo, _ := dangvu.ParseMonth(month)
		v, ok := w.verOn(cell, dangvu.ISO(mo.Last()))
		if !ok || v.parent == "" {
			continue
		}
		c := collected[k]
		kept := c * 70 / 100
		w.out.add("dues_remittances", "id", w.next("WDR"), "org_id", cell, "month", month, "kind", dangvu.RemitMonthly, "to_org_id", v.parent,
			"collected", strconv.FormatInt(c, 10), "kept", strconv.FormatInt(kept, 10), "remitted", strconv.FormatInt(c-kept, 10), "sent_on", dangvu.ISO(mo.Last().AddDate(0, 0, 5)))
	}
}

// buildFiles gives the world member files, supplements and badges (docs/member-files.md): most
// members' files hold the required documents, added over 2021–2026; a yearly supplement for half
// the members each year 2022–2025, most certified by the next March; a badge at the ceremony
// after each milestone anniversary 2021–2026 for most members reaching one.
func (w *world) buildFiles() {
	for _, m := range w.members {
		if w.rng.Intn(10) < 7 {
			added := w.randDay("2021-01-01", "2026-10-01")
			types := []string{"1", "2", "3", "5"}
			if w.rng.Intn(4) > 0 {
				types = append(types, "7")
			}
			if w.rng.Intn(5) == 0 {
				types = types[1:]
			}
			for _, t := range types {
				w.out.add("file_documents", "id", w.next("W-FD"), "member_id", m.id, "type_no", t, "added_on", added)
			}
		}
		for y := 2022; y <= 2025; y++ {
			opened := fmt.Sprintf("%d-12-01", y)
			cell := m.inPartyOn(opened, true)
			if cell == "" || w.rng.Intn(2) == 0 {
				continue
			}
			id := fmt.Sprintf("W-SB%d-%s", y, m.id)
			entered := w.randDay(opened, fmt.Sprintf("%d-12-20", y))
			if w.rng.Intn(4) == 0 {
				w.out.add("supplements", "id", id, "member_id", m.id, "org_id", cell, "year", strconv.Itoa(y), "status", dangvu.SupplementEntered, "entered_on", entered)
				continue
			}
			checked := addDays(entered, 5)
			certified := w.randDay(addDays(checked, 1), fmt.Sprintf("%d-03-31", y+1))
			w.out.add("supplements", "id", id, "member_id", m.id, "org_id", cell, "year", strconv.Itoa(y), "changes", `{"position":"Tổ trưởng"}`,
				"status", dangvu.SupplementCertified, "entered_on", entered, "checked_on", checked, "certified_on", certified)
		}
		if m.admitted == "" {
			continue
		}
		for _, n := range badges.AllMilestones {
			at := badges.AddYears(day(m.admitted), n)
			if at.Year() < 2021 || at.Year() > 2026 || w.rng.Intn(5) == 0 {
				continue
			}
			c := badges.NextCeremony(at)
			org := m.inPartyOn(dangvu.ISO(c), true)
			if org == "" || c.Year() > 2026 {
				continue
			}
			cer := dangvu.ISO(c)
			w.out.add("badges", "id", w.next("W-B"), "member_id", m.id, "org_id", org, "milestone", strconv.Itoa(n), "kind", "due", "ceremony", cer,
				"decided_on", addDays(cer, -20), "presented_on", cer)
		}
	}
}

// ---- cell meetings and residence liaison ----

// buildMeetings draws the cells' monthly meetings of 2021–2026: two cells never miss one, the
// others now and then; held on a day of the first fortnight (or a special day of the month);
// attendance by exception with a few members often absent without reason (the three-month
// rule), a thematic meeting some quarters, quality scores with bands, some reviewed by the ward;
// and working members registered with residential cells, with yearly comments.
func (w *world) buildMeetings() {
	truant := map[string]bool{}
	for range 8 {
		truant[w.members[w.rng.Intn(len(w.members))].id] = true
	}
	band := func(p int) string {
		switch {
		case p >= 90:
			return "good"
		case p >= 70:
			return "fair"
		case p >= 50:
			return "average"
		}
		return "poor"
	}
	for m := day("2021-01-01"); m.Year() <= 2026; m = m.AddDate(0, 1, 0) {
		first := dangvu.ISO(m)
		last := dangvu.ISO(m.AddDate(0, 1, -1))
		for _, cell := range w.cellsOn(first) {
			if cell != "W-C22" && cell != "W-C31" && w.rng.Intn(8) == 0 {
				continue // missed
			}
			for _, kind := range []string{"regular", "thematic"} {
				if kind == "thematic" && (w.rng.Intn(3) > 0 || int(m.Month())%3 != 0) {
					continue
				}
				held := w.randDay(addDays(first, 2), addDays(first, 13))
				if w.rng.Intn(10) == 0 {
					held = w.randDay(first, last)
				}
				if _, ok := w.verOn(cell, held); !ok {
					continue
				}
				id := w.next("WMT")
				var absent [][3]string
				roll := 0
				for _, mb := range w.members {
					if mb.inPartyOn(held, false) != cell {
						continue
					}
					roll++
					r := w.rng.Intn(20)
					switch {
					case truant[mb.id] && r < 9, r == 0:
						absent = append(absent, [3]string{mb.id, "unexcused", ""})
					case r == 1:
						absent = append(absent, [3]string{mb.id, "excused", "Đi công tác"})
					}
				}
				pts, b, rpts, rb := "", "", "", ""
				if w.rng.Intn(4) > 0 {
					p := 35 + w.rng.Intn(66)
					pts, b = fmt.Sprint(p), band(p)
					if w.rng.Intn(5) == 0 {
						r := min(100, max(0, p-15+w.rng.Intn(20)))
						rpts, rb = fmt.Sprint(r), band(r)
					}
				}
				topic := ""
				if kind == "thematic" {
					topic = "Chuyên đề quý " + fmt.Sprint((int(m.Month())+2)/3)
				}
				w.out.add("meetings", "id", id, "org_id", cell, "kind", kind, "topic", topic, "month", first[:7], "status", "held", "held_on", held,
					"on_roll", fmt.Sprint(roll), "present", fmt.Sprint(roll-len(absent)), "quality_points", pts, "quality_band", b, "reviewed_points", rpts, "reviewed_band", rb)
				for _, a := range absent {
					w.out.add("meeting_attendance", "meeting_id", id, "member_id", a[0], "mark", a[1], "reason", a[2])
				}
			}
		}
	}
	for i := range 15 {
		mb := w.members[w.rng.Intn(len(w.members))]
		from := w.randDay("2021-01-01", "2026-06-30")
		cells := w.cellsOn(from)
		var res []string
		for _, c := range cells {
			if v, _ := w.verOn(c, from); v.kind == dangvu.KindResidential {
				res = append(res, c)
			}
		}
		if len(res) == 0 {
			continue
		}
		cell := w.pick(res)
		to := ""
		if end := w.lastEnd(cell); end != "" && end != dangvu.ForeverISO {
			to = addDays(end, -1)
		}
		id := fmt.Sprintf("WRL%02d", i)
		w.out.add("residence_links", "id", id, "member_id", mb.id, "work_org", "Đảng bộ cơ quan", "cell_id", cell, "valid_from", from, "valid_to", to, "category", "regular")
		for y := atoi(from[:4]); y <= 2026; y++ {
			if to != "" && fmt.Sprint(y) > to[:4] {
				break
			}
			if w.rng.Intn(3) > 0 {
				ret := w.randDay(fmt.Sprintf("%d-11-15", y), fmt.Sprintf("%d-12-20", y))
				w.out.add("residence_comments", "link_id", id, "year", fmt.Sprint(y), "requested_on", fmt.Sprintf("%d-11-01", y), "returned_on", ret, "comment", "Gương mẫu")
			}
		}
	}
}
