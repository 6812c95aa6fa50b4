package store

import (
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"dangvu"
	"dangvu/internal/exchange"
)

// The exchange tables of dissemination (docs/dissemination.md), in dependency order.
var (
	tblDocuments = table{name: "documents", columns: []string{"id", "org_id", "direction", "number", "seq", "kind", "issuer", "issuer_org_id", "date", "received_on", "title", "file", "secrecy", "implements_id", "reports_on_id"}, key: []string{"id"}}
	tblTasks     = table{name: "tasks", columns: []string{"id", "document_id", "title", "assignee_org_id", "assignee_member_id", "assignee_name", "deadline", "status", "done_on"}, key: []string{"id"}}
	tblTaskNotes = table{name: "task_notes", columns: []string{"task_id", "date", "status", "note", "evidence"}, key: []string{"task_id", "date"}}
	tblConfs     = table{name: "conferences", columns: []string{"id", "kind", "org_id", "scope_org_id", "title", "date", "end_date", "place", "presenter", "reflection"}, key: []string{"id"}}
	tblConfDocs  = table{name: "conference_documents", columns: []string{"conference_id", "document_id"}, owner: "conference_id"}
	tblAttend    = table{name: "attendance", columns: []string{"conference_id", "member_id", "status", "reason", "made_up_on"}, key: []string{"conference_id", "member_id"}}
	tblReflect   = table{name: "reflections", columns: []string{"id", "member_id", "document_id", "conference_id", "date", "text"}, key: []string{"id"}}
)

// disseminationTables bind the dissemination tables of the exchange format (internal/exchange).
var disseminationTables = []domainTable{
	{
		read:   dangvu.ActDocuments,
		name:   "documents",
		export: `SELECT id, org_id, direction, number, issuer_org_id, date, received_on, title, file, secrecy, implements_id, reports_on_id FROM documents ORDER BY id`,
		load:   (*importer).documents,
		scope:  disDocumentScope,
	},
	{
		read:   dangvu.ActDocuments,
		name:   "tasks",
		export: `SELECT id, document_id, title, assignee_org_id, assignee_member_id, assignee_name, deadline, status, done_on FROM tasks ORDER BY id`,
		load:   (*importer).tasks,
		scope: func(sc *exportScope) func([]string) bool {
			return sc.in("tasks", "document_id", sc.keptIDs("documents\x00own"))
		},
	},
	{
		read:   dangvu.ActDocuments,
		name:   "task_notes",
		export: `SELECT task_id, date, status, note, evidence FROM task_notes ORDER BY task_id, date`,
		load:   (*importer).taskNotes,
		scope:  func(sc *exportScope) func([]string) bool { return sc.in("task_notes", "task_id", sc.keptIDs("tasks")) },
	},
	{
		read:   dangvu.ActConferences,
		name:   "conferences",
		export: `SELECT id, kind, org_id, scope_org_id, title, date, end_date, place, presenter, CASE WHEN reflection <> 0 THEN '1' ELSE '0' END FROM conferences ORDER BY id`,
		load:   (*importer).conferences,
		scope: func(sc *exportScope) func([]string) bool {
			own, refs := sc.in("conferences", "org_id", sc.orgs), referenceConferences(sc)
			return func(v []string) bool { return own(v) || refs[v[0]] }
		},
	},
	{
		read:   dangvu.ActConferences,
		name:   "conference_documents",
		export: `SELECT conference_id, document_id FROM conference_documents ORDER BY conference_id, document_id`,
		load:   (*importer).conferenceDocuments,
		scope: func(sc *exportScope) func([]string) bool {
			c, d := sc.in("conference_documents", "conference_id", sc.keptIDs("conferences")), sc.in("conference_documents", "document_id", sc.keptIDs("documents"))
			return func(v []string) bool { return c(v) && d(v) }
		},
	},
	{
		read:   dangvu.ActConferences,
		name:   "attendance",
		export: `SELECT conference_id, member_id, status, reason, made_up_on FROM attendance ORDER BY conference_id, member_id`,
		load:   (*importer).attendance,
		scope: func(sc *exportScope) func([]string) bool {
			c, m := sc.in("attendance", "conference_id", sc.keptIDs("conferences")), sc.in("attendance", "member_id", sc.members)
			return func(v []string) bool { return c(v) && m(v) }
		},
	},
	{
		name:   "reflections",
		export: `SELECT id, member_id, document_id, conference_id, date, text FROM reflections ORDER BY id`,
		// read is left empty: no page shows a member's reflection to anyone but the member.
		load: (*importer).reflections,
		scope: func(sc *exportScope) func([]string) bool {
			// A reflection written at a conference outside the subtree (an old ward's, before a
			// merge) stays with that conference, even when the file carries it as a reference.
			m, d := sc.in("reflections", "member_id", sc.members), sc.in("reflections", "document_id", sc.keptIDs("documents"))
			t, _ := exchange.Lookup("reflections")
			c, confs, refs := slices.Index(t.Columns, "conference_id"), sc.keptIDs("conferences"), referenceConferences(sc)
			return func(v []string) bool { return m(v) && d(v) && (v[c] == "" || confs[v[c]] && !refs[v[c]]) }
		},
	},
}

