package reportout

import (
	"fmt"
	"strings"

	"dangvu"
	"dangvu/internal/vn"
)

// Narrative writes the report's figures into sentences the way a committee's report does
// ("kết nạp 884 đảng viên, đạt tỷ lệ bình quân 4,05%/năm"), one paragraph per group that has
// figures. Figures without a sentence of their own are left to the table of figures.
func Narrative(r *dangvu.Report) []string {
	var out []string
	n := func(key string) (string, bool) {
		v, ok := Number(r, key)
		if !ok {
			return "", false
		}
		return Value(dangvu.Figure{Key: key, Value: v}), true
	}
	int0 := func(key string) string {
		s, ok := n(key)
		if !ok {
			return "0"
		}
		return s
	}
	date := func(iso string) string { return Value(dangvu.Figure{Value: iso}) }
	since := func(group string) string {
		from, to := Period(r, firstKey(group))
		if from == "" {
			from = Text(r, "from")
		}
		return fmt.Sprintf("từ ngày %s đến ngày %s", date(from), date(to))
	}

	if m, ok := n("members"); ok {
		s := fmt.Sprintf("Tính đến ngày %s, %s có %s đảng viên", date(Text(r, "as_of")), Text(r, "org_name"), m)
		var parts []string
		if p, ok := n("members_probationary"); ok {
			parts = append(parts, p+" đảng viên dự bị")
		}
		if f, ok := n("members_female"); ok {
			parts = append(parts, f+" đảng viên nữ")
		}
		if len(parts) > 0 {
			s += " (trong đó " + strings.Join(parts, ", ") + ")"
		}
		out = append(out, s+".")
	}
	if _, ok := n("action_programmes"); ok {
		doc := "các nghị quyết, chỉ thị của Đảng"
		if d := Text(r, "document"); d != "" {
			doc = "Nghị quyết số " + d
		}
		s := fmt.Sprintf("Thực hiện %s, %s, cấp ủy đã ban hành %s chương trình hành động, kế hoạch; tổ chức %s hội nghị học tập, quán triệt, triển khai ở cấp mình",
			doc, since(dangvu.GroupDissemination), int0("action_programmes"), int0("conferences_at_org_level"))
		if g, ok := n("conferences_grassroots"); ok {
			s += "; các cấp ủy trực thuộc tổ chức " + g + " hội nghị"
		}
		if c, ok := n("study_coverage_pct"); ok {
			s += "; số đảng viên tham gia học tập đạt " + c
		}
		out = append(out, s+".")
	}
	if _, ok := n("review_members_excellent"); ok {
		s := fmt.Sprintf("Công tác kiểm điểm, đánh giá, xếp loại %s: về đảng viên, %s lượt hoàn thành xuất sắc nhiệm vụ, %s lượt hoàn thành tốt nhiệm vụ, %s lượt hoàn thành nhiệm vụ, %s lượt không hoàn thành nhiệm vụ",
			since(dangvu.GroupReview), int0("review_members_excellent"), int0("review_members_good"), int0("review_members_completed"), int0("review_members_not_completed"))
		if _, ok := n("review_organisations_excellent"); ok {
			s += fmt.Sprintf("; về tổ chức đảng, %s lượt hoàn thành xuất sắc, %s lượt hoàn thành tốt, %s lượt hoàn thành, %s lượt không hoàn thành nhiệm vụ",
				int0("review_organisations_excellent"), int0("review_organisations_good"), int0("review_organisations_completed"), int0("review_organisations_not_completed"))
		}
		out = append(out, s+".")
	}
	if a, ok := n("admitted"); ok {
		s := fmt.Sprintf("Công tác phát triển đảng viên được quan tâm; %s đã kết nạp %s đảng viên", since(dangvu.GroupAdmission), a)
		if rate, ok := Number(r, "admission_rate_pct_per_year"); ok {
			s += ", đạt tỷ lệ bình quân " + vn.FormatPercent(rate, 2) + "/năm"
		}
		out = append(out, s+".")
	}
	if c, ok := n("residential_cells"); ok {
		s := fmt.Sprintf("Có %s/%s chi bộ thôn, khu dân cư có bí thư chi bộ kiêm trưởng thôn, khu", int0("secretary_is_village_head"), c)
		if pct, ok := ratio(r, "secretary_is_village_head", "residential_cells"); ok {
			s += " (đạt " + vn.FormatPercent(pct, 2) + ")"
		}
		if u, ok := n("agency_units"); ok {
			s += fmt.Sprintf("; %s/%s cơ quan, đơn vị có thủ trưởng đồng thời là bí thư cấp ủy", int0("head_is_secretary"), u)
		}
		out = append(out, s+".")
	}
	if _, ok := n("committee_inspection_rounds"); ok {
		s := fmt.Sprintf("Công tác kiểm tra, giám sát: %s, cấp ủy đã tiến hành %s cuộc kiểm tra, giám sát đối với %s tổ chức đảng",
			since(dangvu.GroupInspection), int0("committee_inspection_rounds"), int0("committee_inspected_organisations"))
		if c, ok := n("commission_inspection_rounds"); ok {
			s += "; ủy ban kiểm tra tiến hành " + c + " cuộc"
		}
		if g, ok := n("grassroots_inspection_visits"); ok {
			s += "; cấp ủy cơ sở kiểm tra, giám sát " + g + " lượt tổ chức đảng"
		}
		s += fmt.Sprintf("; thi hành kỷ luật %s tổ chức đảng và %s đảng viên", int0("disciplined_organisations"), int0("disciplined_members"))
		out = append(out, s+".")
	}
	return out
}

// firstKey returns a key of the report's group, for its period.
func firstKey(group string) string {
	for k, g := range map[string]string{
		"admitted": dangvu.GroupAdmission, "action_programmes": dangvu.GroupDissemination,
		"committee_inspection_rounds": dangvu.GroupInspection, "members": dangvu.GroupMembership,
		"review_members_excellent": dangvu.GroupReview,
	} {
		if g == group {
			return k
		}
	}
	return "members"
}

// ratio returns 100 × r[num] ÷ r[den], ok false when either is missing or den is 0.
func ratio(r *dangvu.Report, num, den string) (float64, bool) {
	a, ok1 := Number(r, num)
	b, ok2 := Number(r, den)
	if !ok1 || !ok2 || b == 0 {
		return 0, false
	}
	return 100 * a / b, true
}
