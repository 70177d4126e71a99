package disclosure

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
)

// This file is the adversary. It shares no code with the decider: it sees
// only what a user of the site sees (each published group's members and
// the exact sum of its members' secret values) and computes with exact
// rationals (math/big). A breach is any figure it can compute that rests
// on fewer than k organisations; every breach carries the value the
// attacker recovered, and the attacker checks it against the secret, so a
// reported breach is a real recovery, not a guess.

// secrets are constructed secret values, one per organisation: a stand-in
// for a municipality's answers (say, its number of "Ja").
type secrets map[string]int64

// constructedSecrets gives every organisation a distinct made-up value.
func constructedSecrets(groups []Group) secrets {
	s := secrets{}
	for _, g := range groups {
		for _, m := range g.Members {
			if _, ok := s[m]; !ok {
				s[m] = int64(7 + 13*len(s) + len(s)*len(s)%17)
			}
		}
	}
	return s
}

// breach is one successful attack.
type breach struct {
	attack string   // difference, disjoint union, linear, insider
	orgs   []string // the organisations the recovered figure rests on
	how    string   // the published groups used and what was learned
}

func (b breach) String() string {
	return fmt.Sprintf("%s attack isolates %v: %s", b.attack, b.orgs, b.how)
}

// attacker holds the published view.
type attacker struct {
	k      int
	groups []Group
	sets   []map[string]bool
	sums   []*big.Rat
	secret secrets // only to confirm a recovery, never to find one

	atoms  [][]string // organisations with the same published membership
	atomOf map[string]int
	m      [][]*big.Rat // groups × atoms, 0/1
	kernel [][]*big.Rat // basis of {z : m·z = 0}
}

// publish returns the attacker's view of the groups decisions allow.
func publish(groups []Group, decisions []Decision, secret secrets, k int) *attacker {
	var shown []Group
	for i, g := range groups {
		if decisions[i].Published {
			shown = append(shown, g)
		}
	}
	return newAttacker(shown, secret, k)
}

func newAttacker(shown []Group, secret secrets, k int) *attacker {
	a := &attacker{k: k, groups: shown, secret: secret, atomOf: map[string]int{}}
	for _, g := range shown {
		set := map[string]bool{}
		sum := new(big.Rat)
		for _, m := range g.Members {
			set[m] = true
			sum.Add(sum, big.NewRat(secret[m], 1))
		}
		a.sets = append(a.sets, set)
		a.sums = append(a.sums, sum)
	}
	// Atoms: organisations grouped by the published groups they are in.
	byPattern := map[string][]string{}
	var patterns []string
	for org := range secret {
		var p strings.Builder
		in := false
		for _, set := range a.sets {
			if set[org] {
				p.WriteByte('1')
				in = true
			} else {
				p.WriteByte('0')
			}
		}
		if !in {
			continue // in no published group: nothing is published about it
		}
		if byPattern[p.String()] == nil {
			patterns = append(patterns, p.String())
		}
		byPattern[p.String()] = append(byPattern[p.String()], org)
	}
	slices.Sort(patterns)
	for _, p := range patterns {
		orgs := byPattern[p]
		slices.Sort(orgs)
		for _, o := range orgs {
			a.atomOf[o] = len(a.atoms)
		}
		a.atoms = append(a.atoms, orgs)
	}
	a.m = make([][]*big.Rat, len(shown))
	for g, set := range a.sets {
		a.m[g] = make([]*big.Rat, len(a.atoms))
		for j, orgs := range a.atoms {
			a.m[g][j] = new(big.Rat)
			if set[orgs[0]] {
				a.m[g][j].SetInt64(1)
			}
		}
	}
	a.kernel = ratKernel(a.m, len(a.atoms))
	return a
}

// attack runs every attack and returns the breaches.
func (a *attacker) attack() []breach {
	var out []breach
	out = append(out, a.differences()...)
	out = append(out, a.disjointUnions()...)
	out = append(out, a.linear()...)
	out = append(out, a.insider()...)
	return out
}

// truth is the secret total of orgs, for confirming a recovery.
func (a *attacker) truth(orgs []string) *big.Rat {
	t := new(big.Rat)
	for _, o := range orgs {
		t.Add(t, big.NewRat(a.secret[o], 1))
	}
	return t
}

