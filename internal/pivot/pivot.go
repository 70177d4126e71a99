// Package pivot crosses the dimensions of a dataset into a two-way table:
// some dimensions down the rows, some across the columns, the rest fixed to
// one category each. The terminal's `grunnlag show` and the web's table
// explorer both build on it.
package pivot

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/grunnlag/grunnlag/internal/jsonstat"
)

// Spec says how to cross a dataset. Dimensions are named by id.
type Spec struct {
	Rows []string
	Cols []string
	// Keep restricts a dimension to the listed category codes, in the given
	// order. A dimension missing from Keep keeps all its categories. A
	// dimension in neither Rows nor Cols must be kept to one category (or
	// have only one).
	Keep map[string][]string
}

// Cell is one cell of a pivot table.
type Cell struct {
	Value    float64
	OK       bool   // false: missing
	Status   string // SSB's symbol, if any
	Text     string // text value, if any
	Decimals int    // -1 when the source does not say
}

// Axis is a list of category combinations along the rows or the columns.
type Axis struct {
	Dims   []*jsonstat.Dimension
	Labels [][]string // per entry, one label per dim
	Codes  [][]string
}

// Table is a built pivot table.
type Table struct {
	Title string
	// Fixed lists the dimensions held to one category, with that category.
	Fixed []Fixed
	Rows  Axis
	Cols  Axis
	Cells [][]Cell // [row][col]
}

// Fixed is a dimension held to one category.
type Fixed struct {
	Dim      *jsonstat.Dimension
	Category jsonstat.Category
}

// Default returns a readable view of d: time across the columns and every
// other dimension with more than one category down the rows. When there are
// too many periods to fit across, time goes down the rows (last) and a small
// dimension, if any, goes across.
func Default(d *jsonstat.Dataset) Spec {
	timeID := ""
	switch {
	case len(d.Role.Time) > 0 && d.Dimension(d.Role.Time[0]) != nil:
		timeID = d.Role.Time[0]
	case d.Dimension("Tid") != nil:
		timeID = "Tid"
	case len(d.Dimensions) > 0:
		timeID = d.Dimensions[len(d.Dimensions)-1].ID
	}
	var s Spec
	if timeID == "" {
		return s
	}
	const maxCols = 12
	if len(d.Dimension(timeID).Categories) <= maxCols {
		s.Cols = []string{timeID}
		for _, dim := range d.Dimensions {
			if dim.ID != timeID && len(dim.Categories) > 1 {
				s.Rows = append(s.Rows, dim.ID)
			}
		}
		return s
	}
	col := ""
	for _, dim := range d.Dimensions {
		n := len(dim.Categories)
		if dim.ID != timeID && n > 1 && n <= 6 && (col == "" || n < len(d.Dimension(col).Categories)) {
			col = dim.ID
		}
	}
	if col != "" {
		s.Cols = []string{col}
	}
	for _, dim := range d.Dimensions {
		if dim.ID != timeID && dim.ID != col && len(dim.Categories) > 1 {
			s.Rows = append(s.Rows, dim.ID)
		}
	}
	s.Rows = append(s.Rows, timeID)
	return s
}

