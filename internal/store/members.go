package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/vn"
)

const memberCols = `m.id, m.full_name, m.other_names, m.gender, m.birth_date, m.ethnicity, m.religion, m.hometown, m.residence,
	m.id_number, m.phone, m.education, m.qualification, m.theory_level, m.occupation, m.position, m.admitted_on, m.full_on,
	m.card_number, m.card_date, m.note`

func memberDest(m *dangvu.Member) []any {
	return []any{&m.ID, &m.FullName, &m.OtherNames, &m.Gender, &m.BirthDate, &m.Ethnicity, &m.Religion, &m.Hometown, &m.Residence,
		&m.IDNumber, &m.Phone, &m.Education, &m.Qualification, &m.TheoryLevel, &m.Occupation, &m.Position, &m.AdmittedOn, &m.FullOn,
		&m.CardNumber, &m.CardDate, &m.Note}
}

// MaxMemberCount caps the total of a member list or search: counting a province's 91.000 members
// or every "nguyen" in the country costs more than the answer is worth (19 s at the national root
// on SQLite, issue 20); lists say "hơn 10.000". Store.MemberCountCap overrides it (tests).
const MaxMemberCount = 10000

// MaxSearchCount is the smaller cap of a name search ("hơn 200"): a search is typed a letter at
// a time, and past a couple of hundred matches the answer is to type more, not to page on.
// Counting is most of a search's cost: "nguyen ngoc" on the 100.000-member set took 3,9 ms with
// a cap of 1.000 and 1,3 ms with 200; 10.000 matches of "le" had taken 83 ms
// (docs/benchmarks.md).
const MaxSearchCount = 200

// smallSearch is the size of subtree up to which a name search may read the subtree's roster
// rather than walk the name's candidates in the whole tree (Members).
const smallSearch = MaxMemberCount

func (s *Store) memberCap() int {
	if s.MemberCountCap > 0 {
		return s.MemberCountCap
	}
	return MaxMemberCount
}

