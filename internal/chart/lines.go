package chart

import (
	"math"
	"strings"
)

// Lines is a line chart along time, such as a share over the years: one
// line per series. Periods that read as years, half-years, quarters or
// months ("2018", "2020K1", "2020M04") are spaced by the time between
// them, so 2018, 2019, 2023 shows the gap; other labels are spaced evenly.
// A missing value breaks its line.
type Lines struct {
	Common
	X      []string // the periods along the horizontal axis, in order
	Series []Series
}

// Series is one line (or one colour of bars); Values and OK run parallel to
// the chart's periods or categories.
type Series struct {
	Name   string
	Values []float64
	OK     []bool
}

// SVG draws the chart.
func (c *Lines) SVG() []byte {
	k := newCanvas(&c.Common)
	w := k.w
	y := k.title()
	lo, hi, any := extent(c.Series)
	if !any || len(c.X) == 0 {
		k.text(pad, y+lineHeight, "start", "", "Ingen verdier å vise.", false)
		return k.finish(y + lineHeight + 6)
	}
	if c.YLabel != "" {
		y = k.lines(pad, y, w-2*pad, c.YLabel, `font-weight="bold"`)
	}
	plotH := 220.0
	if w < 500 {
		plotH = 180
	}
	top := y + 22 // room for a value above the highest point
	bottom := top + plotH
	ticks, dec := c.fitTicks(lo, hi, plotH, false)
	t0, t1 := ticks[0], ticks[len(ticks)-1]
	yOf := func(v float64) float64 { return bottom - plotH*(v-t0)/(t1-t0) }
	tickW := 0.0
	for _, t := range ticks {
		tickW = max(tickW, textWidth(c.tickLabel(t, dec), fontSize, false))
	}
	left := pad + tickW + 8
	// The first and last period labels and values are centred on their
	// points: leave half of the widest of them inside the margins.
	edge := 0.0
	for _, s := range c.Series {
		for i, v := range s.Values {
			if i < len(s.OK) && s.OK[i] {
				edge = max(edge, textWidth(c.value(v), fontSize, false)/2)
			}
		}
	}
	for _, l := range c.X {
		edge = max(edge, textWidth(l, fontSize, false)/2)
	}
	right := w - pad
	x0, x1 := left+edge+4, right-edge-2
	pos := timePositions(c.X)
	if pos == nil {
		pos = make([]float64, len(c.X))
		for i := range pos {
			pos[i] = float64(i)
		}
	}
	xOf := func(i int) float64 {
		if len(pos) == 1 || pos[len(pos)-1] == pos[0] {
			return (x0 + x1) / 2
		}
		return x0 + (x1-x0)*(pos[i]-pos[0])/(pos[len(pos)-1]-pos[0])
	}

	for _, t := range ticks {
		k.line(left, yOf(t), right, yOf(t), gridColour)
	}
	for _, t := range tickOrder(ticks) {
		k.label(left-6, yOf(t)+fontSize*0.35, "end", "", c.tickLabel(t, dec))
	}
	k.line(left, top, left, bottom, textColour)
	base := yOf(math.Max(t0, math.Min(0, t1)))
	k.line(left, base, right, base, textColour)
	// Period labels: the first and the last always, the others where they
	// leave room.
	order := []int{0}
	if len(c.X) > 1 {
		order = append(order, len(c.X)-1)
	}
	for i := 1; i < len(c.X)-1; i++ {
		order = append(order, i)
	}
	for _, i := range order {
		k.line(xOf(i), bottom, xOf(i), bottom+4, textColour)
		k.label(xOf(i), bottom+17, "middle", "", c.X[i])
	}
	// The lines first, then points and values, so no line covers a value.
	for s, ser := range c.Series {
		colour, dash := style(s)
		dashAttr := ""
		if dash != "" {
			dashAttr = ` stroke-dasharray="` + dash + `"`
		}
		var run []string
		flush := func() {
			if len(run) > 1 {
				k.printf("<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\"%s/>\n", strings.Join(run, " "), colour, dashAttr)
			}
			run = run[:0]
		}
		for i := range c.X {
			if !okAt(ser, i) {
				flush()
				continue
			}
			run = append(run, num(xOf(i))+","+num(yOf(ser.Values[i])))
		}
		flush()
	}
	for s, ser := range c.Series {
		colour, _ := style(s)
		for i := range c.X {
			if !okAt(ser, i) {
				continue
			}
			v := ser.Values[i]
			k.printf("<circle cx=\"%s\" cy=\"%s\" r=\"4\" fill=\"%s\"/>\n", num(xOf(i)), num(yOf(v)), colour)
			k.place.take(rect{xOf(i) - 4, yOf(v) - 4, xOf(i) + 4, yOf(v) + 4})
		}
	}
	// Values: above each point, else below it, where they cover nothing.
	for _, ser := range c.Series {
		for i := range c.X {
			if !okAt(ser, i) {
				continue
			}
			v := ser.Values[i]
			if !k.label(xOf(i), yOf(v)-9, "middle", "", c.value(v)) {
				k.label(xOf(i), yOf(v)+19, "middle", "", c.value(v))
			}
		}
	}
	if len(c.Series) == 1 {
		for i := range c.X {
			if !okAt(c.Series[0], i) {
				k.label(xOf(i), base-8, "middle", `font-style="italic"`, "mangler")
			}
		}
	}
	y = bottom + 24
	if c.XLabel != "" {
		y = k.lines(pad, y, w-2*pad, c.XLabel, "")
	}
	if len(c.Series) > 1 {
		names := make([]string, len(c.Series))
		for i, s := range c.Series {
			names[i] = s.Name
		}
		y = k.legend(y+10, names, func(i int, sx, sy float64) {
			colour, dash := style(i)
			dashAttr := ""
			if dash != "" {
				dashAttr = ` stroke-dasharray="` + dash + `"`
			}
			k.printf("<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\" stroke-width=\"3\"%s/>\n", num(sx), num(sy), num(sx+16), num(sy), colour, dashAttr)
		})
	}
	return k.finish(y)
}

func okAt(s Series, i int) bool { return i < len(s.Values) && i < len(s.OK) && s.OK[i] }
