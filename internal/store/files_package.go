package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/rules/records"
)

// PackageEntry is one line of a 1361 package's manifest: a document of a member's file with the
// path it takes in the package, or a required type the file lacks.
type PackageEntry struct {
	Folder   string `json:"folder"`
	File     string `json:"file,omitempty"`
	MemberID string `json:"member_id"`
	FullName string `json:"full_name"`
	TypeNo   int    `json:"type_no"`
	TypeName string `json:"type_name"`
	Band     int    `json:"band"`
	Date     string `json:"date,omitempty"`
	SHA256   string `json:"sha256,omitempty"`
	// Status: "scan" (the scan is referenced), "paper" (recorded, no scan yet), "missing" (a
	// required type the file lacks).
	Status string `json:"status"`
}

// PackageResult counts what a package holds.
type PackageResult struct {
	Members, Documents, Missing, NoIDNumber, NoOrgCode, Scans int
}

// FilesPackage writes the CV 1361 layout of the member files of org's subtree on day into out,
// which must not exist (it is never overwritten): a folder M1.M2.M3.M4.M5/{CCCD}_{HoTenPascalCase}
// per member, and beside them manifest.csv and manifest.json listing every document with its
// catalogue name `{NN}.{name}[.k].pdf`, date and checksum, and every required type missing.
// A document with a scan is written decrypted under its catalogue name (a scan that is an image
// keeps the image's extension: 1361 asks for PDF, to convert); one without is listed "paper".
func (s *Store) FilesPackage(ctx context.Context, orgID string, day time.Time, out string) (PackageResult, error) {
	var res PackageResult
	if _, err := os.Stat(out); err == nil {
		return res, &dangvu.Error{Code: dangvu.EInvalid, Message: "Thư mục đích đã có.", Fields: []dangvu.FieldError{{Field: "out", Reason: fmt.Sprintf("%s đã tồn tại: gói hồ sơ không ghi đè, chọn thư mục mới", out)}}}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return res, err
	}
	org, err := s.Org(ctx, orgID, day)
	if err != nil {
		return res, err
	}
	lo, hi := subtreeRange(org.Path)
	d := dateArg(day)
	rows, err := s.read.QueryContext(ctx, `SELECT r.member_id, r.org_id FROM roster r WHERE r.path >= ? AND r.path < ? AND r.valid_from <= ? AND r.valid_to > ? ORDER BY r.member_id`, lo, hi, d, d)
	if err != nil {
		return res, fmt.Errorf("store: package: %w", err)
	}
	type mem struct{ id, org string }
	var ms []mem
	for rows.Next() {
		var m mem
		if err := rows.Scan(&m.id, &m.org); err != nil {
			rows.Close()
			return res, err
		}
		ms = append(ms, m)
	}
	rows.Close()
	cat := records.For(day)
	var entries []PackageEntry
	type scanOut struct {
		path string
		doc  dangvu.FileDocument
	}
	var scans []scanOut
	folders := map[string]bool{}
	for _, m := range ms {
		member, err := s.member(ctx, s.read, m.id, day)
		if err != nil {
			return res, err
		}
		code, err := s.OrgCodeOn(ctx, m.org, day)
		if err != nil {
			return res, err
		}
		if code == "" {
			res.NoOrgCode++
			code = "00.000.000.000.000"
		}
		if len(strings.TrimSpace(member.IDNumber)) != 12 {
			res.NoIDNumber++
			member.IDNumber = ""
		}
		folder := records.Folder(records.OrgCode(code), member.IDNumber, member.ID, member.FullName)
		for folders[folder] { // two members of one name without a CCCD in one cell
			folder += "_" + member.ID
		}
		folders[folder] = true
		st, err := s.MemberFile(ctx, m.id, day)
		if err != nil {
			return res, err
		}
		var types []int
		for _, doc := range st.Documents {
			types = append(types, doc.TypeNo)
		}
		names, err := cat.FileNames(types)
		if err != nil {
			return res, err
		}
		for i, doc := range st.Documents {
			e := PackageEntry{Folder: folder, File: names[i], MemberID: m.id, FullName: member.FullName, TypeNo: doc.TypeNo, TypeName: doc.TypeName, Band: doc.Band, Date: doc.Date.String(), SHA256: doc.SHA256, Status: "paper"}
			if doc.Attachment != "" {
				e.Status = "scan"
				if ext := scanExt(doc.Attachment); ext != "pdf" {
					e.File = strings.TrimSuffix(e.File, ".pdf") + "." + ext
				}
				scans = append(scans, scanOut{filepath.Join(filepath.FromSlash(folder), e.File), doc})
			}
			entries = append(entries, e)
			res.Documents++
		}
		for _, t := range st.Missing {
			entries = append(entries, PackageEntry{Folder: folder, MemberID: m.id, FullName: member.FullName, TypeNo: t.No, TypeName: t.Name, Band: t.Band, Status: "missing"})
			res.Missing++
		}
		res.Members++
	}
	if err := os.MkdirAll(out, 0o750); err != nil {
		return res, err
	}
	for f := range folders {
		if err := os.MkdirAll(filepath.Join(out, filepath.FromSlash(f)), 0o750); err != nil {
			return res, err
		}
	}
	for _, x := range scans {
		plain, err := s.readScan(x.doc)
		if err != nil {
			return res, err
		}
		if err := os.WriteFile(filepath.Join(out, x.path), plain, 0o640); err != nil {
			return res, err
		}
		res.Scans++
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"folder", "file", "member_id", "full_name", "type_no", "type_name", "band", "date", "sha256", "status"})
	for _, e := range entries {
		w.Write([]string{e.Folder, e.File, e.MemberID, e.FullName, strconv.Itoa(e.TypeNo), e.TypeName, strconv.Itoa(e.Band), e.Date, e.SHA256, e.Status})
	}
	w.Flush()
	if err := os.WriteFile(filepath.Join(out, "manifest.csv"), b.Bytes(), 0o640); err != nil {
		return res, err
	}
	j, err := json.MarshalIndent(map[string]any{"org_id": org.ID, "org_name": org.Name, "as_of": d, "catalogue": cat.Name, "entries": entries}, "", "  ")
	if err != nil {
		return res, err
	}
	if err := os.WriteFile(filepath.Join(out, "manifest.json"), j, 0o640); err != nil {
		return res, err
	}
	// SHA256SUMS: the checksums of the manifests, as sha256sum -c reads them.
	sums := fmt.Sprintf("%x  manifest.csv\n%x  manifest.json\n", sha256.Sum256(b.Bytes()), sha256.Sum256(j))
	return res, os.WriteFile(filepath.Join(out, "SHA256SUMS"), []byte(sums), 0o640)
}

// scanExt is the extension of a scan's kind from its file's name ("….pdf.scan": pdf).
func scanExt(attachment string) string {
	name := strings.TrimSuffix(attachment, ".scan")
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		if ext := name[i+1:]; ext == "jpg" || ext == "png" {
			return ext
		}
	}
	return "pdf"
}
