package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"dangvu"
	"dangvu/internal/gen"
)

// version is an organisation during [from, to): its name, parent, level and kind.
type version struct {
	from, to date
	name     string
	parent   *org
	level    dangvu.Level
	kind     dangvu.OrgKind
	event    *event // the reorganisation that opened this version
}

// org is a party organisation with its versions and what the generator needs to people it.
type org struct {
	id       string
	issuer   string
	area     string // "UB" or "DT": the town its members live in and move within
	role     string // the people it holds, see profiles
	place    string // how titles name it ("khu 3", "phường Phương Đông"); default from the name
	versions []version
	children []*org // as built; who is under whom on a date is in the versions

	size, admit float64 // relative share of the standing membership and of admissions
	seeds       int     // members transferred in when it is founded after the records start

	endEvent *event // the reorganisation that ended it
	carryTo  []*org // where its members go when it ends (empty: a residential cell nearby)

	unit     *unit     // the agency, unit or enterprise it serves
	locality *locality // the village or area a residential cell serves
}

// event is a reorganisation: a change to the tree.
type event struct {
	id          string
	day         date
	kind        dangvu.ReorgKind
	document    string
	description string
}

func (w *world) event(id string, day date, kind dangvu.ReorgKind, doc, desc string) *event {
	e := &event{id: id, day: day, kind: kind, document: doc, description: desc}
	w.events = append(w.events, e)
	return e
}

func (w *world) add(id, name string, parent *org, level dangvu.Level, kind dangvu.OrgKind, from date) *org {
	o := &org{id: id, versions: []version{{from: from, to: open, name: name, parent: parent, level: level, kind: kind}}}
	switch level {
	case dangvu.LevelCentral:
		o.issuer = "TW"
	case dangvu.LevelProvince, dangvu.LevelDistrict:
		o.issuer = "TU" // city and town committees also sign TU (domain.md §2)
	case dangvu.LevelCell, dangvu.LevelGrassrootsCell:
		o.issuer = "CB"
	default:
		o.issuer = "ĐU"
	}
	if parent != nil {
		o.area = parent.area
		parent.children = append(parent.children, o)
	}
	if w.byID[id] != nil {
		panic("demo: duplicate organisation id " + id)
	}
	w.orgs = append(w.orgs, o)
	w.byID[id] = o
	return o
}

// Admissions per member by role: schools, the police and the armed forces admit young people more
// often than residential cells of retirees do.
var admitFactor = map[string]float64{
	roleResidential: 0.45, roleWardOffice: 1.2, roleCityOffice: 1.2, roleAgency: 1.0, rolePolice: 1.6,
	roleMilitary: 2.5, roleMilitia: 1.0, roleSchool: 1.6, roleHealth: 1.4, roleService: 1.0, roleEnterprise: 1.1,
}

// holder adds an organisation that holds members directly: a cell, or a grassroots cell.
func (w *world) holder(id, name string, parent *org, level dangvu.Level, kind dangvu.OrgKind, role string, size int) *org {
	o := w.add(id, name, parent, level, kind, parent.from())
	o.role, o.size, o.admit = role, float64(size), float64(size)*admitFactor[role]
	return o
}

func (o *org) first() *version { return &o.versions[0] }
func (o *org) last() *version  { return &o.versions[len(o.versions)-1] }
func (o *org) from() date      { return o.first().from }
func (o *org) to() date        { return o.last().to }
func (o *org) holds() bool     { return o.first().level.IsCell() }

// at returns the version in force on d, or nil.
func (o *org) at(d date) *version {
	for i := range o.versions {
		if v := &o.versions[i]; v.from <= d && d < v.to {
			return v
		}
	}
	return nil
}

// under reports whether o, in force on d, is a or lies below a on d.
func (o *org) under(a *org, d date) bool {
	for x := o; x != nil; {
		v := x.at(d)
		if v == nil {
			return false
		}
		if x == a {
			return true
		}
		x = v.parent
	}
	return false
}

// end closes the organisation on d.
func (o *org) end(d date, e *event) {
	o.last().to = d
	o.endEvent = e
}

