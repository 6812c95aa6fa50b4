package store_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/store"
	"dangvu/internal/storetest"
)

func openMigrated(t *testing.T, dsn string, o store.Options) (*store.Store, error) {
	t.Helper()
	s, err := store.OpenWith(t.Context(), dsn, o)
	if err != nil {
		return nil, err
	}
	if err := s.Migrate(t.Context()); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func keyLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			keys = append(keys, l)
		}
	}
	return keys
}

// TestKeyFile: a SQLite database gets dangvu.key (0600) in its folder at the first start, with no
// setup; a keyed database refuses to open without its key or with another one.
func TestKeyFile(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	s, err := openMigrated(t, db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	path, created := s.KeyFile()
	if path != filepath.Join(dir, store.KeyFileName) || !created {
		t.Errorf("KeyFile = %s, %v; want a new %s next to the database", path, created, store.KeyFileName)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode: %v, %v; want 0600", st.Mode(), err)
	}
	if err := s.LogReveal(t.Context(), "test", "M1", []string{"phone"}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = openMigrated(t, db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, created := s.KeyFile(); created {
		t.Error("the second start made a key again")
	}
	if n, err := s.VerifyAudit(t.Context()); err != nil || n != 1 {
		t.Errorf("VerifyAudit = %d, %v", n, err)
	}
	s.Close()

	other := filepath.Join(t.TempDir(), "other.key")
	if s, err := openMigrated(t, filepath.Join(t.TempDir(), "b.db"), store.Options{KeyFile: other}); err != nil {
		t.Fatal(err)
	} else {
		s.Close()
	}
	tests := []struct {
		name string
		prep func()
		o    store.Options
		want string
	}{
		{"another database's key", nil, store.Options{KeyFile: other}, "không có khóa"},
		{"the key file moved away", func() {
			if err := os.Rename(path, path+".bak"); err != nil {
				t.Fatal(err)
			}
		}, store.Options{}, "không tìm thấy tệp khóa"},
		{"the key given by its new path", nil, store.Options{KeyFile: path + ".bak"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.prep != nil {
				tc.prep()
			}
			s, err := openMigrated(t, db, tc.o)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				if _, err := s.VerifyAudit(t.Context()); err != nil {
					t.Error(err)
				}
				return
			}
			if err == nil {
				s.Close()
				t.Fatal("opened")
			}
			if dangvu.ErrorCode(err) != dangvu.EInvalid || !strings.Contains(dangvu.ErrorMessage(err), tc.want) {
				t.Errorf("err = %v; want %q", err, tc.want)
			}
		})
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("a new key was made beside a keyed database whose key was missing")
	}
}

// TestKeyFileEnv: $DANGVU_KEY_FILE names the key file when no option does.
func TestKeyFileEnv(t *testing.T) {
	key := filepath.Join(t.TempDir(), "keys", "k")
	t.Setenv(store.KeyEnv, key)
	s, err := openMigrated(t, filepath.Join(t.TempDir(), "e.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if p, created := s.KeyFile(); p != key || !created {
		t.Errorf("KeyFile = %s, %v; want %s", p, created, key)
	}
}

// TestKeyFileRace: databases of one folder starting together share one key, made once.
func TestKeyFileRace(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := store.Open(t.Context(), filepath.Join(dir, string(rune('a'+i))+".db"))
			if err == nil {
				s.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if keys := keyLines(t, filepath.Join(dir, store.KeyFileName)); len(keys) != 1 {
		t.Errorf("%d keys in the file, want 1", len(keys))
	}
}

// TestPostgresNeedsKeyFile: PostgreSQL has no folder to keep the key in; it must be named.
func TestPostgresNeedsKeyFile(t *testing.T) {
	dsn := os.Getenv(storetest.PostgresEnv)
	if dsn == "" {
		t.Skipf("%s is not set", storetest.PostgresEnv)
	}
	t.Setenv(store.KeyEnv, "")
	_, err := store.Open(t.Context(), dsn)
	if dangvu.ErrorCode(err) != dangvu.EInvalid || !strings.Contains(dangvu.ErrorMessage(err), "--key-file") {
		t.Errorf("err = %v; want a request for --key-file", err)
	}
}

// TestRotateKey: after a rotation the log verifies across both keys, the TOTP secret works under
// the new key, and the old key cannot be dropped from the file while the log holds its entries.
func TestRotateKey(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "r.db")
	s, err := openMigrated(t, db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	clock := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	s.Clock = func() time.Time { return clock }
	if _, err := s.CreateUser(ctx, "test", dangvu.User{Username: "root", UserRole: dangvu.UserAdmin}, "mat-khau-dai"); err != nil {
		t.Fatal(err)
	}
	secret, _, err := s.EnableTOTP(ctx, "test", "root")
	if err != nil {
		t.Fatal(err)
	}
	oldID, newID, err := s.RotateKey(ctx, "test")
	if err != nil || oldID == newID {
		t.Fatalf("RotateKey = %s, %s, %v", oldID, newID, err)
	}
	if err := s.LogReveal(ctx, "test", "M1", []string{"phone"}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.VerifyAudit(ctx); err != nil || n != 4 {
		t.Fatalf("VerifyAudit across the rotation = %d, %v", n, err)
	}
	if h, err := s.AuditHead(ctx); err != nil || h.KeyID != newID {
		t.Errorf("head %+v, %v; want signed with %s", h, err, newID)
	}
	u, err := s.Authenticate(ctx, "root", "mat-khau-dai", "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.CreatePendingLogin(ctx, u, "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	code, _ := store.TOTPCode(secret, clock)
	if _, err := s.CompleteTOTPLogin(ctx, p, code, "10.0.0.1"); err != nil {
		t.Errorf("TOTP after the rotation: %v", err)
	}
	s.Close()

	keys := keyLines(t, filepath.Join(dir, store.KeyFileName))
	if len(keys) != 2 {
		t.Fatalf("%d keys in the file after a rotation, want 2", len(keys))
	}
	if err := os.WriteFile(filepath.Join(dir, store.KeyFileName), []byte(keys[1]+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err := openMigrated(t, db, store.Options{}); err == nil {
		s.Close()
		t.Error("opened without the key that signed the first entries")
	}
}
