package store

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/vn"
)

// An export holds what its reader may read through the pages, no more (docs/security.md): the
// tables of the domains whose right the role holds, no secret document (nor its tasks, its
// number in a link or its conferences' copies) for a role without ActReadSecret, and the
// sensitive member fields masked as the member pages mask them unless the reader asked to
// reveal them and may.

// SensitiveFields are the member fields masked unless revealed (domain.md §3), in the member
// pages, the API and exports alike.
var SensitiveFields = []string{"id_number", "phone", "residence"}

// MaskSensitive returns the masked form of a sensitive member field, keeping enough of it to
// recognise a record: the last three characters of an identity number or a phone number.
func MaskSensitive(field, v string) string {
	switch field {
	case "id_number":
		if v != "" {
			return vn.MaskIDNumber(v)
		}
	case "phone":
		if n := len(v); n > 3 {
			return strings.Repeat("*", n-3) + v[n-3:]
		}
	case "residence":
		if v != "" {
			return "(đã ẩn)"
		}
	}
	return v
}

// exportReadable reports whether role may have table's rows in an export.
func (s *Store) exportReadable(role dangvu.UserRole, table string) bool {
	// A domain table needs the action of its binding (domainTable.read); the core tables
	// (organisations, members and their history, posts) need only ActRead. An empty action means
	// no page shows the rows to anyone but their own member (a member's reflections): only an
	// administrator's export carries them.
	a := dangvu.ActRead
	if d, ok := s.boundTable(table); ok {
		a = d.read
	}
	if role == dangvu.UserAdmin {
		return true
	}
	return a != "" && role.Can(a)
}

// ExportRequest says what to export and for whom.
type ExportRequest struct {
	OrgID  string          // the subtree; "" for everything
	AsOf   time.Time       // the day whose subtree decides whose personal data may be revealed
	Role   dangvu.UserRole // the reader's role: its rights choose tables and secret documents
	Reveal bool            // write the sensitive member fields in clear (needs ActRevealSensitive)
}

// ExportSummary is what an export wrote, for the audit log and the reader.
type ExportSummary struct {
	Rows          map[string]int `json:"rows"`
	Omitted       []string       `json:"omitted_tables,omitempty"`  // the role lacks their right
	Masked        []string       `json:"masked_fields,omitempty"`   // written masked
	Revealed      []string       `json:"revealed_fields,omitempty"` // written in clear
	RevealedCount int            `json:"revealed_members,omitempty"`
	SecretOmitted int            `json:"secret_documents_omitted,omitempty"`
}

// ExportFor writes the part of the data set that req's reader may read: the subtree of
// ExportUnder, less the tables of domains the role has no right to, less secret documents for a
// role that may not read them, with the sensitive member fields masked unless revealed. Revealed
// are only the members in the subtree on req.AsOf (as the member page reveals them); members who
// belonged to it only earlier stay masked.
func (s *Store) ExportFor(ctx context.Context, w exchange.Writer, req ExportRequest) (ExportSummary, error) {
	if req.Role == "" {
		return ExportSummary{}, fmt.Errorf("store: export: no reader's role")
	}
	if req.Reveal && !req.Role.Can(dangvu.ActRevealSensitive) {
		return ExportSummary{}, dangvu.Errorf(dangvu.EForbidden, "Vai trò của bạn không được xem số định danh, điện thoại, nơi ở của đảng viên.")
	}
	return s.exportSubset(ctx, w, req, false)
}

