package vn

import (
	"strings"
	"testing"
)

func TestValidateIDNumber(t *testing.T) {
	tests := []struct {
		in, kind string
		ok       bool
	}{
		{"001203012345", "CCCD", true},
		{"096099001234", "CCCD", true},
		{" 079185000123 ", "CCCD", true},
		{"001903012345", "CCCD", true}, // gender/century digit 9
		{"123456789", "CMND", true},
		{"000203012345", "", false}, // province 000
		{"097203012345", "", false}, // province > 096
		{"999203012345", "", false},
		{"12345678", "", false},
		{"1234567890", "", false},
		{"0012030123456", "", false},
		{"00120301234a", "", false},
		{"001 203 012 345", "", false},
		{"", "", false},
		{"１２３４５６７８９", "", false}, // full-width digits
	}
	for _, tt := range tests {
		kind, err := ValidateIDNumber(tt.in)
		if kind != tt.kind || (err == nil) != tt.ok {
			t.Errorf("ValidateIDNumber(%q) = %q, %v; want %q, ok=%v", tt.in, kind, err, tt.kind, tt.ok)
		}
	}
	_, err := ValidateIDNumber("12345")
	if want := "số định danh phải gồm 12 chữ số (CCCD) hoặc 9 chữ số (CMND)"; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}

func FuzzValidateIDNumber(f *testing.F) {
	f.Add("001203012345")
	f.Add("123456789")
	f.Fuzz(func(t *testing.T, s string) {
		kind, err := ValidateIDNumber(s)
		if (err == nil) != (kind != "") {
			t.Fatalf("%q: kind %q with err %v", s, kind, err)
		}
		if kind == "" {
			return
		}
		d := strings.TrimSpace(s)
		if m, want := MaskIDNumber(s), strings.Repeat("*", len(d)-3)+d[len(d)-3:]; m != want {
			t.Fatalf("%q masked to %q, want %q", s, m, want)
		}
	})
}

func TestMaskIDNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"001203012123", "*********123"},
		{"123456789", "******789"},
		{" 123456789 ", "******789"},
		{"1234", "*234"},
		{"123", "***"},
		{"", ""},
		{"ab€cd", "**€cd"},
	}
	for _, tt := range tests {
		if got := MaskIDNumber(tt.in); got != tt.want {
			t.Errorf("MaskIDNumber(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
