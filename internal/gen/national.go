package gen

import (
	"cmp"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"

	"dangvu"
	"dangvu/internal/exchange"
)

// NationalOptions sets the size and seed of a national data set.
type NationalOptions struct {
	Members int    // party members to write
	Seed    uint64 // the same seed gives byte-identical output
	// Progress, when set, is called every 100,000 members and at the end with the members written.
	Progress func(members int)
}

// NationalStats counts what National wrote.
type NationalStats struct {
	Orgs    int // organisations (each counted once, whatever its versions)
	Members int
	Rows    int // rows of all tables
}

// realMembers is the country's party membership (domain.md §8): at this size the tree has the real
// number of districts and communes; smaller data sets get a thinner tree so cells stay realistic.
const realMembers = 5_600_000

// membersPerCell is the average size of a member-holding organisation the tree is sized for.
const membersPerCell = 24

// National writes a synthetic national data set to w, which it does not close: the tree of 63
// provinces before and 34 after the reorganisation of 1/7/2025, with districts, communes, agencies,
// enterprises and cells, and opt.Members members with their histories. The organisation tree is
// built in memory (O(organisations)); members are generated and written one at a time, each from
// its own seed, so memory does not grow with opt.Members.
func National(w exchange.Writer, opt NationalOptions) (NationalStats, error) {
	if opt.Members < 0 {
		return NationalStats{}, errors.New("gen: negative member count")
	}
	if opt.Members > 99_999_999 {
		return NationalStats{}, errors.New("gen: member ids have 8 digits")
	}
	g := newNat(opt)
	g.build()
	out := &counter{w: w}
	order, err := g.writeTree(out)
	if err != nil {
		return NationalStats{}, err
	}
	if err := g.writeDomainTree(out, order); err != nil {
		return NationalStats{}, err
	}
	if err := g.writeMembers(out, opt.Progress); err != nil {
		return NationalStats{}, err
	}
	return NationalStats{Orgs: len(g.orgs), Members: opt.Members, Rows: out.rows}, nil
}

// counter counts rows on their way to the writer.
type counter struct {
	w    exchange.Writer
	rows int
}

func (c *counter) Row(table string, values []string) error {
	c.rows++
	return c.w.Row(table, values)
}

// ---- dates ----

// day counts days from 1900-01-01 (day 0, never a real date here, so 0 means "none").
type day int32

// civil returns the days from 0000-03-01 to y-m-d (H. Hinnant's algorithm, proleptic Gregorian).
func civil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	doy := (153*((m+9)%12)+2)/5 + d - 1
	return era*146097 + yoe*365 + yoe/4 - yoe/100 + doy
}

var epoch = civil(1900, 1, 1)

func mkday(y, m, d int) day { return day(civil(y, m, d) - epoch) }

func (d day) ymd() (y, m, dd int) {
	z := int(d) + epoch
	era := z / 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	dd = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
		y++
	}
	return y, m, dd
}

// addYears keeps the day of the month; 29 February becomes 28 February.
func addYears(d day, n int) day {
	y, m, dd := d.ymd()
	if m == 2 && dd == 29 {
		dd = 28
	}
	return mkday(y+n, m, dd)
}

// isoAll holds every date from 1900 to 2039 as yyyy-mm-dd, 10 bytes each, so that formatting a
// date in the hot path is a slice of one string.
var isoAll = sync.OnceValue(func() string {
	n := int(mkday(2040, 1, 1))
	b := make([]byte, 0, 10*n)
	for d := day(0); int(d) < n; d++ {
		y, m, dd := d.ymd()
		b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
			byte('0'+m/10), byte('0'+m%10), '-', byte('0'+dd/10), byte('0'+dd%10))
	}
	return string(b)
})

func iso(d day) string {
	s := isoAll()
	return s[10*int(d) : 10*int(d)+10]
}

// isoEnd formats an end date: empty when open.
// dateOf is d as a dangvu.Date, for the rule packages' cases.
func dateOf(d day) dangvu.Date { return dangvu.MustDate(iso(d)) }

func isoEnd(d day) string {
	if d == 0 {
		return ""
	}
	return iso(d)
}

var (
	dFounded  = mkday(1930, 2, 3)
	dFirstAdm = mkday(1950, 1, 1)
	dHue      = mkday(2025, 1, 1)
	dReorg    = mkday(2025, 7, 1)
	dLastAdm  = mkday(2026, 10, 31)
	dAsOf     = mkday(2026, 11, 27) // the data set's "today"
	dLatest   = mkday(2012, 12, 31) // organisations existing before 2025 date from no later than this
)

// between returns a day in [a, b), or a when the range is empty.
func between(r *rand.Rand, a, b day) day {
	if b <= a {
		return a
	}
	return a + day(r.IntN(int(b-a)))
}

func yearDay(r *rand.Rand, y0, y1 int) day { return between(r, mkday(y0, 1, 1), mkday(y1+1, 1, 1)) }

// ---- the provinces ----

type provinceInfo struct {
	code      int    // administrative code, also the first digits of a CCCD (0cc)
	name      string // "tỉnh Quảng Ninh"
	seat      string // the first district: the provincial city, or a city's central district
	districts int    // district-level units before 2025, roughly
	into      int    // code of the province it merged into on 1/7/2025; 0 when it went on
	minority  int    // per mille of the population from ethnic minorities
	groups    string // the main local minority groups (ethnicity codes)
}

// provinces63 lists the provinces before 1/7/2025 and where each went under Nghị quyết
// 202/2025/QH15: 11 unchanged, 52 merged into 23.
var provinces63 = []provinceInfo{
	{1, "thành phố Hà Nội", "quận Hoàn Kiếm", 30, 0, 10, "06 03 02"},
	{2, "tỉnh Hà Giang", "thành phố Hà Giang", 11, 8, 870, "08 02 09 07 25"},
	{4, "tỉnh Cao Bằng", "thành phố Cao Bằng", 10, 0, 940, "02 07 08 09"},
	{6, "tỉnh Bắc Kạn", "thành phố Bắc Kạn", 8, 19, 880, "02 09 07 08"},
	{8, "tỉnh Tuyên Quang", "thành phố Tuyên Quang", 7, 0, 530, "02 09 15 08"},
	{10, "tỉnh Lào Cai", "thành phố Lào Cai", 9, 0, 650, "08 02 09 25 35"},
	{11, "tỉnh Điện Biên", "thành phố Điện Biên Phủ", 10, 0, 810, "03 08 29"},
	{12, "tỉnh Lai Châu", "thành phố Lai Châu", 8, 0, 840, "08 03 09 35 41"},
	{14, "tỉnh Sơn La", "thành phố Sơn La", 12, 0, 830, "03 08 06 29"},
	{15, "tỉnh Yên Bái", "thành phố Yên Bái", 9, 10, 570, "02 09 08 03"},
	{17, "tỉnh Hòa Bình", "thành phố Hòa Bình", 10, 25, 730, "06 03 02 09"},
	{19, "tỉnh Thái Nguyên", "thành phố Thái Nguyên", 9, 0, 280, "02 07 15 18 09"},
	{20, "tỉnh Lạng Sơn", "thành phố Lạng Sơn", 11, 0, 840, "07 02 09"},
	{22, "tỉnh Quảng Ninh", "thành phố Hạ Long", 13, 0, 120, "09 02 18 04"},
	{24, "tỉnh Bắc Giang", "thành phố Bắc Giang", 10, 27, 120, "07 02 18 15"},
	{25, "tỉnh Phú Thọ", "thành phố Việt Trì", 13, 0, 170, "06 09"},
	{26, "tỉnh Vĩnh Phúc", "thành phố Vĩnh Yên", 9, 25, 30, "18 09"},
	{27, "tỉnh Bắc Ninh", "thành phố Bắc Ninh", 8, 0, 10, ""},
	{30, "tỉnh Hải Dương", "thành phố Hải Dương", 12, 31, 10, ""},
	{31, "thành phố Hải Phòng", "quận Hồng Bàng", 15, 0, 10, ""},
	{33, "tỉnh Hưng Yên", "thành phố Hưng Yên", 10, 0, 5, ""},
	{34, "tỉnh Thái Bình", "thành phố Thái Bình", 8, 33, 5, ""},
	{35, "tỉnh Hà Nam", "thành phố Phủ Lý", 6, 37, 5, ""},
	{36, "tỉnh Nam Định", "thành phố Nam Định", 10, 37, 5, ""},
	{37, "tỉnh Ninh Bình", "thành phố Ninh Bình", 8, 0, 20, "06"},
	{38, "tỉnh Thanh Hóa", "thành phố Thanh Hóa", 26, 0, 170, "06 03 08"},
	{40, "tỉnh Nghệ An", "thành phố Vinh", 21, 0, 140, "03 29 08"},
	{42, "tỉnh Hà Tĩnh", "thành phố Hà Tĩnh", 13, 0, 5, ""},
	{44, "tỉnh Quảng Bình", "thành phố Đồng Hới", 8, 45, 20, "23 44"},
	{45, "tỉnh Quảng Trị", "thành phố Đông Hà", 10, 0, 110, "23 31"},
	{46, "tỉnh Thừa Thiên Huế", "thành phố Huế", 9, 0, 40, "31 26"},
	{48, "thành phố Đà Nẵng", "quận Hải Châu", 8, 0, 10, "26"},
	{49, "tỉnh Quảng Nam", "thành phố Tam Kỳ", 18, 48, 100, "26 14 27"},
	{51, "tỉnh Quảng Ngãi", "thành phố Quảng Ngãi", 13, 0, 120, "19 30 14"},
	{52, "tỉnh Bình Định", "thành phố Quy Nhơn", 11, 64, 30, "13 19"},
	{54, "tỉnh Phú Yên", "thành phố Tuy Hòa", 9, 66, 50, "12 13 17"},
	{56, "tỉnh Khánh Hòa", "thành phố Nha Trang", 9, 0, 40, "21"},
	{58, "tỉnh Ninh Thuận", "thành phố Phan Rang - Tháp Chàm", 7, 56, 230, "17 21"},
	{60, "tỉnh Bình Thuận", "thành phố Phan Thiết", 10, 68, 60, "17 21 04"},
	{62, "tỉnh Kon Tum", "thành phố Kon Tum", 10, 51, 530, "14 13 10 27"},
	{64, "tỉnh Gia Lai", "thành phố Pleiku", 17, 0, 460, "10 13"},
	{66, "tỉnh Đắk Lắk", "thành phố Buôn Ma Thuột", 15, 0, 330, "12 20 10 07 02"},
	{67, "tỉnh Đắk Nông", "thành phố Gia Nghĩa", 8, 68, 310, "20 08 02 07 12"},
	{68, "tỉnh Lâm Đồng", "thành phố Đà Lạt", 12, 0, 250, "16 28 36 20"},
	{70, "tỉnh Bình Phước", "thành phố Đồng Xoài", 11, 75, 170, "22 05 20"},
	{72, "tỉnh Tây Ninh", "thành phố Tây Ninh", 9, 0, 20, "05 17"},
	{74, "tỉnh Bình Dương", "thành phố Thủ Dầu Một", 9, 79, 20, "04 05"},
	{75, "tỉnh Đồng Nai", "thành phố Biên Hòa", 11, 0, 70, "04 07 02"},
	{77, "tỉnh Bà Rịa - Vũng Tàu", "thành phố Vũng Tàu", 8, 79, 20, "32 04"},
	{79, "Thành phố Hồ Chí Minh", "thành phố Thủ Đức", 22, 0, 50, "04 05"},
	{80, "tỉnh Long An", "thành phố Tân An", 15, 72, 10, "05"},
	{82, "tỉnh Tiền Giang", "thành phố Mỹ Tho", 11, 87, 10, "04"},
	{83, "tỉnh Bến Tre", "thành phố Bến Tre", 9, 86, 5, ""},
	{84, "tỉnh Trà Vinh", "thành phố Trà Vinh", 9, 86, 320, "05"},
	{86, "tỉnh Vĩnh Long", "thành phố Vĩnh Long", 8, 0, 30, "05"},
	{87, "tỉnh Đồng Tháp", "thành phố Cao Lãnh", 12, 0, 5, ""},
	{89, "tỉnh An Giang", "thành phố Long Xuyên", 11, 0, 60, "05 17 04"},
	{91, "tỉnh Kiên Giang", "thành phố Rạch Giá", 15, 89, 130, "05 04"},
	{92, "thành phố Cần Thơ", "quận Ninh Kiều", 9, 0, 20, "05 04"},
	{93, "tỉnh Hậu Giang", "thành phố Vị Thanh", 8, 92, 30, "05"},
	{94, "tỉnh Sóc Trăng", "thành phố Sóc Trăng", 11, 92, 350, "05 04"},
	{95, "tỉnh Bạc Liêu", "thành phố Bạc Liêu", 7, 96, 80, "05 04"},
	{96, "tỉnh Cà Mau", "thành phố Cà Mau", 9, 0, 30, "05 04"},
}

