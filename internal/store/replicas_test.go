package store

import (
	"context"
	"testing"
	"time"
)

// TestReplicaPick: reads go round robin over the healthy replicas that have replayed what the
// reader wrote; to the primary (nil) when the context asks for it or none qualifies.
func TestReplicaPick(t *testing.T) {
	rt := &readRouter{wrote: map[string]lsnAt{}, now: time.Now}
	for _, r := range []struct {
		name     string
		healthy  bool
		replayed lsn
	}{{"r1", true, 100}, {"r2", false, 500}, {"r3", true, 300}} {
		rep := &replica{name: r.name}
		rep.healthy.Store(r.healthy)
		rep.replayed.Store(uint64(r.replayed))
		rt.replicas = append(rt.replicas, rep)
	}
	name := func(r *replica) string {
		if r == nil {
			return "primary"
		}
		return r.name
	}
	ctx := context.Background()
	seen := map[string]int{}
	for range 10 {
		seen[name(rt.pick(ctx))]++
	}
	if seen["r1"] == 0 || seen["r3"] == 0 || seen["r2"] != 0 || seen["primary"] != 0 {
		t.Errorf("no reader: reads went to %v, want r1 and r3 in turn", seen)
	}
	if got := name(rt.pick(PrimaryReads(ctx))); got != "primary" {
		t.Errorf("PrimaryReads: %s", got)
	}
	a := ReadsAs(ctx, "a")
	rt.wrote[tokenHash("a")] = lsnAt{200, time.Now()}
	for range 4 {
		if got := name(rt.pick(a)); got != "r3" {
			t.Errorf("a reader that wrote at 200: %s, want r3 (the only healthy replica past it)", got)
		}
	}
	rt.wrote[tokenHash("a")] = lsnAt{400, time.Now()}
	if got := name(rt.pick(a)); got != "primary" {
		t.Errorf("a reader that wrote at 400: %s, want the primary", got)
	}
	if got := name(rt.pick(ReadsAs(ctx, "b"))); got == "primary" || got == "r2" {
		t.Errorf("another reader: %s, want a healthy replica", got)
	}
}

func TestParseLSN(t *testing.T) {
	for _, s := range []string{"0/0", "0/5000148", "16/B374D848", "FFFFFFFF/FFFFFFFF"} {
		l, err := parseLSN(s)
		if err != nil || l.String() != s {
			t.Errorf("%s: %v %v", s, l, err)
		}
	}
	if a, b := mustLSN(t, "1/0"), mustLSN(t, "0/FFFFFFFF"); a <= b {
		t.Errorf("1/0 (%d) not after 0/FFFFFFFF (%d)", a, b)
	}
	for _, s := range []string{"", "5000148", "x/1", "1/"} {
		if _, err := parseLSN(s); err == nil {
			t.Errorf("%q: no error", s)
		}
	}
}

func mustLSN(t *testing.T, s string) lsn {
	t.Helper()
	l, err := parseLSN(s)
	if err != nil {
		t.Fatal(err)
	}
	return l
}
