package store

import (
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/rules/dues"
	"dangvu/internal/vn"
)

// The writes of the dues domain: every refusal names the row (for lists), the field and the
// rule, and nothing is written when any line is refused.

func duesInvalid(msg string, fields ...dangvu.FieldError) error {
	return &dangvu.Error{Code: dangvu.EInvalid, Message: msg, Fields: fields}
}

// duesCellOf returns the organisation a member officially belonged to on day (from the roster),
// "" when none.
func (s *Store) duesCellOf(ctx context.Context, q queryer, member, day string) (string, error) {
	var org string
	err := q.QueryRowContext(ctx, `SELECT org_id FROM roster WHERE member_id = ? AND valid_from <= ? AND valid_to > ? ORDER BY valid_from DESC LIMIT 1`, member, day, day).Scan(&org)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: dues: %w", err)
	}
	return org, nil
}

// duesInCell reports whether the member belonged to cell on some day of month m.
func (s *Store) duesInCell(ctx context.Context, q queryer, member, cell string, m dangvu.Month) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM roster WHERE member_id = ? AND org_id = ? AND valid_from < ? AND valid_to > ?`,
		member, cell, dangvu.ISO(m.Last().AddDate(0, 0, 1)), dangvu.ISO(m.First())).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: dues: %w", err)
	}
	return n > 0, nil
}

func (s *Store) duesMemberName(ctx context.Context, q queryer, id string) (string, bool, error) {
	var n string
	err := q.QueryRowContext(ctx, `SELECT full_name FROM members WHERE id = ?`, id).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("store: dues: %w", err)
	}
	return n, true, nil
}

// AddDuesBasis records a member's dues basis from a date.
func (s *Store) AddDuesBasis(ctx context.Context, actor string, b dangvu.DuesBasis) (dangvu.DuesBasis, error) {
	var errs []dangvu.FieldError
	if _, ok, err := s.duesMemberName(ctx, s.read, b.Member); err != nil {
		return b, err
	} else if !ok {
		errs = append(errs, dangvu.FieldError{Field: "member", Reason: fmt.Sprintf("không có đảng viên mã %q", b.Member)})
	}
	if b.From.IsZero() {
		errs = append(errs, dangvu.FieldError{Field: "from", Reason: "cần ngày bắt đầu áp dụng căn cứ"})
	}
	if !b.Group.Valid() {
		errs = append(errs, dangvu.FieldError{Field: "group", Reason: fmt.Sprintf("nhóm %q không hợp lệ", b.Group)})
	}
	if b.Amount < 0 {
		errs = append(errs, dangvu.FieldError{Field: "amount", Reason: fmt.Sprintf("số tiền %s âm", vn.FormatInt(b.Amount))})
	}
	if len(errs) == 0 {
		if _, v := dues.For(b.From.Time).Gross(b); v != nil {
			errs = append(errs, dangvu.FieldError{Field: v.Field, Reason: v.String()})
		}
	}
	if len(errs) > 0 {
		return b, duesInvalid("Căn cứ đóng đảng phí không hợp lệ; chưa ghi gì.", errs...)
	}
	if b.ID == "" {
		b.ID = disID("DB")
	}
	err := s.tx(ctx, func(tx *dbTx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM dues_bases WHERE member_id = ? AND valid_from = ?`, b.Member, b.From.String()).Scan(&n); err != nil {
			return fmt.Errorf("store: dues: %w", err)
		}
		if n > 0 {
			return duesInvalid("Căn cứ đóng đảng phí không hợp lệ; chưa ghi gì.", dangvu.FieldError{Field: "from", Reason: fmt.Sprintf("đảng viên %s đã có căn cứ từ ngày %s", b.Member, vn.FormatDate(b.From.Time))})
		}
		if err := s.keepDues(ctx, tx, []string{b.Member}, func() error {
			_, err := tx.ExecContext(ctx, `INSERT INTO dues_bases (id, member_id, valid_from, grp, amount, note) VALUES (?, ?, ?, ?, ?, ?)`,
				b.ID, b.Member, b.From.String(), string(b.Group), b.Amount, b.Note)
			return err
		}); err != nil {
			return fmt.Errorf("store: dues: %w", err)
		}
		return s.audit(ctx, tx, actor, "create", "dues_basis", b.ID, nil, b)
	})
	return b, err
}

