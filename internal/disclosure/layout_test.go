package disclosure

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// constructedCounties are Norway-like county sizes (number of
// municipalities per county, 357 in all). The layouts below are constructed
// for tests and benchmarks: the counts resemble Norway's, the assignments
// to size classes and providers are random.
var constructedCounties = []struct {
	number string
	count  int
}{
	{"03", 1}, {"11", 23}, {"15", 27}, {"18", 41}, {"31", 12},
	{"32", 21}, {"33", 18}, {"34", 46}, {"39", 6}, {"40", 17},
	{"42", 25}, {"46", 43}, {"50", 38}, {"55", 21}, {"56", 18},
}

// constructedSizeClasses are nine size classes with constructed counts.
var constructedSizeClasses = []int{60, 60, 55, 50, 45, 35, 30, 15, 7}

// constructedLayout builds the groups a round could show: national, nine
// size classes, fifteen counties and `providers` IT providers or networks
// (mostly inside one county, some crossing a border, a few municipalities
// in two networks). answered is the share of municipalities that answered;
// only they are members. Everything is drawn from seed: constructed data.
func constructedLayout(seed uint64, providers int, answered float64) []Group {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	type muni struct{ code, county string }
	var munis []muni
	byCounty := map[string][]string{}
	for _, c := range constructedCounties {
		for i := range c.count {
			code := fmt.Sprintf("%s%02d", c.number, i+1)
			munis = append(munis, muni{code, c.number})
			byCounty[c.number] = append(byCounty[c.number], code)
		}
	}
	answeredSet := map[string]bool{}
	for _, m := range munis {
		if rng.Float64() < answered {
			answeredSet[m.code] = true
		}
	}
	keep := func(ms []string) []string {
		var out []string
		for _, m := range ms {
			if answeredSet[m] {
				out = append(out, m)
			}
		}
		return out
	}

	var all []string
	for _, m := range munis {
		all = append(all, m.code)
	}
	groups := []Group{{Kind: "national", Members: keep(all)}}

	perm := rng.Perm(len(munis))
	at := 0
	for i, n := range constructedSizeClasses {
		var ms []string
		for _, p := range perm[at : at+n] {
			ms = append(ms, munis[p].code)
		}
		at += n
		slices.Sort(ms)
		groups = append(groups, Group{Kind: "size_class", Key: fmt.Sprintf("klasse %d", i+1), Members: keep(ms)})
	}
	for _, c := range constructedCounties {
		groups = append(groups, Group{Kind: "county", Key: c.number, Members: keep(byCounty[c.number])})
	}

	inProvider := map[string]int{}
	for p := range providers {
		c := constructedCounties[1+rng.IntN(len(constructedCounties)-1)]
		pool := byCounty[c.number]
		size := 3 + rng.IntN(10)
		set := map[string]bool{}
		for _, i := range rng.Perm(len(pool)) {
			if len(set) == size {
				break
			}
			m := pool[i]
			// Most municipalities have one provider; a few are in two.
			if inProvider[m] > 0 && rng.Float64() > 0.1 {
				continue
			}
			set[m] = true
		}
		if rng.Float64() < 0.15 { // a network crossing a county border
			other := constructedCounties[1+rng.IntN(len(constructedCounties)-1)].number
			for range 1 + rng.IntN(3) {
				set[byCounty[other][rng.IntN(len(byCounty[other]))]] = true
			}
		}
		var ms []string
		for m := range set {
			ms = append(ms, m)
			inProvider[m]++
		}
		slices.Sort(ms)
		groups = append(groups, Group{Kind: "provider", Key: fmt.Sprintf("leverandør %02d", p+1), Members: keep(ms)})
	}
	return groups
}

// constructedNetworks is the report layout plus `networks` national
// networks of 5 to 15 members drawn from the whole country: overlapping
// every county and size class, a harder case than regional providers.
// Constructed data.
func constructedNetworks(seed uint64, networks int, answered float64) []Group {
	groups := constructedLayout(seed, 0, answered)
	rng := rand.New(rand.NewPCG(seed, 3))
	all := groups[0].Members
	for p := range networks {
		set := map[string]bool{}
		for n := 5 + rng.IntN(11); len(set) < n; {
			set[all[rng.IntN(len(all))]] = true
		}
		var ms []string
		for m := range set {
			ms = append(ms, m)
		}
		slices.Sort(ms)
		groups = append(groups, Group{Kind: "provider", Key: fmt.Sprintf("nettverk %02d", p+1), Members: ms})
	}
	return groups
}
