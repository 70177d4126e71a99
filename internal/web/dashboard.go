package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// maxTableCards is the most tables the dashboard draws a chart for.
const maxTableCards = 12

// dashboard is the situational picture: how fresh the statistics are, the
// key indicators, the themes and the stored tables.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ts, err := s.tableStatuses(ctx)
	if err != nil {
		return err
	}
	p := &dashboardPage{Fresh: s.freshnessOf(ts), Themes: s.themeCards(), Counts: s.packCounts(), Sync: s.sync.snapshot()}
	p.setBase("Situasjonsbilde", "oversikt")
	p.Indicators = s.indicatorSection(ctx, "")
	if p.Summary, err = s.summaryBand(ctx); err != nil {
		s.log.Error("summary band", "err", err) // the cards below say what is missing
	}
	for _, t := range ts {
		if !t.Stored || len(p.Tables) == maxTableCards {
			continue
		}
		card, err := s.tableCard(ctx, t)
		if err != nil {
			return err
		}
		p.Tables = append(p.Tables, card)
	}
	return s.render(w, http.StatusOK, p)
}

// tableCard draws the default view of a table as a small chart, cached
// with the snapshot.
func (s *Server) tableCard(ctx context.Context, t tableStatus) (tableCard, error) {
	card := tableCard{ID: t.ID, Title: t.Title, Updated: t.Updated, FetchedAt: t.FetchedAt}
	bv, err := s.view(ctx, t.ID, url.Values{})
	if tl := (*viewTooLarge)(nil); fault.Is(err, fault.NotFound) || errors.As(err, &tl) {
		return card, nil // stored without values, or too large to draw: no chart
	}
	if err != nil {
		return card, err
	}
	v, err := s.cache.get(ctx, fmt.Sprintf("card:%d", bv.Snapshot.ID), func(context.Context) (any, error) {
		ch := viewChart("tabell-"+t.ID, bv.View, compactLimits, true)
		return [2]any{ch.SVG, ch.Note}, nil
	})
	if err != nil {
		return card, err
	}
	pair := v.([2]any)
	card.Chart, card.Caption = pair[0].(template.HTML), pair[1].(string)
	return card, nil
}

func (s *Server) packCounts() packCounts {
	pk := s.cfg.Pack
	c := packCounts{Documents: len(pk.Documents), Findings: len(pk.Findings), Activities: len(pk.Activities),
		Needs: len(pk.Needs), Themes: len(pk.Themes), Principles: len(pk.Principles), Measures: len(pk.Measures)}
	for _, g := range pk.DocumentGroups() {
		c.Kinds = append(c.Kinds, kindCount{Heading: g.Kind.Heading, ID: g.Kind.ID, N: len(g.Documents)})
	}
	return c
}
