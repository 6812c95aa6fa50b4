package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/vn"
)

// ImportOptions tune an import.
type ImportOptions struct {
	Actor    string // who imports, for the audit log
	Source   string // file or folder name, for the audit log
	Checksum string // SHA-256 of the source, for the audit log
	// Progress, when set, is told how many rows of a table have been read so far.
	Progress func(table string, rows int)
	// Phase, when set, is told as each phase begins: "table:<name>" (read, check and load a
	// table), "check" (overlaps and references across tables), "roster", "index", "counts", "dues",
	// "changes" (a dry run's or a merge's comparison), "commit", "optimize"; the command line prints a line per phase with its time (issue 13).
	Phase func(phase string)
	// DryRun checks and loads everything as an import does, says what it would change
	// (ImportResult.Changes) and writes nothing: the transaction is rolled back (issue 21).
	DryRun bool
	// Changes asks a real import to count what it changed too (a merge import's report).
	Changes bool
	// Alone says that no one else uses the database while the import runs (the command line's
	// import, not the server's): a load into an empty SQLite file may then keep readers out and
	// write its pages once, with a rollback journal instead of the write-ahead log
	// (rollbackJournal).
	Alone bool
	// Within, when set, is the organisation whose subtree every row must lie in (the staff of an
	// organisation import into their own subtree only): a row outside is refused with its row
	// and field, and nothing is written (importer.checkWithin).
	Within string
}

// ImportPhaseName names an import's phase (ImportOptions.Phase) for a person: the command line's
// progress lines and the web import's progress page say the same.
func ImportPhaseName(phase string) string {
	if t, ok := strings.CutPrefix(phase, "table:"); ok {
		return "Nhập bảng " + t + " (đọc, kiểm tra, ghi)"
	}
	switch phase {
	case "check":
		return "Kiểm tra chéo các bảng (thời gian chồng lấn, số định danh)"
	case "roster":
		return "Dựng bảng tra cứu đảng viên theo tổ chức và ngày, và chỉ mục tên"
	case "index":
		return "Dựng chỉ mục và thống kê"
	case "counts":
		return "Đếm đảng viên theo ngày của toàn Đảng và các tỉnh"
	case "dues":
		return "Tính sẵn số liệu đảng phí và hồ sơ đảng viên của toàn Đảng và các tỉnh"
	case "changes":
		return "So sánh với dữ liệu đã lưu (thêm, sửa, xóa)"
	case "commit":
		return "Ghi giao dịch vào cơ sở dữ liệu"
	case "optimize":
		return "Tối ưu hóa cơ sở dữ liệu"
	}
	return phase
}

// ImportResult says what an import did.
type ImportResult struct {
	Rows        map[string]int    `json:"rows"`
	LegacyCells map[string]int    `json:"legacy_cells,omitempty"`
	Encodings   map[string]string `json:"encodings,omitempty"`
	Ignored     []string          `json:"ignored,omitempty"` // files or sheets that are not tables
	Seconds     float64           `json:"seconds"`
	// Changes counts, per table the file holds, the rows added, changed and removed (with
	// ImportOptions.DryRun or Changes).
	Changes map[string]TableChange `json:"changes,omitempty"`
	DryRun  bool                   `json:"dry_run,omitempty"`
}

// maxErrors bounds the list of bad rows an import reports; past it the import stops reading.
const maxErrors = 1000

// idPattern accepts an id: an ASCII letter or digit, then up to 63 letters, digits, dots,
// hyphens and underscores (^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$). Checked by hand: as a regular
// expression it took 3 % of an import's CPU, every row bringing two or three ids.
var idPattern idChars

type idChars struct{}

func (idChars) MatchString(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case i > 0 && (c == '.' || c == '_' || c == '-'):
		default:
			return false
		}
	}
	return true
}

