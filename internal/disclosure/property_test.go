package disclosure

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// constructedRound draws a random round: a few constructed organisations,
// k, and the groups a site could show over them (national, counties, size
// classes, providers) plus the risky extras that make differencing
// attacks possible: a group minus one member, a group plus an outsider,
// county-by-size-class cells and unions of two groups.
func constructedRound(t *rapid.T) ([]Group, int) {
	n := rapid.IntRange(5, 16).Draw(t, "organisations")
	k := rapid.IntRange(3, 6).Draw(t, "k")
	ids := orgs("m", n)
	groups := []Group{{Kind: "national", Members: ids}}

	counties := rapid.IntRange(1, 4).Draw(t, "counties")
	classes := rapid.IntRange(1, 3).Draw(t, "sizeClasses")
	countyOf := make([]int, n)
	classOf := make([]int, n)
	for i := range n {
		countyOf[i] = rapid.IntRange(0, counties-1).Draw(t, "countyOf")
		classOf[i] = rapid.IntRange(0, classes-1).Draw(t, "classOf")
	}
	for c := range counties {
		var ms []string
		for i, id := range ids {
			if countyOf[i] == c {
				ms = append(ms, id)
			}
		}
		groups = append(groups, Group{Kind: "county", Key: fmt.Sprint(c), Members: ms})
	}
	for s := range classes {
		var ms []string
		for i, id := range ids {
			if classOf[i] == s {
				ms = append(ms, id)
			}
		}
		groups = append(groups, Group{Kind: "size_class", Key: fmt.Sprint(s), Members: ms})
	}
	for p := range rapid.IntRange(0, 3).Draw(t, "providers") {
		var ms []string
		for _, id := range ids {
			if rapid.Bool().Draw(t, "inProvider") {
				ms = append(ms, id)
			}
		}
		groups = append(groups, Group{Kind: "provider", Key: fmt.Sprint(p), Members: ms})
	}
	for e := range rapid.IntRange(0, 3).Draw(t, "extras") {
		base := groups[rapid.IntRange(0, len(groups)-1).Draw(t, "base")]
		var ms []string
		switch rapid.IntRange(0, 3).Draw(t, "extraKind") {
		case 0: // a filter that drops one member
			if len(base.Members) == 0 {
				continue
			}
			drop := rapid.IntRange(0, len(base.Members)-1).Draw(t, "drop")
			ms = slices.Delete(slices.Clone(base.Members), drop, drop+1)
		case 1: // the group plus one outsider
			ms = slices.Clone(base.Members)
			out := ids[rapid.IntRange(0, n-1).Draw(t, "outsider")]
			if !slices.Contains(ms, out) {
				ms = append(ms, out)
			}
		case 2: // a county-by-size-class cell
			c := rapid.IntRange(0, counties-1).Draw(t, "cellCounty")
			s := rapid.IntRange(0, classes-1).Draw(t, "cellClass")
			for i, id := range ids {
				if countyOf[i] == c && classOf[i] == s {
					ms = append(ms, id)
				}
			}
		case 3: // the union of two groups
			other := groups[rapid.IntRange(0, len(groups)-1).Draw(t, "other")]
			ms = slices.Clone(base.Members)
			for _, m := range other.Members {
				if !slices.Contains(ms, m) {
					ms = append(ms, m)
				}
			}
		}
		groups = append(groups, Group{Kind: "extra", Key: fmt.Sprint(e), Members: ms})
	}
	// A few groups may have been shown already (snapshots of an open
	// round): Decide may not hide them.
	for i := range groups {
		if rapid.IntRange(0, 9).Draw(t, "shownDie") == 0 {
			groups[i].Shown = true
		}
	}
	return groups, k
}

