package dangvu

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// DocKind is the kind of a party document, written as its abbreviation in the number and symbol
// ("NQ" in "04-NQ/TW"). Source: HD 36-HD/VPTW (2018) on the format of party documents; the
// full official table of abbreviations is not confirmed here (domain.md §2, "check").
type DocKind string

const (
	DocResolution DocKind = "NQ"  // nghị quyết
	DocDirective  DocKind = "CT"  // chỉ thị
	DocConclusion DocKind = "KL"  // kết luận
	DocDecision   DocKind = "QĐ"  // quyết định
	DocGuidance   DocKind = "HD"  // hướng dẫn
	DocReport     DocKind = "BC"  // báo cáo
	DocPlan       DocKind = "KH"  // kế hoạch
	DocProgramme  DocKind = "CTr" // chương trình
	DocNotice     DocKind = "TB"  // thông báo
	DocSubmission DocKind = "TTr" // tờ trình
	DocLetter     DocKind = "CV"  // công văn
)

// DocKinds lists the kinds with their Vietnamese names.
var DocKinds = []Code[DocKind]{
	{DocResolution, "Nghị quyết"}, {DocDirective, "Chỉ thị"}, {DocConclusion, "Kết luận"},
	{DocDecision, "Quyết định"}, {DocGuidance, "Hướng dẫn"}, {DocReport, "Báo cáo"},
	{DocPlan, "Kế hoạch"}, {DocProgramme, "Chương trình"}, {DocNotice, "Thông báo"},
	{DocSubmission, "Tờ trình"}, {DocLetter, "Công văn"},
}

// IsProgramme reports whether documents of the kind are action programmes or plans, which carry
// tasks.
func (k DocKind) IsProgramme() bool { return k == DocProgramme || k == DocPlan }

// DocNumber is a party document's number and symbol: "04-NQ/TW" is number 4 of the kind NQ issued
// by TW. Numbers run per kind and per term of the issuing organisation (domain.md §2).
type DocNumber struct {
	Seq    int
	Kind   DocKind
	Issuer string // the issuer code: TW, TU, HU, ĐU, CB, UBKT, VPTW...
}

// String writes the number in the party format; numbers under 10 take a leading zero
// ("04-NQ/TW", "12-CTr/TU").
func (n DocNumber) String() string {
	return fmt.Sprintf("%02d-%s/%s", n.Seq, n.Kind, n.Issuer)
}

// maxDocSeq bounds the number of one kind in one term.
const maxDocSeq = 99999

// ParseDocNumber reads a number and symbol as people write it: "04-NQ/TW", "Số 12-CTr/TU",
// "số 4 - NQ / TW", "04-nq/tw", "12-QD/TU" (without the Đ). The kind is matched regardless of
// case and of the Đ/D spelling and returned in its canonical form; the issuer code is upper-cased.
func ParseDocNumber(s string) (DocNumber, error) {
	bad := func(why string) (DocNumber, error) {
		return DocNumber{}, Errorf(EInvalid, "số, ký hiệu văn bản %q không hợp lệ: %s (ví dụ 04-NQ/TW)", s, why)
	}
	if !utf8.ValidString(s) {
		return bad("không phải văn bản UTF-8")
	}
	t := strings.Join(strings.Fields(s), " ")
	for _, p := range []string{"Số ", "số ", "SỐ ", "So ", "so "} {
		t = strings.TrimPrefix(t, p)
	}
	t = strings.TrimPrefix(strings.TrimPrefix(t, "Số:"), "số:")
	t = strings.ReplaceAll(t, " ", "")
	num, rest, ok := strings.Cut(t, "-")
	if !ok {
		return bad("thiếu dấu gạch ngang giữa số và loại văn bản")
	}
	kind, issuer, ok := strings.Cut(rest, "/")
	if !ok {
		return bad("thiếu dấu gạch chéo trước cơ quan ban hành")
	}
	if num == "" || len(num) > 5 {
		return bad("số thứ tự phải là số nguyên dương tối đa 5 chữ số")
	}
	for _, c := range num {
		if c < '0' || c > '9' {
			return bad("số thứ tự phải là số nguyên dương")
		}
	}
	seq, _ := strconv.Atoi(num)
	if seq < 1 || seq > maxDocSeq {
		return bad("số thứ tự phải từ 1 trở lên")
	}
	k, ok := docKindOf(kind)
	if !ok {
		return bad(fmt.Sprintf("loại văn bản %q không có trong danh mục (NQ, CT, KL, QĐ, HD, BC, KH, CTr, TB, TTr, CV)", kind))
	}
	iss := strings.ToUpper(issuer)
	if err := ValidIssuerCode(iss); err != nil {
		return bad(err.Error())
	}
	return DocNumber{Seq: seq, Kind: k, Issuer: iss}, nil
}

