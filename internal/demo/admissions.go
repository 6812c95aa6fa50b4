package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/gen"
	"dangvu/internal/workday"
)

// admissionsWorld holds the demo's admission files: one for every member admitted into a cell of
// the demo from 2015 (the article's 884 among them), dated consistently with the member's
// admission, memberships and status history made in people.go, and a few candidates still in
// progress on Today, so that the reminders have something to show.
type admissionsWorld struct {
	files []*admFile
	acts  []*lifeAct
}

// lifeAct is a recorded life-cycle act; the demo has official transfers to another cell of the
// town whose letter has not been presented yet.
type lifeAct struct {
	id       string
	p        *person
	kind     dangvu.LifeActKind
	day      date
	to       *org
	document string
}

type admFile struct {
	id          string
	org         *org
	p           *person // nil for a candidate not yet admitted
	name        string
	gender      string
	birth       string
	education   string
	youth       bool
	steps       []admStep
	readmission bool
}

type admStep struct {
	stage                   dangvu.AdmissionStage
	day                     date
	doc, issuer             string
	entitled, present, yes  int
	people, known           []string
	outcome, override, note string
}

var cal = workday.Default()

// workBefore is the n-th working day before d; workAfter the n-th after.
func workBefore(d date, n int) date {
	for n > 0 {
		d--
		if cal.IsWorkday(d.time()) {
			n--
		}
	}
	return d
}

func workAfter(d date, n int) date { return ymdOf(cal.Add(d.time(), n)) }

func ymdOf(t time.Time) date { return ymd(t.Year(), t.Month(), t.Day()) }

// fullAt counts the full members of o on d and lists those who had been there for a year.
func (w *world) fullAt(o *org, d date) (n int, senior []*person) {
	for _, s := range w.roster[o] {
		if s.from <= d && d < s.to && s.p.statusAt(d) == dangvu.StatusFull {
			n++
			if s.from <= d-365 && s.p.fullOn <= d-365 {
				senior = append(senior, s.p)
			}
		}
	}
	return n, senior
}

// vote draws a vote that passes two thirds of entitled (Charter Điều 4).
func vote(r *rand.Rand, entitled int) (yes, present int) {
	entitled = max(entitled, 3)
	need := (2*entitled + 2) / 3
	yes = need + r.IntN(entitled-need+1)
	present = yes + r.IntN(entitled-yes+1)
	return
}

// buildAdmissions fills w.adm.
func (w *world) buildAdmissions(r *rand.Rand) {
	for _, p := range w.people {
		if p.admitted < periodFrom || len(p.stints) == 0 || p.stints[0].from != p.admitted {
			continue // standing members, and members admitted elsewhere who transferred in
		}
		w.adm.files = append(w.adm.files, w.admissionFile(r, p))
	}
	w.candidates(r)
	w.pendingTransfers(r)
}

// pendingTransfers records two official transfers out to another cell of Uông Bí that the
// receiving cells have not recorded yet: one past the 30 working days for presenting the letter,
// one due within days. They are movements of the members' history too.
func (w *world) pendingTransfers(r *rand.Rand) {
	for i, back := range []int{50, 36} {
		d := today - date(back)
		var p *person
		for p == nil {
			c := w.people[r.IntN(len(w.people))]
			s := c.cur()
			if c.exit == open && s != nil && s.from < d && s.org.area == "UB" && c.statusAt(today) == dangvu.StatusFull &&
				s.org.at(today) != nil && s.org.at(today).level == dangvu.LevelCell {
				p = c
			}
		}
		var to *org
		for to == nil || to == p.cur().org {
			c := w.pickOrg(r, "UB", today, nil, bySize)
			if c != nil && c.at(today) != nil && c.at(today).level == dangvu.LevelCell {
				to = c
			}
		}
		a := &lifeAct{id: fmt.Sprintf("LA-2026-%03d", i+1), p: p, kind: dangvu.ActTransferOut, day: d, to: to, document: fmt.Sprintf("GGT số %d", 10+r.IntN(90))}
		w.adm.acts = append(w.adm.acts, a)
		w.movements = append(w.movements, &movement{id: "MV-" + a.id, p: p, kind: dangvu.MoveTransferOut, day: d, from: p.cur().org, to: to, doc: a.document})
	}
}

