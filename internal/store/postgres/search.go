package postgres

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/grunnlag/grunnlag/internal/store"
)

// SearchCatalog finds the entries whose text holds every word of query (see
// store.SearchTerms and store.Store), with the semantics of the SQLite
// store: first entries where every word matches a whole word or a word's
// beginning, ranked by ts_rank, then entries where some word matched only
// inside a longer word, ranked by store.SubstringRank. ts_rank's
// normalization 1 (divided by one plus the logarithm of the length) favours
// short texts, as bm25 does. Ties go by load
// order. limit <= 0 means no limit.
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
	tx, err := db.pool.BeginTx(ctx, readOnly())
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))

	var prefixes, shortPrefixes, substrings []string
	for _, t := range terms {
		prefixes = append(prefixes, quoteLexeme(t)+":*")
		if store.Substring(t) {
			substrings = append(substrings, t)
		} else {
			shortPrefixes = append(shortPrefixes, quoteLexeme(t)+":*")
		}
	}
	wordQuery := strings.Join(prefixes, " & ")
	var lim pgtype.Int8 // NULL: no limit
	if limit > 0 {
		lim = pgtype.Int8{Int64: int64(limit), Valid: true}
	}

	hits := []store.SearchHit{}
	err = scanHits(ctx, tx, func(e store.CatalogEntry, _ string, rank float64) {
		hits = append(hits, store.SearchHit{Entry: e, Snippet: store.Snippet(e.Text, terms), Score: store.HitScore(true, rank)})
	}, `SELECT kind, id, summary, text, pack, file, line, ''::text, ts_rank(vec, q, 1)::float8
		FROM catalog_entries, CAST($1::text AS tsquery) AS q
		WHERE vec @@ q
		ORDER BY ts_rank(vec, q, 1) DESC, pos LIMIT $2`, wordQuery, lim)
	if err != nil {
		return nil, err
	}
	if len(substrings) == 0 || (limit > 0 && len(hits) >= limit) {
		return hits, nil
	}

	// Entries where every long word occurs somewhere and every short word
	// begins a word, that are not hits already. One LIKE a word, so that
	// the trigram index serves each.
	q := `SELECT kind, id, summary, text, pack, file, line, words, 0::float8
		FROM catalog_entries WHERE NOT vec @@ $1::text::tsquery`
	args := []any{wordQuery}
	for _, t := range substrings {
		args = append(args, "%"+escapeLike(t)+"%")
		q += ` AND words LIKE $` + strconv.Itoa(len(args))
	}
	if len(shortPrefixes) > 0 {
		args = append(args, strings.Join(shortPrefixes, " & "))
		q += ` AND vec @@ $` + strconv.Itoa(len(args)) + `::text::tsquery`
	}
	q += ` ORDER BY pos`
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
func scanHits(ctx context.Context, tx pgx.Tx, add func(e store.CatalogEntry, words string, rank float64), query string, args ...any) error {
	rows, err := tx.Query(ctx, query, args...)
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

// escapeLike escapes the characters LIKE treats specially (with its default
// escape character, the backslash).
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
