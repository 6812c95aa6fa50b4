package httpapi

// Member files, party cards, badges and the yearly supplement: the API under
// /api/v1/members/{id}/file, /api/v1/badges, /api/v1/cards and /api/v1/supplements
// (docs/member-files.md). Reading needs the right to read member files; writing, the right to
// keep them.

import (
	"net/http"
	"strconv"
	"time"

	"dangvu"
	"dangvu/internal/rules/badges"
	"dangvu/internal/vn"
)

func filesModule(m *module) {
	m.routes = append(m.routes, fileRoutes, filePageRoutes, fileWorkRoutes)
	m.api = filesAPI
	m.nav = append(m.nav, navItem{"files", "/files", "Hồ sơ đảng viên", string(dangvu.ActReadMemberFiles)})
	filesFuncs(m)
	fileWorkScopes(m)
	m.objectScopes["supplements"] = func(s *Server, r *http.Request, id string, asOf time.Time) error {
		x, err := s.Store.Supplement(r.Context(), id)
		if err != nil {
			return err
		}
		if err := s.checkOrg(r, x.OrgID, asOf); err != nil {
			return dangvu.Errorf(dangvu.ENotFound, "không có phiếu bổ sung mã %q", id)
		}
		return nil
	}
	entityNames["badge"], entityNames["card"], entityNames["file_document"], entityNames["supplement"], entityNames["supplements"] =
		"Huy hiệu Đảng", "Thẻ đảng viên", "Tài liệu hồ sơ đảng viên", "Phiếu bổ sung hồ sơ", "Đợt bổ sung hồ sơ"
}

type (
	memberFileBody struct {
		dangvu.FileStatus
		AsOf     string                `json:"as_of"`
		Details  dangvu.MemberDetails  `json:"details"`
		Family   []dangvu.FamilyMember `json:"family"`
		Cards    []dangvu.Card         `json:"cards"`
		Badges   []dangvu.Badge        `json:"badges"`
		PartyAge string                `json:"party_age"`
		GapDays  int                   `json:"gap_days"`
	}
	badgeListBody struct {
		Org        string                  `json:"org"`
		Ceremony   string                  `json:"ceremony"`
		Candidates []dangvu.BadgeCandidate `json:"candidates"`
		Awarded    []dangvu.Badge          `json:"awarded"`
	}
	cardListBody struct {
		Org  string `json:"org"`
		AsOf string `json:"as_of"`
		apiPage
		Cards []dangvu.Card `json:"cards"`
	}
	supplementListBody struct {
		Org  string `json:"org"`
		Year int    `json:"year"`
		apiPage
		Supplements []dangvu.Supplement `json:"supplements"`
	}
	supplementOpen struct {
		OrgID string `json:"org_id"`
		Year  int    `json:"year" api:"required"`
	}
	supplementOpened struct {
		OrgID  string `json:"org_id"`
		Year   int    `json:"year"`
		Opened int    `json:"opened"`
	}
	supplementAct struct {
		// Action: enter (the member or the cell records the changes), check (the cell),
		// certify (the grassroots committee).
		Action  string            `json:"action" api:"required"`
		CellID  string            `json:"cell_id,omitempty"` // the cell entering, when not the member
		Changes map[string]string `json:"changes,omitempty"`
	}
)

var filesAPI = map[string]apiTypes{
	"GET /api/v1/members/{id}/file": {out: memberFileBody{}},
	"GET /api/v1/badges":            {out: badgeListBody{}},
	"POST /api/v1/badges":           {in: dangvu.Badge{}, out: dangvu.Badge{}, status: http.StatusCreated},
	"GET /api/v1/cards":             {out: cardListBody{}},
	"POST /api/v1/cards":            {in: dangvu.Card{}, out: dangvu.Card{}, status: http.StatusCreated},
	"GET /api/v1/supplements":       {out: supplementListBody{}},
	"POST /api/v1/supplements":      {in: supplementOpen{}, out: supplementOpened{}, status: http.StatusCreated},
	"POST /api/v1/supplements/{id}": {in: supplementAct{}, out: dangvu.Supplement{}},
	"GET /api/v1/supplements/{id}":  {out: dangvu.Supplement{}},
}

