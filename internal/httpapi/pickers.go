package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/vn"
)

// Pickers by name for the fields of record forms that name a member (issue 13, defect 7): the
// field takes a member's code, as before, or the beginning of their name without diacritics
// ("nguyen van d"), looked for with the member search within the writer's subtree. One match is
// written back as the code; several re-render the form with the candidates as radio buttons
// ("pick.<field>") beside the field, every other value kept; none is said next to the field. No
// script is needed. A name is never looked for outside the subtree, so that the answer cannot
// tell a name in another ward from one that does not exist.

// pickLimit is the number of candidates offered beside a field; more say "type more".
const pickLimit = 8

// pickOption is one candidate beside a field: its code, its name and what tells namesakes apart.
type pickOption struct {
	ID, Name, Note string
}

// pickMember resolves the member field of a posted form as of asOf.
func (s *Server) pickMember(r *http.Request, f *formState, field string, asOf time.Time) error {
	if chosen := strings.TrimSpace(r.PostFormValue("pick." + field)); chosen != "" {
		f.Values[field] = chosen // checked against the subtree as any typed code is
		return nil
	}
	typed := f.Values[field]
	u := s.user(r)
	if typed == "" || u == nil || u.UserRole == dangvu.UserMember {
		return nil // a member's account names only itself: no search of other names
	}
	page, err := s.Store.Members(r.Context(), dangvu.MemberFilter{AsOf: asOf, Under: s.defaultOrg(r, ""), Query: typed, Limit: pickLimit + 1})
	var e *dangvu.Error
	switch {
	case dangvu.ErrorCode(err) == dangvu.ENotFound:
		page.Members = nil // the user's organisation ended before asOf: nothing in reach
	case err != nil && errors.As(err, &e):
		f.Errors[field] = e.Message
		return nil
	case err != nil:
		return err
	}
	for _, m := range page.Members {
		if m.ID == typed {
			return nil // the code itself
		}
	}
	switch n := len(page.Members); {
	case n == 1:
		f.Values[field] = page.Members[0].ID
	case n == 0 && strings.IndexFunc(typed, func(c rune) bool { return c >= '0' && c <= '9' }) >= 0:
		// A code not in reach is left for the write's own check, which answers as for a
		// code that does not exist.
	case n == 0:
		f.Errors[field] = fmt.Sprintf("không có đảng viên nào có tên bắt đầu bằng %q trong phạm vi của bạn vào ngày %s", typed, vn.FormatDate(asOf))
	default:
		opts := make([]pickOption, 0, min(n, pickLimit))
		for _, m := range page.Members[:min(n, pickLimit)] {
			var note []string
			if m.BirthDate != "" {
				note = append(note, "sinh "+partialVN(m.BirthDate))
			}
			if m.OrgName != "" {
				note = append(note, m.OrgName)
			}
			opts = append(opts, pickOption{ID: m.ID, Name: m.FullName, Note: strings.Join(note, ", ")})
		}
		more := ""
		if n > pickLimit {
			more = " (và những người khác: gõ thêm tên để thu hẹp)"
		}
		f.Errors[field] = fmt.Sprintf("%q khớp với nhiều đảng viên%s: chọn một người dưới đây hoặc gõ mã", typed, more)
		if f.Choices == nil {
			f.Choices = map[string][]pickOption{}
		}
		f.Choices[field] = opts
	}
	return nil
}
