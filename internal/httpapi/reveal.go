package httpapi

import (
	"net/http"

	"dangvu"
	"dangvu/internal/store"
)

// sensitiveFields are the member fields masked unless revealed (domain.md §3).
var sensitiveFields = store.SensitiveFields

// maskMember hides the sensitive fields as exports hide them (store.MaskSensitive), keeping
// enough to recognise a record.
func maskMember(m *dangvu.Member) {
	m.IDNumber = store.MaskSensitive("id_number", m.IDNumber)
	m.Phone = store.MaskSensitive("phone", m.Phone)
	m.Residence = store.MaskSensitive("residence", m.Residence)
}

// reveal logs that the user is shown a member's sensitive fields (all of them unless named); it
// refuses roles not allowed.
func (s *Server) reveal(r *http.Request, memberID string, fields ...string) error {
	u := s.user(r)
	if u == nil || !u.UserRole.Can(dangvu.ActRevealSensitive) {
		return dangvu.Errorf(dangvu.EForbidden, "vai trò của bạn không được xem thông tin nhạy cảm của đảng viên")
	}
	if len(fields) == 0 {
		fields = sensitiveFields
	}
	return s.Store.LogReveal(r.Context(), u.Username, memberID, fields)
}

func (s *Server) memberReveal(w http.ResponseWriter, r *http.Request) error {
	asOf, err := date(r, "as_of", s.viewDay(r, ""))
	if err != nil {
		return err
	}
	until, err := s.memberSeenUntil(r, r.PathValue("id"), asOf)
	if err != nil {
		return err
	}
	if until != dangvu.Forever {
		return errLeft(r.PathValue("id"), until)
	}
	if err := s.reveal(r, r.PathValue("id")); err != nil {
		return err
	}
	return s.memberView(w, r, true)
}