// admissionFile makes the file of a member admitted on p.admitted into p.stints[0].org: the
// decision is dated on p.admitted (the member's admitted_on) and the ceremony held that day, so
// probation ends and full membership starts where people.go put them.
func (w *world) admissionFile(r *rand.Rand, p *person) *admFile {
	o, d := p.stints[0].org, p.admitted
	f := &admFile{id: "HS-" + p.id, org: o, p: p, name: p.name, gender: p.gender, birth: p.birthText, education: p.education}
	cellVote := workBefore(d, 8+r.IntN(40))
	adult := p.birth.addYears(18)
	if len(p.birthText) < len("2006-01-02") {
		adult += 31 // the birth is on record to the month only: the rule takes its last day
	}
	cellVote = min(max(cellVote, adult), d)
	committee := o.at(cellVote) != nil && o.at(cellVote).level != dangvu.LevelGrassrootsCell
	intro := cellVote - date(5+r.IntN(25))
	background := intro - date(7+r.IntN(30))
	application := background - date(20+r.IntN(40))
	cert := application - date(15+r.IntN(300))
	training := cert - date(30+r.IntN(150))
	entitled, senior := w.fullAt(o, cellVote)
	s := admStep{stage: dangvu.StageIntroducers, day: intro}
	r.Shuffle(len(senior), func(i, j int) { senior[i], senior[j] = senior[j], senior[i] })
	age := cellVote.year() - p.birth.year()
	switch {
	case age <= 30 && (len(senior) < 2 || chance(r, 0.3)) && len(senior) >= 1:
		f.youth = true
		s.people = []string{dangvu.YouthUnionIntroducer, senior[0].id}
		s.known = []string{"", knownSince(r, senior[0], o, intro)}
	case len(senior) >= 2:
		s.people = []string{senior[0].id, senior[1].id}
		s.known = []string{knownSince(r, senior[0], o, intro), knownSince(r, senior[1], o, intro)}
	default:
		s.note = "Chi bộ mới thành lập: người giới thiệu do đảng ủy cơ sở phân công"
		s.override = "Chi bộ chưa đủ 12 tháng hoạt động"
	}
	yes, present := vote(r, entitled)
	cyes, cpresent := vote(r, 7+r.IntN(6))
	decisionDoc := p.statuses[0].doc
	f.steps = append(f.steps,
		admStep{stage: dangvu.StageTraining, day: training, note: "Quần chúng ưu tú được chi bộ phân công đảng viên giúp đỡ"},
		admStep{stage: dangvu.StageCertificate, day: cert, doc: fmt.Sprintf("GCN số %d", 100+r.IntN(900)), issuer: "Trung tâm Chính trị thành phố"},
		admStep{stage: dangvu.StageApplication, day: application},
		admStep{stage: dangvu.StageBackground, day: background, issuer: "Chi ủy"},
		s,
		admStep{stage: dangvu.StageCellVote, day: cellVote, doc: fmt.Sprintf("NQ số %d-NQ/CB", 1+r.IntN(30)), entitled: max(entitled, 3), present: present, yes: yes})
	if committee {
		f.steps = append(f.steps, admStep{stage: dangvu.StageCommitteeVote, day: min(workAfter(cellVote, 1+r.IntN(5)), d),
			doc: fmt.Sprintf("NQ số %d-NQ/ĐU", 1+r.IntN(90)), entitled: max(cyes, 7+r.IntN(6)), present: cpresent, yes: cyes})
		st := &f.steps[len(f.steps)-1]
		st.entitled = max(st.present, st.entitled)
		for 3*st.yes < 2*st.entitled {
			st.yes++
			st.present = max(st.present, st.yes)
		}
	}
	f.steps = append(f.steps,
		admStep{stage: dangvu.StageDecision, day: d, doc: decisionDoc, issuer: "Ban Thường vụ " + decider(o, d)},
		admStep{stage: dangvu.StageCeremony, day: d, note: "Lễ kết nạp tổ chức ngay khi nhận quyết định"})
	end := d.addYears(1) - 1
	switch {
	case p.fullOn != open:
		fv := workAfter(end, 1+r.IntN(15))
		fd := workAfter(fv, 1+r.IntN(15))
		if fd > today {
			break // approved in hindsight, still pending on record: the reminder shows it
		}
		n, _ := w.fullAt(o, fv)
		y, pr := vote(r, n)
		f.steps = append(f.steps,
			admStep{stage: dangvu.StageFullVote, day: fv, doc: fmt.Sprintf("NQ số %d-NQ/CB", 1+r.IntN(30)), entitled: max(n, 3), present: pr, yes: y, outcome: dangvu.OutcomeApproved},
			admStep{stage: dangvu.StageFullDecision, day: fd, doc: statusDoc(p, dangvu.StatusFull), issuer: "Ban Thường vụ " + decider(o, fd), outcome: dangvu.OutcomeApproved})
	case p.exit != open && p.statusAt(p.exit) == dangvu.StatusRemoved && p.exit > end:
		// Failed probation: the cell's vote falls short and the member is removed from the list.
		fd := p.exit
		fv := max(end+1, workBefore(fd, 1+r.IntN(10)))
		n, _ := w.fullAt(o, fv)
		n = max(n, 3)
		y := (2*n - 1) / 3
		f.steps = append(f.steps,
			admStep{stage: dangvu.StageFullVote, day: fv, doc: fmt.Sprintf("NQ số %d-NQ/CB", 1+r.IntN(30)), entitled: n, present: n, yes: y, outcome: dangvu.OutcomeRejected},
			admStep{stage: dangvu.StageFullDecision, day: fd, doc: statusDoc(p, dangvu.StatusRemoved), issuer: "Ban Thường vụ " + decider(o, fd), outcome: dangvu.OutcomeRejected})
	}
	return f
}

