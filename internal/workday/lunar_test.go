package workday

import (
	"testing"
	"time"
)

func d(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// The first day of each lunar year, as published on Vietnamese calendars. Reckoned at UTC+7 the new
// moon of 2030 falls late on 2/2, so Vietnam's Tết is a day before China's (3/2), as in 2007 (17/2
// against 18/2): a check that the time zone is Vietnam's.
func TestTet(t *testing.T) {
	want := map[int]string{
		2015: "2015-02-19", 2016: "2016-02-08", 2017: "2017-01-28", 2018: "2018-02-16",
		2019: "2019-02-05", 2020: "2020-01-25", 2021: "2021-02-12", 2022: "2022-02-01",
		2023: "2023-01-22", 2024: "2024-02-10", 2025: "2025-01-29", 2026: "2026-02-17",
		2027: "2027-02-06", 2028: "2028-01-26", 2029: "2029-02-13", 2030: "2030-02-02", 2007: "2007-02-17",
	}
	for y, s := range want {
		if got := Tet(y); !got.Equal(d(s)) {
			t.Errorf("Tết %d = %s, want %s", y, got.Format("2006-01-02"), s)
		}
	}
}

func TestHungKings(t *testing.T) {
	for y, s := range map[int]string{
		2015: "2015-04-28", 2016: "2016-04-16", 2018: "2018-04-25", 2019: "2019-04-14", 2020: "2020-04-02",
		2023: "2023-04-29", 2024: "2024-04-18", 2025: "2025-04-07", 2026: "2026-04-26",
	} {
		if got := HungKings(y); !got.Equal(d(s)) {
			t.Errorf("Giỗ Tổ %d = %s, want %s", y, got.Format("2006-01-02"), s)
		}
	}
}

// 2020 had a leap fourth month (tháng 4 nhuận, from 23/5/2020); 2023 a leap second month (from 22/3/2023).
func TestLeapMonth(t *testing.T) {
	if got, ok := Solar(1, 4, 2020, true); !ok || !got.Equal(d("2020-05-23")) {
		t.Errorf("1/4 nhuận 2020 = %v %v", got, ok)
	}
	if got, ok := Solar(1, 2, 2023, true); !ok || !got.Equal(d("2023-03-22")) {
		t.Errorf("1/2 nhuận 2023 = %v %v", got, ok)
	}
	if _, ok := Solar(1, 5, 2020, true); ok {
		t.Error("2020 has no leap fifth month")
	}
	if _, ok := Solar(1, 5, 2024, true); ok {
		t.Error("2024 has no leap month")
	}
}
