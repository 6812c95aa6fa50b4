package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/vn"
)

// Dissemination of resolutions (docs/dissemination.md): the document register, programmes with
// their tasks, conferences and courses with their attendance, and reflections.

// disID makes an id for a record created through the API: a prefix and 12 random hex digits.
func disID(prefix string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return prefix + "-" + hex.EncodeToString(b)
}

func disDay(d dangvu.Date) (time.Time, bool) { return d.Time, !d.IsZero() }

// disISO is disDay for ISO text.
func disISO(s string) (time.Time, bool) {
	t, err := dangvu.ParseISODate(s)
	return t, err == nil
}

// termBounds returns the term of org in force on day, [start, end); without a recorded term, the
// calendar year (numbering then restarts each year: an assumption, docs/dissemination.md).
func termBounds(ctx context.Context, s *Store, q queryer, org string, day dangvu.Date) (string, string, error) {
	var start, end string
	err := q.QueryRowContext(ctx, `SELECT start, "end" FROM terms WHERE org_id = ? AND start <= ? AND "end" > ? ORDER BY start DESC LIMIT 1`, org, day, day).Scan(&start, &end)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Sprintf("%04d-01-01", day.Year()), fmt.Sprintf("%04d-01-01", day.Year()+1), nil
	}
	if err != nil {
		return "", "", fmt.Errorf("store: term: %w", err)
	}
	return start, end, nil
}

// NextDocNumber is the number the organisation's next own document of a kind dated day takes:
// numbers run per kind and per term of the issuing organisation (domain.md §2), with the issuer
// code of the organisation as of that day.
func (s *Store) NextDocNumber(ctx context.Context, orgID string, kind dangvu.DocKind, day time.Time) (dangvu.DocNumber, error) {
	return s.nextDocNumber(ctx, s.read, orgID, kind, dangvu.DateOf(day))
}

func (s *Store) nextDocNumber(ctx context.Context, q queryer, orgID string, kind dangvu.DocKind, day dangvu.Date) (dangvu.DocNumber, error) {
	t, _ := disDay(day)
	org, err := s.Org(ctx, orgID, t)
	if err != nil {
		return dangvu.DocNumber{}, err
	}
	if org.IssuerCode == "" {
		return dangvu.DocNumber{}, invalid("Tổ chức chưa có mã cơ quan ban hành.", fe("org_id", "%s chưa có mã cơ quan ban hành (issuer_code) vào ngày %s", org.Name, vnDate(day)))
	}
	start, end, err := termBounds(ctx, s, q, orgID, day)
	if err != nil {
		return dangvu.DocNumber{}, err
	}
	var max sql.NullInt64
	err = q.QueryRowContext(ctx, `SELECT max(seq) FROM documents WHERE org_id = ? AND direction = 'own' AND kind = ? AND date >= ? AND date < ?`,
		orgID, string(kind), start, end).Scan(&max)
	if err != nil {
		return dangvu.DocNumber{}, fmt.Errorf("store: next number: %w", err)
	}
	return dangvu.DocNumber{Seq: int(max.Int64) + 1, Kind: kind, Issuer: org.IssuerCode}, nil
}

// CreateDocument registers a document. An own document without a number takes the next one
// (NextDocNumber); one with a number must carry the organisation's issuer code and a number not
// yet used for its kind in the term. An incoming document needs its number as printed.
func (s *Store) CreateDocument(ctx context.Context, actor string, d dangvu.Document) (dangvu.Document, error) {
	d, errs := s.checkDocument(ctx, d)
	if len(errs) > 0 {
		return d, invalid("Văn bản chưa hợp lệ; chưa ghi gì.", errs...)
	}
	err := s.tx(ctx, func(tx *dbTx) error { return s.insertDocument(ctx, tx, actor, &d) })
	return d, err
}

// checkDocument normalises a new document and lists what is wrong with it.
func (s *Store) checkDocument(ctx context.Context, d dangvu.Document) (dangvu.Document, []dangvu.FieldError) {
	d.Title = strings.TrimSpace(vn.NFC(d.Title))
	if d.Secrecy == "" {
		d.Secrecy = dangvu.SecrecyNone
	}
	if d.ID == "" {
		d.ID = disID("VB")
	}
	var errs []dangvu.FieldError
	day, okDay := disDay(d.Date)
	if !okDay {
		errs = append(errs, fe("date", "bắt buộc, dạng ngày hợp lệ"))
	}
	if d.Title == "" {
		errs = append(errs, fe("title", "bắt buộc, không được để trống"))
	}
	if !dangvu.ValidCode(dangvu.Directions, d.Direction) {
		errs = append(errs, fe("direction", "dùng incoming (văn bản đến) hoặc own (văn bản cấp ủy ban hành)"))
	}
	if !dangvu.ValidCode(dangvu.Secrecies, d.Secrecy) {
		errs = append(errs, fe("secrecy", "dùng none, secret, top_secret hoặc absolute_secret (tuyệt mật)"))
	}
	if !d.ReceivedOn.IsZero() {
		if d.ReceivedOn.Before(d.Date) {
			errs = append(errs, fe("received_on", "ngày nhận phải là ngày hợp lệ, không trước ngày ký"))
		}
	}
	if okDay {
		if _, err := s.Org(ctx, d.OrgID, day); err != nil {
			errs = append(errs, fe("org_id", "%s", dangvu.ErrorMessage(err)))
		}
	}
	if d.Number != "" {
		n, err := dangvu.ParseDocNumber(d.Number)
		if err != nil {
			errs = append(errs, fe("number", "%s", dangvu.ErrorMessage(err)))
		} else {
			if d.Kind != "" && d.Kind != n.Kind {
				errs = append(errs, fe("kind", "loại %s không khớp số, ký hiệu %s", d.Kind, n))
			}
			d.Number, d.Seq, d.Kind, d.Issuer = n.String(), n.Seq, n.Kind, n.Issuer
		}
	} else if d.Direction == dangvu.DirIncoming {
		errs = append(errs, fe("number", "văn bản đến cần số, ký hiệu như trên văn bản (ví dụ 04-NQ/TW)"))
	} else if !dangvu.ValidCode(dangvu.DocKinds, d.Kind) {
		errs = append(errs, fe("kind", "cần loại văn bản để cấp số (NQ, CT, KL, QĐ, HD, BC, KH, CTr, TB, TTr, CV)"))
	}
	return d, errs
}

