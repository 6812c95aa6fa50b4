package rulebook

import "time"

// Problem is a rule an act breaks, the one shape every rule package (internal/rules/<area>)
// reports: the field at fault, the area's rule key, the Vietnamese reason naming the values
// compared, the rule set applied and the source of the value, with its confidence mark. The
// store turns problems into field errors (dangvu.FieldError{Field, Reason: p.String()}).
type Problem struct {
	Field  string `json:"field"`
	Rule   string `json:"rule,omitempty"`
	Reason string `json:"reason"`
	// Set names the rule set applied ("Quy định 29-QĐ/TW …", or its code "QĐ 22-QĐ/TW"); empty
	// when the reason names it already.
	Set    string `json:"set,omitempty"`
	Source Source `json:"source"`
}

// String is the refusal as users see it: the reason, then in brackets the set and the citation
// with its mark where not confirmed: "chưa đủ 18 tuổi … (Quy định 29-QĐ/TW … — Điều lệ Đảng,
// Điều 1 khoản 1)". A problem without set or citation is its reason alone.
func (p Problem) String() string {
	c := p.Source.String()
	switch {
	case p.Set == "" && c == "":
		return p.Reason
	case p.Set == "":
		return p.Reason + " (" + c + ")"
	case c == "":
		return p.Reason + " (" + p.Set + ")"
	}
	return p.Reason + " (" + p.Set + " — " + c + ")"
}

// At returns the set that applies to an act of day d: the set in force that day, or the oldest
// set when d falls before every recorded set (the archives hold acts older than the sets
// recorded). A rule package's For(day) starts from it; an area whose rules simply do not exist
// before its first set uses For instead.
func (b *Book) At(d time.Time) *Set {
	if s, ok := b.For(d); ok {
		return s
	}
	return &b.Sets[0]
}
