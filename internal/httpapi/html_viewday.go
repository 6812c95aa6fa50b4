package httpapi

// "Xem theo ngày": the whole system is dated, so the header carries a day that every page is
// shown as of. GET /view-day?day=dd/mm/yyyy&back=/path keeps the day in a session cookie and
// returns to the page; viewDay (html_ended.go) honours it wherever a request names no as_of,
// and the layout says so with a link back to today.

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/vn"
)

// DayCookie holds the chosen day (ISO). A session cookie: a new browser session opens on today.
const DayCookie = "dangvu_day"

func viewDayRoutes() []route {
	return []route{
		{"GET /view-day", htmlPage((*Server).viewDayPage), "Xem theo ngày: chọn ngày mọi trang hiển thị (day=dd/mm/yyyy, day=today để về hôm nay), rồi quay lại trang back", []string{"day", "back"}, false, dangvu.ActRead},
	}
}

func viewdayModule(m *module) { m.routes = append(m.routes, viewDayRoutes) }

// chosenDay is the day the reader chose in the header, false when none (or a malformed cookie).
func (s *Server) chosenDay(r *http.Request) (time.Time, bool) {
	c, err := r.Cookie(DayCookie)
	if err != nil || c.Value == "" {
		return time.Time{}, false
	}
	t, err := dangvu.ParseISODate(c.Value)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// viewDayBack is the page to return to, without its own as_of, which would hide the chosen day.
func viewDayBack(back string) string {
	u, err := url.Parse(localPath(back))
	if err != nil {
		return "/"
	}
	q := u.Query()
	q.Del("as_of")
	u.RawQuery = q.Encode()
	return localPath(u.RequestURI())
}

func (s *Server) viewDayPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	day := strings.TrimSpace(q.Get("day"))
	if day == "" && q.Get("back") == "" {
		// Without parameters: the form alone, for a person who opened the address.
		chosen, ok := s.chosenDay(r)
		text := ""
		if ok {
			text = vn.FormatDate(chosen)
		}
		return s.render(w, r, http.StatusOK, "view_day.html", "Xem theo ngày", "", struct{ Day string }{text})
	}
	c := &http.Cookie{Name: DayCookie, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(r)}
	if day == "" || day == "today" {
		c.MaxAge = -1 // back to today
	} else {
		t, err := vn.ParseDate(day)
		if err != nil {
			return &dangvu.Error{Code: dangvu.EInvalid, Message: "Ngày xem không hợp lệ.", Fields: []dangvu.FieldError{{Field: "day", Reason: err.Error()}}}
		}
		c.Value = dangvu.ISO(t)
	}
	http.SetCookie(w, c)
	http.Redirect(w, r, viewDayBack(q.Get("back")), http.StatusSeeOther)
	return nil
}

// headerDay is the chosen day for the layout's note, nil when pages show today.
func (s *Server) headerDay(r *http.Request) *time.Time {
	if t, ok := s.chosenDay(r); ok {
		return &t
	}
	return nil
}
