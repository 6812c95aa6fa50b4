package exchange

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"dangvu"
)

// FormatVersion is the version of the exchange format this build writes and reads. A data set
// of an older version still imports; one of a newer version is refused, naming the dangvu that
// wrote it (issue 21). Raise it when a change of the tables would make an older dangvu misread
// a file. Version 2 added external_organisations (a subtree's stubs of the organisations outside
// it): a version 1 dangvu would ignore that table and refuse the subtree's references.
const FormatVersion = 2

// ManifestFile is the manifest of a folder of CSV files.
const ManifestFile = "manifest.json"

// Program names the dangvu that writes a data set, in its manifest ("dangvu v1.4.0"); the
// command sets it from its build version.
var Program = "dangvu dev"

// Manifest describes a written folder: the format version, the program that wrote it and the
// day, and each table's data rows and its file's SHA-256 (the day, not the time: two exports of
// the same data on a day are the same files).
type Manifest struct {
	FormatVersion int               `json:"format_version"`
	Source        string            `json:"source"`
	Date          string            `json:"date"` // of the export, yyyy-mm-dd
	Rows          map[string]int    `json:"rows"`
	SHA256        map[string]string `json:"sha256"`
}

// ManifestSheet is the sheet of a workbook that holds its manifest, as key and value rows:
// format_version, source, date, then rows:<table> for each table (a workbook has no files to
// checksum).
const ManifestSheet = "manifest"

func newManifest(rows map[string]int) Manifest {
	m := Manifest{FormatVersion: FormatVersion, Source: Program, Date: time.Now().Format("2006-01-02"), Rows: map[string]int{}}
	for t, n := range rows {
		m.Rows[t] = n
	}
	return m
}

// manifestPairs are a manifest's rows on its sheet, tables in format order.
func manifestPairs(m Manifest) [][2]string {
	out := [][2]string{{"format_version", strconv.Itoa(m.FormatVersion)}, {"source", m.Source}, {"date", m.Date}}
	for _, t := range tables {
		if n, ok := m.Rows[t.Name]; ok {
			out = append(out, [2]string{"rows:" + t.Name, strconv.Itoa(n)})
		}
	}
	return out
}

// checkVersion refuses a data set of a newer format than this build reads, naming the dangvu
// that wrote it.
func checkVersion(m Manifest, name string) error {
	if m.FormatVersion > FormatVersion {
		return dangvu.Errorf(dangvu.EInvalid, "%s theo định dạng trao đổi phiên bản %d, mới hơn phiên bản %d mà bản dangvu này đọc được: hãy nhập bằng %s (bản đã xuất tệp) hoặc mới hơn.",
			name, m.FormatVersion, FormatVersion, m.Source)
	}
	return nil
}

// writeManifest writes dir's manifest after its files are closed.
func writeManifest(dir string, rows map[string]int) error {
	m := newManifest(nil)
	m.SHA256 = map[string]string{}
	names := make([]string, 0, len(rows))
	for t := range rows {
		names = append(names, t)
	}
	sort.Strings(names)
	for _, t := range names {
		sum, err := fileSHA256(filepath.Join(dir, t+".csv"))
		if err != nil {
			return err
		}
		m.Rows[t], m.SHA256[t+".csv"] = rows[t], sum
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, ManifestFile), append(b, '\n'), 0o644)
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("exchange: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("exchange: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ReadManifest reads a folder's manifest; ok is false when it has none (a folder made by hand or
// by a dangvu before manifests, read as format 1).
func ReadManifest(dir string) (m Manifest, ok bool, err error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if errors.Is(err, os.ErrNotExist) {
		return m, false, nil
	}
	if err != nil {
		return m, false, fmt.Errorf("exchange: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, false, dangvu.Errorf(dangvu.EInvalid, "Tệp %s không đọc được: %v.", ManifestFile, err)
	}
	return m, true, nil
}

// checkManifest refuses a data set of a newer format than this build reads, and lists the
// tables whose file differs from the checksum the manifest gives (edited after the export: still
// read, the user is told).
func checkManifest(dir, name string, st *Stats) error {
	m, ok, err := ReadManifest(dir)
	if err != nil || !ok {
		return err
	}
	if err := checkVersion(m, "Thư mục "+name); err != nil {
		return err
	}
	files := make([]string, 0, len(m.SHA256))
	for f := range m.SHA256 {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		if sum, err := fileSHA256(filepath.Join(dir, filepath.Base(f))); err != nil || sum != m.SHA256[f] {
			st.Changed = append(st.Changed, f)
		}
	}
	return nil
}
