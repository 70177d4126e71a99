package postgres

import (
	"context"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/internal/backend"
)

// SearchCatalog finds the entries whose text holds every word of query
// (see store.Store and backend.Search), with the semantics of the SQLite
// store: the first tier ranked by ts_rank, whose normalization 1 (divided
// by one plus the logarithm of the length) favours short texts as bm25
// does; the second tier found with one LIKE a long term, so that the
// trigram index serves each. limit <= 0 means no limit.
func (db *DB) SearchCatalog(ctx context.Context, query string, limit int) ([]store.SearchHit, error) {
	hits, err := backend.RunSearch(query, limit, func(s *backend.Search) error { return db.search(ctx, s) })
	return hits, classify(backend.ContextErr(ctx, err))
}

func (db *DB) search(ctx context.Context, s *backend.Search) error {
	// Both tiers read the same state of the catalog.
	tx, err := db.pool.BeginTx(ctx, readOnly())
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))

	wordQuery := prefixQuery(s.Terms)
	var limit pgtype.Int8 // NULL: no limit
	if s.Limit > 0 {
		limit = pgtype.Int8{Int64: int64(s.Limit), Valid: true}
	}
	err = scanHits(ctx, tx, s.AddWord, `SELECT kind, id, summary, text, pack, file, line, ''::text, ts_rank(vec, q, 1)::float8
		FROM catalog_entries, CAST($1::text AS tsquery) AS q
		WHERE vec @@ q
		ORDER BY ts_rank(vec, q, 1) DESC, pos LIMIT $2`, wordQuery, limit)
	if err != nil || !s.Inside() {
		return err
	}

	q := `SELECT kind, id, summary, text, pack, file, line, words, 0::float8
		FROM catalog_entries WHERE NOT vec @@ $1::text::tsquery`
	args := []any{wordQuery}
	for _, t := range s.Long {
		args = append(args, "%"+escapeLike(t)+"%")
		q += ` AND words LIKE $` + strconv.Itoa(len(args))
	}
	if len(s.Short) > 0 {
		args = append(args, prefixQuery(s.Short))
		q += ` AND vec @@ $` + strconv.Itoa(len(args)) + `::text::tsquery`
	}
	return scanHits(ctx, tx, s.AddInside, q+` ORDER BY pos`, args...)
}

// scanHits runs a query of a search tier and calls add for each row.
func scanHits(ctx context.Context, tx pgx.Tx, add func(*backend.HitRow), query string, args ...any) error {
	rows, err := tx.Query(ctx, query, args...)
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

// prefixQuery returns a tsquery that matches every term at a word's
// beginning.
func prefixQuery(terms []string) string {
	q := make([]string, len(terms))
	for i, t := range terms {
		q[i] = quoteLexeme(t) + ":*"
	}
	return strings.Join(q, " & ")
}

// escapeLike escapes the characters LIKE treats specially (with its default
// escape character, the backslash).
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
