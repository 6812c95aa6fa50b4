package store

import (
	"reflect"
	"strings"
	"testing"

	"dangvu"
)

func ver(id, from, to, parent string) orgVersion {
	return orgVersion{Org: dangvu.Org{ID: id, ValidFrom: dangvu.MustDate(from), ValidTo: dangvu.MustDate(to), ParentID: parent}}
}

func TestComputePaths(t *testing.T) {
	const F = dangvu.ForeverISO
	d := dangvu.MustDate
	tests := []struct {
		name     string
		versions []orgVersion
		want     map[string][]pathSeg
		errs     []string // substrings of the expected errors, in order
	}{
		{
			name:     "a chain",
			versions: []orgVersion{ver("VN", "1930-01-01", F, ""), ver("QN", "1963-01-01", F, "VN"), ver("UB", "2011-01-01", "2025-07-01", "QN")},
			want: map[string][]pathSeg{
				"VN": {{"VN", d("1930-01-01"), d(F), "/VN/", 1}},
				"QN": {{"QN", d("1963-01-01"), d(F), "/VN/QN/", 2}},
				"UB": {{"UB", d("2011-01-01"), d("2025-07-01"), "/VN/QN/UB/", 3}},
			},
		},
		{
			// A cell whose ward moves from the city to the province on 1/7/2025 changes path that
			// day without a version of its own.
			name: "descendants follow a move",
			versions: []orgVersion{
				ver("QN", "2000-01-01", F, ""), ver("UB", "2000-01-01", "2025-07-01", "QN"),
				ver("PD", "2000-01-01", "2025-07-01", "UB"), ver("PD", "2025-07-01", F, "QN"),
				ver("K1", "2010-01-01", F, "PD"),
			},
			want: map[string][]pathSeg{
				"QN": {{"QN", d("2000-01-01"), d(F), "/QN/", 1}},
				"UB": {{"UB", d("2000-01-01"), d("2025-07-01"), "/QN/UB/", 2}},
				"PD": {{"PD", d("2000-01-01"), d("2025-07-01"), "/QN/UB/PD/", 3}, {"PD", d("2025-07-01"), d(F), "/QN/PD/", 2}},
				"K1": {{"K1", d("2010-01-01"), d("2025-07-01"), "/QN/UB/PD/K1/", 4}, {"K1", d("2025-07-01"), d(F), "/QN/PD/K1/", 3}},
			},
		},
		{
			name: "a rename keeps one path segment",
			versions: []orgVersion{
				ver("QN", "2000-01-01", F, ""), ver("X", "2000-01-01", "2010-01-01", "QN"), ver("X", "2010-01-01", F, "QN"),
			},
			want: map[string][]pathSeg{
				"QN": {{"QN", d("2000-01-01"), d(F), "/QN/", 1}},
				"X":  {{"X", d("2000-01-01"), d(F), "/QN/X/", 2}},
			},
		},
		{
			name:     "parent ends before the child",
			versions: []orgVersion{ver("A", "2000-01-01", "2010-01-01", ""), ver("B", "2005-01-01", F, "A")},
			errs:     []string{"tổ chức cấp trên A không có hiệu lực từ 01/01/2010"},
		},
		{
			name:     "parent starts after the child",
			versions: []orgVersion{ver("A", "2005-01-01", F, ""), ver("B", "2000-01-01", F, "A")},
			errs:     []string{"tổ chức cấp trên A không có hiệu lực từ 01/01/2000"},
		},
		{
			name:     "unknown parent",
			versions: []orgVersion{ver("B", "2000-01-01", F, "ZZ")},
			errs:     []string{`không có tổ chức cấp trên "ZZ"`},
		},
		{
			name:     "a cycle",
			versions: []orgVersion{ver("A", "2000-01-01", F, "B"), ver("B", "2000-01-01", F, "A")},
			errs:     []string{"vòng lặp"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := map[string][]orgVersion{}
			for _, v := range tt.versions {
				in[v.ID] = append(in[v.ID], v)
			}
			got, errs := computePaths(in)
			if len(errs) != len(tt.errs) {
				t.Fatalf("errors = %v, want %d matching %v", errs, len(tt.errs), tt.errs)
			}
			for i, e := range errs {
				if !strings.Contains(e.Reason, tt.errs[i]) {
					t.Errorf("error %d = %q, want it to contain %q", i, e.Reason, tt.errs[i])
				}
			}
			if tt.want != nil && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("paths =\n%v\nwant\n%v", got, tt.want)
			}
		})
	}
}

func TestSubtreeRange(t *testing.T) {
	lo, hi := subtreeRange("/VN/QN/UB/")
	for _, p := range []struct {
		path string
		in   bool
	}{
		{"/VN/QN/UB/", true}, {"/VN/QN/UB/PD/K1/", true}, {"/VN/QN/UB-2/", false}, {"/VN/QN/UB.X/", false},
		{"/VN/QN/UBA/", false}, {"/VN/QN/UB0/", false}, {"/VN/QN/", false}, {"/VN/QN/UA/", false},
	} {
		if got := p.path >= lo && p.path < hi; got != p.in {
			t.Errorf("%s in subtree of /VN/QN/UB/ = %v, want %v", p.path, got, p.in)
		}
	}
}
