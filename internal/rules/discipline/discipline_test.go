package discipline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/rulebook"
	"dangvu/internal/workday"
)

func TestFor(t *testing.T) {
	for _, tc := range []struct{ day, want string }{
		{"2015-09-01", "46-QĐ/TW"},  // QĐ 46-QĐ/TW 2011, until QĐ 30
		{"2016-07-25", "46-QĐ/TW"},  // the day before QĐ 30-QĐ/TW
		{"2016-07-26", "30-QĐ/TW"},  // QĐ 30-QĐ/TW of 26/7/2016
		{"2021-07-28", "22-QĐ/TW"},  // QĐ 22-QĐ/TW of 28/7/2021
		{"2025-05-29", "22-QĐ/TW"},  // the day before QĐ 296
		{"2025-05-30", "296-QĐ/TW"}, // QĐ 296-QĐ/TW of 30/5/2025
		{"2026-04-10", "296-QĐ/TW"}, // the day before QĐ 21-QĐ/TW
		{"2026-04-11", "21-QĐ/TW"},  // QĐ 21-QĐ/TW of 11/4/2026 (next-rules.md §0)
		{"2026-11-27", "21-QĐ/TW"},
	} {
		if got := For(day(tc.day)).Code; got != tc.want {
			t.Errorf("For(%s) = %s, want %s", tc.day, got, tc.want)
		}
	}
	// QĐ 46-QĐ/TW is a Quyết định issuing a Hướng dẫn, not a Quy định (rules-verified.md D8).
	if title := For(day("2015-01-01")).Title; !strings.HasPrefix(title, "Quyết định 46-QĐ/TW") || !strings.Contains(title, "Hướng dẫn") {
		t.Errorf("QĐ 46 title %q", title)
	}
	// 21-QĐ/TW is known only from a 2026 question bank: secondary.
	if c := For(day("2026-12-01")).Source.Confidence; c != rulebook.Secondary {
		t.Errorf("21-QĐ/TW confidence %s, want secondary", c)
	}
}

func TestStatuteFor(t *testing.T) {
	for _, tc := range []struct{ day, want string }{
		{"2017-11-14", "181-QĐ/TW"}, // no statute found before QĐ 102
		{"2017-11-15", "102-QĐ/TW"}, // QĐ 102-QĐ/TW Điều 3
		{"2018-08-28", "07-QĐi/TW"}, // QĐ 07-QĐi/TW Điều 5 adds organisations
		{"2022-07-06", "69-QĐ/TW"},  // QĐ 69-QĐ/TW Điều 4
		{"2026-12-01", "69-QĐ/TW"},
	} {
		if got := StatuteFor(day(tc.day)).Code; got != tc.want {
			t.Errorf("StatuteFor(%s) = %s, want %s", tc.day, got, tc.want)
		}
	}
}

