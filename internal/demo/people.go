package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"dangvu"
	"dangvu/internal/gen"
)

// person is a member with the whole of their recorded history.
type person struct {
	seq  int
	id   string
	role string // the role of the organisation they joined first: age, gender, occupation

	name, gender string
	birth        date
	birthText    string // partial date as recorded
	ethnicity    string
	religion     string
	hometown     string
	residence    string
	idNumber     string
	phone        string
	education    string
	qualify      string
	theory       string
	occupation   string
	position     string
	card         string
	cardDate     date

	admitted date
	fullOn   date // open until full
	fullDue  date // the end of probation, while pending
	failOn   date // the day a member who failed probation is removed, while pending
	exempt   date // from when exempt, or open
	exit     date // the day the member left the party or the system, or open

	statuses []status
	stints   []*stint
}

type status struct {
	from     date
	code     dangvu.Status
	doc, why string
}

// stint is an official membership in one organisation during [from, to).
type stint struct {
	p        *person
	org      *org
	from, to date
	doc      string
	event    *event
}

type movement struct {
	id       string
	p        *person
	kind     dangvu.MovementKind
	day      date
	from, to *org
	external string
	doc      string
}

func (p *person) status(d date, code dangvu.Status, doc, why string) {
	p.statuses = append(p.statuses, status{from: d, code: code, doc: doc, why: why})
}

func (p *person) statusAt(d date) dangvu.Status {
	var s dangvu.Status
	for _, x := range p.statuses {
		if x.from > d {
			break
		}
		s = x.code
	}
	return s
}

// cur returns the member's open membership, or nil.
func (p *person) cur() *stint {
	if n := len(p.stints); n > 0 && p.stints[n-1].to == open {
		return p.stints[n-1]
	}
	return nil
}

func (p *person) stintAt(d date) *stint {
	for _, s := range p.stints {
		if s.from <= d && d < s.to {
			return s
		}
	}
	return nil
}

// leave ends the membership and the member's time in the system on d.
func (p *person) leave(d date) {
	if s := p.cur(); s != nil {
		s.to = d
	}
	p.exit = d
}

func (w *world) join(p *person, o *org, d date, doc string, e *event) {
	if s := p.cur(); s != nil {
		s.to = d
	}
	p.stints = append(p.stints, &stint{p: p, org: o, from: d, to: open, doc: doc, event: e})
}

func (w *world) moved(p *person, kind dangvu.MovementKind, d date, from, to *org, external, doc string) {
	w.movements = append(w.movements, &movement{p: p, kind: kind, day: d, from: from, to: to, external: external, doc: doc})
}

// inUB reports whether p is in the party on d with an official membership under Uông Bí.
func (w *world) inUB(p *person, d date) bool {
	if !p.statusAt(d).InParty() {
		return false
	}
	s := p.stintAt(d)
	return s != nil && s.org.under(w.ub, d)
}

// Roles of organisations, for the people they hold.
const (
	roleResidential = "residential" // residential cells: many retirees
	roleWardOffice  = "ward_office" // ward and commune offices
	roleCityOffice  = "city_office" // city party, government and front agencies
	roleAgency      = "agency"      // other state agencies
	rolePolice      = "police"
	roleMilitary    = "military"
	roleMilitia     = "militia" // ward military command
	roleSchool      = "school"
	roleHealth      = "health"
	roleService     = "service" // other public service units
	roleEnterprise  = "enterprise"
)

// profile describes the people of a role.
type profile struct {
	female   float64
	born     [2]int  // birth years of the members standing in 2015 (residential: the working part)
	admitAge [2]int  // ages at admission
	out      float64 // propensity to transfer out, against the average
	jobs     []string
	quals    []string
	theory   []string // drawn uniformly: repeat a level to weight it
}

var (
	officeQuals = []string{"Cử nhân Luật", "Cử nhân Kinh tế", "Cử nhân Hành chính", "Thạc sĩ Quản lý kinh tế", "Kỹ sư Quản lý đất đai", "Cử nhân Kế toán"}
	officeTheo  = []string{"intermediate", "intermediate", "intermediate", "intermediate", "intermediate", "advanced", "advanced", "bachelor", "basic", "basic"}
)

