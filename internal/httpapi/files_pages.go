package httpapi

// The member-file pages (docs/member-files.md): a member's file against the CV 1361 catalogue,
// the yearly check of the roll against the files, and (files_work.go) the yearly supplement, the
// badge proposal list and the party cards. Reading needs the right to read member files; writing,
// the right to keep them; the supplement's own page is the member's (self-service).

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"dangvu"
	"dangvu/internal/rules/badges"
	"dangvu/internal/rules/records"
	"dangvu/internal/store"
	"dangvu/internal/vn"
)

func filePageRoutes() []route {
	page := func(p, sum string, h func(*Server, http.ResponseWriter, *http.Request) error, params []string, a dangvu.Action) route {
		return route{p, htmlPage(h), sum, params, false, a}
	}
	return []route{
		page("GET /members/{id}/file", "Hồ sơ đảng viên đối chiếu danh mục CV 1361: tài liệu có, thiếu, trùng theo mức ưu tiên; thẻ đảng, Huy hiệu, lý lịch bổ sung", (*Server).memberFilePage, []string{"as_of"}, dangvu.ActReadMemberFiles),
		page("POST /members/{id}/file/documents", "Ghi một tài liệu của hồ sơ đảng viên (loại theo danh mục, ngày, trích yếu)", (*Server).fileDocumentPost, nil, dangvu.ActMemberFiles),
		page("GET /members/{id}/forms", "Biểu mẫu hồ sơ đảng viên từ lý lịch (1-HSĐV, 2-HSĐV, 3-HSĐV, giấy xác nhận tuổi đảng): những gì lý lịch còn thiếu cho từng mẫu; form=KIND tải mẫu (DOCX) khi không thiếu gì", (*Server).memberFormsPage, []string{"form", "year"}, dangvu.ActMemberFiles),
		{"GET /scans/{id}", (*Server).scanDownload, "Bản quét một tài liệu của hồ sơ đảng viên (PDF hoặc ảnh), giải mã để tải về; mỗi lần tải được ghi nhật ký", nil, false, dangvu.ActReadMemberFiles},
		{"GET /files/export", (*Server).filesPackageZip, "Gói hồ sơ đảng viên số hóa theo CV 1361 của một tổ chức (ZIP: thư mục M1.M2.M3.M4.M5/{CCCD}_{HoTen}, bản quét đã giải mã, manifest.csv, manifest.json, SHA256SUMS); ghi nhật ký", []string{"org", "as_of"}, false, dangvu.ActMemberFiles},
		page("GET /files", "Đối chiếu danh sách đảng viên với hồ sơ: từng chi bộ, tỷ lệ hồ sơ đủ, tài liệu đã số hóa theo mức ưu tiên; đảng viên chưa có hồ sơ, thiếu, trùng", (*Server).fileRollPage, []string{"org", "as_of"}, dangvu.ActReadMemberFiles),
	}
}

// bandLine is one priority band of a member's file.
type bandLine struct {
	Band           int
	Held, Types    int
	Docs, Scanned  int
	Missing, Dupes []dangvu.FileType
}

type memberFileData struct {
	AsOf     time.Time
	Left     string // ISO: the member left the reader's subtree then; the file as it stood before
	M        dangvu.Member
	Status   dangvu.FileStatus
	Bands    []bandLine
	Details  dangvu.MemberDetails
	Family   []dangvu.FamilyMember
	Cards    []dangvu.Card
	Badges   []dangvu.Badge
	Age      badges.Age
	Gaps     []badges.Interval
	Next     *dangvu.BadgeCandidate
	Types    [][2]string // the catalogue's types, for the form's choice
	CanWrite bool
	CSRF     string
	Form     *formState
}

