// Package tablediff compares two stored versions of a statistics table
// cell by cell: which cells the newer version adds, which it no longer
// has, and which changed value or status, the largest changes first.
// Cells are matched by their category codes, so a version that adds a
// year or reorders categories still lines up with the one before.
package tablediff

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/grunnlag/grunnlag/internal/jsonstat"
)

// Value is one side of a cell.
type Value struct {
	V      float64
	OK     bool   // false: no number (missing, or only a status symbol)
	Status string // the source's symbol, if any
}

// Cell is a cell present in one or both versions.
type Cell struct {
	Codes  []string // one category code per dimension, in Diff.Dims order
	Labels []string // the labels of those categories
	Old    Value    // zero for an added cell
	New    Value    // zero for a removed cell
}

// Delta is New − Old when both have a number, else NaN.
func (c Cell) Delta() float64 {
	if !c.Old.OK || !c.New.OK {
		return math.NaN()
	}
	return c.New.V - c.Old.V
}

// Dim names a dimension of the compared versions.
type Dim struct {
	ID, Label string
}

// Diff is what changed from one version to another.
type Diff struct {
	Dims    []Dim  // the dimensions cells are keyed by, in the newer version's order
	Added   []Cell // in the newer version only, in its order
	Removed []Cell // in the older version only, in its order
	// Changed holds the cells in both whose value or status differs: the
	// largest absolute change first, then those whose number came or went
	// (a value replaced by a symbol, or the other way round).
	Changed []Cell
	Same    int // cells in both with the same value and status
	// DimsDiffer is true when the versions do not have the same
	// dimensions; every cell is then added or removed.
	DimsDiffer bool
}

// Compare returns what changed from old to new.
func Compare(old, new *jsonstat.Dataset) Diff {
	var d Diff
	for _, dim := range new.Dimensions {
		d.Dims = append(d.Dims, Dim{ID: dim.ID, Label: dim.Label})
	}
	// order maps the newer version's dimension order onto the older one's.
	order := make([]int, len(new.Dimensions))
	d.DimsDiffer = len(old.Dimensions) != len(new.Dimensions)
	for i, dim := range new.Dimensions {
		order[i] = -1
		for j := range old.Dimensions {
			if old.Dimensions[j].ID == dim.ID {
				order[i] = j
			}
		}
		if order[i] < 0 {
			d.DimsDiffer = true
		}
	}
	if d.DimsDiffer {
		each(old, nil, func(c Cell) { d.Removed = append(d.Removed, c) })
		each(new, nil, func(c Cell) { d.Added = append(d.Added, c) })
		return d
	}
	olds := map[string]Cell{}
	each(old, order, func(c Cell) { olds[strings.Join(c.Codes, "\x1f")] = c })
	each(new, nil, func(c Cell) {
		key := strings.Join(c.Codes, "\x1f")
		o, ok := olds[key]
		if !ok {
			d.Added = append(d.Added, Cell{Codes: c.Codes, Labels: c.Labels, New: c.New})
			return
		}
		delete(olds, key)
		if o.New == c.New {
			d.Same++
			return
		}
		d.Changed = append(d.Changed, Cell{Codes: c.Codes, Labels: c.Labels, Old: o.New, New: c.New})
	})
	each(old, order, func(c Cell) {
		if _, gone := olds[strings.Join(c.Codes, "\x1f")]; gone {
			d.Removed = append(d.Removed, Cell{Codes: c.Codes, Labels: c.Labels, Old: c.New})
		}
	})
	slices.SortStableFunc(d.Changed, func(a, b Cell) int {
		da, db := math.Abs(a.Delta()), math.Abs(b.Delta())
		switch {
		case math.IsNaN(da) && math.IsNaN(db):
			return 0
		case math.IsNaN(da):
			return 1
		case math.IsNaN(db):
			return -1
		}
		return cmp.Compare(db, da)
	})
	return d
}

// each calls f for every cell of d, with the cell's value in New. order,
// when not nil, lists for each output position the dimension of d whose
// code goes there, so cells of two versions key alike.
func each(d *jsonstat.Dataset, order []int, f func(Cell)) {
	if order == nil {
		order = make([]int, len(d.Dimensions))
		for i := range order {
			order[i] = i
		}
	}
	coords := make([]int, len(d.Dimensions))
	for i := range d.Len() {
		coords = d.Coords(i, coords)
		c := Cell{Codes: make([]string, len(order)), Labels: make([]string, len(order))}
		for k, j := range order {
			cat := d.Dimensions[j].Categories[coords[j]]
			c.Codes[k], c.Labels[k] = cat.Code, cat.Label
		}
		v, ok := d.Value(i)
		c.New = Value{V: v, OK: ok, Status: d.Status[i]}
		f(c)
	}
}
