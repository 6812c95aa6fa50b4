package httpapi

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/reportout"
	"dangvu/internal/reports"
	"dangvu/internal/store"
	"dangvu/internal/vn"
)

func reportPageModule(m *module) {
	// rowLink is the page of row i of a list, "" when it has none.
	m.funcs["rowLink"] = func(l *dangvu.ReportList, i int) string {
		if l == nil || i >= len(l.Links) {
			return ""
		}
		return l.Links[i]
	}
}

// reportRow is one figure on the report page.
type reportRow struct {
	Key, Label, Value, Period string
	List                      string // the drill-down link, "" when none
}

type reportGroup struct {
	Name string
	Rows []reportRow
}

// reportPresets are offered on the report page.
var reportPresets = []dangvu.Code[string]{
	{Code: store.PresetArticle, Name: "Theo nhiệm kỳ, như báo cáo tổng kết (kết nạp từ 1/1 năm đầu nhiệm kỳ; học tập nghị quyết từ ngày ban hành)"},
	{Code: store.PresetTerm, Name: "Từ đầu nhiệm kỳ (đại hội)"},
	{Code: store.PresetYear, Name: "Từ đầu năm"},
	{Code: "", Name: "Tùy chọn: từ ngày…"},
}

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) error {
	q, preset, err := s.reportQuery(r, store.PresetArticle)
	if err != nil {
		return err
	}
	b, err := reports.Build(r.Context(), s.Store, q, reports.Options{Preset: preset})
	if err != nil {
		return err
	}
	may := s.may(r)
	link := func(extra url.Values) string {
		v := url.Values{"org": {b.Org.ID}, "to": {dangvu.ISO(q.To)}, "as_of": {dangvu.ISO(q.AsOf)}}
		if preset != "" {
			v.Set("preset", preset)
		} else {
			v.Set("from", dangvu.ISO(q.From))
		}
		if q.Document != "" {
			v.Set("document", q.Document)
		}
		for g, t := range q.GroupFrom {
			v.Set("from_"+g, dangvu.ISO(t))
		}
		for k, x := range extra {
			v[k] = x
		}
		return v.Encode()
	}
	var groups []reportGroup
	for _, g := range dangvu.ReportGroups {
		grp := reportGroup{Name: g.Name}
		for _, f := range b.Report.Figures {
			if reportout.Identity(f.Key) || dangvu.FigureGroup(f.Key) != g.Code {
				continue
			}
			row := reportRow{Key: f.Key, Label: f.Label, Value: reportout.Value(f), Period: reportout.PeriodText(b.Report, f.Key)}
			if s.Store.HasReportList(f.Key) && may(s.Store.ListAction(f.Key)) {
				row.List = "/reports/term/list?" + link(url.Values{"key": {f.Key}})
			}
			grp.Rows = append(grp.Rows, row)
		}
		if len(grp.Rows) > 0 {
			groups = append(groups, grp)
		}
	}
	from := ""
	if preset == "" {
		from = vn.FormatDate(q.From)
	}
	return s.render(w, r, http.StatusOK, "report.html", "Báo cáo "+b.Org.Name, "reports", struct {
		B        *reports.Bundle
		Groups   []reportGroup
		Charts   template.HTML
		Presets  []dangvu.Code[string]
		Preset   string
		OrgRef   string
		To, From string
		Document string
		// XLSX and DOCX are whole URLs: a query string interpolated after "?" in a template's
		// href is escaped as one value (as_of%3d…%26org%3d…), and the export would then fall
		// back to the default period — another report under the page's name.
		XLSX, DOCX string
	}{b, groups, ratioChart(b.Report), reportPresets, preset, b.Org.ID, vn.FormatDate(q.To), from, q.Document,
		"/reports/term/export?" + link(url.Values{"format": {"xlsx"}}), "/reports/term/export?" + link(url.Values{"format": {"docx"}})})
}

func (s *Server) reportListPage(w http.ResponseWriter, r *http.Request) error {
	b, l, err := s.reportList(r)
	if err != nil {
		return err
	}
	back := r.URL.Query()
	back.Del("key")
	fig := dangvu.Figure{Key: l.Key}
	for _, f := range b.Report.Figures {
		if f.Key == l.Key {
			fig = f
		}
	}
	return s.render(w, r, http.StatusOK, "report_list.html", l.Title, "reports", struct {
		B      *reports.Bundle
		L      *dangvu.ReportList
		Figure dangvu.Figure
		Value  string
		Period string
		Back   string
		XLSX   string
	}{b, l, fig, reportout.Value(fig), reportout.PeriodText(b.Report, l.Key), "/reports/term?" + back.Encode(), listExportLink(r.URL.Query())})
}

// ratioPairs are figures shown as "part of whole" bars.
var ratioPairs = [][2]string{
	{"secretary_is_village_head", "residential_cells"},
	{"head_is_secretary", "agency_units"},
}

