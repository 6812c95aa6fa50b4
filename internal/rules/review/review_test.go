package review

import (
	"time"

	"os"
	"path/filepath"
	"strings"
	"testing"

	"dangvu"
	"dangvu/internal/rulebook"
)

func TestCatalogue(t *testing.T) {
	c := Catalogue(CurrentCatalogue)
	if len(c) != 27 {
		t.Fatalf("Resolution 04-NQ/TW names 27 manifestations, catalogue has %d", len(c))
	}
	seen := map[string]bool{}
	for i, m := range c {
		if g, n := i/9+1, i%9+1; m.Group != g || m.Number != n {
			t.Errorf("item %d is %s, want %d.%d (three groups of nine)", i, m.Code(), g, n)
		}
		if m.Label == "" || m.Source == "" || seen[m.Code()] {
			t.Errorf("%s: empty label or source, or duplicate", m.Code())
		}
		seen[m.Code()] = true
	}
	// Official order and wording (NQ 04-NQ/TW; rules-verified.md §2): self-criticism is I-5,
	// speech against the line I-6, voluntarism I-7, nepotism I-9; group II has dishonesty (3) and
	// "bệnh thành tích" (4), bureaucracy at 5, waste 6, corruption 7, cadre work 8; III-7 is leaking
	// information and III-9 narrow nationalism.
	for code, piece := range map[string]string{
		"1.4": "sa sút ý chí phấn đấu", "1.5": "Trong tự phê bình", "1.6": "Nói và viết không đúng", "1.7": "Duy ý chí",
		"1.9": "người thân quen", "2.3": "kê khai tài sản", "2.4": "bệnh thành tích", "2.5": "Quan liêu",
		"2.6": "lãng phí", "2.7": "tham nhũng", "2.8": "công tác cán bộ", "2.9": "đánh bạc",
		"3.1": "nhất là nguyên tắc tập trung dân chủ", "3.7": "tiết lộ bí mật", "3.9": "dân tộc hẹp hòi",
	} {
		if m, _ := LookupManifestation(code); !strings.Contains(m.Label, piece) {
			t.Errorf("%s = %q, want the official item with %q", code, m.Label, piece)
		}
	}
	// "Vi phạm nguyên tắc tập trung dân chủ" is not part of group II's bureaucracy item, and the
	// invented "ba phải, dĩ hòa vi quý" item is gone.
	for _, m := range c {
		if strings.Contains(m.Label, "dĩ hòa vi quý") || (m.Group == 2 && strings.Contains(m.Label, "tập trung dân chủ")) {
			t.Errorf("%s: %q is not an official item", m.Code(), m.Label)
		}
	}
	// Confirmed are exactly the items read verbatim: I-1 to I-5, II-4 (in part), III-1 to III-5;
	// the others say only the gist and end with "…".
	for _, m := range c {
		want := m.Group != 2 && m.Number <= 5 || m.Code() == "2.4"
		if m.Confirmed != want || (m.Confidence != "confirmed") != !want || m.Wording == "" {
			t.Errorf("%s: confidence %q (confirmed %v), want confirmed %v, with where the wording was read", m.Code(), m.Confidence, m.Confirmed, want)
		}
		if !m.Confirmed && !strings.HasSuffix(m.Label, "…") {
			t.Errorf("%s: an unconfirmed label must end with … (only the gist is known)", m.Code())
		}
	}
	if _, ok := LookupManifestation("3.9"); !ok {
		t.Error("3.9 not found")
	}
	if _, ok := LookupManifestation("4.1"); ok {
		t.Error("4.1 found")
	}
}

