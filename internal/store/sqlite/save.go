package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/internal/backend"
)

// SaveSnapshot stores s and its cells in one transaction and sets s.ID
// (see store.Store and backend.Save).
func (db *DB) SaveSnapshot(ctx context.Context, s *store.Snapshot) (added bool, err error) {
	added, err = backend.Save(ctx, s, func(ctx context.Context, tableID string) (int64, string, error) {
		return newest(ctx, db.read, tableID)
	}, db.save)
	return added, classify(backend.ContextErr(ctx, err))
}

func (db *DB) save(ctx context.Context, s *store.Snapshot, rows *backend.Rows) (id int64, added bool, err error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, false, err
	}
	defer tx.Rollback()

	// The transaction holds the write lock from BEGIN IMMEDIATE on, so no
	// other writer can store the same content between this look and the
	// insert below.
	newestID, newestSHA, err := newest(ctx, tx, s.TableID)
	if err != nil {
		return 0, false, err
	}
	if newestID != 0 && newestSHA == s.SHA256 {
		return newestID, false, tx.Commit()
	}

	if id, err = insertSnapshot(ctx, tx, &rows.Snapshot); err != nil {
		return 0, false, err
	}
	if err := insertRows(ctx, tx, id, rows); err != nil {
		return 0, false, err
	}
	if err := insertCells(ctx, tx, id, s.Data, db.rowsPerInsert()); err != nil {
		return 0, false, err
	}
	if err := tx.Commit(); err != nil {
		return 0, false, fmt.Errorf("commit: %w", err)
	}
	return id, true, nil
}

// newest returns the id and SHA-256 of the newest snapshot of a table, or
// 0 and "" when it has none.
func newest(ctx context.Context, q querier, tableID string) (id int64, sha string, err error) {
	err = q.QueryRowContext(ctx,
		`SELECT id, sha256 FROM snapshots WHERE table_id = ? ORDER BY id DESC LIMIT 1`,
		tableID).Scan(&id, &sha)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("newest snapshot: %w", err)
	}
	return id, sha, nil
}

func insertSnapshot(ctx context.Context, tx *sql.Tx, r *backend.SnapshotRow) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO snapshots (`+backend.SnapshotColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.Values(textTime(r.FetchedAt))...)
	if err != nil {
		return 0, fmt.Errorf("insert snapshot: %w", err)
	}
	return res.LastInsertId()
}

// insertRows writes the raw bodies, dimensions and categories of a
// snapshot.
func insertRows(ctx context.Context, tx *sql.Tx, id int64, rows *backend.Rows) error {
	for _, r := range rows.Raw {
		if _, err := tx.ExecContext(ctx, `INSERT INTO snapshot_raw (snapshot_id, `+backend.RawColumns+`)
			VALUES (?, ?, ?, ?)`, append([]any{id}, r.Values()...)...); err != nil {
			return fmt.Errorf("insert raw body %d: %w", r.Seq, err)
		}
	}
	for _, r := range rows.Dimensions {
		if _, err := tx.ExecContext(ctx, `INSERT INTO dimensions (snapshot_id, `+backend.DimensionColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, append([]any{id}, r.Values()...)...); err != nil {
			return fmt.Errorf("insert dimension %s: %w", r.ID, err)
		}
	}
	catStmt, err := tx.PrepareContext(ctx, `INSERT INTO categories (snapshot_id, `+backend.CategoryColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer catStmt.Close()
	for _, r := range rows.Categories {
		if _, err := catStmt.ExecContext(ctx, append([]any{id}, r.Values()...)...); err != nil {
			return fmt.Errorf("insert dimension %s category %s: %w", rows.Dimensions[r.DimPos].ID, r.Code, err)
		}
	}
	return nil
}
