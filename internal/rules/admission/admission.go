// Package admission applies the admission and membership rules of the Charter and its implementing
// regulations, as rule sets versioned by the date of the act they judge (domain.md §1, §4): the
// Charter of 2011 with QĐ 45-QĐ/TW (2011), then QĐ 29-QĐ/TW (25/7/2016), QĐ 24-QĐ/TW (30/7/2021),
// QĐ 232-QĐ/TW (20/1/2025), QĐ 294-QĐ/TW (1/7/2025), QĐ 20-QĐ/TW (8/4/2026) and QĐ 208-QĐ/TW
// (26/7/2026). Which date picks the set is written per act: the cell's consideration date for
// age, education, certificate and introducers; the date of the decision, ceremony or vote whose
// deadline is judged for deadlines.
//
// The values (ages, thresholds, deadlines, months) are data of two rule areas, "admissions" and
// "lifecycle" (data/*/ CSV, package rulebook), each with its citation and confidence mark; this
// package holds the logic that applies them. A refusal names the set, the article and, where the
// value is not confirmed from the official text, says so. Like every package under
// internal/rules it exposes For(day) → Set and reports rulebook.Problem (docs/rules.md).
package admission

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"dangvu/internal/rulebook"
	"dangvu/internal/vn"
	"dangvu/internal/workday"
)

//go:embed data
var files embed.FS

func sub(dir string) fs.FS { return rulebook.Embedded(files, dir) }

// Admissions is the rule area of admission to the Party (Charter Art. 1, 4, 5 and points 1–4
// of the implementing regulations).
var Admissions = &rulebook.Area{
	Name: "admissions", Label: "Kết nạp đảng viên", Files: sub("admissions"),
	Keys: []rulebook.Key{
		{Name: "min_age", Kind: rulebook.Int}, {Name: "max_age", Kind: rulebook.Int},
		{Name: "min_education", Kind: rulebook.Int}, {Name: "education_equivalent", Kind: rulebook.Bool},
		{Name: "certificate_months", Kind: rulebook.Int},
		{Name: "introducers", Kind: rulebook.Int}, {Name: "known_months", Kind: rulebook.Int},
		{Name: "introducers_lived", Kind: rulebook.Bool}, {Name: "trade_union_route", Kind: rulebook.Bool},
		{Name: "cell_vote", Kind: rulebook.Ratio}, {Name: "committee_vote", Kind: rulebook.Ratio},
		{Name: "decider", Kind: rulebook.Text},
		{Name: "decision_days", Kind: rulebook.Int}, {Name: "extension_days", Kind: rulebook.Int},
		{Name: "ceremony_days", Kind: rulebook.Int}, {Name: "probation_months", Kind: rulebook.Int},
		{Name: "full_vote_days", Kind: rulebook.Int}, {Name: "full_decision_days", Kind: rulebook.Int},
		{Name: "order", Kind: rulebook.Text},
	},
}

// Lifecycle is the rule area of a member's life after admission: transfers, temporary activity,
// readmission, the card (point 3.5 and 6 of the implementing regulations).
var Lifecycle = &rulebook.Area{
	Name: "lifecycle", Label: "Sinh hoạt đảng, chuyển sinh hoạt, kết nạp lại", Files: sub("lifecycle"),
	Keys: []rulebook.Key{
		{Name: "transfer_days", Kind: rulebook.Int}, {Name: "present_days", Kind: rulebook.Int},
		{Name: "temp_min_months", Kind: rulebook.Int}, {Name: "temp_max_months", Kind: rulebook.Int},
		{Name: "temp_course_months", Kind: rulebook.Int},
		{Name: "readmission_wait_months", Kind: rulebook.Int}, {Name: "readmission_consent", Kind: rulebook.Text},
		{Name: "readmission_excluded", Kind: rulebook.Text}, {Name: "readmission_times", Kind: rulebook.Int},
		{Name: "readmission_probation_months", Kind: rulebook.Int},
		{Name: "card", Kind: rulebook.Text},
	},
}