// exportSubset writes req's subtree; unless full, with the access rules of ExportFor.
func (s *Store) exportSubset(ctx context.Context, w exchange.Writer, req ExportRequest, full bool) (ExportSummary, error) {
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return ExportSummary{}, fmt.Errorf("store: export: %w", err)
	}
	defer tx.Rollback()
	sum := ExportSummary{Rows: map[string]int{}}
	var keep map[string]func([]string) bool
	var sc *exportScope
	if req.OrgID != "" {
		if keep, sc, err = s.scopeFilters(ctx, tx, req.OrgID); err != nil {
			return sum, err
		}
		// The members living in the subtree's residential cells (residence links) whose own cell
		// is elsewhere: their records go with the links, as the far ends of them.
		links, err := sc.pairs(`SELECT member_id, cell_id FROM residence_links`)
		if err != nil {
			return sum, err
		}
		for _, l := range links {
			if sc.orgs[l[1]] {
				sc.members[l[0]] = true
			}
		}
	}
	access := map[string]func([]string) bool{}
	if !full {
		if access, err = s.exportAccess(ctx, tx, req, &sum, sc); err != nil {
			return sum, err
		}
	}
	var refs *stubRefs
	var written map[string]bool // the members written, when the reader's access may drop some
	if sc != nil {
		refs = newStubRefs(sc.orgs)
		if !full {
			written = map[string]bool{}
			sc.written = written
		}
	}
	for _, t := range exchange.Tables() {
		if t.Name == stubTable {
			continue // written last, once every row has named what it refers to
		}
		if !full && !s.exportReadable(req.Role, t.Name) {
			sum.Omitted = append(sum.Omitted, t.Name)
			sum.Rows[t.Name] = 0
			continue
		}
		var filter func([]string) bool
		if keep != nil {
			filter = keep[t.Name]
			if d, ok := s.boundTable(t.Name); ok && d.scope != nil {
				filter = d.scope(sc)
			}
			if sc.err != nil {
				return sum, sc.err
			}
			if filter == nil {
				return sum, fmt.Errorf("store: export: no scope filter for table %s", t.Name)
			}
		}
		acc := access[t.Name]
		var ids map[string]bool
		if sc != nil {
			ids = sc.keptIDs(t.Name)
		}
		// A member the reader's pages never show there (a member of a cell from before it came
		// into the subtree) is not written: neither are the rows that are theirs, and a row that
		// only names them (a post's holder, an admission file's member) names them no more, so
		// that the file still imports alone.
		mcol, optional := -1, false
		if written != nil && t.Name != "members" {
			if mcol = slices.Index(t.Columns, "member_id"); mcol >= 0 {
				optional = t.Name == "posts" || t.Name == "admission_files"
			}
		}
		var k func([]string) bool
		if filter != nil || acc != nil {
			k = func(v []string) bool {
				if filter != nil && !filter(v) || acc != nil && !acc(v) {
					return false
				}
				if mcol >= 0 && v[mcol] != "" && !written[v[mcol]] {
					if !optional {
						return false
					}
					v[mcol] = ""
				}
				if written != nil && t.Name == "members" {
					written[v[0]] = true
				}
				if ids != nil {
					ids[v[0]] = true
				}
				if refs != nil {
					refs.see(t, v)
				}
				return true
			}
		}
		n, err := s.exportTable(ctx, tx, w, t, k, nil)
		if err != nil {
			return sum, err
		}
		sum.Rows[t.Name] = n
	}
	sum.Rows[stubTable] = 0
	if sc != nil {
		n, err := s.writeStubs(ctx, tx, w, sc, refs)
		if err != nil {
			return sum, err
		}
		sum.Rows[stubTable] = n
	}
	return sum, nil
}

