package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"dangvu"
)

// The dissemination of resolutions in the demo (docs/dissemination.md): the city registers the
// Central Committee's resolutions, issues action programmes and plans with tasks, holds
// city-level conferences for the agency blocs, and every grassroots organisation holds its own
// conference with an attendance line for each member expected; absentees and members who joined
// later make it up. After 1/7/2025 the new wards do the same for the resolutions of 2025. The
// report's figures (action programmes, conferences, coverage) come out of these rows.

type disseminationWorld struct {
	docs        []*demoDoc
	tasks       []*demoTask
	confs       []*demoConf
	seqs        map[string]int // own numbers issued, per organisation, kind and term
	byIDDoc     map[string]*demoDoc
	reflections []demoReflection
}

type demoDoc struct {
	id, org, direction, number, issuerOrg string
	date, received                        date
	title, file, secrecy                  string
	implements, reportsOn                 *demoDoc
}

type demoTask struct {
	id      string
	doc     *demoDoc
	title   string
	org     *org
	name    string
	due     date
	doneOn  date // open while not done
	started date // a progress note "in progress" on this day, or open
}

type demoConf struct {
	id, kind         string
	org, scope       *org
	title            string
	day, end         date
	place, presenter string
	reflection       bool
	docs             []*demoDoc
	lines            map[*person]demoLine
	order            []*person
}

type demoLine struct {
	status, reason string
	madeUp         date
}

type demoReflection struct {
	p    *person
	doc  *demoDoc
	conf *demoConf
	day  date
	text string
}

func (d *disseminationWorld) doc(x *demoDoc) *demoDoc {
	d.docs = append(d.docs, x)
	d.byIDDoc[x.id] = x
	return x
}

// disOwnDoc registers a document issued by o, numbered next in its kind for o's term on day.
func (w *world) disOwnDoc(o *org, kind dangvu.DocKind, day date, title string, implements *demoDoc) *demoDoc {
	term := "year-" + strconv.Itoa(day.year())
	for _, t := range w.terms {
		if t.org == o && t.start <= day && day < t.end {
			term = t.id
		}
	}
	key := o.id + "|" + string(kind) + "|" + term
	w.dis.seqs[key]++
	n := dangvu.DocNumber{Seq: w.dis.seqs[key], Kind: kind, Issuer: o.issuer}
	id := fmt.Sprintf("VB-%s-%d-%s%02d", o.id, day.year(), kind, n.Seq)
	if kind == dangvu.DocDecision {
		id = fmt.Sprintf("VB-%s-%d-QD%02d", o.id, day.year(), n.Seq)
	}
	return w.dis.doc(&demoDoc{id: id, org: o.id, direction: "own", number: n.String(), issuerOrg: o.id, date: day,
		title: title, secrecy: "none", implements: implements, file: "luu-tru/" + o.id + "/" + id + ".pdf"})
}

func (w *world) disIncoming(o *org, number string, day, received date, title string) *demoDoc {
	n, err := dangvu.ParseDocNumber(number)
	if err != nil {
		panic(err)
	}
	id := fmt.Sprintf("VB-%s-%s%02d-%d", o.id, n.Kind, n.Seq, day.year())
	return w.dis.doc(&demoDoc{id: id, org: o.id, direction: "incoming", number: n.String(), issuerOrg: "VN", date: day, received: received,
		title: title, secrecy: "none", file: "luu-tru/" + o.id + "/" + id + ".pdf"})
}

// disGrassroots is the grassroots organisation o lies in on d (o itself when grassroots).
func disGrassroots(o *org, d date) *org {
	for x := o; x != nil; {
		v := x.at(d)
		if v == nil {
			return nil
		}
		if v.level.IsGrassroots() {
			return x
		}
		x = v.parent
	}
	return nil
}

// expectedAt reports whether p is expected at a conference of scope on d: in the party, not
// exempt, with an official membership under scope that day (domain.md §5).
func expectedAt(p *person, scope *org, d date) bool {
	st := p.statusAt(d)
	if st != dangvu.StatusFull && st != dangvu.StatusProbationary {
		return false
	}
	s := p.stintAt(d)
	return s != nil && s.org.under(scope, d)
}

var disAbsenceReasons = []string{"Ốm, điều trị tại bệnh viện", "Đi công tác", "Việc gia đình", "Đi học tập trung", "Trực cơ quan"}