func TestCheck(t *testing.T) {
	base := Case{Subject: FullMember, Form: dangvu.FormWarning, Body: dangvu.BodyCommission, AuthorityLevel: dangvu.LevelDistrict,
		AuthorityCovers: true, ViolationOn: dangvu.MustDate("2017-03-01"), DecidedOn: dangvu.MustDate("2018-04-10"), EffectiveOn: dangvu.MustDate("2018-04-10")}
	for _, tc := range []struct {
		name  string
		edit  func(*Case)
		field string // "" when valid
		cites string // a piece of the message: the rule it cites
	}{
		{"full member warned by the city commission (Điều lệ Điều 36 khoản 4)", func(*Case) {}, "", ""},
		// Điều lệ Đảng Điều 35 khoản 2: probationary members — reprimand or warning only.
		{"probationary member warned", func(c *Case) { c.Subject = ProbationaryMember }, "", ""},
		{"probationary member expelled", func(c *Case) { c.Subject, c.Form = ProbationaryMember, dangvu.FormExpulsion }, "form", "Điều 35"},
		{"probationary member removed from post", func(c *Case) { c.Subject, c.Form = ProbationaryMember, dangvu.FormRemoval }, "form", "dự bị"},
		// Organisations: reprimand, warning, dissolution (Điều 35); never expulsion.
		{"organisation expelled", func(c *Case) { c.Subject, c.Form = Organisation, dangvu.FormExpulsion }, "form", "tổ chức đảng"},
		// QĐ 296 Điều 11: the directly superior committee or its standing committee disciplines an
		// organisation; an inspection commission does not.
		{"organisation warned by the commission (QĐ 296 Điều 11)", func(c *Case) { c.Subject = Organisation }, "authority_body", "Điều 11"},
		{"organisation warned by the standing committee", func(c *Case) { c.Subject, c.Body = Organisation, dangvu.BodyStanding }, "", ""},
		{"organisation dissolved by the commission", func(c *Case) { c.Subject, c.Form = Organisation, dangvu.FormDissolution }, "authority_body", "ủy ban kiểm tra không thi hành kỷ luật tổ chức"},
		{"organisation dissolved by the executive committee", func(c *Case) {
			c.Subject, c.Form, c.Body = Organisation, dangvu.FormDissolution, dangvu.BodyExecutive
		}, "", ""},
		// Điều lệ Điều 36 khoản 1: a cell may reprimand or warn its own members, committee
		// members included, except for a task assigned by a higher level.
		{"cell warns its member", func(c *Case) { c.Body, c.AuthorityLevel = dangvu.BodyCell, dangvu.LevelCell }, "", ""},
		{"cell warns its member for a task assigned from above (QĐ 296 Điều 10 khoản 1 điểm 1.4)", func(c *Case) {
			c.Body, c.AuthorityLevel, c.HigherTask, c.DecidedOn, c.EffectiveOn = dangvu.BodyCell, dangvu.LevelCell, true, dangvu.MustDate("2025-09-01"), dangvu.MustDate("2025-09-01")
		}, "authority_body", "điểm 1.4"},
		{"grassroots committee warns for a task assigned from above", func(c *Case) {
			c.Body, c.AuthorityLevel, c.HigherTask = dangvu.BodyGrassroots, dangvu.LevelGrassrootsCommittee, true
		}, "", ""},
		{"cell expels its member", func(c *Case) {
			c.Body, c.AuthorityLevel, c.Form = dangvu.BodyCell, dangvu.LevelCell, dangvu.FormExpulsion
		}, "authority_body", "Điều 36 khoản 1"},
		{"cell disciplines a member elsewhere", func(c *Case) {
			c.Body, c.AuthorityLevel, c.AuthorityCovers = dangvu.BodyCell, dangvu.LevelCell, false
		}, "authority_org_id", "thẩm quyền"},
		{"inspection commission of a cell does not exist", func(c *Case) { c.AuthorityLevel = dangvu.LevelCell }, "authority_body", "thẩm quyền"},
		// Statute of limitations, QĐ 102-QĐ/TW Điều 3 (from 15/11/2017): 5 years for reprimand,
		// 10 for warning and removal, none for expulsion and the no-limit categories.
		{"reprimand 5 years and a day after (QĐ 102 Điều 3)", func(c *Case) {
			c.Form, c.ViolationOn, c.DecidedOn, c.EffectiveOn = dangvu.FormReprimand, dangvu.MustDate("2013-04-09"), dangvu.MustDate("2018-04-10"), dangvu.MustDate("2018-04-10")
		}, "violation_on", "QĐ 102-QĐ/TW Điều 3"},
		{"reprimand on the last day", func(c *Case) {
			c.Form, c.ViolationOn, c.DecidedOn, c.EffectiveOn = dangvu.FormReprimand, dangvu.MustDate("2013-04-10"), dangvu.MustDate("2018-04-10"), dangvu.MustDate("2018-04-10")
		}, "", ""},
		{"reprimand restarted by a new violation", func(c *Case) {
			c.Form, c.ViolationOn, c.RenewedOn, c.DecidedOn, c.EffectiveOn = dangvu.FormReprimand, dangvu.MustDate("2010-01-01"), dangvu.MustDate("2014-06-01"), dangvu.MustDate("2018-04-10"), dangvu.MustDate("2018-04-10")
		}, "", ""},
		{"no statute before 15/11/2017", func(c *Case) {
			c.Form, c.ViolationOn, c.DecidedOn, c.EffectiveOn = dangvu.FormReprimand, dangvu.MustDate("2010-01-01"), dangvu.MustDate("2017-04-10"), dangvu.MustDate("2017-04-10")
		}, "", ""},
		{"warning 10 years after", func(c *Case) { c.ViolationOn = dangvu.MustDate("2008-01-01") }, "violation_on", "10 năm"},
		{"warning under QĐ 69 Điều 4", func(c *Case) {
			c.ViolationOn, c.DecidedOn, c.EffectiveOn = dangvu.MustDate("2012-01-01"), dangvu.MustDate("2023-01-10"), dangvu.MustDate("2023-01-10")
		}, "violation_on", "QĐ 69-QĐ/TW Điều 4"},
		{"warning 10 years after, internal politics (no limit)", func(c *Case) { c.ViolationOn, c.NoLimit = dangvu.MustDate("2008-01-01"), NoLimitInternalPolitics }, "", ""},
		{"reprimand, unlawful diploma (no limit)", func(c *Case) {
			c.Form, c.ViolationOn, c.NoLimit = dangvu.FormReprimand, dangvu.MustDate("2005-01-01"), NoLimitDiploma
		}, "", ""},
		{"unknown no-limit category", func(c *Case) { c.NoLimit = "weather" }, "no_limit", "không hợp lệ"},
		{"expulsion has no statute", func(c *Case) { c.Form, c.ViolationOn = dangvu.FormExpulsion, dangvu.MustDate("1999-01-01") }, "", ""},
		// Organisations had no statute until QĐ 07-QĐi/TW (28/8/2018) Điều 5.
		{"organisation reprimanded 6 years after, before QĐ 07-QĐi", func(c *Case) {
			c.Subject, c.Body, c.Form, c.ViolationOn = Organisation, dangvu.BodyStanding, dangvu.FormReprimand, dangvu.MustDate("2012-01-01")
		}, "", ""},
		{"organisation reprimanded 6 years after, under QĐ 07-QĐi", func(c *Case) {
			c.Subject, c.Body, c.Form, c.ViolationOn, c.DecidedOn, c.EffectiveOn = Organisation, dangvu.BodyStanding, dangvu.FormReprimand, dangvu.MustDate("2013-01-01"), dangvu.MustDate("2019-04-10"), dangvu.MustDate("2019-04-10")
		}, "violation_on", "QĐ 07-QĐi/TW Điều 5"},
		{"effect before decision", func(c *Case) { c.EffectiveOn = dangvu.MustDate("2018-04-01") }, "effective_on", "trước ngày quyết định"},
		{"violation after decision", func(c *Case) { c.ViolationOn = dangvu.MustDate("2018-05-01") }, "violation_on", "sau ngày quyết định"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := base
			tc.edit(&c)
			ps := Check(c)
			if tc.field == "" {
				if len(ps) > 0 {
					t.Fatalf("want valid, got %+v", ps)
				}
				return
			}
			if len(ps) == 0 {
				t.Fatalf("want a problem on %s, got none", tc.field)
			}
			if ps[0].Field != tc.field || !strings.Contains(ps[0].String(), tc.cites) {
				t.Errorf("got %+v, want field %s citing %q", ps[0], tc.field, tc.cites)
			}
		})
	}
}

