package sqlstore

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/grunnlag/grunnlag/internal/store"
)

// searchTiers is one catalog search (see store.Store.SearchCatalog) as the SQL
// stores run it, in two tiers that read the same state of the catalog:
// first the entries where every term matches a whole word or a word's
// beginning, ranked by the store's full-text engine; then, when Inside
// says so, the entries that are not hits already, where every Long term
// occurs anywhere and every Short term begins a word, ranked by
// store.SubstringRank. Ties go by load order, the order a store hands in
// its rows.
type searchTiers struct {
	Terms []string // the stems (store.Stem) of the query's words (store.SearchTerms), at least one
	Long  []string // the terms that also match inside a longer word (store.Substring)
	Short []string // the others, which only match a word's beginning
	Limit int      // the most hits; 0 or less means no limit

	snippet []string // the terms and the query's words as typed: what a snippet shows

	wordHits, inside []store.SearchHit
}

// runSearch splits query into terms and, unless it has none, has run run
// the tiers of s: run adds the rows of each with AddWord and AddInside. It
// returns the hits, best first.
func runSearch(query string, limit int, run func(s *searchTiers) error) ([]store.SearchHit, error) {
	terms, err := store.SearchTerms(query)
	if err != nil {
		return nil, err
	}
	if len(terms) == 0 {
		return []store.SearchHit{}, nil
	}
	s := &searchTiers{Limit: limit}
	for _, w := range terms {
		t := store.Stem(w)
		if slices.Contains(s.Terms, t) {
			continue
		}
		s.Terms = append(s.Terms, t)
		if store.Substring(t) {
			s.Long = append(s.Long, t)
		} else {
			s.Short = append(s.Short, t)
		}
	}
	s.snippet = append(slices.Clip(s.Terms), terms...)
	if err := run(s); err != nil {
		return nil, fmt.Errorf("search %q: %w", query, err)
	}
	return s.hits(), nil
}

// hitRow is a row of either tier: an entry without its data, its words
// (store.SearchWords of its text; the second tier needs them) and its rank
// (higher better; the first tier's).
type hitRow struct {
	Entry store.CatalogEntry
	Words string
	Rank  float64
}

// Fields returns the scan destinations of a tier's columns: kind, id,
// summary, text, pack, file, line, words, rank.
func (r *hitRow) Fields() []any {
	e := &r.Entry
	return []any{&e.Kind, &e.ID, &e.Summary, &e.Text, &e.Pack, &e.File, &e.Line, &r.Words, &r.Rank}
}

// AddWord adds a row of the first tier. Rows come best first.
func (s *searchTiers) AddWord(r *hitRow) {
	s.wordHits = append(s.wordHits, s.hit(r, true, r.Rank))
}

// Inside reports whether the second tier can add hits: some term is long,
// and the first tier has not reached the limit.
func (s *searchTiers) Inside() bool {
	return len(s.Long) > 0 && (s.Limit <= 0 || len(s.wordHits) < s.Limit)
}

// AddInside adds a row of the second tier. Rows come in load order.
func (s *searchTiers) AddInside(r *hitRow) {
	s.inside = append(s.inside, s.hit(r, false, store.SubstringRank(r.Words, s.Terms)))
}

func (s *searchTiers) hit(r *hitRow, word bool, rank float64) store.SearchHit {
	return store.SearchHit{Entry: r.Entry, Snippet: store.Snippet(r.Entry.Text, s.snippet), Score: store.HitScore(word, rank)}
}

// hits returns the hits of both tiers, best first, at most Limit.
func (s *searchTiers) hits() []store.SearchHit {
	more := s.inside
	slices.SortStableFunc(more, func(a, b store.SearchHit) int { return cmp.Compare(b.Score, a.Score) })
	hits := append([]store.SearchHit{}, s.wordHits...)
	if s.Limit > 0 {
		more = more[:min(len(more), max(s.Limit-len(hits), 0))]
	}
	return append(hits, more...)
}
