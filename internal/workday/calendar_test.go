package workday

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dangvu/internal/rulebook"
)

// The official schedules (rules-verified.md §5), each day checked against its notice.
func TestRecordedSchedules(t *testing.T) {
	c := Default()
	for _, tc := range []struct {
		day  string
		work bool
		why  string
	}{
		{"2018-05-31", true, "ordinary Thursday"},
		{"2018-06-02", false, "Saturday"},
		{"2018-01-01", false, "Tết Dương lịch (BLLĐ 2012 Điều 115)"},
		{"2018-02-14", false, "29 Tết Mậu Tuất: the government took two days before Tết"},
		{"2018-02-21", true, "after the Tết days of 2018"},
		{"2018-09-03", false, "2/9/2018 is a Sunday: substitute Monday (Điều 115.3)"},
		{"2017-01-26", false, "29 Tết Đinh Dậu (Tết 26/1–1/2/2017)"},
		{"2017-02-02", true, "mùng 6 Tết 2017"},
		{"2020-01-23", false, "29 Tết Canh Tý (23–29/1/2020)"},
		{"2020-01-30", true, "mùng 6 Tết 2020"},
		{"2020-09-01", true, "before 2021 only 2/9 (BLLĐ 2012)"},
		{"2021-02-10", false, "29 Tết Tân Sửu (10–16/2/2021)"},
		{"2021-02-17", true, "mùng 6 Tết 2021"},
		{"2021-09-01", true, "Quốc khánh 2021 was 2/9 and 3/9"},
		{"2021-09-03", false, "Quốc khánh 2021 (ngày liền kề)"},
		{"2023-01-20", false, "29 Tết Quý Mão (CV 8056/VPCP-KGVX)"},
		{"2023-01-27", true, "mùng 6 Tết 2023"},
		{"2024-02-08", false, "29 Tết Giáp Thìn"},
		{"2024-02-15", true, "mùng 6 Tết 2024"},
		{"2024-04-29", false, "swapped Monday (CV 2450/VPCP-KGVX)"},
		{"2024-05-04", true, "Saturday worked for 29/4/2024"},
		{"2025-02-03", true, "mùng 6 Tết Ất Tỵ is a working day (CV 8726/VPCP-KGVX)"},
		{"2025-01-27", false, "28 Tết Ất Tỵ"},
		{"2025-04-26", true, "Saturday worked for 2/5/2025"},
		{"2025-05-02", false, "swapped Friday 2/5/2025"},
		{"2026-01-02", false, "swapped Friday (CV 12729/VPCP-KGVX)"},
		{"2026-01-10", true, "Saturday worked for 2/1/2026"},
		{"2026-02-16", false, "29 Tết Bính Ngọ"},
		{"2026-04-27", false, "Giỗ Tổ 26/4/2026 is a Sunday: substitute Monday"},
		{"2026-08-22", true, "Saturday worked for 31/8/2026"},
		{"2026-08-31", false, "swapped Monday before Quốc khánh 2026"},
		{"2013-02-15", false, "swapped Friday, Tết Quý Tỵ (worked Saturday 23/2/2013)"},
		{"2013-02-23", true, "Saturday worked for 15/2/2013"},
		{"2012-12-31", false, "swapped Monday for Tết Dương lịch 2013"},
		{"2014-09-01", false, "swapped Monday, Quốc khánh 2014 (CV 10525/VPCP-KGVX)"},
		{"2014-12-27", true, "Saturday worked for 2/1/2015"},
	} {
		if got := c.IsWorkday(d(tc.day)); got != tc.work {
			t.Errorf("%s: workday = %v, want %v (%s)", tc.day, got, tc.work, tc.why)
		}
	}
}

