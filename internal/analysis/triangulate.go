package analysis

import (
	"strings"

	"github.com/grunnlag/grunnlag/internal/catalog"
)

// Evidence is one piece of evidence for a theme: a finding, a need or a
// computed indicator, with the kind of source it rests on and the
// direction it points in. For a finding or need the direction is the
// pack's tag; for an indicator it follows from its newest value by the
// rule of its definition.
type Evidence struct {
	Ref       catalog.Ref
	Basis     catalog.Basis
	Supports  catalog.Direction
	Summary   string
	Notes     string
	Entry     catalog.Entry // the finding or need; nil for an indicator
	Indicator *Indicator    // the indicator; nil for a finding or need
	// Rule is the indicator's evidence entry for the theme, with the
	// threshold its value was held against.
	Rule *catalog.IndicatorEvidence
}

// Lean is the direction one kind of source points in.
type Lean string

// The leans of a kind of source.
const (
	LeanSupports Lean = "støtter"       // more of its evidence supports the hypothesis than speaks against it
	LeanAgainst  Lean = "taler-mot"     // more speaks against it than supports it
	LeanSplit    Lean = "spriker"       // as much supports it as speaks against it
	LeanNeutral  Lean = "ingen-retning" // it has evidence, all of it neutral
	LeanMissing  Lean = "mangler"       // it has no evidence at all
)

// Tally counts the evidence of one kind of source by direction.
type Tally struct {
	Basis                      catalog.Basis
	Supports, Against, Neutral int
	// Missing counts, for statistics, the indicators of the theme that
	// have no value: statistics that are lacking, not evidence.
	Missing int
}

// Lean says which way the kind of source points; see the constants.
func (t Tally) Lean() Lean {
	switch {
	case t.Supports > t.Against:
		return LeanSupports
	case t.Against > t.Supports:
		return LeanAgainst
	case t.Supports > 0:
		return LeanSplit
	case t.Neutral > 0:
		return LeanNeutral
	}
	return LeanMissing
}

// Verdict is what the triangulation says about a theme's hypothesis.
type Verdict string

// The verdicts.
const (
	Supported    Verdict = "underbygget"      // at least one kind of source supports it, none speaks against
	Mixed        Verdict = "sprikende"        // kinds of source point in different directions
	Contradicted Verdict = "ikke-underbygget" // the kinds that lean, lean against it
	NoEvidence   Verdict = "uten-grunnlag"    // no kind leans either way
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
	Theme *catalog.Theme
	// Evidence is what is counted: document findings, dialogue findings
	// and indicators with a value, in that order, each in pack order.
	Evidence []Evidence
	// Readings are the appendix's own readings of the SSB tables (findings
	// of basis statistikk): shown, attributed to the appendix, not counted,
	// since the appendix cannot be evidence for its own hypothesis.
	Readings []Evidence
	// Needs are the needs from the workshops tagged with the theme: what
	// the municipalities asked for, shown as context and not counted.
	Needs []Evidence
	// LeftOut are indicators of the theme that have no value; they are
	// missing data, not evidence.
	LeftOut []*Indicator
	Tallies []Tally // dokument, statistikk, dialog, in that order
	// Agreeing, Opposing and Split count the kinds of source that lean
	// towards the hypothesis, against it, and both ways equally.
	Agreeing, Opposing, Split int
	Verdict                   Verdict
	Strength                  Strength
}

// Text states the verdict and its strength in bokmål, in words without
// figures, naming what the kinds of source that do not agree do:
// "Hypotesen er underbygget med moderat styrke: to av tre kildetyper
// (dokumentene og dialogen) peker i samme retning; statistikk mangler."
func (t *Triangulation) Text() string {
	var agree, against, rest []string
	for _, k := range t.Tallies {
		switch k.Lean() {
		case LeanSupports:
			agree = append(agree, basisPlural(k.Basis))
		case LeanAgainst:
			against = append(against, basisPlural(k.Basis))
		default:
			rest = append(rest, leanText(k))
		}
	}
	tail := ""
	if len(rest) > 0 {
		tail = "; " + list(rest)
	}
	switch t.Verdict {
	case Supported:
		switch t.Strength {
		case Strong:
			return "Hypotesen er underbygget, og støtten er sterk: alle tre uavhengige kildetyper (" + list(agree) + ") peker i samme retning."
		case Moderate:
			return "Hypotesen er underbygget med moderat styrke: to av tre kildetyper (" + list(agree) + ") peker i samme retning" + tail + "."
		default:
			return "Hypotesen er svakt underbygget: bare én kildetype (" + list(agree) + ") støtter den" + tail + "."
		}
	case Mixed:
		return "Kildene spriker: " + list(agree) + " støtter hypotesen, mens " + list(against) + " taler mot den" + tail + "."
	case Contradicted:
		return "Hypotesen er ikke underbygget: " + list(against) + " taler mot den, og ingen kildetype støtter den" + tail + "."
	}
	return "Kildene gir ikke grunnlag for å vurdere hypotesen: " + list(rest) + "."
}

