package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"dangvu"
)

// PostgreSQL read replicas (docs/deployment.md). A store opened with Options.ReadDSNs keeps its
// writes, and every read inside a write transaction, on the primary (s.write); its read handle
// (s.read) routes each query, row or read transaction to a replica chosen round robin among the
// healthy ones, or to the primary when:
//   - the context asks for it (PrimaryReads: a request that writes, a session lookup, the audit
//     chain's verification);
//   - the context reads as a session or token (ReadsAs) that wrote, and no healthy replica has
//     replayed the primary's WAL past the position recorded after that write committed
//     (pg_current_wal_lsn() on the primary after the commit, against each replica's
//     pg_last_wal_replay_lsn(), polled): a session reads its own writes;
//   - no replica is healthy: one answers its health check, is in recovery (a replica, not a
//     promoted copy nor another server) and has replayed what the primary had written MaxLag ago,
//     so a replica read is never older than that bound even for a reader that wrote nothing;
//   - the replica fails with a connection error or a recovery conflict (the query runs again on
//     the primary and the replica is out until its next good health check).
// SQLite has no replicas: OpenWith refuses ReadDSNs there. The position a session wrote at is kept
// in this process's memory: several application servers behind one balancer need sessions kept
// on one server (sticky), or a session's read just after its write may come from a replica that
// has not replayed it yet (never older than MaxLag).

// Defaults of the replica options.
const (
	DefaultReplicaMaxLag     = 30 * time.Second
	DefaultReplicaCheckEvery = 500 * time.Millisecond
	// ReadDBEnv holds the comma-separated replica DSNs for `dangvu serve` (--read-db).
	ReadDBEnv = "DANGVU_READ_DB"
)

type readCtxKey struct{}

// readAs is how a context's reads are routed.
type readAs struct {
	primary bool
	key     string // the reader (a session's or token's hash) whose writes must be seen
}

// PrimaryReads returns ctx whose reads all go to the primary: the reads of a request that writes,
// so that what it checks before writing is what the write transaction will find.
func PrimaryReads(ctx context.Context) context.Context {
	r, _ := ctx.Value(readCtxKey{}).(readAs)
	r.primary = true
	return context.WithValue(ctx, readCtxKey{}, r)
}

// ReadsAs returns ctx whose reads are those of the session or API token (its secret, hashed
// here): once it has written, its reads go to the primary until a replica has replayed the write.
// The writes made with this context are recorded for it when they commit.
func ReadsAs(ctx context.Context, token string) context.Context {
	r, _ := ctx.Value(readCtxKey{}).(readAs)
	r.key = tokenHash(token)
	return context.WithValue(ctx, readCtxKey{}, r)
}

func readsOf(ctx context.Context) readAs {
	r, _ := ctx.Value(readCtxKey{}).(readAs)
	return r
}

// lsn is a WAL position (PostgreSQL's pg_lsn "16/B374D848").
type lsn uint64

func parseLSN(s string) (lsn, error) {
	hi, lo, ok := strings.Cut(s, "/")
	if !ok {
		return 0, fmt.Errorf("store: bad WAL position %q", s)
	}
	h, err1 := strconv.ParseUint(hi, 16, 32)
	l, err2 := strconv.ParseUint(lo, 16, 32)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("store: bad WAL position %q", s)
	}
	return lsn(h<<32 | l), nil
}

func (l lsn) String() string { return fmt.Sprintf("%X/%X", uint64(l)>>32, uint64(l)&0xFFFFFFFF) }

type lsnAt struct {
	lsn lsn
	at  time.Time
}

// replica is one read database.
type replica struct {
	name     string // host:port/database, no password
	db       *db
	healthy  atomic.Bool
	replayed atomic.Uint64 // pg_last_wal_replay_lsn() at the last good check
	queries  atomic.Int64
	mu       sync.Mutex
	reason   string // why it is not healthy
}

func (r *replica) setReason(s string) {
	r.mu.Lock()
	r.reason = s
	r.mu.Unlock()
}

