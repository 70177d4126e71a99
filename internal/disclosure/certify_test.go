package disclosure

import (
	"math/big"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fourBlocksLeftOut is a constructed round where arithmetic modulo 3 is
// blind: four blocks of two organisations, and four groups each leaving
// one block out. Over the rationals the four sums give every block's total
// (sum of all four is three times the whole); modulo 3 that division is
// impossible, so the rank there is 3, not 4.
func fourBlocksLeftOut() []Group {
	s := orgs("s", 8)
	return []Group{
		{Kind: "provider", Key: "uten s1", Members: s[2:]},
		{Kind: "provider", Key: "uten s2", Members: join(s[:2], s[4:])},
		{Kind: "provider", Key: "uten s3", Members: join(s[:4], s[6:])},
		{Kind: "provider", Key: "uten s4", Members: s[:6]},
	}
}

func TestCertifyCatchesARankLostModuloP(t *testing.T) {
	u := newUniverse(fourBlocksLeftOut())
	all := []int{0, 1, 2, 3}
	rows, _ := u.matrix(all)
	if got := rankQ(rows); got != 4 {
		t.Fatalf("rankQ = %d, want 4", got)
	}
	if got := fieldRank(newField(2), rows, len(rows[0])); got != 3 {
		t.Fatalf("rank modulo 3 = %d, want 3", got)
	}
	// Modulo 3 the search sees no leak although there is one ...
	if l, err := findLeak(u, all, newField(2), 3, 1<<20); l != nil || err != nil {
		t.Fatalf("modulo 3: findLeak = %v, %v; want nothing (the blind spot this test is about)", l, err)
	}
	if l, err := findLeak(u, all, mersenne61, 3, 1<<20); l == nil || err != nil {
		t.Fatalf("modulo 2^61−1: findLeak = %v, %v; want the leak", l, err)
	}
	// ... and the certificate is what refuses to trust it.
	tests := []struct {
		name string
		f    field
		want bool
	}{
		{"modulo 3", newField(2), false},
		{"modulo 7", newField(3), true},
		{"modulo 2^61−1", mersenne61, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := certify(u, all, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("certify = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestDecideFallsBackWhenNoFieldCertifies runs the decision in a field
// that misses the leak: the certificate fails, the fallback publishes only
// disjoint groups, and the attacker still recovers nothing. With a second,
// large field to try, the result is the normal one.
func TestDecideFallsBackWhenNoFieldCertifies(t *testing.T) {
	groups := fourBlocksLeftOut()
	secret := constructedSecrets(groups)
	blind, err := decide(groups, 3, config{fields: []field{newField(2)}, limit: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if breaches := publish(groups, blind, secret, 3).attack(); len(breaches) > 0 {
		t.Errorf("attacker breaks the fallback: %v", breaches)
	}
	var rules []Rule
	for _, d := range blind {
		rules = append(rules, d.Rule)
	}
	want := []Rule{RulePublish, RulePrecaution, RulePrecaution, RulePrecaution}
	if diff := cmp.Diff(rules, want); diff != "" {
		t.Errorf("fallback rules (-got +want):\n%s", diff)
	}

	second, err := decide(groups, 3, config{fields: []field{newField(2), mersenne61}, limit: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	normal, err := Decide(groups, 3)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(second, normal); diff != "" {
		t.Errorf("with a second field (-got +want):\n%s", diff)
	}
}

func TestLiftFraction(t *testing.T) {
	f := mersenne61
	for _, want := range []*big.Rat{big.NewRat(1, 1), big.NewRat(-1, 1), big.NewRat(1, 2), big.NewRat(-2, 3), big.NewRat(5, 7)} {
		num := new(big.Int).Mod(want.Num(), new(big.Int).SetUint64(f.p)).Uint64()
		den := new(big.Int).Mod(want.Denom(), new(big.Int).SetUint64(f.p)).Uint64()
		v := f.mul(num, f.inv(den))
		got, ok := liftFraction(v, f.p)
		if !ok || got.Cmp(want) != 0 {
			t.Errorf("liftFraction(%v mod p) = %v, %v; want %v", want, got, ok, want)
		}
	}
}
