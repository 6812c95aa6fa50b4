package exchange

import "sort"

// Preview is what reading a whole data set found, shown before anything is written: the rows of
// each table, each file's encoding, the legacy-font cells converted, the files and sheets
// ignored, and a few names as they will be stored, so that a wrong encoding is seen at once.
type Preview struct {
	Rows    map[string]int
	Stats   Stats
	Samples []string
}

// NeedsConfirmation reports whether the data set was not plain Unicode: a CSV file read as
// Windows-1258 or UTF-16, or cells converted from TCVN3 or VNI. Its names should be looked at
// before it is imported.
func (p Preview) NeedsConfirmation() bool {
	if len(p.Stats.LegacyCells) > 0 {
		return true
	}
	for _, e := range p.Stats.Encodings {
		if e != "utf-8" && e != "utf-8-bom" {
			return true
		}
	}
	return false
}

// Encodings lists "file: encoding" in file order.
func (p Preview) Encodings() []string {
	var out []string
	for f, e := range p.Stats.Encodings {
		out = append(out, f+": "+e)
	}
	sort.Strings(out)
	return out
}

// samplesPerTable is how many names of each named table a preview shows.
const samplesPerTable = 5

// Inspect reads every table of r without writing anything: the reader's own checks (limits,
// encodings, cells past the header) fail here as they would during the import.
func Inspect(r Reader) (Preview, error) {
	p := Preview{Rows: map[string]int{}}
	// The web import reads a whole upload here before it imports: headers first, as the import.
	if err := CheckHeaders(r); err != nil {
		return p, err
	}
	for _, t := range tables {
		if !r.Has(t.Name) {
			continue
		}
		col := ""
		switch t.Name {
		case "members", "admission_files":
			col = "full_name"
		case "organisations":
			col = "name"
		}
		n := 0
		err := r.Each(t.Name, func(_ int, rec Record) error {
			if n++; col != "" && n <= samplesPerTable {
				if v := rec.Get(col); v != "" {
					p.Samples = append(p.Samples, v)
				}
			}
			return nil
		})
		if err != nil {
			return p, err
		}
		p.Rows[t.Name] = n
	}
	p.Stats = r.Stats()
	return p, nil
}
