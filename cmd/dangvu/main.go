// Command dangvu runs the party-affairs system: the web server, data import and export, synthetic
// data, backups and reports. Run `dangvu help` for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/httpapi"
	"dangvu/internal/rulebook"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `dangvu — hệ thống quản lý công tác đảng vụ

Cách dùng:
  dangvu <lệnh> [tùy chọn]

Các lệnh:
  serve     chạy máy chủ web (--addr, --db, --read-db, --key-file, --demo, --behind-https)
  demo      nạp bộ dữ liệu mẫu Uông Bí vào cơ sở dữ liệu (--db)
  migrate   tạo hoặc nâng cấp cấu trúc cơ sở dữ liệu (--db)
  import    nhập dữ liệu từ tệp .xlsx hoặc thư mục .csv (--db, PATH)
  export    xuất toàn bộ dữ liệu ra tệp .xlsx hoặc thư mục .csv (--db, --out)
  gen       sinh bộ dữ liệu tổng hợp quy mô toàn quốc (--members, --seed, --out)
  backup    sao lưu trực tuyến cơ sở dữ liệu SQLite (--db, --out)
  report    báo cáo nhiệm kỳ của một tổ chức đảng (--db, --org, --from, --to, --as-of, --document, --format, --out)
  audit     nhật ký thay đổi: audit verify (kiểm tra không bị sửa, xóa), audit head (in đầu chuỗi
            đã ký để lưu ra ngoài), audit rotate-key (thay khóa bí mật)
  user      quản lý tài khoản đăng nhập (user add|passwd|disable|list|token)
  files     hồ sơ đảng viên: files package ghi gói số hóa theo CV 1361 của một tổ chức (--db, --org, --out)
  bench     đo tải: nhiều máy khách cùng lúc hỏi các trang tìm kiếm, danh sách, tổ chức, báo cáo
            của một máy chủ trên chính máy này (--db hoặc --url, --clients, --duration)
  version   in phiên bản

Cơ sở dữ liệu (--db): đường dẫn tệp SQLite (mặc định ./dangvu.db) hoặc địa chỉ postgres://…
Bản sao chỉ đọc (serve --read-db, hoặc biến DANGVU_READ_DB): các bản sao PostgreSQL phục vụ việc
đọc, cách nhau bằng dấu phẩy (docs/deployment.md).
Quy định (--rules DIR, mọi lệnh; mặc định $DANGVU_RULES): thư mục sửa giá trị, thêm bộ quy định
theo ngày của đơn vị, kiểm tra khi khởi động (docs/rules.md).
Tệp khóa bí mật (--key-file, hoặc biến DANGVU_KEY_FILE): ký nhật ký và mã hóa khóa xác thực hai
bước; mặc định dangvu.key cạnh tệp SQLite, tạo ở lần chạy đầu; sao lưu riêng (docs/security.md).
Chạy "dangvu <lệnh> -h" để xem tùy chọn của từng lệnh.
`

func main() {
	exchange.Program = "dangvu " + version // named in the manifest of every export
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "Lỗi:", dangvu.ErrorMessage(err))
			if dangvu.ErrorCode(err) == dangvu.EInternal {
				fmt.Fprintln(os.Stderr, "Chi tiết:", err)
			}
		}
		os.Exit(exitCode(err))
	}
}

func exitCode(err error) int {
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 2
	case dangvu.ErrorCode(err) == dangvu.EInvalid, dangvu.ErrorCode(err) == dangvu.ENotFound, dangvu.ErrorCode(err) == dangvu.EConflict:
		return 1
	}
	return 3
}

// run dispatches a command; tests call it directly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return flag.ErrHelp
	}
	cmds := map[string]func(context.Context, []string, io.Writer, io.Writer) error{
		"serve": cmdServe, "demo": cmdDemo, "migrate": cmdMigrate, "import": cmdImport, "export": cmdExport,
		"gen": cmdGen, "backup": cmdBackup, "report": cmdReport, "audit": cmdAudit, "user": cmdUser, "files": cmdFiles, "bench": cmdBench,
		"version": func(_ context.Context, _ []string, w, _ io.Writer) error {
			fmt.Fprintln(w, "dangvu", version)
			return nil
		},
	}
	// The rules folder of DANGVU_RULES (or none) first, so that each run starts from it; a
	// command's --rules replaces it.
	if err := loadRules(os.Getenv("DANGVU_RULES")); err != nil {
		return err
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "--help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	fn, ok := cmds[name]
	if !ok {
		fmt.Fprint(stderr, usage)
		return dangvu.Errorf(dangvu.EInvalid, "không có lệnh %q", name)
	}
	return fn(ctx, args[1:], stdout, stderr)
}

// newFlags makes a flag set whose help is printed in Vietnamese. Every command takes --rules DIR,
// the administrator's rules folder (docs/rules.md), loaded and validated as the flag is parsed.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Func("rules", "thư mục quy định của đơn vị: sửa giá trị, thêm bộ quy định theo ngày (docs/rules.md); mặc định $DANGVU_RULES", loadRules)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Cách dùng: dangvu %s\n\nTùy chọn:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

const defaultDB = "dangvu.db"

// localRules lists the values the rules folder set: area, set, key, value, citation.
func localRules() [][5]string {
	var out [][5]string
	for _, a := range httpapi.RuleAreas() {
		for _, s := range a.Book().Sets {
			for _, v := range s.Values {
				if v.Local {
					out = append(out, [5]string{a.Name, s.ID, v.Key, v.Text, v.Source.Citation})
				}
			}
		}
	}
	return out
}

// loadRules applies a rules folder to every rule area ("" restores the embedded rules); every
// error names its file, line and column.
func loadRules(dir string) error {
	if err := rulebook.LoadAll(dir, httpapi.RuleAreas()); err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "thư mục quy định %s không dùng được:\n%v", dir, err)
	}
	return nil
}
