package store

import (
	"encoding/base32"
	"testing"
	"time"
)

// RFC 6238 Appendix B: the SHA-1 test vectors (seed "12345678901234567890", 30-second steps,
// T0 = 0). They are 8 digits; the 6-digit codes are the same truncation modulo 10^6.
var rfc6238 = []struct {
	unix    int64
	counter uint64
	eight   string
	six     string
}{
	{59, 0x1, "94287082", "287082"},
	{1111111109, 0x23523EC, "07081804", "081804"},
	{1111111111, 0x23523ED, "14050471", "050471"},
	{1234567890, 0x273EF07, "89005924", "005924"},
	{2000000000, 0x3F940AA, "69279037", "279037"},
	{20000000000, 0x27BC86AA, "65353130", "353130"},
}

const rfcSeed = "12345678901234567890"

func TestHOTPRFC6238Vectors(t *testing.T) {
	for _, v := range rfc6238 {
		tm := time.Unix(v.unix, 0)
		if c := totpCounter(tm); c != v.counter {
			t.Errorf("%d: counter %#x, want %#x", v.unix, c, v.counter)
		}
		if got := hotp([]byte(rfcSeed), v.counter, 8); got != v.eight {
			t.Errorf("%d: 8 digits %s, want %s", v.unix, got, v.eight)
		}
		if got := hotp([]byte(rfcSeed), v.counter, 6); got != v.six {
			t.Errorf("%d: 6 digits %s, want %s", v.unix, got, v.six)
		}
	}
}

func TestTOTPCodeAndCheck(t *testing.T) {
	secret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte(rfcSeed))
	tm := time.Unix(1111111111, 0) // counter 0x23523ED
	code, err := TOTPCode(secret, tm)
	if err != nil || code != "050471" {
		t.Fatalf("TOTPCode = %q, %v", code, err)
	}
	at := func(steps int) string { return hotp([]byte(rfcSeed), uint64(int64(0x23523ED)+int64(steps)), 6) }
	for steps, want := range map[int]bool{0: true, -1: true, 1: true, -2: false, 2: false, 10: false} {
		if got := CheckTOTP(secret, at(steps), tm); got != want {
			t.Errorf("code of step %+d: %v, want %v", steps, got, want)
		}
	}
	for _, bad := range []string{"", "05047", "0504711", "abcdef", "000000"} {
		if CheckTOTP(secret, bad, tm) {
			t.Errorf("accepted %q", bad)
		}
	}
	if !CheckTOTP(secret, " 050 471 ", tm) {
		t.Error("spaces around and inside the code are ignored")
	}
	if CheckTOTP("not base32!", "050471", tm) {
		t.Error("a bad secret accepts codes")
	}
}