// The rule set follows the reviewed period's end: QĐ 132 (08/3/2018) for the reviews of
// 2018–2022, QĐ 124 (04/10/2023) for 2023–2024, QĐ 366 (30/8/2025) from 2025.
func TestFor(t *testing.T) {
	for _, tc := range []struct{ to, want string }{
		{"2016-12-31", "legacy"},
		{"2017-12-31", "legacy"},
		{"2018-12-31", "qd132"},
		{"2022-12-31", "qd132"},
		{"2023-12-31", "qd124"},
		{"2024-12-31", "qd124"},
		{"2025-06-30", "qd124"}, // a mid-year ad hoc review before QĐ 366
		{"2025-09-30", "qd366"}, // a quarter ending after 30/8/2025
		{"2025-12-31", "qd366"},
	} {
		if got := For(day(tc.to)).Code; got != tc.want {
			t.Errorf("period ending %s: %s, want %s", tc.to, got, tc.want)
		}
	}
}

func pts(n int) *int { return &n }

func TestJudge(t *testing.T) {
	q132, _ := ByCode("qd132")
	q124, _ := ByCode("qd124")
	q366, _ := ByCode("qd366")
	legacy, _ := ByCode("legacy")
	member, cadre := dangvu.SubjectMember, dangvu.SubjectCadre
	for _, tc := range []struct {
		name     string
		rs       Set
		f        Facts
		excluded bool
		forced   dangvu.Rating
		ceiling  dangvu.Rating
	}{
		{"QĐ 132: disciplined in the year → not completed", q132, Facts{Kind: member, Discipline: "QĐ 5-QĐ/UBKT: khiển trách", PeriodTo: dangvu.MustDate("2018-12-31")}, false, dangvu.RatingNotCompleted, ""},
		{"QĐ 132: concluded degradation → not completed", q132, Facts{Kind: member, Trigger: TriggerDegradation}, false, dangvu.RatingNotCompleted, ""},
		{"QĐ 132: QĐ 37 breach is not among its triggers (domain.md §6)", q132, Facts{Kind: member, Trigger: TriggerQD37}, false, "", ""},
		// HD 16-HD/BTCTW, HD 21-HD/BTCTW (rules-verified.md R2).
		{"QĐ 132 (HD 16): under 50% of tasks → not completed", q132, Facts{Kind: member, Trigger: TriggerTasksUnder50}, false, dangvu.RatingNotCompleted, ""},
		{"QĐ 132 (HD 16): civil servant rated not done → not completed", q132, Facts{Kind: member, Trigger: TriggerCivilServant}, false, dangvu.RatingNotCompleted, ""},
		{"QĐ 124: breach of QĐ 37 → not completed", q124, Facts{Kind: member, Trigger: TriggerQD37}, false, dangvu.RatingNotCompleted, ""},
		{"QĐ 124: breach of the duty to set an example → not completed", q124, Facts{Kind: member, Trigger: TriggerExample}, false, dangvu.RatingNotCompleted, ""},
		{"QĐ 124: under 50% of tasks → not completed", q124, Facts{Kind: member, Trigger: TriggerTasksUnder50}, false, dangvu.RatingNotCompleted, ""},
		{"QĐ 124: exempt members are not rated", q124, Facts{Kind: member, Status: dangvu.StatusExempt}, true, "", ""},
		{"QĐ 124: admitted less than 6 months before the end", q124, Facts{Kind: member, AdmittedOn: dangvu.MustDate("2023-07-02"), PeriodTo: dangvu.MustDate("2023-12-31")}, true, "", ""},
		{"QĐ 124: admitted 6 months before the end is rated", q124, Facts{Kind: member, AdmittedOn: dangvu.MustDate("2023-06-30"), PeriodTo: dangvu.MustDate("2023-12-31")}, false, "", ""},
		{"QĐ 124: suspended (recorded) is not rated", q124, Facts{Kind: member, Excluded: "Đình chỉ sinh hoạt đảng"}, true, "", ""},
		{"QĐ 366 Art. 11: 92 points, on time, 30% beyond → up to excellent", q366, Facts{Kind: member, Points: pts(92), OnTime: true, BeyondPct: 30}, false, "", dangvu.RatingExcellent},
		{"QĐ 366 Art. 11: 92 points, 20% beyond → up to good", q366, Facts{Kind: member, Points: pts(92), OnTime: true, BeyondPct: 20}, false, "", dangvu.RatingGood},
		// QĐ 366 Điều 11 khoản 1 điểm 1.4: excellent needs 100% of earlier shortcomings remedied.
		{"QĐ 366 Art. 11 pt 1.4: an earlier shortcoming not remedied → up to good", q366, Facts{Kind: member, Points: pts(95), OnTime: true, BeyondPct: 40, PreviousOpen: 1}, false, "", dangvu.RatingGood},
		{"QĐ 366 Art. 11: 70 points on time → good", q366, Facts{Kind: member, Points: pts(70), OnTime: true}, false, "", dangvu.RatingGood},
		{"QĐ 366 Art. 11: 80 points, 10% of tasks late → completed", q366, Facts{Kind: member, Points: pts(80), LatePct: 10}, false, "", dangvu.RatingCompleted},
		// QĐ 366 Điều 11 khoản 3: completed allows at most 20% of tasks behind, members and collectives alike.
		{"QĐ 366 Art. 11(3): 20% late is still completed", q366, Facts{Kind: member, Points: pts(60), LatePct: 20}, false, "", dangvu.RatingCompleted},
		{"QĐ 366 Art. 11(3): a member with 25% late → not completed", q366, Facts{Kind: member, Points: pts(60), LatePct: 25}, false, dangvu.RatingNotCompleted, ""},
		{"QĐ 366 Art. 11(3): a collective with 25% late → not completed", q366, Facts{Kind: dangvu.SubjectOrg, Points: pts(75), LatePct: 25}, false, dangvu.RatingNotCompleted, ""},
		{"QĐ 366 Art. 11: 50 points → completed", q366, Facts{Kind: member, Points: pts(50), OnTime: true}, false, "", dangvu.RatingCompleted},
		{"QĐ 366 Art. 11: 49 points → not completed", q366, Facts{Kind: member, Points: pts(49), OnTime: true}, false, dangvu.RatingNotCompleted, ""},
		// QĐ 366 Điều 11 khoản 4: for members only duty-related discipline counts; the records do
		// not say so, so a decision found there is shown, and the meeting's recorded ground forces.
		{"QĐ 366: a member's discipline from the records alone does not force", q366, Facts{Kind: member, Points: pts(95), OnTime: true, BeyondPct: 40, Discipline: "cảnh cáo"}, false, "", dangvu.RatingExcellent},
		{"QĐ 366: duty-related discipline recorded by the meeting → not completed", q366, Facts{Kind: member, Points: pts(95), OnTime: true, BeyondPct: 40, Discipline: "cảnh cáo", Trigger: TriggerDiscipline, TriggerRef: "vi phạm công vụ"}, false, dangvu.RatingNotCompleted, dangvu.RatingExcellent},
		{"QĐ 366: a leader disciplined (any, ≥ reprimand) → not completed", q366, Facts{Kind: cadre, Points: pts(95), OnTime: true, BeyondPct: 40, Discipline: "khiển trách"}, false, dangvu.RatingNotCompleted, dangvu.RatingExcellent},
		{"QĐ 366: more than 50% of tasks not done → not completed", q366, Facts{Kind: member, Trigger: TriggerTasksUnder50, Points: pts(60)}, false, dangvu.RatingNotCompleted, dangvu.RatingCompleted},
		{"QĐ 366: leaders' own list: over 50% low confidence", q366, Facts{Kind: cadre, Trigger: TriggerLowConfidence}, false, dangvu.RatingNotCompleted, ""},
		{"QĐ 366: a leaders' ground does not apply to an ordinary member", q366, Facts{Kind: member, Trigger: TriggerLowConfidence}, false, "", ""},
		{"QĐ 366: collectives' own list: violations in cadre work", q366, Facts{Kind: dangvu.SubjectCollective, Trigger: TriggerCadreWork}, false, dangvu.RatingNotCompleted, ""},
		{"QĐ 366: the members' ground 'example' is not a collective's", q366, Facts{Kind: dangvu.SubjectCollective, Trigger: TriggerExample}, false, "", ""},
		{"before QĐ 132: recorded, not checked", legacy, Facts{Kind: member, Discipline: "khiển trách", Status: dangvu.StatusExempt}, false, "", ""},
		{"QĐ 124: a collective with 2 of 5 subordinate units disciplined → not completed", q124, Facts{Kind: dangvu.SubjectCollective, SubUnits: 5, SubUnitsDisciplined: 2}, false, dangvu.RatingNotCompleted, ""},
		{"QĐ 124: 1 of 5 (20%) is not over 20%", q124, Facts{Kind: dangvu.SubjectOrg, SubUnits: 5, SubUnitsDisciplined: 1}, false, "", ""},
		{"QĐ 366 Art. 11: a leader disciplined → a collective at most good", q366, Facts{Kind: dangvu.SubjectCollective, LeadersDisciplined: 1, Points: pts(95), OnTime: true, BeyondPct: 40}, false, "", dangvu.RatingGood},
		{"QĐ 366 Art. 11: low points lower the ceiling further", q366, Facts{Kind: dangvu.SubjectOrg, SubUnitsDisciplined: 1, SubUnits: 9, Points: pts(60), OnTime: true}, false, "", dangvu.RatingCompleted},
		{"organisations are never excluded as recently admitted", q124, Facts{Kind: dangvu.SubjectOrg, AdmittedOn: dangvu.MustDate("2023-12-01"), PeriodTo: dangvu.MustDate("2023-12-31")}, false, "", ""},
	} {
		o := tc.rs.Judge(tc.f)
		if (o.Excluded != "") != tc.excluded || o.Forced != tc.forced || o.Ceiling != tc.ceiling {
			t.Errorf("%s: got excluded=%q forced=%q ceiling=%q %v", tc.name, o.Excluded, o.Forced, o.Ceiling, o.Reasons)
		}
		if (o.Excluded != "" || o.Forced != "") && len(o.Reasons) == 0 {
			t.Errorf("%s: an imposed outcome without reasons", tc.name)
		}
		for _, r := range o.Reasons {
			if !strings.Contains(r, tc.rs.Name) && tc.rs.Checked {
				t.Errorf("%s: reason %q does not name the rule set", tc.name, r)
			}
		}
	}
}

