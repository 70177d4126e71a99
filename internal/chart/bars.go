package chart

import "math"

// Bars is a horizontal bar chart: one bar per category, such as a share by
// size class. Categories run down the vertical axis, values along the
// horizontal one.
type Bars struct {
	Common
	Items []Item
}

// Item is one bar.
type Item struct {
	Label string
	Value float64
	OK    bool // false: the value is missing, and the chart says so
	// Total marks the bar for all categories together, drawn in a second
	// colour so it stands apart from the classes.
	Total bool
}

// SVG draws the chart.
func (c *Bars) SVG() []byte {
	const barHeight, gap = 20.0, 10.0
	longest := 0
	hi := 0.0
	for _, it := range c.Items {
		longest = max(longest, len([]rune(cut(it.Label, maxLabel))))
		if it.OK {
			hi = max(hi, it.Value)
		}
	}
	left := math.Min(math.Max(float64(longest)*charWidth+16, 90), 320) + 22 // labels, then the axis title
	right := width - 70                                                     // room for the value after the longest bar
	l := c.layout()
	top := l.top()
	plotH := float64(len(c.Items))*(barHeight+gap) + gap
	height := top + plotH + 44 + l.bottom()
	axis := axisMax(c.Unit, hi)
	x := func(v float64) float64 { return left + (right-left)*v/axis }

	var s svg
	s.open(&c.Common, l, height)
	for _, t := range ticks(axis) {
		s.line(x(t), top, x(t), top+plotH, gridColour)
		s.text(x(t), top+plotH+16, "middle", "", tickLabel(c.Unit, t))
	}
	s.line(left, top, left, top+plotH, textColour)
	s.line(left, top+plotH, right, top+plotH, textColour)
	colours := Palette()
	for i, it := range c.Items {
		y := top + gap + float64(i)*(barHeight+gap)
		mid := y + barHeight/2 + fontSize*0.35
		s.text(left-6, mid, "end", "", cut(it.Label, maxLabel))
		if !it.OK {
			s.text(left+6, mid, "start", `font-style="italic"`, "mangler")
			continue
		}
		colour := colours[0]
		if it.Total {
			colour = colours[1]
		}
		w := x(it.Value) - left
		s.printf("<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\"/>\n", num(left), num(y), num(w), num(barHeight), colour)
		s.text(left+w+5, mid, "start", "", c.value(it.Value))
	}
	s.text((left+right)/2, top+plotH+34, "middle", "", c.XLabel)
	s.text(0, 0, "middle", `transform="translate(14 `+num(top+plotH/2)+`) rotate(-90)"`, c.YLabel)
	s.close(l, height)
	return []byte(s.b.String())
}
