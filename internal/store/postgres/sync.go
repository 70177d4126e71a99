package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/internal/backend"
)

// RecordSync stores a sync attempt (see store.SyncAttempt.Validate). A
// SnapshotID other than 0 must name a stored snapshot.
func (db *DB) RecordSync(ctx context.Context, a store.SyncAttempt) error {
	if err := a.Validate(); err != nil {
		return err
	}
	snapshotID := pgtype.Int8{Int64: a.SnapshotID, Valid: a.SnapshotID != 0}
	_, err := db.pool.Exec(ctx, `INSERT INTO sync_attempts
		(table_id, started_at, finished_at, outcome, snapshot_id, error) VALUES ($1, $2, $3, $4, $5, $6)`,
		a.TableID, a.StartedAt, a.FinishedAt, string(a.Outcome), snapshotID, a.Error)
	if err != nil {
		return fmt.Errorf("record sync of table %s: %w", a.TableID, classify(backend.ContextErr(ctx, err)))
	}
	return nil
}

// SyncAttempts returns the newest attempts for a table, newest (by start)
// first; limit <= 0 means all. A table without attempts gives an empty list.
func (db *DB) SyncAttempts(ctx context.Context, tableID string, limit int) ([]store.SyncAttempt, error) {
	var lim pgtype.Int8 // NULL: no limit
	if limit > 0 {
		lim = pgtype.Int8{Int64: int64(limit), Valid: true}
	}
	rows, err := db.pool.Query(ctx, `SELECT table_id, started_at, finished_at, outcome, snapshot_id, error
		FROM sync_attempts WHERE table_id = $1 ORDER BY started_at DESC, id DESC LIMIT $2`, tableID, lim)
	if err != nil {
		return nil, fmt.Errorf("sync attempts of table %s: %w", tableID, classify(backend.ContextErr(ctx, err)))
	}
	list, err := scanAttempts(rows)
	if err != nil {
		return nil, fmt.Errorf("sync attempts of table %s: %w", tableID, classify(backend.ContextErr(ctx, err)))
	}
	return list, nil
}

// AllSyncAttempts returns every attempt of every table, oldest (by start)
// first, then in the order recorded.
func (db *DB) AllSyncAttempts(ctx context.Context) ([]store.SyncAttempt, error) {
	rows, err := db.pool.Query(ctx, `SELECT table_id, started_at, finished_at, outcome, snapshot_id, error
		FROM sync_attempts ORDER BY started_at, id`)
	if err != nil {
		return nil, fmt.Errorf("sync attempts: %w", classify(backend.ContextErr(ctx, err)))
	}
	list, err := scanAttempts(rows)
	if err != nil {
		return nil, fmt.Errorf("sync attempts: %w", classify(backend.ContextErr(ctx, err)))
	}
	return list, nil
}

func scanAttempts(rows pgx.Rows) ([]store.SyncAttempt, error) {
	defer rows.Close()
	list := []store.SyncAttempt{}
	for rows.Next() {
		var (
			a          store.SyncAttempt
			outcome    string
			snapshotID pgtype.Int8
		)
		if err := rows.Scan(&a.TableID, &a.StartedAt, &a.FinishedAt, &outcome, &snapshotID, &a.Error); err != nil {
			return nil, err
		}
		a.StartedAt, a.FinishedAt = a.StartedAt.UTC(), a.FinishedAt.UTC()
		a.Outcome, a.SnapshotID = store.Outcome(outcome), snapshotID.Int64
		list = append(list, a)
	}
	return list, rows.Err()
}