// move opens a new version under parent from d.
func (o *org) move(d date, parent *org, e *event) {
	v := *o.last()
	o.last().to = d
	v.from, v.to, v.parent, v.event = d, open, parent, e
	o.versions = append(o.versions, v)
	parent.children = append(parent.children, o)
}

// placeName is how titles and positions name the organisation.
func (o *org) placeName() string {
	if o.place != "" {
		return o.place
	}
	n := o.first().name
	return strings.TrimPrefix(strings.TrimPrefix(n, "Đảng bộ "), "Chi bộ ")
}

// holdersUnder lists the organisations holding members that lie under o on d (o itself if it holds).
func (w *world) holdersUnder(o *org, d date) []*org {
	var out []*org
	for _, x := range w.orgs {
		if x.holds() && x.under(o, d) {
			out = append(out, x)
		}
	}
	return out
}

// grassrootsUnder counts the grassroots organisations under o on d.
func (w *world) grassrootsUnder(o *org, d date) int {
	n := 0
	for _, x := range w.orgs {
		if v := x.at(d); v != nil && v.level.IsGrassroots() && x.under(o, d) {
			n++
		}
	}
	return n
}

// unitsServedUnder counts the units in force on d whose serving organisation lies under o.
func (w *world) unitsServedUnder(o *org, d date) int {
	n := 0
	for _, u := range w.units {
		if u.from <= d && d < u.until() && u.org.under(o, d) {
			n++
		}
	}
	return n
}

// The wards and communes of Uông Bí in 2015–2025.
var ubWards = []struct {
	code, name string
	commune    bool
}{
	{"BS", "Bắc Sơn", false}, {"NK", "Nam Khê", false}, {"PD", "Phương Đông", false},
	{"PN", "Phương Nam", false}, {"QT", "Quang Trung", false}, {"TS", "Thanh Sơn", false},
	{"TV", "Trưng Vương", false}, {"VD", "Vàng Danh", false}, {"YT", "Yên Thanh", false},
	{"DC", "Điền Công", true}, {"TYC", "Thượng Yên Công", true},
}

// agency is an agency or unit served by a cell of its own: the cell's id suffix, the agency's
// name as the cell carries it, the unit's full name and the title of its head.
type agency struct{ code, name, unit, title string }

