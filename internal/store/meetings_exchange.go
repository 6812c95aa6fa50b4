package store

import (
	"fmt"
	"strconv"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/rules/meetings"
)

// The meeting tables of the exchange format (docs/meetings.md).
var (
	tblMeetings = table{name: "meetings", columns: []string{"id", "org_id", "kind", "topic", "month", "status", "planned_on", "held_on", "place", "chair", "clerk",
		"duration_minutes", "content_results", "content_tasks", "content_issues", "prepared_by", "agreed_on", "liaison", "liaison_invited", "liaison_attended",
		"docs_sent_on", "on_roll", "present", "guests", "agenda", "discussion", "conclusions", "quality_points", "quality_band", "reviewed_points", "reviewed_band",
		"resolution_number", "resolution_text", "published_on", "note"}, key: []string{"id"}}
	tblMeetAttend    = table{name: "meeting_attendance", columns: []string{"meeting_id", "member_id", "mark", "reason"}, key: []string{"meeting_id", "member_id"}}
	tblMeetDecisions = table{name: "meeting_decisions", columns: []string{"meeting_id", "seq", "title", "votes_for", "votes_against", "votes_abstain", "conclusion"}, key: []string{"meeting_id", "seq"}}
	tblResLinks      = table{name: "residence_links", columns: []string{"id", "member_id", "work_org", "cell_id", "valid_from", "valid_to", "category", "letter", "note"}, key: []string{"id"}}
	tblResComments   = table{name: "residence_comments", columns: []string{"link_id", "year", "requested_on", "returned_on", "comment"}, key: []string{"link_id", "year"}}
)

// meetingTables bind the meeting tables of the exchange format (internal/exchange).
var meetingTables = []domainTable{
	{
		read: dangvu.ActRead, name: "meetings", load: (*importer).meetingsTable,
		export: `SELECT id, org_id, kind, topic, month, status, planned_on, held_on, place, chair, clerk, CAST(duration_minutes AS TEXT),
			content_results, content_tasks, content_issues, prepared_by, agreed_on, liaison, CAST(liaison_invited AS TEXT), CAST(liaison_attended AS TEXT),
			docs_sent_on, CAST(on_roll AS TEXT), CAST(present AS TEXT), guests, agenda, discussion, conclusions, COALESCE(CAST(quality_points AS TEXT), ''), quality_band,
			COALESCE(CAST(reviewed_points AS TEXT), ''), reviewed_band, resolution_number, resolution_text, published_on, note FROM meetings ORDER BY id`,
		scope: func(sc *exportScope) func([]string) bool { return sc.in("meetings", "org_id", sc.orgs) },
	},
	{
		read: dangvu.ActRead, name: "meeting_attendance", load: (*importer).meetingAttendance,
		export: `SELECT meeting_id, member_id, mark, reason FROM meeting_attendance ORDER BY meeting_id, member_id`,
		scope: func(sc *exportScope) func([]string) bool {
			return sc.in("meeting_attendance", "meeting_id", sc.keptIDs("meetings"))
		},
	},
	{
		read: dangvu.ActRead, name: "meeting_decisions", load: (*importer).meetingDecisions,
		export: `SELECT meeting_id, CAST(seq AS TEXT), title, CAST(votes_for AS TEXT), CAST(votes_against AS TEXT), CAST(votes_abstain AS TEXT), conclusion
			FROM meeting_decisions ORDER BY meeting_id, seq`,
		scope: func(sc *exportScope) func([]string) bool {
			return sc.in("meeting_decisions", "meeting_id", sc.keptIDs("meetings"))
		},
	},
	{
		read: dangvu.ActMeetings, name: "residence_links", load: (*importer).residenceLinks,
		export: `SELECT id, member_id, work_org, cell_id, valid_from, valid_to, category, letter, note FROM residence_links ORDER BY id`,
		scope:  func(sc *exportScope) func([]string) bool { return sc.in("residence_links", "cell_id", sc.orgs) },
	},
	{
		read: dangvu.ActMeetings, name: "residence_comments", load: (*importer).residenceComments,
		export: `SELECT link_id, CAST(year AS TEXT), requested_on, returned_on, comment FROM residence_comments ORDER BY link_id, year`,
		scope: func(sc *exportScope) func([]string) bool {
			return sc.in("residence_comments", "link_id", sc.keptIDs("residence_links"))
		},
	},
}

