package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// SaveSnapshot stores s and its cells in one transaction and sets s.ID
// (see store.Store). It refuses what s.Validate refuses, answers unchanged
// content, the common case of a sync, with one read, and encodes s before
// its transaction begins, so that other writers wait less.
func (db *DB) SaveSnapshot(ctx context.Context, s *store.Snapshot) (added bool, err error) {
	if err := s.Validate(); err != nil {
		return false, err
	}
	if db.write == nil {
		return false, db.errReadOnly("save table " + s.TableID)
	}
	// The answer holds: it is what a save at the moment of the read gives.
	var newestID int64
	var newestSHA string
	err = db.readTx(ctx, func(tx *Tx) error {
		newestID, newestSHA, err = newest(ctx, tx, s.TableID)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("save table %s: %w", s.TableID, err)
	}
	if newestID != 0 && newestSHA == s.SHA256 {
		s.ID = newestID
		return false, nil
	}
	rows, err := encode(s)
	if err != nil {
		return false, fmt.Errorf("table %s: %w", s.TableID, err)
	}

	var id int64
	err = db.writeTx(ctx, func(tx *Tx) error {
		// Writers of the same table take turns here; then the newest
		// snapshot is looked at again, so the same content is stored once.
		if err := db.d.lock(ctx, tx, lockKey{lockTable, s.TableID}); err != nil {
			return err
		}
		newestID, newestSHA, err := newest(ctx, tx, s.TableID)
		if err != nil {
			return err
		}
		if newestID != 0 && newestSHA == s.SHA256 {
			id = newestID
			return nil
		}
		if id, err = db.insertSnapshot(ctx, tx, rows); err != nil {
			return err
		}
		added = true
		if s.Data.Values != nil {
			if err := insertBlocks(ctx, tx, id, s.Data.Values); err != nil {
				return err
			}
		}
		if err := db.d.insertCells(ctx, tx, id, newExtras(s.Data)); err != nil {
			return err
		}
		return db.changed(ctx, tx)
	})
	if err != nil {
		return false, fmt.Errorf("save table %s: %w", s.TableID, err)
	}
	s.ID = id
	return added, nil
}

// newest returns the id and SHA-256 of the newest snapshot of a table, or
// 0 and "" when it has none.
func newest(ctx context.Context, tx *Tx, tableID string) (id int64, sha string, err error) {
	err = tx.queryRow(ctx, `SELECT id, sha256 FROM snapshots WHERE table_id = ? ORDER BY id DESC LIMIT 1`,
		tableID).Scan(&id, &sha)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("newest snapshot: %w", err)
	}
	return id, sha, nil
}

// insertSnapshot writes the snapshot's row, raw bodies, dimensions and
// categories, and returns its id.
func (db *DB) insertSnapshot(ctx context.Context, tx *Tx, rows *snapshotRows) (id int64, err error) {
	r := &rows.Snapshot
	err = tx.queryRow(ctx, `INSERT INTO snapshots (`+snapshotColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.Values(db.d.timeArg(r.FetchedAt))...).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert snapshot: %w", err)
	}
	for _, r := range rows.Raw {
		if _, err := tx.exec(ctx, `INSERT INTO snapshot_raw (snapshot_id, `+rawColumns+`) VALUES (?, ?, ?, ?)`,
			append([]any{id}, r.Values()...)...); err != nil {
			return 0, fmt.Errorf("insert raw body %d: %w", r.Seq, err)
		}
	}
	for _, r := range rows.Dimensions {
		if _, err := tx.exec(ctx, `INSERT INTO dimensions (snapshot_id, `+dimensionColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, append([]any{id}, r.Values()...)...); err != nil {
			return 0, fmt.Errorf("insert dimension %s: %w", r.ID, err)
		}
	}
	if err := db.d.insertCategories(ctx, tx, id, rows.Categories); err != nil {
		return 0, err
	}
	return id, nil
}

// selectSnapshot reads the snapshots row that loadSnapshot decodes.
const selectSnapshot = `SELECT id, ` + snapshotColumns + ` FROM snapshots `

// LatestSnapshot returns the newest snapshot of a table with its data.
func (db *DB) LatestSnapshot(ctx context.Context, tableID string) (*store.Snapshot, error) {
	s, err := db.loadSnapshot(ctx, selectSnapshot+`WHERE table_id = ? ORDER BY id DESC LIMIT 1`, tableID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fault.Errorf(fault.NotFound, "table %s has no snapshot", tableID)
	}
	if err != nil {
		return nil, fmt.Errorf("latest snapshot of table %s: %w", tableID, err)
	}
	return s, nil
}

// LatestDimensions returns the newest snapshot of a table with its
// dimensions and categories, without its cells.
func (db *DB) LatestDimensions(ctx context.Context, tableID string) (*store.Snapshot, error) {
	s, err := db.loadSnapshotOnly(ctx, false, selectSnapshot+`WHERE table_id = ? ORDER BY id DESC LIMIT 1`, tableID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fault.Errorf(fault.NotFound, "table %s has no snapshot", tableID)
	}
	if err != nil {
		return nil, fmt.Errorf("dimensions of table %s: %w", tableID, err)
	}
	return s, nil
}

