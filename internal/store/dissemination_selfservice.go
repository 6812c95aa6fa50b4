package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"dangvu"
)

// related is true when two organisation paths are on one branch: one is a prefix of the other.
const disRelated = `(substr(%[1]s.path, 1, length(%[2]s.path)) = %[2]s.path OR substr(%[2]s.path, 1, length(%[1]s.path)) = %[1]s.path)`

// MemberDocuments lists, as of day, the documents the member's organisation must study
// (docs/dissemination.md, "Self-service"): the member's organisation O is the one holding them on
// day (probationary or full; an exempt member or a non-member gets none). A document D counts when
//   - it is registered, dated on or before day, in the register of O or of an organisation above
//     O (as the tree stood on D's date or on day), and
//   - a conference dated on or before day studied D (by number: copies count as one) and was
//     organised by an organisation on O's branch (above O, O itself or below O, as the tree stood
//     on the conference's date), or an action programme or plan (CTr, KH) of O or of an
//     organisation above O, dated on or before day, implements D.
//
// Documents marked secret are left out unless secret is true. One row per number, the earliest
// copy first registered.
func (s *Store) MemberDocuments(ctx context.Context, memberID string, day time.Time, secret bool) ([]dangvu.StudyDoc, error) {
	d := dangvu.ISO(day)
	var org string
	err := s.read.QueryRowContext(ctx, `SELECT org_id FROM roster WHERE member_id = ? AND valid_from <= ? AND valid_to > ? AND status IN ('probationary', 'full')
		ORDER BY valid_from DESC LIMIT 1`, memberID, d, d).Scan(&org)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return []dangvu.StudyDoc{}, nil
		}
		return nil, fmt.Errorf("store: member documents: %w", err)
	}
	// o: O's path on a date; a: the register's path on the same date, above or at O.
	above := func(date string) string {
		return `EXISTS (SELECT 1 FROM org_paths a JOIN org_paths o ON o.org_id = ? AND o.valid_from <= ` + date + ` AND o.valid_to > ` + date + `
			WHERE a.org_id = d.org_id AND a.valid_from <= ` + date + ` AND a.valid_to > ` + date + ` AND substr(o.path, 1, length(a.path)) = a.path)`
	}
	q := `SELECT ` + docCols + `,
		COALESCE((SELECT min(c.date) FROM conferences c JOIN conference_documents cd ON cd.conference_id = c.id JOIN documents x ON x.id = cd.document_id
			JOIN org_paths cp ON cp.org_id = c.org_id AND cp.valid_from <= c.date AND cp.valid_to > c.date
			JOIN org_paths op ON op.org_id = ? AND op.valid_from <= c.date AND op.valid_to > c.date
			WHERE x.number = d.number AND c.date <= ? AND ` + fmt.Sprintf(disRelated, "cp", "op") + `), ''),
		COALESCE((SELECT min(p.date) FROM documents p JOIN org_paths pp ON pp.org_id = p.org_id AND pp.valid_from <= p.date AND pp.valid_to > p.date
			JOIN org_paths op ON op.org_id = ? AND op.valid_from <= p.date AND op.valid_to > p.date
			WHERE p.implements_id = d.id AND p.kind IN ('CTr', 'KH') AND p.date <= ? AND substr(op.path, 1, length(pp.path)) = pp.path), '')
		FROM documents d
		WHERE d.date <= ? AND (` + above("d.date") + ` OR ` + above("?") + `)
		ORDER BY d.date, d.id`
	rows, err := s.read.QueryContext(ctx, q, org, d, org, d, d, org, org, d, d, d, d)
	if err != nil {
		return nil, fmt.Errorf("store: member documents: %w", err)
	}
	var out []dangvu.StudyDoc
	seen := map[string]int{}
	for rows.Next() {
		var sd dangvu.StudyDoc
		var conf, prog string
		var vals []any
		doc := &sd.Document
		var dir, kind, sec string
		vals = append(vals, &doc.ID, &doc.OrgID, &doc.OrgName, &dir, &doc.Number, &doc.Seq, &kind, &doc.Issuer, &doc.IssuerOrgID, &doc.Date, &doc.ReceivedOn,
			&doc.Title, &doc.File, &sec, &doc.Implements, &doc.ReportsOn, &conf, &prog)
		if err := rows.Scan(vals...); err != nil {
			rows.Close()
			return nil, err
		}
		doc.Direction, doc.Kind, doc.Secrecy = dangvu.Direction(dir), dangvu.DocKind(kind), dangvu.Secrecy(sec)
		if doc.Kind.IsProgramme() || !doc.Secrecy.Readable(secret) {
			continue
		}
		switch {
		case conf != "":
			sd.Why = "conference"
		case prog != "":
			sd.Why = "programme"
		}
		if i, ok := seen[doc.Number]; ok {
			if out[i].Why == "" {
				out[i].Why = sd.Why
			}
			continue
		}
		seen[doc.Number] = len(out)
		out = append(out, sd)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Keep the required ones and read the member's status: present at a conference studying the
	// number (its date) or made up (the make-up date), on or before day; the earliest.
	kept := out[:0]
	for _, sd := range out {
		if sd.Why == "" {
			continue
		}
		var studied string
		err := s.read.QueryRowContext(ctx, `SELECT COALESCE(min(CASE a.status WHEN 'present' THEN c.date ELSE a.made_up_on END || ' ' || c.id), '')
			FROM attendance a JOIN conferences c ON c.id = a.conference_id JOIN conference_documents cd ON cd.conference_id = c.id JOIN documents x ON x.id = cd.document_id
			WHERE a.member_id = ? AND x.number = ? AND ((a.status = 'present' AND c.date <= ?) OR (a.status = 'made_up' AND a.made_up_on <= ?))`,
			memberID, sd.Document.Number, d, d).Scan(&studied)
		if err != nil {
			return nil, fmt.Errorf("store: member documents: %w", err)
		}
		if studied != "" { // "yyyy-mm-dd conference-id"
			if sd.StudiedOn, err = dangvu.ParseDate(studied[:10]); err != nil {
				return nil, fmt.Errorf("store: member documents: %w", err)
			}
			sd.StudiedAt = studied[11:]
		}
		kept = append(kept, sd)
	}
	return kept, nil
}
