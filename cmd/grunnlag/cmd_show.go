package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/ingest"
	"github.com/grunnlag/grunnlag/internal/pivot"
	"github.com/grunnlag/grunnlag/internal/store"
)

// showDoc is the output of `grunnlag show --json`.
type showDoc struct {
	ID         string    `json:"id"`
	Title      string    `json:"title"`
	Updated    string    `json:"updated"`
	FetchedAt  time.Time `json:"fetched_at"`
	Source     string    `json:"source"`
	SHA256     string    `json:"sha256"`
	SnapshotID int64     `json:"snapshot_id"`
	Dimensions []showDim `json:"dimensions"`
	// Cells lists every cell in row-major order; codes follow Dimensions.
	Cells []showCell `json:"cells"`
}

type showDim struct {
	ID         string    `json:"id"`
	Label      string    `json:"label"`
	Categories []showCat `json:"categories"`
}

type showCat struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

type showCell struct {
	Codes  []string `json:"codes"`
	Value  *float64 `json:"value"`
	Text   string   `json:"text,omitempty"`
	Status string   `json:"status,omitempty"`
}

func runShow(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("show", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "skriv JSON")
	ids, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(ids) != 1 {
		fmt.Fprintln(a.env.stderr, "grunnlag show: oppgi én tabell")
		a.commandUsage(fs)
		return errUsage
	}
	id := ids[0]
	if !store.ValidTableID(id) {
		return fault.WithUser(fault.Invalid, fmt.Sprintf("«%s» er ikke en tabell-ID (den har bare bokstaver, sifre og _, som 12041).", id),
			fmt.Errorf("show: %q is not a table id", id))
	}
	st, err := a.openReader(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	snap, err := st.LatestSnapshot(ctx, id)
	if fault.Is(err, fault.NotFound) {
		return fault.WithUser(fault.NotFound, fmt.Sprintf("Tabell %s er ikke lagret. Hent den med «grunnlag sync %s» eller «grunnlag import FIL».", id, id), err)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(a.env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(showJSON(snap))
	}
	fmt.Fprintf(a.env.stdout, "%s: %s\nOppdatert (SSB): %s   Hentet: %s   Kilde: %s\n\n",
		snap.TableID, snap.Title, snap.Updated, snap.FetchedAt.UTC().Format("2006-01-02 15:04 MST"), ingest.ShownSource(snap.Source))
	t, err := pivot.Build(snap.Data, pivot.Default(snap.Data))
	if err != nil {
		return fmt.Errorf("table %s: %w", id, err)
	}
	return t.WriteText(a.env.stdout)
}

func showJSON(s *store.Snapshot) showDoc {
	d := s.Data
	doc := showDoc{
		ID: s.TableID, Title: s.Title, Updated: s.Updated, FetchedAt: s.FetchedAt.UTC(),
		Source: ingest.ShownSource(s.Source), SHA256: s.SHA256, SnapshotID: s.ID,
	}
	for _, dim := range d.Dimensions {
		sd := showDim{ID: dim.ID, Label: dim.Label, Categories: make([]showCat, len(dim.Categories))}
		for i, c := range dim.Categories {
			sd.Categories[i] = showCat{Code: c.Code, Label: c.Label}
		}
		doc.Dimensions = append(doc.Dimensions, sd)
	}
	doc.Cells = make([]showCell, d.Len())
	coords := make([]int, len(d.Dimensions))
	for i := range doc.Cells {
		coords = d.Coords(i, coords)
		c := showCell{Codes: make([]string, len(coords)), Text: d.Text[i], Status: d.CellStatus(i)}
		for k, p := range coords {
			c.Codes[k] = d.Dimensions[k].Categories[p].Code
		}
		if v, ok := d.Value(i); ok {
			c.Value = &v
		}
		doc.Cells[i] = c
	}
	return doc
}