// disAttend marks every member expected at c: mostly present; some absent with or without reason,
// most of whom make it up within two months.
func (w *world) disAttend(r *rand.Rand, c *demoConf, people []*person, pPresent float64) {
	c.lines = map[*person]demoLine{}
	for _, p := range people {
		if !expectedAt(p, c.scope, c.day) {
			continue
		}
		l := demoLine{status: "present"}
		switch x := r.Float64(); {
		case x < pPresent:
		case x < pPresent+(1-pPresent)*0.65:
			l = demoLine{status: "absent_excused", reason: pick(r, disAbsenceReasons...)}
		default:
			l = demoLine{status: "absent"}
		}
		if l.status != "present" && chance(r, 0.78) {
			m := c.day + 10 + date(r.IntN(50))
			if expectedAt(p, c.scope, m) && m <= today {
				l = demoLine{status: "made_up", reason: l.reason, madeUp: m}
			}
		}
		c.lines[p] = l
		c.order = append(c.order, p)
	}
}

// disRound is the study of one plenum's resolutions: the programmes, the city's bloc conferences
// and a conference in every grassroots organisation under root.
type disRound struct {
	code        string
	docs        []*demoDoc
	from, to    date // the grassroots conferences' window
	makeUpUntil date // members who join a grassroots organisation before this make it up
}

