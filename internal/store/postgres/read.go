package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/internal/backend"
)

// readOnly returns the options of a read's transaction: it sees one state
// of the database.
func readOnly() pgx.TxOptions {
	return pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
}

// selectSnapshot reads the snapshots row that loadSnapshot decodes.
const selectSnapshot = `SELECT id, ` + backend.SnapshotColumns + ` FROM snapshots `

// LatestSnapshot returns the newest snapshot of a table with its data.
func (db *DB) LatestSnapshot(ctx context.Context, tableID string) (*store.Snapshot, error) {
	s, err := db.loadSnapshot(ctx, selectSnapshot+`WHERE table_id = $1 ORDER BY id DESC LIMIT 1`, tableID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fault.Errorf(fault.NotFound, "table %s has no snapshot", tableID)
	}
	if err != nil {
		return nil, fmt.Errorf("latest snapshot of table %s: %w", tableID, classify(backend.ContextErr(ctx, err)))
	}
	return s, nil
}

// SnapshotAsOf returns the snapshot of a table with the latest fetch time at
// or before t (of those, the newest saved), with its data.
func (db *DB) SnapshotAsOf(ctx context.Context, tableID string, t time.Time) (*store.Snapshot, error) {
	s, err := db.loadSnapshot(ctx, selectSnapshot+`WHERE table_id = $1 AND fetched_at <= $2
		ORDER BY fetched_at DESC, id DESC LIMIT 1`, tableID, t)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fault.Errorf(fault.NotFound, "table %s has no snapshot fetched at or before %s", tableID, t.UTC().Format(time.RFC3339))
	}
	if err != nil {
		return nil, fmt.Errorf("snapshot of table %s as of %s: %w", tableID, t.UTC().Format(time.RFC3339), classify(backend.ContextErr(ctx, err)))
	}
	return s, nil
}

// Snapshot returns one snapshot with its data.
func (db *DB) Snapshot(ctx context.Context, id int64) (*store.Snapshot, error) {
	s, err := db.loadSnapshot(ctx, selectSnapshot+`WHERE id = $1`, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fault.Errorf(fault.NotFound, "snapshot %d does not exist", id)
	}
	if err != nil {
		return nil, fmt.Errorf("snapshot %d: %w", id, classify(backend.ContextErr(ctx, err)))
	}
	return s, nil
}

// loadSnapshot reads the snapshot the query selects, with its dimensions,
// categories and cells, in one read transaction.
func (db *DB) loadSnapshot(ctx context.Context, query string, args ...any) (*store.Snapshot, error) {
	tx, err := db.pool.BeginTx(ctx, readOnly())
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))

	var r backend.SnapshotRow
	if err := tx.QueryRow(ctx, query, args...).Scan(r.Fields(&r.FetchedAt)...); err != nil {
		return nil, err
	}
	s, err := r.Snapshot()
	if err != nil {
		return nil, err
	}
	if err := loadDimensions(ctx, tx, s); err != nil {
		return nil, err
	}
	if err := loadCells(ctx, tx, s); err != nil {
		return nil, err
	}
	return s, nil
}

func loadDimensions(ctx context.Context, tx pgx.Tx, s *store.Snapshot) error {
	rows, err := tx.Query(ctx, `SELECT `+backend.DimensionColumns+`
		FROM dimensions WHERE snapshot_id = $1 ORDER BY pos`, s.ID)
	if err != nil {
		return fmt.Errorf("dimensions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r backend.DimensionRow
		if err := rows.Scan(r.Fields()...); err != nil {
			return fmt.Errorf("dimensions: %w", err)
		}
		if err := r.AddTo(s); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("dimensions: %w", err)
	}

	rows, err = tx.Query(ctx, `SELECT `+backend.CategoryColumns+`
		FROM categories WHERE snapshot_id = $1 ORDER BY dim_pos, pos`, s.ID)
	if err != nil {
		return fmt.Errorf("categories: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r backend.CategoryRow
		if err := rows.Scan(r.Fields()...); err != nil {
			return fmt.Errorf("categories: %w", err)
		}
		if err := r.AddTo(s); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("categories: %w", err)
	}
	return backend.CheckShape(s)
}

// loadCells fills in values, texts and statuses.
func loadCells(ctx context.Context, tx pgx.Tx, s *store.Snapshot) error {
	rows, err := tx.Query(ctx, `SELECT `+backend.CellColumns+`
		FROM cells WHERE snapshot_id = $1 ORDER BY idx`, s.ID)
	if err != nil {
		return fmt.Errorf("cells: %w", err)
	}
	defer rows.Close()
	// pgx scans its own nullable types without going through database/sql's
	// Scanner, much faster over millions of cells; they have the fields of
	// the sql.Null types of CellRow.
	var r backend.CellRow
	fields := []any{&r.Index, (*pgtype.Float8)(&r.Value), (*pgtype.Text)(&r.Text), (*pgtype.Text)(&r.Status)}
	for rows.Next() {
		if err := rows.Scan(fields...); err != nil {
			return fmt.Errorf("cells: %w", err)
		}
		if err := r.AddTo(s); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("cells: %w", err)
	}
	return nil
}

// SnapshotRaw returns the raw bodies of a snapshot, decompressed, in order.
// A snapshot stored without bodies gives an empty list.
func (db *DB) SnapshotRaw(ctx context.Context, id int64) ([][]byte, error) {
	raw, err := db.snapshotRaw(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("raw bodies of snapshot %d: %w", id, classify(backend.ContextErr(ctx, err)))
	}
	return raw, nil
}

func (db *DB) snapshotRaw(ctx context.Context, id int64) ([][]byte, error) {
	tx, err := db.pool.BeginTx(ctx, readOnly())
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))

	var exists bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM snapshots WHERE id = $1)`, id).Scan(&exists); err != nil {
		return nil, err
	}
	if !exists {
		return nil, fault.Errorf(fault.NotFound, "snapshot %d does not exist", id)
	}
	rows, err := tx.Query(ctx, `SELECT `+backend.RawColumns+` FROM snapshot_raw WHERE snapshot_id = $1 ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	raw := [][]byte{}
	for rows.Next() {
		var r backend.RawRow
		if err := rows.Scan(r.Fields()...); err != nil {
			return nil, err
		}
		b, err := r.Decode()
		if err != nil {
			return nil, err
		}
		raw = append(raw, b)
	}
	return raw, rows.Err()
}
