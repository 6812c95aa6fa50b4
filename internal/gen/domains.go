package gen

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/rules/dues"
)

// The domain records of the national data set (issue 20): admission files and the life-cycle
// acts the histories show, the study of two central resolutions (documents, programmes with
// tasks, conferences and attendance), the 2025 review campaigns with their reviews and the
// remedies of members rated "not completed", and inspection rounds with discipline decisions
// (inspections.go).
//
// Records that belong to an organisation are written with the tree; records that belong to a
// member are drawn from the member's own random stream after the member's core rows, so that
// they depend on the seed and the member's number alone, agree with the member's history, and
// the generator stays streaming. Ids are chosen so that every table comes out in key order,
// except attendance (keyed by conference, written by member).

var (
	dFilesFrom = mkday(2020, 1, 1)   // members admitted from this day have their admission file
	dReviewTo  = mkday(2025, 12, 31) // the 2025 review year's end
	dReviewCut = mkday(2025, 9, 30)  // members admitted later are not yet reviewed for 2025
)

const confDays = 100

// resolution is a central resolution studied throughout the party: its register entry at the
// root, a programme of each province, and conferences at the root, in each province and in each
// grassroots organisation in force on its day. One is studied on the tree before 1/7/2025, one
// on the tree after.
type resolution struct {
	num      int
	date     day
	title    string
	rootConf day // the root's conference
	progFrom day // the provinces' programmes, within two weeks from this day
	confFrom day // the grassroots conferences, within confDays from this day
	taskDue  day
}

var resolutions = []resolution{
	{57, mkday(2024, 12, 22), "Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
		mkday(2025, 1, 13), mkday(2025, 1, 25), mkday(2025, 2, 10), mkday(2025, 6, 30)},
	{71, mkday(2025, 8, 22), "Nghị quyết về đột phá phát triển giáo dục và đào tạo",
		mkday(2025, 9, 16), mkday(2025, 9, 22), mkday(2025, 10, 1), mkday(2026, 6, 30)},
}

func (r *resolution) id() string   { return "VN-NQ" + strconv.Itoa(r.num) }
func (r *resolution) code() string { return strconv.Itoa(r.num) }