// Every refusal names the rule set, and a rule that is not confirmed says so.
func TestRefusalNamesRuleSetAndMark(t *testing.T) {
	ps := Check(Case{Subject: Organisation, Form: dangvu.FormWarning, Body: dangvu.BodyCommission, AuthorityLevel: dangvu.LevelProvince,
		AuthorityCovers: true, ViolationOn: dangvu.MustDate("2026-05-01"), DecidedOn: dangvu.MustDate("2026-06-01"), EffectiveOn: dangvu.MustDate("2026-06-01")})
	if len(ps) != 1 || !strings.Contains(ps[0].String(), "21-QĐ/TW") || !strings.Contains(ps[0].String(), "nguồn thứ cấp") {
		t.Errorf("got %+v", ps)
	}
	ps = Check(Case{Subject: FullMember, Form: dangvu.FormExpulsion, Body: dangvu.BodyCell, AuthorityLevel: dangvu.LevelCell,
		AuthorityCovers: true, ViolationOn: dangvu.MustDate("2026-05-01"), DecidedOn: dangvu.MustDate("2026-06-01"), EffectiveOn: dangvu.MustDate("2026-06-01")})
	if len(ps) != 1 || !strings.Contains(ps[0].String(), "21-QĐ/TW") || !strings.Contains(ps[0].String(), "chưa xác minh") {
		t.Errorf("got %+v", ps)
	}
}

