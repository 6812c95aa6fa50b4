package store

import (
	"io/fs"
	"strings"
	"testing"
)

// TestMigrationVersionsUnique: Migrate records versions by number, so two files with one number
// (helpers landing migrations side by side) would leave the second never applied.
func TestMigrationVersionsUnique(t *testing.T) {
	for _, dir := range []string{"migrations/sqlite", "migrations/postgres"} {
		names, err := fs.Glob(migrations, dir+"/*.sql")
		if err != nil || len(names) == 0 {
			t.Fatalf("%s: %v", dir, err)
		}
		seen := map[string]string{}
		for _, name := range names {
			base := name[strings.LastIndex(name, "/")+1:]
			v := base[:strings.IndexByte(base, '_')]
			if other, ok := seen[v]; ok {
				t.Errorf("%s: %s and %s share version %s", dir, other, base, v)
			}
			seen[v] = base
		}
	}
}