// insertDocument numbers (own documents without a number) and writes a checked document.
func (s *Store) insertDocument(ctx context.Context, tx *dbTx, actor string, d *dangvu.Document) error {
	if d.Direction == dangvu.DirOwn {
		next, err := s.nextDocNumber(ctx, tx, d.OrgID, d.Kind, d.Date)
		if err != nil {
			return err
		}
		if d.Number == "" {
			d.Number, d.Seq, d.Issuer = next.String(), next.Seq, next.Issuer
		} else if d.Issuer != next.Issuer {
			return invalid("Văn bản chưa hợp lệ; chưa ghi gì.", fe("number", "mã cơ quan ban hành của tổ chức là %s, không phải %s", next.Issuer, d.Issuer))
		} else {
			start, end, err := termBounds(ctx, s, tx, d.OrgID, d.Date)
			if err != nil {
				return err
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM documents WHERE org_id = ? AND direction = 'own' AND kind = ? AND seq = ? AND date >= ? AND date < ?`,
				d.OrgID, string(d.Kind), d.Seq, start, end).Scan(&n); err != nil {
				return fmt.Errorf("store: document: %w", err)
			}
			if n > 0 {
				return &dangvu.Error{Code: dangvu.EConflict, Message: "Số văn bản đã dùng.", Fields: []dangvu.FieldError{fe("number", "số %s đã được cấp trong nhiệm kỳ; số tiếp theo là %s", d.Number, next)}}
			}
		}
		d.IssuerOrgID = d.OrgID
	}
	for _, l := range []struct{ col, id string }{{"implements", d.Implements}, {"reports_on", d.ReportsOn}} {
		if l.id == "" {
			continue
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM documents WHERE id = ?`, l.id).Scan(&n); err != nil {
			return fmt.Errorf("store: document: %w", err)
		}
		if n == 0 {
			return invalid("Văn bản chưa hợp lệ; chưa ghi gì.", fe(l.col, "không có văn bản mã %q", l.id))
		}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO documents (id, org_id, direction, number, seq, kind, issuer, issuer_org_id, date, received_on, title, file, secrecy, implements_id, reports_on_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.ID, d.OrgID, string(d.Direction), d.Number, d.Seq, string(d.Kind), d.Issuer, d.IssuerOrgID, d.Date, d.ReceivedOn, d.Title, d.File, string(d.Secrecy), d.Implements, d.ReportsOn)
	if isUniqueViolation(err) {
		return dangvu.Errorf(dangvu.EConflict, "đã có văn bản mã %q", d.ID)
	}
	if err != nil {
		return fmt.Errorf("store: document: %w", err)
	}
	return s.audit(ctx, tx, actor, "create", "document", d.ID, nil, *d)
}

const docCols = `d.id, d.org_id, COALESCE((SELECT v.name FROM org_versions v WHERE v.org_id = d.org_id AND v.valid_from <= d.date ORDER BY v.valid_from DESC LIMIT 1), ''),
	d.direction, d.number, d.seq, d.kind, d.issuer, d.issuer_org_id, d.date, d.received_on, d.title, d.file, d.secrecy, d.implements_id, d.reports_on_id`

func scanDoc(sc interface{ Scan(...any) error }) (dangvu.Document, error) {
	var d dangvu.Document
	var dir, kind, sec string
	err := sc.Scan(&d.ID, &d.OrgID, &d.OrgName, &dir, &d.Number, &d.Seq, &kind, &d.Issuer, &d.IssuerOrgID, &d.Date, &d.ReceivedOn, &d.Title, &d.File, &sec, &d.Implements, &d.ReportsOn)
	d.Direction, d.Kind, d.Secrecy = dangvu.Direction(dir), dangvu.DocKind(kind), dangvu.Secrecy(sec)
	return d, err
}

// Document returns one document of the register.
func (s *Store) Document(ctx context.Context, id string) (dangvu.Document, error) {
	d, err := scanDoc(s.read.QueryRowContext(ctx, `SELECT `+docCols+` FROM documents d WHERE d.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, dangvu.Errorf(dangvu.ENotFound, "không có văn bản mã %q", id)
	}
	if err != nil {
		return d, fmt.Errorf("store: document: %w", err)
	}
	return d, nil
}

// Documents lists documents: those registered by organisations that lie, as of f.AsOf, under
// f.Under, and those registered by its ancestors (which the subtree must study), newest first.
func (s *Store) Documents(ctx context.Context, f dangvu.DocumentFilter) ([]dangvu.Document, error) {
	q := `SELECT ` + docCols + ` FROM documents d WHERE 1 = 1`
	var args []any
	if f.Under != "" {
		org, err := s.Org(ctx, f.Under, f.AsOf)
		if err != nil {
			return nil, err
		}
		lo, hi := subtreeRange(org.Path)
		// Ancestors over all time: the organisation's registers above it, wherever it sat.
		paths, err := s.docAllPaths(ctx, f.Under)
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		var anc []string
		for _, p := range paths {
			for _, id := range strings.Split(strings.Trim(p, "/"), "/") {
				if !seen[id] {
					seen[id] = true
					anc = append(anc, id)
				}
			}
		}
		q += ` AND (d.org_id IN (` + disPlaceholders(len(anc)) + `) OR EXISTS (SELECT 1 FROM org_paths p WHERE p.org_id = d.org_id AND p.path >= ? AND p.path < ?))`
		for _, a := range anc {
			args = append(args, a)
		}
		args = append(args, lo, hi)
	}
	if f.Kind != "" {
		q += ` AND d.kind = ?`
		args = append(args, string(f.Kind))
	}
	q += ` AND ` + docReadableSQL("d", f.Secret)
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 1000
	}
	q += ` ORDER BY d.date DESC, d.id`
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: documents: %w", err)
	}
	defer rows.Close()
	out := []dangvu.Document{}
	fold := vn.Fold(f.Query)
	for rows.Next() {
		d, err := scanDoc(rows)
		if err != nil {
			return nil, err
		}
		if fold != "" && !strings.Contains(vn.Fold(d.Number+" "+d.Title), fold) {
			continue
		}
		out = append(out, d)
		if len(out) == f.Limit {
			break
		}
	}
	return out, rows.Err()
}

func disPlaceholders(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

// DocumentsByNumber returns the ids of the documents with a number and symbol ("04-NQ/TW",
// written any way ParseDocNumber accepts).
func (s *Store) DocumentsByNumber(ctx context.Context, number string) ([]string, error) {
	if n, err := dangvu.ParseDocNumber(number); err == nil {
		number = n.String()
	}
	ids, err := column(ctx, s.read, `SELECT id FROM documents WHERE number = ? ORDER BY id`, number)
	if err != nil {
		return nil, fmt.Errorf("store: documents: %w", err)
	}
	return ids, nil
}

// DocumentVisible reports whether a user may see a document as of a date: its register belongs
// to an organisation in the user's subtree or above it (a higher level's documents are studied
// below), and a secret document needs ActReadSecret.
func (s *Store) DocumentVisible(ctx context.Context, u dangvu.User, id string, asOf time.Time) (bool, error) {
	d, err := s.Document(ctx, id)
	if dangvu.ErrorCode(err) == dangvu.ENotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if !d.Secrecy.ReadableBy(u.UserRole) {
		return false, nil
	}
	// As the tree stood on the document's date too: a ward that sat under the city in 2016
	// studies the city's 2016 documents even after it moved.
	ok, err := s.docOrgRelated(ctx, u, d.OrgID, asOf)
	if ok || err != nil {
		return ok, err
	}
	day, _ := disDay(d.Date)
	return s.docOrgRelated(ctx, u, d.OrgID, day)
}

// docOrgRelated reports whether orgID lies in the user's subtree or is one of its ancestors.
func (s *Store) docOrgRelated(ctx context.Context, u dangvu.User, orgID string, asOf time.Time) (bool, error) {
	root, err := s.ScopeRoot(ctx, u, asOf)
	if err != nil || root == "" {
		return false, err
	}
	if root == "/" || strings.Contains(root, "/"+orgID+"/") {
		return true, nil
	}
	return s.InScope(ctx, u, orgID, asOf)
}

// CreateTask adds a task to an action programme or plan.
func (s *Store) CreateTask(ctx context.Context, actor string, t dangvu.Task) (dangvu.Task, error) {
	doc, err := s.Document(ctx, t.DocumentID)
	if err != nil {
		return t, err
	}
	t, errs := s.checkTask(ctx, t, doc)
	if len(errs) > 0 {
		return t, invalid("Nhiệm vụ chưa hợp lệ; chưa ghi gì.", errs...)
	}
	err = s.tx(ctx, func(tx *dbTx) error { return s.insertTask(ctx, tx, actor, t) })
	return t, err
}

// CreateProgramme issues an action programme or plan with its tasks in one transaction: a bad
// task refuses the whole programme, naming the task's row (from 1) and field.
func (s *Store) CreateProgramme(ctx context.Context, actor string, d dangvu.Document, tasks []dangvu.Task) (dangvu.Document, []dangvu.Task, error) {
	d, errs := s.checkDocument(ctx, d)
	if !d.Kind.IsProgramme() {
		errs = append(errs, fe("kind", "chương trình (CTr) hoặc kế hoạch (KH)"))
	}
	for i := range tasks {
		tasks[i].DocumentID = d.ID
		var terrs []dangvu.FieldError
		tasks[i], terrs = s.checkTask(ctx, tasks[i], d)
		for _, fe := range terrs {
			fe.Table, fe.Row = "tasks", i+1
			errs = append(errs, fe)
		}
	}
	if len(errs) > 0 {
		return d, nil, invalid("Chương trình chưa hợp lệ; chưa ghi gì.", errs...)
	}
	err := s.tx(ctx, func(tx *dbTx) error {
		if err := s.insertDocument(ctx, tx, actor, &d); err != nil {
			return err
		}
		for _, t := range tasks {
			if err := s.insertTask(ctx, tx, actor, t); err != nil {
				return err
			}
		}
		return nil
	})
	return d, tasks, err
}

// checkTask normalises a new task of the programme doc and lists what is wrong with it.
func (s *Store) checkTask(ctx context.Context, t dangvu.Task, doc dangvu.Document) (dangvu.Task, []dangvu.FieldError) {
	if t.ID == "" {
		t.ID = disID("NV")
	}
	if t.Status == "" {
		t.Status = dangvu.TaskPending
	}
	t.Title, t.AssigneeName = strings.TrimSpace(vn.NFC(t.Title)), strings.TrimSpace(vn.NFC(t.AssigneeName))
	var errs []dangvu.FieldError
	if !doc.Kind.IsProgramme() {
		errs = append(errs, fe("document_id", "văn bản %s không phải chương trình hay kế hoạch (CTr, KH)", doc.Number))
	}
	if t.Title == "" {
		errs = append(errs, fe("title", "bắt buộc, không được để trống"))
	}
	if _, ok := disDay(t.Deadline); !ok {
		errs = append(errs, fe("deadline", "bắt buộc, dạng ngày hợp lệ"))
	} else if t.Deadline.Before(doc.Date) {
		errs = append(errs, fe("deadline", "hạn %s trước ngày ban hành %s", vnDate(t.Deadline), vnDate(doc.Date)))
	}
	if !dangvu.ValidCode(dangvu.TaskStatuses, t.Status) {
		errs = append(errs, fe("status", "dùng pending, in_progress hoặc done"))
	}
	if t.Status == dangvu.TaskDone {
		if _, ok := disDay(t.DoneOn); !ok {
			errs = append(errs, fe("done_on", "việc đã hoàn thành cần ngày hoàn thành"))
		}
	} else if !t.DoneOn.IsZero() {
		errs = append(errs, fe("done_on", "chỉ ghi ngày hoàn thành khi trạng thái là hoàn thành"))
	}
	if t.AssigneeOrgID != "" {
		day, _ := disDay(doc.Date)
		o, err := s.Org(ctx, t.AssigneeOrgID, day)
		if err != nil {
			errs = append(errs, fe("assignee_org_id", "%s", dangvu.ErrorMessage(err)))
		} else if t.AssigneeName == "" {
			t.AssigneeName = o.Name
		}
	}
	if t.AssigneeMemberID != "" {
		day, _ := disDay(doc.Date)
		m, err := s.Member(ctx, t.AssigneeMemberID, day)
		if err != nil {
			errs = append(errs, fe("assignee_member_id", "%s", dangvu.ErrorMessage(err)))
		} else if t.AssigneeName == "" {
			t.AssigneeName = m.FullName
		}
	}
	if t.AssigneeName == "" {
		errs = append(errs, fe("assignee_name", "cần nơi hoặc người được giao (tổ chức, đảng viên hay tên cơ quan, đơn vị)"))
	}
	return t, errs
}

func (s *Store) insertTask(ctx context.Context, tx *dbTx, actor string, t dangvu.Task) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO tasks (id, document_id, title, assignee_org_id, assignee_member_id, assignee_name, deadline, status, done_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.DocumentID, t.Title, t.AssigneeOrgID, t.AssigneeMemberID, t.AssigneeName, t.Deadline, string(t.Status), t.DoneOn)
	if isUniqueViolation(err) {
		return dangvu.Errorf(dangvu.EConflict, "đã có nhiệm vụ mã %q", t.ID)
	}
	if err != nil {
		return fmt.Errorf("store: task: %w", err)
	}
	return s.audit(ctx, tx, actor, "create", "task", t.ID, nil, t)
}

// AddTaskNote records a dated progress report on a task and sets the task's status from it.
func (s *Store) AddTaskNote(ctx context.Context, actor string, n dangvu.TaskNote) (dangvu.Task, error) {
	n.Note = strings.TrimSpace(vn.NFC(n.Note))
	var errs []dangvu.FieldError
	if _, ok := disDay(n.Date); !ok {
		errs = append(errs, fe("date", "bắt buộc, dạng ngày hợp lệ"))
	}
	if !dangvu.ValidCode(dangvu.TaskStatuses, n.Status) {
		errs = append(errs, fe("status", "dùng pending, in_progress hoặc done"))
	}
	if n.Note == "" {
		errs = append(errs, fe("note", "bắt buộc: nội dung tiến độ"))
	}
	if len(errs) > 0 {
		return dangvu.Task{}, invalid("Báo cáo tiến độ chưa hợp lệ; chưa ghi gì.", errs...)
	}
	err := s.tx(ctx, func(tx *dbTx) error {
		before, err := s.disTask(ctx, tx, n.TaskID)
		if err != nil {
			return err
		}
		if n.Date.Before(before.docDate) {
			return invalid("Báo cáo tiến độ chưa hợp lệ; chưa ghi gì.", fe("date", "ngày %s trước ngày ban hành chương trình", vnDate(n.Date)))
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO task_notes (task_id, date, status, note, evidence) VALUES (?, ?, ?, ?, ?)`, n.TaskID, n.Date, string(n.Status), n.Note, n.Evidence)
		if isUniqueViolation(err) {
			return &dangvu.Error{Code: dangvu.EConflict, Message: "Đã có báo cáo tiến độ ngày này.", Fields: []dangvu.FieldError{fe("date", "nhiệm vụ đã có báo cáo ngày %s; mỗi ngày một báo cáo", vnDate(n.Date))}}
		}
		if err != nil {
			return fmt.Errorf("store: task note: %w", err)
		}
		var done dangvu.Date
		if n.Status == dangvu.TaskDone {
			done = n.Date
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tasks SET status = ?, done_on = ? WHERE id = ?`, string(n.Status), done, n.TaskID); err != nil {
			return fmt.Errorf("store: task: %w", err)
		}
		return s.audit(ctx, tx, actor, "progress", "task", n.TaskID, map[string]string{"status": string(before.Status)}, n)
	})
	if err != nil {
		return dangvu.Task{}, err
	}
	t, err := s.disTask(ctx, s.read, n.TaskID)
	t.Overdue = t.OverdueOn(s.Clock.TodayDate())
	return t.Task, err
}

// disTaskRow is a task with its programme's date.
type disTaskRow struct {
	dangvu.Task
	docDate dangvu.Date
}

func (s *Store) disTask(ctx context.Context, q queryer, id string) (disTaskRow, error) {
	var t disTaskRow
	var st string
	err := q.QueryRowContext(ctx, `SELECT t.id, t.document_id, t.title, t.assignee_org_id, t.assignee_member_id, t.assignee_name, t.deadline, t.status, t.done_on, d.date
		FROM tasks t JOIN documents d ON d.id = t.document_id WHERE t.id = ?`, id).
		Scan(&t.ID, &t.DocumentID, &t.Title, &t.AssigneeOrgID, &t.AssigneeMemberID, &t.AssigneeName, &t.Deadline, &st, &t.DoneOn, &t.docDate)
	t.Status = dangvu.TaskStatus(st)
	if errors.Is(err, sql.ErrNoRows) {
		return t, dangvu.Errorf(dangvu.ENotFound, "không có nhiệm vụ mã %q", id)
	}
	if err != nil {
		return t, fmt.Errorf("store: task: %w", err)
	}
	t.Notes, err = s.taskNotes(ctx, q, id)
	return t, err
}

func (s *Store) taskNotes(ctx context.Context, q queryer, id string) ([]dangvu.TaskNote, error) {
	rows, err := q.QueryContext(ctx, `SELECT task_id, date, status, note, evidence FROM task_notes WHERE task_id = ? ORDER BY date`, id)
	if err != nil {
		return nil, fmt.Errorf("store: task notes: %w", err)
	}
	defer rows.Close()
	var out []dangvu.TaskNote
	for rows.Next() {
		var n dangvu.TaskNote
		var st string
		if err := rows.Scan(&n.TaskID, &n.Date, &st, &n.Note, &n.Evidence); err != nil {
			return nil, err
		}
		n.Status = dangvu.TaskStatus(st)
		out = append(out, n)
	}
	return out, rows.Err()
}

// Tasks lists a programme's tasks as they stood on day (Task.AsOf): status, notes, overdue.
func (s *Store) Tasks(ctx context.Context, documentID string, day time.Time) ([]dangvu.Task, error) {
	ids, err := column(ctx, s.read, `SELECT id FROM tasks WHERE document_id = ? ORDER BY deadline, id`, documentID)
	if err != nil {
		return nil, fmt.Errorf("store: tasks: %w", err)
	}
	out := []dangvu.Task{}
	for _, id := range ids {
		t, err := s.disTask(ctx, s.read, id)
		if err != nil {
			return nil, err
		}
		out = append(out, t.AsOf(dangvu.DateOf(day)))
	}
	return out, nil
}

// TaskDocument returns the id of the programme a task belongs to.
func (s *Store) TaskDocument(ctx context.Context, taskID string) (string, error) {
	t, err := s.disTask(ctx, s.read, taskID)
	return t.DocumentID, err
}

// Task returns a task with its notes; Overdue is computed for today.
func (s *Store) Task(ctx context.Context, taskID string) (dangvu.Task, error) {
	t, err := s.disTask(ctx, s.read, taskID)
	t.Overdue = t.OverdueOn(s.Clock.TodayDate())
	return t.Task, err
}

// CreateConference records a conference or course. Its scope is an organisation subtree under
// (or equal to) the organiser on the conference's date; by default the organiser's own.
func (s *Store) CreateConference(ctx context.Context, actor string, c dangvu.Conference) (dangvu.Conference, error) {
	if c.ID == "" {
		c.ID = disID("HN")
	}
	if c.Kind == "" {
		c.Kind = dangvu.ConfStudy
	}
	if c.ScopeOrgID == "" {
		c.ScopeOrgID = c.OrgID
	}
	c.Title = strings.TrimSpace(vn.NFC(c.Title))
	var errs []dangvu.FieldError
	day, ok := disDay(c.Date)
	if !ok {
		errs = append(errs, fe("date", "bắt buộc, dạng ngày hợp lệ"))
	}
	if !c.EndDate.IsZero() {
		if c.EndDate.Before(c.Date) {
			errs = append(errs, fe("end_date", "ngày kết thúc phải là ngày hợp lệ, không trước ngày bắt đầu"))
		}
	}
	if !dangvu.ValidCode(dangvu.ConferenceKinds, c.Kind) {
		errs = append(errs, fe("kind", "dùng conference (hội nghị) hoặc course (lớp bồi dưỡng)"))
	}
	if c.Title == "" {
		errs = append(errs, fe("title", "bắt buộc, không được để trống"))
	}
	if c.Kind == dangvu.ConfStudy && len(c.DocumentIDs) == 0 {
		errs = append(errs, fe("document_ids", "hội nghị học tập cần ít nhất một văn bản"))
	}
	for _, id := range c.DocumentIDs {
		if _, err := s.Document(ctx, id); err != nil {
			errs = append(errs, fe("document_ids", "%s", dangvu.ErrorMessage(err)))
		}
	}
	if ok {
		org, err := s.Org(ctx, c.OrgID, day)
		if err != nil {
			errs = append(errs, fe("org_id", "%s", dangvu.ErrorMessage(err)))
		} else if scope, err := s.Org(ctx, c.ScopeOrgID, day); err != nil {
			errs = append(errs, fe("scope_org_id", "%s", dangvu.ErrorMessage(err)))
		} else if !strings.HasPrefix(scope.Path, org.Path) {
			errs = append(errs, fe("scope_org_id", "%s không trực thuộc %s vào ngày %s", scope.Name, org.Name, vn.FormatDate(day)))
		}
	}
	if len(errs) > 0 {
		return c, invalid("Hội nghị chưa hợp lệ; chưa ghi gì.", errs...)
	}
	err := s.tx(ctx, func(tx *dbTx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO conferences (id, kind, org_id, scope_org_id, title, date, end_date, place, presenter, reflection) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, string(c.Kind), c.OrgID, c.ScopeOrgID, c.Title, c.Date, c.EndDate, c.Place, c.Presenter, disBool(c.Reflection))
		if isUniqueViolation(err) {
			return dangvu.Errorf(dangvu.EConflict, "đã có hội nghị mã %q", c.ID)
		}
		if err != nil {
			return fmt.Errorf("store: conference: %w", err)
		}
		for _, d := range c.DocumentIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO conference_documents (conference_id, document_id) VALUES (?, ?)`, c.ID, d); err != nil && !isUniqueViolation(err) {
				return fmt.Errorf("store: conference: %w", err)
			}
		}
		return s.audit(ctx, tx, actor, "create", "conference", c.ID, nil, c)
	})
	return c, err
}