// Build crosses d as spec says.
func Build(d *jsonstat.Dataset, spec Spec) (*Table, error) {
	n := len(d.Dimensions)
	role := make([]byte, n) // 'r', 'c' or 'f'
	pos := make([][]int, n) // selected category positions per dimension
	for i := range d.Dimensions {
		role[i] = 'f'
	}
	place := func(ids []string, r byte) error {
		for _, id := range ids {
			i := dimIndex(d, id)
			if i < 0 {
				return fmt.Errorf("no dimension %q", id)
			}
			if role[i] != 'f' {
				return fmt.Errorf("dimension %q used twice", id)
			}
			role[i] = r
		}
		return nil
	}
	if err := place(spec.Rows, 'r'); err != nil {
		return nil, err
	}
	if err := place(spec.Cols, 'c'); err != nil {
		return nil, err
	}
	for i := range d.Dimensions {
		dim := &d.Dimensions[i]
		codes, ok := spec.Keep[dim.ID]
		if !ok {
			pos[i] = make([]int, len(dim.Categories))
			for j := range pos[i] {
				pos[i][j] = j
			}
		} else {
			for _, c := range codes {
				p := dim.Position(c)
				if p < 0 {
					return nil, fmt.Errorf("dimension %q has no category %q", dim.ID, c)
				}
				pos[i] = append(pos[i], p)
			}
		}
		if role[i] == 'f' && len(pos[i]) != 1 {
			return nil, fmt.Errorf("dimension %q is neither in rows nor columns and must be kept to one category (has %d)", dim.ID, len(pos[i]))
		}
	}
	for id := range spec.Keep {
		if dimIndex(d, id) < 0 {
			return nil, fmt.Errorf("no dimension %q", id)
		}
	}

	t := &Table{Title: d.Label}
	for i := range d.Dimensions {
		if role[i] == 'f' {
			t.Fixed = append(t.Fixed, Fixed{Dim: &d.Dimensions[i], Category: d.Dimensions[i].Categories[pos[i][0]]})
		}
	}
	rowDims := dimsOf(d, spec.Rows)
	colDims := dimsOf(d, spec.Cols)
	rowCombos := combos(rowDims, pos)
	colCombos := combos(colDims, pos)
	t.Rows = axis(d, rowDims, rowCombos)
	t.Cols = axis(d, colDims, colCombos)

	decimals := decimalsFunc(d)
	coords := make([]int, n)
	for i := range d.Dimensions {
		if role[i] == 'f' {
			coords[i] = pos[i][0]
		}
	}
	t.Cells = make([][]Cell, len(rowCombos))
	for r, rc := range rowCombos {
		for k, di := range rowDims {
			coords[di] = rc[k]
		}
		row := make([]Cell, len(colCombos))
		for c, cc := range colCombos {
			for k, di := range colDims {
				coords[di] = cc[k]
			}
			idx := d.Index(coords...)
			v, ok := d.Value(idx)
			row[c] = Cell{Value: v, OK: ok, Status: d.CellStatus(idx), Text: d.Text[idx], Decimals: decimals(coords)}
		}
		t.Cells[r] = row
	}
	return t, nil
}

func dimIndex(d *jsonstat.Dataset, id string) int {
	for i := range d.Dimensions {
		if d.Dimensions[i].ID == id {
			return i
		}
	}
	return -1
}

func dimsOf(d *jsonstat.Dataset, ids []string) []int {
	out := make([]int, len(ids))
	for i, id := range ids {
		out[i] = dimIndex(d, id)
	}
	return out
}

// combos returns every combination of the selected positions of dims, the
// last dimension varying fastest.
func combos(dims []int, pos [][]int) [][]int {
	out := [][]int{{}}
	for _, di := range dims {
		var next [][]int
		for _, prefix := range out {
			for _, p := range pos[di] {
				c := append(append([]int(nil), prefix...), p)
				next = append(next, c)
			}
		}
		out = next
	}
	return out
}

func axis(d *jsonstat.Dataset, dims []int, cs [][]int) Axis {
	a := Axis{Labels: make([][]string, len(cs)), Codes: make([][]string, len(cs))}
	for _, di := range dims {
		a.Dims = append(a.Dims, &d.Dimensions[di])
	}
	for i, c := range cs {
		for k, di := range dims {
			cat := d.Dimensions[di].Categories[c[k]]
			a.Labels[i] = append(a.Labels[i], cat.Label)
			a.Codes[i] = append(a.Codes[i], cat.Code)
		}
	}
	return a
}

// decimalsFunc returns, for cell coordinates, the number of decimals the
// metric category's unit asks for, or -1.
func decimalsFunc(d *jsonstat.Dataset) func(coords []int) int {
	metric := -1
	if len(d.Role.Metric) > 0 {
		metric = dimIndex(d, d.Role.Metric[0])
	}
	if metric < 0 {
		metric = dimIndex(d, "ContentsCode")
	}
	return func(coords []int) int {
		if metric < 0 {
			return -1
		}
		u := d.Dimensions[metric].Categories[coords[metric]].Unit
		if u == nil || u.Decimals == nil {
			return -1
		}
		return *u.Decimals
	}
}

// Format writes a cell the Norwegian way: decimal comma, spaces between
// thousands; a missing cell shows its status symbol, or "..".
func Format(c Cell) string {
	switch {
	case c.Text != "":
		return c.Text
	case !c.OK && c.Status != "":
		return c.Status
	case !c.OK:
		return ".."
	}
	s := formatNumber(c.Value, c.Decimals)
	if c.Status != "" {
		s += " " + c.Status
	}
	return s
}

func formatNumber(v float64, decimals int) string {
	var s string
	if decimals >= 0 {
		s = strconv.FormatFloat(v, 'f', decimals, 64)
	} else {
		s = strconv.FormatFloat(v, 'f', -1, 64)
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	// A value that rounds to zero (-0.04 at one decimal, or -0) shows no
	// minus sign.
	if neg && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteRune(' ')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}