// DuesBases returns a member's bases, oldest first.
func (s *Store) DuesBases(ctx context.Context, member string) ([]dangvu.DuesBasis, error) {
	l := &duesLedger{bases: map[string][]dangvu.DuesBasis{}, exempt: map[string][]dangvu.DuesExemption{}}
	if err := s.duesRecords(ctx, l, `?`, []any{member}); err != nil {
		return nil, err
	}
	return l.bases[member], nil
}

// DuesExemptions returns a member's exemptions and reductions.
func (s *Store) DuesExemptions(ctx context.Context, member string) ([]dangvu.DuesExemption, error) {
	return s.duesExemptionsWhere(ctx, `member_id = ?`, member)
}

// AddDuesExemption records an exemption or reduction after checking it against the rules in
// force on its first day, the deciding body's competence included.
func (s *Store) AddDuesExemption(ctx context.Context, actor string, e dangvu.DuesExemption) (dangvu.DuesExemption, error) {
	const msg = "Quyết định miễn, giảm đảng phí không hợp lệ; chưa ghi gì."
	var errs []dangvu.FieldError
	if _, ok, err := s.duesMemberName(ctx, s.read, e.Member); err != nil {
		return e, err
	} else if !ok {
		errs = append(errs, dangvu.FieldError{Field: "member", Reason: fmt.Sprintf("không có đảng viên mã %q", e.Member)})
	}
	if !e.Kind.Valid() {
		errs = append(errs, dangvu.FieldError{Field: "kind", Reason: fmt.Sprintf("căn cứ miễn, giảm %q không hợp lệ", e.Kind)})
	}
	if e.From.IsZero() {
		errs = append(errs, dangvu.FieldError{Field: "from", Reason: "cần ngày bắt đầu"})
	}
	if e.Pct < 1 || e.Pct > 100 {
		errs = append(errs, dangvu.FieldError{Field: "pct", Reason: fmt.Sprintf("mức %d%% không hợp lệ: 1–100 (100 là miễn)", e.Pct)})
	}
	if len(errs) > 0 {
		return e, duesInvalid(msg, errs...)
	}
	day := e.From.String()
	cell, err := s.duesCellOf(ctx, s.read, e.Member, day)
	if err != nil {
		return e, err
	}
	if cell == "" {
		return e, duesInvalid(msg, dangvu.FieldError{Field: "from", Reason: fmt.Sprintf("đảng viên %s không sinh hoạt ở chi bộ nào ngày %s", e.Member, vn.FormatDate(e.From.Time))})
	}
	if e.DecidedBy == "" {
		e.DecidedBy = cell
	}
	co, err := s.Org(ctx, cell, e.From.Time)
	if err != nil {
		return e, err
	}
	if _, err := s.Org(ctx, e.DecidedBy, e.From.Time); err != nil {
		return e, duesInvalid(msg, dangvu.FieldError{Field: "decided_by", Reason: fmt.Sprintf("không có tổ chức đảng %q ngày %s", e.DecidedBy, vn.FormatDate(e.From.Time))})
	}
	isCell := e.DecidedBy == cell
	above := !isCell && strings.Contains(co.Path, "/"+e.DecidedBy+"/")
	for _, p := range dues.CheckExemption(e, co.Level == dangvu.LevelGrassrootsCell, isCell, above) {
		errs = append(errs, dangvu.FieldError{Field: p.Field, Reason: p.String()})
	}
	if len(errs) > 0 {
		return e, duesInvalid(msg, errs...)
	}
	if e.ID == "" {
		e.ID = disID("DE")
	}
	to := ""
	if !e.To.IsZero() {
		to = e.To.String()
	}
	err = s.tx(ctx, func(tx *dbTx) error {
		if err := s.keepDues(ctx, tx, []string{e.Member}, func() error {
			_, err := tx.ExecContext(ctx, `INSERT INTO dues_exemptions (id, member_id, kind, pct, valid_from, valid_to, decision, decided_by, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				e.ID, e.Member, string(e.Kind), e.Pct, day, to, e.Decision, e.DecidedBy, e.Note)
			return err
		}); err != nil {
			return fmt.Errorf("store: dues: %w", err)
		}
		return s.audit(ctx, tx, actor, "create", "dues_exemption", e.ID, nil, e)
	})
	return e, err
}

// RecordDuesPayments records payments taken by a cell, each for one member and month (a member
// may pay several months at once: one line per month). Each line is refused, naming its row and
// field, when the amount is negative, the member did not belong to the cell that month (before
// joining or after leaving), the month is already paid, the day is in the future or the channel
// unknown; nothing is written unless every line is good.
func (s *Store) RecordDuesPayments(ctx context.Context, actor, cell string, lines []dangvu.DuesPayment) ([]dangvu.DuesPayment, error) {
	const msg = "Bảng thu đảng phí có lỗi; chưa ghi gì."
	today := s.today()
	var errs []dangvu.FieldError
	seen := map[string]int{}
	bad := func(row int, field, format string, args ...any) {
		errs = append(errs, dangvu.FieldError{Row: row, Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	for i := range lines {
		p, row := &lines[i], i+1
		p.Org = cell
		if p.Channel == "" {
			p.Channel = dangvu.DuesCash
		}
		if p.Channel != dangvu.DuesCash && p.Channel != dangvu.DuesPortal {
			bad(row, "channel", "hình thức %q không hợp lệ: cash hoặc portal", p.Channel)
		}
		if p.Amount < 0 {
			bad(row, "amount", "số tiền %s âm", vn.FormatInt(p.Amount))
		}
		if p.Voluntary < 0 {
			bad(row, "voluntary", "số tiền tự nguyện %s âm", vn.FormatInt(p.Voluntary))
		}
		if p.Paid.IsZero() {
			p.Paid, _ = dangvu.ParseDate(today)
		}
		if p.Paid.String() > today {
			bad(row, "paid", "ngày nộp %s sau hôm nay", vn.FormatDate(p.Paid.Time))
		}
		if p.Month.IsZero() {
			bad(row, "month", "cần tháng đóng")
			continue
		}
		name, ok, err := s.duesMemberName(ctx, s.read, p.Member)
		if err != nil {
			return nil, err
		}
		if !ok {
			bad(row, "member", "không có đảng viên mã %q", p.Member)
			continue
		}
		k := p.Member + "|" + p.Month.String()
		if first, dup := seen[k]; dup {
			bad(row, "month", "%s: tháng %s đã có ở dòng %d", name, p.Month.VN(), first)
			continue
		}
		seen[k] = row
		in, err := s.duesInCell(ctx, s.read, p.Member, cell, p.Month)
		if err != nil {
			return nil, err
		}
		if !in {
			bad(row, "month", "%s không sinh hoạt tại chi bộ này trong tháng %s (trước khi vào Đảng, sau khi chuyển đi hoặc ra khỏi Đảng): không thu đảng phí tháng này (Điều lệ Đảng Điều 8; Quy định về đảng phí: đảng viên đóng tại chi bộ nơi sinh hoạt)", name, p.Month.VN())
			continue
		}
		var old string
		err = s.read.QueryRowContext(ctx, `SELECT paid_on FROM dues_payments WHERE member_id = ? AND month = ?`, p.Member, p.Month.String()).Scan(&old)
		if err == nil {
			bad(row, "month", "%s đã đóng đảng phí tháng %s ngày %s: mỗi tháng ghi một lần", name, p.Month.VN(), vnDate(old))
		} else if !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("store: dues: %w", err)
		}
	}
	if len(errs) > 0 {
		return nil, duesInvalid(msg, errs...)
	}
	err := s.tx(ctx, func(tx *dbTx) error {
		if err := s.keepDues(ctx, tx, paymentMembers(lines), func() error {
			for i := range lines {
				p := &lines[i]
				if p.ID == "" {
					p.ID = disID("DP")
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO dues_payments (id, member_id, org_id, month, amount, voluntary, paid_on, channel, reference, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
					p.ID, p.Member, p.Org, p.Month.String(), p.Amount, p.Voluntary, p.Paid.String(), p.Channel, p.Reference, p.Note); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return fmt.Errorf("store: dues: %w", err)
		}
		return s.audit(ctx, tx, actor, "create", "dues_payments", cell, nil, lines)
	})
	if err != nil {
		return nil, err
	}
	return lines, nil
}

// DuesPayments returns a member's payments, oldest month first.
func (s *Store) DuesPayments(ctx context.Context, member string) ([]dangvu.DuesPayment, error) {
	return s.duesPaymentsWhere(ctx, `p.member_id = ?`, member)
}

// DuesRemittances returns the remittances of an organisation (sent by it or to it).
func (s *Store) DuesRemittances(ctx context.Context, org string) ([]dangvu.DuesRemittance, error) {
	return s.duesRemittancesWhere(ctx, `org_id = ? OR to_org_id = ?`, org, org)
}

// RecordRemittance records an organisation's monthly remittance: what it collected that month
// (its members' payments with their voluntary part, and what its lower organisations passed up
// to it), the share it keeps under the table in force that month, and the
// rest passed to its superior on the day sent.
func (s *Store) RecordRemittance(ctx context.Context, actor, orgID string, m dangvu.Month, sent time.Time, note string) (dangvu.DuesRemittance, error) {
	const msg = "Không ghi được việc nộp đảng phí lên cấp trên; chưa ghi gì."
	org, err := s.Org(ctx, orgID, m.Last())
	if err != nil {
		return dangvu.DuesRemittance{}, err
	}
	if org.ParentID == "" {
		return dangvu.DuesRemittance{}, duesInvalid(msg, dangvu.FieldError{Field: "org", Reason: "tổ chức không có cấp trên để nộp"})
	}
	if sent.IsZero() {
		sent, _ = dangvu.ParseISODate(s.today())
	}
	if dangvu.ISO(sent) > s.today() {
		return dangvu.DuesRemittance{}, duesInvalid(msg, dangvu.FieldError{Field: "sent", Reason: fmt.Sprintf("ngày nộp %s sau hôm nay", vn.FormatDate(sent))})
	}
	set := dues.ForMonth(m)
	pct, cite := set.KeepPct(org.Level, org.Kind)
	r := dangvu.DuesRemittance{ID: disID("DR"), Org: org.ID, Month: m, Kind: dangvu.RemitMonthly, To: org.ParentID, Sent: dangvu.DateOf(sent),
		Note: strings.TrimSpace(note + " " + fmt.Sprintf("(để lại %d%%: %s)", pct, cite))}
	err = s.tx(ctx, func(tx *dbTx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM dues_remittances WHERE org_id = ? AND month = ? AND kind = ?`, org.ID, m.String(), dangvu.RemitMonthly).Scan(&n); err != nil {
			return fmt.Errorf("store: dues: %w", err)
		}
		if n > 0 {
			return duesInvalid(msg, dangvu.FieldError{Field: "month", Reason: fmt.Sprintf("%s đã nộp đảng phí tháng %s lên cấp trên", org.Name, m.VN())})
		}
		// What it collected from its members and what its lower organisations passed up to it.
		var fromBelow int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(amount + voluntary), 0) FROM dues_payments WHERE org_id = ? AND month = ?`, org.ID, m.String()).Scan(&r.Collected); err != nil {
			return fmt.Errorf("store: dues: %w", err)
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(remitted), 0) FROM dues_remittances WHERE to_org_id = ? AND month = ? AND kind = 'monthly'`, org.ID, m.String()).Scan(&fromBelow); err != nil {
			return fmt.Errorf("store: dues: %w", err)
		}
		r.Collected += fromBelow
		r.Kept, r.Remitted = dues.Split(r.Collected, pct)
		if err := insertRemittance(ctx, tx, r); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "create", "dues_remittance", r.ID, nil, r)
	})
	return r, err
}

