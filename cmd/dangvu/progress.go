package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"dangvu/internal/store"
	"dangvu/internal/vn"
)

// progress tells a person waiting at the terminal how long work goes (import, export, the demo
// load, the first start): on stderr, a line per phase when it ends — the time since the start,
// the phase, its rows and rows per second where it reads rows, its own time — and, in a phase
// that runs long, a line every interval that says how far it has come. Whole lines, no carriage
// returns, so that a log or a pipe keeps them as they were shown.
type progress struct {
	w          io.Writer
	now        func() time.Time
	interval   time.Duration
	start      time.Time
	name       string // the current phase, "" before the first
	phaseStart time.Time
	rows       int
	hasRows    bool
	last       time.Time // the last event: a phase's start or a count of rows
	lastLine   time.Time
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w, now: time.Now, interval: 10 * time.Second}
	p.start = p.now()
	p.last, p.lastLine = p.start, p.start
	return p
}

// Phase ends the current phase and begins another, now.
func (p *progress) Phase(name string) {
	t := p.now()
	p.end(t)
	p.begin(name, t)
}

// Table is Phase for work that reports only counts per table (the export): a table ends at its
// last count and the next begins there, so that each is given its own time.
func (p *progress) Table(name string) {
	if name == p.name {
		return
	}
	p.end(p.last)
	p.begin(name, p.last)
}

func (p *progress) begin(name string, t time.Time) {
	p.name, p.phaseStart, p.rows, p.hasRows, p.last = name, t, 0, false, t
}

// Rows records how many rows the current phase has gone through.
func (p *progress) Rows(n int) {
	t := p.now()
	p.rows, p.hasRows, p.last = n, true, t
	if t.Sub(p.lastLine) >= p.interval {
		p.line(t, "…")
	}
}

func (p *progress) end(t time.Time) {
	if p.name != "" {
		p.line(t, "")
	}
	p.name = ""
}

func (p *progress) line(t time.Time, more string) {
	var b strings.Builder
	fmt.Fprintf(&b, "[%7s giây] %s", vn.FormatDecimal(t.Sub(p.start).Seconds(), 1), p.name)
	d := t.Sub(p.phaseStart)
	if p.hasRows {
		fmt.Fprintf(&b, ": %s dòng", vn.FormatInt(int64(p.rows)))
		if d >= 50*time.Millisecond && p.rows > 0 {
			fmt.Fprintf(&b, ", %s dòng/giây", vn.FormatInt(int64(float64(p.rows)/d.Seconds())))
		}
	}
	fmt.Fprintf(&b, " (%s giây)%s\n", vn.FormatDecimal(d.Seconds(), 1), more)
	io.WriteString(p.w, b.String())
	p.lastLine = t
}

// Done ends the last phase and says how long the whole took.
func (p *progress) Done(what string) {
	t := p.now()
	p.end(t)
	fmt.Fprintf(p.w, "[%7s giây] %s xong.\n", vn.FormatDecimal(t.Sub(p.start).Seconds(), 1), what)
}

// withImportProgress sets an import's callbacks to report to p.
func withImportProgress(opt store.ImportOptions, p *progress) store.ImportOptions {
	opt.Phase = func(phase string) { p.Phase(store.ImportPhaseName(phase)) }
	opt.Progress = func(_ string, n int) { p.Rows(n) }
	return opt
}
