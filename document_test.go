package dangvu

import (
	"strings"
	"testing"
)

// The party format of numbers and symbols: HD 36-HD/VPTW (2018), domain.md §2.
func TestParseDocNumber(t *testing.T) {
	for _, c := range []struct {
		in   string
		want DocNumber
		str  string
	}{
		{"04-NQ/TW", DocNumber{4, DocResolution, "TW"}, "04-NQ/TW"},
		{"Số 12-CTr/TU", DocNumber{12, DocProgramme, "TU"}, "12-CTr/TU"},
		{"số 4 - NQ / TW", DocNumber{4, DocResolution, "TW"}, "04-NQ/TW"},
		{"04-nq/tw", DocNumber{4, DocResolution, "TW"}, "04-NQ/TW"},
		{"12-QD/TU", DocNumber{12, DocDecision, "TU"}, "12-QĐ/TU"},
		{"12-CTR/TU", DocNumber{12, DocProgramme, "TU"}, "12-CTr/TU"},
		{"36-HD/VPTW", DocNumber{36, DocGuidance, "VPTW"}, "36-HD/VPTW"},
		{"105-KH/ĐU", DocNumber{105, DocPlan, "ĐU"}, "105-KH/ĐU"},
		{"3-TTr/UBKT", DocNumber{3, DocSubmission, "UBKT"}, "03-TTr/UBKT"},
	} {
		got, err := ParseDocNumber(c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if got != c.want || got.String() != c.str {
			t.Errorf("%q: got %+v %q, want %+v %q", c.in, got, got.String(), c.want, c.str)
		}
	}
	for _, c := range []struct{ in, why string }{
		{"", "gạch ngang"},
		{"NQ/TW", "gạch ngang"},
		{"04-NQ", "gạch chéo"},
		{"0-NQ/TW", "từ 1"},
		{"x4-NQ/TW", "số nguyên"},
		{"04-XX/TW", "danh mục"},
		{"04-NQ/", "thiếu mã"},
		{"04-NQ/T W!", "chữ in hoa"},
		{"123456-NQ/TW", "tối đa"},
	} {
		_, err := ParseDocNumber(c.in)
		if err == nil || !strings.Contains(err.Error(), c.why) || ErrorCode(err) != EInvalid {
			t.Errorf("%q: got %v, want an error about %q", c.in, err, c.why)
		}
	}
}

// FuzzParseDocNumber: whatever is accepted prints in the canonical form, and that form parses
// back to the same number.
func FuzzParseDocNumber(f *testing.F) {
	for _, s := range []string{"04-NQ/TW", "Số 12-CTr/TU", "12-QD/TU", "1-CV/ĐU", "99999-KL/UBKT-TW", "-/", "số 0-0/0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseDocNumber(s)
		if err != nil {
			return
		}
		if n.Seq < 1 || n.Seq > maxDocSeq || !ValidCode(DocKinds, n.Kind) || ValidIssuerCode(n.Issuer) != nil {
			t.Fatalf("%q accepted as %+v", s, n)
		}
		back, err := ParseDocNumber(n.String())
		if err != nil || back != n {
			t.Fatalf("%q → %q → %+v, %v", s, n.String(), back, err)
		}
	})
}

func TestCheckAttendance(t *testing.T) {
	for _, c := range []struct {
		a     Attendance
		field string // "" when valid
	}{
		{Attendance{Status: AttPresent}, ""},
		{Attendance{Status: AttAbsent}, ""},
		{Attendance{Status: AttExcused, Reason: "ốm"}, ""},
		{Attendance{Status: AttExcused}, "reason"},
		{Attendance{Status: AttMadeUp, MadeUpOn: MustDate("2017-01-10")}, ""},
		{Attendance{Status: AttMadeUp}, "made_up_on"},
		{Attendance{Status: AttMadeUp, MadeUpOn: MustDate("2016-12-01")}, "made_up_on"},
		{Attendance{Status: AttPresent, MadeUpOn: MustDate("2017-01-10")}, "made_up_on"},
		{Attendance{}, "status"},
		{Attendance{Status: "late"}, "status"},
	} {
		errs := CheckAttendance(c.a, MustDate("2016-12-15"))
		switch {
		case c.field == "" && len(errs) > 0:
			t.Errorf("%+v: unexpected %v", c.a, errs)
		case c.field != "" && (len(errs) == 0 || errs[0].Field != c.field):
			t.Errorf("%+v: got %v, want an error on %s", c.a, errs, c.field)
		}
	}
	present := Attendance{Status: AttPresent}
	madeUp := Attendance{Status: AttMadeUp, MadeUpOn: MustDate("2017-01-10")}
	if !present.Studied(MustDate("2016-12-15"), MustDate("2016-12-15")) || present.Studied(MustDate("2016-12-15"), MustDate("2016-12-14")) {
		t.Error("present counts from the conference's day")
	}
	if madeUp.Studied(MustDate("2016-12-15"), MustDate("2017-01-09")) || !madeUp.Studied(MustDate("2016-12-15"), MustDate("2017-01-10")) {
		t.Error("a make-up counts from its own day")
	}
}

func TestTaskOverdue(t *testing.T) {
	task := Task{Deadline: MustDate("2017-06-30")}
	if task.OverdueOn(MustDate("2017-06-30")) || !task.OverdueOn(MustDate("2017-07-01")) {
		t.Error("overdue from the day after the deadline")
	}
	task.DoneOn = MustDate("2017-08-01")
	if !task.OverdueOn(MustDate("2017-07-15")) || task.OverdueOn(MustDate("2017-08-01")) {
		t.Error("a task done late was overdue until done")
	}
}

func TestTaskAsOf(t *testing.T) {
	task := Task{Deadline: MustDate("2017-06-30"), Status: TaskDone, DoneOn: MustDate("2017-08-15"), Notes: []TaskNote{
		{Date: MustDate("2017-03-01"), Status: TaskInProgress}, {Date: MustDate("2017-08-15"), Status: TaskDone}}}
	for _, c := range []struct {
		day     string
		status  TaskStatus
		doneOn  string
		notes   int
		overdue bool
	}{
		{"2017-01-15", TaskPending, "", 0, false},
		{"2017-03-01", TaskInProgress, "", 1, false},
		{"2017-07-01", TaskInProgress, "", 1, true},
		{"2017-08-15", TaskDone, "2017-08-15", 2, false},
	} {
		got := task.AsOf(MustDate(c.day))
		if got.Status != c.status || got.DoneOn.String() != c.doneOn || len(got.Notes) != c.notes || got.Overdue != c.overdue {
			t.Errorf("on %s: %s %q %d notes overdue %v", c.day, got.Status, got.DoneOn, len(got.Notes), got.Overdue)
		}
	}
	// Recorded without notes: the recorded status, but done only from its date.
	bare := Task{Deadline: MustDate("2017-06-30"), Status: TaskDone, DoneOn: MustDate("2017-05-01")}
	if got := bare.AsOf(MustDate("2017-04-01")); got.Status != TaskInProgress || !got.DoneOn.IsZero() {
		t.Errorf("bare task before its done date: %+v", got)
	}
	if got := bare.AsOf(MustDate("2017-05-01")); got.Status != TaskDone {
		t.Errorf("bare task on its done date: %+v", got)
	}
}