// foldDD folds Đ/đ to D for comparing kinds written without the Vietnamese letter.
func foldDD(s string) string {
	return strings.ToUpper(strings.NewReplacer("Đ", "D", "đ", "D").Replace(s))
}

func docKindOf(s string) (DocKind, bool) {
	for _, k := range DocKinds {
		if foldDD(string(k.Code)) == foldDD(s) {
			return k.Code, true
		}
	}
	return "", false
}

// ValidIssuerCode checks an issuer code: 1 to 12 upper-case letters (Đ included) or digits,
// optionally in parts joined by "-" ("ĐU", "UBKT", "VPTW", "BTCTW", "ĐUK").
func ValidIssuerCode(c string) error {
	if c == "" {
		return Errorf(EInvalid, "thiếu mã cơ quan ban hành")
	}
	if utf8.RuneCountInString(c) > 12 {
		return Errorf(EInvalid, "mã cơ quan ban hành %q dài quá 12 ký tự", c)
	}
	for i, r := range c {
		switch {
		case r == 'Đ', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case r == '-' && i > 0 && i < len(c)-1:
		default:
			if unicode.IsLower(r) {
				return Errorf(EInvalid, "mã cơ quan ban hành %q phải viết hoa", c)
			}
			return Errorf(EInvalid, "mã cơ quan ban hành %q chỉ gồm chữ in hoa và chữ số", c)
		}
	}
	return nil
}

// Direction says whether a document came from elsewhere or was issued by the organisation whose
// register holds it.
type Direction string

const (
	DirIncoming Direction = "incoming" // văn bản đến
	DirOwn      Direction = "own"      // văn bản do cấp ủy ban hành
)

var Directions = []Code[Direction]{{DirIncoming, "Văn bản đến"}, {DirOwn, "Văn bản cấp ủy ban hành"}}

// Secrecy is a document's secrecy level. Documents above SecrecyNone are shown only to roles with
// ActReadSecret.
type Secrecy string

const (
	SecrecyNone           Secrecy = "none"            // thường
	SecrecySecret         Secrecy = "secret"          // mật
	SecrecyTopSecret      Secrecy = "top_secret"      // tối mật
	SecrecyAbsoluteSecret Secrecy = "absolute_secret" // tuyệt mật
)

// Secrecies lists the levels: the three state-secret levels of Law 29/2018/QH14 and Law
// 117/2025/QH15 (protection periods in internal/rules/documents) and ordinary documents.
var Secrecies = []Code[Secrecy]{{SecrecyNone, "Thường"}, {SecrecySecret, "Mật"}, {SecrecyTopSecret, "Tối mật"}, {SecrecyAbsoluteSecret, "Tuyệt mật"}}

// Document is an entry of an organisation's document register.
type Document struct {
	ID          string    `json:"id"`
	OrgID       string    `json:"org_id"` // whose register holds it; the issuer for own documents
	OrgName     string    `json:"org_name,omitempty"`
	Direction   Direction `json:"direction"`
	Number      string    `json:"number"` // "04-NQ/TW"
	Seq         int       `json:"seq"`
	Kind        DocKind   `json:"kind"`
	Issuer      string    `json:"issuer"`                  // issuer code
	IssuerOrgID string    `json:"issuer_org_id,omitempty"` // the issuing organisation when it is in the tree
	Date        Date      `json:"date"`                    // ISO date of signature
	ReceivedOn  Date      `json:"received_on,omitzero"`
	Title       string    `json:"title"`
	File        string    `json:"file,omitempty"` // where the scanned file is kept
	Secrecy     Secrecy   `json:"secrecy"`
	Implements  string    `json:"implements,omitempty"` // id of the document this one carries out
	ReportsOn   string    `json:"reports_on,omitempty"` // id of the document this one reports on
}

// Secret reports whether the document needs ActReadSecret.
func (d Document) Secret() bool { return !d.Secrecy.ReadableBy("") }

