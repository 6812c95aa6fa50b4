package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every command takes --rules DIR and validates it at start: a wrong value stops the command with
// its file, line and column; a good folder is applied.
func TestRulesFolderFlag(t *testing.T) {
	t.Cleanup(func() { loadRules("") })
	dir := t.TempDir()
	write := func(name, body string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db := filepath.Join(t.TempDir(), "t.db")
	write("admissions/values.csv", "set,key,label,value,citation,confidence,note\nQD294-2025,decision_days,,sáu mươi,QĐ 294-QĐ/TW điểm 4.3.1,secondary,\n")
	_, err := dangvuCmd(t, "migrate", "--db", db, "--rules", dir)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "admissions")+"/values.csv dòng 2, cột value") {
		t.Fatalf("bad rules folder: %v", err)
	}
	write("admissions/values.csv", "set,key,label,value,citation,confidence,note\nQD294-2025,decision_days,,45,Công văn của tỉnh ủy,unconfirmed,\n")
	mustRun(t, "migrate", "--db", db, "--rules", dir)
	if l := localRules(); len(l) != 1 || l[0] != [5]string{"admissions", "QD294-2025", "decision_days", "45", "Công văn của tỉnh ủy"} {
		t.Errorf("local rules after the folder: %v", l)
	}
}