// A breach of what members must not do names the regulation in force in the period: QĐ 37 until
// 25/7/2026, QĐ 207-QĐ/TW from 26/7/2026 (a secondary source, said so).
func TestMustNot(t *testing.T) {
	q366, _ := ByCode("qd366")
	for _, tc := range []struct{ from, to, want, not string }{
		{"2025-01-01", "2025-12-31", "QĐ 37-QĐ/TW", "207"},
		{"2026-01-01", "2026-12-31", "QĐ 207-QĐ/TW", ""},
		{"2026-08-01", "2026-12-31", "nguồn thứ cấp", "QĐ 37"},
	} {
		o := q366.Judge(Facts{Kind: dangvu.SubjectMember, Trigger: TriggerQD37, PeriodFrom: dangvu.MustDate(tc.from), PeriodTo: dangvu.MustDate(tc.to)})
		all := strings.Join(o.Reasons, " ")
		if o.Forced != dangvu.RatingNotCompleted || !strings.Contains(all, tc.want) || (tc.not != "" && strings.Contains(all, tc.not)) {
			t.Errorf("%s–%s: %q, want %q without %q", tc.from, tc.to, all, tc.want, tc.not)
		}
	}
	if name, _ := MustNotOn(day("2026-12-01")); name != "QĐ 207-QĐ/TW" {
		t.Errorf("must-not regulation on 01/12/2026: %q", name)
	}
}

