// Package chart draws the report's small charts as SVG by hand: horizontal
// bars (a share by size class) and lines (a share over the years). Each
// chart carries its title, axis titles, unit and source line in the image,
// and a text alternative for screen readers (<title> and <desc>, role="img",
// aria-labelledby). Colours come from the Okabe–Ito palette, which stays
// distinguishable with the common kinds of colour blindness; values are also
// written beside the marks, so nothing depends on colour alone.
//
// The output is a pure function of the input: the same chart gives the same
// bytes, so reports built twice are identical.
package chart

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Palette returns the Okabe–Ito colours in the order series use them.
func Palette() []string {
	return []string{"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"}
}

// Common holds what every chart has.
type Common struct {
	// ID must be unique in the page the chart is inlined in; it prefixes
	// the ids of the chart's <title> and <desc>.
	ID     string
	Title  string
	Desc   string // the text alternative: what the chart shows, with its values
	XLabel string // title of the horizontal axis
	YLabel string // title of the vertical axis
	Unit   string // appended to values: "%"
	// Decimals of the values written beside the marks.
	Decimals int
	Source   string // the source line under the chart: "Kilde: SSB, tabell 12041 …"
}

// The layout, in SVG user units (pixels at 100 %).
const (
	width     = 640.0
	fontSize  = 12.0
	charWidth = 6.6 // a generous average advance of a 12 px sans-serif glyph
	// titleChars and sourceChars are how many characters of the 14 px bold
	// title and the 10.5 px source line fit in the chart's width less its
	// margins, (640 − 16) px, at advances of up to 8.9 and 6.2 px.
	titleChars  = 70
	sourceChars = 100
	textColour  = "#222222"
	gridColour  = "#cccccc"
	maxLabel    = 42 // characters of a category label before it is cut
)

// svg collects the elements of one chart.
type svg struct {
	b strings.Builder
}

func (s *svg) printf(format string, args ...any) { fmt.Fprintf(&s.b, format, args...) }

// layout is the space the title and the source line take.
type layout struct {
	title, source []string
}

func (c *Common) layout() layout {
	return layout{title: wrap(c.Title, titleChars), source: wrap(c.Source, sourceChars)}
}

// top is where the plot may start, below the title.
func (l layout) top() float64 { return 12 + 18*float64(len(l.title)) + 12 }

// bottom is the space the source line needs under the plot.
func (l layout) bottom() float64 { return 14*float64(len(l.source)) + 10 }

// open writes the root element with the text alternative and the title.
func (s *svg) open(c *Common, l layout, height float64) {
	s.printf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-labelledby="%s-tittel %s-beskrivelse" font-family="Helvetica, Arial, sans-serif" font-size="%s" fill="%s">`,
		num(width), num(height), num(width), num(height), esc(c.ID), esc(c.ID), num(fontSize), textColour)
	s.printf("\n<title id=\"%s-tittel\">%s</title>\n<desc id=\"%s-beskrivelse\">%s</desc>\n", esc(c.ID), esc(c.Title), esc(c.ID), esc(c.Desc))
	for i, line := range l.title {
		s.text(8, 20+18*float64(i), "start", `font-size="14" font-weight="bold"`, line)
	}
}

// close writes the source line at the bottom and ends the root.
func (s *svg) close(l layout, height float64) {
	for i, line := range l.source {
		s.text(8, height-l.bottom()+14+14*float64(i), "start", `font-size="10.5"`, line)
	}
	s.printf("</svg>\n")
}

// wrap breaks s into lines of at most n characters at spaces (a longer
// word gets a line of its own).
func wrap(s string, n int) []string {
	var lines []string
	var cur []string
	length := 0
	for _, w := range strings.Fields(s) {
		wl := utf8.RuneCountInString(w)
		if length > 0 && length+1+wl > n {
			lines = append(lines, strings.Join(cur, " "))
			cur, length = nil, 0
		}
		if length > 0 {
			length++
		}
		cur = append(cur, w)
		length += wl
	}
	if len(cur) > 0 {
		lines = append(lines, strings.Join(cur, " "))
	}
	return lines
}

func (s *svg) text(x, y float64, anchor, attrs, t string) {
	if attrs != "" {
		attrs = " " + attrs
	}
	s.printf("<text x=\"%s\" y=\"%s\" text-anchor=\"%s\"%s>%s</text>\n", num(x), num(y), anchor, attrs, esc(t))
}

func (s *svg) line(x1, y1, x2, y2 float64, colour string) {
	s.printf("<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\" stroke-width=\"1\"/>\n", num(x1), num(y1), num(x2), num(y2), colour)
}

// num writes a coordinate with at most one decimal, the same way every time.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

func esc(s string) string { return html.EscapeString(s) }

// cut shortens s to at most n characters, ending with "…".
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// value formats a value the Norwegian way, with its unit.
func (c *Common) value(v float64) string {
	s := strconv.FormatFloat(v, 'f', c.Decimals, 64)
	s = strings.Replace(s, ".", ",", 1)
	s = strings.Replace(s, "-", "\u2212", 1)
	if c.Unit != "" {
		s += "\u00a0" + c.Unit
	}
	return s
}

// axisMax returns the end of the value axis: 100 for per cent when the
// values allow it, else the next 1, 2 or 5 times a power of ten.
func axisMax(unit string, hi float64) float64 {
	if unit == "%" && hi <= 100 {
		return 100
	}
	if hi <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(hi)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= hi {
			return m * p
		}
	}
	return 10 * p
}

// ticks returns five evenly spaced ticks from 0 to max.
func ticks(max float64) []float64 {
	t := make([]float64, 5)
	for i := range t {
		t[i] = max * float64(i) / 4
	}
	return t
}

// tickLabel writes an axis tick: whole numbers without decimals.
func tickLabel(unit string, t float64) string {
	c := Common{Unit: unit}
	if t != math.Trunc(t) {
		c.Decimals = 1
	}
	return c.value(t)
}
