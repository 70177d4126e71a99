package analysis

import (
	"strings"

	"github.com/grunnlag/grunnlag/internal/catalog"
)

// Evidence is one piece of evidence for a theme: a finding, a need or a
// computed indicator, with the kind of source it rests on and the
// direction the pack tags it with.
type Evidence struct {
	Ref       catalog.Ref
	Basis     catalog.Basis
	Supports  catalog.Direction
	Summary   string
	Notes     string
	Entry     catalog.Entry // the finding or need; nil for an indicator
	Indicator *Indicator    // the indicator; nil for a finding or need
}

// Tally counts the evidence of one kind of source by direction.
type Tally struct {
	Basis                      catalog.Basis
	Supports, Against, Neutral int
}

// Lean is the direction the kind of source points in: the hypothesis when
// more of its evidence supports than speaks against it, against when the
// reverse, neutral otherwise (no evidence, only neutral, or a tie).
func (t Tally) Lean() catalog.Direction {
	switch {
	case t.Supports > t.Against:
		return catalog.Supports
	case t.Against > t.Supports:
		return catalog.Against
	}
	return catalog.Neutral
}

// Verdict is what the triangulation says about a theme's hypothesis.
type Verdict string

// The verdicts.
const (
	Supported    Verdict = "underbygget"      // at least one kind of source supports it, none speaks against
	Mixed        Verdict = "sprikende"        // kinds of source point in different directions
	Contradicted Verdict = "ikke-underbygget" // the kinds that lean, lean against it
	NoEvidence   Verdict = "uten-grunnlag"    // nothing leans either way
)

// Strength grades a supported hypothesis by how many independent kinds of
// source agree: documents, statistics and the sector dialogue.
type Strength string

// The strengths.
const (
	Strong   Strength = "sterk"    // all three kinds agree
	Moderate Strength = "moderat"  // two kinds agree
	Weak     Strength = "svak"     // one kind
	Unclear  Strength = "uavklart" // not supported, or the kinds disagree
)

// Triangulation holds the evidence of one theme against each other.
type Triangulation struct {
	Theme    *catalog.Theme
	Evidence []Evidence // findings, then needs, then indicators, each in pack order
	// Left out are indicators of the theme that have no value; they are
	// missing data, not evidence.
	LeftOut []*Indicator
	Tallies []Tally // dokument, statistikk, dialog, in that order
	// Agreeing and Opposing count the kinds of source that lean towards
	// and against the hypothesis.
	Agreeing, Opposing int
	Verdict            Verdict
	Strength           Strength
}

// Text states the verdict and its strength in bokmål, in words without
// figures: "Hypotesen er underbygget, og støtten er sterk: alle tre …".
func (t *Triangulation) Text() string {
	var agree []string
	var against []string
	for _, k := range t.Tallies {
		switch k.Lean() {
		case catalog.Supports:
			agree = append(agree, basisPlural(k.Basis))
		case catalog.Against:
			against = append(against, basisPlural(k.Basis))
		}
	}
	switch t.Verdict {
	case Supported:
		switch t.Strength {
		case Strong:
			return "Hypotesen er underbygget, og støtten er sterk: alle tre uavhengige kildetyper (" + list(agree) + ") peker i samme retning."
		case Moderate:
			return "Hypotesen er underbygget med moderat styrke: to av tre kildetyper (" + list(agree) + ") peker i samme retning; den tredje peker ingen vei."
		default:
			return "Hypotesen er svakt underbygget: bare én kildetype (" + list(agree) + ") støtter den."
		}
	case Mixed:
		return "Kildene spriker: " + list(agree) + " støtter hypotesen, mens " + list(against) + " taler mot den."
	case Contradicted:
		return "Hypotesen er ikke underbygget: " + list(against) + " taler mot den, og ingen kildetype støtter den."
	}
	return "Kildene gir ikke grunnlag for å vurdere hypotesen."
}

func basisPlural(b catalog.Basis) string {
	switch b {
	case catalog.FromDocument:
		return "dokumentene"
	case catalog.FromStatistics:
		return "statistikken"
	case catalog.FromDialogue:
		return "dialogen"
	}
	return string(b)
}

