package store

import (
	"encoding/json"
	"regexp"
	"strconv"
	"time"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/rules/badges"
	"dangvu/internal/rules/records"
)

// The exchange tables of member files (docs/member-files.md): org_codes, member_details,
// family_members, file_documents, supplements, cards, badges. An import stores them as records
// of what happened: card numbers, catalogue types, milestones and codes are checked, a badge's
// party age is not re-judged (the roster of the same file is not built yet).
var (
	tblOrgCodes      = table{name: "org_codes", columns: []string{"org_id", "valid_from", "valid_to", "code"}, key: []string{"org_id", "valid_from"}}
	tblMemberDetails = table{name: "member_details", columns: []string{"member_id", "valid_from", "birth_name", "birth_place", "foreign_languages", "awards", "photo", "note"}, key: []string{"member_id", "valid_from"}}
	tblFamily        = table{name: "family_members", columns: []string{"id", "member_id", "relation", "full_name", "birth_year", "residence", "occupation", "note"}, key: []string{"id"}}
	tblFileDocs      = table{name: "file_documents", columns: []string{"id", "member_id", "type_no", "date", "title", "attachment", "sha256", "pages", "added_on", "note"}, key: []string{"id"}}
	tblSupplements   = table{name: "supplements", columns: []string{"id", "member_id", "org_id", "year", "changes", "status", "entered_on", "checked_on", "certified_on", "note"}, key: []string{"id"}}
	tblCards         = table{name: "cards", columns: []string{"id", "member_id", "number", "kind", "issued_on", "decision", "ended_on", "end_reason", "note"}, key: []string{"id"}}
	tblBadges        = table{name: "badges", columns: []string{"id", "member_id", "org_id", "milestone", "kind", "ceremony", "decision", "decided_on", "presented_on", "cash_amount", "note"}, key: []string{"id"}}
)

func ofMembers(table string) func(sc *exportScope) func([]string) bool {
	return func(sc *exportScope) func([]string) bool { return sc.in(table, "member_id", sc.members) }
}

// fileTables bind the member-file tables of the exchange format (internal/exchange).
var fileTables = []domainTable{
	{read: dangvu.ActRead, name: "org_codes", load: (*importer).orgCodes,
		export: `SELECT org_id, valid_from, CASE WHEN valid_to = '9999-12-31' THEN '' ELSE valid_to END, code FROM org_codes ORDER BY org_id, valid_from`,
		scope:  func(sc *exportScope) func([]string) bool { return sc.in("org_codes", "org_id", sc.orgs) }},
	{read: dangvu.ActReadMemberFiles, name: "member_details", load: (*importer).memberDetails, scope: ofMembers("member_details"),
		export: `SELECT member_id, valid_from, birth_name, birth_place, foreign_languages, awards, photo, note FROM member_details ORDER BY member_id, valid_from`},
	{read: dangvu.ActReadMemberFiles, name: "family_members", load: (*importer).familyMembers, scope: ofMembers("family_members"),
		export: `SELECT id, member_id, relation, full_name, birth_year, residence, occupation, note FROM family_members ORDER BY id`},
	{read: dangvu.ActReadMemberFiles, name: "file_documents", load: (*importer).fileDocuments, scope: ofMembers("file_documents"),
		export: `SELECT id, member_id, CAST(type_no AS TEXT), date, title, attachment, sha256, CASE WHEN pages = 0 THEN '' ELSE CAST(pages AS TEXT) END, added_on, note FROM file_documents ORDER BY id`},
	{read: dangvu.ActReadMemberFiles, name: "supplements", load: (*importer).supplementsTable,
		export: `SELECT id, member_id, org_id, CAST(year AS TEXT), changes, status, entered_on, checked_on, certified_on, note FROM supplements ORDER BY id`,
		scope: func(sc *exportScope) func([]string) bool {
			mem, org := sc.in("supplements", "member_id", sc.members), sc.in("supplements", "org_id", sc.orgs)
			return func(v []string) bool { return mem(v) && org(v) }
		}},
	{read: dangvu.ActReadMemberFiles, name: "cards", load: (*importer).cardsTable, scope: ofMembers("cards"),
		export: `SELECT id, member_id, number, kind, issued_on, decision, ended_on, end_reason, note FROM cards ORDER BY id`},
	{read: dangvu.ActReadMemberFiles, name: "badges", load: (*importer).badgesTable,
		export: `SELECT id, member_id, org_id, CAST(milestone AS TEXT), kind, ceremony, decision, decided_on, presented_on, CASE WHEN cash_amount = 0 THEN '' ELSE CAST(cash_amount AS TEXT) END, note FROM badges ORDER BY id`,
		scope: func(sc *exportScope) func([]string) bool {
			mem, org := sc.in("badges", "member_id", sc.members), sc.in("badges", "org_id", sc.orgs)
			return func(v []string) bool { return mem(v) && org(v) }
		}},
}

