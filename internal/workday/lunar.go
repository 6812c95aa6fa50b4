// Package workday counts working days in Vietnam: Monday to Friday, less the public holidays of
// the Labour Code (Bộ luật Lao động 2012 Điều 115; 2019 Điều 112), of which Tết and the Hùng
// Kings' commemoration follow the lunar calendar, computed here. Each year's official schedule
// (the Tết days the Prime Minister fixed, swapped days) is data of the rule area "calendar"
// (data/*.csv, 2012–2026); the computation serves only the years without one, as an estimate.
package workday

import (
	"math"
	"time"
)

// The lunar calendar is the Vietnamese one: astronomical new moons and solar terms reckoned at
// UTC+7 (Hồ Ngọc Đức's algorithm, after Jean Meeus' "Astronomical Algorithms").
const tz = 7.0

// jdn is the Julian day number of a civil date.
func jdn(t time.Time) int {
	y, m, d := t.Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()/86400) + 2440588
}

func fromJDN(j int) time.Time { return time.Unix(int64(j-2440588)*86400, 0).UTC() }

// newMoon is the Julian day (fractional, UT) of the k-th new moon after 1/1/1900.
func newMoon(k float64) float64 {
	T := k / 1236.85
	T2, T3 := T*T, T*T*T
	dr := math.Pi / 180
	jd1 := 2415020.75933 + 29.53058868*k + 0.0001178*T2 - 0.000000155*T3
	jd1 += 0.00033 * math.Sin((166.56+132.87*T-0.009173*T2)*dr)
	M := 359.2242 + 29.10535608*k - 0.0000333*T2 - 0.00000347*T3
	Mpr := 306.0253 + 385.81691806*k + 0.0107306*T2 + 0.00001236*T3
	F := 21.2964 + 390.67050646*k - 0.0016528*T2 - 0.00000239*T3
	c1 := (0.1734-0.000393*T)*math.Sin(M*dr) + 0.0021*math.Sin(2*dr*M)
	c1 = c1 - 0.4068*math.Sin(Mpr*dr) + 0.0161*math.Sin(dr*2*Mpr)
	c1 = c1 - 0.0004*math.Sin(dr*3*Mpr)
	c1 = c1 + 0.0104*math.Sin(dr*2*F) - 0.0051*math.Sin(dr*(M+Mpr))
	c1 = c1 - 0.0074*math.Sin(dr*(M-Mpr)) + 0.0004*math.Sin(dr*(2*F+M))
	c1 = c1 - 0.0004*math.Sin(dr*(2*F-M)) - 0.0006*math.Sin(dr*(2*F+Mpr))
	c1 = c1 + 0.0010*math.Sin(dr*(2*F-Mpr)) + 0.0005*math.Sin(dr*(2*Mpr+M))
	var deltat float64
	if T < -11 {
		deltat = 0.001 + 0.000839*T + 0.0002261*T2 - 0.00000845*T3 - 0.000000081*T*T3
	} else {
		deltat = -0.000278 + 0.000265*T + 0.000262*T2
	}
	return jd1 + c1 - deltat
}

// sunLongitude is the sun's longitude in radians [0, 2π) at Julian day jd (UT).
func sunLongitude(jd float64) float64 {
	T := (jd - 2451545.0) / 36525
	T2 := T * T
	dr := math.Pi / 180
	M := 357.52910 + 35999.05030*T - 0.0001559*T2 - 0.00000048*T*T2
	L0 := 280.46645 + 36000.76983*T + 0.0003032*T2
	DL := (1.914600 - 0.004817*T - 0.000014*T2) * math.Sin(dr*M)
	DL += (0.019993-0.000101*T)*math.Sin(dr*2*M) + 0.000290*math.Sin(dr*3*M)
	L := (L0 + DL) * dr
	return L - math.Pi*2*math.Floor(L/(math.Pi*2))
}

// sunSector is the 30° sector (0..11) of the sun's longitude at the start of local day d.
func sunSector(d int) int {
	return int(math.Floor(sunLongitude(float64(d)-0.5-tz/24) / math.Pi * 6))
}

func newMoonDay(k int) int { return int(math.Floor(newMoon(float64(k)) + 0.5 + tz/24)) }

// month11 is the day the 11th lunar month (the one holding the winter solstice) begins in year y.
func month11(y int) int {
	off := float64(jdn(time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC))) - 2415021
	k := int(math.Floor(off / 29.530588853))
	nm := newMoonDay(k)
	if sunSector(nm) >= 9 {
		nm = newMoonDay(k - 1)
	}
	return nm
}

// leapOffset is the offset, from month 11 starting on a11, of the leap month: the first month
// without a major solar term.
func leapOffset(a11 int) int {
	k := int(math.Floor((float64(a11)-2415021.076998695)/29.530588853 + 0.5))
	i := 1
	arc := sunSector(newMoonDay(k + i))
	for {
		last := arc
		i++
		arc = sunSector(newMoonDay(k + i))
		if arc == last || i >= 14 {
			break
		}
	}
	return i - 1
}

// Solar returns the civil date of lunar day/month of lunar year (leap: the leap month of that
// number); ok is false when the year has no such leap month.
func Solar(day, month, year int, leap bool) (t time.Time, ok bool) {
	var a11, b11 int
	if month < 11 {
		a11, b11 = month11(year-1), month11(year)
	} else {
		a11, b11 = month11(year), month11(year+1)
	}
	k := int(math.Floor(0.5 + (float64(a11)-2415021.076998695)/29.530588853))
	off := month - 11
	if off < 0 {
		off += 12
	}
	if b11-a11 > 365 {
		lo := leapOffset(a11)
		leapMonth := lo - 2
		if leapMonth < 0 {
			leapMonth += 12
		}
		if leap && month != leapMonth {
			return time.Time{}, false
		}
		if leap || off >= lo {
			off++
		}
	} else if leap {
		return time.Time{}, false
	}
	return fromJDN(newMoonDay(k+off) + day - 1), true
}

// Tet is the first day of the lunar year that begins in civil year y.
func Tet(y int) time.Time {
	t, _ := Solar(1, 1, y, false)
	return t
}

// HungKings is the Hùng Kings' commemoration day (10/3 lunar) of civil year y.
func HungKings(y int) time.Time {
	t, _ := Solar(10, 3, y, false)
	return t
}
