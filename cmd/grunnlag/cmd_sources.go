package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"

	"github.com/grunnlag/grunnlag/internal/catalog"
)

// sourceEntry is one document of `grunnlag sources --json`.
type sourceEntry struct {
	ID         string   `json:"id"`
	Kind       string   `json:"kind"`
	KindTitle  string   `json:"kind_heading"`
	Identifier string   `json:"identifier,omitempty"`
	Title      string   `json:"title,omitempty"`
	AsWritten  string   `json:"as_written"`
	Publisher  string   `json:"publisher,omitempty"`
	Year       string   `json:"year,omitempty"`
	URL        string   `json:"url,omitempty"`
	Table      string   `json:"table,omitempty"`
	Themes     []string `json:"themes,omitempty"`
	Pack       string   `json:"pack"`
	File       string   `json:"file"`
	Line       int      `json:"line"`
}

func runSources(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("sources", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "skriv JSON")
	if _, err := a.parse(fs, args); err != nil {
		return err
	}
	pack, err := a.loadPack()
	if err != nil {
		return err
	}
	groups := pack.DocumentGroups()
	if *asJSON {
		var out []sourceEntry
		for _, g := range groups {
			for _, d := range g.Documents {
				out = append(out, sourceOf(g.Kind, d))
			}
		}
		enc := json.NewEncoder(a.env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	w := a.env.stdout
	for i, g := range groups {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s (%d)\n", g.Kind.Heading, len(g.Documents))
		for _, d := range g.Documents {
			line := "  " + d.Label()
			var extra []string
			if d.Year != "" && !strings.Contains(line, d.Year) {
				extra = append(extra, d.Year)
			}
			if d.Publisher != "" && !strings.Contains(line, d.Publisher) {
				extra = append(extra, d.Publisher)
			}
			if len(extra) > 0 {
				line += " (" + strings.Join(extra, ", ") + ")"
			}
			fmt.Fprintf(w, "%s  [%s]\n", line, d.Origin.Pack)
		}
	}
	return nil
}

func sourceOf(k *catalog.DocumentKind, d *catalog.Document) sourceEntry {
	return sourceEntry{
		ID: d.ID, Kind: d.Kind, KindTitle: k.Heading, Identifier: d.Identifier, Title: d.Title,
		AsWritten: d.AsWritten, Publisher: d.Publisher, Year: d.Year, URL: d.URL, Table: d.Table,
		Themes: d.Themes, Pack: d.Origin.Pack, File: d.Origin.File, Line: d.Origin.Line,
	}
}