// ReadableBy reports whether a role may read a document of this secrecy level, or see its
// number, title or tasks anywhere. It is the one secrecy rule: the document page and every list,
// report, attention item and export apply it (Readable for a reader known by the right, and in
// SQL the store's docReadableSQL).
func (s Secrecy) ReadableBy(r UserRole) bool { return s.Readable(r.Can(ActReadSecret)) }

// Readable is ReadableBy for a reader who may (secret) or may not read secret documents.
func (s Secrecy) Readable(secret bool) bool { return s == "" || s == SecrecyNone || secret }

// SecretMark stands in a list, a report or a study record for the number of a secret document
// that its reader may not read, so that counts still add up without naming it.
const SecretMark = "(văn bản mật)"

// TaskStatus is the state of a programme's task.
type TaskStatus string

const (
	TaskPending    TaskStatus = "pending"     // chưa thực hiện
	TaskInProgress TaskStatus = "in_progress" // đang thực hiện
	TaskDone       TaskStatus = "done"        // hoàn thành
)

var TaskStatuses = []Code[TaskStatus]{{TaskPending, "Chưa thực hiện"}, {TaskInProgress, "Đang thực hiện"}, {TaskDone, "Hoàn thành"}}

// Task is a task of an action programme or plan, assigned to an organisation, a member or a
// named agency or unit.
type Task struct {
	ID               string     `json:"id"`
	DocumentID       string     `json:"document_id"`
	Title            string     `json:"title"`
	AssigneeOrgID    string     `json:"assignee_org_id,omitempty"`
	AssigneeMemberID string     `json:"assignee_member_id,omitempty"`
	AssigneeName     string     `json:"assignee_name"` // as the programme names it
	Deadline         Date       `json:"deadline"`
	Status           TaskStatus `json:"status"`
	DoneOn           Date       `json:"done_on,omitzero"`
	Overdue          bool       `json:"overdue"` // computed for the date asked
	Notes            []TaskNote `json:"notes,omitempty"`
}

// OverdueOn reports whether the task is past its deadline and not done on day.
func (t Task) OverdueOn(day Date) bool {
	return t.Deadline.Before(day) && (t.DoneOn.IsZero() || t.DoneOn.After(day))
}

// AsOf returns the task as it stood on day: its status from the last progress note dated on
// or before day (pending when its notes all come later), done only from its done date, and
// Overdue computed for day. A task without notes keeps its recorded status, short of done.
func (t Task) AsOf(day Date) Task {
	out := t
	out.Notes = nil
	var last *TaskNote
	for i := range t.Notes {
		if !t.Notes[i].Date.After(day) {
			out.Notes = append(out.Notes, t.Notes[i])
			last = &t.Notes[i]
		}
	}
	switch {
	case !t.DoneOn.IsZero() && !t.DoneOn.After(day):
		out.Status = TaskDone
	case last != nil:
		out.Status = last.Status
	case len(t.Notes) > 0:
		out.Status = TaskPending
	case t.Status == TaskDone:
		out.Status = TaskInProgress
	}
	if t.DoneOn.After(day) {
		out.DoneOn = Date{}
	}
	out.Overdue = t.OverdueOn(day)
	return out
}

// TaskNote is a dated progress report on a task, with its evidence.
type TaskNote struct {
	TaskID   string     `json:"task_id"`
	Date     Date       `json:"date"`
	Status   TaskStatus `json:"status"`
	Note     string     `json:"note"`
	Evidence string     `json:"evidence,omitempty"`
}

// DocumentFilter selects documents of the register.
type DocumentFilter struct {
	Under  string    // the registers of this organisation's subtree and of its ancestors
	AsOf   time.Time // the tree's date
	Kind   DocKind
	Query  string // diacritic-insensitive, in the number or the title
	Secret bool   // include secret documents
	Limit  int
}

// StudyDoc is a document a member's organisation must study, with the member's status: studied
// on StudiedOn (the earliest conference they attended, or the make-up date) or not yet.
type StudyDoc struct {
	Document  Document `json:"document"`
	Why       string   `json:"why"`                  // "conference" or "programme": what made it required
	StudiedOn Date     `json:"studied_on,omitzero"`  // zero = chưa học
	StudiedAt string   `json:"studied_at,omitempty"` // the conference id
}