// hash mixes the seed with a number and a salt into a well-spread value (splitmix64): the
// organisations' domain dates are drawn from it, not from the tree's stream, so adding them
// changed none of the tree's draws.
func (g *nat) hash(salt, x uint64) uint64 {
	z := g.seed ^ salt*0x9e3779b97f4a7c15 ^ x*0xbf58476d1ce4e5b9
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// parentAt is an organisation's parent on d.
func (g *nat) parentAt(o int32, d day) int32 {
	x := &g.orgs[o]
	if x.to != 0 && d >= x.to && x.p2 >= 0 {
		return x.p2
	}
	return x.parent
}

func (g *nat) inForce(o int32, d day) bool {
	x := &g.orgs[o]
	return x.from <= d && (!x.ended() || d < x.to)
}

// grassrootsAt is the grassroots organisation (itself or above) of o on d, -1 when none.
func (g *nat) grassrootsAt(o int32, d day) int32 {
	for o >= 0 {
		if g.orgs[o].level.IsGrassroots() {
			return o
		}
		o = g.parentAt(o, d)
	}
	return -1
}

// confDay is the day grassroots organisation o studies resolution k; 0 when it holds no
// conference (it did not exist then).
func (g *nat) confDay(k int, o int32) day {
	d := resolutions[k].confFrom + day(g.hash(1+20*uint64(k), uint64(o))%confDays)
	if !g.orgs[o].level.IsGrassroots() || !g.inForce(o, d) {
		return 0
	}
	return d
}

// holdsCampaign reports whether o runs a 2025 review campaign: every grassroots organisation in
// force at the year's end.
func (g *nat) holdsCampaign(o int32) bool {
	return g.orgs[o].level.IsGrassroots() && g.inForce(o, dReviewTo)
}

func campaignID(o *org) string { return "KD2025-" + o.id }

var ratingsByShare = []struct {
	r     dangvu.Rating
	share int // per mille
}{{dangvu.RatingExcellent, 130}, {dangvu.RatingGood, 700}, {dangvu.RatingCompleted, 150}, {dangvu.RatingNotCompleted, 20}}

// orgRatingCycle deals organisations' ratings: 2 excellent, 11 good, 3 completed, 1 not completed.
const orgRatingCycle = "GEGGCGGGNGGCGEGGC"

var orgRatings = map[byte]dangvu.Rating{'E': dangvu.RatingExcellent, 'G': dangvu.RatingGood, 'C': dangvu.RatingCompleted,
	'N': dangvu.RatingNotCompleted}

func drawRating(u int) dangvu.Rating {
	for _, x := range ratingsByShare {
		if u < x.share {
			return x.r
		}
		u -= x.share
	}
	return dangvu.RatingGood
}

// writeDomainTree writes the organisations' domain records, in key order, after the tree.
func (g *nat) writeDomainTree(w *counter, order []int32) error {
	// Documents: the resolutions and a plan at the root, a programme of each province.
	type docRow struct{ id, org, number, date, title, impl string }
	docs := []docRow{{"VN-KH03", "VN", "03-KH/TW", iso(mkday(2025, 1, 20)), "Kế hoạch thực hiện " + resolutions[0].title, resolutions[0].id()}}
	provs := make([][]int32, len(resolutions)) // the provinces in force when each programme is issued
	progDay := func(k int, p int32) day { return resolutions[k].progFrom + day(g.hash(2+20*uint64(k), uint64(p))%14) }
	for k := range resolutions {
		rs := &resolutions[k]
		docs = append(docs, docRow{rs.id(), "VN", rs.code() + "-NQ/TW", iso(rs.date), rs.title, ""})
		for _, i := range order {
			if g.orgs[i].level == dangvu.LevelProvince && g.inForce(i, rs.progFrom+14) {
				provs[k] = append(provs[k], i)
			}
		}
		for _, p := range provs[k] {
			o := &g.orgs[p]
			// Numbers in separate ranges, so that a province's two programmes never share one.
			docs = append(docs, docRow{o.id + "-CTR" + rs.code(), o.id, strconv.Itoa(10+100*k+int(g.hash(3, uint64(p))%80)) + "-CTr/" + o.issuer,
				iso(progDay(k, p)), "Chương trình hành động thực hiện Nghị quyết số " + rs.code() + "-NQ/TW", rs.id()})
		}
	}
	slices.SortFunc(docs, func(a, b docRow) int { return cmp.Compare(a.id, b.id) })
	for _, d := range docs {
		if err := w.Row("documents", []string{d.id, d.org, string(dangvu.DirOwn), d.number, d.org, d.date, "", d.title, "", "", d.impl, ""}); err != nil {
			return err
		}
	}
	// Tasks of each programme: before 1/7/2025 to the province's first two districts, after it
	// to its bloc of agencies.
	type task struct {
		id, prog string
		org      int32
		k, n     int
		p        int32
	}
	var tasks []task
	for k := range resolutions {
		rs := &resolutions[k]
		for _, p := range provs[k] {
			o := &g.orgs[p]
			ps := &g.provs[g.provOfOrg(p)]
			var to []int32
			for x := ps.distLo; x < ps.distHi && len(to) < 2; x++ {
				if d := g.dists[x].org; g.inForce(d, progDay(k, p)) {
					to = append(to, d)
				}
			}
			if b := ps.sup[supBloc]; len(to) == 0 && b >= 0 && g.inForce(b, progDay(k, p)) {
				to = append(to, b)
			}
			for n, a := range to {
				tasks = append(tasks, task{o.id + "-CTR" + rs.code() + "-" + strconv.Itoa(n+1), o.id + "-CTR" + rs.code(), a, k, n, p})
			}
		}
	}
	slices.SortFunc(tasks, func(a, b task) int { return cmp.Compare(a.id, b.id) })
	for _, t := range tasks {
		key := uint64(t.p)*8 + uint64(t.n) + 1000*uint64(t.k)
		status, done := string(dangvu.TaskInProgress), ""
		if d := progDay(t.k, t.p) + 60 + day(g.hash(5, key)%50); g.hash(4, key)%3 != 0 && d < dAsOf {
			status, done = string(dangvu.TaskDone), iso(d)
		}
		if err := w.Row("tasks", []string{t.id, t.prog, "Tổ chức học tập, quán triệt và xây dựng kế hoạch thực hiện Nghị quyết",
			g.orgs[t.org].id, "", "", iso(resolutions[t.k].taskDue), status, done}); err != nil {
			return err
		}
	}

	// Conferences: the root and each province study each resolution with their cadres (no
	// attendance lines); each grassroots organisation with its members (lines in the stream).
	type conf struct {
		org  int32
		date day
	}
	confs := make([][]conf, len(resolutions))
	for k := range resolutions {
		for _, i := range order {
			o := &g.orgs[i]
			switch {
			case o.role == roleRoot:
				confs[k] = append(confs[k], conf{i, resolutions[k].rootConf})
			case o.level == dangvu.LevelProvince:
				if slices.Contains(provs[k], i) {
					confs[k] = append(confs[k], conf{i, progDay(k, i) + 5})
				}
			default:
				if d := g.confDay(k, i); d != 0 {
					confs[k] = append(confs[k], conf{i, d})
				}
			}
		}
	}
	for k := range resolutions {
		for _, c := range confs[k] {
			o := &g.orgs[c.org]
			if err := w.Row("conferences", []string{confID(k, o), string(dangvu.ConfStudy), o.id, o.id,
				"Hội nghị học tập, quán triệt Nghị quyết số " + resolutions[k].code() + "-NQ/TW", iso(c.date), "", "Hội trường " + o.name, "", "0"}); err != nil {
				return err
			}
		}
	}
	for k := range resolutions {
		for _, c := range confs[k] {
			if err := w.Row("conference_documents", []string{confID(k, &g.orgs[c.org]), resolutions[k].id()}); err != nil {
				return err
			}
		}
	}

	// Review campaigns of 2025 and the reviews of cells, decided by their grassroots organisation.
	for _, i := range order {
		if !g.holdsCampaign(i) {
			continue
		}
		o := &g.orgs[i]
		if err := w.Row("campaigns", []string{campaignID(o), o.id, "Kiểm điểm, đánh giá, xếp loại chất lượng năm 2025", string(dangvu.PeriodYear),
			"2025-01-01", iso(dReviewTo), "", "2025-11-17", "Số " + strconv.Itoa(100+int(g.hash(6, uint64(i))%800)) + "-KH/" + o.issuer}); err != nil {
			return err
		}
	}
	for _, i := range order {
		if !g.holdsCampaign(i) {
			continue
		}
		id := campaignID(&g.orgs[i])
		for _, s := range [][2]string{{"comment", "2025-12-10"}, {"decision", "2026-01-15"}, {"self", "2025-12-05"}} {
			if err := w.Row("campaign_steps", []string{id, s[0], s[1]}); err != nil {
				return err
			}
		}
	}
	dealt := make([]int, len(g.provs))
	for _, i := range order {
		o := &g.orgs[i]
		if o.level != dangvu.LevelCell || !g.inForce(i, dReviewTo) {
			continue
		}
		gr := g.grassrootsAt(i, dReviewTo)
		if gr < 0 {
			continue
		}
		// Ratings of organisations are dealt from a cycle per province (as it stands at the year's
		// end) rather than drawn, so that a province of a few dozen cells shows every rating in
		// its report, rare ones included.
		pi := g.provs[g.provOfOrg(i)].into
		if dealt[pi] == 0 {
			dealt[pi] = int(g.hash(7, uint64(pi))%uint64(len(orgRatingCycle))) + 1
		}
		rt := string(orgRatings[orgRatingCycle[dealt[pi]%len(orgRatingCycle)]])
		dealt[pi]++
		decided := iso(mkday(2026, 1, 5) + day(g.hash(8, uint64(i))%20))
		if err := w.Row("reviews", reviewRow("DG2025-C-"+o.id, campaignID(&g.orgs[gr]), dangvu.SubjectOrg, "", o.id, g.orgs[gr].id,
			rt, "2025-12-08", decided)); err != nil {
			return err
		}
	}
	return g.writeInspectionTree(w, order)
}

// reviewRow is a decided review: self-rated, proposed and decided alike.
func reviewRow(id, campaign string, kind dangvu.SubjectKind, member, org, decider, rating, selfOn, decided string) []string {
	v := make([]string, len(reviewCols))
	set := func(col, val string) { v[slices.Index(reviewCols, col)] = val }
	set("id", id)
	set("campaign_id", campaign)
	set("kind", string(kind))
	set("member_id", member)
	set("org_id", org)
	set("decider_id", decider)
	set("tasks_on_time", "1")
	set("tasks_beyond_pct", "0")
	set("self_rating", rating)
	set("self_on", selfOn)
	set("proposed_rating", rating)
	set("proposed_on", selfOn)
	set("final_rating", rating)
	set("decided_on", decided)
	set("tasks_late_pct", "0")
	return v
}

// reviewCols are the columns of the exchange table reviews (registered by the store).
var reviewCols = []string{"id", "campaign_id", "kind", "member_id", "org_id", "decider_id", "strengths", "faults", "causes", "points",
	"tasks_on_time", "tasks_beyond_pct", "self_rating", "self_on", "comments", "attendance", "proposed_rating", "proposed_on", "final_rating", "decided_on",
	"decision", "trigger", "trigger_note", "excluded", "tasks_late_pct", "peer_group", "quota_exception"}

// memberFacts is what a member's domain records need from the member's core rows.
type memberFacts struct {
	name, gender, birth, education string
	idNumber                       string
	adm, full                      day
	isFull                         bool
	admDoc, fullDoc                doc
	exit                           day // the first day out of the party's work (exit or exemption), 0 when none
	exitStatus                     dangvu.Status
	exitDoc                        doc
	exitReason                     string
	h                              *holder
}

var issuerNames = map[string]string{"HU": "Ban Thường vụ Huyện ủy", "QU": "Ban Thường vụ Quận ủy", "TU": "Ban Thường vụ Thành ủy",
	"ĐU": "Ban Thường vụ Đảng ủy"}

// inParty reports whether the member is expected at party work on d: admitted, not out, not exempt.
func (f *memberFacts) inParty(d day) bool { return f.adm <= d && (f.exit == 0 || d < f.exit) }

// domainRows appends member i's domain records to the row buffer; m.ms is sorted.
func (m *memberGen) domainRows(i int, f *memberFacts) {
	g, r, rb := m.g, m.r, &m.rb
	var first int32 = -1
	for _, x := range m.ms {
		if !x.temp {
			first = x.org
			break
		}
	}

	m.lifeActs(i, f)

	// The admission file, for members admitted in the covered years.
	if f.adm >= dFilesFrom && first >= 0 {
		m.admissionFile(i, f, first)
	}

	// Attendance at the grassroots conferences on the resolutions. The tree does not change
	// within a resolution's conference days (none straddles 1/7/2025).
	for k := range resolutions {
		for _, x := range m.ms {
			if !x.temp {
				m.attend(i, f, k, x)
			}
		}
	}

	// The 2025 review, of members in the party at the year's end.
	if f.inParty(dReviewTo) && f.adm <= dReviewCut {
		for _, x := range m.ms {
			if x.temp || x.from > dReviewTo || (x.to != 0 && x.to <= dReviewTo) {
				continue
			}
			gr := g.grassrootsAt(x.org, dReviewTo)
			if gr < 0 || !g.holdsCampaign(gr) {
				break
			}
			rt := string(drawRating(r.IntN(1000)))
			self := iso(mkday(2025, 12, 1) + day(r.IntN(8)))
			decided := iso(mkday(2026, 1, 5) + day(r.IntN(20)))
			mid := memberID(i)
			rb.row("reviews")
			for _, v := range reviewRow("DG2025-"+mid, campaignID(&g.orgs[gr]), dangvu.SubjectMember, mid, g.orgs[x.org].id, g.orgs[gr].id, rt, self, decided) {
				rb.s(v)
			}
			if rt == string(dangvu.RatingNotCompleted) {
				// A member who did not complete their tasks commits to a remedy, due by mid-year.
				due := mkday(2026, 6, 30)
				rb.row("remedies")
				rb.s("KP2025-" + mid)
				rb.s("DG2025-" + mid)
				rb.s(remedies[r.IntN(len(remedies))])
				rb.s(f.name)
				rb.s(iso(due))
				if r.IntN(3) > 0 {
					rb.s(dangvu.RemedyDone)
					rb.s(iso(mkday(2026, 3, 1) + day(r.IntN(120))))
					rb.s("Chi bộ đánh giá đã khắc phục")
				} else {
					rb.s(dangvu.RemedyOpen)
					rb.s("")
					rb.s("")
				}
			}
			break
		}
	}

	m.disciplineRows(i, f)
	m.duesRows(i, f)
	m.fileRows(i, f)
}

// duesRows appends a member's dues basis and the payments of the twelve months from December
// 2025 (docs/dues.md): pensioners by age, the others salaried; about one month in twenty left
// unpaid; a payment is taken by the cell the member belongs to on the month's last day.
func (m *memberGen) duesRows(i int, f *memberFacts) {
	rb, r := &m.rb, m.r
	from := max(mkday(2025, 1, 1), f.adm)
	if !f.inParty(from) || f.adm == 0 {
		return
	}
	mid := memberID(i)
	g, amount := dangvu.DuesInsured, int64(4_000+r.IntN(9_000))*1_000
	if len(f.birth) >= 4 && f.birth[:4] < "1966" {
		g, amount = dangvu.DuesPension, int64(4_500+r.IntN(5_000))*1_000
	}
	a := strconv.FormatInt(amount, 10)
	rb.row("dues_bases")
	for _, v := range []string{"DB-" + mid, mid, iso(from), string(g), a, ""} {
		rb.s(v)
	}
	bases := []dangvu.DuesBasis{{Member: mid, From: dangvu.DateOf(dayTime(from)), Group: g, Amount: amount}}
	for k, mo := 0, remitFirst; k < len(m.g.collected[0]); k, mo = k+1, mo.Next() {
		first := mkday(mo.Year, int(mo.Mon), 1)
		last := mkday(mo.Year, int(mo.Mon), 1) + day(mo.Last().Day()-1)
		if !f.inParty(first) || !f.inParty(last) || last > dAsOf {
			continue
		}
		org := int32(-1)
		for _, x := range m.ms {
			if !x.temp && x.from <= last && (x.to == 0 || last < x.to) {
				org = x.org
			}
		}
		if org < 0 || r.IntN(20) == 0 {
			continue
		}
		o, ok, _ := dues.Owed(mo, bases, nil)
		if !ok {
			continue
		}
		rb.row("dues_payments")
		for _, v := range []string{"DP-" + mid + "-" + mo.String(), mid, m.g.orgs[org].id, mo.String(), strconv.FormatInt(o.Owed, 10), "0",
			iso(min(last, dAsOf)), dangvu.DuesCash, "", ""} {
			rb.s(v)
		}
		m.g.collected[org][k] += o.Owed
	}
}

// remitFirst is the first month of the generated year of dues.
var remitFirst = dangvu.Month{Year: 2025, Mon: 12}

// writeRemittances writes what each organisation that took dues passed up each month of the
// generated year (docs/dues.md): all it collected, on the 10th of the next month when that is
// past, split by the share it keeps under the rules of the month (as RecordRemittance splits
// it), received by its superior three days later when that is past too. Only what the members
// paid: a grassroots committee's own remittance of what its cells passed up is not generated.
func (g *nat) writeRemittances(w *counter) error {
	// In key order ("DR-<org>-<month>", as every generated table): ids hold no '-', so the
	// organisations sorted by id followed by '-' give their rows in order.
	var orgs []int32
	for o := range g.collected {
		if g.collected[o] != ([12]int64{}) {
			orgs = append(orgs, int32(o))
		}
	}
	slices.SortFunc(orgs, func(a, b int32) int { return strings.Compare(g.orgs[a].id+"-", g.orgs[b].id+"-") })
	for _, o := range orgs {
		x := &g.orgs[o]
		for k, mo := 0, remitFirst; k < len(g.collected[o]); k, mo = k+1, mo.Next() {
			c := g.collected[o][k]
			next := mo.Next()
			sent := mkday(next.Year, int(next.Mon), 10)
			if c == 0 || sent > dAsOf {
				continue
			}
			last := mkday(mo.Year, int(mo.Mon), mo.Last().Day())
			pct, cite := dues.ForMonth(mo).KeepPct(x.level, x.kind)
			kept, remitted := dues.Split(c, pct)
			recv := ""
			if d := sent + 3; d <= dAsOf {
				recv = iso(d)
			}
			row := []string{"DR-" + x.id + "-" + mo.String(), x.id, mo.String(), dangvu.RemitMonthly, g.orgs[g.parentAt(o, last)].id,
				strconv.FormatInt(c, 10), strconv.FormatInt(kept, 10), strconv.FormatInt(remitted, 10), iso(sent), recv, "",
				fmt.Sprintf("(để lại %d%%: %s)", pct, cite)}
			if err := w.Row("dues_remittances", row); err != nil {
				return err
			}
		}
	}
	return nil
}

// dayTime is a generator day as a time.
func dayTime(d day) time.Time {
	t, _ := time.Parse(time.DateOnly, iso(d))
	return t
}

var remedies = []string{"Khắc phục việc chậm hoàn thành nhiệm vụ chuyên môn được giao", "Tham gia đầy đủ sinh hoạt chi bộ và đóng đảng phí đúng hạn",
	"Nâng cao tinh thần trách nhiệm, chấp hành sự phân công của tổ chức"}

// lifeActs appends the acts of the member's life cycle that the history shows: a temporary
// posting, an official transfer out of the system, exemption, removal from the list, death.
func (m *memberGen) lifeActs(i int, f *memberFacts) {
	g, rb := m.g, &m.rb
	k := 0
	act := func(kind dangvu.LifeActKind, d day, org int32, external string, until day, document doc, reason string) {
		k++
		rb.row("life_acts")
		rb.b = appendMemberID(append(rb.b, "LA-"...), i)
		rb.b = append(rb.b, '-')
		rb.b = strconv.AppendInt(rb.b, int64(k), 10)
		rb.f()
		rb.b = appendMemberID(rb.b, i)
		rb.f()
		rb.s(string(kind))
		rb.s(iso(d))
		if org >= 0 {
			rb.s(g.orgs[org].id)
		} else {
			rb.s("")
		}
		rb.s(external)
		rb.s(isoEnd(until))
		rb.s("")
		rb.doc(document)
		rb.s("")
		rb.s(reason)
		rb.s("")
	}
	for _, x := range m.ms {
		if x.temp {
			act(dangvu.ActTemporaryOut, x.from, x.org, "", x.to, x.doc, "Sinh hoạt tạm thời")
		}
	}
	switch f.exitStatus {
	case dangvu.StatusTransferredOut:
		ext := ""
		for _, mv := range m.mv {
			if mv.kind == dangvu.MoveTransferOut {
				ext = mv.external
			}
		}
		act(dangvu.ActTransferOut, f.exit, -1, ext, 0, f.exitDoc, f.exitReason)
	case dangvu.StatusExempt:
		act(dangvu.ActExempt, f.exit, -1, "", 0, f.exitDoc, f.exitReason)
	case dangvu.StatusRemoved:
		act(dangvu.ActRemove, f.exit, -1, "", 0, f.exitDoc, f.exitReason)
	case dangvu.StatusDeceased:
		act(dangvu.ActDeath, f.exit, -1, "", 0, f.exitDoc, f.exitReason)
	}
}

func confID(k int, o *org) string { return "HN" + resolutions[k].code() + "-" + o.id }

// attend writes member i's line at the conference on resolution k of the grassroots organisation
// of x's organisation, when x covers its day and the member is expected then.
func (m *memberGen) attend(i int, f *memberFacts, k int, x mship) {
	g, r, rb := m.g, m.r, &m.rb
	o := g.grassrootsAt(x.org, resolutions[k].confFrom)
	if o < 0 {
		return
	}
	d := g.confDay(k, o)
	if d == 0 || d < x.from || (x.to != 0 && d >= x.to) || !f.inParty(d) {
		return
	}
	rb.row("attendance")
	rb.s(confID(k, &g.orgs[o]))
	rb.b = appendMemberID(rb.b, i)
	rb.f()
	switch u := r.IntN(100); {
	case u < 88:
		rb.s(string(dangvu.AttPresent))
		rb.s("")
	case u < 96:
		rb.s(string(dangvu.AttExcused))
		rb.s(absences[r.IntN(len(absences))])
	default:
		rb.s(string(dangvu.AttAbsent))
		rb.s("")
	}
	rb.s("")
}

var absences = []string{"Ốm", "Đi công tác", "Nghỉ thai sản", "Việc gia đình", "Đi học tập trung"}

type admStep struct {
	stage                  dangvu.AdmissionStage
	date                   day
	doc, issuer            string
	entitled, present, yes int
	people, known          string
	outcome                string
}

// vote draws a vote that passes two thirds of those entitled (Charter, Điều 4).
func vote(m *memberGen, entitled int) (yes, present int) {
	need := (2*entitled + 2) / 3
	yes = need + m.r.IntN(entitled-need+1)
	present = yes + m.r.IntN(entitled-yes+1)
	return
}

func (m *memberGen) admissionFile(i int, f *memberFacts, cell int32) {
	g, r, rb := m.g, m.r, &m.rb
	d := f.adm
	cellVote := d - day(10+r.IntN(30))
	intro := cellVote - day(5+r.IntN(20))
	background := intro - day(7+r.IntN(25))
	application := background - day(20+r.IntN(30))
	cert := application - day(15+r.IntN(180))
	training := cert - day(30+r.IntN(120))
	entitled := 5 + r.IntN(30)
	yes, present := vote(m, entitled)
	issuer := issuerNames[f.h.issuer]
	if d >= dReorg || issuer == "" {
		issuer = issuerNames["ĐU"]
	}
	fileID := string(appendMemberID([]byte("HS-"), i))
	steps := []admStep{
		{stage: dangvu.StageTraining, date: training},
		{stage: dangvu.StageCertificate, date: cert, doc: "GCN số " + strconv.Itoa(100+r.IntN(900)), issuer: "Trung tâm Chính trị"},
		{stage: dangvu.StageApplication, date: application},
		{stage: dangvu.StageBackground, date: background, issuer: "Chi ủy"},
	}
	// The cell's secretary (its first, long-standing member) introduces the candidate.
	in := admStep{stage: dangvu.StageIntroducers, date: intro}
	if h := f.h; int(h.start) != i && h.org == cell {
		in.people = memberID(int(h.start))
		in.known = iso(intro - day(400+r.IntN(1000)))
	}
	steps = append(steps, in,
		admStep{stage: dangvu.StageCellVote, date: cellVote, doc: "NQ số " + strconv.Itoa(1+r.IntN(30)) + "-NQ/CB", entitled: entitled, present: present, yes: yes})
	if g.orgs[cell].level == dangvu.LevelCell {
		ce := 7 + r.IntN(8)
		cy, cp := vote(m, ce)
		steps = append(steps, admStep{stage: dangvu.StageCommitteeVote, date: min(cellVote+day(1+r.IntN(7)), d),
			doc: "NQ số " + strconv.Itoa(1+r.IntN(90)) + "-NQ/ĐU", entitled: ce, present: cp, yes: cy})
	}
	steps = append(steps,
		admStep{stage: dangvu.StageDecision, date: d, doc: docText(f.admDoc), issuer: issuer},
		admStep{stage: dangvu.StageCeremony, date: d})
	if f.isFull {
		fv := f.full + day(1+r.IntN(10))
		fd := fv + day(1+r.IntN(15))
		if fd <= dAsOf {
			n := 5 + r.IntN(30)
			y, p := vote(m, n)
			fi := issuerNames[f.h.issuer]
			if fd >= dReorg || fi == "" {
				fi = issuerNames["ĐU"]
			}
			steps = append(steps,
				admStep{stage: dangvu.StageFullVote, date: fv, doc: "NQ số " + strconv.Itoa(1+r.IntN(30)) + "-NQ/CB", entitled: n, present: p, yes: y, outcome: dangvu.OutcomeApproved},
				admStep{stage: dangvu.StageFullDecision, date: fd, doc: docText(f.fullDoc), issuer: fi, outcome: dangvu.OutcomeApproved})
		}
	}
	rb.row("admission_files")
	rb.s(fileID)
	rb.s(g.orgs[cell].id)
	rb.s(f.name)
	rb.s(f.gender)
	rb.s(f.birth)
	rb.s(f.education)
	rb.s("0")
	rb.b = appendMemberID(rb.b, i)
	rb.f()
	rb.s("0")
	rb.s("")
	slices.SortFunc(steps, func(a, b admStep) int { return cmp.Compare(a.stage, b.stage) })
	num := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	for _, s := range steps {
		rb.row("admission_steps")
		rb.s(fileID)
		rb.s(string(s.stage))
		rb.s(iso(s.date))
		rb.s(s.doc)
		rb.s(s.issuer)
		rb.s(num(s.entitled))
		rb.s(num(s.present))
		rb.s(num(s.yes))
		rb.s(s.people)
		rb.s(s.known)
		rb.s("")
		rb.s("")
		rb.s(s.outcome)
		rb.s("")
		rb.s("")
		rb.s("")
	}
}

// docText is a document number as the member's rows write it.
func docText(d doc) string {
	if d.num > 0 {
		return "Số " + strconv.Itoa(int(d.num)) + "-" + d.sym + "/" + d.issuer
	}
	return d.text
}
