package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/store/internal/backend"
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

// insertCells stores the cells of d that get a row (see backend.Cells),
// rowsPer cells to a statement.
func insertCells(ctx context.Context, tx *sql.Tx, id int64, d *jsonstat.Dataset, rowsPer int) error {
	it := backend.NewCells(d)
	full, err := tx.PrepareContext(ctx, cellInsertSQL(rowsPer))
	if err != nil {
		return fmt.Errorf("prepare cell insert: %w", err)
	}
	defer full.Close()

	// ?1 is the snapshot id, shared by every row of a statement.
	args := make([]any, 1, 1+4*rowsPer)
	args[0] = id
	for {
		args = args[:1]
		for len(args) < cap(args) && it.Next() {
			c := it.Cell()
			args = append(args, c.Index, c.Value, c.Text, c.Status)
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
	b.WriteString("INSERT INTO cells (snapshot_id, " + backend.CellColumns + ") VALUES ")
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?1,?,?,?,?)")
	}
	return b.String()
}