// confirm panics if a recovered total is not the secret one: that would be
// a bug in the attacker, and a test must not pass on a wrong attack.
func (a *attacker) confirm(orgs []string, got *big.Rat, how string) {
	if want := a.truth(orgs); got.Cmp(want) != 0 {
		panic(fmt.Sprintf("attacker bug: %s recovered %v for %v, secret is %v", how, got, orgs, want))
	}
}

func (a *attacker) name(g int) string {
	return a.groups[g].Kind + " " + a.groups[g].Key
}

// differences: one published group inside another, differing by fewer
// than k organisations.
func (a *attacker) differences() []breach {
	var out []breach
	for i := range a.groups {
		for j := range a.groups {
			if i == j || len(a.sets[j]) >= len(a.sets[i]) || !subset(a.sets[j], a.sets[i]) {
				continue
			}
			rest := minus(a.sets[i], a.sets[j])
			if len(rest) == 0 || len(rest) >= a.k {
				continue
			}
			got := new(big.Rat).Sub(a.sums[i], a.sums[j])
			how := fmt.Sprintf("%s − %s = %v", a.name(i), a.name(j), got)
			a.confirm(rest, got, how)
			out = append(out, breach{"difference", rest, how})
		}
	}
	return out
}

// disjointUnions: a group minus a union of disjoint published groups inside
// it, or a union of disjoint groups minus a group inside the union.
func (a *attacker) disjointUnions() []breach {
	var out []breach
	var family []int
	var visit func(from int, union map[string]bool)
	visit = func(from int, union map[string]bool) {
		if len(family) >= 2 {
			sum := new(big.Rat)
			var names []string
			for _, g := range family {
				sum.Add(sum, a.sums[g])
				names = append(names, a.name(g))
			}
			for h := range a.groups {
				if slices.Contains(family, h) {
					continue
				}
				switch {
				case subset(union, a.sets[h]) && len(union) < len(a.sets[h]):
					rest := minus(a.sets[h], union)
					if len(rest) < a.k {
						got := new(big.Rat).Sub(a.sums[h], sum)
						how := fmt.Sprintf("%s − (%s) = %v", a.name(h), strings.Join(names, " + "), got)
						a.confirm(rest, got, how)
						out = append(out, breach{"disjoint union", rest, how})
					}
				case subset(a.sets[h], union) && len(a.sets[h]) < len(union):
					rest := minus(union, a.sets[h])
					if len(rest) < a.k {
						got := new(big.Rat).Sub(sum, a.sums[h])
						how := fmt.Sprintf("(%s) − %s = %v", strings.Join(names, " + "), a.name(h), got)
						a.confirm(rest, got, how)
						out = append(out, breach{"disjoint union", rest, how})
					}
				}
			}
		}
		for g := from; g < len(a.groups); g++ {
			if !disjoint(union, a.sets[g]) {
				continue
			}
			next := map[string]bool{}
			for o := range union {
				next[o] = true
			}
			for o := range a.sets[g] {
				next[o] = true
			}
			family = append(family, g)
			visit(g+1, next)
			family = family[:len(family)-1]
		}
	}
	visit(0, map[string]bool{})
	return out
}

// atomSets calls fn with every nonempty set of atoms holding fewer than k
// organisations.
func (a *attacker) atomSets(fn func(set []int)) {
	var set []int
	var visit func(from, weight int)
	visit = func(from, weight int) {
		for j := from; j < len(a.atoms); j++ {
			w := weight + len(a.atoms[j])
			if w >= a.k {
				continue
			}
			set = append(set, j)
			fn(slices.Clone(set))
			visit(j+1, w)
			set = set[:len(set)-1]
		}
	}
	visit(0, 0)
}

// atomsIn lists the atoms of orgs, ascending.
func (a *attacker) atomsIn(orgs []string) []int {
	var atoms []int
	for _, o := range orgs {
		if j := a.atomOf[o]; !slices.Contains(atoms, j) {
			atoms = append(atoms, j)
		}
	}
	slices.Sort(atoms)
	return atoms
}

func (a *attacker) orgsOf(atoms []int) []string {
	var orgs []string
	for _, j := range atoms {
		orgs = append(orgs, a.atoms[j]...)
	}
	slices.Sort(orgs)
	return orgs
}

