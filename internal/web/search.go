package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// maxQueryRunes caps a search; a longer one is refused.
const maxQueryRunes = 200

// search runs a catalogue search in the store's full-text index.
func (s *Server) search(ctx context.Context, q string) ([]searchHit, error) {
	if utf8.RuneCountInString(q) > maxQueryRunes {
		return nil, fault.WithUser(fault.Invalid, "Søket er for langt; bruk færre ord.", fmt.Errorf("query of %d characters", utf8.RuneCountInString(q)))
	}
	hits, err := s.cfg.Store.SearchCatalog(ctx, q, 50)
	if err != nil {
		return nil, err
	}
	out := make([]searchHit, 0, len(hits))
	for _, h := range hits {
		e := h.Entry
		out = append(out, searchHit{Kind: e.Kind, KindLabel: kindLabel(e.Kind), ID: e.ID, Summary: e.Summary,
			Snippet: s.cfg.Pack.ForReaders(h.Snippet), URL: entryURL(e.Kind, e.ID), Score: h.Score})
	}
	return out, nil
}

// searchPage is the catalogue search. An empty query shows the form only;
// a query the store cannot use shows why, on the same page.
func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	p := &searchResultPage{Query: q}
	p.setBase("Søk", "sok")
	if q != "" {
		p.Title = "Søk: " + q
		hits, err := s.search(r.Context(), q)
		switch {
		case fault.Is(err, fault.Invalid):
			p.Error = fault.UserMessage(err)
		case err != nil:
			return err
		}
		p.Hits = hits
		p.Groups = groupHits(hits)
	}
	return s.render(w, http.StatusOK, p)
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q == "" {
		return fault.WithUser(fault.Invalid, "Oppgi hva du søker etter i parameteren q.", errors.New("empty query"))
	}
	hits, err := s.search(r.Context(), q)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, searchResult{Query: q, Hits: hits})
}

// searchResult is the API's answer to a search.
type searchResult struct {
	Query string      `json:"query"`
	Hits  []searchHit `json:"hits"`
}
