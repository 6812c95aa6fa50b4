package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/exchange"
)

func sampleStore(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := exchange.Open("../../testdata/sample")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, r, ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	return s
}

func day(s string) time.Time { t, _ := dangvu.ParseISODate(s); return t }

func count(t *testing.T, s *Store, org, date string) int {
	t.Helper()
	n, err := s.CountMembers(context.Background(), org, day(date), dangvu.CountFilter{})
	if err != nil {
		t.Fatalf("count %s on %s: %v", org, date, err)
	}
	return n
}

func TestReorganise(t *testing.T) {
	ctx := context.Background()
	s := sampleStore(t)
	// testdata/sample on 2026-01-01: K1 holds M1; K2 holds M2 and M3.
	merge := dangvu.Reorganisation{
		Event: dangvu.ReorgEvent{ID: "E-MERGE", Date: dangvu.MustDate("2026-01-01"), Kind: dangvu.ReorgMerge, Document: "Số 5-QĐ/ĐU"},
		Changes: []dangvu.OrgChange{
			{OrgID: "K12", Name: "Chi bộ khu 1-2", ParentID: "PD", Level: dangvu.LevelCell, Kind: dangvu.KindResidential},
			{OrgID: "K1", End: true}, {OrgID: "K2", End: true},
		},
		Transfers: []dangvu.BulkTransfer{{From: "K1", To: "K12"}, {From: "K2", To: "K12"}},
	}
	if err := s.Reorganise(ctx, "test", merge); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		org, date string
		want      int
	}{
		{"K1", "2025-12-31", 1}, {"K2", "2025-12-31", 2}, {"K12", "2026-01-01", 3}, {"PD", "2025-12-31", 3}, {"PD", "2026-01-01", 3},
	} {
		if got := count(t, s, c.org, c.date); got != c.want {
			t.Errorf("%s on %s = %d, want %d", c.org, c.date, got, c.want)
		}
	}
	if _, err := s.Org(ctx, "K1", day("2026-01-01")); dangvu.ErrorCode(err) != dangvu.ENotFound {
		t.Errorf("K1 after the merge: %v, want not found", err)
	}

	// Split K12 back: M2 to a new cell, the rest to another; then move the ward under a new parent.
	split := dangvu.Reorganisation{
		Event: dangvu.ReorgEvent{ID: "E-SPLIT", Date: dangvu.MustDate("2026-06-01"), Kind: dangvu.ReorgSplit},
		Changes: []dangvu.OrgChange{
			{OrgID: "KA", Name: "Chi bộ khu A", ParentID: "PD", Level: dangvu.LevelCell, Kind: dangvu.KindResidential},
			{OrgID: "KB", Name: "Chi bộ khu B", ParentID: "PD", Level: dangvu.LevelCell, Kind: dangvu.KindResidential},
			{OrgID: "K12", End: true},
		},
		Transfers: []dangvu.BulkTransfer{{From: "K12", To: "KA", Members: []string{"M2"}}, {From: "K12", To: "KB"}},
	}
	if err := s.Reorganise(ctx, "test", split); err != nil {
		t.Fatal(err)
	}
	if a, b := count(t, s, "KA", "2026-06-01"), count(t, s, "KB", "2026-06-01"); a != 1 || b != 2 {
		t.Errorf("after the split KA = %d, KB = %d, want 1 and 2", a, b)
	}
	move := dangvu.Reorganisation{
		Event:   dangvu.ReorgEvent{ID: "E-MOVE", Date: dangvu.MustDate("2026-09-01"), Kind: dangvu.ReorgMove},
		Changes: []dangvu.OrgChange{{OrgID: "NEW", Name: "Đảng bộ khối mới", ParentID: "QN", Level: dangvu.LevelSuperior, Kind: dangvu.KindBloc}, {OrgID: "PD", ParentID: "NEW"}},
	}
	if err := s.Reorganise(ctx, "test", move); err != nil {
		t.Fatal(err)
	}
	if got := count(t, s, "NEW", "2026-09-01"); got != 3 {
		t.Errorf("members under the new parent after the move = %d, want 3", got)
	}
	if got := count(t, s, "NEW", "2026-09-01"); got != count(t, s, "PD", "2026-08-31") {
		t.Errorf("the move lost members")
	}
	kb, _ := s.Org(ctx, "KB", day("2026-09-01"))
	if kb.Path != "/VN/QN/NEW/PD/KB/" {
		t.Errorf("a cell's path after its ward moved = %q", kb.Path)
	}
	h, _ := s.MemberHistory(ctx, "M2")
	if n := len(h.Memberships); n != 4 {
		t.Errorf("M2 has %d memberships, want 4 (K1, K2, K12, KA)", n)
	}
	if _, err := s.VerifyAudit(ctx); err != nil {
		t.Error(err)
	}

	// Refused: ending an organisation that still has members, and a parent that does not exist.
	for _, bad := range []dangvu.Reorganisation{
		{Event: dangvu.ReorgEvent{ID: "E-BAD1", Date: dangvu.MustDate("2026-10-01"), Kind: dangvu.ReorgDissolve}, Changes: []dangvu.OrgChange{{OrgID: "KA", End: true}}},
		{Event: dangvu.ReorgEvent{ID: "E-BAD2", Date: dangvu.MustDate("2026-10-01"), Kind: dangvu.ReorgMove}, Changes: []dangvu.OrgChange{{OrgID: "KA", ParentID: "NOWHERE"}}},
	} {
		if err := s.Reorganise(ctx, "test", bad); dangvu.ErrorCode(err) != dangvu.EInvalid {
			t.Errorf("%s: err = %v, want invalid", bad.Event.ID, err)
		}
	}
	if got := count(t, s, "KA", "2026-10-01"); got != 1 {
		t.Errorf("a refused reorganisation changed KA: %d members", got)
	}
}

