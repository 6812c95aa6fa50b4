package demo

import (
	"testing"

	"dangvu/internal/rules/records"
)

// TestOrgCodes: every grassroots organisation and cell in force on a day holds one well-formed
// 14-digit code (2.3.3.3.3) that no other organisation holds that day; the Yên Tử ward's cells
// change code with the 2025 reorganisation.
func TestOrgCodes(t *testing.T) {
	d := load(t, 2018)
	byOrg := map[string][]row{}
	for _, c := range d.rows["org_codes"] {
		if _, err := records.ParseOrgCode(c["code"]); err != nil {
			t.Errorf("%s from %s: %v", c["org_id"], c["valid_from"], err)
		}
		byOrg[c["org_id"]] = append(byOrg[c["org_id"]], c)
	}
	for _, day := range []string{"2018-05-31", "2025-06-30", "2025-07-01", "2026-11-27"} {
		held := map[string]string{}
		n := 0
		for id := range d.orgs {
			v := d.version(id, day)
			if v == nil || (v["level"] != "cell" && v["level"] != "grassroots_committee" && v["level"] != "grassroots_cell" && v["level"] != "partial_committee") {
				continue
			}
			code := ""
			for _, c := range byOrg[id] {
				if in(c, "valid_from", "valid_to", day) {
					if code != "" {
						t.Errorf("%s holds two codes on %s", id, day)
					}
					code = c["code"]
				}
			}
			if code == "" {
				t.Errorf("%s (%s) has no code on %s", id, v["level"], day)
				continue
			}
			if o, dup := held[code]; dup {
				t.Errorf("%s and %s both hold %s on %s", o, id, code, day)
			}
			held[code] = id
			n++
		}
		if n == 0 {
			t.Errorf("no organisation with a code on %s", day)
		}
	}
	if a, b := codeOn(byOrg, "UB-PD-K01", "2025-06-30"), codeOn(byOrg, "UB-PD-K01", "2025-07-01"); a == "" || a == b {
		t.Errorf("UB-PD-K01's code across the reorganisation: %q → %q", a, b)
	}
}

func codeOn(byOrg map[string][]row, id, day string) string {
	for _, c := range byOrg[id] {
		if in(c, "valid_from", "valid_to", day) {
			return c["code"]
		}
	}
	return ""
}
