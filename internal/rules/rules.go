// Package rules holds the admission and membership rules as rule sets versioned by the date of
// the act they judge (domain.md §1, §4): the Charter of 2011 with QĐ 45-QĐ/TW (2011) until QĐ
// 29-QĐ/TW took effect (25/7/2016), then QĐ 24-QĐ/TW (30/7/2021), QĐ 232-QĐ/TW (20/1/2025) and QĐ
// 294-QĐ/TW (1/7/2025). Which date picks the set is written per act: the cell's consideration
// date for age, education, certificate and introducers; the date of the decision, ceremony or vote
// whose deadline is judged for deadlines.
//
// Where a set's details could not be confirmed from the official text, it carries the Charter's
// own rules and lists the point in Unconfirmed ("chưa xác minh").
package rules

import (
	"fmt"
	"time"

	"dangvu/internal/vn"
	"dangvu/internal/workday"
)

// Set is one version of the rules.
type Set struct {
	ID     string // "QD29-2016"
	Name   string // "Quy định 29-QĐ/TW ngày 25/7/2016 thi hành Điều lệ Đảng"
	From   time.Time
	Source string // the texts the set applies

	MinAge, MaxAge int // on the cell's consideration date, in whole months of age
	// MinEducation is the lowest general education, in grades of the 12-grade system (9 = trung học
	// cơ sở); hardship areas may be exempted with an override.
	MinEducation int
	// CertificateMonths is how long the certificate of the course on the Party is valid before
	// the cell's consideration; 0 when the set fixes no limit.
	CertificateMonths int
	Introducers       int // full members who introduce
	KnownMonths       int // months an introducer must have worked, studied or lived with the candidate
	// Votes pass with at least VoteNum/VoteDen of those entitled in favour.
	VoteNum, VoteDen int
	// Deadlines in working days: the decision after the cell's resolution; its one extension;
	// the ceremony after the decision; the cell's full-membership vote after probation; the
	// full-membership decision after that vote.
	DecisionDays, ExtensionDays, CeremonyDays, FullVoteDays, FullDecisionDays int
	ProbationMonths                                                           int
	// Transfers (domain.md §3): an official transfer within TransferDays working days of the move
	// taking effect, presented to the receiving organisation within PresentDays; temporary
	// transfers for absences of TempMinMonths to under TempMaxMonths (courses up to TempCourseMonths).
	TransferDays, PresentDays                      int
	TempMinMonths, TempMaxMonths, TempCourseMonths int

	// Cite gives, per rule key, the article that sets it; every refusal quotes it.
	Cite map[string]string
	// Unconfirmed lists the details not confirmed from the official text.
	Unconfirmed []string
}