func statusDoc(p *person, st dangvu.Status) string {
	for _, x := range p.statuses {
		if x.code == st {
			return x.doc
		}
	}
	return ""
}

// knownSince is when an introducer began to work or live with the candidate: the later of their
// own arrival in the cell and a few years back.
func knownSince(r *rand.Rand, p *person, o *org, d date) string {
	since := d - date(400+r.IntN(1500))
	for _, s := range p.stints {
		if s.org == o && s.from <= d && d < s.to && s.from > since {
			since = s.from
		}
	}
	return since.String()
}

// candidates opens files still in progress on Today in cells under Uông Bí's wards: some early,
// some waiting for a decision (one overdue), some waiting for their ceremony (one late).
func (w *world) candidates(r *rand.Rand) {
	type plan struct {
		last     dangvu.AdmissionStage
		cellVote date // for files that reached the cell's vote
	}
	plans := []plan{
		{dangvu.StageTraining, 0}, {dangvu.StageCertificate, 0}, {dangvu.StageApplication, 0}, {dangvu.StageIntroducers, 0},
		{dangvu.StageCommitteeVote, workBefore(today, 75)}, // decision overdue
		{dangvu.StageCommitteeVote, workBefore(today, 52)}, // decision due within days
		{dangvu.StageCommitteeVote, workBefore(today, 20)},
		{dangvu.StageDecision, workBefore(today, 70)}, // ceremony late
		{dangvu.StageDecision, workBefore(today, 38)}, // ceremony due within days
	}
	for i, pl := range plans {
		var o *org
		for o == nil {
			c := w.pickOrg(r, "UB", today, nil, byAdmit)
			if c != nil && c.at(today) != nil && c.at(today).level == dangvu.LevelCell {
				o = c
			}
		}
		gender := dangvu.Male
		if chance(r, 0.45) {
			gender = dangvu.Female
		}
		born := ymd(1992+r.IntN(12), time.January, 1) + date(r.IntN(365))
		f := &admFile{id: fmt.Sprintf("HS-2026-%03d", i+1), org: o, name: gen.Person(r, gender), gender: gender, birth: born.String(), education: "12/12"}
		cv := pl.cellVote
		if cv == 0 {
			cv = today - date(10+r.IntN(20))
		}
		intro := cv - date(5+r.IntN(20))
		application := intro - date(30+r.IntN(30))
		cert := application - date(20+r.IntN(100))
		training := cert - date(30+r.IntN(100))
		entitled, senior := w.fullAt(o, intro)
		stages := []admStep{
			{stage: dangvu.StageTraining, day: training},
			{stage: dangvu.StageCertificate, day: cert, doc: fmt.Sprintf("GCN số %d", 100+r.IntN(900)), issuer: "Trung tâm Chính trị"},
			{stage: dangvu.StageApplication, day: application},
			{stage: dangvu.StageBackground, day: application + 20},
		}
		in := admStep{stage: dangvu.StageIntroducers, day: intro}
		if len(senior) >= 2 {
			in.people = []string{senior[0].id, senior[1].id}
			in.known = []string{knownSince(r, senior[0], o, intro), knownSince(r, senior[1], o, intro)}
		} else {
			in.override = "Người giới thiệu do đảng ủy phân công"
		}
		stages = append(stages, in)
		yes, present := vote(r, entitled)
		stages = append(stages, admStep{stage: dangvu.StageCellVote, day: cv, doc: fmt.Sprintf("NQ số %d-NQ/CB", 1+r.IntN(30)), entitled: max(entitled, 3), present: present, yes: yes})
		cyes, cpresent := vote(r, 9)
		stages = append(stages, admStep{stage: dangvu.StageCommitteeVote, day: workAfter(cv, 2), doc: fmt.Sprintf("NQ số %d-NQ/ĐU", 1+r.IntN(90)), entitled: 9, present: cpresent, yes: cyes})
		stages = append(stages, admStep{stage: dangvu.StageDecision, day: workAfter(cv, 10), doc: fmt.Sprintf("Số %d-QĐ/ĐU", 100+r.IntN(900)), issuer: "Ban Thường vụ Đảng ủy phường"})
		for _, s := range stages {
			f.steps = append(f.steps, s)
			if s.stage == pl.last {
				break
			}
		}
		w.adm.files = append(w.adm.files, f)
	}
}

func (w *world) writeAdmissions(s *sink) {
	for _, a := range w.adm.acts {
		s.row("life_acts", "id", a.id, "member_id", a.p.id, "kind", string(a.kind), "date", a.day.String(), "org_id", a.to.id, "document", a.document)
	}
	b := func(x bool) string {
		if x {
			return "1"
		}
		return "0"
	}
	num := strconv.Itoa
	for _, f := range w.adm.files {
		member := ""
		if f.p != nil {
			member = f.p.id
		}
		s.row("admission_files", "id", f.id, "org_id", f.org.id, "full_name", f.name, "gender", f.gender, "birth_date", f.birth,
			"education", f.education, "youth_union", b(f.youth), "member_id", member, "readmission", b(f.readmission), "note", "")
		for _, st := range f.steps {
			s.row("admission_steps", "file_id", f.id, "stage", string(st.stage), "date", st.day.String(), "document", st.doc, "issuer", st.issuer,
				"entitled", num(st.entitled), "present", num(st.present), "yes", num(st.yes), "people", strings.Join(st.people, ";"),
				"known", strings.Join(st.known, ";"), "outcome", st.outcome, "override", st.override, "attachment", "", "note", st.note)
		}
	}
}
