package disclosure

import (
	"errors"
	"fmt"
	"slices"
)

// A leak is a figure an attacker can compute from the published sums that
// rests on fewer than k organisations: x = Σ y_g·row_g has a support (the
// atoms where it is not zero) of total weight ≤ beta = k − 1.
type leak struct {
	y []uint64 // coefficients per published row, in row order
	x []uint64 // the combination, per atom
}

// errWorkLimit reports that the search gave up before it could prove the
// published rows safe. The caller treats this as "not proven safe".
var errWorkLimit = errors.New("disclosure: search work limit reached")

// leakSearch finds a nonzero vector of small weight in the row space of a
// 0/1 matrix over GF(p): a minimum-weight search in the style of
// Brouwer–Zimmermann, with weighted coordinates and a small bound. The
// package comment states the algorithm and why it misses no leak.
type leakSearch struct {
	f     field
	w     []int // weight (organisations) of each column (atom)
	beta  int   // largest weight a leak may have: k − 1
	limit int   // most search nodes before errWorkLimit
	nodes int
	sets  int // information sets the last find used (for tests)
	// manySets makes find build information sets until the plan
	// enumerates nothing (or maxInfoSets), so tests reach that path on
	// small matrices.
	manySets bool
	// noRowLook skips looking at the systematic rows, so tests check that
	// the enumeration alone misses no leak.
	noRowLook bool
}

// systematic is a generator of the search space in systematic form on an
// information set: gen[i] has 1 in column cols[i] and 0 in the other
// columns of cols.
type systematic struct {
	cols []int
	gen  [][]uint64
}

// find returns a leak in the row space of rows, nil if there is none, or
// errWorkLimit.
func (s *leakSearch) find(rows [][]uint64) (*leak, error) {
	f := s.f
	q := len(s.w)
	order := s.columnOrder()

	// 1. Reduced row echelon form, pivots taken in column order: heavy
	// columns (weight > beta) first. A leak is zero on every heavy column,
	// and rows pivoted on a heavy column are the only ones not zero on
	// the heavy columns, so the leaks live in the span of the rows pivoted
	// on light columns. coef tracks each row as a combination of the input.
	n := len(rows)
	red := make([][]uint64, n)
	coef := make([][]uint64, n)
	for i, r := range rows {
		red[i] = slices.Clone(r)
		coef[i] = make([]uint64, n)
		coef[i][i] = 1
	}
	pivoted := make([]bool, n)
	var light systematic
	var lightCoef [][]uint64
	for _, c := range order {
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
		if s.w[c] <= s.beta {
			light.cols = append(light.cols, c)
			light.gen = append(light.gen, red[r])
			lightCoef = append(lightCoef, coef[r])
		}
	}
	d := len(light.cols)
	if d == 0 {
		return nil, nil
	}

	// Columns on which some light row is not zero; only they can carry a
	// leak's weight.
	var active []int
	for _, c := range order {
		if s.w[c] > s.beta {
			continue
		}
		for _, g := range light.gen {
			if g[c] != 0 {
				active = append(active, c)
				break
			}
		}
	}

	// 2. More information sets, each preferring the columns the sets
	// before used least, while they make the enumeration cheaper. The
	// rows of each systematic form are in the span, so a light one is a
	// leak: looking at them first finds most leaks before any
	// enumeration.
	sets := []systematic{light}
	usage := make([]int, q)
	for _, c := range light.cols {
		usage[c]++
	}
	for {
		if x := s.lightRow(sets[len(sets)-1]); x != nil && !s.noRowLook {
			return s.witness(rows, light, lightCoef, x)
		}
		// Another set costs an elimination, about d·d times the work of
		// looking at one support; stop when the enumeration is cheaper.
		_, cost := s.plan(sets, usage, active)
		if cost == 0 || cost <= d*d && !s.manySets || len(sets) == maxInfoSets {
			break
		}
		byUsage := slices.Clone(active)
		slices.SortStableFunc(byUsage, func(a, b int) int { return usage[a] - usage[b] })
		next, ok := s.infoSet(light.gen, byUsage)
		if !ok {
			return nil, fmt.Errorf("disclosure: internal error: the active columns do not span the light rows")
		}
		for _, c := range next.cols {
			usage[c]++
		}
		sets = append(sets, next)
	}
	s.sets = len(sets)
	taus, _ := s.plan(sets, usage, active)

	// 3. Every leak has, on some set I_i, a support S of weight ≤ tau_i;
	// enumerate those S and search the span of their generator rows.
	for i, tau := range taus {
		x, err := s.enumerate(sets[i], tau)
		if err != nil {
			return nil, err
		}
		if x == nil {
			continue
		}
		return s.witness(rows, light, lightCoef, x)
	}
	return nil, nil
}