const codeHue = 46

// isCity reports a centrally-run city, whose districts are mostly quận.
func (p provinceInfo) isCity() bool { return !strings.HasPrefix(p.name, "tỉnh ") }

// short is the province's name without "tỉnh"/"thành phố".
func (p provinceInfo) short() string {
	_, n := splitAdmin(p.name)
	return n
}

// splitAdmin splits "huyện Đông Triều" into its administrative word and its name.
func splitAdmin(s string) (word, name string) {
	for _, w := range []string{"tỉnh ", "thành phố ", "Thành phố ", "thị xã ", "quận ", "huyện "} {
		if strings.HasPrefix(s, w) {
			return w[:len(w)-1], s[len(w):]
		}
	}
	return "", s
}

// ---- the tree ----

// role says what the generator made an organisation for, which decides its cells, its units and
// its fate on 1/7/2025.
type role uint8

const (
	roleRoot role = iota
	roleProvince
	roleDistrict
	roleCommune
	roleNewCommune
	roleSuperior
	roleGovt          // district government committee: ends in 2025, its members carried
	roleFront         // district front cell: ends in 2025, its members carried
	roleToCommune     // district agency or enterprise: moves under a new commune in 2025
	roleToPolice      // district police: moves under the provincial police
	roleToArmy        // district military command: moves under the provincial military
	roleSupGrass      // grassroots organisation under a provincial superior committee
	roleResidential   // residential cell, with its locality
	roleOffice        // a commune's office cell: ends in 2025, its members carried
	roleCommuneAgency // a commune's school, health station, police or militia cell
	roleCell          // a cell of an agency or enterprise committee
	roleNewCell       // a new commune's office cell, from 2025
)

// org is an organisation with at most two versions: [from, to) under parent, and, when p2 is
// set, [to, open) under p2 (a move or rename). An organisation whose to is set and p2 not ends.
type org struct {
	id, name string
	extra    string // bare name (communes), locality name (residential cells) or unit name
	name2    string // name of the second version when renamed
	level    dangvu.Level
	kind     dangvu.OrgKind
	issuer   string
	parent   int32
	p2       int32
	from, to day
	ev1, ev2 int16 // events that opened the versions; -1 for none
	first    int32 // first holder in its subtree (the source of its secretary); -1
	hold     int32 // its holder when it holds members; -1
	lo, hi   int32 // its cells (or the grassroots organisations of a superior)
	role     role
	lkind    uint8 // locality kind of a residential cell
}

func (o *org) ended() bool { return o.to != 0 && o.p2 < 0 }

// end is the last day after the organisation, 0 when it goes on.
func (o *org) end() day {
	if o.ended() {
		return o.to
	}
	return 0
}

// holder is an organisation that holds members directly: a cell or a grassroots cell.
type holder struct {
	org         int32
	start, size int32 // its members are start … start+size-1
	from        day
	carry       int32 // when it ends on 1/7/2025, the cell its members are carried to; -1
	ev          int16 // the event that carries them
	prof        profile
	prov        int16 // index in nat.provs of its province before 2025, for addresses and identity numbers
	dist        int32 // district for addresses; -1 for provincial agencies
	grp         int32 // organisation within which internal transfers happen
	residence   string
	issuer      string // who decides admissions before 1/7/2025
}

type event struct {
	id         string
	date       day
	kind       dangvu.ReorgKind
	doc, descr string
}

type district struct {
	org            int32
	commLo, commHi int32 // communes (org indices, contiguous)
	agLo, agHi     int32 // district agencies and enterprises (org indices, contiguous)
	addrLo         int32 // address of its first commune in nat.addrs
}

// superior committee types of a province.
const (
	supBloc = iota // Khối các cơ quan
	supBiz         // Khối Doanh nghiệp
	supPolice
	supArmy
	nSup
)

type provState struct {
	info           provinceInfo
	org            int32
	into           int // survivor's index in provinces63 (itself when it went on)
	ev             int16
	distLo, distHi int32
	sup            [nSup]int32
	newSeq         int
	names          map[string]bool // names of its new communes
}

// slot is an organisation that gets cells (or is a grassroots cell) when the holders are shared out.
type slot struct {
	org   int32
	mand  int // holders it must have
	w     int // weight in the share of the remaining holders
	style *cellStyle
	self  bool // a grassroots cell, holding members itself
}

type nat struct {
	seed    uint64
	n       int
	r       *rand.Rand
	scale   float64 // share of the real tree that is built, from member count
	orgs    []org
	holders []holder
	hw      []int32 // holder weights for sharing out members
	events  []event
	dists   []district
	distOf  map[int32]int32 // district organisation → index in dists
	addrs   []string        // commune addresses: "xã Tân Hòa, huyện Đông Lâm, tỉnh Quảng Ninh"
	provs   []provState
	slots   []slot
	evHue   int16
	// Identity numbers are unique (the import refuses one number on two members): the serial
	// part is a counter per CCCD prefix (province, gender and century, year) and one for the
	// 9-digit CMND, spread by a multiplier prime to the range. Members are written in order,
	// so the numbers are the same for a seed.
	cccdSeq map[uint32]uint32
	cmndSeq uint32
	// collected is what each organisation took in dues in each month of the generated year
	// (12/2025–11/2026), summed while its members are drawn: its remittances (dues.go).
	collected [][12]int64
}

func newNat(opt NationalOptions) *nat {
	return &nat{
		seed:    opt.Seed,
		n:       opt.Members,
		r:       rand.New(rand.NewPCG(opt.Seed, 0x6e6174696f6e616c)),
		scale:   math.Min(1, math.Sqrt(float64(opt.Members)/realMembers)),
		distOf:  map[int32]int32{},
		cccdSeq: map[uint32]uint32{},
	}
}

func (g *nat) add(o org) int32 {
	// Versions open with no event unless the caller sets one after adding.
	o.p2, o.ev1, o.ev2, o.first, o.hold = -1, -1, -1, -1, -1
	g.orgs = append(g.orgs, o)
	return int32(len(g.orgs) - 1)
}

func (g *nat) addEvent(e event) int16 {
	g.events = append(g.events, e)
	return int16(len(g.events) - 1)
}

// scaled returns n scaled to the tree's size, at least min.
func (g *nat) scaled(n float64, least int) int {
	return max(least, int(math.Round(n*g.scale)))
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	if len(s) < width {
		s = strings.Repeat("0", width-len(s)) + s
	}
	return s
}

// fromAfter returns a founding date drawn from years y0–y1, not before parent's and not after
// dLatest, so that every organisation is in force under its parent.
func (g *nat) fromAfter(parent int32, y0, y1 int) day {
	d := yearDay(g.r, y0, y1)
	return min(max(d, g.orgs[parent].from), max(dLatest, g.orgs[parent].from))
}

func (g *nat) build() {
	// The national decision behind 1/7/2025; each version opened that day names its province's own.
	g.addEvent(event{"R2025.TW", dReorg, dangvu.ReorgDissolve, "Số 60-NQ/TW",
		"Kết thúc hoạt động của đảng bộ cấp huyện; hợp nhất tỉnh, thành phố; sắp xếp đảng bộ xã, phường"})
	g.evHue = g.addEvent(event{"R2025.HUE", dHue, dangvu.ReorgRename, "Số 1314/NQ-UBTVQH15",
		"Đảng bộ tỉnh Thừa Thiên Huế thành Đảng bộ thành phố Huế trực thuộc Trung ương"})
	root := g.add(org{id: "VN", name: "Đảng Cộng sản Việt Nam", level: dangvu.LevelCentral, kind: dangvu.KindCentral,
		issuer: "TW", parent: -1, from: dFounded, role: roleRoot})

	byCode := map[int]int{}
	for i, p := range provinces63 {
		byCode[p.code] = i
	}
	for i, p := range provinces63 {
		id := "T" + pad(p.code, 2)
		o := g.add(org{id: id, name: "Đảng bộ " + p.name, level: dangvu.LevelProvince, kind: dangvu.KindProvince,
			issuer: "TU", parent: root, from: between(g.r, mkday(1930, 3, 1), mkday(1946, 1, 1)), role: roleProvince})
		into := i
		if p.into != 0 {
			into = byCode[p.into]
		}
		g.provs = append(g.provs, provState{info: p, org: o, into: into, sup: [nSup]int32{-1, -1, -1, -1}})
	}
	// One event per province that goes on: the merge of provinces into it and of its communes.
	for i := range g.provs {
		p := &g.provs[i]
		if p.into != i {
			continue
		}
		var merged []string
		for _, q := range g.provs {
			if q.into == i && q.info.code != p.info.code {
				merged = append(merged, "Đảng bộ "+q.info.name)
			}
		}
		e := event{id: "R2025." + g.orgs[p.org].id, date: dReorg, kind: dangvu.ReorgMerge}
		if len(merged) > 0 {
			e.doc = "Số " + strconv.Itoa(300+i) + "-QĐ/TW"
			e.descr = "Hợp nhất " + joinVi(append([]string{g.orgs[p.org].name}, merged...)) + " thành " +
				g.orgs[p.org].name + "; sắp xếp đảng bộ xã, phường; kết thúc hoạt động đảng bộ cấp huyện"
		} else {
			e.doc = "Số " + strconv.Itoa(1000+g.r.IntN(900)) + "-QĐ/TU"
			e.descr = "Sắp xếp đảng bộ xã, phường " + p.info.name + "; kết thúc hoạt động đảng bộ cấp huyện"
		}
		p.ev = g.addEvent(e)
		p.names = map[string]bool{}
	}
	for i := range g.provs {
		g.provs[i].ev = g.provs[g.provs[i].into].ev
	}
	for i := range g.provs {
		g.buildProvince(i)
	}
	g.shareHolders()
	g.reorganise()
	g.shareMembers()
	g.findFirst()
}