func (w *world) buildDissemination(r *rand.Rand) {
	w.dis = disseminationWorld{seqs: map[string]int{}, byIDDoc: map[string]*demoDoc{}}
	var ubPeople, all []*person
	for _, p := range w.people {
		all = append(all, p)
		for _, s := range p.stints {
			if s.org.area == "UB" {
				ubPeople = append(ubPeople, p)
				break
			}
		}
	}
	ub := w.ub
	tg := "Ban Tuyên giáo Thành ủy"

	// The 4th plenum (XII): Resolutions 04-NQ/TW and 05-NQ/TW, studied together.
	nq4 := w.disIncoming(ub, "04-NQ/TW", ymd(2016, 10, 30), ymd(2016, 11, 4), "Nghị quyết Hội nghị lần thứ tư Ban Chấp hành Trung ương Đảng khóa XII về tăng cường xây dựng, chỉnh đốn Đảng; ngăn chặn, đẩy lùi sự suy thoái về tư tưởng chính trị, đạo đức, lối sống, những biểu hiện \"tự diễn biến\", \"tự chuyển hóa\" trong nội bộ")
	nq5 := w.disIncoming(ub, "05-NQ/TW", ymd(2016, 11, 1), ymd(2016, 11, 7), "Nghị quyết Hội nghị lần thứ tư Ban Chấp hành Trung ương Đảng khóa XII về một số chủ trương, chính sách lớn nhằm tiếp tục đổi mới mô hình tăng trưởng, nâng cao chất lượng tăng trưởng, năng suất lao động, sức cạnh tranh của nền kinh tế")
	ctr4 := w.disOwnDoc(ub, dangvu.DocProgramme, ymd(2016, 12, 20), "Chương trình hành động của Ban Chấp hành Đảng bộ thành phố thực hiện Nghị quyết Hội nghị Trung ương 4 khóa XII về tăng cường xây dựng, chỉnh đốn Đảng", nq4)
	ctr5 := w.disOwnDoc(ub, dangvu.DocProgramme, ymd(2016, 12, 27), "Chương trình hành động thực hiện Nghị quyết số 05-NQ/TW về đổi mới mô hình tăng trưởng", nq5)
	kh4 := w.disOwnDoc(ub, dangvu.DocPlan, ymd(2017, 2, 10), "Kế hoạch tổ chức kiểm điểm tự phê bình và phê bình theo tinh thần Nghị quyết Trung ương 4 khóa XII gắn với 27 biểu hiện suy thoái", nq4)
	w.disTasks(r, ctr4, []disTaskSpec{
		{"Tổ chức học tập, quán triệt Nghị quyết đến 100% cán bộ, đảng viên", "", tg, ymd(2017, 2, 28), ymd(2017, 2, 24)},
		{"Hướng dẫn các tổ chức cơ sở đảng tự kiểm điểm theo 27 biểu hiện suy thoái", "", "Ban Tổ chức Thành ủy", ymd(2017, 3, 31), ymd(2017, 3, 28)},
		{"Rà soát, bổ sung quy chế làm việc của cấp ủy các cấp", "", "Văn phòng Thành ủy", ymd(2017, 6, 30), ymd(2017, 8, 15)},
		{"Kiểm tra, giám sát việc thực hiện Nghị quyết tại các đảng bộ phường, xã", "", "Ủy ban Kiểm tra Thành ủy", ymd(2017, 12, 31), ymd(2017, 12, 20)},
		{"Xây dựng kế hoạch tự phê bình và phê bình của tập thể, cá nhân cấp ủy", "UB-QT", "", ymd(2017, 4, 30), ymd(2017, 4, 25)},
		{"Công khai kết quả kiểm điểm của đảng viên tại nơi cư trú", "UB-BS", "", ymd(2018, 3, 31), open},
		{"Sơ kết một năm thực hiện Chương trình hành động", "", "Văn phòng Thành ủy", ymd(2017, 12, 31), ymd(2018, 1, 10)},
		{"Đẩy mạnh cải cách hành chính, nâng cao chất lượng tiếp công dân", "", "Ủy ban nhân dân thành phố", ymd(2018, 6, 30), open},
	})
	w.disTasks(r, kh4, []disTaskSpec{
		{"Tổ chức kiểm điểm tự phê bình và phê bình của Ban Thường vụ Thành ủy", "", "Văn phòng Thành ủy", ymd(2017, 4, 15), ymd(2017, 4, 12)},
		{"Hướng dẫn, đôn đốc chi bộ kiểm điểm, liên hệ 27 biểu hiện", "UB-CQCQ", "", ymd(2017, 5, 31), ymd(2017, 6, 20)},
		{"Tổng hợp, báo cáo kết quả kiểm điểm", "", "Ban Tổ chức Thành ủy", ymd(2017, 6, 30), ymd(2017, 6, 28)},
	})
	w.disTasks(r, ctr5, []disTaskSpec{
		{"Xây dựng đề án phát triển dịch vụ du lịch Yên Tử", "", "Phòng Kinh tế thành phố", ymd(2017, 9, 30), ymd(2017, 9, 22)},
		{"Rà soát quy hoạch các khu công nghiệp", "", "Phòng Quản lý đô thị thành phố", ymd(2017, 12, 31), ymd(2018, 2, 5)},
	})
	bc := w.disOwnDoc(ub, dangvu.DocReport, ymd(2017, 12, 28), "Báo cáo sơ kết một năm thực hiện Chương trình hành động thực hiện Nghị quyết Trung ương 4 khóa XII", nil)
	bc.reportsOn = ctr4
	w.disStudy(r, ubPeople, disRound{code: "TW4", docs: []*demoDoc{nq4, nq5}, from: ymd(2016, 12, 28), to: ymd(2017, 2, 25), makeUpUntil: ymd(2018, 5, 31)},
		[]string{"UB-CQTU", "UB-CQCQ", "UB-MT", "UB-CA", "UB-QS", "UB-TTYT"}, ymd(2016, 11, 24))

	// The 6th plenum (XII): Resolutions 18-NQ/TW and 19-NQ/TW.
	nq18 := w.disIncoming(ub, "18-NQ/TW", ymd(2017, 10, 25), ymd(2017, 11, 1), "Nghị quyết Hội nghị lần thứ sáu Ban Chấp hành Trung ương Đảng khóa XII một số vấn đề về tiếp tục đổi mới, sắp xếp tổ chức bộ máy của hệ thống chính trị tinh gọn, hoạt động hiệu lực, hiệu quả")
	nq19 := w.disIncoming(ub, "19-NQ/TW", ymd(2017, 10, 25), ymd(2017, 11, 1), "Nghị quyết Hội nghị lần thứ sáu Ban Chấp hành Trung ương Đảng khóa XII về tiếp tục đổi mới hệ thống tổ chức và quản lý, nâng cao chất lượng và hiệu quả hoạt động của các đơn vị sự nghiệp công lập")
	ctr18 := w.disOwnDoc(ub, dangvu.DocProgramme, ymd(2018, 1, 15), "Chương trình hành động thực hiện Nghị quyết số 18-NQ/TW về sắp xếp tổ chức bộ máy của hệ thống chính trị", nq18)
	ctr19 := w.disOwnDoc(ub, dangvu.DocProgramme, ymd(2018, 1, 15), "Chương trình hành động thực hiện Nghị quyết số 19-NQ/TW về đổi mới các đơn vị sự nghiệp công lập", nq19)
	w.disTasks(r, ctr18, []disTaskSpec{
		{"Xây dựng đề án hợp nhất các cơ quan tham mưu, giúp việc", "", "Ban Tổ chức Thành ủy", ymd(2018, 6, 30), ymd(2018, 7, 12)},
		{"Thí điểm bí thư chi bộ đồng thời là trưởng khu", "UB-PD", "", ymd(2018, 12, 31), ymd(2018, 11, 30)},
	})
	w.disTasks(r, ctr19, []disTaskSpec{
		{"Sắp xếp các đơn vị sự nghiệp công lập thuộc thành phố", "", "Phòng Nội vụ thành phố", ymd(2018, 12, 31), ymd(2019, 3, 1)},
	})
	w.disStudy(r, ubPeople, disRound{code: "TW6", docs: []*demoDoc{nq18, nq19}, from: ymd(2017, 12, 20), to: ymd(2018, 2, 10), makeUpUntil: ymd(2018, 12, 31)},
		[]string{"UB-CQTU", "UB-CQCQ", "UB-MT"}, ymd(2017, 12, 5))

	// The training course for cell secretaries of 2018 (figures.md F11).
	course := &demoConf{id: "HN-UB-2018-BDBT", kind: "course", org: ub, scope: ub, title: "Lớp bồi dưỡng nghiệp vụ công tác Đảng cho bí thư chi bộ năm 2018",
		day: ymd(2018, 3, 12), end: ymd(2018, 3, 16), place: "Trung tâm Chính trị thành phố Uông Bí", presenter: "Trung tâm Chính trị thành phố", lines: map[*person]demoLine{}}
	for _, ps := range w.posts {
		if ps.role != dangvu.RoleSecretary || ps.org == nil || ps.p == nil || !ps.org.holds() || ps.from > course.day || ps.to <= course.day {
			continue
		}
		if v := ps.org.at(course.day); v == nil || !ps.org.under(ub, course.day) || !expectedAt(ps.p, ub, course.day) {
			continue
		}
		if _, dup := course.lines[ps.p]; dup {
			continue
		}
		l := demoLine{status: "present"}
		if chance(r, 0.04) {
			l = demoLine{status: "absent_excused", reason: pick(r, disAbsenceReasons...)}
		}
		course.lines[ps.p] = l
		course.order = append(course.order, ps.p)
	}
	w.dis.confs = append(w.dis.confs, course)

	// After 1/7/2025: each new ward registers the resolutions of 2025, issues its plan and studies.
	for _, nw := range newWards {
		wd := w.byID[nw.id]
		n71 := w.disIncoming(wd, "71-NQ/TW", ymd(2025, 8, 22), ymd(2025, 9, 3), "Nghị quyết của Bộ Chính trị về đột phá phát triển giáo dục và đào tạo")
		n72 := w.disIncoming(wd, "72-NQ/TW", ymd(2025, 9, 9), ymd(2025, 9, 16), "Nghị quyết của Bộ Chính trị về một số giải pháp đột phá, tăng cường bảo vệ, chăm sóc và nâng cao sức khỏe Nhân dân")
		kh := w.disOwnDoc(wd, dangvu.DocPlan, ymd(2025, 10, 6), "Kế hoạch học tập, quán triệt và triển khai thực hiện Nghị quyết số 71-NQ/TW và Nghị quyết số 72-NQ/TW của Bộ Chính trị", n71)
		w.disTasks(r, kh, []disTaskSpec{
			{"Tổ chức hội nghị học tập, quán triệt Nghị quyết đến cán bộ, đảng viên", "", "Ban Xây dựng Đảng " + wd.placeName(), ymd(2025, 11, 15), ymd(2025, 11, 10)},
			{"Rà soát mạng lưới trường học trên địa bàn phường", "", "Ủy ban nhân dân phường " + nw.name, ymd(2026, 6, 30), ymd(2026, 6, 26)},
			{"Kiện toàn trạm y tế phường theo Nghị quyết 72-NQ/TW", "", "Ủy ban nhân dân phường " + nw.name, ymd(2026, 10, 31), open},
			{"Báo cáo sơ kết một năm thực hiện Nghị quyết", "", "Văn phòng Đảng ủy phường " + nw.name, ymd(2026, 12, 5), open},
		})
		c := &demoConf{id: "HN-" + nw.id + "-NQ71", kind: "conference", org: wd, scope: wd, title: "Hội nghị học tập, quán triệt Nghị quyết số 71-NQ/TW và Nghị quyết số 72-NQ/TW của Bộ Chính trị",
			day: within(r, ymd(2025, 10, 20), ymd(2025, 11, 8)), place: "Hội trường Đảng ủy phường " + nw.name, presenter: "Bí thư Đảng ủy phường", docs: []*demoDoc{n71, n72}}
		w.disAttend(r, c, all, 0.95)
		w.dis.confs = append(w.dis.confs, c)
	}
}

