package reports_test

import (
	"context"
	"testing"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/reportout"
	"dangvu/internal/reports"
	"dangvu/internal/storetest"
)

// rows reads a table of the demo data set as maps.
func rows(t *testing.T, m *exchange.Memory, table string) []map[string]string {
	t.Helper()
	tb, _ := exchange.Lookup(table)
	var out []map[string]string
	err := m.Reader().Each(table, func(_ int, rec exchange.Record) error {
		x := map[string]string{}
		for _, c := range tb.Columns {
			x[c] = rec.Get(c)
		}
		out = append(out, x)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func inForce(x map[string]string, from, to, day string) bool {
	end := x[to]
	if end == "" {
		end = dangvu.ForeverISO
	}
	return x[from] <= day && day < end
}

// TestPostFiguresDirect counts the concurrent-post figures straight from the demo's rows (parent
// links walked in Go, no SQL) and compares them with the report.
func TestPostFiguresDirect(t *testing.T) {
	m, err := demoSet()
	if err != nil {
		t.Fatal(err)
	}
	versions := map[string][]map[string]string{}
	for _, v := range rows(t, m, "organisations") {
		versions[v["id"]] = append(versions[v["id"]], v)
	}
	parent := func(id, day string) (string, bool) {
		for _, v := range versions[id] {
			if inForce(v, "valid_from", "valid_to", day) {
				return v["parent_id"], true
			}
		}
		return "", false
	}
	under := func(id, anc, day string) bool {
		for id != "" {
			if id == anc {
				return true
			}
			p, ok := parent(id, day)
			if !ok {
				return false
			}
			id = p
		}
		return false
	}
	posts := rows(t, m, "posts")
	localities := rows(t, m, "localities")
	units := rows(t, m, "units")
	s := demoStore(t, storetest.OpenSQLite)
	for _, c := range []struct{ org, day string }{{"UB", "2018-05-31"}, {"UB", "2016-06-01"}, {"QN-UONGBI", "2026-11-27"}, {"QN", "2021-06-01"}} {
		secretary, headOfPlace, headOfUnit := map[string]string{}, map[string]string{}, map[string]string{}
		for _, p := range posts {
			if !inForce(p, "valid_from", "valid_to", c.day) {
				continue
			}
			switch {
			case p["role"] == "secretary":
				secretary[p["org_id"]] = p["member_id"]
			case p["role"] == "head" && p["locality_id"] != "":
				headOfPlace[p["locality_id"]] = p["member_id"]
			case p["role"] == "head" && p["unit_id"] != "":
				headOfUnit[p["unit_id"]] = p["member_id"]
			}
		}
		cells, cellsSame := map[string]bool{}, map[string]bool{}
		for _, l := range localities {
			if !inForce(l, "valid_from", "valid_to", c.day) || !under(l["cell_id"], c.org, c.day) {
				continue
			}
			cells[l["cell_id"]] = true
			if sec := secretary[l["cell_id"]]; sec != "" && headOfPlace[l["id"]] == sec {
				cellsSame[l["cell_id"]] = true
			}
		}
		var nUnits, nSame int
		for _, u := range units {
			if !inForce(u, "valid_from", "valid_to", c.day) || !under(u["org_id"], c.org, c.day) {
				continue
			}
			nUnits++
			if sec := secretary[u["org_id"]]; sec != "" && headOfUnit[u["id"]] == sec {
				nSame++
			}
		}
		b, err := reports.Build(context.Background(), s, dangvu.ReportQuery{Org: c.org, From: day(c.day), To: day(c.day)}, reports.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for k, want := range map[string]int{"residential_cells": len(cells), "secretary_is_village_head": len(cellsSame), "agency_units": nUnits, "head_is_secretary": nSame} {
			if got, _ := reportout.Number(b.Report, k); int(got) != want {
				t.Errorf("%s on %s: %s = %v, counted directly %d", c.org, c.day, k, got, want)
			}
		}
		if len(cells) == 0 {
			t.Errorf("%s on %s: no residential cell; the case tests nothing", c.org, c.day)
		}
	}
}