var profiles = map[string]profile{
	roleResidential: {0.40, [2]int{1961, 1994}, [2]int{19, 40}, 0.6,
		[]string{"Kinh doanh", "Lao động tự do", "Công nhân", "Nhân viên văn phòng", "Viên chức"},
		[]string{"Cao đẳng", "Trung cấp", "Cử nhân Kinh tế", "Kỹ sư Xây dựng", "", ""},
		[]string{"none", "none", "none", "none", "basic", "basic", "basic", "basic", "intermediate", "intermediate"}},
	roleWardOffice: {0.45, [2]int{1960, 1993}, [2]int{24, 38}, 0.8, []string{"Cán bộ, công chức"}, officeQuals, officeTheo},
	roleCityOffice: {0.45, [2]int{1960, 1992}, [2]int{25, 38}, 0.8, []string{"Cán bộ, công chức"}, officeQuals, officeTheo},
	roleAgency:     {0.50, [2]int{1960, 1992}, [2]int{25, 38}, 1.0, []string{"Công chức"}, officeQuals, officeTheo},
	rolePolice: {0.12, [2]int{1965, 1994}, [2]int{21, 30}, 1.8, []string{"Công an"},
		[]string{"Cử nhân An ninh", "Cử nhân Cảnh sát", "Trung cấp Cảnh sát"},
		[]string{"intermediate", "intermediate", "intermediate", "intermediate", "basic", "basic", "basic", "basic", "basic", "advanced"}},
	roleMilitary: {0.05, [2]int{1965, 1994}, [2]int{21, 30}, 2.5, []string{"Quân nhân"},
		[]string{"Cử nhân Chỉ huy tham mưu", "Trung cấp quân sự"},
		[]string{"intermediate", "intermediate", "intermediate", "intermediate", "basic", "basic", "basic", "basic", "basic", "advanced"}},
	roleMilitia: {0.10, [2]int{1965, 1994}, [2]int{21, 35}, 1.0, []string{"Cán bộ quân sự", "Dân quân"},
		[]string{"Trung cấp quân sự cơ sở", "Cao đẳng quân sự cơ sở", ""},
		[]string{"basic", "basic", "basic", "basic", "basic", "none", "none", "none", "none", "intermediate"}},
	roleSchool: {0.80, [2]int{1962, 1993}, [2]int{22, 35}, 0.8, []string{"Giáo viên"},
		[]string{"Cử nhân Sư phạm Mầm non", "Cử nhân Sư phạm Tiểu học", "Cử nhân Sư phạm Toán", "Cử nhân Sư phạm Ngữ văn", "Cử nhân Sư phạm Tiếng Anh", "Thạc sĩ Quản lý giáo dục", "Cao đẳng Sư phạm"},
		[]string{"basic", "basic", "basic", "basic", "basic", "basic", "intermediate", "intermediate", "none", "none"}},
	roleHealth: {0.65, [2]int{1962, 1993}, [2]int{23, 38}, 1.0, []string{"Bác sĩ", "Điều dưỡng", "Y sĩ", "Dược sĩ"},
		[]string{"Bác sĩ đa khoa", "Bác sĩ chuyên khoa I", "Cử nhân Điều dưỡng", "Dược sĩ", "Y sĩ đa khoa"},
		[]string{"basic", "basic", "basic", "basic", "basic", "basic", "intermediate", "intermediate", "none", "none"}},
	roleService: {0.50, [2]int{1962, 1993}, [2]int{23, 38}, 0.9, []string{"Viên chức"},
		[]string{"Cử nhân Văn hóa", "Kỹ sư Xây dựng", "Cử nhân Kinh tế", "Kỹ sư Quản lý đất đai", "Cử nhân Sư phạm"},
		[]string{"basic", "basic", "basic", "basic", "basic", "basic", "intermediate", "intermediate", "none", "none"}},
	roleEnterprise: {0.25, [2]int{1962, 1994}, [2]int{22, 40}, 1.4, []string{"Công nhân", "Công nhân", "Kỹ sư", "Nhân viên", "Cán bộ quản lý"},
		[]string{"Kỹ sư Khai thác mỏ", "Kỹ sư Cơ điện", "Cử nhân Kế toán", "Công nhân kỹ thuật", "Trung cấp Cơ khí", "Cử nhân Quản trị kinh doanh"},
		[]string{"basic", "basic", "basic", "basic", "basic", "none", "none", "none", "none", "intermediate"}},
}

