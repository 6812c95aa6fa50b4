package httpapi

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"sync"
	"time"

	"dangvu"
	"dangvu/internal/reports"
	"dangvu/internal/rules/discipline"
	"dangvu/internal/vn"
)

// Printable official forms from the record, in the party document layout on A4: the personal
// (or collective) self-review from a review, the letter introducing a member to their new
// organisation (giấy giới thiệu sinh hoạt đảng) from a transfer, a discipline decision. Each is
// a page of its own, without the site's header and menu, under the same route action and object
// scope as its record's page; the browser prints it (print.css sets A4 and the margins).

func printFormsModule(m *module) {
	m.routes = append(m.routes, printRoutes)
	m.funcs["upper"] = strings.ToUpper
}

func printRoutes() []route {
	return []route{
		{"GET /reviews/{id}/print", (*Server).reviewPrint, "Bản kiểm điểm theo mẫu, để in (A4)", nil, false, dangvu.ActReviews},
		{"GET /members/{id}/transfer-letter", (*Server).transferLetter, "Giấy giới thiệu sinh hoạt đảng của một việc chuyển sinh hoạt (act), để in (A4)", []string{"act"}, false, dangvu.ActAdmissions},
		{"GET /disciplines/{id}/print", (*Server).disciplinePrint, "Quyết định kỷ luật theo thể thức văn bản của Đảng, để in (A4)", nil, false, dangvu.ActReadInspection},
	}
}

// printHead is the header block of a party document: the superior and the issuing body top
// left with "*" and the number under them, the party's name and the place and date top right.
type printHead struct {
	Superior, Issuer string
	Number           string // "Số 12-QĐ/UBKT"; "" leaves "Số …" to fill in by hand
	NoNumber         bool   // a document without a number (a member's self-review)
	PlaceDate        string
}

// printView is what the print layout receives.
type printView struct {
	Title     string
	Back      string // the record's page
	BackLabel string
	Head      printHead
	Data      any
}

// printPages maps a form file ("review.html") to the print layout parsed with it.
// Parsed on first use, like pages.
func printPages() (map[string]*template.Template, error) {
	printOnce.Do(func() { printParsed, printErr = parsePrintPages() })
	return printParsed, printErr
}

var (
	printOnce   sync.Once
	printParsed map[string]*template.Template
	printErr    error
)

func parsePrintPages() (map[string]*template.Template, error) {
	return parseTemplateDir("templates/print/")
}

