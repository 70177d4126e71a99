package chart

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Charts name their font (fontFamily) and lay out text by its measured
// advance widths, so labels can be placed without overlapping and wrapped
// instead of cut. The widths are those of DejaVu Sans, the font Debian's
// Chromium draws with and one of the widest common sans-serifs: text set
// in Verdana, Arial or Helvetica is as wide or narrower, so a layout that
// fits here fits there.
const fontFamily = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif"

// advance returns the advance width of r in em.
func advance(r rune) float64 {
	switch {
	case r >= '0' && r <= '9':
		return 0.636
	case r == ' ' || r == '\u00a0' || r == '.' || r == ',':
		return 0.318
	case r == ':' || r == ';' || r == '!' || r == '|':
		return 0.337
	case r == 'i' || r == 'j' || r == 'l' || r == '\'' || r == 'I' || r == 'J':
		return 0.295
	case r == 'f' || r == 't' || r == 'r' || r == '(' || r == ')' || r == '[' || r == ']' || r == '/' || r == '-':
		return 0.411
	case r == 'm':
		return 0.974
	case r == 'w':
		return 0.818
	case r == 'M':
		return 0.863
	case r == 'W':
		return 0.989
	case r == '%':
		return 0.950
	case r == 'æ' || r == 'Æ' || r == '—' || r == '…' || r == '@':
		return 1.0
	case r == '–':
		return 0.5
	case r == '−' || r == '+' || r == '=' || r == '<' || r == '>':
		return 0.838
	case unicode.IsUpper(r):
		return 0.80
	case unicode.IsLower(r):
		return 0.635
	}
	return 0.7
}

// textWidth returns the width of s set at size px, a little generous.
func textWidth(s string, size float64, bold bool) float64 {
	w := 0.0
	for _, r := range s {
		w += advance(r)
	}
	if bold {
		w *= 1.1
	}
	return w * size * 1.03
}

// wrapText breaks s into lines no wider than maxW at size px: at spaces,
// else after a hyphen, else (a single word wider than the line) between
// letters. Nothing is dropped: the lines joined give back every word.
func wrapText(s string, maxW, size float64, bold bool) []string {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		try := w
		if cur != "" {
			try = cur + " " + w
		}
		if textWidth(try, size, bold) <= maxW {
			cur = try
			continue
		}
		if cur != "" {
			lines = append(lines, cur)
			cur = ""
		}
		// The word alone is too wide: break it.
		for textWidth(w, size, bold) > maxW {
			head, rest := breakWord(w, maxW, size, bold)
			lines = append(lines, head)
			w = rest
		}
		cur = w
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// breakWord splits a word too wide for maxW: after its last hyphen that
// fits, else after as many letters as fit (at least one).
func breakWord(w string, maxW, size float64, bold bool) (head, rest string) {
	best := -1
	for i, r := range w {
		end := i + utf8.RuneLen(r)
		if textWidth(w[:end], size, bold) > maxW {
			break
		}
		if r == '-' || r == '/' {
			best = end
		}
	}
	if best > 0 && best < len(w) {
		return w[:best], w[best:]
	}
	n := 0
	for i, r := range w {
		end := i + utf8.RuneLen(r)
		if textWidth(w[:end]+"-", size, bold) > maxW && n > 0 {
			break
		}
		n = end
	}
	if n >= len(w) {
		return w, ""
	}
	return w[:n] + "-", w[n:]
}

// rect is the box a text or mark takes, for placing labels.
type rect struct{ x0, y0, x1, y1 float64 }

func (a rect) overlaps(b rect) bool {
	return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
}

// textBox returns the box of a one-line text at baseline y: anchor start,
// middle or end at x. The box spans the font's ascent and descent.
func textBox(x, y float64, anchor, s string, size float64, bold bool) rect {
	w := textWidth(s, size, bold)
	switch anchor {
	case "middle":
		x -= w / 2
	case "end":
		x -= w
	}
	return rect{x, y - 0.93*size, x + w, y + 0.24*size}
}

// placer keeps the boxes of the labels placed so far, so a label that
// would cover another (or leave the chart) is left out instead.
type placer struct {
	bounds rect
	taken  []rect
}

// try takes r and returns true when it is inside the bounds and clear of
// every box taken.
func (p *placer) try(r rect) bool {
	if r.x0 < p.bounds.x0 || r.x1 > p.bounds.x1 || r.y0 < p.bounds.y0 || r.y1 > p.bounds.y1 {
		return false
	}
	for _, t := range p.taken {
		if r.overlaps(t) {
			return false
		}
	}
	p.taken = append(p.taken, r)
	return true
}

// take records r as taken without checking.
func (p *placer) take(r rect) { p.taken = append(p.taken, r) }