// list joins words the Norwegian way: "a, b og c".
func list(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " og " + words[len(words)-1]
}

// triangulate collects the evidence for a theme and weighs it.
func triangulate(pack *catalog.Pack, theme *catalog.Theme, inds []*Indicator) *Triangulation {
	t := &Triangulation{Theme: theme}
	for _, e := range pack.Evidence(theme.ID) {
		t.Evidence = append(t.Evidence, Evidence{
			Ref: e.Entry.Ref(), Basis: e.Basis, Supports: e.Evidence.Supports,
			Summary: e.Entry.Summary(), Notes: e.Evidence.Notes, Entry: e.Entry,
		})
	}
	for _, ind := range inds {
		for _, e := range ind.Def.Evidence {
			if e.Theme != theme.ID {
				continue
			}
			if ind.Status != OK {
				t.LeftOut = append(t.LeftOut, ind)
				continue
			}
			t.Evidence = append(t.Evidence, Evidence{
				Ref: ind.Def.Ref(), Basis: catalog.FromStatistics, Supports: e.Supports,
				Summary: ind.Def.Title, Notes: e.Notes, Indicator: ind,
			})
		}
	}
	return weigh(t)
}

// weigh tallies the evidence by kind of source and sets the verdict.
func weigh(t *Triangulation) *Triangulation {
	t.Tallies, t.Agreeing, t.Opposing = nil, 0, 0
	for _, b := range catalog.Bases() {
		k := Tally{Basis: b}
		for _, e := range t.Evidence {
			if e.Basis != b {
				continue
			}
			switch e.Supports {
			case catalog.Supports:
				k.Supports++
			case catalog.Against:
				k.Against++
			default:
				k.Neutral++
			}
		}
		switch k.Lean() {
		case catalog.Supports:
			t.Agreeing++
		case catalog.Against:
			t.Opposing++
		}
		t.Tallies = append(t.Tallies, k)
	}
	switch {
	case t.Agreeing > 0 && t.Opposing == 0:
		t.Verdict = Supported
		t.Strength = [...]Strength{Unclear, Weak, Moderate, Strong}[min(t.Agreeing, 3)]
	case t.Agreeing > 0:
		t.Verdict, t.Strength = Mixed, Unclear
	case t.Opposing > 0:
		t.Verdict, t.Strength = Contradicted, Unclear
	default:
		t.Verdict, t.Strength = NoEvidence, Unclear
	}
	return t
}

// CrossCutting weighs a conclusion that spans themes, such as the
// appendix's summary: it holds when the hypothesis of every theme it names
// is supported. It also says whether the needs from the dialogue all point
// the same way (the needs are much the same) and lists the differences
// between size classes the statistics show (the situations differ).
type CrossCutting struct {
	Conclusion *catalog.Conclusion
	Themes     []*Triangulation
	Holds      bool
	// Needs are the pack's needs; NeedsAgree is true when every one of
	// them supports the hypotheses it is tagged with.
	Needs      []*catalog.Need
	NeedsAgree bool
	// Spreads are the indicators with a difference between size classes.
	Spreads []*Indicator
}

func crossCutting(pack *catalog.Pack, c *catalog.Conclusion, themes []*Triangulation, inds []*Indicator) *CrossCutting {
	x := &CrossCutting{Conclusion: c, Needs: pack.Needs, NeedsAgree: len(pack.Needs) > 0}
	for _, id := range c.Themes {
		for _, t := range themes {
			if t.Theme.ID == id {
				x.Themes = append(x.Themes, t)
			}
		}
	}
	x.Holds = len(x.Themes) > 0
	for _, t := range x.Themes {
		if t.Verdict != Supported {
			x.Holds = false
		}
	}
	for _, n := range pack.Needs {
		for _, e := range n.Evidence {
			if e.Supports != catalog.Supports {
				x.NeedsAgree = false
			}
		}
	}
	for _, ind := range inds {
		if ind.Spread != nil {
			x.Spreads = append(x.Spreads, ind)
		}
	}
	return x
}