// Members lists the members belonging, as of f.AsOf, to the subtree of f.Under: in Vietnamese name
// order, or, when narrowed by a name (matched from any of its words), in the order of the matched text.
func (s *Store) Members(ctx context.Context, f dangvu.MemberFilter) (dangvu.MemberPage, error) {
	d := dateArg(f.AsOf)
	page := dangvu.MemberPage{Offset: max(f.Offset, 0), Limit: f.Limit}
	if page.Limit <= 0 || page.Limit > 500 {
		page.Limit = 50
	}
	cond := `r.valid_from <= ? AND r.valid_to > ?`
	args := []any{d, d}
	path := "/" // the subtree's, for the counts kept for the top of the tree
	if f.Under != "" {
		o, err := s.Org(ctx, f.Under, f.AsOf)
		if err != nil {
			return page, err
		}
		path = o.Path
		lo, hi := subtreeRange(o.Path)
		cond += ` AND r.path >= ? AND r.path < ?`
		args = append(args, lo, hi)
	}
	if len(f.Status) > 0 {
		cond += ` AND r.status IN (` + strings.TrimSuffix(strings.Repeat("?,", len(f.Status)), ",") + `)`
		for _, st := range f.Status {
			args = append(args, string(st))
		}
	}
	if f.Gender != "" {
		cond += ` AND r.gender = ?`
		args = append(args, f.Gender)
	}
	// Bands become ranges of dates: aged [min, max) on d means born in (d - max, d - min]. A
	// birth date known only by its year compares as that year's first day.
	var memberCond string
	var memberArgs []any
	bandCond := func(col string, bands []dangvu.Band, code, label string) error {
		if code == "" {
			return nil
		}
		b, ok := dangvu.LookupBand(bands, code)
		if !ok {
			return &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: label, Reason: "nhóm " + code + " không có"}}}
		}
		memberCond += ` AND m.` + col + ` <> '' AND m.` + col + ` <= ? AND m.` + col + ` > ?`
		memberArgs = append(memberArgs, dateArg(f.AsOf.AddDate(-b.Min, 0, 0)), dateArg(f.AsOf.AddDate(-b.Max, 0, 0)))
		return nil
	}
	if err := bandCond("birth_date", dangvu.AgeBands, f.AgeBand, "age"); err != nil {
		return page, err
	}
	if err := bandCond("admitted_on", dangvu.PartyAgeBands, f.PartyAgeBand, "party_age"); err != nil {
		return page, err
	}
	if f.Ethnicity != "" {
		memberCond += ` AND m.ethnicity = ?`
		memberArgs = append(memberArgs, f.Ethnicity)
	}
	var q, countQ string
	var countAll string // a windowed search's total, read apart only past its last page
	var capped func()   // the plain list's plan once the subtree passes the cap
	keptTotal := -1     // the plain list's total when it is kept for the top of the tree
	if qf := vn.Fold(f.Query); qf != "" {
		// A name matches when what was typed, folded, starts at any word of the folded name
		// ("van h" finds Nguyễn Văn Hùng); matches come in the order of the matched text (the
		// order of what was typed), then by id. member_name_tails holds one row per word of
		// each name, the name from that word on. Two plans, both bounded by indexes:
		//   - by name: walk the tails from what was typed and probe the roster per candidate,
		//     stopping at the page (and the count at the cap) — for the whole tree, a large
		//     subtree, or a rare name;
		//   - by subtree: read the subtree's roster (at most smallSearch rows) with each
		//     member's tails, and sort the matches — for a ward searching a name common in the
		//     country, where walking every "nguyen" to find the ward's would cost far more.
		// The subtree plan is taken when the subtree is within smallSearch and the name has
		// more candidates in the tree than the subtree has members (docs/benchmarks.md).
		plo, phi := prefixRange(qf)
		bySubtree := false
		if f.Under != "" {
			// Each count stops early: the name's candidates at smallSearch, the subtree's
			// members once they outnumber the candidates.
			var n, c int
			if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM member_name_tails WHERE tail >= ? AND tail < ? LIMIT ?) x`, plo, phi, smallSearch+1).Scan(&c); err != nil {
				return page, fmt.Errorf("store: members: %w", err)
			}
			if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM roster r WHERE `+cond+` LIMIT ?) x`, append(args, min(c, smallSearch)+1)...).Scan(&n); err != nil {
				return page, fmt.Errorf("store: members: %w", err)
			}
			bySubtree = n <= smallSearch && c > n
			switch s.SearchPlan {
			case "name":
				bySubtree = false
			case "subtree":
				bySubtree = true
			}
		}
		// A member whose name matches at two words ("thu" in "nguyen thi thu thuy") is listed
		// at the first only. The check reads the member's own tails (member_name_tails_member):
		// "|| ''" keeps the tail range off the primary key, which PostgreSQL otherwise chose
		// for a narrow range it estimated at one row, then read the whole range once per
		// candidate (1,6 million index entries for the 1.001 counted of "nguyen ngoc" on the
		// 100.000-member set: 550 ms; 38 ms by member).
		const first = ` AND NOT EXISTS (SELECT 1 FROM member_name_tails t2 WHERE t2.member_id = t.member_id AND t2.pos < t.pos AND t2.tail || '' >= ? AND t2.tail || '' < ?)`
		isID := false
		if id := strings.TrimSpace(f.Query); idPattern.MatchString(id) {
			var n int
			if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM members WHERE id = ?`, id).Scan(&n); err != nil {
				return page, fmt.Errorf("store: members: %w", err)
			}
			if isID = n > 0; isID {
				base := `FROM members m JOIN roster r ON r.member_id = m.id AND ` + cond + ` WHERE m.id = ?` + memberCond
				args = append(append(args, id), memberArgs...)
				q = `SELECT ` + memberCols + `, r.status, r.org_id ` + base + ` ORDER BY m.id LIMIT ? OFFSET ?`
				countQ = `SELECT count(*) FROM (SELECT 1 ` + base + ` LIMIT ?) x`
			}
		}
		switch {
		case isID:
		case bySubtree:
			// Only the narrow index rows are read and sorted; the page's members are fetched
			// after; the total comes with the page (one read of the subtree, not two).
			join := ""
			if memberCond != "" {
				join = ` CROSS JOIN members m`
				memberCond = ` AND m.id = r.member_id` + memberCond
			}
			base := `FROM roster r` + join + ` CROSS JOIN member_name_tails t WHERE ` + cond + memberCond + `
				AND t.member_id = r.member_id AND t.tail >= ? AND t.tail < ?` + first
			args = append(append(args, memberArgs...), plo, phi, plo, phi)
			q = `SELECT ` + memberCols + `, x.status, x.org_id, x.n FROM (SELECT r.member_id, t.tail, r.status, r.org_id, count(*) OVER () AS n ` +
				base + ` ORDER BY t.tail, r.member_id LIMIT ? OFFSET ?) x JOIN members m ON m.id = x.member_id ORDER BY x.tail, x.member_id`
			countAll = `SELECT count(*) FROM (SELECT 1 ` + base + `) x`
		default:
			base := `FROM member_name_tails t CROSS JOIN members m CROSS JOIN roster r
				WHERE t.tail >= ? AND t.tail < ? AND m.id = t.member_id AND r.member_id = m.id AND ` + cond + memberCond + first
			args = append(append(append([]any{plo, phi}, args...), memberArgs...), plo, phi)
			q = `SELECT ` + memberCols + `, r.status, r.org_id ` + base + ` ORDER BY t.tail, t.member_id LIMIT ? OFFSET ?`
			countQ = `SELECT count(*) FROM (SELECT 1 ` + base + ` LIMIT ?) x`
			if memberCond == "" {
				// The count needs no member's row: two lookups of the six each candidate
				// cost (the count was most of a search's time under load).
				countQ = `SELECT count(*) FROM (SELECT 1 FROM member_name_tails t CROSS JOIN roster r
					WHERE t.tail >= ? AND t.tail < ? AND r.member_id = t.member_id AND ` + cond + first + ` LIMIT ?) x`
			}
		}
	} else {
		// The count reads at most cap+1 roster entries of the subtree.
		base := `FROM roster r CROSS JOIN members m WHERE m.id = r.member_id AND ` + cond + memberCond
		args = append(args, memberArgs...)
		countQ = `SELECT count(*) FROM (SELECT 1 ` + base + ` LIMIT ?) x`
		if memberCond == "" { // a member has one roster entry on a day: no need to join members
			countQ = `SELECT count(*) FROM (SELECT 1 FROM roster r WHERE ` + cond + ` LIMIT ?) x`
		}
		if memberCond == "" && len(f.Status) <= 1 {
			// Under the root or a province the total is kept by the writes (roster_counts):
			// no need to read 10.001 roster entries to learn that the list passes the cap.
			cf := dangvu.CountFilter{Gender: f.Gender}
			if len(f.Status) == 1 {
				cf.Status = f.Status[0]
			}
			n, ok, err := s.keptCount(ctx, path, d, cf)
			if err != nil {
				return page, err
			}
			if ok {
				keptTotal = n
			}
		}
		// A subtree within the cap is read whole from roster_path and sorted (at most cap rows).
		q = `SELECT ` + memberCols + `, r.status, r.org_id ` + base + ` ORDER BY m.name_key, m.id LIMIT ? OFFSET ?`
		capped = func() {
			// Beyond the cap, sorting the subtree is what took 26 s and 2,6 GB at the root: walk
			// members_name_key instead and probe the roster per member (CROSS JOIN fixes that
			// join order on SQLite), stopping after offset+limit matches. The order stays the
			// Vietnamese name order; a page costs about (offset+limit) × members in the country /
			// members in the subtree probes, so deep pages of a small share of the country cost more.
			q = `SELECT ` + memberCols + `, r.status, r.org_id FROM members m CROSS JOIN roster r WHERE r.member_id = m.id AND ` +
				cond + memberCond + ` ORDER BY m.name_key, m.id LIMIT ? OFFSET ?`
		}
	}
	limit := s.memberCap()
	if capped == nil { // a search
		limit = min(limit, MaxSearchCount)
	}
	if countQ != "" {
		if keptTotal >= 0 {
			page.Total = keptTotal
		} else if err := s.read.QueryRowContext(ctx, countQ, append(args, limit+1)...).Scan(&page.Total); err != nil {
			return page, fmt.Errorf("store: members: %w", err)
		}
		if page.Total > limit {
			page.Total, page.TotalCapped = limit, true
			if capped != nil {
				capped()
			}
		}
	}
	rows, err := s.read.QueryContext(ctx, q, append(args, page.Limit, page.Offset)...)
	if err != nil {
		return page, fmt.Errorf("store: members: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m dangvu.Member
		var st string
		dest := append(memberDest(&m), &st, &m.OrgID)
		if countQ == "" {
			dest = append(dest, &page.Total)
		}
		if err := rows.Scan(dest...); err != nil {
			return page, err
		}
		m.Status = dangvu.Status(st)
		page.Members = append(page.Members, m)
	}
	if err := rows.Err(); err != nil {
		return page, err
	}
	if countQ == "" {
		if len(page.Members) == 0 && page.Offset > 0 { // past the end: the total is still wanted
			if err := s.read.QueryRowContext(ctx, countAll, args...).Scan(&page.Total); err != nil {
				return page, fmt.Errorf("store: members: %w", err)
			}
		}
		if page.Total > limit {
			page.Total, page.TotalCapped = limit, true
		}
	}
	page.Members = s.withOrgNames(ctx, page.Members, f.AsOf)
	return page, nil
}

// withOrgNames fills each member's OrgName with their organisation's name as of a date, read in
// one query for the page (one per organisation was a fifth of a loaded server's CPU).
func (s *Store) withOrgNames(ctx context.Context, ms []dangvu.Member, asOf time.Time) []dangvu.Member {
	var ids []string
	seen := map[string]bool{}
	for _, m := range ms {
		if m.OrgID != "" && !seen[m.OrgID] {
			seen[m.OrgID] = true
			ids = append(ids, m.OrgID)
		}
	}
	names, err := s.orgNames(ctx, ids, asOf)
	if err != nil {
		return ms // the names are a courtesy of the list; the list itself stands
	}
	for i := range ms {
		ms[i].OrgName = names[ms[i].OrgID]
	}
	return ms
}

// Member returns a member's record with their status and organisation as of a date (the last
// ones known when they had left by then).
func (s *Store) Member(ctx context.Context, id string, asOf time.Time) (dangvu.Member, error) {
	return s.member(ctx, s.read, id, asOf)
}

func (s *Store) member(ctx context.Context, q queryer, id string, asOf time.Time) (dangvu.Member, error) {
	var m dangvu.Member
	err := q.QueryRowContext(ctx, `SELECT `+memberCols+` FROM members m WHERE m.id = ?`, id).Scan(memberDest(&m)...)
	if errors.Is(err, sql.ErrNoRows) {
		return m, dangvu.Errorf(dangvu.ENotFound, "không có đảng viên mã %q", id)
	}
	if err != nil {
		return m, fmt.Errorf("store: member: %w", err)
	}
	d := dateArg(asOf)
	var st string
	err = q.QueryRowContext(ctx, `SELECT status FROM member_statuses WHERE member_id = ? AND valid_from <= ? ORDER BY valid_from DESC LIMIT 1`, id, d).Scan(&st)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("store: member: %w", err)
	}
	m.Status = dangvu.Status(st)
	var until string
	err = q.QueryRowContext(ctx, `SELECT org_id, valid_to FROM memberships WHERE member_id = ? AND kind = 'official' AND valid_from <= ? ORDER BY valid_from DESC LIMIT 1`, id, d).Scan(&m.OrgID, &until)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("store: member: %w", err)
	}
	// Someone who has left is shown with their last organisation as it was then: it may have
	// ended or been renamed since.
	nameDay := asOf
	if until != "" && until <= d {
		if t, err := dangvu.ParseISODate(until); err == nil {
			nameDay = t.AddDate(0, 0, -1)
		}
	}
	return s.withOrgNames(ctx, []dangvu.Member{m}, nameDay)[0], nil
}

// MemberHistory returns a member's dated history.
func (s *Store) MemberHistory(ctx context.Context, id string) (dangvu.MemberHistory, error) {
	var h dangvu.MemberHistory
	if _, err := s.Member(ctx, id, s.Clock.Today()); err != nil {
		return h, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT member_id, valid_from, status, document, reason FROM member_statuses WHERE member_id = ? ORDER BY valid_from`, id)
	if err != nil {
		return h, fmt.Errorf("store: %w", err)
	}
	for rows.Next() {
		var c dangvu.StatusChange
		var st string
		if err := rows.Scan(&c.MemberID, &c.ValidFrom, &st, &c.Document, &c.Reason); err != nil {
			rows.Close()
			return h, err
		}
		c.Status = dangvu.Status(st)
		h.Statuses = append(h.Statuses, c)
	}
	rows.Close()
	rows, err = s.read.QueryContext(ctx, `SELECT m.member_id, m.org_id, m.valid_from, m.valid_to, m.kind, m.document, m.event_id,
		COALESCE((SELECT v.name FROM org_versions v WHERE v.org_id = m.org_id AND v.valid_from <= m.valid_from AND v.valid_to > m.valid_from), '')
		FROM memberships m WHERE m.member_id = ? ORDER BY m.valid_from, m.kind`, id)
	if err != nil {
		return h, fmt.Errorf("store: %w", err)
	}
	for rows.Next() {
		var ms dangvu.Membership
		var kind string
		if err := rows.Scan(&ms.MemberID, &ms.OrgID, &ms.ValidFrom, &ms.ValidTo, &kind, &ms.Document, &ms.EventID, &ms.OrgName); err != nil {
			rows.Close()
			return h, err
		}
		ms.Kind = dangvu.MembershipKind(kind)
		h.Memberships = append(h.Memberships, ms)
	}
	rows.Close()
	rows, err = s.read.QueryContext(ctx, `SELECT id, member_id, kind, date, from_org_id, to_org_id, external, document, note FROM movements WHERE member_id = ? ORDER BY date, id`, id)
	if err != nil {
		return h, fmt.Errorf("store: %w", err)
	}
	for rows.Next() {
		var mv dangvu.Movement
		var kind string
		if err := rows.Scan(&mv.ID, &mv.MemberID, &kind, &mv.Date, &mv.FromOrgID, &mv.ToOrgID, &mv.External, &mv.Document, &mv.Note); err != nil {
			rows.Close()
			return h, err
		}
		mv.Kind = dangvu.MovementKind(kind)
		h.Movements = append(h.Movements, mv)
	}
	rows.Close()
	h.Posts, err = s.posts(ctx, `member_id = ?`, id)
	return h, err
}