// leanText says what a kind of source that neither supports nor speaks
// against the hypothesis does.
func leanText(k Tally) string {
	switch k.Lean() {
	case LeanSplit:
		return basisPlural(k.Basis) + " spriker"
	case LeanNeutral:
		return basisPlural(k.Basis) + " peker ingen vei"
	}
	switch k.Basis {
	case catalog.FromStatistics:
		return "statistikk mangler"
	case catalog.FromDocument:
		return "dokumentfunn mangler"
	}
	return "funn fra dialogen mangler"
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
	var docs, dialog []Evidence
	for _, e := range pack.Evidence(theme.ID) {
		ev := Evidence{
			Ref: e.Entry.Ref(), Basis: e.Basis, Supports: e.Evidence.Supports,
			Summary: e.Entry.Summary(), Notes: e.Evidence.Notes, Entry: e.Entry,
		}
		switch {
		case e.Entry.Ref().Kind == catalog.KindNeed:
			t.Needs = append(t.Needs, ev)
		case e.Basis == catalog.FromStatistics:
			t.Readings = append(t.Readings, ev)
		case e.Basis == catalog.FromDocument:
			docs = append(docs, ev)
		default:
			dialog = append(dialog, ev)
		}
	}
	var stats []Evidence
	for _, ind := range inds {
		for i := range ind.Def.Evidence {
			e := &ind.Def.Evidence[i]
			if e.Theme != theme.ID {
				continue
			}
			if ind.Status != OK {
				t.LeftOut = append(t.LeftOut, ind)
				continue
			}
			stats = append(stats, Evidence{
				Ref: ind.Def.Ref(), Basis: catalog.FromStatistics, Supports: e.Direction(ind.Headline.Share),
				Summary: ind.Def.Title, Notes: e.Notes, Indicator: ind, Rule: e,
			})
		}
	}
	t.Evidence = append(append(docs, stats...), dialog...)
	return weigh(t)
}

// weigh tallies the evidence by kind of source and sets the verdict by
// these rules, each tested on its own:
//
//  1. A kind of source leans towards the hypothesis when more of its
//     evidence supports it than speaks against it, against it in the
//     reverse case, and splits when as much does both. A kind with only
//     neutral evidence, or none, leans nowhere.
//  2. The hypothesis is supported when at least one kind leans towards it
//     and none against it. A split kind does not count either way; the
//     text names it.
//  3. The strength of support is the number of kinds that agree: three is
//     sterk, two moderat, one svak.
//  4. When some kinds lean towards it and some against, the sources
//     disagree (sprikende); when only kinds against it lean, it is not
//     supported.
//  5. When no kind leans either way, including when there is no evidence
//     at all, the sources give no ground for a verdict.
func weigh(t *Triangulation) *Triangulation {
	t.Tallies, t.Agreeing, t.Opposing, t.Split = nil, 0, 0, 0
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
		if b == catalog.FromStatistics {
			k.Missing = len(t.LeftOut)
		}
		switch k.Lean() {
		case LeanSupports:
			t.Agreeing++
		case LeanAgainst:
			t.Opposing++
		case LeanSplit:
			t.Split++
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

// Contradictions returns the theme's indicators whose values speak
// against the hypothesis, in the order counted.
func (t *Triangulation) Contradictions() []Evidence {
	var out []Evidence
	for _, e := range t.Evidence {
		if e.Indicator != nil && e.Supports == catalog.Against {
			out = append(out, e)
		}
	}
	return out
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