var cityOffices = []struct {
	code, name string
	kind       dangvu.OrgKind
	cells      []agency
}{
	{"CQTU", "Đảng bộ Cơ quan Thành ủy", dangvu.KindPartyAgency, []agency{
		{"VP", "Văn phòng Thành ủy", "Văn phòng Thành ủy Uông Bí", "Chánh Văn phòng"},
		{"BTC", "Ban Tổ chức Thành ủy", "Ban Tổ chức Thành ủy Uông Bí", "Trưởng ban"},
		{"BTG", "Ban Tuyên giáo Thành ủy", "Ban Tuyên giáo Thành ủy Uông Bí", "Trưởng ban"},
		{"BDV", "Ban Dân vận Thành ủy", "Ban Dân vận Thành ủy Uông Bí", "Trưởng ban"},
		{"UBKT", "Ủy ban Kiểm tra Thành ủy", "Ủy ban Kiểm tra Thành ủy Uông Bí", "Chủ nhiệm"},
	}},
	{"CQCQ", "Đảng bộ Cơ quan chính quyền thành phố", dangvu.KindStateAgency, []agency{
		{"VP", "Văn phòng HĐND và UBND", "Văn phòng HĐND và UBND thành phố Uông Bí", "Chánh Văn phòng"},
		{"NV", "Phòng Nội vụ", "Phòng Nội vụ thành phố Uông Bí", "Trưởng phòng"},
		{"TCKH", "Phòng Tài chính - Kế hoạch", "Phòng Tài chính - Kế hoạch thành phố Uông Bí", "Trưởng phòng"},
		{"TNMT", "Phòng Tài nguyên và Môi trường", "Phòng Tài nguyên và Môi trường thành phố Uông Bí", "Trưởng phòng"},
		{"QLDT", "Phòng Quản lý đô thị", "Phòng Quản lý đô thị thành phố Uông Bí", "Trưởng phòng"},
		{"KT", "Phòng Kinh tế", "Phòng Kinh tế thành phố Uông Bí", "Trưởng phòng"},
		{"GDDT", "Phòng Giáo dục và Đào tạo", "Phòng Giáo dục và Đào tạo thành phố Uông Bí", "Trưởng phòng"},
		{"VHTT", "Phòng Văn hóa và Thông tin", "Phòng Văn hóa và Thông tin thành phố Uông Bí", "Trưởng phòng"},
		{"LDTBXH", "Phòng Lao động - Thương binh và Xã hội", "Phòng Lao động - Thương binh và Xã hội thành phố Uông Bí", "Trưởng phòng"},
		{"TP", "Phòng Tư pháp", "Phòng Tư pháp thành phố Uông Bí", "Trưởng phòng"},
		{"YT", "Phòng Y tế", "Phòng Y tế thành phố Uông Bí", "Trưởng phòng"},
		{"TT", "Thanh tra thành phố", "Thanh tra thành phố Uông Bí", "Chánh Thanh tra"},
	}},
	{"MT", "Đảng bộ Cơ quan Mặt trận Tổ quốc và các đoàn thể thành phố", dangvu.KindFrontAgency, []agency{
		{"MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố", "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Uông Bí", "Chủ tịch"},
		{"TD", "Thành đoàn", "Thành đoàn Uông Bí", "Bí thư Thành đoàn"},
		{"HPN", "Hội Liên hiệp Phụ nữ thành phố", "Hội Liên hiệp Phụ nữ thành phố Uông Bí", "Chủ tịch"},
		{"HND", "Hội Nông dân thành phố", "Hội Nông dân thành phố Uông Bí", "Chủ tịch"},
		{"HCCB", "Hội Cựu chiến binh thành phố", "Hội Cựu chiến binh thành phố Uông Bí", "Chủ tịch"},
		{"LDLD", "Liên đoàn Lao động thành phố", "Liên đoàn Lao động thành phố Uông Bí", "Chủ tịch"},
	}},
}

// State agencies with a grassroots cell of their own.
var stateAgencies = []agency{
	{"TA", "Tòa án nhân dân thành phố", "Tòa án nhân dân thành phố Uông Bí", "Chánh án"},
	{"VKS", "Viện Kiểm sát nhân dân thành phố", "Viện Kiểm sát nhân dân thành phố Uông Bí", "Viện trưởng"},
	{"THA", "Chi cục Thi hành án dân sự thành phố", "Chi cục Thi hành án dân sự thành phố Uông Bí", "Chi cục trưởng"},
	{"THUE", "Chi cục Thuế thành phố", "Chi cục Thuế thành phố Uông Bí", "Chi cục trưởng"},
	{"KB", "Kho bạc Nhà nước Uông Bí", "Kho bạc Nhà nước Uông Bí", "Giám đốc"},
	{"BHXH", "Bảo hiểm xã hội thành phố", "Bảo hiểm xã hội thành phố Uông Bí", "Giám đốc"},
	{"TK", "Chi cục Thống kê thành phố", "Chi cục Thống kê thành phố Uông Bí", "Chi cục trưởng"},
	{"KL", "Hạt Kiểm lâm thành phố", "Hạt Kiểm lâm thành phố Uông Bí", "Hạt trưởng"},
}

// Public service units with a grassroots cell of their own.
var publicServices = []agency{
	{"TTVH", "Trung tâm Văn hóa - Thể thao và Truyền thông", "Trung tâm Văn hóa - Thể thao và Truyền thông thành phố Uông Bí", "Giám đốc"},
	{"BQLYT", "Ban Quản lý Di tích và Rừng quốc gia Yên Tử", "Ban Quản lý Di tích và Rừng quốc gia Yên Tử", "Trưởng ban"},
	{"BQLDA", "Ban Quản lý dự án đầu tư xây dựng thành phố", "Ban Quản lý dự án đầu tư xây dựng thành phố Uông Bí", "Giám đốc"},
	{"PTQD", "Trung tâm Phát triển quỹ đất thành phố", "Trung tâm Phát triển quỹ đất thành phố Uông Bí", "Giám đốc"},
	{"GDNN", "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên", "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên thành phố Uông Bí", "Giám đốc"},
	{"TTCT", "Trung tâm Chính trị thành phố", "Trung tâm Chính trị thành phố Uông Bí", "Giám đốc"},
}

