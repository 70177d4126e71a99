package jsonstat

import (
	"encoding/binary"
	"math"
	"math/bits"
	"strconv"
)

// number reads the JSON number at the position. The result is always the
// float64 strconv.ParseFloat gives for the same text: the fast path takes a
// mantissa of at most 2^53 and a power of ten up to 22, where one IEEE
// multiplication or division of two exact operands rounds correctly
// (Clinger's fast path); everything else goes to strconv.
func (s *scanner) number() (float64, error) {
	if f, end, ok := fastNumber(s.data, s.pos); ok {
		s.pos = end
		return f, nil
	}
	data := s.data
	start := s.pos
	i := start
	neg := false
	if i < len(data) && data[i] == '-' {
		neg = true
		i++
	}
	var mant uint64
	digits := 0 // significant digits taken into mant
	exp := 0    // decimal exponent to apply to mant
	exact := true

	// Integer part: 0 or [1-9][0-9]*.
	switch {
	case i >= len(data):
		s.pos = i
		return 0, s.errAt(i, "unexpected end of input in number")
	case data[i] == '0':
		i++
	case data[i] >= '1' && data[i] <= '9':
		for ; i < len(data) && data[i] >= '0' && data[i] <= '9'; i++ {
			if digits < 19 {
				mant = mant*10 + uint64(data[i]-'0')
				digits++
			} else {
				exact = false
				exp++
			}
		}
	default:
		return 0, s.errAt(i, "invalid character in number")
	}

	// Fraction.
	if i < len(data) && data[i] == '.' {
		i++
		first := i
		for ; i < len(data) && data[i] >= '0' && data[i] <= '9'; i++ {
			if digits < 19 {
				if mant == 0 && data[i] == '0' {
					// Leading zeros of a fraction carry no digits.
					exp--
					continue
				}
				mant = mant*10 + uint64(data[i]-'0')
				digits++
				exp--
			} else {
				exact = false
			}
		}
		if i == first {
			return 0, s.digitsErr(i, "missing digits after the decimal point")
		}
	}

	// Exponent.
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		eneg := false
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			eneg = data[i] == '-'
			i++
		}
		first := i
		e := 0
		for ; i < len(data) && data[i] >= '0' && data[i] <= '9'; i++ {
			if e < 100000 {
				e = e*10 + int(data[i]-'0')
			}
		}
		if i == first {
			return 0, s.digitsErr(i, "missing digits in exponent")
		}
		if eneg {
			e = -e
		}
		exp += e
	}
	s.pos = i

	if exact && mant <= 1<<53 && exp >= -22 && exp <= 22 {
		f := float64(mant)
		if exp > 0 {
			f *= pow10(exp)
		} else if exp < 0 {
			f /= pow10(-exp)
		}
		if neg {
			f = -f
		}
		return f, nil
	}
	if exact && mant == 0 {
		// Zero with any exponent; ParseFloat gives a signed zero too.
		if neg {
			return math.Copysign(0, -1), nil
		}
		return 0, nil
	}
	f, err := strconv.ParseFloat(string(data[start:i]), 64)
	if err != nil {
		return 0, s.errAt(start, "number "+excerpt(data[start:i])+" out of range")
	}
	return f, nil
}

// pow10 returns the exact float64 10^e for 0 <= e <= 22. The array
// literal compiles to a read-only table, so the package keeps no variables.
func pow10(e int) float64 {
	return [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
		1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}[e]
}

// integer reads a JSON number that must be a whole number in [0, limit].
// Errors name path.
func (s *scanner) integer(path string, limit int) (int, error) {
	if c := s.peek(); c != '-' && (c < '0' || c > '9') {
		return 0, atPath(s.unexpected("a number"), path)
	}
	f, err := s.number()
	if err != nil {
		return 0, atPath(err, path)
	}
	switch {
	case f < 0:
		return 0, semErr(path, "negative")
	case f != math.Trunc(f):
		return 0, semErr(path, "not a whole number")
	case f > float64(limit):
		return 0, semErr(path, "%s is too large", strconv.FormatFloat(f, 'g', -1, 64))
	}
	return int(f), nil
}

// fastNumber parses the common shape of a statistics value, an integer
// part of at most 8 digits and an optional fraction of at most 8, with
// SWAR arithmetic on 8-byte loads instead of a loop per digit. It gives up
// (ok false) on anything else — exponents, long runs, leading zeros, too
// little input left — and the caller falls back to number. Where it
// succeeds the mantissa is below 2^53 and the power of ten at most 8, so
// the result is the correctly rounded one strconv gives.
func fastNumber(data []byte, i int) (f float64, end int, ok bool) {
	neg := false
	if i < len(data) && data[i] == '-' {
		neg = true
		i++
	}
	if i+8 > len(data) {
		return 0, 0, false
	}
	w := binary.LittleEndian.Uint64(data[i:])
	n := leadingDigits(w)
	if n == 0 || n == 8 || (n > 1 && byte(w) == '0') {
		return 0, 0, false
	}
	mant := eightDigits(w << (8 * (8 - n)))
	i += n
	frac := 0
	if data[i] == '.' {
		i++
		if i+8 > len(data) {
			return 0, 0, false
		}
		w = binary.LittleEndian.Uint64(data[i:])
		frac = leadingDigits(w)
		if frac == 0 || frac == 8 {
			return 0, 0, false
		}
		mant = mant*uint64pow10(frac) + eightDigits(w<<(8*(8-frac)))
		i += frac
	}
	if c := data[i]; c == 'e' || c == 'E' || mant > 1<<53 {
		return 0, 0, false
	}
	f = float64(mant)
	if frac > 0 {
		f /= pow10(frac)
	}
	if neg {
		f = -f
	}
	return f, i, true
}

// leadingDigits returns how many of the 8 bytes in w (first byte lowest)
// are ASCII digits before the first that is not.
func leadingDigits(w uint64) int {
	t := w ^ 0x3030303030303030 // digits become 0..9
	// A byte is not a digit if it is above 9 after the xor: adding 0x76
	// sets its top bit (or it was set already). Carries only spoil bytes
	// after the first non-digit, which do not matter.
	nd := (t | (t + 0x7676767676767676)) & 0x8080808080808080
	return bits.TrailingZeros64(nd) >> 3
}

// eightDigits converts 8 ASCII digits (first byte lowest, most
// significant) to their value; leading bytes of 0 count as zeros.
func eightDigits(w uint64) uint64 {
	w &= 0x0f0f0f0f0f0f0f0f // ASCII digit to value; zero bytes stay zero
	w = (w * 10) + (w >> 8)
	w = (((w & 0x000000ff000000ff) * (100 + (1000000 << 32))) +
		(((w >> 16) & 0x000000ff000000ff) * (1 + (10000 << 32)))) >> 32
	return w
}

// uint64pow10 returns 10^n for 0 <= n <= 7.
func uint64pow10(n int) uint64 {
	return [...]uint64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7}[n&7]
}
