package exchange

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"dangvu"
)

// TestManifest: a written folder carries its manifest (format version, source, date, rows per
// table, checksums); a folder of a newer format is refused naming the dangvu that wrote it; an
// older or hand-made one still opens; a file edited after the export is reported.
func TestManifest(t *testing.T) {
	dir := t.TempDir()
	w, err := Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	cols := func(table string) []string {
		tb, _ := lookup(table)
		return make([]string, len(tb.Columns))
	}
	for i := 0; i < 3; i++ {
		if err := w.Row("organisations", cols("organisations")); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	m, ok, err := ReadManifest(dir)
	if err != nil || !ok {
		t.Fatalf("manifest: %v %v", ok, err)
	}
	if m.FormatVersion != FormatVersion || m.Source != Program || m.Date == "" || m.Rows["organisations"] != 3 || m.Rows["members"] != 0 ||
		len(m.SHA256["organisations.csv"]) != 64 || len(m.SHA256) != len(tables) {
		t.Errorf("manifest %+v", m)
	}
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st := r.Stats(); len(st.Ignored) > 0 || len(st.Changed) > 0 {
		t.Errorf("stats of a fresh export: %+v", st)
	}

	// A file edited after the export: read, and named.
	f, err := os.OpenFile(filepath.Join(dir, "organisations.csv"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(strings.Repeat(",", len(cols("organisations"))-1) + "\n")
	f.Close()
	if r, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	if st := r.Stats(); len(st.Changed) != 1 || st.Changed[0] != "organisations.csv" {
		t.Errorf("changed: %+v", st.Changed)
	}

	// A newer format: refused, naming the version that reads it.
	manifest := filepath.Join(dir, ManifestFile)
	b, _ := os.ReadFile(manifest)
	current := fmt.Sprintf(`"format_version": %d`, FormatVersion)
	if !strings.Contains(string(b), current) {
		t.Fatalf("manifest without %s: %s", current, b)
	}
	// An older format (1, before external_organisations): still read.
	os.WriteFile(manifest, []byte(strings.Replace(string(b), current, `"format_version": 1`, 1)), 0o644)
	if _, err := Open(dir); err != nil {
		t.Errorf("older format: %v", err)
	}
	newer := strings.Replace(string(b), current, `"format_version": 99`, 1)
	newer = strings.Replace(newer, `"source": "`+Program+`"`, `"source": "dangvu v9.0.0"`, 1)
	os.WriteFile(manifest, []byte(newer), 0o644)
	_, err = Open(dir)
	if dangvu.ErrorCode(err) != dangvu.EInvalid || !strings.Contains(err.Error(), "dangvu v9.0.0") || !strings.Contains(err.Error(), "phiên bản 99") {
		t.Errorf("newer format: %v", err)
	}

	// Without a manifest (a folder made by hand, or by a dangvu before manifests): format 1.
	os.Remove(manifest)
	if _, err := Open(dir); err != nil {
		t.Errorf("without a manifest: %v", err)
	}
}

// TestXLSXManifest: a workbook carries its manifest on a sheet (format version, source, date,
// rows per table), which is not listed as an ignored sheet; a workbook of a newer format is
// refused naming the dangvu that wrote it, an older one opens.
func TestXLSXManifest(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.xlsx")
	write := func(version int, source string) {
		t.Helper()
		w, err := Create(path)
		if err != nil {
			t.Fatal(err)
		}
		w.Row("organisations", []string{"VN", "1930-02-03", "", "Đảng Cộng sản Việt Nam", "", "central", "central", "TW", ""})
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if version == FormatVersion {
			return
		}
		// Rewrite the manifest sheet's version with excelize, as another dangvu would have written it.
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f.SetCellValue(ManifestSheet, "B2", strconv.Itoa(version))
		f.SetCellValue(ManifestSheet, "B3", source)
		if err := f.Save(); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	write(FormatVersion, "")
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Stats().Ignored) != 0 {
		t.Errorf("ignored: %v", r.Stats().Ignored)
	}
	r.Close()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(ManifestSheet)
	f.Close()
	got := map[string]string{}
	for _, row := range rows[1:] {
		got[row[0]] = row[1]
	}
	if got["format_version"] != strconv.Itoa(FormatVersion) || got["source"] != Program || got["date"] == "" || got["rows:organisations"] != "1" || got["rows:members"] != "0" {
		t.Errorf("manifest sheet: %v", got)
	}

	write(1, "dangvu v1.0.0")
	if r, err := Open(path); err != nil {
		t.Errorf("older format: %v", err)
	} else {
		r.Close()
	}
	write(99, "dangvu v9.0.0")
	_, err = Open(path)
	if dangvu.ErrorCode(err) != dangvu.EInvalid || !strings.Contains(err.Error(), "dangvu v9.0.0") || !strings.Contains(err.Error(), "phiên bản 99") {
		t.Errorf("newer format: %v", err)
	}
}