// linear: the total of any set of fewer than k organisations that is a
// linear combination of published sums, found by exact linear algebra
// (the set's indicator is in the row space, i.e. orthogonal to the
// kernel), then solved for.
func (a *attacker) linear() []breach {
	var out []breach
	a.atomSets(func(set []int) {
		for _, z := range a.kernel {
			s := new(big.Rat)
			for _, j := range set {
				s.Add(s, z[j])
			}
			if s.Sign() != 0 {
				return
			}
		}
		target := make([]*big.Rat, len(a.atoms))
		for j := range target {
			target[j] = new(big.Rat)
		}
		for _, j := range set {
			target[j].SetInt64(1)
		}
		got, how := a.solve(target)
		orgs := a.orgsOf(set)
		a.confirm(orgs, got, how)
		out = append(out, breach{"linear", orgs, how})
	})
	return out
}

// insider: a coalition of organisations that know their own values. If
// some combination of published sums is a nonzero combination of the
// atoms in a set T of fewer than k organisations, the members of T but
// one learn the last one's value.
func (a *attacker) insider() []breach {
	var out []breach
	a.atomSets(func(set []int) {
		// w supported on set lies in the row space iff every kernel
		// vector is orthogonal to it: solve kernel|set · w = 0.
		sub := make([][]*big.Rat, len(a.kernel))
		for i, z := range a.kernel {
			sub[i] = make([]*big.Rat, len(set))
			for c, j := range set {
				sub[i][c] = new(big.Rat).Set(z[j])
			}
		}
		null := ratKernel(sub, len(set))
		if len(null) == 0 {
			return
		}
		w := make([]*big.Rat, len(a.atoms))
		for j := range w {
			w[j] = new(big.Rat)
		}
		for c, j := range set {
			w[j].Set(null[0][c])
		}
		known, how := a.solve(w)
		// The coalition: everyone in set except one organisation of an
		// atom with a nonzero coefficient; it subtracts what it knows.
		var victim string
		var wv *big.Rat
		rest := new(big.Rat).Set(known)
		for _, j := range set {
			for _, o := range a.atoms[j] {
				if victim == "" && w[j].Sign() != 0 {
					victim, wv = o, w[j]
					continue
				}
				rest.Sub(rest, new(big.Rat).Mul(w[j], big.NewRat(a.secret[o], 1)))
			}
		}
		got := new(big.Rat).Quo(rest, wv)
		how = fmt.Sprintf("%s; the others in the set learn %s = %v", how, victim, got)
		a.confirm([]string{victim}, got, how)
		out = append(out, breach{"insider", a.orgsOf(set), how})
	})
	return out
}

// solve finds y with Σ y_g·m[g] = target and returns Σ y_g·sum_g and the
// combination in words. target must be in the row space.
func (a *attacker) solve(target []*big.Rat) (*big.Rat, string) {
	rows, cols := len(a.groups), len(a.atoms)
	// Transpose with target as an extra column: mᵀ·y = target.
	aug := make([][]*big.Rat, cols)
	for j := range cols {
		aug[j] = make([]*big.Rat, rows+1)
		for g := range rows {
			aug[j][g] = new(big.Rat).Set(a.m[g][j])
		}
		aug[j][rows] = new(big.Rat).Set(target[j])
	}
	red, pivots := ratRREF(aug, rows+1)
	y := make([]*big.Rat, rows)
	for g := range y {
		y[g] = new(big.Rat)
	}
	for i, p := range pivots {
		if p == rows {
			panic("attacker bug: target not in the row space")
		}
		y[p].Set(red[i][rows])
	}
	got := new(big.Rat)
	var terms []string
	for g, c := range y {
		if c.Sign() == 0 {
			continue
		}
		got.Add(got, new(big.Rat).Mul(c, a.sums[g]))
		terms = append(terms, fmt.Sprintf("%s·[%s]", c.RatString(), a.name(g)))
	}
	return got, strings.Join(terms, " + ")
}