// refConferences names, in exportScope.kept, the conferences referenceConferences found, and in
// an import's known ids a subtree file's reference conferences; keptConferences those of them the
// database held before the import, left as stored with their lists and sheets.
const (
	refConferences  = "conferences\x00ref"
	keptConferences = "conferences\x00kept"
)

// referenceConferences returns the conferences outside a subtree at which one of its members (one
// the export writes) has an attendance line: a city's or a province's study conference, an old
// cell's before the member moved in. The report's study coverage counts a member's presence at
// any conference that studied the document, so the subtree's file carries them, with those lines,
// their documents' lists and the documents (disDocumentScope), as references: read-only, never
// overwriting a stored one on import (importer.conferences). Their organisations go to the stubs
// like any other organisation a row names. Computed once per export, on the first call.
func referenceConferences(sc *exportScope) map[string]bool {
	return referencesOutside(sc, refConferences, `SELECT id, org_id FROM conferences`,
		// Streamed: the whole country's attendance is read to keep the subtree's few lines.
		`SELECT conference_id, member_id FROM attendance`,
		func(m string, members map[string]bool) bool { return members[m] })
}

// referencesOutside computes, once per export, the records outside a subtree (owners: id and
// organisation of each) that one of the subtree's lines names (lines: the record's id and what
// the line is about, which ours says is the subtree's), and keeps them in sc under key.
func referencesOutside(sc *exportScope, key, owners, lines string, ours func(about string, members map[string]bool) bool) map[string]bool {
	refs := sc.keptIDs(key)
	if refs["\x00done"] {
		return refs
	}
	refs["\x00done"] = true
	outside := map[string]bool{}
	err := sc.each(owners, func(id, org string) {
		if !sc.orgs[org] {
			outside[id] = true
		}
	})
	members := sc.written
	if members == nil {
		members = sc.members
	}
	if err == nil && len(outside) > 0 {
		err = sc.each(lines, func(id, about string) {
			if outside[id] && ours(about, members) {
				refs[id] = true
			}
		})
	}
	if err != nil {
		sc.err = err
	}
	return refs
}

