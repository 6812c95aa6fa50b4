package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"time"

	"dangvu"
	"dangvu/internal/reportout"
	"dangvu/internal/store"
	"dangvu/internal/vn"
)

func cmdReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("report", "report [--db DB] --org ORG --from YYYY-MM-DD --to YYYY-MM-DD [--as-of YYYY-MM-DD] [--document SỐ] [--format json|xlsx] [--out FILE]", stderr)
	org := fs.String("org", "", "mã hoặc tên chính xác của tổ chức đảng (theo ngày --as-of)")
	from := fs.String("from", "", "ngày đầu kỳ báo cáo")
	to := fs.String("to", "", "ngày cuối kỳ báo cáo")
	asOf := fs.String("as-of", "", "ngày chốt số liệu đảng viên và cây tổ chức (mặc định --to)")
	doc := fs.String("document", "", "chỉ tính công tác về một văn bản, ví dụ 04-NQ/TW")
	format := fs.String("format", "json", "json hoặc xlsx")
	out := fs.String("out", "", "tệp kết quả (mặc định: đầu ra chuẩn)")
	return dbCommand(ctx, fs, args, func(s *store.Store) error {
		q := dangvu.ReportQuery{Org: *org, Document: *doc}
		var err error
		if *org == "" {
			fs.Usage()
			return dangvu.Errorf(dangvu.EInvalid, "cần --org")
		}
		if q.From, err = parseFlagDate("--from", *from, true); err != nil {
			return err
		}
		if q.To, err = parseFlagDate("--to", *to, true); err != nil {
			return err
		}
		if q.AsOf, err = parseFlagDate("--as-of", *asOf, false); err != nil {
			return err
		}
		r, err := s.TermReport(ctx, q)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		switch *format {
		case "json":
			b, err := json.MarshalIndent(r, "", "  ")
			if err != nil {
				return err
			}
			buf.Write(b)
			buf.WriteByte('\n')
		case "xlsx":
			if *out == "" {
				return dangvu.Errorf(dangvu.EInvalid, "định dạng xlsx cần --out")
			}
			if err := reportout.XLSX(&buf, r); err != nil {
				return err
			}
		default:
			return dangvu.Errorf(dangvu.EInvalid, "định dạng %q chưa được hỗ trợ; dùng json hoặc xlsx", *format)
		}
		if *out == "" {
			_, err = stdout.Write(buf.Bytes())
			return err
		}
		return os.WriteFile(*out, buf.Bytes(), 0o644)
	})
}

func parseFlagDate(name, v string, required bool) (time.Time, error) {
	if v == "" {
		if required {
			return time.Time{}, dangvu.Errorf(dangvu.EInvalid, "cần %s", name)
		}
		return time.Time{}, nil
	}
	t, err := vn.ParseDate(v)
	if err != nil {
		return time.Time{}, dangvu.Errorf(dangvu.EInvalid, "%s: %v", name, err)
	}
	return t, nil
}