// Every year from 2012 to 2026 is recorded, and the recorded days agree with the law: the days
// off less the Saturdays worked equal the statutory holidays (each one on a weekday or replaced by
// one): 9 a year under BLLĐ 1994 (Tết 4 days, to Tết 2013), 10 under BLLĐ 2012, 11 from 2021.
// A swap may cross the new year, so the balance is checked over the whole span.
func TestEveryYearRecordedAndBalanced(t *testing.T) {
	c := Default()
	want, got := 0, 0
	for y := 2012; y <= 2026; y++ {
		s := c.Year(y)
		if s.Estimated || s.Set == nil {
			t.Errorf("%d: no recorded schedule", y)
			continue
		}
		switch {
		case y <= 2013:
			want += 9
		case y <= 2020:
			want += 10
		default:
			want += 11
		}
		for _, d := range s.Days {
			if d.Off {
				got++
			} else {
				got--
			}
		}
		// The lunar dates of the record agree with the computation: mùng 1 Tết and Giỗ Tổ are off
		// when they fall on a weekday.
		for _, h := range []time.Time{Tet(y), HungKings(y)} {
			if !weekend(h) && c.IsWorkday(h) {
				t.Errorf("%d: %s is a working day in the record", y, h.Format(time.DateOnly))
			}
		}
	}
	if got != want {
		t.Errorf("2012–2026: days off less Saturdays worked = %d, statutory holidays = %d", got, want)
	}
	for _, y := range []int{2011, 2027} {
		if s := c.Year(y); !s.Estimated || len(s.Days) == 0 || s.Days[0].Source.Confidence != rulebook.Unconfirmed {
			t.Errorf("%d should be computed and marked estimated: %+v", y, s)
		}
	}
	if c.Estimated(d("2025-01-01"), d("2026-12-31")) {
		t.Error("2025–2026 are recorded")
	}
	if ys := c.EstimatedYears(d("2026-12-01"), d("2027-02-01")); len(ys) != 1 || ys[0] != 2027 {
		t.Errorf("EstimatedYears = %v", ys)
	}
}

func TestAddBetween(t *testing.T) {
	c := Default()
	// 60 working days from the cell's resolution of 01/02/2018: 14 in February (Tết 14–20/02 off),
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

// An administrator records next year's schedule from a folder; a wrong line is refused with its
// file, line and column.
func TestFolderAddsYear(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		t.Helper()
		p := filepath.Join(dir, "calendar", name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	defer Area.Load("")
	write("sets.csv", "id,name,from,to,citation,confidence,note\n2027,Lịch nghỉ năm 2027,2027-01-01,2027-12-31,CV thử,secondary,\n")
	write("values.csv", "set,key,label,value,citation,confidence,note\n2027,2027-01-01,Tết Dương lịch,off,BLLĐ 2019 Điều 112,confirmed,\n2027,2027-01-09,Làm bù,work,CV thử,secondary,\n")
	if err := rulebook.LoadAll(dir, []*rulebook.Area{Area}); err != nil {
		t.Fatal(err)
	}
	c := Default()
	if s := c.Year(2027); s.Estimated || len(s.Days) != 2 {
		t.Fatalf("2027 = %+v", s)
	}
	if c.IsWorkday(d("2027-01-01")) || !c.IsWorkday(d("2027-01-09")) || !c.IsWorkday(d("2027-02-08")) {
		t.Error("a recorded year uses only its lines (no computed Tết)")
	}
	for _, bad := range []struct{ line, want string }{
		{"2027,2027-01-02,x,off,CV,secondary,", "thứ Bảy/Chủ nhật"},
		{"2027,2027-01-04,x,work,CV,secondary,", "ngày thường"},
		{"2027,2028-01-04,x,off,CV,secondary,", "ngoài thời gian"},
		{"2027,2027-01-04,x,nghỉ,CV,secondary,", "off (nghỉ) hoặc work"},
	} {
		write("values.csv", "set,key,label,value,citation,confidence,note\n"+bad.line+"\n")
		err := rulebook.LoadAll(dir, []*rulebook.Area{Area})
		if err == nil || !strings.Contains(err.Error(), "values.csv dòng 2, cột value") || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: error %v", bad.line, err)
		}
	}
}

// Every calendar line has a citation and a confidence mark.
func TestDataCited(t *testing.T) {
	for _, s := range Area.Book().Sets {
		if s.Source.Citation == "" || !s.Source.Confidence.Valid() {
			t.Errorf("%s: set source %+v", s.ID, s.Source)
		}
		for _, v := range s.Values {
			if v.Source.Citation == "" || !v.Source.Confidence.Valid() || v.Label == "" {
				t.Errorf("%s/%s: %+v", s.ID, v.Key, v)
			}
		}
	}
}