func disBool(b bool) int {
	if b {
		return 1
	}
	return 0
}

const confCols = `c.id, c.kind, c.org_id, COALESCE((SELECT v.name FROM org_versions v WHERE v.org_id = c.org_id AND v.valid_from <= c.date ORDER BY v.valid_from DESC LIMIT 1), ''),
	c.scope_org_id, c.title, c.date, c.end_date, c.place, c.presenter, c.reflection`

func scanConf(sc interface{ Scan(...any) error }) (dangvu.Conference, error) {
	var c dangvu.Conference
	var kind string
	var refl int
	err := sc.Scan(&c.ID, &kind, &c.OrgID, &c.OrgName, &c.ScopeOrgID, &c.Title, &c.Date, &c.EndDate, &c.Place, &c.Presenter, &refl)
	c.Kind, c.Reflection = dangvu.ConferenceKind(kind), refl != 0
	return c, err
}

// Conference returns a conference with the ids of the documents it studied.
func (s *Store) Conference(ctx context.Context, id string) (dangvu.Conference, error) {
	c, err := scanConf(s.read.QueryRowContext(ctx, `SELECT `+confCols+` FROM conferences c WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, dangvu.Errorf(dangvu.ENotFound, "không có hội nghị mã %q", id)
	}
	if err != nil {
		return c, fmt.Errorf("store: conference: %w", err)
	}
	c.DocumentIDs, err = s.confDocs(ctx, id)
	return c, err
}

func (s *Store) confDocs(ctx context.Context, id string) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT document_id FROM conference_documents WHERE conference_id = ? ORDER BY document_id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: conference: %w", err)
	}
	defer rows.Close()
	ids := []string{}
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		ids = append(ids, d)
	}
	return ids, rows.Err()
}

// Conferences lists conferences, newest first.
func (s *Store) Conferences(ctx context.Context, f dangvu.ConferenceFilter) ([]dangvu.Conference, error) {
	q := `SELECT ` + confCols + ` FROM conferences c WHERE 1 = 1`
	var args []any
	if f.Under != "" {
		q += ` AND EXISTS (SELECT 1 FROM org_paths p WHERE p.org_id = c.org_id AND ` + onDay.covers("p", "c.date") + ` AND ` + onDay.under("p.path", "c.date", false) + `)`
		args = append(args, f.Under)
	}
	if !f.From.IsZero() {
		q += ` AND c.date >= ?`
		args = append(args, dateArg(f.From))
	}
	if !f.To.IsZero() {
		q += ` AND c.date <= ?`
		args = append(args, dateArg(f.To))
	}
	if f.DocumentID != "" {
		q += ` AND EXISTS (SELECT 1 FROM conference_documents cd WHERE cd.conference_id = c.id AND cd.document_id = ?)`
		args = append(args, f.DocumentID)
	}
	if f.DocumentNumber != "" {
		if n, err := dangvu.ParseDocNumber(f.DocumentNumber); err == nil {
			f.DocumentNumber = n.String()
		}
		q += ` AND EXISTS (SELECT 1 FROM conference_documents cd JOIN documents d ON d.id = cd.document_id WHERE cd.conference_id = c.id AND d.number = ?)`
		args = append(args, f.DocumentNumber)
	}
	if f.Limit <= 0 || f.Limit > 2000 {
		f.Limit = 2000
	}
	q += fmt.Sprintf(` ORDER BY c.date DESC, c.id LIMIT %d`, f.Limit)
	out, err := scanAll(ctx, s.read, q, args, scanConf)
	if err != nil {
		return nil, fmt.Errorf("store: conferences: %w", err)
	}
	return out, nil
}

// inScopeOn reports whether a member belongs, on day, to the subtree of scopeOrg (as the tree
// stood that day) and is not exempt: who a conference expects (domain.md §5).
func (s *Store) inScopeOn(ctx context.Context, q queryer, scopeOrg, member string, day dangvu.Date) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM roster r
		WHERE r.member_id = ? AND `+onDay.covers("r", "?")+` AND r.status IN ('probationary', 'full')
		AND `+onDay.under("r.path", "?", false), member, day, day, scopeOrg, day, day).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: scope: %w", err)
	}
	return n > 0, nil
}