// joinVi joins "A, B và C".
func joinVi(s []string) string {
	if len(s) == 1 {
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " và " + s[len(s)-1]
}

// uniqueName draws place names until one is not in used.
func (g *nat) uniqueName(used map[string]bool) string {
	n := PlaceName(g.r)
	for range 20 {
		if !used[n] {
			break
		}
		n = PlaceName(g.r)
	}
	if used[n] {
		n += " " + strconv.Itoa(len(used)+1)
	}
	used[n] = true
	return n
}

func (g *nat) buildProvince(pi int) {
	p := &g.provs[pi]
	po := p.org
	pid := g.orgs[po].id
	p.distLo = int32(len(g.dists))
	nd := g.scaled(float64(p.info.districts), 1)
	used := map[string]bool{}
	for di := range nd {
		var word, name string
		switch {
		case di == 0:
			word, name = splitAdmin(p.info.seat)
		case p.info.isCity() && g.r.IntN(10) < 6:
			word, name = "quận", g.uniqueName(used)
		case !p.info.isCity() && g.r.IntN(10) == 0:
			word, name = "thị xã", g.uniqueName(used)
		default:
			word, name = "huyện", g.uniqueName(used)
		}
		used[name] = true
		issuer := "HU"
		switch word {
		case "quận":
			issuer = "QU"
		case "thành phố", "thị xã":
			issuer = "TU"
		}
		full := word + " " + name
		d := g.add(org{id: pid + ".H" + pad(di+1, 2), name: "Đảng bộ " + full, level: dangvu.LevelDistrict,
			kind: dangvu.KindDistrict, issuer: issuer, parent: po, from: g.fromAfter(po, 1945, 1955), role: roleDistrict})
		g.buildDistrict(pi, d, word, name)
	}
	p.distHi = int32(len(g.dists))
	g.buildSuperiors(pi)
}

var communeWord = map[dangvu.OrgKind]string{dangvu.KindCommune: "xã", dangvu.KindWard: "phường", dangvu.KindTown: "thị trấn"}

func (g *nat) buildDistrict(pi int, d int32, dword, dname string) {
	p := &g.provs[pi]
	dfull := dword + " " + dname
	did := g.orgs[d].id
	dist := district{org: d, addrLo: int32(len(g.addrs))}
	nc := g.scaled(float64(10+g.r.IntN(9)), 3)
	used := map[string]bool{}
	dist.commLo = int32(len(g.orgs))
	for ci := range nc {
		kind := dangvu.KindCommune
		switch dword {
		case "quận":
			kind = dangvu.KindWard
		case "thành phố":
			if g.r.IntN(10) < 8 {
				kind = dangvu.KindWard
			}
		case "thị xã":
			if g.r.IntN(2) == 0 {
				kind = dangvu.KindWard
			}
		default:
			if ci == 0 {
				kind = dangvu.KindTown
			}
		}
		var name string
		if kind == dangvu.KindTown && !used[dname] {
			name = dname
			used[name] = true
		} else {
			name = g.uniqueName(used)
		}
		full := communeWord[kind] + " " + name
		c := g.add(org{id: did + ".X" + pad(ci+1, 2), name: "Đảng bộ " + full, extra: name,
			level: dangvu.LevelGrassrootsCommittee, kind: kind, issuer: "ĐU", parent: d,
			from: g.fromAfter(d, 1946, 1960), role: roleCommune})
		g.addrs = append(g.addrs, full+", "+dfull+", "+p.info.name)
		w := 9 + g.r.IntN(8)
		if kind != dangvu.KindCommune {
			w += 4
		}
		g.slots = append(g.slots, slot{org: c, mand: 2, w: w})
	}
	dist.commHi = int32(len(g.orgs))

	// District agencies and enterprises: the two committees every district has, the rest as
	// the tree's size allows.
	dist.agLo = int32(len(g.orgs))
	na := 0
	agency := func(name, unit string, level dangvu.Level, kind dangvu.OrgKind, rl role, y0, y1 int, style *cellStyle, w int) {
		na++
		issuer := "CB"
		if level == dangvu.LevelGrassrootsCommittee {
			issuer = "ĐU"
		}
		a := g.add(org{id: did + ".A" + pad(na, 2), name: name, extra: unit, level: level, kind: kind, issuer: issuer,
			parent: d, from: g.fromAfter(d, y0, y1), role: rl})
		if level == dangvu.LevelGrassrootsCell {
			g.slots = append(g.slots, slot{org: a, mand: 1, self: true})
		} else {
			g.slots = append(g.slots, slot{org: a, mand: 2, w: w, style: style})
		}
	}
	gc, gcell := dangvu.LevelGrassrootsCommittee, dangvu.LevelGrassrootsCell
	agency("Đảng bộ Cơ quan Chính quyền "+dfull, "", gc, dangvu.KindStateAgency, roleGovt, 1976, 1990, &govtCells, 6)
	agency("Đảng bộ Trung tâm Y tế "+dfull, "Trung tâm Y tế "+dfull, gc, dangvu.KindPublicService, roleToCommune, 1960, 1995, &healthCells, 4)
	if g.r.Float64() < 1.5*g.scale {
		agency("Chi bộ Cơ quan Ủy ban Mặt trận Tổ quốc và các đoàn thể "+dfull, "Ủy ban Mặt trận Tổ quốc Việt Nam "+dfull,
			gcell, dangvu.KindFrontAgency, roleFront, 1976, 1995, nil, 0)
	}
	if g.r.Float64() < 1.5*g.scale {
		agency("Đảng bộ Công an "+dfull, "Công an "+dfull, gc, dangvu.KindPolice, roleToPolice, 1960, 1980, &policeCells, 4)
	}
	if g.r.Float64() < 1.5*g.scale {
		agency("Đảng bộ Quân sự "+dfull, "Ban Chỉ huy Quân sự "+dfull, gc, dangvu.KindArmedForces, roleToArmy, 1955, 1975, &armyCells, 3)
	}
	for range g.scaled(float64(1+g.r.IntN(2)), 0) {
		school := "Trường THPT " + g.uniqueName(used)
		agency("Chi bộ "+school, school, gcell, dangvu.KindPublicService, roleToCommune, 1965, 2005, nil, 0)
	}
	for range g.scaled(float64(g.r.IntN(5)), 0) {
		biz, kind := g.enterprise(used)
		if g.r.IntN(10) < 3 {
			agency("Đảng bộ "+biz, biz, gc, kind, roleToCommune, 1990, 2010, &bizCells, 3)
		} else {
			agency("Chi bộ "+biz, biz, gcell, kind, roleToCommune, 1990, 2010, nil, 0)
		}
	}
	dist.agHi = int32(len(g.orgs))
	g.distOf[d] = int32(len(g.dists))
	g.dists = append(g.dists, dist)
}

var industries = []string{"Xây dựng", "Thương mại", "Vận tải", "Môi trường đô thị", "Cấp nước", "Xi măng",
	"May", "Chế biến thủy sản", "Lâm nghiệp", "Thủy lợi", "Dược phẩm", "Cơ khí", "Gạch ngói", "Du lịch",
	"Chè", "Cà phê", "Cao su", "Điện nước", "Đầu tư phát triển", "Khoáng sản"}

func (g *nat) enterprise(used map[string]bool) (string, dangvu.OrgKind) {
	ind := industries[g.r.IntN(len(industries))]
	place := g.uniqueName(used)
	switch g.r.IntN(10) {
	case 0, 1, 2:
		return "Công ty TNHH MTV " + ind + " " + place, dangvu.KindStateEnterprise
	case 3, 4, 5, 6:
		return "Công ty Cổ phần " + ind + " " + place, dangvu.KindNonStateEnterprise
	case 7, 8:
		return "Công ty TNHH " + ind + " " + place, dangvu.KindNonStateEnterprise
	default:
		return "Hợp tác xã " + ind + " " + place, dangvu.KindNonStateEnterprise
	}
}

// blocUnits are the provincial agencies of the bloc: {U} is "Tỉnh ủy Quảng Ninh" (or "Thành ủy …"),
// {P} the province ("tỉnh Quảng Ninh"), {S} its bare name.
var blocUnits = []string{"Văn phòng {U}", "Ban Tổ chức {U}", "Ban Tuyên giáo {U}", "Ủy ban Kiểm tra {U}",
	"Văn phòng Ủy ban nhân dân {P}", "Sở Nội vụ {P}", "Sở Tài chính {P}", "Sở Kế hoạch và Đầu tư {P}",
	"Sở Tư pháp {P}", "Sở Công Thương {P}", "Sở Xây dựng {P}", "Sở Giao thông vận tải {P}",
	"Sở Tài nguyên và Môi trường {P}", "Sở Nông nghiệp và Phát triển nông thôn {P}", "Sở Giáo dục và Đào tạo {P}",
	"Sở Y tế {P}", "Sở Lao động - Thương binh và Xã hội {P}", "Sở Văn hóa, Thể thao và Du lịch {P}",
	"Sở Khoa học và Công nghệ {P}", "Sở Thông tin và Truyền thông {P}", "Thanh tra {P}", "Ban Dân tộc {P}",
	"Bệnh viện Đa khoa {P}", "Bệnh viện Sản - Nhi {S}", "Trường Chính trị {P}", "Trường Cao đẳng Y tế {S}",
	"Báo {S}", "Đài Phát thanh và Truyền hình {S}", "Kho bạc Nhà nước {S}", "Cục Thuế {P}",
	"Bảo hiểm xã hội {P}", "Trường THPT Chuyên {S}"}

var policeUnits = []string{"Phòng Tham mưu", "Phòng Tổ chức cán bộ", "Phòng Công tác Đảng và công tác chính trị",
	"Phòng An ninh chính trị nội bộ", "Phòng An ninh kinh tế", "Phòng An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao",
	"Phòng Quản lý xuất nhập cảnh", "Phòng Cảnh sát hình sự", "Phòng Cảnh sát kinh tế",
	"Phòng Cảnh sát điều tra tội phạm về ma túy", "Phòng Cảnh sát giao thông",
	"Phòng Cảnh sát quản lý hành chính về trật tự xã hội", "Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ",
	"Phòng Cảnh sát cơ động", "Phòng Cảnh sát điều tra tội phạm về trật tự xã hội", "Phòng Kỹ thuật hình sự",
	"Phòng Hồ sơ", "Phòng Hậu cần", "Trại Tạm giam", "Phòng Cảnh sát thi hành án hình sự và hỗ trợ tư pháp"}

var armyUnits = []string{"Cơ quan Tham mưu", "Cơ quan Chính trị", "Cơ quan Hậu cần - Kỹ thuật",
	"Trung đoàn Bộ binh", "Tiểu đoàn Huấn luyện - Cơ động", "Đại đội Trinh sát", "Đại đội Công binh",
	"Đại đội Thông tin", "Trường Quân sự", "Kho Vũ khí - Đạn dược"}

func (g *nat) buildSuperiors(pi int) {
	p := &g.provs[pi]
	po := p.org
	pid := g.orgs[po].id
	uword := "Tỉnh ủy"
	if p.info.isCity() {
		uword = "Thành ủy"
	}
	fill := strings.NewReplacer("{U}", uword+" "+p.info.short(), "{P}", p.info.name, "{S}", p.info.short())
	ns := 1
	if g.scale >= 0.45 {
		ns = nSup // police, army and enterprise blocs only at a size where they hold more than a cell
	}
	for t := range ns {
		var id, name string
		var kind dangvu.OrgKind
		var y0, y1 int
		switch t {
		case supBloc:
			id, name, kind, y0, y1 = ".KCQ", "Đảng bộ Khối các cơ quan "+p.info.name, dangvu.KindBloc, 1990, 2008
		case supBiz:
			id, name, kind, y0, y1 = ".KDN", "Đảng bộ Khối Doanh nghiệp "+p.info.name, dangvu.KindBloc, 1995, 2008
		case supPolice:
			id, name, kind, y0, y1 = ".CA", "Đảng bộ Công an "+p.info.name, dangvu.KindPolice, 1950, 1970
		case supArmy:
			id, name, kind, y0, y1 = ".QS", "Đảng bộ Quân sự "+p.info.name, dangvu.KindArmedForces, 1950, 1965
		}
		s := g.add(org{id: pid + id, name: name, level: dangvu.LevelSuperior, kind: kind, issuer: "ĐU", parent: po,
			from: g.fromAfter(po, y0, y1), role: roleSuperior})
		p.sup[t] = s
		n := g.scaled(float64(15+g.r.IntN(30)), 1)
		switch t {
		case supBloc:
			n = min(n, len(blocUnits))
		case supPolice:
			n = min(n, len(policeUnits))
		case supArmy:
			n = min(n, len(armyUnits))
		}
		used := map[string]bool{}
		g.orgs[s].lo = int32(len(g.orgs))
		for k := range n {
			var unit string
			var uk dangvu.OrgKind
			style := &deptCells
			committee := g.r.IntN(10) < 4
			switch t {
			case supBloc:
				tpl := blocUnits[k]
				unit, uk = fill.Replace(tpl), dangvu.KindStateAgency
				switch {
				case strings.Contains(tpl, "{U}"):
					uk = dangvu.KindPartyAgency
				case strings.HasPrefix(tpl, "Bệnh viện"):
					uk, style = dangvu.KindPublicService, &healthCells
				case strings.HasPrefix(tpl, "Trường"), strings.HasPrefix(tpl, "Báo"), strings.HasPrefix(tpl, "Đài"):
					uk = dangvu.KindPublicService
				}
			case supBiz:
				unit, uk = g.enterprise(used)
				style = &bizCells
			case supPolice:
				unit, uk, style = policeUnits[k]+" Công an "+p.info.name, dangvu.KindPolice, &teamCells
				committee = g.r.IntN(2) == 0
			case supArmy:
				unit, uk, style = armyUnits[k]+" Bộ Chỉ huy Quân sự "+p.info.name, dangvu.KindArmedForces, &companyCells
				if armyUnits[k] == "Trung đoàn Bộ binh" {
					unit = armyUnits[k] + " " + strconv.Itoa(100+g.r.IntN(899))
				}
				committee = g.r.IntN(10) < 6
			}
			level, issuer, prefix := dangvu.LevelGrassrootsCell, "CB", "Chi bộ "
			if committee {
				level, issuer, prefix = dangvu.LevelGrassrootsCommittee, "ĐU", "Đảng bộ "
			}
			o := g.add(org{id: g.orgs[s].id + ".G" + pad(k+1, 3), name: prefix + unit, extra: unit, level: level, kind: uk,
				issuer: issuer, parent: s, from: g.fromAfter(s, y0, y1+4), role: roleSupGrass})
			if committee {
				g.slots = append(g.slots, slot{org: o, mand: 2, w: 3, style: style})
			} else {
				g.slots = append(g.slots, slot{org: o, mand: 1, self: true})
			}
		}
		g.orgs[s].hi = int32(len(g.orgs))
	}
}

// cellStyle names the cells of an agency or enterprise committee: names first, then more + n.
type cellStyle struct {
	names []string
	more  string
	kind  dangvu.OrgKind // "" keeps the committee's kind
	units bool           // each cell serves a unit of its own (the government's departments)
}

func (s *cellStyle) name(k int) string {
	if k < len(s.names) {
		return s.names[k]
	}
	return s.more + strconv.Itoa(k-len(s.names)+1)
}

var (
	govtCells = cellStyle{names: []string{"Văn phòng Hội đồng nhân dân và Ủy ban nhân dân", "Phòng Nội vụ", "Phòng Tư pháp",
		"Phòng Tài chính - Kế hoạch", "Phòng Tài nguyên và Môi trường", "Phòng Lao động - Thương binh và Xã hội",
		"Phòng Văn hóa và Thông tin", "Phòng Giáo dục và Đào tạo", "Phòng Y tế", "Thanh tra", "Phòng Kinh tế",
		"Phòng Quản lý đô thị", "Phòng Nông nghiệp và Phát triển nông thôn", "Phòng Dân tộc",
		"Ban Quản lý dự án đầu tư xây dựng", "Trung tâm Phát triển quỹ đất", "Trung tâm Văn hóa - Thông tin và Thể thao"},
		more: "Tổ công tác số ", units: true}
	healthCells = cellStyle{names: []string{"Khoa Khám bệnh", "Khoa Nội", "Khoa Ngoại", "Khoa Sản", "Khoa Nhi",
		"Khoa Hồi sức cấp cứu", "Khoa Dược", "Khoa Xét nghiệm", "Khoa Kiểm soát bệnh tật", "Khoa Y học cổ truyền",
		"Phòng Kế hoạch - Tổng hợp", "Phòng Tổ chức - Hành chính"}, more: "Trạm Y tế số "}
	policeCells = cellStyle{names: []string{"Đội Tham mưu - Tổng hợp", "Đội An ninh", "Đội Cảnh sát hình sự",
		"Đội Cảnh sát kinh tế", "Đội Cảnh sát điều tra tội phạm về ma túy", "Đội Cảnh sát giao thông - trật tự",
		"Đội Cảnh sát quản lý hành chính về trật tự xã hội", "Đội Cảnh sát thi hành án hình sự và hỗ trợ tư pháp",
		"Đội Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ", "Nhà tạm giữ"}, more: "Đội số "}
	armyCells = cellStyle{names: []string{"Ban Tham mưu", "Ban Chính trị", "Ban Hậu cần - Kỹ thuật",
		"Trung đội Dân quân cơ động"}, more: "Trung đội "}
	bizCells = cellStyle{names: []string{"Văn phòng Công ty", "Phòng Kỹ thuật", "Phòng Tài chính - Kế toán",
		"Phòng Kinh doanh"}, more: "Phân xưởng số "}
	deptCells = cellStyle{names: []string{"Văn phòng", "Phòng Tổ chức cán bộ", "Phòng Kế hoạch - Tài chính",
		"Thanh tra", "Phòng Pháp chế", "Phòng Quản lý chuyên ngành"}, more: "Phòng Nghiệp vụ "}
	teamCells    = cellStyle{more: "Đội "}
	companyCells = cellStyle{names: []string{"Ban Chỉ huy"}, more: "Đại đội "}
)

// A commune's agency cells in the order they appear as its cells grow in number.
var communeAgencies = []struct {
	unit string
	kind dangvu.OrgKind
	y0   int
}{
	{"Trường Tiểu học", dangvu.KindPublicService, 1960},
	{"Trường THCS", dangvu.KindPublicService, 1965},
	{"Trạm Y tế", dangvu.KindPublicService, 1970},
	{"Quân sự", dangvu.KindArmedForces, 1975},
	{"Trường Mầm non", dangvu.KindPublicService, 1980},
	{"Công an", dangvu.KindPolice, 2005},
}

// Locality kinds of residential cells.
const (
	locVillage = iota
	locArea
	locGroup
)

var localityKinds = []string{"village", "area", "group"}

// shareHolders decides how many cells each slot gets so that cells hold membersPerCell members on
// average, then creates them; holders come out in tree order.
func (g *nat) shareHolders() {
	target := (g.n + membersPerCell/2) / membersPerCell
	mand, wsum := 0, 0
	for _, s := range g.slots {
		mand += s.mand
		wsum += s.w
	}
	extra := max(0, target-mand)
	cum, prev := 0, 0
	for _, s := range g.slots {
		cum += s.w
		next := 0
		if wsum > 0 {
			next = int(int64(extra) * int64(cum) / int64(wsum))
		}
		n := s.mand + next - prev
		prev = next
		switch {
		case s.self:
			g.addHolder(s.org, 18+g.r.IntN(20))
		case g.orgs[s.org].role == roleCommune:
			g.communeCells(s.org, n)
		default:
			g.committeeCells(s.org, n, s.style)
		}
	}
}

func (g *nat) addHolder(o int32, w int) {
	g.orgs[o].hold = int32(len(g.holders))
	g.holders = append(g.holders, holder{org: o, from: g.orgs[o].from, carry: -1, ev: -1})
	g.hw = append(g.hw, int32(w))
}

func (g *nat) cell(parent int32, k int, name, extra string, kind dangvu.OrgKind, from day, rl role) int32 {
	o := g.add(org{id: g.orgs[parent].id + ".C" + pad(k+1, 3), name: name, extra: extra, level: dangvu.LevelCell,
		kind: kind, issuer: "CB", parent: parent, from: from, role: rl})
	return o
}

func (g *nat) communeCells(c int32, n int) {
	co := &g.orgs[c]
	cname, ckind, cfrom := co.extra, co.kind, co.from
	word := communeWord[ckind]
	nAg := min(len(communeAgencies), max(0, (n-2)/4))
	nRes := n - 1 - nAg
	// Villages are numbered or named; a ward's areas are numbered.
	named := ckind == dangvu.KindCommune && g.r.IntN(2) == 0
	hill := g.provs[g.provOfOrg(c)].info.minority >= 500 && g.r.IntN(2) == 0
	style := g.r.IntN(3)
	used := map[string]bool{}
	k := 0
	g.orgs[c].lo = int32(len(g.orgs))
	for i := range nRes {
		var loc string
		lk := uint8(locVillage)
		switch {
		case ckind == dangvu.KindCommune:
			v := "Thôn "
			if hill {
				v = "Bản "
			}
			if named {
				loc = v + g.uniqueName(used)
			} else {
				loc = v + strconv.Itoa(i+1)
			}
		case style == 0:
			loc, lk = "Khu "+strconv.Itoa(i+1), locArea
		case style == 1 && ckind == dangvu.KindWard:
			loc, lk = "Khu phố "+strconv.Itoa(i+1), locArea
		default:
			loc, lk = "Tổ dân phố số "+strconv.Itoa(i+1), locGroup
		}
		from := cfrom
		if g.r.IntN(100) < 15 {
			from = g.fromAfter(c, 1960, 2010)
		}
		o := g.cell(c, k, "Chi bộ "+lowerFirst(loc), loc, dangvu.KindResidential, from, roleResidential)
		g.orgs[o].lkind = lk
		g.addHolder(o, 18+g.r.IntN(25))
		k++
	}
	for i := range nAg {
		a := communeAgencies[i]
		unit := a.unit + " " + word + " " + cname
		if a.unit == "Quân sự" {
			unit = "Ban Chỉ huy Quân sự " + word + " " + cname
		}
		o := g.cell(c, k, "Chi bộ "+a.unit+" "+word+" "+cname, unit, a.kind, g.fromAfter(c, a.y0, a.y0+25), roleCommuneAgency)
		g.addHolder(o, 18+g.r.IntN(20))
		k++
	}
	unit := "Ủy ban nhân dân " + word + " " + cname
	o := g.cell(c, k, "Chi bộ Cơ quan "+unit, unit, dangvu.KindStateAgency, g.fromAfter(c, 1976, 1990), roleOffice)
	g.addHolder(o, 18+g.r.IntN(16))
	g.orgs[c].hi = int32(len(g.orgs))
}

func lowerFirst(s string) string {
	for _, p := range []string{"Thôn", "Bản", "Khu", "Tổ"} {
		if strings.HasPrefix(s, p) {
			return strings.ToLower(p) + s[len(p):]
		}
	}
	return s
}

func (g *nat) committeeCells(c int32, n int, st *cellStyle) {
	co := g.orgs[c]
	kind := co.kind
	if st.kind != "" {
		kind = st.kind
	}
	g.orgs[c].lo = int32(len(g.orgs))
	_, dfull, _ := strings.Cut(co.name, "Chính quyền ")
	for k := range n {
		name := st.name(k)
		unit := ""
		kk := kind
		if st.units && k < len(st.names) {
			unit = name + " " + dfull
			if strings.HasPrefix(name, "Ban") || strings.HasPrefix(name, "Trung tâm") {
				kk = dangvu.KindPublicService
			}
		}
		o := g.cell(c, k, "Chi bộ "+name, unit, kk, g.fromAfter(c, 1960, 2000), roleCell)
		g.addHolder(o, 18+g.r.IntN(20))
	}
	g.orgs[c].hi = int32(len(g.orgs))
}

// provOfOrg finds the province an organisation belonged to before 2025 from its id "Tcc…".
func (g *nat) provOfOrg(o int32) int {
	id := g.orgs[o].id
	code, _ := strconv.Atoi(id[1:3])
	for i := range g.provs {
		if g.provs[i].info.code == code {
			return i
		}
	}
	return 0
}

// newCommune is a commune or ward created on 1/7/2025 with its two office cells.
type newCommune struct{ org, ubnd, party int32 }

// reorganise applies 1/7/2025: districts end, provinces merge, communes merge about 3 to 1 into
// new communes directly under the province, cells move under them, office cells end and their
// members are carried to the new communes' office cells.
func (g *nat) reorganise() {
	for pi := range g.provs {
		p := &g.provs[pi]
		s := &g.provs[p.into]
		if p.info.code == codeHue {
			o := &g.orgs[p.org]
			o.to, o.p2, o.ev2, o.name2 = dHue, o.parent, g.evHue, "Đảng bộ thành phố Huế"
		}
		if p.into != pi {
			g.orgs[p.org].to = dReorg
			for t, so := range p.sup {
				if so < 0 {
					continue
				}
				g.orgs[so].to = dReorg
				for x := g.orgs[so].lo; x < g.orgs[so].hi; x++ {
					g.move(x, s.sup[t], p.ev)
				}
			}
		}
		for di := p.distLo; di < p.distHi; di++ {
			g.reorganiseDistrict(&g.dists[di], s)
		}
	}
}

func (g *nat) move(o, to int32, ev int16) {
	x := &g.orgs[o]
	x.to, x.p2, x.ev2 = dReorg, to, ev
}

func (g *nat) end(o int32, carry int32, ev int16) {
	x := &g.orgs[o]
	x.to = dReorg
	if x.hold >= 0 && carry >= 0 {
		g.holders[x.hold].carry, g.holders[x.hold].ev = carry, ev
	}
}

func (g *nat) reorganiseDistrict(d *district, s *provState) {
	g.orgs[d.org].to = dReorg
	so := s.org
	var news []newCommune
	for c := d.commLo; c < d.commHi; {
		left := int(d.commHi - c)
		k := min(left, 2+g.r.IntN(3))
		if left-k == 1 {
			k++
		}
		kind := dangvu.KindCommune
		for x := c; x < c+int32(k); x++ {
			if g.orgs[x].kind == dangvu.KindWard {
				kind = dangvu.KindWard
			}
		}
		// The new commune takes a name of one of its communes, as most did.
		name := ""
		for x := c; x < c+int32(k) && name == ""; x++ {
			if n := g.orgs[x].extra; !s.names[n] {
				name = n
			}
		}
		if name == "" {
			name = g.uniqueName(s.names)
		}
		s.names[name] = true
		s.newSeq++
		full := communeWord[kind] + " " + name
		nc := g.add(org{id: g.orgs[so].id + ".N" + pad(s.newSeq, 3), name: "Đảng bộ " + full, extra: name,
			level: dangvu.LevelGrassrootsCommittee, kind: kind, issuer: "ĐU", parent: so, from: dReorg, role: roleNewCommune})
		g.orgs[nc].ev1 = s.ev
		unit := "Ủy ban nhân dân " + full
		ub := g.cell(nc, 0, "Chi bộ Cơ quan "+unit, unit, dangvu.KindStateAgency, dReorg, roleNewCell)
		pc := g.cell(nc, 1, "Chi bộ các cơ quan Đảng - Mặt trận Tổ quốc và các đoàn thể "+full, "", dangvu.KindPartyAgency, dReorg, roleNewCell)
		g.orgs[ub].ev1, g.orgs[pc].ev1 = s.ev, s.ev
		news = append(news, newCommune{nc, ub, pc})
		for x := c; x < c+int32(k); x++ {
			g.orgs[x].to = dReorg
			for cl := g.orgs[x].lo; cl < g.orgs[x].hi; cl++ {
				if g.orgs[cl].role == roleOffice {
					g.end(cl, ub, s.ev)
				} else {
					g.move(cl, nc, s.ev)
				}
			}
		}
		c += int32(k)
	}
	j := 0
	for a := d.agLo; a < d.agHi; a++ {
		o := &g.orgs[a]
		switch o.role {
		case roleGovt:
			g.end(a, -1, -1)
			for cl := o.lo; cl < o.hi; cl++ {
				g.end(cl, news[int(cl)%len(news)].ubnd, s.ev)
			}
		case roleFront:
			g.end(a, news[0].party, s.ev)
		case roleToPolice, roleToArmy:
			to := s.sup[supPolice]
			if o.role == roleToArmy {
				to = s.sup[supArmy]
			}
			if to < 0 {
				to = so
			}
			g.move(a, to, s.ev)
		default:
			g.move(a, news[j%len(news)].org, s.ev)
			j++
		}
	}
}

// shareMembers gives each holder its members, in proportion to its weight, exactly opt.Members
// in all, and fills in what members need to know about their holder.
func (g *nat) shareMembers() {
	var wsum int64
	for _, w := range g.hw {
		wsum += int64(w)
	}
	var cum int64
	prev := 0
	for i := range g.holders {
		h := &g.holders[i]
		cum += int64(g.hw[i])
		next := 0
		if wsum > 0 {
			next = int(int64(g.n) * cum / wsum)
		}
		h.start, h.size = int32(prev), int32(next-prev)
		prev = next
		o := &g.orgs[h.org]
		h.prof = profileOf(o.kind)
		h.prov = int16(g.provOfOrg(h.org))
		h.dist, h.grp = -1, o.parent
		h.issuer = "ĐU"
		// The district decides admissions of its communes and agencies; walk up to find it.
		for a := o.parent; a >= 0; a = g.orgs[a].parent {
			if g.orgs[a].level == dangvu.LevelDistrict {
				h.issuer = g.orgs[a].issuer
				h.dist = g.distOf[a]
				h.grp = a
				break
			}
		}
		if o.role == roleResidential {
			d := &g.dists[h.dist]
			h.residence = lowerFirst(o.extra) + ", " + g.addrs[int(d.addrLo)+int(o.parent-d.commLo)]
		}
	}
	g.hw = nil
}

// findFirst records for each organisation the first holder below it in any version: its members'
// first member is a long-standing member who serves as secretary.
func (g *nat) findFirst() {
	var stack []int32
	for hi := range g.holders {
		stack = append(stack[:0], g.holders[hi].org)
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			o := &g.orgs[x]
			if o.first >= 0 {
				continue
			}
			o.first = int32(hi)
			if o.parent >= 0 {
				stack = append(stack, o.parent)
			}
			if o.p2 >= 0 && o.p2 != o.parent {
				stack = append(stack, o.p2)
			}
		}
	}
}

