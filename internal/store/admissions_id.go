package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// NextAdmissionFileID is the next code of the year's admission files, "KN-2026-001" after the
// highest "KN-2026-…" in the database, for a file opened without a code of its own (the person
// keying it in should not have to invent one).
func (s *Store) NextAdmissionFileID(ctx context.Context, year int) (string, error) {
	prefix := fmt.Sprintf("KN-%d-", year)
	rows, err := s.read.QueryContext(ctx, `SELECT id FROM admission_files WHERE id LIKE ?`, prefix+"%")
	if err != nil {
		return "", fmt.Errorf("store: admission file id: %w", err)
	}
	defer rows.Close()
	best := 0
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return "", err
		}
		if n, err := strconv.Atoi(strings.TrimPrefix(id, prefix)); err == nil && n > best {
			best = n
		}
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s%03d", prefix, best+1), nil
}