// Retired members of residential cells: born before 1961, many of them former miners and cadres.
var retiredQuals = []string{"Trung cấp kỹ thuật mỏ", "Kỹ sư Khai thác mỏ", "Cao đẳng Sư phạm", "Trung cấp Kế toán", "Sơ cấp nghề", ""}

// Provinces people come from or go to, with the code that opens their CCCD numbers.
var provinces = []struct{ name, code string }{
	{"tỉnh Hải Dương", "030"}, {"tỉnh Thái Bình", "034"}, {"tỉnh Nam Định", "036"}, {"tỉnh Hưng Yên", "033"},
	{"thành phố Hải Phòng", "031"}, {"tỉnh Thanh Hóa", "038"}, {"tỉnh Nghệ An", "040"}, {"tỉnh Hà Nam", "035"},
	{"tỉnh Ninh Bình", "037"}, {"tỉnh Bắc Giang", "024"}, {"tỉnh Bắc Ninh", "027"}, {"thành phố Hà Nội", "001"},
	{"tỉnh Lạng Sơn", "020"}, {"tỉnh Phú Thọ", "025"},
}

// Other places of Quảng Ninh, outside the demo's tree.
var qnPlaces = []string{"thành phố Hạ Long", "thành phố Cẩm Phả", "thị xã Quảng Yên", "huyện Hoành Bồ", "thành phố Móng Cái"}

const qnCode = "022" // Quảng Ninh's code in CCCD numbers

var phonePrefixes = []string{"91", "94", "88", "98", "97", "96", "86", "35", "33", "36", "37", "38", "39", "70", "79", "77", "83", "84", "85", "81", "82", "32", "34"}

// newPerson makes a person born in year born for an organisation of role; idCode is the province
// code of their birth registration.
func (w *world) newPerson(r *rand.Rand, role string, born int, idCode string) *person {
	pr := profiles[role]
	p := &person{seq: len(w.people), role: role, fullOn: open, fullDue: open, failOn: open, exempt: open, exit: open, cardDate: open}
	w.people = append(w.people, p)
	p.gender = dangvu.Male
	if chance(r, pr.female) {
		p.gender = dangvu.Female
	}
	p.name = gen.Person(r, p.gender)
	p.birth = ymd(born, time.January, 1) + date(r.IntN(365))
	switch t := p.birth.time(); {
	case born < 1960 && chance(r, 0.2):
		p.birthText = fmt.Sprint(born)
	case chance(r, 0.05):
		p.birthText = t.Format("2006-01")
	default:
		p.birthText = p.birth.String()
	}
	switch u := r.Float64(); {
	case u < 0.93:
		p.ethnicity = "01" // Kinh
	case u < 0.95:
		p.ethnicity = "02" // Tày
	case u < 0.97:
		p.ethnicity = "18" // Sán Dìu
	case u < 0.985:
		p.ethnicity = "09" // Dao
	case u < 0.995:
		p.ethnicity = "07" // Nùng
	default:
		p.ethnicity = "03" // Thái
	}
	p.religion = "Không"
	if u := r.Float64(); u < 0.05 {
		p.religion = "Phật giáo"
	} else if u < 0.07 {
		p.religion = "Công giáo"
	}
	switch u := r.Float64(); {
	case u < 0.4:
		wd := ubWards[r.IntN(len(ubWards))]
		word := "phường "
		if wd.commune {
			word = "xã "
		}
		p.hometown = word + wd.name + ", thành phố Uông Bí, tỉnh Quảng Ninh"
	case u < 0.55:
		p.hometown = "xã " + gen.PlaceName(r) + ", " + pick(r, qnPlaces...) + ", tỉnh Quảng Ninh"
	default:
		p.hometown = "xã " + gen.PlaceName(r) + ", huyện " + gen.PlaceName(r) + ", " + pick(r, provinces...).name
	}
	if born < 1965 && chance(r, 0.25) {
		p.idNumber = w.unique(func() string { return fmt.Sprintf("10%07d", r.IntN(10_000_000)) }) // old CMND
	} else {
		g := 0
		if p.gender == dangvu.Female {
			g = 1
		}
		if born >= 2000 {
			g += 2
		}
		p.idNumber = w.unique(func() string { return fmt.Sprintf("%s%d%02d%06d", idCode, g, born%100, r.IntN(1_000_000)) })
	}
	if chance(r, 0.75) {
		p.phone = w.unique(func() string { return fmt.Sprintf("0%s%07d", pick(r, phonePrefixes...), r.IntN(10_000_000)) })
	}
	switch u := r.Float64(); {
	case born < 1965 && u < 0.7: // the ten-year general education of the North
		p.education = "10/10"
	case born < 1965 && u < 0.9:
		p.education = "7/10"
	case chance(r, 0.03):
		p.education = "9/12"
	default:
		p.education = "12/12"
	}
	p.qualify = pick(r, pr.quals...)
	p.theory = pick(r, pr.theory...)
	p.occupation = pick(r, pr.jobs...)
	return p
}

