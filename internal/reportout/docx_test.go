package reportout

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
	"time"
)

func docxPart(t *testing.T, b []byte, name string) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name == name {
			rc, _ := f.Open()
			defer rc.Close()
			x, _ := io.ReadAll(rc)
			return string(x)
		}
	}
	t.Fatalf("no %s", name)
	return ""
}

// The DOCX layout is the one in force on the report's date: HD 36-HD/VPTW until 26/05/2026, HD
// 05-HD/VPTW from 27/05/2026 (line spacing at least 18 pt).
func TestDOCXLayoutByDate(t *testing.T) {
	for _, tc := range []struct {
		date        time.Time
		guide, line string
	}{
		{time.Date(2018, 5, 31, 0, 0, 0, 0, time.UTC), "36-HD/VPTW", `w:line="300" w:lineRule="auto"`},
		{time.Date(2026, 5, 26, 0, 0, 0, 0, time.UTC), "36-HD/VPTW", `w:line="300" w:lineRule="auto"`},
		{time.Date(2026, 5, 27, 0, 0, 0, 0, time.UTC), "05-HD/VPTW", `w:line="360" w:lineRule="atLeast"`},
	} {
		var b bytes.Buffer
		h := Letterhead{Superior: "ĐẢNG BỘ TỈNH QUẢNG NINH", Issuer: "ĐẢNG ỦY PHƯỜNG UÔNG BÍ", Symbol: "BC/ĐU", Place: "Uông Bí", Date: tc.date, Title: "BÁO CÁO", Subtitle: "Thử"}
		if err := DOCX(&b, h, []string{"Đoạn thứ nhất."}, nil); err != nil {
			t.Fatal(err)
		}
		doc, core := docxPart(t, b.Bytes(), "word/document.xml"), docxPart(t, b.Bytes(), "docProps/core.xml")
		if !strings.Contains(doc, tc.line) || !strings.Contains(core, tc.guide) || !strings.Contains(doc, `w:top="1134"`) {
			t.Errorf("%s: layout %s not applied", tc.date.Format(time.DateOnly), tc.guide)
		}
		if !strings.Contains(docxPart(t, b.Bytes(), "word/styles.xml"), `w:ascii="Times New Roman"`) {
			t.Error("font")
		}
	}
}
