package rulebook

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// Area is one area of rules: its embedded data and what its values must look like. The area's
// package declares it as a variable and reads its rules through Book; the command line loads an
// administrator's folder into every area once at start (Load).
type Area struct {
	Name  string // folder name in the data and in DIR: "admissions"
	Label string // "Kết nạp đảng viên"
	Files fs.FS  // holds sets.csv and values.csv
	// Keys lists the values every set holds. Nil when keys are free (the calendar's dates), in
	// which case CheckValue validates each row.
	Keys []Key
	// CheckValue, if set, validates a value beyond its kind (e.g. a calendar line's key is a date
	// of the set's year and its value off or work).
	CheckValue func(s *Set, v Value) error
	// NoInherit stops a set added from the folder starting with the values of the set before it
	// (the calendar: a year's schedule shares nothing with the year before).
	NoInherit bool

	mu   sync.Mutex
	book *Book
}

// Book returns the area's rules: the embedded data with the administrator's folder applied if
// Load was called. Embedded data that fails validation is a build defect and panics (the test
// of every area loads it).
func (a *Area) Book() *Book {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.book == nil {
		b, err := a.load(nil, "")
		if err != nil {
			panic("rulebook: embedded " + a.Name + ": " + err.Error())
		}
		a.book = b
	}
	return a.book
}

// Load applies the administrator's folder dir (DIR/<area>/sets.csv, values.csv; either may be
// missing) over the embedded data; dir "" restores the embedded data. On error the area keeps its
// previous rules.
func (a *Area) Load(dir string) error {
	var over fs.FS
	if dir != "" {
		sub := filepath.Join(dir, a.Name)
		if st, err := os.Stat(sub); err == nil && st.IsDir() {
			over = os.DirFS(sub)
		}
	}
	b, err := a.load(over, filepath.Join(dir, a.Name))
	if err != nil {
		return err
	}
	a.mu.Lock()
	a.book = b
	a.mu.Unlock()
	return nil
}

// LoadAll applies dir to every area after checking that dir holds no folder or file that no area
// reads (a misspelt folder would otherwise be ignored in silence). All errors are returned.
func LoadAll(dir string, areas []*Area) error {
	var errs Errors
	if dir != "" {
		ents, err := os.ReadDir(dir)
		if err != nil {
			return fmt.Errorf("thư mục quy định %s: %w", dir, err)
		}
		known := map[string]bool{}
		for _, a := range areas {
			known[a.Name] = true
		}
		for _, e := range ents {
			if !e.IsDir() || !known[e.Name()] {
				names := make([]string, 0, len(areas))
				for _, a := range areas {
					names = append(names, a.Name)
				}
				errs = append(errs, &Error{File: filepath.Join(dir, e.Name()), Msg: "không có lĩnh vực quy định này; các thư mục được đọc: " + strings.Join(names, ", ")})
			}
		}
	}
	for _, a := range areas {
		if err := a.Load(dir); err != nil {
			var es Errors
			if errors.As(err, &es) {
				errs = append(errs, es...)
			} else {
				errs = append(errs, &Error{File: filepath.Join(dir, a.Name), Msg: err.Error()})
			}
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// Error is one problem in a data file, naming file, line and field.
type Error struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, " dòng %d", e.Line)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, ", cột %s", e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// Errors are all the problems found in a load.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

var (
	setCols   = []string{"id", "name", "from", "to", "citation", "confidence", "note"}
	valueCols = []string{"set", "key", "label", "value", "citation", "confidence", "note"}
)

type row struct {
	file string
	line int
	f    map[string]string
}

// readCSV reads a data file with its header; a missing file gives no rows.
func readCSV(fsys fs.FS, name, shown string, cols []string, errs *Errors) []row {
	f, err := fsys.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		*errs = append(*errs, &Error{File: shown, Msg: err.Error()})
		return nil
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.Comment = '#'
	header, err := r.Read()
	if err != nil {
		*errs = append(*errs, &Error{File: shown, Line: 1, Msg: "không đọc được dòng tiêu đề: " + err.Error()})
		return nil
	}
	header[0] = strings.TrimPrefix(header[0], "\ufeff")
	if !slices.Equal(header, cols) {
		*errs = append(*errs, &Error{File: shown, Line: 1, Msg: "dòng tiêu đề phải là " + strings.Join(cols, ",")})
		return nil
	}
	var out []row
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			*errs = append(*errs, &Error{File: shown, Line: line, Msg: err.Error()})
			break
		}
		if len(rec) != len(cols) {
			*errs = append(*errs, &Error{File: shown, Line: line, Msg: fmt.Sprintf("cần %d cột (%s), có %d", len(cols), strings.Join(cols, ","), len(rec))})
			continue
		}
		m := make(map[string]string, len(cols))
		for i, c := range cols {
			m[c] = strings.TrimSpace(rec[i])
		}
		out = append(out, row{shown, line, m})
	}
	return out
}

func (r row) err(field, format string, args ...any) *Error {
	return &Error{File: r.file, Line: r.line, Field: field, Msg: fmt.Sprintf(format, args...)}
}

func (r row) source(errs *Errors) Source {
	s := Source{Citation: r.f["citation"], Confidence: Confidence(r.f["confidence"]), Note: r.f["note"]}
	if s.Citation == "" {
		*errs = append(*errs, r.err("citation", "thiếu trích dẫn văn bản, điều, khoản"))
	}
	if !s.Confidence.Valid() {
		*errs = append(*errs, r.err("confidence", "%q không hợp lệ: confirmed, secondary, unconfirmed hoặc conflict", s.Confidence))
	}
	if s.Confidence == Conflict && s.Note == "" {
		*errs = append(*errs, r.err("note", "giá trị mâu thuẫn phải ghi chú các nguồn khác nhau"))
	}
	return s
}

