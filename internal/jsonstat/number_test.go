package jsonstat

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// jsonNumber is the number grammar of RFC 8259.
var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$`)

// checkNumber parses s with the scanner and with strconv and reports any
// difference in acceptance or in the bits of the result.
func checkNumber(t *testing.T, s string) {
	t.Helper()
	checkNumberIn(t, s, "")
	// Followed by more input, as in a value array, so that the 8-byte
	// fast path can run.
	checkNumberIn(t, s, ",12345678")
	checkNumberIn(t, s, "]}")
}

func checkNumberIn(t *testing.T, s, after string) {
	t.Helper()
	sc := &scanner{data: []byte(s + after)}
	got, err := sc.number()
	ok := err == nil && sc.pos == len(s)
	want, werr := strconv.ParseFloat(s, 64)
	grammar := jsonNumber.MatchString(s)
	switch {
	case ok && !grammar:
		t.Errorf("number(%q) accepted text outside the JSON grammar", s)
	case ok && werr != nil:
		t.Errorf("number(%q) = %v, strconv says %v", s, got, werr)
	case ok && math.Float64bits(got) != math.Float64bits(want):
		t.Errorf("number(%q) = %v (%#x), strconv gives %v (%#x)", s, got, math.Float64bits(got), want, math.Float64bits(want))
	case !ok && grammar && werr == nil && !startsWithDigit(after):
		t.Errorf("number(%q) refused a valid number: %v", s+after, err)
	}
}

func TestNumberEdgeCases(t *testing.T) {
	for _, s := range []string{
		"0", "-0", "0.0", "-0.0", "1", "-1", "0.1", "0.2", "0.3", "1.5", "125.36", "74.86", "1e22", "1e23",
		"9007199254740992", "9007199254740993", "9007199254740993.0", "18446744073709551615", "18446744073709551616",
		"123456789012345678901234567890", "0.000000000000000000000000000001", "1.7976931348623157e308",
		"1.7976931348623159e308", "4.9e-324", "2.4703282292062327e-324", "1e-400", "-1e-400", "0e999999999",
		"1E5", "1e+5", "1e-5", "1.25e-22", "3.0e22", "5e-22", "22.22e21", "0.00000000000000000000012345",
		"1234567890123456789", "12345678901234567890", "0.12345678901234567890", "100000000000000000000000",
		// Not numbers, or not JSON numbers.
		"", "-", "+1", "01", "1.", ".5", "1e", "1e+", "--1", "1.e5", "0x10", "Inf", "NaN", "1_000",
	} {
		checkNumber(t, s)
	}
}

func TestNumberMatchesStrconv(t *testing.T) {
	// Property test over generated numbers shaped like statistics: integers,
	// 1-4 decimals, occasional exponents and long mantissas. Fixed seed, so a
	// failure reproduces.
	r := rand.New(rand.NewPCG(1, 2))
	for range 300000 {
		var b []byte
		if r.IntN(4) == 0 {
			b = append(b, '-')
		}
		switch r.IntN(3) {
		case 0:
			b = strconv.AppendUint(b, r.Uint64N(1_000_000), 10)
		case 1:
			b = strconv.AppendUint(b, r.Uint64(), 10)
		default:
			b = strconv.AppendUint(b, r.Uint64N(1<<54), 10)
		}
		if r.IntN(2) == 0 {
			b = append(b, '.')
			for range 1 + r.IntN(20) {
				b = append(b, byte('0'+r.IntN(10)))
			}
		}
		if r.IntN(5) == 0 {
			b = append(b, 'e')
			b = strconv.AppendInt(b, int64(r.IntN(700)-350), 10)
		}
		checkNumber(t, string(b))
		if t.Failed() {
			return
		}
	}
}

func TestNumberShortestFormsRoundTrip(t *testing.T) {
	// Every float64 written the way Encode writes it must parse back to the
	// same bits.
	r := rand.New(rand.NewPCG(3, 4))
	for range 200000 {
		f := math.Float64frombits(r.Uint64())
		if math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		s := string(appendFloat(nil, f))
		sc := &scanner{data: []byte(s)}
		got, err := sc.number()
		if err != nil || math.Float64bits(got) != math.Float64bits(f) {
			t.Fatalf("number(appendFloat(%v)) = %v, %v", f, got, err)
		}
	}
}

func FuzzNumber(f *testing.F) {
	for _, s := range []string{"0", "-0.5", "125.36", "1e22", "9007199254740993", "1.7976931348623157e308", "4.9e-324", "1.", "01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkNumber(t, s)
	})
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

func TestAppendFloatMatchesEncodingJSON(t *testing.T) {
	// appendFloat must write exactly what encoding/json writes, fast path
	// or not. Values shaped like statistics (whole, 1-2 decimals, signs,
	// around the fast path's limits) and arbitrary bit patterns.
	r := rand.New(rand.NewPCG(5, 6))
	check := func(f float64) {
		want, err := json.Marshal(f)
		if err != nil {
			return // NaN, Inf
		}
		if got := appendFloat(nil, f); string(got) != string(want) {
			t.Fatalf("appendFloat(%v) = %s, encoding/json writes %s", f, got, want)
		}
	}
	for _, f := range []float64{0, math.Copysign(0, -1), 0.01, -0.01, 0.1, 0.5, -0.5, 1, -1, 125.36, 74.86, 1e13 - 0.01,
		1e13, 9999999999999.99, 1e15, 1e21, 1e-6, 1e-7, 0.07, 0.29, 1.005, 2.675, 4503599627370496.5} {
		check(f)
	}
	for range 300000 {
		switch r.IntN(3) {
		case 0:
			check(float64(r.Int64N(2e15)-1e15) / 100)
		case 1:
			check(float64(r.Int64N(2e6)-1e6) / 10)
		default:
			check(math.Float64frombits(r.Uint64()))
		}
	}
}

// TestDenseFastPathMatchesStrconv decodes value arrays of random numbers of
// every shape the inline fast path of dense takes or refuses, and compares
// each value bit for bit with strconv.ParseFloat.
func TestDenseFastPathMatchesStrconv(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 7))
	digits := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + r.IntN(10))
		}
		return string(b)
	}
	const count = 20000
	texts := make([]string, count)
	for i := range texts {
		intPart := digits(1 + r.IntN(9))
		if r.IntN(3) > 0 {
			intPart = strings.TrimLeft(intPart, "0")
			if intPart == "" {
				intPart = "0"
			}
		}
		if intPart[0] == '0' && len(intPart) > 1 {
			intPart = "0" // JSON allows no leading zeros
		}
		text := intPart
		if r.IntN(2) == 0 {
			text += "." + digits(1+r.IntN(9))
		}
		if r.IntN(10) == 0 {
			text = "-" + text
		}
		if r.IntN(20) == 0 {
			text += "e" + strconv.Itoa(r.IntN(40)-20)
		}
		texts[i] = text
	}
	in := `{"version":"2.0","class":"dataset","id":["a"],"size":[` + strconv.Itoa(count) +
		`],"dimension":{"a":{"category":{"index":[` + codeList(count) + `]}}},"value":[` + strings.Join(texts, ",") + `]}`
	ds, err := Decode([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range texts {
		want, err := strconv.ParseFloat(text, 64)
		if err != nil {
			t.Fatal(err)
		}
		if got := ds.Values[i]; math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("value %q decoded as %v, want %v", text, got, want)
		}
	}
}
