package httpapi

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"dangvu"
	"dangvu/internal/rules/meetings"
	"dangvu/internal/store"
)

// The ward's review of the cells' self-scored meeting quality (issue 18): the cell scores its
// meeting against the rubric in the minutes; the superior committee (the ward) reviews the
// score and records its own points (reviewed_points, reviewed_band), which the reports and the
// ward's month then read first. A cell does not review its own score.

// meetingQualityData is what the review page shows: the held meetings of the subtree's cells in
// the month with their own and reviewed scores, the rubric in force, the errors of a review
// refused (by meeting id).
type meetingQualityData struct {
	Org       dangvu.Org
	Month     string
	MonthText string
	Prev      string
	Next      string
	Rubric    meetings.Rubric
	Meetings  []dangvu.CellMeeting
	CanReview bool
	CSRF      string
	Errors    map[string]string // by meeting id: the error beside its input
	Typed     map[string]string // by meeting id: what was typed
}

func (s *Server) meetingQualityPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderMeetingQuality(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderMeetingQuality(w http.ResponseWriter, r *http.Request, status int, errs, typed map[string]string) error {
	org, month, first, o, err := s.meetingMonthOrg(r)
	if err != nil {
		return err
	}
	u := s.user(r)
	d := meetingQualityData{Org: o, Month: month, MonthText: first.Format("01/2006"), Prev: first.AddDate(0, -1, 0).Format("2006-01"),
		Next: first.AddDate(0, 1, 0).Format("2006-01"), Rubric: meetings.For(first).Rubric, CSRF: s.csrf(r), Errors: errs, Typed: typed,
		CanReview: u != nil && u.UserRole.Can(dangvu.ActMeetings) && o.Level != dangvu.LevelCell && o.Level != dangvu.LevelGrassrootsCell}
	ms, err := s.Store.Meetings(r.Context(), store.MeetingFilter{Under: org, From: month, To: month})
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.Status == dangvu.MeetingHeld && m.Kind != dangvu.MeetingCommittee {
			d.Meetings = append(d.Meetings, m)
		}
	}
	return s.render(w, r, status, "meetings_quality.html", "Đánh giá chất lượng sinh hoạt chi bộ: "+o.Name, "meetings-quality", d)
}

// meetingQualityPost records the ward's review of one meeting's score and returns to the list.
func (s *Server) meetingQualityPost(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "Biểu mẫu không đọc được")
	}
	id := r.PathValue("id")
	m, err := s.Store.Meeting(r.Context(), id)
	if err != nil {
		return err
	}
	if u := s.user(r); u != nil && u.OrgID == m.OrgID {
		return dangvu.Errorf(dangvu.EForbidden, "%s không tự xem xét điểm chất lượng của mình: đảng ủy cấp trên xem xét điểm chi bộ tự chấm", m.OrgName)
	}
	back := url.Values{"org": {r.PostForm.Get("org")}, "month": {m.Month}}
	if back.Get("org") == "" {
		back.Set("org", m.OrgID)
	}
	typed := strings.TrimSpace(r.PostForm.Get("reviewed_points"))
	n, convErr := strconv.Atoi(typed)
	if convErr == nil {
		_, err = s.Store.ReviewMeetingQuality(r.Context(), s.actor(r), id, n)
	} else {
		err = refuse("reviewed_points", "điểm xem xét phải là số nguyên")
	}
	if err != nil {
		errs := map[string]string{}
		other, perr := placeErrors(err, errs, inputsOf("reviewed_points"))
		if perr != nil {
			return perr
		}
		msg := errs["reviewed_points"]
		for _, o := range other {
			msg = strings.TrimSpace(msg + " " + o.Reason)
		}
		r.URL.RawQuery = back.Encode()
		return s.renderMeetingQuality(w, r, http.StatusBadRequest, map[string]string{id: msg}, map[string]string{id: typed})
	}
	http.Redirect(w, r, "/meetings/quality?"+back.Encode(), http.StatusSeeOther)
	return nil
}