func insertRemittance(ctx context.Context, tx queryer, r dangvu.DuesRemittance) error {
	recv := ""
	if !r.Received.IsZero() {
		recv = r.Received.String()
	}
	// What the cells passed up is counted for the top of the tree (remitTally).
	return keepTallies(ctx, tx, remitTally, tallyIDs, []string{r.ID}, func() error {
		_, err := tx.ExecContext(ctx, `INSERT INTO dues_remittances (id, org_id, month, kind, to_org_id, collected, kept, remitted, sent_on, received_on, event_id, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.Org, r.Month.String(), r.Kind, r.To, r.Collected, r.Kept, r.Remitted, r.Sent.String(), recv, r.Event, r.Note)
		if err != nil {
			return fmt.Errorf("store: dues: %w", err)
		}
		return nil
	})
}

// ReceiveRemittance records the superior's receipt of a monthly remittance on day (not before it
// was sent, not after today; once).
func (s *Store) ReceiveRemittance(ctx context.Context, actor, id string, day time.Time) error {
	const msg = "Không ghi được việc nhận đảng phí cấp dưới nộp; chưa ghi gì."
	r, err := s.DuesRemittance(ctx, id)
	if err != nil {
		return err
	}
	switch {
	case r.Kind != dangvu.RemitMonthly:
		return duesInvalid(msg, dangvu.FieldError{Field: "id", Reason: "số dư bàn giao khi sắp xếp tổ chức được ghi nhận cùng quyết định"})
	case !r.Received.IsZero():
		return duesInvalid(msg, dangvu.FieldError{Field: "received_on", Reason: "đã ghi nhận ngày " + vn.FormatDate(r.Received.Time)})
	case day.IsZero():
		day, _ = dangvu.ParseISODate(s.today())
	}
	if day.Before(r.Sent.Time) {
		return duesInvalid(msg, dangvu.FieldError{Field: "received_on", Reason: fmt.Sprintf("ngày nhận %s trước ngày nộp %s", vn.FormatDate(day), vn.FormatDate(r.Sent.Time))})
	}
	if dangvu.ISO(day) > s.today() {
		return duesInvalid(msg, dangvu.FieldError{Field: "received_on", Reason: fmt.Sprintf("ngày nhận %s sau hôm nay", vn.FormatDate(day))})
	}
	return s.tx(ctx, func(tx *dbTx) error {
		res, err := tx.ExecContext(ctx, `UPDATE dues_remittances SET received_on = ? WHERE id = ? AND received_on = ''`, dangvu.ISO(day), id)
		if err != nil {
			return fmt.Errorf("store: dues: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return dangvu.Errorf(dangvu.ENotFound, "không có khoản nộp %q chưa xác nhận", id)
		}
		return s.audit(ctx, tx, actor, "receive", "dues_remittance", id, nil, map[string]string{"received_on": dangvu.ISO(day)})
	})
}

// DuesBalance is what an organisation holds of the dues as of a day: the shares it kept, plus
// balances handed over to it, less balances it handed over.
func (s *Store) DuesBalance(ctx context.Context, orgID string, asOf time.Time) (int64, error) {
	return duesBalance(ctx, s.read, orgID, dangvu.ISO(asOf))
}

func duesBalance(ctx context.Context, q queryer, org, day string) (int64, error) {
	var b int64
	err := q.QueryRowContext(ctx, `SELECT
		COALESCE((SELECT SUM(kept) FROM dues_remittances WHERE org_id = ? AND kind = 'monthly' AND sent_on <= ?), 0)
		+ COALESCE((SELECT SUM(remitted) FROM dues_remittances WHERE to_org_id = ? AND kind = 'handover' AND sent_on <= ?), 0)
		- COALESCE((SELECT SUM(remitted) FROM dues_remittances WHERE org_id = ? AND kind = 'handover' AND sent_on <= ?), 0)`,
		org, day, org, day, org, day).Scan(&b)
	if err != nil {
		return 0, fmt.Errorf("store: dues: %w", err)
	}
	return b, nil
}

// HandOverDues passes an organisation's whole balance to another on a reorganisation (merger: to
// the new organisation; dissolution: to the superior; split: as the superior decides), recorded
// with the reorganisation event.
func (s *Store) HandOverDues(ctx context.Context, actor, from, to, event string, day time.Time) (dangvu.DuesRemittance, error) {
	const msg = "Không ghi được việc bàn giao số dư đảng phí; chưa ghi gì."
	if from == to || to == "" {
		return dangvu.DuesRemittance{}, duesInvalid(msg, dangvu.FieldError{Field: "to", Reason: "cần tổ chức nhận khác tổ chức bàn giao"})
	}
	for _, o := range []string{from, to} {
		var n int
		if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM org_versions WHERE org_id = ?`, o).Scan(&n); err != nil {
			return dangvu.DuesRemittance{}, fmt.Errorf("store: dues: %w", err)
		}
		if n == 0 {
			return dangvu.DuesRemittance{}, dangvu.Errorf(dangvu.ENotFound, "không có tổ chức đảng %q", o)
		}
	}
	if day.IsZero() && event != "" {
		// On the event's day.
		var d string
		if err := s.read.QueryRowContext(ctx, `SELECT date FROM reorg_events WHERE id = ?`, event).Scan(&d); err == nil {
			day, _ = dangvu.ParseISODate(d)
		}
	}
	if day.IsZero() {
		return dangvu.DuesRemittance{}, duesInvalid(msg, dangvu.FieldError{Field: "event", Reason: fmt.Sprintf("không có sự kiện sắp xếp tổ chức mã %q", event)})
	}
	r := dangvu.DuesRemittance{ID: disID("DH"), Org: from, Month: dangvu.MonthOf(day), Kind: dangvu.RemitHandover, To: to, Sent: dangvu.DateOf(day), Received: dangvu.DateOf(day), Event: event,
		Note: "Bàn giao số dư đảng phí khi sắp xếp tổ chức"}
	err := s.tx(ctx, func(tx *dbTx) error {
		if event != "" {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM reorg_events WHERE id = ?`, event).Scan(&n); err != nil {
				return fmt.Errorf("store: dues: %w", err)
			}
			if n == 0 {
				return duesInvalid(msg, dangvu.FieldError{Field: "event", Reason: fmt.Sprintf("không có sự kiện sắp xếp tổ chức mã %q", event)})
			}
		}
		b, err := duesBalance(ctx, tx, from, dangvu.ISO(day))
		if err != nil {
			return err
		}
		r.Remitted = b
		if err := insertRemittance(ctx, tx, r); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "handover", "dues_remittance", r.ID, nil, r)
	})
	return r, err
}

// ReconcilePortal reads a portal export (CSV: member, month, amount, reference; a header line is
// skipped) and matches each line against the ledger of org's subtree; every line that matches no
// member and month owed is listed with the reason. A line naming an unknown member, a bad month
// or a bad amount is refused with its row and field. With apply, the matched and differing lines
// not yet recorded are written as portal payments of the member's cell, all or nothing.
func (s *Store) ReconcilePortal(ctx context.Context, actor, orgID string, r io.Reader, apply bool) (*dangvu.Reconciliation, error) {
	org, err := s.ResolveOrg(ctx, orgID, s.Clock.Today())
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, duesInvalid("Tệp đối soát không đọc được: "+err.Error(), dangvu.FieldError{Field: "file", Reason: err.Error()})
	}
	out := &dangvu.Reconciliation{Org: org.ID, Lines: []dangvu.PortalLine{}}
	var errs []dangvu.FieldError
	bad := func(row int, field, format string, args ...any) {
		errs = append(errs, dangvu.FieldError{Table: "portal.csv", Row: row, Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	type want struct {
		pl   dangvu.PortalLine
		cell string
		m    dangvu.Month
	}
	var lines []want
	seenLine := map[string]int{}
	minM, maxM := dangvu.Month{}, dangvu.Month{}
	for i, rec := range recs {
		row := i + 1
		if i == 0 && len(rec) > 0 && strings.Contains(vn.Fold(rec[0]), "member") {
			continue
		}
		if len(rec) < 3 {
			bad(row, "", "cần ít nhất 3 cột: member, month, amount, reference")
			continue
		}
		pl := dangvu.PortalLine{Row: row, MemberID: strings.TrimSpace(rec[0])}
		if len(rec) > 3 {
			pl.Reference = strings.TrimSpace(rec[3])
		}
		m, err := dangvu.ParseMonth(strings.TrimSpace(rec[1]))
		if err != nil {
			bad(row, "month", "%s", err.Error())
			continue
		}
		pl.Month = m.String()
		a, err := strconv.ParseInt(strings.TrimSpace(rec[2]), 10, 64)
		if err != nil || a < 0 {
			bad(row, "amount", "số tiền %q không hợp lệ: cần số đồng nguyên, không âm", rec[2])
			continue
		}
		pl.Amount = a
		name, ok, err := s.duesMemberName(ctx, s.read, pl.MemberID)
		if err != nil {
			return nil, err
		}
		if !ok {
			bad(row, "member", "không có đảng viên mã %q: dòng của Cổng Dịch vụ công không khớp với ai", pl.MemberID)
			continue
		}
		pl.Name = name
		if first, dup := seenLine[pl.MemberID+"|"+pl.Month]; dup {
			bad(row, "month", "%s: tháng %s đã có ở dòng %d", name, m.VN(), first)
			continue
		}
		seenLine[pl.MemberID+"|"+pl.Month] = row
		lines = append(lines, want{pl: pl, m: m})
		if minM.IsZero() || m.Before(minM) {
			minM = m
		}
		if maxM.Before(m) {
			maxM = m
		}
	}
	if len(errs) > 0 {
		return nil, duesInvalid("Tệp đối soát có dòng không hợp lệ; chưa ghi gì.", errs...)
	}
	var l *duesLedger
	if len(lines) > 0 {
		if l, err = s.duesLedger(ctx, org, ledgerOpts{}, minM, maxM); err != nil {
			return nil, err
		}
	}
	var pays []dangvu.DuesPayment
	for _, w := range lines {
		pl := w.pl
		var line *duesMemberMonth
		for _, x := range l.lines[pl.MemberID] {
			if x.month == w.m {
				line = x
			}
		}
		switch {
		case line == nil || line.cell == "":
			pl.Status, pl.Reason = "unmatched", "không sinh hoạt trong tổ chức này tháng "+w.m.VN()
		case line.pay != nil:
			pl.Status, pl.Reason = "recorded", "đã ghi đảng phí tháng này ngày "+vn.FormatDate(line.pay.Paid.Time)
			pl.Owed = line.owing.Owed
		case !line.hasBasis:
			pl.Status, pl.Reason = "differs", "chưa có căn cứ đóng đảng phí để đối chiếu"
		default:
			pl.Owed = line.owing.Owed
			pl.Status = "matched"
			if pl.Amount != pl.Owed {
				pl.Status, pl.Reason = "differs", fmt.Sprintf("số phải đóng %s đ", vn.FormatInt(pl.Owed))
			}
		}
		if pl.Status == "unmatched" {
			pl.Name = "" // not the organisation's member that month: nothing of them shown
		}
		if pl.Status == "matched" || pl.Status == "differs" {
			out.Matched++
			p := dangvu.DuesPayment{Member: pl.MemberID, Org: line.cell, Month: w.m, Amount: min(pl.Amount, pl.Owed), Channel: dangvu.DuesPortal, Reference: pl.Reference}
			if pl.Owed == 0 {
				p.Amount = pl.Amount
			}
			p.Voluntary = pl.Amount - p.Amount
			pays = append(pays, p)
		} else {
			out.Unmatched++
		}
		out.Lines = append(out.Lines, pl)
	}
	if apply && len(pays) > 0 {
		err := s.tx(ctx, func(tx *dbTx) error {
			today := s.today()
			if err := s.keepDues(ctx, tx, paymentMembers(pays), func() error {
				for _, p := range pays {
					p.ID = disID("DP")
					if _, err := tx.ExecContext(ctx, `INSERT INTO dues_payments (id, member_id, org_id, month, amount, voluntary, paid_on, channel, reference, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
						p.ID, p.Member, p.Org, p.Month.String(), p.Amount, p.Voluntary, today, p.Channel, p.Reference, "Đối soát Cổng Dịch vụ công"); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				return fmt.Errorf("store: dues: %w", err)
			}
			return s.audit(ctx, tx, actor, "reconcile", "dues_payments", org.ID, nil, pays)
		})
		if err != nil {
			return nil, err
		}
		out.Recorded = len(pays)
	}
	return out, nil
}

