package store

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/rules/badges"
)

// testFilesKept checks the complete files kept for the top of the tree (reached_kept.go) on the
// demo: the rows against a recomputation from the records, and the report's counts read from
// them against the counts read from the members' documents, for the root and the province on
// days before and after the 2025 reorganisation and the 2026 catalogue; then again after a
// document completes a member's file.
func testFilesKept(t *testing.T, s *Store) {
	ctx := context.Background()
	agree := func(when string) { t.Helper(); keptAgree(t, when, "reached_kept", s.ReachedKeptAgree) }
	agree("after the import")
	root := demoRoot(t, s)
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	days := []time.Time{d(2018, 5, 31), d(2025, 6, 30), d(2025, 7, 1), d(2026, 6, 29), d(2026, 6, 30), d(2026, 11, 27), d(2026, 12, 31)}
	compare := func(when string) {
		t.Helper()
		both := false
		for _, org := range []string{root, "QN"} {
			for _, day := range days {
				rc, err := s.reportContext(ctx, dangvu.ReportQuery{Org: org, From: day.AddDate(-1, 0, 0), To: day})
				if err != nil {
					t.Fatal(err)
				}
				m, x, ok, err := s.filesKeptCounts(ctx, rc)
				if err != nil || !ok {
					t.Fatalf("%s %s: kept counts not read (%v)", org, dateArg(day), err)
				}
				wm, wx, err := s.fileCountsRead(ctx, rc)
				if err != nil {
					t.Fatal(err)
				}
				if m != wm || x != wx {
					t.Errorf("%s: %s on %s: kept %d members, %d missing; read %d, %d", when, org, dateArg(day), m, x, wm, wx)
				}
				both = both || (wx > 0 && wx < wm)
			}
		}
		if !both {
			t.Fatalf("%s: no day with both complete and incomplete files: the check compares nothing", when)
		}
	}
	compare("after the import")

	// A member whose file lacks a required type gets it.
	rc, err := s.reportContext(ctx, dangvu.ReportQuery{Org: "QN", From: d(2026, 1, 1), To: d(2026, 11, 27)})
	if err != nil {
		t.Fatal(err)
	}
	missing, _, err := s.fileChecks(ctx, rc)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for id, types := range missing {
		if n == 3 {
			break
		}
		for _, ty := range types {
			if _, err := s.SaveFileDocument(ctx, "test", dangvu.FileDocument{MemberID: id, TypeNo: ty.No, AddedOn: dangvu.DateOf(d(2026, 10, 5)), Title: "bổ sung"}); err != nil {
				t.Fatal(err)
			}
		}
		n++
	}
	if n == 0 {
		t.Fatal("nobody in QN lacks a document")
	}
	agree("after the documents")
	compare("after the documents")
}

// testStudiedKept checks the studies kept for the top of the tree (reached_kept.go) after
// absentees of a conference make it up and others are marked present: the rows against a
// recomputation, and the coverage read from them against the coverage read from the attendance.
func testStudiedKept(t *testing.T, s *Store) {
	ctx := context.Background()
	var conf, date string
	if err := s.read.QueryRowContext(ctx, `SELECT c.id, c.date FROM attendance a JOIN conferences c ON c.id = a.conference_id
		WHERE a.status IN ('absent', 'absent_excused') AND c.date >= '2025-07-01' GROUP BY c.id, c.date ORDER BY c.date DESC, c.id LIMIT 1`).Scan(&conf, &date); err != nil {
		t.Fatal(err)
	}
	sheet, err := s.Sheet(ctx, conf)
	if err != nil {
		t.Fatal(err)
	}
	day, err := dangvu.ParseISODate(date)
	if err != nil {
		t.Fatal(err)
	}
	var lines []dangvu.Attendance
	for _, a := range sheet {
		if a.Status != dangvu.AttAbsent && a.Status != dangvu.AttExcused {
			continue
		}
		a.Reason = ""
		if len(lines)%2 == 0 {
			a.Status, a.MadeUpOn = dangvu.AttMadeUp, dangvu.DateOf(day.AddDate(0, 0, 10))
		} else {
			a.Status = dangvu.AttPresent
		}
		lines = append(lines, a)
	}
	if len(lines) == 0 {
		t.Fatalf("conference %s: nobody absent", conf)
	}
	if err := s.SetAttendance(ctx, "test", conf, lines); err != nil {
		t.Fatal(err)
	}
	keptAgree(t, "after the attendance", "reached_kept", s.ReachedKeptAgree)
	docs, err := column(ctx, s.read, `SELECT document_id FROM conference_documents WHERE conference_id = ?`, conf)
	if err != nil {
		t.Fatal(err)
	}
	root := demoRoot(t, s)
	defer func() { coverageRead = false }()
	for _, o := range []string{root, "QN"} {
		for _, d := range []time.Time{day.AddDate(0, 0, -1), day, day.AddDate(0, 0, 10), day.AddDate(1, 0, 0)} {
			org, err := s.Org(ctx, o, d)
			if err != nil {
				t.Fatal(err)
			}
			var got [2]dangvu.Coverage
			for i, read := range []bool{false, true} {
				coverageRead = read
				if got[i], err = s.coverageCounts(ctx, org, docs, dateArg(d)); err != nil {
					t.Fatal(err)
				}
			}
			if !reflect.DeepEqual(got[0], got[1]) {
				t.Errorf("%s on %s: kept %+v, read %+v", o, dateArg(d), got[0], got[1])
			}
		}
	}
	t.Logf("%d lines of %s changed; %d members", len(lines), conf, len(sheet))
}