func TestCheckTrigger(t *testing.T) {
	q366, _ := ByCode("qd366")
	if p := CheckTrigger(q366, dangvu.SubjectMember, TriggerCadreWork); p == nil || !strings.Contains(p.String(), q366.Name) || !strings.Contains(p.Source.Citation, "Điều 11") || p.Field != "trigger" {
		t.Errorf("collective ground for a member: %+v", p)
	}
	if p := CheckTrigger(q366, dangvu.SubjectCollective, TriggerCadreWork); p != nil {
		t.Errorf("collective ground for a collective: %q", p)
	}
	if p := CheckTrigger(q366, dangvu.SubjectMember, "weather"); p == nil || !strings.Contains(p.String(), "không hợp lệ") {
		t.Errorf("unknown ground: %+v", p)
	}
}

func TestOutcomeCheck(t *testing.T) {
	q366, _ := ByCode("qd366")
	o := q366.Judge(Facts{Kind: dangvu.SubjectMember, Points: pts(75), OnTime: true})
	if msg := o.Check(dangvu.RatingExcellent); !strings.Contains(msg, "tối đa") {
		t.Errorf("75 points rated excellent: %q", msg)
	}
	if msg := o.Check(dangvu.RatingGood); msg != "" {
		t.Errorf("75 points rated good refused: %q", msg)
	}
	forced := q366.Judge(Facts{Kind: dangvu.SubjectMember, Trigger: TriggerDegradation})
	if msg := forced.Check(dangvu.RatingCompleted); !strings.Contains(msg, "Không hoàn thành") {
		t.Errorf("degradation rated completed: %q", msg)
	}
}

