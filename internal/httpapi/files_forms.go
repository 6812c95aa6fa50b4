package httpapi

// The standard forms of a member's file filled from the record, as DOCX (reportout.FormDOCX):
// 1-HSĐV (lý lịch đảng viên), 2-HSĐV (phiếu đảng viên), the yearly supplement (phiếu bổ sung
// hồ sơ, 3-HSĐV per the research: secondary) and the party-age certificate (giấy xác nhận tuổi
// đảng). GET /members/{id}/forms lists each form with what it needs and the record lacks; a
// form is written only when nothing is missing (never printed blank), else the list answers.

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/reportout"
	"dangvu/internal/vn"
)

// memberFormKinds are the forms, in the order of the list.
var memberFormKinds = []dangvu.Code[string]{
	{Code: "1-hsdv", Name: "Lý lịch đảng viên (mẫu 1-HSĐV)"},
	{Code: "2-hsdv", Name: "Phiếu đảng viên (mẫu 2-HSĐV)"},
	{Code: "3-hsdv", Name: "Phiếu bổ sung hồ sơ đảng viên (mẫu 3-HSĐV)"},
	{Code: "tuoi-dang", Name: "Giấy xác nhận tuổi đảng"},
}

// memberFormCheck is a form with what the record lacks for it.
type memberFormCheck struct {
	Kind, Name string
	Missing    []string
	Year       int // the supplement's year (3-HSĐV)
}

// memberFormData is the record a form is filled from.
type memberFormData struct {
	M          dangvu.Member
	Details    dangvu.MemberDetails
	Family     []dangvu.FamilyMember
	Discipline []dangvu.Discipline
	Supplement *dangvu.Supplement
	Cell       dangvu.Org
	Committee  dangvu.Org // the grassroots committee that keeps the file
	Superior   dangvu.Org
	Age        string
	GapDays    int
	Day        time.Time
}

func (s *Server) memberFormData(r *http.Request, id string) (*memberFormData, error) {
	day := s.today()
	if err := s.checkMember(r, id, day); err != nil {
		return nil, err
	}
	ctx := r.Context()
	d := &memberFormData{Day: day}
	var err error
	if d.M, err = s.Store.Member(ctx, id, day); err != nil {
		return nil, err
	}
	if d.Details, err = s.Store.MemberDetailsOn(ctx, id, day); err != nil {
		return nil, err
	}
	if d.Family, err = s.Store.FamilyOf(ctx, id); err != nil {
		return nil, err
	}
	if d.Discipline, err = s.Store.Disciplines(ctx, dangvu.DisciplineFilter{MemberID: id, Live: day}); err != nil {
		return nil, err
	}
	xs, err := s.Store.MemberSupplements(ctx, id)
	if err != nil {
		return nil, err
	}
	year := 0
	if v := r.URL.Query().Get("year"); v != "" {
		year, _ = strconv.Atoi(v)
	}
	for i := range xs {
		if year == 0 || xs[i].Year == year {
			d.Supplement = &xs[i]
			break
		}
	}
	age, _, err := s.Store.PartyAge(ctx, id, day)
	if err != nil {
		return nil, err
	}
	d.Age, d.GapDays = age.String(), age.GapDays
	d.Cell = s.orgOn(r, d.M.OrgID, day)
	d.Committee = d.Cell
	if d.Cell.Level == dangvu.LevelCell {
		d.Committee = s.orgOn(r, d.Cell.ParentID, day)
	}
	d.Superior = s.orgOn(r, d.Committee.ParentID, day)
	return d, nil
}