var highSchools = []string{"Uông Bí", "Hoàng Văn Thụ", "Hồng Đức", "Nguyễn Tất Thành"}

var policeTeams = []string{
	"Đội Tham mưu", "Đội Cảnh sát hình sự", "Đội Cảnh sát kinh tế", "Đội Cảnh sát giao thông - trật tự",
	"Đội An ninh", "Đội Cảnh sát quản lý hành chính", "Đội Điều tra tổng hợp", "Đội Cảnh sát thi hành án hình sự và hỗ trợ tư pháp",
}

var workshops = []string{
	"Phân xưởng Khai thác 1", "Phân xưởng Khai thác 2", "Phân xưởng Đào lò", "Phân xưởng Cơ điện",
	"Phân xưởng Vận tải", "Phân xưởng Thông gió", "Phân xưởng Chế biến", "Khối Văn phòng",
}

var (
	stateSectors   = []string{"Than", "Cơ khí mỏ", "Vận tải mỏ", "Xây lắp điện", "Cấp nước", "Môi trường đô thị", "Lâm nghiệp", "Xi măng"}
	privateSectors = []string{"Xây dựng", "Thương mại", "Vận tải", "Vật liệu xây dựng", "Du lịch", "Khách sạn", "Dịch vụ",
		"Cơ khí", "Gạch ngói", "Chế biến gỗ", "May mặc", "Đầu tư", "Xăng dầu", "Thực phẩm", "Dược phẩm", "Điện máy"}
)

func (w *world) companyName(r *rand.Rand, state bool) string {
	return w.unique(func() string {
		if state {
			return pick(r, "Công ty TNHH MTV ", "Công ty cổ phần ") + pick(r, stateSectors...) + " " + gen.PlaceName(r)
		}
		return pick(r, "Công ty TNHH ", "Công ty cổ phần ") + pick(r, privateSectors...) + " " + gen.PlaceName(r)
	})
}

