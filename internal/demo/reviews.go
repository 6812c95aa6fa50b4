package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"dangvu"
	"dangvu/internal/rules/review"
)

// reviewsWorld holds the demo's review records: yearly campaigns of the Uông Bí city committee
// for 2016–2024 and of the three new wards for 2025, with every member's and organisation's
// rating; the 2017 review of the city standing committee and its members tied to Resolution 4
// (the seed article's P1), and the ward committees' collective reviews of 2018 attended by the
// city's standing member in charge (P2).
type reviewsWorld struct {
	campaigns []*campaign
}

type campaign struct {
	id, name string
	org      *org
	from, to date
	ruleSet  string
	steps    [][2]string
	reviews  []*drawnReview
}

type drawnReview struct {
	id, kind       string
	p              *person
	org, decider   *org
	strengths      string
	faults, causes string
	points         string
	onTime         bool
	beyond         int
	self, proposed dangvu.Rating
	final          dangvu.Rating
	selfOn, propOn date
	decidedOn      date
	decision       string
	comments       string
	attendance     string
	trigger, tnote string
	excluded       string
	marks          [][2]string
	remedies       []*remedy
}

type remedy struct {
	id, content, owner string
	due                date
	done               date // open when not met
	evidence           string
}

// grassrootsOf is the grassroots organisation an organisation lies in on d (itself if one).
func grassrootsOf(o *org, d date) *org {
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

// buildReviews fills w.rev.
func (w *world) buildReviews(r *rand.Rand) {
	for y := 2016; y <= 2025; y++ {
		if y < 2025 {
			w.campaign(r, w.ub, y)
			continue
		}
		for _, nw := range newWards {
			w.campaign(r, w.byID[nw.id], y)
		}
	}
	w.remediedBeforeExcellent()
	w.standingCommittee2017(r)
	w.wardCollectives2018(r)
}

// remediedBeforeExcellent: QĐ 366 rates "excellent" only someone who remedied every shortcoming
// pointed out before (Điều 11 khoản 1 điểm 1.4). A member rated excellent for 2025 has met the
// remedies of their 2024 review, on their deadline. No random draw: the other phases' data stay.
func (w *world) remediedBeforeExcellent() {
	prev := map[*person]*drawnReview{}
	for _, c := range w.rev.campaigns {
		if c.to.year() != 2024 {
			continue
		}
		for _, rv := range c.reviews {
			if rv.p != nil && rv.kind == "member" {
				prev[rv.p] = rv
			}
		}
	}
	for _, c := range w.rev.campaigns {
		if c.to.year() != 2025 {
			continue
		}
		for _, rv := range c.reviews {
			if rv.p == nil || rv.final != dangvu.RatingExcellent || prev[rv.p] == nil {
				continue
			}
			for _, rm := range prev[rv.p].remedies {
				if rm.done == 0 && rm.due < c.to {
					rm.done, rm.evidence = rm.due, "Chi bộ đánh giá đã khắc phục (biên bản sinh hoạt chi bộ)"
				}
			}
		}
	}
}

// memberYears are the years whose campaigns carry every member's review; the others carry the
// organisations' ratings only, which keeps the demo's load time small (each year of members adds
// about 6.500 rows and 0,3 s to the import).
var memberYears = map[int]bool{2017: true, 2018: true, 2024: true, 2025: true}

// Ratings are drawn so that each grassroots organisation's excellent members stay within the
// quota (20% of those rated good) and a few are not completed.
func (w *world) campaign(r *rand.Rand, root *org, year int) {
	from, to := ymd(year, 1, 1), ymd(year, 12, 31)
	code := strings.TrimPrefix(root.id, "QN-")
	c := &campaign{id: fmt.Sprintf("RV%d-%s", year, code), name: fmt.Sprintf("Kiểm điểm, đánh giá, xếp loại năm %d", year), org: root, from: from, to: to,
		ruleSet: review.For(to.time()).Code}
	c.steps = [][2]string{{dangvu.StepSelf, ymd(year, 12, 10).String()}, {dangvu.StepComment, ymd(year, 12, 20).String()},
		{dangvu.StepDecision, ymd(year+1, 1, 15).String()}, {dangvu.StepUpward, ymd(year+1, 1, 31).String()}}
	w.rev.campaigns = append(w.rev.campaigns, c)
	decided := ymd(year+1, 1, 10)
	checked := c.ruleSet != "legacy"
	byDecider := map[*org][]*drawnReview{}
	for _, p := range w.people {
		if !memberYears[year] {
			break
		}
		st := p.stintAt(to)
		if st == nil || !st.org.under(root, to) {
			continue
		}
		status := p.statusAt(to)
		if status != dangvu.StatusFull && status != dangvu.StatusProbationary && status != dangvu.StatusExempt {
			continue
		}
		g := grassrootsOf(st.org, to)
		if g == nil {
			g = st.org
		}
		rv := &drawnReview{id: c.id + "-M-" + p.id, kind: "member", p: p, org: st.org, decider: g}
		c.reviews = append(c.reviews, rv)
		switch {
		case status == dangvu.StatusExempt:
			rv.excluded = "Được miễn công tác và sinh hoạt đảng"
			continue
		case checked && p.admitted.time().AddDate(0, 6, 0).After(to.time()):
			rv.excluded = "Mới kết nạp, chưa đủ 6 tháng"
			continue
		}
		rv.selfOn, rv.propOn, rv.decidedOn = within(r, ymd(year, 11, 25), ymd(year, 12, 11)), within(r, ymd(year, 12, 12), ymd(year, 12, 21)), decided
		x := r.Float64()
		switch {
		case x < 0.012:
			rv.final = dangvu.RatingNotCompleted
		case x < 0.14:
			rv.final = dangvu.RatingCompleted
		case x < 0.28:
			rv.final = dangvu.RatingExcellent
		default:
			rv.final = dangvu.RatingGood
		}
		byDecider[g] = append(byDecider[g], rv)
	}
	for _, rvs := range byDecider {
		quota(rvs)
	}
	for _, rv := range c.reviews {
		if rv.final == "" {
			continue
		}
		rv.proposed, rv.self = rv.final, rv.final
		if rv.final == dangvu.RatingNotCompleted {
			rv.self = dangvu.RatingCompleted
			if chance(r, 0.5) {
				rv.trigger, rv.tnote = review.TriggerDiscipline, "Bị kỷ luật khiển trách trong năm (theo biên bản họp chi bộ)"
			}
		}
		if c.ruleSet == "qd366" {
			w.points(r, rv)
		}
		if rv.final != dangvu.RatingExcellent && chance(r, 0.04) {
			w.memberFault(r, rv, year)
		}
	}
	w.orgReviews(r, c, root, decided)
}

// quota keeps excellent within 20% of good (QĐ 132 and after), turning the extra into good.
func quota(rvs []*drawnReview) {
	var exc []*drawnReview
	good := 0
	for _, rv := range rvs {
		switch rv.final {
		case dangvu.RatingExcellent:
			exc = append(exc, rv)
		case dangvu.RatingGood:
			good++
		}
	}
	for len(exc)*5 > good {
		exc[len(exc)-1].final = dangvu.RatingGood
		exc = exc[:len(exc)-1]
		good++
	}
}

// points gives a QĐ 366 review a total consistent with its rating (Art. 11 bands).
func (w *world) points(r *rand.Rand, rv *drawnReview) {
	var p int
	rv.onTime = true
	switch rv.final {
	case dangvu.RatingExcellent:
		p, rv.beyond = 90+r.IntN(8), 30+r.IntN(21)
	case dangvu.RatingGood:
		p = 70 + r.IntN(20)
	case dangvu.RatingCompleted:
		p, rv.onTime = 50+r.IntN(20), chance(r, 0.3)
	default:
		p, rv.onTime = 35+r.IntN(15), false
	}
	rv.points = strconv.Itoa(p)
}

// Faults members commonly name against Resolution 4, with the manifestation they tick.
var memberFaults = []struct{ code, fault, remedy string }{
	{"1.3", "Chưa dành thời gian nghiên cứu nghị quyết của Đảng", "Tự học, nghiên cứu nghị quyết, ghi sổ tay đảng viên"},
	{"1.4", "Có lúc làm việc còn qua loa, chậm tiến độ", "Lập kế hoạch công việc hằng tháng, báo cáo chi bộ"},
	{"1.5", "Trong sinh hoạt chi bộ còn ngại góp ý, phê bình", "Thẳng thắn góp ý, phê bình trong sinh hoạt chi bộ"},
	{"2.5", "Có lúc chưa sâu sát, lắng nghe ý kiến nhân dân", "Tham gia sinh hoạt khu dân cư, tiếp nhận phản ánh của nhân dân"},
}

func (w *world) memberFault(r *rand.Rand, rv *drawnReview, year int) {
	f := pick(r, memberFaults...)
	rv.faults, rv.causes = f.fault, "Chủ quan, chưa thường xuyên tự rèn luyện"
	rv.marks = append(rv.marks, [2]string{f.code, f.fault + " (tự nhận)"})
	due := ymd(year+1, 6, 30)
	rm := &remedy{id: rv.id + "-R1", content: f.remedy, owner: rv.p.name, due: due}
	// Remedies of the years before 2024 were all met, a few late; of 2024 most; of 2025 none yet.
	switch {
	case year < 2024:
		rm.done = within(r, ymd(year+1, 2, 1), due+60)
	case year == 2024 && chance(r, 0.7):
		rm.done = within(r, ymd(year+1, 2, 1), due)
	}
	if rm.done != 0 {
		rm.evidence = "Chi bộ đánh giá đã khắc phục (biên bản sinh hoạt chi bộ)"
	}
	rv.remedies = append(rv.remedies, rm)
}

// orgReviews rates every organisation under the campaign's: cells by their grassroots
// committee, grassroots organisations by the campaign's organisation.
func (w *world) orgReviews(r *rand.Rand, c *campaign, root *org, decided date) {
	byDecider := map[*org][]*drawnReview{}
	for _, o := range w.orgs {
		v := o.at(c.to)
		if o == root || v == nil || !o.under(root, c.to) {
			continue
		}
		decider := v.parent
		if !v.level.IsGrassroots() {
			if g := grassrootsOf(o, c.to); g != nil {
				decider = g
			}
		}
		rv := &drawnReview{id: c.id + "-O-" + o.id, kind: "org", org: o, decider: decider, decidedOn: decided}
		rv.selfOn, rv.propOn = ymd(c.to.year(), 12, 15), ymd(c.to.year(), 12, 22)
		x := r.Float64()
		switch {
		case x < 0.02:
			rv.final = dangvu.RatingNotCompleted
		case x < 0.12:
			rv.final = dangvu.RatingCompleted
		case x < 0.30:
			rv.final = dangvu.RatingExcellent
		default:
			rv.final = dangvu.RatingGood
		}
		rv.self, rv.proposed = rv.final, rv.final
		if c.ruleSet == "qd366" {
			w.points(r, rv)
		}
		c.reviews = append(c.reviews, rv)
		byDecider[decider] = append(byDecider[decider], rv)
	}
	for _, rvs := range byDecider {
		quota(rvs)
	}
	// The self and proposed ratings follow the final one after the quota.
	for _, rv := range c.reviews {
		if rv.kind == "org" {
			rv.self, rv.proposed = rv.final, rv.final
		}
	}
}

// standingCommittee2017 is the seed article's P1: the city standing committee's collective
// review of 2017 and each member's, tied to Resolution 4, with strengths, faults, items to add
// and remedies with deadlines, reported to the executive committee.
func (w *world) standingCommittee2017(r *rand.Rand) {
	c := w.rev.campaigns[1] // 2017
	d := ymd(2017, 12, 28)
	att := "Các đồng chí Ủy viên Ban Thường vụ Thành ủy; đồng chí Ủy viên Ban Thường vụ Tỉnh ủy phụ trách địa bàn; đại diện Ban Tổ chức Tỉnh ủy, Ủy ban Kiểm tra Tỉnh ủy"
	col := &drawnReview{id: c.id + "-C-UB", kind: "collective", org: w.ub, decider: w.qn, selfOn: ymd(2017, 12, 20), propOn: d, decidedOn: ymd(2018, 1, 15),
		strengths: "Lãnh đạo học tập, quán triệt Nghị quyết Trung ương 4 khóa XII kịp thời; ban hành chương trình hành động; tăng cường kiểm tra, giám sát",
		faults:    "Việc tự phê bình và phê bình ở một số chi bộ còn nể nang; chậm cụ thể hóa việc xây dựng đề án vị trí việc làm ở một số cơ quan",
		causes:    "Một số cấp ủy chưa quyết liệt; chưa thường xuyên kiểm tra việc thực hiện",
		comments:  "Hội nghị Ban Chấp hành Đảng bộ thành phố góp ý; kết quả báo cáo Ban Chấp hành", attendance: att,
		self: dangvu.RatingGood, proposed: dangvu.RatingGood, final: dangvu.RatingGood, decision: "Kết quả báo cáo Ban Thường vụ Tỉnh ủy",
		marks: [][2]string{{"1.5", "Trong tự phê bình, phê bình ở một số chi bộ còn nể nang, né tránh"}, {"1.4", "Một số nhiệm vụ triển khai còn chậm"}}}
	col.remedies = []*remedy{
		{id: col.id + "-R1", content: "Chỉ đạo 100% chi bộ kiểm điểm gắn với 27 biểu hiện suy thoái", owner: "Ban Thường vụ Thành ủy", due: ymd(2018, 6, 30), done: ymd(2018, 6, 20), evidence: "Báo cáo số 210-BC/TU"},
		{id: col.id + "-R2", content: "Hoàn thành đề án vị trí việc làm ở các cơ quan, đơn vị", owner: "Ban Tổ chức Thành ủy", due: ymd(2018, 9, 30), done: ymd(2018, 10, 15), evidence: "Quyết định phê duyệt đề án vị trí việc làm"},
	}
	c.reviews = append(c.reviews, col)
	n := 0
	seen := map[*person]bool{}
	for _, p := range w.posts {
		if p.org != w.ub || p.p == nil || seen[p.p] || p.from > d || p.to <= d || (p.role != dangvu.RoleSecretary && p.role != dangvu.RoleDeputySecretary && p.role != dangvu.RoleStanding) {
			continue
		}
		seen[p.p] = true
		n++
		f := memberFaults[n%len(memberFaults)]
		rv := &drawnReview{id: c.id + "-K-" + p.p.id, kind: "cadre", p: p.p, org: w.ub, decider: w.qn, selfOn: ymd(2017, 12, 20), propOn: d, decidedOn: ymd(2018, 1, 15),
			strengths: "Gương mẫu thực hiện Nghị quyết Trung ương 4 khóa XII; hoàn thành nhiệm vụ lĩnh vực được phân công",
			faults:    f.fault, causes: "Khối lượng công việc lớn; có lúc chưa sắp xếp hợp lý", comments: "Ban Thường vụ góp ý; bổ sung: cần sâu sát cơ sở hơn", attendance: att,
			self: dangvu.RatingGood, proposed: dangvu.RatingGood, final: dangvu.RatingGood,
			marks: [][2]string{{f.code, f.fault}}}
		if n == 1 {
			rv.final, rv.proposed = dangvu.RatingExcellent, dangvu.RatingExcellent
		}
		rv.remedies = []*remedy{{id: rv.id + "-R1", content: f.remedy, owner: p.p.name, due: ymd(2018, 6, 30), done: within(r, ymd(2018, 3, 1), ymd(2018, 7, 31)), evidence: "Kiểm điểm giữa năm 2018 của Ban Thường vụ"}}
		c.reviews = append(c.reviews, rv)
	}
}

// wardCollectives2018 is P2: the ward and commune committees' collective reviews of 2018, the
// city standing member in charge and the party-building boards attending, each key cadre
// committing to a deadline for each remedy.
func (w *world) wardCollectives2018(r *rand.Rand) {
	c := w.rev.campaigns[2] // 2018
	for _, o := range w.orgs {
		v := o.at(c.to)
		if v == nil || v.parent != w.ub || (v.kind != dangvu.KindWard && v.kind != dangvu.KindCommune) {
			continue
		}
		rv := &drawnReview{id: c.id + "-C-" + o.id, kind: "collective", org: o, decider: w.ub, selfOn: ymd(2018, 12, 18), propOn: ymd(2018, 12, 26), decidedOn: ymd(2019, 1, 10),
			strengths:  "Lãnh đạo hoàn thành các chỉ tiêu kinh tế - xã hội; thực hiện nghiêm Nghị quyết Trung ương 4",
			faults:     "Chất lượng sinh hoạt một số chi bộ khu dân cư chưa cao",
			causes:     "Cấp ủy chưa thường xuyên dự sinh hoạt chi bộ",
			comments:   "Các đồng chí dự họp góp ý; đồng chí bí thư cam kết thời hạn khắc phục",
			attendance: "Đồng chí Ủy viên Ban Thường vụ Thành ủy phụ trách " + o.placeName() + "; đại diện Ban Tổ chức, Ban Tuyên giáo, Ủy ban Kiểm tra Thành ủy",
			self:       dangvu.RatingGood, proposed: dangvu.RatingGood, final: dangvu.RatingGood,
			marks: [][2]string{{"1.5", "Tự phê bình và phê bình ở một số chi bộ còn nể nang"}}}
		rm := &remedy{id: rv.id + "-R1", content: "Cấp ủy viên phụ trách dự sinh hoạt chi bộ khu dân cư hằng tháng", owner: "Bí thư Đảng ủy " + o.placeName(), due: ymd(2019, 6, 30)}
		rm.done, rm.evidence = within(r, ymd(2019, 3, 1), ymd(2019, 8, 1)), "Sổ theo dõi dự sinh hoạt chi bộ"
		rv.remedies = append(rv.remedies, rm)
		c.reviews = append(c.reviews, rv)
	}
	// The 2025 ward collectives leave remedies due in 2026: some overdue today.
	for _, c := range w.rev.campaigns[len(w.rev.campaigns)-3:] {
		rv := &drawnReview{id: c.id + "-C-" + c.org.id, kind: "collective", org: c.org, decider: w.qn, selfOn: ymd(2025, 12, 12), propOn: ymd(2025, 12, 20), decidedOn: ymd(2026, 1, 12),
			strengths: "Ổn định tổ chức sau hợp nhất; vận hành chính quyền hai cấp", faults: "Một số chi bộ chưa kịp kiện toàn cấp ủy sau sắp xếp",
			causes: "Khối lượng công việc sau sắp xếp lớn", comments: "Đại diện Ban Tổ chức Tỉnh ủy dự và góp ý",
			attendance: "Đồng chí Tỉnh ủy viên phụ trách địa bàn; đại diện Ban Tổ chức Tỉnh ủy", points: strconv.Itoa(78 + r.IntN(8)), onTime: true,
			self: dangvu.RatingGood, proposed: dangvu.RatingGood, final: dangvu.RatingGood}
		rv.remedies = []*remedy{
			{id: rv.id + "-R1", content: "Kiện toàn cấp ủy các chi bộ sau sắp xếp", owner: "Ban Thường vụ Đảng ủy phường", due: ymd(2026, 6, 30)},
			{id: rv.id + "-R2", content: "Số hóa hồ sơ đảng viên toàn đảng bộ", owner: "Văn phòng Đảng ủy phường", due: ymd(2026, 12, 31)},
		}
		c.reviews = append(c.reviews, rv)
	}
}

func (w *world) writeReviews(s *sink) {
	for _, c := range w.rev.campaigns {
		s.row("campaigns", "id", c.id, "org_id", c.org.id, "name", c.name, "period_kind", "year", "from", c.from.String(), "to", c.to.String(),
			"rule_set", c.ruleSet, "opened_on", ymd(c.to.year(), 10, 15).String(), "document", fmt.Sprintf("Kế hoạch kiểm điểm năm %d", c.to.year()))
		for _, st := range c.steps {
			s.row("campaign_steps", "campaign_id", c.id, "step", st[0], "due", st[1])
		}
		for _, rv := range c.reviews {
			member := ""
			if rv.p != nil {
				member = rv.p.id
			}
			on := func(d date) string {
				if d == 0 {
					return ""
				}
				return d.String()
			}
			s.row("reviews", "id", rv.id, "campaign_id", c.id, "kind", rv.kind, "member_id", member, "org_id", rv.org.id, "decider_id", rv.decider.id,
				"strengths", rv.strengths, "faults", rv.faults, "causes", rv.causes, "points", rv.points, "tasks_on_time", map[bool]string{true: "1", false: "0"}[rv.onTime],
				"tasks_beyond_pct", strconv.Itoa(rv.beyond), "self_rating", string(rv.self), "self_on", on(rv.selfOn), "comments", rv.comments,
				"attendance", rv.attendance, "proposed_rating", string(rv.proposed), "proposed_on", on(rv.propOn), "final_rating", string(rv.final),
				"decided_on", on(rv.decidedOn), "decision", rv.decision, "trigger", rv.trigger, "trigger_note", rv.tnote, "excluded", rv.excluded)
			for _, m := range rv.marks {
				s.row("review_marks", "review_id", rv.id, "code", m[0], "explanation", m[1])
			}
			for _, m := range rv.remedies {
				st := dangvu.RemedyOpen
				if m.done != 0 {
					st = dangvu.RemedyDone
				}
				s.row("remedies", "id", m.id, "review_id", rv.id, "content", m.content, "owner", m.owner, "due", m.due.String(), "status", st,
					"done_on", on(m.done), "evidence", m.evidence)
			}
		}
	}
}