// readRouter chooses the database of each read of a store with replicas.
type readRouter struct {
	primary  *db
	replicas []*replica
	next     atomic.Uint64
	maxLag   time.Duration
	every    time.Duration
	log      *slog.Logger
	now      func() time.Time

	primaryQueries atomic.Int64

	mu      sync.Mutex
	samples []lsnAt          // the primary's WAL position at each check, oldest first
	wrote   map[string]lsnAt // reader → the primary's position after its last write

	stop    chan struct{}
	done    chan struct{}
	started bool
}

// openReplicas opens the read databases, checks each once (a replica that does not answer is
// kept, unhealthy: reads go to the primary until it does) and starts the health checks.
func (s *Store) openReplicas(ctx context.Context, dsns []string, o Options) error {
	rt := &readRouter{
		primary: s.write, maxLag: o.ReplicaMaxLag, every: o.ReplicaCheckEvery, log: o.Log,
		now: time.Now, wrote: map[string]lsnAt{}, stop: make(chan struct{}), done: make(chan struct{}),
	}
	if rt.maxLag <= 0 {
		rt.maxLag = DefaultReplicaMaxLag
	}
	if rt.every <= 0 {
		rt.every = DefaultReplicaCheckEvery
	}
	if rt.log == nil {
		rt.log = slog.New(slog.DiscardHandler)
	}
	for _, d := range dsns {
		d = strings.TrimSpace(d)
		if d == "" {
			continue
		}
		if !isPostgresDSN(d) {
			rt.close()
			return dangvu.Errorf(dangvu.EInvalid, "--read-db: %q không phải địa chỉ PostgreSQL (postgres://…): bản sao chỉ đọc chỉ dùng được với PostgreSQL", d)
		}
		pool, err := sql.Open("pgx", pgDSN(d))
		if err != nil {
			rt.close()
			return fmt.Errorf("store: --read-db %s: %w", dsnName(d), err)
		}
		pool.SetMaxOpenConns(pgConns)
		pool.SetMaxIdleConns(pgConns)
		rt.replicas = append(rt.replicas, &replica{name: dsnName(d), db: &db{DB: pool, pg: true}})
	}
	if len(rt.replicas) == 0 {
		return nil
	}
	// The replicas must copy this primary: a read database of another cluster would answer
	// with other data. Checked when the identifiers can be read (every role may, by default).
	var primaryID string
	if err := s.write.QueryRowContext(ctx, `SELECT system_identifier::text FROM pg_control_system()`).Scan(&primaryID); err == nil {
		for _, r := range rt.replicas {
			var id string
			if err := r.db.QueryRowContext(ctx, `SELECT system_identifier::text FROM pg_control_system()`).Scan(&id); err == nil && id != primaryID {
				rt.close()
				return dangvu.Errorf(dangvu.EInvalid, "--read-db %s không phải bản sao của cơ sở dữ liệu chính (mã hệ thống %s, cơ sở chính %s)", r.name, id, primaryID)
			}
		}
	}
	rt.check(ctx)
	s.read = &db{DB: s.write.DB, pg: true, reads: rt}
	rt.started = true
	go rt.loop()
	return nil
}

func isPostgresDSN(d string) bool {
	return strings.HasPrefix(d, "postgres://") || strings.HasPrefix(d, "postgresql://")
}

// dsnName names a DSN in logs and messages without its password.
func dsnName(d string) string {
	u, err := url.Parse(d)
	if err != nil {
		return "?"
	}
	return u.Host + u.Path
}

// close stops the health checks and closes the replicas' pools.
func (rt *readRouter) close() {
	select {
	case <-rt.stop:
		return
	default:
		close(rt.stop)
	}
	if rt.started {
		<-rt.done
	}
	for _, r := range rt.replicas {
		r.db.Close()
	}
}

func (rt *readRouter) loop() {
	defer close(rt.done)
	t := time.NewTicker(rt.every)
	defer t.Stop()
	for {
		select {
		case <-rt.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), max(2*time.Second, 2*rt.every))
			rt.check(ctx)
			cancel()
		}
	}
}

