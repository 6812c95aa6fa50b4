package httpapi

import (
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/reportout"
	"dangvu/internal/vn"
)

// seriesKeys are the figures drawn when the request names none: members, admissions and
// discipline, the ones a committee is asked about over its years.
var seriesKeys = []string{"members", "admitted", "disciplined_members"}

// maxSeriesYears bounds the reports one page computes (one per year).
const maxSeriesYears = 25

// seriesPoint is one year of a figure.
type seriesPoint struct {
	Year     int
	From, To time.Time
	Value    float64
	Text     string // the value as the report page writes it
}

// series is one figure over the years.
type series struct {
	Key, Label, Period string
	Points             []seriesPoint
	SVG                template.HTML
}

// reportSeries draws members, admissions and discipline (or the figures named by key) over the
// years: one term report per calendar year for the organisation, from the report engine, each
// taken to 31/12 (the last year to the day viewed) and checked against the reader's scope as of
// that day; a year the organisation did not exist or lay outside the reader's subtree is left
// out and said so. Nothing is cached: the figures are those of the data as they stand.
func (s *Server) reportSeries(w http.ResponseWriter, r *http.Request) error {
	q, _, err := s.reportQuery(r, "")
	if err != nil {
		return err
	}
	years, err := intParam(r, "years", 10)
	if err != nil {
		return err
	}
	years = min(max(years, 1), maxSeriesYears)
	keys := r.URL.Query()["key"]
	if len(keys) == 0 {
		keys = seriesKeys
	}
	end := q.To
	first := end.Year() - years + 1
	if h, err := s.Store.OrgHistory(r.Context(), q.Org); err == nil && len(h) > 0 {
		if start := h[0].ValidFrom; !start.IsZero() && start.Year() > first {
			first = start.Year()
		}
	}
	out := make([]*series, len(keys))
	for i, k := range keys {
		out[i] = &series{Key: k}
	}
	var skipped []int
	for y := first; y <= end.Year(); y++ {
		from := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		to := time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
		if to.After(end) {
			to = end
		}
		if s.checkOrg(r, q.Org, to) != nil {
			skipped = append(skipped, y)
			continue
		}
		rep, err := s.Store.TermReport(r.Context(), dangvu.ReportQuery{Org: q.Org, From: from, To: to, AsOf: to, Secret: q.Secret})
		if dangvu.ErrorCode(err) == dangvu.ENotFound {
			skipped = append(skipped, y) // the organisation was not in force on that day
			continue
		}
		if err != nil {
			return err
		}
		for _, sr := range out {
			v, ok := reportout.Number(rep, sr.Key)
			if !ok {
				continue
			}
			for _, f := range rep.Figures {
				if f.Key == sr.Key {
					sr.Label = f.Label
					sr.Points = append(sr.Points, seriesPoint{Year: y, From: from, To: to, Value: v, Text: reportout.Value(f)})
				}
			}
		}
	}
	for _, sr := range out {
		if sr.Label == "" && len(skipped) < end.Year()-first+1 {
			return &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: "key", Reason: fmt.Sprintf("báo cáo không có chỉ tiêu số %q", sr.Key)}}}
		}
		sr.Period = seriesPeriod(sr.Key, end)
		sr.SVG = seriesSVG(sr)
	}
	name, _ := s.Store.Org(r.Context(), q.Org, end)
	var skippedText []string
	for _, y := range skipped {
		skippedText = append(skippedText, fmt.Sprint(y))
	}
	back := "/reports/term?org=" + q.Org
	return s.render(w, r, http.StatusOK, "report_series.html", "Biểu đồ theo năm — "+name.Name, "reports", struct {
		Org     dangvu.Org
		End     time.Time
		Series  []*series
		Skipped string
		Back    string
		Years   int
	}{name, end, out, strings.Join(skippedText, ", "), back, years})
}

