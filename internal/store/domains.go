package store

import (
	"context"
	"fmt"

	"dangvu"
)

// domain is what one domain adds to the store's reports and home page, read directly by
// TermReport, ReportList and Attention (no registry filled from init functions). Its exchange
// tables are bound in domainTables (register.go); the group of each figure key is
// dangvu.FigureGroup's one mapping (report.go in the root package).
type domain struct {
	name string
	// sections add the domain's figures to the term report, in this order.
	sections []reportSection
	// drills list the records behind each of its figures that has a list, by figure key.
	drills map[string]reportDrill
	// attention lists its due and overdue items for the home page and /api/v1/attention.
	attention []attentionSource
}

// domains is the application's list of domains. Its order is the order of the term report's keys
// (a documented contract: internal/httpapi/testdata/report_keys.golden) and of the attention
// sources; adding a domain is one line here.
var domains = []domain{
	{name: "core", sections: []reportSection{coreSection}},
	disseminationDomain,
	inspectionDomain,
	admissionDomain,
	postsDomain,
	termsDomain,
	reviewsDomain,
}

var disseminationDomain = domain{
	name:     "dissemination",
	sections: []reportSection{disseminationSection},
	drills: map[string]reportDrill{
		"action_programmes":         drillProgrammes,
		"conferences_at_org_level":  drillConferences(true),
		"conferences_grassroots":    drillConferences(false),
		"study_members_not_reached": drillNotReached,
	},
	attention: []attentionSource{{dangvu.ActDocuments, taskAttention}},
}

var inspectionDomain = domain{
	name:     "inspection",
	sections: []reportSection{inspectionSection},
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
	name:      "reviews",
	sections:  []reportSection{reviewSection},
	drills:    reviewDrills(),
	attention: []attentionSource{{dangvu.ActReviews, remedyAttention}, {dangvu.ActReviews, selfReviewAttention}},
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

// reportSections returns the sections of every domain, in the list's order.
func reportSections() []reportSection {
	var out []reportSection
	for _, d := range domains {
		out = append(out, d.sections...)
	}
	return out
}

// allDrills is every domain's drill-downs by figure key, built once from domains; a key listed by
// two domains stops the program at start.
var allDrills = func() map[string]reportDrill {
	m := map[string]reportDrill{}
	for _, d := range domains {
		for k, f := range d.drills {
			if _, dup := m[k]; dup {
				panic(fmt.Sprintf("store: figure %s has a drill-down in two domains", k))
			}
			m[k] = f
		}
	}
	return m
}()

func reportDrills() map[string]reportDrill { return allDrills }

// attentionSources returns the attention sources of every domain, in the list's order.
func attentionSources() []attentionSource {
	var out []attentionSource
	for _, d := range domains {
		out = append(out, d.attention...)
	}
	return out
}