type disTaskSpec struct {
	title, org, name string
	due, done        date
}

func (w *world) disTasks(r *rand.Rand, d *demoDoc, specs []disTaskSpec) {
	for i, sp := range specs {
		t := &demoTask{id: fmt.Sprintf("NV-%s-%02d", d.id[3:], i+1), doc: d, title: sp.title, name: sp.name, due: sp.due, doneOn: sp.done, started: open}
		if sp.org != "" {
			t.org = w.byID[sp.org]
			t.name = t.org.first().name
		}
		// A progress report some weeks after the programme, unless it is done before then.
		if st := d.date + 20 + date(r.IntN(30)); st < t.doneOn && st <= today {
			t.started = st
		}
		w.dis.tasks = append(w.dis.tasks, t)
	}
}

// disStudy adds the city's bloc conferences (one per bloc committee, from blocDay, every few
// days) and a conference in every grassroots organisation under Uông Bí, with make-ups for
// members who join a grassroots organisation after its conference.
func (w *world) disStudy(r *rand.Rand, people []*person, rd disRound, blocs []string, blocDay date) {
	ub := w.ub
	day := blocDay
	for i, b := range blocs {
		bloc := w.byID[b]
		c := &demoConf{id: fmt.Sprintf("HN-UB-%s-%d", rd.code, i+1), kind: "conference", org: ub, scope: bloc,
			title: fmt.Sprintf("Hội nghị cấp thành phố học tập, quán triệt Nghị quyết %s cho %s", disNumbers(rd.docs), bloc.first().name),
			day:   day, place: pick(r, "Hội trường Thành ủy Uông Bí", "Trung tâm Chính trị thành phố Uông Bí"), presenter: pick(r, "Bí thư Thành ủy", "Phó Bí thư Thường trực Thành ủy", "Trưởng Ban Tuyên giáo Thành ủy"), docs: rd.docs}
		w.disAttend(r, c, people, 0.93)
		w.dis.confs = append(w.dis.confs, c)
		day += 2 + date(r.IntN(4))
	}
	grassroots := map[*org]*demoConf{}
	var gconfs []*demoConf
	for _, o := range w.orgs {
		d := within(r, rd.from, rd.to)
		v := o.at(d)
		if v == nil || !v.level.IsGrassroots() || !o.under(ub, d) {
			continue
		}
		c := &demoConf{id: fmt.Sprintf("HN-%s-%s", o.id, rd.code), kind: "conference", org: o, scope: o,
			title: "Hội nghị học tập, quán triệt Nghị quyết " + disNumbers(rd.docs), day: d,
			place: "Hội trường " + o.placeName(), presenter: pick(r, "Bí thư Đảng ủy", "Phó Bí thư Đảng ủy", "Bí thư Chi bộ"), docs: rd.docs, reflection: chance(r, 0.3)}
		if v.level == dangvu.LevelGrassrootsCell {
			c.presenter = "Bí thư Chi bộ"
		}
		w.disAttend(r, c, people, 0.935)
		grassroots[o] = c
		gconfs = append(gconfs, c)
		w.dis.confs = append(w.dis.confs, c)
	}
	// Who studied in this round (present or made up), wherever.
	studied := map[*person]bool{}
	for _, c := range grassroots {
		for p, l := range c.lines {
			if l.status == "present" || l.status == "made_up" {
				studied[p] = true
			}
		}
	}
	// Members who arrive in a grassroots organisation after its conference make it up there.
	for _, p := range people {
		if studied[p] {
			continue
		}
		for _, s := range p.stints {
			if s.from < rd.from || s.from > rd.makeUpUntil {
				continue
			}
			g := disGrassroots(s.org, s.from)
			c := grassroots[g]
			if c == nil || c.day > s.from {
				continue
			}
			if _, has := c.lines[p]; has {
				continue
			}
			m := s.from + 14 + date(r.IntN(60))
			if m < c.day || m > today || !expectedAt(p, c.scope, m) || !chance(r, 0.88) {
				continue
			}
			c.lines[p] = demoLine{status: "made_up", madeUp: m}
			c.order = append(c.order, p)
			studied[p] = true
			break
		}
	}
	// Some members write a reflection where their organisation asked for one.
	for _, c := range gconfs {
		if !c.reflection {
			continue
		}
		for _, p := range c.order {
			if l := c.lines[p]; l.status == "present" && chance(r, 0.05) {
				w.dis.reflections = append(w.dis.reflections, demoReflection{p: p, doc: c.docs[0], conf: c, day: c.day + 7 + date(r.IntN(14)),
					text: "Qua học tập Nghị quyết " + c.docs[0].number + ", bản thân nhận thức rõ trách nhiệm tự rèn luyện, tu dưỡng; tự liên hệ các biểu hiện suy thoái và đề ra biện pháp khắc phục trong công tác và sinh hoạt."})
			}
		}
	}
}

