package main

import (
	"context"
	"fmt"
	"io"

	"dangvu"
	"dangvu/internal/store"
	"dangvu/internal/vn"
)

func cmdAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(stderr, "Cách dùng: dangvu audit verify [--db DB]")
		return dangvu.Errorf(dangvu.EInvalid, "cần lệnh con verify")
	}
	fs := newFlags("audit verify", "audit verify [--db DB]", stderr)
	return dbCommand(ctx, fs, args[1:], func(s *store.Store) error {
		n, err := s.VerifyAudit(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Nhật ký nguyên vẹn: %s mục, chuỗi băm khớp.\n", vn.FormatInt(int64(n)))
		return nil
	})
}
