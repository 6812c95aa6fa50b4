package storetest

import (
	"dangvu"
	"dangvu/internal/exchange"
)

// The fixture is a small party organisation with a history: a root, a province, two districts,
// communes (wards) with cells, 31 members, and three reorganisations:
//
//   - MOVE on MoveDate: the commune QN-UB-TYC moves from the Uông Bí city committee (QN-UB) to the
//     Đông Triều town committee (QN-DT). Only the commune gets a new version; its cells follow it
//     through their derived paths.
//   - MERGE on MergeDate: the wards Phương Đông (QN-UB-PD) and Phương Nam (QN-UB-PN) end and the new
//     ward Phương Đông Nam (QN-UB-PDN) takes their four cells, which get new versions under it (the
//     two Phương Nam cells are renumbered 3 and 4).
//   - SPLIT on SplitDate: the cell QN-UB-PD-K1 ends and its members are carried to the new cells
//     QN-UB-PDN-K1A and QN-UB-PDN-K1B (their memberships end on the split date and new ones start).
//
// Everything the suite expects is computed from these rows by the oracle in oracle.go, which walks
// the parent links (the store uses materialised paths), so the two agree only if the store is right.
const (
	MoveDate  = "2019-04-01"
	MergeDate = "2020-07-01"
	SplitDate = "2021-03-15"

	evMove  = "EV-2019-MOVE"
	evMerge = "EV-2020-MERGE"
	evSplit = "EV-2021-SPLIT"
)

// Organisation ids. QN-UB-TYC-1 and QN-UB-TYC-10 are siblings whose ids are prefixes of one
// another: a subtree range over "/…/QN-UB-TYC-1/" must not take in "/…/QN-UB-TYC-10/".
const (
	orgRoot     = "TW"
	orgQN       = "QN"
	orgUB       = "QN-UB"
	orgDT       = "QN-DT"
	orgPD       = "QN-UB-PD"
	orgPN       = "QN-UB-PN"
	orgPDN      = "QN-UB-PDN"
	orgTYC      = "QN-UB-TYC"
	cellPD1     = "QN-UB-PD-K1"
	cellPD2     = "QN-UB-PD-K2"
	cellPN1     = "QN-UB-PN-K1"
	cellPN2     = "QN-UB-PN-K2"
	cell1A      = "QN-UB-PDN-K1A"
	cell1B      = "QN-UB-PDN-K1B"
	cellNamMau  = "QN-UB-TYC-1"
	cellDongTam = "QN-UB-TYC-10"
	cellDTDong  = "QN-DT-DTAM" // a grassroots cell whose name folds like QN-UB-TYC-10's
)

type eventRow struct{ ID, Date, Kind, Document, Description string }

type orgRow struct {
	ID, From, To, Name, Parent string
	Level                      dangvu.Level
	Kind                       dangvu.OrgKind
	Issuer, Event              string
}

type termRow struct{ ID, Org, Name, Start, End, Document string }

type statusRow struct {
	From   string
	Status dangvu.Status
	Reason string
}

type membershipRow struct {
	Org, From, To string
	Kind          dangvu.MembershipKind
	Event         string
}

type person struct {
	ID, Name, Gender, Born, Ethnicity string
	Admitted, Full                    string
	IDNumber                          string
	Note                              string // free text; one has commas, quotes and a line break
	Statuses                          []statusRow
	Memberships                       []membershipRow
}

// fixture is the data set as Go values; memory() writes it in the exchange format.
type fixture struct {
	events  []eventRow
	orgs    []orgRow
	terms   []termRow
	persons []person
}

// joined is the usual status history: probationary from admission, full a year later.
func joined(admitted, full string, more ...statusRow) []statusRow {
	out := []statusRow{{From: admitted, Status: dangvu.StatusProbationary}}
	if full != "" {
		out = append(out, statusRow{From: full, Status: dangvu.StatusFull})
	}
	return append(out, more...)
}

