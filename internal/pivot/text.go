package pivot

import (
	"bufio"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/grunnlag/grunnlag/internal/terminal"
)

// maxLabel is the widest a label may be in text output; longer labels are
// cut with an ellipsis so the grid still fits a terminal.
const maxLabel = 60

// WriteText writes t as aligned plain text: the fixed dimensions first, then
// a grid with one label column per row dimension and one column per column
// combination. Repeated row labels are left blank, as in SSB's tables.
// Labels and text cells come from the data's publisher, so control
// characters in them are written as visible escapes (package terminal).
func (t *Table) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, f := range t.Fixed {
		bw.WriteString(terminal.Line(f.Dim.Label) + ": " + terminal.Line(f.Category.Label) + "\n")
	}
	if len(t.Fixed) > 0 {
		bw.WriteString("\n")
	}

	nr, nc := len(t.Rows.Dims), len(t.Cols.Dims)
	// header[h][c]: the label of column c at header line h.
	headerLines := max(nc, 1)
	cells := make([][]string, len(t.Cells))
	for r := range t.Cells {
		cells[r] = make([]string, len(t.Cols.Labels))
		for c := range t.Cells[r] {
			cells[r][c] = terminal.Line(Format(t.Cells[r][c]))
		}
	}

	labelW := make([]int, nr)
	for k, dim := range t.Rows.Dims {
		labelW[k] = width(cut(dim.Label))
		for _, l := range t.Rows.Labels {
			labelW[k] = max(labelW[k], width(cut(l[k])))
		}
	}
	colW := make([]int, len(t.Cols.Labels))
	for c, l := range t.Cols.Labels {
		for _, s := range l {
			colW[c] = max(colW[c], width(cut(s)))
		}
		for r := range cells {
			colW[c] = max(colW[c], width(cells[r][c]))
		}
	}

	for h := 0; h < headerLines; h++ {
		var line []string
		for k, dim := range t.Rows.Dims {
			s := ""
			if h == headerLines-1 {
				s = cut(dim.Label)
			}
			line = append(line, pad(s, labelW[k], false))
		}
		for c, l := range t.Cols.Labels {
			s := ""
			if h < len(l) && (c == 0 || !samePrefix(t.Cols.Labels[c-1], l, h)) {
				s = cut(l[h])
			}
			line = append(line, pad(s, colW[c], true))
		}
		bw.WriteString(strings.TrimRight(strings.Join(line, "  "), " ") + "\n")
	}
	for r := range cells {
		var line []string
		for k := range t.Rows.Dims {
			s := cut(t.Rows.Labels[r][k])
			if r > 0 && samePrefix(t.Rows.Labels[r-1], t.Rows.Labels[r], k) {
				s = ""
			}
			line = append(line, pad(s, labelW[k], false))
		}
		for c := range cells[r] {
			line = append(line, pad(cells[r][c], colW[c], true))
		}
		bw.WriteString(strings.TrimRight(strings.Join(line, "  "), " ") + "\n")
	}
	return bw.Flush()
}

// samePrefix reports whether a and b agree on the labels 0..k.
func samePrefix(a, b []string, k int) bool {
	for i := 0; i <= k && i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// cut makes a label safe for a terminal and shortens it to maxLabel.
func cut(s string) string {
	s = terminal.Line(s)
	if utf8.RuneCountInString(s) <= maxLabel {
		return s
	}
	r := []rune(s)
	return string(r[:maxLabel-1]) + "…"
}

func width(s string) int { return utf8.RuneCountInString(s) }

func pad(s string, w int, right bool) string {
	n := w - width(s)
	if n <= 0 {
		return s
	}
	if right {
		return strings.Repeat(" ", n) + s
	}
	return s + strings.Repeat(" ", n)
}
