package demo

import (
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/rules/meetings"
)

// The demo's meetings register, read back from the rows and through the store: every cell of
// Uông Bí has its regular meeting each month from 2015 (a few missed, a few late), a thematic
// meeting most quarters, every meeting held scored, minutes published (late now and then, some
// of this month's not yet); the new wards' committees meet from 07/2025; members reach three
// unexcused months in some years; working members are registered where they live, with yearly
// comments. The load itself checks every row against the import's refusals.
func TestMeetingsDemo(t *testing.T) {
	d := load(t, 2018)
	s, res := loaded(t)
	t.Logf("meetings %d, attendance lines %d, decisions %d, residence links %d, comments %d (load %.1fs)",
		res.Rows["meetings"], res.Rows["meeting_attendance"], res.Rows["meeting_decisions"], res.Rows["residence_links"], res.Rows["residence_comments"], res.Seconds)

	regular := map[string]map[string]row{} // org → month → the regular meeting
	thematic := map[string]int{}           // org|year-quarter
	missed, late, unscored, latePub, unpublished, committee := 0, 0, 0, 0, 0, 0
	cal := cal
	for _, m := range d.rows["meetings"] {
		switch dangvu.MeetingKind(m["kind"]) {
		case dangvu.MeetingRegular:
			if regular[m["org_id"]] == nil {
				regular[m["org_id"]] = map[string]row{}
			}
			regular[m["org_id"]][m["month"]] = m
		case dangvu.MeetingThematic:
			mo, _ := time.Parse("2006-01", m["month"])
			thematic[m["org_id"]+"|"+m["month"][:4]+string(rune('0'+meetings.Quarter(mo.Month())))]++
		case dangvu.MeetingCommittee:
			committee++
			if m["month"] < "2025-07" {
				t.Errorf("%s: a committee meeting before the new wards", m["id"])
			}
		}
		if m["status"] == string(dangvu.MeetingMissed) {
			missed++
		}
		if m["status"] != string(dangvu.MeetingHeld) || m["kind"] == string(dangvu.MeetingCommittee) {
			continue
		}
		held, _ := dangvu.ParseISODate(m["held_on"])
		mo, _ := time.Parse("2006-01", m["month"])
		rules := meetings.For(held)
		if m["kind"] == string(dangvu.MeetingRegular) && held.After(rules.Due(cal, mo.Year(), mo.Month())) {
			late++
		}
		if m["quality_points"] == "" || m["quality_band"] == "" {
			unscored++
		}
		switch {
		case m["published_on"] == "":
			unpublished++
			if m["held_on"] < "2026-11-01" {
				t.Errorf("%s held on %s: minutes never published", m["id"], m["held_on"])
			}
		case m["published_on"] > dangvu.ISO(rules.PublishBy(cal, held)):
			latePub++
		}
	}
	// Every cell of Uông Bí in force on a month's first day has its regular meeting that month.
	gaps := 0
	for id, vs := range d.orgs {
		if !strings.HasPrefix(id, "UB-") && !strings.HasPrefix(id, "QN-UONGBI") && !strings.HasPrefix(id, "QN-VANGDANH") && !strings.HasPrefix(id, "QN-YENTU") {
			continue
		}
		for y := 2015; y <= 2026; y++ {
			for mo := 1; mo <= 12; mo++ {
				first := time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC)
				day := dangvu.ISO(first)
				v := d.version(id, day)
				if v == nil || v["level"] != string(dangvu.LevelCell) && v["level"] != string(dangvu.LevelGrassrootsCell) || vs[len(vs)-1]["valid_to"] != "" && vs[len(vs)-1]["valid_to"] <= dangvu.ISO(first.AddDate(0, 1, -1)) {
					continue
				}
				if _, ok := regular[id][day[:7]]; !ok {
					if gaps++; gaps <= 5 {
						t.Errorf("%s: no regular meeting for %s", id, day[:7])
					}
				}
			}
		}
	}
	quarters := 0
	for range thematic {
		quarters++
	}
	t.Logf("missed %d, held late %d, minutes late %d, not yet published %d, cell-quarters with a thematic meeting %d, committee meetings %d",
		missed, late, latePub, unpublished, quarters, committee)
	if missed == 0 || late == 0 || latePub == 0 || unpublished == 0 || quarters < 1000 || committee != 3*17 || unscored > 0 {
		t.Errorf("want some missed, late, published late and unpublished meetings, thematic ones most quarters, the wards' 17 months, every one scored (unscored %d)", unscored)
	}

	// The three-month rule finds members in some years; the ward's month lists its cells held.
	ctx := t.Context()
	flagged := 0
	for y := 2015; y <= 2025; y++ {
		fs, err := s.ThreeMonths(ctx, "UB", y, "")
		if err != nil {
			t.Fatal(err)
		}
		flagged += len(fs)
	}
	if flagged == 0 {
		t.Error("no member reaches three unexcused months in a year under Uông Bí, 2015–2025")
	}
	cells, err := s.WardMonth(ctx, "QN-YENTU", "2026-11")
	if err != nil {
		t.Fatal(err)
	}
	held := 0
	for _, c := range cells {
		if !c.Held.IsZero() {
			held++
		}
	}
	if held == 0 || held < len(cells)*9/10 {
		t.Errorf("Yên Tử, 11/2026: %d of %d cells held their meeting", held, len(cells))
	}
	links, err := s.ResidenceLinks(ctx, "QN-UONGBI", Today)
	if err != nil {
		t.Fatal(err)
	}
	returned := 0
	for _, l := range links {
		for _, c := range l.Comments {
			if !c.ReturnedOn.IsZero() {
				returned++
			}
		}
	}
	t.Logf("flagged member-years 2015–2025 %d; Yên Tử 11/2026 held %d of %d; Uông Bí ward residence links %d, comments returned %d", flagged, held, len(cells), len(links), returned)
	if len(links) == 0 || returned == 0 {
		t.Error("no residence links with returned comments in Uông Bí ward")
	}
}