func (s *Server) memberFileData(r *http.Request, id string) (*memberFileData, error) {
	asOf, err := date(r, "as_of", s.viewDay(r, ""))
	if err != nil {
		return nil, err
	}
	until, err := s.memberSeenUntil(r, id, asOf)
	if err != nil {
		return nil, err
	}
	d := &memberFileData{AsOf: asOf, CSRF: s.csrf(r), Form: &formState{Values: map[string]string{}, Errors: map[string]string{}}}
	if until != dangvu.Forever {
		// A member who has left the reader's subtree: the file as it stood the day before.
		if t := until.AddDays(-1).Time; t.Before(asOf) {
			d.AsOf = t
		}
		d.Left = until.String()
	}
	ctx := r.Context()
	if d.M, err = s.Store.Member(ctx, id, d.AsOf); err != nil {
		return nil, err
	}
	maskMember(&d.M)
	if d.Status, err = s.Store.MemberFile(ctx, id, d.AsOf); err != nil {
		return nil, err
	}
	for b := 1; b <= 3; b++ {
		l := bandLine{Band: b, Held: d.Status.Held[b], Types: d.Status.Types[b]}
		for _, doc := range d.Status.Documents {
			if doc.Band == b {
				l.Docs++
				if doc.Attachment != "" {
					l.Scanned++
				}
			}
		}
		for _, t := range d.Status.Missing {
			if t.Band == b {
				l.Missing = append(l.Missing, t)
			}
		}
		for _, t := range d.Status.Duplicates {
			if t.Band == b {
				l.Dupes = append(l.Dupes, t)
			}
		}
		d.Bands = append(d.Bands, l)
	}
	if d.Details, err = s.Store.MemberDetailsOn(ctx, id, d.AsOf); err != nil {
		return nil, err
	}
	if d.Family, err = s.Store.FamilyOf(ctx, id); err != nil {
		return nil, err
	}
	if d.Cards, err = s.Store.MemberCards(ctx, id); err != nil {
		return nil, err
	}
	if d.Badges, err = s.Store.MemberBadges(ctx, id); err != nil {
		return nil, err
	}
	if d.Age, d.Gaps, err = s.Store.PartyAge(ctx, id, d.AsOf); err != nil {
		return nil, err
	}
	// The member on the next ceremony's list, if there (their cell's list).
	if d.M.OrgID != "" && d.Left == "" {
		c := badges.NextCeremony(d.AsOf)
		if cands, err := s.Store.BadgeCandidates(ctx, d.M.OrgID, c); err == nil {
			for i := range cands {
				if cands[i].MemberID == id && cands[i].Awarded == "" {
					d.Next = &cands[i]
				}
			}
		}
	}
	d.Types = [][2]string{{"", "—"}}
	for _, t := range records.For(d.AsOf).Types {
		d.Types = append(d.Types, [2]string{strconv.Itoa(t.No), fmt.Sprintf("%02d. %s (mức %d)", t.No, t.Name, t.Band)})
	}
	d.CanWrite = s.may(r)(dangvu.ActMemberFiles) && d.Left == ""
	return d, nil
}

func (s *Server) memberFilePage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.memberFileData(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "member_file.html", "Hồ sơ đảng viên: "+d.M.FullName, "files", d)
}

