package gen

import (
	"cmp"
	"slices"
	"strconv"

	"dangvu"
	"dangvu/internal/rules/discipline"
)

// Inspection and discipline records of the national set: each province's and the centre's 2025
// programme with a round of the standing committee and one of the inspection commission, a
// supervision round in a third of the grassroots committees in 2024, a warning to one cell of
// each province, and the decisions on members (every expulsion in the members' histories and
// a reprimand or warning to about 2% of members from 2020). The deciding body is the nearest one
// above the subject that the discipline rules in force on the decision date allow
// (discipline.Check, as the import checks it).

var inspFields = [][2]string{{"can_bo", "Công tác cán bộ"}, {"dat_dai", "Quản lý, sử dụng đất đai"}, {"tai_chinh", "Tài chính, ngân sách"}}

// bodiesFor lists the bodies of an organisation of level l that may decide discipline, most
// usual first.
func bodiesFor(l dangvu.Level) []dangvu.Body {
	switch {
	case l.IsCell():
		return []dangvu.Body{dangvu.BodyCell}
	case l == dangvu.LevelGrassrootsCommittee:
		return []dangvu.Body{dangvu.BodyGrassroots}
	case l == dangvu.LevelPartialCommittee:
		return nil
	}
	return []dangvu.Body{dangvu.BodyStanding, dangvu.BodyCommission, dangvu.BodyExecutive}
}

// authority finds the nearest organisation above (or, for a member, at) o on the day before
// decided, in force on decided, with a body allowed to impose c.Form on c.Subject.
func (g *nat) authority(o int32, c discipline.Case, decided day) (int32, dangvu.Body, bool) {
	before := decided - 1
	if c.Subject == discipline.Organisation {
		o = g.parentAt(o, before)
	}
	for ; o >= 0; o = g.parentAt(o, before) {
		if !g.inForce(o, decided) {
			continue
		}
		for _, b := range bodiesFor(g.orgs[o].level) {
			c.Body, c.AuthorityLevel, c.AuthorityCovers = b, g.orgs[o].level, true
			if len(discipline.Check(c)) == 0 {
				return o, b, true
			}
		}
	}
	return -1, "", false
}

func disciplineRow(id, member, org string, form dangvu.DisciplineForm, auth string, body dangvu.Body, violation, decided, effective day, number, reason string) []string {
	return []string{id, "", member, org, string(form), auth, string(body), iso(violation), "", iso(decided), iso(effective), number, reason, "", "", "", "", ""}
}

