package exchange

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Writer receives rows table by table. Rows of several tables may be interleaved (a generator
// writes a member's history as it goes); each table's rows keep their order.
type Writer interface {
	Row(table string, values []string) error
	Close() error
}

// Create returns a writer for path: an XLSX workbook when path ends in .xlsx, else a folder of CSV
// files (created if missing). Every table gets its file or sheet, even when empty.
func Create(path string) (Writer, error) {
	if strings.EqualFold(filepath.Ext(path), ".xlsx") {
		return newXLSXWriter(path), nil
	}
	if err := os.MkdirAll(path, 0o755); err != nil {
		return nil, fmt.Errorf("exchange: %w", err)
	}
	return &dirWriter{dir: path, files: map[string]*csvFile{}}, nil
}

type csvFile struct {
	f *os.File
	b *bufio.Writer
	w *csv.Writer
}

type dirWriter struct {
	dir   string
	files map[string]*csvFile
}

func (d *dirWriter) open(table string) (*csvFile, error) {
	if cf, ok := d.files[table]; ok {
		return cf, nil
	}
	t, ok := Lookup(table)
	if !ok {
		return nil, fmt.Errorf("exchange: unknown table %q", table)
	}
	f, err := os.Create(filepath.Join(d.dir, table+".csv"))
	if err != nil {
		return nil, fmt.Errorf("exchange: %w", err)
	}
	b := bufio.NewWriterSize(f, 1<<20)
	cf := &csvFile{f: f, b: b, w: csv.NewWriter(b)}
	if err := cf.w.Write(t.Columns); err != nil {
		return nil, err
	}
	d.files[table] = cf
	return cf, nil
}

func (d *dirWriter) Row(table string, values []string) error {
	cf, err := d.open(table)
	if err != nil {
		return err
	}
	return cf.w.Write(values)
}

func (d *dirWriter) Close() error {
	var first error
	for _, t := range Tables {
		if _, err := d.open(t.Name); err != nil && first == nil {
			first = err
		}
	}
	for _, cf := range d.files {
		cf.w.Flush()
		if err := cf.w.Error(); err != nil && first == nil {
			first = err
		}
		if err := cf.b.Flush(); err != nil && first == nil {
			first = err
		}
		if err := cf.f.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// MaxSheetRows is the data rows a sheet holds before the table continues on the next sheet
// ("members", "members 2", …): Excel's limit of 1,048,576 rows less the header.
var MaxSheetRows = 1048575

type xlsxSheet struct {
	sw    *excelize.StreamWriter
	rows  int // data rows on the current sheet
	part  int
	table Table
}

type xlsxWriter struct {
	path   string
	f      *excelize.File
	sheets map[string]*xlsxSheet
}

func newXLSXWriter(path string) *xlsxWriter {
	return &xlsxWriter{path: path, f: excelize.NewFile(), sheets: map[string]*xlsxSheet{}}
}

// SheetName is the name of the n-th sheet (from 1) holding table.
func SheetName(table string, n int) string {
	if n == 1 {
		return table
	}
	return fmt.Sprintf("%s %d", table, n)
}

func (x *xlsxWriter) newSheet(s *xlsxSheet) error {
	s.part++
	name := SheetName(s.table.Name, s.part)
	if _, err := x.f.NewSheet(name); err != nil {
		return err
	}
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	s.sw, s.rows = sw, 0
	return sw.SetRow("A1", toCells(s.table.Columns))
}

func (x *xlsxWriter) sheet(table string) (*xlsxSheet, error) {
	if s, ok := x.sheets[table]; ok {
		return s, nil
	}
	t, ok := Lookup(table)
	if !ok {
		return nil, fmt.Errorf("exchange: unknown table %q", table)
	}
	s := &xlsxSheet{table: t}
	if err := x.newSheet(s); err != nil {
		return nil, err
	}
	x.sheets[table] = s
	return s, nil
}

func toCells(v []string) []any {
	c := make([]any, len(v))
	for i, s := range v {
		// Text cells only: an id such as "0123" or a document number must not become a number.
		c[i] = excelize.Cell{Value: s}
	}
	return c
}

func (x *xlsxWriter) Row(table string, values []string) error {
	s, err := x.sheet(table)
	if err != nil {
		return err
	}
	if s.rows == MaxSheetRows {
		if err := s.sw.Flush(); err != nil {
			return err
		}
		if err := x.newSheet(s); err != nil {
			return err
		}
	}
	s.rows++
	cell, _ := excelize.CoordinatesToCellName(1, s.rows+1)
	return s.sw.SetRow(cell, toCells(values))
}

func (x *xlsxWriter) Close() error {
	for _, t := range Tables {
		if _, err := x.sheet(t.Name); err != nil {
			return err
		}
	}
	// Flush in table order so the workbook's sheet order is stable.
	for _, t := range Tables {
		if err := x.sheets[t.Name].sw.Flush(); err != nil {
			return err
		}
	}
	x.f.DeleteSheet("Sheet1")
	x.f.SetActiveSheet(0)
	if err := x.f.SaveAs(x.path); err != nil {
		return fmt.Errorf("exchange: %w", err)
	}
	return x.f.Close()
}

// Memory is an in-memory data set: a Writer that a Reader can then read (the demo builds its data
// set this way and loads it through the same import path as files).
type Memory struct {
	rows map[string][][]string
}

// NewMemory returns an empty in-memory data set.
func NewMemory() *Memory { return &Memory{rows: map[string][][]string{}} }

func (m *Memory) Row(table string, values []string) error {
	t, ok := Lookup(table)
	if !ok {
		return fmt.Errorf("exchange: unknown table %q", table)
	}
	if len(values) != len(t.Columns) {
		return fmt.Errorf("exchange: table %s has %d columns, row has %d", table, len(t.Columns), len(values))
	}
	m.rows[table] = append(m.rows[table], append([]string(nil), values...))
	return nil
}

func (m *Memory) Close() error { return nil }

// Len returns the number of rows of a table.
func (m *Memory) Len(table string) int { return len(m.rows[table]) }
