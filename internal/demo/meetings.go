package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"dangvu"
	"dangvu/internal/rules/meetings"
)

// meetingsWorld holds the demo's cell meetings and residence liaison (docs/meetings.md): the
// regular meeting of every cell of Uông Bí each month from 01/2015 (or the cell's founding) to
// 11/2026, a few missed and a few held after the day due; a thematic meeting most quarters;
// attendance by exception (a few members often absent, a few who reach three unexcused months
// in a year); the cell's own quality score with now and then the ward's review; minutes and
// resolution published, late now and then, those of this month not all yet; the December
// meeting planned; the monthly meetings of the three new ward committees from 07/2025; and the
// working members of agencies registered with the residential cell where they live, with the
// yearly comments (this year's requested, not all returned).
//
// It draws from its own stream and reads the world without changing it, so the other phases'
// rows and the article's figures stay as they were. Rows are kept in the exchange columns' order.
type meetingsWorld struct {
	meetings, attendance, decisions, links, comments [][]string
}

var (
	meetingsFrom    = dangvu.Month{Year: 2015, Mon: 1}
	meetingsHeldTo  = dangvu.Month{Year: 2026, Mon: 11} // this month: held by today
	residenceFrom   = ymd(2020, 3, 1)                   // 213-QĐ/TW (02/01/2020) and its guidance
	thematicTopics  = []string{"Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", "Công tác phát triển đảng viên", "Xây dựng nông thôn mới, đô thị văn minh", "Công tác bảo đảm an ninh trật tự ở cơ sở", "Chuyển đổi số và cải cách hành chính", "Công tác dân vận", "Phòng, chống tham nhũng, tiêu cực"}
	excusedReasons  = []string{"Ốm", "Đi công tác", "Nghỉ phép", "Việc gia đình", "Đi học", "Trực cơ quan"}
	unexcusedReason = []string{"", "Không báo", "Không báo trước"}
)

func (w *world) buildMeetings(r *rand.Rand) {
	mw := &w.meet
	// The members' propensity to miss: most rarely, a few often; a few members lapse in a year
	// (three unexcused months), for the three-month rule.
	often := map[*person]bool{}
	lapse := map[*person]map[int][]time.Month{}
	for _, p := range w.people {
		if chance(r, 0.03) {
			often[p] = true
		}
		for y := meetingsFrom.Year; y <= meetingsHeldTo.Year; y++ {
			if chance(r, 0.002) {
				n := 12
				if y == meetingsHeldTo.Year {
					n = int(meetingsHeldTo.Mon)
				}
				ms := r.Perm(n)[:3+r.IntN(2)]
				if lapse[p] == nil {
					lapse[p] = map[int][]time.Month{}
				}
				for _, m := range ms {
					lapse[p][y] = append(lapse[p][y], time.Month(m+1))
				}
			}
		}
	}
	secretaries := map[*org][]*post{}
	for _, x := range w.posts {
		if x.role == dangvu.RoleSecretary && x.p != nil {
			secretaries[x.org] = append(secretaries[x.org], x)
		}
	}
	nameAt := func(o *org, d date, roll []*person) string {
		for _, x := range secretaries[o] {
			if x.from <= d && d < x.to {
				return x.p.name
			}
		}
		if len(roll) > 0 {
			return roll[0].name
		}
		return ""
	}
	for _, o := range w.orgs {
		if !o.holds() || o.area != "UB" {
			continue
		}
		cellDay := 2 + r.IntN(9) // before CT 50 the cell chose its day
		late, sloppy := chance(r, 0.08), chance(r, 0.1)
		seq := map[int]int{} // resolutions numbered within the year
		for m := meetingsFrom; !meetingsHeldTo.Next().Before(m); m = m.Next() {
			first := ymd(m.Year, m.Mon, 1)
			rules := meetings.For(first.time())
			day := ymd(m.Year, m.Mon, cellDay)
			if p, _, ok := rules.Planned(cal, m.Year, m.Mon); ok {
				day = ymd(p.Year(), p.Month(), p.Day())
			}
			v := o.at(day)
			if v == nil || !v.level.IsCell() || o.at(first) == nil {
				continue
			}
			key := m.String()
			id := "MT-" + o.id + "-" + key + "-R"
			if m == meetingsHeldTo.Next() { // next month's meeting, planned
				mw.meetings = append(mw.meetings, meetingRow(id, o.id, dangvu.MeetingRegular, "", key, dangvu.MeetingPlanned, day.String(), ""))
				continue
			}
			if chance(r, 0.006) {
				row := meetingRow(id, o.id, dangvu.MeetingRegular, "", key, dangvu.MeetingMissed, day.String(), "")
				row[len(row)-1] = pick(r, "Trùng lịch bầu cử ở khu dân cư", "Bão, mưa lũ", "Chi ủy không chuẩn bị kịp nội dung", "Dịch bệnh: tạm dừng sinh hoạt tập trung")
				mw.meetings = append(mw.meetings, row)
				continue
			}
			held := day
			if late && chance(r, 0.2) || chance(r, 0.02) {
				held += date(5 + r.IntN(15))
			}
			if mEnd := first.addMonths(1) - 1; held > mEnd {
				held = mEnd
			}
			held = min(held, today)
			seq[m.Year]++
			combined := m.Mon%3 == 2 && (m.Year >= 2018 || chance(r, 0.5)) && chance(r, 0.9)
			w.heldMeeting(r, o, id, dangvu.MeetingRegular, "", key, day, held, combined, sloppy, seq[m.Year], often, lapse, nameAt)
			if combined { // the quarter's thematic meeting, in the same session
				seq[m.Year]++
				w.heldMeeting(r, o, "MT-"+o.id+"-"+key+"-T", dangvu.MeetingThematic, pick(r, thematicTopics...), key, day, held, true, sloppy, seq[m.Year], often, nil, nameAt)
			}
		}
	}
	w.committeeMeetings(r)
	w.residence(r)
}

