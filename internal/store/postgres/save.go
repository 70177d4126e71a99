package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/internal/backend"
)

// SaveSnapshot stores s and its cells in one transaction and sets s.ID
// (see store.Store and backend.Save).
func (db *DB) SaveSnapshot(ctx context.Context, s *store.Snapshot) (added bool, err error) {
	added, err = backend.Save(ctx, s, func(ctx context.Context, tableID string) (int64, string, error) {
		return newest(ctx, db.pool, tableID)
	}, db.save)
	return added, classify(backend.ContextErr(ctx, err))
}

func (db *DB) save(ctx context.Context, s *store.Snapshot, rows *backend.Rows) (id int64, added bool, err error) {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return 0, false, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))

	// Writers of the same table queue here until the holder commits or
	// rolls back; then the newest snapshot is looked at again, so the same
	// content is stored once.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, lockTable, tableKey(s.TableID)); err != nil {
		return 0, false, fmt.Errorf("lock table: %w", err)
	}
	newestID, newestSHA, err := newest(ctx, tx, s.TableID)
	if err != nil {
		return 0, false, err
	}
	if newestID != 0 && newestSHA == s.SHA256 {
		return newestID, false, tx.Commit(context.WithoutCancel(ctx))
	}

	err = tx.QueryRow(ctx, `INSERT INTO snapshots (`+backend.SnapshotColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
		RETURNING id`, rows.Snapshot.Values(rows.Snapshot.FetchedAt)...).Scan(&id)
	if err != nil {
		return 0, false, fmt.Errorf("insert snapshot: %w", err)
	}
	if err := insertRows(ctx, tx, id, rows); err != nil {
		return 0, false, err
	}
	if err := copyCells(ctx, tx, id, s); err != nil {
		return 0, false, err
	}
	// Once COMMIT is sent its answer is awaited whatever happens to ctx:
	// a commit cut off would leave the caller not knowing whether the
	// snapshot was stored.
	if err := tx.Commit(context.WithoutCancel(ctx)); err != nil {
		return 0, false, fmt.Errorf("commit: %w", err)
	}
	return id, true, nil
}

// newest returns the id and SHA-256 of the newest snapshot of a table, or
// 0 and "" when it has none.
func newest(ctx context.Context, q querier, tableID string) (id int64, sha string, err error) {
	err = q.QueryRow(ctx,
		`SELECT id, sha256 FROM snapshots WHERE table_id = $1 ORDER BY id DESC LIMIT 1`,
		tableID).Scan(&id, &sha)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, "", nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("newest snapshot: %w", err)
	}
	return id, sha, nil
}

// insertRows writes the raw bodies and dimensions of a snapshot with one
// statement each, and the categories, which may be thousands, with COPY.
func insertRows(ctx context.Context, tx pgx.Tx, id int64, rows *backend.Rows) error {
	for _, r := range rows.Raw {
		if _, err := tx.Exec(ctx, `INSERT INTO snapshot_raw (snapshot_id, `+backend.RawColumns+`)
			VALUES ($1, $2, $3, $4)`, append([]any{id}, r.Values()...)...); err != nil {
			return fmt.Errorf("insert raw body %d: %w", r.Seq, err)
		}
	}
	for _, r := range rows.Dimensions {
		if _, err := tx.Exec(ctx, `INSERT INTO dimensions (snapshot_id, `+backend.DimensionColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, append([]any{id}, r.Values()...)...); err != nil {
			return fmt.Errorf("insert dimension %s: %w", r.ID, err)
		}
	}
	if len(rows.Categories) == 0 {
		return nil
	}
	cats := make([][]any, len(rows.Categories))
	for i, r := range rows.Categories {
		cats[i] = append([]any{id}, r.Values()...)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"categories"},
		columns(backend.CategoryColumns), pgx.CopyFromRows(cats)); err != nil {
		return fmt.Errorf("copy categories: %w", err)
	}
	return nil
}