// buildTree makes the organisations in force from the records start, with the agencies and
// villages they serve; planReorganisation then adds 2025.
func (w *world) buildTree(r *rand.Rand) {
	vn := w.add("VN", "Đảng Cộng sản Việt Nam", nil, dangvu.LevelCentral, dangvu.KindCentral, ymd(1930, 2, 3))
	w.qn = w.add("QN", "Đảng bộ tỉnh Quảng Ninh", vn, dangvu.LevelProvince, dangvu.KindProvince, ymd(1963, 10, 30))
	w.ub = w.add("UB", "Đảng bộ thành phố Uông Bí", w.qn, dangvu.LevelDistrict, dangvu.KindDistrict, recordsStart)
	w.ub.area, w.ub.place = "UB", "Uông Bí"

	var wards []*org
	for _, wd := range ubWards {
		wards = append(wards, w.ward(r, w.ub, wd.code, wd.name, wd.commune, false))
	}
	w.cityAgencies(r, wards)

	// Enterprises make up the grassroots organisations to the wanted size…
	n := grassrootsOrgs - w.grassrootsUnder(w.ub, periodTo)
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("UB-DN%02d", i)
		switch {
		case i <= 4: // state companies with workshop cells
			name := w.companyName(r, true)
			c := w.add(id, "Đảng bộ "+name, w.ub, dangvu.LevelGrassrootsCommittee, dangvu.KindStateEnterprise, recordsStart)
			c.role = roleEnterprise
			w.newUnit(c, name, dangvu.KindStateEnterprise, "Giám đốc")
			k := 5 + r.IntN(4)
			for j, ws := range workshops[len(workshops)-k:] {
				w.holder(fmt.Sprintf("%s-C%d", id, j+1), "Chi bộ "+ws, c, dangvu.LevelCell, dangvu.KindStateEnterprise, roleEnterprise, 10+r.IntN(19))
			}
		case i <= 10:
			w.company(r, w.ub, id, true, dangvu.LevelGrassrootsCell, 8+r.IntN(13))
		default:
			w.company(r, w.ub, id, false, dangvu.LevelGrassrootsCell, 4+r.IntN(9))
		}
	}
	// …and cells of private firms under the wards make up the units served to the article's count.
	k := make(map[*org]int)
	for i := unitsServed - w.unitsServedUnder(w.ub, periodTo); i > 0; i-- {
		wd := wards[r.IntN(len(wards))]
		k[wd]++
		w.company(r, wd, fmt.Sprintf("%s-DN%d", wd.id, k[wd]), false, dangvu.LevelCell, 4+r.IntN(5))
	}

	// Firms come and go: two closed before 2018, three founded after.
	for i := 1; i <= 2; i++ {
		c := w.company(r, w.ub, fmt.Sprintf("UB-DN%02d", n+i), false, dangvu.LevelGrassrootsCell, 5+r.IntN(5))
		day := within(r, ymd(2016, 3, 1), ymd(2018, 1, 1))
		e := w.event(fmt.Sprintf("R-%d-%s", day.year(), c.id), day, dangvu.ReorgDissolve, fmt.Sprintf("Số %d-QĐ/TU", 300+r.IntN(600)),
			"Giải thể "+c.first().name+" do doanh nghiệp chấm dứt hoạt động; đảng viên chuyển về sinh hoạt tại chi bộ nơi cư trú")
		c.end(day, e)
	}
	for i := 1; i <= 3; i++ {
		wd := wards[r.IntN(len(wards))]
		k[wd]++
		day := within(r, ymd(2019, 3, 1), ymd(2024, 1, 1))
		c := w.company(r, wd, fmt.Sprintf("%s-DN%d", wd.id, k[wd]), false, dangvu.LevelCell, 5+r.IntN(4))
		c.first().from, c.seeds = day, 3+r.IntN(3)
		c.unit.from = day
		e := w.event(fmt.Sprintf("R-%d-%s", day.year(), c.id), day, dangvu.ReorgCreate, fmt.Sprintf("Số %d-QĐ/TU", 300+r.IntN(600)),
			"Thành lập "+c.first().name+" trực thuộc "+wd.first().name)
		c.first().event = e
	}

	w.dt = w.add("DT", "Đảng bộ thị xã Đông Triều", w.qn, dangvu.LevelDistrict, dangvu.KindDistrict, recordsStart)
	w.dt.area, w.dt.place = "DT", "Đông Triều"
	w.ward(r, w.dt, "MK", "Mạo Khê", false, true)
	w.ward(r, w.dt, "HD", "Hưng Đạo", false, true)
	kb := w.holder("DT-KB", "Chi bộ Kho bạc Nhà nước Đông Triều", w.dt, dangvu.LevelGrassrootsCell, dangvu.KindStateAgency, roleAgency, 6+r.IntN(5))
	w.newUnit(kb, "Kho bạc Nhà nước Đông Triều", dangvu.KindStateAgency, "Giám đốc")
}

// company adds the party organisation of an enterprise with its unit.
func (w *world) company(r *rand.Rand, parent *org, id string, state bool, level dangvu.Level, size int) *org {
	kind := dangvu.KindNonStateEnterprise
	if state {
		kind = dangvu.KindStateEnterprise
	}
	name := w.companyName(r, state)
	c := w.holder(id, "Chi bộ "+name, parent, level, kind, roleEnterprise, size)
	w.newUnit(c, name, kind, "Giám đốc")
	return c
}