// meetingRow is a meetings row with its identity; the rest is filled by the caller.
func meetingRow(id, org string, kind dangvu.MeetingKind, topic, month string, st dangvu.MeetingStatus, planned, held string) []string {
	row := make([]string, len(meetingColumns))
	row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7] = id, org, string(kind), topic, month, string(st), planned, held
	row[21], row[22] = "0", "0"
	return row
}

// meetingColumns is the meetings table's columns (internal/store's exchange table).
var meetingColumns = []string{"id", "org_id", "kind", "topic", "month", "status", "planned_on", "held_on", "place", "chair", "clerk",
	"duration_minutes", "content_results", "content_tasks", "content_issues", "prepared_by", "agreed_on", "liaison", "liaison_invited", "liaison_attended",
	"docs_sent_on", "on_roll", "present", "guests", "agenda", "discussion", "conclusions", "quality_points", "quality_band", "reviewed_points", "reviewed_band",
	"resolution_number", "resolution_text", "published_on", "note"}

func (w *world) heldMeeting(r *rand.Rand, o *org, id string, kind dangvu.MeetingKind, topic, month string, planned, held date, combined, sloppy bool, n int,
	often map[*person]bool, lapse map[*person]map[int][]time.Month, nameAt func(*org, date, []*person) string) {
	mw := &w.meet
	rules := meetings.For(held.time())
	var roll []*person
	for _, s := range w.roster[o] {
		if s.from <= held && held < s.to {
			if st := s.p.statusAt(held); st == dangvu.StatusProbationary || st == dangvu.StatusFull {
				roll = append(roll, s.p)
			}
		}
	}
	slices.SortFunc(roll, func(a, b *person) int { return int(a.admitted - b.admitted) })
	absent := 0
	var lines [][]string
	for _, p := range roll {
		mark, reason := "", ""
		switch {
		case lapse != nil && slices.Contains(lapse[p][held.year()], held.time().Month()):
			mark, reason = dangvu.AttendUnexcused, pick(r, unexcusedReason...)
		case chance(r, 0.025) || often[p] && chance(r, 0.15):
			mark, reason = dangvu.AttendExcused, pick(r, excusedReasons...)
			if chance(r, 0.15) {
				mark, reason = dangvu.AttendUnexcused, pick(r, unexcusedReason...)
			}
		case rules.RemoteAllowed && chance(r, 0.01):
			mark = dangvu.AttendRemote
		}
		if mark == "" {
			continue
		}
		if dangvu.AbsentMark(mark) {
			absent++
		}
		lines = append(lines, []string{id, p.id, mark, reason})
	}
	slices.SortFunc(lines, func(a, b []string) int { return cmpStr(a[1], b[1]) })
	mw.attendance = append(mw.attendance, lines...)
	present := len(roll) - absent

	row := meetingRow(id, o.id, kind, topic, month, dangvu.MeetingHeld, planned.String(), held.String())
	mins := 90 + 5*r.IntN(8)
	if combined {
		mins = 120 + 5*r.IntN(8)
	}
	place := "Hội trường " + o.placeName()
	if o.role == roleResidential {
		place = "Nhà văn hóa " + o.placeName()
	}
	chair := nameAt(o, held, roll)
	clerk := ""
	if len(roll) > 1 {
		clerk = roll[len(roll)-1].name
	}
	row[8], row[9], row[10], row[11] = place, chair, clerk, strconv.Itoa(mins)
	if kind == dangvu.MeetingRegular {
		row[12], row[13], row[14] = "Kết quả thực hiện nghị quyết tháng trước", "Nhiệm vụ trọng tâm tháng tới", pick(r, "Công tác phát triển đảng viên", "Thu nộp đảng phí", "Vệ sinh môi trường khu dân cư", "Công tác an ninh trật tự", "Thực hiện nhiệm vụ chuyên môn")
		row[15], row[16] = chair, (planned - 3).String()
	}
	if planned.year() >= 2025 && chance(r, 0.7) {
		row[17], row[18] = "Đồng chí đảng ủy viên phụ trách chi bộ", "1"
		if chance(r, 0.6) {
			row[19] = "1"
		}
	}
	if planned.year() >= 2025 {
		row[20] = (held - 1 - date(r.IntN(3))).String()
	}
	row[21], row[22] = strconv.Itoa(len(roll)), strconv.Itoa(present)
	row[24], row[26] = "1. Đánh giá kết quả tháng trước; 2. Nhiệm vụ tháng tới; 3. Thảo luận, biểu quyết", "Chi bộ thống nhất các nhiệm vụ trọng tâm"
	if kind == dangvu.MeetingThematic {
		row[24], row[26] = "Chuyên đề: "+topic, "Chi bộ thống nhất nội dung chuyên đề"
	}
	pts := 92 - r.IntN(20)
	switch {
	case sloppy:
		pts -= 10 + r.IntN(25)
	case chance(r, 0.01):
		pts -= 30
	}
	pts = max(pts, 30)
	band, _ := rules.Score("quality_points", pts)
	row[27], row[28] = strconv.Itoa(pts), string(band)
	if chance(r, 0.08) { // the ward reviewed the score
		rp := max(pts-r.IntN(12), 0)
		rb, _ := rules.Score("reviewed_points", rp)
		row[29], row[30] = strconv.Itoa(rp), string(rb)
	}
	row[31] = fmt.Sprintf("%02d-NQ/CB", n)
	row[32] = "Nghị quyết " + map[dangvu.MeetingKind]string{dangvu.MeetingRegular: "sinh hoạt chi bộ tháng ", dangvu.MeetingThematic: "sinh hoạt chuyên đề tháng "}[kind] + month[5:] + "/" + month[:4]
	var pub time.Time
	switch {
	case month == meetingsHeldTo.String() && chance(r, 0.1): // this month's, not yet published
	case chance(r, 0.03) || sloppy && chance(r, 0.2): // late
		pub = cal.Add(held.time(), rules.PublishWorkdays+1+r.IntN(6))
	default:
		pub = cal.Add(held.time(), r.IntN(rules.PublishWorkdays+1))
	}
	if !pub.IsZero() && !pub.After(today.time()) {
		row[33] = pub.Format(dangvu.DateLayout)
	}
	mw.meetings = append(mw.meetings, row)
	if present > 0 {
		against := 0
		if present > 3 && chance(r, 0.1) {
			against = 1
		}
		mw.decisions = append(mw.decisions, []string{id, "1", "Thông qua nghị quyết " + row[31], strconv.Itoa(present - against), strconv.Itoa(against), "0", "Thông qua"})
	}
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// committeeMeetings are the monthly meetings of the three new ward committees from 07/2025.
func (w *world) committeeMeetings(r *rand.Rand) {
	mw := &w.meet
	for _, nw := range newWards {
		o := w.byID[nw.id]
		for m := (dangvu.Month{Year: 2025, Mon: 7}); !meetingsHeldTo.Before(m); m = m.Next() {
			held := ymd(m.Year, m.Mon, 1+r.IntN(5))
			if held > today {
				continue
			}
			row := meetingRow("MT-"+o.id+"-"+m.String()+"-C", o.id, dangvu.MeetingCommittee, "", m.String(), dangvu.MeetingHeld, held.String(), held.String())
			roll := 11 + r.IntN(5)
			row[8], row[11] = "Trụ sở Đảng ủy phường "+nw.name, strconv.Itoa(120+15*r.IntN(4))
			row[21], row[22] = strconv.Itoa(roll), strconv.Itoa(roll-r.IntN(3))
			row[24] = "Đánh giá tình hình tháng; kiểm tra sinh hoạt các chi bộ; nhiệm vụ tháng tới"
			row[33] = cal.Add(held.time(), 1).Format(dangvu.DateLayout)
			if row[33] > today.String() {
				row[33] = ""
			}
			mw.meetings = append(mw.meetings, row)
		}
	}
}

// residence registers working members of agencies, public services and ward offices with the
// residential cell serving the area where they live, from 2020 (213-QĐ/TW), and writes the
// residence cell's yearly comments (33-HD/BTCTW): requested in November, returned before 15
// December; this year's requested, some not yet returned.
func (w *world) residence(r *rand.Rand) {
	mw := &w.meet
	// The residential cell serving each place members live in (as finishPeople wrote it).
	homes := map[string]*org{}
	for _, o := range w.orgs {
		if o.locality == nil || o.first().kind != dangvu.KindResidential {
			continue
		}
		town := ", thành phố Uông Bí, tỉnh Quảng Ninh"
		if o.area == "DT" {
			town = ", thị xã Đông Triều, tỉnh Quảng Ninh"
		}
		homes[o.locality.name+", "+o.first().parent.placeName()+town] = o
	}
	working := map[string]bool{roleCityOffice: true, roleWardOffice: true, roleAgency: true, roleSchool: true, roleHealth: true, roleService: true}
	n := 0
	for _, p := range w.people {
		cell := homes[p.residence]
		if cell == nil || cell.area != "UB" {
			continue
		}
		for _, s := range p.stints {
			from := max(s.from+30, residenceFrom+date(r.IntN(300)))
			to := min(s.to, p.exit, cell.to())
			if !working[s.org.role] || from >= to || from >= today || !chance(r, 0.6) {
				continue
			}
			v := cell.at(from)
			if v == nil || v.kind != dangvu.KindResidential || !v.level.IsCell() {
				continue
			}
			n++
			id := fmt.Sprintf("RL-%06d", n)
			cat := dangvu.ResidenceRegular
			if chance(r, 0.08) {
				cat = dangvu.ResidenceExempt
			}
			end := ""
			if to != open {
				end = to.String()
			}
			work := "Đảng ủy " + s.org.first().name
			if v := s.org.at(s.from); v != nil && v.parent != nil {
				work = v.parent.first().name
			}
			mw.links = append(mw.links, []string{id, p.id, work, cell.id, from.String(), end, cat, fmt.Sprintf("Số %d-GGT/ĐU", 10+r.IntN(200)), ""})
			if cat != dangvu.ResidenceRegular {
				continue
			}
			for y := from.year(); y <= today.year(); y++ {
				req := ymd(y, 11, 1+r.IntN(20))
				if req < from || req >= to || req > today {
					continue
				}
				ret, text := "", ""
				if back := req + 7 + date(r.IntN(20)); back <= today && (y < today.year() || chance(r, 0.5)) {
					ret, text = back.String(), pick(r,
						"Gương mẫu thực hiện quy định nơi cư trú; tham gia đầy đủ các hoạt động của khu dân cư.",
						"Giữ mối liên hệ với chi bộ nơi cư trú; gia đình thực hiện tốt nghĩa vụ công dân.",
						"Tham gia sinh hoạt chưa thường xuyên; đề nghị quan tâm hơn đến hoạt động ở khu dân cư.",
						"Chấp hành tốt chủ trương, chính sách, pháp luật; có ý thức xây dựng khu dân cư văn hóa.")
				}
				mw.comments = append(mw.comments, []string{id, strconv.Itoa(y), req.String(), ret, text})
			}
		}
	}
}

// writeMeetings adds the meeting and residence rows as they are: they are made in the columns' order.
func (w *world) writeMeetings(s *sink) {
	s.rowsAs("meetings", meetingColumns, w.meet.meetings)
	s.rowsAs("meeting_attendance", []string{"meeting_id", "member_id", "mark", "reason"}, w.meet.attendance)
	s.rowsAs("meeting_decisions", []string{"meeting_id", "seq", "title", "votes_for", "votes_against", "votes_abstain", "conclusion"}, w.meet.decisions)
	s.rowsAs("residence_links", []string{"id", "member_id", "work_org", "cell_id", "valid_from", "valid_to", "category", "letter", "note"}, w.meet.links)
	s.rowsAs("residence_comments", []string{"link_id", "year", "requested_on", "returned_on", "comment"}, w.meet.comments)
}
