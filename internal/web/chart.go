package web

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// chartKind is the form of a chart.
type chartKind int

const (
	barChart  chartKind = iota // grouped bars, one group per category
	lineChart                  // one line per series over the categories (time)
)

// chartSpec describes a chart of a table view, drawn as inline SVG. The
// indicators use the report's package chart; a view needs more than it
// draws (many series of grouped bars, negative values, any unit), so this
// small renderer draws views. The explorer's table next to each chart holds
// the same numbers for those who cannot see it.
type chartSpec struct {
	ID         string // unique on the page; prefixes the ids of title and desc
	Title      string
	Desc       string // the text alternative: what the chart shows
	Categories []string
	Series     []chartSeries
	Kind       chartKind
	YLabel     string
	Source     string // "Kilde: Statistisk sentralbyrå, tabell 12041"
	Compact    bool   // a small chart: lower, without legend
}

type chartSeries struct {
	Name   string
	Values []float64
	OK     []bool // false: no value (a gap)
}

// colour returns the colour of series i: Okabe and Ito's colour-blind-safe
// palette, the darker colours first so the first series keep contrast
// against white.
func colour(i int) string {
	return [maxSeries]string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#B8A200"}[i%maxSeries]
}

// maxSeries is the most series a chart draws (one per colour); the
// explorer says when it leaves some out.
const maxSeries = 8

const (
	chartW      = 720
	chartH      = 360
	compactW    = 420 // a card's chart: narrower, so its text stays readable on a phone
	compactH    = 200
	marginLeft  = 72
	marginRight = 16
	marginTop   = 40
	xLabelSpace = 40
	legendRow   = 20
)

// svg draws the chart. Every text is escaped; the result is safe to put in
// a page as template.HTML.
func (c chartSpec) svg() template.HTML {
	var b strings.Builder
	series := c.Series
	if len(series) > maxSeries {
		series = series[:maxSeries]
	}
	w, h := chartW, chartH
	if c.Compact {
		w, h = compactW, compactH
	}
	legendLines := 0
	var legend []legendItem
	if len(series) > 1 && (!c.Compact || len(series) <= 4) {
		legend, legendLines = layoutLegend(series, w-marginLeft-marginRight)
	}
	sourceSpace := 0
	if c.Source != "" {
		sourceSpace = 18
	}
	totalH := h + legendLines*legendRow + sourceSpace
	plotTop, plotBottom := marginTop, h-xLabelSpace
	if c.Compact {
		plotTop = 12 // the card's heading names the chart
	}
	plotLeft, plotRight := marginLeft, w-marginRight
	titleID, descID := c.ID+"-tittel", c.ID+"-beskrivelse"

	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-labelledby="%s %s" xmlns="http://www.w3.org/2000/svg">`,
		w, totalH, esc(titleID), esc(descID))
	fmt.Fprintf(&b, `<title id="%s">%s</title><desc id="%s">%s</desc>`, esc(titleID), esc(c.Title), esc(descID), esc(c.Desc))
	fmt.Fprintf(&b, `<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>`, w, totalH)
	if !c.Compact {
		fmt.Fprintf(&b, `<text class="chart-title" x="%d" y="20" font-size="15" font-weight="600" fill="#1a1a1a">%s</text>`, plotLeft-60, esc(shorten(c.Title, 90)))
	}

	lo, hi, ok := extent(series)
	if !ok {
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="14" fill="#444444">Ingen verdier å vise.</text></svg>`, plotLeft, (plotTop+plotBottom)/2)
		return template.HTML(b.String())
	}
	ticks := niceTicks(lo, hi, 5)
	ymin, ymax := ticks[0], ticks[len(ticks)-1]
	y := func(v float64) float64 {
		return float64(plotBottom) - (v-ymin)/(ymax-ymin)*float64(plotBottom-plotTop)
	}
	decimals := tickDecimals(ticks)
	// Grid lines and y labels.
	for _, t := range ticks {
		yy := y(t)
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#d0d0d0" stroke-width="1"/>`, plotLeft, plotRight, yy, yy)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" font-size="12" text-anchor="end" fill="#333333">%s</text>`, plotLeft-6, yy+4, esc(axisNumber(t, decimals)))
	}
	if c.YLabel != "" && !c.Compact {
		fmt.Fprintf(&b, `<text x="14" y="%d" font-size="12" fill="#333333" transform="rotate(-90 14 %d)" text-anchor="middle">%s</text>`,
			(plotTop+plotBottom)/2, (plotTop+plotBottom)/2, esc(shorten(c.YLabel, 40)))
	}
	// Baseline at zero (or the bottom when every value is above zero).
	base := y(math.Max(ymin, math.Min(0, ymax)))
	fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#333333" stroke-width="1"/>`, plotLeft, plotRight, base, base)

	n := len(c.Categories)
	band := float64(plotRight-plotLeft) / float64(max(n, 1))
	center := func(i int) float64 { return float64(plotLeft) + band*(float64(i)+0.5) }

	switch c.Kind {
	case lineChart:
		for si, s := range series {
			color := colour(si)
			var path strings.Builder
			pen := false
			for i := 0; i < n && i < len(s.Values); i++ {
				if !s.OK[i] {
					pen = false
					continue
				}
				cmd := "L"
				if !pen {
					cmd = "M"
				}
				fmt.Fprintf(&path, "%s%.1f %.1f ", cmd, center(i), y(s.Values[i]))
				pen = true
			}
			if path.Len() > 0 {
				fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="%s" stroke-width="2.5"/>`, strings.TrimSpace(path.String()), color)
			}
			for i := 0; i < n && i < len(s.Values); i++ {
				if s.OK[i] {
					fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"><title>%s</title></circle>`,
						center(i), y(s.Values[i]), color, esc(pointLabel(s.Name, c.Categories[i], s.Values[i])))
				}
			}
		}
	default:
		groupW := band * 0.8
		barW := groupW / float64(len(series))
		for si, s := range series {
			color := colour(si)
			for i := 0; i < n && i < len(s.Values); i++ {
				if !s.OK[i] {
					continue
				}
				x := float64(plotLeft) + band*float64(i) + band*0.1 + barW*float64(si)
				top, bottom := y(s.Values[i]), base
				if top > bottom {
					top, bottom = bottom, top
				}
				fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s</title></rect>`,
					x, top, math.Max(barW-1, 1), math.Max(bottom-top, 0.5), color, esc(pointLabel(s.Name, c.Categories[i], s.Values[i])))
			}
		}
	}

	// Category labels: every k-th, so they do not overlap.
	every := labelStep(c.Categories, band)
	for i, cat := range c.Categories {
		if i%every != 0 {
			continue
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="12" text-anchor="middle" fill="#333333">%s</text>`,
			center(i), plotBottom+18, esc(shorten(cat, int(band*float64(every)/7)+1)))
	}
	// Legend.
	ly := h + 4
	for _, it := range legend {
		yy := ly + it.line*legendRow
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="12" height="12" fill="%s"/>`, plotLeft+it.x, yy, it.color)
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" fill="#1a1a1a">%s</text>`, plotLeft+it.x+16, yy+10, esc(it.text))
	}
	if c.Source != "" {
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11" fill="#444444">%s</text>`, plotLeft-60, totalH-5, esc(shorten(c.Source, (w-12)/6)))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

type legendItem struct {
	x, line int
	color   string
	text    string
}

// layoutLegend places one swatch and name per series, wrapping lines to
// the given width. Text width is estimated at 7 units per character.
func layoutLegend(series []chartSeries, width int) ([]legendItem, int) {
	var items []legendItem
	x, line := 0, 0
	for i, s := range series {
		text := shorten(s.Name, 40)
		w := 16 + 7*utf8.RuneCountInString(text) + 16
		if x > 0 && x+w > width {
			x, line = 0, line+1
		}
		items = append(items, legendItem{x: x, line: line, color: colour(i), text: text})
		x += w
	}
	return items, line + 1
}

// extent returns the smallest and largest value of the series.
func extent(series []chartSeries) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for i, v := range s.Values {
			if i < len(s.OK) && s.OK[i] && !math.IsNaN(v) && !math.IsInf(v, 0) {
				lo, hi, ok = math.Min(lo, v), math.Max(hi, v), true
			}
		}
	}
	return lo, hi, ok
}

