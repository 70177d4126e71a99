package analysis

import (
	"fmt"
	"math"

	"github.com/grunnlag/grunnlag/internal/catalog"
)

// AppendixCheck holds the table's figure for the appendix's year against
// the appendix's own reading of it (a finding: "mer enn 60 kommuner",
// "84,8 %"), so a report can say whether the data reproduces the appendix.
type AppendixCheck struct {
	Finding *catalog.Finding
	// Known is false when the check cannot be made: no figure for the
	// year, no number of municipalities, or a finding without a value.
	Known bool
	// Holds is true when the figure satisfies the reading.
	Holds bool
	// Value is what was compared: the number of municipalities for a
	// reading in antall, the share for one in prosent.
	Value float64
	Unit  catalog.Unit
	// Why says in bokmål why the check could not be made.
	Why string
}

// check holds the figure of the appendix's year against the appendix's
// reading of it.
func check(pack *catalog.Pack, ind *Indicator) *AppendixCheck {
	def, ref := ind.Def, ind.Reference
	if def.Appendix == nil || def.Appendix.Finding == "" {
		return nil
	}
	f, ok := pack.Finding(def.Appendix.Finding)
	if !ok {
		return nil
	}
	c := &AppendixCheck{Finding: f}
	switch {
	case f.Value == nil:
		c.Why = "vedleggets lesning oppgir ikke et tall"
	case ref == nil && ind.ReferenceMissing != "":
		c.Why = ind.ReferenceMissing
	case ref == nil:
		c.Why = fmt.Sprintf("tabellen gir ikke tallet for %d", def.Appendix.Year)
	case f.Value.Unit == catalog.Number && ref.Estimate == nil:
		c.Why = "antallet kommuner kan ikke beregnes: " + ref.EstimateMissing
	case f.Value.Unit == catalog.Number:
		c.Known, c.Unit, c.Value = true, catalog.Number, ref.Estimate.Exact
	case f.Value.Unit == catalog.Percent:
		c.Known, c.Unit, c.Value = true, catalog.Percent, ref.Share
	default:
		c.Why = "vedleggets tall er verken en andel eller et antall"
	}
	if c.Known {
		c.Holds = satisfies(c.Value, f.Value.Op, f.Value.Value)
	}
	return c
}

// satisfies reports whether v meets the bound "op bound". An exact reading
// ("84,8 %") holds when v rounds to it at the bound's decimals.
func satisfies(v float64, op catalog.Op, bound float64) bool {
	switch op {
	case catalog.Less:
		return v < bound
	case catalog.Greater:
		return v > bound
	case catalog.LessEqual:
		return v <= bound
	case catalog.GreaterEqual:
		return v >= bound
	}
	scale := 1.0
	for b := bound; math.Abs(b-math.Round(b)) > 1e-9 && scale < 1e6; b *= 10 {
		scale *= 10
	}
	return math.Round(v*scale) == math.Round(bound*scale)
}
