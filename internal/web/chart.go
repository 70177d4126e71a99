package web

import (
	"fmt"
	"html/template"
	"math"
	"strings"

	"github.com/grunnlag/grunnlag/internal/chart"
	"github.com/grunnlag/grunnlag/internal/pivot"
)

// The explorer and the dashboard draw a table view with the one chart
// package the report uses. The chart chooses its form from the view:
//
//   - when the view shows three or more periods, a line per combination of
//     the other dimensions, along a true time axis (lines only ever run
//     along time, never across categories of another dimension);
//   - otherwise horizontal bars: one group per row, one bar per column,
//     each with its value written beside it.
//
// Too many series to read are not silently dropped: the chart draws the
// first ones and says "viser N av M", and the explorer offers to draw all.

// chartLimits is how much a chart draws.
type chartLimits struct {
	Series int // lines, or bars per category
	Groups int // categories of a bar chart
}

var (
	defaultLimits = chartLimits{Series: 8, Groups: 30}
	compactLimits = chartLimits{Series: 4, Groups: 12}
	// allLimits is what "vis alle" draws; beyond it a chart would be
	// unreadable and the page too large, and the table has the rest.
	allLimits = chartLimits{Series: 60, Groups: maxPageRows}
)

// viewChartResult is a drawn chart and what it left out.
type viewChartResult struct {
	SVG   template.HTML
	Lines bool // a line chart along time
	// Shown and Total count what the chart draws against what the view
	// has: series for lines and bars with several, categories otherwise.
	Shown, Total int
	What         string // "serier" or "kategorier"
	Note         string // bokmål: "Diagrammet viser 8 av 20 serier …"; "" when all are drawn
}

// Cut reports whether the chart leaves something out.
func (r viewChartResult) Cut() bool { return r.Shown < r.Total }

// viewChart draws the chart of a view. compact draws only the narrow
// drawing, for a dashboard card.
func viewChart(id string, v *tableView, lim chartLimits, compact bool) viewChartResult {
	t := v.Pivot
	unitLabel, unit, decimals := viewUnit(v)
	common := chart.Common{ID: id, Title: chartTitle(v), Unit: unit, Decimals: decimals,
		Source: "Kilde: " + v.Publisher + ", tabell " + v.TableID}
	var c chart.Chart
	res := viewChartResult{}
	if x, series, ok := alongTime(t, v.TimeDim); ok {
		common.YLabel = unitLabel
		res.Lines, res.What, res.Total = true, "serier", len(series)
		if len(series) > lim.Series {
			series = series[:lim.Series]
		}
		res.Shown = len(series)
		lc := &chart.Lines{Common: common, X: x, Series: series}
		lc.Desc = chartDesc("Linjediagram", len(x), "tidspunkt", "tidspunkter", res, v)
		c = lc
	} else {
		common.XLabel = unitLabel
		cats, series := asBars(t)
		res.What, res.Total = "serier", len(series)
		if len(series) == 1 {
			res.What, res.Total = "kategorier", len(cats)
		}
		if len(series) > lim.Series {
			series = series[:lim.Series]
		}
		if len(cats) > lim.Groups {
			if res.What == "serier" {
				res.What, res.Total = "kategorier", len(cats)
			}
			cats = cats[:lim.Groups]
			for i := range series {
				series[i].Values, series[i].OK = series[i].Values[:lim.Groups], series[i].OK[:lim.Groups]
			}
		}
		res.Shown = len(series)
		if res.What == "kategorier" {
			res.Shown = len(cats)
		}
		bc := &chart.Bars{Common: common, Categories: cats, Series: series}
		bc.Desc = chartDesc("Stolpediagram", len(cats), "kategori", "kategorier", res, v)
		c = bc
	}
	if res.Cut() {
		res.Note = fmt.Sprintf("Diagrammet viser %d av %d %s; tabellen under har alle.", res.Shown, res.Total, res.What)
	}
	if compact {
		res.SVG = template.HTML(chart.Card(c))
	} else {
		res.SVG = template.HTML(chart.Responsive(c))
	}
	return res
}

// chartTitle is the view's title with the categories it holds fixed.
func chartTitle(v *tableView) string {
	var fixed []string
	for _, f := range v.Pivot.Fixed {
		fixed = append(fixed, f.Category.Label)
	}
	if len(fixed) == 0 {
		return v.Title
	}
	return v.Title + ". " + strings.Join(fixed, ", ")
}

func chartDesc(kind string, n int, one, many string, res viewChartResult, v *tableView) string {
	what := "serie"
	if res.Shown != 1 {
		what = "serier"
	}
	if res.What == "kategorier" {
		what = many
	}
	d := fmt.Sprintf("%s over %s med %d %s.", kind, plural(n, one, many), res.Shown, what)
	if res.Cut() {
		d += fmt.Sprintf(" Viser %d av %d %s.", res.Shown, res.Total, res.What)
	}
	return d + " Tallene står i tabellen under diagrammet."
}