// retire marks a residential member born before 1961 as retired.
func (p *person) retire(r *rand.Rand) {
	p.occupation = "Nghỉ hưu"
	p.qualify = pick(r, retiredQuals...)
}

// decider is the issuer of the admission decisions for organisation o on d: the district committee
// while there is one, the grassroots committee after 2025.
func decider(o *org, d date) string {
	for x := o; x != nil; {
		v := x.at(d)
		if v == nil {
			break
		}
		if v.level == dangvu.LevelDistrict {
			return "TU"
		}
		x = v.parent
	}
	return "ĐU"
}

// admit records an admission on d: probation, then full membership a year later, unless the
// member fails probation (about one in a hundred) and is removed from the list.
func (w *world) admit(r *rand.Rand, p *person, d date, doc string, canFail bool) {
	p.admitted = d
	p.status(d, dangvu.StatusProbationary, doc, "Kết nạp vào Đảng")
	if canFail && chance(r, 0.012) {
		p.failOn = d.addYears(1) + date(20+r.IntN(40))
	} else {
		p.fullDue = d.addYears(1)
	}
}

// catchUp applies what is due up to lim: full membership, removal after a failed probation, and
// the end of the member's organisation (the member is carried to its successor).
func (w *world) catchUp(r *rand.Rand, p *person, lim date) {
	for p.exit == open {
		next, what := p.fullDue, "full"
		if p.failOn < next {
			next, what = p.failOn, "fail"
		}
		if s := p.cur(); s != nil && s.org.to() < next {
			next, what = s.org.to(), "carry"
		}
		if next > lim {
			return
		}
		switch what {
		case "full":
			p.fullOn, p.fullDue = next, open
			p.status(next, dangvu.StatusFull, fmt.Sprintf("Số %d-QĐ/TU", 100+r.IntN(1900)), "Công nhận đảng viên chính thức")
			if cd := next + date(60+r.IntN(240)); cd <= today {
				p.card = w.unique(func() string { return fmt.Sprintf("22%06d", r.IntN(1_000_000)) })
				p.cardDate = cd
			}
		case "fail":
			p.failOn = open
			p.status(next, dangvu.StatusRemoved, fmt.Sprintf("Số %d-QĐ/TU", 100+r.IntN(1900)), "Không được công nhận đảng viên chính thức")
			p.leave(next)
		case "carry":
			w.carry(r, p, next)
		}
	}
}

// carry moves a member of an organisation that ends on d to its successor: one of its carryTo
// organisations, or a residential cell of the same town when it was dissolved.
func (w *world) carry(r *rand.Rand, p *person, d date) {
	from := p.cur().org
	var to *org
	if len(from.carryTo) > 0 {
		to = from.carryTo[r.IntN(len(from.carryTo))]
	} else {
		to = w.pickOrg(r, from.area, d, from, func(o *org) float64 {
			if o.role != roleResidential {
				return 0
			}
			return o.size
		})
	}
	doc := ""
	if from.endEvent != nil {
		doc = from.endEvent.document
	}
	w.join(p, to, d, doc, from.endEvent)
	w.moved(p, dangvu.MoveReorganised, d, from, to, "", doc)
}

