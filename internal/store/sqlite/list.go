package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/internal/backend"
)

// infoColumns are the columns scanInfo reads, in order.
const infoColumns = `s.id, s.table_id, s.title, s.lang, s.updated, s.fetched_at, s.source, s.sha256, s.cells`

func scanInfo(rows *sql.Rows, extra ...any) (store.SnapshotInfo, error) {
	var in store.SnapshotInfo
	dest := append([]any{&in.ID, &in.TableID, &in.Title, &in.Lang, &in.Updated, scanTime(&in.FetchedAt), &in.Source, &in.SHA256, &in.Cells}, extra...)
	err := rows.Scan(dest...)
	return in, err
}

// Snapshots lists the versions of a table, newest first. A table without
// snapshots is fault.NotFound.
func (db *DB) Snapshots(ctx context.Context, tableID string) ([]store.SnapshotInfo, error) {
	rows, err := db.read.QueryContext(ctx,
		`SELECT `+infoColumns+` FROM snapshots s WHERE s.table_id = ? ORDER BY s.id DESC`, tableID)
	if err != nil {
		return nil, fmt.Errorf("snapshots of table %s: %w", tableID, classify(backend.ContextErr(ctx, err)))
	}
	defer rows.Close()
	var list []store.SnapshotInfo
	for rows.Next() {
		in, err := scanInfo(rows)
		if err != nil {
			return nil, fmt.Errorf("snapshots of table %s: %w", tableID, err)
		}
		list = append(list, in)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("snapshots of table %s: %w", tableID, classify(backend.ContextErr(ctx, err)))
	}
	if len(list) == 0 {
		return nil, fault.Errorf(fault.NotFound, "table %s has no snapshot", tableID)
	}
	return list, nil
}

// Tables lists every table that has a snapshot, by table id, each with its
// newest snapshot and the number of versions. An empty store gives an
// empty list.
func (db *DB) Tables(ctx context.Context) ([]store.TableSummary, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+infoColumns+`, t.versions
		FROM (SELECT table_id, MAX(id) AS newest, COUNT(*) AS versions FROM snapshots GROUP BY table_id) t
		JOIN snapshots s ON s.id = t.newest
		ORDER BY s.table_id`)
	if err != nil {
		return nil, fmt.Errorf("tables: %w", classify(backend.ContextErr(ctx, err)))
	}
	defer rows.Close()
	list := []store.TableSummary{}
	for rows.Next() {
		var ts store.TableSummary
		if ts.Latest, err = scanInfo(rows, &ts.Snapshots); err != nil {
			return nil, fmt.Errorf("tables: %w", err)
		}
		list = append(list, ts)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("tables: %w", classify(backend.ContextErr(ctx, err)))
	}
	return list, nil
}