// ---- members' profiles ----

type profile uint8

const (
	profResidential profile = iota
	profOffice
	profService
	profEnterprise
	profPolice
	profArmy
	nProf
)

func profileOf(k dangvu.OrgKind) profile {
	switch k {
	case dangvu.KindResidential:
		return profResidential
	case dangvu.KindStateAgency, dangvu.KindPartyAgency, dangvu.KindFrontAgency, dangvu.KindBloc:
		return profOffice
	case dangvu.KindPublicService:
		return profService
	case dangvu.KindPolice:
		return profPolice
	case dangvu.KindArmedForces:
		return profArmy
	}
	return profEnterprise
}

// femaleShare per mille by profile: about 40% overall.
var femaleShare = [nProf]int{profResidential: 380, profOffice: 400, profService: 570, profEnterprise: 300,
	profPolice: 150, profArmy: 80}

var (
	religions = newWeighted("Không", 900, "Phật giáo", 70, "Công giáo", 20, "Tin Lành", 3, "Cao Đài", 4, "Phật giáo Hòa Hảo", 3)
	quals     = [nProf]weighted{
		profResidential: newWeighted("", 300, "Trung cấp", 150, "Cao đẳng", 100, "Cử nhân", 250, "Kỹ sư", 120, "Thạc sĩ", 50, "Sơ cấp", 30),
		profOffice:      newWeighted("Cử nhân Luật", 150, "Cử nhân Kinh tế", 200, "Cử nhân Hành chính", 150, "Kỹ sư", 100, "Thạc sĩ Quản lý công", 150, "Thạc sĩ Kinh tế", 120, "Tiến sĩ", 30, "Cao đẳng", 70),
		profService:     newWeighted("Cử nhân Sư phạm", 300, "Bác sĩ", 120, "Cử nhân Điều dưỡng", 120, "Dược sĩ", 40, "Thạc sĩ", 150, "Cao đẳng Sư phạm", 150, "Tiến sĩ", 20, "Y sĩ", 60),
		profEnterprise:  newWeighted("Kỹ sư", 300, "Cử nhân Kinh tế", 200, "Cao đẳng", 150, "Trung cấp", 200, "Thạc sĩ", 50, "Công nhân kỹ thuật", 100),
		profPolice:      newWeighted("Đại học An ninh", 300, "Đại học Cảnh sát", 350, "Trung cấp Cảnh sát", 250, "Thạc sĩ Luật", 100),
		profArmy:        newWeighted("Đại học Chính trị", 250, "Sĩ quan Lục quân", 400, "Trung cấp Quân sự", 250, "Thạc sĩ Khoa học quân sự", 100),
	}
	theories = [nProf]weighted{
		profResidential: newWeighted("none", 200, "basic", 600, "intermediate", 150, "advanced", 40, "bachelor", 10),
		profOffice:      newWeighted("none", 50, "basic", 350, "intermediate", 400, "advanced", 170, "bachelor", 30),
		profService:     newWeighted("none", 150, "basic", 650, "intermediate", 170, "advanced", 25, "bachelor", 5),
		profEnterprise:  newWeighted("none", 200, "basic", 600, "intermediate", 170, "advanced", 25, "bachelor", 5),
		profPolice:      newWeighted("none", 50, "basic", 450, "intermediate", 400, "advanced", 90, "bachelor", 10),
		profArmy:        newWeighted("none", 50, "basic", 450, "intermediate", 400, "advanced", 90, "bachelor", 10),
	}
	occupations = [nProf]weighted{
		profResidential: newWeighted("Nông dân", 350, "Kinh doanh", 200, "Lao động tự do", 200, "Công nhân", 150, "Viên chức", 100),
		profOffice:      newWeighted("Công chức", 1),
		profService:     newWeighted("Viên chức", 1),
		profEnterprise:  newWeighted("Công nhân", 400, "Kỹ sư", 250, "Nhân viên", 350),
		profPolice:      newWeighted("Sĩ quan Công an nhân dân", 800, "Hạ sĩ quan Công an nhân dân", 200),
		profArmy:        newWeighted("Sĩ quan Quân đội", 600, "Quân nhân chuyên nghiệp", 400),
	}
	positions = [nProf]weighted{
		profResidential: newWeighted("Chi ủy viên", 3, "Trưởng Ban công tác Mặt trận", 2, "Chi hội trưởng Hội Cựu chiến binh", 2, "Chi hội trưởng Hội Phụ nữ", 2),
		profOffice:      newWeighted("Trưởng phòng", 2, "Phó Trưởng phòng", 4, "Chuyên viên chính", 4),
		profService:     newWeighted("Tổ trưởng chuyên môn", 4, "Phó Hiệu trưởng", 2, "Trưởng khoa", 2),
		profEnterprise:  newWeighted("Quản đốc", 3, "Trưởng phòng", 3, "Tổ trưởng", 4),
		profPolice:      newWeighted("Đội trưởng", 3, "Phó Đội trưởng", 5),
		profArmy:        newWeighted("Đại đội trưởng", 3, "Chính trị viên", 3, "Trợ lý", 4),
	}
	externals = []string{"Đảng bộ Quân đội", "Đảng bộ Công an Trung ương", "Đảng bộ Ngoài nước",
		"Đảng bộ Chính phủ", "Đảng bộ các cơ quan Đảng Trung ương", "Đảng bộ Quốc hội"}
	nicknames = []string{"Hai", "Ba", "Tư", "Năm", "Sáu", "Bảy", "Tám", "Chín", "Mười", "Út"}
	phonePfx  = []string{"09", "03", "08", "07", "05"}
	ethCodes  = func() []string {
		out := make([]string, 0, 54)
		for _, e := range dangvu.Ethnicities {
			out = append(out, e.Code)
		}
		return out
	}()
	badges = []int{80, 75, 70, 65, 60, 55, 50, 45, 40, 30}
)

