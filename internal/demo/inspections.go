package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"dangvu"
)

// The inspection, supervision and discipline records (docs/inspection.md): yearly programmes;
// rounds by the Uông Bí city committee's standing committee, by its inspection commission and by
// the grassroots committees, from 2015 to today (after 1/7/2025 by the new wards); discipline
// decisions, including one for every expulsion the people phase recorded in Uông Bí; appeals.
// The counts the article gives for the 2015–2020 term (figures.md F8–F10) steer the generator:
// the report code recomputes them from these rows.

// The article's inspection figures, from the start of the 2015–2020 term to 31/05/2018.
const (
	committeeRounds      = 10  // F8: rounds by the city executive / standing committee…
	committeeRoundOrgs   = 110 // …at 110 party organisations
	grassrootsVisitsMin  = 1300
	disciplinedOrgsF10   = 2  // F10
	disciplinedMembersF0 = 48 // F10
)

type inspectionsWorld struct {
	fields     [][2]string
	programmes map[string]*inspProgramme
	rounds     []*inspRound
	decisions  []*discDecision
	appeals    []*discAppeal
	// disciplined lists, per member, the dates of the decisions about them (the reviews phase
	// rates a member disciplined in a year "not completed").
	disciplined map[*person][]date

	seq   map[string]int // counters for ids and document numbers
	wards []*org         // the new wards of 1/7/2025 (cached)
}

type inspProgramme struct {
	id    string
	org   *org
	body  dangvu.Body
	year  int
	title string
	doc   string
}

type inspRound struct {
	id, prog                  string
	org                       *org
	body                      dangvu.Body
	kind                      dangvu.InspectionKind
	title, decision, team     string
	fields                    []string
	decided, planFrom, planTo date
	conduct, concluded        date // open while not reached
	stage                     dangvu.Stage
	subjects                  []*inspSubject
}

type inspSubject struct {
	org                         *org
	p                           *person
	finding, severity           string
	conclusion, recommendations string
	due, done                   date
}

type discDecision struct {
	id, round                     string
	p                             *person
	org                           *org
	form                          dangvu.DisciplineForm
	auth                          *org
	body                          dangvu.Body
	violation, decided, effective date
	number, reason                string
}

type discAppeal struct {
	id               string
	d                *discDecision
	received, lodged date
	handler          *org
	body             dangvu.Body
	resolved         date
	outcome, newForm string
	note             string
}

var inspFields = [][2]string{
	{"can_bo", "Công tác cán bộ"},
	{"dat_dai", "Đất đai, tài nguyên, môi trường"},
	{"dang_phi", "Thu, nộp, quản lý đảng phí"},
	{"giai_phong_mat_bang", "Bồi thường, giải phóng mặt bằng"},
	{"khieu_nai_to_cao", "Giải quyết khiếu nại, tố cáo"},
	{"tai_chinh", "Tài chính, ngân sách, tài sản công"},
	{"tu_cach_dang_vien", "Chấp hành Điều lệ Đảng, tư cách đảng viên"},
	{"xay_dung_dang", "Lãnh đạo thực hiện nghị quyết, xây dựng Đảng"},
}

// buildInspections fills w.insp.
func (w *world) buildInspections(r *rand.Rand) {
	in := &w.insp
	in.fields = inspFields
	in.programmes = map[string]*inspProgramme{}
	in.disciplined = map[*person][]date{}
	in.seq = map[string]int{}
	start := w.termStart(w.ub, "2015")
	w.committeeRounds(r, start)
	w.commissionRounds(r)
	w.grassrootsRounds(r, start)
	w.disciplineDecisions(r, start)
}

// termStart is the start of o's term beginning in the given year.
func (w *world) termStart(o *org, year string) date {
	for _, t := range w.terms {
		if t.org == o && strings.HasPrefix(t.name, year) {
			return t.start
		}
	}
	panic("demo: no term " + year + " for " + o.id)
}

func (in *inspectionsWorld) next(key string) int {
	in.seq[key]++
	return in.seq[key]
}

