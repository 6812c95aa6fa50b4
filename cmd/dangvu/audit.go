package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"dangvu"
	"dangvu/internal/store"
	"dangvu/internal/vn"
)

const auditUsage = `Cách dùng: dangvu audit <lệnh> [--db DB] [--key-file TỆP]

Nhật ký thay đổi (docs/security.md):
  verify      kiểm tra chuỗi nhật ký (mã HMAC từng mục, đầu chuỗi đã ký); --head TỆP để đối chiếu
              thêm với một đầu chuỗi đã ghi lại bên ngoài (đầu ra của audit head)
  head        in đầu chuỗi đã ký (số mục, mã của mục cuối, chữ ký) dạng JSON, để lưu ra ngoài
              cơ sở dữ liệu (thư điện tử, giấy, máy khác): sau này audit verify --head chứng minh
              không mục nào đến đó bị xóa
  rotate-key  thay khóa bí mật: thêm khóa mới vào cuối tệp khóa (giữ khóa cũ để kiểm tra phần
              nhật ký cũ), mã hóa lại khóa xác thực hai bước; dừng máy chủ trước khi chạy
`

func cmdAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, auditUsage)
		return dangvu.Errorf(dangvu.EInvalid, "cần lệnh con verify, head hoặc rotate-key")
	}
	switch args[0] {
	case "verify":
		fs := newFlags("audit verify", "audit verify [--db DB] [--key-file TỆP] [--head TỆP]", stderr)
		head := fs.String("head", "", "tệp chứa đầu chuỗi đã ghi lại (JSON của audit head) để đối chiếu")
		return dbCommand(ctx, fs, args[1:], func(s *store.Store) error {
			if *head == "" {
				n, err := s.VerifyAudit(ctx)
				if err != nil {
					return err
				}
				fmt.Fprintf(stdout, "Nhật ký nguyên vẹn: %s mục, chuỗi băm khớp, đầu chuỗi đã ký khớp.\n", vn.FormatInt(int64(n)))
				return nil
			}
			rec, err := readHead(*head)
			if err != nil {
				return err
			}
			n, err := s.VerifyAuditHead(ctx, rec)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Nhật ký nguyên vẹn: %s mục, chuỗi băm khớp, đầu chuỗi đã ký khớp; còn nguyên đến mục số %s của đầu chuỗi ghi lại lúc %s.\n",
				vn.FormatInt(int64(n)), vn.FormatInt(rec.Seq), rec.At)
			return nil
		})
	case "head":
		fs := newFlags("audit head", "audit head [--db DB] [--key-file TỆP]", stderr)
		return dbCommand(ctx, fs, args[1:], func(s *store.Store) error {
			// Only a verified log's head is worth recording.
			if _, err := s.VerifyAudit(ctx); err != nil {
				return err
			}
			h, err := s.AuditHead(ctx)
			if err != nil {
				return err
			}
			b, _ := json.Marshal(h)
			fmt.Fprintln(stdout, string(b))
			return nil
		})
	case "rotate-key":
		fs := newFlags("audit rotate-key", "audit rotate-key [--db DB] [--key-file TỆP]", stderr)
		return dbCommand(ctx, fs, args[1:], func(s *store.Store) error {
			if _, err := s.VerifyAudit(ctx); err != nil {
				return fmt.Errorf("không thay khóa khi nhật ký chưa nguyên vẹn: %w", err)
			}
			oldID, newID, err := s.RotateKey(ctx, currentUser())
			if err != nil {
				return err
			}
			path, _ := s.KeyFile()
			fmt.Fprintf(stdout, "Đã thay khóa %s bằng khóa %s trong tệp %s (khóa cũ vẫn giữ để kiểm tra phần nhật ký cũ). Hãy sao lưu lại tệp khóa.\n", oldID, newID, path)
			return nil
		})
	}
	fmt.Fprint(stderr, auditUsage)
	return dangvu.Errorf(dangvu.EInvalid, "không có lệnh audit %q", args[0])
}

// readHead reads a head recorded by `audit head`: a file, or the JSON itself.
func readHead(arg string) (store.AuditHead, error) {
	var h store.AuditHead
	b := []byte(arg)
	if !strings.HasPrefix(strings.TrimSpace(arg), "{") {
		var err error
		if b, err = os.ReadFile(arg); err != nil {
			return h, dangvu.Errorf(dangvu.EInvalid, "không đọc được tệp đầu chuỗi %s: %v", arg, err)
		}
	}
	if err := json.Unmarshal(b, &h); err != nil || h.MAC == "" {
		return h, dangvu.Errorf(dangvu.EInvalid, "đầu chuỗi ghi lại không đúng dạng JSON của dangvu audit head")
	}
	return h, nil
}
