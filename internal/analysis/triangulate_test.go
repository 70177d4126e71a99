package analysis

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/grunnlag/grunnlag/internal/analysis/analysistest"
	"github.com/grunnlag/grunnlag/internal/catalog"
)

// TestTriangulate_appendixConclusions checks that the shipped pack gives
// the appendix's four conclusions, with and without statistics synced:
// governance capability is insufficient, continuous protection is weak,
// competence and capacity are short, each supported by all three kinds of
// source; and the cross-cutting conclusions hold, with needs that all point
// the same way and, where the statistics have size classes, situations that
// differ with the municipality's size.
func TestTriangulate_appendixConclusions(t *testing.T) {
	p := shippedPack(t)
	bySize := append(analysistest.All(analysistest.FetchedAt(0)), analysistest.Constructed12041BySize(analysistest.FetchedAt(0)))
	for name, d := range map[string]Data{
		"without statistics": dataOf(),
		"with statistics":    dataOf(analysistest.All(analysistest.FetchedAt(0))...),
		"with size classes":  dataOf(bySize...),
	} {
		t.Run(name, func(t *testing.T) {
			r := Analyze(p, d)
			type verdict struct {
				Theme    string
				Verdict  Verdict
				Strength Strength
				Agreeing int
				Opposing int
			}
			var got []verdict
			for _, th := range r.Themes {
				got = append(got, verdict{th.Theme.ID, th.Verdict, th.Strength, th.Agreeing, th.Opposing})
			}
			want := []verdict{
				{"styringsevne", Supported, Strong, 3, 0},
				{"lopende-sikring", Supported, Strong, 3, 0},
				{"kompetanse", Supported, Strong, 3, 0},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("theme verdicts mismatch (-want +got):\n%s", diff)
			}
			for _, c := range r.Conclusions {
				if !c.Holds || !c.NeedsAgree || len(c.Needs) != 9 || len(c.Themes) != 3 {
					t.Errorf("conclusion %s: holds %v, needs agree %v, %d needs, %d themes; want it to hold with 9 agreeing needs over 3 themes",
						c.Conclusion.ID, c.Holds, c.NeedsAgree, len(c.Needs), len(c.Themes))
				}
				if differ := len(c.Spreads) > 0; differ != (name == "with size classes") {
					t.Errorf("conclusion %s: %d indicators differ by size class; want some only when the data has size classes", c.Conclusion.ID, len(c.Spreads))
				}
			}
			if got, want := r.Themes[0].Text(), "Hypotesen er underbygget, og støtten er sterk: alle tre uavhengige kildetyper (dokumentene, statistikken og dialogen) peker i samme retning."; got != want {
				t.Errorf("Text() = %q, want %q", got, want)
			}
		})
	}
}

// TestTriangulate_indicatorsCount shows that computed indicators join the
// statistics evidence of their themes, and only when they have a value.
func TestTriangulate_indicatorsCount(t *testing.T) {
	p := shippedPack(t)
	r := Analyze(p, dataOf(analysistest.Constructed12618(analysistest.FetchedAt(0))))
	var th *Triangulation
	for _, x := range r.Themes {
		if x.Theme.ID == "lopende-sikring" {
			th = x
		}
	}
	var got []string
	for _, e := range th.Evidence {
		if e.Indicator != nil {
			got = append(got, e.Ref.ID)
		}
	}
	want := []string{"sikkerhetspatcher-mangler", "penetrasjonstesting-mangler", "sikkerhetspatcher-vet-ikke"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("indicator evidence mismatch (-want +got):\n%s", diff)
	}
	for _, ind := range th.LeftOut {
		if ind.Status == OK {
			t.Errorf("%s left out despite a value", ind.Def.ID)
		}
	}
}

// TestTriangulate_verdicts checks the verdict rules on constructed
// evidence: how many kinds of source lean which way.
func TestTriangulate_verdicts(t *testing.T) {
	ev := func(b catalog.Basis, d catalog.Direction) Evidence { return Evidence{Basis: b, Supports: d} }
	doc, stat, dia := catalog.FromDocument, catalog.FromStatistics, catalog.FromDialogue
	yes, no, neutral := catalog.Supports, catalog.Against, catalog.Neutral
	tests := []struct {
		name     string
		evidence []Evidence
		verdict  Verdict
		strength Strength
		text     string
	}{
		{"two kinds", []Evidence{ev(doc, yes), ev(dia, yes), ev(stat, neutral)}, Supported, Moderate,
			"Hypotesen er underbygget med moderat styrke: to av tre kildetyper (dokumentene og dialogen) peker i samme retning; den tredje peker ingen vei."},
		{"one kind, a tie in another", []Evidence{ev(doc, yes), ev(stat, yes), ev(stat, no)}, Supported, Weak,
			"Hypotesen er svakt underbygget: bare én kildetype (dokumentene) støtter den."},
		{"kinds disagree", []Evidence{ev(doc, yes), ev(stat, no), ev(stat, no), ev(stat, yes)}, Mixed, Unclear,
			"Kildene spriker: dokumentene støtter hypotesen, mens statistikken taler mot den."},
		{"against", []Evidence{ev(dia, no)}, Contradicted, Unclear,
			"Hypotesen er ikke underbygget: dialogen taler mot den, og ingen kildetype støtter den."},
		{"nothing", nil, NoEvidence, Unclear, "Kildene gir ikke grunnlag for å vurdere hypotesen."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th := weigh(&Triangulation{Evidence: tt.evidence})
			if th.Verdict != tt.verdict || th.Strength != tt.strength || th.Text() != tt.text {
				t.Errorf("weigh(%v) = %s, %s, %q; want %s, %s, %q", tt.evidence, th.Verdict, th.Strength, th.Text(), tt.verdict, tt.strength, tt.text)
			}
		})
	}
}