// orgVersionAt returns the import's version of org id in force on the ISO day.
func (im *importer) orgVersionAt(id, day string) (dangvu.Org, bool) {
	for _, v := range im.orgs[id] {
		if isoDate(day).Within(v.ValidFrom, v.ValidTo) {
			return v.Org, true
		}
	}
	return dangvu.Org{}, false
}

// meetingFacts is what the attendance and decision rows of an import need of their meeting.
func meetingFact(status, day string, present int) string {
	return status + "|" + day + "|" + strconv.Itoa(present)
}

func (im *importer) meetingsTable() error {
	t := "meetings"
	known, err := im.storedIDs(t, `SELECT id, status || '|' || CASE WHEN held_on <> '' THEN held_on ELSE planned_on END || '|' || CAST(present AS TEXT) FROM meetings`)
	if err != nil {
		return err
	}
	return im.load(t, tblMeetings, func(row int, rec exchange.Record) []any {
		id := im.key(t, row, rec)
		if len(id) > 64 {
			im.bad(t, row, "id", "mã cuộc họp tối đa 64 ký tự")
		}
		org := im.id(t, row, rec, "org_id", true)
		kind := code(im, t, row, rec, "kind", dangvu.MeetingKinds, true)
		status := code(im, t, row, rec, "status", dangvu.MeetingStatuses, true)
		month := im.text(t, row, rec, "month", true)
		if _, err := dangvu.ParseISODate(month + "-01"); month != "" && (err != nil || len(month) != 7) {
			im.bad(t, row, "month", "tháng %q không hợp lệ: cần yyyy-mm", month)
		}
		planned, held := im.date(t, row, rec, "planned_on", false), im.date(t, row, rec, "held_on", false)
		im.past(t, row, "held_on", held)
		day := planned
		if held != "" {
			day = held
		}
		if day == "" && month != "" {
			day = month + "-01"
		}
		if org != "" {
			im.orgRef(t, row, "org_id", org, "", "")
			if _, ok := im.orgs[org]; ok && day != "" {
				if _, ok := im.orgVersionAt(org, day); !ok {
					im.bad(t, row, "org_id", "tổ chức %s không có hiệu lực ngày %s", org, vnDate(day))
				}
			}
		}
		switch {
		case status == dangvu.MeetingHeld && held == "":
			im.bad(t, row, "held_on", "cuộc họp đã họp cần ngày họp")
		case status != dangvu.MeetingHeld && held != "":
			im.bad(t, row, "held_on", "cuộc họp chưa họp hoặc không họp không có ngày họp")
		}
		if kind == dangvu.MeetingThematic && rec.Get("topic") == "" {
			im.bad(t, row, "topic", "sinh hoạt chuyên đề cần chủ đề")
		}
		onRoll := im.intCell(t, row, rec, "on_roll", 0, 100000, false).(int)
		present := im.intCell(t, row, rec, "present", 0, 100000, false).(int)
		if present > onRoll {
			im.bad(t, row, "present", "số có mặt %d lớn hơn số đảng viên phải dự %d", present, onRoll)
		}
		pts, rpts := im.intCell(t, row, rec, "quality_points", 0, 1000, true), im.intCell(t, row, rec, "reviewed_points", 0, 1000, true)
		band, rband := im.qualityBand(t, row, rec, "quality_points", "quality_band", pts, day), im.qualityBand(t, row, rec, "reviewed_points", "reviewed_band", rpts, day)
		if status != dangvu.MeetingHeld {
			for _, col := range []string{"quality_points", "resolution_number", "published_on", "agenda", "discussion", "conclusions"} {
				if rec.Get(col) != "" {
					im.bad(t, row, col, "biên bản, nghị quyết, điểm chất lượng chỉ có khi cuộc họp đã họp")
				}
			}
		}
		published := im.pastDate(t, row, rec, "published_on")
		if published != "" && held != "" && published < held {
			im.bad(t, row, "published_on", "ngày công bố %s trước ngày họp %s", vnDate(published), vnDate(held))
		}
		known[own(id)] = meetingFact(string(status), day, present)
		return []any{id, org, string(kind), rec.Get("topic"), month, string(status), planned, held, rec.Get("place"), rec.Get("chair"), rec.Get("clerk"),
			im.intCell(t, row, rec, "duration_minutes", 0, 1440, false), rec.Get("content_results"), rec.Get("content_tasks"), rec.Get("content_issues"),
			rec.Get("prepared_by"), im.date(t, row, rec, "agreed_on", false), rec.Get("liaison"), im.flag(t, row, rec, "liaison_invited"),
			im.flag(t, row, rec, "liaison_attended"), im.date(t, row, rec, "docs_sent_on", false), onRoll, present, rec.Get("guests"),
			rec.Get("agenda"), rec.Get("discussion"), rec.Get("conclusions"), pts, band, rpts, rband,
			rec.Get("resolution_number"), rec.Get("resolution_text"), published, rec.Get("note")}
	})
}

