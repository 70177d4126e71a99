package web

import (
	"context"
	"slices"

	"github.com/grunnlag/grunnlag/internal/analysis"
	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/survey"
)

// The profile's SSB context: for each principle of the round that the
// pack links indicators to directly, SSB's newest figure for the whole
// country and, where the table gives size classes, for the class the
// organisation's register population places it in. The class is picked as
// «Hvor står vi?» picks it (standingClasses, standingOf), from the table's
// own classes, which are finer than the round's peer groups.

// profileSSB is the SSB context of one principle.
type profileSSB struct {
	Principle string // "2.3 Ivareta en sikker konfigurasjon"
	Rows      []standingRow
}

// profileContext is the SSB context of the whole profile.
type profileContext struct {
	Principles []profileSSB
	// Class is the table's size class the organisation is in ("" when it
	// is not a municipality or its population fits no known class);
	// County says the figures are the county municipalities'.
	Class   string
	County  bool
	Message string // bokmål: why the figures cannot be shown now
}

// profileSSBContext gathers the SSB context of a round's principles for
// an organisation. Only indicators with a figure are shown; no figure is
// made up for one the analysis could not compute.
func (s *Server) profileSSBContext(ctx context.Context, round *survey.Round, org store.Organisation) profileContext {
	res, err := s.analysis(ctx)
	if err != nil {
		s.log.Error("analysis for the profile", "err", err)
		return profileContext{Message: "SSBs tall kunne ikke beregnes akkurat nå."}
	}
	out := profileContext{County: org.Kind == store.County}
	pop := catalog.Municipalities
	if out.County {
		pop = catalog.CountyMunicipalities
	}
	if org.Kind == store.Municipality {
		for _, c := range s.standingClasses(res, nil) {
			if c.Known && c.holds(org.Population) {
				out.Class = c.Label
				break
			}
		}
	}
	for _, c := range round.Categories {
		for _, p := range c.Principles {
			ps := profileSSB{Principle: p.ID + " " + p.Title}
			for _, ind := range res.Indicators {
				if ind.Def.Population != pop || ind.Status != analysis.OK || ind.Headline == nil || !slices.Contains(ind.Def.Principles, p.ID) {
					continue
				}
				ps.Rows = append(ps.Rows, profileSSBRow(ind, out.Class))
			}
			if len(ps.Rows) > 0 {
				out.Principles = append(out.Principles, ps)
			}
		}
	}
	return out
}

// profileSSBRow is an indicator's national figure and, when the
// organisation has a class, the class's figure as «Hvor står vi?» shows it.
func profileSSBRow(ind *analysis.Indicator, class string) standingRow {
	if class != "" {
		return standingOf(ind, class)
	}
	h := ind.Headline
	return standingRow{Title: ind.Def.Title, URL: indicatorPath(ind.Def.ID), National: analysis.Percent(h.Share), Year: h.Year}
}