// programme returns the programme of o's body for d's year, creating it.
func (w *world) programme(o *org, body dangvu.Body, d date) *inspProgramme {
	in := &w.insp
	y := d.year()
	id := fmt.Sprintf("CT-%s-%d-%s", o.id, y, map[dangvu.Body]string{dangvu.BodyCommission: "UBKT"}[body])
	id = strings.TrimSuffix(id, "-")
	if p := in.programmes[id]; p != nil {
		return p
	}
	who := map[dangvu.Body]string{dangvu.BodyStanding: "Ban Thường vụ", dangvu.BodyExecutive: "Ban Chấp hành", dangvu.BodyCommission: "Ủy ban Kiểm tra", dangvu.BodyGrassroots: "Đảng ủy"}[body]
	kind := "CTr"
	p := &inspProgramme{id: id, org: o, body: body, year: y, doc: fmt.Sprintf("Số %02d-%s/%s", 1+in.next(fmt.Sprintf("ctr-%s-%d", o.id, y)), kind, o.issuer),
		title: fmt.Sprintf("Chương trình kiểm tra, giám sát năm %d của %s %s", y, who, o.at(d).name)}
	in.programmes[id] = p
	return p
}

// newRound adds a round of o's body decided on d, with its stages as far as today reaches.
func (w *world) newRound(r *rand.Rand, o *org, body dangvu.Body, kind dangvu.InspectionKind, d date, title string) *inspRound {
	in := &w.insp
	issuer := o.issuer
	if body == dangvu.BodyCommission {
		issuer = "UBKT" + o.issuer
	}
	n := in.next(fmt.Sprintf("%s-%d-%s", o.id, d.year(), body))
	doc := in.next(fmt.Sprintf("qd-%s-%s-%d", o.id, issuer, d.year()))
	rd := &inspRound{id: fmt.Sprintf("KT-%s-%d-%s-%03d", o.id, d.year(), bodyCode(body), n), prog: w.programme(o, body, d).id, org: o, body: body, kind: kind,
		title: title, decision: fmt.Sprintf("Số %d-QĐ/%s", 10+doc*3+r.IntN(3), issuer), decided: d}
	rd.planFrom = d + date(3+r.IntN(12))
	rd.planTo = rd.planFrom + date(15+r.IntN(45))
	rd.conduct, rd.concluded = open, open
	rd.fields = pickFields(r, kind)
	rd.team = w.team(r, o, d)
	switch {
	case rd.planTo+10 < today:
		rd.stage, rd.conduct, rd.concluded = dangvu.StageConcluded, rd.planFrom, rd.planTo+date(r.IntN(8))
	case rd.planFrom <= today:
		rd.stage, rd.conduct = dangvu.StageConduct, rd.planFrom
	default:
		rd.stage = dangvu.StagePreparation
	}
	in.rounds = append(in.rounds, rd)
	return rd
}

func bodyCode(b dangvu.Body) string {
	return map[dangvu.Body]string{dangvu.BodyStanding: "BTV", dangvu.BodyExecutive: "BCH", dangvu.BodyCommission: "UBKT", dangvu.BodyGrassroots: "DU", dangvu.BodyCell: "CB"}[b]
}

func pickFields(r *rand.Rand, kind dangvu.InspectionKind) []string {
	switch kind {
	case dangvu.KindFinance:
		return []string{pick(r, "dang_phi", "tai_chinh")}
	case dangvu.KindDenunciation, dangvu.KindDisciplinaryAppeal:
		return []string{"khieu_nai_to_cao"}
	}
	f := []string{pick(r, "xay_dung_dang", "tu_cach_dang_vien", "can_bo")}
	if chance(r, 0.3) {
		f = append(f, pick(r, "dat_dai", "giai_phong_mat_bang", "tai_chinh"))
	}
	slices.Sort(f)
	return slices.Compact(f)
}

