package workday

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

// Holiday is a day off that is not a weekend day.
type Holiday struct {
	Date time.Time
	Name string
}

// Calendar tells working days from days off. The zero value is not usable; use Default or Parse.
type Calendar struct {
	// Per-day corrections from the data file: true for a day off, false for a working day
	// (a Saturday worked in exchange for a bridging day).
	fix   map[time.Time]bool
	names map[time.Time]string
	// years whose file lines replace the computed holidays entirely ("year 2025 replace").
	replace map[int]bool

	mu    sync.Mutex
	cache map[int]map[time.Time]string // computed days off (holidays and substitutes) per year
}

//go:embed holidays.txt
var defaultFile string

var (
	defOnce sync.Once
	def     *Calendar
)

// Default is the calendar of the embedded holidays.txt followed by the administrator's file
// named by the environment variable DANGVU_HOLIDAYS, if set (its lines come later, so they win
// for the same day). An unreadable or invalid file is reported once on standard error and
// ignored, so that a typo does not stop the server; DefaultError returns that error.
func Default() *Calendar {
	defOnce.Do(func() {
		c, err := Parse(strings.NewReader(defaultFile))
		if err != nil {
			panic("workday: embedded holidays.txt: " + err.Error())
		}
		def = c
		if path := os.Getenv("DANGVU_HOLIDAYS"); path != "" {
			b, err := os.ReadFile(path)
			if err == nil {
				var mine *Calendar
				if mine, err = Parse(strings.NewReader(defaultFile + "\n" + string(b))); err == nil {
					def = mine
				}
			}
			if err != nil {
				defErr = fmt.Errorf("workday: %s: %w", path, err)
				fmt.Fprintln(os.Stderr, "Lịch nghỉ DANGVU_HOLIDAYS không dùng được:", defErr)
			}
		}
	})
	return def
}

var defErr error

// DefaultError is the error met reading DANGVU_HOLIDAYS, nil if none.
func DefaultError() error {
	Default()
	return defErr
}

// Parse reads a holiday file. Each line is one of
//
//	off  2025-01-27  Nghỉ Tết Nguyên đán (bù)   a day off
//	work 2025-04-26  Làm bù cho 02/5/2025       a working Saturday or Sunday
//	replace 2025                                 that year's computed holidays are ignored:
//	                                             only the file's "off" days count
//
// Blank lines and lines starting with # are ignored. Dates are ISO or dd/mm/yyyy.
func Parse(r io.Reader) (*Calendar, error) {
	c := &Calendar{fix: map[time.Time]bool{}, names: map[time.Time]string{}, replace: map[int]bool{}, cache: map[int]map[time.Time]string{}}
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			return nil, fmt.Errorf("dòng %d: cần \"off|work ngày [tên]\" hoặc \"replace năm\"", n)
		}
		switch f[0] {
		case "replace":
			var y int
			if _, err := fmt.Sscanf(f[1], "%d", &y); err != nil || y < 1900 || y > 2200 {
				return nil, fmt.Errorf("dòng %d: năm %q không hợp lệ", n, f[1])
			}
			c.replace[y] = true
		case "off", "work":
			t, err := parseDay(f[1])
			if err != nil {
				return nil, fmt.Errorf("dòng %d: %v", n, err)
			}
			c.fix[t] = f[0] == "off"
			c.names[t] = strings.Join(f[2:], " ")
		default:
			return nil, fmt.Errorf("dòng %d: từ khóa %q không hợp lệ (off, work, replace)", n, f[0])
		}
	}
	return c, sc.Err()
}

func parseDay(s string) (time.Time, error) {
	for _, l := range []string{"2006-01-02", "02/01/2006", "2/1/2006"} {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("ngày %q không hợp lệ: cần yyyy-mm-dd hoặc dd/mm/yyyy", s)
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
	for i := range 4 {
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
	if !c.replace[y] {
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
	if off, ok := c.fix[t]; ok {
		return !off
	}
	if weekend(t) {
		return false
	}
	_, off := c.daysOff(t.Year())[t]
	return !off
}

// Holidays lists year y's days off other than ordinary weekends, with their names.
func (c *Calendar) Holidays(y int) []Holiday {
	var out []Holiday
	for t, n := range c.daysOff(y) {
		if c.IsWorkday(t) {
			continue
		}
		out = append(out, Holiday{t, n})
	}
	for t, off := range c.fix {
		if t.Year() == y && off {
			if _, dup := c.daysOff(y)[t]; !dup && !weekend(t) {
				out = append(out, Holiday{t, c.names[t]})
			}
		}
	}
	slices.SortFunc(out, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	return out
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
