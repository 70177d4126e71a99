// Package chart draws grunnlag's charts as SVG by hand, for the report and
// the web alike: horizontal bars (one or more series per category, such as
// a share by size class) and lines along time (one per series). Each chart
// carries its title, the unit on its value axis, its legend and its source
// line in the image, and a text alternative for screen readers (<title>
// and <desc>, role="img", aria-labelledby).
//
// Text is laid out by measured width (text.go): titles, category labels
// and legend entries wrap instead of being cut, and value labels that
// would cover another text are left out rather than drawn over it. Lines
// are drawn only along time, with periods spaced by the time between them.
// Colours come from the Okabe–Ito palette, which stays distinguishable with
// the common kinds of colour blindness; after its eight colours the series
// differ by dash pattern too, and values are written beside the marks, so
// nothing depends on colour alone.
//
// The output is a pure function of the input: the same chart gives the same
// bytes, so reports built twice are identical.
package chart

import (
	"bytes"
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// Palette returns the Okabe–Ito colours in the order series use them: the
// darker ones first, so the first series keep their contrast on white.
func Palette() []string {
	return []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000", "#E69F00", "#56B4E9", "#B8A200"}
}

// dashes are the stroke patterns of line series, by round of the palette.
var dashes = [...]string{"", "6 3", "2 3", "8 3 2 3"}

// style returns the colour and dash pattern of series i.
func style(i int) (colour, dash string) {
	p := Palette()
	return p[i%len(p)], dashes[(i/len(p))%len(dashes)]
}

// Common holds what every chart has.
type Common struct {
	// ID must be unique in the page the chart is inlined in; it prefixes
	// the ids of the chart's <title> and <desc>.
	ID    string
	Title string
	Desc  string // the text alternative: what the chart shows, with its values
	// XLabel and YLabel title the axes. A bar chart's values run along
	// the horizontal axis (XLabel, the unit: "Prosent") and its categories
	// down the vertical one (YLabel); a line chart has time along the
	// horizontal axis and its values up the vertical one (YLabel, the unit).
	XLabel string
	YLabel string
	Unit   string // appended to values: "%"
	// Decimals of the values written beside the marks.
	Decimals int
	Source   string // the source line under the chart: "Kilde: SSB, tabell 12041 …"

	// Width is the chart's width in pixels at 100 %; 0 means 640.
	Width float64
	// Class is the root element's class attribute, for the page's style
	// sheet; empty for none.
	Class string
}

// Chart is a chart that draws itself; Bars and Lines are charts.
type Chart interface {
	SVG() []byte
	common() *Common
}

func (c *Common) common() *Common { return c }

// Widths of the two drawings Responsive makes: one for a wide screen, one
// for a phone (a 390 px screen leaves about 340 px for a figure).
const (
	WideWidth   = 720.0
	NarrowWidth = 340.0
)

// Responsive draws c twice, at WideWidth with class "chart chart-wide" and
// at NarrowWidth with class "chart chart-narrow" and "-smal" after its id,
// so a page's style sheet can show the one that fits the screen with its
// text at full size. It leaves c as it was.
func Responsive(c Chart) []byte {
	cm := c.common()
	saved := *cm
	defer func() { *cm = saved }()
	var b bytes.Buffer
	for _, v := range []struct {
		width         float64
		suffix, class string
	}{{WideWidth, "", "chart chart-wide"}, {NarrowWidth, "-smal", "chart chart-narrow"}} {
		cm.ID, cm.Width, cm.Class = saved.ID+v.suffix, v.width, v.class
		b.Write(c.SVG())
	}
	return b.Bytes()
}

// Card draws c once at NarrowWidth with class "chart chart-card", for a
// card in a grid, which is about as narrow on a wide screen as on a phone.
// It leaves c as it was.
func Card(c Chart) []byte {
	cm := c.common()
	saved := *cm
	defer func() { *cm = saved }()
	cm.Width, cm.Class = NarrowWidth, "chart chart-card"
	return c.SVG()
}

// The layout, in SVG user units (pixels at 100 %).
const (
	pad        = 8.0  // margin around everything
	fontSize   = 12.0 // every text but the title
	titleSize  = 15.0
	lineHeight = 15.0 // of 12 px text
	titleLine  = 19.0
	textColour = "#222222"
	gridColour = "#cccccc"
)

func (c *Common) width() float64 {
	if c.Width > 0 {
		return c.Width
	}
	return 640
}

// canvas collects the elements of one chart; the root element is written
// last, when the height is known.
type canvas struct {
	c     *Common
	w     float64
	body  strings.Builder
	place placer
}

func newCanvas(c *Common) *canvas {
	w := c.width()
	return &canvas{c: c, w: w, place: placer{bounds: rect{0, 0, w, math.Inf(1)}}}
}

func (k *canvas) printf(format string, args ...any) { fmt.Fprintf(&k.body, format, args...) }

// text writes a one-line text and records its box as taken.
func (k *canvas) text(x, y float64, anchor, attrs, t string, bold bool) {
	k.place.take(textBox(x, y, anchor, t, fontSizeOf(attrs), bold))
	k.rawText(x, y, anchor, attrs, t)
}

// label writes a text only where it covers nothing and stays inside the
// chart, and reports whether it did.
func (k *canvas) label(x, y float64, anchor, attrs, t string) bool {
	if !k.place.try(textBox(x, y, anchor, t, fontSizeOf(attrs), false)) {
		return false
	}
	k.rawText(x, y, anchor, attrs, t)
	return true
}

func (k *canvas) rawText(x, y float64, anchor, attrs, t string) {
	if attrs != "" {
		attrs = " " + attrs
	}
	k.printf("<text x=\"%s\" y=\"%s\" text-anchor=\"%s\"%s>%s</text>\n", num(x), num(y), anchor, attrs, esc(t))
}

// fontSizeOf reads the font-size attribute of a text's attributes.
func fontSizeOf(attrs string) float64 {
	if _, after, ok := strings.Cut(attrs, `font-size="`); ok {
		if v, _, ok := strings.Cut(after, `"`); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				return f
			}
		}
	}
	return fontSize
}

