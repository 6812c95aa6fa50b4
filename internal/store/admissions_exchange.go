package store

import (
	"strconv"

	"dangvu"
	"dangvu/internal/exchange"
)

// The exchange tables of admissions (docs/admissions.md): files, their stages, and the
// membership life-cycle acts. An import stores them as records: stage order is checked, the rules
// are not re-judged (history is entered as it happened), and life-cycle acts do not rewrite
// member_statuses, memberships or movements, which the same file carries.
var (
	tblAdmissionFiles = table{name: "admission_files", columns: []string{"id", "org_id", "full_name", "gender", "birth_date", "education", "youth_union", "member_id", "readmission", "note"}, key: []string{"id"}}
	tblAdmissionSteps = table{name: "admission_steps", columns: []string{"file_id", "stage", "date", "document", "issuer", "entitled", "present", "yes", "people", "known", "replacements", "extension", "outcome", "override", "attachment", "note"}, key: []string{"file_id", "stage"}}
	tblLifeActs       = table{name: "life_acts", columns: []string{"id", "member_id", "kind", "date", "org_id", "external", "until", "effective", "document", "card_number", "reason", "override"}, key: []string{"id"}}
)

// admissionTables bind the admission tables of the exchange format (internal/exchange).
var admissionTables = []domainTable{
	{
		read: dangvu.ActAdmissions,
		name: "admission_files",
		export: `SELECT id, org_id, full_name, gender, birth_date, education, CASE WHEN youth_union = 1 THEN '1' ELSE '0' END,
			member_id, CASE WHEN readmission = 1 THEN '1' ELSE '0' END, note FROM admission_files ORDER BY id`,
		load: (*importer).admissionFiles,
		scope: func(sc *exportScope) func([]string) bool {
			return sc.in("admission_files", "org_id", sc.orgs)
		},
	},
	{
		read: dangvu.ActAdmissions,
		name: "admission_steps",
		export: `SELECT file_id, stage, date, document, issuer, CAST(entitled AS TEXT), CAST(present AS TEXT), CAST(yes AS TEXT),
			people, known, replacements, extension, outcome, override, attachment, note FROM admission_steps ORDER BY file_id, stage`,
		load: (*importer).admissionStepsTable,
		scope: func(sc *exportScope) func([]string) bool {
			return sc.in("admission_steps", "file_id", sc.keptIDs("admission_files"))
		},
	},
	{
		read:   dangvu.ActAdmissions,
		name:   "life_acts",
		export: `SELECT id, member_id, kind, date, org_id, external, until, effective, document, card_number, reason, override FROM life_acts ORDER BY id`,
		load:   (*importer).lifeActs,
		scope: func(sc *exportScope) func([]string) bool {
			return sc.in("life_acts", "member_id", sc.members)
		},
	},
}

func (im *importer) flag(t string, row int, rec exchange.Record, col string) int {
	switch rec.Get(col) {
	case "", "0", "không", "Không":
		return 0
	case "1", "có", "Có":
		return 1
	}
	im.bad(t, row, col, "giá trị %q không hợp lệ; dùng 1 (có) hoặc 0 (không)", rec.Get(col))
	return 0
}

func (im *importer) count(t string, row int, rec exchange.Record, col string) int {
	v := rec.Get(col)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		im.bad(t, row, col, "cần một số nguyên không âm, không phải %q", v)
	}
	return n
}