// ward adds a ward or commune committee with its residential cells, its agency cell, and the
// cells of its police, militia and schools; a small one (Đông Triều's) has fewer.
func (w *world) ward(r *rand.Rand, parent *org, code, name string, commune, small bool) *org {
	word, kind := "phường", dangvu.KindWard
	if commune {
		word, kind = "xã", dangvu.KindCommune
	}
	wd := w.add(parent.id+"-"+code, "Đảng bộ "+word+" "+name, parent, dangvu.LevelGrassrootsCommittee, kind, recordsStart)
	wd.role = roleWardOffice
	n := 9 + r.IntN(7)
	switch {
	case small:
		n = 5 + r.IntN(3)
	case commune:
		n = 6 + r.IntN(5)
	}
	for i := 1; i <= n; i++ {
		size := 12 + r.IntN(30)
		if small {
			size = 10 + r.IntN(20)
		}
		if commune {
			village := strings.TrimPrefix(w.unique(func() string { return wd.id + "|" + gen.PlaceName(r) }), wd.id+"|")
			c := w.holder(fmt.Sprintf("%s-T%02d", wd.id, i), "Chi bộ thôn "+village, wd, dangvu.LevelCell, dangvu.KindResidential, roleResidential, size)
			w.newLocality(c, "Thôn "+village, "village")
		} else {
			c := w.holder(fmt.Sprintf("%s-K%02d", wd.id, i), fmt.Sprintf("Chi bộ khu %d", i), wd, dangvu.LevelCell, dangvu.KindResidential, roleResidential, size)
			w.newLocality(c, fmt.Sprintf("Khu %d", i), "area")
		}
	}
	cq := w.holder(wd.id+"-CQ", "Chi bộ Cơ quan "+word+" "+name, wd, dangvu.LevelCell, dangvu.KindStateAgency, roleWardOffice, 18+r.IntN(12))
	w.newUnit(cq, "Ủy ban nhân dân "+word+" "+name, dangvu.KindStateAgency, "Chủ tịch")
	if !small {
		w.holder(wd.id+"-CA", "Chi bộ Công an "+word+" "+name, wd, dangvu.LevelCell, dangvu.KindPolice, rolePolice, 5+r.IntN(8))
		w.holder(wd.id+"-QS", "Chi bộ Quân sự "+word+" "+name, wd, dangvu.LevelCell, dangvu.KindArmedForces, roleMilitia, 4+r.IntN(4))
	}
	schools := []struct {
		code, word string
		n, size    int
	}{{"MN", "Mầm non", 1 + r.IntN(2), 5}, {"TH", "Tiểu học", 1 + r.IntN(2), 6}, {"THCS", "Trung học cơ sở", 1, 7}}
	if small {
		schools = schools[:1]
		schools[0].n = 1
	}
	for _, s := range schools {
		for i := 1; i <= s.n; i++ {
			sname := "Trường " + s.word + " " + name
			if i > 1 {
				sname = w.unique(func() string { return "Trường " + s.word + " " + gen.PlaceName(r) })
			}
			c := w.holder(fmt.Sprintf("%s-%s%d", wd.id, s.code, i), "Chi bộ "+sname, wd, dangvu.LevelCell, dangvu.KindPublicService, roleSchool, s.size+r.IntN(s.size))
			w.newUnit(c, sname, dangvu.KindPublicService, "Hiệu trưởng")
		}
	}
	return wd
}

