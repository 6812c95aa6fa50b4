// Package reports assembles the term report with what goes around it — the periods of a preset,
// the lists behind the figures that the reader may see, the letterhead — for the report page,
// its exports and `dangvu report`, so that all three say the same thing.
package reports

import (
	"context"
	"io"
	"strings"

	"dangvu"
	"dangvu/internal/reportout"
	"dangvu/internal/store"
)

// Bundle is a computed report ready to render.
type Bundle struct {
	Query  dangvu.ReportQuery
	Report *dangvu.Report
	Org    dangvu.Org
	Parent dangvu.Org // zero at the root
	Lists  []*dangvu.ReportList
}

// Options say how to compute a bundle.
type Options struct {
	Preset string // store.PresetArticle, PresetTerm, PresetYear; "" keeps the query's periods
	Lists  bool   // fetch the lists behind the figures
	// May reports whether the reader may see a list that needs an action; nil allows all.
	May func(dangvu.Action) bool
}

// Build computes the report for q.
func Build(ctx context.Context, s *store.Store, q dangvu.ReportQuery, opt Options) (*Bundle, error) {
	if q.AsOf.IsZero() {
		q.AsOf = q.To
	}
	if opt.Preset != "" {
		var err error
		if q, err = s.ApplyPreset(ctx, q, opt.Preset); err != nil {
			return nil, err
		}
	}
	r, err := s.TermReport(ctx, q)
	if err != nil {
		return nil, err
	}
	b := &Bundle{Query: q, Report: r}
	if b.Org, err = s.Org(ctx, reportout.Text(r, "org_id"), q.AsOf); err != nil {
		return nil, err
	}
	q.Org = b.Org.ID
	b.Query.Org = b.Org.ID
	if b.Org.ParentID != "" {
		if p, err := s.Org(ctx, b.Org.ParentID, q.AsOf); err == nil {
			b.Parent = p
		}
	}
	if opt.Lists {
		for _, f := range r.Figures {
			if !s.HasReportList(f.Key) {
				continue
			}
			l, err := s.ReportList(ctx, q, f.Key)
			if err != nil {
				return nil, err
			}
			if l.Action != "" && opt.May != nil && !opt.May(l.Action) {
				continue
			}
			b.Lists = append(b.Lists, l)
		}
	}
	return b, nil
}

// XLSX writes the figures and the lists.
func (b *Bundle) XLSX(w io.Writer) error { return reportout.XLSX(w, b.Report, b.Lists) }

// DOCX writes the narrative report with the letterhead of the organisation's committee.
func (b *Bundle) DOCX(ctx context.Context, s *store.Store, w io.Writer) error {
	return reportout.DOCX(w, b.Letterhead(ctx, s), reportout.Narrative(b.Report), b.Report)
}

// Letterhead derives the header and signature blocks from the organisation as of the report's
// date: its superior, its committee, its issuer code, and its secretary as the signer.
func (b *Bundle) Letterhead(ctx context.Context, s *store.Store) reportout.Letterhead {
	h := reportout.Letterhead{
		Superior:    b.Parent.Name,
		Issuer:      Committee(b.Org.Name),
		Symbol:      "BC/" + b.Org.IssuerCode,
		Place:       Place(b.Org.Name),
		Date:        b.Query.To,
		Title:       "BÁO CÁO",
		Subtitle:    "Kết quả công tác xây dựng Đảng\ncủa " + b.Org.Name,
		SignFor:     "T/M BAN THƯỜNG VỤ",
		SignerTitle: "BÍ THƯ",
	}
	if b.Org.IssuerCode == "" {
		h.Symbol = "BC"
	}
	switch {
	case b.Org.Level.IsCell():
		h.SignFor = "T/M CHI BỘ"
	case b.Org.Level.IsGrassroots() || b.Org.Level == dangvu.LevelPartialCommittee:
		h.SignFor = "T/M ĐẢNG ỦY"
	}
	if b.Parent.Name != "" {
		h.Recipients = append(h.Recipients, "Ban Thường vụ "+Committee(b.Parent.Name)+" (để báo cáo)")
	}
	h.Recipients = append(h.Recipients, "Các đồng chí cấp ủy viên", "Lưu văn phòng")
	if posts, err := s.OrgPosts(ctx, b.Org.ID, b.Query.To); err == nil {
		for _, p := range posts {
			if p.Role == dangvu.RoleSecretary {
				h.Signer = p.HolderName
				break
			}
		}
	}
	return h
}

// Committee names the committee of a party organisation: "Đảng bộ thành phố Uông Bí" →
// "Ban Chấp hành Đảng bộ thành phố Uông Bí"; a cell is its own body.
func Committee(orgName string) string {
	if strings.HasPrefix(orgName, "Chi bộ") {
		return orgName
	}
	return "Ban Chấp hành " + orgName
}

// Place is the place name of the date line: the organisation's name without its kind
// ("Đảng bộ thành phố Uông Bí" → "Uông Bí").
func Place(orgName string) string {
	name := orgName
	for _, p := range []string{"Đảng bộ ", "Chi bộ ", "Đảng bộ bộ phận "} {
		name = strings.TrimPrefix(name, p)
	}
	for _, p := range []string{"tỉnh ", "thành phố ", "thị xã ", "huyện ", "phường ", "xã ", "thị trấn ", "đặc khu "} {
		if strings.HasPrefix(name, p) {
			return strings.TrimPrefix(name, p)
		}
	}
	return name
}
