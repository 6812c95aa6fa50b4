package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/vn"
)

// The yearly supplement (phiếu bổ sung hồ sơ đảng viên, docs/member-files.md): the grassroots
// committee opens a year for its subtree (one supplement per member in the Party on the day it
// opens, held by the member's cell); the member or the cell enters the year's changes; the cell
// checks them; the committee certifies, and the certified changes update the record from that
// day (the member's undated fields, and a new dated version of the details).

// OpenSupplements opens the year's supplement for every member of org's subtree on day; members
// who have one for the year keep it. It returns how many were opened.
func (s *Store) OpenSupplements(ctx context.Context, actor, orgID string, year int, day time.Time) (int, error) {
	msg := "Không mở được đợt bổ sung hồ sơ."
	if year < 1930 || year > day.Year()+1 {
		return 0, filesInvalid(msg, fe("year", "năm %d không hợp lệ", year))
	}
	org, err := s.Org(ctx, orgID, day)
	if err != nil {
		return 0, filesInvalid(msg, fe("org_id", "không có tổ chức đảng mã %q vào ngày %s", orgID, vn.FormatDate(day)))
	}
	if org.Level.IsCell() && org.Level != dangvu.LevelGrassrootsCell {
		return 0, filesInvalid(msg, fe("org_id", "%s là chi bộ trực thuộc: cấp ủy cơ sở mở đợt bổ sung hồ sơ", org.Name))
	}
	lo, hi := subtreeRange(org.Path)
	d := dateArg(day)
	n := 0
	err = s.tx(ctx, func(tx *dbTx) error {
		rows, err := tx.QueryContext(ctx, `SELECT r.member_id, r.org_id FROM roster r WHERE r.path >= ? AND r.path < ? AND r.valid_from <= ? AND r.valid_to > ?
			AND NOT EXISTS (SELECT 1 FROM supplements x WHERE x.member_id = r.member_id AND x.year = ?) ORDER BY r.member_id`, lo, hi, d, d, year)
		if err != nil {
			return fmt.Errorf("store: supplements: %w", err)
		}
		var pairs [][2]string
		for rows.Next() {
			var m, o string
			if err := rows.Scan(&m, &o); err != nil {
				rows.Close()
				return err
			}
			pairs = append(pairs, [2]string{m, o})
		}
		rows.Close()
		for _, p := range pairs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO supplements (id, member_id, org_id, year, changes, status, entered_on, checked_on, certified_on, note)
				VALUES (?, ?, ?, ?, '', 'open', '', '', '', '')`, fmt.Sprintf("SB%d-%s", year, p[0]), p[0], p[1], year); err != nil {
				return fmt.Errorf("store: supplements: %w", err)
			}
		}
		n = len(pairs)
		return s.audit(ctx, tx, actor, "open", "supplements", fmt.Sprintf("%s/%d", orgID, year), nil, map[string]any{"org_id": orgID, "year": year, "opened": n, "on": d})
	})
	return n, err
}

// Supplement reads one supplement.
func (s *Store) Supplement(ctx context.Context, id string) (dangvu.Supplement, error) {
	out, err := s.supplementsWhere(ctx, s.read, `x.id = ?`, id)
	if err != nil {
		return dangvu.Supplement{}, err
	}
	if len(out) == 0 {
		return dangvu.Supplement{}, dangvu.Errorf(dangvu.ENotFound, "không có phiếu bổ sung mã %q", id)
	}
	return out[0], nil
}

// Supplements lists the supplements of a year whose cell lies in org's subtree (as the tree stood
// when it was opened: the cell's path on 1 January of the next year or today, whichever first).
func (s *Store) Supplements(ctx context.Context, orgID string, year int, day time.Time) ([]dangvu.Supplement, error) {
	org, err := s.Org(ctx, orgID, day)
	if err != nil {
		return nil, err
	}
	lo, hi := subtreeRange(org.Path)
	return s.supplementsWhere(ctx, s.read, `x.year = ? AND EXISTS (SELECT 1 FROM org_paths p WHERE p.org_id = x.org_id AND p.path >= ? AND p.path < ? AND p.valid_from <= ? AND p.valid_to > ?)`,
		year, lo, hi, dateArg(day), dateArg(day))
}

func (s *Store) supplementsWhere(ctx context.Context, q queryer, cond string, args ...any) ([]dangvu.Supplement, error) {
	rows, err := q.QueryContext(ctx, `SELECT x.id, x.member_id, x.org_id, x.year, x.changes, x.status, x.entered_on, x.checked_on, x.certified_on, x.note, m.full_name
		FROM supplements x JOIN members m ON m.id = x.member_id WHERE `+cond+` ORDER BY x.org_id, x.member_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: supplements: %w", err)
	}
	defer rows.Close()
	out := []dangvu.Supplement{}
	for rows.Next() {
		var x dangvu.Supplement
		var ch string
		if err := rows.Scan(&x.ID, &x.MemberID, &x.OrgID, &x.Year, &ch, &x.Status, &x.EnteredOn, &x.CheckedOn, &x.CertifiedOn, &x.Note, &x.FullName); err != nil {
			return nil, err
		}
		x.Changes, _ = decodeChanges(ch)
		out = append(out, x)
	}
	return out, rows.Err()
}

// EnterSupplement records the year's changes of a supplement, by the member or for the cell:
// cellID, when set, must be the supplement's cell (a supplement of a member outside the cell is
// refused). Only an open or entered supplement may be changed.
func (s *Store) EnterSupplement(ctx context.Context, actor, id, cellID string, changes map[string]string) (dangvu.Supplement, error) {
	msg := "Không ghi được phiếu bổ sung hồ sơ."
	clean := map[string]string{}
	for k, v := range changes {
		if !dangvu.ValidCode(dangvu.SupplementFields, k) {
			return dangvu.Supplement{}, filesInvalid(msg, fe("changes", "trường %q không có trong phiếu bổ sung", k))
		}
		if v = strings.TrimSpace(v); v != "" {
			clean[k] = v
		}
	}
	if k := "theory_level"; clean[k] != "" && !dangvu.ValidCode(dangvu.TheoryLevels, clean[k]) {
		found := false
		for _, c := range dangvu.TheoryLevels {
			if vn.Fold(c.Name) == vn.Fold(clean[k]) {
				clean[k], found = c.Code, true
			}
		}
		if !found {
			return dangvu.Supplement{}, filesInvalid(msg, fe("theory_level", "trình độ lý luận %q không có; dùng Sơ cấp, Trung cấp, Cao cấp, Cử nhân", clean[k]))
		}
	}
	var x dangvu.Supplement
	err := s.tx(ctx, func(tx *dbTx) error {
		xs, err := s.supplementsWhere(ctx, tx, `x.id = ?`, id)
		if err != nil {
			return err
		}
		if len(xs) == 0 {
			return dangvu.Errorf(dangvu.ENotFound, "không có phiếu bổ sung mã %q", id)
		}
		x = xs[0]
		if cellID != "" && cellID != x.OrgID {
			return filesInvalid(msg, fe("member_id", "%s không sinh hoạt tại chi bộ %s (phiếu thuộc chi bộ %s)", x.FullName,
				s.orgName(ctx, cellID, s.Clock.TodayDate()), s.orgName(ctx, x.OrgID, s.Clock.TodayDate())))
		}
		if x.Status != dangvu.SupplementOpen && x.Status != dangvu.SupplementEntered {
			return filesInvalid(msg, fe("status", "phiếu đã ở bước %q: không sửa", dangvu.CodeName(dangvu.SupplementStatuses, x.Status)))
		}
		before := x
		x.Changes, x.Status, x.EnteredOn = clean, dangvu.SupplementEntered, s.Clock.TodayDate()
		if _, err := tx.ExecContext(ctx, `UPDATE supplements SET changes = ?, status = ?, entered_on = ? WHERE id = ?`, encodeChanges(clean), x.Status, x.EnteredOn, id); err != nil {
			return fmt.Errorf("store: supplement: %w", err)
		}
		return s.audit(ctx, tx, actor, "enter", "supplement", id, before, x)
	})
	return x, err
}

// AdvanceSupplement moves a supplement to its next step: the cell checks an entered one, the
// committee certifies a checked one. Certifying applies the changes to the record from that day.
func (s *Store) AdvanceSupplement(ctx context.Context, actor, id, to string) (dangvu.Supplement, error) {
	msg := "Không chuyển được bước của phiếu bổ sung."
	from := map[string]string{dangvu.SupplementChecked: dangvu.SupplementEntered, dangvu.SupplementCertified: dangvu.SupplementChecked}[to]
	if from == "" {
		return dangvu.Supplement{}, filesInvalid(msg, fe("status", "bước %q không có; dùng checked hoặc certified", to))
	}
	var x dangvu.Supplement
	err := s.tx(ctx, func(tx *dbTx) error {
		xs, err := s.supplementsWhere(ctx, tx, `x.id = ?`, id)
		if err != nil {
			return err
		}
		if len(xs) == 0 {
			return dangvu.Errorf(dangvu.ENotFound, "không có phiếu bổ sung mã %q", id)
		}
		x = xs[0]
		if x.Status != from {
			return filesInvalid(msg, fe("status", "phiếu đang ở bước %q; bước %q cần bước %q trước", dangvu.CodeName(dangvu.SupplementStatuses, x.Status),
				dangvu.CodeName(dangvu.SupplementStatuses, to), dangvu.CodeName(dangvu.SupplementStatuses, from)))
		}
		before := x
		today := s.today()
		x.Status = to
		col := "checked_on"
		if to == dangvu.SupplementCertified {
			col, x.CertifiedOn = "certified_on", s.Clock.TodayDate()
			if err := s.applySupplement(ctx, tx, actor, x, today); err != nil {
				return err
			}
		} else {
			x.CheckedOn = s.Clock.TodayDate()
		}
		if _, err := tx.ExecContext(ctx, `UPDATE supplements SET status = ?, `+col+` = ? WHERE id = ?`, to, today, id); err != nil {
			return fmt.Errorf("store: supplement: %w", err)
		}
		return s.audit(ctx, tx, actor, to, "supplement", id, before, x)
	})
	return x, err
}

// applySupplement writes a certified supplement's changes to the member's record: the undated
// fields of the member, and a new version of the details from day (copying the version before).
func (s *Store) applySupplement(ctx context.Context, tx *dbTx, actor string, x dangvu.Supplement, day string) error {
	set, args := []string{}, []any{}
	for _, f := range []string{"occupation", "position", "education", "qualification", "theory_level", "residence"} {
		if v, ok := x.Changes[f]; ok {
			set = append(set, f+" = ?")
			args = append(args, v)
		}
	}
	if len(set) > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE members SET `+strings.Join(set, ", ")+` WHERE id = ?`, append(args, x.MemberID)...); err != nil {
			return fmt.Errorf("store: supplement: %w", err)
		}
	}
	lang, awards := x.Changes["foreign_languages"], x.Changes["awards"]
	if lang == "" && awards == "" {
		return nil
	}
	var d dangvu.MemberDetails
	err := tx.QueryRowContext(ctx, `SELECT birth_name, birth_place, foreign_languages, awards, photo FROM member_details WHERE member_id = ? AND valid_from <= ? ORDER BY valid_from DESC LIMIT 1`,
		x.MemberID, day).Scan(&d.BirthName, &d.BirthPlace, &d.ForeignLanguages, &d.Awards, &d.Photo)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: supplement: %w", err)
	}
	if lang != "" {
		d.ForeignLanguages = lang
	}
	if awards != "" {
		if d.Awards != "" {
			d.Awards += "; "
		}
		d.Awards += awards
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM member_details WHERE member_id = ? AND valid_from = ?`, x.MemberID, day); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO member_details (member_id, valid_from, birth_name, birth_place, foreign_languages, awards, photo, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		x.MemberID, day, d.BirthName, d.BirthPlace, d.ForeignLanguages, d.Awards, d.Photo, "Phiếu bổ sung "+x.ID)
	if err != nil {
		return fmt.Errorf("store: supplement: %w", err)
	}
	return nil
}

