package web

import (
	"fmt"
	"net/http"

	"github.com/grunnlag/grunnlag/internal/analysis"
)

// indicatorListPage lists every indicator with its newest figure.
type indicatorListPage struct {
	base
	Rows    []indicatorRow
	Message string // bokmål, when the indicators cannot be computed
}

func (*indicatorListPage) template() string { return "indicators" }

// indicatorRow is one indicator in the list.
type indicatorRow struct {
	Card indicatorCard
}

// indicatorDetailPage shows one indicator with every step of its figures:
// the definition, the categories it resolved to, the cells with their
// labels and dates, the arithmetic, the count and its source, the
// appendix's reading held against it, and a link to the explorer with the
// cells marked.
type indicatorDetailPage struct {
	base
	Card        indicatorCard
	X           *analysis.Explanation
	ExplorerURL string // the explorer view with the cells marked; "" for published figures
	PackRef     string // where the definition is written in the pack
}

func (*indicatorDetailPage) template() string { return "indicator" }

func (s *Server) indicatorList(w http.ResponseWriter, r *http.Request) error {
	p := &indicatorListPage{}
	p.setBase("Indikatorer", "oversikt")
	res, err := s.analysis(r.Context())
	if err != nil {
		s.log.Error("analysis", "err", err)
		p.Message = "Indikatorene kunne ikke beregnes akkurat nå."
		return s.render(w, http.StatusOK, p)
	}
	for i, ind := range res.Indicators {
		card := s.indicatorCard(fmt.Sprintf("liste-%d", i), ind)
		card.Chart = ""
		p.Rows = append(p.Rows, indicatorRow{Card: card})
	}
	return s.render(w, http.StatusOK, p)
}

func (s *Server) indicatorPage(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	res, err := s.analysis(r.Context())
	if err != nil {
		return err
	}
	ind, ok := res.Indicator(id)
	if !ok {
		return notFoundEntry("indikator", id)
	}
	p := &indicatorDetailPage{
		Card:    s.indicatorCard("indikator-figur", ind),
		X:       analysis.Explain(s.cfg.Pack, ind),
		PackRef: analysis.PackRef(ind.Def.Origin),
	}
	if ind.Headline != nil && len(ind.Headline.Cells) > 0 {
		p.ExplorerURL = indicatorViewURL(ind)
	}
	p.setBase(ind.Def.Title, "oversikt")
	return s.render(w, http.StatusOK, p)
}
