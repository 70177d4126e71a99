package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/internal/store/sqlstore"
)

// searchHit is one hit of `grunnlag search --json`.
type searchHit struct {
	Kind    string  `json:"kind"`
	ID      string  `json:"id"`
	Summary string  `json:"summary"`
	Snippet string  `json:"snippet"`
	Score   float64 `json:"score"`
	Pack    string  `json:"pack"`
	File    string  `json:"file"`
	Line    int     `json:"line"`
}

func runSearch(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "skriv JSON")
	limit := fs.Int("limit", 20, "høyst så mange treff")
	words, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	query := strings.TrimSpace(strings.Join(words, " "))
	if query == "" {
		fmt.Fprintln(a.env.stderr, "grunnlag search: oppgi hva du søker etter")
		a.commandUsage(fs)
		return errUsage
	}
	st, pack, stored, err := a.openReaderWithPack(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if !stored {
		// Search the pack that was loaded, in a store of its own in memory:
		// the same search as the database's, and the database untouched.
		mem, err := sqlstore.OpenMemory(ctx)
		if err != nil {
			return err
		}
		defer mem.Close()
		load, err := pack.StoreLoadFrom(ctx, st, time.Now())
		if err != nil {
			return err
		}
		if _, err := mem.ReplaceCatalog(ctx, load); err != nil {
			return err
		}
		st = mem
	}
	hits, err := st.SearchCatalog(ctx, query, *limit)
	if err != nil {
		return err
	}
	out := make([]searchHit, 0, len(hits))
	for _, h := range hits {
		e := h.Entry
		out = append(out, searchHit{Kind: e.Kind, ID: e.ID, Summary: e.Summary, Snippet: h.Snippet, Score: h.Score, Pack: e.Pack, File: e.File, Line: e.Line})
	}
	if *asJSON {
		enc := json.NewEncoder(a.env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(out) == 0 {
		fmt.Fprintf(a.env.stdout, "Ingen treff for «%s».\n", query)
		return nil
	}
	for _, h := range out {
		fmt.Fprintf(a.env.stdout, "%s/%s  %s\n    %s\n    (%s)\n", h.Kind, h.ID, h.Summary, pack.ForReaders(h.Snippet), packRef(h.Pack, h.File, h.Line))
	}
	return nil
}

// packRef names where an entry is in its pack, in the one traceable form
// a reader can follow: the pack's name and the file's name, as
// "grunnlag/findings.yaml:365", without the folder it was read from.
func packRef(pack, file string, line int) string {
	return fmt.Sprintf("%s/%s:%d", pack, path.Base(file), line)
}