// ---- writing the tree ----

func (g *nat) writeTree(w *counter) ([]int32, error) {
	evs := make([]int, len(g.events))
	for i := range evs {
		evs[i] = i
	}
	slices.SortFunc(evs, func(a, b int) int { return cmp.Compare(g.events[a].id, g.events[b].id) })
	for _, i := range evs {
		e := g.events[i]
		if err := w.Row("reorganisations", []string{e.id, iso(e.date), string(e.kind), e.doc, e.descr}); err != nil {
			return nil, err
		}
	}
	order := make([]int32, len(g.orgs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return cmp.Compare(g.orgs[a].id, g.orgs[b].id) })
	evID := func(e int16) string {
		if e < 0 {
			return ""
		}
		return g.events[e].id
	}
	vals := make([]string, 9)
	for _, i := range order {
		o := &g.orgs[i]
		parent := ""
		if o.parent >= 0 {
			parent = g.orgs[o.parent].id
		}
		vals = append(vals[:0], o.id, iso(o.from), isoEnd(o.to), o.name, parent, string(o.level), string(o.kind), o.issuer, evID(o.ev1))
		if err := w.Row("organisations", vals); err != nil {
			return nil, err
		}
		if o.p2 >= 0 {
			name := o.name
			if o.name2 != "" {
				name = o.name2
			}
			vals = append(vals[:0], o.id, iso(o.to), "", name, g.orgs[o.p2].id, string(o.level), string(o.kind), o.issuer, evID(o.ev2))
			if err := w.Row("organisations", vals); err != nil {
				return nil, err
			}
		}
	}
	// Terms, localities, units and posts take ids prefixed by their organisation's id with '-',
	// which sorts before the '.' of the ids below it, so organisation order is their key order.
	m := newMemberGen(g)
	for _, i := range order {
		if err := g.writeOrgExtras(w, m, i); err != nil {
			return nil, err
		}
	}
	return order, nil
}