func disNumbers(docs []*demoDoc) string {
	s := ""
	for i, d := range docs {
		if i > 0 {
			s += " và "
		}
		s += "số " + d.number
	}
	return s
}

func (w *world) writeDissemination(s *sink) {
	ref := func(d *demoDoc) string {
		if d == nil {
			return ""
		}
		return d.id
	}
	for _, d := range w.dis.docs {
		recv := ""
		if d.direction == "incoming" {
			recv = d.received.String()
		}
		s.row("documents", "id", d.id, "org_id", d.org, "direction", d.direction, "number", d.number, "issuer_org_id", d.issuerOrg,
			"date", d.date.String(), "received_on", recv, "title", d.title, "file", d.file, "secrecy", d.secrecy,
			"implements_id", ref(d.implements), "reports_on_id", ref(d.reportsOn))
	}
	for _, t := range w.dis.tasks {
		orgID, status, done := "", "pending", ""
		if t.org != nil {
			orgID = t.org.id
		}
		if t.started != open {
			status = "in_progress"
			s.row("task_notes", "task_id", t.id, "date", t.started.String(), "status", "in_progress", "note", "Đang triển khai; đã giao các bộ phận thực hiện")
		}
		if t.doneOn != open && t.doneOn <= today {
			status, done = "done", t.doneOn.String()
			s.row("task_notes", "task_id", t.id, "date", done, "status", "done", "note", "Đã hoàn thành", "evidence", "Báo cáo kết quả ngày "+t.doneOn.time().Format("02/01/2006"))
		}
		s.row("tasks", "id", t.id, "document_id", t.doc.id, "title", t.title, "assignee_org_id", orgID, "assignee_name", t.name,
			"deadline", t.due.String(), "status", status, "done_on", done)
	}
	for _, c := range w.dis.confs {
		refl := "0"
		if c.reflection {
			refl = "1"
		}
		end := ""
		if c.end != 0 {
			end = c.end.String()
		}
		s.row("conferences", "id", c.id, "kind", c.kind, "org_id", c.org.id, "scope_org_id", c.scope.id, "title", c.title, "date", c.day.String(),
			"end_date", end, "place", c.place, "presenter", c.presenter, "reflection", refl)
		for _, d := range c.docs {
			s.row("conference_documents", "conference_id", c.id, "document_id", d.id)
		}
		for _, p := range c.order {
			l := c.lines[p]
			made := ""
			if l.status == "made_up" {
				made = l.madeUp.String()
			}
			s.row("attendance", "conference_id", c.id, "member_id", p.id, "status", l.status, "reason", l.reason, "made_up_on", made)
		}
	}
	for i, x := range w.dis.reflections {
		s.row("reflections", "id", fmt.Sprintf("TH%05d", i+1), "member_id", x.p.id, "document_id", x.doc.id, "conference_id", x.conf.id,
			"date", x.day.String(), "text", x.text)
	}
}
