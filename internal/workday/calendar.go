package workday

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"sync"
	"time"

	"dangvu/internal/rulebook"
)

// Holiday is a day off that is not a weekend day.
type Holiday struct {
	Date time.Time
	Name string
}

//go:embed data/*.csv
var files embed.FS

// Area is the calendar's rule area: one set per year whose official schedule is recorded
// (id the year, in force 1/1–31/12), one value per day that differs from an ordinary week: key
// the date, value "off" (a weekday off: holiday, substitute or swapped day) or "work" (a Saturday
// or Sunday worked in exchange), each citing the notice that fixed it (rules-verified.md §5).
// A year with a set uses only its lines; a year without one is computed from the Labour Code and
// the lunar calendar, and a deadline counted over it is marked as estimated.
var Area = &rulebook.Area{
	Name:      "calendar",
	Label:     "Lịch ngày làm việc, ngày nghỉ lễ, Tết",
	Files:     must(fs.Sub(files, "data")),
	NoInherit: true,
	CheckValue: func(s *rulebook.Set, v rulebook.Value) error {
		t, err := time.Parse(time.DateOnly, v.Key)
		if err != nil {
			return fmt.Errorf("khóa %q phải là ngày yyyy-mm-dd", v.Key)
		}
		if t.Before(s.From) || !s.To.IsZero() && t.After(s.To) {
			return fmt.Errorf("ngày %s ngoài thời gian của bộ %s", v.Key, s.ID)
		}
		switch v.Text {
		case "off":
			if weekend(t) {
				return fmt.Errorf("ngày %s là thứ Bảy/Chủ nhật, vốn đã nghỉ: chỉ ghi ngày nghỉ vào ngày thường", v.Key)
			}
		case "work":
			if !weekend(t) {
				return fmt.Errorf("ngày %s là ngày thường: \"work\" chỉ dùng cho thứ Bảy/Chủ nhật đi làm bù", v.Key)
			}
		default:
			return fmt.Errorf("giá trị %q: cần off (nghỉ) hoặc work (làm bù)", v.Text)
		}
		return nil
	},
}

func must(f fs.FS, err error) fs.FS {
	if err != nil {
		panic(err)
	}
	return f
}

// Calendar tells working days from days off: the recorded yearly schedules of a book, the
// computed statutory holidays for the other years.
type Calendar struct {
	book *rulebook.Book
	days map[time.Time]rulebook.Value // recorded lines by date

	mu    sync.Mutex
	cache map[int]map[time.Time]string // computed days off (holidays and substitutes) per year
}

// New is the calendar of a book of yearly schedules (Area.Book()).
func New(b *rulebook.Book) *Calendar {
	c := &Calendar{book: b, days: map[time.Time]rulebook.Value{}, cache: map[int]map[time.Time]string{}}
	for _, s := range b.Sets {
		for _, v := range s.Values {
			t, _ := time.Parse(time.DateOnly, v.Key)
			c.days[t] = v
		}
	}
	return c
}

var (
	defMu sync.Mutex
	def   *Calendar
)

// Default is the calendar of the area's rules in force (embedded, with the administrator's
// folder once loaded); it follows a reload of the area.
func Default() *Calendar {
	b := Area.Book()
	defMu.Lock()
	defer defMu.Unlock()
	if def == nil || def.book != b {
		def = New(b)
	}
	return def
}

// Recorded reports whether year y's official schedule is recorded, and returns its set.
func (c *Calendar) Recorded(y int) (*rulebook.Set, bool) {
	s, ok := c.book.For(time.Date(y, 7, 1, 0, 0, 0, 0, time.UTC))
	if !ok || s.From.Year() != y || !s.To.IsZero() && s.To.Year() != y {
		return nil, false
	}
	return s, true
}

// Estimated reports whether any day in (a, b] falls in a year without a recorded schedule, so
// that a count of working days over it rests on the computed calendar.
func (c *Calendar) Estimated(a, b time.Time) bool {
	for y := a.Year(); y <= b.Year(); y++ {
		if _, ok := c.Recorded(y); !ok {
			return true
		}
	}
	return false
}

