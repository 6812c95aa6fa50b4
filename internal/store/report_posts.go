package store

import (
	"context"
	"fmt"

	"dangvu"
)

func init() { reportSections = append(reportSections, concurrentPostsSection) }

// concurrentPostsSection counts the concurrent posts the article reports, as of the report's
// as-of date: residential cells whose secretary is also the head of the village or area they
// serve (Directive 12-CT/TU of Quảng Ninh), and units whose head is the secretary of the party
// organisation serving them.
func concurrentPostsSection(ctx context.Context, s *Store, rc *reportCtx, r *dangvu.Report) error {
	lo, hi := subtreeRange(rc.org.Path)
	d := rc.asOf
	// A post held on d by the same member in both roles; empty member ids (non-members) never match.
	const samePerson = `EXISTS (SELECT 1 FROM posts sec JOIN posts head ON head.member_id = sec.member_id
		WHERE sec.role = 'secretary' AND sec.org_id = %s AND sec.member_id <> '' AND sec.valid_from <= ? AND sec.valid_to > ?
		AND head.role = 'head' AND head.%s = %s AND head.valid_from <= ? AND head.valid_to > ?)`
	var cells, cellsSame int
	err := s.read.QueryRowContext(ctx, s.rebind(`SELECT count(DISTINCT l.cell_id),
		count(DISTINCT CASE WHEN `+fmt.Sprintf(samePerson, "l.cell_id", "locality_id", "l.id")+` THEN l.cell_id END)
		FROM localities l JOIN org_paths p ON p.org_id = l.cell_id AND p.valid_from <= ? AND p.valid_to > ?
		WHERE l.valid_from <= ? AND l.valid_to > ? AND p.path >= ? AND p.path < ?`),
		d, d, d, d, d, d, d, d, lo, hi).Scan(&cells, &cellsSame)
	if err != nil {
		return fmt.Errorf("store: report: residential cells: %w", err)
	}
	var units, unitsSame int
	err = s.read.QueryRowContext(ctx, s.rebind(`SELECT count(*),
		count(CASE WHEN `+fmt.Sprintf(samePerson, "u.org_id", "unit_id", "u.id")+` THEN 1 END)
		FROM units u JOIN org_paths p ON p.org_id = u.org_id AND p.valid_from <= ? AND p.valid_to > ?
		WHERE u.valid_from <= ? AND u.valid_to > ? AND p.path >= ? AND p.path < ?`),
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