// team names the round's team: the holders of o's committee or inspection posts on d.
func (w *world) team(r *rand.Rand, o *org, d date) string {
	var names []string
	for _, p := range w.posts {
		if p.org == o && p.from <= d && d < p.to && p.holder != "" && (p.role == dangvu.RoleInspection || p.role == dangvu.RoleStanding || p.role == dangvu.RoleDeputySecretary || p.role == dangvu.RoleCommittee) {
			names = append(names, p.holder)
		}
	}
	if len(names) == 0 {
		return ""
	}
	r.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	names = names[:min(len(names), 2+r.IntN(2))]
	names[0] += " (trưởng đoàn)"
	return strings.Join(names, "; ")
}

// conclude fills a subject's conclusion for a concluded round.
func (rd *inspRound) add(r *rand.Rand, o *org, p *person) *inspSubject {
	s := &inspSubject{org: o, p: p, due: open, done: open}
	if rd.stage == dangvu.StageConcluded {
		if chance(r, 0.16) {
			s.finding, s.severity = "violation", pick(r, "minor", "minor", "discipline")
			s.conclusion = pick(r, "Có vi phạm trong thực hiện quy chế làm việc, chế độ sinh hoạt", "Có vi phạm trong quản lý, thu nộp đảng phí", "Có thiếu sót trong lãnh đạo công tác quản lý đất đai")
		} else {
			s.finding = "none"
			s.conclusion = pick(r, "Thực hiện tốt nội dung được kiểm tra, giám sát", "Cơ bản thực hiện đúng quy định; còn một số hạn chế nhỏ")
		}
		if s.finding == "violation" || chance(r, 0.4) {
			s.recommendations = pick(r, "Kiểm điểm, rút kinh nghiệm; khắc phục hạn chế đã chỉ ra", "Bổ sung quy chế làm việc; báo cáo kết quả khắc phục", "Rà soát, hoàn thiện hồ sơ; báo cáo bằng văn bản")
			s.due = rd.concluded + date(60+r.IntN(60))
			if s.due+date(r.IntN(30)) < today {
				s.done = s.due - date(r.IntN(20))
			}
		}
	}
	rd.subjects = append(rd.subjects, s)
	return s
}

// partyOrgsUnder lists the organisations strictly under o on d, grassroots first.
func (w *world) partyOrgsUnder(o *org, d date) (grassroots, others []*org) {
	for _, x := range w.orgs {
		if x == o || !x.under(o, d) {
			continue
		}
		if x.at(d).level.IsGrassroots() {
			grassroots = append(grassroots, x)
		} else {
			others = append(others, x)
		}
	}
	return
}

var committeeTitles = []struct {
	kind  dangvu.InspectionKind
	title string
}{
	{dangvu.KindSupervisionThematic, "Giám sát chuyên đề việc lãnh đạo thực hiện Nghị quyết Trung ương 4 khóa XII"},
	{dangvu.KindSupervisionThematic, "Giám sát chuyên đề công tác phát triển đảng viên"},
	{dangvu.KindLowerInspection, "Kiểm tra việc thực hiện nhiệm vụ kiểm tra, giám sát và thi hành kỷ luật đảng"},
	{dangvu.KindSupervisionRegular, "Giám sát việc thực hiện quy chế làm việc và chế độ sinh hoạt đảng"},
	{dangvu.KindSupervisionThematic, "Giám sát việc thực hiện Chỉ thị 12-CT/TU về bí thư chi bộ kiêm trưởng thôn, khu"},
	{dangvu.KindLowerInspection, "Kiểm tra việc lãnh đạo công tác quản lý đất đai, giải phóng mặt bằng"},
}