// fileDocumentPost records a document of the file, with its scan when one is sent (a PDF or an
// image, encrypted at rest: store.SaveScan), else as held on paper.
func (s *Server) fileDocumentPost(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if err := s.checkMember(r, id, s.today()); err != nil {
		return err
	}
	if err := r.ParseMultipartForm(store.MaxScanBytes + 1<<20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return dangvu.Errorf(dangvu.EInvalid, "Biểu mẫu không đọc được.")
	}
	var scan []byte
	if file, _, err := r.FormFile("scan"); err == nil {
		scan, err = io.ReadAll(io.LimitReader(file, store.MaxScanBytes+1))
		file.Close()
		if err != nil {
			return err
		}
	}
	f := newForm(r, "type_no", "date", "title", "note")
	doc := dangvu.FileDocument{MemberID: id, Date: f.date("date"), Title: f.Values["title"], Note: f.Values["note"]}
	if n, err := strconv.Atoi(f.Values["type_no"]); err != nil {
		f.Errors["type_no"] = "chọn loại tài liệu theo danh mục"
	} else {
		doc.TypeNo = n
	}
	if !f.failed() {
		var err error
		if len(scan) > 0 {
			_, err = s.Store.SaveScan(r.Context(), s.actor(r), doc, scan)
		} else {
			_, err = s.Store.SaveFileDocument(r.Context(), s.actor(r), doc)
		}
		if err := f.absorbAs(err, map[string]string{"type_no": "type_no", "date": "date", "title": "title", "note": "note", "scan": "scan"}); err != nil {
			return err
		}
	}
	if f.failed() {
		d, err := s.memberFileData(r, id)
		if err != nil {
			return err
		}
		d.Form = f
		return s.render(w, r, http.StatusUnprocessableEntity, "member_file.html", "Hồ sơ đảng viên: "+d.M.FullName, "files", d)
	}
	http.Redirect(w, r, "/members/"+url.PathEscape(id)+"/file", http.StatusSeeOther)
	return nil
}