type term struct {
	year       int
	start, end day
	doc        string
}

func (g *nat) terms(i int32) []term {
	o := &g.orgs[i]
	r := g.r
	docBy := func(p int32) string {
		return "Số " + strconv.Itoa(1+r.IntN(900)) + "-QĐ/" + g.orgs[p].issuer
	}
	var y0, y1 [2]int // months window of the 2020 and 2025 congresses
	switch {
	case o.role == roleNewCommune:
		return []term{{2025, dReorg, 0, "Số " + strconv.Itoa(1000+r.IntN(900)) + "-QĐ/" + g.orgs[o.parent].issuer}}
	case o.level == dangvu.LevelProvince:
		y0, y1 = [2]int{9, 10}, [2]int{9, 10}
	case o.level == dangvu.LevelDistrict:
		y0, y1 = [2]int{6, 8}, [2]int{0, 0}
	case o.level == dangvu.LevelSuperior:
		y0, y1 = [2]int{5, 6}, [2]int{5, 6}
	case o.level.IsGrassroots():
		y0, y1 = [2]int{3, 6}, [2]int{3, 6}
	default:
		return nil
	}
	start := between(r, mkday(2020, y0[0], 1), mkday(2020, y0[1]+1, 1))
	t := []term{{2020, start, 0, docBy(o.parent)}}
	if o.ended() {
		t[0].end = o.to
		return t
	}
	next := between(r, mkday(2025, y1[0], 1), mkday(2025, y1[1]+1, 1))
	t[0].end = next
	p := o.parent
	if o.p2 >= 0 && next >= o.to {
		p = o.p2
	}
	return append(t, term{2025, next, 0, docBy(p)})
}

// unitTitle is the title of a unit's head.
func unitTitle(unit string) string {
	for _, x := range [][2]string{{"Trường", "Hiệu trưởng"}, {"Trạm", "Trạm trưởng"}, {"Phòng", "Trưởng phòng"},
		{"Văn phòng", "Chánh Văn phòng"}, {"Thanh tra", "Chánh Thanh tra"}, {"Ủy ban nhân dân", "Chủ tịch Ủy ban nhân dân"},
		{"Ủy ban Mặt trận", "Chủ tịch Ủy ban Mặt trận Tổ quốc"}, {"Ủy ban Kiểm tra", "Chủ nhiệm Ủy ban Kiểm tra"},
		{"Công an", "Trưởng Công an"}, {"Ban Chỉ huy", "Chỉ huy trưởng"}, {"Cục", "Cục trưởng"}, {"Báo", "Tổng Biên tập"},
		{"Ban", "Trưởng ban"}, {"Sở", "Giám đốc Sở"}, {"Trung đoàn", "Trung đoàn trưởng"}, {"Tiểu đoàn", "Tiểu đoàn trưởng"},
		{"Đại đội", "Đại đội trưởng"}, {"Cơ quan", "Thủ trưởng cơ quan"}, {"Kho bạc", "Giám đốc"}, {"Kho", "Chủ nhiệm kho"},
		{"Trại", "Giám thị"}} {
		if strings.HasPrefix(unit, x[0]) {
			return x[1]
		}
	}
	return "Giám đốc"
}

var headTitles = []string{locVillage: "Trưởng thôn", locArea: "Trưởng khu", locGroup: "Tổ trưởng tổ dân phố"}

func (g *nat) writeOrgExtras(w *counter, m *memberGen, i int32) error {
	o := &g.orgs[i]
	r := g.r
	terms := g.terms(i)
	for _, t := range terms {
		if err := w.Row("terms", []string{o.id + "-NK" + strconv.Itoa(t.year), o.id, strconv.Itoa(t.year) + "–" + strconv.Itoa(t.year+5),
			iso(t.start), isoEnd(t.end), t.doc}); err != nil {
			return err
		}
	}
	lid := ""
	if o.role == roleResidential {
		lid = o.id + "-L"
		if err := w.Row("localities", []string{lid, o.extra, localityKinds[o.lkind], o.id, iso(o.from), ""}); err != nil {
			return err
		}
	}
	uid := ""
	if o.extra != "" && o.role != roleResidential && o.role != roleCommune && o.role != roleNewCommune {
		uid = o.id + "-DV"
		if err := w.Row("units", []string{uid, o.extra, string(o.kind), o.id, iso(o.from), isoEnd(o.end())}); err != nil {
			return err
		}
	}
	// The first member of the first holder below is a long-standing member (see member): the
	// organisation's secretary, and often the head of its village or unit.
	lead, leadName := "", ""
	first := o.first
	if o.role == roleNewCell {
		first = g.orgs[o.parent].first // a new office is headed by a member of the new commune
	}
	if (o.level.IsGrassroots() || lid != "" || uid != "") && first >= 0 && g.holders[first].size > 0 {
		mi := int(g.holders[first].start)
		lead, leadName = memberID(mi), m.name(mi)
	}
	if o.level.IsGrassroots() && lead != "" {
		title := "Bí thư Đảng ủy"
		if o.level == dangvu.LevelGrassrootsCell {
			title = "Bí thư Chi bộ"
		}
		for _, t := range terms {
			y := strconv.Itoa(t.year)
			if err := w.Row("posts", []string{o.id + "-BT" + y, string(dangvu.RoleSecretary), o.id, o.id + "-NK" + y, "", "",
				lead, leadName, title, iso(t.start), isoEnd(t.end)}); err != nil {
				return err
			}
		}
	}
	post := func(id, locality, unit, title string, from, to day, nonMemberShare int) error {
		member, name := lead, leadName
		if member == "" || r.IntN(100) < nonMemberShare {
			female := r.IntN(10) < 3
			gender := dangvu.Male
			if female {
				gender = dangvu.Female
			}
			member, name = "", Person(r, gender)
		}
		return w.Row("posts", []string{id, string(dangvu.RoleHead), "", "", locality, unit, member, name, title, iso(from), isoEnd(to)})
	}
	if lid != "" {
		// Village heads are elected for 2.5 years; most are the cell's secretary (Chỉ thị 12-CT/TU).
		if err := post(o.id+"-TT", lid, "", headTitles[o.lkind], between(r, mkday(2022, 10, 1), mkday(2023, 1, 1)), 0, 30); err != nil {
			return err
		}
	}
	if uid != "" && r.IntN(10) < 6 {
		non := 20
		if o.kind == dangvu.KindNonStateEnterprise {
			non = 60
		}
		from := max(o.from, between(r, mkday(2019, 1, 1), mkday(2024, 6, 1)))
		if err := post(o.id+"-TTDV", "", uid, unitTitle(o.extra), from, o.end(), non); err != nil {
			return err
		}
	}
	return nil
}

