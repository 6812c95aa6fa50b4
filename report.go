package dangvu

import (
	"bytes"
	"encoding/json"
	"time"
)

// ReportQuery asks for the term report of an organisation over a period, seen as of a date.
type ReportQuery struct {
	Org      string    // id or exact name as of AsOf
	From, To time.Time // the period, both days included
	AsOf     time.Time // the tree and roster date; default To
	Document string    // restricts dissemination figures to one document, e.g. "04-NQ/TW"
}

// Figure is one entry of a report: a stable key (a contract for scripts), a Vietnamese label,
// and a value that is a number or, for the identifying entries, a string.
type Figure struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Value any    `json:"value"`
}

// Report is the term report: an ordered list of figures that each domain adds to. It marshals to
// one JSON object whose keys are the figures' keys, in order.
type Report struct {
	Figures []Figure
}

// Set adds or replaces a figure.
func (r *Report) Set(key, label string, v any) {
	for i := range r.Figures {
		if r.Figures[i].Key == key {
			r.Figures[i] = Figure{key, label, v}
			return
		}
	}
	r.Figures = append(r.Figures, Figure{key, label, v})
}

// Get returns a figure's value.
func (r *Report) Get(key string) (any, bool) {
	for _, f := range r.Figures {
		if f.Key == key {
			return f.Value, true
		}
	}
	return nil, false
}

// MarshalJSON writes the figures as one flat object in order.
func (r *Report) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range r.Figures {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.Key)
		v, err := json.Marshal(f.Value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// ReportList is the list of records behind a figure of the report (its drill-down): a title,
// column headings and rows of display text, each row optionally linking to the record's page.
type ReportList struct {
	Key     string     `json:"key"`
	Title   string     `json:"title"`
	Columns []string   `json:"columns"`
	Rows    [][]string `json:"rows"`
	Links   []string   `json:"links,omitempty"` // per row, "" when the record has no page
	// Action is what a role needs to see the list (e.g. ActInspection for discipline cases).
	Action Action `json:"-"`
}
