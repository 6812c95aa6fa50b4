package dangvu

import "time"

// ConferenceKind tells a study conference from a training course.
type ConferenceKind string

const (
	ConfStudy  ConferenceKind = "conference" // hội nghị học tập, quán triệt
	ConfCourse ConferenceKind = "course"     // lớp bồi dưỡng, tập huấn
)

var ConferenceKinds = []Code[ConferenceKind]{{ConfStudy, "Hội nghị học tập, quán triệt"}, {ConfCourse, "Lớp bồi dưỡng, tập huấn"}}

// Conference is a study conference or a training course organised by an organisation (its level
// is the organiser's) for the members of a scope: an organisation subtree as of the conference's
// date, exempt members excluded (domain.md §5).
type Conference struct {
	ID          string         `json:"id"`
	Kind        ConferenceKind `json:"kind"`
	OrgID       string         `json:"org_id"` // the organiser
	OrgName     string         `json:"org_name,omitempty"`
	ScopeOrgID  string         `json:"scope_org_id"` // whose members are expected
	Title       string         `json:"title"`
	Date        Date           `json:"date"`
	EndDate     Date           `json:"end_date,omitzero"` // courses last several days
	Place       string         `json:"place"`
	Presenter   string         `json:"presenter"`
	Reflection  bool           `json:"reflection"` // members write a reflection (bài thu hoạch)
	DocumentIDs []string       `json:"document_ids"`
}

// AttendanceStatus is how a member in scope took part.
type AttendanceStatus string

const (
	AttPresent  AttendanceStatus = "present"        // có mặt
	AttExcused  AttendanceStatus = "absent_excused" // vắng có lý do
	AttAbsent   AttendanceStatus = "absent"         // vắng không lý do
	AttMadeUp   AttendanceStatus = "made_up"        // học bù sau
	attNoRecord AttendanceStatus = ""
)

var AttendanceStatuses = []Code[AttendanceStatus]{
	{AttPresent, "Có mặt"}, {AttExcused, "Vắng có lý do"}, {AttAbsent, "Vắng không lý do"}, {AttMadeUp, "Học bù"},
}

// Attendance is one member's line on a conference's attendance sheet.
type Attendance struct {
	ConferenceID string           `json:"conference_id"`
	MemberID     string           `json:"member_id"`
	MemberName   string           `json:"member_name,omitempty"`
	OrgID        string           `json:"org_id,omitempty"` // the member's organisation on the day
	Status       AttendanceStatus `json:"status"`
	Reason       string           `json:"reason,omitempty"`
	MadeUpOn     Date             `json:"made_up_on,omitzero"` // ISO, for AttMadeUp
}

// Studied reports whether the line counts as having studied the conference's documents by day:
// present at the conference held on confDate, or made up by then.
func (a Attendance) Studied(confDate, day Date) bool {
	switch a.Status {
	case AttPresent:
		return !confDate.After(day)
	case AttMadeUp:
		return !a.MadeUpOn.IsZero() && !a.MadeUpOn.After(day)
	}
	return false
}

// CheckAttendance validates a line against the rules of the sheet: a reason for an excused
// absence, a make-up date on or after the conference for a make-up, none otherwise.
func CheckAttendance(a Attendance, confDate Date) []FieldError {
	var errs []FieldError
	switch a.Status {
	case AttPresent, AttAbsent, AttExcused, AttMadeUp:
	case attNoRecord:
		errs = append(errs, FieldError{Field: "status", Reason: "bắt buộc: có mặt, vắng có lý do, vắng không lý do hoặc học bù"})
	default:
		errs = append(errs, FieldError{Field: "status", Reason: "giá trị " + string(a.Status) + " không hợp lệ; dùng present, absent_excused, absent hoặc made_up"})
	}
	if a.Status == AttExcused && a.Reason == "" {
		errs = append(errs, FieldError{Field: "reason", Reason: "vắng có lý do cần ghi lý do"})
	}
	if a.Status == AttMadeUp {
		switch {
		case a.MadeUpOn.IsZero():
			errs = append(errs, FieldError{Field: "made_up_on", Reason: "học bù cần ghi ngày học bù"})
		case a.MadeUpOn.Before(confDate):
			errs = append(errs, FieldError{Field: "made_up_on", Reason: "ngày học bù trước ngày hội nghị"})
		}
	} else if !a.MadeUpOn.IsZero() {
		errs = append(errs, FieldError{Field: "made_up_on", Reason: "chỉ ghi ngày học bù khi trạng thái là học bù"})
	}
	return errs
}

// Coverage is how far a document (or the documents of a period) reached the members who had to
// study it, in an organisation's subtree as of a date.
type Coverage struct {
	OrgID      string           `json:"org_id"`
	OrgName    string           `json:"org_name"`
	AsOf       Date             `json:"as_of"`
	Documents  []string         `json:"documents"` // numbers
	InScope    int              `json:"in_scope"`  // members who had to study
	Reached    int              `json:"reached"`   // of whom studied in any session by AsOf
	Pct        float64          `json:"pct"`       // 100 × Reached ÷ InScope, two decimals
	Children   []Coverage       `json:"children,omitempty"`
	NotReached []CoverageMember `json:"not_reached,omitempty"`
}

// CoverageMember is a member in scope who has not studied a document yet.
type CoverageMember struct {
	MemberID string `json:"member_id"`
	Name     string `json:"name"`
	OrgID    string `json:"org_id"`
	OrgName  string `json:"org_name"`
	Document string `json:"document"`
}

// Reflection is a member's written reflection (bài thu hoạch) on a document after studying it.
type Reflection struct {
	ID           string `json:"id"`
	MemberID     string `json:"member_id"`
	DocumentID   string `json:"document_id"`
	ConferenceID string `json:"conference_id,omitempty"`
	Date         Date   `json:"date"`
	Text         string `json:"text"`
}

// MaxReflection bounds a reflection's length in characters.
const MaxReflection = 20000

// ConferenceFilter selects conferences: organised within Under's subtree (as the tree stood on
// each conference's date), in [From, To] when set, studying DocumentID when set.
type ConferenceFilter struct {
	Under          string
	From, To       time.Time // inclusive; the zero time for an open end
	DocumentID     string
	DocumentNumber string // every register's copy of the document ("04-NQ/TW")
	Limit          int
}

// StudyItem is a line of a member's own study record: a conference of their organisation or
// above, its documents, and the member's line.
type StudyItem struct {
	Conference  Conference       `json:"conference"`
	Documents   []string         `json:"documents"` // numbers
	Status      AttendanceStatus `json:"status"`    // the attendance status, "" when not marked
	Reason      string           `json:"reason,omitempty"`
	MadeUpOn    Date             `json:"made_up_on,omitzero"`
	Reflections []string         `json:"reflections,omitempty"` // ids of the member's reflections on its documents
}