// committeeRounds: the city standing committee's rounds. From the term's start to 31/05/2018
// exactly committeeRounds rounds whose subjects are committeeRoundOrgs distinct organisations;
// a few before and after; after 1/7/2025 the new wards' standing committees.
func (w *world) committeeRounds(r *rand.Rand, start date) {
	used := map[*org]bool{}
	var usedList []*org
	span := periodTo - start
	for i := range committeeRounds {
		d := start + date(int64(span)*int64(2*i+1)/int64(2*committeeRounds)) + date(r.IntN(20)) - 10
		t := committeeTitles[i%len(committeeTitles)]
		body := dangvu.BodyStanding
		if i == 4 {
			body = dangvu.BodyExecutive
		}
		rd := w.newRound(r, w.ub, body, t.kind, d, t.title)
		grass, others := w.partyOrgsUnder(w.ub, d)
		var fresh []*org
		for _, x := range append(grass, others...) {
			if !used[x] {
				fresh = append(fresh, x)
			}
		}
		// Grassroots organisations first, in a random order within each group.
		r.Shuffle(len(fresh), func(a, b int) {
			if fresh[a].at(d).level.IsGrassroots() == fresh[b].at(d).level.IsGrassroots() {
				fresh[a], fresh[b] = fresh[b], fresh[a]
			}
		})
		slices.SortStableFunc(fresh, func(a, b *org) int {
			ga, gb := a.at(d).level.IsGrassroots(), b.at(d).level.IsGrassroots()
			switch {
			case ga == gb:
				return 0
			case ga:
				return -1
			}
			return 1
		})
		n := committeeRoundOrgs / committeeRounds
		for _, x := range fresh[:n] {
			used[x] = true
			usedList = append(usedList, x)
			rd.add(r, x, nil)
		}
		// A round may return to an organisation seen before.
		for _, x := range usedList {
			if len(rd.subjects) < n+2 && chance(r, 0.01) && x.at(d) != nil && !slices.ContainsFunc(rd.subjects, func(s *inspSubject) bool { return s.org == x }) {
				rd.add(r, x, nil)
			}
		}
		sortSubjects(rd)
	}
	// Before the term's start, and from 01/06/2018 until the district level ends.
	var days []date
	days = append(days, ymd(2015, 3, 10)+date(r.IntN(20)), ymd(2015, 5, 12)+date(r.IntN(20)))
	for y := 2018; y <= 2025; y++ {
		for k := range 3 {
			d := ymd(y, 1, 15) + date(k*110+r.IntN(60))
			if d > periodTo && d < reorgDay-30 {
				days = append(days, d)
			}
		}
	}
	for i, d := range days {
		t := committeeTitles[(i+3)%len(committeeTitles)]
		rd := w.newRound(r, w.ub, dangvu.BodyStanding, t.kind, d, t.title)
		grass, _ := w.partyOrgsUnder(w.ub, d)
		r.Shuffle(len(grass), func(a, b int) { grass[a], grass[b] = grass[b], grass[a] })
		for _, x := range grass[:6+r.IntN(8)] {
			rd.add(r, x, nil)
		}
		sortSubjects(rd)
	}
	// The new wards (from 1/7/2025): their standing committees supervise their cells.
	for _, wd := range w.newWards() {
		for _, d := range []date{ymd(2025, 9, 10) + date(r.IntN(30)), ymd(2026, 3, 2) + date(r.IntN(40)), ymd(2026, 10, 20) + date(r.IntN(20))} {
			t := committeeTitles[r.IntN(len(committeeTitles))]
			rd := w.newRound(r, wd, dangvu.BodyStanding, t.kind, d, t.title)
			_, cells := w.partyOrgsUnder(wd, d)
			r.Shuffle(len(cells), func(a, b int) { cells[a], cells[b] = cells[b], cells[a] })
			for _, x := range cells[:min(len(cells), 4+r.IntN(5))] {
				rd.add(r, x, nil)
			}
			sortSubjects(rd)
		}
	}
}

// newWards are the ward committees that took over Uông Bí's organisations on 1/7/2025.
func (w *world) newWards() []*org {
	if w.insp.wards != nil {
		return w.insp.wards
	}
	out := []*org{}
	for _, x := range w.orgs {
		if x.from() != reorgDay || x.first().parent != w.qn {
			continue
		}
		for _, c := range w.orgs {
			if c.under(x, reorgDay) && c != x && c.under(w.ub, reorgDay-1) {
				out = append(out, x)
				break
			}
		}
	}
	w.insp.wards = out
	return out
}

func sortSubjects(rd *inspRound) {
	slices.SortFunc(rd.subjects, func(a, b *inspSubject) int { return strings.Compare(subjectKey(a), subjectKey(b)) })
}

