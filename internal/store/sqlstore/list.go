package sqlstore

import (
	"context"
	"fmt"

	"github.com/grunnlag/grunnlag/internal/store"
)

// infoColumns are the columns infoFields reads, in order.
const infoColumns = `s.id, s.table_id, s.title, s.lang, s.updated, s.fetched_at, s.source, s.sha256, s.cells`

func infoFields(in *store.SnapshotInfo) []any {
	return []any{&in.ID, &in.TableID, &in.Title, &in.Lang, &in.Updated, scanTime(&in.FetchedAt), &in.Source, &in.SHA256, &in.Cells}
}

// Snapshots lists the versions of a table, newest first. A table without
// snapshots gives an empty list.
func (db *DB) Snapshots(ctx context.Context, tableID string) ([]store.SnapshotInfo, error) {
	list := []store.SnapshotInfo{}
	err := db.readTx(ctx, func(tx *Tx) error {
		return scanRows(ctx, tx, infoFields, func(in *store.SnapshotInfo) error {
			list = append(list, *in)
			return nil
		}, `SELECT `+infoColumns+` FROM snapshots s WHERE s.table_id = ? ORDER BY s.id DESC`, tableID)
	})
	if err != nil {
		return nil, fmt.Errorf("snapshots of table %s: %w", tableID, err)
	}
	return list, nil
}

// Tables lists every table that has a snapshot, by table id, each with its
// newest snapshot and the number of versions. An empty store gives an
// empty list.
func (db *DB) Tables(ctx context.Context) ([]store.TableSummary, error) {
	list := []store.TableSummary{}
	err := db.readTx(ctx, func(tx *Tx) error {
		return scanRows(ctx, tx, func(ts *store.TableSummary) []any {
			return append(infoFields(&ts.Latest), &ts.Snapshots)
		}, func(ts *store.TableSummary) error {
			list = append(list, *ts)
			return nil
		}, `SELECT `+infoColumns+`, t.versions
			FROM (SELECT table_id, MAX(id) AS newest, COUNT(*) AS versions FROM snapshots GROUP BY table_id) t
			JOIN snapshots s ON s.id = t.newest
			ORDER BY s.table_id`)
	})
	if err != nil {
		return nil, fmt.Errorf("tables: %w", err)
	}
	return list, nil
}
