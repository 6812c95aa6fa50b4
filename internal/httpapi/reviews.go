package httpapi

// Review, evaluation and classification: the API under /api/v1/campaigns and /api/v1/reviews,
// and the pages under /reviews (docs/reviews.md).

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/reportout"
	"dangvu/internal/rules/review"
	"dangvu/internal/store"
	"dangvu/internal/vn"
)

func reviewsModule(m *module) {
	m.routes = append(m.routes, reviewRoutes)
	m.api = reviewAPI
	m.nav = append(m.nav, navItem{"reviews", "/reviews", "Kiểm điểm", string(dangvu.ActReviews)},
		navItem{"mine", "/reviews/mine", "Tự kiểm điểm", string(dangvu.ActSelfService)})
	m.objectScopes["campaigns"] = (*Server).campaignScope
	m.objectScopes["reviews"] = func(s *Server, r *http.Request, id string, _ time.Time) error { return s.reviewScope(r, id) }
	// A member's own self-review: only their own review exists for them.
	m.objectScopes["self-reviews"] = func(s *Server, r *http.Request, id string, _ time.Time) error {
		_, member, _, err := s.Store.ReviewOwner(r.Context(), id)
		if u := s.user(r); err == nil && (u == nil || member == "" || u.MemberID != member || u.Disabled) {
			err = dangvu.Errorf(dangvu.ENotFound, "không có phiếu kiểm điểm mã %q", id)
		}
		return err
	}
	m.objectScopes["remedies"] = func(s *Server, r *http.Request, id string, _ time.Time) error {
		rv, err := s.Store.RemedyReview(r.Context(), id)
		if err != nil {
			return err
		}
		return s.reviewScope(r, rv)
	}
	// The audit page checks an entry's entity by the scope of its routes (entity "remedy").
	m.objectScopes["remedy"] = m.objectScopes["remedies"]
	entityNames["campaign"], entityNames["review"], entityNames["remedy"] = "Đợt kiểm điểm", "Phiếu kiểm điểm", "Biện pháp khắc phục"
	actionNames["self_review"], actionNames["meeting"], actionNames["decide"] = "Tự kiểm điểm", "Góp ý, đề xuất", "Quyết định xếp loại"
	m.funcs["rating"] = func(r dangvu.Rating) string {
		if r == "" {
			return ""
		}
		return dangvu.CodeName(dangvu.Ratings, r)
	}
	m.funcs["ratings"] = func() []dangvu.Code[dangvu.Rating] { return dangvu.Ratings }
	// ticked reports whether a manifestation is ticked, explained or not (a refused form keeps
	// the ticks whose explanation is missing).
	m.funcs["ticked"] = func(m map[string]string, code string) bool { _, ok := m[code]; return ok }
	m.funcs["subjectKind"] = func(k dangvu.SubjectKind) string { return dangvu.CodeName(dangvu.SubjectKinds, k) }
	m.funcs["periodKind"] = func(k dangvu.PeriodKind) string { return dangvu.CodeName(dangvu.PeriodKinds, k) }
	m.funcs["stepName"] = func(s string) string { return dangvu.CodeName(dangvu.ReviewSteps, s) }
	m.funcs["triggerName"] = func(s string) string { return dangvu.CodeName(review.TriggerNames, s) }
	m.funcs["triggers"] = func() []dangvu.Code[string] { return review.TriggerNames }
	m.funcs["triggersFor"] = func(rs review.Set, k dangvu.SubjectKind) []dangvu.Code[string] {
		return review.TriggersFor(rs, k)
	}
	m.funcs["catalogue"] = func() []review.Manifestation { return review.Catalogue(review.CurrentCatalogue) }
	m.funcs["groupName"] = func(g int) string { return review.Groups[g-1] }
	m.funcs["manifestation"] = func(code string) string {
		m, _ := review.LookupManifestation(code)
		return m.Label
	}
	m.funcs["placeDate"] = func(d dangvu.Date) string { // "ngày 31 tháng 5 năm 2018"
		if d.IsZero() {
			return ""
		}
		t := d.Time
		return fmt.Sprintf("ngày %d tháng %d năm %d", t.Day(), int(t.Month()), t.Year())
	}
	m.funcs["periodKinds"] = func() []dangvu.Code[dangvu.PeriodKind] { return dangvu.PeriodKinds }
	// criterion is a score's label on the self-review form: its group, its label, its maximum.
	m.funcs["criterion"] = func(c review.Criterion) string {
		l := fmt.Sprintf("%s (tối đa %d)", c.Label, c.Max)
		if c.Group != c.Label {
			l = c.Group + " — " + l
		}
		return l
	}
	m.funcs["deref"] = func(p *int) string {
		if p == nil {
			return ""
		}
		return strconv.Itoa(*p)
	}
}

// The bodies of the review routes.
type (
	reviewRulesBody struct {
		RuleSets       []review.Set           `json:"rule_sets"`
		Manifestations []review.Manifestation `json:"manifestations"`
		Groups         [3]string              `json:"groups"`
		Triggers       []dangvu.Code[string]  `json:"triggers"`
	}
	campaignListBody struct {
		apiPage
		Campaigns []dangvu.Campaign `json:"campaigns"`
	}
	campaignBody struct {
		Campaign dangvu.Campaign           `json:"campaign"`
		RuleSet  review.Set                `json:"rule_set"`
		Progress []dangvu.CampaignProgress `json:"progress"`
	}
	reviewListBody struct {
		apiPage
		Reviews []dangvu.Review `json:"reviews"`
	}
	manifestationsBody struct {
		Manifestations []dangvu.ManifestationCount `json:"manifestations"`
	}
	subjectInput struct {
		Kind     dangvu.SubjectKind `json:"kind" api:"required"`
		MemberID string             `json:"member_id"`
		OrgID    string             `json:"org_id"`
	}
	remediesBody struct {
		AsOf string `json:"as_of"`
		apiPage
		Remedies []dangvu.Attention `json:"remedies"`
	}
	meetingInput struct {
		Comments    string        `json:"comments"`
		Attendance  string        `json:"attendance"`
		Proposed    dangvu.Rating `json:"proposed_rating"`
		Trigger     string        `json:"trigger"`
		TriggerNote string        `json:"trigger_note"`
		Excluded    string        `json:"excluded"`
		PeerGroup   string        `json:"peer_group"`
		On          string        `json:"proposed_on"`
	}
	remedyUpdateInput struct {
		Status   string `json:"status" api:"required"`
		DoneOn   string `json:"done_on"`
		Evidence string `json:"evidence"`
	}
)

