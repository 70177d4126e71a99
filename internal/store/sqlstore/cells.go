package sqlstore

import (
	"slices"

	"github.com/grunnlag/grunnlag/internal/jsonstat"
)

// cellWalk walks the cells of a dataset that get a row of cells, in index
// order (so that the table's index only grows at its end): those with a
// value, a text or a status. A cell without a row is missing.
type cellWalk struct {
	d      *jsonstat.Dataset
	n      int
	i      int   // next index to look at
	extra  []int // sorted indices that have a text or a status
	extraI int
	cell   cellValues
	// extrasOnly walks the cells with a text or status alone, without
	// their values (which are kept in blocks).
	extrasOnly bool
}

// cellValues is the row of one cell as a store writes it: the values of
// cellColumns, each NULL (nil) or a float64 (Value), string (Text, Status).
// Interfaces rather than sql.Null types, so that neither driver calls a
// Valuer per cell.
type cellValues struct {
	Index               int64
	Value, Text, Status any
}

// newCells returns a walk over the cells of d that get a row when values
// are kept as rows (a snapshot of cellsAsRows; the tests of the walk).
func newCells(d *jsonstat.Dataset) *cellWalk {
	c := &cellWalk{d: d, n: d.Len()}
	c.index(d)
	return c
}

// newExtras returns a walk over only the cells with a text or a status of
// their own, without their values: the rows of a snapshot whose values are
// in blocks.
func newExtras(d *jsonstat.Dataset) *cellWalk {
	c := &cellWalk{d: d, n: d.Len(), extrasOnly: true}
	c.index(d)
	return c
}

// index lists the cells with a text or a status.
func (c *cellWalk) index(d *jsonstat.Dataset) {
	if len(d.Text)+len(d.Status) > 0 {
		seen := make(map[int]bool, len(d.Text)+len(d.Status))
		for idx := range d.Text {
			seen[idx] = true
		}
		for idx := range d.Status {
			seen[idx] = true
		}
		c.extra = make([]int, 0, len(seen))
		for idx := range seen {
			c.extra = append(c.extra, idx)
		}
		slices.Sort(c.extra)
	}
}

// Next moves to the next cell that gets a row and reports whether there is
// one.
func (c *cellWalk) Next() bool {
	if c.extrasOnly {
		if c.extraI >= len(c.extra) {
			return false
		}
		idx := c.extra[c.extraI]
		c.extraI++
		c.cell = cellValues{Index: int64(idx)}
		if t, ok := c.d.Text[idx]; ok {
			c.cell.Text = t
		}
		if st, ok := c.d.Status[idx]; ok {
			c.cell.Status = st
		}
		return true
	}
	vals := c.d.Values
	for c.i < c.n {
		idx := c.i
		c.i++
		hasExtra := c.extraI < len(c.extra) && c.extra[c.extraI] == idx
		var v float64
		hasValue := false
		if vals != nil {
			v = vals[idx]
			hasValue = v == v // not NaN
		}
		if !hasValue && !hasExtra {
			continue
		}
		c.cell = cellValues{Index: int64(idx)}
		if hasValue {
			c.cell.Value = v
		}
		if hasExtra {
			c.extraI++
			if t, ok := c.d.Text[idx]; ok {
				c.cell.Text = t
			}
			if st, ok := c.d.Status[idx]; ok {
				c.cell.Status = st
			}
		}
		return true
	}
	return false
}

// Cell returns the cell Next moved to.
func (c *cellWalk) Cell() *cellValues { return &c.cell }