// writeInspectionTree writes the organisations' inspection records, in key order.
func (g *nat) writeInspectionTree(w *counter, order []int32) error {
	for _, f := range inspFields {
		if err := w.Row("inspection_fields", []string{f[0], f[1]}); err != nil {
			return err
		}
	}
	upper := []int32{}
	for _, i := range order {
		if o := &g.orgs[i]; (o.role == roleRoot || o.level == dangvu.LevelProvince) && g.inForce(i, mkday(2025, 1, 15)) {
			upper = append(upper, i)
		}
	}
	for _, i := range upper {
		o := &g.orgs[i]
		if err := w.Row("inspection_programmes", []string{"CTKT2025-" + o.id, o.id, string(dangvu.BodyStanding), "2025",
			"Chương trình kiểm tra, giám sát năm 2025 của " + o.name, "Số " + strconv.Itoa(1+int(g.hash(10, uint64(i))%50)) + "-CTr/" + o.issuer}); err != nil {
			return err
		}
	}
	type subj struct {
		org     int32
		finding string
	}
	type round struct {
		id, prog      string
		org           int32
		body          dangvu.Body
		kind          dangvu.InspectionKind
		title, issuer string
		decided       day
		subjects      []subj
	}
	var rounds []round
	// children lists the organisations directly under o on d, in id order.
	children := func(o int32, d day) []int32 {
		var out []int32
		for _, i := range order {
			if g.orgs[i].parent == o && g.parentAt(i, d) == o && g.inForce(i, d) {
				out = append(out, i)
			}
		}
		return out
	}
	finding := func(k uint64) string {
		if g.hash(11, k)%4 == 0 {
			return string(dangvu.FindingViolation)
		}
		return string(dangvu.FindingNone)
	}
	// The root's children are many: look them up once.
	var rootKids []int32
	for _, i := range upper {
		if g.orgs[i].parent >= 0 {
			rootKids = append(rootKids, i)
		}
	}
	for _, i := range upper {
		o := &g.orgs[i]
		d := mkday(2025, 3, 3) + day(g.hash(12, uint64(i))%20)
		kids := rootKids
		if o.parent >= 0 {
			kids = children(i, d)
		}
		if len(kids) == 0 {
			continue
		}
		r := round{id: "KT2025-" + o.id + "-1", prog: "CTKT2025-" + o.id, org: i, body: dangvu.BodyStanding, kind: dangvu.KindSupervisionThematic,
			title: "Giám sát chuyên đề việc lãnh đạo thực hiện Nghị quyết số 57-NQ/TW", issuer: o.issuer, decided: d}
		for k := 0; k < min(2, len(kids)); k++ {
			r.subjects = append(r.subjects, subj{kids[k], finding(uint64(kids[k]))})
		}
		rounds = append(rounds, r,
			round{id: "KT2025-" + o.id + "-2", prog: "CTKT2025-" + o.id, org: i, body: dangvu.BodyCommission, kind: dangvu.KindFinance,
				title: "Kiểm tra tài chính đảng năm 2024", issuer: "UBKT" + o.issuer, decided: d + 7,
				subjects: []subj{{kids[len(kids)-1], finding(uint64(kids[len(kids)-1]) + 1)}}})
	}
	for _, i := range order {
		o := &g.orgs[i]
		if o.level != dangvu.LevelGrassrootsCommittee || g.hash(13, uint64(i))%3 != 0 || o.lo >= o.hi {
			continue
		}
		d := mkday(2024, 3, 1) + day(g.hash(14, uint64(i))%180)
		if !g.inForce(i, d) || !g.inForce(o.lo, d) || g.parentAt(o.lo, d) != i {
			continue
		}
		rounds = append(rounds, round{id: "KT2024-" + o.id, org: i, body: dangvu.BodyGrassroots, kind: dangvu.KindSupervisionRegular,
			title: "Giám sát việc thực hiện nguyên tắc tập trung dân chủ và chế độ sinh hoạt chi bộ", issuer: o.issuer, decided: d,
			subjects: []subj{{o.lo, finding(uint64(o.lo))}}})
	}
	slices.SortFunc(rounds, func(a, b round) int { return cmp.Compare(a.id, b.id) })
	for _, r := range rounds {
		o := &g.orgs[r.org]
		fields := inspFields[g.hash(15, uint64(r.org))%uint64(len(inspFields))][0]
		if err := w.Row("inspection_rounds", []string{r.id, r.prog, o.id, string(r.body), string(r.kind), r.title,
			"Số " + strconv.Itoa(1+int(g.hash(16, uint64(r.org))%200)) + "-QĐ/" + r.issuer, iso(r.decided), fields,
			"Đoàn " + strconv.Itoa(1+int(g.hash(17, uint64(r.org))%9)), iso(r.decided + 5), iso(r.decided + 35),
			string(dangvu.StageConcluded), iso(r.decided + 5), iso(r.decided + 40)}); err != nil {
			return err
		}
	}
	for _, r := range rounds {
		slices.SortFunc(r.subjects, func(a, b subj) int { return cmp.Compare(g.orgs[a.org].id, g.orgs[b.org].id) })
		for _, s := range r.subjects {
			sev, concl := "", "Lãnh đạo, chỉ đạo thực hiện đúng quy định"
			if s.finding == string(dangvu.FindingViolation) {
				sev, concl = "minor", "Có khuyết điểm, vi phạm chưa đến mức phải xử lý kỷ luật; yêu cầu kiểm điểm, khắc phục"
			}
			if err := w.Row("inspection_subjects", []string{r.id, g.orgs[s.org].id, "", s.finding, sev, concl, "", "", ""}); err != nil {
				return err
			}
		}
	}

	// A warning to one cell of each of the 63 provinces (a report places it on the tree of the
	// day before the decision), decided by the nearest committee above allowed to.
	warned := make([]bool, len(g.provs))
	for _, i := range order {
		o := &g.orgs[i]
		if o.level != dangvu.LevelCell {
			continue
		}
		pi := g.provOfOrg(i)
		if warned[pi] {
			continue
		}
		decided := mkday(2024, 10, 1) + day(g.hash(18, uint64(i))%60)
		if !g.inForce(i, decided-1) {
			continue
		}
		c := discipline.Case{Subject: discipline.Organisation, Form: dangvu.FormWarning,
			ViolationOn: dateOf(decided - 200), DecidedOn: dateOf(decided), EffectiveOn: dateOf(decided)}
		auth, body, ok := g.authority(i, c, decided)
		if !ok {
			continue
		}
		warned[pi] = true
		if err := w.Row("disciplines", disciplineRow("KL-C-"+o.id, "", o.id, dangvu.FormWarning, g.orgs[auth].id, body,
			decided-200, decided, decided, "Số "+strconv.Itoa(100+int(g.hash(19, uint64(i))%800))+"-QĐ/"+g.orgs[auth].issuer,
			"Buông lỏng lãnh đạo, để nhiều đảng viên vi phạm quy định về sinh hoạt đảng")); err != nil {
			return err
		}
	}
	return nil
}

