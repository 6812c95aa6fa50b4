package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/demo"
	"dangvu/internal/exchange"
	"dangvu/internal/gen"
	"dangvu/internal/store"
	"dangvu/internal/vn"
)

// dbCommand adds --db and --key-file to a command's flags, parses them and runs fn with the
// migrated store.
func dbCommand(ctx context.Context, fs *flag.FlagSet, args []string, fn func(*store.Store) error) error {
	db := fs.String("db", defaultDB, "cơ sở dữ liệu")
	key := keyFileFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, err := openStoreWith(ctx, *db, *key, fs.Output())
	if err != nil {
		return err
	}
	defer s.Close()
	return fn(s)
}

// keyFileFlag adds --key-file: the secret key that signs the audit log and encrypts second-factor
// secrets (docs/security.md).
func keyFileFlag(fs *flag.FlagSet) *string {
	return fs.String("key-file", "", "tệp khóa bí mật (mặc định: biến "+store.KeyEnv+", hoặc "+store.KeyFileName+" cạnh tệp SQLite; PostgreSQL phải chỉ ra)")
}

// openStore opens and migrates the database, with its default key file.
func openStore(ctx context.Context, dsn string) (*store.Store, error) {
	return openStoreWith(ctx, dsn, "", io.Discard)
}

// openStoreWith opens and migrates the database with a key file ("" for the default) and says on
// stderr when it made a new key.
func openStoreWith(ctx context.Context, dsn, keyFile string, stderr io.Writer) (*store.Store, error) {
	return openStoreOptions(ctx, dsn, store.Options{KeyFile: keyFile}, stderr)
}

// openStoreOptions is openStoreWith with all the store's options (serve's read replicas).
func openStoreOptions(ctx context.Context, dsn string, o store.Options, stderr io.Writer) (*store.Store, error) {
	s, err := store.OpenWith(ctx, dsn, o)
	if err != nil {
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	keyNotice(s, stderr)
	return s, nil
}

// keyNotice tells that a new key file was made, and that it must be kept apart.
func keyNotice(s *store.Store, stderr io.Writer) {
	if path, created := s.KeyFile(); created {
		fmt.Fprintf(stderr, "Đã tạo tệp khóa bí mật %s (quyền 0600): khóa ký nhật ký thay đổi và mã hóa khóa xác thực hai bước. Hãy sao lưu tệp này riêng, không để cùng bản sao lưu cơ sở dữ liệu; mất nó thì không kiểm tra được nhật ký và không đăng nhập hai bước được.\n", path)
	}
}

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("migrate", "migrate [--db DB]", stderr)
	return dbCommand(ctx, fs, args, func(s *store.Store) error {
		fmt.Fprintf(stdout, "Đã cập nhật cấu trúc cơ sở dữ liệu (%s)\n", s.Engine())
		return nil
	})
}

// DemoSeed is the seed of the demo data set: the same seed, the same Uông Bí.
const DemoSeed = 2018

// loadDemo builds the demo data set and loads it through the ordinary import.
func loadDemo(ctx context.Context, s *store.Store, stderr io.Writer) error {
	p := newProgress(stderr)
	if err := loadDemoWith(ctx, s, p); err != nil {
		return err
	}
	p.Done("Nạp dữ liệu mẫu")
	return nil
}

// loadDemoWith loads the demo, its phases told to p.
func loadDemoWith(ctx context.Context, s *store.Store, p *progress) error {
	p.Phase("Dựng dữ liệu mẫu Uông Bí")
	m := exchange.NewMemory()
	if err := demo.Build(m, DemoSeed); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	res, err := s.Import(ctx, m.Reader(), withImportProgress(store.ImportOptions{Actor: "dangvu demo", Source: "demo"}, p))
	if err != nil {
		return err
	}
	p.end(p.now())
	fmt.Fprintf(p.w, "Đã nạp dữ liệu mẫu: %s đảng viên, %s bản ghi tổ chức (%s giây)\n",
		vn.FormatInt(int64(res.Rows["members"])), vn.FormatInt(int64(res.Rows["organisations"])), vn.FormatDecimal(res.Seconds, 1))
	return nil
}

func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo", "demo [--db DB]", stderr)
	return dbCommand(ctx, fs, args, func(s *store.Store) error {
		return loadDemo(ctx, s, stderr)
	})
}