// in is an official membership; to "" is open.
func in(org, from, to string) membershipRow {
	return membershipRow{Org: org, From: from, To: to, Kind: dangvu.MembershipOfficial}
}

// carried is an official membership opened by a reorganisation.
func carried(org, from, to, event string) membershipRow {
	return membershipRow{Org: org, From: from, To: to, Kind: dangvu.MembershipOfficial, Event: event}
}

func temporary(org, from, to string) membershipRow {
	return membershipRow{Org: org, From: from, To: to, Kind: dangvu.MembershipTemporary}
}

const start = "2015-01-01" // when the records were first kept in the system

func newFixture() *fixture {
	const (
		male   = dangvu.Male
		female = dangvu.Female
		cell   = dangvu.LevelCell
		res    = dangvu.KindResidential
	)
	f := &fixture{}
	f.events = []eventRow{
		{evMove, MoveDate, "move", "Số 101-QĐ/TU", "Chuyển Đảng bộ xã Thượng Yên Công về trực thuộc Đảng bộ thị xã Đông Triều"},
		{evMerge, MergeDate, "merge", "Số 202-QĐ/TU", "Hợp nhất Đảng bộ phường Phương Đông và Đảng bộ phường Phương Nam"},
		{evSplit, SplitDate, "split", "Số 303-QĐ/ĐU", "Chia tách Chi bộ khu 1 thành Chi bộ khu 1A và Chi bộ khu 1B"},
	}
	f.orgs = []orgRow{
		{orgRoot, "1930-02-03", "", "Đảng Cộng sản Việt Nam", "", dangvu.LevelCentral, dangvu.KindCentral, "TW", ""},
		{orgQN, "1963-10-30", "", "Đảng bộ tỉnh Quảng Ninh", orgRoot, dangvu.LevelProvince, dangvu.KindProvince, "TU", ""},
		{orgUB, "2011-02-25", "", "Đảng bộ thành phố Uông Bí", orgQN, dangvu.LevelDistrict, dangvu.KindDistrict, "TU", ""},
		{orgDT, start, "", "Đảng bộ thị xã Đông Triều", orgQN, dangvu.LevelDistrict, dangvu.KindDistrict, "TU", ""},

		// The merge: two wards end, a new one takes their cells.
		{orgPD, "2011-02-25", MergeDate, "Đảng bộ phường Phương Đông", orgUB, dangvu.LevelGrassrootsCommittee, dangvu.KindWard, "ĐU", ""},
		{orgPN, "2011-02-25", MergeDate, "Đảng bộ phường Phương Nam", orgUB, dangvu.LevelGrassrootsCommittee, dangvu.KindWard, "ĐU", ""},
		{orgPDN, MergeDate, "", "Đảng bộ phường Phương Đông Nam", orgUB, dangvu.LevelGrassrootsCommittee, dangvu.KindWard, "ĐU", evMerge},
		{cellPD1, "2011-02-25", MergeDate, "Chi bộ khu 1", orgPD, cell, res, "CB", ""},
		{cellPD1, MergeDate, SplitDate, "Chi bộ khu 1", orgPDN, cell, res, "CB", evMerge},
		{cellPD2, "2011-02-25", MergeDate, "Chi bộ khu 2", orgPD, cell, res, "CB", ""},
		{cellPD2, MergeDate, "", "Chi bộ khu 2", orgPDN, cell, res, "CB", evMerge},
		{cellPN1, "2011-02-25", MergeDate, "Chi bộ khu 1", orgPN, cell, res, "CB", ""},
		{cellPN1, MergeDate, "", "Chi bộ khu 3", orgPDN, cell, res, "CB", evMerge},
		{cellPN2, "2011-02-25", MergeDate, "Chi bộ khu 2", orgPN, cell, res, "CB", ""},
		{cellPN2, MergeDate, "", "Chi bộ khu 4", orgPDN, cell, res, "CB", evMerge},

		// The split: one cell ends, two start.
		{cell1A, SplitDate, "", "Chi bộ khu 1A", orgPDN, cell, res, "CB", evSplit},
		{cell1B, SplitDate, "", "Chi bộ khu 1B", orgPDN, cell, res, "CB", evSplit},

		// The move: only the commune has a new version; its cells have none.
		{orgTYC, "2011-02-25", MoveDate, "Đảng bộ xã Thượng Yên Công", orgUB, dangvu.LevelGrassrootsCommittee, dangvu.KindCommune, "ĐU", ""},
		{orgTYC, MoveDate, "", "Đảng bộ xã Thượng Yên Công", orgDT, dangvu.LevelGrassrootsCommittee, dangvu.KindCommune, "ĐU", evMove},
		{cellNamMau, "2011-02-25", "", "Chi bộ thôn Năm Mẫu", orgTYC, cell, res, "CB", ""},
		{cellDongTam, "2011-02-25", "", "Chi bộ thôn Đồng Tâm", orgTYC, cell, res, "CB", ""},
		{cellDTDong, start, "", "Chi bộ thôn Đông Tâm", orgDT, dangvu.LevelGrassrootsCell, res, "CB", ""},
	}
	f.terms = []termRow{
		{"T-UB-2015", orgUB, "2015–2020", "2015-07-10", "2020-07-20", "Số 01-NQ/ĐH"},
		{"T-UB-2020", orgUB, "2020–2025", "2020-07-20", "", "Số 01-NQ/ĐH"},
		{"T-PDN-2020", orgPDN, "2020–2025", "2020-07-05", "", ""},
	}
	split := func(to string) []membershipRow {
		return []membershipRow{in(cellPD1, start, SplitDate), carried(to, SplitDate, "", evSplit)}
	}
	f.persons = []person{
		// Chi bộ khu 1 of Phương Đông: merged, then split into 1A and 1B.
		{ID: "M01", Name: "Nguyễn Văn Đức", Gender: male, Born: "1970", Ethnicity: "01", Admitted: "1995-05-19", Full: "1996-05-19", IDNumber: "022070001234",
			Memberships: split(cell1A)},
		{ID: "M02", Name: "Trần Thị Ánh", Gender: female, Born: "1982-03", Ethnicity: "01", Admitted: "2005-09-02", Full: "2006-09-02",
			Memberships: split(cell1A)},
		{ID: "M03", Name: "Lê Văn Anh", Gender: male, Born: "1990-07-15", Ethnicity: "01", Admitted: "2016-06-10", Full: "2017-06-10",
			Memberships: []membershipRow{in(cellPD1, "2016-06-10", SplitDate), carried(cell1A, SplitDate, "", evSplit)}},
		{ID: "M04", Name: "Phạm Thị Hồng Nhung", Gender: female, Born: "1988", Ethnicity: "01", Admitted: "2010-12-22", Full: "2011-12-22",
			Note: "Tổ trưởng \"tổ 5\", khu 1;\nchuyển từ Hà Nội về", Memberships: split(cell1A)},
		{ID: "M05", Name: "Hoàng Văn Bình", Gender: male, Born: "1975", Ethnicity: "01", Admitted: "2000-02-03", Full: "2001-02-03",
			Memberships: split(cell1B)},
		{ID: "M06", Name: "Vũ Thị Thu Hà", Gender: female, Born: "1979", Ethnicity: "01", Admitted: "2003-03-08", Full: "2004-03-08",
			Memberships: split(cell1B)},
		{ID: "M07", Name: "Nguyễn Văn Dũng", Gender: male, Born: "1968", Ethnicity: "01", Admitted: "1992-12-22", Full: "1993-12-22",
			Memberships: split(cell1B)},
		{ID: "M08", Name: "Bùi Văn Đông", Gender: male, Born: "1940", Ethnicity: "01", Admitted: "1965-05-19", Full: "1966-05-19",
			Statuses:    []statusRow{{From: "2019-10-02", Status: dangvu.StatusDeceased, Reason: "Từ trần"}},
			Memberships: []membershipRow{in(cellPD1, start, "2019-10-02")}},

		// Chi bộ khu 2 of Phương Đông: merged, keeps its name.
		{ID: "M09", Name: "Đỗ Thị Lan", Gender: female, Born: "1985", Ethnicity: "01", Admitted: "2012-01-10", Full: "2013-01-10",
			Memberships: []membershipRow{in(cellPD2, start, "")}},
		{ID: "M10", Name: "Hồ Văn Hải", Gender: male, Born: "1972", Ethnicity: "01", Admitted: "1998-10-14", Full: "1999-10-14",
			Memberships: []membershipRow{in(cellPD2, start, "")}},
		{ID: "M11", Name: "Ngô Thị Mai", Gender: female, Born: "1996", Ethnicity: "01", Admitted: "2020-11-20", Full: "2021-11-20",
			Memberships: []membershipRow{in(cellPD2, "2020-11-20", "")}},
		{ID: "M12", Name: "Dương Văn Long", Gender: male, Born: "1950", Ethnicity: "01", Admitted: "1975-04-30", Full: "1976-04-30",
			Statuses:    []statusRow{{From: "2018-03-01", Status: dangvu.StatusExempt, Reason: "Tuổi cao, sức yếu"}},
			Memberships: []membershipRow{in(cellPD2, start, "")}},
		{ID: "M13", Name: "Lý Thị Ngọc", Gender: female, Born: "1983", Ethnicity: "04", Admitted: "2008-08-19", Full: "2009-08-19",
			Statuses:    []statusRow{{From: "2020-09-01", Status: dangvu.StatusTransferredOut, Reason: "Chuyển sinh hoạt đến Hà Nội"}},
			Memberships: []membershipRow{in(cellPD2, start, "2020-09-01")}},

		// Chi bộ khu 1 of Phương Nam: renamed khu 3 by the merge.
		{ID: "M14", Name: "Nguyễn Văn Đức", Gender: male, Born: "1985-11-02", Ethnicity: "01", Admitted: "2010-03-26", Full: "2011-03-26",
			Memberships: []membershipRow{in(cellPN1, start, "")}},
		{ID: "M15", Name: "Trần Văn An", Gender: male, Born: "1991", Ethnicity: "01", Admitted: "2015-06-01", Full: "2016-06-01",
			Memberships: []membershipRow{in(cellPN1, "2015-06-01", "")}},
		{ID: "M16", Name: "Lê Thị Bích", Gender: female, Born: "1977", Ethnicity: "01", Admitted: "2002-07-27", Full: "2003-07-27",
			Memberships: []membershipRow{in(cellPN1, start, "")}},
		{ID: "M17", Name: "Phạm Văn Cường", Gender: male, Born: "1965", Ethnicity: "01", Admitted: "1990-01-08", Full: "1991-01-08",
			Memberships: []membershipRow{in(cellPN1, start, "")}},
		{ID: "M18", Name: "Đào Thị Dung", Gender: female, Born: "1993", Ethnicity: "01", Admitted: "2018-09-02", Full: "2019-09-02",
			Memberships: []membershipRow{in(cellPN1, "2018-09-02", "")}},

		// Chi bộ khu 2 of Phương Nam: renamed khu 4 by the merge.
		{ID: "M19", Name: "Đinh Văn Giang", Gender: male, Born: "1980", Ethnicity: "06", Admitted: "2006-02-03", Full: "2007-02-03",
			Memberships: []membershipRow{in(cellPN2, start, "2018-06-01"), in(cellNamMau, "2018-06-01", "")}},
		{ID: "M20", Name: "Mai Thị Hạnh", Gender: female, Born: "1987", Ethnicity: "01", Admitted: "2011-05-19", Full: "2012-05-19",
			Memberships: []membershipRow{in(cellPN2, start, "")}},
		{ID: "M21", Name: "Trịnh Văn Khoa", Gender: male, Born: "1983", Ethnicity: "01", Admitted: "2009-09-02", Full: "2010-09-02",
			Memberships: []membershipRow{in(cellPN2, start, "")}},
		{ID: "M22", Name: "Lương Thị Kim", Gender: female, Born: "1990", Ethnicity: "01", Admitted: "2014-10-10", Full: "2015-10-10",
			Memberships: []membershipRow{in(cellPN2, start, ""), temporary(cellDongTam, "2019-01-01", "2019-12-31")}},

		// Thượng Yên Công, moved from Uông Bí to Đông Triều.
		{ID: "M23", Name: "Nông Văn Lâm", Gender: male, Born: "1978", Ethnicity: "02", Admitted: "2004-12-22", Full: "2005-12-22",
			Memberships: []membershipRow{in(cellNamMau, start, "")}},
		{ID: "M24", Name: "Triệu Thị Mây", Gender: female, Born: "1984", Ethnicity: "09", Admitted: "2019-05-19", Full: "2020-05-19",
			Memberships: []membershipRow{in(cellNamMau, "2019-05-19", "")}},
		{ID: "M25", Name: "Hà Văn Nam", Gender: male, Born: "1969", Ethnicity: "01", Admitted: "1994-03-26", Full: "1995-03-26",
			Memberships: []membershipRow{in(cellNamMau, start, "")}},
		{ID: "M26", Name: "Lục Văn Phúc", Gender: male, Born: "1974", Ethnicity: "07", Admitted: "1999-08-19", Full: "2000-08-19",
			Memberships: []membershipRow{in(cellDongTam, start, "")}},
		{ID: "M27", Name: "Chu Thị Quỳnh", Gender: female, Born: "1986", Ethnicity: "01", Admitted: "2013-02-03", Full: "2014-02-03",
			Memberships: []membershipRow{in(cellDongTam, start, "")}},
		{ID: "M28", Name: "Tạ Văn Sơn", Gender: male, Born: "1958", Ethnicity: "01", Admitted: "1985-05-19", Full: "1986-05-19",
			Memberships: []membershipRow{in(cellDongTam, start, "")}},

		// Chi bộ thôn Đông Tâm, a grassroots cell of Đông Triều.
		{ID: "M29", Name: "Âu Thị Thảo", Gender: female, Born: "1981", Ethnicity: "01", Admitted: "2007-11-07", Full: "2008-11-07",
			Memberships: []membershipRow{in(cellDTDong, start, "")}},
		{ID: "M30", Name: "Kiều Văn Tùng", Gender: male, Born: "1976", Ethnicity: "01", Admitted: "2001-06-20", Full: "2002-06-20",
			Memberships: []membershipRow{in(cellDTDong, start, "")}},
		{ID: "M31", Name: "Quách Thị Uyên", Gender: female, Born: "1994", Ethnicity: "01", Admitted: "2017-03-26", Full: "2018-03-26",
			Memberships: []membershipRow{in(cellDTDong, "2017-03-26", "")}},
	}
	for i := range f.persons {
		p := &f.persons[i]
		p.Statuses = joined(p.Admitted, p.Full, p.Statuses...)
	}
	return f
}