// check samples the primary's WAL position and each replica's replay position, and marks each
// replica healthy or not (logging changes).
func (rt *readRouter) check(ctx context.Context) {
	now := rt.now()
	var cur string
	if err := rt.primary.QueryRowContext(ctx, `SELECT pg_current_wal_lsn()::text`).Scan(&cur); err == nil {
		if l, err := parseLSN(cur); err == nil {
			rt.mu.Lock()
			rt.samples = append(rt.samples, lsnAt{l, now})
			// Keep one sample older than the lag bound, for the threshold below.
			for len(rt.samples) > 2 && now.Sub(rt.samples[1].at) > rt.maxLag {
				rt.samples = rt.samples[1:]
			}
			// A reader's write older than the bound is on every healthy replica.
			for k, w := range rt.wrote {
				if now.Sub(w.at) > rt.maxLag+2*rt.every {
					delete(rt.wrote, k)
				}
			}
			rt.mu.Unlock()
		}
	}
	need := rt.threshold(now)
	var wg sync.WaitGroup
	for _, r := range rt.replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, why := rt.checkReplica(ctx, r, need)
			was := r.healthy.Swap(ok)
			r.setReason(why)
			switch {
			case ok && !was:
				rt.log.Info("bản sao chỉ đọc sẵn sàng", "bản_sao", r.name, "đã_phát_lại_tới", lsn(r.replayed.Load()).String())
			case !ok && was:
				rt.log.Warn("bản sao chỉ đọc tạm ngừng dùng, đọc từ cơ sở chính", "bản_sao", r.name, "lý_do", why)
			}
		}()
	}
	wg.Wait()
}

// threshold is the primary's WAL position MaxLag ago (0 before the first such sample): a replica
// behind it is too stale to serve.
func (rt *readRouter) threshold(now time.Time) lsn {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	var need lsn
	for _, s := range rt.samples {
		if now.Sub(s.at) < rt.maxLag {
			break
		}
		need = s.lsn
	}
	return need
}

func (rt *readRouter) checkReplica(ctx context.Context, r *replica, need lsn) (bool, string) {
	var inRecovery bool
	var replayed sql.NullString
	err := r.db.QueryRowContext(ctx, `SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text`).Scan(&inRecovery, &replayed)
	if err != nil {
		return false, "không kết nối được: " + err.Error()
	}
	if !inRecovery || !replayed.Valid {
		return false, "không phải bản sao đang phát lại WAL (pg_is_in_recovery() = false)"
	}
	l, err := parseLSN(replayed.String)
	if err != nil {
		return false, err.Error()
	}
	if l > lsn(r.replayed.Load()) {
		r.replayed.Store(uint64(l))
	}
	if l < need {
		return false, fmt.Sprintf("chậm hơn %s: mới phát lại tới %s, cơ sở chính đã ở %s từ %s trước", rt.maxLag, l, need, rt.maxLag)
	}
	return true, ""
}

// noteWrite records, for the context's reader, the primary's WAL position after a write that
// committed: it is at or after the commit record.
func (rt *readRouter) noteWrite(ctx context.Context, key string) {
	var cur string
	qctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := rt.primary.QueryRowContext(qctx, `SELECT pg_current_wal_lsn()::text`).Scan(&cur); err != nil {
		// Unknown: read this reader's next reads from the primary for the whole lag bound.
		cur = "FFFFFFFF/FFFFFFFF"
	}
	l, err := parseLSN(cur)
	if err != nil {
		return
	}
	rt.mu.Lock()
	if w, ok := rt.wrote[key]; !ok || l >= w.lsn {
		rt.wrote[key] = lsnAt{l, rt.now()}
	}
	rt.mu.Unlock()
}

// pick chooses the replica for a read, nil for the primary.
func (rt *readRouter) pick(ctx context.Context) *replica {
	as := readsOf(ctx)
	if as.primary {
		return nil
	}
	var need lsn
	if as.key != "" {
		rt.mu.Lock()
		w, ok := rt.wrote[as.key]
		rt.mu.Unlock()
		if ok {
			need = w.lsn
		}
	}
	n := uint64(len(rt.replicas))
	start := rt.next.Add(1)
	for i := range n {
		r := rt.replicas[(start+i)%n]
		if r.healthy.Load() && lsn(r.replayed.Load()) >= need {
			return r
		}
	}
	return nil
}

