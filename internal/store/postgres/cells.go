package postgres

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/store"
)

// copyCells loads the cells of s that have a value, a text or a status with
// COPY, in index order.
func copyCells(ctx context.Context, tx pgx.Tx, id int64, s *store.Snapshot) error {
	if s.Data.Len() > math.MaxInt32 {
		return fmt.Errorf("%d cells: more than the store keeps", s.Data.Len())
	}
	src := newCellSource(id, s.Data)
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"cells"},
		[]string{"snapshot_id", "idx", "value", "text", "status"}, src); err != nil {
		return fmt.Errorf("copy cells: %w", err)
	}
	return nil
}

// cellSource is a pgx.CopyFromSource over the cells that are stored: those
// with a value, a text or a status. Values reuses one row.
type cellSource struct {
	d      *jsonstat.Dataset
	n      int
	i      int   // next index to look at
	extra  []int // sorted indices that have a text or a status
	extraI int
	row    []any
}

func newCellSource(id int64, d *jsonstat.Dataset) *cellSource {
	src := &cellSource{d: d, n: d.Len(), row: make([]any, 5)}
	src.row[0] = id
	if len(d.Text)+len(d.Status) > 0 {
		seen := make(map[int]bool, len(d.Text)+len(d.Status))
		for idx := range d.Text {
			seen[idx] = true
		}
		for idx := range d.Status {
			seen[idx] = true
		}
		src.extra = make([]int, 0, len(seen))
		for idx := range seen {
			src.extra = append(src.extra, idx)
		}
		slices.Sort(src.extra)
	}
	return src
}

// Next moves to the next stored cell and fills the row.
func (src *cellSource) Next() bool {
	vals := src.d.Values
	for src.i < src.n {
		idx := src.i
		src.i++
		hasExtra := src.extraI < len(src.extra) && src.extra[src.extraI] == idx
		var v float64
		hasValue := false
		if vals != nil {
			v = vals[idx]
			hasValue = v == v // not NaN
		}
		if !hasValue && !hasExtra {
			continue
		}
		row := src.row
		row[1] = int32(idx)
		row[2], row[3], row[4] = nil, nil, nil
		if hasValue {
			row[2] = v
		}
		if hasExtra {
			src.extraI++
			if t, ok := src.d.Text[idx]; ok {
				row[3] = t
			}
			if st, ok := src.d.Status[idx]; ok {
				row[4] = st
			}
		}
		return true
	}
	return false
}

// Values returns the current row.
func (src *cellSource) Values() ([]any, error) { return src.row, nil }

// Err reports no error: the cells are in memory.
func (src *cellSource) Err() error { return nil }