func (k *canvas) line(x1, y1, x2, y2 float64, colour string) {
	k.printf("<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\" stroke-width=\"1\"/>\n", num(x1), num(y1), num(x2), num(y2), colour)
}

// title writes the wrapped title and returns where the chart may go on.
func (k *canvas) title() float64 {
	y := pad
	for _, l := range wrapText(k.c.Title, k.w-2*pad, titleSize, true) {
		y += titleLine
		k.text(pad, y-4, "start", `font-size="15" font-weight="bold"`, l, true)
	}
	return y + 10
}

// lines writes wrapped text from y (the top of the first line) and
// returns the y below it.
func (k *canvas) lines(x, y, maxW float64, s string, attrs string) float64 {
	for _, l := range wrapText(s, maxW, fontSize, false) {
		y += lineHeight
		k.text(x, y-3, "start", attrs, l, false)
	}
	return y
}

// finish writes the source line under y and returns the whole SVG.
func (k *canvas) finish(y float64) []byte {
	if k.c.Source != "" {
		y = k.lines(pad, y+6, k.w-2*pad, k.c.Source, "")
	}
	height := math.Ceil(y + pad)
	c := k.c
	var b bytes.Buffer
	class := ""
	if c.Class != "" {
		class = ` class="` + esc(c.Class) + `"`
	}
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg"%s viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-labelledby="%s-tittel %s-beskrivelse" font-family="%s" font-size="%s" fill="%s">`,
		class, num(k.w), num(height), num(k.w), num(height), esc(c.ID), esc(c.ID), fontFamily, num(fontSize), textColour)
	fmt.Fprintf(&b, "\n<title id=\"%s-tittel\">%s</title>\n<desc id=\"%s-beskrivelse\">%s</desc>\n", esc(c.ID), esc(c.Title), esc(c.ID), esc(c.Desc))
	b.WriteString(k.body.String())
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// legend writes a legend for the series names from y and returns the y
// below it. Parts the names share (split at " – ") are written once as a
// heading, so the entries show what tells them apart; entries wrap rather
// than being cut, so no two read the same unless their names do.
func (k *canvas) legend(y float64, names []string, swatch func(i int, x, y float64)) float64 {
	heading, short := factorNames(names)
	avail := k.w - 2*pad
	if heading != "" {
		y = k.lines(pad, y, avail, heading+":", `font-weight="bold"`)
	}
	const sw = 22.0 // swatch and gap
	widest := 0.0
	for _, n := range short {
		widest = max(widest, textWidth(n, fontSize, false))
	}
	colW := sw + widest + 16
	cols := max(1, int(avail/colW))
	if cols > 1 {
		cols = min(cols, len(short))
		for i, n := range short {
			x := pad + float64(i%cols)*colW
			row := y + float64(i/cols)*(lineHeight+3)
			swatch(i, x, row+lineHeight/2+1)
			k.text(x+sw, row+lineHeight-3, "start", "", n, false)
		}
		rows := (len(short) + cols - 1) / cols
		return y + float64(rows)*(lineHeight+3)
	}
	for i, n := range short {
		swatch(i, pad, y+lineHeight/2+1)
		y = k.lines(pad+sw, y, avail-sw, n, "")
		y += 3
	}
	return y
}

