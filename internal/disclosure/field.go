package disclosure

import "math/bits"

// field is arithmetic modulo a Mersenne prime p = 2^s − 1. Production uses
// s = 61; tests use small Mersenne primes (3, 7, 31) to reach the rare case
// where a rank over GF(p) is smaller than over the rationals. Reduction
// modulo a Mersenne prime needs only shifts and masks, which keeps the
// elimination loops cheap.
type field struct {
	s uint
	p uint64
}

// mersenne61 is the field the decisions are computed in.
var mersenne61 = newField(61)

// newField returns arithmetic modulo 2^s − 1; the caller guarantees that
// 2^s − 1 is prime and 2 ≤ s ≤ 61.
func newField(s uint) field { return field{s: s, p: 1<<s - 1} }

func (f field) add(a, b uint64) uint64 {
	c := a + b
	if c >= f.p {
		c -= f.p
	}
	return c
}

func (f field) sub(a, b uint64) uint64 {
	if a >= b {
		return a - b
	}
	return a + f.p - b
}

func (f field) neg(a uint64) uint64 {
	if a == 0 {
		return 0
	}
	return f.p - a
}

// mul returns a·b mod p for a, b < p. With a·b = q·2^s + r and 2^s ≡ 1,
// a·b ≡ q + r, and q + r < 2^(s+1), so one more fold and one subtraction
// finish the reduction.
func (f field) mul(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	q := hi<<(64-f.s) | lo>>f.s
	t := q + lo&f.p
	t = t&f.p + t>>f.s
	if t >= f.p {
		t -= f.p
	}
	return t
}

// inv returns a⁻¹ mod p for a ≠ 0 (Fermat: a^(p−2)).
func (f field) inv(a uint64) uint64 {
	result, base, e := uint64(1), a, f.p-2
	for e > 0 {
		if e&1 == 1 {
			result = f.mul(result, base)
		}
		base = f.mul(base, base)
		e >>= 1
	}
	return result
}

// axpy sets dst[j] = dst[j] − c·src[j] for every j: the row operation of
// Gaussian elimination.
func (f field) axpy(dst, src []uint64, c uint64) {
	if c == 0 {
		return
	}
	nc := f.neg(c)
	for j, v := range src {
		if v != 0 {
			dst[j] = f.add(dst[j], f.mul(nc, v))
		}
	}
}

// scale multiplies every entry of row by c.
func (f field) scale(row []uint64, c uint64) {
	for j, v := range row {
		if v != 0 {
			row[j] = f.mul(v, c)
		}
	}
}

// signed maps a field element to the integer in (−p/2, p/2) it stands for;
// used only to show and check small coefficients.
func (f field) signed(a uint64) int64 {
	if a > f.p/2 {
		return -int64(f.p - a)
	}
	return int64(a)
}
