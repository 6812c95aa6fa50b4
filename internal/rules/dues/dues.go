// Package dues holds the party dues rules as dated data (package rulebook) and the pure functions
// that apply them (issue 17; next-rules.md §1): the amount a member owes for a month from the
// basis recorded for them under the rule set in force that month (342-QĐ/TW of 28/12/2010, then
// 01-QĐ/TW of 03/02/2026, applied from 01/02/2026: both dates are cited, the set is marked
// conflict), exemptions and reductions and who may decide them, the share each organisation
// keeps of what it collects, and the Charter's three months without paying in a calendar year.
package dues

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"dangvu"
	"dangvu/internal/rulebook"
	"dangvu/internal/vn"
)

//go:embed data
var files embed.FS

func sub(dir string) fs.FS { return rulebook.Embedded(files, dir) }

// Area is the dues area of the rule book ("Quy định áp dụng", /api/v1/rules).
var Area = &rulebook.Area{
	Name: "dues", Label: "Đảng phí: mức đóng, miễn giảm, trích để lại", Files: sub("dues"),
	Keys: []rulebook.Key{
		// Each group has a rate (parts per ten thousand of the recorded amount) or a flat amount;
		// the test of the data checks every set has exactly one of the two per group.
		{Name: "rate_insured_bp", Kind: rulebook.Int, Optional: true}, {Name: "flat_insured_vnd", Kind: rulebook.Int, Optional: true},
		{Name: "rate_benefit_bp", Kind: rulebook.Int, Optional: true}, {Name: "flat_benefit_vnd", Kind: rulebook.Int, Optional: true},
		{Name: "rate_pension_bp", Kind: rulebook.Int, Optional: true}, {Name: "flat_pension_vnd", Kind: rulebook.Int, Optional: true},
		{Name: "rate_student_bp", Kind: rulebook.Int, Optional: true}, {Name: "flat_student_vnd", Kind: rulebook.Int, Optional: true},
		{Name: "rate_self_employed_bp", Kind: rulebook.Int, Optional: true}, {Name: "flat_self_employed_vnd", Kind: rulebook.Int, Optional: true},
		{Name: "rate_abroad_bp", Kind: rulebook.Int, Optional: true}, {Name: "flat_abroad_vnd", Kind: rulebook.Int, Optional: true},
		{Name: "rate_other_bp", Kind: rulebook.Int, Optional: true}, {Name: "flat_other_vnd", Kind: rulebook.Int, Optional: true},
		{Name: "probationary_same", Kind: rulebook.Bool},
		{Name: "reduction_pcts", Kind: rulebook.Text}, {Name: "reduction_max_months", Kind: rulebook.Int},
		{Name: "exempt_party_age_years", Kind: rulebook.Int}, {Name: "exempt_social_pension", Kind: rulebook.Bool},
		{Name: "suspended_exempt", Kind: rulebook.Bool}, {Name: "arrears_months", Kind: rulebook.Int},
		{Name: "grassroots_cell_decides", Kind: rulebook.Bool},
		{Name: "keep_pct_cell_residential", Kind: rulebook.Int}, {Name: "keep_pct_cell_armed_border", Kind: rulebook.Int},
		{Name: "keep_pct_cell_other", Kind: rulebook.Int}, {Name: "keep_pct_grassroots_cell", Kind: rulebook.Int},
		{Name: "keep_pct_committee", Kind: rulebook.Int},
	},
	CheckValue: func(_ *rulebook.Set, v rulebook.Value) error {
		switch {
		case strings.HasPrefix(v.Key, "keep_pct_"):
			if n, _ := strconv.Atoi(v.Text); n > 100 {
				return fmt.Errorf("%s: tỉ lệ để lại %d%% lớn hơn 100%%", v.Key, n)
			}
		case v.Key == "reduction_pcts":
			if _, err := parsePcts(v.Text); err != nil {
				return err
			}
		}
		return nil
	},
}

func parsePcts(s string) ([]int, error) {
	var out []int
	for _, p := range strings.Split(s, ";") {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n <= 0 || n > 100 {
			return nil, fmt.Errorf("mức giảm %q không hợp lệ: cần các số 1–100 cách nhau bởi ;", s)
		}
		out = append(out, n)
	}
	return out, nil
}

// Set is the dues rules in force on a day.
type Set struct{ *rulebook.Set }

// For returns the set in force on day (the oldest before the first set's start).
func For(day time.Time) Set { return sets.At(day) }

var sets = rulebook.Choose(func(in ...rulebook.InForce) Set { return Set{in[0].Set} }, Area)