// TestReorganiseHandsOverDues: the party dues balances of the organisations a reorganisation
// ends pass on with the event, in its transaction (docs/dues.md): a merger's to the new
// organisation, a split's where the event says (refused, naming dues_to, when it says nothing).
func TestReorganiseHandsOverDues(t *testing.T) {
	ctx := context.Background()
	s := sampleStore(t)
	dec := dangvu.Month{Year: 2025, Mon: time.December}
	for _, c := range []struct{ member, cell string }{{"M1", "K1"}, {"M2", "K2"}, {"M3", "K2"}} {
		if _, err := s.AddDuesBasis(ctx, "test", dangvu.DuesBasis{Member: c.member, From: dangvu.MustDate("2015-01-01"), Group: dangvu.DuesInsured, Amount: 5_000_000}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RecordDuesPayments(ctx, "test", c.cell, []dangvu.DuesPayment{{Member: c.member, Month: dec, Amount: 50_000, Paid: dangvu.MustDate("2025-12-10")}}); err != nil {
			t.Fatal(err)
		}
	}
	var kept int64
	for _, cell := range []string{"K1", "K2"} {
		r, err := s.RecordRemittance(ctx, "test", cell, dec, day("2025-12-31"), "")
		if err != nil {
			t.Fatal(err)
		}
		kept += r.Kept
	}
	if kept == 0 {
		t.Fatal("nothing kept by the cells")
	}
	merge := dangvu.Reorganisation{
		Event: dangvu.ReorgEvent{ID: "E-MERGE", Date: dangvu.MustDate("2026-01-01"), Kind: dangvu.ReorgMerge, Document: "Số 5-QĐ/ĐU"},
		Changes: []dangvu.OrgChange{
			{OrgID: "K12", Name: "Chi bộ khu 1-2", ParentID: "PD", Level: dangvu.LevelCell, Kind: dangvu.KindResidential},
			{OrgID: "K1", End: true}, {OrgID: "K2", End: true},
		},
		Transfers: []dangvu.BulkTransfer{{From: "K1", To: "K12"}, {From: "K2", To: "K12"}},
	}
	if err := s.Reorganise(ctx, "test", merge); err != nil {
		t.Fatal(err)
	}
	on := day("2026-01-01")
	for org, want := range map[string]int64{"K1": 0, "K2": 0, "K12": kept} {
		if b, err := s.DuesBalance(ctx, org, on); err != nil || b != want {
			t.Errorf("balance of %s after the merger = %d (%v), want %d", org, b, err, want)
		}
	}
	rs, err := s.DuesRemittances(ctx, "K12")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Kind == dangvu.RemitHandover && r.Event != "E-MERGE" {
			t.Errorf("hand-over %s not recorded with the event: %q", r.ID, r.Event)
		}
	}
	split := dangvu.Reorganisation{
		Event: dangvu.ReorgEvent{ID: "E-SPLIT", Date: dangvu.MustDate("2026-06-01"), Kind: dangvu.ReorgSplit},
		Changes: []dangvu.OrgChange{
			{OrgID: "KA", Name: "Chi bộ khu A", ParentID: "PD", Level: dangvu.LevelCell, Kind: dangvu.KindResidential},
			{OrgID: "KB", Name: "Chi bộ khu B", ParentID: "PD", Level: dangvu.LevelCell, Kind: dangvu.KindResidential},
			{OrgID: "K12", End: true},
		},
		Transfers: []dangvu.BulkTransfer{{From: "K12", To: "KA", Members: []string{"M2"}}, {From: "K12", To: "KB"}},
	}
	err = s.Reorganise(ctx, "test", split)
	if e, ok := err.(*dangvu.Error); !ok || len(e.Fields) == 0 || e.Fields[0].Field != "dues_to.K12" {
		t.Fatalf("a split with a balance and no receiver: %v, want refused naming dues_to.K12", err)
	}
	if _, err := s.Org(ctx, "KA", day("2026-06-01")); err == nil {
		t.Error("the refused split was written")
	}
	split.DuesTo = map[string]string{"K12": "KB"}
	if err := s.Reorganise(ctx, "test", split); err != nil {
		t.Fatal(err)
	}
	if b, _ := s.DuesBalance(ctx, "KB", day("2026-06-01")); b != kept {
		t.Errorf("KB's balance after the split = %d, want %d", b, kept)
	}
	if _, err := s.VerifyAudit(ctx); err != nil {
		t.Error(err)
	}
}