// SnapshotAsOf returns the snapshot of a table with the latest fetch time at
// or before t (of those, the newest saved), with its data.
func (db *DB) SnapshotAsOf(ctx context.Context, tableID string, t time.Time) (*store.Snapshot, error) {
	s, err := db.loadSnapshot(ctx, selectSnapshot+`WHERE table_id = ? AND fetched_at <= ?
		ORDER BY fetched_at DESC, id DESC LIMIT 1`, tableID, db.d.timeArg(t))
	at := t.UTC().Format(time.RFC3339)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fault.Errorf(fault.NotFound, "table %s has no snapshot fetched at or before %s", tableID, at)
	}
	if err != nil {
		return nil, fmt.Errorf("snapshot of table %s as of %s: %w", tableID, at, err)
	}
	return s, nil
}

// Snapshot returns one snapshot with its data.
func (db *DB) Snapshot(ctx context.Context, id int64) (*store.Snapshot, error) {
	s, err := db.loadSnapshot(ctx, selectSnapshot+`WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fault.Errorf(fault.NotFound, "snapshot %d does not exist", id)
	}
	if err != nil {
		return nil, fmt.Errorf("snapshot %d: %w", id, err)
	}
	return s, nil
}

// loadSnapshot reads the snapshot the query selects, with its dimensions,
// categories and cells, in one read transaction.
func (db *DB) loadSnapshot(ctx context.Context, query string, args ...any) (*store.Snapshot, error) {
	return db.loadSnapshotOnly(ctx, true, query, args...)
}

// loadSnapshotOnly is loadSnapshot, without the cells unless withCells.
func (db *DB) loadSnapshotOnly(ctx context.Context, withCells bool, query string, args ...any) (*store.Snapshot, error) {
	var s *store.Snapshot
	err := db.readTx(ctx, func(tx *Tx) error {
		var r snapshotRow
		var at time.Time
		if err := tx.queryRow(ctx, query, args...).Scan(r.Fields(scanTime(&at))...); err != nil {
			return err
		}
		r.FetchedAt = at
		var err error
		if !withCells {
			r.HasValues = false // Data.Values nil, not a slice of every cell
		}
		if s, err = r.Snapshot(); err != nil {
			return err
		}
		if err := readDimensions(ctx, tx, s); err != nil {
			return err
		}
		if !withCells {
			return nil
		}
		if r.CellFormat == cellsInBlocks && s.Data.Values != nil {
			if err := readBlocks(ctx, tx, s); err != nil {
				return err
			}
		}
		return db.d.readCells(ctx, tx, s)
	})
	return s, err
}

func readDimensions(ctx context.Context, tx *Tx, s *store.Snapshot) error {
	err := scanRows(ctx, tx, func(r *dimensionRow) []any { return r.Fields() }, func(r *dimensionRow) error { return r.AddTo(s) },
		`SELECT `+dimensionColumns+` FROM dimensions WHERE snapshot_id = ? ORDER BY pos`, s.ID)
	if err != nil {
		return fmt.Errorf("dimensions: %w", err)
	}
	err = scanRows(ctx, tx, func(r *categoryRow) []any { return r.Fields() }, func(r *categoryRow) error { return r.AddTo(s) },
		`SELECT `+categoryColumns+` FROM categories WHERE snapshot_id = ? ORDER BY dim_pos, pos`, s.ID)
	if err != nil {
		return fmt.Errorf("categories: %w", err)
	}
	return checkShape(s)
}

// scanRows runs a query and, for each row, scans it into a new R through
// fields and hands it to add.
func scanRows[R any](ctx context.Context, tx *Tx, fields func(*R) []any, add func(*R) error, query string, args ...any) error {
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r R
		if err := rows.Scan(fields(&r)...); err != nil {
			return err
		}
		if err := add(&r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// SnapshotRaw returns the raw bodies of a snapshot, decompressed, in order.
// A snapshot stored without bodies gives an empty list.
func (db *DB) SnapshotRaw(ctx context.Context, id int64) ([][]byte, error) {
	raw := [][]byte{}
	err := db.readTx(ctx, func(tx *Tx) error {
		var exists bool
		if err := tx.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM snapshots WHERE id = ?)`, id).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			return fault.Errorf(fault.NotFound, "snapshot %d does not exist", id)
		}
		return scanRows(ctx, tx, func(r *rawRow) []any { return r.Fields() }, func(r *rawRow) error {
			b, err := r.Decode()
			raw = append(raw, b)
			return err
		}, `SELECT `+rawColumns+` FROM snapshot_raw WHERE snapshot_id = ? ORDER BY seq`, id)
	})
	if err != nil {
		return nil, fmt.Errorf("raw bodies of snapshot %d: %w", id, err)
	}
	return raw, nil
}
