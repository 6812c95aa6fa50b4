package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"dangvu"
	"dangvu/internal/rules/records"
	"dangvu/internal/vn"
)

// The yearly check of the roll against the files (01-HD/TW 2026; research next-rules.md §5):
// for the members of a subtree on a day, which catalogue documents each file holds (added by
// then), the required types missing, the types held more than once, the files without any
// document; per cell, the share complete and, per priority band of CV 1361, the documents held
// and how many of them are scanned (digitised).

// FileRollMember is one member's file in the roll check.
type FileRollMember struct {
	MemberID   string
	FullName   string
	OrgID      string
	Documents  int
	Missing    []int // required types the file lacks
	Duplicates []int // types held more than once
	Scanned    int
}

// FileRollCell is a cell's line of the roll check.
type FileRollCell struct {
	OrgID    string
	OrgName  string
	Members  int
	NoFile   int // members whose file holds no document
	Complete int // members whose file holds every required type
	WithDup  int // members whose file holds a type more than once
	// Docs and Scanned count, per priority band (1–3), the documents held and those scanned.
	Docs    [4]int
	Scanned [4]int
}

// FileRoll is the roll check of a subtree on a day: the cells (by name) and, for each member,
// their file (by cell, then name).
// It stays in the store, as ReviewView does: it holds records.DocType, and internal/rules/records
// imports the root package.
type FileRoll struct {
	Catalogue string
	Required  []records.DocType // for a full member (a probationary member needs fewer)
	Cells     []FileRollCell
	Members   []FileRollMember
	Total     FileRollCell
}

// FileRoll checks the files of orgID's subtree on day.
func (s *Store) FileRoll(ctx context.Context, orgID string, day time.Time) (FileRoll, error) {
	org, err := s.Org(ctx, orgID, day)
	if err != nil {
		return FileRoll{}, err
	}
	cat := records.For(day)
	out := FileRoll{Catalogue: cat.Name, Required: cat.RequiredFor(true), Total: FileRollCell{OrgID: org.ID, OrgName: org.Name}}
	lo, hi := subtreeRange(org.Path)
	d := dateArg(day)
	rows, err := s.read.QueryContext(ctx, `SELECT r.member_id, m.full_name, r.org_id, r.status, f.type_no, f.attachment FROM roster r
		JOIN members m ON m.id = r.member_id
		LEFT JOIN file_documents f ON f.member_id = r.member_id AND f.added_on <= ?
		WHERE r.path >= ? AND r.path < ? AND r.valid_from <= ? AND r.valid_to > ? ORDER BY r.org_id, m.full_name, r.member_id`, d, lo, hi, d, d)
	if err != nil {
		return out, fmt.Errorf("store: file roll: %w", err)
	}
	type acc struct {
		m      FileRollMember
		full   bool
		count  map[int]int
		scanBy [4]int
		docsBy [4]int
	}
	var order []*acc
	byID := map[string]*acc{}
	for rows.Next() {
		var id, name, cell, status string
		var no *int
		var att *string
		if err := rows.Scan(&id, &name, &cell, &status, &no, &att); err != nil {
			rows.Close()
			return out, err
		}
		a := byID[id]
		if a == nil {
			a = &acc{m: FileRollMember{MemberID: id, FullName: name, OrgID: cell}, full: dangvu.Status(status) != dangvu.StatusProbationary, count: map[int]int{}}
			byID[id] = a
			order = append(order, a)
		}
		if no == nil {
			continue
		}
		a.count[*no]++
		a.m.Documents++
		band := 0
		if t, err := cat.Type(*no); err == nil {
			band = t.Band
		}
		a.docsBy[band]++
		if att != nil && *att != "" {
			a.m.Scanned++
			a.scanBy[band]++
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, err
	}
	cells := map[string]*FileRollCell{}
	var cellOrder []string
	for _, a := range order {
		for _, t := range cat.RequiredFor(a.full) {
			if a.count[t.No] == 0 {
				a.m.Missing = append(a.m.Missing, t.No)
			}
		}
		for _, t := range cat.Types {
			if a.count[t.No] > 1 {
				a.m.Duplicates = append(a.m.Duplicates, t.No)
			}
		}
		c := cells[a.m.OrgID]
		if c == nil {
			c = &FileRollCell{OrgID: a.m.OrgID, OrgName: s.orgName(ctx, a.m.OrgID, isoDate(d))}
			cells[a.m.OrgID] = c
			cellOrder = append(cellOrder, a.m.OrgID)
		}
		for _, x := range []*FileRollCell{c, &out.Total} {
			x.Members++
			if a.m.Documents == 0 {
				x.NoFile++
			}
			if len(a.m.Missing) == 0 {
				x.Complete++
			}
			if len(a.m.Duplicates) > 0 {
				x.WithDup++
			}
			for b := range 4 {
				x.Docs[b] += a.docsBy[b]
				x.Scanned[b] += a.scanBy[b]
			}
		}
		out.Members = append(out.Members, a.m)
	}
	for _, id := range cellOrder {
		out.Cells = append(out.Cells, *cells[id])
	}
	slices.SortStableFunc(out.Cells, func(a, b FileRollCell) int { return vn.CompareNames(a.OrgName, b.OrgName) })
	return out, nil
}

// CardByID reads one card.
func (s *Store) CardByID(ctx context.Context, id string) (dangvu.Card, error) {
	cs, err := s.cardsWhere(ctx, "", time.Time{}, `c.id = ?`, []any{id})
	if err != nil {
		return dangvu.Card{}, err
	}
	if len(cs) == 0 {
		return dangvu.Card{}, dangvu.Errorf(dangvu.ENotFound, "không có thẻ đảng viên mã %q", id)
	}
	return cs[0], nil
}

// MemberSupplements lists a member's supplements, the latest year first.
func (s *Store) MemberSupplements(ctx context.Context, memberID string) ([]dangvu.Supplement, error) {
	xs, err := s.supplementsWhere(ctx, s.read, `x.member_id = ?`, memberID)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(xs, func(a, b dangvu.Supplement) int { return b.Year - a.Year })
	return xs, nil
}
