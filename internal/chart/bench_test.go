package chart

import "testing"

// BenchmarkLines measures a 20-series line chart along five years (the
// explorer's default view of a table such as 13615): one drawing, against
// the two Responsive makes for a page.
func BenchmarkLines(b *testing.B) {
	c := kinds()["close-lines"].(*Lines)
	c.Series = append(c.Series, c.Series...)
	c.Series = append(c.Series, c.Series[:4]...)
	b.Run("one", func(b *testing.B) {
		for b.Loop() {
			c.SVG()
		}
	})
	b.Run("responsive", func(b *testing.B) {
		for b.Loop() {
			Responsive(c)
		}
	})
}

// BenchmarkBars measures a bar chart of twenty categories and three series.
func BenchmarkBars(b *testing.B) {
	src := kinds()["many-bars"].(*Bars)
	c := &Bars{Common: src.Common, Categories: src.Categories}
	for range 3 {
		c.Series = append(c.Series, src.Series[0])
	}
	b.Run("one", func(b *testing.B) {
		for b.Loop() {
			c.SVG()
		}
	})
	b.Run("responsive", func(b *testing.B) {
		for b.Loop() {
			Responsive(c)
		}
	})
}