// EstimatedYears lists the years in [a, b] without a recorded schedule.
func (c *Calendar) EstimatedYears(a, b time.Time) []int {
	var out []int
	for y := a.Year(); y <= b.Year(); y++ {
		if _, ok := c.Recorded(y); !ok {
			out = append(out, y)
		}
	}
	return out
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func weekend(t time.Time) bool { return t.Weekday() == time.Saturday || t.Weekday() == time.Sunday }

// statutory returns the public holidays of civil year y under the Labour Code then in force:
// 1/1; Tết, five days (the last day of the old year and the first four of the new, the usual
// choice of the Prime Minister's yearly decision); Hùng Kings' day 10/3 lunar; 30/4; 1/5; 2/9,
// with one more day from 2021 (BLLĐ 2019 Điều 112: "01 ngày liền kề trước hoặc sau", here the day
// after unless 2/9 is a Friday... the yearly decision fixes it: the default takes 1/9). A holiday
// falling on a weekend is replaced by the next working day (BLLĐ 2012 Điều 115.3, 2019 Điều 112.3).
func statutory(y int) []Holiday {
	at := func(m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	hs := []Holiday{{at(1, 1), "Tết Dương lịch"}}
	// Tết of the lunar year starting in y; if it starts in late January, its eve may fall in y too.
	tet := Tet(y)
	hs = append(hs, Holiday{tet.AddDate(0, 0, -1), "Tết Nguyên đán (cuối năm âm lịch)"})
	// Four days of Tết from 1/5/2013 on (BLLĐ 2012); three before (BLLĐ 1994: four days in all).
	n := 4
	if y <= 2013 {
		n = 3
	}
	for i := range n {
		hs = append(hs, Holiday{tet.AddDate(0, 0, i), fmt.Sprintf("Tết Nguyên đán (mùng %d)", i+1)})
	}
	hs = append(hs, Holiday{HungKings(y), "Giỗ Tổ Hùng Vương (10/3 âm lịch)"},
		Holiday{at(4, 30), "Ngày Chiến thắng"}, Holiday{at(5, 1), "Ngày Quốc tế Lao động"},
		Holiday{at(9, 2), "Quốc khánh"})
	if y >= 2021 {
		hs = append(hs, Holiday{at(9, 1), "Quốc khánh (ngày liền kề)"})
	}
	slices.SortFunc(hs, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	return hs
}

// daysOff computes the days off of year y that are not weekend days: the statutory holidays on
// weekdays, and for each one on a weekend a substitute on the next free weekday.
func (c *Calendar) daysOff(y int) map[time.Time]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if m, ok := c.cache[y]; ok {
		return m
	}
	m := map[time.Time]string{}
	{
		hs := statutory(y)
		taken := map[time.Time]bool{}
		for _, h := range hs {
			taken[h.Date] = true
		}
		for _, h := range hs {
			if !weekend(h.Date) {
				m[h.Date] = h.Name
				continue
			}
			s := h.Date
			for weekend(s) || taken[s] {
				s = s.AddDate(0, 0, 1)
			}
			taken[s] = true
			m[s] = h.Name + " (nghỉ bù)"
		}
	}
	c.cache[y] = m
	return m
}

// IsWorkday reports whether t is a working day.
func (c *Calendar) IsWorkday(t time.Time) bool {
	t = day(t)
	if v, ok := c.days[t]; ok {
		return v.Text == "work"
	}
	if weekend(t) {
		return false
	}
	if _, ok := c.Recorded(t.Year()); ok {
		return true
	}
	_, off := c.daysOff(t.Year())[t]
	return !off
}

// Holidays lists year y's days off other than ordinary weekends, with their names.
func (c *Calendar) Holidays(y int) []Holiday {
	var out []Holiday
	for _, d := range c.Year(y).Days {
		if d.Off {
			out = append(out, Holiday{d.Date, d.Name})
		}
	}
	return out
}

// Day is one line of a year's schedule: a weekday off or a weekend day worked.
type Day struct {
	Date   time.Time
	Off    bool
	Name   string
	Source rulebook.Source
}

// Schedule is a year's days off and swapped working days, with where they come from.
type Schedule struct {
	Year int
	// Set is the recorded schedule; nil when the year is computed (Estimated).
	Set       *rulebook.Set
	Estimated bool
	Days      []Day
}

// Year returns year y's schedule: the recorded lines, or the computed holidays marked estimated.
func (c *Calendar) Year(y int) Schedule {
	sc := Schedule{Year: y}
	if s, ok := c.Recorded(y); ok {
		sc.Set = s
		for _, v := range s.Values {
			t, _ := time.Parse(time.DateOnly, v.Key)
			sc.Days = append(sc.Days, Day{t, v.Text == "off", v.Label, v.Source})
		}
	} else {
		sc.Estimated = true
		src := rulebook.Source{Citation: statuteFor(y) + "; ngày Tết và Giỗ Tổ tính theo âm lịch", Confidence: rulebook.Unconfirmed,
			Note: "Chưa ghi lịch nghỉ chính thức của năm: ngày tính tự động, có thể khác quyết định của Thủ tướng"}
		for t, n := range c.daysOff(y) {
			sc.Days = append(sc.Days, Day{t, true, n, src})
		}
	}
	slices.SortFunc(sc.Days, func(a, b Day) int { return a.Date.Compare(b.Date) })
	return sc
}

func statuteFor(y int) string {
	switch {
	case y >= 2021:
		return "BLLĐ 2019 Điều 112"
	case y >= 2014:
		return "BLLĐ 2012 Điều 115"
	}
	return "BLLĐ 1994 Điều 73 (sửa đổi năm 2007); BLLĐ 2012 Điều 115 từ 01/5/2013"
}

// Add returns the n-th working day after t (n ≥ 1): the last day of a period of n working days
// counted from the day after t, which is how "within n working days of" is reckoned.
func (c *Calendar) Add(t time.Time, n int) time.Time {
	t = day(t)
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if c.IsWorkday(t) {
			n--
		}
	}
	return t
}

// Between counts the working days in (a, b]; 0 when b is not after a.
func (c *Calendar) Between(a, b time.Time) int {
	a, b = day(a), day(b)
	n := 0
	for t := a.AddDate(0, 0, 1); !t.After(b); t = t.AddDate(0, 0, 1) {
		if c.IsWorkday(t) {
			n++
		}
	}
	return n
}