func TestAppealDeadlines(t *testing.T) {
	cal := workday.Default()
	// Charter Art. 39 khoản 7: one month from receiving the decision, counted by the party's
	// guidance as 30 working days (the n-th working day after receipt).
	for _, tc := range []struct{ received, want string }{
		{"2018-04-12", "2018-05-29"}, // 30/4, 1/5 and the weekends skipped
		{"2025-12-15", "2026-01-26"}, // 1/1/2026 off
	} {
		got := AppealDeadline(cal, dangvu.MustDate(tc.received))
		recv, _ := dangvu.ParseISODate(tc.received)
		due := got.Time
		if n := cal.Between(recv, due); n != 30 || !cal.IsWorkday(due) {
			t.Errorf("AppealDeadline(%s) = %s: %d working days after receipt, want 30 ending on a working day", tc.received, got, n)
		}
		if tc.received == "2018-04-12" && got.String() != tc.want {
			t.Errorf("AppealDeadline(%s) = %s, want %s", tc.received, got, tc.want)
		}
	}
	// QĐ 30-QĐ/TW: 90 working days at province and district level, 180 at the centre; the
	// grassroots figure is not in the texts reached and is marked.
	for _, tc := range []struct {
		level dangvu.Level
		days  int
	}{
		{dangvu.LevelCentral, 180}, {dangvu.LevelProvince, 90}, {dangvu.LevelDistrict, 90}, {dangvu.LevelGrassrootsCommittee, 90},
	} {
		due := AnswerDue(cal, dangvu.MustDate("2018-09-03"), tc.level)
		from, _ := dangvu.ParseISODate("2018-09-03")
		to := due.Time
		if n := cal.Between(from, to); n != tc.days {
			t.Errorf("AnswerDue(%s) = %s: %d working days, want %d", tc.level, due, n, tc.days)
		}
	}
	if r := AnswerRule(dangvu.MustDate("2018-09-03"), dangvu.LevelGrassrootsCommittee); !strings.Contains(r, "chưa xác minh") || !strings.Contains(r, "30-QĐ/TW") {
		t.Errorf("grassroots answer rule %q must name the set and say it is unconfirmed", r)
	}
	if r := AnswerRule(dangvu.MustDate("2018-09-03"), dangvu.LevelProvince); !strings.Contains(r, "90 ngày làm việc") || !strings.Contains(r, "nguồn thứ cấp") {
		t.Errorf("province answer rule %q", r)
	}
}

func TestSourcesMarked(t *testing.T) {
	marks := map[rulebook.Confidence]bool{rulebook.Confirmed: true, rulebook.Secondary: true, rulebook.Unconfirmed: true, rulebook.Conflict: true}
	check := func(what string, s rulebook.Source) {
		t.Helper()
		if s.Citation == "" || !marks[s.Confidence] {
			t.Errorf("%s: source %+v needs a citation and a confidence mark", what, s)
		}
		if s.Confidence != rulebook.Confirmed && !strings.Contains(s.String(), "(") {
			t.Errorf("%s: an unconfirmed source must say so", what)
		}
	}
	for _, rs := range Sets() {
		for _, s := range []rulebook.Source{rs.Source, rs.FormsSource, rs.AppealSource, rs.ComplySource, rs.HigherTaskSource} {
			check(rs.Code, s)
		}
		for _, c := range []string{ClassCentral, ClassUpper, ClassGrassroots} {
			check(rs.Code+" answer "+c, rs.AnswerSource[c])
			if rs.AnswerDays[c] == 0 {
				t.Errorf("%s: no answer deadline for %s", rs.Code, c)
			}
		}
		if len(rs.Competence) == 0 {
			t.Errorf("%s: no competence table", rs.Code)
		}
		for _, k := range rs.Competence {
			check(rs.Code+" competence", k.Source)
			if k.Body == dangvu.BodyCommission && k.Subject == Organisation {
				t.Errorf("%s: an inspection commission does not discipline organisations (QĐ 296 Điều 11)", rs.Code)
			}
		}
	}
	for _, st := range Statutes() {
		check(st.Code, st.Source)
		check(st.Code+" no limit", st.NoLimitSource)
	}
}