// Set is the rules in force on a day: the admission and life-cycle sets of the same regulation,
// their values read into fields for the checks.
type Set struct {
	ID     string // "QD29-2016"
	Name   string // "Quy định 29-QĐ/TW ngày 25/7/2016 thi hành Điều lệ Đảng"
	From   time.Time
	Source rulebook.Source // the texts the set applies

	MinAge, MaxAge int // on the cell's consideration date, in whole months of age
	// MinEducation is the lowest general education, in grades of the 12-grade system (9 = trung học
	// cơ sở); hardship areas may be exempted with an override. EducationEquivalent: "or equivalent"
	// is accepted (QĐ 45, 29).
	MinEducation        int
	EducationEquivalent bool
	// CertificateMonths is how long the certificate of the course on the Party is valid before
	// the cell's consideration; 0 when the set fixes no limit.
	CertificateMonths int
	Introducers       int // full members who introduce
	KnownMonths       int // months an introducer must have worked or studied (or lived) with the candidate
	// IntroducersLived: knowing the candidate from living in the same residential area counts
	// (from QĐ 24-QĐ/TW, 2021). TradeUnion: where there is no Youth Union organisation, the
	// grassroots trade-union executive may introduce a trade-union member with one full member.
	IntroducersLived, TradeUnion bool
	// Votes pass with at least VoteNum/VoteDen of those entitled in favour: the cell's (Charter
	// Art. 4 khoản 3); CommitteeNum/CommitteeDen for the grassroots committee (the guidance).
	VoteNum, VoteDen           int
	CommitteeNum, CommitteeDen int
	Decider                    string // who decides admissions at a grassroots committee
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
	// Readmission (point 3.5): at least ReadmissionWaitMonths after leaving, with the written
	// consent of ReadmissionConsent, never for the ReadmissionExcluded reasons, at most
	// ReadmissionTimes, then a new probation.
	ReadmissionWaitMonths, ReadmissionTimes, ReadmissionProbationMonths int
	ReadmissionConsent                                                  string
	ReadmissionExcluded                                                 []string

	// Sources gives, per rule key, the source of the value that sets it; every refusal quotes it
	// (Cite).
	Sources map[string]rulebook.Source
	// Admission and Life are the data sets the fields were read from.
	Admission, Life *rulebook.Set
}

// Rule keys, for Cite and for problems.
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

// citeKey names, per rule, the data value whose citation a refusal quotes.
var citeKey = map[string]struct {
	life bool
	key  string
}{
	RuleAge: {false, "min_age"}, RuleEducation: {false, "min_education"}, RuleCertificate: {false, "certificate_months"},
	RuleIntroducers: {false, "introducers"}, RuleCellVote: {false, "cell_vote"}, RuleCommittee: {false, "committee_vote"},
	RuleDecision: {false, "decision_days"}, RuleCeremony: {false, "ceremony_days"}, RuleProbation: {false, "probation_months"},
	RuleFullVote: {false, "full_vote_days"}, RuleFullDecision: {false, "full_decision_days"}, RuleOrder: {false, "order"},
	RuleReadmission: {true, "readmission_wait_months"}, RuleTransfer: {true, "transfer_days"}, RuleTemporary: {true, "temp_max_months"},
	RuleCard: {true, "card"},
}

// Sets are the versions in force, oldest first.
func Sets() []Set { return sets.All() }

// For returns the rule set in force on day (the oldest set before its start: the archives hold
// acts older than the sets recorded).
func For(day time.Time) Set { return sets.At(day) }

// sets chooses the pair of an admission and a life-cycle set; it is built once per pair, as
// deadlines are checked for every file of a list.
var sets = rulebook.Choose(func(in ...rulebook.InForce) Set { return build(in[0].Set, in[1].Set) }, Admissions, Lifecycle)

