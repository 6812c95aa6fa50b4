package demo

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"dangvu/internal/exchange"
	"dangvu/internal/store"
)

// The demo is large (about a million dues rows, the meetings register): the tests that need it
// built, or loaded into SQLite, share one build and one load per package run instead of making
// their own. The loaded store is only read.

var demoBuild struct {
	once sync.Once
	m    *exchange.Memory
	err  error
}

// built returns the demo for the command's seed, built once.
func built(t *testing.T) *exchange.Memory {
	t.Helper()
	demoBuild.once.Do(func() {
		demoBuild.m = exchange.NewMemory()
		demoBuild.err = Build(demoBuild.m, 2018)
	})
	if demoBuild.err != nil {
		t.Fatalf("Build(2018): %v", demoBuild.err)
	}
	return demoBuild.m
}

var demoLoad struct {
	once sync.Once
	dir  string
	s    *store.Store
	res  store.ImportResult
	err  error
}

// loaded returns a SQLite store holding the demo (seed 2018), loaded once through the ordinary
// import; the tests only read it.
func loaded(t *testing.T) (*store.Store, store.ImportResult) {
	t.Helper()
	m := built(t)
	demoLoad.once.Do(func() {
		ctx := context.Background()
		demoLoad.dir, demoLoad.err = os.MkdirTemp("", "dangvu-demo-")
		if demoLoad.err != nil {
			return
		}
		demoLoad.s, demoLoad.err = store.Open(ctx, filepath.Join(demoLoad.dir, "demo.db"))
		if demoLoad.err != nil {
			return
		}
		if demoLoad.err = demoLoad.s.Migrate(ctx); demoLoad.err != nil {
			return
		}
		demoLoad.res, demoLoad.err = demoLoad.s.Import(ctx, m.Reader(), store.ImportOptions{Actor: "test", Source: "demo"})
	})
	if demoLoad.err != nil {
		t.Fatalf("loading the demo: %v", demoLoad.err)
	}
	return demoLoad.s, demoLoad.res
}

func TestMain(m *testing.M) {
	code := m.Run()
	if demoLoad.s != nil {
		demoLoad.s.Close()
	}
	if demoLoad.dir != "" {
		os.RemoveAll(demoLoad.dir)
	}
	os.Exit(code)
}
