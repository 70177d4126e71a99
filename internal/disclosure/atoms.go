package disclosure

import (
	"slices"
)

// universe is the input in canonical form: groups in priority order and
// the atoms, the classes of organisations that belong to exactly the same
// groups. Every figure built from group sums is constant on an atom, so
// atoms (weighted by their number of organisations) are the coordinates
// of all the linear algebra.
type universe struct {
	groups  []Group // priority order
	input   []int   // input[c] is the caller's index of canonical group c
	weight  []int   // organisations in each atom
	atomsOf [][]int // atoms of each canonical group, ascending
	pattern [][]uint64
}

func newUniverse(in []Group) *universe {
	input := make([]int, len(in))
	for i := range input {
		input[i] = i
	}
	slices.SortStableFunc(input, func(a, b int) int { return priority(in[a], in[b]) })
	u := &universe{groups: make([]Group, len(in)), input: input}
	for c, i := range input {
		u.groups[c] = in[i]
	}

	// Each organisation's groups as a bit set.
	words := (len(in) + 63) / 64
	of := map[string][]uint64{}
	for c, g := range u.groups {
		for _, m := range g.Members {
			bits := of[m]
			if bits == nil {
				bits = make([]uint64, words)
				of[m] = bits
			}
			bits[c/64] |= 1 << (c % 64)
		}
	}
	members := make([]string, 0, len(of))
	for m := range of {
		members = append(members, m)
	}
	slices.Sort(members)

	// Atoms numbered by their smallest member, so the numbering depends on
	// the sets only.
	atomOf := map[string]int{}
	u.atomsOf = make([][]int, len(in))
	for _, m := range members {
		key := bitsKey(of[m])
		a, ok := atomOf[key]
		if !ok {
			a = len(u.weight)
			atomOf[key] = a
			u.weight = append(u.weight, 0)
			u.pattern = append(u.pattern, of[m])
			for c := range u.groups {
				if of[m][c/64]&(1<<(c%64)) != 0 {
					u.atomsOf[c] = append(u.atomsOf[c], a)
				}
			}
		}
		u.weight[a]++
	}
	return u
}

// matrix returns the rows of the published groups over the published
// atoms: atoms merged when no published group tells them apart, and
// dropped when no published group contains them. weights are the merged
// atoms' numbers of organisations.
func (u *universe) matrix(published []int) (rows [][]uint64, weights []int) {
	words := (len(u.groups) + 63) / 64
	mask := make([]uint64, words)
	for _, c := range published {
		mask[c/64] |= 1 << (c % 64)
	}
	merged := make([]int, len(u.weight))
	index := map[string]int{}
	key := make([]uint64, words)
	for a, p := range u.pattern {
		empty := true
		for w := range key {
			key[w] = p[w] & mask[w]
			if key[w] != 0 {
				empty = false
			}
		}
		if empty {
			merged[a] = -1
			continue
		}
		k := bitsKey(key)
		j, ok := index[k]
		if !ok {
			j = len(weights)
			index[k] = j
			weights = append(weights, 0)
		}
		merged[a] = j
		weights[j] += u.weight[a]
	}
	rows = make([][]uint64, len(published))
	for i, c := range published {
		rows[i] = make([]uint64, len(weights))
		for _, a := range u.atomsOf[c] {
			rows[i][merged[a]] = 1
		}
	}
	return rows, weights
}

// bitsKey turns a bit set into a map key.
func bitsKey(bits []uint64) string {
	b := make([]byte, 0, 8*len(bits))
	for _, w := range bits {
		for i := range 8 {
			b = append(b, byte(w>>(8*i)))
		}
	}
	return string(b)
}
