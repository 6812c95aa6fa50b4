package store_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/gen"
	"dangvu/internal/store"
	"dangvu/internal/storetest"
)

// The crash test kills a process in the middle of a large import into a SQLite database that
// already holds a small data set, then checks that the database is intact and holds exactly the
// small data set: an import is one transaction, and a crash must not leave half of it behind.
//
// The child process is this test binary again, running TestCrashImportChild with the paths in
// these variables.
const (
	crashDBEnv   = "DANGVU_CRASH_DB"
	crashDataEnv = "DANGVU_CRASH_DATA"
	// crashAloneEnv, when set, makes the child's import ImportOptions.Alone (a rollback journal
	// instead of the WAL when the database is empty).
	crashAloneEnv = "DANGVU_CRASH_ALONE"
)

// crashMembers sizes the large data set: big enough that the import takes a while (the kill must
// land inside it), small enough for a unit test.
const crashMembers = 50_000

// TestCrashImportChild is the child of TestCrashDuringImport; on its own it does nothing. It reports
// each step on stdout, one line at a time, so that the parent knows when to kill it.
func TestCrashImportChild(t *testing.T) {
	dbPath, data := os.Getenv(crashDBEnv), os.Getenv(crashDataEnv)
	if dbPath == "" || data == "" {
		t.Skip("the child process of TestCrashDuringImport")
	}
	fail := func(err error) {
		t.Helper()
		fmt.Println("error", strings.ReplaceAll(err.Error(), "\n", " | "))
		t.FailNow()
	}
	ctx := context.Background()
	s, err := store.Open(ctx, dbPath)
	if err != nil {
		fail(err)
	}
	r, err := exchange.Open(data)
	if err != nil {
		fail(err)
	}
	fmt.Println("importing")
	_, err = s.Import(ctx, r, store.ImportOptions{Actor: "crash", Source: "national", Alone: os.Getenv(crashAloneEnv) != "", Progress: func(table string, rows int) {
		fmt.Println("progress", table, rows)
	}})
	if err != nil {
		fail(err)
	}
	fmt.Println("done")
}

// dbState is what must survive a crash unchanged.
type dbState struct {
	files   map[string][]byte // the export, by file name
	members int               // counted today
	audit   int               // entries in the audit log
}

