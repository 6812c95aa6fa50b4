package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"dangvu"
	"dangvu/internal/store"
)

// cmdFiles runs the member-files commands: files package writes the CV 1361 layout of a subtree
// (docs/member-files.md).
func cmdFiles(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "package" {
		fmt.Fprintln(stderr, "Cách dùng: dangvu files package --db DB --org ORG --out DIR [--as-of YYYY-MM-DD]")
		return dangvu.Errorf(dangvu.EInvalid, "cần lệnh con package")
	}
	fs := newFlags("files package", "files package [--db DB] --org ORG --out DIR [--as-of YYYY-MM-DD]", stderr)
	org := fs.String("org", "", "mã hoặc tên chính xác của tổ chức đảng: gói hồ sơ của các đảng viên trong phạm vi")
	out := fs.String("out", "", "thư mục gói hồ sơ (phải chưa có: không ghi đè)")
	asOf := fs.String("as-of", "", "ngày chốt danh sách đảng viên (mặc định hôm nay)")
	return dbCommand(ctx, fs, args[1:], func(s *store.Store) error {
		if *org == "" || *out == "" {
			fs.Usage()
			return dangvu.Errorf(dangvu.EInvalid, "cần --org và --out")
		}
		day, err := parseFlagDate("--as-of", *asOf, false)
		if err != nil {
			return err
		}
		if day.IsZero() {
			day = time.Now()
		}
		o, err := s.ResolveOrg(ctx, *org, day)
		if err != nil {
			return err
		}
		res, err := s.FilesPackage(ctx, o.ID, day, *out)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Đã ghi gói hồ sơ %s: %d đảng viên, %d tài liệu, %d loại bắt buộc còn thiếu, %d đảng viên chưa có CCCD, %d đảng viên ở tổ chức chưa có mã 14 số (manifest.csv, manifest.json, SHA256SUMS)\n",
			*out, res.Members, res.Documents, res.Missing, res.NoIDNumber, res.NoOrgCode)
		return nil
	})
}
