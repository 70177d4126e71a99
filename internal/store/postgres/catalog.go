package postgres

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/internal/backend"
)

// ReplaceCatalog stores load as the knowledge pack in one transaction. A
// load with the digest of the stored one changes nothing. A refused load
// (fault.Invalid) or a failure leaves the stored pack as it was. Processes
// that replace the pack at once take turns on an advisory lock.
func (db *DB) ReplaceCatalog(ctx context.Context, load store.CatalogLoad) (replaced bool, err error) {
	if err := load.Validate(); err != nil {
		return false, err
	}
	replaced, err = db.replaceCatalog(ctx, load)
	if err != nil {
		return false, fmt.Errorf("replace catalog: %w", classify(backend.ContextErr(ctx, err)))
	}
	return replaced, nil
}

func (db *DB) replaceCatalog(ctx context.Context, load store.CatalogLoad) (bool, error) {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))

	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, 0)`, lockCatalog); err != nil {
		return false, fmt.Errorf("lock catalog: %w", err)
	}
	var digest string
	err = tx.QueryRow(ctx, `SELECT digest FROM catalog_load WHERE id = 1`).Scan(&digest)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return false, err
	}
	if err == nil && digest == load.Digest {
		return false, tx.Commit(context.WithoutCancel(ctx))
	}

	if _, err := tx.Exec(ctx, `DELETE FROM catalog_entries`); err != nil {
		return false, err
	}
	b := &pgx.Batch{}
	for i, e := range load.Entries {
		words := store.SearchWords(e.Text)
		var data []byte
		if len(e.Data) > 0 {
			data = e.Data
		}
		b.Queue(`INSERT INTO catalog_entries (pos, kind, id, summary, text, pack, file, line, data, words, vec)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::text::tsvector)`,
			i+1, e.Kind, e.ID, e.Summary, e.Text, e.Pack, e.File, e.Line, data, words, tsvector(words))
	}
	b.Queue(`INSERT INTO catalog_load (id, digest, packs, loaded_at) VALUES (1, $1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET digest = excluded.digest, packs = excluded.packs, loaded_at = excluded.loaded_at`,
		load.Digest, nonNil(load.Packs), load.LoadedAt)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return false, err
	}
	// The commit's answer is awaited whatever happens to ctx (see save).
	if err := tx.Commit(context.WithoutCancel(ctx)); err != nil {
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

// tsvector limits: a lexeme of at most 2046 bytes, positions 1 to 16383,
// and at most 256 positions a lexeme.
const (
	maxLexeme    = 2046
	maxPosition  = 16383
	maxPositions = 256
)

// tsvector returns the text form of a tsvector of words (a
// store.SearchWords text): each word once, quoted, with the positions where
// it occurs. Built here rather than by to_tsvector, so that no parser or
// dictionary splits, folds or drops words differently from SQLite. A word
// longer than PostgreSQL takes is left out of the vector (a substring
// search still finds it).
func tsvector(words string) string {
	positions := map[string][]int{}
	for i, w := range strings.Fields(words) {
		if len(w) > maxLexeme {
			continue
		}
		p := positions[w]
		if len(p) < maxPositions {
			positions[w] = append(p, min(i+1, maxPosition))
		}
	}
	lexemes := make([]string, 0, len(positions))
	for w := range positions {
		lexemes = append(lexemes, w)
	}
	sort.Strings(lexemes)
	var b strings.Builder
	for i, w := range lexemes {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(quoteLexeme(w))
		b.WriteByte(':')
		for j, p := range positions[w] {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(p))
		}
	}
	return b.String()
}

// quoteLexeme quotes a word for a tsvector or tsquery literal. Words hold
// only letters, digits and marks (store.SearchWords); quoting is the second
// line of defence.
func quoteLexeme(w string) string {
	w = strings.ReplaceAll(w, `\`, `\\`)
	return "'" + strings.ReplaceAll(w, "'", "''") + "'"
}

// CatalogInfo describes the stored pack; fault.NotFound when none is.
func (db *DB) CatalogInfo(ctx context.Context) (store.CatalogInfo, error) {
	var info store.CatalogInfo
	err := db.pool.QueryRow(ctx, `SELECT digest, packs, loaded_at, (SELECT COUNT(*) FROM catalog_entries)
		FROM catalog_load WHERE id = 1`).Scan(&info.Digest, &info.Packs, &info.LoadedAt, &info.Entries)
	if errors.Is(err, pgx.ErrNoRows) {
		return info, fault.Errorf(fault.NotFound, "no knowledge pack is stored")
	}
	if err != nil {
		return info, fmt.Errorf("catalog info: %w", classify(backend.ContextErr(ctx, err)))
	}
	if len(info.Packs) == 0 {
		info.Packs = nil
	}
	info.LoadedAt = info.LoadedAt.UTC()
	return info, nil
}

// CatalogEntries lists the stored entries of one kind, or of all kinds when
// kind is empty, in load order, with Data. None is an empty list.
func (db *DB) CatalogEntries(ctx context.Context, kind string) ([]store.CatalogEntry, error) {
	rows, err := db.pool.Query(ctx, `SELECT kind, id, summary, text, pack, file, line, data
		FROM catalog_entries WHERE $1 = '' OR kind = $1 ORDER BY pos`, kind)
	if err != nil {
		return nil, fmt.Errorf("catalog entries %q: %w", kind, classify(backend.ContextErr(ctx, err)))
	}
	defer rows.Close()
	list := []store.CatalogEntry{}
	for rows.Next() {
		var e store.CatalogEntry
		if err := rows.Scan(&e.Kind, &e.ID, &e.Summary, &e.Text, &e.Pack, &e.File, &e.Line, &e.Data); err != nil {
			return nil, fmt.Errorf("catalog entries %q: %w", kind, err)
		}
		list = append(list, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog entries %q: %w", kind, classify(backend.ContextErr(ctx, err)))
	}
	return list, nil
}
