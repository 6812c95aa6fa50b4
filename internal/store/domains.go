package store

import (
	"context"
	"fmt"

	"dangvu"
	"dangvu/internal/exchange"
)

// domain is what one domain adds to the store: its exchange tables' storage, its report sections,
// the drill-down behind each figure, its attention sources. The list of domains (domainList) is
// built into the Store's fields at Open (wire), read directly by Import, Export, TermReport,
// ReportList and Attention: no registry filled from init functions. The group of each figure key
// is dangvu.FigureGroup's one mapping (report.go in the root package).
type domain struct {
	name string
	// tables binds its exchange tables (internal/exchange) to storage (<domain>_exchange.go).
	tables []domainTable
	// sections add the domain's figures to the term report, in this order.
	sections []reportSection
	// drills list the records behind each of its figures that has a list, by figure key.
	drills map[string]reportDrill
	// listAction is what a role needs to open the lists behind its figures (ReportList marks
	// each list with it, the server refuses the list to other roles and the report page links a
	// figure only for roles that hold it); listActions names the figures whose list needs
	// another; "" means dangvu.ActReports.
	listAction  dangvu.Action
	listActions map[string]dangvu.Action
	// attention lists its due and overdue items for the home page and /api/v1/attention.
	attention []attentionSource
}

// domainList is the application's list of domains. Its order is the order of the term report's
// keys (a documented contract: internal/httpapi/testdata/report_keys.golden) and of the attention
// sources; the import runs the domains' tables in the exchange format's order, not this list's.
// Adding a domain is one line here.
func domainList() []domain {
	return []domain{
		{name: "core", sections: []reportSection{coreSection}},
		disseminationDomain,
		inspectionDomain,
		admissionDomain,
		postsDomain,
		termsDomain,
		reviewsDomain,
		duesDomain,
		filesDomain,
		meetingsDomain,
	}
}

var disseminationDomain = domain{
	name:        "dissemination",
	tables:      disseminationTables,
	sections:    []reportSection{disseminationSection},
	listAction:  dangvu.ActConferences,
	listActions: map[string]dangvu.Action{"action_programmes": dangvu.ActDocuments},
	drills: map[string]reportDrill{
		"action_programmes":         drillProgrammes,
		"conferences_at_org_level":  drillConferences(true),
		"conferences_grassroots":    drillConferences(false),
		"study_members_not_reached": drillNotReached,
	},
	attention: []attentionSource{{dangvu.ActDocuments, taskAttention}},
}

var inspectionDomain = domain{
	name:       "inspection",
	tables:     inspectionTables,
	sections:   []reportSection{inspectionSection},
	listAction: dangvu.ActReadInspection,
	drills: map[string]reportDrill{
		"committee_inspection_rounds": func(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error) {
			return s.roundsDrill(ctx, rc, committeeBodies, "Cuộc kiểm tra, giám sát của Ban Chấp hành, Ban Thường vụ")
		},
		"commission_inspection_rounds": func(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error) {
			return s.roundsDrill(ctx, rc, commissionBody, "Cuộc kiểm tra, giám sát của Ủy ban Kiểm tra")
		},
		"committee_inspected_organisations": func(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error) {
			return s.inspectedOrgsDrill(ctx, rc)
		},
		"grassroots_inspection_visits": func(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error) {
			return s.visitsDrill(ctx, rc)
		},
		"disciplined_members": func(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error) {
			return s.disciplinedDrill(ctx, rc, true)
		},
		"disciplined_organisations": func(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error) {
			return s.disciplinedDrill(ctx, rc, false)
		},
	},
	attention: []attentionSource{{dangvu.ActReadInspection, inspectionAttention}},
}

var admissionDomain = domain{
	name:      "admission",
	tables:    admissionTables,
	sections:  []reportSection{admissionSection, partyAgeSection},
	drills:    map[string]reportDrill{"admitted": admittedDrill},
	attention: []attentionSource{{dangvu.ActAdmissions, admissionAttention}, {dangvu.ActAdmissions, transferAttention}},
}

var postsDomain = domain{
	name:     "posts",
	sections: []reportSection{concurrentPostsSection},
	drills: map[string]reportDrill{
		"residential_cells": func(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error) {
			return s.cellHeads(ctx, rc, false)
		},
		"secretary_is_village_head": func(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error) {
			return s.cellHeads(ctx, rc, true)
		},
		"agency_units": func(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error) {
			return s.unitHeads(ctx, rc, false)
		},
		"head_is_secretary": func(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error) {
			return s.unitHeads(ctx, rc, true)
		},
	},
}