func build(a, l *rulebook.Set) Set {
	s := Set{ID: a.ID, Name: a.Name, From: a.From, Source: a.Source, Admission: a, Life: l,
		MinAge: a.Int("min_age"), MaxAge: a.Int("max_age"), MinEducation: a.Int("min_education"),
		EducationEquivalent: a.Bool("education_equivalent"), CertificateMonths: a.Int("certificate_months"),
		Introducers: a.Int("introducers"), KnownMonths: a.Int("known_months"),
		IntroducersLived: a.Bool("introducers_lived"), TradeUnion: a.Bool("trade_union_route"),
		Decider:      a.Text("decider"),
		DecisionDays: a.Int("decision_days"), ExtensionDays: a.Int("extension_days"), CeremonyDays: a.Int("ceremony_days"),
		ProbationMonths: a.Int("probation_months"), FullVoteDays: a.Int("full_vote_days"), FullDecisionDays: a.Int("full_decision_days"),
		TransferDays: l.Int("transfer_days"), PresentDays: l.Int("present_days"),
		TempMinMonths: l.Int("temp_min_months"), TempMaxMonths: l.Int("temp_max_months"), TempCourseMonths: l.Int("temp_course_months"),
		ReadmissionWaitMonths: l.Int("readmission_wait_months"), ReadmissionTimes: l.Int("readmission_times"),
		ReadmissionProbationMonths: l.Int("readmission_probation_months"), ReadmissionConsent: l.Text("readmission_consent"),
	}
	s.VoteNum, s.VoteDen = a.Ratio("cell_vote")
	s.CommitteeNum, s.CommitteeDen = a.Ratio("committee_vote")
	for _, x := range strings.Split(l.Text("readmission_excluded"), ";") {
		if x = strings.TrimSpace(x); x != "" {
			s.ReadmissionExcluded = append(s.ReadmissionExcluded, x)
		}
	}
	s.Sources = make(map[string]rulebook.Source, len(citeKey))
	for rule, k := range citeKey {
		if k.life {
			s.Sources[rule] = l.SourceOf(k.key)
		} else {
			s.Sources[rule] = a.SourceOf(k.key)
		}
	}
	return s
}

// Cite is the article that sets rule followed by its confidence mark where not confirmed.
func (s Set) Cite(rule string) string { return s.Sources[rule].String() }

func (s Set) bad(field, rule, format string, args ...any) rulebook.Problem {
	return s.Problem(field, rule, fmt.Sprintf(format, args...))
}

// Problem builds a refusal of rule with the set's name and citation, for checks made outside
// this package (order of steps, missing documents).
func (s Set) Problem(field, rule, reason string) rulebook.Problem {
	return rulebook.Problem{Field: field, Rule: rule, Reason: reason, Set: s.Name, Source: s.Sources[rule]}
}

// Age checks the candidate's age on the cell's consideration date. A birth date known only by
// year or month must satisfy the limit whatever its missing part: the youngest possible for the
// minimum, the oldest possible for the maximum.
func (s Set) Age(birth vn.PartialDate, on time.Time) []rulebook.Problem {
	if birth.IsZero() {
		return []rulebook.Problem{s.bad("birth_date", RuleAge, "cần ngày sinh để xét tuổi vào ngày chi bộ xét")}
	}
	var out []rulebook.Problem
	if birth.Latest().AddDate(s.MinAge, 0, 0).After(on) {
		out = append(out, s.bad("birth_date", RuleAge, "chưa đủ %d tuổi vào ngày chi bộ xét %s", s.MinAge, vn.FormatDate(on)))
	}
	// "Đến đủ 60 tuổi (tính theo tháng)": age is counted in completed months, so 60 years and 0
	// months is the last month allowed; from 60 years and 1 month the candidate is "trên 60 tuổi"
	// (our reading of point 1.1, documented in docs/admissions.md). The oldest possible birth date
	// is taken when only the year or month is known.
	if !birth.Earliest().AddDate(s.MaxAge, 1, 0).After(on) {
		out = append(out, s.bad("birth_date", RuleAge, "đã quá %d tuổi (tính theo tháng) vào ngày chi bộ xét %s: cần văn bản đồng ý của ban thường vụ cấp ủy trực thuộc Trung ương trước khi quyết định (ghi vào lý do vượt quy định)", s.MaxAge, vn.FormatDate(on)))
	}
	return out
}

