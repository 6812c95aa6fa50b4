package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain lets the test binary stand in for dangvu when a test runs it as a child process
// (dangvu bench starts `dangvu serve` from its own executable).
func TestMain(m *testing.M) {
	if os.Getenv("DANGVU_TEST_AS_PROGRAM") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestBench runs the load test briefly against a server it starts on the sample: every phase
// gets its pages at every level, none fails, the server's memory is measured, and the temporary
// account is disabled afterwards.
func TestBench(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	db := filepath.Join(t.TempDir(), "t.db")
	mustRun(t, "import", "--db", db, "../../testdata/sample")
	t.Setenv("DANGVU_TEST_AS_PROGRAM", "1")
	out := mustRun(t, "bench", "--db", db, "--clients", "3", "--duration", "300ms")
	for _, want := range []string{"| search | tìm “", "| members | danh sách gốc", "| members | API danh sách chi bộ", "| orgs | trang tổ chức tỉnh", "| report | báo cáo nhiệm kỳ phường, xã", "Bộ nhớ máy chủ (RSS): lúc nghỉ"} {
		if !strings.Contains(out, want) {
			t.Errorf("bench output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "không đo được") {
		t.Errorf("the server's memory was not measured:\n%s", out)
	}
	users := mustRun(t, "user", "list", "--db", db)
	for _, line := range strings.Split(users, "\n") {
		if strings.HasPrefix(line, "bench-") && !strings.Contains(line, "khóa") {
			t.Errorf("the bench account is still active: %q", line)
		}
	}
	if !strings.Contains(users, "bench-") {
		t.Errorf("no bench account in the user list:\n%s", users)
	}
}

// TestBenchRefusesRemote: a load test is never pointed at another machine.
func TestBenchRefusesRemote(t *testing.T) {
	for _, u := range []string{"http://10.0.0.5:8080", "https://dangvu.example.vn", "ftp://127.0.0.1"} {
		_, err := dangvuCmd(t, "bench", "--url", u, "--token", "x")
		if err == nil || !strings.Contains(err.Error(), "--url") {
			t.Errorf("bench --url %s: %v, want a refusal naming --url", u, err)
		}
	}
}
