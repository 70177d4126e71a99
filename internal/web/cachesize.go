package web

import (
	"reflect"

	"github.com/grunnlag/grunnlag/internal/pivot"
	"github.com/grunnlag/grunnlag/internal/store"
)

// sizeOf estimates the bytes a cached value holds, for the cache's
// budget. The estimates count what grows with the data (cells, labels,
// bodies) and round the rest up; the values anyone can multiply (views,
// answers, encoded downloads) are the ones that must be right.
func sizeOf(v any) int64 {
	const overhead = 256
	switch x := v.(type) {
	case []byte:
		return overhead + int64(len(x))
	case *recorded:
		n := int64(overhead + len(x.body))
		for k, vs := range x.header {
			n += int64(len(k))
			for _, v := range vs {
				n += int64(len(v)) + 16
			}
		}
		return n
	case *store.Snapshot:
		return overhead + snapshotSize(x)
	case *tableView:
		return overhead + pivotSize(x.Pivot)
	case []store.SyncAttempt:
		n := int64(overhead)
		for _, a := range x {
			n += 128 + int64(len(a.Error))
		}
		return n
	case []store.SnapshotInfo:
		n := int64(overhead)
		for _, i := range x {
			n += 160 + int64(len(i.Title)+len(i.Source))
		}
		return n
	}
	// The analysis, the report and the dashboard's charts: one of each per
	// snapshot or pack, so a generous round figure is enough.
	return 1 << 20
}

// snapshotSize estimates a decoded snapshot: its raw bodies, values,
// status symbols and texts, and categories.
func snapshotSize(s *store.Snapshot) int64 {
	n := int64(len(s.Title) + len(s.Source))
	for _, b := range s.Raw {
		n += int64(len(b))
	}
	d := s.Data
	if d == nil {
		return n
	}
	n += int64(len(d.Values))*8 + int64(len(d.Status)+len(d.Text))*48
	for i := range d.Dimensions {
		n += 128
		for _, c := range d.Dimensions[i].Categories {
			n += 96 + int64(len(c.Code)+len(c.Label))
		}
	}
	return n
}

var cellBytes = int64(reflect.TypeFor[pivot.Cell]().Size())

// pivotSize estimates a built pivot table: its cells and the label and
// code slices of its axes (the strings themselves are the dataset's).
func pivotSize(t *pivot.Table) int64 {
	if t == nil {
		return 0
	}
	var n int64
	for _, row := range t.Cells {
		n += 24 + int64(len(row))*cellBytes
	}
	axis := func(a pivot.Axis) int64 {
		return int64(len(a.Labels)) * (2*24 + int64(len(a.Dims))*2*16)
	}
	return n + axis(t.Rows) + axis(t.Cols)
}