// ---- members ----

func memberID(i int) string { return string(appendMemberID(nil, i)) }

// appendMemberID appends "M" and the 1-based number in 8 digits, so that string order is number order.
func appendMemberID(b []byte, i int) []byte {
	b = append(b, 'M')
	return appendPad(b, i+1, 8)
}

func appendPad(b []byte, n, width int) []byte {
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], int64(n), 10)
	for k := len(s); k < width; k++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// rowBuf collects one member's rows in one byte buffer: converted to one string at the end, the
// fields are slices of it, so a member costs a handful of allocations whatever its rows.
type rowBuf struct {
	b    []byte
	ends []int32
	rows []bufRow
	vals []string
}

type bufRow struct {
	table string
	first int32
}

func (rb *rowBuf) reset() {
	rb.b, rb.ends, rb.rows = rb.b[:0], rb.ends[:0], rb.rows[:0]
}

func (rb *rowBuf) row(table string) { rb.rows = append(rb.rows, bufRow{table, int32(len(rb.ends))}) }

// f closes the field appended to b since the last one.
func (rb *rowBuf) f() { rb.ends = append(rb.ends, int32(len(rb.b))) }

func (rb *rowBuf) s(x string) {
	rb.b = append(rb.b, x...)
	rb.f()
}

func (rb *rowBuf) doc(d doc) {
	if d.num > 0 {
		rb.b = append(rb.b, "Số "...)
		rb.b = strconv.AppendInt(rb.b, int64(d.num), 10)
		rb.b = append(rb.b, '-')
		rb.b = append(rb.b, d.sym...)
		rb.b = append(rb.b, '/')
		rb.b = append(rb.b, d.issuer...)
	} else {
		rb.b = append(rb.b, d.text...)
	}
	rb.f()
}

func (rb *rowBuf) flush(w *counter) error {
	s := string(rb.b)
	for k, row := range rb.rows {
		end := int32(len(rb.ends))
		if k+1 < len(rb.rows) {
			end = rb.rows[k+1].first
		}
		rb.vals = rb.vals[:0]
		start := int32(0)
		if row.first > 0 {
			start = rb.ends[row.first-1]
		}
		for _, e := range rb.ends[row.first:end] {
			rb.vals = append(rb.vals, s[start:e])
			start = e
		}
		if err := w.Row(row.table, rb.vals); err != nil {
			return err
		}
	}
	return nil
}

// doc is a document number "Số 12-QĐ/HU", or a text.
type doc struct {
	num         int32
	sym, issuer string
	text        string
}

type mship struct {
	org      int32
	from, to day
	temp     bool
	doc      doc
	ev       int16
}

type mstatus struct {
	from   day
	status dangvu.Status
	doc    doc
	reason string
}

type move struct {
	date     day
	kind     dangvu.MovementKind
	from, to int32
	external string
	doc      doc
	note     string
}

type memberGen struct {
	g   *nat
	pcg *rand.PCG
	r   *rand.Rand
	rb  rowBuf
	ms  []mship
	st  []mstatus
	mv  []move
}

func newMemberGen(g *nat) *memberGen {
	pcg := rand.NewPCG(0, 0)
	return &memberGen{g: g, pcg: pcg, r: rand.New(pcg)}
}

// seed makes member i's draws depend on the seed and i alone, so any member can be drawn again
// (posts name their holders before the members are written) and order does not matter.
func (m *memberGen) seed(i int) {
	x := uint64(i) + 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	m.pcg.Seed(m.g.seed^0x6d656d62657273, x^(x>>31))
}

// holderOf finds the holder of member i.
func (g *nat) holderOf(i int) *holder {
	k, _ := slices.BinarySearchFunc(g.holders, int32(i), func(h holder, t int32) int {
		if h.start+h.size <= t {
			return -1
		}
		if h.start > t {
			return 1
		}
		return 0
	})
	return &g.holders[k]
}

// identity seeds member i and draws its gender and name: the first draws of every member.
func (m *memberGen) identity(i int, h *holder) (gender, name string) {
	m.seed(i)
	gender = dangvu.Male
	if m.r.IntN(1000) < femaleShare[h.prof] {
		gender = dangvu.Female
	}
	return gender, Person(m.r, gender)
}

func (m *memberGen) name(i int) string {
	_, n := m.identity(i, m.g.holderOf(i))
	return n
}

func (g *nat) writeMembers(w *counter, progress func(int)) error {
	m := newMemberGen(g)
	g.collected = make([][12]int64, len(g.orgs))
	i := 0
	// The year of meetings (meetings.go) from a stream of its own, seeded per cell.
	meetPCG := rand.NewPCG(0, 0)
	meetR := rand.New(meetPCG)
	carried := map[int32]*cellYear{}
	var acc cellYear
	for hi := range g.holders {
		h := &g.holders[hi]
		acc = cellYear{lines: acc.lines[:0]}
		meetPCG.Seed(g.seed^meetSalt, uint64(hi))
		for range h.size {
			if err := m.member(w, i, int32(hi)); err != nil {
				return err
			}
			m.gather(i, h.org, &acc, carried, meetR)
			i++
			if progress != nil && i%100_000 == 0 {
				progress(i)
			}
		}
		chair := ""
		if h.size > 0 {
			chair = m.name(int(h.start))
		}
		meetPCG.Seed(g.seed^meetSalt, uint64(hi)|1<<40)
		if err := g.writeMeetings(w, h.org, &acc, chair, meetR); err != nil {
			return err
		}
	}
	for o := range g.orgs { // the cells of 1/7/2025 that took the members of ended ones
		if acc := carried[int32(o)]; acc != nil {
			meetPCG.Seed(g.seed^meetSalt, uint64(o)|1<<41)
			if err := g.writeMeetings(w, int32(o), acc, "", meetR); err != nil {
				return err
			}
		}
	}
	if err := g.writeRemittances(w); err != nil {
		return err
	}
	if progress != nil {
		progress(i)
	}
	return nil
}

func (m *memberGen) qd(issuer string) doc {
	return doc{num: int32(1 + m.r.IntN(1999)), sym: "QĐ", issuer: issuer}
}

