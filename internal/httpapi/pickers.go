package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/vn"
)

// Pickers by name for the fields of record forms that name a member (issue 13, defect 7): the
// field takes a member's code, as before, or their name from any of its words, with or without
// diacritics ("nguyen van d", "van d"), looked for with the member search within the writer's subtree. One match is
// written back as the code; several re-render the form with the candidates as radio buttons
// ("pick.<field>") beside the field, every other value kept; none is said next to the field. No
// script is needed. A name is never looked for outside the subtree, so that the answer cannot
// tell a name in another ward from one that does not exist.

// pickLimit is the number of candidates offered beside a field; more say "type more".
const pickLimit = 8

// pickOption is one candidate beside a field: its code, its name and what tells namesakes apart.
type pickOption struct {
	ID, Name, Note string
}

// pickMember resolves the member field of a posted form as of asOf.
func (s *Server) pickMember(r *http.Request, f *formState, field string, asOf time.Time) error {
	if chosen := strings.TrimSpace(r.PostFormValue("pick." + field)); chosen != "" {
		f.Values[field] = chosen // checked against the subtree as any typed code is
		return nil
	}
	typed := f.Values[field]
	m, err := s.matchMember(r, typed, asOf)
	if err != nil {
		return err
	}
	switch {
	case m.id != "":
		f.Values[field] = m.id
	case m.msg != "":
		f.offer(field, m.msg, m.opts)
	}
	return nil
}

// offer places what a typed name matched, when it is not one record: the message beside the
// field, as any error of the form is (placeErrors), and the candidates, if any, under it.
func (f *formState) offer(field, msg string, opts []pickOption) {
	f.absorb(refuse(field, msg))
	if len(opts) > 0 {
		if f.Choices == nil {
			f.Choices = map[string][]pickOption{}
		}
		f.Choices[field] = opts
	}
}

// typedName is the name a picker looks for in a field, "" when there is none to look for: a
// candidate was ticked (pick.<field>, now the field's value, checked against the subtree as any
// typed code is), nothing was typed, the reader is a member's account (it names only itself),
// or the text is a code (isCode: the write's own check answers for one out of reach).
func (s *Server) typedName(r *http.Request, f *formState, field string, isCode func(string) bool) string {
	if chosen := strings.TrimSpace(r.PostFormValue("pick." + field)); chosen != "" {
		f.Values[field] = chosen
		return ""
	}
	typed := f.Values[field]
	if u := s.user(r); typed == "" || u == nil || u.UserRole == dangvu.UserMember || isCode(typed) {
		return ""
	}
	return typed
}

// pickWords name what a picker looks for in its messages.
type pickWords struct {
	none   string // "cuộc kiểm tra, giám sát": there is no … matching
	many   string // "cuộc kiểm tra, giám sát": … matches several …
	others string // "những cuộc khác": and … (type more)
	one    string // "một cuộc": choose … below
}

// offerMatches resolves a typed name from the records that matched it (pickRound,
// pickProgramme): one is written back as its code; none is said beside the field, unless the
// text can only be a code (the write's own check answers, as for one that does not exist);
// several, at most pickLimit, are offered beside the field.
func (f *formState) offerMatches(field, typed string, opts []pickOption, w pickWords) {
	switch {
	case len(opts) == 1:
		f.Values[field] = opts[0].ID
	case len(opts) == 0 && codeLike(typed):
	case len(opts) == 0:
		f.offer(field, fmt.Sprintf("không có %s nào khớp với %q trong phạm vi của bạn", w.none, typed), nil)
	default:
		more := ""
		if len(opts) > pickLimit {
			opts, more = opts[:pickLimit], " (và "+w.others+": gõ thêm để thu hẹp)"
		}
		f.offer(field, fmt.Sprintf("%q khớp với nhiều %s%s: chọn %s dưới đây hoặc gõ mã", typed, w.many, more, w.one), opts)
	}
}

// memberMatch is what a member field's text names: id when one member (or the text is a code,
// left for the write's own check, which answers as for a code that does not exist); else msg,
// with the candidates when several match.
type memberMatch struct {
	id   string
	opts []pickOption
	msg  string
	none bool // no member of the subtree bears the name
}

