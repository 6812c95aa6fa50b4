package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"dangvu"
	"dangvu/internal/rulebook"
	"dangvu/internal/rules/admission"
	"dangvu/internal/vn"
)

// RecordLifeAct records a membership life-cycle act and changes the member's history as of its
// date, in one transaction, audited; the member's roster is rebuilt. The status history is only
// extended: an act dated before the member's last status change is refused.
//
//   - transfer_out: to a place outside the system (External): status transferred_out and the
//     membership ends; to an organisation in the system (OrgID): a movement only, until the
//     receiving cell records the transfer_in (the letter's presentation).
//   - transfer_in: the member's official membership moves to OrgID; a member who had transferred
//     out of the system is back in the party with their former standing.
//   - temporary_out / temporary_in: a movement; temporary_in adds a temporary membership in OrgID
//     until Until (the host does not count the member).
//   - exempt, removed, deceased: the status; removal and death end the membership.
//   - card: the card number and date on the member's record (full members only).
func (s *Store) RecordLifeAct(ctx context.Context, actor string, a dangvu.LifeAct) (dangvu.LifeAct, error) {
	msg := "Không ghi được " + strings.ToLower(codeName(dangvu.LifeActKinds, a.Kind)) + "."
	var errs []dangvu.FieldError
	bad := func(field, format string, args ...any) {
		errs = append(errs, dangvu.FieldError{Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	if !dangvu.ValidCode(dangvu.LifeActKinds, a.Kind) {
		return a, invalid("Loại việc không hợp lệ.", dangvu.FieldError{Field: "kind", Reason: fmt.Sprintf("%q không có", a.Kind)})
	}
	on, err := dangvu.RequireDate(a.Date)
	if err != nil {
		return a, invalid(msg, dangvu.FieldError{Field: "date", Reason: "cần ngày (dd/mm/yyyy)"})
	}
	if on.After(s.Clock.Today()) {
		return a, invalid(msg, dangvu.FieldError{Field: "date", Reason: "ngày " + vn.FormatDate(on) + " ở tương lai"})
	}
	if a.ID == "" {
		a.ID = fmt.Sprintf("%s-%s-%s", a.MemberID, strings.ReplaceAll(a.Date.String(), "-", ""), a.Kind)
	}
	if !idPattern.MatchString(a.ID) {
		bad("id", "mã %q không hợp lệ", a.ID)
	}
	set := admission.For(on)
	var v []rulebook.Problem
	err = s.tx(ctx, func(tx *dbTx) error {
		m, err := s.member(ctx, tx, a.MemberID, on)
		if err != nil {
			return err
		}
		needOrg := func() {
			if a.OrgID == "" {
				bad("org_id", "cần tổ chức đảng nơi đến")
				return
			}
			if o, err := s.Org(ctx, a.OrgID, on); err != nil {
				bad("org_id", "không có tổ chức đảng mã %q vào ngày %s", a.OrgID, vn.FormatDate(on))
			} else if !o.Level.IsCell() {
				bad("org_id", "%s không phải chi bộ", o.Name)
			}
		}
		inParty := func() {
			if !m.Status.InParty() {
				bad("member_id", "%s không còn là đảng viên vào ngày %s", m.FullName, vn.FormatDate(on))
			}
		}
		movement := func(kind dangvu.MovementKind, from, to string) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO movements (id, member_id, kind, date, from_org_id, to_org_id, external, document, note) VALUES (?,?,?,?,?,?,?,?,?)`,
				"LA-"+a.ID, a.MemberID, string(kind), a.Date, from, to, a.External, a.Document, a.Reason)
			return err
		}
		var apply func() error
		switch a.Kind {
		case dangvu.ActTransferOut:
			inParty()
			if a.OrgID == "" && a.External == "" {
				bad("org_id", "cần nơi chuyển đến: tổ chức trong hệ thống hoặc nơi ngoài hệ thống (external)")
			}
			if !a.Effect.IsZero() {
				v = append(v, set.Within(s.calendar(), "date", admission.RuleTransfer, a.Effect.Time, on, set.TransferDays, "Giấy giới thiệu chuyển sinh hoạt")...)
			}
			apply = func() error {
				if err := movement(dangvu.MoveTransferOut, m.OrgID, a.OrgID); err != nil {
					return err
				}
				if a.OrgID != "" {
					return nil
				}
				if err := s.addStatus(ctx, tx, a.MemberID, a.Date, dangvu.StatusTransferredOut, a.Document, "Chuyển sinh hoạt đảng đi: "+a.External); err != nil {
					return err
				}
				return s.endMembership(ctx, tx, a.MemberID, a.Date)
			}
		case dangvu.ActTransferIn:
			needOrg()
			// The letter must be presented within 30 working days of the transfer out.
			var out string
			err := tx.QueryRowContext(ctx, `SELECT date FROM life_acts WHERE member_id = ? AND kind = 'transfer_out' AND date <= ? ORDER BY date DESC LIMIT 1`, a.MemberID, a.Date).Scan(&out)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if out != "" {
				t, _ := dangvu.ParseISODate(out)
				v = append(v, set.Within(s.calendar(), "date", admission.RuleTransfer, t, on, set.PresentDays, "Xuất trình giấy giới thiệu")...)
			}
			if !m.Status.InParty() && m.Status != dangvu.StatusTransferredOut {
				bad("member_id", "%s không phải đảng viên (trạng thái %s)", m.FullName, codeName(dangvu.Statuses, m.Status))
			}
			apply = func() error {
				if m.OrgID == a.OrgID && m.Status.InParty() {
					return invalid(msg, dangvu.FieldError{Field: "org_id", Reason: "đảng viên đã sinh hoạt ở tổ chức này"})
				}
				if err := movement(dangvu.MoveTransferIn, m.OrgID, a.OrgID); err != nil {
					return err
				}
				if m.Status == dangvu.StatusTransferredOut {
					back := dangvu.StatusProbationary
					if full, _ := s.member(ctx, tx, a.MemberID, on); !full.FullOn.IsZero() && !full.FullOn.After(a.Date) {
						back = dangvu.StatusFull
					}
					if err := s.addStatus(ctx, tx, a.MemberID, a.Date, back, a.Document, "Tiếp nhận sinh hoạt đảng"); err != nil {
						return err
					}
				}
				if err := s.endMembership(ctx, tx, a.MemberID, a.Date); err != nil {
					return err
				}
				_, err := tx.ExecContext(ctx, `INSERT INTO memberships (member_id, org_id, valid_from, valid_to, kind, document) VALUES (?,?,?,?,?,?)`,
					a.MemberID, a.OrgID, a.Date, dangvu.Forever, string(dangvu.MembershipOfficial), a.Document)
				return err
			}
		case dangvu.ActTemporaryOut, dangvu.ActTemporaryIn:
			inParty()
			until, err := dangvu.RequireDate(a.Until)
			if err != nil {
				bad("until", "cần ngày kết thúc sinh hoạt tạm thời")
			} else {
				v = append(v, set.Temporary(on, until, false)...)
			}
			if a.Kind == dangvu.ActTemporaryIn {
				needOrg()
			}
			apply = func() error {
				if a.Kind == dangvu.ActTemporaryOut {
					return movement(dangvu.MoveTemporaryOut, m.OrgID, a.OrgID)
				}
				if err := movement(dangvu.MoveTemporaryIn, "", a.OrgID); err != nil {
					return err
				}
				_, err := tx.ExecContext(ctx, `INSERT INTO memberships (member_id, org_id, valid_from, valid_to, kind, document) VALUES (?,?,?,?,?,?)`,
					a.MemberID, a.OrgID, a.Date, a.Until, string(dangvu.MembershipTemporary), a.Document)
				return err
			}
		case dangvu.ActExempt:
			inParty()
			if m.Status == dangvu.StatusExempt {
				bad("member_id", "%s đã được miễn công tác và sinh hoạt đảng", m.FullName)
			}
			if strings.TrimSpace(a.Reason) == "" {
				bad("reason", "cần lý do (tuổi cao, sức khỏe yếu...)")
			}
			apply = func() error {
				return s.addStatus(ctx, tx, a.MemberID, a.Date, dangvu.StatusExempt, a.Document, a.Reason)
			}
		case dangvu.ActRemove, dangvu.ActDeath:
			inParty()
			st, why := dangvu.StatusRemoved, a.Reason
			if a.Kind == dangvu.ActDeath {
				st, why = dangvu.StatusDeceased, "Từ trần"
			} else if strings.TrimSpace(a.Reason) == "" {
				bad("reason", "cần lý do xóa tên")
			}
			apply = func() error {
				if err := s.addStatus(ctx, tx, a.MemberID, a.Date, st, a.Document, why); err != nil {
					return err
				}
				return s.endMembership(ctx, tx, a.MemberID, a.Date)
			}
		case dangvu.ActCard:
			if m.Status != dangvu.StatusFull {
				v = append(v, set.Problem("member_id", admission.RuleCard, m.FullName+" không phải đảng viên chính thức vào ngày "+vn.FormatDate(on)))
			}
			if strings.TrimSpace(a.Card) == "" {
				bad("card_number", "cần số thẻ đảng viên")
			}
			apply = func() error {
				_, err := tx.ExecContext(ctx, `UPDATE members SET card_number = ?, card_date = ? WHERE id = ?`, a.Card, a.Date, a.MemberID)
				return err
			}
		}
		if len(errs) > 0 {
			return invalid(msg, errs...)
		}
		a.Override = strings.TrimSpace(a.Override)
		if len(v) > 0 && a.Override == "" {
			return violations(msg+" Nếu có văn bản cho phép, ghi lý do vượt quy định (override).", v)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM life_acts WHERE id = ?`, a.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return dangvu.Errorf(dangvu.EConflict, "đã có việc mã %s", a.ID)
		}
		if err := apply(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO life_acts (id, member_id, kind, date, org_id, external, until, effective, document, card_number, reason, override)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`, a.ID, a.MemberID, string(a.Kind), a.Date, a.OrgID, a.External, a.Until, a.Effect, a.Document, a.Card, a.Reason, a.Override); err != nil {
			return fmt.Errorf("store: life act: %w", err)
		}
		if err := s.rebuildRoster(ctx, tx, "", a.MemberID); err != nil {
			return err
		}
		action := "record"
		if a.Override != "" {
			action = "record_override"
		}
		return s.audit(ctx, tx, actor, action, "life_act", a.ID, nil, a)
	})
	return a, err
}

// LifeActs lists a member's acts, oldest first.
func (s *Store) LifeActs(ctx context.Context, member string) ([]dangvu.LifeAct, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, member_id, kind, date, org_id, external, until, effective, document, card_number, reason, override
		FROM life_acts WHERE member_id = ? ORDER BY date, id`, member)
	if err != nil {
		return nil, fmt.Errorf("store: life acts: %w", err)
	}
	defer rows.Close()
	out := []dangvu.LifeAct{}
	for rows.Next() {
		var a dangvu.LifeAct
		var kind string
		if err := rows.Scan(&a.ID, &a.MemberID, &kind, &a.Date, &a.OrgID, &a.External, &a.Until, &a.Effect, &a.Document, &a.Card, &a.Reason, &a.Override); err != nil {
			return nil, err
		}
		a.Kind = dangvu.LifeActKind(kind)
		out = append(out, a)
	}
	return out, rows.Err()
}

func codeName[T ~string](list []dangvu.Code[T], c T) string {
	for _, x := range list {
		if x.Code == c {
			return x.Name
		}
	}
	return string(c)
}