// alongTime returns the periods and one series per combination of the
// other dimensions, when the view has three or more periods; ok is false
// otherwise.
func alongTime(t *pivot.Table, timeDim string) (x []string, series []chart.Series, ok bool) {
	if timeDim == "" {
		return nil, nil, false
	}
	rowT, colT := dimIndex(t.Rows, timeDim), dimIndex(t.Cols, timeDim)
	if rowT < 0 && colT < 0 {
		return nil, nil, false
	}
	// The periods, in the order the view shows them.
	pos := map[string]int{}
	add := func(labels []string, k int) {
		if _, seen := pos[labels[k]]; !seen {
			pos[labels[k]] = len(x)
			x = append(x, labels[k])
		}
	}
	if rowT >= 0 {
		for _, l := range t.Rows.Labels {
			add(l, rowT)
		}
	} else {
		for _, l := range t.Cols.Labels {
			add(l, colT)
		}
	}
	if len(x) < 3 {
		return nil, nil, false
	}
	byName := map[string]int{}
	for r := range t.Cells {
		for c := range t.Cells[r] {
			var parts []string
			period := ""
			for k, l := range t.Rows.Labels[r] {
				if k == rowT {
					period = l
				} else {
					parts = append(parts, l)
				}
			}
			if c < len(t.Cols.Labels) {
				for k, l := range t.Cols.Labels[c] {
					if k == colT {
						period = l
					} else {
						parts = append(parts, l)
					}
				}
			}
			name := strings.Join(parts, " – ")
			i, seen := byName[name]
			if !seen {
				i = len(series)
				byName[name] = i
				series = append(series, chart.Series{Name: name, Values: make([]float64, len(x)), OK: make([]bool, len(x))})
			}
			cell := t.Cells[r][c]
			p := pos[period]
			if cell.OK && !math.IsNaN(cell.Value) {
				series[i].Values[p], series[i].OK[p] = cell.Value, true
			}
		}
	}
	return x, series, true
}

// asBars returns one category per row and one series per column; a view
// with one row and several columns becomes one series over the columns.
func asBars(t *pivot.Table) ([]string, []chart.Series) {
	join := func(l []string) string { return strings.Join(l, " – ") }
	if len(t.Cells) == 1 && len(t.Cols.Labels) > 1 {
		s := chart.Series{Name: join(t.Rows.Labels[0])}
		var cats []string
		for c, l := range t.Cols.Labels {
			cats = append(cats, join(l))
			cell := t.Cells[0][c]
			s.Values, s.OK = append(s.Values, cell.Value), append(s.OK, cell.OK)
		}
		return cats, []chart.Series{s}
	}
	var cats []string
	for _, l := range t.Rows.Labels {
		cats = append(cats, join(l))
	}
	if len(cats) == 0 {
		cats = []string{"Verdi"}
	}
	ncol := max(len(t.Cols.Labels), 1)
	series := make([]chart.Series, ncol)
	for c := range series {
		if c < len(t.Cols.Labels) {
			series[c].Name = join(t.Cols.Labels[c])
		}
		for r := range t.Cells {
			cell := pivot.Cell{}
			if c < len(t.Cells[r]) {
				cell = t.Cells[r][c]
			}
			series[c].Values = append(series[c].Values, cell.Value)
			series[c].OK = append(series[c].OK, cell.OK && !math.IsNaN(cell.Value))
		}
	}
	return cats, series
}

func dimIndex(a pivot.Axis, id string) int {
	for i, d := range a.Dims {
		if d.ID == id {
			return i
		}
	}
	return -1
}

// viewUnit returns the title of the value axis ("Prosent"), the unit
// written after values ("%" for per cent, else none) and the decimals:
// from the unit the dataset gives its statistic, when every value shown
// has the same; else "Verdi".
func viewUnit(v *tableView) (label, unit string, decimals int) {
	t := v.Pivot
	units := map[string]bool{}
	decimals = -1
	note := func(lbl string, dec *int) {
		units[strings.TrimSpace(lbl)] = true
		if dec != nil {
			decimals = max(decimals, *dec)
		}
	}
	found := false
	for _, f := range t.Fixed {
		if f.Dim.ID == v.MetricDim && f.Category.Unit != nil {
			note(f.Category.Unit.Label, f.Category.Unit.Decimals)
			found = true
		}
	}
	for _, a := range []pivot.Axis{t.Rows, t.Cols} {
		k := dimIndex(a, v.MetricDim)
		if k < 0 {
			continue
		}
		for _, codes := range a.Codes {
			for _, cat := range a.Dims[k].Categories {
				if cat.Code == codes[k] && cat.Unit != nil {
					note(cat.Unit.Label, cat.Unit.Decimals)
					found = true
				}
			}
		}
	}
	if decimals < 0 {
		decimals = cellDecimals(t)
	}
	if !found || len(units) != 1 {
		return "Verdi", "", decimals
	}
	var u string
	for k := range units {
		u = k
	}
	switch strings.ToLower(u) {
	case "", "verdi":
		return "Verdi", "", decimals
	case "prosent", "%", "percent", "per cent":
		return "Prosent", "%", decimals
	}
	r := []rune(u)
	return strings.ToUpper(string(r[:1])) + string(r[1:]), "", decimals
}

// cellDecimals returns the decimals the view's values need: the most any
// cell's source gives, else one when some value has a fraction.
func cellDecimals(t *pivot.Table) int {
	d, frac := -1, false
	for _, row := range t.Cells {
		for _, c := range row {
			d = max(d, c.Decimals)
			if c.OK && c.Value != math.Trunc(c.Value) {
				frac = true
			}
		}
	}
	if d >= 0 {
		return min(d, 3)
	}
	if frac {
		return 1
	}
	return 0
}