// Education checks the general education, written "9/12", "12/12" or "7/10" (the ten-grade system
// of the North until 1981, where grade 7 was the end of lower secondary).
func (s Set) Education(edu string) []rulebook.Problem {
	var g, of int
	if _, err := fmt.Sscanf(edu, "%d/%d", &g, &of); err != nil || of <= 0 || g <= 0 || g > of {
		return []rulebook.Problem{s.bad("education", RuleEducation, "trình độ học vấn %q không rõ: ghi dạng 9/12, 12/12 hoặc 7/10", edu)}
	}
	// Map to the 12-grade system: the 10-grade system ended lower secondary at 7.
	if of == 10 {
		g += 2
	}
	if g < s.MinEducation {
		what := "tốt nghiệp trung học cơ sở"
		if s.EducationEquivalent {
			what += " hoặc tương đương"
		}
		return []rulebook.Problem{s.bad("education", RuleEducation, "trình độ học vấn %s chưa %s (trừ vùng khó khăn: ghi lý do vượt quy định)", edu, what)}
	}
	return nil
}

// Certificate checks that the course certificate dated cert is still valid when the cell
// considers the application on on.
func (s Set) Certificate(cert, on time.Time) []rulebook.Problem {
	if cert.After(on) {
		return []rulebook.Problem{s.bad("date", RuleCertificate, "giấy chứng nhận ngày %s sau ngày chi bộ xét %s", vn.FormatDate(cert), vn.FormatDate(on))}
	}
	if s.CertificateMonths > 0 && !cert.AddDate(0, s.CertificateMonths, 0).After(on) {
		return []rulebook.Problem{s.bad("date", RuleCertificate, "giấy chứng nhận ngày %s đã quá %d tháng vào ngày chi bộ xét %s", vn.FormatDate(cert), s.CertificateMonths, vn.FormatDate(on))}
	}
	return nil
}

// Introducer is what the rules need to know of one introducer on the day of the introduction.
type Introducer struct {
	ID         string
	YouthUnion bool      // the grassroots Youth Union executive
	TradeUnion bool      // the grassroots trade-union executive
	Full       bool      // a full member that day
	KnownSince time.Time // working, studying or living with the candidate in the same unit since
	// Lived: they know the candidate from living in the same residential area only (not from
	// working or studying together), which counts from QĐ 24-QĐ/TW (2021).
	Lived       bool
	Replacement bool // replaces one who left or was disciplined
}

