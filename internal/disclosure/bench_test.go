package disclosure

import (
	"testing"
)

// BenchmarkDecide measures a decision on constructed Norway-like layouts:
// 357 municipalities, 9 size classes, 15 counties, and 0 or 50 regional
// providers or 50 national networks, with everyone or 80 % answering.
// Besides ns/op (wall time) it reports cpu-ns/op (process CPU time per
// decision), which stays meaningful when other work shares the cores.
// The baseline (primary suppression only: building the atoms and
// comparing sizes) runs in the same benchmark for a ratio.
func BenchmarkDecide(b *testing.B) {
	cases := []struct {
		name   string
		groups []Group
	}{
		{"report_all_answered", constructedLayout(1, 0, 1)},
		{"report_80pct", constructedLayout(1, 0, 0.8)},
		{"providers50_all_answered", constructedLayout(1, 50, 1)},
		{"providers50_80pct", constructedLayout(1, 50, 0.8)},
		{"networks50_80pct", constructedNetworks(1, 50, 0.8)},
	}
	for _, c := range cases {
		b.Run(c.name+"/decide", func(b *testing.B) {
			measure(b, func() {
				if _, err := Decide(c.groups, 5); err != nil {
					b.Fatal(err)
				}
			})
		})
		b.Run(c.name+"/baseline_primary_only", func(b *testing.B) {
			measure(b, func() { primaryOnly(c.groups, 5) })
		})
	}
}

func measure(b *testing.B, fn func()) {
	start := processCPU()
	for b.Loop() {
		fn()
	}
	b.ReportMetric(float64((processCPU()-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
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