// niceTicks returns about n round tick values that cover lo..hi and zero.
func niceTicks(lo, hi float64, n int) []float64 {
	lo, hi = math.Min(lo, 0), math.Max(hi, 0)
	if lo == hi {
		hi = lo + 1
	}
	step := niceStep((hi - lo) / float64(n))
	first, last := math.Floor(lo/step), math.Ceil(hi/step)
	// Round each tick to the step's decimals, so 3 × 0.2 is 0.6.
	scale := math.Pow(10, math.Max(0, 1-math.Floor(math.Log10(step))))
	var out []float64
	for k := first; k <= last; k++ {
		out = append(out, math.Round(k*step*scale)/scale)
	}
	if len(out) < 2 {
		out = append(out, out[0]+step)
	}
	return out
}

// niceStep rounds a raw step up to 1, 2, 2.5 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 || math.IsNaN(raw) || math.IsInf(raw, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if raw <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// tickDecimals is the number of decimals the ticks need.
func tickDecimals(ticks []float64) int {
	if len(ticks) < 2 {
		return 0
	}
	step := math.Abs(ticks[1] - ticks[0])
	d := 0
	for step < 1 && d < 6 {
		step *= 10
		d++
	}
	if step != math.Trunc(step) && d < 6 {
		d++
	}
	return d
}

// axisNumber formats a tick the Norwegian way: "1 500", "2,5".
func axisNumber(v float64, decimals int) string {
	return norNumber(v, decimals, true)
}

// norNumber formats v with decimal comma, and spaces between thousands when
// group is true. decimals < 0 means as many as needed.
func norNumber(v float64, decimals int, group bool) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	if neg && strings.Trim(s, "0.") != "" {
		b.WriteString("−")
	}
	if group && len(intPart) > 4 {
		for i, r := range intPart {
			if i > 0 && (len(intPart)-i)%3 == 0 {
				b.WriteRune('\u00a0')
			}
			b.WriteRune(r)
		}
	} else {
		b.WriteString(intPart)
	}
	if hasFrac {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}

func pointLabel(series, category string, v float64) string {
	num := norNumber(v, -1, true)
	if series == "" {
		return category + ": " + num
	}
	return series + ", " + category + ": " + num
}

// labelStep returns k such that every k-th category label fits.
func labelStep(cats []string, band float64) int {
	longest := 1
	for _, c := range cats {
		longest = max(longest, min(utf8.RuneCountInString(c), 14))
	}
	need := float64(longest*7 + 8)
	k := 1
	for band*float64(k) < need && k < len(cats) {
		k++
	}
	return k
}

// shorten cuts s to at most n characters, with an ellipsis.
func shorten(s string, n int) string {
	if n < 2 {
		n = 2
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func esc(s string) string { return html.EscapeString(s) }