// An office corrects a value from its rules folder (--rules DIR): the grassroots answer deadline
// once its text is found; the rule then cites the correction and says it is local.
func TestLocalCorrection(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "discipline"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "discipline", "values.csv"), []byte("set,key,label,value,citation,confidence,note\n"+
		"QD21-2026,answer_days_grassroots,,60,QĐ 21-QĐ/TW Điều 40 (bản chính thức),confirmed,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Area.Load(dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { Area.Load("") })
	if r := AnswerRule(dangvu.MustDate("2026-09-01"), dangvu.LevelGrassrootsCommittee); !strings.HasPrefix(r, "60 ngày làm việc") || !strings.Contains(r, "do đơn vị sửa") {
		t.Errorf("corrected rule %q", r)
	}
	if r := AnswerRule(dangvu.MustDate("2025-09-01"), dangvu.LevelGrassrootsCommittee); !strings.HasPrefix(r, "90 ngày làm việc") {
		t.Errorf("the earlier set keeps its value: %q", r)
	}
	// A misspelt form is refused naming file, line and column.
	os.WriteFile(filepath.Join(dir, "discipline", "values.csv"), []byte("set,key,label,value,citation,confidence,note\n"+
		"QD21-2026,competence_cell_member,,reprimand;expel,Điều lệ Điều 36,confirmed,\n"), 0o644)
	if err := Area.Load(dir); err == nil || !strings.Contains(err.Error(), "dòng 2") || !strings.Contains(err.Error(), "expel") {
		t.Errorf("bad form accepted: %v", err)
	}
}

func day(iso string) time.Time {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		panic(err)
	}
	return t
}

// The competence refusals and the statute's cite the set in force, from its data: none quotes a
// fixed article of its own.
func TestCompetenceRefusalsCiteTheSetInForce(t *testing.T) {
	base := Case{Subject: FullMember, Form: dangvu.FormReprimand, Body: dangvu.BodyGrassroots, AuthorityLevel: dangvu.LevelGrassrootsCommittee,
		AuthorityCovers: true, ViolationOn: dangvu.MustDate("2022-05-01"), DecidedOn: dangvu.MustDate("2022-06-01"), EffectiveOn: dangvu.MustDate("2022-06-01")}
	rs := For(day("2022-06-01"))
	row, _ := rs.row(dangvu.BodyGrassroots, FullMember)
	barred, _ := rs.row(dangvu.BodyCommission, Organisation)
	for _, tc := range []struct {
		name string
		edit func(*Case)
		want rulebook.Source
	}{
		{"authority out of reach", func(c *Case) { c.AuthorityCovers = false }, row.Source},
		{"commission on an organisation", func(c *Case) {
			c.Subject, c.Body, c.AuthorityLevel, c.Form = Organisation, dangvu.BodyCommission, dangvu.LevelProvince, dangvu.FormWarning
		}, barred.Source},
		{"no row for the body", func(c *Case) { c.Subject, c.Body, c.Form = Organisation, dangvu.BodyCell, dangvu.FormWarning }, rs.Source},
	} {
		c := base
		tc.edit(&c)
		ps := Check(c)
		if len(ps) != 1 || ps[0].Set != rs.Code || ps[0].Source != tc.want || tc.want.Citation == "" {
			t.Errorf("%s: %+v, want set %s and source %+v", tc.name, ps, rs.Code, tc.want)
		}
	}
	// The statute: its set and source, not a citation inside the reason.
	c := base
	c.ViolationOn = dangvu.MustDate("2010-01-01")
	ps := Check(c)
	st := StatuteFor(day("2022-06-01"))
	if len(ps) != 1 || ps[0].Rule != "statute" || ps[0].Set != st.Code || ps[0].Source != st.Source || strings.Contains(ps[0].Reason, st.Source.Citation) {
		t.Errorf("statute: %+v, want set %s and source %+v", ps, st.Code, st.Source)
	}
}