func subjectKey(s *inspSubject) string {
	if s.org != nil {
		return s.org.id + "\x00"
	}
	return "\x00" + s.p.id
}

var commissionTitles = []struct {
	kind  dangvu.InspectionKind
	title string
}{
	{dangvu.KindFinance, "Kiểm tra tài chính đảng và việc thu, nộp đảng phí"},
	{dangvu.KindLowerInspection, "Kiểm tra việc thực hiện nhiệm vụ kiểm tra, giám sát của ủy ban kiểm tra đảng ủy cơ sở"},
	{dangvu.KindViolationSigns, "Kiểm tra đảng viên khi có dấu hiệu vi phạm"},
	{dangvu.KindDenunciation, "Giải quyết tố cáo đối với đảng viên"},
	{dangvu.KindSupervisionThematic, "Giám sát chuyên đề việc kê khai tài sản, thu nhập"},
}

// commissionRounds: the city inspection commission, five rounds a year until 30/6/2025.
func (w *world) commissionRounds(r *rand.Rand) {
	for y := 2015; y <= 2025; y++ {
		for k := range 5 {
			d := ymd(y, 2, 1) + date(k*65+r.IntN(40))
			if d >= reorgDay-20 {
				continue
			}
			t := commissionTitles[(k+y)%len(commissionTitles)]
			rd := w.newRound(r, w.ub, dangvu.BodyCommission, t.kind, d, t.title)
			grass, _ := w.partyOrgsUnder(w.ub, d)
			switch t.kind {
			case dangvu.KindViolationSigns, dangvu.KindDenunciation:
				if p := w.memberUnder(r, w.ub, d); p != nil {
					rd.add(r, nil, p)
				}
			default:
				r.Shuffle(len(grass), func(a, b int) { grass[a], grass[b] = grass[b], grass[a] })
				for _, x := range grass[:2+r.IntN(3)] {
					rd.add(r, x, nil)
				}
			}
			if len(rd.subjects) == 0 {
				rd.add(r, grass[r.IntN(len(grass))], nil)
			}
			sortSubjects(rd)
		}
	}
}

// memberUnder picks a member in party under o on d, staying through d.
func (w *world) memberUnder(r *rand.Rand, o *org, d date) *person {
	for range 200 {
		p := w.people[r.IntN(len(w.people))]
		if s := p.stintAt(d - 1); s != nil && s.to > d && s.org.under(o, d) && p.statusAt(d-1).InParty() && p.statusAt(d) == p.statusAt(d-1) {
			return p
		}
	}
	return nil
}

// committees lists the grassroots committees conducting rounds on d in Uông Bí's area, with the
// organisations directly under each.
func (w *world) committees(d date) (out []*org, cells map[*org][]*org) {
	cells = map[*org][]*org{}
	wards := w.newWards()
	for _, x := range w.orgs {
		v := x.at(d)
		if v == nil || v.level != dangvu.LevelGrassrootsCommittee {
			continue
		}
		in := x.under(w.ub, d)
		for _, wd := range wards {
			in = in || x.under(wd, d)
		}
		if !in {
			continue
		}
		for _, c := range x.children {
			if cv := c.at(d); cv != nil && cv.parent == x {
				cells[x] = append(cells[x], c)
			}
		}
		if len(cells[x]) > 0 {
			out = append(out, x)
		}
	}
	return out, cells
}

var grassrootsTitles = []struct {
	kind  dangvu.InspectionKind
	title string
}{
	{dangvu.KindSupervisionRegular, "Giám sát việc thực hiện chế độ sinh hoạt chi bộ"},
	{dangvu.KindSupervisionThematic, "Giám sát chuyên đề chất lượng sinh hoạt chi bộ"},
	{dangvu.KindFinance, "Kiểm tra việc thu, nộp, quản lý đảng phí"},
	{dangvu.KindLowerInspection, "Kiểm tra việc thực hiện nhiệm vụ kiểm tra, giám sát của chi bộ"},
	{dangvu.KindSupervisionThematic, "Giám sát việc đảng viên giữ mối liên hệ với nơi cư trú"},
}