// memberRow is the members.csv row of a person.
func (p person) memberRow() []string {
	return []string{p.ID, p.Name, "", p.Gender, p.Born, p.Ethnicity, "", "Uông Bí, Quảng Ninh", "Quảng Ninh",
		p.IDNumber, "", "12/12", "", "basic", "", "", p.Admitted, p.Full, "", "", p.Note}
}

// rows returns the fixture's tables as exchange rows, table by table.
func (f *fixture) rows() map[string][][]string {
	out := map[string][][]string{}
	add := func(table string, vals ...string) { out[table] = append(out[table], vals) }
	for _, e := range f.events {
		add("reorganisations", e.ID, e.Date, e.Kind, e.Document, e.Description)
	}
	for _, o := range f.orgs {
		add("organisations", o.ID, o.From, o.To, o.Name, o.Parent, string(o.Level), string(o.Kind), o.Issuer, o.Event)
	}
	for _, tm := range f.terms {
		add("terms", tm.ID, tm.Org, tm.Name, tm.Start, tm.End, tm.Document)
	}
	for _, p := range f.persons {
		add("members", p.memberRow()...)
		for _, s := range p.Statuses {
			add("member_statuses", p.ID, s.From, string(s.Status), "", s.Reason)
		}
		for _, m := range p.Memberships {
			add("memberships", p.ID, m.Org, m.From, m.To, string(m.Kind), "", m.Event)
		}
	}
	// Member files (docs/member-files.md): M01's is complete, M02's lacks the history of the
	// applicant and the admission decision and holds two yearly self-reviews.
	add("org_codes", orgPDN, MergeDate, "", "22.168.053.000.000")
	add("org_codes", cell1A, SplitDate, "", "22.168.053.000.011")
	add("member_details", "M01", "2015-01-01", "Nguyễn Văn Đức", "Phương Đông, Uông Bí", "Tiếng Anh B", "", "", "")
	add("family_members", "F-M01-1", "M01", "father", "Nguyễn Văn Hải", "1940", "Uông Bí", "Hưu trí", "")
	for _, n := range []string{"1", "2", "3", "5", "7"} {
		add("file_documents", "D-M01-"+n, "M01", n, "", "", "", "", "", "2026-07-15", "")
	}
	add("file_documents", "D-M02-2", "M02", "2", "2006-09-10", "Lý lịch đảng viên", "", "", "4", "2026-07-15", "")
	add("file_documents", "D-M02-3", "M02", "3", "", "", "", "", "", "2026-07-15", "")
	add("file_documents", "D-M02-61a", "M02", "61", "2024-12-20", "Bản tự kiểm điểm 2024", "", "", "", "2026-07-15", "")
	add("file_documents", "D-M02-61b", "M02", "61", "2025-12-20", "Bản tự kiểm điểm 2025", "", "", "", "2026-07-15", "")
	add("supplements", "SB2025-M01", "M01", cell1A, "2025", `{"position":"Tổ trưởng tổ dân phố"}`, "certified", "2025-12-01", "2025-12-10", "2025-12-20", "")
	add("cards", "C-M01-1", "M01", "22.070001", "issue", "1997-02-03", "", "2025-08-18", "exchanged", "")
	add("cards", "C-M01-2", "M01", "022070001234", "exchange", "2025-08-18", "", "", "", "")
	add("badges", "B-M01-30", "M01", orgPDN, "30", "due", "2025-05-19", "", "2025-05-01", "2025-05-19", "3510000", "")
	add("badges", "B-M08-50", "M08", orgPD, "50", "due", "2015-05-19", "", "", "2015-05-19", "", "")
	return out
}

// memory writes the fixture into an in-memory data set, in an order unlike the export's key
// order (persons by cell), so that a round trip proves sorting too.
func (f *fixture) memory() *exchange.Memory {
	m := exchange.NewMemory()
	rows := f.rows()
	for _, t := range exchange.Tables() {
		for _, r := range rows[t.Name] {
			if err := m.Row(t.Name, r); err != nil {
				panic(err) // the fixture is static: a wrong column count is a bug in this file
			}
		}
	}
	return m
}

// Fixture returns the suite's small data set (see the comment on MoveDate) as an in-memory
// exchange data set, for tests that need a small populated database.
func Fixture() *exchange.Memory { return newFixture().memory() }