func (s *Server) renderPrint(w http.ResponseWriter, name string, v printView) error {
	ts, err := printPages()
	if err != nil {
		return fmt.Errorf("httpapi: print templates: %w", err)
	}
	t, ok := ts[name]
	if !ok {
		return fmt.Errorf("httpapi: no print template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		return fmt.Errorf("httpapi: render print %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

// placeDate is the date line: "Uông Bí, ngày 31 tháng 05 năm 2018"; an unknown date leaves the
// day to fill in by hand.
func placeDate[T string | dangvu.Date](place string, day T) string {
	var t time.Time
	var err error
	switch d := any(day).(type) {
	case string:
		t, err = dangvu.ParseISODate(d)
	case dangvu.Date:
		t, err = dangvu.RequireDate(d)
	}
	if err != nil {
		if place != "" {
			place += ", "
		}
		return place + "ngày … tháng … năm …"
	}
	return vn.LongDate(place, t)
}

// upperName writes an organisation's name as a header line writes it.
func upperName(s string) string { return strings.ToUpper(s) }

// orgOn is an organisation's name as of a day, "" when unknown.
func (s *Server) orgOn(r *http.Request, id string, day time.Time) dangvu.Org {
	if id == "" {
		return dangvu.Org{}
	}
	o, _ := s.Store.Org(r.Context(), id, day)
	return o
}

// secretaryOf is the name of an organisation's secretary on a day, "" when none is recorded.
func (s *Server) secretaryOf(r *http.Request, org string, day time.Time) string {
	posts, err := s.Store.OrgPosts(r.Context(), org, day)
	if err != nil {
		return ""
	}
	for _, p := range posts {
		if p.Role == dangvu.RoleSecretary {
			return p.HolderName
		}
	}
	return ""
}

// placeOf is the place name of an organisation's date line: that of the nearest territorial
// organisation at or above it, so that a cell or an agency's party organisation dates its
// documents "Phương Đông, ngày …" or "Uông Bí, ngày …", not "khu 1" or "Công an thành phố".
func (s *Server) placeOf(r *http.Request, o dangvu.Org, day time.Time) string {
	for i := 0; i < 12 && o.ParentID != ""; i++ {
		switch o.Kind {
		case dangvu.KindProvince, dangvu.KindDistrict, dangvu.KindCommune, dangvu.KindWard, dangvu.KindTown, dangvu.KindCentral:
			return reports.Place(o.Name)
		}
		p := s.orgOn(r, o.ParentID, day)
		if p.Name == "" {
			break
		}
		o = p
	}
	return reports.Place(o.Name)
}

// committeeName is the name of an organisation's committee as party documents write it: a
// province's is "Tỉnh ủy Quảng Ninh", a city's or a district's "Thành ủy Uông Bí", "Huyện ủy …",
// "Thị ủy …", "Quận ủy …", any other party organisation's "Đảng ủy …"; a cell is its own body.
func committeeName(name string) string {
	rest, ok := strings.CutPrefix(name, "Đảng bộ ")
	if !ok {
		return name
	}
	for _, p := range [][2]string{{"tỉnh ", "Tỉnh ủy "}, {"thành phố ", "Thành ủy "}, {"huyện ", "Huyện ủy "}, {"thị xã ", "Thị ủy "}, {"quận ", "Quận ủy "}} {
		if x, ok := strings.CutPrefix(rest, p[0]); ok {
			return p[1] + x
		}
	}
	return "Đảng ủy " + rest
}

// ---- the self-review ----

// reviewPrintData is a review with the reviewed member's particulars.
type reviewPrintData struct {
	reviewData
	Member dangvu.Member
	Year   string
}

func (s *Server) reviewPrint(w http.ResponseWriter, r *http.Request) error {
	d, err := s.reviewData(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	p := reviewPrintData{reviewData: d, Year: strings.TrimSpace(d.Campaign.To.String()[:min(4, len(d.Campaign.To.String()))])}
	day := d.Campaign.To.Time
	if d.MemberID != "" {
		if m, err := s.Store.Member(r.Context(), d.MemberID, day); err == nil {
			p.Member = m
		}
	}
	// Dated the day of the self-review; before it is written, the date is left to fill in.
	head := printHead{Superior: upperName(d.Superior), Issuer: upperName(d.Place), PlaceDate: placeDate(d.Town, d.SelfOn), NoNumber: true}
	if d.Kind.IsPerson() && d.OrgName != "" && d.OrgName != d.Place {
		// A member's form is headed by their cell under the organisation that runs the campaign.
		head.Superior, head.Issuer = upperName(d.Place), upperName(d.OrgName)
	}
	return s.renderPrint(w, "review.html", printView{Title: "Bản kiểm điểm: " + d.Subject(), Back: "/reviews/" + d.ID, BackLabel: "Về bản kiểm điểm", Head: head, Data: p})
}

// ---- the transfer letter ----

// transferData is what the letter says.
type transferData struct {
	Act        dangvu.LifeAct
	Temporary  bool
	Member     dangvu.Member // as of the day before the transfer
	From       dangvu.Org    // the organisation the member leaves
	To         string        // where the member goes
	Issuer     dangvu.Org    // the grassroots organisation whose committee introduces them
	IssuerName string        // its committee: "Đảng ủy phường Phương Đông"
	Signer     string
	SignFor    string
	Blank      bool // no transfer recorded: the member's particulars with the rest to fill in
}

func (s *Server) transferLetter(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	acts, err := s.Store.LifeActs(r.Context(), id)
	if err != nil {
		return err
	}
	want := r.URL.Query().Get("act")
	var act *dangvu.LifeAct
	for i := range acts {
		a := &acts[i]
		if a.Kind != dangvu.ActTransferOut && a.Kind != dangvu.ActTemporaryOut {
			continue
		}
		if want == "" || a.ID == want {
			act = a // the last transfer out when none is named
		}
	}
	if want != "" && act == nil {
		return dangvu.Errorf(dangvu.ENotFound, "đảng viên %s không có việc chuyển sinh hoạt đi mã %q", id, want)
	}
	d := transferData{Blank: act == nil}
	day := s.viewDay(r, "")
	if act != nil {
		d.Act, d.Temporary = *act, act.Kind == dangvu.ActTemporaryOut
		if t, err := dangvu.RequireDate(act.Date); err == nil {
			day = t.AddDate(0, 0, -1) // the member's organisation is the one they leave
		}
		d.To = act.External
		if o := s.orgOn(r, act.OrgID, day.AddDate(0, 0, 1)); o.Name != "" {
			d.To = o.Name
		}
	}
	if d.Member, err = s.Store.Member(r.Context(), id, day); err != nil {
		return err
	}
	d.From = s.orgOn(r, d.Member.OrgID, day)
	// The letter is signed by the grassroots committee the member's cell belongs to (a cell of a
	// grassroots committee does not introduce its members itself).
	d.Issuer = d.From
	for o := d.From; o.ID != ""; o = s.orgOn(r, o.ParentID, day) {
		if o.Level.IsGrassroots() || o.ParentID == "" {
			d.Issuer = o
			break
		}
	}
	parent := s.orgOn(r, d.Issuer.ParentID, day)
	d.IssuerName = committeeName(d.Issuer.Name)
	d.Signer = s.secretaryOf(r, d.Issuer.ID, day)
	d.SignFor = "T/M ĐẢNG ỦY"
	if d.Issuer.Level.IsCell() {
		d.SignFor = "T/M CHI BỘ"
	}
	head := printHead{Superior: upperName(parent.Name), Issuer: upperName(d.IssuerName), Number: d.Act.Document,
		PlaceDate: placeDate(s.placeOf(r, d.Issuer, day), d.Act.Date)}
	return s.renderPrint(w, "transfer.html", printView{Title: "Giấy giới thiệu sinh hoạt đảng: " + d.Member.FullName,
		Back: "/members/" + id + "/acts", BackLabel: "Về sinh hoạt đảng của đảng viên", Head: head, Data: d})
}

// ---- the discipline decision ----

type disciplinePrintData struct {
	D         dangvu.Discipline
	Rules     discipline.Set
	Authority dangvu.Org
	Subject   string // "đồng chí Nguyễn Văn A, đảng viên Chi bộ khu 1" or the organisation's name
	MemberOrg string
	BodyName  string // "Ủy ban Kiểm tra Đảng ủy phường Phương Đông"
	SignFor   string
	SignTitle string
	Signer    string
}

// bodyOf names the body that decided, as the header and the signature write it.
func bodyOf(b dangvu.Body, org dangvu.Org) (name, signFor, title string) {
	switch b {
	case dangvu.BodyCommission:
		return "Ủy ban Kiểm tra " + committeeName(org.Name), "T/M ỦY BAN KIỂM TRA", "CHỦ NHIỆM"
	case dangvu.BodyStanding:
		return "Ban Thường vụ " + committeeName(org.Name), "T/M BAN THƯỜNG VỤ", "BÍ THƯ"
	case dangvu.BodyGrassroots:
		return committeeName(org.Name), "T/M ĐẢNG ỦY", "BÍ THƯ"
	case dangvu.BodyCell:
		return org.Name, "T/M CHI BỘ", "BÍ THƯ"
	}
	return reports.Committee(org.Name), "T/M BAN CHẤP HÀNH", "BÍ THƯ"
}

func (s *Server) disciplinePrint(w http.ResponseWriter, r *http.Request) error {
	d, err := s.Store.Discipline(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	day := d.DecidedOn.Time
	p := disciplinePrintData{D: d, Rules: discipline.For(d.DecidedOn.Time), Authority: s.orgOn(r, d.AuthorityOrgID, day)}
	p.BodyName, p.SignFor, p.SignTitle = bodyOf(d.AuthorityBody, p.Authority)
	if d.AuthorityBody != dangvu.BodyCommission {
		p.Signer = s.secretaryOf(r, p.Authority.ID, day)
	}
	if d.MemberID != "" {
		if org, err := s.Store.DisciplineSubjectOrg(r.Context(), d); err == nil {
			p.MemberOrg = s.orgOn(r, org, day.AddDate(0, 0, -1)).Name
		}
	}
	parent := s.orgOn(r, p.Authority.ParentID, day)
	head := printHead{Superior: upperName(parent.Name), Issuer: upperName(p.BodyName), Number: d.Number,
		PlaceDate: placeDate(s.placeOf(r, p.Authority, day), d.DecidedOn)}
	return s.renderPrint(w, "discipline.html", printView{Title: "Quyết định kỷ luật " + d.Number, Back: "/disciplines/" + d.ID,
		BackLabel: "Về quyết định kỷ luật", Head: head, Data: p})
}