var termsDomain = domain{
	name:     "terms",
	sections: []reportSection{alignedTermsSection},
	drills:   map[string]reportDrill{"cell_terms_aligned": cellTermsAlignedDrill},
}

var reviewsDomain = domain{
	name:       "reviews",
	tables:     reviewTables,
	sections:   []reportSection{reviewSection},
	listAction: dangvu.ActReviews,
	drills:     reviewDrills(),
	attention:  []attentionSource{{dangvu.ActReviews, remedyAttention}, {dangvu.ActReviews, selfReviewAttention}},
}

// reviewDrills lists the reviews behind each rating count, of members and of organisations.
func reviewDrills() map[string]reportDrill {
	m := map[string]reportDrill{}
	for _, k := range []dangvu.SubjectKind{dangvu.SubjectMember, dangvu.SubjectOrg} {
		for _, r := range dangvu.Ratings {
			kind, rating := k, r.Code
			m[reviewKey(kind, rating)] = func(ctx context.Context, s *Store, rc *reportCtx) (*dangvu.ReportList, error) {
				return s.reviewDrill(ctx, rc, kind, rating)
			}
		}
	}
	return m
}

// wiring is what the domains add to a Store, built once at Open from domainList by wire and
// read directly afterwards.
type wiring struct {
	// domains in the list's order: the report's sections and the attention sources follow it.
	domains []domain
	// tables binds each domain table by its exchange name; steps are their import steps, in the
	// exchange format's order (a table refers only to tables before it).
	tables map[string]domainTable
	steps  []importStep
	// drills is every domain's drill-downs by figure key, and actions what opening each needs.
	drills  map[string]reportDrill
	actions map[string]dangvu.Action
}

// wire assembles the domains' tables, import steps and drill-downs. A table bound twice, a
// binding that names no table of the exchange format, or a figure with a drill-down in two
// domains is an error of the program: Open fails with it.
func wire(ds []domain) (wiring, error) {
	w := wiring{domains: ds, tables: map[string]domainTable{}, drills: map[string]reportDrill{}, actions: map[string]dangvu.Action{}}
	for _, d := range ds {
		for _, t := range d.tables {
			if _, dup := w.tables[t.name]; dup {
				return wiring{}, fmt.Errorf("store: exchange table %s bound twice (domain %s)", t.name, d.name)
			}
			if _, ok := exchange.Lookup(t.name); !ok {
				return wiring{}, fmt.Errorf("store: domain %s binds %s, which is no table of the exchange format", d.name, t.name)
			}
			w.tables[t.name] = t
		}
		for k, f := range d.drills {
			if _, dup := w.drills[k]; dup {
				return wiring{}, fmt.Errorf("store: figure %s has a drill-down in two domains", k)
			}
			w.drills[k] = f
			w.actions[k] = d.listAction
			if a, ok := d.listActions[k]; ok {
				w.actions[k] = a
			}
			if w.actions[k] == "" {
				w.actions[k] = dangvu.ActReports
			}
		}
		for k := range d.listActions {
			if _, ok := d.drills[k]; !ok {
				return wiring{}, fmt.Errorf("store: domain %s names the action of %s, which has no drill-down of it", d.name, k)
			}
		}
	}
	for _, t := range exchange.Tables() {
		if d, ok := w.tables[t.Name]; ok {
			w.steps = append(w.steps, importStep{d.name, d.load})
		}
	}
	return w, nil
}

// boundTable returns the binding of a domain table; false for a core table.
func (w *wiring) boundTable(name string) (domainTable, bool) {
	d, ok := w.tables[name]
	return d, ok
}

// reportSections returns the sections of every domain, in the list's order.
func (w *wiring) reportSections() []reportSection {
	var out []reportSection
	for _, d := range w.domains {
		out = append(out, d.sections...)
	}
	return out
}

// attentionSources returns the attention sources of every domain, in the list's order.
func (w *wiring) attentionSources() []attentionSource {
	var out []attentionSource
	for _, d := range w.domains {
		out = append(out, d.attention...)
	}
	return out
}
