package chart

import "strings"

// Lines is a line chart over a sequence of periods, such as a share over
// the years. A missing value breaks its line.
type Lines struct {
	Common
	X      []string // the periods along the horizontal axis, in order
	Series []Series
}

// Series is one line; Values and OK run parallel to Lines.X.
type Series struct {
	Name   string
	Values []float64
	OK     []bool
}

// SVG draws the chart.
func (c *Lines) SVG() []byte {
	const left, right, plotH = 70.0, width - 30, 200.0
	l := c.layout()
	top := l.top() + 10 // room for the value above the highest point
	legend := 0.0
	if len(c.Series) > 1 {
		legend = float64(len(c.Series)) * 18
	}
	height := top + plotH + 46 + legend + l.bottom()
	hi := 0.0
	for _, s := range c.Series {
		for i, v := range s.Values {
			if i < len(s.OK) && s.OK[i] {
				hi = max(hi, v)
			}
		}
	}
	axis := axisMax(c.Unit, hi)
	y := func(v float64) float64 { return top + plotH - plotH*v/axis }
	x := func(i int) float64 {
		if len(c.X) == 1 {
			return (left + right) / 2
		}
		return left + 20 + (right-left-40)*float64(i)/float64(len(c.X)-1)
	}

	var s svg
	s.open(&c.Common, l, height)
	for _, t := range ticks(axis) {
		s.line(left, y(t), right, y(t), gridColour)
		s.text(left-6, y(t)+fontSize*0.35, "end", "", tickLabel(c.Unit, t))
	}
	s.line(left, top, left, top+plotH, textColour)
	s.line(left, top+plotH, right, top+plotH, textColour)
	for i, label := range c.X {
		s.text(x(i), top+plotH+16, "middle", "", label)
	}
	colours := Palette()
	for k, ser := range c.Series {
		colour := colours[k%len(colours)]
		// One polyline per unbroken run of values.
		var run []string
		flush := func() {
			if len(run) > 1 {
				s.printf("<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\"/>\n", strings.Join(run, " "), colour)
			}
			run = run[:0]
		}
		for i := range c.X {
			if i >= len(ser.Values) || i >= len(ser.OK) || !ser.OK[i] {
				flush()
				continue
			}
			run = append(run, num(x(i))+","+num(y(ser.Values[i])))
		}
		flush()
		for i := range c.X {
			if i >= len(ser.Values) || i >= len(ser.OK) || !ser.OK[i] {
				s.text(x(i), top+plotH-8, "middle", `font-style="italic"`, "mangler")
				continue
			}
			v := ser.Values[i]
			s.printf("<circle cx=\"%s\" cy=\"%s\" r=\"4\" fill=\"%s\"/>\n", num(x(i)), num(y(v)), colour)
			s.text(x(i), y(v)-9, "middle", "", c.value(v))
		}
		if legend > 0 {
			ly := top + plotH + 52 + float64(k)*18
			s.printf("<rect x=\"%s\" y=\"%s\" width=\"14\" height=\"4\" fill=\"%s\"/>\n", num(left), num(ly-5), colour)
			s.text(left+20, ly, "start", "", ser.Name)
		}
	}
	s.text((left+right)/2, top+plotH+34, "middle", "", c.XLabel)
	s.text(0, 0, "middle", `transform="translate(14 `+num(top+plotH/2)+`) rotate(-90)"`, c.YLabel)
	s.close(l, height)
	return []byte(s.b.String())
}