func fileRoutes() []route {
	return []route{
		{"GET /api/v1/members/{id}/file", (*Server).memberFileAPI, "Hồ sơ của một đảng viên đối chiếu danh mục CV 1361: tài liệu có, loại bắt buộc còn thiếu, loại trùng; lý lịch bổ sung, gia đình, thẻ, Huy hiệu, tuổi đảng đã trừ thời gian ngoài Đảng", []string{"as_of"}, false, dangvu.ActReadMemberFiles},
		{"GET /api/v1/badges", (*Server).badgeListAPI, "Danh sách đề nghị tặng Huy hiệu Đảng (mẫu 4-HHĐ) cho một ngày trao (3/2, 19/5, 2/9, 7/11): đến mốc, lùi do kỷ luật, có thể tặng sớm, truy tặng; và các Huy hiệu đã ghi", []string{"org", "ceremony"}, false, dangvu.ActReadMemberFiles},
		{"POST /api/v1/badges", (*Server).badgePostAPI, "Ghi Huy hiệu Đảng (JSON: member_id, milestone, kind, ceremony, decision, decided_on, presented_on, org_id): mốc phải đạt, tính cả thời gian ngoài Đảng", nil, false, dangvu.ActMemberFiles},
		{"GET /api/v1/cards", (*Server).cardListAPI, "Thẻ đảng viên của đảng viên trong phạm vi tổ chức: số thẻ (số định danh 12 chữ số hoặc dạng cũ), ngày phát, đổi, mất, thu hồi", []string{"org", "as_of", "limit", "offset"}, false, dangvu.ActReadMemberFiles},
		{"POST /api/v1/cards", (*Server).cardPostAPI, "Ghi thẻ đảng viên (JSON: member_id, number, kind issue/exchange/reissue, issued_on, decision); số thẻ được kiểm tra", nil, false, dangvu.ActMemberFiles},
		{"GET /api/v1/supplements", (*Server).supplementListAPI, "Phiếu bổ sung hồ sơ đảng viên của một năm trong phạm vi tổ chức, với bước của từng phiếu", []string{"org", "year", "limit", "offset"}, false, dangvu.ActReadMemberFiles},
		{"POST /api/v1/supplements", (*Server).supplementOpenAPI, "Cấp ủy cơ sở mở đợt bổ sung hồ sơ của một năm (JSON: org_id, year): một phiếu cho mỗi đảng viên", nil, false, dangvu.ActMemberFiles},
		{"GET /api/v1/supplements/{id}", (*Server).supplementOneAPI, "Một phiếu bổ sung hồ sơ", nil, false, dangvu.ActReadMemberFiles},
		{"POST /api/v1/supplements/{id}", (*Server).supplementActAPI, "Một bước của phiếu bổ sung (JSON: action enter/check/certify, changes, cell_id): xác nhận thì cập nhật lý lịch từ ngày xác nhận", nil, false, dangvu.ActMemberFiles},
	}
}

func (s *Server) memberFileAPI(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	asOf, err := date(r, "as_of", s.today())
	if err != nil {
		return err
	}
	ctx := r.Context()
	st, err := s.Store.MemberFile(ctx, id, asOf)
	if err != nil {
		return err
	}
	out := memberFileBody{FileStatus: st, AsOf: dangvu.ISO(asOf)}
	if out.Details, err = s.Store.MemberDetailsOn(ctx, id, asOf); err != nil {
		return err
	}
	if out.Family, err = s.Store.FamilyOf(ctx, id); err != nil {
		return err
	}
	if out.Cards, err = s.Store.MemberCards(ctx, id); err != nil {
		return err
	}
	if out.Badges, err = s.Store.MemberBadges(ctx, id); err != nil {
		return err
	}
	age, _, err := s.Store.PartyAge(ctx, id, asOf)
	if err != nil {
		return err
	}
	out.PartyAge, out.GapDays = age.String(), age.GapDays
	return writeJSON(w, http.StatusOK, out)
}

// orgOf reads the org parameter (the user's own organisation by default), checked against the
// user's subtree on day.
func (s *Server) orgOf(r *http.Request, day time.Time) (string, error) {
	org := s.defaultOrg(r, r.URL.Query().Get("org"))
	if org == "" {
		return "", dangvu.Errorf(dangvu.EInvalid, "cần tham số org")
	}
	return org, s.checkOrg(r, org, day)
}