// qualityBand checks a score against the rubric in force on the meeting's day and returns its
// band (the file's band, if given, must agree).
func (im *importer) qualityBand(t string, row int, rec exchange.Record, col, bandCol string, pts any, day string) string {
	n, ok := pts.(int)
	if !ok {
		if rec.Get(bandCol) != "" {
			im.bad(t, row, bandCol, "có xếp loại nhưng không có điểm")
		}
		return ""
	}
	d, err := dangvu.ParseISODate(day)
	if err != nil {
		return ""
	}
	b, p := meetings.For(d).Score(col, n)
	if p != nil {
		im.bad(t, row, col, "%s", p.String())
		return ""
	}
	if v := rec.Get(bandCol); v != "" && v != string(b) {
		im.bad(t, row, bandCol, "điểm %d thuộc mức %s (%s), không phải %q", n, b.Name(), b, v)
	}
	return string(b)
}

// meetingRef returns the facts of the meeting a row refers to: status, day, members present.
func (im *importer) meetingRef(t string, row int, rec exchange.Record) (id, status, day string, present int) {
	meets := im.knownIDs("meetings")
	if len(meets) == 0 && !im.fresh {
		if _, err := im.storedIDs("meetings", `SELECT id, status || '|' || CASE WHEN held_on <> '' THEN held_on ELSE planned_on END || '|' || CAST(present AS TEXT) FROM meetings`); err != nil {
			im.bad(t, row, "meeting_id", "%s", err.Error())
		}
	}
	id = im.id(t, row, rec, "meeting_id", true)
	f, ok := meets[id]
	if id != "" && !ok {
		im.bad(t, row, "meeting_id", "không có cuộc họp mã %q", id)
		return id, "", "", 0
	}
	var p string
	if parts := splitN3(f); parts != nil {
		status, day, p = parts[0], parts[1], parts[2]
	}
	present, _ = strconv.Atoi(p)
	return id, status, day, present
}

func splitN3(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '|' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	out = append(out, s[start:])
	if len(out) != 3 {
		return nil
	}
	return out
}

func (im *importer) meetingAttendance() error {
	t := "meeting_attendance"
	err := im.load(t, tblMeetAttend, func(row int, rec exchange.Record) []any {
		id, status, _, _ := im.meetingRef(t, row, rec)
		if status != "" && status != string(dangvu.MeetingHeld) {
			im.bad(t, row, "meeting_id", "cuộc họp %s chưa họp: không ghi điểm danh", id)
		}
		m := im.id(t, row, rec, "member_id", true)
		im.memberRef(t, row, "member_id", m)
		mark := code(im, t, row, rec, "mark", dangvu.AttendMarks, true)
		return []any{id, m, mark, rec.Get("reason")}
	})
	if err != nil || len(im.errs) > 0 {
		return err
	}
	return im.meetingAttendanceInCell()
}