// checks lists, for every form, what it needs and the record lacks.
func (d *memberFormData) checks() []memberFormCheck {
	m := d.M
	need := func(c *memberFormCheck, ok bool, what string) {
		if !ok {
			c.Missing = append(c.Missing, what)
		}
	}
	full := m.Status == dangvu.StatusFull || m.Status == dangvu.StatusExempt
	var out []memberFormCheck
	for _, k := range memberFormKinds {
		c := memberFormCheck{Kind: k.Code, Name: k.Name}
		need(&c, m.FullName != "", "họ và tên")
		need(&c, m.BirthDate != "", "ngày sinh")
		need(&c, !m.AdmittedOn.IsZero(), "ngày vào Đảng")
		need(&c, d.Committee.ID != "", "chi bộ, đảng bộ cơ sở đang sinh hoạt")
		switch k.Code {
		case "1-hsdv", "2-hsdv":
			need(&c, m.Gender != "", "giới tính")
			need(&c, m.Hometown != "", "quê quán")
			need(&c, m.Residence != "", "nơi cư trú")
			need(&c, m.Ethnicity != "", "dân tộc")
			need(&c, m.Education != "", "trình độ giáo dục phổ thông")
			need(&c, m.TheoryLevel != "", "trình độ lý luận chính trị")
			need(&c, m.Occupation != "", "nghề nghiệp")
			if full {
				need(&c, !m.FullOn.IsZero(), "ngày chính thức")
			}
			if k.Code == "1-hsdv" {
				need(&c, d.Details.BirthPlace != "", "nơi sinh (lý lịch bổ sung)")
				need(&c, len(d.Family) > 0, "gia đình (cha, mẹ, vợ/chồng, con)")
			} else {
				need(&c, len(strings.TrimSpace(m.IDNumber)) == 12 || len(strings.TrimSpace(m.IDNumber)) == 9, "số căn cước công dân")
				if full {
					need(&c, m.CardNumber != "", "số thẻ đảng viên")
				}
			}
		case "3-hsdv":
			need(&c, d.Supplement != nil, "phiếu bổ sung hồ sơ của năm (cấp ủy cơ sở mở đợt)")
			if d.Supplement != nil {
				c.Year = d.Supplement.Year
				need(&c, d.Supplement.Status != dangvu.SupplementOpen, fmt.Sprintf("nội dung khai của phiếu năm %d (đảng viên chưa khai)", d.Supplement.Year))
			}
		}
		out = append(out, c)
	}
	return out
}

type memberFormsPage struct {
	M      dangvu.Member
	Checks []memberFormCheck
	Want   string
}

// memberFormsPage lists the forms and what each lacks; with form=KIND and nothing missing, it
// writes that form as DOCX.
func (s *Server) memberFormsPage(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	d, err := s.memberFormData(r, id)
	if err != nil {
		return err
	}
	checks := d.checks()
	want := r.URL.Query().Get("form")
	if want != "" && !dangvu.ValidCode(memberFormKinds, want) {
		return &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: "form", Reason: "dùng 1-hsdv, 2-hsdv, 3-hsdv hoặc tuoi-dang"}}}
	}
	for _, c := range checks {
		if c.Kind != want || len(c.Missing) > 0 {
			continue
		}
		// The form shows the residence and (2-HSĐV) the CCCD in clear: a reveal, logged.
		if want == "1-hsdv" || want == "2-hsdv" {
			if err := s.reveal(r, id, "residence", "id_number"); err != nil {
				return err
			}
		}
		var buf bytes.Buffer
		if err := reportout.FormDOCX(&buf, d.form(want)); err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.docx"`, strings.ToUpper(want), id))
		w.Header().Set("Cache-Control", "no-store")
		_, err := w.Write(buf.Bytes())
		return err
	}
	maskMember(&d.M)
	return s.render(w, r, http.StatusOK, "member_forms.html", "Biểu mẫu hồ sơ: "+d.M.FullName, "files", memberFormsPage{M: d.M, Checks: checks, Want: want})
}

// orNone is a value, or "Không" where the record says there is none.
func orNone(v string) string {
	if strings.TrimSpace(v) == "" {
		return "Không"
	}
	return v
}

