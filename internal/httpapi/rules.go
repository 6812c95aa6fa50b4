package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/rulebook"
	"dangvu/internal/rules/admission"
	"dangvu/internal/rules/badges"
	"dangvu/internal/rules/discipline"
	"dangvu/internal/rules/documents"
	"dangvu/internal/rules/dues"
	"dangvu/internal/rules/meetings"
	"dangvu/internal/rules/records"
	"dangvu/internal/rules/review"
	"dangvu/internal/vn"
	"dangvu/internal/workday"
)

// RuleAreas lists the rule areas, in the order the page "Quy định áp dụng" and /api/v1/rules show
// them; the command line loads an administrator's rules folder (--rules) into each. One line per
// area: an area's package declares it (docs/rules.md).
func RuleAreas() []*rulebook.Area {
	return []*rulebook.Area{
		admission.Admissions,
		admission.Lifecycle,
		review.Reviews,
		review.Criteria,
		review.MustNot,
		discipline.Area,
		discipline.StatuteArea,
		workday.Area,
		documents.Kinds,
		documents.Layout,
		documents.Secrecy,
		meetings.Area,
		meetings.Quality,
		meetings.Residence,
		dues.Area,
		badges.Area,
		badges.Salary,
		records.Catalogue,
		records.Cards,
	}
}

func rulesModule(m *module) {
	m.routes = append(m.routes, ruleRoutes)
	m.api = map[string]apiTypes{
		"GET /api/v1/rules":    {out: rulesBody{}},
		"GET /api/v1/calendar": {out: calendarYear{}},
	}
	m.nav = append(m.nav, navItem{"rules", "/rules", "Quy định áp dụng", string(dangvu.ActRead)})
	m.funcs["confidence"] = func(c rulebook.Confidence) string { return c.Label() }
}

func ruleRoutes() []route {
	return []route{
		{"GET /rules", htmlPage((*Server).rulesPage), "Quy định áp dụng vào một ngày: bộ quy định, giá trị, trích dẫn, mức xác minh; lịch nghỉ của năm", []string{"as_of"}, false, dangvu.ActRead},
		{"GET /api/v1/rules", (*Server).apiRules, "Quy định áp dụng vào ngày as_of theo từng lĩnh vực: bộ quy định, ngày hiệu lực, mọi giá trị với trích dẫn và mức xác minh (confirmed, secondary, unconfirmed, conflict); local = đơn vị sửa", []string{"as_of"}, false, dangvu.ActRead},
		{"GET /api/v1/calendar", (*Server).apiCalendar, "Ngày nghỉ lễ, Tết và ngày làm bù của một năm, với nguồn; estimated = năm chưa có lịch chính thức (tính theo âm lịch)", []string{"year"}, false, dangvu.ActRead},
	}
}

// ruleValue, ruleSet and ruleArea are the JSON of /api/v1/rules (and the page's data).
type ruleSet struct {
	ID      string           `json:"id"`
	Name    string           `json:"name"`
	From    string           `json:"from"`
	To      string           `json:"to,omitempty"` // last day in force; empty while in force
	Source  rulebook.Source  `json:"source"`
	Local   bool             `json:"local,omitempty"`
	Values  []rulebook.Value `json:"values,omitempty"`
	InForce bool             `json:"in_force,omitempty"`
}

type ruleArea struct {
	Area  string `json:"area"`
	Label string `json:"label"`
	// Set is the set in force on the date; nil when none (a year without a recorded calendar).
	Set      *ruleSet  `json:"set"`
	Note     string    `json:"note,omitempty"`
	Versions []ruleSet `json:"versions"` // every set of the area, without values
	Local    bool      `json:"local,omitempty"`
}

func asOfParam(r *http.Request, today time.Time) (time.Time, error) {
	v := strings.TrimSpace(r.URL.Query().Get("as_of"))
	if v == "" {
		return today, nil
	}
	t, err := vn.ParseDate(v)
	if err != nil {
		return t, &dangvu.Error{Code: dangvu.EInvalid, Message: "Ngày không hợp lệ.", Fields: []dangvu.FieldError{{Field: "as_of", Reason: err.Error()}}}
	}
	return t, nil
}

