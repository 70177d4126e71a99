package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// ReplaceCatalog stores load as the knowledge pack in one transaction: the
// entries, the search index and the load's description. A load with the
// digest of the stored one changes nothing. A refused load (fault.Invalid)
// or a failure leaves the stored pack as it was. Processes that replace the
// pack at once take turns on the catalog's write lock.
func (db *DB) ReplaceCatalog(ctx context.Context, load store.CatalogLoad) (replaced bool, err error) {
	if err := load.Validate(); err != nil {
		return false, err
	}
	packs, err := json.Marshal(nonNil(load.Packs))
	if err != nil {
		return false, err
	}
	err = db.writeTx(ctx, func(tx *Tx) error {
		if err := db.d.lock(ctx, tx, lockKey{kind: lockCatalog}); err != nil {
			return err
		}
		var digest string
		err := tx.queryRow(ctx, `SELECT digest FROM catalog_load WHERE id = 1`).Scan(&digest)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err == nil && digest == load.Digest {
			return nil
		}
		if err := db.writeCatalog(ctx, tx, load); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO catalog_load (id, digest, packs, loaded_at) VALUES (1, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET digest = excluded.digest, packs = excluded.packs, loaded_at = excluded.loaded_at`,
			load.Digest, string(packs), db.d.timeArg(load.LoadedAt)); err != nil {
			return err
		}
		replaced = true
		return db.changed(ctx, tx)
	})
	if err != nil {
		return false, fmt.Errorf("replace catalog: %w", err)
	}
	return replaced, nil
}

// writeCatalog replaces the entries and their search index.
func (db *DB) writeCatalog(ctx context.Context, tx *Tx, load store.CatalogLoad) error {
	if _, err := tx.exec(ctx, `DELETE FROM catalog_entries`); err != nil {
		return err
	}
	if err := db.d.clearSearchIndex(ctx, tx); err != nil {
		return err
	}
	insert, err := tx.prepare(ctx, `INSERT INTO catalog_entries
		(pos, kind, id, summary, text, pack, file, line, data, words) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer insert.Close()
	for i, e := range load.Entries {
		pos := i + 1
		words := store.SearchWords(e.Text)
		var data sql.NullString
		if len(e.Data) > 0 {
			data = sql.NullString{String: string(e.Data), Valid: true}
		}
		if _, err := insert.ExecContext(ctx, pos, e.Kind, e.ID, e.Summary, e.Text, e.Pack, e.File, e.Line, data, words); err != nil {
			return fmt.Errorf("entry %s %s: %w", e.Kind, e.ID, err)
		}
		if err := db.d.indexEntry(ctx, tx, pos, words); err != nil {
			return fmt.Errorf("index entry %s %s: %w", e.Kind, e.ID, err)
		}
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// CatalogInfo describes the stored pack; fault.NotFound when none is.
func (db *DB) CatalogInfo(ctx context.Context) (store.CatalogInfo, error) {
	var (
		info  store.CatalogInfo
		packs string
	)
	err := db.readTx(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `SELECT digest, packs, loaded_at, (SELECT COUNT(*) FROM catalog_entries)
			FROM catalog_load WHERE id = 1`).Scan(&info.Digest, &packs, scanTime(&info.LoadedAt), &info.Entries)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return info, fault.Errorf(fault.NotFound, "no knowledge pack is stored")
	}
	if err != nil {
		return info, fmt.Errorf("catalog info: %w", err)
	}
	if err := json.Unmarshal([]byte(packs), &info.Packs); err != nil {
		return info, fmt.Errorf("catalog info: packs: %w", err)
	}
	if len(info.Packs) == 0 {
		info.Packs = nil
	}
	return info, nil
}

// CatalogEntries lists the stored entries of one kind, or of all kinds when
// kind is empty, in load order, with Data. None is an empty list.
func (db *DB) CatalogEntries(ctx context.Context, kind string) ([]store.CatalogEntry, error) {
	type row struct {
		store.CatalogEntry
		data sql.NullString
	}
	list := []store.CatalogEntry{}
	err := db.readTx(ctx, func(tx *Tx) error {
		return scanRows(ctx, tx, func(r *row) []any {
			return []any{&r.Kind, &r.ID, &r.Summary, &r.Text, &r.Pack, &r.File, &r.Line, &r.data}
		}, func(r *row) error {
			if r.data.Valid {
				r.Data = []byte(r.data.String)
			}
			list = append(list, r.CatalogEntry)
			return nil
		}, `SELECT kind, id, summary, text, pack, file, line, data
			FROM catalog_entries WHERE ? = '' OR kind = ? ORDER BY pos`, kind, kind)
	})
	if err != nil {
		return nil, fmt.Errorf("catalog entries %q: %w", kind, err)
	}
	return list, nil
}

// SearchCatalog finds the entries whose text holds every word of query
// (see store.Store and searchTiers). limit <= 0 means no limit.
func (db *DB) SearchCatalog(ctx context.Context, query string, limit int) ([]store.SearchHit, error) {
	return runSearch(query, limit, func(s *searchTiers) error {
		// Both tiers read the same state of the catalog.
		return db.readTx(ctx, func(tx *Tx) error { return db.d.search(ctx, tx, s) })
	})
}
