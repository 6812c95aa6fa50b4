package classify

import (
	"strings"
	"testing"

	"dangvu"
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
func TestForPeriod(t *testing.T) {
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
		if got := ForPeriod(tc.to).Code; got != tc.want {
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
	member := dangvu.SubjectMember
	for _, tc := range []struct {
		name     string
		rs       RuleSet
		f        Facts
		excluded bool
		forced   dangvu.Rating
		ceiling  dangvu.Rating
	}{
		{"QĐ 132: disciplined in the year → not completed", q132, Facts{Kind: member, Discipline: "QĐ 5-QĐ/UBKT: khiển trách", PeriodTo: "2018-12-31"}, false, dangvu.RatingNotCompleted, ""},
		{"QĐ 132: concluded degradation → not completed", q132, Facts{Kind: member, Trigger: TriggerDegradation}, false, dangvu.RatingNotCompleted, ""},
		{"QĐ 132: QĐ 37 breach is not among its triggers (domain.md §6)", q132, Facts{Kind: member, Trigger: TriggerQD37}, false, "", ""},
		{"QĐ 124: breach of QĐ 37 → not completed", q124, Facts{Kind: member, Trigger: TriggerQD37}, false, dangvu.RatingNotCompleted, ""},
		{"QĐ 124: breach of the duty to set an example → not completed", q124, Facts{Kind: member, Trigger: TriggerExample}, false, dangvu.RatingNotCompleted, ""},
		{"QĐ 124: exempt members are not rated", q124, Facts{Kind: member, Status: dangvu.StatusExempt}, true, "", ""},
		{"QĐ 124: admitted less than 6 months before the end", q124, Facts{Kind: member, AdmittedOn: "2023-07-02", PeriodTo: "2023-12-31"}, true, "", ""},
		{"QĐ 124: admitted 6 months before the end is rated", q124, Facts{Kind: member, AdmittedOn: "2023-06-30", PeriodTo: "2023-12-31"}, false, "", ""},
		{"QĐ 124: suspended (recorded) is not rated", q124, Facts{Kind: member, Excluded: "Đình chỉ sinh hoạt đảng"}, true, "", ""},
		{"QĐ 366 Art. 11: 92 points, on time, 30% beyond → up to excellent", q366, Facts{Kind: member, Points: pts(92), OnTime: true, BeyondPct: 30}, false, "", dangvu.RatingExcellent},
		{"QĐ 366 Art. 11: 92 points, 20% beyond → up to good", q366, Facts{Kind: member, Points: pts(92), OnTime: true, BeyondPct: 20}, false, "", dangvu.RatingGood},
		{"QĐ 366 Art. 11: 70 points on time → good", q366, Facts{Kind: member, Points: pts(70), OnTime: true}, false, "", dangvu.RatingGood},
		{"QĐ 366 Art. 11: 80 points, late tasks → completed", q366, Facts{Kind: member, Points: pts(80)}, false, "", dangvu.RatingCompleted},
		{"QĐ 366 Art. 11: 50 points → completed", q366, Facts{Kind: member, Points: pts(50), OnTime: true}, false, "", dangvu.RatingCompleted},
		{"QĐ 366 Art. 11: 49 points → not completed", q366, Facts{Kind: member, Points: pts(49), OnTime: true}, false, dangvu.RatingNotCompleted, ""},
		{"QĐ 366: disciplined → not completed whatever the points", q366, Facts{Kind: member, Points: pts(95), OnTime: true, BeyondPct: 40, Discipline: "cảnh cáo"}, false, dangvu.RatingNotCompleted, dangvu.RatingExcellent},
		{"before QĐ 132: recorded, not checked", legacy, Facts{Kind: member, Discipline: "khiển trách", Status: dangvu.StatusExempt}, false, "", ""},
		{"QĐ 124: a collective with 2 of 5 subordinate units disciplined → not completed", q124, Facts{Kind: dangvu.SubjectCollective, SubUnits: 5, SubUnitsDisciplined: 2}, false, dangvu.RatingNotCompleted, ""},
		{"QĐ 124: 1 of 5 (20%) is not over 20%", q124, Facts{Kind: dangvu.SubjectOrg, SubUnits: 5, SubUnitsDisciplined: 1}, false, "", ""},
		{"QĐ 366 Art. 11: a leader disciplined → a collective at most good", q366, Facts{Kind: dangvu.SubjectCollective, LeadersDisciplined: 1, Points: pts(95), OnTime: true, BeyondPct: 40}, false, "", dangvu.RatingGood},
		{"QĐ 366 Art. 11: low points lower the ceiling further", q366, Facts{Kind: dangvu.SubjectOrg, SubUnitsDisciplined: 1, SubUnits: 9, Points: pts(60), OnTime: true}, false, "", dangvu.RatingCompleted},
		{"organisations are never excluded as recently admitted", q124, Facts{Kind: dangvu.SubjectOrg, AdmittedOn: "2023-12-01", PeriodTo: "2023-12-31"}, false, "", ""},
	} {
		o := tc.rs.Judge(tc.f)
		if (o.Excluded != "") != tc.excluded || o.Forced != tc.forced || o.Ceiling != tc.ceiling {
			t.Errorf("%s: got excluded=%q forced=%q ceiling=%q", tc.name, o.Excluded, o.Forced, o.Ceiling)
		}
		if (o.Excluded != "" || o.Forced != "") && len(o.Reasons) == 0 {
			t.Errorf("%s: an imposed outcome without reasons", tc.name)
		}
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

// QĐ 132: excellent may not exceed 20% of those rated good in each grassroots organisation.
func TestQuota(t *testing.T) {
	q132, _ := ByCode("qd132")
	legacy, _ := ByCode("legacy")
	for _, tc := range []struct {
		rs        RuleSet
		exc, good int
		ok        bool
	}{
		{q132, 2, 10, true},
		{q132, 3, 10, false},
		{q132, 0, 0, true},
		{q132, 1, 4, false},
		{q132, 1, 5, true},
		{legacy, 9, 1, true}, // not checked before QĐ 132
	} {
		msg := tc.rs.QuotaError(map[dangvu.Rating]int{dangvu.RatingExcellent: tc.exc, dangvu.RatingGood: tc.good})
		if (msg == "") != tc.ok {
			t.Errorf("%s: %d excellent of %d good: %q", tc.rs.Code, tc.exc, tc.good, msg)
		}
	}
}

// Unconfirmed thresholds carry their source and say so.
func TestSourcesVisible(t *testing.T) {
	for _, rs := range RuleSets() {
		if rs.Source == "" {
			t.Errorf("%s: no source", rs.Code)
		}
		if rs.Quota != nil && !rs.Quota.Confirmed && !strings.Contains(rs.Quota.Source, "chưa xác minh") {
			t.Errorf("%s: unconfirmed quota without the mark: %s", rs.Code, rs.Quota.Source)
		}
		if rs.Criteria != nil {
			total := 0
			for _, c := range rs.Criteria {
				total += c.Max
			}
			if total != 100 {
				t.Errorf("%s: criteria add to %d, not 100", rs.Code, total)
			}
		}
	}
}