// grassrootsRounds: the grassroots committees' rounds at their cells. Between the term's start
// and 31/05/2018 they give a number of "lượt" (round × organisation) just above the article's
// 1,300; before and after, the same yearly rate.
func (w *world) grassrootsRounds(r *rand.Rand, start date) {
	target := grassrootsVisitsMin + 10 + r.IntN(80)
	perDay := float64(target) / float64(periodTo-start+1)
	w.grassrootsSpan(r, start, periodTo, target)
	w.grassrootsSpan(r, ymd(2015, 1, 5), start-1, int(perDay*float64(start-ymd(2015, 1, 5))))
	// Later years at about a third of that rate, to keep the data set small.
	w.grassrootsSpan(r, periodTo+1, today, int(perDay/3*float64(today-periodTo)))
}

// grassrootsSpan adds rounds decided within [from, to] until they hold exactly visits subjects.
func (w *world) grassrootsSpan(r *rand.Rand, from, to date, visits int) {
	done := 0
	for done < visits {
		d := within(r, from, to+1)
		cs, cells := w.committees(d)
		if len(cs) == 0 {
			continue
		}
		// Weighted by the number of organisations under each committee.
		total := 0
		for _, c := range cs {
			total += len(cells[c])
		}
		k := r.IntN(total)
		var c *org
		for _, x := range cs {
			if k -= len(cells[x]); k < 0 {
				c = x
				break
			}
		}
		subs := cells[c]
		n := min(len(subs), 2+r.IntN(5), visits-done)
		t := grassrootsTitles[r.IntN(len(grassrootsTitles))]
		rd := w.newRound(r, c, dangvu.BodyGrassroots, t.kind, d, t.title)
		perm := r.Perm(len(subs))
		for _, i := range perm[:n] {
			rd.add(r, subs[i], nil)
		}
		sortSubjects(rd)
		done += n
	}
}

var violationReasons = []string{
	"Vi phạm quy chế làm việc, nguyên tắc tập trung dân chủ",
	"Vi phạm quy định về quản lý đất đai, xây dựng",
	"Không thực hiện đúng quy định về đảng phí",
	"Vi phạm Luật Giao thông đường bộ (nồng độ cồn)",
	"Vi phạm chính sách dân số",
	"Vi phạm những điều đảng viên không được làm",
}

