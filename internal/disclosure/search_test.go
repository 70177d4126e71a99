package disclosure

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

func TestFieldMatchesBigInt(t *testing.T) {
	for _, s := range []uint{2, 3, 5, 7, 13, 31, 61} {
		f := newField(s)
		P := new(big.Int).SetUint64(f.p)
		rng := rand.New(rand.NewPCG(uint64(s), 1))
		for range 2000 {
			a, b := rng.Uint64N(f.p), rng.Uint64N(f.p)
			want := new(big.Int).Mul(new(big.Int).SetUint64(a), new(big.Int).SetUint64(b))
			want.Mod(want, P)
			if got := f.mul(a, b); got != want.Uint64() {
				t.Fatalf("p = 2^%d−1: %d·%d = %d, want %d", s, a, b, got, want)
			}
			if a != 0 {
				if got := f.mul(a, f.inv(a)); got != 1 {
					t.Fatalf("p = 2^%d−1: %d·inv(%d) = %d, want 1", s, a, a, got)
				}
			}
			if got := f.add(f.sub(a, b), b); got != a {
				t.Fatalf("p = 2^%d−1: (%d−%d)+%d = %d", s, a, b, b, got)
			}
		}
		// The largest elements, where the folds carry.
		m := f.p - 1
		if got, want := f.mul(m, m), uint64(1); got != want {
			t.Errorf("p = 2^%d−1: (p−1)² = %d, want %d", s, got, want)
		}
	}
}

// TestPlan checks the bound the enumeration rests on: for any sets and
// weights, either one set enumerates every support up to beta, or
// Σ(tau_i+1) exceeds U, the largest Σ u_j·w_j over columns of weight ≤ beta
// (found here by exhaustion).
func TestPlan(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		beta := rapid.IntRange(2, 6).Draw(t, "beta")
		ncols := rapid.IntRange(1, 12).Draw(t, "cols")
		w := make([]int, ncols)
		for j := range w {
			w[j] = rapid.IntRange(1, beta).Draw(t, "weight")
		}
		sets := make([]systematic, rapid.IntRange(1, 6).Draw(t, "sets"))
		usage := make([]int, ncols)
		for i := range sets {
			for j := range ncols {
				if rapid.Bool().Draw(t, "in") {
					sets[i].cols = append(sets[i].cols, j)
					usage[j]++
				}
			}
		}
		active := indices(ncols)
		s := &leakSearch{w: w, beta: beta}
		taus, _ := s.plan(sets, usage, active)

		u := 0
		for mask := range 1 << ncols {
			weight, value := 0, 0
			for j := range ncols {
				if mask&(1<<j) != 0 {
					weight += w[j]
					value += usage[j] * w[j]
				}
			}
			if weight <= beta {
				u = max(u, value)
			}
		}
		sum := 0
		for _, tau := range taus {
			if tau < 0 || tau > beta {
				t.Fatalf("tau %d outside 0..%d", tau, beta)
			}
			sum += tau + 1
		}
		if sum <= u && !slices.Contains(taus, beta) {
			t.Fatalf("plan %v: Σ(tau+1) = %d does not exceed U = %d and no set enumerates everything", taus, sum, u)
		}
	})

	// Five disjoint sets of light columns need no enumeration at all when
	// beta is 4: a leak would weigh at least one on each.
	var sets []systematic
	usage := make([]int, 25)
	for i := range 5 {
		sets = append(sets, systematic{cols: []int{5 * i, 5*i + 1, 5*i + 2, 5*i + 3, 5*i + 4}})
	}
	for j := range usage {
		usage[j] = 1
	}
	w := make([]int, 25)
	for j := range w {
		w[j] = 1
	}
	s := &leakSearch{w: w, beta: 4}
	if taus, _ := s.plan(sets, usage, indices(25)); !slices.Equal(taus, []int{0, 0, 0, 0, 0}) {
		t.Errorf("plan for five disjoint sets = %v, want all 0", taus)
	}
}

// bruteLeak decides by exhaustion whether the row space of rows over
// GF(p) has a nonzero vector of weight ≤ beta: for every set T of columns
// that light, is some row-space vector supported inside T? (It is iff the
// kernel's restriction to T has rank below |T|.)
func bruteLeak(f field, rows [][]uint64, w []int, beta int) bool {
	q := len(w)
	kernel := fieldKernel(f, rows, q)
	var set []int
	var visit func(from, weight int) bool
	visit = func(from, weight int) bool {
		for j := from; j < q; j++ {
			if weight+w[j] > beta {
				continue
			}
			set = append(set, j)
			sub := make([][]uint64, len(kernel))
			for i, z := range kernel {
				sub[i] = make([]uint64, len(set))
				for c, col := range set {
					sub[i][c] = z[col]
				}
			}
			if fieldRank(f, sub, len(set)) < len(set) {
				return true
			}
			if visit(j+1, weight+w[j]) {
				return true
			}
			set = set[:len(set)-1]
		}
		return false
	}
	return visit(0, 0)
}

