package disclosure

import (
	"math/big"
)

// certify reports whether the published rows have the same rank over
// GF(p) as over the rationals. Only then does a search over GF(p) that
// found no leak prove that there is none over the rationals (see the
// package comment). The rank over GF(p) can never exceed the rational
// rank; to show it is not smaller, every row that elimination over GF(p)
// found dependent must be dependent over the rationals too. Its
// dependency is lifted from GF(p) to small fractions and checked exactly;
// if a lift fails, the rational rank is computed exactly instead.
func certify(u *universe, published []int, f field) (bool, error) {
	rows, _ := u.matrix(published)
	n := len(rows)
	red := make([][]uint64, n)
	coef := make([][]uint64, n)
	for i, r := range rows {
		red[i] = append([]uint64(nil), r...)
		coef[i] = make([]uint64, n)
		coef[i][i] = 1
	}
	pivoted := make([]bool, n)
	rank := 0
	if n > 0 {
		for c := range rows[0] {
			r := -1
			for i := range n {
				if !pivoted[i] && red[i][c] != 0 {
					r = i
					break
				}
			}
			if r < 0 {
				continue
			}
			pivoted[r] = true
			rank++
			inv := f.inv(red[r][c])
			f.scale(red[r], inv)
			f.scale(coef[r], inv)
			for i := range n {
				if i != r && red[i][c] != 0 {
					fac := red[i][c]
					f.axpy(red[i], red[r], fac)
					f.axpy(coef[i], coef[r], fac)
				}
			}
		}
	}
	lifted := true
	for i := range n {
		if pivoted[i] {
			continue
		}
		// coef[i] has 1 at i, so the lifted dependencies are independent.
		if !dependentOverQ(rows, coef[i], f) {
			lifted = false
			break
		}
	}
	if lifted {
		return true, nil
	}
	return rankQ(rows) == rank, nil
}

// dependentOverQ lifts y from GF(p) to fractions and reports whether
// Σ y_g·rows[g] is exactly zero.
func dependentOverQ(rows [][]uint64, y []uint64, f field) bool {
	fracs := make([]*big.Rat, len(y))
	for g, v := range y {
		if v == 0 {
			continue
		}
		r, ok := liftFraction(v, f.p)
		if !ok {
			return false
		}
		fracs[g] = r
	}
	sum := make([]*big.Rat, len(rows[0]))
	for j := range sum {
		sum[j] = new(big.Rat)
	}
	for g, r := range fracs {
		if r == nil {
			continue
		}
		for j, v := range rows[g] {
			if v != 0 {
				sum[j].Add(sum[j], r)
			}
		}
	}
	for _, s := range sum {
		if s.Sign() != 0 {
			return false
		}
	}
	return true
}

// liftFraction finds a/b with |a|, b ≤ √(p/2) and a ≡ v·b (mod p), if
// there is one (rational reconstruction by the extended Euclidean
// algorithm).
func liftFraction(v, p uint64) (*big.Rat, bool) {
	P := new(big.Int).SetUint64(p)
	bound := new(big.Int).Sqrt(new(big.Int).Rsh(P, 1))
	r0, r1 := P, new(big.Int).SetUint64(v)
	t0, t1 := big.NewInt(0), big.NewInt(1)
	for r1.Cmp(bound) > 0 {
		q := new(big.Int).Quo(r0, r1)
		r0, r1 = r1, new(big.Int).Sub(r0, new(big.Int).Mul(q, r1))
		t0, t1 = t1, new(big.Int).Sub(t0, new(big.Int).Mul(q, t1))
	}
	if t1.Sign() == 0 || new(big.Int).Abs(t1).Cmp(bound) > 0 {
		return nil, false
	}
	// A wrong lift is harmless: the caller checks the dependency exactly.
	return new(big.Rat).SetFrac(r1, t1), true
}

// rankQ is the rank of a 0/1 matrix over the rationals, by exact
// elimination.
func rankQ(rows [][]uint64) int {
	n := len(rows)
	if n == 0 {
		return 0
	}
	m := make([][]*big.Rat, n)
	for i, r := range rows {
		m[i] = make([]*big.Rat, len(r))
		for j, v := range r {
			m[i][j] = new(big.Rat).SetUint64(v)
		}
	}
	rank := 0
	tmp := new(big.Rat)
	for c := range m[0] {
		r := -1
		for i := rank; i < n; i++ {
			if m[i][c].Sign() != 0 {
				r = i
				break
			}
		}
		if r < 0 {
			continue
		}
		m[rank], m[r] = m[r], m[rank]
		for i := rank + 1; i < n; i++ {
			if m[i][c].Sign() == 0 {
				continue
			}
			fac := new(big.Rat).Quo(m[i][c], m[rank][c])
			for j := c; j < len(m[i]); j++ {
				m[i][j].Sub(m[i][j], tmp.Mul(fac, m[rank][j]))
			}
		}
		rank++
	}
	return rank
}
