package httpapi

// Paging of the pages' lists: each list says its true total ("2.797 hồ sơ", or "hơn 5.000" when
// the store's bound was reached) and is shown a page at a time, with links that keep the filters.

import (
	"net/http"
	"strconv"
)

// listPage is how many rows a list page shows.
const listPage = 50

// pager is a list's position, for the "pager" template of the layout.
type pager struct {
	Unit          string // what the list counts: "hồ sơ", "hội nghị"
	Total         int
	Capped        bool // Total is the store's bound: there may be more
	PageNo, Pages int
	First, Last   int // the rows shown, from 1
	Prev, Next    string
}

// paginate cuts all to the page the request asks for (?page=N, from 1); capped says all was cut
// at the store's bound.
func paginate[T any](r *http.Request, all []T, capped bool, unit string) ([]T, pager) {
	p := pager{Unit: unit, Total: len(all), Capped: capped, Pages: max((len(all)+listPage-1)/listPage, 1)}
	p.PageNo, _ = strconv.Atoi(r.URL.Query().Get("page"))
	p.PageNo = min(max(p.PageNo, 1), p.Pages)
	from := (p.PageNo - 1) * listPage
	to := min(from+listPage, len(all))
	if to > from {
		p.First, p.Last = from+1, to
	}
	link := func(n int) string {
		q := r.URL.Query()
		q.Del("page")
		if n > 1 {
			q.Set("page", strconv.Itoa(n))
		}
		if len(q) == 0 {
			return r.URL.Path
		}
		return r.URL.Path + "?" + q.Encode()
	}
	if p.PageNo > 1 {
		p.Prev = link(p.PageNo - 1)
	}
	if p.PageNo < p.Pages {
		p.Next = link(p.PageNo + 1)
	}
	return all[from:to], p
}