// meetingAttendanceInCell refuses lines of members who were not in the meeting's cell on its
// day (official membership, as the roster would read it: it is not built yet during an import).
func (im *importer) meetingAttendanceInCell() error {
	rows, err := im.conn.QueryContext(im.ctx, `SELECT a.meeting_id, a.member_id, mt.held_on, mt.org_id FROM meeting_attendance a
		JOIN meetings mt ON mt.id = a.meeting_id
		WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.member_id = a.member_id AND m.org_id = mt.org_id AND m.kind = 'official'
			AND `+onDay.covers("m", "mt.held_on")+`)
		ORDER BY a.meeting_id, a.member_id LIMIT 100`)
	if err != nil {
		return fmt.Errorf("store: meeting attendance: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var meet, member, day, org string
		if err := rows.Scan(&meet, &member, &day, &org); err != nil {
			return err
		}
		im.errs = append(im.errs, dangvu.FieldError{Table: im.r.Source("meeting_attendance"), Field: "member_id",
			Reason: fmt.Sprintf("cuộc họp %s: đảng viên %s không sinh hoạt tại chi bộ %s ngày %s", meet, member, org, vnDate(day))})
	}
	return rows.Err()
}

func (im *importer) meetingDecisions() error {
	t := "meeting_decisions"
	return im.load(t, tblMeetDecisions, func(row int, rec exchange.Record) []any {
		id, status, _, present := im.meetingRef(t, row, rec)
		if status != "" && status != string(dangvu.MeetingHeld) {
			im.bad(t, row, "meeting_id", "cuộc họp %s chưa họp: không có biểu quyết", id)
		}
		seq := im.intCell(t, row, rec, "seq", 1, 1000, false)
		yes, no, abst := im.intCell(t, row, rec, "votes_for", 0, 100000, false).(int), im.intCell(t, row, rec, "votes_against", 0, 100000, false).(int),
			im.intCell(t, row, rec, "votes_abstain", 0, 100000, false).(int)
		if status != "" && yes+no+abst > present {
			im.bad(t, row, "votes_for", "tổng số phiếu %d (tán thành %d, không tán thành %d, không biểu quyết %d) lớn hơn số đảng viên có mặt %d", yes+no+abst, yes, no, abst, present)
		}
		return []any{id, seq, im.text(t, row, rec, "title", true), yes, no, abst, rec.Get("conclusion")}
	})
}

func (im *importer) residenceLinks() error {
	t := "residence_links"
	known, err := im.storedIDs(t, `SELECT id, valid_from FROM residence_links`)
	if err != nil {
		return err
	}
	return im.load(t, tblResLinks, func(row int, rec exchange.Record) []any {
		id := im.key(t, row, rec)
		m := im.id(t, row, rec, "member_id", true)
		im.memberRef(t, row, "member_id", m)
		cell := im.id(t, row, rec, "cell_id", true)
		from := im.date(t, row, rec, "valid_from", true)
		to := im.date(t, row, rec, "valid_to", false)
		if to != "" && from != "" && to < from {
			im.bad(t, row, "valid_to", "ngày kết thúc %s trước ngày bắt đầu %s", vnDate(to), vnDate(from))
		}
		im.orgRef(t, row, "cell_id", cell, "", "")
		if _, ok := im.orgs[cell]; ok && from != "" {
			if o, ok := im.orgVersionAt(cell, from); !ok {
				im.bad(t, row, "cell_id", "tổ chức %s không có hiệu lực ngày %s", cell, vnDate(from))
			} else if msg := residentialCell(o); msg != "" {
				im.bad(t, row, "cell_id", "%s", msg)
			}
		}
		cat := code(im, t, row, rec, "category", dangvu.ResidenceCategories, true)
		known[id] = from
		return []any{id, m, rec.Get("work_org"), cell, from, to, cat, rec.Get("letter"), rec.Get("note")}
	})
}

// residentialCell is why an organisation cannot take residence registrations ("" when it can): a
// cell (chi bộ) of a village, residential area or street group.
func residentialCell(o dangvu.Org) string {
	if o.Kind != dangvu.KindResidential || (o.Level != dangvu.LevelCell && o.Level != dangvu.LevelGrassrootsCell) {
		return fmt.Sprintf("%s không phải chi bộ thôn, khu dân cư, tổ dân phố (%s): đảng viên chỉ đăng ký nơi cư trú với chi bộ nơi cư trú (QĐ 213-QĐ/TW)",
			o.Name, dangvu.CodeName(dangvu.OrgKinds, o.Kind))
	}
	return ""
}

func (im *importer) residenceComments() error {
	t := "residence_comments"
	return im.load(t, tblResComments, func(row int, rec exchange.Record) []any {
		links := im.knownIDs("residence_links")
		if len(links) == 0 && !im.fresh {
			if _, err := im.storedIDs("residence_links", `SELECT id, valid_from FROM residence_links`); err != nil {
				im.bad(t, row, "link_id", "%s", err.Error())
			}
		}
		id := im.id(t, row, rec, "link_id", true)
		if _, ok := links[id]; id != "" && !ok {
			im.bad(t, row, "link_id", "không có đăng ký nơi cư trú mã %q", id)
		}
		year := im.intCell(t, row, rec, "year", 1990, 2200, false)
		req, ret := im.pastDate(t, row, rec, "requested_on"), im.pastDate(t, row, rec, "returned_on")
		if req != "" && ret != "" && ret < req {
			im.bad(t, row, "returned_on", "ngày trả %s trước ngày đề nghị %s", vnDate(ret), vnDate(req))
		}
		return []any{id, year, req, ret, rec.Get("comment")}
	})
}
