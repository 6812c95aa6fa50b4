package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"time"

	"dangvu"
	"dangvu/internal/reports"
	"dangvu/internal/store"
	"dangvu/internal/vn"
)

func cmdReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("report", "report [--db DB] --org ORG --from YYYY-MM-DD --to YYYY-MM-DD [--as-of YYYY-MM-DD] [--document SỐ] [--preset article|term|year] [--format json|xlsx|docx] [--out FILE]", stderr)
	org := fs.String("org", "", "mã hoặc tên chính xác của tổ chức đảng (theo ngày --as-of)")
	from := fs.String("from", "", "ngày đầu kỳ báo cáo")
	to := fs.String("to", "", "ngày cuối kỳ báo cáo")
	asOf := fs.String("as-of", "", "ngày chốt số liệu đảng viên và cây tổ chức (mặc định --to)")
	doc := fs.String("document", "", "chỉ tính công tác về một văn bản, ví dụ 04-NQ/TW")
	preset := fs.String("preset", "", "kỳ báo cáo mẫu thay cho --from: article (như bài viết: kết nạp từ 1/1 năm đầu nhiệm kỳ, học tập nghị quyết từ ngày của văn bản --document, kiểm tra từ đại hội), term (từ đại hội), year (từ 1/1)")
	format := fs.String("format", "json", "json, xlsx hoặc docx")
	out := fs.String("out", "", "tệp kết quả (mặc định: đầu ra chuẩn)")
	return dbCommand(ctx, fs, args, func(s *store.Store) error {
		q := dangvu.ReportQuery{Org: *org, Document: *doc, Secret: true} // the operator holds the whole database
		var err error
		if *org == "" {
			fs.Usage()
			return dangvu.Errorf(dangvu.EInvalid, "cần --org")
		}
		if q.From, err = parseFlagDate("--from", *from, *preset == ""); err != nil {
			return err
		}
		if q.To, err = parseFlagDate("--to", *to, true); err != nil {
			return err
		}
		if q.AsOf, err = parseFlagDate("--as-of", *asOf, false); err != nil {
			return err
		}
		if *format != "json" && *format != "xlsx" && *format != "docx" {
			return dangvu.Errorf(dangvu.EInvalid, "định dạng %q chưa được hỗ trợ; dùng json, xlsx hoặc docx", *format)
		}
		if *format != "json" && *out == "" {
			return dangvu.Errorf(dangvu.EInvalid, "định dạng %s cần --out", *format)
		}
		b, err := reports.Build(ctx, s, q, reports.Options{Preset: *preset, Lists: *format == "xlsx"})
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		switch *format {
		case "json":
			j, err := json.MarshalIndent(b.Report, "", "  ")
			if err != nil {
				return err
			}
			buf.Write(j)
			buf.WriteByte('\n')
		case "xlsx":
			err = b.XLSX(&buf)
		case "docx":
			err = b.DOCX(ctx, s, &buf)
		}
		if err != nil {
			return err
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