// disciplineDecisions: for every expulsion of a full member in Uông Bí's area (recorded by the
// people phase) the decision of the city (from 1/7/2025 the province) inspection commission;
// reprimands and warnings by cells up to 48 members between the term's start and 31/05/2018,
// and about a dozen a year after; two cells disciplined by the city standing committee in that
// period; and appeals.
func (w *world) disciplineDecisions(r *rand.Rand, start date) {
	in := &w.insp
	inPeriod := map[*person]bool{}
	for _, p := range w.people {
		for _, st := range p.statuses {
			if st.code != dangvu.StatusExpelled {
				continue
			}
			d := st.from
			s := p.stintAt(d - 1)
			if d < periodFrom || s == nil || p.statusAt(d-1) != dangvu.StatusFull {
				continue
			}
			auth := w.ub
			if d >= reorgDay {
				auth = w.qn
			}
			if !s.org.under(auth, d-1) || auth.at(d) == nil {
				continue
			}
			dd := w.decide(r, p, nil, dangvu.FormExpulsion, auth, dangvu.BodyCommission, d)
			dd.reason, dd.number = st.why, st.doc
			if d >= start && d <= periodTo {
				inPeriod[p] = true
			}
		}
	}
	// Reprimands and warnings by the members' cells.
	fill := func(from, to date, n int) []*discDecision {
		var out []*discDecision
		for len(out) < n {
			d := within(r, from, to+1)
			anc := w.ub
			if d >= reorgDay {
				wards := w.newWards()
				anc = wards[r.IntN(len(wards))]
			}
			p := w.memberUnder(r, anc, d)
			if p == nil || len(in.disciplined[p]) > 0 {
				continue
			}
			cell := p.stintAt(d - 1).org
			if cell.at(d) == nil || !cell.at(d).level.IsCell() {
				continue
			}
			form := dangvu.FormReprimand
			if chance(r, 0.3) {
				form = dangvu.FormWarning
			}
			out = append(out, w.decide(r, p, nil, form, cell, dangvu.BodyCell, d))
		}
		return out
	}
	fill(start, periodTo, disciplinedMembersF0-len(inPeriod))
	fill(ymd(2015, 1, 10), start-1, 6)
	later := fill(periodTo+1, today-20, 8*12)
	// Two cells disciplined by the city standing committee.
	for i := 0; i < disciplinedOrgsF10; {
		d := within(r, start+200*date(i), periodTo)
		_, cells := w.partyOrgsUnder(w.ub, d)
		c := cells[r.IntN(len(cells))]
		if c.at(d-1) == nil || c.at(d).level != dangvu.LevelCell {
			continue
		}
		form := []dangvu.DisciplineForm{dangvu.FormReprimand, dangvu.FormWarning}[i%2]
		dd := w.decide(r, nil, c, form, w.ub, dangvu.BodyStanding, d)
		dd.reason = "Buông lỏng lãnh đạo, để nhiều đảng viên vi phạm"
		i++
	}
	// Appeals: one upheld in the period, one out of time, one waiting for its answer.
	var first *discDecision
	for _, dd := range in.decisions {
		if dd.p != nil && dd.form == dangvu.FormWarning && dd.decided >= start && dd.decided < periodTo-120 {
			first = dd
			break
		}
	}
	if first != nil {
		a := w.appeal(first, 3, 21, w.ub, dangvu.BodyStanding)
		a.resolved, a.outcome, a.note = a.lodged+date(45+r.IntN(30)), "upheld", "Giữ nguyên hình thức cảnh cáo"
	}
	for _, dd := range later {
		if dd.decided.year() == 2020 {
			a := w.appeal(dd, 2, 60, w.ub, dangvu.BodyStanding) // past the 30 working days of Charter Art. 39 khoản 7
			a.resolved, a.outcome, a.note = a.lodged+20, "rejected", "Quá thời hạn khiếu nại"
			break
		}
	}
	// After the period, without drawing on r (the later phases' data stay as they were): a
	// member's warning of 2022 lessened to a reprimand, and a reprimand of 2023 annulled — the
	// decision stays on record, the report and the review rules stop counting it from the
	// resolution date.
	changed := map[int]bool{}
	for _, dd := range later {
		y := dd.decided.year()
		if dd.p == nil || changed[y] || len(in.disciplined[dd.p]) > 1 {
			continue
		}
		switch {
		case y == 2022 && dd.form == dangvu.FormWarning:
			a := w.appeal(dd, 3, 12, w.ub, dangvu.BodyStanding)
			a.resolved, a.outcome, a.newForm, a.note = a.lodged+40, "lessened", string(dangvu.FormReprimand), "Giảm hình thức kỷ luật xuống khiển trách"
			changed[y] = true
		case y == 2023 && dd.form == dangvu.FormReprimand:
			a := w.appeal(dd, 2, 10, w.ub, dangvu.BodyStanding)
			a.resolved, a.outcome, a.note = a.lodged+35, "annulled", "Xóa kỷ luật: chưa đủ căn cứ kết luận vi phạm"
			changed[y] = true
		}
	}
	// A warning in mid-2026 whose appeal is still unanswered, past the 90 working days the
	// handling body has (QĐ 30-QĐ/TW's structure, kept by 21-QĐ/TW).
	wards := w.newWards()
	for range 100 {
		d := ymd(2026, 6, 1) + date(r.IntN(15))
		p := w.memberUnder(r, wards[0], d)
		if p == nil || len(in.disciplined[p]) > 0 {
			continue
		}
		cell := p.stintAt(d - 1).org
		if cell.at(d) == nil || !cell.at(d).level.IsCell() {
			continue
		}
		dd := w.decide(r, p, nil, dangvu.FormWarning, cell, dangvu.BodyCell, d)
		w.appeal(dd, 4, 18, wards[0], dangvu.BodyGrassroots)
		break
	}
}