// ratRREF brings a copy of m (with cols columns) to reduced row echelon
// form and returns it with its pivot columns.
func ratRREF(m [][]*big.Rat, cols int) ([][]*big.Rat, []int) {
	red := make([][]*big.Rat, len(m))
	for i, r := range m {
		red[i] = make([]*big.Rat, cols)
		for j := range cols {
			red[i][j] = new(big.Rat).Set(r[j])
		}
	}
	var pivots []int
	row := 0
	for c := 0; c < cols && row < len(red); c++ {
		p := -1
		for i := row; i < len(red); i++ {
			if red[i][c].Sign() != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		red[row], red[p] = red[p], red[row]
		inv := new(big.Rat).Inv(red[row][c])
		for j := range cols {
			red[row][j].Mul(red[row][j], inv)
		}
		for i := range red {
			if i == row || red[i][c].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Set(red[i][c])
			for j := range cols {
				red[i][j].Sub(red[i][j], new(big.Rat).Mul(f, red[row][j]))
			}
		}
		pivots = append(pivots, c)
		row++
	}
	return red[:row], pivots
}

// ratKernel returns a basis of {z : m·z = 0} for m with cols columns.
func ratKernel(m [][]*big.Rat, cols int) [][]*big.Rat {
	red, pivots := ratRREF(m, cols)
	isPivot := map[int]int{}
	for i, p := range pivots {
		isPivot[p] = i
	}
	var basis [][]*big.Rat
	for free := range cols {
		if _, ok := isPivot[free]; ok {
			continue
		}
		z := make([]*big.Rat, cols)
		for j := range z {
			z[j] = new(big.Rat)
		}
		z[free].SetInt64(1)
		for i, p := range pivots {
			z[p].Neg(red[i][free])
		}
		basis = append(basis, z)
	}
	return basis
}

func subset(a, b map[string]bool) bool {
	for o := range a {
		if !b[o] {
			return false
		}
	}
	return true
}

func disjoint(a, b map[string]bool) bool {
	for o := range a {
		if b[o] {
			return false
		}
	}
	return true
}

func minus(a, b map[string]bool) []string {
	var out []string
	for o := range a {
		if !b[o] {
			out = append(out, o)
		}
	}
	slices.Sort(out)
	return out
}

// smallSupports is the linear and insider attack restricted to supports
// of one or two atoms, cheap enough for a full-size layout: a nonzero
// row-space vector lives on atom a alone iff the kernel is zero at a, and
// on atoms a and b iff the kernel's columns at a and b are parallel.
func (a *attacker) smallSupports() []breach {
	var out []breach
	// Each atom's kernel column, scaled so its first nonzero entry is 1.
	key := make([]string, len(a.atoms))
	for j := range a.atoms {
		var lead *big.Rat
		var b strings.Builder
		for _, z := range a.kernel {
			if lead == nil && z[j].Sign() != 0 {
				lead = new(big.Rat).Set(z[j])
			}
			v := new(big.Rat)
			if lead != nil {
				v.Quo(z[j], lead)
			}
			b.WriteString(v.RatString())
			b.WriteByte(',')
		}
		if lead == nil {
			key[j] = "zero"
		} else {
			key[j] = b.String()
		}
	}
	report := func(set []int) {
		w := make([]*big.Rat, len(a.atoms))
		for j := range w {
			w[j] = new(big.Rat)
		}
		if len(set) == 1 {
			w[set[0]].SetInt64(1)
		} else {
			// w = c_b·e_a − c_a·e_b for the first kernel row where a is not
			// zero is orthogonal to every (parallel) kernel row.
			for _, z := range a.kernel {
				if z[set[0]].Sign() != 0 {
					w[set[0]].Set(z[set[1]])
					w[set[1]].Neg(z[set[0]])
					break
				}
			}
		}
		known, how := a.solve(w)
		attack := "linear"
		if len(set) == 2 && w[set[0]].Cmp(w[set[1]]) != 0 {
			attack = "insider"
		}
		// Confirm as the insider would: the first atom's first
		// organisation is the victim, everyone else in the set helps.
		victim := a.atoms[set[0]][0]
		rest := new(big.Rat).Set(known)
		for _, j := range set {
			for _, o := range a.atoms[j] {
				if o != victim {
					rest.Sub(rest, new(big.Rat).Mul(w[j], big.NewRat(a.secret[o], 1)))
				}
			}
		}
		got := new(big.Rat).Quo(rest, w[set[0]])
		a.confirm([]string{victim}, got, how)
		out = append(out, breach{attack, a.orgsOf(set), how})
	}
	for i := range a.atoms {
		if len(a.atoms[i]) >= a.k {
			continue
		}
		if key[i] == "zero" {
			report([]int{i})
			continue
		}
		for j := i + 1; j < len(a.atoms); j++ {
			if key[j] == key[i] && len(a.atoms[i])+len(a.atoms[j]) < a.k {
				report([]int{i, j})
			}
		}
	}
	return out
}
