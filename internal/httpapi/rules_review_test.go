package httpapi

import (
	"net/http"
	"strings"
	"testing"
)

// /api/v1/rules carries the review, must-not and discipline areas: as of 01/12/2026 QĐ 366 for
// reviews, QĐ 207-QĐ/TW for what members must not do, QĐ 21-QĐ/TW for discipline with QĐ 69 for
// the statute; as of 31/05/2018 the 2016–2018 sets (QĐ 30, QĐ 132, QĐ 102).
func TestAPIRulesReviewAndDiscipline(t *testing.T) {
	srv := newTestServer(t)
	for _, tc := range []struct {
		asOf string
		want map[string]string
	}{
		{"2026-12-01", map[string]string{"reviews": "qd366", "review_criteria": "qd366", "must_not": "QD207-2026", "discipline": "QD21-2026", "discipline_statute": "QD69-2022"}},
		{"2018-05-31", map[string]string{"reviews": "qd132", "must_not": "QD47-2011", "discipline": "QD30-2016", "discipline_statute": "QD102-2017"}},
	} {
		var got rulesResponse
		if status := getInto(t, srv, srv.URL+"/api/v1/rules?as_of="+tc.asOf, &got); status != http.StatusOK {
			t.Fatalf("%s: status %d", tc.asOf, status)
		}
		for area, id := range tc.want {
			s := got.set(area)
			if s == nil || s.ID != id {
				t.Errorf("%s %s: set %+v, want %s", tc.asOf, area, s, id)
				continue
			}
			for _, v := range s.Values {
				if v.Source.Citation == "" || !v.Source.Confidence.Valid() {
					t.Errorf("%s %s %s: %+v", tc.asOf, area, v.Key, v)
				}
			}
		}
	}
	// The 2026 sets known only from a question bank are marked secondary.
	var got rulesResponse
	getInto(t, srv, srv.URL+"/api/v1/rules?as_of=2026-12-01", &got)
	for _, area := range []string{"must_not", "discipline"} {
		if s := got.set(area); s == nil || s.Source.Confidence != "secondary" || !strings.Contains(s.Name, "2026") {
			t.Errorf("%s as of 01/12/2026: %+v", area, s)
		}
	}
}