// factorNames moves the leading and trailing parts every name shares
// (parts are separated by " – ") into a heading. It leaves the names as
// they are when there is one, or when a name would be left empty.
func factorNames(names []string) (heading string, short []string) {
	if len(names) < 2 {
		return "", names
	}
	parts := make([][]string, len(names))
	for i, n := range names {
		parts[i] = strings.Split(n, " – ")
	}
	minLen := len(parts[0])
	for _, p := range parts {
		minLen = min(minLen, len(p))
	}
	lead := 0
	for lead < minLen-1 && same(parts, func(p []string) string { return p[lead] }) {
		lead++
	}
	trail := 0
	for lead+trail < minLen-1 && same(parts, func(p []string) string { return p[len(p)-1-trail] }) {
		trail++
	}
	if lead == 0 && trail == 0 {
		return "", names
	}
	short = make([]string, len(names))
	for i, p := range parts {
		short[i] = strings.Join(p[lead:len(p)-trail], " – ")
	}
	var h []string
	if lead > 0 {
		h = append(h, strings.Join(parts[0][:lead], " – "))
	}
	if trail > 0 {
		h = append(h, strings.Join(parts[0][len(parts[0])-trail:], " – "))
	}
	return strings.Join(h, " … "), short
}

func same(parts [][]string, f func([]string) string) bool {
	for _, p := range parts[1:] {
		if f(p) != f(parts[0]) {
			return false
		}
	}
	return true
}

// num writes a coordinate with at most one decimal, the same way every time.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

func esc(s string) string { return html.EscapeString(s) }

// value formats a value the Norwegian way, with its unit.
func (c *Common) value(v float64) string {
	s := Number(v, c.Decimals)
	if c.Unit != "" {
		s += "\u00a0" + c.Unit
	}
	return s
}

// tickLabel writes an axis tick with the decimals the ticks need.
func (c *Common) tickLabel(t float64, decimals int) string {
	s := Number(t, decimals)
	if c.Unit == "%" {
		s += "\u00a0%"
	}
	return s
}

// fitTicks returns the ticks for lo..hi, as many (up to six) as leave room
// between their labels along an axis of the given length; horizontal says
// whether the labels sit side by side.
func (c *Common) fitTicks(lo, hi, length float64, horizontal bool) ([]float64, int) {
	for n := 6; ; n-- {
		ticks := niceTicks(lo, hi, n, c.Unit)
		dec := tickDecimals(ticks)
		if n <= 2 {
			return ticks, dec
		}
		room := length / float64(len(ticks)-1)
		need := lineHeight + 4
		if horizontal {
			need = 0
			for _, t := range ticks {
				need = max(need, textWidth(c.tickLabel(t, dec), fontSize, false)+10)
			}
		}
		if room >= need {
			return ticks, dec
		}
	}
}