// reviewAPI names the types the review routes decode and encode.
var reviewAPI = map[string]apiTypes{
	"GET /api/v1/reviews/rules":                 {out: reviewRulesBody{}},
	"GET /api/v1/campaigns":                     {out: campaignListBody{}},
	"POST /api/v1/campaigns":                    {in: dangvu.Campaign{}, out: dangvu.Campaign{}, status: http.StatusCreated},
	"GET /api/v1/campaigns/{id}":                {out: campaignBody{}},
	"GET /api/v1/campaigns/{id}/reviews":        {out: reviewListBody{}},
	"GET /api/v1/campaigns/{id}/manifestations": {out: manifestationsBody{}},
	"POST /api/v1/campaigns/{id}/subjects":      {in: subjectInput{}, out: dangvu.Review{}, status: http.StatusCreated},
	"POST /api/v1/campaigns/{id}/decisions":     {in: decisionJSON{}, out: dangvu.ReviewDecisionResult{}},
	"GET /api/v1/reviews/mine":                  {out: reviewListBody{}},
	"GET /api/v1/reviews/rollup":                {out: dangvu.RollUp{}},
	"GET /api/v1/reviews/rollup.xlsx":           {file: xlsxType},
	"GET /api/v1/reviews/remedies":              {out: remediesBody{}},
	"GET /api/v1/reviews/{id}":                  {out: store.ReviewView{}},
	"POST /api/v1/reviews/{id}/self":            {in: selfJSON{}, out: store.ReviewView{}},
	"POST /api/v1/self-reviews/{id}":            {in: selfJSON{}, out: store.ReviewView{}},
	"POST /api/v1/reviews/{id}/meeting":         {in: meetingInput{}, out: store.ReviewView{}},
	"POST /api/v1/reviews/{id}/remedies":        {in: dangvu.Remedy{}, out: dangvu.Remedy{}, status: http.StatusCreated},
	"POST /api/v1/remedies/{id}":                {in: remedyUpdateInput{}, out: dangvu.Remedy{}},
}

func reviewRoutes() []route {
	api := func(p, sum string, h func(*Server, http.ResponseWriter, *http.Request) error, params []string, a dangvu.Action) route {
		return route{p, h, sum, params, false, a}
	}
	page := func(p, sum string, h func(*Server, http.ResponseWriter, *http.Request) error, params []string, a dangvu.Action) route {
		return route{p, htmlPage(h), sum, params, false, a}
	}
	return []route{
		api("GET /api/v1/reviews/rules", "Các bộ quy định đánh giá, xếp loại và danh mục 27 biểu hiện (Nghị quyết 04-NQ/TW), kèm nguồn", (*Server).apiReviewRules, nil, dangvu.ActRead),
		api("GET /api/v1/campaigns", "Các đợt kiểm điểm liên quan đến tổ chức", (*Server).apiCampaigns, []string{"org"}, dangvu.ActReviews),
		api("POST /api/v1/campaigns", "Mở đợt kiểm điểm (JSON: id, org_id, name, period_kind, from, to, steps)", (*Server).apiCampaignCreate, nil, dangvu.ActReviews),
		api("GET /api/v1/campaigns/{id}", "Một đợt kiểm điểm: lịch, tiến độ theo tổ chức (ai chưa nộp)", (*Server).apiCampaign, []string{"org"}, dangvu.ActReviews),
		api("GET /api/v1/campaigns/{id}/reviews", "Các phiếu kiểm điểm của đợt", (*Server).apiCampaignReviews, []string{"org", "kind", "decider"}, dangvu.ActReviews),
		api("GET /api/v1/campaigns/{id}/manifestations", "Thống kê biểu hiện suy thoái tự nhận theo tổ chức", (*Server).apiManifestations, []string{"org"}, dangvu.ActReviews),
		api("POST /api/v1/campaigns/{id}/subjects", "Thêm đối tượng kiểm điểm (JSON: kind, member_id, org_id)", (*Server).apiAddSubject, nil, dangvu.ActReviews),
		api("POST /api/v1/campaigns/{id}/decisions", "Quyết định xếp loại của một cấp (JSON: decider_id, ratings, decided_on, document); từ chối nếu vượt tỷ lệ hoặc trái quy định", (*Server).apiDecide, nil, dangvu.ActReviews),
		api("GET /api/v1/reviews/mine", "Các phiếu kiểm điểm của chính mình", (*Server).apiMyReviews, nil, dangvu.ActSelfService),
		api("GET /api/v1/reviews/rollup", "Tổng hợp xếp loại theo cấp và theo tổ chức qua các năm", (*Server).apiRollUp, []string{"org", "from_year", "to_year"}, dangvu.ActReviews),
		api("GET /api/v1/reviews/rollup.xlsx", "Báo cáo tổng hợp xếp loại gửi cấp trên (XLSX)", (*Server).rollUpXLSX, []string{"org", "from_year", "to_year"}, dangvu.ActReviews),
		api("GET /api/v1/reviews/remedies", "Biện pháp khắc phục chưa hoàn thành, quá hạn trước", (*Server).apiRemedies, []string{"org", "as_of"}, dangvu.ActReviews),
		api("GET /api/v1/reviews/{id}", "Một phiếu kiểm điểm: tự kiểm điểm, góp ý, đề xuất, quyết định, lý do xếp loại tự động, biện pháp khắc phục năm trước", (*Server).apiReview, nil, dangvu.ActReviews),
		api("POST /api/v1/reviews/{id}/self", "Nhập bản tự kiểm điểm (JSON), ví dụ từ bản giấy", (*Server).apiSelfReview, nil, dangvu.ActReviews),
		api("POST /api/v1/self-reviews/{id}", "Đảng viên tự kiểm điểm phiếu của chính mình (JSON như /reviews/{id}/self)", (*Server).apiSelfReview, nil, dangvu.ActSelfService),
		api("POST /api/v1/reviews/{id}/meeting", "Góp ý, thành phần dự họp và đề xuất xếp loại (JSON)", (*Server).apiMeeting, nil, dangvu.ActReviews),
		api("POST /api/v1/reviews/{id}/remedies", "Thêm biện pháp khắc phục (JSON: content, owner, due)", (*Server).apiAddRemedy, nil, dangvu.ActReviews),
		api("POST /api/v1/remedies/{id}", "Cập nhật kết quả khắc phục (JSON: status, done_on, evidence)", (*Server).apiUpdateRemedy, nil, dangvu.ActReviews),

		page("GET /reviews", "Các đợt kiểm điểm", (*Server).reviewsPage, []string{"org"}, dangvu.ActReviews),
		page("POST /reviews", "Mở đợt kiểm điểm", (*Server).campaignCreatePost, nil, dangvu.ActReviews),
		page("GET /reviews/mine", "Tự kiểm điểm của tôi", (*Server).myReviewsPage, nil, dangvu.ActSelfService),
		page("GET /reviews/rollup", "Tổng hợp xếp loại qua các năm", (*Server).rollUpPage, []string{"org", "from_year", "to_year"}, dangvu.ActReviews),
		page("GET /campaigns/{id}", "Một đợt kiểm điểm: lịch, tiến độ, thống kê biểu hiện", (*Server).campaignPage, []string{"org"}, dangvu.ActReviews),
		page("GET /campaigns/{id}/decide", "Quyết định xếp loại của một cấp", (*Server).decidePage, []string{"decider"}, dangvu.ActReviews),
		page("POST /campaigns/{id}/decide", "Ghi quyết định xếp loại", (*Server).decidePost, nil, dangvu.ActReviews),
		page("GET /reviews/{id}", "Bản kiểm điểm (in được)", (*Server).reviewPage, nil, dangvu.ActReviews),
		page("GET /reviews/{id}/edit", "Nhập bản tự kiểm điểm, góp ý và đề xuất", (*Server).reviewEditPage, nil, dangvu.ActReviews),
		page("POST /reviews/{id}/self", "Lưu bản tự kiểm điểm nhập từ bản giấy", (*Server).selfReviewPost, nil, dangvu.ActReviews),
		page("POST /self-reviews/{id}", "Lưu bản tự kiểm điểm của chính mình", (*Server).selfReviewPost, nil, dangvu.ActSelfService),
		page("POST /reviews/{id}/meeting", "Lưu góp ý, đề xuất", (*Server).meetingPost, nil, dangvu.ActReviews),
		page("POST /remedies/{id}", "Cập nhật kết quả khắc phục", (*Server).remedyPost, nil, dangvu.ActReviews),
	}
}