// disDocumentScope keeps, in a subtree export, the documents registered by the subtree's
// organisations as they are, and the documents from outside the subtree that they need: those
// studied at a conference organised in the subtree or at a conference the file carries as a
// reference (referenceConferences), and those a kept document implements or reports on (followed
// link by link). A document from outside is written as an incoming document of the subtree's root
// (direction incoming, issuer_org_id empty, everything else as it is), so the file imports into
// an empty database with its conferences' documents and links. Only the subtree's own documents
// carry their tasks.
func disDocumentScope(sc *exportScope) func([]string) bool {
	own := sc.keptIDs("documents\x00own")
	docs, err := sc.pairs(`SELECT id, org_id FROM documents`)
	if err != nil {
		sc.err = err
		return func([]string) bool { return false }
	}
	for _, d := range docs {
		if sc.orgs[d[1]] {
			own[d[0]] = true
		}
	}
	need, refs := map[string]bool{}, referenceConferences(sc)
	err = sc.each(`SELECT cd.document_id, cd.conference_id || '|' || c.org_id FROM conference_documents cd JOIN conferences c ON c.id = cd.conference_id`, func(doc, conf string) {
		id, org, _ := strings.Cut(conf, "|")
		if sc.orgs[org] || refs[id] {
			need[doc] = true
		}
	})
	if err == nil {
		err = sc.err
	}
	if err != nil {
		sc.err = err
		return func([]string) bool { return false }
	}
	links, err := sc.pairs(`SELECT id, implements_id FROM documents WHERE implements_id <> '' UNION ALL SELECT id, reports_on_id FROM documents WHERE reports_on_id <> ''`)
	if err != nil {
		sc.err = err
		return func([]string) bool { return false }
	}
	for id := range own {
		need[id] = true
	}
	for changed := true; changed; {
		changed = false
		for _, l := range links {
			if need[l[0]] && !need[l[1]] {
				need[l[1]], changed = true, true
			}
		}
	}
	t, _ := exchange.Lookup("documents")
	col := func(name string) int { return slices.Index(t.Columns, name) }
	org, dir, issuer := col("org_id"), col("direction"), col("issuer_org_id")
	return func(v []string) bool {
		if own[v[0]] {
			return true
		}
		if !need[v[0]] {
			return false
		}
		v[org], v[dir], v[issuer] = sc.root, string(dangvu.DirIncoming), ""
		return true
	}
}

func (im *importer) documents() error {
	t := "documents"
	known, err := im.storedIDs(t, `SELECT id, date FROM documents`)
	if err != nil {
		return err
	}
	type link struct {
		row      int
		col, ref string
	}
	var links []link
	// A subtree's file carries the documents above it that it studies as its own incoming ones
	// (disDocumentScope); merged into a database that holds them, or carried by a scoped import,
	// the stored originals stay: checkReferences compared them (import_merge.go).
	above := im.refDocs
	err = im.load(t, tblDocuments, func(row int, rec exchange.Record) []any {
		id := im.key(t, row, rec)
		if above[id] {
			known[own(id)] = own(rec.Get("date"))
			return nil
		}
		org := im.id(t, row, rec, "org_id", true)
		date := im.date(t, row, rec, "date", true)
		im.orgRef(t, row, "org_id", org, "", "")
		dir := code(im, t, row, rec, "direction", dangvu.Directions, true)
		num, err := dangvu.ParseDocNumber(rec.Get("number"))
		if err != nil {
			im.bad(t, row, "number", "%s", dangvu.ErrorMessage(err))
		}
		if dir == dangvu.DirOwn && err == nil && date != "" {
			if v := im.disOrgAt(org, date); v != nil && v.IssuerCode != num.Issuer {
				im.bad(t, row, "number", "văn bản do %s ban hành phải mang mã %q, không phải %q", org, v.IssuerCode, num.Issuer)
			}
		}
		issuerOrg := im.id(t, row, rec, "issuer_org_id", false)
		im.orgRef(t, row, "issuer_org_id", issuerOrg, "", "")
		if dir == dangvu.DirOwn && issuerOrg == "" {
			issuerOrg = org
		}
		recv := im.date(t, row, rec, "received_on", false)
		if recv != "" && date != "" && recv < date {
			im.bad(t, row, "received_on", "ngày nhận %s trước ngày ký %s", vnDate(recv), vnDate(date))
		}
		sec := code(im, t, row, rec, "secrecy", dangvu.Secrecies, false)
		if sec == "" {
			sec = dangvu.SecrecyNone
		}
		for _, col := range []string{"implements_id", "reports_on_id"} {
			if ref := im.id(t, row, rec, col, false); ref != "" {
				links = append(links, link{row, col, ref})
			}
		}
		known[own(id)] = own(date)
		return []any{id, org, string(dir), num.String(), num.Seq, string(num.Kind), num.Issuer, issuerOrg, date, recv,
			im.text(t, row, rec, "title", true), rec.Get("file"), string(sec), rec.Get("implements_id"), rec.Get("reports_on_id")}
	})
	// Links may point to rows later in the file.
	for _, l := range links {
		if _, ok := known[l.ref]; !ok {
			im.bad(t, l.row, l.col, "không có văn bản mã %q", l.ref)
		}
	}
	if err != nil || len(im.errs) > 0 {
		return err
	}
	return im.duplicateNumbers()
}