func (im *importer) orgCodes() error {
	t := "org_codes"
	seen := map[string]string{} // code → org, within the file
	return im.load(t, tblOrgCodes, func(row int, rec exchange.Record) []any {
		org := im.id(t, row, rec, "org_id", true)
		from := im.date(t, row, rec, "valid_from", true)
		to := im.endDate(t, row, rec, "valid_to", from)
		im.orgRef(t, row, "org_id", org, "", "")
		c, err := records.ParseOrgCode(rec.Get("code"))
		if err != nil {
			im.bad(t, row, "code", "%s", err.Error())
		} else if o, ok := seen[string(c)+"|"+from]; ok && o != org {
			im.bad(t, row, "code", "mã %s đã gán cho tổ chức %s từ cùng ngày", c, o)
		} else {
			seen[string(c)+"|"+from] = org
		}
		if rec.Get("code") != string(c) && err == nil {
			im.bad(t, row, "code", "viết mã có dấu chấm theo nhóm 2.3.3.3.3: %s", c)
		}
		return []any{org, from, to, string(c)}
	})
}

func (im *importer) memberDetails() error {
	t := "member_details"
	return im.load(t, tblMemberDetails, func(row int, rec exchange.Record) []any {
		m := im.id(t, row, rec, "member_id", true)
		im.memberRef(t, row, "member_id", m)
		from := im.date(t, row, rec, "valid_from", true)
		photo := rec.Get("photo")
		if photo != "" && !attachmentName.MatchString(photo) {
			im.bad(t, row, "photo", "tên tệp ảnh %q không hợp lệ: chữ không dấu, số, dấu chấm, gạch; không có thư mục", photo)
		}
		return []any{m, from, rec.Get("birth_name"), rec.Get("birth_place"), rec.Get("foreign_languages"), rec.Get("awards"), photo, rec.Get("note")}
	})
}

func (im *importer) familyMembers() error {
	t := "family_members"
	return im.load(t, tblFamily, func(row int, rec exchange.Record) []any {
		id := im.key(t, row, rec)
		m := im.id(t, row, rec, "member_id", true)
		im.memberRef(t, row, "member_id", m)
		rel := code(im, t, row, rec, "relation", dangvu.Relations, true)
		name := im.text(t, row, rec, "full_name", true)
		by := rec.Get("birth_year")
		if by != "" {
			if n, err := strconv.Atoi(by); err != nil || n < minBirthYear-100 || n > 2200 {
				im.bad(t, row, "birth_year", "năm sinh %q không hợp lệ", by)
			}
		}
		return []any{id, m, rel, name, by, rec.Get("residence"), rec.Get("occupation"), rec.Get("note")}
	})
}