// campaignScope lets a user see a campaign opened in their subtree, or above it (a ward sees
// the city's campaign, narrowed to the ward); otherwise it is not found.
func (s *Server) campaignScope(r *http.Request, id string, _ time.Time) error {
	u := s.user(r)
	if u == nil {
		return errLogin
	}
	if wholeTree(u) {
		return nil
	}
	org, to, err := s.Store.CampaignOrg(r.Context(), id)
	if err != nil {
		return err
	}
	if ok, err := s.Store.InScope(r.Context(), *u, org, to); err != nil || ok {
		return err
	}
	if u.UserRole != dangvu.UserMember && u.OrgID != "" {
		cs, err := s.Store.Campaigns(r.Context(), u.OrgID)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if c.ID == id {
				return nil
			}
		}
	}
	return dangvu.Errorf(dangvu.ENotFound, "không có đợt kiểm điểm mã %q", id)
}

// reviewScope lets a user see a review whose subject's organisation lies in their subtree (as
// of the campaign's period end), and a member their own review.
func (s *Server) reviewScope(r *http.Request, id string) error {
	u := s.user(r)
	if u == nil {
		return errLogin
	}
	if wholeTree(u) {
		return nil
	}
	org, member, to, err := s.Store.ReviewOwner(r.Context(), id)
	if err != nil {
		return err
	}
	if member != "" && u.MemberID == member && !u.Disabled {
		return nil
	}
	ok, err := s.Store.InScope(r.Context(), *u, org, to)
	if err != nil {
		return err
	}
	if !ok {
		return dangvu.Errorf(dangvu.ENotFound, "không có phiếu kiểm điểm mã %q", id)
	}
	return nil
}

// canEditReview: the member whose review it is, or someone who runs reviews (entering a paper
// form); the route's scope check has already placed the review in the user's subtree.
func (s *Server) canEditReview(r *http.Request, v store.ReviewView) error {
	u := s.user(r)
	if u == nil {
		return errLogin
	}
	if u.UserRole.Can(dangvu.ActReviews) || v.MemberID != "" && u.MemberID == v.MemberID {
		return nil
	}
	return dangvu.Errorf(dangvu.EForbidden, "Bạn chỉ được tự kiểm điểm phiếu của chính mình.")
}

// viewOrg is the organisation a campaign's lists are narrowed to: the requested one, else the
// user's own; "" for the whole campaign.
func (s *Server) viewOrg(r *http.Request) (string, error) {
	org := s.defaultOrg(r, r.URL.Query().Get("org"))
	if org == "" {
		return "", nil
	}
	if err := s.checkOrg(r, org, s.viewDay(r, org)); err != nil {
		return "", err
	}
	return org, nil
}

// ---- API ----

func (s *Server) apiReviewRules(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, reviewRulesBody{RuleSets: review.Sets(), Manifestations: review.Catalogue(review.CurrentCatalogue),
		Groups: review.Groups, Triggers: review.TriggerNames})
}

func (s *Server) apiCampaigns(w http.ResponseWriter, r *http.Request) error {
	org, err := s.viewOrg(r)
	if err != nil {
		return err
	}
	cs, err := s.Store.Campaigns(r.Context(), org)
	if err != nil {
		return err
	}
	cs, page, err := pageOf(r, cs, 1000)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, campaignListBody{apiPage: page, Campaigns: cs})
}

func (s *Server) apiCampaignCreate(w http.ResponseWriter, r *http.Request) error {
	return apiWrite(w, r, http.StatusCreated, dangvu.Campaign{},
		func(c *dangvu.Campaign) error { return s.checkCampaignOrg(r, *c) },
		func(c dangvu.Campaign) (dangvu.Campaign, error) {
			return s.Store.CreateCampaign(r.Context(), s.actor(r), c)
		})
}

func (s *Server) checkCampaignOrg(r *http.Request, c dangvu.Campaign) error {
	d := s.today()
	if t, err := dangvu.RequireDate(c.To); err == nil {
		d = t
	}
	return s.checkRefs(r, ref{kind: "organisations", id: c.OrgID, on: d}) // an empty one is reported by the validation
}