// pickOrg draws an organisation holding members in area on d, other than not, by weight.
func (w *world) pickOrg(r *rand.Rand, area string, d date, not *org, weight func(*org) float64) *org {
	var cands []*org
	var cum []float64
	total := 0.0
	for _, o := range w.orgs {
		if o == not || o.area != area || !o.holds() || o.at(d) == nil {
			continue
		}
		if x := weight(o); x > 0 {
			total += x
			cands = append(cands, o)
			cum = append(cum, total)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	u := r.Float64() * total
	i, _ := slices.BinarySearch(cum, u)
	return cands[min(i, len(cands)-1)]
}

func bySize(o *org) float64  { return o.size }
func byAdmit(o *org) float64 { return o.admit }

// Yearly hazards. Deaths rise with age; transfers out are for the young and the mobile (police,
// soldiers, enterprise workers); the elderly of residential cells may be exempted.
func mortality(age int) float64 {
	switch {
	case age < 40:
		return 0.0008
	case age < 50:
		return 0.002
	case age < 60:
		return 0.005
	case age < 70:
		return 0.012
	case age < 80:
		return 0.03
	case age < 90:
		return 0.08
	}
	return 0.16
}

func transferOut(age int) float64 {
	switch {
	case age < 30:
		return 0.065
	case age < 40:
		return 0.04
	case age < 50:
		return 0.021
	case age < 60:
		return 0.013
	}
	return 0.005
}

func (w *world) hazard(r *rand.Rand, p *person, t date) string {
	age := t.year() - p.birth.year()
	s := p.cur()
	internal, exempt := 0.015, 0.0
	if age >= 60 {
		internal = 0.006
	}
	if s.org.role == roleResidential && p.exempt == open && p.statusAt(t) == dangvu.StatusFull {
		switch {
		case age >= 85:
			exempt = 0.1
		case age >= 80:
			exempt = 0.05
		case age >= 75:
			exempt = 0.025
		case age >= 70:
			exempt = 0.008
		}
	}
	rates := []struct {
		ev string
		p  float64
	}{
		{"death", mortality(age)},
		{"out", transferOut(age) * profiles[s.org.role].out},
		{"internal", internal},
		{"exempt", exempt},
		{"removed", 0.0008},
		{"expelled", 0.0003},
		{"left", 0.0001},
	}
	u := r.Float64()
	for _, x := range rates {
		if u < x.p {
			return x.ev
		}
		u -= x.p
	}
	return ""
}

var removalReasons = []string{
	"Bỏ sinh hoạt đảng 3 tháng trong năm không có lý do chính đáng",
	"Không đóng đảng phí 3 tháng trong năm không có lý do chính đáng",
	"Hai năm liền vi phạm tư cách đảng viên",
}

var expulsionReasons = []string{
	"Vi phạm pháp luật, bị kết án",
	"Vi phạm nghiêm trọng quy định về quản lý đất đai",
	"Tham nhũng, lợi dụng chức vụ vì lợi ích cá nhân",
}

// externalOrg names a party organisation outside the demo's tree.
func externalOrg(r *rand.Rand) string {
	if chance(r, 0.35) {
		return "Đảng bộ phường " + gen.PlaceName(r) + ", " + pick(r, qnPlaces...) + ", tỉnh Quảng Ninh"
	}
	return "Đảng bộ xã " + gen.PlaceName(r) + ", huyện " + gen.PlaceName(r) + ", " + pick(r, provinces...).name
}

func transferDoc(r *rand.Rand) string {
	return fmt.Sprintf("Giấy giới thiệu sinh hoạt đảng số %d", 10+r.IntN(990))
}

// happen applies the year's event ev on d.
func (w *world) happen(r *rand.Rand, p *person, ev string, d date) {
	s := p.cur()
	if d <= p.statuses[len(p.statuses)-1].from || d <= s.from {
		return // two changes on one day: let the year pass instead
	}
	switch ev {
	case "death":
		p.status(d, dangvu.StatusDeceased, "", "Từ trần")
		p.leave(d)
	case "out":
		ext, doc := externalOrg(r), transferDoc(r)
		p.status(d, dangvu.StatusTransferredOut, doc, "Chuyển sinh hoạt đảng chính thức đến "+ext)
		w.moved(p, dangvu.MoveTransferOut, d, s.org, nil, ext, doc)
		p.leave(d)
	case "internal":
		area := s.org.area
		if chance(r, 0.08) { // to the other town of the province
			area = map[string]string{"UB": "DT", "DT": "UB"}[area]
		}
		old := d.year()-p.birth.year() >= 60
		to := w.pickOrg(r, area, d, s.org, func(o *org) float64 {
			if old && o.role != roleResidential {
				return 0
			}
			return o.size
		})
		if to == nil {
			return
		}
		doc := transferDoc(r)
		w.join(p, to, d, doc, nil)
		w.moved(p, dangvu.MoveInternal, d, s.org, to, "", doc)
	case "exempt":
		p.status(d, dangvu.StatusExempt, fmt.Sprintf("Số %d-QĐ/ĐU", 10+r.IntN(190)), "Tuổi cao, sức khỏe yếu")
		p.exempt = d
	case "removed":
		p.status(d, dangvu.StatusRemoved, fmt.Sprintf("Số %d-QĐ/TU", 100+r.IntN(1900)), pick(r, removalReasons...))
		p.leave(d)
	case "expelled":
		p.status(d, dangvu.StatusExpelled, fmt.Sprintf("Số %d-QĐ/UBKTTU", 10+r.IntN(190)), pick(r, expulsionReasons...))
		p.leave(d)
	case "left":
		p.status(d, dangvu.StatusLeft, "", "Xin ra khỏi Đảng")
		p.leave(d)
	}
}

// live runs a member's history from d to today, a year at a time: at most one event a year, on a
// random day, with what falls due (full membership, reorganisations) applied in date order.
func (w *world) live(r *rand.Rand, p *person, d date) {
	for t := d; t < today; {
		end := min(t+365, today)
		if ev := w.hazard(r, p, t); ev != "" {
			day := t + 1 + date(r.IntN(int(end-t)))
			if w.catchUp(r, p, day); p.exit != open {
				return
			}
			if w.happen(r, p, ev, day); p.exit != open {
				return
			}
		}
		if w.catchUp(r, p, end); p.exit != open {
			return
		}
		t = end
	}
}

// Admissions cluster before the party's and the nation's anniversaries (3/2, 19/5, 2/9) and at
// the end of the year.
var monthWeight = [13]float64{0, 1.3, 1.2, 0.9, 0.9, 1.3, 0.9, 0.8, 1.2, 1.1, 0.9, 1.0, 1.3}

// admitMany admits n people in [from, to) into organisations of area, by their admission weights.
func (w *world) admitMany(r *rand.Rand, area string, from, to date, n int) {
	for i := 0; i < n; {
		d := within(r, from, to)
		if !chance(r, monthWeight[d.time().Month()]/1.3) {
			continue
		}
		o := w.pickOrg(r, area, d, nil, byAdmit)
		if o == nil {
			continue
		}
		pr := profiles[o.role]
		age := pr.admitAge[0] + r.IntN(pr.admitAge[1]-pr.admitAge[0]+1)
		if o.role == roleResidential && chance(r, 0.3) {
			age = 19 + r.IntN(12) // young people at home, back from the army or from studies
		}
		p := w.newPerson(r, o.role, d.year()-age, qnCode) // at 19 or older, 18 years before d
		if chance(r, 0.8) {
			p.theory = "none"
		} else {
			p.theory = "basic"
		}
		doc := fmt.Sprintf("Số %d-QĐ/%s", 100+r.IntN(1900), decider(o, d))
		w.admit(r, p, d, doc, true)
		w.join(p, o, d, doc, nil)
		w.live(r, p, d)
		i++
	}
}

// transferIn brings a member admitted elsewhere into o on d. Members who arrive were admitted
// before the article's period or after it, so that its admission count is the cells' own.
func (w *world) transferIn(r *rand.Rand, o *org, d date) *person {
	prov := pick(r, provinces...)
	for {
		born := d.year() - 26 - r.IntN(25)
		lo := ymd(born, time.December, 31).addYears(19)
		var adm date
		switch {
		case lo < periodFrom:
			adm = within(r, lo, periodFrom)
		case max(lo, periodTo+1) < d-90:
			adm = within(r, max(lo, periodTo+1), d-90)
		default:
			continue
		}
		p := w.newPerson(r, o.role, born, prov.code)
		p.hometown = "xã " + gen.PlaceName(r) + ", huyện " + gen.PlaceName(r) + ", " + prov.name
		w.admit(r, p, adm, fmt.Sprintf("Số %d-QĐ/HU", 10+r.IntN(990)), false)
		w.catchUp(r, p, d-1)
		ext, doc := externalOrg(r), transferDoc(r)
		w.join(p, o, d, doc, nil)
		w.moved(p, dangvu.MoveTransferIn, d, nil, o, ext, doc)
		w.live(r, p, d)
		return p
	}
}

// stockMember makes a member standing in o on 1/1/2015, admitted before, and runs their history.
func (w *world) stockMember(r *rand.Rand, o *org) *person {
	pr := profiles[o.role]
	born := pr.born[0] + r.IntN(pr.born[1]-pr.born[0]+1)
	retired := o.role == roleResidential && chance(r, 0.6)
	if retired {
		born = 1930 + r.IntN(31)
	}
	p := w.newPerson(r, o.role, born, qnCode)
	if retired {
		p.retire(r)
	}
	lo := ymd(born, time.December, 31).addYears(19)
	adm := p.birth.addYears(19+r.IntN(10)+r.IntN(10)) + date(r.IntN(365))
	if adm < lo || adm >= periodFrom {
		adm = within(r, lo, periodFrom)
	}
	w.admit(r, p, adm, fmt.Sprintf("Số %d-QĐ/TU", 10+r.IntN(990)), false)
	w.join(p, o, max(adm, o.from()), "", nil)
	w.catchUp(r, p, periodFrom-1)
	if p.fullOn != open && born < 1938 && chance(r, 0.35) {
		d := within(r, max(p.fullOn+1, recordsStart), periodFrom)
		p.status(d, dangvu.StatusExempt, fmt.Sprintf("Số %d-QĐ/ĐU", 10+r.IntN(190)), "Tuổi cao, sức khỏe yếu")
		p.exempt = d
	}
	w.live(r, p, periodFrom)
	return p
}

const minStanding = 4 // members every organisation starts with

// standing makes the members of area's organisations standing on 1/1/2015: minStanding each, then
// more by size while more() says so.
func (w *world) standing(r *rand.Rand, cells []*org, add func(*org), more func() bool) {
	for _, o := range cells {
		for range minStanding {
			add(o)
		}
	}
	for more() {
		add(w.pickOrg(r, cells[0].area, periodFrom, nil, bySize))
	}
}

// buildPeople makes every member and their history.
//
// The article's rate (F5) is, by the formula the reports use:
//
//	admission_rate_pct_per_year = 100 × (admitted ÷ years) ÷ mean membership
//
// where years = (days from `from` to `to`, both included) ÷ 365.25 and the mean membership is the
// mean of the in-party member counts (probationary, full, exempt; official memberships only) under
// the organisation as of `from` and as of `to`. Admissions in the period are made first, exactly
// the article's count, with everyone else who is not standing on 1/1/2015; then standing members
// are added until the mean membership reaches the one that gives the article's rate. Each adds one
// or two to the sum of the two counts, so the mean lands within half a member of the target and
// the rate rounds to 4.05.
func (w *world) buildPeople(r *rand.Rand) {
	w.admitMany(r, "UB", periodFrom, periodTo+1, admittedInPeriod)
	w.admitMany(r, "UB", periodTo+1, ymd(2019, 1, 1), 130+r.IntN(30))
	for y := 2019; y <= today.year(); y++ {
		from, to := ymd(y, 1, 1), min(ymd(y+1, 1, 1), today+1)
		w.admitMany(r, "UB", from, to, (220+r.IntN(41))*int(to-from)/365)
	}
	for y := 2015; y <= today.year(); y++ {
		from, to := ymd(y, 1, 1), min(ymd(y+1, 1, 1), today+1)
		w.admitMany(r, "DT", from, to, (8+r.IntN(8))*int(to-from)/365)
		for _, area := range []string{"UB", "DT"} {
			n := 20 + r.IntN(15)
			if area == "DT" {
				n = 2 + r.IntN(3)
			}
			for range n * int(to-from) / 365 {
				d := within(r, from, to)
				w.transferIn(r, w.pickOrg(r, area, d, nil, bySize), d)
			}
		}
	}
	for _, o := range w.orgs {
		for range o.seeds {
			w.transferIn(r, o, o.from())
		}
	}

	dt := 260 + r.IntN(60)
	w.standing(r, w.holdersUnder(w.dt, periodFrom), func(o *org) { w.stockMember(r, o); dt-- }, func() bool { return dt > 0 })

	years := float64(periodTo-periodFrom+1) / 365.25
	target := 2 * 100 * admittedInPeriod / years / admissionRatePct // the sum of the two counts
	sum := 0
	count := func(p *person) {
		for _, d := range []date{periodFrom, periodTo} {
			if w.inUB(p, d) {
				sum++
			}
		}
	}
	for _, p := range w.people {
		count(p)
	}
	w.standing(r, w.holdersUnder(w.ub, periodFrom), func(o *org) { count(w.stockMember(r, o)) }, func() bool { return float64(sum) < target })

	w.finishPeople(r)
}

// finishPeople numbers members by admission and movements by date, and writes down residences.
func (w *world) finishPeople(r *rand.Rand) {
	ps := slices.Clone(w.people)
	slices.SortStableFunc(ps, func(a, b *person) int { return int(a.admitted - b.admitted) })
	for i, p := range ps {
		p.id = fmt.Sprintf("M%06d", i+1)
	}
	for _, p := range w.people {
		home := p.stints[0].org
		if home.locality == nil {
			home = w.pickOrg(r, home.area, p.stints[0].from, nil, func(o *org) float64 {
				if o.locality == nil {
					return 0
				}
				return 1
			})
		}
		town := ", thành phố Uông Bí, tỉnh Quảng Ninh"
		if home.area == "DT" {
			town = ", thị xã Đông Triều, tỉnh Quảng Ninh"
		}
		p.residence = home.locality.name + ", " + home.first().parent.placeName() + town
	}
	slices.SortStableFunc(w.movements, func(a, b *movement) int {
		if a.day != b.day {
			return int(a.day - b.day)
		}
		return strings.Compare(a.p.id, b.p.id)
	})
	for i, m := range w.movements {
		m.id = fmt.Sprintf("MV%06d", i+1)
	}
	w.roster = map[*org][]*stint{}
	for _, p := range w.people {
		for _, s := range p.stints {
			w.roster[s.org] = append(w.roster[s.org], s)
		}
	}
}

func (w *world) writeMembers(s *sink) {
	for _, p := range w.people {
		s.row("members", "id", p.id, "full_name", p.name, "gender", p.gender, "birth_date", p.birthText,
			"ethnicity", p.ethnicity, "religion", p.religion, "hometown", p.hometown, "residence", p.residence,
			"id_number", p.idNumber, "phone", p.phone, "education", p.education, "qualification", p.qualify,
			"theory_level", p.theory, "occupation", p.occupation, "position", p.position,
			"admitted_on", p.admitted.String(), "full_on", p.fullOn.String(), "card_number", p.card, "card_date", p.cardDate.String())
	}
}

func (w *world) writeStatuses(s *sink) {
	for _, p := range w.people {
		for _, x := range p.statuses {
			s.row("member_statuses", "member_id", p.id, "valid_from", x.from.String(), "status", string(x.code), "document", x.doc, "reason", x.why)
		}
	}
}

func (w *world) writeMemberships(s *sink) {
	for _, p := range w.people {
		for _, x := range p.stints {
			ev := ""
			if x.event != nil {
				ev = x.event.id
			}
			s.row("memberships", "member_id", p.id, "org_id", x.org.id, "valid_from", x.from.String(), "valid_to", x.to.String(),
				"kind", string(dangvu.MembershipOfficial), "document", x.doc, "event_id", ev)
		}
	}
}

func (w *world) writeMovements(s *sink) {
	for _, m := range w.movements {
		from, to := "", ""
		if m.from != nil {
			from = m.from.id
		}
		if m.to != nil {
			to = m.to.id
		}
		s.row("movements", "id", m.id, "member_id", m.p.id, "kind", string(m.kind), "date", m.day.String(),
			"from_org_id", from, "to_org_id", to, "external", m.external, "document", m.doc)
	}
}