// fieldRank and fieldKernel are plain textbook elimination, written apart
// from the search so the comparison means something.
func fieldRank(f field, m [][]uint64, cols int) int {
	red := make([][]uint64, len(m))
	for i := range m {
		red[i] = append([]uint64(nil), m[i]...)
	}
	rank := 0
	for c := 0; c < cols && rank < len(red); c++ {
		p := -1
		for i := rank; i < len(red); i++ {
			if red[i][c] != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		red[rank], red[p] = red[p], red[rank]
		inv := f.inv(red[rank][c])
		for i := rank + 1; i < len(red); i++ {
			fac := f.mul(red[i][c], inv)
			for j := range cols {
				red[i][j] = f.sub(red[i][j], f.mul(fac, red[rank][j]))
			}
		}
		rank++
	}
	return rank
}

func fieldKernel(f field, m [][]uint64, cols int) [][]uint64 {
	red := make([][]uint64, len(m))
	for i := range m {
		red[i] = append([]uint64(nil), m[i]...)
	}
	var pivots []int
	row := 0
	for c := 0; c < cols && row < len(red); c++ {
		p := -1
		for i := row; i < len(red); i++ {
			if red[i][c] != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		red[row], red[p] = red[p], red[row]
		inv := f.inv(red[row][c])
		for j := range cols {
			red[row][j] = f.mul(red[row][j], inv)
		}
		for i := range red {
			if i != row && red[i][c] != 0 {
				fac := red[i][c]
				for j := range cols {
					red[i][j] = f.sub(red[i][j], f.mul(fac, red[row][j]))
				}
			}
		}
		pivots = append(pivots, c)
		row++
	}
	isPivot := make([]bool, cols)
	for _, p := range pivots {
		isPivot[p] = true
	}
	var basis [][]uint64
	for free := range cols {
		if isPivot[free] {
			continue
		}
		z := make([]uint64, cols)
		z[free] = 1
		for i, p := range pivots {
			z[p] = f.neg(red[i][free])
		}
		basis = append(basis, z)
	}
	return basis
}

// TestLeakSearchMatchesBruteForce compares the search with exhaustion on
// random constructed 0/1 matrices with weighted columns.
func TestLeakSearchMatchesBruteForce(t *testing.T) {
	f := mersenne61
	rapid.Check(t, func(t *rapid.T) {
		nrows := rapid.IntRange(1, 9).Draw(t, "rows")
		ncols := rapid.IntRange(1, 22).Draw(t, "cols")
		density := rapid.Float64Range(0.1, 0.9).Draw(t, "density")
		beta := rapid.IntRange(2, 5).Draw(t, "beta")
		rows := make([][]uint64, nrows)
		for i := range rows {
			rows[i] = make([]uint64, ncols)
			for j := range rows[i] {
				if rapid.Float64Range(0, 1).Draw(t, "u") < density {
					rows[i][j] = 1
				}
			}
		}
		w := make([]int, ncols)
		for j := range w {
			w[j] = rapid.IntRange(1, beta+2).Draw(t, "weight")
		}
		want := bruteLeak(f, rows, w, beta)
		for _, mode := range []struct{ many, noRows bool }{{false, false}, {true, false}, {true, true}} {
			s := &leakSearch{f: f, w: w, beta: beta, limit: 1 << 30, manySets: mode.many, noRowLook: mode.noRows}
			l, err := s.find(rows)
			if err != nil {
				t.Fatal(err)
			}
			if (l != nil) != want {
				t.Fatalf("search (%+v) found a leak: %v; exhaustion: %v", mode, l != nil, want)
			}
		}
	})
}

// TestLeakSearchManyInformationSets uses wider constructed matrices with
// light columns, where the search builds several information sets, and
// checks that it does and still agrees with exhaustion.
func TestLeakSearchManyInformationSets(t *testing.T) {
	f := mersenne61
	rng := rand.New(rand.NewPCG(7, 7))
	seen := map[int]int{}
	for range 60 {
		nrows := 2 + rng.IntN(6)
		ncols := 12 + rng.IntN(16)
		rows := make([][]uint64, nrows)
		for i := range rows {
			rows[i] = make([]uint64, ncols)
			for j := range rows[i] {
				if rng.Float64() < 0.35 {
					rows[i][j] = 1
				}
			}
		}
		w := make([]int, ncols)
		for j := range w {
			w[j] = 1 + rng.IntN(2)
		}
		beta := 2 + rng.IntN(3)
		s := &leakSearch{f: f, w: w, beta: beta, limit: 1 << 30, manySets: true, noRowLook: true}
		l, err := s.find(rows)
		if err != nil {
			t.Fatal(err)
		}
		seen[s.sets]++
		if want := bruteLeak(f, rows, w, beta); (l != nil) != want {
			t.Fatalf("rows %v weights %v beta %d: search found a leak: %v; exhaustion: %v", rows, w, beta, l != nil, want)
		}
	}
	many := 0
	for m, n := range seen {
		if m >= 3 {
			many += n
		}
	}
	if many == 0 {
		t.Errorf("no matrix used three or more information sets (%v); the test does not reach that path", seen)
	}
	t.Logf("information sets used: %v", seen)
}

func TestLeakSearchWorkLimit(t *testing.T) {
	// Constructed: two rows sharing three of eight light columns. Every
	// combination weighs at least 5, but with so few columns the bound
	// cannot be met without enumerating supports.
	rows := [][]uint64{{0, 1, 1, 0, 1, 0, 1, 1}, {1, 1, 0, 1, 0, 1, 1, 1}}
	w := []int{1, 1, 1, 1, 1, 1, 1, 1}
	s := &leakSearch{f: mersenne61, w: w, beta: 4, limit: 0}
	if _, err := s.find(rows); !errors.Is(err, errWorkLimit) {
		t.Errorf("find with no work allowed: err = %v, want errWorkLimit", err)
	}
	s = &leakSearch{f: mersenne61, w: w, beta: 4, limit: 1 << 20}
	if l, err := s.find(rows); l != nil || err != nil {
		t.Errorf("find = %v, %v; want no leak (the lightest combination weighs 5)", l, err)
	}
	s = &leakSearch{f: mersenne61, w: w, beta: 5, limit: 1 << 20}
	if l, err := s.find(rows); l == nil || err != nil {
		t.Errorf("find with beta 5 = %v, %v; want the leak row1 − row2 (weight 5)", l, err)
	}
}
