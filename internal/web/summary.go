package web

import (
	"context"
	"fmt"
	"sort"

	"github.com/grunnlag/grunnlag/internal/analysis"
)

// summaryTheme is one theme of the front page's summary band: its key
// figures, one row per indicator that could be computed.
type summaryTheme struct {
	ID, Title string
	Rows      []summaryRow
	// More counts the theme's computed figures left out of the band; the
	// theme's page shows them all.
	More int
}

// summaryPerTheme caps the rows per theme so the band fits one laptop
// screen (1280 × 800) with five themes.
const summaryPerTheme = 3

// summaryRow is one key figure: the newest value with its year, the
// change since the previous measurement of the same table, and the
// appendix's figure as reference.
type summaryRow struct {
	Title, URL  string
	Value, Year string
	// Arrow is ▲, ▼ or = for the change; Change says it in words
	// ("+2,3 prosentpoeng siden 2019"), "" when there is no earlier year.
	Arrow, Change string
	// Reference is the appendix's figure ("17,4 % i 2021"), "" when the
	// definition names no year or the table lacks it.
	Reference string
}

// summaryBand returns the key figures of every theme, each indicator under
// the first theme it is evidence for, in the pack's order; per theme the
// newest few. Indicators that
// cannot be computed are left out here; their cards further down say why.
func (s *Server) summaryBand(ctx context.Context) ([]summaryTheme, error) {
	res, err := s.analysis(ctx)
	if err != nil {
		return nil, err
	}
	var out []summaryTheme
	at := map[string]int{}
	for _, t := range s.cfg.Pack.Themes {
		at[t.ID] = len(out)
		out = append(out, summaryTheme{ID: t.ID, Title: t.Title})
	}
	for _, ind := range res.Indicators {
		if ind.Status != analysis.OK || ind.Headline == nil || len(ind.Def.Evidence) == 0 {
			continue
		}
		i, ok := at[ind.Def.Evidence[0].Theme]
		if !ok {
			continue
		}
		out[i].Rows = append(out[i].Rows, summaryOf(ind))
	}
	kept := out[:0]
	for _, t := range out {
		if len(t.Rows) == 0 {
			continue
		}
		t.Rows, t.More = newestRows(t.Rows, summaryPerTheme)
		kept = append(kept, t)
	}
	return kept, nil
}

// newestRows keeps the n rows with the newest year, in their original
// (the pack's) order, and says how many were left out.
func newestRows(rows []summaryRow, n int) ([]summaryRow, int) {
	if len(rows) <= n {
		return rows, 0
	}
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return rows[idx[a]].Year > rows[idx[b]].Year })
	idx = idx[:n]
	sort.Ints(idx)
	out := make([]summaryRow, 0, n)
	for _, i := range idx {
		out = append(out, rows[i])
	}
	return out, len(rows) - n
}

// summaryOf is an indicator's row of the summary band.
func summaryOf(ind *analysis.Indicator) summaryRow {
	h := ind.Headline
	r := summaryRow{Title: ind.Def.Title, URL: indicatorPath(ind.Def.ID), Value: analysis.Percent(h.Share), Year: h.Year}
	if prev, ok := ind.Previous(); ok {
		d := h.Share - prev.Share
		switch {
		case analysis.Number(d, 1) == "0,0": // rounds to no change (Number gives it no sign)
			r.Arrow = "="
		case d > 0:
			r.Arrow = "▲"
		default:
			r.Arrow = "▼"
		}
		r.Change = analysis.Points(d) + " siden " + prev.Year
	}
	if ref := ind.Reference; ref != nil && ref.OK {
		r.Reference = fmt.Sprintf("%s i %s", analysis.Percent(ref.Share), ref.Year)
	}
	return r
}
