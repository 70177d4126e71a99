package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/internal/backend"
)

// SearchCatalog finds the entries whose text holds every word of query
// (see store.Store and backend.Search): the first tier ranked by bm25 over
// catalog_words, the second found through catalog_trigram. limit <= 0
// means no limit.
func (db *DB) SearchCatalog(ctx context.Context, query string, limit int) ([]store.SearchHit, error) {
	hits, err := backend.RunSearch(query, limit, func(s *backend.Search) error { return db.search(ctx, s) })
	return hits, classify(backend.ContextErr(ctx, err))
}

func (db *DB) search(ctx context.Context, s *backend.Search) error {
	// Both tiers read the same state of the catalog.
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	wordQuery := ftsQuery(s.Terms, "*")
	limit := s.Limit
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	err = scanHits(ctx, tx, s.AddWord, `SELECT e.kind, e.id, e.summary, e.text, e.pack, e.file, e.line, '', -bm25(catalog_words)
		FROM catalog_words JOIN catalog_entries e ON e.pos = catalog_words.rowid
		WHERE catalog_words MATCH ?
		ORDER BY bm25(catalog_words), e.pos LIMIT ?`, wordQuery, limit)
	if err != nil || !s.Inside() {
		return err
	}

	q := `SELECT e.kind, e.id, e.summary, e.text, e.pack, e.file, e.line, e.words, 0
		FROM catalog_trigram JOIN catalog_entries e ON e.pos = catalog_trigram.rowid
		WHERE catalog_trigram MATCH ?
		AND e.pos NOT IN (SELECT rowid FROM catalog_words WHERE catalog_words MATCH ?)`
	args := []any{ftsQuery(s.Long, ""), wordQuery}
	if len(s.Short) > 0 {
		q += ` AND e.pos IN (SELECT rowid FROM catalog_words WHERE catalog_words MATCH ?)`
		args = append(args, ftsQuery(s.Short, "*"))
	}
	return scanHits(ctx, tx, s.AddInside, q+` ORDER BY e.pos`, args...)
}

// scanHits runs a query of a search tier and calls add for each row.
func scanHits(ctx context.Context, tx *sql.Tx, add func(*backend.HitRow), query string, args ...any) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r backend.HitRow
		if err := rows.Scan(r.Fields()...); err != nil {
			return err
		}
		add(&r)
	}
	return rows.Err()
}

// ftsQuery returns an FTS5 query that matches every term, each quoted and
// followed by suffix ("*" for a prefix match).
func ftsQuery(terms []string, suffix string) string {
	q := make([]string, len(terms))
	for i, t := range terms {
		q[i] = quote(t) + suffix
	}
	return strings.Join(q, " AND ")
}

// quote makes a term an FTS5 string, so that nothing in it is query syntax.
// Terms hold only letters, digits and marks (store.SearchTerms); quoting is
// the second line of defence.
func quote(term string) string {
	return `"` + strings.ReplaceAll(term, `"`, `""`) + `"`
}
