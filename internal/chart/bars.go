package chart

import "math"

// Bars is a horizontal bar chart: categories run down the vertical axis,
// each with one bar per series, and values along the horizontal axis, each
// written at the end of its bar. Give either Items (one series, as the
// report's share by size class) or Categories with Series.
type Bars struct {
	Common
	Items []Item

	Categories []string
	Series     []Series // Values and OK run parallel to Categories
}

// Item is one bar of a chart with a single series.
type Item struct {
	Label string
	Value float64
	OK    bool // false: the value is missing, and the chart says so
	// Total marks the bar for all categories together, drawn in a second
	// colour so it stands apart from the classes.
	Total bool
}

// data returns the categories, the series and the colour of each bar.
func (c *Bars) data() ([]string, []Series, func(s, i int) string) {
	if len(c.Items) > 0 {
		var cats []string
		ser := Series{}
		for _, it := range c.Items {
			cats = append(cats, it.Label)
			ser.Values = append(ser.Values, it.Value)
			ser.OK = append(ser.OK, it.OK)
		}
		p := Palette()
		return cats, []Series{ser}, func(_, i int) string {
			if c.Items[i].Total {
				return p[1]
			}
			return p[0]
		}
	}
	return c.Categories, c.Series, func(s, _ int) string { col, _ := style(s); return col }
}

// SVG draws the chart.
func (c *Bars) SVG() []byte {
	cats, series, colourOf := c.data()
	k := newCanvas(&c.Common)
	w := k.w
	y := k.title()

	lo, hi, any := extent(series)
	if !any {
		k.text(pad, y+lineHeight, "start", "", "Ingen verdier å vise.", false)
		return k.finish(y + lineHeight + 6)
	}
	// The category labels take up to two fifths of the width, wrapped; on
	// a narrow chart each stands above its bars, across the whole width.
	stacked := w < 500
	labelW := 0.0
	for _, cat := range cats {
		labelW = max(labelW, textWidth(cat, fontSize, false))
	}
	labelW = math.Max(math.Min(labelW, w*0.4), 30)
	if stacked {
		labelW = w - 2*pad
	}
	labels := make([][]string, len(cats))
	for i, cat := range cats {
		labels[i] = wrapText(cat, labelW, fontSize, false)
	}
	// Room for the values beside the bars' ends, on either side of zero.
	posRoom, negRoom := 0.0, 0.0
	for _, s := range series {
		for i, v := range s.Values {
			if i >= len(s.OK) || !s.OK[i] {
				posRoom = max(posRoom, textWidth("mangler", fontSize, false)+10)
			} else {
				if v < 0 {
					negRoom = max(negRoom, textWidth(c.value(v), fontSize, false)+8)
				} else {
					posRoom = max(posRoom, textWidth(c.value(v), fontSize, false)+8)
				}
			}
		}
	}
	plotL := pad + negRoom
	if !stacked {
		plotL += labelW + 10
	}
	plotR := w - pad - math.Max(posRoom, 26)
	ticks, dec := c.fitTicks(lo, hi, plotR-plotL, true)
	t0, t1 := ticks[0], ticks[len(ticks)-1]
	x := func(v float64) float64 { return plotL + (plotR-plotL)*(v-t0)/(t1-t0) }

	if c.YLabel != "" {
		y = k.lines(pad, y, w-2*pad, c.YLabel, `font-weight="bold"`) + 4
	}
	bh := 18.0
	if len(series) > 1 {
		bh = 14
	}
	const barGap, groupGap = 2.0, 12.0
	barsH := float64(len(series))*bh + float64(len(series)-1)*barGap
	heights := make([]float64, len(cats))
	plotH := groupGap
	for i := range cats {
		heights[i] = math.Max(barsH, float64(len(labels[i]))*lineHeight)
		if stacked {
			heights[i] = float64(len(labels[i]))*lineHeight + 3 + barsH
		}
		plotH += heights[i] + groupGap
	}
	top, bottom := y, y+plotH

	if !stacked {
		for _, t := range ticks {
			k.line(x(t), top, x(t), bottom, gridColour)
		}
	}
	// Tick labels: zero and the ends first, the others where they fit.
	for _, t := range tickOrder(ticks) {
		k.label(x(t), bottom+16, "middle", "", c.tickLabel(t, dec))
	}
	k.line(plotL, bottom, plotR, bottom, textColour)
	zero := x(math.Max(t0, math.Min(0, t1)))

	gy := top + groupGap
	for i := range cats {
		gh := heights[i]
		by := gy + (gh-barsH)/2
		if stacked {
			ly := gy
			for _, l := range labels[i] {
				ly += lineHeight
				k.text(pad, ly-3.5, "start", "", l, false)
			}
			by = ly + 3
			for _, t := range ticks {
				k.line(x(t), by-1, x(t), by+barsH+1, gridColour)
			}
		} else {
			ly := gy + (gh-float64(len(labels[i]))*lineHeight)/2
			for _, l := range labels[i] {
				ly += lineHeight
				k.text(pad+labelW, ly-3.5, "end", "", l, false)
			}
		}
		for s, ser := range series {
			mid := by + bh/2 + fontSize*0.35
			if i >= len(ser.Values) || i >= len(ser.OK) || !ser.OK[i] {
				k.label(zero+4, mid, "start", `font-style="italic"`, "mangler")
				by += bh + barGap
				continue
			}
			v := ser.Values[i]
			x0, x1 := zero, x(v)
			if x1 < x0 {
				x0, x1 = x1, x0
			}
			k.printf("<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\"/>\n",
				num(x0), num(by), num(math.Max(x1-x0, 0.5)), num(bh), colourOf(s, i))
			if v < 0 {
				k.label(x0-4, mid, "end", "", c.value(v))
			} else {
				k.label(x1+4, mid, "start", "", c.value(v))
			}
			by += bh + barGap
		}
		gy += gh + groupGap
	}
	k.line(zero, top, zero, bottom, textColour)
	y = bottom + 18
	if c.XLabel != "" {
		y = k.lines(pad, y+2, w-2*pad, c.XLabel, "")
	}
	if len(series) > 1 {
		names := make([]string, len(series))
		for i, s := range series {
			names[i] = s.Name
		}
		y = k.legend(y+10, names, func(i int, sx, sy float64) {
			k.printf("<rect x=\"%s\" y=\"%s\" width=\"14\" height=\"12\" fill=\"%s\"/>\n", num(sx), num(sy-6), colourOf(i, 0))
		})
	}
	return k.finish(y)
}

// tickOrder returns the ticks with zero and the ends first, so those are
// labelled when not every tick label fits.
func tickOrder(ticks []float64) []float64 {
	out := []float64{}
	for _, t := range ticks {
		if t == 0 {
			out = append(out, t)
		}
	}
	out = append(out, ticks[0], ticks[len(ticks)-1])
	for _, t := range ticks[1 : len(ticks)-1] {
		if t != 0 {
			out = append(out, t)
		}
	}
	return out
}

// extent returns the smallest and largest value of the series.
func extent(series []Series) (lo, hi float64, ok bool) {
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