// matchMember looks typed up as a code or a name from any of its words in the user's subtree.
func (s *Server) matchMember(r *http.Request, typed string, asOf time.Time) (memberMatch, error) {
	u := s.user(r)
	if typed == "" || u == nil || u.UserRole == dangvu.UserMember {
		return memberMatch{id: typed}, nil // a member's account names only itself: no search of other names
	}
	page, err := s.Store.Members(r.Context(), dangvu.MemberFilter{AsOf: asOf, Under: s.defaultOrg(r, ""), Query: typed, Limit: pickLimit + 1})
	var e *dangvu.Error
	switch {
	case dangvu.ErrorCode(err) == dangvu.ENotFound:
		page.Members = nil // the user's organisation ended before asOf: nothing in reach
	case err != nil && errors.As(err, &e):
		return memberMatch{msg: e.Message}, nil
	case err != nil:
		return memberMatch{}, err
	}
	for _, m := range page.Members {
		if m.ID == typed {
			return memberMatch{id: typed}, nil // the code itself
		}
	}
	switch n := len(page.Members); {
	case n == 1:
		return memberMatch{id: page.Members[0].ID}, nil
	case n == 0 && !strings.Contains(typed, " ") && strings.IndexFunc(typed, func(c rune) bool { return c >= '0' && c <= '9' }) >= 0:
		// A code not in reach ("Chi bộ khu 2" is a name): the write's own check answers.
		return memberMatch{id: typed}, nil
	case n == 0:
		return memberMatch{none: true, msg: fmt.Sprintf("không có đảng viên nào có tên khớp với %q trong phạm vi của bạn vào ngày %s", typed, vn.FormatDate(asOf))}, nil
	default:
		opts := make([]pickOption, 0, min(n, pickLimit))
		for _, m := range page.Members[:min(n, pickLimit)] {
			var note []string
			if m.BirthDate != "" {
				note = append(note, "sinh "+partialVN(m.BirthDate))
			}
			if m.OrgName != "" {
				note = append(note, m.OrgName)
			}
			opts = append(opts, pickOption{ID: m.ID, Name: m.FullName, Note: strings.Join(note, ", ")})
		}
		more := ""
		if n > pickLimit {
			more = " (và những người khác: gõ thêm tên để thu hẹp)"
		}
		return memberMatch{opts: opts, msg: fmt.Sprintf("%q khớp với nhiều đảng viên%s: chọn trong danh sách dưới đây hoặc gõ mã", typed, more)}, nil
	}
}

// roundSubjects reads a new round's subjects: one a line (or separated by commas, semicolons),
// each a member's or an organisation's code — several codes on a line may be separated by
// spaces, as before — or a name: the beginning of a member's name, else any unambiguous part of
// an organisation's, both within the writer's subtree. A name several members bear lists them
// as checkboxes (pick.subjects); once some are ticked, such names stand for the ticked members.
// Member ids are told from organisation ids by looking them up; a member outside the subtree is
// taken for an organisation id, so that the answer is the one for an unknown id.
func (s *Server) roundSubjects(r *http.Request, f *formState, in *dangvu.InspectionRound) error {
	on := s.dayOf(in.DecidedOn)
	member := func(id string) bool {
		_, err := s.Store.Member(r.Context(), id, s.today())
		return err == nil && s.checkRefs(r, ref{kind: "members", id: id, on: on}) == nil
	}
	org := func(id string) bool {
		o, err := s.Store.ResolveOrg(r.Context(), id, on)
		return err == nil && o.ID == id
	}
	add := func(id string) {
		if member(id) {
			in.Subjects = append(in.Subjects, dangvu.RoundSubject{MemberID: id})
		} else {
			in.Subjects = append(in.Subjects, dangvu.RoundSubject{OrgID: id})
		}
	}
	picked := r.PostForm["pick.subjects"]
	var msgs []string
	var opts []pickOption
items:
	for _, item := range strings.FieldsFunc(f.Values["subjects"], func(c rune) bool { return c == ',' || c == '\n' || c == ';' || c == '\r' }) {
		if item = strings.TrimSpace(item); item == "" {
			continue
		}
		if member(item) || org(item) {
			add(item)
			continue
		}
		if words := strings.Fields(item); len(words) > 1 {
			all := true
			for _, w := range words {
				all = all && (member(w) || org(w) || codeLike(w))
			}
			if all {
				for _, w := range words {
					add(w)
				}
				continue
			}
		}
		m, err := s.matchMember(r, item, on)
		switch {
		case err != nil:
			return err
		case m.id != "":
			add(m.id)
			continue items
		case len(m.opts) > 0:
			if len(picked) == 0 {
				msgs, opts = append(msgs, m.msg), append(opts, m.opts...)
			}
			continue items
		}
		o, err := s.findOrg(r, item, on)
		switch {
		case err == nil && s.checkOrg(r, o.ID, on) == nil:
			in.Subjects = append(in.Subjects, dangvu.RoundSubject{OrgID: o.ID})
		case err == nil || dangvu.ErrorCode(err) == dangvu.ENotFound:
			msgs = append(msgs, fmt.Sprintf("không có đảng viên hay tổ chức đảng nào khớp với %q trong phạm vi của bạn", item))
		case dangvu.ErrorCode(err) == dangvu.EInvalid:
			var e *dangvu.Error
			if errors.As(err, &e) && len(e.Fields) > 0 {
				msgs = append(msgs, e.Fields[0].Reason)
			} else {
				msgs = append(msgs, dangvu.ErrorMessage(err))
			}
		default:
			return err
		}
	}
	for _, id := range picked {
		if id = strings.TrimSpace(id); id != "" {
			add(id)
		}
	}
	if len(msgs) > 0 {
		f.offer("subjects", strings.Join(msgs, "; "), opts)
	}
	return nil
}

