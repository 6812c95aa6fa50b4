package vn

import (
	"errors"
	"strings"
	"unicode/utf8"
)

var errIDLength = errors.New("số định danh phải gồm 12 chữ số (CCCD) hoặc 9 chữ số (CMND)")

// ValidateIDNumber checks a personal identity number, ignoring
// surrounding spaces, and returns its kind: "CCCD" (12 digits, căn cước
// công dân / số định danh cá nhân) or "CMND" (9 digits, the old chứng
// minh nhân dân). Errors are in Vietnamese, for end users.
func ValidateIDNumber(s string) (kind string, err error) {
	s = strings.TrimSpace(s)
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", errIDLength
		}
	}
	switch len(s) {
	case 9:
		// CMND numbers carry no checkable structure.
		return "CMND", nil
	case 12:
	default:
		return "", errIDLength
	}
	// Structure per Thông tư 59/2021/TT-BCA (check): digits 1–3 are the
	// province of birth registration, 001 (Hà Nội) to 096 (Cà Mau), with
	// gaps that we do not enforce; digit 4 encodes gender and century of
	// birth (0/1 = male/female born 1900–1999, 2/3 = 2000–2099, … up to
	// 8/9), so every digit is valid; digits 5–6 are the year of birth and
	// the last six a random number.
	province := int(s[0]-'0')*100 + int(s[1]-'0')*10 + int(s[2]-'0')
	if province < 1 || province > 96 {
		return "", errors.New("số CCCD không hợp lệ: 3 chữ số đầu là mã tỉnh, phải từ 001 đến 096")
	}
	return "CCCD", nil
}

// MaskIDNumber hides all but the last 3 characters of an identity number
// for display: "001234567123" → "*********123". Input of 3 characters or
// fewer is masked entirely, since showing it would show everything.
func MaskIDNumber(s string) string {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	if n <= 3 {
		return strings.Repeat("*", n)
	}
	tail := s
	for range n - 3 {
		_, size := utf8.DecodeRuneInString(tail)
		tail = tail[size:]
	}
	return strings.Repeat("*", n-3) + tail
}