func iso(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// rulesAsOf is, for each area, the set in force on d with its values and the list of versions.
func rulesAsOf(d time.Time) []ruleArea {
	var out []ruleArea
	for _, a := range RuleAreas() {
		b := a.Book()
		ra := ruleArea{Area: a.Name, Label: a.Label, Local: b.Local()}
		in, ok := b.For(d)
		for i, s := range b.Sets {
			v := ruleSet{ID: s.ID, Name: s.Name, From: iso(s.From), To: iso(b.Until(i)), Source: s.Source, Local: s.Local, InForce: ok && in.ID == s.ID}
			if v.InForce {
				full := v
				full.Values = s.Values
				ra.Set = &full
			}
			ra.Versions = append(ra.Versions, v)
		}
		if !ok {
			ra.Note = "Không có bộ quy định nào có hiệu lực vào ngày " + vn.FormatDate(d)
			if a == workday.Area {
				ra.Note = "Chưa ghi lịch nghỉ chính thức của năm " + strconv.Itoa(d.Year()) + ": ngày nghỉ tính theo Bộ luật Lao động và âm lịch, hạn tính trên đó là ước tính"
			}
		}
		out = append(out, ra)
	}
	return out
}

func (s *Server) apiRules(w http.ResponseWriter, r *http.Request) error {
	d, err := asOfParam(r, s.today())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rulesBody{iso(d), rulesAsOf(d)})
}

// rulesBody is the JSON of /api/v1/rules.
type rulesBody struct {
	AsOf  string     `json:"as_of"`
	Areas []ruleArea `json:"areas"`
}

// calendarDay is one line of /api/v1/calendar.
type calendarDay struct {
	Date    string          `json:"date"`
	Weekday string          `json:"weekday"`
	Kind    string          `json:"kind"` // "off": a weekday off; "work": a Saturday or Sunday worked
	Name    string          `json:"name"`
	Source  rulebook.Source `json:"source"`
}

type calendarYear struct {
	Year int `json:"year"`
	// Set names the recorded schedule; Estimated is true when the year has none and its days are
	// computed from the Labour Code and the lunar calendar.
	Set       string           `json:"set,omitempty"`
	Source    *rulebook.Source `json:"source,omitempty"`
	Estimated bool             `json:"estimated"`
	Days      []calendarDay    `json:"days"`
}

var weekdays = [...]string{"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"}

func calendarOf(y int) calendarYear {
	sc := workday.Default().Year(y)
	out := calendarYear{Year: y, Estimated: sc.Estimated, Days: []calendarDay{}}
	if sc.Set != nil {
		out.Set, out.Source = sc.Set.ID, &sc.Set.Source
	}
	for _, d := range sc.Days {
		kind := "work"
		if d.Off {
			kind = "off"
		}
		out.Days = append(out.Days, calendarDay{iso(d.Date), weekdays[d.Date.Weekday()], kind, d.Name, d.Source})
	}
	return out
}

func (s *Server) apiCalendar(w http.ResponseWriter, r *http.Request) error {
	y := s.today().Year()
	if v := strings.TrimSpace(r.URL.Query().Get("year")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1900 || n > 2200 {
			return &dangvu.Error{Code: dangvu.EInvalid, Message: "Năm không hợp lệ.", Fields: []dangvu.FieldError{{Field: "year", Reason: "cần năm dạng yyyy, từ 1900 đến 2200"}}}
		}
		y = n
	}
	return writeJSON(w, http.StatusOK, calendarOf(y))
}

func (s *Server) rulesPage(w http.ResponseWriter, r *http.Request) error {
	d, err := asOfParam(r, s.today())
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "rules.html", "Quy định áp dụng", "rules", struct {
		AsOf     string
		Areas    []ruleArea
		Calendar calendarYear
	}{vn.FormatDate(d), rulesAsOf(d), calendarOf(d.Year())})
}