// cityAgencies adds the grassroots organisations of the city's agencies and public services.
func (w *world) cityAgencies(r *rand.Rand, wards []*org) {
	for _, co := range cityOffices {
		c := w.add("UB-"+co.code, co.name, w.ub, dangvu.LevelGrassrootsCommittee, co.kind, recordsStart)
		c.role = roleCityOffice
		for _, a := range co.cells {
			size := 4 + r.IntN(6)
			if a.code == "VP" {
				size = 10 + r.IntN(7)
			}
			x := w.holder(c.id+"-"+a.code, "Chi bộ "+a.name, c, dangvu.LevelCell, co.kind, roleCityOffice, size)
			w.newUnit(x, a.unit, co.kind, a.title)
		}
	}
	for _, a := range stateAgencies {
		x := w.holder("UB-"+a.code, "Chi bộ "+a.name, w.ub, dangvu.LevelGrassrootsCell, dangvu.KindStateAgency, roleAgency, 6+r.IntN(10))
		w.newUnit(x, a.unit, dangvu.KindStateAgency, a.title)
	}

	ca := w.add("UB-CA", "Đảng bộ Công an thành phố", w.ub, dangvu.LevelGrassrootsCommittee, dangvu.KindPolice, recordsStart)
	ca.role = rolePolice
	w.newUnit(ca, "Công an thành phố Uông Bí", dangvu.KindPolice, "Trưởng Công an")
	for i, t := range policeTeams {
		w.holder(fmt.Sprintf("UB-CA-%02d", i+1), "Chi bộ "+t, ca, dangvu.LevelCell, dangvu.KindPolice, rolePolice, 8+r.IntN(13))
	}
	qs := w.add("UB-QS", "Đảng bộ Quân sự thành phố", w.ub, dangvu.LevelGrassrootsCommittee, dangvu.KindArmedForces, recordsStart)
	qs.role = roleMilitary
	for i, t := range []string{"Chỉ huy", "Tham mưu - Hậu cần", "Chính trị"} {
		w.holder(fmt.Sprintf("UB-QS-%02d", i+1), "Chi bộ "+t, qs, dangvu.LevelCell, dangvu.KindArmedForces, roleMilitary, 5+r.IntN(5))
	}

	yt := w.add("UB-TTYT", "Đảng bộ Trung tâm Y tế thành phố", w.ub, dangvu.LevelGrassrootsCommittee, dangvu.KindPublicService, recordsStart)
	yt.role = roleHealth
	w.newUnit(yt, "Trung tâm Y tế thành phố Uông Bí", dangvu.KindPublicService, "Giám đốc")
	for i, b := range []struct {
		name string
		size int
	}{{"Khối Điều trị", 20}, {"Khối Dự phòng", 8}, {"Khối Hành chính", 6}} {
		w.holder(fmt.Sprintf("UB-TTYT-%02d", i+1), "Chi bộ "+b.name, yt, dangvu.LevelCell, dangvu.KindPublicService, roleHealth, b.size+r.IntN(b.size/2+1))
	}
	for _, wd := range wards {
		place := wd.placeName()
		x := w.holder("UB-TTYT-"+strings.TrimPrefix(wd.id, "UB-"), "Chi bộ Trạm Y tế "+place, yt, dangvu.LevelCell, dangvu.KindPublicService, roleHealth, 4+r.IntN(3))
		w.newUnit(x, "Trạm Y tế "+place, dangvu.KindPublicService, "Trạm trưởng")
	}

	for _, a := range publicServices {
		x := w.holder("UB-"+a.code, "Chi bộ "+a.name, w.ub, dangvu.LevelGrassrootsCell, dangvu.KindPublicService, roleService, 5+r.IntN(10))
		w.newUnit(x, a.unit, dangvu.KindPublicService, a.title)
	}
	for i, s := range highSchools {
		name := "Trường Trung học phổ thông " + s
		x := w.holder(fmt.Sprintf("UB-THPT%d", i+1), "Chi bộ "+name, w.ub, dangvu.LevelGrassrootsCell, dangvu.KindPublicService, roleSchool, 8+r.IntN(7))
		w.newUnit(x, name, dangvu.KindPublicService, "Hiệu trưởng")
	}
}

func (w *world) writeReorganisations(s *sink) {
	for _, e := range w.events {
		s.row("reorganisations", "id", e.id, "date", e.day.String(), "kind", string(e.kind), "document", e.document, "description", e.description)
	}
}

func (w *world) writeOrganisations(s *sink) {
	for _, o := range w.orgs {
		for _, v := range o.versions {
			parent, ev := "", ""
			if v.parent != nil {
				parent = v.parent.id
			}
			if v.event != nil {
				ev = v.event.id
			}
			s.row("organisations", "id", o.id, "valid_from", v.from.String(), "valid_to", v.to.String(), "name", v.name,
				"parent_id", parent, "level", string(v.level), "kind", string(v.kind), "issuer_code", o.issuer, "event_id", ev)
		}
	}
}
