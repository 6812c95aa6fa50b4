package httpapi

import (
	"dangvu/internal/rulebook"
	"dangvu/internal/rules"
	"dangvu/internal/workday"
)

// RuleAreas lists the rule areas, in the order the page "Quy định áp dụng" and /api/v1/rules show
// them; the command line loads an administrator's rules folder (--rules) into each. One line per
// area: an area's package declares it (docs/rules.md).
func RuleAreas() []*rulebook.Area {
	return []*rulebook.Area{
		rules.Admissions,
		rules.Lifecycle,
		workday.Area,
	}
}