func (s *Server) apiCampaign(w http.ResponseWriter, r *http.Request) error {
	c, err := s.Store.Campaign(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	org, err := s.viewOrg(r)
	if err != nil {
		return err
	}
	p, err := s.Store.Progress(r.Context(), c.ID, org)
	if err != nil {
		return err
	}
	rs := review.ForCampaign(c)
	return writeJSON(w, http.StatusOK, campaignBody{Campaign: c, RuleSet: rs, Progress: nonNil(p)})
}

func (s *Server) apiCampaignReviews(w http.ResponseWriter, r *http.Request) error {
	org, err := s.viewOrg(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	rs, err := s.Store.Reviews(r.Context(), dangvu.ReviewFilter{CampaignID: r.PathValue("id"), Under: org, Kind: dangvu.SubjectKind(q.Get("kind")), DeciderID: q.Get("decider")})
	if err != nil {
		return err
	}
	rs, page, err := pageOf(r, rs, 1000)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, reviewListBody{apiPage: page, Reviews: rs})
}

func (s *Server) apiManifestations(w http.ResponseWriter, r *http.Request) error {
	org, err := s.viewOrg(r)
	if err != nil {
		return err
	}
	st, err := s.Store.ManifestationStats(r.Context(), r.PathValue("id"), org)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, manifestationsBody{Manifestations: nonNil(st)})
}

func (s *Server) apiAddSubject(w http.ResponseWriter, r *http.Request) error {
	return apiWrite(w, r, http.StatusCreated, subjectInput{},
		func(in *subjectInput) error {
			// The subject as of the end of the campaign's period.
			_, to, err := s.Store.CampaignOrg(r.Context(), r.PathValue("id"))
			if err != nil {
				return err
			}
			return s.checkRefs(r, ref{kind: "organisations", id: in.OrgID, on: to}, ref{kind: "members", id: in.MemberID, on: to})
		},
		func(in subjectInput) (dangvu.Review, error) {
			return s.Store.AddSubject(r.Context(), s.actor(r), r.PathValue("id"), in.Kind, in.MemberID, in.OrgID)
		})
}

type decisionJSON struct {
	DeciderID string                   `json:"decider_id" api:"required"`
	Ratings   map[string]dangvu.Rating `json:"ratings"`
	DecidedOn string                   `json:"decided_on"`
	Document  string                   `json:"document"`
	// QuotaException: the document allowing an outstanding unit the higher quota (QĐ 366).
	QuotaException string `json:"quota_exception"`
}

// checkDecider: only those who see the deciding organisation may decide for it, and only on
// reviews they see.
func (s *Server) checkDecider(r *http.Request, campaignID, decider string, reviews ...string) error {
	_, to, err := s.Store.CampaignOrg(r.Context(), campaignID)
	if err != nil {
		return err
	}
	if decider == "" {
		return &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: "decider_id", Reason: "bắt buộc"}}}
	}
	refs := []ref{{kind: "organisations", id: decider, on: to}}
	for _, id := range reviews {
		refs = append(refs, ref{kind: "reviews", id: id})
	}
	return s.checkRefs(r, refs...)
}

// reviewDay reads the optional day of a review's JSON write (dd/mm/yyyy or yyyy-mm-dd; "" leaves
// it to the store, which takes today), refusing one that is not a date by its field.
func reviewDay(field, v string) (dangvu.Date, error) {
	d, ok := disDate(v)
	if !ok {
		return d, &dangvu.Error{Code: dangvu.EInvalid, Message: "Ngày không hợp lệ; chưa ghi gì.",
			Fields: []dangvu.FieldError{{Field: field, Reason: "ngày không hợp lệ; ghi theo dạng dd/mm/yyyy hoặc yyyy-mm-dd"}}}
	}
	return d, nil
}

func (s *Server) apiDecide(w http.ResponseWriter, r *http.Request) error {
	return apiWrite(w, r, http.StatusOK, decisionJSON{},
		func(in *decisionJSON) error {
			return s.checkDecider(r, r.PathValue("id"), in.DeciderID, slices.Sorted(maps.Keys(in.Ratings))...)
		},
		func(in decisionJSON) (dangvu.ReviewDecisionResult, error) {
			on, err := reviewDay("decided_on", in.DecidedOn)
			if err != nil {
				return dangvu.ReviewDecisionResult{}, err
			}
			return s.Store.Decide(r.Context(), s.actor(r), dangvu.ReviewDecision{CampaignID: r.PathValue("id"), DeciderID: in.DeciderID, Ratings: in.Ratings, On: on, Document: in.Document, QuotaException: in.QuotaException})
		})
}

func (s *Server) apiMyReviews(w http.ResponseWriter, r *http.Request) error {
	u := s.user(r)
	rs := []dangvu.Review{}
	if u != nil && u.MemberID != "" {
		var err error
		if rs, err = s.Store.MemberReviews(r.Context(), u.MemberID); err != nil {
			return err
		}
	}
	rs, page, err := pageOf(r, rs, 1000)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, reviewListBody{apiPage: page, Reviews: rs})
}

func (s *Server) rollUpParams(r *http.Request) (string, int, int, error) {
	org := s.defaultOrg(r, r.URL.Query().Get("org"))
	if org == "" {
		return "", 0, 0, &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: "org", Reason: "bắt buộc"}}}
	}
	if o, err := s.Store.ResolveOrg(r.Context(), org, s.today()); err == nil {
		org = o.ID
	}
	if err := s.checkOrg(r, org, s.today()); err != nil {
		return "", 0, 0, err
	}
	y := s.today().Year()
	from, err := intParam(r, "from_year", y-9)
	if err != nil {
		return "", 0, 0, err
	}
	to, err := intParam(r, "to_year", y)
	return org, from, to, err
}

func (s *Server) apiRollUp(w http.ResponseWriter, r *http.Request) error {
	org, from, to, err := s.rollUpParams(r)
	if err != nil {
		return err
	}
	ru, err := s.Store.ReviewRollUp(r.Context(), org, from, to)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ru)
}