func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("import", "import [--db DB] PATH", stderr)
	db := fs.String("db", defaultDB, "cơ sở dữ liệu")
	key := keyFileFlag(fs)
	actor := fs.String("actor", currentUser(), "người nhập, ghi vào nhật ký")
	preview := fs.Bool("preview", false, "chỉ đọc và kiểm tra tệp: bảng mã, số dòng, vài tên như sẽ được lưu; không ghi gì")
	dry := fs.Bool("dry-run", false, "chạy thử: kiểm tra và nạp như khi nhập, cho biết mỗi bảng sẽ thêm, sửa, xóa bao nhiêu dòng; không ghi gì")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return dangvu.Errorf(dangvu.EInvalid, "cần đúng một đường dẫn PATH tới tệp .xlsx hoặc thư mục .csv")
	}
	path := fs.Arg(0)
	r, err := exchange.Open(path)
	if err != nil {
		return err
	}
	defer r.Close()
	if *preview {
		return printPreview(r, stdout)
	}
	sum, err := checksum(path)
	if err != nil {
		return err
	}
	s, err := openStoreWith(ctx, *db, *key, stderr)
	if err != nil {
		return err
	}
	defer s.Close()
	p := newProgress(stderr)
	res, err := s.Import(ctx, r, withImportProgress(store.ImportOptions{Actor: *actor, Source: filepath.Base(path), Checksum: sum, DryRun: *dry, Alone: true}, p))
	if err != nil {
		return err
	}
	if res.DryRun {
		p.Done("Chạy thử nhập " + filepath.Base(path))
		printChanges(stdout, res.Changes)
		return nil
	}
	p.Done("Nhập " + filepath.Base(path))
	fmt.Fprintf(stdout, "Đã nhập xong trong %s giây:\n", vn.FormatDecimal(res.Seconds, 1))
	for _, t := range exchange.Tables() {
		if n, ok := res.Rows[t.Name]; ok {
			fmt.Fprintf(stdout, "  %-16s %12s dòng\n", t.Name, vn.FormatInt(int64(n)))
		}
	}
	for _, k := range sortedKeys(res.LegacyCells) {
		fmt.Fprintf(stdout, "Đã chuyển %s ô từ mã %s sang Unicode.\n", vn.FormatInt(int64(res.LegacyCells[k])), k)
	}
	if len(res.Ignored) > 0 {
		fmt.Fprintf(stdout, "Không đọc (không phải bảng của định dạng trao đổi): %s.\n", strings.Join(res.Ignored, ", "))
	}
	if ch := r.Stats().Changed; len(ch) > 0 {
		fmt.Fprintf(stdout, "Đã sửa sau khi xuất (khác mã kiểm tra trong %s): %s.\n", exchange.ManifestFile, strings.Join(ch, ", "))
	}
	for _, k := range sortedKeys(res.Encodings) {
		if e := res.Encodings[k]; e != "utf-8" {
			fmt.Fprintf(stdout, "Tệp %s được đọc theo bảng mã %s.\n", k, e)
		}
	}
	return nil
}

// printChanges says what a dry run found an import would change, table by table.
func printChanges(stdout io.Writer, ch map[string]store.TableChange) {
	fmt.Fprintln(stdout, "Chạy thử, không ghi gì. Nếu nhập, các bảng sẽ thay đổi:")
	same := true
	for _, t := range exchange.Tables() {
		c, ok := ch[t.Name]
		if !ok || c == (store.TableChange{}) {
			continue
		}
		same = false
		fmt.Fprintf(stdout, "  %-22s thêm %s, sửa %s, xóa %s dòng\n", t.Name, vn.FormatInt(int64(c.Added)), vn.FormatInt(int64(c.Changed)), vn.FormatInt(int64(c.Removed)))
	}
	if same {
		fmt.Fprintln(stdout, "  (không bảng nào: dữ liệu đã như trong tệp)")
	}
}

