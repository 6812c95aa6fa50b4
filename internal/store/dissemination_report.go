package store

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/vn"
)

// Coverage of documents in an organisation's subtree as of a date (docs/dissemination.md):
//
//	in scope = members in the subtree on asOf (roster), probationary or full (exempt excluded)
//	reached  = those of them with a line "present" at a conference that studied the document
//	           and was held on or before asOf, or "made_up" with a make-up date on or before
//	           asOf — at any conference, wherever the member was then
//	pct      = 100 × reached ÷ in scope, two decimals
//
// With several documents the pairs (member, document) are pooled; a document is its number, so a
// line at a conference that studied another register's copy reaches the member too (issue 14:
// without --document only the copies studied in the subtree were looked for). Each member counts in the
// organisation they belong to on asOf, so a member who moved between two conferences counts
// once, where they are now, and as reached if they studied in either place.
func (s *Store) Coverage(ctx context.Context, orgID string, documentIDs []string, asOf time.Time, listNotReached bool) (dangvu.Coverage, error) {
	org, err := s.ResolveOrg(ctx, orgID, asOf)
	if err != nil {
		return dangvu.Coverage{}, err
	}
	d := dateArg(asOf)
	cov := dangvu.Coverage{OrgID: org.ID, OrgName: org.Name, AsOf: isoDate(d), Documents: []string{}}
	// Copies of one document in several registers (each ward registers the resolution) are one
	// document: coverage counts (member, number) pairs.
	for _, id := range documentIDs {
		doc, err := s.Document(ctx, id)
		if err != nil {
			return cov, err
		}
		if !slices.Contains(cov.Documents, doc.Number) {
			cov.Documents = append(cov.Documents, doc.Number)
		}
	}
	if len(documentIDs) == 0 {
		return cov, nil
	}
	lo, hi := subtreeRange(org.Path)
	type mem struct{ id, name, org, path string }
	var members []mem
	rows, err := s.read.QueryContext(ctx, `SELECT r.member_id, m.full_name, r.org_id, r.path FROM roster r JOIN members m ON m.id = r.member_id
		WHERE r.path >= ? AND r.path < ? AND r.valid_from <= ? AND r.valid_to > ? AND r.status IN ('probationary', 'full')
		ORDER BY r.path, m.name_key, m.id`, lo, hi, d, d)
	if err != nil {
		return cov, fmt.Errorf("store: coverage: %w", err)
	}
	for rows.Next() {
		var m mem
		if err := rows.Scan(&m.id, &m.name, &m.org, &m.path); err != nil {
			rows.Close()
			return cov, err
		}
		members = append(members, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return cov, err
	}
	// The (member, document) pairs studied by asOf, for the members in scope.
	args := []any{lo, hi, d, d}
	for _, id := range documentIDs {
		args = append(args, id)
	}
	args = append(args, d, d)
	rows, err = s.read.QueryContext(ctx, `SELECT DISTINCT a.member_id, doc.number
		FROM roster r JOIN attendance a ON a.member_id = r.member_id
		JOIN conferences c ON c.id = a.conference_id
		JOIN conference_documents cd ON cd.conference_id = c.id
		JOIN documents doc ON doc.id = cd.document_id
		WHERE r.path >= ? AND r.path < ? AND r.valid_from <= ? AND r.valid_to > ? AND r.status IN ('probationary', 'full')
		AND doc.number IN (SELECT number FROM documents WHERE id IN (`+disPlaceholders(len(documentIDs))+`))
		AND ((a.status = 'present' AND c.date <= ?) OR (a.status = 'made_up' AND a.made_up_on <> '' AND a.made_up_on <= ?))`, args...)
	if err != nil {
		return cov, fmt.Errorf("store: coverage: %w", err)
	}
	studied := map[[2]string]bool{}
	for rows.Next() {
		var m, number string
		if err := rows.Scan(&m, &number); err != nil {
			rows.Close()
			return cov, err
		}
		studied[[2]string{m, number}] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return cov, err
	}
	children := map[string]*dangvu.Coverage{}
	var order []string
	for _, m := range members {
		child := org.ID
		if rest := strings.TrimPrefix(m.path, org.Path); rest != "" {
			child = rest[:strings.IndexByte(rest, '/')]
		}
		c := children[child]
		if c == nil {
			c = &dangvu.Coverage{OrgID: child, AsOf: isoDate(d)}
			children[child] = c
			order = append(order, child)
		}
		for _, number := range cov.Documents {
			cov.InScope++
			c.InScope++
			if studied[[2]string{m.id, number}] {
				cov.Reached++
				c.Reached++
			} else if listNotReached {
				cov.NotReached = append(cov.NotReached, dangvu.CoverageMember{MemberID: m.id, Name: m.name, OrgID: m.org, Document: number})
			}
		}
	}
	cov.Pct = disPct(cov.Reached, cov.InScope)
	names, err := s.disOrgNames(ctx, append(order, disNotReachedOrgs(cov.NotReached)...), d)
	if err != nil {
		return cov, err
	}
	for _, id := range order {
		c := children[id]
		c.OrgName, c.Pct = names[id], disPct(c.Reached, c.InScope)
		cov.Children = append(cov.Children, *c)
	}
	sort.SliceStable(cov.Children, func(i, j int) bool {
		return vn.CompareNames(cov.Children[i].OrgName, cov.Children[j].OrgName) < 0
	})
	for i := range cov.NotReached {
		cov.NotReached[i].OrgName = names[cov.NotReached[i].OrgID]
	}
	return cov, nil
}

func disNotReachedOrgs(list []dangvu.CoverageMember) []string {
	var out []string
	for _, m := range list {
		out = append(out, m.OrgID)
	}
	return out
}

func disPct(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return math.Round(10000*float64(n)/float64(of)) / 100
}

// disOrgNames returns the names of organisations as of a date (ISO).
func (s *Store) disOrgNames(ctx context.Context, ids []string, d string) (map[string]string, error) {
	day, err := dangvu.ParseISODate(d)
	if err != nil {
		return nil, fmt.Errorf("store: org names: %w", err)
	}
	uniq := map[string]bool{}
	var list []string
	for _, id := range ids {
		if !uniq[id] {
			uniq[id] = true
			list = append(list, id)
		}
	}
	return s.orgNames(ctx, list, day)
}

// reportDocs returns the documents the dissemination figures are about: with q.Document, those
// with that number; otherwise the documents studied at conferences held in the period by the
// organisation or below it.
func (s *Store) reportDocs(ctx context.Context, rc *reportCtx) ([]string, error) {
	if rc.q.Document != "" {
		all, err := s.DocumentsByNumber(ctx, rc.q.Document)
		if err != nil {
			return nil, err
		}
		// A secret document is unknown to a reader who may not read it, as on its page.
		var ids []string
		for _, id := range all {
			d, err := s.Document(ctx, id)
			if err != nil {
				return nil, err
			}
			if d.Secrecy.Readable(rc.q.Secret) {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			return nil, dangvu.Errorf(dangvu.ENotFound, "không có văn bản số %q trong sổ văn bản", rc.q.Document)
		}
		return ids, nil
	}
	under, uargs := rc.under("p.path", "c.date", false)
	ids, err := column(ctx, s.read, `SELECT DISTINCT cd.document_id FROM conferences c
		JOIN conference_documents cd ON cd.conference_id = c.id
		JOIN org_paths p ON p.org_id = c.org_id AND `+onDay.covers("p", "c.date")+`
		WHERE c.kind = 'conference' AND c.date >= ? AND c.date <= ? AND `+under+`
		ORDER BY cd.document_id`, append([]any{rc.from, rc.to}, uargs...)...)
	if err != nil {
		return nil, fmt.Errorf("store: report: documents: %w", err)
	}
	return ids, nil
}

// disDocFilter restricts a query on documents (alias d) or conferences (alias c) to the report's
// document, when it has one.
func disDocFilter(rc *reportCtx, ids []string, col string) (string, []any) {
	if rc.q.Document == "" {
		return "", nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return ` AND ` + col + ` IN (` + disPlaceholders(len(ids)) + `)`, args
}

func (s *Store) programmeRows(ctx context.Context, rc *reportCtx, ids []string) ([]dangvu.Document, error) {
	where, args := disDocFilter(rc, ids, "d.implements_id")
	rows, err := s.read.QueryContext(ctx, `SELECT `+docCols+` FROM documents d
		WHERE d.org_id = ? AND d.direction = 'own' AND d.kind IN ('CTr', 'KH') AND d.date >= ? AND d.date <= ?`+where+` ORDER BY d.date, d.id`,
		append([]any{rc.org.ID, rc.from, rc.to}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("store: report: programmes: %w", err)
	}
	defer rows.Close()
	var out []dangvu.Document
	for rows.Next() {
		d, err := scanDoc(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// conferencesOf selects the study conferences of the period organised by the organisation
// itself (own) or by organisations under it as the tree stood on each conference's date
// (!own), from FROM on, with its arguments.
func conferencesOf(rc *reportCtx, ids []string, own bool) (string, []any) {
	where, args := disDocFilter(rc, ids, "cd.document_id")
	if where != "" {
		where = ` AND EXISTS (SELECT 1 FROM conference_documents cd WHERE cd.conference_id = c.id` + where + `)`
	}
	if own {
		return ` FROM conferences c WHERE c.kind = 'conference' AND c.org_id = ? AND c.date >= ? AND c.date <= ?` + where,
			append([]any{rc.org.ID, rc.from, rc.to}, args...)
	}
	under, uargs := rc.under("p.path", "c.date", true)
	return ` FROM conferences c
			JOIN org_paths p ON p.org_id = c.org_id AND ` + onDay.covers("p", "c.date") + `
			WHERE c.kind = 'conference' AND c.date >= ? AND c.date <= ?
			AND ` + under + where, append(append([]any{rc.from, rc.to}, uargs...), args...)
}

// conferenceRows lists conferencesOf's conferences by date.
func (s *Store) conferenceRows(ctx context.Context, rc *reportCtx, ids []string, own bool) ([]dangvu.Conference, error) {
	q, a := conferencesOf(rc, ids, own)
	rows, err := s.read.QueryContext(ctx, `SELECT `+confCols+q+` ORDER BY c.date, c.id`, a...)
	if err != nil {
		return nil, fmt.Errorf("store: report: conferences: %w", err)
	}
	defer rows.Close()
	var out []dangvu.Conference
	for rows.Next() {
		c, err := scanConf(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// conferenceCount counts conferencesOf's conferences (the root's were read with their names and
// sorted to be counted: 0,3 s at a million members).
func (s *Store) conferenceCount(ctx context.Context, rc *reportCtx, ids []string, own bool) (int, error) {
	q, a := conferencesOf(rc, ids, own)
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*)`+q, a...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: report: conferences: %w", err)
	}
	return n, nil
}

// disseminationSection adds the figures of docs/dissemination.md.
func disseminationSection(ctx context.Context, s *Store, rc *reportCtx, r *dangvu.Report) error {
	ids, err := s.reportDocs(ctx, rc)
	if err != nil {
		return err
	}
	progs, err := s.programmeRows(ctx, rc, ids)
	if err != nil {
		return err
	}
	own, err := s.conferenceCount(ctx, rc, ids, true)
	if err != nil {
		return err
	}
	below, err := s.conferenceCount(ctx, rc, ids, false)
	if err != nil {
		return err
	}
	cov, err := s.coverageCounts(ctx, rc.org, ids, rc.asOf)
	if err != nil {
		return err
	}
	r.Set("action_programmes", "Chương trình hành động, kế hoạch do cấp ủy ban hành", len(progs))
	r.Set("conferences_at_org_level", "Hội nghị học tập, quán triệt do cấp ủy tổ chức", own)
	r.Set("conferences_grassroots", "Hội nghị học tập, quán triệt do cấp dưới tổ chức", below)
	r.Set("study_members_in_scope", "Đảng viên phải học tập (lượt đảng viên × văn bản)", cov.InScope)
	r.Set("study_members_not_reached", "Lượt đảng viên chưa được học tập", cov.InScope-cov.Reached)
	r.Set("study_coverage_pct", "Tỷ lệ đảng viên được học tập, quán triệt (%)", cov.Pct)
	return nil
}

func drillProgrammes(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error) {
	ids, err := s.reportDocs(ctx, rc)
	if err != nil {
		return nil, err
	}
	progs, err := s.programmeRows(ctx, rc, ids)
	if err != nil {
		return nil, err
	}
	l := &dangvu.ReportList{Title: "Chương trình hành động, kế hoạch", Columns: []string{"Số, ký hiệu", "Ngày", "Trích yếu"}, Rows: [][]string{}}
	for _, d := range progs {
		// A secret programme counts in the figure; a reader who may not read it sees only that.
		if !d.Secrecy.Readable(rc.q.Secret) {
			l.Rows = append(l.Rows, []string{dangvu.SecretMark, vnDate(d.Date), ""})
			l.Links = append(l.Links, "")
			continue
		}
		l.Rows = append(l.Rows, []string{d.Number, vnDate(d.Date), d.Title})
		l.Links = append(l.Links, "/programmes/"+d.ID)
	}
	return l, nil
}

func drillConferences(own bool) reportDrill {
	return func(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error) {
		ids, err := s.reportDocs(ctx, rc)
		if err != nil {
			return nil, err
		}
		confs, err := s.conferenceRows(ctx, rc, ids, own)
		if err != nil {
			return nil, err
		}
		title := "Hội nghị do cấp ủy tổ chức"
		if !own {
			title = "Hội nghị do cấp dưới tổ chức"
		}
		l := &dangvu.ReportList{Title: title, Columns: []string{"Ngày", "Đơn vị tổ chức", "Nội dung", "Địa điểm"}, Rows: [][]string{}}
		for _, c := range confs {
			l.Rows = append(l.Rows, []string{vnDate(c.Date), c.OrgName, c.Title, c.Place})
			l.Links = append(l.Links, "/conferences/"+c.ID)
		}
		return l, nil
	}
}

func drillNotReached(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error) {
	ids, err := s.reportDocs(ctx, rc)
	if err != nil {
		return nil, err
	}
	cov, err := s.Coverage(ctx, rc.org.ID, ids, rc.q.AsOf, true)
	if err != nil {
		return nil, err
	}
	if err := s.hideSecretNumbers(ctx, &cov, ids, rc.q.Secret); err != nil {
		return nil, err
	}
	l := &dangvu.ReportList{Title: "Đảng viên chưa được học tập", Columns: []string{"Họ và tên", "Chi bộ", "Văn bản"}, Rows: [][]string{}}
	for _, m := range cov.NotReached {
		l.Rows = append(l.Rows, []string{m.Name, m.OrgName, m.Document})
		l.Links = append(l.Links, "/members/"+m.MemberID)
	}
	return l, nil
}

// taskAttention lists the tasks of programmes registered in the organisation's subtree, or
// assigned to an organisation in it, that are overdue on asOf or due within soon days.
func taskAttention(ctx context.Context, s *Store, org dangvu.Org, asOf string, soon int) ([]dangvu.Attention, error) {
	t, _ := disISO(asOf)
	limit := dateArg(t.AddDate(0, 0, soon))
	lo, hi := subtreeRange(org.Path)
	rows, err := s.read.QueryContext(ctx, `SELECT t.id, t.title, t.assignee_name, t.deadline, d.id, d.number, d.org_id, d.secrecy
		FROM tasks t JOIN documents d ON d.id = t.document_id
		WHERE t.deadline <= ? AND (t.done_on = '' OR t.done_on > ?) AND d.date <= ?
		AND EXISTS (SELECT 1 FROM org_paths p WHERE p.org_id IN (d.org_id, t.assignee_org_id) AND p.valid_from <= ? AND p.valid_to > ? AND p.path >= ? AND p.path < ?)
		ORDER BY t.deadline, t.id`, limit, asOf, asOf, asOf, asOf, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("store: attention: tasks: %w", err)
	}
	defer rows.Close()
	var out []dangvu.Attention
	for rows.Next() {
		var id, title, who, due, docID, number, orgID, secrecy string
		if err := rows.Scan(&id, &title, &who, &due, &docID, &number, &orgID, &secrecy); err != nil {
			return nil, err
		}
		a := dangvu.Attention{Kind: "task_due", Title: "Nhiệm vụ sắp đến hạn", Detail: fmt.Sprintf("%s — %s (%s)", title, who, number),
			OrgID: orgID, Due: isoDate(due), Link: "/programmes/" + docID, Rule: "Chương trình hành động " + number, Secrecy: dangvu.Secrecy(secrecy)}
		if due < asOf {
			a.Kind, a.Title, a.Overdue = "task_overdue", "Nhiệm vụ quá hạn", true
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// StudyCoverage is the coverage that the report's study_coverage_pct gives for q (its document,
// or every document studied in its period), with the members not reached when list is set.
func (s *Store) StudyCoverage(ctx context.Context, q dangvu.ReportQuery, list bool) (dangvu.Coverage, error) {
	rc, err := s.reportContext(ctx, q)
	if err != nil {
		return dangvu.Coverage{}, err
	}
	ids, err := s.reportDocs(ctx, rc)
	if err != nil {
		return dangvu.Coverage{}, err
	}
	cov, err := s.Coverage(ctx, rc.org.ID, ids, rc.q.AsOf, list)
	if err != nil {
		return cov, err
	}
	return cov, s.hideSecretNumbers(ctx, &cov, ids, rc.q.Secret)
}

// hideSecretNumbers puts dangvu.SecretMark in a coverage in place of the numbers of the
// documents among ids that the reader may not read (secret: the reader may read secret ones).
// They still count: coverage is the same for every reader.
func (s *Store) hideSecretNumbers(ctx context.Context, cov *dangvu.Coverage, ids []string, secret bool) error {
	if secret {
		return nil
	}
	shown := map[string]string{}
	for _, id := range ids {
		d, err := s.Document(ctx, id)
		if err != nil {
			return err
		}
		if _, ok := shown[d.Number]; !ok || !d.Secrecy.Readable(secret) {
			shown[d.Number] = shownNumber(d.Number, d.Secrecy, secret)
		}
	}
	for i, n := range cov.Documents {
		if v, ok := shown[n]; ok {
			cov.Documents[i] = v
		}
	}
	for i, m := range cov.NotReached {
		if v, ok := shown[m.Document]; ok {
			cov.NotReached[i].Document = v
		}
	}
	return nil
}

// ConferenceVisible reports whether a user may see a conference: its organiser or its scope lies
// in the user's subtree as of asOf.
func (s *Store) ConferenceVisible(ctx context.Context, u dangvu.User, id string, asOf time.Time) (bool, error) {
	c, err := s.Conference(ctx, id)
	if dangvu.ErrorCode(err) == dangvu.ENotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	for _, o := range []string{c.OrgID, c.ScopeOrgID} {
		ok, err := s.InScope(ctx, u, o, asOf)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

// coverageCounts computes Coverage's totals in the database, without reading the members: the
// report needs only them, and a province or the country has too many members to list.
// coverageJoinFrom is the number of members in scope above which coverageCounts counts the
// studies reached in one join rather than member by member.
var coverageJoinFrom = 20000

// coverageRead makes coverageCounts read the attendance even where the kept counts could answer
// (the test comparing the ways sets it).
var coverageRead = false

func (s *Store) coverageCounts(ctx context.Context, org dangvu.Org, ids []string, d string) (dangvu.Coverage, error) {
	cov := dangvu.Coverage{OrgID: org.ID, OrgName: org.Name, AsOf: isoDate(d)}
	if len(ids) == 0 {
		return cov, nil
	}
	lo, hi := subtreeRange(org.Path)
	in := disPlaceholders(len(ids))
	var args []any
	for _, id := range ids {
		args = append(args, id)
	}
	var members int
	nums, err := column(ctx, s.read, `SELECT DISTINCT number FROM documents WHERE id IN (`+in+`)`, args...)
	if err != nil {
		return cov, fmt.Errorf("store: coverage: %w", err)
	}
	numbers := len(nums)
	// The members in scope: the kept counts for a province or the country (countPath).
	for _, st := range []dangvu.Status{dangvu.StatusProbationary, dangvu.StatusFull} {
		n, err := s.countPath(ctx, org.Path, d, dangvu.CountFilter{Status: st})
		if err != nil {
			return cov, fmt.Errorf("store: coverage: %w", err)
		}
		members += n
	}
	// Reached: the pairs of a member in scope and a document's number studied (present, or made
	// up) by the day. Up to coverageJoinFrom members, a subquery per member keeps both engines on
	// the member's own attendance (attendance_member): as one join, PostgreSQL started from every
	// attendance line of the documents in the country and hashed them (a province of 4.451: 356
	// against 56 ms). Above it, the one join is the cheaper (the 95.635 of a generated country:
	// 0,7 against 1,5 s on SQLite).
	// The root and the provinces read the studies counted by the writes (reached_kept.go).
	if n, ok, err := s.reachedCount(ctx, studiedReach, nums, org.Path, d); err != nil {
		return cov, err
	} else if ok && !coverageRead {
		cov.Reached, cov.InScope = n, members*numbers
		cov.Pct = disPct(cov.Reached, cov.InScope)
		return cov, nil
	}
	scope := `FROM roster r WHERE r.path >= ? AND r.path < ? AND r.valid_from <= ? AND r.valid_to > ? AND r.status IN ('probationary', 'full')`
	studied := `AND doc.number IN (SELECT number FROM documents WHERE id IN (` + in + `))
		AND ((a.status = 'present' AND c.date <= ?) OR (a.status = 'made_up' AND a.made_up_on <> '' AND a.made_up_on <= ?))`
	if members <= coverageJoinFrom {
		err = s.read.QueryRowContext(ctx, `SELECT COALESCE(SUM(x.n), 0) FROM (SELECT (SELECT count(DISTINCT doc.number)
				FROM attendance a JOIN conferences c ON c.id = a.conference_id
				JOIN conference_documents cd ON cd.conference_id = c.id
				JOIN documents doc ON doc.id = cd.document_id
				WHERE a.member_id = r.member_id `+studied+`) AS n `+scope+`) x`,
			append(append([]any{}, args...), d, d, lo, hi, d, d)...).Scan(&cov.Reached)
	} else {
		err = s.read.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT DISTINCT r.member_id, doc.number
			FROM roster r JOIN attendance a ON a.member_id = r.member_id
			JOIN conferences c ON c.id = a.conference_id
			JOIN conference_documents cd ON cd.conference_id = c.id
			JOIN documents doc ON doc.id = cd.document_id
			WHERE r.path >= ? AND r.path < ? AND r.valid_from <= ? AND r.valid_to > ? AND r.status IN ('probationary', 'full') `+studied+`) x`,
			append(append([]any{lo, hi, d, d}, args...), d, d)...).Scan(&cov.Reached)
	}
	if err != nil {
		return cov, fmt.Errorf("store: coverage: %w", err)
	}
	cov.InScope = members * numbers
	cov.Pct = disPct(cov.Reached, cov.InScope)
	return cov, nil
}
