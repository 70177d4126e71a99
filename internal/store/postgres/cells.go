package postgres

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/internal/backend"
)

// copyCells loads the cells of s that get a row (see backend.Cells) with
// COPY.
func copyCells(ctx context.Context, tx pgx.Tx, id int64, s *store.Snapshot) error {
	if s.Data.Len() > math.MaxInt32 {
		return fmt.Errorf("%d cells: more than the store keeps", s.Data.Len())
	}
	src := &cellSource{cells: backend.NewCells(s.Data), row: []any{id, nil, nil, nil, nil}}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"cells"}, columns(backend.CellColumns), src); err != nil {
		return fmt.Errorf("copy cells: %w", err)
	}
	return nil
}

// columns returns snapshot_id and the columns of a backend column list, as
// CopyFrom takes them.
func columns(list string) []string {
	cols := []string{"snapshot_id"}
	for c := range strings.SplitSeq(list, ",") {
		cols = append(cols, strings.TrimSpace(c))
	}
	return cols
}

// cellSource is a pgx.CopyFromSource over backend.Cells. Values reuses one
// row, whose first value is the snapshot id.
type cellSource struct {
	cells *backend.Cells
	row   []any
}

// Next moves to the next cell and fills the row.
func (src *cellSource) Next() bool {
	if !src.cells.Next() {
		return false
	}
	c := src.cells.Cell()
	src.row[1], src.row[2], src.row[3], src.row[4] = int32(c.Index), c.Value, c.Text, c.Status
	return true
}

// Values returns the current row.
func (src *cellSource) Values() ([]any, error) { return src.row, nil }

// Err reports no error: the cells are in memory.
func (src *cellSource) Err() error { return nil }
