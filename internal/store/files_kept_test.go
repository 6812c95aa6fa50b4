package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"dangvu"
)

// testFilesKept checks the complete files kept for the top of the tree (files_kept.go) on the
// demo: the rows against a recomputation from the records, and the report's counts read from
// them against the counts read from the members' documents, for the root and the province on
// days before and after the 2025 reorganisation and the 2026 catalogue; then again after a
// document completes a member's file.
func testFilesKept(t *testing.T, s *Store) {
	ctx := context.Background()
	agree := func(when string) {
		t.Helper()
		diffs, err := s.FilesKeptAgree(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(diffs) > 0 {
			t.Fatalf("%s: files_kept differs from the records (%d):\n%s", when, len(diffs), strings.Join(diffs[:min(10, len(diffs))], "\n"))
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