// witness turns a leak x into the combination of input rows that makes it.
// x lies in the light span, which is systematic on light.cols, so
// x = Σ x[c]·light.gen[c], and its coefficients follow.
func (s *leakSearch) witness(rows [][]uint64, light systematic, lightCoef [][]uint64, x []uint64) (*leak, error) {
	f := s.f
	y := make([]uint64, len(rows))
	for j, c := range light.cols {
		if x[c] != 0 {
			f.axpy(y, lightCoef[j], f.neg(x[c]))
		}
	}
	if err := s.check(rows, y, x); err != nil {
		return nil, err
	}
	return &leak{y: y, x: x}, nil
}

// lightRow returns a row of set that is a leak by itself, or nil.
func (s *leakSearch) lightRow(set systematic) []uint64 {
	for _, g := range set.gen {
		weight := 0
		for j, v := range g {
			if v != 0 {
				weight += s.w[j]
				if weight > s.beta {
					break
				}
			}
		}
		if weight <= s.beta {
			return slices.Clone(g)
		}
	}
	return nil
}

// columnOrder lists the columns heavy first, then by falling weight, then
// by index: heavy pivots first lets step 1 split off the light span, and
// heavy light columns in the information sets make the enumeration small.
func (s *leakSearch) columnOrder() []int {
	order := make([]int, len(s.w))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ha, hb := s.w[a] > s.beta, s.w[b] > s.beta
		switch {
		case ha && !hb:
			return -1
		case hb && !ha:
			return 1
		}
		return s.w[b] - s.w[a]
	})
	return order
}

// infoSet brings a copy of gen (d independent rows) into systematic form on
// the first d columns of order that are independent; ok is false if order
// has rank below d.
func (s *leakSearch) infoSet(gen [][]uint64, order []int) (systematic, bool) {
	f := s.f
	d := len(gen)
	g := make([][]uint64, d)
	for i := range gen {
		g[i] = slices.Clone(gen[i])
	}
	pivotCol := make([]int, d)
	for i := range pivotCol {
		pivotCol[i] = -1
	}
	found := 0
	for _, c := range order {
		r := -1
		for i := range d {
			if pivotCol[i] < 0 && g[i][c] != 0 {
				r = i
				break
			}
		}
		if r < 0 {
			continue
		}
		pivotCol[r] = c
		f.scale(g[r], f.inv(g[r][c]))
		for i := range d {
			if i != r && g[i][c] != 0 {
				f.axpy(g[i], g[r], g[i][c])
			}
		}
		found++
		if found == d {
			break
		}
	}
	if found < d {
		return systematic{}, false
	}
	return systematic{cols: pivotCol, gen: g}, true
}

// maxInfoSets bounds the information sets one search builds; each costs
// an elimination of the light rows.
const maxInfoSets = 12

// plan chooses, for each information set I_i, the largest support weight
// tau_i to enumerate on it. A column in u_j of the sets is counted u_j
// times when the sets' supports are added up, so a leak x (weight ≤ beta)
// has Σ_i weight(x on I_i) ≤ U, the most Σ u_j·w_j any columns of total
// weight ≤ beta reach. If Σ_i (tau_i + 1) > U, some I_i carries weight
// ≤ tau_i of x, and enumerating every support of weight ≤ tau_i on every
// set finds x. A set with tau_i = beta alone finds every leak. Among the
// plans that satisfy this, plan takes cheap steps first: raising tau_i
// costs the number of new supports it adds on I_i. cost is the number of
// supports the plan enumerates.
func (s *leakSearch) plan(sets []systematic, usage []int, active []int) (taus []int, cost int) {
	// U by a knapsack over the active columns: capacity beta, value u·w.
	best := make([]int, s.beta+1)
	for _, c := range active {
		for cap := s.beta; cap >= s.w[c]; cap-- {
			best[cap] = max(best[cap], best[cap-s.w[c]]+usage[c]*s.w[c])
		}
	}
	need := best[s.beta] + 1

	// counts[i][t]: supports of weight exactly t on set i.
	counts := make([][]int, len(sets))
	for i, set := range sets {
		counts[i] = make([]int, s.beta+1)
		counts[i][0] = 1
		for _, c := range set.cols {
			for t := s.beta; t >= s.w[c]; t-- {
				counts[i][t] = min(counts[i][t]+counts[i][t-s.w[c]], 1<<40)
			}
		}
	}
	taus = make([]int, len(sets))
	sum := len(sets)
	for sum < need {
		pick := -1
		for i := range sets {
			if taus[i] < s.beta && (pick < 0 || counts[i][taus[i]+1] < counts[pick][taus[pick]+1]) {
				pick = i
			}
		}
		taus[pick]++
		sum++
		if taus[pick] == s.beta {
			// This set alone finds every leak; the others need nothing.
			for i := range taus {
				if i != pick {
					taus[i] = 0
				}
			}
			break
		}
	}
	for i, tau := range taus {
		for t := 1; t <= tau; t++ {
			cost = min(cost+counts[i][t], 1<<40)
		}
	}
	return taus, cost
}

