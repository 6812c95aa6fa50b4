package dangvu

import (
	"bytes"
	"encoding/json"
	"time"
)

// ReportQuery asks for the term report of an organisation over a period, seen as of a date.
type ReportQuery struct {
	Org      string    // id or exact name as of AsOf
	From, To time.Time // the period, both days included
	AsOf     time.Time // the tree and roster date; default To
	Document string    // restricts dissemination figures to one document, e.g. "04-NQ/TW"
	// Secret: the reader may read secret documents (ActReadSecret). Otherwise lists and texts
	// count secret documents but do not name them (Secrecy.Readable).
	Secret bool
	// GroupFrom gives some groups of figures (ReportGroups) their own start of the period, as
	// the seed article counts admissions, Resolution 4 work and inspections over different
	// periods that all end on To.
	GroupFrom map[string]time.Time
}

// FromFor returns the start of the period that the figures of a group are counted from.
func (q ReportQuery) FromFor(group string) time.Time {
	if t, ok := q.GroupFrom[group]; ok && !t.IsZero() {
		return t
	}
	return q.From
}

// Figure is one entry of a report: a stable key (a contract for scripts), a Vietnamese label,
// and a value that is a number or, for the identifying entries, a string.
type Figure struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Value any    `json:"value"`
}

// Report is the term report: an ordered list of figures that each domain adds to. It marshals to
// one JSON object whose keys are the figures' keys, in order.
type Report struct {
	Figures []Figure
}

// Set adds or replaces a figure.
func (r *Report) Set(key, label string, v any) {
	for i := range r.Figures {
		if r.Figures[i].Key == key {
			r.Figures[i] = Figure{key, label, v}
			return
		}
	}
	r.Figures = append(r.Figures, Figure{key, label, v})
}

// Get returns a figure's value.
func (r *Report) Get(key string) (any, bool) {
	for _, f := range r.Figures {
		if f.Key == key {
			return f.Value, true
		}
	}
	return nil, false
}

// MarshalJSON writes the figures as one flat object in order.
func (r *Report) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range r.Figures {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.Key)
		v, err := json.Marshal(f.Value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// ReportList is the list of records behind a figure of the report (its drill-down): a title,
// column headings and rows of display text, each row optionally linking to the record's page.
type ReportList struct {
	Key     string     `json:"key"`
	Title   string     `json:"title"`
	Columns []string   `json:"columns"`
	Rows    [][]string `json:"rows"`
	Links   []string   `json:"links,omitempty"` // per row, "" when the record has no page
	// Action is what a role needs to see the list (e.g. ActInspection for discipline cases).
	Action Action `json:"-"`
}

// Report sections group figures by the period they are counted over. The seed article mixes three
// periods in one report (admissions since 01/01/2015, Resolution 4 work since its date,
// inspection since the congress), so a composite report computes each group over its own period.
const (
	GroupMembership    = "membership"    // as of a date
	GroupAdmission     = "admission"     // admissions and life-cycle acts in the period
	GroupDissemination = "dissemination" // documents, programmes and conferences
	GroupReview        = "review"        // review and classification
	GroupInspection    = "inspection"    // inspection, supervision and discipline
	GroupPosts         = "posts"         // concurrent posts, as of a date
	GroupDues          = "dues"          // party dues over the months of the period
	GroupMeetings      = "meetings"      // cell meetings and residence liaison in the period
)

// ReportGroups lists the groups in the order a report presents them, with their Vietnamese
// headings.
var ReportGroups = []Code[string]{
	{GroupMembership, "Tổ chức và đảng viên"},
	{GroupDissemination, "Học tập, quán triệt nghị quyết"},
	{GroupReview, "Kiểm điểm, đánh giá, xếp loại"},
	{GroupAdmission, "Kết nạp đảng viên"},
	{GroupPosts, "Kiêm nhiệm chức danh"},
	{GroupInspection, "Kiểm tra, giám sát, kỷ luật"},
	{GroupDues, "Đảng phí"},
	{GroupMeetings, "Sinh hoạt chi bộ, sinh hoạt nơi cư trú"},
}

// figureGroups maps every figure key of the term report to its group: the one mapping, read by
// the store, the report pages and reportout. Identifying entries (org_id, from...) are not
// figures and belong to GroupMembership, like any key not listed.
var figureGroups = map[string]string{
	"members": GroupMembership, "members_probationary": GroupMembership, "members_female": GroupMembership,
	"party_age_under_10": GroupMembership, "party_age_10_to_29": GroupMembership, "party_age_30_to_39": GroupMembership,
	"party_age_40_to_49": GroupMembership, "party_age_50_plus": GroupMembership, "party_age_unknown": GroupMembership,
	"admitted": GroupAdmission, "admission_rate_pct_per_year": GroupAdmission,
	"residential_cells": GroupPosts, "secretary_is_village_head": GroupPosts,
	"agency_units": GroupPosts, "head_is_secretary": GroupPosts, "cell_terms_aligned": GroupPosts,
	"action_programmes": GroupDissemination, "conferences_at_org_level": GroupDissemination,
	"conferences_grassroots": GroupDissemination, "study_coverage_pct": GroupDissemination,
	"study_members_in_scope": GroupDissemination, "study_members_not_reached": GroupDissemination,
	"committee_inspection_rounds": GroupInspection, "committee_inspected_organisations": GroupInspection,
	"commission_inspection_rounds": GroupInspection, "grassroots_inspection_visits": GroupInspection,
	"disciplined_organisations": GroupInspection, "disciplined_members": GroupInspection,
	"review_members_excellent": GroupReview, "review_members_good": GroupReview,
	"review_members_completed": GroupReview, "review_members_not_completed": GroupReview,
	"review_organisations_excellent": GroupReview, "review_organisations_good": GroupReview,
	"review_organisations_completed": GroupReview, "review_organisations_not_completed": GroupReview,
	"dues_members_liable": GroupDues, "dues_members_paid_all": GroupDues, "dues_owed_vnd": GroupDues,
	"dues_paid_vnd": GroupDues, "dues_remitted_vnd": GroupDues, "dues_members_in_arrears_3m": GroupDues,
	"dues_members_exempt":       GroupDues,
	"member_files_complete_pct": GroupMembership, "member_files_missing": GroupMembership, "badges_due": GroupMembership,
	"supplements_certified": GroupAdmission, "badges_awarded": GroupAdmission,
	"cell_meetings_held": GroupMeetings, "cell_meetings_expected": GroupMeetings, "cells_meeting_every_month": GroupMeetings,
	"thematic_meetings_held": GroupMeetings, "cell_meeting_attendance_pct": GroupMeetings,
	"cell_meetings_quality_good": GroupMeetings, "cell_meetings_quality_fair": GroupMeetings,
	"cell_meetings_quality_average": GroupMeetings, "cell_meetings_quality_poor": GroupMeetings,
	"members_absent_3m_unexcused": GroupMeetings, "residence_registrations": GroupMeetings, "residence_comments_returned": GroupMeetings,
}

// FigureListed reports whether a key has its group listed explicitly (a test checks that every
// figure of the report is).
func FigureListed(key string) bool {
	_, ok := figureGroups[key]
	return ok
}

// FigureGroup returns the group of a report key.
func FigureGroup(key string) string {
	if g, ok := figureGroups[key]; ok {
		return g
	}
	return GroupMembership
}
