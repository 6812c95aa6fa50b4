package workday

import (
	"strings"
	"testing"
)

func TestIsWorkday(t *testing.T) {
	c := Default()
	for _, tc := range []struct {
		day  string
		work bool
		why  string
	}{
		{"2018-05-31", true, "ordinary Thursday"},
		{"2018-06-02", false, "Saturday"},
		{"2018-01-01", false, "Tết Dương lịch (BLLĐ 2012 Điều 115)"},
		{"2018-02-15", false, "30 Tết Mậu Tuất"},
		{"2018-02-19", false, "mùng 4 Tết"},
		// Tết Mậu Tuất: 30 Tết 15/02 to mùng 4 19/02; mùng 2 and 3 fall on Saturday and Sunday, so
		// 20 and 21/02 are substitutes (the year's actual decision moved one day to 14/02: that
		// belongs in the data file).
		{"2018-02-20", false, "substitute for mùng 2 (Saturday)"},
		{"2018-02-21", false, "substitute for mùng 3 (Sunday)"},
		{"2018-02-22", true, "after Tết"},
		{"2018-04-25", false, "Giỗ Tổ 10/3 âm lịch"},
		{"2018-04-30", false, "30/4"},
		{"2018-09-03", false, "2/9/2018 is a Sunday: substitute Monday (Điều 115.3)"},
		{"2020-09-01", true, "before 2021 only 2/9 (BLLĐ 2012)"},
		{"2021-09-01", false, "from 2021 two days (BLLĐ 2019 Điều 112)"},
		{"2025-04-26", true, "Saturday worked in exchange (holidays.txt)"},
		{"2025-05-02", false, "bridging day (holidays.txt)"},
		{"2025-01-27", false, "extra Tết day (holidays.txt)"},
	} {
		if got := c.IsWorkday(d(tc.day)); got != tc.work {
			t.Errorf("%s: workday = %v, want %v (%s)", tc.day, got, tc.work, tc.why)
		}
	}
}

func TestAddBetween(t *testing.T) {
	c := Default()
	// 60 working days from the cell's resolution of 01/02/2018: 14 in February (Tết 15–21/02 off),
	// 22 in March, 19 in April (Giỗ Tổ 25/4 and 30/4 off), then 2, 3, 4, 7, 8 May (1/5 off).
	got := c.Add(d("2018-02-01"), 60)
	if got.Format("2006-01-02") != "2018-05-08" {
		t.Errorf("Add(01/02/2018, 60) = %s", got.Format("2006-01-02"))
	}
	if n := c.Between(d("2018-02-01"), got); n != 60 {
		t.Errorf("Between = %d, want 60", n)
	}
	if n := c.Between(d("2018-06-01"), d("2018-06-01")); n != 0 {
		t.Errorf("Between same day = %d", n)
	}
}

func TestParseOverride(t *testing.T) {
	c, err := Parse(strings.NewReader("# x\nreplace 2019\noff 05/02/2019 Tết\nwork 2019-02-09 bù\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.IsWorkday(d("2019-02-05")) || !c.IsWorkday(d("2019-02-06")) || !c.IsWorkday(d("2019-02-09")) {
		t.Error("replaced year must use only the file's days")
	}
	if c.IsWorkday(d("2019-01-01")) == false {
		t.Error("replace 2019 drops the computed 1/1")
	}
	if len(c.Holidays(2019)) != 1 {
		t.Errorf("holidays 2019 = %v", c.Holidays(2019))
	}
	for _, bad := range []string{"off 2019-13-01", "nghi 2019-01-01", "replace abc", "off"} {
		if _, err := Parse(strings.NewReader(bad)); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}

// A later line wins for the same day: the administrator's file, appended after the embedded one,
// can make an embedded day off a working day again.
func TestLaterLineWins(t *testing.T) {
	c, err := Parse(strings.NewReader(defaultFile + "\nwork 2025-05-02 Đi làm\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !c.IsWorkday(d("2025-05-02")) {
		t.Error("the later line should make 02/05/2025 a working day")
	}
}