var sanctionReasons = []string{"Vi phạm quy định về những điều đảng viên không được làm", "Vi phạm chính sách dân số và kế hoạch hóa gia đình",
	"Thiếu trách nhiệm trong thực hiện nhiệm vụ được giao", "Vi phạm quy định về quản lý, sử dụng đất đai", "Không thực hiện đúng chế độ sinh hoạt đảng"}

// disciplineRows appends member i's discipline decisions: the decision behind an expulsion in
// the history, and now and then a reprimand or warning to a member in the party.
func (m *memberGen) disciplineRows(i int, f *memberFacts) {
	g, r, rb := m.g, m.r, &m.rb
	cellOn := func(d day) int32 {
		for _, x := range m.ms {
			if !x.temp && x.from <= d && (x.to == 0 || d < x.to) {
				return x.org
			}
		}
		return -1
	}
	add := func(k int, form dangvu.DisciplineForm, violation, decided, effective day, number, reason string) {
		subject := discipline.FullMember
		if !f.isFull || decided-1 < f.full {
			subject = discipline.ProbationaryMember
		}
		cell := cellOn(decided - 1)
		if cell < 0 {
			return
		}
		c := discipline.Case{Subject: subject, Form: form, ViolationOn: dateOf(violation), DecidedOn: dateOf(decided), EffectiveOn: dateOf(effective)}
		auth, body, ok := g.authority(cell, c, decided)
		if !ok {
			return
		}
		rb.row("disciplines")
		for _, v := range disciplineRow(string(appendMemberID([]byte("KL-"), i))+"-"+strconv.Itoa(k), memberID(i), "", form,
			g.orgs[auth].id, body, violation, decided, effective, number, reason) {
			rb.s(v)
		}
	}
	if f.exitStatus == dangvu.StatusExpelled {
		decided := max(f.exit-day(r.IntN(10)), f.full+1)
		if decided == dReorg {
			decided--
		}
		add(1, dangvu.FormExpulsion, decided-day(30+r.IntN(150)), decided, f.exit, docText(f.exitDoc), f.exitReason)
		return
	}
	if r.IntN(1000) >= 20 {
		return
	}
	lo, hi := max(f.adm+60, mkday(2020, 1, 1)), dAsOf
	if f.exit != 0 {
		hi = min(hi, f.exit)
	}
	if hi <= lo+1 {
		return
	}
	decided := between(r, lo+1, hi)
	if decided == dReorg {
		decided++
	}
	form := dangvu.FormReprimand
	if r.IntN(3) == 0 {
		form = dangvu.FormWarning
	}
	if decided >= hi || !f.inParty(decided-1) {
		return
	}
	add(1, form, max(f.adm, decided-day(30+r.IntN(300))), decided, decided, docText(m.qd("ĐU")), sanctionReasons[r.IntN(len(sanctionReasons))])
}