// attachmentName is a safe file name in attachments/: no folder, no leading dot.
var attachmentName = regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$`)

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// catalogueType reads a catalogue number (1–104 of CV 1361) of the catalogue in force on day.
func catalogueType(v, day string) (records.DocType, string) {
	n, err := strconv.Atoi(v)
	if err != nil {
		return records.DocType{}, "số thứ tự loại tài liệu phải là số từ 1 đến 104"
	}
	d, _ := time.Parse(time.DateOnly, day)
	t, terr := records.For(d).Type(n)
	if terr != nil {
		return records.DocType{}, terr.Error()
	}
	return t, ""
}

func (im *importer) fileDocuments() error {
	t := "file_documents"
	return im.load(t, tblFileDocs, func(row int, rec exchange.Record) []any {
		id := im.key(t, row, rec)
		m := im.id(t, row, rec, "member_id", true)
		im.memberRef(t, row, "member_id", m)
		added := im.date(t, row, rec, "added_on", true)
		im.past(t, row, "added_on", added)
		no := 0
		if v := rec.Get("type_no"); v == "" {
			im.bad(t, row, "type_no", "bắt buộc, không được để trống")
		} else if ty, msg := catalogueType(v, added); msg != "" {
			im.bad(t, row, "type_no", "%s", msg)
		} else {
			no = ty.No
			if v != strconv.Itoa(no) {
				im.bad(t, row, "type_no", "viết số không có số 0 ở đầu: %d", no)
			}
		}
		att, sum := rec.Get("attachment"), rec.Get("sha256")
		if att != "" && !attachmentName.MatchString(att) {
			im.bad(t, row, "attachment", "tên tệp %q không hợp lệ: chữ không dấu, số, dấu chấm, gạch; không có thư mục", att)
		}
		if sum != "" && !sha256Hex.MatchString(sum) {
			im.bad(t, row, "sha256", "cần 64 chữ số hệ 16 viết thường")
		}
		if att != "" && sum == "" {
			im.bad(t, row, "sha256", "tệp quét phải kèm mã kiểm tra SHA-256")
		}
		pages := 0
		if v := rec.Get("pages"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 10000 || strconv.Itoa(n) != v {
				im.bad(t, row, "pages", "số trang phải là số nguyên từ 0 đến 10.000")
			}
			pages = n
		}
		return []any{id, m, no, im.date(t, row, rec, "date", false), rec.Get("title"), att, sum, pages, added, rec.Get("note")}
	})
}

// decodeChanges reads a supplement's changes: a JSON object of SupplementFields to text.
func decodeChanges(s string) (map[string]string, string) {
	if s == "" {
		return nil, ""
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, `cần một đối tượng JSON {"trường": "nội dung"}`
	}
	for k := range m {
		if !dangvu.ValidCode(dangvu.SupplementFields, k) {
			return nil, "trường " + strconv.Quote(k) + " không có trong phiếu bổ sung"
		}
	}
	return m, ""
}

// encodeChanges is the stored form of changes: JSON with sorted keys, "" when none.
func encodeChanges(m map[string]string) string {
	if len(m) == 0 {
		return ""
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func (im *importer) supplementsTable() error {
	t := "supplements"
	return im.load(t, tblSupplements, func(row int, rec exchange.Record) []any {
		id := im.key(t, row, rec)
		m := im.id(t, row, rec, "member_id", true)
		im.memberRef(t, row, "member_id", m)
		org := im.id(t, row, rec, "org_id", true)
		im.orgRef(t, row, "org_id", org, "", "")
		year := 0
		if v := rec.Get("year"); v == "" {
			im.bad(t, row, "year", "bắt buộc, không được để trống")
		} else if n, err := strconv.Atoi(v); err != nil || n < 1930 || n > 2200 || strconv.Itoa(n) != v {
			im.bad(t, row, "year", "năm %q không hợp lệ", v)
		} else {
			year = n
		}
		ch, msg := decodeChanges(rec.Get("changes"))
		if msg != "" {
			im.bad(t, row, "changes", "%s", msg)
		} else if rec.Get("changes") != encodeChanges(ch) {
			im.bad(t, row, "changes", "viết dạng %s", encodeChanges(ch))
		}
		st := code(im, t, row, rec, "status", dangvu.SupplementStatuses, true)
		entered, checked, certified := im.pastDate(t, row, rec, "entered_on"), im.pastDate(t, row, rec, "checked_on"), im.pastDate(t, row, rec, "certified_on")
		need := map[string][]string{dangvu.SupplementEntered: {entered}, dangvu.SupplementChecked: {entered, checked}, dangvu.SupplementCertified: {entered, checked, certified}}[st]
		cols := []string{"entered_on", "checked_on", "certified_on"}
		for i, v := range need {
			if v == "" {
				im.bad(t, row, cols[i], "trạng thái %q cần ngày này", dangvu.CodeName(dangvu.SupplementStatuses, st))
			}
		}
		if checked != "" && entered != "" && checked < entered || certified != "" && checked != "" && certified < checked {
			im.bad(t, row, "certified_on", "các ngày khai, kiểm tra, xác nhận phải theo thứ tự")
		}
		return []any{id, m, org, year, encodeChanges(ch), st, entered, checked, certified, rec.Get("note")}
	})
}

func (im *importer) cardsTable() error {
	t := "cards"
	return im.load(t, tblCards, func(row int, rec exchange.Record) []any {
		id := im.key(t, row, rec)
		m := im.id(t, row, rec, "member_id", true)
		im.memberRef(t, row, "member_id", m)
		issued := im.date(t, row, rec, "issued_on", true)
		im.past(t, row, "issued_on", issued)
		num := rec.Get("number")
		if num == "" {
			im.bad(t, row, "number", "bắt buộc, không được để trống")
		} else if issued != "" {
			d, _ := time.Parse(time.DateOnly, issued)
			if _, _, p := records.CheckCard(num, "", d); p != nil {
				im.bad(t, row, "number", "%s", p.String())
			}
		}
		kind := code(im, t, row, rec, "kind", dangvu.CardKinds, true)
		ended := im.pastDate(t, row, rec, "ended_on")
		reason := code(im, t, row, rec, "end_reason", dangvu.CardEnds, false)
		if (ended == "") != (reason == "") {
			im.bad(t, row, "end_reason", "ngày thôi giá trị và lý do đi cùng nhau")
		}
		if ended != "" && issued != "" && ended < issued {
			im.bad(t, row, "ended_on", "ngày thôi giá trị %s trước ngày phát %s", vnDate(ended), vnDate(issued))
		}
		return []any{id, m, num, kind, issued, rec.Get("decision"), ended, reason, rec.Get("note")}
	})
}

func (im *importer) badgesTable() error {
	t := "badges"
	return im.load(t, tblBadges, func(row int, rec exchange.Record) []any {
		id := im.key(t, row, rec)
		m := im.id(t, row, rec, "member_id", true)
		im.memberRef(t, row, "member_id", m)
		org := im.id(t, row, rec, "org_id", true)
		im.orgRef(t, row, "org_id", org, "", "")
		cer := im.date(t, row, rec, "ceremony", true)
		n := 0
		if cer != "" {
			d, _ := time.Parse(time.DateOnly, cer)
			set := badges.For(d)
			v := rec.Get("milestone")
			x, err := strconv.Atoi(v)
			switch {
			case err != nil || strconv.Itoa(x) != v:
				im.bad(t, row, "milestone", "mốc tuổi đảng phải là số năm")
			case !set.IsMilestone(x):
				im.bad(t, row, "milestone", "%d năm không phải mốc tặng Huy hiệu Đảng (%s)", x, set.Cite("milestones"))
			default:
				n = x
			}
		}
		kind := code(im, t, row, rec, "kind", dangvu.BadgeKinds, true)
		decided, presented := im.pastDate(t, row, rec, "decided_on"), im.pastDate(t, row, rec, "presented_on")
		if presented != "" && decided != "" && presented < decided {
			im.bad(t, row, "presented_on", "ngày trao %s trước ngày quyết định %s", vnDate(presented), vnDate(decided))
		}
		var cash int64
		if v := rec.Get("cash_amount"); v != "" {
			c, err := strconv.ParseInt(v, 10, 64)
			if err != nil || c < 0 || c > 1e10 || strconv.FormatInt(c, 10) != v {
				im.bad(t, row, "cash_amount", "số tiền phải là số nguyên đồng, không âm")
			}
			cash = c
		}
		return []any{id, m, org, n, kind, cer, rec.Get("decision"), decided, presented, cash, rec.Get("note")}
	})
}