// docMatch is what a document field's text names: id when one document the user may read,
// else msg, with the candidates when several match.
type docMatch struct {
	id   string
	opts []pickOption
	msg  string
}

// matchDocument looks typed up as a document's id, its number ("04-NQ/TW"), or any part of its
// number or title without diacritics, among the documents the user may read today: the registers
// of their subtree and of the levels above, secret ones only for those who may see them.
func (s *Server) matchDocument(r *http.Request, typed string) (docMatch, error) {
	today := s.today()
	if _, err := s.Store.Document(r.Context(), typed); err == nil && s.checkDocument(r, typed, today) == nil {
		return docMatch{id: typed}, nil
	}
	ids, err := s.Store.DocumentsByNumber(r.Context(), typed)
	if err != nil {
		return docMatch{}, err
	}
	var seen []string
	for _, id := range ids {
		if s.checkDocument(r, id, today) == nil {
			seen = append(seen, id)
		}
	}
	if len(seen) == 1 {
		return docMatch{id: seen[0]}, nil
	}
	docs, err := s.Store.Documents(r.Context(), dangvu.DocumentFilter{Under: s.defaultOrg(r, ""), AsOf: today, Query: typed, Secret: s.canSecret(r), Limit: pickLimit + 1})
	if err != nil && dangvu.ErrorCode(err) != dangvu.ENotFound {
		return docMatch{}, err
	}
	var opts []pickOption
	for _, d := range docs {
		if s.checkDocument(r, d.ID, today) == nil {
			opts = append(opts, pickOption{ID: d.ID, Name: strings.TrimSpace(d.Number + " " + d.Title), Note: dateDMY(d.Date)})
		}
	}
	switch {
	case len(opts) == 1:
		return docMatch{id: opts[0].ID}, nil
	case len(opts) == 0:
		return docMatch{msg: fmt.Sprintf("không có văn bản %q trong sổ văn bản bạn xem được", typed)}, nil
	}
	more := ""
	if len(opts) > pickLimit {
		opts, more = opts[:pickLimit], " (và những văn bản khác: gõ thêm để thu hẹp)"
	}
	return docMatch{opts: opts, msg: fmt.Sprintf("%q khớp với nhiều văn bản%s: chọn một văn bản dưới đây hoặc gõ số, ký hiệu", typed, more)}, nil
}

