package storetest

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"testing"

	"dangvu"
	"dangvu/internal/store"
)

// reportKeys are the term report's core keys, a contract for scripts, in order.
var reportKeys = []string{"org_id", "org_name", "from", "to", "as_of", "term_start", "members", "members_probationary", "members_female"}

func testTermReport(t *testing.T, f *fixture, s *store.Store) {
	tests := []struct {
		name            string
		ref             string // id or name
		id              string // the organisation it names
		from, to, asOf  string // asOf "" defaults to to
		termStart       any    // string, or nil when no term covers `to`
		wantCode        string // an error instead
		wantAdmittedMin int    // guards the fixture: the case must count someone admitted
	}{
		{name: "merged ward by id", ref: orgPDN, id: orgPDN, from: MergeDate, to: "2021-12-31", termStart: "2020-07-05", wantAdmittedMin: 1},
		{name: "city by name, first term", ref: "Đảng bộ thành phố Uông Bí", id: orgUB, from: "2015-07-10", to: "2020-07-19", termStart: "2015-07-10", wantAdmittedMin: 2},
		{name: "city, second term", ref: orgUB, id: orgUB, from: "2020-07-20", to: "2024-12-31", termStart: "2020-07-20"},
		{name: "no term", ref: orgDT, id: orgDT, from: "2019-01-01", to: "2019-12-31", termStart: nil, wantAdmittedMin: 1},
		{name: "seen as of an earlier day", ref: orgTYC, id: orgTYC, from: "2019-01-01", to: "2019-12-31", asOf: prev(MoveDate), termStart: nil},
		{name: "ambiguous name", ref: "Chi bộ khu 1", from: "2016-01-01", to: "2016-12-31", wantCode: dangvu.EConflict},
		{name: "not in force", ref: orgPDN, from: "2019-01-01", to: "2019-12-31", wantCode: dangvu.ENotFound},
		{name: "period backwards", ref: orgUB, from: "2020-01-01", to: "2019-01-01", wantCode: dangvu.EInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := dangvu.ReportQuery{Org: tc.ref, From: day(tc.from), To: day(tc.to)}
			asOf := tc.to
			if tc.asOf != "" {
				q.AsOf, asOf = day(tc.asOf), tc.asOf
			}
			r, err := s.TermReport(t.Context(), q)
			if tc.wantCode != "" {
				errorCode(t, err, tc.wantCode)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			o, _ := f.orgOn(tc.id, asOf)
			admitted := f.admittedUnder(tc.id, tc.from, tc.to)
			if admitted < tc.wantAdmittedMin {
				t.Fatalf("fixture: %d admitted, the case wants at least %d", admitted, tc.wantAdmittedMin)
			}
			want := map[string]any{
				"org_id":               tc.id,
				"org_name":             o.Name,
				"from":                 tc.from,
				"to":                   tc.to,
				"as_of":                asOf,
				"term_start":           tc.termStart,
				"members":              float64(f.count(tc.id, asOf, rosterFilter{})),
				"members_probationary": float64(f.count(tc.id, asOf, rosterFilter{status: dangvu.StatusProbationary})),
				"members_female":       float64(f.count(tc.id, asOf, rosterFilter{gender: dangvu.Female})),
				"admitted":             float64(admitted),
				"admission_rate_pct_per_year": func() float64 {
					at := func(d string) int {
						if _, ok := f.orgOn(tc.id, d); !ok {
							return 0
						}
						return f.count(tc.id, d, rosterFilter{})
					}
					days := day(tc.to).Sub(day(tc.from)).Hours()/24 + 1
					mean := float64(at(tc.from)+at(tc.to)) / 2
					if mean == 0 {
						return 0
					}
					return math.Round(100*(float64(admitted)/(days/365.25))/mean*100) / 100
				}(),
			}
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatalf("report JSON %s: %v", b, err)
			}
			for k, w := range want {
				g, ok := got[k]
				if !ok {
					t.Errorf("report has no key %q: %s", k, b)
					continue
				}
				// Unmarshalling into any keeps JSON's types: a figure sent as a string would show here.
				if g != w {
					t.Errorf("report[%q] = %#v (%T), want %#v (%T)", k, g, g, w, w)
				}
			}
			// The core keys come first and in order.
			keys := jsonKeys(t, b)
			if len(keys) < len(reportKeys) || !slices.Equal(keys[:len(reportKeys)], reportKeys) {
				t.Errorf("report keys = %v, want them to start with %v", keys, reportKeys)
			}
		})
	}
}

// jsonKeys returns the keys of a flat JSON object in order.
func jsonKeys(t *testing.T, b []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("report JSON does not start an object: %s", b)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}
