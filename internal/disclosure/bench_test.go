package disclosure

import (
	"fmt"
	"testing"
)

// BenchmarkDecide measures a decision on constructed Norway-like layouts:
// 357 municipalities, 9 size classes, 15 counties and 0 or 50 providers.
// The baseline (primary suppression only) shows what the input handling
// alone costs in the same run.
func BenchmarkDecide(b *testing.B) {
	cases := []struct {
		name      string
		providers int
		answered  float64
	}{
		{"report_all_answered", 0, 1},
		{"report_80pct_answered", 0, 0.8},
		{"providers50_all_answered", 50, 1},
		{"providers50_80pct_answered", 50, 0.8},
	}
	for _, c := range cases {
		groups := constructedLayout(1, c.providers, c.answered)
		b.Run(c.name+"/decide", func(b *testing.B) {
			for b.Loop() {
				if _, err := Decide(groups, 5); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/baseline_primary_only", func(b *testing.B) {
			for b.Loop() {
				primaryOnly(groups, 5)
			}
		})
	}
}

// primaryOnly is the naive decider: it hides only groups with fewer than k
// members. The attacker tests prove it unsafe; here it is the baseline.
func primaryOnly(groups []Group, k int) []Decision {
	_ = newUniverse(groups)
	out := make([]Decision, len(groups))
	for i, g := range groups {
		out[i] = Decision{Published: len(g.Members) >= k, N: len(g.Members)}
		if !out[i].Published {
			out[i].Rule = RuleTooFew
		}
	}
	return out
}

func TestLayoutSummary(t *testing.T) {
	for _, p := range []int{0, 50} {
		groups := constructedLayout(1, p, 0.8)
		got, err := Decide(groups, 5)
		if err != nil {
			t.Fatal(err)
		}
		count := map[Rule]int{}
		for _, d := range got {
			count[d.Rule]++
		}
		t.Log(fmt.Sprint(p, count))
	}
}