// TestDecideProperties checks, on random constructed rounds, that the
// attacker recovers nothing from what Decide publishes, that primary
// suppression is exact, that every complementary suppression is needed
// (publishing that group as well would let the attacker in), that nothing
// is hidden when nothing needs hiding, and that the result does not
// depend on the order of groups or members.
func TestDecideProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		groups, k := constructedRound(t)
		secret := constructedSecrets(groups)
		decisions, err := Decide(groups, k)
		if errors.Is(err, ErrShownLeak) {
			// Honest only if the shown groups really leak on their own.
			var shown []Group
			for _, g := range groups {
				if g.Shown {
					shown = append(shown, g)
				}
			}
			if len(newAttacker(shown, secret, k).attack()) == 0 {
				t.Fatalf("ErrShownLeak (%v), but the shown groups alone let no attack through", err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		for i, g := range groups {
			if g.Shown && len(g.Members) > 0 && !decisions[i].Published {
				t.Fatalf("group %d was shown already but is hidden now", i)
			}
		}

		if breaches := publish(groups, decisions, secret, k).attack(); len(breaches) > 0 {
			t.Fatalf("attacker breaks Decide's publication: %v", breaches)
		}

		for i, d := range decisions {
			if tooFew := len(groups[i].Members) < k; tooFew != (d.Rule == RuleTooFew) {
				t.Fatalf("group %d has %d members (k = %d) but rule %v", i, len(groups[i].Members), k, d.Rule)
			}
			if d.Published != (d.Rule == RulePublish) || d.Published != (d.Reason == "") {
				t.Fatalf("group %d: inconsistent decision %+v", i, d)
			}
			if d.Rule == RulePrecaution {
				t.Fatalf("group %d: precaution on a small round: %+v", i, d)
			}
			if d.Rule == RuleComplementary {
				with := slices.Clone(decisions)
				with[i].Published = true
				if len(publish(groups, with, secret, k).attack()) == 0 {
					t.Fatalf("group %d (%s %s) hidden as complementary, but publishing it too lets no attack through", i, groups[i].Kind, groups[i].Key)
				}
			}
		}

		naive := primaryOnly(groups, k)
		naiveView := publish(groups, naive, secret, k)
		naiveBroken := len(naiveView.attack()) > 0

		// The full-size tests use smallSupports; it must find exactly the
		// minimal insider breaches of one or two atoms.
		var small, full []string
		for _, b := range naiveView.smallSupports() {
			small = append(small, fmt.Sprint(b.orgs))
		}
		alone := map[int]bool{}
		insider := naiveView.insider()
		for _, b := range insider {
			if atoms := naiveView.atomsIn(b.orgs); len(atoms) == 1 {
				alone[atoms[0]] = true
			}
		}
		for _, b := range insider {
			atoms := naiveView.atomsIn(b.orgs)
			if len(atoms) == 1 || len(atoms) == 2 && !alone[atoms[0]] && !alone[atoms[1]] {
				full = append(full, fmt.Sprint(b.orgs))
			}
		}
		slices.Sort(small)
		slices.Sort(full)
		if diff := cmp.Diff(small, full); diff != "" {
			t.Fatalf("smallSupports disagrees with the insider attack on supports of ≤ 2 atoms (-small +insider):\n%s", diff)
		}
		hidesMore := false
		for i := range decisions {
			if decisions[i].Published != naive[i].Published {
				hidesMore = true
			}
		}
		if naiveBroken != hidesMore {
			t.Fatalf("primary suppression alone is broken: %v, but Decide hides more than it: %v", naiveBroken, hidesMore)
		}

		perm := rapid.Permutation(indices(len(groups))).Draw(t, "order")
		shuffled := make([]Group, len(groups))
		for to, from := range perm {
			g := groups[from]
			g.Members = rapid.Permutation(g.Members).Draw(t, "members")
			shuffled[to] = g
		}
		again, err := Decide(shuffled, k)
		if err != nil {
			t.Fatal(err)
		}
		for to, from := range perm {
			if diff := cmp.Diff(again[to], decisions[from]); diff != "" {
				t.Fatalf("group %d decided differently after reordering (-got +want):\n%s", from, diff)
			}
		}
	})
}

func indices(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}
