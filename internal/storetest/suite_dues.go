package storetest

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/store"
)

// testDues walks docs/dues.md on the fixture in 2020 (342-QĐ/TW): bases, an exemption and a
// reduction, a cell's payments with the refusals of bad input, the book, the remittances of a
// cell and its ward, the ward's hand-over on the merger of 01/07/2020, the three unpaid months,
// the report's keys and their lists, and a portal export reconciled.
func testDues(t *testing.T, f *fixture, open func(t *testing.T) *store.Store) {
	s := open(t)
	importFixture(t, s, f)
	ctx := t.Context()
	const actor = "storetest"
	s.Clock = func() time.Time { return day("2020-12-15") }
	mo := func(v string) dangvu.Month {
		m, err := dangvu.ParseMonth(v)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	countPayments := func() int {
		n := 0
		for _, m := range []string{"M09", "M10", "M11", "M12", "M13"} {
			ps, err := s.DuesPayments(ctx, m)
			if err != nil {
				t.Fatal(err)
			}
			n += len(ps)
		}
		return n
	}

	// Bases (342-QĐ/TW: 1% of salary, 0.5% of pension).
	for _, b := range []dangvu.DuesBasis{
		{Member: "M09", From: dangvu.MustDate("2015-01-01"), Group: dangvu.DuesInsured, Amount: 6_000_000},
		{Member: "M10", From: dangvu.MustDate("2015-01-01"), Group: dangvu.DuesPension, Amount: 5_000_000},
		{Member: "M13", From: dangvu.MustDate("2015-01-01"), Group: dangvu.DuesInsured, Amount: 4_000_000},
		{Member: "M11", From: dangvu.MustDate("2020-11-20"), Group: dangvu.DuesStudent},
	} {
		if _, err := s.AddDuesBasis(ctx, actor, b); err != nil {
			t.Fatalf("basis %s: %v", b.Member, err)
		}
	}
	// Bad bases: a negative amount; a salaried basis without its salary.
	for _, c := range []struct {
		b     dangvu.DuesBasis
		field string
	}{
		{dangvu.DuesBasis{Member: "M12", From: dangvu.MustDate("2015-01-01"), Group: dangvu.DuesPension, Amount: -1}, "amount"},
		{dangvu.DuesBasis{Member: "M12", From: dangvu.MustDate("2015-01-01"), Group: dangvu.DuesInsured}, "amount"},
		{dangvu.DuesBasis{Member: "M09", From: dangvu.MustDate("2015-01-01"), Group: dangvu.DuesInsured, Amount: 1}, "from"},
	} {
		_, err := s.AddDuesBasis(ctx, actor, c.b)
		if e := errorCode(t, err, dangvu.EInvalid); len(e.Fields) == 0 || e.Fields[0].Field != c.field {
			t.Errorf("basis %+v: %v", c.b, e.Fields)
		}
	}

	// Exemptions: M12 exempt on application, decided by the ward (the cell is under a grassroots
	// committee); M10 exempt for hardship April–June 2020 (342 as recorded has no percentage reductions). Refused: a reduction decided by
	// the cell itself, a party-age exemption under 342 (as recorded), a 40% reduction.
	for _, e := range []dangvu.DuesExemption{
		{Member: "M12", Kind: dangvu.ReliefApplication, Pct: 100, From: dangvu.MustDate("2018-03-01"), DecidedBy: orgPD, Decision: "Số 12-QĐ/ĐU"},
		{Member: "M10", Kind: dangvu.ReliefHardship, Pct: 100, From: dangvu.MustDate("2020-04-01"), To: dangvu.MustDate("2020-06-30"), DecidedBy: orgPD, Decision: "Số 20-QĐ/ĐU"},
	} {
		if _, err := s.AddDuesExemption(ctx, actor, e); err != nil {
			t.Fatalf("exemption %s: %v", e.Member, err)
		}
	}
	for _, c := range []struct {
		e     dangvu.DuesExemption
		field string
		cite  string
	}{
		{dangvu.DuesExemption{Member: "M09", Kind: dangvu.ReliefHardship, Pct: 100, From: dangvu.MustDate("2020-01-01"), To: dangvu.MustDate("2020-03-31"), DecidedBy: cellPD2}, "decided_by", "342-QĐ/TW"},
		{dangvu.DuesExemption{Member: "M09", Kind: dangvu.ReliefHardship, Pct: 100, From: dangvu.MustDate("2020-01-01"), To: dangvu.MustDate("2021-01-31"), DecidedBy: orgPD}, "to", "342-QĐ/TW"},
		{dangvu.DuesExemption{Member: "M09", Kind: dangvu.ReliefPartyAge, Pct: 100, From: dangvu.MustDate("2020-01-01")}, "kind", "342-QĐ/TW"},
		{dangvu.DuesExemption{Member: "M09", Kind: dangvu.ReliefHardship, Pct: 40, From: dangvu.MustDate("2020-01-01"), To: dangvu.MustDate("2020-03-31"), DecidedBy: orgPD}, "pct", "342-QĐ/TW"},
	} {
		_, err := s.AddDuesExemption(ctx, actor, c.e)
		e := errorCode(t, err, dangvu.EInvalid)
		if len(e.Fields) == 0 || e.Fields[0].Field != c.field || !strings.Contains(e.Fields[0].Reason, c.cite) {
			t.Errorf("exemption %+v: %v", c.e, e.Fields)
		}
	}

	// Payments taken by cell khu 2, January to June; M13 pays nothing in February–April.
	var lines []dangvu.DuesPayment
	for _, m := range []string{"2020-01", "2020-02", "2020-03", "2020-04", "2020-05", "2020-06"} {
		lines = append(lines, dangvu.DuesPayment{Member: "M09", Month: mo(m), Amount: 60_000, Paid: dangvu.MustDate(m + "-10")})
		if m <= "2020-03" {
			lines = append(lines, dangvu.DuesPayment{Member: "M10", Month: mo(m), Amount: 25_000, Paid: dangvu.MustDate(m + "-10"), Channel: dangvu.DuesPortal, Reference: "DVC-" + m})
		}
		if m == "2020-01" || m >= "2020-05" {
			lines = append(lines, dangvu.DuesPayment{Member: "M13", Month: mo(m), Amount: 40_000, Voluntary: 10_000, Paid: dangvu.MustDate(m + "-12")})
		}
	}
	if _, err := s.RecordDuesPayments(ctx, actor, cellPD2, lines); err != nil {
		t.Fatalf("payments: %v", err)
	}
	before := countPayments()
	// Bad lines, each refused with its row and field, and nothing written from the good ones.
	_, err := s.RecordDuesPayments(ctx, actor, cellPD2, []dangvu.DuesPayment{
		{Member: "M09", Month: mo("2020-07"), Amount: 60_000},
		{Member: "M09", Month: mo("2020-08"), Amount: -5},
		{Member: "M11", Month: mo("2020-10"), Amount: 5_000},                                       // before joining (20/11/2020)
		{Member: "M13", Month: mo("2020-10"), Amount: 40_000},                                      // after leaving (01/09/2020)
		{Member: "M09", Month: mo("2020-03"), Amount: 60_000},                                      // already paid
		{Member: "M09", Month: mo("2021-01"), Amount: 60_000, Paid: dangvu.MustDate("2021-01-05")}, // in the future
	})
	e := errorCode(t, err, dangvu.EInvalid)
	want := map[int]string{2: "amount", 3: "month", 4: "month", 5: "month", 6: "paid"}
	for _, fe := range e.Fields {
		if want[fe.Row] != fe.Field {
			t.Errorf("payment refusal %+v", fe)
		}
		delete(want, fe.Row)
	}
	if len(want) > 0 {
		t.Errorf("rows not refused: %v (%v)", want, e.Fields)
	}
	if after := countPayments(); after != before {
		t.Errorf("a refused list wrote %d payments", after-before)
	}

	// The book of March: 342's 1% and 0.5%, M12 exempt, M13 unpaid; totals add up to payments.
	b, err := s.DuesBook(ctx, cellPD2, mo("2020-03"))
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]dangvu.DuesBookLine{}
	var sumPaid int64
	for _, l := range b.Lines {
		byID[l.MemberID] = l
		sumPaid += l.Paid
	}
	if byID["M09"].Owed != 60_000 || byID["M10"].Owed != 25_000 || byID["M10"].Pct != 0 || byID["M12"].Owed != 0 || byID["M12"].Problem != "" || byID["M13"].Owed != 40_000 || byID["M13"].Paid != 0 {
		t.Errorf("book lines: %+v", b.Lines)
	}
	if len(byID["M13"].ArrearsMonths) != 1 || b.Unpaid != 1 {
		t.Errorf("March: M13 arrears %v, unpaid %d", byID["M13"].ArrearsMonths, b.Unpaid)
	}
	if b.Paid != sumPaid || b.Paid != 85_000 || b.Owed != 125_000 || !strings.Contains(b.Set, "342") {
		t.Errorf("book totals: owed %d paid %d (lines %d) set %s", b.Owed, b.Paid, sumPaid, b.Set)
	}

	// Remittances: the cell keeps 50% (342, unconfirmed), the ward keeps 50% of what it receives;
	// remitted + kept = collected.
	var cellKept, wardKept int64
	for _, m := range []string{"2020-01", "2020-02", "2020-03", "2020-04", "2020-05", "2020-06"} {
		r, err := s.RecordRemittance(ctx, actor, cellPD2, mo(m), day(m+"-25"), "")
		if err != nil {
			t.Fatalf("remit %s: %v", m, err)
		}
		bk, _ := s.DuesBook(ctx, cellPD2, mo(m))
		if r.Kept+r.Remitted != r.Collected || r.Collected != bk.Collected || r.To != orgPD || r.Kept != r.Collected/2 {
			t.Errorf("cell remittance %s: %+v (book collected %d)", m, r, bk.Collected)
		}
		cellKept += r.Kept
		w, err := s.RecordRemittance(ctx, actor, orgPD, mo(m), day(m+"-28"), "")
		if err != nil {
			t.Fatalf("ward remit %s: %v", m, err)
		}
		if w.Collected != r.Remitted || w.Kept+w.Remitted != w.Collected || w.To != orgUB {
			t.Errorf("ward remittance %s: %+v", m, w)
		}
		wardKept += w.Kept
	}
	if _, err := s.RecordRemittance(ctx, actor, cellPD2, mo("2020-06"), day("2020-06-26"), ""); err == nil {
		t.Error("a second remittance for June was accepted")
	}

	// The merger of 01/07/2020: the ward's balance passes to the new ward, nothing lost.
	pd, _ := s.DuesBalance(ctx, orgPD, day("2020-06-30"))
	pn, _ := s.DuesBalance(ctx, orgPN, day("2020-06-30"))
	if pd != wardKept {
		t.Errorf("ward balance %d, kept %d", pd, wardKept)
	}
	for _, o := range []string{orgPD, orgPN} {
		if _, err := s.HandOverDues(ctx, actor, o, orgPDN, evMerge, day(MergeDate)); err != nil {
			t.Fatal(err)
		}
	}
	pdAfter, _ := s.DuesBalance(ctx, orgPD, day(MergeDate))
	pdn, _ := s.DuesBalance(ctx, orgPDN, day(MergeDate))
	if pdAfter != 0 || pdn != pd+pn {
		t.Errorf("after the merger: old ward %d, new ward %d, want 0 and %d", pdAfter, pdn, pd+pn)
	}
	if c, _ := s.DuesBalance(ctx, cellPD2, day(MergeDate)); c != cellKept {
		t.Errorf("cell balance %d, kept %d", c, cellKept)
	}

	// The three unpaid months: on the ward's home page in June, with the months, and the
	// reduction ending on 30/06/2020.
	att, err := s.Attention(ctx, orgPD, day("2020-06-15"), dangvu.UserSecretary)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, a := range att {
		kinds[a.Kind] += a.MemberID + " " + a.Detail + ";"
	}
	if !strings.Contains(kinds["dues_arrears_3m"], "M13") || !strings.Contains(kinds["dues_arrears_3m"], "02/2020, 03/2020, 04/2020") || strings.Contains(kinds["dues_arrears_3m"], "M09") {
		t.Errorf("arrears attention: %q", kinds["dues_arrears_3m"])
	}
	if !strings.Contains(kinds["dues_exemption_ending"], "M10") {
		t.Errorf("exemption ending: %v", kinds)
	}

	// The report's keys equal their lists (counts: rows; sums: the column of amounts).
	q := dangvu.ReportQuery{Org: orgPD, From: day("2020-01-01"), To: day("2020-06-30")}
	r, err := s.TermReport(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	wantFig := map[string]int64{"dues_members_liable": 3, "dues_members_paid_all": 2, "dues_members_in_arrears_3m": 1, "dues_members_exempt": 2,
		"dues_owed_vnd": 6*60_000 + 3*25_000 + 6*40_000, "dues_paid_vnd": 6*60_000 + 3*25_000 + 3*40_000}
	for k, w := range wantFig {
		v, _ := r.Get(k)
		if toInt(v) != w {
			t.Errorf("%s = %v, want %d", k, v, w)
		}
	}
	for _, c := range []struct {
		key string
		col int // -1: the count of rows
	}{
		{"dues_members_liable", -1}, {"dues_members_paid_all", -1}, {"dues_members_in_arrears_3m", -1}, {"dues_members_exempt", -1},
		{"dues_owed_vnd", 4}, {"dues_paid_vnd", 5}, {"dues_remitted_vnd", 4},
	} {
		l, err := s.ReportList(ctx, q, c.key)
		if err != nil {
			t.Fatal(err)
		}
		v, _ := r.Get(c.key)
		got := int64(len(l.Rows))
		if c.col >= 0 {
			got = 0
			for _, row := range l.Rows {
				n, _ := strconv.ParseInt(strings.ReplaceAll(row[c.col], ".", ""), 10, 64)
				got += n
			}
		}
		if got != toInt(v) {
			t.Errorf("%s = %v, its list gives %d", c.key, v, got)
		}
	}
	if v, _ := r.Get("dues_remitted_vnd"); toInt(v) == 0 {
		t.Error("nothing remitted by the cells")
	}

	// The ward's summary adds up its cells.
	sum, err := s.DuesSummary(ctx, orgPD, mo("2020-01"), mo("2020-06"))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Total.Paid != toInt(r.Figures[indexOf(r, "dues_paid_vnd")].Value) || sum.Total.Arrears != 1 {
		t.Errorf("summary: %+v", sum.Total)
	}

	// A portal export: an unknown member refuses the file; a good one matches July and lists
	// the line of a member who does not belong to the ward.
	before = countPayments()
	_, err = s.ReconcilePortal(ctx, actor, orgPDN, strings.NewReader("member,month,amount,reference\nM09,2020-07,60000,A1\nNOPE,2020-07,5000,A2\n"), true)
	if e := errorCode(t, err, dangvu.EInvalid); len(e.Fields) != 1 || e.Fields[0].Row != 3 || e.Fields[0].Field != "member" {
		t.Errorf("portal unknown member: %v", e.Fields)
	}
	rec, err := s.ReconcilePortal(ctx, actor, orgPDN, strings.NewReader("M09,2020-07,60000,A1\nM10,2020-07,25000,A3\nM25,2020-07,5000,A4\nM09,2020-06,60000,A5\n"), true)
	if err != nil {
		t.Fatal(err)
	}
	st := map[string]string{}
	for _, l := range rec.Lines {
		st[l.MemberID+" "+l.Month] = l.Status
	}
	if st["M09 2020-07"] != "matched" || st["M10 2020-07"] != "matched" || st["M09 2020-06"] != "recorded" || rec.Recorded != 2 || rec.Unmatched != 2 {
		t.Errorf("reconciliation: %+v", rec)
	}
	if after := countPayments(); after != before+2 {
		t.Errorf("reconciliation wrote %d payments, want 2", after-before)
	}

	// Round trip: export, import into an empty store, export again: the same bytes.
	first := exportCSV(t, s)
	if !strings.Contains(string(first["dues_payments.csv"]), "DVC-2020-01") || !strings.Contains(string(first["dues_remittances.csv"]), evMerge) {
		t.Errorf("export lacks the dues rows: %s", first["dues_payments.csv"][:min(200, len(first["dues_payments.csv"]))])
	}
	path := filepath.Join(t.TempDir(), "dues")
	exportTo(t, s, path)
	rd, err := exchange.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	s2 := open(t)
	if _, err := s2.Import(ctx, rd, store.ImportOptions{Actor: actor, Source: "dues"}); err != nil {
		t.Fatalf("import the export: %v", err)
	}
	sameFiles(t, "dues: export → import → export", first, exportCSV(t, s2))
	// A subtree export carries the cell's members' dues and the cell's remittances only.
	counts, err := s.ExportUnder(ctx, exchange.NewMemory(), cellPD2, day("2020-12-15"))
	if err != nil {
		t.Fatal(err)
	}
	if counts["dues_payments"] != countPayments() || counts["dues_bases"] != 4 || counts["dues_remittances"] != 6 {
		t.Errorf("subtree export: %v", counts)
	}
}

func toInt(v any) int64 {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int64:
		return x
	case float64:
		return int64(x)
	}
	return -1
}

func indexOf(r *dangvu.Report, key string) int {
	for i, f := range r.Figures {
		if f.Key == key {
			return i
		}
	}
	return -1
}
