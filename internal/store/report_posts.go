package store

import (
	"context"
	"fmt"

	"dangvu"
)

// concurrentPostsSection counts the concurrent posts the article reports, as of the report's
// as-of date: residential cells whose secretary is also the head of the village or area they
// serve (Directive 12-CT/TU of Quảng Ninh), and units whose head is the secretary of the party
// organisation serving them.
func concurrentPostsSection(ctx context.Context, s *Store, rc *reportCtx, r *dangvu.Report) error {
	lo, hi := subtreeRange(rc.org.Path)
	d := rc.asOf
	// Joins rather than a correlated EXISTS per row: at national scale (141k localities) the
	// planner then hashes the posts once instead of scanning them per locality.
	// %[1]s: the table; %[2]s: its serving organisation; %[3]s: the head's column; %[4]s: what is
	// counted (cells, not localities: a cell serving two areas counts once).
	const q = `SELECT count(DISTINCT x.%[4]s), count(DISTINCT CASE WHEN sec.member_id IS NOT NULL THEN x.%[4]s END)
		FROM %[1]s x JOIN org_paths p ON p.org_id = x.%[2]s AND p.valid_from <= ? AND p.valid_to > ?
		LEFT JOIN posts head ON head.role = 'head' AND head.%[3]s = x.id AND head.member_id <> '' AND head.valid_from <= ? AND head.valid_to > ?
		LEFT JOIN posts sec ON sec.role = 'secretary' AND sec.org_id = x.%[2]s AND sec.member_id = head.member_id AND sec.valid_from <= ? AND sec.valid_to > ?
		WHERE x.valid_from <= ? AND x.valid_to > ? AND p.path >= ? AND p.path < ?`
	var cells, cellsSame int
	err := s.read.QueryRowContext(ctx, fmt.Sprintf(q, "localities", "cell_id", "locality_id", "cell_id"),
		d, d, d, d, d, d, d, d, lo, hi).Scan(&cells, &cellsSame)
	if err != nil {
		return fmt.Errorf("store: report: residential cells: %w", err)
	}
	var units, unitsSame int
	err = s.read.QueryRowContext(ctx, fmt.Sprintf(q, "units", "org_id", "unit_id", "id"),
		d, d, d, d, d, d, d, d, lo, hi).Scan(&units, &unitsSame)
	if err != nil {
		return fmt.Errorf("store: report: units: %w", err)
	}
	r.Set("residential_cells", "Chi bộ thôn, khu dân cư", cells)
	r.Set("secretary_is_village_head", "Bí thư chi bộ kiêm trưởng thôn, khu", cellsSame)
	r.Set("agency_units", "Cơ quan, đơn vị có tổ chức đảng", units)
	r.Set("head_is_secretary", "Thủ trưởng cơ quan, đơn vị là bí thư cấp ủy", unitsSame)
	return nil
}