// handOverOnReorg records, within a reorganisation's transaction, the hand-over of the dues
// balance of each organisation the event ends (docs/dues.md): to the organisation r.DuesTo names
// for it; otherwise on a merger to the organisation the event creates (one only), on a
// merger into an organisation that goes on to where all its members were carried; on a
// dissolution or any other end to its superior the day before. A split needs r.DuesTo (the
// superior decides), and so does a merger creating several organisations: an ended organisation
// with a balance and no receiver is refused, naming the field dues_to.
func (s *Store) handOverOnReorg(ctx context.Context, q queryer, actor string, r dangvu.Reorganisation, ended []string, before map[string][]orgVersion) error {
	if len(ended) == 0 {
		return nil
	}
	d := r.Event.Date.String() // as stored
	day, _ := dangvu.ParseISODate(d)
	var created []string
	for _, c := range r.Changes {
		if _, existed := before[c.OrgID]; !existed && !c.End {
			created = append(created, c.OrgID)
		}
	}
	var errs []dangvu.FieldError
	for _, id := range ended {
		b, err := duesBalance(ctx, q, id, d)
		if err != nil {
			return err
		}
		if b == 0 {
			continue
		}
		to := r.DuesTo[id]
		switch {
		case to != "":
		case r.Event.Kind == dangvu.ReorgMerge && len(created) == 1:
			to = created[0]
		case r.Event.Kind == dangvu.ReorgMerge:
			// Merged into an organisation that goes on: where its members were carried.
			for _, t := range r.Transfers {
				if t.From == id && len(t.Members) == 0 {
					to = t.To
				}
			}
		case r.Event.Kind != dangvu.ReorgSplit && r.Event.Kind != dangvu.ReorgMerge:
			for _, v := range before[id] {
				if v.ValidFrom.Before(r.Event.Date) && !v.ValidTo.Before(r.Event.Date) {
					to = v.ParentID
				}
			}
		}
		if to == "" || to == id {
			errs = append(errs, dangvu.FieldError{Field: "dues_to." + id, Reason: fmt.Sprintf("%s kết thúc còn số dư đảng phí %s đ: cần ghi tổ chức nhận bàn giao (chia tách: cấp trên quyết định)", id, vn.FormatInt(b))})
			continue
		}
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM org_versions WHERE org_id = ? AND valid_from <= ? AND valid_to > ?`, to, d, d).Scan(&n); err != nil {
			return fmt.Errorf("store: dues: %w", err)
		}
		if n == 0 {
			errs = append(errs, dangvu.FieldError{Field: "dues_to." + id, Reason: fmt.Sprintf("tổ chức nhận bàn giao %q không có hiệu lực ngày %s", to, vn.FormatDate(day))})
			continue
		}
		h := dangvu.DuesRemittance{ID: disID("DH"), Org: id, Month: dangvu.MonthOf(day), Kind: dangvu.RemitHandover, To: to, Sent: dangvu.DateOf(day), Received: dangvu.DateOf(day), Event: r.Event.ID,
			Remitted: b, Note: "Bàn giao số dư đảng phí khi sắp xếp tổ chức"}
		if err := insertRemittance(ctx, q, h); err != nil {
			return err
		}
		if err := s.audit(ctx, q, actor, "handover", "dues_remittance", h.ID, nil, h); err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return &dangvu.Error{Code: dangvu.EInvalid, Message: "Quyết định sắp xếp tổ chức chưa hợp lệ: số dư đảng phí chưa có nơi nhận.", Fields: errs}
	}
	return nil
}

// DuesAuditSubject is what a dues audit entry is about, for its reader's scope: the member of a
// basis or an exemption; the organisation that took payments (the entry's id); the sender and
// the receiver of a remittance or hand-over.
func (s *Store) DuesAuditSubject(ctx context.Context, entity, id string) (member string, orgs []string, err error) {
	switch entity {
	case "dues_basis":
		err = s.read.QueryRowContext(ctx, `SELECT member_id FROM dues_bases WHERE id = ?`, id).Scan(&member)
	case "dues_exemption":
		err = s.read.QueryRowContext(ctx, `SELECT member_id FROM dues_exemptions WHERE id = ?`, id).Scan(&member)
	case "dues_payments":
		orgs = []string{id}
	case "dues_remittance":
		var from, to string
		err = s.read.QueryRowContext(ctx, `SELECT org_id, to_org_id FROM dues_remittances WHERE id = ?`, id).Scan(&from, &to)
		orgs = []string{from, to}
	default:
		return "", nil, dangvu.Errorf(dangvu.ENotFound, "không có bản ghi đảng phí loại %q", entity)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, dangvu.Errorf(dangvu.ENotFound, "không có bản ghi đảng phí %q", id)
	}
	if err != nil {
		return "", nil, fmt.Errorf("store: dues: %w", err)
	}
	return member, orgs, nil
}

// DuesRemittance returns one remittance or hand-over.
func (s *Store) DuesRemittance(ctx context.Context, id string) (dangvu.DuesRemittance, error) {
	rs, err := s.duesRemittancesWhere(ctx, `id = ?`, id)
	if err != nil {
		return dangvu.DuesRemittance{}, err
	}
	if len(rs) == 0 {
		return dangvu.DuesRemittance{}, dangvu.Errorf(dangvu.ENotFound, "không có khoản nộp đảng phí %q", id)
	}
	return rs[0], nil
}

// paymentMembers are the members of payments, once each.
func paymentMembers(ps []dangvu.DuesPayment) []string {
	var out []string
	for _, p := range ps {
		if !slices.Contains(out, p.Member) {
			out = append(out, p.Member)
		}
	}
	return out
}
