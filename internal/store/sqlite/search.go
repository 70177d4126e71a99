package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/grunnlag/grunnlag/internal/store"
)

// SearchCatalog finds the entries whose text holds every word of query (see
// store.SearchTerms and store.Store). Hits come in two tiers: entries where
// every word matches a whole word or a word's beginning, ranked by bm25,
// then entries where some word matched only inside a longer word, ranked by
// store.SubstringRank. Ties go by load order. limit <= 0 means no limit.
func (db *DB) SearchCatalog(ctx context.Context, query string, limit int) ([]store.SearchHit, error) {
	terms, err := store.SearchTerms(query)
	if err != nil {
		return nil, err
	}
	hits := []store.SearchHit{}
	if len(terms) == 0 {
		return hits, nil
	}
	hits, err = db.search(ctx, terms, limit)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", query, classify(ctxErr(ctx, err)))
	}
	return hits, nil
}

func (db *DB) search(ctx context.Context, terms []string, limit int) ([]store.SearchHit, error) {
	// Both tiers read the same state of the catalog.
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	var prefixes, shortPrefixes, substrings []string
	for _, t := range terms {
		prefixes = append(prefixes, quote(t)+"*")
		if store.Substring(t) {
			substrings = append(substrings, quote(t))
		} else {
			shortPrefixes = append(shortPrefixes, quote(t)+"*")
		}
	}
	wordQuery := strings.Join(prefixes, " AND ")
	sqlLimit := limit
	if limit <= 0 {
		sqlLimit = -1
	}

	hits := []store.SearchHit{}
	err = scanHits(ctx, tx, func(e store.CatalogEntry, words string, rank float64) {
		hits = append(hits, store.SearchHit{Entry: e, Snippet: store.Snippet(e.Text, terms), Score: store.HitScore(true, rank)})
	}, `SELECT e.kind, e.id, e.summary, e.text, e.pack, e.file, e.line, '', -bm25(catalog_words)
		FROM catalog_words JOIN catalog_entries e ON e.pos = catalog_words.rowid
		WHERE catalog_words MATCH ?
		ORDER BY bm25(catalog_words), e.pos LIMIT ?`, wordQuery, sqlLimit)
	if err != nil {
		return nil, err
	}
	if len(substrings) == 0 || (limit > 0 && len(hits) >= limit) {
		return hits, nil
	}

	// Entries where every long word occurs somewhere and every short word
	// begins a word, that are not hits already.
	q := `SELECT e.kind, e.id, e.summary, e.text, e.pack, e.file, e.line, e.words, 0
		FROM catalog_trigram JOIN catalog_entries e ON e.pos = catalog_trigram.rowid
		WHERE catalog_trigram MATCH ?
		AND e.pos NOT IN (SELECT rowid FROM catalog_words WHERE catalog_words MATCH ?)`
	args := []any{strings.Join(substrings, " AND "), wordQuery}
	if len(shortPrefixes) > 0 {
		q += ` AND e.pos IN (SELECT rowid FROM catalog_words WHERE catalog_words MATCH ?)`
		args = append(args, strings.Join(shortPrefixes, " AND "))
	}
	q += ` ORDER BY e.pos`
	var more []store.SearchHit
	err = scanHits(ctx, tx, func(e store.CatalogEntry, words string, _ float64) {
		rank := store.SubstringRank(words, terms)
		more = append(more, store.SearchHit{Entry: e, Snippet: store.Snippet(e.Text, terms), Score: store.HitScore(false, rank)})
	}, q, args...)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(more, func(a, b store.SearchHit) int { return cmp.Compare(b.Score, a.Score) })
	if limit > 0 && len(hits)+len(more) > limit {
		more = more[:limit-len(hits)]
	}
	return append(hits, more...), nil
}

// scanHits runs a search query whose columns are an entry (without data),
// its words and its rank, and calls add for each row.
func scanHits(ctx context.Context, tx *sql.Tx, add func(e store.CatalogEntry, words string, rank float64), query string, args ...any) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			e     store.CatalogEntry
			words string
			rank  float64
		)
		if err := rows.Scan(&e.Kind, &e.ID, &e.Summary, &e.Text, &e.Pack, &e.File, &e.Line, &words, &rank); err != nil {
			return err
		}
		add(e, words, rank)
	}
	return rows.Err()
}

// quote makes a term an FTS5 string, so that nothing in it is query syntax.
// Terms hold only letters, digits and marks (store.SearchTerms); quoting is
// the second line of defence.
func quote(term string) string {
	return `"` + strings.ReplaceAll(term, `"`, `""`) + `"`
}