// pickRound resolves an inspection round field of a posted form: the round's code, or any part
// of its decision's number or its title without diacritics, among the rounds conducted within
// the user's subtree (the listing of /inspections); several matches are offered as choices.
func (s *Server) pickRound(r *http.Request, f *formState, field string) error {
	typed := s.typedName(r, f, field, func(code string) bool { _, err := s.Store.Round(r.Context(), code); return err == nil })
	if typed == "" {
		return nil
	}
	rounds, err := s.Store.Rounds(r.Context(), dangvu.RoundFilter{Under: s.defaultOrg(r, ""), Limit: 2000})
	if err != nil && dangvu.ErrorCode(err) != dangvu.ENotFound {
		return err
	}
	part := vn.Fold(typed)
	var opts []pickOption
	for _, x := range rounds {
		if strings.Contains(vn.Fold(x.Decision+" "+x.Title), part) {
			opts = append(opts, pickOption{ID: x.ID, Name: strings.TrimSpace(x.Decision + " " + x.Title), Note: "quyết định ngày " + dateDMY(x.DecidedOn)})
		}
	}
	f.offerMatches(field, typed, opts, pickWords{none: "cuộc kiểm tra, giám sát", many: "cuộc kiểm tra, giám sát", others: "những cuộc khác", one: "một cuộc"})
	return nil
}

// pickPost resolves the post field of a removal decision: a post's code, or any part of its
// title or role ("bí thư") among the posts the decision's member holds on day (ISO). Run after
// the member is resolved; an organisation's decision or a member not yet known leaves it as is.
func (s *Server) pickPost(r *http.Request, f *formState, field, memberID string, on dangvu.Date) error {
	if chosen := strings.TrimSpace(r.PostFormValue("pick." + field)); chosen != "" {
		f.Values[field] = chosen
		return nil
	}
	typed := f.Values[field]
	if typed == "" || memberID == "" || on.IsZero() {
		return nil
	}
	h, err := s.Store.MemberHistory(r.Context(), memberID)
	if err != nil {
		return nil // the member's own check answers
	}
	part := vn.Fold(typed)
	var opts []pickOption
	for _, p := range h.Posts {
		if p.ValidFrom.After(on) || (!p.ValidTo.IsZero() && !p.ValidTo.After(on)) {
			continue
		}
		if p.ID == typed {
			return nil
		}
		role := dangvu.CodeName(dangvu.PostRoles, p.Role)
		if strings.Contains(vn.Fold(p.Title+" "+role), part) {
			opts = append(opts, pickOption{ID: p.ID, Name: strings.TrimSpace(p.Title), Note: role + ", từ " + dateDMY(p.ValidFrom)})
		}
	}
	switch {
	case len(opts) == 1:
		f.Values[field] = opts[0].ID
	case len(opts) == 0:
		if strings.Contains(typed, " ") || strings.IndexFunc(typed, func(c rune) bool { return c >= '0' && c <= '9' }) < 0 {
			f.offer(field, fmt.Sprintf("đảng viên không giữ chức vụ nào khớp với %q vào ngày quyết định", typed), nil)
		}
	default:
		f.offer(field, fmt.Sprintf("%q khớp với nhiều chức vụ của đảng viên: chọn một dưới đây hoặc gõ mã", typed), opts)
	}
	return nil
}

// pickOrg resolves an organisation field of a posted form with findOrg (a code, or any
// unambiguous part of a name within the user's subtree) as of on; several matches are named
// beside the field (store.FindOrg lists them); one unknown is left for the write's own check.
func (s *Server) pickOrg(r *http.Request, f *formState, field string, on time.Time) error {
	typed := f.Values[field]
	if typed == "" {
		return nil
	}
	o, err := s.findOrg(r, typed, on)
	var e *dangvu.Error
	switch {
	case err == nil:
		f.Values[field] = o.ID
	case dangvu.ErrorCode(err) == dangvu.ENotFound:
	case dangvu.ErrorCode(err) == dangvu.EInvalid && errors.As(err, &e) && len(e.Fields) > 0:
		f.offer(field, e.Fields[0].Reason, nil)
	default:
		return err
	}
	return nil
}

// codeLike tells a typed word that can only be a code (capitals, digits, dashes, with a digit:
// "M000475", "UB-PN-K06") from a word of a name; an unknown one is answered as an unknown code.
func codeLike(w string) bool {
	digit := false
	for _, c := range w {
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'A' && c <= 'Z', c == '-', c == '_', c == '.':
		default:
			return false
		}
	}
	return digit
}