// member draws member i of holder hi and writes its rows. The holder's first member is a
// long-standing member who stays: the secretary the posts name.
func (m *memberGen) member(w *counter, i int, hi int32) error {
	g := m.g
	h := &g.holders[hi]
	stable := int32(i) == h.start
	gender, name := m.identity(i, h)
	r := m.r
	female := gender == dangvu.Female

	// Birth and admission: residential cells hold many retired members, agencies working-age ones.
	var by, age int
	switch {
	case stable:
		by = 1958 + r.IntN(28)
	case h.prof == profResidential && r.IntN(100) < 55:
		by = 1932 + r.IntN(17) + r.IntN(17)
	case h.prof == profPolice || h.prof == profArmy:
		by = 1968 + r.IntN(36)
	default:
		by = 1966 + r.IntN(35)
	}
	birth := yearDay(r, by, by)
	switch h.prof {
	case profPolice, profArmy:
		age = 19 + r.IntN(6) + r.IntN(6)
	case profOffice, profService:
		age = 22 + r.IntN(6) + r.IntN(10)
	default:
		age = 18 + r.IntN(8) + r.IntN(12)
	}
	adm := addYears(birth, age) + day(r.IntN(365))
	lo := max(h.from, dFirstAdm)
	if stable {
		adm = between(r, max(lo, addYears(birth, 20)), mkday(2015, 1, 1))
	}
	if adm > dLastAdm {
		adm = dLastAdm - day(r.IntN(700))
	}
	if adm < lo {
		adm = min(dLastAdm, lo+day(r.IntN(3650)))
	}
	full := addYears(adm, 1)
	isFull := full <= dAsOf
	issuerAt := func(d day) string {
		if d >= dReorg {
			return "ĐU"
		}
		return h.issuer
	}

	// How the membership ends, if it does.
	var exit day
	var exitStatus dangvu.Status
	var exitDoc doc
	var exitReason string
	if !stable && isFull {
		u := r.IntN(10000)
		dead := 30
		switch {
		case by < 1945:
			dead = 1800
		case by < 1955:
			dead = 700
		case by < 1965:
			dead = 150
		}
		exempt := 0
		if by < 1956 {
			exempt = 1000
		}
		lo, hi := max(full+30, mkday(2008, 1, 1)), dAsOf
		at := between(r, lo, hi)
		switch {
		case lo >= hi:
		case u < dead:
			exit, exitStatus, exitReason = at, dangvu.StatusDeceased, "Từ trần"
		case u < dead+100:
			exit, exitStatus = at, dangvu.StatusTransferredOut
			exitDoc = m.qd(issuerAt(at))
			exitReason = "Chuyển sinh hoạt đảng ra ngoài Đảng bộ"
		case u < dead+150:
			exit, exitStatus = at, dangvu.StatusRemoved
			exitDoc, exitReason = m.qd(issuerAt(at)), "Bỏ sinh hoạt đảng 3 tháng trong năm không có lý do chính đáng"
		case u < dead+165:
			exit, exitStatus = at, dangvu.StatusLeft
			exitDoc, exitReason = m.qd(issuerAt(at)), "Xin ra khỏi Đảng"
		case u < dead+175:
			exit, exitStatus = at, dangvu.StatusExpelled
			exitDoc, exitReason = m.qd(issuerAt(at)), "Vi phạm tư cách đảng viên"
		case u < dead+175+exempt:
			// Exempt members stay members: a status, not an exit.
			exitStatus = dangvu.StatusExempt
			exit = max(at, addYears(birth, 70))
			if exit >= dAsOf {
				exitStatus, exit = "", 0
			} else {
				exitDoc, exitReason = m.qd("ĐU"), "Tuổi cao, sức khỏe yếu"
			}
		}
	}
	leaves := exit != 0 && exitStatus != dangvu.StatusExempt
	until := dAsOf // the day after the last day as a member, or dAsOf
	if leaves {
		until = exit
	}

	// Memberships, with the transfers that split them.
	m.ms, m.st, m.mv = m.ms[:0], m.st[:0], m.mv[:0]
	admission := m.qd(issuerAt(adm))
	admDoc := admission // document of the current official membership
	home := h.org
	start := adm
	if h.carry >= 0 && adm >= dReorg {
		home = h.carry // admitted after its cell had ended: straight into the cell that took it over
	}
	g2 := r.IntN(1000)
	if !stable && g2 < 60 && adm < mkday(2023, 1, 1) {
		// An internal transfer from a neighbouring cell of the same district or committee.
		var from *holder
		if hi > 0 && g.holders[hi-1].grp == h.grp {
			from = &g.holders[hi-1]
		} else if int(hi)+1 < len(g.holders) && g.holders[hi+1].grp == h.grp {
			from = &g.holders[hi+1]
		}
		if hiT := min(until, dReorg); from != nil && from.from <= adm && adm+180 < hiT {
			t := between(r, adm+180, hiT)
			{
				d := doc{num: int32(1 + r.IntN(500)), sym: "QĐ", issuer: "ĐU"}
				m.ms = append(m.ms, mship{org: from.org, from: adm, to: t, doc: admDoc, ev: -1})
				m.mv = append(m.mv, move{date: t, kind: dangvu.MoveInternal, from: from.org, to: h.org, doc: d})
				start, admDoc = t, d
			}
		}
	} else if !stable && g2 >= 990 {
		// Temporary membership elsewhere (a course, a posting) of 3 to 11 months.
		host := &g.holders[(int(hi)+len(g.holders)/2)%len(g.holders)]
		dur := day(90 + r.IntN(240))
		s := between(r, max(adm+30, host.from, mkday(2010, 1, 1)), min(until, dReorg)-dur)
		if host != h && s >= max(adm+30, host.from) && s+dur <= min(until, dReorg) {
			d := doc{num: int32(1 + r.IntN(300)), sym: "GGT", issuer: "ĐU"}
			m.ms = append(m.ms, mship{org: host.org, from: s, to: s + dur, temp: true, doc: d, ev: -1})
			m.mv = append(m.mv, move{date: s, kind: dangvu.MoveTemporaryOut, from: h.org, to: host.org, doc: d,
				note: "Sinh hoạt tạm thời"})
		}
	}
	end := day(0)
	if leaves {
		end = exit
	}
	if home == h.org && h.carry >= 0 && (end == 0 || end > dReorg) {
		ev := g.events[h.ev]
		evDoc := doc{text: ev.doc}
		m.ms = append(m.ms, mship{org: h.org, from: start, to: dReorg, doc: admDoc, ev: -1},
			mship{org: h.carry, from: dReorg, to: end, doc: evDoc, ev: h.ev})
		m.mv = append(m.mv, move{date: dReorg, kind: dangvu.MoveReorganised, from: h.org, to: h.carry, doc: evDoc,
			note: "Theo sắp xếp tổ chức"})
	} else {
		m.ms = append(m.ms, mship{org: home, from: start, to: end, doc: admDoc, ev: -1})
	}
	if exitStatus == dangvu.StatusTransferredOut {
		from := h.org
		if h.carry >= 0 && exit > dReorg {
			from = h.carry
		}
		m.mv = append(m.mv, move{date: exit, kind: dangvu.MoveTransferOut, from: from, to: -1,
			external: externals[r.IntN(len(externals))], doc: exitDoc})
	}

	// Statuses.
	m.st = append(m.st, mstatus{from: adm, status: dangvu.StatusProbationary, doc: admission})
	var fullDoc doc
	if isFull {
		fullDoc = m.qd(issuerAt(full))
		m.st = append(m.st, mstatus{from: full, status: dangvu.StatusFull, doc: fullDoc})
	}
	if exit != 0 {
		m.st = append(m.st, mstatus{from: exit, status: exitStatus, doc: exitDoc, reason: exitReason})
	}

	rb := &m.rb
	rb.reset()
	rb.row("members")
	rb.b = appendMemberID(rb.b, i)
	rb.f()
	rb.s(name)
	// Southern members of the older generations are often known by their birth-order name.
	if g.provs[h.prov].info.code >= 70 && by < 1970 && r.IntN(100) < 8 {
		rb.b = append(rb.b, nicknames[r.IntN(len(nicknames))]...)
		rb.b = append(rb.b, ' ')
		rb.b = append(rb.b, name[strings.LastIndexByte(name, ' ')+1:]...)
	}
	rb.f()
	rb.s(gender)
	birthText := iso(birth)
	switch {
	case r.IntN(100) < 80:
	case r.IntN(3) == 0:
		birthText = birthText[:7]
	default:
		birthText = birthText[:4]
	}
	rb.s(birthText)
	// Ethnicity: the province's minorities, mostly its main groups.
	p := &g.provs[h.prov]
	eth := "01"
	if r.IntN(1000) < p.info.minority*3/5+3 { // fewer among members than in the population
		if p.info.groups != "" && r.IntN(10) < 8 {
			k := r.IntN((len(p.info.groups) + 1) / 3)
			eth = p.info.groups[3*k : 3*k+2]
		} else {
			eth = ethCodes[1+r.IntN(len(ethCodes)-1)]
		}
	}
	rb.s(eth)
	rb.s(religions.pick(r))
	// Hometown: mostly the same province; its code begins the CCCD.
	hp := p
	if r.IntN(4) == 0 {
		hp = &g.provs[r.IntN(len(g.provs))]
	}
	hd := &g.dists[int(hp.distLo)+r.IntN(int(hp.distHi-hp.distLo))]
	rb.s(g.addrs[int(hd.addrLo)+r.IntN(int(hd.commHi-hd.commLo))])
	if h.residence != "" {
		rb.s(h.residence)
	} else {
		var rd *district
		if h.dist >= 0 {
			rd = &g.dists[h.dist]
		} else {
			rd = &g.dists[int(p.distLo)+r.IntN(int(p.distHi-p.distLo))]
		}
		rb.b = append(rb.b, "Số "...)
		rb.b = strconv.AppendInt(rb.b, int64(1+r.IntN(300)), 10)
		rb.b = append(rb.b, ", "...)
		rb.b = append(rb.b, g.addrs[int(rd.addrLo)+r.IntN(int(rd.commHi-rd.commLo))]...)
		rb.f()
	}
	// Identity number: a CCCD (province of registration, gender and century, year, six digits), or
	// an old 9-digit CMND, more often among the elderly.
	idStart := len(rb.b)
	if r.IntN(100) < 6 || (by < 1960 && r.IntN(100) < 25) {
		_ = r.IntN(1_000_000_000) // drawn as before, so the member's later draws stay the same
		rb.b = appendPad(rb.b, int((uint64(g.cmndSeq)*7919+104729)%1_000_000_000), 9)
		g.cmndSeq++
	} else {
		rb.b = appendPad(rb.b, hp.info.code, 3)
		c := 0
		if by >= 2000 {
			c = 2
		}
		if female {
			c++
		}
		rb.b = append(rb.b, byte('0'+c))
		rb.b = appendPad(rb.b, by%100, 2)
		off := r.IntN(1_000_000)
		key := uint32(hp.info.code)<<16 | uint32(c)<<8 | uint32(by%100)
		seq := g.cccdSeq[key]
		if seq == 0 {
			seq = uint32(off) | 1<<31 // the first draw of a prefix places its sequence
		}
		g.cccdSeq[key] = seq + 1
		rb.b = appendPad(rb.b, int((uint64(seq&^(1<<31))*7919)%1_000_000), 6)
	}
	idNumber := string(rb.b[idStart:])
	rb.f()
	if by >= 1960 || r.IntN(10) < 6 {
		rb.b = append(rb.b, phonePfx[r.IntN(len(phonePfx))]...)
		rb.b = appendPad(rb.b, r.IntN(100_000_000), 8)
	}
	rb.f()
	education := "12/12"
	switch {
	case by >= 1962:
		if r.IntN(100) >= 95 {
			education = "9/12"
		}
	case r.IntN(100) < 45:
		education = "10/10"
	case r.IntN(100) < 25:
		education = "7/10"
	}
	rb.s(education)
	rb.s(quals[h.prof].pick(r))
	if stable && r.IntN(2) == 0 {
		rb.s("intermediate")
	} else {
		rb.s(theories[h.prof].pick(r))
	}
	switch {
	case h.prof == profResidential && by < 1966:
		rb.s("Hưu trí")
	default:
		rb.s(occupations[h.prof].pick(r))
	}
	switch {
	case stable:
		rb.s("Bí thư Chi bộ")
	case r.IntN(100) < 6:
		rb.s(positions[h.prof].pick(r))
	default:
		rb.s("")
	}
	rb.s(iso(adm))
	if isFull {
		rb.s(iso(full))
		if cd := full + day(60+r.IntN(240)); cd <= dAsOf {
			rb.b = appendPad(rb.b, r.IntN(100_000_000), 8)
			rb.f()
			rb.s(iso(cd))
		} else {
			rb.s("")
			rb.s("")
		}
	} else {
		rb.s("")
		rb.s("")
		rb.s("")
	}
	// Party-age badges (Huy hiệu N năm tuổi Đảng) for members still in the party.
	note := ""
	if !leaves {
		ay, _, _ := adm.ymd()
		for _, b := range badges {
			if 2026-ay >= b {
				note = "Huy hiệu " + strconv.Itoa(b) + " năm tuổi Đảng"
				break
			}
		}
	}
	rb.s(note)

	for _, s := range m.st {
		rb.row("member_statuses")
		rb.b = appendMemberID(rb.b, i)
		rb.f()
		rb.s(iso(s.from))
		rb.s(string(s.status))
		rb.doc(s.doc)
		rb.s(s.reason)
	}
	slices.SortFunc(m.ms, func(a, b mship) int {
		if c := cmp.Compare(a.from, b.from); c != 0 {
			return c
		}
		if a.temp == b.temp {
			return 0
		}
		if a.temp {
			return 1
		}
		return -1
	})
	for _, x := range m.ms {
		rb.row("memberships")
		rb.b = appendMemberID(rb.b, i)
		rb.f()
		rb.s(g.orgs[x.org].id)
		rb.s(iso(x.from))
		rb.s(isoEnd(x.to))
		if x.temp {
			rb.s(string(dangvu.MembershipTemporary))
		} else {
			rb.s(string(dangvu.MembershipOfficial))
		}
		rb.doc(x.doc)
		if x.ev >= 0 {
			rb.s(g.events[x.ev].id)
		} else {
			rb.s("")
		}
	}
	slices.SortFunc(m.mv, func(a, b move) int { return cmp.Compare(a.date, b.date) })
	for k, x := range m.mv {
		rb.row("movements")
		rb.b = appendMemberID(rb.b, i)
		rb.b = append(rb.b, '-')
		rb.b = strconv.AppendInt(rb.b, int64(k+1), 10)
		rb.f()
		rb.b = appendMemberID(rb.b, i)
		rb.f()
		rb.s(string(x.kind))
		rb.s(iso(x.date))
		rb.s(g.orgs[x.from].id)
		if x.to >= 0 {
			rb.s(g.orgs[x.to].id)
		} else {
			rb.s("")
		}
		rb.s(x.external)
		rb.doc(x.doc)
		rb.s(x.note)
	}
	m.domainRows(i, &memberFacts{name: name, gender: gender, birth: birthText, education: education, adm: adm, full: full, idNumber: idNumber,
		isFull: isFull, admDoc: admission, fullDoc: fullDoc, exit: exit, exitStatus: exitStatus, exitDoc: exitDoc, exitReason: exitReason, h: h})
	return rb.flush(w)
}