// exportAccess returns, per table, the filter that applies req's reader's rights to a row in the
// table's column order (dropping it, or blanking or masking some of its values in place). sc is
// the subtree's scope (nil for the whole tree).
func (s *Store) exportAccess(ctx context.Context, tx *dbTx, req ExportRequest, sum *ExportSummary, sc *exportScope) (map[string]func([]string) bool, error) {
	out := map[string]func([]string) bool{}
	col := func(table, name string) int {
		t, _ := exchange.Lookup(table)
		return slices.Index(t.Columns, name)
	}
	if req.Reveal {
		sum.Revealed = SensitiveFields
	} else {
		sum.Masked = SensitiveFields
	}
	// until is how much of a member's record the pages show the reader (memberScope).
	// orgUntil is the same for an organisation (OrgSeenUntil).
	until := func(string) string { return dangvu.ForeverISO }
	orgUntil := until
	if sc != nil {
		ms, err := s.memberScope(ctx, tx, req.OrgID, sc.members)
		if err != nil {
			return nil, err
		}
		today := dateArg(req.AsOf)
		until = func(m string) string { return ms.seenUntil(m, today) }
		orgUntil = func(o string) string { return ms.orgSeenUntil(o, today) }
	}
	fields := make([]int, len(SensitiveFields))
	for i, f := range SensitiveFields {
		fields[i] = col("members", f)
	}
	t, _ := exchange.Lookup("members")
	kept := map[int]bool{} // the columns a member's record as it was then keeps (dangvu.Member.Then)
	for _, c := range []string{"id", "full_name", "other_names", "gender", "birth_date", "ethnicity", "religion", "hometown"} {
		kept[slices.Index(t.Columns, c)] = true
	}
	admitted, full := col("members", "admitted_on"), col("members", "full_on")
	out["members"] = func(v []string) bool {
		switch day := until(v[0]); day {
		case "":
			return false
		case dangvu.ForeverISO:
			if req.Reveal {
				sum.RevealedCount++
				return true
			}
			for i, c := range fields {
				v[c] = MaskSensitive(SensitiveFields[i], v[c])
			}
		default:
			// A member who has left the subtree: as they were then, without today's personal data.
			for c := range v {
				if !kept[c] && !(c == admitted || c == full) || (c == admitted || c == full) && v[c] >= day {
					v[c] = ""
				}
			}
		}
		return true
	}
	// A member's (an organisation's) dated records: only those from before the day they left
	// the subtree, running up to it.
	dated := func(table, member, date, end string) {
		until := until
		if member != "member_id" {
			until = orgUntil
		}
		m, d, e := col(table, member), col(table, date), -1
		if end != "" {
			e = col(table, end)
		}
		prev := out[table]
		out[table] = func(v []string) bool {
			if prev != nil && !prev(v) {
				return false
			}
			if v[m] == "" {
				return true
			}
			day := until(v[m])
			if day == "" || day != dangvu.ForeverISO && v[d] >= day {
				return false
			}
			if e >= 0 && day != dangvu.ForeverISO && (v[e] == "" || v[e] > day) {
				v[e] = day
			}
			return true
		}
	}
	dated("member_statuses", "member_id", "valid_from", "")
	dated("memberships", "member_id", "valid_from", "valid_to")
	dated("movements", "member_id", "date", "")
	dated("life_acts", "member_id", "date", "")
	dated("disciplines", "member_id", "decided_on", "")
	dated("organisations", "id", "valid_from", "valid_to")
	dated("terms", "org_id", "start", "end")
	dated("localities", "cell_id", "valid_from", "valid_to")
	dated("units", "org_id", "valid_from", "valid_to")
	dated("posts", "org_id", "valid_from", "valid_to")
	dated("conferences", "org_id", "date", "")
	if sc != nil {
		// A conference outside the subtree that its members attended is written as a reference
		// (referenceConferences): the pages show it on those members' study records.
		own, refs := out["conferences"], sc.keptIDs(refConferences)
		out["conferences"] = func(v []string) bool { return refs[v[0]] || own(v) }
	}
	dated("inspection_rounds", "org_id", "decided_on", "")
	if dangvu.SecrecySecret.ReadableBy(req.Role) {
		return out, nil
	}
	// Secret documents: neither the documents nor their tasks, notes, conference copies or
	// reflections, nor a link to them from a document that is kept.
	rows, err := tx.QueryContext(ctx, `SELECT id, secrecy FROM documents`)
	if err != nil {
		return nil, fmt.Errorf("store: export: %w", err)
	}
	secret := map[string]bool{}
	for rows.Next() {
		var id, level string
		if err := rows.Scan(&id, &level); err != nil {
			rows.Close()
			return nil, err
		}
		if !dangvu.Secrecy(level).ReadableBy(req.Role) {
			secret[id] = true
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	links := []int{col("documents", "implements_id"), col("documents", "reports_on_id")}
	out["documents"] = func(v []string) bool {
		if secret[v[0]] {
			sum.SecretOmitted++
			return false
		}
		for _, c := range links {
			if secret[v[c]] {
				v[c] = ""
			}
		}
		return true
	}
	droppedTasks := map[string]bool{}
	taskDoc := col("tasks", "document_id")
	out["tasks"] = func(v []string) bool {
		if secret[v[taskDoc]] {
			droppedTasks[v[0]] = true
			return false
		}
		return true
	}
	out["task_notes"] = func(v []string) bool { return !droppedTasks[v[0]] }
	for _, t := range []string{"conference_documents", "reflections"} {
		c := col(t, "document_id")
		out[t] = func(v []string) bool { return !secret[v[c]] }
	}
	return out, nil
}

// memberScope answers, for the members an export may write, until when the member page shows
// each to a user of the exported subtree (store.MemberSeenUntil), computed in memory from the
// official memberships and the organisations' path segments: dangvu.ForeverISO for a member in
// the subtree today (the whole record), the day a member who has left it since left it (the
// record as it was before that day: dangvu.Member.Then, MemberHistory.Before), "" for one the
// pages never show there.
type memberScope struct {
	root  string                 // the exported organisation
	paths map[string][][2]string // organisation → (valid_from, path), by valid_from
	ships map[string][][2]string // member → official (valid_from, org_id), by valid_from
	ends  map[string][]string    // member → the valid_to of their official memberships
	until map[string]string
}

func (s *Store) memberScope(ctx context.Context, tx *dbTx, orgID string, members map[string]bool) (*memberScope, error) {
	ms := &memberScope{root: orgID, paths: map[string][][2]string{}, ships: map[string][][2]string{}, ends: map[string][]string{}, until: map[string]string{}}
	rows, err := tx.QueryContext(ctx, `SELECT org_id, valid_from, path FROM org_paths ORDER BY org_id, valid_from`)
	if err != nil {
		return nil, fmt.Errorf("store: export scope: %w", err)
	}
	for rows.Next() {
		var org, from, p string
		if err := rows.Scan(&org, &from, &p); err != nil {
			rows.Close()
			return nil, err
		}
		ms.paths[org] = append(ms.paths[org], [2]string{from, p})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.QueryContext(ctx, `SELECT member_id, org_id, valid_from, valid_to FROM memberships WHERE kind = 'official' ORDER BY member_id, valid_from`)
	if err != nil {
		return nil, fmt.Errorf("store: export scope: %w", err)
	}
	for rows.Next() {
		var m, org, from, to string
		if err := rows.Scan(&m, &org, &from, &to); err != nil {
			rows.Close()
			return nil, err
		}
		if members[m] {
			ms.ships[m] = append(ms.ships[m], [2]string{from, org})
			ms.ends[m] = append(ms.ends[m], to)
		}
	}
	rows.Close()
	return ms, rows.Err()
}

// pathNear is store.pathNear in memory: the organisation's path on day, else its last before,
// else (orFirst) its first.
func (ms *memberScope) pathNear(org, day string, orFirst bool) string {
	p := ""
	for i, seg := range ms.paths[org] {
		if seg[0] <= day || (orFirst && i == 0) {
			p = seg[1]
		}
	}
	return p
}

// in is store.MemberInScope in memory for a user of the exported subtree.
func (ms *memberScope) in(member, day string) bool {
	root := ms.pathNear(ms.root, day, false)
	org := ""
	for i, sh := range ms.ships[member] {
		if sh[0] <= day || i == 0 {
			org = sh[1]
		}
	}
	p := ms.pathNear(org, day, true)
	return root != "" && p != "" && strings.HasPrefix(p, root)
}

// orgIn is store.InScope in memory for a user of the exported subtree.
func (ms *memberScope) orgIn(org, day string) bool {
	root, p := ms.pathNear(ms.root, day, false), ms.pathNear(org, day, true)
	return root != "" && p != "" && strings.HasPrefix(p, root)
}

// orgSeenUntil is store.OrgSeenUntil's answer in memory, as seenUntil is for members:
// dangvu.ForeverISO for an organisation in the subtree today, the day one that has left it since
// left it, "" for one never in it.
func (ms *memberScope) orgSeenUntil(org, today string) string {
	key := "\x00" + org
	if u, ok := ms.until[key]; ok {
		return u
	}
	var days []string
	for _, seg := range ms.paths[org] {
		days = append(days, seg[0])
	}
	for _, seg := range ms.paths[ms.root] {
		days = append(days, seg[0])
	}
	u := lastSeen(days, today, func(d string) bool { return ms.orgIn(org, d) })
	ms.until[key] = u
	return u
}

// lastSeen is dangvu.ForeverISO when in(today); otherwise the first of days after the last day of
// days on which in holds where it no longer does (today when none), "" when it never holds.
// Between two of days in must not change.
func lastSeen(days []string, today string, in func(string) bool) string {
	if in(today) {
		return dangvu.ForeverISO
	}
	var order []string
	for _, d := range days {
		if d < today {
			order = append(order, d)
		}
	}
	sort.Strings(order)
	order = slices.Compact(order)
	lastIn := -1
	for i, d := range order {
		if in(d) {
			lastIn = i
		}
	}
	if lastIn < 0 {
		return ""
	}
	for _, d := range order[lastIn+1:] {
		if !in(d) {
			return d
		}
	}
	return today
}

// seenUntil is the member's answer (see memberScope) as of today: the scope changes only on the
// days a membership starts or ends or a path segment of the member's organisations or of the
// exported organisation starts, so those days are tried in order.
func (ms *memberScope) seenUntil(member, today string) string {
	if u, ok := ms.until[member]; ok {
		return u
	}
	var days []string
	for i, sh := range ms.ships[member] {
		days = append(days, sh[0], ms.ends[member][i])
		for _, seg := range ms.paths[sh[1]] {
			days = append(days, seg[0])
		}
	}
	for _, seg := range ms.paths[ms.root] {
		days = append(days, seg[0])
	}
	u := lastSeen(days, today, func(d string) bool { return ms.in(member, d) })
	ms.until[member] = u
	return u
}

// LogExport writes an export to the audit log in one transaction: who, which subtree ("*" for
// everything), as of which date, which tables with how many rows, which were left out and why,
// and whether personal data was revealed. A revealing export is also logged as a reveal.
func (s *Store) LogExport(ctx context.Context, actor string, req ExportRequest, sum ExportSummary) error {
	scope := req.OrgID
	if scope == "" {
		scope = "*"
	}
	omitted := append([]string(nil), sum.Omitted...)
	sort.Strings(omitted)
	detail := map[string]any{"org_id": req.OrgID, "as_of": dateArg(req.AsOf), "role": req.Role, "rows": sum.Rows,
		"omitted_tables": omitted, "secret_documents_omitted": sum.SecretOmitted, "revealed": req.Reveal}
	if req.Reveal {
		detail["revealed_fields"], detail["revealed_members"] = sum.Revealed, sum.RevealedCount
	} else {
		detail["masked_fields"] = sum.Masked
	}
	return s.tx(ctx, func(tx *dbTx) error {
		if err := s.audit(ctx, tx, actor, "export", "dataset", scope, nil, detail); err != nil {
			return err
		}
		if !req.Reveal {
			return nil
		}
		return s.audit(ctx, tx, actor, "reveal", "dataset", scope, nil, map[string]any{"fields": sum.Revealed, "members": sum.RevealedCount, "via": "export"})
	})
}
