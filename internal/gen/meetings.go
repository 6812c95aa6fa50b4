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
// Members who joined the cell from another holder are not counted in its roll (on_roll is at
// most the real one, and every line names a member of the cell that day).

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

// cellYear gathers a cell's year while its members are drawn: for each month the members on
// its roll and those absent, and the lines (attendance by exception). A cell created on 1/7/2025
// to take the members of ended cells holds no members of its own: it gathers those carried to
// it, and its meetings are written after every member.
type cellYear struct {
	roll, absent [12]int32
	lines        []meetLine
}

type meetLine struct {
	month  uint8
	member string
	mark   string
}

// onRoll reports whether member i (memberships ms, statuses st) is on cell o's roll on d:
// officially in it, probationary or full.
func onRoll(ms []mship, st []mstatus, o int32, d day) bool {
	in := false
	for _, x := range ms {
		if x.org == o && !x.temp && x.from <= d && (x.to == 0 || d < x.to) {
			in = true
		}
	}
	if !in {
		return false
	}
	var s dangvu.Status
	for _, v := range st {
		if v.from <= d {
			s = v.status
		}
	}
	return s == dangvu.StatusProbationary || s == dangvu.StatusFull
}

// gather adds member i to the year of each cell it is on the roll of at a meeting: its holder's
// cell, or the cell it was carried to. The marks are drawn from r, the meetings' stream.
func (m *memberGen) gather(i int, own int32, acc *cellYear, carried map[int32]*cellYear, r *rand.Rand) {
	g := m.g
	id := ""
	for k := range meetMonths {
		for _, x := range m.ms {
			d := g.heldOn(x.org, k)
			if x.temp || x.from > d || x.to != 0 && d >= x.to {
				continue
			}
			var into *cellYear
			switch {
			case x.org == own:
				into = acc
			case g.orgs[x.org].level == dangvu.LevelCell && g.orgs[x.org].hold < 0:
				into = carried[x.org]
				if into == nil {
					into = &cellYear{}
					carried[x.org] = into
				}
			}
			if into == nil || !onRoll(m.ms, m.st, x.org, d) {
				continue
			}
			into.roll[k]++
			mark := ""
			switch u := r.IntN(1000); {
			case u < 25:
				mark = dangvu.AttendExcused
			case u < 30:
				mark = dangvu.AttendUnexcused
			case u < 40 && meetMonths[k].rules.RemoteAllowed:
				mark = dangvu.AttendRemote
			}
			if mark == "" {
				continue
			}
			if dangvu.AbsentMark(mark) {
				into.absent[k]++
			}
			if id == "" {
				id = string(appendMemberID(nil, i))
			}
			into.lines = append(into.lines, meetLine{uint8(k), id, mark})
		}
	}
}

var meetReasons = []string{"Ốm", "Đi công tác", "Nghỉ phép", "Việc gia đình", "Đi học"}

// writeMeetings writes the year's meetings of cell o from what its members gave. The roll is
// and the lines are of the day it is held (heldOn).
func (g *nat) writeMeetings(w *counter, o int32, acc *cellYear, chair string, r *rand.Rand) error {
	x := &g.orgs[o]
	cal := workday.Default()
	n := 0
	for k, mo := range meetMonths {
		held := g.heldOn(o, k)
		if !g.inForce(o, held) || !g.inForce(o, mo.planned) || held > dAsOf || acc.roll[k] == 0 {
			continue
		}
		id := "MT-" + x.id + "-" + mo.key + "-R"
		if r.IntN(1000) < 5 {
			if err := w.Row("meetings", genMeeting(id, x.id, dangvu.MeetingRegular, "", mo.key, dangvu.MeetingMissed, iso(mo.planned), "", "Không họp: trùng lịch công tác")); err != nil {
				return err
			}
			continue
		}
		kinds := []dangvu.MeetingKind{dangvu.MeetingRegular}
		if mo.thematic {
			kinds = append(kinds, dangvu.MeetingThematic)
		}
		for _, kind := range kinds {
			n++
			mid, topic, mins := id, "", 90+5*r.IntN(6)
			if kind == dangvu.MeetingThematic {
				mid, topic, mins = "MT-"+x.id+"-"+mo.key+"-T", "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", 120
			}
			row := genMeeting(mid, x.id, kind, topic, mo.key, dangvu.MeetingHeld, iso(mo.planned), iso(held), "")
			pts := 60 + r.IntN(40)
			band, _ := mo.rules.Score("quality_points", pts)
			y, mm, dd := held.ymd()
			ht := time.Date(y, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
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
			row[8], row[9], row[11] = "Hội trường "+x.name, chair, strconv.Itoa(mins)
			row[21], row[22] = strconv.Itoa(int(acc.roll[k])), strconv.Itoa(int(acc.roll[k]-acc.absent[k]))
			row[27], row[28] = strconv.Itoa(pts), string(band)
			row[31], row[33] = pad(n, 2)+"-NQ/CB", pub
			if err := w.Row("meetings", row); err != nil {
				return err
			}
			for _, l := range acc.lines {
				if int(l.month) != k {
					continue
				}
				reason := ""
				if l.mark == dangvu.AttendExcused {
					reason = meetReasons[r.IntN(len(meetReasons))]
				}
				if err := w.Row("meeting_attendance", []string{mid, l.member, l.mark, reason}); err != nil {
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

// meetSalt seeds the meetings' stream apart from the members' ("meetings").
const meetSalt = 0x6d656574696e6773

// heldOn is the day cell o holds its meeting of month k: the planned day, or for about one in
// 25 a few days after it (drawn from the cell and the month alone, so that the members' marks,
// drawn before the meeting is written, are of the same day).
func (g *nat) heldOn(o int32, k int) day {
	h := g.hash(meetSalt, uint64(o)*12+uint64(k))
	if h%100 < 4 {
		return meetMonths[k].planned + day(3+(h>>8)%10)
	}
	return meetMonths[k].planned
}
