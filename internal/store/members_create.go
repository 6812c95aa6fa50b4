package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"dangvu"
	"dangvu/internal/vn"
)

// CreateMember adds a member who is not in the system yet — one arriving from another province,
// or a record keyed in from paper — with a new id (the next "M" number): the record, the
// statuses from the admission and full-membership dates, the official membership of the cell
// from arrival.On, a transfer-in movement when they come from elsewhere, the roster; one
// transaction, audited.
func (s *Store) CreateMember(ctx context.Context, actor string, m dangvu.Member, a dangvu.Arrival) (dangvu.Member, error) {
	m.FullName = vn.NFC(strings.Join(strings.Fields(m.FullName), " "))
	a.OrgID, a.From, a.Document = strings.TrimSpace(a.OrgID), strings.TrimSpace(a.From), strings.TrimSpace(a.Document)
	var errs []dangvu.FieldError
	if err := ValidateMember(m); err != nil {
		var e *dangvu.Error
		if !errors.As(err, &e) {
			return m, err
		}
		errs = append(errs, e.Fields...)
	}
	if m.AdmittedOn.IsZero() {
		errs = append(errs, dangvu.FieldError{Field: "admitted_on", Reason: "bắt buộc: ngày vào Đảng"})
	}
	on := a.On.Time
	switch {
	case a.On.IsZero():
		errs = append(errs, dangvu.FieldError{Field: "on", Reason: "bắt buộc: ngày bắt đầu sinh hoạt ở chi bộ"})
	case !m.AdmittedOn.IsZero() && a.On.Before(m.AdmittedOn):
		errs = append(errs, dangvu.FieldError{Field: "on", Reason: "trước ngày vào Đảng"})
	}
	if a.OrgID == "" {
		errs = append(errs, dangvu.FieldError{Field: "org_id", Reason: "bắt buộc: chi bộ sinh hoạt"})
	} else if !a.On.IsZero() {
		if o, oerr := s.Org(ctx, a.OrgID, on); oerr != nil {
			errs = append(errs, dangvu.FieldError{Field: "org_id", Reason: fmt.Sprintf("không có tổ chức đảng mã %q vào ngày %s", a.OrgID, vn.FormatDate(on))})
		} else if !o.Level.IsCell() {
			errs = append(errs, dangvu.FieldError{Field: "org_id", Reason: o.Name + " không phải chi bộ"})
		}
	}
	if len(errs) > 0 {
		return m, &dangvu.Error{Code: dangvu.EInvalid, Message: "Chưa thêm được đảng viên.", Fields: errs}
	}
	var out dangvu.Member
	err := s.tx(ctx, func(tx *dbTx) error {
		id, err := s.nextMemberID(ctx, tx)
		if err != nil {
			return err
		}
		m.ID = id
		if _, err := tx.ExecContext(ctx, `INSERT INTO members (id, full_name, name_fold, name_key, other_names, gender, birth_date,
			ethnicity, religion, hometown, residence, id_number, phone, education, qualification, theory_level, occupation, position,
			admitted_on, full_on, card_number, card_date, note) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			m.ID, m.FullName, vn.Fold(m.FullName), vn.NameKey(m.FullName), m.OtherNames, m.Gender, m.BirthDate, m.Ethnicity, m.Religion,
			m.Hometown, m.Residence, m.IDNumber, m.Phone, m.Education, m.Qualification, m.TheoryLevel, m.Occupation, m.Position,
			m.AdmittedOn, m.FullOn, m.CardNumber, m.CardDate, m.Note); err != nil {
			return fmt.Errorf("store: create member: %w", err)
		}
		if err := s.rebuildNameTails(ctx, tx, m.ID); err != nil {
			return err
		}
		if err := s.addStatus(ctx, tx, m.ID, m.AdmittedOn, dangvu.StatusProbationary, "", "Kết nạp vào Đảng"); err != nil {
			return err
		}
		if !m.FullOn.IsZero() {
			if err := s.addStatus(ctx, tx, m.ID, m.FullOn, dangvu.StatusFull, "", "Công nhận đảng viên chính thức"); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (member_id, org_id, valid_from, valid_to, kind, document) VALUES (?,?,?,?,?,?)`,
			m.ID, a.OrgID, a.On, dangvu.Forever, string(dangvu.MembershipOfficial), a.Document); err != nil {
			return fmt.Errorf("store: create member: %w", err)
		}
		if a.From != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO movements (id, member_id, kind, date, from_org_id, to_org_id, external, document, note) VALUES (?,?,?,?,?,?,?,?,?)`,
				"MV-"+m.ID+"-"+a.On.String(), m.ID, string(dangvu.MoveTransferIn), a.On, "", a.OrgID, a.From, a.Document, ""); err != nil {
				return fmt.Errorf("store: create member: %w", err)
			}
		}
		if err := s.rebuildRoster(ctx, tx, "", m.ID); err != nil {
			return err
		}
		if out, err = s.member(ctx, tx, m.ID, on); err != nil {
			return err
		}
		after := map[string]string{}
		for k, v := range memberFields(out) {
			if v != "" {
				after[k] = v
			}
		}
		for _, f := range SensitiveFields {
			if _, ok := after[f]; ok {
				after[f] = MaskSensitive(f, after[f])
			}
		}
		after["org_id"], after["on"], after["from"] = a.OrgID, a.On.String(), a.From
		return s.audit(ctx, tx, actor, "create", "member", m.ID, nil, after)
	})
	return out, err
}

// nextMemberID is the next member id of the "M" + digits series (M010136 after M010135),
// keeping the series' width.
func (s *Store) nextMemberID(ctx context.Context, q queryer) (string, error) {
	rows, err := q.QueryContext(ctx, `SELECT id FROM members WHERE id LIKE 'M%' ORDER BY length(id) DESC, id DESC LIMIT 50`)
	if err != nil {
		return "", fmt.Errorf("store: member id: %w", err)
	}
	defer rows.Close()
	best, width := int64(0), 6
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return "", err
		}
		if n, err := strconv.ParseInt(id[1:], 10, 64); err == nil && n > best {
			best, width = n, len(id)-1
		}
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	return fmt.Sprintf("M%0*d", width, best+1), nil
}