func (s *Server) rollUpXLSX(w http.ResponseWriter, r *http.Request) error {
	org, from, to, err := s.rollUpParams(r)
	if err != nil {
		return err
	}
	ru, err := s.Store.ReviewRollUp(r.Context(), org, from, to)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="xep-loai-%s-%d-%d.xlsx"`, org, from, to))
	return reportout.ReviewRollUpXLSX(w, ru)
}

func (s *Server) apiRemedies(w http.ResponseWriter, r *http.Request) error {
	asOf, err := date(r, "as_of", s.viewDay(r, r.URL.Query().Get("org")))
	if err != nil {
		return err
	}
	org := s.defaultOrg(r, r.URL.Query().Get("org"))
	if org == "" {
		return &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: "org", Reason: "bắt buộc"}}}
	}
	if err := s.checkOrg(r, org, asOf); err != nil {
		return err
	}
	items, err := s.Store.Attention(r.Context(), org, asOf, s.role(r))
	if err != nil {
		return err
	}
	out := []dangvu.Attention{}
	for _, a := range items {
		if strings.HasPrefix(a.Kind, "remedy_") {
			out = append(out, a)
		}
	}
	out, page, err := pageOf(r, out, 1000)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, remediesBody{AsOf: dangvu.ISO(asOf), apiPage: page, Remedies: out})
}

func (s *Server) apiReview(w http.ResponseWriter, r *http.Request) error {
	v, err := s.Store.Review(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

type selfJSON struct {
	Strengths      string          `json:"strengths"`
	Faults         string          `json:"faults"`
	Causes         string          `json:"causes"`
	Marks          []dangvu.Mark   `json:"marks"`
	Scores         []dangvu.Score  `json:"scores"`
	TasksOnTime    bool            `json:"tasks_on_time"`
	TasksBeyondPct int             `json:"tasks_beyond_pct"`
	TasksLatePct   int             `json:"tasks_late_pct"`
	SelfRating     dangvu.Rating   `json:"self_rating"`
	Remedies       []dangvu.Remedy `json:"remedies"`
	On             string          `json:"self_on"`
}

func (s *Server) apiSelfReview(w http.ResponseWriter, r *http.Request) error {
	v, err := s.Store.Review(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := s.canEditReview(r, v); err != nil {
		return err
	}
	return apiWrite(w, r, http.StatusOK, selfJSON{}, nil, func(in selfJSON) (store.ReviewView, error) {
		on, err := reviewDay("self_on", in.On)
		if err != nil {
			return store.ReviewView{}, err
		}
		return s.Store.SaveSelfReview(r.Context(), s.actor(r), v.ID, dangvu.SelfReview{Strengths: in.Strengths, Faults: in.Faults, Causes: in.Causes,
			Marks: in.Marks, Scores: in.Scores, TasksOnTime: in.TasksOnTime, TasksBeyondPct: in.TasksBeyondPct, TasksLatePct: in.TasksLatePct, SelfRating: in.SelfRating, Remedies: in.Remedies, On: on})
	})
}

func (s *Server) apiMeeting(w http.ResponseWriter, r *http.Request) error {
	return apiWrite(w, r, http.StatusOK, meetingInput{}, nil, func(in meetingInput) (store.ReviewView, error) {
		on, err := reviewDay("proposed_on", in.On)
		if err != nil {
			return store.ReviewView{}, err
		}
		return s.Store.RecordMeeting(r.Context(), s.actor(r), r.PathValue("id"), dangvu.ReviewMeeting{Comments: in.Comments, Attendance: in.Attendance,
			Proposed: in.Proposed, Trigger: in.Trigger, TriggerNote: in.TriggerNote, Excluded: in.Excluded, PeerGroup: in.PeerGroup, On: on})
	})
}

func (s *Server) apiAddRemedy(w http.ResponseWriter, r *http.Request) error {
	return apiWrite(w, r, http.StatusCreated, dangvu.Remedy{},
		func(in *dangvu.Remedy) error { in.ReviewID = r.PathValue("id"); return nil },
		func(in dangvu.Remedy) (dangvu.Remedy, error) { return s.Store.AddRemedy(r.Context(), s.actor(r), in) })
}

func (s *Server) apiUpdateRemedy(w http.ResponseWriter, r *http.Request) error {
	return apiWrite(w, r, http.StatusOK, remedyUpdateInput{}, nil, func(in remedyUpdateInput) (dangvu.Remedy, error) {
		return s.Store.UpdateRemedy(r.Context(), s.actor(r), r.PathValue("id"), in.Status, in.DoneOn, in.Evidence)
	})
}

// ---- pages ----

// fieldErrors maps an error's fields to messages for a form (placeErrors, every field its own
// input: the callers fold marks[i]… and steps[i]… into theirs); other is the rest.
func fieldErrors(err error) (map[string]string, []string, error) {
	m := map[string]string{}
	fields, err := placeErrors(err, m, func(field string) string { return field })
	var other []string
	for _, f := range fields {
		other = append(other, f.String())
	}
	return m, other, err
}

type reviewsData struct {
	Org       string
	Remedies  []dangvu.Attention // open remedies due soon or overdue in the subtree
	Campaigns []dangvu.Campaign
	CSRF      string
	Form      map[string]string
	Errors    map[string]string
	Other     []string
	Year      int
}

func (s *Server) reviewsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderReviews(w, r, http.StatusOK, map[string]string{}, nil, nil)
}

func (s *Server) renderReviews(w http.ResponseWriter, r *http.Request, status int, form, errs map[string]string, other []string) error {
	org, err := s.viewOrg(r)
	if err != nil {
		return err
	}
	cs, err := s.Store.Campaigns(r.Context(), org)
	if err != nil {
		return err
	}
	var rems []dangvu.Attention
	if org != "" {
		// An organisation that no longer exists today has no list of its own.
		items, err := s.Store.Attention(r.Context(), org, s.today(), s.role(r))
		if err != nil && dangvu.ErrorCode(err) != dangvu.ENotFound {
			return err
		}
		for _, a := range items {
			if strings.HasPrefix(a.Kind, "remedy_") {
				rems = append(rems, a)
			}
		}
	}
	if org == "" {
		org = form["org_id"]
	}
	return s.render(w, r, status, "reviews.html", "Kiểm điểm, đánh giá, xếp loại", "reviews",
		reviewsData{Org: org, Remedies: rems, Campaigns: cs, CSRF: s.csrf(r), Form: form, Errors: errs, Other: other, Year: s.today().Year()})
}

func (s *Server) campaignCreatePost(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "Biểu mẫu không đọc được.")
	}
	form := map[string]string{}
	for _, k := range []string{"id", "org_id", "name", "period_kind", "from", "to", "document", "due_self", "due_comment", "due_decision", "due_upward"} {
		form[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	errs := map[string]string{}
	iso := func(k string) dangvu.Date {
		if form[k] == "" {
			return dangvu.Date{}
		}
		t, err := vn.ParseDate(form[k])
		if err != nil {
			errs[k] = err.Error()
			return dangvu.Date{}
		}
		return dangvu.DateOf(t)
	}
	c := dangvu.Campaign{ID: form["id"], OrgID: form["org_id"], Name: form["name"], PeriodKind: dangvu.PeriodKind(form["period_kind"]), From: iso("from"), To: iso("to"), Document: form["document"]}
	for _, st := range dangvu.ReviewSteps {
		if d := iso("due_" + st.Code); !d.IsZero() {
			c.Steps = append(c.Steps, dangvu.CampaignStep{Step: st.Code, Due: d})
		}
	}
	// The organisation by code or any unambiguous part of its name (pickers.go); a campaign
	// left without a code gets one from its year and organisation ("RV2025-PD", then "-2"…).
	on := s.today()
	if t, err := dangvu.RequireDate(c.To); err == nil {
		on = t // the organisation as it was at the period's end (the city of 2019 ended in 2025)
	}
	org, msg, err := s.orgByName(r, c.OrgID, on)
	if err != nil {
		return err
	}
	if c.OrgID = org; msg != "" {
		errs["org_id"] = msg
	}
	if c.ID == "" && c.OrgID != "" && !c.To.IsZero() && msg == "" {
		base := "RV" + c.To.String()[:4] + "-" + c.OrgID
		c.ID = base
		for i := 2; i < 100; i++ {
			if _, err := s.Store.Campaign(r.Context(), c.ID); dangvu.ErrorCode(err) == dangvu.ENotFound {
				break
			}
			c.ID = fmt.Sprintf("%s-%d", base, i)
		}
	}
	if len(errs) > 0 {
		return s.renderReviews(w, r, http.StatusBadRequest, form, errs, nil)
	}
	if err := s.checkCampaignOrg(r, c); err != nil {
		return err
	}
	out, err := s.Store.CreateCampaign(r.Context(), s.actor(r), c)
	if err != nil {
		fe, other, err := fieldErrors(err)
		if err != nil {
			return err
		}
		for k, v := range fe {
			if strings.HasPrefix(k, "steps[") {
				other = append(other, v)
				continue
			}
			errs[k] = v
		}
		return s.renderReviews(w, r, http.StatusBadRequest, form, errs, other)
	}
	http.Redirect(w, r, "/campaigns/"+out.ID, http.StatusSeeOther)
	return nil
}

type campaignData struct {
	Campaign  dangvu.Campaign
	RuleSet   review.Set
	Org       string
	Progress  []dangvu.CampaignProgress
	Deciders  []deciderRow
	Stats     []dangvu.ManifestationCount
	Leaders   []dangvu.Review
	Submitted int
	Subjects  int
}

type deciderRow struct {
	ID, Name          string
	Subjects, Decided int
}

func (s *Server) campaignPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.Store.Campaign(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	org, err := s.viewOrg(r)
	if err != nil {
		return err
	}
	d := campaignData{Campaign: c, Org: org}
	d.RuleSet = review.ForCampaign(c)
	if d.Progress, err = s.Store.Progress(ctx, c.ID, org); err != nil {
		return err
	}
	for _, p := range d.Progress {
		d.Submitted += p.Self
		d.Subjects += p.Subjects
	}
	all, err := s.Store.Reviews(ctx, dangvu.ReviewFilter{CampaignID: c.ID, Under: org})
	if err != nil {
		return err
	}
	idx := map[string]int{}
	for _, rv := range all {
		if rv.Kind != dangvu.SubjectMember {
			d.Leaders = append(d.Leaders, rv)
		}
		i, ok := idx[rv.DeciderID]
		if !ok {
			i = len(d.Deciders)
			idx[rv.DeciderID] = i
			d.Deciders = append(d.Deciders, deciderRow{ID: rv.DeciderID})
		}
		d.Deciders[i].Subjects++
		if rv.FinalRating != "" {
			d.Deciders[i].Decided++
		}
	}
	for i := range d.Deciders {
		o, err := s.Store.Org(ctx, d.Deciders[i].ID, c.To.Time)
		d.Deciders[i].Name = d.Deciders[i].ID
		if err == nil {
			d.Deciders[i].Name = o.Name
		}
	}
	if d.Stats, err = s.Store.ManifestationStats(ctx, c.ID, org); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "review_campaign.html", c.Name, "reviews", d)
}

func mustDate(iso string) time.Time {
	t, _ := dangvu.ParseISODate(iso)
	return t
}

type decideRow struct {
	Review  dangvu.Review
	Forced  string
	Ceiling string
	Reasons []string
	Value   dangvu.Rating
	Err     string
}

type decideData struct {
	Campaign dangvu.Campaign
	RuleSet  review.Set
	Decider  string
	Name     string
	Rows     []decideRow
	Errors   map[string]string // beside the decision's date and number (each row's in its Err)
	Other    []string
	Done     string
	CSRF     string
	On       string
	Document string
	// QuotaException is the document allowing the higher quota, as typed.
	QuotaException string
}

func (s *Server) decideData(r *http.Request, decider string) (decideData, error) {
	ctx := r.Context()
	c, err := s.Store.Campaign(ctx, r.PathValue("id"))
	if err != nil {
		return decideData{}, err
	}
	if err := s.checkDecider(r, c.ID, decider); err != nil {
		return decideData{}, err
	}
	d := decideData{Campaign: c, Decider: decider, CSRF: s.csrf(r), On: vn.FormatDate(s.today())}
	d.RuleSet = review.ForCampaign(c)
	if o, err := s.Store.Org(ctx, decider, c.To.Time); err == nil {
		d.Name = o.Name
	}
	sheet, err := s.Store.DecisionSheet(ctx, c.ID, decider)
	if err != nil {
		return d, err
	}
	for _, v := range sheet {
		rv := v.Review
		row := decideRow{Review: rv, Reasons: v.Outcome.Reasons, Value: rv.FinalRating}
		if v.Outcome.Excluded != "" {
			row.Forced = "Không xếp loại: " + v.Outcome.Excluded
		} else if v.Outcome.Forced != "" {
			row.Forced = dangvu.CodeName(dangvu.Ratings, v.Outcome.Forced)
		}
		if v.Outcome.Ceiling != "" {
			row.Ceiling = dangvu.CodeName(dangvu.Ratings, v.Outcome.Ceiling)
		}
		if row.Value == "" {
			row.Value = rv.ProposedRating
		}
		d.Rows = append(d.Rows, row)
	}
	return d, nil
}

func (s *Server) decidePage(w http.ResponseWriter, r *http.Request) error {
	decider := r.URL.Query().Get("decider")
	if decider == "" {
		// The user's own committee decides; an administrator of the whole tree sees the
		// campaign organisation's own subjects.
		if decider = s.defaultOrg(r, ""); decider == "" {
			org, _, err := s.Store.CampaignOrg(r.Context(), r.PathValue("id"))
			if err != nil {
				return err
			}
			decider = org
		}
	}
	d, err := s.decideData(r, decider)
	if err != nil {
		return err
	}
	if n := r.URL.Query().Get("done"); n != "" {
		d.Done = n
	}
	return s.render(w, r, http.StatusOK, "review_decide.html", "Quyết định xếp loại: "+d.Name, "reviews", d)
}

func (s *Server) decidePost(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "Biểu mẫu không đọc được.")
	}
	d, err := s.decideData(r, r.PostForm.Get("decider"))
	if err != nil {
		return err
	}
	dec := dangvu.ReviewDecision{CampaignID: d.Campaign.ID, DeciderID: d.Decider, Ratings: map[string]dangvu.Rating{}, Document: strings.TrimSpace(r.PostForm.Get("document")),
		QuotaException: strings.TrimSpace(r.PostForm.Get("quota_exception"))}
	d.Document, d.On, d.QuotaException = dec.Document, r.PostForm.Get("decided_on"), dec.QuotaException
	var refused error
	if t, err := vn.ParseDate(d.On); err == nil {
		dec.On = dangvu.DateOf(t)
	} else {
		refused = refuse("decided_on", err.Error())
	}
	for i := range d.Rows {
		v := dangvu.Rating(r.PostForm.Get("r-" + d.Rows[i].Review.ID))
		d.Rows[i].Value = v
		if v != "" {
			dec.Ratings[d.Rows[i].Review.ID] = v
		}
	}
	var res dangvu.ReviewDecisionResult
	if err = refused; err == nil {
		res, err = s.Store.Decide(r.Context(), s.actor(r), dec)
	}
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/campaigns/%s/decide?decider=%s&done=%d", d.Campaign.ID, d.Decider, res.Decided), http.StatusSeeOther)
		return nil
	}
	// Each review's error beside its line, the decision's beside its fields, the quota's above.
	fe, other, err := fieldErrors(err)
	if err != nil {
		return err
	}
	d.Other = append(d.Other, other...)
	if q := fe["quota"]; q != "" {
		d.Other = append(d.Other, q)
	}
	for i := range d.Rows {
		d.Rows[i].Err = fe[d.Rows[i].Review.ID]
	}
	d.Errors = fe
	return s.render(w, r, http.StatusBadRequest, "review_decide.html", "Quyết định xếp loại: "+d.Name, "reviews", d)
}

type reviewData struct {
	store.ReviewView
	Superior  string
	Place     string
	Town      string // the place of the place-and-date line ("Uông Bí")
	CanEdit   bool
	CSRF      string
	Today     string
	Marked    map[string]string
	Errors    map[string]string
	Other     []string
	Scores    map[string]int
	Self      bool // the member's own form
	NewRemedy dangvu.Remedy
	Mine      []dangvu.Review // Self: the member's reviews
	Linked    bool            // Self: the account is linked to a member
	// Residence: a member's registrations with the residential cell where they live, with that
	// cell's comment of the review's year (213-QĐ/TW): the review reads it.
	Residence []dangvu.ResidenceLink
}

func (s *Server) reviewData(r *http.Request, id string) (reviewData, error) {
	v, err := s.Store.Review(r.Context(), id)
	if err != nil {
		return reviewData{}, err
	}
	d := reviewData{ReviewView: v, CanEdit: s.can(r, dangvu.ActReviews), CSRF: s.csrf(r), Today: s.today().Format("2006-01-02"),
		Marked: map[string]string{}, Errors: map[string]string{}, Scores: map[string]int{}}
	for _, m := range v.Marks {
		d.Marked[m.Code] = m.Explanation
	}
	for _, sc := range v.Scores {
		d.Scores[sc.Criterion] = sc.Points
	}
	to := v.Campaign.To.Time
	if v.MemberID != "" {
		if d.Residence, err = s.Store.MemberResidence(r.Context(), v.MemberID, to.Year()); err != nil {
			return d, err
		}
	}
	if o, err := s.Store.Org(r.Context(), v.Campaign.OrgID, to); err == nil {
		d.Superior = o.Name
		d.Place = o.Name
		d.Town = townOf(o.Name)
		if p, err := s.Store.Org(r.Context(), o.ParentID, to); err == nil {
			d.Superior = p.Name
		}
	}
	return d, nil
}

// townOf takes the place out of a committee's name: "Đảng bộ thành phố Uông Bí" → "Uông Bí".
func townOf(name string) string {
	t := strings.TrimPrefix(strings.TrimPrefix(name, "Đảng bộ "), "Chi bộ ")
	for _, k := range []string{"thành phố ", "phường ", "xã ", "tỉnh ", "thị xã ", "huyện "} {
		if strings.HasPrefix(t, k) {
			return strings.TrimPrefix(t, k)
		}
	}
	return t
}

func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.reviewData(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "review.html", "Bản kiểm điểm: "+d.Subject(), "reviews", d)
}

func (s *Server) reviewEditPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.reviewData(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "review_edit.html", "Nhập kiểm điểm: "+d.Subject(), "reviews", d)
}

func (s *Server) myReviewsPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.myReviews(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "review_edit.html", "Tự kiểm điểm của tôi", "mine", d)
}

// myReviews is the member's own page: their reviews, and the form of the one still open.
func (s *Server) myReviews(r *http.Request) (reviewData, error) {
	u := s.user(r)
	d := reviewData{Self: true}
	if u == nil || u.MemberID == "" {
		return d, nil
	}
	rs, err := s.Store.MemberReviews(r.Context(), u.MemberID)
	if err != nil {
		return d, err
	}
	for _, rv := range rs {
		if rv.FinalRating == "" && rv.Excluded == "" {
			if d, err = s.reviewData(r, rv.ID); err != nil {
				return d, err
			}
			break
		}
	}
	d.Self, d.Linked, d.Mine = true, true, rs
	return d, nil
}

func (s *Server) selfReviewPost(w http.ResponseWriter, r *http.Request) error {
	d, err := s.reviewData(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := s.canEditReview(r, d.ReviewView); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "Biểu mẫu không đọc được.")
	}
	f := r.PostForm
	text := func(k string) string { return strings.TrimSpace(strings.ReplaceAll(f.Get(k), "\r\n", "\n")) }
	in := dangvu.SelfReview{Strengths: text("strengths"), Faults: text("faults"), Causes: text("causes"), SelfRating: dangvu.Rating(f.Get("self_rating")),
		TasksOnTime: f.Get("tasks_on_time") == "1"}
	in.TasksBeyondPct, _ = strconv.Atoi(f.Get("tasks_beyond_pct"))
	in.TasksLatePct, _ = strconv.Atoi(f.Get("tasks_late_pct"))
	d.Marked = map[string]string{}
	for _, m := range review.Catalogue(review.CurrentCatalogue) {
		if f.Get("m-"+m.Code()) == "1" {
			in.Marks = append(in.Marks, dangvu.Mark{Code: m.Code(), Explanation: text("x-" + m.Code())})
			d.Marked[m.Code()] = text("x-" + m.Code())
		}
	}
	d.Scores = map[string]int{}
	for _, c := range d.RuleSet.Criteria {
		if v := f.Get("s-" + c.Code); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				d.Errors["s-"+c.Code] = "cần một số nguyên"
				continue
			}
			in.Scores = append(in.Scores, dangvu.Score{Criterion: c.Code, Points: n})
			d.Scores[c.Code] = n
		}
	}
	if c := text("remedy_content"); c != "" || f.Get("remedy_due") != "" {
		rm := dangvu.Remedy{Content: c, Owner: text("remedy_owner")}
		if t, err := vn.ParseDate(f.Get("remedy_due")); err == nil {
			rm.Due = dangvu.DateOf(t)
		}
		in.Remedies = append(in.Remedies, rm)
		d.NewRemedy = rm
	}
	d.Strengths, d.Faults, d.Causes, d.SelfRating, d.TasksOnTime, d.TasksBeyondPct = in.Strengths, in.Faults, in.Causes, in.SelfRating, in.TasksOnTime, in.TasksBeyondPct
	d.TasksLatePct = in.TasksLatePct
	if len(d.Errors) == 0 {
		_, err = s.Store.SaveSelfReview(r.Context(), s.actor(r), d.ID, in)
		if err == nil {
			next := "/reviews/" + d.ID
			if strings.HasPrefix(r.URL.Path, "/self-reviews/") {
				next = "/reviews/mine"
			}
			http.Redirect(w, r, next, http.StatusSeeOther)
			return nil
		}
		fe, other, err := fieldErrors(err)
		if err != nil {
			return err
		}
		d.Errors, d.Other = formErrors(fe), other
	}
	if strings.HasPrefix(r.URL.Path, "/self-reviews/") {
		mine, err := s.myReviews(r)
		if err != nil {
			return err
		}
		d.Self, d.Linked, d.Mine = true, true, mine.Mine
		return s.render(w, r, http.StatusBadRequest, "review_edit.html", "Tự kiểm điểm của tôi", "mine", d)
	}
	return s.render(w, r, http.StatusBadRequest, "review_edit.html", "Nhập kiểm điểm: "+d.Subject(), "reviews", d)
}

// formErrors keys the store's field names ("marks[2].explanation", "remedies[0].due") by the
// form's inputs ("x-1.6", "remedy_due").
func formErrors(fe map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range fe {
		switch {
		case strings.HasPrefix(k, "marks["), strings.HasPrefix(k, "scores["):
			out["marks"] = strings.TrimPrefix(out["marks"]+"; "+v, "; ")
		case strings.HasPrefix(k, "remedies"):
			out["remedy"] = strings.TrimPrefix(out["remedy"]+"; "+v, "; ")
		default:
			out[k] = v
		}
	}
	return out
}

func (s *Server) meetingPost(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "Biểu mẫu không đọc được.")
	}
	f := r.PostForm
	text := func(k string) string { return strings.TrimSpace(strings.ReplaceAll(f.Get(k), "\r\n", "\n")) }
	in := dangvu.ReviewMeeting{Comments: text("comments"), Attendance: text("attendance"), Proposed: dangvu.Rating(f.Get("proposed_rating")),
		Trigger: f.Get("trigger"), TriggerNote: text("trigger_note"), Excluded: text("excluded"), PeerGroup: text("peer_group")}
	_, err := s.Store.RecordMeeting(r.Context(), s.actor(r), r.PathValue("id"), in)
	if err == nil {
		http.Redirect(w, r, "/reviews/"+r.PathValue("id"), http.StatusSeeOther)
		return nil
	}
	fe, other, err := fieldErrors(err)
	if err != nil {
		return err
	}
	d, err := s.reviewData(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	d.Comments, d.Attendance, d.ProposedRating, d.Trigger, d.TriggerNote, d.Excluded = in.Comments, in.Attendance, in.Proposed, in.Trigger, in.TriggerNote, in.Excluded
	d.PeerGroup = in.PeerGroup
	d.Errors, d.Other = fe, other
	return s.render(w, r, http.StatusBadRequest, "review_edit.html", "Nhập kiểm điểm: "+d.Subject(), "reviews", d)
}

func (s *Server) remedyPost(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return dangvu.Errorf(dangvu.EInvalid, "Biểu mẫu không đọc được.")
	}
	f := r.PostForm
	done := ""
	if f.Get("done_on") != "" {
		t, err := vn.ParseDate(f.Get("done_on"))
		if err != nil {
			return &dangvu.Error{Code: dangvu.EInvalid, Message: "Kết quả khắc phục chưa hợp lệ.", Fields: []dangvu.FieldError{{Field: "done_on", Reason: err.Error()}}}
		}
		done = dangvu.ISO(t)
	}
	m, err := s.Store.UpdateRemedy(r.Context(), s.actor(r), r.PathValue("id"), f.Get("status"), done, f.Get("evidence"))
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/reviews/"+m.ReviewID, http.StatusSeeOther)
	return nil
}

func (s *Server) rollUpPage(w http.ResponseWriter, r *http.Request) error {
	org, from, to, err := s.rollUpParams(r)
	if err != nil {
		return err
	}
	ru, err := s.Store.ReviewRollUp(r.Context(), org, from, to)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "review_rollup.html", "Tổng hợp xếp loại", "reviews", struct {
		dangvu.RollUp
		From, To int
	}{ru, from, to})
}