func (s *Store) posts(ctx context.Context, where string, args ...any) ([]dangvu.Post, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, role, org_id, term_id, locality_id, unit_id, member_id, holder_name, title, valid_from, valid_to
		FROM posts WHERE `+where+` ORDER BY valid_from, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: posts: %w", err)
	}
	defer rows.Close()
	var out []dangvu.Post
	for rows.Next() {
		var p dangvu.Post
		var role string
		if err := rows.Scan(&p.ID, &role, &p.OrgID, &p.TermID, &p.LocalityID, &p.UnitID, &p.MemberID, &p.HolderName, &p.Title, &p.ValidFrom, &p.ValidTo); err != nil {
			return nil, err
		}
		p.Role = dangvu.PostRole(role)
		out = append(out, p)
	}
	return out, rows.Err()
}

// UpdateMember changes a member's record (not their history) and logs the change with the old
// and new values, in one transaction.
func (s *Store) UpdateMember(ctx context.Context, actor string, m dangvu.Member) (dangvu.Member, error) {
	if err := ValidateMember(m); err != nil {
		return m, err
	}
	m.FullName = vn.NFC(strings.Join(strings.Fields(m.FullName), " "))
	var out dangvu.Member
	err := s.tx(ctx, func(tx *dbTx) error {
		before, err := s.member(ctx, tx, m.ID, s.Clock.Today())
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE members SET full_name = ?, name_fold = ?, name_key = ?, other_names = ?, gender = ?, birth_date = ?,
			ethnicity = ?, religion = ?, hometown = ?, residence = ?, id_number = ?, phone = ?, education = ?, qualification = ?,
			theory_level = ?, occupation = ?, position = ?, admitted_on = ?, full_on = ?, card_number = ?, card_date = ?, note = ? WHERE id = ?`,
			m.FullName, vn.Fold(m.FullName), vn.NameKey(m.FullName), m.OtherNames, m.Gender, m.BirthDate, m.Ethnicity, m.Religion,
			m.Hometown, m.Residence, m.IDNumber, m.Phone, m.Education, m.Qualification, m.TheoryLevel, m.Occupation, m.Position,
			m.AdmittedOn, m.FullOn, m.CardNumber, m.CardDate, m.Note, m.ID)
		if err != nil {
			return fmt.Errorf("store: update member: %w", err)
		}
		if err := s.rebuildNameTails(ctx, tx, m.ID); err != nil {
			return err
		}
		if before.Gender != m.Gender || before.AdmittedOn != m.AdmittedOn { // both are copied into the roster
			if err := s.rebuildRoster(ctx, tx, "", m.ID); err != nil {
				return err
			}
		}
		after, err := s.member(ctx, tx, m.ID, s.Clock.Today())
		if err != nil {
			return err
		}
		out = after
		b, a := changed(before, after)
		if len(a) == 0 {
			return nil
		}
		// The log is read by roles that may not reveal the sensitive fields, and reading it is
		// not logged as a reveal: it keeps them masked (which field changed stays known).
		for _, f := range SensitiveFields {
			if _, ok := a[f]; ok {
				b[f], a[f] = MaskSensitive(f, b[f]), MaskSensitive(f, a[f])
			}
		}
		return s.audit(ctx, tx, actor, "update", "member", m.ID, b, a)
	})
	return out, err
}

// changed returns the fields that differ, old and new, for the audit log.
func changed(before, after dangvu.Member) (map[string]string, map[string]string) {
	b, a := map[string]string{}, map[string]string{}
	bf, af := memberFields(before), memberFields(after)
	for k, v := range af {
		if bf[k] != v {
			b[k], a[k] = bf[k], v
		}
	}
	return b, a
}

func memberFields(m dangvu.Member) map[string]string {
	return map[string]string{"full_name": m.FullName, "other_names": m.OtherNames, "gender": m.Gender, "birth_date": m.BirthDate,
		"ethnicity": m.Ethnicity, "religion": m.Religion, "hometown": m.Hometown, "residence": m.Residence, "id_number": m.IDNumber,
		"phone": m.Phone, "education": m.Education, "qualification": m.Qualification, "theory_level": m.TheoryLevel,
		"occupation": m.Occupation, "position": m.Position, "admitted_on": m.AdmittedOn.String(), "full_on": m.FullOn.String(),
		"card_number": m.CardNumber, "card_date": m.CardDate.String(), "note": m.Note}
}

// ValidateMember checks a member record, naming each bad field in Vietnamese.
func ValidateMember(m dangvu.Member) error {
	var errs []dangvu.FieldError
	bad := func(field, format string, args ...any) {
		errs = append(errs, dangvu.FieldError{Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	if strings.TrimSpace(m.FullName) == "" {
		bad("full_name", "bắt buộc, không được để trống")
	}
	if m.Gender != dangvu.Male && m.Gender != dangvu.Female {
		bad("gender", "chọn Nam hoặc Nữ")
	}
	if m.BirthDate != "" {
		if p, err := vn.ParsePartialDate(m.BirthDate); err != nil {
			bad("birth_date", "%s", err.Error())
		} else if p.String() != m.BirthDate {
			bad("birth_date", "cần dạng yyyy, yyyy-mm hoặc yyyy-mm-dd")
		} else if p.Year < 1900 || p.Earliest().After(time.Now()) {
			bad("birth_date", "năm sinh %d không hợp lý", p.Year)
		}
	}
	if m.Ethnicity != "" && !dangvu.ValidCode(dangvu.Ethnicities, m.Ethnicity) {
		bad("ethnicity", "mã dân tộc %q không có trong danh mục 54 dân tộc", m.Ethnicity)
	}
	if m.IDNumber != "" {
		if _, err := vn.ValidateIDNumber(m.IDNumber); err != nil {
			bad("id_number", "%s", err.Error())
		}
	}
	if m.TheoryLevel != "" && !dangvu.ValidCode(dangvu.TheoryLevels, m.TheoryLevel) {
		bad("theory_level", "trình độ lý luận %q không hợp lệ", m.TheoryLevel)
	}
	if !m.AdmittedOn.IsZero() && !m.FullOn.IsZero() && m.FullOn.Before(m.AdmittedOn) {
		bad("full_on", "ngày chính thức trước ngày vào Đảng")
	}
	if msg := admissionAge(m.BirthDate, m.AdmittedOn); msg != "" {
		bad("birth_date", "%s", msg)
	}
	if len(errs) > 0 {
		return &dangvu.Error{Code: dangvu.EInvalid, Message: "Thông tin đảng viên chưa hợp lệ.", Fields: errs}
	}
	return nil
}

// admissionAge checks a birth date (partial, as stored) against the admission date.
// Nobody is admitted as a child: the Charter asks for 18 (Điều 1); 16 leaves room for wartime
// admissions in old records while still catching a mistyped birth year.
func admissionAge(birth string, admitted dangvu.Date) string {
	p, err := vn.ParsePartialDate(birth)
	if err != nil || p.IsZero() || admitted.IsZero() {
		return ""
	}
	adm := admitted.Time
	if !p.Earliest().AddDate(16, 0, 0).After(adm) {
		return ""
	}
	return fmt.Sprintf("sinh năm %d thì chưa đủ 16 tuổi vào ngày vào Đảng %s", p.Year, vn.FormatDate(adm))
}

// MemberSeenUntil says how much of a member's record a user may read when asking for it as of a
// date: dangvu.Forever when the member is in the user's scope today (the whole record); when
// the member was in scope on asOf only, the day they left it since (the reader sees the record
// as it was before that day — MemberHistory.Before, Member.Then); the zero Date when neither. What lay in a
// subtree once is not the subtree's for ever: the later history and today's personal data
// belong to the organisation the member has moved to.
func (s *Store) MemberSeenUntil(ctx context.Context, u dangvu.User, memberID string, asOf time.Time) (dangvu.Date, error) {
	today := s.Clock.Today()
	if ok, err := s.MemberInScope(ctx, u, memberID, today); err != nil || ok {
		if ok {
			return dangvu.Forever, nil
		}
		return dangvu.Date{}, err
	}
	if !asOf.Before(today) {
		return dangvu.Date{}, nil
	}
	if ok, err := s.MemberInScope(ctx, u, memberID, asOf); err != nil || !ok {
		return dangvu.Date{}, err
	}
	// The member may have left on a move of their own or on a move of their organisation (or
	// of the user's): try each day something of the kind changed, in order.
	d := dateArg(asOf)
	return s.firstOut(ctx, asOf, func(t time.Time) (bool, error) { return s.MemberInScope(ctx, u, memberID, t) },
		changeDays{`SELECT valid_from FROM memberships WHERE member_id = ? AND kind = 'official' AND valid_from > ?`, []any{memberID, d}},
		changeDays{`SELECT valid_to FROM memberships WHERE member_id = ? AND kind = 'official' AND valid_to > ?`, []any{memberID, d}},
		changeDays{`SELECT p.valid_from FROM org_paths p WHERE p.org_id IN (SELECT org_id FROM memberships WHERE member_id = ? AND kind = 'official') AND p.valid_from > ?`, []any{memberID, d}},
		changeDays{`SELECT valid_from FROM org_paths WHERE org_id = ? AND valid_from > ?`, []any{u.OrgID, d}})
}

// OrgSeenUntil is MemberSeenUntil for an organisation: dangvu.Forever when it is in the user's
// subtree today; the day it left the subtree, when it was in it on asOf only; "" otherwise.
func (s *Store) OrgSeenUntil(ctx context.Context, u dangvu.User, orgID string, asOf time.Time) (dangvu.Date, error) {
	today := s.Clock.Today()
	if ok, err := s.InScope(ctx, u, orgID, today); err != nil || ok {
		if ok {
			return dangvu.Forever, nil
		}
		return dangvu.Date{}, err
	}
	if !asOf.Before(today) {
		return dangvu.Date{}, nil
	}
	if ok, err := s.InScope(ctx, u, orgID, asOf); err != nil || !ok {
		return dangvu.Date{}, err
	}
	d := dateArg(asOf)
	return s.firstOut(ctx, asOf, func(t time.Time) (bool, error) { return s.InScope(ctx, u, orgID, t) },
		changeDays{`SELECT valid_from FROM org_paths WHERE org_id = ? AND valid_from > ?`, []any{orgID, d}},
		changeDays{`SELECT valid_to FROM org_paths WHERE org_id = ? AND valid_to > ?`, []any{orgID, d}},
		changeDays{`SELECT valid_from FROM org_paths WHERE org_id = ? AND valid_from > ?`, []any{u.OrgID, d}})
}

// changeDays is a query for the days after a date on which something that places an object in
// a subtree changed.
type changeDays struct {
	sql  string
	args []any
}

// firstOut tries, in order, each day after asOf and before today that the queries name, and
// returns the first on which in answers false; today when there is none.
func (s *Store) firstOut(ctx context.Context, asOf time.Time, in func(time.Time) (bool, error), qs ...changeDays) (dangvu.Date, error) {
	today := s.Clock.Today()
	days := map[string]bool{}
	for _, q := range qs {
		ds, err := column(ctx, s.read, q.sql, q.args...)
		if err != nil {
			return dangvu.Date{}, fmt.Errorf("store: scope: %w", err)
		}
		for _, x := range ds {
			days[x] = true
		}
	}
	order := make([]string, 0, len(days))
	for x := range days {
		order = append(order, x)
	}
	slices.Sort(order)
	for _, x := range order {
		t, err := dangvu.ParseISODate(x)
		if err != nil || !t.After(asOf) || !t.Before(today) {
			continue
		}
		ok, err := in(t)
		if err != nil {
			return dangvu.Date{}, err
		}
		if !ok {
			return dangvu.DateOf(t), nil
		}
	}
	return dangvu.DateOf(today), nil
}

// MembersLeft returns, among members listed as of an earlier date, those that are no longer in
// the user's subtree today, with the day each left it (MemberSeenUntil): a list shows them as
// they were then. One query places them all today; only those who left are looked at further.
func (s *Store) MembersLeft(ctx context.Context, u dangvu.User, ids []string, asOf time.Time) (map[string]dangvu.Date, error) {
	out := map[string]dangvu.Date{}
	if len(ids) == 0 {
		return out, nil
	}
	today := dateArg(s.Clock.Today())
	args := []any{today}
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT member_id, org_id FROM memberships WHERE kind = 'official' AND valid_from <= ?
		AND member_id IN (?`+strings.Repeat(",?", len(ids)-1)+`) ORDER BY member_id, valid_from DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: scope: %w", err)
	}
	orgOf := map[string]string{}
	for rows.Next() {
		var m, o string
		if err := rows.Scan(&m, &o); err != nil {
			rows.Close()
			return nil, err
		}
		if _, seen := orgOf[m]; !seen {
			orgOf[m] = o
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	inScope := map[string]bool{}
	for _, id := range ids {
		org, ok := orgOf[id]
		if ok {
			in, known := inScope[org]
			if !known {
				if in, err = s.InScope(ctx, u, org, s.Clock.Today()); err != nil {
					return nil, err
				}
				inScope[org] = in
			}
			if in {
				continue
			}
		}
		until, err := s.MemberSeenUntil(ctx, u, id, asOf)
		if err != nil {
			return nil, err
		}
		if until != dangvu.Forever {
			out[id] = until
		}
	}
	return out, nil
}