// ForMonth returns the set a month's dues are owed under: the one in force on its first day.
func ForMonth(m dangvu.Month) Set { return For(m.First()) }

// Rate is how a group's monthly dues are computed under a set: BP parts per ten thousand of the
// recorded amount, or a flat amount in đồng.
type Rate struct {
	Group dangvu.DuesGroup `json:"group"`
	BP    int              `json:"bp,omitempty"`
	Flat  int64            `json:"flat,omitempty"`
	Key   string           `json:"key"`
	Cite  string           `json:"cite"`
}

// Rate returns the group's rate; false when the set has none for it. A set's rates are read
// once and kept (a set does not change once loaded; a rules folder loads new sets).
func (s Set) Rate(g dangvu.DuesGroup) (Rate, bool) {
	k := rateKey{s.Set, g}
	if v, ok := rates.Load(k); ok {
		h := v.(rateHit)
		return h.r, h.ok
	}
	r, ok := s.rate(g)
	rates.Store(k, rateHit{r, ok})
	return r, ok
}

type rateKey struct {
	set *rulebook.Set
	g   dangvu.DuesGroup
}

type rateHit struct {
	r  Rate
	ok bool
}

var rates sync.Map // rateKey → rateHit

func (s Set) rate(g dangvu.DuesGroup) (Rate, bool) {
	if k := "rate_" + string(g) + "_bp"; s.has(k) {
		return Rate{Group: g, BP: s.Int(k), Key: k, Cite: s.Cite(k)}, true
	}
	if k := "flat_" + string(g) + "_vnd"; s.has(k) {
		return Rate{Group: g, Flat: int64(s.Int(k)), Key: k, Cite: s.Cite(k)}, true
	}
	return Rate{}, false
}

func (s Set) has(key string) bool { _, ok := s.Value(key); return ok }

func (s Set) bad(field, key, format string, args ...any) rulebook.Problem {
	return rulebook.Problem{Field: field, Rule: key, Reason: fmt.Sprintf(format, args...), Set: s.Name, Source: s.SourceOf(key)}
}

// Gross is the month's dues before any exemption or reduction: the group's rate of the basis
// amount, rounded half up to the đồng, or its flat amount. A rate-based group with no amount
// recorded, or a group the set has no rate for, is refused: a member is never charged zero in
// silence.
func (s Set) Gross(b dangvu.DuesBasis) (int64, *rulebook.Problem) {
	r, ok := s.Rate(b.Group)
	if !ok {
		v := rulebook.Problem{Field: "group", Rule: "rate", Set: s.Name, Source: s.Source,
			Reason: fmt.Sprintf("bộ quy định không có mức đóng cho nhóm %q", dangvu.CodeName(dangvu.DuesGroups, b.Group))}
		return 0, &v
	}
	if r.Flat > 0 || r.BP == 0 {
		return r.Flat, nil
	}
	if b.Amount <= 0 {
		v := s.bad("amount", r.Key, "nhóm %q tính theo tỉ lệ nhưng căn cứ chưa ghi số tiền", dangvu.CodeName(dangvu.DuesGroups, b.Group))
		return 0, &v
	}
	return (b.Amount*int64(r.BP) + 5000) / 10000, nil
}

// Reduce applies a reduction of pct percent (100: exempt) to a gross amount; the reduced amount
// is rounded half up to the đồng.
func Reduce(gross int64, pct int) int64 {
	if pct <= 0 {
		return gross
	}
	if pct >= 100 {
		return 0
	}
	return (gross*int64(100-pct) + 50) / 100
}

// InMonth reports whether an exemption is in force on any day of the month.
func InMonth(e dangvu.DuesExemption, m dangvu.Month) bool {
	if e.From.After(dangvu.DateOf(m.Last())) {
		return false
	}
	return e.To.IsZero() || !e.To.Before(dangvu.DateOf(m.First()))
}

// Relief is the reduction in force for a month: the largest percentage of the member's
// exemptions in force in the month (100 = exempt), and which one.
func Relief(list []dangvu.DuesExemption, m dangvu.Month) (int, *dangvu.DuesExemption) {
	best, at := 0, -1
	for i, e := range list {
		if InMonth(e, m) && e.Pct > best {
			best, at = e.Pct, i
		}
	}
	if at < 0 {
		return 0, nil
	}
	return best, &list[at]
}

// Owing is what a member owes for a month.
type Owing struct {
	Month dangvu.Month `json:"-"`
	Gross int64        `json:"gross"`
	Pct   int          `json:"pct,omitempty"` // the reduction applied (100 = exempt)
	Owed  int64        `json:"owed"`
	Set   string       `json:"set"`
	Cite  string       `json:"cite"`
}

