package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"dangvu/internal/exchange"
)

// TestProgressLines: a line per phase with its rows, rate and time, on a clock the test moves;
// an export's tables each get their own time; a long phase says how far it has come.
func TestProgressLines(t *testing.T) {
	var b bytes.Buffer
	clock := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	p := &progress{w: &b, now: func() time.Time { return clock }, interval: 10 * time.Second}
	p.start, p.last, p.lastLine = clock, clock, clock
	p.Phase("Nhập bảng members")
	clock = clock.Add(2 * time.Second)
	p.Rows(5000)
	p.Phase("Kiểm tra chéo")
	clock = clock.Add(500 * time.Millisecond)
	p.Table("Xuất bảng a") // ends "Kiểm tra chéo" at its last event, its start
	clock = clock.Add(1 * time.Second)
	p.Rows(300)
	clock = clock.Add(3 * time.Second) // the next table's query
	p.Table("Xuất bảng b")
	p.Rows(12000)
	clock = clock.Add(12 * time.Second)
	p.Rows(1_200_000) // past the interval: a line that it goes on
	p.Done("Thử")
	want := []string{
		"[    2,0 giây] Nhập bảng members: 5.000 dòng, 2.500 dòng/giây (2,0 giây)",
		"[    2,0 giây] Kiểm tra chéo (0,0 giây)",
		"[    3,5 giây] Xuất bảng a: 300 dòng, 200 dòng/giây (1,5 giây)",
		"[   18,5 giây] Xuất bảng b: 1.200.000 dòng, 80.000 dòng/giây (15,0 giây)…",
		"[   18,5 giây] Xuất bảng b: 1.200.000 dòng, 80.000 dòng/giây (15,0 giây)",
		"[   18,5 giây] Thử xong.",
	}
	got := strings.Split(strings.TrimSpace(b.String()), "\n")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines:\n%s\nwant:\n%s", b.String(), strings.Join(want, "\n"))
	}
}

// TestImportExportProgress runs import and export as the binary does: stderr has a line for each
// table read, for each later phase and for the end, whole lines without carriage returns.
func TestImportExportProgress(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"import", "--db", db, "../../testdata/sample"}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	log := errb.String()
	if strings.Contains(log, "\r") {
		t.Error("carriage returns in the progress")
	}
	r, err := exchange.Open("../../testdata/sample")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	members := 0
	r.Each("members", func(int, exchange.Record) error { members++; return nil })
	line := regexp.MustCompile(`(?m)^\[ *[0-9.,]+ giây\] Nhập bảng members \(đọc, kiểm tra, ghi\): ` + strconv.Itoa(members) + ` dòng(, [0-9.]+ dòng/giây)? \([0-9,]+ giây\)$`)
	if members == 0 || !line.MatchString(log) {
		t.Errorf("no line for the %d members:\n%s", members, log)
	}
	for _, tb := range []string{"organisations", "memberships", "member_statuses"} {
		if !strings.Contains(log, "Nhập bảng "+tb) {
			t.Errorf("no line for %s", tb)
		}
	}
	for _, ph := range []string{"Kiểm tra chéo", "Dựng bảng tra cứu", "Ghi giao dịch", "Nhập sample xong."} {
		if !strings.Contains(log, ph) {
			t.Errorf("no line for %q:\n%s", ph, log)
		}
	}
	errb.Reset()
	if err := run(context.Background(), []string{"export", "--db", db, "--out", filepath.Join(dir, "out")}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	log = errb.String()
	if !regexp.MustCompile(`(?m)^\[ *[0-9.,]+ giây\] Xuất bảng members: `+strconv.Itoa(members)+` dòng`).MatchString(log) || !strings.Contains(log, "Xuất dữ liệu xong.") || strings.Contains(log, "\r") {
		t.Errorf("export progress:\n%s", log)
	}
	t.Logf("import and export progress:\n%s", log)
}