func (s *Server) badgeListAPI(w http.ResponseWriter, r *http.Request) error {
	c := badges.NextCeremony(s.today())
	if v := r.URL.Query().Get("ceremony"); v != "" {
		t, err := vn.ParseDate(v)
		if err != nil {
			return &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: "ceremony", Reason: err.Error()}}}
		}
		c = t
	}
	org, err := s.orgOf(r, c)
	if err != nil {
		return err
	}
	cands, err := s.Store.BadgeCandidates(r.Context(), org, c)
	if err != nil {
		return err
	}
	done, err := s.Store.BadgesAt(r.Context(), org, c)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, badgeListBody{Org: org, Ceremony: dangvu.ISO(c), Candidates: cands, Awarded: done})
}

func (s *Server) badgePostAPI(w http.ResponseWriter, r *http.Request) error {
	var b dangvu.Badge
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	if err := s.checkRefs(r, memberRef(b.MemberID), orgRef(b.OrgID)); err != nil {
		return err
	}
	out, err := s.Store.SaveBadge(r.Context(), s.actor(r), b)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, out)
}

func (s *Server) cardListAPI(w http.ResponseWriter, r *http.Request) error {
	asOf, err := date(r, "as_of", s.viewDay(r, r.URL.Query().Get("org")))
	if err != nil {
		return err
	}
	org, err := s.orgOf(r, asOf)
	if err != nil {
		return err
	}
	cards, err := s.Store.Cards(r.Context(), org, asOf)
	if err != nil {
		return err
	}
	cards, page, err := pageOf(r, cards, 500)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, cardListBody{Org: org, AsOf: dangvu.ISO(asOf), apiPage: page, Cards: cards})
}

func (s *Server) cardPostAPI(w http.ResponseWriter, r *http.Request) error {
	var c dangvu.Card
	if err := decodeJSON(r, &c); err != nil {
		return err
	}
	if err := s.checkRefs(r, memberRef(c.MemberID)); err != nil {
		return err
	}
	out, err := s.Store.SaveCard(r.Context(), s.actor(r), c)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, out)
}

func (s *Server) supplementListAPI(w http.ResponseWriter, r *http.Request) error {
	day := s.today()
	year := day.Year()
	if v := r.URL.Query().Get("year"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return &dangvu.Error{Code: dangvu.EInvalid, Message: "Tham số không hợp lệ.", Fields: []dangvu.FieldError{{Field: "year", Reason: "cần năm, ví dụ 2026"}}}
		}
		year = n
	}
	org, err := s.orgOf(r, day)
	if err != nil {
		return err
	}
	xs, err := s.Store.Supplements(r.Context(), org, year, day)
	if err != nil {
		return err
	}
	xs, page, err := pageOf(r, xs, 500)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, supplementListBody{Org: org, Year: year, apiPage: page, Supplements: xs})
}

func (s *Server) supplementOpenAPI(w http.ResponseWriter, r *http.Request) error {
	var in supplementOpen
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.checkRefs(r, orgRef(in.OrgID)); err != nil {
		return err
	}
	n, err := s.Store.OpenSupplements(r.Context(), s.actor(r), in.OrgID, in.Year, s.today())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, supplementOpened{OrgID: in.OrgID, Year: in.Year, Opened: n})
}

func (s *Server) supplementOneAPI(w http.ResponseWriter, r *http.Request) error {
	x, err := s.Store.Supplement(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, x)
}

func (s *Server) supplementActAPI(w http.ResponseWriter, r *http.Request) error {
	var in supplementAct
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.checkRefs(r, orgRef(in.CellID)); err != nil {
		return err
	}
	id := r.PathValue("id")
	var (
		x   dangvu.Supplement
		err error
	)
	switch in.Action {
	case "enter":
		x, err = s.Store.EnterSupplement(r.Context(), s.actor(r), id, in.CellID, in.Changes)
	case "check":
		x, err = s.Store.AdvanceSupplement(r.Context(), s.actor(r), id, dangvu.SupplementChecked)
	case "certify":
		x, err = s.Store.AdvanceSupplement(r.Context(), s.actor(r), id, dangvu.SupplementCertified)
	default:
		err = &dangvu.Error{Code: dangvu.EInvalid, Message: "Bước không hợp lệ.", Fields: []dangvu.FieldError{{Field: "action", Reason: "dùng enter, check hoặc certify"}}}
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, x)
}