// QĐ 132: excellent may not exceed 20% of those rated good in each grassroots organisation;
// QĐ 366 Điều 11 khoản 1 điểm 1.5: 20% within each group of similar roles, up to 25% when the
// competent level allows it for an outstanding unit.
func TestQuota(t *testing.T) {
	q132, _ := ByCode("qd132")
	q124, _ := ByCode("qd124")
	q366, _ := ByCode("qd366")
	legacy, _ := ByCode("legacy")
	for _, tc := range []struct {
		rs        Set
		exc, good int
		exception bool
		ok        bool
	}{
		{q132, 2, 10, false, true},
		{q132, 3, 10, false, false},
		{q132, 0, 0, false, true},
		{q132, 1, 4, false, false},
		{q132, 1, 5, false, true},
		{q132, 3, 12, true, false}, // no exception before QĐ 366
		{q124, 3, 12, true, false},
		{q366, 3, 12, false, false},
		{q366, 3, 12, true, true}, // 25%
		{q366, 4, 12, true, false},
		{legacy, 9, 1, false, true}, // not checked before QĐ 132
	} {
		msg := tc.rs.QuotaError(map[dangvu.Rating]int{dangvu.RatingExcellent: tc.exc, dangvu.RatingGood: tc.good}, tc.exception)
		if (msg == "") != tc.ok {
			t.Errorf("%s: %d excellent of %d good (exception %v): %q", tc.rs.Code, tc.exc, tc.good, tc.exception, msg)
		}
		if msg != "" && !strings.Contains(msg, tc.rs.Name) {
			t.Errorf("%s: refusal %q does not name the rule set", tc.rs.Code, msg)
		}
	}
	if q132.Quota.Scope != ScopeDecider || q124.Quota.Scope != ScopePeerGroup || q366.Quota.Scope != ScopePeerGroup {
		t.Errorf("quota scopes: QĐ 132 %s, QĐ 124 %s, QĐ 366 %s", q132.Quota.Scope, q124.Quota.Scope, q366.Quota.Scope)
	}
	if !strings.Contains(q124.Quota.Source, "Điều 12") || !strings.Contains(q366.Quota.Source, "1.5") {
		t.Errorf("quota sources: %q / %q", q124.Quota.Source, q366.Quota.Source)
	}
}