// printPreview reads a whole data set through the import's reader checks and says what it
// holds, before anything is written: what the web import shows for a file not in Unicode.
func printPreview(r exchange.Reader, stdout io.Writer) error {
	pv, err := exchange.Inspect(r)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Đã đọc, chưa ghi gì:")
	for _, t := range exchange.Tables() {
		if n, ok := pv.Rows[t.Name]; ok {
			fmt.Fprintf(stdout, "  %-16s %12s dòng\n", t.Name, vn.FormatInt(int64(n)))
		}
	}
	for _, e := range pv.Encodings() {
		fmt.Fprintf(stdout, "Bảng mã %s\n", e)
	}
	for _, k := range sortedKeys(pv.Stats.LegacyCells) {
		fmt.Fprintf(stdout, "%s ô sẽ được chuyển từ mã %s sang Unicode.\n", vn.FormatInt(int64(pv.Stats.LegacyCells[k])), k)
	}
	if len(pv.Stats.Ignored) > 0 {
		fmt.Fprintf(stdout, "Không đọc (không phải bảng của định dạng trao đổi): %s.\n", strings.Join(pv.Stats.Ignored, ", "))
	}
	if len(pv.Stats.Changed) > 0 {
		fmt.Fprintf(stdout, "Đã sửa sau khi xuất (khác mã kiểm tra trong %s): %s.\n", exchange.ManifestFile, strings.Join(pv.Stats.Changed, ", "))
	}
	if len(pv.Samples) > 0 {
		fmt.Fprintf(stdout, "Một số tên như sẽ được lưu: %s\n", strings.Join(pv.Samples, "; "))
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func currentUser() string {
	if u := os.Getenv("USER"); u != "" {
		return "cli:" + u
	}
	return "cli"
}

// checksum hashes a file, or every file of a folder in name order.
func checksum(path string) (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		io.WriteString(h, filepath.ToSlash(p[len(path):])+"\n")
		_, err = io.Copy(h, f)
		return err
	})
	if err != nil {
		return "", dangvu.Errorf(dangvu.EInvalid, "không đọc được %s: %v", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func cmdExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("export", "export [--db DB] [--org ORG] --out PATH", stderr)
	db := fs.String("db", defaultDB, "cơ sở dữ liệu")
	out := fs.String("out", "", "tệp .xlsx hoặc thư mục chứa các tệp .csv")
	org := fs.String("org", "", "mã hoặc tên chính xác của tổ chức đảng: chỉ xuất phạm vi của nó, kèm các tổ chức cấp trên và tổ chức ngoài được nhắc tới (để nhập được vào cơ sở dữ liệu trống)")
	key := keyFileFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return dangvu.Errorf(dangvu.EInvalid, "cần --out")
	}
	s, err := openStoreWith(ctx, *db, *key, stderr)
	if err != nil {
		return err
	}
	defer s.Close()
	w, err := exchange.Create(*out)
	if err != nil {
		return err
	}
	p := newProgress(stderr)
	if *org != "" {
		// A subtree: the file carries its ancestors and the far ends of its movements as stubs,
		// so that it imports into an empty database (issue 21).
		day := time.Now()
		o, err := s.ResolveOrg(ctx, *org, day)
		if dangvu.ErrorCode(err) == dangvu.ENotFound {
			// An organisation that has ended (a district abolished on 1/7/2025): its subtree as
			// it stood on its last day.
			if end, e := s.OrgEnd(ctx, strings.TrimSpace(*org)); e == nil && !end.LastDay.IsZero() {
				day = end.LastDay.Time
				o, err = s.ResolveOrg(ctx, *org, day)
			}
		}
		if err != nil {
			w.Close()
			return err
		}
		p.Phase("Xuất phạm vi " + o.Name)
		if _, err := s.ExportUnder(ctx, w, o.ID, day); err != nil {
			w.Close()
			return err
		}
	} else if err := s.Export(ctx, w, func(t string, n int) { p.Table("Xuất bảng " + t); p.Rows(n) }); err != nil {
		w.Close()
		return err
	}
	p.Phase("Ghi tệp " + filepath.Base(*out))
	if err := w.Close(); err != nil {
		return err
	}
	p.Done("Xuất dữ liệu")
	fmt.Fprintln(stdout, "Đã xuất dữ liệu ra", *out)
	return nil
}

func cmdGen(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("gen", "gen --members N --seed S --out PATH", stderr)
	n := fs.Int("members", 10000, "số đảng viên")
	seed := fs.Uint64("seed", 1, "hạt giống ngẫu nhiên: cùng hạt giống, cùng dữ liệu")
	out := fs.String("out", "", "tệp .xlsx hoặc thư mục chứa các tệp .csv")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || *n <= 0 {
		fs.Usage()
		return dangvu.Errorf(dangvu.EInvalid, "cần --out và --members lớn hơn 0")
	}
	w, err := exchange.Create(*out)
	if err != nil {
		return err
	}
	start := time.Now()
	st, err := gen.National(w, gen.NationalOptions{Members: *n, Seed: *seed, Progress: func(m int) {
		fmt.Fprintf(stderr, "\r%12s đảng viên  %5.0f giây", vn.FormatInt(int64(m)), time.Since(start).Seconds())
	}})
	fmt.Fprintln(stderr)
	if err != nil {
		w.Close()
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Đã sinh %s đảng viên, %s tổ chức, %s dòng vào %s (%s giây)\n",
		vn.FormatInt(int64(st.Members)), vn.FormatInt(int64(st.Orgs)), vn.FormatInt(int64(st.Rows)), *out, vn.FormatDecimal(time.Since(start).Seconds(), 0))
	return nil
}

func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("backup", "backup [--db DB] --out FILE", stderr)
	db := fs.String("db", defaultDB, "cơ sở dữ liệu SQLite")
	out := fs.String("out", "", "tệp sao lưu (chưa tồn tại)")
	key := keyFileFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return dangvu.Errorf(dangvu.EInvalid, "cần --out")
	}
	if _, err := os.Stat(*out); err == nil {
		return dangvu.Errorf(dangvu.EInvalid, "tệp %s đã tồn tại", *out)
	}
	s, err := store.OpenWith(ctx, *db, store.Options{KeyFile: *key})
	if err != nil {
		return err
	}
	defer s.Close()
	// VACUUM INTO only reads the database: the server's writers go on meanwhile (they wait for
	// the write lock, never fail: see Store.Open).
	if err := s.Backup(ctx, *out); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Đã sao lưu vào", *out)
	if path, _ := s.KeyFile(); path != "" {
		// The key is deliberately not in the copy: whoever holds a stolen backup must not be
		// able to rewrite its audit log or read the second-factor secrets.
		fmt.Fprintf(stderr, "Bản sao lưu không chứa tệp khóa %s: hãy sao lưu tệp khóa riêng (một lần, và sau mỗi lần thay khóa), ở nơi khác.\n", path)
	}
	return nil
}