// Owed is a member's dues for a month under the month's set from the basis in force on the
// month's first day (the last one whose From is not after it) and the exemptions in force in the
// month. False when no basis applies: the member is listed as having none, never charged zero.
func Owed(m dangvu.Month, bases []dangvu.DuesBasis, exemptions []dangvu.DuesExemption) (Owing, bool, *rulebook.Problem) {
	return OwedUnder(ForMonth(m), m, bases, exemptions)
}

// OwedUnder is Owed with the month's set already chosen (ForMonth(m)): a walk over many
// members' months chooses it once a month.
func OwedUnder(s Set, m dangvu.Month, bases []dangvu.DuesBasis, exemptions []dangvu.DuesExemption) (Owing, bool, *rulebook.Problem) {
	b, ok := BasisFor(bases, m)
	if !ok {
		return Owing{Month: m}, false, nil
	}
	g, v := s.Gross(b)
	if v != nil {
		return Owing{Month: m, Set: s.Name}, false, v
	}
	r, _ := s.Rate(b.Group)
	pct, _ := Relief(exemptions, m)
	return Owing{Month: m, Gross: g, Pct: pct, Owed: Reduce(g, pct), Set: s.Name, Cite: r.Cite}, true, nil
}

// BasisFor returns the basis in force on the month's first day; a basis recorded from a day
// within the month applies from the next month, unless it is the member's first basis (a member
// admitted mid-month owes from that month).
func BasisFor(bases []dangvu.DuesBasis, m dangvu.Month) (dangvu.DuesBasis, bool) {
	var best dangvu.DuesBasis
	found := false
	for _, b := range bases {
		if b.From.After(dangvu.DateOf(m.First())) {
			continue
		}
		if !found || b.From.After(best.From) {
			best, found = b, true
		}
	}
	if found {
		return best, true
	}
	// The first basis of a member, recorded within the month.
	for _, b := range bases {
		if dangvu.MonthOf(b.From.Time) == m && (!found || b.From.Before(best.From)) {
			best, found = b, true
		}
	}
	return best, found
}

// CheckExemption checks an exemption or reduction against the set in force on its first day:
// its percentage (100 for the exempting grounds; one of the set's reduction levels or 100 for
// hardship), its period (hardship at most reduction_max_months, and an end date), its ground
// being one the set recognises, and the competence of the deciding body: a grassroots cell
// decides for its own members; for a cell under a grassroots committee the committee above
// decides on the cell's proposal. cellGrassroots says whether the member's cell is a
// grassroots cell; deciderIsCell and deciderAbove whether the deciding organisation is that cell
// or one of its superiors.
func CheckExemption(e dangvu.DuesExemption, cellGrassroots, deciderIsCell, deciderAbove bool) []rulebook.Problem {
	s := For(e.From.Time)
	var out []rulebook.Problem
	switch e.Kind {
	case dangvu.ReliefHardship:
		pcts, _ := parsePcts(s.Text("reduction_pcts"))
		if e.Pct != 100 && !slices.Contains(pcts, e.Pct) {
			out = append(out, s.bad("pct", "reduction_pcts", "mức giảm %d%% không có trong quy định (được giảm %s%% hoặc miễn)", e.Pct, strings.ReplaceAll(s.Text("reduction_pcts"), ";", "%, ")))
		}
		max := s.Int("reduction_max_months")
		if e.To.IsZero() {
			out = append(out, s.bad("to", "reduction_max_months", "miễn, giảm vì khó khăn phải có ngày kết thúc, tối đa %d tháng mỗi lần", max))
		} else if !e.To.Before(e.From.AddDate(0, max, 0)) {
			out = append(out, s.bad("to", "reduction_max_months", "miễn, giảm từ %s đến %s dài hơn %d tháng cho phép mỗi lần", vn.FormatDate(e.From.Time), vn.FormatDate(e.To.Time), max))
		}
	case dangvu.ReliefPartyAge:
		if s.Int("exempt_party_age_years") == 0 {
			out = append(out, s.bad("kind", "exempt_party_age_years", "bộ quy định này không miễn đảng phí theo tuổi đảng"))
		}
	case dangvu.ReliefSocialPension:
		if !s.Bool("exempt_social_pension") {
			out = append(out, s.bad("kind", "exempt_social_pension", "bộ quy định này không miễn đảng phí cho người hưởng trợ cấp hưu trí xã hội"))
		}
	case dangvu.ReliefSuspended:
		if !s.Bool("suspended_exempt") {
			out = append(out, s.bad("kind", "suspended_exempt", "bộ quy định này không miễn đảng phí khi bị đình chỉ sinh hoạt"))
		}
	}
	if e.Kind != dangvu.ReliefHardship && e.Pct != 100 {
		out = append(out, s.bad("pct", "reduction_pcts", "căn cứ %q là miễn đóng: mức phải là 100%%", dangvu.CodeName(dangvu.DuesReliefKinds, e.Kind)))
	}
	if !e.To.IsZero() && e.To.Before(e.From) {
		out = append(out, s.bad("to", "reduction_max_months", "ngày kết thúc %s trước ngày bắt đầu %s", vn.FormatDate(e.To.Time), vn.FormatDate(e.From.Time)))
	}
	if e.Kind == dangvu.ReliefHardship || e.Kind == dangvu.ReliefApplication {
		if ok, reason := Competent(s, cellGrassroots, deciderIsCell, deciderAbove); !ok {
			out = append(out, s.bad("decided_by", "grassroots_cell_decides", "%s", reason))
		}
	}
	return out
}

