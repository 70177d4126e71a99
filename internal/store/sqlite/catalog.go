package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/internal/backend"
)

// ReplaceCatalog stores load as the knowledge pack in one transaction: the
// entries, both search indexes and the load's description. A load with the
// digest of the stored one changes nothing. A refused load (fault.Invalid)
// or a failure leaves the stored pack as it was.
func (db *DB) ReplaceCatalog(ctx context.Context, load store.CatalogLoad) (replaced bool, err error) {
	if err := load.Validate(); err != nil {
		return false, err
	}
	packs, err := json.Marshal(nonNil(load.Packs))
	if err != nil {
		return false, err
	}
	replaced, err = db.replaceCatalog(ctx, load, string(packs))
	if err != nil {
		return false, fmt.Errorf("replace catalog: %w", classify(backend.ContextErr(ctx, err)))
	}
	return replaced, nil
}

func (db *DB) replaceCatalog(ctx context.Context, load store.CatalogLoad, packs string) (bool, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()

	var digest string
	err = tx.QueryRowContext(ctx, `SELECT digest FROM catalog_load WHERE id = 1`).Scan(&digest)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	if err == nil && digest == load.Digest {
		return false, tx.Commit()
	}

	for _, q := range []string{
		`DELETE FROM catalog_entries`,
		`INSERT INTO catalog_words (catalog_words) VALUES ('delete-all')`,
		`INSERT INTO catalog_trigram (catalog_trigram) VALUES ('delete-all')`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return false, err
		}
	}
	entry, err := tx.PrepareContext(ctx, `INSERT INTO catalog_entries
		(pos, kind, id, summary, text, pack, file, line, data, words) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return false, err
	}
	defer entry.Close()
	words, err := tx.PrepareContext(ctx, `INSERT INTO catalog_words (rowid, words) VALUES (?, ?)`)
	if err != nil {
		return false, err
	}
	defer words.Close()
	trigram, err := tx.PrepareContext(ctx, `INSERT INTO catalog_trigram (rowid, words) VALUES (?, ?)`)
	if err != nil {
		return false, err
	}
	defer trigram.Close()

	for i, e := range load.Entries {
		pos := i + 1
		w := store.SearchWords(e.Text)
		var data sql.NullString
		if len(e.Data) > 0 {
			data = sql.NullString{String: string(e.Data), Valid: true}
		}
		if _, err := entry.ExecContext(ctx, pos, e.Kind, e.ID, e.Summary, e.Text, e.Pack, e.File, e.Line, data, w); err != nil {
			return false, fmt.Errorf("entry %s %s: %w", e.Kind, e.ID, err)
		}
		if _, err := words.ExecContext(ctx, pos, w); err != nil {
			return false, fmt.Errorf("index entry %s %s: %w", e.Kind, e.ID, err)
		}
		if _, err := trigram.ExecContext(ctx, pos, w); err != nil {
			return false, fmt.Errorf("index entry %s %s: %w", e.Kind, e.ID, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO catalog_load (id, digest, packs, loaded_at) VALUES (1, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET digest = excluded.digest, packs = excluded.packs, loaded_at = excluded.loaded_at`,
		load.Digest, packs, textTime(load.LoadedAt)); err != nil {
		return false, err
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("commit: %w", err)
	}
	return true, nil
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
	err := db.read.QueryRowContext(ctx, `SELECT digest, packs, loaded_at, (SELECT COUNT(*) FROM catalog_entries)
		FROM catalog_load WHERE id = 1`).Scan(&info.Digest, &packs, scanTime(&info.LoadedAt), &info.Entries)
	if errors.Is(err, sql.ErrNoRows) {
		return info, fault.Errorf(fault.NotFound, "no knowledge pack is stored")
	}
	if err != nil {
		return info, fmt.Errorf("catalog info: %w", classify(backend.ContextErr(ctx, err)))
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
	rows, err := db.read.QueryContext(ctx, `SELECT kind, id, summary, text, pack, file, line, data
		FROM catalog_entries WHERE ? = '' OR kind = ? ORDER BY pos`, kind, kind)
	if err != nil {
		return nil, fmt.Errorf("catalog entries %q: %w", kind, classify(backend.ContextErr(ctx, err)))
	}
	defer rows.Close()
	list := []store.CatalogEntry{}
	for rows.Next() {
		var (
			e    store.CatalogEntry
			data sql.NullString
		)
		if err := rows.Scan(&e.Kind, &e.ID, &e.Summary, &e.Text, &e.Pack, &e.File, &e.Line, &data); err != nil {
			return nil, fmt.Errorf("catalog entries %q: %w", kind, err)
		}
		if data.Valid {
			e.Data = []byte(data.String)
		}
		list = append(list, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog entries %q: %w", kind, classify(backend.ContextErr(ctx, err)))
	}
	return list, nil
}
