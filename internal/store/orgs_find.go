package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/vn"
)

// FindOrg resolves what a person types in an organisation field: a code, a full name, or any
// part of a name without diacritics ("uong bi", "Phương Đông"). A code or a full name is
// resolved as ResolveOrg does, anywhere in the tree. A part of a name is looked for within the
// subtree whose path is within ("" or "/" for the whole tree, else the user's own), so that a
// user is offered their organisations rather than namesakes elsewhere; of several matches the
// highest in the tree wins, then the one whose name ends with the words typed ("Uông Bí" is the
// city or ward committee, not a company named after it). Matches that stay tied are refused
// with their names, so that the person can type more.
func (s *Store) FindOrg(ctx context.Context, ref string, asOf time.Time, within string) (dangvu.Org, error) {
	o, err := s.ResolveOrg(ctx, ref, asOf)
	if dangvu.ErrorCode(err) != dangvu.ENotFound {
		return o, err
	}
	part := strings.NewReplacer("%", "", "_", "").Replace(vn.Fold(strings.TrimSpace(ref)))
	if len([]rune(part)) < 2 {
		return o, err
	}
	// The code of an organisation not in force that day is not a part of some other name.
	var n int
	if qerr := s.read.QueryRowContext(ctx, `SELECT count(*) FROM org_versions WHERE org_id = ?`, strings.TrimSpace(ref)).Scan(&n); qerr != nil {
		return o, fmt.Errorf("store: org: %w", qerr)
	}
	if n > 0 {
		return o, err
	}
	d := dateArg(asOf)
	q := `SELECT ` + orgCols + ` ` + orgAsOf + ` AND v.name_fold LIKE ?`
	args := append(asOfArgs(d), "%"+part+"%")
	if within != "" && within != "/" {
		lo, hi := subtreeRange(within)
		q += ` AND p.path >= ? AND p.path < ?`
		args = append(args, lo, hi)
	}
	found, qerr := scanAll(ctx, s.read, q+` ORDER BY p.depth, v.org_id LIMIT 200`, args, scanOrg)
	if qerr != nil {
		return dangvu.Org{}, fmt.Errorf("store: org: %w", qerr)
	}
	if len(found) == 0 {
		return dangvu.Org{}, err // ResolveOrg's "không có tổ chức đảng …"
	}
	// The highest in the tree, then names ending with what was typed.
	top := found[0].Depth
	var best []dangvu.Org
	for _, o := range found {
		if o.Depth == top {
			best = append(best, o)
		}
	}
	if len(best) > 1 {
		var ending []dangvu.Org
		for _, o := range best {
			if strings.HasSuffix(vn.Fold(o.Name), " "+part) {
				ending = append(ending, o)
			}
		}
		if len(ending) > 0 {
			best = ending
		}
	}
	if len(best) == 1 {
		return best[0], nil
	}
	sort.Slice(best, func(i, j int) bool { return best[i].Name < best[j].Name })
	names := make([]string, 0, 6)
	for _, o := range best[:min(len(best), 6)] {
		names = append(names, o.Name+" ("+o.ID+")")
	}
	more := ""
	if len(best) > 6 {
		more = fmt.Sprintf(" và %d tổ chức khác", len(best)-6)
	}
	return dangvu.Org{}, &dangvu.Error{Code: dangvu.EInvalid, Message: "Chưa xác định được tổ chức.",
		Fields: []dangvu.FieldError{{Field: "org", Reason: fmt.Sprintf("%q khớp với nhiều tổ chức: %s%s; hãy gõ đầy đủ hơn hoặc dùng mã", strings.TrimSpace(ref), strings.Join(names, "; "), more)}}}
}