// MemberDetailsOn is the version of a member's details in force on day (zero when none).
func (s *Store) MemberDetailsOn(ctx context.Context, memberID string, day time.Time) (dangvu.MemberDetails, error) {
	d := dangvu.MemberDetails{MemberID: memberID}
	err := s.read.QueryRowContext(ctx, `SELECT valid_from, birth_name, birth_place, foreign_languages, awards, photo, note FROM member_details
		WHERE member_id = ? AND valid_from <= ? ORDER BY valid_from DESC LIMIT 1`, memberID, dateArg(day)).Scan(&d.ValidFrom, &d.BirthName, &d.BirthPlace, &d.ForeignLanguages, &d.Awards, &d.Photo, &d.Note)
	if errors.Is(err, sql.ErrNoRows) {
		return d, nil
	}
	return d, err
}

// FamilyOf lists a member's family as the forms list them.
func (s *Store) FamilyOf(ctx context.Context, memberID string) ([]dangvu.FamilyMember, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, relation, full_name, birth_year, residence, occupation, note FROM family_members WHERE member_id = ? ORDER BY id`, memberID)
	if err != nil {
		return nil, fmt.Errorf("store: family: %w", err)
	}
	defer rows.Close()
	out := []dangvu.FamilyMember{}
	for rows.Next() {
		f := dangvu.FamilyMember{MemberID: memberID}
		if err := rows.Scan(&f.ID, &f.Relation, &f.FullName, &f.BirthYear, &f.Residence, &f.Occupation, &f.Note); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