// Competent says whether the deciding body may decide a hardship exemption or reduction.
func Competent(s Set, cellGrassroots, deciderIsCell, deciderAbove bool) (bool, string) {
	if s.Bool("grassroots_cell_decides") && cellGrassroots {
		if deciderIsCell || deciderAbove {
			return true, ""
		}
		return false, "chi bộ cơ sở tự quyết định miễn, giảm đảng phí cho đảng viên của mình: nơi quyết định không phải chi bộ này"
	}
	if deciderAbove {
		return true, ""
	}
	return false, "chi bộ trực thuộc chỉ đề nghị; cấp ủy cấp trên trực tiếp quyết định miễn, giảm đảng phí"
}

// KeepPct is the share (%) an organisation keeps of the dues it collects (a cell) or receives
// (a committee), by its level and kind, under the set.
func (s Set) KeepPct(level dangvu.Level, kind dangvu.OrgKind) (int, string) {
	key := "keep_pct_committee"
	switch {
	case level == dangvu.LevelGrassrootsCell:
		key = "keep_pct_grassroots_cell"
	case level == dangvu.LevelCell && kind == dangvu.KindResidential:
		key = "keep_pct_cell_residential"
	case level == dangvu.LevelCell:
		key = "keep_pct_cell_other"
	}
	return s.Int(key), s.Cite(key)
}

// Split divides what an organisation collected into what it keeps (rounded down to the đồng)
// and what it remits: kept + remitted = collected exactly.
func Split(collected int64, keepPct int) (kept, remitted int64) {
	kept = collected * int64(keepPct) / 100
	return kept, collected - kept
}

// ArrearsMonths returns the months of year, before the month of asOf, in which a member owed
// something and paid less than owed: the Charter's count of months without paying, per calendar
// year (owed and paid keyed by month; months with nothing owed — exempt, no basis, not yet a
// member — never count).
func ArrearsMonths(year int, owed, paid map[dangvu.Month]int64, asOf time.Time) []dangvu.Month {
	var out []dangvu.Month
	now := dangvu.MonthOf(asOf)
	for mo := time.January; mo <= time.December; mo++ {
		m := dangvu.Month{Year: year, Mon: mo}
		if !m.Before(now) {
			break
		}
		if o := owed[m]; o > 0 && paid[m] < o {
			out = append(out, m)
		}
	}
	return out
}

// InArrears reports whether the months without paying reach the set's threshold (3, Charter
// Art. 8): the cell then considers a removal proposal; nothing is automatic.
func InArrears(months []dangvu.Month) bool {
	if len(months) == 0 {
		return false
	}
	return len(months) >= ForMonth(months[len(months)-1]).Int("arrears_months")
}

// Fingerprint identifies the dues rules loaded now (the embedded sets with the administrator's
// folder applied): figures derived from the rules and kept in the database (the report's dues
// aggregates) are valid only under the rules they were computed with. It also reports whether
// every set has the same arrears_months: the kept arrears assume one threshold.
func Fingerprint() (fp string, oneThreshold bool) {
	b := Area.Book()
	h := sha256.New()
	oneThreshold = true
	for i, s := range b.Sets {
		fmt.Fprintf(h, "%s|%s|%s|%s\n", s.ID, s.From.Format(time.DateOnly), b.Until(i).Format(time.DateOnly), s.Name)
		for _, v := range s.Values {
			fmt.Fprintf(h, "\t%s=%s\n", v.Key, v.Text)
		}
		if s.Text("arrears_months") != b.Sets[0].Text("arrears_months") {
			oneThreshold = false
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16], oneThreshold
}
