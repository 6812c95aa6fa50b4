package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"dangvu"
)

// composite recomputes the groups that have their own start (ReportQuery.GroupFrom) and puts
// their figures into r, with a from_<group> entry for each. Groups sharing a start share a run.
func (s *Store) composite(ctx context.Context, rc *reportCtx, r *dangvu.Report) (*dangvu.Report, error) {
	runs := map[string]*dangvu.Report{rc.from: r}
	for _, g := range dangvu.ReportGroups {
		from, ok := rc.q.GroupFrom[g.Code]
		if !ok || from.IsZero() {
			continue
		}
		if from.After(rc.q.To) {
			return nil, dangvu.Errorf(dangvu.EInvalid, "ngày bắt đầu của nhóm %q sau ngày kết thúc kỳ báo cáo", g.Name)
		}
		day := dateArg(from)
		alt, ok := runs[day]
		if !ok {
			sub := *rc
			sub.q.From, sub.from = from, day
			var err error
			if alt, err = s.runSections(ctx, &sub); err != nil {
				return nil, err
			}
			runs[day] = alt
		}
		for _, f := range alt.Figures {
			if dangvu.FigureGroup(f.Key) == g.Code && !slices.Contains(identityKeys, f.Key) {
				r.Set(f.Key, f.Label, f.Value)
			}
		}
		r.Set("from_"+g.Code, "Từ ngày ("+g.Name+")", day)
	}
	return r, nil
}

// identityKeys are the entries that say what a report is about rather than count anything.
var identityKeys = []string{"org_id", "org_name", "from", "to", "as_of", "document", "term_start"}

// Report presets: the periods a committee reports over.
const (
	PresetArticle = "article" // as the seed article: admissions from 1 January of the term's first year, document work from the document's date, inspections and reviews from the congress
	PresetTerm    = "term"    // everything from the congress that opened the term in force on To
	PresetYear    = "year"    // from 1 January of To's year
)

// ApplyPreset fills q.From and q.GroupFrom for a preset, given q.Org and q.To (and q.Document for
// the article's preset). Without a recorded term, the term presets start on 1 January of To's
// year.
func (s *Store) ApplyPreset(ctx context.Context, q dangvu.ReportQuery, preset string) (dangvu.ReportQuery, error) {
	jan1 := time.Date(q.To.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	if preset == PresetYear {
		q.From, q.GroupFrom = jan1, nil
		return q, nil
	}
	if preset != PresetTerm && preset != PresetArticle {
		return q, dangvu.Errorf(dangvu.EInvalid, "kỳ báo cáo mẫu %q không có; dùng %s, %s hoặc %s", preset, PresetArticle, PresetTerm, PresetYear)
	}
	asOf := q.AsOf
	if asOf.IsZero() {
		asOf = q.To
	}
	org, err := s.ResolveOrg(ctx, q.Org, asOf)
	if err != nil {
		return q, err
	}
	start := jan1
	var term string
	err = s.read.QueryRowContext(ctx, `SELECT start FROM terms WHERE org_id = ? AND start <= ? ORDER BY start DESC LIMIT 1`,
		org.ID, dateArg(q.To)).Scan(&term)
	if err == nil {
		if t, perr := dangvu.ParseISODate(term); perr == nil {
			start = t
		}
	}
	q.From, q.GroupFrom = start, nil
	if preset == PresetTerm {
		return q, nil
	}
	q.GroupFrom = map[string]time.Time{
		dangvu.GroupAdmission: time.Date(start.Year(), 1, 1, 0, 0, 0, 0, time.UTC),
	}
	if q.Document != "" {
		d, ok, err := documentDate(ctx, s, q.Document)
		if err != nil {
			return q, err
		}
		if ok && !d.After(q.To) {
			q.GroupFrom[dangvu.GroupDissemination] = d
		}
	}
	return q, nil
}

// HasReportList reports whether the figure key has a list of records behind it (ReportList).
func (s *Store) HasReportList(key string) bool {
	_, ok := s.drills[key]
	return ok
}

// documentDate returns the date of a document given by its number and symbol ("04-NQ/TW"): the
// article's preset counts a document's work from the document's date, the earliest date under
// which the register holds its number (several registers may hold copies); ok is false when the
// register does not hold it.
func documentDate(ctx context.Context, s *Store, number string) (time.Time, bool, error) {
	if n, err := dangvu.ParseDocNumber(number); err == nil {
		number = n.String()
	}
	var d sql.NullString
	if err := s.read.QueryRowContext(ctx, `SELECT min(date) FROM documents WHERE number = ?`, number).Scan(&d); err != nil {
		return time.Time{}, false, fmt.Errorf("store: document date: %w", err)
	}
	if !d.Valid || d.String == "" {
		return time.Time{}, false, nil
	}
	t, err := dangvu.ParseISODate(d.String)
	return t, err == nil, err
}
