package sqlstore

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/grunnlag/grunnlag/internal/store"
)

// A snapshot's values are kept in blocks: each row of cell_values holds the
// values of blockCells consecutive cells as little-endian IEEE 754 doubles,
// NaN for a missing value. Millions of cells then cost a few dozen rows
// instead of a row each, on SQLite and PostgreSQL alike; the cells that
// have a text or a status of their own keep a row in cells (value NULL).
// Snapshots stored before this (cell_format 0) keep their rows of cells
// and are read as before.

// blockCells is the number of cells in a block: 512 KiB of values.
const blockCells = 1 << 16

// Cell formats of snapshots.cell_format.
const (
	cellsAsRows   = 0 // one row of cells per cell with a value, text or status
	cellsInBlocks = 1 // values in cell_values; rows of cells only for texts and statuses
)

// insertBlocks writes the values of a snapshot in blocks.
func insertBlocks(ctx context.Context, tx *Tx, id int64, values []float64) error {
	stmt, err := tx.prepare(ctx, `INSERT INTO cell_values (snapshot_id, block, data) VALUES (?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	buf := make([]byte, 8*blockCells)
	for b, start := 0, 0; start < len(values); b, start = b+1, start+blockCells {
		end := min(start+blockCells, len(values))
		data := buf[:8*(end-start)]
		for i, v := range values[start:end] {
			binary.LittleEndian.PutUint64(data[8*i:], math.Float64bits(v))
		}
		if _, err := stmt.ExecContext(ctx, id, b, data); err != nil {
			return fmt.Errorf("insert values of cells %d–%d: %w", start, end-1, err)
		}
	}
	return nil
}

// readBlocks fills in the values of s's data from its blocks, checking that
// they cover its cells exactly.
func readBlocks(ctx context.Context, tx *Tx, s *store.Snapshot) error {
	values := s.Data.Values
	next := 0
	err := scanRows(ctx, tx, func(r *struct {
		block int
		data  rawText
	}) []any {
		return []any{&r.block, &r.data}
	}, func(r *struct {
		block int
		data  rawText
	}) error {
		start := r.block * blockCells
		n := len(r.data) / 8
		if r.block != next || len(r.data)%8 != 0 || start+n > len(values) || (n != blockCells && start+n != len(values)) {
			return fmt.Errorf("snapshot %d: block %d of %d bytes does not fit its %d cells", s.ID, r.block, len(r.data), len(values))
		}
		for i := range n {
			values[start+i] = math.Float64frombits(binary.LittleEndian.Uint64(r.data[8*i:]))
		}
		next++
		return nil
	}, `SELECT block, data FROM cell_values WHERE snapshot_id = ? ORDER BY block`, s.ID)
	if err != nil {
		return fmt.Errorf("values: %w", err)
	}
	if want := (len(values) + blockCells - 1) / blockCells; next != want {
		return fmt.Errorf("snapshot %d: %d blocks of values stored, its %d cells need %d", s.ID, next, len(values), want)
	}
	return nil
}