// seriesPeriod says what each year's value counts.
func seriesPeriod(key string, end time.Time) string {
	last := fmt.Sprintf("; năm %d: đến ngày %s", end.Year(), vn.FormatDate(end))
	if end.Month() == 12 && end.Day() == 31 {
		last = ""
	}
	g := dangvu.FigureGroup(key)
	if g == dangvu.GroupMembership || g == dangvu.GroupPosts {
		return "Tính đến ngày 31/12 mỗi năm" + last + lastNote(last)
	}
	return "Trong từng năm, từ 01/01 đến 31/12" + last + lastNote(last)
}

// lastNote says why the last column is paler, when it is.
func lastNote(last string) string {
	if last == "" {
		return ""
	}
	return " (cột nhạt)"
}

// seriesSVG draws a figure's years as columns, each with its value above and its year below, on a
// scale with three labelled grid lines; presentation attributes only (the CSP forbids inline
// styles), no script, no external asset. Each column is a group with data-year and the value's
// text, which the tests compare with the report of that year.
func seriesSVG(sr *series) template.HTML {
	if len(sr.Points) == 0 {
		return ""
	}
	const width, height, left, top, bottom = 760, 280, 64, 24, 40
	plotW, plotH := float64(width-left-12), float64(height-top-bottom)
	peak := 0.0
	for _, p := range sr.Points {
		peak = math.Max(peak, p.Value)
	}
	scale := niceCeil(peak)
	pct := reportout.IsPercent(sr.Key)
	label := func(v float64) string {
		if pct {
			return vn.FormatPercent(v, 0)
		}
		return vn.FormatInt(int64(math.Round(v)))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart series" role="img" aria-label="%s" viewBox="0 0 %d %d" width="100%%" xmlns="http://www.w3.org/2000/svg">`,
		template.HTMLEscapeString(sr.Label), width, height)
	for i := 0; i <= 3; i++ {
		v := scale * float64(i) / 3
		y := float64(top) + plotH - plotH*float64(i)/3
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ccc" stroke-width="1"/>`, left, y, width-12, y)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" font-size="12" fill="#555" text-anchor="end">%s</text>`, left-6, y+4, label(v))
	}
	slot := plotW / float64(len(sr.Points))
	barW := math.Min(48, slot*0.7)
	for i, p := range sr.Points {
		h := 0.0
		if scale > 0 {
			h = plotH * p.Value / scale
		}
		x := float64(left) + slot*float64(i) + (slot-barW)/2
		y := float64(top) + plotH - h
		cx := x + barW/2
		fmt.Fprintf(&b, `<g class="year" data-year="%d"><title>%d: %s</title>`, p.Year, p.Year, template.HTMLEscapeString(p.Text))
		fill := "#b3261e"
		if p.To.Month() != 12 || p.To.Day() != 31 {
			fill = "#dc8a84" // a year not yet over (or cut by the organisation's end): paler, as the note under the title says
		}
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`, x, y, barW, h, fill)
		fmt.Fprintf(&b, `<text class="value" x="%.1f" y="%.1f" font-size="14" fill="#222" text-anchor="middle">%s</text>`, cx, y-5, template.HTMLEscapeString(p.Text))
		fmt.Fprintf(&b, `<text class="label" x="%.1f" y="%d" font-size="14" fill="#222" text-anchor="middle">%d</text></g>`, cx, height-bottom+18, p.Year)
	}
	fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#222" stroke-width="1"/>`, left, float64(top)+plotH, width-12, float64(top)+plotH)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// niceCeil is the top of a scale of three equal steps above v with room for the value labels,
// each step 1, 2 or 5 times a power of ten and at least 1, so the grid is labelled in whole numbers.
func niceCeil(v float64) float64 {
	step := math.Max(v*1.08/3, 1)
	mag := math.Pow(10, math.Floor(math.Log10(step)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= step {
			return 3 * m * mag
		}
	}
	return 30 * mag
}
