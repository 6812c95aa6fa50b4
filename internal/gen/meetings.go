package gen

import (
	"math/rand/v2"
	"strconv"
	"time"

	"dangvu"
	"dangvu/internal/rules/meetings"
	"dangvu/internal/workday"
)

// A year of cell meetings (issue 18, docs/meetings.md): the regular meeting of every cell in
// force each month from 12/2025 to 11/2026 and a thematic one in each quarter's middle month,
// with attendance by exception (only the absences and remote attendances are lines: at the
// country's size a line per member present would be some 60 million a year). A cell's meetings
// are written after its members, from what their rows say (official membership in the cell and
// status on the day), and drawn from a stream of their own, so the members' rows are unchanged.
// Members who joined the cell from another one are not counted in its roll (on_roll is at most
// the real one, and every line names a member of the cell that day).

// meetMonths are the months of the generated year, with their planned day (the 3rd, after a
// holiday run) and the day the minutes are due, computed once.
var meetMonths = func() []meetMonth {
	cal := workday.Default()
	var out []meetMonth
	for k := range 12 {
		t := time.Date(2025, time.December+time.Month(k), 1, 0, 0, 0, 0, time.UTC)
		rules := meetings.For(t)
		p, _, ok := rules.Planned(cal, t.Year(), t.Month())
		if !ok {
			p = t.AddDate(0, 0, 4)
		}
		out = append(out, meetMonth{key: t.Format("2006-01"), planned: mkday(p.Year(), int(p.Month()), p.Day()), thematic: t.Month()%3 == 2, rules: rules})
	}
	return out
}()

type meetMonth struct {
	key      string
	planned  day
	thematic bool
	rules    meetings.Set
}

// meetMember is what a cell's meetings need of one of its members.
type meetMember struct {
	id       string
	from, to day // official membership in the cell; to 0 when open
	st       []mstatus
}

func (x *meetMember) onRoll(d day) bool {
	if d < x.from || x.to != 0 && d >= x.to {
		return false
	}
	var s dangvu.Status
	for _, v := range x.st {
		if v.from <= d {
			s = v.status
		}
	}
	return s == dangvu.StatusProbationary || s == dangvu.StatusFull
}

// keepForMeetings records member i's official memberships in its holder's organisation.
func (m *memberGen) keepForMeetings(i int, h *holder, into []meetMember) []meetMember {
	for _, x := range m.ms {
		if x.org == h.org && !x.temp {
			into = append(into, meetMember{id: string(appendMemberID(nil, i)), from: x.from, to: x.to, st: append([]mstatus(nil), m.st...)})
		}
	}
	return into
}

var meetReasons = []string{"Ốm", "Đi công tác", "Nghỉ phép", "Việc gia đình", "Đi học"}

// writeMeetings writes the year's meetings of holder hi, whose members are ms.
func (m *memberGen) writeMeetings(w *counter, hi int32, ms []meetMember, r *rand.Rand, pcg *rand.PCG) error {
	g := m.g
	h := &g.holders[hi]
	o := &g.orgs[h.org]
	pcg.Seed(g.seed^0x6d656574696e6773, uint64(hi))
	cal := workday.Default()
	chair := ""
	if h.size > 0 {
		chair = m.name(int(h.start))
	}
	n := 0
	var lines [][2]string
	for _, mo := range meetMonths {
		held := mo.planned
		if r.IntN(100) < 4 {
			held += day(3 + r.IntN(10))
		}
		if !g.inForce(h.org, held) || !g.inForce(h.org, mo.planned) || held > dAsOf {
			continue
		}
		id := "MT-" + o.id + "-" + mo.key + "-R1"
		if r.IntN(1000) < 5 {
			if err := w.Row("meetings", genMeeting(id, o.id, dangvu.MeetingRegular, "", mo.key, dangvu.MeetingMissed, iso(mo.planned), "", "Không họp: trùng lịch công tác")); err != nil {
				return err
			}
			continue
		}
		roll, absent := 0, 0
		lines = lines[:0]
		for k := range ms {
			x := &ms[k]
			if !x.onRoll(held) {
				continue
			}
			roll++
			switch u := r.IntN(1000); {
			case u < 25:
				lines = append(lines, [2]string{x.id, dangvu.AttendExcused})
				absent++
			case u < 30:
				lines = append(lines, [2]string{x.id, dangvu.AttendUnexcused})
				absent++
			case u < 40 && mo.rules.RemoteAllowed:
				lines = append(lines, [2]string{x.id, dangvu.AttendRemote})
			}
		}
		kinds := []dangvu.MeetingKind{dangvu.MeetingRegular}
		if mo.thematic {
			kinds = append(kinds, dangvu.MeetingThematic)
		}
		for _, kind := range kinds {
			n++
			mid, topic, mins := id, "", 90+5*r.IntN(6)
			if kind == dangvu.MeetingThematic {
				mid, topic, mins = "MT-"+o.id+"-"+mo.key+"-T1", "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", 120
			}
			row := genMeeting(mid, o.id, kind, topic, mo.key, dangvu.MeetingHeld, iso(mo.planned), iso(held), "")
			pts := 60 + r.IntN(40)
			band, _ := mo.rules.Score("quality_points", pts)
			ht := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(held-mkday(2025, 12, 1)))
			pub := ""
			if u := r.IntN(100); mo.key != "2026-11" || u < 80 {
				p := cal.Add(ht, r.IntN(mo.rules.PublishWorkdays+1))
				if u < 3 {
					p = cal.Add(ht, mo.rules.PublishWorkdays+1+r.IntN(5))
				}
				if pd := mkday(p.Year(), int(p.Month()), p.Day()); pd <= dAsOf {
					pub = iso(pd)
				}
			}
			row[8], row[9], row[11] = "Hội trường "+o.name, chair, strconv.Itoa(mins)
			row[21], row[22] = strconv.Itoa(roll), strconv.Itoa(roll-absent)
			row[27], row[28] = strconv.Itoa(pts), string(band)
			row[31], row[33] = pad(n, 2)+"-NQ/CB", pub
			if err := w.Row("meetings", row); err != nil {
				return err
			}
			for _, l := range lines {
				reason := ""
				if l[1] == dangvu.AttendExcused {
					reason = meetReasons[r.IntN(len(meetReasons))]
				}
				if err := w.Row("meeting_attendance", []string{mid, l[0], l[1], reason}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// genMeeting is a meetings row (the exchange table's 35 columns) with its identity.
func genMeeting(id, org string, kind dangvu.MeetingKind, topic, month string, st dangvu.MeetingStatus, planned, held, note string) []string {
	row := make([]string, 35)
	row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[34] = id, org, string(kind), topic, month, string(st), planned, held, note
	row[21], row[22] = "0", "0"
	return row
}