// CheckIntroducers checks the introducers on the day they introduce (on). A Youth Union member is
// introduced by the Youth Union executive with one full member; where there is no Youth Union
// organisation (the candidate is not a Youth Union member), a trade-union member may be
// introduced by the trade-union executive with one full member (Charter Art. 4 khoản 1).
func (s Set) CheckIntroducers(list []Introducer, youthMember bool, on time.Time) []rulebook.Problem {
	var out []rulebook.Problem
	members, youth, union := 0, 0, 0
	seen := map[string]bool{}
	for _, in := range list {
		if in.YouthUnion {
			youth++
			continue
		}
		if in.TradeUnion {
			union++
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
		if in.Lived && !s.IntroducersLived {
			out = append(out, s.bad("known", RuleIntroducers, "người giới thiệu %s chỉ cùng sinh hoạt nơi cư trú với người vào Đảng: %s chỉ tính cùng công tác, lao động, học tập", in.ID, s.Name))
		}
		if in.KnownSince.IsZero() || in.KnownSince.AddDate(0, s.KnownMonths, 0).After(on) {
			if !in.Replacement {
				out = append(out, s.bad("known", RuleIntroducers, "người giới thiệu %s chưa cùng công tác, học tập hoặc sinh sống với người vào Đảng đủ %d tháng", in.ID, s.KnownMonths))
			}
		}
	}
	switch {
	case youth+union > 1:
		out = append(out, s.bad("people", RuleIntroducers, "chỉ một Ban Chấp hành Đoàn cơ sở hoặc một Ban Chấp hành công đoàn cơ sở giới thiệu"))
	case union == 1 && !s.TradeUnion:
		out = append(out, s.bad("people", RuleIntroducers, "%s không có đường giới thiệu của Ban Chấp hành công đoàn cơ sở", s.Name))
	case union == 1 && youthMember:
		out = append(out, s.bad("people", RuleIntroducers, "người vào Đảng là đoàn viên: nơi có tổ chức Đoàn thì Ban Chấp hành Đoàn cơ sở giới thiệu, không phải công đoàn"))
	case union == 1 && members != s.Introducers-1:
		out = append(out, s.bad("people", RuleIntroducers, "đoàn viên công đoàn cần Ban Chấp hành công đoàn cơ sở và %d đảng viên chính thức giới thiệu", s.Introducers-1))
	case youth == 1 && !youthMember:
		out = append(out, s.bad("people", RuleIntroducers, "Ban Chấp hành Đoàn cơ sở chỉ giới thiệu đoàn viên"))
	case youth == 1 && members != s.Introducers-1:
		out = append(out, s.bad("people", RuleIntroducers, "đoàn viên cần Ban Chấp hành Đoàn cơ sở và %d đảng viên chính thức giới thiệu", s.Introducers-1))
	case youth == 0 && union == 0 && members != s.Introducers:
		out = append(out, s.bad("people", RuleIntroducers, "cần %d đảng viên chính thức giới thiệu, có %d", s.Introducers, members))
	}
	return out
}

// Passed reports whether yes votes of entitled pass the cell's threshold: yes/entitled ≥
// num/den, computed exactly in integers (no rounding of 2/3).
func (s Set) Passed(yes, entitled int) bool { return passed(yes, entitled, s.VoteNum, s.VoteDen) }

func passed(yes, entitled, num, den int) bool { return entitled > 0 && den*yes >= num*entitled }

// ratio is the threshold of a vote: the grassroots committee's from the guidance, the cell's
// (admission and full membership) from the Charter.
func (s Set) ratio(rule string) (int, int) {
	if rule == RuleCommittee {
		return s.CommitteeNum, s.CommitteeDen
	}
	return s.VoteNum, s.VoteDen
}

// Vote checks a vote's numbers and threshold; rule is RuleCellVote, RuleCommittee or RuleFullVote.
func (s Set) Vote(rule string, yes, present, entitled int) []rulebook.Problem {
	switch {
	case entitled <= 0:
		return []rulebook.Problem{s.bad("entitled", rule, "cần số người có quyền biểu quyết")}
	case present > entitled:
		return []rulebook.Problem{s.bad("present", rule, "số có mặt %d lớn hơn số có quyền biểu quyết %d", present, entitled)}
	case yes > present || yes < 0:
		return []rulebook.Problem{s.bad("yes", rule, "số tán thành %d lớn hơn số có mặt %d", yes, present)}
	}
	if num, den := s.ratio(rule); !passed(yes, entitled, num, den) {
		return []rulebook.Problem{s.bad("yes", rule, "%d/%d tán thành, chưa đạt %d/%d số có quyền biểu quyết (cần ít nhất %d)", yes, entitled, num, den, (num*entitled+den-1)/den)}
	}
	return nil
}

// Deadline returns the last day of a period of n working days after from.
func Deadline(cal *workday.Calendar, from time.Time, n int) time.Time { return cal.Add(from, n) }

// Within checks that act (on the date at) comes no later than n working days after from.
func (s Set) Within(cal *workday.Calendar, field, rule string, from, at time.Time, n int, what string) []rulebook.Problem {
	if at.Before(from) {
		return []rulebook.Problem{s.bad(field, rule, "%s ngày %s trước ngày %s", what, vn.FormatDate(at), vn.FormatDate(from))}
	}
	if due := cal.Add(from, n); at.After(due) {
		return []rulebook.Problem{s.bad(field, rule, "%s ngày %s quá hạn %d ngày làm việc (hạn %s%s)", what, vn.FormatDate(at), n, vn.FormatDate(due), EstimatedNote(cal, from, due))}
	}
	return nil
}

// EstimatedNote is what a deadline adds when it was counted over a year whose official schedule
// is not recorded: the days off were computed, so the date is an estimate.
func EstimatedNote(cal *workday.Calendar, from, due time.Time) string {
	ys := cal.EstimatedYears(from, due)
	if len(ys) == 0 {
		return ""
	}
	parts := make([]string, len(ys))
	for i, y := range ys {
		parts[i] = fmt.Sprint(y)
	}
	return "; ước tính: chưa có lịch nghỉ chính thức năm " + strings.Join(parts, ", ")
}

// ProbationEnd is the last day of probation after a ceremony on c, and FullFrom the day full
// membership dates from (the day after), even when the decision comes later.
func (s Set) ProbationEnd(c time.Time) time.Time {
	return c.AddDate(0, s.ProbationMonths, 0).AddDate(0, 0, -1)
}

// FullFrom is the date of full membership: 12 months from the ceremony (same day of the month a
// year on, which is the day after probation ends).
func (s Set) FullFrom(c time.Time) time.Time { return c.AddDate(0, s.ProbationMonths, 0) }

// Readmission checks a readmission considered on on (point 3.5): at most ReadmissionTimes
// earlier readmissions; at least ReadmissionWaitMonths since the person left on left (zero when
// unknown: not checked); the reason recorded for leaving not one of the excluded categories (a
// request to leave for family hardship is not excluded).
func (s Set) Readmission(previous int, left time.Time, leftReason string, on time.Time) []rulebook.Problem {
	var out []rulebook.Problem
	if previous >= s.ReadmissionTimes {
		v := s.bad("readmission", RuleReadmission, "người này đã được kết nạp lại %d lần: chỉ xem xét kết nạp lại một lần", previous)
		v.Source = s.Life.SourceOf("readmission_times")
		out = append(out, v)
	}
	if !left.IsZero() && left.AddDate(0, s.ReadmissionWaitMonths, 0).After(on) {
		out = append(out, s.bad("readmission", RuleReadmission, "ra khỏi Đảng ngày %s, chưa đủ %d tháng vào ngày %s", vn.FormatDate(left), s.ReadmissionWaitMonths, vn.FormatDate(on)))
	}
	r := vn.Fold(leftReason)
	for _, x := range s.ReadmissionExcluded {
		if !strings.Contains(r, vn.Fold(x)) {
			continue
		}
		if strings.Contains(vn.Fold(x), "xin ra") && strings.Contains(r, vn.Fold("hoàn cảnh gia đình")) {
			continue
		}
		out = append(out, s.bad("readmission", RuleReadmission, "lý do ra khỏi Đảng (%s) thuộc trường hợp không xem xét kết nạp lại: %s", leftReason, x))
		break
	}
	return out
}

// ReadmissionConsentMissing is the refusal of a readmission decision recorded without the written
// consent the set requires; the consent's number and date go in the override.
func (s Set) ReadmissionConsentMissing() rulebook.Problem {
	return s.bad("override", RuleReadmission, "kết nạp lại cần %s: ghi số, ngày văn bản vào lý do vượt quy định", s.ReadmissionConsent)
}

// Temporary checks the length of a temporary transfer [from, until).
func (s Set) Temporary(from, until time.Time, course bool) []rulebook.Problem {
	if !until.After(from) {
		return []rulebook.Problem{s.bad("until", RuleTemporary, "ngày kết thúc phải sau ngày bắt đầu")}
	}
	max := s.TempMaxMonths
	if course {
		max = s.TempCourseMonths
	}
	if from.AddDate(0, s.TempMinMonths, 0).After(until) {
		return []rulebook.Problem{s.bad("until", RuleTemporary, "vắng dưới %d tháng thì không chuyển sinh hoạt tạm thời", s.TempMinMonths)}
	}
	if course && from.AddDate(0, max, 0).Before(until) || !course && !from.AddDate(0, max, 0).After(until) {
		return []rulebook.Problem{s.bad("until", RuleTemporary, "thời gian sinh hoạt tạm thời vượt giới hạn (%d tháng): chuyển sinh hoạt chính thức", max)}
	}
	return nil
}