// duplicateNumbers refuses two own documents of one organisation with the same number in one
// term (HD 36-HD/VPTW: numbers run per kind and per term; by calendar year without a term).
func (im *importer) duplicateNumbers() error {
	term := `COALESCE((SELECT max(t.start) FROM terms t WHERE t.org_id = d.org_id AND t.start <= d.date AND t."end" > d.date), substr(d.date, 1, 4))`
	rows, err := im.conn.QueryContext(im.ctx, `SELECT d.org_id, d.number, min(d.id), max(d.id) FROM documents d
		WHERE d.direction = 'own' GROUP BY d.org_id, d.number, `+term+` HAVING count(*) > 1 ORDER BY d.org_id, d.number`)
	if err != nil {
		return fmt.Errorf("store: documents: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var org, number, a, b string
		if err := rows.Scan(&org, &number, &a, &b); err != nil {
			return err
		}
		im.errs = append(im.errs, dangvu.FieldError{Table: im.r.Source("documents"), Field: "number",
			Reason: fmt.Sprintf("số %s của %s đã dùng cho hai văn bản trong cùng nhiệm kỳ (%s và %s)", number, org, a, b)})
	}
	return rows.Err()
}

// disOrgAt returns the version of an organisation in force on day, nil when none.
func (im *importer) disOrgAt(id, day string) *orgVersion {
	for i, v := range im.orgs[id] {
		if isoDate(day).Within(v.ValidFrom, v.ValidTo) {
			return &im.orgs[id][i]
		}
	}
	return nil
}

func (im *importer) docRef(table string, row int, col, id string) string {
	docs, _ := im.storedIDs("documents", `SELECT id, date FROM documents`)
	d, ok := docs[id]
	if id != "" && !ok {
		im.bad(table, row, col, "không có văn bản mã %q", id)
	}
	return d
}

func (im *importer) tasks() error {
	t := "tasks"
	known, err := im.storedIDs(t, `SELECT id, document_id FROM tasks`)
	if err != nil {
		return err
	}
	return im.load(t, tblTasks, func(row int, rec exchange.Record) []any {
		id := im.key(t, row, rec)
		doc := im.id(t, row, rec, "document_id", true)
		docDate := im.docRef(t, row, "document_id", doc)
		org, mem := im.id(t, row, rec, "assignee_org_id", false), im.id(t, row, rec, "assignee_member_id", false)
		im.orgRef(t, row, "assignee_org_id", org, "", "")
		im.memberRef(t, row, "assignee_member_id", mem)
		deadline := im.date(t, row, rec, "deadline", true)
		if deadline != "" && docDate != "" && deadline < docDate {
			im.bad(t, row, "deadline", "hạn %s trước ngày ban hành %s", vnDate(deadline), vnDate(docDate))
		}
		st := code(im, t, row, rec, "status", dangvu.TaskStatuses, true)
		done := im.date(t, row, rec, "done_on", false)
		if (st == dangvu.TaskDone) != (done != "") {
			im.bad(t, row, "done_on", "ngày hoàn thành ghi khi và chỉ khi trạng thái là done (hoàn thành)")
		}
		known[own(id)] = own(doc)
		return []any{id, doc, im.text(t, row, rec, "title", true), org, mem, im.assigneeName(t, row, rec, org, mem, docDate), deadline, string(st), done}
	})
}

// assigneeName is the task's assignee_name, or — as the API does — the name of its assignee
// organisation on the programme's date or of its assignee member when the column is empty: the
// docs give an organisation, a member or a name as three ways to name the assignee.
func (im *importer) assigneeName(t string, row int, rec exchange.Record, org, mem, docDate string) string {
	if name := strings.TrimSpace(rec.Get("assignee_name")); name != "" || org == "" && mem == "" {
		return im.text(t, row, rec, "assignee_name", true)
	}
	if vs := im.orgs[org]; len(vs) > 0 {
		name := vs[len(vs)-1].Name
		for _, v := range vs {
			if isoDate(docDate).Within(v.ValidFrom, v.ValidTo) {
				name = v.Name
			}
		}
		return name
	}
	var name string
	if mem != "" {
		if err := im.conn.QueryRowContext(im.ctx, `SELECT full_name FROM members WHERE id = ?`, mem).Scan(&name); err != nil && !errors.Is(err, sql.ErrNoRows) {
			im.bad(t, row, "assignee_member_id", "%s", err.Error())
		}
	}
	return name
}

func (im *importer) taskNotes() error {
	t := "task_notes"
	tasks, err := im.storedIDs("tasks", `SELECT id, document_id FROM tasks`)
	if err != nil {
		return err
	}
	return im.load(t, tblTaskNotes, func(row int, rec exchange.Record) []any {
		task := im.id(t, row, rec, "task_id", true)
		if _, ok := tasks[task]; task != "" && !ok {
			im.bad(t, row, "task_id", "không có nhiệm vụ mã %q", task)
		}
		return []any{task, im.date(t, row, rec, "date", true), string(code(im, t, row, rec, "status", dangvu.TaskStatuses, true)),
			im.text(t, row, rec, "note", true), rec.Get("evidence")}
	})
}

func (im *importer) conferences() error {
	t := "conferences"
	known, err := im.storedIDs(t, `SELECT id, date FROM conferences`)
	if err != nil {
		return err
	}
	stored := maps.Clone(known)
	refs, kept := im.knownIDs(refConferences), im.knownIDs(keptConferences)
	return im.load(t, tblConfs, func(row int, rec exchange.Record) []any {
		id := im.key(t, row, rec)
		date := im.date(t, row, rec, "date", true)
		org, scope := im.id(t, row, rec, "org_id", true), im.id(t, row, rec, "scope_org_id", false)
		if im.subtreeFile() && !im.fileOrgs[org] {
			// A reference (referenceConferences): another organisation's conference that the
			// subtree's members attended. A stored one is theirs and stays as it is, with its
			// documents and its sheet; one the database lacks is added whole.
			refs[own(id)] = "1"
			if _, ok := stored[id]; ok {
				kept[own(id)] = "1"
				return nil
			}
		}
		if scope == "" {
			scope = org
		}
		im.orgRef(t, row, "org_id", org, "", "")
		im.orgRef(t, row, "scope_org_id", scope, "", "")
		if date != "" && im.disOrgAt(org, date) == nil {
			im.bad(t, row, "org_id", "tổ chức %s không có hiệu lực ngày %s", org, vnDate(date))
		}
		end := im.date(t, row, rec, "end_date", false)
		if end != "" && date != "" && end < date {
			im.bad(t, row, "end_date", "ngày kết thúc %s trước ngày bắt đầu %s", vnDate(end), vnDate(date))
		}
		refl := 0
		switch rec.Get("reflection") {
		case "", "0", "không", "Không":
		case "1", "có", "Có":
			refl = 1
		default:
			im.bad(t, row, "reflection", "dùng 1 (có yêu cầu bài thu hoạch) hoặc 0")
		}
		known[own(id)] = own(date)
		return []any{id, string(code(im, t, row, rec, "kind", dangvu.ConferenceKinds, true)), org, scope, im.text(t, row, rec, "title", true),
			date, end, rec.Get("place"), rec.Get("presenter"), refl}
	})
}

func (im *importer) confRef(table string, row int, id string) string {
	confs, _ := im.storedIDs("conferences", `SELECT id, date FROM conferences`)
	d, ok := confs[id]
	if id != "" && !ok {
		im.bad(table, row, "conference_id", "không có hội nghị mã %q", id)
	}
	return d
}

func (im *importer) conferenceDocuments() error {
	t := "conference_documents"
	kept := im.knownIDs(keptConferences)
	return im.load(t, tblConfDocs, func(row int, rec exchange.Record) []any {
		c, d := im.id(t, row, rec, "conference_id", true), im.id(t, row, rec, "document_id", true)
		im.confRef(t, row, c)
		im.docRef(t, row, "document_id", d)
		if kept[c] != "" {
			return nil
		}
		return []any{c, d}
	})
}

func (im *importer) attendance() error {
	t := "attendance"
	kept := im.knownIDs(keptConferences)
	err := im.load(t, tblAttend, func(row int, rec exchange.Record) []any {
		c, m := im.id(t, row, rec, "conference_id", true), im.id(t, row, rec, "member_id", true)
		confDate := im.confRef(t, row, c)
		im.memberRef(t, row, "member_id", m)
		a := dangvu.Attendance{Status: dangvu.AttendanceStatus(rec.Get("status")), Reason: rec.Get("reason"), MadeUpOn: im.day(t, row, rec, "made_up_on", false)}
		if a.Status != "" && !dangvu.ValidCode(dangvu.AttendanceStatuses, a.Status) {
			a.Status = code(im, t, row, rec, "status", dangvu.AttendanceStatuses, true)
			if a.Status == "" {
				return nil
			}
		}
		for _, fe := range dangvu.CheckAttendance(a, isoDate(confDate)) {
			im.bad(t, row, fe.Field, "%s", fe.Reason)
		}
		if kept[c] != "" {
			return nil
		}
		return []any{c, m, string(a.Status), a.Reason, a.MadeUpOn}
	})
	if err != nil || len(im.errs) > 0 {
		return err
	}
	return im.attendanceInScope()
}

// attendanceInScope refuses lines of members who were not expected: not in the conference's scope
// (its organisation subtree as the tree stood that day), or exempt, on the conference's date —
// nor, for a make-up, on the make-up date. The roster is not built yet during an import, so the
// check reads memberships, statuses and paths as the roster would. The lines of a subtree's
// reference conferences are not checked: they were checked where they were recorded, and the file
// lacks the memberships outside the subtree that put a member in the scope then.
func (im *importer) attendanceInScope() error {
	expected := func(day string) string {
		return `EXISTS (SELECT 1 FROM memberships m
			JOIN org_paths p ON p.org_id = m.org_id AND ` + onDay.covers("p", day) + `
			WHERE m.member_id = a.member_id AND m.kind = 'official' AND ` + onDay.covers("m", day) + `
			AND ` + onDay.underOrg("p.path", "c.scope_org_id", day, false) + `
			AND (SELECT st.status FROM member_statuses st WHERE st.member_id = a.member_id AND st.valid_from <= ` + day + `
				ORDER BY st.valid_from DESC LIMIT 1) IN ('probationary', 'full'))`
	}
	rows, err := im.conn.QueryContext(im.ctx, `SELECT a.conference_id, a.member_id, c.date, a.made_up_on FROM attendance a
		JOIN conferences c ON c.id = a.conference_id
		WHERE NOT `+expected("c.date")+` AND NOT (a.status = 'made_up' AND `+expected("a.made_up_on")+`)
		ORDER BY a.conference_id, a.member_id`)
	if err != nil {
		return fmt.Errorf("store: attendance: %w", err)
	}
	defer rows.Close()
	refs := im.knownIDs(refConferences)
	for n := 0; n < 100 && rows.Next(); {
		var conf, member, day, madeUp string
		if err := rows.Scan(&conf, &member, &day, &madeUp); err != nil {
			return err
		}
		if refs[conf] != "" {
			continue
		}
		n++
		im.errs = append(im.errs, dangvu.FieldError{Table: im.r.Source("attendance"), Field: "member_id",
			Reason: fmt.Sprintf("hội nghị %s: đảng viên %s không thuộc phạm vi hội nghị vào ngày %s (hoặc được miễn sinh hoạt)", conf, member, vnDate(day))})
	}
	return rows.Err()
}

func (im *importer) reflections() error {
	t := "reflections"
	return im.load(t, tblReflect, func(row int, rec exchange.Record) []any {
		id := im.key(t, row, rec)
		m, d, c := im.id(t, row, rec, "member_id", true), im.id(t, row, rec, "document_id", true), im.id(t, row, rec, "conference_id", false)
		im.memberRef(t, row, "member_id", m)
		im.docRef(t, row, "document_id", d)
		if c != "" {
			im.confRef(t, row, c)
		}
		return []any{id, m, d, c, im.date(t, row, rec, "date", true), im.text(t, row, rec, "text", true)}
	})
}