// Sheet is a conference's attendance sheet: every member expected on its date (its scope's
// members that day, exempt ones excluded) with their line, blank when not yet marked, and the
// lines of members who made it up after joining the scope later.
func (s *Store) Sheet(ctx context.Context, confID string) ([]dangvu.Attendance, error) {
	c, err := s.Conference(ctx, confID)
	if err != nil {
		return nil, err
	}
	day, _ := disDay(c.Date)
	scope, err := s.Org(ctx, c.ScopeOrgID, day)
	if err != nil {
		return nil, err
	}
	lo, hi := subtreeRange(scope.Path)
	out := []dangvu.Attendance{}
	seen := map[string]bool{}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`SELECT m.id, m.full_name, r.org_id, COALESCE(a.status, ''), COALESCE(a.reason, ''), COALESCE(a.made_up_on, '')
			FROM roster r JOIN members m ON m.id = r.member_id
			LEFT JOIN attendance a ON a.member_id = r.member_id AND a.conference_id = ?
			WHERE r.path >= ? AND r.path < ? AND r.valid_from <= ? AND r.valid_to > ? AND r.status IN ('probationary', 'full')
			ORDER BY m.name_key, m.id`, []any{c.ID, lo, hi, c.Date, c.Date}},
		{`SELECT m.id, m.full_name, '', a.status, a.reason, a.made_up_on FROM attendance a JOIN members m ON m.id = a.member_id
			WHERE a.conference_id = ? ORDER BY m.name_key, m.id`, []any{c.ID}},
	} {
		rows, err := s.read.QueryContext(ctx, q.sql, q.args...)
		if err != nil {
			return nil, fmt.Errorf("store: sheet: %w", err)
		}
		for rows.Next() {
			a := dangvu.Attendance{ConferenceID: c.ID}
			var st string
			if err := rows.Scan(&a.MemberID, &a.MemberName, &a.OrgID, &st, &a.Reason, &a.MadeUpOn); err != nil {
				rows.Close()
				return nil, err
			}
			a.Status = dangvu.AttendanceStatus(st)
			if !seen[a.MemberID] {
				seen[a.MemberID] = true
				out = append(out, a)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// SetAttendance records lines of a conference's sheet. Each member must be expected: in the
// scope on the conference's date (or, for a make-up, on the make-up date) and not exempt. One
// bad line refuses the whole sheet, naming its line and field.
func (s *Store) SetAttendance(ctx context.Context, actor, confID string, lines []dangvu.Attendance) error {
	c, err := s.Conference(ctx, confID)
	if err != nil {
		return err
	}
	var errs []dangvu.FieldError
	seen := map[string]int{}
	for i := range lines {
		a := &lines[i]
		a.ConferenceID = c.ID
		for _, fe := range dangvu.CheckAttendance(*a, c.Date) {
			fe.Row = i + 1
			errs = append(errs, fe)
		}
		if a.MemberID == "" {
			errs = append(errs, dangvu.FieldError{Row: i + 1, Field: "member_id", Reason: "bắt buộc"})
			continue
		}
		if first, dup := seen[a.MemberID]; dup {
			errs = append(errs, dangvu.FieldError{Row: i + 1, Field: "member_id", Reason: fmt.Sprintf("đảng viên %s đã có ở dòng %d", a.MemberID, first)})
			continue
		}
		seen[a.MemberID] = i + 1
		day := c.Date
		if a.Status == dangvu.AttMadeUp && !a.MadeUpOn.Before(c.Date) {
			day = a.MadeUpOn
		}
		ok, err := s.inScopeOn(ctx, s.read, c.ScopeOrgID, a.MemberID, day)
		if err != nil {
			return err
		}
		if !ok && day != c.Date {
			ok, err = s.inScopeOn(ctx, s.read, c.ScopeOrgID, a.MemberID, c.Date)
			if err != nil {
				return err
			}
		}
		if !ok {
			errs = append(errs, dangvu.FieldError{Row: i + 1, Field: "member_id", Reason: fmt.Sprintf("đảng viên %s không thuộc phạm vi hội nghị (%s) vào ngày %s, hoặc được miễn sinh hoạt", a.MemberID, c.ScopeOrgID, vnDate(day))})
		}
	}
	if len(errs) > 0 {
		return invalid(fmt.Sprintf("Bảng điểm danh có %d lỗi; chưa ghi gì.", len(errs)), errs...)
	}
	members := make([]string, len(lines))
	for i, a := range lines {
		members[i] = a.MemberID // each once: a repeated member is refused above
	}
	return s.tx(ctx, func(tx *dbTx) error {
		// The studies counted for the top of the tree follow the attendance (reached_kept.go).
		if err := s.keepReached(ctx, tx, members, func() error {
			for _, a := range lines {
				_, err := tx.ExecContext(ctx, `INSERT INTO attendance (conference_id, member_id, status, reason, made_up_on) VALUES (?, ?, ?, ?, ?)
					ON CONFLICT (conference_id, member_id) DO UPDATE SET status = excluded.status, reason = excluded.reason, made_up_on = excluded.made_up_on`,
					a.ConferenceID, a.MemberID, string(a.Status), a.Reason, a.MadeUpOn)
				if err != nil {
					return fmt.Errorf("store: attendance: %w", err)
				}
			}
			return nil
		}, studiedReach); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "attendance", "conference", c.ID, nil, lines)
	})
}

// AddReflection records a member's reflection on a document they studied.
func (s *Store) AddReflection(ctx context.Context, actor string, r dangvu.Reflection) (dangvu.Reflection, error) {
	r.Text = strings.TrimSpace(vn.NFC(r.Text))
	if r.ID == "" {
		r.ID = disID("TH")
	}
	var errs []dangvu.FieldError
	if r.Text == "" {
		errs = append(errs, fe("text", "bắt buộc: nội dung bài thu hoạch"))
	} else if n := len([]rune(r.Text)); n > dangvu.MaxReflection {
		errs = append(errs, fe("text", "dài %s ký tự, tối đa %s", vn.FormatInt(int64(n)), vn.FormatInt(dangvu.MaxReflection)))
	}
	if _, ok := disDay(r.Date); !ok {
		errs = append(errs, fe("date", "bắt buộc, dạng ngày hợp lệ"))
	}
	if _, err := s.Document(ctx, r.DocumentID); err != nil {
		errs = append(errs, fe("document_id", "%s", dangvu.ErrorMessage(err)))
	}
	if r.ConferenceID != "" {
		c, err := s.Conference(ctx, r.ConferenceID)
		switch {
		case err != nil:
			errs = append(errs, fe("conference_id", "%s", dangvu.ErrorMessage(err)))
		case !c.Reflection:
			errs = append(errs, fe("conference_id", "hội nghị này không yêu cầu bài thu hoạch"))
		}
	}
	if len(errs) > 0 {
		return r, invalid("Bài thu hoạch chưa hợp lệ; chưa ghi gì.", errs...)
	}
	err := s.tx(ctx, func(tx *dbTx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO reflections (id, member_id, document_id, conference_id, date, text) VALUES (?, ?, ?, ?, ?, ?)`,
			r.ID, r.MemberID, r.DocumentID, r.ConferenceID, r.Date, r.Text)
		if err != nil {
			return fmt.Errorf("store: reflection: %w", err)
		}
		return s.audit(ctx, tx, actor, "create", "reflection", r.ID, nil, r)
	})
	return r, err
}

// MemberStudy lists, for a member, the conferences that expected them (their scope held the
// member on the conference's date) or where they have a line, with their attendance. A secret
// document studied there is listed only to a reader who may read it (secret).
func (s *Store) MemberStudy(ctx context.Context, memberID string, secret bool) ([]dangvu.StudyItem, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+confCols+`, COALESCE(a.status, ''), COALESCE(a.reason, ''), COALESCE(a.made_up_on, '')
		FROM conferences c LEFT JOIN attendance a ON a.conference_id = c.id AND a.member_id = ?
		WHERE a.member_id IS NOT NULL OR EXISTS (SELECT 1 FROM roster r
			WHERE r.member_id = ? AND `+onDay.covers("r", "c.date")+` AND r.status IN ('probationary', 'full') AND `+onDay.underOrg("r.path", "c.scope_org_id", "c.date", false)+`)
		ORDER BY c.date DESC, c.id`, memberID, memberID)
	if err != nil {
		return nil, fmt.Errorf("store: study: %w", err)
	}
	var out []dangvu.StudyItem
	for rows.Next() {
		var it dangvu.StudyItem
		var refl int
		var kind string
		c := &it.Conference
		if err := rows.Scan(&c.ID, &kind, &c.OrgID, &c.OrgName, &c.ScopeOrgID, &c.Title, &c.Date, &c.EndDate, &c.Place, &c.Presenter, &refl, &it.Status, &it.Reason, &it.MadeUpOn); err != nil {
			rows.Close()
			return nil, err
		}
		c.Kind, c.Reflection = dangvu.ConferenceKind(kind), refl != 0
		out = append(out, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	refl, err := s.memberReflections(ctx, memberID)
	if err != nil {
		return nil, err
	}
	for i := range out {
		ids, err := s.confDocs(ctx, out[i].Conference.ID)
		if err != nil {
			return nil, err
		}
		out[i].Conference.DocumentIDs = []string{}
		for _, id := range ids {
			d, err := s.Document(ctx, id)
			if err != nil {
				return nil, err
			}
			if !d.Secrecy.Readable(secret) {
				continue
			}
			out[i].Documents = append(out[i].Documents, d.Number)
			out[i].Conference.DocumentIDs = append(out[i].Conference.DocumentIDs, id)
			for _, r := range refl {
				if r.DocumentID == id {
					out[i].Reflections = append(out[i].Reflections, r.ID)
				}
			}
		}
	}
	return out, nil
}

func (s *Store) memberReflections(ctx context.Context, memberID string) ([]dangvu.Reflection, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, member_id, document_id, conference_id, date, text FROM reflections WHERE member_id = ? ORDER BY date, id`, memberID)
	if err != nil {
		return nil, fmt.Errorf("store: reflections: %w", err)
	}
	defer rows.Close()
	var out []dangvu.Reflection
	for rows.Next() {
		var r dangvu.Reflection
		if err := rows.Scan(&r.ID, &r.MemberID, &r.DocumentID, &r.ConferenceID, &r.Date, &r.Text); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// MemberReflections lists a member's reflections.
func (s *Store) MemberReflections(ctx context.Context, memberID string) ([]dangvu.Reflection, error) {
	return s.memberReflections(ctx, memberID)
}

// docAllPaths lists every path an organisation has had.
func (s *Store) docAllPaths(ctx context.Context, orgID string) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT DISTINCT path FROM org_paths WHERE org_id = ?`, orgID)
	if err != nil {
		return nil, fmt.Errorf("store: paths: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// ReflectionMember returns the member who wrote a reflection.
func (s *Store) ReflectionMember(ctx context.Context, id string) (string, error) {
	var m string
	err := s.read.QueryRowContext(ctx, `SELECT member_id FROM reflections WHERE id = ?`, id).Scan(&m)
	if errors.Is(err, sql.ErrNoRows) {
		return "", dangvu.Errorf(dangvu.ENotFound, "không có bài thu hoạch mã %q", id)
	}
	if err != nil {
		return "", fmt.Errorf("store: reflection: %w", err)
	}
	return m, nil
}
