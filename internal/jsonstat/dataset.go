// Package jsonstat decodes and encodes JSON-stat datasets: version 2.0 as
// PxWebApi v2 serves it, the 1.x form of SSB's old API, and the two PxWeb v1
// JSON shapes (px-json data and v1 metadata) that recorded responses show.
//
// A decoded Dataset is compact: dimensions with their categories in position
// order, and one float64 per cell in row-major order (the last dimension in
// id varies fastest). Codes are always strings.
//
// Decode reads one dataset, Parse any document (collections and 1.x bundles
// too), Encode writes JSON-stat 2.0. The decoder is a hand-written scanner
// over the input bytes: it builds no generic tree and parses the value
// array in place, so a 100 MB response costs little more than its Values.
package jsonstat

import (
	"encoding/json"
	"math"
)

// Dataset is one JSON-stat dataset.
type Dataset struct {
	Label   string
	Source  string
	Updated string // as given, e.g. "2025-10-29T07:00:00Z"
	Href    string
	Note    []string

	// Extension and Link are kept verbatim (nil when absent).
	Extension json.RawMessage
	Link      json.RawMessage

	Role       Role
	Dimensions []Dimension // in the order of "id"

	// Values has one entry per cell in row-major order. NaN marks a missing
	// cell (JSON null, an absent key of a sparse value object, or a cell whose
	// value is text). Values is nil for a metadata-only dataset ("value": []).
	Values []float64

	// Text holds cells whose value is a JSON string, by flat index. Nil when
	// there are none (always, for PxWeb responses).
	Text map[int]string

	// Status holds the status symbol of each cell that has one, by flat index
	// (".", "..", ":" at SSB). Empty symbols are dropped. Nil when there
	// are none.
	Status map[int]string

	// StatusAll is the status of every cell that has no entry in Status:
	// what a document gives as one string, or a one-element array, for all
	// cells. It stays one value rather than one entry per cell, so a large
	// table with a blanket status costs nothing extra. Empty when there is
	// none, and always for a metadata-only dataset. Read a cell's status
	// with CellStatus, which takes both into account.
	StatusAll string
}

// CellStatus returns the status symbol of cell idx: its own, else the
// blanket StatusAll, else "".
func (d *Dataset) CellStatus(idx int) string {
	if s, ok := d.Status[idx]; ok {
		return s
	}
	if idx < 0 || idx >= d.Len() {
		return ""
	}
	return d.StatusAll
}

// Role lists the dimensions that play the time, geo and metric roles.
type Role struct {
	Time   []string
	Geo    []string
	Metric []string
}

// Dimension is one dimension of a dataset.
type Dimension struct {
	ID         string
	Label      string
	Note       []string
	Categories []Category // in position order
	// Child maps a parent category code to the codes of its children.
	Child     map[string][]string
	Extension json.RawMessage
	Link      json.RawMessage
	Href      string
}

// Category is one value of a dimension.
type Category struct {
	Code  string
	Label string // the code when the source has no label
	Note  []string
	Unit  *Unit // set for metric categories that carry a unit
}

// Unit describes the unit of a metric category. PxWeb sends "base" where the
// JSON-stat specification says "label"; both end up in Label.
type Unit struct {
	Label      string
	Symbol     string
	Position   string // "start" or "end"
	Decimals   *int
	Multiplier *int
}

// Size returns the number of categories of each dimension, in id order.
func (d *Dataset) Size() []int {
	s := make([]int, len(d.Dimensions))
	for i := range d.Dimensions {
		s[i] = len(d.Dimensions[i].Categories)
	}
	return s
}

// Len returns the number of cells: the product of the dimension sizes.
func (d *Dataset) Len() int {
	n := 1
	for i := range d.Dimensions {
		n *= len(d.Dimensions[i].Categories)
	}
	return n
}

// HasValues reports whether the dataset carries data, as opposed to a
// metadata response with "value": [].
func (d *Dataset) HasValues() bool { return d.Values != nil }

// Dimension returns the dimension with the given id, or nil.
func (d *Dataset) Dimension(id string) *Dimension {
	for i := range d.Dimensions {
		if d.Dimensions[i].ID == id {
			return &d.Dimensions[i]
		}
	}
	return nil
}

// Index returns the flat row-major index of the cell at the given category
// positions, one per dimension in id order. It panics if len(pos) differs
// from the number of dimensions; positions are not range-checked.
func (d *Dataset) Index(pos ...int) int {
	if len(pos) != len(d.Dimensions) {
		panic("jsonstat: Index called with wrong number of positions")
	}
	idx := 0
	for i := range d.Dimensions {
		idx = idx*len(d.Dimensions[i].Categories) + pos[i]
	}
	return idx
}

// Coords writes the category positions of flat index idx into dst (resized
// to the number of dimensions) and returns it.
func (d *Dataset) Coords(idx int, dst []int) []int {
	n := len(d.Dimensions)
	if cap(dst) < n {
		dst = make([]int, n)
	}
	dst = dst[:n]
	for i := n - 1; i >= 0; i-- {
		size := len(d.Dimensions[i].Categories)
		if size == 0 {
			dst[i] = 0
			continue
		}
		dst[i] = idx % size
		idx /= size
	}
	return dst
}

// Value returns the numeric value of cell idx and whether it is present.
func (d *Dataset) Value(idx int) (float64, bool) {
	if idx < 0 || idx >= len(d.Values) {
		return 0, false
	}
	v := d.Values[idx]
	if math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// Position returns the position of the category with the given code, or -1.
func (dim *Dimension) Position(code string) int {
	for i := range dim.Categories {
		if dim.Categories[i].Code == code {
			return i
		}
	}
	return -1
}