// form builds a form from the record.
func (d *memberFormData) form(kind string) reportout.FormDoc {
	m := d.M
	f := reportout.FormDoc{Superior: d.Superior.Name, Issuer: d.Committee.Name, Date: d.Day}
	issuerSign := reportout.FormSign{For: "T/M " + strings.ToUpper(d.Committee.Name), Title: "BÍ THƯ", Hint: "(Ký tên, đóng dấu)"}
	memberSign := reportout.FormSign{Title: "NGƯỜI KHAI", Hint: "(Ký, ghi rõ họ tên)", Name: m.FullName}
	birthName := d.Details.BirthName
	if birthName == "" {
		birthName = m.FullName
	}
	theory := dangvu.CodeName(dangvu.TheoryLevels, m.TheoryLevel)
	switch kind {
	case "1-hsdv":
		f.Code, f.Title = "Mẫu 1-HSĐV", "LÝ LỊCH ĐẢNG VIÊN"
		disc := "Không"
		if len(d.Discipline) > 0 {
			var ds []string
			for _, x := range d.Discipline {
				ds = append(ds, fmt.Sprintf("%s (%s, %s)", dangvu.CodeName(dangvu.DisciplineForms, x.Form), x.Number, dateDMY(x.DecidedOn)))
			}
			disc = strings.Join(ds, "; ")
		}
		f.Items = []reportout.FormItem{
			item("1", "Họ và tên đang dùng", strings.ToUpper(m.FullName)),
			item("2", "Họ và tên khai sinh", birthName),
			item("3", "Giới tính", genderName(m.Gender)),
			item("4", "Sinh ngày", partialVN(m.BirthDate)),
			item("5", "Nơi sinh", d.Details.BirthPlace),
			item("6", "Quê quán", m.Hometown),
			item("7", "Nơi cư trú", m.Residence),
			item("8", "Dân tộc", dangvu.CodeName(dangvu.Ethnicities, m.Ethnicity)),
			item("9", "Tôn giáo", orNone(m.Religion)),
			item("10", "Nghề nghiệp, chức vụ", strings.Trim(m.Occupation+"; "+m.Position, "; ")),
			item("11", "Trình độ: giáo dục phổ thông", m.Education),
			item("", "Chuyên môn, nghiệp vụ", orNone(m.Qualification)),
			item("", "Lý luận chính trị", theory),
			item("", "Ngoại ngữ", orNone(d.Details.ForeignLanguages)),
			item("12", "Ngày vào Đảng", dateDMY(m.AdmittedOn)),
			item("13", "Ngày chính thức", orNone(dateDMY(m.FullOn))),
			item("14", "Khen thưởng", orNone(d.Details.Awards)),
			item("15", "Kỷ luật", disc),
			item("16", "Đang sinh hoạt tại", d.Cell.Name),
		}
		t := reportout.FormTable{Caption: "22. Hoàn cảnh gia đình", Header: []string{"Quan hệ", "Họ và tên", "Năm sinh", "Nơi ở", "Nghề nghiệp"}, Widths: []int{1500, 2600, 1000, 2350, 1900}}
		for _, x := range d.Family {
			t.Rows = append(t.Rows, []string{dangvu.CodeName(dangvu.Relations, x.Relation), x.FullName, x.BirthYear, x.Residence, x.Occupation})
		}
		f.Tables = []reportout.FormTable{t}
		f.Closing = []string{"Tôi cam đoan đã khai đầy đủ, rõ ràng và chịu trách nhiệm về những nội dung đã khai trong lý lịch."}
		f.Signs = []reportout.FormSign{issuerSign, memberSign}
	case "2-hsdv":
		f.Code, f.Title = "Mẫu 2-HSĐV", "PHIẾU ĐẢNG VIÊN"
		f.Items = []reportout.FormItem{
			item("1", "Họ và tên đang dùng", strings.ToUpper(m.FullName)),
			item("2", "Họ và tên khai sinh", birthName),
			item("3", "Giới tính", genderName(m.Gender)),
			item("4", "Sinh ngày", partialVN(m.BirthDate)),
			item("5", "Số căn cước công dân", m.IDNumber),
			item("6", "Quê quán", m.Hometown),
			item("7", "Nơi cư trú", m.Residence),
			item("8", "Dân tộc", dangvu.CodeName(dangvu.Ethnicities, m.Ethnicity)),
			item("9", "Tôn giáo", orNone(m.Religion)),
			item("10", "Ngày vào Đảng", dateDMY(m.AdmittedOn)),
			item("11", "Ngày chính thức", orNone(dateDMY(m.FullOn))),
			item("12", "Số thẻ đảng viên", orNone(m.CardNumber)),
			item("13", "Giáo dục phổ thông", m.Education),
			item("14", "Chuyên môn, nghiệp vụ", orNone(m.Qualification)),
			item("15", "Lý luận chính trị", theory),
			item("16", "Nghề nghiệp", m.Occupation),
			item("17", "Chức vụ", orNone(m.Position)),
			item("18", "Khen thưởng", orNone(d.Details.Awards)),
			item("19", "Đang sinh hoạt tại", d.Cell.Name),
		}
		f.Signs = []reportout.FormSign{issuerSign, memberSign}
	case "3-hsdv":
		x := d.Supplement
		f.Code, f.Title, f.Subtitle = "Mẫu 3-HSĐV", "PHIẾU BỔ SUNG HỒ SƠ ĐẢNG VIÊN", fmt.Sprintf("Năm %d", x.Year)
		f.Items = []reportout.FormItem{
			item("", "Họ và tên", m.FullName),
			item("", "Sinh ngày", partialVN(m.BirthDate)),
			item("", "Ngày vào Đảng", dateDMY(m.AdmittedOn)),
			item("", "Chi bộ", d.Cell.Name),
		}
		t := reportout.FormTable{Caption: "Những thay đổi trong năm", Header: []string{"Mục", "Nội dung thay đổi"}, Widths: []int{3000, 6350}}
		for _, c := range dangvu.SupplementFields {
			if v := x.Changes[c.Code]; v != "" {
				if c.Code == "theory_level" {
					v = dangvu.CodeName(dangvu.TheoryLevels, v)
				}
				t.Rows = append(t.Rows, []string{c.Name, v})
			}
		}
		if len(t.Rows) == 0 {
			t.Rows = append(t.Rows, []string{"", "Không có thay đổi"})
		}
		f.Tables = []reportout.FormTable{t}
		status := fmt.Sprintf("Khai ngày %s.", dateDMY(x.EnteredOn))
		if !x.CheckedOn.IsZero() {
			status += fmt.Sprintf(" Chi bộ kiểm tra ngày %s.", dateDMY(x.CheckedOn))
		}
		if !x.CertifiedOn.IsZero() {
			status += fmt.Sprintf(" Cấp ủy cơ sở xác nhận ngày %s.", dateDMY(x.CertifiedOn))
		}
		f.Closing = []string{status}
		f.Signs = []reportout.FormSign{issuerSign, {For: "T/M CHI ỦY", Title: "BÍ THƯ CHI BỘ", Hint: "(Ký, ghi rõ họ tên)"}}
	case "tuoi-dang":
		f.Code, f.Title = "", "GIẤY XÁC NHẬN TUỔI ĐẢNG"
		f.Items = []reportout.FormItem{
			item("", "Đồng chí", m.FullName),
			item("", "Sinh ngày", partialVN(m.BirthDate)),
			item("", "Quê quán", m.Hometown),
			item("", "Vào Đảng ngày", dateDMY(m.AdmittedOn)),
			item("", "Chính thức ngày", orNone(dateDMY(m.FullOn))),
			item("", "Đang sinh hoạt tại", d.Cell.Name),
			item("", "Tuổi đảng đến ngày "+vn.FormatDate(d.Day), d.Age),
		}
		if d.GapDays > 0 {
			f.Items = append(f.Items, reportout.FormItem{Label: "Thời gian không tính tuổi đảng", Value: vn.FormatInt(int64(d.GapDays)) + " ngày"})
		}
		f.Closing = []string{fmt.Sprintf("%s xác nhận đồng chí %s có tuổi đảng như trên, tính từ ngày quyết định kết nạp, đã trừ thời gian không ở trong Đảng.", d.Committee.Name, m.FullName)}
		f.Signs = []reportout.FormSign{issuerSign}
	}
	return f
}

func item(no, label, value string) reportout.FormItem {
	return reportout.FormItem{No: no, Label: label, Value: value}
}