func (w *world) decide(r *rand.Rand, p *person, o *org, form dangvu.DisciplineForm, auth *org, body dangvu.Body, d date) *discDecision {
	in := &w.insp
	issuer := auth.issuer
	if body == dangvu.BodyCommission {
		issuer = "UBKT" + auth.issuer
	}
	n := in.next(fmt.Sprintf("kl-%s-%s-%d", auth.id, issuer, d.year()))
	dd := &discDecision{id: fmt.Sprintf("KL-%d-%04d", d.year(), in.next(fmt.Sprintf("kl-%d", d.year()))), p: p, org: o, form: form, auth: auth, body: body,
		violation: d - date(30+r.IntN(500)), decided: d, effective: d, number: fmt.Sprintf("Số %d-QĐ/%s", n, issuer), reason: pick(r, violationReasons...)}
	in.decisions = append(in.decisions, dd)
	if p != nil {
		in.disciplined[p] = append(in.disciplined[p], d)
	}
	return dd
}

func (w *world) appeal(dd *discDecision, receivedAfter, lodgedAfter int, handler *org, body dangvu.Body) *discAppeal {
	in := &w.insp
	a := &discAppeal{id: fmt.Sprintf("KN-%d-%03d", dd.decided.year(), in.next(fmt.Sprintf("kn-%d", dd.decided.year()))), d: dd,
		received: dd.decided + date(receivedAfter), handler: handler, body: body, resolved: open}
	a.lodged = a.received + date(lodgedAfter)
	in.appeals = append(in.appeals, a)
	return a
}

func (w *world) writeInspections(s *sink) {
	in := &w.insp
	for _, f := range in.fields {
		s.row("inspection_fields", "code", f[0], "name", f[1])
	}
	for _, p := range in.programmes {
		s.row("inspection_programmes", "id", p.id, "org_id", p.org.id, "body", string(p.body), "year", fmt.Sprint(p.year), "title", p.title, "document", p.doc)
	}
	for _, rd := range in.rounds {
		s.row("inspection_rounds", "id", rd.id, "programme_id", rd.prog, "org_id", rd.org.id, "body", string(rd.body), "kind", string(rd.kind),
			"title", rd.title, "decision", rd.decision, "decided_on", rd.decided.String(), "fields", strings.Join(rd.fields, ";"), "team", rd.team,
			"planned_from", rd.planFrom.String(), "planned_to", rd.planTo.String(), "stage", string(rd.stage),
			"conduct_from", rd.conduct.String(), "concluded_on", rd.concluded.String())
		for _, x := range rd.subjects {
			o, m := "", ""
			if x.org != nil {
				o = x.org.id
			} else {
				m = x.p.id
			}
			s.row("inspection_subjects", "round_id", rd.id, "org_id", o, "member_id", m, "finding", x.finding, "severity", x.severity,
				"conclusion", x.conclusion, "recommendations", x.recommendations, "follow_up_due", x.due.String(), "follow_up_done", x.done.String())
		}
	}
	for _, d := range in.decisions {
		m, o := "", ""
		if d.p != nil {
			m = d.p.id
		} else {
			o = d.org.id
		}
		s.row("disciplines", "id", d.id, "round_id", d.round, "member_id", m, "org_id", o, "form", string(d.form), "authority_org_id", d.auth.id,
			"authority_body", string(d.body), "violation_on", d.violation.String(), "decided_on", d.decided.String(), "effective_on", d.effective.String(),
			"number", d.number, "reason", d.reason)
	}
	for _, a := range in.appeals {
		s.row("discipline_appeals", "id", a.id, "discipline_id", a.d.id, "received_on", a.received.String(), "lodged_on", a.lodged.String(),
			"handler_org_id", a.handler.id, "handler_body", string(a.body), "resolved_on", a.resolved.String(), "outcome", a.outcome, "new_form", a.newForm, "note", a.note)
	}
}