// scanDownload sends a document's scan, decrypted, to a reader of member files; the store
// audits the read.
func (s *Server) scanDownload(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.Store.OpenScan(r.Context(), s.actor(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	name := fmt.Sprintf("%02d-%s.%s", sc.Document.TypeNo, sc.Document.ID, store.ScanKinds[sc.ContentType])
	w.Header().Set("Content-Type", sc.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, err = w.Write(sc.Content)
	return err
}

// filesPackageZip writes the CV 1361 package of a subtree (store.FilesPackage) as a ZIP: the
// folders, the decrypted scans and the manifests, as `dangvu files package` writes them; the
// download is audited.
func (s *Server) filesPackageZip(w http.ResponseWriter, r *http.Request) error {
	o, day, err := s.subtreeOrg(r)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "dangvu-1361-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "goi")
	res, err := s.Store.FilesPackage(r.Context(), o.ID, day, out)
	if err != nil {
		return err
	}
	if err := s.Store.AuditFilesPackage(r.Context(), s.actor(r), o.ID, dangvu.ISO(day), res); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": fmt.Sprintf("HoSo1361-%s-%s.zip", o.ID, dangvu.ISO(day))}))
	w.Header().Set("Cache-Control", "no-store")
	z := zip.NewWriter(w)
	err = filepath.WalkDir(out, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, err := filepath.Rel(out, path)
		if err != nil {
			return err
		}
		fw, err := z.Create(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		_, err = fw.Write(b)
		return err
	})
	if err != nil {
		return err
	}
	return z.Close()
}

type fileRollData struct {
	Org      dangvu.Org
	IsCell   bool
	AsOf     time.Time
	Roll     store.FileRoll
	Names    map[int]string
	Problems []store.FileRollMember // members with no file, a missing or a duplicate type
	More     int                    // problems beyond those shown
	Cells    map[string]string      // cell names
	// CanExport: the reader may take the subtree's 1361 package (/files/export).
	CanExport bool
}

// subtreeOrg is the organisation a page is about: the org parameter (the reader's own by default;
// the root for a reader of the whole tree), read on the reader's day for it (viewDay).
func (s *Server) subtreeOrg(r *http.Request) (dangvu.Org, time.Time, error) {
	org, err := s.viewOrg(r)
	if err != nil {
		return dangvu.Org{}, time.Time{}, err
	}
	if org == "" {
		org = s.rootOrg(r)
	}
	day, err := date(r, "as_of", s.viewDay(r, org))
	if err != nil {
		return dangvu.Org{}, day, err
	}
	if err := s.checkOrg(r, org, day); err != nil {
		return dangvu.Org{}, day, err
	}
	o, err := s.Store.Org(r.Context(), org, day)
	return o, day, err
}

func (s *Server) fileRollPage(w http.ResponseWriter, r *http.Request) error {
	o, day, err := s.subtreeOrg(r)
	if err != nil {
		return err
	}
	d := fileRollData{Org: o, AsOf: day, IsCell: o.Level.IsCell(), Names: map[int]string{}, Cells: map[string]string{}, CanExport: s.may(r)(dangvu.ActMemberFiles)}
	if d.Roll, err = s.Store.FileRoll(r.Context(), o.ID, day); err != nil {
		return err
	}
	for _, t := range records.For(day).Types {
		d.Names[t.No] = t.Name
	}
	for _, m := range d.Roll.Members {
		if m.Documents == 0 || len(m.Missing) > 0 || len(m.Duplicates) > 0 {
			if len(d.Problems) == maxProblems {
				d.More++
				continue
			}
			d.Problems = append(d.Problems, m)
		}
	}
	for _, c := range d.Roll.Cells {
		d.Cells[c.OrgID] = c.OrgName
	}
	for id, n := range s.distinctNames(r, d.Cells, day) { // two "Chi bộ khu 1" after a merger
		d.Cells[id] = n
	}
	for i := range d.Roll.Cells {
		d.Roll.Cells[i].OrgName = d.Cells[d.Roll.Cells[i].OrgID]
	}
	return s.render(w, r, http.StatusOK, "files.html", "Đối chiếu hồ sơ đảng viên: "+o.Name, "files", d)
}

// maxProblems bounds the members listed on the roll check of a large subtree (its cells' lines
// lead to the rest).
const maxProblems = 300

// pct is part of whole as a Vietnamese percentage with one decimal ("—" for an empty whole).
func pct(part, whole int) string {
	if whole == 0 {
		return "—"
	}
	return vn.FormatPercent(100*float64(part)/float64(whole), 1)
}

func filesFuncs(m *module) {
	m.funcs["pct"] = pct
	// ffk is one input of another kind than text ("select", "file") for the field partial.
	m.funcs["nowText"] = func(v string) string { // a field's value today, beside its label
		if v == "" {
			return ""
		}
		return " (hiện nay: " + v + ")"
	}
	m.funcs["cardKind"] = func(k string) string { return dangvu.CodeName(dangvu.CardKinds, k) }
	m.funcs["cardEnd"] = func(k string) string { return dangvu.CodeName(dangvu.CardEnds, k) }
	m.funcs["badgeKind"] = func(k string) string { return dangvu.CodeName(dangvu.BadgeKinds, k) }
	m.funcs["relation"] = func(k string) string { return dangvu.CodeName(dangvu.Relations, k) }
	m.funcs["supStatus"] = func(k string) string { return dangvu.CodeName(dangvu.SupplementStatuses, k) }
	m.funcs["supField"] = func(k string) string { return dangvu.CodeName(dangvu.SupplementFields, k) }
	m.funcs["fileTypes"] = func(ts []dangvu.FileType) string {
		out := ""
		for i, t := range ts {
			if i > 0 {
				out += "; "
			}
			out += fmt.Sprintf("%02d. %s", t.No, t.Name)
		}
		return out
	}
	m.funcs["typeNos"] = func(ns []int, names map[int]string) string {
		out := ""
		for i, n := range ns {
			if i > 0 {
				out += "; "
			}
			out += fmt.Sprintf("%02d. %s", n, names[n])
		}
		return out
	}
	m.funcs["docType"] = func(t records.DocType) [2]string {
		return [2]string{strconv.Itoa(t.No), fmt.Sprintf("%02d. %s", t.No, t.Name)}
	}
}

// absorbAs places a store error's field problems beside the form's inputs named by inputs (store
// field → input; a field not named goes to the summary), as absorb does for forms whose inputs
// are named as the store's fields.
func (f *formState) absorbAs(err error, inputs map[string]string) error {
	other, err := placeErrors(err, f.Errors, func(field string) string { return inputs[field] })
	f.Other = append(f.Other, other...)
	return err
}
