package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/internal/backend"
)

// RecordSync stores a sync attempt (see store.SyncAttempt.Validate). A
// SnapshotID other than 0 must name a stored snapshot.
func (db *DB) RecordSync(ctx context.Context, a store.SyncAttempt) error {
	if err := a.Validate(); err != nil {
		return err
	}
	snapshotID := sql.NullInt64{Int64: a.SnapshotID, Valid: a.SnapshotID != 0}
	_, err := db.write.ExecContext(ctx, `INSERT INTO sync_attempts
		(table_id, started_at, finished_at, outcome, snapshot_id, error) VALUES (?, ?, ?, ?, ?, ?)`,
		a.TableID, textTime(a.StartedAt), textTime(a.FinishedAt), string(a.Outcome), snapshotID, a.Error)
	if err != nil {
		return fmt.Errorf("record sync of table %s: %w", a.TableID, classify(backend.ContextErr(ctx, err)))
	}
	return nil
}

// SyncAttempts returns the newest attempts for a table, newest (by start)
// first; limit <= 0 means all. A table without attempts gives an empty list.
func (db *DB) SyncAttempts(ctx context.Context, tableID string, limit int) ([]store.SyncAttempt, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := db.read.QueryContext(ctx, `SELECT table_id, started_at, finished_at, outcome, snapshot_id, error
		FROM sync_attempts WHERE table_id = ? ORDER BY started_at DESC, id DESC LIMIT ?`, tableID, limit)
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
	rows, err := db.read.QueryContext(ctx, `SELECT table_id, started_at, finished_at, outcome, snapshot_id, error
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

func scanAttempts(rows *sql.Rows) ([]store.SyncAttempt, error) {
	defer rows.Close()
	list := []store.SyncAttempt{}
	for rows.Next() {
		var (
			a          store.SyncAttempt
			snapshotID sql.NullInt64
		)
		if err := rows.Scan(&a.TableID, scanTime(&a.StartedAt), scanTime(&a.FinishedAt), &a.Outcome, &snapshotID, &a.Error); err != nil {
			return nil, err
		}
		a.SnapshotID = snapshotID.Int64
		list = append(list, a)
	}
	return list, rows.Err()
}