func (r row) date(field string, errs *Errors) time.Time {
	s := r.f[field]
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		*errs = append(*errs, r.err(field, "ngày %q không hợp lệ: cần yyyy-mm-dd", s))
	}
	return t
}

// load reads the embedded files and, over them, the administrator's (over, shown as dir).
func (a *Area) load(over fs.FS, dir string) (*Book, error) {
	var errs Errors
	b := &Book{Area: a.Name, Label: a.Label}
	where := map[string]row{} // set id → the row that defined it, for errors found after merging
	a.merge(b, a.Files, "embedded:"+a.Name, false, where, &errs)
	if over != nil {
		a.merge(b, over, dir, true, where, &errs)
	}
	b.sort()
	for i := range b.Sets {
		s := &b.Sets[i]
		if i > 0 && s.From.Equal(b.Sets[i-1].From) {
			errs = append(errs, where[s.ID].err("from", "bộ quy định %s bắt đầu cùng ngày với %s", s.ID, b.Sets[i-1].ID))
		}
		for _, k := range a.Keys {
			if _, ok := s.Value(k.Name); !ok && !k.Optional {
				errs = append(errs, where[s.ID].err("", "bộ quy định %s thiếu giá trị %s (%s)", s.ID, k.Name, k.Label))
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return b, nil
}

func (a *Area) key(name string) (Key, bool) {
	for _, k := range a.Keys {
		if k.Name == name {
			return k, true
		}
	}
	return Key{}, false
}

func (a *Area) merge(b *Book, fsys fs.FS, dir string, local bool, where map[string]row, errs *Errors) {
	// A set new in the folder starts with the values of the set in force the day before it.
	for _, r := range readCSV(fsys, "sets.csv", dir+"/sets.csv", setCols, errs) {
		s := Set{Area: a.Name, ID: r.f["id"], Name: r.f["name"], Source: r.source(errs), Local: local}
		s.From, s.To = r.date("from", errs), r.date("to", errs)
		switch {
		case s.ID == "" || strings.ContainsAny(s.ID, " ,/"):
			*errs = append(*errs, r.err("id", "mã bộ quy định %q không hợp lệ (không để trống, không chứa dấu cách, phẩy, gạch chéo)", s.ID))
			continue
		case s.Name == "":
			*errs = append(*errs, r.err("name", "thiếu tên bộ quy định"))
		case r.f["from"] == "":
			*errs = append(*errs, r.err("from", "thiếu ngày có hiệu lực"))
		case !s.To.IsZero() && s.To.Before(s.From):
			*errs = append(*errs, r.err("to", "ngày hết hiệu lực trước ngày có hiệu lực"))
		}
		if old, ok := b.ByID(s.ID); ok {
			if !local {
				*errs = append(*errs, r.err("id", "bộ quy định %s đã khai báo ở dòng %d", s.ID, where[s.ID].line))
				continue
			}
			s.Values = old.Values
			*old = s
		} else {
			if local && !a.NoInherit {
				b.sort()
				if prev, ok := b.For(s.From.AddDate(0, 0, -1)); ok {
					s.Values = slices.Clone(prev.Values)
				}
			}
			b.Sets = append(b.Sets, s)
		}
		where[s.ID] = r
	}
	for _, r := range readCSV(fsys, "values.csv", dir+"/values.csv", valueCols, errs) {
		s, ok := b.ByID(r.f["set"])
		if !ok {
			*errs = append(*errs, r.err("set", "không có bộ quy định %q (khai báo trong sets.csv)", r.f["set"]))
			continue
		}
		v := Value{Key: r.f["key"], Label: r.f["label"], Text: r.f["value"], Source: r.source(errs), Local: local}
		if a.Keys != nil {
			k, ok := a.key(v.Key)
			if !ok {
				*errs = append(*errs, r.err("key", "khóa %q không thuộc lĩnh vực %s", v.Key, a.Name))
				continue
			}
			if err := k.Kind.check(v.Text); err != nil {
				*errs = append(*errs, r.err("value", "%s: %v", v.Key, err))
			}
			if v.Label == "" {
				v.Label = k.Label
			}
		} else if v.Key == "" {
			*errs = append(*errs, r.err("key", "thiếu khóa"))
			continue
		}
		if a.CheckValue != nil {
			if err := a.CheckValue(s, v); err != nil {
				*errs = append(*errs, r.err("value", "%v", err))
			}
		}
		if i := slices.IndexFunc(s.Values, func(x Value) bool { return x.Key == v.Key }); i >= 0 {
			if !local && !s.Values[i].Local {
				*errs = append(*errs, r.err("key", "khóa %s của bộ %s đã có", v.Key, s.ID))
				continue
			}
			// A set's own values are cloned before the first change so the set it inherited from keeps its.
			s.Values = slices.Clone(s.Values)
			s.Values[i] = v
		} else {
			s.Values = append(s.Values, v)
		}
	}
}

// Embedded is the folder data/DIR of a package's embedded rule files: an area's Files. A
// missing folder is a build mistake, so it panics at start rather than at the first look-up.
func Embedded(files fs.FS, dir string) fs.FS {
	f, err := fs.Sub(files, "data/"+dir)
	if err != nil {
		panic(err)
	}
	return f
}
