package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"dangvu/internal/httpapi"
	"dangvu/internal/store"
)

// shellQuote quotes a path for a command line to copy, when it needs it.
func shellQuote(p string) string {
	if strings.ContainsAny(p, " '\"$`\\") {
		return "'" + strings.ReplaceAll(p, "'", `'\''`) + "'"
	}
	return p
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "serve [--addr ĐỊA_CHỈ] [--db DB] [--read-db BẢN_SAO[,BẢN_SAO…]] [--key-file TỆP] [--demo] [--behind-https] [--max-exports N]", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "địa chỉ lắng nghe")
	db := fs.String("db", defaultDB, "cơ sở dữ liệu")
	readDB := fs.String("read-db", os.Getenv(store.ReadDBEnv), "bản sao chỉ đọc PostgreSQL của cơ sở chính (postgres://…, nhiều bản cách nhau bằng dấu phẩy; mặc định: biến "+store.ReadDBEnv+"): báo cáo, danh sách và trang được đọc từ bản sao, ghi vào cơ sở chính (docs/deployment.md)")
	readLag := fs.Duration("read-max-lag", store.DefaultReplicaMaxLag, "bản sao chậm hơn cơ sở chính quá thời gian này thì không dùng")
	demoFlag := fs.Bool("demo", false, "nạp dữ liệu mẫu Uông Bí và tạo tài khoản mẫu nếu cơ sở dữ liệu còn trống")
	behindHTTPS := fs.Bool("behind-https", false, "máy chủ chạy sau một proxy HTTPS: đánh dấu cookie phiên là Secure")
	maxExports := fs.Int("max-exports", httpapi.MaxExports, "số bản tải dữ liệu (/export) được tạo cùng lúc; bản thêm nhận lỗi 503 (máy chủ bận)")
	key := keyFileFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	// A first start may take a while (the schema, a key, the demo): a line per phase on stderr.
	p := newProgress(stderr)
	p.Phase("Mở cơ sở dữ liệu, cập nhật cấu trúc")
	var replicas []string
	for _, d := range strings.Split(*readDB, ",") {
		if d = strings.TrimSpace(d); d != "" {
			replicas = append(replicas, d)
		}
	}
	s, err := openStoreOptions(ctx, *db, store.Options{KeyFile: *key, ReadDSNs: replicas, ReplicaMaxLag: *readLag, Log: log}, stderr)
	if err != nil {
		return err
	}
	defer s.Close()
	for _, d := range s.ReadDBs() {
		if !d.Replica {
			continue
		}
		if d.Healthy {
			log.Info("bản sao chỉ đọc", "bản_sao", d.Name, "đã_phát_lại_tới", d.Replayed)
		} else {
			log.Warn("bản sao chỉ đọc chưa dùng được, đọc từ cơ sở chính", "bản_sao", d.Name, "lý_do", d.Reason)
		}
	}
	if *demoFlag {
		n, err := s.CountOrgVersions(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			fmt.Fprintln(stderr, "Cơ sở dữ liệu trống: đang nạp dữ liệu mẫu Uông Bí…")
			if err := loadDemoWith(ctx, s, p); err != nil {
				return err
			}
		}
		// On every demo start, so the accounts are at hand; missing ones are created.
		p.Phase("Tạo tài khoản mẫu")
		if err := createDemoUsers(ctx, s, stdout); err != nil {
			return err
		}
	}
	p.Phase("Mở cổng " + *addr)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("không mở được cổng %s: %w", *addr, err)
	}
	srv := &http.Server{
		Handler:           (&httpapi.Server{Store: s, Logger: log, BehindHTTPS: *behindHTTPS, MaxExports: *maxExports}).Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if !*behindHTTPS && !loopback(ln.Addr()) {
		fmt.Fprintf(stderr, "CẢNH BÁO: máy chủ phục vụ HTTP không mã hóa trên %s: mật khẩu và cookie phiên có thể bị nghe lén. Hãy đặt sau một proxy HTTPS (và dùng --behind-https) hoặc chỉ lắng nghe trên 127.0.0.1.\n", ln.Addr())
	}
	if users, err := s.Users(ctx); err == nil && len(users) == 0 {
		// A first start: nobody can log in until an administrator exists.
		fmt.Fprintf(stdout, "Chưa có tài khoản nào. Tạo tài khoản quản trị đầu tiên (mật khẩu đọc từ đầu vào chuẩn):\n  dangvu user add --db %s --username admin --role admin --name \"Họ và tên\"\n", shellQuote(*db))
	}
	p.Done("Khởi động")
	fmt.Fprintf(stdout, "dangvu đang chạy tại http://%s (cơ sở dữ liệu: %s)\n", ln.Addr(), *db)
	// The rules folder changes deadlines and thresholds without a trace in the database: the
	// server's log says which values it set, at every start (also shown on /rules).
	for _, c := range localRules() {
		log.Info("quy định do đơn vị sửa", "lĩnh_vực", c[0], "bộ", c[1], "khóa", c[2], "giá_trị", c[3], "trích_dẫn", c[4])
	}
	// Where a loaded server's CPU goes (docs/benchmarks.md, the load test): a profile written
	// from start to shutdown, for go tool pprof. Off unless asked for.
	if f := os.Getenv("DANGVU_CPUPROFILE"); f != "" {
		out, err := os.Create(f)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(out); err != nil {
			return err
		}
		defer func() { pprof.StopCPUProfile(); out.Close() }()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return srv.Shutdown(shut)
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}

// loopback reports whether a listening address is reachable only from this machine.
func loopback(a net.Addr) bool {
	t, ok := a.(*net.TCPAddr)
	return ok && t.IP.IsLoopback()
}