// ratioChart draws, as inline SVG, a horizontal bar per rate of the report: the ratio pairs and
// every percentage figure. Only presentation attributes are used (the CSP forbids inline styles).
func ratioChart(r *dangvu.Report) template.HTML {
	type bar struct {
		label, text string
		pct         float64
	}
	var bars []bar
	for _, p := range ratioPairs {
		num, ok1 := reportout.Number(r, p[0])
		den, ok2 := reportout.Number(r, p[1])
		if !ok1 || !ok2 || den == 0 {
			continue
		}
		label := p[0]
		for _, f := range r.Figures {
			if f.Key == p[0] {
				label = f.Label
			}
		}
		bars = append(bars, bar{label, fmt.Sprintf("%s/%s", vn.FormatInt(int64(num)), vn.FormatInt(int64(den))), 100 * num / den})
	}
	for _, f := range r.Figures {
		if v, ok := reportout.Number(r, f.Key); ok && reportout.IsPercent(f.Key) && strings.HasSuffix(f.Key, "_pct") {
			bars = append(bars, bar{f.Label, vn.FormatPercent(v, 2), v})
		}
	}
	if len(bars) == 0 {
		return ""
	}
	const width, rowH, labelW, barW = 900, 34, 330, 320
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" role="img" aria-label="Tỷ lệ" viewBox="0 0 %d %d" width="100%%" xmlns="http://www.w3.org/2000/svg">`, width, rowH*len(bars)+8)
	for i, b := range bars {
		y := 4 + i*rowH
		w := b.pct
		if w > 100 {
			w = 100
		}
		if w < 0 {
			w = 0
		}
		fmt.Fprintf(&sb, `<text x="0" y="%d" font-size="13" fill="#222">%s</text>`, y+19, template.HTMLEscapeString(b.label))
		fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="%d" height="20" fill="#e6e6e6"/>`, labelW, y+4, barW)
		fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="%.1f" height="20" fill="#b3261e"/>`, labelW, y+4, w*barW/100)
		text := b.text
		if pct := vn.FormatPercent(roundPct(b.pct), pctDecimals(b.pct)); pct != text {
			text += " (" + pct + ")"
		}
		fmt.Fprintf(&sb, `<text x="%d" y="%d" font-size="13" fill="#222">%s</text>`, labelW+barW+8, y+19, template.HTMLEscapeString(text))
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

func roundPct(p float64) float64 { return float64(int64(p*100+0.5)) / 100 }

// pctDecimals writes whole percentages without decimals ("100%") and others with two.
func pctDecimals(p float64) int {
	if roundPct(p) == float64(int64(roundPct(p))) {
		return 0
	}
	return 2
}

// comparison is a figure this year so far against the same days of last year.
type comparison struct {
	Label, Key   string
	This, Last   string
	ThisN, LastN float64
	ThisW, LastW int // bar widths in pixels
}

// dashboard compares the count figures of the year so far with the same period of last year,
// for the home page of committee users.
func (s *Server) dashboard(r *http.Request, org dangvu.Org, today time.Time) ([]comparison, error) {
	jan1 := time.Date(today.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	this, err := s.Store.TermReport(r.Context(), dangvu.ReportQuery{Org: org.ID, From: jan1, To: today})
	if err != nil {
		return nil, err
	}
	lastTo := today.AddDate(-1, 0, 0)
	last, err := s.Store.TermReport(r.Context(), dangvu.ReportQuery{Org: org.ID, From: jan1.AddDate(-1, 0, 0), To: lastTo})
	if dangvu.ErrorCode(err) == dangvu.ENotFound {
		last, err = &dangvu.Report{}, nil // the organisation did not exist a year ago
	}
	if err != nil {
		return nil, err
	}
	var out []comparison
	max := 0.0
	for _, f := range this.Figures {
		g := dangvu.FigureGroup(f.Key)
		if reportout.Identity(f.Key) || g == dangvu.GroupMembership || g == dangvu.GroupPosts || reportout.IsPercent(f.Key) {
			continue
		}
		a, ok := reportout.Number(this, f.Key)
		if !ok {
			continue
		}
		b, _ := reportout.Number(last, f.Key)
		if a == 0 && b == 0 {
			continue // nothing happened in either year: a row of zeros says nothing
		}
		out = append(out, comparison{Label: f.Label, Key: f.Key, This: vn.FormatInt(int64(a)), Last: vn.FormatInt(int64(b)), ThisN: a, LastN: b})
		max = maxf(max, maxf(a, b))
	}
	for i := range out {
		if max > 0 {
			out[i].ThisW, out[i].LastW = int(160*out[i].ThisN/max+0.5), int(160*out[i].LastN/max+0.5)
		}
	}
	return out, nil
}

func maxf(a, b float64) float64 {
	if a > b {
		return a
	}
	return b
}
