package store

import (
	"context"
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
	agree := func(when string) {
		t.Helper()
		diffs, err := s.ReachedKeptAgree(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(diffs) > 0 {
			t.Fatalf("%s: reached_kept differs from the records (%d):\n%s", when, len(diffs), strings.Join(diffs[:min(10, len(diffs))], "\n"))
		}
	}
	agree("after the import")
	var root string
	if err := s.read.QueryRowContext(ctx, `SELECT org_id FROM org_paths WHERE depth = 1 ORDER BY valid_from LIMIT 1`).Scan(&root); err != nil {
		t.Fatal(err)
	}
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
	diffs, err := s.ReachedKeptAgree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(diffs) > 0 {
		t.Fatalf("after the attendance: reached_kept differs from the records (%d):\n%s", len(diffs), strings.Join(diffs[:min(10, len(diffs))], "\n"))
	}
	docs, err := column(ctx, s.read, `SELECT document_id FROM conference_documents WHERE conference_id = ?`, conf)
	if err != nil {
		t.Fatal(err)
	}
	var root string
	if err := s.read.QueryRowContext(ctx, `SELECT org_id FROM org_paths WHERE depth = 1 ORDER BY valid_from LIMIT 1`).Scan(&root); err != nil {
		t.Fatal(err)
	}
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
// lists the same members as reading every candidate's history, for the province and a ward on
// days around several ceremonies.
func testBadgePrefilter(t *testing.T, s *Store) {
	ctx := context.Background()
	defer func() { badgePrefilter = true }()
	total := 0
	for _, org := range []string{"QN", "QN-VANGDANH"} {
		for _, day := range []time.Time{
			time.Date(2018, 5, 31, 0, 0, 0, 0, time.UTC), time.Date(2019, 1, 15, 0, 0, 0, 0, time.UTC),
			time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC), time.Date(2025, 9, 2, 0, 0, 0, 0, time.UTC),
			time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC),
		} {
			if org != "QN" && day.Before(time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)) {
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
			total += len(got[1])
		}
	}
	if total == 0 {
		t.Fatal("nobody due on any day: the check compares nothing")
	}
	t.Logf("%d due in all", total)
}