// Rule keys, for Cite and for violations.
const (
	RuleAge          = "age"
	RuleEducation    = "education"
	RuleCertificate  = "certificate"
	RuleIntroducers  = "introducers"
	RuleCellVote     = "cell_vote"
	RuleCommittee    = "committee_vote"
	RuleDecision     = "decision_deadline"
	RuleCeremony     = "ceremony_deadline"
	RuleProbation    = "probation"
	RuleFullVote     = "full_vote"
	RuleFullDecision = "full_decision_deadline"
	RuleOrder        = "order"
	RuleReadmission  = "readmission"
	RuleTransfer     = "transfer"
	RuleTemporary    = "temporary"
	RuleCard         = "card"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// charter are the rules of the Charter (2011) itself, which every set keeps.
func charter() Set {
	return Set{
		MinAge: 18, MaxAge: 60, MinEducation: 9, CertificateMonths: 0,
		Introducers: 2, KnownMonths: 12, VoteNum: 2, VoteDen: 3,
		DecisionDays: 60, ExtensionDays: 30, CeremonyDays: 30, FullVoteDays: 30, FullDecisionDays: 30,
		ProbationMonths: 12,
		TransferDays:    60, PresentDays: 30, TempMinMonths: 3, TempMaxMonths: 12, TempCourseMonths: 24,
	}
}

// Sets are the versions in force, oldest first.
var Sets = func() []Set {
	s1 := charter()
	s1.ID, s1.Name, s1.From = "QD45-2011", "Điều lệ Đảng (2011) và Quy định 45-QĐ/TW ngày 01/11/2011", day(2011, 11, 1)
	s1.Source = "Điều lệ Đảng 2011 Điều 1, 4, 5; QĐ 45-QĐ/TW (2011); HD 01-HD/TW (2011)"
	s1.Cite = cites("Điều lệ Đảng 2011", "QĐ 45-QĐ/TW", false)
	s1.Unconfirmed = []string{
		"thời hạn hiệu lực giấy chứng nhận bồi dưỡng nhận thức về Đảng (không áp dụng giới hạn)",
		"khoản cụ thể của QĐ 45-QĐ/TW cho thời hạn ra quyết định và tổ chức lễ kết nạp (dùng số ngày làm việc của domain.md §4)",
		"thời hạn chuyển sinh hoạt đảng (60/30 ngày làm việc theo domain.md §3)",
	}
	s2 := charter()
	s2.ID, s2.Name, s2.From = "QD29-2016", "Quy định 29-QĐ/TW ngày 25/7/2016 thi hành Điều lệ Đảng", day(2016, 7, 25)
	s2.Source = "Điều lệ Đảng 2011 Điều 1, 4, 5; QĐ 29-QĐ/TW (2016); HD 01-HD/TW (2016)"
	s2.Cite = cites("Điều lệ Đảng 2011", "QĐ 29-QĐ/TW", true)
	s2.Unconfirmed = []string{
		"thời hạn hiệu lực giấy chứng nhận bồi dưỡng nhận thức về Đảng (không áp dụng giới hạn)",
		"thời hạn chuyển sinh hoạt đảng (60/30 ngày làm việc theo domain.md §3)",
	}
	s3 := charter()
	s3.ID, s3.Name, s3.From = "QD24-2021", "Quy định 24-QĐ/TW ngày 30/7/2021 thi hành Điều lệ Đảng", day(2021, 7, 30)
	s3.Source = "Điều lệ Đảng 2011 Điều 1, 4, 5; QĐ 24-QĐ/TW (2021); HD 01-HD/TW (2021)"
	s3.CertificateMonths = 60
	s3.Cite = cites("Điều lệ Đảng 2011", "QĐ 24-QĐ/TW", true)
	s3.Cite[RuleCertificate] = "HD 01-HD/TW (2021), điểm về giấy chứng nhận bồi dưỡng nhận thức về Đảng (60 tháng)"
	s3.Unconfirmed = []string{"hiệu lực 60 tháng của giấy chứng nhận (domain.md §4 ghi: check)", "thời hạn chuyển sinh hoạt đảng (60/30 ngày làm việc theo domain.md §3)"}
	s4 := s3
	s4.ID, s4.Name, s4.From = "QD232-2025", "Quy định 232-QĐ/TW ngày 20/01/2025 thi hành Điều lệ Đảng", day(2025, 1, 20)
	s4.Source = "Điều lệ Đảng 2011; QĐ 232-QĐ/TW (2025)"
	s4.Cite = cites("Điều lệ Đảng 2011", "QĐ 232-QĐ/TW", true)
	s4.Cite[RuleCertificate] = "QĐ 232-QĐ/TW và hướng dẫn thi hành (60 tháng, chưa xác minh)"
	s4.Unconfirmed = []string{"các điểm sửa đổi của QĐ 232-QĐ/TW về kết nạp (giữ quy tắc của QĐ 24-QĐ/TW)"}
	s5 := s4
	s5.ID, s5.Name, s5.From = "QD294-2025", "Quy định 294-QĐ/TW thi hành Điều lệ Đảng (từ 01/7/2025)", day(2025, 7, 1)
	s5.Source = "Điều lệ Đảng 2011; QĐ 294-QĐ/TW (2025)"
	s5.Cite = cites("Điều lệ Đảng 2011", "QĐ 294-QĐ/TW", false)
	s5.Cite[RuleCertificate] = "QĐ 294-QĐ/TW và hướng dẫn thi hành (60 tháng, chưa xác minh)"
	s5.Unconfirmed = []string{"các điểm sửa đổi của QĐ 294-QĐ/TW về kết nạp và thẩm quyền (giữ quy tắc của QĐ 24-QĐ/TW)"}
	return []Set{s1, s2, s3, s4, s5}
}()

// cites names the articles of a set. Where the set's own clause numbers were confirmed (QĐ 29,
// 24, 232 number their points after the Charter's articles: 1.1 age, 1.2 education, 4.1
// ceremony, 4.2 full membership, 4.3.1 deadlines of decisions), they are given; otherwise the
// citation says "khoản chưa xác minh".
func cites(charter, q string, clauses bool) map[string]string {
	at := func(point string) string {
		if clauses {
			return q + " mục " + point
		}
		return q + " (khoản chưa xác minh)"
	}
	return map[string]string{
		RuleAge:          charter + " Điều 1 khoản 2; " + at("1.1") + ": tuổi từ đủ 18 đến đủ 60 (tính theo tháng) tại thời điểm chi bộ xét; trên 60 do cấp ủy trực thuộc Trung ương quyết định",
		RuleEducation:    at("1.2") + ": tốt nghiệp trung học cơ sở trở lên",
		RuleCertificate:  q + " (giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng)",
		RuleIntroducers:  charter + " Điều 4 khoản 1: hai đảng viên chính thức, cùng công tác, học tập, sinh sống ít nhất 12 tháng",
		RuleCellVote:     charter + " Điều 4 khoản 2: ít nhất 2/3 số đảng viên chính thức tán thành",
		RuleCommittee:    charter + " Điều 4 khoản 2: ít nhất 2/3 số cấp ủy viên đồng ý",
		RuleDecision:     at("4.3.1") + ": cấp ủy có thẩm quyền quyết định trong 60 ngày làm việc kể từ ngày chi bộ có nghị quyết; gia hạn tối đa 30 ngày làm việc",
		RuleCeremony:     charter + " Điều 5 khoản 1; " + at("4.1") + ": tổ chức lễ kết nạp trong 30 ngày làm việc kể từ ngày nhận quyết định; quá hạn phải được cấp ủy cấp trên trực tiếp đồng ý",
		RuleProbation:    charter + " Điều 5 khoản 1: dự bị 12 tháng kể từ ngày chi bộ tổ chức lễ kết nạp",
		RuleFullVote:     charter + " Điều 5 khoản 2; " + at("4.2") + ": chi bộ xét trong 30 ngày làm việc kể từ ngày hết 12 tháng dự bị; ít nhất 2/3 tán thành; không đủ điều kiện thì đề nghị xóa tên",
		RuleFullDecision: charter + " Điều 5 khoản 3; " + at("4.3.1") + ": quyết định công nhận trong 30 ngày làm việc kể từ ngày chi bộ có nghị quyết; gia hạn tối đa 30 ngày làm việc",
		RuleOrder:        q + " (thủ tục kết nạp theo thứ tự các bước)",
		RuleReadmission:  q + " (chỉ xem xét kết nạp lại một lần)",
		RuleTransfer:     q + " (chuyển sinh hoạt đảng chính thức trong 60 ngày làm việc; xuất trình trong 30 ngày làm việc; chưa xác minh)",
		RuleTemporary:    q + " (sinh hoạt tạm thời khi vắng từ 3 tháng đến dưới 1 năm; học tập từ 3 tháng đến 2 năm; chưa xác minh)",
		RuleCard:         charter + " Điều 5; " + q + " (thẻ đảng viên chỉ phát cho đảng viên chính thức)",
	}
}

// For returns the rule set in force on d.
func For(d time.Time) Set {
	s := Sets[0]
	for _, x := range Sets {
		if !d.Before(x.From) {
			s = x
		}
	}
	return s
}

// Violation is a rule an act breaks: the field concerned, the Vietnamese reason and the article.
type Violation struct {
	Field  string `json:"field"`
	Rule   string `json:"rule"`
	Reason string `json:"reason"`
	Cite   string `json:"cite"`
}

func (v Violation) String() string { return v.Reason + " (" + v.Cite + ")" }

func (s Set) bad(field, rule, format string, args ...any) Violation {
	return Violation{Field: field, Rule: rule, Reason: fmt.Sprintf(format, args...), Cite: s.Cite[rule]}
}

// Age checks the candidate's age on the cell's consideration date. A birth date known only by
// year or month must satisfy the limit whatever its missing part: the youngest possible for the
// minimum, the oldest possible for the maximum.
func (s Set) Age(birth vn.PartialDate, on time.Time) []Violation {
	if birth.IsZero() {
		return []Violation{s.bad("birth_date", RuleAge, "cần ngày sinh để xét tuổi vào ngày chi bộ xét")}
	}
	var out []Violation
	if birth.Latest().AddDate(s.MinAge, 0, 0).After(on) {
		out = append(out, s.bad("birth_date", RuleAge, "chưa đủ %d tuổi vào ngày chi bộ xét %s", s.MinAge, vn.FormatDate(on)))
	}
	if !birth.Earliest().AddDate(s.MaxAge+1, 0, 0).After(on) {
		out = append(out, s.bad("birth_date", RuleAge, "đã quá %d tuổi vào ngày chi bộ xét %s: cần văn bản đồng ý của tỉnh ủy (ghi vào lý do vượt quy định)", s.MaxAge, vn.FormatDate(on)))
	}
	return out
}

// Education checks the general education, written "9/12", "12/12" or "7/10" (the ten-grade system
// of the North until 1981, where grade 7 was the end of lower secondary).
func (s Set) Education(edu string) []Violation {
	var g, of int
	if _, err := fmt.Sscanf(edu, "%d/%d", &g, &of); err != nil || of <= 0 || g <= 0 || g > of {
		return []Violation{s.bad("education", RuleEducation, "trình độ học vấn %q không rõ: ghi dạng 9/12, 12/12 hoặc 7/10", edu)}
	}
	// Map to the 12-grade system: the 10-grade system ended lower secondary at 7.
	if of == 10 {
		g += 2
	}
	if g < s.MinEducation {
		return []Violation{s.bad("education", RuleEducation, "trình độ học vấn %s chưa tốt nghiệp trung học cơ sở (trừ vùng khó khăn: ghi lý do vượt quy định)", edu)}
	}
	return nil
}

// Certificate checks that the course certificate dated cert is still valid when the cell
// considers the application on on.
func (s Set) Certificate(cert, on time.Time) []Violation {
	if cert.After(on) {
		return []Violation{s.bad("date", RuleCertificate, "giấy chứng nhận ngày %s sau ngày chi bộ xét %s", vn.FormatDate(cert), vn.FormatDate(on))}
	}
	if s.CertificateMonths > 0 && !cert.AddDate(0, s.CertificateMonths, 0).After(on) {
		return []Violation{s.bad("date", RuleCertificate, "giấy chứng nhận ngày %s đã quá %d tháng vào ngày chi bộ xét %s", vn.FormatDate(cert), s.CertificateMonths, vn.FormatDate(on))}
	}
	return nil
}

// Introducer is what the rules need to know of one introducer on the day of the introduction.
type Introducer struct {
	ID          string
	YouthUnion  bool      // the grassroots Youth Union executive
	Full        bool      // a full member that day
	KnownSince  time.Time // working, studying or living with the candidate in the same unit since
	Replacement bool      // replaces one who left or was disciplined
}

// CheckIntroducers checks the introducers on the day they introduce (on). A Youth Union member may
// be introduced by the Youth Union executive with one full member.
func (s Set) CheckIntroducers(list []Introducer, youthMember bool, on time.Time) []Violation {
	var out []Violation
	members, youth := 0, 0
	seen := map[string]bool{}
	for _, in := range list {
		if in.YouthUnion {
			youth++
			continue
		}
		if seen[in.ID] {
			out = append(out, s.bad("people", RuleIntroducers, "người giới thiệu %s được ghi hai lần", in.ID))
			continue
		}
		seen[in.ID] = true
		members++
		if !in.Full {
			out = append(out, s.bad("people", RuleIntroducers, "người giới thiệu %s không phải đảng viên chính thức vào ngày %s", in.ID, vn.FormatDate(on)))
		}
		if in.KnownSince.IsZero() || in.KnownSince.AddDate(0, s.KnownMonths, 0).After(on) {
			if !in.Replacement {
				out = append(out, s.bad("known", RuleIntroducers, "người giới thiệu %s chưa cùng công tác, học tập hoặc sinh sống với người vào Đảng đủ %d tháng", in.ID, s.KnownMonths))
			}
		}
	}
	switch {
	case youth > 1:
		out = append(out, s.bad("people", RuleIntroducers, "chỉ một Ban Chấp hành Đoàn cơ sở giới thiệu"))
	case youth == 1 && !youthMember:
		out = append(out, s.bad("people", RuleIntroducers, "Ban Chấp hành Đoàn cơ sở chỉ giới thiệu đoàn viên"))
	case youth == 1 && members != s.Introducers-1:
		out = append(out, s.bad("people", RuleIntroducers, "đoàn viên cần Ban Chấp hành Đoàn cơ sở và %d đảng viên chính thức giới thiệu", s.Introducers-1))
	case youth == 0 && members != s.Introducers:
		out = append(out, s.bad("people", RuleIntroducers, "cần %d đảng viên chính thức giới thiệu, có %d", s.Introducers, members))
	}
	return out
}

// Passed reports whether yes votes of entitled pass the threshold: yes/entitled ≥ num/den,
// computed exactly in integers (no rounding of 2/3).
func (s Set) Passed(yes, entitled int) bool {
	return entitled > 0 && s.VoteDen*yes >= s.VoteNum*entitled
}

// Vote checks a vote's numbers and threshold; rule is RuleCellVote, RuleCommittee or RuleFullVote.
func (s Set) Vote(rule string, yes, present, entitled int) []Violation {
	switch {
	case entitled <= 0:
		return []Violation{s.bad("entitled", rule, "cần số người có quyền biểu quyết")}
	case present > entitled:
		return []Violation{s.bad("present", rule, "số có mặt %d lớn hơn số có quyền biểu quyết %d", present, entitled)}
	case yes > present || yes < 0:
		return []Violation{s.bad("yes", rule, "số tán thành %d lớn hơn số có mặt %d", yes, present)}
	case !s.Passed(yes, entitled):
		return []Violation{s.bad("yes", rule, "%d/%d tán thành, chưa đạt %d/%d số có quyền biểu quyết (cần ít nhất %d)", yes, entitled, s.VoteNum, s.VoteDen, (s.VoteNum*entitled+s.VoteDen-1)/s.VoteDen)}
	}
	return nil
}

// Deadline returns the last day of a period of n working days after from.
func Deadline(cal *workday.Calendar, from time.Time, n int) time.Time { return cal.Add(from, n) }

// Within checks that act (on the date at) comes no later than n working days after from.
func (s Set) Within(cal *workday.Calendar, field, rule string, from, at time.Time, n int, what string) []Violation {
	if at.Before(from) {
		return []Violation{s.bad(field, rule, "%s ngày %s trước ngày %s", what, vn.FormatDate(at), vn.FormatDate(from))}
	}
	if due := cal.Add(from, n); at.After(due) {
		return []Violation{s.bad(field, rule, "%s ngày %s quá hạn %d ngày làm việc (hạn %s)", what, vn.FormatDate(at), n, vn.FormatDate(due))}
	}
	return nil
}

// ProbationEnd is the last day of probation after a ceremony on c, and FullFrom the day full
// membership dates from (the day after), even when the decision comes later.
func (s Set) ProbationEnd(c time.Time) time.Time {
	return c.AddDate(0, s.ProbationMonths, 0).AddDate(0, 0, -1)
}

// FullFrom is the date of full membership: 12 months from the ceremony (same day of the month a
// year on, which is the day after probation ends).
func (s Set) FullFrom(c time.Time) time.Time { return c.AddDate(0, s.ProbationMonths, 0) }

// Readmission checks that a person is readmitted at most once.
func (s Set) Readmission(previousReadmissions int) []Violation {
	if previousReadmissions > 0 {
		return []Violation{s.bad("readmission", RuleReadmission, "người này đã được kết nạp lại một lần, không xét kết nạp lại lần nữa")}
	}
	return nil
}

// Temporary checks the length of a temporary transfer [from, until).
func (s Set) Temporary(from, until time.Time, course bool) []Violation {
	if !until.After(from) {
		return []Violation{s.bad("until", RuleTemporary, "ngày kết thúc phải sau ngày bắt đầu")}
	}
	max := s.TempMaxMonths
	if course {
		max = s.TempCourseMonths
	}
	if from.AddDate(0, s.TempMinMonths, 0).After(until) {
		return []Violation{s.bad("until", RuleTemporary, "vắng dưới %d tháng thì không chuyển sinh hoạt tạm thời", s.TempMinMonths)}
	}
	if course && from.AddDate(0, max, 0).Before(until) || !course && !from.AddDate(0, max, 0).After(until) {
		return []Violation{s.bad("until", RuleTemporary, "thời gian sinh hoạt tạm thời vượt giới hạn (%d tháng): chuyển sinh hoạt chính thức", max)}
	}
	return nil
}
