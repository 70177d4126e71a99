package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/internal/analysis"
	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/chart"
	"github.com/grunnlag/grunnlag/internal/store"
)

// The indicators come from package analysis, computed from the cached
// snapshots and kept until the next snapshot arrives. The analysis is a
// pure function of the pack and the snapshots, so caching it per cache
// generation is exact.

// cachedStore lets the analysis read snapshots through the cache.
type cachedStore struct{ s *Server }

func (c cachedStore) LatestSnapshot(ctx context.Context, tableID string) (*store.Snapshot, error) {
	return c.s.cache.latest(ctx, tableID)
}

func (c cachedStore) SnapshotAsOf(ctx context.Context, tableID string, t time.Time) (*store.Snapshot, error) {
	return c.s.cfg.Store.SnapshotAsOf(ctx, tableID, t)
}

// analysis returns the analysis of the newest snapshots.
func (s *Server) analysis(ctx context.Context) (*analysis.Result, error) {
	v, err := s.cache.get(ctx, "analysis", func(ctx context.Context) (any, error) {
		data, err := analysis.Load(ctx, cachedStore{s}, s.cfg.Pack, time.Time{})
		if err != nil {
			return nil, fmt.Errorf("analysis: %w", err)
		}
		return analysis.Analyze(s.cfg.Pack, data), nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*analysis.Result), nil
}

// indicatorPath is the address of an indicator's own page.
func indicatorPath(id string) string { return "/indikatorer/" + url.PathEscape(id) }

// indicatorSection returns the indicator cards of a theme, or of every
// theme when theme is "". An indicator that cannot be computed gets a card
// that says why; no number is ever made up.
func (s *Server) indicatorSection(ctx context.Context, theme string) indicatorSection {
	res, err := s.analysis(ctx)
	if err != nil {
		s.log.Error("analysis", "err", err)
		return indicatorSection{Message: "Indikatorene kunne ikke beregnes akkurat nå."}
	}
	sec := indicatorSection{Available: true}
	for i, ind := range res.Indicators {
		if theme != "" && !hasTheme(ind.Def.Evidence, theme) {
			continue
		}
		card := s.indicatorCard(fmt.Sprintf("ind-%d", i), ind)
		if card.Error != "" {
			sec.Pending = append(sec.Pending, card)
		} else {
			sec.Items = append(sec.Items, card)
		}
	}
	if len(sec.Items)+len(sec.Pending) == 0 {
		sec.Message = "Kunnskapspakken definerer ingen indikatorer her."
	}
	return sec
}

func hasTheme(evs []catalog.IndicatorEvidence, theme string) bool {
	for _, e := range evs {
		if e.Theme == theme {
			return true
		}
	}
	return false
}

// indicatorCard shows one indicator: the newest figure with its change and
// the appendix's year beside it, a chart of the trend (or the size
// classes), and links to the indicator's page and to the explorer view of
// the very cells it was computed from.
func (s *Server) indicatorCard(id string, ind *analysis.Indicator) indicatorCard {
	d := ind.Def
	c := indicatorCard{ID: d.ID, Title: d.Title, TableID: d.Table, PageURL: indicatorPath(d.ID)}
	for _, e := range d.Evidence {
		if t, ok := s.cfg.Pack.Theme(e.Theme); ok {
			c.Themes = append(c.Themes, *t)
		}
	}
	c.SourceURL = indicatorViewURL(ind)
	if ind.Status != analysis.OK || ind.Headline == nil {
		c.Error = ind.Problem
		if c.Error == "" {
			c.Error = "Indikatoren kunne ikke beregnes."
		}
		return c
	}
	h := ind.Headline
	seg := ind.SegmentOf(h)
	c.TableID = seg.Reading.Table
	c.Statement = ind.StatementText()
	if c.Statement == "" {
		c.Statement = ind.StatementMissing
	}
	c.Value = analysis.Percent(h.Share)
	c.Year = h.Year
	if prev, ok := ind.Previous(); ok {
		c.Change = analysis.Points(h.Share-prev.Share) + " siden " + prev.Year
	}
	c.Reference = analysis.ReferenceLine(ind)
	switch {
	case h.Published != nil:
		c.Published = analysis.PublishedNote(h.Published)
		c.Source = "Kilde: " + h.Published.Site() + " (tabell " + seg.Reading.Table + ")"
	case ind.Snapshot != nil:
		sn := ind.Snapshot
		src := analysis.TableSource(sn.TableID, sn.Title, sn.Source)
		c.Source = fmt.Sprintf("%s%s, oppdatert %s, hentet %s", strings.ToUpper(src[:1]), src[1:], ssbDate(sn.Updated, s.loc), norDate(sn.FetchedAt, s.loc))
	}
	c.Chart = indicatorChart(id, ind)
	return c
}

// indicatorChart draws the indicator over the years, or by size class
// when the table has fewer than two years with a value, with the report's
// chart package, so the dashboard and the report show the same charts.
// A series that changes table is drawn as a bar per year labelled with its
// table, so no line runs across the break.
func indicatorChart(id string, ind *analysis.Indicator) template.HTML {
	common := chart.Common{ID: id, Title: ind.Def.Title, Unit: "%", Decimals: 1, YLabel: "Andel",
		Source: "Kilde: " + chartSource(ind)}
	okPoints := 0
	for _, p := range ind.Trend {
		if p.OK {
			okPoints++
		}
	}
	var words []string
	if _, _, broken := ind.Break(); broken {
		c := &chart.Bars{Common: common}
		c.Title += " (brudd i serien)"
		c.XLabel, c.YLabel = "Andel", "År og tabell"
		for _, p := range ind.Trend {
			label := p.Year + " (tabell " + ind.SegmentOf(&p).Reading.Table + ")"
			c.Items = append(c.Items, chart.Item{Label: label, Value: p.Share, OK: p.OK})
			if p.OK {
				words = append(words, label+": "+analysis.Percent(p.Share))
			}
		}
		c.Desc = "Andelen over årene, med brudd i serien der tabellen skifter; tallene før og etter bruddet er ikke direkte sammenlignbare. " + strings.Join(words, ", ") + "."
		return template.HTML(c.SVG())
	}
	if okPoints >= 2 {
		c := &chart.Lines{Common: common}
		s := chart.Series{Name: "Andel"}
		for _, p := range ind.Trend {
			c.X = append(c.X, p.Year)
			s.Values = append(s.Values, p.Share)
			s.OK = append(s.OK, p.OK)
			if p.OK {
				words = append(words, p.Year+": "+analysis.Percent(p.Share))
			}
		}
		c.Series = []chart.Series{s}
		c.XLabel = "År"
		c.Desc = "Andelen over årene. " + strings.Join(words, ", ") + "."
		return template.HTML(chart.Card(c))
	}
	c := &chart.Bars{Common: common}
	c.XLabel, c.YLabel = "Andel", "Kommunestørrelse"
	for _, p := range append([]analysis.Point{*ind.Headline}, ind.Classes...) {
		label := p.Class
		if p.Total {
			label = "Alle"
		}
		c.Items = append(c.Items, chart.Item{Label: label, Value: p.Share, OK: p.OK, Total: p.Total})
		if p.OK {
			words = append(words, label+": "+analysis.Percent(p.Share))
		}
	}
	c.Desc = "Andelen etter kommunestørrelse i " + ind.Headline.Year + ". " + strings.Join(words, ", ") + "."
	return template.HTML(chart.Card(c))
}

// chartSource names where a chart's figures come from: SSB's tables, or
// the page of published figures.
func chartSource(ind *analysis.Indicator) string {
	var parts []string
	for _, seg := range ind.Segments {
		switch seg.Source {
		case analysis.FromSnapshot:
			parts = append(parts, analysis.TableSource(seg.Reading.Table, seg.Snapshot.Title, seg.Snapshot.Source))
		case analysis.FromPublished:
			parts = append(parts, analysis.PublishedNote(seg.Published[0])+" (tabell "+seg.Reading.Table+")")
		}
	}
	return strings.Join(parts, "; ")
}

// markParam is the explorer's query parameter that highlights cells by
// their flat index in the snapshot.
const markParam = "merk"

// indicatorViewURL returns the explorer view of the cells behind an
// indicator's newest figure: the selected categories kept, time across the
// columns and size classes down the rows, with the figure's cells marked.
// A figure read from a published page has no cells; the link goes to the
// table, which says whether it is stored.
func indicatorViewURL(ind *analysis.Indicator) string {
	table := ind.Def.Table
	if ind.Headline != nil {
		table = ind.SegmentOf(ind.Headline).Reading.Table
	}
	u := "/tabeller/" + url.PathEscape(table)
	if len(ind.Resolved) == 0 {
		return u
	}
	q := url.Values{}
	rows := 0
	for _, r := range ind.Resolved {
		switch r.Role {
		case analysis.RoleTime:
			q.Set("d."+r.ID, placeCol)
		case analysis.RoleSize:
			q.Set("d."+r.ID, placeRow)
			rows++
		case analysis.RoleSelect:
			place := placeFixed
			if len(r.Codes) > 1 {
				place = placeRow
				rows++
			}
			q.Set("d."+r.ID, place)
			for _, c := range r.Codes {
				q.Add("v."+r.ID, c)
			}
		default:
			q.Set("d."+r.ID, placeFixed)
		}
	}
	if h := ind.Headline; h != nil {
		for _, c := range h.Cells {
			q.Add(markParam, strconv.Itoa(c.Index))
		}
	}
	return u + "?" + q.Encode()
}

// apiIndicators lists every indicator with its figures and sources, in the
// form `grunnlag indicators --json` prints.
func (s *Server) apiIndicators(w http.ResponseWriter, r *http.Request) error {
	res, err := s.analysis(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res.Summaries())
}
