package httpapi

import (
	"net/http"
	"strconv"
)

// apiPage is the convention every list of the API shares: total rows, the page's offset and
// limit, and the address of the next page (null on the last). Embedded in a list's body, its keys
// sit beside the list's.
type apiPage struct {
	Total  int     `json:"total"`
	Offset int     `json:"offset"`
	Limit  int     `json:"limit"`
	Next   *string `json:"next"`
}

// nextPage is the address of the page after one of limit rows at offset, nil on the last.
func nextPage(r *http.Request, offset, limit, total int) *string {
	if limit <= 0 || offset+limit >= total {
		return nil
	}
	q := r.URL.Query()
	q.Set("offset", strconv.Itoa(offset+limit))
	q.Set("limit", strconv.Itoa(limit))
	next := r.URL.Path + "?" + q.Encode()
	return &next
}

// pageOf cuts the page the offset and limit parameters ask for (limit def when absent) out of
// a whole list.
func pageOf[T any](r *http.Request, items []T, def int) ([]T, apiPage, error) {
	offset, err := intParam(r, "offset", 0)
	if err != nil {
		return nil, apiPage{}, err
	}
	limit, err := intParam(r, "limit", def)
	if err != nil {
		return nil, apiPage{}, err
	}
	p := apiPage{Total: len(items), Offset: offset, Limit: limit, Next: nextPage(r, offset, limit, len(items))}
	lo, hi := min(offset, len(items)), len(items)
	if limit > 0 {
		hi = min(offset+limit, len(items))
	}
	return nonNil(items[lo:hi]), p, nil
}