func readState(t *testing.T, path string) dbState {
	t.Helper()
	ctx := t.Context()
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatalf("open %s: %v", filepath.Base(path), err)
	}
	defer s.Close()
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Fatalf("%s: %v", filepath.Base(path), err)
	}
	n, err := s.VerifyAudit(ctx)
	if err != nil {
		t.Fatalf("%s: VerifyAudit: %v", filepath.Base(path), err)
	}
	dir := filepath.Join(t.TempDir(), "export")
	w, err := exchange.Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Export(ctx, w, nil); err != nil {
		t.Fatalf("export %s: %v", filepath.Base(path), err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	st := dbState{files: map[string][]byte{}, audit: n}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if st.files[e.Name()], err = os.ReadFile(filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	if st.members, err = s.CountMembers(ctx, "", time.Now(), dangvu.CountFilter{}); err != nil {
		t.Fatal(err)
	}
	return st
}

// diff names the first difference between two states, or returns "".
func (a dbState) diff(b dbState) string {
	if a.members != b.members || a.audit != b.audit {
		return fmt.Sprintf("%d members and %d audit entries, against %d and %d", a.members, a.audit, b.members, b.audit)
	}
	var names []string
	for n := range a.files {
		names = append(names, n)
	}
	slices.Sort(names)
	if len(a.files) != len(b.files) {
		return fmt.Sprintf("%d exported files, against %d", len(a.files), len(b.files))
	}
	for _, n := range names {
		if !bytes.Equal(a.files[n], b.files[n]) {
			return fmt.Sprintf("%s differs (%d bytes, against %d)", n, len(a.files[n]), len(b.files[n]))
		}
	}
	return ""
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCrashDuringImport(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: slow")
	}
	ctx := t.Context()
	dir := t.TempDir()

	// The large data set, as files.
	data := filepath.Join(dir, "national")
	w, err := exchange.Create(data)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gen.National(w, gen.NationalOptions{Members: crashMembers, Seed: 7}); err != nil {
		t.Fatalf("gen.National: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	// The small data set, in a database file that every attempt starts from; and an empty one,
	// into which the command line's import (alone) writes with a rollback journal.
	template := filepath.Join(dir, "small.db")
	empty := filepath.Join(dir, "empty.db")
	for _, p := range []string{template, empty} {
		s, err := store.Open(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if p == template {
			if _, err := s.Import(ctx, storetest.Fixture().Reader(), store.ImportOptions{Actor: "storetest", Source: "fixture"}); err != nil {
				t.Fatal(err)
			}
		}
		s.Close() // folds the WAL back: the file alone is the database
	}
	starts := []struct {
		name, template string
		alone          bool
		attempts       []crashAttempt
	}{
		{"into a small data set", template, false, []crashAttempt{
			{"after reading members", onLine("progress members "), false},
			{"after reading memberships", onLine("progress memberships "), false},
			{"after the last table", onLine("progress posts "), false},
			// With SQLite's large page cache the transaction stays in memory until the commit
			// writes it to the WAL: kill while the WAL grows, most likely before the commit record.
			{"while the commit writes the WAL", fileGrows("-wal", 1<<20), true},
		}},
		{"into an empty file, alone", empty, true, []crashAttempt{
			{"after reading members", onLine("progress members "), false},
			{"after the last table", onLine("progress posts "), false},
			// The pages beyond the empty file's end are written to the file itself.
			{"while the file grows", fileGrows("", 8<<20), true},
		}},
	}
	for _, st := range starts {
		t.Run(st.name, func(t *testing.T) {
			crashImports(t, dir, data, st.template, st.alone, st.attempts)
		})
	}
}

// crashAttempt kills an import at a moment kill chooses.
type crashAttempt struct {
	name string
	kill func(db, line string) bool
	// mayFinish: the kill is aimed so late that the import may have committed first; then the
	// database must hold the whole import instead (never a part of it).
	mayFinish bool
}

// crashImports imports data into a copy of template once whole, then once per attempt killed,
// and checks that each copy holds either the template's data or the whole import.
func crashImports(t *testing.T, dir, data, template string, alone bool, attempts []crashAttempt) {
	small := readState(t, template)
	env := []string{}
	if alone {
		env = append(env, crashAloneEnv+"=1")
	}
	// The import itself must succeed (else a killed one proves nothing: it would never have
	// written), and change the database.
	whole := template + ".whole"
	copyFile(t, template, whole)
	full := runChild(t, whole, data, env, func(string) bool { return false })
	wal, file := fileSize(t, whole+"-wal"), fileSize(t, whole)
	t.Logf("the whole import left a WAL of %d bytes, a file of %d", wal, file)
	if alone && wal*2 >= file {
		t.Fatal("the import alone went through the WAL: the rollback journal is not tested")
	}
	if !full.done {
		t.Fatalf("the import into a copy did not finish: %s", full.last)
	}
	big := readState(t, whole)
	if big.diff(small) == "" {
		t.Fatal("the large import changed nothing")
	}
	t.Logf("whole import: %v", full.elapsed)

	for i, a := range attempts {
		t.Run(a.name, func(t *testing.T) {
			db := fmt.Sprintf("%s.attempt%d", template, i)
			copyFile(t, template, db)
			res := runChild(t, db, data, env, func(line string) bool { return a.kill(db, line) })
			if res.done && !a.mayFinish {
				t.Fatalf("the import finished before the kill (last line %q)", res.last)
			}
			got := readState(t, db)
			d := got.diff(small)
			switch {
			case d == "":
				t.Logf("killed after %v (%q): the data set before is intact", res.elapsed, res.last)
			case a.mayFinish && got.diff(big) == "":
				t.Logf("killed after %v (%q): the import had committed", res.elapsed, res.last)
			default:
				t.Errorf("killed after %v (%q): the database is neither the data set before nor the whole import: %s", res.elapsed, res.last, d)
			}
		})
	}
}

// onLine kills on the first progress line with the prefix.
func onLine(prefix string) func(db, line string) bool {
	return func(_, line string) bool { return strings.HasPrefix(line, prefix) }
}

// fileGrows kills, once the last table has been read, as soon as the database's file with the
// suffix (the write-ahead log "-wal", the database itself "") has grown by at least size bytes.
func fileGrows(suffix string, size int64) func(db, line string) bool {
	return func(db, line string) bool {
		if !strings.HasPrefix(line, "progress posts ") {
			return false
		}
		var before int64
		if st, err := os.Stat(db + suffix); err == nil {
			before = st.Size()
		}
		for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Microsecond) {
			if st, err := os.Stat(db + suffix); err == nil && st.Size()-before >= size {
				return true
			}
		}
		return true
	}
}

type childResult struct {
	done    bool          // the child reported the import finished
	last    string        // the last line read before the kill
	elapsed time.Duration // from "importing" to the kill or the end
}

// runChild runs the child importing data into db and kills it with SIGKILL as soon as kill
// accepts a line of its output.
func runChild(t *testing.T, db, data string, env []string, kill func(line string) bool) childResult {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashImportChild$", "-test.count=1")
	cmd.Env = append(append(os.Environ(), crashDBEnv+"="+db, crashDataEnv+"="+data), env...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var res childResult
	var start time.Time
	sc := bufio.NewScanner(out)
	killed := false
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "importing":
			start = time.Now()
		case line == "done":
			res.done = true
		case strings.HasPrefix(line, "error"):
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("child: %s", line)
		}
		if !strings.HasPrefix(line, "progress") && line != "importing" && line != "done" {
			continue // the test binary's own output
		}
		res.last = line
		if !start.IsZero() && kill(line) {
			if err := cmd.Process.Kill(); err != nil {
				t.Fatalf("kill: %v", err)
			}
			killed = true
			break
		}
	}
	res.elapsed = time.Since(start)
	io.Copy(io.Discard, out)
	err = cmd.Wait()
	if !killed && err != nil {
		t.Fatalf("child: %v", err)
	}
	if start.IsZero() {
		t.Fatal("the child never started importing")
	}
	return res
}
