package store

import (
	"context"
	"strings"
	"testing"

	"dangvu"
)

// The discipline records reach the review rules through the disciplinedIn hook: a member
// disciplined in the year is rated "not completed" (QĐ 124), and so is a ward more than 20% of
// whose cells were disciplined; the hook is asked for the campaign's period.
func TestReviewsUseDisciplineHook(t *testing.T) {
	s := sampleStore(t)
	ctx := context.Background()
	var asked [2]string
	s.disciplinedIn = func(_ context.Context, _ queryer, from, to dangvu.Date) (map[string]string, map[string]string, error) {
		asked = [2]string{from.String(), to.String()}
		return map[string]string{"M1": "QĐ số 5-QĐ/UBKT, 03/04/2024: khiển trách"}, map[string]string{"K1": "QĐ số 6-QĐ/UBKT: khiển trách"}, nil
	}
	if _, err := s.CreateCampaign(ctx, "test", dangvu.Campaign{ID: "RV2024", OrgID: "UB", Name: "Kiểm điểm năm 2024", From: dangvu.MustDate("2024-01-01"), To: dangvu.MustDate("2024-12-31")}); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{"RV2024-M-M1": "QĐ số 5-QĐ/UBKT", "RV2024-O-PD": "1 trên 2 tổ chức trực thuộc", "RV2024-O-K1": "QĐ số 6-QĐ/UBKT"} {
		v, err := s.Review(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if v.Outcome.Forced != dangvu.RatingNotCompleted || !strings.Contains(strings.Join(v.Reasons, " "), want) {
			t.Errorf("%s: forced %q, reasons %v", id, v.Outcome.Forced, v.Reasons)
		}
	}
	if asked != [2]string{"2024-01-01", "2024-12-31"} {
		t.Errorf("hook asked for %v", asked)
	}
	if v, _ := s.Review(ctx, "RV2024-M-M3"); v.Outcome.Forced != "" {
		t.Errorf("M3 not disciplined but forced: %v", v.Reasons)
	}
	// The decision rates them automatically.
	res, err := s.Decide(ctx, "test", dangvu.ReviewDecision{CampaignID: "RV2024", DeciderID: "PD", Ratings: map[string]dangvu.Rating{"RV2024-M-M3": dangvu.RatingGood}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := res.Automatic["RV2024-M-M1"]; !ok {
		t.Errorf("M1 not rated automatically: %+v", res)
	}
}

// Opening a campaign makes the committee's members leading-cadre subjects, decided by the level
// above (the collective and its cadres are rated by the committee that manages them).
func TestCampaignCadres(t *testing.T) {
	s := sampleStore(t)
	ctx := context.Background()
	if _, err := s.CreateCampaign(ctx, "test", dangvu.Campaign{ID: "RV2024-K1", OrgID: "K1", Name: "Kiểm điểm năm 2024", From: dangvu.MustDate("2024-01-01"), To: dangvu.MustDate("2024-12-31")}); err != nil {
		t.Fatal(err)
	}
	rs, err := s.Reviews(ctx, dangvu.ReviewFilter{CampaignID: "RV2024-K1", Kind: dangvu.SubjectCadre})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 || rs[0].MemberID != "M1" || rs[0].DeciderID != "PD" || rs[0].ID != "RV2024-K1-K-M1" {
		t.Errorf("cadres: %+v", rs)
	}
	col, err := s.Review(ctx, "RV2024-K1-C-K1")
	if err != nil || col.DeciderID != "PD" {
		t.Errorf("collective: %+v %v", col.Review, err)
	}
}

func TestSubjectID(t *testing.T) {
	short := "RV2024-PD-M-M1"
	long := "RV2024-PHUONG-DONG-NAM-VA-CAC-XA-LAN-CAN-M-" + strings.Repeat("M", 40)
	if subjectID(short) != short {
		t.Error("a short id changed")
	}
	if got := subjectID(long); len(got) != 61 || !idPattern.MatchString(got) || got == subjectID(long+"X") {
		t.Errorf("long id → %q", got)
	}
}
