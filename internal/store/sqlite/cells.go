package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/grunnlag/grunnlag/internal/jsonstat"
)

// defaultRowsPerInsert is how many cells one INSERT statement carries. Few
// large statements save twice as fast as one prepared statement run per
// cell: each run with a cancellable context costs the driver a goroutine,
// and database/sql adds its own work per call. Between 50 and 1000 rows the
// rate hardly changes. See BenchmarkInsertCells.
const defaultRowsPerInsert = 500

func (db *DB) rowsPerInsert() int {
	if db.cellRows > 0 {
		return db.cellRows
	}
	return defaultRowsPerInsert
}

// insertCells stores the cells of d that have a value, a text or a status,
// rowsPer cells to a statement, in index order (so the table's B-tree only
// grows at its end).
func insertCells(ctx context.Context, tx *sql.Tx, id int64, d *jsonstat.Dataset, rowsPer int) error {
	it := newCellIter(d)
	full, err := tx.PrepareContext(ctx, cellInsertSQL(rowsPer))
	if err != nil {
		return fmt.Errorf("prepare cell insert: %w", err)
	}
	defer full.Close()

	// ?1 is the snapshot id, shared by every row of a statement.
	args := make([]any, 1, 1+4*rowsPer)
	args[0] = id
	var c cell
	for {
		args = args[:1]
		for len(args) < cap(args) && it.next(&c) {
			args = append(args, c.idx, c.value, c.text, c.status)
		}
		rows := (len(args) - 1) / 4
		if rows == 0 {
			return nil
		}
		if rows == rowsPer {
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, cellInsertSQL(rows), args...)
		}
		if err != nil {
			return fmt.Errorf("insert cells from %d: %w", args[1], err)
		}
		if rows < rowsPer {
			return nil
		}
	}
}

// cellInsertSQL returns an INSERT of rows cells.
func cellInsertSQL(rows int) string {
	var b strings.Builder
	b.Grow(64 + rows*14)
	b.WriteString("INSERT INTO cells (snapshot_id, idx, value, text, status) VALUES ")
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?1,?,?,?,?)")
	}
	return b.String()
}

// cellIter walks the cells that are stored, in index order: those with a
// value, a text or a status.
type cellIter struct {
	d      *jsonstat.Dataset
	n      int
	i      int   // next index to look at
	extra  []int // sorted indices that have a text or a status
	extraI int
}

func newCellIter(d *jsonstat.Dataset) *cellIter {
	it := &cellIter{d: d, n: d.Len()}
	if len(d.Text)+len(d.Status) > 0 {
		seen := make(map[int]bool, len(d.Text)+len(d.Status))
		for idx := range d.Text {
			seen[idx] = true
		}
		for idx := range d.Status {
			seen[idx] = true
		}
		it.extra = make([]int, 0, len(seen))
		for idx := range seen {
			it.extra = append(it.extra, idx)
		}
		slices.Sort(it.extra)
	}
	return it
}

// cell is one stored cell; nil fields are NULL.
type cell struct {
	idx    int64
	value  any // float64 or nil
	text   any // string or nil
	status any // string or nil
}

// next returns the next stored cell, or false at the end.
func (it *cellIter) next(c *cell) bool {
	vals := it.d.Values
	for it.i < it.n {
		idx := it.i
		it.i++
		hasExtra := it.extraI < len(it.extra) && it.extra[it.extraI] == idx
		var v float64
		hasValue := false
		if vals != nil {
			v = vals[idx]
			hasValue = v == v // not NaN
		}
		if !hasValue && !hasExtra {
			continue
		}
		c.idx = int64(idx)
		c.value, c.text, c.status = nil, nil, nil
		if hasValue {
			c.value = v
		}
		if hasExtra {
			it.extraI++
			if t, ok := it.d.Text[idx]; ok {
				c.text = t
			}
			if st, ok := it.d.Status[idx]; ok {
				c.status = st
			}
		}
		return true
	}
	return false
}