// QĐ 366 Phụ lục 1–5: 30 points of general criteria and 70 of task results; a province's
// sub-items (from a rules folder) replace a group by its parts, which must add up to it.
func TestCriteria(t *testing.T) {
	q366 := For(day("2025-12-31"))
	if len(q366.Criteria) != 2 || q366.Criteria[0].Max != 30 || q366.Criteria[1].Max != 70 || q366.CriteriaError != "" {
		t.Fatalf("QĐ 366 sheet: %+v %s", q366.Criteria, q366.CriteriaError)
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "review_criteria"), 0o755)
	os.WriteFile(filepath.Join(dir, "review_criteria", "values.csv"), []byte("set,key,label,value,citation,confidence,note\n"+
		"qd366,general.politics,Phẩm chất chính trị,10,QĐ 12-QĐ/TU,confirmed,\n"+
		"qd366,general.ethics,\"Đạo đức, lối sống\",10,QĐ 12-QĐ/TU,confirmed,\n"+
		"qd366,general.discipline,Ý thức tổ chức kỷ luật,10,QĐ 12-QĐ/TU,confirmed,\n"), 0o644)
	if err := Criteria.Load(dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { Criteria.Load("") })
	q366 = For(day("2025-12-31"))
	if len(q366.Criteria) != 4 || q366.CriteriaError != "" || q366.Criteria[0].Code != "general.politics" || q366.Criteria[3].Code != "tasks" {
		t.Errorf("province sheet: %+v %s", q366.Criteria, q366.CriteriaError)
	}
	os.WriteFile(filepath.Join(dir, "review_criteria", "values.csv"), []byte("set,key,label,value,citation,confidence,note\n"+
		"qd366,general.politics,Phẩm chất chính trị,10,QĐ 12-QĐ/TU,confirmed,\n"), 0o644)
	if err := Criteria.Load(dir); err != nil {
		t.Fatal(err)
	}
	if q := For(day("2025-12-31")); !strings.Contains(q.CriteriaError, "cộng lại 10") {
		t.Errorf("sub-items not adding up: %q", q.CriteriaError)
	}
}

// Every value of the review areas has a citation and a confidence mark (the loader refuses one
// without), and the rule sets are the four regulations.
func TestRuleData(t *testing.T) {
	for _, a := range []*rulebook.Area{Reviews, Criteria, MustNot} {
		b := a.Book()
		for _, s := range b.Sets {
			if s.Source.Citation == "" || !s.Source.Confidence.Valid() {
				t.Errorf("%s/%s: %+v", a.Name, s.ID, s.Source)
			}
			for _, v := range s.Values {
				if v.Source.Citation == "" || !v.Source.Confidence.Valid() || v.Label == "" {
					t.Errorf("%s/%s/%s: %+v", a.Name, s.ID, v.Key, v)
				}
			}
		}
	}
	var codes []string
	for _, rs := range Sets() {
		codes = append(codes, rs.Code)
	}
	if strings.Join(codes, ",") != "legacy,qd132,qd124,qd366" {
		t.Errorf("rule sets %v", codes)
	}
}

// A refusal of a rating for someone not rated says why and under which rule.
func TestExcludedRefusalCites(t *testing.T) {
	q366, _ := ByCode("qd366")
	o := q366.Judge(Facts{Kind: dangvu.SubjectMember, AdmittedOn: dangvu.MustDate("2025-09-01"), PeriodTo: dangvu.MustDate("2025-12-31")})
	if msg := o.Check(dangvu.RatingGood); !strings.Contains(msg, "6 tháng") || !strings.Contains(msg, "Điều 5 khoản 2") {
		t.Errorf("excluded refusal %q", msg)
	}
}

func day(iso string) time.Time {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		panic(err)
	}
	return t
}