// testBadgePrefilter checks that narrowing the members due a badge in SQL (badgeDueCandidates)
// lists the same members as reading every candidate's history, and that counting the plain
// ones in SQL (badgesDue: from the tallies for the root and the province, badgeDueTally, with
// the histories of badgeCorrections' members) counts as many, for the root and a ward on the
// eve of every ceremony from 2014 to 2027 and the province on days around several. The demo
// has members delayed by a discipline; a dozen of the ward's members are given a gap in the
// Party first (out for 100 to 430 days, back on 1/6/2012: the demo's records start in 2010),
// which moves their milestones, and a member of the province leaves before a milestone.
func testBadgePrefilter(t *testing.T, s *Store) {
	ctx := context.Background()
	defer func() { badgePrefilter = true }()
	root := demoRoot(t, s)
	ward, err := s.Org(ctx, "QN-VANGDANH", time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := subtreeRange(ward.Path)
	gapped, err := column(ctx, s.read, `SELECT r.member_id FROM roster r WHERE r.path >= ? AND r.path < ? AND r.valid_from <= '2026-11-27' AND r.valid_to > '2026-11-27'
		AND r.admitted_on >= '1995-06-01' AND r.admitted_on < '2000-01-01'
		AND r.member_id NOT IN (SELECT member_id FROM member_statuses WHERE status NOT IN ('probationary', 'full', 'exempt'))
		AND r.member_id NOT IN (SELECT member_id FROM badges) ORDER BY r.member_id LIMIT 12`, lo, hi)
	if err != nil || len(gapped) < 12 {
		t.Fatalf("twelve members of the ward admitted from June 1995 to 1999 without a badge: %v, %v", gapped, err)
	}
	err = s.tx(ctx, func(tx *dbTx) error {
		for i, id := range gapped {
			back := time.Date(2012, 6, 1, 0, 0, 0, 0, time.UTC)
			for _, st := range [][2]string{{"removed", dateArg(back.AddDate(0, 0, -100-30*i))}, {"full", dateArg(back)}} {
				if _, err := tx.ExecContext(ctx, `INSERT INTO member_statuses (member_id, status, valid_from) VALUES (?, ?, ?)`, id, st[0], st[1]); err != nil {
					return err
				}
			}
			if err := s.rebuildRoster(ctx, tx, "", id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	keptAgree(t, "after the gaps", "roster_ends", s.RosterEndsAgree)
	// A member of the province who leaves the Party the day before a 30th anniversary, seen two
	// days before it: on the roster then, never due at the ceremony that follows.
	// A second one leaves the day after the anniversary, before the ceremony, seen on the
	// anniversary: due, though the roster row ends before the ceremony.
	plain, err := column(ctx, s.read, `SELECT r.member_id || ' ' || r.admitted_on FROM roster r WHERE r.path LIKE '/%/QN/%' AND r.valid_from <= '2026-11-27' AND r.valid_to > '2026-11-27'
		AND r.admitted_on >= '1997-01-01' AND r.admitted_on < '1998-01-01' AND r.member_id NOT IN (SELECT member_id FROM badges)
		AND r.member_id NOT IN (SELECT member_id FROM member_statuses WHERE status NOT IN ('probationary', 'full', 'exempt'))
		AND r.member_id NOT IN (SELECT member_id FROM disciplines) ORDER BY r.member_id`)
	if err != nil || len(plain) < 2 {
		t.Fatalf("members of the province admitted in 1997 without a badge: %v, %v", plain, err)
	}
	// A third is reprimanded ten days before the anniversary, seen on it: the delay runs past
	// the ceremony, not due though admitted within its window.
	var leaver, late, reprimanded string
	var left, lateAnniversary, reprimandedAnniversary time.Time
	for _, p := range plain {
		id, admitted, _ := strings.Cut(p, " ")
		adm, _ := dangvu.ParseISODate(admitted)
		a := badges.AddYears(adm, 30)
		switch {
		case leaver == "":
			leaver, left = id, a.AddDate(0, 0, -1)
		case late == "" && a.Before(badges.NextCeremony(a)):
			late, lateAnniversary = id, a
		case reprimanded == "":
			reprimanded, reprimandedAnniversary = id, a
		}
	}
	if late == "" || reprimanded == "" {
		t.Fatalf("no member of the province admitted in 1997 whose 30th anniversary falls before a ceremony, or none left to reprimand")
	}
	err = s.tx(ctx, func(tx *dbTx) error {
		day := dateArg(reprimandedAnniversary.AddDate(0, 0, -10))
		return keepTallies(ctx, tx, disciplineTally, tallyIDs, []string{"KL-TEST-BADGE"}, func() error {
			_, err := tx.ExecContext(ctx, `INSERT INTO disciplines (id, member_id, org_id, form, authority_org_id, authority_body, violation_on, decided_on, effective_on, number)
				VALUES ('KL-TEST-BADGE', ?, 'QN', 'reprimand', 'QN', 'committee', ?, ?, ?, '1-QĐ/TEST')`, reprimanded, day, day, day)
			return err
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.tx(ctx, func(tx *dbTx) error {
		for _, out := range []struct {
			id  string
			day time.Time
		}{{leaver, left}, {late, lateAnniversary.AddDate(0, 0, 1)}} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO member_statuses (member_id, status, valid_from) VALUES (?, 'left', ?)`, out.id, dateArg(out.day)); err != nil {
				return err
			}
			if err := s.rebuildRoster(ctx, tx, "", out.id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	keptAgree(t, "after the gaps and the leavers", "tallies", s.TalliesAgree)
	var eves []time.Time
	for y := 2014; y <= 2027; y++ {
		for _, c := range badges.Ceremonies(y) {
			eves = append(eves, c.AddDate(0, 0, -1))
		}
	}
	// The province reads its candidates its own way (badgeDueCandidates): every eve too.
	days := map[string][]time.Time{root: append(slices.Clip(eves), left.AddDate(0, 0, -1), lateAnniversary, reprimandedAnniversary), "QN-VANGDANH": eves, "QN": append(slices.Clip(eves), left.AddDate(0, 0, -1), lateAnniversary, reprimandedAnniversary,
		time.Date(2018, 5, 31, 0, 0, 0, 0, time.UTC), time.Date(2019, 1, 15, 0, 0, 0, 0, time.UTC),
		time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC), time.Date(2025, 9, 2, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC),
	)}
	kinds := map[string]int{}
	for _, org := range []string{root, "QN", "QN-VANGDANH"} {
		for _, day := range days[org] {
			if org == "QN-VANGDANH" && day.Before(time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)) {
				continue // the ward was formed on 1/7/2025
			}
			var got [2][]dangvu.BadgeCandidate
			for i, pre := range []bool{true, false} {
				badgePrefilter = pre
				var err error
				if got[i], err = s.badgeCandidates(ctx, org, badges.NextCeremony(day), day, true, false); err != nil {
					t.Fatal(err)
				}
				slices.SortFunc(got[i], func(a, b dangvu.BadgeCandidate) int { return strings.Compare(a.MemberID, b.MemberID) })
			}
			if !reflect.DeepEqual(got[0], got[1]) {
				t.Errorf("%s on %s: %d due narrowed in SQL, %d from every history", org, dateArg(day), len(got[0]), len(got[1]))
			}
			badgePrefilter = true
			if o, err := s.Org(ctx, org, day); err != nil {
				t.Fatal(err)
			} else if _, ok, err := s.badgesDueKept(ctx, o.Path, badges.NextCeremony(day), day); !ok && pathDepth(o.Path) <= countDepth {
				t.Fatalf("%s on %s: the badges due kept not read (%v)", org, dateArg(day), err)
			}
			if n, err := s.badgesDue(ctx, org, badges.NextCeremony(day), day); err != nil || n != len(got[1]) {
				t.Errorf("%s on %s: %d due counted (%v), %d from every history", org, dateArg(day), n, err, len(got[1]))
			}
			for _, c := range got[1] {
				kinds[c.Kind]++
				if c.GapDays > 0 {
					kinds["after a gap"]++
				}
			}
		}
	}
	// Each way a member is due must have been compared.
	if kinds[string(badges.Due)] == 0 || kinds[string(badges.Delayed)] == 0 || kinds["after a gap"] == 0 {
		t.Fatalf("due by kind %v: a way of being due was never compared", kinds)
	}
	t.Logf("due by kind %v", kinds)
}

// TestBadgeSimpleWindows checks the admission days that badgeSimple counts as due at a ceremony
// against badges.ForCeremony for a member with no gap, discipline or death, and the ceremony
// badgeDueTally counts them at: every admission day of four years (a leap year among them)
// before each ceremony of 2025–2028 and every milestone.
func TestBadgeSimpleWindows(t *testing.T) {
	for y := 2025; y <= 2028; y++ {
		for _, c := range badges.Ceremonies(y) {
			set := badges.For(c)
			prev := badges.PrevCeremony(c)
			windows := map[int][2]time.Time{}
			for _, n := range set.Milestones {
				lo, hi := milestoneAdmissions(prev, c, n)
				windows[n] = [2]time.Time{lo, hi}
			}
			for _, n := range set.Milestones {
				for a := badges.AddYears(c, -n).AddDate(-2, 0, 0); a.Before(badges.AddYears(c, -n).AddDate(2, 0, 0)); a = a.AddDate(0, 0, 1) {
					cand, ok := badges.ForCeremony(badges.History{Admitted: a}, nil, nil, c)
					due := ok && cand.Kind == badges.Due && cand.Milestone == n
					w := windows[n]
					in := a.After(w[0]) && !a.After(w[1])
					if in != due {
						t.Fatalf("ceremony %s, milestone %d, admitted %s: in window (%s, %s] %v, due %v (%+v)", dateArg(c), n, dateArg(a), dateArg(w[0]), dateArg(w[1]), in, due, cand)
					}
					// badgeDueTally places the member at the first ceremony on or after the
					// anniversary.
					if tallied := badges.NextCeremony(badges.AddYears(a, n)).Equal(c); tallied != in {
						t.Fatalf("ceremony %s, milestone %d, admitted %s: in window %v, tallied at it %v", dateArg(c), n, dateArg(a), in, tallied)
					}
				}
			}
		}
	}
}

// TestPartyAgeReachDays checks the day from which partyAgeTally counts a member under a bound
// against the report's rule (yearsBefore): n years on d when admitted on or before
// yearsBefore(d, n). Every admission day of four years (a leap year among them) and every bound.
func TestPartyAgeReachDays(t *testing.T) {
	for a := time.Date(1994, 1, 1, 0, 0, 0, 0, time.UTC); a.Year() < 1998; a = a.AddDate(0, 0, 1) {
		for _, n := range partyAgeBounds() {
			day := a.AddDate(n, 0, 0)
			if a.After(yearsBefore(day, n)) {
				t.Fatalf("admitted %s: %d years not reached on %s", dateArg(a), n, dateArg(day))
			}
			if before := day.AddDate(0, 0, -1); !a.After(yearsBefore(before, n)) {
				t.Fatalf("admitted %s: %d years already reached on %s", dateArg(a), n, dateArg(before))
			}
		}
	}
}

// testPartyAgeKept checks the party age kept for the top of the tree (tallies.go) on the
// demo: the rows against a recomputation from the roster, and the bands read from them against
// the roster's scan for the root and the province on days before and after the reorganisation,
// an anniversary of 29 February among them; then again after members' admission dates change
// (to 29 February, and to none).
func testPartyAgeKept(t *testing.T, s *Store) {
	ctx := context.Background()
	agree := func(when string) { t.Helper(); keptAgree(t, when, "tallies", s.TalliesAgree) }
	root := demoRoot(t, s)
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	days := []time.Time{d(2015, 1, 1), d(2018, 5, 31), d(2025, 6, 30), d(2025, 7, 1), d(2026, 2, 28), d(2026, 3, 1), d(2026, 11, 27), d(2036, 2, 28), d(2036, 2, 29)}
	compare := func(when string, unknown bool) {
		t.Helper()
		banded := map[int]bool{}
		for _, org := range []string{root, "QN"} {
			for _, day := range days {
				rc, err := s.reportContext(ctx, dangvu.ReportQuery{Org: org, From: day.AddDate(-1, 0, 0), To: day})
				if err != nil {
					t.Fatal(err)
				}
				kept, ok, err := s.partyAgeKept(ctx, rc)
				if err != nil || !ok {
					t.Fatalf("%s %s: kept party age not read (%v)", org, dateArg(day), err)
				}
				read, err := s.partyAgeRead(ctx, rc)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(kept, read) {
					t.Errorf("%s: %s on %s: kept %v, roster %v", when, org, dateArg(day), kept, read)
				}
				for i, n := range read {
					if n > 0 {
						banded[i] = true
					}
				}
			}
		}
		if len(banded) < 4 || unknown && !banded[0] {
			t.Fatalf("%s: members in only %v of the bands: the check compares little", when, banded)
		}
	}
	agree("after the import")
	compare("after the import", false)

	// Three members of the province get a new admission date: 29 February 2016 (ten years on
	// 1 March 2026), 29 February 1996 (thirty years on 1 March 2026) and none.
	var ids []string
	rows, err := s.read.QueryContext(ctx, `SELECT DISTINCT member_id FROM roster WHERE path LIKE '/VN/QN/%' AND admitted_on <> '' ORDER BY member_id LIMIT 3`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if len(ids) < 3 {
		t.Fatalf("members of QN: %v", ids)
	}
	for i, adm := range []string{"2016-02-29", "1996-02-29", ""} {
		m, err := s.member(ctx, s.read, ids[i], d(2026, 11, 27))
		if err != nil {
			t.Fatal(err)
		}
		m.AdmittedOn = isoDate(adm)
		if m.FullOn.Before(m.AdmittedOn) {
			m.FullOn = isoDate("2017-03-01")
		}
		if _, err := s.UpdateMember(ctx, "test", m); err != nil {
			t.Fatal(err)
		}
	}
	var unknown int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM roster WHERE member_id = ? AND admitted_on = ''`, ids[2]).Scan(&unknown); err != nil || unknown == 0 {
		t.Fatalf("the member without an admission date has %d roster rows without one (%v)", unknown, err)
	}
	agree("after the admission dates")
	compare("after the admission dates", true)
}

// testTallies checks the events counted for the top of the tree (tallies.go) on the demo: the
// rows against a recomputation from the records, and each kind's counts read from them against
// the report's own query, for the root and the province over periods before, across and after
// the 2025 reorganisation; then again after members admitted without a decision on record get
// another admission day. The other writes that change them are checked by the conformance
// suite (TalliesAgree after every subtest).
func testTallies(t *testing.T, s *Store) {
	ctx := context.Background()
	agree := func(when string) { t.Helper(); keptAgree(t, when, "tallies", s.TalliesAgree) }
	agree("after the import")
	compareTallies(t, s)

	// Members counted by their admission day (no decision on record) are admitted a day later,
	// within the same roster row.
	rows, err := s.read.QueryContext(ctx, `SELECT r.member_id, r.admitted_on, r.valid_to FROM roster r WHERE r.path LIKE '/VN/QN/%' AND r.admitted_on <> ''
		AND r.valid_from <= r.admitted_on AND r.valid_to > r.admitted_on
		AND NOT EXISTS (SELECT 1 FROM admission_files f WHERE f.member_id = r.member_id) ORDER BY r.member_id LIMIT 20`)
	if err != nil {
		t.Fatal(err)
	}
	moved := map[string]string{}
	for rows.Next() {
		var id, adm, to string
		if err := rows.Scan(&id, &adm, &to); err != nil {
			t.Fatal(err)
		}
		a, _ := dangvu.ParseISODate(adm)
		if next := dateArg(a.AddDate(0, 0, 1)); next < to && len(moved) < 3 {
			moved[id] = next
		}
	}
	rows.Close()
	if len(moved) == 0 {
		t.Fatal("no member of QN admitted without a file: the check compares nothing")
	}
	for id, day := range moved {
		m, err := s.member(ctx, s.read, id, time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		m.AdmittedOn = isoDate(day)
		if _, err := s.UpdateMember(ctx, "test", m); err != nil {
			t.Fatal(err)
		}
	}
	agree("after the admission days")
	compareTallies(t, s)

	// A cell of QN gets, before the first month it met, a meeting held on time that joins its
	// run, one held in the next month (late) and, a month earlier, a run of two months of its
	// own, the first of which the period starts within: the months it met change by four.
	firsts, err := scanAll(ctx, s.read, `SELECT m.org_id, min(m.month) FROM meetings m JOIN org_paths p ON p.org_id = m.org_id
		WHERE p.path LIKE '/VN/QN/%' AND m.kind = 'regular' AND m.status = 'held' GROUP BY m.org_id ORDER BY min(m.month) DESC, m.org_id`, nil,
		func(sc interface{ Scan(...any) error }) ([2]string, error) {
			var x [2]string
			return x, sc.Scan(&x[0], &x[1])
		})
	if err != nil {
		t.Fatal(err)
	}
	var cell, first string
	var f int
	for _, x := range firsts { // one that was a cell four months before it first met
		f, _ = monthIndex(x[1])
		if o, err := s.Org(ctx, x[0], dangvu.MustDate(monthFirstDay(f-4)).Time); err == nil && (o.Level == dangvu.LevelCell || o.Level == dangvu.LevelGrassrootsCell) {
			cell, first = x[0], x[1]
			break
		}
	}
	if cell == "" {
		t.Fatal("no cell of QN that existed four months before it first met")
	}
	// From the 10th of the first of the four to the 15th of the third after the first met:
	// months read day by day at both ends.
	rc, err := s.reportContext(ctx, dangvu.ReportQuery{Org: "QN", From: dangvu.MustDate(monthKey(f-4) + "-10").Time, To: dangvu.MustDate(monthKey(f+3) + "-15").Time})
	if err != nil {
		t.Fatal(err)
	}
	before, err := directMonths(ctx, s, rc)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct {
		month int
		held  string
	}{{f - 1, monthKey(f-1) + "-20"}, {f - 2, monthKey(f-1) + "-05"}, {f - 3, monthKey(f-3) + "-10"}, {f - 4, monthKey(f-4) + "-20"}} {
		if _, err := s.CreateMeeting(ctx, "test", dangvu.CellMeeting{OrgID: cell, Kind: dangvu.MeetingRegular, Month: monthKey(m.month),
			Status: dangvu.MeetingHeld, Held: dangvu.MustDate(m.held)}); err != nil {
			t.Fatalf("meeting of %s for %s held %s: %v", cell, monthKey(m.month), m.held, err)
		}
	}
	after, err := directMonths(ctx, s, rc)
	if err != nil {
		t.Fatal(err)
	}
	if after[cell] != before[cell]+4 {
		t.Fatalf("%s met in %d months of the period, %d after four meetings in months before %s: the check compares nothing", cell, before[cell], after[cell], first)
	}
	if got, ok, err := s.talliedMonths(ctx, rc); err != nil || !ok || !reflect.DeepEqual(got, after) {
		t.Errorf("months met %s–%s (%v, %v): tallied ≠ counted: %s", rc.from, rc.to, ok, err, countsDiff(got, after))
	}
	agree("after the meetings before a run")
	compareTallies(t, s)
}

// compareTallies compares each kind's tallied counts with the report's own for the root and the
// province over periods before, across and after the 2025 reorganisation.
func compareTallies(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	root := demoRoot(t, s)
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	periods := [][2]time.Time{{d(2015, 1, 1), d(2018, 5, 31)}, {d(2017, 12, 31), d(2018, 12, 31)}, {d(2024, 1, 1), d(2025, 6, 30)},
		{d(2025, 1, 1), d(2026, 11, 27)}, {d(2025, 7, 1), d(2026, 12, 31)}, {d(2010, 1, 1), d(2026, 12, 31)}}
	for _, kind := range tallyKinds {
		if kind.name == partyAgeTally.name || kind.name == cellTally.name || kind.name == badgeDueTally.name {
			continue // counted as of a day, not over a period: testPartyAgeKept, testExpectedCells, testBadgePrefilter
		}
		seen := 0
		for _, org := range []string{root, "QN"} {
			for _, p := range periods {
				rc, err := s.reportContext(ctx, dangvu.ReportQuery{Org: org, From: p[0], To: p[1]})
				if err != nil {
					t.Fatal(err)
				}
				got, ok, err := s.tallied(ctx, rc, kind)
				switch kind.name { // read as the report reads them
				case meetingMonthTally.name, meetingRunTally.name, meetingLateTally.name: // read together
					got, ok, err = s.talliedMonths(ctx, rc)
				case unexcusedTally.name:
					var n int
					n, ok, err = s.talliedThreeMonths(ctx, rc)
					got = map[string]int{"flags": n}
				case disciplineTally.name:
					var q string
					var args []any
					if q, args, ok, err = s.disciplinedTallied(ctx, rc); err == nil && ok {
						got, err = countOne(ctx, s, q, args)
					}
				case remitTally.name:
					var n int64
					n, ok, err = s.talliedRemitted(ctx, rc)
					if got = map[string]int{}; n != 0 {
						got[""] = int(n)
					}
				}
				if err != nil || !ok {
					t.Fatalf("%s %s %s–%s: not tallied (%v)", kind.name, org, dateArg(p[0]), dateArg(p[1]), err)
				}
				want, err := talliedDirect[kind.name](ctx, s, rc)
				if err != nil {
					t.Fatal(err)
				}
				for k, n := range want {
					if n == 0 {
						delete(want, k)
					}
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s %s %s–%s: tallied ≠ counted: %s", kind.name, org, dateArg(p[0]), dateArg(p[1]), countsDiff(got, want))
				}
				seen += len(want)
			}
		}
		if seen == 0 {
			t.Errorf("%s: nothing counted in any period: the check compares nothing", kind.name)
		}
	}
}

// countsDiff lists the keys whose counts differ (the first ten), as "key: got/want".
func countsDiff(got, want map[string]int) string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if got[k] != want[k] {
			out = append(out, fmt.Sprintf("%s: %d/%d", k, got[k], want[k]))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if _, ok := got[k]; !ok {
			out = append(out, fmt.Sprintf("%s: -/%d", k, want[k]))
		}
	}
	if len(out) > 10 {
		out = append(out[:10], fmt.Sprintf("… %d more", len(out)-10))
	}
	return strings.Join(out, ", ")
}

// countOne runs a count's query: {"": n}, or nothing when n is 0 (as the tallies keep it).
func countOne(ctx context.Context, s *Store, q string, args []any) (map[string]int, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		return nil, err
	}
	if n == 0 {
		return map[string]int{}, nil
	}
	return map[string]int{"": n}, nil
}

func directMonths(ctx context.Context, s *Store, rc *reportCtx) (map[string]int, error) {
	_, months, err := s.meetingSums(ctx, rc)
	return months, err
}

// talliedDirect are the report's own counts of each kind of tallies, by key.
var talliedDirect = map[string]func(context.Context, *Store, *reportCtx) (map[string]int, error){
	unexcusedTally.name: func(ctx context.Context, s *Store, rc *reportCtx) (map[string]int, error) {
		flags, err := s.periodFlags(ctx, rc.org.ID, rc.from, rc.to)
		return map[string]int{"flags": len(flags)}, err
	},
	meetingTally.name: func(ctx context.Context, s *Store, rc *reportCtx) (map[string]int, error) {
		sums, _, err := s.meetingSums(ctx, rc)
		return sums, err
	},
	// The months each cell met, as talliedMonths counts them.
	meetingMonthTally.name: directMonths,
	meetingRunTally.name:   directMonths,
	meetingLateTally.name:  directMonths,
	admissionTally.name: func(ctx context.Context, s *Store, rc *reportCtx) (map[string]int, error) {
		q, args, err := s.admittedQuery(ctx, rc)
		if err != nil {
			return nil, err
		}
		var n int
		err = s.read.QueryRowContext(ctx, `SELECT count(*) FROM (`+q+`) x`, args...).Scan(&n)
		return map[string]int{"": n}, err
	},
	badgeTally.name: func(ctx context.Context, s *Store, rc *reportCtx) (map[string]int, error) {
		var n int
		bq, bargs := badgesAwardedIn(rc)
		err := s.read.QueryRowContext(ctx, `SELECT count(*)`+bq, bargs...).Scan(&n)
		return map[string]int{"": n}, err
	},
	disciplineTally.name: func(ctx context.Context, s *Store, rc *reportCtx) (map[string]int, error) {
		q, args := disciplinedUnder(rc, false)
		return countOne(ctx, s, q, args)
	},
	remitTally.name: func(ctx context.Context, s *Store, rc *reportCtx) (map[string]int, error) {
		n, err := s.duesRemittedSummed(ctx, rc)
		return map[string]int{"": int(n)}, err
	},
	reviewTally.name: func(ctx context.Context, s *Store, rc *reportCtx) (map[string]int, error) {
		counts, err := s.reviewCounts(ctx, rc)
		for k := range counts {
			if strings.HasSuffix(k, "/") {
				delete(counts, k) // undecided: not tallied, not reported
			}
		}
		return counts, err
	},
}

// testEveryMonthStarts checks that the cells meeting every month are the same whether their
// first days are read for the cells listed or in one pass over the versions (a province's or
// the country's cells), on the demo's periods that a cell founded within them spans.
func testEveryMonthStarts(t *testing.T, s *Store) {
	ctx := context.Background()
	defer func(n int) { everyMonthScan = n }(everyMonthScan)
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	found := 0
	for _, p := range [][2]time.Time{{d(2025, 12, 1), d(2026, 11, 27)}, {d(2025, 1, 1), d(2026, 11, 27)}, {d(2026, 3, 1), d(2026, 6, 30)}} {
		rc, err := s.reportContext(ctx, dangvu.ReportQuery{Org: "QN", From: p[0], To: p[1]})
		if err != nil {
			t.Fatal(err)
		}
		var got [2][]dangvu.Org
		for i, n := range []int{5000, 0} {
			everyMonthScan = n
			if got[i], err = s.everyMonthCells(ctx, rc, nil, true); err != nil {
				t.Fatal(err)
			}
		}
		if !reflect.DeepEqual(got[0], got[1]) {
			t.Errorf("%s–%s: %d cells meet every month by the listed cells' first days, %d by one pass", dateArg(p[0]), dateArg(p[1]), len(got[0]), len(got[1]))
		}
		found += len(got[0])
	}
	if found == 0 {
		t.Fatal("no cell met every month in any period: the check compares nothing")
	}
	// The root's count reads the country's cells from the versions alone (the second period
	// spans the founding of the cells of 1/7/2025, which owe only from then).
	found = 0
	for _, p := range [][2]time.Time{{d(2025, 12, 1), d(2026, 11, 27)}, {d(2025, 1, 1), d(2026, 11, 27)}, {d(2015, 2, 1), d(2018, 5, 31)}, {d(2026, 3, 1), d(2026, 6, 30)}} {
		rc, err := s.reportContext(ctx, dangvu.ReportQuery{Org: demoRoot(t, s), From: p[0], To: p[1]})
		if err != nil {
			t.Fatal(err)
		}
		var ids [2][]string
		for i, named := range []bool{true, false} {
			cells, err := s.everyMonthCells(ctx, rc, nil, named)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cells {
				ids[i] = append(ids[i], c.ID)
			}
			slices.Sort(ids[i])
		}
		if !reflect.DeepEqual(ids[0], ids[1]) {
			t.Errorf("root %s–%s: %d cells meet every month listed by path, %d from the versions", dateArg(p[0]), dateArg(p[1]), len(ids[0]), len(ids[1]))
		}
		found += len(ids[0])
	}
	if found == 0 {
		t.Fatal("no cell of the root met every month in any period: the check compares nothing")
	}
}

// testExpectedCells checks the cells × months owed a meeting (expectedMeetings) from the
// tallies against the read of the cells, for the root and the province over periods before,
// across and after the 2025 reorganisation (the province's cells all changed path then).
func testExpectedCells(t *testing.T, s *Store) {
	ctx := context.Background()
	defer func() { expectedRead = false }()
	root := demoRoot(t, s)
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	total := 0
	for _, org := range []string{root, "QN"} {
		for _, p := range [][2]time.Time{{d(2015, 1, 1), d(2018, 5, 31)}, {d(2024, 1, 1), d(2025, 6, 30)}, {d(2025, 1, 1), d(2026, 11, 27)},
			{d(2025, 7, 1), d(2026, 12, 31)}, {d(2010, 1, 1), d(2026, 12, 31)}} {
			rc, err := s.reportContext(ctx, dangvu.ReportQuery{Org: org, From: p[0], To: p[1]})
			if err != nil {
				t.Fatal(err)
			}
			if ok, err := s.tallyReadable(ctx, cellTally, rc.spans); err != nil || !ok {
				t.Fatalf("%s: cells not tallied (%v)", org, err)
			}
			var got [2]expected
			for i, read := range []bool{false, true} {
				expectedRead = read
				if got[i], err = s.expectedMeetings(ctx, rc.spans, rc.from, rc.to); err != nil {
					t.Fatal(err)
				}
			}
			if got[0] != got[1] {
				t.Errorf("%s %s–%s: %d cell-months from the tallies, %d read", org, dateArg(p[0]), dateArg(p[1]), got[0].total, got[1].total)
			}
			total += got[1].total
		}
	}
	if total == 0 {
		t.Fatal("no cell owed a meeting: the check compares nothing")
	}
}

// testPartyAgeGaps checks that the party-age bands deduct a period outside the party (domain.md
// §3) under the root and the province (leavers first) and a cell (its roster): a member admitted
// in 1994 and out of the party from 2000 to 2010 moves from 30–39 years to 10–29 on 27/11/2026.
func testPartyAgeGaps(t *testing.T, s *Store) {
	ctx := context.Background()
	day := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	var id, cell string
	err := s.read.QueryRowContext(ctx, `SELECT r.member_id, r.org_id FROM roster r WHERE r.path LIKE '/VN/QN/%' AND r.admitted_on >= '1994-01-01' AND r.admitted_on < '1995-01-01'
		AND r.valid_from <= ? AND r.valid_to > ? AND r.member_id NOT IN (SELECT member_id FROM member_statuses WHERE status NOT IN ('probationary', 'full', 'exempt'))
		ORDER BY r.member_id LIMIT 1`, dateArg(day), dateArg(day)).Scan(&id, &cell)
	if err != nil {
		t.Fatalf("a member of QN admitted in 1994: %v", err)
	}
	root := demoRoot(t, s)
	bands := func() map[string][2]int {
		out := map[string][2]int{}
		for _, org := range []string{root, "QN", cell} {
			rc, err := s.reportContext(ctx, dangvu.ReportQuery{Org: org, From: day.AddDate(-1, 0, 0), To: day})
			if err != nil {
				t.Fatal(err)
			}
			var r dangvu.Report
			if err := partyAgeSection(ctx, s, rc, &r); err != nil {
				t.Fatal(err)
			}
			var x [2]int
			for i, key := range []string{"party_age_10_to_29", "party_age_30_to_39"} {
				v, _ := r.Get(key)
				x[i], _ = v.(int)
			}
			out[org] = x
		}
		return out
	}
	before := bands()
	err = s.tx(ctx, func(tx *dbTx) error {
		for _, st := range [][2]string{{"removed", "2000-01-01"}, {"full", "2010-01-01"}} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO member_statuses (member_id, status, valid_from) VALUES (?, ?, ?)`, id, st[0], st[1]); err != nil {
				return err
			}
		}
		return s.rebuildRoster(ctx, tx, "", id)
	})
	if err != nil {
		t.Fatal(err)
	}
	after := bands()
	for org, b := range before {
		if a := after[org]; a[0] != b[0]+1 || a[1] != b[1]-1 {
			t.Errorf("%s: 10–29 and 30–39 years %v before the gap, %v after; want one member moved down", org, b, a)
		}
	}
}

// demoRoot is the id of the tree's first root (the country's, in the demo).
func demoRoot(t *testing.T, s *Store) string {
	t.Helper()
	var root string
	if err := s.read.QueryRowContext(context.Background(), `SELECT org_id FROM org_paths WHERE depth = 1 ORDER BY valid_from LIMIT 1`).Scan(&root); err != nil {
		t.Fatal(err)
	}
	return root
}

// keptAgree fails the test when check finds kept rows that differ from the records.
func keptAgree(t *testing.T, when, table string, check func(context.Context) ([]string, error)) {
	t.Helper()
	diffs, err := check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(diffs) > 0 {
		t.Fatalf("%s: %s differs from the records (%d):\n%s", when, table, len(diffs), strings.Join(diffs[:min(10, len(diffs))], "\n"))
	}
}