// pickHandler resolves the organisation that handles an appeal: as pickOrg within the writer's
// subtree, else among the levels above it (an appeal goes up; their names the user sees on the
// documents of the levels above anyway), by code or any part of the name; several are named.
func (s *Server) pickHandler(r *http.Request, f *formState, field string, on time.Time) error {
	typed := f.Values[field]
	if err := s.pickOrg(r, f, field, on); err != nil || typed == "" || f.Values[field] != typed || f.Errors[field] != "" {
		return err
	}
	if o, err := s.Store.ResolveOrg(r.Context(), typed, on); err == nil && o.ID == typed {
		return nil // a code: the write's own check answers
	}
	u := s.user(r)
	if u == nil {
		return nil
	}
	root, err := s.Store.ScopeRoot(r.Context(), *u, on)
	if err != nil || root == "" {
		return nil // the write's own check answers
	}
	part := vn.Fold(typed)
	var opts []pickOption
	for _, id := range strings.Split(strings.Trim(root, "/"), "/") {
		o, err := s.Store.Org(r.Context(), id, on)
		if err != nil {
			continue
		}
		if o.ID == typed {
			return nil
		}
		if strings.Contains(vn.Fold(o.Name), part) {
			opts = append(opts, pickOption{ID: o.ID, Name: o.Name})
		}
	}
	switch {
	case len(opts) == 1:
		f.Values[field] = opts[0].ID
	case len(opts) > 1:
		names := make([]string, len(opts))
		for i, o := range opts {
			names[i] = o.Name
		}
		f.offer(field, fmt.Sprintf("%q khớp với nhiều tổ chức: %s; gõ rõ hơn hoặc gõ mã", typed, strings.Join(names, "; ")), nil)
	}
	return nil
}

// orgByName is pickOrg for a form read into plain maps: the id of the organisation typed (a code
// or any unambiguous part of a name within the user's subtree), or what was typed when nothing
// matches (the write's own check answers); msg names the candidates when several match.
func (s *Server) orgByName(r *http.Request, typed string, on time.Time) (id, msg string, err error) {
	f := &formState{Values: map[string]string{"org": typed}, Errors: map[string]string{}}
	err = s.pickOrg(r, f, "org", on)
	return f.Values["org"], f.Errors["org"], err
}

// docByName is matchDocument for a form read into plain maps, honouring a ticked pick.<field>:
// the document's id, or msg with the candidates beside the field.
func (s *Server) docByName(r *http.Request, field, typed string) (id, msg string, opts []pickOption, err error) {
	if typed == "" {
		return "", "", nil, nil
	}
	if chosen := strings.TrimSpace(r.PostForm.Get("pick." + field)); chosen != "" {
		typed = chosen
	}
	m, err := s.matchDocument(r, typed)
	return m.id, m.msg, m.opts, err
}

// pickProgramme resolves an inspection programme field: its code, or its year or any part of its
// title or document number without diacritics, among the programmes adopted within the user's
// subtree (those /inspections lists); several are offered as choices.
func (s *Server) pickProgramme(r *http.Request, f *formState, field string) error {
	typed := s.typedName(r, f, field, func(code string) bool { _, err := s.Store.Programme(r.Context(), code); return err == nil })
	if typed == "" {
		return nil
	}
	ps, err := s.Store.Programmes(r.Context(), s.defaultOrg(r, ""), 0)
	if err != nil && dangvu.ErrorCode(err) != dangvu.ENotFound {
		return err
	}
	part := vn.Fold(typed)
	var opts []pickOption
	for _, p := range ps {
		if strings.Contains(vn.Fold(fmt.Sprintf("%d %s %s", p.Year, p.Title, p.Document)), part) {
			opts = append(opts, pickOption{ID: p.ID, Name: p.Title, Note: fmt.Sprintf("năm %d%s", p.Year, map[bool]string{true: ", " + p.Document}[p.Document != ""])})
		}
	}
	f.offerMatches(field, typed, opts, pickWords{none: "chương trình kiểm tra, giám sát", many: "chương trình", others: "những chương trình khác", one: "một"})
	return nil
}
