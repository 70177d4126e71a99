package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/grunnlag/grunnlag/internal/store"
)

// RecordSync stores a sync attempt (see store.SyncAttempt.Validate). A
// SnapshotID other than 0 must name a stored snapshot.
func (db *DB) RecordSync(ctx context.Context, a store.SyncAttempt) error {
	if err := a.Validate(); err != nil {
		return err
	}
	snapshotID := sql.NullInt64{Int64: a.SnapshotID, Valid: a.SnapshotID != 0}
	err := db.writeTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO sync_attempts
			(table_id, started_at, finished_at, outcome, snapshot_id, error) VALUES (?, ?, ?, ?, ?, ?)`,
			a.TableID, db.d.timeArg(a.StartedAt), db.d.timeArg(a.FinishedAt), string(a.Outcome), snapshotID, a.Error)
		if err != nil {
			return err
		}
		return db.changed(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("record sync of table %s: %w", a.TableID, err)
	}
	return nil
}

// attemptColumns are the columns attemptFields reads.
const attemptColumns = `table_id, started_at, finished_at, outcome, snapshot_id, error`

// attemptRow is a row of sync_attempts.
type attemptRow struct {
	store.SyncAttempt
	snapshotID sql.NullInt64
}

func (r *attemptRow) fields() []any {
	return []any{&r.TableID, scanTime(&r.StartedAt), scanTime(&r.FinishedAt), &r.Outcome, &r.snapshotID, &r.Error}
}

// attempts runs a query of sync_attempts and returns its rows.
func (db *DB) attempts(ctx context.Context, query string, args ...any) ([]store.SyncAttempt, error) {
	list := []store.SyncAttempt{}
	err := db.readTx(ctx, func(tx *Tx) error {
		return scanRows(ctx, tx, (*attemptRow).fields, func(r *attemptRow) error {
			r.SnapshotID = r.snapshotID.Int64
			list = append(list, r.SyncAttempt)
			return nil
		}, query, args...)
	})
	return list, err
}

// SyncAttempts returns the newest attempts for a table, newest (by start)
// first; limit <= 0 means all. A table without attempts gives an empty list.
func (db *DB) SyncAttempts(ctx context.Context, tableID string, limit int) ([]store.SyncAttempt, error) {
	q := `SELECT ` + attemptColumns + ` FROM sync_attempts WHERE table_id = ? ORDER BY started_at DESC, id DESC`
	args := []any{tableID}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	list, err := db.attempts(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sync attempts of table %s: %w", tableID, err)
	}
	return list, nil
}

// AllSyncAttempts returns every attempt of every table, oldest (by start)
// first, then in the order recorded.
func (db *DB) AllSyncAttempts(ctx context.Context) ([]store.SyncAttempt, error) {
	list, err := db.attempts(ctx, `SELECT `+attemptColumns+` FROM sync_attempts ORDER BY started_at, id`)
	if err != nil {
		return nil, fmt.Errorf("sync attempts: %w", err)
	}
	return list, nil
}
