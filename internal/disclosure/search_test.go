package disclosure

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
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

func TestShareBound(t *testing.T) {
	tests := []struct {
		units, m int
		want     []int
	}{
		{5, 1, []int{4}},
		{5, 2, []int{2, 1}},
		{5, 3, []int{1, 1, 0}},
		{5, 5, []int{0, 0, 0, 0, 0}},
		{5, 9, []int{0, 0, 0, 0, 0}},
		{3, 2, []int{1, 0}},
	}
	for _, tt := range tests {
		got := shareBound(tt.units, tt.m)
		if diff := cmp.Diff(got, tt.want); diff != "" {
			t.Errorf("shareBound(%d, %d) (-got +want):\n%s", tt.units, tt.m, diff)
		}
		sum := 0
		for _, tau := range got {
			sum += tau + 1
		}
		if sum < tt.units {
			t.Errorf("shareBound(%d, %d): parts sum to %d, the bound needs %d", tt.units, tt.m, sum, tt.units)
		}
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
		s := &leakSearch{f: f, w: w, beta: beta, limit: 1 << 30}
		l, err := s.find(rows)
		if err != nil {
			t.Fatal(err)
		}
		if want := bruteLeak(f, rows, w, beta); (l != nil) != want {
			t.Fatalf("search found a leak: %v; exhaustion: %v", l != nil, want)
		}
	})
}

// TestLeakSearchManyInformationSets uses wider constructed matrices with
// light columns, where the search splits the bound over several
// information sets, and checks that it does and still agrees with
// exhaustion.
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
		s := &leakSearch{f: f, w: w, beta: beta, limit: 1 << 30}
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
}

func TestLeakSearchWorkLimit(t *testing.T) {
	// Eight light columns, two rows that overlap in most of them: proving
	// safety needs more than one node.
	rows := [][]uint64{{1, 1, 1, 1, 1, 1, 0, 0}, {0, 0, 1, 1, 1, 1, 1, 1}}
	w := []int{1, 1, 1, 1, 1, 1, 1, 1}
	s := &leakSearch{f: mersenne61, w: w, beta: 4, limit: 1}
	if _, err := s.find(rows); !errors.Is(err, errWorkLimit) {
		t.Errorf("find with a limit of one node: err = %v, want errWorkLimit", err)
	}
	s = &leakSearch{f: mersenne61, w: w, beta: 4, limit: 1 << 20}
	l, err := s.find(rows)
	if err != nil || l == nil {
		t.Fatalf("find = %v, %v; want the leak row1 − row2 (weight 4)", l, err)
	}
}
