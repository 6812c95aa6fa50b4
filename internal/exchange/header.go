package exchange

import (
	"bufio"
	"encoding/csv"
	"io"
	"os"

	"dangvu"
)

// CheckHeaders reads only the header row of every table of r and refuses, all together, the
// headers that the full reading would refuse: unknown or repeated columns, missing key columns.
// The import calls it before it writes anything. Without it a data set from another version of
// the format (disciplines.csv with columns this version does not know, say) was refused only
// when its table came, after the members, their statuses and memberships had been read and
// written: 5 s and 290 MB for 100.000 members, minutes for the country.
//
// It is a shortcut, not a second judge: a header it cannot read cheaply (an empty file, a first
// line that is not Unicode text, an unreadable sheet) is left to the full reading, whose checks
// and messages stay as they are.
func CheckHeaders(r Reader) error {
	var fields []dangvu.FieldError
	add := func(err error) {
		if e, ok := err.(*dangvu.Error); ok {
			fields = append(fields, e.Fields...)
		}
	}
	for _, t := range tables {
		if !r.Has(t.Name) {
			continue
		}
		switch x := r.(type) {
		case *dirReader:
			add(x.checkHeader(t))
		case *xlsxReader:
			for part := 1; ; part++ {
				name := SheetName(t.Name, part)
				if idx, err := x.f.GetSheetIndex(name); err != nil || idx < 0 {
					break
				}
				add(x.checkHeader(t, name))
			}
		}
		// Other readers (data built in memory) have the format's own columns.
	}
	if len(fields) > 0 {
		return &dangvu.Error{Code: dangvu.EInvalid, Message: "Dòng tiêu đề không đúng định dạng.", Fields: fields}
	}
	return nil
}

// checkHeader reads the first row of a table's CSV file, in its encoding when a BOM names one
// (UTF-8 otherwise: a header in Windows-1258 that is not plain ASCII fails checkCells and is
// left to the full reading, which chooses the encoding from the whole file).
func (d *dirReader) checkHeader(t Table) error {
	f, err := os.Open(d.path(t.Name))
	if err != nil {
		return nil
	}
	defer f.Close()
	// Past a row's limit the header may be cut short: then the full reading decides.
	lr := &io.LimitedReader{R: f, N: int64(d.lim.Row) + 1}
	br := bufio.NewReaderSize(lr, 64<<10)
	enc := "utf-8"
	switch head, _ := br.Peek(3); {
	case len(head) >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF:
		enc = "utf-8-bom"
	case len(head) >= 2 && head[0] == 0xFF && head[1] == 0xFE:
		enc = "utf-16le"
	case len(head) >= 2 && head[0] == 0xFE && head[1] == 0xFF:
		enc = "utf-16be"
	}
	cr := csv.NewReader(decoder(br, enc))
	cr.FieldsPerRecord = -1
	first, err := cr.Read()
	if err != nil || lr.N == 0 {
		return nil
	}
	return headerOnly(t, d.Source(t.Name), first, d.lim)
}

// checkHeader reads the first row of one sheet of a table.
func (x *xlsxReader) checkHeader(t Table, sheet string) error {
	rows, err := x.f.Rows(sheet)
	if err != nil {
		return nil
	}
	defer rows.Close()
	if !rows.Next() {
		return nil
	}
	first, err := rows.Columns()
	if err != nil {
		return nil
	}
	return headerOnly(t, sheet, first, x.lim)
}

// headerOnly checks a first row as the full reading does (readCSV, eachSheet), without counting
// its legacy cells into the reader's statistics.
func headerOnly(t Table, source string, first []string, lim Limits) error {
	if errs := checkCells(source, 1, first, nil, lim); len(errs) > 0 {
		return nil
	}
	clean(first, &Stats{})
	_, err := header(t, source, first)
	return err
}
