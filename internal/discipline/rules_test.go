package discipline

import (
	"strings"
	"testing"

	"dangvu"
)

func TestRuleSetOn(t *testing.T) {
	for _, tc := range []struct{ day, want string }{
		{"2015-09-01", "46-QĐ/TW"},  // QĐ 46-QĐ/TW 2011, until QĐ 30
		{"2016-07-25", "46-QĐ/TW"},  // the day before QĐ 30-QĐ/TW
		{"2016-07-26", "30-QĐ/TW"},  // QĐ 30-QĐ/TW of 26/7/2016
		{"2021-07-28", "22-QĐ/TW"},  // QĐ 22-QĐ/TW of 28/7/2021
		{"2025-05-29", "22-QĐ/TW"},  // the day before QĐ 296
		{"2025-05-30", "296-QĐ/TW"}, // QĐ 296-QĐ/TW of 30/5/2025
		{"2026-11-27", "296-QĐ/TW"},
	} {
		if got := On(tc.day).Code; got != tc.want {
			t.Errorf("On(%s) = %s, want %s", tc.day, got, tc.want)
		}
	}
}

func TestCheck(t *testing.T) {
	base := Case{Subject: FullMember, Form: dangvu.FormWarning, Body: dangvu.BodyCommission, AuthorityLevel: dangvu.LevelDistrict,
		AuthorityCovers: true, ViolationOn: "2017-03-01", DecidedOn: "2018-04-10", EffectiveOn: "2018-04-10"}
	for _, tc := range []struct {
		name  string
		edit  func(*Case)
		field string // "" when valid
		cites string // a piece of the message: the rule it cites
	}{
		{"full member warned by the city commission (Điều lệ Điều 36 khoản 4)", func(*Case) {}, "", ""},
		// Điều lệ Đảng Điều 35: probationary members — reprimand or warning only.
		{"probationary member warned", func(c *Case) { c.Subject = ProbationaryMember }, "", ""},
		{"probationary member expelled", func(c *Case) { c.Subject, c.Form = ProbationaryMember, dangvu.FormExpulsion }, "form", "Điều 35"},
		{"probationary member removed from post", func(c *Case) { c.Subject, c.Form = ProbationaryMember, dangvu.FormRemoval }, "form", "dự bị"},
		// Organisations: reprimand, warning, dissolution (Điều 35); never expulsion.
		{"organisation expelled", func(c *Case) { c.Subject, c.Form = Organisation, dangvu.FormExpulsion }, "form", "tổ chức đảng"},
		{"organisation warned by the commission (Điều 38)", func(c *Case) { c.Subject = Organisation }, "", ""},
		{"organisation dissolved by the commission", func(c *Case) { c.Subject, c.Form = Organisation, dangvu.FormDissolution }, "authority_body", "Điều 38"},
		{"organisation dissolved by the executive committee", func(c *Case) {
			c.Subject, c.Form, c.Body = Organisation, dangvu.FormDissolution, dangvu.BodyExecutive
		}, "", ""},
		// Điều lệ Điều 36 khoản 1: a cell may reprimand or warn its own members only.
		{"cell warns its member", func(c *Case) { c.Body, c.AuthorityLevel = dangvu.BodyCell, dangvu.LevelCell }, "", ""},
		{"cell expels its member", func(c *Case) {
			c.Body, c.AuthorityLevel, c.Form = dangvu.BodyCell, dangvu.LevelCell, dangvu.FormExpulsion
		}, "authority_body", "Điều 36 khoản 1"},
		{"cell disciplines a member elsewhere", func(c *Case) {
			c.Body, c.AuthorityLevel, c.AuthorityCovers = dangvu.BodyCell, dangvu.LevelCell, false
		}, "authority_org_id", "thẩm quyền"},
		{"inspection commission of a cell does not exist", func(c *Case) { c.AuthorityLevel = dangvu.LevelCell }, "authority_body", "thẩm quyền"},
		// Statute of limitations: 5 years for reprimand, 10 for warning and removal, none for expulsion.
		{"reprimand 5 years and a day after", func(c *Case) {
			c.Form, c.ViolationOn, c.DecidedOn, c.EffectiveOn = dangvu.FormReprimand, "2012-04-09", "2017-04-10", "2017-04-10"
		}, "violation_on", "5 năm"},
		{"reprimand on the last day", func(c *Case) {
			c.Form, c.ViolationOn, c.DecidedOn, c.EffectiveOn = dangvu.FormReprimand, "2012-04-10", "2017-04-10", "2017-04-10"
		}, "", ""},
		{"reprimand restarted by a new violation", func(c *Case) {
			c.Form, c.ViolationOn, c.RenewedOn, c.DecidedOn, c.EffectiveOn = dangvu.FormReprimand, "2010-01-01", "2014-06-01", "2017-04-10", "2017-04-10"
		}, "", ""},
		{"warning 10 years after", func(c *Case) { c.ViolationOn = "2008-01-01" }, "violation_on", "10 năm"},
		{"expulsion has no statute", func(c *Case) { c.Form, c.ViolationOn = dangvu.FormExpulsion, "1999-01-01" }, "", ""},
		{"effect before decision", func(c *Case) { c.EffectiveOn = "2018-04-01" }, "effective_on", "trước ngày quyết định"},
		{"violation after decision", func(c *Case) { c.ViolationOn = "2018-05-01" }, "violation_on", "sau ngày quyết định"},
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
			if ps[0].Field != tc.field || !strings.Contains(ps[0].Message, tc.cites) {
				t.Errorf("got %+v, want field %s citing %q", ps[0], tc.field, tc.cites)
			}
		})
	}
}

func TestAppealDeadlines(t *testing.T) {
	// Điều lệ Đảng: appeal within 1 month of receiving the decision.
	for _, tc := range []struct{ received, want string }{
		{"2018-04-12", "2018-05-12"},
		{"2025-12-15", "2026-01-15"},
	} {
		if got := AppealDeadline(tc.received); got != tc.want {
			t.Errorf("AppealDeadline(%s) = %s, want %s", tc.received, got, tc.want)
		}
	}
	if got := AnswerDue("2026-09-01"); got != "2026-11-30" {
		t.Errorf("AnswerDue = %s", got)
	}
}

func TestSourcesMarked(t *testing.T) {
	for _, rs := range RuleSets {
		if !strings.Contains(rs.StatuteSource.String(), "chưa xác minh") && !rs.StatuteSource.Confirmed {
			t.Errorf("%s: an unconfirmed source must say so", rs.Code)
		}
		if len(rs.Competence) == 0 {
			t.Errorf("%s: no competence table", rs.Code)
		}
	}
}