// enumerate visits every nonempty subset S of set.cols whose weight is at
// most tau and searches the vectors whose support on set.cols is exactly S.
func (s *leakSearch) enumerate(set systematic, tau int) ([]uint64, error) {
	q := len(s.w)
	decided := make([]bool, q)
	var chosen []int
	var visit func(from, weight int) ([]uint64, error)
	visit = func(from, weight int) ([]uint64, error) {
		for i := from; i < len(set.cols); i++ {
			c := set.cols[i]
			if weight+s.w[c] > tau {
				continue
			}
			s.nodes++
			if s.nodes > s.limit {
				return nil, errWorkLimit
			}
			chosen = append(chosen, i)
			decided[c] = true
			// Scale the first chosen coefficient to 1; the rest are free.
			a := set.gen[chosen[0]]
			dirs := make([][]uint64, 0, len(chosen)-1)
			for _, j := range chosen[1:] {
				dirs = append(dirs, set.gen[j])
			}
			x, err := s.small(a, dirs, decided, weight+s.w[c])
			if x != nil || err != nil {
				return x, err
			}
			x, err = visit(i+1, weight+s.w[c])
			if x != nil || err != nil {
				return x, err
			}
			decided[c] = false
			chosen = chosen[:len(chosen)-1]
		}
		return nil, nil
	}
	return visit(0, 0)
}

// small searches the affine space a + span(dirs) for a point whose weight
// is at most beta, counting the decided columns as nonzero (used is their
// weight). It branches on one undecided column at a time: either the point
// is zero there (one direction fewer) or it is not (that column's weight
// is spent). Pruning only drops branches whose counted weight already
// exceeds beta, and a point is counted no lighter than it is, so a point
// returned weighs at most beta and none is missed.
func (s *leakSearch) small(a []uint64, dirs [][]uint64, decided []bool, used int) ([]uint64, error) {
	s.nodes++
	if s.nodes > s.limit {
		return nil, errWorkLimit
	}
	forced, branch := 0, -1
	for j := range a {
		if decided[j] {
			continue
		}
		free := false
		for _, d := range dirs {
			if d[j] != 0 {
				free = true
				break
			}
		}
		if !free {
			if a[j] != 0 {
				forced += s.w[j]
				if used+forced > s.beta {
					return nil, nil
				}
			}
			continue
		}
		if branch < 0 || s.w[j] > s.w[branch] {
			branch = j
		}
	}
	if branch < 0 {
		// Every point agrees with a outside the decided columns.
		if !isZero(a) {
			return slices.Clone(a), nil
		}
		if len(dirs) > 0 {
			return slices.Clone(dirs[0]), nil
		}
		return nil, nil
	}
	f := s.f
	// (a) zero at branch: eliminate the column with the first direction
	// that is not zero there.
	p := -1
	for i, d := range dirs {
		if d[branch] != 0 {
			p = i
			break
		}
	}
	inv := f.inv(dirs[p][branch])
	na := slices.Clone(a)
	f.axpy(na, dirs[p], f.mul(a[branch], inv))
	nd := make([][]uint64, 0, len(dirs)-1)
	for i, d := range dirs {
		if i == p {
			continue
		}
		v := slices.Clone(d)
		f.axpy(v, dirs[p], f.mul(d[branch], inv))
		nd = append(nd, v)
	}
	if x, err := s.small(na, nd, decided, used); x != nil || err != nil {
		return x, err
	}
	// (b) not zero at branch.
	if used+s.w[branch] > s.beta {
		return nil, nil
	}
	decided[branch] = true
	x, err := s.small(a, dirs, decided, used+s.w[branch])
	decided[branch] = false
	return x, err
}

// check confirms that y combines rows into x and that x is a leak: a
// nonzero vector of weight at most beta. A failure is a bug in this
// package, never a property of the input.
func (s *leakSearch) check(rows [][]uint64, y, x []uint64) error {
	f := s.f
	got := make([]uint64, len(s.w))
	for g, c := range y {
		if c != 0 {
			f.axpy(got, rows[g], f.neg(c))
		}
	}
	if !slices.Equal(got, x) {
		return fmt.Errorf("disclosure: internal error: witness is not the combination of its rows")
	}
	weight := 0
	for j, v := range x {
		if v != 0 {
			weight += s.w[j]
		}
	}
	if weight == 0 || weight > s.beta {
		return fmt.Errorf("disclosure: internal error: witness weighs %d, want 1..%d", weight, s.beta)
	}
	return nil
}

func isZero(v []uint64) bool {
	for _, e := range v {
		if e != 0 {
			return false
		}
	}
	return true
}