func (im *importer) admissionFiles() error {
	t := "admission_files"
	known := im.knownIDs(t)
	if err := im.ids(`SELECT id, org_id FROM admission_files`, func(id, org string) { known[id] = org }); err != nil {
		return err
	}
	seen := map[string]bool{}
	return im.load(t, tblAdmissionFiles, func(row int, rec exchange.Record) []any {
		id := im.id(t, row, rec, "id", true)
		if seen[id] {
			im.bad(t, row, "id", "mã %q bị lặp trong tệp", id)
		}
		seen[own(id)] = true
		org := im.id(t, row, rec, "org_id", true)
		im.orgRef(t, row, "org_id", org, "", "")
		known[own(id)] = own(org)
		gender := rec.Get("gender")
		switch gender {
		case dangvu.Male, dangvu.Female:
		case "Nam", "nam":
			gender = dangvu.Male
		case "Nữ", "nữ":
			gender = dangvu.Female
		default:
			im.bad(t, row, "gender", "giá trị %q không hợp lệ; dùng male hoặc female (Nam/Nữ)", gender)
		}
		m := im.id(t, row, rec, "member_id", false)
		im.memberRef(t, row, "member_id", m)
		re := im.flag(t, row, rec, "readmission")
		if re == 1 && m == "" {
			im.bad(t, row, "member_id", "hồ sơ kết nạp lại cần mã đảng viên cũ")
		}
		return []any{id, org, im.text(t, row, rec, "full_name", true), gender, im.partial(t, row, rec, "birth_date"), rec.Get("education"),
			im.flag(t, row, rec, "youth_union"), m, re, rec.Get("note")}
	})
}

func (im *importer) admissionStepsTable() error {
	t := "admission_steps"
	files := im.knownIDs("admission_files")
	type at struct {
		date, override string
		row            int
	}
	byFile := map[string]map[dangvu.AdmissionStage]at{}
	err := im.load(t, tblAdmissionSteps, func(row int, rec exchange.Record) []any {
		f := im.id(t, row, rec, "file_id", true)
		if _, ok := files[f]; f != "" && !ok {
			im.bad(t, row, "file_id", "không có hồ sơ kết nạp mã %q", f)
		}
		stage := code(im, t, row, rec, "stage", dangvu.AdmissionStages, true)
		d := im.date(t, row, rec, "date", true)
		out := rec.Get("outcome")
		if out != "" && out != dangvu.OutcomeApproved && out != dangvu.OutcomeRejected {
			im.bad(t, row, "outcome", "giá trị %q không hợp lệ; dùng approved hoặc rejected", out)
		}
		if stage == dangvu.StageFullDecision && out == "" {
			im.bad(t, row, "outcome", "quyết định công nhận chính thức cần kết quả approved hoặc rejected")
		}
		if byFile[f] == nil {
			byFile[f] = map[dangvu.AdmissionStage]at{}
		}
		byFile[f][stage] = at{d, rec.Get("override"), row}
		return []any{f, string(stage), d, rec.Get("document"), rec.Get("issuer"), im.count(t, row, rec, "entitled"), im.count(t, row, rec, "present"),
			im.count(t, row, rec, "yes"), rec.Get("people"), rec.Get("known"), rec.Get("replacements"), rec.Get("extension"), out, rec.Get("override"), rec.Get("attachment"), rec.Get("note")}
	})
	if err != nil {
		return err
	}
	// Stages in order: none dated before an earlier stage of the same file, unless overridden.
	for _, steps := range byFile {
		for st, x := range steps {
			// An unknown stage was reported already and has no place in the order.
			if x.override != "" || x.date == "" || st == "" {
				continue
			}
			for _, c := range dangvu.AdmissionStages[:dangvu.AdmissionStageIndex(st)] {
				if y, ok := steps[c.Code]; ok && y.date > x.date {
					im.bad(t, x.row, "date", "ngày %s trước ngày của bước %s (%s, dòng %d); ghi lý do vào override nếu đúng như vậy", vnDate(x.date), c.Name, vnDate(y.date), y.row)
				}
			}
		}
	}
	return nil
}

func (im *importer) lifeActs() error {
	t := "life_acts"
	return im.load(t, tblLifeActs, func(row int, rec exchange.Record) []any {
		id := im.key(t, row, rec)
		m := im.id(t, row, rec, "member_id", true)
		im.memberRef(t, row, "member_id", m)
		org := im.id(t, row, rec, "org_id", false)
		im.orgRef(t, row, "org_id", org, "", "")
		kind, date := code(im, t, row, rec, "kind", dangvu.LifeActKinds, true), im.date(t, row, rec, "date", true)
		if kind == dangvu.ActDeath {
			im.past(t, row, "date", date)
		}
		return []any{id, m, string(kind), date, org,
			rec.Get("external"), im.date(t, row, rec, "until", false), im.date(t, row, rec, "effective", false), rec.Get("document"),
			rec.Get("card_number"), rec.Get("reason"), rec.Get("override")}
	})
}
