// Package gen makes synthetic data sets in the exchange format: realistic Vietnamese people, places
// and party organisations, deterministic for a seed. It serves the national-scale benchmarks
// (`dangvu gen`) and supplies the name and place material of the demo data set.
package gen

import "math/rand/v2"

// weighted picks from items by cumulative weights.
type weighted struct {
	items []string
	cum   []int
}

func newWeighted(pairs ...any) weighted {
	var w weighted
	total := 0
	for i := 0; i < len(pairs); i += 2 {
		total += pairs[i+1].(int)
		w.items = append(w.items, pairs[i].(string))
		w.cum = append(w.cum, total)
	}
	return w
}

func (w weighted) pick(r *rand.Rand) string {
	n := r.IntN(w.cum[len(w.cum)-1])
	lo, hi := 0, len(w.cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if w.cum[mid] > n {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return w.items[lo]
}

// Family names with rough shares per mille of the population.
var families = newWeighted(
	"Nguyễn", 380, "Trần", 110, "Lê", 95, "Phạm", 70, "Hoàng", 51, "Vũ", 39, "Phan", 45,
	"Huỳnh", 20, "Đặng", 21, "Bùi", 20, "Đỗ", 14, "Hồ", 13, "Ngô", 13, "Dương", 10, "Lý", 5,
	"Đào", 8, "Đinh", 7, "Mai", 5, "Trịnh", 5, "Lương", 5, "Lưu", 4, "Tạ", 3, "Cao", 4,
	"Đoàn", 5, "Vương", 2, "Chu", 3, "Kiều", 2, "Thân", 2, "Hà", 5, "Tô", 3, "Triệu", 3,
	"Nông", 3, "Lã", 1, "Quách", 2, "La", 2, "Tăng", 2, "Khúc", 1, "Lục", 1, "Âu", 1,
)

var middleMale = newWeighted(
	"Văn", 400, "Đức", 80, "Minh", 70, "Quang", 50, "Hữu", 50, "Ngọc", 30, "Xuân", 30,
	"Thành", 30, "Công", 40, "Duy", 30, "Mạnh", 20, "Tiến", 20, "Trọng", 20, "Anh", 20,
	"Thanh", 30, "Hoàng", 20, "Việt", 20, "Đình", 40, "Bá", 15, "Tuấn", 15,
)

var middleFemale = newWeighted(
	"Thị", 450, "Thu", 60, "Ngọc", 60, "Thanh", 50, "Minh", 30, "Phương", 30, "Hồng", 40,
	"Kim", 30, "Mai", 20, "Bích", 20, "Thùy", 30, "Diệu", 15, "Hải", 15, "Lan", 15, "Khánh", 15,
)

var givenMale = newWeighted(
	"An", 10, "Anh", 30, "Bình", 20, "Cường", 20, "Dũng", 30, "Duy", 10, "Đạt", 20, "Đức", 30,
	"Giang", 10, "Hải", 30, "Hiếu", 20, "Hòa", 15, "Hoàng", 15, "Hùng", 30, "Huy", 25,
	"Khang", 10, "Khánh", 15, "Kiên", 10, "Lâm", 10, "Long", 25, "Lộc", 10, "Mạnh", 15,
	"Minh", 30, "Nam", 30, "Nghĩa", 15, "Phong", 15, "Phúc", 15, "Quân", 20, "Quang", 20,
	"Sơn", 25, "Tài", 10, "Thắng", 20, "Thành", 25, "Thịnh", 10, "Toàn", 15, "Trung", 25,
	"Tuấn", 30, "Tùng", 15, "Việt", 15, "Vinh", 15, "Vũ", 10, "Hưng", 20, "Tâm", 10, "Tú", 10,
)

var givenFemale = newWeighted(
	"An", 10, "Anh", 30, "Ánh", 10, "Bích", 10, "Chi", 15, "Dung", 20, "Duyên", 15, "Giang", 15,
	"Hà", 30, "Hạnh", 20, "Hằng", 25, "Hiền", 20, "Hoa", 25, "Hồng", 20, "Huệ", 10, "Hương", 35,
	"Huyền", 25, "Lan", 25, "Linh", 30, "Loan", 15, "Mai", 25, "My", 10, "Nga", 20, "Ngân", 10,
	"Ngọc", 20, "Nhung", 15, "Oanh", 10, "Phương", 25, "Quỳnh", 15, "Tâm", 10, "Thảo", 30,
	"Thu", 20, "Thủy", 25, "Trang", 35, "Tuyết", 10, "Uyên", 10, "Vân", 15, "Yến", 20, "Xuân", 10,
)

// Person returns a realistic full name for a gender ("male" or "female").
func Person(r *rand.Rand, gender string) string {
	family := families.pick(r)
	if gender == "female" {
		return family + " " + middleFemale.pick(r) + " " + givenFemale.pick(r)
	}
	// Some men carry two middle names, and some Nguyễn Văn… names are plain two-word names.
	if r.IntN(10) == 0 {
		return family + " " + givenMale.pick(r)
	}
	return family + " " + middleMale.pick(r) + " " + givenMale.pick(r)
}

// Villages and streets for residential cells and addresses.
var placeWords = []string{
	"Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ", "Tân", "Hòa", "Bình", "An", "Phú",
	"Thịnh", "Hưng", "Lộc", "Yên", "Thanh", "Hồng", "Quang", "Minh", "Đồng", "Sơn", "Hải", "Lâm",
}

// PlaceName returns a two-syllable place name such as "Tân Hòa".
func PlaceName(r *rand.Rand) string {
	a := placeWords[r.IntN(len(placeWords))]
	b := placeWords[r.IntN(len(placeWords))]
	for b == a {
		b = placeWords[r.IntN(len(placeWords))]
	}
	return a + " " + b
}