// retryOnPrimary tells whether a replica's error is the replica's, not the query's: a lost or
// refused connection, a server shutting down, or a query cancelled by a conflict with recovery.
func retryOnPrimary(ctx context.Context, err error) bool {
	if err == nil || ctx.Err() != nil || errors.Is(err, sql.ErrNoRows) {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "40001", "57P01", "57P02", "57P03", "53300":
			return true
		}
		return false
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.Is(err, driver.ErrBadConn) || errors.As(err, &ce) || errors.As(err, &ne) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || pgconn.SafeToRetry(err)
}

func (rt *readRouter) failed(r *replica, err error) {
	if r.healthy.Swap(false) {
		rt.log.Warn("bản sao chỉ đọc lỗi, đọc lại từ cơ sở chính", "bản_sao", r.name, "lỗi", err.Error())
	}
	r.setReason(err.Error())
}

func (rt *readRouter) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if r := rt.pick(ctx); r != nil {
		rows, err := r.db.QueryContext(ctx, q, args...)
		if !retryOnPrimary(ctx, err) {
			r.queries.Add(1)
			return rows, err
		}
		rt.failed(r, err)
	}
	rt.primaryQueries.Add(1)
	return rt.primary.QueryContext(ctx, q, args...)
}

func (rt *readRouter) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if r := rt.pick(ctx); r != nil {
		row := r.db.QueryRowContext(ctx, q, args...)
		if err := row.Err(); !retryOnPrimary(ctx, err) {
			r.queries.Add(1)
			return row
		} else {
			rt.failed(r, err)
		}
	}
	rt.primaryQueries.Add(1)
	return rt.primary.QueryRowContext(ctx, q, args...)
}

func (rt *readRouter) begin(ctx context.Context, opts *sql.TxOptions) (*dbTx, error) {
	if r := rt.pick(ctx); r != nil {
		tx, err := r.db.BeginTx(ctx, opts)
		if !retryOnPrimary(ctx, err) {
			r.queries.Add(1)
			return tx, err
		}
		rt.failed(r, err)
	}
	rt.primaryQueries.Add(1)
	return rt.primary.BeginTx(ctx, opts)
}

// ReadDB describes a database the store reads from.
type ReadDB struct {
	Name     string // host:port/database
	Replica  bool   // false: the primary
	Healthy  bool
	Reason   string // why a replica is not used
	Replayed string // a replica's replay position at its last check
	Queries  int64  // reads served since the store was opened (a read transaction counts once)
}

// ReadDBs lists the primary and the replicas with what they served: nil without replicas.
func (s *Store) ReadDBs() []ReadDB {
	rt := s.read.reads
	if rt == nil {
		return nil
	}
	out := []ReadDB{{Name: "primary", Healthy: true, Queries: rt.primaryQueries.Load()}}
	for _, r := range rt.replicas {
		r.mu.Lock()
		why := r.reason
		r.mu.Unlock()
		out = append(out, ReadDB{Name: r.name, Replica: true, Healthy: r.healthy.Load(), Reason: why,
			Replayed: lsn(r.replayed.Load()).String(), Queries: r.queries.Load()})
	}
	return out
}

// CheckReplicas runs the replicas' health check now (the server runs it every ReplicaCheckEvery).
func (s *Store) CheckReplicas(ctx context.Context) {
	if rt := s.read.reads; rt != nil {
		rt.check(ctx)
	}
}

// WroteAs records that the session or token has just written (its writes made under ReadsAs are
// recorded by themselves): for a write made before the reader existed, as a login's.
func (s *Store) WroteAs(ctx context.Context, token string) {
	if rt := s.read.reads; rt != nil {
		rt.noteWrite(ctx, tokenHash(token))
	}
}

// noteWrite records a committed write for the context's reader, when there are replicas.
func (s *Store) noteWrite(ctx context.Context) {
	rt := s.read.reads
	if rt == nil {
		return
	}
	if k := readsOf(ctx).key; k != "" {
		rt.noteWrite(ctx, k)
	}
}
