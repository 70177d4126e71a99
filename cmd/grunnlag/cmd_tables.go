package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/grunnlag/grunnlag/internal/ingest"
	"github.com/grunnlag/grunnlag/internal/progress"
)

// tableEntry is one line of `grunnlag tables --json`.
type tableEntry struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Updated   string    `json:"updated"`
	FetchedAt time.Time `json:"fetched_at"`
	Source    string    `json:"source"`
	SHA256    string    `json:"sha256"`
	Cells     int       `json:"cells"`
	Snapshots int       `json:"snapshots"`
}

func runTables(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("tables", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "skriv JSON")
	if _, err := a.parse(fs, args); err != nil {
		return err
	}
	st, err := a.openReader(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	tables, err := st.Tables(ctx)
	if err != nil {
		return err
	}
	entries := make([]tableEntry, 0, len(tables))
	for _, t := range tables {
		l := t.Latest
		entries = append(entries, tableEntry{
			ID: l.TableID, Title: l.Title, Updated: l.Updated, FetchedAt: l.FetchedAt.UTC(),
			Source: ingest.ShownSource(l.Source), SHA256: l.SHA256, Cells: l.Cells, Snapshots: t.Snapshots,
		})
	}
	if *asJSON {
		enc := json.NewEncoder(a.env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(entries)
	}
	if len(entries) == 0 {
		fmt.Fprintln(a.env.stdout, "Ingen tabeller er lagret ennå. Kjør «grunnlag sync» eller «grunnlag import FIL».")
		return nil
	}
	tw := tabwriter.NewWriter(a.env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TABELL\tOPPDATERT HOS KILDEN\tHENTET\tCELLER\tVERSJONER\tTITTEL")
	for _, e := range entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", e.ID, sourceDate(e.Updated), ingest.When(e.FetchedAt), progress.Number(e.Cells), e.Snapshots, e.Title)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	// The last attempt of each table, worded as the status page words it.
	var lines []string
	for _, t := range tables {
		as, err := st.SyncAttempts(ctx, t.Latest.TableID, 1)
		if err != nil || len(as) == 0 {
			continue
		}
		latest := t.Latest
		lines = append(lines, fmt.Sprintf("  %s: %s", t.Latest.TableID, ingest.AttemptText(as[0], &latest)))
	}
	if len(lines) > 0 {
		fmt.Fprintln(a.env.stdout, "\nSiste forsøk på å hente eller importere:")
		fmt.Fprintln(a.env.stdout, strings.Join(lines, "\n"))
	}
	return nil
}

// sourceDate writes the source's "updated" (RFC 3339) as a Norwegian date,
// or as it is when it is something else.
func sourceDate(v string) string {
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return v
	}
	w := ingest.When(t)
	date, _, _ := strings.Cut(w, " kl. ")
	return date
}