// Import loads a data set in one transaction: everything is checked, and one bad row makes the
// whole import change nothing. See docs/data-format.md for the semantics.
func (s *Store) Import(ctx context.Context, r exchange.Reader, opt ImportOptions) (ImportResult, error) {
	start := time.Now()
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return ImportResult{}, fmt.Errorf("store: %w", err)
	}
	defer conn.Close()
	if !s.pg {
		// The roster's window over every status and the index builds sort millions of rows:
		// in temporary files, not in the process's memory (0,65 GB of a million members'
		// import; the files live in the OS cache all the same). The server keeps them in memory.
		if _, err := conn.ExecContext(ctx, "PRAGMA temp_store = FILE"); err != nil {
			return ImportResult{}, fmt.Errorf("store: %w", err)
		}
		defer conn.ExecContext(context.Background(), "PRAGMA temp_store = MEMORY")
	}
	walBack := func() {}
	if !s.pg && opt.Alone {
		if back := s.rollbackJournal(ctx, conn); back != nil {
			walBack = back
			defer back() // after the rollback of a failed import
		}
	}
	if err := s.beginConn(ctx, conn); err != nil {
		return ImportResult{}, err
	}
	defer discardOnPanic(conn)
	im := &importer{s: s, ctx: ctx, conn: conn, r: r, opt: opt, res: ImportResult{Rows: map[string]int{}}}
	err = im.run()
	if err == nil && len(im.errs) > 0 {
		err = &dangvu.Error{Code: dangvu.EInvalid, Message: fmt.Sprintf("Dữ liệu nhập có %d lỗi; không có thay đổi nào được ghi.", len(im.errs)), Fields: im.errs}
	}
	if err == nil && len(im.conflicts) > 0 {
		e := &dangvu.Error{Code: dangvu.EConflict, Conflicts: im.conflicts,
			Message: fmt.Sprintf("Tệp có %d chỗ khác dữ liệu đã lưu ngoài phạm vi của tệp (xung đột); không có thay đổi nào được ghi.", len(im.conflicts))}
		for _, c := range im.conflicts {
			e.Fields = append(e.Fields, c.FieldError())
		}
		err = e
	}
	if err != nil {
		// A fresh context: the caller's may be what was cancelled.
		conn.ExecContext(context.Background(), "ROLLBACK")
		return ImportResult{}, err
	}
	if opt.DryRun {
		// Everything was checked and loaded; nothing may stay.
		if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
			return ImportResult{}, fmt.Errorf("store: %w", err)
		}
		st := r.Stats()
		im.res.LegacyCells, im.res.Encodings, im.res.Ignored = st.LegacyCells, st.Encodings, st.Ignored
		im.res.Seconds, im.res.DryRun = time.Since(start).Seconds(), true
		return im.res, nil
	}
	im.phase("commit")
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		conn.ExecContext(context.Background(), "ROLLBACK")
		return ImportResult{}, fmt.Errorf("store: %w", err)
	}
	s.noteWrite(ctx)
	if !s.pg {
		conn.ExecContext(context.Background(), "PRAGMA temp_store = MEMORY")
		walBack()
	}
	// Give the connection back first: SQLite's write pool has exactly one.
	conn.Close()
	im.phase("optimize")
	if s.pg {
		// Fresh statistics, and a visibility map so that reads can be index-only scans: every
		// table of the schema (the statuses' leavers at a million members: 0,8 s with 48.000
		// heap fetches before, a few milliseconds after).
		tables, err := column(ctx, s.write, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`)
		if err != nil || len(tables) == 0 {
			tables = []string{"roster", "members", "memberships", "org_paths", "org_versions"}
		}
		for _, t := range tables {
			s.write.ExecContext(ctx, "VACUUM ANALYZE "+pgIdent(t))
		}
	} else {
		s.write.ExecContext(ctx, "PRAGMA optimize")
	}
	st := r.Stats()
	im.res.LegacyCells, im.res.Encodings, im.res.Ignored = st.LegacyCells, st.Encodings, st.Ignored
	im.res.Seconds = time.Since(start).Seconds()
	return im.res, nil
}

type importer struct {
	s    *Store
	ctx  context.Context
	conn *dbConn
	r    exchange.Reader
	opt  ImportOptions
	res  ImportResult
	errs []dangvu.FieldError

	fresh    bool // the database had no members and no organisations
	orgs     map[string][]orgVersion
	events   map[string]bool
	terms    map[string]string // id → org id
	places   map[string]bool   // locality ids
	units    map[string]bool
	members  map[string]bool // in the file
	memberDB *sql.Stmt       // existence in the database, when not fresh
	dups     map[string]*seenIDs
	group    memberGroup
	touched  []string        // organisations whose stored history the file replaced
	stubbed  []string        // external organisations (a subtree's stubs) the database lacked, added
	fileOrgs map[string]bool // the organisations the file's organisations table names
	started  time.Time
	today    string       // ISO, on the store's clock when the import began
	reindex  func() error // rebuilds the indexes dropped for a load into an empty database
	// A merge import's references and removals (import_merge.go): the file's subtree, the
	// organisations (scoped import) and documents outside it that it carries, its members who sit
	// outside it (→ where), the differences found, the stored rows of its subtree it may remove.
	inside     map[string]bool
	refOrgs    map[string]bool
	refDocs    map[string]bool
	outMembers map[string]string
	conflicts  []dangvu.Conflict
	removals   []removal
	// known holds, for the domain tables (the domains' bindings), the ids of each table's rows: those
	// stored before the import and those read so far, mapped to a value the domain chooses.
	known map[string]map[string]string
}

// release lets go of what the rows were checked against once every table is in and checked:
// at a million members the ids kept for references (every member's, every payment's) held 585
// MB through the roster, the index builds and the kept figures, beside SQLite's own memory, and
// the process's peak came at the index builds. The memory goes back to the system at once.
func (im *importer) release() {
	im.known, im.dups, im.members, im.events, im.terms, im.places, im.units = nil, nil, nil, nil, nil, nil, nil
	debug.FreeOSMemory()
	im.trace("released")
}

// importStep loads one exchange table.
type importStep struct {
	table string
	fn    func(*importer) error
}

// ids returns the known ids of a domain table (see importer.known), creating the set.
func (im *importer) knownIDs(table string) map[string]string {
	if im.known == nil {
		im.known = map[string]map[string]string{}
	}
	m := im.known[table]
	if m == nil {
		m = map[string]string{}
		im.known[table] = m
	}
	return m
}

// storedIDs returns the known ids of a domain table (knownIDs), first filled, once per import,
// from the database by q (the id and the value to map it to), so that rows may refer to rows an
// earlier import stored. The one helper every domain's loaders use.
func (im *importer) storedIDs(table, q string) (map[string]string, error) {
	m := im.knownIDs(table)
	if m["\x00loaded"] == "" {
		if err := im.ids(q, func(id, v string) { m[id] = v }); err != nil {
			return nil, err
		}
		m["\x00loaded"] = "1"
	}
	return m, nil
}

// trace prints the time of each import phase when DANGVU_TRACE is set (for benchmarks).
func (im *importer) trace(phase string) {
	if os.Getenv("DANGVU_TRACE") == "" {
		return
	}
	if im.started.IsZero() {
		im.started = time.Now()
	}
	fmt.Fprintf(os.Stderr, "\n[import %7.1fs%s] %s\n", time.Since(im.started).Seconds(), memNote(), phase)
}

// memNote is the process's memory for a trace line: its resident set, its own part (RssAnon:
// the Go heap and SQLite's caches, not the mapped file) and the peak so far, from
// /proc/self/status; "" where there is none.
func memNote() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return ""
	}
	var out string
	for _, line := range strings.Split(string(b), "\n") {
		for _, k := range []string{"VmRSS", "RssAnon", "VmHWM"} {
			if v, ok := strings.CutPrefix(line, k+":"); ok {
				out += " " + k + " " + strings.Join(strings.Fields(v), " ")
			}
		}
	}
	// The Go heap apart from what SQLite holds (modernc's C memory is outside it).
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return out + fmt.Sprintf(" GoHeap %d MB (in use %d MB)", ms.HeapSys>>20, ms.HeapInuse>>20)
}

// phase tells opt.Phase that a phase begins.
func (im *importer) phase(name string) {
	if im.opt.Phase != nil {
		im.opt.Phase(name)
	}
}

// tooMany stops the reading once enough errors have been found to act on.
var errTooMany = errors.New("too many errors")

func (im *importer) bad(table string, row int, field, format string, args ...any) {
	im.errs = append(im.errs, dangvu.FieldError{Table: im.r.Source(table), Row: row, Field: field, Reason: fmt.Sprintf(format, args...)})
}

func (im *importer) exec(q string, args ...any) error {
	_, err := im.conn.ExecContext(im.ctx, q, args...)
	return err
}

func (im *importer) run() error {
	// Every table's header first: a set from another version of the format is refused at once,
	// not after the tables before the bad one have been read and written.
	if err := exchange.CheckHeaders(im.r); err != nil {
		return err
	}
	var n int
	if err := im.conn.QueryRowContext(im.ctx, `SELECT (SELECT count(*) FROM members) + (SELECT count(*) FROM org_versions)`).Scan(&n); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	im.fresh = n == 0
	if err := im.loadExisting(); err != nil {
		return err
	}
	if im.opt.Within != "" {
		if err := im.checkWithin(im.opt.Within); err != nil || len(im.errs) > 0 {
			return err
		}
	}
	stubs, err := im.hasRows(stubTable)
	if err != nil {
		return err
	}
	if !im.fresh && (stubs || im.opt.Within != "") {
		if err := im.checkReferences(); err != nil || len(im.conflicts) > 0 {
			return err
		}
		if stubs {
			if err := im.planRemovals(); err != nil {
				return err
			}
		}
	}
	var before *stateWriter
	if im.opt.DryRun || im.opt.Changes {
		before = newStateWriter()
		if err := im.snapshot(before); err != nil {
			return err
		}
	}
	if im.fresh {
		// Into an empty database, building each index once at the end is several times faster
		// than maintaining it row by row; it all stays inside the transaction.
		idx, err := im.s.secondaryIndexes()
		if err != nil {
			return err
		}
		for _, ix := range idx {
			if err := im.exec(`DROP INDEX ` + ix.name); err != nil {
				return fmt.Errorf("store: %w", err)
			}
		}
		// No need to recreate them on failure: the rollback undoes the drop.
		im.reindex = func() error {
			for _, ix := range idx {
				if err := im.exec(ix.create); err != nil {
					return fmt.Errorf("store: %w", err)
				}
			}
			// Statistics for every table of our schema (not the whole PostgreSQL database, whose
			// other schemas are none of our business): without them the planner scans the posts
			// once per locality in the concurrent-post figures (minutes instead of a second).
			return im.s.analyze(im.ctx, im.conn)
		}
	}
	steps := append([]importStep{
		{"reorganisations", (*importer).reorganisations},
		{stubTable, (*importer).externalOrgs},
		{"organisations", (*importer).organisations},
		{"terms", (*importer).termsTable},
		{"localities", (*importer).localities},
		{"units", (*importer).unitsTable},
		{"members", (*importer).membersTable},
		{"member_statuses", (*importer).statuses},
		{"memberships", (*importer).memberships},
		{"movements", (*importer).movements},
		{"posts", (*importer).posts},
	}, im.s.steps...)
	for _, st := range steps {
		if !im.r.Has(st.table) {
			continue
		}
		im.trace("start " + st.table)
		im.phase("table:" + st.table)
		if err := st.fn(im); err != nil {
			if errors.Is(err, errTooMany) {
				return nil
			}
			return err
		}
		if len(im.errs) >= maxErrors {
			return nil
		}
	}
	if len(im.errs) > 0 {
		return nil
	}
	if err := im.applyRemovals(); err != nil || len(im.errs) > 0 {
		return err
	}
	im.trace("loaded")
	im.phase("check")
	// The checks and the roster need only primary keys; the roster's own indexes are cheaper to
	// build once it is full than to maintain row by row.
	if err := im.checkOverlaps(); err != nil || len(im.errs) > 0 {
		return err
	}
	im.trace("checked overlaps")
	if im.r.Has("members") {
		if err := im.checkIDNumbers(); err != nil || len(im.errs) > 0 {
			return err
		}
	}
	if err := im.checkStoredMemberships(); err != nil || len(im.errs) > 0 {
		return err
	}
	im.release()
	im.phase("roster")
	if err := im.s.fillRoster(im.ctx, im.conn); err != nil {
		return err
	}
	im.trace("roster")
	if im.r.Has("members") {
		if err := im.s.rebuildNameTails(im.ctx, im.conn); err != nil {
			return err
		}
		im.trace("name tails")
	}
	if im.reindex != nil {
		im.phase("index")
		if err := im.reindex(); err != nil {
			return err
		}
		im.trace("indexed")
	}
	im.phase("counts")
	if err := im.s.rebuildRosterCounts(im.ctx, im.conn); err != nil {
		return err
	}
	if err := im.s.rebuildRosterEnds(im.ctx, im.conn); err != nil {
		return err
	}
	im.trace("roster counts")
	im.phase("dues")
	if err := im.s.rebuildKept(im.ctx, im.conn); err != nil {
		return err
	}
	im.trace("dues kept")
	if err := im.s.rebuildTallies(im.ctx, im.conn); err != nil {
		return err
	}
	im.trace("kept figures")
	detail := map[string]any{"checksum": im.opt.Checksum, "rows": im.res.Rows}
	if im.opt.Within != "" {
		detail["within"] = im.opt.Within
	}
	if before != nil {
		im.phase("changes")
		after := before.again()
		if err := im.snapshot(after); err != nil {
			return err
		}
		im.res.Changes = changes(before, after, changedTables(im.r))
		detail["changes"] = im.res.Changes
	}
	return im.s.audit(im.ctx, im.conn, im.opt.Actor, "import", "dataset", im.opt.Source, nil, detail)
}

// loadExisting reads what references are checked against: the whole tree (small even for the
// country: ~300k organisations) and the ids of the small tables.
func (im *importer) loadExisting() error {
	im.orgs = map[string][]orgVersion{}
	im.events, im.terms, im.places, im.units, im.members = map[string]bool{}, map[string]string{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	// Even a database without members or organisations may hold other tables from an earlier
	// import (reorganisations first, say), so the small tables' ids are always read.
	var err error
	if im.orgs, err = loadVersions(im.ctx, im.conn); err != nil {
		return err
	}
	for _, x := range []struct {
		q   string
		set map[string]bool
	}{{`SELECT id FROM reorg_events`, im.events}, {`SELECT id FROM localities`, im.places}, {`SELECT id FROM units`, im.units}} {
		if err := im.ids(x.q, func(id, _ string) { x.set[id] = true }); err != nil {
			return err
		}
	}
	if err := im.ids(`SELECT id, org_id FROM terms`, func(id, org string) { im.terms[id] = org }); err != nil {
		return err
	}
	im.memberDB, err = im.conn.PrepareContext(im.ctx, `SELECT count(*) FROM members WHERE id = ?`)
	return err
}

func (im *importer) ids(q string, fn func(a, b string)) error {
	rows, err := im.conn.QueryContext(im.ctx, q)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	for rows.Next() {
		var a, b string
		dst := []any{&a}
		if len(cols) == 2 {
			dst = append(dst, &b)
		}
		if err := rows.Scan(dst...); err != nil {
			return err
		}
		fn(a, b)
	}
	return rows.Err()
}

func (im *importer) memberExists(id string) bool {
	if im.members[id] {
		return true
	}
	if im.memberDB == nil {
		return false
	}
	var n int
	im.memberDB.QueryRowContext(im.ctx, id).Scan(&n)
	return n > 0
}

// each reads a table, counting rows and reporting progress.
func (im *importer) each(table string, fn func(row int, rec exchange.Record) error) error {
	n := 0
	err := im.r.Each(table, func(row int, rec exchange.Record) error {
		n++
		if im.opt.Progress != nil && n%100000 == 0 {
			im.opt.Progress(table, n)
		}
		if err := fn(row, rec); err != nil {
			return err
		}
		if len(im.errs) >= maxErrors {
			return errTooMany
		}
		return im.ctx.Err()
	})
	im.res.Rows[table] = n
	if im.opt.Progress != nil {
		im.opt.Progress(table, n)
	}
	return err
}

// field helpers: each validates one cell, records an error and returns the normalised value.

func (im *importer) id(table string, row int, rec exchange.Record, col string, required bool) string {
	v := rec.Get(col)
	if v == "" {
		if required {
			im.bad(table, row, col, "bắt buộc, không được để trống")
		}
		return ""
	}
	if !idPattern.MatchString(v) {
		im.bad(table, row, col, "mã %q không hợp lệ: chỉ gồm chữ cái không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới; tối đa 64 ký tự", v)
	}
	return v
}

func (im *importer) text(table string, row int, rec exchange.Record, col string, required bool) string {
	v := rec.Get(col)
	if v == "" && required {
		im.bad(table, row, col, "bắt buộc, không được để trống")
	}
	return v
}

func (im *importer) date(table string, row int, rec exchange.Record, col string, required bool) string {
	v := rec.Get(col)
	if v == "" {
		if required {
			im.bad(table, row, col, "bắt buộc, không được để trống")
		}
		return ""
	}
	t, err := vn.ParseDate(v)
	if err != nil {
		im.bad(table, row, col, "%s", err.Error())
		return ""
	}
	return dangvu.ISO(t)
}

// day is date as a Date (the zero Date when empty or bad, a bad one reported).
func (im *importer) day(table string, row int, rec exchange.Record, col string, required bool) dangvu.Date {
	v := im.date(table, row, rec, col, required)
	if v == "" {
		return dangvu.Date{}
	}
	return dangvu.MustDate(v)
}

// endDay is endDate as a Date.
func (im *importer) endDay(table string, row int, rec exchange.Record, col string, from dangvu.Date) dangvu.Date {
	return dangvu.MustDate(im.endDate(table, row, rec, col, from.String()))
}

// endDate is an end of an interval: empty means in force.
func (im *importer) endDate(table string, row int, rec exchange.Record, col, from string) string {
	v := im.date(table, row, rec, col, false)
	if v == "" {
		return dangvu.ForeverISO
	}
	if from != "" && v <= from {
		im.bad(table, row, col, "ngày kết thúc %s phải sau ngày bắt đầu %s", vnDate(v), vnDate(from))
	}
	return v
}

// partyFounded is the founding day of the Party: no organisation is older.
var partyFounded = dangvu.NewDate(1930, time.February, 3)

// minBirthYear: no member on record was born earlier (the oldest founders were born in the 1890s
// and are not kept as members; a year before this is a typo).
const minBirthYear = 1900

// past refuses the date of an act that has not happened yet: after today on the store's clock.
func (im *importer) past(table string, row int, col, iso string) {
	if im.today == "" {
		im.today = im.s.today() // once: the clock is read for every dated cell otherwise
	}
	if iso != "" && iso > im.today {
		im.bad(table, row, col, "ngày %s sau hôm nay (%s): chỉ ghi việc đã xảy ra", vnDate(iso), vnDate(im.today))
	}
}

// pastDate reads an optional date that may not be after today.
func (im *importer) pastDate(table string, row int, rec exchange.Record, col string) string {
	v := im.date(table, row, rec, col, false)
	im.past(table, row, col, v)
	return v
}

func (im *importer) partial(table string, row int, rec exchange.Record, col string) string {
	v := rec.Get(col)
	if v == "" {
		return ""
	}
	p, err := vn.ParsePartialDate(v)
	if err != nil {
		im.bad(table, row, col, "%s", err.Error())
		return ""
	}
	return p.String()
}

func code[T ~string](im *importer, table string, row int, rec exchange.Record, col string, list []dangvu.Code[T], required bool) T {
	v := rec.Get(col)
	if v == "" {
		if required {
			im.bad(table, row, col, "bắt buộc, không được để trống")
		}
		return ""
	}
	if dangvu.ValidCode(list, T(v)) {
		return T(v)
	}
	// Accept the Vietnamese name too ("Chính thức" for full), as people type it.
	for _, c := range list {
		if vn.Fold(c.Name) == vn.Fold(v) {
			return c.Code
		}
	}
	codes := make([]string, len(list))
	for i, c := range list {
		codes[i] = string(c.Code)
	}
	im.bad(table, row, col, "giá trị %q không hợp lệ; dùng một trong: %s", v, strings.Join(codes, ", "))
	return ""
}

// vnDate writes a date, stored text or a Date, as dd/mm/yyyy (text that is not a date as it is).
func vnDate[T string | dangvu.Date](v T) string {
	switch d := any(v).(type) {
	case dangvu.Date:
		if d.IsZero() {
			return ""
		}
		return vn.FormatDate(d.Time)
	case string:
		t, err := dangvu.ParseISODate(d)
		if err != nil {
			return d
		}
		return vn.FormatDate(t)
	}
	return ""
}

// orgCovers reports whether organisation id is in force throughout [from, to).
func (im *importer) orgCovers(id, from, to string) bool {
	at, end := isoDate(from), isoDate(to)
	for _, v := range im.orgs[id] {
		if !v.ValidTo.After(at) {
			continue
		}
		if v.ValidFrom.After(at) {
			return false
		}
		at = v.ValidTo
		if !at.Before(end) {
			return true
		}
	}
	return !at.Before(end)
}

func (im *importer) orgRef(table string, row int, col, id, from, to string) {
	if id == "" {
		return
	}
	if _, ok := im.orgs[id]; !ok {
		im.bad(table, row, col, "không có tổ chức đảng mã %q", id)
		return
	}
	if from != "" && !im.orgCovers(id, from, to) {
		im.bad(table, row, col, "tổ chức %s không có hiệu lực suốt thời gian từ %s đến %s", id, vnDate(from), endText(to))
	}
}

func endText(to string) string {
	if to == dangvu.ForeverISO {
		return "nay"
	}
	return vnDate(to)
}

func (im *importer) reorganisations() error {
	t := "reorganisations"
	return im.load(t, tblEvents, func(row int, rec exchange.Record) []any {
		id := im.key(t, row, rec)
		im.events[id] = true
		return []any{id, im.date(t, row, rec, "date", true), string(code(im, t, row, rec, "kind", dangvu.ReorgKinds, true)), rec.Get("document"), rec.Get("description")}
	})
}

// load reads a table and writes the values that decode returns for each row (nil: nothing to
// write), through the engine's bulk loader. Decoding and writing run on two goroutines, so on a
// two-core machine checking one row overlaps with storing the one before.
func (im *importer) load(table string, tbl table, decode func(row int, rec exchange.Record) []any) error {
	ld, err := im.s.loader(im.ctx, im.conn, tbl)
	if err != nil {
		return err
	}
	type item struct {
		row  int
		vals []any
	}
	rows := make(chan item, 4096)
	var (
		werr    error               // the writer's first error; read after done
		dupRows []dangvu.FieldError // duplicate keys the database found
		failed  atomic.Bool         // tells the reader to stop early
		done    = make(chan struct{})
	)
	go func() {
		defer close(done)
		// A panic here could not be recovered by the import's caller: it becomes the error.
		defer func() {
			if p := recover(); p != nil {
				werr = fmt.Errorf("store: %s: %v", table, p)
				failed.Store(true)
				for range rows {
				}
			}
		}()
		handle := func(row int, err error) {
			var re *loadRowErr
			if errors.As(err, &re) {
				row = re.row // a row kept by the loader and written with a later one
			}
			switch {
			case isUniqueViolation(err):
				dupRows = append(dupRows, dangvu.FieldError{Table: im.r.Source(table), Row: row, Reason: "trùng khóa với một dòng khác trong tệp"})
				failed.Store(true)
			case err != nil:
				werr = err
				failed.Store(true)
			}
		}
		for it := range rows {
			if werr != nil {
				continue
			}
			handle(it.row, ld.add(it.row, it.vals))
		}
		if werr == nil && !failed.Load() {
			handle(0, ld.flush())
		}
	}()
	// Should decoding panic, the writer is stopped before the panic goes on to Import, which
	// rolls back: it must not write on the connection after the rollback.
	closed := false
	defer func() {
		if !closed {
			close(rows)
			<-done
		}
	}()
	err = im.each(table, func(row int, rec exchange.Record) error {
		vals := decode(row, rec)
		// Once the import is doomed, rows are still checked (to list every error) but not written.
		if vals != nil && len(im.errs) == 0 && !failed.Load() {
			rows <- item{row, vals}
		}
		return nil
	})
	close(rows)
	closed = true
	<-done
	delete(im.dups, table) // a table's ids are checked against its own rows only
	im.errs = append(im.errs, dupRows...)
	if err != nil {
		return err
	}
	if werr != nil {
		return werr
	}
	if len(im.errs) > 0 {
		return nil
	}
	return ld.finish()
}

// isUniqueViolation recognises a duplicate key reported by either engine.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	m := err.Error()
	return strings.Contains(m, "UNIQUE constraint failed") || strings.Contains(m, "SQLSTATE 23505")
}

// memberGroup checks the rows of one member in a history table while they come in a run, as
// sorted files (every export, every generated set) bring them: duplicate keys and overlapping
// official memberships are reported with their rows. Rows of a member scattered through a file
// are still caught, later and with less detail, by the database.
type memberGroup struct {
	member   string
	keys     map[string]int
	official []struct {
		from, to string
		row      int
	}
}

func (g *memberGroup) reset(member string) {
	if g.member != member {
		g.member = member
		clear(g.keys)
		g.official = g.official[:0]
	}
	if g.keys == nil {
		g.keys = map[string]int{}
	}
}

func (im *importer) organisations() error {
	t := "organisations"
	file := map[string][]orgVersion{}
	err := im.each(t, func(row int, rec exchange.Record) error {
		var v orgVersion
		v.row = row
		v.ID = im.id(t, row, rec, "id", true)
		v.ValidFrom = im.day(t, row, rec, "valid_from", true)
		if !v.ValidFrom.IsZero() && v.ValidFrom.Before(partyFounded) {
			im.bad(t, row, "valid_from", "ngày %s trước ngày thành lập Đảng 03/02/1930", vnDate(v.ValidFrom))
		}
		v.ValidTo = im.endDay(t, row, rec, "valid_to", v.ValidFrom)
		v.Name = im.text(t, row, rec, "name", true)
		v.ParentID = im.id(t, row, rec, "parent_id", false)
		v.Level = code(im, t, row, rec, "level", dangvu.Levels, true)
		v.Kind = code(im, t, row, rec, "kind", dangvu.OrgKinds, true)
		v.IssuerCode = rec.Get("issuer_code")
		v.EventID = im.id(t, row, rec, "event_id", false)
		if v.EventID != "" && !im.events[v.EventID] {
			im.bad(t, row, "event_id", "không có sự kiện sắp xếp tổ chức mã %q", v.EventID)
		}
		if v.ParentID == v.ID && v.ID != "" {
			im.bad(t, row, "parent_id", "tổ chức không thể trực thuộc chính nó")
		}
		if im.refOrgs[v.ID] {
			return nil // an organisation outside a scoped import's subtree, as stored (checkReferences)
		}
		if !v.ValidFrom.IsZero() { // a bad date is reported already; checks that need it would only echo it
			file[v.ID] = append(file[v.ID], v)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// The file's versions replace the stored history of each organisation it names.
	im.fileOrgs = map[string]bool{}
	for id, vs := range file {
		im.fileOrgs[id] = true
		sort.Slice(vs, func(i, j int) bool { return vs[i].ValidFrom.Before(vs[j].ValidFrom) })
		for i := 1; i < len(vs); i++ {
			if vs[i].ValidFrom.Before(vs[i-1].ValidTo) {
				im.bad(t, vs[i].row, "valid_from", "phiên bản của tổ chức %s chồng lấn phiên bản bắt đầu %s", id, vnDate(vs[i-1].ValidFrom))
			}
		}
		if _, stored := im.orgs[id]; stored {
			im.touched = append(im.touched, id)
		}
		im.orgs[id] = vs
	}
	segs, errs := computePaths(im.orgs)
	for _, e := range errs {
		e.Table = im.r.Source(t)
		im.errs = append(im.errs, e)
	}
	if len(im.errs) > 0 {
		return nil
	}
	ld, err := im.s.loader(im.ctx, im.conn, tblOrgVersions)
	if err != nil {
		return err
	}
	ids := sortedKeys(file)
	for _, id := range ids {
		for _, v := range file[id] {
			if err := ld.add(0, []any{v.ID, v.ValidFrom, v.ValidTo, v.Name, vn.Fold(v.Name), v.ParentID, string(v.Level), string(v.Kind), v.IssuerCode, v.EventID}); err != nil {
				return err
			}
		}
	}
	if err := ld.finish(); err != nil {
		return err
	}
	return im.s.writePaths(im.ctx, im.conn, segs)
}

// loadVersions reads the whole tree's versions (small even for the country: ~300k organisations).
func loadVersions(ctx context.Context, q queryer) (map[string][]orgVersion, error) {
	out := map[string][]orgVersion{}
	rows, err := q.QueryContext(ctx, `SELECT org_id, valid_from, valid_to, name, parent_id, level, kind, issuer_code, event_id FROM org_versions ORDER BY org_id, valid_from`)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v orgVersion
		if err := rows.Scan(&v.ID, &v.ValidFrom, &v.ValidTo, &v.Name, &v.ParentID, &v.Level, &v.Kind, &v.IssuerCode, &v.EventID); err != nil {
			return nil, err
		}
		out[v.ID] = append(out[v.ID], v)
	}
	return out, rows.Err()
}

// writePaths replaces every path segment: paths depend on ancestors, so a change anywhere may
// move any descendant.
func (s *Store) writePaths(ctx context.Context, conn *dbConn, segs map[string][]pathSeg) error {
	if _, err := conn.ExecContext(ctx, `DELETE FROM org_paths`); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	pl, err := s.loader(ctx, conn, tblOrgPaths)
	if err != nil {
		return err
	}
	for _, id := range sortedKeys(segs) {
		for _, sg := range segs[id] {
			if err := pl.add(0, []any{sg.orgID, sg.from, sg.to, sg.path, sg.depth}); err != nil {
				return err
			}
		}
	}
	return pl.finish()
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (im *importer) termsTable() error {
	t := "terms"
	return im.load(t, tblTerms, func(row int, rec exchange.Record) []any {
		id := im.key(t, row, rec)
		org := im.id(t, row, rec, "org_id", true)
		im.orgRef(t, row, "org_id", org, "", "")
		start := im.date(t, row, rec, "start", true)
		im.terms[id] = org
		return []any{id, org, im.text(t, row, rec, "name", true), start, im.endDate(t, row, rec, "end", start), rec.Get("document")}
	})
}

func (im *importer) localities() error {
	t := "localities"
	return im.load(t, tblLocalities, func(row int, rec exchange.Record) []any {
		id := im.key(t, row, rec)
		im.places[id] = true
		from := im.date(t, row, rec, "valid_from", true)
		to := im.endDate(t, row, rec, "valid_to", from)
		cell := im.id(t, row, rec, "cell_id", true)
		im.orgRef(t, row, "cell_id", cell, "", "")
		return []any{id, im.text(t, row, rec, "name", true), code(im, t, row, rec, "kind", dangvu.LocalityKinds, true), cell, from, to}
	})
}

// key reads a row's id and refuses one already seen in the same table of this import.
func (im *importer) key(table string, row int, rec exchange.Record) string {
	id := im.id(table, row, rec, "id", true)
	if id != "" && seenInFile(im, table, id) {
		im.bad(table, row, "id", "mã %q bị lặp trong tệp", id)
	}
	return id
}

// own is a copy of s that shares no memory with it: a field of a file's row is a slice of the
// whole row's text, so a map of the import that kept the field kept the row (1,4 GB of a
// million members' import was rows kept for their ids).
func own(s string) string { return strings.Clone(s) }

// seenInFile tracks ids per table within this import, to refuse duplicates.
func seenInFile(im *importer, table, id string) bool {
	if im.dups == nil {
		im.dups = map[string]*seenIDs{}
	}
	m := im.dups[table]
	if m == nil {
		m = &seenIDs{sorted: true}
		im.dups[table] = m
	}
	return m.seen(id)
}

// seenIDs are the ids of a table seen so far. Files come sorted by id (every export, every
// generated set, the demo): while they do, an id greater than the last cannot repeat one, and
// the ids are only kept, front-coded (each as the length it shares with the one before and the
// rest: a few bytes, where a string took some fifty — the country's files hold 130 million
// ids); the first id out of order turns them into a set.
type seenIDs struct {
	sorted bool
	last   string
	packed []byte
	set    map[string]bool
}

func (s *seenIDs) seen(id string) bool {
	if s.sorted {
		if s.packed == nil || id > s.last {
			shared := 0
			for shared < len(id) && shared < len(s.last) && id[shared] == s.last[shared] {
				shared++
			}
			s.packed = binary.AppendUvarint(s.packed, uint64(shared))
			s.packed = binary.AppendUvarint(s.packed, uint64(len(id)-shared))
			s.packed = append(s.packed, id[shared:]...)
			s.last = id
			return false
		}
		s.sorted = false
		s.set = map[string]bool{}
		prev := []byte{}
		for p := s.packed; len(p) > 0; {
			shared, n := binary.Uvarint(p)
			p = p[n:]
			rest, n := binary.Uvarint(p)
			p = p[n:]
			prev = append(prev[:shared], p[:rest]...)
			p = p[rest:]
			s.set[string(prev)] = true
		}
		s.packed = nil
	}
	if s.set[id] {
		return true
	}
	s.set[id] = true
	return false
}

func (im *importer) unitsTable() error {
	t := "units"
	return im.load(t, tblUnits, func(row int, rec exchange.Record) []any {
		id := im.key(t, row, rec)
		im.units[id] = true
		from := im.date(t, row, rec, "valid_from", true)
		to := im.endDate(t, row, rec, "valid_to", from)
		org := im.id(t, row, rec, "org_id", true)
		im.orgRef(t, row, "org_id", org, "", "")
		return []any{id, im.text(t, row, rec, "name", true), string(code(im, t, row, rec, "kind", dangvu.OrgKinds, true)), org, from, to}
	})
}

func (im *importer) membersTable() error {
	t := "members"
	return im.load(t, tblMembers, func(row int, rec exchange.Record) []any {
		id := im.id(t, row, rec, "id", true)
		if im.members[id] {
			im.bad(t, row, "id", "mã %q bị lặp trong tệp", id)
		}
		im.members[own(id)] = true
		name := vn.NFC(strings.Join(strings.Fields(rec.Get("full_name")), " "))
		if name == "" {
			im.bad(t, row, "full_name", "bắt buộc, không được để trống")
		}
		gender := rec.Get("gender")
		switch gender {
		case dangvu.Male, dangvu.Female:
		case "Nam", "nam":
			gender = dangvu.Male
		case "Nữ", "nữ":
			gender = dangvu.Female
		default:
			im.bad(t, row, "gender", "giá trị %q không hợp lệ; dùng male hoặc female (Nam/Nữ)", gender)
		}
		eth := rec.Get("ethnicity")
		if eth != "" && !dangvu.ValidCode(dangvu.Ethnicities, eth) {
			eth = code(im, t, row, rec, "ethnicity", dangvu.Ethnicities, false)
		}
		idn := rec.Get("id_number")
		if idn != "" {
			if _, err := vn.ValidateIDNumber(idn); err != nil {
				im.bad(t, row, "id_number", "%s", err.Error())
			}
		}
		admitted := im.date(t, row, rec, "admitted_on", false)
		full := im.date(t, row, rec, "full_on", false)
		im.past(t, row, "admitted_on", admitted)
		im.past(t, row, "full_on", full)
		birth := im.partial(t, row, rec, "birth_date")
		if p, err := vn.ParsePartialDate(birth); err == nil && !p.IsZero() {
			if p.Year < minBirthYear {
				im.bad(t, row, "birth_date", "năm sinh %d không hợp lệ: phải từ %d trở đi", p.Year, minBirthYear)
			}
			im.past(t, row, "birth_date", dangvu.ISO(p.Earliest()))
		}
		if err := admissionAge(birth, isoDate(admitted)); err != "" {
			im.bad(t, row, "birth_date", "%s", err)
		}
		if admitted != "" && full != "" && full < admitted {
			im.bad(t, row, "full_on", "ngày chính thức %s trước ngày vào Đảng %s", vnDate(full), vnDate(admitted))
		}
		return []any{id, name, vn.Fold(name), vn.NameKey(name), rec.Get("other_names"), gender,
			birth, eth, rec.Get("religion"), rec.Get("hometown"), rec.Get("residence"),
			idn, rec.Get("phone"), rec.Get("education"), rec.Get("qualification"),
			code(im, t, row, rec, "theory_level", dangvu.TheoryLevels, false), rec.Get("occupation"), rec.Get("position"),
			admitted, full, rec.Get("card_number"), im.pastDate(t, row, rec, "card_date"), rec.Get("note")}
	})
}

func (im *importer) memberRef(table string, row int, col, id string) {
	if id != "" && !im.memberExists(id) {
		im.bad(table, row, col, "không có đảng viên mã %q", id)
	}
}

func (im *importer) statuses() error {
	t := "member_statuses"
	return im.load(t, tblStatuses, func(row int, rec exchange.Record) []any {
		m := im.id(t, row, rec, "member_id", true)
		im.memberRef(t, row, "member_id", m)
		from := im.date(t, row, rec, "valid_from", true)
		im.group.reset(m)
		if first, dup := im.group.keys[from]; dup && from != "" {
			im.bad(t, row, "valid_from", "đảng viên %s đã có trạng thái từ ngày %s ở dòng %d", m, vnDate(from), first)
		}
		im.group.keys[from] = row
		st := code(im, t, row, rec, "status", dangvu.Statuses, true)
		if st == dangvu.StatusDeceased {
			im.past(t, row, "valid_from", from)
		}
		return []any{m, from, string(st), rec.Get("document"), rec.Get("reason")}
	})
}

func (im *importer) memberships() error {
	t := "memberships"
	tbl := tblMemberships
	if im.subtreeFile() && !im.fresh {
		// A subtree's file holds only the memberships in the subtree: it replaces those of its
		// members, not their memberships elsewhere (a member who moved to another district).
		if err := im.clearSubtreeMemberships(); err != nil {
			return err
		}
		tbl.owner = ""
	}
	return im.load(t, tbl, func(row int, rec exchange.Record) []any {
		m := im.id(t, row, rec, "member_id", true)
		im.memberRef(t, row, "member_id", m)
		org := im.id(t, row, rec, "org_id", true)
		from := im.date(t, row, rec, "valid_from", true)
		to := im.endDate(t, row, rec, "valid_to", from)
		im.orgRef(t, row, "org_id", org, from, to)
		ev := im.id(t, row, rec, "event_id", false)
		if ev != "" && !im.events[ev] {
			im.bad(t, row, "event_id", "không có sự kiện sắp xếp tổ chức mã %q", ev)
		}
		kind := code(im, t, row, rec, "kind", dangvu.MembershipKinds, true)
		im.group.reset(m)
		key := from + "/" + string(kind)
		first, dup := im.group.keys[key]
		if dup && from != "" {
			im.bad(t, row, "valid_from", "đảng viên %s đã có nơi sinh hoạt từ ngày %s ở dòng %d", m, vnDate(from), first)
		}
		im.group.keys[key] = row
		if kind == dangvu.MembershipOfficial && from != "" && !dup {
			for _, o := range im.group.official {
				if from < o.to && o.from < to {
					im.bad(t, row, "valid_from", "đảng viên %s có hai nơi sinh hoạt chính thức chồng lấn (dòng %d, từ %s)", m, o.row, vnDate(o.from))
				}
			}
			im.group.official = append(im.group.official, struct {
				from, to string
				row      int
			}{from, to, row})
		}
		return []any{m, org, from, to, string(kind), rec.Get("document"), ev}
	})
}

func (im *importer) movements() error {
	t := "movements"
	return im.load(t, tblMovements, func(row int, rec exchange.Record) []any {
		id := im.key(t, row, rec)
		m := im.id(t, row, rec, "member_id", true)
		im.memberRef(t, row, "member_id", m)
		from, to := im.id(t, row, rec, "from_org_id", false), im.id(t, row, rec, "to_org_id", false)
		im.orgRef(t, row, "from_org_id", from, "", "")
		im.orgRef(t, row, "to_org_id", to, "", "")
		return []any{id, m, string(code(im, t, row, rec, "kind", dangvu.MovementKinds, true)), im.date(t, row, rec, "date", true),
			from, to, rec.Get("external"), rec.Get("document"), rec.Get("note")}
	})
}

func (im *importer) posts() error {
	t := "posts"
	return im.load(t, tblPosts, func(row int, rec exchange.Record) []any {
		id := im.key(t, row, rec)
		org, term := im.id(t, row, rec, "org_id", false), im.id(t, row, rec, "term_id", false)
		place, unit := im.id(t, row, rec, "locality_id", false), im.id(t, row, rec, "unit_id", false)
		where := 0
		for _, x := range []string{org, place, unit} {
			if x != "" {
				where++
			}
		}
		if where != 1 {
			im.bad(t, row, "org_id", "cần đúng một trong org_id, locality_id, unit_id")
		}
		im.orgRef(t, row, "org_id", org, "", "")
		if term != "" {
			if o, ok := im.terms[term]; !ok {
				im.bad(t, row, "term_id", "không có nhiệm kỳ mã %q", term)
			} else if org != "" && o != org {
				im.bad(t, row, "term_id", "nhiệm kỳ %s thuộc tổ chức %s, không phải %s", term, o, org)
			}
		}
		if place != "" && !im.places[place] {
			im.bad(t, row, "locality_id", "không có thôn, khu mã %q", place)
		}
		if unit != "" && !im.units[unit] {
			im.bad(t, row, "unit_id", "không có cơ quan, đơn vị mã %q", unit)
		}
		m := im.id(t, row, rec, "member_id", false)
		im.memberRef(t, row, "member_id", m)
		from := im.date(t, row, rec, "valid_from", true)
		return []any{id, string(code(im, t, row, rec, "role", dangvu.PostRoles, true)), org, term, place, unit, m,
			im.text(t, row, rec, "holder_name", true), rec.Get("title"), from, im.endDate(t, row, rec, "valid_to", from)}
	})
}

// checkOverlaps refuses a member with two official memberships on the same day.
func (im *importer) checkOverlaps() error {
	rows, err := im.conn.QueryContext(im.ctx, `SELECT a.member_id, a.valid_from, b.valid_from FROM memberships a
		JOIN memberships b ON b.member_id = a.member_id AND b.kind = 'official' AND b.valid_from > a.valid_from AND b.valid_from < a.valid_to
		WHERE a.kind = 'official' ORDER BY a.member_id LIMIT 100`)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m, a, b string
		if err := rows.Scan(&m, &a, &b); err != nil {
			return err
		}
		im.bad("memberships", 0, "valid_from", "đảng viên %s có hai nơi sinh hoạt chính thức chồng lấn (từ %s và từ %s)", m, vnDate(a), vnDate(b))
	}
	return rows.Err()
}

// checkIDNumbers refuses an identity number (CCCD or CMND) held by two members: two rows of the
// file, or a row and a stored member. It runs once the members are loaded, in the database (no
// map of millions of numbers in memory); the rows are looked up again only when it finds some.
func (im *importer) checkIDNumbers() error {
	rows, err := im.conn.QueryContext(im.ctx, `SELECT id_number, id FROM members WHERE id_number IN
		(SELECT id_number FROM members WHERE id_number <> '' GROUP BY id_number HAVING count(*) > 1)
		ORDER BY id_number, id LIMIT 200`)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	holders := map[string][]string{}
	var numbers []string
	for rows.Next() {
		var n, id string
		if err := rows.Scan(&n, &id); err != nil {
			rows.Close()
			return err
		}
		if holders[n] == nil {
			numbers = append(numbers, n)
		}
		holders[n] = append(holders[n], id)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(numbers) == 0 {
		return err
	}
	// The rows of the file's members among them, in file order.
	rowOf := map[string]int{}
	for _, ids := range holders {
		for _, id := range ids {
			rowOf[id] = 0
		}
	}
	err = im.r.Each("members", func(row int, rec exchange.Record) error {
		if r, ok := rowOf[rec.Get("id")]; ok && r == 0 {
			rowOf[rec.Get("id")] = row
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, n := range numbers {
		ids := holders[n]
		// Stored members (row 0) first, then the file's in row order: each later one is refused.
		sort.SliceStable(ids, func(i, j int) bool { return rowOf[ids[i]] < rowOf[ids[j]] })
		first := ids[0]
		where := "đã có trong cơ sở dữ liệu"
		if r := rowOf[first]; r > 0 {
			where = fmt.Sprintf("dòng %d", r)
		}
		for _, id := range ids[1:] {
			im.bad("members", rowOf[id], "id_number", "số định danh %s đã là của đảng viên %s (%s): mỗi người một số", vn.MaskIDNumber(n), first, where)
		}
	}
	return nil
}

type index struct{ name, create string }

var createIndex = regexp.MustCompile(`(?s)^\s*CREATE INDEX (\w+) ON`)
var dropIndex = regexp.MustCompile(`(?s)^\s*DROP INDEX (\w+)`)

// secondaryIndexes lists the CREATE INDEX statements of the migrations.
func (s *Store) secondaryIndexes() ([]index, error) {
	dir := "migrations/sqlite"
	if s.pg {
		dir = "migrations/postgres"
	}
	names, err := fs.Glob(migrations, dir+"/*.sql")
	if err != nil {
		return nil, err
	}
	// An index a later migration drops and creates again (a column added to it) is the later
	// one's; one dropped for good is none.
	var out []index
	for _, name := range names {
		body, err := migrations.ReadFile(name)
		if err != nil {
			return nil, err
		}
		for _, stmt := range splitSQL(string(body)) {
			if m := dropIndex.FindStringSubmatch(stmt); m != nil {
				out = slices.DeleteFunc(out, func(ix index) bool { return ix.name == m[1] })
			}
			if m := createIndex.FindStringSubmatch(stmt); m != nil {
				out = append(out, index{m[1], stmt})
			}
		}
	}
	return out, nil
}

// checkStoredMemberships refuses new versions of stored organisations that leave memberships
// (stored or loaded) outside the organisation's life: ending a cell that still has members.
func (im *importer) checkStoredMemberships() error {
	sort.Strings(im.touched)
	for _, id := range im.touched {
		rows, err := im.conn.QueryContext(im.ctx, `SELECT member_id, valid_from, valid_to FROM memberships WHERE org_id = ? ORDER BY member_id, valid_from`, id)
		if err != nil {
			return fmt.Errorf("store: %w", err)
		}
		for rows.Next() {
			var m, from, to string
			if err := rows.Scan(&m, &from, &to); err != nil {
				rows.Close()
				return err
			}
			if !im.orgCovers(id, from, to) {
				im.bad("organisations", 0, "valid_to", "tổ chức %s không còn hiệu lực suốt thời gian sinh hoạt của đảng viên %s (từ %s đến %s); hãy chuyển đảng viên trước", id, m, vnDate(from), endText(to))
			}
		}
		rows.Close()
	}
	return nil
}

// analyze refreshes the planner's statistics of every table of the store.
func (s *Store) analyze(ctx context.Context, conn *dbConn) error {
	if !s.pg {
		_, err := conn.ExecContext(ctx, `ANALYZE`)
		return err
	}
	rows, err := conn.QueryContext(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, t)
	}
	rows.Close()
	for _, t := range tables {
		if _, err := conn.ExecContext(ctx, `ANALYZE `+pgIdent(t)); err != nil {
			return err
		}
	}
	return nil
}

// pgIdent quotes a PostgreSQL identifier.
func pgIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
