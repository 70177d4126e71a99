package disclosure

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// orgs makes constructed organisation ids prefix01, prefix02, ….
func orgs(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%02d", prefix, i+1)
	}
	return out
}

func join(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// attackCase is a constructed round: groups a page could show, and what
// the attacker gets from a naive decider.
type attackCase struct {
	name   string
	k      int
	groups []Group
	// naive is an attack that breaks the primary-only decider, and
	// isolated the organisations one of its breaches isolates.
	naive    string
	isolated []string
	// hidden lists "kind key" of the groups Decide must hide (primary
	// and complementary together); all others must be published.
	hidden []string
}

func attackCases() []attackCase {
	a, b, c := orgs("a", 6), orgs("b", 7), orgs("c", 2)
	x := orgs("x", 8)
	y := orgs("y", 9)
	p1, p2, p3 := orgs("p", 2), orgs("q", 2), orgs("r", 2)
	s := orgs("s", 8)
	return []attackCase{
		{
			name: "national vs national minus a county of 3",
			k:    5,
			groups: []Group{
				{Kind: "national", Members: join(a, b[:3])},
				{Kind: "county", Key: "46", Members: b[:3]},
				{Kind: "filter", Key: "uten 46", Members: a},
			},
			naive: "difference", isolated: b[:3],
			hidden: []string{"county 46", "filter uten 46"},
		},
		{
			name: "national and every county, one county below k",
			k:    5,
			groups: []Group{
				{Kind: "national", Members: join(a, b, c)},
				{Kind: "county", Key: "11", Members: a},
				{Kind: "county", Key: "15", Members: b},
				{Kind: "county", Key: "03", Members: c},
			},
			naive: "disjoint union", isolated: c,
			hidden: []string{"county 11", "county 03"},
		},
		{
			name: "a county vs its size classes",
			k:    5,
			groups: []Group{
				{Kind: "county", Key: "46", Members: x},
				{Kind: "county_size_class", Key: "46 klasse 1", Members: x[:5]},
				{Kind: "county_size_class", Key: "46 klasse 2", Members: x[5:]},
			},
			naive: "difference", isolated: x[5:],
			hidden: []string{"county_size_class 46 klasse 1", "county_size_class 46 klasse 2"},
		},
		{
			name: "a filter that excludes one member",
			k:    5,
			groups: []Group{
				{Kind: "county", Key: "46", Members: x},
				{Kind: "filter", Key: "46 uten vertskommunen", Members: x[1:]},
			},
			naive: "difference", isolated: x[:1],
			hidden: []string{"filter 46 uten vertskommunen"},
		},
		{
			name: "a provider whose members are all but one of a county",
			k:    5,
			groups: []Group{
				{Kind: "county", Key: "50", Members: y},
				{Kind: "provider", Key: "iks", Members: y[:8]},
			},
			naive: "difference", isolated: y[8:],
			hidden: []string{"provider iks"},
		},
		{
			name: "nested groups differing by fewer than k",
			k:    5,
			groups: []Group{
				{Kind: "national", Members: join(a, b, c[:1])},       // 14
				{Kind: "county", Key: "11", Members: join(a, b[:5])}, // 11
				{Kind: "provider", Key: "iks", Members: join(a, b[:1])},
			},
			naive: "difference", isolated: join(b[5:], c[:1]),
			hidden: []string{"county 11"},
		},
		{
			name: "a provider that swaps one member of a county for one outside (insiders)",
			k:    5,
			groups: []Group{
				{Kind: "national", Members: join(x, y)},
				{Kind: "county", Key: "46", Members: x},
				{Kind: "provider", Key: "iks", Members: join(x[1:], y[:1])},
			},
			naive: "insider", isolated: join(x[:1], y[:1]),
			hidden: []string{"provider iks"},
		},
		{
			name: "yesterday's figure, shown, and today's with one more answer",
			k:    5,
			groups: []Group{
				{Kind: "national", Members: join(x, y)},
				{Kind: "county", Key: "46 per 1. mars", Members: y[:8], Shown: true},
				{Kind: "county", Key: "46", Members: y},
			},
			naive: "difference", isolated: y[8:],
			hidden: []string{"county 46"},
		},
		{
			name: "three overlapping pairs solved only together",
			k:    3,
			groups: []Group{
				{Kind: "provider", Key: "p∪q", Members: join(p1, p2)},
				{Kind: "provider", Key: "q∪r", Members: join(p2, p3)},
				{Kind: "provider", Key: "p∪r", Members: join(p1, p3)},
			},
			naive: "linear", isolated: p1,
			hidden: []string{"provider q∪r"},
		},
		{
			name: "four blocks each left out once",
			k:    3,
			groups: []Group{
				{Kind: "provider", Key: "uten s1", Members: s[2:]},
				{Kind: "provider", Key: "uten s2", Members: join(s[:2], s[4:])},
				{Kind: "provider", Key: "uten s3", Members: join(s[:4], s[6:])},
				{Kind: "provider", Key: "uten s4", Members: s[:6]},
			},
			naive: "linear", isolated: s[:2],
			// Any three of the four are safe: no combination of them
			// isolates a block.
			hidden: []string{"provider uten s4"},
		},
	}
}

// TestNaiveDeciderIsBroken proves the attacker works: on every constructed
// case, publishing all groups of at least k members lets it recover the
// secret total of fewer than k organisations (confirmed against the
// secret inside the attacker).
func TestNaiveDeciderIsBroken(t *testing.T) {
	for _, tc := range attackCases() {
		t.Run(tc.name, func(t *testing.T) {
			secret := constructedSecrets(tc.groups)
			breaches := publish(tc.groups, primaryOnly(tc.groups, tc.k), secret, tc.k).attack()
			want := slices.Sorted(slices.Values(tc.isolated))
			var got [][]string
			for _, b := range breaches {
				if b.attack == tc.naive {
					got = append(got, b.orgs)
				}
			}
			if !slices.ContainsFunc(got, func(o []string) bool { return slices.Equal(o, want) }) {
				t.Errorf("%s breaches of the naive decider isolate %v, want one isolating %v\nall breaches: %v", tc.naive, got, want, breaches)
			}
			// Each attack is stronger than the ones before it in this list;
			// a case named for a strong attack is one the weaker miss, so
			// every attack is shown to be needed.
			order := []string{"difference", "disjoint union", "linear", "insider"}
			for _, b := range breaches {
				if slices.Index(order, b.attack) < slices.Index(order, tc.naive) {
					t.Errorf("a weaker attack than %s already breaks this case: %v", tc.naive, b)
				}
			}
		})
	}
}

// TestDecideWithstandsTheAttacks runs every attack on what Decide
// publishes for the same cases, and checks that it hides no more than the
// expected groups.
func TestDecideWithstandsTheAttacks(t *testing.T) {
	for _, tc := range attackCases() {
		t.Run(tc.name, func(t *testing.T) {
			decisions, err := Decide(tc.groups, tc.k)
			if err != nil {
				t.Fatal(err)
			}
			secret := constructedSecrets(tc.groups)
			if breaches := publish(tc.groups, decisions, secret, tc.k).attack(); len(breaches) > 0 {
				t.Errorf("attacker breaks Decide's publication: %v", breaches)
			}
			var hidden []string
			for i, d := range decisions {
				if !d.Published {
					hidden = append(hidden, tc.groups[i].Kind+" "+tc.groups[i].Key)
				}
			}
			if diff := cmp.Diff(hidden, tc.hidden); diff != "" {
				t.Errorf("hidden groups (-got +want):\n%s", diff)
			}
		})
	}
}

// TestNorwayLikeLayouts attacks full-size constructed layouts (357
// municipalities, 9 size classes, 15 counties, providers or national
// networks). Enumerating every set of atoms is too slow at this size, so
// the attacker runs the differences and every linear or insider attack
// whose support is one or two atoms; the naive decider falls to them.
func TestNorwayLikeLayouts(t *testing.T) {
	layouts := []struct {
		name   string
		groups []Group
	}{
		{"report, 80 % answered", constructedLayout(1, 0, 0.8)},
		{"50 regional providers, 80 % answered", constructedLayout(1, 50, 0.8)},
		{"50 national networks, 80 % answered", constructedNetworks(1, 50, 0.8)},
	}
	for _, l := range layouts {
		t.Run(l.name, func(t *testing.T) {
			secret := constructedSecrets(l.groups)
			decisions, err := Decide(l.groups, 5)
			if err != nil {
				t.Fatal(err)
			}
			a := publish(l.groups, decisions, secret, 5)
			if breaches := append(a.differences(), a.smallSupports()...); len(breaches) > 0 {
				t.Errorf("attacker breaks Decide's publication: %v", breaches)
			}
			naive := publish(l.groups, primaryOnly(l.groups, 5), secret, 5)
			if len(naive.smallSupports()) == 0 {
				t.Error("the naive decider withstands the small-support attack here; the test proves nothing")
			}
		})
	}
}
